package secretname

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
)

// Credentials a value holds whatever its name: a PEM private key, a JSON
// Web Token, a kubeconfig whose user holds a static credential. What each
// returns says what was found and where, never the value.

// credential finds a credential in a value that is no kubeconfig.
func credential(v string) (string, bool) {
	if serviceAccountKey(v) {
		return "a Google Cloud service account key", true
	}
	if pemPrivateKey(v) {
		return "a PEM private key", true
	}
	if base64PEMPrivateKey(v) {
		return "a base64-encoded PEM private key", true
	}
	if raw, ok := decodeBase64(v); ok {
		// GOOGLE_CREDENTIALS and CI secrets often hold a key file in base64.
		switch {
		case serviceAccountKey(raw):
			return "a base64-encoded Google Cloud service account key", true
		case pemPrivateKey(raw):
			return "a base64-encoded PEM private key", true
		}
	}
	if jwt(v) {
		return "a JSON Web Token", true
	}
	return "", false
}

// serviceAccountKey reports whether v is a Google Cloud service account key
// file (what gcloud iam service-accounts keys create writes, and what
// GOOGLE_CREDENTIALS or the gcp:credentials config may hold): a JSON object
// of type service_account with a private_key.
func serviceAccountKey(v string) bool {
	v = strings.TrimSpace(v)
	if !strings.HasPrefix(v, "{") || !strings.Contains(v, "private_key") {
		return false
	}
	var key struct {
		Type       string `json:"type"`
		PrivateKey string `json:"private_key"`
	}
	return json.Unmarshal([]byte(v), &key) == nil && key.Type == "service_account" &&
		strings.TrimSpace(key.PrivateKey) != ""
}

// maxBase64 bounds the values decodeBase64 decodes: key files are a few
// kilobytes.
const maxBase64 = 64 << 10

// decodeBase64 decodes a value written in standard base64 (perhaps wrapped
// over lines), of at least 64 characters; ok is false for anything else.
func decodeBase64(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if len(v) < 64 || len(v) > maxBase64 {
		return "", false
	}
	clean := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '\n' || c == '\r':
		case (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=':
			clean = append(clean, c)
		default:
			return "", false
		}
	}
	b, err := base64.StdEncoding.DecodeString(string(clean))
	if err != nil {
		return "", false
	}
	return string(b), true
}

const pemBegin = "-----BEGIN "

// pemPrivateKey reports whether v holds a PEM block of a private key
// anywhere: its BEGIN line's label names one (PRIVATE KEY, RSA PRIVATE KEY,
// EC PRIVATE KEY, OPENSSH PRIVATE KEY, ENCRYPTED PRIVATE KEY, PGP PRIVATE
// KEY BLOCK).
func pemPrivateKey(v string) bool {
	rest := v
	for {
		i := strings.Index(rest, pemBegin)
		if i < 0 {
			return false
		}
		rest = rest[i+len(pemBegin):]
		j := strings.Index(rest, "-----")
		if j < 0 {
			return false
		}
		if label := rest[:j]; pemLabel(label) && strings.Contains(label, "PRIVATE KEY") {
			return true
		}
		rest = rest[j:]
	}
}

// pemLabel reports whether s can be a PEM label: upper-case words.
func pemLabel(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != ' ' && r != '-' {
			return false
		}
	}
	return true
}

// base64PEMPrivateKey reports whether v is a PEM private key encoded in
// base64 (a kubeconfig's client-key-data, a Secret's data): the encoding of
// "-----BEGIN " starts with "LS0tLS1CRUdJTi".
func base64PEMPrivateKey(v string) bool {
	v = strings.TrimSpace(v)
	if !strings.HasPrefix(v, "LS0tLS1CRUdJTi") {
		return false
	}
	// The BEGIN line is within the first 96 bytes: decode a prefix.
	head := v
	if len(head) > 128 {
		head = head[:128]
	}
	head = strings.TrimRight(head, "=")
	head = head[:len(head)/4*4]
	b, err := base64.StdEncoding.DecodeString(head)
	if err != nil {
		return false
	}
	return pemPrivateKey(string(b))
}

// jwt reports whether v is a JSON Web Token (a signed JWS in compact form,
// perhaps after "Bearer "): three base64url parts, of which the first is a
// JSON header naming its algorithm and the second a JSON object.
func jwt(v string) bool {
	v = strings.TrimSpace(v)
	if len(v) > 7 && strings.EqualFold(v[:7], "bearer ") {
		v = strings.TrimSpace(v[7:])
	}
	parts := strings.Split(v, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return false
	}
	for _, p := range parts {
		if !base64URL(p) {
			return false
		}
	}
	var header struct {
		Alg *string `json:"alg"`
	}
	h, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[0], "="))
	if err != nil || json.Unmarshal(h, &header) != nil || header.Alg == nil {
		return false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return false
	}
	var claims map[string]any
	return json.Unmarshal(payload, &claims) == nil && claims != nil
}

func base64URL(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' && c != '_' && c != '=' {
			return false
		}
	}
	return true
}

// A kubeconfig (clientcmd's Config: apiVersion v1, kind Config, clusters,
// contexts, users) holds a credential when a user's entry has a static one:
// token (a bearer token), client-key-data (the client certificate's private
// key), password (basic auth), an auth-provider's tokens or client secret,
// or a client-key that holds the key itself rather than its path. A user
// that runs an exec plugin (aws eks get-token, gke-gcloud-auth-plugin,
// kubelogin) or reads tokenFile holds none.

// kubeconfig reports what static credentials a kubeconfig value holds, in
// YAML or JSON.
func kubeconfig(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if !strings.Contains(v, "users") {
		return "", false
	}
	var doc config
	if strings.HasPrefix(v, "{") {
		doc = jsonConfig(v)
	} else {
		doc = yamlConfig(v)
	}
	if doc.top["users"] == 0 || (doc.top["clusters"] == 0 && doc.top["contexts"] == 0 && doc.kind != "Config") {
		return "", false
	}
	var found []string
	for _, e := range doc.entries {
		if what, ok := userCredential(e); ok {
			found = append(found, what+" at "+place(e.path))
		}
	}
	if len(found) == 0 {
		return "", false
	}
	return "a kubeconfig with " + strings.Join(found, ", "), true
}

// place writes a path as users[0].user.token.
func place(p []string) string {
	var b strings.Builder
	for i, k := range p {
		if i > 0 && !strings.HasPrefix(k, "[") {
			b.WriteByte('.')
		}
		b.WriteString(k)
	}
	return b.String()
}

// entry is one scalar of a kubeconfig's users: its path (users, [0], user,
// token) and value.
type entry struct {
	path  []string
	value string
}

// config is what the readers take from a kubeconfig: how often each
// top-level key appears, its kind, and the scalars under users.
type config struct {
	top     map[string]int
	kind    string
	entries []entry
}

// userCredential judges one scalar under users.
func userCredential(e entry) (string, bool) {
	p := e.path
	if len(p) < 4 || p[0] != "users" || !strings.HasPrefix(p[1], "[") || p[2] != "user" {
		return "", false
	}
	val := strings.TrimSpace(e.value)
	if val == "" {
		return "", false
	}
	switch rest := p[3:]; {
	case len(rest) == 1 && rest[0] == "token":
		return "a static bearer token", true
	case len(rest) == 1 && rest[0] == "client-key-data":
		return "a client private key", true
	case len(rest) == 1 && rest[0] == "client-key":
		// Normally a path to the key file; the key itself only when inline.
		return "a client private key", pemPrivateKey(val)
	case len(rest) == 1 && rest[0] == "password":
		return "a basic-auth password", true
	case len(rest) == 3 && rest[0] == "auth-provider" && rest[1] == "config" && plainKey(rest[2]):
		if m, ok := Of(rest[2]); ok && m.Kind == Secret {
			return "an auth-provider " + m.Why, true
		}
	}
	return "", false
}

// plainKey reports whether a key is a word the explanation may name.
func plainKey(k string) bool {
	for i := 0; i < len(k); i++ {
		c := k[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return k != ""
}

// jsonConfig reads a kubeconfig written as JSON.
func jsonConfig(v string) config {
	doc := config{top: map[string]int{}}
	var top map[string]any
	if json.Unmarshal([]byte(v), &top) != nil {
		return doc
	}
	for k := range top {
		doc.top[k]++
	}
	doc.kind, _ = top["kind"].(string)
	users, _ := top["users"].([]any)
	for i, u := range users {
		walkJSON(&doc, []string{"users", "[" + strconv.Itoa(i) + "]"}, u)
	}
	return doc
}

func walkJSON(doc *config, at []string, v any) {
	switch x := v.(type) {
	case string:
		doc.entries = append(doc.entries, entry{append([]string(nil), at...), x})
	case map[string]any:
		for k, item := range x {
			walkJSON(doc, append(at[:len(at):len(at)], k), item)
		}
	case []any:
		for i, item := range x {
			walkJSON(doc, append(at[:len(at):len(at)], "["+strconv.Itoa(i)+"]"), item)
		}
	}
}

// yamlConfig reads a kubeconfig written as YAML, in the block style kubectl
// and the cloud CLIs write: mappings and sequences by indentation, plain,
// quoted and block scalars, comments. A flow collection is read when it is
// also JSON; other YAML (anchors, tags, multi-line flow) is skipped, so a
// credential written that way is not found.
func yamlConfig(v string) config {
	doc := config{top: map[string]int{}}
	type level struct {
		indent int
		key    string // "[i]" for a sequence item
		dash   bool
		index  int
	}
	var stack []level
	path := func(key string) []string {
		out := make([]string, 0, len(stack)+1)
		for _, l := range stack {
			out = append(out, l.key)
		}
		return append(out, key)
	}
	emit := func(p []string, value string) {
		if len(p) == 1 {
			doc.top[p[0]]++
			if p[0] == "kind" {
				doc.kind = value
			}
		}
		if len(p) > 1 && p[0] == "users" {
			doc.entries = append(doc.entries, entry{p, value})
		}
	}
	lines := strings.Split(strings.ReplaceAll(v, "\r\n", "\n"), "\n")
	for n := 0; n < len(lines); n++ {
		line := lines[n]
		trimmed := strings.TrimLeft(line, " ")
		indent := len(line) - len(trimmed)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, "\t") {
			continue
		}
		if strings.HasPrefix(trimmed, "---") || strings.HasPrefix(trimmed, "...") {
			stack = stack[:0]
			continue
		}
		// Sequence items: "- " (perhaps several on one line).
		for trimmed == "-" || strings.HasPrefix(trimmed, "- ") {
			// Deeper levels end here; a mapping key at the dash's indent is
			// the sequence's parent (users:\n- name: a).
			for len(stack) > 0 && stack[len(stack)-1].indent > indent {
				stack = stack[:len(stack)-1]
			}
			index := 0
			if len(stack) > 0 && stack[len(stack)-1].dash && stack[len(stack)-1].indent == indent {
				index = stack[len(stack)-1].index + 1
				stack = stack[:len(stack)-1]
			}
			stack = append(stack, level{indent: indent, key: "[" + strconv.Itoa(index) + "]", dash: true, index: index})
			rest := strings.TrimLeft(trimmed[1:], " ")
			indent += len(trimmed) - len(rest)
			trimmed = rest
		}
		if trimmed == "" {
			continue
		}
		key, value, ok := yamlKey(trimmed)
		if !ok {
			// A scalar sequence item or a continuation line: nothing to read.
			continue
		}
		for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		switch {
		case value == "":
			stack = append(stack, level{indent: indent, key: key})
			if len(stack) == 1 {
				doc.top[key]++
			}
		case value[0] == '|' || value[0] == '>':
			// A block scalar: the lines indented deeper than its key.
			var block []string
			for n+1 < len(lines) {
				next := lines[n+1]
				nt := strings.TrimLeft(next, " ")
				if nt != "" && len(next)-len(nt) <= indent {
					break
				}
				block = append(block, nt)
				n++
			}
			emit(path(key), strings.Join(block, "\n"))
		case value[0] == '{' || value[0] == '[':
			var x any
			if json.Unmarshal([]byte(value), &x) == nil {
				p := path(key)
				if len(p) == 1 {
					doc.top[key]++
				}
				if p[0] == "users" {
					walkJSON(&doc, p, x)
				}
			}
		default:
			if s, ok := yamlScalar(value); ok {
				emit(path(key), s)
			}
		}
	}
	return doc
}

// yamlKey splits "key: value" (a plain or quoted key); value is "" for a
// key whose value follows on the next lines.
func yamlKey(s string) (key, value string, ok bool) {
	if s[0] == '"' || s[0] == '\'' {
		q, rest, ok := quoted(s)
		if !ok {
			return "", "", false
		}
		rest = strings.TrimLeft(rest, " ")
		if !strings.HasPrefix(rest, ":") || (len(rest) > 1 && rest[1] != ' ') {
			return "", "", false
		}
		return q, trimComment(strings.TrimSpace(rest[1:])), true
	}
	i := strings.Index(s, ": ")
	switch {
	case i > 0:
		key, value = s[:i], strings.TrimSpace(s[i+2:])
	case strings.HasSuffix(s, ":") && len(s) > 1:
		key = s[:len(s)-1]
	default:
		return "", "", false
	}
	if strings.ContainsAny(key, "#{}[],&*!|>'\"%@`") {
		return "", "", false
	}
	if value != "" && value[0] != '"' && value[0] != '\'' {
		value = trimComment(value)
	}
	return strings.TrimSpace(key), value, true
}

// trimComment drops a comment after a plain value.
func trimComment(s string) string {
	if strings.HasPrefix(s, "#") {
		return ""
	}
	if i := strings.Index(s, " #"); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}

// yamlScalar reads a scalar value: quoted, or plain; null is empty. ok is
// false for what it cannot read (an alias, a tag, an unterminated quote).
func yamlScalar(s string) (string, bool) {
	switch s[0] {
	case '"', '\'':
		q, _, ok := quoted(s)
		return q, ok
	case '*', '!', '&':
		return "", false
	}
	if s == "~" || s == "null" || s == "Null" || s == "NULL" {
		return "", true
	}
	return s, true
}

// quoted reads a quoted scalar at the start of s and returns it and what
// follows it.
func quoted(s string) (string, string, bool) {
	q := s[0]
	if q == '\'' {
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			if s[i] != '\'' {
				b.WriteByte(s[i])
				continue
			}
			if i+1 < len(s) && s[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			return b.String(), s[i+1:], true
		}
		return "", "", false
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			if u, err := strconv.Unquote(s[:i+1]); err == nil {
				return u, s[i+1:], true
			}
			// YAML escapes Go does not know: keep the text between the quotes.
			return s[1:i], s[i+1:], true
		}
	}
	return "", "", false
}
