package azure

import (
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Network security groups: the firewall in front of Azure subnets and
// network interfaces. Their inbound rules are read into model.Firewall.
const (
	TypeNetworkSecurityGroup = "azure-native:network:NetworkSecurityGroup"
	TypeSecurityRule         = "azure-native:network:SecurityRule"
)

// networkTypes are the network security tokens, and the subnets they guard.
var networkTypes = []string{TypeNetworkSecurityGroup, TypeSecurityRule, subnetType}

// nsgNames: a rule resource names its group by networkSecurityGroupName.
var nsgNames = map[string][]string{TypeNetworkSecurityGroup: {"networkSecurityGroupName"}}

// Firewalls reads each network security group with its inline
// securityRules and the SecurityRule resources joined to it (by
// networkSecurityGroupName and resourceGroupName, or in preview by the
// engine's dependency), and each SecurityRule whose group is not in the
// stack as a firewall of its own, with a caveat.
func (Adapter) Firewalls(g *graph.Graph, n model.Noter) []model.Firewall {
	g.IndexNames(nsgNames)
	var out []model.Firewall
	byNSG := map[*graph.Resource]int{}
	for _, nsg := range g.OfType(TypeNetworkSecurityGroup) {
		rd := n.Read(nsg)
		name := nameOf(rd, "networkSecurityGroupName", nsg)
		var f model.Firewall
		items, st := rd.Items("securityRules")
		if st == policy.Unknown {
			// Rules not known until update (noted) may deny anything: a
			// placeholder that stops verdicts on the rule resources joined.
			f.Rules = append(f.Rules, model.FirewallRule{Res: nsg, Path: "securityRules", Priority: -1,
				Protocol: model.ProtoAll, AllPorts: true, Name: "securityRules of network security group " + name})
		}
		for _, it := range items {
			if r, ok := readRule(it, nsg, it.Base(), name, rgOf(rd)); ok {
				r.Name = fmt.Sprintf("security rule %s (%s) of network security group %s",
					nameOf(it, "name", nil), it.Base(), name)
				f.Rules = append(f.Rules, r)
			}
		}
		byNSG[nsg] = len(out)
		out = append(out, f)
	}
	for _, res := range g.OfType(TypeSecurityRule) {
		rd := n.Read(res)
		nsg, caveat := joinRule(g, rd)
		nsgName := "(known after update)"
		if nsg != nil {
			nsgName = nameOf(n.Read(nsg), "networkSecurityGroupName", nsg)
		} else if v := rd.Value("networkSecurityGroupName"); v.Kind() == props.String {
			nsgName = v.Describe()
		}
		r, ok := readRule(rd, res, "", nsgName, rgOf(rd))
		if !ok {
			continue
		}
		r.Name = fmt.Sprintf("security rule %s of network security group %s", nameOf(rd, "securityRuleName", res),
			nsgName)
		if i, joined := byNSG[nsg]; joined && nsg != nil {
			out[i].Rules = append(out[i].Rules, r)
			continue
		}
		out = append(out, model.Firewall{Caveat: caveat, Rules: []model.FirewallRule{r}})
	}
	return out
}

// joinRule finds the group a SecurityRule belongs to, or says why its
// group's other rules cannot be evaluated.
func joinRule(g *graph.Graph, rd policy.Reader) (*graph.Resource, string) {
	res := rd.Resource()
	for _, ref := range g.Refs(res, props.MustPath("networkSecurityGroupName"), TypeNetworkSecurityGroup) {
		switch {
		case ref.Target != nil && sameGroup(rd, ref.Target):
			return ref.Target, ""
		case ref.Known:
			return nil, "Its network security group is not in the stack, so the group's other rules, and " +
				"whether one of higher priority denies this traffic, were not evaluated."
		}
	}
	return nil, "Its network security group is not known until update, so the group's other rules, and " +
		"whether one of higher priority denies this traffic, were not evaluated."
}

// sameGroup reports whether the rule and the group found by name are in
// the same resource group, as far as known.
func sameGroup(rule policy.Reader, nsg *graph.Resource) bool {
	a, okA := rule.Value("resourceGroupName").Str()
	b, okB := nsg.Props.Get(props.MustPath("resourceGroupName")).Str()
	return !okA || !okB || strings.EqualFold(a, b)
}

func rgOf(rd policy.Reader) string {
	if v := rd.Value("resourceGroupName"); v.Kind() == props.String && !v.IsSecret() {
		s, _ := v.Str()
		return s
	}
	return "<resource group>"
}

// nameOf names a resource or an inline rule for a message: the property,
// quoted, else the logical name, else "(unnamed)".
func nameOf(rd policy.Reader, key string, res *graph.Resource) string {
	if v := rd.Value(key); v.Kind() == props.String {
		if s, _ := v.Str(); s != "" {
			return v.Describe()
		}
	}
	if res != nil {
		return fmt.Sprintf("%q", res.Name)
	}
	return "(unnamed)"
}

func plain(shown string) string { return strings.Trim(shown, `"`) }

// readRule reads one security rule (inline item or resource) at rd. It
// returns false for an outbound rule.
func readRule(rd policy.Reader, owner *graph.Resource, path, nsg, rg string) (model.FirewallRule, bool) {
	r := model.FirewallRule{Res: owner, Path: path, Decided: true, Judged: true}
	at := func(k string) string {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	dir, st := rd.String("direction")
	switch {
	case st == policy.Known && strings.EqualFold(dir, "Outbound"):
		return r, false
	case st == policy.Known && !strings.EqualFold(dir, "Inbound"):
		rd.NoteInvalidFix(fmt.Sprintf("%s is %q, expected Inbound or Outbound", at("direction"), dir),
			"set direction to Inbound or Outbound")
		r.Decided = false
	case st == policy.Absent:
		rd.NoteInvalidFix(at("direction")+" is not set", "set direction to Inbound or Outbound")
		r.Decided = false
	case st != policy.Known:
		r.Decided = false
	}
	access, st := rd.String("access")
	switch {
	case st == policy.Known && strings.EqualFold(access, "Allow"):
		r.Allow = true
	case st == policy.Known && strings.EqualFold(access, "Deny"):
	case st == policy.Known || st == policy.Absent:
		rd.NoteInvalidFix(fmt.Sprintf("%s is %s, expected Allow or Deny", at("access"), rd.Value("access").Describe()),
			"set access to Allow or Deny")
		r.Decided = false
	default:
		r.Decided = false
	}
	r.Priority = -1 // not known: evaluated first, so a deny of unknown rank blocks verdicts after it
	switch n, st := rd.Number("priority"); st {
	case policy.Known:
		if n != math.Trunc(n) || n < 100 || n > 4096 {
			rd.NoteInvalidFix(fmt.Sprintf("%s is %v, expected a whole number from 100 to 4096", at("priority"), n),
				"set priority to a whole number from 100 to 4096")
			r.Decided = false
		} else {
			r.Priority = int(n)
		}
	case policy.Absent:
		rd.NoteInvalidFix(at("priority")+" is not set", "set priority to a whole number from 100 to 4096")
		r.Decided = false
	default:
		r.Decided = false
	}
	proto, st := rd.String("protocol")
	r.Protocol = model.ProtoAll
	switch p := strings.ToLower(strings.TrimSpace(proto)); {
	case st != policy.Known:
		if st == policy.Absent {
			rd.NoteInvalidFix(at("protocol")+" is not set", "set protocol to Tcp, Udp, Icmp, Esp, Ah or *")
		}
		r.Decided = false
	case p == "*":
	case p == "tcp" || p == "udp" || p == "icmp" || p == "esp" || p == "ah":
		r.Protocol = model.Protocol(p)
	default:
		rd.NoteInvalidFix(fmt.Sprintf("%s is %q, expected Tcp, Udp, Icmp, Esp, Ah or *", at("protocol"), proto),
			"set protocol to Tcp, Udp, Icmp, Esp, Ah or *")
		r.Decided = false
	}
	readPorts(rd, &r, at)
	readSources(rd, &r, at)
	where := "sourceAddressPrefix or sourceAddressPrefixes"
	rule := plain(nameOf(rd, "name", nil))
	if path == "" {
		rule = plain(nameOf(rd, "securityRuleName", owner))
	}
	r.Fix = fmt.Sprintf("Set %s of this rule to the address ranges that need the port (a bastion's, your "+
		"VPN's, a private range) or use sourceApplicationSecurityGroups, or add a Deny rule with a lower priority "+
		"number; e.g. az network nsg rule update --resource-group %s --nsg-name %s --name %s "+
		"--source-address-prefixes <trusted CIDRs>. Reach hosts through Azure Bastion rather than opening SSH or "+
		"RDP to the internet.", where, rg, plain(nsg), rule)
	return r, true
}

// readPorts reads destinationPortRange and destinationPortRanges: "*", a
// port, or a range "from-to".
func readPorts(rd policy.Reader, r *model.FirewallRule, at func(string) string) {
	one, ok1 := model.ReadTexts(rd, "destinationPortRange", false)
	many, ok2 := model.ReadTexts(rd, "destinationPortRanges", true)
	if !ok1 || !ok2 {
		r.Decided, r.AllPorts = false, true
		return
	}
	all := append(one, many...)
	if len(all) == 0 {
		rd.NoteInvalidFix(fmt.Sprintf("neither %s nor %s is set", at("destinationPortRange"),
			at("destinationPortRanges")), "set destinationPortRange to a port, a range such as 8000-8100, or *")
		r.Decided, r.AllPorts = false, true
		return
	}
	var shown []string
	for _, t := range all {
		shown = append(shown, t.Shown+" at "+t.Path)
		if strings.TrimSpace(t.Value) == "*" {
			r.AllPorts = true
			continue
		}
		p, err := model.ParsePort(t.Value)
		if err != nil {
			rd.NoteInvalidFix(fmt.Sprintf("%s %s is not a port or a range of ports (%v)", t.Path, t.Shown,
				redact(err, t)), "set it to a port, a range such as 8000-8100, or *")
			r.Decided, r.AllPorts = false, true
			return
		}
		r.Ports = append(r.Ports, p)
	}
	r.AllPorts = r.AllPorts || model.CoversAllPorts(r.Ports)
	r.PortsText = fmt.Sprintf("protocol %s, port %s", rd.Value("protocol").Describe(), strings.Join(shown, ", "))
}

// redact keeps a parse error from echoing a secret value.
func redact(err error, t model.Text) string {
	if t.Shown == "[secret]" {
		return "malformed"
	}
	return err.Error()
}

// serviceTag is the shape of an Azure service tag (VirtualNetwork,
// AzureLoadBalancer, Storage.WestEurope, ...): sources that are Azure's own
// address ranges, not the internet's.
var serviceTag = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9-]+)*$`)

// readSources reads sourceAddressPrefix(es): *, Internet and Any stand for
// every address; CIDRs and addresses are ranges; other service tags are
// Azure's own ranges.
func readSources(rd policy.Reader, r *model.FirewallRule, at func(string) string) {
	one, ok1 := model.ReadTexts(rd, "sourceAddressPrefix", false)
	many, ok2 := model.ReadTexts(rd, "sourceAddressPrefixes", true)
	if !ok1 || !ok2 {
		r.Decided = false
		return
	}
	all := append(one, many...)
	if len(all) == 0 && rd.Value("sourceApplicationSecurityGroups").IsNull() {
		rd.NoteInvalidFix(fmt.Sprintf("none of %s, %s and %s is set", at("sourceAddressPrefix"),
			at("sourceAddressPrefixes"), at("sourceApplicationSecurityGroups")),
			"set sourceAddressPrefix to a CIDR block or a service tag")
		r.Decided = false
		return
	}
	for _, t := range all {
		v := strings.TrimSpace(t.Value)
		switch {
		case v == "*" || strings.EqualFold(v, "Internet") || strings.EqualFold(v, "Any"):
			shown := plain(t.Shown)
			if t.Shown == "[secret]" {
				shown = t.Shown
			}
			for _, w := range []string{"0.0.0.0/0", "::/0"} {
				p, _ := model.ParsePeer(w)
				r.Peers = append(r.Peers, model.Peer{Prefix: p, Text: shown, Path: t.Path})
			}
		default:
			if p, ok := model.ParsePeer(v); ok {
				text := plain(t.Shown)
				if t.Shown == "[secret]" {
					text = t.Shown
				}
				r.Peers = append(r.Peers, model.Peer{Prefix: p, Text: text, Path: t.Path})
				continue
			}
			if !serviceTag.MatchString(v) {
				rd.NoteInvalidFix(fmt.Sprintf("%s %s is neither a CIDR block, an address nor a service tag", t.Path,
					t.Shown), "set it to a CIDR block (e.g. 10.0.0.0/16), an address, or a service tag "+
					"such as VirtualNetwork")
				r.Decided = false
			}
		}
	}
}

// subnetType is the Subnet resource a network security group guards by
// the subnet's networkSecurityGroup.id.
const subnetType = "azure-native:network:Subnet"

// UnguardedSubnet reports an azure-native:network:Subnet without a
// network security group (networkSecurityGroup.id not set).
func (Adapter) UnguardedSubnet(n model.Noter, s *graph.Resource) (why, fix string, ok bool) {
	if s.Type != subnetType {
		return "", "", false
	}
	rd := n.Read(s)
	switch v := rd.Value("networkSecurityGroup"); {
	case v.IsUnknown():
		return "", "", false // a group the program passes as an output
	case !v.IsNull():
		if v.Kind() != props.Object {
			rd.NoteInvalidFix(fmt.Sprintf("networkSecurityGroup is %s, expected an object", v.Kind()),
				"set networkSecurityGroup to { id: nsg.id }")
		} else if rd.Value("networkSecurityGroup.id").IsNull() {
			rd.NoteInvalidFix("networkSecurityGroup.id is not set", "set networkSecurityGroup to { id: nsg.id }")
		}
		return "", "", false
	}
	name := nameOf(rd, "subnetName", s)
	return fmt.Sprintf("subnet %s has no network security group (networkSecurityGroup is not set), so nothing "+
			"at the subnet restricts which tiers reach it", name),
		fmt.Sprintf("Create a network security group whose inbound rules admit only the tiers that need this "+
			"subnet, on their ports, and set the subnet's networkSecurityGroup to { id: nsg.id } (az network vnet "+
			"subnet update --resource-group %s --vnet-name <vnet> --name %s --network-security-group <nsg>).",
			rgOf(rd), plain(name)), true
}
