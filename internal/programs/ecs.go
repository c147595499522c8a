package programs

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	awsecs "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// ECS is a cut-down self-hosted Pulumi Cloud deployment in the shape of
// the ECS installer, with its typical gaps: the service's three buckets
// without server-side encryption (one bucket done right for contrast); an
// encrypted Aurora cluster with no subnet group or TLS parameter group and a
// reporting RDS instance without encryption; a load balancer open to the
// internet with an HTTP listener that forwards instead of redirecting; and
// the API's task definition with the license key in plain text and none of
// the guide's TLS variables. extra, when not nil, declares more resources
// after the buckets (the reporter's tests add a bucket exempted by its tag).
func ECS(extra func(*pulumi.Context) error) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error { return ecs(ctx, extra) }
}

func ecs(ctx *pulumi.Context, extra func(*pulumi.Context) error) error {
	for _, name := range []string{"pulumi-checkpoints", "pulumi-policypacks", "pulumi-service-metadata"} {
		if _, err := s3.NewBucketV2(ctx, name, nil); err != nil {
			return err
		}
	}
	if extra != nil {
		if err := extra(ctx); err != nil {
			return err
		}
	}
	if err := EncryptedBucket(ctx, "audit-logs"); err != nil {
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
	if _, err := rds.NewInstance(ctx, "reporting-db", &rds.InstanceArgs{
		Engine:           pulumi.String("mysql"),
		InstanceClass:    pulumi.String("db.t3.micro"),
		AllocatedStorage: pulumi.Int(20),
		Username:         pulumi.String("report"),
		Password:         password,
	}); err != nil {
		return err
	}

	lbSG, err := ec2.NewSecurityGroup(ctx, "lb-sg", &ec2.SecurityGroupArgs{
		Ingress: ec2.SecurityGroupIngressArray{&ec2.SecurityGroupIngressArgs{
			Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443),
			CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
		}},
	})
	if err != nil {
		return err
	}
	balancer, err := lb.NewLoadBalancer(ctx, "api-lb", &lb.LoadBalancerArgs{
		SecurityGroups: pulumi.StringArray{lbSG.ID()},
		Subnets:        pulumi.StringArray{pulumi.String("subnet-pub1"), pulumi.String("subnet-pub2")},
	})
	if err != nil {
		return err
	}
	if _, err := lb.NewListener(ctx, "http", &lb.ListenerArgs{
		LoadBalancerArn: balancer.Arn, Port: pulumi.Int(80), Protocol: pulumi.String("HTTP"),
		DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
			Type: pulumi.String("forward"), TargetGroupArn: pulumi.String("arn:aws:elasticloadbalancing:tg/api"),
		}},
	}); err != nil {
		return err
	}

	// The installer reads the license key with a plain config.Require.
	license := config.Require(ctx, "licenseKey")
	_, err = awsecs.NewTaskDefinition(ctx, "pulumi-api", &awsecs.TaskDefinitionArgs{
		Family: pulumi.String("pulumi-api"),
		ContainerDefinitions: pulumi.JSONMarshal(pulumi.Array{pulumi.Map{
			"name":  pulumi.String("pulumi-service"),
			"image": pulumi.String("123456789012.dkr.ecr.us-west-2.amazonaws.com/pulumi/service:latest"),
			"environment": pulumi.Array{
				pulumi.Map{"name": pulumi.String("PULUMI_LICENSE_KEY"), "value": pulumi.String(license)},
			},
		}}),
	})
	return err
}
