package policies

import (
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

const (
	typeAzAccount   = "azure-native:storage:StorageAccount"
	typeAzContainer = "azure-native:storage:BlobContainer"
	typeGCSBucket   = "gcp:storage/bucket:Bucket"
	typeGCSMember   = "gcp:storage/bucketIAMMember:BucketIAMMember"
	typeGCSBinding  = "gcp:storage/bucketIAMBinding:BucketIAMBinding"
	typeGCSAccess   = "gcp:storage/bucketAccessControl:BucketAccessControl"
	typeGCSACL      = "gcp:storage/bucketACL:BucketACL"
	typeGCSDefACL   = "gcp:storage/defaultObjectACL:DefaultObjectACL"
)

// azAccount is a storage account as @pulumi/azure-native v3 sends it, with
// extra inputs; its name output is what containers' accountName refer to.
func azAccount(name string, extra m) *fixture.Res {
	return fixture.R(typeAzAccount, name, with(m{"resourceGroupName": "pulumi-rg", "kind": "StorageV2",
		"sku": m{"name": "Standard_LRS"}}, extra)).Output("name", name+"4f2a")
}

func azContainer(name, account string, level any) *fixture.Res {
	in := m{"resourceGroupName": "pulumi-rg", "accountName": fixture.OutputOf(account, "name")}
	if level != nil {
		in["publicAccess"] = level
	}
	return fixture.R(typeAzContainer, name, in)
}

// gcsBucket is a bucket as @pulumi/gcp 9 sends it; grants refer to its
// name output.
func gcsBucket(name string, extra m) *fixture.Res {
	return fixture.R(typeGCSBucket, name, with(m{"location": "US"}, extra)).Output("name", name+"-7c1d")
}

func gcsGrant(typ, name, bucket string, in m) *fixture.Res {
	return fixture.R(typ, name, with(m{"bucket": fixture.OutputOf(bucket, "name")}, in))
}

func TestObjectStoreNotPublic(t *testing.T) {
	allUsers := m{"role": "roles/storage.objectViewer", "member": "allUsers"}
	runCases(t, ObjectStoreNotPublic, []caseT{
		// Azure.
		{name: "azure account as the AKS installer declares it", target: "pulumi",
			rs: []*fixture.Res{azAccount("pulumi", nil), azContainer("checkpoints", "pulumi", nil)}},
		{name: "azure account allows anonymous access", target: "pulumi",
			rs:   []*fixture.Res{azAccount("pulumi", m{"allowBlobPublicAccess": true})},
			both: []fixture.Want{violation("allowBlobPublicAccess is true", "publicAccess Blob or Container")}},
		{name: "azure account switch not known", target: "pulumi",
			rs:   []*fixture.Res{azAccount("pulumi", m{"allowBlobPublicAccess": fixture.Unknown})},
			both: []fixture.Want{advisory("allowBlobPublicAccess")}},
		{name: "azure account switch malformed", target: "pulumi",
			rs:   []*fixture.Res{azAccount("pulumi", m{"allowBlobPublicAccess": "no"})},
			both: []fixture.Want{advisory("allowBlobPublicAccess")}},
		{name: "azure container readable by anyone", target: "checkpoints",
			rs: []*fixture.Res{azAccount("pulumi", m{"allowBlobPublicAccess": true}),
				azContainer("checkpoints", "pulumi", "Container")},
			both:      []fixture.Want{violation(`publicAccess is "Container"`, "list and read")},
			elsewhere: map[string][]fixture.Want{"pulumi": {violation("allowBlobPublicAccess is true")}}},
		{name: "azure container public but the account refuses it", target: "checkpoints",
			rs: []*fixture.Res{azAccount("pulumi", m{"allowBlobPublicAccess": false}),
				azContainer("checkpoints", "pulumi", "Blob")}},
		{name: "azure container public, account leaves the switch unset", target: "checkpoints",
			rs: []*fixture.Res{azAccount("pulumi", nil), azContainer("checkpoints", "pulumi", "Blob")},
			both: []fixture.Want{violation(`publicAccess is "Blob"`, "allowBlobPublicAccess is not set",
				"2024-01-01", "2022-09-01")}},
		{name: "azure container public in an account outside the stack", target: "checkpoints",
			rs: []*fixture.Res{fixture.R(typeAzContainer, "checkpoints", m{"resourceGroupName": "rg",
				"accountName": "elsewhere", "publicAccess": "Blob"})},
			both: []fixture.Want{violation(`publicAccess is "Blob"`, "not in this stack")}},
		{name: "azure container level not known", target: "checkpoints",
			rs:   []*fixture.Res{azAccount("pulumi", nil), azContainer("checkpoints", "pulumi", fixture.Unknown)},
			both: []fixture.Want{advisory("publicAccess")}},
		{name: "azure account switch not known, container public", target: "checkpoints",
			rs: []*fixture.Res{azAccount("pulumi", m{"allowBlobPublicAccess": fixture.Unknown}),
				azContainer("checkpoints", "pulumi", "Blob")},
			both:      []fixture.Want{},
			elsewhere: map[string][]fixture.Want{"pulumi": {advisory("allowBlobPublicAccess")}}},
		{name: "azure account unset under requirePublicAccessPrevention", target: "pulumi",
			cfg:  m{"requirePublicAccessPrevention": true},
			rs:   []*fixture.Res{azAccount("pulumi", nil)},
			both: []fixture.Want{violation("2024-01-01", "2022-09-01", "requirePublicAccessPrevention")}},
		{name: "azure account open network under requireFirewall", target: "pulumi",
			cfg:  m{"requireFirewall": true},
			rs:   []*fixture.Res{azAccount("pulumi", m{"networkRuleSet": m{"defaultAction": "Allow"}})},
			both: []fixture.Want{violation(`networkRuleSet.defaultAction is "Allow"`, "requireFirewall")}},
		{name: "azure account network access not known under requireFirewall", target: "pulumi",
			cfg:  m{"requireFirewall": true},
			rs:   []*fixture.Res{azAccount("pulumi", m{"publicNetworkAccess": fixture.Unknown})},
			both: []fixture.Want{advisory("publicNetworkAccess")}},
		{name: "azure account private endpoint only under requireFirewall", target: "pulumi",
			cfg: m{"requireFirewall": true},
			rs:  []*fixture.Res{azAccount("pulumi", m{"publicNetworkAccess": "Disabled"})}},

		// Cloud Storage.
		{name: "gcs bucket as the GKE installer declares it", target: "checkpoints",
			rs: []*fixture.Res{gcsBucket("checkpoints", nil)}},
		{name: "gcs IAM member allUsers", target: "public",
			rs: []*fixture.Res{gcsBucket("checkpoints", nil), gcsGrant(typeGCSMember, "public", "checkpoints", allUsers)},
			both: []fixture.Want{violation(`member is "allUsers"`, "roles/storage.objectViewer",
				"anyone on the internet", `"inherited"`)}},
		{name: "gcs IAM member allUsers on an enforcing bucket", target: "public",
			rs: []*fixture.Res{gcsBucket("checkpoints", m{"publicAccessPrevention": "enforced"}),
				gcsGrant(typeGCSMember, "public", "checkpoints", allUsers)}},
		{name: "gcs IAM member allUsers, prevention not known", target: "public",
			rs: []*fixture.Res{gcsBucket("checkpoints", m{"publicAccessPrevention": fixture.Unknown}),
				gcsGrant(typeGCSMember, "public", "checkpoints", allUsers)},
			both:      []fixture.Want{},
			elsewhere: map[string][]fixture.Want{"checkpoints": {advisory("publicAccessPrevention")}}},
		{name: "gcs IAM binding with allAuthenticatedUsers", target: "readers",
			rs: []*fixture.Res{gcsBucket("checkpoints", nil), gcsGrant(typeGCSBinding, "readers", "checkpoints", m{
				"role": "roles/storage.objectViewer", "members": l{"group:ops@example.com", "allAuthenticatedUsers"}})},
			both: []fixture.Want{violation(`members[1] is "allAuthenticatedUsers"`, "Google account")}},
		{name: "gcs IAM binding members not known", target: "readers",
			rs: []*fixture.Res{gcsBucket("checkpoints", nil), gcsGrant(typeGCSBinding, "readers", "checkpoints", m{
				"role": "roles/storage.objectViewer", "members": fixture.Unknown})},
			both: []fixture.Want{advisory("members")}},
		{name: "gcs IAM binding members malformed", target: "readers",
			rs: []*fixture.Res{gcsBucket("checkpoints", nil), gcsGrant(typeGCSBinding, "readers", "checkpoints", m{
				"role": "roles/storage.objectViewer", "members": "allUsers"})},
			both: []fixture.Want{advisory("members")}},
		{name: "gcs ACL entity allUsers", target: "acl",
			rs: []*fixture.Res{gcsBucket("checkpoints", nil), gcsGrant(typeGCSAccess, "acl", "checkpoints",
				m{"entity": "allUsers", "role": "READER"})},
			both: []fixture.Want{violation(`entity is "allUsers"`, "uniformBucketLevelAccess")}},
		{name: "gcs ACL entity allUsers with uniform access", target: "acl",
			rs: []*fixture.Res{gcsBucket("checkpoints", m{"uniformBucketLevelAccess": true}),
				gcsGrant(typeGCSAccess, "acl", "checkpoints", m{"entity": "allUsers", "role": "READER"})}},
		{name: "gcs bucket ACL predefined publicRead", target: "acl",
			rs: []*fixture.Res{gcsBucket("checkpoints", nil), gcsGrant(typeGCSACL, "acl", "checkpoints",
				m{"predefinedAcl": "publicRead"})},
			both: []fixture.Want{violation(`predefinedAcl is "publicRead"`, "allUsers")}},
		{name: "gcs default object ACL READER:allUsers", target: "acl",
			rs: []*fixture.Res{gcsBucket("checkpoints", nil), gcsGrant(typeGCSDefACL, "acl", "checkpoints",
				m{"roleEntities": l{"OWNER:project-owners-1", "READER:allUsers"}})},
			both: []fixture.Want{violation(`roleEntities[1] is "READER:allUsers"`)}},
		{name: "gcs grant on a bucket outside the stack", target: "public",
			rs:   []*fixture.Res{fixture.R(typeGCSMember, "public", with(allUsers, m{"bucket": "someone-elses"}))},
			both: []fixture.Want{violation(`member is "allUsers"`, "not in this stack")}},
		{name: "gcs bucket inherited under requirePublicAccessPrevention", target: "checkpoints",
			cfg:  m{"requirePublicAccessPrevention": true},
			rs:   []*fixture.Res{gcsBucket("checkpoints", m{"publicAccessPrevention": "inherited"})},
			both: []fixture.Want{violation("publicAccessPrevention does not refuse", `"enforced"`)}},
		{name: "gcs bucket unset under requirePublicAccessPrevention", target: "checkpoints",
			cfg:  m{"requirePublicAccessPrevention": true},
			rs:   []*fixture.Res{gcsBucket("checkpoints", nil)},
			both: []fixture.Want{violation(`"inherited"`, "organization policy")}},
		{name: "gcs bucket enforced under both options", target: "checkpoints",
			cfg: m{"requirePublicAccessPrevention": true, "requireFirewall": true},
			rs: []*fixture.Res{gcsBucket("checkpoints", m{"publicAccessPrevention": "enforced",
				"ipFilter": m{"mode": "Enabled", "allowAllServiceAgentAccess": true}})}},
		{name: "gcs bucket without ipFilter under requireFirewall", target: "checkpoints",
			cfg:  m{"requireFirewall": true},
			rs:   []*fixture.Res{gcsBucket("checkpoints", nil)},
			both: []fixture.Want{violation("ipFilter is not set")}},
	})
}

func TestObjectStoreTLS(t *testing.T) {
	runCases(t, ObjectStoreTLS, []caseT{
		{name: "hardened", target: "pulumi",
			rs: []*fixture.Res{azAccount("pulumi", m{"enableHttpsTrafficOnly": true, "minimumTlsVersion": "TLS1_2"})}},
		{name: "TLS 1.3", target: "pulumi",
			rs: []*fixture.Res{azAccount("pulumi", m{"minimumTlsVersion": "TLS1_3"})}},
		{name: "as the AKS installer declares it", target: "pulumi", rs: []*fixture.Res{azAccount("pulumi", nil)},
			both: []fixture.Want{violation("minimumTlsVersion is not set", "2024-01-01 in azure-native v3",
				"TLS 1.0")}},
		{name: "pinned API version", target: "pulumi",
			rs: []*fixture.Res{fixture.R("azure-native:storage/v20230101:StorageAccount", "pulumi", m{
				"resourceGroupName": "rg", "kind": "StorageV2", "sku": m{"name": "Standard_LRS"}})},
			both: []fixture.Want{violation("API version 2023-01-01 reads that as TLS 1.0")}},
		{name: "TLS 1.0 explicitly", target: "pulumi",
			rs:   []*fixture.Res{azAccount("pulumi", m{"minimumTlsVersion": "TLS1_0"})},
			both: []fixture.Want{violation(`minimumTlsVersion is "TLS1_0"`)}},
		{name: "plain HTTP allowed", target: "pulumi",
			rs:   []*fixture.Res{azAccount("pulumi", m{"enableHttpsTrafficOnly": false, "minimumTlsVersion": "TLS1_2"})},
			both: []fixture.Want{violation("enableHttpsTrafficOnly is false", "plain HTTP")}},
		{name: "not known until update", target: "pulumi",
			rs: []*fixture.Res{azAccount("pulumi", m{"enableHttpsTrafficOnly": fixture.Unknown,
				"minimumTlsVersion": fixture.Unknown})},
			both: []fixture.Want{advisory("enableHttpsTrafficOnly", "minimumTlsVersion")}},
		{name: "malformed", target: "pulumi",
			rs:   []*fixture.Res{azAccount("pulumi", m{"enableHttpsTrafficOnly": "yes", "minimumTlsVersion": 12})},
			both: []fixture.Want{advisory("enableHttpsTrafficOnly is a string", "minimumTlsVersion is a number")}},
		{name: "a container has no TLS settings", target: "c",
			rs: []*fixture.Res{azAccount("pulumi", m{"minimumTlsVersion": "TLS1_2"}), azContainer("c", "pulumi", nil)}},
		{name: "cloud storage has no bucket setting", target: "checkpoints",
			rs: []*fixture.Res{gcsBucket("checkpoints", nil)}},
	})
}

// TestObjectStoreTLSRemediates checks the edits: both settings, in place.
func TestObjectStoreTLSRemediates(t *testing.T) {
	for _, mode := range fixture.Modes {
		fs := fixture.Run(t, ObjectStoreTLS, mode, nil, nil, azAccount("pulumi", m{"enableHttpsTrafficOnly": false}))
		var edits []policy.Edit
		for _, f := range fs {
			edits = append(edits, f.Edits...)
		}
		if len(edits) != 2 || edits[0] != (policy.Edit{Path: "enableHttpsTrafficOnly", Value: true}) ||
			edits[1] != (policy.Edit{Path: "minimumTlsVersion", Value: "TLS1_2"}) {
			t.Errorf("%s: edits %+v", mode, edits)
		}
	}
}

func TestStoreEncryptionAzureAndGCS(t *testing.T) {
	kv := m{"encryption": m{"keySource": "Microsoft.Keyvault", "keyVaultProperties": m{
		"keyVaultUri": "https://pulumi-kv.vault.azure.net", "keyName": "storage"}}}
	runCases(t, S3BucketEncrypted, []caseT{
		{name: "azure account always encrypted", target: "pulumi", rs: []*fixture.Res{azAccount("pulumi", nil)}},
		{name: "gcs bucket always encrypted", target: "checkpoints", rs: []*fixture.Res{gcsBucket("checkpoints", nil)}},
		{name: "azure Microsoft-managed keys under requireKms", target: "pulumi", cfg: m{"requireKms": true},
			rs: []*fixture.Res{azAccount("pulumi", nil)},
			both: []fixture.Want{violation("encryption.keySource is not set", "Microsoft-managed keys",
				"customer-managed key in Azure Key Vault")}},
		{name: "azure Key Vault key under requireKms", target: "pulumi", cfg: m{"requireKms": true},
			rs: []*fixture.Res{azAccount("pulumi", kv)}},
		{name: "azure Key Vault without a key under requireKms", target: "pulumi", cfg: m{"requireKms": true},
			rs:   []*fixture.Res{azAccount("pulumi", m{"encryption": m{"keySource": "Microsoft.Keyvault"}})},
			both: []fixture.Want{violation("does not name a key")}},
		{name: "azure key source not known under requireKms", target: "pulumi", cfg: m{"requireKms": true},
			rs:   []*fixture.Res{azAccount("pulumi", m{"encryption": m{"keySource": fixture.Unknown}})},
			both: []fixture.Want{advisory("encryption.keySource")}},
		{name: "azure key source malformed under requireKms", target: "pulumi", cfg: m{"requireKms": true},
			rs:   []*fixture.Res{azAccount("pulumi", m{"encryption": m{"keySource": l{"Microsoft.Keyvault"}}})},
			both: []fixture.Want{advisory("encryption.keySource")}},
		{name: "azure without infrastructure encryption under its option", target: "pulumi",
			cfg: m{"requireInfrastructureEncryption": true}, rs: []*fixture.Res{azAccount("pulumi", kv)},
			both: []fixture.Want{violation("encryption.requireInfrastructureEncryption is not set", "second layer")}},
		{name: "azure infrastructure encryption off under its option", target: "pulumi",
			cfg:  m{"requireInfrastructureEncryption": true},
			rs:   []*fixture.Res{azAccount("pulumi", m{"encryption": m{"requireInfrastructureEncryption": false}})},
			both: []fixture.Want{violation("encryption.requireInfrastructureEncryption is false")}},
		{name: "azure infrastructure encryption on under its option", target: "pulumi",
			cfg: m{"requireInfrastructureEncryption": true, "requireKms": true},
			rs: []*fixture.Res{azAccount("pulumi", m{"encryption": m{"keySource": "Microsoft.Keyvault",
				"requireInfrastructureEncryption": true, "keyVaultProperties": m{"keyVaultUri": fixture.Unknown,
					"keyName": "storage"}}})}},
		{name: "gcs Google-managed keys under requireKms", target: "checkpoints", cfg: m{"requireKms": true},
			rs:   []*fixture.Res{gcsBucket("checkpoints", nil)},
			both: []fixture.Want{violation("encryption.defaultKmsKeyName is not set", "CMEK")}},
		{name: "gcs CMEK under requireKms and the Azure-only option", target: "checkpoints",
			cfg: m{"requireKms": true, "requireInfrastructureEncryption": true},
			rs: []*fixture.Res{gcsBucket("checkpoints", m{"encryption": m{
				"defaultKmsKeyName": "projects/p/locations/us/keyRings/r/cryptoKeys/k"}})}},
		{name: "gcs CMEK not known under requireKms", target: "checkpoints", cfg: m{"requireKms": true},
			rs:   []*fixture.Res{gcsBucket("checkpoints", m{"encryption": m{"defaultKmsKeyName": fixture.Unknown}})},
			both: []fixture.Want{advisory("encryption.defaultKmsKeyName")}},
	})
}

func TestObjectStoreNotPublicS3(t *testing.T) {
	const (
		bucketV2 = "aws:s3/bucketV2:BucketV2"
		bucket   = "aws:s3/bucket:Bucket"
		aclV2    = "aws:s3/bucketAclV2:BucketAclV2"
		acl      = "aws:s3/bucketAcl:BucketAcl"
		pab      = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	)
	block := func(in m) *fixture.Res {
		return fixture.R(pab, "b-pab", with(m{"bucket": fixture.ID("b")}, in))
	}
	allUsersGrant := m{"accessControlPolicy": m{"owner": m{"id": "abc"}, "grants": l{
		m{"grantee": m{"type": "CanonicalUser", "id": "abc"}, "permission": "FULL_CONTROL"},
		m{"grantee": m{"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers"}, "permission": "READ"}}}}
	runCases(t, ObjectStoreNotPublic, []caseT{
		{name: "s3 bucket without acl", target: "b", rs: []*fixture.Res{fixture.R(bucketV2, "b", m{})}},
		{name: "s3 v6 bucket acl public-read", target: "b",
			rs:   []*fixture.Res{fixture.R(bucket, "b", m{"acl": "public-read"})},
			both: []fixture.Want{violation(`acl is "public-read"`, "anyone on the internet", "April 2023")}},
		{name: "s3 v6 bucket acl private", target: "b", rs: []*fixture.Res{fixture.R(bucket, "b", m{"acl": "private"})}},
		{name: "s3 bucket acl public-read, public ACLs blocked", target: "b",
			rs: []*fixture.Res{fixture.R(bucket, "b", m{"acl": "public-read"}), block(m{"blockPublicAcls": true})}},
		{name: "s3 bucket acl public-read, public ACLs ignored", target: "b",
			rs: []*fixture.Res{fixture.R(bucket, "b", m{"acl": "public-read"}),
				block(m{"blockPublicAcls": false, "ignorePublicAcls": true})}},
		{name: "s3 bucket acl public-read, public access block all false", target: "b",
			rs: []*fixture.Res{fixture.R(bucket, "b", m{"acl": "public-read-write"}),
				block(m{"blockPublicAcls": false, "ignorePublicAcls": false})},
			both: []fixture.Want{violation(`acl is "public-read-write"`, "write objects")}},
		{name: "s3 bucket acl public-read, block not known", target: "b",
			rs: []*fixture.Res{fixture.R(bucket, "b", m{"acl": "public-read"}),
				block(m{"blockPublicAcls": fixture.Unknown})},
			both: []fixture.Want{}, elsewhere: map[string][]fixture.Want{"b-pab": {advisory("blockPublicAcls")}}},
		{name: "s3 separate ACL authenticated-read", target: "b-acl",
			rs: []*fixture.Res{fixture.R(bucketV2, "b", m{}), fixture.R(aclV2, "b-acl", m{"bucket": fixture.ID("b"),
				"acl": "authenticated-read"})},
			both: []fixture.Want{violation(`acl is "authenticated-read"`, "any AWS account")}},
		{name: "s3 v7 ACL grant to AllUsers", target: "b-acl",
			rs: []*fixture.Res{fixture.R(bucket, "b", m{}), fixture.R(acl, "b-acl", with(m{"bucket": fixture.ID("b")},
				allUsersGrant))},
			both: []fixture.Want{violation(`accessControlPolicy.grants[1].grantee.uri`, `"READ"`, "anyone on the internet")}},
		{name: "s3 ACL acl not known", target: "b-acl",
			rs: []*fixture.Res{fixture.R(bucketV2, "b", m{}), fixture.R(aclV2, "b-acl", m{"bucket": fixture.ID("b"),
				"acl": fixture.Unknown})},
			both: []fixture.Want{advisory("acl")}},
		{name: "s3 ACL grants malformed", target: "b-acl",
			rs: []*fixture.Res{fixture.R(bucketV2, "b", m{}), fixture.R(aclV2, "b-acl", m{"bucket": fixture.ID("b"),
				"accessControlPolicy": m{"grants": "AllUsers"}})},
			both: []fixture.Want{advisory("accessControlPolicy.grants")}},
	})
}

// TestObjectStoreMessagesKeepSecrets checks that values the program marks
// secret, which these policies would quote (a role, a key source, an ACL),
// stay out of their messages.
func TestObjectStoreMessagesKeepSecrets(t *testing.T) {
	const role, source, acl = "roles/custom.pulumiHiddenRole", "Microsoft.Storage-hidden", "public-read-write"
	cases := []struct {
		p      *policy.Policy
		cfg    m
		secret string
		rs     []*fixture.Res
	}{
		{ObjectStoreNotPublic, nil, role, []*fixture.Res{gcsBucket("checkpoints", nil),
			gcsGrant(typeGCSMember, "public", "checkpoints", m{"member": "allUsers", "role": fixture.Secret(role)})}},
		{S3BucketEncrypted, m{"requireKms": true}, source,
			[]*fixture.Res{azAccount("pulumi", m{"encryption": m{"keySource": fixture.Secret(source)}})}},
		{ObjectStoreNotPublic, nil, acl, []*fixture.Res{fixture.R("aws:s3/bucket:Bucket", "b", m{"acl": fixture.Secret(acl)})}},
	}
	for _, c := range cases {
		for _, mode := range fixture.Modes {
			fs := fixture.Run(t, c.p, mode, c.cfg, nil, c.rs...)
			if len(fs) == 0 {
				t.Errorf("%s/%s: no finding", c.p.Name, mode)
			}
			for _, f := range fs {
				if strings.Contains(f.Message, c.secret) {
					t.Errorf("%s/%s: message shows the secret %q: %s", c.p.Name, mode, c.secret, f.Message)
				}
			}
		}
	}
}
