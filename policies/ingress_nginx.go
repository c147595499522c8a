package policies

import (
	"fmt"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/kube"
	"github.com/selfhosted-hardening/selfhosted-hardening/kube/ingressnginx"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// BeyondGuide is the section of the policies that go beyond the hardening
// guide. The pack's framework is the guide, so it is filed under the
// guide's network section (the ingress controller is where the guide puts
// the ingress allowlist), and its reason says that the guide does not ask
// for it.
var BeyondGuide = policy.Section{
	Tag:   Network.Tag,
	Title: Network.Title,
	URL:   Network.URL,
	Why: "beyond the hardening guide, whose network section puts the ingress allowlist on the ingress " +
		"controller: that controller has published critical vulnerabilities (the advisory: " +
		"https://kubernetes.io/blog/2025/03/24/ingress-nginx-cve-2025-1974/), fixed in later releases",
}

// IngressNginxPatched reports ingress-nginx charts and controller images
// older than the releases that fixed the advisories of
// kube/ingressnginx/advisories.json.
var IngressNginxPatched = &policy.Policy{
	Name:        "ingress-nginx-patched",
	DisplayName: "The ingress-nginx controller has the fixes for its critical advisories",
	Description: "Beyond the hardening guide: ingress-nginx Helm charts (kubernetes:helm.sh/v3:Release, " +
		"helm.sh/v3:Chart and helm.sh/v4:Chart whose chart is ingress-nginx: their version) and ingress-nginx " +
		"controller images (registry.k8s.io or k8s.gcr.io ingress-nginx/controller:vX, on the Deployments and " +
		"DaemonSets a chart renders or a program declares) are not older than the releases that fixed " +
		"CVE-2025-1974 (IngressNightmare, unauthenticated remote code execution) and CVE-2025-1097, " +
		"CVE-2025-1098, CVE-2025-24513 and CVE-2025-24514: controller v1.11.5 or v1.12.1, chart 4.11.5 or " +
		"4.12.1, or later. A chart without a pinned version (or with a range) cannot be verified, unless the " +
		"release reports the version it installed (status.version, after an update) or the controller image " +
		"it renders is in the stack.",
	Section:   BeyondGuide,
	Reference: refNetwork + " (beyond the guide: the ingress controller's security advisory of 2025-03-24)",
	Level:     policy.Mandatory,
	Severity:  policy.Critical,
	Remediation: "Upgrade ingress-nginx: set the chart's version to 4.12.1 or later (4.11.5 on the 4.11 line), " +
		"or the controller image to registry.k8s.io/ingress-nginx/controller:v1.12.1 or later (v1.11.5 on the " +
		"1.11 line), and run pulumi up.",
	Stack: checkIngressNginx,
}

func checkIngressNginx(ctx *policy.StackContext) {
	g := ctx.Graph
	// Charts whose rendered controller is in the stack: their children's
	// images decide when the chart's own version does not.
	rendered := map[*graph.Resource]bool{}
	type image struct {
		w, chart *graph.Resource // the workload, and the chart that renders it (or nil)
		imageRef
	}
	var images []image
	for _, w := range g.OfType(kube.Types...) {
		base, _ := kube.PodSpecPath(w.Type)
		refs := controllerImages(ctx.Read(w), base)
		if len(refs) == 0 {
			continue
		}
		c := kube.ParentChart(g, w)
		if c != nil {
			rendered[c] = true
		}
		for _, ref := range refs {
			images = append(images, image{w, c, ref})
		}
	}
	judged := map[*graph.Resource]bool{} // charts whose own version decided
	for _, c := range g.OfType(kube.HelmTypes...) {
		if !kube.IsIngressNginx(c) {
			continue
		}
		if chartVersion(ctx, c, rendered[c]) {
			judged[c] = true
		}
	}
	for _, im := range images {
		if im.chart != nil && judged[im.chart] {
			continue // one finding per install: the chart's
		}
		judgeImage(ctx, im.w, im.ref, im.at, im.chart)
	}
}

// imageRef is a controller image a workload runs, and where.
type imageRef struct{ ref, at string }

// controllerImages returns the ingress-nginx controller images of a
// workload's containers. An image not known until update is noted only on
// a workload labelled as the ingress-nginx controller.
func controllerImages(rd policy.Reader, base string) []imageRef {
	var out []imageRef
	p := base + ".containers"
	v := rd.Value(p)
	controller := func() bool {
		labels := map[string]string{}
		for _, lp := range []string{"metadata.labels", strings.TrimSuffix(base, "spec") + "metadata.labels"} {
			for _, k := range rd.Value(lp).Keys() {
				if s, ok := rd.Value(lp).Get(props.Path{{Key: k}}).Str(); ok {
					labels[k] = s
				}
			}
		}
		return kube.IsIngressNginxController(labels)
	}
	switch v.Kind() {
	case props.Array:
	case props.Unknown:
		if controller() {
			rd.NoteUnknown(p)
		}
		return nil
	default:
		return nil // absent or malformed: the container policies report the shape
	}
	for i := 0; i < v.Len(); i++ {
		at := fmt.Sprintf("%s[%d].image", p, i)
		img := rd.Value(at)
		if s, ok := img.Str(); ok {
			if _, ok := ingressnginx.ParseImage(s); ok {
				out = append(out, imageRef{s, at})
			}
		} else if img.IsUnknown() && controller() {
			rd.NoteUnknown(at)
		}
	}
	return out
}

// chartVersion judges a chart's version input; it returns false when the
// chart's rendered controller decides instead (no version, or a range,
// with its controller image in the stack).
func chartVersion(ctx *policy.StackContext, c *graph.Resource, rendered bool) bool {
	rd := ctx.Read(c)
	v, st := rd.String("version")
	if st == policy.Known && strings.TrimSpace(v) == "" {
		st = policy.Absent
	}
	switch st {
	case policy.Unknown, policy.Invalid:
		return true // noted
	case policy.Known:
		if ver, ok := ingressnginx.ParseVersion(v); ok {
			judgeChart(ctx, c, ver, "version", "")
			return true
		}
		if rendered {
			return false
		}
		ctx.UnverifiableFixf(c, pinFix(c), "cannot be verified: version %q of the ingress-nginx chart is a range, "+
			"so Helm installs the newest chart it matches at each install or upgrade, and the stack does not say "+
			"which that was", v)
		return true
	}
	if c.Type == kube.TypeHelmRelease {
		// The provider reports what it installed (pulumi up, or the state
		// a preview starts from).
		status := c.Outputs.Get(pStatusVersion)
		if s, ok := status.Str(); ok {
			if ver, ok := ingressnginx.ParseVersion(s); ok {
				judgeChart(ctx, c, ver, "status.version",
					"version is not pinned, so the next install or upgrade may take another chart")
				return true
			}
		}
		if status.IsUnknown() {
			rd.NoteUnknown("status.version") // the preview of a release to install
			return true
		}
	}
	if rendered {
		return false
	}
	ctx.UnverifiableFixf(c, pinFix(c), "cannot be verified: version is not set, so Helm installs the newest "+
		"ingress-nginx chart at the time of each install or upgrade, and the stack does not say which that was")
	return true
}

var pStatusVersion = props.MustPath("status.version")

func pinFix(c *graph.Resource) string {
	fixed := latestFixed(ingressnginx.Chart)
	return fmt.Sprintf("Pin version of %s to %s or later (a chart with the fixes for %s), so the pack can judge it "+
		"and every install gets it.", c.Label(), fixed, strings.Join(allCVEs(), ", "))
}

// judgeChart reports a chart version affected by an advisory; where is the
// property it was read from, and note what else to say.
func judgeChart(ctx *policy.StackContext, c *graph.Resource, v ingressnginx.Version, where, note string) {
	for _, f := range ingressnginx.Embedded.Affected(ingressnginx.Chart, v) {
		controller := pairedController(f)
		extra := ""
		if note != "" {
			extra = "; " + note
		}
		ctx.ViolationFixf(c, fmt.Sprintf("Set version of %s to %q or later (it deploys controller v%s) and run "+
			"pulumi up.", c.Label(), f.Upgrade, controller),
			"%s installs ingress-nginx chart %s (%s), affected by %s; fixed in chart %s (controller %s)%s",
			c.Label(), v, where, describeAdvisory(f.Advisory), strings.Join(f.Advisory.ChartFixed, " and "),
			vList(f.Advisory.ControllerFixed), extra)
	}
}

// judgeImage reports a controller image affected by an advisory, naming
// the chart that renders it, if any.
func judgeImage(ctx *policy.StackContext, w *graph.Resource, ref, at string, chart *graph.Resource) {
	img, _ := ingressnginx.ParseImage(ref)
	v, ok := ingressnginx.ParseVersion(img.Tag)
	if !ok {
		what := fmt.Sprintf("its tag %q is no version", img.Tag)
		if img.Tag == "" {
			what = "it is pinned by digest only"
		}
		ctx.UnverifiableFixf(w, fmt.Sprintf("Give %s the tag of its release (e.g. %s:v%s@sha256:...), so the pack "+
			"can judge it.", at, img.Repository, latestFixed(ingressnginx.Controller)),
			"cannot be verified: %s runs the ingress-nginx controller image %s (%s), and %s", w.Label(), ref, at, what)
		return
	}
	for _, f := range ingressnginx.Embedded.Affected(ingressnginx.Controller, v) {
		fix := fmt.Sprintf("Set %s to %s:v%s (or later) and run pulumi up.", at, img.Repository, f.Upgrade)
		if chart != nil {
			fix = fmt.Sprintf("Upgrade %s, which renders this controller, to chart version %s or later (it deploys "+
				"controller v%s), and run pulumi up.", chart.Label(), pairedChart(f), f.Upgrade)
		}
		ctx.ViolationFixf(w, fix, "%s runs ingress-nginx controller %s (%s, %s), affected by %s; fixed in "+
			"controller %s", w.Label(), v, at, ref, describeAdvisory(f.Advisory), vList(f.Advisory.ControllerFixed))
	}
}

// describeAdvisory names an advisory's CVEs, the first with its summary.
func describeAdvisory(a ingressnginx.Advisory) string {
	first := a.CVEs[0]
	s := first.ID
	if a.Name != "" {
		s += " (" + a.Name
		if first.CVSS > 0 {
			s += fmt.Sprintf(", CVSS %.1f", first.CVSS)
		}
		s += ": " + first.Summary + ")"
	}
	if ids := a.IDs()[1:]; len(ids) > 0 {
		s += " and " + strings.Join(ids, ", ")
	}
	return s
}

// pairedController is the controller release the fixed chart f.Upgrade
// deploys: the advisory lists both in the same order.
func pairedController(f ingressnginx.Finding) string {
	for i, c := range f.Advisory.ChartFixed {
		if c == f.Upgrade && i < len(f.Advisory.ControllerFixed) {
			return f.Advisory.ControllerFixed[i]
		}
	}
	return f.Advisory.ControllerFixed[len(f.Advisory.ControllerFixed)-1]
}

// pairedChart is the chart release that deploys the fixed controller
// f.Upgrade.
func pairedChart(f ingressnginx.Finding) string {
	for i, c := range f.Advisory.ControllerFixed {
		if c == f.Upgrade && i < len(f.Advisory.ChartFixed) {
			return f.Advisory.ChartFixed[i]
		}
	}
	return f.Advisory.ChartFixed[len(f.Advisory.ChartFixed)-1]
}

func vList(vs []string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = "v" + v
	}
	return strings.Join(out, " and ")
}

// latestFixed is the newest fixed version of kind k over the table.
func latestFixed(k ingressnginx.Kind) string {
	var best ingressnginx.Version
	for _, a := range ingressnginx.Embedded.Advisories {
		for _, s := range a.Fixed(k) {
			if v, _ := ingressnginx.ParseVersion(s); v.Compare(best) > 0 {
				best = v
			}
		}
	}
	return best.String()
}

func allCVEs() []string {
	var out []string
	for _, a := range ingressnginx.Embedded.Advisories {
		out = append(out, a.IDs()...)
	}
	return out
}
