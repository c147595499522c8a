package model

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// Tier is a tier of the deployment the guide's network section places.
type Tier int

// Tiers.
const (
	// DatabaseTier: the database and the search domain.
	DatabaseTier Tier = iota + 1
	// AppTier: the containers or instances that run the service.
	AppTier
)

// Placement is where one member of a tier sits: the subnets it is placed
// in, the public addresses it may get, and the firewall groups in front of
// it. Load balancers are the public edge, not a tier member.
type Placement struct {
	Res  *graph.Resource
	Tier Tier
	// Unplaced, when set, says why the member lands in a public default
	// network because it names no subnets (a violation).
	Unplaced string
	// Fix says, in the platform's words, how to place this member in
	// private subnets.
	Fix string
	// Subnets are the lists of subnets it is placed in.
	Subnets []SubnetList
	// Public are the switches that give it a public address.
	Public []PublicAddress
	// Groups are the paths on Res that list its security groups.
	Groups []string
	// Port is the port a database listens on (unknown, or 0 for any one port).
	Port Field[int]
	// Gaps are reads on the way to its subnets and public switches, and
	// GroupGaps on the way to its groups, that are not known until update or
	// malformed.
	Gaps, GroupGaps []Gap
}

// SubnetList is a list of subnets: at Path of Holder (the member itself, or
// a subnet group it names, Via in messages). When the holder cannot be
// seen, Unseen says why (an advisory), and when it is not known until
// update, Pending holds the note.
type SubnetList struct {
	Holder *graph.Resource
	Path   string
	Via    string
	Net    Network
	Unseen string
	// Pending is set when the holder is not known until update.
	Pending *Gap
}

// PublicAddress is a switch that gives the member a public address; What
// says what it does when on. A platform whose switch reads the other way
// (private nodes) works On out and says, in Seen, what it saw and, in Fix,
// how to fix it, for the message to name the property as set; Unseen, when
// set, says why the switch cannot be seen (an advisory).
type PublicAddress struct {
	On     Field[bool]
	What   string
	Seen   string
	Fix    string
	Unseen string
}

// Network judges subnets: the platform's notion of a public one.
type Network interface {
	// SubnetTypes are the type tokens of subnets.
	SubnetTypes() []string
	// Subnet decides whether an in-stack subnet is public, noting on ctx
	// what it could not decide.
	Subnet(ctx *policy.StackContext, s *graph.Resource) SubnetVerdict
}

// SubnetPlacement says where a subnet sits.
type SubnetPlacement int

// Subnet placements.
const (
	// Private: no public addresses on launch and no default route to the
	// internet.
	Private SubnetPlacement = iota + 1
	// Public: it gives public addresses, or routes to the internet.
	Public
	// Pending: a value the verdict needs is not known until update or
	// malformed; it has been noted for the policy to report.
	Pending
	// Unseen: the verdict needs a resource outside the stack; Why says which.
	Unseen
)

// SubnetVerdict is a subnet's placement and the path that decided it.
type SubnetVerdict struct {
	Placement SubnetPlacement
	Why       string
}
