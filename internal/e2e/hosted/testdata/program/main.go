// A Pulumi Go program that the tests of internal/e2e/hosted run as a real
// project directory (Pulumi.yaml, runtime: go), through the Go language host:
// one bare bucket, one bucket encrypted by a separate configuration, and an
// Aurora cluster without storage encryption in a private subnet of an in-stack
// VPC. The pack must report exactly two mandatory findings: s3-bucket-encrypted
// on "bare" and rds-storage-encrypted on "db".
package main

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		encrypted, err := s3.NewBucketV2(ctx, "encrypted", nil)
		if err != nil {
			return err
		}
		if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, "encrypted",
			&s3.BucketServerSideEncryptionConfigurationV2Args{
				Bucket: encrypted.ID(),
				Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{
					&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
						ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
							SseAlgorithm: pulumi.String("aws:kms"),
						},
					},
				},
			}); err != nil {
			return err
		}
		if _, err := s3.NewBucketV2(ctx, "bare", nil); err != nil {
			return err
		}

		vpc, err := ec2.NewVpc(ctx, "vpc", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")})
		if err != nil {
			return err
		}
		rt, err := ec2.NewRouteTable(ctx, "private", &ec2.RouteTableArgs{VpcId: vpc.ID()})
		if err != nil {
			return err
		}
		var subnets pulumi.StringArray
		for i, zone := range []string{"a", "b"} {
			sn, err := ec2.NewSubnet(ctx, "private-"+zone, &ec2.SubnetArgs{
				VpcId: vpc.ID(), CidrBlock: pulumi.Sprintf("10.0.%d.0/24", i),
			})
			if err != nil {
				return err
			}
			if _, err := ec2.NewRouteTableAssociation(ctx, "private-"+zone, &ec2.RouteTableAssociationArgs{
				SubnetId: sn.ID(), RouteTableId: rt.ID(),
			}); err != nil {
				return err
			}
			subnets = append(subnets, sn.ID())
		}
		group, err := rds.NewSubnetGroup(ctx, "db", &rds.SubnetGroupArgs{
			Name: pulumi.String("db-subnets"), SubnetIds: subnets,
		})
		if err != nil {
			return err
		}
		sg, err := ec2.NewSecurityGroup(ctx, "db", &ec2.SecurityGroupArgs{VpcId: vpc.ID()})
		if err != nil {
			return err
		}
		params, err := rds.NewClusterParameterGroup(ctx, "db-tls", &rds.ClusterParameterGroupArgs{
			Name: pulumi.String("db-tls"), Family: pulumi.String("aurora-mysql8.0"),
			Parameters: rds.ClusterParameterGroupParameterArray{&rds.ClusterParameterGroupParameterArgs{
				Name: pulumi.String("require_secure_transport"), Value: pulumi.String("ON"),
			}},
		})
		if err != nil {
			return err
		}
		_, err = rds.NewCluster(ctx, "db", &rds.ClusterArgs{
			DbClusterParameterGroupName: params.Name,
			Engine:                      pulumi.String("aurora-mysql"),
			MasterUsername:              pulumi.String("admin"),
			MasterPassword:              config.RequireSecret(ctx, "dbPassword"),
			StorageEncrypted:            pulumi.Bool(false),
			DbSubnetGroupName:           group.Name,
			VpcSecurityGroupIds:         pulumi.StringArray{sg.ID()},
		})
		return err
	})
}
