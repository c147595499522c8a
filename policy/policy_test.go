package policy_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

const typ = "test:index/thing:Thing"

// The test packs' guide and sections.
var (
	testGuide = policy.Guide{Name: "Guide", Version: "1"}
	atRest    = policy.Section{Tag: "encryption-at-rest", Title: "Encryption (at rest)",
		URL: "https://guide.example/hardening#encryption", Why: "the guide asks for encryption"}
	network = policy.Section{Tag: "network", Title: "Network security",
		URL: "https://guide.example/hardening#network-security", Why: "the guide asks for private networks"}
)

// toy returns a valid resource policy whose check is fn.
func toy(name string, fn func(*policy.ResourceContext)) *policy.Policy {
	return &policy.Policy{
		Name: name, DisplayName: "Toy " + name, Description: "A toy policy.",
		Section: atRest, Level: policy.Mandatory, Severity: policy.High,
		Remediation: "Do the right thing.", Types: []string{typ}, Resource: fn,
		Reference: "Encryption",
		Params: []policy.Param{
			{Name: "flag", Type: policy.Bool, Description: "A flag."},
			{Name: "cidrs", Type: policy.StringList, Item: policy.CIDR, Description: "CIDRs.",
				Default: []string{"10.0.0.0/8"}},
			{Name: "ports", Type: policy.IntList, Item: policy.Port, Description: "Ports.", Default: []int{22}},
			{Name: "mode", Type: policy.String, Enum: []string{"a", "b"}, Default: "a", Description: "Mode."},
		},
	}
}

func res(name string, m map[string]any) *graph.Resource {
	v := props.FromGo(m)
	return &graph.Resource{URN: "urn:pulumi:dev::p::" + typ + "::" + name, Type: typ, Name: name, Props: v, Outputs: v}
}

func mustPack(t *testing.T, ps ...*policy.Policy) *policy.Pack {
	t.Helper()
	p, err := policy.NewPack("test", "Test", "1.0.0", "test pack", testGuide, ps...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func analyze(t *testing.T, pack *policy.Pack, raw map[string]policy.RawConfig, env *policy.Env, r *graph.Resource) []policy.Finding {
	t.Helper()
	cfg, err := pack.Configure(raw)
	if err != nil {
		t.Fatal(err)
	}
	if env == nil {
		env = &policy.Env{DryRun: true}
	}
	return pack.Analyze(env, cfg, r)
}

// TestNewPackNeedsTheGuide: the guide's name and version are set once on the
// pack and each policy names its part of it; a pack without the one or a
// policy without the other is refused with an error that says what to set.
func TestNewPackNeedsTheGuide(t *testing.T) {
	ok := func() *policy.Policy { return toy("ok", func(*policy.ResourceContext) {}) }
	for name, g := range map[string]policy.Guide{
		"no guide":   {},
		"no name":    {Version: "1"},
		"no version": {Name: "Guide"},
	} {
		_, err := policy.NewPack("t", "T", "1", "t", g, ok())
		if err == nil || !strings.Contains(err.Error(), "pack t: no guide: the compliance framework's name and version are required") {
			t.Errorf("%s: %v", name, err)
		}
	}
	p := ok()
	p.Reference = ""
	_, err := policy.NewPack("t", "T", "1", "t", testGuide, p)
	if err == nil || !strings.Contains(err.Error(), "policy ok: no guide reference: set Reference") {
		t.Errorf("policy without a reference: %v", err)
	}
}

// TestFrameworkOfJoinsPackAndPolicy: a policy's compliance framework is the
// pack's guide with the policy's reference and section URL.
func TestFrameworkOfJoinsPackAndPolicy(t *testing.T) {
	p := toy("ok", func(*policy.ResourceContext) {})
	pack, err := policy.NewPack("t", "T", "1", "t", testGuide, p)
	if err != nil {
		t.Fatal(err)
	}
	want := policy.Framework{Name: "Guide", Version: "1", Reference: "Encryption", Specification: atRest.URL}
	if got := pack.FrameworkOf(p); got != want {
		t.Errorf("FrameworkOf: %+v, want %+v", got, want)
	}
	if pack.Guide != testGuide {
		t.Errorf("pack guide %+v", pack.Guide)
	}
}

func TestNewPackRefusesIncompleteMetadata(t *testing.T) {
	ok := func() *policy.Policy { return toy("ok", func(*policy.ResourceContext) {}) }
	cases := map[string]func(p *policy.Policy){
		"bad name":       func(p *policy.Policy) { p.Name = "Bad_Name" },
		"no description": func(p *policy.Policy) { p.Description = "" },
		"no remediation": func(p *policy.Policy) { p.Remediation = "" },
		"no section":     func(p *policy.Policy) { p.Section = policy.Section{} },
		"no severity":    func(p *policy.Policy) { p.Severity = 0 },
		"disabled level": func(p *policy.Policy) { p.Level = policy.Disabled },
		"no check":       func(p *policy.Policy) { p.Resource = nil },
		"no types":       func(p *policy.Policy) { p.Types = nil },
		"reserved param": func(p *policy.Policy) {
			p.Params = append(p.Params, policy.Param{Name: "exclude", Type: policy.Bool, Description: "x"})
		},
		"bad param name": func(p *policy.Policy) {
			p.Params = append(p.Params, policy.Param{Name: "Bad-Name", Type: policy.Bool, Description: "x"})
		},
		"bad default":       func(p *policy.Policy) { p.Params[0].Default = "yes" },
		"bad cidr":          func(p *policy.Policy) { p.Params[1].Default = []string{"10.0.0.0/33"} },
		"param no descr.":   func(p *policy.Policy) { p.Params[0].Description = "" },
		"no reference":      func(p *policy.Policy) { p.Reference = "" },
		"section not https": func(p *policy.Policy) { p.Section.URL = "http://x" },
		"bad control id": func(p *policy.Policy) {
			p.Controls = []policy.Control{{Standard: "aws-fsbp", ID: "RDS3", Title: "t", URL: "https://x"}}
		},
		"control no url": func(p *policy.Policy) {
			p.Controls = []policy.Control{{Standard: "aws-fsbp", ID: "RDS.3", Title: "t"}}
		},
		"control twice": func(p *policy.Policy) {
			c := policy.Control{Standard: "aws-fsbp", ID: "RDS.3", Title: "t", URL: "https://x"}
			p.Controls = []policy.Control{c, c}
		},
		"fixes on a stack policy": func(p *policy.Policy) {
			p.Fixes, p.Resource, p.Types, p.Stack = "sets x", nil, nil, func(*policy.StackContext) {}
		},
	}
	for name, mutate := range cases {
		p := ok()
		mutate(p)
		if _, err := policy.NewPack("t", "T", "1", "t", testGuide, p); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := policy.NewPack("t", "T", "1", "t", testGuide, ok(), ok()); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("duplicate names: %v", err)
	}
	if _, err := policy.NewPack("t", "T", "1", "t", testGuide, ok()); err != nil {
		t.Errorf("valid policy refused: %v", err)
	}
}

func TestConfigure(t *testing.T) {
	pack := mustPack(t, toy("toy", func(*policy.ResourceContext) {}))
	cases := []struct {
		name   string
		raw    map[string]policy.RawConfig
		err    []string
		notErr []string
		check  func(t *testing.T, c *policy.Config)
	}{
		{name: "defaults", check: func(t *testing.T, c *policy.Config) {
			if c.Level != policy.Mandatory || c.Bool("flag") || c.String("mode") != "a" ||
				len(c.Prefixes("cidrs")) != 1 || c.Ints("ports")[0] != 22 {
				t.Errorf("defaults: %+v", c)
			}
		}},
		{name: "values", raw: map[string]policy.RawConfig{"toy": {Level: policy.Advisory, Properties: map[string]any{
			"flag": true, "cidrs": []any{"203.0.113.7/24", "2001:db8::/32"}, "ports": []any{float64(443)}, "mode": "b",
			"exclude": []any{"legacy-.*"}}}},
			check: func(t *testing.T, c *policy.Config) {
				if c.Level != policy.Advisory || !c.Bool("flag") || c.String("mode") != "b" || c.Ints("ports")[0] != 443 {
					t.Errorf("values: %+v", c)
				}
				if p := c.Prefixes("cidrs"); len(p) != 2 || p[0].String() != "203.0.113.0/24" {
					t.Errorf("CIDRs are kept masked: %v", p)
				}
			}},
		{name: "all is accepted", raw: map[string]policy.RawConfig{"all": {Level: policy.Advisory}}},
		{name: "unknown policy", raw: map[string]policy.RawConfig{"toi": {}},
			err: []string{`"toi" is not a policy of test; did you mean toy?`}, notErr: []string{"its policies are"}},
		{name: "unknown policy, nothing near", raw: map[string]policy.RawConfig{"database": {}},
			err: []string{`"database" is not a policy of test; its policies are: toy`}, notErr: []string{"did you mean"}},
		{name: "unknown key", raw: map[string]policy.RawConfig{"toy": {Properties: map[string]any{"flg": true}}},
			err: []string{"policy toy", `unknown config property "flg"; did you mean flag? it takes: flag, cidrs, ports, mode, exclude`}},
		{name: "unknown key, other case", raw: map[string]policy.RawConfig{"toy": {Properties: map[string]any{"Mode": "a"}}},
			err: []string{`unknown config property "Mode"; did you mean mode?`}},
		{name: "unknown key, nothing near", raw: map[string]policy.RawConfig{"toy": {Properties: map[string]any{"zzzzzz": 1}}},
			err: []string{`unknown config property "zzzzzz"; it takes: flag`}, notErr: []string{"did you mean"}},
		{name: "wrong type", raw: map[string]policy.RawConfig{"toy": {Properties: map[string]any{"flag": "true"}}},
			err: []string{`policy toy: config property "flag": must be true or false, got the string "true"`}},
		{name: "bad cidr", raw: map[string]policy.RawConfig{"toy": {Properties: map[string]any{"cidrs": []any{"10.0.0.300/8"}}}},
			err: []string{`"cidrs": item 0: "10.0.0.300/8" is not a CIDR block`}},
		{name: "port range", raw: map[string]policy.RawConfig{"toy": {Properties: map[string]any{"ports": []any{float64(70000)}}}},
			err: []string{`"ports": item 0: 70000 is not a port number`}},
		{name: "fraction", raw: map[string]policy.RawConfig{"toy": {Properties: map[string]any{"ports": []any{22.5}}}},
			err: []string{"must be an integer"}},
		{name: "enum", raw: map[string]policy.RawConfig{"toy": {Properties: map[string]any{"mode": "c"}}},
			err: []string{`"c" is not one of a, b`}},
		{name: "bad regex", raw: map[string]policy.RawConfig{"toy": {Properties: map[string]any{"exclude": []any{"a("}}}},
			err: []string{`"exclude": item 0: "a(" is not a valid regular expression`}},
		{name: "null", raw: map[string]policy.RawConfig{"toy": {Properties: map[string]any{"flag": nil}}},
			err: []string{"got null"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := pack.Configure(c.raw)
			if len(c.err) > 0 {
				if err == nil {
					t.Fatal("accepted")
				}
				for _, want := range c.err {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error lacks %q: %v", want, err)
					}
				}
				for _, bad := range c.notErr {
					if strings.Contains(err.Error(), bad) {
						t.Errorf("error has %q: %v", bad, err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.check != nil {
				c.check(t, cfg["toy"])
			}
		})
	}
}

func TestSchemaMatchesParams(t *testing.T) {
	p := toy("toy", nil)
	s := p.Params[2].Schema()
	items, _ := s["items"].(map[string]any)
	if s["type"] != "array" || items["type"] != "integer" || items["minimum"] != 0 || items["maximum"] != 65535 {
		t.Errorf("port list schema: %v", s)
	}
	if d, _ := s["default"].([]any); len(d) != 1 || d[0] != 22 {
		t.Errorf("default: %v", s["default"])
	}
	if s := p.Params[3].Schema(); s["type"] != "string" || len(s["enum"].([]any)) != 2 {
		t.Errorf("enum schema: %v", s)
	}
	if s := policy.ExcludeParam.Schema(); s["items"].(map[string]any)["format"] != "regex" {
		t.Errorf("exclude schema: %v", s)
	}
}

func TestPanicBecomesAFindingAndOthersStillRun(t *testing.T) {
	boom := toy("boom", func(ctx *policy.ResourceContext) {
		var m map[string]int
		m["x"] = 1 // nil map write
	})
	fine := toy("fine", func(ctx *policy.ResourceContext) { ctx.Violationf("always fires") })
	pack := mustPack(t, boom, fine)
	fs := analyze(t, pack, nil, nil, res("r1", nil))
	if len(fs) != 2 {
		t.Fatalf("want a finding from each policy, got %d", len(fs))
	}
	b := fs[0]
	if b.Policy.Name != "boom" || b.Kind != policy.PolicyError || b.Level != policy.Mandatory ||
		!strings.Contains(b.Message, "policy boom failed while checking test:index/thing:Thing \"r1\"") ||
		!strings.Contains(b.Message, "assignment to entry in nil map") {
		t.Errorf("panic finding: %+v", b)
	}
	if fs[1].Policy.Name != "fine" || fs[1].Kind != policy.Violation {
		t.Errorf("the other policy must still run: %+v", fs[1])
	}

	stackBoom := &policy.Policy{Name: "stack-boom", DisplayName: "x", Description: "x", Section: network,
		Level: policy.Advisory, Severity: policy.Low, Remediation: "x", Reference: "Encryption",
		Stack: func(ctx *policy.StackContext) { panic("stack exploded") }}
	pack = mustPack(t, stackBoom)
	cfg, _ := pack.Configure(nil)
	fs = pack.AnalyzeStack(&policy.Env{}, cfg, graph.New(nil))
	if len(fs) != 1 || fs[0].Level != policy.Advisory || !strings.Contains(fs[0].Message, "checking the stack: stack exploded") {
		t.Errorf("stack panic: %+v", fs)
	}
}

func TestUnknownsGiveOneAdvisoryPerResource(t *testing.T) {
	p := toy("toy", func(ctx *policy.ResourceContext) {
		ctx.Bool("a")
		ctx.Bool("a")
		ctx.String("b.c")
		ctx.Strings("list")
	})
	pack := mustPack(t, p)
	r := res("r", map[string]any{"a": props.NewUnknown(), "b": props.NewUnknown(),
		"list": []any{"x", props.NewUnknown()}})
	fs := analyze(t, pack, nil, &policy.Env{DryRun: true}, r)
	if len(fs) != 1 || fs[0].Kind != policy.Unverifiable || fs[0].Level != policy.Advisory {
		t.Fatalf("want one advisory, got %+v", fs)
	}
	want := "cannot be verified during preview: a is not known until update; b.c is not known until update; " +
		"list[1] is not known until update"
	if !strings.Contains(fs[0].Message, want) {
		t.Errorf("message %q lacks %q", fs[0].Message, want)
	}
	for _, want := range []string{"\nWhy: " + atRest.Why, "\nFix: It is decided at `pulumi up`",
		"`pulumi policy analyze --policy-pack <this pack>`"} {
		if !strings.Contains(fs[0].Message, want) {
			t.Errorf("preview advisory lacks %q:\n%s", want, fs[0].Message)
		}
	}
	fs = analyze(t, pack, nil, &policy.Env{DryRun: false}, r)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "cannot be verified: a is not known") {
		t.Errorf("update wording: %+v", fs)
	}
	if len(fs) == 1 && (fs[0].Fix != policy.UnknownInUpdateFix || !strings.Contains(fs[0].Message, "\nFix: Run `pulumi policy analyze")) {
		t.Errorf("update fix: %+v", fs[0])
	}
}

func TestMalformedValuesAreReported(t *testing.T) {
	p := toy("toy", func(ctx *policy.ResourceContext) {
		if _, st := ctx.Bool("flag"); st != policy.Invalid {
			panic("flag should be invalid")
		}
		if _, st := ctx.String("deep.key"); st != policy.Invalid {
			panic("deep.key should be invalid")
		}
		// A malformed item makes the list Invalid; the well-formed ones are
		// still given.
		if items, st := ctx.Items("block"); st != policy.Invalid || len(items) != 1 || items[0].Base() != "block[1]" {
			panic("block should give the one object item")
		}
	})
	pack := mustPack(t, p)
	r := res("r", map[string]any{"flag": "yes", "deep": []any{1}, "block": []any{7, map[string]any{}}})
	fs := analyze(t, pack, nil, nil, r)
	if len(fs) != 1 || fs[0].Kind != policy.Unverifiable {
		t.Fatalf("want one advisory, got %+v", fs)
	}
	for _, want := range []string{"flag is a string, expected a boolean", "deep is an array, expected an object",
		"block[0] is a number, expected an object", "\nWhy: " + atRest.Why,
		"\nFix: Set flag to a boolean; set deep to an object; set block[0] to an object: the shape the provider's schema expects"} {
		if !strings.Contains(fs[0].Message, want) {
			t.Errorf("message lacks %q: %s", want, fs[0].Message)
		}
	}
}

// TestUnverifiableAdvisoriesSayWhyAndFix: every "cannot be verified"
// advisory has the policy's Why and a Fix that says what would let the pack
// decide: the check's own, else a default naming the policy's config.
func TestUnverifiableAdvisoriesSayWhyAndFix(t *testing.T) {
	noParams := func(p *policy.Policy) *policy.Policy { p.Params = nil; return p }
	cases := []struct {
		name    string
		pol     *policy.Policy
		r       *graph.Resource
		fix     []string // in the Fix line, in order
		notInFx []string
	}{
		{"default fix names the config", toy("toy", func(ctx *policy.ResourceContext) {
			ctx.Unverifiablef("cannot be verified: subnet subnet-1 is not in the stack")
		}), res("r", nil), []string{"declare in this stack what the resource refers to", "`pulumi import`",
			"(flag, cidrs, ports, mode)", "--policy-pack-config"}, []string{"exclude"}},
		{"default fix without config", noParams(toy("toy", func(ctx *policy.ResourceContext) {
			ctx.Unverifiablef("cannot be verified: subnet subnet-1 is not in the stack")
		})), res("r", nil), []string{"declare in this stack what the resource refers to"},
			[]string{"config properties", "--policy-pack-config"}},
		{"specific fix", toy("toy", func(ctx *policy.ResourceContext) {
			ctx.UnverifiableFixf("Name subnet-1 in privateSubnetIds.", "cannot be verified: subnet %s", "subnet-1")
		}), res("r", nil), []string{"Name subnet-1 in privateSubnetIds."}, []string{"declare"}},
		{"free-form malformed value", toy("toy", func(ctx *policy.ResourceContext) {
			ctx.NoteInvalid("doc is not valid JSON")
			ctx.Bool("flag")
		}), res("r", map[string]any{"flag": 1}), []string{"Set flag to a boolean",
			"give each other value named above the shape it names"}, nil},
		{"malformed value with its fix", toy("toy", func(ctx *policy.ResourceContext) {
			ctx.NoteInvalidFix("protocol is SMTP, not a target group protocol", "set protocol to HTTP or HTTPS")
		}), res("r", nil), []string{"Set protocol to HTTP or HTTPS: the shape"}, []string{"other value"}},
		{"malformed value, no fix known", toy("toy", func(ctx *policy.ResourceContext) {
			ctx.NoteInvalid("doc is not valid JSON")
		}), res("r", nil), []string{"Give each value named above the shape it names"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := analyze(t, mustPack(t, c.pol), nil, nil, c.r)
			if len(fs) != 1 || fs[0].Kind != policy.Unverifiable || fs[0].Level != policy.Advisory {
				t.Fatalf("want one advisory, got %+v", fs)
			}
			m := fs[0].Message
			why, fix, ok := strings.Cut(m, "\nFix: ")
			if !ok || !strings.Contains(why, "\nWhy: "+atRest.Why+" ("+atRest.Title) {
				t.Fatalf("no Why and Fix lines:\n%s", m)
			}
			if fix != fs[0].Fix {
				t.Errorf("Fix line %q is not the finding's Fix %q", fix, fs[0].Fix)
			}
			rest := fix
			for _, want := range c.fix {
				i := strings.Index(rest, want)
				if i < 0 {
					t.Errorf("fix lacks %q (in order):\n%s", want, fix)
					continue
				}
				rest = rest[i+len(want):]
			}
			for _, bad := range c.notInFx {
				if strings.Contains(fix, bad) {
					t.Errorf("fix has %q:\n%s", bad, fix)
				}
			}
		})
	}

	// A stack check's advisory gets the same.
	stack := &policy.Policy{Name: "stack-toy", DisplayName: "x", Description: "x", Section: network,
		Level: policy.Mandatory, Severity: policy.Low, Remediation: "x", Reference: "Network security",
		Params: []policy.Param{{Name: "privateSubnetIds", Type: policy.StringList, Description: "Subnets."}},
		Stack: func(ctx *policy.StackContext) {
			for _, r := range ctx.Graph.Resources() {
				ctx.Unverifiablef(r, "cannot be verified: subnet subnet-1 is not in the stack")
				ctx.UnverifiableFixf(r, "Add subnet-1 to privateSubnetIds.", "cannot be verified: subnet subnet-2")
			}
		}}
	pack := mustPack(t, stack)
	cfg, _ := pack.Configure(nil)
	fs := pack.AnalyzeStack(&policy.Env{}, cfg, graph.New([]*graph.Resource{res("r", nil)}))
	if len(fs) != 2 {
		t.Fatalf("want two advisories, got %+v", fs)
	}
	for _, f := range fs {
		if !strings.Contains(f.Message, "\nWhy: "+network.Why) {
			t.Errorf("stack advisory lacks the section's why:\n%s", f.Message)
		}
	}
	if !strings.Contains(fs[0].Message, "\nFix: The pack judges only what this stack declares") ||
		!strings.Contains(fs[0].Message, "(privateSubnetIds)") ||
		!strings.HasSuffix(fs[1].Message, "\nFix: Add subnet-1 to privateSubnetIds.") {
		t.Errorf("stack advisory fixes:\n%s\n%s", fs[0].Message, fs[1].Message)
	}
}

func TestExemptions(t *testing.T) {
	p := toy("toy", func(ctx *policy.ResourceContext) { ctx.Violationf("bad") })
	pack := mustPack(t, p)
	tagged := func(tag string) *graph.Resource {
		return res("db", map[string]any{"tags": map[string]any{policy.ExemptTag: tag}})
	}
	cases := []struct {
		name   string
		raw    map[string]policy.RawConfig
		r      *graph.Resource
		level  policy.Level
		reason string
	}{
		{"none", nil, res("db", nil), policy.Mandatory, ""},
		{"tag", nil, tagged("other, toy: legacy, migrating in Q3"), policy.Advisory, "tag selfhosted-hardening:exempt: legacy, migrating in Q3"},
		{"tag without reason", nil, tagged("toy"), policy.Advisory, "no reason given"},
		{"tag for another policy", nil, tagged("other: x"), policy.Mandatory, ""},
		{"tag by prefix does not count", nil, tagged("to: x"), policy.Mandatory, ""},
		{"tag not known until update", nil, res("db", map[string]any{"tags": map[string]any{
			policy.ExemptTag: props.NewUnknown()}}), policy.Advisory, "is not known until update and may exempt"},
		{"tags not known until update", nil, res("db", map[string]any{"tags": props.NewUnknown()}),
			policy.Advisory, "is not known until update and may exempt"},
		{"exclude regex", map[string]policy.RawConfig{"toy": {Properties: map[string]any{"exclude": []any{"d."}}}},
			res("db", nil), policy.Advisory, `policy config toy.exclude entry "d."`},
		{"exclude regex is anchored", map[string]policy.RawConfig{"toy": {Properties: map[string]any{"exclude": []any{"d"}}}},
			res("db", nil), policy.Mandatory, ""},
		{"exclude urn", map[string]policy.RawConfig{"toy": {Properties: map[string]any{"exclude": []any{
			"urn:pulumi:dev::p::" + typ + "::db"}}}}, res("db", nil), policy.Advisory, "exclude entry"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var fs []policy.Finding // the misspelt-tag advisories are TestMisspeltExemptionTag's
			for _, f := range analyze(t, pack, c.raw, nil, c.r) {
				if f.Kind != policy.BadExemption {
					fs = append(fs, f)
				}
			}
			if len(fs) != 1 || fs[0].Level != c.level || fs[0].Kind != policy.Violation {
				t.Fatalf("got %+v", fs)
			}
			if c.reason != "" && (!strings.Contains(fs[0].Message, c.reason) || !strings.HasPrefix(fs[0].Message, "Exempted (")) {
				t.Errorf("message %q lacks reason %q", fs[0].Message, c.reason)
			}
		})
	}
}

// TestMisspeltExemptionTag: a name in the exemption tag that is no policy
// gives an advisory on the resource, once per name whatever the number of
// policies, under the nearest policy, naming the tag and that policy.
func TestMisspeltExemptionTag(t *testing.T) {
	fires := func(ctx *policy.ResourceContext) { ctx.Violationf("bad") }
	bucket, db := toy("s3-bucket-encrypted", fires), toy("rds-storage-encrypted", fires)
	db.Types = []string{"test:index/db:Db"} // does not look at typ
	pack := mustPack(t, bucket, db, toy("api-tls", fires))
	type advice struct {
		policy string
		want   []string
	}
	tagged := func(tag any) *graph.Resource {
		return res("logs", map[string]any{"tags": map[string]any{policy.ExemptTag: tag}})
	}
	const secretReason = "s3-bucket-encrypt: hunter2-very-secret"
	cases := []struct {
		name   string
		raw    map[string]policy.RawConfig
		r      *graph.Resource
		advice []advice
		level  policy.Level // of s3-bucket-encrypted's violation
	}{
		{"exact names", nil, tagged("s3-bucket-encrypted, api-tls: legacy"), nil, policy.Advisory},
		{"misspelt", nil, tagged("s3-bucket-encrypt: legacy"), []advice{{"s3-bucket-encrypted", []string{
			`test:index/thing:Thing "logs": tag selfhosted-hardening:exempt names "s3-bucket-encrypt", which is not ` +
				"a policy of test, so it exempts nothing; did you mean s3-bucket-encrypted?",
			"\nWhy: an exemption tag counts only for the policies it names exactly, so the findings of " +
				"s3-bucket-encrypted on this resource keep their level",
			"\nFix: Set the tag to \"s3-bucket-encrypted: legacy\", if that is the policy meant."}}}, policy.Mandatory},
		{"misspelt beside a real name", nil, tagged("api-tls,rds-storage-encrypt : moved"), []advice{{"rds-storage-encrypted",
			[]string{`names "rds-storage-encrypt"`, "did you mean rds-storage-encrypted?",
				`Set the tag to "api-tls,rds-storage-encrypted : moved"`}}}, policy.Mandatory},
		{"two misspelt", nil, tagged("s3-bucket-encrypt,api-tsl"), []advice{
			{"api-tls", []string{`names "api-tsl"`, "did you mean api-tls?", `Set the tag to "s3-bucket-encrypt,api-tls"`}},
			{"s3-bucket-encrypted", []string{`names "s3-bucket-encrypt"`}}}, policy.Mandatory},
		{"only a reason", nil, tagged("legacy data, do not touch"), []advice{
			{"api-tls", []string{`names "do not touch"`, "the policies of test are: api-tls, rds-storage-encrypted, s3-bucket-encrypted."}},
			{"api-tls", []string{`names "legacy data"`, "exempts nothing\n"}}}, policy.Mandatory},
		{"nearest policy disabled", map[string]policy.RawConfig{"rds-storage-encrypted": {Level: policy.Disabled}},
			tagged("rds-storage-encrypt: moved"), nil, policy.Mandatory},
		{"secret tag is not quoted", nil, res("logs", map[string]any{"tags": map[string]any{
			policy.ExemptTag: props.Secret(props.NewString(secretReason))}}), []advice{{"s3-bucket-encrypted", []string{
			"tag selfhosted-hardening:exempt (a secret, not shown) names something that is not a policy of test",
			"did you mean s3-bucket-encrypted?", "Fix: Write the policy's exact name in the tag: s3-bucket-encrypted"}}},
			policy.Mandatory},
		{"secret tags object", nil, res("logs", map[string]any{"tags": props.Secret(props.FromGo(map[string]any{
			policy.ExemptTag: secretReason}))}), []advice{{"s3-bucket-encrypted", []string{"(a secret, not shown)"}}},
			policy.Mandatory},
		{"a secret of the resource written in a plain tag is cut", nil, res("logs", map[string]any{
			"password": props.Secret(props.NewString(`hunter2"quoted`)),
			"tags":     map[string]any{policy.ExemptTag: `hunter2"quoted: x`}}),
			[]advice{{"api-tls", []string{`names "[secret]", which`}}}, policy.Mandatory},
		{"unknown tag", nil, tagged(props.NewUnknown()), nil, policy.Advisory},
		{"not a string", nil, tagged(7), nil, policy.Mandatory},
		{"empty", nil, tagged(" , : "), nil, policy.Mandatory},
		{"long name", nil, tagged(strings.Repeat("x", 500)), []advice{{"api-tls", []string{`"` + strings.Repeat("x", 200) + `"...`}}},
			policy.Mandatory},
		{"long name is cut by runes", nil, tagged(strings.Repeat("é", 300)), []advice{{"api-tls",
			[]string{`"` + strings.Repeat("é", 200) + `"...`}}}, policy.Mandatory},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := &policy.Env{DryRun: true}
			var got []policy.Finding
			for _, f := range analyze(t, pack, c.raw, env, c.r) {
				switch f.Kind {
				case policy.BadExemption:
					got = append(got, f)
				case policy.Violation:
					if f.Policy.Name == "s3-bucket-encrypted" && f.Level != c.level {
						t.Errorf("s3-bucket-encrypted's violation is %s, want %s", f.Level, c.level)
					}
				}
			}
			if len(got) != len(c.advice) {
				t.Fatalf("want %d tag advisories, got %+v", len(c.advice), got)
			}
			for i, a := range c.advice {
				f := got[i]
				if f.Policy.Name != a.policy || f.Level != policy.Advisory || f.Resource != c.r {
					t.Errorf("advisory %d: policy %s level %s, want %s advisory on the resource", i, f.Policy.Name,
						f.Level, a.policy)
				}
				for _, w := range a.want {
					if !strings.Contains(f.Message, w) {
						t.Errorf("advisory %d lacks %q:\n%s", i, w, f.Message)
					}
				}
				if strings.Contains(f.Message, "hunter2") || strings.Contains(f.Message, "s3-bucket-encrypt:") {
					t.Errorf("a secret tag leaked:\n%s", f.Message)
				}
				if !utf8.ValidString(f.Message) {
					t.Errorf("message is not valid UTF-8 (the engine's protobuf refuses it):\n%q", f.Message)
				}
			}
		})
	}

	// Once per resource, whatever the type: a type no policy looks at is
	// checked too.
	other := &graph.Resource{URN: "urn:pulumi:dev::p::test:index/other:Other::o", Type: "test:index/other:Other",
		Name: "o", Props: props.FromGo(map[string]any{"tags": map[string]any{policy.ExemptTag: "api-tsl: x"}})}
	other.Outputs = other.Props
	if fs := analyze(t, pack, nil, nil, other); len(fs) != 1 || fs[0].Kind != policy.BadExemption {
		t.Errorf("a resource no policy looks at: %+v", fs)
	}
}

func TestLevels(t *testing.T) {
	p := toy("toy", func(ctx *policy.ResourceContext) { ctx.Violationf("bad") })
	pack := mustPack(t, p)
	if fs := analyze(t, pack, map[string]policy.RawConfig{"toy": {Level: policy.Disabled}}, nil, res("r", nil)); len(fs) != 0 {
		t.Errorf("disabled policy ran: %+v", fs)
	}
	fs := analyze(t, pack, map[string]policy.RawConfig{"toy": {Level: policy.Advisory}}, nil, res("r", nil))
	if len(fs) != 1 || fs[0].Level != policy.Advisory {
		t.Errorf("advisory: %+v", fs)
	}
	if fs := analyze(t, pack, nil, nil, &graph.Resource{URN: "urn:x", Type: "pulumi:pulumi:Stack"}); len(fs) != 0 {
		t.Errorf("a policy ran on a type it does not name: %+v", fs)
	}
}

func TestMessagesSayWhatWhyAndFix(t *testing.T) {
	p := toy("toy", func(ctx *policy.ResourceContext) { ctx.Violationf("flag is off") })
	fs := analyze(t, mustPack(t, p), nil, nil, res("r", nil))
	m := fs[0].Message
	for _, want := range []string{`test:index/thing:Thing "r": flag is off`, "\nWhy: " + atRest.Why,
		atRest.URL, "\nFix: Do the right thing."} {
		if !strings.Contains(m, want) {
			t.Errorf("message lacks %q:\n%s", want, m)
		}
	}
}

func TestSecretsAreRedacted(t *testing.T) {
	const secret, cfgSecret = "hunter2-very-secret", "config-secret-value"
	p := toy("toy", func(ctx *policy.ResourceContext) {
		v, _ := ctx.Value("password").Str()
		ctx.Violationf("leaky policy prints %s and %s; Describe gives %s; user %s",
			v, ctx.Env.Config["p:token"], ctx.Value("password").Describe(), ctx.Value("user").Describe())
	})
	pack := mustPack(t, p)
	env := &policy.Env{Config: map[string]string{"p:token": cfgSecret}, SecretKeys: map[string]bool{"p:token": true}}
	r := res("r", map[string]any{"password": props.Secret(props.NewString(secret)),
		"user": props.Secret(props.NewString("pulumi"))})
	fs := analyze(t, pack, nil, env, r)
	m := fs[0].Message
	if strings.Contains(m, secret) || strings.Contains(m, cfgSecret) {
		t.Fatalf("secret leaked: %s", m)
	}
	if strings.Count(m, "[secret]") != 4 {
		t.Errorf("want 4 redactions: %s", m)
	}

	// Nor does an advisory, in its text or its fix, whatever a check puts
	// there; a malformed or unknown secret is reported by path only.
	leaky := toy("toy", func(ctx *policy.ResourceContext) {
		v, _ := ctx.Value("password").Str()
		ctx.UnverifiableFixf("Set it to something other than "+v+".", "cannot be verified: %s", v)
		ctx.Unverifiablef("cannot be verified: token %s", ctx.Env.Config["p:token"])
		ctx.Bool("password")
		ctx.String("other")
	})
	r = res("r", map[string]any{"password": props.Secret(props.NewString(secret)),
		"other": props.Secret(props.NewUnknown())})
	fs = analyze(t, mustPack(t, leaky), nil, env, r)
	if len(fs) != 4 {
		t.Fatalf("want 4 advisories, got %+v", fs)
	}
	for _, f := range fs {
		for _, s := range []string{f.Message, f.Fix, f.What} {
			if strings.Contains(s, secret) || strings.Contains(s, cfgSecret) {
				t.Errorf("secret leaked from an advisory: %s", s)
			}
		}
	}
	// "pulumi" is a secret of the installers but also the pack's own word:
	// it cannot be told apart, so it is not cut.
	if !pack.IsPublic(env, "pulumi") || pack.IsPublic(env, secret) || !pack.IsPublic(env, "abc") {
		t.Error("IsPublic")
	}
}
