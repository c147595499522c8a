package policies_test

import (
	"encoding/base64"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/selfhosted-hardening/selfhosted-hardening/generated"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
	"github.com/selfhosted-hardening/selfhosted-hardening/secretname"
)

// FuzzGeneratedSecret feeds a RandomString's result, through the server
// (options, property dependencies and all), into one of four places under
// a fuzzed name: a Kubernetes Secret's stringData, its data in base64, a
// Deployment's env entry, a top-level input of another resource. The
// oracle: secret-inputs-marked-secret reports the RandomString exactly when
// the program did not mark its result secret (additionalSecretOutputs) and
// the place holds a secret: any value of a Secret; an env entry or input
// whose name carries a secret (in preview, where the env value is not known,
// no violation). No message shows the value.
func FuzzGeneratedSecret(f *testing.F) {
	f.Add("pulumilocalkeys", "q7Vf2LmX9sTz4KpW8nRb3YcJ6hDe1UaG", uint8(0), false)
	f.Add("tls.key", "abcd", uint8(1), false)
	f.Add("SESSION_SECRET", "x", uint8(2), false)
	f.Add("INSTANCE_NAME", "q7Vf2LmX9sTz", uint8(2), false)
	f.Add("clientSecret", "[1,2]", uint8(3), true)
	f.Add("bucket", "pulumi-x7k2", uint8(3), false)
	f.Add("", "\xff", uint8(0), false)
	f.Fuzz(func(t *testing.T, name, value string, kind uint8, marked bool) {
		kind %= 4
		planted := "Gv7-" + value
		rnd := &pulumirpc.AnalyzerResource{Urn: "urn:pulumi:dev::p::" + generated.TypeRandomString + "::rnd",
			Type: generated.TypeRandomString, Name: "rnd"}
		if marked {
			rnd.Options = &pulumirpc.AnalyzerResourceOptions{AdditionalSecretOutputs: []string{"result"}}
		}
		deps := func(prop string) map[string]*pulumirpc.AnalyzerPropertyDependencies {
			return map[string]*pulumirpc.AnalyzerPropertyDependencies{prop: {Urns: []string{rnd.Urn}}}
		}
		for _, dry := range []bool{true, false} {
			// The value: unknown in preview; in update, secret where marked.
			v := props.NewString(planted)
			switch {
			case dry:
				v = props.NewUnknown()
			case marked:
				v = props.Secret(v)
			}
			rnd.Properties = props.EncodeObject(props.NewObject(map[string]props.Value{
				"length": props.FromGo(32), "special": props.FromGo(false), "result": v}))
			var sink *pulumirpc.AnalyzerResource
			want := !marked
			switch kind {
			case 0, 1:
				field, val := "stringData", v
				if kind == 1 {
					field = "data"
					if !dry {
						val = props.NewString(base64.StdEncoding.EncodeToString([]byte(planted)))
					}
				}
				sink = &pulumirpc.AnalyzerResource{Urn: "urn:pulumi:dev::p::kubernetes:core/v1:Secret::s",
					Type: "kubernetes:core/v1:Secret", Name: "s", PropertyDependencies: deps(field),
					Properties: props.EncodeObject(props.NewObject(map[string]props.Value{
						"metadata": props.FromGo(map[string]any{"namespace": "pulumi"}),
						field:      props.Secret(props.NewObject(map[string]props.Value{name: val}))}))}
			case 2:
				env := props.NewArray(props.NewObject(map[string]props.Value{"name": props.NewString(name), "value": v}))
				sink = &pulumirpc.AnalyzerResource{Urn: "urn:pulumi:dev::p::kubernetes:apps/v1:Deployment::d",
					Type: "kubernetes:apps/v1:Deployment", Name: "d", PropertyDependencies: deps("spec"),
					Properties: props.EncodeObject(props.NewObject(map[string]props.Value{
						"metadata": props.FromGo(map[string]any{"namespace": "pulumi"}),
						"spec": props.NewObject(map[string]props.Value{"template": props.NewObject(map[string]props.Value{
							"spec": props.NewObject(map[string]props.Value{"containers": props.NewArray(
								props.NewObject(map[string]props.Value{"name": props.NewString("relay"),
									"image": props.NewString("registry.example.com/relay:1"), "env": env}))})})}),
					}))}
				m, ok := secretname.Of(name)
				want = want && !dry && ok && m.Kind == secretname.Secret
			case 3:
				if name == "" {
					return
				}
				sink = &pulumirpc.AnalyzerResource{Urn: "urn:pulumi:dev::p::custom:index:App::app",
					Type: "custom:index:App", Name: "app", PropertyDependencies: deps(name),
					Properties: props.EncodeObject(props.NewObject(map[string]props.Value{name: v}))}
				m, ok := secretname.Of(name)
				want = want && ok && m.Kind == secretname.Secret
			}
			got := false
			for _, d := range judge(t, session(t, dry), rnd, sink) {
				if d.GetPolicyName() == "secret-inputs-marked-secret" && d.GetUrn() == rnd.Urn &&
					d.GetEnforcementLevel() == pulumirpc.EnforcementLevel_MANDATORY {
					got = true
				}
				if !strings.Contains(name, planted) && strings.Contains(d.GetMessage(), planted) {
					t.Fatalf("the generated value shows: %s", d.GetMessage())
				}
			}
			if got != want {
				t.Fatalf("kind %d, name %q, value %q, marked %v, preview %v: reported %v, want %v", kind, name, value,
					marked, dry, got, want)
			}
		}
	})
}
