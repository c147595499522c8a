// Package aws is the adapter from pulumi-aws (v6 and v7 tokens) to the
// guide's model: S3 buckets and their encryption, and (in the packages
// beside it) the network, RDS, load balancers and EKS. It owns the AWS type
// tokens; no policy names one.
package aws

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/awsnet"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
)

// Adapter reads pulumi-aws resources into the model.
type Adapter struct{ model.None }

// PhysicalNames lists, per type, the outputs that hold a resource's
// physical name, by which other resources refer to it.
func (Adapter) PhysicalNames() map[string][]string {
	return map[string][]string{
		TypeS3Bucket:           {"bucket"},
		TypeS3BucketV2:         {"bucket"},
		TypeRDSInstance:        {"identifier"},
		TypeRDSCluster:         {"clusterIdentifier"},
		TypeRDSClusterInstance: {"identifier"},
		TypeRDSGlobalCluster:   {"globalClusterIdentifier"},
		TypeOpenSearchDomain:   {"domainName"},
	}
}

// Types are the type tokens the adapter reads (its network reader awsnet's
// included).
func (Adapter) Types() []string {
	return []string{
		TypeS3Bucket, TypeS3BucketV2, TypeS3EncryptionV2, TypeS3Encryption,
		TypeS3BucketACLV2, TypeS3BucketACL, TypeS3PublicAccessBlock,
		TypeEKSCluster, TypeEKSComponentCluster, TypeEKSNodeGroup, TypeEKSManagedNodeGroup, TypeEKSNodeGroupV2,
		TypeEKSComponentNodeGroup,
		TypeRDSInstance, TypeRDSCluster, TypeRDSSubnetGroup, TypeRDSParameterGroup, TypeRDSClusterParameterGroup,
		TypeOpenSearchDomain, TypeElasticsearchDomain,
		TypeECSService, TypeEC2Instance, TypeLaunchTemplate, TypeAutoscalingGroup,
		TypeLoadBalancer, TypeALBLoadBalancer,
		awsnet.TypeVPC, awsnet.TypeSubnet, awsnet.TypeRouteTable, awsnet.TypeDefaultRouteTable, awsnet.TypeRoute,
		awsnet.TypeRouteTableAssociation, awsnet.TypeMainRouteTableAssociation, awsnet.TypeInternetGateway,
		awsnet.TypeVPCIPv4Block, awsnet.TypeVPCIPv6Block, awsnet.TypeSecurityGroup, awsnet.TypeDefaultSecurityGroup,
		awsnet.TypeSecurityGroupRule, awsnet.TypeIngressRule, awsnet.TypeEgressRule, awsnet.TypePrefixList,
		awsnet.TypePrefixListEntry,
	}
}
