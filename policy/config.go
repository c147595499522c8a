package policy

import (
	"fmt"
	"net/netip"
	"regexp"
	"sort"
	"strings"
)

// Config is one policy's configuration for a run: its enforcement level and
// its validated config properties, defaults filled in.
type Config struct {
	Level  Level
	values map[string]any
	// Compiled forms, made once in Configure.
	regexps  map[string][]*regexp.Regexp
	prefixes map[string][]netip.Prefix
	exclude  []excludeRule
}

type excludeRule struct {
	raw string
	re  *regexp.Regexp // nil for a URN
}

// Bool returns a boolean property (false when unset or of another type).
func (c *Config) Bool(name string) bool { b, _ := c.values[name].(bool); return b }

// String returns a string property.
func (c *Config) String(name string) string { s, _ := c.values[name].(string); return s }

// Int returns an integer property.
func (c *Config) Int(name string) int { n, _ := c.values[name].(int); return n }

// Strings returns a string-list property. Callers must not modify it.
func (c *Config) Strings(name string) []string { s, _ := c.values[name].([]string); return s }

// Ints returns an integer-list property. Callers must not modify it.
func (c *Config) Ints(name string) []int { n, _ := c.values[name].([]int); return n }

// Regexps returns a Regex list property, compiled.
func (c *Config) Regexps(name string) []*regexp.Regexp { return c.regexps[name] }

// Prefixes returns a CIDR list property, parsed.
func (c *Config) Prefixes(name string) []netip.Prefix { return c.prefixes[name] }

// RawConfig is one policy's config as a client sends it: a level, when
// given, and JSON properties.
type RawConfig struct {
	Level      Level // 0 when not given
	Properties map[string]any
}

// Configuration is the configuration of every policy of a pack.
type Configuration map[string]*Config

// DefaultConfiguration is every policy at its default level with default
// properties.
func (p *Pack) DefaultConfiguration() Configuration {
	c, err := p.Configure(nil)
	if err != nil {
		// Defaults are checked when the pack is built.
		panic(err)
	}
	return c
}

// Configure validates raw per-policy config and returns the configuration
// with defaults filled in. Errors name the policy and the property. The
// engine sends a key "all" when a config file sets every policy's level; it
// has already applied it, so it is accepted and ignored.
func (p *Pack) Configure(raw map[string]RawConfig) (Configuration, error) {
	var errs []string
	for name := range raw {
		if name != "all" && p.byName[name] == nil {
			if near, ok := Nearest(name, p.Names()); ok {
				errs = append(errs, fmt.Sprintf("%q is not a policy of %s; did you mean %s?", name, p.Name, near))
				continue
			}
			errs = append(errs, fmt.Sprintf("%q is not a policy of %s; its policies are: %s",
				name, p.Name, strings.Join(p.Names(), ", ")))
		}
	}
	out := make(Configuration, len(p.Policies))
	for _, pol := range p.Policies {
		rc := raw[pol.Name]
		c, perrs := configure(pol, rc)
		errs = append(errs, perrs...)
		out[pol.Name] = c
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return nil, fmt.Errorf("invalid policy config for %s: %s", p.Name, strings.Join(errs, "; "))
	}
	return out, nil
}

func configure(pol *Policy, rc RawConfig) (*Config, []string) {
	c := &Config{
		Level:    pol.Level,
		values:   map[string]any{},
		regexps:  map[string][]*regexp.Regexp{},
		prefixes: map[string][]netip.Prefix{},
	}
	if rc.Level != 0 {
		c.Level = rc.Level
	}
	var errs []string
	params := pol.AllParams()
	known := map[string]bool{}
	for _, prm := range params {
		known[prm.Name] = true
	}
	names := make([]string, len(params))
	for i, prm := range params {
		names[i] = prm.Name
	}
	for k := range rc.Properties {
		if !known[k] {
			hint := ""
			if near, ok := Nearest(k, names); ok {
				hint = "did you mean " + near + "? "
			}
			errs = append(errs, fmt.Sprintf("policy %s: unknown config property %q; %sit takes: %s",
				pol.Name, k, hint, strings.Join(names, ", ")))
		}
	}
	for _, prm := range params {
		x, given := rc.Properties[prm.Name]
		if !given {
			x = prm.defaultJSON()
		}
		v, err := prm.parse(x)
		if err != nil {
			errs = append(errs, fmt.Sprintf("policy %s: config property %q: %v", pol.Name, prm.Name, err))
			continue
		}
		c.values[prm.Name] = v
		compile(c, prm, v)
	}
	for _, s := range c.Strings(ExcludeParam.Name) {
		if strings.HasPrefix(s, "urn:pulumi:") {
			c.exclude = append(c.exclude, excludeRule{raw: s})
			continue
		}
		c.exclude = append(c.exclude, excludeRule{raw: s, re: regexp.MustCompile(`^(?:` + s + `)$`)})
	}
	return c, errs
}

// compile keeps the compiled form of regex and CIDR lists; parse has already
// proved they compile.
func compile(c *Config, prm Param, v any) {
	var items []string
	switch t := v.(type) {
	case []string:
		items = t
	case string:
		items = []string{t}
	default:
		return
	}
	for _, s := range items {
		switch prm.Item {
		case Regex:
			c.regexps[prm.Name] = append(c.regexps[prm.Name], regexp.MustCompile(s))
		case CIDR:
			c.prefixes[prm.Name] = append(c.prefixes[prm.Name], netip.MustParsePrefix(s).Masked())
		}
	}
}
