package gcp

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// VPC firewall rules: one resource per rule, attached to a network, applied
// to the instances its targets name.
const (
	TypeFirewall = "gcp:compute/firewall:Firewall"
	// TypeNetwork is what a firewall's network names (by name, id or
	// selfLink).
	TypeNetwork = "gcp:compute/network:Network"
)

// firewallTypes are the firewall tokens.
var firewallTypes = []string{TypeFirewall}

// networkNames: a firewall names its network by name, id or selfLink.
var networkNames = map[string][]string{TypeNetwork: {"selfLink"}}

// scope is the instances a firewall rule applies to: all in the network
// (no targets), or those with one of the tags, or one of the service
// accounts.
type scope struct {
	tags, accounts []string
}

func (s scope) all() bool { return len(s.tags) == 0 && len(s.accounts) == 0 }

func (s scope) key() string {
	return strings.Join(s.tags, "\x00") + "\x01" + strings.Join(s.accounts, "\x00")
}

// covers reports whether a rule of scope s applies to every instance of o.
func (s scope) covers(o scope) bool {
	switch {
	case s.all():
		return true
	case len(o.tags) > 0:
		return len(s.tags) > 0 && subset(o.tags, s.tags)
	case len(o.accounts) > 0:
		return len(s.accounts) > 0 && subset(o.accounts, s.accounts)
	}
	return false
}

func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func (s scope) words(network string) string {
	switch {
	case len(s.tags) > 0:
		return fmt.Sprintf("it applies to instances tagged %s in network %s", strings.Join(s.tags, ", "), network)
	case len(s.accounts) > 0:
		return fmt.Sprintf("it applies to instances running as service account %s in network %s",
			strings.Join(s.accounts, ", "), network)
	}
	return "it applies to all instances in network " + network
}

// fwRule is one allows[] or denies[] item with its firewall's scope.
type fwRule struct {
	model.FirewallRule
	scope scope
}

// Firewalls reads the ingress firewall rules of each network, one
// model.Firewall per set of instances an allow rule targets, holding every
// rule that applies to all of them. Rules whose network is not known until
// update stand alone, with a caveat.
func (Adapter) Firewalls(g *graph.Graph, n model.Noter) []model.Firewall {
	g.IndexNames(networkNames)
	type network struct {
		name, caveat string
		rules        []fwRule
	}
	var order []string
	nets := map[string]*network{}
	for _, res := range g.OfType(TypeFirewall) {
		rd := n.Read(res)
		key, name, caveat := networkOf(g, rd)
		rules := readFirewall(rd, res)
		if len(rules) == 0 {
			continue
		}
		if nets[key] == nil {
			nets[key] = &network{name: name, caveat: caveat}
			order = append(order, key)
		}
		nets[key].rules = append(nets[key].rules, rules...)
	}
	var out []model.Firewall
	for _, key := range order {
		nw := nets[key]
		seen := map[string]bool{}
		for _, a := range nw.rules {
			if !a.Allow || seen[a.scope.key()] {
				continue
			}
			seen[a.scope.key()] = true
			f := model.Firewall{Scope: a.scope.words(nw.name), Caveat: nw.caveat, DenyWinsTie: true}
			for _, r := range nw.rules {
				if r.scope.covers(a.scope) {
					rule := r.FirewallRule
					rule.Judged = r.Allow && r.scope.key() == a.scope.key()
					f.Rules = append(f.Rules, rule)
				}
			}
			out = append(out, f)
		}
	}
	return out
}

// networkOf groups a firewall by its network: the in-stack network, or the
// network's name as written; alone when not known until update.
func networkOf(g *graph.Graph, rd policy.Reader) (key, name, caveat string) {
	res := rd.Resource()
	for _, ref := range g.Refs(res, props.MustPath("network"), TypeNetwork) {
		switch {
		case ref.Target != nil:
			nm := fmt.Sprintf("%q", ref.Target.Name)
			if v := ref.Target.Props.Get(props.MustPath("name")); v.Kind() == props.String && !v.IsSecret() {
				nm = v.Describe()
			}
			return ref.Target.URN, nm, ""
		case ref.Known:
			short := ref.Value[strings.LastIndex(ref.Value, "/")+1:]
			if rd.Value("network").IsSecret() {
				return "value:" + short, "[secret]", ""
			}
			return "value:" + short, fmt.Sprintf("%q", short), ""
		}
	}
	return res.URN, "(known after update)", "Its network is not known until update, so the network's other " +
		"firewall rules, and whether one of higher priority denies this traffic, were not evaluated."
}

// readFirewall reads a firewall resource's ingress rules: one per allows[]
// and denies[] item. A disabled or egress firewall has none.
func readFirewall(rd policy.Reader, res *graph.Resource) []fwRule {
	decided := true
	dir, st := rd.String("direction")
	switch {
	case st == policy.Known && strings.EqualFold(dir, "EGRESS"):
		return nil
	case st == policy.Known && !strings.EqualFold(dir, "INGRESS"):
		rd.NoteInvalidFix(fmt.Sprintf("direction is %q, expected INGRESS or EGRESS", dir),
			"set direction to INGRESS or EGRESS")
		decided = false
	case st.Undecided():
		decided = false
	}
	disabled, st := rd.Bool("disabled")
	if st == policy.Known && disabled {
		return nil
	}
	decided = decided && !st.Undecided()
	priority := 1000 // Google Cloud's default
	switch n, st := rd.Number("priority"); st {
	case policy.Known:
		if n != math.Trunc(n) || n < 0 || n > 65535 {
			rd.NoteInvalidFix(fmt.Sprintf("priority is %v, expected a whole number from 0 to 65535", n),
				"set priority to a whole number from 0 to 65535")
			decided, priority = false, -1
		} else {
			priority = int(n)
		}
	case policy.Unknown, policy.Invalid:
		decided, priority = false, -1
	}
	sc, ok := readScope(rd)
	decided = decided && ok
	peers, ok := readSourceRanges(rd)
	decided = decided && ok

	name := fmt.Sprintf("%q", res.Name)
	if v := rd.Value("name"); v.Kind() == props.String {
		if s, _ := v.Str(); s != "" {
			name = v.Describe()
		}
	}
	fix := fmt.Sprintf("Set sourceRanges of firewall %s to the ranges that need the port (Identity-Aware Proxy's "+
		"35.235.240.0/20 for SSH, your VPN's, a private range), or admit instances by sourceTags or "+
		"sourceServiceAccounts, or add a deny rule of higher priority (a lower number); e.g. gcloud compute "+
		"firewall-rules update %s --source-ranges=<trusted CIDRs>.", name, strings.Trim(name, `"`))

	var out []fwRule
	for _, kind := range []struct {
		key   string
		allow bool
	}{{"allows", true}, {"denies", false}} {
		items, st := rd.Items(kind.key)
		if st == policy.Unknown {
			// Items not known until update: a rule of unknown reach.
			out = append(out, fwRule{model.FirewallRule{Res: res, Path: kind.key, Allow: kind.allow,
				Priority: -1, Protocol: model.ProtoAll, AllPorts: true, Name: "firewall " + name, Fix: fix}, sc})
			continue
		}
		for _, it := range items {
			r := model.FirewallRule{Res: res, Path: it.Base(), Allow: kind.allow, Priority: priority,
				Decided: decided, Peers: peers, Fix: fix, Name: fmt.Sprintf("firewall %s (%s)", name, it.Base())}
			readProtocolPorts(it, &r)
			out = append(out, fwRule{r, sc})
		}
	}
	return out
}

// readScope reads targetTags and targetServiceAccounts.
func readScope(rd policy.Reader) (scope, bool) {
	var sc scope
	tags, ok1 := model.ReadTexts(rd, "targetTags", true)
	accounts, ok2 := model.ReadTexts(rd, "targetServiceAccounts", true)
	for _, t := range tags {
		sc.tags = append(sc.tags, t.Shown)
	}
	for _, t := range accounts {
		sc.accounts = append(sc.accounts, t.Shown)
	}
	slices.Sort(sc.tags)
	slices.Sort(sc.accounts)
	return sc, ok1 && ok2
}

// readSourceRanges reads sourceRanges. With none of sourceRanges,
// sourceTags and sourceServiceAccounts set, Google Cloud admits 0.0.0.0/0
// (hashicorp/terraform-provider-google#6789: an empty list counts as
// none).
func readSourceRanges(rd policy.Reader) ([]model.Peer, bool) {
	ranges, ok := model.ReadTexts(rd, "sourceRanges", true)
	tags, ok2 := model.ReadTexts(rd, "sourceTags", true)
	accounts, ok3 := model.ReadTexts(rd, "sourceServiceAccounts", true)
	if !ok {
		return nil, false
	}
	if len(ranges) == 0 {
		if !ok2 || !ok3 {
			return nil, false // whether the default applies is not known
		}
		if len(tags) == 0 && len(accounts) == 0 {
			p, _ := model.ParsePeer("0.0.0.0/0")
			return []model.Peer{{Prefix: p, Text: "0.0.0.0/0",
				Path: "sourceRanges (not set, nor sourceTags or sourceServiceAccounts: Google Cloud's default)"}}, true
		}
		return nil, true
	}
	var out []model.Peer
	for _, t := range ranges {
		p, ok := model.ParsePeer(t.Value)
		if !ok {
			rd.NoteInvalidFix(fmt.Sprintf("%s %s is not a CIDR block", t.Path, t.Shown),
				"set it to a CIDR block, e.g. 10.0.0.0/16")
			return nil, false
		}
		text := strings.Trim(t.Shown, `"`)
		if t.Shown == "[secret]" {
			text = t.Shown
		}
		out = append(out, model.Peer{Prefix: p, Text: text, Path: t.Path})
	}
	return out, true
}

var protocolNames = map[string]model.Protocol{"all": model.ProtoAll, "6": "tcp", "17": "udp", "tcp": "tcp",
	"udp": "udp"}

// readProtocolPorts reads one allows[]/denies[] item: protocol (a name or
// number) and ports ("22", "8000-8100"; none: every port).
func readProtocolPorts(it policy.Reader, r *model.FirewallRule) {
	proto, st := it.String("protocol")
	p := strings.ToLower(strings.TrimSpace(proto))
	switch {
	case st == policy.Absent:
		it.NoteInvalidFix(it.Base()+".protocol is not set", "set protocol to tcp, udp, icmp, esp, ah, sctp, "+
			"ipip, all, or a protocol number")
		fallthrough
	case st != policy.Known:
		r.Decided, r.Protocol, r.AllPorts = false, model.ProtoAll, true
		return
	case protocolNames[p] != "":
		r.Protocol = protocolNames[p]
	case p == "":
		it.NoteInvalidFix(it.Base()+".protocol is empty", "set protocol to tcp, udp, icmp, esp, ah, sctp, ipip, "+
			"all, or a protocol number")
		r.Decided, r.Protocol, r.AllPorts = false, model.ProtoAll, true
		return
	default:
		r.Protocol = model.Protocol(p)
	}
	ports, ok := model.ReadTexts(it, "ports", true)
	if !ok {
		r.Decided, r.AllPorts = false, true
		return
	}
	var shown []string
	for _, t := range ports {
		pr, err := model.ParsePort(t.Value)
		if err != nil {
			msg := err.Error()
			if t.Shown == "[secret]" {
				msg = "malformed"
			}
			it.NoteInvalidFix(fmt.Sprintf("%s %s is not a port or a range of ports (%s)", t.Path, t.Shown, msg),
				"set it to a port, or a range such as 8000-8100")
			r.Decided, r.AllPorts = false, true
			return
		}
		r.Ports = append(r.Ports, pr)
		shown = append(shown, t.Shown+" at "+t.Path)
	}
	r.AllPorts = len(ports) == 0 || model.CoversAllPorts(r.Ports)
	if len(ports) == 0 {
		r.PortsText = fmt.Sprintf("protocol %s, every port: %s.ports is not set", it.Value("protocol").Describe(),
			it.Base())
	} else {
		r.PortsText = fmt.Sprintf("protocol %s, port %s", it.Value("protocol").Describe(), strings.Join(shown, ", "))
	}
}
