package kube

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
	"github.com/selfhosted-hardening/selfhosted-hardening/workload"
)

func resource(typ string, in map[string]any) *graph.Resource {
	v := props.FromGo(in)
	return &graph.Resource{URN: "urn:pulumi:dev::p::" + typ + "::w", Type: typ, Name: "w", Props: v, Outputs: v}
}

func TestWalkReadsEverySource(t *testing.T) {
	r := resource("kubernetes:apps/v1:Deployment", map[string]any{
		"metadata": map[string]any{"namespace": "pulumi"},
		"spec": map[string]any{"template": map[string]any{"spec": map[string]any{
			"volumes":        []any{map[string]any{"name": "tls", "secret": map[string]any{"secretName": "api-tls"}}},
			"initContainers": []any{map[string]any{"name": "migration", "image": "pulumi/migrations:1"}},
			"containers": []any{map[string]any{
				"name": "api", "image": "pulumi/service:1",
				"env": []any{
					map[string]any{"name": "PLAIN", "value": "v"},
					map[string]any{"name": "EMPTY"},
					map[string]any{"name": "FROM_SECRET", "valueFrom": map[string]any{"secretKeyRef": map[string]any{"name": "s", "key": "k"}}},
					map[string]any{"name": "FROM_CM", "valueFrom": map[string]any{"configMapKeyRef": map[string]any{"name": "c", "key": "k"}}},
					map[string]any{"name": "POD_IP", "valueFrom": map[string]any{"fieldRef": map[string]any{"fieldPath": "status.podIP"}}},
				},
				"envFrom":      []any{map[string]any{"secretRef": map[string]any{"name": "all"}, "prefix": "X_"}},
				"volumeMounts": []any{map[string]any{"name": "tls", "mountPath": "/etc/tls"}},
			}},
		}}},
	})
	p := walk(r)
	if len(p.notes) != 0 || p.blind || p.namespace != "pulumi" {
		t.Fatalf("notes %v, blind %v, namespace %q", p.notes, p.blind, p.namespace)
	}
	if len(p.containers) != 2 {
		t.Fatalf("got %d containers, want the init container and the container", len(p.containers))
	}
	if got := p.containers[0].c.Label; got != `spec.template.spec.initContainers[0] ("migration")` {
		t.Errorf("init container label %q", got)
	}
	api := p.containers[1]
	want := map[string]workload.Source{"PLAIN": workload.Plain, "EMPTY": workload.Plain,
		"FROM_SECRET": workload.SecretStore, "FROM_CM": workload.ConfigMap, "POD_IP": workload.Computed}
	for name, src := range want {
		v, ok := api.c.Lookup(name)
		if !ok || v.Source != src {
			t.Errorf("%s: got %v (found %v), want %v", name, v.Source, ok, src)
		}
	}
	if v, _ := api.c.Lookup("FROM_SECRET"); v.From != `Secret "s" key "k"` {
		t.Errorf("FROM_SECRET comes from %q", v.From)
	}
	// The secretKeyRef (joined to tell an empty value), the configMapKeyRef
	// and the envFrom.
	if len(api.refs) != 3 || api.refs[0].kind != TypeSecret || api.refs[0].key != "k" || api.refs[0].index != 2 ||
		api.refs[1].kind != TypeConfigMap || api.refs[1].key != "k" ||
		api.refs[2].kind != TypeSecret || api.refs[2].prefix != "X_" {
		t.Errorf("refs %+v", api.refs)
	}
	if len(api.c.SecretVolumes) != 1 || api.c.SecretVolumes[0] != `Secret "api-tls" at /etc/tls` {
		t.Errorf("secret volumes %v", api.c.SecretVolumes)
	}
}

func TestPodSpecPaths(t *testing.T) {
	for typ, base := range podSpecs {
		spec := map[string]any{"containers": []any{map[string]any{"name": "c", "image": "pulumi/service"}}}
		in := map[string]any{}
		cur := in
		parts := strings.Split(base, ".")
		for _, part := range parts[:len(parts)-1] {
			next := map[string]any{}
			cur[part] = next
			cur = next
		}
		cur[parts[len(parts)-1]] = spec
		p := walk(resource(typ, in))
		if len(p.containers) != 1 || !strings.HasPrefix(p.containers[0].c.Label, base+".containers[0]") {
			t.Errorf("%s: containers %+v", typ, p.containers)
		}
	}
	if !IsWorkload("kubernetes:apps/v1:Deployment") || IsWorkload("kubernetes:core/v1:Service") {
		t.Error("IsWorkload")
	}
}

func TestWalkNotesWhatItCannotRead(t *testing.T) {
	for _, c := range []struct {
		name string
		spec any
		note string
		// blind: which containers run, or their images, cannot be told
		blind bool
	}{
		{"spec unknown", props.NewUnknown(), "spec.template.spec", true},
		{"spec a string", "x", "spec.template.spec is string, expected an object", true},
		{"containers unknown", map[string]any{"containers": props.NewUnknown()}, "spec.template.spec.containers", true},
		{"container unknown", map[string]any{"containers": []any{props.NewUnknown()}}, "spec.template.spec.containers[0]", true},
		{"container a number", map[string]any{"containers": []any{7}}, "containers[0] is number, expected a container object", true},
		{"image a number", map[string]any{"containers": []any{map[string]any{"image": 7}}},
			"containers[0].image is number, expected a string", true},
		{"image unknown", map[string]any{"containers": []any{map[string]any{"image": props.NewUnknown()}}},
			"spec.template.spec.containers[0].image", true},
		{"env unknown", map[string]any{"containers": []any{map[string]any{"image": "x", "env": props.NewUnknown()}}},
			"spec.template.spec.containers[0].env", false},
		{"env name unknown", map[string]any{"containers": []any{map[string]any{"image": "x",
			"env": []any{map[string]any{"name": props.NewUnknown()}}}}}, "containers[0].env[0].name", false},
		{"envFrom without a ref", map[string]any{"containers": []any{map[string]any{"image": "x",
			"envFrom": []any{map[string]any{"prefix": "A"}}}}}, "envFrom[0] names neither a secretRef nor a configMapRef", false},
	} {
		p := walk(resource("kubernetes:apps/v1:Deployment", map[string]any{"spec": map[string]any{
			"template": map[string]any{"spec": c.spec}}}))
		var texts []string
		for _, n := range p.notes {
			texts = append(texts, n.text)
		}
		if !strings.Contains(strings.Join(texts, "|"), c.note) || p.blind != c.blind {
			t.Errorf("%s: notes %q, blind %v; want a note with %q, blind %v", c.name, texts, p.blind, c.note, c.blind)
		}
	}
}

// FuzzWalk feeds arbitrary pod specs to the reader, with a secret planted
// in values: it must never panic, and what it notes must never carry the
// secret.
func FuzzWalk(f *testing.F) {
	for _, seed := range []string{
		`{"containers":[{"name":"api","image":"pulumi/service","env":[{"name":"A","value":"SECRET"}]}]}`,
		`{"containers":[{"env":[{"name":"B","valueFrom":{"configMapKeyRef":{"name":"SECRET","key":"SECRET"}}}]}]}`,
		`{"initContainers":[{"envFrom":[{"secretRef":{"name":"SECRET"}},{}]}],"volumes":[{"name":"v","secret":{}}]}`,
		`{"containers":"SECRET"}`, `[]`, `null`, `{"containers":[null,1,"x",{"env":{"a":1}}]}`,
	} {
		f.Add(seed)
	}
	const secret = "s3cr3t-fuzz-value"
	f.Fuzz(func(t *testing.T, doc string) {
		var x any
		if json.Unmarshal([]byte(strings.ReplaceAll(doc, "SECRET", secret)), &x) != nil {
			return
		}
		if plainCarries(x, secret) {
			return // the secret also stands inside plain text, which messages may show
		}
		spec := props.FromGo(x)
		spec = props.Rewrite(spec, func(v props.Value) props.Value {
			if s, ok := v.Str(); ok && s == secret {
				return props.Secret(v)
			}
			return v
		})
		r := &graph.Resource{Type: "kubernetes:core/v1:Pod", Name: "w",
			Props: props.NewObject(map[string]props.Value{"spec": spec})}
		p := walk(r)
		for _, n := range p.notes {
			if strings.Contains(n.text, secret) {
				t.Fatalf("note carries the secret: %s", n.text)
			}
		}
		for _, c := range p.containers {
			for _, v := range c.c.Vars {
				if v.Name == "" || strings.Contains(v.From, secret) {
					t.Fatalf("variable %+v", v)
				}
			}
			if strings.Contains(c.c.Label, secret) {
				t.Fatalf("label carries the secret: %s", c.c.Label)
			}
		}
	})
}

// plainCarries reports whether secret stands in x other than as a whole
// string (which the fuzz target marks secret): inside a longer string, or
// in an object key.
func plainCarries(x any, secret string) bool {
	switch t := x.(type) {
	case string:
		return t != secret && strings.Contains(t, secret)
	case []any:
		for _, it := range t {
			if plainCarries(it, secret) {
				return true
			}
		}
	case map[string]any:
		for k, v := range t {
			if strings.Contains(k, secret) || plainCarries(v, secret) {
				return true
			}
		}
	}
	return false
}

func TestSecretBlank(t *testing.T) {
	secret := func(fields map[string]props.Value) *graph.Resource {
		return &graph.Resource{Type: TypeSecret, Name: "s", Props: props.NewObject(fields)}
	}
	obj := func(kv ...string) props.Value {
		m := map[string]props.Value{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = props.NewString(kv[i+1])
		}
		return props.Secret(props.NewObject(m))
	}
	cases := []struct {
		name   string
		fields map[string]props.Value
		want   workload.Blank
		at     string
	}{
		{"stringData value", map[string]props.Value{"stringData": obj("k", "v")}, workload.NotEmpty, `stringData["k"]`},
		{"stringData empty", map[string]props.Value{"stringData": obj("k", "")}, workload.Empty, `stringData["k"]`},
		{"data empty", map[string]props.Value{"data": obj("k", "")}, workload.Empty, `data["k"]`},
		{"data of white space", map[string]props.Value{"data": obj("k", "IAo=")}, workload.Empty, `data["k"]`},
		{"data value", map[string]props.Value{"data": obj("k", "cHc=")}, workload.NotEmpty, `data["k"]`},
		{"data not base64", map[string]props.Value{"data": obj("k", "%%")}, workload.NotEmpty, `data["k"]`},
		{"stringData over data", map[string]props.Value{"data": obj("k", ""), "stringData": obj("k", "v")},
			workload.NotEmpty, `stringData["k"]`},
		{"stringData unknown", map[string]props.Value{"stringData": props.NewUnknown(), "data": obj("k", "cHc=")},
			workload.BlankUnknown, "stringData"},
		{"value unknown", map[string]props.Value{"stringData": props.NewObject(map[string]props.Value{
			"k": props.NewUnknown()})}, workload.BlankUnknown, `stringData["k"]`},
		{"no such key", map[string]props.Value{"stringData": obj("other", "")}, workload.NotEmpty, ""},
		{"malformed", map[string]props.Value{"stringData": props.NewString("x")}, workload.NotEmpty, ""},
	}
	for _, c := range cases {
		got, at := secretBlank(secret(c.fields), "k")
		if got != c.want || at != c.at {
			t.Errorf("%s: secretBlank = %d at %q, want %d at %q", c.name, got, at, c.want, c.at)
		}
	}
}
