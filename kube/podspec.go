package kube

import (
	"slices"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
)

// PodSpecPath is where a workload type's pod spec sits ("spec" for a Pod,
// "spec.template.spec" for a Deployment or DaemonSet); ok is false for a
// type that is no workload.
func PodSpecPath(typ string) (string, bool) {
	p, ok := podSpecs[typ]
	return p, ok
}

// ParentChart returns the nearest Helm Chart or Release among r's
// ancestors in g (a Chart's rendered objects are its children, at any
// depth), or nil.
func ParentChart(g *graph.Graph, r *graph.Resource) *graph.Resource {
	for i, p := 0, r.Parent; p != "" && i < 32; i++ {
		parent := g.ByURN(p)
		if parent == nil {
			return nil
		}
		if slices.Contains(HelmTypes, parent.Type) {
			return parent
		}
		p = parent.Parent
	}
	return nil
}
