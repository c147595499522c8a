package aws

import (
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// EKS type tokens: pulumi-aws's, and the components of @pulumi/eks (the
// engine sends their inputs, and in a deployment their aws children too).
const (
	TypeEKSCluster   = "aws:eks/cluster:Cluster"
	TypeEKSNodeGroup = "aws:eks/nodeGroup:NodeGroup"
	TypeEKSAddon     = "aws:eks/addon:Addon"

	TypeEKSComponentCluster   = "eks:index:Cluster"
	TypeEKSManagedNodeGroup   = "eks:index:ManagedNodeGroup"
	TypeEKSNodeGroupV2        = "eks:index:NodeGroupV2"
	TypeEKSComponentNodeGroup = "eks:index:NodeGroup"
)

// UnderEKSComponent reports whether a resource is a child (at any depth) of
// a @pulumi/eks component, which is judged instead, so one setting gives
// one finding.
func UnderEKSComponent(g *graph.Graph, r *graph.Resource) bool {
	for i, p := 0, r.Parent; p != "" && i < 32; i++ {
		parent := g.ByURN(p)
		if parent == nil {
			return false
		}
		if strings.HasPrefix(parent.Type, "eks:index:") {
			return true
		}
		p = parent.Parent
	}
	return false
}

const memoClusters memoKey = "aws.Clusters"

// Clusters returns the stack's EKS clusters: eks:index:Cluster components by
// their inputs, and aws:eks/cluster resources that no component made.
func (Adapter) Clusters(g *graph.Graph) []model.Cluster {
	return g.Memo(memoClusters, func() any { return clusters(g) }).([]model.Cluster)
}

func clusters(g *graph.Graph) []model.Cluster {
	var out []model.Cluster
	for _, c := range g.OfType(TypeEKSComponentCluster) {
		key := model.String(c, "encryptionConfigKeyArn")
		out = append(out, model.Cluster{
			Res: c, Platform: "EKS",
			Endpoint: model.Endpoint{Public: model.Bool(c, "endpointPublicAccess"), PublicDefault: true,
				Ranges: model.Strings(c, "publicAccessCidrs"), OpenTo: "0.0.0.0/0"},
			Secrets: model.SecretsEncryption{Config: model.Map(key, func(k string) bool { return key.Known() }),
				CoversFixed: true, Key: key, KeyService: "KMS"},
		})
	}
	for _, c := range g.OfType(TypeEKSCluster) {
		if UnderEKSComponent(g, c) {
			continue
		}
		out = append(out, model.Cluster{
			Res: c, Platform: "EKS",
			Endpoint: model.Endpoint{Public: model.Bool(c, "vpcConfig.endpointPublicAccess"), PublicDefault: true,
				Ranges: model.Strings(c, "vpcConfig.publicAccessCidrs"), OpenTo: "0.0.0.0/0"},
			Secrets: eksEncryption(c),
		})
	}
	return out
}

// eksEncryption reads encryptionConfig: one object, or (older pulumi-aws) a
// list of one, whose first item counts.
func eksEncryption(c *graph.Resource) model.SecretsEncryption {
	const block = "encryptionConfig"
	rd := policy.Probe(c)
	cfg := rd.Value(block)
	base := block
	if cfg.Kind() == props.Array {
		items, _ := rd.Items(block)
		if len(items) == 0 {
			cfg = props.Value{}
		} else {
			base = items[0].Base()
		}
	}
	s := model.SecretsEncryption{KeyService: "KMS"}
	st := policy.Known
	if cfg.IsNull() {
		st = policy.Absent
	}
	s.Config = model.Of(!cfg.IsNull(), st, c, block).WithNotes(rd.Taken())
	s.Covers = model.Strings(c, base+".resources")
	s.Key = model.String(c, base+".provider.keyArn")
	return s
}

// NodeGroupSSH is what an EKS managed node group says about SSH to its
// nodes: the key pair (remoteAccess.ec2SshKey) and the security groups that
// may reach port 22 (remoteAccess.sourceSecurityGroupIds). With a key and no
// groups, EKS itself opens port 22 on every node to 0.0.0.0/0 (pulumi-aws,
// aws.eks.NodeGroup, NodeGroupRemoteAccess).
type NodeGroupSSH struct {
	Key    model.Field[string]
	Groups model.Field[[]string]
}

// RemoteAccess reads the SSH access of an aws:eks/nodeGroup or an
// eks:index:ManagedNodeGroup component; ok is false for other types, and for
// a node group a @pulumi/eks component made (its URN's type chain names the
// component), which is judged by the component's inputs instead.
func RemoteAccess(r *graph.Resource) (NodeGroupSSH, bool) {
	if r.Type != TypeEKSNodeGroup && r.Type != TypeEKSManagedNodeGroup || madeByEKSComponent(r.URN) {
		return NodeGroupSSH{}, false
	}
	return NodeGroupSSH{Key: model.String(r, "remoteAccess.ec2SshKey"),
		Groups: model.Strings(r, "remoteAccess.sourceSecurityGroupIds")}, true
}

// madeByEKSComponent reports whether a URN's type chain
// ("parentType$type") has a @pulumi/eks component above the resource.
func madeByEKSComponent(urn string) bool {
	parts := strings.Split(urn, "::")
	if len(parts) < 4 {
		return false
	}
	chain := strings.Split(parts[2], "$")
	for _, t := range chain[:len(chain)-1] {
		if strings.HasPrefix(t, "eks:index:") {
			return true
		}
	}
	return false
}
