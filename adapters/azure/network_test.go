package azure_test

import (
	"slices"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/azure"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// probes notes nothing on any policy: what the adapter reads, alone.
type probes struct{}

func (probes) Read(r *graph.Resource) policy.Reader { return policy.Probe(r) }

func rule(priority int, access, src, port string) m {
	return m{"priority": priority, "direction": "Inbound", "access": access, "protocol": "Tcp",
		"sourceAddressPrefix": src, "destinationPortRange": port}
}

// TestFirewalls checks how the adapter groups rules: inline rules and rule
// resources joined by name and resource group, by dependency in preview,
// and rule resources whose group is elsewhere, each alone with a caveat.
func TestFirewalls(t *testing.T) {
	nsg := fixture.R(azure.TypeNetworkSecurityGroup, "nsg", m{"resourceGroupName": "rg",
		"networkSecurityGroupName": "nsg-1", "securityRules": l{with(rule(100, "Allow", "*", "22"), "name", "a"),
			with(rule(200, "Deny", "*", "*"), "direction", "Outbound")}})
	byName := fixture.R(azure.TypeSecurityRule, "by-name", with(with(rule(300, "Deny", "*", "22"),
		"networkSecurityGroupName", "nsg-1"), "resourceGroupName", "rg"))
	otherRG := fixture.R(azure.TypeSecurityRule, "other-rg", with(with(rule(300, "Deny", "*", "22"),
		"networkSecurityGroupName", "nsg-1"), "resourceGroupName", "rg-2"))
	byDep := fixture.R(azure.TypeSecurityRule, "by-dep", with(rule(400, "Allow", "10.0.0.0/8", "22"),
		"networkSecurityGroupName", fixture.OutputOf("nsg", "name")))
	nsg.Output("name", "nsg-1")
	for _, mode := range fixture.Modes {
		g := graph.New(fixture.Build(t, mode, nsg, byName, otherRG, byDep))
		fws := azure.Adapter{}.Firewalls(g, probes{})
		if len(fws) != 2 {
			t.Fatalf("%s: got %d firewalls, want the group and the rule of another resource group: %+v", mode,
				len(fws), fws)
		}
		var names []string
		for _, r := range fws[0].Rules {
			names = append(names, r.Res.Name+r.Path)
		}
		if want := []string{"nsgsecurityRules[0]", "by-name", "by-dep"}; !slices.Equal(names, want) {
			t.Errorf("%s: the group's rules are %v, want %v (outbound left out)", mode, names, want)
		}
		if fws[0].Caveat != "" || fws[1].Rules[0].Res.Name != "other-rg" || fws[1].Caveat == "" {
			t.Errorf("%s: caveats: %q, %q", mode, fws[0].Caveat, fws[1].Caveat)
		}
	}
}

func with(in m, k string, v any) m {
	out := m{}
	for a, b := range in {
		out[a] = b
	}
	out[k] = v
	return out
}
