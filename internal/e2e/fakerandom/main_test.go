package main

import (
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/e2e/fakeprovider"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/e2e/fakeprovider/providertest"
)

const (
	stringURN   = "urn:pulumi:dev::proj::random:index/randomString:RandomString::key"
	passwordURN = "urn:pulumi:dev::proj::random:index/randomPassword:RandomPassword::key"
)

func TestCreate(t *testing.T) {
	client := providertest.Start(t, newServer())
	ctx := providertest.Context(t)
	props := providertest.Struct(t, map[string]any{"length": 32, "special": false})
	for _, tc := range []struct {
		urn    string
		secret bool
		id     string // "" for the result itself
	}{
		{stringURN, false, ""},
		{passwordURN, true, "none"},
	} {
		t.Run(fakeprovider.TypeOf(tc.urn), func(t *testing.T) {
			preview, err := client.Create(ctx, &pulumirpc.CreateRequest{Urn: tc.urn, Properties: props, Preview: true})
			if err != nil {
				t.Fatal(err)
			}
			if !fakeprovider.IsUnknown(preview.GetProperties().GetFields()["result"]) {
				t.Errorf("preview: result %v, want unknown", preview.GetProperties().GetFields()["result"])
			}
			resp, err := client.Create(ctx, &pulumirpc.CreateRequest{Urn: tc.urn, Properties: props})
			if err != nil {
				t.Fatal(err)
			}
			v := resp.GetProperties().GetFields()["result"]
			if fakeprovider.IsSecret(v) != tc.secret {
				t.Errorf("result secret = %v, want %v", fakeprovider.IsSecret(v), tc.secret)
			}
			result := fakeprovider.PlainString(v)
			if len(result) != 32 {
				t.Errorf("result %q: want 32 characters", result)
			}
			want := tc.id
			if want == "" {
				want = result
			}
			if resp.GetId() != want {
				t.Errorf("id = %q, want %q", resp.GetId(), want)
			}
			again, err := client.Create(ctx, &pulumirpc.CreateRequest{Urn: tc.urn, Properties: props})
			if err != nil {
				t.Fatal(err)
			}
			if fakeprovider.PlainString(again.GetProperties().GetFields()["result"]) != result {
				t.Error("the result is not deterministic")
			}
		})
	}
}
