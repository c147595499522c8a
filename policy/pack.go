package policy

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Pack is a set of policies with a name and version.
type Pack struct {
	Name        string
	DisplayName string
	Version     string
	Description string
	// Guide is the compliance framework every policy of the pack implements;
	// each policy names its part (Reference). See FrameworkOf.
	Guide    Guide
	Policies []*Policy

	// Readme is the pack's README as Pulumi Cloud shows it (Markdown).
	Readme string
	// Repository is the URL of the pack's source repository.
	Repository string
	// Provider is the cloud provider the pack is for ("aws").
	Provider string
	// Tags are the pack's tags.
	Tags []string
	// PhysicalNames lists, per type token, the outputs that hold a
	// resource's physical name: the graph indexes them (graph.IndexNames)
	// before the stack policies run.
	PhysicalNames map[string][]string

	byName map[string]*Policy
	byType map[string][]*Policy
	stack  []*Policy
	// public is the pack's own text (names, descriptions, remediations,
	// reasons, type tokens): words a message may hold whatever the inputs.
	public string
}

// NewPack checks every policy's metadata and refuses duplicate names, so a
// pack that builds is a pack whose metadata is complete. guide is the
// compliance framework the policies implement: its name and version are
// required.
func NewPack(name, displayName, version, description string, guide Guide, policies ...*Policy) (*Pack, error) {
	if guide.Name == "" || guide.Version == "" {
		return nil, fmt.Errorf("pack %s: no guide: the compliance framework's name and version are required", name)
	}
	p := &Pack{
		Name: name, DisplayName: displayName, Version: version, Description: description, Guide: guide,
		byName: map[string]*Policy{}, byType: map[string][]*Policy{},
	}
	for _, pol := range policies {
		if err := pol.validate(); err != nil {
			return nil, err
		}
		if p.byName[pol.Name] != nil {
			return nil, fmt.Errorf("policy %s is defined twice", pol.Name)
		}
		p.byName[pol.Name] = pol
		p.Policies = append(p.Policies, pol)
		if pol.Resource != nil {
			for _, t := range pol.Types {
				p.byType[t] = append(p.byType[t], pol)
			}
		}
		if pol.Stack != nil {
			p.stack = append(p.stack, pol)
		}
	}
	sort.Slice(p.Policies, func(i, j int) bool { return p.Policies[i].Name < p.Policies[j].Name })
	p.public = publicText(p)
	return p, nil
}

func publicText(p *Pack) string {
	var b strings.Builder
	b.WriteString("urn:pulumi: pulumi:pulumi:Stack pulumi config set --secret cannot be verified during preview " +
		"is not known until update Exempted shown as advisory Why: Fix: ")
	for _, s := range []string{UnknownInPreviewFix, UnknownInUpdateFix, malformedFix(nil)} {
		b.WriteString(s + "\n")
	}
	for _, s := range []string{p.Name, p.DisplayName, p.Description} {
		b.WriteString(s + "\n")
	}
	for _, pol := range p.Policies {
		for _, s := range []string{pol.Name, pol.DisplayName, pol.Description, pol.Reason(), pol.Remediation,
			pol.Section.Title, pol.Section.URL, DefaultUnverifiableFix(pol)} {
			b.WriteString(s + "\n")
		}
		for _, t := range pol.Types {
			b.WriteString(t + "\n")
		}
		for _, prm := range pol.AllParams() {
			b.WriteString(prm.Name + " " + prm.Description + "\n")
		}
	}
	return b.String()
}

// IsPublic reports whether a secret value s cannot be kept out of messages
// because it is also ordinary text: shorter than MinRedactLen, or part of the
// pack's own wording, the type tokens it matches, URNs' fixed parts, or the
// stack's organization, project and stack names. A secret "pulumi" (the
// self-hosted installers make the database user name a secret) is such a
// value. Every other secret value is cut out of every message.
func (p *Pack) IsPublic(env *Env, s string) bool {
	if len(s) < MinRedactLen || strings.Contains(p.public, s) {
		return true
	}
	if env != nil {
		for _, n := range []string{env.Organization, env.Project, env.Stack} {
			if strings.Contains(n, s) {
				return true
			}
		}
	}
	return false
}

// FrameworkOf returns the compliance framework entry of a policy of the
// pack: the pack's guide name and version, the policy's reference, and its
// section's URL as the specification.
func (p *Pack) FrameworkOf(pol *Policy) Framework {
	return Framework{
		Name: p.Guide.Name, Version: p.Guide.Version, Reference: pol.Reference, Specification: pol.Section.URL,
	}
}

// Policy returns the named policy, or nil.
func (p *Pack) Policy(name string) *Policy { return p.byName[name] }

// Names returns the policy names in order.
func (p *Pack) Names() []string {
	out := make([]string, len(p.Policies))
	for i, pol := range p.Policies {
		out[i] = pol.Name
	}
	return out
}

// NotApplicable returns the resource policies that do not look at
// resources of type t, so the engine can report them as not applicable
// rather than passed.
func (p *Pack) NotApplicable(t string) []*Policy {
	var out []*Policy
	for _, pol := range p.Policies {
		if pol.Resource != nil && !slices.Contains(pol.Types, t) {
			out = append(out, pol)
		}
	}
	return out
}

// WantsType reports whether any resource policy looks at resources of type t.
func (p *Pack) WantsType(t string) bool { return len(p.byType[t]) > 0 }

// Analyze runs the resource policies that look at r's type, and checks,
// whatever its type, that r's exemption tag names only policies of the pack.
func (p *Pack) Analyze(env *Env, cfg Configuration, r *graph.Resource) []Finding {
	var out []Finding
	for _, pol := range p.byType[r.Type] {
		c := cfg[pol.Name]
		if c == nil || c.Level == Disabled {
			continue
		}
		run := newRun(pol, env, c)
		ctx := &ResourceContext{
			Reader: Reader{res: r, run: run}, Policy: pol, Env: env, Config: c, Resource: r,
		}
		run.guard(r, func() { pol.Resource(ctx) })
		out = append(out, run.finish()...)
	}
	out = append(out, p.checkExemptTag(cfg, r)...)
	if len(out) > 0 {
		p.redact(out, env, r)
		sortFindings(out)
	}
	return out
}

// AnalyzeStack runs the stack policies over the graph.
func (p *Pack) AnalyzeStack(env *Env, cfg Configuration, g *graph.Graph) []Finding {
	g.IndexNames(p.PhysicalNames)
	var out []Finding
	for _, pol := range p.stack {
		c := cfg[pol.Name]
		if c == nil || c.Level == Disabled {
			continue
		}
		run := newRun(pol, env, c)
		ctx := &StackContext{Policy: pol, Env: env, Config: c, Graph: g, run: run}
		run.guard(nil, func() { pol.Stack(ctx) })
		out = append(out, run.finish()...)
	}
	if len(out) > 0 {
		p.redact(out, env, g.Resources()...)
		sortFindings(out)
	}
	return out
}

// MinRedactLen is the shortest secret value the safety net removes from
// messages; shorter ones would garble ordinary words. Policies never render
// secret values in the first place (props.Value.Describe shows "[secret]").
const MinRedactLen = 4

// redact is the last line of defence for "no message contains a secret
// value": every string that is a Pulumi secret in the analysed resources, and
// every secret stack config value, is cut out of the messages, unless it is
// public text (IsPublic).
func (p *Pack) redact(fs []Finding, env *Env, resources ...*graph.Resource) {
	secrets := map[string]bool{}
	if env != nil {
		for k := range env.SecretKeys {
			secrets[env.Config[k]] = true
		}
	}
	for _, r := range resources {
		collectSecrets(r.Props, false, secrets)
		collectSecrets(r.Outputs, false, secrets)
	}
	list := make([]string, 0, len(secrets))
	for s := range secrets {
		if !p.IsPublic(env, s) {
			list = append(list, s)
		}
	}
	if len(list) == 0 {
		return
	}
	// Longest first, so a secret that contains another goes whole.
	sort.Slice(list, func(i, j int) bool {
		if len(list[i]) != len(list[j]) {
			return len(list[i]) > len(list[j])
		}
		return list[i] < list[j]
	})
	pairs := make([]string, 0, 2*len(list))
	for _, s := range list {
		pairs = append(pairs, s, "[secret]")
	}
	rep := strings.NewReplacer(pairs...)
	for i := range fs {
		fs[i].Message = rep.Replace(fs[i].Message)
		fs[i].What = rep.Replace(fs[i].What)
		fs[i].Fix = rep.Replace(fs[i].Fix)
		fs[i].Exempted = rep.Replace(fs[i].Exempted)
	}
}

// collectSecrets adds the strings inside secret values of v to out,
// including the strings of JSON documents held in secret strings.
func collectSecrets(v props.Value, inSecret bool, out map[string]bool) {
	inSecret = inSecret || v.IsSecret()
	switch v.Kind() {
	case props.String:
		if s, _ := v.Str(); inSecret && s != "" {
			out[s] = true
			if len(s) > 1 && (s[0] == '{' || s[0] == '[') {
				if doc, err := props.ParseJSON([]byte(s)); err == nil {
					collectSecrets(doc, true, out)
				}
			}
		}
	case props.Array:
		items, _ := v.Array()
		for _, it := range items {
			collectSecrets(it, inSecret, out)
		}
	case props.Object:
		m, _ := v.Object()
		for _, it := range m {
			collectSecrets(it, inSecret, out)
		}
	}
}
