package policies

// Type tokens of pulumi-aws v6 and v7. Where v7 renamed a resource, both
// tokens are listed: a policy matches either.
const (
	typeRDSInstance        = "aws:rds/instance:Instance"
	typeRDSCluster         = "aws:rds/cluster:Cluster"
	typeRDSGlobalCluster   = "aws:rds/globalCluster:GlobalCluster"
	typeRDSClusterInstance = "aws:rds/clusterInstance:ClusterInstance"
	typeRDSSubnetGroup     = "aws:rds/subnetGroup:SubnetGroup"

	typeSecretVersion = "aws:secretsmanager/secretVersion:SecretVersion"
	typeSSMParameter  = "aws:ssm/parameter:Parameter"

	typeRDSParameterGroup        = "aws:rds/parameterGroup:ParameterGroup"
	typeRDSClusterParameterGroup = "aws:rds/clusterParameterGroup:ClusterParameterGroup"

	typeLBListener      = "aws:lb/listener:Listener"
	typeALBListener     = "aws:alb/listener:Listener"
	typeLBListenerRule  = "aws:lb/listenerRule:ListenerRule"
	typeALBListenerRule = "aws:alb/listenerRule:ListenerRule"
	typeLBTargetGroup   = "aws:lb/targetGroup:TargetGroup"
	typeALBTargetGroup  = "aws:alb/targetGroup:TargetGroup"

	typeOpenSearchDomain    = "aws:opensearch/domain:Domain"
	typeElasticsearchDomain = "aws:elasticsearch/domain:Domain"

	typeECSService       = "aws:ecs/service:Service"
	typeEC2Instance      = "aws:ec2/instance:Instance"
	typeLaunchTemplate   = "aws:ec2/launchTemplate:LaunchTemplate"
	typeAutoscalingGroup = "aws:autoscaling/group:Group"
)
