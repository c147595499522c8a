package policies_test

import (
	"encoding/json"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/docker"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// FuzzDockerContainer (topic docker) feeds an API container and a proxy
// arbitrary envs entries (one a line; each a Pulumi secret when secret is
// set) and an arbitrary ports document: no panic, and no secret in any
// message. The envs parser's own oracle is in adapters/docker.
func FuzzDockerContainer(f *testing.F) {
	for _, seed := range []struct {
		envs, ports string
		secret      bool
	}{
		{"PULUMI_LICENSE_KEY=" + fuzzSecret + "\nAPI_MIN_TLS_VERSION=1.0", `[{"internal": 8080, "external": 8080}]`, true},
		{"PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT=s3://k:" + fuzzSecret + "@b?endpoint=m:9000&disableSSL=true",
			`[{"internal": 3306, "ip": "::"}]`, false},
		{fuzzSecret + "\n=" + fuzzSecret + "\nA=1\nA=2", `[{"internal": "x", "ip": 7}, null, 3]`, true},
		{"PULUMI_SEARCH_DOMAIN=http://" + fuzzSecret + ":9200\nSMTP_SERVER=" + fuzzSecret + ":25",
			`{"internal": 22, "ip": "[::]"}`, true},
		{"", `"ports"`, false}, {"PORT=abc\nAPI_TLS_CERTIFICATE=", `[{"internal": 65536, "external": -1}]`, false},
	} {
		f.Add(seed.envs, seed.ports, seed.secret)
	}
	f.Fuzz(func(t *testing.T, envs, ports string, secret bool) {
		var entries []props.Value
		for _, e := range strings.Split(envs, "\n") {
			v := props.NewString(e)
			if secret {
				v = props.Secret(v)
			}
			entries = append(entries, v)
		}
		var p any
		if json.Unmarshal([]byte(ports), &p) != nil {
			p = ports
		}
		api := props.NewObject(map[string]props.Value{
			"image": props.NewString("pulumi/service:1"), "envs": props.NewArray(entries...),
			"ports": props.FromGo(p), "networksAdvanced": props.FromGo([]any{map[string]any{"name": "n"}}),
		})
		proxy := props.NewObject(map[string]props.Value{
			"image": props.NewString("nginx"), "ports": props.FromGo(p),
			"networksAdvanced": props.FromGo([]any{map[string]any{"name": "n"}}),
		})
		for _, dry := range []bool{true, false} {
			judge(t, session(t, dry),
				&pulumirpc.AnalyzerResource{Urn: "urn:pulumi:dev::p::" + docker.TypeContainer + "::api",
					Type: docker.TypeContainer, Name: "api", Properties: props.EncodeObject(api)},
				&pulumirpc.AnalyzerResource{Urn: "urn:pulumi:dev::p::" + docker.TypeContainer + "::proxy",
					Type: docker.TypeContainer, Name: "proxy", Properties: props.EncodeObject(proxy)})
		}
	})
}
