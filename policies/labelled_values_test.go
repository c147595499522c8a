package policies

import (
	"encoding/base64"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
)

// Labelled cases of issue 18, class 1: credentials judged by value. A stack
// config value, a container variable or a ConfigMap value whose name says
// nothing holds a credential: a kubeconfig with a static bearer token or a
// client key (kubectl config, clientcmd's Config), a PEM private key, a JSON
// Web Token. A kubeconfig whose user runs an exec plugin (aws eks
// update-kubeconfig writes one running aws eks get-token) holds none.
// labelledCases (labelled_test.go) appends credentialValueCases.

const kubeCluster = "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n" +
	"    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=\n" +
	"    server: https://ABCDEF.gr7.us-west-2.eks.amazonaws.com\n  name: prod\n" +
	"contexts:\n- context:\n    cluster: prod\n    user: prod\n  name: prod\ncurrent-context: prod\n"

// kubeconfigUser is a kubeconfig whose one user has these lines.
func kubeconfigUser(user string) string {
	return kubeCluster + "users:\n- name: prod\n  user:\n" + user
}

var (
	// eksKubeconfig is what aws eks update-kubeconfig writes.
	eksKubeconfig = kubeconfigUser("    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n" +
		"      command: aws\n      args:\n      - eks\n      - get-token\n      - --cluster-name\n      - prod\n")
	tokenKubeconfig = kubeconfigUser("    token: kubeconfig-Static-token-5d1e\n")
	certKubeconfig  = `{"apiVersion":"v1","kind":"Config","clusters":[{"name":"prod","cluster":` +
		`{"server":"https://10.0.0.1"}}],"users":[{"name":"admin","user":{"client-certificate-data":` +
		`"LS0tLS1CRUdJTiBDRVJU","client-key-data":"` + base64.StdEncoding.EncodeToString([]byte(
		"-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA-kubeconfig-client-key\n-----END RSA PRIVATE KEY-----\n")) + `"}}]}`
	pemPrivateKey = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B-config-plain\n-----END PRIVATE KEY-----\n"
	// ciToken is a signed JWT: header, claims and signature, base64url.
	ciToken = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0." +
		"eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlLmNvbSIsInN1YiI6ImNpIn0." +
		"c2lnbmF0dXJlLWJ5dGVzLXBsYWlu"
)

func credentialValueCases() []lcase {
	config := func(name, source, key, value string, want labels) lcase {
		return lcase{name: name, source: source, env: stackEnv(map[string]string{key: value}), want: want}
	}
	const (
		kubectl = "kubectl config view --raw; clientcmd Config: users[].user token, client-key-data, exec"
		eks     = "aws eks update-kubeconfig: the user runs aws eks get-token"
	)
	scs := "stack-config-secrets"
	cses := "container-secrets-not-in-environment"
	return []lcase{
		config("config kubeconfig with a static token", kubectl, "app:kubeconfig", tokenKubeconfig,
			labels{scs: vio("a kubeconfig holding a bearer token, in plain text")}),
		config("config kubeconfig with a client key, JSON", kubectl, "kubernetes:kubeconfig", certKubeconfig,
			labels{scs: vio("the provider's kubeconfig holds client-key-data, in plain text")}),
		config("config kubeconfig with an exec plugin", eks, "kubernetes:kubeconfig", eksKubeconfig,
			labels{scs: pass("the user runs aws eks get-token: no credential in the value")}),
		config("config kubeconfig with a token file", kubectl, "app:clusterAccess",
			kubeconfigUser("    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token\n"),
			labels{scs: pass("tokenFile is a path; the token is not in the value")}),
		config("config kubeconfig with a client key path", kubectl, "app:clusterAccess",
			kubeconfigUser("    client-certificate: /home/ci/.kube/admin.crt\n    client-key: /home/ci/.kube/admin.key\n"),
			labels{scs: pass("client-key is a path to the key file")}),
		{name: "config kubeconfig with a token, set as secret", source: "pulumi config set --secret kubeconfig",
			env:  stackEnv(nil, "app:kubeconfig"),
			want: labels{scs: pass("the kubeconfig is a Pulumi secret")}},
		config("config PEM private key under a plain name", "openssl req -keyout; pulumi config set saml < key.pem",
			"app:saml", pemPrivateKey, labels{scs: vio("a PEM private key in plain text")}),
		config("config PEM certificate under a plain name", "openssl req -out; a certificate is public",
			"app:caBundle", pemCert, labels{scs: pass("a certificate, not a private key")}),
		config("config JWT under a plain name", "RFC 7519 compact JWS; a CI identity token in config", "app:ciIdentity",
			ciToken, labels{scs: vio("a JSON Web Token in plain text")}),
		config("config host name with three labels", "a dotted name is no JWT", "app:apiHost",
			"api.pulumi.example", labels{scs: pass("three dot-separated parts, but no JWT header")}),
		{name: "container kubeconfig with a static token", source: kubectl + "; ECS environment",
			rs:   []*fixture.Res{taskDef("api-td", apiContainer("KUBECONFIG_CONTENT", tokenKubeconfig))},
			want: labels{cses: vio("a kubeconfig with a bearer token in the plain environment")}},
		{name: "container kubeconfig with an exec plugin", source: eks + "; ECS environment",
			rs:   []*fixture.Res{taskDef("api-td", apiContainer("KUBECONFIG_CONTENT", eksKubeconfig))},
			want: labels{cses: pass("no credential in the kubeconfig")}},
		{name: "container PEM private key under a plain name", source: "SAML signing key as a plain env value",
			rs:   []*fixture.Res{taskDef("api-td", apiContainer("SAML_SIGNING", pemPrivateKey))},
			want: labels{cses: vio("a PEM private key in the plain environment")}},
		{name: "configmap PEM private key", source: "Kubernetes docs: ConfigMap data; a key file in a ConfigMap",
			rs:   []*fixture.Res{configMap("sso", m{"sso.pem": pemPrivateKey, "sso.crt": pemCert})},
			want: labels{"configmap-no-secrets": vio("sso.pem holds a PEM private key")}},
		{name: "configmap kubeconfig unknown until update", source: "a ConfigMap filled from another resource's output",
			rs: []*fixture.Res{configMap("cluster", m{"config": fixture.Unknown})},
			want: labels{"configmap-no-secrets": pass("a value not known, under a name that carries no secret: " +
				"nothing to judge")}},
	}
}
