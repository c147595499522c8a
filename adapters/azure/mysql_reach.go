package azure

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// Whether a flexible server can be reached from the internet: with private
// access (network.delegatedSubnetResourceId, VNet integration) it has no
// public endpoint; with public access (network.publicNetworkAccess
// Enabled, Azure's default without a delegated subnet) its firewall rules
// (azure-native:dbformysql:FirewallRule, startIpAddress to endIpAddress)
// say who reaches it. The rule 0.0.0.0 to 0.0.0.0 is the portal's "Allow
// public access from any Azure service within Azure to this server".

const memoDatabaseReach = memoKey("azure.DatabaseReach")

const reachFix = "Give the server private access: network.delegatedSubnetResourceId set to a subnet delegated to " +
	"Microsoft.DBforMySQL/flexibleServers (and network.privateDnsZoneResourceId), or set " +
	"network.publicNetworkAccess to \"Disabled\" and reach it through a private endpoint; otherwise admit only " +
	"the addresses that need it."

// DatabaseReach reads each flexible server's public endpoint and the
// firewall rules in front of it; a firewall rule whose server is not in the
// stack (or not known until update) is read on its own.
func (Adapter) DatabaseReach(g *graph.Graph) []model.Reach {
	return g.Memo(memoDatabaseReach, func() any { return databaseReach(g) }).([]model.Reach)
}

func databaseReach(g *graph.Graph) []model.Reach {
	var out []model.Reach
	byServer := map[*graph.Resource][]model.AdmittedRange{}
	var orphans []model.Reach
	for _, fr := range g.OfType(TypeMySQLFirewallRule) {
		a := firewallRange(g, fr)
		if srv, _ := serverOf(g, fr); srv != nil {
			byServer[srv] = append(byServer[srv], a)
			continue
		}
		orphans = append(orphans, model.Reach{Res: fr, Public: serverLabel(g, fr) + " admits what its firewall " +
			"rules admit", Ranges: []model.AdmittedRange{a}, Fix: reachFix})
	}
	for _, srv := range g.OfType(TypeMySQLServer) {
		r := serverReach(srv)
		r.Ranges = byServer[srv]
		out = append(out, r)
	}
	return append(out, orphans...)
}

// serverReach reads whether the server has a public endpoint.
func serverReach(srv *graph.Resource) (r model.Reach) {
	rd := policy.Probe(srv)
	r = model.Reach{Res: srv, Fix: reachFix}
	defer func() { // the gaps of every return below
		if gap, ok := model.GapOf(rd); ok {
			r.Gaps = append(r.Gaps, gap)
		}
	}()
	if rd.IsSet("network.delegatedSubnetResourceId") {
		r.Private = "network.delegatedSubnetResourceId gives it private access in a delegated subnet"
		return r
	}
	access, st := rd.String("network.publicNetworkAccess")
	switch {
	case st == policy.Absent:
		r.Public = "network.publicNetworkAccess is not set and no delegated subnet is, so Azure gives flexible " +
			fmt.Sprintf("server %q public access", srv.Name)
	case st != policy.Known:
	case strings.EqualFold(access, "Disabled"):
		r.Private = "network.publicNetworkAccess is Disabled"
	case strings.EqualFold(access, "Enabled"):
		r.Public = fmt.Sprintf("network.publicNetworkAccess is Enabled on flexible server %q", srv.Name)
	default:
		rd.NoteInvalidFix("network.publicNetworkAccess is neither Enabled nor Disabled",
			"set network.publicNetworkAccess to \"Enabled\" or \"Disabled\"")
	}
	return r
}

// firewallRange reads a firewall rule's range.
func firewallRange(g *graph.Graph, fr *graph.Resource) model.AdmittedRange {
	rd := policy.Probe(fr)
	a := model.AdmittedRange{Where: fr, Path: "startIpAddress to endIpAddress"}
	first, okFirst := address(rd, "startIpAddress")
	last, okLast := address(rd, "endIpAddress")
	if gap, ok := model.GapOf(rd); ok {
		a.Gap = &gap
		return a
	}
	if !okFirst || !okLast {
		return a // absent (required by Azure): nothing admitted that the pack can see
	}
	a.First, a.Last = first, last
	a.Text = first.String() + "-" + last.String()
	if rd.Value("startIpAddress").IsSecret() || rd.Value("endIpAddress").IsSecret() {
		a.Text = "[secret range]"
	}
	a.Fix = "Delete this firewall rule, or narrow it to the addresses that need the server. " + reachFix
	if first == netip.IPv4Unspecified() && last == netip.IPv4Unspecified() {
		a.Special = fmt.Sprintf("is Azure's \"allow public access from any Azure service\" rule: every address "+
			"of Azure, other customers' services included, reaches %s", serverLabel(g, fr))
		a.Fix = "Delete this firewall rule (in the portal, clear \"Allow public access from any Azure service " +
			"within Azure to this server\"). " + reachFix
	}
	return a
}

// address reads an IPv4 address; a malformed one is noted.
func address(rd policy.Reader, p string) (netip.Addr, bool) {
	s, st := rd.String(p)
	if st != policy.Known {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil || !a.Is4() {
		rd.NoteInvalidFix(p+" is not an IPv4 address", "set "+p+" to an IPv4 address such as 203.0.113.10")
		return netip.Addr{}, false
	}
	return a, true
}
