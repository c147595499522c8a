package model

import "github.com/selfhosted-hardening/selfhosted-hardening/graph"

// Edge is anything that admits traffic from outside into the deployment:
// a load balancer, or the one an Ingress or LoadBalancer Service makes. The
// guide asks that an internet-facing edge admit only the ingress allowlist.
type Edge struct {
	Res *graph.Resource
	// Front names it in messages: `internet-facing aws:lb/loadBalancer:LoadBalancer "lb"`.
	Front string
	// InternetFacing is known and true for an edge the internet reaches;
	// an internal edge, or one whose scheme is not known (noted in Gaps or
	// on the field), is not judged.
	InternetFacing Field[bool]
	// Gaps are what reading the edge noted (an unknown or malformed
	// annotation), decided whenever a policy judges the edge.
	Gaps []Gap
	// Groups are the firewall groups in front of it, when it names any.
	Groups []EdgeGroup
	// Ranges are the ranges the edge itself admits; nil when its groups
	// alone decide.
	Ranges *Ranges
	// Unverifiable, when set, says why whether the internet reaches the
	// edge cannot be verified from the stack (a NodePort Service is open on
	// every node's addresses, which the stack may not show), and
	// UnverifiableFix what would let the pack decide. Such an edge is
	// reported as "cannot be verified" and not judged further.
	Unverifiable, UnverifiableFix string
}

// EdgeGroup is a security group an edge names: in the stack (Target), or
// outside it (Known, Target nil), or not known until update.
type EdgeGroup struct {
	Target *graph.Resource
	Known  bool
	// Shown is how to name it (its id, or [secret]); Path where it is named.
	Shown, Path string
}

// Range is one CIDR an edge admits, as written (Value), as shown (Text:
// Value, or [secret]) and where (Path).
type Range struct {
	Value, Text, Path string
}

// Ranges are the CIDRs an edge admits by its own settings.
type Ranges struct {
	Sources []Range
	// Set is false when none is set (the edge then admits Default); Known
	// false when one is not known until update or malformed (noted).
	Set, Known bool
	Default    string
	// Key is where to set them.
	Key string
	// Unset, when set, says why no range applies (the default clause
	// names Key and security groups), and Fix how to restrict the edge, in
	// the words of what declares it (a Helm release's values).
	Unset, Fix string
}
