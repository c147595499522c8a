// Package policies holds the selfhosted-hardening pack: one file per policy
// family, each policy one value with its metadata beside its check.
//
// Policies match resources by type token, never by SDK type, so the pack
// binary does not import the pulumi-aws SDK and judges programs written
// against pulumi-aws v6 and v7 alike.
package policies

import (
	"sync"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/aws"
	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/azure"
	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/gcp"
	"github.com/selfhosted-hardening/selfhosted-hardening/kube"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// Name and Version of the pack. Version must match PulumiPolicy.yaml (a test
// checks it).
const (
	Name    = "selfhosted-hardening"
	Version = "0.1.0"
)

// sources are the adapters the policies read the stack through, one per
// platform shape: a new platform is a new entry here, not a change to the
// policies.
var sources = model.Sources{aws.Adapter{}, kube.Adapter{}, azure.Adapter{}, gcp.Adapter{}}

// AdapterTypes are the type tokens the pack's adapters read, for the suites
// that must cover every adapter (bad input, fuzzing).
func AdapterTypes() []string { return sources.Types() }

// All lists every policy of the pack.
func All() []*policy.Policy {
	return []*policy.Policy{
		RDSStorageEncrypted,
		S3BucketEncrypted,
		EKSSecretsEncrypted,
		RDSNotPubliclyAccessible,
		DatabaseInPrivateSubnets,
		AppInPrivateSubnets,
		SecurityGroupNoUnrestrictedIngress,
		DatabaseSecurityGroupRestricted,
		AppSecurityGroupRestricted,
		LoadBalancerIngressAllowlist,
		EKSEndpointRestricted,
		AKSLocalAccountsDisabled,
		NetworkPoliciesBetweenTiers,
		SecurityGroupEgressRestricted,
		StackConfigSecrets,
		ContainerSecretsNotInEnvironment,
		SecretInputsMarkedSecret,
		ConfigMapNoSecrets,
		APITLS,
		ConsoleTLS,
		DatabaseTLS,
		DatabaseRequiresTLS,
		LoadBalancerTLS,
		OpenSearchDomainEncrypted,
		ObjectStoreNotPublic,
		ObjectStoreTLS,
		SMTPConfigured,
		CaptchaConfigured,
		IngressNginxPatched,
	}
}

var pack = sync.OnceValues(func() (*policy.Pack, error) {
	p, err := policy.NewPack(Name, "Self-hosted Pulumi Cloud hardening (AWS)", Version,
		"Checks an AWS deployment of self-hosted Pulumi Cloud against Pulumi's security-hardening guide: "+
			"private subnets, restricted security groups, an ingress allowlist, encryption at rest and in "+
			"transit, secrets kept as Pulumi secrets, SMTP and CAPTCHA.",
		Guide, All()...)
	if err != nil {
		return nil, err
	}
	return describe(p), nil
})

// Pack returns the pack. Its metadata is checked when first built; a pack
// that fails the check is a programming error, caught by the tests.
func Pack() *policy.Pack {
	p, err := pack()
	if err != nil {
		panic(err)
	}
	return p
}
