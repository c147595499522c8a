package policies

import (
	"path"
	"strings"
)

// The predefined security policies of Elastic Load Balancing (Application
// and Network Load Balancers), each with the oldest TLS version it accepts.
// Load balancers of either kind accept no custom policies, so a policy's name
// fixes the protocols it allows.
//
// Sources:
//   - "Security policies for your Application Load Balancer",
//     https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
//     and "Security policies for your Network Load Balancer",
//     https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html
//     (their "Protocols by policy" tables; the post-quantum "PQ" policies of
//     2025-09, the FIPS policies of 2023-04 and the RFC 9151 / CNSA 1.0
//     policies of 2023-07 included; ELBSecurityPolicy-2015-05 is on the NLB
//     page only, and equals ELBSecurityPolicy-2016-08). The pages' general
//     sections were read directly; the per-policy protocol rows were checked
//     against two independent transcriptions of those tables in public
//     repositories, which agree with each other and with AWS's naming rule:
//     ELBSecurityPolicy-TLS13-1-N-... supports TLS 1.3 and accepts nothing
//     older than TLS 1.N.
//   - ELBSecurityPolicy-TLS-1-0-2015-04 is no longer on those pages; it is in
//     the older "Create an HTTPS Listener for Your Application Load Balancer"
//     page (awsdocs/elb-application-load-balancers-user-guide,
//     doc_source/create-https-listener.md), as a TLS 1.0 policy.
//
// Keep the table in step with those pages when AWS adds policies: the tests
// check that the default allowedSslPolicies admit exactly its TLS 1.2+ rows.
var elbSSLPolicies = []struct {
	name   string
	minTLS string // "1.0", "1.1", "1.2" or "1.3"
}{
	// TLS 1.3 only.
	{"ELBSecurityPolicy-TLS13-1-3-2021-06", "1.3"},
	{"ELBSecurityPolicy-TLS13-1-3-PQ-2025-09", "1.3"},
	{"ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", "1.3"},
	{"ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09", "1.3"},
	{"ELBSecurityPolicy-TLS13-1-3-RFC9151-FIPS-2023-07", "1.3"},

	// TLS 1.3 and 1.2.
	{"ELBSecurityPolicy-TLS13-1-2-2021-06", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-PQ-2025-09", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-RFC9151-FIPS-2023-07", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Ext0-RFC9151-FIPS-2023-07", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP1-FIPS-2023-07", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP2-FIPS-2023-07", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP3-FIPS-2023-07", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP4-FIPS-2023-07", "1.2"},

	// TLS 1.2 only.
	{"ELBSecurityPolicy-TLS-1-2-2017-01", "1.2"},
	{"ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "1.2"},
	{"ELBSecurityPolicy-FS-1-2-2019-08", "1.2"},
	{"ELBSecurityPolicy-FS-1-2-Res-2019-08", "1.2"},
	{"ELBSecurityPolicy-FS-1-2-Res-2020-10", "1.2"},

	// TLS 1.1 and newer.
	{"ELBSecurityPolicy-TLS13-1-1-2021-06", "1.1"},
	{"ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04", "1.1"},
	{"ELBSecurityPolicy-TLS-1-1-2017-01", "1.1"},
	{"ELBSecurityPolicy-FS-1-1-2019-08", "1.1"},

	// TLS 1.0 and newer.
	{"ELBSecurityPolicy-TLS13-1-0-2021-06", "1.0"},
	{"ELBSecurityPolicy-TLS13-1-0-PQ-2025-09", "1.0"},
	{"ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04", "1.0"},
	{"ELBSecurityPolicy-TLS13-1-0-FIPS-PQ-2025-09", "1.0"},
	{"ELBSecurityPolicy-FS-2018-06", "1.0"},
	{"ELBSecurityPolicy-2016-08", "1.0"},
	{"ELBSecurityPolicy-2015-05", "1.0"},
	{"ELBSecurityPolicy-TLS-1-0-2015-04", "1.0"},
}

// defaultAllowedSSLPolicies are load-balancer-tls's default
// allowedSslPolicies: together they admit exactly the predefined policies
// whose oldest TLS version is 1.2 or 1.3 (TestSSLPolicyDefaults checks it).
// "ELBSecurityPolicy-TLS13-*" would not do: it also admits
// ELBSecurityPolicy-TLS13-1-0-* and -TLS13-1-1-*, which accept TLS 1.0 and 1.1.
var defaultAllowedSSLPolicies = []string{
	"ELBSecurityPolicy-TLS13-1-2-*",
	"ELBSecurityPolicy-TLS13-1-3-*",
	"ELBSecurityPolicy-TLS-1-2-*",
	"ELBSecurityPolicy-FS-1-2-*",
}

// recommendedSSLPolicy is the policy a fix names: the one AWS recommends
// (TLS 1.3 and 1.2, hybrid post-quantum key exchange).
const recommendedSSLPolicy = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"

// SSLPolicyMinTLS returns the oldest TLS version ("1.0" to "1.3") a
// predefined ELB security policy accepts; ok is false for a name that is not
// in the table.
func SSLPolicyMinTLS(name string) (version string, ok bool) {
	for _, p := range elbSSLPolicies {
		if p.name == name {
			return p.minTLS, true
		}
	}
	return "", false
}

// KnownSSLPolicies returns the names of every predefined ELB security policy
// the pack knows, newest TLS floor first.
func KnownSSLPolicies() []string {
	out := make([]string, len(elbSSLPolicies))
	for i, p := range elbSSLPolicies {
		out[i] = p.name
	}
	return out
}

// AdmittedSSLPolicies returns the predefined ELB security policies that the
// patterns (allowedSslPolicies, shell patterns) admit, in the table's order.
// Names the patterns admit but AWS does not define are not listed.
func AdmittedSSLPolicies(patterns []string) []string {
	var out []string
	for _, p := range elbSSLPolicies {
		if matchAny(patterns, p.name) {
			out = append(out, p.name)
		}
	}
	return out
}

// matchAny reports whether s matches one of the shell patterns; a malformed
// pattern matches nothing.
func matchAny(patterns []string, s string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, s); ok {
			return true
		}
	}
	return false
}

// sslPolicyFloorOK reports whether a TLS version from the table is 1.2 or
// newer.
func sslPolicyFloorOK(version string) bool {
	return version == "1.2" || version == "1.3"
}

// describeSSLPolicyDefaults is the sentence the policy's documentation uses
// for what the default patterns admit.
func describeSSLPolicyDefaults() string {
	return "The defaults admit every predefined policy of TLS 1.2 or newer (" +
		strings.Join(defaultAllowedSSLPolicies, ", ") + ", FIPS, post-quantum and RFC 9151 variants included) " +
		"and refuse those that also accept TLS 1.0 or 1.1: ELBSecurityPolicy-TLS13-1-0-*, -TLS13-1-1-*, " +
		"-TLS-1-1-2017-01, -FS-1-1-2019-08, -FS-2018-06, -2016-08, -2015-05 and -TLS-1-0-2015-04."
}

// SSLPolicyTable renders, for the README, which predefined ELB security
// policies each default allowedSslPolicies pattern admits, and the ones the
// defaults refuse with the oldest TLS version each accepts.
func SSLPolicyTable() string {
	var b strings.Builder
	b.WriteString("| Default pattern | Admits |\n|---|---|\n")
	for _, pat := range defaultAllowedSSLPolicies {
		names := AdmittedSSLPolicies([]string{pat})
		b.WriteString("| `" + pat + "` | " + strings.Join(names, ", ") + " |\n")
	}
	var refused []string
	for _, p := range elbSSLPolicies {
		if !matchAny(defaultAllowedSSLPolicies, p.name) {
			refused = append(refused, p.name+" (TLS "+p.minTLS+")")
		}
	}
	b.WriteString("\nRefused by the defaults, with the oldest TLS version each accepts: " +
		strings.Join(refused, ", ") + ".\n")
	return b.String()
}
