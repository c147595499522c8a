package policy

import (
	"fmt"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
)

// Fix is what a check attaches to a violation it reports: the text that
// tells the user how to fix that finding ("" for the policy's
// Remediation), and the edits that fix it at enforcement level remediate,
// where that is safe: in place, on the resource's own properties, never
// replacing a stateful resource or losing data. As in go/analysis's
// SuggestedFix, an edit changes only what the check reported.
type Fix struct {
	Text  string
	Edits []Edit
	// Why, when set, is this finding's own reason, in place of the
	// policy's (the guide's section is still named).
	Why string
}

// Edit sets the property at Path (from the resource's top) to Value, a Go
// value as props.FromGo takes.
type Edit struct {
	Path  string
	Value any
}

// Report reports that the resource breaks the policy, with the fix for
// this finding.
func (c *ResourceContext) Report(fix Fix, format string, args ...any) {
	c.run.violationWith(c.Resource, fix, fmt.Sprintf(format, args...))
}

// Report reports that resource r breaks the policy, with the fix for this
// finding. A stack policy's edits are never applied (only resource
// policies remediate); its fix text is shown.
func (c *StackContext) Report(r *graph.Resource, fix Fix, format string, args ...any) {
	c.run.violationWith(r, fix, fmt.Sprintf(format, args...))
}

func (r *run) violationWith(res *graph.Resource, fix Fix, what string) {
	r.violation(res, fix.Text, what)
	f := &r.findings[len(r.findings)-1]
	f.Edits, f.Why = fix.Edits, fix.Why
}

// Remediates reports whether the policy fixes what it finds at enforcement
// level remediate: a resource policy whose check attaches edits (Fixes says
// which, for the docs).
func (p *Policy) Remediates() bool { return p.Resource != nil && p.Fixes != "" }
