package main

import (
	"regexp"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/e2e/fakeprovider"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/e2e/fakeprovider/providertest"
)

const (
	accountURN = "urn:pulumi:dev::proj::azure-native:storage:StorageAccount::pulumi"
	ruleURN    = "urn:pulumi:dev::proj::azure-native:dbformysql:Server$azure-native:dbformysql:FirewallRule::allow-all"
	otherURN   = "urn:pulumi:dev::proj::azure-native:web:WebApp::site"
)

func TestCheckAutonames(t *testing.T) {
	client := providertest.Start(t, newServer())
	ctx := providertest.Context(t)
	for _, tc := range []struct {
		desc, urn, key string
		inputs         map[string]any
		want           *regexp.Regexp // nil: no name added
	}{
		{"storage account: letters and digits", accountURN, "accountName", map[string]any{"kind": "StorageV2"},
			regexp.MustCompile(`^pulumi[0-9a-f]{8}$`)},
		{"child type under its parent's URN", ruleURN, "firewallRuleName", map[string]any{"startIpAddress": "0.0.0.0"},
			regexp.MustCompile(`^allow-all[0-9a-f]{8}$`)},
		{"a name set is kept", accountURN, "accountName", map[string]any{"accountName": "mine"}, regexp.MustCompile(`^mine$`)},
		{"unknown type: passed through", otherURN, "name", map[string]any{"a": "b"}, nil},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			resp, err := client.Check(ctx, &pulumirpc.CheckRequest{Urn: tc.urn, News: providertest.Struct(t, tc.inputs)})
			if err != nil {
				t.Fatal(err)
			}
			got, ok := resp.GetInputs().GetFields()[tc.key]
			if tc.want == nil {
				if ok {
					t.Errorf("%s added: %v", tc.key, got)
				}
				return
			}
			if !tc.want.MatchString(got.GetStringValue()) {
				t.Errorf("%s = %q, want %v", tc.key, got.GetStringValue(), tc.want)
			}
		})
	}
}

func TestCreate(t *testing.T) {
	client := providertest.Start(t, newServer())
	ctx := providertest.Context(t)
	props := providertest.Struct(t, map[string]any{
		"accountName": "pulumi0a1b2c3d", "resourceGroupName": "pulumi-rg",
		"tags": map[string]any{"k": providertest.Secret("v")},
	})
	preview, err := client.Create(ctx, &pulumirpc.CreateRequest{Urn: accountURN, Properties: props, Preview: true})
	if err != nil {
		t.Fatal(err)
	}
	if preview.GetId() != "" || !fakeprovider.IsUnknown(preview.GetProperties().GetFields()["name"]) ||
		!fakeprovider.IsUnknown(preview.GetProperties().GetFields()["id"]) {
		t.Errorf("preview: id %q, outputs %v; want name and id unknown", preview.GetId(), preview.GetProperties())
	}
	resp, err := client.Create(ctx, &pulumirpc.CreateRequest{Urn: accountURN, Properties: props})
	if err != nil {
		t.Fatal(err)
	}
	want := "/subscriptions/" + subscription + "/resourceGroups/pulumi-rg/providers/Microsoft.Storage/storageAccounts/pulumi0a1b2c3d"
	f := resp.GetProperties().GetFields()
	if resp.GetId() != want || f["id"].GetStringValue() != want || f["name"].GetStringValue() != "pulumi0a1b2c3d" ||
		f["azureApiVersion"].GetStringValue() != "2024-01-01" {
		t.Errorf("update: id %q, outputs %v", resp.GetId(), resp.GetProperties())
	}
	if !fakeprovider.IsSecret(f["tags"].GetStructValue().GetFields()["k"]) {
		t.Errorf("a secret input lost its secrecy: %v", f["tags"])
	}
	rule := providertest.Struct(t, map[string]any{
		"firewallRuleName": "allow-all", "resourceGroupName": "pulumi-rg", "serverName": "pulumi-mysql",
	})
	resp, err = client.Create(ctx, &pulumirpc.CreateRequest{Urn: ruleURN, Properties: rule})
	if err != nil {
		t.Fatal(err)
	}
	if want := "/providers/Microsoft.DBforMySQL/flexibleServers/pulumi-mysql/firewallRules/allow-all"; !regexp.MustCompile(regexp.QuoteMeta(want) + "$").MatchString(resp.GetId()) {
		t.Errorf("child id %q, want it to end in %s", resp.GetId(), want)
	}
}
