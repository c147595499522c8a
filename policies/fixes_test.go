package policies

import (
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// TestFixAndWhyFitTheFinding checks that a finding's Fix (and, where the
// policy's reason is too broad, its Why) speaks of that finding, not of the
// policy's other findings.
func TestFixAndWhyFitTheFinding(t *testing.T) {
	cases := []struct {
		name     string
		p        *policy.Policy
		rs       []*fixture.Res
		fix, why []string // what the Fix and the Why say
		notFix   []string // what the Fix must not say
	}{
		{name: "HTTP listener that forwards", p: LoadBalancerTLS,
			rs: []*fixture.Res{fixture.R(typeLBListener, "http", map[string]any{"protocol": "HTTP", "port": 80,
				"defaultActions": []any{map[string]any{"type": "forward", "targetGroupArn": "arn:tg"}}})},
			fix: []string{"redirect to HTTPS", "only default action"}, notFix: []string{"sslPolicy"}},
		{name: "database without a subnet group", p: DatabaseInPrivateSubnets,
			rs:  []*fixture.Res{fixture.R(typeRDSCluster, "db", map[string]any{"engine": "aurora-mysql"})},
			fix: []string{"dbSubnetGroupName"}, notFix: []string{"vpcOptions", "OpenSearch"}},
		{name: "search domain outside a VPC", p: DatabaseInPrivateSubnets,
			rs:  []*fixture.Res{fixture.R(typeOpenSearchDomain, "search", map[string]any{})},
			fix: []string{"vpcOptions.subnetIds"}, notFix: []string{"dbSubnetGroupName"}},
		{name: "ECS service with a public address", p: AppInPrivateSubnets,
			rs: []*fixture.Res{fixture.R(typeECSService, "svc", map[string]any{"networkConfiguration": map[string]any{
				"assignPublicIp": true}})},
			fix: []string{"Set networkConfiguration.assignPublicIp to false"}, notFix: []string{"vpcZoneIdentifiers"}},
		{name: "public EKS endpoint", p: EKSEndpointRestricted,
			rs:  []*fixture.Res{fixture.R(typeEKSCluster, "eks", map[string]any{})},
			why: []string{"API endpoint"}},
	}
	for _, c := range cases {
		for _, mode := range fixture.Modes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				var got []policy.Finding
				for _, f := range fixture.Run(t, c.p, mode, nil, nil, c.rs...) {
					if f.Kind == policy.Violation {
						got = append(got, f)
					}
				}
				if len(got) == 0 {
					t.Fatalf("no violation")
				}
				for _, f := range got {
					fix := f.Message[strings.Index(f.Message, "\nFix: "):]
					why := f.Message[strings.Index(f.Message, "\nWhy: "):strings.Index(f.Message, "\nFix: ")]
					for _, w := range c.fix {
						if !strings.Contains(fix, w) {
							t.Errorf("the Fix lacks %q:\n%s", w, f.Message)
						}
					}
					for _, w := range c.notFix {
						if strings.Contains(fix, w) {
							t.Errorf("the Fix speaks of %q, which this finding is not about:\n%s", w, f.Message)
						}
					}
					for _, w := range c.why {
						if !strings.Contains(why, w) || !strings.Contains(why, c.p.Section.URL) {
							t.Errorf("the Why lacks %q or the guide's section:\n%s", w, f.Message)
						}
					}
				}
			})
		}
	}
}
