package policies

import "github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"

// Labelled cases of issue 18, class 6: the guide's exception for the
// Console ("If a load balancer terminates TLS in front of the Console, these
// variables are not needed"). The stack shows such a load balancer when the
// whole way to the Console container is in it: an HTTPS listener forwarding
// (by default action or listener rule) to the target group the Console's ECS
// service registers it in; a TLS Ingress routing to the Service that selects
// the Console's pods. Shapes: the ECS installer (ecsStack: its HTTPS
// listener forwards to ui-tg), the EKS installer's ALB Ingresses
// (certificate-arn, HTTPS 443) and ingress-nginx with spec.tls (AKS, GKE,
// byo-infra).

// plainConsole is the ECS Console container without its TLS variables.
func plainConsole() *fixture.Res {
	return taskDef("ui-td", container("console", consoleImage, []string{"PULUMI_API", "https://api.pulumi.example.com",
		"RECAPTCHA_SITE_KEY", "site-key"}))
}

// kubePlainConsole is the Console Deployment, labelled, without TLS
// variables, and its ClusterIP Service.
func kubePlainConsole() []*fixture.Res {
	return []*fixture.Res{
		labelPods(deployment("pulumi-console", kcontainer("console", "pulumi/console:20251101",
			kenv("RECAPTCHA_SITE_KEY=0x4AAA-site"))), consolePodLabels),
		tierNetworkPolicy(),
		fixture.R(tService, "console-svc", m{"metadata": m{"namespace": "pulumi", "name": "pulumi-console"},
			"spec": m{"type": "ClusterIP", "selector": m{"app.kubernetes.io/name": "pulumi-console"},
				"ports": l{m{"port": 80, "targetPort": 3000}}}}),
	}
}

// consoleIngress is an Ingress in front of the Console's Service.
func consoleIngress(annotations any, spec m) *fixture.Res {
	return fixture.R(tIngress, "console-ingress", m{"metadata": m{"namespace": "pulumi", "name": "console-ingress",
		"annotations": annotations}, "spec": with(rulesTo("app.pulumi.example.com", "pulumi-console", 80), spec)})
}

func consoleEdgeCases() []lcase {
	const src = "issue 18 class 6: the guide's exception for the Console"
	return []lcase{
		{name: "console behind an HTTPS listener forwarding to its target group", source: src,
			rs: swap(hardenedECS(), plainConsole()), env: installerEnv(), cfg: allowlistCfg,
			want: labels{"console-tls": pass("HTTPS listener https forwards to ui-tg, where ui-svc registers the Console")}},
		{name: "console behind an HTTPS listener rule", source: src,
			rs: edit(edit(swap(hardenedECS(), plainConsole()), "https", func(in m) {
				in["defaultActions"] = l{m{"type": "fixed-response", "fixedResponse": m{"contentType": "text/plain", "statusCode": "404"}}}
			}), "api-rule", func(in m) { in["actions"] = l{m{"type": "forward", "targetGroupArn": fixture.ID("ui-tg")}} }),
			env: installerEnv(), cfg: allowlistCfg,
			want: labels{"console-tls": pass("listener rule on the HTTPS listener forwards to the Console's target group")}},
		{name: "console behind an HTTP listener only", source: src,
			rs: edit(edit(swap(hardenedECS(), plainConsole()), "https", func(in m) {
				in["defaultActions"] = l{m{"type": "forward", "targetGroupArn": fixture.ID("api-tg")}}
			}), "http", func(in m) { in["defaultActions"] = l{m{"type": "forward", "targetGroupArn": fixture.ID("ui-tg")}} }),
			env: installerEnv(), cfg: allowlistCfg,
			want: labels{"console-tls": vio("only an HTTP listener forwards to the Console"),
				"load-balancer-tls": vio("HTTP listener forwards instead of redirecting")}},
		{name: "console behind HTTPS and a forwarding HTTP listener", source: src,
			rs: edit(swap(hardenedECS(), plainConsole()), "http", func(in m) {
				in["defaultActions"] = l{m{"type": "forward", "targetGroupArn": fixture.ID("ui-tg")}}
			}), env: installerEnv(), cfg: allowlistCfg,
			want: labels{"console-tls": pass("HTTPS listener terminates TLS in front of it"),
				"load-balancer-tls": vio("HTTP listener forwards beside it: one root cause, one finding")}},
		{name: "console behind HTTPS, container TLS required by config", source: src,
			rs: swap(hardenedECS(), plainConsole()), env: installerEnv(),
			cfg:  map[string]m{"console-tls": {"requireConsoleContainerTls": true}, "load-balancer-ingress-allowlist": allowlistCfg["load-balancer-ingress-allowlist"]},
			want: labels{"console-tls": vio("requireConsoleContainerTls asks for TLS to the container itself")}},
		{name: "console service without a load balancer", source: src,
			rs:  edit(swap(hardenedECS(), plainConsole()), "ui-svc", func(in m) { delete(in, "loadBalancers") }),
			env: installerEnv(), cfg: allowlistCfg,
			want: labels{"console-tls": vio("no load balancer seen in front of the Console")}},

		{name: "console behind a TLS ALB Ingress", source: src,
			rs: append(kubePlainConsole(), consoleIngress(hardenedALB(), nil)), cfg: allowlistFor(allowCIDR),
			want: labels{"console-tls": pass("ALB Ingress with certificate-arn and HTTPS 443 routes to the Console's Service")}},
		{name: "console behind ingress-nginx with spec.tls", source: src,
			rs: append(kubePlainConsole(), consoleIngress(m{"nginx.ingress.kubernetes.io/whitelist-source-range": allowCIDR},
				nginxTLS())), cfg: allowlistFor(allowCIDR),
			want: labels{"console-tls": pass("ingress-nginx Ingress with spec.tls routes to the Console's Service")}},
		{name: "console behind ingress-nginx without TLS", source: src,
			rs: append(kubePlainConsole(), consoleIngress(m{"nginx.ingress.kubernetes.io/whitelist-source-range": allowCIDR},
				m{"ingressClassName": "nginx"})), cfg: allowlistFor(allowCIDR),
			want: labels{"console-tls": vio("the Ingress serves plain HTTP"), "load-balancer-tls": vio("Ingress without TLS")}},
		{name: "TLS Ingress to a Service that selects other pods", source: src,
			rs: edit(append(kubePlainConsole(), consoleIngress(hardenedALB(), nil)), "console-svc", func(in m) {
				in["spec"].(m)["selector"] = m{"app.kubernetes.io/name": "something-else"}
			}), cfg: allowlistFor(allowCIDR),
			want: labels{"console-tls": vio("the TLS Ingress does not reach the Console's pods")}},
	}
}
