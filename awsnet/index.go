package awsnet

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

var (
	pSubnetID           = props.MustPath("subnetId")
	pRouteTableID       = props.MustPath("routeTableId")
	pVpcID              = props.MustPath("vpcId")
	pDefaultRouteTable  = props.MustPath("defaultRouteTableId")
	pSecurityGroupID    = props.MustPath("securityGroupId")
	pPrefixListID       = props.MustPath("prefixListId")
	pDefaultRouteTables = []props.Path{props.MustPath("defaultRouteTableId"), props.MustPath("mainRouteTableId")}
)

// index holds the joins of one stack, built from references only.
type index struct {
	// subnet -> route table associations that name it
	assocs map[*graph.Resource][]*graph.Resource
	// associations whose subnet cannot be told until update
	looseAssocs []*graph.Resource
	// VPC -> main route table associations and default route tables
	mains    map[*graph.Resource][]*graph.Resource
	defaults map[*graph.Resource][]*graph.Resource
	// route table -> aws:ec2/route resources; a VPC -> the routes added to
	// its own main route table (routeTableId: vpc.mainRouteTableId)
	routes map[*graph.Resource][]*graph.Resource
	// VPC -> secondary CIDR block associations
	blocks map[*graph.Resource][]*graph.Resource
	// prefix list -> aws:ec2/managedPrefixListEntry resources
	entries map[*graph.Resource][]*graph.Resource
	// security group -> rule resources
	rules map[*graph.Resource][]*graph.Resource
	// rule resources whose group cannot be told until update
	looseRules []*graph.Resource
}

type indexKey struct{}

func indexOf(g *graph.Graph) *index {
	return g.Memo(indexKey{}, func() any { return buildIndex(g) }).(*index)
}

func buildIndex(g *graph.Graph) *index {
	ix := &index{
		assocs:   map[*graph.Resource][]*graph.Resource{},
		mains:    map[*graph.Resource][]*graph.Resource{},
		defaults: map[*graph.Resource][]*graph.Resource{},
		routes:   map[*graph.Resource][]*graph.Resource{},
		rules:    map[*graph.Resource][]*graph.Resource{},
		blocks:   map[*graph.Resource][]*graph.Resource{},
		entries:  map[*graph.Resource][]*graph.Resource{},
	}
	for _, a := range g.OfType(TypeRouteTableAssociation) {
		if a.Props.Get(pSubnetID).IsNull() {
			continue // a gateway association
		}
		if join(g, a, pSubnetID, []string{TypeSubnet}, ix.assocs) {
			ix.looseAssocs = append(ix.looseAssocs, a)
		}
	}
	for _, m := range g.OfType(TypeMainRouteTableAssociation) {
		join(g, m, pVpcID, []string{TypeVPC}, ix.mains)
	}
	for _, d := range g.OfType(TypeDefaultRouteTable) {
		if join(g, d, pDefaultRouteTable, []string{TypeVPC}, ix.defaults) {
			continue
		}
		// By value: the VPC's defaultRouteTableId output.
		id, _ := d.Props.Get(pDefaultRouteTable).Str()
		for _, vpc := range g.OfType(TypeVPC) {
			for _, p := range pDefaultRouteTables {
				if s, _ := vpc.Outputs.Get(p).Str(); s != "" && s == id {
					ix.defaults[vpc] = append(ix.defaults[vpc], d)
				}
			}
		}
	}
	for _, r := range g.OfType(TypeRoute) {
		matched := false
		for _, ref := range g.Refs(r, pRouteTableID, routeTableTypes...) {
			if ref.Target != nil {
				ix.routes[ref.Target] = append(ix.routes[ref.Target], r)
				matched = true
			}
		}
		// Not a route table of the stack: perhaps the main route table a VPC
		// made itself, named by the VPC's mainRouteTableId output (by value,
		// or in preview by the dependency on the VPC).
		if matched {
			continue
		}
		if vpc := mainTableOwner(g, r); vpc != nil {
			ix.routes[vpc] = append(ix.routes[vpc], r)
		}
	}
	for _, b := range g.OfType(TypeVPCIPv4Block, TypeVPCIPv6Block) {
		join(g, b, pVpcID, []string{TypeVPC}, ix.blocks)
	}
	for _, e := range g.OfType(TypePrefixListEntry) {
		join(g, e, pPrefixListID, []string{TypePrefixList}, ix.entries)
	}
	for _, r := range g.OfType(TypeSecurityGroupRule, TypeIngressRule, TypeEgressRule) {
		if join(g, r, pSecurityGroupID, groupTypes, ix.rules) {
			ix.looseRules = append(ix.looseRules, r)
		}
	}
	return ix
}

// join files from under each resource its reference at p names, and reports
// whether the reference is unknown and no dependency explains it.
func join(g *graph.Graph, from *graph.Resource, p props.Path, types []string, into map[*graph.Resource][]*graph.Resource) bool {
	loose := false
	for _, ref := range g.Refs(from, p, types...) {
		switch {
		case ref.Target != nil:
			into[ref.Target] = append(into[ref.Target], from)
		case !ref.Known:
			loose = true
		}
	}
	return loose
}

// mainTableOwner returns the VPC whose own main route table a route's
// routeTableId names, or nil.
func mainTableOwner(g *graph.Graph, r *graph.Resource) *graph.Resource {
	v := r.Props.Get(pRouteTableID)
	if id, ok := v.Str(); ok && id != "" {
		for _, vpc := range g.OfType(TypeVPC) {
			for _, p := range pDefaultRouteTables {
				if s, _ := vpc.Outputs.Get(p).Str(); s == id {
					return vpc
				}
			}
		}
		return nil
	}
	if !v.IsUnknown() {
		return nil
	}
	for _, urn := range r.PropertyDependencies[pRouteTableID.Root()] {
		if t := g.ByURN(urn); t != nil && t.Type == TypeVPC {
			return t
		}
	}
	return nil
}
