package azure

import (
	"fmt"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// AKS type tokens: the same in azure-native v2 and v3 (the default API
// version's module; the explicit-version modules of v2, such as
// containerservice/v20240801, are not read).
const (
	TypeManagedCluster = "azure-native:containerservice:ManagedCluster"
	TypeAgentPool      = "azure-native:containerservice:AgentPool"
)

// clusterTypes are the cluster tokens. Their physical name is "name",
// which the graph indexes for every type, so they declare none.
var clusterTypes = []string{TypeManagedCluster, TypeAgentPool}

const memoClusters memoKey = "azure.Clusters"

// Clusters returns the stack's AKS clusters.
func (Adapter) Clusters(g *graph.Graph) []model.Cluster {
	return g.Memo(memoClusters, func() any {
		var out []model.Cluster
		for _, c := range g.OfType(TypeManagedCluster) {
			out = append(out, aksCluster(c))
		}
		return out
	}).([]model.Cluster)
}

// aksCluster reads a ManagedCluster. Defaults are the AKS API's (2024 and
// later versions, which azure-native v2 and v3 default to): a public API
// server open to every address, no KMS etcd encryption, networkPolicy none,
// local accounts on.
func aksCluster(c *graph.Resource) model.Cluster {
	return model.Cluster{
		Res: c, Platform: "AKS",
		Endpoint: model.Endpoint{
			Name:          "API server",
			PublicDefault: true,
			Private:       []model.Switch{aksPrivateCluster(c)},
			Ranges:        model.Strings(c, "apiServerAccessProfile.authorizedIPRanges"),
			OpenTo:        "0.0.0.0/0",
			Fix: "Set apiServerAccessProfile.authorizedIPRanges to your administrators' ranges (az aks update " +
				"--api-server-authorized-ip-ranges), or make the API server private with " +
				"apiServerAccessProfile.enablePrivateCluster: true (at creation, or on a cluster with API Server " +
				"VNet Integration) and reach it from the virtual network.",
		},
		Secrets: model.SecretsEncryption{
			Config:      model.Bool(c, "securityProfile.azureKeyVaultKms.enabled"),
			CoversFixed: true,
			Key:         model.String(c, "securityProfile.azureKeyVaultKms.keyId"),
			KeyService:  "Azure Key Vault",
			Fix: "Create a key in Azure Key Vault, give the cluster's identity encrypt and decrypt on it, and " +
				"set securityProfile.azureKeyVaultKms {enabled: true, keyId: <the key's identifier>} (az aks " +
				"update --enable-azure-keyvault-kms --azure-keyvault-kms-key-id <key id>).",
		},
		NetworkPolicies: aksNetworkPolicy(c),
		LocalAccounts:   aksLocalAccounts(c),
	}
}

func aksPrivateCluster(c *graph.Resource) model.Switch {
	const path = "apiServerAccessProfile.enablePrivateCluster"
	f := model.Bool(c, path)
	off := path + " is false"
	if f.Absent() {
		off = path + " is not set"
	}
	return model.Switch{On: f, Off: off}
}

// aksNetworkPolicy reads networkProfile.networkPolicy: azure, calico and
// cilium enforce NetworkPolicies; none, or unset, do not (AKS's default is
// none), except that a Cilium dataplane (networkDataplane cilium) enforces
// them with the policy unset, AKS then setting it to cilium.
func aksNetworkPolicy(c *graph.Resource) model.Enforcement {
	const path = "networkProfile.networkPolicy"
	e := model.Enforcement{Fix: `Set networkProfile.networkPolicy to "azure" or "calico" (or "cilium", with ` +
		`networkProfile.networkDataplane "cilium"): az aks update --network-policy azure.`}
	f := model.String(c, path)
	switch f.State {
	case policy.Absent:
		dp := model.String(c, "networkProfile.networkDataplane")
		if dp.Undecided() {
			e.Enforced = model.Map(dp, func(string) bool { return false })
			return e
		}
		cilium := dp.Known() && strings.EqualFold(strings.TrimSpace(dp.Value), "cilium")
		e.Enforced = model.Of(cilium, policy.Known, c, path)
		e.Seen = path + " is not set (AKS's default: none)"
	case policy.Known:
		none := strings.EqualFold(strings.TrimSpace(f.Value), "none") || strings.TrimSpace(f.Value) == ""
		e.Enforced = model.Of(!none, policy.Known, c, path)
		e.Seen = path + " is none"
	default:
		e.Enforced = model.Map(f, func(string) bool { return false })
	}
	return e
}

// aksLocalAccounts reads disableLocalAccounts: unset or false, the cluster
// keeps its local admin account (listClusterAdminCredentials).
func aksLocalAccounts(c *graph.Resource) model.LocalAccounts {
	const path = "disableLocalAccounts"
	l := model.LocalAccounts{Fix: "Set disableLocalAccounts: true with Microsoft Entra ID integration (aadProfile " +
		"{managed: true, adminGroupObjectIDs}) and Azure RBAC (az aks update --disable-local-accounts); " +
		"administrators then sign in through Entra ID (az aks get-credentials, kubelogin) rather than with the " +
		"admin credentials."}
	f := model.Bool(c, path)
	switch f.State {
	case policy.Absent:
		l.Enabled = model.Of(true, policy.Known, c, path)
		l.Seen = path + " is not set (AKS's default: false)"
	case policy.Known:
		l.Enabled = model.Of(!f.Value, policy.Known, c, path)
		l.Seen = path + " is false"
	default:
		l.Enabled = f
	}
	return l
}

// nodeIP is what a node public IP does.
const nodeIP = "every node of the pool gets its own public IP address, reachable from the internet"

// clusterPlacements are the nodes the service runs on, as app-tier members:
// the agent pools of a ManagedCluster (agentPoolProfiles) and AgentPool
// resources, by their enableNodePublicIP (AKS's default: false). Azure
// subnets are not public or private by themselves, so only the node public
// IPs are judged here.
func clusterPlacements(g *graph.Graph) []model.Placement {
	var out []model.Placement
	for _, c := range g.OfType(TypeManagedCluster) {
		p := model.Placement{Res: c, Tier: model.AppTier,
			Fix: "Give every agent pool enableNodePublicIP: false and reach the service through the ingress " +
				"controller's load balancer."}
		rd := policy.Probe(c)
		pools, _ := rd.Items("agentPoolProfiles")
		if gap, ok := model.GapOf(rd); ok {
			p.Gaps = []model.Gap{gap}
		}
		for _, pool := range pools {
			p.Public = append(p.Public, nodePublicIP(c, pool.Base()+".enableNodePublicIP"))
		}
		out = append(out, p)
	}
	for _, ap := range g.OfType(TypeAgentPool) {
		out = append(out, model.Placement{Res: ap, Tier: model.AppTier,
			Fix:    "Set enableNodePublicIP: false and reach the service through the ingress controller's load balancer.",
			Public: []model.PublicAddress{nodePublicIP(ap, "enableNodePublicIP")}})
	}
	return out
}

func nodePublicIP(r *graph.Resource, path string) model.PublicAddress {
	return model.PublicAddress{On: model.Bool(r, path), What: nodeIP, Seen: path + " is true",
		Fix: fmt.Sprintf("Set %s to false (AKS sets it when the pool is created: replace the pool) and reach the "+
			"service through the ingress controller's load balancer.", path)}
}
