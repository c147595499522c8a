package examples_test

import (
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
	"github.com/selfhosted-hardening/selfhosted-hardening/policies/examples"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// TestEveryPolicyHasAnExample: each policy of the pack has exactly one
// pair, and every pair names a policy of the pack.
func TestEveryPolicyHasAnExample(t *testing.T) {
	seen := map[string]int{}
	for _, ex := range examples.All() {
		seen[ex.Policy]++
		if policies.Pack().Policy(ex.Policy) == nil {
			t.Errorf("example of %q: the pack has no such policy", ex.Policy)
		}
		if len(ex.Good.Resources)+len(ex.Good.Stack) == 0 || len(ex.Bad.Resources)+len(ex.Bad.Stack) == 0 {
			t.Errorf("example of %s: a case with no resources and no stack config", ex.Policy)
		}
	}
	for _, p := range policies.All() {
		switch seen[p.Name] {
		case 0:
			t.Errorf("policy %s has no example: add a good and a bad case to policies/examples/examples.go", p.Name)
		case 1:
		default:
			t.Errorf("policy %s has %d examples, want one", p.Name, seen[p.Name])
		}
	}
}

// TestExamplesAreProven runs each pair through its policy in preview and in
// update: the good case gives no finding of the policy (not even an
// advisory), the bad case at least one violation of it.
func TestExamplesAreProven(t *testing.T) {
	for _, ex := range examples.All() {
		p := policies.Pack().Policy(ex.Policy)
		if p == nil {
			continue // TestEveryPolicyHasAnExample reports it
		}
		for _, mode := range fixture.Modes {
			t.Run(ex.Policy+"/"+mode.String(), func(t *testing.T) {
				good, err := examples.Run(p, ex.Good, mode)
				if err != nil {
					t.Fatalf("good: %v", err)
				}
				for _, f := range good {
					if f.Policy.Name == p.Name {
						t.Errorf("good: finding of the policy:%s", fixture.Describe([]policy.Finding{f}))
					}
				}
				bad, err := examples.Run(p, ex.Bad, mode)
				if err != nil {
					t.Fatalf("bad: %v", err)
				}
				n := 0
				for _, f := range bad {
					if f.Policy.Name == p.Name && f.Kind == policy.Violation {
						n++
					}
				}
				if n == 0 {
					t.Errorf("bad: no violation of the policy:%s", fixture.Describe(bad))
				}
			})
		}
	}
}

// TestProveRefusesSwappedCases: Prove, which the docs generator relies on,
// fails when the cases are the wrong way round, for every policy.
func TestProveRefusesSwappedCases(t *testing.T) {
	for _, ex := range examples.All() {
		p := policies.Pack().Policy(ex.Policy)
		if p == nil {
			continue
		}
		t.Run(ex.Policy, func(t *testing.T) {
			finding, err := examples.Prove(p, ex)
			if err != nil || finding == "" || strings.Contains(finding, "\n") {
				t.Errorf("Prove: finding %q, error %v; want the first line of a message", finding, err)
			}
			ex.Good, ex.Bad = ex.Bad, ex.Good
			if _, err := examples.Prove(p, ex); err == nil {
				t.Error("Prove accepted the bad case as good and the good as bad")
			}
		})
	}
}
