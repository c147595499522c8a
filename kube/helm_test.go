package kube_test

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/kube"
)

func TestChartName(t *testing.T) {
	for chart, want := range map[string]string{
		"ingress-nginx":                                   "ingress-nginx",
		" ingress-nginx/ingress-nginx ":                   "ingress-nginx",
		"oci://registry.example.com/charts/ingress-nginx": "ingress-nginx",
		"https://github.com/kubernetes/ingress-nginx/releases/download/helm-chart-4.7.1/ingress-nginx-4.7.1.tgz": "ingress-nginx",
		"./charts/ingress-nginx/":                  "ingress-nginx",
		"nginx-ingress":                            "nginx-ingress",
		"nginx-stable/nginx-ingress":               "nginx-ingress",
		"ingress-nginx-internal":                   "ingress-nginx-internal",
		"oci://r.example.com/ingress-nginx:4.12.1": "ingress-nginx",
		"": "",
	} {
		if got := kube.ChartName(chart); got != want {
			t.Errorf("ChartName(%q) = %q, want %q", chart, got, want)
		}
	}
}

func TestIsIngressNginxController(t *testing.T) {
	if !kube.IsIngressNginxController(map[string]string{"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller"}) {
		t.Error("the chart's controller labels are not recognised")
	}
	for _, labels := range []map[string]string{nil, {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "admission-webhook"},
		{"app.kubernetes.io/name": "pulumi-api", "app.kubernetes.io/component": "controller"}} {
		if kube.IsIngressNginxController(labels) {
			t.Errorf("%v recognised as the controller", labels)
		}
	}
}
