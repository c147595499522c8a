// Package server serves a policy.Pack to the Pulumi engine over the analyzer
// plugin protocol (pulumirpc.AnalyzerServer). It takes the place of
// policyx.Main: it answers GetPluginInfo and GetAnalyzerInfo before, or
// without, ConfigureStack (pulumi policy publish and analyze call them
// first), sends every policy's full metadata, validates and delivers config
// to resource and stack policies, gives policies the stack's config, and
// survives anything a policy or a request does.
package server

import (
	"context"
	"fmt"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Server is the analyzer. Create it with New.
type Server struct {
	pulumirpc.UnimplementedAnalyzerServer

	pack *policy.Pack

	mu     sync.RWMutex
	env    *policy.Env
	config policy.Configuration
	// inputs holds the properties each resource had in Analyze, by URN. The
	// engine sends outputs to AnalyzeStack; stack policies judge what the
	// program declared, so the server gives them these inputs.
	inputs map[string]*structpb.Struct
	root   string
	// notApplicable caches, per type token, the resource policies that do
	// not apply to it (string -> []*pulumirpc.PolicyNotApplicable).
	notApplicable sync.Map
	noRemediation []*pulumirpc.PolicyNotApplicable
}

// New returns a server for pack, at its default configuration, with an empty
// stack environment until ConfigureStack says otherwise.
func New(pack *policy.Pack) *Server {
	s := &Server{
		pack:   pack,
		env:    &policy.Env{},
		config: pack.DefaultConfiguration(),
		inputs: map[string]*structpb.Struct{},
	}
	for _, p := range pack.Policies {
		if p.Resource != nil {
			reason := "cannot remediate: reports only, and is mandatory at level remediate"
			if p.Remediates() {
				reason = "remediates only at enforcement level remediate"
			}
			s.noRemediation = append(s.noRemediation, &pulumirpc.PolicyNotApplicable{
				PolicyName: p.Name, Reason: reason,
			})
		}
	}
	return s
}

// Handshake records the pack's root directory.
func (s *Server) Handshake(_ context.Context, req *pulumirpc.AnalyzerHandshakeRequest) (
	*pulumirpc.AnalyzerHandshakeResponse, error,
) {
	s.mu.Lock()
	s.root = req.GetRootDirectory()
	s.mu.Unlock()
	return &pulumirpc.AnalyzerHandshakeResponse{}, nil
}

// GetPluginInfo returns the pack's version. It needs no configuration.
func (s *Server) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: s.pack.Version}, nil
}

// GetAnalyzerInfo returns the pack's and every policy's metadata. It needs no
// configuration.
func (s *Server) GetAnalyzerInfo(context.Context, *emptypb.Empty) (*pulumirpc.AnalyzerInfo, error) {
	return AnalyzerInfo(s.pack)
}

// AnalyzerInfo builds the metadata message for pack.
func AnalyzerInfo(pack *policy.Pack) (*pulumirpc.AnalyzerInfo, error) {
	info := &pulumirpc.AnalyzerInfo{
		Name:           pack.Name,
		DisplayName:    pack.DisplayName,
		Version:        pack.Version,
		Description:    pack.Description,
		SupportsConfig: true,
		Readme:         pack.Readme,
		Repository:     pack.Repository,
		Provider:       pack.Provider,
		Tags:           pack.Tags,
	}
	for _, p := range pack.Policies {
		schema, err := configSchema(p)
		if err != nil {
			return nil, status.Errorf(codes.Internal, "policy %s: config schema: %v", p.Name, err)
		}
		kind := pulumirpc.PolicyType_POLICY_TYPE_STACK
		if p.Resource != nil {
			kind = pulumirpc.PolicyType_POLICY_TYPE_RESOURCE
		}
		fw := pack.FrameworkOf(p)
		info.Policies = append(info.Policies, &pulumirpc.PolicyInfo{
			Name:             p.Name,
			DisplayName:      p.DisplayName,
			Description:      p.Description,
			EnforcementLevel: wireLevel(p.Level),
			ConfigSchema:     schema,
			PolicyType:       kind,
			Severity:         wireSeverity(p.Severity),
			Tags:             p.Tags(),
			RemediationSteps: p.Remediation,
			Url:              p.Section.URL,
			Framework: &pulumirpc.PolicyComplianceFramework{
				Name:          fw.Name,
				Version:       fw.Version,
				Reference:     fw.Reference,
				Specification: fw.Specification,
			},
		})
	}
	return info, nil
}

func configSchema(p *policy.Policy) (*pulumirpc.PolicyConfigSchema, error) {
	m := map[string]any{}
	for _, prm := range p.AllParams() {
		m[prm.Name] = prm.Schema()
	}
	st, err := structpb.NewStruct(m)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.PolicyConfigSchema{Properties: st}, nil
}

// ConfigureStack records the stack's environment: names, tags, config, which
// config keys are secret, and whether this run is a preview.
func (s *Server) ConfigureStack(_ context.Context, req *pulumirpc.AnalyzerStackConfigureRequest) (
	*pulumirpc.AnalyzerStackConfigureResponse, error,
) {
	env := &policy.Env{
		Organization: req.GetOrganization(),
		Project:      req.GetProject(),
		Stack:        req.GetStack(),
		DryRun:       req.GetDryRun(),
		Config:       req.GetConfig(),
		SecretKeys:   map[string]bool{},
		Tags:         req.GetTags(),
	}
	for _, k := range req.GetConfigSecretKeys() {
		env.SecretKeys[k] = true
	}
	s.mu.Lock()
	s.env = env
	s.mu.Unlock()
	return &pulumirpc.AnalyzerStackConfigureResponse{}, nil
}

// Configure validates per-policy config against each policy's schema and
// keeps it. An invalid config is refused with an error naming the policy and
// the property, and the previous config stays in force.
func (s *Server) Configure(_ context.Context, req *pulumirpc.ConfigureAnalyzerRequest) (*emptypb.Empty, error) {
	raw := make(map[string]policy.RawConfig, len(req.GetPolicyConfig()))
	for name, pc := range req.GetPolicyConfig() {
		lvl, err := fromWireLevel(pc.GetEnforcementLevel())
		if err != nil {
			return nil, status.Errorf(codes.InvalidArgument, "policy %s: %v", name, err)
		}
		raw[name] = policy.RawConfig{Level: lvl, Properties: pc.GetProperties().AsMap()}
	}
	cfg, err := s.pack.Configure(raw)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	s.mu.Lock()
	s.config = cfg
	s.mu.Unlock()
	return &emptypb.Empty{}, nil
}

func (s *Server) snapshot() (*policy.Env, policy.Configuration) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.env, s.config
}

// Analyze runs the resource policies on one resource's inputs.
func (s *Server) Analyze(_ context.Context, req *pulumirpc.AnalyzeRequest) (*pulumirpc.AnalyzeResponse, error) {
	s.mu.Lock()
	s.inputs[req.GetUrn()] = req.GetProperties()
	s.mu.Unlock()
	na := s.notApplicableTo(req.GetType())
	// A resource of a type no policy looks at is still decoded when it has
	// tags: Analyze checks that its exemption tag names real policies.
	if !s.pack.WantsType(req.GetType()) && req.GetProperties().GetFields()["tags"] == nil {
		return &pulumirpc.AnalyzeResponse{NotApplicable: na}, nil
	}
	env, cfg := s.snapshot()
	v := props.Decode(req.GetProperties())
	r := &graph.Resource{
		URN:     req.GetUrn(),
		Type:    req.GetType(),
		Name:    req.GetName(),
		Props:   v,
		Outputs: v,
		Parent:  req.GetOptions().GetParent(),

		SecretOutputs: req.GetOptions().GetAdditionalSecretOutputs(),
	}
	resp := s.response(s.pack.Analyze(env, cfg, r))
	resp.NotApplicable = withoutReported(na, resp.GetDiagnostics())
	return resp, nil
}

// withoutReported drops from na the policies that reported on the resource
// (a misspelt exemption tag is reported under the nearest policy, which may
// not look at the resource's type): a policy is either applicable or not.
func withoutReported(na []*pulumirpc.PolicyNotApplicable, ds []*pulumirpc.AnalyzeDiagnostic) []*pulumirpc.PolicyNotApplicable {
	if len(ds) == 0 {
		return na
	}
	reported := map[string]bool{}
	for _, d := range ds {
		reported[d.GetPolicyName()] = true
	}
	out := make([]*pulumirpc.PolicyNotApplicable, 0, len(na))
	for _, n := range na {
		if !reported[n.GetPolicyName()] {
			out = append(out, n)
		}
	}
	return out
}

// notApplicableTo lists the resource policies that do not look at type t,
// so Pulumi Cloud shows them as not applicable, not as passed.
func (s *Server) notApplicableTo(t string) []*pulumirpc.PolicyNotApplicable {
	if v, ok := s.notApplicable.Load(t); ok {
		return v.([]*pulumirpc.PolicyNotApplicable)
	}
	// The engine does this for every resource: keep the message small.
	var out []*pulumirpc.PolicyNotApplicable
	for _, p := range s.pack.NotApplicable(t) {
		out = append(out, &pulumirpc.PolicyNotApplicable{PolicyName: p.Name, Reason: "checks other resource types"})
	}
	s.notApplicable.Store(t, out)
	return out
}

// AnalyzeStack runs the stack policies over every resource.
func (s *Server) AnalyzeStack(_ context.Context, req *pulumirpc.AnalyzeStackRequest) (
	*pulumirpc.AnalyzeResponse, error,
) {
	env, cfg := s.snapshot()
	resources := make([]*graph.Resource, 0, len(req.GetResources()))
	s.mu.RLock()
	for _, r := range req.GetResources() {
		out := props.Decode(r.GetProperties())
		in := out
		if raw, ok := s.inputs[r.GetUrn()]; ok {
			in = props.Decode(raw)
		}
		var deps map[string][]string
		if pd := r.GetPropertyDependencies(); len(pd) > 0 {
			deps = make(map[string][]string, len(pd))
			for k, d := range pd {
				deps[k] = d.GetUrns()
			}
		}
		resources = append(resources, &graph.Resource{
			URN:                  r.GetUrn(),
			Type:                 r.GetType(),
			Name:                 r.GetName(),
			Props:                in,
			Outputs:              out,
			Parent:               r.GetParent(),
			Dependencies:         r.GetDependencies(),
			PropertyDependencies: deps,
			SecretOutputs:        r.GetOptions().GetAdditionalSecretOutputs(),
		})
	}
	s.mu.RUnlock()
	return s.response(s.pack.AnalyzeStack(env, cfg, graph.New(resources))), nil
}

func (s *Server) response(fs []policy.Finding) *pulumirpc.AnalyzeResponse {
	resp := &pulumirpc.AnalyzeResponse{}
	for i := range fs {
		resp.Diagnostics = append(resp.Diagnostics, Diagnostic(s.pack, &fs[i]))
	}
	return resp
}

// Diagnostic renders a finding for the engine.
func Diagnostic(pack *policy.Pack, f *policy.Finding) *pulumirpc.AnalyzeDiagnostic {
	return &pulumirpc.AnalyzeDiagnostic{
		PolicyName:        f.Policy.Name,
		PolicyPackName:    pack.Name,
		PolicyPackVersion: pack.Version,
		Description:       f.Policy.Description,
		Message:           f.Message,
		EnforcementLevel:  wireLevel(f.Level),
		Urn:               f.URN(),
		Severity:          wireSeverity(f.Policy.Severity),
	}
}

// Remediate runs the Remediate hooks of the policies at level remediate that
// look at the resource's type, and returns, per policy that changed
// something, the resource's full properties after it (the engine applies them
// in order, shows the change, and then analyses the fixed inputs). Only the
// changed properties differ from the request's: everything else, secrets
// and unknowns included, is sent back as it came. Every other resource
// policy is reported not applicable: it reports, in Analyze, and does not
// rewrite.
func (s *Server) Remediate(_ context.Context, req *pulumirpc.AnalyzeRequest) (*pulumirpc.RemediateResponse, error) {
	env, cfg := s.snapshot()
	resp := &pulumirpc.RemediateResponse{}
	var rems []policy.Remediation
	if s.pack.WantsType(req.GetType()) {
		v := props.Decode(req.GetProperties())
		rems = s.pack.Remediate(env, cfg, &graph.Resource{
			URN: req.GetUrn(), Type: req.GetType(), Name: req.GetName(), Props: v, Outputs: v,
			Parent: req.GetOptions().GetParent(),
		})
	}
	remediating := s.pack.Remediating(cfg, req.GetType())
	for _, na := range s.noRemediation {
		if !remediating[na.PolicyName] {
			resp.NotApplicable = append(resp.NotApplicable, na)
		}
	}
	if len(rems) == 0 {
		return resp, nil
	}
	cur := proto.Clone(req.GetProperties()).(*structpb.Struct)
	if cur == nil {
		cur = &structpb.Struct{}
	}
	for i := range rems {
		r := &rems[i]
		for _, c := range r.Changes {
			if err := setWire(cur, c.Path, props.Encode(c.Value)); err != nil {
				return nil, status.Errorf(codes.Internal, "policy %s: remediation of %s: %v", r.Policy.Name,
					c.Path, err)
			}
		}
		resp.Remediations = append(resp.Remediations, &pulumirpc.Remediation{
			PolicyName:        r.Policy.Name,
			PolicyPackName:    s.pack.Name,
			PolicyPackVersion: s.pack.Version,
			Description:       r.Description(),
			Properties:        proto.Clone(cur).(*structpb.Struct),
		})
	}
	return resp, nil
}

// Wire signatures of the values setWire steps through: a secret, and an
// output value, each holding the real value under "value".
const (
	sigKey         = "4dabf18193072939515e22adb298388d"
	sigSecret      = "1b47061264138c4ac30d75fd1eb44270"
	sigOutputValue = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
)

// inner returns the value a secret or output value wraps, or v itself.
func inner(v *structpb.Value) *structpb.Value {
	for {
		st := v.GetStructValue()
		sig := st.GetFields()[sigKey].GetStringValue()
		if st == nil || (sig != sigSecret && sig != sigOutputValue) || st.GetFields()["value"] == nil {
			return v
		}
		v = st.GetFields()["value"]
	}
}

// setWire sets the value at path p inside st to v, in place, creating
// missing objects on the way and stepping through secret wrappers.
func setWire(st *structpb.Struct, p props.Path, v *structpb.Value) error {
	if len(p) == 0 {
		return fmt.Errorf("empty path")
	}
	cur := structpb.NewStructValue(st)
	for i, seg := range p {
		cur = inner(cur)
		last := i == len(p)-1
		if seg.IsIndex {
			list := cur.GetListValue()
			if list == nil || seg.Index >= len(list.GetValues()) {
				return fmt.Errorf("%s is not an item of a list", p[:i+1])
			}
			if last {
				list.Values[seg.Index] = v
				return nil
			}
			cur = list.Values[seg.Index]
			continue
		}
		obj := cur.GetStructValue()
		if obj == nil {
			return fmt.Errorf("%s is not inside an object", p[:i+1])
		}
		if obj.Fields == nil {
			obj.Fields = map[string]*structpb.Value{}
		}
		if last {
			obj.Fields[seg.Key] = v
			return nil
		}
		next, ok := obj.Fields[seg.Key]
		if !ok || isNull(next) {
			next = structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{}})
			obj.Fields[seg.Key] = next
		}
		cur = next
	}
	return nil
}

func isNull(v *structpb.Value) bool {
	_, ok := v.GetKind().(*structpb.Value_NullValue)
	return ok
}

// Cancel acknowledges the engine's shutdown signal. The pack holds no work
// that needs stopping: every call finishes on its own.
func (s *Server) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func wireLevel(l policy.Level) pulumirpc.EnforcementLevel {
	switch l {
	case policy.Mandatory:
		return pulumirpc.EnforcementLevel_MANDATORY
	case policy.Disabled:
		return pulumirpc.EnforcementLevel_DISABLED
	case policy.Remediate:
		return pulumirpc.EnforcementLevel_REMEDIATE
	}
	return pulumirpc.EnforcementLevel_ADVISORY
}

func fromWireLevel(l pulumirpc.EnforcementLevel) (policy.Level, error) {
	switch l {
	case pulumirpc.EnforcementLevel_ADVISORY:
		return policy.Advisory, nil
	case pulumirpc.EnforcementLevel_MANDATORY:
		return policy.Mandatory, nil
	case pulumirpc.EnforcementLevel_DISABLED:
		return policy.Disabled, nil
	case pulumirpc.EnforcementLevel_REMEDIATE:
		// A policy with no Remediate hook is mandatory at this level.
		return policy.Remediate, nil
	}
	return 0, fmt.Errorf("unknown enforcement level %d", l)
}

func wireSeverity(s policy.Severity) pulumirpc.PolicySeverity {
	switch s {
	case policy.Low:
		return pulumirpc.PolicySeverity_POLICY_SEVERITY_LOW
	case policy.Medium:
		return pulumirpc.PolicySeverity_POLICY_SEVERITY_MEDIUM
	case policy.High:
		return pulumirpc.PolicySeverity_POLICY_SEVERITY_HIGH
	case policy.Critical:
		return pulumirpc.PolicySeverity_POLICY_SEVERITY_CRITICAL
	}
	return pulumirpc.PolicySeverity_POLICY_SEVERITY_UNSPECIFIED
}
