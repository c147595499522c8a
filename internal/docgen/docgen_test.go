package docgen_test

import (
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/docgen"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

func pack(t *testing.T) *policy.Pack {
	t.Helper()
	network := policy.Section{Tag: "network", Title: "Network security",
		URL: "https://guide.example/hardening#network-security", Why: "the guide asks for private networks"}
	fixer := &policy.Policy{
		Name: "fixer", DisplayName: "Fixer", Description: "Flag is off.", Section: network,
		Level: policy.Mandatory, Severity: policy.High, Remediation: "Turn it off.", Reference: "Network security",
		Controls: []policy.Control{{Standard: "aws-fsbp", ID: "RDS.2", Title: "No | public", URL: "https://docs.example/rds"}},
		Params:   []policy.Param{{Name: "level", Type: policy.String, Default: "low", Description: "How *much* <stack>."}},
		Types:    []string{"t:index:T"}, Resource: func(*policy.ResourceContext) {},
		Fixes: "sets flag to false",
	}
	reporter := &policy.Policy{
		Name: "reporter", DisplayName: "Reporter", Description: "Reports.", Section: network,
		Level: policy.Advisory, Severity: policy.Low, Remediation: "Fix.", Reference: "Network security",
		Stack: func(*policy.StackContext) {},
	}
	p, err := policy.NewPack("p", "The pack", "1.0.0", "Checks things.", policy.Guide{Name: "Guide", Version: "v1"}, fixer, reporter)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestIndexIsOneShortRowPerPolicy: the index links each policy to its
// section (in the page, or under a base URL), with its severity, default
// level, guide section (a reference link, defined once per section) and
// display name, and nothing longer.
func TestIndexIsOneShortRowPerPolicy(t *testing.T) {
	p := pack(t)
	for _, c := range []struct{ base, link string }{
		{"", "[`fixer`](#fixer)"},
		{"https://repo.example/x", "[`fixer`](https://repo.example/x#fixer)"},
	} {
		index := docgen.Index(p, c.base)
		for _, want := range []string{
			"| Policy | Severity | Default level | Guide section | Requires |",
			"| " + c.link + " | high | mandatory | [Network security][guide-network-security] | Fixer |",
			"\n\n[guide-network-security]: https://guide.example/hardening#network-security\n",
		} {
			if !strings.Contains(index, want) {
				t.Errorf("index lacks %q:\n%s", want, index)
			}
		}
		if rows := strings.Count(index, "\n|"); rows != 1+len(p.Policies) {
			t.Errorf("index has %d rows after its header, want one per policy:\n%s", rows, index)
		}
		if defs := strings.Count(index, "]: https://guide.example/"); defs != 1 {
			t.Errorf("index defines %d links to the guide, want one per section:\n%s", defs, index)
		}
		for _, long := range []string{"Flag is off.", "Turn it off.", "RDS.2"} {
			if strings.Contains(index, long) {
				t.Errorf("index holds %q, which belongs in the section", long)
			}
		}
	}
}

// TestSectionShowsEveryPart: a policy's section holds its requirement, why,
// config, what remediation does, its framework and controls, and the
// example, with the pack's text kept literal (no accidental Markdown).
func TestSectionShowsEveryPart(t *testing.T) {
	p := pack(t)
	ex := docgen.Example{
		Good:    docgen.Snippet{YAML: "resources: {}\n"},
		Bad:     docgen.Snippet{YAML: "resources:\n  r: {}\n", Config: `{"flag":true}`},
		Finding: `t:index:T "r": flag is *on*`,
	}
	fixer := docgen.Section(p, p.Policy("fixer"), ex)
	for _, want := range []string{
		"### fixer\n",
		"**Fixer.** High, mandatory, resource policy.",
		"**Requires:** Flag is off.",
		"**Why:** the guide asks for private networks",
		"**Config** (besides `exclude`):\n\n- `level` (string, default `low`): How \\*much\\* \\<stack>.",
		"**At `remediate`:** Remediates: sets flag to false",
		"- Guide (v1): [Network security][guide-network-security]",
		"- AWS Security Hub [RDS.2](https://docs.example/rds): No | public",
		"**Passes:**\n\n```yaml\nresources: {}\n```",
		"**Fails:**\n\nWith the policy's config `{\"flag\":true}`:\n\n```yaml\nresources:\n  r: {}\n```",
		"```\n\nThe pack reports:\n\n> t:index:T \"r\": flag is \\*on\\*\n",
	} {
		if !strings.Contains(fixer, want) {
			t.Errorf("section lacks %q:\n%s", want, fixer)
		}
	}
	reporter := docgen.Section(p, p.Policy("reporter"), docgen.Example{})
	for _, want := range []string{"**Config:** none besides `exclude`.", "Mandatory: cannot remediate (reports only)"} {
		if !strings.Contains(reporter, want) {
			t.Errorf("section lacks %q:\n%s", want, reporter)
		}
	}
	if strings.Contains(reporter, "**Passes:**") {
		t.Errorf("section without an example shows one:\n%s", reporter)
	}
	all := docgen.Policies(p, map[string]docgen.Example{"fixer": ex})
	if !strings.HasPrefix(all, docgen.Index(p, "")) || !strings.Contains(all, fixer) || !strings.Contains(all, reporter) {
		t.Errorf("policies is not the index then every section:\n%s", all)
	}
}

// TestWrapKeepsOneParagraph: prose is wrapped at 100 columns, but never so
// that a line starts with what Markdown reads as a new block.
func TestWrapKeepsOneParagraph(t *testing.T) {
	long := strings.Repeat("word ", 19) + "- not a list item, " + strings.Repeat("word ", 16) + "1. nor this, " +
		strings.Repeat("x", 120)
	p := pack(t)
	p.Policy("reporter").Description = long
	s := docgen.Section(p, p.Policy("reporter"), docgen.Example{})
	for _, line := range strings.Split(s, "\n") {
		if len(line) > 100 && !strings.Contains(line, strings.Repeat("x", 120)) {
			t.Errorf("line of %d columns: %q", len(line), line)
		}
		for _, bad := range []string{"- not", "1. nor"} {
			if strings.HasPrefix(line, bad) {
				t.Errorf("line starts a new block: %q", line)
			}
		}
	}
	if !strings.Contains(strings.Join(strings.Fields(s), " "), strings.Join(strings.Fields(long), " ")) {
		t.Errorf("wrapping lost words:\n%s", s)
	}
}

func TestReadmeHoldsUsageAndIndex(t *testing.T) {
	p := pack(t)
	p.Repository = "https://repo.example/x"
	r := docgen.Readme(p, "\n### Run it\n\nRun it.\n")
	for _, want := range []string{"# The pack\n\nChecks things.", "## Usage\n\n### Run it\n\nRun it.\n\n## Policies\n\n",
		docgen.Index(p, p.Repository), "Guide, version v1", "[repository's README](https://repo.example/x#policies)"} {
		if !strings.Contains(r, want) {
			t.Errorf("readme lacks %q:\n%s", want, r)
		}
	}
	if strings.Contains(r, "### fixer") || strings.Contains(r, "Flag is off.") {
		t.Errorf("readme holds a policy's section, not only the index:\n%s", r)
	}
}

func TestReplaceFillsEveryBlock(t *testing.T) {
	in := "a\n" + docgen.Begin + "\nold\n" + docgen.End + "\nb\n<!-- usage:begin (generated by `go run ./internal/docgen/cmd`; do not edit) -->\nx\n<!-- usage:end -->\n"
	out, err := docgen.Replace(in, docgen.Block{Name: docgen.PoliciesBlock, Text: "POLICIES\n"},
		docgen.Block{Name: "usage", Text: "USAGE\n"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, docgen.Begin+"\nPOLICIES\n"+docgen.End) || !strings.Contains(out, "-->\nUSAGE\n<!-- usage:end -->") ||
		strings.Contains(out, "old") {
		t.Errorf("replace:\n%s", out)
	}
	if _, err := docgen.Replace("no markers", docgen.Block{Name: "usage"}); err == nil {
		t.Error("README without markers accepted")
	}
}
