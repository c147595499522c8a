package gcp_test

import (
	"slices"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/gcp"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

type probes struct{}

func (probes) Read(r *graph.Resource) policy.Reader { return policy.Probe(r) }

// TestFirewalls checks how the adapter groups firewall rules: by network
// (in the stack, or by the name at the end of a selfLink), one firewall per
// set of instances an allow targets, holding the rules that reach all of
// them.
func TestFirewalls(t *testing.T) {
	allow := func(name string, in m) *fixture.Res {
		out := m{"allows": l{m{"protocol": "tcp", "ports": l{"22"}}}, "sourceRanges": l{"0.0.0.0/0"}}
		for k, v := range in {
			out[k] = v
		}
		return fixture.R(gcp.TypeFirewall, name, out)
	}
	rs := []*fixture.Res{
		fixture.R(gcp.TypeNetwork, "vpc", m{}),
		allow("all", m{"network": fixture.ID("vpc")}),
		allow("web", m{"network": fixture.ID("vpc"), "targetTags": l{"web"}}),
		fixture.R(gcp.TypeFirewall, "deny-web-db", m{"network": fixture.ID("vpc"), "targetTags": l{"web", "db"},
			"denies": l{m{"protocol": "all"}}, "sourceRanges": l{"0.0.0.0/0"}}),
		allow("by-link", m{"network": "projects/p/global/networks/default"}),
		allow("by-name", m{"network": "default"}),
		allow("egress", m{"network": "default", "direction": "EGRESS"}),
		allow("off", m{"network": "default", "disabled": true}),
	}
	for _, mode := range fixture.Modes {
		fws := gcp.Adapter{}.Firewalls(graph.New(fixture.Build(t, mode, rs...)), probes{})
		got := map[string][]string{}
		for _, f := range fws {
			for _, r := range f.Rules {
				mark := ""
				if r.Judged {
					mark = "*"
				}
				got[f.Scope] = append(got[f.Scope], r.Res.Name+mark)
			}
		}
		want := map[string][]string{
			`it applies to all instances in network "vpc"`:          {"all*"},
			`it applies to instances tagged "web" in network "vpc"`: {"all", "web*", "deny-web-db"},
			`it applies to all instances in network "default"`:      {"by-link*", "by-name*"},
		}
		if len(got) != len(want) {
			t.Errorf("%s: got firewalls %v, want %v", mode, got, want)
		}
		for scope, names := range want {
			if g := got[scope]; !slices.Equal(g, names) {
				t.Errorf("%s: %s: got %v, want %v", mode, scope, g, names)
			}
		}
	}
}
