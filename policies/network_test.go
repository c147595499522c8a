package policies

import (
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/awsnet"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

type m = map[string]any
type l = []any

const (
	tVPC    = awsnet.TypeVPC
	tSubnet = awsnet.TypeSubnet
	tRT     = awsnet.TypeRouteTable
	tRoute  = awsnet.TypeRoute
	tRTA    = awsnet.TypeRouteTableAssociation
	tMain   = awsnet.TypeMainRouteTableAssociation
	tIGW    = awsnet.TypeInternetGateway
	tNAT    = "aws:ec2/natGateway:NatGateway"
	tSG     = awsnet.TypeSecurityGroup
	tSGRule = awsnet.TypeSecurityGroupRule
	tIn     = awsnet.TypeIngressRule
	tOut    = awsnet.TypeEgressRule
)

// network is an in-stack VPC: public subnets public-a (via an inline
// default route to the internet gateway) and public-b (via a separate
// aws:ec2/route), private subnets private-a and private-b (default route to
// a NAT gateway), all joined by route table associations. References are
// ids: unknown with property dependencies in preview, known in update.
func network(extra ...*fixture.Res) []*fixture.Res {
	rs := []*fixture.Res{
		fixture.R(tVPC, "vpc", m{"cidrBlock": "10.0.0.0/16"}),
		fixture.R(tIGW, "igw", m{"vpcId": fixture.ID("vpc")}),
		fixture.R(tSubnet, "public-a", m{"vpcId": fixture.ID("vpc"), "cidrBlock": "10.0.0.0/24"}),
		fixture.R(tSubnet, "public-b", m{"vpcId": fixture.ID("vpc"), "cidrBlock": "10.0.1.0/24"}),
		fixture.R(tSubnet, "private-a", m{"vpcId": fixture.ID("vpc"), "cidrBlock": "10.0.2.0/24"}),
		fixture.R(tSubnet, "private-b", m{"vpcId": fixture.ID("vpc"), "cidrBlock": "10.0.3.0/24"}),
		fixture.R(tNAT, "nat", m{"subnetId": fixture.ID("public-a")}),
		fixture.R(tRT, "public-rt", m{"vpcId": fixture.ID("vpc"), "routes": l{m{"cidrBlock": "0.0.0.0/0", "gatewayId": fixture.ID("igw")}}}),
		fixture.R(tRT, "public-rt-b", m{"vpcId": fixture.ID("vpc")}),
		fixture.R(tRoute, "public-b-default", m{"routeTableId": fixture.ID("public-rt-b"), "destinationCidrBlock": "0.0.0.0/0",
			"gatewayId": fixture.ID("igw")}),
		fixture.R(tRT, "private-rt", m{"vpcId": fixture.ID("vpc")}),
		fixture.R(tRoute, "private-default", m{"routeTableId": fixture.ID("private-rt"), "destinationCidrBlock": "0.0.0.0/0",
			"natGatewayId": fixture.ID("nat")}),
		fixture.R(tRTA, "rta-public-a", m{"subnetId": fixture.ID("public-a"), "routeTableId": fixture.ID("public-rt")}),
		fixture.R(tRTA, "rta-public-b", m{"subnetId": fixture.ID("public-b"), "routeTableId": fixture.ID("public-rt-b")}),
		fixture.R(tRTA, "rta-private-a", m{"subnetId": fixture.ID("private-a"), "routeTableId": fixture.ID("private-rt")}),
		fixture.R(tRTA, "rta-private-b", m{"subnetId": fixture.ID("private-b"), "routeTableId": fixture.ID("private-rt")}),
	}
	return append(rs, extra...)
}

func subnetGroup(subnets ...string) *fixture.Res {
	ids := l{}
	for _, s := range subnets {
		if s == "subnet-ext" || s == "subnet-0abc" {
			ids = append(ids, s)
			continue
		}
		ids = append(ids, fixture.ID(s))
	}
	return fixture.R(typeRDSSubnetGroup, "db-subnets", m{"subnetIds": ids})
}

func dbCluster(extra m) *fixture.Res {
	in := m{"engine": "aurora-mysql", "storageEncrypted": true, "dbSubnetGroupName": fixture.ID("db-subnets")}
	for k, v := range extra {
		in[k] = v
	}
	return fixture.R(typeRDSCluster, "db", in)
}

var (
	advisoryViolation = func(contains ...string) fixture.Want {
		return fixture.Want{Kind: policy.Violation, Level: policy.Advisory, Contains: contains}
	}
	publicViaIGW = `subnet "public-a" (DB subnet group "db-subnets" subnetIds[0]) is public: it routes 0.0.0.0/0 ` +
		`to internet gateway "igw" via route table "public-rt" (association "rta-public-a")`
)

func TestRDSNotPubliclyAccessible(t *testing.T) {
	inst := func(in m) []*fixture.Res { return []*fixture.Res{fixture.R(typeRDSInstance, "db", in)} }
	runCases(t, RDSNotPubliclyAccessible, []caseT{
		{name: "absent", rs: inst(m{"engine": "mysql"}), target: "db"},
		{name: "false", rs: inst(m{"publiclyAccessible": false}), target: "db"},
		{name: "true", rs: inst(m{"publiclyAccessible": true}), target: "db",
			both: []fixture.Want{{Kind: policy.Violation, Level: policy.Mandatory, Contains: []string{"publiclyAccessible is true"}}}},
		{name: "secret true", rs: inst(m{"publiclyAccessible": fixture.Secret(true)}), target: "db", both: []fixture.Want{violation()}},
		{name: "cluster instance", rs: []*fixture.Res{fixture.R(typeRDSClusterInstance, "db", m{"publiclyAccessible": true})},
			target: "db", both: []fixture.Want{violation(`aws:rds/clusterInstance:ClusterInstance "db"`)}},
		{name: "unknown", rs: inst(m{"publiclyAccessible": fixture.Unknown}), target: "db",
			preview: []fixture.Want{advisory("cannot be verified during preview: publiclyAccessible is not known until update")},
			update:  []fixture.Want{advisory("publiclyAccessible is not known")}},
		{name: "malformed", rs: inst(m{"publiclyAccessible": "yes"}), target: "db",
			both: []fixture.Want{advisory("publiclyAccessible is a string, expected a boolean")}},
	})
}

func TestDatabaseInPrivateSubnets(t *testing.T) {
	privCfg := m{"privateSubnetIds": l{"subnet-ext"}}
	pubCfg := m{"publicSubnetIds": l{"subnet-ext"}}
	runCases(t, DatabaseInPrivateSubnets, []caseT{
		// must not fire
		{name: "private subnets", target: "db", rs: network(subnetGroup("private-a", "private-b"), dbCluster(nil))},
		{name: "subnet group by name", target: "db", rs: network(
			fixture.R(typeRDSSubnetGroup, "db-subnets", m{"name": "my-subnets", "subnetIds": l{fixture.ID("private-a")}}),
			dbCluster(m{"dbSubnetGroupName": "my-subnets"}))},
		{name: "external subnet named private", cfg: privCfg, target: "db",
			rs: network(subnetGroup("private-a", "subnet-ext"), dbCluster(nil))},
		{name: "replica without group", target: "db",
			rs: []*fixture.Res{fixture.R(typeRDSInstance, "db", m{"replicateSourceDb": "src"})}},
		{name: "opensearch private", target: "search", rs: network(fixture.R(typeOpenSearchDomain, "search",
			m{"vpcOptions": m{"subnetIds": l{fixture.ID("private-a")}}}))},
		{name: "private via main route table", target: "db", rs: append(network(
			fixture.R(tSubnet, "main-only", m{"vpcId": fixture.ID("vpc")}),
			fixture.R(tMain, "main", m{"vpcId": fixture.ID("vpc"), "routeTableId": fixture.ID("private-rt")})),
			subnetGroup("main-only"), dbCluster(nil))},
		{name: "vpc default route table", target: "db", rs: append(network(
			fixture.R(tSubnet, "main-only", m{"vpcId": fixture.ID("vpc")})), subnetGroup("main-only"), dbCluster(nil))},

		// must fire
		{name: "public via inline igw route", target: "db",
			rs: network(subnetGroup("public-a", "private-a"), dbCluster(nil)),
			// In preview the ids are unknown: the engine's dependencies say
			// which subnets, not which item.
			preview: []fixture.Want{violation(strings.Replace(publicViaIGW, "subnetIds[0]", "subnetIds", 1), "Fix:")},
			update:  []fixture.Want{violation(publicViaIGW, "Fix:")}},
		{name: "public via route resource", target: "db",
			rs: network(subnetGroup("private-a", "public-b"), dbCluster(nil)),
			preview: []fixture.Want{violation(`subnet "public-b" (DB subnet group "db-subnets" subnetIds) is public: it routes ` +
				`0.0.0.0/0 to internet gateway "igw" (route "public-b-default") via route table "public-rt-b"`)},
			update: []fixture.Want{violation(`subnet "public-b" (DB subnet group "db-subnets" subnetIds[1]) is public`)}},
		{name: "public via literal igw id", target: "db", rs: append(network(
			fixture.R(tSubnet, "lit", m{"vpcId": fixture.ID("vpc")}),
			fixture.R(tRT, "lit-rt", m{"routes": l{m{"ipv6CidrBlock": "::/0", "gatewayId": "igw-0123"}}}),
			fixture.R(tRTA, "lit-rta", m{"subnetId": fixture.ID("lit"), "routeTableId": fixture.ID("lit-rt")})),
			subnetGroup("lit"), dbCluster(nil)),
			both: []fixture.Want{violation("routes ::/0 to internet gateway igw-0123")}},
		{name: "public by mapPublicIpOnLaunch", target: "db", rs: append(network(
			fixture.R(tSubnet, "mapped", m{"vpcId": fixture.ID("vpc"), "mapPublicIpOnLaunch": true})),
			subnetGroup("mapped"), dbCluster(nil)),
			both: []fixture.Want{violation("mapPublicIpOnLaunch is true")}},
		{name: "public via main association", target: "db", rs: append(network(
			fixture.R(tSubnet, "main-only", m{"vpcId": fixture.ID("vpc")}),
			fixture.R(tMain, "main", m{"vpcId": fixture.ID("vpc"), "routeTableId": fixture.ID("public-rt")})),
			subnetGroup("main-only"), dbCluster(nil)),
			both: []fixture.Want{violation(`the main route table of VPC "vpc" (main association "main")`)}},
		{name: "no subnet group", target: "db", rs: []*fixture.Res{fixture.R(typeRDSInstance, "db", m{"engine": "mysql"})},
			both: []fixture.Want{violation("dbSubnetGroupName is not set", "default VPC")}},
		{name: "external subnet named public", cfg: pubCfg, target: "db",
			rs:   network(subnetGroup("subnet-ext"), dbCluster(nil)),
			both: []fixture.Want{violation("subnet subnet-ext (DB subnet group \"db-subnets\" subnetIds[0]) is public: policy config publicSubnetIds")}},
		{name: "opensearch without vpc", target: "search", rs: []*fixture.Res{fixture.R(typeOpenSearchDomain, "search", m{})},
			both: []fixture.Want{violation("vpcOptions is not set")}},
		{name: "opensearch public", target: "search", rs: network(fixture.R(typeOpenSearchDomain, "search",
			m{"vpcOptions": m{"subnetIds": l{fixture.ID("public-a")}}})),
			both: []fixture.Want{violation(`subnet "public-a" (vpcOptions.subnetIds[0]) is public`)}},

		// cannot tell
		{name: "external subnet", target: "db", rs: network(subnetGroup("subnet-ext"), dbCluster(nil)),
			both: []fixture.Want{advisory("subnet subnet-ext", "is not in the stack", "privateSubnetIds")}},
		{name: "external subnet group", target: "db",
			rs:   []*fixture.Res{dbCluster(m{"dbSubnetGroupName": "shared-subnets"})},
			both: []fixture.Want{advisory("DB subnet group shared-subnets is not in the stack")}},
		{name: "external vpc", target: "db", rs: []*fixture.Res{
			fixture.R(tSubnet, "orphan", m{"vpcId": "vpc-0ext"}), subnetGroup("orphan"), dbCluster(nil)},
			both: []fixture.Want{advisory("its VPC vpc-0ext is not in the stack")}},
		{name: "subnet group unknown", target: "db", rs: []*fixture.Res{dbCluster(m{"dbSubnetGroupName": fixture.Unknown})},
			preview: []fixture.Want{advisory("cannot be verified during preview: dbSubnetGroupName is not known until update")},
			update:  []fixture.Want{advisory("dbSubnetGroupName is not known")}},
		{name: "association subnet unknown", target: "rta-loose", rs: []*fixture.Res{
			fixture.R(tVPC, "vpc", m{}), fixture.R(tSubnet, "s", m{"vpcId": fixture.ID("vpc")}),
			fixture.R(tRTA, "rta-loose", m{"subnetId": fixture.Unknown, "routeTableId": "rtb-1"}),
			subnetGroup("s"), dbCluster(nil)},
			preview: []fixture.Want{advisory("cannot be verified during preview: subnetId is not known until update")},
			update:  []fixture.Want{advisory("subnetId is not known")}},
	})
}

func TestAppInPrivateSubnets(t *testing.T) {
	svc := func(subnets l, public any) *fixture.Res {
		return fixture.R(typeECSService, "svc", m{"networkConfiguration": m{"subnets": subnets, "assignPublicIp": public}})
	}
	runCases(t, AppInPrivateSubnets, []caseT{
		{name: "ecs private", target: "svc", rs: network(svc(l{fixture.ID("private-a"), fixture.ID("private-b")}, false))},
		{name: "ecs external named private", target: "svc", cfg: m{"privateSubnetIds": l{"subnet-ext"}},
			rs: network(svc(l{"subnet-ext"}, false))},
		{name: "ec2 private", target: "vm", rs: network(fixture.R(typeEC2Instance, "vm", m{"subnetId": fixture.ID("private-a")}))},
		{name: "asg private", target: "asg", rs: network(fixture.R(typeAutoscalingGroup, "asg",
			m{"vpcZoneIdentifiers": l{fixture.ID("private-a"), fixture.ID("private-b")}}))},
		{name: "load balancer not judged", target: "lb", rs: network(fixture.R(typeLoadBalancer, "lb",
			m{"subnets": l{fixture.ID("public-a")}}))},

		{name: "ecs public ip", target: "svc", rs: network(svc(l{fixture.ID("private-a")}, true)),
			both: []fixture.Want{violation("networkConfiguration.assignPublicIp is true")}},
		{name: "ecs public subnet", target: "svc", rs: network(svc(l{fixture.ID("private-a"), fixture.ID("public-b")}, false)),
			preview: []fixture.Want{violation(`subnet "public-b" (networkConfiguration.subnets) is public`)},
			update:  []fixture.Want{violation(`subnet "public-b" (networkConfiguration.subnets[1]) is public`)}},
		{name: "ec2 public ip", target: "vm", rs: network(fixture.R(typeEC2Instance, "vm",
			m{"subnetId": fixture.ID("private-a"), "associatePublicIpAddress": true})),
			both: []fixture.Want{violation("associatePublicIpAddress is true")}},
		{name: "ec2 default vpc", target: "vm", rs: []*fixture.Res{fixture.R(typeEC2Instance, "vm", m{"ami": "ami-1"})},
			both: []fixture.Want{violation("subnetId is not set")}},
		{name: "launch template public ip", target: "lt", rs: network(fixture.R(typeLaunchTemplate, "lt",
			m{"networkInterfaces": l{m{"associatePublicIpAddress": true, "subnetId": fixture.ID("private-a")}}})),
			both: []fixture.Want{violation("networkInterfaces[0].associatePublicIpAddress is true")}},
		{name: "node group public", target: "ng", rs: network(fixture.R(typeEKSNodeGroup, "ng",
			m{"subnetIds": l{fixture.ID("public-a")}})),
			both: []fixture.Want{violation(`subnet "public-a" (subnetIds[0]) is public`)}},
		{name: "ecs external subnets", target: "svc", rs: network(svc(l{"subnet-ext"}, false)),
			both: []fixture.Want{advisory("subnet subnet-ext (networkConfiguration.subnets[0]) is not in the stack")}},
		{name: "ecs public ip unknown", target: "svc", rs: network(svc(l{fixture.ID("private-a")}, fixture.Unknown)),
			preview: []fixture.Want{advisory("networkConfiguration.assignPublicIp is not known until update")},
			update:  []fixture.Want{advisory("networkConfiguration.assignPublicIp is not known")}},
	})
}

func TestSecurityGroupNoUnrestrictedIngress(t *testing.T) {
	sg := func(rules ...any) []*fixture.Res { return []*fixture.Res{fixture.R(tSG, "sg", m{"ingress": l(rules)})} }
	in := func(proto string, from, to int, cidrs ...any) m {
		return m{"protocol": proto, "fromPort": from, "toPort": to, "cidrBlocks": l(cidrs)}
	}
	runCases(t, SecurityGroupNoUnrestrictedIngress, []caseT{
		{name: "https from anywhere", target: "sg", rs: sg(in("tcp", 443, 443, "0.0.0.0/0"))},
		{name: "ssh from private", target: "sg", rs: sg(in("tcp", 22, 22, "10.0.0.0/8"))},
		{name: "range without sensitive ports", target: "sg", rs: sg(in("tcp", 1000, 2000, "0.0.0.0/0"))},
		{name: "icmp from anywhere", target: "sg", rs: sg(in("icmp", -1, -1, "0.0.0.0/0"))},
		{name: "egress open", target: "sg", rs: []*fixture.Res{fixture.R(tSG, "sg", m{"egress": l{in("-1", 0, 0, "0.0.0.0/0")}})}},
		{name: "rule resource egress", target: "r", rs: []*fixture.Res{fixture.R(tSGRule, "r", m{"type": "egress", "protocol": "-1",
			"fromPort": 0, "toPort": 0, "cidrBlocks": l{"0.0.0.0/0"}, "securityGroupId": "sg-1"})}},
		{name: "custom sensitive ports", target: "sg", cfg: m{"sensitivePorts": l{8080}}, rs: sg(in("tcp", 22, 22, "0.0.0.0/0"))},

		{name: "ssh from anywhere", target: "sg", rs: sg(in("tcp", 22, 22, "0.0.0.0/0")),
			both: []fixture.Want{violation("ingress[0] admits 0.0.0.0/0 (ingress[0].cidrBlocks[0]) to tcp 22, which includes sensitive port 22")}},
		{name: "uppercase protocol", target: "sg", rs: sg(in("TCP", 5432, 5432, "0.0.0.0/0")),
			both: []fixture.Want{violation("sensitive port 5432")}},
		{name: "all traffic ipv6", target: "sg", rs: sg(m{"protocol": "-1", "fromPort": 0, "toPort": 0, "ipv6CidrBlocks": l{"::/0"}}),
			both: []fixture.Want{violation("admits ::/0 (ingress[0].ipv6CidrBlocks[0]) to all traffic")}},
		{name: "all ports", target: "sg", rs: sg(in("tcp", 0, 65535, "0.0.0.0/0")),
			both: []fixture.Want{violation("to tcp all ports")}},
		{name: "range with sensitive ports", target: "sg", rs: sg(in("tcp", 3000, 3400, "0.0.0.0/0")),
			both: []fixture.Want{violation("which includes sensitive ports 3306, 3389")}},
		{name: "custom port", target: "sg", cfg: m{"sensitivePorts": l{8080}}, rs: sg(in("tcp", 8080, 8080, "0.0.0.0/0")),
			both: []fixture.Want{violation("sensitive port 8080")}},
		{name: "host bits", target: "sg", rs: sg(in("tcp", 22, 22, "0.0.0.1/0")), both: []fixture.Want{violation()}},
		{name: "rule resource", target: "r", rs: []*fixture.Res{fixture.R(tSGRule, "r", m{"type": "ingress", "protocol": "tcp",
			"fromPort": 5432, "toPort": 5432, "cidrBlocks": l{"0.0.0.0/0"}, "securityGroupId": "sg-1"})},
			both: []fixture.Want{violation("admits 0.0.0.0/0 (cidrBlocks[0]) to tcp 5432")}},
		{name: "vpc ingress rule all", target: "r", rs: []*fixture.Res{fixture.R(tIn, "r", m{"ipProtocol": "-1", "cidrIpv4": "0.0.0.0/0",
			"securityGroupId": "sg-1"})}, both: []fixture.Want{violation("admits 0.0.0.0/0 (cidrIpv4) to all traffic")}},
		{name: "vpc ingress rule redis", target: "r", rs: []*fixture.Res{fixture.R(tIn, "r", m{"ipProtocol": "tcp", "fromPort": 6379,
			"toPort": 6379, "cidrIpv6": "::/0", "securityGroupId": "sg-1"})}, both: []fixture.Want{violation("sensitive port 6379")}},

		{name: "malformed cidr", target: "sg", rs: sg(in("tcp", 22, 22, "10.0.0.300/8")),
			both: []fixture.Want{advisory(`ingress[0].cidrBlocks[0] "10.0.0.300/8" is not a valid CIDR block`)}},
		{name: "ports reversed", target: "sg", rs: sg(in("tcp", 443, 80, "0.0.0.0/0")),
			both: []fixture.Want{advisory("ingress[0].fromPort 443 is above ingress[0].toPort 80")}},
		{name: "port missing", target: "sg", rs: sg(m{"protocol": "tcp", "toPort": 22, "cidrBlocks": l{"0.0.0.0/0"}}),
			both: []fixture.Want{advisory("ingress[0].fromPort is not set")}},
		{name: "port as string", target: "sg", rs: sg(m{"protocol": "tcp", "fromPort": "22", "toPort": 22, "cidrBlocks": l{"0.0.0.0/0"}}),
			both: []fixture.Want{advisory("ingress[0].fromPort is a string, expected a number")}},
		{name: "cidrs unknown", target: "sg", rs: sg(m{"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": fixture.Unknown}),
			preview: []fixture.Want{advisory("cannot be verified during preview: ingress[0].cidrBlocks is not known until update")},
			update:  []fixture.Want{advisory("ingress[0].cidrBlocks is not known")}},
		{name: "cidr item unknown", target: "sg", rs: sg(m{"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": l{fixture.Unknown}}),
			preview: []fixture.Want{advisory("ingress[0].cidrBlocks[0] is not known until update")},
			update:  []fixture.Want{advisory("ingress[0].cidrBlocks[0] is not known")}},
		{name: "secret cidr", target: "sg", rs: sg(m{"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": l{fixture.Secret("bad-cidr-secret")}}),
			both: []fixture.Want{advisory(`ingress[0].cidrBlocks[0] [secret] is not a valid CIDR block`)}},
	})
}

// dbWorld is the network plus an app service, a database with its own
// security group, and the app's group.
func dbWorld(dbRules []any, extra ...*fixture.Res) []*fixture.Res {
	return network(append([]*fixture.Res{
		fixture.R(tSG, "app-sg", m{"vpcId": fixture.ID("vpc")}),
		fixture.R(tSG, "db-sg", m{"vpcId": fixture.ID("vpc"), "ingress": l(dbRules)}),
		subnetGroup("private-a", "private-b"),
		dbCluster(m{"vpcSecurityGroupIds": l{fixture.ID("db-sg")}}),
	}, extra...)...)
}

func TestDatabaseSecurityGroupRestricted(t *testing.T) {
	from := func(proto string, from, to int, cidrs ...any) m {
		return m{"protocol": proto, "fromPort": from, "toPort": to, "cidrBlocks": l(cidrs)}
	}
	runCases(t, DatabaseSecurityGroupRestricted, []caseT{
		{name: "app group on db port", target: "db-sg", rs: dbWorld(l{m{"protocol": "tcp", "fromPort": 3306,
			"toPort": 3306, "securityGroups": l{fixture.ID("app-sg")}}})},
		{name: "separate rule from app group", target: "to-db", rs: dbWorld(nil, fixture.R(tSGRule, "to-db", m{"type": "ingress",
			"protocol": "tcp", "fromPort": 3306, "toPort": 3306, "securityGroupId": fixture.ID("db-sg"),
			"sourceSecurityGroupId": fixture.ID("app-sg")}))},
		{name: "vpc cidr on db port", target: "db-sg", rs: dbWorld(l{from("tcp", 3306, 3306, "10.0.0.0/16")})},
		{name: "egress open is not judged here", target: "db-sg",
			rs: network(fixture.R(tSG, "db-sg", m{"egress": l{from("-1", 0, 0, "0.0.0.0/0")}}), subnetGroup("private-a"),
				dbCluster(m{"vpcSecurityGroupIds": l{fixture.ID("db-sg")}}))},
		{name: "non-rfc1918 vpc range", target: "db-sg", rs: []*fixture.Res{
			fixture.R(tVPC, "vpc", m{"cidrBlock": "100.64.0.0/16"}),
			fixture.R(tSG, "db-sg", m{"vpcId": fixture.ID("vpc"), "ingress": l{from("tcp", 3306, 3306, "100.64.1.0/24")}}),
			fixture.R(typeRDSCluster, "db", m{"engine": "aurora-mysql", "vpcSecurityGroupIds": l{fixture.ID("db-sg")}})}},
		{name: "explicit port", target: "db-sg", rs: []*fixture.Res{
			fixture.R(tSG, "db-sg", m{"ingress": l{from("tcp", 15432, 15432, "10.0.0.0/8")}}),
			fixture.R(typeRDSInstance, "db", m{"engine": "postgres", "port": 15432, "vpcSecurityGroupIds": l{fixture.ID("db-sg")}})}},

		{name: "open to the internet", target: "db-sg", rs: dbWorld(l{from("tcp", 3306, 3306, "0.0.0.0/0")}),
			both: []fixture.Want{violation(`rule ingress[0] of security group "db-sg", attached to aws:rds/cluster:Cluster "db" (vpcSecurityGroupIds[0])`,
				"admits 0.0.0.0/0 (ingress[0].cidrBlocks[0]), which is not a private address range")}},
		{name: "all ports from vpc", target: "db-sg", rs: dbWorld(l{from("-1", 0, 0, "10.0.0.0/16")}),
			both: []fixture.Want{violation("opens all traffic")}},
		{name: "wrong port", target: "db-sg", rs: dbWorld(l{from("tcp", 22, 22, "10.0.0.0/16")}),
			both: []fixture.Want{violation("opens tcp 22, not only the database port 3306")}},
		{name: "postgres default port", target: "db-sg", rs: []*fixture.Res{
			fixture.R(tSG, "db-sg", m{"ingress": l{from("tcp", 3306, 3306, "10.0.0.0/8")}}),
			fixture.R(typeRDSInstance, "db", m{"engine": "postgres", "vpcSecurityGroupIds": l{fixture.ID("db-sg")}})},
			both: []fixture.Want{violation("not only the database port 5432")}},
		{name: "vpc rule form", target: "open", rs: dbWorld(nil, fixture.R(tIn, "open", m{"ipProtocol": "tcp", "fromPort": 3306,
			"toPort": 3306, "cidrIpv4": "203.0.113.0/24", "securityGroupId": fixture.ID("db-sg")})),
			both: []fixture.Want{violation("this rule of security group \"db-sg\"", "admits 203.0.113.0/24 (cidrIpv4)")}},
		{name: "opensearch open", target: "search-sg", rs: network(
			fixture.R(tSG, "search-sg", m{"ingress": l{from("tcp", 443, 443, "0.0.0.0/0")}}),
			fixture.R(typeOpenSearchDomain, "search", m{"vpcOptions": m{"subnetIds": l{fixture.ID("private-a")},
				"securityGroupIds": l{fixture.ID("search-sg")}}})),
			both: []fixture.Want{violation("attached to aws:opensearch/domain:Domain \"search\"")}},

		{name: "external group", target: "db", rs: []*fixture.Res{fixture.R(typeRDSCluster, "db", m{"engine": "aurora-mysql",
			"vpcSecurityGroupIds": l{"sg-0ext"}})},
			both: []fixture.Want{advisory("security group sg-0ext (vpcSecurityGroupIds[0]) is not in the stack")}},
		{name: "rule source unknown", target: "db-sg", rs: dbWorld(l{m{"protocol": "tcp", "fromPort": 3306, "toPort": 3306,
			"cidrBlocks": fixture.Unknown}}),
			preview: []fixture.Want{advisory("ingress[0].cidrBlocks is not known until update")},
			update:  []fixture.Want{advisory("ingress[0].cidrBlocks is not known")}},
	})
}

func TestAppSecurityGroupRestricted(t *testing.T) {
	svc := fixture.R(typeECSService, "svc", m{"networkConfiguration": m{"subnets": l{fixture.ID("private-a")},
		"securityGroups": l{fixture.ID("app-sg")}}})
	world := func(rules ...any) []*fixture.Res {
		return network(fixture.R(tSG, "lb-sg", m{}), fixture.R(tSG, "app-sg", m{"vpcId": fixture.ID("vpc"), "ingress": l(rules)}), svc)
	}
	runCases(t, AppSecurityGroupRestricted, []caseT{
		{name: "from the load balancer", target: "app-sg", rs: world(m{"protocol": "tcp", "fromPort": 8080,
			"toPort": 8080, "securityGroups": l{fixture.ID("lb-sg")}})},
		{name: "from the vpc", target: "app-sg", rs: world(m{"protocol": "tcp", "fromPort": 8080, "toPort": 8080,
			"cidrBlocks": l{"10.0.0.0/16"}})},
		{name: "from the internet", target: "app-sg", rs: world(m{"protocol": "tcp", "fromPort": 8080, "toPort": 8080,
			"cidrBlocks": l{"0.0.0.0/0"}}),
			both: []fixture.Want{{Kind: policy.Violation, Level: policy.Mandatory, Contains: []string{
				`attached to aws:ecs/service:Service "svc" (networkConfiguration.securityGroups[0]), admits 0.0.0.0/0`}}}},
		{name: "ec2 from a public range", target: "vm-sg", rs: network(
			fixture.R(tSG, "vm-sg", m{"ingress": l{m{"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": l{"198.51.100.7/32"}}}}),
			fixture.R(typeEC2Instance, "vm", m{"subnetId": fixture.ID("private-a"), "vpcSecurityGroupIds": l{fixture.ID("vm-sg")}})),
			both: []fixture.Want{violation("admits 198.51.100.7/32")}},
		{name: "groups unknown", target: "svc", rs: network(fixture.R(typeECSService, "svc", m{"networkConfiguration": m{
			"securityGroups": fixture.Unknown}})),
			preview: []fixture.Want{advisory("networkConfiguration.securityGroups is not known until update")},
			update:  []fixture.Want{advisory("networkConfiguration.securityGroups is not known")}},
	})
}

func TestLoadBalancerIngressAllowlist(t *testing.T) {
	lb := func(internal bool) *fixture.Res {
		return fixture.R(typeLoadBalancer, "lb", m{"internal": internal, "securityGroups": l{fixture.ID("lb-sg")},
			"subnets": l{fixture.ID("public-a"), fixture.ID("public-b")}})
	}
	world := func(internal bool, rules ...any) []*fixture.Res {
		return network(fixture.R(tSG, "lb-sg", m{"ingress": l(rules)}), lb(internal))
	}
	tcp := func(from, to int, cidr string) m {
		return m{"protocol": "tcp", "fromPort": from, "toPort": to, "cidrBlocks": l{cidr}}
	}
	allow := m{"ingressAllowList": l{"203.0.113.0/24"}}
	runCases(t, LoadBalancerIngressAllowlist, []caseT{
		{name: "inside allowlist", cfg: allow, target: "lb-sg", rs: world(false, tcp(443, 443, "203.0.113.0/25"))},
		{name: "public on purpose", cfg: m{"ingressAllowList": l{"0.0.0.0/0", "::/0"}}, target: "lb-sg",
			rs: world(false, tcp(443, 443, "0.0.0.0/0"), tcp(80, 80, "0.0.0.0/0"))},
		{name: "internal", target: "lb-sg", rs: world(true, tcp(8443, 8443, "0.0.0.0/0"))},
		{name: "private source", target: "lb-sg", rs: world(false, tcp(443, 443, "10.0.0.0/8"))},
		{name: "alb alias token", cfg: allow, target: "lb-sg", rs: network(fixture.R(tSG, "lb-sg", m{"ingress": l{tcp(443, 443, "203.0.113.0/24")}}),
			fixture.R(typeALBLoadBalancer, "lb", m{"securityGroups": l{fixture.ID("lb-sg")}}))},

		{name: "no allowlist", target: "lb-sg", rs: world(false, tcp(443, 443, "0.0.0.0/0")),
			both: []fixture.Want{violation(`rule ingress[0] of security group "lb-sg", in front of internet-facing aws:lb/loadBalancer:LoadBalancer "lb", admits 0.0.0.0/0`,
				"no ingress allowlist is configured", `"ingressAllowList": ["203.0.113.0/24"]`)}},
		{name: "outside allowlist", cfg: allow, target: "lb-sg", rs: world(false, tcp(443, 443, "198.51.100.0/24")),
			both: []fixture.Want{violation("admits 198.51.100.0/24 (ingress[0].cidrBlocks[0]), which is outside the ingress allowlist [203.0.113.0/24]")}},
		{name: "wider than allowlist", cfg: allow, target: "lb-sg", rs: world(false, tcp(443, 443, "203.0.112.0/23")),
			both: []fixture.Want{violation("outside the ingress allowlist")}},
		{name: "other port", cfg: m{"ingressAllowList": l{"0.0.0.0/0"}}, target: "lb-sg", rs: world(false, tcp(8080, 8080, "0.0.0.0/0")),
			both: []fixture.Want{violation("opens tcp 8080 to the internet; a load balancer needs only 443")}},
		{name: "port range", cfg: allow, target: "lb-sg", rs: world(false, tcp(80, 443, "203.0.113.0/24")),
			both: []fixture.Want{violation("opens tcp 80-443")}},
		{name: "joined rule resource", cfg: allow, target: "extra", rs: append(world(false),
			fixture.R(tSGRule, "extra", m{"type": "ingress", "protocol": "tcp", "fromPort": 443, "toPort": 443,
				"cidrBlocks": l{"0.0.0.0/0"}, "securityGroupId": fixture.ID("lb-sg")})),
			both: []fixture.Want{violation("this rule of security group \"lb-sg\"", "admits 0.0.0.0/0 (cidrBlocks[0])")}},
		{name: "internal unknown", target: "lb", rs: network(fixture.R(tSG, "lb-sg", m{"ingress": l{tcp(443, 443, "0.0.0.0/0")}}),
			fixture.R(typeLoadBalancer, "lb", m{"internal": fixture.Unknown, "securityGroups": l{fixture.ID("lb-sg")}})),
			preview: []fixture.Want{advisory("internal is not known until update")},
			update:  []fixture.Want{advisory("internal is not known")}},
	})
}

func TestSecurityGroupEgressRestricted(t *testing.T) {
	svc := fixture.R(typeECSService, "svc", m{"networkConfiguration": m{"securityGroups": l{fixture.ID("app-sg")}}})
	runCases(t, SecurityGroupEgressRestricted, []caseT{
		{name: "https only", target: "app-sg", rs: []*fixture.Res{fixture.R(tSG, "app-sg", m{"egress": l{m{"protocol": "tcp",
			"fromPort": 443, "toPort": 443, "cidrBlocks": l{"0.0.0.0/0"}}}}), svc}},
		{name: "unattached group", target: "other", rs: []*fixture.Res{fixture.R(tSG, "other", m{"egress": l{m{"protocol": "-1",
			"fromPort": 0, "toPort": 0, "cidrBlocks": l{"0.0.0.0/0"}}}})}},

		{name: "all egress inline", target: "app-sg", rs: []*fixture.Res{fixture.R(tSG, "app-sg", m{"egress": l{m{"protocol": "-1",
			"fromPort": 0, "toPort": 0, "cidrBlocks": l{"0.0.0.0/0"}}}}), svc},
			both: []fixture.Want{advisoryViolation(`rule egress[0] of security group "app-sg" (attached to aws:ecs/service:Service "svc") allows egress to 0.0.0.0/0`)}},
		{name: "all egress vpc rule", target: "out", rs: []*fixture.Res{fixture.R(tSG, "app-sg", m{}), svc,
			fixture.R(tOut, "out", m{"ipProtocol": "-1", "cidrIpv6": "::/0", "securityGroupId": fixture.ID("app-sg")})},
			both: []fixture.Want{advisoryViolation("allows egress to ::/0 (cidrIpv6) on all traffic")}},
		{name: "database group", target: "db-sg", rs: []*fixture.Res{fixture.R(tSG, "db-sg", m{"egress": l{m{"protocol": "-1",
			"fromPort": 0, "toPort": 0, "cidrBlocks": l{"0.0.0.0/0"}}}}),
			fixture.R(typeRDSCluster, "db", m{"vpcSecurityGroupIds": l{fixture.ID("db-sg")}}),
			fixture.R(tOut, "unrelated", m{"ipProtocol": "-1", "cidrIpv4": "0.0.0.0/0", "securityGroupId": "sg-unrelated"})},
			both: []fixture.Want{advisoryViolation("attached to aws:rds/cluster:Cluster \"db\"")}},
	})
}

// The internet written as several ranges, and the VPC's default group.
func TestUnrestrictedIngressRangeUnions(t *testing.T) {
	in := func(from, to int, cidrs ...any) m {
		return m{"protocol": "tcp", "fromPort": from, "toPort": to, "cidrBlocks": l(cidrs)}
	}
	sg := func(rules ...any) []*fixture.Res { return []*fixture.Res{fixture.R(tSG, "sg", m{"ingress": l(rules)})} }
	runCases(t, SecurityGroupNoUnrestrictedIngress, []caseT{
		{name: "one half is not everyone", target: "sg", rs: sg(in(22, 22, "0.0.0.0/1"))},
		{name: "halves on different ports", target: "sg", rs: sg(in(22, 22, "0.0.0.0/1"), in(3306, 3306, "128.0.0.0/1"))},
		{name: "halves of different families", target: "sg", rs: sg(m{"protocol": "tcp", "fromPort": 22, "toPort": 22,
			"cidrBlocks": l{"0.0.0.0/1"}, "ipv6CidrBlocks": l{"8000::/1"}})},
		{name: "default group from the vpc", target: "default", rs: []*fixture.Res{fixture.R(awsnet.TypeDefaultSecurityGroup, "default",
			m{"vpcId": "vpc-1", "ingress": l{m{"protocol": "-1", "fromPort": 0, "toPort": 0, "self": true}}})}},

		{name: "two halves in one rule", target: "sg", rs: sg(in(22, 22, "0.0.0.0/1", "128.0.0.0/1")),
			both: []fixture.Want{violation("ingress[0] admits all of IPv4 (0.0.0.0/1 at ingress[0].cidrBlocks[0], " +
				"128.0.0.0/1 at ingress[0].cidrBlocks[1]) to tcp 22, which includes sensitive port 22")}},
		{name: "ipv6 halves in one rule", target: "sg", rs: sg(m{"protocol": "-1", "fromPort": 0, "toPort": 0,
			"ipv6CidrBlocks": l{"::/1", "8000::/1"}}),
			both: []fixture.Want{violation("admits all of IPv6 (::/1 at ingress[0].ipv6CidrBlocks[0], 8000::/1 at " +
				"ingress[0].ipv6CidrBlocks[1]) to all traffic")}},
		{name: "halves in two rules", target: "sg", rs: sg(in(22, 22, "0.0.0.0/1"), in(0, 65535, "128.0.0.0/1")),
			both: []fixture.Want{violation("ingress[0] and ingress[1] admit all of IPv4 (0.0.0.0/1 at " +
				"ingress[0].cidrBlocks[0], 128.0.0.0/1 at ingress[1].cidrBlocks[0]) to sensitive port 22")}},
		{name: "quarters across rules, several ports", target: "sg", rs: sg(
			in(3000, 3400, "0.0.0.0/2", "64.0.0.0/2"), in(3306, 3306, "128.0.0.0/1")),
			both: []fixture.Want{violation("ingress[0] and ingress[1] admit", "to sensitive port 3306")}},
		{name: "default group open to the world", target: "default", rs: []*fixture.Res{fixture.R(awsnet.TypeDefaultSecurityGroup,
			"default", m{"vpcId": "vpc-1", "ingress": l{m{"protocol": "-1", "fromPort": 0, "toPort": 0,
				"cidrBlocks": l{"0.0.0.0/0"}}}})},
			both: []fixture.Want{violation(`aws:ec2/defaultSecurityGroup:DefaultSecurityGroup "default"`,
				"ingress[0] admits 0.0.0.0/0 (ingress[0].cidrBlocks[0]) to all traffic")}},
	})
	svc := fixture.R(typeECSService, "svc", m{"networkConfiguration": m{"securityGroups": l{fixture.ID("app-sg")}}})
	runCases(t, SecurityGroupEgressRestricted, []caseT{
		{name: "egress to half the internet", target: "app-sg", rs: []*fixture.Res{fixture.R(tSG, "app-sg", m{"egress": l{m{
			"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": l{"0.0.0.0/1"}}}}), svc}},
		{name: "egress to both halves", target: "app-sg", rs: []*fixture.Res{fixture.R(tSG, "app-sg", m{"egress": l{m{
			"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": l{"0.0.0.0/1", "128.0.0.0/1"}}}}), svc},
			both: []fixture.Want{advisoryViolation("allows egress to all of IPv4 (0.0.0.0/1 at egress[0].cidrBlocks[0], " +
				"128.0.0.0/1 at egress[0].cidrBlocks[1]) on all traffic")}},
	})
}

// A default route on the VPC's own main route table, added by an
// aws:ec2/route that names vpc.mainRouteTableId.
func TestMainRouteTableRoutes(t *testing.T) {
	world := func(dest string, viaIGW bool) []*fixture.Res {
		route := m{"routeTableId": fixture.OutputOf("vpc", "mainRouteTableId"), "destinationCidrBlock": dest}
		if viaIGW {
			route["gatewayId"] = fixture.ID("igw")
		} else {
			route["natGatewayId"] = fixture.ID("nat")
		}
		return []*fixture.Res{
			fixture.R(tVPC, "vpc", m{"cidrBlock": "10.0.0.0/16"}).Output("mainRouteTableId", "rtb-main"),
			fixture.R(tIGW, "igw", m{"vpcId": fixture.ID("vpc")}),
			fixture.R(tNAT, "nat", m{"subnetId": "subnet-0pub"}),
			fixture.R(tRoute, "main-default", route),
			fixture.R(tSubnet, "main-only", m{"vpcId": fixture.ID("vpc"), "cidrBlock": "10.0.9.0/24"}),
			subnetGroup("main-only"), dbCluster(nil),
		}
	}
	svc := fixture.R(typeECSService, "svc", m{"networkConfiguration": m{"subnets": l{fixture.ID("main-only")}}})
	runCases(t, DatabaseInPrivateSubnets, []caseT{
		{name: "main table routes to a nat gateway", target: "db", rs: world("0.0.0.0/0", false)},
		{name: "main table routes a narrow range to the igw", target: "db", rs: world("198.51.100.0/24", true)},
		{name: "main table routes to the igw", target: "db", rs: world("0.0.0.0/0", true),
			both: []fixture.Want{violation(`subnet "main-only"`, `is public: it routes 0.0.0.0/0 to internet gateway "igw" `+
				`(route "main-default") via the main route table of VPC "vpc" (its mainRouteTableId)`)}},
	})
	runCases(t, AppInPrivateSubnets, []caseT{
		{name: "app behind nat", target: "svc", rs: append(world("0.0.0.0/0", false), svc)},
		{name: "app on the main table with igw", target: "svc", rs: append(world("::/0", true)[:0:0],
			append(world("0.0.0.0/0", true), svc)...),
			both: []fixture.Want{violation(`subnet "main-only"`, "via the main route table of VPC \"vpc\"")}},
	})
}

// The VPC's own ranges are private: an IPv6 block that exists only as an
// output, and secondary blocks.
func TestVPCRangesArePrivate(t *testing.T) {
	world := func(cidr string, extra ...*fixture.Res) []*fixture.Res {
		rs := []*fixture.Res{
			fixture.R(tVPC, "vpc", m{"cidrBlock": "10.0.0.0/16", "assignGeneratedIpv6CidrBlock": true}).
				Output("ipv6CidrBlock", "2600:1f14:abc:de00::/56"),
			fixture.R("aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation", "secondary",
				m{"vpcId": fixture.ID("vpc"), "cidrBlock": "100.64.0.0/16"}),
			fixture.R(tSG, "db-sg", m{"vpcId": fixture.ID("vpc"), "ingress": l{m{"protocol": "tcp", "fromPort": 3306, "toPort": 3306,
				"cidrBlocks": l{cidr}}}}),
			fixture.R(typeRDSCluster, "db", m{"engine": "aurora-mysql", "vpcSecurityGroupIds": l{fixture.ID("db-sg")}}),
		}
		return append(rs, extra...)
	}
	v6 := func(cidr string) []*fixture.Res {
		rs := world("10.0.0.0/16")
		rs[2] = fixture.R(tSG, "db-sg", m{"vpcId": fixture.ID("vpc"), "ingress": l{m{"protocol": "tcp", "fromPort": 3306,
			"toPort": 3306, "ipv6CidrBlocks": l{cidr}}}})
		return rs
	}
	runCases(t, DatabaseSecurityGroupRestricted, []caseT{
		{name: "primary block", target: "db-sg", rs: world("10.0.4.0/24")},
		{name: "secondary block", target: "db-sg", rs: world("100.64.3.0/24")},
		// In preview the block is not known yet: the rule's range may be the
		// VPC's own, so no verdict on the rule (nothing on db-sg), and the
		// unknown block is noted on the VPC.
		{name: "ipv6 block from the outputs", target: "vpc", rs: v6("2600:1f14:abc:de01::/64"),
			preview: []fixture.Want{advisory("cannot be verified during preview: ipv6CidrBlock is not known until update")}},
		{name: "outside every block", target: "db-sg", rs: world("100.65.0.0/16"),
			both: []fixture.Want{violation("admits 100.65.0.0/16 (ingress[0].cidrBlocks[0]), which is not a private address range")}},
		{name: "ipv6 outside the vpc", target: "db-sg", rs: v6("2600:1f14:fff::/64"),
			update:           []fixture.Want{violation("admits 2600:1f14:fff::/64")},
			preview:          []fixture.Want{},
			previewElsewhere: map[string][]fixture.Want{"vpc": {advisory("ipv6CidrBlock is not known until update")}}},
	})
}

// Managed prefix lists: judged by their entries when in the stack, not
// verifiable when outside it, alike in the three policies that read them.
func TestPrefixLists(t *testing.T) {
	pl := func(cidrs ...string) *fixture.Res {
		var es l
		for _, c := range cidrs {
			es = append(es, m{"cidr": c})
		}
		return fixture.R(awsnet.TypePrefixList, "office", m{"addressFamily": "IPv4", "maxEntries": 5, "entries": es})
	}
	rule := func(port int, list any) m {
		return m{"protocol": "tcp", "fromPort": port, "toPort": port, "prefixListIds": l{list}}
	}
	db := func(list any, extra ...*fixture.Res) []*fixture.Res {
		return append(network(fixture.R(tSG, "db-sg", m{"vpcId": fixture.ID("vpc"), "ingress": l{rule(3306, list)}}),
			subnetGroup("private-a"), dbCluster(m{"vpcSecurityGroupIds": l{fixture.ID("db-sg")}})), extra...)
	}
	runCases(t, DatabaseSecurityGroupRestricted, []caseT{
		{name: "private entries", target: "db-sg", rs: db(fixture.ID("office"), pl("10.1.0.0/16", "192.168.4.0/24"))},
		{name: "entry resources", target: "db-sg", rs: db(fixture.ID("office"), pl(), fixture.R(awsnet.TypePrefixListEntry, "e1",
			m{"prefixListId": fixture.ID("office"), "cidr": "172.20.0.0/16"}))},
		{name: "public entry", target: "db-sg", rs: db(fixture.ID("office"), pl("10.1.0.0/16", "198.51.100.0/24")),
			both: []fixture.Want{violation(`admits 198.51.100.0/24 (entries[1].cidr of prefix list "office", ` +
				`ingress[0].prefixListIds[0]), which is not a private address range`)}},
		{name: "public entry resource", target: "db-sg", rs: db(fixture.ID("office"), pl(), fixture.R(awsnet.TypePrefixListEntry, "e1",
			m{"prefixListId": fixture.ID("office"), "cidr": "0.0.0.0/0"})),
			both: []fixture.Want{violation(`admits 0.0.0.0/0 (cidr of entry "e1" of prefix list "office"`)}},
		{name: "list outside the stack", target: "db-sg", rs: db("pl-0123456789abcdef0"),
			both: []fixture.Want{advisory(`cannot be verified: rule ingress[0] of security group "db-sg" admits prefix ` +
				`list pl-0123456789abcdef0 (ingress[0].prefixListIds[0]), which is not in the stack`)}},
	})
	app := func(list any, extra ...*fixture.Res) []*fixture.Res {
		return append(network(fixture.R(tSG, "app-sg", m{"vpcId": fixture.ID("vpc"), "ingress": l{rule(8080, list)}}),
			fixture.R(typeECSService, "svc", m{"networkConfiguration": m{"securityGroups": l{fixture.ID("app-sg")},
				"subnets": l{fixture.ID("private-a")}}})), extra...)
	}
	runCases(t, AppSecurityGroupRestricted, []caseT{
		{name: "private entries", target: "app-sg", rs: app(fixture.ID("office"), pl("10.1.0.0/16"))},
		{name: "public entry", target: "app-sg", rs: app(fixture.ID("office"), pl("203.0.113.0/24")),
			both: []fixture.Want{violation(`admits 203.0.113.0/24 (entries[0].cidr of prefix list "office"`)}},
		{name: "list outside the stack", target: "app-sg", rs: app("pl-0aws"),
			both: []fixture.Want{advisory("admits prefix list pl-0aws (ingress[0].prefixListIds[0]), which is not in the stack")}},
	})
	lb := func(cfg m, list any, extra ...*fixture.Res) []*fixture.Res {
		return append(network(fixture.R(tSG, "lb-sg", m{"ingress": l{rule(443, list)}}),
			fixture.R(typeLoadBalancer, "lb", m{"securityGroups": l{fixture.ID("lb-sg")}})), extra...)
	}
	allow := m{"ingressAllowList": l{"203.0.113.0/24"}}
	runCases(t, LoadBalancerIngressAllowlist, []caseT{
		{name: "entries inside the allowlist", cfg: allow, target: "lb-sg", rs: lb(allow, fixture.ID("office"), pl("203.0.113.0/25"))},
		{name: "entry outside the allowlist", cfg: allow, target: "lb-sg", rs: lb(allow, fixture.ID("office"), pl("198.51.100.0/24")),
			both: []fixture.Want{violation(`admits 198.51.100.0/24 (entries[0].cidr of prefix list "office", ` +
				`ingress[0].prefixListIds[0]), which is outside the ingress allowlist [203.0.113.0/24]`)}},
		{name: "list outside the stack", cfg: allow, target: "lb-sg", rs: lb(allow, "pl-0cloudfront"),
			both: []fixture.Want{advisory("admits prefix list pl-0cloudfront", "which is not in the stack")}},
	})
}

// The allowlist's port check is about what the internet reaches.
func TestAllowlistPortsOnlyForPublicRules(t *testing.T) {
	world := func(rules ...any) []*fixture.Res {
		return network(fixture.R(tSG, "lb-sg", m{"ingress": l(rules)}), fixture.R(typeLoadBalancer, "lb",
			m{"securityGroups": l{fixture.ID("lb-sg")}}))
	}
	tcp := func(port int, src m) m {
		r := m{"protocol": "tcp", "fromPort": port, "toPort": port}
		for k, v := range src {
			r[k] = v
		}
		return r
	}
	allow := m{"ingressAllowList": l{"203.0.113.0/24"}}
	runCases(t, LoadBalancerIngressAllowlist, []caseT{
		{name: "health checks from the vpc on 8080", cfg: allow, target: "lb-sg", rs: world(
			tcp(443, m{"cidrBlocks": l{"203.0.113.0/24"}}), tcp(8080, m{"cidrBlocks": l{"10.0.0.0/8"}}))},
		{name: "another group on 9090", cfg: allow, target: "lb-sg", rs: world(
			tcp(9090, m{"securityGroups": l{"sg-0monitoring"}}))},
		{name: "allowlisted range on 8443", cfg: allow, target: "lb-sg", rs: world(
			tcp(8443, m{"cidrBlocks": l{"203.0.113.0/24"}})),
			both: []fixture.Want{violation("opens tcp 8443 to the allowlisted range(s) 203.0.113.0/24, on a port " +
				"the load balancer does not need; a load balancer needs only 443")}},
		// A public range beyond the allowlist, not the whole internet: the
		// message names the range, not "the internet".
		{name: "public range on 8443", cfg: allow, target: "lb-sg", rs: world(
			tcp(8443, m{"cidrBlocks": l{"198.51.100.0/24"}})),
			both: []fixture.Want{violation("opens tcp 8443 to the public range(s) 198.51.100.0/24; a load balancer needs only 443"),
				violation("admits 198.51.100.0/24", "outside the ingress allowlist")}},
		{name: "halves of the internet on 8443", cfg: allow, target: "lb-sg", rs: world(
			tcp(8443, m{"cidrBlocks": l{"0.0.0.0/1", "128.0.0.0/1"}})),
			both: []fixture.Want{violation("opens tcp 8443 to the internet; a load balancer needs only 443"),
				violation("admits 0.0.0.0/1"), violation("admits 128.0.0.0/1")}},
	})
}

// Launch templates (of autoscaling groups and node groups) are the app tier
// too.
func TestAppSecurityGroupsOfLaunchTemplates(t *testing.T) {
	sg := func(cidr string) *fixture.Res {
		return fixture.R(tSG, "nodes-sg", m{"vpcId": fixture.ID("vpc"), "ingress": l{m{"protocol": "tcp", "fromPort": 8080,
			"toPort": 8080, "cidrBlocks": l{cidr}}}})
	}
	runCases(t, AppSecurityGroupRestricted, []caseT{
		{name: "private", target: "nodes-sg", rs: network(sg("10.0.0.0/16"),
			fixture.R(typeLaunchTemplate, "lt", m{"vpcSecurityGroupIds": l{fixture.ID("nodes-sg")}}))},
		{name: "open, template groups", target: "nodes-sg", rs: network(sg("0.0.0.0/0"),
			fixture.R(typeLaunchTemplate, "lt", m{"vpcSecurityGroupIds": l{fixture.ID("nodes-sg")}})),
			both: []fixture.Want{violation(`attached to aws:ec2/launchTemplate:LaunchTemplate "lt" (vpcSecurityGroupIds`,
				"admits 0.0.0.0/0")}},
		{name: "open, interface groups", target: "nodes-sg", rs: network(sg("0.0.0.0/0"),
			fixture.R(typeLaunchTemplate, "lt", m{"networkInterfaces": l{m{"securityGroups": l{fixture.ID("nodes-sg")}}}})),
			both: []fixture.Want{violation(`(networkInterfaces[0].securityGroups`, "admits 0.0.0.0/0")}},
	})
}
