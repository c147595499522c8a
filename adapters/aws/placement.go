package aws

import (
	"fmt"

	"github.com/selfhosted-hardening/selfhosted-hardening/awsnet"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Type tokens of the database and app tiers (the same in pulumi-aws v6 and v7).
const (
	TypeRDSInstance        = "aws:rds/instance:Instance"
	TypeRDSCluster         = "aws:rds/cluster:Cluster"
	TypeRDSGlobalCluster   = "aws:rds/globalCluster:GlobalCluster"
	TypeRDSClusterInstance = "aws:rds/clusterInstance:ClusterInstance"
	TypeRDSSubnetGroup     = "aws:rds/subnetGroup:SubnetGroup"

	TypeOpenSearchDomain    = "aws:opensearch/domain:Domain"
	TypeElasticsearchDomain = "aws:elasticsearch/domain:Domain"

	TypeECSService       = "aws:ecs/service:Service"
	TypeEC2Instance      = "aws:ec2/instance:Instance"
	TypeLaunchTemplate   = "aws:ec2/launchTemplate:LaunchTemplate"
	TypeAutoscalingGroup = "aws:autoscaling/group:Group"
)

const (
	publicAddress = "it gets a public address reachable from the internet"
	// privateSubnet says what a private subnet is, for fixes.
	privateSubnet = "(no public addresses on launch, and a route table without a 0.0.0.0/0 route to an " +
		"internet gateway, e.g. one routing through a NAT gateway)"
	memoPlacements = memoKey("aws.Placements")
)

var pDBSubnetGroupName = props.MustPath("dbSubnetGroupName")

// Placements returns the members of the database tier (RDS instances and
// clusters, OpenSearch domains) and of the app tier (ECS services, EC2
// instances, launch templates, node groups, autoscaling groups, and the
// @pulumi/eks node group components, whose aws children are not judged
// again), in that order.
func (Adapter) Placements(g *graph.Graph) []model.Placement {
	return g.Memo(memoPlacements, func() any { return append(databaseTier(g), appTier(g)...) }).([]model.Placement)
}

func databaseTier(g *graph.Graph) []model.Placement {
	var out []model.Placement
	for _, db := range g.OfType(TypeRDSInstance, TypeRDSCluster) {
		p := model.Placement{Res: db, Tier: model.DatabaseTier, Groups: []string{"vpcSecurityGroupIds"},
			Fix: "Give the database a DB subnet group (dbSubnetGroupName) whose subnetIds are private subnets " +
				privateSubnet + "."}
		rd := policy.Probe(db)
		port, st := awsnet.PortOf(rd)
		p.Port = model.Of(port, st, db, "port").WithNotes(rd.Taken())
		switch {
		case rd.IsSet("dbSubnetGroupName"):
			p.Subnets = subnetGroups(g, db)
		case db.Type == TypeRDSInstance && rd.IsSet("replicateSourceDb"):
			// A same-region replica takes its source's subnet group.
		default:
			p.Unplaced = "dbSubnetGroupName is not set, so the database lands in the default VPC, whose subnets " +
				"are public"
		}
		out = append(out, p)
	}
	for _, d := range g.OfType(TypeOpenSearchDomain, TypeElasticsearchDomain) {
		p := model.Placement{Res: d, Tier: model.DatabaseTier, Groups: []string{"vpcOptions.securityGroupIds"},
			Port: model.Of(443, policy.Known, d, ""),
			Fix:  "Set vpcOptions.subnetIds to private subnets " + privateSubnet + " (a new domain: it cannot move into a VPC)."}
		if policy.Probe(d).IsSet("vpcOptions") {
			p.Subnets = []model.SubnetList{{Holder: d, Path: "vpcOptions.subnetIds", Via: "vpcOptions", Net: network}}
		} else {
			p.Unplaced = "vpcOptions is not set, so the domain has a public endpoint outside any VPC"
		}
		out = append(out, p)
	}
	return out
}

// subnetGroups follows a database's dbSubnetGroupName to the subnet lists
// of its DB subnet groups.
func subnetGroups(g *graph.Graph, db *graph.Resource) []model.SubnetList {
	var out []model.SubnetList
	for _, ref := range g.Refs(db, pDBSubnetGroupName, TypeRDSSubnetGroup) {
		switch {
		case ref.Target != nil:
			out = append(out, model.SubnetList{Holder: ref.Target, Path: "subnetIds", Net: network,
				Via: fmt.Sprintf("DB subnet group %q", ref.Target.Name)})
		case ref.Known:
			out = append(out, model.SubnetList{Holder: db, Unseen: fmt.Sprintf("cannot be verified: DB subnet "+
				"group %s is not in the stack, so its subnets cannot be seen", ref.Value)})
		default:
			rd := policy.Probe(db)
			rd.NoteUnknown("dbSubnetGroupName")
			gap, _ := model.GapOf(rd)
			out = append(out, model.SubnetList{Holder: db, Pending: &gap})
		}
	}
	return out
}

func appTier(g *graph.Graph) []model.Placement {
	var out []model.Placement
	for _, s := range g.OfType(TypeECSService) {
		p := model.Placement{Res: s, Tier: model.AppTier, Groups: []string{"networkConfiguration.securityGroups"},
			Public: []model.PublicAddress{{On: model.Bool(s, "networkConfiguration.assignPublicIp"), What: publicAddress}},
			Fix: "Set networkConfiguration.subnets to private subnets " + privateSubnet + " and put a load balancer " +
				"in the public subnets instead."}
		if policy.Probe(s).IsSet("networkConfiguration") {
			p.Subnets = []model.SubnetList{{Holder: s, Path: "networkConfiguration.subnets", Via: "networkConfiguration",
				Net: network}}
		}
		out = append(out, p)
	}
	for _, i := range g.OfType(TypeEC2Instance) {
		p := model.Placement{Res: i, Tier: model.AppTier, Groups: []string{"vpcSecurityGroupIds"},
			Public: []model.PublicAddress{{On: model.Bool(i, "associatePublicIpAddress"), What: publicAddress}},
			Fix:    "Set subnetId to a private subnet " + privateSubnet + "."}
		rd := policy.Probe(i)
		switch {
		case rd.IsSet("subnetId"):
			p.Subnets = []model.SubnetList{{Holder: i, Path: "subnetId", Net: network}}
		case rd.IsSet("networkInterfaces"):
			// Placed by the network interfaces it attaches; not judged here.
		default:
			p.Unplaced = "subnetId is not set, so the instance lands in a default subnet of the default VPC, " +
				"which is public"
		}
		out = append(out, p)
	}
	// Launch templates (of autoscaling groups and node groups): their own
	// groups and those of each network interface. One a @pulumi/eks
	// component made is placed by the component's inputs.
	for _, lt := range g.OfType(TypeLaunchTemplate) {
		p := model.Placement{Res: lt, Tier: model.AppTier, Groups: []string{"vpcSecurityGroupIds"},
			Fix: "Set each networkInterfaces[].subnetId to a private subnet " + privateSubnet + "."}
		rd := policy.Probe(lt)
		nics, _ := rd.Items("networkInterfaces")
		gap, hasGap := model.GapOf(rd)
		if hasGap {
			p.GroupGaps = []model.Gap{gap}
		}
		placed := !UnderEKSComponent(g, lt)
		if placed && hasGap {
			p.Gaps = []model.Gap{gap}
		}
		for i, nic := range nics {
			p.Groups = append(p.Groups, nic.Base()+".securityGroups")
			if placed {
				p.Public = append(p.Public, model.PublicAddress{On: model.Bool(lt, nic.Base()+".associatePublicIpAddress"),
					What: "instances launched from this template get public addresses"})
				p.Subnets = append(p.Subnets, model.SubnetList{Holder: lt,
					Path: fmt.Sprintf("networkInterfaces[%d].subnetId", i), Net: network})
			}
		}
		out = append(out, p)
	}
	for _, ng := range g.OfType(TypeEKSNodeGroup) {
		if !UnderEKSComponent(g, ng) {
			out = append(out, placedIn(ng, "subnetIds"))
		}
	}
	for _, asg := range g.OfType(TypeAutoscalingGroup) {
		if !UnderEKSComponent(g, asg) {
			out = append(out, placedIn(asg, "vpcZoneIdentifiers"))
		}
	}
	for _, ng := range g.OfType(TypeEKSManagedNodeGroup) {
		out = append(out, placedIn(ng, "subnetIds"))
	}
	for _, ng := range g.OfType(TypeEKSNodeGroupV2, TypeEKSComponentNodeGroup) {
		p := placedIn(ng, "nodeSubnetIds")
		p.Public = []model.PublicAddress{{On: model.Bool(ng, "nodeAssociatePublicIpAddress"), What: publicAddress}}
		out = append(out, p)
	}
	return out
}

func placedIn(r *graph.Resource, path string) model.Placement {
	return model.Placement{Res: r, Tier: model.AppTier, Fix: "Set " + path + " to private subnets " + privateSubnet + ".",
		Subnets: []model.SubnetList{{Holder: r, Path: path, Net: network}}}
}

// network is the AWS VPC's notion of a public subnet.
var network model.Network = vpc{}

type vpc struct{}

func (vpc) SubnetTypes() []string { return []string{awsnet.TypeSubnet} }

func (vpc) Subnet(ctx *policy.StackContext, s *graph.Resource) model.SubnetVerdict {
	return awsnet.Subnet(ctx, s)
}
