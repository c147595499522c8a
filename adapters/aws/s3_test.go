package aws_test

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/aws"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

type m = map[string]any
type l = []any

func sse(alg any) m {
	return m{"applyServerSideEncryptionByDefault": m{"sseAlgorithm": alg}}
}

// TestObjectStoresJoinEncryption checks the adapter's join of S3 buckets and
// their encryption, inline and separate, by value and in preview by
// dependency, for v6 and v7 tokens.
func TestObjectStoresJoinEncryption(t *testing.T) {
	type want struct {
		algs     []string // algorithms found, in order
		valid    []bool
		configs  int
		gaps     int
		unjoined bool
	}
	cases := []struct {
		name string
		rs   []*fixture.Res
		want map[fixture.Mode]want // by mode; one entry for both when Both is set
		both *want
	}{
		{name: "v6 inline singular", rs: []*fixture.Res{fixture.R(aws.TypeS3Bucket, "b", m{
			"serverSideEncryptionConfiguration": m{"rule": sse("AES256")}})},
			both: &want{algs: []string{"AES256"}, valid: []bool{true}}},
		{name: "v7 separate plural by id", rs: []*fixture.Res{fixture.R(aws.TypeS3Bucket, "b", m{}),
			fixture.R(aws.TypeS3Encryption, "enc", m{"bucket": fixture.ID("b"), "rules": l{sse("aws:kms")}})},
			both: &want{algs: []string{"aws:kms"}, valid: []bool{true}, configs: 1}},
		{name: "v6 V2 separate by physical name", rs: []*fixture.Res{fixture.R(aws.TypeS3BucketV2, "b", m{"bucket": "my-b"}),
			fixture.R(aws.TypeS3EncryptionV2, "enc", m{"bucket": "my-b", "rules": l{sse("bogus")}})},
			both: &want{algs: []string{"bogus"}, valid: []bool{false}, configs: 1}},
		{name: "unknown bucket reference", rs: []*fixture.Res{fixture.R(aws.TypeS3BucketV2, "b", m{}),
			fixture.R(aws.TypeS3EncryptionV2, "enc", m{"bucket": fixture.Unknown, "rules": l{sse("AES256")}})},
			both: &want{unjoined: true}},
		{name: "malformed rules", rs: []*fixture.Res{fixture.R(aws.TypeS3BucketV2, "b", m{}),
			fixture.R(aws.TypeS3EncryptionV2, "enc", m{"bucket": fixture.ID("b"), "rules": "AES256"})},
			both: &want{configs: 1, gaps: 1}},
		{name: "algorithm unknown", rs: []*fixture.Res{fixture.R(aws.TypeS3BucketV2, "b", m{}),
			fixture.R(aws.TypeS3EncryptionV2, "enc", m{"bucket": fixture.ID("b"), "rules": l{sse(fixture.Unknown)}})},
			both: &want{algs: []string{""}, valid: []bool{false}, configs: 1}},
		{name: "no buckets", rs: []*fixture.Res{
			fixture.R(aws.TypeS3EncryptionV2, "enc", m{"bucket": "elsewhere", "rules": l{sse("AES256")}})}},
	}
	for _, c := range cases {
		for _, mode := range fixture.Modes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				g := graph.New(fixture.Build(t, mode, c.rs...))
				stores := aws.Adapter{}.ObjectStores(g)
				if c.both == nil {
					if len(stores) != 0 {
						t.Fatalf("got %d stores, want none", len(stores))
					}
					return
				}
				if len(stores) != 1 {
					t.Fatalf("got %d stores, want 1", len(stores))
				}
				s, w := stores[0], *c.both
				if s.Res.Name != "b" || len(s.Configs) != w.configs || len(s.Gaps) != w.gaps || (s.Unjoined != nil) != w.unjoined {
					t.Errorf("store %s: %d configs, %d gaps, unjoined %v; want %+v", s.Res.Name, len(s.Configs),
						len(s.Gaps), s.Unjoined != nil, w)
				}
				if len(s.Encryption) != len(w.algs) {
					t.Fatalf("got %d rules, want %d", len(s.Encryption), len(w.algs))
				}
				for i, r := range s.Encryption {
					if r.Algorithm.Value != w.algs[i] || r.Valid != w.valid[i] {
						t.Errorf("rule %d: %q valid %v, want %q valid %v", i, r.Algorithm.Value, r.Valid, w.algs[i], w.valid[i])
					}
					if r.Algorithm.Value == "" && r.Algorithm.State != policy.Unknown {
						t.Errorf("rule %d: an unknown algorithm must be Unknown, got %v", i, r.Algorithm.State)
					}
				}
				if again := (aws.Adapter{}).ObjectStores(g); &again[0] != &stores[0] {
					t.Error("the stores are built again for the same graph, not memoised")
				}
			})
		}
	}
}
