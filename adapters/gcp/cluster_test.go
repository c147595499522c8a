package gcp_test

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/gcp"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// TestGKEClusterFields checks each field's value, state and origin for a
// Cluster as @pulumi/gcp 9.x sends it.
func TestGKEClusterFields(t *testing.T) {
	cases := []struct {
		name         string
		in           m
		ranges       policy.State
		rangesPath   string
		closed       bool // authorized networks on with no block
		config       policy.State
		configV      bool
		configPath   string
		enforced     policy.State
		enforcedV    bool
		enforcedPath string
		cidrs        []string
	}{
		{name: "defaults", in: m{"location": "us-central1"},
			ranges: policy.Absent, rangesPath: "masterAuthorizedNetworksConfig",
			config: policy.Absent, configPath: "databaseEncryption",
			enforced: policy.Known, enforcedPath: "networkPolicy.enabled"},
		{name: "autopilot hardened", in: m{"enableAutopilot": true,
			"masterAuthorizedNetworksConfig": m{"cidrBlocks": l{m{"cidrBlock": "198.51.100.0/24"}, m{"cidrBlock": "10.0.0.0/8"}}},
			"databaseEncryption":             m{"state": "ENCRYPTED", "keyName": "projects/p/locations/l/keyRings/r/cryptoKeys/k"}},
			ranges: policy.Known, rangesPath: "masterAuthorizedNetworksConfig.cidrBlocks",
			cidrs:  []string{"198.51.100.0/24", "10.0.0.0/8"},
			config: policy.Known, configV: true, configPath: "databaseEncryption.state",
			enforced: policy.Known, enforcedV: true, enforcedPath: "enableAutopilot"},
		{name: "authorized networks without blocks", in: m{"masterAuthorizedNetworksConfig": m{},
			"datapathProvider": "ADVANCED_DATAPATH", "databaseEncryption": m{"state": "DECRYPTED"}},
			ranges: policy.Absent, rangesPath: "masterAuthorizedNetworksConfig.cidrBlocks", closed: true,
			config: policy.Known, configPath: "databaseEncryption.state",
			enforced: policy.Known, enforcedV: true, enforcedPath: "datapathProvider"},
		{name: "unknowns", in: m{"masterAuthorizedNetworksConfig": fixture.Unknown,
			"databaseEncryption": m{"state": fixture.Unknown}, "networkPolicy": m{"enabled": fixture.Unknown}},
			ranges: policy.Unknown, rangesPath: "masterAuthorizedNetworksConfig",
			config: policy.Unknown, configPath: "databaseEncryption.state",
			enforced: policy.Unknown, enforcedPath: "networkPolicy"},
	}
	for _, c := range cases {
		for _, mode := range fixture.Modes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				got := gcp.Adapter{}.Clusters(graph.New(fixture.Build(t, mode, fixture.R(gcp.TypeCluster, "gke", c.in))))
				if len(got) != 1 {
					t.Fatalf("got %d clusters", len(got))
				}
				cl := got[0]
				e := cl.Endpoint
				if cl.Platform != "GKE" || !e.PublicDefault || e.RangeKey != "cidrBlock" || len(e.Openings) != 2 {
					t.Errorf("endpoint %+v", e)
				}
				if e.Ranges.State != c.ranges || e.Ranges.Path != c.rangesPath {
					t.Errorf("ranges %v at %q, want %v at %q", e.Ranges.State, e.Ranges.Path, c.ranges, c.rangesPath)
				}
				if len(c.cidrs) > 0 && (len(e.Ranges.Value) != len(c.cidrs) || e.Ranges.Value[1] != c.cidrs[1]) {
					t.Errorf("ranges %v, want %v", e.Ranges.Value, c.cidrs)
				}
				closed := false
				for _, p := range e.Private {
					closed = closed || (model.True(p.On) && p.On.Path == "masterAuthorizedNetworksConfig")
				}
				if closed != c.closed {
					t.Errorf("closed %v, want %v", closed, c.closed)
				}
				s := cl.Secrets
				if s.Config.State != c.config || s.Config.Path != c.configPath || (s.Config.Known() && s.Config.Value != c.configV) ||
					s.Key.Path != "databaseEncryption.keyName" || s.KeyService != "Cloud KMS" {
					t.Errorf("secrets config %+v key %q", s.Config, s.Key.Path)
				}
				n := cl.NetworkPolicies.Enforced
				if n.State != c.enforced || n.Path != c.enforcedPath || (n.Known() && n.Value != c.enforcedV) {
					t.Errorf("enforced %+v", n)
				}
				if cl.LocalAccounts.Enabled.Path != "" {
					t.Errorf("GKE local accounts read at %q", cl.LocalAccounts.Enabled.Path)
				}
			})
		}
	}
}

// TestGKEPlacements checks which switches place the nodes: a cluster's own
// (Autopilot, the default pool), inline pools' overrides, and a NodePool's
// own or its cluster's.
func TestGKEPlacements(t *testing.T) {
	cases := []struct {
		name string
		rs   []*fixture.Res
		want []string // resource:path=public
	}{
		{name: "autopilot", rs: []*fixture.Res{fixture.R(gcp.TypeCluster, "gke", m{"enableAutopilot": true})},
			want: []string{"gke:privateClusterConfig.enablePrivateNodes=true"}},
		{name: "default pool removed", rs: []*fixture.Res{
			fixture.R(gcp.TypeCluster, "gke", m{"removeDefaultNodePool": true, "privateClusterConfig": m{"enablePrivateNodes": true}}),
			fixture.R(gcp.TypeNodePool, "pool", m{"cluster": fixture.ID("gke")})},
			want: []string{"pool:privateClusterConfig.enablePrivateNodes=false"}},
		{name: "inline pools", rs: []*fixture.Res{fixture.R(gcp.TypeCluster, "gke", m{"nodePools": l{
			m{"name": "a", "networkConfig": m{"enablePrivateNodes": false}}, m{"name": "b"}}})},
			want: []string{"gke:privateClusterConfig.enablePrivateNodes=true",
				"gke:nodePools[0].networkConfig.enablePrivateNodes=true"}},
		{name: "pool's own", rs: []*fixture.Res{fixture.R(gcp.TypeNodePool, "pool", m{"cluster": "elsewhere",
			"networkConfig": m{"enablePrivateNodes": true}})},
			want: []string{"pool:networkConfig.enablePrivateNodes=false"}},
	}
	for _, c := range cases {
		for _, mode := range fixture.Modes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				var got []string
				for _, p := range (gcp.Adapter{}).Placements(graph.New(fixture.Build(t, mode, c.rs...))) {
					for _, pub := range p.Public {
						got = append(got, p.Res.Name+":"+pub.On.Path+"="+map[bool]string{true: "true", false: "false"}[model.True(pub.On)])
					}
				}
				if len(got) != len(c.want) {
					t.Fatalf("got %v, want %v", got, c.want)
				}
				for i := range got {
					if got[i] != c.want[i] {
						t.Errorf("got %v, want %v", got, c.want)
					}
				}
			})
		}
	}
}
