// Package generated knows the values providers generate (the random
// provider's strings, ids and passwords; azuread's passwords) and whether
// the Pulumi state keeps them secret, and finds where such a value went:
// which resources' inputs took it, by the engine's property dependencies
// (in preview, while the value is not known) and, in update, by the value
// itself, down to the key or variable that holds it.
//
// A RandomString's result and a RandomId's encodings are plain outputs: the
// state holds them in plain text, whatever the resources that take them do
// with them (a Kubernetes Secret marks its own copy secret, not the
// RandomString's). RandomPassword's result, RandomBytes' base64 and hex and
// azuread's password values are marked secret by their SDKs
// (additionalSecretOutputs), and so is any output the program lists in that
// option.
package generated

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Type tokens of generators.
const (
	TypeRandomString   = "random:index/randomString:RandomString"
	TypeRandomID       = "random:index/randomId:RandomId"
	TypeRandomPassword = "random:index/randomPassword:RandomPassword"
	TypeRandomBytes    = "random:index/randomBytes:RandomBytes"
	TypeSPPassword     = "azuread:index/servicePrincipalPassword:ServicePrincipalPassword"
	TypeAppPassword    = "azuread:index/applicationPassword:ApplicationPassword"
)

// plainOutputs are, per generator type, the outputs that carry the value and
// that the provider leaves in plain text.
var plainOutputs = map[string][]string{
	TypeRandomString: {"result"},
	TypeRandomID:     {"hex", "b64Std", "b64Url", "dec"},
}

// Types lists the generators whose values may sit in the state in plain
// text.
func Types() []string { return []string{TypeRandomString, TypeRandomID} }

// IsGenerator reports whether a type generates values (secret or not).
func IsGenerator(typ string) bool {
	switch typ {
	case TypeRandomString, TypeRandomID, TypeRandomPassword, TypeRandomBytes, TypeSPPassword, TypeAppPassword:
		return true
	}
	return false
}

// Generator is a generator whose value the state holds in plain text.
type Generator struct {
	Res *graph.Resource
	// Outputs are the plain outputs that carry the value, e.g. result.
	Outputs []string
	// Values are their values when known (update), never to be shown.
	Values []string
}

// Plain returns the generator r is when some of its value-carrying outputs
// are plain: not listed in additionalSecretOutputs and not secret in its
// outputs. ok is false for any other resource.
func Plain(r *graph.Resource) (Generator, bool) {
	outs := plainOutputs[r.Type]
	g := Generator{Res: r}
	for _, o := range outs {
		if listed(r.SecretOutputs, o) {
			continue
		}
		v := r.Outputs.Field(o)
		if v.IsSecret() {
			continue
		}
		g.Outputs = append(g.Outputs, o)
		if s, ok := v.Str(); ok && s != "" {
			g.Values = append(g.Values, s)
		}
	}
	return g, len(g.Outputs) > 0
}

func listed(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Feeding returns the plain generators that fed property prop of r, by the
// property dependencies the engine sends in both modes.
func Feeding(g *graph.Graph, r *graph.Resource, prop string) []Generator {
	var out []Generator
	for _, urn := range r.PropertyDependencies[prop] {
		t := g.ByURN(urn)
		if t == nil || t == r {
			continue
		}
		if gen, ok := Plain(t); ok {
			out = append(out, gen)
		}
	}
	return out
}

// Site is a place inside an input that holds a generated value (Known, by
// the value itself) or may hold it (a value not known until update).
type Site struct {
	// Path locates it: stringData["pulumilocalkeys"],
	// spec.template.spec.containers[0].env[1].value; inside a JSON document
	// held in a string (an ECS containerDefinitions), the path goes on into
	// the document.
	Path string
	// Name is what the value is called there: its key, or the name of the
	// {name, value} entry it is the value of (an environment variable).
	Name  string
	Known bool
	// Secret: Name comes from a value that is a Pulumi secret (the name of
	// an entry inside a secret document); judge by it, never show it.
	Secret bool
}

// maxJSON bounds the JSON documents Sites reads inside strings.
const maxJSON = 1 << 20

// Sites walks property prop's value v and returns where the values sit
// (Known) and the leaves not known until update (not Known). A value is
// found as itself, inside a longer string, or base64-encoded (a Kubernetes
// Secret's data).
func Sites(prop string, v props.Value, values []string) []Site {
	var needles []string
	for _, s := range values {
		if len(s) >= 4 {
			needles = append(needles, s, base64.StdEncoding.EncodeToString([]byte(s)))
		}
	}
	var out []Site
	var walk func(v props.Value, at, name string, nameSecret, secret bool, depth int)
	walk = func(v props.Value, at, name string, nameSecret, secret bool, depth int) {
		if depth > 64 {
			return
		}
		secret = secret || v.IsSecret()
		switch v.Kind() {
		case props.Unknown:
			out = append(out, Site{Path: at, Name: name, Secret: nameSecret})
		case props.String:
			s, _ := v.Str()
			if t := strings.TrimSpace(s); len(t) < maxJSON && (strings.HasPrefix(t, "[") || strings.HasPrefix(t, "{")) {
				// A JSON document (an ECS containerDefinitions): look inside.
				var x any
				if json.Unmarshal([]byte(t), &x) == nil {
					before := len(out)
					walk(props.FromGo(x), at, name, nameSecret, secret, depth+1)
					if knownSince(out, before) {
						return
					}
					out = out[:before] // not inside: the document as a whole
				}
			}
			if holds(s, needles) {
				out = append(out, Site{Path: at, Name: name, Known: true, Secret: nameSecret})
			}
		case props.Array:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i), fmt.Sprintf("%s[%d]", at, i), name, nameSecret, secret, depth+1)
			}
		case props.Object:
			entry, _ := v.Field("name").Str()
			entrySecret := secret || v.Field("name").IsSecret()
			for _, k := range v.Keys() {
				n, ns := k, false
				if k == "value" && entry != "" {
					n, ns = entry, entrySecret // {name: API_KEY, value: ...}
				}
				walk(v.Field(k), join(at, k), n, ns, secret, depth+1)
			}
		}
	}
	walk(v, prop, prop, false, false, 0)
	return out
}

func knownSince(sites []Site, i int) bool {
	for _, s := range sites[i:] {
		if s.Known {
			return true
		}
	}
	return false
}

func holds(s string, needles []string) bool {
	for _, n := range needles {
		if strings.Contains(s, n) {
			return true
		}
	}
	return false
}

var ident = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// join writes a path step: a.b, or a["tls.key"] for a key that is no
// identifier.
func join(at, key string) string {
	if ident.MatchString(key) {
		return at + "." + key
	}
	return fmt.Sprintf("%s[%q]", at, key)
}
