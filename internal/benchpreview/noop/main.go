// Command noop is a policy pack of one policy that does nothing, served by
// the project's own server package: the floor any policy pack costs a
// `pulumi preview` (the engine's analyzer calls, marshalling and events),
// for internal/benchpreview to time beside no pack and the whole pack.
// It is a benchmark aid, not part of the pack.
package main

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/server"
)

// nothing is one stack policy whose check returns at once. The engine still
// calls Analyze (and Remediate) for every resource and AnalyzeStack once.
var nothing = &policy.Policy{
	Name:        "noop",
	DisplayName: "Does nothing",
	Description: "Judges nothing: a benchmark's floor for the cost of a policy pack.",
	Remediation: "Nothing to remediate.",
	Section: policy.Section{Tag: "benchmark", Title: "Benchmark",
		URL: "https://github.com/selfhosted-hardening/selfhosted-hardening"},
	Reference: "noop",
	Level:     policy.Advisory,
	Severity:  policy.Low,
	Stack:     func(*policy.StackContext) {},
}

func main() {
	p, err := policy.NewPack("bench-noop", "No-op benchmark pack", "0.0.1",
		"One policy that does nothing, for timing a policy pack's floor.",
		policy.Guide{Name: "benchmark", Version: "1"}, nothing)
	if err != nil {
		panic(err)
	}
	server.Main(p)
}
