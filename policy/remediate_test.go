package policy_test

import (
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// fixer is a resource policy that reports each of paths that is not true,
// with the fix that sets it to true.
func fixer(name string, paths ...string) *policy.Policy {
	p := toy(name, func(ctx *policy.ResourceContext) {
		for _, path := range paths {
			if v, st := ctx.Bool(path); st == policy.Absent || st == policy.Known && !v {
				ctx.Report(policy.Fix{Edits: []policy.Edit{{Path: path, Value: true}}}, "%s is not true", path)
			}
		}
	})
	p.Fixes = "sets things to true"
	return p
}

func remediateCfg(t *testing.T, pack *policy.Pack, names ...string) policy.Configuration {
	t.Helper()
	raw := map[string]policy.RawConfig{}
	for _, n := range names {
		raw[n] = policy.RawConfig{Level: policy.Remediate}
	}
	cfg, err := pack.Configure(raw)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestRemediateSetsInPlaceAndKeepsTheRest(t *testing.T) {
	pack := mustPack(t, fixer("a-fix", "x.on"), fixer("b-fix", "secretBlock.on", "x.on"))
	r := res("r", map[string]any{
		"x":           map[string]any{"on": false, "keep": "me"},
		"secretBlock": props.Secret(props.FromGo(map[string]any{"on": false, "pw": "hunter2-secret"})),
		"list":        []any{1, 2},
	})
	before := r.Props.Describe()
	rems := pack.Remediate(&policy.Env{}, remediateCfg(t, pack, "a-fix", "b-fix"), r)
	if r.Props.Describe() != before {
		t.Error("the resource given was changed")
	}
	if len(rems) != 2 || rems[0].Policy.Name != "a-fix" || rems[1].Policy.Name != "b-fix" {
		t.Fatalf("want a-fix then b-fix: %+v", rems)
	}
	// b-fix sees a-fix's change: it only sets secretBlock.on.
	if len(rems[1].Changes) != 1 || rems[1].Changes[0].Path.String() != "secretBlock.on" {
		t.Errorf("b-fix changes: %v", rems[1].Changes)
	}
	out := rems[1].Props
	if b, _ := out.Get(props.MustPath("x.on")).Bool(); !b {
		t.Error("x.on not set")
	}
	if s, _ := out.Get(props.MustPath("x.keep")).Str(); s != "me" {
		t.Error("a sibling was lost")
	}
	sb := out.Field("secretBlock")
	if !sb.IsSecret() {
		t.Error("the secret block lost its secrecy")
	}
	if b, _ := sb.Field("on").Bool(); !b {
		t.Error("secretBlock.on not set")
	}
	if d := rems[1].Description(); !strings.Contains(d, "secretBlock.on: [secret] → [secret]") || strings.Contains(d, "hunter2") {
		t.Errorf("description %q", d)
	}
}

func TestRemediateDropsWhatItCannotDoSafely(t *testing.T) {
	pack := mustPack(t, fixer("fix", "a.on"))
	cfg := remediateCfg(t, pack, "fix")
	for name, in := range map[string]map[string]any{
		"unknown value":  {"a": map[string]any{"on": props.NewUnknown()}},
		"unknown parent": {"a": props.NewUnknown()},
		"wrong shape":    {"a": []any{1}},
	} {
		if rems := pack.Remediate(&policy.Env{DryRun: true}, cfg, res("r", in)); len(rems) != 0 {
			t.Errorf("%s: remediated %+v", name, rems)
		}
	}
	// Missing objects on the way are created.
	rems := pack.Remediate(&policy.Env{}, cfg, res("r", nil))
	if len(rems) != 1 {
		t.Fatalf("want one remediation: %+v", rems)
	}
	if b, _ := rems[0].Props.Get(props.MustPath("a.on")).Bool(); !b {
		t.Errorf("a.on not created: %s", rems[0].Props.Describe())
	}
	// Only at level remediate, and not on an exempted resource.
	if rems := pack.Remediate(&policy.Env{}, pack.DefaultConfiguration(), res("r", nil)); len(rems) != 0 {
		t.Errorf("remediated at mandatory: %+v", rems)
	}
	ex := res("r", map[string]any{"tags": map[string]any{policy.ExemptTag: "fix: lab"}})
	if rems := pack.Remediate(&policy.Env{}, cfg, ex); len(rems) != 0 {
		t.Errorf("remediated an exempted resource: %+v", rems)
	}
	// A panicking check changes nothing and does not take the pack down,
	// even after it attached a fix.
	boom := toy("boom", func(ctx *policy.ResourceContext) {
		ctx.Report(policy.Fix{Edits: []policy.Edit{{Path: "a.on", Value: true}}}, "off")
		panic("no")
	})
	boom.Fixes = "x"
	bp := mustPack(t, boom)
	if rems := bp.Remediate(&policy.Env{}, remediateCfg(t, bp, "boom"), res("r", nil)); len(rems) != 0 {
		t.Errorf("panicking hook: %+v", rems)
	}
}

func TestRemediateLevelIsMandatoryForViolations(t *testing.T) {
	p := toy("plain", func(ctx *policy.ResourceContext) { ctx.Violationf("bad") })
	pack := mustPack(t, p)
	fs := pack.Analyze(&policy.Env{}, remediateCfg(t, pack, "plain"), res("r", nil))
	if len(fs) != 1 || fs[0].Level != policy.Mandatory {
		t.Errorf("a policy that cannot remediate must be mandatory at remediate: %+v", fs)
	}
	if policy.Remediate.String() != "remediate" {
		t.Error(policy.Remediate.String())
	}
}
