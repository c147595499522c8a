package taskdef

import (
	"fmt"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/aws"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
	"github.com/selfhosted-hardening/selfhosted-hardening/workload"
)

// A container's secrets come from Secrets Manager or SSM Parameter Store
// (valueFrom: the secret's or parameter's ARN, or the parameter's name in
// the task's region). Secrets Manager always encrypts; Parameter Store
// encrypts only SecureString parameters: a String or StringList parameter
// is stored and returned in plain text (AWS: "we recommend SecureString for
// ... passwords, keys"). JoinStores finds the in-stack parameter each
// reference names, so that a secret held by a String parameter is not taken
// for a secret store.

// JoinStores joins the secrets of a task definition's containers to the
// stack's SSM parameters: a reference by ARN or by name (during update, and
// in preview when the name is known); in preview, a reference not known
// until update whose task definition depends on a plain parameter is
// pending, and so is a reference to a parameter whose type is not known
// until update. It sets HeldBy (the parameter), HeldAt and PlainStore or
// StorePending on the variables.
func JoinStores(g *graph.Graph, td *graph.Resource, cs []workload.Container) {
	var pending bool
	var pendingDone bool
	for i := range cs {
		for j := range cs[i].Vars {
			v := &cs[i].Vars[j]
			if v.Source != workload.SecretStore {
				continue
			}
			switch v.Ref.Kind() {
			case props.String:
				s, _ := v.Ref.Str()
				p := Parameter(g, s)
				if p == nil {
					continue
				}
				v.HeldBy, v.HeldAt = p, "value"
				if p.Props.Get(pathType).IsUnknown() {
					v.StorePending = true // a String parameter, perhaps
				}
				if typ, plain := PlainParameter(p); plain {
					if p.Props.Get(pathType).IsSecret() {
						typ = "String or StringList" // its type is a secret: not shown
					}
					v.PlainStore = fmt.Sprintf("the SSM parameter %q of the stack, of type %s", p.Name, typ)
				}
			case props.Unknown:
				if !pendingDone {
					pending, pendingDone = dependsOnPlainParameter(g, td), true
				}
				v.StorePending = pending
			}
		}
	}
}

// Parameter finds the stack's SSM parameter a valueFrom names: by ARN,
// id or name as the graph indexes them, else by the name an SSM ARN
// carries (arn:aws:ssm:<region>:<account>:parameter/<name>, whose name has
// its leading slash dropped).
func Parameter(g *graph.Graph, ref string) *graph.Resource {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil
	}
	if p := g.Lookup(ref, aws.TypeSSMParameter); p != nil {
		return p
	}
	parts := strings.SplitN(ref, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "ssm" {
		return nil
	}
	name, ok := strings.CutPrefix(parts[5], "parameter/")
	if !ok || name == "" {
		return nil
	}
	if p := g.Lookup(name, aws.TypeSSMParameter); p != nil {
		return p
	}
	return g.Lookup("/"+name, aws.TypeSSMParameter)
}

// PlainParameter reports whether a parameter keeps its value in plain text:
// its type is known and String or StringList.
func PlainParameter(p *graph.Resource) (string, bool) {
	typ, _ := p.Props.Get(pathType).Str()
	return typ, typ == "String" || typ == "StringList"
}

var pathType = props.MustPath("type")

// dependsOnPlainParameter reports whether the task definition's
// containerDefinitions came in part from a String or StringList parameter
// of the stack, or one whose type is not known until update.
func dependsOnPlainParameter(g *graph.Graph, td *graph.Resource) bool {
	for _, urn := range td.PropertyDependencies[key] {
		p := g.ByURN(urn)
		if p == nil || p.Type != aws.TypeSSMParameter {
			continue
		}
		if _, plain := PlainParameter(p); plain || p.Props.Get(pathType).IsUnknown() {
			return true
		}
	}
	return false
}

// ParameterName is the name a parameter is judged by: its name input, else
// its logical name, which the name pulumi-aws gives it starts with (as
// secret-inputs-marked-secret judges it).
func ParameterName(p *graph.Resource) string {
	if name, ok := p.Props.Get(pathName).Str(); ok && name != "" {
		return name
	}
	return p.Name
}

var pathName = props.MustPath("name")
