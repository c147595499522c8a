// Package hardeningtest runs a Pulumi Go program under mocks and judges it
// with the selfhosted-hardening policy pack, for unit tests of your own
// programs:
//
//	res, err := hardeningtest.Run(program, hardeningtest.Options{Mode: hardeningtest.Preview})
//	if err != nil { t.Fatal(err) }
//	for _, f := range res.Mandatory() { t.Errorf("%s", f) }
//
// The program runs with pulumi.WithMocks, in preview mode (ids and outputs
// of new resources unknown, as in pulumi preview) or update mode (known). The
// harness records every registration as the engine would see it (type, name,
// inputs with unknowns and secrets kept, property dependencies, parent) and
// sends the engine's messages (Handshake, ConfigureStack, Configure, Analyze
// per resource, AnalyzeStack) to the pack's real analyzer server over gRPC on
// a loopback port. It returns the diagnostics the engine would print.
package hardeningtest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// Mode says whether the program runs as in a preview or an update.
type Mode int

const (
	// Preview: DryRun; ids and computed outputs of new resources are unknown.
	Preview Mode = iota
	// Update: every value is known; ids are "<name>-id".
	Update
)

func (m Mode) String() string {
	if m == Update {
		return "update"
	}
	return "preview"
}

// Options configure a run. The zero value is a preview of project "project",
// stack "dev", with default policy config.
type Options struct {
	Mode         Mode
	Organization string // default "organization"
	Project      string // default "project"
	Stack        string // default "dev"
	// Config is the stack config, "project:key" (or "namespace:key") to value.
	Config map[string]string
	// SecretConfig is stack config set with --secret.
	SecretConfig map[string]string
	// PolicyConfig is what a --policy-pack-config file holds: policy name to
	// a level ("advisory", "mandatory", "disabled") or to an object with an
	// optional "enforcementLevel" and the policy's config properties.
	PolicyConfig map[string]any
	// Mocks, when set, answers invokes and supplies resource ids and outputs
	// in place of the harness's defaults. Registrations are recorded either
	// way.
	Mocks pulumi.MockResourceMonitor
	// Pack is the pack to run; nil means the selfhosted-hardening pack.
	Pack *policy.Pack
}

func (o Options) withDefaults() Options {
	if o.Organization == "" {
		o.Organization = "organization"
	}
	if o.Project == "" {
		o.Project = "project"
	}
	if o.Stack == "" {
		o.Stack = "dev"
	}
	if o.Pack == nil {
		o.Pack = policies.Pack()
	}
	return o
}

// Resource is one registered resource as the engine would describe it.
type Resource struct {
	URN    string
	Type   string
	Name   string
	Parent string
	Custom bool
	// Inputs as the program registered them: unknowns and secrets kept, in
	// the engine's wire encoding. A Kubernetes object without metadata.name
	// has the one the provider's Check would give it (its logical name), as
	// analyzers see it.
	Inputs *structpb.Struct
	// Outputs as the engine would send them to AnalyzeStack: the inputs, with
	// id and arn added (unknown in preview).
	Outputs              *structpb.Struct
	Dependencies         []string
	PropertyDependencies map[string][]string
}

// Finding is one diagnostic the pack returned.
type Finding struct {
	Policy   string
	URN      string // "" when it concerns the stack as a whole
	Level    string // "advisory" or "mandatory"
	Severity string // "low", "medium", "high", "critical"
	Message  string
	// Stack is true for findings of AnalyzeStack, false for Analyze.
	Stack bool
}

// ResourceName is the logical name at the end of the finding's URN.
func (f Finding) ResourceName() string {
	if i := strings.LastIndex(f.URN, "::"); i >= 0 {
		return f.URN[i+2:]
	}
	return ""
}

func (f Finding) String() string {
	return fmt.Sprintf("[%s/%s] %s on %s: %s", f.Level, f.Severity, f.Policy, f.URN, f.Message)
}

// Result is what a run produced.
type Result struct {
	Resources []*Resource
	Findings  []Finding
}

// ByPolicy returns the findings of one policy.
func (r *Result) ByPolicy(name string) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Policy == name {
			out = append(out, f)
		}
	}
	return out
}

// For returns the findings of one policy on the resource with that logical
// name.
func (r *Result) For(policyName, resourceName string) []Finding {
	var out []Finding
	for _, f := range r.ByPolicy(policyName) {
		if f.ResourceName() == resourceName {
			out = append(out, f)
		}
	}
	return out
}

// Mandatory returns the findings that would fail the preview.
func (r *Result) Mandatory() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Level == "mandatory" {
			out = append(out, f)
		}
	}
	return out
}

// Run runs program under mocks in the given mode and analyses what it
// registered. An error means the program or the pack's server failed, not
// that a policy found something.
func Run(program pulumi.RunFunc, opts Options) (*Result, error) {
	opts = opts.withDefaults()
	rec := newRecorder(opts)
	err := pulumi.RunErr(program,
		pulumi.WithMocksWithOrganization(opts.Organization, opts.Project, opts.Stack, rec),
		func(info *pulumi.RunInfo) {
			info.DryRun = opts.Mode == Preview
			info.Config = map[string]string{}
			for k, v := range opts.Config {
				info.Config[k] = v
			}
			info.ConfigSecretKeys = nil
			for k, v := range opts.SecretConfig {
				info.Config[k] = v
				info.ConfigSecretKeys = append(info.ConfigSecretKeys, k)
			}
			sort.Strings(info.ConfigSecretKeys)
		})
	if err != nil {
		return nil, fmt.Errorf("program failed: %w", err)
	}
	resources := rec.resources()
	findings, err := Analyze(resources, opts)
	if err != nil {
		return nil, err
	}
	return &Result{Resources: resources, Findings: findings}, nil
}
