package policies

import (
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

const (
	typeAzureNSG      = "azure-native:network:NetworkSecurityGroup"
	typeAzureRule     = "azure-native:network:SecurityRule"
	typeGCPFirewall   = "gcp:compute/firewall:Firewall"
	typeGCPNetwork    = "gcp:compute/network:Network"
	typeAzureSubnet   = "azure-native:network:Subnet"
	typeAzureVNet     = "azure-native:network:VirtualNetwork"
	azureRG           = "pulumi-rg"
	azureNSGName      = "pulumi-nsg"
	gcpIAPRange       = "35.235.240.0/20"
	azureInboundAllow = "Allow"
)

// nsgRule is an inline securityRules item as @pulumi/azure-native v3 sends
// it: Inbound, Tcp, one source prefix and one port range.
func nsgRule(name string, priority int, access, source, port string) m {
	return m{"name": name, "priority": priority, "direction": "Inbound", "access": access, "protocol": "Tcp",
		"sourceAddressPrefix": source, "sourcePortRange": "*", "destinationAddressPrefix": "*",
		"destinationPortRange": port}
}

func nsg(name string, rules ...m) *fixture.Res {
	items := l{}
	for _, r := range rules {
		items = append(items, r)
	}
	return fixture.R(typeAzureNSG, name, m{"resourceGroupName": azureRG, "networkSecurityGroupName": azureNSGName,
		"location": "westeurope", "securityRules": items})
}

// secRule is a SecurityRule resource joined to the NSG named nsg of the case
// by its name output (unknown in preview, with the engine's dependency).
func secRule(name, nsgRes string, rule m) *fixture.Res {
	in := with(rule, m{"resourceGroupName": azureRG, "securityRuleName": rule["name"],
		"networkSecurityGroupName": fixture.OutputOf(nsgRes, "name")})
	delete(in, "name")
	return fixture.R(typeAzureRule, name, in)
}

func nsgWithName(name string, rules ...m) *fixture.Res {
	return nsg(name, rules...).Output("name", azureNSGName)
}

// fwRule is a gcp.compute.Firewall as @pulumi/gcp 9 sends it.
func fwRule(name string, in m) *fixture.Res {
	return fixture.R(typeGCPFirewall, name, with(m{"network": fixture.ID("vpc")}, in))
}

func gcpNet() *fixture.Res {
	return fixture.R(typeGCPNetwork, "vpc", m{"autoCreateSubnetworks": true, "routingMode": "REGIONAL"})
}

func tcp(ports ...any) l { return l{m{"protocol": "tcp", "ports": l(ports)}} }

func TestFirewallsAzure(t *testing.T) {
	p := SecurityGroupNoUnrestrictedIngress
	runCases(t, p, []caseT{
		{name: "inline rule admits Internet to SSH", target: "nsg",
			rs:   []*fixture.Res{nsg("nsg", nsgRule("ssh", 100, "Allow", "Internet", "22"))},
			both: []fixture.Want{violation(`security rule "ssh" (securityRules[0]) of network security group "pulumi-nsg"`, "admits Internet (securityRules[0].sourceAddressPrefix) to sensitive port 22", "no rule of higher priority denies it")}},
		{name: "* to a range covering MySQL and Postgres", target: "nsg",
			rs: []*fixture.Res{nsg("nsg", nsgRule("db", 200, "Allow", "*", "3000-5500"))},
			both: []fixture.Want{violation("admits * (securityRules[0].sourceAddressPrefix) to sensitive ports 3306, 3389, 5432",
				`protocol "Tcp", port "3000-5500" at securityRules[0].destinationPortRange`)}},
		{name: "Any on every port and protocol", target: "nsg",
			rs:   []*fixture.Res{nsg("nsg", with(nsgRule("all", 300, "Allow", "Any", "*"), m{"protocol": "*"}))},
			both: []fixture.Want{violation("admits Any", "to every port, sensitive ports 22, 3306")}},
		{name: "0.0.0.0/1 and 128.0.0.0/1 in sourceAddressPrefixes", target: "nsg",
			rs: []*fixture.Res{nsg("nsg", with(nsgRule("rdp", 100, "Allow", "", "3389"), m{
				"sourceAddressPrefixes": l{"0.0.0.0/1", "128.0.0.0/1"}}))},
			both: []fixture.Want{violation("all of IPv4 (0.0.0.0/1 at securityRules[0].sourceAddressPrefixes[0]",
				"sensitive port 3389")}},
		{name: "port list with a sensitive port", target: "nsg",
			rs: []*fixture.Res{nsg("nsg", with(nsgRule("web", 100, "Allow", "Internet", ""), m{
				"destinationPortRanges": l{"443", "6379"}}))},
			both: []fixture.Want{violation("sensitive port 6379")}},
		{name: "a Deny of lower priority number shadows the Allow", target: "nsg",
			rs: []*fixture.Res{nsg("nsg", nsgRule("ssh", 200, "Allow", "Internet", "22"),
				nsgRule("deny-ssh", 100, "Deny", "*", "22"))}},
		{name: "a Deny of higher priority number does not", target: "nsg",
			rs: []*fixture.Res{nsg("nsg", nsgRule("ssh", 200, "Allow", "Internet", "22"),
				nsgRule("deny-ssh", 300, "Deny", "*", "22"))},
			both: []fixture.Want{violation(`security rule "ssh"`, "sensitive port 22")}},
		{name: "a Deny of half the internet leaves the other half: no whole family", target: "nsg",
			rs: []*fixture.Res{nsg("nsg", with(nsgRule("ssh", 200, "Allow", "0.0.0.0/0", "22"), m{}),
				nsgRule("deny-half", 100, "Deny", "0.0.0.0/1", "22"))}},
		{name: "a Deny on 22 only: the all-port Allow still opens every port", target: "nsg",
			rs: []*fixture.Res{nsg("nsg", nsgRule("all", 200, "Allow", "Internet", "*"),
				nsgRule("deny-ssh", 100, "Deny", "Internet", "22"))},
			both: []fixture.Want{violation(`security rule "all"`, "every port, sensitive ports 3306")}},
		{name: "VirtualNetwork, a private range and AzureLoadBalancer", target: "nsg",
			rs: []*fixture.Res{nsg("nsg", nsgRule("vnet", 100, "Allow", "VirtualNetwork", "*"),
				nsgRule("priv", 110, "Allow", "10.0.0.0/8", "22"), nsgRule("lb", 120, "Allow", "AzureLoadBalancer", "*"))}},
		{name: "Internet on 443 only", target: "nsg",
			rs: []*fixture.Res{nsg("nsg", nsgRule("https", 100, "Allow", "Internet", "443"))}},
		{name: "Outbound rules are not judged", target: "nsg",
			rs: []*fixture.Res{nsg("nsg", with(nsgRule("out", 100, "Allow", "*", "*"), m{"direction": "Outbound"}))}},
		{name: "Udp 3389 counts, Icmp does not", target: "nsg",
			rs: []*fixture.Res{nsg("nsg", with(nsgRule("rdp-udp", 100, "Allow", "*", "3389"), m{"protocol": "Udp"}),
				with(nsgRule("ping", 110, "Allow", "*", "*"), m{"protocol": "Icmp"}))},
			both: []fixture.Want{violation(`security rule "rdp-udp"`, "sensitive port 3389")}},
		{name: "SecurityRule resource joined to its NSG", target: "ssh",
			rs: []*fixture.Res{nsgWithName("nsg"), secRule("ssh", "nsg", nsgRule("ssh", 100, "Allow", "Internet", "22"))},
			both: []fixture.Want{violation(`security rule "ssh" of network security group "pulumi-nsg"`,
				"sensitive port 22")},
			previewElsewhere: map[string][]fixture.Want{}},
		{name: "SecurityRule resource shadowed by an inline Deny of its NSG", target: "ssh",
			rs: []*fixture.Res{nsgWithName("nsg", nsgRule("deny-all", 100, "Deny", "*", "*")),
				secRule("ssh", "nsg", nsgRule("ssh", 200, "Allow", "Internet", "22"))}},
		{name: "SecurityRule resource shadowing an inline Allow", target: "nsg",
			rs: []*fixture.Res{nsgWithName("nsg", nsgRule("ssh", 200, "Allow", "Internet", "22")),
				secRule("deny", "nsg", nsgRule("deny", 100, "Deny", "Internet", "22"))}},
		{name: "SecurityRule of an NSG outside the stack", target: "ssh",
			rs: []*fixture.Res{fixture.R(typeAzureRule, "ssh", with(nsgRule("", 100, "Allow", "Internet", "22"),
				m{"resourceGroupName": azureRG, "networkSecurityGroupName": "shared-nsg", "securityRuleName": "ssh"}))},
			both: []fixture.Want{violation(`network security group "shared-nsg"`, "sensitive port 22",
				"not in the stack", "were not evaluated")}},
		{name: "sensitivePorts config", target: "nsg", cfg: m{"sensitivePorts": l{8080}},
			rs:   []*fixture.Res{nsg("nsg", nsgRule("app", 100, "Allow", "Internet", "8000-8100"))},
			both: []fixture.Want{violation("sensitive port 8080")}},

		// Preview unknowns and malformed values.
		{name: "source prefix not known until update", target: "nsg",
			rs:      []*fixture.Res{nsg("nsg", with(nsgRule("ssh", 100, "Allow", "", "22"), m{"sourceAddressPrefix": fixture.Unknown}))},
			preview: []fixture.Want{advisory("securityRules[0].sourceAddressPrefix is not known until update")},
			update:  []fixture.Want{advisory("securityRules[0].sourceAddressPrefix is not known")}},
		{name: "an unknown Deny before an open Allow: no verdict", target: "nsg",
			rs: []*fixture.Res{nsg("nsg", nsgRule("ssh", 200, "Allow", "Internet", "22"),
				with(nsgRule("deny", 100, "Deny", "", "22"), m{"sourceAddressPrefix": fixture.Unknown}))},
			preview: []fixture.Want{advisory("securityRules[1].sourceAddressPrefix is not known until update")},
			update:  []fixture.Want{advisory("securityRules[1].sourceAddressPrefix is not known")}},
		{name: "port abc", target: "nsg",
			rs:   []*fixture.Res{nsg("nsg", nsgRule("ssh", 100, "Allow", "Internet", "abc"))},
			both: []fixture.Want{advisory(`securityRules[0].destinationPortRange "abc" is not a port or a range of ports`)}},
		{name: "port 1-", target: "nsg",
			rs:   []*fixture.Res{nsg("nsg", nsgRule("ssh", 100, "Allow", "Internet", "1-"))},
			both: []fixture.Want{advisory(`"1-" is not a port or a range of ports ("1-": a range needs a port on each side of the dash)`)}},
		{name: "reversed range", target: "nsg",
			rs:   []*fixture.Res{nsg("nsg", nsgRule("ssh", 100, "Allow", "Internet", "3310-3000"))},
			both: []fixture.Want{advisory(`"3310-3000" is not a port or a range of ports ("3310-3000": 3310 is above 3000)`)}},
		{name: "port 70000", target: "nsg",
			rs:   []*fixture.Res{nsg("nsg", nsgRule("ssh", 100, "Allow", "Internet", "22-70000"))},
			both: []fixture.Want{advisory("70000 is not a port (0 to 65535)")}},
		{name: "a prefix that is neither CIDR nor tag", target: "nsg",
			rs: []*fixture.Res{nsg("nsg", nsgRule("ssh", 100, "Allow", "10.0.0.300/8", "22"))},
			both: []fixture.Want{advisory(`securityRules[0].sourceAddressPrefix "10.0.0.300/8" is neither a CIDR block, ` +
				"an address nor a service tag")}},
		{name: "a malformed rule resource says which property", target: "ssh",
			rs: []*fixture.Res{nsgWithName("nsg"), secRule("ssh", "nsg", with(nsgRule("ssh", 100, "Permit", "*", "22"),
				m{"priority": 99.5}))},
			both: []fixture.Want{advisory(`access is "Permit", expected Allow or Deny`,
				"priority is 99.5, expected a whole number from 100 to 4096")}},
		{name: "a secret source prefix is never shown", target: "nsg",
			rs: []*fixture.Res{nsg("nsg", with(nsgRule("ssh", 100, "Allow", "", "22"),
				m{"sourceAddressPrefix": fixture.Secret("Internet")}))},
			both: []fixture.Want{violation("[secret] (securityRules[0].sourceAddressPrefix)")}},
	})
}

func TestFirewallsGCP(t *testing.T) {
	p := SecurityGroupNoUnrestrictedIngress
	runCases(t, p, []caseT{
		{name: "0.0.0.0/0 to SSH on all instances", target: "ssh",
			rs: []*fixture.Res{gcpNet(), fwRule("ssh", m{"allows": tcp("22"), "sourceRanges": l{"0.0.0.0/0"}})},
			both: []fixture.Want{violation(`firewall "ssh" (allows[0]) admits 0.0.0.0/0 (sourceRanges[0]) to sensitive port 22`,
				`protocol "tcp", port "22" at allows[0].ports[0]`, `it applies to all instances in network "vpc"`)}},
		{name: "no source at all: Google Cloud's default 0.0.0.0/0", target: "db",
			rs: []*fixture.Res{gcpNet(), fwRule("db", m{"allows": tcp("3306", "5432")})},
			both: []fixture.Want{violation("0.0.0.0/0 (sourceRanges (not set, nor sourceTags or sourceServiceAccounts",
				"sensitive ports 3306, 5432")}},
		{name: "empty sourceRanges and no tags: the default too", target: "db",
			rs:   []*fixture.Res{gcpNet(), fwRule("db", m{"allows": tcp("5432"), "sourceRanges": l{}})},
			both: []fixture.Want{violation("Google Cloud's default", "sensitive port 5432")}},
		{name: "sourceTags only: no range", target: "db",
			rs: []*fixture.Res{gcpNet(), fwRule("db", m{"allows": tcp("5432"), "sourceTags": l{"app"}})}},
		{name: "IAP's range to SSH", target: "ssh",
			rs: []*fixture.Res{gcpNet(), fwRule("ssh", m{"allows": tcp("22"), "sourceRanges": l{gcpIAPRange}})}},
		{name: "all protocols, every port, tagged instances", target: "any",
			rs: []*fixture.Res{gcpNet(), fwRule("any", m{"allows": l{m{"protocol": "all"}}, "sourceRanges": l{"::/0"},
				"targetTags": l{"web"}})},
			both: []fixture.Want{violation("admits ::/0 (sourceRanges[0]) to every port", `instances tagged "web" in network "vpc"`)}},
		{name: "disabled", target: "ssh",
			rs: []*fixture.Res{gcpNet(), fwRule("ssh", m{"allows": tcp("22"), "sourceRanges": l{"0.0.0.0/0"}, "disabled": true})}},
		{name: "egress", target: "out",
			rs: []*fixture.Res{gcpNet(), fwRule("out", m{"allows": tcp("22"), "direction": "EGRESS",
				"destinationRanges": l{"0.0.0.0/0"}})}},
		{name: "a deny of higher priority on all instances shadows", target: "ssh",
			rs: []*fixture.Res{gcpNet(), fwRule("ssh", m{"allows": tcp("22"), "sourceRanges": l{"0.0.0.0/0"}}),
				fwRule("deny", m{"denies": l{m{"protocol": "all"}}, "sourceRanges": l{"0.0.0.0/0"}, "priority": 900})}},
		{name: "a deny of equal priority wins", target: "ssh",
			rs: []*fixture.Res{gcpNet(), fwRule("ssh", m{"allows": tcp("22"), "sourceRanges": l{"0.0.0.0/0"}}),
				fwRule("deny", m{"denies": tcp("22"), "sourceRanges": l{"0.0.0.0/0"}})}},
		{name: "a deny of lower priority does not", target: "ssh",
			rs: []*fixture.Res{gcpNet(), fwRule("ssh", m{"allows": tcp("22"), "sourceRanges": l{"0.0.0.0/0"}}),
				fwRule("deny", m{"denies": tcp("22"), "sourceRanges": l{"0.0.0.0/0"}, "priority": 2000})},
			both: []fixture.Want{violation(`firewall "ssh"`, "sensitive port 22")}},
		{name: "a deny on tagged instances does not shadow an allow on all", target: "ssh",
			rs: []*fixture.Res{gcpNet(), fwRule("ssh", m{"allows": tcp("22"), "sourceRanges": l{"0.0.0.0/0"}}),
				fwRule("deny", m{"denies": tcp("22"), "sourceRanges": l{"0.0.0.0/0"}, "priority": 10,
					"targetTags": l{"db"}})},
			both: []fixture.Want{violation(`firewall "ssh"`, "all instances")}},
		{name: "a deny on the same tags shadows", target: "ssh",
			rs: []*fixture.Res{gcpNet(), fwRule("ssh", m{"allows": tcp("22"), "sourceRanges": l{"0.0.0.0/0"},
				"targetTags": l{"db"}}),
				fwRule("deny", m{"denies": tcp("22"), "sourceRanges": l{"0.0.0.0/0"}, "priority": 10,
					"targetTags": l{"db", "app"}})}},
		{name: "a deny in another network does not shadow", target: "ssh",
			rs: []*fixture.Res{gcpNet(), fwRule("ssh", m{"allows": tcp("22"), "sourceRanges": l{"0.0.0.0/0"}}),
				fwRule("deny", m{"denies": tcp("22"), "sourceRanges": l{"0.0.0.0/0"}, "priority": 10,
					"network": "other"})},
			both: []fixture.Want{violation(`firewall "ssh"`)}},
		{name: "two /1 ranges across two rules", target: "a",
			rs: []*fixture.Res{gcpNet(), fwRule("a", m{"allows": tcp("22"), "sourceRanges": l{"0.0.0.0/1"}}),
				fwRule("b", m{"allows": tcp("22"), "sourceRanges": l{"128.0.0.0/1"}})},
			both: []fixture.Want{violation(`firewall "a" (allows[0]) and firewall "b" (allows[0]) together admit all of IPv4`)}},
		{name: "protocol number 6 is tcp", target: "ssh",
			rs: []*fixture.Res{gcpNet(), fwRule("ssh", m{"allows": l{m{"protocol": "6", "ports": l{"20-25"}}},
				"sourceRanges": l{"0.0.0.0/0"}})},
			both: []fixture.Want{violation("sensitive port 22")}},
		{name: "network by name, outside the stack", target: "ssh",
			rs:   []*fixture.Res{fwRule("ssh", m{"network": "default", "allows": tcp("22"), "sourceRanges": l{"0.0.0.0/0"}})},
			both: []fixture.Want{violation(`all instances in network "default"`)}},

		// Unknowns and malformed values.
		{name: "sourceRanges not known until update", target: "ssh",
			rs:      []*fixture.Res{gcpNet(), fwRule("ssh", m{"allows": tcp("22"), "sourceRanges": fixture.Unknown})},
			preview: []fixture.Want{advisory("sourceRanges is not known until update")},
			update:  []fixture.Want{advisory("sourceRanges is not known")}},
		{name: "sourceTags not known and no ranges: whether the default applies is not known", target: "ssh",
			rs:      []*fixture.Res{gcpNet(), fwRule("ssh", m{"allows": tcp("22"), "sourceTags": l{fixture.Unknown}})},
			preview: []fixture.Want{advisory("sourceTags[0] is not known until update")},
			update:  []fixture.Want{advisory("sourceTags[0] is not known")}},
		{name: "ports abc", target: "ssh",
			rs:   []*fixture.Res{gcpNet(), fwRule("ssh", m{"allows": tcp("abc"), "sourceRanges": l{"0.0.0.0/0"}})},
			both: []fixture.Want{advisory(`allows[0].ports[0] "abc" is not a port or a range of ports`)}},
		{name: "reversed range", target: "ssh",
			rs:   []*fixture.Res{gcpNet(), fwRule("ssh", m{"allows": tcp("25-20"), "sourceRanges": l{"0.0.0.0/0"}})},
			both: []fixture.Want{advisory(`"25-20" is not a port or a range of ports ("25-20": 25 is above 20)`)}},
		{name: "a range that is not a CIDR", target: "ssh",
			rs:   []*fixture.Res{gcpNet(), fwRule("ssh", m{"allows": tcp("22"), "sourceRanges": l{"internet"}})},
			both: []fixture.Want{advisory(`sourceRanges[0] "internet" is not a CIDR block`)}},
		{name: "a malformed deny before an open allow: no verdict", target: "deny",
			rs: []*fixture.Res{gcpNet(), fwRule("ssh", m{"allows": tcp("22"), "sourceRanges": l{"0.0.0.0/0"}}),
				fwRule("deny", m{"denies": tcp("22-"), "sourceRanges": l{"0.0.0.0/0"}, "priority": 10})},
			both: []fixture.Want{advisory(`denies[0].ports[0] "22-" is not a port or a range of ports`)}},
		{name: "priority out of range", target: "ssh",
			rs: []*fixture.Res{gcpNet(), fwRule("ssh", m{"allows": tcp("22"), "sourceRanges": l{"0.0.0.0/0"},
				"priority": 70000})},
			both: []fixture.Want{advisory("priority is 70000, expected a whole number from 0 to 65535")}},
		{name: "a secret range is never shown", target: "ssh",
			rs:   []*fixture.Res{gcpNet(), fwRule("ssh", m{"allows": tcp("22"), "sourceRanges": l{fixture.Secret("0.0.0.0/0")}})},
			both: []fixture.Want{violation("[secret] (sourceRanges[0])")}},
	})
}

// tierStub places one member of a tier in the subnets its input subnetId
// names, as the Azure database and cluster adapters do, so the tier
// policies' subnet guard can be tested before those adapters land.
type tierStub struct {
	model.None
	tier model.Tier
}

type stubNet struct{}

func (stubNet) SubnetTypes() []string { return []string{typeAzureSubnet} }
func (stubNet) Subnet(*policy.StackContext, *graph.Resource) model.SubnetVerdict {
	return model.SubnetVerdict{Placement: model.Private}
}

func (s tierStub) Placements(g *graph.Graph) []model.Placement {
	var out []model.Placement
	for _, r := range g.OfType("test:index:Member") {
		out = append(out, model.Placement{Res: r, Tier: s.tier,
			Subnets: []model.SubnetList{{Holder: r, Path: "subnetId", Net: stubNet{}}}})
	}
	return out
}

// withSources runs f with extra adapters beside the pack's.
func withSources(t *testing.T, extra ...model.Source) {
	t.Helper()
	saved := sources
	sources = append(append(model.Sources(nil), sources...), extra...)
	t.Cleanup(func() { sources = saved })
}

func TestTierSubnetWithoutNSG(t *testing.T) {
	member := fixture.R("test:index:Member", "member", m{"subnetId": fixture.ID("snet")})
	subnet := func(in m) *fixture.Res {
		return fixture.R(typeAzureSubnet, "snet", with(m{"resourceGroupName": azureRG, "virtualNetworkName": "vnet",
			"addressPrefix": "10.0.1.0/24"}, in))
	}
	for _, tc := range []struct {
		p    *policy.Policy
		tier model.Tier
		also string
	}{
		{DatabaseSecurityGroupRestricted, model.DatabaseTier, "the database's own firewall rules"},
		{AppSecurityGroupRestricted, model.AppTier, "Kubernetes NetworkPolicies"},
	} {
		t.Run(tc.p.Name, func(t *testing.T) {
			withSources(t, tierStub{tier: tc.tier})
			runCases(t, tc.p, []caseT{
				{name: "no network security group", target: "snet",
					rs: []*fixture.Res{member, subnet(m{})},
					both: []fixture.Want{advisory(`subnet "snet" has no network security group`,
						`test:index:Member "member" sits in it (subnetId)`, tc.also)}},
				{name: "a network security group", target: "snet",
					rs: []*fixture.Res{member, nsg("nsg"), subnet(m{"networkSecurityGroup": m{"id": fixture.ID("nsg")}})}},
				{name: "the group passed as an output", target: "snet",
					rs: []*fixture.Res{member, subnet(m{"networkSecurityGroup": fixture.Unknown})}},
				{name: "a group without an id", target: "snet",
					rs:   []*fixture.Res{member, subnet(m{"networkSecurityGroup": m{}})},
					both: []fixture.Want{advisory("networkSecurityGroup.id is not set")}},
				{name: "a group of the wrong shape", target: "snet",
					rs:   []*fixture.Res{member, subnet(m{"networkSecurityGroup": "nsg-id"})},
					both: []fixture.Want{advisory("networkSecurityGroup is string, expected an object")}},
			})
		})
	}
}

// TestFirewallFindingsInPlatformWords checks that Azure and Google Cloud
// findings speak their platform's words, never AWS's.
func TestFirewallFindingsInPlatformWords(t *testing.T) {
	aws := []string{"security group", "cidrBlocks", "SSM", "sourceSecurityGroupId", "fromPort", "0.0.0.0/0 (ingress"}
	for _, c := range []struct {
		name string
		rs   []*fixture.Res
		want []string
	}{
		{"azure", []*fixture.Res{nsg("nsg", nsgRule("ssh", 100, "Allow", "Internet", "22"))},
			[]string{"az network nsg rule update --resource-group pulumi-rg --nsg-name pulumi-nsg --name ssh",
				"sourceAddressPrefix", "Deny rule with a lower priority number", "Azure Bastion"}},
		{"gcp", []*fixture.Res{gcpNet(), fwRule("ssh", m{"allows": tcp("22"), "sourceRanges": l{"0.0.0.0/0"}})},
			[]string{"gcloud compute firewall-rules update ssh --source-ranges=", "sourceRanges", "Identity-Aware Proxy"}},
	} {
		for _, mode := range fixture.Modes {
			fs := fixture.Run(t, SecurityGroupNoUnrestrictedIngress, mode, nil, nil, c.rs...)
			if len(fs) != 1 {
				t.Fatalf("%s/%s: want one finding:%s", c.name, mode, fixture.Describe(fs))
			}
			for _, w := range c.want {
				if !strings.Contains(fs[0].Message, w) {
					t.Errorf("%s/%s: the finding lacks %q:\n%s", c.name, mode, w, fs[0].Message)
				}
			}
			// The Why paraphrases the guide ("security groups or network
			// policies"); what the pack says itself is judged.
			what, rest, _ := strings.Cut(fs[0].Message, "\nWhy:")
			_, fix, _ := strings.Cut(rest, "\nFix:")
			for _, w := range aws {
				if strings.Contains(strings.ReplaceAll(what+fix, "network security group", ""), w) {
					t.Errorf("%s/%s: the finding speaks AWS (%q):\n%s", c.name, mode, w, fs[0].Message)
				}
			}
		}
	}
}

func TestFirewallsAzureUnknownInlineRules(t *testing.T) {
	runCases(t, SecurityGroupNoUnrestrictedIngress, []caseT{
		{name: "inline rules not known until update may deny: no verdict on the joined rule", target: "nsg",
			rs: []*fixture.Res{fixture.R(typeAzureNSG, "nsg", m{"resourceGroupName": azureRG,
				"networkSecurityGroupName": azureNSGName, "securityRules": fixture.Unknown}).Output("name", azureNSGName),
				secRule("ssh", "nsg", nsgRule("ssh", 4000, "Allow", "Internet", "22"))},
			preview: []fixture.Want{advisory("securityRules is not known until update")},
			update:  []fixture.Want{advisory("securityRules is not known")}},
	})
}
