package model

import (
	"net/netip"
	"slices"
)

// addrSet is a set of addresses, as sorted, disjoint, non-adjacent spans of
// one family each: what a firewall's rules have decided so far.
type addrSet []span

type span struct{ first, last netip.Addr }

func lastOf(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// add returns the set with p's addresses.
func (s addrSet) add(p netip.Prefix) addrSet {
	if !p.IsValid() {
		return s
	}
	p = p.Masked()
	return s.union(addrSet{{p.Addr(), lastOf(p)}})
}

// union returns s ∪ o.
func (s addrSet) union(o addrSet) addrSet {
	all := append(slices.Clone(s), o...)
	slices.SortFunc(all, func(a, b span) int { return a.first.Compare(b.first) })
	var out addrSet
	for _, x := range all {
		if n := len(out); n > 0 && out[n-1].last.Is4() == x.first.Is4() {
			next := out[n-1].last.Next() // invalid past the family's last address
			if !next.IsValid() || !next.Less(x.first) {
				if out[n-1].last.Less(x.last) {
					out[n-1].last = x.last
				}
				continue
			}
		}
		out = append(out, x)
	}
	return out
}

// minus returns s \ o.
func (s addrSet) minus(o addrSet) addrSet {
	out := slices.Clone(s)
	for _, cut := range o {
		var next addrSet
		for _, x := range out {
			if x.first.Is4() != cut.first.Is4() || cut.last.Less(x.first) || x.last.Less(cut.first) {
				next = append(next, x)
				continue
			}
			if x.first.Less(cut.first) {
				next = append(next, span{x.first, cut.first.Prev()})
			}
			if cut.last.Less(x.last) {
				next = append(next, span{cut.last.Next(), x.last})
			}
		}
		out = next
	}
	return out
}

func (s addrSet) empty() bool { return len(s) == 0 }

// covers reports whether s holds every address of p.
func (s addrSet) covers(p netip.Prefix) bool {
	first, last := p.Masked().Addr(), lastOf(p.Masked())
	for _, x := range s {
		if x.first.Is4() == first.Is4() && !first.Less(x.first) && !x.last.Less(last) {
			return true
		}
	}
	return false
}
