package aws

import (
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// DatabaseTypes are the RDS types read as databases: instances, Aurora
// clusters and global clusters.
func (Adapter) DatabaseTypes() []string {
	return []string{TypeRDSInstance, TypeRDSCluster, TypeRDSGlobalCluster}
}

type databaseKey struct{}

// Database reads an RDS instance, cluster or global cluster's encryption at
// rest (once per resource).
func (Adapter) Database(r *graph.Resource) (model.Database, bool) {
	switch r.Type {
	case TypeRDSInstance, TypeRDSCluster, TypeRDSGlobalCluster:
	default:
		return model.Database{}, false
	}
	return r.Memo(databaseKey{}, func() any { return database(r) }).(model.Database), true
}

func database(r *graph.Resource) model.Database {
	rd := policy.Probe(r)
	s := model.StorageEncryption{AbsentMeans: "AWS defaults to false", KeyApplies: r.Type != TypeRDSGlobalCluster,
		DefaultKey:      "the AWS-managed aws/rds key",
		PlatformKeyWhat: "an AWS-managed key alias",
		KeyFix:          "Set kmsKeyId to the ARN of a customer-managed KMS key (aws.kms.Key)."}
	switch r.Type {
	case TypeRDSInstance:
		if rd.IsSet("replicateSourceDb") {
			s.Follows = "a read replica is encrypted exactly when its source is"
		}
	case TypeRDSCluster:
		if rd.IsSet("replicationSourceIdentifier") {
			s.Follows = "a replica cluster follows its source"
		} else if mode, st := rd.String("engineMode"); st == policy.Known && mode == "serverless" {
			s.Follows = "Aurora Serverless v1 is always encrypted"
		}
	case TypeRDSGlobalCluster:
		if rd.IsSet("sourceDbClusterIdentifier") {
			s.Follows = "a global cluster made from a cluster takes its encryption"
		}
	}
	if gap, ok := model.GapOf(rd); ok {
		s.Gaps = []model.Gap{gap}
	}
	s.Enabled = model.Bool(r, "storageEncrypted")
	if rd.IsSet("snapshotIdentifier") {
		s.Restored = "snapshotIdentifier"
	}
	s.Key = model.String(r, "kmsKeyId")
	s.PlatformKey = isAWSManagedKey(s.Key.Value)
	return model.Database{Res: r, Storage: s}
}

// isAWSManagedKey reports whether a key id is an alias of an AWS-managed key
// (alias/aws/...), by name or ARN.
func isAWSManagedKey(key string) bool {
	return strings.HasPrefix(key, "alias/aws/") || strings.Contains(key, ":alias/aws/")
}
