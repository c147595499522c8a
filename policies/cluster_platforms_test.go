package policies

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
)

// The cluster policies on AKS and GKE (issues 19 and 20): the API endpoint,
// Secrets encryption, NetworkPolicy enforcement, the nodes' public
// addresses and AKS's local accounts, each in preview and update, with
// values not known until update, malformed values and secrets. Shapes:
// labelled_cluster_test.go.

func TestClusterEndpointOnAKSAndGKE(t *testing.T) {
	admins := m{"ingressAllowList": l{adminCIDR}}
	aks := func(access any) []*fixture.Res {
		return []*fixture.Res{hardenedAKS(m{"apiServerAccessProfile": access})}
	}
	gke := func(extra m) []*fixture.Res { return []*fixture.Res{hardenedGKE(extra)} }
	cidrs := func(blocks ...any) m {
		out := l{}
		for _, b := range blocks {
			out = append(out, m{"cidrBlock": b})
		}
		return m{"masterAuthorizedNetworksConfig": m{"cidrBlocks": out}}
	}
	runCases(t, EKSEndpointRestricted, []caseT{
		// must not fire
		{name: "aks allowlisted", cfg: admins, target: "aks", rs: aks(m{"authorizedIPRanges": l{adminCIDR}})},
		{name: "aks private cluster", target: "aks", rs: aks(m{"enablePrivateCluster": true})},
		{name: "aks private cluster with stale ranges", target: "aks",
			rs: aks(m{"enablePrivateCluster": true, "authorizedIPRanges": l{"0.0.0.0/0"}})},
		{name: "aks private ranges only", target: "aks", rs: aks(m{"authorizedIPRanges": l{"10.0.0.0/8"}})},
		{name: "aks agent pool is not a cluster", target: "pool", rs: []*fixture.Res{fixture.R(tAgentPool, "pool",
			m{"resourceName": "aks", "resourceGroupName": "rg"})}},
		{name: "gke allowlisted", cfg: admins, target: "gke", rs: gke(nil)},
		{name: "gke private endpoint", target: "gke",
			rs: gke(m{"masterAuthorizedNetworksConfig": nil, "privateClusterConfig": m{"enablePrivateNodes": true,
				"enablePrivateEndpoint": true}})},
		{name: "gke authorized networks without blocks", target: "gke", rs: gke(m{"masterAuthorizedNetworksConfig": m{}})},
		{name: "gke authorized networks with empty blocks", target: "gke",
			rs: gke(m{"masterAuthorizedNetworksConfig": m{"cidrBlocks": l{}}})},
		{name: "gke ip endpoints off", target: "gke", rs: gke(m{"masterAuthorizedNetworksConfig": nil,
			"controlPlaneEndpointsConfig": m{"ipEndpointsConfig": m{"enabled": false}}})},
		{name: "gke google cloud addresses with a private endpoint", target: "gke",
			rs: gke(m{"masterAuthorizedNetworksConfig": m{"gcpPublicCidrsAccessEnabled": true},
				"privateClusterConfig": m{"enablePrivateNodes": true, "enablePrivateEndpoint": true}})},
		{name: "gke dns endpoint closed", cfg: admins, target: "gke",
			rs: gke(m{"controlPlaneEndpointsConfig": m{"dnsEndpointConfig": m{"allowExternalTraffic": false}}})},
		{name: "gke private endpoint decides over an unknown one", target: "gke",
			rs: gke(m{"privateClusterConfig": m{"enablePrivateNodes": true, "enablePrivateEndpoint": true},
				"controlPlaneEndpointsConfig": m{"ipEndpointsConfig": m{"enabled": fixture.Unknown}}})},

		// must fire
		{name: "aks installer", target: "aks", rs: []*fixture.Res{installerAKS(nil)},
			both: []fixture.Want{violation(`azure-native:containerservice:ManagedCluster "aks": the cluster's API server is `+
				`public (apiServerAccessProfile.enablePrivateCluster is not set) and apiServerAccessProfile.authorizedIPRanges `+
				`is not set, so AKS opens it to 0.0.0.0/0`, "Fix: Set apiServerAccessProfile.authorizedIPRanges",
				"az aks update --api-server-authorized-ip-ranges")}},
		{name: "aks private cluster off", target: "aks", rs: aks(m{"enablePrivateCluster": false}),
			both: []fixture.Want{violation("(apiServerAccessProfile.enablePrivateCluster is false)")}},
		{name: "aks empty ranges", target: "aks", rs: aks(m{"authorizedIPRanges": l{}}),
			both: []fixture.Want{violation("apiServerAccessProfile.authorizedIPRanges is not set")}},
		{name: "aks range outside the allowlist", cfg: admins, target: "aks",
			rs: aks(m{"authorizedIPRanges": l{adminCIDR, "192.0.2.0/24"}}),
			both: []fixture.Want{violation("the cluster's public API server admits 192.0.2.0/24 "+
				"(apiServerAccessProfile.authorizedIPRanges[1]), which is outside the ingress allowlist [198.51.100.0/24]",
				"Fix: Set apiServerAccessProfile.authorizedIPRanges")}},
		{name: "aks range without an allowlist", target: "aks", rs: aks(m{"authorizedIPRanges": l{adminCIDR}}),
			both: []fixture.Want{violation("admits 198.51.100.0/24 (apiServerAccessProfile.authorizedIPRanges[0]) and no "+
				"ingress allowlist is configured", "az aks update", `{"eks-endpoint-restricted": {"ingressAllowList"`)}},
		{name: "aks secret range not shown", cfg: admins, target: "aks",
			rs:   aks(m{"authorizedIPRanges": l{fixture.Secret(plantedCIDR)}}),
			both: []fixture.Want{violation("admits [secret] (apiServerAccessProfile.authorizedIPRanges[0])")}},
		{name: "gke installer", target: "gke", rs: []*fixture.Res{installerGKE(nil)},
			both: []fixture.Want{violation(`gcp:container/cluster:Cluster "gke": the cluster's control plane endpoint is `+
				`public (privateClusterConfig.enablePrivateEndpoint is not set) and masterAuthorizedNetworksConfig is not `+
				`set, so GKE opens it to 0.0.0.0/0 (authorized networks are off)`,
				"gcloud container clusters update --enable-master-authorized-networks")}},
		{name: "gke block outside the allowlist", cfg: admins, target: "gke", rs: gke(cidrs(adminCIDR, "0.0.0.0/0")),
			both: []fixture.Want{violation("the cluster's public control plane endpoint admits 0.0.0.0/0 " +
				"(masterAuthorizedNetworksConfig.cidrBlocks[1].cidrBlock), which is outside the ingress allowlist")}},
		{name: "gke ip endpoints on", cfg: admins, target: "gke",
			rs: gke(m{"masterAuthorizedNetworksConfig": nil, "controlPlaneEndpointsConfig": m{"ipEndpointsConfig": m{"enabled": true}}}),
			both: []fixture.Want{violation("(privateClusterConfig.enablePrivateEndpoint is false, " +
				"controlPlaneEndpointsConfig.ipEndpointsConfig.enabled is true)")}},
		{name: "gke google cloud addresses", cfg: admins, target: "gke",
			rs: gke(m{"masterAuthorizedNetworksConfig": m{"gcpPublicCidrsAccessEnabled": true, "cidrBlocks": l{m{"cidrBlock": adminCIDR}}}}),
			both: []fixture.Want{violation("masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled is true: the control "+
				"plane endpoint also admits the public address of every Compute Engine VM", "--no-enable-google-cloud-access")}},
		{name: "gke dns endpoint open", cfg: admins, target: "gke",
			rs: gke(m{"controlPlaneEndpointsConfig": m{"dnsEndpointConfig": m{"allowExternalTraffic": true}}}),
			both: []fixture.Want{violation("controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic is true: the "+
				"control plane's DNS endpoint takes requests from the internet", "--no-enable-dns-access")}},
		{name: "gke secret block not shown", cfg: admins, target: "gke", rs: gke(cidrs(fixture.Secret(plantedCIDR))),
			both: []fixture.Want{violation("admits [secret] (masterAuthorizedNetworksConfig.cidrBlocks[0].cidrBlock)")}},

		// cannot tell
		{name: "aks private cluster unknown", target: "aks", rs: aks(m{"enablePrivateCluster": fixture.Unknown}),
			both: []fixture.Want{advisory("apiServerAccessProfile.enablePrivateCluster is not known until update")}},
		{name: "aks ranges unknown", cfg: admins, target: "aks", rs: aks(m{"authorizedIPRanges": fixture.Unknown}),
			both: []fixture.Want{advisory("apiServerAccessProfile.authorizedIPRanges is not known until update")}},
		{name: "aks ranges a string", cfg: admins, target: "aks", rs: aks(m{"authorizedIPRanges": adminCIDR}),
			both: []fixture.Want{advisory("apiServerAccessProfile.authorizedIPRanges is a string, expected an array")}},
		{name: "aks range malformed", cfg: admins, target: "aks", rs: aks(m{"authorizedIPRanges": l{"admins"}}),
			both: []fixture.Want{advisory(`apiServerAccessProfile.authorizedIPRanges[0] "admins" is not a valid CIDR block`)}},
		{name: "aks access profile a list", target: "aks", rs: aks(l{m{"enablePrivateCluster": true}}),
			both: []fixture.Want{advisory("apiServerAccessProfile")}},
		{name: "gke block unknown", cfg: admins, target: "gke", rs: gke(cidrs(fixture.Unknown)),
			both: []fixture.Want{advisory("masterAuthorizedNetworksConfig.cidrBlocks[0].cidrBlock is not known until update")}},
		{name: "gke authorized networks unknown", cfg: admins, target: "gke",
			rs:   gke(m{"masterAuthorizedNetworksConfig": fixture.Unknown}),
			both: []fixture.Want{advisory("masterAuthorizedNetworksConfig is not known until update")}},
		{name: "gke block malformed", cfg: admins, target: "gke", rs: gke(cidrs("everyone")),
			both: []fixture.Want{advisory(`masterAuthorizedNetworksConfig.cidrBlocks[0].cidrBlock "everyone" is not a valid CIDR block`)}},
		{name: "gke block without cidrBlock", cfg: admins, target: "gke",
			rs:   gke(m{"masterAuthorizedNetworksConfig": m{"cidrBlocks": l{m{"displayName": "admins"}}}}),
			both: []fixture.Want{advisory("masterAuthorizedNetworksConfig.cidrBlocks[0].cidrBlock is not set; GKE requires it")}},
		{name: "gke private endpoint a string", target: "gke",
			rs:   gke(m{"privateClusterConfig": m{"enablePrivateNodes": true, "enablePrivateEndpoint": "true"}}),
			both: []fixture.Want{advisory("privateClusterConfig.enablePrivateEndpoint is a string, expected a boolean")}},
	})
}

func TestClusterSecretsOnAKSAndGKE(t *testing.T) {
	aks := func(kms any) []*fixture.Res {
		return []*fixture.Res{hardenedAKS(m{"securityProfile": m{"azureKeyVaultKms": kms}})}
	}
	gke := func(enc any) []*fixture.Res { return []*fixture.Res{hardenedGKE(m{"databaseEncryption": enc})} }
	runCases(t, EKSSecretsEncrypted, []caseT{
		// must not fire
		{name: "aks kms", target: "aks", rs: aks(m{"enabled": true, "keyId": aksKMSKey})},
		{name: "aks kms secret key id", target: "aks", rs: aks(m{"enabled": true, "keyId": fixture.Secret(aksKMSKey)})},
		{name: "gke encrypted", target: "gke", rs: gke(m{"state": "ENCRYPTED", "keyName": gkeKMSKey})},
		{name: "gke key from the stack", target: "gke", rs: []*fixture.Res{
			fixture.R("gcp:kms/cryptoKey:CryptoKey", "key", m{"name": "gke-secrets", "keyRing": "pulumi"}),
			hardenedGKE(m{"databaseEncryption": m{"state": "ENCRYPTED", "keyName": fixture.ID("key")}})},
			preview: []fixture.Want{advisory("databaseEncryption.keyName is not known until update")}},

		// must fire
		{name: "aks installer", target: "aks", rs: []*fixture.Res{installerAKS(nil)},
			both: []fixture.Want{violation(`azure-native:containerservice:ManagedCluster "aks": `+
				`securityProfile.azureKeyVaultKms.enabled is not set, so Kubernetes Secrets are stored in etcd without `+
				`Azure Key Vault envelope encryption`, "az aks update --enable-azure-keyvault-kms")}},
		{name: "aks kms off", target: "aks", rs: aks(m{"enabled": false}),
			both: []fixture.Want{violation("securityProfile.azureKeyVaultKms.enabled does not turn envelope encryption on")}},
		{name: "aks kms without a key", target: "aks", rs: aks(m{"enabled": true}),
			both: []fixture.Want{violation("securityProfile.azureKeyVaultKms.keyId is not set, so there is no Azure Key " +
				"Vault key")}},
		{name: "gke installer", target: "gke", rs: []*fixture.Res{installerGKE(nil)},
			both: []fixture.Want{violation(`gcp:container/cluster:Cluster "gke": databaseEncryption is not set, so `+
				`Kubernetes Secrets are stored in etcd without Cloud KMS envelope encryption`,
				"gcloud container clusters update --database-encryption-key", "roles/cloudkms.cryptoKeyEncrypterDecrypter")}},
		{name: "gke decrypted", target: "gke", rs: gke(m{"state": "DECRYPTED"}),
			both: []fixture.Want{violation("databaseEncryption.state does not turn envelope encryption on")}},
		{name: "gke encrypted without a key", target: "gke", rs: gke(m{"state": "ENCRYPTED"}),
			both: []fixture.Want{violation("databaseEncryption.keyName is not set, so there is no Cloud KMS key")}},

		// cannot tell
		{name: "aks enabled unknown", target: "aks", rs: aks(m{"enabled": fixture.Unknown, "keyId": aksKMSKey}),
			both: []fixture.Want{advisory("securityProfile.azureKeyVaultKms.enabled is not known until update")}},
		{name: "aks enabled a string", target: "aks", rs: aks(m{"enabled": "true", "keyId": aksKMSKey}),
			both: []fixture.Want{advisory("securityProfile.azureKeyVaultKms.enabled is a string, expected a boolean")}},
		{name: "gke state unknown", target: "gke", rs: gke(m{"state": fixture.Unknown, "keyName": gkeKMSKey}),
			both: []fixture.Want{advisory("databaseEncryption.state is not known until update")}},
		{name: "gke block unknown", target: "gke", rs: gke(fixture.Unknown),
			both: []fixture.Want{advisory("databaseEncryption")}},
		{name: "gke state a number", target: "gke", rs: gke(m{"state": 1, "keyName": gkeKMSKey}),
			both: []fixture.Want{advisory("databaseEncryption.state is a number, expected a string")}},
	})
}

func TestClusterNetworkPolicyEnforcement(t *testing.T) {
	aks := func(profile any) []*fixture.Res {
		return []*fixture.Res{hardenedAKS(m{"networkProfile": profile})}
	}
	gke := func(extra m) []*fixture.Res { return []*fixture.Res{standardGKE(extra)} }
	withNP := func(rs []*fixture.Res) []*fixture.Res {
		return append(rs, kNetworkPolicy("deny", m{"podSelector": m{}, "policyTypes": l{"Ingress"}}))
	}
	runCases(t, NetworkPoliciesBetweenTiers, []caseT{
		// must not fire
		{name: "aks azure", target: "aks", rs: aks(m{"networkPlugin": "azure", "networkPolicy": "azure"})},
		{name: "aks calico", target: "aks", rs: aks(m{"networkPlugin": "kubenet", "networkPolicy": "calico"})},
		{name: "aks cilium", target: "aks", rs: aks(m{"networkDataplane": "cilium", "networkPolicy": "cilium"})},
		{name: "aks cilium dataplane, policy unset", target: "aks", rs: aks(m{"networkDataplane": "cilium"})},
		{name: "gke autopilot", target: "gke", rs: []*fixture.Res{installerGKE(nil)}},
		{name: "gke calico", target: "gke", rs: gke(nil)},
		{name: "gke calico, add-on unset", target: "gke", rs: gke(m{"addonsConfig": nil})},
		{name: "gke dataplane v2", target: "gke", rs: gke(m{"networkPolicy": nil, "datapathProvider": "ADVANCED_DATAPATH"})},
		{name: "gke autopilot decides over an unknown datapath", target: "gke",
			rs: []*fixture.Res{installerGKE(m{"datapathProvider": fixture.Unknown})}},

		// must fire
		{name: "aks installer", target: "aks", rs: []*fixture.Res{installerAKS(nil)},
			both: []fixture.Want{advisoryViolation(`azure-native:containerservice:ManagedCluster "aks": `+
				`networkProfile.networkPolicy is not set (AKS's default: none), so the AKS cluster does not enforce `+
				`NetworkPolicies: a NetworkPolicy added for the API and Console pods would have no effect on it`,
				"az aks update --network-policy")}},
		{name: "aks none with NetworkPolicies in the stack", target: "aks",
			rs: withNP(aks(m{"networkPlugin": "azure", "networkPolicy": "none"})),
			both: []fixture.Want{advisoryViolation("networkProfile.networkPolicy is none, so the AKS cluster does not " +
				"enforce NetworkPolicies: the NetworkPolicies of this stack (1) have no effect if they run on it")}},
		{name: "aks no network profile", target: "aks", rs: aks(nil),
			both: []fixture.Want{advisoryViolation("networkProfile.networkPolicy is not set")}},
		{name: "gke legacy datapath", target: "gke", rs: gke(m{"networkPolicy": nil, "addonsConfig": nil}),
			both: []fixture.Want{advisoryViolation(`gcp:container/cluster:Cluster "gke": enableAutopilot is not set (a `+
				`Standard cluster), datapathProvider is not set (GKE's default: LEGACY_DATAPATH), networkPolicy is not `+
				`set, so the GKE cluster does not enforce NetworkPolicies`, "ADVANCED_DATAPATH", "--enable-network-policy")}},
		{name: "gke network policy off", target: "gke", rs: gke(m{"networkPolicy": m{"enabled": false},
			"enableAutopilot": false, "datapathProvider": "LEGACY_DATAPATH"}),
			both: []fixture.Want{advisoryViolation("enableAutopilot is false, datapathProvider is not ADVANCED_DATAPATH, " +
				"networkPolicy.enabled is false")}},
		{name: "gke add-on disabled", target: "gke", rs: gke(m{"addonsConfig": m{"networkPolicyConfig": m{"disabled": true}}}),
			both: []fixture.Want{advisoryViolation("networkPolicy.enabled is true but addonsConfig.networkPolicyConfig.disabled is true")}},

		// cannot tell
		{name: "aks policy unknown", target: "aks", rs: aks(m{"networkPolicy": fixture.Unknown}),
			both: []fixture.Want{advisory("networkProfile.networkPolicy is not known until update")}},
		{name: "aks policy a number", target: "aks", rs: aks(m{"networkPolicy": 3}),
			both: []fixture.Want{advisory("networkProfile.networkPolicy is a number, expected a string")}},
		{name: "aks dataplane unknown, policy unset", target: "aks", rs: aks(m{"networkDataplane": fixture.Unknown}),
			both: []fixture.Want{advisory("networkProfile.networkDataplane is not known until update")}},
		{name: "gke network policy unknown", target: "gke", rs: gke(m{"networkPolicy": m{"enabled": fixture.Unknown}}),
			both: []fixture.Want{advisory("networkPolicy.enabled is not known until update")}},
		{name: "gke autopilot a string", target: "gke", rs: gke(m{"networkPolicy": nil, "enableAutopilot": "true"}),
			both: []fixture.Want{advisory("enableAutopilot is a string, expected a boolean")}},
	})
}

func TestClusterNodesOnAKSAndGKE(t *testing.T) {
	pools := func(extra m) m {
		return m{"agentPoolProfiles": l{with(m{"name": "agentpool", "mode": "System", "count": 2,
			"vmSize": "Standard_DS3_v2", "vnetSubnetID": aksSubnet}, extra)}}
	}
	agentPool := func(in any) *fixture.Res {
		return fixture.R(tAgentPool, "user-pool", m{"resourceGroupName": "pulumi-rg", "resourceName": "pulumi-aks",
			"count": 2, "mode": "User", "enableNodePublicIP": in})
	}
	runCases(t, AppInPrivateSubnets, []caseT{
		// must not fire
		{name: "aks installer", target: "aks", rs: []*fixture.Res{installerAKS(nil)}},
		{name: "aks node public ip off", target: "aks", rs: []*fixture.Res{hardenedAKS(pools(m{"enableNodePublicIP": false}))}},
		{name: "aks agent pool default", target: "user-pool", rs: []*fixture.Res{fixture.R(tAgentPool, "user-pool", m{"count": 1})}},
		{name: "gke private autopilot", target: "gke", rs: []*fixture.Res{hardenedGKE(nil)}},
		{name: "gke default pool removed, private pool", target: "pool", rs: []*fixture.Res{standardGKE(nil), gkeNodePool(nil)}},
		{name: "gke pool private itself", target: "pool", rs: []*fixture.Res{standardGKE(m{"privateClusterConfig": nil}),
			gkeNodePool(m{"networkConfig": m{"enablePrivateNodes": true}})}},
		{name: "gke inline pools, private", target: "gke", rs: []*fixture.Res{standardGKE(m{"removeDefaultNodePool": nil,
			"nodePools": l{m{"name": "default", "nodeCount": 2}}})}},

		// must fire
		{name: "aks node public ip", target: "aks", rs: []*fixture.Res{hardenedAKS(pools(m{"enableNodePublicIP": true}))},
			both: []fixture.Want{violation(`azure-native:containerservice:ManagedCluster "aks": `+
				`agentPoolProfiles[0].enableNodePublicIP is true: every node of the pool gets its own public IP address`,
				"Fix: Set agentPoolProfiles[0].enableNodePublicIP to false (AKS sets it when the pool is created")}},
		{name: "aks agent pool public ip", target: "user-pool", rs: []*fixture.Res{agentPool(true)},
			both: []fixture.Want{violation("enableNodePublicIP is true: every node of the pool gets its own public IP address")}},
		{name: "gke installer", target: "gke", rs: []*fixture.Res{installerGKE(nil)},
			both: []fixture.Want{violation(`gcp:container/cluster:Cluster "gke": privateClusterConfig.enablePrivateNodes is `+
				`not set (GKE's default: nodes with external IPs): its nodes get external IP addresses`,
				"gcloud container clusters update --enable-private-nodes", "Cloud NAT")}},
		{name: "gke private nodes off", target: "gke",
			rs:   []*fixture.Res{hardenedGKE(m{"privateClusterConfig": m{"enablePrivateNodes": false}})},
			both: []fixture.Want{violation("privateClusterConfig.enablePrivateNodes is false: its nodes get external IP addresses")}},
		{name: "gke pool inherits public nodes", target: "pool",
			rs: []*fixture.Res{standardGKE(m{"privateClusterConfig": nil}), gkeNodePool(nil)},
			both: []fixture.Want{violation(`gcp:container/nodePool:NodePool "pool": networkConfig.enablePrivateNodes is not set `+
				`and cluster "gke"'s privateClusterConfig.enablePrivateNodes is not set`, "gcloud container node-pools update")}},
		{name: "gke pool public itself", target: "pool",
			rs:   []*fixture.Res{standardGKE(nil), gkeNodePool(m{"networkConfig": m{"enablePrivateNodes": false}})},
			both: []fixture.Want{violation("networkConfig.enablePrivateNodes is false: its nodes get external IP addresses")}},
		{name: "gke inline pool public", target: "gke", rs: []*fixture.Res{standardGKE(m{"removeDefaultNodePool": nil,
			"nodePools": l{m{"name": "default", "networkConfig": m{"enablePrivateNodes": false}}}})},
			both: []fixture.Want{violation("nodePools[0].networkConfig.enablePrivateNodes is false")}},
		{name: "gke default pool kept", target: "gke", rs: []*fixture.Res{standardGKE(m{"removeDefaultNodePool": nil,
			"privateClusterConfig": nil})},
			both: []fixture.Want{violation("privateClusterConfig.enablePrivateNodes is not set")}},

		// cannot tell
		{name: "aks node public ip unknown", target: "aks", rs: []*fixture.Res{hardenedAKS(pools(m{"enableNodePublicIP": fixture.Unknown}))},
			both: []fixture.Want{advisory("agentPoolProfiles[0].enableNodePublicIP is not known until update")}},
		{name: "aks pools unknown", target: "aks", rs: []*fixture.Res{hardenedAKS(m{"agentPoolProfiles": fixture.Unknown})},
			both: []fixture.Want{advisory("agentPoolProfiles is not known until update")}},
		{name: "aks agent pool public ip a string", target: "user-pool", rs: []*fixture.Res{agentPool("true")},
			both: []fixture.Want{advisory("enableNodePublicIP is a string, expected a boolean")}},
		{name: "gke private nodes unknown", target: "gke",
			rs:   []*fixture.Res{hardenedGKE(m{"privateClusterConfig": m{"enablePrivateNodes": fixture.Unknown}})},
			both: []fixture.Want{advisory("privateClusterConfig.enablePrivateNodes is not known until update")}},
		{name: "gke pool of a cluster outside the stack", target: "pool", rs: []*fixture.Res{gkeNodePool(m{"cluster": "pulumi-selfhosted"})},
			both: []fixture.Want{advisory("cannot be verified: networkConfig.enablePrivateNodes is not set, so the pool's " +
				"nodes are private only if cluster pulumi-selfhosted (not in the stack) sets privateClusterConfig.enablePrivateNodes")}},
		{name: "gke pool of an unknown cluster", target: "pool", rs: []*fixture.Res{gkeNodePool(m{"cluster": fixture.Unknown})},
			both: []fixture.Want{advisory("cluster is not known until update")}},
	})
}

func TestAKSLocalAccountsDisabled(t *testing.T) {
	aks := func(v any) []*fixture.Res { return []*fixture.Res{hardenedAKS(m{"disableLocalAccounts": v})} }
	runCases(t, AKSLocalAccountsDisabled, []caseT{
		// must not fire
		{name: "disabled", target: "aks", rs: aks(true)},
		{name: "gke is not judged", target: "gke", rs: []*fixture.Res{installerGKE(nil)}},
		{name: "eks is not judged", target: "cluster", rs: []*fixture.Res{eksCluster(nil, nil)}},

		// must fire
		{name: "installer", target: "aks", rs: []*fixture.Res{installerAKS(nil)},
			both: []fixture.Want{advisoryViolation(`azure-native:containerservice:ManagedCluster "aks": disableLocalAccounts `+
				`is not set (AKS's default: false), so the AKS cluster keeps a local cluster-admin account`,
				"az aks update --disable-local-accounts")}},
		{name: "false", target: "aks", rs: aks(false),
			both: []fixture.Want{advisoryViolation("disableLocalAccounts is false, so the AKS cluster keeps a local cluster-admin account")}},

		// cannot tell
		{name: "unknown", target: "aks", rs: aks(fixture.Unknown),
			both: []fixture.Want{advisory("disableLocalAccounts is not known until update")}},
		{name: "a string", target: "aks", rs: aks("true"),
			both: []fixture.Want{advisory("disableLocalAccounts is a string, expected a boolean")}},
	})
}
