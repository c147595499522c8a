package kube

import (
	"fmt"

	"github.com/selfhosted-hardening/selfhosted-hardening/awsnet"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// Adapter reads Kubernetes objects into the guide's model: the load
// balancers Ingresses and LoadBalancer Services make.
type Adapter struct{ model.None }

// edgesKey memoises Edges per graph.
type edgesKey struct{}

// Edges returns the edge each Ingress and Service makes, as its controller
// builds it, the ingress-nginx controller's Service a Helm Release's values
// make, and an ingress-nginx controller published as a NodePort; one that is no edge (a ClusterIP Service, an Ingress of no
// known controller) or whose scheme is not known is returned not facing
// the internet, with what reading it noted.
func (Adapter) Edges(g *graph.Graph) []model.Edge {
	return g.Memo(edgesKey{}, func() any { return edges(g) }).([]model.Edge)
}

func edges(g *graph.Graph) []model.Edge {
	var out []model.Edge
	for _, r := range g.OfType(EdgeTypes...) {
		rd := policy.Probe(r)
		e, ok := ReadEdge(rd, false)
		me := model.Edge{Res: r, InternetFacing: model.Of(ok && e.Decided && e.InternetFacing, policy.Known, r, "")}
		if gap, has := model.GapOf(rd); has {
			me.Gaps = []model.Gap{gap}
		}
		me.Front = fmt.Sprintf("the internet-facing load balancer of %s (%s)", r.Label(), e.Controller)
		for _, sg := range e.SecurityGroups {
			target := g.Lookup(sg.Value, awsnet.TypeSecurityGroup, awsnet.TypeDefaultSecurityGroup)
			me.Groups = append(me.Groups, model.EdgeGroup{Target: target, Known: true, Shown: sg.Text, Path: sg.Path})
		}
		if len(e.SecurityGroups) == 0 {
			rs := &model.Ranges{Set: e.SourcesSet, Known: e.SourcesKnown, Default: e.DefaultSources, Key: rangesKey(e)}
			for _, s := range e.Sources {
				rs.Sources = append(rs.Sources, model.Range{Value: s.Value, Text: s.Text, Path: s.Path})
			}
			me.Ranges = rs
		}
		out = append(out, me)
	}
	for _, r := range g.OfType(TypeService) {
		if me, ok := nodePortEdge(r); ok {
			out = append(out, me)
		}
	}
	for _, r := range g.OfType(TypeHelmRelease) {
		if me, ok := releaseEdge(r); ok {
			out = append(out, me)
		}
	}
	return out
}

// rangesKey is where an edge's controller takes the ranges it admits.
func rangesKey(e Edge) string {
	switch e.Controller {
	case ALB:
		return albPrefix + "inbound-cidrs"
	case Nginx:
		return nginxPrefix + "whitelist-source-range"
	}
	return "spec.loadBalancerSourceRanges"
}

// Types are the type tokens the adapter reads: the edges, and the Helm
// releases and charts (ingress-nginx's values and version).
func (Adapter) Types() []string { return append(append([]string(nil), EdgeTypes...), HelmTypes...) }
