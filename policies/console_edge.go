package policies

import (
	"fmt"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/aws"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/kube"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
	"github.com/selfhosted-hardening/selfhosted-hardening/taskdef"
	"github.com/selfhosted-hardening/selfhosted-hardening/workload"
)

// The guide's exception for hop 1: "If a load balancer terminates TLS in
// front of the Console, these variables are not needed." tlsEdgeTo finds
// such a load balancer where the stack shows the whole way from it to the
// container:
//
//   - ECS: an HTTPS (or TLS) listener whose default action, or one of whose
//     listener rules, forwards to a target group that an ECS service
//     registers the container in (loadBalancers[].containerName);
//   - Kubernetes: an Ingress that terminates TLS (spec.tls for ingress-nginx,
//     an HTTPS listener for the AWS Load Balancer Controller), or a
//     LoadBalancer Service with a certificate, whose backend Service selects
//     the container's pods.
//
// Links are read silently (a probe): where one is not known until update or
// malformed, no edge is seen and console-tls judges the container as before.
// An HTTP listener forwarding beside the HTTPS one is load-balancer-tls's
// finding, not console-tls's.

// tlsEdgeTo returns, in words, the TLS-terminating edge in front of c, or ""
// when the stack shows none. pending, when set, is a listener that forwards
// to the container but whose protocol is not known until update: whether it
// terminates TLS is then not known either.
func tlsEdgeTo(g *graph.Graph, c workload.Container) (edge string, pending *graph.Resource) {
	switch {
	case c.Owner == nil:
		return "", nil
	case c.Owner.Type == taskdef.Type:
		return ecsTLSEdge(g, c)
	case kube.IsWorkload(c.Owner.Type):
		return kubeTLSEdge(g, c), nil
	}
	return "", nil
}

var (
	listenerTypes     = []string{aws.TypeLBListener, aws.TypeALBListener}
	listenerRuleTypes = []string{aws.TypeLBListenerRule, aws.TypeALBListenerRule}
	targetGroupTypes  = []string{aws.TypeLBTargetGroup, aws.TypeALBTargetGroup}
)

// edgeIndex holds the joins tlsEdgeTo follows, built once per graph so
// that judging every Console container stays linear in the stack's size.
type edgeIndex struct {
	services map[*graph.Resource][]*graph.Resource // task definition -> ECS services naming it
	fronts   map[*graph.Resource][]front           // target group -> listeners forwarding to it
	kubeSvcs map[string][]*graph.Resource          // namespace -> Services
	ingress  map[string][]*graph.Resource          // namespace -> Ingresses
}

// front is a listener forwarding to a target group, by a default action or
// through a listener rule.
type front struct{ listener, rule *graph.Resource }

type edgeIndexKey struct{}

func edgesOf(g *graph.Graph) *edgeIndex {
	return g.Memo(edgeIndexKey{}, func() any {
		x := &edgeIndex{services: map[*graph.Resource][]*graph.Resource{}, fronts: map[*graph.Resource][]front{},
			kubeSvcs: map[string][]*graph.Resource{}, ingress: map[string][]*graph.Resource{}}
		for _, svc := range g.OfType(aws.TypeECSService) {
			for _, td := range graph.Targets(g.Refs(svc, pTaskDefinition, taskdef.Type)) {
				x.services[td] = append(x.services[td], svc)
			}
		}
		for _, l := range g.OfType(listenerTypes...) {
			for _, tg := range forwardTargets(g, l, "defaultActions") {
				x.fronts[tg] = append(x.fronts[tg], front{listener: l})
			}
		}
		for _, rule := range g.OfType(listenerRuleTypes...) {
			tgs := forwardTargets(g, rule, "actions")
			if len(tgs) == 0 {
				continue
			}
			for _, l := range graph.Targets(g.Refs(rule, pListenerArn, listenerTypes...)) {
				for _, tg := range tgs {
					x.fronts[tg] = append(x.fronts[tg], front{listener: l, rule: rule})
				}
			}
		}
		for _, svc := range g.OfType(kube.TypeService) {
			ns := kube.Namespace(svc)
			x.kubeSvcs[ns] = append(x.kubeSvcs[ns], svc)
		}
		for _, ing := range g.OfType(kube.TypeIngress, kube.TypeIngressV1beta1, kube.TypeIngressExt) {
			ns := kube.Namespace(ing)
			x.ingress[ns] = append(x.ingress[ns], ing)
		}
		return x
	}).(*edgeIndex)
}

// ecsTLSEdge follows task definition → ECS service → target group →
// HTTPS listener (directly or through a listener rule).
func ecsTLSEdge(g *graph.Graph, c workload.Container) (string, *graph.Resource) {
	x := edgesOf(g)
	var pending *graph.Resource
	for _, svc := range x.services[c.Owner] {
		lbs, _ := policy.Probe(svc).Items("loadBalancers")
		for _, lb := range lbs {
			if name, st := lb.String("containerName"); st != policy.Known || name != c.Name {
				continue
			}
			for _, ref := range g.Refs(svc, props.MustPath(lb.Base()).Key("targetGroupArn"), targetGroupTypes...) {
				if ref.Target == nil {
					continue
				}
				l, p := tlsListenerTo(x, ref.Target)
				if l != "" {
					return fmt.Sprintf("%s forwards to target group %q, in which %s registers it", l,
						ref.Target.Name, svc.Label()), nil
				}
				if pending == nil {
					pending = p
				}
			}
		}
	}
	return "", pending
}

// tlsListenerTo names an HTTPS or TLS listener that forwards to tg, by its
// default actions or by a listener rule, or returns "" and a forwarding
// listener whose protocol is not known until update, if any.
func tlsListenerTo(x *edgeIndex, tg *graph.Resource) (string, *graph.Resource) {
	var pending *graph.Resource
	for _, f := range x.fronts[tg] {
		p, st := listenerProtocol(policy.Probe(f.listener))
		switch {
		case st == policy.Unknown && pending == nil:
			pending = f.listener
		case st == policy.Known && (p == "HTTPS" || p == "TLS") && f.rule == nil:
			return fmt.Sprintf("%s listener %q", p, f.listener.Name), nil
		case st == policy.Known && (p == "HTTPS" || p == "TLS"):
			return fmt.Sprintf("%s listener %q (rule %q)", p, f.listener.Name, f.rule.Name), nil
		}
	}
	return "", pending
}

// forwardTargets are the target groups an action of the list at key
// forwards to: by targetGroupArn, or by a weighted forward's
// targetGroups[].arn.
func forwardTargets(g *graph.Graph, r *graph.Resource, key string) []*graph.Resource {
	var refs []graph.Ref
	actions, _ := policy.Probe(r).Items(key)
	for _, a := range actions {
		if typ, st := a.String("type"); st == policy.Known && typ != "forward" {
			continue
		}
		refs = append(refs, g.Refs(r, props.MustPath(a.Base()).Key("targetGroupArn"), targetGroupTypes...)...)
		groups, _ := a.Items("forward.targetGroups")
		for _, item := range groups {
			refs = append(refs, g.Refs(r, props.MustPath(item.Base()).Key("arn"), targetGroupTypes...)...)
		}
	}
	return graph.Targets(refs)
}

// kubeTLSEdge follows workload ← Service (selector) ← Ingress (backend), or
// a LoadBalancer Service with a certificate selecting the workload.
func kubeTLSEdge(g *graph.Graph, c workload.Container) string {
	labels, ok := kube.PodLabels(policy.Probe(c.Owner))
	if !ok || len(labels) == 0 {
		return ""
	}
	x := edgesOf(g)
	ns := kube.Namespace(c.Owner)
	for _, svc := range x.kubeSvcs[ns] {
		if !selects(svc, labels) {
			continue
		}
		if e, ok := kube.ReadEdge(policy.Probe(svc), true); ok && e.TLS {
			return fmt.Sprintf("%s terminates TLS and selects its pods", svc.Label())
		}
		name, _ := policy.Probe(svc).String("metadata.name")
		for _, ing := range x.ingress[ns] {
			if !backsOnto(g, ing, svc, name) {
				continue
			}
			if e, ok := kube.ReadEdge(policy.Probe(ing), true); ok && e.TLS {
				return fmt.Sprintf("%s (%s) terminates TLS and routes to %s, which selects its pods", ing.Label(),
					e.Controller, svc.Label())
			}
		}
	}
	return ""
}

// selects reports whether a Service's known, non-empty selector matches the
// labels.
func selects(svc *graph.Resource, labels map[string]string) bool {
	sel, ok := kube.StringMap(policy.Probe(svc), "spec.selector")
	if !ok || len(sel) == 0 {
		return false
	}
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// backsOnto reports whether an Ingress sends traffic to svc, whose
// metadata.name is name ("" when the provider names it): its default
// backend or a path's, in networking.k8s.io/v1 or v1beta1 form. A backend
// name not known until update (the Service's generated name) counts when
// the Ingress's property dependencies name svc.
func backsOnto(g *graph.Graph, ing, svc *graph.Resource, name string) bool {
	rd := policy.Probe(ing)
	matches := func(b policy.Reader) bool {
		for _, p := range []string{"service.name", "serviceName"} {
			at := props.MustPath(b.Base() + "." + p)
			v := ing.Props.Get(at)
			if s, ok := v.Str(); ok && name != "" && strings.TrimSpace(s) == name {
				return true
			}
			if v.IsUnknown() {
				for _, ref := range g.Refs(ing, at, kube.TypeService) {
					if ref.Target == svc {
						return true
					}
				}
			}
		}
		return false
	}
	for _, p := range []string{"spec.defaultBackend", "spec.backend"} {
		if bs, _ := rd.Items(p); len(bs) == 1 && matches(bs[0]) {
			return true
		}
	}
	rules, _ := rd.Items("spec.rules")
	for _, r := range rules {
		paths, _ := r.Items("http.paths")
		for _, p := range paths {
			if bs, _ := p.Items("backend"); len(bs) == 1 && matches(bs[0]) {
				return true
			}
		}
	}
	return false
}
