package server

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

const thing = "test:index/thing:Thing"

// The test pack's guide and sections.
var (
	testGuide = policy.Guide{Name: "Guide", Version: "2026"}
	atRest    = policy.Section{Tag: "encryption-at-rest", Title: "Encryption (at rest)",
		URL: "https://guide.example/hardening#encryption", Why: "the guide asks for encryption"}
	network = policy.Section{Tag: "network", Title: "Network security",
		URL: "https://guide.example/hardening#network-security", Why: "the guide asks for private networks"}
)

// seen records what the test policies were given.
type seen struct {
	resourceFlag, stackFlag bool
	dryRun                  bool
	secretKeys              int
	declared, outputs       string
}

func testPack(t *testing.T, s *seen) *policy.Pack {
	t.Helper()
	flag := []policy.Param{{Name: "flag", Type: policy.Bool, Description: "A flag."}}
	res := &policy.Policy{
		Name: "res-policy", DisplayName: "Resource policy", Description: "Checks things.",
		Section: atRest, Level: policy.Mandatory, Severity: policy.Critical, Remediation: "Fix it.",
		Params: flag, Types: []string{thing}, Reference: "Encryption",
		Controls: []policy.Control{{Standard: "aws-fsbp", ID: "RDS.3", Title: "RDS encrypted",
			URL: "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html"}},
		Resource: func(ctx *policy.ResourceContext) {
			s.resourceFlag = ctx.Config.Bool("flag")
			if v, _ := ctx.String("mode"); v == "bad" {
				ctx.Violationf("mode is bad")
			}
			if v, _ := ctx.String("mode"); v == "panic" {
				panic("boom")
			}
		},
	}
	stack := &policy.Policy{
		Name: "stack-policy", DisplayName: "Stack policy", Description: "Checks the stack.",
		Section: network, Level: policy.Advisory, Severity: policy.Low, Remediation: "Fix it.",
		Params: flag, Reference: "Encryption",
		Stack: func(ctx *policy.StackContext) {
			s.stackFlag = ctx.Config.Bool("flag")
			s.dryRun = ctx.Env.DryRun
			s.secretKeys = len(ctx.Env.SecretKeys)
			for _, r := range ctx.Graph.OfType(thing) {
				s.declared, _ = r.Props.Get(props.MustPath("mode")).Str()
				s.outputs, _ = r.Outputs.Get(props.MustPath("mode")).Str()
				ctx.Violationf(r, "stack finding")
			}
		},
	}
	p, err := policy.NewPack("test-pack", "Test pack", "1.2.3", "A test pack.", testGuide, res, stack)
	if err != nil {
		t.Fatal(err)
	}
	p.Readme, p.Repository, p.Provider, p.Tags = "# Test pack", "https://example.com/repo", "aws", []string{"aws", "test"}
	return p
}

func dial(t *testing.T, pack *policy.Pack) pulumirpc.AnalyzerClient {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer(grpc.ChainUnaryInterceptor(recoverInterceptor(io.Discard)))
	pulumirpc.RegisterAnalyzerServer(srv, New(pack))
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return pulumirpc.NewAnalyzerClient(conn)
}

func obj(t *testing.T, m map[string]any) *structpb.Struct {
	t.Helper()
	return props.EncodeObject(props.FromGo(m))
}

func TestInfoWithoutConfigureStack(t *testing.T) {
	c := dial(t, testPack(t, &seen{}))
	ctx := context.Background()
	pi, err := c.GetPluginInfo(ctx, &emptypb.Empty{})
	if err != nil || pi.GetVersion() != "1.2.3" {
		t.Fatalf("GetPluginInfo: %v %v", pi, err)
	}
	info, err := c.GetAnalyzerInfo(ctx, &emptypb.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	if info.GetName() != "test-pack" || !info.GetSupportsConfig() || len(info.GetPolicies()) != 2 {
		t.Fatalf("info: %v", info)
	}
	p := info.GetPolicies()[0]
	if p.GetName() != "res-policy" || p.GetSeverity() != pulumirpc.PolicySeverity_POLICY_SEVERITY_CRITICAL ||
		p.GetPolicyType() != pulumirpc.PolicyType_POLICY_TYPE_RESOURCE || p.GetRemediationSteps() != "Fix it." ||
		p.GetUrl() != atRest.URL || strings.Join(p.GetTags(), ",") != "encryption-at-rest,aws-fsbp:RDS.3" ||
		p.GetEnforcementLevel() != pulumirpc.EnforcementLevel_MANDATORY || p.GetDisplayName() != "Resource policy" {
		t.Errorf("resource policy metadata: %v", p)
	}
	if f := p.GetFramework(); f.GetName() != "Guide" || f.GetVersion() != "2026" || f.GetReference() != "Encryption" ||
		f.GetSpecification() != atRest.URL {
		t.Errorf("framework: %v", f)
	}
	if info.GetReadme() != "# Test pack" || info.GetRepository() != "https://example.com/repo" ||
		info.GetProvider() != "aws" || strings.Join(info.GetTags(), ",") != "aws,test" {
		t.Errorf("pack metadata: readme %q repository %q provider %q tags %v", info.GetReadme(),
			info.GetRepository(), info.GetProvider(), info.GetTags())
	}
	schema := p.GetConfigSchema().GetProperties().AsMap()
	if f, _ := schema["flag"].(map[string]any); f["type"] != "boolean" || f["default"] != false {
		t.Errorf("schema: %v", schema)
	}
	if _, ok := schema["exclude"]; !ok {
		t.Errorf("no exclude in schema: %v", schema)
	}
	if s := info.GetPolicies()[1]; s.GetPolicyType() != pulumirpc.PolicyType_POLICY_TYPE_STACK ||
		s.GetEnforcementLevel() != pulumirpc.EnforcementLevel_ADVISORY {
		t.Errorf("stack policy metadata: %v", s)
	}
	// Analyze works with no ConfigureStack and no Configure: defaults.
	resp, err := c.Analyze(ctx, &pulumirpc.AnalyzeRequest{Urn: "urn:x::" + thing + "::a", Type: thing, Name: "a",
		Properties: obj(t, map[string]any{"mode": "bad"})})
	if err != nil || len(resp.GetDiagnostics()) != 1 {
		t.Fatalf("Analyze before configuration: %v %v", resp, err)
	}
	d := resp.GetDiagnostics()[0]
	if d.GetSeverity() != pulumirpc.PolicySeverity_POLICY_SEVERITY_CRITICAL || d.GetPolicyPackName() != "test-pack" ||
		d.GetPolicyPackVersion() != "1.2.3" || d.GetUrn() != "urn:x::"+thing+"::a" ||
		d.GetEnforcementLevel() != pulumirpc.EnforcementLevel_MANDATORY || d.GetDescription() != "Checks things." {
		t.Errorf("diagnostic: %v", d)
	}
}

func TestConfigReachesResourceAndStackPolicies(t *testing.T) {
	s := &seen{}
	c := dial(t, testPack(t, s))
	ctx := context.Background()
	if _, err := c.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{
		Stack: "dev", Project: "p", DryRun: true,
		Config:           map[string]string{"p:a": "1", "p:b": "2"},
		ConfigSecretKeys: []string{"p:b"},
	}); err != nil {
		t.Fatal(err)
	}
	flagOn := func() *structpb.Struct { return obj(t, map[string]any{"flag": true}) }
	if _, err := c.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
		"res-policy":   {EnforcementLevel: pulumirpc.EnforcementLevel_ADVISORY, Properties: flagOn()},
		"stack-policy": {EnforcementLevel: pulumirpc.EnforcementLevel_MANDATORY, Properties: flagOn()},
	}}); err != nil {
		t.Fatal(err)
	}
	urn := "urn:pulumi:dev::p::" + thing + "::a"
	resp, err := c.Analyze(ctx, &pulumirpc.AnalyzeRequest{Urn: urn, Type: thing, Name: "a",
		Properties: obj(t, map[string]any{"mode": "bad"})})
	if err != nil {
		t.Fatal(err)
	}
	if !s.resourceFlag || resp.GetDiagnostics()[0].GetEnforcementLevel() != pulumirpc.EnforcementLevel_ADVISORY {
		t.Errorf("resource policy config not delivered: %v %v", s, resp)
	}
	// AnalyzeStack gets outputs; the stack policy must see the inputs from
	// Analyze as the declared properties, and the outputs beside them.
	sresp, err := c.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: []*pulumirpc.AnalyzerResource{
		{Urn: urn, Type: thing, Name: "a", Properties: obj(t, map[string]any{"mode": "provider-default"})},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !s.stackFlag || !s.dryRun || s.secretKeys != 1 {
		t.Errorf("stack policy did not get config and env: %+v", s)
	}
	if s.declared != "bad" || s.outputs != "provider-default" {
		t.Errorf("stack policy props: declared %q outputs %q", s.declared, s.outputs)
	}
	if d := sresp.GetDiagnostics(); len(d) != 1 || d[0].GetEnforcementLevel() != pulumirpc.EnforcementLevel_MANDATORY {
		t.Errorf("stack diagnostics: %v", d)
	}
}

func TestInvalidConfigIsRefusedAndPreviousKept(t *testing.T) {
	s := &seen{}
	c := dial(t, testPack(t, s))
	ctx := context.Background()
	_, err := c.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
		"res-policy": {EnforcementLevel: pulumirpc.EnforcementLevel_DISABLED, Properties: obj(t, map[string]any{"flag": "yes"})},
	}})
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), `policy res-policy: config property "flag"`) {
		t.Fatalf("want InvalidArgument naming policy and key, got %v", err)
	}
	resp, err := c.Analyze(ctx, &pulumirpc.AnalyzeRequest{Urn: "u", Type: thing, Name: "a",
		Properties: obj(t, map[string]any{"mode": "bad"})})
	if err != nil || len(resp.GetDiagnostics()) != 1 {
		t.Errorf("the refused config (disabled) must not take effect: %v %v", resp, err)
	}
	_, err = c.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
		"res-policy": {EnforcementLevel: pulumirpc.EnforcementLevel(42)},
	}})
	if status.Code(err) != codes.InvalidArgument {
		t.Errorf("unknown level: %v", err)
	}
	// remediate maps to mandatory.
	if _, err := c.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
		"stack-policy": {EnforcementLevel: pulumirpc.EnforcementLevel_REMEDIATE},
	}}); err != nil {
		t.Errorf("remediate: %v", err)
	}
}

// TestMisspeltNamesAreTold: a misspelt policy in an exemption tag gives an
// advisory on the resource, whatever its type, under the nearest policy
// (then not "not applicable"); a misspelt policy or property in config is
// refused naming the nearest.
func TestMisspeltNamesAreTold(t *testing.T) {
	c := dial(t, testPack(t, &seen{}))
	ctx := context.Background()
	tags := func(tag string) *structpb.Struct {
		return obj(t, map[string]any{"tags": map[string]any{policy.ExemptTag: tag}})
	}
	for _, typ := range []string{thing, "aws:s3/bucketV2:BucketV2"} {
		r, err := c.Analyze(ctx, &pulumirpc.AnalyzeRequest{Urn: "u-" + typ, Type: typ, Name: "b",
			Properties: tags("res-polcy: legacy")})
		if err != nil {
			t.Fatal(err)
		}
		d := r.GetDiagnostics()
		if len(d) != 1 || d[0].GetPolicyName() != "res-policy" || d[0].GetUrn() != "u-"+typ ||
			d[0].GetEnforcementLevel() != pulumirpc.EnforcementLevel_ADVISORY ||
			!strings.Contains(d[0].GetMessage(), `names "res-polcy", which is not a policy of test-pack, so it exempts nothing; did you mean res-policy?`) {
			t.Errorf("%s: want one advisory under res-policy, got %v", typ, d)
		}
		if len(r.GetNotApplicable()) != 0 {
			t.Errorf("%s: res-policy both reported and not applicable: %v", typ, r.GetNotApplicable())
		}
	}
	// A correct tag on a type no policy looks at: nothing but not applicable.
	r, err := c.Analyze(ctx, &pulumirpc.AnalyzeRequest{Urn: "u", Type: "aws:s3/bucketV2:BucketV2", Name: "b",
		Properties: tags("res-policy: legacy")})
	if err != nil || len(r.GetDiagnostics()) != 0 || len(r.GetNotApplicable()) != 1 {
		t.Errorf("a correct tag: %v %v", r, err)
	}

	for _, cc := range []struct {
		cfg  map[string]*pulumirpc.PolicyConfig
		want string
	}{
		{map[string]*pulumirpc.PolicyConfig{"res-polic": {EnforcementLevel: pulumirpc.EnforcementLevel_DISABLED}},
			`"res-polic" is not a policy of test-pack; did you mean res-policy?`},
		{map[string]*pulumirpc.PolicyConfig{"res-policy": {EnforcementLevel: pulumirpc.EnforcementLevel_ADVISORY,
			Properties: obj(t, map[string]any{"flags": true})}},
			`policy res-policy: unknown config property "flags"; did you mean flag?`},
	} {
		_, err := c.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: cc.cfg})
		if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), cc.want) {
			t.Errorf("want InvalidArgument with %q, got %v", cc.want, err)
		}
	}
}

func TestPanickingPolicyKeepsServing(t *testing.T) {
	c := dial(t, testPack(t, &seen{}))
	ctx := context.Background()
	resp, err := c.Analyze(ctx, &pulumirpc.AnalyzeRequest{Urn: "u1", Type: thing, Name: "a",
		Properties: obj(t, map[string]any{"mode": "panic"})})
	if err != nil {
		t.Fatalf("a panic in a policy must be a diagnostic, not an error: %v", err)
	}
	if d := resp.GetDiagnostics(); len(d) != 1 || !strings.Contains(d[0].GetMessage(), "policy res-policy failed") {
		t.Errorf("panic diagnostic: %v", d)
	}
	if _, err := c.GetPluginInfo(ctx, &emptypb.Empty{}); err != nil {
		t.Errorf("server gone after a panic: %v", err)
	}
	// Nil properties and an empty request are survivable too.
	if _, err := c.Analyze(ctx, &pulumirpc.AnalyzeRequest{Type: thing}); err != nil {
		t.Errorf("empty request: %v", err)
	}
	if _, err := c.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: []*pulumirpc.AnalyzerResource{{}}}); err != nil {
		t.Errorf("empty stack resource: %v", err)
	}
	if r, err := c.Remediate(ctx, &pulumirpc.AnalyzeRequest{}); err != nil || len(r.GetRemediations()) != 0 ||
		len(r.GetNotApplicable()) != 1 || r.GetNotApplicable()[0].GetPolicyName() != "res-policy" {
		t.Errorf("Remediate: want no remediation and the resource policy not applicable: %v %v", r, err)
	}
	// A resource policy reports itself not applicable to other types, so
	// Pulumi Cloud does not count it as passed there.
	r, err := c.Analyze(ctx, &pulumirpc.AnalyzeRequest{Urn: "u2", Type: "aws:s3/bucketV2:BucketV2", Name: "b"})
	if err != nil || len(r.GetNotApplicable()) != 1 || r.GetNotApplicable()[0].GetPolicyName() != "res-policy" ||
		r.GetNotApplicable()[0].GetReason() == "" {
		t.Errorf("not applicable: %v %v", r, err)
	}
	if r, err := c.Analyze(ctx, &pulumirpc.AnalyzeRequest{Urn: "u3", Type: thing, Name: "a"}); err != nil ||
		len(r.GetNotApplicable()) != 0 {
		t.Errorf("applicable type reported not applicable: %v %v", r, err)
	}
	if _, err := c.Cancel(ctx, &emptypb.Empty{}); err != nil {
		t.Errorf("Cancel: %v", err)
	}
}

func TestRecoverInterceptor(t *testing.T) {
	var logged bytes.Buffer
	h := recoverInterceptor(&logged)
	_, err := h(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: "/x/Y"},
		func(context.Context, any) (any, error) {
			var m map[string]int
			m["x"]++
			return nil, nil
		})
	if status.Code(err) != codes.Internal || !strings.Contains(err.Error(), "assignment to entry in nil map") ||
		!strings.Contains(logged.String(), "panic in /x/Y") {
		t.Errorf("got %v, logged %q", err, logged.String())
	}
	// A panic value of the pack's own may hold a property value: neither the
	// error nor the log shows it.
	logged.Reset()
	_, err = h(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: "/x/Y"},
		func(context.Context, any) (any, error) { panic("value hunter2-secret") })
	if status.Code(err) != codes.Internal || strings.Contains(err.Error()+logged.String(), "hunter2") {
		t.Errorf("panic value shown: %v / %q", err, logged.String())
	}
}

// startRun runs the plugin main loop and returns the port it printed.
func startRun(t *testing.T, ctx context.Context, args []string) (int, chan error) {
	t.Helper()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- Run(ctx, testPack(t, &seen{}), args, pw, io.Discard); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the port: %v", err)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	port, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || port <= 0 {
		t.Fatalf("first line %q is not a port", line)
	}
	return port, done
}

func TestRunFollowsThePluginProtocol(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	// Flags the engine may pass come first; the engine address last.
	port, done := startRun(t, ctx, []string{"--logtostderr", "-v=9", "--tracing", "127.0.0.1:1"})
	conn, err := grpc.NewClient("127.0.0.1:"+strconv.Itoa(port), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := pulumirpc.NewAnalyzerClient(conn).GetPluginInfo(ctx, &emptypb.Empty{}); err != nil {
		t.Fatalf("GetPluginInfo over the printed port: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop when its context ended")
	}
}

func TestRunPrintsVersion(t *testing.T) {
	var out bytes.Buffer
	if err := Run(context.Background(), testPack(t, &seen{}), []string{"--version"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if out.String() != "1.2.3\n" {
		t.Errorf("--version printed %q", out.String())
	}
}

func TestRunStopsWhenTheEngineIsGone(t *testing.T) {
	old := engineCheckInterval
	engineCheckInterval = 20 * time.Millisecond
	defer func() { engineCheckInterval = old }()

	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	engine := grpc.NewServer()
	go func() { _ = engine.Serve(lis) }()
	_, done := startRun(t, context.Background(), []string{lis.Addr().String()})

	select {
	case err := <-done:
		t.Fatalf("stopped while the engine was alive: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	engine.Stop()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the pack outlived its engine")
	}
}

func TestRemediateReturnsOnlyTheChange(t *testing.T) {
	fix := &policy.Policy{
		Name: "fix-policy", DisplayName: "Fix policy", Description: "Turns things on.",
		Section: atRest, Level: policy.Mandatory, Severity: policy.High, Remediation: "Turn it on.",
		Types: []string{thing}, Reference: "Encryption", Fixes: "sets block.on and top to true",
		Resource: func(ctx *policy.ResourceContext) {
			if on, st := ctx.Bool("block.on"); !on {
				var fix policy.Fix
				if st == policy.Known {
					fix.Edits = []policy.Edit{{Path: "block.on", Value: true}, {Path: "fresh.made", Value: "yes"}}
				}
				ctx.Report(fix, "block.on is off")
			}
		},
	}
	pack, err := policy.NewPack("fix-pack", "Fix pack", "1.0.0", "Fixes.", testGuide, fix)
	if err != nil {
		t.Fatal(err)
	}
	c := dial(t, pack)
	ctx := context.Background()
	// The block is a secret; another property is an output value and an
	// asset-like object the pack does not model: all must come back as sent.
	secretBlock := structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{
		sigKey: structpb.NewStringValue(sigSecret),
		"value": structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{
			"on": structpb.NewBoolValue(false), "pw": structpb.NewStringValue("hunter2-secret")}}),
	}})
	asset := structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{
		sigKey: structpb.NewStringValue("c44067f5952c0a294b673a41bacd8c17"), "text": structpb.NewStringValue("body")}})
	in := &structpb.Struct{Fields: map[string]*structpb.Value{"block": secretBlock, "asset": asset}}
	req := &pulumirpc.AnalyzeRequest{Urn: "urn:x::" + thing + "::a", Type: thing, Name: "a", Properties: in}

	r, err := c.Remediate(ctx, req)
	if err != nil || len(r.GetRemediations()) != 0 {
		t.Fatalf("at mandatory: %v %v", r, err)
	}
	if _, err := c.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
		"fix-policy": {EnforcementLevel: pulumirpc.EnforcementLevel_REMEDIATE}}}); err != nil {
		t.Fatal(err)
	}
	r, err = c.Remediate(ctx, req)
	if err != nil || len(r.GetRemediations()) != 1 || len(r.GetNotApplicable()) != 0 {
		t.Fatalf("at remediate: %v %v", r, err)
	}
	got := r.GetRemediations()[0]
	want := proto.Clone(in).(*structpb.Struct)
	want.Fields["block"].GetStructValue().Fields["value"].GetStructValue().Fields["on"] = structpb.NewBoolValue(true)
	want.Fields["fresh"] = structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{
		"made": structpb.NewStringValue("yes")}})
	if !proto.Equal(got.GetProperties(), want) {
		t.Errorf("properties:\n got %v\nwant %v", got.GetProperties(), want)
	}
	if got.GetPolicyName() != "fix-policy" || got.GetPolicyPackName() != "fix-pack" || got.GetPolicyPackVersion() != "1.0.0" ||
		!strings.Contains(got.GetDescription(), "block.on") || strings.Contains(got.GetDescription(), "hunter2") {
		t.Errorf("remediation: %v", got)
	}
	// Analyze of the fixed inputs passes; a violation that remains at
	// remediate is mandatory.
	a, err := c.Analyze(ctx, &pulumirpc.AnalyzeRequest{Urn: req.Urn, Type: thing, Name: "a", Properties: got.GetProperties()})
	if err != nil || len(a.GetDiagnostics()) != 0 {
		t.Errorf("analyze of the fixed inputs: %v %v", a, err)
	}
	unknown := &structpb.Struct{Fields: map[string]*structpb.Value{"block": structpb.NewStructValue(&structpb.Struct{
		Fields: map[string]*structpb.Value{"on": structpb.NewStringValue("04da6b54-80e4-46f7-96ec-b56ff0331ba9")}})}}
	if r, err := c.Remediate(ctx, &pulumirpc.AnalyzeRequest{Urn: req.Urn, Type: thing, Name: "a", Properties: unknown}); err != nil ||
		len(r.GetRemediations()) != 0 {
		t.Errorf("remediated an unknown: %v %v", r, err)
	}
	bad := &structpb.Struct{Fields: map[string]*structpb.Value{"block": structpb.NewStructValue(&structpb.Struct{
		Fields: map[string]*structpb.Value{"on": structpb.NewBoolValue(false)}})}}
	a, err = c.Analyze(ctx, &pulumirpc.AnalyzeRequest{Urn: req.Urn, Type: thing, Name: "a", Properties: bad})
	if err != nil || len(a.GetDiagnostics()) != 1 || a.GetDiagnostics()[0].GetEnforcementLevel() != pulumirpc.EnforcementLevel_MANDATORY {
		t.Errorf("a violation at remediate: %v %v", a, err)
	}
}
