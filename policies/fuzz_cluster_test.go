package policies_test

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/azure"
	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/gcp"
)

// fuzzSeed is a seed of FuzzAnalyze: the index of its type in types, and
// its properties as JSON with unknown and secret markers.
type fuzzSeed struct {
	typ uint8
	doc string
}

// clusterFuzzSeeds are FuzzAnalyze's seeds in the shapes of AKS and GKE
// clusters and node pools: hardened, open, and malformed.
func clusterFuzzSeeds() []fuzzSeed {
	byType := map[string][]string{
		azure.TypeManagedCluster: {
			`{"apiServerAccessProfile": {"authorizedIPRanges": ["0.0.0.0/0", "<secret>198.51.100.9/32", "x"]}, "agentPoolProfiles": [{"name": "a", "enableNodePublicIP": true}, null, 3]}`,
			`{"apiServerAccessProfile": {"enablePrivateCluster": "<unknown>"}, "securityProfile": {"azureKeyVaultKms": {"enabled": true, "keyId": "<secret>https://kv/keys/k"}}, "networkProfile": {"networkPolicy": "none", "networkDataplane": 7}, "disableLocalAccounts": "no"}`,
			`{"apiServerAccessProfile": [], "securityProfile": {"azureKeyVaultKms": "<unknown>"}, "networkProfile": "<secret>azure", "agentPoolProfiles": "<unknown>"}`,
		},
		azure.TypeAgentPool: {`{"enableNodePublicIP": "<unknown>", "resourceName": "<secret>aks"}`, `{"enableNodePublicIP": [true]}`},
		gcp.TypeCluster: {
			`{"masterAuthorizedNetworksConfig": {"cidrBlocks": [{"cidrBlock": "<secret>0.0.0.0/0"}, {"displayName": 1}, null], "gcpPublicCidrsAccessEnabled": true}, "privateClusterConfig": {"enablePrivateEndpoint": "<unknown>"}}`,
			`{"enableAutopilot": "<unknown>", "datapathProvider": 3, "networkPolicy": {"enabled": true}, "addonsConfig": {"networkPolicyConfig": {"disabled": "<unknown>"}}, "databaseEncryption": {"state": "<secret>ENCRYPTED"}}`,
			`{"removeDefaultNodePool": "yes", "nodePools": [{"networkConfig": {"enablePrivateNodes": "<unknown>"}}, "x"], "controlPlaneEndpointsConfig": {"dnsEndpointConfig": {"allowExternalTraffic": true}, "ipEndpointsConfig": "<unknown>"}}`,
		},
		gcp.TypeNodePool: {`{"cluster": "<unknown>", "networkConfig": {"enablePrivateNodes": false}}`, `{"cluster": ["a-id"], "networkConfig": []}`},
	}
	var out []fuzzSeed
	for i, typ := range types {
		for _, doc := range byType[typ] {
			out = append(out, fuzzSeed{uint8(i), doc})
		}
	}
	return out
}
