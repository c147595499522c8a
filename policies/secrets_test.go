package policies

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
	"github.com/selfhosted-hardening/selfhosted-hardening/taskdef"
)

func TestStackConfigSecrets(t *testing.T) {
	const license = "LICENSE-JWT-eyJhbGciOi-plain"
	env := func(plain map[string]string, secret ...string) *policy.Env {
		e := &policy.Env{Project: "app", Config: map[string]string{}, SecretKeys: map[string]bool{}}
		for k, v := range plain {
			e.Config[k] = v
		}
		for _, k := range secret {
			e.Config[k] = "s3cr3t-value-" + k
			e.SecretKeys[k] = true
		}
		return e
	}
	cases := []struct {
		name string
		env  *policy.Env
		cfg  map[string]any
		want []string // substrings of the one finding; nil: no finding
	}{
		{"all secret", env(map[string]string{"app:smtpServer": "smtp.example.com", "app:kmsServiceKeyId": "k-1",
			"app:recaptchaSiteKey": "site", "app:acmCertificateArn": "arn:aws:acm:x"},
			"app:licenseKey", "app:smtpPassword", "app:recaptchaSecretKey"), nil, nil},
		{"license in plain text", env(map[string]string{"app:licenseKey": license}), nil,
			[]string{"1 stack config value(s)", "app:licenseKey (license key): pulumi config set --secret licenseKey"}},
		{"other namespace", env(map[string]string{"aws:secretKey": "AKIA-plain-secret-key"}), nil,
			[]string{"aws:secretKey (secret key): pulumi config set --secret aws:secretKey"}},
		{"several", env(map[string]string{"app:smtpPassword": "pw-plain-1", "app:apiToken": "tok-plain-2"}), nil,
			[]string{"2 stack config value(s)", "app:apiToken (token)", "app:smtpPassword (password)"}},
		{"empty value", env(map[string]string{"app:licenseKey": ""}), nil, nil},
		{"keys that describe a secret", env(map[string]string{"app:dbSecretArn": "arn:aws:secretsmanager:x",
			"app:tlsCertificateArn": "arn:aws:acm:x", "app:passwordMinLength": "16", "app:tokenTtl": "3600",
			"app:dbPasswordSecretName": "db-pw", "app:dbSecret": "arn:aws:secretsmanager:us-west-2:1:secret:db"}), nil, nil},
		{"number and abbreviation", env(map[string]string{"app:dbPassword2": "pw-plain-2", "app:adminPwd": "pw-plain-3"}), nil,
			[]string{"2 stack config value(s)", "app:adminPwd (pwd)", "app:dbPassword2 (password)"}},
		{"credentials in a url", env(map[string]string{"app:databaseUrl": "postgres://u:url-plain-pw@db/app"}), nil,
			[]string{"app:databaseUrl (the value is a URL with a password in it)"}},
		{"tls certificate", env(map[string]string{"app:apiTlsCertificate": "-----BEGIN CERTIFICATE-----"}), nil,
			[]string{"app:apiTlsCertificate (tls certificate)"}},
		{"ignored", env(map[string]string{"app:tokenTtl": "3600"}), map[string]any{"ignoreKeys": []any{"tokenTtl"}}, nil},
		{"extra pattern", env(map[string]string{"app:slackWebhook": "https://hooks.example/x"}),
			map[string]any{"secretKeyPatterns": []any{"webhook"}}, []string{"app:slackWebhook (secretKeyPatterns webhook)"}},
		{"structured", env(map[string]string{"app:smtp": `{"server":"s","password":"nested-plain-pw"}`}), nil,
			[]string{"app:smtp.password (password): pulumi config set --path --secret smtp.password"}},
		// Credentials judged by value, under names that say nothing.
		{"kubeconfig with a static token", env(map[string]string{"app:kubeconfig": tokenKubeconfig}), nil,
			[]string{"app:kubeconfig (the value is a kubeconfig with a static bearer token at users[0].user.token): " +
				"pulumi config set --secret kubeconfig"}},
		{"kubeconfig with a client key", env(map[string]string{"kubernetes:kubeconfig": certKubeconfig}), nil,
			[]string{"kubernetes:kubeconfig (the value is a kubeconfig with a client private key at " +
				"users[0].user.client-key-data): pulumi config set --secret kubernetes:kubeconfig"}},
		{"kubeconfig with an exec plugin", env(map[string]string{"kubernetes:kubeconfig": eksKubeconfig}), nil, nil},
		{"private key and token", env(map[string]string{"app:saml": pemPrivateKey, "app:ciIdentity": ciToken}), nil,
			[]string{"2 stack config value(s)", "app:ciIdentity (the value is a JSON Web Token)",
				"app:saml (the value is a PEM private key)"}},
	}
	for _, c := range cases {
		for _, mode := range fixture.Modes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				fs := fixture.Run(t, StackConfigSecrets, mode, c.cfg, c.env)
				if c.want == nil {
					fixture.Check(t, fs)
					return
				}
				fixture.Check(t, fs, violation(c.want...))
				if fs[0].Resource != nil || fs[0].Level != policy.Mandatory || fs[0].Policy.Severity != policy.Critical {
					t.Errorf("want one critical finding on the stack: %+v", fs[0])
				}
				for k, v := range c.env.Config {
					if v != "" && strings.Contains(fs[0].Message, v) {
						t.Errorf("the value of %s appears in the message", k)
					}
				}
			})
		}
	}
}

func containers(t *testing.T, defs ...map[string]any) string {
	t.Helper()
	data, err := json.Marshal(defs)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func env(pairs ...string) []any {
	var out []any
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, map[string]any{"name": pairs[i], "value": pairs[i+1]})
	}
	return out
}

func TestContainerSecretsNotInEnvironment(t *testing.T) {
	const license = "lic-3f9a-plain-license-value"
	td := func(defs any) []*fixture.Res {
		return []*fixture.Res{fixture.R(taskdef.Type, "td", map[string]any{"containerDefinitions": defs})}
	}
	api := func(e []any, secrets ...any) map[string]any {
		return map[string]any{"name": "api", "image": "pulumi/service:latest", "environment": e, "secrets": secrets}
	}
	runCases(t, ContainerSecretsNotInEnvironment, []caseT{
		{name: "secrets from secrets manager", target: "td", rs: td(containers(t, api(env("PULUMI_KMS_KEY", "k-1"),
			map[string]any{"name": "PULUMI_LICENSE_KEY", "valueFrom": "arn:aws:secretsmanager:x"})))},
		{name: "no environment", target: "td", rs: td(containers(t, map[string]any{"name": "api"}))},
		{name: "allowed", target: "td", cfg: map[string]any{"allowEnv": []any{"db_password"}},
			rs: td(containers(t, api(env("DB_PASSWORD", "x"))))},
		{name: "parsed form", target: "td", rs: td([]any{api(env("REGION", "us-west-2"))})},
		{name: "no definitions", target: "td", rs: []*fixture.Res{fixture.R(taskdef.Type, "td", map[string]any{})}},

		{name: "license key in environment", target: "td", rs: td(containers(t, api(env("PULUMI_LICENSE_KEY", license)))),
			both: []fixture.Want{{Kind: policy.Violation, Level: policy.Mandatory, Contains: []string{
				`containerDefinitions[0] ("api") sets PULUMI_LICENSE_KEY (containerDefinitions[0].environment[0], the name carries a license key) in plain text`,
				`Fix: Move PULUMI_LICENSE_KEY from environment to secrets`}}}},
		{name: "password suffix", target: "td", rs: td(containers(t, api(env("REGION", "x", "SMTP_PASSWORD", "pw")))),
			both: []fixture.Want{violation("SMTP_PASSWORD (containerDefinitions[0].environment[1], the name carries a password)")}},
		{name: "lower case", target: "td", rs: td(containers(t, api(env("github_token", "x")))),
			both: []fixture.Want{violation("github_token")}},
		{name: "second container", target: "td", rs: td(containers(t, api(nil),
			map[string]any{"name": "console", "environment": env("RECAPTCHA_SECRET_KEY", "x")})),
			both: []fixture.Want{violation(`containerDefinitions[1] ("console") sets RECAPTCHA_SECRET_KEY`)}},
		{name: "custom pattern", target: "td", cfg: map[string]any{"secretEnvPatterns": []any{"*_WEBHOOK_URL"}},
			rs: td(containers(t, api(env("SLACK_WEBHOOK_URL", "https://x")))), both: []fixture.Want{violation("SLACK_WEBHOOK_URL")}},
		{name: "number after the name", target: "td", rs: td(containers(t, api(env("DB_PASSWORD_2", "pw2")))),
			both: []fixture.Want{violation("DB_PASSWORD_2 (containerDefinitions[0].environment[0], the name carries a password)")}},
		{name: "abbreviation", target: "td", rs: td(containers(t, api(env("SMTP_PASS", "pw3")))),
			both: []fixture.Want{violation("SMTP_PASS")}},
		{name: "credentials in a url", target: "td", rs: td(containers(t, api(env("DATABASE_URL",
			"mysql://pulumi:url-plain-pw@db.internal:3306/pulumi")))),
			both: []fixture.Want{violation("DATABASE_URL (containerDefinitions[0].environment[0], the value is a URL with a password in it)")}},
		{name: "url without password", target: "td", rs: td(containers(t, api(env("DATABASE_URL", "mysql://pulumi@db.internal/pulumi"))))},
		{name: "names that describe or switch", target: "td", rs: td(containers(t, api(env(
			"MYSQL_ALLOW_EMPTY_PASSWORD", "no", "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE", "SMTP_PASSWORD_FILE", "/run/pw",
			"DB_SECRET_ARN", "arn:aws:secretsmanager:us-west-2:1:secret:db", "AG_GRID_LICENSE_KEY", "grid",
			"RECAPTCHA_SITE_KEY", "site", "API_TLS_CERTIFICATE", "-----BEGIN CERTIFICATE-----"))))},
		{name: "secret document", target: "td", rs: td(fixture.Secret(containers(t, api(env("PULUMI_LICENSE_KEY", license))))),
			both: []fixture.Want{violation("PULUMI_LICENSE_KEY")}},

		{name: "unknown", target: "td", rs: td(fixture.Unknown),
			preview: []fixture.Want{advisory("cannot be verified during preview: containerDefinitions is not known until update")},
			update:  []fixture.Want{advisory("containerDefinitions is not known")}},
		{name: "not json", target: "td", rs: td(`[{"name": "api", "environment": [}]`),
			both: []fixture.Want{advisory(`aws:ecs/taskDefinition:TaskDefinition "td"`, "containerDefinitions is not valid JSON: syntax error at byte 34")}},
		{name: "not an array", target: "td", rs: td(`{"name": "api"}`),
			both: []fixture.Want{advisory("containerDefinitions holds object, expected an array of container definitions")}},
		{name: "wrong type", target: "td", rs: td(42),
			both: []fixture.Want{advisory("containerDefinitions is number, expected a JSON string")}},
		{name: "environment not a list", target: "td", rs: td(`[{"name":"api","environment":{"A":"b"}}]`),
			both: []fixture.Want{advisory("containerDefinitions[0].environment is object, expected an array")}},
		{name: "entry without name", target: "td", rs: td(`[{"name":"api","environment":[{"value":"x"},{"name":"DB_PASSWORD","value":"y"}]}]`),
			both: []fixture.Want{advisory("containerDefinitions[0].environment[0] has no name"), violation("DB_PASSWORD")}},
	})
}

func TestSecretInputsMarkedSecret(t *testing.T) {
	const pw = "plain-Passw0rd-in-state"
	one := func(typ string, in map[string]any) []*fixture.Res { return []*fixture.Res{fixture.R(typ, "r", in)} }
	runCases(t, SecretInputsMarkedSecret, []caseT{
		{name: "instance secret", target: "r", rs: one(typeRDSInstance, map[string]any{"password": fixture.Secret(pw)})},
		{name: "instance managed", target: "r", rs: one(typeRDSInstance, map[string]any{"manageMasterUserPassword": true})},
		{name: "unknown secret", target: "r", rs: one(typeRDSCluster, map[string]any{"masterPassword": fixture.Secret(fixture.Unknown)})},
		{name: "no password", target: "r", rs: one(typeRDSCluster, map[string]any{"engine": "aurora-mysql"})},
		{name: "secret version secret", target: "r", rs: one(typeSecretVersion, map[string]any{"secretString": fixture.Secret(pw)})},
		{name: "ssm secure secret", target: "r", rs: one(typeSSMParameter, map[string]any{"type": "SecureString", "value": fixture.Secret(pw)})},
		{name: "ssm plain name", target: "r", rs: one(typeSSMParameter, map[string]any{"type": "String", "name": "/app/region", "value": "us-west-2"})},

		{name: "instance plain", target: "r", rs: one(typeRDSInstance, map[string]any{"password": pw}),
			both: []fixture.Want{violation("password is not a Pulumi secret")}},
		{name: "cluster plain", target: "r", rs: one(typeRDSCluster, map[string]any{"masterPassword": pw}),
			both: []fixture.Want{violation("masterPassword is not a Pulumi secret")}},
		{name: "opensearch plain", target: "r", rs: one(typeOpenSearchDomain, map[string]any{"advancedSecurityOptions": map[string]any{
			"masterUserOptions": map[string]any{"masterUserName": "admin", "masterUserPassword": pw}}}),
			both: []fixture.Want{violation("advancedSecurityOptions.masterUserOptions.masterUserPassword is not a Pulumi secret")}},
		{name: "opensearch parent secret", target: "r", rs: one(typeOpenSearchDomain, map[string]any{
			"advancedSecurityOptions": fixture.Secret(map[string]any{"masterUserOptions": map[string]any{"masterUserPassword": pw}})})},
		{name: "secret version plain", target: "r", rs: one(typeSecretVersion, map[string]any{"secretString": pw}),
			both: []fixture.Want{violation("secretString is not a Pulumi secret")}},
		{name: "secret binary plain", target: "r", rs: one(typeSecretVersion, map[string]any{"secretBinary": "YmluYXJ5"}),
			both: []fixture.Want{violation("secretBinary is not a Pulumi secret")}},
		{name: "ssm secure plain", target: "r", rs: one(typeSSMParameter, map[string]any{"type": "SecureString", "value": pw}),
			both: []fixture.Want{violation("value is not a Pulumi secret")}},
		{name: "ssm string secret name", target: "r", rs: one(typeSSMParameter, map[string]any{"type": "String",
			"name": "/pulumi/license-key", "value": fixture.Secret(pw)}),
			both: []fixture.Want{violation(`parameter "/pulumi/license-key" is of type String, though its name carries a secret (license key)`)}},

		{name: "unknown plain", target: "r", rs: one(typeRDSInstance, map[string]any{"password": fixture.Unknown}),
			preview: []fixture.Want{advisory("cannot be verified during preview: password is not known until update")},
			update:  []fixture.Want{advisory("password is not known")}},
		{name: "ssm type unknown", target: "r", rs: one(typeSSMParameter, map[string]any{"type": fixture.Unknown, "value": pw}),
			preview: []fixture.Want{advisory("type is not known until update")},
			update:  []fixture.Want{advisory("type is not known")}},
	})
}

// TestNoPolicyLeaksSecrets feeds every policy resources full of secrets at
// every place they read, and checks (in fixture.Run) that no message
// carries one.
func TestNoPolicyLeaksSecrets(t *testing.T) {
	s := func(v any) props.Value { return fixture.Secret(v) }
	const leak = "TOP-SECRET-VALUE-0xDEADBEEF"
	world := network(
		fixture.R(tSG, "sg", map[string]any{"ingress": []any{map[string]any{"protocol": s("tcp"), "fromPort": 22, "toPort": 22,
			"cidrBlocks": []any{s("0.0.0.0/0"), s(leak)}}}}),
		fixture.R(typeRDSSubnetGroup, "db-subnets", map[string]any{"subnetIds": s([]any{leak})}),
		fixture.R(typeRDSCluster, "db", map[string]any{"masterPassword": leak + "-pw", "kmsKeyId": s(leak),
			"dbSubnetGroupName": s(leak), "vpcSecurityGroupIds": []any{s(leak)}, "storageEncrypted": s("yes-" + leak)}),
		fixture.R(typeRDSInstance, "inst", map[string]any{"publiclyAccessible": s(leak), "password": s(leak)}),
		fixture.R(taskdef.Type, "td", map[string]any{"containerDefinitions": s(`[{"name":"` + leak + `","environment":[{"name":"DB_PASSWORD","value":"` + leak + `"}]}]`)}),
		fixture.R(typeS3BucketV2, "b", map[string]any{"serverSideEncryptionConfigurations": s([]any{map[string]any{"rules": leak}})}),
		fixture.R(typeLoadBalancer, "lb", map[string]any{"securityGroups": []any{fixture.ID("sg")}, "internal": false}),
	)
	env := &policy.Env{Project: "p", Config: map[string]string{"p:licenseKey": leak + "-cfg", "p:apiToken": leak},
		SecretKeys: map[string]bool{"p:apiToken": true}}
	for _, p := range All() {
		for _, mode := range fixture.Modes {
			t.Run(p.Name+"/"+mode.String(), func(t *testing.T) {
				fs := fixture.Run(t, p, mode, nil, env, world...)
				for _, f := range fs {
					if strings.Contains(f.Message, leak) {
						t.Errorf("secret in %s: %s", p.Name, f.Message)
					}
				}
			})
		}
	}
}
