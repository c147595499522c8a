package awsnet

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Peers returns a rule's sources with each managed prefix list of the stack
// replaced by its entries (inline entries and aws:ec2/managedPrefixListEntry
// resources), as CIDR sources, so that policies judge the ranges a prefix
// list admits like any other CIDR. Prefix lists outside the stack (an AWS-
// managed list, one shared from another account) come back in unseen: their
// ranges cannot be checked. An unknown reference or entry is noted and
// leaves nothing in either list.
func Peers(ctx *policy.StackContext, rule Rule) (peers, unseen []Source) {
	for _, src := range rule.Sources {
		if src.Kind != PrefixList {
			peers = append(peers, src)
			continue
		}
		refs := ctx.Graph.Refs(rule.Owner, props.MustPath(src.Path), TypePrefixList)
		for _, ref := range refs {
			switch {
			case ref.Target != nil:
				peers = append(peers, entriesOf(ctx, ref.Target, src.Path)...)
			case ref.Known:
				unseen = append(unseen, src)
			default:
				ctx.Read(rule.Owner).NoteUnknown(ref.Path.String())
			}
		}
	}
	return peers, unseen
}

// entriesOf reads the CIDR entries of an in-stack prefix list, named in
// messages as `entries[0].cidr of prefix list "office" (ingress[0].prefixListIds[0])`.
func entriesOf(ctx *policy.StackContext, pl *graph.Resource, via string) []Source {
	var out []Source
	add := func(rd policy.Reader, at string) {
		s, st := rd.String("cidr")
		if st != policy.Known {
			return // unknown or malformed: noted
		}
		v := rd.Value("cidr")
		p, err := netip.ParsePrefix(strings.TrimSpace(s))
		if err != nil {
			rd.NoteInvalid(fmt.Sprintf("%s %s is not a valid CIDR block", joinPath(rd.Base(), "cidr"), v.Describe()))
			return
		}
		text := s
		if v.IsSecret() {
			text = v.Describe()
		}
		out = append(out, Source{Kind: CIDR, Prefix: p.Masked(), Text: text,
			Path: fmt.Sprintf("%s of prefix list %q, %s", at, pl.Name, via)})
	}
	items, _ := ctx.Read(pl).Items("entries")
	for _, it := range items {
		add(it, it.Base()+".cidr")
	}
	for _, e := range indexOf(ctx.Graph).entries[pl] {
		add(ctx.Read(e), fmt.Sprintf("cidr of entry %q", e.Name))
	}
	return out
}
