package policies

import (
	"strings"
	"testing"
)

// The default allowedSslPolicies admit every predefined policy of TLS 1.2 or
// newer and refuse every one that also accepts TLS 1.0 or 1.1.
func TestSSLPolicyDefaults(t *testing.T) {
	var admitted, refused int
	for _, name := range KnownSSLPolicies() {
		min, ok := SSLPolicyMinTLS(name)
		if !ok {
			t.Fatalf("%s: in KnownSSLPolicies but SSLPolicyMinTLS does not know it", name)
		}
		got := matchAny(defaultAllowedSSLPolicies, name)
		switch min {
		case "1.2", "1.3":
			admitted++
			if !got {
				t.Errorf("%s allows only TLS %s and newer, but the defaults refuse it", name, min)
			}
		case "1.0", "1.1":
			refused++
			if got {
				t.Errorf("%s allows TLS %s, but the defaults admit it", name, min)
			}
		default:
			t.Errorf("%s: minimum TLS version %q is not 1.0 to 1.3", name, min)
		}
	}
	if admitted == 0 || refused == 0 {
		t.Fatalf("table has %d TLS 1.2+ and %d older policies; expected both kinds", admitted, refused)
	}
	// Every default pattern admits at least one known policy: a pattern that
	// admits none is a typo.
	for _, p := range defaultAllowedSSLPolicies {
		if len(AdmittedSSLPolicies([]string{p})) == 0 {
			t.Errorf("default pattern %q admits no known policy", p)
		}
	}
	// The policy's declared default is this list.
	var declared []string
	for _, prm := range LoadBalancerTLS.Params {
		if prm.Name == "allowedSslPolicies" {
			declared, _ = prm.Default.([]string)
		}
	}
	if strings.Join(declared, ",") != strings.Join(defaultAllowedSSLPolicies, ",") {
		t.Errorf("allowedSslPolicies default is %v, want %v", declared, defaultAllowedSSLPolicies)
	}
}

// The old default pattern ELBSecurityPolicy-TLS13-* admitted policies that
// accept TLS 1.0 and 1.1; the issue's examples are refused now.
func TestSSLPolicyIssueExamples(t *testing.T) {
	for name, min := range map[string]string{
		"ELBSecurityPolicy-TLS13-1-0-2021-06":         "1.0",
		"ELBSecurityPolicy-TLS13-1-1-2021-06":         "1.1",
		"ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04":    "1.0",
		"ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04":    "1.1",
		"ELBSecurityPolicy-TLS13-1-0-PQ-2025-09":      "1.0",
		"ELBSecurityPolicy-TLS13-1-0-FIPS-PQ-2025-09": "1.0",
		"ELBSecurityPolicy-2016-08":                   "1.0",
		"ELBSecurityPolicy-FS-1-1-2019-08":            "1.1",
	} {
		if got, ok := SSLPolicyMinTLS(name); !ok || got != min {
			t.Errorf("SSLPolicyMinTLS(%q) = %q, %v; want %q", name, got, ok, min)
		}
		if matchAny(defaultAllowedSSLPolicies, name) {
			t.Errorf("the defaults admit %s", name)
		}
	}
	for _, name := range []string{
		"ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", // AWS's recommendation, the console's default
		"ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
		"ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
		"ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP4-FIPS-2023-07",
		"ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
		"ELBSecurityPolicy-FS-1-2-Res-2020-10",
	} {
		if !matchAny(defaultAllowedSSLPolicies, name) {
			t.Errorf("the defaults refuse %s", name)
		}
	}
}

func TestSSLPolicyAdmitted(t *testing.T) {
	// The defaults list exactly the table's TLS 1.2+ rows, in table order.
	var want []string
	for _, p := range elbSSLPolicies {
		if sslPolicyFloorOK(p.minTLS) {
			want = append(want, p.name)
		}
	}
	if got := AdmittedSSLPolicies(defaultAllowedSSLPolicies); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("AdmittedSSLPolicies(defaults) =\n%v\nwant\n%v", got, want)
	}
	// The old default admitted TLS 1.0/1.1 policies; the function shows which.
	old := AdmittedSSLPolicies([]string{"ELBSecurityPolicy-TLS13-*"})
	if !sslListHas(old, "ELBSecurityPolicy-TLS13-1-0-2021-06") || !sslListHas(old, "ELBSecurityPolicy-TLS13-1-3-2021-06") {
		t.Errorf("AdmittedSSLPolicies(TLS13-*) = %v", old)
	}
	// Custom patterns and malformed ones.
	if got := AdmittedSSLPolicies([]string{"Corp-*"}); len(got) != 0 {
		t.Errorf("a pattern for custom names admits known policies: %v", got)
	}
	if got := AdmittedSSLPolicies([]string{"["}); len(got) != 0 {
		t.Errorf("a malformed pattern admits %v", got)
	}
	if got := AdmittedSSLPolicies(nil); len(got) != 0 {
		t.Errorf("no patterns admit %v", got)
	}
	// No name twice in the table.
	seen := map[string]bool{}
	for _, n := range KnownSSLPolicies() {
		if seen[n] {
			t.Errorf("%s is in the table twice", n)
		}
		seen[n] = true
	}
	if _, ok := SSLPolicyMinTLS("Corp-TLS12-2024"); ok {
		t.Error("SSLPolicyMinTLS knows a custom name")
	}
	// The documentation names what the defaults admit.
	doc := describeSSLPolicyDefaults()
	for _, p := range defaultAllowedSSLPolicies {
		if !strings.Contains(doc, p) {
			t.Errorf("the defaults' description lacks %s", p)
		}
	}
}

func sslListHas(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
