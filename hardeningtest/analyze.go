package hardeningtest

import (
	"context"
	"fmt"
	"net"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/server"
)

// Analyze sends recorded resources through the pack's analyzer server the
// way the engine does during a preview or update: Handshake, ConfigureStack,
// GetAnalyzerInfo, Configure (when PolicyConfig is set), Analyze for every
// resource (the stack resource and the default providers included, as the
// engine sends them), then one AnalyzeStack with all of them.
func Analyze(resources []*Resource, opts Options) ([]Finding, error) {
	opts = opts.withDefaults()
	ctx := context.Background()

	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := grpc.NewServer(grpc.MaxRecvMsgSize(400<<20), grpc.MaxSendMsgSize(400<<20))
	pulumirpc.RegisterAnalyzerServer(srv, server.New(opts.Pack))
	go func() { _ = srv.Serve(lis) }()
	defer srv.Stop()

	conn, err := grpc.NewClient(lis.Addr().String(),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(400<<20), grpc.MaxCallSendMsgSize(400<<20)))
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	client := pulumirpc.NewAnalyzerClient(conn)

	root := ""
	if _, err := client.Handshake(ctx, &pulumirpc.AnalyzerHandshakeRequest{
		EngineAddress: "127.0.0.1:0", RootDirectory: &root, ProgramDirectory: &root,
	}); err != nil {
		return nil, fmt.Errorf("Handshake: %w", err)
	}
	if _, err := client.ConfigureStack(ctx, stackConfig(opts)); err != nil {
		return nil, fmt.Errorf("ConfigureStack: %w", err)
	}
	if _, err := client.GetAnalyzerInfo(ctx, &emptypb.Empty{}); err != nil {
		return nil, fmt.Errorf("GetAnalyzerInfo: %w", err)
	}
	if len(opts.PolicyConfig) > 0 {
		req, err := configureRequest(opts.Pack, opts.PolicyConfig)
		if err != nil {
			return nil, err
		}
		if _, err := client.Configure(ctx, req); err != nil {
			return nil, fmt.Errorf("Configure: %w", err)
		}
	}

	all := withEngineResources(resources, opts)
	var findings []Finding
	for _, r := range all {
		resp, err := client.Analyze(ctx, &pulumirpc.AnalyzeRequest{
			Urn:        r.URN,
			Type:       r.Type,
			Name:       r.Name,
			Properties: r.Inputs,
			Options:    &pulumirpc.AnalyzerResourceOptions{Parent: r.Parent},
			Provider:   providerOf(r, opts),
		})
		if err != nil {
			return nil, fmt.Errorf("Analyze %s: %w", r.URN, err)
		}
		findings = append(findings, convert(resp, false)...)
	}

	stackReq := &pulumirpc.AnalyzeStackRequest{}
	for _, r := range all {
		deps := map[string]*pulumirpc.AnalyzerPropertyDependencies{}
		for k, urns := range r.PropertyDependencies {
			deps[k] = &pulumirpc.AnalyzerPropertyDependencies{Urns: urns}
		}
		stackReq.Resources = append(stackReq.Resources, &pulumirpc.AnalyzerResource{
			Urn:                  r.URN,
			Type:                 r.Type,
			Name:                 r.Name,
			Properties:           r.Outputs,
			Options:              &pulumirpc.AnalyzerResourceOptions{Parent: r.Parent},
			Provider:             providerOf(r, opts),
			Parent:               r.Parent,
			Dependencies:         r.Dependencies,
			PropertyDependencies: deps,
		})
	}
	resp, err := client.AnalyzeStack(ctx, stackReq)
	if err != nil {
		return nil, fmt.Errorf("AnalyzeStack: %w", err)
	}
	findings = append(findings, convert(resp, true)...)
	return findings, nil
}

func stackConfig(opts Options) *pulumirpc.AnalyzerStackConfigureRequest {
	req := &pulumirpc.AnalyzerStackConfigureRequest{
		Organization: opts.Organization,
		Project:      opts.Project,
		Stack:        opts.Stack,
		DryRun:       opts.Mode == Preview,
		Config:       map[string]string{},
	}
	for k, v := range opts.Config {
		req.Config[k] = v
	}
	for k, v := range opts.SecretConfig {
		req.Config[k] = v
		req.ConfigSecretKeys = append(req.ConfigSecretKeys, k)
	}
	sort.Strings(req.ConfigSecretKeys)
	return req
}

// configureRequest turns --policy-pack-config style data into the Configure
// message, as the engine does after reading the file.
func configureRequest(pack *policy.Pack, cfg map[string]any) (*pulumirpc.ConfigureAnalyzerRequest, error) {
	req := &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{}}
	for name, v := range cfg {
		pc := &pulumirpc.PolicyConfig{EnforcementLevel: pulumirpc.EnforcementLevel_MANDATORY}
		props := map[string]any{}
		level := ""
		switch t := v.(type) {
		case string:
			level = t
		case map[string]any:
			for k, x := range t {
				if k == "enforcementLevel" {
					s, ok := x.(string)
					if !ok {
						return nil, fmt.Errorf("policy %s: enforcementLevel must be a string", name)
					}
					level = s
					continue
				}
				props[k] = x
			}
		default:
			return nil, fmt.Errorf("policy %s: config must be a level string or an object, got %T", name, v)
		}
		lvl, ok := pulumirpc.EnforcementLevel_value[strings.ToUpper(level)]
		switch {
		case level == "":
			pc.EnforcementLevel = defaultLevel(pack, name)
		case !ok:
			return nil, fmt.Errorf("policy %s: %q is not an enforcement level", name, level)
		default:
			pc.EnforcementLevel = pulumirpc.EnforcementLevel(lvl)
		}
		st, err := structpb.NewStruct(props)
		if err != nil {
			return nil, fmt.Errorf("policy %s: %w", name, err)
		}
		pc.Properties = st
		req.PolicyConfig[name] = pc
	}
	return req, nil
}

// defaultLevel is the level the engine sends for a policy whose config sets
// properties only: the policy's default.
func defaultLevel(pack *policy.Pack, name string) pulumirpc.EnforcementLevel {
	if p := pack.Policy(name); p != nil && p.Level == policy.Advisory {
		return pulumirpc.EnforcementLevel_ADVISORY
	}
	return pulumirpc.EnforcementLevel_MANDATORY
}

// withEngineResources adds what the engine registers beside the program's
// resources: the root stack resource and a default provider per package.
func withEngineResources(resources []*Resource, opts Options) []*Resource {
	stackURN := string(resource.DefaultRootStackURN(tokens.QName(opts.Stack), tokens.PackageName(opts.Project)))
	out := []*Resource{{
		URN: stackURN, Type: string(resource.RootStackType), Name: opts.Project + "-" + opts.Stack,
		Inputs: &structpb.Struct{Fields: map[string]*structpb.Value{}},
	}}
	out[0].Outputs = out[0].Inputs
	seen := map[string]bool{}
	for _, r := range resources {
		if pkg := packageOf(r); r.Custom && pkg != "" && !seen[pkg] {
			seen[pkg] = true
			p := defaultProvider(pkg, opts)
			out = append(out, &Resource{
				URN: p.Urn, Type: p.Type, Name: p.Name, Parent: stackURN, Custom: true,
				Inputs: p.Properties, Outputs: p.Properties,
			})
		}
	}
	for _, r := range resources {
		if r.Parent == "" && r.URN != stackURN {
			c := *r
			c.Parent = stackURN
			r = &c
		}
		out = append(out, r)
	}
	return out
}

func packageOf(r *Resource) string {
	pkg, _, _ := strings.Cut(r.Type, ":")
	if pkg == "pulumi" {
		return ""
	}
	return pkg
}

func defaultProvider(pkg string, opts Options) *pulumirpc.AnalyzerProviderResource {
	name := "default"
	typ := "pulumi:providers:" + pkg
	return &pulumirpc.AnalyzerProviderResource{
		Type: typ,
		Name: name,
		Urn: string(resource.NewURN(tokens.QName(opts.Stack), tokens.PackageName(opts.Project), "",
			tokens.Type(typ), name)),
		Properties: &structpb.Struct{Fields: map[string]*structpb.Value{
			"region": structpb.NewStringValue("us-west-2"),
		}},
	}
}

func providerOf(r *Resource, opts Options) *pulumirpc.AnalyzerProviderResource {
	if pkg := packageOf(r); r.Custom && pkg != "" && !strings.HasPrefix(r.Type, "pulumi:providers:") {
		return defaultProvider(pkg, opts)
	}
	return nil
}

func convert(resp *pulumirpc.AnalyzeResponse, stack bool) []Finding {
	var out []Finding
	for _, d := range resp.GetDiagnostics() {
		out = append(out, Finding{
			Policy:   d.GetPolicyName(),
			URN:      d.GetUrn(),
			Level:    strings.ToLower(d.GetEnforcementLevel().String()),
			Severity: strings.ToLower(strings.TrimPrefix(d.GetSeverity().String(), "POLICY_SEVERITY_")),
			Message:  d.GetMessage(),
			Stack:    stack,
		})
	}
	return out
}
