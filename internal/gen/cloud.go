package gen

import (
	"fmt"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/selfhosted-hardening/selfhosted-hardening/hardeningtest"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// CloudStack returns exactly n resources in the AKS and GKE installers'
// shapes (update mode), inputs as @pulumi/azure-native v3 and @pulumi/gcp 9
// send them. Per copy: an Azure storage account and two blob containers, a
// MySQL flexible server with its TLS configurations and a firewall rule, an
// AKS cluster and an agent pool, a network security group and a rule, the
// ingress-nginx Helm release; a Cloud Storage bucket and an IAM member, a
// Cloud SQL instance and its user, a GKE cluster and node pool, two firewall
// rules and the RandomString the GKE installer keys its encryption with,
// with the Kubernetes Secret it lands in.
func CloudStack(n int) []*hardeningtest.Resource {
	var out []*hardeningtest.Resource
	for k := 0; len(out) < n; k++ {
		out = append(out, cloudCopy(k)...)
	}
	return out[:n]
}

type obj = map[string]any
type arr = []any

func cloudCopy(k int) []*hardeningtest.Resource {
	var out []*hardeningtest.Resource
	urn := func(typ, name string) string { return "urn:pulumi:dev::bench::" + typ + "::" + suffix(name, k) }
	add := func(typ, name string, in obj, deps map[string][]string) {
		v := props.Rewrite(props.FromGo(in), func(x props.Value) props.Value {
			if s, ok := x.Str(); ok && len(s) > 7 && s[:7] == "secret:" {
				return props.Secret(props.NewString(s[7:]))
			}
			return x
		})
		inputs, outputs := props.EncodeObject(v), props.EncodeObject(v)
		outputs.Fields["id"] = structpb.NewStringValue(fmt.Sprintf("/bench/%s", suffix(name, k)))
		r := &hardeningtest.Resource{URN: urn(typ, name), Type: typ, Name: suffix(name, k), Custom: true,
			Inputs: inputs, Outputs: outputs, PropertyDependencies: map[string][]string{}}
		for p, names := range deps {
			for _, d := range names {
				r.PropertyDependencies[p] = append(r.PropertyDependencies[p], d)
			}
		}
		out = append(out, r)
	}
	rg := "pulumi-rg"
	account, server := suffix("pulumiab12", k), suffix("pulumi-mysql", k)
	add("azure-native:storage:StorageAccount", "storage", obj{"accountName": account, "resourceGroupName": rg,
		"kind": "StorageV2", "sku": obj{"name": "Standard_LRS"}, "minimumTlsVersion": "TLS1_2",
		"allowBlobPublicAccess": false, "enableHttpsTrafficOnly": true}, nil)
	for _, c := range []string{"checkpoints", "policypacks"} {
		add("azure-native:storage:BlobContainer", c, obj{"accountName": account, "resourceGroupName": rg,
			"publicAccess": "None"}, nil)
	}
	add("azure-native:dbformysql:Server", "mysql", obj{"serverName": server, "resourceGroupName": rg,
		"administratorLogin": "pulumiadmin", "administratorLoginPassword": "secret:bench-pw", "version": "8.0.21",
		"network": obj{"publicNetworkAccess": "Enabled"}, "storage": obj{"storageSizeGB": 20}}, nil)
	add("azure-native:dbformysql:Configuration", "mysql-tls", obj{"serverName": server, "resourceGroupName": rg,
		"configurationName": "require_secure_transport", "value": "ON", "source": "user-override"}, nil)
	add("azure-native:dbformysql:FirewallRule", "mysql-office", obj{"serverName": server, "resourceGroupName": rg,
		"startIpAddress": "203.0.113.10", "endIpAddress": "203.0.113.20"}, nil)
	add("azure-native:containerservice:ManagedCluster", "aks", obj{"resourceName": suffix("pulumi-aks", k),
		"resourceGroupName": rg, "dnsPrefix": "pulumi", "disableLocalAccounts": true,
		"apiServerAccessProfile": obj{"authorizedIPRanges": arr{"198.51.100.0/24"}},
		"networkProfile":         obj{"networkPlugin": "azure", "networkPolicy": "calico"},
		"securityProfile": obj{"azureKeyVaultKms": obj{"enabled": true,
			"keyId": "https://kv.vault.azure.net/keys/aks/1"}},
		"agentPoolProfiles": arr{obj{"name": "system", "count": 2, "vmSize": "Standard_D4s_v5", "mode": "System",
			"enableNodePublicIP": false}}}, nil)
	add("azure-native:network:NetworkSecurityGroup", "nsg", obj{"resourceGroupName": rg, "securityRules": arr{
		obj{"name": "https", "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
			"sourceAddressPrefix": "203.0.113.0/24", "sourcePortRange": "*", "destinationAddressPrefix": "*",
			"destinationPortRange": "443"}}}, nil)
	add("kubernetes:helm.sh/v3:Release", "ingress-nginx", obj{"chart": "ingress-nginx", "version": "4.12.1",
		"repositoryOpts": obj{"repo": "https://kubernetes.github.io/ingress-nginx"},
		"values": obj{"controller": obj{"service": obj{"loadBalancerSourceRanges": arr{"203.0.113.0/24"},
			"externalTrafficPolicy": "Local"}}}}, nil)

	bucket := suffix("pulumi-checkpoints", k)
	add("gcp:storage/bucket:Bucket", "checkpoints", obj{"name": bucket, "location": "US",
		"uniformBucketLevelAccess": true, "publicAccessPrevention": "enforced"}, nil)
	add("gcp:storage/bucketIAMMember:BucketIAMMember", "checkpoints-sa", obj{"bucket": bucket,
		"role": "roles/storage.objectAdmin", "member": "serviceAccount:api@p.iam.gserviceaccount.com"}, nil)
	sql := suffix("pulumi-sql", k)
	add("gcp:sql/databaseInstance:DatabaseInstance", "sql", obj{"name": sql, "databaseVersion": "MYSQL_8_0",
		"settings": obj{"tier": "db-custom-2-7680", "ipConfiguration": obj{"ipv4Enabled": false,
			"privateNetwork": "projects/p/global/networks/default", "sslMode": "ENCRYPTED_ONLY"}}}, nil)
	add("gcp:sql/user:User", "sql-user", obj{"instance": sql, "name": "pulumi", "password": "secret:bench-pw"}, nil)
	add("gcp:container/cluster:Cluster", "gke", obj{"name": suffix("pulumi-gke", k), "location": "us-central1",
		"masterAuthorizedNetworksConfig": obj{"cidrBlocks": arr{obj{"cidrBlock": "198.51.100.0/24"}}},
		"privateClusterConfig":           obj{"enablePrivateNodes": true},
		"databaseEncryption":             obj{"state": "ENCRYPTED", "keyName": "projects/p/keys/gke"},
		"datapathProvider":               "ADVANCED_DATAPATH"}, nil)
	add("gcp:container/nodePool:NodePool", "gke-pool", obj{"cluster": suffix("pulumi-gke", k),
		"nodeConfig": obj{"machineType": "e2-standard-4"}}, nil)
	add("gcp:compute/firewall:Firewall", "allow-https", obj{"network": "default", "direction": "INGRESS",
		"allows": arr{obj{"protocol": "tcp", "ports": arr{"443"}}}, "sourceRanges": arr{"203.0.113.0/24"}}, nil)
	add("gcp:compute/firewall:Firewall", "allow-internal", obj{"network": "default",
		"allows": arr{obj{"protocol": "tcp", "ports": arr{"0-65535"}}}, "sourceRanges": arr{"10.128.0.0/9"}}, nil)
	add("random:index/randomString:RandomString", "encryption-key", obj{"length": 32, "special": false}, nil)
	add("kubernetes:core/v1:Secret", "local-keys", obj{"metadata": obj{"namespace": "pulumi",
		"name": suffix("local-keys", k)}, "stringData": obj{"keys": "secret:bench-key"}},
		map[string][]string{"stringData": {urn("random:index/randomString:RandomString", "encryption-key")}})
	return out
}
