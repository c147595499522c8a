package awsnet

import (
	"net/netip"
	"strings"
	"testing"
)

func TestCoversWorld(t *testing.T) {
	cases := []struct {
		cidrs  string
		v4, v6 bool
	}{
		{"0.0.0.0/0", true, false},
		{"::/0", false, true},
		{"0.0.0.0/0 ::/0", true, true},
		{"0.0.0.0/1 128.0.0.0/1", true, false},
		{"128.0.0.0/1 0.0.0.0/1", true, false},
		{"0.0.0.0/2 64.0.0.0/2 128.0.0.0/1", true, false},
		{"0.0.0.0/1 128.0.0.0/2 192.0.0.0/2", true, false},
		{"0.0.0.0/1 128.0.0.0/2 192.0.0.0/3 224.0.0.0/3", true, false},
		{"::/1 8000::/1", false, true},
		{"0.0.0.0/1", false, false},
		{"0.0.0.0/1 128.0.0.0/2", false, false},
		{"0.0.0.0/1 192.0.0.0/2", false, false},
		{"10.0.0.0/8 0.0.0.0/1", false, false},
		{"::/1", false, false},
		{"0.0.0.0/1 ::/1 8000::/1", false, true},
		{"0.0.0.0/1 128.0.0.0/1 10.0.0.0/8", true, false}, // overlaps are fine
		{"0.0.0.0/0 10.0.0.0/8", true, false},
		{"255.255.255.255/32 0.0.0.0/1 128.0.0.0/1", true, false},
		{"::ffff:0.0.0.0/96", false, false}, // IPv4-mapped: neither family's whole space
		{"", false, false},
	}
	for _, c := range cases {
		var ps []netip.Prefix
		for _, s := range strings.Fields(c.cidrs) {
			ps = append(ps, netip.MustParsePrefix(s))
		}
		if v4, v6 := CoversWorld(ps); v4 != c.v4 || v6 != c.v6 {
			t.Errorf("CoversWorld(%s) = %v, %v; want %v, %v", c.cidrs, v4, v6, c.v4, c.v6)
		}
	}
}

func TestLastAddr(t *testing.T) {
	for in, want := range map[string]string{
		"10.0.0.0/8": "10.255.255.255", "0.0.0.0/0": "255.255.255.255", "192.0.2.7/32": "192.0.2.7",
		"2001:db8::/32": "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "::/0": "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	} {
		if got := lastAddr(netip.MustParsePrefix(in)).String(); got != want {
			t.Errorf("lastAddr(%s) = %s, want %s", in, got, want)
		}
	}
}
