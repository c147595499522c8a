package policies

import (
	"fmt"
	"strings"
)

// Remediations at enforcement level remediate are the edits the checks
// attach to their violations (policy.Fix). Each changes only the resource's
// own properties, only in place (no property here makes the provider
// replace the resource, and none drops data), and only what the check
// reported: a violation is reported only on values that are known, so a
// value not known yet is never fixed. What a hook does not fix (OpenSearch
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

func albAnnotation(name string) string {
	return fmt.Sprintf("metadata.annotations[%q]", "alb.ingress.kubernetes.io/"+name)
}
