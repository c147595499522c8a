// Command fakegcp is a stand-in TEST DOUBLE for the Pulumi Google Cloud
// resource provider. It is NOT the GCP provider: it never calls Google Cloud
// (or any other network service), holds no credentials and creates no real
// resources.
//
// It exists only for this repository's end-to-end tests and demo, which run
// the real Pulumi CLI with the policy pack against Automation API programs
// that register gcp resources by type token with the inputs @pulumi/gcp 9.x
// sends (the pulumi-gcp/sdk/v9 Go packages take minutes each to compile).
// Those programs ask for a resource plugin named "gcp" at version 9.6.0, the
// one github.com/pulumi/pulumi-gcp/sdk/v9 v9.6.0 would ask for; the tests
// build this binary and install it in place of the real one with
//
//	pulumi plugin install resource gcp 9.6.0 --file <built binary>
//
// Behaviour, in short, as the real provider's preview and update look to the
// engine and the pack:
//
//   - Check passes inputs through and, like the real provider, autonames a
//     resource of an autonamed type whose "name" is absent:
//     "<logical name>-<7 hex>", the hex taken from a hash of the URN (the
//     real provider uses a random seed). It applies none of the Terraform
//     schema's defaults.
//   - Create returns the inputs plus "id" and "selfLink" and, per type, what
//     only Google Cloud knows (a bucket's url, an instance's connectionName
//     and addresses, a cluster's endpoint); all unknown in a preview, except
//     the name, which Check made known.
//   - Diff compares top-level keys and never asks for replacement; secret
//     and unknown values are passed through opaquely; invokes return fixed
//     mock values (the client config).
//
// It is served with the plumbing it shares with the other stand-ins
// (internal/e2e/fakeprovider): a free loopback port written to stdout, then
// gRPC until it is killed.
package main

import (
	"crypto/sha256"
	"encoding/hex"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/e2e/fakeprovider"
)

const (
	// pluginVersion is the version of the GCP provider this double pretends
	// to be: the one github.com/pulumi/pulumi-gcp/sdk/v9 v9.6.0 asks for.
	pluginVersion = "9.6.0"

	project = "pulumi-selfhosted-demo"
	region  = "us-central1"
)

// autonamed are the types whose "name" the real provider generates when the
// program sets none.
var autonamed = map[string]bool{
	"gcp:storage/bucket:Bucket":                 true,
	"gcp:sql/databaseInstance:DatabaseInstance": true,
	"gcp:container/cluster:Cluster":             true,
	"gcp:container/nodePool:NodePool":           true,
	"gcp:compute/firewall:Firewall":             true,
	"gcp:compute/network:Network":               true,
	"gcp:compute/subnetwork:Subnetwork":         true,
	"gcp:compute/globalAddress:GlobalAddress":   true,
	"gcp:kms/keyRing:KeyRing":                   true,
	"gcp:kms/cryptoKey:CryptoKey":               true,
}

var hooks = fakeprovider.Hooks{
	Name:     "gcp",
	Version:  pluginVersion,
	Check:    check,
	Create:   create,
	Computed: []string{"id", "selfLink", "url", "connectionName", "firstIpAddress", "privateIpAddress", "endpoint", "masterAuth"},
	Invokes: map[string]map[string]any{
		"gcp:organizations/getClientConfig:getClientConfig": {
			"project": project, "region": region, "zone": region + "-a", "accessToken": "", "id": project,
		},
	},
}

// check autonames the resource when it is of an autonamed type and sets no
// name.
func check(req *pulumirpc.CheckRequest, inputs *structpb.Struct) error {
	if !autonamed[fakeprovider.TypeOf(req.GetUrn())] {
		return nil
	}
	if _, named := inputs.Fields["name"]; named {
		return nil
	}
	sum := sha256.Sum256([]byte(req.GetUrn()))
	inputs.Fields["name"] = structpb.NewStringValue(
		fakeprovider.LogicalName(req.GetUrn(), req.GetName()) + "-" + hex.EncodeToString(sum[:4])[:7])
	return nil
}

// create adds the outputs only Google Cloud knows: unknown in a preview,
// fabricated in an update.
func create(urn, logical string, props *structpb.Struct, preview bool) string {
	typ := fakeprovider.TypeOf(urn)
	name := fakeprovider.PlainString(props.Fields["name"])
	if name == "" {
		name = logical
	}
	out := map[string]string{"selfLink": "https://www.googleapis.com/fake/v1/projects/" + project + "/" + name}
	id := "projects/" + project + "/" + name
	switch typ {
	case "gcp:storage/bucket:Bucket":
		id = name
		out["url"] = "gs://" + name
	case "gcp:sql/databaseInstance:DatabaseInstance":
		id = name
		out["connectionName"] = project + ":" + region + ":" + name
		out["firstIpAddress"] = "10.20.0.3"
		out["privateIpAddress"] = "10.20.0.3"
	case "gcp:container/cluster:Cluster":
		id = "projects/" + project + "/locations/" + region + "/clusters/" + name
		out["endpoint"] = "10.30.0.2"
	}
	out["id"] = id
	for k, v := range out {
		if preview {
			v = fakeprovider.UnknownSentinel
		}
		props.Fields[k] = structpb.NewStringValue(v)
	}
	if typ == "gcp:container/cluster:Cluster" {
		if preview {
			props.Fields["masterAuth"] = structpb.NewStringValue(fakeprovider.UnknownSentinel)
		} else {
			props.Fields["masterAuth"] = structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{
				"clusterCaCertificate": structpb.NewStringValue("LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="),
			}})
		}
	}
	return id
}

// newServer returns a gRPC server with the fake provider registered.
func newServer() *grpc.Server { return fakeprovider.NewServer(fakeprovider.New(hooks)) }

func main() { fakeprovider.Main("fakegcp", fakeprovider.New(hooks)) }
