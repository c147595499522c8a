package e2e

// GKE-shaped end-to-end tests: the GKE installer's three stacks in one
// program (internal/programs.GKE: pulumi-gcp/sdk/v9 v9.6.0, a RandomString
// registered by token, pulumi-kubernetes v4 with ingress-nginx's rendered
// v3 Chart objects), previewed and deployed in the real CLI with the pack
// binary. The gcp and random providers are the stand-in test doubles
// internal/e2e/fakegcp (gcp 9.6.0) and internal/e2e/fakerandom (random
// 4.21.2).

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/programs"
)

// gke is the GKE program with the findings its violating form must get.
var gke = platform{
	name:           "gke",
	program:        programs.GKE,
	secrets:        func(bool) map[string]string { return programs.GKESecretConfig() },
	hardenedConfig: programs.GKEHardenedPolicyConfig(),
	expected:       gkeExpected,
	// The buckets' own switch (store).
	options: map[string]any{"object-store-not-public": map[string]any{"requirePublicAccessPrevention": true}},
	optionsExpected: []expectation{
		{"object-store-not-public", programs.GKECheckpointBucketName, "gcp:storage/bucket:Bucket", "mandatory",
			[]string{"publicAccessPrevention"}},
		{"object-store-not-public", programs.GKEPolicyBucketName, "gcp:storage/bucket:Bucket", "mandatory",
			[]string{"publicAccessPrevention"}},
	},
}

// gkeExpected are the violating GKE program's findings, all of them.
var gkeExpected = expectations(serviceTierExpected(), []expectation{
	localKeysExpected,
	// The key's generator (secrets): a RandomString into the keys file.
	{"secret-inputs-marked-secret", programs.GKEEncryptionKeyName, "random:index/randomString:RandomString", "mandatory",
		[]string{"RandomString", programs.GKELocalKeysSecretName, "/encryptionservice", "plain text"}},

	// The database (db): sslMode admits plain connections.
	{"database-requires-tls", programs.GKEDatabaseName, "gcp:sql/databaseInstance:DatabaseInstance", "mandatory",
		[]string{"settings.ipConfiguration.sslMode", "ALLOW_UNENCRYPTED_AND_ENCRYPTED"}},

	// The cluster (cluster): public control plane, no KMS for Secrets,
	// nodes with external addresses.
	{"eks-endpoint-restricted", programs.GKEClusterName, "gcp:container/cluster:Cluster", "mandatory",
		[]string{"privateClusterConfig.enablePrivateEndpoint", "masterAuthorizedNetworksConfig", "0.0.0.0/0"}},
	{"eks-secrets-encrypted", programs.GKEClusterName, "gcp:container/cluster:Cluster", "mandatory",
		[]string{"databaseEncryption", "Cloud KMS"}},
	{"app-in-private-subnets", programs.GKEClusterName, "gcp:container/cluster:Cluster", "mandatory",
		[]string{"privateClusterConfig.enablePrivateNodes"}},

	// The edge (edge): the chart's rendered LoadBalancer Service without
	// source ranges, and its controller's version.
	{"load-balancer-ingress-allowlist", programs.IngressControllerService, serviceType, "mandatory",
		[]string{"spec.loadBalancerSourceRanges", "0.0.0.0/0"}},
	chartControllerExpected("1.8.1"),
})

func TestGKEViolatingPreviewFails(t *testing.T) { gke.violatingPreviewFails(t) }

func TestGKEHardenedIsCleanInPreviewAndUpdate(t *testing.T) { gke.hardenedIsClean(t) }
