package policies

import (
	"fmt"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// checkFirewalls is security-group-no-unrestricted-ingress on the platforms
// whose firewalls evaluate rules by priority (Azure network security
// groups, Google Cloud firewall rules): the internet may reach no sensitive
// port, and no rule may open every port to it, through the allow rules no
// deny of higher priority shadows.
func checkFirewalls(ctx *policy.StackContext) {
	sensitive := paramSensitivePorts.Get(ctx.Config)
	for _, src := range sources {
		fw, ok := src.(model.Firewalls)
		if !ok {
			continue
		}
		for _, f := range fw.Firewalls(ctx.Graph, ctx) {
			for _, e := range f.Exposures(sensitive) {
				reportExposure(ctx, f, e)
			}
		}
	}
}

// reportExposure reports the internet's way in through a firewall, on the
// first rule of it that belongs to the firewall, in the platform's words.
func reportExposure(ctx *policy.StackContext, f model.Firewall, e model.Exposure) {
	at := e.Rules[0]
	names := make([]string, len(e.Rules))
	written := make([]string, 0, len(e.Rules))
	for i, r := range e.Rules {
		names[i] = r.Name
		if r.Judged && at.Res != nil && !at.Judged {
			at = r
		}
		if r.PortsText != "" {
			written = append(written, r.PortsText)
		}
	}
	verb := "admits"
	if len(e.Rules) > 1 {
		verb = "together admit"
	}
	what := "every port"
	if !e.AllPorts {
		what = "sensitive " + ports(e.Ports)
	} else if len(e.Ports) > 0 {
		what = "every port, sensitive " + ports(e.Ports) + " included"
	}
	msg := fmt.Sprintf("%s %s %s to %s", strings.Join(names, " and "), verb, e.Open, what)
	if len(written) > 0 {
		msg += " (" + strings.Join(written, "; ") + ")"
	}
	msg += ", and no rule of higher priority denies it"
	if f.Scope != "" {
		msg += "; " + f.Scope
	}
	if f.Caveat != "" {
		msg += ". " + f.Caveat
	}
	ctx.ViolationFixf(at.Res, at.Fix, "%s", msg)
}

// guardTierSubnets advises on the in-stack subnets a tier's members sit in
// that no firewall of their own guards (an Azure subnet without a network
// security group): the guide asks that traffic between tiers be
// restricted, and nothing at the subnet does it. Advisory: other controls
// (Kubernetes NetworkPolicies, the database's own firewall rules) may do
// that job.
func guardTierSubnets(ctx *policy.StackContext, tier model.Tier) {
	var guards []model.SubnetGuards
	for _, src := range sources {
		if g, ok := src.(model.SubnetGuards); ok {
			guards = append(guards, g)
		}
	}
	if len(guards) == 0 {
		return
	}
	also := "the database's own firewall rules may do that job"
	if tier == model.AppTier {
		also = "Kubernetes NetworkPolicies between the tiers (network-policies-between-tiers) may do that job"
	}
	seen := map[*graph.Resource]bool{}
	for _, p := range sources.Placements(ctx.Graph, tier) {
		for _, sl := range p.Subnets {
			if sl.Holder == nil || sl.Net == nil || sl.Unseen != "" || sl.Pending != nil {
				continue
			}
			for _, ref := range ctx.Graph.Refs(sl.Holder, props.MustPath(sl.Path), sl.Net.SubnetTypes()...) {
				if ref.Target == nil || seen[ref.Target] {
					continue
				}
				seen[ref.Target] = true
				for _, g := range guards {
					if why, fix, ok := g.UnguardedSubnet(ctx, ref.Target); ok {
						ctx.UnverifiableFixf(ref.Target, fix, "%s; %s sits in it (%s). Advisory: %s", why,
							p.Res.Label(), ref.Path, also)
					}
				}
			}
		}
	}
}
