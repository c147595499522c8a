package awsnet

import (
	"net/netip"
	"slices"
	"strings"
)

// World names the whole address space of each family.
var (
	worldV4 = netip.MustParsePrefix("0.0.0.0/0")
	worldV6 = netip.MustParsePrefix("::/0")
)

// CoversWorld reports which whole address families the prefixes cover
// together: all of IPv4 (0.0.0.0/0, or 0.0.0.0/1 with 128.0.0.0/1, ...)
// and all of IPv6. "Open to the internet" is this, not a /0 written out:
// two /1s admit everyone just as well.
func CoversWorld(ps []netip.Prefix) (v4, v6 bool) {
	return covers(ps, worldV4), covers(ps, worldV6)
}

// covers reports whether the prefixes of world's family, merged, cover it.
func covers(ps []netip.Prefix, world netip.Prefix) bool {
	type span struct{ first, last netip.Addr }
	var spans []span
	for _, p := range ps {
		if !p.IsValid() || p.Addr().Is4() != world.Addr().Is4() || p.Addr().Is4In6() {
			continue
		}
		p = p.Masked()
		spans = append(spans, span{p.Addr(), lastAddr(p)})
	}
	slices.SortFunc(spans, func(a, b span) int { return a.first.Compare(b.first) })
	next := world.Addr() // the first address not yet covered
	for _, s := range spans {
		if next.Less(s.first) {
			return false // a gap before this span
		}
		if !s.last.Less(next) {
			n := s.last.Next()
			if !n.IsValid() {
				return true // the span reaches the family's last address
			}
			next = n
		}
	}
	return false
}

// lastAddr is the highest address of a masked prefix.
func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// WorldOpen reports whether the CIDR sources together admit everyone, in
// either family, and names the sources that do for a message.
func WorldOpen(srcs []Source) (string, bool) {
	var v4, v6 []Source
	for _, s := range srcs {
		if s.Kind != CIDR {
			continue
		}
		if s.Prefix.Addr().Is4() {
			v4 = append(v4, s)
		} else {
			v6 = append(v6, s)
		}
	}
	var parts []string
	for _, fam := range []struct {
		srcs  []Source
		world netip.Prefix
		name  string
	}{{v4, worldV4, "IPv4"}, {v6, worldV6, "IPv6"}} {
		ps := make([]netip.Prefix, len(fam.srcs))
		for i, s := range fam.srcs {
			ps[i] = s.Prefix
		}
		if !covers(ps, fam.world) {
			continue
		}
		parts = append(parts, describeSources(fam.srcs, fam.name))
	}
	return strings.Join(parts, "; "), len(parts) > 0
}

// describeSources names the sources that cover a family: the /0 alone when
// there is one, `0.0.0.0/0 (cidrBlocks[0])`, else every source, `all of
// IPv4 (0.0.0.0/1 at cidrBlocks[0], 128.0.0.0/1 at cidrBlocks[1])`.
func describeSources(srcs []Source, family string) string {
	for _, s := range srcs {
		if s.Prefix.Bits() == 0 {
			return s.Text + " (" + s.Path + ")"
		}
	}
	names := make([]string, len(srcs))
	for i, s := range srcs {
		names[i] = s.Text + " at " + s.Path
	}
	return "all of " + family + " (" + strings.Join(names, ", ") + ")"
}
