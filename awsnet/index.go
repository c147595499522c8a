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
	// route table -> aws:ec2/route resources
	routes map[*graph.Resource][]*graph.Resource
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
		join(g, r, pRouteTableID, routeTableTypes, ix.routes)
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
