package kube

import (
	"fmt"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Type tokens of Helm in pulumi-kubernetes. A Release is one resource whose
// rendered objects the stack never shows: only its inputs (chart, version,
// values) are visible. A Chart (v3: rendered by the SDK; v4: a component
// the provider renders) is a component whose rendered objects arrive as
// resources of their own, its children: they are judged, and the Chart is
// not read as an edge, so one Service gives one finding.
const (
	TypeHelmRelease = "kubernetes:helm.sh/v3:Release"
	TypeHelmChart   = "kubernetes:helm.sh/v3:Chart"
	TypeHelmChartV4 = "kubernetes:helm.sh/v4:Chart"
)

// HelmTypes are the Helm types the package reads.
var HelmTypes = []string{TypeHelmRelease, TypeHelmChart, TypeHelmChartV4}

// IngressNginxChart is the ingress-nginx project's chart name
// (https://kubernetes.github.io/ingress-nginx). F5 NGINX's "nginx-ingress"
// is another product and is not read.
const IngressNginxChart = "ingress-nginx"

// ChartName is the name of the chart a Release or Chart's chart input
// names: "ingress-nginx", a repository alias ("ingress-nginx/ingress-nginx"),
// an OCI reference ("oci://registry.example.com/charts/ingress-nginx") or a
// packaged chart's URL or path (".../ingress-nginx-4.7.1.tgz").
func ChartName(chart string) string {
	s := strings.TrimRight(strings.TrimSpace(chart), "/")
	if i := strings.LastIndex(s, "/"); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.Index(s, ":"); i >= 0 {
		s = s[:i]
	}
	if t, ok := strings.CutSuffix(s, ".tgz"); ok {
		s = t
		if i := strings.LastIndex(s, "-"); i > 0 && s[i+1:] != "" && strings.Trim(s[i+1:], "0123456789.") == "" {
			s = s[:i]
		}
	}
	return s
}

// IsIngressNginx reports whether a Release or Chart's known chart input is
// the ingress-nginx chart; a chart not known until update is not.
func IsIngressNginx(r *graph.Resource) bool {
	s, ok := r.Props.Get(pChart).Str()
	return ok && ChartName(s) == IngressNginxChart
}

var pChart = props.MustPath("chart")

// Paths of the ingress-nginx chart's values that make the controller's
// Service (its templates/controller-service.yaml).
const (
	valService     = "values.controller.service"
	valRanges      = valService + ".loadBalancerSourceRanges"
	valWhitelist   = `values.controller.config["whitelist-source-range"]`
	valProxyProto  = `values.controller.config["use-proxy-protocol"]`
	valTrafficPol  = valService + ".externalTrafficPolicy"
	valAnnotations = valService + ".annotations"
)

// releaseFront names a Release's controller Service in messages.
func releaseFront(r *graph.Resource) string {
	return fmt.Sprintf("the internet-facing load balancer of the ingress-nginx controller Service that %s installs",
		r.Label())
}

// releaseEdge reads a Helm Release of the ingress-nginx chart as the load
// balancer of the controller Service its values make (the chart's
// defaults: controller.service.enabled and .external.enabled true, type
// LoadBalancer, no loadBalancerSourceRanges). ok is false for another
// chart, a chart not known until update, and values that make no
// external Service (enabled false, type ClusterIP).
func releaseEdge(r *graph.Resource) (model.Edge, bool) {
	if !IsIngressNginx(r) {
		return model.Edge{}, false
	}
	rd := policy.Probe(r)
	me := model.Edge{Res: r, Front: releaseFront(r)}
	decided, facing, ok := readRelease(rd, &me)
	if !ok {
		return model.Edge{}, false
	}
	me.InternetFacing = model.Of(decided && facing, policy.Known, r, valService)
	if gap, has := model.GapOf(rd); has {
		me.Gaps = []model.Gap{gap}
	}
	return me, true
}

// readRelease fills me from the release's values; decided is false when a
// value that decides is not known until update or malformed (noted on rd).
func readRelease(rd policy.Reader, me *model.Edge) (decided, facing, ok bool) {
	switch v := rd.Value("values"); v.Kind() {
	case props.Null, props.Object:
	case props.Unknown:
		rd.NoteUnknown("values")
		return false, false, true
	default:
		rd.NoteInvalidFix(fmt.Sprintf("values is %s, expected an object of chart values", v.Describe()),
			"set values to an object of the chart's values, e.g. {controller: {service: {...}}}")
		return false, false, true
	}
	files := false // valueYamlFiles the pack cannot read
	switch v := rd.Value("valueYamlFiles"); v.Kind() {
	case props.Unknown:
		files = true
	case props.Array:
		files = v.Len() > 0
	}
	for _, p := range []string{valService + ".enabled", valService + ".external.enabled"} {
		on, st := rd.Bool(p)
		switch {
		case st.Undecided():
			return false, false, true // noted
		case st == policy.Known && !on:
			return false, false, false // no external Service
		}
	}
	typ, st := rd.String(valService + ".type")
	switch {
	case st.Undecided():
		return false, false, true
	case st == policy.Absent:
		typ = "LoadBalancer" // the chart's default
	}
	switch strings.TrimSpace(typ) {
	case "LoadBalancer":
	case "NodePort":
		me.Unverifiable, me.UnverifiableFix = nodePort(valService+".type is \"NodePort\"", "the ingress-nginx controller")
		return false, false, true
	default:
		return false, false, false // ClusterIP: not reachable from outside the cluster
	}
	decided, facing = serviceScheme(func(key string) (string, policy.State) {
		s, st := rd.String(fmt.Sprintf("%s[%q]", valAnnotations, key))
		return strings.TrimSpace(s), st
	})
	if !decided || !facing {
		return decided, facing, true
	}
	rs := &model.Ranges{Known: true, Default: "0.0.0.0/0", Key: valRanges,
		Unset: fmt.Sprintf("its values set neither %s nor %s", valRanges, valWhitelist),
		Fix: fmt.Sprintf("Set %s to the ingress allowlist (the cloud's load balancer then admits only those "+
			"ranges), or %s to it with %s: Local so the controller sees clients' addresses.", valRanges,
			valWhitelist, valTrafficPol)}
	me.Ranges = rs
	srcs, st := rd.Strings(valRanges)
	switch {
	case st.Undecided():
		rs.Known = false
	case st == policy.Known && len(srcs) > 0:
		for i, s := range srcs {
			at := fmt.Sprintf("%s[%d]", valRanges, i)
			r := newRange(strings.TrimSpace(s), at, rd.Value(at).IsSecret())
			rs.Sources = append(rs.Sources, model.Range{Value: r.Value, Text: r.Text, Path: r.Path})
		}
		rs.Set = true
	default:
		readWhitelist(rd, rs)
	}
	if files && !rs.Set && rs.Known {
		me.Ranges = nil
		me.Unverifiable = fmt.Sprintf("%s sets valueYamlFiles, which the pack cannot read, and its values set "+
			"neither %s nor %s, so what the controller's load balancer admits is not known before the provider "+
			"merges them", rd.Resource().Label(), valRanges, valWhitelist)
		me.UnverifiableFix = fmt.Sprintf("Set %s (or %s) in values, which take precedence over valueYamlFiles; "+
			"or run pulumi up and pulumi policy analyze, where the provider has merged the files into values.",
			valRanges, valWhitelist)
	}
	return decided, facing, true
}

// readWhitelist reads controller.config.whitelist-source-range, the
// controller's allowlist for every Ingress: nginx judges it against the
// client's address only when the Service preserves it
// (externalTrafficPolicy Local, or the PROXY protocol); with the default
// Cluster policy nginx sees node addresses, and the allowlist does not
// restrict the clients.
func readWhitelist(rd policy.Reader, rs *model.Ranges) {
	raw, st := rd.String(valWhitelist)
	switch {
	case st == policy.Absent:
		return
	case st.Undecided():
		rs.Known = false
		return
	}
	pol, pst := rd.String(valTrafficPol)
	proxy, xst := rd.String(valProxyProto)
	switch {
	case pst.Undecided() || xst.Undecided():
		rs.Known = false
		return
	case strings.TrimSpace(pol) != "Local" && !strings.EqualFold(strings.TrimSpace(proxy), "true"):
		rs.Unset = fmt.Sprintf("%s is set, but with %s %s nginx sees the nodes' addresses instead of the "+
			"clients', so it does not restrict who reaches the controller", valWhitelist, valTrafficPol,
			describePolicy(pol))
		return
	}
	secret := rd.Value(valWhitelist).IsSecret()
	for _, part := range strings.Split(raw, ",") {
		if part = strings.TrimSpace(part); part != "" {
			r := newRange(part, valWhitelist, secret)
			rs.Sources = append(rs.Sources, model.Range{Value: r.Value, Text: r.Text, Path: r.Path})
		}
	}
	rs.Set = len(rs.Sources) > 0
}

func describePolicy(p string) string {
	if strings.TrimSpace(p) == "" {
		return "unset (Cluster)"
	}
	return fmt.Sprintf("%q", p)
}

// nodePort is the finding for an ingress controller published as a
// NodePort Service: open on every node's addresses, which may or may not
// be reachable from the internet.
func nodePort(what, controller string) (problem, fix string) {
	return fmt.Sprintf("%s: %s is published on a port of every node's addresses, and whether the internet "+
			"reaches those depends on the nodes' public addresses and the firewall in front of them, which "+
			"this resource does not show", what, controller),
		"Admit only the ingress allowlist to the nodes' NodePort range (30000-32767) in the firewall or security " +
			"group in front of the nodes, or publish the controller as a Service of type LoadBalancer with " +
			"loadBalancerSourceRanges; if the nodes have no public address, name this resource in the policy's " +
			"exclude option."
}

// IsIngressNginxController reports whether labels are those the
// ingress-nginx chart and manifests give the controller's objects
// (app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component:
// controller).
func IsIngressNginxController(labels map[string]string) bool {
	return labels["app.kubernetes.io/name"] == "ingress-nginx" && labels["app.kubernetes.io/component"] == "controller"
}

// nodePortEdge reads a rendered Service of type NodePort that is the
// ingress-nginx controller (byo-infra's chart renders one): the cluster's
// edge, published on the nodes. Other NodePort Services (the AWS Load
// Balancer Controller's instance targets) are backends, not edges.
func nodePortEdge(r *graph.Resource) (model.Edge, bool) {
	typ, _ := r.Props.Get(pSpecType).Str()
	if typ != "NodePort" {
		return model.Edge{}, false
	}
	labels := map[string]string{}
	for _, k := range r.Props.Get(pMetaLabels).Keys() {
		if s, ok := r.Props.Get(pMetaLabels).Get(props.Path{{Key: k}}).Str(); ok {
			labels[k] = s
		}
	}
	if !IsIngressNginxController(labels) {
		return model.Edge{}, false
	}
	me := model.Edge{Res: r, Front: fmt.Sprintf("the ingress-nginx controller Service %s", r.Label()),
		InternetFacing: model.Of(false, policy.Known, r, "spec.type")}
	me.Unverifiable, me.UnverifiableFix = nodePort("spec.type is \"NodePort\"", "the ingress-nginx controller")
	return me, true
}

var (
	pSpecType   = props.MustPath("spec.type")
	pMetaLabels = props.MustPath("metadata.labels")
)
