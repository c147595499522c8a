package policies

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/aws"
	"github.com/selfhosted-hardening/selfhosted-hardening/kube"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
	"github.com/selfhosted-hardening/selfhosted-hardening/secretname"
	"github.com/selfhosted-hardening/selfhosted-hardening/taskdef"
	"github.com/selfhosted-hardening/selfhosted-hardening/workload"
)

// The secrets family: the guide's "Secrets" line under Encryption.

var (
	paramSecretKeyPatterns = policy.RegexpsParam{Name: "secretKeyPatterns", Description: "More key names to " +
		"treat as secrets: regular expressions matched (case-insensitively) against the key without its " +
		"namespace."}
	paramIgnoreKeys = policy.StringsParam{Name: "ignoreKeys", Description: "Keys that are not secrets " +
		"despite their names, as namespace:key or key."}
)

// StackConfigSecrets requires secret-looking stack config to be secret.
var StackConfigSecrets = &policy.Policy{
	Name:        "stack-config-secrets",
	DisplayName: "Secret stack config is stored as Pulumi secrets",
	Description: "Stack config values whose key names a secret (license key, password, token, API key, secret " +
		"(access) key, credentials, TLS certificate or key, private or encryption key, client, OAuth or reCAPTCHA " +
		"secret, in any namespace), or whose value has credentials in it (a URL or connection string with a " +
		"password, a PEM private key, a JSON Web Token, a kubeconfig whose user has a static token or client " +
		"key), are set with pulumi config set --secret. Keys that describe a secret (...Arn, ...Id, ...Name, ...Length, " +
		"...Ttl), an access key (the ID half of an S3-style key pair) and values that are ARNs or file paths " +
		"do not count.",
	Section:   Secrets,
	Reference: refSecrets,
	Level:     policy.Mandatory,
	Severity:  policy.Critical,
	Remediation: "Re-set each listed key as a secret: pulumi config set --secret <key> (it prompts for the " +
		"value, so it stays out of shell history), then rotate the value, which sat in plain text in " +
		"Pulumi.<stack>.yaml and perhaps in version control.",
	Params: []policy.Param{paramSecretKeyPatterns.Param(), paramIgnoreKeys.Param()},
	Stack:  checkStackConfigSecrets,
}

func checkStackConfigSecrets(ctx *policy.StackContext) {
	extra := paramSecretKeyPatterns.Get(ctx.Config)
	ignore := map[string]bool{}
	for _, k := range paramIgnoreKeys.Get(ctx.Config) {
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
		if why, ok := configKeyIsSecret(name, ctx.Env.Config[full], extra); ok {
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

// configKeyIsSecret judges one config key (or a key nested in structured
// config) and its value: a name that carries a secret or a certificate, a
// value with credentials in it, or a key matching secretKeyPatterns. A value
// that only names a secret held elsewhere (an ARN) is not one.
func configKeyIsSecret(name, value string, extra []*regexp.Regexp) (string, bool) {
	if secretname.Reference(value) {
		return "", false
	}
	if m, ok := secretname.Of(name); ok {
		return m.Why, true
	}
	if why, ok := secretname.Value(value); ok {
		return "the value is " + why, true
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
			text, isStr := child.Str()
			if why, ok := configKeyIsSecret(k, text, extra); ok {
				if !isStr || text != "" {
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

var (
	paramSecretEnvPatterns = policy.StringsParam{Name: "secretEnvPatterns", Description: "More variable " +
		"names that carry secrets: shell patterns such as *_WEBHOOK_URL, matched case-insensitively."}
	paramAllowEnv = policy.StringsParam{Name: "allowEnv", Description: "Variable names allowed in the " +
		"environment despite their names (exact, case-insensitive)."}
)

// ContainerSecretsNotInEnvironment keeps secrets out of plain container
// environments.
var ContainerSecretsNotInEnvironment = &policy.Policy{
	Name:        "container-secrets-not-in-environment",
	DisplayName: "Container secrets come from secrets, not the environment",
	Description: "No variable of a container (ECS environment; Kubernetes env value or ConfigMap) has a " +
		"name that carries a secret " +
		"(PULUMI_LICENSE_KEY, *_PASSWORD, *_PASS, *_SECRET, *_SECRET_KEY, *_PRIVATE_KEY, *_TOKEN, *_API_KEY, " +
		"AWS_SECRET_ACCESS_KEY, ..., also with a number after them) or a value with credentials in it (a URL " +
		"with a password, a PEM private key, a JSON Web Token, a kubeconfig with a static token): such values belong in a secret store (ECS secrets from Secrets Manager or SSM " +
		"Parameter Store; a Kubernetes Secret through secretKeyRef or envFrom secretRef). An ECS secret " +
		"read from an SSM parameter of the stack of type String or StringList, which SSM stores and returns " +
		"in plain text, is not in a secret store. Names that describe " +
		"a secret (*_ARN, *_ID, *_PATH, *_FILE, ...) or switch one (MYSQL_ALLOW_EMPTY_PASSWORD), an access " +
		"key (the ID half of an S3-style key pair), and values that are ARNs or file paths (a mounted Secret) " +
		"do not count.",
	Section:   Secrets,
	Reference: refSecrets,
	Level:     policy.Mandatory,
	Severity:  policy.Critical,
	Remediation: "Store the value in AWS Secrets Manager (aws.secretsmanager.Secret and SecretVersion with " +
		"a Pulumi secret as secretString) or an SSM SecureString parameter, move the variable from the " +
		"container's environment to its secrets as {name, valueFrom: <secret or parameter ARN>}, and let the " +
		"task execution role read it.",
	Params: []policy.Param{paramSecretEnvPatterns.Param(), paramAllowEnv.Param()},
	Stack:  checkContainerSecrets,
}

func checkContainerSecrets(ctx *policy.StackContext) {
	extra := paramSecretEnvPatterns.Get(ctx.Config)
	allowed := map[string]bool{}
	for _, a := range paramAllowEnv.Get(ctx.Config) {
		allowed[strings.ToUpper(a)] = true
	}
	for _, c := range stackContainers(ctx, func(string) bool { return true }) {
		for _, v := range c.Vars {
			if allowed[strings.ToUpper(v.Name)] {
				continue
			}
			if v.Source == workload.SecretStore {
				checkPlainStore(ctx, c, v, extra)
				continue
			}
			if !v.Source.InPlainText() || v.Blank() == workload.Empty {
				continue // not in plain text, or empty: no secret
			}
			why, ok := envIsSecret(v, extra)
			if !ok {
				continue
			}
			if v.Value.IsUnknown() {
				// Its name carries a secret, but the value may only say where
				// one is (a file path): no verdict until update.
				at := v.Path
				if v.Source == workload.Plain {
					at += ".value"
				}
				ctx.Read(c.Owner).NoteUnknown(at)
				continue
			}
			where, fix := "in plain text in its environment", ""
			if c.Owner.Type == taskdef.Type {
				fix = fmt.Sprintf("Move %s from environment to secrets: {\"name\": %q, \"valueFrom\": <Secrets "+
					"Manager secret or SSM SecureString parameter ARN>}. %s", v.Name, v.Name, ctx.Policy.Remediation)
				where += ": the value sits in the task definition, readable by anyone who can describe it, and " +
					"in the Pulumi state"
			} else {
				fix = fmt.Sprintf("Put the value in a Kubernetes Secret (a Pulumi secret in its stringData) and "+
					"read it with env {name: %q, valueFrom: {secretKeyRef: {name: <secret>, key: <key>}}}.", v.Name)
				where += ": the value sits in the workload's spec, readable by anyone who can get it, and in " +
					"the Pulumi state"
				if v.Source == workload.ConfigMap {
					where = fmt.Sprintf("from %s: a ConfigMap holds plain text, readable by anyone who can get it",
						v.From)
				}
			}
			ctx.ViolationFixf(c.Owner, fix, "%s sets %s (%s, %s) %s", c.Label, v.Name, v.Path, why, where)
		}
	}
}

// checkPlainStore judges a secret variable read from a store of the stack
// that keeps values in plain text: an SSM parameter of type String. One
// whose own name carries a secret is secret-inputs-marked-secret's finding
// (the parameter's type, one root cause), not this policy's.
func checkPlainStore(ctx *policy.StackContext, c workload.Container, v workload.Var, extra []string) {
	if v.PlainStore == "" && !v.StorePending {
		return
	}
	why, ok := envIsSecret(v, extra)
	if !ok {
		return
	}
	switch {
	case v.StorePending && v.HeldBy != nil:
		ctx.Read(v.HeldBy).NoteUnknown("type") // the parameter's type
		return
	case v.StorePending:
		// Which parameter the reference names is not known until update.
		ctx.Read(c.Owner).NoteUnknown(v.Path + ".valueFrom")
		return
	}
	if m, ok := secretname.Of(taskdef.ParameterName(v.HeldBy)); ok && m.Kind == secretname.Secret {
		return
	}
	ctx.ViolationFixf(c.Owner, fmt.Sprintf("Set type: \"SecureString\" on %s and pass its value as a Pulumi secret "+
		"(the task execution role then needs kms:Decrypt on the parameter's key); a String parameter is no "+
		"secret store.", v.HeldBy.Label()),
		"%s takes %s (%s, %s) from %s: SSM stores String and StringList parameters unencrypted and returns them in "+
			"plain text to anyone who can call ssm:GetParameter, so the secret is not in a secret store",
		c.Label, v.Name, v.Path, why, v.PlainStore)
}

// article puts "a" or "an" before what a name carries: "an API key", "a
// password".
func article(what string) string {
	if what != "" && strings.ContainsRune("aeiou", rune(what[0])) {
		return "an " + what
	}
	return "a " + what
}

// envIsSecret judges one plain variable: by its name (the shared detector,
// then the policy's extra shell patterns), or by a value with credentials in
// it. A value that names where the secret is (an ARN, a file path) holds
// none.
func envIsSecret(e workload.Var, extra []string) (string, bool) {
	if v, ok := e.Value.Str(); ok && secretname.Reference(v) {
		return "", false
	}
	if m, ok := secretname.Of(e.Name); ok && m.Kind == secretname.Secret {
		return "the name carries " + article(m.Why), true
	}
	name := strings.ToUpper(e.Name)
	for _, p := range extra {
		if ok, _ := path.Match(strings.ToUpper(p), name); ok {
			return "matches secretEnvPatterns " + p, true
		}
	}
	if v, ok := e.Value.Str(); ok {
		if why, ok := secretname.Value(v); ok {
			return "the value is " + why, true
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
		"secretBinary, SSM SecureString values, every value of a Kubernetes Secret's data and stringData; an " +
		"SSM String parameter whose name carries a secret is a SecureString. Azure Database for MySQL's " +
		"administratorLoginPassword and Cloud SQL's user password and rootPassword too. A value generated " +
		"without secrecy (a random.RandomString's result, a random.RandomId) that becomes a key or password (a " +
		"Kubernetes Secret's value, such as a mounted PULUMI_LOCAL_KEYS file, a secret-named container " +
		"variable or input) is marked secret where it is generated, since the state holds the generator's " +
		"outputs too.",
	Section:   Secrets,
	Reference: refSecrets,
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Pass the value as a Pulumi secret: config.RequireSecret, pulumi.ToSecret, or the output of " +
		"a random.RandomPassword; for RDS, manageMasterUserPassword: true lets AWS keep the password in " +
		"Secrets Manager instead.",
	Types: append([]string{aws.TypeRDSInstance, aws.TypeRDSCluster, aws.TypeOpenSearchDomain,
		aws.TypeElasticsearchDomain, aws.TypeSecretVersion, aws.TypeSSMParameter, kube.TypeSecret},
		sources.SecretInputTypes()...),
	Resource: checkSecretInputs,
	Stack:    checkGeneratedSecrets,
}

// adapterSecretInputs are the adapters' own password inputs, per type
// (Azure Database for MySQL, Cloud SQL).
var adapterSecretInputs = sources.SecretInputs()

func checkSecretInputs(ctx *policy.ResourceContext) {
	var paths []string
	switch ctx.Resource.Type {
	case aws.TypeRDSInstance:
		paths = []string{"password"}
	case aws.TypeRDSCluster:
		paths = []string{"masterPassword"}
	case aws.TypeOpenSearchDomain, aws.TypeElasticsearchDomain:
		paths = []string{"advancedSecurityOptions.masterUserOptions.masterUserPassword"}
	case aws.TypeSecretVersion:
		paths = []string{"secretString", "secretBinary"}
	case aws.TypeSSMParameter:
		paths = ssmPaths(ctx)
	case kube.TypeSecret:
		checkKubernetesSecret(ctx)
		return
	default:
		paths = adapterSecretInputs[ctx.Resource.Type]
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

// checkKubernetesSecret requires the values of a Kubernetes Secret to be
// Pulumi secrets. The pulumi-kubernetes SDKs mark data and stringData secret
// themselves; a Secret that reaches the engine another way (a YAML manifest,
// a raw registration) may hold them in plain text in the state.
func checkKubernetesSecret(ctx *policy.ResourceContext) {
	for _, field := range []string{"data", "stringData"} {
		v := ctx.Value(field)
		switch v.Kind() {
		case props.Null:
			continue
		case props.Unknown:
			ctx.NoteUnknown(field)
			continue
		case props.Object:
		default:
			ctx.NoteInvalid(fmt.Sprintf("%s is %s, expected an object of strings", field, v.Kind()))
			continue
		}
		if v.IsSecret() {
			continue
		}
		var plain []string
		for _, k := range v.Keys() {
			item := v.Field(k)
			text, isStr := item.Str()
			switch {
			case item.IsSecret() || item.IsNull() || (isStr && text == ""):
			case item.IsUnknown():
				ctx.NoteUnknown(field + "." + k)
			default:
				plain = append(plain, k)
			}
		}
		if len(plain) > 0 {
			ctx.ViolationFixf("Pass the values as Pulumi secrets (config.RequireSecret, pulumi.ToSecret), or "+
				"create the Secret with the pulumi-kubernetes SDK, which marks data and stringData secret.",
				"%s key(s) %s are not Pulumi secrets, so the Pulumi state (and anyone who can read it, e.g. "+
					"pulumi stack export) holds them in plain text", field, strings.Join(plain, ", "))
		}
	}
}

var paramAllowKeys = policy.StringsParam{Name: "allowKeys", Description: "ConfigMap keys allowed despite " +
	"their names (exact, case-insensitive)."}

// ConfigMapNoSecrets keeps secrets out of Kubernetes ConfigMaps.
var ConfigMapNoSecrets = &policy.Policy{
	Name:        "configmap-no-secrets",
	DisplayName: "Kubernetes ConfigMaps hold no secrets",
	Description: "No key of a Kubernetes ConfigMap's data names a secret (the same names as for container " +
		"variables: *_PASSWORD, *_PRIVATE_KEY, PULUMI_LICENSE_KEY, ...), and no value has credentials in it " +
		"(a URL with a password, a PEM private key, a JSON Web Token, a kubeconfig with a static token): a ConfigMap is plain text to anyone who can read it in the cluster, and in " +
		"the Pulumi state.",
	Section:   Secrets,
	Reference: refSecrets,
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Move the value to a Kubernetes Secret (a Pulumi secret in its stringData) and read it with " +
		"secretKeyRef or envFrom secretRef; then rotate it, since it sat in plain text.",
	Params:   []policy.Param{paramAllowKeys.Param()},
	Types:    []string{kube.TypeConfigMap},
	Resource: checkConfigMap,
}

func checkConfigMap(ctx *policy.ResourceContext) {
	allowed := map[string]bool{}
	for _, a := range paramAllowKeys.Get(ctx.Config) {
		allowed[strings.ToUpper(a)] = true
	}
	data := ctx.Value("data")
	switch data.Kind() {
	case props.Null:
		return
	case props.Unknown:
		ctx.NoteUnknown("data")
		return
	case props.Object:
	default:
		ctx.NoteInvalid(fmt.Sprintf("data is %s, expected an object of strings", data.Kind()))
		return
	}
	var found []string
	for _, k := range data.Keys() {
		if allowed[strings.ToUpper(k)] {
			continue
		}
		v := data.Field(k)
		text, isStr := v.Str()
		if v.IsNull() || (isStr && (strings.TrimSpace(text) == "" || secretname.Reference(text))) {
			continue // empty, or naming where a secret is (an ARN, a file path)
		}
		m, named := secretname.Of(k)
		if v.IsUnknown() {
			if named && m.Kind == secretname.Secret {
				ctx.NoteUnknown(fmt.Sprintf("data[%q]", k)) // may be empty: no verdict until update
			}
			continue
		}
		if named && m.Kind == secretname.Secret {
			found = append(found, fmt.Sprintf("data.%s (the key carries %s)", k, article(m.Why)))
			continue
		}
		if why, ok := secretname.Value(text); ok && isStr {
			found = append(found, fmt.Sprintf("data.%s (the value is %s)", k, why))
		}
	}
	if len(found) > 0 {
		ctx.Violationf("the ConfigMap holds secrets in plain text: %s", strings.Join(found, "; "))
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
		if v, st := ctx.String("value"); st == policy.Known && secretname.Reference(v) {
			return nil // the value names where the secret is (an ARN, a file path)
		}
		if m, ok := secretname.Of(name); ok && m.Kind == secretname.Secret {
			ctx.ViolationFixf("Set type: \"SecureString\" and pass the value as a Pulumi secret.",
				"parameter %q is of type %s, though its name carries a secret (%s): SSM stores it unencrypted",
				name, typ, m.Why)
			return []string{"value"}
		}
	}
	return nil
}
