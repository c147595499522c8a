// Package fakeprovider is the shared plumbing of this repository's stand-in
// resource providers, which are TEST DOUBLES: internal/e2e/fakeaws (standing
// in for pulumi-resource-aws) and internal/e2e/fakek8s (standing in for
// pulumi-resource-kubernetes). Neither talks to a cloud or a cluster, holds
// credentials or creates anything real.
//
// A Provider answers the resource-provider gRPC protocol the way a real
// provider does for preview and update: inputs pass through untouched (secret
// and unknown values are opaque), Diff compares top-level keys and never asks
// for replacement, Create fabricates outputs through a hook, and invokes
// return fixed mock values. Main serves it the way the engine expects of a
// plugin: a free loopback port printed on stdout, then gRPC until killed.
package fakeprovider

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
	// UnknownSentinel is how an unknown (computed) value is encoded in a
	// google.protobuf.Struct by the Pulumi engine.
	UnknownSentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

	// SecretSig is the key, and SecretSigValue its value, that mark an object
	// as a secret in the engine's Struct encoding ({SecretSig: SecretSigValue,
	// "value": ...}).
	SecretSig      = "4dabf18193072939515e22adb298388d"
	SecretSigValue = "1b47061264138c4ac30d75fd1eb44270"

	// MaxMsgSize matches the limit the Pulumi engine uses for plugin traffic.
	MaxMsgSize = 400 * 1024 * 1024
)

// Hooks is what tells one stand-in provider from another.
type Hooks struct {
	// Name and Version are the package the double pretends to be (GetSchema,
	// GetPluginInfo).
	Name, Version string

	// Check, when set, adjusts the checked inputs of a resource: inputs is a
	// deep copy of req.News that Check may change in place. Without it Check
	// passes the inputs through.
	Check func(req *pulumirpc.CheckRequest, inputs *structpb.Struct) error

	// Create adds fabricated outputs to props (a deep copy of the inputs)
	// and returns the resource's id. In a preview the id must be "" (the
	// engine treats it as unknown) and fabricated outputs that only the
	// cloud knows should be UnknownSentinel.
	Create func(urn, name string, props *structpb.Struct, preview bool) string

	// Computed lists the top-level output keys Create adds that are not
	// inputs: Update keeps them from the old outputs and Diff ignores them
	// when it has to compare against old outputs.
	Computed []string

	// Invokes maps data-source tokens to fixed results; any other token
	// yields an empty result.
	Invokes map[string]map[string]any
}

// Provider implements pulumirpc.ResourceProviderServer from Hooks. Methods
// that are not implemented here (Call, Construct, Parameterize, ...) answer
// Unimplemented.
type Provider struct {
	pulumirpc.UnimplementedResourceProviderServer
	h Hooks
}

var _ pulumirpc.ResourceProviderServer = (*Provider)(nil)

// New returns a provider with the given hooks.
func New(h Hooks) *Provider { return &Provider{h: h} }

func (*Provider) Handshake(
	context.Context, *pulumirpc.ProviderHandshakeRequest,
) (*pulumirpc.ProviderHandshakeResponse, error) {
	return &pulumirpc.ProviderHandshakeResponse{
		AcceptSecrets:   true,
		AcceptResources: true,
		AcceptOutputs:   true,
	}, nil
}

func (p *Provider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: p.h.Version}, nil
}

func (p *Provider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{
		Schema: `{"name":"` + p.h.Name + `","version":"` + p.h.Version + `"}`,
	}, nil
}

// CheckConfig accepts any provider configuration (region, kubeconfig, ...)
// as it is.
func (*Provider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: CloneStruct(req.GetNews())}, nil
}

func (*Provider) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

func (*Provider) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{
		AcceptSecrets:   true,
		SupportsPreview: true,
		AcceptResources: true,
		AcceptOutputs:   true,
	}, nil
}

func (p *Provider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	inputs := CloneStruct(req.GetNews())
	if p.h.Check != nil {
		if err := p.h.Check(req, inputs); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.CheckResponse{Inputs: inputs}, nil
}

// Diff compares old and new inputs key by key at the top level. The engine
// always sends old_inputs; if a caller does not, the old outputs are used
// instead, ignoring the Computed keys that Create added to them.
func (p *Provider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds := req.GetOldInputs()
	computed := map[string]bool{}
	if olds == nil {
		olds = req.GetOlds()
		for _, k := range p.h.Computed {
			computed[k] = true
		}
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

func (p *Provider) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	props := CloneStruct(req.GetProperties())
	id := ""
	if p.h.Create != nil {
		id = p.h.Create(req.GetUrn(), LogicalName(req.GetUrn(), req.GetName()), props, req.GetPreview())
	}
	if req.GetPreview() {
		id = ""
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: props}, nil
}

func (*Provider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	resp := &pulumirpc.ReadResponse{Id: req.GetId()}
	if req.GetProperties() != nil {
		resp.Properties = proto.Clone(req.GetProperties()).(*structpb.Struct)
	}
	if req.GetInputs() != nil {
		resp.Inputs = proto.Clone(req.GetInputs()).(*structpb.Struct)
	}
	return resp, nil
}

// Update returns the new inputs, keeping the Computed outputs of the old
// state.
func (p *Provider) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	props := CloneStruct(req.GetNews())
	for _, k := range p.h.Computed {
		if v, ok := req.GetOlds().GetFields()[k]; ok {
			props.Fields[k] = proto.Clone(v).(*structpb.Value)
		}
	}
	return &pulumirpc.UpdateResponse{Properties: props}, nil
}

func (*Provider) Delete(context.Context, *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func (p *Provider) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	ret := &structpb.Struct{Fields: map[string]*structpb.Value{}}
	if m, ok := p.h.Invokes[req.GetTok()]; ok {
		s, err := structpb.NewStruct(m)
		if err != nil {
			return nil, fmt.Errorf("building mock result for %s: %w", req.GetTok(), err)
		}
		ret = s
	}
	return &pulumirpc.InvokeResponse{Return: ret}, nil
}

func (*Provider) GetMapping(context.Context, *pulumirpc.GetMappingRequest) (*pulumirpc.GetMappingResponse, error) {
	return &pulumirpc.GetMappingResponse{}, nil
}

func (*Provider) GetMappings(context.Context, *pulumirpc.GetMappingsRequest) (*pulumirpc.GetMappingsResponse, error) {
	return &pulumirpc.GetMappingsResponse{}, nil
}

func (*Provider) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func (*Provider) Attach(context.Context, *pulumirpc.PluginAttach) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// CloneStruct deep-copies s (so secret and unknown values pass through
// byte-for-byte) and guarantees a non-nil Fields map for the caller to extend.
func CloneStruct(s *structpb.Struct) *structpb.Struct {
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

// IsSecret reports whether v is a secret in the engine's encoding.
func IsSecret(v *structpb.Value) bool {
	return v.GetStructValue().GetFields()[SecretSig].GetStringValue() == SecretSigValue
}

// IsUnknown reports whether v is an unknown value.
func IsUnknown(v *structpb.Value) bool { return v.GetStringValue() == UnknownSentinel }

// LogicalName returns the resource's logical name: the name field when the
// engine sent one, otherwise the part of the URN after the type
// (urn:pulumi:stack::project::type::name), which is the last "::"-separated
// part unless the name itself contains "::".
func LogicalName(urn, name string) string {
	if name != "" {
		return name
	}
	parts := strings.SplitN(urn, "::", 4)
	return parts[len(parts)-1]
}

// TypeOf returns the type token in a URN
// (urn:pulumi:stack::project::parent$type::name): the last "$"-separated
// part of the third "::"-separated part.
func TypeOf(urn string) string {
	parts := strings.SplitN(urn, "::", 4)
	if len(parts) < 3 {
		return ""
	}
	t := parts[2]
	return t[strings.LastIndex(t, "$")+1:]
}

// PlainString is v's string, looking inside a secret; "" when v is not a
// known string.
func PlainString(v *structpb.Value) string {
	if IsSecret(v) {
		v = v.GetStructValue().GetFields()["value"]
	}
	if IsUnknown(v) {
		return ""
	}
	return v.GetStringValue()
}

// NewServer returns a gRPC server with p registered.
func NewServer(p pulumirpc.ResourceProviderServer) *grpc.Server {
	s := grpc.NewServer(grpc.MaxRecvMsgSize(MaxMsgSize), grpc.MaxSendMsgSize(MaxMsgSize))
	pulumirpc.RegisterResourceProviderServer(s, p)
	return s
}

// EngineAddress picks the engine address out of the plugin's arguments:
// flags (with "--tracing" taking a separate value) are skipped and the last
// positional argument wins. It returns "" when there is none.
func EngineAddress(args []string) string {
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

// Main serves p as a plugin: it listens on 127.0.0.1 on a free port, writes
// that port and a newline to stdout (the one line the engine reads), then
// serves gRPC until SIGINT or SIGTERM. Leading flags that the engine passes
// (--logtostderr, -v=N, --tracing ENDPOINT) are accepted and ignored; the
// engine address (the last positional argument) is never dialled. prog names
// the binary in error messages.
func Main(prog string, p pulumirpc.ResourceProviderServer) {
	_ = EngineAddress(os.Args[1:])

	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: listen: %v\n", prog, err)
		os.Exit(1)
	}
	srv := NewServer(p)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		srv.Stop()
	}()

	fmt.Printf("%d\n", lis.Addr().(*net.TCPAddr).Port)

	if err := srv.Serve(lis); err != nil {
		fmt.Fprintf(os.Stderr, "%s: serve: %v\n", prog, err)
		os.Exit(1)
	}
}
