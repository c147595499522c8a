package aws

// Type tokens of pulumi-aws v6 and v7 that only the AWS-only rules name
// (policies' files marked for AWS); the adapter's own tokens sit beside the
// code that reads them. Where v7 renamed a resource, both tokens are
// listed: a policy matches either.
const (
	TypeSecretVersion = "aws:secretsmanager/secretVersion:SecretVersion"
	TypeSSMParameter  = "aws:ssm/parameter:Parameter"

	TypeLBListener      = "aws:lb/listener:Listener"
	TypeALBListener     = "aws:alb/listener:Listener"
	TypeLBListenerRule  = "aws:lb/listenerRule:ListenerRule"
	TypeALBListenerRule = "aws:alb/listenerRule:ListenerRule"
	TypeLBTargetGroup   = "aws:lb/targetGroup:TargetGroup"
	TypeALBTargetGroup  = "aws:alb/targetGroup:TargetGroup"
)
