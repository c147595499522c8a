package aws_test

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/aws"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// TestDatabaseStorage checks what the adapter reads of an RDS database's
// encryption at rest: who it follows, the switch, a snapshot, the key.
func TestDatabaseStorage(t *testing.T) {
	cases := []struct {
		name        string
		r           *fixture.Res
		ok          bool
		follows     bool
		enabled     policy.State
		restored    string
		keyApplies  bool
		platformKey bool
		gaps        int
	}{
		{name: "instance, encrypted", r: fixture.R(aws.TypeRDSInstance, "db", m{"storageEncrypted": true,
			"kmsKeyId": "arn:aws:kms:us-east-1:1:key/k"}), ok: true, enabled: policy.Known, keyApplies: true},
		{name: "read replica follows", r: fixture.R(aws.TypeRDSInstance, "db", m{"replicateSourceDb": "src"}),
			ok: true, follows: true, enabled: policy.Absent, keyApplies: true},
		{name: "serverless v1 always", r: fixture.R(aws.TypeRDSCluster, "db", m{"engineMode": "serverless"}),
			ok: true, follows: true, enabled: policy.Absent, keyApplies: true},
		{name: "engine mode unknown is a gap", r: fixture.R(aws.TypeRDSCluster, "db", m{"engineMode": fixture.Unknown}),
			ok: true, enabled: policy.Absent, keyApplies: true, gaps: 1},
		{name: "restored from a snapshot", r: fixture.R(aws.TypeRDSCluster, "db", m{"snapshotIdentifier": "snap"}),
			ok: true, enabled: policy.Absent, restored: "snapshotIdentifier", keyApplies: true},
		{name: "AWS-managed key", r: fixture.R(aws.TypeRDSCluster, "db", m{"storageEncrypted": true,
			"kmsKeyId": "arn:aws:kms:us-east-1:1:alias/aws/rds"}), ok: true, enabled: policy.Known, keyApplies: true,
			platformKey: true},
		{name: "global cluster: no key to choose", r: fixture.R(aws.TypeRDSGlobalCluster, "db", m{"storageEncrypted": true}),
			ok: true, enabled: policy.Known},
		{name: "not a database", r: fixture.R(aws.TypeRDSClusterInstance, "db", m{})},
	}
	for _, c := range cases {
		for _, mode := range fixture.Modes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				r := fixture.Build(t, mode, c.r)[0]
				db, ok := aws.Adapter{}.Database(r)
				if ok != c.ok {
					t.Fatalf("read as a database: %v, want %v", ok, c.ok)
				}
				if !ok {
					return
				}
				s := db.Storage
				if (s.Follows != "") != c.follows || s.Enabled.State != c.enabled || s.Restored != c.restored ||
					s.KeyApplies != c.keyApplies || s.PlatformKey != c.platformKey || len(s.Gaps) != c.gaps {
					t.Errorf("got follows %q, enabled %v, restored %q, key applies %v, platform key %v, %d gaps",
						s.Follows, s.Enabled.State, s.Restored, s.KeyApplies, s.PlatformKey, len(s.Gaps))
				}
				if s.Enabled.Path != "storageEncrypted" || s.Key.Path != "kmsKeyId" {
					t.Errorf("paths %q %q", s.Enabled.Path, s.Key.Path)
				}
			})
		}
	}
}
