package policies_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/selfhosted-hardening/selfhosted-hardening/hardeningtest"
)

// deployment is the self-hosted service's network written with pulumi-aws
// v6 the way the installers do it: a VPC with public subnets (inline
// default route to an internet gateway) and private subnets (a separate
// aws:ec2/route to a NAT gateway), a load balancer, an ECS service and an
// Aurora cluster, their security groups joined by rules in all three forms.
type deployment struct {
	dbInPublic     bool // the DB subnet group takes the public subnets
	lbOpen         bool // the load balancer admits 0.0.0.0/0 instead of the allowlist
	appOpen        bool // the app group admits 0.0.0.0/0 on 8080
	dbOpen         bool // the database group admits 0.0.0.0/0 on 3306
	servicePublic  bool // the service gets public addresses
	dbPubliclyOpen bool // publiclyAccessible on the cluster instance
}

const allowlist = "203.0.113.0/24"

func (d deployment) program(ctx *pulumi.Context) error {
	net, err := ec2.NewVpc(ctx, "vpc", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")})
	if err != nil {
		return err
	}
	igw, err := ec2.NewInternetGateway(ctx, "igw", &ec2.InternetGatewayArgs{VpcId: net.ID()})
	if err != nil {
		return err
	}
	publicRT, err := ec2.NewRouteTable(ctx, "public-rt", &ec2.RouteTableArgs{
		VpcId: net.ID(),
		Routes: ec2.RouteTableRouteArray{&ec2.RouteTableRouteArgs{
			CidrBlock: pulumi.String("0.0.0.0/0"), GatewayId: igw.ID(),
		}},
	})
	if err != nil {
		return err
	}
	privateRT, err := ec2.NewRouteTable(ctx, "private-rt", &ec2.RouteTableArgs{VpcId: net.ID()})
	if err != nil {
		return err
	}
	var public, private pulumi.StringArray
	for i, zone := range []string{"a", "b"} {
		pub, err := ec2.NewSubnet(ctx, "public-"+zone, &ec2.SubnetArgs{
			VpcId: net.ID(), CidrBlock: pulumi.Sprintf("10.0.%d.0/24", i),
		})
		if err != nil {
			return err
		}
		priv, err := ec2.NewSubnet(ctx, "private-"+zone, &ec2.SubnetArgs{
			VpcId: net.ID(), CidrBlock: pulumi.Sprintf("10.0.%d.0/24", 10+i),
		})
		if err != nil {
			return err
		}
		if _, err := ec2.NewRouteTableAssociation(ctx, "public-"+zone, &ec2.RouteTableAssociationArgs{
			SubnetId: pub.ID(), RouteTableId: publicRT.ID(),
		}); err != nil {
			return err
		}
		if _, err := ec2.NewRouteTableAssociation(ctx, "private-"+zone, &ec2.RouteTableAssociationArgs{
			SubnetId: priv.ID(), RouteTableId: privateRT.ID(),
		}); err != nil {
			return err
		}
		public = append(public, pub.ID())
		private = append(private, priv.ID())
	}
	eip, err := ec2.NewEip(ctx, "nat", &ec2.EipArgs{Domain: pulumi.String("vpc")})
	if err != nil {
		return err
	}
	nat, err := ec2.NewNatGateway(ctx, "nat", &ec2.NatGatewayArgs{SubnetId: public[0], AllocationId: eip.ID()})
	if err != nil {
		return err
	}
	if _, err := ec2.NewRoute(ctx, "private-default", &ec2.RouteArgs{
		RouteTableId: privateRT.ID(), DestinationCidrBlock: pulumi.String("0.0.0.0/0"), NatGatewayId: nat.ID(),
	}); err != nil {
		return err
	}

	lbSource := allowlist
	if d.lbOpen {
		lbSource = "0.0.0.0/0"
	}
	lbSG, err := ec2.NewSecurityGroup(ctx, "lb-sg", &ec2.SecurityGroupArgs{
		VpcId: net.ID(),
		Ingress: ec2.SecurityGroupIngressArray{&ec2.SecurityGroupIngressArgs{
			Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443),
			CidrBlocks: pulumi.StringArray{pulumi.String(lbSource)},
		}},
	})
	if err != nil {
		return err
	}
	appSG, err := ec2.NewSecurityGroup(ctx, "app-sg", &ec2.SecurityGroupArgs{VpcId: net.ID()})
	if err != nil {
		return err
	}
	if _, err := ec2.NewSecurityGroupRule(ctx, "lb-to-app", &ec2.SecurityGroupRuleArgs{
		Type: pulumi.String("ingress"), Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(8080),
		ToPort: pulumi.Int(8080), SecurityGroupId: appSG.ID(), SourceSecurityGroupId: lbSG.ID(),
	}); err != nil {
		return err
	}
	if d.appOpen {
		if _, err := ec2.NewSecurityGroupRule(ctx, "world-to-app", &ec2.SecurityGroupRuleArgs{
			Type: pulumi.String("ingress"), Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(8080),
			ToPort: pulumi.Int(8080), SecurityGroupId: appSG.ID(),
			CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
		}); err != nil {
			return err
		}
	}
	dbIngress := ec2.SecurityGroupIngressArray{}
	if d.dbOpen {
		dbIngress = append(dbIngress, &ec2.SecurityGroupIngressArgs{
			Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(3306), ToPort: pulumi.Int(3306),
			CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
		})
	}
	dbSG, err := ec2.NewSecurityGroup(ctx, "db-sg", &ec2.SecurityGroupArgs{VpcId: net.ID(), Ingress: dbIngress})
	if err != nil {
		return err
	}
	if _, err := vpc.NewSecurityGroupIngressRule(ctx, "app-to-db", &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId: dbSG.ID(), IpProtocol: pulumi.String("tcp"), FromPort: pulumi.Int(3306),
		ToPort: pulumi.Int(3306), ReferencedSecurityGroupId: appSG.ID(),
	}); err != nil {
		return err
	}

	if _, err := lb.NewLoadBalancer(ctx, "lb", &lb.LoadBalancerArgs{
		Internal: pulumi.Bool(false), SecurityGroups: pulumi.StringArray{lbSG.ID()}, Subnets: public,
	}); err != nil {
		return err
	}
	if _, err := ecs.NewService(ctx, "api", &ecs.ServiceArgs{
		LaunchType: pulumi.String("FARGATE"),
		NetworkConfiguration: &ecs.ServiceNetworkConfigurationArgs{
			Subnets: private, SecurityGroups: pulumi.StringArray{appSG.ID()},
			AssignPublicIp: pulumi.Bool(d.servicePublic),
		},
	}); err != nil {
		return err
	}
	dbSubnets := private
	if d.dbInPublic {
		dbSubnets = public
	}
	group, err := rds.NewSubnetGroup(ctx, "db-subnets", &rds.SubnetGroupArgs{SubnetIds: dbSubnets})
	if err != nil {
		return err
	}
	params, err := rds.NewClusterParameterGroup(ctx, "db-tls", &rds.ClusterParameterGroupArgs{
		Family: pulumi.String("aurora-mysql8.0"),
		Parameters: rds.ClusterParameterGroupParameterArray{&rds.ClusterParameterGroupParameterArgs{
			Name: pulumi.String("require_secure_transport"), Value: pulumi.String("ON"),
		}},
	})
	if err != nil {
		return err
	}
	cluster, err := rds.NewCluster(ctx, "db", &rds.ClusterArgs{
		Engine: pulumi.String("aurora-mysql"), StorageEncrypted: pulumi.Bool(true),
		DbSubnetGroupName: group.Name, VpcSecurityGroupIds: pulumi.StringArray{dbSG.ID()},
		DbClusterParameterGroupName: params.Name,
		MasterUsername:              pulumi.String("pulumi"), ManageMasterUserPassword: pulumi.Bool(true),
	})
	if err != nil {
		return err
	}
	_, err = rds.NewClusterInstance(ctx, "db-0", &rds.ClusterInstanceArgs{
		ClusterIdentifier: cluster.ID(), Engine: pulumi.String("aurora-mysql"),
		InstanceClass: pulumi.String("db.r6g.large"), PubliclyAccessible: pulumi.Bool(d.dbPubliclyOpen),
	})
	return err
}

var allowlistConfig = map[string]any{
	"load-balancer-ingress-allowlist": map[string]any{"ingressAllowList": []any{allowlist}},
}

// mandatory lists "policy resource" for each mandatory finding, sorted.
func mandatory(res *hardeningtest.Result) []string {
	var out []string
	for _, f := range res.Mandatory() {
		out = append(out, f.Policy+" "+f.ResourceName())
	}
	sort.Strings(out)
	return out
}

func TestDeploymentPrograms(t *testing.T) {
	cases := []struct {
		name string
		d    deployment
		want []string
	}{
		{"hardened", deployment{}, nil},
		{"db in public subnets", deployment{dbInPublic: true}, []string{"database-in-private-subnets db"}},
		{"load balancer open", deployment{lbOpen: true}, []string{"load-balancer-ingress-allowlist lb-sg"}},
		{"app open", deployment{appOpen: true}, []string{"app-security-group-restricted world-to-app"}},
		// 3306 from the internet also trips the sensitive-port rule.
		{"db open", deployment{dbOpen: true}, []string{"database-security-group-restricted db-sg",
			"security-group-no-unrestricted-ingress db-sg"}},
		{"service public", deployment{servicePublic: true}, []string{"app-in-private-subnets api"}},
		{"db instance public", deployment{dbPubliclyOpen: true}, []string{"rds-not-publicly-accessible db-0"}},
	}
	for _, c := range cases {
		for _, mode := range []hardeningtest.Mode{hardeningtest.Preview, hardeningtest.Update} {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				res, err := hardeningtest.Run(c.d.program, hardeningtest.Options{
					Mode: mode, PolicyConfig: allowlistConfig,
				})
				if err != nil {
					t.Fatal(err)
				}
				got := mandatory(res)
				if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
					var all []string
					for _, f := range res.Findings {
						all = append(all, fmt.Sprint(f))
					}
					t.Errorf("mandatory findings:\n got %q\nwant %q\nall findings:\n%s", got, c.want,
						strings.Join(all, "\n"))
				}
				for _, f := range res.Findings {
					if f.Level == "advisory" && strings.Contains(f.Message, "cannot be verified") {
						t.Errorf("an in-stack network must be judged in full, got %v", f)
					}
				}
			})
		}
	}
}
