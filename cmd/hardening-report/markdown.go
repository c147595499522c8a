package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

var severities = []string{"critical", "high", "medium", "low", ""}

// writeMarkdown writes the report as a summary for $GITHUB_STEP_SUMMARY or a
// pull-request comment: counts by severity and level, then the findings
// grouped by guide section.
func writeMarkdown(w io.Writer, r *report) error {
	var b strings.Builder
	b.WriteString("## Policy findings\n\n")
	if r.Problem != "" {
		fmt.Fprintf(&b, "> [!WARNING]\n> %s\n\n", md(capitalise(r.Problem)))
	}
	packs := packList(r)
	if len(r.Findings) == 0 {
		fmt.Fprintf(&b, "No policy findings%s.\n", packs)
		_, err := io.WriteString(w, b.String())
		return err
	}
	blocking, advisory, suppressed := 0, 0, 0
	for i := range r.Findings {
		f := &r.Findings[i]
		switch {
		case f.Suppression != nil:
			suppressed++
		case f.Blocking():
			blocking++
		default:
			advisory++
		}
	}
	fmt.Fprintf(&b, "**%d findings**%s: %d mandatory, %d advisory, %d exempted.", len(r.Findings), packs,
		blocking, advisory, suppressed)
	if blocking > 0 {
		b.WriteString(" The mandatory findings fail the preview.")
	}
	b.WriteString("\n\n| Severity | Mandatory | Advisory | Exempted | Total |\n|---|---:|---:|---:|---:|\n")
	for _, s := range severities {
		var m, a, x int
		for i := range r.Findings {
			f := &r.Findings[i]
			if f.Severity != s {
				continue
			}
			switch {
			case f.Suppression != nil:
				x++
			case f.Blocking():
				m++
			default:
				a++
			}
		}
		if m+a+x == 0 {
			continue
		}
		name := s
		if name == "" {
			name = "unspecified"
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d |\n", name, m, a, x, m+a+x)
	}
	for _, g := range groups(r.Findings) {
		b.WriteString("\n### ")
		if g.url != "" {
			fmt.Fprintf(&b, "[%s](%s)\n\n", md(g.title), g.url)
		} else {
			b.WriteString(md(g.title) + "\n\n")
		}
		b.WriteString("| Level | Severity | Policy | Resource | Finding | Fix |\n|---|---|---|---|---|---|\n")
		for _, f := range g.findings {
			level := f.Level
			if f.Suppression != nil {
				level += ", exempted: " + f.Suppression.Reason
			}
			res := "the stack"
			if f.URN != "" {
				res = "`" + code(f.Name) + "` (" + code(f.Type) + ")"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", cell(level), cell(f.Severity),
				"`"+code(ruleID(f.Pack, f.Policy))+"`", res, cell(f.Summary), cell(f.Fix))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func packList(r *report) string {
	var names []string
	for _, ru := range r.Rules {
		n := ru.Pack
		if ru.PackVersion != "" {
			n += " " + ru.PackVersion
		}
		if len(names) == 0 || names[len(names)-1] != n {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " of " + md(strings.Join(names, ", "))
}

type group struct {
	title, url string
	rank       int
	findings   []*Finding
}

// guideOrder is the order of the guide's sections.
var guideOrder = []policy.Section{policies.Network, policies.AtRest, policies.Secrets, policies.InTransit, policies.SMTP,
	policies.Captcha}

// groups groups findings by guide section in the guide's order, then this
// pack's findings without a section, then another pack's findings per pack.
func groups(fs []Finding) []*group {
	var out []*group
	byKey := map[string]*group{}
	for i := range fs {
		f := &fs[i]
		key, title, url := "pack:"+f.Pack, "Policy pack "+f.Pack, ""
		if f.Section != nil {
			key, title, url = "section:"+f.Section.Title, f.Section.Title, f.Section.URL
		} else if ours(f.Pack) {
			title = "Other policies of " + f.Pack
		}
		g := byKey[key]
		if g == nil {
			g = &group{title: title, url: url, rank: len(guideOrder)}
			for n, s := range guideOrder {
				if url != "" && s.Title == title {
					g.rank = n
				}
			}
			if !ours(f.Pack) {
				g.rank++
			}
			byKey[key] = g
			out = append(out, g)
		}
		g.findings = append(g.findings, f)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].rank < out[j].rank })
	return out
}

// md escapes text for Markdown prose: HTML is shown, not rendered.
func md(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// cell escapes text for a Markdown table cell.
func cell(s string) string {
	s = md(s)
	s = strings.ReplaceAll(s, "|", "\\|")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\n", "<br>")
}

// code makes text safe inside a code span in a table cell.
func code(s string) string {
	s = strings.ReplaceAll(s, "`", "'")
	s = strings.ReplaceAll(s, "|", "\\|")
	return strings.ReplaceAll(s, "\n", " ")
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
