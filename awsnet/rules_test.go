package awsnet

import (
	"net/netip"
	"testing"
)

func TestRulePorts(t *testing.T) {
	cases := []struct {
		rule    Rule
		all     bool
		covers  map[int]bool
		only    []int
		isOnly  bool
		renders string
	}{
		{Rule{Protocol: "-1"}, true, map[int]bool{22: true, 0: true}, []int{443}, false, "all traffic"},
		{Rule{Protocol: "tcp", From: 0, To: 65535}, true, map[int]bool{3306: true}, []int{443}, false, "tcp all ports"},
		{Rule{Protocol: "tcp", From: 443, To: 443}, false, map[int]bool{443: true, 80: false}, []int{80, 443}, true, "tcp 443"},
		{Rule{Protocol: "tcp", From: 80, To: 443}, false, map[int]bool{81: true, 444: false}, []int{80, 443}, false, "tcp 80-443"},
		{Rule{Protocol: "udp", From: 53, To: 53}, false, map[int]bool{53: true}, []int{53}, true, "udp 53"},
		{Rule{Protocol: "icmp", From: -1, To: -1}, false, map[int]bool{22: false}, []int{443}, false, "protocol icmp"},
	}
	for _, c := range cases {
		if got := c.rule.AllPorts(); got != c.all {
			t.Errorf("%+v AllPorts = %v", c.rule, got)
		}
		for p, want := range c.covers {
			if got := c.rule.Covers(p); got != want {
				t.Errorf("%+v Covers(%d) = %v", c.rule, p, got)
			}
		}
		if got := c.rule.OnlyPorts(c.only...); got != c.isOnly {
			t.Errorf("%+v OnlyPorts(%v) = %v", c.rule, c.only, got)
		}
		if got := c.rule.Ports(); got != c.renders {
			t.Errorf("%+v Ports() = %q, want %q", c.rule, got, c.renders)
		}
	}
}

func TestNormaliseProtocol(t *testing.T) {
	for in, want := range map[string]string{"TCP": "tcp", " all ": "-1", "6": "tcp", "17": "udp", "-1": "-1",
		"58": "icmpv6", "50": "50"} {
		if got := normaliseProtocol(in); got != want {
			t.Errorf("normaliseProtocol(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsPrivate(t *testing.T) {
	vpc := netip.MustParsePrefix("100.64.0.0/16")
	for in, want := range map[string]bool{
		"10.1.0.0/16": true, "10.0.0.0/8": true, "10.0.0.0/7": false, "172.16.5.0/24": true, "172.32.0.0/16": false,
		"192.168.1.1/32": true, "0.0.0.0/0": false, "203.0.113.0/24": false, "fd00::/8": true, "2001:db8::/32": false,
		"100.64.1.0/24": true, "100.64.0.0/10": false,
	} {
		if got := IsPrivate(netip.MustParsePrefix(in).Masked(), vpc); got != want {
			t.Errorf("IsPrivate(%s) = %v, want %v", in, got, want)
		}
	}
}

func TestRuleOpen(t *testing.T) {
	src := func(cidr, path string) Source {
		return Source{Kind: CIDR, Prefix: netip.MustParsePrefix(cidr), Text: cidr, Path: path}
	}
	cases := []struct {
		name string
		srcs []Source
		want string // "": not open
	}{
		{"ipv4 world", []Source{src("0.0.0.0/0", "cidrBlocks[0]")}, "0.0.0.0/0 (cidrBlocks[0])"},
		{"ipv6 world", []Source{src("10.0.0.0/8", "a"), src("::/0", "b")}, "::/0 (b)"},
		{"two halves", []Source{src("0.0.0.0/1", "a"), src("128.0.0.0/1", "b")},
			"all of IPv4 (0.0.0.0/1 at a, 128.0.0.0/1 at b)"},
		{"ipv6 halves", []Source{src("::/1", "a"), src("8000::/1", "b")}, "all of IPv6 (::/1 at a, 8000::/1 at b)"},
		{"both families", []Source{src("0.0.0.0/0", "a"), src("::/0", "b")}, "0.0.0.0/0 (a); ::/0 (b)"},
		{"one half", []Source{src("0.0.0.0/1", "a")}, ""},
		{"halves of different families", []Source{src("0.0.0.0/1", "a"), src("8000::/1", "b")}, ""},
		{"private", []Source{src("10.0.0.0/8", "a")}, ""},
		{"a group", []Source{{Kind: Group, Text: "sg-1"}}, ""},
		{"nothing", nil, ""},
	}
	for _, c := range cases {
		got, ok := Rule{Sources: c.srcs}.Open()
		if ok != (c.want != "") || got != c.want {
			t.Errorf("%s: Open() = %q, %v; want %q", c.name, got, ok, c.want)
		}
	}
}
