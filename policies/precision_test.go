package policies

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// The precision harness: every case of the labelled table (labelled_test.go)
// runs through the whole pack, and the whole set of findings of the case is
// compared with its labels. A table test that checks only its target
// resource lets a finding on another resource of the same case pass
// unnoticed; this one does not.

// verdict is what a policy should say about a whole case.
type verdict int

const (
	// pass: the policy reports nothing at all on the case.
	verdictPass verdict = iota
	// violation: at least one violation finding, on any resource.
	verdictViolation
	// unverifiable: at least one advisory "cannot be verified" finding and
	// no violation.
	verdictUnverifiable
)

func (v verdict) String() string {
	switch v {
	case verdictViolation:
		return "Violation"
	case verdictUnverifiable:
		return "Unverifiable"
	}
	return "Pass"
}

// label is the expected verdict of one policy on one case, with the reason.
type label struct {
	verdict verdict
	why     string
}

func vio(why string) label  { return label{verdictViolation, why} }
func unv(why string) label  { return label{verdictUnverifiable, why} }
func pass(why string) label { return label{verdictPass, why} }

// labels maps policy names to their expected verdict. A policy not listed
// must report nothing at all on the case.
type labels map[string]label

// lcase is one labelled case.
type lcase struct {
	name   string
	source string // where the shape comes from
	rs     []*fixture.Res
	cfg    map[string]m // policy name -> config properties
	env    *policy.Env
	want   labels
}

// analyzeCase runs the whole pack on a case in one mode, as the server
// would; AnalyzeAll fails the test if a finding carries a secret value.
func analyzeCase(t *testing.T, pack *policy.Pack, c lcase, mode fixture.Mode) []policy.Finding {
	t.Helper()
	raw := map[string]policy.RawConfig{}
	for name, props := range c.cfg {
		raw[name] = policy.RawConfig{Properties: props}
	}
	cfg, err := pack.Configure(raw)
	if err != nil {
		t.Fatalf("case %q: configure: %v", c.name, err)
	}
	env := &policy.Env{}
	if c.env != nil {
		e := *c.env
		env = &e
	}
	env.DryRun = mode == fixture.Preview
	return fixture.AnalyzeAll(t, pack, cfg, env, mode, c.rs...)
}

// got is what one policy reported on one case.
type got struct {
	violations, unverifiable, errors []policy.Finding
}

func (g got) verdict() verdict {
	switch {
	case len(g.violations) > 0:
		return verdictViolation
	case len(g.unverifiable) > 0:
		return verdictUnverifiable
	}
	return verdictPass
}

func (g got) all() []policy.Finding {
	return append(append(append([]policy.Finding(nil), g.violations...), g.unverifiable...), g.errors...)
}

func byPolicy(fs []policy.Finding) map[string]got {
	out := map[string]got{}
	for _, f := range fs {
		g := out[f.Policy.Name]
		switch f.Kind {
		case policy.Violation:
			g.violations = append(g.violations, f)
		case policy.Unverifiable:
			g.unverifiable = append(g.unverifiable, f)
		default:
			g.errors = append(g.errors, f)
		}
		out[f.Policy.Name] = g
	}
	return out
}

func describeFindings(fs []policy.Finding) string {
	if len(fs) == 0 {
		return " (no findings)"
	}
	var b strings.Builder
	for _, f := range fs {
		where := "stack"
		if f.Resource != nil {
			where = f.Resource.Name
		}
		msg, _, _ := strings.Cut(f.Message, "\nWhy:")
		fmt.Fprintf(&b, "\n      [%s %s on %s] %s", f.Kind, f.Level, where, msg)
	}
	return b.String()
}

// unknownAdvisory reports whether a finding is the runner's advisory for a
// value not known until update.
func unknownAdvisory(f policy.Finding) bool {
	return f.Kind == policy.Unverifiable && strings.Contains(f.Message, "is not known until update")
}

type tally struct {
	cases, tp, fp, fn, tn int
	// explicit labels
	positives, negatives int
	// Unverifiable labels and how many the pack matched
	unvLabels, unvAgree int
	// expected violations that preview only deferred (an advisory for a
	// value not known until update)
	deferred int
	failing  bool
}

func ratio(num, den int) string {
	if den == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(num)/float64(den))
}

func TestPrecisionRecall(t *testing.T) {
	pack := Pack()
	cases := labelledCases()
	tallies := map[string]*tally{}
	for _, p := range pack.Policies {
		tallies[p.Name] = &tally{}
	}
	var failures []string
	failed := map[string][]string{} // case -> policies
	fail := func(c lcase, policyName, format string, args ...any) {
		msg := fmt.Sprintf("case %q (%s), policy %s: %s", c.name, c.source, policyName, fmt.Sprintf(format, args...))
		failures = append(failures, msg)
		if tl := tallies[policyName]; tl != nil {
			tl.failing = true
		}
		if !slices.Contains(failed[c.name], policyName) {
			failed[c.name] = append(failed[c.name], policyName)
		}
	}

	seen := map[string]bool{}
	for _, c := range cases {
		switch {
		case c.name == "" || c.source == "":
			t.Errorf("case %q: every case needs a name and a source", c.name)
		case seen[c.name]:
			t.Errorf("case %q: duplicate name", c.name)
		}
		seen[c.name] = true
		for name, lb := range c.want {
			if tallies[name] == nil {
				t.Errorf("case %q: label for %q, which is not a policy of the pack", c.name, name)
			}
			if strings.TrimSpace(lb.why) == "" {
				t.Errorf("case %q: label for %s has no reason", c.name, name)
			}
		}

		update := byPolicy(analyzeCase(t, pack, c, fixture.Update))
		preview := byPolicy(analyzeCase(t, pack, c, fixture.Preview))
		for _, p := range pack.Policies {
			tl := tallies[p.Name]
			tl.cases++
			want, listed := c.want[p.Name]
			if listed {
				if want.verdict == verdictViolation {
					tl.positives++
				} else {
					tl.negatives++
				}
			}
			u := update[p.Name]
			gotV := u.verdict()

			// The confusion matrix, over Violation.
			switch {
			case want.verdict == verdictViolation && gotV == verdictViolation:
				tl.tp++
			case want.verdict == verdictViolation:
				tl.fn++
			case gotV == verdictViolation:
				tl.fp++
			default:
				tl.tn++
			}
			if want.verdict == verdictUnverifiable {
				tl.unvLabels++
				if gotV == verdictUnverifiable {
					tl.unvAgree++
				}
			}

			// Update: the verdict must match the label exactly.
			if len(u.errors) > 0 {
				fail(c, p.Name, "update: the policy failed:%s", describeFindings(u.errors))
			}
			for _, f := range u.violations {
				if f.Level != p.Level && f.Exempted == "" {
					fail(c, p.Name, "update: violation at level %s, the policy's default is %s", f.Level, p.Level)
				}
			}
			switch {
			case !listed && len(u.all()) > 0:
				fail(c, p.Name, "update: not listed, so no finding expected; got %s:%s", gotV,
					describeFindings(u.all()))
			case listed && gotV != want.verdict:
				fail(c, p.Name, "update: expected %s (%s), got %s:%s", want.verdict, want.why, gotV,
					describeFindings(u.all()))
			case listed && want.verdict == verdictPass && len(u.all()) > 0:
				fail(c, p.Name, "update: expected Pass (%s), got findings:%s", want.why, describeFindings(u.all()))
			}

			// Preview: no violation the update label does not expect, and
			// every expected violation shows as a violation or as an
			// advisory for a value not known until update.
			pv := preview[p.Name]
			if len(pv.errors) > 0 {
				fail(c, p.Name, "preview: the policy failed:%s", describeFindings(pv.errors))
			}
			if want.verdict != verdictViolation && len(pv.violations) > 0 {
				fail(c, p.Name, "preview: expected no violation (%s: %s), got:%s", want.verdict, want.why,
					describeFindings(pv.violations))
			}
			if want.verdict == verdictViolation && len(pv.violations) == 0 {
				deferred := false
				for _, f := range pv.unverifiable {
					deferred = deferred || unknownAdvisory(f)
				}
				if deferred {
					tl.deferred++
				} else {
					fail(c, p.Name, "preview: expected a violation or a not-known-until-update advisory "+
						"(%s), got:%s", want.why, describeFindings(pv.all()))
				}
			}
		}
	}

	// Coverage: every policy has at least 3 positive and 3 negative labels.
	for _, p := range pack.Policies {
		tl := tallies[p.Name]
		if tl.positives < 3 || tl.negatives < 3 {
			t.Errorf("policy %s: %d positive and %d negative labelled cases, want at least 3 of each",
				p.Name, tl.positives, tl.negatives)
		}
	}

	// The table.
	var b strings.Builder
	fmt.Fprintf(&b, "labelled cases: %d. TP/FP/FN/TN over Violation labels, update mode; unverif.: Unverifiable "+
		"labels matched; deferred: expected violations that preview showed only as not-known-until-update\n", len(cases))
	fmt.Fprintf(&b, "%-40s %5s %4s %4s %4s %4s %4s %4s %9s %7s %9s %9s\n", "policy", "cases", "pos", "neg",
		"TP", "FP", "FN", "TN", "precision", "recall", "unverif.", "deferred")
	names := make([]string, 0, len(tallies))
	for _, p := range pack.Policies {
		names = append(names, p.Name)
	}
	var sum tally
	for _, n := range names {
		tl := tallies[n]
		mark := ""
		if tl.failing {
			mark = "  <- failing cases"
		}
		fmt.Fprintf(&b, "%-40s %5d %4d %4d %4d %4d %4d %4d %9s %7s %9s %9d%s\n", n, tl.cases, tl.positives,
			tl.negatives, tl.tp, tl.fp, tl.fn, tl.tn, ratio(tl.tp, tl.tp+tl.fp), ratio(tl.tp, tl.tp+tl.fn),
			fmt.Sprintf("%d/%d", tl.unvAgree, tl.unvLabels), tl.deferred, mark)
		sum.tp += tl.tp
		sum.fp += tl.fp
		sum.fn += tl.fn
		sum.tn += tl.tn
		sum.positives += tl.positives
		sum.negatives += tl.negatives
		sum.unvAgree += tl.unvAgree
		sum.unvLabels += tl.unvLabels
		sum.deferred += tl.deferred
	}
	fmt.Fprintf(&b, "%-40s %5d %4d %4d %4d %4d %4d %4d %9s %7s %9s %9d\n", "all policies", len(cases)*len(names),
		sum.positives, sum.negatives, sum.tp, sum.fp, sum.fn, sum.tn, ratio(sum.tp, sum.tp+sum.fp),
		ratio(sum.tp, sum.tp+sum.fn), fmt.Sprintf("%d/%d", sum.unvAgree, sum.unvLabels), sum.deferred)
	t.Log("\n" + b.String())

	if len(failed) > 0 {
		var list []string
		for name, ps := range failed {
			sort.Strings(ps)
			list = append(list, fmt.Sprintf("%s [%s]", name, strings.Join(ps, ", ")))
		}
		sort.Strings(list)
		t.Logf("%d failing case(s):\n  %s", len(list), strings.Join(list, "\n  "))
	}
	for _, f := range failures {
		t.Error(f)
	}
}
