// Package secretname decides whether a name carries a secret: a stack
// config key, an SSM parameter name or a container variable. It is the one
// detector the secrets policies share, so that `dbPassword` in config, in a
// parameter path and in an environment variable gets one verdict.
//
// A name carries a secret when its words end with a secret word sequence
// (password, token, private key, ...), optionally followed by a number or a
// word that only says how the value is encoded (value, pem, b64):
// `dbPassword2`, `SMTP_PASS`, `apiTokenValue`. A name whose secret words are
// followed by anything else describes the secret rather than holding it
// (`dbSecretArn`, `passwordMinLength`, `tokenTtl`, `PRIVATE_KEY_PATH`,
// `AWS_ACCESS_KEY_ID`), and a name whose secret words follow a flag word is
// a switch (`MYSQL_ALLOW_EMPTY_PASSWORD`, `enablePassword`). A few names are
// public by design (`RECAPTCHA_SITE_KEY`, `AG_GRID_LICENSE_KEY`, a key the
// Console ships to browsers).
//
// Value looks at the value instead: a URL or connection string with a
// password in it, a PEM private key, a JSON Web Token or a kubeconfig with a
// static credential carries a secret whatever its name.
package secretname

import (
	"net/url"
	"strings"
	"unicode"
)

// Kind says what a name holds.
type Kind int

// Kinds.
const (
	// Secret: a password, key or token; it must never be in plain text.
	Secret Kind = iota + 1
	// Certificate: a TLS certificate. Not secret itself, but the hardening
	// guide lists TLS certificates among the configuration to store with
	// `pulumi config set --secret`; a container may take one in its plain
	// environment.
	Certificate
)

// Match is why a name carries a secret.
type Match struct {
	Kind Kind
	// Why is the secret words as matched, e.g. "private key".
	Why string
}

type sequence struct {
	words []string
	kind  Kind
	// after, when set, restricts the sequence to names in which one of
	// these words comes before it.
	after map[string]bool
}

// sequences are matched longest first, so a match names "secret key"
// rather than "key".
var sequences = []sequence{
	{[]string{"secret", "access", "key"}, Secret, nil},
	{[]string{"private", "key"}, Secret, nil},
	{[]string{"license", "key"}, Secret, nil},
	{[]string{"secret", "key"}, Secret, nil},
	{[]string{"api", "key"}, Secret, nil},
	// An access key is the public half of the key pairs of AWS (access key
	// ID, secret access key), S3-compatible stores (MinIO, Ceph RGW: access
	// key and secret key) and GCS HMAC keys (access ID, secret), like a user
	// name; the secret half is named as such. Azure calls shared keys access
	// keys, and those are secret: a storage account's keys (its connection
	// string's AccountKey, AZURE_STORAGE_KEY), Azure Cache for Redis's
	// primary and secondary access keys, Service Bus and Event Hubs'
	// SharedAccessKey.
	{[]string{"access", "key"}, Secret, set("azure", "arm", "account", "shared", "primary", "secondary")},
	// A shared access signature (SAS) grants access to Azure Storage by
	// itself: the connection string's SharedAccessSignature field.
	{[]string{"shared", "access", "signature"}, Secret, nil},
	// A shared key: a Log Analytics workspace's primarySharedKey, a VPN
	// connection's pre-shared key.
	{[]string{"shared", "key"}, Secret, nil},
	{[]string{"client", "secret"}, Secret, nil},
	{[]string{"oauth", "secret"}, Secret, nil},
	{[]string{"encryption", "key"}, Secret, nil},
	{[]string{"signing", "key"}, Secret, nil},
	{[]string{"master", "key"}, Secret, nil},
	{[]string{"storage", "key"}, Secret, nil},
	{[]string{"account", "key"}, Secret, nil},
	{[]string{"session", "key"}, Secret, nil},
	{[]string{"local", "keys"}, Secret, nil},
	{[]string{"tls", "key"}, Secret, nil},
	{[]string{"ssl", "key"}, Secret, nil},
	{[]string{"connection", "string"}, Secret, nil},
	{[]string{"tls", "certificate"}, Certificate, nil},
	{[]string{"tls", "cert"}, Certificate, nil},
	{[]string{"password"}, Secret, nil},
	{[]string{"passwd"}, Secret, nil},
	{[]string{"passphrase"}, Secret, nil},
	{[]string{"pwd"}, Secret, nil},
	{[]string{"pass"}, Secret, nil},
	{[]string{"secret"}, Secret, nil},
	{[]string{"token"}, Secret, nil},
	{[]string{"credentials"}, Secret, nil},
	{[]string{"credential"}, Secret, nil},
	{[]string{"creds"}, Secret, nil},
}

// encodings may follow the secret words: they say how the secret is
// written, not what describes it.
var encodings = set("value", "values", "pem", "raw", "data", "str", "plain", "text")

// flags before the secret words make the name a switch about the secret.
// (Verbs that act on a secret, such as reset or rotate, are not among them:
// passwordResetToken holds a token.)
var flags = set("allow", "allowed", "enable", "enabled", "disable", "disabled", "require", "required",
	"skip", "empty", "no", "use", "is", "has", "random", "generate", "manage", "managed", "public", "show",
	"hide")

// public names end with keys that are public by design: the Turnstile
// site key and AG Grid's license key, which the Console ships to browsers.
var public = [][]string{{"recaptcha", "site", "key"}, {"ag", "grid", "license", "key"}}

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// Of reports whether name carries a secret.
func Of(name string) (Match, bool) {
	ws := Words(name)
	end := trimEncodings(ws)
	if end == 0 {
		return Match{}, false
	}
	for _, p := range public {
		if _, ok := endsWith(ws[:end], p); ok {
			return Match{}, false
		}
	}
	for _, seq := range sequences {
		start, ok := endsWith(ws[:end], seq.words)
		if !ok || (seq.after != nil && !anyOf(ws[:start], seq.after)) {
			continue
		}
		for _, w := range ws[:start] {
			if flags[w] {
				return Match{}, false
			}
		}
		return Match{Kind: seq.kind, Why: strings.Join(seq.words, " ")}, true
	}
	return Match{}, false
}

// trimEncodings returns how many of the words are left once numbers and
// encodings are taken off the end (Words splits "B64" into b, 64): the
// secret words end the name but for those.
func trimEncodings(ws []string) int {
	end := len(ws)
	for end > 0 {
		switch {
		case end >= 2 && ws[end-1] == "64" && (ws[end-2] == "b" || ws[end-2] == "base"):
			end -= 2
		case isNumber(ws[end-1]) || encodings[ws[end-1]]:
			end--
		default:
			return end
		}
	}
	return end
}

// endsWith reports whether ws ends with seq, as separate words or written
// as one ("apikey"), and where the match starts.
func endsWith(ws, seq []string) (int, bool) {
	if last := ws[len(ws)-1]; len(seq) > 1 && last == strings.Join(seq, "") {
		return len(ws) - 1, true
	}
	if len(ws) < len(seq) {
		return 0, false
	}
	start := len(ws) - len(seq)
	for i, w := range seq {
		if ws[start+i] != w {
			return 0, false
		}
	}
	return start, true
}

func anyOf(ws []string, in map[string]bool) bool {
	for _, w := range ws {
		if in[w] {
			return true
		}
	}
	return false
}

func isNumber(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return w != ""
}

// Words splits a name into lower-case words at case changes, between
// letters and digits, and at punctuation: "apiTLSPrivateKey" gives api, tls,
// private, key; "dbPassword2" gives db, password, 2.
func Words(name string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if len(cur) > 0 {
			prev := rs[i-1]
			switch {
			case unicode.IsDigit(r) != unicode.IsDigit(prev):
				flush()
			case unicode.IsUpper(r):
				nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
				if unicode.IsLower(prev) || (unicode.IsUpper(prev) && nextLower) {
					flush()
				}
			}
		}
		cur = append(cur, r)
	}
	flush()
	return out
}

// Value reports whether a value carries a secret whatever its name: a URL
// with a password in its user information (mysql://user:pass@host/db), a
// connection string with a non-empty password field (Server=h;Password=p),
// a PEM private key (also base64-encoded), a JSON Web Token, or a
// kubeconfig whose user holds a static credential (a bearer token, a client
// key; not an exec plugin). The returned text says what was found and
// where, never the value.
func Value(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if why, ok := kubeconfig(v); ok {
		return why, true
	}
	if why, ok := urlOrConnectionString(v); ok {
		return why, true
	}
	return credential(v)
}

func urlOrConnectionString(v string) (string, bool) {
	// A scheme has no '=' or ';': Endpoint=sb://... is a connection string.
	if i := strings.Index(v, "://"); i > 0 && !strings.ContainsAny(v[:i], " \t\n/=;&") {
		if u, err := url.Parse(v); err == nil && u.User != nil {
			if pw, ok := u.User.Password(); ok && pw != "" {
				return "a URL with a password in it", true
			}
		}
		return "", false
	}
	if !strings.Contains(v, "=") || !strings.ContainsAny(v, ";&") {
		return "", false
	}
	for _, field := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == '&' }) {
		k, val, ok := strings.Cut(field, "=")
		if !ok || strings.TrimSpace(val) == "" {
			continue
		}
		if m, ok := Of(strings.TrimSpace(k)); ok && m.Kind == Secret {
			return "a connection string with " + article(m.Why) + " field", true
		}
	}
	return "", false
}

// article puts "a" or "an" before a secret's words.
func article(what string) string {
	if what != "" && strings.ContainsRune("aeiou", rune(what[0])) {
		return "an " + what
	}
	return "a " + what
}

// Reference reports whether a value names a secret held elsewhere rather
// than holding one: an AWS ARN (arn:aws:secretsmanager:..., arn:aws:ssm:...),
// or an absolute file path (/var/run/secrets/pulumi/local-keys: a mounted
// Secret, as PULUMI_LOCAL_KEYS takes it).
func Reference(v string) bool {
	v = strings.TrimSpace(v)
	for _, p := range []string{"arn:aws:", "arn:aws-cn:", "arn:aws-us-gov:", "arn:aws-iso"} {
		if strings.HasPrefix(v, p) {
			return true
		}
	}
	return filePath(v)
}

// filePath reports whether v is an absolute file path of at least two
// parts, in the characters file names use: /run/secrets/db, C:\keys\local.
// A password may start with a slash; one of two or more plain parts with
// nothing else in it is taken for a path.
func filePath(v string) bool {
	sep := byte('/')
	switch {
	case len(v) > 3 && v[0] == '/':
		v = v[1:]
	case len(v) > 4 && v[1] == ':' && v[2] == '\\' && unicode.IsLetter(rune(v[0])):
		v, sep = v[3:], '\\'
	default:
		return false
	}
	parts := strings.Split(strings.TrimSuffix(v, string(sep)), string(sep))
	if len(parts) < 2 || len(v) > 4096 {
		return false
	}
	for _, p := range parts {
		if p == "" {
			return false
		}
		for i := 0; i < len(p); i++ {
			c := p[i]
			if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && !strings.ContainsRune("._-@~", rune(c)) {
				return false
			}
		}
	}
	return true
}
