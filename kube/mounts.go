package kube

import (
	"fmt"
	"sort"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Mounts names where the stack's workloads mount a Secret of the stack as
// files: `kubernetes:apps/v1:Deployment "api" at /encryptionservice`, one
// per container mount, sorted. A workload in another namespace, or whose
// volume names the Secret by a name not known, is not counted.
func Mounts(g *graph.Graph, secret *graph.Resource) []string {
	name, ok := secret.Props.Get(pMetaName).Str()
	if !ok || name == "" {
		name, _ = secret.Outputs.Get(pMetaName).Str()
	}
	if name == "" {
		return nil
	}
	ns := Namespace(secret)
	var out []string
	for _, w := range g.OfType(Types...) {
		if Namespace(w) != ns {
			continue
		}
		spec := w.Props.Get(props.MustPath(podSpecs[w.Type]))
		vols := map[string]bool{}
		for i := 0; i < spec.Field("volumes").Len(); i++ {
			v := spec.Field("volumes").Index(i)
			if s, _ := v.Field("secret").Field("secretName").Str(); s == name {
				vn, _ := v.Field("name").Str()
				vols[vn] = true
			}
		}
		if len(vols) == 0 {
			continue
		}
		for _, list := range []string{"initContainers", "containers"} {
			cs := spec.Field(list)
			for i := 0; i < cs.Len(); i++ {
				ms := cs.Index(i).Field("volumeMounts")
				for j := 0; j < ms.Len(); j++ {
					m := ms.Index(j)
					vn, _ := m.Field("name").Str()
					if !vols[vn] {
						continue
					}
					mp := m.Field("mountPath")
					at := "at a path not known until update"
					switch p, ok := mp.Str(); {
					case mp.IsSecret():
						at = "at a path that is a Pulumi secret"
					case ok:
						at = "at " + p
					}
					out = append(out, fmt.Sprintf("%s %s", w.Label(), at))
				}
			}
		}
	}
	sort.Strings(out)
	return out
}
