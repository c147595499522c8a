package aws

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/awsnet"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Load balancers: aws.lb and its alias aws.alb.
const (
	TypeLoadBalancer    = "aws:lb/loadBalancer:LoadBalancer"
	TypeALBLoadBalancer = "aws:alb/loadBalancer:LoadBalancer"
)

const memoEdges = memoKey("aws.Edges")

var pSecurityGroups = props.MustPath("securityGroups")

// Edges returns the stack's load balancers: internet-facing unless
// internal is true, with the security groups in front of them.
func (Adapter) Edges(g *graph.Graph) []model.Edge {
	return g.Memo(memoEdges, func() any { return edges(g) }).([]model.Edge)
}

func edges(g *graph.Graph) []model.Edge {
	var out []model.Edge
	for _, lb := range g.OfType(TypeLoadBalancer, TypeALBLoadBalancer) {
		facing := model.Map(model.Bool(lb, "internal"), func(internal bool) bool { return !internal })
		if facing.Absent() {
			facing.Value, facing.State = true, policy.Known // AWS's default scheme is internet-facing
		}
		e := model.Edge{Res: lb, Front: "internet-facing " + lb.Label(), InternetFacing: facing}
		for _, ref := range g.Refs(lb, pSecurityGroups, awsnet.TypeSecurityGroup, awsnet.TypeDefaultSecurityGroup) {
			e.Groups = append(e.Groups, model.EdgeGroup{Target: ref.Target, Known: ref.Known, Shown: ref.Value,
				Path: ref.Path.String()})
		}
		out = append(out, e)
	}
	return out
}
