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
// is the engine address, which is also ignored.
package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

const (
	// pluginVersion is the version of the AWS provider this double pretends to be.
	pluginVersion = "6.83.4"

	// unknownSentinel is how an unknown (computed) value is encoded in a
	// google.protobuf.Struct by the Pulumi engine.
	unknownSentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

	// mockAccountID and mockRegion are the fake account and region that every
	// fabricated ARN and invoke result refers to.
	mockAccountID = "123456789012"
	mockRegion    = "us-west-2"

	// maxMsgSize matches the limit the Pulumi engine uses for plugin traffic.
	maxMsgSize = 400 * 1024 * 1024
)

// provider implements pulumirpc.ResourceProviderServer. Methods that are not
// overridden (Call, Construct, Parameterize, ...) answer Unimplemented.
type provider struct {
	pulumirpc.UnimplementedResourceProviderServer
}

var _ pulumirpc.ResourceProviderServer = provider{}

func (provider) Handshake(
	context.Context, *pulumirpc.ProviderHandshakeRequest,
) (*pulumirpc.ProviderHandshakeResponse, error) {
	return &pulumirpc.ProviderHandshakeResponse{
		AcceptSecrets:   true,
		AcceptResources: true,
		AcceptOutputs:   true,
	}, nil
}

func (provider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: pluginVersion}, nil
}

func (provider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{
		Schema: `{"name":"aws","version":"` + pluginVersion + `"}`,
	}, nil
}

func (provider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: cloneStruct(req.GetNews())}, nil
}

func (provider) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

func (provider) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{
		AcceptSecrets:   true,
		SupportsPreview: true,
		AcceptResources: true,
		AcceptOutputs:   true,
	}, nil
}

func (provider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: cloneStruct(req.GetNews())}, nil
}

// Diff compares old and new inputs key by key at the top level. The engine
// always sends old_inputs; if a caller does not, the old outputs are used
// instead, ignoring the "id" and "arn" keys that Create added to them.
func (provider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds := req.GetOldInputs()
	computed := map[string]bool{}
	if olds == nil {
		olds = req.GetOlds()
		computed["id"], computed["arn"] = true, true
	}
	oldFields := olds.GetFields()
	newFields := req.GetNews().GetFields()

	detailed := map[string]*pulumirpc.PropertyDiff{}
	for k, ov := range oldFields {
		if slices.Contains(req.GetIgnoreChanges(), k) {
			continue
		}
		nv, ok := newFields[k]
		switch {
		case !ok && computed[k]:
			// An output we fabricated, not an input that was removed.
		case !ok:
			detailed[k] = &pulumirpc.PropertyDiff{Kind: pulumirpc.PropertyDiff_DELETE, InputDiff: true}
		case !proto.Equal(ov, nv):
			detailed[k] = &pulumirpc.PropertyDiff{Kind: pulumirpc.PropertyDiff_UPDATE, InputDiff: true}
		}
	}
	for k := range newFields {
		if _, ok := oldFields[k]; ok || slices.Contains(req.GetIgnoreChanges(), k) {
			continue
		}
		detailed[k] = &pulumirpc.PropertyDiff{Kind: pulumirpc.PropertyDiff_ADD, InputDiff: true}
	}

	if len(detailed) == 0 {
		return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
	}
	diffs := make([]string, 0, len(detailed))
	for k := range detailed {
		diffs = append(diffs, k)
	}
	slices.Sort(diffs)
	return &pulumirpc.DiffResponse{
		Changes:         pulumirpc.DiffResponse_DIFF_SOME,
		Diffs:           diffs,
		DetailedDiff:    detailed,
		HasDetailedDiff: true,
	}, nil
}

func (provider) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	props := cloneStruct(req.GetProperties())
	if req.GetPreview() {
		props.Fields["id"] = structpb.NewStringValue(unknownSentinel)
		props.Fields["arn"] = structpb.NewStringValue(unknownSentinel)
		return &pulumirpc.CreateResponse{Id: "", Properties: props}, nil
	}
	name := logicalName(req.GetUrn(), req.GetName())
	id := name + "-id"
	props.Fields["id"] = structpb.NewStringValue(id)
	props.Fields["arn"] = structpb.NewStringValue(mockARN(name))
	return &pulumirpc.CreateResponse{Id: id, Properties: props}, nil
}

func (provider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	resp := &pulumirpc.ReadResponse{Id: req.GetId()}
	if req.GetProperties() != nil {
		resp.Properties = proto.Clone(req.GetProperties()).(*structpb.Struct)
	}
	if req.GetInputs() != nil {
		resp.Inputs = proto.Clone(req.GetInputs()).(*structpb.Struct)
	}
	return resp, nil
}

func (provider) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	props := cloneStruct(req.GetNews())
	for _, k := range []string{"id", "arn"} {
		if v, ok := req.GetOlds().GetFields()[k]; ok {
			props.Fields[k] = proto.Clone(v).(*structpb.Value)
		}
	}
	return &pulumirpc.UpdateResponse{Properties: props}, nil
}

func (provider) Delete(context.Context, *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
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

func (provider) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	ret := &structpb.Struct{Fields: map[string]*structpb.Value{}}
	if m, ok := invokeResults[req.GetTok()]; ok {
		s, err := structpb.NewStruct(m)
		if err != nil {
			return nil, fmt.Errorf("building mock result for %s: %w", req.GetTok(), err)
		}
		ret = s
	}
	return &pulumirpc.InvokeResponse{Return: ret}, nil
}

func (provider) GetMapping(context.Context, *pulumirpc.GetMappingRequest) (*pulumirpc.GetMappingResponse, error) {
	return &pulumirpc.GetMappingResponse{}, nil
}

func (provider) GetMappings(context.Context, *pulumirpc.GetMappingsRequest) (*pulumirpc.GetMappingsResponse, error) {
	return &pulumirpc.GetMappingsResponse{}, nil
}

func (provider) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func (provider) Attach(context.Context, *pulumirpc.PluginAttach) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// cloneStruct deep-copies s (so secret and unknown values pass through
// byte-for-byte) and guarantees a non-nil Fields map for the caller to extend.
func cloneStruct(s *structpb.Struct) *structpb.Struct {
	var c *structpb.Struct
	if s != nil {
		c = proto.Clone(s).(*structpb.Struct)
	} else {
		c = &structpb.Struct{}
	}
	if c.Fields == nil {
		c.Fields = map[string]*structpb.Value{}
	}
	return c
}

// logicalName returns the resource's logical name: the name field when the
// engine sent one, otherwise the part of the URN after the type
// (urn:pulumi:stack::project::type::name), which is the last "::"-separated
// part unless the name itself contains "::".
func logicalName(urn, name string) string {
	if name != "" {
		return name
	}
	parts := strings.SplitN(urn, "::", 4)
	return parts[len(parts)-1]
}

func mockARN(name string) string {
	return "arn:aws:mock:" + mockRegion + ":" + mockAccountID + ":" + name
}

// newServer returns a gRPC server with the fake provider registered.
func newServer() *grpc.Server {
	s := grpc.NewServer(grpc.MaxRecvMsgSize(maxMsgSize), grpc.MaxSendMsgSize(maxMsgSize))
	pulumirpc.RegisterResourceProviderServer(s, provider{})
	return s
}

// engineAddress picks the engine address out of the plugin's arguments: flags
// (with "--tracing" taking a separate value) are skipped and the last
// positional argument wins. It returns "" when there is none.
func engineAddress(args []string) string {
	addr := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			if i+1 < len(args) {
				addr = args[len(args)-1]
			}
			return addr
		case a == "--tracing" || a == "-tracing":
			i++ // skip the endpoint value
		case strings.HasPrefix(a, "-") && a != "-":
			// --logtostderr, -v=9, --tracing=X and anything else: ignored.
		default:
			addr = a
		}
	}
	return addr
}

func main() {
	// The engine address is accepted for compatibility but never dialled.
	_ = engineAddress(os.Args[1:])

	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(os.Stderr, "fakeaws: listen: %v\n", err)
		os.Exit(1)
	}
	srv := newServer()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		srv.Stop()
	}()

	// The engine reads exactly one line from stdout: the port.
	fmt.Printf("%d\n", lis.Addr().(*net.TCPAddr).Port)

	if err := srv.Serve(lis); err != nil {
		fmt.Fprintf(os.Stderr, "fakeaws: serve: %v\n", err)
		os.Exit(1)
	}
}
