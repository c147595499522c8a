package model_test

import (
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// checkOn runs a stack check of a throwaway policy over rs and returns its
// findings, so a test can see what a field's Decide notes.
func checkOn(t *testing.T, dryRun bool, check func(*policy.StackContext), rs ...*graph.Resource) []policy.Finding {
	t.Helper()
	pol := &policy.Policy{Name: "probe-test", DisplayName: "d", Description: "d", Remediation: "r",
		Section: policy.Section{Tag: "t", Title: "T", URL: "https://example.com/#t"},
		Level:   policy.Mandatory, Severity: policy.Low, Stack: check,
		Reference: "r"}
	pack, err := policy.NewPack("p", "P", "0.0.1", "d", policy.Guide{Name: "f", Version: "1"}, pol)
	if err != nil {
		t.Fatal(err)
	}
	return pack.AnalyzeStack(&policy.Env{DryRun: dryRun}, pack.DefaultConfiguration(), graph.New(rs))
}

func res(m map[string]any) *graph.Resource {
	v := props.FromGo(m)
	return &graph.Resource{URN: "urn:pulumi:dev::p::t:m:R::r", Type: "t:m:R", Name: "r", Props: v, Outputs: v}
}

func TestFieldReadsWithoutNotingAndDecideNotesOnce(t *testing.T) {
	cases := []struct {
		name    string
		in      map[string]any
		state   policy.State
		value   bool
		message string // the advisory Decide leaves, "" for none
		fix     string // what its Fix: says, kept through the probe
	}{
		{"known true", map[string]any{"on": true}, policy.Known, true, "", ""},
		{"known false", map[string]any{"on": false}, policy.Known, false, "", ""},
		{"absent", map[string]any{}, policy.Absent, false, "", ""},
		{"null", map[string]any{"on": nil}, policy.Absent, false, "", ""},
		{"unknown", map[string]any{"on": props.NewUnknown()}, policy.Unknown, false,
			`t:m:R "r": cannot be verified during preview: on is not known until update`, "It is decided at `pulumi up`"},
		{"wrong type", map[string]any{"on": "yes"}, policy.Invalid, false,
			`t:m:R "r": cannot be verified: on is a string, expected a boolean; the value does not have the shape the provider expects`,
			"Set on to a boolean"},
		{"secret true", map[string]any{"on": props.Secret(props.FromGo(true))}, policy.Known, true, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := res(c.in)
			f := model.Bool(r, "on")
			if f.State != c.state || f.Value != c.value || f.Res != r || f.Path != "on" {
				t.Fatalf("got %+v, want state %v value %v", f, c.state, c.value)
			}
			if model.True(f) != (c.state == policy.Known && c.value) || model.False(f) != (c.state == policy.Known && !c.value) {
				t.Errorf("True/False disagree with %+v", f)
			}
			// Reading noted nothing: a check that never decides leaves no finding.
			if fs := checkOn(t, true, func(*policy.StackContext) {}, r); len(fs) != 0 {
				t.Errorf("reading noted: %v", fs)
			}
			fs := checkOn(t, true, func(ctx *policy.StackContext) { f.Decide(ctx); f.Decide(ctx) }, r)
			switch {
			case c.message == "" && len(fs) != 0:
				t.Errorf("Decide noted %q", fs[0].Message)
			case c.message != "" && (len(fs) != 1 || !strings.HasPrefix(fs[0].Message, c.message+"\nWhy: ") ||
				!strings.Contains(fs[0].Message, "\nFix: "+c.fix)):
				t.Errorf("Decide gave %v, want one advisory %q with the fix %q", fs, c.message, c.fix)
			}
		})
	}
}
