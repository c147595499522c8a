package policies

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// Empty is not set (issue 18, class 4): the EKS, AKS, GKE and byo
// installers write "" into the SMTP and Turnstile Secret keys when their
// config is unset (config.get(...) ?? ""). An empty value, written in the
// workload, in a ConfigMap or in a Secret of the stack, counts as not set
// for every variable the pack requires; a Secret value not known until
// update is noted, not judged.

// appSecrets is Secret "app-secrets" (namespace pulumi), which kenv's
// "NAME<secret:key" entries read, with this stringData, as the
// pulumi-kubernetes SDK marks it: a Pulumi secret.
func appSecrets(stringData m) *fixture.Res {
	return fixture.R(tSecret, "app-secrets", m{"metadata": m{"namespace": "pulumi", "name": "app-secrets"},
		"stringData": fixture.Secret(stringData)})
}

// smtpAPI is the API Deployment with TLS and these SMTP entries.
func smtpAPI(smtp ...string) *fixture.Res {
	return apiDeployment(kcontainer("api", "pulumi/service:20251101", kenv(concat(kubeAPITLS, kubeDBTLS, smtp,
		[]string{"RECAPTCHA_SECRET_KEY<secret:recaptcha-secret", "PULUMI_LICENSE_KEY<secret:license"})...)),
		kubeMigrations())
}

// installerSMTP reads all four SMTP variables from Secret keys, as the
// installers do.
var installerSMTP = []string{"SMTP_SERVER<secret:smtp-server", "SMTP_USERNAME<secret:smtp-username",
	"SMTP_PASSWORD<secret:smtp-password", "SMTP_GENERIC_SENDER<secret:smtp-from"}

// advisoryVio is a violation of an advisory policy (SMTP, CAPTCHA).
func advisoryVio(contains ...string) fixture.Want {
	return fixture.Want{Kind: policy.Violation, Level: policy.Advisory, Contains: contains}
}

func TestSMTPEmptyIsNotSet(t *testing.T) {
	const api = `spec.template.spec.containers[0] ("api") does not set `
	runCases(t, SMTPConfigured, []caseT{
		{name: "secret values set", target: "pulumi-api", rs: []*fixture.Res{smtpAPI(installerSMTP...),
			appSecrets(m{"smtp-server": "smtp.example.com:587", "smtp-username": "pulumi", "smtp-password": "smtp-Pw-3",
				"smtp-from": "noreply@example.com"})}},
		{name: "installer's empty secret values", target: "pulumi-api", rs: []*fixture.Res{smtpAPI(installerSMTP...),
			appSecrets(m{"smtp-server": "", "smtp-username": "", "smtp-password": "", "smtp-from": ""})},
			both: []fixture.Want{advisoryVio(api + "SMTP_SERVER, SMTP_USERNAME, SMTP_GENERIC_SENDER, SMTP_PASSWORD (from a secret)")}},
		{name: "white space is empty", target: "pulumi-api", rs: []*fixture.Res{smtpAPI(installerSMTP...),
			appSecrets(m{"smtp-server": "smtp.example.com:587", "smtp-username": "pulumi", "smtp-password": " \n",
				"smtp-from": "noreply@example.com"})},
			both: []fixture.Want{advisoryVio(api + "SMTP_PASSWORD (from a secret)")}},
		{name: "empty base64 data", target: "pulumi-api", rs: []*fixture.Res{smtpAPI(kubeSMTP...),
			fixture.R(tSecret, "app-secrets", m{"metadata": m{"namespace": "pulumi", "name": "app-secrets"},
				"data": fixture.Secret(m{"smtp-password": ""})})},
			both: []fixture.Want{advisoryVio(api + "SMTP_PASSWORD (from a secret)")}},
		{name: "base64 of white space", target: "pulumi-api", rs: []*fixture.Res{smtpAPI(kubeSMTP...),
			fixture.R(tSecret, "app-secrets", m{"metadata": m{"namespace": "pulumi", "name": "app-secrets"},
				"data": fixture.Secret(m{"smtp-password": "ICA="})})},
			both: []fixture.Want{advisoryVio(api + "SMTP_PASSWORD (from a secret)")}},
		{name: "stringData over data", target: "pulumi-api", rs: []*fixture.Res{smtpAPI(kubeSMTP...),
			fixture.R(tSecret, "app-secrets", m{"metadata": m{"namespace": "pulumi", "name": "app-secrets"},
				"data": fixture.Secret(m{"smtp-password": ""}), "stringData": fixture.Secret(m{"smtp-password": "pw-9"})})}},
		{name: "literal empty values", target: "pulumi-api", rs: []*fixture.Res{smtpAPI("SMTP_SERVER=", "SMTP_USERNAME=  ",
			"SMTP_GENERIC_SENDER=p@example.com", "SMTP_PASSWORD<secret:smtp-password")},
			both: []fixture.Want{advisoryVio(api + "SMTP_SERVER, SMTP_USERNAME")}},
		{name: "empty configmap values", target: "pulumi-api", rs: []*fixture.Res{smtpAPI("SMTP_SERVER<cm:smtp-server",
			"SMTP_USERNAME<cm:smtp-username", "SMTP_GENERIC_SENDER=p@example.com", "SMTP_PASSWORD<secret:smtp-password"),
			configMap("app-config", m{"smtp-server": "", "smtp-username": "pulumi"})},
			both: []fixture.Want{advisoryVio(api + "SMTP_SERVER")}},
		{name: "empty keys through envFrom", target: "pulumi-api", rs: []*fixture.Res{
			apiDeployment(m{"name": "api", "image": "pulumi/service", "env": kenv(concat(kubeAPITLS, kubeDBTLS)...),
				"envFrom": l{m{"secretRef": m{"name": "smtp"}}, m{"configMapRef": m{"name": "smtp-settings"}}}}, kubeMigrations()),
			fixture.R(tSecret, "smtp", m{"metadata": m{"namespace": "pulumi", "name": "smtp"},
				"stringData": fixture.Secret(m{"SMTP_PASSWORD": ""})}),
			configMap("smtp-settings", m{"SMTP_SERVER": "smtp.example.com:587", "SMTP_USERNAME": "",
				"SMTP_GENERIC_SENDER": "noreply@example.com"})},
			both: []fixture.Want{advisoryVio(api + "SMTP_USERNAME, SMTP_PASSWORD (from a secret)")}},
		{name: "a secret outside the stack", target: "pulumi-api", rs: []*fixture.Res{smtpAPI(installerSMTP...)}},
		{name: "secret value not known until update", target: "app-secrets", rs: []*fixture.Res{smtpAPI(installerSMTP...),
			appSecrets(m{"smtp-server": "smtp.example.com:587", "smtp-username": "pulumi", "smtp-password": fixture.Unknown,
				"smtp-from": "noreply@example.com"})},
			both: []fixture.Want{advisory(`stringData["smtp-password"]`, "not known until update")}},
		{name: "secret data not known until update", target: "app-secrets", rs: []*fixture.Res{smtpAPI(installerSMTP...),
			fixture.R(tSecret, "app-secrets", m{"metadata": m{"namespace": "pulumi", "name": "app-secrets"},
				"stringData": fixture.Unknown})},
			both: []fixture.Want{advisory("stringData", "not known until update")}},
		{name: "secret name not known until update", target: "pulumi-api", rs: []*fixture.Res{
			apiDeployment(kcontainer("api", "pulumi/service", append(kenv(concat(kubeAPITLS, kubeDBTLS,
				[]string{"SMTP_SERVER=s:587", "SMTP_USERNAME=u", "SMTP_GENERIC_SENDER=p@example.com"})...),
				m{"name": "SMTP_PASSWORD", "valueFrom": m{"secretKeyRef": m{"name": fixture.Unknown, "key": "pw"}}})),
				kubeMigrations())},
			both: []fixture.Want{advisory("env[8].valueFrom.secretKeyRef.name", "not known until update")}},
		{name: "plain value not known until update", target: "pulumi-api", rs: []*fixture.Res{
			apiDeployment(kcontainer("api", "pulumi/service", append(kenv(concat(kubeAPITLS, kubeDBTLS,
				[]string{"SMTP_USERNAME=u", "SMTP_GENERIC_SENDER=p@example.com", "SMTP_PASSWORD<secret:smtp-password"})...),
				m{"name": "SMTP_SERVER", "value": fixture.Unknown})), kubeMigrations())},
			both: []fixture.Want{advisory("env[8].value", "not known until update")}},
		{name: "ecs empty and valueless entries", target: "td", rs: []*fixture.Res{taskDef("td", withSecrets(
			map[string]any{"name": "api", "image": apiImage, "environment": []any{
				m{"name": "SMTP_SERVER", "value": ""}, m{"name": "SMTP_USERNAME"},
				m{"name": "SMTP_GENERIC_SENDER", "value": "noreply@example.com"}}}, "SMTP_PASSWORD"))},
			both: []fixture.Want{advisoryVio(`containerDefinitions[0] ("api") does not set SMTP_SERVER, SMTP_USERNAME`)}},
	})
}

func TestCaptchaEmptyIsNotSet(t *testing.T) {
	console := func(siteKey string) *fixture.Res {
		return deployment("pulumi-console", kcontainer("console", "pulumi/console:20251101",
			kenv("RECAPTCHA_SITE_KEY"+siteKey)))
	}
	runCases(t, CaptchaConfigured, []caseT{
		{name: "both halves set", target: "", rs: []*fixture.Res{smtpAPI(kubeSMTP...), console("=0x4AAA-site"),
			appSecrets(m{"recaptcha-secret": "0x4AAA-secret-1"})}},
		{name: "installer's empty turnstile keys", target: "", rs: []*fixture.Res{smtpAPI(kubeSMTP...), console("="),
			appSecrets(m{"recaptcha-secret": ""})},
			both: []fixture.Want{advisoryVio("CAPTCHA is not configured")}},
		{name: "empty site key", target: "pulumi-console", rs: []*fixture.Res{smtpAPI(kubeSMTP...), console("="),
			appSecrets(m{"recaptcha-secret": "0x4AAA-secret-1"})},
			both: []fixture.Want{advisoryVio(`does not set RECAPTCHA_SITE_KEY, though the API's RECAPTCHA_SECRET_KEY is set`)}},
		{name: "secret key not known until update", target: "app-secrets", rs: []*fixture.Res{smtpAPI(kubeSMTP...),
			console("=0x4AAA-site"), appSecrets(m{"recaptcha-secret": fixture.Unknown})},
			both: []fixture.Want{advisory(`stringData["recaptcha-secret"]`, "not known until update")}},
	})
}

func TestAPITLSEmptyKey(t *testing.T) {
	runCases(t, APITLS, []caseT{
		{name: "empty private key in a secret", target: "pulumi-api", rs: []*fixture.Res{smtpAPI(kubeSMTP...),
			appSecrets(m{"api-tls-key": ""})},
			both: []fixture.Want{violation(`does not set API_TLS_PRIVATE_KEY (from a secret)`)}},
		{name: "private key in a secret", target: "pulumi-api", rs: []*fixture.Res{smtpAPI(kubeSMTP...),
			appSecrets(m{"api-tls-key": "-----BEGIN PRIVATE KEY-----\nMIIE-tls"})}},
	})
}

func TestEmptySecretVariableIsNoSecret(t *testing.T) {
	runCases(t, ContainerSecretsNotInEnvironment, []caseT{
		{name: "empty plain password", target: "pulumi-api", rs: []*fixture.Res{smtpAPI("SMTP_SERVER=s:587",
			"SMTP_USERNAME=u", "SMTP_GENERIC_SENDER=p@example.com", "SMTP_PASSWORD=")}},
		{name: "plain password", target: "pulumi-api", rs: []*fixture.Res{smtpAPI("SMTP_PASSWORD=smtp-Plain-pw")},
			both: []fixture.Want{violation("sets SMTP_PASSWORD")}},
	})
}
