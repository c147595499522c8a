package e2e

// byo-infra-shaped end-to-end tests: the byo-infra installer's stacks in
// one program (internal/programs.BYO: database and object store as config
// strings, ingress-nginx's rendered v3 Chart objects with a NodePort
// controller Service, a RandomString registered by token, pulumi-kubernetes
// v4), previewed and deployed in the real CLI with the pack binary.

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/programs"
)

// byo is the byo-infra program with the findings its violating form must get.
var byo = platform{
	name:           "byo",
	program:        programs.BYO,
	secrets:        programs.BYOSecretConfig,
	plain:          programs.BYOConfig,
	hardenedConfig: programs.BYOHardenedPolicyConfig(),
	expected:       byoExpected,
}

// byoExpected are the violating byo-infra program's findings, all of them.
var byoExpected = expectations(serviceTierExpected(), []expectation{
	localKeysExpected,
	// The key's generator (secrets): a RandomString into the keys file.
	{"secret-inputs-marked-secret", programs.GKEEncryptionKeyName, "random:index/randomString:RandomString", "mandatory",
		[]string{"RandomString", programs.GKELocalKeysSecretName, "/encryptionservice", "plain text"}},
	// The edge (edge): a NodePort controller, whose reach the pack cannot
	// see, and its controller's version.
	{"load-balancer-ingress-allowlist", programs.IngressControllerService, serviceType, "advisory",
		[]string{"cannot be verified", "NodePort"}},
	chartControllerExpected("1.3.1"),
	// The README's MinIO endpoints turn TLS off (issue 21, endpoints in transit).
	{"service-endpoints-tls", programs.AppAPIName, deploymentType, "mandatory",
		[]string{"PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT", "disableSSL=true"}},
	{"service-endpoints-tls", programs.AppAPIName, deploymentType, "mandatory",
		[]string{"PULUMI_POLICY_PACK_BLOB_STORAGE_ENDPOINT", "disableSSL=true"}},
	// The object-store connection strings, plain config as the README sets them.
	{"stack-config-secrets", "e2e-byo-violating", stackType, "mandatory",
		[]string{programs.BYOCheckpointBucketConfig, programs.BYOPolicyBucketConfig}},
})

func TestBYOViolatingPreviewFails(t *testing.T) { byo.violatingPreviewFails(t) }

func TestBYOHardenedIsCleanInPreviewAndUpdate(t *testing.T) { byo.hardenedIsClean(t) }
