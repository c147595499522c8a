package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
)

// repoURL is the pack's home, the SARIF tool's information URI.
const repoURL = "https://github.com/selfhosted-hardening/selfhosted-hardening"

// srcRoot is the uriBaseId of every location: the repository's root, which
// --source-root names and GitHub resolves to the checkout.
const srcRoot = "%SRCROOT%"

// writeSARIF writes the report as SARIF 2.1.0 for GitHub code scanning.
func writeSARIF(w io.Writer, r *report) error {
	version := policies.Version
	if v := r.log.Packs[policies.Name]; v != "" {
		version = v
	}
	run := sarif.NewRunWithInformationURI(policies.Name, repoURL)
	run.Tool.Driver.WithVersion(version).WithSemanticVersion(version).
		WithFullName("selfhosted-hardening policy findings (Pulumi CrossGuard), reported by hardening-report")
	for _, ru := range r.Rules {
		run.Tool.Driver.AddRule(sarifRule(ru))
	}
	for i := range r.Findings {
		sarifResult(run, &r.Findings[i])
	}
	inv := sarif.NewInvocation().WithExecutionSuccessful(r.Problem == "")
	if r.Problem != "" {
		inv.AddToolExecutionNotification(sarif.NewNotification().
			WithLevel("warning").WithMessage(sarif.NewTextMessage(r.Problem)))
	}
	run.AddInvocation(inv)
	rep := sarif.NewReport()
	rep.AddRun(run)
	return rep.PrettyWrite(w)
}

func sarifRule(ru *rule) *sarif.ReportingDescriptor {
	d := sarif.NewRule(ru.ID).WithName(camel(ru.Policy))
	props := sarif.NewPropertyBag()
	props.AddTag("security")
	severity := ru.Severity
	if p := ru.Meta; p != nil {
		severity = p.Severity.String()
		d.WithShortDescription(sarif.NewMultiformatMessageString().WithText(p.DisplayName))
		d.WithFullDescription(sarif.NewMultiformatMessageString().WithText(p.Description))
		d.WithHelpURI(p.Section.URL)
		d.WithHelp(sarif.NewMultiformatMessageString().WithText(helpText(ru)).WithMarkdown(helpMarkdown(ru)))
		for _, t := range p.Tags() {
			props.AddTag(t)
		}
		props.Add("guideSection", p.Section.Title)
		fw := policies.Pack().FrameworkOf(p)
		props.Add("framework", fw.Name+" "+fw.Version+": "+fw.Reference)
	} else {
		text := fmt.Sprintf("Policy %s of the policy pack %s.", ru.Policy, ru.Pack)
		d.WithShortDescription(sarif.NewMultiformatMessageString().WithText(ru.Policy))
		d.WithFullDescription(sarif.NewMultiformatMessageString().WithText(text))
		d.WithHelp(sarif.NewMultiformatMessageString().WithText(text + " See the pack's documentation."))
		props.AddTag(ru.Pack)
	}
	if s := securitySeverity(severity); s != "" {
		props.Add("security-severity", s)
	}
	d.WithProperties(props)
	d.WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(ru.Level))
	return d
}

func helpText(ru *rule) string {
	p := ru.Meta
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\nFix: %s\n\nWhy: %s.\n\nGuide: %s, %s\n", p.Description, p.Remediation, p.Reason(),
		p.Section.Title, p.Section.URL)
	for _, c := range p.Controls {
		fmt.Fprintf(&b, "Control %s: %s (%s)\n", c.Tag(), c.Title, c.URL)
	}
	fmt.Fprintf(&b, "Severity: %s. Default enforcement level: %s. To exempt one resource, tag it %s: \"%s: <reason>\".",
		p.Severity, p.Level, "selfhosted-hardening:exempt", p.Name)
	return b.String()
}

func helpMarkdown(ru *rule) string {
	p := ru.Meta
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n**Fix:** %s\n\n**Why:** %s ([%s](%s)).\n\n", md(p.Description), md(p.Remediation),
		md(p.Reason()), md(p.Section.Title), p.Section.URL)
	if len(p.Controls) > 0 {
		b.WriteString("**Controls:**\n\n")
		for _, c := range p.Controls {
			fmt.Fprintf(&b, "- [%s](%s): %s\n", c.Tag(), c.URL, md(c.Title))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "Severity: %s. Default enforcement level: %s. To exempt one resource, tag it "+
		"`selfhosted-hardening:exempt` with `%s: <reason>`.", p.Severity, p.Level, p.Name)
	return b.String()
}

func sarifResult(run *sarif.Run, f *Finding) *sarif.Result {
	res := run.CreateResultForRule(ruleID(f.Pack, f.Policy)).
		WithLevel(sarifLevel(f.Level)).
		WithMessage(sarif.NewTextMessage(f.Message))
	region := sarif.NewRegion().WithStartLine(f.Location.Line)
	if f.Location.Column > 0 {
		region.WithStartColumn(f.Location.Column)
	}
	phys := sarif.NewPhysicalLocation().
		WithArtifactLocation(sarif.NewArtifactLocation().WithURI(f.Location.URI).WithURIBaseID(srcRoot)).
		WithRegion(region)
	logical := sarif.NewLogicalLocation().WithName(f.Name).WithKind("resource")
	if f.URN != "" {
		logical.WithFullyQualifiedName(f.URN)
	}
	res.AddLocation(sarif.NewLocationWithPhysicalLocation(phys).AddLogicalLocation(logical))
	res.WithPartialFingerprints(map[string]string{fingerprintKey: f.Fingerprint})
	if s := f.Suppression; s != nil {
		res.AddSuppression(sarif.NewSuppression().WithKind(s.Kind).WithStatus("accepted").WithJustification(s.Reason))
	}
	props := sarif.NewPropertyBag().Add("policyPack", f.Pack).Add("enforcementLevel", f.Level)
	if f.URN != "" {
		props.Add("urn", f.URN)
	}
	if f.Severity != "" {
		props.Add("severity", f.Severity)
	}
	res.WithProperties(props)
	return res
}

// camel turns a policy name into an identifier: rds-storage-encrypted is
// RdsStorageEncrypted.
func camel(name string) string {
	var b strings.Builder
	upper := true
	for _, c := range name {
		switch {
		case c == '-' || c == '_' || c == '/' || c == ' ' || c == '.':
			upper = true
		case upper && c >= 'a' && c <= 'z':
			b.WriteRune(c - 'a' + 'A')
			upper = false
		default:
			b.WriteRune(c)
			upper = false
		}
	}
	return b.String()
}
