package main

import (
	"regexp"
	"slices"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/e2e/fakeprovider"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/e2e/fakeprovider/providertest"
)

const (
	deploymentURN = "urn:pulumi:dev::proj::kubernetes:apps/v1:Deployment::pulumi-api"
	namespaceURN  = "urn:pulumi:dev::proj::kubernetes:core/v1:Namespace::pulumi"
	secretURN     = "urn:pulumi:dev::proj::kubernetes:core/v1:Secret::license-key"
	unknown       = fakeprovider.UnknownSentinel
)

func deployment(meta map[string]any) map[string]any {
	m := map[string]any{
		"apiVersion": "apps/v1", "kind": "Deployment",
		"spec": map[string]any{"template": map[string]any{"spec": map[string]any{"containers": []any{
			map[string]any{"name": "api", "image": "pulumi/service:latest", "env": []any{
				map[string]any{"name": "PULUMI_LICENSE_KEY", "valueFrom": map[string]any{
					"secretKeyRef": map[string]any{"name": unknown, "key": "key"}}},
				map[string]any{"name": "SMTP_PASSWORD", "value": providertest.Secret("hunter2")},
			}},
		}}}},
	}
	if meta != nil {
		m["metadata"] = meta
	}
	return m
}

func metadata(t *testing.T, s *structpb.Struct) map[string]any {
	t.Helper()
	return s.GetFields()["metadata"].GetStructValue().AsMap()
}

func TestCheckAutonames(t *testing.T) {
	client := providertest.Start(t, newServer())
	ctx := providertest.Context(t)
	name := regexp.MustCompile(`^pulumi-api-[0-9a-f]{8}$`)

	for _, tc := range []struct {
		desc string
		meta map[string]any // nil: no metadata at all
	}{
		{"no metadata", nil},
		{"namespace only", map[string]any{"namespace": "pulumi"}},
		{"unknown namespace, labels", map[string]any{"namespace": unknown, "labels": map[string]any{"app": "api"}}},
		{"annotations kept", map[string]any{"annotations": map[string]any{"a": "b"}}},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			news := providertest.Struct(t, deployment(tc.meta))
			resp, err := client.Check(ctx, &pulumirpc.CheckRequest{Urn: deploymentURN, Name: "pulumi-api", News: news})
			if err != nil {
				t.Fatal(err)
			}
			meta := metadata(t, resp.GetInputs())
			got, _ := meta["name"].(string)
			if !name.MatchString(got) {
				t.Errorf("metadata.name = %q, want pulumi-api-<8 hex>", got)
			}
			ann, _ := meta["annotations"].(map[string]any)
			if ann[autonamedAnnotation] != "true" {
				t.Errorf("annotations = %v, want %s: true", ann, autonamedAnnotation)
			}
			for k, v := range tc.meta {
				if k == "annotations" {
					if ann["a"] != "b" {
						t.Errorf("annotation a lost: %v", ann)
					}
					continue
				}
				if !proto.Equal(resp.GetInputs().Fields["metadata"].GetStructValue().Fields[k], news.Fields["metadata"].GetStructValue().Fields[k]) {
					t.Errorf("metadata.%s changed: %v", k, v)
				}
			}
			for _, k := range []string{"apiVersion", "kind", "spec"} {
				if !proto.Equal(resp.GetInputs().Fields[k], news.Fields[k]) {
					t.Errorf("%s not passed through:\n got %v\nwant %v", k, resp.GetInputs().Fields[k], news.Fields[k])
				}
			}

			// Deterministic: the same URN gets the same name (a second
			// preview after an update shows no change); another URN another.
			again, err := client.Check(ctx, &pulumirpc.CheckRequest{Urn: deploymentURN, News: news})
			if err != nil {
				t.Fatal(err)
			}
			if n := metadata(t, again.GetInputs())["name"]; n != got {
				t.Errorf("second Check named it %v, first %q", n, got)
			}
			other, err := client.Check(ctx, &pulumirpc.CheckRequest{Urn: deploymentURN + "2", News: news})
			if err != nil {
				t.Fatal(err)
			}
			if n := metadata(t, other.GetInputs())["name"]; n == got {
				t.Errorf("two URNs got the same name %q", got)
			}
		})
	}
	if autoname(deploymentURN, "") != autoname(deploymentURN, "pulumi-api") {
		t.Error("the logical name must come from the URN when the request has none")
	}
}

func TestCheckKeepsNamesAndOpaqueMetadata(t *testing.T) {
	client := providertest.Start(t, newServer())
	ctx := providertest.Context(t)
	for _, tc := range []struct {
		desc string
		meta any
	}{
		{"explicit name", map[string]any{"name": "pulumi-api", "namespace": "pulumi"}},
		{"unknown name", map[string]any{"name": unknown}},
		{"secret name", map[string]any{"name": providertest.Secret("hidden")}},
		{"unknown metadata", unknown},
		{"secret metadata", providertest.Secret(map[string]any{"namespace": "x"})},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			m := deployment(nil)
			m["metadata"] = tc.meta
			news := providertest.Struct(t, m)
			resp, err := client.Check(ctx, &pulumirpc.CheckRequest{Urn: deploymentURN, News: news})
			if err != nil {
				t.Fatal(err)
			}
			if !proto.Equal(resp.GetInputs(), news) {
				t.Errorf("inputs changed:\n got %v\nwant %v", resp.GetInputs(), news)
			}
		})
	}
}

func TestSecretsPassThrough(t *testing.T) {
	client := providertest.Start(t, newServer())
	ctx := providertest.Context(t)
	news := providertest.Struct(t, map[string]any{
		"apiVersion": "v1", "kind": "Secret",
		"metadata":   map[string]any{"namespace": "pulumi"},
		"stringData": providertest.Secret(map[string]any{"key": "license-value"}),
	})
	check, err := client.Check(ctx, &pulumirpc.CheckRequest{Urn: secretURN, News: news})
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(check.GetInputs().Fields["stringData"], news.Fields["stringData"]) {
		t.Errorf("stringData changed: %v", check.GetInputs().Fields["stringData"])
	}
	created, err := client.Create(ctx, &pulumirpc.CreateRequest{Urn: secretURN, Properties: check.GetInputs()})
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(created.GetProperties(), check.GetInputs()) {
		t.Errorf("Create changed the inputs:\n got %v\nwant %v", created.GetProperties(), check.GetInputs())
	}
	if !regexp.MustCompile(`^pulumi/license-key-[0-9a-f]{8}$`).MatchString(created.GetId()) {
		t.Errorf("id = %q, want pulumi/license-key-<8 hex>", created.GetId())
	}
}

func TestCreate(t *testing.T) {
	client := providertest.Start(t, newServer())
	ctx := providertest.Context(t)
	for _, tc := range []struct {
		desc    string
		urn     string
		obj     map[string]any
		preview bool
		wantID  string
	}{
		{"namespaced", deploymentURN, deployment(map[string]any{"name": "api", "namespace": "pulumi"}), false, "pulumi/api"},
		{"default namespace", deploymentURN, deployment(map[string]any{"name": "api"}), false, "default/api"},
		{"secret name", deploymentURN, deployment(map[string]any{"name": providertest.Secret("api"), "namespace": "ns"}), false, "ns/api"},
		{"preview", deploymentURN, deployment(map[string]any{"name": "api", "namespace": "pulumi"}), true, ""},
		{"cluster-scoped", namespaceURN,
			map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": "pulumi"}}, false, "pulumi"},
		{"cluster-scoped by type token", namespaceURN,
			map[string]any{"metadata": map[string]any{"name": "pulumi"}}, false, "pulumi"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			props := providertest.Struct(t, tc.obj)
			resp, err := client.Create(ctx, &pulumirpc.CreateRequest{Urn: tc.urn, Properties: props, Preview: tc.preview})
			if err != nil {
				t.Fatal(err)
			}
			if resp.GetId() != tc.wantID {
				t.Errorf("id = %q, want %q", resp.GetId(), tc.wantID)
			}
			if !proto.Equal(resp.GetProperties(), props) {
				t.Errorf("outputs differ from inputs:\n got %v\nwant %v", resp.GetProperties(), props)
			}
		})
	}
}

func TestDiffAndUpdate(t *testing.T) {
	client := providertest.Start(t, newServer())
	ctx := providertest.Context(t)
	base := deployment(map[string]any{"name": "api", "namespace": "pulumi"})
	changed := deployment(map[string]any{"name": "api", "namespace": "pulumi"})
	changed["spec"] = map[string]any{"replicas": 2.0}
	for _, tc := range []struct {
		desc      string
		news      map[string]any
		want      pulumirpc.DiffResponse_DiffChanges
		wantDiffs []string
	}{
		{"equal", base, pulumirpc.DiffResponse_DIFF_NONE, nil},
		{"spec changed", changed, pulumirpc.DiffResponse_DIFF_SOME, []string{"spec"}},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			resp, err := client.Diff(ctx, &pulumirpc.DiffRequest{
				Id: "pulumi/api", Urn: deploymentURN,
				OldInputs: providertest.Struct(t, base), Olds: providertest.Struct(t, base), News: providertest.Struct(t, tc.news),
			})
			if err != nil {
				t.Fatal(err)
			}
			if resp.GetChanges() != tc.want || !slices.Equal(resp.GetDiffs(), tc.wantDiffs) || len(resp.GetReplaces()) != 0 {
				t.Errorf("Diff = %v %v replaces %v; want %v %v", resp.GetChanges(), resp.GetDiffs(), resp.GetReplaces(), tc.want, tc.wantDiffs)
			}
		})
	}
	up, err := client.Update(ctx, &pulumirpc.UpdateRequest{
		Id: "pulumi/api", Urn: deploymentURN, Olds: providertest.Struct(t, base), News: providertest.Struct(t, changed),
	})
	if err != nil || !proto.Equal(up.GetProperties(), providertest.Struct(t, changed)) {
		t.Errorf("Update = %v, %v; want the new inputs", up, err)
	}
}

func TestProviderConfig(t *testing.T) {
	client := providertest.Start(t, newServer())
	ctx := providertest.Context(t)
	news := providertest.Struct(t, map[string]any{
		"kubeconfig":            providertest.Secret("apiVersion: v1\nkind: Config\n"),
		"context":               "eks",
		"namespace":             "pulumi",
		"deleteUnreachable":     "true",
		"enableServerSideApply": "true",
		"version":               "4.32.0",
	})
	cc, err := client.CheckConfig(ctx, &pulumirpc.CheckRequest{
		Urn: "urn:pulumi:dev::proj::pulumi:providers:kubernetes::provider", News: news,
	})
	if err != nil || len(cc.GetFailures()) != 0 || !proto.Equal(cc.GetInputs(), news) {
		t.Errorf("CheckConfig = %v, %v; want the config as it is", cc, err)
	}
	cfg, err := client.Configure(ctx, &pulumirpc.ConfigureRequest{
		Args:      news,
		Variables: map[string]string{"kubernetes:config:kubeconfig": "apiVersion: v1\nkind: Config\n"},
	})
	if err != nil || !cfg.GetAcceptSecrets() || !cfg.GetSupportsPreview() || !cfg.GetAcceptResources() {
		t.Errorf("Configure = %v, %v", cfg, err)
	}
	dc, err := client.DiffConfig(ctx, &pulumirpc.DiffRequest{Olds: news, News: news})
	if err != nil || dc.GetChanges() != pulumirpc.DiffResponse_DIFF_NONE {
		t.Errorf("DiffConfig = %v, %v", dc, err)
	}
}

func TestProtocolBasics(t *testing.T) {
	client := providertest.Start(t, newServer())
	ctx := providertest.Context(t)
	info, err := client.GetPluginInfo(ctx, &emptypb.Empty{})
	if err != nil || info.GetVersion() != "4.32.0" {
		t.Errorf("GetPluginInfo = %v, %v; want version 4.32.0", info, err)
	}
	schema, err := client.GetSchema(ctx, &pulumirpc.GetSchemaRequest{})
	if err != nil || schema.GetSchema() != `{"name":"kubernetes","version":"4.32.0"}` {
		t.Errorf("GetSchema = %v, %v", schema, err)
	}
	hs, err := client.Handshake(ctx, &pulumirpc.ProviderHandshakeRequest{EngineAddress: "127.0.0.1:1"})
	if err != nil || !hs.GetAcceptSecrets() || !hs.GetAcceptResources() || !hs.GetAcceptOutputs() {
		t.Errorf("Handshake = %v, %v", hs, err)
	}
	inv, err := client.Invoke(ctx, &pulumirpc.InvokeRequest{Tok: "kubernetes:yaml:decode", Args: &structpb.Struct{}})
	if err != nil || inv.GetReturn() == nil || len(inv.GetReturn().GetFields()) != 0 {
		t.Errorf("Invoke = %v, %v; want an empty result", inv, err)
	}
	if _, err := client.Delete(ctx, &pulumirpc.DeleteRequest{Id: "pulumi/api", Urn: deploymentURN}); err != nil {
		t.Errorf("Delete: %v", err)
	}
	props := providertest.Struct(t, deployment(map[string]any{"name": "api"}))
	read, err := client.Read(ctx, &pulumirpc.ReadRequest{Id: "default/api", Urn: deploymentURN, Properties: props})
	if err != nil || read.GetId() != "default/api" || !proto.Equal(read.GetProperties(), props) {
		t.Errorf("Read = %v, %v", read, err)
	}
}

// TestBinary builds the plugin and runs it the way the Pulumi engine does.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	client := providertest.StartBinary(t, "pulumi-resource-kubernetes", "--logtostderr", "-v=9")
	info, err := client.GetPluginInfo(providertest.Context(t), &emptypb.Empty{}, grpc.WaitForReady(true))
	if err != nil {
		t.Fatalf("GetPluginInfo: %v", err)
	}
	if info.GetVersion() != "4.32.0" {
		t.Errorf("version = %q, want 4.32.0", info.GetVersion())
	}
}

func TestReleaseIsNamedNotGivenMetadata(t *testing.T) {
	client := providertest.Start(t, newServer())
	ctx := providertest.Context(t)
	const urn = "urn:pulumi:dev::proj::kubernetes:core/v1:Namespace$kubernetes:helm.sh/v3:Release::ingress"
	resp, err := client.Check(ctx, &pulumirpc.CheckRequest{Urn: urn, News: providertest.Struct(t, map[string]any{
		"chart": "ingress-nginx", "namespace": "ingress-nginx", "values": map[string]any{"controller": map[string]any{}},
	})})
	if err != nil {
		t.Fatal(err)
	}
	f := resp.GetInputs().GetFields()
	if _, ok := f["metadata"]; ok {
		t.Errorf("a Release got metadata: %v", resp.GetInputs())
	}
	name := f["name"].GetStringValue()
	if !regexp.MustCompile(`^ingress-[0-9a-f]{8}$`).MatchString(name) {
		t.Errorf("name = %q, want ingress-<8 hex>", name)
	}
	created, err := client.Create(ctx, &pulumirpc.CreateRequest{Urn: urn, Properties: resp.GetInputs()})
	if err != nil {
		t.Fatal(err)
	}
	if created.GetId() != "ingress-nginx/"+name {
		t.Errorf("id = %q, want ingress-nginx/%s", created.GetId(), name)
	}
}
