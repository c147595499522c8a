package aws_test

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/aws"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// TestClustersReadEKSShapes checks where each cluster field comes from, for
// the eks:index component, aws:eks/cluster with encryptionConfig as an
// object and as a list of one, and that a cluster a component made is not
// returned twice.
func TestClustersReadEKSShapes(t *testing.T) {
	child := fixture.R(aws.TypeEKSCluster, "child", m{})
	cases := []struct {
		name                       string
		rs                         []*fixture.Res
		names                      []string
		publicPath, rangesPath     string
		configPath, keyPath, cover string
		config                     policy.State
	}{
		{name: "component", rs: []*fixture.Res{fixture.R(aws.TypeEKSComponentCluster, "c", m{"encryptionConfigKeyArn": "arn:k"})},
			names: []string{"c"}, publicPath: "endpointPublicAccess", rangesPath: "publicAccessCidrs",
			configPath: "encryptionConfigKeyArn", keyPath: "encryptionConfigKeyArn", config: policy.Known},
		{name: "aws object", rs: []*fixture.Res{fixture.R(aws.TypeEKSCluster, "c", m{"encryptionConfig": m{
			"resources": l{"secrets"}, "provider": m{"keyArn": "arn:k"}}})},
			names: []string{"c"}, publicPath: "vpcConfig.endpointPublicAccess", rangesPath: "vpcConfig.publicAccessCidrs",
			configPath: "encryptionConfig", keyPath: "encryptionConfig.provider.keyArn",
			cover: "encryptionConfig.resources", config: policy.Known},
		{name: "aws list of one", rs: []*fixture.Res{fixture.R(aws.TypeEKSCluster, "c", m{"encryptionConfig": l{m{
			"resources": l{"secrets"}, "provider": m{"keyArn": "arn:k"}}}})},
			names: []string{"c"}, publicPath: "vpcConfig.endpointPublicAccess", rangesPath: "vpcConfig.publicAccessCidrs",
			configPath: "encryptionConfig", keyPath: "encryptionConfig[0].provider.keyArn",
			cover: "encryptionConfig[0].resources", config: policy.Known},
		{name: "aws empty list is unset", rs: []*fixture.Res{fixture.R(aws.TypeEKSCluster, "c", m{"encryptionConfig": l{}})},
			names: []string{"c"}, publicPath: "vpcConfig.endpointPublicAccess", rangesPath: "vpcConfig.publicAccessCidrs",
			configPath: "encryptionConfig", keyPath: "encryptionConfig.provider.keyArn",
			cover: "encryptionConfig.resources", config: policy.Absent},
		{name: "child of a component is the component's", rs: []*fixture.Res{
			fixture.R(aws.TypeEKSComponentCluster, "c", m{}), child},
			names: []string{"c"}, publicPath: "endpointPublicAccess", rangesPath: "publicAccessCidrs",
			configPath: "encryptionConfigKeyArn", keyPath: "encryptionConfigKeyArn", config: policy.Absent},
	}
	for _, c := range cases {
		for _, mode := range fixture.Modes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				rs := fixture.Build(t, mode, c.rs...)
				if len(rs) == 2 { // make the second resource the first's child
					rs[1].Parent = rs[0].URN
				}
				got := aws.Adapter{}.Clusters(graph.New(rs))
				if len(got) != len(c.names) {
					t.Fatalf("got %d clusters, want %v", len(got), c.names)
				}
				cl := got[0]
				e, s := cl.Endpoint, cl.Secrets
				if cl.Res.Name != c.names[0] || cl.Platform != "EKS" || !e.PublicDefault || e.OpenTo != "0.0.0.0/0" {
					t.Errorf("cluster %s %s default %v open to %s", cl.Res.Name, cl.Platform, e.PublicDefault, e.OpenTo)
				}
				if e.Public.Path != c.publicPath || e.Ranges.Path != c.rangesPath || s.Config.Path != c.configPath ||
					s.Key.Path != c.keyPath || s.Covers.Path != c.cover || s.Config.State != c.config {
					t.Errorf("paths %q %q %q %q %q, config %v", e.Public.Path, e.Ranges.Path, s.Config.Path, s.Key.Path,
						s.Covers.Path, s.Config.State)
				}
				if s.CoversFixed != (c.cover == "") {
					t.Errorf("CoversFixed %v with covers path %q", s.CoversFixed, c.cover)
				}
			})
		}
	}
}
