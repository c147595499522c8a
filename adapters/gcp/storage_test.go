package gcp_test

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/gcp"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
)

func bucket(in m) *fixture.Res {
	return fixture.R(gcp.TypeBucket, "checkpoints", in).Output("name", "pulumi-checkpoints-5e6f")
}

var ref = fixture.OutputOf("checkpoints", "name")

// TestBucketGrants checks which IAM and ACL declarations are anonymous
// grants, and their join to the bucket (by name in update, by dependency in
// preview) with its public access prevention and uniform access.
func TestBucketGrants(t *testing.T) {
	cases := []struct {
		name    string
		bucket  m
		grant   *fixture.Res
		public  []bool // per grant
		acl     bool
		blocked bool
	}{
		{name: "IAM member allUsers", bucket: m{}, grant: fixture.R(gcp.TypeBucketIAMMember, "g", m{
			"bucket": ref, "role": "roles/storage.objectViewer", "member": "allUsers"}), public: []bool{true}},
		{name: "IAM member service account", bucket: m{}, grant: fixture.R(gcp.TypeBucketIAMMember, "g", m{
			"bucket": ref, "role": "roles/storage.objectAdmin", "member": "serviceAccount:api@p.iam.gserviceaccount.com"})},
		{name: "IAM binding with one anonymous member", bucket: m{"publicAccessPrevention": "enforced"},
			grant: fixture.R(gcp.TypeBucketIAMBinding, "g", m{"bucket": ref, "role": "roles/storage.objectViewer",
				"members": l{"user:ops@example.com", "allAuthenticatedUsers"}}), public: []bool{true}, blocked: true},
		{name: "IAM binding members not known", bucket: m{}, grant: fixture.R(gcp.TypeBucketIAMBinding, "g", m{
			"bucket": ref, "role": "roles/storage.objectViewer", "members": fixture.Unknown}), public: []bool{false}},
		{name: "access control entity allUsers", bucket: m{"uniformBucketLevelAccess": true},
			grant:  fixture.R(gcp.TypeBucketAccessControl, "g", m{"bucket": ref, "entity": "allUsers", "role": "READER"}),
			public: []bool{true}, acl: true},
		{name: "bucket ACL predefined and entities", bucket: m{}, grant: fixture.R(gcp.TypeBucketACL, "g", m{
			"bucket": ref, "predefinedAcl": "publicRead", "roleEntities": l{"OWNER:user-ops@example.com", "READER:allUsers"}}),
			public: []bool{true, true}, acl: true},
		{name: "default object ACL private", bucket: m{}, grant: fixture.R(gcp.TypeDefaultObjectACL, "g", m{
			"bucket": ref, "roleEntities": l{"OWNER:project-owners-123"}})},
	}
	for _, c := range cases {
		for _, mode := range fixture.Modes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				g := graph.New(fixture.Build(t, mode, bucket(c.bucket), c.grant))
				gs := gcp.Adapter{}.AnonymousGrants(g)
				if len(gs) != len(c.public) {
					t.Fatalf("got %d grants, want %d", len(gs), len(c.public))
				}
				for i, gr := range gs {
					if gr.Public != c.public[i] || gr.ACL != c.acl || gr.Store == nil || model.True(gr.Blocked) != c.blocked {
						t.Errorf("grant %d: public %v acl %v store %v blocked %v; want %v %v checkpoints %v", i,
							gr.Public, gr.ACL, gr.Store, model.True(gr.Blocked), c.public[i], c.acl, c.blocked)
					}
					if c.acl && !model.True(gr.ACLsOff) != (c.bucket["uniformBucketLevelAccess"] == nil) {
						t.Errorf("grant %d: ACLs off %v, want %v", i, model.True(gr.ACLsOff), c.bucket["uniformBucketLevelAccess"])
					}
				}
			})
		}
	}
}

// TestBucketStore checks the bucket's store: always encrypted, CMEK, public
// access prevention.
func TestBucketStore(t *testing.T) {
	g := graph.New(fixture.Build(t, fixture.Update,
		bucket(m{"encryption": m{"defaultKmsKeyName": "projects/p/locations/us/keyRings/r/cryptoKeys/k"},
			"publicAccessPrevention": "enforced"}),
		fixture.R(gcp.TypeBucket, "plain", m{"publicAccessPrevention": "inherited"})))
	stores := gcp.Adapter{}.ObjectStores(g)
	if len(stores) != 2 {
		t.Fatalf("got %d stores, want 2", len(stores))
	}
	if s := stores[0]; !s.Always.CustomerKey.Value || !model.True(s.Access.Blocks) || s.Always.KeyWhat != "" {
		t.Errorf("CMEK bucket: %+v", s)
	}
	if s := stores[1]; s.Always.CustomerKey.Value || !model.False(s.Access.Blocks) || s.Access.Open || s.Always.KeyWhat == "" {
		t.Errorf("inherited bucket: %+v", s)
	}
}
