// Package ingressnginx judges versions of the ingress-nginx controller and
// of its Helm chart against the project's security advisories. The
// advisories are data (advisories.json, embedded), not code: a new advisory
// is a new entry there, and the verdict follows it.
package ingressnginx

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// CVE is one vulnerability of an advisory.
type CVE struct {
	ID      string  `json:"id"`
	CVSS    float64 `json:"cvss,omitempty"`
	Summary string  `json:"summary"`
	URL     string  `json:"url"`
}

// Advisory is one security release of ingress-nginx: the CVEs it fixes
// and the first fixed controller and chart version of each release line.
type Advisory struct {
	Name            string   `json:"name"`
	Published       string   `json:"published"`
	URL             string   `json:"url"`
	CVEs            []CVE    `json:"cves"`
	ControllerFixed []string `json:"controllerFixed"`
	ChartFixed      []string `json:"chartFixed"`
}

// IDs lists the advisory's CVE ids.
func (a Advisory) IDs() []string {
	out := make([]string, len(a.CVEs))
	for i, c := range a.CVEs {
		out[i] = c.ID
	}
	return out
}

// Kind is what a version numbers: the controller (its image tag) or the
// Helm chart.
type Kind int

// Kinds of version.
const (
	Controller Kind = iota
	Chart
)

// Fixed returns the advisory's first fixed versions of kind k, one per
// release line, oldest line first.
func (a Advisory) Fixed(k Kind) []string {
	if k == Chart {
		return a.ChartFixed
	}
	return a.ControllerFixed
}

//go:embed advisories.json
var data []byte

// Table is a set of advisories.
type Table struct {
	Advisories []Advisory `json:"advisories"`
}

// Parse reads a table of advisories (advisories.json's shape) and checks
// that every fixed version is an exact version.
func Parse(doc []byte) (Table, error) {
	var t Table
	if err := json.Unmarshal(doc, &t); err != nil {
		return Table{}, err
	}
	for _, a := range t.Advisories {
		if len(a.CVEs) == 0 || len(a.ControllerFixed) == 0 || len(a.ChartFixed) == 0 {
			return Table{}, fmt.Errorf("advisory %q: needs CVEs and fixed controller and chart versions", a.Name)
		}
		for _, v := range append(append([]string(nil), a.ControllerFixed...), a.ChartFixed...) {
			if _, ok := ParseVersion(v); !ok {
				return Table{}, fmt.Errorf("advisory %q: fixed version %q is not an exact version", a.Name, v)
			}
		}
	}
	return t, nil
}

// Embedded is the pack's table, advisories.json.
var Embedded = func() Table {
	t, err := Parse(data)
	if err != nil {
		panic("ingressnginx: advisories.json: " + err.Error())
	}
	return t
}()

// Version is an exact version: major.minor.patch and a pre-release.
type Version struct {
	Major, Minor, Patch int
	Pre                 string
}

// ParseVersion reads an exact version: "1.8.1", "v1.8.1", "4.12.0-beta.0",
// with a build suffix ("+build") ignored. A range or constraint ("^4.7",
// "4.x", ">=4.11.5") is no exact version: ok is false.
func ParseVersion(s string) (Version, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	s, _, _ = strings.Cut(s, "+")
	core, pre, _ := strings.Cut(s, "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return Version{}, false
	}
	var n [3]int
	for i, p := range parts {
		x, err := strconv.Atoi(p)
		if err != nil || x < 0 || p == "" || p[0] == '+' {
			return Version{}, false
		}
		n[i] = x
	}
	return Version{n[0], n[1], n[2], pre}, true
}

func (v Version) String() string {
	s := fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
	if v.Pre != "" {
		s += "-" + v.Pre
	}
	return s
}

// Compare orders versions: a pre-release comes before its release.
func (v Version) Compare(w Version) int {
	for _, d := range [3]int{v.Major - w.Major, v.Minor - w.Minor, v.Patch - w.Patch} {
		if d != 0 {
			return d
		}
	}
	switch {
	case v.Pre == w.Pre:
		return 0
	case v.Pre == "":
		return 1
	case w.Pre == "":
		return -1
	}
	return strings.Compare(v.Pre, w.Pre)
}

func sameLine(v, w Version) bool { return v.Major == w.Major && v.Minor == w.Minor }

// Finding is an advisory a version is affected by, and the fixed version
// to move to: the fix of its own release line, or the newest fix.
type Finding struct {
	Advisory Advisory
	Upgrade  string
}

// Affected returns the advisories of the table that version v of kind k
// is affected by: v is fixed when it is at least the fixed version of its
// own major.minor line, or newer than every fixed line.
func (t Table) Affected(k Kind, v Version) []Finding {
	var out []Finding
	for _, a := range t.Advisories {
		var fixed []Version
		for _, s := range a.Fixed(k) {
			f, _ := ParseVersion(s)
			fixed = append(fixed, f)
		}
		slices.SortFunc(fixed, Version.Compare)
		newest := fixed[len(fixed)-1]
		upgrade, ok := newest, false
		switch {
		case v.Compare(newest) >= 0:
			ok = true
		case v.Major > newest.Major || v.Major == newest.Major && v.Minor > newest.Minor:
			ok = true // a later line than every fixed one
		default:
			for _, f := range fixed {
				if sameLine(v, f) {
					ok, upgrade = v.Compare(f) >= 0, f
				}
			}
		}
		if !ok {
			out = append(out, Finding{Advisory: a, Upgrade: upgrade.String()})
		}
	}
	return out
}

// Image is a container image of the ingress-nginx controller.
type Image struct {
	// Repository is the image without tag and digest.
	Repository string
	// Tag is the tag ("" when pinned by digest only).
	Tag string
}

// controllerRepos are the repositories (the path after the registry) of
// the controller's images: registry.k8s.io and its predecessor
// k8s.gcr.io, or any mirror of them, and the pre-1.0 images on quay.io.
var controllerRepos = []string{
	"ingress-nginx/controller",
	"ingress-nginx/controller-chroot",
	"kubernetes-ingress-controller/nginx-ingress-controller",
}

// ParseImage reports whether an image reference is an ingress-nginx
// controller image, and its tag: "registry.k8s.io/ingress-nginx/controller:v1.8.1@sha256:..."
// gives tag "v1.8.1". F5 NGINX's images (nginx/nginx-ingress) are
// another product and are not.
func ParseImage(ref string) (Image, bool) {
	ref = strings.TrimSpace(ref)
	name, _, _ := strings.Cut(ref, "@")
	tag := ""
	if i := strings.LastIndex(name, ":"); i > strings.LastIndex(name, "/") {
		name, tag = name[:i], name[i+1:]
	}
	for _, repo := range controllerRepos {
		if name == repo || strings.HasSuffix(name, "/"+repo) {
			return Image{Repository: name, Tag: tag}, true
		}
	}
	return Image{}, false
}
