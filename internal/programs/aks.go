package programs

import (
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// AzureNativeVersion is the azure-native provider release the AKS program
// asks for: a real release of the v3 provider, whose @pulumi/azure-native
// package gives the inputs' shapes (the stand-in test double
// internal/e2e/fakeazure answers as it).
const AzureNativeVersion = "3.28.0"

// Logical names of the AKS program's Azure resources that findings are about.
const (
	AKSResourceGroupName   = "pulumi-rg"
	AKSStorageAccountName  = "pulumi" // the installer's short name (24-character limit)
	AKSMySQLServerName     = "pulumi-mysql"
	AKSSecureTransportName = "pulumi-require-secure-transport" // dbformysql:Configuration
	AKSFirewallRuleName    = "pulumi-allow-all"                // dbformysql:FirewallRule (violating only)
	AKSClusterName         = "pulumi-aks"
)

// AKSBlobContainerNames are the storage account's containers.
var AKSBlobContainerNames = []string{"pulumicheckpoints", "pulumicheckpoints-v2", "pulumipolicypacks"}

// Ids from another stack (the installer's network): the subnets of the
// cluster's nodes and of the database, and the database's private DNS zone.
const (
	azureNetworkPrefix     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/pulumi-network/providers/Microsoft.Network/"
	AKSNodeSubnetID        = azureNetworkPrefix + "virtualNetworks/pulumi-vnet/subnets/aks"
	AKSDatabaseSubnetID    = azureNetworkPrefix + "virtualNetworks/pulumi-vnet/subnets/mysql"
	aksPrivateDNSZoneID    = azureNetworkPrefix + "privateDnsZones/private.mysql.database.azure.com"
	aksKeyVaultID          = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/pulumi-rg/providers/Microsoft.KeyVault/vaults/pulumi-kms"
	aksKeyVaultKeyID       = "https://pulumi-kms.vault.azure.net/keys/aks-etcd/0123456789abcdef0123456789abcdef"
	aksClientID            = "11111111-2222-3333-4444-555555555555"
	aksTenantID            = "66666666-7777-8888-9999-000000000000"
	aksSubscriptionID      = "00000000-0000-0000-0000-000000000000"
	aksAdminGroupID        = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
	aksIngressPublicIP     = "203.0.113.80"
	aksSSHPublicKey        = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCaksDemoPublicKeyOnly adminpulumi"
	azureMySQLCertificate  = "-----BEGIN CERTIFICATE-----\nMIIBazureMySQLDigiCertGlobalRootG2\n-----END CERTIFICATE-----\n"
	aksSecretPrefix        = "aks"
	aksClientSecretConfig  = "clientSecret"
	aksStorageKeyConfig    = "storageKey"
	aksCredentialsSecret   = "azure-credentials"
	aksMySQLVersion        = "8.0.21"
	aksKubernetesVersion   = "1.31.2"
	aksViolatingChart      = "4.6.1" // aks-hosted's pin
	aksViolatingController = "1.7.1"
)

// AKSSecretConfig is the stack config the AKS program reads, each value to
// be set as a secret. None may appear in any output.
func AKSSecretConfig() map[string]string {
	cfg := AppSecretConfig(aksSecretPrefix)
	cfg[aksClientSecretConfig] = "aks-Client-S3cret-not-shown"
	cfg[aksStorageKeyConfig] = "aks-Storage-Acc0unt-Key-not-shown=="
	return cfg
}

// AKSHardenedPolicyConfig is the --policy-pack-config the hardened AKS
// program needs: the edge's allowlist.
func AKSHardenedPolicyConfig() map[string]any {
	return map[string]any{
		"load-balancer-ingress-allowlist": map[string]any{"ingressAllowList": []string{IngressAllowList}},
	}
}

// azureResource is a resource of the azure-native provider, registered by
// type token (its Go SDK is not on the Go module proxy), with the Azure
// name it reports.
type azureResource struct {
	pulumi.CustomResourceState
	Name pulumi.StringOutput `pulumi:"name"`
}

// azureNative registers one azure-native resource with inputs shaped as
// @pulumi/azure-native v3 sends them.
func azureNative(ctx *pulumi.Context, token, name string, inputs pulumi.Map, opts ...pulumi.ResourceOption,
) (*azureResource, error) {
	var r azureResource
	err := ctx.RegisterResource(token, name, inputs, &r, append(opts, pulumi.Version(AzureNativeVersion))...)
	return &r, err
}

// AKS returns a program in the shape of the AKS installer
// (pulumi/pulumi-self-hosted-installers, aks-hosted; @pulumi/azure-native v3
// inputs), its three stacks in one: a resource group; a storage account and
// its three blob containers; a MySQL Flexible Server with its
// configurations and the "pulumi" database; the AKS ManagedCluster;
// ingress-nginx as a kubernetes:helm.sh/v3:Release; and the service tier
// (k8sapp.go) whose API takes the Azure credentials and storage settings.
//
// Not hardened, as the installer has them or as issue 19 found them: the
// storage account with no minimumTlsVersion, no allowBlobPublicAccess and no
// network rules; the MySQL server open to public networks with a firewall
// rule admitting every address and require_secure_transport OFF; the
// cluster with a public API server, no KMS for Secrets and no NetworkPolicy
// enforcement; AZURE_CLIENT_SECRET and AZURE_STORAGE_KEY in the API
// Deployment's plain env; ingress-nginx chart 4.6.1 (before the
// CVE-2025-1974 fixes) with no loadBalancerSourceRanges; the Ingress
// without an allowlist; no TLS variables.
//
// Hardened: HTTPS only, TLS 1.2, no anonymous blob access and a deny-by-
// default network rule set on the account, containers without public
// access; the server in a delegated subnet with public access disabled,
// require_secure_transport ON and tls_version TLSv1.2,TLSv1.3, no firewall
// rule; a private cluster with Key Vault KMS, the azure NetworkPolicy
// engine, no local accounts and no node public IPs; the credentials through
// secretKeyRef; chart 4.12.1 with loadBalancerSourceRanges; the Ingress's
// whitelist-source-range; the guide's TLS variables and NetworkPolicies.
func AKS(hardened bool) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		tags := pulumi.StringMap{"app": pulumi.String("pulumi-selfhosted")}
		rg, err := azureNative(ctx, "azure-native:resources:ResourceGroup", AKSResourceGroupName, pulumi.Map{
			"location": pulumi.String("eastus"), "tags": tags,
		})
		if err != nil {
			return err
		}
		rgName := rg.Name

		// Storage.
		account := pulumi.Map{
			"resourceGroupName": rgName,
			"sku":               pulumi.Map{"name": pulumi.String("Standard_LRS")},
			"kind":              pulumi.String("StorageV2"),
			"tags":              tags,
		}
		if hardened {
			account["enableHttpsTrafficOnly"] = pulumi.Bool(true)
			account["minimumTlsVersion"] = pulumi.String("TLS1_2")
			account["allowBlobPublicAccess"] = pulumi.Bool(false)
			account["networkRuleSet"] = pulumi.Map{
				"bypass":        pulumi.String("AzureServices"),
				"defaultAction": pulumi.String("Deny"),
				"virtualNetworkRules": pulumi.Array{pulumi.Map{
					"virtualNetworkResourceId": pulumi.String(AKSNodeSubnetID), "action": pulumi.String("Allow"),
				}},
			}
		}
		sa, err := azureNative(ctx, "azure-native:storage:StorageAccount", AKSStorageAccountName, account)
		if err != nil {
			return err
		}
		containers := map[string]*azureResource{}
		for _, name := range AKSBlobContainerNames {
			in := pulumi.Map{"resourceGroupName": rgName, "accountName": sa.Name}
			if hardened {
				// Named, so the API's endpoints are known in a preview.
				in["publicAccess"] = pulumi.String("None")
				in["containerName"] = pulumi.String(name)
			}
			c, err := azureNative(ctx, "azure-native:storage:BlobContainer", name, in, pulumi.Parent(sa))
			if err != nil {
				return err
			}
			containers[name] = c
		}

		// The database.
		network := pulumi.Map{"publicNetworkAccess": pulumi.String("Enabled")}
		if hardened {
			network = pulumi.Map{
				"delegatedSubnetResourceId": pulumi.String(AKSDatabaseSubnetID),
				"privateDnsZoneResourceId":  pulumi.String(aksPrivateDNSZoneID),
				"publicNetworkAccess":       pulumi.String("Disabled"),
			}
		}
		server, err := azureNative(ctx, "azure-native:dbformysql:Server", AKSMySQLServerName, pulumi.Map{
			"administratorLogin":         pulumi.String("pulumiadmin"),
			"administratorLoginPassword": config.RequireSecret(ctx, "dbPassword"),
			"resourceGroupName":          rgName,
			"network":                    network,
			// With the SDK's defaults (storageArgsProvideDefaults).
			"storage": pulumi.Map{
				"storageSizeGB": pulumi.Int(50), "autoGrow": pulumi.String("Enabled"),
				"autoIoScaling": pulumi.String("Enabled"), "logOnDisk": pulumi.String("Disabled"),
				"storageRedundancy": pulumi.String("LocalRedundancy"),
			},
			"version": pulumi.String(aksMySQLVersion),
			"sku":     pulumi.Map{"name": pulumi.String("Standard_D2ads_v5"), "tier": pulumi.String("GeneralPurpose")},
			"tags":    tags,
		})
		if err != nil {
			return err
		}
		onServer := pulumi.Parent(server)
		configuration := func(name, key, value string) error {
			_, err := azureNative(ctx, "azure-native:dbformysql:Configuration", name, pulumi.Map{
				"resourceGroupName": rgName, "serverName": server.Name,
				"source": pulumi.String("user-override"), "configurationName": pulumi.String(key), "value": pulumi.String(value),
			}, onServer)
			return err
		}
		if err := configuration("pulumi-config", "log_bin_trust_function_creators", "ON"); err != nil {
			return err
		}
		secureTransport := "OFF"
		if hardened {
			secureTransport = "ON"
			if err := configuration("pulumi-tls-version", "tls_version", "TLSv1.2,TLSv1.3"); err != nil {
				return err
			}
		}
		if err := configuration(AKSSecureTransportName, "require_secure_transport", secureTransport); err != nil {
			return err
		}
		if !hardened {
			if _, err := azureNative(ctx, "azure-native:dbformysql:FirewallRule", AKSFirewallRuleName, pulumi.Map{
				"resourceGroupName": rgName, "serverName": server.Name,
				"startIpAddress": pulumi.String("0.0.0.0"), "endIpAddress": pulumi.String("255.255.255.255"),
			}, onServer); err != nil {
				return err
			}
		}
		if _, err := azureNative(ctx, "azure-native:dbformysql:Database", AKSMySQLServerName, pulumi.Map{
			"databaseName": pulumi.String("pulumi"), "resourceGroupName": rgName, "serverName": server.Name,
		}, onServer); err != nil {
			return err
		}

		// The cluster.
		if err := aksCluster(ctx, rgName, tags, hardened); err != nil {
			return err
		}

		// The edge.
		k8s, err := kubernetes.NewProvider(ctx, "k8s-provider", &kubernetes.ProviderArgs{
			Kubeconfig: config.RequireSecret(ctx, "kubeconfig"),
		})
		if err != nil {
			return err
		}
		opt := pulumi.Provider(k8s)
		ingressNs, err := ingressNamespace(ctx, opt)
		if err != nil {
			return err
		}
		service := pulumi.Map{
			"externalTrafficPolicy": pulumi.String("Local"),
			"loadBalancerIP":        pulumi.String(aksIngressPublicIP),
		}
		chart := aksViolatingChart
		if hardened {
			chart = FixedIngressChart
			service["loadBalancerSourceRanges"] = pulumi.ToStringArray([]string{IngressAllowList})
		}
		if err := ingressNginxRelease(ctx, chart, service, k8s, ingressNs); err != nil {
			return err
		}

		// The service tier.
		ns, err := appNamespace(ctx, opt)
		if err != nil {
			return err
		}
		tier := serviceTier{
			hardened: hardened, opt: opt, namespace: ns,
			dbHost: pulumi.String(AKSMySQLServerName + ".private.mysql.database.azure.com"), dbCA: azureMySQLCertificate,
			ingressAnnotations: map[string]string{"nginx.ingress.kubernetes.io/proxy-body-size": "50m"},
			ingressNamespace:   IngressNamespace,
		}
		plain := func(name string, value pulumi.StringInput) corev1.EnvVarInput { return plainEnv(name, value) }
		var clientSecret, storageKey corev1.EnvVarInput
		if hardened {
			creds, err := tier.secret(ctx, aksCredentialsSecret, pulumi.StringMap{
				"clientSecret": config.RequireSecret(ctx, aksClientSecretConfig),
				"storageKey":   config.RequireSecret(ctx, aksStorageKeyConfig),
			})
			if err != nil {
				return err
			}
			clientSecret, storageKey = fromSecret("AZURE_CLIENT_SECRET", creds, "clientSecret"), fromSecret("AZURE_STORAGE_KEY", creds, "storageKey")
		} else {
			// As the installer has them: plain values of the Deployment.
			clientSecret = plain("AZURE_CLIENT_SECRET", config.RequireSecret(ctx, aksClientSecretConfig))
			storageKey = plain("AZURE_STORAGE_KEY", config.RequireSecret(ctx, aksStorageKeyConfig))
		}
		// blobEndpoint is a container's gocloud.dev URL: from its generated
		// name as the installer has it (not known in a preview), or from
		// the name the hardened twin gives it.
		blobEndpoint := func(name string) pulumi.StringInput {
			if hardened {
				return pulumi.String("azblob://" + name)
			}
			return pulumi.Sprintf("azblob://%s", containers[name].Name)
		}
		tier.apiEnv = corev1.EnvVarArray{
			plain("AZURE_CLIENT_ID", pulumi.String(aksClientID)),
			clientSecret,
			plain("AZURE_TENANT_ID", pulumi.String(aksTenantID)),
			plain("AZURE_SUBSCRIPTION_ID", pulumi.String(aksSubscriptionID)),
			storageKey,
			plain("PULUMI_POLICY_PACK_BLOB_STORAGE_ENDPOINT", blobEndpoint("pulumipolicypacks")),
			plain("PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT", blobEndpoint("pulumicheckpoints")),
			plain("AZURE_STORAGE_ACCOUNT", sa.Name),
			plain("PULUMI_AZURE_KV_URI", pulumi.String("https://pulumi-kms.vault.azure.net/")),
			plain("PULUMI_AZURE_KV_KEY_NAME", pulumi.String("pulumi-service")),
			plain("PULUMI_AZURE_KV_KEY_VERSION", pulumi.String("00112233445566778899aabbccddeeff")),
		}
		return tier.build(ctx)
	}
}

// aksCluster registers the ManagedCluster as aks-hosted's 02-kubernetes
// has it (networkProfile with the SDK's defaults,
// containerServiceNetworkProfileArgsProvideDefaults), or hardened.
func aksCluster(ctx *pulumi.Context, rgName pulumi.StringInput, tags pulumi.StringMap, hardened bool) error {
	pool := pulumi.Map{
		"count": pulumi.Int(2), "mode": pulumi.String("System"), "name": pulumi.String("agentpool"),
		"nodeLabels": pulumi.Map{}, "osDiskSizeGB": pulumi.Int(30), "osType": pulumi.String("Linux"),
		"type": pulumi.String("VirtualMachineScaleSets"), "vmSize": pulumi.String("Standard_DS3_v2"),
		"vnetSubnetID": pulumi.String(AKSNodeSubnetID),
	}
	network := pulumi.Map{
		"networkPlugin": pulumi.String("azure"),
		"dnsServiceIP":  pulumi.String("10.0.0.10"), "outboundType": pulumi.String("loadBalancer"),
		"podCidr": pulumi.String("10.244.0.0/16"), "serviceCidr": pulumi.String("10.0.0.0/16"),
	}
	in := pulumi.Map{
		"resourceGroupName": rgName,
		"servicePrincipalProfile": pulumi.Map{
			"clientId": pulumi.String(aksClientID), "secret": config.RequireSecret(ctx, aksClientSecretConfig),
		},
		"enableRBAC": pulumi.Bool(true),
		"aadProfile": pulumi.Map{"managed": pulumi.Bool(true), "adminGroupObjectIDs": pulumi.ToStringArray([]string{aksAdminGroupID})},
		"dnsPrefix":  pulumi.String(AKSClusterName),
		"linuxProfile": pulumi.Map{"adminUsername": pulumi.String("adminpulumi"), "ssh": pulumi.Map{
			"publicKeys": pulumi.Array{pulumi.Map{"keyData": pulumi.String(aksSSHPublicKey)}},
		}},
		"kubernetesVersion": pulumi.String(aksKubernetesVersion),
		"nodeResourceGroup": pulumi.String(AKSClusterName + "-nodes-rg"),
		"tags":              tags,
	}
	if hardened {
		pool["enableNodePublicIP"] = pulumi.Bool(false)
		network["networkPolicy"] = pulumi.String("azure")
		in["apiServerAccessProfile"] = pulumi.Map{"enablePrivateCluster": pulumi.Bool(true)}
		in["securityProfile"] = pulumi.Map{"azureKeyVaultKms": pulumi.Map{
			"enabled": pulumi.Bool(true), "keyId": pulumi.String(aksKeyVaultKeyID),
			"keyVaultNetworkAccess": pulumi.String("Private"), "keyVaultResourceId": pulumi.String(aksKeyVaultID),
		}}
		in["disableLocalAccounts"] = pulumi.Bool(true)
	}
	in["agentPoolProfiles"] = pulumi.Array{pool}
	in["networkProfile"] = network
	_, err := azureNative(ctx, "azure-native:containerservice:ManagedCluster", AKSClusterName, in)
	return err
}
