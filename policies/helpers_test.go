package policies

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// The table-test harness every policy's tests use: a policy's cases are a
// []caseT (resources built with fixture.R, the config, and the findings
// wanted on the case's target in preview and update), and runCases runs each
// case in both modes through a one-policy pack (fixture.Run), asserting the
// target's findings and that no other resource has any. violation and
// advisory are the two findings most cases want.

var (
	violation = func(contains ...string) fixture.Want {
		return fixture.Want{Kind: policy.Violation, Level: policy.Mandatory, Contains: contains}
	}
	advisory = func(contains ...string) fixture.Want {
		return fixture.Want{Kind: policy.Unverifiable, Level: policy.Advisory, Contains: contains}
	}
)

// caseT is one case of a policy table: resources, config, and what each mode
// expects on the resource named target. Every other resource of the case
// (and the stack) must have no finding at all, unless elsewhere names it:
// a finding on a neighbour is as wrong as a missing one on the target.
type caseT struct {
	name    string
	cfg     map[string]any
	rs      []*fixture.Res
	target  string
	preview []fixture.Want
	update  []fixture.Want
	// both sets preview and update alike.
	both []fixture.Want
	// elsewhere: the findings expected on other resources, by name ("" for
	// the stack), in both modes; previewElsewhere, when set, in preview.
	elsewhere, previewElsewhere map[string][]fixture.Want
}

func runCases(t *testing.T, p *policy.Policy, cases []caseT) {
	t.Helper()
	for _, c := range cases {
		for _, mode := range fixture.Modes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				want := c.both
				switch {
				case mode == fixture.Preview && c.preview != nil:
					want = c.preview
				case mode == fixture.Update && c.update != nil:
					want = c.update
				}
				fs := fixture.Run(t, p, mode, c.cfg, nil, c.rs...)
				fixture.Check(t, fixture.Only(fs, c.target), want...)
				elsewhere := c.elsewhere
				if mode == fixture.Preview && c.previewElsewhere != nil {
					elsewhere = c.previewElsewhere
				}
				checkElsewhere(t, fs, c.target, elsewhere)
			})
		}
	}
}

// checkElsewhere asserts the findings on every resource but target: exactly
// those want names.
func checkElsewhere(t *testing.T, fs []policy.Finding, target string, want map[string][]fixture.Want) {
	t.Helper()
	byName := map[string][]policy.Finding{}
	for _, f := range fs {
		name := ""
		if f.Resource != nil {
			name = f.Resource.Name
		}
		if name != target {
			byName[name] = append(byName[name], f)
		}
	}
	for name, w := range want {
		t.Run("elsewhere "+name, func(t *testing.T) { fixture.Check(t, byName[name], w...) })
		delete(byName, name)
	}
	for name, got := range byName {
		t.Errorf("unexpected findings on %q, not the case's target %q:%s", name, target, fixture.Describe(got))
	}
}
