package policies

import (
	"fmt"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/kube"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// Remediations at enforcement level remediate. Each changes only the
// resource's own properties, only in place (no property here makes the
// provider replace the resource, and none drops data), and only what the
// policy's check would report: a value it reads that is not known yet, or is
// malformed, makes the runner drop the whole remediation, so Analyze reports
// the resource as it would at mandatory. What a hook does not fix (OpenSearch
// encryption at rest and node-to-node encryption, which need a new domain;
// an Ingress with no HTTPS listener, which needs a certificate; listener
// rules, which are other resources) the check still reports, as mandatory.

// What each remediation changes, for the docs (the README's "At remediate"
// column).
const (
	fixesRDSPublic = "sets publiclyAccessible to false (changed in place; the instance keeps its data)."
	fixesLBTLS     = "on an HTTPS or TLS listener, sets sslPolicy to " + recommendedSSLPolicy + " when " +
		"allowedSslPolicies admits it, else to the first predefined policy of TLS 1.2 or newer that it admits " +
		"(a FIPS policy stays FIPS: ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09 or the first admitted FIPS " +
		"policy); on an HTTP listener, replaces defaultActions with one redirect to HTTPS (port 443, statusCode " +
		"HTTP_301), keeping an existing redirect to HTTPS as the only action; on an AWS Load Balancer " +
		"Controller Ingress with an HTTPS listener, sets the annotations alb.ingress.kubernetes.io/ssl-redirect " +
		"(to its first HTTPS port, e.g. \"443\") and alb.ingress.kubernetes.io/ssl-policy (as sslPolicy). " +
		"Listener rules that forward on an HTTP listener, plain-HTTP target groups, Ingresses without an HTTPS " +
		"listener, ingress-nginx and Services are reported, not changed."
	fixesOpenSearch = "sets domainEndpointOptions.enforceHttps to true and " +
		"domainEndpointOptions.tlsSecurityPolicy to " + openSearchTLSPolicy + " (when not already TLS 1.2 or " +
		"newer); never encryptAtRest or nodeToNodeEncryption, which replace the domain: those stay reported."
)

// openSearchTLSPolicy is the TLS policy an OpenSearch remediation sets.
const openSearchTLSPolicy = "Policy-Min-TLS-1-2-PFS-2023-10"

// fipsSSLPolicy is the FIPS policy a remediation of a FIPS listener prefers.
const fipsSSLPolicy = "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09"

func remediateRDSPublic(ctx *policy.RemediateContext) {
	if public, st := ctx.Bool("publiclyAccessible"); st == policy.Known && public {
		ctx.Set("publiclyAccessible", false)
	}
}

// fixSSLPolicy picks the security policy a remediation sets in place of
// current: the recommended one when the patterns admit it (for a FIPS
// policy, the FIPS one), else the first admitted predefined policy whose
// floor is TLS 1.2 (FIPS first for a FIPS policy), else the first admitted
// one. ok is false when the patterns admit no predefined policy.
func fixSSLPolicy(allowed []string, current string) (string, bool) {
	fips := strings.Contains(current, "FIPS")
	want := recommendedSSLPolicy
	if fips {
		want = fipsSSLPolicy
	}
	if matchAny(allowed, want) {
		return want, true
	}
	admitted := AdmittedSSLPolicies(allowed)
	pick := func(floor12, needFIPS bool) (string, bool) {
		for _, name := range admitted {
			min, _ := SSLPolicyMinTLS(name)
			if (!floor12 || min == "1.2") && (!needFIPS || strings.Contains(name, "FIPS")) {
				return name, true
			}
		}
		return "", false
	}
	for _, try := range [][2]bool{{true, fips}, {false, fips}, {true, false}, {false, false}} {
		if name, ok := pick(try[0], try[1]); ok {
			return name, true
		}
	}
	return "", false
}

// sslPolicyNeedsFix reports whether a listener's policy (absent: AWS's
// ELBSecurityPolicy-2016-08) fails allowedSslPolicies.
func sslPolicyNeedsFix(allowed []string, sp string, st policy.State) bool {
	return st == policy.Absent || st == policy.Known && !matchAny(allowed, sp)
}

func remediateListener(ctx *policy.RemediateContext) {
	if ctx.Resource.Type == kube.TypeService || strings.Contains(ctx.Resource.Type, ":Ingress") {
		remediateIngress(ctx)
		return
	}
	proto, st := listenerProtocol(ctx.Reader)
	if st != policy.Known {
		return
	}
	allowed := paramAllowedSSLPolicies.Get(ctx.Config)
	switch proto {
	case "HTTPS", "TLS":
		sp, st := ctx.String("sslPolicy")
		if !sslPolicyNeedsFix(allowed, sp, st) {
			return
		}
		if fix, ok := fixSSLPolicy(allowed, sp); ok {
			ctx.Set("sslPolicy", fix)
		}
	case "HTTP":
		actions, st := ctx.Items("defaultActions")
		if st != policy.Known {
			return
		}
		var keep []any
		bad := false
		for _, a := range actions {
			typ, st := a.String("type")
			switch {
			case st != policy.Known:
				return // no verdict on this action (noted when unknown or malformed)
			case typ != "redirect":
				bad = true
				continue
			}
			p, st := a.String("redirect.protocol")
			switch {
			case st == policy.Unknown || st == policy.Invalid:
				return
			case strings.EqualFold(p, "HTTPS"):
				if keep == nil {
					keep = []any{ctx.Value(a.Base())} // kept whole: host, path, port, status
				}
			default:
				bad = true
			}
		}
		if !bad {
			return
		}
		if keep == nil {
			keep = []any{map[string]any{"type": "redirect", "redirect": map[string]any{
				"port": "443", "protocol": "HTTPS", "statusCode": "HTTP_301",
			}}}
		}
		ctx.Set("defaultActions", keep)
	}
}

func remediateIngress(ctx *policy.RemediateContext) {
	if ctx.Resource.Type == kube.TypeService {
		return // a Service's policy annotation is reported, not changed
	}
	e, ok := kube.ReadEdge(ctx.Reader, true)
	if !ok || e.Controller != kube.ALB || !e.ListenersKnown {
		return
	}
	var https []string
	plain := false
	for _, l := range e.Listeners {
		switch l.Protocol {
		case "HTTPS":
			https = append(https, fmt.Sprint(l.Port))
		case "HTTP":
			plain = true
		}
	}
	if len(https) == 0 {
		return // needs a certificate and listen-ports: reported, not changed
	}
	if plain && !e.Redirect {
		ctx.Set(albAnnotation("ssl-redirect"), https[0])
	}
	if !e.TLS || !e.SSLPolicyKnown {
		return
	}
	allowed := paramAllowedSSLPolicies.Get(ctx.Config)
	if e.SSLPolicy == "" || !matchAny(allowed, e.SSLPolicy) {
		if fix, ok := fixSSLPolicy(allowed, e.SSLPolicy); ok {
			ctx.Set(albAnnotation("ssl-policy"), fix)
		}
	}
}

func albAnnotation(name string) string {
	return fmt.Sprintf("metadata.annotations[%q]", "alb.ingress.kubernetes.io/"+name)
}

func remediateOpenSearch(ctx *policy.RemediateContext) {
	if v, st := ctx.Bool("domainEndpointOptions.enforceHttps"); st == policy.Absent || st == policy.Known && !v {
		ctx.Set("domainEndpointOptions.enforceHttps", true)
	}
	tp, st := ctx.String("domainEndpointOptions.tlsSecurityPolicy")
	if st == policy.Absent || st == policy.Known && !strings.HasPrefix(tp, "Policy-Min-TLS-1-2") &&
		!strings.HasPrefix(tp, "Policy-Min-TLS-1-3") {
		ctx.Set("domainEndpointOptions.tlsSecurityPolicy", openSearchTLSPolicy)
	}
}
