// Command fakeaws is a stand-in TEST DOUBLE for the Pulumi AWS resource
// provider. It is NOT the AWS provider: it never calls AWS (or any other
// network service), holds no credentials and creates no real resources.
//
// It exists only for this repository's end-to-end tests, which run the real
// Pulumi CLI with the policy pack against Automation API programs written with
// github.com/pulumi/pulumi-aws/sdk/v6. Those programs need a resource plugin
// named "aws" at version 6.83.4; the tests build this binary and install it in
// place of the real one with
//
//	pulumi plugin install resource aws 6.83.4 --file <built binary>
//
// Behaviour, in short: inputs are passed through untouched (including secret
// and unknown values, which are treated as opaque), Create fabricates an "id"
// and an "arn", Diff compares top-level keys and never asks for replacement,
// and a handful of data-source invokes return fixed mock values.
//
// It is served like any Pulumi plugin: it listens on 127.0.0.1 on a free port,
// writes that port and a newline to stdout, then serves gRPC until it is
// killed. Leading flags that the engine passes (--logtostderr, -v=N,
// --tracing ENDPOINT) are accepted and ignored; the last positional argument
// is the engine address, which is also ignored. The protocol plumbing is
// shared with the stand-in Kubernetes provider in internal/e2e/fakeprovider.
package main

import (
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/e2e/fakeprovider"
)

const (
	// pluginVersion is the version of the AWS provider this double pretends to be.
	pluginVersion = "6.83.4"

	// unknownSentinel is how an unknown (computed) value is encoded in a
	// google.protobuf.Struct by the Pulumi engine.
	unknownSentinel = fakeprovider.UnknownSentinel

	// mockAccountID and mockRegion are the fake account and region that every
	// fabricated ARN and invoke result refers to.
	mockAccountID = "123456789012"
	mockRegion    = "us-west-2"
)

// hooks make the shared stand-in answer as the AWS provider: Create adds an
// "id" and an "arn" (unknown in a preview), which Update keeps.
var hooks = fakeprovider.Hooks{
	Name:     "aws",
	Version:  pluginVersion,
	Create:   create,
	Computed: []string{"id", "arn"},
	Invokes:  invokeResults,
}

func create(_, name string, props *structpb.Struct, preview bool) string {
	if preview {
		props.Fields["id"] = structpb.NewStringValue(unknownSentinel)
		props.Fields["arn"] = structpb.NewStringValue(unknownSentinel)
		return ""
	}
	id := name + "-id"
	props.Fields["id"] = structpb.NewStringValue(id)
	props.Fields["arn"] = structpb.NewStringValue(mockARN(name))
	return id
}

// invokeResults maps data-source tokens to their fixed mock results. Any other
// token yields an empty result.
var invokeResults = map[string]map[string]any{
	"aws:index/getCallerIdentity:getCallerIdentity": {
		"accountId": mockAccountID,
		"arn":       "arn:aws:iam::" + mockAccountID + ":user/mock",
		"userId":    "mock",
		"id":        mockAccountID,
	},
	"aws:index/getRegion:getRegion": {
		"name":        mockRegion,
		"id":          mockRegion,
		"region":      mockRegion,
		"description": "mock",
	},
	"aws:index/getPartition:getPartition": {
		"partition": "aws",
		"dnsSuffix": "amazonaws.com",
		"id":        "aws",
	},
	"aws:ec2/getVpc:getVpc": {
		"id":        "vpc-mock",
		"cidrBlock": "10.0.0.0/16",
		"arn":       "arn:aws:ec2:" + mockRegion + ":" + mockAccountID + ":vpc/vpc-mock",
	},
}

func mockARN(name string) string {
	return "arn:aws:mock:" + mockRegion + ":" + mockAccountID + ":" + name
}

// newServer returns a gRPC server with the fake provider registered.
func newServer() *grpc.Server { return fakeprovider.NewServer(fakeprovider.New(hooks)) }

// engineAddress picks the engine address out of the plugin's arguments.
func engineAddress(args []string) string { return fakeprovider.EngineAddress(args) }

func main() { fakeprovider.Main("fakeaws", fakeprovider.New(hooks)) }
