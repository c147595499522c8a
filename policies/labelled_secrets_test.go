package policies

import (
	"encoding/base64"
	"encoding/json"

	"github.com/selfhosted-hardening/selfhosted-hardening/generated"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/taskdef"
)

// Labelled cases of issue 18 class 2, issue 20's "Secrets by use" and issue
// 19's Azure credentials: secrets judged by what holds them.
//
//   - An ECS secrets[].valueFrom naming an SSM parameter of the stack of type
//     String (stored and returned in plain text) is no secret store for a
//     secret variable: container-secrets-not-in-environment, unless the
//     parameter's own name carries a secret (secret-inputs-marked-secret
//     reports its type, one root cause).
//   - A RandomString's result (or a RandomId) that becomes a key or password
//     sits in plain text in the state, in the generator's outputs:
//     secret-inputs-marked-secret, on the generator. The GKE installer's
//     local keys (03-application encryptionService.ts) are the shape.
//   - Azure and Google Cloud credentials by name and by value.
//
// labelledCases (labelled_test.go) appends secretsByHolderCases.

const (
	// Generated values, planted so the harness can tell a leak.
	rndKey   = "q7Vf2LmX9sTz4KpW8nRb3YcJ6hDe1UaG" // a RandomString result
	rndHex   = "9f86d081884c7d659a2feaa0c55ad015"
	sfx      = "x7k2pq"
	ssmParam = "arn:aws:ssm:us-west-2:123456789012:parameter/pulumi/db/auth"
	appImage = "registry.example.com/webhook-relay:2"
)

// rndString is a RandomString as the GKE installer declares it.
func rndString(name, result string) *fixture.Res {
	return fixture.R(generated.TypeRandomString, name, m{"length": 32, "special": false}).Output("result", result)
}

// localKeysSecret is the GKE installer's Secret of the local keys, whose
// stringData the pulumi-kubernetes SDK marks secret, taking value from the
// generator from.
func localKeysSecret(from string, value any) *fixture.Res {
	return fixture.R(tSecret, "gke-local-keys", m{"metadata": m{"namespace": "pulumi", "name": "pulumilocalkeys"},
		"stringData": fixture.Computed(fixture.Secret(m{"pulumilocalkeys": value}), from)})
}

// keysReader mounts the local keys Secret and points PULUMI_LOCAL_KEYS at
// the file, as the GKE and byo installers do.
func keysReader() *fixture.Res {
	return podSpecAt(tDeployment, "keys-reader", m{
		"volumes": l{m{"name": "encryptionservice", "secret": m{"secretName": "pulumilocalkeys"}}},
		"containers": l{m{"name": "relay", "image": appImage,
			"env":          l{m{"name": "PULUMI_LOCAL_KEYS", "value": "/encryptionservice/pulumilocalkeys"}},
			"volumeMounts": l{m{"name": "encryptionservice", "mountPath": "/encryptionservice", "readOnly": true}}}},
	})
}

// tdJSON is a task definition whose document is known only after the named
// resources are (an ARN or a generated value in it).
func tdJSON(name string, from []string, defs ...m) *fixture.Res {
	data, _ := json.Marshal(defs)
	return fixture.R(taskdef.Type, name, m{"containerDefinitions": fixture.Computed(string(data), from...)})
}

func ssm(name, paramName string, typ, value any) *fixture.Res {
	return fixture.R(typeSSMParameter, name, m{"name": paramName, "type": typ, "value": value})
}

// relayWith is a container of appImage reading the secrets given as name,
// valueFrom pairs.
func relayWith(env []any, pairs ...string) m {
	var s l
	for i := 0; i+1 < len(pairs); i += 2 {
		s = append(s, m{"name": pairs[i], "valueFrom": pairs[i+1]})
	}
	c := m{"name": "relay", "image": appImage, "environment": env}
	if s != nil {
		c["secrets"] = s
	}
	return c
}

func secretsByHolderCases() []lcase {
	cses := "container-secrets-not-in-environment"
	sims := "secret-inputs-marked-secret"
	scs := "stack-config-secrets"
	cms := "configmap-no-secrets"
	const (
		gke    = "gke-hosted 03-application encryptionService.ts: RandomString into the local keys Secret"
		ssmDoc = "AWS Systems Manager: String parameters are plain text, SecureString for keys and passwords"
		aks    = "aks-hosted 03-application: the API's env holds the service principal secret and the storage key"
	)
	pemKey := "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B-ssm-plain\n-----END PRIVATE KEY-----\n"
	return []lcase{
		// Class 1: an SSM String parameter is no secret store.
		{name: "ECS TLS key from an SSM String parameter, by name", source: ssmDoc + "; valueFrom by name",
			rs: []*fixture.Res{ssm("api-tls", "/pulumi/api/tls", "String", fixture.Secret(pemKey)),
				taskDef("td", relayWith(nil, "API_TLS_PRIVATE_KEY", "/pulumi/api/tls"))},
			want: labels{cses: vio("API_TLS_PRIVATE_KEY read from a String parameter, stored in plain text")}},
		{name: "ECS password from an SSM String parameter, by ARN", source: ssmDoc + "; valueFrom: param.arn",
			rs: []*fixture.Res{ssm("db-auth", "/pulumi/db/auth", "String", fixture.Secret("ssm-Db-pw-31")),
				tdJSON("td", []string{"db-auth"}, relayWith(nil, "DATABASE_PASSWORD", ssmParam))},
			want: labels{cses: vio("DATABASE_PASSWORD from a String parameter; preview: the ARN is not known")}},
		{name: "ECS secret from an SSM StringList parameter", source: ssmDoc + "; StringList is plain too",
			rs: []*fixture.Res{ssm("keys", "/pulumi/keys", "StringList", fixture.Secret("k1,k2-plain-list")),
				taskDef("td", relayWith(nil, "SIGNING_KEY", "/pulumi/keys"))},
			want: labels{cses: vio("SIGNING_KEY read from a StringList parameter")}},
		{name: "ECS secret from a String parameter whose name carries a secret", source: ssmDoc +
			"; one root cause: the parameter's type",
			rs: []*fixture.Res{ssm("api-tls", "/pulumi/api/tls-private-key", "String", fixture.Secret(pemKey)),
				taskDef("td", relayWith(nil, "API_TLS_PRIVATE_KEY", "/pulumi/api/tls-private-key"))},
			want: labels{sims: vio("the parameter's name carries a private key and it is a String"),
				cses: pass("secret-inputs-marked-secret reports the parameter's type")}},
		{name: "ECS TLS key from an SSM SecureString parameter", source: ssmDoc + "; hardened",
			rs: []*fixture.Res{ssm("api-tls", "/pulumi/api/tls", "SecureString", fixture.Secret(pemKey)),
				tdJSON("td", []string{"api-tls"}, relayWith(nil, "API_TLS_PRIVATE_KEY",
					"arn:aws:ssm:us-west-2:123456789012:parameter/pulumi/api/tls"))},
			want: labels{cses: pass("a SecureString parameter is encrypted"), sims: pass("its value is a secret")}},
		{name: "ECS plain setting from an SSM String parameter", source: ssmDoc + "; a host name is no secret",
			rs: []*fixture.Res{ssm("smtp", "/pulumi/smtp/server", "String", "smtp.example.com:587"),
				taskDef("td", relayWith(nil, "SMTP_SERVER", "/pulumi/smtp/server"))},
			want: labels{cses: pass("SMTP_SERVER carries no secret")}},
		{name: "ECS secret from a parameter outside the stack", source: ssmDoc + "; the parameter is not in the stack",
			rs:   []*fixture.Res{taskDef("td", relayWith(nil, "DATABASE_PASSWORD", ssmParam))},
			want: labels{cses: pass("an SSM parameter out of sight: no verdict on its type, as before")}},
		{name: "ECS secret from a parameter whose valueFrom is not known", source: ssmDoc + "; a structured " +
			"document whose valueFrom comes from an output",
			rs: []*fixture.Res{ssm("db-auth", "/pulumi/db/auth", "String", fixture.Secret("ssm-Db-pw-32")),
				fixture.R(taskdef.Type, "td", m{"containerDefinitions": l{m{"name": "relay", "image": appImage,
					"secrets": l{m{"name": "DATABASE_PASSWORD", "valueFrom": fixture.Unknown}}}}}).
					Deps("containerDefinitions", "db-auth")},
			want: labels{cses: unv("the reference may name the String parameter it depends on")}},
		{name: "ECS secret from a parameter whose type is not known", source: ssmDoc + "; type from an output",
			rs: []*fixture.Res{ssm("db-auth", "/pulumi/db/auth", fixture.Unknown, fixture.Secret("ssm-Db-pw-33")),
				taskDef("td", relayWith(nil, "DATABASE_PASSWORD", "/pulumi/db/auth"))},
			want: labels{cses: unv("a String or SecureString parameter"), sims: unv("its type is not known")}},

		// Class 2: generated values without secrecy.
		{name: "GKE local keys from a RandomString", source: gke,
			rs: []*fixture.Res{rndString("gke-secret", rndKey),
				localKeysSecret("gke-secret", fixture.OutputOf("gke-secret", "result")), keysReader()},
			want: labels{sims: vio("the master key sits in plain text in the RandomString's state")}},
		{name: "GKE local keys from a RandomString marked secret", source: gke + ", with additionalSecretOutputs",
			rs: []*fixture.Res{rndString("gke-secret", rndKey).SecretOutputs("result"),
				localKeysSecret("gke-secret", fixture.OutputOf("gke-secret", "result")), keysReader()},
			want: labels{sims: pass("the engine keeps the result secret")}},
		{name: "local keys from a RandomPassword", source: gke + ", with random.RandomPassword",
			rs: []*fixture.Res{fixture.R(generated.TypeRandomPassword, "gke-secret", m{"length": 32, "special": false}).
				SecretOutputs("bcryptHash", "result").Output("result", rndKey),
				localKeysSecret("gke-secret", fixture.OutputOf("gke-secret", "result")), keysReader()},
			want: labels{sims: pass("the provider marks a RandomPassword's result secret")}},
		{name: "local keys from RandomBytes", source: "pulumi-random RandomBytes: base64 and hex are secret",
			rs: []*fixture.Res{fixture.R(generated.TypeRandomBytes, "gke-secret", m{"length": 32}).
				SecretOutputs("base64", "hex").Output("base64", base64.StdEncoding.EncodeToString([]byte(rndKey))),
				localKeysSecret("gke-secret", fixture.OutputOf("gke-secret", "base64")), keysReader()},
			want: labels{sims: pass("RandomBytes' outputs are secret")}},
		{name: "RandomId as an encryption key in a Secret's data", source: "random.RandomId hex into Secret data",
			rs: []*fixture.Res{fixture.R(generated.TypeRandomID, "enc", m{"byteLength": 16}).Output("hex", rndHex),
				fixture.R(tSecret, "enc-key", m{"metadata": m{"namespace": "pulumi"}, "data": fixture.Computed(
					fixture.Secret(m{"key": base64.StdEncoding.EncodeToString([]byte(rndHex))}), "enc")})},
			want: labels{sims: vio("a RandomId's hex is plain in the state")}},
		{name: "RandomString as an RDS master password", source: "pulumi-aws docs pattern with random.RandomString",
			rs: instance("mysql", 3306, m{"manageMasterUserPassword": nil, "password": fixture.OutputOf("db-pw", "result"),
				"parameterGroupName": fixture.ID("mysql-tls")}, mysqlTLS(), rndString("db-pw", rndKey)),
			want: labels{sims: vio("the password is a RandomString's plain result")}},
		{name: "RandomString into an ECS secret-named variable", source: "random.RandomString into containerDefinitions",
			rs: []*fixture.Res{rndString("relay-token", rndKey),
				tdJSON("td", []string{"relay-token"}, relayWith(l{m{"name": "WEBHOOK_TOKEN", "value": rndKey}}))},
			want: labels{sims: vio("WEBHOOK_TOKEN takes the plain result"), cses: vio("WEBHOOK_TOKEN in plain environment")}},
		{name: "RandomString into a Kubernetes secret-named variable", source: "random.RandomString into env",
			rs: []*fixture.Res{rndString("session", rndKey), deployment("relay", kcontainer("relay", appImage,
				l{m{"name": "SESSION_SECRET", "value": fixture.OutputOf("session", "result")}}))},
			want: labels{sims: vio("SESSION_SECRET takes the plain result"), cses: vio("SESSION_SECRET in plain env")}},
		{name: "RandomString as a name suffix", source: "random.RandomString for unique names",
			rs: []*fixture.Res{rndString("suffix", sfx), fixture.R(tConfigMap, "release", m{
				"metadata": m{"namespace": "pulumi"},
				"data":     m{"RELEASE_NAME": fixture.Computed("pulumi-"+sfx, "suffix")}}),
				deployment("relay", kcontainer("relay", appImage,
					l{m{"name": "INSTANCE_NAME", "value": fixture.Computed("relay-"+sfx, "suffix")}}))},
			want: labels{sims: pass("a name is no secret")}},
		{name: "RandomString into a variable not known until update", source: "random.RandomString through an apply",
			rs: []*fixture.Res{rndString("session", rndKey), deployment("relay", kcontainer("relay", appImage,
				l{m{"name": "SESSION_SECRET", "value": fixture.Unknown}})).Deps("spec", "session")},
			want: labels{sims: unv("SESSION_SECRET may take the plain result"), cses: unv("its value is not known")}},
		{name: "GCS HMAC key secret into a Secret", source: "gcp.storage.HmacKey: the provider marks secret",
			rs: []*fixture.Res{fixture.R("gcp:storage/hmacKey:HmacKey", "hmac", m{"serviceAccountEmail": "sa@p.iam.gserviceaccount.com"}).
				Output("secret", fixture.Secret("hmac-Secret-plain-1")),
				fixture.R(tSecret, "storage", m{"metadata": m{"namespace": "pulumi"}, "stringData": fixture.Computed(
					fixture.Secret(m{"secretAccessKey": "hmac-Secret-plain-1"}), "hmac")})},
			want: labels{sims: pass("the HMAC key's secret is a provider-marked secret")}},

		// Issue 19 and Google Cloud: credentials by name and by value.
		{name: "AKS API env with client secret and storage key", source: aks,
			rs: []*fixture.Res{deployment("relay", kcontainer("relay", appImage, l{
				m{"name": "AZURE_CLIENT_ID", "value": "00000000-0000-0000-0000-000000000001"},
				m{"name": "AZURE_TENANT_ID", "value": "00000000-0000-0000-0000-000000000002"},
				m{"name": "AZURE_CLIENT_SECRET", "value": "sp-Client-secret-plain~1"},
				m{"name": "AZURE_STORAGE_ACCOUNT", "value": "pulumistate"},
				m{"name": "AZURE_STORAGE_KEY", "value": "azure-Storage-key-plain=="}}))},
			want: labels{cses: vio("AZURE_CLIENT_SECRET and AZURE_STORAGE_KEY in plain env")}},
		{name: "AKS API env with ids and account name only", source: aks + ", the secrets from a Secret",
			rs: []*fixture.Res{deployment("relay", kcontainer("relay", appImage, l{
				m{"name": "AZURE_CLIENT_ID", "value": "00000000-0000-0000-0000-000000000001"},
				m{"name": "AZURE_TENANT_ID", "value": "00000000-0000-0000-0000-000000000002"},
				m{"name": "AZURE_STORAGE_ACCOUNT", "value": "pulumistate"},
				m{"name": "AZURE_CLIENT_SECRET", "valueFrom": m{"secretKeyRef": m{"name": "azure", "key": "clientSecret"}}}}))},
			want: labels{cses: pass("ids and account names are not secrets; the client secret is from a Secret")}},
		{name: "service principal password into a Secret", source: "aks-hosted: azuread.ServicePrincipalPassword value",
			rs: []*fixture.Res{fixture.R(generated.TypeSPPassword, "sp-pw", m{"servicePrincipalId": "sp-id"}).
				SecretOutputs("value").Output("value", "sp-Generated-pw-9"),
				fixture.R(tSecret, "azure", m{"metadata": m{"namespace": "pulumi"}, "stringData": fixture.Computed(
					fixture.Secret(m{"clientSecret": "sp-Generated-pw-9"}), "sp-pw")})},
			want: labels{sims: pass("azuread marks the password secret"), cses: pass("no container")}},
		{name: "azure-native clientSecret in plain config", source: "pulumi config set azure-native:clientSecret",
			env:  stackEnv(map[string]string{"azure-native:clientId": "00000000-0000-0000-0000-000000000001", "azure-native:clientSecret": "sp-Client-secret-plain~2"}),
			want: labels{scs: vio("the provider's client secret in plain text")}},
		{name: "azure-native clientSecret as secret", source: "pulumi config set --secret azure-native:clientSecret",
			env: func() *policy.Env {
				e := stackEnv(map[string]string{"azure-native:clientId": "00000000-0000-0000-0000-000000000001",
					"azure-native:tenantId": "00000000-0000-0000-0000-000000000002"}, "azure-native:clientSecret")
				return e
			}(),
			want: labels{scs: pass("client id and tenant id are not secrets; the secret is set with --secret")}},
		{name: "storage connection string in a ConfigMap", source: "Azure Storage connection string with AccountKey",
			rs: []*fixture.Res{fixture.R(tConfigMap, "storage", m{"metadata": m{"namespace": "pulumi"}, "data": m{
				"STORAGE": "DefaultEndpointsProtocol=https;AccountName=pulumistate;AccountKey=azure-Storage-key-plain2==;" +
					"EndpointSuffix=core.windows.net"}})},
			want: labels{cms: vio("a connection string with an account key")}},
		{name: "Google credentials JSON in plain config", source: "pulumi config set gcp:credentials < key.json",
			env: stackEnv(map[string]string{"app:gcpAccess": `{"type":"service_account","project_id":"p",` +
				`"private_key":"-----BEGIN PRIVATE KEY-----\nMIIEv-gcp-plain\n-----END PRIVATE KEY-----\n"}`}),
			want: labels{scs: vio("a service account key under a neutral name")}},
		{name: "Google credentials in base64 in a container", source: "GOOGLE_CREDENTIALS=$(base64 key.json) in CI",
			rs: []*fixture.Res{deployment("relay", kcontainer("relay", appImage, l{m{"name": "GCP_AUTH_B64",
				"value": base64.StdEncoding.EncodeToString([]byte(`{"type":"service_account","project_id":"p",` +
					`"private_key":"-----BEGIN PRIVATE KEY-----\nMIIEv-gcp-plain2\n-----END PRIVATE KEY-----\n"}`))}}))},
			want: labels{cses: vio("a base64-encoded service account key in plain env")}},
		{name: "Google application credentials path", source: "GOOGLE_APPLICATION_CREDENTIALS to a mounted key file",
			rs: []*fixture.Res{deployment("relay", kcontainer("relay", appImage, l{m{"name": "GOOGLE_APPLICATION_CREDENTIALS",
				"value": "/var/secrets/google/key.json"}}))},
			want: labels{cses: pass("a file path holds no credential")}},
	}
}
