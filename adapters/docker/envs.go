package docker

import (
	"fmt"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Entry is one item of a container's envs.
type Entry struct {
	// Index is the item's place in envs, for paths: envs[3].
	Index int
	// Name is the text before the first "=" ("" when the entry has none).
	Name string
	// Value is the text after it, a Pulumi secret when the entry is one.
	// Never put it in a message: use Value.Describe.
	Value props.Value
	// Unknown: the entry is not known until update (a string built from an
	// output), so neither its name nor its value is.
	Unknown bool
	// Problem says why a known entry sets no variable; "" when it sets one.
	// It never quotes the entry, which may hold a secret.
	Problem string
}

// Sets reports whether the entry sets a variable.
func (e Entry) Sets() bool { return !e.Unknown && e.Problem == "" }

// Envs is a container's envs as the pack reads it.
type Envs struct {
	Entries []Entry
	// Unknown: the whole list is not known until update.
	Unknown bool
	// Problem: the list is not a list ("" when it is, or absent).
	Problem string
}

// ParseEnvs reads envs: a list of "KEY=value" strings, passed to Docker as
// the container's Config.Env. Docker (moby's ReplaceOrAppendEnvValues) puts
// every "KEY=value" entry in the process environment in order, duplicates
// included, and takes an entry without "=" to unset the variable from its
// own defaults (PATH, HOSTNAME), never to set it. The entry "=value" sets
// a variable with no name, which no program reads.
func ParseEnvs(v props.Value) Envs {
	switch v.Kind() {
	case props.Null:
		return Envs{}
	case props.Unknown:
		return Envs{Unknown: true}
	case props.Array:
	default:
		return Envs{Problem: fmt.Sprintf("envs is %s, expected a list of \"KEY=value\" strings", v.Kind())}
	}
	out := Envs{Entries: make([]Entry, 0, v.Len())}
	for i := 0; i < v.Len(); i++ {
		item := v.Index(i)
		e := Entry{Index: i}
		s, ok := item.Str()
		switch {
		case item.IsUnknown():
			e.Unknown = true
		case !ok:
			e.Problem = fmt.Sprintf("envs[%d] is %s, expected a \"KEY=value\" string", i, item.Kind())
		default:
			name, value, found := strings.Cut(s, "=")
			switch {
			case !found:
				// The text may be a value written without its name: never
				// quote it.
				e.Problem = fmt.Sprintf("envs[%d] has no \"=\", so it sets no variable (Docker takes KEY without "+
					"\"=\" to unset KEY)", i)
			case strings.TrimSpace(name) == "":
				e.Problem = fmt.Sprintf("envs[%d] has nothing before its \"=\", so it sets a variable without a "+
					"name, which no program reads", i)
			default:
				e.Name = name
				e.Value = props.NewString(value)
				if item.IsSecret() {
					e.Value = props.Secret(e.Value)
				}
			}
		}
		out.Entries = append(out.Entries, e)
	}
	return out
}

// Resolve is the environment the container's programs see, by name: the
// first entry that sets a name wins. Docker keeps every entry, duplicates
// included, in envs' order (moby does not fold the entries of one list into
// each other), and the service's programs read the first: Go's os.Getenv
// (the API) keeps the first of duplicate keys, as the C library's getenv
// does (Node, the Console). pulumi-docker keeps envs as a set, so with two
// different values for one name which comes first is not the order written:
// Conflicts lists such names, for the caller to note.
func Resolve(entries []Entry) (first map[string]Entry, conflicts []string) {
	first = map[string]Entry{}
	for _, e := range entries {
		if !e.Sets() {
			continue
		}
		prev, seen := first[e.Name]
		if !seen {
			first[e.Name] = e
			continue
		}
		if !sameValue(prev.Value, e.Value) && !containsString(conflicts, e.Name) {
			conflicts = append(conflicts, e.Name)
		}
	}
	return first, conflicts
}

func sameValue(a, b props.Value) bool {
	x, _ := a.Str()
	y, _ := b.Str()
	return x == y
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
