package main

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/programs"
)

// program is a cut-down self-hosted Pulumi Cloud deployment in the shape of
// the ECS installer: the service's three buckets, created (as the installer
// does) without server-side encryption, plus one done right for contrast; an
// encrypted Aurora cluster for the service and an unencrypted RDS instance.
func program(ctx *pulumi.Context) error {
	for _, name := range []string{"pulumi-checkpoints", "pulumi-policypacks", "pulumi-service-metadata"} {
		if _, err := s3.NewBucketV2(ctx, name, nil); err != nil {
			return err
		}
	}
	if err := programs.EncryptedBucket(ctx, "audit-logs"); err != nil {
		return err
	}
	password := config.RequireSecret(ctx, "dbPassword")
	if _, err := rds.NewCluster(ctx, "pulumi-db", &rds.ClusterArgs{
		Engine:           pulumi.String("aurora-mysql"),
		MasterUsername:   pulumi.String("pulumi"),
		MasterPassword:   password,
		StorageEncrypted: pulumi.Bool(true),
	}); err != nil {
		return err
	}
	_, err := rds.NewInstance(ctx, "reporting-db", &rds.InstanceArgs{
		Engine:           pulumi.String("mysql"),
		InstanceClass:    pulumi.String("db.t3.micro"),
		AllocatedStorage: pulumi.Int(20),
		Username:         pulumi.String("report"),
		Password:         password,
	})
	return err
}
