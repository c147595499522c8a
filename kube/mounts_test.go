package kube

import (
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

func TestMounts(t *testing.T) {
	secret := func(ns string, name any) *graph.Resource {
		meta := map[string]any{"namespace": ns}
		if name != nil {
			meta["name"] = name
		}
		v := props.FromGo(map[string]any{"metadata": meta})
		return &graph.Resource{URN: "urn:s:" + ns, Type: TypeSecret, Name: "keys", Props: v, Outputs: v}
	}
	workload := func(name, ns string, volumes, mounts any) *graph.Resource {
		v := props.FromGo(map[string]any{"metadata": map[string]any{"namespace": ns}, "spec": map[string]any{
			"template": map[string]any{"spec": map[string]any{"volumes": volumes,
				"containers": []any{map[string]any{"name": "api", "volumeMounts": mounts}}}}}})
		return &graph.Resource{URN: "urn:w:" + name, Type: "kubernetes:apps/v1:Deployment", Name: name, Props: v, Outputs: v}
	}
	vols := []any{map[string]any{"name": "keys", "secret": map[string]any{"secretName": "pulumilocalkeys"}}}
	mounts := []any{map[string]any{"name": "keys", "mountPath": "/keys"}}
	s := secret("pulumi", "pulumilocalkeys")
	g := graph.New([]*graph.Resource{s,
		workload("api", "pulumi", vols, mounts),
		workload("other-ns", "default", vols, mounts),
		workload("unmounted", "pulumi", vols, []any{map[string]any{"name": "cache", "mountPath": "/cache"}}),
		workload("secret-path", "pulumi", vols, []any{map[string]any{"name": "keys", "mountPath": props.Secret(props.NewString("/hidden"))}}),
		workload("malformed", "pulumi", map[string]any{"name": "keys"}, "not a list"),
		workload("other-secret", "pulumi", []any{map[string]any{"name": "keys", "secret": map[string]any{"secretName": "x"}}}, mounts),
	})
	got := strings.Join(Mounts(g, s), "; ")
	want := `kubernetes:apps/v1:Deployment "api" at /keys; kubernetes:apps/v1:Deployment "secret-path" at a path that is a Pulumi secret`
	if got != want {
		t.Errorf("Mounts = %q, want %q", got, want)
	}
	if m := Mounts(g, secret("pulumi", props.NewUnknown())); m != nil {
		t.Errorf("a Secret whose name is not known: Mounts = %v", m)
	}
}
