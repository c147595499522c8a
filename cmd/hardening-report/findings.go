package main

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// Enforcement levels as engine events spell them.
const (
	levelMandatory = "mandatory"
	levelAdvisory  = "advisory"
	levelRemediate = "remediate"
	levelDisabled  = "disabled"
)

// Section is a part of the hardening guide.
type Section struct {
	Tag   string `json:"tag"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Control is a control of another standard that a policy matches.
type Control struct {
	// ID is the control as a policy tag: "aws-fsbp:RDS.3".
	ID    string `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Suppression says why a finding does not count.
type Suppression struct {
	// Kind is "inSource" for an exemption written in the program (the
	// resource's exempt tag), "external" for one in configuration (the
	// policy's exclude list, a Pulumi policy exception).
	Kind   string `json:"kind"`
	Reason string `json:"reason"`
}

// Location is where in the repository a finding points.
type Location struct {
	// URI is a path relative to the source root, with forward slashes.
	URI    string `json:"uri"`
	Line   int    `json:"line"`
	Column int    `json:"column,omitempty"`
	// FromSource is set when the line is the resource's own source position.
	FromSource bool `json:"fromSource"`
}

// Finding is one policy event, normalised, with the pack's metadata for the
// events of this pack.
type Finding struct {
	Policy      string `json:"policy"`
	Pack        string `json:"pack"`
	PackVersion string `json:"packVersion,omitempty"`
	// Level is the enforcement level the engine reported.
	Level string `json:"level"`
	// Severity is low, medium, high or critical; "" when unspecified.
	Severity string `json:"severity,omitempty"`
	// URN is the resource's URN (the stack's for a stack finding, when the
	// log names it).
	URN  string `json:"urn,omitempty"`
	Type string `json:"type,omitempty"`
	Name string `json:"name,omitempty"`
	// Message is the policy's whole message; Summary its first part (what is
	// wrong) and Fix how to fix it, where the message has them.
	Message string `json:"message"`
	Summary string `json:"summary"`
	Fix     string `json:"fix,omitempty"`
	// Section and Controls come from the pack (this pack's policies only).
	Section     *Section     `json:"section,omitempty"`
	Controls    []Control    `json:"controls,omitempty"`
	Suppression *Suppression `json:"suppression,omitempty"`
	// Fingerprint identifies the finding across runs: a digest of the pack,
	// the policy and the URN.
	Fingerprint string    `json:"fingerprint"`
	Location    *Location `json:"location,omitempty"`

	meta *policy.Policy
}

// Blocking reports whether the finding fails the operation: mandatory and
// not suppressed.
func (f *Finding) Blocking() bool {
	return (f.Level == levelMandatory || f.Level == levelRemediate) && f.Suppression == nil
}

// ours reports whether the pack is this one.
func ours(pack string) bool { return pack == policies.Name }

// normalise turns the log's policy events into findings: exact repeats
// dropped, this pack's enriched, sorted, fingerprinted.
func normalise(l *engineLog, pack *policy.Pack) []Finding {
	seen := map[string]bool{}
	var out []Finding
	for _, e := range l.Policies {
		key := strings.Join([]string{e.PolicyPackName, e.PolicyName, e.ResourceURN, e.EnforcementLevel,
			e.Severity, e.Message}, "\x00")
		for _, x := range e.Exceptions {
			key += "\x00" + x.ID
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, finding(e, l.StackURN, pack))
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		if a.Pack != b.Pack {
			return ours(a.Pack) || (!ours(b.Pack) && a.Pack < b.Pack)
		}
		if a.Policy != b.Policy {
			return a.Policy < b.Policy
		}
		if a.URN != b.URN {
			return a.URN < b.URN
		}
		return a.Message < b.Message
	})
	fingerprint(out)
	return out
}

func finding(e apitype.PolicyEvent, stackURN string, pack *policy.Pack) Finding {
	f := Finding{
		Policy: e.PolicyName, Pack: e.PolicyPackName, PackVersion: e.PolicyPackVersion,
		Level: e.EnforcementLevel, Severity: e.Severity, URN: e.ResourceURN, Message: e.Message,
	}
	if f.URN == "" {
		f.URN = stackURN
	}
	f.Type, f.Name = splitURN(f.URN)
	if f.URN == "" {
		f.Type, f.Name = stackType, "stack"
	}
	body := f.Message
	if ours(f.Pack) {
		if reason, rest, ok := exemptedPrefix(body); ok {
			f.Suppression = &Suppression{Kind: exemptionKind(reason), Reason: reason}
			body = rest
		}
	}
	f.Summary, f.Fix = splitMessage(body)
	if len(e.Exceptions) > 0 && f.Suppression == nil {
		parts := make([]string, len(e.Exceptions))
		for i, x := range e.Exceptions {
			parts[i] = "policy exception " + x.ID + ": " + x.Reason
		}
		f.Suppression = &Suppression{Kind: "external", Reason: strings.Join(parts, "; ")}
	}
	if ours(f.Pack) && pack != nil {
		if p := pack.Policy(f.Policy); p != nil {
			f.meta = p
			if f.Severity == "" {
				f.Severity = p.Severity.String()
			}
			f.Section = &Section{Tag: p.Section.Tag, Title: p.Section.Title, URL: p.Section.URL}
			for _, c := range p.Controls {
				f.Controls = append(f.Controls, Control{ID: c.Tag(), Title: c.Title, URL: c.URL})
			}
			if f.Fix == "" {
				f.Fix = p.Remediation
			}
		}
	}
	return f
}

// splitURN returns the type and the name of urn:pulumi:stack::project::type::name
// (the type the last of a parent$child chain; the name may hold "::").
func splitURN(urn string) (typ, name string) {
	rest, ok := strings.CutPrefix(urn, "urn:pulumi:")
	if !ok {
		return "", ""
	}
	parts := strings.SplitN(rest, "::", 4)
	if len(parts) != 4 {
		return "", ""
	}
	qualified := parts[2]
	if i := strings.LastIndex(qualified, "$"); i >= 0 {
		qualified = qualified[i+1:]
	}
	return qualified, parts[3]
}

// The form policy.compose gives an exempted finding's message:
// "Exempted (<reason>), shown as advisory. <the message>".
const (
	exemptedStart = "Exempted ("
	exemptedEnd   = "), shown as advisory. "
)

func exemptedPrefix(msg string) (reason, rest string, ok bool) {
	after, ok := strings.CutPrefix(msg, exemptedStart)
	if !ok {
		return "", msg, false
	}
	reason, rest, ok = strings.Cut(after, exemptedEnd)
	if !ok {
		return "", msg, false
	}
	return reason, rest, true
}

// exemptionKind: the exempt tag is written in the program; an exclude entry
// is in the policy pack's configuration.
func exemptionKind(reason string) string {
	if strings.HasPrefix(reason, "tag "+policy.ExemptTag) {
		return "inSource"
	}
	return "external"
}

// splitMessage splits the pack's "<what>\nWhy: ...\nFix: <fix>" message.
// Another pack's message is all summary.
func splitMessage(msg string) (summary, fix string) {
	summary = msg
	if i := strings.Index(msg, "\nFix: "); i >= 0 {
		fix = strings.TrimSpace(msg[i+len("\nFix: "):])
		summary = msg[:i]
	}
	if i := strings.Index(summary, "\nWhy: "); i >= 0 {
		summary = summary[:i]
	}
	return strings.TrimSpace(summary), fix
}

// fingerprintKey names the fingerprint in SARIF's partialFingerprints.
const fingerprintKey = "pulumiPolicyUrnHash/v1"

// fingerprint gives each finding a digest of its pack, policy and URN. A
// second finding of the same policy on the same resource (in message order)
// gets its rank mixed in, so each stays a separate alert.
func fingerprint(fs []Finding) {
	rank := map[string]int{}
	for i := range fs {
		f := &fs[i]
		key := f.Pack + "\x00" + f.Policy + "\x00" + f.URN
		n := rank[key]
		rank[key]++
		if n > 0 {
			key += "\x00" + strconv.Itoa(n)
		}
		sum := sha256.Sum256([]byte(key))
		f.Fingerprint = hex.EncodeToString(sum[:16])
	}
}
