package policies

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/aws"
	"github.com/selfhosted-hardening/selfhosted-hardening/awsnet"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/kube"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// The network section on EKS: NetworkPolicies between the tiers, and the
// cluster's own API endpoint.

// NetworkPoliciesBetweenTiers asks for NetworkPolicies around the API and
// Console pods.
var NetworkPoliciesBetweenTiers = &policy.Policy{
	Name:        "network-policies-between-tiers",
	DisplayName: "NetworkPolicies restrict traffic to the API and Console pods",
	Description: "Every Kubernetes workload that runs the API or the Console is selected by a NetworkPolicy of " +
		"its namespace with policyTypes Ingress whose rules admit only named pods, namespaces or private " +
		"ipBlocks (a rule with no from, or an empty peer, admits everyone and does not count); and where an " +
		"aws:eks/addon:Addon vpc-cni is in the stack, its configurationValues turn enableNetworkPolicy on, " +
		"without which the VPC CNI does not enforce NetworkPolicies; an AKS cluster " +
		"(azure-native:containerservice:ManagedCluster) enforces them only with networkProfile.networkPolicy " +
		"azure, calico or cilium (unset means none), and a GKE cluster (gcp:container/cluster:Cluster) only " +
		"with enableAutopilot, datapathProvider ADVANCED_DATAPATH (Dataplane V2) or networkPolicy.enabled; a " +
		"cluster that does not is reported whether or not the stack declares NetworkPolicies, since the " +
		"NetworkPolicies this policy asks for would have no effect on it. Advisory by default: the guide accepts " +
		"security groups between tiers instead, which on EKS (security groups for pods, the nodes' group) the " +
		"pack cannot always see.",
	Section:   Network,
	Reference: refNetwork,
	Level:     policy.Advisory,
	Severity:  policy.Medium,
	Remediation: "Add a NetworkPolicy in the workload's namespace whose podSelector matches the API (or " +
		"Console) pods, with policyTypes [Ingress] and ingress rules from the ingress controller's pods or " +
		"namespace and the VPC's private ranges only; on EKS set the vpc-cni add-on's configurationValues to " +
		`{"enableNetworkPolicy": "true"}`,
	Params: []policy.Param{apiRole.paramDef(), consoleRole.paramDef()},
	Stack:  checkNetworkPolicies,
}

type netpol struct {
	r        *graph.Resource
	selector labelSelector
	why      string // "" when it restricts ingress as the guide asks
}

func checkNetworkPolicies(ctx *policy.StackContext) {
	byNamespace := map[string][]netpol{}
	unreadable := map[string]bool{} // namespaces with a NetworkPolicy that cannot be read (noted)
	for _, np := range ctx.Graph.OfType(kube.TypeNetworkPolicy) {
		rd := ctx.Read(np)
		ns := kube.Namespace(np)
		sel, ok := readSelector(rd, "spec.podSelector")
		if !ok {
			unreadable[ns] = true
			continue
		}
		why, ok := ingressRestriction(rd)
		if !ok {
			unreadable[ns] = true
			continue
		}
		byNamespace[ns] = append(byNamespace[ns], netpol{np, sel, why})
	}
	judged := map[*graph.Resource]bool{}
	for _, c := range containersOf(ctx, apiRole, consoleRole) {
		w := c.Owner
		if judged[w] || !kube.IsWorkload(w.Type) {
			continue
		}
		judged[w] = true
		labels, ok := kube.PodLabels(ctx.Read(w))
		if !ok {
			continue // noted
		}
		ns := kube.Namespace(w)
		// NetworkPolicies add up: one that lets everyone in opens the pods
		// whatever the others restrict.
		var open []string
		covered := false
		for _, np := range byNamespace[ns] {
			if !np.selector.matches(labels) {
				continue
			}
			if np.why == "" {
				covered = true
				continue
			}
			open = append(open, fmt.Sprintf("NetworkPolicy %q %s", np.r.Name, np.why))
		}
		switch {
		case len(open) == 0 && (covered || unreadable[ns]):
			// restricted, or a policy that cannot be read may be the one
		case len(open) > 0:
			ctx.Violationf(w, "no NetworkPolicy of namespace %q restricts traffic to the pods of this workload (it "+
				"runs %s): %s", ns, c.Label, strings.Join(open, "; "))
		default:
			ctx.Violationf(w, "no NetworkPolicy of namespace %q selects the pods of this workload (it runs %s, "+
				"labels %s): any pod in the cluster can reach them", ns, c.Label, showLabels(labels))
		}
	}
	for _, addon := range ctx.Graph.OfType(aws.TypeEKSAddon) {
		checkVPCCNI(ctx, addon)
	}
	declared := len(ctx.Graph.OfType(kube.TypeNetworkPolicy))
	for _, c := range sources.Clusters(ctx.Graph) {
		judgeEnforcement(ctx, c, declared)
	}
}

// judgeEnforcement reports a cluster that does not enforce NetworkPolicies:
// those of the stack (declared of them) would have no effect on it.
func judgeEnforcement(ctx *policy.StackContext, c model.Cluster, declared int) {
	n := c.NetworkPolicies
	if n.Enforced.Path == "" || n.Enforced.Decide(ctx) != policy.Known || n.Enforced.Value {
		return
	}
	effect := "a NetworkPolicy added for the API and Console pods would have no effect on it"
	if declared > 0 {
		effect = fmt.Sprintf("the NetworkPolicies of this stack (%d) have no effect if they run on it", declared)
	}
	ctx.ViolationFixf(c.Res, n.Fix, "%s, so the %s cluster does not enforce NetworkPolicies: %s", n.Seen, c.Platform,
		effect)
}

// ingressRestriction says whether a NetworkPolicy restricts ingress to named
// peers: why is "" when it does, else what lets everyone in. ok is false
// when that is not known (noted).
func ingressRestriction(rd policy.Reader) (why string, ok bool) {
	types, st := rd.Strings("spec.policyTypes")
	switch st {
	case policy.Unknown, policy.Invalid:
		return "", false
	case policy.Known:
		hasIngress := false
		for _, t := range types {
			hasIngress = hasIngress || t == "Ingress"
		}
		if !hasIngress {
			return "has no Ingress in policyTypes, so it does not restrict ingress", true
		}
	}
	rules, st := rd.Items("spec.ingress")
	if st.Undecided() {
		return "", false
	}
	for _, rule := range rules {
		peers, st := rule.Items("from")
		switch {
		case st.Undecided():
			return "", false
		case len(peers) == 0:
			return fmt.Sprintf("admits everyone: %s has no from", rule.Base()), true
		}
		for _, peer := range peers {
			v := rd.Value(peer.Base())
			if v.Kind() == props.Object && len(v.Keys()) == 0 {
				return fmt.Sprintf("admits everyone: %s is an empty peer", peer.Base()), true
			}
			cidr, st := peer.String("ipBlock.cidr")
			switch st {
			case policy.Unknown, policy.Invalid:
				return "", false
			case policy.Known:
				p, err := netip.ParsePrefix(strings.TrimSpace(cidr))
				if err != nil {
					peer.NoteInvalid(fmt.Sprintf("%s.ipBlock.cidr %s is not a valid CIDR block", peer.Base(),
						peer.Value("ipBlock.cidr").Describe()))
					return "", false
				}
				if !awsnet.IsPrivate(p.Masked()) {
					shown := cidr
					if peer.Value("ipBlock.cidr").IsSecret() {
						shown = "[secret]"
					}
					return fmt.Sprintf("admits %s (%s.ipBlock.cidr), which is not a private range", shown, peer.Base()), true
				}
			}
		}
	}
	return "", true
}

// labelSelector is a Kubernetes label selector.
type labelSelector struct {
	match map[string]string
	exprs []labelExpr
}

type labelExpr struct {
	key, op string
	values  []string
}

func readSelector(rd policy.Reader, p string) (labelSelector, bool) {
	var s labelSelector
	m, ok := kube.StringMap(rd, p+".matchLabels")
	if !ok {
		return s, false
	}
	s.match = m
	items, st := rd.Items(p + ".matchExpressions")
	if st.Undecided() {
		return s, false
	}
	for _, it := range items {
		key, st1 := it.String("key")
		op, st2 := it.String("operator")
		values, st3 := it.Strings("values")
		if st1 != policy.Known || st2 != policy.Known || st3.Undecided() {
			return s, false
		}
		s.exprs = append(s.exprs, labelExpr{key, op, values})
	}
	return s, true
}

func (s labelSelector) matches(labels map[string]string) bool {
	for k, v := range s.match {
		if labels[k] != v {
			return false
		}
	}
	for _, e := range s.exprs {
		v, has := labels[e.key]
		in := false
		for _, x := range e.values {
			in = in || x == v
		}
		switch e.op {
		case "In":
			if !has || !in {
				return false
			}
		case "NotIn":
			if has && in {
				return false
			}
		case "Exists":
			if !has {
				return false
			}
		case "DoesNotExist":
			if has {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func showLabels(labels map[string]string) string {
	if len(labels) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + labels[k]
	}
	return strings.Join(parts, ", ")
}

// checkVPCCNI judges the vpc-cni add-on: without enableNetworkPolicy the
// VPC CNI does not enforce NetworkPolicies.
func checkVPCCNI(ctx *policy.StackContext, addon *graph.Resource) {
	rd := ctx.Read(addon)
	if name, st := rd.String("addonName"); st != policy.Known || name != "vpc-cni" {
		return
	}
	raw, st := rd.String("configurationValues")
	switch st {
	case policy.Unknown, policy.Invalid:
		return
	case policy.Absent:
		ctx.ViolationFixf(addon, `Set configurationValues to {"enableNetworkPolicy": "true"}.`,
			"configurationValues is not set, so the VPC CNI leaves enableNetworkPolicy off and enforces no "+
				"NetworkPolicy")
		return
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		rd.NoteInvalid("configurationValues is not a JSON object: " + err.Error())
		return
	}
	switch v := doc["enableNetworkPolicy"].(type) {
	case string:
		if strings.EqualFold(v, "true") {
			return
		}
	case bool:
		if v {
			return
		}
	}
	ctx.ViolationFixf(addon, `Set "enableNetworkPolicy": "true" in configurationValues.`,
		"configurationValues does not turn enableNetworkPolicy on, so the VPC CNI enforces no NetworkPolicy")
}

var paramEKSIngressAllowList = policy.PrefixesParam{
	Name: "ingressAllowList",
	Description: "CIDR blocks allowed to reach a public cluster API endpoint: EKS publicAccessCidrs, AKS " +
		"authorizedIPRanges, GKE authorized networks (the same format as load-balancer-ingress-allowlist's; " +
		"administrators' ranges are often narrower than users'). Empty: no public range is allowed.",
}

// EKSEndpointRestricted keeps a managed cluster's API endpoint off the open
// internet: EKS, AKS and GKE (its Name predates AKS and GKE, and stays).
var EKSEndpointRestricted = &policy.Policy{
	Name:        "eks-endpoint-restricted",
	DisplayName: "The cluster's API endpoint is private or allowlisted",
	Description: "Managed Kubernetes clusters keep their API endpoint private or limit it to ranges inside this " +
		"policy's ingressAllowList. EKS (aws:eks/cluster:Cluster vpcConfig, or the eks:index:Cluster " +
		"component's inputs): endpointPublicAccess false, or publicAccessCidrs; EKS's default is a public " +
		"endpoint open to 0.0.0.0/0, and a component and its aws child give one finding. AKS " +
		"(azure-native:containerservice:ManagedCluster): apiServerAccessProfile.enablePrivateCluster, or " +
		"apiServerAccessProfile.authorizedIPRanges; without either the API server is public to everyone. GKE " +
		"(gcp:container/cluster:Cluster): privateClusterConfig.enablePrivateEndpoint or " +
		"controlPlaneEndpointsConfig.ipEndpointsConfig.enabled false, or masterAuthorizedNetworksConfig " +
		"cidrBlocks; without masterAuthorizedNetworksConfig authorized networks are off and the control plane " +
		"admits every address. GKE's masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled true (every " +
		"Compute Engine VM's public address) and controlPlaneEndpointsConfig.dnsEndpointConfig." +
		"allowExternalTraffic true (a DNS endpoint no IP range restricts) are reported too.",
	Section:   Network,
	Reference: refNetwork,
	Controls:  []policy.Control{fsbpEKS1},
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Set endpointPrivateAccess: true and endpointPublicAccess: false (reach the cluster through " +
		"the VPC), or set publicAccessCidrs to your administrators' ranges and list them in this policy's " +
		`ingressAllowList: {"eks-endpoint-restricted": {"ingressAllowList": ["203.0.113.0/24"]}}. On AKS set ` +
		"apiServerAccessProfile.authorizedIPRanges (az aks update --api-server-authorized-ip-ranges) or " +
		"enablePrivateCluster; on GKE set masterAuthorizedNetworksConfig.cidrBlocks (gcloud container clusters " +
		"update --enable-master-authorized-networks --master-authorized-networks) or " +
		"privateClusterConfig.enablePrivateEndpoint.",
	Params: []policy.Param{paramEKSIngressAllowList.Param()},
	Stack:  checkEKSEndpoint,
}

func checkEKSEndpoint(ctx *policy.StackContext) {
	allow := allowlist(paramEKSIngressAllowList.Get(ctx.Config))
	for _, c := range sources.Clusters(ctx.Graph) {
		judgeEndpoint(ctx, allow, c)
	}
}

// endpointWhy is the reason of an endpoint finding: the guide's network
// section as it applies to a cluster's control plane.
const endpointWhy = "the hardening guide keeps every tier off the open internet and restricts access by IP " +
	"range with an allowlist; a cluster's API endpoint is the door to every workload and Secret in it, so it " +
	"is private or open only to the administrators' ranges"

// judgeEndpoint judges a cluster's API endpoint: private, or public only to
// ranges inside the allowlist, and opened no further.
func judgeEndpoint(ctx *policy.StackContext, allow allowlist, c model.Cluster) {
	e := c.Endpoint
	opened := func(public bool) {
		for _, o := range e.Openings {
			if o.WhenPublic == public && o.On.Decide(ctx) == policy.Known && o.On.Value {
				ctx.Report(c.Res, policy.Fix{Text: o.Fix, Why: endpointWhy}, "%s", o.What)
			}
		}
	}
	opened(false)
	public, why, decided := endpointPublic(ctx, c)
	if !decided || !public {
		return
	}
	opened(true)
	if e.Ranges.Decide(ctx).Undecided() {
		return
	}
	if len(e.Ranges.Value) == 0 {
		ctx.Report(c.Res, policy.Fix{Text: e.Fix, Why: endpointWhy}, "the cluster's %s is public (%s) and %s is "+
			"not set, so %s opens it to %s", e.Label(), why, e.Ranges.Path, c.Platform, e.OpenTo)
		return
	}
	for i, cidr := range e.Ranges.Value {
		at := fmt.Sprintf("%s[%d]", e.Ranges.Path, i)
		if e.RangeKey != "" {
			at += "." + e.RangeKey
		}
		p, err := netip.ParsePrefix(strings.TrimSpace(cidr))
		if err != nil {
			rd := ctx.Read(c.Res)
			rd.NoteInvalid(fmt.Sprintf("%s %s is not a valid CIDR block", at, rd.Value(at).Describe()))
			continue
		}
		what := "the cluster's public " + e.Label()
		if e.Fix == "" {
			allow.judge(ctx, c.Res, what, cidr, at, p.Masked())
			continue
		}
		judgeRange(ctx, allow, c.Res, e.Fix, what, cidr, at, p.Masked())
	}
}

// endpointPublic says whether a cluster's endpoint is public, and why, in
// the platform's property paths; decided is false when a value it needs is
// not known until update or malformed (noted).
func endpointPublic(ctx *policy.StackContext, c model.Cluster) (public bool, why string, decided bool) {
	e := c.Endpoint
	// One private switch known on decides, whatever the others are.
	for _, p := range e.Private {
		if model.True(p.On) {
			return false, "", true
		}
	}
	pending := false
	var said []string
	for _, p := range e.Private {
		if p.On.Decide(ctx).Undecided() {
			pending = true
		} else if p.Off != "" {
			said = append(said, p.Off)
		}
	}
	if pending {
		return false, "", false
	}
	if e.Public.Path == "" {
		return e.PublicDefault, strings.Join(said, ", "), true
	}
	switch e.Public.Decide(ctx) {
	case policy.Unknown, policy.Invalid:
		return false, "", false
	case policy.Known:
		return e.Public.Value, e.Public.Path + " is true", true
	}
	return e.PublicDefault, fmt.Sprintf("%s is not set (%s's default: true)", e.Public.Path, c.Platform), true
}

// judgeRange is allowlist.judge with the platform's fix.
func judgeRange(ctx *policy.StackContext, a allowlist, owner *graph.Resource, fix, what, text, at string, p netip.Prefix) {
	if awsnet.IsPrivate(p) || a.inside(p) {
		return
	}
	if len(a) == 0 {
		ctx.ViolationFixf(owner, fmt.Sprintf(`%s Then list those ranges in this policy's ingressAllowList, e.g. `+
			`{%q: {"ingressAllowList": ["203.0.113.0/24"]}}; ["0.0.0.0/0", "::/0"] accepts a public endpoint `+
			`deliberately.`, fix, ctx.Policy.Name), "%s admits %s (%s) and no ingress allowlist is configured",
			what, text, at)
		return
	}
	ctx.ViolationFixf(owner, fix, "%s admits %s (%s), which is outside the ingress allowlist %s", what, text, at,
		prefixList(a))
}
