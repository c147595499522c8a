package taskdef_test

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/aws"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
	"github.com/selfhosted-hardening/selfhosted-hardening/taskdef"
	"github.com/selfhosted-hardening/selfhosted-hardening/workload"
)

func param(name string, in map[string]any, arn any) *graph.Resource {
	out := map[string]any{}
	for k, v := range in {
		out[k] = v
	}
	if arn != nil {
		out["arn"] = arn
	}
	return &graph.Resource{URN: "urn:pulumi:dev::p::" + aws.TypeSSMParameter + "::" + name, Type: aws.TypeSSMParameter,
		Name: name, Props: props.FromGo(in), Outputs: props.FromGo(out)}
}

// TestJoinStores joins ECS secrets to the stack's SSM parameters: by name,
// by ARN (an output, or the name the ARN carries when the output is not
// there), and in preview through the task definition's property
// dependencies.
func TestJoinStores(t *testing.T) {
	tls := param("api-tls", map[string]any{"name": "/pulumi/api/tls", "type": "String"},
		"arn:aws:ssm:us-west-2:123456789012:parameter/pulumi/api/tls")
	auth := param("db-auth", map[string]any{"name": "db-auth-param", "type": "SecureString"}, nil)
	list := param("zones", map[string]any{"type": "StringList"}, props.NewUnknown())
	list.Outputs = props.FromGo(map[string]any{"type": "StringList", "name": "zones-1a2b3c4"}) // autonamed
	pending := param("pending", map[string]any{"name": "/p/pending", "type": props.NewUnknown()}, nil)
	secretType := param("hidden", map[string]any{"name": "/p/hidden", "type": props.Secret(props.NewString("String"))}, nil)
	td := &graph.Resource{URN: "urn:pulumi:dev::p::" + taskdef.Type + "::td", Type: taskdef.Type, Name: "td",
		PropertyDependencies: map[string][]string{"containerDefinitions": {tls.URN}}}
	tdSecure := &graph.Resource{URN: "urn:pulumi:dev::p::" + taskdef.Type + "::td2", Type: taskdef.Type, Name: "td2",
		PropertyDependencies: map[string][]string{"containerDefinitions": {auth.URN}}}
	g := graph.New([]*graph.Resource{tls, auth, list, pending, secretType, td, tdSecure})
	for _, c := range []struct {
		name  string
		td    *graph.Resource
		ref   props.Value
		held  *graph.Resource
		plain string
		pend  bool
	}{
		{"by name", td, props.NewString("/pulumi/api/tls"), tls, `the SSM parameter "api-tls" of the stack, of type String`, false},
		{"by ARN output", td, props.NewString("arn:aws:ssm:us-west-2:123456789012:parameter/pulumi/api/tls"), tls,
			`the SSM parameter "api-tls" of the stack, of type String`, false},
		{"by ARN, name without a slash", td, props.NewString("arn:aws:ssm:eu-west-1:123456789012:parameter/db-auth-param"),
			auth, "", false},
		{"by the name pulumi-aws gave it", td, props.NewString("zones-1a2b3c4"), list,
			`the SSM parameter "zones" of the stack, of type StringList`, false},
		{"type not known", td, props.NewString("/p/pending"), pending, "", true},
		{"type secret", td, props.NewString("/p/hidden"), secretType,
			`the SSM parameter "hidden" of the stack, of type String or StringList`, false},
		{"Secrets Manager ARN", td, props.NewString("arn:aws:secretsmanager:us-west-2:1:secret:db"), nil, "", false},
		{"unknown ARN outside the stack", td, props.NewString("arn:aws:ssm:us-west-2:1:parameter/elsewhere"), nil, "", false},
		{"malformed ARN", td, props.NewString("arn:aws:ssm:parameter"), nil, "", false},
		{"a number", td, props.FromGo(42), nil, "", false},
		{"an object", td, props.FromGo(map[string]any{"arn": "/pulumi/api/tls"}), nil, "", false},
		{"preview, depends on a String parameter", td, props.NewUnknown(), nil, "", true},
		{"preview, depends on a SecureString parameter", tdSecure, props.NewUnknown(), nil, "", false},
	} {
		cs := []workload.Container{{Vars: []workload.Var{
			{Name: "API_TLS_PRIVATE_KEY", Source: workload.SecretStore, Ref: c.ref},
			{Name: "PLAIN", Source: workload.Plain, Value: props.NewString("/pulumi/api/tls")},
		}}}
		taskdef.JoinStores(g, c.td, cs)
		v := cs[0].Vars[0]
		if v.HeldBy != c.held || v.PlainStore != c.plain || v.StorePending != c.pend {
			t.Errorf("%s: HeldBy %v, PlainStore %q, StorePending %v; want %v, %q, %v", c.name, v.HeldBy, v.PlainStore,
				v.StorePending, c.held, c.plain, c.pend)
		}
		if p := cs[0].Vars[1]; p.HeldBy != nil || p.PlainStore != "" {
			t.Errorf("%s: a plain variable was joined: %+v", c.name, p)
		}
	}
}
