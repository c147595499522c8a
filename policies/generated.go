package policies

import (
	"fmt"
	"sort"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/aws"
	"github.com/selfhosted-hardening/selfhosted-hardening/generated"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/kube"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/secretname"
	"github.com/selfhosted-hardening/selfhosted-hardening/taskdef"
)

// Generated values without secrecy (issue 18 class 2, issue 20 "Secrets by
// use"): a RandomString's result (or a RandomId's encodings) that becomes a
// key or a password sits in plain text in the state, in the generator's
// outputs, even when every resource that takes it marks its own copy
// secret. The GKE and byo installers generate the service's local
// encryption key that way and store it in a Kubernetes Secret mounted as
// the PULUMI_LOCAL_KEYS file. secret-inputs-marked-secret reports it, on
// the generator, naming where the value went.

// checkGeneratedSecrets reports the plain generators whose value becomes a
// secret: a value of a Kubernetes Secret, an input the pack knows as secret
// (RDS password, Secrets Manager secretString, ...), or an input or entry
// whose name carries a secret (a container variable, a provider's
// clientSecret). Where the value goes is read by property dependency (both
// modes) and, in update, by the value itself; where it is not known until
// update whether a secret-named place takes it, that place is noted.
func checkGeneratedSecrets(ctx *policy.StackContext) {
	sinks := map[*graph.Resource][]string{}
	var gens []*graph.Resource
	for _, r := range ctx.Graph.Resources() {
		if generated.IsGenerator(r.Type) || len(r.PropertyDependencies) == 0 {
			continue
		}
		props := make([]string, 0, len(r.PropertyDependencies))
		for p := range r.PropertyDependencies {
			props = append(props, p)
		}
		sort.Strings(props)
		for _, p := range props {
			fed := generated.Feeding(ctx.Graph, r, p)
			if len(fed) == 0 {
				continue
			}
			var values []string
			for _, g := range fed {
				values = append(values, g.Values...)
			}
			where := generatedSinks(ctx, r, p, values)
			for _, g := range fed {
				if len(where) == 0 {
					continue
				}
				if sinks[g.Res] == nil {
					gens = append(gens, g.Res)
				}
				sinks[g.Res] = append(sinks[g.Res], where...)
			}
		}
	}
	sort.Slice(gens, func(i, j int) bool { return gens[i].URN < gens[j].URN })
	for _, res := range gens {
		g, _ := generated.Plain(res)
		kind := res.Type[strings.LastIndexByte(res.Type, ':')+1:]
		outs := strings.Join(g.Outputs, ", ")
		fix := fmt.Sprintf("Mark the value secret without changing it: add additionalSecretOutputs: [%s] to the "+
			"%s's resource options (Go: pulumi.AdditionalSecretOutputs); for a new value, generate it with "+
			"random.RandomPassword, whose result the provider marks secret. The value already sat in plain "+
			"text in the state and its history: rotate it (an encryption key through the service's key "+
			"rotation, not by replacing it).", quoteAll(g.Outputs), kind)
		them := "it"
		if len(g.Outputs) > 1 {
			them = "them"
		}
		ctx.ViolationFixf(res, fix, "the value this %s generates (output %s) becomes %s: %s does not mark %s "+
			"secret, so the Pulumi state holds the value in plain text in this resource's outputs (readable with "+
			"pulumi stack export), even where the resources that take it keep their copy secret", kind, outs,
			strings.Join(dedupe(sinks[res]), "; "), kind, them)
	}
}

// generatedSinks says where, in property p of r, a generated value becomes a
// secret, and notes the places that may take it once known.
func generatedSinks(ctx *policy.StackContext, r *graph.Resource, p string, values []string) []string {
	sites := generated.Sites(p, r.Props.Field(p), values)
	var known, unknown []generated.Site
	for _, s := range sites {
		if s.Known {
			known = append(known, s)
		} else {
			unknown = append(unknown, s)
		}
	}
	if r.Type == kube.TypeSecret && (p == "data" || p == "stringData") {
		// Every value of a Secret is one.
		what := fmt.Sprintf("%s %s (a value of a Kubernetes Secret", r.Label(), p)
		switch {
		case len(known) > 0:
			what = fmt.Sprintf("%s %s (a value of a Kubernetes Secret", r.Label(), pathsOf(known))
		case len(unknown) == 1 && unknown[0].Path != p:
			what = fmt.Sprintf("%s %s (a value of a Kubernetes Secret", r.Label(), unknown[0].Path)
		case len(unknown) > 1:
			what = fmt.Sprintf("%s %s (one of these values of a Kubernetes Secret", r.Label(), pathsOf(unknown))
		}
		if m := kube.Mounts(ctx.Graph, r); len(m) > 0 {
			what += ", mounted as files by " + strings.Join(m, ", ")
		}
		return []string{what + ")"}
	}
	secretInputs := knownSecretInputs(r)
	named := func(s generated.Site) (string, bool) {
		if secretInputs[s.Path] {
			return "a secret input", true
		}
		if m, ok := secretname.Of(s.Name); ok && m.Kind == secretname.Secret {
			if s.Secret || s.Name == "" {
				return "its name carries " + article(m.Why), true
			}
			return s.Name + ", the name carries " + article(m.Why), true
		}
		return "", false
	}
	var out []string
	for _, s := range known {
		if why, ok := named(s); ok {
			out = append(out, fmt.Sprintf("%s %s (%s)", r.Label(), s.Path, why))
		}
	}
	if len(known) > 0 {
		return out
	}
	// Not found by value: not known until update, or transformed.
	if why, ok := named(generated.Site{Path: p, Name: p}); ok {
		return []string{fmt.Sprintf("%s %s (%s)", r.Label(), p, why)}
	}
	for _, s := range unknown {
		_, ok := named(s)
		document := s.Path == p && (r.Type == taskdef.Type && p == "containerDefinitions" ||
			kube.IsWorkload(r.Type) && p == "spec")
		if ok || document {
			ctx.Read(r).NoteUnknown(s.Path)
		}
	}
	return nil
}

// knownSecretInputs are the paths of r the pack knows hold secrets whatever
// their names (secret-inputs-marked-secret's resource check).
func knownSecretInputs(r *graph.Resource) map[string]bool {
	out := map[string]bool{}
	switch r.Type {
	case aws.TypeRDSInstance:
		out["password"] = true
	case aws.TypeRDSCluster:
		out["masterPassword"] = true
	case aws.TypeOpenSearchDomain, aws.TypeElasticsearchDomain:
		out["advancedSecurityOptions.masterUserOptions.masterUserPassword"] = true
	case aws.TypeSecretVersion:
		out["secretString"], out["secretBinary"] = true, true
	case aws.TypeSSMParameter:
		if typ, _ := r.Props.Field("type").Str(); typ == "SecureString" {
			out["value"], out["insecureValue"] = true, true
		}
	}
	return out
}

func pathsOf(sites []generated.Site) string {
	var ps []string
	for _, s := range sites {
		ps = append(ps, s.Path)
	}
	return strings.Join(dedupe(ps), ", ")
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
