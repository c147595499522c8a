package main

import (
	"regexp"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/e2e/fakeprovider"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/e2e/fakeprovider/providertest"
)

const (
	bucketURN = "urn:pulumi:dev::proj::gcp:storage/bucket:Bucket::pulumi-checkpoints"
	userURN   = "urn:pulumi:dev::proj::gcp:sql/user:User::pulumi-dbuser"
	sqlURN    = "urn:pulumi:dev::proj::gcp:sql/databaseInstance:DatabaseInstance::pulumi-db"
)

func TestCheckAutonames(t *testing.T) {
	client := providertest.Start(t, newServer())
	ctx := providertest.Context(t)
	resp, err := client.Check(ctx, &pulumirpc.CheckRequest{Urn: bucketURN, News: providertest.Struct(t, map[string]any{"location": "US"})})
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.GetInputs().GetFields()["name"].GetStringValue(); !regexp.MustCompile(`^pulumi-checkpoints-[0-9a-f]{7}$`).MatchString(got) {
		t.Errorf("bucket name = %q, want pulumi-checkpoints-<7 hex>", got)
	}
	// A user's name is the program's to set: never autonamed.
	resp, err = client.Check(ctx, &pulumirpc.CheckRequest{Urn: userURN, News: providertest.Struct(t, map[string]any{"instance": "x"})})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := resp.GetInputs().GetFields()["name"]; ok {
		t.Errorf("a User got a name: %v", resp.GetInputs())
	}
}

func TestCreate(t *testing.T) {
	client := providertest.Start(t, newServer())
	ctx := providertest.Context(t)
	props := providertest.Struct(t, map[string]any{"name": "pulumi-db-0a1b2c3", "settings": map[string]any{"tier": "db-f1-micro"}})
	preview, err := client.Create(ctx, &pulumirpc.CreateRequest{Urn: sqlURN, Properties: props, Preview: true})
	if err != nil {
		t.Fatal(err)
	}
	f := preview.GetProperties().GetFields()
	if preview.GetId() != "" || !fakeprovider.IsUnknown(f["connectionName"]) || !fakeprovider.IsUnknown(f["firstIpAddress"]) ||
		f["name"].GetStringValue() != "pulumi-db-0a1b2c3" {
		t.Errorf("preview: id %q, outputs %v; want the name known, the rest unknown", preview.GetId(), preview.GetProperties())
	}
	resp, err := client.Create(ctx, &pulumirpc.CreateRequest{Urn: sqlURN, Properties: props})
	if err != nil {
		t.Fatal(err)
	}
	f = resp.GetProperties().GetFields()
	if resp.GetId() != "pulumi-db-0a1b2c3" || f["connectionName"].GetStringValue() != project+":"+region+":pulumi-db-0a1b2c3" {
		t.Errorf("update: id %q, outputs %v", resp.GetId(), resp.GetProperties())
	}
}
