package examples

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/docgen"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Run runs policy p on case c in the given mode, through a one-policy pack
// as the engine would (fixture.Findings), and returns its findings.
func Run(p *policy.Policy, c Case, mode fixture.Mode) ([]policy.Finding, error) {
	env := &policy.Env{Organization: "acme", Project: Project, Stack: "dev", Config: map[string]string{},
		SecretKeys: map[string]bool{}}
	for k, v := range c.Stack {
		switch v := v.(type) {
		case string:
			env.Config[k] = v
		case props.Value:
			s, ok := v.Str()
			if !v.IsSecret() || !ok {
				return nil, fmt.Errorf("stack config %s: want a string or fixture.Secret of one", k)
			}
			env.Config[k], env.SecretKeys[k] = s, true
		default:
			return nil, fmt.Errorf("stack config %s: want a string or fixture.Secret of one, got %T", k, v)
		}
	}
	rs := make([]*fixture.Res, len(c.Resources))
	for i, r := range c.Resources {
		in, err := program(r.Inputs)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.Name, err)
		}
		rs[i] = fixture.R(r.Type, r.Name, in.(map[string]any))
	}
	return fixture.Findings(p, mode, c.Config, env, rs...)
}

// program turns the example's values into what the program sends the
// engine: a JSON value becomes its string.
func program(v any) (any, error) {
	switch t := v.(type) {
	case JSON:
		data, err := json.Marshal(t.Value)
		return string(data), err
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			y, err := program(x)
			if err != nil {
				return nil, err
			}
			out[k] = y
		}
		return out, nil
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			y, err := program(x)
			if err != nil {
				return nil, err
			}
			out[i] = y
		}
		return out, nil
	}
	return v, nil
}

// Prove runs the example in preview and in update: the good case must give
// no finding of the policy at all, the bad case at least one violation. It
// returns the first line of the message of the bad case's first violation
// at update, for the docs.
func Prove(p *policy.Policy, ex Example) (finding string, err error) {
	for _, mode := range fixture.Modes {
		fs, err := Run(p, ex.Good, mode)
		if err != nil {
			return "", fmt.Errorf("%s good, %s: %w", p.Name, mode, err)
		}
		if own := of(p, fs, nil); len(own) > 0 {
			return "", fmt.Errorf("%s good, %s: %d findings, want none:%s", p.Name, mode, len(own),
				fixture.Describe(own))
		}
		if fs, err = Run(p, ex.Bad, mode); err != nil {
			return "", fmt.Errorf("%s bad, %s: %w", p.Name, mode, err)
		}
		violations := of(p, fs, func(f policy.Finding) bool { return f.Kind == policy.Violation })
		if len(violations) == 0 {
			return "", fmt.Errorf("%s bad, %s: no violation of the policy:%s", p.Name, mode, fixture.Describe(fs))
		}
		if mode == fixture.Update {
			finding, _, _ = strings.Cut(violations[0].Message, "\n")
		}
	}
	return finding, nil
}

// of returns the findings of policy p that keep accepts (all when nil).
func of(p *policy.Policy, fs []policy.Finding, keep func(policy.Finding) bool) []policy.Finding {
	var out []policy.Finding
	for _, f := range fs {
		if f.Policy.Name == p.Name && (keep == nil || keep(f)) {
			out = append(out, f)
		}
	}
	return out
}

// Render proves every example of All on the policies of pack and renders it
// for docgen, by policy name.
func Render(pack *policy.Pack) (map[string]docgen.Example, error) {
	out := map[string]docgen.Example{}
	for _, ex := range All() {
		p := pack.Policy(ex.Policy)
		if p == nil {
			return nil, fmt.Errorf("example of %s: no such policy", ex.Policy)
		}
		finding, err := Prove(p, ex)
		if err != nil {
			return nil, err
		}
		good, err := snippet(p, ex.Good)
		if err != nil {
			return nil, fmt.Errorf("%s good: %w", p.Name, err)
		}
		bad, err := snippet(p, ex.Bad)
		if err != nil {
			return nil, fmt.Errorf("%s bad: %w", p.Name, err)
		}
		out[p.Name] = docgen.Example{Good: good, Bad: bad, Finding: finding}
	}
	return out, nil
}

// Blocks are every generated block of README.md: the policy index and
// sections, with their proven examples, and policies.DocBlocks.
func Blocks() ([]docgen.Block, error) {
	pack := policies.Pack()
	ex, err := Render(pack)
	if err != nil {
		return nil, err
	}
	return append([]docgen.Block{{Name: docgen.PoliciesBlock, Text: docgen.Policies(pack, ex)}},
		policies.DocBlocks()...), nil
}

func snippet(p *policy.Policy, c Case) (docgen.Snippet, error) {
	var s docgen.Snippet
	if c.Config != nil {
		data, err := json.Marshal(map[string]any{p.Name: c.Config})
		if err != nil {
			return s, err
		}
		s.Config = string(data)
	}
	var b strings.Builder
	if len(c.Stack) > 0 {
		fmt.Fprintf(&b, "# Pulumi.dev.yaml\nconfig:\n")
		for _, k := range sortedKeys(c.Stack) {
			switch v := c.Stack[k].(type) {
			case string:
				fmt.Fprintf(&b, "  %s: %s\n", key(k), scalar(v))
			case props.Value:
				fmt.Fprintf(&b, "  %s:\n    secure: \"[secret]\"\n", key(k))
			default:
				return s, fmt.Errorf("stack config %s: a value of type %T", k, v)
			}
		}
		if len(c.Resources) > 0 {
			b.WriteString("# Pulumi.yaml\n")
		}
	}
	if len(c.Resources) > 0 {
		b.WriteString("resources:\n")
		for _, r := range c.Resources {
			fmt.Fprintf(&b, "  %s:\n    type: %s\n", key(r.Name), r.Type)
			if len(r.Inputs) > 0 {
				b.WriteString("    properties:\n")
				if err := yamlMap(&b, r.Inputs, "      "); err != nil {
					return s, fmt.Errorf("%s: %w", r.Name, err)
				}
			}
		}
	}
	s.YAML = b.String()
	return s, nil
}

// sortedKeys returns m's keys in order, "name" first (as in most manifests
// and container definitions), then the rest sorted.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if (keys[i] == "name") != (keys[j] == "name") {
			return keys[i] == "name"
		}
		return keys[i] < keys[j]
	})
	return keys
}

// yamlMap writes m's entries at the given indent, in sortedKeys' order.
func yamlMap(b *strings.Builder, m map[string]any, indent string) error {
	for _, k := range sortedKeys(m) {
		b.WriteString(indent + key(k) + ":")
		if err := yamlValue(b, m[k], indent); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	return nil
}

// yamlValue writes v after "key:" at the given indent: a scalar, a flow
// list of scalars, or a block below.
func yamlValue(b *strings.Builder, v any, indent string) error {
	if s, ok, err := flow(v); err != nil {
		return err
	} else if ok {
		b.WriteString(" " + s + "\n")
		return nil
	}
	switch t := v.(type) {
	case map[string]any:
		b.WriteString("\n")
		return yamlMap(b, t, indent+"  ")
	case []any:
		b.WriteString("\n")
		for _, x := range t {
			if m, ok := x.(map[string]any); ok && len(m) > 0 {
				// "- " then the map's entries, the first on the dash's line.
				var inner strings.Builder
				if err := yamlMap(&inner, m, indent+"    "); err != nil {
					return err
				}
				b.WriteString(indent + "  - " + strings.TrimPrefix(inner.String(), indent+"    "))
				continue
			}
			s, ok, err := flow(x)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("a list item of type %T", x)
			}
			b.WriteString(indent + "  - " + s + "\n")
		}
		return nil
	case JSON:
		b.WriteString("\n" + indent + "  fn::toJSON:")
		return yamlValue(b, t.Value, indent+"  ")
	case props.Value:
		if !t.IsSecret() {
			return fmt.Errorf("a props.Value that is not a secret (%s): examples show what programs declare", t.Kind())
		}
		b.WriteString("\n" + indent + "  fn::secret: \"[secret]\"\n")
		return nil
	}
	return fmt.Errorf("a value of type %T", v)
}

// flow renders v on one line when it is a scalar, a reference or a short
// list of scalars.
func flow(v any) (string, bool, error) {
	switch t := v.(type) {
	case nil:
		return "null", true, nil
	case bool:
		return strconv.FormatBool(t), true, nil
	case int:
		return strconv.Itoa(t), true, nil
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), true, nil
	case string:
		return scalar(t), true, nil
	case fixture.IDRef:
		return "${" + t.Name + ".id}", true, nil
	case fixture.OutputRef:
		return "${" + t.Name + "." + t.Key + "}", true, nil
	case map[string]any:
		if len(t) == 0 {
			return "{}", true, nil
		}
	case []any:
		items := make([]string, len(t))
		for i, x := range t {
			s, ok, err := flow(x)
			if err != nil || !ok {
				return "", false, err
			}
			if strings.ContainsAny(s, "{}[],") && s != "{}" {
				// Flow indicators: such an item (a ${ref}) goes in a block list.
				return "", false, nil
			}
			items[i] = s
		}
		if s := "[" + strings.Join(items, ", ") + "]"; len(s) <= 60 {
			return s, true, nil
		}
	}
	return "", false, nil
}

// scalar writes a string as a YAML scalar: plain when YAML reads it back as
// the same string, else double-quoted.
func scalar(s string) string {
	if s == "" || strings.ContainsAny(s, "\n\t\"'#,[]{}") || strings.Contains(s, ": ") ||
		strings.HasSuffix(s, ":") || strings.TrimSpace(s) != s || strings.ContainsAny(s[:1], "-?:!&*|>%@`") {
		return strconv.Quote(s)
	}
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n":
		return strconv.Quote(s)
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return strconv.Quote(s)
	}
	return s
}

func key(k string) string {
	if strings.ContainsAny(k, " #\"'") || strings.HasSuffix(k, ":") {
		return strconv.Quote(k)
	}
	return scalar(k)
}
