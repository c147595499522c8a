package policies

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/kube"
)

// The messages of ingress-nginx-patched and of the allowlist on a Helm
// release: what the pack saw, the CVE, the fixed versions and the fix in
// the chart's or the image's words.
func TestIngressNginxPatched(t *testing.T) {
	release := func(extra m) *fixture.Res { return nginxRelease(extra) }
	runCases(t, IngressNginxPatched, []caseT{
		{name: "aks release 4.6.1", rs: []*fixture.Res{release(nil)}, target: "ingress",
			both: []fixture.Want{violation(`kubernetes:helm.sh/v3:Release "ingress" installs ingress-nginx chart 4.6.1 (version)`,
				"CVE-2025-1974 (IngressNightmare, CVSS 9.8", "CVE-2025-1097, CVE-2025-1098, CVE-2025-24514, CVE-2025-24513",
				"fixed in chart 4.11.5 and 4.12.1 (controller v1.11.5 and v1.12.1)", `Set version of kubernetes:helm.sh/v3:Release "ingress" to "4.12.1"`,
				"it deploys controller v1.12.1")}},
		{name: "release on the 4.11 line", rs: []*fixture.Res{release(m{"version": "4.11.2"})}, target: "ingress",
			both: []fixture.Want{violation("chart 4.11.2", `to "4.11.5"`, "controller v1.11.5")}},
		{name: "release fixed", rs: []*fixture.Res{release(m{"version": "4.12.1"})}, target: "ingress"},
		{name: "release unpinned", rs: []*fixture.Res{release(m{"version": nil})}, target: "ingress",
			both: []fixture.Want{advisory("cannot be verified: version is not set", "Pin version", "4.12.1")}},
		{name: "release unpinned with its status", target: "ingress",
			rs:      []*fixture.Res{release(m{"version": nil}).Output("status", m{"version": "4.6.1"})},
			preview: []fixture.Want{advisory("status.version is not known until update")},
			update:  []fixture.Want{violation("chart 4.6.1 (status.version)", "version is not pinned")}},
		{name: "release version secret", rs: []*fixture.Res{release(m{"version": fixture.Secret("4.6.1")})}, target: "ingress",
			both: []fixture.Want{violation("chart [secret] (version)")}}, // a secret version is never shown
		{name: "release of another chart", rs: []*fixture.Res{release(m{"chart": "cert-manager", "version": "v1.0.0"})}, target: "ingress"},
		{name: "chart not known", rs: []*fixture.Res{release(m{"chart": fixture.Unknown})}, target: "ingress"},
		{name: "controller image", target: "ingress-nginx-controller-deployment",
			rs: []*fixture.Res{renderedController("k8s.gcr.io/ingress-nginx/controller:v1.11.4")},
			both: []fixture.Want{violation("runs ingress-nginx controller 1.11.4 (spec.template.spec.containers[0].image",
				"fixed in controller v1.11.5 and v1.12.1", "Set spec.template.spec.containers[0].image to k8s.gcr.io/ingress-nginx/controller:v1.11.5")}},
		{name: "controller image of a chart", target: "ingress-nginx-controller-deployment",
			rs: []*fixture.Res{fixture.R(kube.TypeHelmChart, "ingress-chart", m{}), renderedController(nginxImage181).Under("ingress-chart")},
			both: []fixture.Want{violation("controller 1.8.1",
				`Upgrade kubernetes:helm.sh/v3:Chart "ingress-chart", which renders this controller, to chart version 4.12.1`)}},
		{name: "controller image fixed", target: "ingress-nginx-controller-deployment",
			rs: []*fixture.Res{renderedController(nginxImage1121)}},
		{name: "controller image latest", target: "ingress-nginx-controller-deployment",
			rs:   []*fixture.Res{renderedController("registry.k8s.io/ingress-nginx/controller:latest")},
			both: []fixture.Want{advisory(`its tag "latest" is no version`)}},
		{name: "containers malformed", target: "ingress-nginx-controller-deployment",
			rs: []*fixture.Res{fixture.R(tDeployment, "ingress-nginx-controller-deployment", m{"metadata": m{"labels": controllerLabels},
				"spec": m{"template": m{"spec": m{"containers": "registry.k8s.io/ingress-nginx/controller:v1.8.1"}}}})}},
	})
}

func TestAllowlistOnHelmRelease(t *testing.T) {
	cfg := map[string]any{"ingressAllowList": l{allowCIDR}}
	runCases(t, LoadBalancerIngressAllowlist, []caseT{
		{name: "no ranges", cfg: cfg, rs: []*fixture.Res{nginxRelease(nil)}, target: "ingress",
			both: []fixture.Want{violation(`the ingress-nginx controller Service that kubernetes:helm.sh/v3:Release "ingress" installs admits 0.0.0.0/0`,
				"its values set neither values.controller.service.loadBalancerSourceRanges nor",
				"Set values.controller.service.loadBalancerSourceRanges to the ingress allowlist")}},
		{name: "range outside", cfg: cfg, target: "ingress",
			rs:   []*fixture.Res{nginxRelease(m{"values": aksValues(m{"loadBalancerSourceRanges": l{"198.51.100.0/24"}})})},
			both: []fixture.Want{violation("198.51.100.0/24 (values.controller.service.loadBalancerSourceRanges[0])", "outside the ingress allowlist")}},
		{name: "secret range outside", cfg: cfg, target: "ingress",
			rs:   []*fixture.Res{nginxRelease(m{"values": aksValues(m{"loadBalancerSourceRanges": l{fixture.Secret("198.51.100.0/24")}})})},
			both: []fixture.Want{violation("[secret] (values.controller.service.loadBalancerSourceRanges[0])")}},
		{name: "whitelist with cluster policy", cfg: cfg, target: "ingress",
			rs:   []*fixture.Res{nginxRelease(m{"values": m{"controller": m{"config": m{"whitelist-source-range": allowCIDR}}}})},
			both: []fixture.Want{violation(`values.controller.config["whitelist-source-range"] is set, but with values.controller.service.externalTrafficPolicy unset (Cluster)`)}},
		{name: "whitelist with a traffic policy not known", cfg: cfg, target: "ingress",
			rs: []*fixture.Res{nginxRelease(m{"values": m{"controller": m{"service": m{"externalTrafficPolicy": fixture.Unknown},
				"config": m{"whitelist-source-range": allowCIDR}}}})},
			both: []fixture.Want{advisory("values.controller.service.externalTrafficPolicy is not known until update")}},
		{name: "whitelist malformed", cfg: cfg, target: "ingress",
			rs: []*fixture.Res{nginxRelease(m{"values": m{"controller": m{"service": m{"externalTrafficPolicy": "Local"},
				"config": m{"whitelist-source-range": l{allowCIDR}}}}})},
			both: []fixture.Want{advisory("whitelist-source-range")}},
		{name: "secret whitelist outside with the proxy protocol", cfg: cfg, target: "ingress",
			rs: []*fixture.Res{nginxRelease(m{"values": m{"controller": m{
				"config": m{"whitelist-source-range": fixture.Secret("198.51.100.0/24"), "use-proxy-protocol": "true"}}}})},
			both: []fixture.Want{violation(`[secret] (values.controller.config["whitelist-source-range"])`, "outside the ingress allowlist")}},
		{name: "external service disabled", cfg: cfg, target: "ingress",
			rs: []*fixture.Res{nginxRelease(m{"values": aksValues(m{"external": m{"enabled": false}})})}},
		{name: "internal on gke", cfg: cfg, target: "ingress",
			rs: []*fixture.Res{nginxRelease(m{"values": aksValues(m{"annotations": m{kube.GKEType: "Internal"}})})}},
		{name: "nodeport", cfg: cfg, target: "ingress",
			rs:   []*fixture.Res{nginxRelease(m{"values": aksValues(m{"type": "NodePort"})})},
			both: []fixture.Want{advisory(`cannot be verified: values.controller.service.type is "NodePort"`, "every node's addresses")}},
		{name: "service disabled", cfg: cfg, target: "ingress",
			rs: []*fixture.Res{nginxRelease(m{"values": aksValues(m{"enabled": false})})}},
		{name: "enabled malformed", cfg: cfg, target: "ingress",
			rs:   []*fixture.Res{nginxRelease(m{"values": aksValues(m{"enabled": "no"})})},
			both: []fixture.Want{advisory("values.controller.service.enabled")}},
		{name: "values unknown", cfg: cfg, target: "ingress",
			rs:   []*fixture.Res{nginxRelease(m{"values": fixture.Unknown})},
			both: []fixture.Want{advisory("values is not known until update")}},
		{name: "annotation unknown", cfg: cfg, target: "ingress",
			rs:   []*fixture.Res{nginxRelease(m{"values": aksValues(m{"annotations": m{kube.AzureInternal: fixture.Unknown}})})},
			both: []fixture.Want{advisory("is not known until update")}},
		{name: "rendered nodeport controller", cfg: cfg, target: "ingress-nginx-controller",
			rs:   []*fixture.Res{renderedService(m{"type": "NodePort"}, nil)},
			both: []fixture.Want{advisory(`cannot be verified: spec.type is "NodePort"`)}},
		{name: "azure internal service", cfg: cfg, target: "ingress-nginx-controller",
			rs: []*fixture.Res{renderedService(nil, m{kube.AzureInternal: "true"})}},
		{name: "azure public service", cfg: cfg, target: "ingress-nginx-controller",
			rs:   []*fixture.Res{renderedService(nil, m{kube.AzureInternal: "false"})},
			both: []fixture.Want{violation("admits 0.0.0.0/0: it sets no spec.loadBalancerSourceRanges")}},
	})
}
