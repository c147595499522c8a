package policies

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
)

// The guide's exception for the Console, on malformed and unknown links:
// where a link from the load balancer to the container cannot be read, no
// edge is seen and console-tls judges the container as before, without
// crashing and without a false pass. The seen cases are in
// labelled_console_edge_test.go.
func TestConsoleTLSEdgeLinks(t *testing.T) {
	missing := violation(`containerDefinitions[0] ("console") does not set CONSOLE_TLS_CERTIFICATE`)
	stack := func(f func(rs []*fixture.Res) []*fixture.Res) []*fixture.Res {
		return f(swap(hardenedECS(), plainConsole()))
	}
	set := func(name, key string, v any) func([]*fixture.Res) []*fixture.Res {
		return func(rs []*fixture.Res) []*fixture.Res { return edit(rs, name, func(in m) { in[key] = v }) }
	}
	runCases(t, ConsoleTLS, []caseT{
		{name: "seen", target: "ui-td", rs: stack(func(rs []*fixture.Res) []*fixture.Res { return rs })},
		{name: "listener actions malformed", target: "ui-td", rs: stack(set("https", "defaultActions", "forward")),
			both: []fixture.Want{missing}},
		{name: "listener protocol malformed", target: "ui-td", rs: stack(set("https", "protocol", 443)),
			both: []fixture.Want{missing}},
		{name: "listener protocol unknown", target: "ui-td", rs: stack(set("https", "protocol", fixture.Unknown)),
			elsewhere: map[string][]fixture.Want{"https": {advisory("protocol is not known until update")}}},
		{name: "service load balancers malformed", target: "ui-td", rs: stack(set("ui-svc", "loadBalancers", 42)),
			both: []fixture.Want{missing}},
		{name: "service load balancer of another container", target: "ui-td",
			rs: stack(set("ui-svc", "loadBalancers", l{m{"containerName": "sidecar", "containerPort": 3000,
				"targetGroupArn": fixture.ID("ui-tg")}})),
			both: []fixture.Want{missing}},
		{name: "weighted forward", target: "ui-td", rs: stack(set("https", "defaultActions", l{m{"type": "forward",
			"forward": m{"targetGroups": l{m{"arn": fixture.ID("ui-tg"), "weight": 1}}}}}))},
		{name: "asserted by config", target: "ui-td", cfg: m{"consoleTlsTerminatedAtLoadBalancer": true},
			rs: stack(set("ui-svc", "loadBalancers", nil))},
		{name: "container TLS required", target: "ui-td", cfg: m{"requireConsoleContainerTls": true},
			rs: stack(func(rs []*fixture.Res) []*fixture.Res { return rs }), both: []fixture.Want{missing}},
		{name: "ingress backend malformed", target: "pulumi-console",
			rs: append(kubePlainConsole(), fixture.R(tIngress, "ing", m{"metadata": m{"namespace": "pulumi"},
				"spec": m{"ingressClassName": "nginx", "tls": l{m{"secretName": "x"}}, "rules": "pulumi-console"}})),
			both: []fixture.Want{violation(`("console") does not set CONSOLE_TLS_CERTIFICATE`)}},
		{name: "ingress in another namespace", target: "pulumi-console",
			rs: append(kubePlainConsole(), fixture.R(tIngress, "ing", m{"metadata": m{"namespace": "other"},
				"spec": with(rulesTo("app.example.com", "pulumi-console", 80), nginxTLS())})),
			both: []fixture.Want{violation(`("console") does not set CONSOLE_TLS_CERTIFICATE`)}},
		{name: "pod labels unknown", target: "pulumi-console",
			rs: edit(append(kubePlainConsole(), consoleIngress(hardenedALB(), nil)), "pulumi-console", func(in m) {
				in["spec"].(m)["template"].(m)["metadata"] = m{"labels": fixture.Unknown}
			}),
			both: []fixture.Want{violation(`("console") does not set CONSOLE_TLS_CERTIFICATE`)}},
	})
}

// In preview the Service's generated name is not known: the Ingress's
// backend name is unknown, and its property dependencies say which Service
// it routes to (the EKS installer's shape: backend name
// svc.metadata.name).
func TestConsoleTLSEdgeThroughDependencies(t *testing.T) {
	ingress := func(deps ...string) *fixture.Res {
		r := consoleIngress(hardenedALB(), m{"rules": l{m{"host": "app.pulumi.example.com", "http": m{"paths": l{m{
			"path": "/", "pathType": "Prefix", "backend": m{"service": m{"name": fixture.Unknown,
				"port": m{"number": 80}}}}}}}}})
		return r.Deps("spec", deps...)
	}
	runCases(t, ConsoleTLS, []caseT{
		{name: "dependency names the console's service", target: "pulumi-console",
			rs: append(kubePlainConsole(), ingress("console-svc"))},
		{name: "dependency names another service", target: "pulumi-console",
			rs: append(kubePlainConsole(), ingress("other-svc"), fixture.R(tService, "other-svc", m{
				"metadata": m{"namespace": "pulumi"}, "spec": m{"selector": m{"app": "other"}}})),
			both: []fixture.Want{violation(`("console") does not set CONSOLE_TLS_CERTIFICATE`)}},
	})
}
