package kube

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Type tokens of the Kubernetes objects at the edge of a cluster.
const (
	TypeIngress        = "kubernetes:networking.k8s.io/v1:Ingress"
	TypeIngressV1beta1 = "kubernetes:networking.k8s.io/v1beta1:Ingress"
	TypeIngressExt     = "kubernetes:extensions/v1beta1:Ingress"
	TypeService        = "kubernetes:core/v1:Service"
	// TypeNetworkPolicy restricts traffic between pods.
	TypeNetworkPolicy = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
)

// EdgeTypes are the types Edge reads.
var EdgeTypes = []string{TypeIngress, TypeIngressV1beta1, TypeIngressExt, TypeService}

// IsEdge reports whether resources of type t are read as edges (an Ingress
// or a Service), so a policy that judges other load balancers too hands them
// to ReadEdge without naming a Kubernetes type.
func IsEdge(t string) bool { return slices.Contains(EdgeTypes, t) }

// Controllers of an edge.
const (
	ALB   = "AWS Load Balancer Controller"
	Nginx = "ingress-nginx"
	// NLB is a Service of type LoadBalancer: an NLB (AWS Load Balancer
	// Controller) or a Classic/NLB of the in-tree cloud provider.
	NLB = "Service of type LoadBalancer"
)

// Annotation prefixes.
const (
	albPrefix     = "alb.ingress.kubernetes.io/"
	nginxPrefix   = "nginx.ingress.kubernetes.io/"
	servicePrefix = "service.beta.kubernetes.io/"
)

// ALBDefaultSSLPolicy is what the AWS Load Balancer Controller gives an
// HTTPS listener without alb.ingress.kubernetes.io/ssl-policy (its
// annotation reference), and what an NLB TLS listener gets without
// aws-load-balancer-ssl-negotiation-policy: a policy that allows TLS 1.0.
const ALBDefaultSSLPolicy = "ELBSecurityPolicy-2016-08"

// Range is a CIDR or a security group an edge names.
type Range struct {
	// Value is as written; Text is how to show it: Value, or [secret] when
	// the annotation is a Pulumi secret (a list whose pieces the redaction of
	// whole secret strings would not catch).
	Value, Text string
	// Path is where it is written, e.g.
	// metadata.annotations["alb.ingress.kubernetes.io/inbound-cidrs"].
	Path string
}

// newRange is a range read at path, shown as [secret] when it comes from a
// Pulumi secret.
func newRange(value, path string, secret bool) Range {
	text := value
	if secret {
		text = "[secret]"
	}
	return Range{Value: value, Text: text, Path: path}
}

// Listener is one port a load balancer listens on.
type Listener struct {
	Protocol string // HTTP, HTTPS, TCP, TLS, ...
	Port     int
}

// Edge is an Ingress or a LoadBalancer Service as the load balancer it makes:
// whether it faces the internet, which ranges and security groups it admits,
// and what it listens on. Fields are read through the caller's reader, so an
// unknown or malformed annotation is noted by the policy that asked.
type Edge struct {
	Controller string
	// Decided is false when whether the edge faces the internet is not
	// known (noted), or the resource is no edge (a ClusterIP Service, an
	// Ingress of another controller).
	Decided        bool
	InternetFacing bool
	// Sources are the ranges it admits: inbound-cidrs, whitelist-source-range,
	// loadBalancerSourceRanges. SourcesSet is false when none is set (the
	// controller then admits everyone), SourcesKnown false when one is not
	// known until update or malformed (noted).
	Sources                  []Range
	SourcesSet, SourcesKnown bool
	DefaultSources           string // what the controller admits without them
	SecurityGroups           []Range
	SecurityGroupsAnnotation string
	Listeners                []Listener
	ListenersKnown           bool
	ListenersPath            string
	Redirect                 bool   // plain HTTP is redirected to HTTPS
	RedirectPath             string // the annotation that says so
	SSLPolicy, SSLPolicyPath string // "" when not set: the default applies
	SSLPolicyKnown           bool
	TLS                      bool // terminates TLS (a certificate, spec.tls)
	NginxRedirectOff         bool // ingress-nginx ssl-redirect: "false"
	NginxRedirectOffPath     string
	ServiceTLSUnset          bool // a Service with no certificate: TCP passes through
}

func annotationPath(key string) string { return fmt.Sprintf("metadata.annotations[%q]", key) }

// hasValue reports whether an annotation is set, to a non-empty string or to
// a value not known until update (a certificate ARN from an output: the
// certificate is there, whatever its ARN), without noting anything.
func hasValue(rd policy.Reader, key string) bool {
	v := rd.Value(annotationPath(key))
	s, ok := v.Str()
	return v.IsUnknown() || ok && strings.TrimSpace(s) != ""
}

// annotation reads one annotation; State Absent when not set.
func annotation(rd policy.Reader, key string) (string, string, policy.State) {
	p := annotationPath(key)
	s, st := rd.String(p)
	return strings.TrimSpace(s), p, st
}

// ReadEdge reads an Ingress or Service. ok is false when the resource is
// not an edge the pack judges: a Service not of type LoadBalancer, an
// Ingress of no known controller. Listeners, redirects and security
// policies are read only with tls, so a malformed listen-ports is reported
// by the policy that judges TLS alone.
func ReadEdge(rd policy.Reader, tls bool) (Edge, bool) {
	r := rd.Resource()
	ann := rd.Value("metadata.annotations")
	switch ann.Kind() {
	case props.Null, props.Object:
	case props.Unknown:
		rd.NoteUnknown("metadata.annotations")
		return Edge{}, false
	default:
		rd.NoteInvalid(fmt.Sprintf("metadata.annotations is %s, expected an object of strings", ann.Kind()))
		return Edge{}, false
	}
	if r.Type == TypeService {
		return readService(rd, tls)
	}
	class, _ := rd.String("spec.ingressClassName")
	legacy, _, _ := annotation(rd, "kubernetes.io/ingress.class")
	hasPrefix := func(prefix string) bool {
		for _, k := range ann.Keys() {
			if strings.HasPrefix(k, prefix) {
				return true
			}
		}
		return false
	}
	switch {
	case class == "alb" || legacy == "alb" || (class == "" && legacy == "" && hasPrefix(albPrefix)):
		return readALB(rd, tls), true
	case class == "nginx" || legacy == "nginx" || (class == "" && legacy == "" && hasPrefix(nginxPrefix)):
		return readNginx(rd, tls), true
	}
	return Edge{}, false
}

// readALB reads the AWS Load Balancer Controller's annotations.
func readALB(rd policy.Reader, tls bool) Edge {
	e := Edge{Controller: ALB, SourcesKnown: true, SSLPolicyKnown: true, ListenersKnown: true}
	scheme, _, st := annotation(rd, albPrefix+"scheme")
	switch {
	case st == policy.Absent || st == policy.Known && scheme == "internal":
		e.Decided = true // the controller's default scheme is internal
	case st == policy.Known && scheme == "internet-facing":
		e.Decided, e.InternetFacing = true, true
	case st == policy.Known:
		rd.NoteInvalid(fmt.Sprintf("%s is %s, expected internal or internet-facing", annotationPath(albPrefix+"scheme"),
			rd.Value(annotationPath(albPrefix+"scheme")).Describe()))
	}
	e.Sources, e.SourcesSet, e.SourcesKnown = ranges(rd, albPrefix+"inbound-cidrs")
	e.DefaultSources = "0.0.0.0/0"
	e.SecurityGroupsAnnotation = annotationPath(albPrefix + "security-groups")
	var sgKnown bool
	e.SecurityGroups, _, sgKnown = ranges(rd, albPrefix+"security-groups")
	if !sgKnown {
		e.SourcesKnown = false // the groups that decide are not known until update (noted)
	}
	if len(e.SecurityGroups) > 0 {
		// With security groups named, the controller manages no group and
		// inbound-cidrs does not apply: the groups decide.
		e.Sources, e.SourcesSet = nil, false
	}
	if !tls {
		return e
	}
	e.TLS = hasValue(rd, albPrefix+"certificate-arn")
	e.Listeners, e.ListenersPath, e.ListenersKnown = listenPorts(rd, e.TLS)
	if v, p, st := annotation(rd, albPrefix+"ssl-redirect"); st == policy.Known && v != "" {
		e.Redirect, e.RedirectPath = true, p
	} else if st == policy.Unknown {
		e.Redirect = true // not known: no verdict on plain HTTP (noted)
	}
	sp, p, st := annotation(rd, albPrefix+"ssl-policy")
	e.SSLPolicyPath = p
	switch st {
	case policy.Known:
		e.SSLPolicy = sp
	case policy.Unknown, policy.Invalid:
		e.SSLPolicyKnown = false
	}
	return e
}

// listenPorts reads alb.ingress.kubernetes.io/listen-ports, a JSON list of
// {"HTTP": 80} objects; without it the controller listens on HTTPS 443 when
// a certificate is set, else HTTP 80.
func listenPorts(rd policy.Reader, tls bool) ([]Listener, string, bool) {
	raw, p, st := annotation(rd, albPrefix+"listen-ports")
	switch st {
	case policy.Absent:
		if tls {
			return []Listener{{"HTTPS", 443}}, p, true
		}
		return []Listener{{"HTTP", 80}}, p, true
	case policy.Unknown, policy.Invalid:
		return nil, p, false
	}
	secret := rd.Value(p).IsSecret()
	var doc []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		why := err.Error()
		if secret {
			why = "[secret]"
		}
		rd.NoteInvalid(fmt.Sprintf("%s is not a JSON list of {\"HTTP\": 80} or {\"HTTPS\": 443} objects: %s", p, why))
		return nil, p, false
	}
	var out []Listener
	for i, m := range doc {
		for proto, port := range m {
			n, err := portNumber(port)
			if err != nil {
				shown := fmt.Sprintf("port %s of %q", string(port), proto)
				if secret {
					shown = "a port"
				}
				rd.NoteInvalid(fmt.Sprintf("%s item %d: %s is not a port number", p, i, shown))
				return nil, p, false
			}
			out = append(out, Listener{strings.ToUpper(proto), n})
		}
	}
	return out, p, true
}

func portNumber(raw json.RawMessage) (int, error) {
	var n int
	if err := json.Unmarshal(raw, &n); err == nil && n > 0 && n < 65536 {
		return n, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if n, err := strconv.Atoi(s); err == nil && n > 0 && n < 65536 {
			return n, nil
		}
	}
	return 0, fmt.Errorf("not a port")
}

// ranges reads a comma-separated annotation: set is false when absent,
// known false when unknown or malformed (noted).
func ranges(rd policy.Reader, key string) (out []Range, set, known bool) {
	raw, p, st := annotation(rd, key)
	switch st {
	case policy.Absent:
		return nil, false, true
	case policy.Unknown, policy.Invalid:
		return nil, true, false
	}
	secret := rd.Value(p).IsSecret()
	for _, part := range strings.Split(raw, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, newRange(part, p, secret))
		}
	}
	return out, len(out) > 0, true
}

// readNginx reads an ingress-nginx Ingress: TLS from spec.tls, the
// allowlist from whitelist-source-range (or allowlist-source-range).
// Whether it faces the internet is up to the controller's own Service,
// which the Ingress does not name: it is judged as internet-facing.
func readNginx(rd policy.Reader, withTLS bool) Edge {
	e := Edge{Controller: Nginx, Decided: true, InternetFacing: true, SourcesKnown: true, SSLPolicyKnown: true,
		ListenersKnown: true, DefaultSources: "everyone the ingress-nginx controller's load balancer admits"}
	for _, key := range []string{"whitelist-source-range", "allowlist-source-range"} {
		if rs, set, known := ranges(rd, nginxPrefix+key); set || !known {
			e.Sources, e.SourcesSet, e.SourcesKnown = rs, set, known
			break
		}
	}
	if !withTLS {
		return e
	}
	tls := rd.Value("spec.tls")
	switch tls.Kind() {
	case props.Unknown:
		rd.NoteUnknown("spec.tls")
		e.ListenersKnown = false
	case props.Array:
		e.TLS = tls.Len() > 0
	}
	e.Listeners = []Listener{{"HTTP", 80}}
	if e.TLS {
		e.Listeners = append(e.Listeners, Listener{"HTTPS", 443})
		e.Redirect = true // ssl-redirect defaults to true when TLS is set
		if v, p, st := annotation(rd, nginxPrefix+"ssl-redirect"); st == policy.Known && strings.EqualFold(v, "false") {
			if f, _, _ := annotation(rd, nginxPrefix+"force-ssl-redirect"); !strings.EqualFold(f, "true") {
				e.Redirect, e.NginxRedirectOff, e.NginxRedirectOffPath = false, true, p
			}
		}
	}
	return e
}

// readService reads a Service of type LoadBalancer and the
// service.beta.kubernetes.io/aws-load-balancer-* annotations.
func readService(rd policy.Reader, tls bool) (Edge, bool) {
	typ, st := rd.String("spec.type")
	if st == policy.Unknown {
		return Edge{}, false // noted
	}
	if typ != "LoadBalancer" {
		return Edge{}, false
	}
	e := Edge{Controller: NLB, SourcesKnown: true, SSLPolicyKnown: true, ListenersKnown: true}
	e.Decided, e.InternetFacing = serviceScheme(func(key string) (string, policy.State) {
		v, _, st := annotation(rd, key)
		return v, st
	})
	e.DefaultSources = "0.0.0.0/0"
	srcs, st := rd.Strings("spec.loadBalancerSourceRanges")
	switch st {
	case policy.Known:
		for i, s := range srcs {
			at := fmt.Sprintf("spec.loadBalancerSourceRanges[%d]", i)
			e.Sources = append(e.Sources, newRange(strings.TrimSpace(s), at, rd.Value(at).IsSecret()))
		}
		e.SourcesSet = len(e.Sources) > 0
	case policy.Unknown, policy.Invalid:
		e.SourcesKnown = false
	}
	if !e.SourcesSet && e.SourcesKnown {
		e.Sources, e.SourcesSet, e.SourcesKnown = ranges(rd, servicePrefix+"load-balancer-source-ranges")
	}
	e.SecurityGroupsAnnotation = annotationPath(servicePrefix + "aws-load-balancer-security-groups")
	var sgKnown bool
	e.SecurityGroups, _, sgKnown = ranges(rd, servicePrefix+"aws-load-balancer-security-groups")
	if !sgKnown {
		e.SourcesKnown = false
	}
	if !tls {
		return e, true
	}
	e.TLS = hasValue(rd, servicePrefix+"aws-load-balancer-ssl-cert")
	e.ServiceTLSUnset = !e.TLS
	sp, p, pst := annotation(rd, servicePrefix+"aws-load-balancer-ssl-negotiation-policy")
	e.SSLPolicyPath = p
	switch pst {
	case policy.Known:
		e.SSLPolicy = sp
	case policy.Unknown, policy.Invalid:
		e.SSLPolicyKnown = false
	}
	return e, true
}

// serviceScheme decides whether a Service of type LoadBalancer faces the
// internet from its annotations, read through get (a trimmed value and its
// state): the AWS scheme and internal annotations, the Azure and GKE
// internal-load-balancer annotations (CloudInternal), and the AWS Load
// Balancer Controller's default scheme. decided is false when an
// annotation that would decide is not known until update or malformed
// (get has noted it).
func serviceScheme(get func(key string) (string, policy.State)) (decided, internetFacing bool) {
	scheme, sst := get(servicePrefix + "aws-load-balancer-scheme")
	internal, ist := get(servicePrefix + "aws-load-balancer-internal")
	lbType, _ := get(servicePrefix + "aws-load-balancer-type")
	cloud := CloudInternal(get)
	switch {
	case sst == policy.Unknown || ist == policy.Unknown || cloud.Undecided():
		return false, false
	case sst == policy.Known && scheme == "internal", ist == policy.Known && strings.EqualFold(internal, "true"),
		cloud == policy.Known:
		return true, false
	case sst == policy.Known && scheme == "internet-facing":
		return true, true
	case lbType == "external" || strings.HasPrefix(lbType, "nlb-ip"):
		// The AWS Load Balancer Controller's default scheme is internal.
		return true, false
	}
	// The in-tree cloud providers' load balancers face the internet.
	return true, true
}
