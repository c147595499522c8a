// Package graph holds the resources of one analysis and the references
// between them. Stack policies ask it which resource an input such as a
// subnet group's subnetIds[1] or an encryption configuration's bucket names:
// by the input's known value (an id, ARN, URN or physical name) during an
// update, or, while that value is unknown during a preview, by the property
// dependencies the engine sends with every resource.
package graph

import (
	"slices"
	"sort"
	"sync"

	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Resource is one resource as the engine describes it to an analyzer.
type Resource struct {
	URN  string
	Type string // type token, e.g. aws:rds/cluster:Cluster
	Name string // logical name, the last part of the URN
	// Props is what the program declared: the resource's inputs. During
	// AnalyzeStack, where the engine sends outputs, they are the inputs the
	// analyzer saw for the resource in Analyze earlier in the same run, or
	// the outputs when it saw none. Policies judge Props: outputs hold
	// provider defaults (S3 reports default encryption for any new bucket)
	// and, in preview, unknowns for every computed property.
	Props props.Value
	// Outputs are the resource's outputs (AnalyzeStack), or its inputs
	// (Analyze). References are resolved against ids and ARNs found here.
	Outputs props.Value
	Parent  string
	// Dependencies are the URNs the resource depends on.
	Dependencies []string
	// PropertyDependencies maps a top-level property to the URNs of the
	// resources its value came from.
	PropertyDependencies map[string][]string
	// SecretOutputs are the outputs the program asked the engine to keep
	// secret (the additionalSecretOutputs resource option; the SDKs set it
	// for outputs their provider marks sensitive, e.g. a RandomPassword's
	// result). Known in preview, before the outputs are.
	SecretOutputs []string

	memo map[any]any
}

// Memo returns what build returns for key, building it once per resource,
// for work several policies would otherwise repeat on the same resource
// (parsing a JSON document held in an input). build must depend on the
// resource alone. The policies of one request run one after another, so
// Memo takes no lock; a Resource is not shared between requests.
func (r *Resource) Memo(key any, build func() any) any {
	if v, ok := r.memo[key]; ok {
		return v
	}
	if r.memo == nil {
		r.memo = map[any]any{}
	}
	v := build()
	r.memo[key] = v
	return v
}

// Get reads a property path; see props.Value.Lookup.
func (r *Resource) Get(p props.Path) props.Value { return r.Props.Get(p) }

// Label names the resource for a message: type token and logical name.
func (r *Resource) Label() string {
	return r.Type + ` "` + r.Name + `"`
}

var (
	pathID   = props.MustPath("id")
	pathARN  = props.MustPath("arn")
	pathName = props.MustPath("name")
)

// Graph indexes the resources of one analysis. Build it once per request.
type Graph struct {
	memoMu sync.Mutex
	memo   map[any]any

	all    []*Resource
	byURN  map[string]*Resource
	byType map[string][]*Resource
	byKey  map[string][]*Resource // id, ARN and physical names
	named  map[string]bool        // types IndexNames has indexed
}

// New indexes resources. Cost is linear in the number of resources.
func New(resources []*Resource) *Graph {
	g := &Graph{
		all:    resources,
		byURN:  make(map[string]*Resource, len(resources)),
		byType: make(map[string][]*Resource),
		byKey:  make(map[string][]*Resource, 2*len(resources)),
	}
	for _, r := range resources {
		g.byURN[r.URN] = r
		g.byType[r.Type] = append(g.byType[r.Type], r)
		var buf [8]string
		keys := buf[:0]
		add := func(k string) {
			if k != "" && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
		for _, v := range [2]props.Value{r.Outputs, r.Props} {
			add(str(v, pathID))
			add(str(v, pathARN))
			add(str(v, pathName))
		}
		for _, k := range keys {
			g.byKey[k] = append(g.byKey[k], r)
		}
	}
	return g
}

func str(v props.Value, p props.Path) string {
	s, _ := v.Get(p).Str()
	return s
}

// IndexNames indexes, for the types it lists, the outputs that hold a
// resource's physical name, the name other resources use to refer to it
// (an S3 bucket's "bucket", an RDS instance's "identifier"); "name" counts
// for every type already. The adapters know these names, the graph does
// not: they index them before they resolve references by name (and the
// pack before its stack policies run). A type indexed once is not indexed
// again.
func (g *Graph) IndexNames(names map[string][]string) {
	for t, fields := range names {
		if g.named[t] {
			continue
		}
		if g.named == nil {
			g.named = map[string]bool{}
		}
		g.named[t] = true
		for _, r := range g.byType[t] {
			for _, v := range [2]props.Value{r.Outputs, r.Props} {
				for _, f := range fields {
					k := str(v, props.Path{{Key: f}})
					if k != "" && !slices.Contains(g.byKey[k], r) {
						g.byKey[k] = append(g.byKey[k], r)
					}
				}
			}
		}
	}
}

// Memo returns what build returns for key, building it once per graph, so
// that joins several stack policies need (e.g. security group rules to their
// groups) are computed once per AnalyzeStack. build must not depend on
// anything but the graph, and must not call Memo.
func (g *Graph) Memo(key any, build func() any) any {
	g.memoMu.Lock()
	defer g.memoMu.Unlock()
	if v, ok := g.memo[key]; ok {
		return v
	}
	if g.memo == nil {
		g.memo = map[any]any{}
	}
	v := build()
	g.memo[key] = v
	return v
}

// Resources returns every resource, in the order the engine sent them.
// Callers must not modify the slice.
func (g *Graph) Resources() []*Resource { return g.all }

// ByURN returns the resource with that URN, or nil.
func (g *Graph) ByURN(urn string) *Resource { return g.byURN[urn] }

// OfType returns the resources of the given type tokens, in request order
// within each type. Callers must not modify the slice.
func (g *Graph) OfType(types ...string) []*Resource {
	if len(types) == 1 {
		// Clipped, so a caller's append cannot write into the index.
		return slices.Clip(g.byType[types[0]])
	}
	var out []*Resource
	for _, t := range types {
		out = append(out, g.byType[t]...)
	}
	return out
}

// Lookup finds the resource of one of the types whose id, ARN, URN or
// physical name is key. With several matches it returns the first in request
// order.
func (g *Graph) Lookup(key string, types ...string) *Resource {
	if r := g.byURN[key]; r != nil && typeIn(r.Type, types) {
		return r
	}
	for _, r := range g.byKey[key] {
		if typeIn(r.Type, types) {
			return r
		}
	}
	return nil
}

func typeIn(t string, types []string) bool {
	if len(types) == 0 {
		return true
	}
	for _, x := range types {
		if x == t {
			return true
		}
	}
	return false
}

// Ref is one reference from a resource's input to another resource.
type Ref struct {
	// Path is where the reference sits, e.g. subnetIds[1]; for a reference
	// found only through property dependencies, the top-level property.
	Path props.Path
	// Value is the referring value (an id, ARN or name) when known.
	Value string
	// Known reports whether the value was known. When it was not, Target was
	// found through the engine's property dependencies, or not at all.
	Known bool
	// Target is the resource referred to; nil when it is not in this stack
	// (a known value that names something outside) or cannot be told.
	Target *Resource
}

// Refs resolves the reference, or array of references, at path p of from to
// resources of the given types.
//
// A known value is looked up by id, ARN, URN and physical name. An unknown
// value (during preview) is resolved through the property dependencies of p's
// top-level property: every dependency of the right type that the known items
// did not already account for is returned (Known false), since the engine
// does not say which item came from which resource. An unknown that no
// dependency explains yields one Ref with a nil Target. A known value that
// names nothing in the stack yields a Ref with a nil Target (an external
// resource), and leftover dependencies are returned beside it. Null or absent
// yields nothing.
func (g *Graph) Refs(from *Resource, p props.Path, types ...string) []Ref {
	v := from.Props.Get(p)
	var out []Ref
	unknownAt := props.Path(nil)
	unknowns := 0
	addValue := func(at props.Path, item props.Value) {
		switch item.Kind() {
		case props.String:
			s, _ := item.Str()
			if s == "" {
				return
			}
			out = append(out, Ref{Path: at, Value: s, Known: true, Target: g.Lookup(s, types...)})
		case props.ResourceRef:
			urn, id, _ := item.Ref()
			t := g.ByURN(urn)
			if t == nil && id != "" {
				t = g.Lookup(id, types...)
			}
			if t != nil && !typeIn(t.Type, types) {
				t = nil
			}
			out = append(out, Ref{Path: at, Value: urn, Known: true, Target: t})
		case props.Unknown:
			unknowns++
			if unknownAt == nil {
				unknownAt = at
			}
		}
	}
	if items, ok := v.Array(); ok {
		for i, item := range items {
			addValue(p.At(i), item)
		}
	} else {
		addValue(p, v)
	}
	if unknowns > 1 {
		// Which dependency fed which item is not known: name the whole array.
		unknownAt = p
	}
	unresolved := false
	seen := map[*Resource]bool{}
	for _, r := range out {
		if r.Target != nil {
			seen[r.Target] = true
		} else {
			unresolved = true
		}
	}
	if unknownAt == nil && !unresolved {
		return out
	}
	// Property dependencies name the resources the value came from. They
	// explain unknown items, and known items whose target has no indexed id
	// (outputs that a provider left out).
	at := unknownAt
	if at == nil {
		at = p
	}
	found := false
	for _, urn := range from.PropertyDependencies[p.Root()] {
		t := g.byURN[urn]
		if t == nil || !typeIn(t.Type, types) || seen[t] {
			continue
		}
		seen[t] = true
		found = true
		out = append(out, Ref{Path: at, Target: t})
	}
	if !found && unknownAt != nil {
		out = append(out, Ref{Path: unknownAt})
	}
	return out
}

// Targets returns the distinct in-stack targets of refs, sorted by URN.
func Targets(refs []Ref) []*Resource {
	seen := map[*Resource]bool{}
	var out []*Resource
	for _, r := range refs {
		if r.Target != nil && !seen[r.Target] {
			seen[r.Target] = true
			out = append(out, r.Target)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URN < out[j].URN })
	return out
}

// ReferrersOf returns the resources of the given types whose input at path p
// refers to target, by value or, in preview, by property dependency. It is a
// scan over the resources of those types; stack policies that join many
// resources build their own index with Refs instead.
func (g *Graph) ReferrersOf(target *Resource, p props.Path, types ...string) []*Resource {
	var out []*Resource
	for _, r := range g.OfType(types...) {
		for _, ref := range g.Refs(r, p, target.Type) {
			if ref.Target == target {
				out = append(out, r)
				break
			}
		}
	}
	return out
}
