package policy_test

import (
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// handleParams are the typed handles of every kind and the Param each must
// define: the same as a hand-written Param, so the schema sent to the engine
// does not change when a policy moves to handles.
var handleParams = []struct {
	name   string
	handle interface{ Param() policy.Param }
	want   policy.Param
}{
	{"bool", policy.BoolParam{Name: "flag", Description: "A flag."},
		policy.Param{Name: "flag", Description: "A flag.", Type: policy.Bool}},
	{"bool default", policy.BoolParam{Name: "flag", Description: "A flag.", Default: true},
		policy.Param{Name: "flag", Description: "A flag.", Type: policy.Bool, Default: true}},
	{"string", policy.StringParam{Name: "mode", Description: "Mode.", Enum: []string{"a", "b"}, Default: "a"},
		policy.Param{Name: "mode", Description: "Mode.", Type: policy.String, Enum: []string{"a", "b"}, Default: "a"}},
	{"int", policy.IntParam{Name: "port", Description: "Port.", Item: policy.Port},
		policy.Param{Name: "port", Description: "Port.", Type: policy.Int, Item: policy.Port}},
	{"strings", policy.StringsParam{Name: "names", Description: "Names.", Default: []string{"x"}},
		policy.Param{Name: "names", Description: "Names.", Type: policy.StringList, Default: []string{"x"}}},
	{"strings no default", policy.StringsParam{Name: "names", Description: "Names."},
		policy.Param{Name: "names", Description: "Names.", Type: policy.StringList}},
	{"ints", policy.IntsParam{Name: "ports", Description: "Ports.", Item: policy.Port, Default: []int{22}},
		policy.Param{Name: "ports", Description: "Ports.", Type: policy.IntList, Item: policy.Port, Default: []int{22}}},
	{"prefixes", policy.PrefixesParam{Name: "cidrs", Description: "CIDRs."},
		policy.Param{Name: "cidrs", Description: "CIDRs.", Type: policy.StringList, Item: policy.CIDR}},
	{"regexps", policy.RegexpsParam{Name: "res", Description: "Patterns.", Default: []string{"a.*"}},
		policy.Param{Name: "res", Description: "Patterns.", Type: policy.StringList, Item: policy.Regex,
			Default: []string{"a.*"}}},
}

func TestHandleParamIsTheHandWrittenParam(t *testing.T) {
	for _, c := range handleParams {
		got := c.handle.Param()
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: Param() = %+v, want %+v", c.name, got, c.want)
		}
		if !reflect.DeepEqual(got.Schema(), c.want.Schema()) {
			t.Errorf("%s: schema %v, want %v", c.name, got.Schema(), c.want.Schema())
		}
	}
}

// TestHandleGetReadsTypedValues: each handle reads its property, configured
// or defaulted, in its own Go type.
func TestHandleGetReadsTypedValues(t *testing.T) {
	var (
		flag  = policy.BoolParam{Name: "flag", Description: "A flag."}
		mode  = policy.StringParam{Name: "mode", Description: "Mode.", Enum: []string{"a", "b"}, Default: "a"}
		port  = policy.IntParam{Name: "port", Description: "Port.", Item: policy.Port, Default: 443}
		names = policy.StringsParam{Name: "names", Description: "Names."}
		ports = policy.IntsParam{Name: "ports", Description: "Ports.", Default: []int{22}}
		cidrs = policy.PrefixesParam{Name: "cidrs", Description: "CIDRs.", Default: []string{"10.1.2.3/8"}}
		res   = policy.RegexpsParam{Name: "res", Description: "Patterns."}
	)
	p := toy("handles", func(*policy.ResourceContext) {})
	p.Params = []policy.Param{flag.Param(), mode.Param(), port.Param(), names.Param(), ports.Param(),
		cidrs.Param(), res.Param()}
	pack := mustPack(t, p)
	def := pack.DefaultConfiguration()["handles"]
	if flag.Get(def) || mode.Get(def) != "a" || port.Get(def) != 443 || len(names.Get(def)) != 0 ||
		!reflect.DeepEqual(ports.Get(def), []int{22}) ||
		!reflect.DeepEqual(cidrs.Get(def), []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}) ||
		len(res.Get(def)) != 0 {
		t.Errorf("defaults: %v %q %d %v %v %v %v", flag.Get(def), mode.Get(def), port.Get(def), names.Get(def),
			ports.Get(def), cidrs.Get(def), res.Get(def))
	}
	cfg, err := pack.Configure(map[string]policy.RawConfig{"handles": {Properties: map[string]any{
		"flag": true, "mode": "b", "port": float64(8443), "names": []any{"x", "y"}, "ports": []any{float64(3306)},
		"cidrs": []any{"203.0.113.0/24"}, "res": []any{"^k.*$"},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	c := cfg["handles"]
	if !flag.Get(c) || mode.Get(c) != "b" || port.Get(c) != 8443 || !reflect.DeepEqual(names.Get(c), []string{"x", "y"}) ||
		!reflect.DeepEqual(ports.Get(c), []int{3306}) ||
		!reflect.DeepEqual(cidrs.Get(c), []netip.Prefix{netip.MustParsePrefix("203.0.113.0/24")}) ||
		len(res.Get(c)) != 1 || !res.Get(c)[0].MatchString("key") {
		t.Errorf("configured: %v %q %d %v %v %v %v", flag.Get(c), mode.Get(c), port.Get(c), names.Get(c),
			ports.Get(c), cidrs.Get(c), res.Get(c))
	}
}

// TestUndeclaredHandleFailsLoudly: a check that reads a handle its policy
// does not list in Params does not silently read a zero value; the runner
// reports a policy error naming the property, which any test of the check
// then sees.
func TestUndeclaredHandleFailsLoudly(t *testing.T) {
	undeclared := policy.BoolParam{Name: "requireKsm", Description: "A misspelt flag."}
	p := toy("reads-undeclared", func(ctx *policy.ResourceContext) {
		if !undeclared.Get(ctx.Config) {
			ctx.Violationf("flag is off")
		}
	})
	fs := analyze(t, mustPack(t, p), nil, nil, res("r", map[string]any{}))
	if len(fs) != 1 || fs[0].Kind != policy.PolicyError ||
		!strings.Contains(fs[0].What, `config property "requireKsm" is read but not declared in the policy's Params`) {
		t.Errorf("findings %v, want one policy error naming requireKsm", fs)
	}
	// The same handle read as another type is caught too.
	wrong := policy.StringsParam{Name: "flag", Description: "The flag, read as a list."}
	p = toy("reads-wrong-type", func(ctx *policy.ResourceContext) { wrong.Get(ctx.Config) })
	fs = analyze(t, mustPack(t, p), nil, nil, res("r", map[string]any{}))
	if len(fs) != 1 || fs[0].Kind != policy.PolicyError || !strings.Contains(fs[0].What, `config property "flag" is declared as bool`) {
		t.Errorf("findings %v, want one policy error naming flag's type", fs)
	}
}
