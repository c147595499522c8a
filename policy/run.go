package policy

import (
	"fmt"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// FindingKind tells a violation from the advisories the runner adds.
type FindingKind int

// Kinds of finding.
const (
	// Violation: the resource breaks the policy.
	Violation FindingKind = iota + 1
	// Unverifiable: the policy could not judge the resource (a value unknown
	// during preview, a malformed value, a reference outside the stack).
	// Always advisory.
	Unverifiable
	// PolicyError: the policy itself failed (a panic). At the policy's level.
	PolicyError
	// BadExemption: a resource's exemption tag names something that is not
	// a policy of the pack, so it exempts nothing. Always advisory, reported
	// under the policy whose name is nearest.
	BadExemption
)

func (k FindingKind) String() string {
	switch k {
	case Violation:
		return "violation"
	case Unverifiable:
		return "unverifiable"
	case PolicyError:
		return "policy-error"
	case BadExemption:
		return "bad-exemption"
	}
	return "unknown"
}

// Finding is one diagnostic of one policy.
type Finding struct {
	Policy *Policy
	// Resource is the resource to fix; nil for the stack itself.
	Resource *graph.Resource
	Kind     FindingKind
	// Level is the enforcement level of this finding: the policy's configured
	// level for violations and policy errors, Advisory for the rest and for
	// exempted violations.
	Level Level
	// What says what is wrong; Fix says how to fix it (for an Unverifiable
	// finding: what would let the pack decide); Why, when set, is this
	// finding's own reason, else the message gives the policy's Reason.
	What string
	Fix  string
	Why  string
	// Exempted is the reason an exemption gave, when one applies.
	Exempted string
	// Edits fix a violation at enforcement level remediate (Fix.Edits).
	Edits []Edit
	// Message is the full text shown to the user, secrets removed.
	Message string
}

// URN of the finding's resource ("" for the stack).
func (f *Finding) URN() string {
	if f.Resource == nil {
		return ""
	}
	return f.Resource.URN
}

// run is one policy applied to one resource or one stack.
type run struct {
	policy   *Policy
	env      *Env
	config   *Config
	findings []Finding
	// Per resource: unknown properties and malformed values, in the order
	// noted, each once.
	unknown map[*graph.Resource][]string
	invalid map[*graph.Resource][]invalidNote
	order   []*graph.Resource
}

// invalidNote is a malformed value: what is wrong with it and, when the
// reader knows it, the shape that would do ("set flag to a boolean").
type invalidNote struct {
	problem, fix string
}

func newRun(p *Policy, env *Env, c *Config) *run {
	return &run{policy: p, env: env, config: c}
}

func (r *run) touch(res *graph.Resource) {
	if _, ok := r.unknown[res]; ok {
		return
	}
	if _, ok := r.invalid[res]; ok {
		return
	}
	r.order = append(r.order, res)
}

func (r *run) noteUnknown(res *graph.Resource, property string) {
	if r.unknown == nil {
		r.unknown = map[*graph.Resource][]string{}
	}
	r.touch(res)
	if !contains(r.unknown[res], property) {
		r.unknown[res] = append(r.unknown[res], property)
	}
}

func (r *run) noteInvalid(res *graph.Resource, problem, fix string) {
	if r.invalid == nil {
		r.invalid = map[*graph.Resource][]invalidNote{}
	}
	r.touch(res)
	for _, n := range r.invalid[res] {
		if n.problem == problem {
			return
		}
	}
	r.invalid[res] = append(r.invalid[res], invalidNote{problem: problem, fix: fix})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (r *run) violation(res *graph.Resource, fix, what string) {
	if fix == "" {
		fix = r.policy.Remediation
	}
	r.findings = append(r.findings, Finding{
		Policy: r.policy, Resource: res, Kind: Violation, Level: r.config.Level.enforced(), What: what, Fix: fix,
	})
}

// unverifiable records an advisory; an empty fix gives the policy's default
// (DefaultUnverifiableFix).
func (r *run) unverifiable(res *graph.Resource, fix, what string) {
	if fix == "" {
		fix = DefaultUnverifiableFix(r.policy)
	}
	r.findings = append(r.findings, Finding{
		Policy: r.policy, Resource: res, Kind: Unverifiable, Level: Advisory, What: what, Fix: fix,
	})
}

// guard runs check, turning a panic into a PolicyError finding that names the
// policy, the resource (or the stack) and the cause.
func (r *run) guard(res *graph.Resource, check func()) {
	defer func() {
		if x := recover(); x != nil {
			where := "the stack"
			if res != nil {
				where = res.Label()
			}
			r.findings = append(r.findings, Finding{
				Policy: r.policy, Resource: res, Kind: PolicyError, Level: r.config.Level.enforced(),
				What: fmt.Sprintf("policy %s failed while checking %s: %v. This is a bug in the "+
					"policy pack (please report it with this message); the other policies still ran. %s",
					r.policy.Name, where, x, panicSite(debug.Stack())),
			})
		}
	}()
	check()
}

// panicSite picks the first frame of the pack's own code from a stack trace.
func panicSite(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	for i, l := range lines {
		if strings.Contains(l, "selfhosted-hardening/policies.") && i+1 < len(lines) {
			return "At " + strings.TrimSpace(lines[i+1]) + "."
		}
	}
	return ""
}

// finish turns notes into advisories, applies exemptions and composes the
// messages.
func (r *run) finish() []Finding {
	for _, res := range r.order {
		if props := r.unknown[res]; len(props) > 0 {
			parts := make([]string, len(props))
			for i, p := range props {
				parts[i] = p + " is not known until update"
			}
			prefix, fix := "cannot be verified during preview: ", UnknownInPreviewFix
			if !r.env.DryRun {
				prefix, fix = "cannot be verified: ", UnknownInUpdateFix
			}
			r.unverifiable(res, fix, prefix+strings.Join(parts, "; "))
		}
		if notes := r.invalid[res]; len(notes) > 0 {
			problems := make([]string, len(notes))
			for i, n := range notes {
				problems[i] = n.problem
			}
			r.unverifiable(res, malformedFix(notes), "cannot be verified: "+strings.Join(problems, "; ")+
				"; the value does not have the shape the provider expects")
		}
	}
	for i := range r.findings {
		f := &r.findings[i]
		if f.Kind != PolicyError {
			if reason, ok := exemption(r.policy, r.config, f.Resource); ok {
				f.Exempted = reason
				f.Level = Advisory
			}
		}
		f.Message = compose(f)
	}
	return r.findings
}

func compose(f *Finding) string {
	var b strings.Builder
	if f.Exempted != "" {
		b.WriteString("Exempted (")
		b.WriteString(f.Exempted)
		b.WriteString("), shown as advisory. ")
	}
	if f.Kind != PolicyError {
		if f.Resource != nil {
			b.WriteString(f.Resource.Label())
		} else {
			b.WriteString("Stack")
		}
		b.WriteString(": ")
	}
	b.WriteString(f.What)
	if f.Kind != PolicyError {
		why := f.Why
		if why == "" {
			why = f.Policy.Reason()
		}
		b.WriteString("\nWhy: ")
		b.WriteString(why)
		if f.Kind != BadExemption {
			b.WriteString(" (")
			b.WriteString(f.Policy.Section.Title)
			b.WriteString(": ")
			b.WriteString(f.Policy.Section.URL)
			b.WriteString(")")
		}
		b.WriteString(".\nFix: ")
		b.WriteString(f.Fix)
	}
	return b.String()
}

var exemptTagPath = props.Path{{Key: "tags"}, {Key: ExemptTag}}

// exemption reports whether the config's exclude list or the resource's
// exempt tag exempts res from p, and why.
func exemption(p *Policy, c *Config, res *graph.Resource) (string, bool) {
	if res == nil {
		return "", false
	}
	for _, e := range c.exclude {
		if (e.re == nil && e.raw == res.URN) || (e.re != nil && e.re.MatchString(res.Name)) {
			return fmt.Sprintf("policy config %s.exclude entry %q", p.Name, e.raw), true
		}
	}
	v := exemptTag(res)
	if v.IsUnknown() {
		// A tag the program computes from an output: it may exempt the
		// resource, so no mandatory verdict until it is known.
		return fmt.Sprintf("tag %s is not known until update and may exempt the resource", ExemptTag), true
	}
	tag, ok := v.Str()
	if !ok {
		return "", false
	}
	names, reason := parseExemptTag(tag)
	for _, n := range names {
		if n == p.Name {
			if reason == "" {
				reason = "no reason given"
			}
			return fmt.Sprintf("tag %s: %s", ExemptTag, reason), true
		}
	}
	return "", false
}

// exemptTag is the resource's exempt tag: its input, else its output. Only
// an unknown input is returned as unknown: in preview a provider reports
// outputs it has not computed yet as unknown, tagged or not.
func exemptTag(res *graph.Resource) props.Value {
	v := res.Props.Get(exemptTagPath)
	if v.IsNull() {
		v = res.Outputs.Get(exemptTagPath)
		if v.IsUnknown() {
			return props.NewNull()
		}
	}
	return v
}

// parseExemptTag splits "policy-a, policy-b: reason" into the policy names
// (trimmed, empty ones dropped) and the trimmed reason.
func parseExemptTag(tag string) (names []string, reason string) {
	list, reason, _ := strings.Cut(tag, ":")
	for _, n := range strings.Split(list, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	return names, strings.TrimSpace(reason)
}

// sortFindings orders findings by policy, resource and message so output is
// stable whatever order maps iterate in.
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		if a.Policy.Name != b.Policy.Name {
			return a.Policy.Name < b.Policy.Name
		}
		if a.URN() != b.URN() {
			return a.URN() < b.URN()
		}
		return a.Message < b.Message
	})
}
