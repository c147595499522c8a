package secretname

import (
	"strings"
	"testing"
)

func TestWords(t *testing.T) {
	for in, want := range map[string]string{
		"licenseKey":               "license key",
		"apiTLSPrivateKey":         "api tls private key",
		"SMTP_PASSWORD":            "smtp password",
		"recaptcha-secret-key":     "recaptcha secret key",
		"/pulumi/prod/db.password": "pulumi prod db password",
		"HTTPServer2FA":            "http server 2 fa",
		"dbPassword2":              "db password 2",
		"DB_PASS_1":                "db pass 1",
		"OAuth2Token":              "o auth 2 token",
		"":                         "",
		"__":                       "",
	} {
		if got := strings.Join(Words(in), " "); got != want {
			t.Errorf("Words(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOf(t *testing.T) {
	cases := []struct {
		name string
		why  string // "" : not a secret
		kind Kind
	}{
		// Secrets, in every spelling the installers and users write.
		{"licenseKey", "license key", Secret},
		{"PULUMI_LICENSE_KEY", "license key", Secret},
		{"/pulumi/license-key", "license key", Secret},
		{"smtpPassword", "password", Secret},
		{"dbPassword2", "password", Secret},
		{"DB_PASSWORD_2", "password", Secret},
		{"dbPasswd", "passwd", Secret},
		{"dbPwd", "pwd", Secret},
		{"SMTP_PASS", "pass", Secret},
		{"mysqlRootPass", "pass", Secret},
		{"recaptchaSecretKey", "secret key", Secret},
		{"AWS_SECRET_ACCESS_KEY", "secret access key", Secret},
		{"githubToken", "token", Secret},
		{"AWS_SESSION_TOKEN", "token", Secret},
		{"apiKey", "api key", Secret},
		{"apikey", "api key", Secret},
		{"SENDGRID_API_KEY", "api key", Secret},
		// Azure Storage's access keys are the account's shared keys.
		{"storageAccountAccessKey", "access key", Secret},
		{"AZURE_STORAGE_ACCESS_KEY", "access key", Secret},
		{"ARM_ACCESS_KEY", "access key", Secret},
		{"minioSecretKey", "secret key", Secret},
		{"storageSecretAccessKey", "secret access key", Secret},
		{"ossAccessKeySecret", "secret", Secret},
		{"awsCredentials", "credentials", Secret},
		{"consoleTlsKey", "tls key", Secret},
		{"encryptionKey", "encryption key", Secret},
		{"samlPrivateKey", "private key", Secret},
		{"SAML_CERTIFICATE_PRIVATE_KEY", "private key", Secret},
		{"API_TLS_PRIVATE_KEY", "private key", Secret},
		{"oauthClientSecret", "client secret", Secret},
		{"GITHUB_OAUTH_SECRET", "oauth secret", Secret},
		{"JWT_SECRET", "secret", Secret},
		{"SECRET", "secret", Secret},
		{"AZURE_STORAGE_KEY", "storage key", Secret},
		{"PULUMI_LOCAL_KEYS", "local keys", Secret},
		{"DATABASE_CONNECTION_STRING", "connection string", Secret},
		{"apiTokenValue", "token", Secret},
		{"tlsKeyPem", "tls key", Secret},
		{"adminPassphrase", "passphrase", Secret},
		{"passwordResetToken", "token", Secret},
		{"SAML_SIGNING_KEY_B64", "signing key", Secret},
		{"CONSOLE_TLS_PRIVATE_KEY_BASE64", "private key", Secret},
		{"apiKeyBase64", "api key", Secret},
		// Certificates: the guide lists them as config to keep secret.
		{"apiTlsCertificate", "tls certificate", Certificate},
		{"tlsCert", "tls cert", Certificate},
		// Names that describe a secret but hold none.
		{"dbSecretArn", "", 0},
		{"tlsCertificateArn", "", 0},
		{"acmCertificateArn", "", 0},
		{"passwordMinLength", "", 0},
		{"tokenTtl", "", 0},
		{"dbPasswordSecretName", "", 0},
		{"PRIVATE_KEY_PATH", "", 0},
		{"SMTP_PASSWORD_FILE", "", 0},
		{"AWS_ACCESS_KEY_ID", "", 0},
		// An access key is the ID half of an S3-style pair (AWS, MinIO, GCS
		// HMAC): like a user name, not secret.
		{"accessKey", "", 0},
		{"storageAccessKey", "", 0},
		{"MINIO_ACCESS_KEY", "", 0},
		{"awsAccessKey", "", 0},
		{"s3accesskey", "", 0},
		{"kmsServiceKeyId", "", 0},
		{"tokenExpiry", "", 0},
		{"secretsProvider", "", 0},
		{"passwordPolicy", "", 0},
		{"licenseKeyVersion", "", 0},
		{"secretRotationDays", "", 0},
		{"passThrough", "", 0},
		// Switches about a secret.
		{"MYSQL_ALLOW_EMPTY_PASSWORD", "", 0},
		{"MYSQL_RANDOM_ROOT_PASSWORD", "", 0},
		{"enablePassword", "", 0},
		{"requireToken", "", 0},
		{"manageMasterUserPassword", "", 0},
		// Public by design, and plain settings.
		{"recaptchaSiteKey", "", 0},
		{"RECAPTCHA_SITE_KEY", "", 0},
		{"AG_GRID_LICENSE_KEY", "", 0},
		{"agGridLicenseKey", "", 0},
		{"/app/ag-grid-license-key", "", 0},
		{"/prod/RECAPTCHA_SITE_KEY", "", 0},
		{"smtpUsername", "", 0},
		{"smtpServer", "", 0},
		{"whiteListCidrBlocks", "", 0},
		{"imageTag", "", 0},
		{"keyName", "", 0},
		{"route53ZoneName", "", 0},
		{"DATABASE_CA_CERTIFICATE", "", 0},
		{"bypass", "", 0},
		{"compass", "", 0},
		{"", "", 0},
		{"123", "", 0},
		{"value", "", 0},
	}
	for _, c := range cases {
		m, ok := Of(c.name)
		switch {
		case c.why == "" && ok:
			t.Errorf("Of(%q) = %q, want not a secret", c.name, m.Why)
		case c.why != "" && !ok:
			t.Errorf("Of(%q): not a secret, want %q", c.name, c.why)
		case c.why != "" && (m.Why != c.why || m.Kind != c.kind):
			t.Errorf("Of(%q) = %q/%d, want %q/%d", c.name, m.Why, m.Kind, c.why, c.kind)
		}
	}
}

func TestValue(t *testing.T) {
	for v, want := range map[string]bool{
		"mysql://user:pass@host:3306/db":               true,
		"postgres://u:p%40ss@db.internal/app":          true,
		"https://alice:s3cret@hooks.example.com/x":     true,
		"  redis://:pw@cache:6379/0 ":                  true,
		"Server=db;Database=app;User Id=a;Password=p;": true,
		"host=db&user=a&password=x":                    true,
		"mysql://user@host/db":                         false,
		"mysql://user:@host/db":                        false,
		"https://example.com/a?b=c":                    false,
		"Server=db;Password=;":                         false,
		"Server=db;Database=app":                       false,
		"just some text: with :// inside":              false,
		"s3://bucket/key":                              false,
		"":                                             false,
		"a=b":                                          false,
		"://x:y@z":                                     false,
	} {
		why, got := Value(v)
		if got != want {
			t.Errorf("Value(%q) = %v (%q), want %v", v, got, why, want)
		}
		if got && strings.Contains(why, "pass") && strings.Contains(v, why) {
			t.Errorf("Value(%q) explanation %q quotes the value", v, why)
		}
	}
}

func TestReference(t *testing.T) {
	for v, want := range map[string]bool{
		"arn:aws:secretsmanager:us-west-2:123456789012:secret:db-AbCdEf": true,
		"arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/x":      true,
		"hunter2": false,
		// File paths: a mounted Secret, a key file.
		"/var/run/secrets/pulumi/local-keys": true,
		"/etc/ssl/private/api.key":           true,
		`C:\keys\local-keys`:                 true,
		"/run/secrets/":                      true,
		"/onepart":                           false,
		"/a b/c":                             false,
		"/pa$$/w0rd":                         false,
		"//x/y":                              false,
		"./relative/path":                    false,
		"arn:foo":                            false,
		"":                                   false,
		" arn:aws:x ":                        true,
	} {
		if got := Reference(v); got != want {
			t.Errorf("Reference(%q) = %v, want %v", v, got, want)
		}
	}
}

func FuzzOf(f *testing.F) {
	for _, s := range []string{"dbPassword2", "MYSQL_ALLOW_EMPTY_PASSWORD", "apikey", "ÄÖÜpassword", "\xff", "a1b2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		m, ok := Of(name)
		if ok && (m.Why == "" || m.Kind == 0) {
			t.Fatalf("Of(%q) matched without saying why", name)
		}
		_, _ = Value(name)
	})
}
