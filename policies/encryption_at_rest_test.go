package policies

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
)

func TestRDSStorageEncrypted(t *testing.T) {
	const cmk = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	cluster := func(in map[string]any) []*fixture.Res { return []*fixture.Res{fixture.R(typeRDSCluster, "db", in)} }
	instance := func(in map[string]any) []*fixture.Res { return []*fixture.Res{fixture.R(typeRDSInstance, "db", in)} }
	global := func(in map[string]any) []*fixture.Res {
		return []*fixture.Res{fixture.R(typeRDSGlobalCluster, "db", in)}
	}
	requireCMK := map[string]any{"requireCustomerManagedKey": true}

	runCases(t, RDSStorageEncrypted, []caseT{
		// must not fire
		{name: "cluster encrypted", rs: cluster(map[string]any{"engine": "aurora-mysql", "storageEncrypted": true}), target: "db"},
		{name: "instance encrypted", rs: instance(map[string]any{"engine": "mysql", "storageEncrypted": true}), target: "db"},
		{name: "global encrypted", rs: global(map[string]any{"storageEncrypted": true}), target: "db"},
		{name: "secret true", rs: cluster(map[string]any{"storageEncrypted": fixture.Secret(true)}), target: "db"},
		{name: "read replica", rs: instance(map[string]any{"replicateSourceDb": "source-db"}), target: "db"},
		{name: "read replica of unknown source", rs: instance(map[string]any{"replicateSourceDb": fixture.Unknown}), target: "db"},
		{name: "replica cluster", rs: cluster(map[string]any{"replicationSourceIdentifier": "arn:aws:rds:x"}), target: "db"},
		{name: "serverless v1", rs: cluster(map[string]any{"engineMode": "serverless"}), target: "db"},
		{name: "global from cluster", rs: global(map[string]any{"sourceDbClusterIdentifier": "arn:aws:rds:x"}), target: "db"},
		{name: "other rds type", rs: []*fixture.Res{fixture.R("aws:rds/clusterInstance:ClusterInstance", "db", map[string]any{})}, target: "db"},
		{name: "stack resource", rs: []*fixture.Res{fixture.R("pulumi:pulumi:Stack", "db", map[string]any{})}, target: "db"},
		{name: "cmk given", cfg: requireCMK, rs: cluster(map[string]any{"storageEncrypted": true, "kmsKeyId": cmk}), target: "db"},
		{name: "cmk secret", cfg: requireCMK, rs: cluster(map[string]any{"storageEncrypted": true, "kmsKeyId": fixture.Secret(cmk)}), target: "db"},
		{name: "cmk not required", rs: cluster(map[string]any{"storageEncrypted": true}), target: "db"},
		{name: "global ignores cmk", cfg: requireCMK, rs: global(map[string]any{"storageEncrypted": true}), target: "db"},

		// must fire
		{name: "cluster unset", rs: cluster(map[string]any{"engine": "aurora-mysql"}), target: "db",
			both: []fixture.Want{violation(`aws:rds/cluster:Cluster "db"`, "storageEncrypted is not set", "Why:", "Fix:", "#encryption")}},
		{name: "cluster false", rs: cluster(map[string]any{"storageEncrypted": false}), target: "db",
			both: []fixture.Want{violation("storageEncrypted is false")}},
		{name: "cluster null", rs: cluster(map[string]any{"storageEncrypted": nil}), target: "db",
			both: []fixture.Want{violation("storageEncrypted is not set")}},
		{name: "instance unset", rs: instance(map[string]any{"engine": "postgres"}), target: "db",
			both: []fixture.Want{violation(`aws:rds/instance:Instance "db"`)}},
		{name: "global unset", rs: global(map[string]any{}), target: "db", both: []fixture.Want{violation()}},
		{name: "secret false", rs: cluster(map[string]any{"storageEncrypted": fixture.Secret(false)}), target: "db",
			both: []fixture.Want{violation("storageEncrypted is false")}},
		{name: "provisioned mode", rs: cluster(map[string]any{"engineMode": "provisioned"}), target: "db",
			both: []fixture.Want{violation()}},
		{name: "cmk missing", cfg: requireCMK, rs: cluster(map[string]any{"storageEncrypted": true}), target: "db",
			both: []fixture.Want{violation("kmsKeyId is not set", "requireCustomerManagedKey", "customer-managed KMS key")}},
		{name: "cmk aws-managed", cfg: requireCMK,
			rs:     instance(map[string]any{"storageEncrypted": true, "kmsKeyId": "arn:aws:kms:us-west-2:1:alias/aws/rds"}),
			target: "db", both: []fixture.Want{violation("AWS-managed key alias")}},
		{name: "cmk aws-managed secret", cfg: requireCMK,
			rs:     instance(map[string]any{"storageEncrypted": true, "kmsKeyId": fixture.Secret("alias/aws/rds-secret-name")}),
			target: "db", both: []fixture.Want{violation(`kmsKeyId "[secret]"`)}},

		// cannot tell
		{name: "unknown", rs: cluster(map[string]any{"storageEncrypted": fixture.Unknown}), target: "db",
			preview: []fixture.Want{advisory("cannot be verified during preview: storageEncrypted is not known until update")},
			update:  []fixture.Want{advisory("cannot be verified: storageEncrypted is not known until update")}},
		{name: "cmk unknown", cfg: requireCMK, rs: cluster(map[string]any{"storageEncrypted": true, "kmsKeyId": fixture.Unknown}),
			target: "db", both: []fixture.Want{advisory("kmsKeyId is not known until update")}},
		{name: "wrong type", rs: cluster(map[string]any{"storageEncrypted": "true"}), target: "db",
			both: []fixture.Want{advisory(`aws:rds/cluster:Cluster "db"`, "storageEncrypted is a string, expected a boolean")}},
		{name: "from snapshot", rs: instance(map[string]any{"snapshotIdentifier": "snap-1"}), target: "db",
			both: []fixture.Want{advisory("snapshotIdentifier")}},
	})
}

func TestS3BucketEncrypted(t *testing.T) {
	const v6Bucket, v7Bucket = typeS3Bucket, typeS3Bucket
	aes := map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "AES256"}}
	kms := map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "arn:aws:kms:k"}}
	sse := func(name, typ string, bucket any, rules ...any) *fixture.Res {
		return fixture.R(typ, name, map[string]any{"bucket": bucket, "rules": rules})
	}
	bucket := func(typ string) *fixture.Res { return fixture.R(typ, "b", map[string]any{}) }
	requireKms := map[string]any{"requireKms": true}

	runCases(t, S3BucketEncrypted, []caseT{
		// must not fire
		{name: "v6 inline", target: "b", rs: []*fixture.Res{fixture.R(v6Bucket, "b", map[string]any{
			"serverSideEncryptionConfiguration": map[string]any{"rule": aes}})}},
		{name: "v6 BucketV2 inline plural", target: "b", rs: []*fixture.Res{fixture.R(typeS3BucketV2, "b", map[string]any{
			"serverSideEncryptionConfigurations": []any{map[string]any{"rules": []any{map[string]any{
				"applyServerSideEncryptionByDefaults": []any{map[string]any{"sseAlgorithm": "aws:kms"}}}}}}})}},
		{name: "v6 separate V2 by id", target: "b", rs: []*fixture.Res{bucket(typeS3BucketV2), sse("enc", typeS3EncryptionV2, fixture.ID("b"), aes)}},
		{name: "v7 separate by id", target: "b", rs: []*fixture.Res{bucket(v7Bucket), sse("enc", typeS3Encryption, fixture.ID("b"), kms)}},
		{name: "separate by bucket name", target: "b", rs: []*fixture.Res{
			fixture.R(typeS3BucketV2, "b", map[string]any{"bucket": "my-bucket"}), sse("enc", typeS3EncryptionV2, "my-bucket", aes)}},
		{name: "kms required and used", cfg: requireKms, target: "b", rs: []*fixture.Res{bucket(v7Bucket), sse("enc", typeS3Encryption, fixture.ID("b"), kms)}},
		{name: "dsse", cfg: requireKms, target: "b", rs: []*fixture.Res{bucket(v7Bucket), sse("enc", typeS3Encryption, fixture.ID("b"),
			map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms:dsse"}})}},
		{name: "secret key id", target: "b", rs: []*fixture.Res{bucket(v7Bucket), sse("enc", typeS3Encryption, fixture.ID("b"),
			map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": fixture.Secret("arn:aws:kms:secret-key")}})}},
		{name: "config unjudged when external", target: "enc", rs: []*fixture.Res{sse("enc", typeS3EncryptionV2, "someone-elses-bucket", aes)}},

		// must fire
		{name: "v6 bare bucket", target: "b", rs: []*fixture.Res{bucket(v6Bucket)},
			both: []fixture.Want{violation(`aws:s3/bucket:Bucket "b"`, "no server-side encryption is declared", "Fix:")}},
		{name: "config names another bucket", target: "b",
			rs:   []*fixture.Res{bucket(typeS3BucketV2), renamed(bucket(typeS3BucketV2), "other"), sse("enc", typeS3EncryptionV2, fixture.ID("other"), aes)},
			both: []fixture.Want{violation("no server-side encryption")}},
		{name: "config for external bucket", target: "b",
			rs:   []*fixture.Res{bucket(typeS3BucketV2), sse("enc", typeS3EncryptionV2, "someone-elses-bucket", aes)},
			both: []fixture.Want{violation("no server-side encryption")}},
		{name: "empty rules", target: "b", rs: []*fixture.Res{bucket(typeS3BucketV2), sse("enc", typeS3EncryptionV2, fixture.ID("b"))},
			both: []fixture.Want{violation(`no server-side encryption is declared for this bucket: its bucket encryption ` +
				`configuration "enc" sets no rules.applyServerSideEncryptionByDefault`)}},
		{name: "aes with requireKms", cfg: requireKms, target: "enc",
			rs:   []*fixture.Res{bucket(typeS3BucketV2), sse("enc", typeS3EncryptionV2, fixture.ID("b"), aes)},
			both: []fixture.Want{violation("sseAlgorithm is AES256", "requireKms", "(bucket b)")}},
		{name: "inline aes with requireKms", cfg: requireKms, target: "b", rs: []*fixture.Res{fixture.R(v6Bucket, "b", map[string]any{
			"serverSideEncryptionConfiguration": map[string]any{"rule": aes}})},
			both: []fixture.Want{violation("serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.sseAlgorithm is AES256")}},
		{name: "bogus algorithm", target: "enc", rs: []*fixture.Res{bucket(typeS3BucketV2), sse("enc", typeS3EncryptionV2, fixture.ID("b"),
			map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "DES"}})},
			both: []fixture.Want{violation(`"DES"`, "not a server-side encryption algorithm")}},

		// cannot tell
		{name: "bucket of config unknown without deps", target: "b",
			rs:      []*fixture.Res{bucket(typeS3BucketV2), sse("enc", typeS3EncryptionV2, fixture.Unknown, aes)},
			preview: []fixture.Want{advisory(`cannot be verified during preview: the bucket of aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2 "enc" is not known until update`)},
			update:  []fixture.Want{advisory(`cannot be verified: the bucket of`)}},
		{name: "algorithm unknown", target: "enc", rs: []*fixture.Res{bucket(typeS3BucketV2), sse("enc", typeS3EncryptionV2, fixture.ID("b"),
			map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": fixture.Unknown}})},
			preview: []fixture.Want{advisory("rules[0].applyServerSideEncryptionByDefault.sseAlgorithm is not known until update")},
			update:  []fixture.Want{advisory("sseAlgorithm is not known")}},
		{name: "rules malformed", target: "enc", rs: []*fixture.Res{bucket(typeS3BucketV2),
			fixture.R(typeS3EncryptionV2, "enc", map[string]any{"bucket": fixture.ID("b"), "rules": "AES256"})},
			both: []fixture.Want{advisory("rules is a string, expected an object")}},
		{name: "malformed rules leave bucket undecided", target: "b", rs: []*fixture.Res{bucket(typeS3BucketV2),
			fixture.R(typeS3EncryptionV2, "enc", map[string]any{"bucket": fixture.ID("b"), "rules": "AES256"})},
			elsewhere: map[string][]fixture.Want{"enc": {advisory("rules is a string, expected an object")}}},
	})
}

// renamed gives a copy of the resource another name.
func renamed(r *fixture.Res, name string) *fixture.Res { c := *r; c.Name = name; return &c }
