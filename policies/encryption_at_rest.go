package policies

import (
	"fmt"
	"slices"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

var paramRequireCustomerManagedKey = policy.BoolParam{
	Name: "requireCustomerManagedKey",
	Description: "Also require a customer-managed key: on RDS, kmsKeyId naming a customer-managed KMS key, " +
		"not the AWS-managed aws/rds key that encrypts when kmsKeyId is unset; on Azure Database for MySQL, " +
		"dataEncryption type AzureKeyVault with a primaryKeyURI; on Cloud SQL, encryptionKeyName (CMEK).",
}

// RDSStorageEncrypted requires storage encryption on RDS instances, Aurora
// clusters and global clusters.
var RDSStorageEncrypted = &policy.Policy{
	Name:        "rds-storage-encrypted",
	DisplayName: "Databases' storage is encrypted",
	Description: "RDS instances, Aurora clusters and global clusters set storageEncrypted: true " +
		"(read replicas, which inherit the source's encryption, and Aurora Serverless v1, always encrypted, are exempt). " +
		"Azure Database for MySQL flexible servers and Cloud SQL instances are always encrypted at rest; they " +
		"are judged only on requireCustomerManagedKey.",
	Section:   AtRest,
	Reference: refAtRest,
	Controls:  []policy.Control{fsbpRDS3, fsbpRDS27},
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Set storageEncrypted: true, and kmsKeyId to a customer-managed KMS key ARN if you manage your own keys. " +
		"Encryption cannot be switched on in place: for an existing database, restore an encrypted copy of a snapshot " +
		"and move to it.",
	Params:   []policy.Param{paramRequireCustomerManagedKey.Param()},
	Types:    sources.DatabaseTypes(),
	Resource: checkRDSStorageEncrypted,
}

func checkRDSStorageEncrypted(ctx *policy.ResourceContext) {
	db, ok := sources.Database(ctx.Resource)
	if !ok {
		return
	}
	s := db.Storage
	for _, g := range s.Gaps {
		g.Decide(ctx)
	}
	if s.Follows != "" {
		return
	}
	on := s.Enabled
	if on.Decide(ctx).Undecided() {
		return // the runner reports it
	}
	if !model.True(on) {
		if s.Restored != "" {
			ctx.Unverifiablef("restored from %s, whose encryption decides this database's, and %s is not true; "+
				"make sure the snapshot is encrypted or set %s: true", s.Restored, on.Path, on.Path)
			return
		}
		what := on.Path + " is false"
		if on.Absent() {
			what = fmt.Sprintf("%s is not set (%s)", on.Path, s.AbsentMeans)
		}
		ctx.Violationf("%s, so the database's storage, snapshots and backups are not encrypted at rest", what)
		return
	}
	if !paramRequireCustomerManagedKey.Get(ctx.Config) || !s.KeyApplies {
		return
	}
	key := s.Key
	switch {
	case key.Decide(ctx).Undecided():
	case key.Value == "":
		ctx.ViolationFixf(s.KeyFix, "storage is encrypted with %s because %s is not set, and policy config "+
			"requireCustomerManagedKey asks for a customer-managed key", s.DefaultKey, key.Path)
	case s.PlatformKey:
		ctx.ViolationFixf(s.KeyFix, "%s %q is %s, and policy config requireCustomerManagedKey asks for a "+
			"customer-managed key", key.Path, key.Value, s.PlatformKeyWhat)
	}
}

var paramRequireKms = policy.BoolParam{
	Name: "requireKms",
	Description: "Require a customer-managed key: SSE-KMS (sseAlgorithm aws:kms or aws:kms:dsse) rather than " +
		"SSE-S3 (AES256) on S3; encryption.keySource Microsoft.Keyvault with keyVaultProperties on Azure " +
		"Storage accounts; encryption.defaultKmsKeyName (CMEK) on Cloud Storage buckets.",
}

var paramRequireInfrastructureEncryption = policy.BoolParam{
	Name: "requireInfrastructureEncryption",
	Description: "Azure Storage accounts only: also require encryption.requireInfrastructureEncryption: true " +
		"(a second layer of encryption at rest). It can only be set when the account is created.",
}

// S3BucketEncrypted requires encryption at rest on every object store.
// Its name is kept from when it judged S3 alone: users configure it by name.
var S3BucketEncrypted = &policy.Policy{
	Name:        "s3-bucket-encrypted",
	DisplayName: "Object stores are encrypted at rest",
	Description: "Every S3 bucket in the stack declares default server-side encryption, inline or with a " +
		"separate bucket encryption configuration resource that names it. Azure Storage accounts and Cloud " +
		"Storage buckets are always encrypted at rest; with requireKms they must name a customer-managed key, " +
		"and with requireInfrastructureEncryption Azure accounts must add infrastructure encryption.",
	Section:   AtRest,
	Reference: refAtRest,
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "S3: add a bucket encryption configuration whose bucket is this bucket's id: " +
		"aws.s3.BucketServerSideEncryptionConfigurationV2 in pulumi-aws v6, " +
		"aws.s3.BucketServerSideEncryptionConfiguration in v7, with " +
		"rules[0].applyServerSideEncryptionByDefault.sseAlgorithm \"aws:kms\" (and kmsMasterKeyId) or \"AES256\"; " +
		"or, on a v6 aws.s3.Bucket, set serverSideEncryptionConfiguration inline. Azure Storage and Cloud " +
		"Storage encrypt every object at rest: each finding on them says which key property to set.",
	Params: []policy.Param{paramRequireKms.Param(), paramRequireInfrastructureEncryption.Param()},
	Stack:  checkS3BucketEncrypted,
}

func checkS3BucketEncrypted(ctx *policy.StackContext) {
	requireKms := paramRequireKms.Get(ctx.Config)
	layered := paramRequireInfrastructureEncryption.Get(ctx.Config)
	for _, s := range sources.ObjectStores(ctx.Graph) {
		if s.Always != nil {
			judgeAlwaysEncrypted(ctx, s, requireKms, layered)
			continue
		}
		judgeStoreEncryption(ctx, s, requireKms)
	}
}

// judgeAlwaysEncrypted judges a store the platform always encrypts at rest:
// it passes, unless the policy asks for a customer-managed key or a second
// layer of encryption that the store does not declare.
func judgeAlwaysEncrypted(ctx *policy.StackContext, s model.ObjectStore, requireKms, layered bool) {
	a, w := s.Always, s.Words
	if requireKms && !a.CustomerKey.Decide(ctx).Undecided() && !a.CustomerKey.Value {
		ctx.ViolationFixf(s.Res, w.KMSFix, "%s, and policy config requireKms asks for %s", a.KeyWhat, w.KMS)
	}
	if !layered || a.Layered == nil {
		return
	}
	switch l := *a.Layered; {
	case l.Decide(ctx).Undecided() || model.True(l):
	case l.Absent():
		ctx.ViolationFixf(s.Res, w.LayeredFix, "%s is not set (false by default), and policy config "+
			"requireInfrastructureEncryption asks for %s", l.Path, w.Layered)
	default:
		ctx.ViolationFixf(s.Res, w.LayeredFix, "%s is false, and policy config requireInfrastructureEncryption "+
			"asks for %s", l.Path, w.Layered)
	}
}

func judgeStoreEncryption(ctx *policy.StackContext, s model.ObjectStore, requireKms bool) {
	found, pending := false, false
	for _, g := range s.Gaps {
		g.Decide(ctx)
		pending = true
	}
	w := s.Words
	for _, rule := range s.Encryption {
		alg := rule.Algorithm
		switch {
		case alg.Decide(ctx).Undecided():
			pending = true
		case !rule.Valid:
			ctx.Violationf(alg.Res, "%s.%s is %q, not a server-side encryption algorithm (%s)", rule.Base,
				w.AlgorithmKey, alg.Value, w.Algorithms)
			found = true
		case requireKms && !rule.CustomerKey:
			ctx.ViolationFixf(alg.Res, w.KMSFix, "%s.%s is %s, and policy config requireKms asks for %s%s",
				rule.Base, w.AlgorithmKey, w.Platform, w.KMS, bucketNote(alg.Res, s.Res))
			found = true
		default:
			found = true
		}
	}
	switch {
	case found || pending:
	case s.Unjoined != nil:
		// Some configuration may name this store once its value is known.
		ctx.Read(s.Res).NoteUnknown("the bucket of " + s.Unjoined.Label())
	case len(s.Configs) > 0:
		ctx.Violationf(s.Res, "no server-side encryption is declared for this bucket: "+w.NoRules, s.Configs[0].Name)
	default:
		ctx.Violationf(s.Res, "no server-side encryption is declared for this bucket: %s", w.None)
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

// EKSSecretsEncrypted requires envelope encryption of Kubernetes Secrets
// with a key of the platform's key management service: EKS, AKS and GKE
// (its Name predates AKS and GKE, and stays).
var EKSSecretsEncrypted = &policy.Policy{
	Name:        "eks-secrets-encrypted",
	DisplayName: "Kubernetes Secrets are envelope-encrypted with a managed key",
	Description: "Managed Kubernetes clusters envelope-encrypt Kubernetes Secrets, which hold the license key " +
		"and the SMTP and database passwords, with a key management service key. EKS: aws:eks/cluster:Cluster " +
		"encryptionConfig with resources [\"secrets\"] and provider.keyArn, or the eks:index:Cluster " +
		"component's encryptionConfigKeyArn (a component and its aws child give one finding). AKS " +
		"(azure-native:containerservice:ManagedCluster): securityProfile.azureKeyVaultKms.enabled true with a " +
		"keyId (KMS etcd encryption with an Azure Key Vault key; off by default). GKE " +
		"(gcp:container/cluster:Cluster): databaseEncryption.state ENCRYPTED with a keyName (application-layer " +
		"secrets encryption with a Cloud KMS key; DECRYPTED by default).",
	Section:   AtRest,
	Reference: refAtRest,
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Create a KMS key (aws.kms.Key) and set encryptionConfigKeyArn on the eks.Cluster component, " +
		"or encryptionConfig {provider: {keyArn}, resources: [\"secrets\"]} on aws.eks.Cluster. EKS can add " +
		"it to an existing cluster, but not take it away. On AKS set securityProfile.azureKeyVaultKms {enabled: " +
		"true, keyId} (az aks update --enable-azure-keyvault-kms); on GKE set databaseEncryption {state: " +
		"\"ENCRYPTED\", keyName} (gcloud container clusters update --database-encryption-key).",
	Stack: checkEKSSecretsEncrypted,
}

func checkEKSSecretsEncrypted(ctx *policy.StackContext) {
	for _, c := range sources.Clusters(ctx.Graph) {
		judgeSecretsEncryption(ctx, c)
	}
}

// judgeSecretsEncryption judges a cluster's envelope encryption of
// Kubernetes Secrets: configured, covering Secrets, with a key.
func judgeSecretsEncryption(ctx *policy.StackContext, c model.Cluster) {
	s := c.Secrets
	switch s.Config.Decide(ctx) {
	case policy.Absent:
		violationFix(ctx, c.Res, s.Fix, "%s is not set, so Kubernetes Secrets are stored in etcd without %s "+
			"envelope encryption", s.Config.Path, s.KeyService)
		return
	case policy.Unknown, policy.Invalid:
		return
	}
	if !s.Config.Value {
		violationFix(ctx, c.Res, s.Fix, "%s does not turn envelope encryption on, so Kubernetes Secrets are "+
			"stored in etcd without %s envelope encryption", s.Config.Path, s.KeyService)
		return
	}
	if !s.CoversFixed {
		if s.Covers.Decide(ctx).Undecided() {
			return
		}
		if !slices.Contains(s.Covers.Value, "secrets") {
			ctx.Violationf(c.Res, "%s does not include \"secrets\", so Kubernetes Secrets are not envelope-encrypted",
				s.Covers.Path)
			return
		}
	}
	if s.Key.Decide(ctx) == policy.Absent {
		violationFix(ctx, c.Res, s.Fix, "%s is not set, so there is no %s key to encrypt Kubernetes Secrets with",
			s.Key.Path, s.KeyService)
	}
}

// violationFix reports a violation with the platform's fix, or the
// policy's remediation when fix is "".
func violationFix(ctx *policy.StackContext, r *graph.Resource, fix, format string, args ...any) {
	if fix == "" {
		ctx.Violationf(r, format, args...)
		return
	}
	ctx.ViolationFixf(r, fix, format, args...)
}
