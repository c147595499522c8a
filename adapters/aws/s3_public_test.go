package aws_test

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/aws"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
)

// TestS3AnonymousGrants checks which ACLs are anonymous grants and their
// join to the bucket and its public access block, by physical name and by
// id (in preview, by dependency).
func TestS3AnonymousGrants(t *testing.T) {
	cases := []struct {
		name    string
		rs      []*fixture.Res
		public  []bool
		store   string
		blocked bool
	}{
		{name: "inline public-read", rs: []*fixture.Res{fixture.R(aws.TypeS3Bucket, "b", m{"acl": "public-read"})},
			public: []bool{true}, store: "b"},
		{name: "inline private", rs: []*fixture.Res{fixture.R(aws.TypeS3Bucket, "b", m{"acl": "private"})}},
		{name: "separate ACL by name, blocked", rs: []*fixture.Res{
			fixture.R(aws.TypeS3BucketV2, "b", m{"bucket": "my-b"}),
			fixture.R(aws.TypeS3BucketACLV2, "acl", m{"bucket": "my-b", "acl": "authenticated-read"}),
			fixture.R(aws.TypeS3PublicAccessBlock, "pab", m{"bucket": fixture.ID("b"), "ignorePublicAcls": true})},
			public: []bool{true}, store: "b", blocked: true},
		{name: "grant to AllUsers beside a private one", rs: []*fixture.Res{
			fixture.R(aws.TypeS3Bucket, "b", m{}),
			fixture.R(aws.TypeS3BucketACL, "acl", m{"bucket": fixture.ID("b"), "accessControlPolicy": m{"grants": l{
				m{"grantee": m{"type": "CanonicalUser", "id": "x"}, "permission": "FULL_CONTROL"},
				m{"grantee": m{"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers"}, "permission": "READ"}}}})},
			public: []bool{true}, store: "b"},
		{name: "ACL of a bucket outside the stack", rs: []*fixture.Res{
			fixture.R(aws.TypeS3BucketACLV2, "acl", m{"bucket": "elsewhere", "acl": "public-read"})},
			public: []bool{true}},
	}
	for _, c := range cases {
		for _, mode := range fixture.Modes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				gs := aws.Adapter{}.AnonymousGrants(graph.New(fixture.Build(t, mode, c.rs...)))
				if len(gs) != len(c.public) {
					t.Fatalf("got %d grants, want %d", len(gs), len(c.public))
				}
				for i, gr := range gs {
					store := ""
					if gr.Store != nil {
						store = gr.Store.Name
					}
					if gr.Public != c.public[i] || store != c.store || model.True(gr.Blocked) != c.blocked {
						t.Errorf("grant %d: public %v store %q blocked %v; want %v %q %v", i, gr.Public, store,
							model.True(gr.Blocked), c.public[i], c.store, c.blocked)
					}
				}
			})
		}
	}
}
