package policy

import (
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"slices"
	"strings"
)

// ParamType is the JSON type of a config property.
type ParamType int

// Config property types.
const (
	Bool ParamType = iota + 1
	String
	Int
	StringList
	IntList
)

// ItemFormat constrains a string or integer (or each item of a list) beyond
// its JSON type.
type ItemFormat int

// Item formats.
const (
	AnyItem ItemFormat = iota
	// Regex: a Go regular expression (the schema says format "regex").
	Regex
	// CIDR: an IPv4 or IPv6 CIDR block such as 203.0.113.0/24.
	CIDR
	// Port: an integer from 0 to 65535.
	Port
)

// Param is one config property of a policy. The pack sends its JSON schema
// to the engine, which validates --policy-pack-config files against it, and
// the server validates again in Configure (every client, not just the CLI,
// calls Configure) with the same rules plus the checks a schema cannot
// express, such as whether a CIDR parses.
type Param struct {
	Name        string
	Description string
	Type        ParamType
	Item        ItemFormat
	Enum        []string
	// Default is the value when the config does not set one: bool, string,
	// int, []string or []int, matching Type. Nil means false, "", 0 or empty.
	Default any
}

var paramNameRE = regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`)

// cidrPattern is the schema's approximation of a CIDR: IPv4 exactly, IPv6
// loosely (Configure parses it exactly).
const cidrPattern = `^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])/(3[0-2]|[12]?[0-9])$` +
	`|^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*/(12[0-8]|1[01][0-9]|[1-9]?[0-9])$`

// Schema returns the property's JSON schema.
func (p Param) Schema() map[string]any {
	s := map[string]any{"description": p.Description}
	item := map[string]any{}
	switch p.Type {
	case Bool:
		s["type"] = "boolean"
	case String, StringList:
		item["type"] = "string"
	case Int, IntList:
		item["type"] = "integer"
	}
	switch p.Item {
	case Regex:
		item["format"] = "regex"
	case CIDR:
		item["pattern"] = cidrPattern
	case Port:
		item["minimum"] = 0
		item["maximum"] = 65535
	}
	if len(p.Enum) > 0 {
		enum := make([]any, len(p.Enum))
		for i, e := range p.Enum {
			enum[i] = e
		}
		item["enum"] = enum
	}
	switch p.Type {
	case String, Int:
		for k, v := range item {
			s[k] = v
		}
	case StringList, IntList:
		s["type"] = "array"
		s["items"] = item
	}
	s["default"] = p.defaultJSON()
	return s
}

// defaultJSON is the default in JSON form ([]any for lists, float-free ints).
func (p Param) defaultJSON() any {
	switch d := p.Default.(type) {
	case []string:
		out := make([]any, len(d))
		for i, s := range d {
			out[i] = s
		}
		return out
	case []int:
		out := make([]any, len(d))
		for i, n := range d {
			out[i] = n
		}
		return out
	case nil:
		switch p.Type {
		case Bool:
			return false
		case String:
			return ""
		case Int:
			return 0
		}
		return []any{}
	}
	return p.Default
}

func (p Param) validate() error {
	if !paramNameRE.MatchString(p.Name) || p.Description == "" {
		return fmt.Errorf("config property %q: needs a camelCase name and a description", p.Name)
	}
	if _, err := p.parse(p.defaultJSON()); err != nil {
		return fmt.Errorf("config property %q: default: %w", p.Name, err)
	}
	return nil
}

// parse checks a JSON value (as encoding/json or structpb decode it) against
// the property and returns it in its Go form: bool, string, int, []string,
// []int. Errors say what is wrong without the property's name; the caller
// adds policy and key.
func (p Param) parse(x any) (any, error) {
	switch p.Type {
	case Bool:
		b, ok := x.(bool)
		if !ok {
			return nil, fmt.Errorf("must be true or false, got %s", jsonKind(x))
		}
		return b, nil
	case String:
		s, ok := x.(string)
		if !ok {
			return nil, fmt.Errorf("must be a string, got %s", jsonKind(x))
		}
		return s, p.checkString(s)
	case Int:
		return p.parseInt(x)
	case StringList:
		items, ok := x.([]any)
		if !ok {
			return nil, fmt.Errorf("must be an array of strings, got %s", jsonKind(x))
		}
		out := make([]string, len(items))
		for i, it := range items {
			s, ok := it.(string)
			if !ok {
				return nil, fmt.Errorf("item %d must be a string, got %s", i, jsonKind(it))
			}
			if err := p.checkString(s); err != nil {
				return nil, fmt.Errorf("item %d: %w", i, err)
			}
			out[i] = s
		}
		return out, nil
	case IntList:
		items, ok := x.([]any)
		if !ok {
			return nil, fmt.Errorf("must be an array of integers, got %s", jsonKind(x))
		}
		out := make([]int, len(items))
		for i, it := range items {
			n, err := p.parseInt(it)
			if err != nil {
				return nil, fmt.Errorf("item %d: %w", i, err)
			}
			out[i] = n.(int)
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported property type")
}

func (p Param) parseInt(x any) (any, error) {
	var f float64
	switch n := x.(type) {
	case float64:
		f = n
	case int:
		f = float64(n)
	default:
		return nil, fmt.Errorf("must be an integer, got %s", jsonKind(x))
	}
	if f != math.Trunc(f) || math.IsInf(f, 0) || math.Abs(f) > 1<<31 {
		return nil, fmt.Errorf("must be an integer, got %v", f)
	}
	if p.Item == Port && (f < 0 || f > 65535) {
		return nil, fmt.Errorf("%v is not a port number (0 to 65535)", f)
	}
	return int(f), nil
}

func (p Param) checkString(s string) error {
	if len(p.Enum) > 0 && !slices.Contains(p.Enum, s) {
		return fmt.Errorf("%q is not one of %s", s, strings.Join(p.Enum, ", "))
	}
	switch p.Item {
	case Regex:
		if _, err := regexp.Compile(s); err != nil {
			return fmt.Errorf("%q is not a valid regular expression: %v", s, err)
		}
	case CIDR:
		if _, err := netip.ParsePrefix(s); err != nil {
			return fmt.Errorf("%q is not a CIDR block such as 203.0.113.0/24 or 2001:db8::/32", s)
		}
	}
	return nil
}

func jsonKind(x any) string {
	switch t := x.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case float64, int:
		return "a number"
	case string:
		return fmt.Sprintf("the string %q", t)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", x)
}
