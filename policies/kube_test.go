package policies

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/kube"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// Kubernetes workloads, in the shapes of the EKS installer: Deployments
// whose env entries are values or secretKeyRefs, Secrets with stringData,
// ConfigMaps. The same policies judge them as the ECS task definitions.

const (
	tDeployment = "kubernetes:apps/v1:Deployment"
	tPod        = "kubernetes:core/v1:Pod"
	tCronJob    = "kubernetes:batch/v1:CronJob"
	tStateful   = "kubernetes:apps/v1:StatefulSet"
	tConfigMap  = kube.TypeConfigMap
	tSecret     = kube.TypeSecret
)

// kenv builds env entries: "NAME=value" for a value, "NAME<secret:key" for a
// secretKeyRef to Secret "app-secrets", "NAME<cm:key" for a configMapKeyRef
// to ConfigMap "app-config".
func kenv(specs ...string) []any {
	var out []any
	for _, s := range specs {
		for i := 0; i < len(s); i++ {
			switch {
			case s[i] == '=':
				out = append(out, m{"name": s[:i], "value": s[i+1:]})
			case s[i] == '<' && len(s) > i+7 && s[i+1:i+8] == "secret:":
				out = append(out, m{"name": s[:i], "valueFrom": m{"secretKeyRef": m{"name": "app-secrets",
					"key": s[i+8:]}}})
			case s[i] == '<' && len(s) > i+3 && s[i+1:i+4] == "cm:":
				out = append(out, m{"name": s[:i], "valueFrom": m{"configMapKeyRef": m{"name": "app-config",
					"key": s[i+4:]}}})
			default:
				continue
			}
			break
		}
	}
	return out
}

func kcontainer(name, image string, env []any) m {
	return m{"name": name, "image": image, "env": env}
}

// deployment is a Deployment in namespace "pulumi" running the containers.
func deployment(name string, containers ...m) *fixture.Res {
	return podSpecAt(tDeployment, name, m{"containers": toList(containers)})
}

func podSpecAt(typ, name string, spec m) *fixture.Res {
	meta := m{"namespace": "pulumi"}
	switch typ {
	case tPod:
		return fixture.R(typ, name, m{"metadata": meta, "spec": spec})
	case tCronJob:
		return fixture.R(typ, name, m{"metadata": meta, "spec": m{"jobTemplate": m{"spec": m{"template": m{"spec": spec}}}}})
	}
	return fixture.R(typ, name, m{"metadata": meta, "spec": m{"template": m{"spec": spec}}})
}

func toList(ms []m) l {
	out := make(l, len(ms))
	for i, x := range ms {
		out[i] = x
	}
	return out
}

var (
	kubeAPITLS = []string{"API_TLS_CERTIFICATE=-----BEGIN CERTIFICATE-----", "API_MIN_TLS_VERSION=1.2",
		"API_TLS_PRIVATE_KEY<secret:api-tls-key"}
	kubeDBTLS = []string{"DATABASE_CA_CERTIFICATE=-----BEGIN CERTIFICATE-----", "DATABASE_MIN_TLS_VERSION=1.2"}
	kubeSMTP  = []string{"SMTP_SERVER=smtp.example.com:587", "SMTP_USERNAME=pulumi", "SMTP_GENERIC_SENDER=p@example.com",
		"SMTP_PASSWORD<secret:smtp-password"}
)

func concat(lists ...[]string) []string {
	var out []string
	for _, x := range lists {
		out = append(out, x...)
	}
	return out
}

func kubeAPI(extra ...string) m {
	return kcontainer("api", "pulumi/service:20251101", kenv(concat(kubeAPITLS, kubeDBTLS, kubeSMTP,
		[]string{"RECAPTCHA_SECRET_KEY<secret:recaptcha-secret", "PULUMI_LICENSE_KEY<secret:license"}, extra)...))
}

func kubeMigrations(extra ...string) m {
	return kcontainer("migration", "pulumi/migrations:20251101", kenv(concat(kubeDBTLS, extra)...))
}

func kubeConsole(extra ...string) m {
	return kcontainer("console", "pulumi/console:20251101", kenv(concat([]string{
		"CONSOLE_TLS_CERTIFICATE=-----BEGIN CERTIFICATE-----", "CONSOLE_TLS_PRIVATE_KEY<secret:console-tls-key",
		"RECAPTCHA_SITE_KEY=0x4AAA-site"}, extra)...))
}

// apiDeployment is the installer's API Deployment: migrations as an init
// container.
func apiDeployment(api, migrations m) *fixture.Res {
	return podSpecAt(tDeployment, "pulumi-api", m{"initContainers": l{migrations}, "containers": l{api}})
}

func configMap(name string, data m) *fixture.Res {
	return fixture.R(tConfigMap, name, m{"metadata": m{"namespace": "pulumi", "name": name}, "data": data})
}

func TestKubernetesTLS(t *testing.T) {
	runCases(t, APITLS, []caseT{
		{name: "hardened", target: "pulumi-api", rs: []*fixture.Res{apiDeployment(kubeAPI(), kubeMigrations())}},
		{name: "statefulset", target: "api", rs: []*fixture.Res{podSpecAt(tStateful, "api", m{"containers": l{kubeAPI()}})}},
		{name: "other images", target: "web", rs: []*fixture.Res{deployment("web", kcontainer("nginx", "nginx:1.27", nil))}},
		{name: "certificate from a configmap", target: "pulumi-api", rs: []*fixture.Res{
			configMap("app-config", m{"cert": "-----BEGIN CERTIFICATE-----"}),
			apiDeployment(kcontainer("api", "pulumi/service", kenv("API_TLS_CERTIFICATE<cm:cert",
				"API_MIN_TLS_VERSION=1.3", "API_TLS_PRIVATE_KEY<secret:k")), kubeMigrations())}},
		{name: "variables from envFrom", target: "pulumi-api", rs: []*fixture.Res{
			configMap("api-env", m{"API_TLS_CERTIFICATE": "-----BEGIN CERTIFICATE-----", "API_MIN_TLS_VERSION": "1.2"}),
			fixture.R(tSecret, "api-secrets", m{"metadata": m{"namespace": "pulumi", "name": "api-secrets"},
				"stringData": fixture.Secret(m{"API_TLS_PRIVATE_KEY": "-----BEGIN PRIVATE KEY-----"})}),
			apiDeployment(m{"name": "api", "image": "pulumi/service", "envFrom": l{
				m{"configMapRef": m{"name": "api-env"}}, m{"secretRef": m{"name": "api-secrets"}}}}, kubeMigrations())}},

		{name: "installer's api: no TLS variables", target: "pulumi-api", rs: []*fixture.Res{apiDeployment(
			kcontainer("api", "pulumi/service:20251101", kenv("PULUMI_LICENSE_KEY<secret:key", "AWS_REGION=us-west-2")),
			kubeMigrations())},
			both: []fixture.Want{violation(`kubernetes:apps/v1:Deployment "pulumi-api"`, `spec.template.spec.containers[0] ("api") `+
				`does not set API_TLS_CERTIFICATE, API_MIN_TLS_VERSION, API_TLS_PRIVATE_KEY (from a secret)`)}},
		{name: "pod", target: "api", rs: []*fixture.Res{podSpecAt(tPod, "api", m{"containers": l{
			kcontainer("api", "pulumi/service", kenv("API_TLS_CERTIFICATE=c", "API_TLS_PRIVATE_KEY<secret:k"))}})},
			both: []fixture.Want{violation(`spec.containers[0] ("api") does not set API_MIN_TLS_VERSION`)}},
		{name: "cronjob", target: "api", rs: []*fixture.Res{podSpecAt(tCronJob, "api", m{"containers": l{
			kcontainer("api", "pulumi/service", nil)}})},
			both: []fixture.Want{violation(`spec.jobTemplate.spec.template.spec.containers[0] ("api") does not set`)}},
		{name: "weak version from a configmap", target: "pulumi-api", rs: []*fixture.Res{
			configMap("app-config", m{"min": "1.0"}),
			apiDeployment(kcontainer("api", "pulumi/service", kenv("API_TLS_CERTIFICATE=c", "API_MIN_TLS_VERSION<cm:min",
				"API_TLS_PRIVATE_KEY<secret:k")), kubeMigrations())},
			both: []fixture.Want{violation(`sets API_MIN_TLS_VERSION to "1.0" (spec.template.spec.containers[0].env[1])`)}},

		{name: "envFrom a configmap outside the stack", target: "pulumi-api", rs: []*fixture.Res{apiDeployment(
			m{"name": "api", "image": "pulumi/service", "envFrom": l{m{"configMapRef": m{"name": "shared-env"}}}},
			kubeMigrations())},
			both: []fixture.Want{advisory(`cannot be verified: spec.template.spec.containers[0] ("api") does not set ` +
				`API_TLS_CERTIFICATE, API_MIN_TLS_VERSION, API_TLS_PRIVATE_KEY (from a secret), and may set it through ` +
				`ConfigMap "shared-env" (spec.template.spec.containers[0].envFrom[0].configMapRef.name), not in the ` +
				`stack, which the pack cannot read`)}},
		{name: "env unknown", target: "pulumi-api", rs: []*fixture.Res{apiDeployment(
			m{"name": "api", "image": "pulumi/service", "env": fixture.Unknown}, kubeMigrations())},
			preview: []fixture.Want{advisory("cannot be verified during preview: spec.template.spec.containers[0].env is not known until update")},
			update:  []fixture.Want{advisory("spec.template.spec.containers[0].env is not known")}},
		{name: "containers unknown", target: "pulumi-api", rs: []*fixture.Res{podSpecAt(tDeployment, "pulumi-api",
			m{"containers": fixture.Unknown})},
			preview: []fixture.Want{advisory("spec.template.spec.containers is not known until update")},
			update:  []fixture.Want{advisory("spec.template.spec.containers is not known")}},
		{name: "env not a list", target: "pulumi-api", rs: []*fixture.Res{apiDeployment(
			m{"name": "api", "image": "pulumi/service", "env": m{"API_TLS_CERTIFICATE": "c"}}, kubeMigrations())},
			both: []fixture.Want{advisory("spec.template.spec.containers[0].env is object, expected an array")}},
		{name: "spec wrong type", target: "pulumi-api", rs: []*fixture.Res{fixture.R(tDeployment, "pulumi-api", m{"spec": "x"})}},
		{name: "entries malformed", target: "pulumi-api", rs: []*fixture.Res{apiDeployment(m{"name": "api", "image": "pulumi/service",
			"env": l{nil, m{"value": "x"}, m{"name": "API_TLS_CERTIFICATE", "valueFrom": m{}},
				m{"name": "API_MIN_TLS_VERSION", "valueFrom": "x"}}}, kubeMigrations())},
			both: []fixture.Want{advisory("spec.template.spec.containers[0].env[0] has no name",
				"spec.template.spec.containers[0].env[1] has no name",
				"env[2].valueFrom names no source", "env[3].valueFrom is string, expected an object"),
				violation("does not set API_TLS_CERTIFICATE")}},
	})
	runCases(t, DatabaseTLS, []caseT{
		{name: "hardened", target: "pulumi-api", rs: []*fixture.Res{apiDeployment(kubeAPI(), kubeMigrations())}},
		{name: "installer's init container", target: "pulumi-api", rs: []*fixture.Res{apiDeployment(kubeAPI(),
			kcontainer("migration", "pulumi/migrations:20251101", kenv("MYSQL_ROOT_PASSWORD<secret:password")))},
			both: []fixture.Want{violation(`spec.template.spec.initContainers[0] ("migration") sets neither DATABASE_CA_CERTIFICATE`)}},
	})
	runCases(t, ConsoleTLS, []caseT{
		{name: "hardened", target: "pulumi-console", rs: []*fixture.Res{deployment("pulumi-console", kubeConsole())}},
		{name: "terminated at the load balancer", target: "pulumi-console", cfg: m{"consoleTlsTerminatedAtLoadBalancer": true},
			rs: []*fixture.Res{deployment("pulumi-console", kcontainer("console", "pulumi/console", nil))}},
		{name: "installer's console", target: "pulumi-console", rs: []*fixture.Res{deployment("pulumi-console",
			kcontainer("console", "pulumi/console:20251101", kenv("RECAPTCHA_SITE_KEY<secret:siteKey")))},
			both: []fixture.Want{violation(`spec.template.spec.containers[0] ("console") does not set CONSOLE_TLS_CERTIFICATE`)}},
	})
	runCases(t, SMTPConfigured, []caseT{
		{name: "hardened", target: "pulumi-api", rs: []*fixture.Res{apiDeployment(kubeAPI(), kubeMigrations())}},
		{name: "missing", target: "pulumi-api", rs: []*fixture.Res{apiDeployment(kcontainer("api", "pulumi/service",
			kenv(concat(kubeAPITLS, kubeDBTLS)...)), kubeMigrations())},
			both: []fixture.Want{{Kind: policy.Violation, Level: policy.Advisory, Contains: []string{"does not set SMTP_SERVER"}}}},
	})
}

func TestKubernetesCaptcha(t *testing.T) {
	av := func(s string) fixture.Want {
		return fixture.Want{Kind: policy.Violation, Level: policy.Advisory, Contains: []string{s}}
	}
	runCases(t, CaptchaConfigured, []caseT{
		{name: "both halves", target: "", rs: []*fixture.Res{apiDeployment(kubeAPI(), kubeMigrations()),
			deployment("pulumi-console", kubeConsole())}},
		{name: "ecs api, kubernetes console", target: "", rs: []*fixture.Res{taskDef("td", hardenedAPI()),
			deployment("pulumi-console", kubeConsole())}},
		{name: "neither", target: "", rs: []*fixture.Res{
			apiDeployment(kcontainer("api", "pulumi/service", kenv(kubeAPITLS...)), kubeMigrations()),
			deployment("pulumi-console", kcontainer("console", "pulumi/console", nil))},
			both: []fixture.Want{av("CAPTCHA is not configured")}},
		{name: "console half missing", target: "pulumi-console", rs: []*fixture.Res{apiDeployment(kubeAPI(), kubeMigrations()),
			deployment("pulumi-console", kcontainer("console", "pulumi/console", nil))},
			both: []fixture.Want{av(`spec.template.spec.containers[0] ("console") does not set RECAPTCHA_SITE_KEY`)}},
	})
}

func TestKubernetesContainerSecrets(t *testing.T) {
	withSecret := func(extra ...string) []*fixture.Res {
		return []*fixture.Res{apiDeployment(kubeAPI(extra...), kubeMigrations())}
	}
	runCases(t, ContainerSecretsNotInEnvironment, []caseT{
		{name: "secrets from secrets", target: "pulumi-api", rs: withSecret()},
		{name: "envFrom a secret", target: "w", rs: []*fixture.Res{deployment("w", m{"name": "w", "image": "x",
			"envFrom": l{m{"secretRef": m{"name": "anything"}}}})}},
		{name: "names that describe or switch", target: "pulumi-api", rs: withSecret("MYSQL_ALLOW_EMPTY_PASSWORD=no",
			"SMTP_PASSWORD_FILE=/run/secrets/smtp", "AWS_ACCESS_KEY_ID=AKIAEXAMPLE", "RECAPTCHA_SITE_KEY=site")},
		{name: "computed", target: "pulumi-api", rs: []*fixture.Res{apiDeployment(kcontainer("api", "pulumi/service",
			l{m{"name": "POD_TOKEN", "valueFrom": m{"fieldRef": m{"fieldPath": "metadata.name"}}}}), kubeMigrations())}},

		{name: "literal secret value", target: "pulumi-api", rs: withSecret("GITHUB_OAUTH_SECRET=gh-plain-oauth"),
			both: []fixture.Want{violation(`spec.template.spec.containers[0] ("api") sets GITHUB_OAUTH_SECRET `+
				`(spec.template.spec.containers[0].env[11], the name carries an oauth secret) in plain text in its environment`,
				"Fix: Put the value in a Kubernetes Secret", "secretKeyRef")}},
		{name: "from a configmap key", target: "pulumi-api", rs: append(withSecret("DATABASE_PASSWORD<cm:dbpw"),
			configMap("app-config", m{"dbpw": "cm-plain-pw"})),
			both: []fixture.Want{violation(`sets DATABASE_PASSWORD`, `from ConfigMap "app-config" key "dbpw": a ConfigMap holds plain text`)}},
		{name: "from a configmap's envFrom", target: "w", rs: []*fixture.Res{
			configMap("env", m{"SMTP_PASSWORD": "cm-plain-pw-2", "SMTP_SERVER": "s"}),
			deployment("w", m{"name": "w", "image": "x", "envFrom": l{m{"configMapRef": m{"name": "env"}, "prefix": "APP_"}}})},
			both: []fixture.Want{violation(`sets APP_SMTP_PASSWORD (spec.template.spec.containers[0].envFrom[0].configMapRef.name`)}},
		{name: "credentials in a url", target: "pulumi-api", rs: withSecret("DATABASE_URL=mysql://u:url-plain-pw@db/pulumi"),
			both: []fixture.Want{violation("DATABASE_URL", "the value is a URL with a password in it")}},
		{name: "side by side with ecs", target: "td", rs: []*fixture.Res{taskDef("td", hardenedAPI("GITHUB_OAUTH_SECRET", "x")),
			apiDeployment(kubeAPI("GITHUB_OAUTH_SECRET=y"), kubeMigrations())},
			elsewhere: map[string][]fixture.Want{"pulumi-api": {violation("GITHUB_OAUTH_SECRET")}},
			both:      []fixture.Want{violation("GITHUB_OAUTH_SECRET")}},
	})
}

func TestKubernetesSecretAndConfigMap(t *testing.T) {
	sec := func(data any) []*fixture.Res {
		return []*fixture.Res{fixture.R(tSecret, "s", m{"metadata": m{"name": "s"}, "stringData": data})}
	}
	runCases(t, SecretInputsMarkedSecret, []caseT{
		{name: "sdk marks it secret", target: "s", rs: sec(fixture.Secret(m{"key": "lic-plain-1"}))},
		{name: "each value secret", target: "s", rs: sec(m{"key": fixture.Secret("lic-plain-2"), "empty": ""})},
		{name: "plain values", target: "s", rs: sec(m{"key": "lic-plain-3", "password": "pw-plain-4"}),
			both: []fixture.Want{violation("stringData key(s) key, password are not Pulumi secrets")}},
		{name: "data plain too", target: "s", rs: []*fixture.Res{fixture.R(tSecret, "s", m{"data": m{"tls.key": "a2V5"}})},
			both: []fixture.Want{violation("data key(s) tls.key are not Pulumi secrets")}},
		{name: "unknown", target: "s", rs: sec(fixture.Unknown),
			preview: []fixture.Want{advisory("stringData is not known until update")},
			update:  []fixture.Want{advisory("stringData is not known")}},
		{name: "wrong type", target: "s", rs: sec("x"), both: []fixture.Want{advisory("stringData is string, expected an object")}},
	})
	runCases(t, ConfigMapNoSecrets, []caseT{
		{name: "plain settings", target: "cm", rs: []*fixture.Res{configMap("cm", m{"SMTP_SERVER": "s", "PULUMI_API_DOMAIN": "d",
			"MYSQL_ALLOW_EMPTY_PASSWORD": "no", "db-secret-arn": "arn:aws:secretsmanager:x", "url": "https://x/y"})}},
		{name: "allowed", target: "cm", cfg: m{"allowKeys": l{"smtp_password"}}, rs: []*fixture.Res{configMap("cm",
			m{"SMTP_PASSWORD": "cm-plain-5"})}},
		{name: "empty value", target: "cm", rs: []*fixture.Res{configMap("cm", m{"SMTP_PASSWORD": ""})}},

		{name: "secret keys", target: "cm", rs: []*fixture.Res{configMap("cm", m{"SMTP_PASSWORD": "cm-plain-6",
			"license-key": "cm-plain-7", "SMTP_SERVER": "s"})},
			both: []fixture.Want{violation(`the ConfigMap holds secrets in plain text: data.SMTP_PASSWORD (the key carries a ` +
				`password); data.license-key (the key carries a license key)`)}},
		{name: "credentials in a value", target: "cm", rs: []*fixture.Res{configMap("cm", m{"dsn": "postgres://u:cm-plain-8@h/db"})},
			both: []fixture.Want{violation("data.dsn (the value is a URL with a password in it)")}},
		{name: "unknown", target: "cm", rs: []*fixture.Res{fixture.R(tConfigMap, "cm", m{"data": fixture.Unknown})},
			preview: []fixture.Want{advisory("data is not known until update")},
			update:  []fixture.Want{advisory("data is not known")}},
		{name: "wrong type", target: "cm", rs: []*fixture.Res{fixture.R(tConfigMap, "cm", m{"data": l{"x"}})},
			both: []fixture.Want{advisory("data is array, expected an object of strings")}},
	})
}
