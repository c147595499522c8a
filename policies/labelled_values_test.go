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

// Labelled cases of issue 18, class 5: what the secret-name detector took
// for a secret and is not. PULUMI_LOCAL_KEYS holding a file path (the GKE
// and byo installers mount a Secret holding the keys and point the variable
// at it) names where the secret is. An access key is the ID half of an
// S3-style key pair (AWS access key ID, MinIO and Ceph access key, GCS HMAC
// access ID), public like a user name; the secret half (secret key, secret
// access key) is the secret, and so are Azure Storage's account access keys.
func falsePositiveCases() []lcase {
	scs := "stack-config-secrets"
	cses := "container-secrets-not-in-environment"
	const localKeys = "/var/run/secrets/pulumi/local-keys/keys"
	// localKeysAPI is the byo and GKE installers' API container: the keys
	// file from a mounted Secret.
	localKeysAPI := func(value any) []*fixture.Res {
		d := apiDeployment(kcontainer("api", "pulumi/service:20251101", append(kenv(concat(kubeAPITLS, kubeDBTLS,
			kubeSMTP, []string{"RECAPTCHA_SECRET_KEY<secret:recaptcha-secret", "PULUMI_LICENSE_KEY<secret:license"})...),
			m{"name": "PULUMI_LOCAL_KEYS", "value": value})), kubeMigrations())
		spec := d.Inputs["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)
		spec["volumes"] = l{m{"name": "local-keys", "secret": m{"secretName": "pulumi-local-keys"}}}
		spec["containers"].([]any)[0].(map[string]any)["volumeMounts"] = l{m{"name": "local-keys",
			"mountPath": "/var/run/secrets/pulumi/local-keys", "readOnly": true}}
		return []*fixture.Res{labelPods(d, apiPodLabels), tierNetworkPolicy()}
	}
	return []lcase{
		{name: "local keys as a mounted file path", source: "byo and GKE installers: PULUMI_LOCAL_KEYS points at a mounted Secret",
			rs:   localKeysAPI(localKeys),
			want: labels{cses: pass("the value is the path of the keys file, not the keys")}},
		{name: "local keys inline in the environment", source: "a variant of the byo installer with the keys in the env",
			rs:   localKeysAPI("0123456789abcdef0123456789abcdef-plain-keys"),
			want: labels{cses: vio("the keys themselves in the plain environment")}},
		{name: "local keys not known until update", source: "a path computed from another resource's output",
			rs:   localKeysAPI(fixture.Unknown),
			want: labels{cses: unv("the value may be a path or the keys: no verdict until update")}},
		{name: "local keys path in an ECS environment", source: "ECS variant: keys from an EFS-mounted file",
			rs:   []*fixture.Res{taskDef("api-td", apiContainer("PULUMI_LOCAL_KEYS", "/mnt/efs/pulumi/local-keys"))},
			want: labels{cses: pass("a file path")}},
		{name: "configmap with the local keys path", source: "byo installer variant: settings in a ConfigMap",
			rs:   []*fixture.Res{configMap("pulumi-config", m{"PULUMI_LOCAL_KEYS": localKeys, "AWS_REGION": "us-west-2"})},
			want: labels{"configmap-no-secrets": pass("a file path")}},
		{name: "config storage access key id", source: "byo installer: S3-compatible storage (MinIO) access key and secret key",
			env:  stackEnv(map[string]string{"app:storageAccessKey": "AKIAIOSFODNN7EXAMPLE"}, "app:storageSecretKey"),
			want: labels{scs: pass("the access key is the ID half of the pair; the secret key is set as a secret")}},
		{name: "config storage secret key in plain text", source: "byo installer: MinIO secret key without --secret",
			env:  stackEnv(map[string]string{"app:storageAccessKey": "minio-user", "app:storageSecretKey": "minio-Secret-plain-9"}),
			want: labels{scs: vio("the secret key, the secret half of the pair, in plain text")}},
		{name: "config azure storage account access key", source: "Azure Storage docs: account access keys are shared keys",
			env:  stackEnv(map[string]string{"app:storageAccountAccessKey": "bXktYWNjb3VudC1rZXktcGxhaW4tdmFsdWU="}),
			want: labels{scs: vio("an Azure storage account key in plain text")}},
		{name: "container minio access key", source: "MinIO client env: access key and secret key",
			rs: []*fixture.Res{taskDef("api-td", withSecrets(apiContainer("MINIO_ACCESS_KEY", "pulumi-minio-user"),
				"MINIO_SECRET_KEY"))},
			want: labels{cses: pass("the access key is the ID half; the secret key comes from secrets")}},
		{name: "container azure storage access key", source: "Azure CLI env: AZURE_STORAGE_ACCESS_KEY",
			rs:   []*fixture.Res{taskDef("api-td", apiContainer("AZURE_STORAGE_ACCESS_KEY", "YXp1cmUta2V5LXBsYWluLXZhbHVl"))},
			want: labels{cses: vio("an Azure storage account key in the plain environment")}},
		{name: "ssm parameter holding a key file path", source: "pulumi-aws docs: aws.ssm.Parameter of type String",
			rs: []*fixture.Res{fixture.R(typeSSMParameter, "param", m{"name": "/app/tls-private-key", "type": "String",
				"value": "/etc/ssl/private/api.key"})},
			want: labels{"secret-inputs-marked-secret": pass("the value is a file path")}},
	}
}

// Labelled cases of issue 18, class 4: empty is not set. The EKS, AKS, GKE
// and byo installers write "" into the SMTP and Turnstile Secret keys when
// their config is unset (config.get(...) ?? ""); an empty value, written in
// the workload, in a ConfigMap or in a Secret of the stack, counts as not
// set for every variable the pack requires. A Secret value not known until
// update cannot be verified.
func emptyValueCases() []lcase {
	smtp, captcha := "smtp-configured", "captcha-configured"
	// k8s is the installers' API and Console Deployments (pod labels and
	// the tier NetworkPolicy, so only the case's subject is judged): SMTP
	// and the Turnstile secret key from Secret keys, the site key a value.
	k8s := func(secrets m, siteKey string, smtpEnv ...string) []*fixture.Res {
		if smtpEnv == nil {
			smtpEnv = installerSMTP
		}
		api := kcontainer("api", "pulumi/service:20251101", kenv(concat(kubeAPITLS, kubeDBTLS, smtpEnv,
			[]string{"RECAPTCHA_SECRET_KEY<secret:recaptcha-secret", "PULUMI_LICENSE_KEY<secret:license"})...))
		console := kcontainer("console", "pulumi/console:20251101", kenv("CONSOLE_TLS_CERTIFICATE=-----BEGIN CERTIFICATE-----",
			"CONSOLE_TLS_PRIVATE_KEY<secret:console-tls-key", "RECAPTCHA_SITE_KEY="+siteKey))
		return []*fixture.Res{labelPods(apiDeployment(api, kubeMigrations()), apiPodLabels),
			labelPods(deployment("pulumi-console", console), consolePodLabels), tierNetworkPolicy(), appSecrets(secrets)}
	}
	set := m{"smtp-server": "smtp.example.com:587", "smtp-username": "pulumi", "smtp-password": "smtp-Pw-k8s-1",
		"smtp-from": "noreply@example.com", "recaptcha-secret": "0x4AAA-secret-k8s", "license": "eyJhbGciOi-k8s"}
	unset := m{"smtp-server": "", "smtp-username": "", "smtp-password": "", "smtp-from": "", "recaptcha-secret": "",
		"license": "eyJhbGciOi-k8s"}
	const installers = "EKS, AKS, GKE and byo installers: config.get(...) ?? \"\" into Secret stringData"
	ecsAPI := func(smtpServer, smtpPassword string) m {
		env := []string{"API_TLS_CERTIFICATE", pemCert, "API_MIN_TLS_VERSION", "1.2", "DATABASE_CA_CERTIFICATE", pemCert,
			"DATABASE_MIN_TLS_VERSION", "1.3", "SMTP_SERVER", smtpServer, "SMTP_USERNAME", "u",
			"SMTP_GENERIC_SENDER", "noreply@example.com"}
		secrets := []string{"API_TLS_PRIVATE_KEY", "RECAPTCHA_SECRET_KEY", "PULUMI_LICENSE_KEY"}
		if smtpPassword == "" {
			secrets = append(secrets, "SMTP_PASSWORD")
		} else {
			env = append(env, "SMTP_PASSWORD", smtpPassword)
		}
		return container("api", apiImage, env, secrets...)
	}
	return []lcase{
		{name: "k8s installer with smtp and turnstile set", source: installers + ", config set",
			rs: k8s(set, "0x4AAA-site"), want: labels{smtp: pass("every SMTP key holds a value"),
				captcha: pass("both Turnstile halves hold values")}},
		{name: "k8s installer with smtp and turnstile unset", source: installers + ", config unset",
			rs: k8s(unset, ""), want: labels{smtp: vio("the four SMTP keys are empty"),
				captcha: vio("the secret key is empty and the site key is \"\"")}},
		{name: "k8s installer with an empty turnstile site key", source: installers + ", recaptchaSiteKey unset",
			rs:   k8s(set, ""),
			want: labels{captcha: vio("the Console's site key is empty, the API's secret key is set")}},
		{name: "k8s smtp password not known until update", source: installers + ", a password from another resource",
			rs:   k8s(with(set, m{"smtp-password": fixture.Unknown}), "0x4AAA-site"),
			want: labels{smtp: unv("the Secret's smtp-password is not known until update: it may be empty")}},
		{name: "k8s smtp server from an empty configmap value", source: "EKS installer variant: SMTP settings in a ConfigMap",
			rs: append(k8s(set, "0x4AAA-site", "SMTP_SERVER<cm:smtp-server", "SMTP_USERNAME<cm:smtp-username",
				"SMTP_PASSWORD<secret:smtp-password", "SMTP_GENERIC_SENDER<secret:smtp-from"),
				configMap("app-config", m{"smtp-server": "", "smtp-username": "pulumi"})),
			want: labels{smtp: vio("SMTP_SERVER reads an empty ConfigMap value")}},
		{name: "k8s api tls key empty in its secret", source: "byo installer: apiTlsKey written into a Secret, left empty",
			rs:   k8s(with(set, m{"api-tls-key": ""}), "0x4AAA-site"),
			want: labels{"api-tls": vio("API_TLS_PRIVATE_KEY reads an empty Secret value")}},
		{name: "ecs smtp server empty", source: "ECS installer (Go): smtpServer config unset, written as \"\"",
			rs:   []*fixture.Res{taskDef("api-td", ecsAPI("", ""))},
			want: labels{smtp: vio("SMTP_SERVER is \"\"")}},
		{name: "ecs smtp password empty in the environment", source: "ECS installer variant: an empty plain SMTP_PASSWORD",
			rs: []*fixture.Res{taskDef("api-td", ecsAPI("smtp.example.com:587", " "))},
			want: labels{smtp: vio("SMTP_PASSWORD is empty: not set"),
				"container-secrets-not-in-environment": pass("an empty value holds no secret")}},
	}
}

// Labelled cases of issue 18, class 7 (CAPTCHA): a message names only what
// the pack saw. API containers in a stack with no Console container (the
// Console deployed elsewhere) disagree on RECAPTCHA_SECRET_KEY.
func captchaMessageCases() []lcase {
	captcha := "captcha-configured"
	return []lcase{
		{name: "api containers disagree on the turnstile key, no console", source: "ECS installer variant: a second " +
			"API service (a worker) without the secret key; the Console in another stack",
			rs:   []*fixture.Res{taskDef("api-td", apiContainer()), taskDef("worker-td", apiWithoutCaptcha())},
			want: labels{captcha: vio("one API container sets RECAPTCHA_SECRET_KEY, the other does not")}},
		{name: "one api container with the turnstile key, no console", source: "ECS installer (Go): the API's task " +
			"definition alone; the Console in another stack",
			rs:   []*fixture.Res{taskDef("api-td", apiContainer())},
			want: labels{captcha: pass("the only CAPTCHA half in sight is set")}},
		{name: "second api container may set the turnstile key in an env file", source: "pulumi-aws docs: " +
			"aws.ecs.TaskDefinition environmentFiles",
			rs:   []*fixture.Res{taskDef("api-td", apiContainer()), taskDef("worker-td", withEnvFile(apiWithoutCaptcha()))},
			want: labels{captcha: unv("the worker may set RECAPTCHA_SECRET_KEY in its environment file")}},
	}
}
