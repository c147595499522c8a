package secretname

import (
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Credential values the tests plant; none may appear in an explanation.
const (
	bearer    = "k8s-Static-Bearer-7f3a9c"
	keyBody   = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"
	pemKey    = "-----BEGIN RSA PRIVATE KEY-----\n" + keyBody + "\n-----END RSA PRIVATE KEY-----\n"
	basicPass = "basic-Auth-pw-19"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func b64url(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// testJWT is a service account token's shape: header, claims, signature.
var testJWT = b64url(`{"alg":"RS256","kid":"k1"}`) + "." +
	b64url(`{"iss":"kubernetes/serviceaccount","sub":"system:serviceaccount:ci:deployer"}`) + "." +
	b64url("signature-bytes-0123456789")

const cluster = `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=
    server: https://ABCDEF.gr7.us-west-2.eks.amazonaws.com
  name: prod
contexts:
- context:
    cluster: prod
    user: prod
  name: prod
current-context: prod
`

// eksExec is the kubeconfig the EKS installer and aws eks update-kubeconfig
// write: the user runs aws eks get-token.
const eksExec = cluster + `users:
- name: prod
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args:
        - eks
        - get-token
        - --cluster-name
        - prod
      env:
        - name: AWS_PROFILE
          value: prod
`

func kubeUser(user string) string { return cluster + "users:\n- name: prod\n  user:\n" + user }

func TestValueCredentials(t *testing.T) {
	cases := []struct {
		name, value string
		why         string // "" : no credential
	}{
		// Kubeconfigs.
		{"exec plugin", eksExec, ""},
		{"gke exec plugin", kubeUser("    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n" +
			"      command: gke-gcloud-auth-plugin\n      provideClusterInfo: true\n"), ""},
		{"token file", kubeUser("    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token\n"), ""},
		{"client key path", kubeUser("    client-certificate: /home/ci/.kube/client.crt\n" +
			"    client-key: /home/ci/.kube/client.key\n"), ""},
		{"empty token", kubeUser("    token: \"\"\n"), ""},
		{"null token", kubeUser("    token: null\n"), ""},
		{"static token", kubeUser("    token: " + bearer + "\n"),
			"a kubeconfig with a static bearer token at users[0].user.token"},
		{"service account token", kubeUser("    token: " + testJWT + "\n"),
			"a kubeconfig with a static bearer token at users[0].user.token"},
		{"quoted token with a hash", kubeUser("    token: \"" + bearer + " #x\" # comment\n"),
			"a kubeconfig with a static bearer token at users[0].user.token"},
		{"single-quoted token", kubeUser("    'token': '" + bearer + "'\n"),
			"a kubeconfig with a static bearer token at users[0].user.token"},
		{"client key data", kubeUser("    client-certificate-data: LS0tLS1CRUdJTiBDRVJU\n" +
			"    client-key-data: " + b64(pemKey) + "\n"),
			"a kubeconfig with a client private key at users[0].user.client-key-data"},
		{"inline client key", kubeUser("    client-key: |\n      -----BEGIN EC PRIVATE KEY-----\n      " + keyBody +
			"\n      -----END EC PRIVATE KEY-----\n"),
			"a kubeconfig with a client private key at users[0].user.client-key"},
		{"basic auth", kubeUser("    username: admin\n    password: " + basicPass + "\n"),
			"a kubeconfig with a basic-auth password at users[0].user.password"},
		{"oidc auth provider", kubeUser("    auth-provider:\n      name: oidc\n      config:\n" +
			"        client-id: kubernetes\n        client-secret: oidc-Client-secret-4\n" +
			"        id-token: " + testJWT + "\n        idp-issuer-url: https://login.example.com\n"),
			"a kubeconfig with an auth-provider client secret at users[0].user.auth-provider.config.client-secret, " +
				"an auth-provider token at users[0].user.auth-provider.config.id-token"},
		{"second user holds a token", strings.Replace(eksExec, "users:\n", "users:\n- name: ci\n  user:\n    token: "+
			bearer+"\n", 1), "a kubeconfig with a static bearer token at users[0].user.token"},
		{"indented sequences", "apiVersion: v1\nkind: Config\nusers:\n  - name: a\n    user:\n      exec:\n" +
			"        command: aws\n  - name: b\n    user:\n      token: " + bearer + "\n",
			"a kubeconfig with a static bearer token at users[1].user.token"},
		{"flow user", cluster + "users:\n- name: prod\n  user: {\"token\": \"" + bearer + "\"}\n",
			"a kubeconfig with a static bearer token at users[0].user.token"},
		{"windows line ends", strings.ReplaceAll(kubeUser("    token: "+bearer+"\n"), "\n", "\r\n"),
			"a kubeconfig with a static bearer token at users[0].user.token"},
		{"json exec", `{"apiVersion":"v1","kind":"Config","clusters":[{"name":"c","cluster":{"server":"https://x"}}],` +
			`"users":[{"name":"u","user":{"exec":{"command":"aws","args":["eks","get-token"]}}}]}`, ""},
		{"json token", `{"apiVersion":"v1","kind":"Config","clusters":[{"name":"c","cluster":{"server":"https://x"}}],` +
			`"users":[{"name":"u","user":{"token":"` + bearer + `"}}]}`,
			"a kubeconfig with a static bearer token at users[0].user.token"},
		{"not a kubeconfig", "users:\n- name: a\n  user:\n    token: " + bearer + "\n", ""},
		{"token outside users", cluster + "preferences:\n  token: " + bearer + "\nusers: []\n", ""},

		// PEM and base64 PEM.
		{"pem private key", pemKey, "a PEM private key"},
		{"pkcs8 key in text", "key follows\n-----BEGIN PRIVATE KEY-----\n" + keyBody, "a PEM private key"},
		{"openssh key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA", "a PEM private key"},
		{"base64 pem key", b64(pemKey), "a base64-encoded PEM private key"},
		{"certificate", "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----", ""},
		{"public key", "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0B", ""},
		{"base64 certificate", b64("-----BEGIN CERTIFICATE-----\nMIIB"), ""},
		{"lower-case label", "-----BEGIN private key-----", ""},
		{"unterminated BEGIN", "-----BEGIN PRIVATE KEY", ""},

		// JSON Web Tokens.
		{"jwt", testJWT, "a JSON Web Token"},
		{"bearer jwt", "Bearer " + testJWT, "a JSON Web Token"},
		{"host name", "api.pulumi.example", ""},
		{"version", "1.2.3", ""},
		{"jwt without alg", b64url(`{"typ":"JWT"}`) + "." + b64url(`{"sub":"x"}`) + ".c2ln", ""},
		{"jwt with a non-object payload", b64url(`{"alg":"HS256"}`) + "." + b64url(`"x"`) + ".c2ln", ""},
		{"license-like", "eyJhbGciOi-license-jwt", ""},
		{"empty", "", ""},
	}
	for _, c := range cases {
		why, ok := Value(c.value)
		switch {
		case c.why == "" && ok:
			t.Errorf("%s: Value = %q, want no credential", c.name, why)
		case c.why != "" && !ok:
			t.Errorf("%s: no credential found, want %q", c.name, c.why)
		case why != c.why:
			t.Errorf("%s: Value = %q, want %q", c.name, why, c.why)
		}
		for _, secret := range []string{bearer, keyBody, basicPass, testJWT, "oidc-Client-secret-4", b64(pemKey)} {
			if strings.Contains(why, secret) {
				t.Errorf("%s: the explanation %q shows a credential", c.name, why)
			}
		}
	}
}

// whyGrammar is every explanation Value may give: fixed phrases, and for
// kubeconfigs the place of each credential (the path holds key names and
// indexes from the document, never a value).
var whyGrammar = regexp.MustCompile(`^(a URL with a password in it|a connection string with an? [a-z ]+ field|` +
	`a PEM private key|a base64-encoded PEM private key|a JSON Web Token|` +
	`a Google Cloud service account key|a base64-encoded Google Cloud service account key|` +
	`a kubeconfig with (a static bearer token|a client private key|a basic-auth password|an auth-provider [a-z ]+) ` +
	`at users\[\d+\]\.user\.[^,]+(, (a static bearer token|a client private key|a basic-auth password|` +
	`an auth-provider [a-z ]+) at users\[\d+\]\.user\.[^,]+)*)$`)

// FuzzValue checks the value-based detector on any value, and the
// kubeconfig reader against itself: a credential planted as a user's token,
// in YAML (double- or single-quoted) or JSON, is found whatever it is
// unless empty, and never shown; the same text as an exec plugin's argument
// is no kubeconfig credential.
func FuzzValue(f *testing.F) {
	for _, s := range []string{bearer, testJWT, pemKey, b64(pemKey), "", " ", "a#b", "'", "\"", "\\", "x: y",
		"- z", "\n", "null", "mysql://u:p@h/db", "Server=a;Password=b;", "\xff", eksExec} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		why, ok := Value(s)
		if ok && !whyGrammar.MatchString(why) {
			t.Fatalf("Value(%q) = %q: not an explanation the detector gives", s, why)
		}

		want := strings.TrimSpace(s) != ""
		single := "'" + strings.ReplaceAll(s, "'", "''") + "'"
		js, _ := json.Marshal(map[string]any{"apiVersion": "v1", "kind": "Config",
			"users": []any{map[string]any{"name": "u", "user": map[string]any{"token": s}}}})
		forms := map[string]string{"json": string(js)}
		if !strings.ContainsAny(s, "\r\n") {
			forms["single-quoted"] = kubeUser("    token: " + single + "\n")
		}
		if q := strconv.Quote(s); !strings.Contains(q, `\x`) && !strings.Contains(q, `\U`) {
			forms["double-quoted"] = kubeUser("    token: " + q + "\n")
		}
		for form, doc := range forms {
			why, ok := Value(doc)
			if want && !strings.HasPrefix(why, "a kubeconfig with a static bearer token at users[0].user.token") {
				t.Fatalf("%s token %q: Value = %q, %v; want the token found", form, s, why, ok)
			}
			if !want && strings.HasPrefix(why, "a kubeconfig") {
				t.Fatalf("%s empty token %q: Value = %q", form, s, why)
			}
			if ok && !whyGrammar.MatchString(why) {
				t.Fatalf("%s token %q: %q is not an explanation the detector gives", form, s, why)
			}
		}

		if !strings.ContainsAny(s, "\r\n") {
			exec := strings.Replace(eksExec, "- prod\n      env:", "- "+single+"\n      env:", 1)
			if why, _ := Value(exec); strings.HasPrefix(why, "a kubeconfig") {
				t.Fatalf("exec argument %q: Value = %q, want no kubeconfig credential", s, why)
			}
		}
	})
}
