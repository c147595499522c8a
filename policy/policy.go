// Package policy is the framework the pack's policies are written in: a
// policy is one value carrying its metadata (severity, guide section,
// remediation, config schema) and a check function; a Pack holds them, checks
// their metadata once, and runs them against resources and stacks.
//
// The runner, not each policy, owns the behaviour every policy must share:
// recovering from a panic, the advisory for values unknown during preview,
// exemptions, message layout and keeping secret values out of messages.
package policy

import (
	"fmt"
	"regexp"
	"strings"
)

// Severity of a policy and of its findings.
type Severity int

// Severities, lowest first.
const (
	Low Severity = iota + 1
	Medium
	High
	Critical
)

func (s Severity) String() string {
	switch s {
	case Low:
		return "low"
	case Medium:
		return "medium"
	case High:
		return "high"
	case Critical:
		return "critical"
	}
	return "unspecified"
}

// Level is an enforcement level.
type Level int

// Enforcement levels. Mandatory findings fail the preview.
const (
	Advisory Level = iota + 1
	Mandatory
	Disabled
	// Remediate is mandatory for a policy with no Remediate hook; a policy
	// with one fixes the resource's inputs before the engine analyses them,
	// and its violations that remain are mandatory.
	Remediate
)

func (l Level) String() string {
	switch l {
	case Advisory:
		return "advisory"
	case Mandatory:
		return "mandatory"
	case Disabled:
		return "disabled"
	case Remediate:
		return "remediate"
	}
	return "unspecified"
}

// enforced is the level a violation is reported at: remediate reports what
// remediation left (or could not fix) as mandatory, as the engine does.
func (l Level) enforced() Level {
	if l == Remediate {
		return Mandatory
	}
	return l
}

// Section is a section of the guide a pack enforces (the pack defines its
// guide's sections). Tag is the policy tag Pulumi Cloud shows; URL is the
// section's link, also the specification of the policies' compliance
// framework; Why is the guide's reason, used in every message of the
// section's policies.
type Section struct {
	Tag   string
	Title string
	URL   string
	Why   string
}

// Guide is the compliance framework a pack's policies implement, set once on
// the pack: its name and version.
type Guide struct {
	Name    string
	Version string
}

// Framework is the compliance framework entry of one policy, as Pulumi
// Cloud's compliance view groups results: the framework's name and version
// (the pack's Guide), the part of it the policy implements (the policy's
// Reference) and that part's URL (Specification: the policy's section URL).
// Pack.FrameworkOf derives it.
type Framework struct {
	Name          string
	Version       string
	Reference     string
	Specification string
}

// Control is a control of another standard that a policy matches, such as
// an AWS Security Hub control. It becomes the policy tag Standard:ID.
type Control struct {
	// Standard is the tag prefix of the standard, e.g. "aws-fsbp".
	Standard string
	// ID is the control's id in the standard, e.g. "RDS.3".
	ID string
	// Title is the control's short title.
	Title string
	// URL is the standard's page that documents the control.
	URL string
}

// Tag is the policy tag naming the control: "aws-fsbp:RDS.3".
func (c Control) Tag() string { return c.Standard + ":" + c.ID }

var (
	tagPartRE   = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	controlIDRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*\.[0-9]+$`)
)

const httpsPrefix = "https://"

// Policy is one policy of the pack.
type Policy struct {
	// Name is the policy's id: lower-case words joined by hyphens. Users
	// write it in --policy-pack-config files and exemption tags.
	Name string
	// DisplayName is the title Pulumi Cloud shows.
	DisplayName string
	// Description says in one sentence what the policy requires.
	Description string
	// Section is the part of the hardening guide the policy enforces.
	Section Section
	// Why overrides Section.Why when the policy needs a sharper reason.
	Why string
	// Level is the default enforcement level (Advisory or Mandatory).
	Level Level
	// Severity of the policy's violations.
	Severity Severity
	// Remediation says how to fix a violation.
	Remediation string
	// Params are the policy's own config properties. Every policy also takes
	// "exclude" (see ExcludeParam).
	Params []Param

	// Reference names the part of the pack's guide the policy implements,
	// e.g. "Encryption: at rest" (required): the Reference of its compliance
	// framework (see Pack.FrameworkOf).
	Reference string
	// Controls are the controls of other standards the policy matches; each
	// becomes a tag and a line of the generated docs.
	Controls []Control

	// Types are the resource type tokens a resource policy looks at.
	Types []string
	// Resource checks one resource. Set it, or Stack, or both.
	Resource func(*ResourceContext)
	// Stack checks the whole stack.
	Stack func(*StackContext)

	// Fixes says, for the docs, exactly what the edits a resource check
	// attaches to its violations change at enforcement level remediate
	// (Fix). A policy without it is mandatory at level remediate.
	Fixes string
}

// Tags are the policy's tags for Pulumi Cloud: the guide section's, then
// one per control.
func (p *Policy) Tags() []string {
	out := make([]string, 0, 1+len(p.Controls))
	out = append(out, p.Section.Tag)
	for _, c := range p.Controls {
		out = append(out, c.Tag())
	}
	return out
}

// Reason returns the policy's why.
func (p *Policy) Reason() string {
	if p.Why != "" {
		return p.Why
	}
	return p.Section.Why
}

// ExemptTag is the resource tag that exempts a resource from policies:
// "policy-a,policy-b: reason".
const ExemptTag = "selfhosted-hardening:exempt"

// ExcludeParam is the config property every policy takes.
var ExcludeParam = Param{
	Name: "exclude",
	Description: "Resources this policy does not judge: full-match regular expressions over the " +
		"resource's logical name, or exact URNs (urn:pulumi:...). Their findings are still shown, as advisory.",
	Type: StringList,
	Item: Regex,
}

var nameRE = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

func (p *Policy) validate() error {
	switch {
	case !nameRE.MatchString(p.Name):
		return fmt.Errorf("policy name %q: want lower-case words joined by hyphens", p.Name)
	case p.DisplayName == "" || p.Description == "" || p.Remediation == "":
		return fmt.Errorf("policy %s: display name, description and remediation are required", p.Name)
	case p.Section.Tag == "" || !strings.HasPrefix(p.Section.URL, httpsPrefix):
		return fmt.Errorf("policy %s: no guide section (a tag and an https URL are required)", p.Name)
	case p.Reference == "":
		return fmt.Errorf("policy %s: no guide reference: set Reference to the part of the guide it implements",
			p.Name)
	case p.Level != Advisory && p.Level != Mandatory:
		return fmt.Errorf("policy %s: default level must be advisory or mandatory", p.Name)
	case p.Severity < Low || p.Severity > Critical:
		return fmt.Errorf("policy %s: no severity", p.Name)
	case p.Resource == nil && p.Stack == nil:
		return fmt.Errorf("policy %s: neither a resource nor a stack check", p.Name)
	case p.Resource != nil && len(p.Types) == 0:
		return fmt.Errorf("policy %s: a resource check needs Types", p.Name)
	case p.Fixes != "" && p.Resource == nil:
		return fmt.Errorf("policy %s: only a resource policy can remediate (Fixes needs a resource check)", p.Name)
	}
	seenTag := map[string]bool{}
	for _, c := range p.Controls {
		switch {
		case !tagPartRE.MatchString(c.Standard) || !controlIDRE.MatchString(c.ID):
			return fmt.Errorf("policy %s: control %q: want a standard like aws-fsbp and an id like RDS.3",
				p.Name, c.Tag())
		case c.Title == "" || !strings.HasPrefix(c.URL, httpsPrefix):
			return fmt.Errorf("policy %s: control %s needs its title and the https URL of its documentation",
				p.Name, c.Tag())
		case seenTag[c.Tag()]:
			return fmt.Errorf("policy %s: control %s is listed twice", p.Name, c.Tag())
		}
		seenTag[c.Tag()] = true
	}
	seen := map[string]bool{ExcludeParam.Name: true, "enforcementLevel": true}
	for _, prm := range p.Params {
		if seen[prm.Name] {
			return fmt.Errorf("policy %s: config property %q is reserved or repeated", p.Name, prm.Name)
		}
		seen[prm.Name] = true
		if err := prm.validate(); err != nil {
			return fmt.Errorf("policy %s: %w", p.Name, err)
		}
	}
	return nil
}

// AllParams returns the policy's params followed by the common ones.
func (p *Policy) AllParams() []Param {
	out := make([]Param, 0, len(p.Params)+1)
	out = append(out, p.Params...)
	return append(out, ExcludeParam)
}

// Kind of a policy for the engine: resource (checks one resource) or stack.
func (p *Policy) Kind() string {
	if p.Resource != nil {
		return "resource"
	}
	return "stack"
}
