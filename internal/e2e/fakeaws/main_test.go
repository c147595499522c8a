package main

import (
	"context"
	"slices"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/e2e/fakeprovider/providertest"
)

const (
	secretSig   = "4dabf18193072939515e22adb298388d"
	secretValue = "1b47061264138c4ac30d75fd1eb44270"
	testURN     = "urn:pulumi:dev::proj::aws:s3/bucketV2:BucketV2::my-bucket"
)

func stringField(t *testing.T, s *structpb.Struct, k string) string {
	t.Helper()
	v, ok := s.GetFields()[k]
	if !ok {
		t.Fatalf("missing field %q in %v", k, s)
	}
	return v.GetStringValue()
}

func TestCheckPassthrough(t *testing.T) {
	client := providertest.Start(t, newServer())
	ctx := providertest.Context(t)

	news := providertest.Struct(t, map[string]any{
		"bucket":   "b",
		"password": providertest.Secret("hunter2"),
		"tags":     map[string]any{"env": providertest.Secret("prod")},
		"computed": unknownSentinel,
	})
	for _, tc := range []struct {
		name string
		call func(context.Context, *pulumirpc.CheckRequest, ...grpc.CallOption) (*pulumirpc.CheckResponse, error)
	}{
		{"Check", client.Check},
		{"CheckConfig", client.CheckConfig},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := tc.call(ctx, &pulumirpc.CheckRequest{Urn: testURN, News: news})
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if len(resp.GetFailures()) != 0 {
				t.Errorf("unexpected failures: %v", resp.GetFailures())
			}
			if !proto.Equal(resp.GetInputs(), news) {
				t.Errorf("inputs changed:\n got %v\nwant %v", resp.GetInputs(), news)
			}
			pw := resp.GetInputs().GetFields()["password"].GetStructValue()
			if got := stringField(t, pw, secretSig); got != secretValue {
				t.Errorf("secret signature = %q, want %q", got, secretValue)
			}
		})
	}
}

func TestCreate(t *testing.T) {
	client := providertest.Start(t, newServer())
	ctx := providertest.Context(t)

	inputs := providertest.Struct(t, map[string]any{"bucket": "b", "password": providertest.Secret("hunter2")})
	for _, tc := range []struct {
		name    string
		preview bool
		wantID  string
		wantARN string
	}{
		{"preview", true, "", unknownSentinel},
		{"apply", false, "my-bucket-id", "arn:aws:mock:us-west-2:123456789012:my-bucket"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := client.Create(ctx, &pulumirpc.CreateRequest{
				Urn: testURN, Properties: inputs, Preview: tc.preview,
			})
			if err != nil {
				t.Fatalf("Create: %v", err)
			}
			if resp.GetId() != tc.wantID {
				t.Errorf("Id = %q, want %q", resp.GetId(), tc.wantID)
			}
			props := resp.GetProperties()
			wantPropID := tc.wantID
			if tc.preview {
				wantPropID = unknownSentinel
			}
			if got := stringField(t, props, "id"); got != wantPropID {
				t.Errorf("properties.id = %q, want %q", got, wantPropID)
			}
			if got := stringField(t, props, "arn"); got != tc.wantARN {
				t.Errorf("properties.arn = %q, want %q", got, tc.wantARN)
			}
			for k, v := range inputs.GetFields() {
				if !proto.Equal(props.GetFields()[k], v) {
					t.Errorf("input %q not passed through: got %v, want %v", k, props.GetFields()[k], v)
				}
			}
		})
	}
	if len(inputs.GetFields()) != 2 {
		t.Errorf("Create mutated the request inputs: %v", inputs)
	}
}

func TestDiff(t *testing.T) {
	client := providertest.Start(t, newServer())
	ctx := providertest.Context(t)

	base := map[string]any{"bucket": "b", "tags": map[string]any{"env": "dev"}, "password": providertest.Secret("x")}
	outputs := map[string]any{"bucket": "b", "tags": map[string]any{"env": "dev"}, "password": providertest.Secret("x"),
		"id": "my-bucket-id", "arn": "arn:aws:mock:us-west-2:123456789012:my-bucket"}
	with := func(m map[string]any, k string, v any) map[string]any {
		c := map[string]any{}
		for kk, vv := range m {
			c[kk] = vv
		}
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}

	for _, tc := range []struct {
		name      string
		oldInputs map[string]any // nil: not sent
		olds      map[string]any
		news      map[string]any
		ignore    []string
		want      pulumirpc.DiffResponse_DiffChanges
		wantDiffs []string
	}{
		{"equal", base, outputs, base, nil, pulumirpc.DiffResponse_DIFF_NONE, nil},
		{"changed key", base, outputs, with(base, "tags", map[string]any{"env": "prod"}), nil,
			pulumirpc.DiffResponse_DIFF_SOME, []string{"tags"}},
		{"changed secret", base, outputs, with(base, "password", providertest.Secret("y")), nil,
			pulumirpc.DiffResponse_DIFF_SOME, []string{"password"}},
		{"added and removed", base, outputs, with(with(base, "acl", "private"), "bucket", nil), nil,
			pulumirpc.DiffResponse_DIFF_SOME, []string{"acl", "bucket"}},
		{"ignored change", base, outputs, with(base, "tags", "x"), []string{"tags"},
			pulumirpc.DiffResponse_DIFF_NONE, nil},
		{"no old inputs, equal", nil, outputs, base, nil, pulumirpc.DiffResponse_DIFF_NONE, nil},
		{"no old inputs, changed", nil, outputs, with(base, "bucket", "c"), nil,
			pulumirpc.DiffResponse_DIFF_SOME, []string{"bucket"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := &pulumirpc.DiffRequest{
				Id: "my-bucket-id", Urn: testURN,
				Olds: providertest.Struct(t, tc.olds), News: providertest.Struct(t, tc.news), IgnoreChanges: tc.ignore,
			}
			if tc.oldInputs != nil {
				req.OldInputs = providertest.Struct(t, tc.oldInputs)
			}
			resp, err := client.Diff(ctx, req)
			if err != nil {
				t.Fatalf("Diff: %v", err)
			}
			if resp.GetChanges() != tc.want {
				t.Errorf("Changes = %v, want %v", resp.GetChanges(), tc.want)
			}
			if !slices.Equal(resp.GetDiffs(), tc.wantDiffs) {
				t.Errorf("Diffs = %v, want %v", resp.GetDiffs(), tc.wantDiffs)
			}
			if len(resp.GetReplaces()) != 0 {
				t.Errorf("Replaces = %v, want none", resp.GetReplaces())
			}
			for k, d := range resp.GetDetailedDiff() {
				if !slices.Contains(resp.GetDiffs(), k) {
					t.Errorf("detailedDiff key %q not in diffs", k)
				}
				if strings.HasSuffix(d.GetKind().String(), "_REPLACE") {
					t.Errorf("detailedDiff[%q] = %v requests replacement", k, d.GetKind())
				}
			}
			for _, k := range resp.GetDiffs() {
				if _, ok := resp.GetDetailedDiff()[k]; !ok {
					t.Errorf("diff key %q missing from detailedDiff", k)
				}
			}
		})
	}
}

func TestUpdateKeepsIDAndARN(t *testing.T) {
	client := providertest.Start(t, newServer())
	ctx := providertest.Context(t)

	resp, err := client.Update(ctx, &pulumirpc.UpdateRequest{
		Id: "my-bucket-id", Urn: testURN,
		Olds: providertest.Struct(t, map[string]any{"bucket": "a", "id": "my-bucket-id", "arn": "arn:x"}),
		News: providertest.Struct(t, map[string]any{"bucket": "b", "password": providertest.Secret("p")}),
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	want := providertest.Struct(t, map[string]any{"bucket": "b", "password": providertest.Secret("p"), "id": "my-bucket-id", "arn": "arn:x"})
	if !proto.Equal(resp.GetProperties(), want) {
		t.Errorf("properties = %v, want %v", resp.GetProperties(), want)
	}
}

func TestInvoke(t *testing.T) {
	client := providertest.Start(t, newServer())
	ctx := providertest.Context(t)

	for _, tc := range []struct {
		tok  string
		want map[string]string
	}{
		{"aws:index/getCallerIdentity:getCallerIdentity", map[string]string{
			"accountId": "123456789012", "arn": "arn:aws:iam::123456789012:user/mock"}},
		{"aws:index/getRegion:getRegion", map[string]string{"name": "us-west-2", "region": "us-west-2"}},
		{"aws:index/getPartition:getPartition", map[string]string{"partition": "aws", "dnsSuffix": "amazonaws.com"}},
		{"aws:ec2/getVpc:getVpc", map[string]string{"id": "vpc-mock", "cidrBlock": "10.0.0.0/16"}},
		{"aws:s3/getBucket:getBucket", map[string]string{}},
	} {
		t.Run(tc.tok, func(t *testing.T) {
			resp, err := client.Invoke(ctx, &pulumirpc.InvokeRequest{Tok: tc.tok, Args: &structpb.Struct{}})
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if len(resp.GetFailures()) != 0 {
				t.Errorf("unexpected failures: %v", resp.GetFailures())
			}
			if resp.GetReturn() == nil {
				t.Fatal("nil return")
			}
			if len(tc.want) == 0 && len(resp.GetReturn().GetFields()) != 0 {
				t.Errorf("return = %v, want empty", resp.GetReturn())
			}
			for k, v := range tc.want {
				if got := stringField(t, resp.GetReturn(), k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestProtocolBasics(t *testing.T) {
	client := providertest.Start(t, newServer())
	ctx := providertest.Context(t)

	info, err := client.GetPluginInfo(ctx, &emptypb.Empty{})
	if err != nil || info.GetVersion() != "6.83.4" {
		t.Errorf("GetPluginInfo = %v, %v; want version 6.83.4", info, err)
	}

	hs, err := client.Handshake(ctx, &pulumirpc.ProviderHandshakeRequest{EngineAddress: "127.0.0.1:1"})
	if err != nil || !hs.GetAcceptSecrets() || !hs.GetAcceptResources() || !hs.GetAcceptOutputs() {
		t.Errorf("Handshake = %v, %v", hs, err)
	}

	cfg, err := client.Configure(ctx, &pulumirpc.ConfigureRequest{})
	if err != nil || !cfg.GetAcceptSecrets() || !cfg.GetSupportsPreview() ||
		!cfg.GetAcceptResources() || !cfg.GetAcceptOutputs() {
		t.Errorf("Configure = %v, %v", cfg, err)
	}

	schema, err := client.GetSchema(ctx, &pulumirpc.GetSchemaRequest{})
	if err != nil || schema.GetSchema() != `{"name":"aws","version":"6.83.4"}` {
		t.Errorf("GetSchema = %v, %v", schema, err)
	}

	dc, err := client.DiffConfig(ctx, &pulumirpc.DiffRequest{})
	if err != nil || dc.GetChanges() != pulumirpc.DiffResponse_DIFF_NONE {
		t.Errorf("DiffConfig = %v, %v", dc, err)
	}

	props := providertest.Struct(t, map[string]any{"id": "x", "password": providertest.Secret("p")})
	read, err := client.Read(ctx, &pulumirpc.ReadRequest{Id: "x", Urn: testURN, Properties: props, Inputs: props})
	if err != nil || read.GetId() != "x" || !proto.Equal(read.GetProperties(), props) ||
		!proto.Equal(read.GetInputs(), props) {
		t.Errorf("Read = %v, %v", read, err)
	}

	if _, err := client.Delete(ctx, &pulumirpc.DeleteRequest{Id: "x", Urn: testURN}); err != nil {
		t.Errorf("Delete: %v", err)
	}
	if _, err := client.Cancel(ctx, &emptypb.Empty{}); err != nil {
		t.Errorf("Cancel: %v", err)
	}
	if _, err := client.Attach(ctx, &pulumirpc.PluginAttach{Address: "127.0.0.1:1"}); err != nil {
		t.Errorf("Attach: %v", err)
	}
	if _, err := client.GetMapping(ctx, &pulumirpc.GetMappingRequest{Key: "terraform"}); err != nil {
		t.Errorf("GetMapping: %v", err)
	}
	if _, err := client.GetMappings(ctx, &pulumirpc.GetMappingsRequest{Key: "terraform"}); err != nil {
		t.Errorf("GetMappings: %v", err)
	}
}

func TestEngineAddress(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, ""},
		{[]string{"127.0.0.1:5000"}, "127.0.0.1:5000"},
		{[]string{"--logtostderr", "-v=9", "--tracing", "http://t", "127.0.0.1:5000"}, "127.0.0.1:5000"},
		{[]string{"--tracing=http://t", "127.0.0.1:5000"}, "127.0.0.1:5000"},
		{[]string{"a", "b"}, "b"},
		{[]string{"--", "-weird"}, "-weird"},
	} {
		if got := engineAddress(tc.args); got != tc.want {
			t.Errorf("engineAddress(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}

// TestBinary builds the plugin and runs it the way the Pulumi engine does.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	client := providertest.StartBinary(t, "pulumi-resource-aws", "--logtostderr", "-v=9", "--tracing", "http://127.0.0.1:1")
	info, err := client.GetPluginInfo(providertest.Context(t), &emptypb.Empty{}, grpc.WaitForReady(true))
	if err != nil {
		t.Fatalf("GetPluginInfo: %v", err)
	}
	if info.GetVersion() != "6.83.4" {
		t.Errorf("version = %q, want 6.83.4", info.GetVersion())
	}
}
