package gcp

import (
	"fmt"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// GKE type tokens: the same in pulumi-gcp v8 and v9.
const (
	TypeCluster  = "gcp:container/cluster:Cluster"
	TypeNodePool = "gcp:container/nodePool:NodePool"
)

// clusterTypes are the cluster tokens. Their physical name is "name",
// which the graph indexes for every type (a node pool's cluster may also
// name it by id, indexed too), so they declare none.
var clusterTypes = []string{TypeCluster, TypeNodePool}

const memoClusters memoKey = "gcp.Clusters"

var pCluster = props.MustPath("cluster")

// Clusters returns the stack's GKE clusters.
func (Adapter) Clusters(g *graph.Graph) []model.Cluster {
	return g.Memo(memoClusters, func() any {
		var out []model.Cluster
		for _, c := range g.OfType(TypeCluster) {
			out = append(out, gkeCluster(c))
		}
		return out
	}).([]model.Cluster)
}

// gkeCluster reads a container Cluster. Defaults are GKE's, as pulumi-gcp
// v8 and v9 document them: a public control plane endpoint; without
// masterAuthorizedNetworksConfig, authorized networks are off and it admits
// every address; databaseEncryption DECRYPTED (no application-layer
// secrets encryption); datapathProvider LEGACY_DATAPATH and no network
// policy on Standard clusters; nodes with external IP addresses.
func gkeCluster(c *graph.Resource) model.Cluster {
	return model.Cluster{
		Res: c, Platform: "GKE",
		Endpoint:        gkeEndpoint(c),
		Secrets:         gkeSecrets(c),
		NetworkPolicies: gkeNetworkPolicy(c),
	}
}

const (
	pPrivateEndpoint = "privateClusterConfig.enablePrivateEndpoint"
	pIPEndpoints     = "controlPlaneEndpointsConfig.ipEndpointsConfig.enabled"
	pAuthorized      = "masterAuthorizedNetworksConfig"
	pCidrBlocks      = pAuthorized + ".cidrBlocks"
	pGCPCidrs        = pAuthorized + ".gcpPublicCidrsAccessEnabled"
	pDNSExternal     = "controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic"
)

func gkeEndpoint(c *graph.Resource) model.Endpoint {
	e := model.Endpoint{Name: "control plane endpoint", PublicDefault: true, RangeKey: "cidrBlock",
		OpenTo: "0.0.0.0/0 (authorized networks are off)",
		Fix: "Set masterAuthorizedNetworksConfig.cidrBlocks to your administrators' ranges (gcloud container " +
			"clusters update --enable-master-authorized-networks --master-authorized-networks <ranges>), or turn " +
			"the public endpoint off with privateClusterConfig.enablePrivateEndpoint: true (private nodes " +
			"required) and reach the control plane from the VPC."}
	private := model.Bool(c, pPrivateEndpoint)
	off := pPrivateEndpoint + " is false"
	if private.Absent() {
		off = pPrivateEndpoint + " is not set"
	}
	e.Private = append(e.Private, model.Switch{On: private, Off: off})
	// ipEndpointsConfig.enabled false turns the IP endpoints off (the DNS
	// endpoint only); its default, true, is not worth a word.
	ip := model.Bool(c, pIPEndpoints)
	ipOff := ""
	if ip.Known() {
		ipOff = pIPEndpoints + " is true"
	}
	e.Private = append(e.Private, model.Switch{On: model.Map(ip, func(on bool) bool { return !on }), Off: ipOff})
	e.Ranges, e.Private = authorizedNetworks(c, e.Private)
	e.Openings = []model.Opening{
		{On: model.Bool(c, pGCPCidrs), WhenPublic: true,
			What: pGCPCidrs + " is true: the control plane endpoint also admits the public address of every " +
				"Compute Engine VM in Google Cloud, whoever runs it",
			Fix: "Set " + pGCPCidrs + ": false (gcloud container clusters update --no-enable-google-cloud-access)."},
		{On: model.Bool(c, pDNSExternal),
			What: pDNSExternal + " is true: the control plane's DNS endpoint takes requests from the internet, and " +
				"authorized networks do not apply to it",
			Fix: "Set " + pDNSExternal + ": false (gcloud container clusters update --no-enable-dns-access) and reach " +
				"the DNS endpoint from the VPC, or guard it with VPC Service Controls and exempt the cluster from " +
				"this policy, saying so."},
	}
	return e
}

// authorizedNetworks reads masterAuthorizedNetworksConfig: absent, the
// endpoint admits every address (Ranges absent); set without cidrBlocks,
// it admits no external range (a private switch on); else the cidrBlock of
// each item.
func authorizedNetworks(c *graph.Resource, private []model.Switch) (model.Field[[]string], []model.Switch) {
	rd := policy.Probe(c)
	block := rd.Value(pAuthorized)
	switch {
	case block.IsNull():
		return model.Of[[]string](nil, policy.Absent, c, pAuthorized), private
	case block.Kind() == props.Unknown:
		rd.NoteUnknown(pAuthorized)
		return model.Of[[]string](nil, policy.Unknown, c, pAuthorized).WithNotes(rd.Taken()), private
	}
	items, st := rd.Items(pCidrBlocks)
	if st.Undecided() {
		return model.Of[[]string](nil, st, c, pCidrBlocks).WithNotes(rd.Taken()), private
	}
	if len(items) == 0 {
		closed := model.Of(true, policy.Known, c, pAuthorized)
		return model.Of[[]string](nil, policy.Absent, c, pCidrBlocks), append(private, model.Switch{On: closed})
	}
	cidrs := make([]string, 0, len(items))
	for _, it := range items {
		cidr, st := it.String("cidrBlock")
		switch st {
		case policy.Known:
			cidrs = append(cidrs, cidr)
		case policy.Absent:
			it.NoteInvalid(it.Base() + ".cidrBlock is not set; GKE requires it")
			return model.Of[[]string](nil, policy.Invalid, c, pCidrBlocks).WithNotes(rd.Taken()), private
		default:
			return model.Of[[]string](nil, st, c, pCidrBlocks).WithNotes(rd.Taken()), private
		}
	}
	return model.Of(cidrs, policy.Known, c, pCidrBlocks), private
}

func gkeSecrets(c *graph.Resource) model.SecretsEncryption {
	s := model.SecretsEncryption{CoversFixed: true, KeyService: "Cloud KMS",
		Key: model.String(c, "databaseEncryption.keyName"),
		Fix: "Create a Cloud KMS key in the cluster's location, grant the GKE service agent " +
			"roles/cloudkms.cryptoKeyEncrypterDecrypter on it, and set databaseEncryption {state: \"ENCRYPTED\", " +
			"keyName: <the key's id>} (gcloud container clusters update --database-encryption-key <key>)."}
	if policy.Probe(c).Value("databaseEncryption").IsNull() {
		s.Config = model.Of(false, policy.Absent, c, "databaseEncryption")
		return s
	}
	state := model.String(c, "databaseEncryption.state")
	s.Config = model.Map(state, func(v string) bool { return strings.EqualFold(strings.TrimSpace(v), "ENCRYPTED") })
	return s
}

// gkeNetworkPolicy works out whether a cluster enforces NetworkPolicies:
// Autopilot (enableAutopilot) and Dataplane V2 (datapathProvider
// ADVANCED_DATAPATH) always do; a Standard cluster on the legacy datapath
// does with networkPolicy.enabled, unless its network policy add-on is
// disabled (addonsConfig.networkPolicyConfig.disabled true).
func gkeNetworkPolicy(c *graph.Resource) model.Enforcement {
	e := model.Enforcement{Fix: "Set networkPolicy {enabled: true, provider: \"CALICO\"} and " +
		"addonsConfig.networkPolicyConfig.disabled: false (gcloud container clusters update " +
		"--update-addons=NetworkPolicy=ENABLED, then --enable-network-policy), or create the cluster with " +
		"datapathProvider: \"ADVANCED_DATAPATH\" (Dataplane V2, which always enforces NetworkPolicies)."}
	rd := policy.Probe(c)
	autopilot, st1 := rd.Bool("enableAutopilot")
	datapath, st2 := rd.String("datapathProvider")
	enabled, st3 := rd.Bool("networkPolicy.enabled")
	addonOff, st4 := rd.Bool("addonsConfig.networkPolicyConfig.disabled")
	switch {
	case st1 == policy.Known && autopilot:
		e.Enforced = model.Of(true, policy.Known, c, "enableAutopilot")
		return e
	case st2 == policy.Known && strings.EqualFold(strings.TrimSpace(datapath), "ADVANCED_DATAPATH"):
		e.Enforced = model.Of(true, policy.Known, c, "datapathProvider")
		return e
	case st3 == policy.Known && enabled && st4 != policy.Known:
		if st4.Undecided() {
			break
		}
		e.Enforced = model.Of(true, policy.Known, c, "networkPolicy.enabled")
		return e
	case st3 == policy.Known && enabled && !addonOff:
		e.Enforced = model.Of(true, policy.Known, c, "networkPolicy.enabled")
		return e
	}
	for _, st := range []policy.State{st1, st2, st3, st4} {
		if st.Undecided() {
			e.Enforced = model.Of(false, st, c, "networkPolicy").WithNotes(rd.Taken())
			return e
		}
	}
	var seen []string
	if st1 == policy.Known {
		seen = append(seen, "enableAutopilot is false")
	} else {
		seen = append(seen, "enableAutopilot is not set (a Standard cluster)")
	}
	if st2 == policy.Known {
		seen = append(seen, "datapathProvider is not ADVANCED_DATAPATH")
	} else {
		seen = append(seen, "datapathProvider is not set (GKE's default: LEGACY_DATAPATH)")
	}
	path := "networkPolicy.enabled"
	switch {
	case st3 == policy.Known && enabled:
		path = "addonsConfig.networkPolicyConfig.disabled"
		seen = append(seen, "networkPolicy.enabled is true but addonsConfig.networkPolicyConfig.disabled is true")
	case st3 == policy.Known:
		seen = append(seen, "networkPolicy.enabled is false")
	default:
		seen = append(seen, "networkPolicy is not set")
	}
	e.Enforced = model.Of(false, policy.Known, c, path)
	e.Seen = strings.Join(seen, ", ")
	return e
}

const (
	pPrivateNodes = "privateClusterConfig.enablePrivateNodes"
	externalIPs   = "its nodes get external IP addresses, reachable from the internet where a firewall rule admits it"
)

// clusterPlacements are the nodes the service runs on, as app-tier members:
// a cluster's own nodes (Autopilot's, the default node pool's, its inline
// nodePools) and NodePool resources, by whether they are private
// (privateClusterConfig.enablePrivateNodes, overridden per pool by
// networkConfig.enablePrivateNodes; GKE's default: not private). VPC
// subnetworks are not public or private by themselves, so only the nodes'
// external IPs are judged here.
func clusterPlacements(g *graph.Graph) []model.Placement {
	var out []model.Placement
	for _, c := range g.OfType(TypeCluster) {
		out = append(out, clusterNodes(c))
	}
	for _, np := range g.OfType(TypeNodePool) {
		out = append(out, poolNodes(g, np))
	}
	return out
}

func clusterNodes(c *graph.Resource) model.Placement {
	p := model.Placement{Res: c, Tier: model.AppTier,
		Fix: "Set " + pPrivateNodes + ": true and give the nodes Cloud NAT for their egress."}
	rd := policy.Probe(c)
	pools, _ := rd.Items("nodePools")
	autopilot, _ := rd.Bool("enableAutopilot")
	removeDefault, _ := rd.Bool("removeDefaultNodePool")
	if gap, ok := model.GapOf(rd); ok {
		p.Gaps = []model.Gap{gap}
	}
	inherits := autopilot || (!removeDefault && len(pools) == 0)
	for _, pool := range pools {
		path := pool.Base() + ".networkConfig.enablePrivateNodes"
		if model.Bool(c, path).Absent() {
			inherits = true
			continue
		}
		p.Public = append(p.Public, privateNodes(c, path, "", ""))
	}
	if inherits {
		p.Public = append([]model.PublicAddress{privateNodes(c, pPrivateNodes, "", "")}, p.Public...)
	}
	return p
}

// poolNodes places a NodePool: its own networkConfig.enablePrivateNodes, or
// its cluster's privateClusterConfig.enablePrivateNodes.
func poolNodes(g *graph.Graph, np *graph.Resource) model.Placement {
	const own = "networkConfig.enablePrivateNodes"
	p := model.Placement{Res: np, Tier: model.AppTier,
		Fix: "Set " + own + ": true and give the nodes Cloud NAT for their egress."}
	if !model.Bool(np, own).Absent() {
		p.Public = []model.PublicAddress{privateNodes(np, own, "", "")}
		return p
	}
	for _, ref := range g.Refs(np, pCluster, TypeCluster) {
		switch {
		case ref.Target != nil:
			p.Public = append(p.Public, privateNodes(ref.Target, pPrivateNodes,
				fmt.Sprintf("%s is not set and cluster %q's ", own, ref.Target.Name),
				"Set "+own+": true on the pool (gcloud container node-pools update --enable-private-nodes), or "+
					pPrivateNodes+": true on the cluster."))
		case ref.Known:
			p.Public = append(p.Public, model.PublicAddress{Unseen: fmt.Sprintf("cannot be verified: %s is not set, "+
				"so the pool's nodes are private only if cluster %s (not in the stack) sets %s; set %s: true on "+
				"the pool to decide it here", own, ref.Value, pPrivateNodes, own)})
		default:
			rd := policy.Probe(np)
			rd.NoteUnknown("cluster")
			gap, _ := model.GapOf(rd)
			p.Gaps = append(p.Gaps, gap)
		}
	}
	return p
}

// privateNodes is the public-address switch a private-nodes property makes:
// on (public) when it is false or unset. via prefixes what was seen when
// the property is another resource's; fix replaces the default fix.
func privateNodes(r *graph.Resource, path, via, fix string) model.PublicAddress {
	f := model.Bool(r, path)
	pub := model.PublicAddress{On: model.Map(f, func(private bool) bool { return !private }), What: externalIPs,
		Fix: fix}
	if pub.Fix == "" {
		pub.Fix = fmt.Sprintf("Set %s: true (gcloud container clusters update --enable-private-nodes, or "+
			"gcloud container node-pools update --enable-private-nodes for a pool) and give the nodes Cloud NAT "+
			"for their egress.", path)
	}
	switch f.State {
	case policy.Absent:
		pub.On = model.Of(true, policy.Known, r, path)
		pub.Seen = via + path + " is not set (GKE's default: nodes with external IPs)"
	case policy.Known:
		pub.Seen = via + path + " is false"
	}
	return pub
}
