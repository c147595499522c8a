package ingressnginx_test

import (
	"slices"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/kube/ingressnginx"
)

func TestEmbeddedTableIsTheMarch2025Advisory(t *testing.T) {
	if len(ingressnginx.Embedded.Advisories) == 0 {
		t.Fatal("no advisory in advisories.json")
	}
	a := ingressnginx.Embedded.Advisories[0]
	for _, id := range []string{"CVE-2025-1974", "CVE-2025-1097", "CVE-2025-1098", "CVE-2025-24513", "CVE-2025-24514"} {
		if !slices.Contains(a.IDs(), id) {
			t.Errorf("advisory %q lacks %s", a.Name, id)
		}
	}
	if !slices.Equal(a.ControllerFixed, []string{"1.11.5", "1.12.1"}) || !slices.Equal(a.ChartFixed, []string{"4.11.5", "4.12.1"}) {
		t.Errorf("fixed versions: controller %v, chart %v", a.ControllerFixed, a.ChartFixed)
	}
}

func TestAffected(t *testing.T) {
	for _, c := range []struct {
		kind    ingressnginx.Kind
		version string
		upgrade string // "" when not affected
	}{
		// The advisory's affected versions: < v1.11.0, v1.11.0 - 1.11.4, v1.12.0.
		{ingressnginx.Controller, "v1.8.1", "1.12.1"},
		{ingressnginx.Controller, "0.49.3", "1.12.1"},
		{ingressnginx.Controller, "v1.11.0", "1.11.5"},
		{ingressnginx.Controller, "v1.11.4", "1.11.5"},
		{ingressnginx.Controller, "v1.12.0", "1.12.1"},
		{ingressnginx.Controller, "v1.12.1-beta.0", "1.12.1"},
		{ingressnginx.Controller, "v1.11.5", ""},
		{ingressnginx.Controller, "v1.11.9", ""},
		{ingressnginx.Controller, "v1.12.1", ""},
		{ingressnginx.Controller, "v1.13.0", ""},
		{ingressnginx.Controller, "v2.0.0", ""},
		// The installers' charts: 4.2.5 (byo-infra), 4.6.1 (aks-hosted), 4.7.1 (gke-hosted).
		{ingressnginx.Chart, "4.2.5", "4.12.1"},
		{ingressnginx.Chart, "4.6.1", "4.12.1"},
		{ingressnginx.Chart, "4.7.1", "4.12.1"},
		{ingressnginx.Chart, "4.11.4", "4.11.5"},
		{ingressnginx.Chart, "4.12.0", "4.12.1"},
		{ingressnginx.Chart, "3.31.0", "4.12.1"},
		{ingressnginx.Chart, "4.11.5", ""},
		{ingressnginx.Chart, "4.12.1", ""},
		{ingressnginx.Chart, "4.13.2", ""},
	} {
		v, ok := ingressnginx.ParseVersion(c.version)
		if !ok {
			t.Fatalf("%s: not parsed", c.version)
		}
		fs := ingressnginx.Embedded.Affected(c.kind, v)
		switch {
		case c.upgrade == "" && len(fs) > 0:
			t.Errorf("%s: affected by %s, want fixed", c.version, fs[0].Advisory.Name)
		case c.upgrade != "" && len(fs) == 0:
			t.Errorf("%s: fixed, want affected (upgrade to %s)", c.version, c.upgrade)
		case c.upgrade != "" && fs[0].Upgrade != c.upgrade:
			t.Errorf("%s: upgrade to %s, want %s", c.version, fs[0].Upgrade, c.upgrade)
		}
	}
}

// TestTheTableDrivesTheVerdict: the same version is judged by whatever the
// table says, so a new advisory is a new entry, not new code.
func TestTheTableDrivesTheVerdict(t *testing.T) {
	v, _ := ingressnginx.ParseVersion("v1.12.1")
	if fs := ingressnginx.Embedded.Affected(ingressnginx.Controller, v); len(fs) != 0 {
		t.Fatalf("v1.12.1 affected by the embedded table: %v", fs)
	}
	later, err := ingressnginx.Parse([]byte(`{"advisories": [{"name": "later", "url": "https://example.com",
		"cves": [{"id": "CVE-2026-0001", "summary": "s", "url": "https://example.com"}],
		"controllerFixed": ["1.13.7", "1.14.3"], "chartFixed": ["4.13.7", "4.14.3"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	fs := later.Affected(ingressnginx.Controller, v)
	if len(fs) != 1 || fs[0].Upgrade != "1.14.3" || fs[0].Advisory.CVEs[0].ID != "CVE-2026-0001" {
		t.Errorf("v1.12.1 under a table fixed in 1.13.7/1.14.3: %+v", fs)
	}
	if fs := (ingressnginx.Table{}).Affected(ingressnginx.Controller, v); len(fs) != 0 {
		t.Errorf("an empty table reports %v", fs)
	}
}

func TestParseRefusesMalformedTables(t *testing.T) {
	for name, doc := range map[string]string{
		"not json":        `{`,
		"no cves":         `{"advisories": [{"name": "x", "controllerFixed": ["1.0.0"], "chartFixed": ["4.0.0"]}]}`,
		"range as fixed":  `{"advisories": [{"name": "x", "cves": [{"id": "c"}], "controllerFixed": ["^1.0"], "chartFixed": ["4.0.0"]}]}`,
		"no chart fixes":  `{"advisories": [{"name": "x", "cves": [{"id": "c"}], "controllerFixed": ["1.0.0"]}]}`,
		"wrong type list": `{"advisories": {"name": "x"}}`,
	} {
		if _, err := ingressnginx.Parse([]byte(doc)); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

func TestParseVersion(t *testing.T) {
	for s, want := range map[string]bool{
		"4.7.1": true, "v1.8.1": true, " v1.12.0-beta.0 ": true, "1.2.3+build.5": true,
		"^4.7.0": false, "4.x": false, ">=4.11.5": false, "4.7": false, "": false, "latest": false, "1.2.-3": false,
		"~4.7.1": false, "4.7.1 || 4.8.0": false,
	} {
		if _, ok := ingressnginx.ParseVersion(s); ok != want {
			t.Errorf("ParseVersion(%q) ok = %v, want %v", s, ok, want)
		}
	}
}

func TestParseImage(t *testing.T) {
	for ref, want := range map[string]string{
		"registry.k8s.io/ingress-nginx/controller:v1.8.1@sha256:e5c4824e7375fcf2a393e1c03c293b69759af37a9ca6abdb91b13d78a93da8bd": "v1.8.1",
		"k8s.gcr.io/ingress-nginx/controller:v1.2.1":                               "v1.2.1",
		"registry.k8s.io/ingress-nginx/controller-chroot:v1.12.1":                  "v1.12.1",
		"myregistry.azurecr.io/ingress-nginx/controller:v1.11.3":                   "v1.11.3",
		"registry.k8s.io/ingress-nginx/controller@sha256:e5c4824e7375fcf2a393e1c0": "",
		"quay.io/kubernetes-ingress-controller/nginx-ingress-controller:0.35.0":    "0.35.0",
		"localhost:5000/ingress-nginx/controller:v1.12.0":                          "v1.12.0",
	} {
		img, ok := ingressnginx.ParseImage(ref)
		if !ok || img.Tag != want {
			t.Errorf("ParseImage(%q) = %+v, %v; want tag %q", ref, img, ok, want)
		}
	}
	for _, ref := range []string{"nginx/nginx-ingress:3.4.0", "nginx:1.27", "registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.4.1",
		"pulumi/service:20251101", ""} {
		if img, ok := ingressnginx.ParseImage(ref); ok {
			t.Errorf("ParseImage(%q) = %+v, want no controller image", ref, img)
		}
	}
}
