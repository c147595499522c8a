package e2e

// AKS-shaped end-to-end tests: the AKS installer's three stacks in one
// program (internal/programs.AKS: azure-native resources registered by
// token with @pulumi/azure-native v3's input shapes, and pulumi-kubernetes
// v4), previewed and deployed in the real CLI with the pack binary. The
// azure-native provider is the stand-in test double internal/e2e/fakeazure
// (installed as azure-native 3.28.0).

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/programs"
)

// aks is the AKS program with the findings its violating form must get.
var aks = platform{
	name:           "aks",
	program:        programs.AKS,
	secrets:        func(bool) map[string]string { return programs.AKSSecretConfig() },
	hardenedConfig: programs.AKSHardenedPolicyConfig(),
	expected:       aksExpected,
}

// aksExpected are the violating AKS program's findings, all of them.
var aksExpected = expectations(serviceTierExpected(), []expectation{
	// The Azure credentials in the API's plain env, as the installer has them.
	{"container-secrets-not-in-environment", programs.AppAPIName, deploymentType, "mandatory",
		[]string{"AZURE_CLIENT_SECRET", "AZURE_STORAGE_KEY", "secretKeyRef"}},
})

func TestAKSViolatingPreviewFails(t *testing.T) { aks.violatingPreviewFails(t) }

func TestAKSHardenedIsCleanInPreviewAndUpdate(t *testing.T) { aks.hardenedIsClean(t) }
