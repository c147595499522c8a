package policies

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/generated"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/taskdef"
)

// TestGeneratedSecrets: secret-inputs-marked-secret on generated values
// without secrecy, on the generator, with where the value went.
func TestGeneratedSecrets(t *testing.T) {
	unknown := func(path string) fixture.Want { return advisory(path + " is not known until update") }
	runCases(t, SecretInputsMarkedSecret, []caseT{
		{name: "GKE local keys", target: "gke-secret",
			rs: []*fixture.Res{rndString("gke-secret", rndKey),
				localKeysSecret("gke-secret", fixture.OutputOf("gke-secret", "result")), keysReader()},
			both: []fixture.Want{violation(`the value this RandomString generates (output result) becomes `+
				`kubernetes:core/v1:Secret "gke-local-keys"`, `mounted as files by kubernetes:apps/v1:Deployment `+
				`"keys-reader" at /encryptionservice`, "holds the value in plain text in this resource's outputs")},
			previewElsewhere: map[string][]fixture.Want{"gke-local-keys": {unknown("stringData")}}},
		{name: "GKE local keys, the key named", target: "gke-secret",
			rs: []*fixture.Res{rndString("gke-secret", rndKey),
				fixture.R(tSecret, "gke-local-keys", m{"metadata": m{"namespace": "pulumi", "name": "pulumilocalkeys"},
					"stringData": m{"pulumilocalkeys": fixture.Computed(fixture.Secret(rndKey), "gke-secret")}})},
			both: []fixture.Want{violation(`kubernetes:core/v1:Secret "gke-local-keys" stringData.pulumilocalkeys ` +
				`(a value of a Kubernetes Secret)`)},
			previewElsewhere: map[string][]fixture.Want{"gke-local-keys": {unknown("stringData.pulumilocalkeys")}}},
		{name: "marked secret with additionalSecretOutputs", target: "gke-secret",
			rs: []*fixture.Res{rndString("gke-secret", rndKey).SecretOutputs("result"),
				localKeysSecret("gke-secret", fixture.OutputOf("gke-secret", "result"))},
			previewElsewhere: map[string][]fixture.Want{"gke-local-keys": {unknown("stringData")}}},
		{name: "RDS password", target: "db-pw",
			rs: []*fixture.Res{rndString("db-pw", rndKey), fixture.R(typeRDSInstance, "db", m{"engine": "mysql",
				"password": fixture.Computed(fixture.Secret(rndKey), "db-pw")})},
			both:             []fixture.Want{violation(`aws:rds/instance:Instance "db" password (a secret input)`)},
			previewElsewhere: map[string][]fixture.Want{"db": {unknown("password")}}},
		{name: "provider client secret by name", target: "sp",
			rs: []*fixture.Res{rndString("sp", rndKey), fixture.R("pulumi:providers:azure-native", "azure", m{
				"clientId": "00000000-0000-0000-0000-000000000001", "clientSecret": fixture.OutputOf("sp", "result")})},
			both: []fixture.Want{violation(`pulumi:providers:azure-native "azure" clientSecret (clientSecret, the name carries a client secret)`)}},
		{name: "nested secret name, found by value", target: "rnd",
			rs: []*fixture.Res{rndString("rnd", rndKey), fixture.R("custom:index:App", "app", m{
				"settings": m{"smtp": m{"host": "smtp.example.com", "password": fixture.Computed("x"+rndKey, "rnd")}}})},
			update:           []fixture.Want{violation(`custom:index:App "app" settings.smtp.password (password, the name carries a password)`)},
			previewElsewhere: map[string][]fixture.Want{"app": {unknown("settings.smtp.password")}}},
		{name: "ECS variable whose name is a secret document's", target: "rnd",
			rs: []*fixture.Res{rndString("rnd", rndKey), fixture.R(taskdef.Type, "td", m{"containerDefinitions": fixture.Computed(
				fixture.Secret(`[{"name":"relay","image":"`+appImage+`","environment":[{"name":"WEBHOOK_TOKEN","value":"`+rndKey+`"}]}]`),
				"rnd")})},
			update:           []fixture.Want{violation(`containerDefinitions[0].environment[0].value (its name carries a token)`)},
			previewElsewhere: map[string][]fixture.Want{"td": {unknown("containerDefinitions")}}},
		{name: "a name suffix", target: "rnd",
			rs: []*fixture.Res{rndString("rnd", sfx), fixture.R(typeS3BucketV2, "bucket", m{
				"bucket": fixture.Computed("pulumi-"+sfx, "rnd")})}},
		{name: "a RandomId into a Secret, marked secret by the program", target: "id",
			rs: []*fixture.Res{fixture.R(generated.TypeRandomID, "id", m{"byteLength": 16}).
				SecretOutputs("hex", "b64Std", "b64Url", "dec").Output("hex", rndHex),
				fixture.R(tSecret, "k", m{"data": m{"key": fixture.Computed(fixture.Secret(
					base64.StdEncoding.EncodeToString([]byte(rndHex))), "id")}})},
			previewElsewhere: map[string][]fixture.Want{"k": {unknown("data.key")}}},
		{name: "a RandomString with malformed inputs and result", target: "rnd",
			rs: []*fixture.Res{fixture.R(generated.TypeRandomString, "rnd", m{"length": "thirty-two", "special": "no",
				"keepers": l{1, 2}}).Output("result", 32),
				fixture.R(tSecret, "k", m{"stringData": fixture.Computed(fixture.Secret(m{"k": "32"}), "rnd")})},
			both:             []fixture.Want{violation(`kubernetes:core/v1:Secret "k" stringData (a value of a Kubernetes Secret)`)},
			previewElsewhere: map[string][]fixture.Want{"k": {unknown("stringData")}}},
	})
}

// TestPlainParameterStore: container-secrets-not-in-environment on an ECS
// secret read from an SSM String parameter of the stack.
func TestPlainParameterStore(t *testing.T) {
	td := func(pairs ...string) *fixture.Res { return taskDef("td", relayWith(nil, pairs...)) }
	runCases(t, ContainerSecretsNotInEnvironment, []caseT{
		{name: "String parameter by name", target: "td",
			rs: []*fixture.Res{ssm("p", "/pulumi/api/tls", "String", fixture.Secret("tls-Key-1")), td("API_TLS_PRIVATE_KEY", "/pulumi/api/tls")},
			both: []fixture.Want{violation(`containerDefinitions[0] ("relay") takes API_TLS_PRIVATE_KEY `+
				`(containerDefinitions[0].secrets[0], the name carries a private key) from the SSM parameter "p" of the stack, of type String`,
				"unencrypted")}},
		{name: "SecureString parameter", target: "td",
			rs: []*fixture.Res{ssm("p", "/pulumi/api/tls", "SecureString", fixture.Secret("tls-Key-2")), td("API_TLS_PRIVATE_KEY", "/pulumi/api/tls")}},
		{name: "a setting from a String parameter", target: "td",
			rs: []*fixture.Res{ssm("p", "/pulumi/region", "String", "us-west-2"), td("AWS_REGION", "/pulumi/region")}},
		{name: "allowed by allowEnv", target: "td", cfg: map[string]any{"allowEnv": l{"API_TLS_PRIVATE_KEY"}},
			rs: []*fixture.Res{ssm("p", "/pulumi/api/tls", "String", fixture.Secret("tls-Key-3")), td("API_TLS_PRIVATE_KEY", "/pulumi/api/tls")}},
		{name: "secretEnvPatterns", target: "td", cfg: map[string]any{"secretEnvPatterns": l{"*_WEBHOOK_URL"}},
			rs:   []*fixture.Res{ssm("p", "/pulumi/hook", "String", "https://hooks.example.com/x"), td("SLACK_WEBHOOK_URL", "/pulumi/hook")},
			both: []fixture.Want{violation("SLACK_WEBHOOK_URL", "matches secretEnvPatterns *_WEBHOOK_URL")}},
		{name: "valueFrom of the wrong type", target: "td",
			rs: []*fixture.Res{ssm("p", "/pulumi/api/tls", "String", fixture.Secret("tls-Key-4")),
				fixture.R(taskdef.Type, "td", m{"containerDefinitions": l{m{"name": "relay", "image": appImage,
					"secrets": l{m{"name": "API_TLS_PRIVATE_KEY", "valueFrom": m{"arn": "/pulumi/api/tls"}},
						m{"name": "SMTP_PASSWORD", "valueFrom": 7}}}}})}},
		{name: "valueFrom not known, parameter type not known", target: "p",
			rs:   []*fixture.Res{ssm("p", "/pulumi/api/tls", fixture.Unknown, fixture.Secret("tls-Key-5")), td("API_TLS_PRIVATE_KEY", "/pulumi/api/tls")},
			both: []fixture.Want{advisory("type is not known until update")}},
	})
}

// TestSecretsByHolderShowNoValue: no finding of the whole pack on the
// labelled cases shows a planted value, secret or not (the generated values
// are plain outputs, which the harness's own check does not cover).
func TestSecretsByHolderShowNoValue(t *testing.T) {
	pack := Pack()
	planted := []string{rndKey, rndHex, "MIIEvQIBADANBgkqhkiG9w0B-ssm-plain", "ssm-Db-pw", "sp-Client-secret-plain",
		"azure-Storage-key-plain", "MIIEv-gcp-plain", "sp-Generated-pw-9", "hmac-Secret-plain-1", "k1,k2-plain-list",
		base64.StdEncoding.EncodeToString([]byte(rndKey)), base64.StdEncoding.EncodeToString([]byte(rndHex))}
	for _, c := range secretsByHolderCases() {
		for _, mode := range fixture.Modes {
			for _, f := range analyzeCase(t, pack, c, mode) {
				for _, p := range planted {
					if strings.Contains(f.Message+f.What+f.Fix, p) {
						t.Errorf("%s/%s: %s shows a planted value %q: %s", c.name, mode, f.Policy.Name, p, f.Message)
					}
				}
			}
		}
	}
}
