package taskdef_test

import (
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
	"github.com/selfhosted-hardening/selfhosted-hardening/taskdef"
	"github.com/selfhosted-hardening/selfhosted-hardening/workload"
)

// parse runs taskdef.Parse from a policy, as the container policies do, and
// returns what it gave and the advisories the runner made of its notes.
func parse(t *testing.T, defs any) ([]workload.Container, policy.State, []policy.Finding, *graph.Resource) {
	t.Helper()
	var cs []workload.Container
	var st policy.State
	probe := &policy.Policy{
		Name: "taskdef-probe", DisplayName: "Probe", Description: "Reads task definitions.",
		Section: policy.Section{Tag: "secrets", Title: "Secrets", URL: "https://example.com/guide#secrets"},
		Level:   policy.Mandatory, Severity: policy.Low, Remediation: "None.", Reference: "Encryption",
		Types:    []string{taskdef.Type},
		Resource: func(ctx *policy.ResourceContext) { cs, st = taskdef.Parse(ctx.Reader) },
	}
	pack, err := policy.NewPack("probe", "Probe", "1.0.0", "probe", policy.Guide{Name: "Guide", Version: "1"}, probe)
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]any{}
	if defs != nil {
		in["containerDefinitions"] = defs
	}
	v := props.FromGo(in)
	r := &graph.Resource{URN: "urn:pulumi:dev::p::" + taskdef.Type + "::td", Type: taskdef.Type, Name: "td",
		Props: v, Outputs: v}
	fs := pack.Analyze(&policy.Env{DryRun: true}, pack.DefaultConfiguration(), r)
	return cs, st, fs, r
}

// container is what a test expects of one container.
type container struct {
	label, name, image string
	vars               []string // "name=source:value-or-from"
	opaque             []string
}

func show(c workload.Container) container {
	out := container{label: c.Label, name: c.Name, image: c.Image, opaque: c.Opaque}
	for _, v := range c.Vars {
		val := v.From
		if v.Source == workload.Plain {
			val = v.Value.Describe()
		}
		out.vars = append(out.vars, v.Name+"="+v.Source.String()+":"+val+" @"+v.Path)
	}
	return out
}

const api = `{"name": "api", "image": "pulumi/service:1.2",
  "environment": [{"name": "PULUMI_LICENSE_KEY", "value": "lic-123"}, {"name": "EMPTY"}],
  "secrets": [{"name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:us-west-2:1:secret:db"}],
  "environmentFiles": [{"type": "s3", "value": "arn:aws:s3:::env/api.env"}, {"type": "s3"}]}`

func TestParse(t *testing.T) {
	const secretValue = "lic-very-secret-value"
	cases := []struct {
		name  string
		defs  any
		state policy.State
		want  []container
		notes []string // in the one advisory, if any
	}{
		{name: "absent", defs: nil, state: policy.Absent},
		{name: "unknown", defs: props.NewUnknown(), state: policy.Unknown,
			notes: []string{"containerDefinitions is not known until update"}},
		{name: "two containers", defs: "[" + api + `, {"image": "nginx"}]`, state: policy.Known, want: []container{
			{label: `containerDefinitions[0] ("api")`, name: "api", image: "pulumi/service:1.2", vars: []string{
				`PULUMI_LICENSE_KEY=plain value:"lic-123" @containerDefinitions[0].environment[0]`,
				"EMPTY=plain value:null @containerDefinitions[0].environment[1]",
				"DB_PASSWORD=secret store:arn:aws:secretsmanager:us-west-2:1:secret:db @containerDefinitions[0].secrets[0]",
			}, opaque: []string{"arn:aws:s3:::env/api.env", "environmentFiles[1]"}},
			{label: "containerDefinitions[1]", image: "nginx"},
		}},
		{name: "already structured", defs: []any{map[string]any{"name": "web", "environment": []any{
			map[string]any{"name": "A", "value": "1"}}}}, state: policy.Known, want: []container{
			{label: `containerDefinitions[0] ("web")`, name: "web", vars: []string{`A=plain value:"1" @containerDefinitions[0].environment[0]`}},
		}},
		{name: "secret document stays secret", defs: props.Secret(props.NewString(`[{"name": "api",
			"environment": [{"name": "K", "value": "` + secretValue + `"}],
			"secrets": [{"name": "S", "valueFrom": "arn:aws:ssm:us-west-2:1:parameter/p"}],
			"environmentFiles": [{"value": "arn:aws:s3:::b/o"}]}]`)), state: policy.Known, want: []container{
			{label: `containerDefinitions[0] ("api")`, name: "api", vars: []string{
				"K=plain value:[secret] @containerDefinitions[0].environment[0]",
				"S=secret store:[secret] @containerDefinitions[0].secrets[0]",
			}, opaque: []string{"environmentFiles[0]"}},
		}},
		{name: "not JSON", defs: `[{"name": "api",`, state: policy.Invalid,
			notes: []string{"containerDefinitions is not valid JSON"}},
		{name: "not a string", defs: 42, state: policy.Invalid,
			notes: []string{"containerDefinitions is number, expected a JSON string"}},
		{name: "not an array", defs: `{"name": "api"}`, state: policy.Invalid,
			notes: []string{"containerDefinitions holds object, expected an array of container definitions"}},
		{name: "empty array", defs: `[]`, state: policy.Known},
		{name: "malformed items are skipped", defs: `["api", null, {"name": "ok",
			"environment": {"name": "A"}, "secrets": [{"valueFrom": "x"}, {"name": "  ", "valueFrom": "y"}, 7],
			"environmentFiles": "s3://b/o"}]`, state: policy.Known,
			want: []container{{label: `containerDefinitions[2] ("ok")`, name: "ok", opaque: []string{"environmentFiles"}}},
			notes: []string{
				"containerDefinitions[0] is string, expected a container definition object",
				"containerDefinitions[1] is null, expected a container definition object",
				"containerDefinitions[2].environment is object, expected an array",
				"containerDefinitions[2].secrets[0] has no name",
				"containerDefinitions[2].secrets[1] has no name",
				"containerDefinitions[2].secrets[2] has no name",
			}},
		{name: "secret malformed document says where, not what", defs: props.Secret(props.NewString(
			`[{"name": "api", "environment": [{"value": "` + secretValue + `"}]}]`)), state: policy.Known,
			want:  []container{{label: `containerDefinitions[0] ("api")`, name: "api"}},
			notes: []string{"containerDefinitions[0].environment[0] has no name"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cs, st, fs, r := parse(t, c.defs)
			if st != c.state {
				t.Errorf("state %v, want %v", st, c.state)
			}
			if len(cs) != len(c.want) {
				t.Fatalf("got %d containers, want %d: %+v", len(cs), len(c.want), cs)
			}
			for i, w := range c.want {
				got := show(cs[i])
				if cs[i].Owner != r {
					t.Errorf("container %d: owner is not the task definition", i)
				}
				if got.label != w.label || got.name != w.name || got.image != w.image ||
					strings.Join(got.vars, "\n") != strings.Join(w.vars, "\n") ||
					strings.Join(got.opaque, ",") != strings.Join(w.opaque, ",") {
					t.Errorf("container %d:\n got %+v\nwant %+v", i, got, w)
				}
			}
			if len(c.notes) == 0 {
				if len(fs) != 0 {
					t.Errorf("want no advisory, got %+v", fs)
				}
				return
			}
			if len(fs) != 1 || fs[0].Kind != policy.Unverifiable || fs[0].Level != policy.Advisory {
				t.Fatalf("want one advisory, got %+v", fs)
			}
			for _, n := range c.notes {
				if !strings.Contains(fs[0].What, n) {
					t.Errorf("advisory lacks %q:\n%s", n, fs[0].What)
				}
			}
			if strings.Contains(fs[0].Message, secretValue) {
				t.Errorf("secret value in the advisory:\n%s", fs[0].Message)
			}
		})
	}
}

// TestParseIsMemoized: several policies read the same task definition; the
// document is parsed once per resource and each gets the same view.
func TestParseIsMemoized(t *testing.T) {
	v := props.FromGo(map[string]any{"containerDefinitions": "[" + api + "]"})
	r := &graph.Resource{URN: "urn:x", Type: taskdef.Type, Name: "td", Props: v, Outputs: v}
	var got [][]workload.Container
	mk := func(name string) *policy.Policy {
		return &policy.Policy{
			Name: name, DisplayName: name, Description: "d", Level: policy.Mandatory, Reference: "R",
			Section:  policy.Section{Tag: "secrets", Title: "Secrets", URL: "https://example.com/guide#secrets"},
			Severity: policy.Low, Remediation: "r", Types: []string{taskdef.Type},
			Resource: func(ctx *policy.ResourceContext) {
				cs, _ := taskdef.Parse(ctx.Reader)
				got = append(got, cs)
			},
		}
	}
	pack, err := policy.NewPack("probe", "Probe", "1.0.0", "probe", policy.Guide{Name: "G", Version: "1"}, mk("a"), mk("b"))
	if err != nil {
		t.Fatal(err)
	}
	pack.Analyze(&policy.Env{}, pack.DefaultConfiguration(), r)
	if len(got) != 2 || len(got[0]) != 1 || len(got[1]) != 1 || show(got[0][0]).label != show(got[1][0]).label ||
		len(got[0][0].Vars) != 3 || len(got[1][0].Vars) != 3 {
		t.Errorf("two policies, two different views: %+v", got)
	}
}
