package policy

import (
	"fmt"
	"net/netip"
	"regexp"
)

// Typed parameters: a policy declares each config property once as a
// package-level handle (BoolParam, StringsParam, ...), lists the handle's
// Param() in its Params, and reads the property with the handle's Get. The
// handle's type fixes the property's JSON type and the Go type Get returns,
// and a misspelt handle does not compile, where a misspelt string key
// (Config.Bool("requireKsm")) compiled and read false.
//
// Get panics when the policy's config has no such property, that is when the
// policy reads a handle it does not list in its Params: the runner turns the
// panic into a policy-error finding naming the property, so a test that runs
// the check fails rather than the check silently reading a zero value.

// BoolParam is a boolean config property.
type BoolParam struct {
	Name, Description string
	Default           bool
}

// Param is the property's definition, for the policy's Params.
func (p BoolParam) Param() Param {
	return Param{Name: p.Name, Description: p.Description, Type: Bool, Default: orNil(p.Default, p.Default)}
}

// Get returns the property's value in cfg.
func (p BoolParam) Get(cfg *Config) bool { return declared[bool](cfg, p.Name) }

// StringParam is a string config property, optionally one of Enum.
type StringParam struct {
	Name, Description string
	Enum              []string
	Default           string
}

// Param is the property's definition, for the policy's Params.
func (p StringParam) Param() Param {
	return Param{Name: p.Name, Description: p.Description, Type: String, Enum: p.Enum,
		Default: orNil(p.Default, p.Default != "")}
}

// Get returns the property's value in cfg.
func (p StringParam) Get(cfg *Config) string { return declared[string](cfg, p.Name) }

// IntParam is an integer config property; Item may be Port.
type IntParam struct {
	Name, Description string
	Item              ItemFormat
	Default           int
}

// Param is the property's definition, for the policy's Params.
func (p IntParam) Param() Param {
	return Param{Name: p.Name, Description: p.Description, Type: Int, Item: p.Item,
		Default: orNil(p.Default, p.Default != 0)}
}

// Get returns the property's value in cfg.
func (p IntParam) Get(cfg *Config) int { return declared[int](cfg, p.Name) }

// StringsParam is a list-of-strings config property, optionally each one of
// Enum.
type StringsParam struct {
	Name, Description string
	Enum              []string
	Default           []string
}

// Param is the property's definition, for the policy's Params.
func (p StringsParam) Param() Param {
	return Param{Name: p.Name, Description: p.Description, Type: StringList, Enum: p.Enum,
		Default: orNil(p.Default, p.Default != nil)}
}

// Get returns the property's value in cfg. Callers must not modify it.
func (p StringsParam) Get(cfg *Config) []string { return declared[[]string](cfg, p.Name) }

// IntsParam is a list-of-integers config property; Item may be Port.
type IntsParam struct {
	Name, Description string
	Item              ItemFormat
	Default           []int
}

// Param is the property's definition, for the policy's Params.
func (p IntsParam) Param() Param {
	return Param{Name: p.Name, Description: p.Description, Type: IntList, Item: p.Item,
		Default: orNil(p.Default, p.Default != nil)}
}

// Get returns the property's value in cfg. Callers must not modify it.
func (p IntsParam) Get(cfg *Config) []int { return declared[[]int](cfg, p.Name) }

// PrefixesParam is a list of CIDR blocks (validated as such), read parsed.
type PrefixesParam struct {
	Name, Description string
	Default           []string
}

// Param is the property's definition, for the policy's Params.
func (p PrefixesParam) Param() Param {
	return Param{Name: p.Name, Description: p.Description, Type: StringList, Item: CIDR,
		Default: orNil(p.Default, p.Default != nil)}
}

// Get returns the property's blocks, parsed and masked. Callers must not
// modify them.
func (p PrefixesParam) Get(cfg *Config) []netip.Prefix {
	declared[[]string](cfg, p.Name)
	return cfg.Prefixes(p.Name)
}

// RegexpsParam is a list of regular expressions (validated as such), read
// compiled.
type RegexpsParam struct {
	Name, Description string
	Default           []string
}

// Param is the property's definition, for the policy's Params.
func (p RegexpsParam) Param() Param {
	return Param{Name: p.Name, Description: p.Description, Type: StringList, Item: Regex,
		Default: orNil(p.Default, p.Default != nil)}
}

// Get returns the property's expressions, compiled. Callers must not modify
// them.
func (p RegexpsParam) Get(cfg *Config) []*regexp.Regexp {
	declared[[]string](cfg, p.Name)
	return cfg.Regexps(p.Name)
}

// orNil keeps a zero default out of Param.Default (nil means the zero value),
// so a handle's schema is the same as the hand-written Param's.
func orNil[T any](v T, set bool) any {
	if !set {
		return nil
	}
	return v
}

// declared returns the property's value, and panics if the policy does not
// declare the property (Configure fills in every declared one).
func declared[T any](cfg *Config, name string) T {
	x, ok := cfg.values[name]
	if !ok {
		panic(fmt.Sprintf("config property %q is read but not declared in the policy's Params", name))
	}
	v, ok := x.(T)
	if !ok {
		panic(fmt.Sprintf("config property %q is declared as %T, read as %T", name, x, v))
	}
	return v
}
