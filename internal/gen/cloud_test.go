package gen

import (
	"slices"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
)

// CloudStack gives exactly n resources, each URN once, and every type it
// uses is one some adapter of the pack reads (else the benchmark would
// measure resources no policy looks at).
func TestCloudStack(t *testing.T) {
	for _, n := range []int{1, 17, 100} {
		rs := CloudStack(n)
		if len(rs) != n {
			t.Fatalf("CloudStack(%d) has %d resources", n, len(rs))
		}
		seen := map[string]bool{}
		for _, r := range rs {
			if seen[r.URN] {
				t.Errorf("CloudStack(%d): URN %s twice", n, r.URN)
			}
			seen[r.URN] = true
		}
	}
	read := policies.AdapterTypes()
	for _, r := range CloudStack(40) {
		if !slices.Contains(read, r.Type) && r.Type != "random:index/randomString:RandomString" &&
			r.Type != "kubernetes:core/v1:Secret" {
			t.Errorf("%s is read by no adapter", r.Type)
		}
	}
}
