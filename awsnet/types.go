// Package awsnet reads the AWS network of a stack: whether a subnet is public
// (by mapPublicIpOnLaunch, or by its route table's default route to an
// internet gateway), and the ingress and egress rules of each security group
// in all three forms pulumi-aws has for them.
//
// Joins between resources (associations to subnets, routes to route tables,
// rules to groups) are built once per analysis (graph.Memo) from references
// alone. Values are read through the calling policy's policy.Reader, so an
// unknown or malformed value is reported by the policy that needed it.
package awsnet

// Type tokens (the same in pulumi-aws v6 and v7).
const (
	TypeVPC                       = "aws:ec2/vpc:Vpc"
	TypeSubnet                    = "aws:ec2/subnet:Subnet"
	TypeRouteTable                = "aws:ec2/routeTable:RouteTable"
	TypeDefaultRouteTable         = "aws:ec2/defaultRouteTable:DefaultRouteTable"
	TypeRoute                     = "aws:ec2/route:Route"
	TypeRouteTableAssociation     = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	TypeMainRouteTableAssociation = "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation"
	TypeInternetGateway           = "aws:ec2/internetGateway:InternetGateway"
	// Secondary CIDR blocks of a VPC.
	TypeVPCIPv4Block = "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation"
	TypeVPCIPv6Block = "aws:ec2/vpcIpv6CidrBlockAssociation:VpcIpv6CidrBlockAssociation"

	TypeSecurityGroup        = "aws:ec2/securityGroup:SecurityGroup"
	TypeDefaultSecurityGroup = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	TypeSecurityGroupRule    = "aws:ec2/securityGroupRule:SecurityGroupRule"
	TypeIngressRule          = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	TypeEgressRule           = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"

	TypePrefixList      = "aws:ec2/managedPrefixList:ManagedPrefixList"
	TypePrefixListEntry = "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry"
)

var (
	routeTableTypes = []string{TypeRouteTable, TypeDefaultRouteTable}
	groupTypes      = []string{TypeSecurityGroup, TypeDefaultSecurityGroup}
)
