package policies

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/azure"
	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/gcp"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
)

// Labelled cases of issues 19 and 20 (cluster rows): AKS and GKE clusters
// as the guide's cluster. Shapes follow the installers' cluster resources
// as they are (pulumi/pulumi-self-hosted-installers: aks-hosted
// 02-kubernetes/cluster.ts, @pulumi/azure-native v3; gke-hosted
// 02-kubernetes/cluster.ts, @pulumi/gcp 9.x) and hardened twins, with
// property names and nesting as the SDKs' types/input.d.ts declare them
// (azure-native 3.28.0 containerservice.ManagedClusterArgs, AgentPoolArgs;
// gcp 9.37.0 container.ClusterArgs, NodePoolArgs). labelledCases
// (labelled_test.go) appends clusterCases.

const (
	tAKS       = azure.TypeManagedCluster
	tAgentPool = azure.TypeAgentPool
	tGKE       = gcp.TypeCluster
	tNodePool  = gcp.TypeNodePool

	aksKMSKey = "https://pulumi-kv.vault.azure.net/keys/aks-etcd/0123456789abcdef0123456789abcdef"
	gkeKMSKey = "projects/pulumi-selfhosted/locations/us-central1/keyRings/pulumi/cryptoKeys/gke-secrets"
	aksSubnet = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/pulumi-rg/providers/Microsoft.Network/virtualNetworks/pulumi-vnet/subnets/aks"
	aksAdmins = "00000000-0000-0000-0000-0000000000ad"
	aksClient = "00000000-0000-0000-0000-0000000000c1"
	sshPubKey = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAACAQC0pulumi"
)

// installerAKS is the aks-hosted installer's ManagedCluster (02-kubernetes
// cluster.ts) as @pulumi/azure-native v3 sends it, with extra inputs (nil
// deletes): no apiServerAccessProfile, no securityProfile, networkProfile
// without networkPolicy, disableLocalAccounts unset.
func installerAKS(extra m) *fixture.Res {
	return fixture.R(tAKS, "aks", with(m{
		"resourceGroupName":       "pulumi-rg",
		"servicePrincipalProfile": m{"clientId": aksClient, "secret": fixture.Secret("sp-client-secret-value")},
		"enableRBAC":              true,
		"aadProfile":              m{"managed": true, "adminGroupObjectIDs": l{aksAdmins}},
		"agentPoolProfiles": l{m{"count": 2, "mode": "System", "name": "agentpool", "nodeLabels": m{},
			"osDiskSizeGB": 30, "osType": "Linux", "type": "VirtualMachineScaleSets", "vmSize": "Standard_DS3_v2",
			"vnetSubnetID": aksSubnet}},
		"dnsPrefix":         "pulumi",
		"linuxProfile":      m{"adminUsername": "adminpulumi", "ssh": m{"publicKeys": l{m{"keyData": fixture.Secret(sshPubKey)}}}},
		"kubernetesVersion": "1.26.3",
		"nodeResourceGroup": "pulumi-aks-nodes-rg",
		"networkProfile":    m{"networkPlugin": "azure"},
		"tags":              m{"owner": "platform"},
	}, extra))
}

// hardenedAKS is the installer's cluster hardened per the guide: the API
// server allowlisted, KMS etcd encryption, Azure network policies, local
// accounts off.
func hardenedAKS(extra m) *fixture.Res {
	return installerAKS(with(m{
		"apiServerAccessProfile": m{"authorizedIPRanges": l{adminCIDR}},
		"securityProfile":        m{"azureKeyVaultKms": m{"enabled": true, "keyId": aksKMSKey, "keyVaultNetworkAccess": "Public"}},
		"networkProfile":         m{"networkPlugin": "azure", "networkPolicy": "azure"},
		"disableLocalAccounts":   true,
	}, extra))
}

// installerGKE is the gke-hosted installer's Cluster (02-kubernetes
// cluster.ts) as @pulumi/gcp 9.x sends it: Autopilot, with no
// masterAuthorizedNetworksConfig, privateClusterConfig or
// databaseEncryption.
func installerGKE(extra m) *fixture.Res {
	return fixture.R(tGKE, "gke", with(m{
		"network":            "pulumi-network",
		"enableAutopilot":    true,
		"location":           "us-central1",
		"ipAllocationPolicy": m{},
		"minMasterVersion":   "1.30",
	}, extra))
}

// hardenedGKE is the installer's cluster hardened: authorized networks for
// the administrators, private nodes, Secrets encrypted with Cloud KMS.
func hardenedGKE(extra m) *fixture.Res {
	return installerGKE(with(m{
		"masterAuthorizedNetworksConfig": m{"cidrBlocks": l{m{"cidrBlock": adminCIDR, "displayName": "admins"}}},
		"privateClusterConfig":           m{"enablePrivateNodes": true, "enablePrivateEndpoint": false},
		"databaseEncryption":             m{"state": "ENCRYPTED", "keyName": gkeKMSKey},
	}, extra))
}

// standardGKE is a Standard cluster whose default node pool is removed, in
// the shape of pulumi-gcp's registry example, hardened; its node pools
// come as NodePool resources.
func standardGKE(extra m) *fixture.Res {
	return fixture.R(tGKE, "gke", with(m{
		"location": "us-central1", "network": "pulumi-network", "subnetwork": "pulumi-subnet",
		"removeDefaultNodePool": true, "initialNodeCount": 1, "deletionProtection": true,
		"masterAuthorizedNetworksConfig": m{"cidrBlocks": l{m{"cidrBlock": adminCIDR, "displayName": "admins"}}},
		"privateClusterConfig":           m{"enablePrivateNodes": true, "masterIpv4CidrBlock": "172.16.0.0/28"},
		"databaseEncryption":             m{"state": "ENCRYPTED", "keyName": gkeKMSKey},
		"networkPolicy":                  m{"enabled": true, "provider": "CALICO"},
		"addonsConfig":                   m{"networkPolicyConfig": m{"disabled": false}},
	}, extra))
}

func gkeNodePool(extra m) *fixture.Res {
	return fixture.R(tNodePool, "pool", with(m{"cluster": fixture.ID("gke"), "location": "us-central1", "nodeCount": 2,
		"nodeConfig": m{"machineType": "e2-standard-4", "oauthScopes": l{"https://www.googleapis.com/auth/cloud-platform"}}},
		extra))
}

// clusterAllow is the administrators' allowlist for the clusters' API
// endpoints.
var clusterAllow = map[string]m{"eks-endpoint-restricted": {"ingressAllowList": l{adminCIDR}}}

func clusterCases() []lcase {
	const (
		ep    = "eks-endpoint-restricted"
		sec   = "eks-secrets-encrypted"
		np    = "network-policies-between-tiers"
		app   = "app-in-private-subnets"
		local = "aks-local-accounts-disabled"
		aks   = "AKS installer (aks-hosted): 02-kubernetes cluster.ts ManagedCluster"
		gke   = "GKE installer (gke-hosted): 02-kubernetes cluster.ts Cluster (Autopilot)"
		azd   = "azure-native v3 containerservice.ManagedCluster; AKS docs"
		gcd   = "pulumi-gcp v9 container.Cluster / NodePool; GKE docs"
	)
	return []lcase{
		// AKS.
		{name: "aks installer cluster", source: aks, rs: []*fixture.Res{installerAKS(nil)}, cfg: clusterAllow,
			want: labels{
				ep:    vio("no apiServerAccessProfile: the API server is public to everyone"),
				sec:   vio("securityProfile.azureKeyVaultKms unset: no KMS etcd encryption"),
				np:    vio("networkProfile.networkPolicy unset: AKS enforces no NetworkPolicy"),
				local: vio("disableLocalAccounts unset: the admin account the installer reads its kubeconfig with"),
			}},
		{name: "hardened aks cluster", source: aks + ", hardened per the guide", rs: []*fixture.Res{hardenedAKS(nil)},
			cfg: clusterAllow, want: labels{}},
		{name: "aks private cluster", source: azd + ": private clusters",
			rs:   []*fixture.Res{hardenedAKS(m{"apiServerAccessProfile": m{"enablePrivateCluster": true}})},
			want: labels{ep: pass("a private API server needs no allowlist")}},
		{name: "aks authorized ranges outside the allowlist", source: azd + ": API server authorized IP ranges",
			rs:   []*fixture.Res{hardenedAKS(m{"apiServerAccessProfile": m{"authorizedIPRanges": l{adminCIDR, "192.0.2.0/24"}}})},
			cfg:  clusterAllow,
			want: labels{ep: vio("192.0.2.0/24 is outside the administrators' allowlist")}},
		{name: "aks authorized ranges without an allowlist", source: azd + ": pack default config",
			rs:   []*fixture.Res{hardenedAKS(nil)},
			want: labels{ep: vio("a public range and no allowlist configured")}},
		{name: "aks kms disabled", source: azd + ": azureKeyVaultKms.enabled false",
			rs:   []*fixture.Res{hardenedAKS(m{"securityProfile": m{"azureKeyVaultKms": m{"enabled": false}}})},
			cfg:  clusterAllow,
			want: labels{sec: vio("KMS turned off")}},
		{name: "aks kms without a key", source: azd + ": keyId is required when enabled",
			rs:   []*fixture.Res{hardenedAKS(m{"securityProfile": m{"azureKeyVaultKms": m{"enabled": true}}})},
			cfg:  clusterAllow,
			want: labels{sec: vio("no keyId")}},
		{name: "aks network policy none", source: azd + ": networkPolicy none",
			rs:   []*fixture.Res{hardenedAKS(m{"networkProfile": m{"networkPlugin": "azure", "networkPolicy": "none"}})},
			cfg:  clusterAllow,
			want: labels{np: vio("none enforces no NetworkPolicy")}},
		{name: "aks cilium dataplane", source: azd + ": Azure CNI powered by Cilium",
			rs: []*fixture.Res{hardenedAKS(m{"networkProfile": m{"networkPlugin": "azure", "networkPluginMode": "overlay",
				"networkDataplane": "cilium", "networkPolicy": "cilium"}})},
			cfg: clusterAllow, want: labels{np: pass("Cilium enforces NetworkPolicies")}},
		{name: "aks node public ips", source: azd + ": enableNodePublicIP",
			rs: []*fixture.Res{hardenedAKS(m{"agentPoolProfiles": l{m{"name": "agentpool", "mode": "System", "count": 2,
				"vmSize": "Standard_DS3_v2", "enableNodePublicIP": true, "vnetSubnetID": aksSubnet}}})},
			cfg: clusterAllow, want: labels{app: vio("every node gets a public IP")}},
		{name: "aks agent pool resource with public ips", source: azd + ": containerservice.AgentPool",
			rs: []*fixture.Res{hardenedAKS(nil), fixture.R(tAgentPool, "user-pool", m{"resourceGroupName": "pulumi-rg",
				"resourceName": "pulumi-aks", "agentPoolName": "user", "count": 2, "mode": "User", "vmSize": "Standard_D4s_v5",
				"enableNodePublicIP": true, "vnetSubnetID": aksSubnet})},
			cfg: clusterAllow, want: labels{app: vio("the user pool's nodes get public IPs")}},
		{name: "aks local accounts left on", source: azd + ": disableLocalAccounts false",
			rs: []*fixture.Res{hardenedAKS(m{"disableLocalAccounts": false})}, cfg: clusterAllow,
			want: labels{local: vio("local accounts explicitly kept")}},
		{name: "aks private cluster with local accounts", source: azd + ": a private cluster keeps its admin account",
			rs: []*fixture.Res{hardenedAKS(m{"apiServerAccessProfile": m{"enablePrivateCluster": true},
				"disableLocalAccounts": nil})},
			want: labels{local: vio("private does not turn local accounts off")}},
		{name: "aks without entra id, local accounts off", source: azd + ": disableLocalAccounts true",
			rs: []*fixture.Res{hardenedAKS(m{"aadProfile": m{"managed": true, "enableAzureRBAC": true,
				"adminGroupObjectIDs": l{aksAdmins}}})}, cfg: clusterAllow,
			want: labels{local: pass("Entra ID with Azure RBAC, no local accounts")}},
		{name: "aks settings from outputs", source: azd + ": values from another resource, in preview",
			rs: []*fixture.Res{hardenedAKS(m{"apiServerAccessProfile": m{"authorizedIPRanges": fixture.Unknown},
				"disableLocalAccounts": fixture.Unknown})},
			cfg: clusterAllow,
			want: labels{ep: unv("authorizedIPRanges not known until update"),
				local: unv("disableLocalAccounts not known until update")}},

		// GKE.
		{name: "gke installer cluster", source: gke, rs: []*fixture.Res{installerGKE(nil)}, cfg: clusterAllow,
			want: labels{
				ep:  vio("no masterAuthorizedNetworksConfig: authorized networks off, the control plane admits everyone"),
				sec: vio("databaseEncryption unset: no application-layer secrets encryption"),
				app: vio("Autopilot nodes without private nodes get external IPs"),
				np:  pass("Autopilot enforces NetworkPolicies"),
			}},
		{name: "hardened gke cluster", source: gke + ", hardened per the guide", rs: []*fixture.Res{hardenedGKE(nil)},
			cfg: clusterAllow, want: labels{}},
		{name: "gke private endpoint", source: gcd + ": private endpoint",
			rs: []*fixture.Res{hardenedGKE(m{"masterAuthorizedNetworksConfig": nil,
				"privateClusterConfig": m{"enablePrivateNodes": true, "enablePrivateEndpoint": true}})},
			want: labels{ep: pass("the public endpoint is off")}},
		{name: "gke authorized networks without cidr blocks", source: gcd + ": masterAuthorizedNetworksConfig without cidrBlocks",
			rs:   []*fixture.Res{hardenedGKE(m{"masterAuthorizedNetworksConfig": m{}})},
			want: labels{ep: pass("authorized networks on, no external range")}},
		{name: "gke authorized networks open to everyone", source: gcd + ": cidrBlocks 0.0.0.0/0",
			rs: []*fixture.Res{hardenedGKE(m{"masterAuthorizedNetworksConfig": m{"cidrBlocks": l{
				m{"cidrBlock": "0.0.0.0/0", "displayName": "everyone"}}}})},
			cfg: clusterAllow, want: labels{ep: vio("0.0.0.0/0 is outside the allowlist")}},
		{name: "gke google cloud public addresses", source: gcd + ": gcpPublicCidrsAccessEnabled",
			rs: []*fixture.Res{hardenedGKE(m{"masterAuthorizedNetworksConfig": m{"gcpPublicCidrsAccessEnabled": true,
				"cidrBlocks": l{m{"cidrBlock": adminCIDR}}}})},
			cfg: clusterAllow, want: labels{ep: vio("every Compute Engine VM's public address")}},
		{name: "gke dns endpoint open", source: gcd + ": controlPlaneEndpointsConfig",
			rs: []*fixture.Res{hardenedGKE(m{"controlPlaneEndpointsConfig": m{
				"dnsEndpointConfig": m{"allowExternalTraffic": true}, "ipEndpointsConfig": m{"enabled": false}}})},
			cfg: clusterAllow, want: labels{ep: vio("the DNS endpoint takes internet traffic, no allowlist applies")}},
		{name: "gke dns only endpoint", source: gcd + ": IP endpoints off, DNS endpoint internal",
			rs: []*fixture.Res{hardenedGKE(m{"masterAuthorizedNetworksConfig": nil, "controlPlaneEndpointsConfig": m{
				"dnsEndpointConfig": m{"allowExternalTraffic": false}, "ipEndpointsConfig": m{"enabled": false}}})},
			want: labels{ep: pass("no IP endpoint, DNS endpoint closed to the internet")}},
		{name: "gke secrets decrypted", source: gcd + ": databaseEncryption DECRYPTED",
			rs:   []*fixture.Res{hardenedGKE(m{"databaseEncryption": m{"state": "DECRYPTED"}})},
			cfg:  clusterAllow,
			want: labels{sec: vio("DECRYPTED")}},
		{name: "gke standard cluster with calico and a private pool", source: gcd + ": Standard, separate node pool",
			rs:  []*fixture.Res{standardGKE(nil), gkeNodePool(nil)},
			cfg: clusterAllow, want: labels{}},
		{name: "gke standard cluster without network policy", source: gcd + ": Standard, legacy datapath",
			rs:   []*fixture.Res{standardGKE(m{"networkPolicy": nil, "addonsConfig": nil}), gkeNodePool(nil)},
			cfg:  clusterAllow,
			want: labels{np: vio("a Standard cluster on the legacy datapath without network policy")}},
		{name: "gke dataplane v2", source: gcd + ": datapathProvider ADVANCED_DATAPATH",
			rs:  []*fixture.Res{standardGKE(m{"networkPolicy": nil, "addonsConfig": nil, "datapathProvider": "ADVANCED_DATAPATH"}), gkeNodePool(nil)},
			cfg: clusterAllow, want: labels{np: pass("Dataplane V2 enforces NetworkPolicies")}},
		{name: "gke network policy with the add-on disabled", source: gcd + ": networkPolicyConfig.disabled",
			rs:   []*fixture.Res{standardGKE(m{"addonsConfig": m{"networkPolicyConfig": m{"disabled": true}}}), gkeNodePool(nil)},
			cfg:  clusterAllow,
			want: labels{np: vio("the network policy add-on is disabled")}},
		{name: "gke node pool with public nodes", source: gcd + ": NodePool networkConfig.enablePrivateNodes false",
			rs:   []*fixture.Res{standardGKE(nil), gkeNodePool(m{"networkConfig": m{"enablePrivateNodes": false}})},
			cfg:  clusterAllow,
			want: labels{app: vio("the pool overrides private nodes")}},
		{name: "gke node pool of a public-node cluster", source: gcd + ": NodePool inherits privateClusterConfig",
			rs:   []*fixture.Res{standardGKE(m{"privateClusterConfig": nil, "masterAuthorizedNetworksConfig": m{"cidrBlocks": l{m{"cidrBlock": adminCIDR}}}}), gkeNodePool(nil)},
			cfg:  clusterAllow,
			want: labels{app: vio("the pool takes the cluster's public nodes")}},
		{name: "gke node pool of another stack's cluster", source: gcd + ": cluster by name, outside the stack",
			rs:   []*fixture.Res{gkeNodePool(m{"cluster": "pulumi-selfhosted"})},
			want: labels{app: unv("whether the nodes are private depends on a cluster not in the stack")}},
		{name: "gke settings from outputs", source: gcd + ": values from another resource, in preview",
			rs: []*fixture.Res{hardenedGKE(m{"databaseEncryption": m{"state": "ENCRYPTED", "keyName": fixture.Unknown},
				"masterAuthorizedNetworksConfig": m{"cidrBlocks": l{m{"cidrBlock": fixture.Unknown}}}})},
			cfg:  clusterAllow,
			want: labels{ep: unv("cidrBlock not known until update"), sec: unv("keyName not known until update")}},
	}
}
