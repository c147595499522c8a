package generated

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

const key = "q7Vf2LmX9sTz4KpW8nRb3YcJ6hDe1UaG"

func res(typ, name string, outputs map[string]any, secretOutputs ...string) *graph.Resource {
	return &graph.Resource{URN: "urn:pulumi:dev::p::" + typ + "::" + name, Type: typ, Name: name,
		Props: props.FromGo(map[string]any{}), Outputs: props.FromGo(outputs), SecretOutputs: secretOutputs}
}

func TestPlain(t *testing.T) {
	for _, c := range []struct {
		name    string
		r       *graph.Resource
		outputs string // "" : not a plain generator
		values  int
	}{
		{"RandomString, update", res(TypeRandomString, "a", map[string]any{"result": key}), "result", 1},
		{"RandomString, preview", res(TypeRandomString, "a", map[string]any{"result": props.NewUnknown()}), "result", 0},
		{"RandomString with additionalSecretOutputs", res(TypeRandomString, "a", map[string]any{"result": key}, "result"), "", 0},
		{"RandomString whose result is secret", res(TypeRandomString, "a", map[string]any{"result": props.Secret(props.NewString(key))}), "", 0},
		{"RandomString with a malformed result", res(TypeRandomString, "a", map[string]any{"result": 32}), "result", 0},
		{"RandomId", res(TypeRandomID, "a", map[string]any{"hex": "0a1b", "b64Std": "Chs="}, "dec"), "hex b64Std b64Url", 2},
		{"RandomPassword", res(TypeRandomPassword, "a", map[string]any{"result": key}), "", 0},
		{"RandomBytes", res(TypeRandomBytes, "a", map[string]any{"base64": key}), "", 0},
		{"azuread password", res(TypeSPPassword, "a", map[string]any{"value": key}), "", 0},
		{"a bucket", res("aws:s3/bucketV2:BucketV2", "a", map[string]any{"result": key}), "", 0},
	} {
		g, ok := Plain(c.r)
		if got := strings.Join(g.Outputs, " "); got != c.outputs || ok != (c.outputs != "") || len(g.Values) != c.values {
			t.Errorf("%s: Plain = %q, %d values, %v; want %q, %d values", c.name, got, len(g.Values), ok, c.outputs, c.values)
		}
	}
}

func TestFeeding(t *testing.T) {
	plain := res(TypeRandomString, "plain", map[string]any{"result": key})
	marked := res(TypeRandomString, "marked", map[string]any{"result": key}, "result")
	pw := res(TypeRandomPassword, "pw", map[string]any{"result": key})
	other := res("aws:s3/bucketV2:BucketV2", "b", nil)
	sink := res("kubernetes:core/v1:Secret", "s", nil)
	sink.PropertyDependencies = map[string][]string{"stringData": {plain.URN, marked.URN, pw.URN, other.URN,
		"urn:pulumi:dev::p::x::gone"}, "metadata": {plain.URN}}
	g := graph.New([]*graph.Resource{plain, marked, pw, other, sink})
	got := Feeding(g, sink, "stringData")
	if len(got) != 1 || got[0].Res != plain {
		t.Fatalf("Feeding(stringData) = %v, want the plain RandomString only", got)
	}
	if got := Feeding(g, sink, "data"); len(got) != 0 {
		t.Errorf("Feeding(data) = %v, want none", got)
	}
}

func TestSites(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString([]byte(key))
	doc := `[{"name":"relay","environment":[{"name":"WEBHOOK_TOKEN","value":"` + key + `"},{"name":"A","value":"b"}]}]`
	for _, c := range []struct {
		name, prop string
		v          any
		values     []string
		want       string // path=name/known, ...
	}{
		{"stringData key", "stringData", map[string]any{"pulumilocalkeys": key, "host": "db"}, []string{key},
			"stringData.pulumilocalkeys=pulumilocalkeys/known"},
		{"data in base64, dotted key", "data", map[string]any{"tls.key": b64}, []string{key},
			`data["tls.key"]=tls.key/known`},
		{"inside a longer string", "password", "prefix-" + key, []string{key}, "password=password/known"},
		{"an env entry", "spec", map[string]any{"containers": []any{map[string]any{"env": []any{
			map[string]any{"name": "SESSION_SECRET", "value": key}}}}}, []string{key},
			"spec.containers[0].env[0].value=SESSION_SECRET/known"},
		{"a JSON document", "containerDefinitions", doc, []string{key},
			"containerDefinitions[0].environment[0].value=WEBHOOK_TOKEN/known"},
		{"preview: unknown leaves", "stringData", map[string]any{"k": props.NewUnknown(), "host": "db"}, nil,
			"stringData.k=k/unknown"},
		{"preview: unknown property", "stringData", props.NewUnknown(), nil, "stringData=stringData/unknown"},
		{"not there", "stringData", map[string]any{"host": "db"}, []string{key}, ""},
		{"short values are not matched", "name", "pulumi-abc", []string{"abc"}, ""},
		{"malformed JSON is a string", "containerDefinitions", "[{" + key, []string{key},
			"containerDefinitions=containerDefinitions/known"},
	} {
		var got []string
		for _, s := range Sites(c.prop, props.FromGo(c.v), c.values) {
			k := "unknown"
			if s.Known {
				k = "known"
			}
			got = append(got, s.Path+"="+s.Name+"/"+k)
		}
		if g := strings.Join(got, ", "); g != c.want {
			t.Errorf("%s: Sites = %q, want %q", c.name, g, c.want)
		}
	}
}

// TestSitesSecretNames: a name taken from a secret document is flagged, so
// that a message judges by it but does not show it.
func TestSitesSecretNames(t *testing.T) {
	v := props.Secret(props.FromGo([]any{map[string]any{"name": "WEBHOOK_TOKEN", "value": key}}))
	sites := Sites("env", v, []string{key})
	if len(sites) != 1 || !sites[0].Secret || sites[0].Name != "WEBHOOK_TOKEN" {
		t.Fatalf("Sites = %+v, want one site whose name is secret", sites)
	}
}

// FuzzSites plants a generated value at a fuzzed key of a Secret's
// stringData, as itself, inside a longer string, and in base64 under data:
// Sites finds it there whatever the key (the oracle), and nowhere else.
func FuzzSites(f *testing.F) {
	f.Add("pulumilocalkeys", key, "x")
	f.Add("tls.key", "abcd", "")
	f.Add("", "\xff\xfe\xfd\xfc", "[")
	f.Add(`a"b`, "value-value", "{")
	f.Fuzz(func(t *testing.T, k, value, other string) {
		if len(value) < 4 || strings.Contains(other, value) {
			return
		}
		for _, form := range []struct{ prop, v string }{
			{"stringData", value}, {"stringData", "prefix-" + value}, {"data", base64.StdEncoding.EncodeToString([]byte(value))},
		} {
			v := props.FromGo(map[string]any{k: form.v, k + "-other": other})
			sites := Sites(form.prop, v, []string{value})
			found := false
			for _, s := range sites {
				if !s.Known {
					t.Fatalf("%s: an unknown site in a known value: %+v", form.prop, s)
				}
				// Paths are made of keys and indexes, never of values.
				if s.Name == k && s.Path == join(form.prop, k) {
					found = true
				}
			}
			if !found {
				t.Fatalf("%s[%q] = %q: not found (sites %+v)", form.prop, k, form.v, sites)
			}
		}
	})
}
