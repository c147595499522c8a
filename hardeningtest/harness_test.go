package hardeningtest_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/selfhosted-hardening/selfhosted-hardening/hardeningtest"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/programs"
)

// program registers one bucket encrypted by a separate configuration that
// refers to it by id (unknown in preview), one bare bucket, and an Aurora
// cluster whose password comes from secret config.
func program(ctx *pulumi.Context) error {
	if err := programs.EncryptedBucket(ctx, "encrypted"); err != nil {
		return err
	}
	if _, err := s3.NewBucketV2(ctx, "bare", nil); err != nil {
		return err
	}
	cfg := config.New(ctx, "")
	_, err := rds.NewCluster(ctx, "db", &rds.ClusterArgs{
		Engine:           pulumi.String("aurora-mysql"),
		MasterUsername:   pulumi.String("admin"),
		MasterPassword:   cfg.RequireSecret("dbPassword"),
		StorageEncrypted: pulumi.Bool(false),
	})
	return err
}

const dbPassword = "correct-horse-battery-staple"

func TestHarnessBothModes(t *testing.T) {
	for _, mode := range []hardeningtest.Mode{hardeningtest.Preview, hardeningtest.Update} {
		t.Run(mode.String(), func(t *testing.T) {
			res, err := hardeningtest.Run(program, hardeningtest.Options{
				Mode:         mode,
				SecretConfig: map[string]string{"project:dbPassword": dbPassword},
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := res.For("s3-bucket-encrypted", "bare"); len(got) != 1 || got[0].Level != "mandatory" || !got[0].Stack {
				t.Errorf("bare bucket: want one mandatory stack finding, got %v", got)
			}
			if got := res.For("s3-bucket-encrypted", "encrypted"); len(got) != 0 {
				t.Errorf("encrypted bucket: the separate configuration must be joined to it (by property "+
					"dependency in preview, by id in update), got %v", got)
			}
			db := res.For("rds-storage-encrypted", "db")
			if len(db) != 1 || db[0].Level != "mandatory" || db[0].Severity != "high" || db[0].Stack {
				t.Fatalf("db: want one mandatory high resource finding, got %v", db)
			}
			for _, f := range res.Findings {
				if strings.Contains(f.Message, dbPassword) {
					t.Errorf("secret leaked: %v", f)
				}
			}
			// The recorded inputs keep the secret marker and, in preview, the
			// unknown id with its property dependency.
			var sse *hardeningtest.Resource
			for _, r := range res.Resources {
				if r.Name == "encrypted-sse" {
					sse = r
				}
			}
			if sse == nil {
				t.Fatal("encrypted-sse not recorded")
			}
			if len(sse.PropertyDependencies["bucket"]) != 1 {
				t.Errorf("property dependency of bucket not recorded: %v", sse.PropertyDependencies)
			}
			bucket := sse.Inputs.GetFields()["bucket"].GetStringValue()
			if mode == hardeningtest.Preview && bucket != "04da6b54-80e4-46f7-96ec-b56ff0331ba9" {
				t.Errorf("preview: bucket should be unknown, got %q", bucket)
			}
			if mode == hardeningtest.Update && bucket != "encrypted-id" {
				t.Errorf("update: bucket should be the id, got %q", bucket)
			}
		})
	}
}

func TestHarnessPolicyConfig(t *testing.T) {
	opts := hardeningtest.Options{
		Mode:         hardeningtest.Update,
		SecretConfig: map[string]string{"project:dbPassword": dbPassword},
		PolicyConfig: map[string]any{
			"rds-storage-encrypted": "advisory",
			"s3-bucket-encrypted":   map[string]any{"enforcementLevel": "disabled"},
		},
	}
	res, err := hardeningtest.Run(program, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.ByPolicy("s3-bucket-encrypted"); len(got) != 0 {
		t.Errorf("disabled policy still reported: %v", got)
	}
	if got := res.For("rds-storage-encrypted", "db"); len(got) != 1 || got[0].Level != "advisory" {
		t.Errorf("advisory level not applied: %v", got)
	}

	opts.PolicyConfig = map[string]any{"s3-bucket-encrypted": map[string]any{"requireKMS": true}}
	if _, err := hardeningtest.Run(program, opts); err == nil ||
		!strings.Contains(err.Error(), `s3-bucket-encrypted: unknown config property "requireKMS"`) {
		t.Errorf("a misspelt property must be refused naming policy and key, got %v", err)
	}
}
