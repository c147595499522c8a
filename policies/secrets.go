package policies

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
	"github.com/selfhosted-hardening/selfhosted-hardening/taskdef"
)

// The secrets family: the guide's "Secrets" line under Encryption.

// secretWords are the word sequences that make a config key or parameter
// name a secret, matched against the name split into lower-case words
// (camelCase, snake_case, kebab-case, paths). Single words also match when
// written as one word ("apikey").
var secretWords = [][]string{
	{"license", "key"}, {"password"}, {"passwd"}, {"pwd"}, {"secret"}, {"private", "key"}, {"token"},
	{"api", "key"}, {"access", "key"}, {"secret", "key"}, {"credentials"}, {"credential"},
	{"tls", "certificate"}, {"tls", "cert"}, {"tls", "key"}, {"encryption", "key"},
	{"recaptcha", "secret"}, {"oauth", "secret"}, {"client", "secret"}, {"saml", "private", "key"},
}

func init() {
	// Longest first, so a finding names "secret key" rather than "secret".
	sort.SliceStable(secretWords, func(i, j int) bool { return len(secretWords[i]) > len(secretWords[j]) })
}

// words splits a name into lower-case words at case changes, digits and
// punctuation: "apiTLSPrivateKey" gives api, tls, private, key.
func words(name string) []string {
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
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
			continue
		case unicode.IsUpper(r) && len(cur) > 0:
			prevLower := unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1])
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if prevLower || (unicode.IsUpper(rs[i-1]) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return out
}

// secretName reports whether a name carries a secret, and the words that
// say so.
func secretName(name string) (string, bool) {
	ws := words(name)
	for _, seq := range secretWords {
		joined := strings.Join(seq, "")
		for i := range ws {
			if ws[i] == joined {
				return strings.Join(seq, " "), true
			}
			if i+len(seq) <= len(ws) && equalWords(ws[i:i+len(seq)], seq) {
				return strings.Join(seq, " "), true
			}
		}
	}
	return "", false
}

func equalWords(a, b []string) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// StackConfigSecrets requires secret-looking stack config to be secret.
var StackConfigSecrets = &policy.Policy{
	Name:        "stack-config-secrets",
	DisplayName: "Secret stack config is stored as Pulumi secrets",
	Description: "Stack config values whose key names a secret (license key, password, token, API or access " +
		"key, credentials, TLS certificate or key, private or encryption key, client, OAuth or reCAPTCHA " +
		"secret, in any namespace) are set with pulumi config set --secret.",
	Section:  policy.Secrets,
	Level:    policy.Mandatory,
	Severity: policy.Critical,
	Remediation: "Re-set each listed key as a secret: pulumi config set --secret <key> (it prompts for the " +
		"value, so it stays out of shell history), then rotate the value, which sat in plain text in " +
		"Pulumi.<stack>.yaml and perhaps in version control.",
	Params: []policy.Param{
		{Name: "secretKeyPatterns", Type: policy.StringList, Item: policy.Regex, Description: "More key " +
			"names to treat as secrets: regular expressions matched (case-insensitively) against the key " +
			"without its namespace."},
		{Name: "ignoreKeys", Type: policy.StringList, Description: "Keys that are not secrets despite their " +
			"names, as namespace:key or key."},
	},
	Stack: checkStackConfigSecrets,
}

func checkStackConfigSecrets(ctx *policy.StackContext) {
	extra := ctx.Config.Regexps("secretKeyPatterns")
	ignore := map[string]bool{}
	for _, k := range ctx.Config.Strings("ignoreKeys") {
		ignore[k] = true
	}
	var found []string
	keys := make([]string, 0, len(ctx.Env.Config))
	for k := range ctx.Env.Config {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, full := range keys {
		if ctx.Env.SecretKeys[full] || ctx.Env.Config[full] == "" {
			continue
		}
		ns, name, ok := strings.Cut(full, ":")
		if !ok {
			ns, name = "", full
		}
		if ignore[full] || ignore[name] {
			continue
		}
		short := full
		if ns == ctx.Env.Project {
			short = name
		}
		if why, ok := configKeyIsSecret(name, extra); ok {
			found = append(found, fmt.Sprintf("%s (%s): pulumi config set --secret %s", full, why, short))
			continue
		}
		// Structured config: a plain object whose own keys name secrets.
		for _, p := range nestedSecrets(ctx.Env.Config[full], extra) {
			found = append(found, fmt.Sprintf("%s.%s (%s): pulumi config set --path --secret %s.%s",
				full, p.path, p.why, short, p.path))
		}
	}
	if len(found) > 0 {
		ctx.Violationf(nil, "%d stack config value(s) that carry secrets are stored in plain text: %s",
			len(found), strings.Join(found, "; "))
	}
}

func configKeyIsSecret(name string, extra []*regexp.Regexp) (string, bool) {
	if why, ok := secretName(name); ok {
		return why, true
	}
	for _, re := range extra {
		if re.MatchString(name) || re.MatchString(strings.ToLower(name)) {
			return "secretKeyPatterns " + re.String(), true
		}
	}
	return "", false
}

type nested struct{ path, why string }

func nestedSecrets(value string, extra []*regexp.Regexp) []nested {
	if !strings.HasPrefix(strings.TrimSpace(value), "{") {
		return nil
	}
	doc, err := props.ParseJSON([]byte(value))
	if err != nil {
		return nil
	}
	var out []nested
	var walk func(v props.Value, at string)
	walk = func(v props.Value, at string) {
		for _, k := range v.Keys() {
			p := k
			if at != "" {
				p = at + "." + k
			}
			child := v.Field(k)
			if why, ok := configKeyIsSecret(k, extra); ok {
				if s, isStr := child.Str(); !isStr || s != "" {
					out = append(out, nested{p, why})
				}
				continue
			}
			walk(child, p)
		}
	}
	walk(doc, "")
	return out
}

// ContainerSecretsNotInEnvironment keeps secrets out of plain container
// environments.
var ContainerSecretsNotInEnvironment = &policy.Policy{
	Name:        "container-secrets-not-in-environment",
	DisplayName: "Container secrets come from secrets, not the environment",
	Description: "No entry of an ECS container's environment has a name that carries a secret " +
		"(PULUMI_LICENSE_KEY, *_PASSWORD, *_SECRET, *_SECRET_KEY, *_PRIVATE_KEY, *_TOKEN, *_API_KEY, " +
		"AWS_SECRET_ACCESS_KEY, ...): such values belong in the container's secrets, read from Secrets " +
		"Manager or SSM Parameter Store.",
	Section:  policy.Secrets,
	Level:    policy.Mandatory,
	Severity: policy.Critical,
	Remediation: "Store the value in AWS Secrets Manager (aws.secretsmanager.Secret and SecretVersion with " +
		"a Pulumi secret as secretString) or an SSM SecureString parameter, move the variable from the " +
		"container's environment to its secrets as {name, valueFrom: <secret or parameter ARN>}, and let the " +
		"task execution role read it.",
	Params: []policy.Param{
		{Name: "secretEnvPatterns", Type: policy.StringList, Description: "More variable names that carry " +
			"secrets: shell patterns such as *_WEBHOOK_URL, matched case-insensitively."},
		{Name: "allowEnv", Type: policy.StringList, Description: "Variable names allowed in the environment " +
			"despite their names (exact, case-insensitive)."},
	},
	Types:    []string{taskdef.Type},
	Resource: checkContainerSecrets,
}

// secretEnvPatterns are the default variable names that carry secrets.
var secretEnvPatterns = []string{
	"PULUMI_LICENSE_KEY", "PULUMI_LOCAL_KEYS", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"AZURE_STORAGE_KEY", "AZURE_CLIENT_SECRET", "SAML_CERTIFICATE_PRIVATE_KEY",
	"*PASSWORD", "*PASSWD", "*_SECRET", "*_SECRET_KEY", "*_PRIVATE_KEY", "*_TOKEN", "*_API_KEY",
	"*_ACCESS_KEY", "*_OAUTH_SECRET", "*_CLIENT_SECRET", "*_CREDENTIALS", "SECRET", "TOKEN",
}

func checkContainerSecrets(ctx *policy.ResourceContext) {
	containers, _ := taskdef.Parse(ctx.Reader)
	patterns := append(append([]string(nil), secretEnvPatterns...), ctx.Config.Strings("secretEnvPatterns")...)
	allowed := map[string]bool{}
	for _, a := range ctx.Config.Strings("allowEnv") {
		allowed[strings.ToUpper(a)] = true
	}
	for _, c := range containers {
		for _, e := range c.Env {
			name := strings.ToUpper(e.Name)
			if allowed[name] {
				continue
			}
			if p, ok := matchEnv(name, patterns); ok {
				ctx.ViolationFixf(fmt.Sprintf("Move %s from environment to secrets: {\"name\": %q, \"valueFrom\": "+
					"<Secrets Manager secret or SSM SecureString parameter ARN>}. %s", e.Name, e.Name,
					ctx.Policy.Remediation),
					"%s sets %s (%s, matches %s) in plain text in its environment: the value sits in the task "+
						"definition, readable by anyone who can describe it, and in the Pulumi state",
					c.Label(), e.Name, e.Path, p)
			}
		}
	}
}

func matchEnv(name string, patterns []string) (string, bool) {
	for _, p := range patterns {
		if ok, _ := path.Match(strings.ToUpper(p), name); ok {
			return p, true
		}
	}
	return "", false
}

// SecretInputsMarkedSecret requires Pulumi secrets for inputs that land in
// the state.
var SecretInputsMarkedSecret = &policy.Policy{
	Name:        "secret-inputs-marked-secret",
	DisplayName: "Passwords and secret values are Pulumi secrets",
	Description: "Inputs that the Pulumi state would otherwise hold in plain text are Pulumi secrets: RDS " +
		"password and masterPassword, OpenSearch master user password, Secrets Manager secretString and " +
		"secretBinary, SSM SecureString values; an SSM String parameter whose name carries a secret is a " +
		"SecureString.",
	Section:  policy.Secrets,
	Level:    policy.Mandatory,
	Severity: policy.High,
	Remediation: "Pass the value as a Pulumi secret: config.RequireSecret, pulumi.ToSecret, or the output of " +
		"a random.RandomPassword; for RDS, manageMasterUserPassword: true lets AWS keep the password in " +
		"Secrets Manager instead.",
	Types: []string{typeRDSInstance, typeRDSCluster, typeOpenSearchDomain, typeElasticsearchDomain,
		typeSecretVersion, typeSSMParameter},
	Resource: checkSecretInputs,
}

func checkSecretInputs(ctx *policy.ResourceContext) {
	var paths []string
	switch ctx.Resource.Type {
	case typeRDSInstance:
		paths = []string{"password"}
	case typeRDSCluster:
		paths = []string{"masterPassword"}
	case typeOpenSearchDomain, typeElasticsearchDomain:
		paths = []string{"advancedSecurityOptions.masterUserOptions.masterUserPassword"}
	case typeSecretVersion:
		paths = []string{"secretString", "secretBinary"}
	case typeSSMParameter:
		paths = ssmPaths(ctx)
	}
	if managed, st := ctx.Bool("manageMasterUserPassword"); st == policy.Known && managed {
		return
	}
	for _, p := range paths {
		v := ctx.Value(p)
		switch {
		case v.IsNull() || v.IsSecret():
		case v.IsUnknown():
			// Whether an unknown value will be secret is itself unknown.
			ctx.NoteUnknown(p)
		default:
			ctx.Violationf("%s is not a Pulumi secret, so the Pulumi state (and anyone who can read it, e.g. "+
				"pulumi stack export) holds it in plain text", p)
		}
	}
}

// ssmPaths judges an SSM parameter's type and returns the value paths that
// must be secret.
func ssmPaths(ctx *policy.ResourceContext) []string {
	typ, st := ctx.String("type")
	switch {
	case st != policy.Known:
		return nil
	case typ == "SecureString":
		return []string{"value", "insecureValue"}
	case typ == "String" || typ == "StringList":
		name, st := ctx.String("name")
		if st != policy.Known {
			name = ctx.Resource.Name
		}
		if why, ok := secretName(name); ok {
			ctx.ViolationFixf("Set type: \"SecureString\" and pass the value as a Pulumi secret.",
				"parameter %q is of type %s, though its name carries a secret (%s): SSM stores it unencrypted",
				name, typ, why)
			return []string{"value"}
		}
	}
	return nil
}
