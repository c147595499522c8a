package policies

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/aws"
	"github.com/selfhosted-hardening/selfhosted-hardening/awsnet"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// The network family: the guide's "Network security" section.

var (
	paramPrivateSubnetIDs = policy.StringsParam{Name: "privateSubnetIds", Description: "Ids of subnets " +
		"outside the stack (the installers take them from config) that are private. Without it their " +
		"placement cannot be verified."}
	paramPublicSubnetIDs = policy.StringsParam{Name: "publicSubnetIds", Description: "Ids of subnets outside " +
		"the stack that are public: placing a database or app tier in one is a violation."}
	subnetParams = []policy.Param{paramPrivateSubnetIDs.Param(), paramPublicSubnetIDs.Param()}
)

// RDSNotPubliclyAccessible forbids public endpoints on RDS instances, and
// internet-wide firewalls on databases whose public endpoint a firewall
// guards (Azure Database for MySQL flexible server, Cloud SQL).
var RDSNotPubliclyAccessible = &policy.Policy{
	Name:        "rds-not-publicly-accessible",
	DisplayName: "Databases are not reachable from the internet",
	Description: "RDS instances and Aurora cluster instances do not set publiclyAccessible: true. Azure " +
		"Database for MySQL flexible servers with public access (no network.delegatedSubnetResourceId, " +
		"network.publicNetworkAccess not Disabled) have no firewall rule that admits all of IPv4 (0.0.0.0 to " +
		"255.255.255.255, alone or with others) and no \"allow Azure services\" rule (0.0.0.0 to 0.0.0.0); Cloud " +
		"SQL instances with a public IP (settings.ipConfiguration.ipv4Enabled true or not set) have no " +
		"authorizedNetworks that admit all of IPv4 (0.0.0.0/0).",
	Section:   Network,
	Reference: refNetwork,
	Controls:  []policy.Control{fsbpRDS2},
	Level:     policy.Mandatory,
	Severity:  policy.Critical,
	Remediation: "Keep the database off the internet and reach it from the application's private network: " +
		"RDS publiclyAccessible: false (the default); Azure Database for MySQL private access " +
		"(network.delegatedSubnetResourceId) or network.publicNetworkAccess \"Disabled\"; Cloud SQL " +
		"settings.ipConfiguration.ipv4Enabled: false with privateNetwork. Where a public endpoint stays, admit " +
		"only the addresses that need it.",
	Types:    []string{aws.TypeRDSInstance, aws.TypeRDSClusterInstance},
	Resource: checkRDSNotPubliclyAccessible,
	Stack:    checkDatabaseReach,
	Fixes:    fixesRDSPublic,
}

func checkRDSNotPubliclyAccessible(ctx *policy.ResourceContext) {
	if ctx.IsTrue("publiclyAccessible") {
		ctx.Report(policy.Fix{Edits: []policy.Edit{{Path: "publiclyAccessible", Value: false}}},
			"publiclyAccessible is true: the database gets a public DNS name and address reachable from the "+
				"internet wherever its security groups allow")
	}
}

// DatabaseInPrivateSubnets requires databases in private subnets.
var DatabaseInPrivateSubnets = &policy.Policy{
	Name:        "database-in-private-subnets",
	DisplayName: "Databases sit in private subnets",
	Description: "The subnets of each RDS instance's or cluster's DB subnet group, and of each OpenSearch " +
		"domain, are private: no public addresses on launch and no default route to an internet gateway.",
	Section:   Network,
	Reference: refNetwork,
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Give the database a DB subnet group (dbSubnetGroupName) whose subnetIds are private subnets " +
		"(a route table without a 0.0.0.0/0 route to an internet gateway, e.g. one routing through a NAT " +
		"gateway), and an OpenSearch domain vpcOptions.subnetIds in private subnets.",
	Params: subnetParams,
	Stack:  checkDatabaseInPrivateSubnets,
}

func checkDatabaseInPrivateSubnets(ctx *policy.StackContext) {
	for _, p := range sources.Placements(ctx.Graph, model.DatabaseTier) {
		placeTier(ctx, p)
	}
}

// AppInPrivateSubnets requires the app tier in private subnets, without
// public addresses.
var AppInPrivateSubnets = &policy.Policy{
	Name:        "app-in-private-subnets",
	DisplayName: "App containers and instances sit in private subnets",
	Description: "ECS services, EC2 instances, launch templates, EKS node groups (aws:eks/nodeGroup, and " +
		"the eks:index:ManagedNodeGroup, NodeGroupV2 and NodeGroup components by their subnetIds / " +
		"nodeSubnetIds, their children not judged twice) and autoscaling groups are placed in private subnets " +
		"and get no public address. Load balancers are the public edge and are not judged here.",
	Section:   Network,
	Reference: refNetwork,
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Place the app tier in private subnets (ECS networkConfiguration.subnets, EC2 subnetId, " +
		"node group subnetIds, autoscaling vpcZoneIdentifiers) and turn public addresses off " +
		"(assignPublicIp / associatePublicIpAddress false); put a load balancer in the public subnets instead.",
	Params: subnetParams,
	Stack:  checkAppInPrivateSubnets,
}

func checkAppInPrivateSubnets(ctx *policy.StackContext) {
	for _, p := range sources.Placements(ctx.Graph, model.AppTier) {
		placeTier(ctx, p)
	}
}

// placeTier judges where a tier member sits: no public address, placed in
// subnets, each of them private.
func placeTier(ctx *policy.StackContext, p model.Placement) {
	for _, g := range p.Gaps {
		g.Decide(ctx)
	}
	for _, pub := range p.Public {
		if pub.Unseen != "" {
			ctx.Unverifiablef(p.Res, "%s", pub.Unseen)
			continue
		}
		if pub.On.Decide(ctx) != policy.Known || !pub.On.Value {
			continue
		}
		switch {
		case pub.Seen != "":
			ctx.ViolationFixf(p.Res, pub.Fix, "%s: %s", pub.Seen, pub.What)
		default:
			ctx.Report(p.Res, policy.Fix{Text: fmt.Sprintf("Set %s to false, and reach it through a load balancer in "+
				"the public subnets instead.", pub.On.Path)}, "%s is true: %s", pub.On.Path, pub.What)
		}
	}
	if p.Unplaced != "" {
		ctx.ViolationFixf(p.Res, p.Fix, "%s", p.Unplaced)
	}
	for _, l := range p.Subnets {
		placeSubnets(ctx, p.Res, l, p.Fix)
	}
}

// placeSubnets judges the subnets a list names, reporting on subject:
// public ones are one violation, subnets outside the stack that the config
// does not name are one advisory.
func placeSubnets(ctx *policy.StackContext, subject *graph.Resource, l model.SubnetList, fix string) {
	switch {
	case l.Unseen != "":
		ctx.Unverifiablef(subject, "%s", l.Unseen)
		return
	case l.Pending != nil:
		l.Pending.Decide(ctx)
		return
	}
	private := paramPrivateSubnetIDs.Get(ctx.Config)
	public := paramPublicSubnetIDs.Get(ctx.Config)
	var bad, unseen []string
	where := func(ref graph.Ref) string {
		if l.Via == "" || l.Via == l.Path || strings.HasPrefix(ref.Path.String(), l.Via) {
			return ref.Path.String()
		}
		return l.Via + " " + ref.Path.String()
	}
	for _, ref := range ctx.Graph.Refs(l.Holder, props.MustPath(l.Path), l.Net.SubnetTypes()...) {
		switch {
		case ref.Target != nil:
			v := l.Net.Subnet(ctx, ref.Target)
			switch v.Placement {
			case model.Public:
				bad = append(bad, fmt.Sprintf("subnet %q (%s) is public: %s", ref.Target.Name, where(ref), v.Why))
			case model.Unseen:
				unseen = append(unseen, fmt.Sprintf("subnet %q (%s): %s", ref.Target.Name, where(ref), v.Why))
			}
		case ref.Known && slices.Contains(private, ref.Value):
		case ref.Known && slices.Contains(public, ref.Value):
			bad = append(bad, fmt.Sprintf("subnet %s (%s) is public: policy config publicSubnetIds lists it",
				ref.Value, where(ref)))
		case ref.Known:
			unseen = append(unseen, fmt.Sprintf("subnet %s (%s) is not in the stack", ref.Value, where(ref)))
		default:
			ctx.Read(l.Holder).NoteUnknown(ref.Path.String())
		}
	}
	if len(bad) > 0 {
		ctx.ViolationFixf(subject, fix, "%s", strings.Join(bad, "; "))
	}
	if len(unseen) > 0 {
		ctx.Unverifiablef(subject, "cannot be verified: %s; name such subnets in this policy's config "+
			"privateSubnetIds or publicSubnetIds", strings.Join(unseen, "; "))
	}
}

var paramSensitivePorts = policy.IntsParam{
	Name: "sensitivePorts", Item: policy.Port,
	Default:     []int{22, 3389, 3306, 5432, 6379, 9200, 9300, 27017},
	Description: "Ports that must never be open to the internet.",
}

// SecurityGroupNoUnrestrictedIngress forbids world-open ingress on all
// ports or on sensitive ones: AWS security groups (a resource check) and
// the firewalls of other platforms, evaluated in priority order (a stack
// check, firewalls.go).
var SecurityGroupNoUnrestrictedIngress = &policy.Policy{
	Name:        "security-group-no-unrestricted-ingress",
	DisplayName: "No firewall rule admits the internet to all ports or sensitive ports",
	Description: "No ingress rule (inline on a security group or the VPC's default security group, " +
		"aws:ec2/securityGroupRule or aws:vpc/securityGroupIngressRule) admits the whole internet (0.0.0.0/0 or " +
		"::/0, or ranges that together cover all of IPv4 or IPv6, such as 0.0.0.0/1 and 128.0.0.0/1) to all " +
		"ports, to all protocols, or to a sensitive port (SSH, RDP, databases, caches, search). Nor does EKS on a " +
		"managed node group's behalf (aws:eks/nodeGroup or the eks:index:ManagedNodeGroup component): " +
		"remoteAccess.ec2SshKey without remoteAccess.sourceSecurityGroupIds makes EKS open port 22 on every " +
		"node to 0.0.0.0/0. The same holds for Azure network security groups (inbound Allow rules of " +
		"azure-native:network:NetworkSecurityGroup securityRules and azure-native:network:SecurityRule, whose " +
		"sourceAddressPrefix(es) *, Internet, Any or CIDRs cover the internet) and Google Cloud firewall rules " +
		"(gcp:compute/firewall:Firewall allows, from sourceRanges, which default to 0.0.0.0/0 when no source is " +
		"set), each evaluated as the platform does: by priority, a Deny rule before it shadowing an Allow.",
	Section:   Network,
	Reference: refNetwork,
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Admit only the security groups, network tags or private ranges that need the port; reach " +
		"hosts through a bastion (SSM Session Manager on AWS, Azure Bastion, Identity-Aware Proxy on Google " +
		"Cloud) instead of opening SSH or RDP to the internet.",
	Params: []policy.Param{paramSensitivePorts.Param()},
	Types: []string{awsnet.TypeSecurityGroup, awsnet.TypeDefaultSecurityGroup, awsnet.TypeSecurityGroupRule,
		awsnet.TypeIngressRule, aws.TypeEKSNodeGroup, aws.TypeEKSManagedNodeGroup},
	Resource: checkNoUnrestrictedIngress,
	Stack:    checkFirewalls,
}

func checkNoUnrestrictedIngress(ctx *policy.ResourceContext) {
	sensitive := slices.Sorted(slices.Values(paramSensitivePorts.Get(ctx.Config)))
	if ssh, ok := aws.RemoteAccess(ctx.Resource); ok {
		if slices.Contains(sensitive, 22) {
			judgeNodeGroupSSH(ctx, ssh)
		}
		return
	}
	var rest []awsnet.Rule // decided ingress rules not world-open on their own
	for _, rule := range awsnet.RulesOf(ctx.Reader) {
		if !rule.Ingress || !rule.Decided {
			continue
		}
		open, ok := rule.Open()
		if !ok {
			rest = append(rest, rule)
			continue
		}
		where := strings.TrimPrefix(rule.Path+" ", " ")
		if rule.AllPorts() {
			ctx.Violationf("%sadmits %s to %s", where, open, rule.Ports())
			continue
		}
		if hit := coveredPorts(sensitive, rule); len(hit) > 0 {
			ctx.Violationf("%sadmits %s to %s, which includes sensitive %s", where, open, rule.Ports(), ports(hit))
		}
	}
	// Several rules of one group that are open together: per sensitive port,
	// the union of the sources of every rule that reaches it; one finding
	// per set of rules.
	type together struct {
		open  string
		ports []int
	}
	var order []string
	found := map[string]*together{}
	for _, p := range sensitive {
		var srcs []awsnet.Source
		var names []string
		for _, rule := range rest {
			if rule.Covers(p) {
				srcs = append(srcs, rule.Sources...)
				names = append(names, rule.Path)
			}
		}
		open, ok := awsnet.WorldOpen(srcs)
		if len(names) < 2 || !ok {
			continue
		}
		key := strings.Join(names, " and ")
		if found[key] == nil {
			found[key] = &together{open: open}
			order = append(order, key)
		}
		found[key].ports = append(found[key].ports, p)
	}
	for _, key := range order {
		ctx.Violationf("%s admit %s to sensitive %s", key, found[key].open, ports(found[key].ports))
	}
}

// judgeNodeGroupSSH reports a managed node group for which EKS opens SSH to
// the internet: a key pair and no security groups to admit.
func judgeNodeGroupSSH(ctx *policy.ResourceContext, ssh aws.NodeGroupSSH) {
	if ssh.Key.Decide(ctx) != policy.Known || strings.TrimSpace(ssh.Key.Value) == "" {
		return // no key (or not known until update, noted): EKS opens nothing
	}
	if ssh.Groups.Decide(ctx).Undecided() || len(ssh.Groups.Value) > 0 {
		return
	}
	ctx.Report(policy.Fix{Text: fmt.Sprintf("Set %s to the security groups that may reach SSH (a bastion's), or "+
		"remove %s and reach the nodes through SSM Session Manager.", ssh.Groups.Path, ssh.Key.Path)},
		"%s is set and %s is not, so EKS opens port 22 on every node of this group to 0.0.0.0/0", ssh.Key.Path,
		ssh.Groups.Path)
}

func coveredPorts(sensitive []int, rule awsnet.Rule) []int {
	var hit []int
	for _, p := range sensitive {
		if rule.Covers(p) {
			hit = append(hit, p)
		}
	}
	return hit
}

func ports(ps []int) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = fmt.Sprint(p)
	}
	if len(ps) == 1 {
		return "port " + s[0]
	}
	return "ports " + strings.Join(s, ", ")
}

// DatabaseSecurityGroupRestricted restricts the database tier's groups.
var DatabaseSecurityGroupRestricted = &policy.Policy{
	Name:        "database-security-group-restricted",
	DisplayName: "Database security groups admit only the app tier, on the database port",
	Description: "Security groups attached to a database (RDS vpcSecurityGroupIds, OpenSearch " +
		"vpcOptions.securityGroupIds) admit only other security groups or private CIDRs (RFC 1918, or the " +
		"VPC's own blocks, secondary ones included), only on the database's port, never all ports. Prefix " +
		"lists of the stack count by their entries; those outside it cannot be verified. An Azure subnet " +
		"(azure-native:network:Subnet) a database sits in without a networkSecurityGroup is an advisory: " +
		"nothing at the subnet restricts which tiers reach it.",
	Section:   Network,
	Reference: refNetwork,
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Replace the rule with one that admits the app tier's security group " +
		"(sourceSecurityGroupId / securityGroups) on the database port only.",
	Stack: checkDatabaseSecurityGroups,
}

func checkDatabaseSecurityGroups(ctx *policy.StackContext) {
	guardTierSubnets(ctx, model.DatabaseTier)
	seen := map[string]bool{}
	for _, p := range sources.Placements(ctx.Graph, model.DatabaseTier) {
		port := 0
		if p.Port.Decide(ctx) == policy.Known {
			port = p.Port.Value
		}
		for _, path := range p.Groups {
			restrictGroups(ctx, p.Res, path, port, seen)
		}
	}
}

// restrictGroups checks each ingress rule of the groups db lists at path:
// sources must be groups or private CIDRs; ports only port (0: any one
// port); never all ports.
func restrictGroups(ctx *policy.StackContext, db *graph.Resource, path string, port int, seen map[string]bool) {
	for _, ref := range awsnet.Groups(ctx, db, path) {
		sg, outside := ctx.Follow(db, ref)
		if outside {
			ctx.Unverifiablef(db, "cannot be verified: security group %s (%s) is not in the stack, so its "+
				"rules cannot be seen", ref.Value, ref.Path)
		}
		if sg == nil {
			continue
		}
		vpc := awsnet.VPCRanges(ctx, sg)
		rules, _ := awsnet.GroupRules(ctx, sg)
		for _, rule := range rules {
			if !rule.Ingress || !rule.Decided {
				continue
			}
			key := rule.Owner.URN + rule.Path
			peers, unseen := awsnet.Peers(ctx, rule)
			var wrong []string
			for _, src := range peers {
				if !outsideVPC(ctx, src, vpc) {
					continue
				}
				wrong = append(wrong, fmt.Sprintf("admits %s (%s), which is not a private address range",
					src.Text, src.Path))
			}
			switch {
			case rule.AllPorts():
				wrong = append(wrong, "opens "+rule.Ports())
			case port > 0 && !rule.OnlyPorts(port):
				wrong = append(wrong, fmt.Sprintf("opens %s, not only the database port %d", rule.Ports(), port))
			}
			if len(wrong) > 0 && !seen[key] {
				seen[key] = true
				ctx.Violationf(rule.Owner, "%s of security group %q, attached to %s (%s): %s", ruleName(rule),
					sg.Name, db.Label(), ref.Path, strings.Join(wrong, "; "))
			}
			if len(unseen) > 0 && !seen[key+" unseen"] {
				seen[key+" unseen"] = true
				unseenPrefixLists(ctx, rule, sg, unseen)
			}
		}
	}
}

// unseenPrefixLists reports prefix lists outside the stack that a rule
// admits: their ranges cannot be checked.
func unseenPrefixLists(ctx *policy.StackContext, rule awsnet.Rule, sg *graph.Resource, unseen []awsnet.Source) {
	names := make([]string, len(unseen))
	for i, u := range unseen {
		names[i] = fmt.Sprintf("%s (%s)", u.Text, u.Path)
	}
	ctx.Unverifiablef(rule.Owner, "cannot be verified: %s of security group %q admits prefix list %s, which is "+
		"not in the stack, so the ranges it admits cannot be checked", ruleName(rule), sg.Name,
		strings.Join(names, ", "))
}

// outsideVPC reports whether a CIDR source is neither private address space
// nor one of the VPC's own ranges. While some of the VPC's ranges are not
// known (preview of an Amazon-provided IPv6 block) a public-looking source
// may be one of them: no verdict, the unknown ranges are noted.
func outsideVPC(ctx *policy.StackContext, src awsnet.Source, vpc awsnet.Ranges) bool {
	if src.Kind != awsnet.CIDR || awsnet.IsPrivate(src.Prefix, vpc.Prefixes...) {
		return false
	}
	return !vpc.Pending(ctx, src.Prefix)
}

func ruleName(r awsnet.Rule) string {
	if r.Path != "" {
		return "rule " + r.Path
	}
	return "this rule"
}

// AppSecurityGroupRestricted restricts the app tier's groups.
var AppSecurityGroupRestricted = &policy.Policy{
	Name:        "app-security-group-restricted",
	DisplayName: "App security groups admit only security groups or private ranges",
	Description: "Security groups attached to ECS services, EC2 instances and launch templates (of " +
		"autoscaling and node groups) admit only other security groups (normally the load balancer's) or " +
		"private CIDRs. An Azure subnet (azure-native:network:Subnet) the app tier sits in without a " +
		"networkSecurityGroup is an advisory, since Kubernetes NetworkPolicies may restrict traffic between " +
		"tiers instead.",
	Section:   Network,
	Reference: refNetwork,
	Level:     policy.Mandatory,
	Severity:  policy.Medium,
	Remediation: "Admit the load balancer's security group (sourceSecurityGroupId / securityGroups) on the " +
		"container port instead of a CIDR range from the internet.",
	Stack: checkAppSecurityGroups,
}

func checkAppSecurityGroups(ctx *policy.StackContext) {
	guardTierSubnets(ctx, model.AppTier)
	for _, app := range groupsOf(ctx, model.AppTier) {
		for _, ref := range awsnet.Groups(ctx, app.r, app.path) {
			if sg, _ := ctx.Follow(app.r, ref); sg == nil {
				continue // outside the stack: its rules are not ours to judge
			}
			vpc := awsnet.VPCRanges(ctx, ref.Target)
			rules, _ := awsnet.GroupRules(ctx, ref.Target)
			for _, rule := range rules {
				if !rule.Ingress || !rule.Decided {
					continue
				}
				peers, unseen := awsnet.Peers(ctx, rule)
				if len(unseen) > 0 {
					unseenPrefixLists(ctx, rule, ref.Target, unseen)
				}
				for _, src := range peers {
					if outsideVPC(ctx, src, vpc) {
						ctx.Violationf(rule.Owner, "%s of security group %q, attached to %s (%s), admits %s (%s) "+
							"to %s: the app tier must be reached only through the load balancer", ruleName(rule),
							ref.Target.Name, app.r.Label(), ref.Path, src.Text, src.Path, rule.Ports())
					}
				}
			}
		}
	}
}

type attachment struct {
	r    *graph.Resource
	path string
}

// groupsOf lists where the tiers' members list their security groups,
// noting what could not be read on the way.
func groupsOf(ctx *policy.StackContext, tiers ...model.Tier) []attachment {
	var out []attachment
	for _, t := range tiers {
		for _, p := range sources.Placements(ctx.Graph, t) {
			for _, g := range p.GroupGaps {
				g.Decide(ctx)
			}
			for _, path := range p.Groups {
				out = append(out, attachment{p.Res, path})
			}
		}
	}
	return out
}

var paramLBIngressAllowList = policy.PrefixesParam{
	Name: "ingressAllowList",
	Description: "CIDR blocks allowed to reach internet-facing load balancers. Empty: no public range " +
		"is allowed.",
}

// LoadBalancerIngressAllowlist restricts internet-facing load balancers to
// the allowlist, on 80 and 443.
var LoadBalancerIngressAllowlist = &policy.Policy{
	Name:        "load-balancer-ingress-allowlist",
	DisplayName: "Internet-facing load balancers admit only the ingress allowlist",
	Description: "Security groups of internet-facing load balancers admit only CIDRs inside the policy " +
		"config ingressAllowList (the guide's ingress allowlist), and admit the internet only on ports 443 " +
		"and 80; rules from private ranges or other security groups are not judged. Prefix lists of the " +
		"stack count by their entries; those outside it cannot be verified. The same list holds for the " +
		"load balancers Kubernetes makes: an internet-facing Ingress (AWS Load Balancer Controller " +
		"inbound-cidrs or security-groups; ingress-nginx whitelist-source-range) or LoadBalancer Service " +
		"(loadBalancerSourceRanges or aws-load-balancer-security-groups) admits only ranges inside it, and " +
		"one that sets none admits everyone; a Service made internal by the AWS, Azure " +
		"(azure-load-balancer-internal) or GKE (networking.gke.io/load-balancer-type) annotations is not " +
		"judged. The ingress-nginx controller Service a kubernetes:helm.sh/v3:Release installs is judged " +
		"from its values (controller.service type, annotations and loadBalancerSourceRanges, or " +
		"controller.config whitelist-source-range with externalTrafficPolicy Local); a controller published " +
		"as a NodePort cannot be verified.",
	Section:   Network,
	Reference: refNetwork,
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Restrict the load balancer's security group to your allowlist on 443 (and 80 for " +
		"redirects), and set the same ranges in this policy's config: " +
		`{"load-balancer-ingress-allowlist": {"ingressAllowList": ["203.0.113.0/24"]}}. ` +
		`To expose the service to everyone on purpose, set ingressAllowList to ["0.0.0.0/0", "::/0"].`,
	Params: []policy.Param{paramLBIngressAllowList.Param()},
	Stack:  checkLoadBalancerAllowlist,
}

// allowlist is the configured ingressAllowList and how to judge a range
// against it.
type allowlist []netip.Prefix

func (a allowlist) inside(p netip.Prefix) bool {
	for _, x := range a {
		if x.Bits() <= p.Bits() && x.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

// judge reports a public range outside the allowlist, on owner, with what
// admits it (e.g. `rule ingress[0] of security group "lb-sg", in front of
// internet-facing ...`).
func (a allowlist) judge(ctx *policy.StackContext, owner *graph.Resource, what, text, at string, p netip.Prefix) {
	if awsnet.IsPrivate(p) || a.inside(p) {
		return
	}
	if len(a) == 0 {
		ctx.ViolationFixf(owner, fmt.Sprintf("Set this policy's ingressAllowList to the ranges that may reach "+
			`it, e.g. {%q: {"ingressAllowList": ["203.0.113.0/24"]}}, and restrict it to them; `+
			`["0.0.0.0/0", "::/0"] accepts a public endpoint deliberately.`, ctx.Policy.Name),
			"%s admits %s (%s) and no ingress allowlist is configured", what, text, at)
		return
	}
	ctx.Violationf(owner, "%s admits %s (%s), which is outside the ingress allowlist %s", what, text, at,
		prefixList(a))
}

func checkLoadBalancerAllowlist(ctx *policy.StackContext) {
	allow := allowlist(paramLBIngressAllowList.Get(ctx.Config))
	for _, e := range sources.Edges(ctx.Graph) {
		allowlistEdge(ctx, allow, e)
	}
}

// allowlistGroup judges the ingress rules of a security group in front of
// an internet-facing edge (front names it).
func allowlistGroup(ctx *policy.StackContext, allow allowlist, sg *graph.Resource, front string) {
	rules, _ := awsnet.GroupRules(ctx, sg)
	for _, rule := range rules {
		if !rule.Ingress || !rule.Decided {
			continue
		}
		peers, unseen := awsnet.Peers(ctx, rule)
		if len(unseen) > 0 {
			unseenPrefixLists(ctx, rule, sg, unseen)
		}
		what := fmt.Sprintf("%s of security group %q, in front of %s,", ruleName(rule), sg.Name, front)
		public := false // the rule admits some of the internet
		for _, src := range peers {
			if src.Kind == awsnet.CIDR && !awsnet.IsPrivate(src.Prefix) {
				public = true
				allow.judge(ctx, rule.Owner, what, src.Text, src.Path, src.Prefix)
			}
		}
		// The port check is about what the internet reaches: rules from
		// private ranges and other groups are not judged here.
		if public && !rule.OnlyPorts(80, 443) {
			ctx.Violationf(rule.Owner, "%s opens %s to the internet; a load balancer needs only 443 (and 80 to "+
				"redirect)", strings.TrimSuffix(what, ","), rule.Ports())
		}
	}
}

// allowlistEdge judges an internet-facing edge: the ranges the security
// groups in front of it admit, or, when it names none, the ranges it admits
// itself (inbound-cidrs, whitelist-source-range, loadBalancerSourceRanges);
// with neither, the controller admits everyone.
func allowlistEdge(ctx *policy.StackContext, allow allowlist, e model.Edge) {
	for _, g := range e.Gaps {
		g.Decide(ctx)
	}
	if e.Unverifiable != "" {
		ctx.UnverifiableFixf(e.Res, e.UnverifiableFix, "cannot be verified: %s", e.Unverifiable)
		return
	}
	if e.InternetFacing.Decide(ctx) != policy.Known || !e.InternetFacing.Value {
		return
	}
	for _, g := range e.Groups {
		switch {
		case g.Target != nil:
			allowlistGroup(ctx, allow, g.Target, e.Front)
		case g.Known:
			ctx.Unverifiablef(e.Res, "cannot be verified: security group %s (%s) is not in the stack, so the "+
				"ranges it admits cannot be checked", g.Shown, g.Path)
		default:
			ctx.Read(e.Res).NoteUnknown(g.Path)
		}
	}
	r := e.Ranges
	switch {
	case r == nil || !r.Known:
		return // its groups decide, or not known (noted)
	case !r.Set:
		if !allow.inside(netip.MustParsePrefix("0.0.0.0/0")) {
			fix, why := r.Fix, r.Unset
			if fix == "" {
				fix = fmt.Sprintf("Restrict %s to the ingress allowlist (%s, or loadBalancerSourceRanges on a "+
					"Service), or name security groups that do.", e.Front, r.Key)
			}
			if why == "" {
				why = fmt.Sprintf("it sets no %s and no security groups", r.Key)
			}
			ctx.ViolationFixf(e.Res, fix, "%s admits %s: %s", e.Front, r.Default, why)
		}
		return
	}
	for _, src := range r.Sources {
		p, err := netip.ParsePrefix(src.Value)
		if err != nil {
			ctx.Read(e.Res).NoteInvalid(fmt.Sprintf("%s: %s is not a valid CIDR block (e.g. 203.0.113.0/24)",
				src.Path, quoteShown(src)))
			continue
		}
		allow.judge(ctx, e.Res, e.Front, src.Text, src.Path, p.Masked())
	}
}

// quoteShown quotes a range for a message, unless it is secret.
func quoteShown(r model.Range) string {
	if r.Text != r.Value {
		return r.Text
	}
	return fmt.Sprintf("%q", r.Value)
}

func prefixList(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return "[" + strings.Join(s, ", ") + "]"
}

// SecurityGroupEgressRestricted flags unrestricted egress of the database and
// app tiers.
var SecurityGroupEgressRestricted = &policy.Policy{
	Name:        "security-group-egress-restricted",
	DisplayName: "Database and app security groups do not allow all egress",
	Description: "Security groups of databases and of the app tier do not allow egress to 0.0.0.0/0 or ::/0 " +
		"on all ports.",
	Section:   Network,
	Reference: refNetwork,
	Level:     policy.Advisory,
	Severity:  policy.Low,
	Remediation: "Allow egress only where the tier needs it: the database port to the database's security " +
		"group, 443 to VPC endpoints or the AWS APIs' prefix lists, SMTP to your mail relay.",
	Stack: checkEgress,
}

func checkEgress(ctx *policy.StackContext) {
	tiers := groupsOf(ctx, model.AppTier, model.DatabaseTier)
	seen := map[*graph.Resource]bool{}
	for _, t := range tiers {
		for _, ref := range awsnet.Groups(ctx, t.r, t.path) {
			if ref.Target == nil || seen[ref.Target] {
				continue
			}
			seen[ref.Target] = true
			rules, _ := awsnet.GroupRules(ctx, ref.Target)
			for _, rule := range rules {
				if rule.Ingress || !rule.Decided || !rule.AllPorts() {
					continue
				}
				if open, ok := rule.Open(); ok {
					ctx.Violationf(rule.Owner, "%s of security group %q (attached to %s) allows egress to %s on %s",
						ruleName(rule), ref.Target.Name, t.r.Label(), open, rule.Ports())
				}
			}
		}
	}
}
