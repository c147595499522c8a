package examples_test

import (
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/docgen"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
	"github.com/selfhosted-hardening/selfhosted-hardening/policies/examples"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// declared is what the rendered YAML of a value must parse back to: the
// value as the program declares it, references as ${name.id}, secrets and
// JSON-encoded values as fn::secret and fn::toJSON.
func declared(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, x := range t {
			out[k] = declared(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = declared(x)
		}
		return out
	case examples.JSON:
		return map[string]any{"fn::toJSON": declared(t.Value)}
	case fixture.IDRef:
		return "${" + t.Name + ".id}"
	case fixture.OutputRef:
		return "${" + t.Name + "." + t.Key + "}"
	case props.Value:
		return map[string]any{"fn::secret": "[secret]"}
	}
	return v
}

func want(c examples.Case) map[string]any {
	out := map[string]any{}
	if len(c.Stack) > 0 {
		cfg := map[string]any{}
		for k, v := range c.Stack {
			if _, secret := v.(props.Value); secret {
				v = map[string]any{"secure": "[secret]"}
			}
			cfg[k] = v
		}
		out["config"] = cfg
	}
	if len(c.Resources) > 0 {
		rs := map[string]any{}
		for _, r := range c.Resources {
			res := map[string]any{"type": r.Type}
			if len(r.Inputs) > 0 {
				res["properties"] = declared(r.Inputs)
			}
			rs[r.Name] = res
		}
		out["resources"] = rs
	}
	return out
}

// secrets returns the plain text of every secret of the case.
func secrets(c examples.Case) []string {
	var out []string
	for _, r := range c.Resources {
		out = append(out, fixture.SecretStrings(props.FromGo(r.Inputs))...)
	}
	for _, v := range c.Stack {
		if s, ok := v.(props.Value); ok {
			str, _ := s.Str()
			out = append(out, str)
		}
	}
	return out
}

// TestRenderedExamplesAreTheirInputs: the YAML the README shows of each
// case parses back to exactly the case's stack config and resources (type
// token and inputs), with every secret shown as [secret], never its value,
// and the config shown is the case's.
func TestRenderedExamplesAreTheirInputs(t *testing.T) {
	rendered, err := examples.Render(policies.Pack())
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range examples.All() {
		got, ok := rendered[ex.Policy]
		if !ok {
			t.Errorf("%s: not rendered", ex.Policy)
			continue
		}
		for _, c := range []struct {
			name string
			c    examples.Case
			s    docgen.Snippet
		}{{"good", ex.Good, got.Good}, {"bad", ex.Bad, got.Bad}} {
			t.Run(ex.Policy+"/"+c.name, func(t *testing.T) {
				var doc map[string]any
				if err := yaml.Unmarshal([]byte(c.s.YAML), &doc); err != nil {
					t.Fatalf("not YAML: %v\n%s", err, c.s.YAML)
				}
				if w := want(c.c); !reflect.DeepEqual(doc, w) {
					t.Errorf("YAML reads back as\n%#v\nwant\n%#v\n%s", doc, w, c.s.YAML)
				}
				for _, s := range secrets(c.c) {
					if strings.Contains(c.s.YAML, s) || strings.Contains(got.Finding, s) {
						t.Errorf("secret %q shown", s)
					}
				}
				if (c.c.Config == nil) != (c.s.Config == "") || !strings.HasPrefix(c.s.Config, `{"`+ex.Policy+`":`) &&
					c.s.Config != "" {
					t.Errorf("config shown %q for %v", c.s.Config, c.c.Config)
				}
			})
		}
	}
}
