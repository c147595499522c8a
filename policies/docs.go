package policies

import (
	_ "embed"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/docgen"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// Usage is how to run, configure and exempt the pack: the one source of
// README.md's usage block and of the usage part of the README Pulumi Cloud
// shows (AnalyzerInfo.readme).
//
//go:embed usage.md
var Usage string

// Repository is the pack's source repository.
const Repository = "https://github.com/selfhosted-hardening/selfhosted-hardening"

// DocBlocks are the README's generated parts besides the policy table.
func DocBlocks() []docgen.Block {
	return []docgen.Block{
		{Name: "usage", Text: Usage},
		{Name: "elb-security-policies", Text: SSLPolicyTable()},
	}
}

// describe fills in the pack's metadata for Pulumi Cloud: its README, made
// by docgen from the same usage text and policy table as README.md.
func describe(p *policy.Pack) *policy.Pack {
	p.Repository = Repository
	p.PhysicalNames = sources.PhysicalNames()
	p.Provider = "aws"
	p.Tags = []string{"aws", "self-hosted", "security", "compliance"}
	p.Readme = docgen.Readme(p, Usage)
	return p
}
