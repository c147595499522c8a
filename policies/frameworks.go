package policies

import (
	"fmt"

	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// The compliance framework every policy belongs to: Pulumi's self-hosting
// security-hardening guide. The guide's text carries no date or version (its
// front matter has only a title and a URL), so GuideVersion names the text
// the policies were written against by its SHA-256 (the first 12 hex digits
// of the digest of ../shared/reference/security-hardening.md; a test checks
// it when that copy is there). Change the policies, then the digest, when
// the guide changes.
const (
	GuideName    = "Pulumi self-hosting security hardening guide"
	GuideVersion = "sha256:6a35ab96b7cd"
)

// AWS Security Hub Foundational Security Best Practices controls the
// policies match. Only controls whose id and title were found in AWS's own
// documentation are listed; the URL beside each is where.
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

// Parts of the guide a policy implements: the framework's reference.
const (
	refNetwork   = "Network security"
	refAtRest    = "Encryption: at rest"
	refSecrets   = "Encryption: secrets"
	refInTransit = "Encryption in transit"
	refHop1      = "Encryption in transit: Hop 1: Clients → Console"
	refHop2      = "Encryption in transit: Hop 2: Clients and Console → API"
	refHop3      = "Encryption in transit: Hop 3: API → MySQL"
	refSMTP      = "SMTP and email"
	refCaptcha   = "CAPTCHA and bot protection"
)

// compliance is each policy's place in the guide and the controls it
// matches. The specification URL is the policy's guide section link.
var compliance = map[string]struct {
	reference string
	controls  []policy.Control
}{
	"rds-storage-encrypted":                  {refAtRest, []policy.Control{fsbpRDS3, fsbpRDS27}},
	"s3-bucket-encrypted":                    {refAtRest, nil},
	"eks-secrets-encrypted":                  {refAtRest, nil},
	"rds-not-publicly-accessible":            {refNetwork, []policy.Control{fsbpRDS2}},
	"database-in-private-subnets":            {refNetwork, nil},
	"app-in-private-subnets":                 {refNetwork, nil},
	"security-group-no-unrestricted-ingress": {refNetwork, nil},
	"database-security-group-restricted":     {refNetwork, nil},
	"app-security-group-restricted":          {refNetwork, nil},
	"load-balancer-ingress-allowlist":        {refNetwork, nil},
	"eks-endpoint-restricted":                {refNetwork, []policy.Control{fsbpEKS1}},
	"network-policies-between-tiers":         {refNetwork, nil},
	"security-group-egress-restricted":       {refNetwork, nil},
	"stack-config-secrets":                   {refSecrets, nil},
	"container-secrets-not-in-environment":   {refSecrets, nil},
	"secret-inputs-marked-secret":            {refSecrets, nil},
	"configmap-no-secrets":                   {refSecrets, nil},
	"api-tls":                                {refHop2, nil},
	"console-tls":                            {refHop1, nil},
	"database-tls":                           {refHop3, nil},
	"database-requires-tls":                  {refHop3, nil},
	"load-balancer-tls":                      {refInTransit, []policy.Control{fsbpELB1, fsbpELB17}},
	"opensearch-domain-encrypted":            {refInTransit, []policy.Control{fsbpOpensearch1, fsbpOpensearch8}},
	"smtp-configured":                        {refSMTP, nil},
	"captcha-configured":                     {refCaptcha, nil},
}

// The one place the table is applied: every policy of All gets its
// framework and controls, and a policy missing from the table, or a table
// entry naming no policy, stops the program at start (the pack's metadata
// test then fails, and NewPack refuses a policy with no framework).
func init() {
	seen := map[string]bool{}
	for _, p := range All() {
		c, ok := compliance[p.Name]
		if !ok {
			panic(fmt.Sprintf("policies/frameworks.go: policy %s has no compliance entry", p.Name))
		}
		seen[p.Name] = true
		p.Framework = policy.Framework{
			Name: GuideName, Version: GuideVersion, Reference: c.reference, Specification: p.Section.URL,
		}
		p.Controls = c.controls
	}
	for name := range compliance {
		if !seen[name] {
			panic(fmt.Sprintf("policies/frameworks.go: compliance entry %s names no policy", name))
		}
	}
}
