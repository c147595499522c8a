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

// ecsTLSEdge follows task definition → ECS service → target group →
// HTTPS listener (directly or through a listener rule).
func ecsTLSEdge(g *graph.Graph, c workload.Container) (string, *graph.Resource) {
	var pending *graph.Resource
	for _, svc := range g.ReferrersOf(c.Owner, pTaskDefinition, aws.TypeECSService) {
		lbs, _ := policy.Probe(svc).Items("loadBalancers")
		for _, lb := range lbs {
			if name, st := lb.String("containerName"); st != policy.Known || name != c.Name {
				continue
			}
			for _, ref := range g.Refs(svc, props.MustPath(lb.Base()).Key("targetGroupArn"), targetGroupTypes...) {
				if ref.Target == nil {
					continue
				}
				l, p := tlsListenerTo(g, ref.Target)
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
func tlsListenerTo(g *graph.Graph, tg *graph.Resource) (string, *graph.Resource) {
	var pending *graph.Resource
	judge := func(l *graph.Resource) bool {
		p, st := listenerProtocol(policy.Probe(l))
		if st == policy.Unknown && pending == nil {
			pending = l
		}
		return st == policy.Known && (p == "HTTPS" || p == "TLS")
	}
	for _, l := range g.OfType(listenerTypes...) {
		if forwardsTo(g, l, "defaultActions", tg) && judge(l) {
			return fmt.Sprintf("%s listener %q", protocolOf(l), l.Name), nil
		}
	}
	for _, rule := range g.OfType(listenerRuleTypes...) {
		if !forwardsTo(g, rule, "actions", tg) {
			continue
		}
		for _, ref := range g.Refs(rule, pListenerArn, listenerTypes...) {
			if ref.Target != nil && judge(ref.Target) {
				return fmt.Sprintf("%s listener %q (rule %q)", protocolOf(ref.Target), ref.Target.Name, rule.Name), nil
			}
		}
	}
	return "", pending
}

func protocolOf(l *graph.Resource) string {
	p, _ := listenerProtocol(policy.Probe(l))
	return p
}

// forwardsTo reports whether an action of the list at key forwards to tg:
// by targetGroupArn, or by a weighted forward's targetGroups[].arn.
func forwardsTo(g *graph.Graph, r *graph.Resource, key string, tg *graph.Resource) bool {
	actions, _ := policy.Probe(r).Items(key)
	for _, a := range actions {
		if typ, st := a.String("type"); st == policy.Known && typ != "forward" {
			continue
		}
		base := props.MustPath(a.Base())
		paths := []props.Path{base.Key("targetGroupArn")}
		groups, _ := a.Items("forward.targetGroups")
		for _, item := range groups {
			paths = append(paths, props.MustPath(item.Base()).Key("arn"))
		}
		for _, p := range paths {
			for _, ref := range g.Refs(r, p, targetGroupTypes...) {
				if ref.Target == tg {
					return true
				}
			}
		}
	}
	return false
}

// kubeTLSEdge follows workload ← Service (selector) ← Ingress (backend), or
// a LoadBalancer Service with a certificate selecting the workload.
func kubeTLSEdge(g *graph.Graph, c workload.Container) string {
	labels, ok := kube.PodLabels(policy.Probe(c.Owner))
	if !ok || len(labels) == 0 {
		return ""
	}
	ns := kube.Namespace(c.Owner)
	for _, svc := range g.OfType(kube.TypeService) {
		if kube.Namespace(svc) != ns || !selects(svc, labels) {
			continue
		}
		if e, ok := kube.ReadEdge(policy.Probe(svc), true); ok && e.TLS {
			return fmt.Sprintf("%s terminates TLS and selects its pods", svc.Label())
		}
		name, _ := policy.Probe(svc).String("metadata.name")
		for _, ing := range g.OfType(kube.TypeIngress, kube.TypeIngressV1beta1, kube.TypeIngressExt) {
			if kube.Namespace(ing) != ns || !backsOnto(g, ing, svc, name) {
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
