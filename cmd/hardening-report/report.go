package main

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// report is what every format writes: the findings of one log and the rules
// (policies) they belong to.
type report struct {
	Findings []Finding
	Rules    []*rule
	// Problem says why the operation's findings may be incomplete ("" when
	// it ran to its end).
	Problem string
	log     *engineLog
}

// rule is one policy of one pack.
type rule struct {
	ID          string
	Pack        string
	Policy      string
	PackVersion string
	// Meta is this pack's policy; nil for another pack's.
	Meta *policy.Policy
	// Severity of another pack's policy, as its events give it.
	Severity string
	// Level is the SARIF default level.
	Level string
}

// ruleID is the policy's name for this pack's policies and pack/policy for
// another pack's, so two packs' policies of one name stay apart.
func ruleID(pack, name string) string {
	if ours(pack) {
		return name
	}
	return pack + "/" + name
}

// build makes the report of a log: this pack's policies are all rules when
// the log names the pack; another pack's policies are rules when they have
// findings.
func build(l *engineLog, pack *policy.Pack, loc *locator) *report {
	r := &report{Findings: normalise(l, pack), log: l}
	byID := map[string]*rule{}
	if _, ran := l.Packs[policies.Name]; ran && pack != nil {
		for _, p := range pack.Policies {
			ru := &rule{ID: p.Name, Pack: policies.Name, Policy: p.Name, PackVersion: l.Packs[policies.Name],
				Meta: p, Level: sarifLevel(p.Level.String())}
			byID[ru.ID] = ru
			r.Rules = append(r.Rules, ru)
		}
	}
	var extra []*rule
	for i := range r.Findings {
		f := &r.Findings[i]
		f.Location = loc.locate(f.URN)
		id := ruleID(f.Pack, f.Policy)
		ru := byID[id]
		if ru == nil {
			ru = &rule{ID: id, Pack: f.Pack, Policy: f.Policy, PackVersion: f.PackVersion, Meta: f.meta,
				Level: "warning"}
			byID[id] = ru
			extra = append(extra, ru)
		}
		if ru.Severity == "" {
			ru.Severity = f.Severity
		}
		if lvl := sarifLevel(f.Level); lvl == "error" && f.Suppression == nil {
			ru.Level = lvl
		}
	}
	sort.Slice(extra, func(i, j int) bool { return extra[i].ID < extra[j].ID })
	r.Rules = append(r.Rules, extra...)
	r.Problem = problem(l, r.Findings)
	return r
}

// Blocking counts the findings that fail the operation.
func (r *report) Blocking() int {
	n := 0
	for i := range r.Findings {
		if r.Findings[i].Blocking() {
			n++
		}
	}
	return n
}

// problem says why the findings may be incomplete, or "".
func problem(l *engineLog, fs []Finding) string {
	blocking := false
	for i := range fs {
		blocking = blocking || fs[i].Blocking()
	}
	switch {
	case l.Summary != nil && l.Summary.Result == apitype.OperationResultCanceled:
		return "the operation was cancelled: the findings may be incomplete"
	case l.Summary == nil:
		return "the log has no summary event: the operation did not finish or the log is incomplete, " +
			"so the findings may be incomplete"
	case l.Failed() && !blocking:
		return fmt.Sprintf("the operation failed (%d error diagnostics; see the CLI's output) for a reason "+
			"other than a mandatory policy finding: the findings may be incomplete", l.Errors)
	}
	return ""
}

// sarifLevel maps an enforcement level to a SARIF level.
func sarifLevel(level string) string {
	switch level {
	case levelMandatory, levelRemediate:
		return "error"
	case levelDisabled:
		return "none"
	}
	return "warning"
}

// securitySeverity maps a severity to GitHub's security-severity score
// (critical above 9.0, high 7.0 to 8.9, medium 4.0 to 6.9, low 0.1 to 3.9);
// "" for an unspecified severity.
func securitySeverity(s string) string {
	switch s {
	case "critical":
		return "9.5"
	case "high":
		return "8.0"
	case "medium":
		return "5.5"
	case "low":
		return "3.0"
	}
	return ""
}
