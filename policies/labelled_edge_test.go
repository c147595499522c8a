package policies

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/kube"
)

// Labelled cases of the Kubernetes edge on every platform (issues 19, 20,
// 21): the Azure and GKE internal load balancer annotations, ingress-nginx
// installed by Helm (the aks-hosted Release, the gke-hosted and byo-infra
// Charts of pulumi/pulumi-self-hosted-installers, each with a hardened
// twin), and the ingress-nginx version policy. labelledCases appends
// edgeCases.

const (
	nginxRepo       = "https://kubernetes.github.io/ingress-nginx"
	nginxImage181   = "registry.k8s.io/ingress-nginx/controller:v1.8.1@sha256:e5c4824e7375fcf2a393e1c03c293b69759af37a9ca6abdb91b13d78a93da8bd"
	nginxImage1121  = "registry.k8s.io/ingress-nginx/controller:v1.12.1@sha256:d2fbc4ec70d8aa2050dd91a91506e998765e86c96f32cffb56c503c9c34eed5b"
	srcAKS          = "aks-hosted 02-kubernetes/helm-nginx-ingress.ts: helm.v3.Release of ingress-nginx 4.6.1"
	srcGKE          = "gke-hosted 02-kubernetes/helmNginxIngress.ts: helm.v3.Chart of ingress-nginx 4.7.1, rendered children"
	srcBYO          = "byo-infra 02-kubernetes/helm-nginx-ingress.ts: helm.v3.Chart of ingress-nginx 4.2.5, controller.service.type NodePort"
	srcAzureLB      = "cloud-provider-azure requiresInternalLoadBalancer: azure-load-balancer-internal == \"true\""
	srcGKELB        = "GKE GetLoadBalancerAnnotationType: networking.gke.io/load-balancer-type, legacy cloud.google.com/load-balancer-type; Internal or internal"
	srcNginxVersion = "kubernetes/kubernetes issues 131005-131009: affected < v1.11.0, v1.11.0-1.11.4, v1.12.0; fixed v1.11.5, v1.12.1 (charts 4.11.5, 4.12.1)"
)

// aksValues are the values the aks-hosted installer gives its Release.
func aksValues(service m) m {
	linux := m{"kubernetes.io/os": "linux"}
	return m{"controller": m{"replicaCount": 1, "nodeSelector": linux,
		"admissionWebhooks": m{"patch": m{"nodeSelector": linux}},
		"service":           with(m{"externalTrafficPolicy": "Local", "loadBalancerIP": "20.51.10.20"}, service)},
		"defaultBackend": m{"nodeSelector": linux}}
}

// nginxRelease is the aks-hosted installer's helm.v3.Release with extra inputs.
func nginxRelease(extra m) *fixture.Res {
	return fixture.R(kube.TypeHelmRelease, "ingress", with(m{"chart": "ingress-nginx", "version": "4.6.1",
		"repositoryOpts": m{"repo": nginxRepo}, "namespace": "nginx-ingress", "values": aksValues(nil)}, extra))
}

// nginxChart is a helm.v3.Chart of ingress-nginx as a Python or YAML
// program registers it (inputs visible; the TypeScript SDK sends none).
func nginxChart(typ, version string, values m) *fixture.Res {
	return fixture.R(typ, "ingress-chart", m{"chart": "ingress-nginx", "version": version,
		"fetchOpts": m{"repo": nginxRepo}, "namespace": "nginx-ingress", "values": values})
}

var controllerLabels = m{"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller",
	"app.kubernetes.io/instance": "ingress-chart"}

// renderedService is the controller Service the chart renders.
func renderedService(spec m, annotations m) *fixture.Res {
	return fixture.R(tService, "ingress-nginx-controller", m{"metadata": m{"namespace": "nginx-ingress",
		"name": "ingress-chart-ingress-nginx-controller", "labels": controllerLabels, "annotations": annotations},
		"spec": with(m{"type": "LoadBalancer", "selector": controllerLabels,
			"ports": l{m{"name": "http", "port": 80, "targetPort": "http"}, m{"name": "https", "port": 443, "targetPort": "https"}}}, spec)})
}

// renderedController is the controller Deployment the chart renders.
func renderedController(image any) *fixture.Res {
	return fixture.R(tDeployment, "ingress-nginx-controller-deployment", m{"metadata": m{"namespace": "nginx-ingress",
		"name": "ingress-chart-ingress-nginx-controller", "labels": controllerLabels},
		"spec": m{"selector": m{"matchLabels": controllerLabels}, "template": m{"metadata": m{"labels": controllerLabels},
			"spec": m{"containers": l{m{"name": "controller", "image": image,
				"args": l{"/nginx-ingress-controller", "--election-id=ingress-chart-ingress-nginx-leader"}}}}}}})
}

func edgeCases() []lcase {
	allow := allowlistFor(allowCIDR)
	const (
		aLB = "load-balancer-ingress-allowlist"
		tls = "load-balancer-tls"
		ng  = "ingress-nginx-patched"
	)
	return []lcase{
		// Internal load balancers on Azure and GKE.
		{name: "aks service azure internal", source: srcAzureLB,
			rs:   []*fixture.Res{kService("api-lb", m{kube.AzureInternal: "true"}, nil)},
			cfg:  allow,
			want: labels{aLB: pass("an internal Azure load balancer is not judged for the allowlist"), tls: pass("no certificate")}},
		{name: "aks service azure internal false", source: srcAzureLB,
			rs:   []*fixture.Res{kService("api-lb", m{kube.AzureInternal: "false"}, nil)},
			cfg:  allow,
			want: labels{aLB: vio("a public Azure load balancer with no loadBalancerSourceRanges")}},
		{name: "aks service azure internal upper case", source: srcAzureLB + ": \"TRUE\" leaves it public",
			rs:   []*fixture.Res{kService("api-lb", m{kube.AzureInternal: "TRUE"}, nil)},
			cfg:  allow,
			want: labels{aLB: vio("the Azure provider compares with \"true\" exactly: public")}},
		{name: "aks service azure internal not known", source: srcAzureLB + "; value from an output",
			rs:  []*fixture.Res{kService("api-lb", m{kube.AzureInternal: fixture.Unknown}, nil)},
			cfg: allow,
			want: labels{aLB: unv("whether it is internal is not known until update"),
				tls: unv("the same annotation is read to judge the edge")}},
		{name: "aks service azure internal malformed", source: srcAzureLB + "; a boolean where a string is expected",
			rs:   []*fixture.Res{kService("api-lb", m{kube.AzureInternal: true}, nil)},
			cfg:  allow,
			want: labels{aLB: unv("the annotation is not a string"), tls: unv("the same annotation is malformed")}},
		{name: "aks service azure public with allowlisted ranges", source: srcAzureLB + "; Kubernetes loadBalancerSourceRanges",
			rs:   []*fixture.Res{kService("api-lb", nil, m{"loadBalancerSourceRanges": l{allowCIDR}})},
			cfg:  allow,
			want: labels{aLB: pass("loadBalancerSourceRanges inside the allowlist")}},
		{name: "gke service internal", source: srcGKELB,
			rs:   []*fixture.Res{kService("api-lb", m{kube.GKEType: "Internal"}, nil)},
			cfg:  allow,
			want: labels{aLB: pass("an internal passthrough load balancer")}},
		{name: "gke service legacy internal lowercase", source: srcGKELB,
			rs:   []*fixture.Res{kService("api-lb", m{kube.GKELegacyType: "internal"}, nil)},
			cfg:  allow,
			want: labels{aLB: pass("the deprecated key and spelling still make it internal")}},
		{name: "gke service new key external over legacy internal", source: srcGKELB + ": the first key set decides",
			rs:   []*fixture.Res{kService("api-lb", m{kube.GKEType: "External", kube.GKELegacyType: "Internal"}, nil)},
			cfg:  allow,
			want: labels{aLB: vio("networking.gke.io/load-balancer-type External decides: public")}},

		// aks-hosted: ingress-nginx as a helm.v3.Release.
		{name: "aks installer ingress-nginx release", source: srcAKS,
			rs:  []*fixture.Res{nginxRelease(nil)},
			cfg: allow,
			want: labels{aLB: vio("the controller Service is a public LoadBalancer without loadBalancerSourceRanges"),
				ng: vio("chart 4.6.1 predates the fixes for CVE-2025-1974")}},
		{name: "aks installer release with its ip from an output", source: srcAKS + "; loadBalancerIP from the infrastructure stack",
			rs:  []*fixture.Res{nginxRelease(m{"values": aksValues(m{"loadBalancerIP": fixture.Unknown})})},
			cfg: allow,
			want: labels{aLB: vio("an unknown loadBalancerIP does not hide the missing ranges"),
				ng: vio("chart 4.6.1")}},
		{name: "aks installer release hardened", source: srcAKS + ", hardened twin: chart 4.12.1 and loadBalancerSourceRanges",
			rs: []*fixture.Res{nginxRelease(m{"version": "4.12.1",
				"values": aksValues(m{"loadBalancerSourceRanges": l{allowCIDR}})})},
			cfg:  allow,
			want: labels{aLB: pass("loadBalancerSourceRanges inside the allowlist"), ng: pass("chart 4.12.1 is fixed")}},
		{name: "release with the controller allowlist and local traffic", source: srcAKS + "; ingress-nginx ConfigMap whitelist-source-range",
			rs: []*fixture.Res{nginxRelease(m{"version": "4.11.5", "values": with(aksValues(nil),
				m{"controller": m{"service": m{"externalTrafficPolicy": "Local"}, "config": m{"whitelist-source-range": allowCIDR}}})})},
			cfg:  allow,
			want: labels{aLB: pass("nginx admits the allowlist and sees clients' addresses"), ng: pass("chart 4.11.5 is fixed")}},
		{name: "release with the controller allowlist and cluster traffic", source: srcAKS + "; whitelist-source-range with externalTrafficPolicy Cluster",
			rs: []*fixture.Res{nginxRelease(m{"version": "4.12.1", "values": m{"controller": m{
				"config": m{"whitelist-source-range": allowCIDR}}}})},
			cfg:  allow,
			want: labels{aLB: vio("nginx sees node addresses: the allowlist restricts no client")}},
		{name: "release with an azure internal controller", source: srcAKS + "; " + srcAzureLB,
			rs: []*fixture.Res{nginxRelease(m{"version": "4.12.1",
				"values": aksValues(m{"annotations": m{kube.AzureInternal: "true"}})})},
			cfg:  allow,
			want: labels{aLB: pass("an internal Azure load balancer")}},
		{name: "release with ranges outside the allowlist", source: srcAKS,
			rs: []*fixture.Res{nginxRelease(m{"version": "4.12.1",
				"values": aksValues(m{"loadBalancerSourceRanges": l{"0.0.0.0/0"}})})},
			cfg:  allow,
			want: labels{aLB: vio("0.0.0.0/0 is outside the allowlist")}},
		{name: "release values not known", source: srcAKS + "; values from an output",
			rs:   []*fixture.Res{nginxRelease(m{"version": "4.12.1", "values": fixture.Unknown})},
			cfg:  allow,
			want: labels{aLB: unv("the values are not known until update")}},
		{name: "release values malformed", source: srcAKS + "; values given as a YAML string",
			rs:   []*fixture.Res{nginxRelease(m{"version": "4.12.1", "values": "controller:\n  service: {}\n"})},
			cfg:  allow,
			want: labels{aLB: unv("values is a string, not an object")}},
		{name: "release source ranges malformed", source: srcAKS + "; loadBalancerSourceRanges as one string",
			rs: []*fixture.Res{nginxRelease(m{"version": "4.12.1",
				"values": aksValues(m{"loadBalancerSourceRanges": allowCIDR})})},
			cfg:  allow,
			want: labels{aLB: unv("loadBalancerSourceRanges is not a list")}},
		{name: "release nested values malformed", source: srcAKS + "; controller.service as a list",
			rs:   []*fixture.Res{nginxRelease(m{"version": "4.12.1", "values": m{"controller": m{"service": l{"x"}}}})},
			cfg:  allow,
			want: labels{aLB: unv("controller.service is not an object")}},
		{name: "release with a nodeport controller", source: srcAKS + "; controller.service.type NodePort",
			rs:   []*fixture.Res{nginxRelease(m{"version": "4.12.1", "values": aksValues(m{"type": "NodePort"})})},
			cfg:  allow,
			want: labels{aLB: unv("a NodePort is open on the nodes, which the stack does not show")}},
		{name: "release with a clusterip controller", source: srcAKS + "; controller.service.type ClusterIP",
			rs:   []*fixture.Res{nginxRelease(m{"version": "4.12.1", "values": aksValues(m{"type": "ClusterIP"})})},
			cfg:  allow,
			want: labels{aLB: pass("no Service reachable from outside the cluster")}},
		{name: "release with values files", source: srcAKS + "; valueYamlFiles (a FileAsset) the pack cannot read",
			rs: []*fixture.Res{nginxRelease(m{"version": "4.12.1", "values": m{"controller": m{"replicaCount": 2}},
				"valueYamlFiles": l{m{"path": "./ingress-values.yaml"}}})},
			cfg:  allow,
			want: labels{aLB: unv("the files may set the ranges")}},
		{name: "release of f5 nginx-ingress", source: "F5 NGINX's chart nginx-ingress: another product",
			rs: []*fixture.Res{fixture.R(kube.TypeHelmRelease, "ingress", m{"chart": "nginx-ingress", "version": "0.17.1",
				"repositoryOpts": m{"repo": "https://helm.nginx.com/stable"}})},
			cfg:  allow,
			want: labels{aLB: pass("not ingress-nginx"), ng: pass("not ingress-nginx")}},

		// The version policy on Releases.
		{name: "release version by repository alias", source: srcNginxVersion + "; chart \"ingress-nginx/ingress-nginx\"",
			rs: []*fixture.Res{nginxRelease(m{"chart": "ingress-nginx/ingress-nginx", "version": "4.11.4",
				"values": aksValues(m{"loadBalancerSourceRanges": l{allowCIDR}})})},
			cfg:  allow,
			want: labels{ng: vio("chart 4.11.4: fixed in 4.11.5")}},
		{name: "release version a range", source: srcNginxVersion + "; Helm accepts semver ranges",
			rs: []*fixture.Res{nginxRelease(m{"version": "^4.12.0",
				"values": aksValues(m{"loadBalancerSourceRanges": l{allowCIDR}})})},
			cfg:  allow,
			want: labels{ng: unv("a range: Helm picks the chart at install time")}},
		{name: "release version not known", source: srcNginxVersion + "; version from an output",
			rs: []*fixture.Res{nginxRelease(m{"version": fixture.Unknown,
				"values": aksValues(m{"loadBalancerSourceRanges": l{allowCIDR}})})},
			cfg:  allow,
			want: labels{ng: unv("not known until update")}},
		{name: "release version malformed", source: srcNginxVersion + "; version as a number",
			rs: []*fixture.Res{nginxRelease(m{"version": 4.7,
				"values": aksValues(m{"loadBalancerSourceRanges": l{allowCIDR}})})},
			cfg:  allow,
			want: labels{ng: unv("version is not a string")}},
		{name: "release version not pinned", source: srcNginxVersion + "; no version: the newest chart at install",
			rs: []*fixture.Res{nginxRelease(m{"version": nil,
				"values": aksValues(m{"loadBalancerSourceRanges": l{allowCIDR}})})},
			cfg:  allow,
			want: labels{ng: unv("not pinned and no status: which chart was installed is not known")}},
		{name: "release version not pinned with an old install", source: srcNginxVersion + "; status.version reports what the provider installed",
			rs: []*fixture.Res{nginxRelease(m{"version": nil,
				"values": aksValues(m{"loadBalancerSourceRanges": l{allowCIDR}})}).Output("status", m{"version": "4.6.1", "appVersion": "1.7.1"})},
			cfg:  allow,
			want: labels{ng: vio("status.version 4.6.1 (deferred in preview: not known until update)")}},

		// gke-hosted: a helm.v3.Chart whose rendered objects are its children.
		{name: "gke installer ingress-nginx chart", source: srcGKE,
			rs: []*fixture.Res{nginxChart(kube.TypeHelmChart, "4.7.1", m{"controller": m{"replicaCount": 2}}),
				renderedService(nil, nil).Under("ingress-chart"), renderedController(nginxImage181).Under("ingress-chart")},
			cfg: allow,
			want: labels{aLB: vio("the rendered controller Service admits 0.0.0.0/0: one finding, on the Service"),
				ng: vio("chart 4.7.1: one finding, on the chart, not again on its controller")}},
		{name: "gke installer chart from the typescript sdk", source: srcGKE + "; @pulumi/kubernetes registers the v3 Chart with no inputs",
			rs: []*fixture.Res{fixture.R(kube.TypeHelmChart, "ingress-chart", m{}),
				renderedService(nil, nil).Under("ingress-chart"), renderedController(nginxImage181).Under("ingress-chart")},
			cfg: allow,
			want: labels{aLB: vio("the rendered controller Service admits 0.0.0.0/0"),
				ng: vio("the rendered controller image v1.8.1, whose fix names the chart")}},
		{name: "gke installer chart hardened", source: srcGKE + ", hardened twin: chart 4.12.1, GKE-internal Service",
			rs: []*fixture.Res{nginxChart(kube.TypeHelmChart, "4.12.1", m{"controller": m{"service": m{"annotations": m{kube.GKEType: "Internal"}}}}),
				renderedService(nil, m{kube.GKEType: "Internal"}).Under("ingress-chart"), renderedController(nginxImage1121).Under("ingress-chart")},
			cfg:  allow,
			want: labels{aLB: pass("an internal load balancer"), ng: pass("chart 4.12.1")}},
		{name: "v4 chart unpinned with its controller rendered", source: srcGKE + "; helm.sh/v4:Chart, version unset",
			rs: []*fixture.Res{nginxChart(kube.TypeHelmChartV4, "", nil),
				renderedService(m{"loadBalancerSourceRanges": l{allowCIDR}}, nil).Under("ingress-chart"),
				renderedController(nginxImage1121).Under("ingress-chart")},
			cfg:  allow,
			want: labels{aLB: pass("the rendered Service admits the allowlist"), ng: pass("the rendered image v1.12.1 decides")}},
		{name: "v4 chart old", source: srcNginxVersion + "; helm.sh/v4:Chart",
			rs: []*fixture.Res{nginxChart(kube.TypeHelmChartV4, "4.12.0", nil),
				renderedService(m{"loadBalancerSourceRanges": l{allowCIDR}}, nil).Under("ingress-chart")},
			cfg:  allow,
			want: labels{ng: vio("chart 4.12.0: fixed in 4.12.1")}},
		{name: "controller image pinned by digest only", source: srcNginxVersion + "; image without a tag",
			rs:   []*fixture.Res{renderedController("registry.k8s.io/ingress-nginx/controller@sha256:e5c4824e7375fcf2a393e1c03c293b69759af37a9ca6abdb91b13d78a93da8bd")},
			want: labels{ng: unv("a digest alone names no version")}},
		{name: "controller image not known", source: srcNginxVersion + "; image from an output, controller labels",
			rs: []*fixture.Res{renderedController(fixture.Unknown)},
			want: func() labels {
				// The container policies cannot tell either what an image not
				// known until update runs (the API, the Console, ...).
				lb := labels{ng: unv("the image is not known until update")}
				for _, p := range []string{"api-tls", "captcha-configured", "console-tls",
					"container-secrets-not-in-environment", "database-tls", "network-policies-between-tiers", "smtp-configured"} {
					lb[p] = unv("which program the image runs is not known until update")
				}
				return lb
			}()},
		{name: "controller image old on k8s.gcr.io", source: srcNginxVersion + "; the registry before registry.k8s.io",
			rs:   []*fixture.Res{renderedController("k8s.gcr.io/ingress-nginx/controller:v1.1.1")},
			want: labels{ng: vio("controller v1.1.1")}},

		// byo-infra: the controller as a NodePort from a rendered chart.
		{name: "byo installer nodeport controller", source: srcBYO,
			rs: []*fixture.Res{fixture.R(kube.TypeHelmChart, "ingress-chart", m{}),
				renderedService(m{"type": "NodePort"}, nil).Under("ingress-chart"), renderedController(nginxImage181).Under("ingress-chart")},
			cfg: allow,
			want: labels{aLB: unv("open on every node; whether the internet reaches the nodes is not in the stack"),
				ng: vio("controller v1.8.1")}},
		{name: "byo installer hardened twin", source: srcBYO + ", hardened twin: a LoadBalancer with the allowlist, controller v1.12.1",
			rs: []*fixture.Res{fixture.R(kube.TypeHelmChart, "ingress-chart", m{}),
				renderedService(m{"loadBalancerSourceRanges": l{allowCIDR}}, nil).Under("ingress-chart"),
				renderedController(nginxImage1121).Under("ingress-chart")},
			cfg:  allow,
			want: labels{aLB: pass("the allowlist"), ng: pass("controller v1.12.1")}},
		{name: "nodeport service of an application", source: "AWS Load Balancer Controller instance targets: NodePort backends",
			rs: []*fixture.Res{fixture.R(tService, "pulumi-api", m{"metadata": m{"namespace": "pulumi", "name": "pulumi-api"},
				"spec": m{"type": "NodePort", "ports": l{m{"port": 80, "targetPort": 8080}}}})},
			cfg:  allow,
			want: labels{aLB: pass("a backend NodePort is not the cluster's edge")}},
	}
}
