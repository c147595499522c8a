package policies_test

import (
	"encoding/json"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
)

// FuzzFirewallRule feeds an arbitrary port specification, source and
// protocol to one Azure network security rule (inline in a group, and as a
// SecurityRule resource) and one Google Cloud firewall rule, and checks the
// verdict of security-group-no-unrestricted-ingress against portOracle and
// sourceOracle, which read ports and sources by their own means: a rule
// whose source is the whole internet, on a port protocol, whose ports are
// all ports or reach a sensitive one, is a mandatory violation on each
// form; a rule whose ports cannot be read (abc, 1-, 3310-3000, 70000) or
// whose source is a private range is none.
func FuzzFirewallRule(f *testing.F) {
	for _, s := range []struct{ ports, src, proto string }{
		{"22", "0.0.0.0/0", "tcp"},
		{"3000-3310", "Internet", "Tcp"},
		{"*", "*", "*"},
		{"0-65535", "::/0", "all"},
		{"1-", "0.0.0.0/0", "tcp"},
		{"abc", "Internet", "tcp"},
		{"3310-3000", "0.0.0.0/0", "tcp"},
		{"22-70000", "0.0.0.0/0", "tcp"},
		{"70000", "Any", "tcp"},
		{"-1", "0.0.0.0/0", "6"},
		{"+22", "0.0.0.0/0", "tcp"},
		{"0022", "0.0.0.0/0", "udp"},
		{"21-23", "10.0.0.0/8", "tcp"},
		{"5432", "192.168.0.0/16", "Udp"},
		{"443", "0.0.0.0/0", "tcp"},
		{"22", "VirtualNetwork", "tcp"},
		{"22", "10.0.0.300/8", "tcp"},
		{"6379-6379", "0.0.0.0/0", "17"},
	} {
		f.Add(s.ports, s.src, s.proto)
	}
	f.Fuzz(func(t *testing.T, spec, src, proto string) {
		rule := map[string]any{"name": "r", "priority": 100.0, "direction": "Inbound", "access": "Allow",
			"protocol": proto, "sourceAddressPrefix": src, "sourcePortRange": "*", "destinationPortRange": spec}
		standalone := map[string]any{"resourceGroupName": "rg", "networkSecurityGroupName": "ext-nsg",
			"securityRuleName": "r"}
		for k, v := range rule {
			if k != "name" {
				standalone[k] = v
			}
		}
		mk := func(typ, name string, m map[string]any) *pulumirpc.AnalyzerResource {
			return &pulumirpc.AnalyzerResource{Urn: "urn:pulumi:dev::p::" + typ + "::" + name, Type: typ, Name: name,
				Properties: toWire(m)}
		}
		rs := []*pulumirpc.AnalyzerResource{
			mk("azure-native:network:NetworkSecurityGroup", "nsg", map[string]any{"resourceGroupName": "rg",
				"networkSecurityGroupName": "nsg", "securityRules": []any{rule}}),
			mk("azure-native:network:SecurityRule", "rule", standalone),
			mk("gcp:compute/firewall:Firewall", "fw", map[string]any{"network": "default",
				"allows": []any{map[string]any{"protocol": proto, "ports": []any{spec}}}, "sourceRanges": []any{src}}),
		}
		diags := judge(t, session(t, false), rs...)
		for _, r := range rs {
			want, sure := firewallOracle(r.Name == "fw", spec, src, proto)
			if !sure {
				continue
			}
			var got []string
			for _, d := range diags {
				if d.GetUrn() == r.Urn && d.GetPolicyName() == policies.SecurityGroupNoUnrestrictedIngress.Name &&
					d.GetEnforcementLevel() == pulumirpc.EnforcementLevel_MANDATORY {
					got = append(got, d.GetMessage())
				}
			}
			switch {
			case want && len(got) == 0:
				t.Errorf("%s: %s from %q to ports %q admits the internet to a sensitive port or every port, and "+
					"no mandatory violation", r.Name, proto, src, spec)
			case !want && len(got) > 0:
				t.Errorf("%s: %s from %q to ports %q must give no mandatory violation, got:\n  %s", r.Name, proto,
					src, spec, strings.Join(got, "\n  "))
			}
		}
	})
}

var portSpec = regexp.MustCompile(`^([0-9]+)(?:-([0-9]+))?$`)

// portOracle reads a port specification by its own means: "*" (Azure only)
// is every port; "n" or "n-m" of plain digits, each at most 65535, n not
// above m, a range; any other string of digits, dashes and letters, such
// as "abc", "1-", "-1", "3310-3000" or "70000", unreadable (bad). Strings
// with other characters (spaces, signs) are not judged (sure false).
func portOracle(spec string, star bool) (lo, hi int, bad, sure bool) {
	if spec == "*" {
		if star {
			return 0, 65535, false, true
		}
		return 0, 0, true, true
	}
	if m := portSpec.FindStringSubmatch(spec); m != nil {
		a, errA := strconv.Atoi(m[1])
		b := a
		var errB error
		if m[2] != "" {
			b, errB = strconv.Atoi(m[2])
		}
		if errA != nil || errB != nil || a > 65535 || b > 65535 || a > b {
			return 0, 0, true, true
		}
		return a, b, false, true
	}
	if strings.Trim(spec, "0123456789-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") == "" {
		return 0, 0, true, true
	}
	return 0, 0, false, false
}

// firewallOracle says whether the rule must give a mandatory violation
// (want), and whether it is clear enough to say (sure).
func firewallOracle(gcp bool, spec, src, proto string) (want, sure bool) {
	lo, hi, bad, sure := portOracle(spec, !gcp)
	if !sure {
		return false, false
	}
	if bad {
		return false, true // unreadable ports: noted, never a violation
	}
	portProto := false
	switch p := strings.ToLower(proto); {
	case gcp:
		portProto = slices.Contains([]string{"tcp", "udp", "all", "6", "17"}, p)
	default:
		portProto = slices.Contains([]string{"tcp", "udp", "*"}, p)
	}
	if !portProto {
		return false, false
	}
	world := false
	switch {
	case !gcp && (src == "*" || strings.EqualFold(src, "internet") || strings.EqualFold(src, "any")):
		world = true
	default:
		p, err := netip.ParsePrefix(src)
		if err != nil {
			return false, false
		}
		p = p.Masked()
		if slices.ContainsFunc(privateRanges, func(r netip.Prefix) bool { return r.Bits() <= p.Bits() && r.Contains(p.Addr()) }) {
			return false, true
		}
		world = p.Bits() == 0
	}
	if !world {
		return false, false
	}
	reaches := lo <= 1 && hi == 65535
	for _, s := range sensitivePorts {
		reaches = reaches || float64(lo) <= s && s <= float64(hi)
	}
	return reaches, true
}

// FuzzFirewallShapes feeds arbitrary documents as Azure network security
// groups, security rules and subnets and Google Cloud firewall rules,
// beside a group and a network they may join, in preview and update:
// nothing may panic or show a secret (judge).
func FuzzFirewallShapes(f *testing.F) {
	for i, seed := range []string{
		`{"securityRules": [{"name": "<secret>rule-secret-name", "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "*", "sourceAddressPrefix": "<secret>Internet", "destinationPortRange": "<secret>22-x"}]}`,
		`{"networkSecurityGroupName": "nsg", "resourceGroupName": "rg", "priority": "100", "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "sourceAddressPrefixes": ["0.0.0.0/1", "<unknown>"], "destinationPortRanges": ["1-", "3310-3000", 22]}`,
		`{"network": "<secret>projects/p/global/networks/secret-net", "allows": [{"protocol": "tcp", "ports": ["<secret>abc"]}], "sourceRanges": ["<secret>0.0.0.0/0"]}`,
		`{"network": "net", "allows": "tcp", "denies": [null, {"protocol": 6}], "priority": -1, "targetTags": [1], "sourceTags": "<unknown>"}`,
		`{"networkSecurityGroup": {"id": "<secret>nsg-secret-id"}, "subnetName": "<secret>subnet-secret"}`,
		`{"securityRules": {"name": "x"}, "direction": "<unknown>"}`,
	} {
		f.Add(uint8(i), seed)
	}
	kinds := []string{"azure-native:network:NetworkSecurityGroup", "azure-native:network:SecurityRule",
		"gcp:compute/firewall:Firewall", "azure-native:network:Subnet", "gcp:compute/network:Network"}
	f.Fuzz(func(t *testing.T, typ uint8, doc string) {
		var x any
		if json.Unmarshal([]byte(doc), &x) != nil {
			x = map[string]any{"value": doc}
		}
		first := kinds[int(typ)%len(kinds)]
		a := &pulumirpc.AnalyzerResource{Urn: "urn:pulumi:dev::p::" + first + "::a", Type: first, Name: "a",
			Properties: toWire(x)}
		nsg := &pulumirpc.AnalyzerResource{Urn: "urn:pulumi:dev::p::azure-native:network:NetworkSecurityGroup::nsg",
			Type: "azure-native:network:NetworkSecurityGroup", Name: "nsg", Properties: toWire(map[string]any{
				"networkSecurityGroupName": "nsg", "resourceGroupName": "rg", "securityRules": []any{map[string]any{
					"name": "deny", "priority": 100.0, "direction": "Inbound", "access": "Deny", "protocol": "*",
					"sourceAddressPrefix": "*", "destinationPortRange": "*"}}})}
		net := &pulumirpc.AnalyzerResource{Urn: "urn:pulumi:dev::p::gcp:compute/network:Network::net",
			Type: "gcp:compute/network:Network", Name: "net", Properties: toWire(map[string]any{"name": "net"})}
		for _, dry := range []bool{true, false} {
			judge(t, session(t, dry), a, nsg, net)
		}
	})
}
