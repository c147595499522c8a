package hardeningtest

import (
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
)

// The engine's encoding of an unknown value.
const unknownSentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

// recorder is the mock resource monitor: it records each registration with
// its raw wire inputs and answers with ids and outputs shaped like a
// preview's or an update's.
type recorder struct {
	opts Options

	mu   sync.Mutex
	list []*Resource
}

func newRecorder(opts Options) *recorder { return &recorder{opts: opts} }

func (m *recorder) resources() []*Resource {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]*Resource(nil), m.list...)
}

func (m *recorder) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(m.opts.Stack), tokens.PackageName(m.opts.Project),
		parentType, tokens.Type(typ), name))
}

// NewResource records the registration, then answers like the engine would:
// in preview a new custom resource has an unknown id (empty) and its outputs
// are its inputs; in update its id is "<name>-id" and it has an ARN.
func (m *recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	r := &Resource{Type: args.TypeToken, Name: args.Name, Custom: args.Custom}
	switch {
	case args.RegisterRPC != nil:
		req := args.RegisterRPC
		r.Parent = req.GetParent()
		r.Inputs = cloneStruct(req.GetObject())
		r.Dependencies = append([]string(nil), req.GetDependencies()...)
		if pd := req.GetPropertyDependencies(); len(pd) > 0 {
			r.PropertyDependencies = map[string][]string{}
			for k, d := range pd {
				if urns := d.GetUrns(); len(urns) > 0 {
					r.PropertyDependencies[k] = append([]string(nil), urns...)
				}
			}
		}
	case args.ReadRPC != nil:
		req := args.ReadRPC
		r.Parent = req.GetParent()
		r.Custom = true
		r.Inputs = cloneStruct(req.GetProperties())
		r.Dependencies = append([]string(nil), req.GetDependencies()...)
	default:
		r.Inputs = &structpb.Struct{}
	}
	r.URN = m.urn(r.Parent, r.Type, r.Name)
	var k8s kubernetesMeta
	if r.Custom && args.RegisterRPC != nil {
		k8s = kubernetesAutoname(r.Inputs, r.Type, r.Name)
	}

	var (
		id    string
		state resource.PropertyMap
		err   error
	)
	if m.opts.Mocks != nil {
		id, state, err = m.opts.Mocks.NewResource(args)
		if err != nil {
			return "", nil, err
		}
	} else {
		id, state = m.defaults(args)
		k8s.apply(state, m.opts.Mode)
	}
	r.Outputs = outputs(r, id, m.opts.Mode)
	for _, k := range autonamed(r.Type) {
		if v, ok := state[resource.PropertyKey(k)]; ok && v.IsString() {
			if _, has := r.Outputs.Fields[k]; !has {
				r.Outputs.Fields[k] = structpb.NewStringValue(v.StringValue())
			}
		}
	}

	m.mu.Lock()
	m.list = append(m.list, r)
	m.mu.Unlock()
	return id, state, nil
}

func (m *recorder) defaults(args pulumi.MockResourceArgs) (string, resource.PropertyMap) {
	state := args.Inputs.Copy()
	switch {
	case args.ID != "": // read
		return args.ID, state
	case !args.Custom:
		return "", resource.PropertyMap{}
	}
	// A provider names a resource in Check, before preview: the physical
	// name is known in both modes (here: the logical name, no suffix).
	for _, k := range autonamed(args.TypeToken) {
		if _, has := state[resource.PropertyKey(k)]; !has {
			state[resource.PropertyKey(k)] = resource.NewProperty(args.Name)
		}
	}
	if m.opts.Mode == Preview {
		return "", state
	}
	id := args.Name + "-id"
	state["id"] = resource.NewProperty(id)
	state["arn"] = resource.NewProperty(mockARN(args.Name))
	return id, state
}

// autonamed lists the outputs a provider fills with a generated physical
// name when the program gives none.
func autonamed(typ string) []string {
	switch typ {
	case "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2":
		return []string{"bucket"}
	case "aws:rds/subnetGroup:SubnetGroup", "aws:ec2/securityGroup:SecurityGroup", "aws:lb/loadBalancer:LoadBalancer",
		"aws:lb/targetGroup:TargetGroup", "aws:ecs/cluster:Cluster", "aws:ecs/service:Service",
		"aws:rds/parameterGroup:ParameterGroup", "aws:rds/clusterParameterGroup:ClusterParameterGroup",
		"aws:iam/role:Role", "aws:cloudwatch/logGroup:LogGroup", "aws:secretsmanager/secret:Secret":
		return []string{"name"}
	case "aws:rds/cluster:Cluster":
		return []string{"clusterIdentifier"}
	case "aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance":
		return []string{"identifier"}
	}
	return nil
}

// isKubernetesObject reports whether typ is a Kubernetes object, which the
// kubernetes provider names when the program does not (List kinds aside).
func isKubernetesObject(typ string) bool {
	return strings.HasPrefix(typ, "kubernetes:") && !strings.HasSuffix(typ, "List")
}

// kubernetesMeta is what the kubernetes provider does to an object's
// metadata.name: give one (name) or, in preview, leave one unknown.
type kubernetesMeta struct {
	name    string
	unknown bool
}

// kubernetesAutoname is the kubernetes provider's Check on the recorded
// inputs: an object with neither metadata.name nor metadata.generateName
// gets a name, known in both modes (the logical name here, without the
// provider's random suffix); the engine sends analyzers the checked inputs.
// It reports that name, or that the name is unknown in preview (an output,
// or generateName's).
func kubernetesAutoname(inputs *structpb.Struct, typ, logical string) kubernetesMeta {
	if !isKubernetesObject(typ) {
		return kubernetesMeta{}
	}
	meta, has := inputs.Fields["metadata"]
	if !has || isNull(meta) {
		inputs.Fields["metadata"] = structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{
			"name": structpb.NewStringValue(logical),
		}})
		return kubernetesMeta{name: logical}
	}
	if meta.GetStringValue() == unknownSentinel {
		return kubernetesMeta{unknown: true}
	}
	obj := meta.GetStructValue()
	if obj == nil {
		return kubernetesMeta{}
	}
	if _, secret := obj.Fields[resource.SigKey]; secret {
		return kubernetesMeta{}
	}
	if v, set := obj.Fields["name"]; set && !isNull(v) {
		return kubernetesMeta{unknown: v.GetStringValue() == unknownSentinel}
	}
	if v, set := obj.Fields["generateName"]; set && !isNull(v) {
		// The API server picks the name on create.
		return kubernetesMeta{unknown: true}
	}
	if obj.Fields == nil {
		obj.Fields = map[string]*structpb.Value{}
	}
	obj.Fields["name"] = structpb.NewStringValue(logical)
	return kubernetesMeta{name: logical}
}

// apply puts the name into the mock's answer. The mock monitor drops
// unknowns from inputs and answers, which would make an unknown
// metadata.name a known null; leaving metadata out makes it unknown to the
// program in preview, as the engine would.
func (k kubernetesMeta) apply(state resource.PropertyMap, mode Mode) {
	switch {
	case k.name != "":
		meta := resource.PropertyMap{}
		if v, has := state["metadata"]; has && v.IsObject() {
			meta = v.ObjectValue().Copy()
		}
		meta["name"] = resource.NewProperty(k.name)
		state["metadata"] = resource.NewProperty(meta)
	case k.unknown && mode == Preview:
		delete(state, "metadata")
	}
}

func isNull(v *structpb.Value) bool {
	if v == nil || v.GetKind() == nil {
		return true
	}
	_, null := v.GetKind().(*structpb.Value_NullValue)
	return null
}

func mockARN(name string) string { return "arn:aws:mock:us-west-2:123456789012:" + name }

// outputs builds what the engine would send AnalyzeStack for r: its inputs,
// plus id and arn (unknown in preview for a resource being created).
func outputs(r *Resource, id string, mode Mode) *structpb.Struct {
	out := cloneStruct(r.Inputs)
	if !r.Custom {
		return out
	}
	if id == "" && mode == Preview {
		out.Fields["id"] = structpb.NewStringValue(unknownSentinel)
		out.Fields["arn"] = structpb.NewStringValue(unknownSentinel)
		return out
	}
	if id != "" {
		out.Fields["id"] = structpb.NewStringValue(id)
		if _, has := out.Fields["arn"]; !has {
			out.Fields["arn"] = structpb.NewStringValue(mockARN(r.Name))
		}
	}
	return out
}

func cloneStruct(s *structpb.Struct) *structpb.Struct {
	if s == nil {
		return &structpb.Struct{Fields: map[string]*structpb.Value{}}
	}
	c := proto.Clone(s).(*structpb.Struct)
	if c.Fields == nil {
		c.Fields = map[string]*structpb.Value{}
	}
	return c
}

// Call answers invokes: the user's mocks when given, else the handful of
// lookups the self-hosted installers make, with mock values.
func (m *recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	if m.opts.Mocks != nil {
		return m.opts.Mocks.Call(args)
	}
	switch args.Token {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.NewPropertyMapFromMap(map[string]any{
			"accountId": "123456789012", "arn": "arn:aws:iam::123456789012:user/mock",
			"userId": "mock", "id": "123456789012",
		}), nil
	case "aws:index/getRegion:getRegion":
		return resource.NewPropertyMapFromMap(map[string]any{
			"name": "us-west-2", "id": "us-west-2", "region": "us-west-2",
		}), nil
	case "aws:ec2/getVpc:getVpc":
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": "vpc-mock", "cidrBlock": "10.0.0.0/16",
			"arn": "arn:aws:ec2:us-west-2:123456789012:vpc/vpc-mock",
		}), nil
	}
	return resource.PropertyMap{}, nil
}
