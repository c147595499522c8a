package model

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
)

func TestParsePort(t *testing.T) {
	for _, c := range []struct {
		in   string
		want PortRange
		err  bool
	}{
		{in: "22", want: PortRange{22, 22}},
		{in: " 3000-3310 ", want: PortRange{3000, 3310}},
		{in: "0-65535", want: PortRange{0, 65535}},
		{in: "0022", want: PortRange{22, 22}},
		{in: "abc", err: true},
		{in: "1-", err: true},
		{in: "-1", err: true},
		{in: "3310-3000", err: true},
		{in: "65536", err: true},
		{in: "1-2-3", err: true},
		{in: "+22", err: true},
		{in: "", err: true},
		{in: "*", err: true},
		{in: "99999999999999999999", err: true},
	} {
		got, err := ParsePort(c.in)
		if (err != nil) != c.err || !c.err && got != c.want {
			t.Errorf("ParsePort(%q) = %v, %v; want %v, error %v", c.in, got, err, c.want, c.err)
		}
	}
}

func TestParsePeer(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string
	}{
		{"0.0.0.0/0", "0.0.0.0/0"},
		{"10.1.2.3/8", "10.0.0.0/8"},
		{"203.0.113.7", "203.0.113.7/32"},
		{"::/0", "::/0"},
		{"2001:db8::1", "2001:db8::1/128"},
		{"::ffff:1.2.3.4", "1.2.3.4/32"},
		{"10.0.0.300/8", ""},
		{"Internet", ""},
		{"fe80::1%eth0", ""},
	} {
		p, ok := ParsePeer(c.in)
		if got := map[bool]string{true: p.String(), false: ""}[ok]; got != c.want {
			t.Errorf("ParsePeer(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCoversAllPorts(t *testing.T) {
	for _, c := range []struct {
		in   []PortRange
		want bool
	}{
		{[]PortRange{{0, 65535}}, true},
		{[]PortRange{{1, 65535}}, true},
		{[]PortRange{{1000, 65535}, {1, 999}}, true},
		{[]PortRange{{1, 998}, {1000, 65535}}, false},
		{nil, false},
	} {
		if got := CoversAllPorts(c.in); got != c.want {
			t.Errorf("CoversAllPorts(%v) = %v", c.in, got)
		}
	}
}

func pfx(s ...string) addrSet {
	var out addrSet
	for _, x := range s {
		out = out.add(netip.MustParsePrefix(x))
	}
	return out
}

func TestAddrSet(t *testing.T) {
	world4, world6 := netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("::/0")
	for _, c := range []struct {
		name     string
		set      addrSet
		v4, v6   bool
		nonEmpty bool
	}{
		{"two halves", pfx("0.0.0.0/1", "128.0.0.0/1"), true, false, true},
		{"adjacent spans merge", pfx("0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/1"), true, false, true},
		{"a gap", pfx("0.0.0.0/2", "128.0.0.0/1"), false, false, true},
		{"v6 world", pfx("::/1", "8000::/1"), false, true, true},
		{"families do not mix", pfx("0.0.0.0/0").minus(pfx("::/0")), true, false, true},
		{"minus a hole", pfx("0.0.0.0/0").minus(pfx("10.0.0.0/8")), false, false, true},
		{"minus everything", pfx("10.0.0.0/8").minus(pfx("0.0.0.0/0")), false, false, false},
		{"last address", pfx("255.255.255.255/32", "0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/2"), true, false, true},
		{"hole refilled", pfx("0.0.0.0/0").minus(pfx("10.0.0.0/8")).union(pfx("10.0.0.0/9", "10.128.0.0/9")), true, false, true},
	} {
		if got := c.set.covers(world4); got != c.v4 {
			t.Errorf("%s: covers IPv4 = %v, want %v (%v)", c.name, got, c.v4, c.set)
		}
		if got := c.set.covers(world6); got != c.v6 {
			t.Errorf("%s: covers IPv6 = %v, want %v", c.name, got, c.v6)
		}
		if c.set.empty() == c.nonEmpty {
			t.Errorf("%s: empty = %v", c.name, c.set.empty())
		}
	}
}

func rule(name string, allow bool, prio int, port int, srcs ...string) FirewallRule {
	r := FirewallRule{Res: &graph.Resource{URN: "urn:" + name, Name: name}, Name: name, Allow: allow, Priority: prio,
		Protocol: "tcp", Decided: true, Judged: true}
	if port == 0 {
		r.AllPorts = true
	} else {
		r.Ports = []PortRange{{port, port}}
	}
	for _, s := range srcs {
		p, _ := ParsePeer(s)
		r.Peers = append(r.Peers, Peer{Prefix: p, Text: s, Path: "src"})
	}
	return r
}

func TestExposures(t *testing.T) {
	sensitive := []int{22, 3306}
	type want struct {
		rules []string
		ports []int
		all   bool
	}
	for _, c := range []struct {
		name        string
		denyWinsTie bool
		rules       []FirewallRule
		want        []want
	}{
		{name: "open SSH", rules: []FirewallRule{rule("a", true, 100, 22, "0.0.0.0/0")},
			want: []want{{rules: []string{"a"}, ports: []int{22}}}},
		{name: "deny first", rules: []FirewallRule{rule("a", true, 200, 22, "0.0.0.0/0"),
			rule("d", false, 100, 0, "0.0.0.0/0")}},
		{name: "deny after", rules: []FirewallRule{rule("a", true, 100, 22, "0.0.0.0/0"),
			rule("d", false, 200, 0, "0.0.0.0/0")}, want: []want{{rules: []string{"a"}, ports: []int{22}}}},
		{name: "tie, declaration order", rules: []FirewallRule{rule("a", true, 100, 22, "0.0.0.0/0"),
			rule("d", false, 100, 22, "0.0.0.0/0")}, want: []want{{rules: []string{"a"}, ports: []int{22}}}},
		{name: "tie, deny wins", denyWinsTie: true, rules: []FirewallRule{rule("a", true, 100, 22, "0.0.0.0/0"),
			rule("d", false, 100, 22, "0.0.0.0/0")}},
		{name: "an earlier deny of a hole, then an allow refilling it", rules: []FirewallRule{
			rule("d", false, 100, 22, "10.0.0.0/8"), rule("a", true, 200, 22, "0.0.0.0/0"),
			rule("b", true, 300, 22, "10.0.0.0/8")}},
		{name: "two halves", rules: []FirewallRule{rule("a", true, 100, 22, "0.0.0.0/1"),
			rule("b", true, 110, 22, "128.0.0.0/1")}, want: []want{{rules: []string{"a", "b"}, ports: []int{22}}}},
		{name: "all ports but SSH denied", rules: []FirewallRule{rule("d", false, 100, 22, "0.0.0.0/0", "::/0"),
			rule("a", true, 200, 0, "::/0", "0.0.0.0/0")},
			want: []want{{rules: []string{"a"}, ports: []int{3306}, all: true}}},
		{name: "an undecided deny first stops", rules: []FirewallRule{func() FirewallRule {
			r := rule("d", false, 100, 22, "0.0.0.0/0")
			r.Decided = false
			return r
		}(), rule("a", true, 200, 22, "0.0.0.0/0")}},
		{name: "an undecided allow is skipped", rules: []FirewallRule{func() FirewallRule {
			r := rule("x", true, 100, 22, "0.0.0.0/0")
			r.Decided = false
			return r
		}(), rule("a", true, 200, 22, "::/0")}, want: []want{{rules: []string{"a"}, ports: []int{22}}}},
		{name: "rules not judged here are not reported", rules: []FirewallRule{func() FirewallRule {
			r := rule("a", true, 100, 22, "0.0.0.0/0")
			r.Judged = false
			return r
		}()}},
	} {
		f := Firewall{Rules: c.rules, DenyWinsTie: c.denyWinsTie}
		got := f.Exposures(sensitive)
		if len(got) != len(c.want) {
			t.Errorf("%s: got %d exposures, want %d: %+v", c.name, len(got), len(c.want), got)
			continue
		}
		for i, w := range c.want {
			var names []string
			for _, r := range got[i].Rules {
				names = append(names, r.Name)
			}
			if !slices.Equal(names, w.rules) || !slices.Equal(got[i].Ports, w.ports) || got[i].AllPorts != w.all {
				t.Errorf("%s: exposure %d = %v %v all=%v, want %+v", c.name, i, names, got[i].Ports, got[i].AllPorts, w)
			}
		}
	}
}
