// Command fakeazure is a stand-in TEST DOUBLE for the Pulumi Azure Native
// resource provider. It is NOT the Azure Native provider: it never calls
// Azure (or any other network service), holds no credentials and creates no
// real resources.
//
// It exists only for this repository's end-to-end tests and demo, which run
// the real Pulumi CLI with the policy pack against Automation API programs
// that register azure-native resources by type token (the azure-native Go
// SDK is not on the Go module proxy). Those programs ask for a resource
// plugin named "azure-native" at version 3.28.0 (a real release of the v3
// provider, whose @pulumi/azure-native package gives the input shapes); the
// tests build this binary and install it in place of the real one with
//
//	pulumi plugin install resource azure-native 3.28.0 --file <built binary>
//
// Behaviour, in short, as the real provider's preview and update look to the
// engine and the pack:
//
//   - Check passes inputs through and, like the real provider, autonames a
//     resource whose name input (accountName, serverName, resourceName, ...)
//     is absent: "<logical name><8 hex>" (a storage account's: lower-case
//     letters and digits, at most 24), the hex taken from a hash of the URN
//     (the real provider uses a random seed).
//   - Create returns the inputs plus "name" (the Azure name) and "id" (an
//     Azure resource id under a fixed subscription), both unknown in a
//     preview, and "azureApiVersion".
//   - Diff compares top-level keys and never asks for replacement; secret
//     and unknown values are passed through opaquely; invokes return empty
//     results.
//
// It is served with the plumbing it shares with the other stand-ins
// (internal/e2e/fakeprovider): a free loopback port written to stdout, then
// gRPC until it is killed.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/e2e/fakeprovider"
)

// pluginVersion is the azure-native release this double pretends to be.
const pluginVersion = "3.28.0"

// subscription is the fake subscription every fabricated id lies in.
const subscription = "00000000-0000-0000-0000-000000000000"

// kind is what the double knows of one resource type: the input that names
// it, its ARM resource type, the API version 3.28.0 uses for it, and the
// input naming its parent (a container's account, a rule's server).
type kind struct {
	nameInput, armType, apiVersion, parentInput, parentType string
}

// kinds are the types the end-to-end programs register. Any other token is
// passed through without an autoname, with a generic id.
var kinds = map[string]kind{
	"azure-native:resources:ResourceGroup":              {nameInput: "resourceGroupName", apiVersion: "2024-03-01"},
	"azure-native:storage:StorageAccount":               {nameInput: "accountName", armType: "Microsoft.Storage/storageAccounts", apiVersion: "2024-01-01"},
	"azure-native:storage:BlobContainer":                {nameInput: "containerName", armType: "blobServices/default/containers", apiVersion: "2024-01-01", parentInput: "accountName", parentType: "Microsoft.Storage/storageAccounts"},
	"azure-native:dbformysql:Server":                    {nameInput: "serverName", armType: "Microsoft.DBforMySQL/flexibleServers", apiVersion: "2024-02-01-preview"},
	"azure-native:dbformysql:Configuration":             {nameInput: "configurationName", armType: "configurations", apiVersion: "2023-12-30", parentInput: "serverName", parentType: "Microsoft.DBforMySQL/flexibleServers"},
	"azure-native:dbformysql:FirewallRule":              {nameInput: "firewallRuleName", armType: "firewallRules", apiVersion: "2023-12-30", parentInput: "serverName", parentType: "Microsoft.DBforMySQL/flexibleServers"},
	"azure-native:dbformysql:Database":                  {nameInput: "databaseName", armType: "databases", apiVersion: "2023-12-30", parentInput: "serverName", parentType: "Microsoft.DBforMySQL/flexibleServers"},
	"azure-native:containerservice:ManagedCluster":      {nameInput: "resourceName", armType: "Microsoft.ContainerService/managedClusters", apiVersion: "2025-09-01"},
	"azure-native:network:VirtualNetwork":               {nameInput: "virtualNetworkName", armType: "Microsoft.Network/virtualNetworks", apiVersion: "2024-05-01"},
	"azure-native:network:Subnet":                       {nameInput: "subnetName", armType: "subnets", apiVersion: "2024-05-01", parentInput: "virtualNetworkName", parentType: "Microsoft.Network/virtualNetworks"},
	"azure-native:network:NetworkSecurityGroup":         {nameInput: "networkSecurityGroupName", armType: "Microsoft.Network/networkSecurityGroups", apiVersion: "2024-05-01"},
	"azure-native:network:SecurityRule":                 {nameInput: "securityRuleName", armType: "securityRules", apiVersion: "2024-05-01", parentInput: "networkSecurityGroupName", parentType: "Microsoft.Network/networkSecurityGroups"},
	"azure-native:network:PrivateZone":                  {nameInput: "privateZoneName", armType: "Microsoft.Network/privateDnsZones", apiVersion: "2024-06-01"},
	"azure-native:keyvault:Vault":                       {nameInput: "vaultName", armType: "Microsoft.KeyVault/vaults", apiVersion: "2024-11-01"},
	"azure-native:managedidentity:UserAssignedIdentity": {nameInput: "resourceName", armType: "Microsoft.ManagedIdentity/userAssignedIdentities", apiVersion: "2023-01-31"},
}

var hooks = fakeprovider.Hooks{
	Name:     "azure-native",
	Version:  pluginVersion,
	Check:    check,
	Create:   create,
	Computed: []string{"id", "name", "azureApiVersion"},
}

// check autonames the resource when its name input is absent.
func check(req *pulumirpc.CheckRequest, inputs *structpb.Struct) error {
	k, ok := kinds[fakeprovider.TypeOf(req.GetUrn())]
	if !ok {
		return nil
	}
	if _, named := inputs.Fields[k.nameInput]; named {
		return nil
	}
	inputs.Fields[k.nameInput] = structpb.NewStringValue(autoname(fakeprovider.TypeOf(req.GetUrn()), req.GetUrn(), req.GetName()))
	return nil
}

// autoname is "<logical name><8 hex chars>", deterministic from the URN; a
// storage account's name keeps only lower-case letters and digits, at most 24.
func autoname(typ, urn, name string) string {
	sum := sha256.Sum256([]byte(urn))
	n := fakeprovider.LogicalName(urn, name) + hex.EncodeToString(sum[:4])
	if typ != "azure-native:storage:StorageAccount" {
		return n
	}
	var b strings.Builder
	for _, r := range strings.ToLower(n) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	s := b.String()
	if len(s) > 24 {
		s = s[len(s)-24:]
	}
	return s
}

// create adds name, id and azureApiVersion; name and id are unknown in a
// preview.
func create(urn, name string, props *structpb.Struct, preview bool) string {
	typ := fakeprovider.TypeOf(urn)
	k := kinds[typ]
	if k.apiVersion != "" {
		props.Fields["azureApiVersion"] = structpb.NewStringValue(k.apiVersion)
	}
	if preview {
		props.Fields["id"] = structpb.NewStringValue(fakeprovider.UnknownSentinel)
		props.Fields["name"] = structpb.NewStringValue(fakeprovider.UnknownSentinel)
		return ""
	}
	azName := fakeprovider.PlainString(props.Fields[k.nameInput])
	if azName == "" {
		azName = name
	}
	id := armID(typ, k, props, azName)
	props.Fields["name"] = structpb.NewStringValue(azName)
	props.Fields["id"] = structpb.NewStringValue(id)
	return id
}

// armID is the resource's Azure id: /subscriptions/<sub>/resourceGroups/<rg>
// for a resource group, else .../providers/<type>/<name>, under the parent
// resource for a child type.
func armID(typ string, k kind, props *structpb.Struct, azName string) string {
	rg := fakeprovider.PlainString(props.Fields["resourceGroupName"])
	if typ == "azure-native:resources:ResourceGroup" {
		return "/subscriptions/" + subscription + "/resourceGroups/" + azName
	}
	if rg == "" {
		rg = "unknown"
	}
	base := "/subscriptions/" + subscription + "/resourceGroups/" + rg + "/providers/"
	if k.armType == "" {
		return base + "Microsoft.Unknown/" + strings.ReplaceAll(typ, ":", "_") + "/" + azName
	}
	if k.parentInput != "" {
		return base + k.parentType + "/" + fakeprovider.PlainString(props.Fields[k.parentInput]) + "/" + k.armType + "/" + azName
	}
	return base + k.armType + "/" + azName
}

// newServer returns a gRPC server with the fake provider registered.
func newServer() *grpc.Server { return fakeprovider.NewServer(fakeprovider.New(hooks)) }

func main() { fakeprovider.Main("fakeazure", fakeprovider.New(hooks)) }
