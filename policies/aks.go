package policies

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// AKSLocalAccountsDisabled asks an AKS cluster to turn its local admin
// account off.
var AKSLocalAccountsDisabled = &policy.Policy{
	Name:        "aks-local-accounts-disabled",
	DisplayName: "AKS clusters accept no local accounts",
	Description: "An AKS cluster (azure-native:containerservice:ManagedCluster) sets disableLocalAccounts: true, " +
		"so the only way in is through Microsoft Entra ID; unset, AKS keeps a local cluster-admin account whose " +
		"certificate (az aks get-credentials --admin) bypasses Entra ID, its conditional access and its " +
		"sign-in logs, and cannot be revoked short of rotating the cluster's certificates. Beyond the letter of " +
		"the guide, which restricts who reaches the service by IP range: this restricts who may use the " +
		"cluster's API once reached, so it is advisory by default.",
	Section:   Network,
	Reference: refNetwork,
	Why: "the hardening guide restricts access to the deployment's tiers; a cluster's local admin account is a " +
		"standing credential to every workload and Secret in the cluster that bypasses the identity provider",
	Level:    policy.Advisory,
	Severity: policy.Medium,
	Remediation: "Set disableLocalAccounts: true on the ManagedCluster, with Microsoft Entra ID integration " +
		"(aadProfile {managed: true, adminGroupObjectIDs}) and Azure RBAC; or run az aks update " +
		"--disable-local-accounts. Programs then read credentials with listManagedClusterUserCredentials, not " +
		"listManagedClusterAdminCredentials.",
	Stack: checkLocalAccounts,
}

func checkLocalAccounts(ctx *policy.StackContext) {
	for _, c := range sources.Clusters(ctx.Graph) {
		judgeLocalAccounts(ctx, c)
	}
}

// judgeLocalAccounts reports a cluster whose local accounts are on.
func judgeLocalAccounts(ctx *policy.StackContext, c model.Cluster) {
	l := c.LocalAccounts
	if l.Enabled.Path == "" || l.Enabled.Decide(ctx) != policy.Known || !l.Enabled.Value {
		return
	}
	ctx.ViolationFixf(c.Res, l.Fix, "%s, so the %s cluster keeps a local cluster-admin account whose credentials "+
		"bypass Microsoft Entra ID", l.Seen, c.Platform)
}
