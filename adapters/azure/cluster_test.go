package azure_test

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/azure"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// TestAKSClusterFields checks each field's value, state and origin for a
// ManagedCluster as azure-native v3 sends it: defaults when unset, the
// values a hardened cluster sets, and values not known until update.
func TestAKSClusterFields(t *testing.T) {
	type want struct {
		private, enforced, local policy.State
		enforcedV, localV        bool
		kms, keyPath             string
	}
	cases := []struct {
		name string
		in   m
		want want
	}{
		{name: "defaults", in: m{"resourceGroupName": "rg"},
			want: want{private: policy.Absent, enforced: policy.Known, local: policy.Known, localV: true,
				kms: "securityProfile.azureKeyVaultKms.enabled", keyPath: "securityProfile.azureKeyVaultKms.keyId"}},
		{name: "hardened", in: m{"apiServerAccessProfile": m{"enablePrivateCluster": true},
			"securityProfile":      m{"azureKeyVaultKms": m{"enabled": true, "keyId": "https://kv/keys/k/1"}},
			"networkProfile":       m{"networkPolicy": "calico"},
			"disableLocalAccounts": true},
			want: want{private: policy.Known, enforced: policy.Known, enforcedV: true, local: policy.Known,
				kms: "securityProfile.azureKeyVaultKms.enabled", keyPath: "securityProfile.azureKeyVaultKms.keyId"}},
		{name: "none is not enforced", in: m{"networkProfile": m{"networkPolicy": "None"}},
			want: want{private: policy.Absent, enforced: policy.Known, local: policy.Known, localV: true,
				kms: "securityProfile.azureKeyVaultKms.enabled", keyPath: "securityProfile.azureKeyVaultKms.keyId"}},
		{name: "unknowns", in: m{"apiServerAccessProfile": m{"enablePrivateCluster": fixture.Unknown},
			"networkProfile": m{"networkPolicy": fixture.Unknown}, "disableLocalAccounts": fixture.Unknown},
			want: want{private: policy.Unknown, enforced: policy.Unknown, local: policy.Unknown,
				kms: "securityProfile.azureKeyVaultKms.enabled", keyPath: "securityProfile.azureKeyVaultKms.keyId"}},
	}
	for _, c := range cases {
		for _, mode := range fixture.Modes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				g := graph.New(fixture.Build(t, mode, fixture.R(azure.TypeManagedCluster, "aks", c.in)))
				got := azure.Adapter{}.Clusters(g)
				if len(got) != 1 {
					t.Fatalf("got %d clusters", len(got))
				}
				cl := got[0]
				e := cl.Endpoint
				if cl.Platform != "AKS" || !e.PublicDefault || e.Public.Path != "" || len(e.Private) != 1 ||
					e.Private[0].On.Path != "apiServerAccessProfile.enablePrivateCluster" ||
					e.Ranges.Path != "apiServerAccessProfile.authorizedIPRanges" || e.Fix == "" {
					t.Errorf("endpoint %+v", e)
				}
				if e.Private[0].On.State != c.want.private {
					t.Errorf("private %v, want %v", e.Private[0].On.State, c.want.private)
				}
				if s := cl.Secrets; s.Config.Path != c.want.kms || s.Key.Path != c.want.keyPath || !s.CoversFixed ||
					s.KeyService != "Azure Key Vault" {
					t.Errorf("secrets %+v", s)
				}
				n := cl.NetworkPolicies
				if n.Enforced.Path != "networkProfile.networkPolicy" || n.Enforced.State != c.want.enforced ||
					(n.Enforced.Known() && n.Enforced.Value != c.want.enforcedV) {
					t.Errorf("network policies %+v", n.Enforced)
				}
				a := cl.LocalAccounts
				if a.Enabled.Path != "disableLocalAccounts" || a.Enabled.State != c.want.local ||
					(a.Enabled.Known() && a.Enabled.Value != c.want.localV) {
					t.Errorf("local accounts %+v", a.Enabled)
				}
			})
		}
	}
}

// TestAKSPlacements checks the app-tier members: a switch per agent pool
// profile and one per AgentPool resource, each at its own path.
func TestAKSPlacements(t *testing.T) {
	rs := []*fixture.Res{
		fixture.R(azure.TypeManagedCluster, "aks", m{"agentPoolProfiles": l{m{"name": "system"},
			m{"name": "user", "enableNodePublicIP": true}}}),
		fixture.R(azure.TypeAgentPool, "pool", m{"enableNodePublicIP": false}),
	}
	for _, mode := range fixture.Modes {
		t.Run(mode.String(), func(t *testing.T) {
			ps := azure.Adapter{}.Placements(graph.New(fixture.Build(t, mode, rs...)))
			var paths []string
			var on []bool
			for _, p := range ps {
				if p.Tier != model.AppTier {
					t.Errorf("%s is not in the app tier", p.Res.Name)
				}
				for _, pub := range p.Public {
					paths = append(paths, p.Res.Name+":"+pub.On.Path)
					on = append(on, model.True(pub.On))
				}
			}
			want := []string{"aks:agentPoolProfiles[0].enableNodePublicIP", "aks:agentPoolProfiles[1].enableNodePublicIP",
				"pool:enableNodePublicIP"}
			if len(paths) != len(want) {
				t.Fatalf("switches %v, want %v", paths, want)
			}
			for i := range want {
				if paths[i] != want[i] || on[i] != (i == 1) {
					t.Errorf("switch %d: %s on %v", i, paths[i], on[i])
				}
			}
		})
	}
}
