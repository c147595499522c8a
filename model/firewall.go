package model

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Firewall is a set of inbound rules evaluated together, in priority order,
// first match wins: an Azure network security group (its inline rules and
// the rule resources joined to it), or the firewall rules of a Google Cloud
// network that apply to one set of instances. The guide asks that no such
// rule admit the internet to sensitive ports.
type Firewall struct {
	// Scope says which machines its rules reach, when the platform scopes
	// them ("applies to instances tagged web"); "" when it needs no saying.
	Scope string
	// Caveat is said of every finding on it: what the pack could not see
	// (e.g. the group of a rule outside the stack, whose other rules and
	// their priorities were not evaluated).
	Caveat string
	// DenyWinsTie: at equal priority a deny rule is evaluated first (Google
	// Cloud); otherwise ties keep declaration order.
	DenyWinsTie bool
	Rules       []FirewallRule
}

// Protocol is a rule's protocol, normalised: ProtoAll, "tcp", "udp", or
// another name or number that carries no ports.
type Protocol string

// ProtoAll is every protocol.
const ProtoAll Protocol = "all"

// PortRange is an inclusive range of ports.
type PortRange struct{ From, To int }

// Peer is one source range of a rule: a masked prefix, as written (Text:
// the CIDR, a service tag such as Internet, or [secret]) and where (Path).
type Peer struct {
	Prefix netip.Prefix
	Text   string
	Path   string
}

// FirewallRule is one inbound rule of a Firewall.
type FirewallRule struct {
	// Res declares the rule (the group, or a rule resource); Path is the
	// inline rule's place (securityRules[1], allows[0]) or "".
	Res  *graph.Resource
	Path string
	// Name names the rule for a message, in the platform's words:
	// `security rule "ssh" (securityRules[0])`.
	Name string
	// Allow or deny; Priority orders evaluation (lower first).
	Allow    bool
	Priority int
	Protocol Protocol
	// Ports are the ports it matches; AllPorts when it matches every port
	// (of a port protocol, or of every protocol).
	Ports    []PortRange
	AllPorts bool
	// PortsText says what it matches as written: `Tcp 3000-3310
	// (destinationPortRange)`.
	PortsText string
	// Peers are its source ranges; other sources (an application security
	// group, a source tag) are not ranges and admit no one from the
	// internet.
	Peers []Peer
	// Decided is false when a value it needs is not known until update or
	// malformed: the adapter has noted which.
	Decided bool
	// Judged: findings about it belong to this Firewall (Google Cloud lists
	// a rule in every scope it reaches, judged in its own).
	Judged bool
	// Fix says how to restrict it, in the platform's words.
	Fix string
}

// Firewalls is an adapter that reads firewalls: the optional interface a
// Source implements when its platform has them. Reads note on n, so each
// unknown or malformed value is reported by the policy that needed it.
type Firewalls interface {
	Firewalls(g *graph.Graph, n Noter) []Firewall
}

// ParsePort reads one port, or a range "from-to", as the platforms write
// them ("22", "3000-3310"): whole numbers 0 to 65535, from not above to.
func ParsePort(s string) (PortRange, error) {
	s = strings.TrimSpace(s)
	from, to, isRange := strings.Cut(s, "-")
	if isRange && (strings.TrimSpace(from) == "" || strings.TrimSpace(to) == "") {
		return PortRange{}, fmt.Errorf("%q: a range needs a port on each side of the dash", s)
	}
	a, err := portNumber(from)
	if err != nil {
		return PortRange{}, err
	}
	if !isRange {
		return PortRange{a, a}, nil
	}
	b, err := portNumber(to)
	if err != nil {
		return PortRange{}, err
	}
	if a > b {
		return PortRange{}, fmt.Errorf("%q: %d is above %d", s, a, b)
	}
	return PortRange{a, b}, nil
}

func portNumber(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("%q is not a port number", s)
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > 65535 {
		return 0, fmt.Errorf("%s is not a port (0 to 65535)", s)
	}
	return n, nil
}

// ParsePeer reads a source range: a CIDR block or a single address.
func ParsePeer(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), true
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	return netip.Prefix{}, false
}

// Matches reports whether the rule matches traffic of proto (tcp or udp)
// to port.
func (r FirewallRule) Matches(proto Protocol, port int) bool {
	if r.Protocol != ProtoAll && r.Protocol != proto {
		return false
	}
	if r.AllPorts {
		return true
	}
	for _, p := range r.Ports {
		if p.From <= port && port <= p.To {
			return true
		}
	}
	return false
}

// Exposure is traffic the internet gets through a Firewall: the rules that
// admit it (in evaluation order), the whole address families they admit
// together, and to what.
type Exposure struct {
	Rules []FirewallRule
	// Open names the sources that cover the internet, for a message:
	// `Internet (sourceAddressPrefix)` or `all of IPv4 (0.0.0.0/1 at
	// sourceRanges[0], 128.0.0.0/1 at sourceRanges[1])`.
	Open string
	// Ports are the sensitive ports reached; AllPorts when the rules open
	// every port.
	Ports    []int
	AllPorts bool
}

// Exposures evaluates a firewall as its platform does, first match in
// priority order: for each sensitive port, over tcp and udp, whether the
// allow rules reached before any deny together admit all of IPv4 or of
// IPv6; and whether rules that open every port do so on a port no deny
// names. Rules not Decided give no verdict: an undecided rule that comes
// first stops the evaluation at that port (it might deny), and one that
// comes later is skipped. Exposures are grouped by the rules that admit
// them, and only those with a Judged rule are returned.
func (f Firewall) Exposures(sensitive []int) []Exposure {
	rules := slices.Clone(f.Rules)
	slices.SortStableFunc(rules, func(a, b FirewallRule) int {
		if a.Priority != b.Priority {
			return a.Priority - b.Priority
		}
		if f.DenyWinsTie && a.Allow != b.Allow {
			if a.Allow {
				return 1
			}
			return -1
		}
		return 0
	})
	var out []Exposure
	index := map[string]int{}
	add := func(rs []FirewallRule, open string, port int, all bool) {
		judged := false
		names := make([]string, len(rs))
		for i, r := range rs {
			judged = judged || r.Judged
			names[i] = r.Res.URN + "\x00" + r.Path
		}
		if !judged {
			return
		}
		key := strings.Join(names, "\x01") + "\x02" + open
		i, ok := index[key]
		if !ok {
			i = len(out)
			index[key] = i
			out = append(out, Exposure{Rules: rs, Open: open})
		}
		if all {
			out[i].AllPorts = true
		} else if !slices.Contains(out[i].Ports, port) {
			out[i].Ports = append(out[i].Ports, port)
		}
	}
	for _, port := range slices.Sorted(slices.Values(sensitive)) {
		for _, proto := range []Protocol{"tcp", "udp"} {
			if rs, open, ok := firstMatch(rules, proto, port, false); ok {
				add(rs, open, port, false)
			}
		}
	}
	if port, ok := unnamedPort(rules); ok {
		for _, proto := range []Protocol{"tcp", "udp"} {
			if rs, open, ok := firstMatch(rules, proto, port, true); ok {
				add(rs, open, port, true)
			}
		}
	}
	return out
}

// firstMatch evaluates the sorted rules for traffic of proto to port: the
// allow rules (only those opening every port, when allPorts) that admit
// some address no earlier rule decided, and whether together they admit a
// whole address family.
func firstMatch(rules []FirewallRule, proto Protocol, port int, allPorts bool) ([]FirewallRule, string, bool) {
	var decided, allowed addrSet
	var by []FirewallRule
	var peers []Peer
	for _, r := range rules {
		if !r.Matches(proto, port) {
			continue
		}
		if !r.Decided {
			if r.Allow {
				continue // noted; what it admits is not known
			}
			return nil, "", false // a deny that may decide everything after it
		}
		var set addrSet
		for _, p := range r.Peers {
			set = set.add(p.Prefix)
		}
		if r.Allow && (!allPorts || r.AllPorts) {
			if fresh := set.minus(decided); !fresh.empty() {
				allowed = allowed.union(fresh)
				by = append(by, r)
				peers = append(peers, r.Peers...)
			}
		}
		decided = decided.union(set)
	}
	var parts []string
	for _, fam := range []struct {
		world netip.Prefix
		name  string
	}{{netip.MustParsePrefix("0.0.0.0/0"), "IPv4"}, {netip.MustParsePrefix("::/0"), "IPv6"}} {
		if allowed.covers(fam.world) {
			if d := describeOpen(peers, fam.world, fam.name); !slices.Contains(parts, d) {
				parts = append(parts, d) // a tag such as Internet stands for both families
			}
		}
	}
	return by, strings.Join(parts, "; "), len(parts) > 0
}

// unnamedPort is a port no port-specific rule names, the smallest, where a
// rule opening every port is judged as such; false when every port is
// named.
func unnamedPort(rules []FirewallRule) (int, bool) {
	var named []PortRange
	for _, r := range rules {
		if !r.AllPorts {
			named = append(named, r.Ports...)
		}
	}
	slices.SortFunc(named, func(a, b PortRange) int { return a.From - b.From })
	port := 1
	for _, p := range named {
		if p.From > port {
			break
		}
		port = max(port, p.To+1)
	}
	return port, port <= 65535
}

// describeOpen names the peers of world's family: the /0 (or the tag that
// stands for it) alone when there is one, else every one.
func describeOpen(peers []Peer, world netip.Prefix, family string) string {
	var names []string
	for _, p := range peers {
		if p.Prefix.Addr().Is4() != world.Addr().Is4() {
			continue
		}
		if p.Prefix.Bits() == 0 {
			return p.Text + " (" + p.Path + ")"
		}
		names = append(names, p.Text+" at "+p.Path)
	}
	return "all of " + family + " (" + strings.Join(names, ", ") + ")"
}

// Text is one string an adapter read: its value, how a message may show
// it (quoted, or [secret]) and where it sits.
type Text struct{ Value, Shown, Path string }

// ReadTexts reads a string, or (list) an array of strings, at key through
// rd; empty strings and nulls are skipped. ok is false when the value or
// an item is not known until update or of the wrong shape: rd has noted
// which.
func ReadTexts(rd policy.Reader, key string, list bool) (out []Text, ok bool) {
	at := func(rel string) string {
		if b := rd.Base(); b != "" {
			return b + "." + rel
		}
		return rel
	}
	ok = true
	one := func(v props.Value, rel string) {
		switch v.Kind() {
		case props.String:
			if s, _ := v.Str(); s != "" {
				out = append(out, Text{Value: s, Shown: v.Describe(), Path: at(rel)})
			}
		case props.Null:
		case props.Unknown:
			rd.NoteUnknown(at(rel))
			ok = false
		default:
			rd.NoteInvalid(fmt.Sprintf("%s is %s, expected a string", at(rel), v.Kind()))
			ok = false
		}
	}
	v := rd.Value(key)
	if !list || v.Kind() != props.Array {
		if list && v.Kind() != props.Null && v.Kind() != props.Unknown {
			rd.NoteInvalid(fmt.Sprintf("%s is %s, expected an array of strings", at(key), v.Kind()))
			return nil, false
		}
		one(v, key)
		return out, ok
	}
	for i := 0; i < v.Len(); i++ {
		one(v.Index(i), fmt.Sprintf("%s[%d]", key, i))
	}
	return out, ok
}

// CoversAllPorts reports whether the ranges hold every port from 1 to
// 65535.
func CoversAllPorts(rs []PortRange) bool {
	rs = slices.Clone(rs)
	slices.SortFunc(rs, func(a, b PortRange) int { return a.From - b.From })
	next := 1
	for _, r := range rs {
		if r.From > next {
			return false
		}
		next = max(next, r.To+1)
	}
	return next > 65535
}

// SubnetGuards is an adapter whose subnets carry a firewall of their own
// (Azure: a network security group on the subnet): the optional interface
// a Source implements so the tier policies can say when a tier's subnet
// has none.
type SubnetGuards interface {
	// UnguardedSubnet reports that an in-stack subnet of the adapter's has
	// no firewall of its own (ok), saying so and how to give it one in the
	// platform's words; a value not known until update or malformed is
	// noted on n, and ok is then false.
	UnguardedSubnet(n Noter, s *graph.Resource) (why, fix string, ok bool)
}
