package policies_test

import (
	"fmt"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/gen"
	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// BenchmarkAnalyzeStack runs every stack policy over generated stacks in
// the installer's shapes; the graph is indexed once per iteration, as per
// AnalyzeStack call. Compare ns/resource across sizes: it stays flat when
// the cost is linear.
func BenchmarkAnalyzeStack(b *testing.B) {
	pack := policies.Pack()
	cfg := pack.DefaultConfiguration()
	env := &policy.Env{Project: "bench", Stack: "dev"}
	for _, n := range []int{100, 1000, 10000} {
		rs, err := gen.Stack(n)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			findings := 0
			for b.Loop() {
				findings = len(pack.AnalyzeStack(env, cfg, gen.Graph(rs)))
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/resource")
			b.ReportMetric(float64(findings), "findings")
		})
	}
}

// TestGeneratedStackIsJudged checks the generator's stacks exercise the
// policies: findings grow with the copies, and the in-stack network is
// followed (no "not in the stack" subnets).
func TestGeneratedStackIsJudged(t *testing.T) {
	pack := policies.Pack()
	cfg := pack.DefaultConfiguration()
	count := func(n int) map[string]int {
		rs, err := gen.Stack(n)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != n {
			t.Fatalf("got %d resources, want %d", len(rs), n)
		}
		out := map[string]int{}
		for _, f := range pack.AnalyzeStack(&policy.Env{}, cfg, gen.Graph(rs)) {
			out[f.Policy.Name+"/"+f.Kind.String()]++
		}
		return out
	}
	one, four := count(130), count(4*130)
	for _, k := range []string{"s3-bucket-encrypted/violation", "load-balancer-ingress-allowlist/violation",
		"database-security-group-restricted/violation"} {
		if one[k] == 0 || four[k] < 3*one[k] {
			t.Errorf("%s: %d findings in one copy, %d in four", k, one[k], four[k])
		}
	}
	if one["database-in-private-subnets/unverifiable"]+one["app-in-private-subnets/unverifiable"] != 0 {
		t.Errorf("subnets should be in the stack: %v", one)
	}
}
