package awsnet

import (
	"fmt"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Placement and Verdict are the model's: a subnet's placement and the
// path that decided it, e.g. `routes 0.0.0.0/0 to internet gateway "igw"
// via route table "public-rt"`.
type (
	Placement = model.SubnetPlacement
	Verdict   = model.SubnetVerdict
)

// Placements.
const (
	Private = model.Private
	Public  = model.Public
	Pending = model.Pending
	Unseen  = model.Unseen
)

// Subnet decides whether s is public, following its route table: the one a
// route table association names, else its VPC's main route table.
func Subnet(ctx *policy.StackContext, s *graph.Resource) Verdict {
	ix := indexOf(ctx.Graph)
	rd := ctx.Read(s)
	pending := false
	switch mp, st := rd.Bool("mapPublicIpOnLaunch"); {
	case st == policy.Known && mp:
		return Verdict{Placement: Public, Why: "mapPublicIpOnLaunch is true, so instances launched in it get public addresses"}
	case st.Undecided():
		pending = true
	}

	type use struct {
		table *graph.Resource
		via   string
	}
	var tables []use
	var unseen []string
	switch {
	case len(ix.assocs[s]) > 0:
		for _, a := range ix.assocs[s] {
			for _, ref := range ctx.Graph.Refs(a, pRouteTableID, routeTableTypes...) {
				switch {
				case ref.Target != nil:
					tables = append(tables, use{ref.Target, fmt.Sprintf("association %q", a.Name)})
				case ref.Known:
					unseen = append(unseen, fmt.Sprintf("its route table %s (association %q) is not in the stack",
						ref.Value, a.Name))
				default:
					ctx.Read(a).NoteUnknown("routeTableId")
					pending = true
				}
			}
		}
	case len(ix.looseAssocs) > 0:
		// One of these may associate the subnet once its subnetId is known.
		for _, a := range ix.looseAssocs {
			ctx.Read(a).NoteUnknown("subnetId")
		}
		pending = true
	default:
		refs := ctx.Graph.Refs(s, pVpcID, TypeVPC)
		if len(refs) == 0 {
			rd.NoteInvalid("vpcId is not set")
			return Verdict{Placement: Pending}
		}
		for _, ref := range refs {
			switch {
			case ref.Target != nil:
				vpc := ref.Target
				via := fmt.Sprintf("the main route table of VPC %q", vpc.Name)
				for _, m := range ix.mains[vpc] {
					for _, rt := range ctx.Graph.Refs(m, pRouteTableID, routeTableTypes...) {
						switch {
						case rt.Target != nil:
							tables = append(tables, use{rt.Target, via + fmt.Sprintf(" (main association %q)", m.Name)})
						case !rt.Known:
							ctx.Read(m).NoteUnknown("routeTableId")
							pending = true
						}
					}
				}
				if len(ix.mains[vpc]) == 0 {
					for _, d := range ix.defaults[vpc] {
						tables = append(tables, use{d, via})
					}
					if len(ix.routes[vpc]) > 0 {
						// Routes added to the VPC's own main route table.
						tables = append(tables, use{vpc, via})
					}
				}
			case ref.Known:
				unseen = append(unseen, fmt.Sprintf("its VPC %s is not in the stack, so its main route table cannot be seen",
					ref.Value))
			default:
				rd.NoteUnknown("vpcId")
				pending = true
			}
		}
	}

	var names []string
	for _, t := range tables {
		gw, st := internetRoute(ctx, t.table)
		switch {
		case st == policy.Known && t.table.Type == TypeVPC:
			return Verdict{Placement: Public, Why: fmt.Sprintf("it routes %s to internet gateway %s via %s (its mainRouteTableId)",
				gw.dest, gw.name, t.via)}
		case st == policy.Known:
			return Verdict{Placement: Public, Why: fmt.Sprintf("it routes %s to internet gateway %s via route table %q (%s)",
				gw.dest, gw.name, t.table.Name, t.via)}
		case st.Undecided():
			pending = true
		}
		if t.table.Type == TypeVPC {
			names = append(names, fmt.Sprintf("the main route table of VPC %q", t.table.Name))
			continue
		}
		names = append(names, fmt.Sprintf("%q", t.table.Name))
	}
	switch {
	case pending:
		return Verdict{Placement: Pending}
	case len(unseen) > 0:
		return Verdict{Placement: Unseen, Why: strings.Join(unseen, "; ")}
	case len(names) == 0:
		return Verdict{Placement: Private, Why: "it uses its VPC's own main route table, which has only the local route"}
	}
	return Verdict{Placement: Private, Why: "its route table " + strings.Join(names, ", ") + " has no default route to an internet gateway"}
}

type gateway struct{ dest, name string }

// internetRoute finds a default route (0.0.0.0/0 or ::/0) of a route table
// to an internet gateway, inline or as an aws:ec2/route. State is Known when
// found, Absent when there is none, Unknown or Invalid when a route could
// not be read (noted).
func internetRoute(ctx *policy.StackContext, rt *graph.Resource) (gateway, policy.State) {
	state := policy.Absent
	worse := func(st policy.State) {
		if st.Undecided() {
			state = st
		}
	}
	// A route: where it is read, which resource holds it (for property
	// dependencies, keyed by depKey), its destination keys, and its name.
	type route struct {
		rd                   policy.Reader
		owner                *graph.Resource
		depKey, dest4, dest6 string
		name                 string
	}
	var routes []route
	if rt.Type != TypeVPC { // a VPC stands for its own main route table: routes only through aws:ec2/route
		items, st := ctx.Read(rt).Items("routes")
		worse(st)
		for _, it := range items {
			routes = append(routes, route{it, rt, "routes", "cidrBlock", "ipv6CidrBlock", ""})
		}
	}
	for _, r := range indexOf(ctx.Graph).routes[rt] {
		routes = append(routes, route{ctx.Read(r), r, "gatewayId", "destinationCidrBlock", "destinationIpv6CidrBlock",
			fmt.Sprintf(" (route %q)", r.Name)})
	}
	for _, r := range routes {
		dest, st := defaultDestination(r.rd, r.dest4, r.dest6)
		worse(st)
		if dest == "" {
			continue
		}
		gw, st := gatewayOf(ctx, r.rd, r.owner, r.depKey)
		if st == policy.Known {
			return gateway{dest, gw + r.name}, policy.Known
		}
		worse(st)
	}
	return gateway{}, state
}

// defaultDestination returns "0.0.0.0/0" or "::/0" when the route is a
// default route.
func defaultDestination(it policy.Reader, v4, v6 string) (string, policy.State) {
	state := policy.Known
	for _, key := range []string{v4, v6} {
		d, st := it.String(key)
		switch {
		case st == policy.Known && (d == "0.0.0.0/0" || d == "::/0"):
			return d, policy.Known
		case st.Undecided():
			state = st
		}
	}
	return "", state
}

// gatewayOf says whether a route's gatewayId is an internet gateway: an id
// starting igw-, an in-stack aws:ec2/internetGateway by id, or, while unknown,
// one the route's property dependencies (depKey) name.
func gatewayOf(ctx *policy.StackContext, it policy.Reader, owner *graph.Resource, depKey string) (string, policy.State) {
	v := it.Value("gatewayId")
	switch v.Kind() {
	case props.String:
		id, _ := v.Str()
		if igw := ctx.Graph.Lookup(id, TypeInternetGateway); igw != nil {
			return fmt.Sprintf("%q", igw.Name), policy.Known
		}
		if strings.HasPrefix(id, "igw-") {
			return id, policy.Known
		}
		return "", policy.Absent
	case props.Unknown:
		for _, urn := range owner.PropertyDependencies[depKey] {
			if igw := ctx.Graph.ByURN(urn); igw != nil && igw.Type == TypeInternetGateway {
				return fmt.Sprintf("%q", igw.Name), policy.Known
			}
		}
		it.NoteUnknown(joinPath(it.Base(), "gatewayId"))
		return "", policy.Unknown
	case props.Null:
		return "", policy.Absent
	}
	it.NoteInvalid(joinPath(it.Base(), "gatewayId") + " is " + v.Kind().String() + ", expected a string")
	return "", policy.Invalid
}

func joinPath(base, key string) string {
	if base == "" {
		return key
	}
	return base + "." + key
}
