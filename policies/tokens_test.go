package policies

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/aws"
	"github.com/selfhosted-hardening/selfhosted-hardening/kube"
)

// Type tokens the tests write resources with, named as the adapters that
// own them name them.
const (
	typeS3Bucket       = aws.TypeS3Bucket
	typeS3BucketV2     = aws.TypeS3BucketV2
	typeS3EncryptionV2 = aws.TypeS3EncryptionV2
	typeS3Encryption   = aws.TypeS3Encryption

	typeEKSCluster               = aws.TypeEKSCluster
	typeEKSNodeGroup             = aws.TypeEKSNodeGroup
	typeEKSAddon                 = aws.TypeEKSAddon
	typeEKSComponentCluster      = aws.TypeEKSComponentCluster
	typeEKSManagedNodeGroup      = aws.TypeEKSManagedNodeGroup
	typeEKSNodeGroupV2           = aws.TypeEKSNodeGroupV2
	typeEKSComponentNodeGroup    = aws.TypeEKSComponentNodeGroup
	typeNetworkPolicy            = kube.TypeNetworkPolicy
	typeLoadBalancer             = aws.TypeLoadBalancer
	typeALBLoadBalancer          = aws.TypeALBLoadBalancer
	typeRDSInstance              = aws.TypeRDSInstance
	typeRDSCluster               = aws.TypeRDSCluster
	typeRDSGlobalCluster         = aws.TypeRDSGlobalCluster
	typeRDSClusterInstance       = aws.TypeRDSClusterInstance
	typeRDSSubnetGroup           = aws.TypeRDSSubnetGroup
	typeSecretVersion            = aws.TypeSecretVersion
	typeSSMParameter             = aws.TypeSSMParameter
	typeRDSParameterGroup        = aws.TypeRDSParameterGroup
	typeRDSClusterParameterGroup = aws.TypeRDSClusterParameterGroup
	typeLBListener               = aws.TypeLBListener
	typeALBListener              = aws.TypeALBListener
	typeLBListenerRule           = aws.TypeLBListenerRule
	typeALBListenerRule          = aws.TypeALBListenerRule
	typeLBTargetGroup            = aws.TypeLBTargetGroup
	typeALBTargetGroup           = aws.TypeALBTargetGroup
	typeOpenSearchDomain         = aws.TypeOpenSearchDomain
	typeElasticsearchDomain      = aws.TypeElasticsearchDomain
	typeECSService               = aws.TypeECSService
	typeEC2Instance              = aws.TypeEC2Instance
	typeLaunchTemplate           = aws.TypeLaunchTemplate
	typeAutoscalingGroup         = aws.TypeAutoscalingGroup
)
