package policies

import "github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"

// The store topic's labelled cases (issues 19 and 20): the object stores of
// the AKS and GKE installers (pulumi/pulumi-self-hosted-installers,
// aks-hosted/01-infrastructure/storage.ts and gke-hosted/01-infrastructure/
// storage.ts) as they declare them, and their hardened twins; shapes as
// @pulumi/azure-native v3 and @pulumi/gcp 9 send them. labelledCases
// (labelled_test.go) appends storeCases.

const (
	srcAKSStorage = "pulumi-self-hosted-installers aks-hosted/01-infrastructure/storage.ts (azure-native storage.StorageAccount and three BlobContainers)"
	srcGKEStorage = "pulumi-self-hosted-installers gke-hosted/01-infrastructure/storage.ts (two gcp.storage.Buckets, a service account with storage.admin on the project)"
)

// aksStorage is the AKS installer's account and containers: the account
// sets resourceGroupName, sku, kind and tags only; each container names the
// account by its name output, as a child of the account.
func aksStorage(account m) []*fixture.Res {
	acct := fixture.R(typeAzAccount, "pulumi", with(m{"resourceGroupName": "pulumi-rg", "sku": m{"name": "Standard_LRS"},
		"kind": "StorageV2", "tags": m{"owner": "platform"}}, account)).Output("name", "pulumi1b2c3d4e")
	out := []*fixture.Res{acct}
	for _, c := range []string{"pulumicheckpoints", "pulumicheckpoints-v2", "pulumipolicypacks"} {
		out = append(out, fixture.R(typeAzContainer, c, m{"resourceGroupName": "pulumi-rg",
			"accountName": fixture.OutputOf("pulumi", "name")}))
	}
	return out
}

// gkeStorage is the GKE installer's buckets (location and labels only) and
// the service account the service reaches them with.
func gkeStorage(bucket m, extra ...*fixture.Res) []*fixture.Res {
	out := []*fixture.Res{
		fixture.R("gcp:serviceaccount/account:Account", "pulumi-bkt-sa", m{"accountId": "pulumi-bkt-sa",
			"displayName": "A service account for a self-hosted bucket access."}),
		fixture.R("gcp:projects/iAMBinding:IAMBinding", "pulumi-bkt-sa-IAM", m{"project": "my-project",
			"role": "roles/storage.admin", "members": l{"serviceAccount:pulumi-bkt-sa@my-project.iam.gserviceaccount.com"}}),
	}
	for _, b := range []string{"pulumi-checkpoints", "pulumi-policypacks"} {
		out = append(out, fixture.R(typeGCSBucket, b, with(m{"location": "US", "labels": m{"owner": "platform"}}, bucket)).
			Output("name", b+"-8d2e1f0"))
	}
	return append(out, extra...)
}

var (
	aksHardened = m{"allowBlobPublicAccess": false, "enableHttpsTrafficOnly": true, "minimumTlsVersion": "TLS1_2",
		"networkRuleSet": m{"defaultAction": "Deny", "bypass": "AzureServices",
			"virtualNetworkRules": l{m{"virtualNetworkResourceId": "/subscriptions/s/resourceGroups/pulumi-rg/providers/Microsoft.Network/virtualNetworks/pulumi/subnets/aks"}}},
		"encryption": m{"keySource": "Microsoft.Keyvault", "requireInfrastructureEncryption": true,
			"keyVaultProperties": m{"keyVaultUri": "https://pulumi-kv.vault.azure.net", "keyName": "storage"}}}
	gkeHardened = m{"uniformBucketLevelAccess": true, "publicAccessPrevention": "enforced",
		"encryption": m{"defaultKmsKeyName": "projects/my-project/locations/us/keyRings/pulumi/cryptoKeys/storage"}}
	storeStrict = map[string]m{
		"s3-bucket-encrypted":     {"requireKms": true, "requireInfrastructureEncryption": true},
		"object-store-not-public": {"requirePublicAccessPrevention": true},
	}
)

func storeCases() []lcase {
	const (
		enc    = "s3-bucket-encrypted"
		public = "object-store-not-public"
		tls    = "object-store-tls"
	)
	return []lcase{
		{name: "AKS installer storage as declared", source: srcAKSStorage, rs: aksStorage(nil),
			want: labels{tls: vio("minimumTlsVersion is not set: the default API version reads TLS 1.0"),
				enc:    pass("Azure Storage always encrypts at rest; no customer key asked for"),
				public: pass("no container sets publicAccess, and the account does not allow anonymous access")}},
		{name: "AKS installer storage hardened, strict options", source: srcAKSStorage + ", hardened",
			rs: aksStorage(aksHardened), cfg: storeStrict,
			want: labels{tls: pass("HTTPS only, TLS1_2"), enc: pass("Key Vault key and infrastructure encryption"),
				public: pass("allowBlobPublicAccess false, containers private")}},
		{name: "AKS installer storage under strict options as declared", source: srcAKSStorage,
			rs: aksStorage(nil), cfg: storeStrict,
			want: labels{tls: vio("minimumTlsVersion not set"),
				enc:    vio("Microsoft-managed keys and no infrastructure encryption, both asked for"),
				public: vio("allowBlobPublicAccess is left to the API version's default")}},
		{name: "AKS storage with a public checkpoints container", source: srcAKSStorage + ", one container made public",
			rs: edit(aksStorage(m{"minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": true}), "pulumicheckpoints",
				func(in m) { in["publicAccess"] = "Blob" }),
			want: labels{public: vio("the account allows anonymous access and a container uses it")}},
		{name: "AKS storage whose TLS and access switches are not known in preview", source: srcAKSStorage,
			rs: aksStorage(m{"minimumTlsVersion": fixture.Unknown, "allowBlobPublicAccess": fixture.Unknown}),
			want: labels{tls: unv("minimumTlsVersion comes from another resource's output"),
				public: unv("allowBlobPublicAccess comes from another resource's output")}},
		{name: "AKS storage that accepts plain HTTP", source: srcAKSStorage + ", enableHttpsTrafficOnly false",
			rs:   aksStorage(m{"enableHttpsTrafficOnly": false, "minimumTlsVersion": "TLS1_2"}),
			want: labels{tls: vio("enableHttpsTrafficOnly false: plain HTTP accepted")}},
		{name: "AKS storage pinned to API version 2023-01-01 with TLS 1.1", source: srcAKSStorage +
			", written against azure-native v2's storage/v20230101 module",
			rs: swap(aksStorage(nil), fixture.R("azure-native:storage/v20230101:StorageAccount", "pulumi", m{
				"resourceGroupName": "pulumi-rg", "sku": m{"name": "Standard_LRS"}, "kind": "StorageV2",
				"minimumTlsVersion": "TLS1_1"}).Output("name", "pulumi1b2c3d4e")),
			want: labels{tls: vio("minimumTlsVersion TLS1_1")}},
		{name: "GKE installer storage as declared", source: srcGKEStorage, rs: gkeStorage(nil),
			want: labels{enc: pass("Cloud Storage always encrypts at rest; no CMEK asked for"),
				public: pass("no grant to allUsers or allAuthenticatedUsers"),
				tls:    pass("Cloud Storage has no bucket setting for TLS")}},
		{name: "GKE installer storage hardened, strict options", source: srcGKEStorage + ", hardened",
			rs: gkeStorage(gkeHardened), cfg: storeStrict,
			want: labels{enc: pass("CMEK; infrastructure encryption is Azure-only"),
				public: pass("public access prevention enforced")}},
		{name: "GKE installer storage under strict options as declared", source: srcGKEStorage,
			rs: gkeStorage(nil), cfg: storeStrict,
			want: labels{enc: vio("Google-managed keys, CMEK asked for"),
				public: vio("publicAccessPrevention left inherited")}},
		{name: "GKE storage with checkpoints readable by allUsers", source: srcGKEStorage + ", plus a public IAM member",
			rs: gkeStorage(nil, fixture.R(typeGCSMember, "checkpoints-public", m{
				"bucket": fixture.OutputOf("pulumi-checkpoints", "name"), "role": "roles/storage.objectViewer",
				"member": "allUsers"})),
			want: labels{public: vio("allUsers may read the checkpoints")}},
		{name: "GKE storage with a public grant that prevention refuses", source: srcGKEStorage + ", hardened, plus a public IAM member",
			rs: gkeStorage(gkeHardened, fixture.R(typeGCSMember, "checkpoints-public", m{
				"bucket": fixture.OutputOf("pulumi-checkpoints", "name"), "role": "roles/storage.objectViewer",
				"member": "allUsers"})),
			want: labels{public: pass("publicAccessPrevention enforced: Cloud Storage refuses the grant")}},
		{name: "GKE storage with an ACL to allUsers under uniform access", source: srcGKEStorage + ", uniform access, plus an ACL",
			rs: gkeStorage(m{"uniformBucketLevelAccess": true}, fixture.R(typeGCSAccess, "checkpoints-acl", m{
				"bucket": fixture.OutputOf("pulumi-checkpoints", "name"), "entity": "allUsers", "role": "READER"})),
			want: labels{public: pass("uniform bucket-level access disables ACLs")}},
		{name: "S3 bucket with a public-read ACL resource", source: "pulumi-aws v6 registry examples: aws.s3.BucketV2 " +
			"with aws.s3.BucketAclV2 acl public-read",
			rs: []*fixture.Res{fixture.R("aws:s3/bucketV2:BucketV2", "site", m{"bucket": "pulumi-site-assets"}),
				fixture.R("aws:s3/bucketAclV2:BucketAclV2", "site-acl", m{"bucket": fixture.ID("site"), "acl": "public-read"}),
				fixture.R("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
					"site-sse", m{"bucket": fixture.ID("site"), "rules": l{m{"applyServerSideEncryptionByDefault": m{
						"sseAlgorithm": "AES256"}}}})},
			want: labels{public: vio("AllUsers may list the bucket")}},
		{name: "S3 bucket with a public-read ACL its public access block blocks", source: "pulumi-aws v6 registry " +
			"examples: aws.s3.BucketPublicAccessBlock with all four settings true",
			rs: []*fixture.Res{fixture.R("aws:s3/bucketV2:BucketV2", "site", m{"bucket": "pulumi-site-assets"}),
				fixture.R("aws:s3/bucketAclV2:BucketAclV2", "site-acl", m{"bucket": fixture.ID("site"), "acl": "public-read"}),
				fixture.R("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "site-pab", m{"bucket": fixture.ID("site"),
					"blockPublicAcls": true, "ignorePublicAcls": true, "blockPublicPolicy": true, "restrictPublicBuckets": true}),
				fixture.R("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
					"site-sse", m{"bucket": fixture.ID("site"), "rules": l{m{"applyServerSideEncryptionByDefault": m{
						"sseAlgorithm": "AES256"}}}})},
			want: labels{public: pass("S3 refuses public ACLs on this bucket")}},
	}
}
