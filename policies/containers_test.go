package policies

import (
	"slices"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// TestRolePatternsPrecedence: a policy's own image patterns win when set and
// not empty; else the pack-wide stack config selfhosted-hardening:<property>
// (a JSON list or one pattern); else the built-in defaults.
func TestRolePatternsPrecedence(t *testing.T) {
	pack := Pack()
	for _, c := range []struct {
		name  string
		own   []any
		stack map[string]string
		want  []string
	}{
		{name: "defaults", want: []string{"pulumi/service", "*/pulumi/service"}},
		{name: "own", own: []any{"acme/api"}, want: []string{"acme/api"}},
		{name: "stack list", stack: map[string]string{"selfhosted-hardening:apiImagePatterns": `["acme/api", "*/acme/api"]`},
			want: []string{"acme/api", "*/acme/api"}},
		{name: "stack one pattern", stack: map[string]string{"selfhosted-hardening:apiImagePatterns": " acme/api "},
			want: []string{"acme/api"}},
		{name: "own wins over stack", own: []any{"mine/api"},
			stack: map[string]string{"selfhosted-hardening:apiImagePatterns": `["acme/api"]`}, want: []string{"mine/api"}},
		{name: "empty own inherits", own: []any{},
			stack: map[string]string{"selfhosted-hardening:apiImagePatterns": `["acme/api"]`}, want: []string{"acme/api"}},
		{name: "another role's key is not this one's",
			stack: map[string]string{"selfhosted-hardening:consoleImagePatterns": `["acme/console"]`},
			want:  []string{"pulumi/service", "*/pulumi/service"}},
		{name: "another namespace is not the pack's",
			stack: map[string]string{"myproject:apiImagePatterns": `["acme/api"]`},
			want:  []string{"pulumi/service", "*/pulumi/service"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			raw := map[string]policy.RawConfig{}
			if c.own != nil {
				raw[APITLS.Name] = policy.RawConfig{Properties: map[string]any{"apiImagePatterns": c.own}}
			}
			cfg, err := pack.Configure(raw)
			if err != nil {
				t.Fatal(err)
			}
			got := apiRole.patterns(cfg[APITLS.Name], &policy.Env{Config: c.stack})
			if !slices.Equal(got, c.want) {
				t.Errorf("patterns %q, want %q", got, c.want)
			}
		})
	}
}

// TestImagePatternsSetOnceForThePack runs the policies that pick the API
// container by image with the patterns set once in stack config, and with a
// policy's own override.
func TestImagePatternsSetOnceForThePack(t *testing.T) {
	const mirrored = "registry.example.com/acme/pulumi-api:1"
	stack := &policy.Env{Config: map[string]string{"selfhosted-hardening:apiImagePatterns": `["acme/pulumi-api"]`}}
	for _, p := range []*policy.Policy{APITLS, DatabaseTLS, SMTPConfigured, CaptchaConfigured} {
		t.Run(p.Name, func(t *testing.T) {
			for _, mode := range fixture.Modes {
				bare := func(image string) []policy.Finding {
					return fixture.Run(t, p, mode, nil, stack, taskDef("td", container("api", image, nil)))
				}
				if fs := bare(mirrored); len(fs) == 0 {
					t.Errorf("%s: the mirrored API image, named by stack config, is not judged", mode)
				}
				if fs := bare(apiImage); len(fs) != 0 {
					t.Errorf("%s: the default API image is judged though stack config names others:%s", mode,
						fixture.Describe(fs))
				}
				own := map[string]any{"apiImagePatterns": []any{"pulumi/service"}}
				if fs := fixture.Run(t, p, mode, own, stack, taskDef("td", container("api", apiImage, nil))); len(fs) == 0 {
					t.Errorf("%s: the policy's own apiImagePatterns does not override stack config", mode)
				}
			}
		})
	}
}

// TestImagePatternsBadStackConfig: a pack-wide list that does not parse is
// an error naming the key, never a silent match of nothing.
func TestImagePatternsBadStackConfig(t *testing.T) {
	env := &policy.Env{Config: map[string]string{"selfhosted-hardening:apiImagePatterns": `["acme/api"`}}
	fs := fixture.Run(t, APITLS, fixture.Update, nil, env, taskDef("td", container("api", apiImage, nil)))
	fixture.Check(t, fs, fixture.Want{Kind: policy.PolicyError, Level: policy.Mandatory,
		Contains: []string{"stack config selfhosted-hardening:apiImagePatterns must be a JSON list of image patterns"}})
}
