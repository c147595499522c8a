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
	// The object stores' own switches (store).
	options: map[string]any{"object-store-not-public": map[string]any{
		"requirePublicAccessPrevention": true, "requireFirewall": true}},
	optionsExpected: []expectation{
		{"object-store-not-public", programs.AKSStorageAccountName, "azure-native:storage:StorageAccount", "mandatory",
			[]string{"allowBlobPublicAccess", "networkRuleSet.defaultAction"}},
	},
}

// aksExpected are the violating AKS program's findings, all of them.
var aksExpected = expectations(serviceTierExpected(), []expectation{
	// The blob endpoints are built from the containers' generated names:
	// whether they turn TLS off is known at update.
	{"service-endpoints-tls", programs.AppAPIName, deploymentType, "advisory",
		[]string{"cannot be verified during preview", "is not known until update"}},
	// The Azure credentials in the API's plain env, as the installer has them.
	{"container-secrets-not-in-environment", programs.AppAPIName, deploymentType, "mandatory",
		[]string{"AZURE_CLIENT_SECRET", "AZURE_STORAGE_KEY", "secretKeyRef"}},

	// Storage (store): no minimumTlsVersion.
	{"object-store-tls", programs.AKSStorageAccountName, "azure-native:storage:StorageAccount", "mandatory",
		[]string{"minimumTlsVersion", "TLS 1.0", "2024-01-01"}},

	// The database (db): TLS refused by the server's configuration, every
	// address admitted by a firewall rule.
	{"database-requires-tls", programs.AKSSecureTransportName, "azure-native:dbformysql:Configuration", "mandatory",
		[]string{"require_secure_transport", `"OFF"`, programs.AKSMySQLServerName}},
	{"rds-not-publicly-accessible", programs.AKSFirewallRuleName, "azure-native:dbformysql:FirewallRule", "mandatory",
		[]string{"0.0.0.0-255.255.255.255", "startIpAddress", "publicNetworkAccess"}},

	// The cluster (cluster): public API server, no KMS for Secrets, no
	// NetworkPolicy engine, local accounts.
	{"eks-endpoint-restricted", programs.AKSClusterName, "azure-native:containerservice:ManagedCluster", "mandatory",
		[]string{"apiServerAccessProfile.enablePrivateCluster", "authorizedIPRanges", "0.0.0.0/0"}},
	{"eks-secrets-encrypted", programs.AKSClusterName, "azure-native:containerservice:ManagedCluster", "mandatory",
		[]string{"securityProfile.azureKeyVaultKms.enabled", "Azure Key Vault"}},
	{"network-policies-between-tiers", programs.AKSClusterName, "azure-native:containerservice:ManagedCluster", "advisory",
		[]string{"networkProfile.networkPolicy"}},
	{"aks-local-accounts-disabled", programs.AKSClusterName, "azure-native:containerservice:ManagedCluster", "advisory",
		[]string{"disableLocalAccounts"}},

	// The edge (edge): the Release's values as the controller's Service, and
	// its chart version.
	{"load-balancer-ingress-allowlist", programs.IngressReleaseName, releaseType, "mandatory",
		[]string{"values.controller.service.loadBalancerSourceRanges", "0.0.0.0/0"}},
	{"ingress-nginx-patched", programs.IngressReleaseName, releaseType, "mandatory",
		append([]string{"chart 4.6.1", "4.11.5", "4.12.1"}, cveWords...)},
})

func TestAKSViolatingPreviewFails(t *testing.T) { aks.violatingPreviewFails(t) }

func TestAKSHardenedIsCleanInPreviewAndUpdate(t *testing.T) { aks.hardenedIsClean(t) }
