package awsnet

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// SourceKind is what a rule admits traffic from (or sends it to).
type SourceKind int

// Source kinds.
const (
	CIDR SourceKind = iota + 1
	Group
	Self
	PrefixList
)

// Source is one peer of a rule.
type Source struct {
	Kind   SourceKind
	Prefix netip.Prefix // CIDR, masked
	Text   string       // as written: the CIDR, the group id
	Path   string       // where it is written, e.g. ingress[0].cidrBlocks[1]
}

// Rule is one security group rule, from whichever form declared it.
type Rule struct {
	// Owner declares the rule: the security group (inline rules) or a rule
	// resource. Path is the inline rule's place, e.g. ingress[1], or "".
	Owner *graph.Resource
	Path  string
	// Ingress or egress.
	Ingress bool
	// Protocol, normalised: "-1" (all), "tcp", "udp", "icmp", "icmpv6", or a
	// protocol number.
	Protocol string
	From, To int
	Sources  []Source
	// Decided is false when a value the rule needs is unknown or malformed
	// (the reader has noted it).
	Decided bool
}

// Open reports whether the rule's CIDR sources together admit everyone (see
// CoversWorld), and names them for a message: `0.0.0.0/0 (cidrBlocks[0])`,
// or `all of IPv4 (0.0.0.0/1 at cidrBlocks[0], 128.0.0.0/1 at cidrBlocks[1])`.
func (r Rule) Open() (string, bool) { return WorldOpen(r.Sources) }

// Ports renders the rule's protocol and ports, e.g. "tcp 443", "all traffic".
func (r Rule) Ports() string {
	switch {
	case r.Protocol == "-1":
		return "all traffic"
	case r.AllPorts():
		return r.Protocol + " all ports"
	case !portProtocol(r.Protocol):
		return "protocol " + r.Protocol
	case r.From == r.To:
		return fmt.Sprintf("%s %d", r.Protocol, r.From)
	}
	return fmt.Sprintf("%s %d-%d", r.Protocol, r.From, r.To)
}

// AllPorts reports whether the rule opens every port: protocol -1, or
// tcp/udp from 0 (or below) to 65535.
func (r Rule) AllPorts() bool {
	return r.Protocol == "-1" || portProtocol(r.Protocol) && r.From <= 0 && r.To >= 65535
}

// Covers reports whether traffic to port reaches through the rule.
func (r Rule) Covers(port int) bool {
	return r.Protocol == "-1" || portProtocol(r.Protocol) && r.From <= port && port <= r.To
}

// OnlyPorts reports whether every port the rule opens is in allowed.
func (r Rule) OnlyPorts(allowed ...int) bool {
	if r.Protocol == "-1" || r.AllPorts() {
		return false
	}
	if !portProtocol(r.Protocol) {
		return false
	}
	for p := r.From; p <= r.To; p++ {
		ok := false
		for _, a := range allowed {
			ok = ok || a == p
		}
		if !ok {
			return false
		}
	}
	return true
}

func portProtocol(p string) bool { return p == "tcp" || p == "udp" }

var protocolNames = map[string]string{"all": "-1", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}

func normaliseProtocol(p string) string {
	p = strings.ToLower(strings.TrimSpace(p))
	if n, ok := protocolNames[p]; ok {
		return n
	}
	return p
}

// field names of one rule form
type form struct {
	protocol, cidr4, cidr6, group, prefixes string
	cidrList, groupList, prefixList         bool
	self                                    bool
}

var (
	inlineForm = form{protocol: "protocol", cidr4: "cidrBlocks", cidr6: "ipv6CidrBlocks", group: "securityGroups",
		prefixes: "prefixListIds", cidrList: true, groupList: true, prefixList: true, self: true}
	ruleForm = form{protocol: "protocol", cidr4: "cidrBlocks", cidr6: "ipv6CidrBlocks", group: "sourceSecurityGroupId",
		prefixes: "prefixListIds", cidrList: true, prefixList: true, self: true}
	vpcRuleForm = form{protocol: "ipProtocol", cidr4: "cidrIpv4", cidr6: "cidrIpv6", group: "referencedSecurityGroupId",
		prefixes: "prefixListId"}
)

// RulesOf returns the rules a resource declares itself: the inline ingress
// and egress of a security group, or the one rule of a rule resource. It
// reads through rd, so unknown and malformed values are noted.
func RulesOf(rd policy.Reader) []Rule {
	r := rd.Resource()
	switch r.Type {
	case TypeSecurityGroup, TypeDefaultSecurityGroup:
		var out []Rule
		for _, dir := range []string{"ingress", "egress"} {
			items, _ := rd.Items(dir)
			for _, it := range items {
				out = append(out, parse(it, r, it.Base(), dir == "ingress", inlineForm))
			}
		}
		return out
	case TypeSecurityGroupRule:
		t, st := rd.String("type")
		if st != policy.Known {
			return []Rule{{Owner: r, Decided: false, Ingress: true}}
		}
		if t != "ingress" && t != "egress" {
			rd.NoteInvalid(fmt.Sprintf("type is %q, expected ingress or egress", t))
			return []Rule{{Owner: r, Decided: false, Ingress: true}}
		}
		return []Rule{parse(rd, r, "", t == "ingress", ruleForm)}
	case TypeIngressRule:
		return []Rule{parse(rd, r, "", true, vpcRuleForm)}
	case TypeEgressRule:
		return []Rule{parse(rd, r, "", false, vpcRuleForm)}
	}
	return nil
}

func parse(rd policy.Reader, owner *graph.Resource, path string, ingress bool, f form) Rule {
	rule := Rule{Owner: owner, Path: path, Ingress: ingress, Decided: true}
	at := func(k string) string { return joinPath(path, k) }
	proto, st := rd.String(f.protocol)
	if st != policy.Known {
		rule.Decided = false
	}
	rule.Protocol = normaliseProtocol(proto)
	if portProtocol(rule.Protocol) {
		for _, p := range []struct {
			key string
			dst *int
		}{{"fromPort", &rule.From}, {"toPort", &rule.To}} {
			n, st := rd.Number(p.key)
			switch st {
			case policy.Known:
				*p.dst = int(n)
			case policy.Absent:
				rd.NoteInvalid(at(p.key) + " is not set")
				rule.Decided = false
			default:
				rule.Decided = false
			}
		}
		if rule.Decided && rule.From > rule.To {
			rd.NoteInvalid(fmt.Sprintf("%s %d is above %s %d", at("fromPort"), rule.From, at("toPort"), rule.To))
			rule.Decided = false
		}
	}

	// CIDRs must be known to be judged; group and prefix list references
	// admit a group or a list whatever their (often unknown) ids.
	for _, key := range []string{f.cidr4, f.cidr6} {
		for _, it := range entries(rd, key, f.cidrList, &rule, true) {
			text, _ := it.v.Str()
			pfx, err := netip.ParsePrefix(strings.TrimSpace(text))
			if err != nil {
				rd.NoteInvalid(fmt.Sprintf("%s %s is not a valid CIDR block (e.g. 10.0.0.0/16)",
					at(it.rel), it.v.Describe()))
				rule.Decided = false
				continue
			}
			rule.Sources = append(rule.Sources, Source{Kind: CIDR, Prefix: pfx.Masked(), Text: text, Path: at(it.rel)})
		}
	}
	for _, it := range entries(rd, f.group, f.groupList, &rule, false) {
		rule.Sources = append(rule.Sources, Source{Kind: Group, Text: describeID(it.v), Path: at(it.rel)})
	}
	for _, it := range entries(rd, f.prefixes, f.prefixList, &rule, false) {
		rule.Sources = append(rule.Sources, Source{Kind: PrefixList, Text: describeID(it.v), Path: at(it.rel)})
	}
	if f.self {
		if self, st := rd.Bool("self"); st == policy.Known && self {
			rule.Sources = append(rule.Sources, Source{Kind: Self, Text: "self", Path: at("self")})
		}
	}
	return rule
}

type entry struct {
	v   props.Value
	rel string
}

// entries reads a string, or a list of strings, at key. An unknown list or
// item is noted (and makes the rule undecided) when needKnown; otherwise it
// counts as one entry of unknown value.
func entries(rd policy.Reader, key string, list bool, rule *Rule, needKnown bool) []entry {
	var out []entry
	add := func(v props.Value, rel string) {
		switch v.Kind() {
		case props.String:
			if s, _ := v.Str(); s != "" {
				out = append(out, entry{v, rel})
			}
		case props.Unknown:
			if needKnown {
				rd.NoteUnknown(joinPath(rd.Base(), rel))
				rule.Decided = false
				return
			}
			out = append(out, entry{v, rel})
		case props.Null:
		default:
			rd.NoteInvalid(fmt.Sprintf("%s is %s, expected a string", joinPath(rd.Base(), rel), v.Kind()))
			rule.Decided = false
		}
	}
	v := rd.Value(key)
	if !list || v.Kind() != props.Array {
		if list && v.Kind() != props.Null && v.Kind() != props.Unknown {
			rd.NoteInvalid(fmt.Sprintf("%s is %s, expected an array", joinPath(rd.Base(), key), v.Kind()))
			rule.Decided = false
			return nil
		}
		add(v, key)
		return out
	}
	for i := 0; i < v.Len(); i++ {
		add(v.Index(i), fmt.Sprintf("%s[%d]", key, i))
	}
	return out
}

func describeID(v props.Value) string {
	if s, ok := v.Str(); ok && !v.IsSecret() {
		return s
	}
	if v.IsUnknown() {
		return "(known after update)"
	}
	return v.Describe()
}

// GroupRules returns every rule of an in-stack security group: inline, and
// from rule resources that name it. complete is false when a rule resource's
// group is not known until update (noted), so more rules may belong to it.
func GroupRules(ctx *policy.StackContext, sg *graph.Resource) (rules []Rule, complete bool) {
	ix := indexOf(ctx.Graph)
	rules = RulesOf(ctx.Read(sg))
	for _, r := range ix.rules[sg] {
		rules = append(rules, RulesOf(ctx.Read(r))...)
	}
	for _, r := range ix.looseRules {
		ctx.Read(r).NoteUnknown("securityGroupId")
	}
	return rules, len(ix.looseRules) == 0
}

// Groups resolves the security groups a resource lists at path (e.g.
// vpcSecurityGroupIds, networkConfiguration.securityGroups).
func Groups(ctx *policy.StackContext, from *graph.Resource, path string) []graph.Ref {
	return ctx.Graph.Refs(from, props.MustPath(path), groupTypes...)
}

// IsPrivate reports whether a prefix is private address space: RFC 1918,
// IPv6 unique local (fc00::/7), or inside one of the extra prefixes (a VPC's
// CIDR).
func IsPrivate(p netip.Prefix, extra ...netip.Prefix) bool {
	for _, r := range append(privateRanges, extra...) {
		if r.Bits() <= p.Bits() && r.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("fc00::/7"),
}

// Ranges are the address ranges of a VPC, as far as they are known.
type Ranges struct {
	Prefixes []netip.Prefix
	// pending are blocks not known until update: an Amazon-provided IPv6
	// block or an IPAM block exists only as an output.
	pending []pendingRange
}

type pendingRange struct {
	r   *graph.Resource
	key string
}

// Pending reports whether some ranges of p's family are not known until
// update, so p, outside Prefixes, may still be the VPC's own; it notes those
// ranges, each on its resource.
func (v Ranges) Pending(ctx *policy.StackContext, p netip.Prefix) bool {
	found := false
	for _, r := range v.pending {
		if (r.key == "ipv6CidrBlock") != p.Addr().Is4() {
			ctx.Read(r.r).NoteUnknown(r.key)
			found = true
		}
	}
	return found
}

// VPCRanges returns the CIDR blocks of the in-stack VPC a resource names at
// vpcId: its cidrBlock and ipv6CidrBlock, as declared or as output (an
// Amazon-provided IPv6 block, assignGeneratedIpv6CidrBlock, exists only as
// an output; so does a block from IPAM), and the blocks of
// aws:ec2/vpcIpv4CidrBlockAssociation and vpcIpv6CidrBlockAssociation.
func VPCRanges(ctx *policy.StackContext, r *graph.Resource) Ranges {
	var out Ranges
	add := func(res *graph.Resource, keys ...string) {
		for _, key := range keys {
			p := props.MustPath(key)
			in, outV := res.Props.Get(p), res.Outputs.Get(p)
			for _, v := range [2]props.Value{in, outV} {
				if s, ok := v.Str(); ok {
					if pfx, err := netip.ParsePrefix(s); err == nil && !slices.Contains(out.Prefixes, pfx.Masked()) {
						out.Prefixes = append(out.Prefixes, pfx.Masked())
					}
				}
			}
			if in.IsUnknown() || in.IsNull() && outV.IsUnknown() && computedBlock(res, key) {
				out.pending = append(out.pending, pendingRange{res, key})
			}
		}
	}
	ix := indexOf(ctx.Graph)
	for _, ref := range ctx.Graph.Refs(r, pVpcID, TypeVPC) {
		if ref.Target == nil {
			continue
		}
		add(ref.Target, "cidrBlock", "ipv6CidrBlock")
		for _, b := range ix.blocks[ref.Target] {
			add(b, "cidrBlock", "ipv6CidrBlock")
		}
	}
	return out
}

// computedBlock reports whether AWS assigns a VPC's (or an association's)
// block itself: from Amazon's IPv6 pool or from IPAM. In preview the block
// is then an unknown output; any other unknown output is just a block that
// was never asked for.
func computedBlock(res *graph.Resource, key string) bool {
	set := func(k string) bool {
		v := res.Props.Get(props.MustPath(k))
		b, isBool := v.Bool()
		return v.IsUnknown() || isBool && b || !isBool && !v.IsNull()
	}
	if key == "ipv6CidrBlock" {
		return set("assignGeneratedIpv6CidrBlock") || set("ipv6IpamPoolId")
	}
	return set("ipv4IpamPoolId")
}

// PortOf returns the port a database listens on: its port input, else the
// engine's default.
func PortOf(rd policy.Reader) (int, policy.State) {
	if n, st := rd.Number("port"); st != policy.Absent {
		return int(n), st
	}
	engine, st := rd.String("engine")
	if st != policy.Known {
		return 0, st
	}
	for _, d := range defaultPorts {
		if engine == d.engine || strings.HasPrefix(engine, d.engine+"-") {
			return d.port, policy.Known
		}
	}
	return 0, policy.Absent
}

// defaultPorts by engine name or family prefix ("oracle-ee", "sqlserver-se").
var defaultPorts = []struct {
	engine string
	port   int
}{
	{"aurora-mysql", 3306}, {"aurora-postgresql", 5432}, {"aurora", 3306}, {"mysql", 3306}, {"mariadb", 3306},
	{"postgres", 5432}, {"oracle", 1521}, {"custom-oracle", 1521}, {"sqlserver", 1433}, {"custom-sqlserver", 1433},
	{"db2", 50000},
}
