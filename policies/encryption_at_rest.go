package policies

import (
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

var paramRequireCustomerManagedKey = policy.BoolParam{
	Name: "requireCustomerManagedKey",
	Description: "Also require kmsKeyId to name a customer-managed KMS key, not the AWS-managed aws/rds key " +
		"that encrypts when kmsKeyId is unset.",
}

// RDSStorageEncrypted requires storage encryption on RDS instances, Aurora
// clusters and global clusters.
var RDSStorageEncrypted = &policy.Policy{
	Name:        "rds-storage-encrypted",
	DisplayName: "RDS and Aurora storage is encrypted",
	Description: "RDS instances, Aurora clusters and global clusters set storageEncrypted: true " +
		"(read replicas, which inherit the source's encryption, and Aurora Serverless v1, always encrypted, are exempt).",
	Section:   AtRest,
	Reference: refAtRest,
	Controls:  []policy.Control{fsbpRDS3, fsbpRDS27},
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Set storageEncrypted: true, and kmsKeyId to a customer-managed KMS key ARN if you manage your own keys. " +
		"Encryption cannot be switched on in place: for an existing database, restore an encrypted copy of a snapshot " +
		"and move to it.",
	Params:   []policy.Param{paramRequireCustomerManagedKey.Param()},
	Types:    []string{typeRDSInstance, typeRDSCluster, typeRDSGlobalCluster},
	Resource: checkRDSStorageEncrypted,
}

func checkRDSStorageEncrypted(ctx *policy.ResourceContext) {
	switch ctx.Resource.Type {
	case typeRDSInstance:
		if ctx.IsSet("replicateSourceDb") {
			return // a read replica is encrypted exactly when its source is
		}
	case typeRDSCluster:
		if ctx.IsSet("replicationSourceIdentifier") {
			return // a replica cluster follows its source
		}
		if mode, st := ctx.String("engineMode"); st == policy.Known && mode == "serverless" {
			return // Aurora Serverless v1 is always encrypted
		}
	case typeRDSGlobalCluster:
		if ctx.IsSet("sourceDbClusterIdentifier") {
			return // a global cluster made from a cluster takes its encryption
		}
	}

	enc, st := ctx.Bool("storageEncrypted")
	if st == policy.Unknown || st == policy.Invalid {
		return // the runner reports it
	}
	if !enc {
		if ctx.IsSet("snapshotIdentifier") {
			ctx.Unverifiablef("restored from snapshotIdentifier, whose encryption decides this database's, " +
				"and storageEncrypted is not true; make sure the snapshot is encrypted or set storageEncrypted: true")
			return
		}
		what := "storageEncrypted is false"
		if st == policy.Absent {
			what = "storageEncrypted is not set (AWS defaults to false)"
		}
		ctx.Violationf("%s, so the database's storage, snapshots and backups are not encrypted at rest", what)
		return
	}

	if !paramRequireCustomerManagedKey.Get(ctx.Config) || ctx.Resource.Type == typeRDSGlobalCluster {
		return
	}
	key, st := ctx.String("kmsKeyId")
	switch {
	case st == policy.Unknown || st == policy.Invalid:
	case key == "":
		ctx.ViolationFixf("Set kmsKeyId to the ARN of a customer-managed KMS key (aws.kms.Key).",
			"storage is encrypted with the AWS-managed aws/rds key because kmsKeyId is not set, and policy "+
				"config requireCustomerManagedKey asks for a customer-managed key")
	case isAWSManagedKey(key):
		ctx.ViolationFixf("Set kmsKeyId to the ARN of a customer-managed KMS key (aws.kms.Key).",
			"kmsKeyId %q is an AWS-managed key alias, and policy config requireCustomerManagedKey asks for "+
				"a customer-managed key", key)
	}
}

// isAWSManagedKey reports whether a key id is an alias of an AWS-managed key
// (alias/aws/...), by name or ARN.
func isAWSManagedKey(key string) bool {
	return strings.HasPrefix(key, "alias/aws/") || strings.Contains(key, ":alias/aws/")
}

var paramRequireKms = policy.BoolParam{
	Name: "requireKms",
	Description: "Require SSE-KMS (sseAlgorithm aws:kms or aws:kms:dsse) rather than accepting " +
		"SSE-S3 (AES256).",
}

// S3BucketEncrypted requires default server-side encryption on every bucket.
var S3BucketEncrypted = &policy.Policy{
	Name:        "s3-bucket-encrypted",
	DisplayName: "S3 buckets have server-side encryption",
	Description: "Every S3 bucket in the stack declares default server-side encryption, inline or with a " +
		"separate bucket encryption configuration resource that names it.",
	Section:   AtRest,
	Reference: refAtRest,
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Add a bucket encryption configuration whose bucket is this bucket's id: " +
		"aws.s3.BucketServerSideEncryptionConfigurationV2 in pulumi-aws v6, " +
		"aws.s3.BucketServerSideEncryptionConfiguration in v7, with " +
		"rules[0].applyServerSideEncryptionByDefault.sseAlgorithm \"aws:kms\" (and kmsMasterKeyId) or \"AES256\"; " +
		"or, on a v6 aws.s3.Bucket, set serverSideEncryptionConfiguration inline.",
	Params: []policy.Param{paramRequireKms.Param()},
	Stack:  checkS3BucketEncrypted,
}

var sseAlgorithms = map[string]bool{"AES256": true, "aws:kms": true, "aws:kms:dsse": true}

var bucketPath = props.MustPath("bucket")

func checkS3BucketEncrypted(ctx *policy.StackContext) {
	buckets := ctx.Graph.OfType(s3BucketTypes...)
	if len(buckets) == 0 {
		return
	}
	// Join each encryption configuration to its bucket: by value, or in
	// preview by property dependency. One whose bucket cannot be told keeps
	// every bucket without encryption from a mandatory verdict.
	configs := map[*graph.Resource][]*graph.Resource{}
	var undetermined []*graph.Resource
	for _, c := range ctx.Graph.OfType(s3EncryptionTypes...) {
		for _, ref := range ctx.Graph.Refs(c, bucketPath, s3BucketTypes...) {
			switch {
			case ref.Target != nil:
				configs[ref.Target] = append(configs[ref.Target], c)
			case !ref.Known:
				undetermined = append(undetermined, c)
			}
			// A known name of a bucket outside the stack: not judged.
		}
	}

	requireKms := paramRequireKms.Get(ctx.Config)
	for _, b := range buckets {
		found, pending := false, false
		judge := func(where *graph.Resource, rules []policy.Reader) {
			for _, rule := range rules {
				defaults, st := itemsOf(rule, "applyServerSideEncryptionByDefault", "applyServerSideEncryptionByDefaults")
				if st == policy.Unknown || st == policy.Invalid {
					pending = true
				}
				for _, d := range defaults {
					alg, st := d.String("sseAlgorithm")
					switch {
					case st == policy.Unknown || st == policy.Invalid:
						pending = true
					case !sseAlgorithms[alg]:
						ctx.Violationf(where, "%s.sseAlgorithm is %q, not a server-side encryption algorithm "+
							"(AES256, aws:kms or aws:kms:dsse)", d.Base(), alg)
						found = true
					case requireKms && alg == "AES256":
						ctx.ViolationFixf(where, "Set sseAlgorithm to \"aws:kms\" and kmsMasterKeyId to a "+
							"customer-managed KMS key ARN.",
							"%s.sseAlgorithm is AES256 (SSE-S3), and policy config requireKms asks for SSE-KMS%s",
							d.Base(), bucketNote(where, b))
						found = true
					default:
						found = true
					}
				}
			}
		}

		inline, st := itemsOf(ctx.Read(b), "serverSideEncryptionConfiguration", "serverSideEncryptionConfigurations")
		pending = pending || st == policy.Unknown || st == policy.Invalid
		for _, conf := range inline {
			rules, st := itemsOf(conf, "rule", "rules")
			pending = pending || st == policy.Unknown || st == policy.Invalid
			judge(b, rules)
		}
		for _, c := range configs[b] {
			rules, st := itemsOf(ctx.Read(c), "rules", "rule")
			pending = pending || st == policy.Unknown || st == policy.Invalid
			judge(c, rules)
		}
		if found || pending {
			continue
		}
		if len(undetermined) > 0 {
			// Some configuration may name this bucket once its value is known.
			ctx.Read(b).NoteUnknown("the bucket of " + undetermined[0].Label())
			continue
		}
		if len(configs[b]) > 0 {
			ctx.Violationf(b, "no server-side encryption is declared for this bucket: its bucket encryption "+
				"configuration %q sets no rules.applyServerSideEncryptionByDefault", configs[b][0].Name)
			continue
		}
		ctx.Violationf(b, "no server-side encryption is declared for this bucket: it has no inline "+
			"serverSideEncryptionConfiguration and no bucket encryption configuration resource names it")
	}
}

// bucketNote names the bucket when the finding sits on a separate
// configuration resource.
func bucketNote(where, bucket *graph.Resource) string {
	if where == bucket {
		return ""
	}
	return " (bucket " + bucket.Name + ")"
}

// itemsOf reads the first of several spellings of a block (singular object
// in one provider version, list in another) that is set.
func itemsOf(r policy.Reader, keys ...string) ([]policy.Reader, policy.State) {
	for _, k := range keys {
		if r.IsSet(k) {
			return r.Items(k)
		}
	}
	return nil, policy.Absent
}

// EKSSecretsEncrypted requires KMS envelope encryption of Kubernetes Secrets.
var EKSSecretsEncrypted = &policy.Policy{
	Name:        "eks-secrets-encrypted",
	DisplayName: "EKS encrypts Kubernetes Secrets with a KMS key",
	Description: "EKS clusters envelope-encrypt Kubernetes Secrets, which hold the license key and the SMTP " +
		"and database passwords, with a KMS key: aws:eks/cluster:Cluster encryptionConfig with resources " +
		"[\"secrets\"] and provider.keyArn, or the eks:index:Cluster component's encryptionConfigKeyArn. A " +
		"component and its aws child give one finding.",
	Section:   AtRest,
	Reference: refAtRest,
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Create a KMS key (aws.kms.Key) and set encryptionConfigKeyArn on the eks.Cluster component, " +
		"or encryptionConfig {provider: {keyArn}, resources: [\"secrets\"]} on aws.eks.Cluster. EKS can add " +
		"it to an existing cluster, but not take it away.",
	Stack: checkEKSSecretsEncrypted,
}

func checkEKSSecretsEncrypted(ctx *policy.StackContext) {
	for _, c := range ctx.Graph.OfType("eks:index:Cluster") {
		rd := ctx.Read(c)
		if _, st := rd.String("encryptionConfigKeyArn"); st == policy.Absent {
			ctx.Violationf(c, "encryptionConfigKeyArn is not set, so Kubernetes Secrets are stored in etcd "+
				"without KMS envelope encryption")
		}
	}
	for _, c := range ctx.Graph.OfType("aws:eks/cluster:Cluster") {
		if underEKSComponent(ctx.Graph, c) {
			continue
		}
		rd := ctx.Read(c)
		cfg := rd.Value("encryptionConfig")
		if cfg.Kind() == props.Array { // older pulumi-aws: a list of one
			items, _ := rd.Items("encryptionConfig")
			if len(items) == 0 {
				cfg = props.Value{}
			} else {
				judgeEKSEncryption(ctx, c, items[0])
				continue
			}
		}
		if cfg.IsNull() {
			ctx.Violationf(c, "encryptionConfig is not set, so Kubernetes Secrets are stored in etcd without "+
				"KMS envelope encryption")
			continue
		}
		judgeEKSEncryption(ctx, c, rd)
	}
}

// judgeEKSEncryption reads an encryptionConfig, at rd's base (a list item)
// or at encryptionConfig: its resources must include secrets and its
// provider name a key.
func judgeEKSEncryption(ctx *policy.StackContext, c *graph.Resource, rd policy.Reader) {
	at, shown := "encryptionConfig.", "encryptionConfig."
	if rd.Base() != "" {
		at, shown = "", rd.Base()+"."
	}
	resources, st := rd.Strings(at + "resources")
	if st == policy.Unknown || st == policy.Invalid {
		return
	}
	secrets := false
	for _, r := range resources {
		secrets = secrets || r == "secrets"
	}
	if !secrets {
		ctx.Violationf(c, "%sresources does not include \"secrets\", so Kubernetes Secrets are not "+
			"envelope-encrypted", shown)
		return
	}
	if _, st := rd.String(at + "provider.keyArn"); st == policy.Absent {
		ctx.Violationf(c, "%sprovider.keyArn is not set, so there is no KMS key to encrypt Kubernetes Secrets "+
			"with", shown)
	}
}
