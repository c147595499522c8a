package policies

import "github.com/selfhosted-hardening/selfhosted-hardening/internal/docgen"

// DocBlocks are the README's generated parts besides the policy table.
func DocBlocks() []docgen.Block {
	return []docgen.Block{{Name: "elb-security-policies", Text: SSLPolicyTable()}}
}
