package policies

import "github.com/selfhosted-hardening/selfhosted-hardening/policy"

// AWS Security Hub Foundational Security Best Practices controls the
// policies match; each policy lists its own in its Controls field. Only
// controls whose id and title were found in AWS's own documentation are
// listed; the URL beside each is where.
const fsbp = "aws-fsbp"

var (
	// https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html
	fsbpRDS2 = policy.Control{Standard: fsbp, ID: "RDS.2",
		Title: "RDS DB Instances should prohibit public access, as determined by the PubliclyAccessible configuration",
		URL:   "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html"}
	// https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html
	fsbpRDS3 = policy.Control{Standard: fsbp, ID: "RDS.3",
		Title: "RDS DB instances should have encryption at-rest enabled",
		URL:   "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html"}
	// https://docs.aws.amazon.com/zh_cn/securityhub/latest/userguide/rds-controls.html (the list of
	// RDS controls; the English page's list was cut before RDS.27 in what was found)
	fsbpRDS27 = policy.Control{Standard: fsbp, ID: "RDS.27",
		Title: "RDS DB clusters should be encrypted at rest",
		URL:   "https://docs.aws.amazon.com/zh_cn/securityhub/latest/userguide/rds-controls.html"}
	// https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html
	fsbpELB1 = policy.Control{Standard: fsbp, ID: "ELB.1",
		Title: "Application Load Balancer should be configured to redirect all HTTP requests to HTTPS",
		URL:   "https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html"}
	// https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html
	fsbpELB17 = policy.Control{Standard: fsbp, ID: "ELB.17",
		Title: "Application and Network Load Balancers with listeners should use recommended security policies",
		URL:   "https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html"}
	// https://docs.aws.amazon.com/securityhub/latest/userguide/eks-controls.html
	fsbpEKS1 = policy.Control{Standard: fsbp, ID: "EKS.1",
		Title: "EKS cluster endpoints should not be publicly accessible",
		URL:   "https://docs.aws.amazon.com/securityhub/latest/userguide/eks-controls.html"}
	// https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html
	fsbpOpensearch1 = policy.Control{Standard: fsbp, ID: "Opensearch.1",
		Title: "OpenSearch domains should have encryption at rest enabled",
		URL:   "https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html"}
	// https://docs.amazonaws.cn/en_us/systems-manager-automation-runbooks/latest/userguide/automation-awssupportremediator-enforceopensearchencryptionwithlatestpolicy.md
	// (AWS's runbook that remediates this control names it and links
	// opensearch-controls.html#opensearch-8)
	fsbpOpensearch8 = policy.Control{Standard: fsbp, ID: "Opensearch.8",
		Title: "Connections to OpenSearch domains should be encrypted using the latest TLS security policy",
		URL:   "https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html#opensearch-8"}
)
