package model

import "github.com/selfhosted-hardening/selfhosted-hardening/graph"

// Source is where a stack's guide objects come from: one per platform
// shape. Each method returns the objects of its kind in the graph; an
// adapter that knows none returns nil.
type Source interface {
	ObjectStores(g *graph.Graph) []ObjectStore
	Clusters(g *graph.Graph) []Cluster
	Placements(g *graph.Graph) []Placement
	Edges(g *graph.Graph) []Edge
	DatabaseTLS(g *graph.Graph) []DatabaseTLS
	// Database reads one resource as a database, for resource policies;
	// DatabaseTypes are the types it reads so.
	Database(r *graph.Resource) (Database, bool)
	DatabaseTypes() []string
	// PhysicalNames lists, per type token, the outputs that hold a
	// resource's physical name (graph.IndexNames).
	PhysicalNames() map[string][]string
	// Types are the type tokens the adapter reads, so the bad-input and
	// fuzz suites cover every adapter.
	Types() []string
}

// None is a Source of nothing, for an adapter to embed: it then declares
// only the kinds of object its platform has.
type None struct{}

// ObjectStores returns none.
func (None) ObjectStores(*graph.Graph) []ObjectStore { return nil }

// Clusters returns none.
func (None) Clusters(*graph.Graph) []Cluster { return nil }

// Placements returns none.
func (None) Placements(*graph.Graph) []Placement { return nil }

// Edges returns none.
func (None) Edges(*graph.Graph) []Edge { return nil }

// DatabaseTLS returns none.
func (None) DatabaseTLS(*graph.Graph) []DatabaseTLS { return nil }

// PhysicalNames returns none.
func (None) PhysicalNames() map[string][]string { return nil }

// Types returns none.
func (None) Types() []string { return nil }

// Database reads nothing.
func (None) Database(*graph.Resource) (Database, bool) { return Database{}, false }

// DatabaseTypes returns none.
func (None) DatabaseTypes() []string { return nil }

// Sources are the adapters a pack reads the stack through.
type Sources []Source

// ObjectStores returns every adapter's object stores.
func (s Sources) ObjectStores(g *graph.Graph) []ObjectStore { return all(s, g, Source.ObjectStores) }

// Clusters returns every adapter's clusters.
func (s Sources) Clusters(g *graph.Graph) []Cluster { return all(s, g, Source.Clusters) }

// Placements returns every adapter's tier members of the tier.
func (s Sources) Placements(g *graph.Graph, t Tier) []Placement {
	var out []Placement
	for _, p := range all(s, g, Source.Placements) {
		if p.Tier == t {
			out = append(out, p)
		}
	}
	return out
}

// all is what every adapter's method of one kind returns, in adapter order.
func all[T any](s Sources, g *graph.Graph, of func(Source, *graph.Graph) []T) []T {
	var out []T
	for _, src := range s {
		out = append(out, of(src, g)...)
	}
	return out
}

// PhysicalNames merges every adapter's physical-name outputs.
func (s Sources) PhysicalNames() map[string][]string {
	ms := make([]map[string][]string, len(s))
	for i, src := range s {
		ms[i] = src.PhysicalNames()
	}
	return MergeNames(ms...)
}

// MergeNames merges physical-name maps (type token -> outputs), for an
// adapter whose concerns each declare their own and for the list of
// adapters.
func MergeNames(ms ...map[string][]string) map[string][]string {
	out := map[string][]string{}
	for _, m := range ms {
		for t, f := range m {
			out[t] = append(out[t], f...)
		}
	}
	return out
}

// Edges returns every adapter's edges.
func (s Sources) Edges(g *graph.Graph) []Edge { return all(s, g, Source.Edges) }

// DatabaseTLS returns every adapter's databases' TLS enforcement.
func (s Sources) DatabaseTLS(g *graph.Graph) []DatabaseTLS { return all(s, g, Source.DatabaseTLS) }

// Types returns every type token an adapter reads, each once, in order.
func (s Sources) Types() []string {
	var out []string
	seen := map[string]bool{}
	for _, src := range s {
		for _, t := range src.Types() {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// Database reads r through the first adapter that knows its type.
func (s Sources) Database(r *graph.Resource) (Database, bool) {
	for _, src := range s {
		if db, ok := src.Database(r); ok {
			return db, true
		}
	}
	return Database{}, false
}

// DatabaseTypes are the types some adapter reads as a database.
func (s Sources) DatabaseTypes() []string {
	var out []string
	for _, src := range s {
		out = append(out, src.DatabaseTypes()...)
	}
	return out
}
