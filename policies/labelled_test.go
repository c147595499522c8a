package policies

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/awsnet"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// The labelled case table of TestPrecisionRecall (precision_test.go): real
// shapes of resources and config, each with the verdict every policy should
// give on the whole case. Shapes are modelled on the pulumi-aws registry
// examples, the self-hosting installers (pulumi/pulumi-self-hosted-installers:
// ecs-hosted/go and ts, eks-hosted, and the ECS installer's recorded
// inputs) and the false-positive and false-negative classes of issue 14.

const (
	tCidrAssoc  = awsnet.TypeVPCIPv4Block
	tPrefixList = awsnet.TypePrefixList
	tDefaultSG  = awsnet.TypeDefaultSecurityGroup

	allowCIDR = "203.0.113.0/24" // the deployment's ingress allowlist
	acmCert   = "arn:aws:acm:us-west-2:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
	tls12     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
)

// Rules, inline form.
func tcpIn(port int, cidrs ...any) m {
	return m{"protocol": "tcp", "fromPort": port, "toPort": port, "cidrBlocks": l(cidrs)}
}

func tcpIn6(port int, cidrs ...any) m {
	return m{"protocol": "tcp", "fromPort": port, "toPort": port, "ipv6CidrBlocks": l(cidrs)}
}

func sgIn(port int, groups ...any) m {
	return m{"protocol": "tcp", "fromPort": port, "toPort": port, "securityGroups": l(groups)}
}

func plIn(port int, lists ...any) m {
	return m{"protocol": "tcp", "fromPort": port, "toPort": port, "prefixListIds": l(lists)}
}

func allTraffic(cidrs ...any) m {
	return m{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": l(cidrs)}
}

// with copies base and applies extra; a nil value in extra deletes the key.
func with(base, extra m) m {
	out := m{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range extra {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out
}

// edit changes the inputs of the named resource of rs (in place: builders
// return fresh resources) and returns rs.
func edit(rs []*fixture.Res, name string, f func(in m)) []*fixture.Res {
	for _, r := range rs {
		if r.Name == name {
			f(r.Inputs)
			return rs
		}
	}
	panic("edit: no resource " + name)
}

// swap replaces the resource of the same name.
func swap(rs []*fixture.Res, repl ...*fixture.Res) []*fixture.Res {
	for _, n := range repl {
		found := false
		for i, r := range rs {
			if r.Name == n.Name {
				rs[i], found = n, true
			}
		}
		if !found {
			panic("swap: no resource " + n.Name)
		}
	}
	return rs
}

// drop removes the named resources.
func drop(rs []*fixture.Res, names ...string) []*fixture.Res {
	var out []*fixture.Res
	for _, r := range rs {
		keep := true
		for _, n := range names {
			keep = keep && r.Name != n
		}
		if keep {
			out = append(out, r)
		}
	}
	return out
}

// withSecrets adds secrets (valueFrom) entries to a container.
func withSecrets(c m, names ...string) m {
	s, _ := c["secrets"].([]any)
	for _, n := range names {
		s = append(s, m{"name": n, "valueFrom": "arn:aws:secretsmanager:us-west-2:123456789012:secret:app/" + n})
	}
	c["secrets"] = s
	return c
}

// withEnvFile adds an environmentFiles entry (an S3 object of KEY=value lines).
func withEnvFile(c m) m {
	c["environmentFiles"] = l{m{"type": "s3", "value": "arn:aws:s3:::pulumi-config/service.env"}}
	return c
}

const pemCert = "-----BEGIN CERTIFICATE-----MIIBszCCAVmgAwIBAgIU"

// Variables of the API container, by guide section.
var (
	apiTLSVars = []string{"API_TLS_CERTIFICATE", pemCert, "API_MIN_TLS_VERSION", "1.2"}
	dbTLSVars  = []string{"DATABASE_CA_CERTIFICATE", pemCert, "DATABASE_MIN_TLS_VERSION", "1.2"}
	smtpVars   = []string{"SMTP_SERVER", "smtp.example.com:587", "SMTP_USERNAME", "pulumi-smtp",
		"SMTP_GENERIC_SENDER", "noreply@example.com"}
)

func envPairs(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// api is an API container with these environment pairs and secrets.
func api(env []string, secrets ...string) m {
	return withSecrets(container("api", apiImage, env), secrets...)
}

// Containers of a hardened deployment. hardenedAPI (encryption_in_transit_test.go)
// is the API container.
func apiContainer(extraEnv ...string) m {
	return withSecrets(hardenedAPI(extraEnv...), "PULUMI_LICENSE_KEY", "PULUMI_DATABASE_USER_PASSWORD")
}

func consoleContainer(extraEnv ...string) m {
	return container("console", consoleImage, append([]string{"CONSOLE_TLS_CERTIFICATE", pemCert,
		"CONSOLE_MIN_TLS_VERSION", "1.3", "PULUMI_API", "https://api.pulumi.example.com",
		"RECAPTCHA_SITE_KEY", "0x4AAAAAAAB-site"}, extraEnv...), "CONSOLE_TLS_PRIVATE_KEY")
}

func migrationsContainer(extraEnv ...string) m {
	return container("migrate", migrationsImage, append([]string{"DATABASE_CA_CERTIFICATE", pemCert,
		"DATABASE_MIN_TLS_VERSION", "1.2", "PULUMI_DATABASE_ENDPOINT", "db.cluster.local:3306"}, extraEnv...),
		"MYSQL_ROOT_USERNAME", "MYSQL_ROOT_PASSWORD")
}

// svc is an ECS service of the app tier in the private subnets.
func svc(name, td, container string, port int, tg string) *fixture.Res {
	in := m{"launchType": "FARGATE", "desiredCount": 1, "taskDefinition": fixture.ID(td),
		"networkConfiguration": m{"subnets": l{fixture.ID("private-a"), fixture.ID("private-b")}, "securityGroups": l{fixture.ID("app-sg")},
			"assignPublicIp": false}}
	if tg != "" {
		in["loadBalancers"] = l{m{"containerName": container, "containerPort": port, "targetGroupArn": fixture.ID(tg)}}
	}
	return fixture.R(typeECSService, name, in)
}

var redirectToHTTPS = l{m{"type": "redirect", "redirect": m{"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}}

// edge is the internet-facing load balancer with its allowlisted group, an
// HTTPS listener and an HTTP listener that only redirects.
func edge() []*fixture.Res {
	return []*fixture.Res{
		fixture.R(tSG, "lb-sg", m{"description": "ELB Security Group", "vpcId": fixture.ID("vpc"),
			"ingress": l{tcpIn(443, allowCIDR), tcpIn(80, allowCIDR)},
			"egress":  l{m{"protocol": "tcp", "fromPort": 3000, "toPort": 8443, "cidrBlocks": l{"10.0.0.0/16"}}}}),
		fixture.R(typeLoadBalancer, "lb", m{"internal": false, "loadBalancerType": "application", "idleTimeout": 120,
			"securityGroups": l{fixture.ID("lb-sg")}, "subnets": l{fixture.ID("public-a"), fixture.ID("public-b")}}),
		fixture.R(typeLBListener, "https", m{"loadBalancerArn": fixture.ID("lb"), "port": 443, "protocol": "HTTPS", "sslPolicy": tls12,
			"certificateArn": acmCert, "defaultActions": l{m{"type": "forward", "targetGroupArn": fixture.ID("ui-tg")}}}),
		fixture.R(typeLBListener, "http", m{"loadBalancerArn": fixture.ID("lb"), "port": 80, "protocol": "HTTP",
			"defaultActions": redirectToHTTPS}),
	}
}

// ecsStack is a complete, hardened ECS deployment in the installers' shape:
// VPC with public and private subnets and a NAT gateway (network()), the
// edge, API and Console target groups over HTTPS, the app group open to the
// load balancer's group only, Aurora MySQL encrypted in the private subnets
// with a TLS parameter group and a group open to the app group only, three
// encrypted buckets, and task definitions with every TLS, SMTP and CAPTCHA
// variable, secrets through valueFrom.
func ecsStack() []*fixture.Res {
	rs := append(edge(),
		fixture.R(typeLBTargetGroup, "api-tg", m{"protocol": "HTTPS", "port": 8443, "targetType": "ip", "vpcId": fixture.ID("vpc"),
			"healthCheck": m{"path": "/api/status", "protocol": "HTTPS", "port": "8443"}}),
		fixture.R(typeLBTargetGroup, "ui-tg", m{"protocol": "HTTPS", "port": 3000, "targetType": "ip", "vpcId": fixture.ID("vpc"),
			"healthCheck": m{"path": "/", "protocol": "HTTPS", "port": "3000"}}),
		fixture.R(typeLBListenerRule, "api-rule", m{"listenerArn": fixture.ID("https"),
			"actions":    l{m{"type": "forward", "targetGroupArn": fixture.ID("api-tg")}},
			"conditions": l{m{"hostHeader": m{"values": l{"api.pulumi.example.com"}}}}}),
		fixture.R(tSG, "app-sg", m{"vpcId": fixture.ID("vpc"), "ingress": l{sgIn(8443, fixture.ID("lb-sg")), sgIn(3000, fixture.ID("lb-sg"))},
			"egress": l{tcpIn(443, "0.0.0.0/0"), tcpIn(3306, "10.0.0.0/16"), tcpIn(587, "0.0.0.0/0")}}),
		taskDef("api-td", apiContainer()),
		taskDef("ui-td", consoleContainer()),
		taskDef("migrations-td", migrationsContainer()),
		svc("api-svc", "api-td", "api", 8443, "api-tg"),
		svc("ui-svc", "ui-td", "console", 3000, "ui-tg"),
	)
	rs = append(rs, aurora(l{fixture.ID("private-a"), fixture.ID("private-b")}, nil)...)
	rs = append(rs, bucket("checkpoints"), bucket("policypacks"), bucket("metadata"))
	return network(rs...)
}

// aurora is the database tier: its group (open to the app group on 3306),
// a subnet group over subnets, a TLS cluster parameter group and an
// encrypted Aurora MySQL cluster with one instance.
func aurora(subnets l, extra m) []*fixture.Res {
	return []*fixture.Res{
		fixture.R(tSG, "db-sg", m{"vpcId": fixture.ID("vpc"), "description": "Managed by Pulumi"}),
		fixture.R(tIn, "app-to-db", m{"securityGroupId": fixture.ID("db-sg"), "ipProtocol": "tcp", "fromPort": 3306, "toPort": 3306,
			"referencedSecurityGroupId": fixture.ID("app-sg")}),
		fixture.R(typeRDSSubnetGroup, "db-subnets", m{"subnetIds": subnets}),
		fixture.R(typeRDSClusterParameterGroup, "db-tls", m{"family": "aurora-mysql8.0",
			"parameters": l{m{"name": "require_secure_transport", "value": "ON"}}}),
		fixture.R(typeRDSCluster, "db", with(m{"engine": "aurora-mysql", "engineVersion": "8.0.mysql_aurora.3.12.0",
			"storageEncrypted": true, "dbSubnetGroupName": fixture.ID("db-subnets"), "vpcSecurityGroupIds": l{fixture.ID("db-sg")},
			"dbClusterParameterGroupName": fixture.ID("db-tls"), "databaseName": "pulumi", "masterUsername": "pulumi",
			"masterPassword": fixture.Secret("aurora-Master-pw-3c1"), "backupRetentionPeriod": 7}, extra)),
		fixture.R(typeRDSClusterInstance, "db-0", m{"clusterIdentifier": fixture.ID("db"), "engine": "aurora-mysql",
			"instanceClass": "db.t3.medium", "publiclyAccessible": false}),
	}
}

// dbTier is aurora in the private subnets with the app group it admits.
func dbTier(extra m, more ...*fixture.Res) []*fixture.Res {
	rs := append(aurora(l{fixture.ID("private-a"), fixture.ID("private-b")}, extra), fixture.R(tSG, "app-sg", m{"vpcId": fixture.ID("vpc")}))
	return network(append(rs, more...)...)
}

// instance is an encrypted RDS instance in the private subnets, with its own
// group admitting the VPC on the engine's port.
func instance(engine string, port int, extra m, more ...*fixture.Res) []*fixture.Res {
	rs := []*fixture.Res{
		fixture.R(tSG, "db-sg", m{"vpcId": fixture.ID("vpc"), "ingress": l{tcpIn(port, "10.0.0.0/16")}}),
		subnetGroup("private-a", "private-b"),
		fixture.R(typeRDSInstance, "db", with(m{"engine": engine, "instanceClass": "db.t3.medium", "allocatedStorage": 20,
			"storageEncrypted": true, "dbSubnetGroupName": fixture.ID("db-subnets"), "vpcSecurityGroupIds": l{fixture.ID("db-sg")},
			"publiclyAccessible": false, "username": "pulumi", "manageMasterUserPassword": true}, extra)),
	}
	return network(append(rs, more...)...)
}

// mysqlTLS is an instance parameter group that requires TLS.
func mysqlTLS() *fixture.Res {
	return fixture.R(typeRDSParameterGroup, "mysql-tls", m{"family": "mysql8.0",
		"parameters": l{m{"name": "require_secure_transport", "value": "ON"}}})
}

func bucket(name string) *fixture.Res {
	return fixture.R(typeS3BucketV2, name, m{"bucket": "pulumi-" + name + "-bucket"})
}

// bucketSSE is the separate encryption configuration of the bucket.
func bucketSSE(typ, name, bucketName, alg string) *fixture.Res {
	return fixture.R(typ, name, m{"bucket": fixture.ID(bucketName), "rules": l{m{
		"applyServerSideEncryptionByDefault": m{"sseAlgorithm": alg}, "bucketKeyEnabled": true}}})
}

// ecsBuckets are ecsStack's buckets.
var ecsBuckets = []string{"checkpoints", "policypacks", "metadata"}

// hardenedECS is ecsStack with its buckets' encryption configurations.
func hardenedECS() []*fixture.Res {
	rs := ecsStack()
	for _, b := range ecsBuckets {
		rs = append(rs, bucketSSE(typeS3EncryptionV2, b+"-sse", b, "aws:kms"))
	}
	return rs
}

// search is an encrypted OpenSearch domain in the private subnets, in the
// installer's shape.
func search(extra m, more ...*fixture.Res) []*fixture.Res {
	rs := []*fixture.Res{
		fixture.R(tSG, "search-sg", m{"vpcId": fixture.ID("vpc"), "ingress": l{tcpIn(443, "10.0.0.0/16")}}),
		fixture.R(typeOpenSearchDomain, "search", with(m{"domainName": "pulumi", "engineVersion": "OpenSearch_2.13",
			"clusterConfig":         m{"instanceCount": 2, "instanceType": "t3.medium.search", "zoneAwarenessEnabled": true},
			"ebsOptions":            m{"ebsEnabled": true, "volumeSize": 10, "volumeType": "gp3"},
			"encryptAtRest":         m{"enabled": true},
			"nodeToNodeEncryption":  m{"enabled": true},
			"domainEndpointOptions": m{"enforceHttps": true, "tlsSecurityPolicy": "Policy-Min-TLS-1-2-2019-07"},
			"advancedSecurityOptions": m{"enabled": true, "internalUserDatabaseEnabled": true,
				"masterUserOptions": m{"masterUserName": "admin", "masterUserPassword": fixture.Secret("search-Master-pw-77")}},
			"vpcOptions": m{"subnetIds": l{fixture.ID("private-a"), fixture.ID("private-b")}, "securityGroupIds": l{fixture.ID("search-sg")}}},
			extra)),
	}
	return network(append(rs, more...)...)
}

// installerEnv is the stack config of the ECS installer's application stack,
// every secret set with --secret.
func installerEnv() *policy.Env {
	return &policy.Env{Project: "application-go", Config: map[string]string{
		"application-go:acmCertificateArn":   acmCert,
		"application-go:kmsServiceKeyId":     "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab",
		"application-go:licenseKey":          "eyJhbGciOi-license-jwt",
		"application-go:imageTag":            "20251101",
		"application-go:route53ZoneName":     "example.com",
		"application-go:route53Subdomain":    "pulumi",
		"application-go:recaptchaSiteKey":    "0x4AAAAAAAB-site",
		"application-go:recaptchaSecretKey":  "0x4AAAAAAAB-secret-value",
		"application-go:smtpServer":          "smtp.example.com:587",
		"application-go:smtpUsername":        "pulumi-smtp",
		"application-go:smtpGenericSender":   "noreply@example.com",
		"application-go:smtpPassword":        "smtp-Pass-value-42",
		"application-go:whiteListCidrBlocks": `["203.0.113.0/24"]`,
		"aws:region":                         "us-west-2",
	}, SecretKeys: map[string]bool{
		"application-go:licenseKey": true, "application-go:recaptchaSecretKey": true, "application-go:smtpPassword": true,
	}}
}

var allowlistCfg = map[string]m{"load-balancer-ingress-allowlist": {"ingressAllowList": l{allowCIDR}}}

// stackEnv is a stack config of project "app": plain keys, and secret ones.
func stackEnv(plain map[string]string, secret ...string) *policy.Env {
	e := &policy.Env{Project: "app", Config: map[string]string{}, SecretKeys: map[string]bool{}}
	for k, v := range plain {
		e.Config[k] = v
	}
	for _, k := range secret {
		e.Config[k] = "s3cr3t-value-of-" + k
		e.SecretKeys[k] = true
	}
	return e
}

// every labels all policies of the pack Pass for the same reason, then
// applies the given labels.
func every(why string, over labels) labels {
	out := labels{}
	for _, p := range All() {
		out[p.Name] = pass(why)
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

// One name of the secret-name detector, as a stack config key, an SSM
// parameter name or a container variable.
type secretNameCase struct {
	name, value string
	secret      bool
	why         string
}

var configKeyCases = []secretNameCase{
	{"licenseKey", "eyJhbGciOi-license-plain", true, "license key"},
	{"dbPassword2", "Pa55-plain-2", true, "password followed by digits"},
	{"dbPass1", "Pa55-plain-1", true, "pass followed by digits"},
	{"githubToken", "ghp-plain-token-value", true, "token"},
	{"oauthClientSecret", "oauth-plain-client-secret", true, "client secret"},
	{"encryptionKey", "0123456789abcdef-plain", true, "encryption key"},
	{"jwtSigningKey", "signing-key-plain-value", true, "signing key"},
	{"samlPrivateKey", "-----BEGIN PRIVATE KEY-----plain", true, "private key"},
	{"recaptchaSecretKey", "0x4AAA-secret-plain", true, "secret key"},
	{"awsCredentials", "aws-credentials-plain-blob", true, "credentials"},
	{"consoleTlsKey", "-----BEGIN EC PRIVATE KEY-----plain", true, "tls key"},
	{"dbSecretArn", "arn:aws:secretsmanager:us-west-2:123456789012:secret:db", false, "Arn descriptor"},
	{"tlsCertificateArn", acmCert, false, "Arn descriptor"},
	{"passwordMinLength", "12", false, "Length descriptor"},
	{"tokenTtl", "3600", false, "Ttl descriptor"},
	{"privateKeyPath", "/etc/ssl/private/api.key", false, "Path descriptor"},
	{"smtpPasswordSecretName", "app/dev/smtp_password", false, "Name descriptor"},
	{"apiKeyVersion", "2", false, "Version descriptor"},
	{"tokenFile", "/var/run/secrets/token", false, "File descriptor"},
	{"passwordRotation", "30d", false, "Rotation descriptor"},
	{"accessKeyId", "AKIAIOSFODNN7EXAMPLE", false, "an access key id is public"},
	{"secretPolicy", `{"Version":"2012-10-17"}`, false, "Policy descriptor"},
	{"tlsCertificate", "-----BEGIN CERTIFICATE-----MIIB", true,
		"the guide lists TLS certificates among config to set with --secret (in a container's env it is fine)"},
	{"recaptchaSiteKey", "0x4AAAAAAAB-site", false, "the Turnstile site key is public"},
	{"kmsServiceKeyId", "arn:aws:kms:us-west-2:123456789012:key/1", false, "a KMS key id is not a secret"},
	{"enablePassword", "true", false, "a flag, not a password"},
	{"apiEndpoint", "https://api.pulumi.example.com/x", false, "a URL without credentials"},
	{"dbUrl", "mysql://pulumi@db.cluster.local:3306/pulumi", false, "a URL with a user but no password"},
	{"databaseUrl", "postgres://pulumi:plain-Pw-9@db.example.com:5432/pulumi", true,
		"credentials inside a URL value, whatever the name"},
	{"cacheEndpoint", "redis://:plain-Redis-pw@cache.example.com:6379", true, "a URL with a password and no user"},
	{"smtpPass", "smtp-plain-pass", true, "pass"},
	{"apiTokenValue", "tok-plain-value", true, "token, then an encoding word"},
	{"PASSWORD", "plain-upper-password", true, "password"},
	{"dbConnectionString", "Server=db;User Id=sa;Password=plain-Pw;", true, "connection string"},
	{"webhookEndpoint", "https://hooks.example.com/services/T000/B000", false, "a URL without credentials"},
	{"passwordPolicy", `{"minimumLength":12}`, false, "Policy descriptor"},
	{"allowEmptyPassword", "false", false, "a flag, not a password"},
	{"secretsProvider", "awskms://alias/pulumi", false, "secretsProvider names a provider"},
	{"searchDomain", "https://admin:plain-Search-pw@search.example.com", true, "credentials inside a URL value"},
	{"passwordResetToken", "9f2c4e7a1b3d5f60", true, "ends with token; reset describes the token, it is no switch"},
	{"agGridLicenseKey", "AgGrid-frontend-key", false, "the AG Grid key is a public frontend key"},
	{"tlsPrivateKeyPem", "-----BEGIN PRIVATE KEY-----plain", true, "private key, then an encoding word"},
}

var envNameCases = []secretNameCase{
	{"DB_PASS_1", "Pa55-plain-1", true, "pass followed by digits"},
	{"DB_PASSWORD2", "Pa55-plain-2", true, "password followed by digits"},
	{"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI-plain", true, "secret access key"},
	{"AWS_SESSION_TOKEN", "FwoGZXIvYXdz-plain", true, "token"},
	{"GITHUB_OAUTH_SECRET", "gh-oauth-plain-secret", true, "secret"},
	{"KEYCLOAK_CLIENT_SECRET", "kc-plain-client-secret", true, "client secret"},
	{"SAML_CERTIFICATE_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----plain", true, "private key"},
	{"PULUMI_DATABASE_USER_PASSWORD", "db-plain-password", true, "password"},
	{"STRIPE_API_KEY", "sk_live_plain_value", true, "api key"},
	{"AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", false, "Id descriptor"},
	{"PRIVATE_KEY_PATH", "/etc/ssl/private/api.key", false, "Path descriptor"},
	{"PASSWORD_FILE", "/run/secrets/db_password", false, "File descriptor"},
	{"JWT_TOKEN_TTL", "3600", false, "Ttl descriptor"},
	{"DB_SECRET_ARN", "arn:aws:secretsmanager:us-west-2:123456789012:secret:db", false, "Arn descriptor"},
	{"SMTP_PASSWORD_SECRET_NAME", "app/dev/smtp_password", false, "Name descriptor"},
	{"MYSQL_ALLOW_EMPTY_PASSWORD", "no", false, "a flag, not a password"},
	{"AG_GRID_LICENSE_KEY", "AgGrid-Enterprise-frontend-key", false, "the AG Grid key is a public frontend key"},
	{"PULUMI_API", "https://api.pulumi.example.com", false, "a URL without credentials"},
	{"PULUMI_DATABASE_ENDPOINT", "mysql://pulumi@db.cluster.local:3306/pulumi", false, "a URL with a user but no password"},
	{"DATABASE_URL", "mysql://pulumi:plain-Pw-9@db.cluster.local:3306/pulumi", true,
		"credentials inside a URL value, whatever the name"},
	{"REDIS_ENDPOINT", "rediss://:plain-Redis-pw@cache.example.com:6379", true, "a URL with a password and no user"},
	{"SMTP_PASS", "smtp-plain-pass", true, "pass"},
	{"PULUMI_LOCAL_KEYS", "local-keys-plain-blob", true, "local keys"},
	{"API_TLS_CERTIFICATE_FILE", "/etc/ssl/api.pem", false, "File descriptor"},
	{"PULUMI_SEARCH_DOMAIN", "https://search.internal:443", false, "a URL without credentials"},
	{"PULUMI_SEARCH_ENDPOINT", "https://admin:plain-Search-pw@search.internal:443", true, "credentials inside a URL value"},
	{"PULUMI_DATABASE_DSN", "mysql://pulumi:@db.cluster.local:3306/pulumi", false, "a URL with an empty password"},
	{"PULUMI_KMS_KEY", "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab", false, "a KMS key ARN names a key"},
	{"PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT", "s3://pulumi-checkpoints-bucket", false, "an S3 URL without credentials"},
	{"SAML_CERTIFICATE_PUBLIC_KEY", "-----BEGIN PUBLIC KEY-----MIIB", false, "a public key"},
	{"db_password", "lower-case-plain-pw", true, "names are matched whatever their case"},
	{"SAML_SIGNING_KEY_B64", "c2lnbmluZy1rZXk-plain", true, "signing key, then an encoding word"},
	{"CONSOLE_TLS_PRIVATE_KEY_BASE64", "LS0tLS1CRUdJTi-plain", true, "private key, then an encoding word"},
}

var ssmNameCases = []secretNameCase{
	{"/pulumi/license-key", "eyJhbGciOi-license", true, "license key"},
	{"/pulumi/prod/db.password", "db-password-value", true, "password"},
	{"/app/recaptcha-secret-key", "0x4AAA-secret", true, "secret key"},
	{"/app/db-secret-arn", "arn:aws:secretsmanager:us-west-2:123456789012:secret:db", false, "Arn descriptor"},
	{"/app/tls-certificate", "-----BEGIN CERTIFICATE-----MIIB", false, "a TLS certificate is public"},
	{"/app/password-min-length", "12", false, "Length descriptor"},
	{"/app/api-token-ttl", "3600", false, "Ttl descriptor"},
	{"/app/recaptcha-site-key", "0x4AAAAAAAB-site", false, "the Turnstile site key is public"},
	{"/app/smtp-pass", "smtp-plain-pass", true, "pass"},
	{"/app/db/password-secret-arn", "arn:aws:secretsmanager:us-west-2:123456789012:secret:db", false, "Arn descriptor"},
	{"/app/ag-grid-license-key", "AgGrid-frontend-key", false, "the AG Grid key is a public frontend key"},
}

func secretNameLabelCases() []lcase {
	var out []lcase
	for _, c := range configKeyCases {
		lc := lcase{
			name:   "config key " + c.name,
			source: "issue 14: secret-name detector, stack config",
			env:    stackEnv(map[string]string{"app:" + c.name: c.value}),
		}
		if c.secret {
			lc.want = labels{"stack-config-secrets": vio(c.name + " in plain text: " + c.why)}
		} else {
			lc.want = labels{"stack-config-secrets": pass(c.name + ": " + c.why)}
		}
		out = append(out, lc)
	}
	for _, c := range envNameCases {
		lc := lcase{
			name:   "container variable " + c.name,
			source: "issue 14: secret-name detector, ECS container environment",
			rs:     []*fixture.Res{taskDef("api-td", apiContainer(c.name, c.value))},
		}
		if c.secret {
			lc.want = labels{"container-secrets-not-in-environment": vio(c.name + " in the plain environment: " + c.why)}
		} else {
			lc.want = labels{"container-secrets-not-in-environment": pass(c.name + ": " + c.why)}
		}
		out = append(out, lc)
	}
	for _, c := range ssmNameCases {
		lc := lcase{
			name:   "ssm parameter " + c.name,
			source: "pulumi-aws docs: aws.ssm.Parameter; issue 14: secret-name detector, SSM names",
			rs:     []*fixture.Res{fixture.R(typeSSMParameter, "param", m{"name": c.name, "type": "String", "value": c.value})},
		}
		if c.secret {
			lc.want = labels{"secret-inputs-marked-secret": vio(c.name + " is a String parameter: " + c.why)}
		} else {
			lc.want = labels{"secret-inputs-marked-secret": pass(c.name + ": " + c.why)}
		}
		out = append(out, lc)
	}
	return out
}

// labelledCases is the table.
func labelledCases() []lcase {
	var cases []lcase
	cases = append(cases, wholeStackCases()...)
	cases = append(cases, secretNameLabelCases()...)
	cases = append(cases, secretsCases()...)
	cases = append(cases, containerCases()...)
	cases = append(cases, networkCases()...)
	cases = append(cases, transitCases()...)
	cases = append(cases, atRestCases()...)
	cases = append(cases, moreCases()...)
	cases = append(cases, kubernetesCases()...)
	cases = append(cases, eksCases()...)
	cases = append(cases, credentialValueCases()...)
	cases = append(cases, falsePositiveCases()...)
	cases = append(cases, emptyValueCases()...)
	cases = append(cases, captchaMessageCases()...)
	cases = append(cases, nodeGroupSSHCases()...)
	cases = append(cases, storeCases()...)
	cases = append(cases, dbCases()...)
	cases = append(cases, clusterCases()...)
	cases = append(cases, netCases()...)
	cases = append(cases, edgeCases()...)
	cases = append(cases, secretsByHolderCases()...)
	return cases
}

func wholeStackCases() []lcase {
	return []lcase{
		{name: "hardened ECS deployment", source: "ECS installer (Go), hardened per the guide",
			rs: hardenedECS(), env: installerEnv(), cfg: allowlistCfg,
			want: every("the hardened deployment meets the guide", nil)},
		{name: "hardened ECS deployment, v7 buckets", source: "ECS installer (TS) on pulumi-aws v7",
			rs: func() []*fixture.Res {
				rs := ecsStack()
				for _, b := range ecsBuckets {
					rs = swap(rs, fixture.R(typeS3Bucket, b, m{"bucket": "pulumi-" + b + "-bucket"}))
					rs = append(rs, bucketSSE(typeS3Encryption, b+"-sse", b, "AES256"))
				}
				return rs
			}(), env: installerEnv(), cfg: allowlistCfg,
			want: every("the hardened deployment meets the guide", nil)},
		{name: "ECS deployment without bucket encryption", source: "ECS installer (Go): the buckets have no SSE",
			rs: ecsStack(), env: installerEnv(), cfg: allowlistCfg,
			want: labels{"s3-bucket-encrypted": vio("three buckets without server-side encryption")}},
		{name: "ECS deployment with the installer's allowlist typo", source: "ECS installer (Go): whiteListCideBlocks is read, so 0.0.0.0/0 stays",
			rs: edit(hardenedECS(), "lb-sg", func(in m) {
				in["ingress"] = l{tcpIn(80, "0.0.0.0/0"), tcpIn(443, "0.0.0.0/0")}
			}), env: installerEnv(),
			want: labels{"load-balancer-ingress-allowlist": vio("0.0.0.0/0 on 80/443 and no ingressAllowList configured")}},
		{name: "ECS deployment with the installer's listeners", source: "ECS installer (Go): fixed-response HTTP listener, rules forward on HTTP",
			rs: append(edit(hardenedECS(), "http", func(in m) {
				in["defaultActions"] = l{m{"type": "fixed-response", "fixedResponse": m{"contentType": "text/plain", "statusCode": "204"}}}
			}), fixture.R(typeLBListenerRule, "api-http-rule", m{"listenerArn": fixture.ID("http"),
				"actions": l{m{"type": "forward", "targetGroupArn": fixture.ID("api-tg")}}})),
			env: installerEnv(), cfg: allowlistCfg,
			want: labels{"load-balancer-tls": vio("HTTP listener answers and a rule forwards plain HTTP")}},
		{name: "ECS deployment with HTTP target groups", source: "ECS installer (Go): target groups HTTP on 8080 and 3000",
			rs: edit(edit(hardenedECS(), "api-tg", func(in m) { in["protocol"] = "HTTP" }), "ui-tg",
				func(in m) { in["protocol"] = "HTTP" }),
			env: installerEnv(), cfg: allowlistCfg,
			want: labels{"load-balancer-tls": vio("HTTP from the load balancer to the API and Console")}},
		{name: "ECS deployment with the installer's containers", source: "ECS installer (Go): task definitions as recorded",
			rs: swap(hardenedECS(),
				taskDef("api-td", withSecrets(container("api", apiImage, []string{"PULUMI_LICENSE_KEY", "LICENSE-JWT-plain",
					"PULUMI_ENTERPRISE", "true", "PULUMI_DATABASE_ENDPOINT", "db.cluster.local:3306",
					"SMTP_USERNAME", "smtpuser", "SMTP_SERVER", "smtp.example.com:587", "SMTP_GENERIC_SENDER", "noreply@example.com",
					"PULUMI_SEARCH_USER", "", "AWS_REGION", "us-west-2"}),
					"PULUMI_DATABASE_USER_NAME", "PULUMI_DATABASE_USER_PASSWORD", "RECAPTCHA_SECRET_KEY", "SMTP_PASSWORD")),
				taskDef("ui-td", container("console", consoleImage, []string{"AWS_REGION", "us-west-2",
					"PULUMI_API", "https://api.pulumi.example.com", "RECAPTCHA_SITE_KEY", "site-key", "AG_GRID_LICENSE_KEY", ""})),
				taskDef("migrations-td", container("migrate", migrationsImage, []string{"SKIP_CREATE_DB_USER", "true",
					"PULUMI_DATABASE_ENDPOINT", "db.cluster.local:3306"}, "MYSQL_ROOT_USERNAME", "MYSQL_ROOT_PASSWORD"))),
			env: installerEnv(), cfg: allowlistCfg,
			want: labels{
				"container-secrets-not-in-environment": vio("PULUMI_LICENSE_KEY in the API's plain environment"),
				"api-tls":                              vio("no API_TLS_* variable"),
				"console-tls":                          vio("no CONSOLE_TLS_* variable"),
				"database-tls":                         vio("neither DATABASE_CA_CERTIFICATE nor DATABASE_MIN_TLS_VERSION on API and migrations"),
			}},
		{name: "ECS deployment, everything the installer leaves open", source: "ECS installer (Go): all gaps together",
			rs: func() []*fixture.Res {
				rs := ecsStack() // no bucket encryption
				rs = edit(rs, "lb-sg", func(in m) { in["ingress"] = l{tcpIn(80, "0.0.0.0/0"), tcpIn(443, "0.0.0.0/0")} })
				rs = edit(rs, "app-sg", func(in m) { in["egress"] = l{allTraffic("0.0.0.0/0")} })
				rs = edit(rs, "api-tg", func(in m) { in["protocol"] = "HTTP" })
				rs = edit(rs, "db", func(in m) { delete(in, "dbClusterParameterGroupName") })
				rs = swap(rs, taskDef("api-td", container("api", apiImage, []string{"PULUMI_LICENSE_KEY", "LICENSE-JWT-plain"})))
				return drop(rs, "db-tls")
			}(), env: installerEnv(),
			want: labels{
				"s3-bucket-encrypted":                  vio("buckets without SSE"),
				"load-balancer-ingress-allowlist":      vio("0.0.0.0/0 without an allowlist"),
				"security-group-egress-restricted":     vio("app group allows all egress"),
				"load-balancer-tls":                    vio("HTTP target group in front of the API"),
				"database-requires-tls":                vio("Aurora MySQL on the default parameter group"),
				"container-secrets-not-in-environment": vio("PULUMI_LICENSE_KEY in plain environment"),
				"api-tls":                              vio("no API TLS variables"),
				"database-tls":                         vio("no database TLS variables on the API"),
				"smtp-configured":                      vio("no SMTP variables"),
				"captcha-configured":                   vio("Console has the site key, API lacks the secret key"),
			}},
		{name: "ECS deployment in an existing VPC", source: "ECS installer (Go): subnets and VPC from the infrastructure stack",
			rs: func() []*fixture.Res {
				rs := drop(hardenedECS(), "vpc", "igw", "public-a", "public-b", "private-a", "private-b", "nat", "public-rt",
					"public-rt-b", "public-b-default", "private-rt", "private-default", "rta-public-a", "rta-public-b",
					"rta-private-a", "rta-private-b")
				for _, r := range rs {
					if _, ok := r.Inputs["vpcId"]; ok {
						r.Inputs["vpcId"] = "vpc-123"
					}
				}
				rs = edit(rs, "lb", func(in m) { in["subnets"] = l{"subnet-pub1", "subnet-pub2"} })
				for _, s := range []string{"api-svc", "ui-svc"} {
					rs = edit(rs, s, func(in m) {
						in["networkConfiguration"].(m)["subnets"] = l{"subnet-priv1", "subnet-priv2"}
					})
				}
				return edit(rs, "db-subnets", func(in m) { in["subnetIds"] = l{"subnet-iso1", "subnet-iso2"} })
			}(), env: installerEnv(), cfg: allowlistCfg,
			want: labels{
				"app-in-private-subnets":      unv("subnets subnet-priv1/2 are not in the stack"),
				"database-in-private-subnets": unv("subnets subnet-iso1/2 are not in the stack"),
			}},
		{name: "ECS deployment in an existing VPC, subnets named in config", source: "ECS installer (Go) with privateSubnetIds config",
			rs: func() []*fixture.Res {
				rs := hardenedECS()
				for _, s := range []string{"api-svc", "ui-svc"} {
					rs = edit(rs, s, func(in m) {
						in["networkConfiguration"].(m)["subnets"] = l{"subnet-priv1", "subnet-priv2"}
					})
				}
				return edit(rs, "db-subnets", func(in m) { in["subnetIds"] = l{"subnet-iso1", "subnet-iso2"} })
			}(), env: installerEnv(),
			cfg: map[string]m{"load-balancer-ingress-allowlist": {"ingressAllowList": l{allowCIDR}},
				"app-in-private-subnets":      {"privateSubnetIds": l{"subnet-priv1", "subnet-priv2"}},
				"database-in-private-subnets": {"privateSubnetIds": l{"subnet-iso1", "subnet-iso2"}}},
			want: labels{
				"app-in-private-subnets":      pass("the external subnets are named private in config"),
				"database-in-private-subnets": pass("the external subnets are named private in config"),
			}},
		{name: "ECS deployment, service with a public IP in public subnets", source: "ECS installer variant: tasks in public subnets",
			rs: edit(hardenedECS(), "api-svc", func(in m) {
				in["networkConfiguration"] = m{"subnets": l{fixture.ID("public-a"), fixture.ID("public-b")}, "securityGroups": l{fixture.ID("app-sg")},
					"assignPublicIp": true}
			}), env: installerEnv(), cfg: allowlistCfg,
			want: labels{"app-in-private-subnets": vio("assignPublicIp true in public subnets")}},
		{name: "ECS deployment, database in the public subnets", source: "ECS installer variant: DB subnet group over public subnets",
			rs:  edit(hardenedECS(), "db-subnets", func(in m) { in["subnetIds"] = l{fixture.ID("public-a"), fixture.ID("public-b")} }),
			env: installerEnv(), cfg: allowlistCfg,
			want: labels{"database-in-private-subnets": vio("the subnet group's subnets route to the internet gateway")}},
		{name: "ECS deployment, database instance public", source: "ECS installer variant: publiclyAccessible on the cluster instance",
			rs:  edit(hardenedECS(), "db-0", func(in m) { in["publiclyAccessible"] = true }),
			env: installerEnv(), cfg: allowlistCfg,
			want: labels{"rds-not-publicly-accessible": vio("db-0 publiclyAccessible true")}},
		{name: "ECS deployment, app open on 8443", source: "issue 14: FN class, app group world-open beside the LB rule",
			rs: edit(hardenedECS(), "app-sg", func(in m) {
				in["ingress"] = append(in["ingress"].(l), tcpIn(8443, "0.0.0.0/0"))
			}), env: installerEnv(), cfg: allowlistCfg,
			want: labels{"app-security-group-restricted": vio("app group admits 0.0.0.0/0 on 8443")}},
		{name: "ECS deployment, database group open to the VPC on all ports", source: "ECS installer (Go): the endpoint group shape on the DB group",
			rs:  edit(hardenedECS(), "db-sg", func(in m) { in["ingress"] = l{allTraffic("10.0.0.0/16")} }),
			env: installerEnv(), cfg: allowlistCfg,
			want: labels{"database-security-group-restricted": vio("all traffic from the VPC, not only 3306")}},
		{name: "ECS deployment, database unencrypted", source: "ECS installer variant: storageEncrypted left out",
			rs:  edit(hardenedECS(), "db", func(in m) { delete(in, "storageEncrypted") }),
			env: installerEnv(), cfg: allowlistCfg,
			want: labels{"rds-storage-encrypted": vio("storageEncrypted not set")}},
		{name: "ECS deployment, master password in plain text", source: "ECS installer variant: masterPassword from config.Require",
			rs:  edit(hardenedECS(), "db", func(in m) { in["masterPassword"] = "plain-Aurora-pw-5" }),
			env: installerEnv(), cfg: allowlistCfg,
			want: labels{"secret-inputs-marked-secret": vio("masterPassword is not a Pulumi secret")}},
		{name: "ECS deployment, license key config in plain text", source: "ECS installer: pulumi config set licenseKey without --secret",
			rs: hardenedECS(), env: func() *policy.Env {
				e := installerEnv()
				delete(e.SecretKeys, "application-go:licenseKey")
				return e
			}(), cfg: allowlistCfg,
			want: labels{"stack-config-secrets": vio("licenseKey not a secret")}},
		{name: "ECS deployment, no SMTP and SAML only", source: "ECS installer: SAML SSO org, samlSsoOnly config",
			rs: swap(hardenedECS(), taskDef("api-td", api(envPairs(apiTLSVars, dbTLSVars),
				"API_TLS_PRIVATE_KEY", "RECAPTCHA_SECRET_KEY", "PULUMI_LICENSE_KEY"))),
			env: installerEnv(), cfg: map[string]m{"load-balancer-ingress-allowlist": {"ingressAllowList": l{allowCIDR}},
				"smtp-configured": {"samlSsoOnly": true}},
			want: labels{"smtp-configured": pass("samlSsoOnly: SMTP is optional")}},
		{name: "ECS deployment, no SMTP", source: "ECS installer: SMTP config left empty",
			rs: swap(hardenedECS(), taskDef("api-td", api(envPairs(apiTLSVars, dbTLSVars),
				"API_TLS_PRIVATE_KEY", "RECAPTCHA_SECRET_KEY", "PULUMI_LICENSE_KEY"))),
			env: installerEnv(), cfg: allowlistCfg,
			want: labels{"smtp-configured": vio("no SMTP variables on the API")}},
		{name: "ECS deployment, no CAPTCHA", source: "ECS installer: recaptcha config left empty",
			rs: swap(hardenedECS(),
				taskDef("api-td", api(envPairs(apiTLSVars, dbTLSVars, smtpVars), "API_TLS_PRIVATE_KEY", "SMTP_PASSWORD",
					"PULUMI_LICENSE_KEY")),
				taskDef("ui-td", container("console", consoleImage, []string{"CONSOLE_TLS_CERTIFICATE", pemCert},
					"CONSOLE_TLS_PRIVATE_KEY"))),
			env: installerEnv(), cfg: allowlistCfg,
			want: labels{"captcha-configured": vio("neither RECAPTCHA_SECRET_KEY nor RECAPTCHA_SITE_KEY")}},
	}
}

func secretsCases() []lcase {
	return []lcase{
		{name: "stack config all secret", source: "ECS installer (Go): application stack config",
			env: installerEnv(), want: labels{"stack-config-secrets": pass("every secret key set with --secret")}},
		{name: "stack config empty license key", source: "existing behaviour: empty values ignored",
			env: stackEnv(map[string]string{"app:licenseKey": ""}), want: labels{"stack-config-secrets": pass("empty value")}},
		{name: "stack config secret key set as secret", source: "pulumi config set --secret",
			env:  stackEnv(nil, "app:licenseKey", "app:smtpPassword", "app:apiToken"),
			want: labels{"stack-config-secrets": pass("secret keys are in SecretKeys")}},
		{name: "stack config other namespace", source: "aws provider config: aws:secretKey",
			env:  stackEnv(map[string]string{"aws:secretKey": "wJalrXUtnFEMI-plain-aws"}),
			want: labels{"stack-config-secrets": vio("aws:secretKey in plain text")}},
		{name: "stack config structured password", source: "pulumi config set --path smtp.password",
			env:  stackEnv(map[string]string{"app:smtp": `{"server":"smtp.example.com","password":"nested-plain-pw"}`}),
			want: labels{"stack-config-secrets": vio("smtp.password inside a plain object")}},
		{name: "rds cluster password secret", source: "pulumi-aws docs: aws.rds.Cluster with masterPassword from config.requireSecret",
			rs: dbTier(nil), want: labels{"secret-inputs-marked-secret": pass("masterPassword is a secret")}},
		{name: "rds instance password plain", source: "pulumi-aws docs: aws.rds.Instance basic example (password literal)",
			rs: instance("mysql", 3306, m{"manageMasterUserPassword": nil, "password": "foobarbaz-plain",
				"parameterGroupName": fixture.ID("mysql-tls")}, mysqlTLS()),
			want: labels{"secret-inputs-marked-secret": vio("password literal in the program")}},
		{name: "secret version plain", source: "pulumi-aws docs: aws.secretsmanager.SecretVersion",
			rs:   []*fixture.Res{fixture.R(typeSecretVersion, "smtp_password", m{"secretId": "smtp-secret-id", "secretString": "smtp-plain-pw"})},
			want: labels{"secret-inputs-marked-secret": vio("secretString not a Pulumi secret")}},
		{name: "secret version secret", source: "ECS installer (Go): secretsManager component",
			rs: []*fixture.Res{fixture.R(typeSecretVersion, "smtp_password", m{"secretId": "smtp-secret-id",
				"secretString": fixture.Secret("smtp-Secret-pw-1")})},
			want: labels{"secret-inputs-marked-secret": pass("secretString is a secret")}},
		{name: "ssm securestring plain", source: "pulumi-aws docs: aws.ssm.Parameter SecureString",
			rs: []*fixture.Res{fixture.R(typeSSMParameter, "param", m{"name": "/app/db/password", "type": "SecureString",
				"value": "ssm-plain-value"})},
			want: labels{"secret-inputs-marked-secret": vio("SecureString value not a Pulumi secret")}},
		{name: "ssm securestring secret", source: "pulumi-aws docs: aws.ssm.Parameter SecureString",
			rs: []*fixture.Res{fixture.R(typeSSMParameter, "param", m{"name": "/app/db/password", "type": "SecureString",
				"value": fixture.Secret("ssm-Secret-value-1")})},
			want: labels{"secret-inputs-marked-secret": pass("SecureString with a secret value")}},
		{name: "opensearch master password plain", source: "ECS installer (Go): opensearch component with a literal password",
			rs: search(m{"advancedSecurityOptions": m{"enabled": true, "internalUserDatabaseEnabled": true,
				"masterUserOptions": m{"masterUserName": "admin", "masterUserPassword": "search-plain-pw"}}}),
			want: labels{"secret-inputs-marked-secret": vio("masterUserPassword not a secret")}},
	}
}

func containerCases() []lcase {
	td := func(cs ...map[string]any) []*fixture.Res { return []*fixture.Res{taskDef("td", cs...)} }
	apiSecrets := []string{"API_TLS_PRIVATE_KEY", "SMTP_PASSWORD", "RECAPTCHA_SECRET_KEY"}
	return []lcase{
		{name: "license key through secrets", source: "pulumi-aws docs: aws.ecs.TaskDefinition secrets valueFrom",
			rs:   td(apiContainer()),
			want: labels{"container-secrets-not-in-environment": pass("PULUMI_LICENSE_KEY in secrets")}},
		{name: "license key in environment", source: "ECS installer (Go): PULUMI_LICENSE_KEY from config.Require",
			rs:   td(hardenedAPI("PULUMI_LICENSE_KEY", "LICENSE-JWT-plain")),
			want: labels{"container-secrets-not-in-environment": vio("PULUMI_LICENSE_KEY in plain text")}},
		{name: "public TLS certificates in environment", source: "issue 14: FP class, TLS certificates are public",
			rs: td(apiContainer(), consoleContainer(), migrationsContainer()),
			want: labels{"container-secrets-not-in-environment": pass("API_TLS_CERTIFICATE, CONSOLE_TLS_CERTIFICATE, " +
				"DATABASE_CA_CERTIFICATE are public")}},
		{name: "recaptcha site key in console environment", source: "issue 14: FP class, known public keys",
			rs:   td(consoleContainer("AG_GRID_LICENSE_KEY", "AgGrid-frontend-key")),
			want: labels{"container-secrets-not-in-environment": pass("RECAPTCHA_SITE_KEY and AG_GRID_LICENSE_KEY are public")}},
		{name: "mysql sidecar flags", source: "issue 14: FP class, flags are not secrets",
			rs: td(apiContainer(), container("mysql", "mysql:8.0", []string{"MYSQL_ALLOW_EMPTY_PASSWORD", "no",
				"MYSQL_RANDOM_ROOT_PASSWORD", "yes", "MYSQL_DATABASE", "pulumi"})),
			want: labels{"container-secrets-not-in-environment": pass("MYSQL_ALLOW_EMPTY_PASSWORD and " +
				"MYSQL_RANDOM_ROOT_PASSWORD are flags")}},
		{name: "api tls key in environment", source: "issue 14: one report per plain-text secret",
			rs: td(api(envPairs(apiTLSVars, []string{"API_TLS_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----plain"}, dbTLSVars, smtpVars),
				"SMTP_PASSWORD", "RECAPTCHA_SECRET_KEY")),
			want: labels{
				"container-secrets-not-in-environment": vio("API_TLS_PRIVATE_KEY in plain environment"),
				"api-tls":                              pass("the key is set; reported only by container-secrets-not-in-environment"),
			}},
		{name: "console tls key in environment", source: "issue 14: one report per plain-text secret",
			rs: td(container("console", consoleImage, []string{"CONSOLE_TLS_CERTIFICATE", pemCert,
				"CONSOLE_TLS_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----plain", "RECAPTCHA_SITE_KEY", "0x4AAA-site"})),
			want: labels{
				"container-secrets-not-in-environment": vio("CONSOLE_TLS_PRIVATE_KEY in plain environment"),
				"console-tls":                          pass("the key is set; reported only by container-secrets-not-in-environment"),
			}},
		{name: "smtp password in environment", source: "issue 14: one report per plain-text secret",
			rs: td(api(envPairs(apiTLSVars, dbTLSVars, smtpVars, []string{"SMTP_PASSWORD", "smtp-plain-pw"}),
				"API_TLS_PRIVATE_KEY", "RECAPTCHA_SECRET_KEY")),
			want: labels{
				"container-secrets-not-in-environment": vio("SMTP_PASSWORD in plain environment"),
				"smtp-configured":                      pass("SMTP is configured; the plain password is the other policy's"),
			}},
		{name: "recaptcha secret in environment", source: "issue 14: one report per plain-text secret",
			rs: []*fixture.Res{taskDef("api-td", api(envPairs(apiTLSVars, dbTLSVars, smtpVars,
				[]string{"RECAPTCHA_SECRET_KEY", "0x4AAA-plain-secret"}), "API_TLS_PRIVATE_KEY", "SMTP_PASSWORD")),
				taskDef("ui-td", consoleContainer())},
			want: labels{
				"container-secrets-not-in-environment": vio("RECAPTCHA_SECRET_KEY in plain environment"),
				"captcha-configured":                   pass("both halves set; the plain secret is the other policy's"),
			}},
		{name: "sidecar with an api key", source: "pulumi-aws docs: aws.ecs.TaskDefinition, a monitoring sidecar",
			rs:   td(apiContainer(), container("datadog", "public.ecr.aws/datadog/agent:7", []string{"DD_API_KEY", "dd-plain-api-key"})),
			want: labels{"container-secrets-not-in-environment": vio("DD_API_KEY in a sidecar's environment")}},
		{name: "allowEnv config", source: "existing behaviour: allowEnv",
			rs:   td(hardenedAPI("DB_PASSWORD", "local-dev-password")),
			cfg:  map[string]m{"container-secrets-not-in-environment": {"allowEnv": l{"DB_PASSWORD"}}},
			want: labels{"container-secrets-not-in-environment": pass("DB_PASSWORD allowed by config")}},

		// Containers that read an environment file.
		{name: "api with environment file", source: "issue 14: FP class, environmentFiles",
			rs: td(withEnvFile(api([]string{"PULUMI_ENTERPRISE", "true"}, apiSecrets...))),
			want: labels{
				"api-tls":         unv("API_TLS_CERTIFICATE, API_MIN_TLS_VERSION may be in the file"),
				"database-tls":    unv("DATABASE_* may be in the file"),
				"smtp-configured": unv("SMTP_SERVER, SMTP_USERNAME, SMTP_GENERIC_SENDER may be in the file"),
			}},
		{name: "console with environment file", source: "issue 14: FP class, environmentFiles",
			rs: []*fixture.Res{taskDef("api-td", apiContainer()),
				taskDef("ui-td", withEnvFile(container("console", consoleImage, []string{"PULUMI_API", "https://api.pulumi.example.com"})))},
			want: labels{
				"console-tls":        unv("CONSOLE_TLS_* may be in the file"),
				"captcha-configured": unv("RECAPTCHA_SITE_KEY may be in the file"),
			}},
		{name: "migrations with environment file", source: "issue 14: FP class, environmentFiles",
			rs:   td(withEnvFile(container("migrate", migrationsImage, nil, "MYSQL_ROOT_PASSWORD"))),
			want: labels{"database-tls": unv("DATABASE_CA_CERTIFICATE and DATABASE_MIN_TLS_VERSION may be in the file")}},
		{name: "environment file does not excuse a weak version", source: "issue 14: environmentFiles, explicit value",
			rs: td(withEnvFile(api(envPairs([]string{"API_TLS_CERTIFICATE", pemCert, "API_MIN_TLS_VERSION", "1.0"}, dbTLSVars, smtpVars),
				apiSecrets...))),
			want: labels{"api-tls": vio("API_MIN_TLS_VERSION 1.0 in the environment")}},

		// The TLS variables themselves.
		{name: "api without tls", source: "ECS installer (Go): API container",
			rs:   td(api(envPairs(dbTLSVars, smtpVars), "SMTP_PASSWORD", "RECAPTCHA_SECRET_KEY")),
			want: labels{"api-tls": vio("no API TLS variables")}},
		{name: "api min tls 1.1", source: "guide: API_MIN_TLS_VERSION 1.2 or 1.3",
			rs: td(api(envPairs([]string{"API_TLS_CERTIFICATE", pemCert, "API_MIN_TLS_VERSION", "1.1"}, dbTLSVars, smtpVars),
				apiSecrets...)),
			want: labels{"api-tls": vio("API_MIN_TLS_VERSION 1.1")}},
		{name: "api key in secrets, certificate missing", source: "guide: hop 2",
			rs:   td(api(envPairs([]string{"API_MIN_TLS_VERSION", "1.3"}, dbTLSVars, smtpVars), apiSecrets...)),
			want: labels{"api-tls": vio("API_TLS_CERTIFICATE missing")}},
		{name: "hardened api", source: "guide: hop 2",
			rs: td(apiContainer()),
			want: labels{"api-tls": pass("certificate, key, version 1.2"), "database-tls": pass("CA and version"),
				"smtp-configured": pass("all SMTP variables")}},
		{name: "console without tls", source: "ECS installer (Go): Console container",
			rs:   td(container("console", consoleImage, []string{"RECAPTCHA_SITE_KEY", "0x4AAA-site"})),
			want: labels{"console-tls": vio("no CONSOLE_TLS_* variables")}},
		{name: "console tls at the load balancer", source: "guide: TLS may end at a load balancer in front of the Console",
			rs:   td(container("console", consoleImage, []string{"RECAPTCHA_SITE_KEY", "0x4AAA-site"})),
			cfg:  map[string]m{"console-tls": {"consoleTlsTerminatedAtLoadBalancer": true}},
			want: labels{"console-tls": pass("consoleTlsTerminatedAtLoadBalancer")}},
		{name: "console private ca not trusted", source: "guide: NODE_EXTRA_CA_CERTS for a private CA",
			rs:   td(consoleContainer()),
			cfg:  map[string]m{"console-tls": {"apiUsesPrivateCa": true}},
			want: labels{"console-tls": vio("NODE_EXTRA_CA_CERTS not set")}},
		{name: "console private ca trusted", source: "guide: NODE_EXTRA_CA_CERTS for a private CA",
			rs:   td(consoleContainer("NODE_EXTRA_CA_CERTS", "/etc/ssl/certs/internal-ca.pem")),
			cfg:  map[string]m{"console-tls": {"apiUsesPrivateCa": true}},
			want: labels{"console-tls": pass("NODE_EXTRA_CA_CERTS set")}},
		{name: "migrations with ca only", source: "guide: hop 3 needs both variables",
			rs:   td(container("migrate", migrationsImage, []string{"DATABASE_CA_CERTIFICATE", pemCert})),
			want: labels{"database-tls": vio("DATABASE_MIN_TLS_VERSION missing")}},
		{name: "hardened migrations", source: "guide: hop 3",
			rs: td(migrationsContainer()), want: labels{"database-tls": pass("CA and version 1.2")}},
		{name: "captcha half configured", source: "guide: CAPTCHA needs both halves",
			rs: []*fixture.Res{taskDef("api-td", apiContainer()),
				taskDef("ui-td", container("console", consoleImage, []string{"CONSOLE_TLS_CERTIFICATE", pemCert},
					"CONSOLE_TLS_PRIVATE_KEY"))},
			want: labels{"captcha-configured": vio("Console lacks RECAPTCHA_SITE_KEY")}},
		{name: "captcha neither half", source: "guide: CAPTCHA and bot protection",
			rs: []*fixture.Res{taskDef("api-td", api(envPairs(apiTLSVars, dbTLSVars, smtpVars), "API_TLS_PRIVATE_KEY", "SMTP_PASSWORD")),
				taskDef("ui-td", container("console", consoleImage, []string{"CONSOLE_TLS_CERTIFICATE", pemCert},
					"CONSOLE_TLS_PRIVATE_KEY"))},
			want: labels{"captcha-configured": vio("CAPTCHA not configured")}},
		{name: "captcha both halves", source: "ECS installer (Go): recaptcha config set",
			rs:   []*fixture.Res{taskDef("api-td", apiContainer()), taskDef("ui-td", consoleContainer())},
			want: labels{"captcha-configured": pass("secret key in API secrets, site key in Console environment")}},
		{name: "smtp partial", source: "guide: SMTP and email",
			rs: td(api(envPairs(apiTLSVars, dbTLSVars, []string{"SMTP_SERVER", "smtp.example.com:587"}),
				"API_TLS_PRIVATE_KEY", "RECAPTCHA_SECRET_KEY")),
			want: labels{"smtp-configured": vio("SMTP_USERNAME, SMTP_GENERIC_SENDER, SMTP_PASSWORD missing")}},
	}
}

func networkCases() []lcase {
	sg := func(rules ...any) []*fixture.Res { return []*fixture.Res{fixture.R(tSG, "sg", m{"ingress": l(rules)})} }
	// The VPC's main route table exists only as an output.
	withMainRT := func(rs []*fixture.Res) []*fixture.Res {
		for _, r := range rs {
			if r.Name == "vpc" {
				r.Output("mainRouteTableId", "rtb-0main").Output("defaultRouteTableId", "rtb-0main")
			}
		}
		return rs
	}
	mainOnly := func(extra ...*fixture.Res) []*fixture.Res {
		return withMainRT(network(append([]*fixture.Res{fixture.R(tSubnet, "main-only", m{"vpcId": fixture.ID("vpc"), "cidrBlock": "10.0.9.0/24"})}, extra...)...))
	}
	// An IPv6 block Amazon assigns to the VPC, known only as an output.
	withIPv6 := func(rs []*fixture.Res) []*fixture.Res {
		for _, r := range rs {
			if r.Name == "vpc" {
				r.Inputs["assignGeneratedIpv6CidrBlock"] = true
				r.Output("ipv6CidrBlock", "2600:1f14:abc:de00::/56")
			}
		}
		return rs
	}
	lbWorld := func(rules ...any) []*fixture.Res {
		return network(fixture.R(tSG, "lb-sg", m{"vpcId": fixture.ID("vpc"), "ingress": l(rules)}),
			fixture.R(typeLoadBalancer, "lb", m{"internal": false, "securityGroups": l{fixture.ID("lb-sg")},
				"subnets": l{fixture.ID("public-a"), fixture.ID("public-b")}}))
	}
	appWorld := func(rules ...any) []*fixture.Res {
		return network(fixture.R(tSG, "lb-sg", m{"vpcId": fixture.ID("vpc")}), fixture.R(tSG, "app-sg", m{"vpcId": fixture.ID("vpc"), "ingress": l(rules)}),
			fixture.R(typeECSService, "worker-svc", m{"networkConfiguration": m{"subnets": l{fixture.ID("private-a")},
				"securityGroups": l{fixture.ID("app-sg")}, "assignPublicIp": false}}))
	}
	dbWith := func(rules ...any) []*fixture.Res {
		return edit(dbTier(nil), "db-sg", func(in m) { in["ingress"] = l(rules) })
	}
	// cgnat is a secondary block of the VPC, from the shared address space.
	cgnat := func() *fixture.Res {
		return fixture.R(tCidrAssoc, "vpc-cgnat", m{"vpcId": fixture.ID("vpc"), "cidrBlock": "100.64.0.0/16"})
	}
	pl := func(cidrs ...string) *fixture.Res {
		var es l
		for _, c := range cidrs {
			es = append(es, m{"cidr": c, "description": "office"})
		}
		return fixture.R(tPrefixList, "office-pl", m{"name": "office", "addressFamily": "IPv4", "maxEntries": 5, "entries": es})
	}
	return []lcase{
		// World-open: the union of the sources.
		{name: "ssh from 0.0.0.0/0", source: "pulumi-aws docs: aws.ec2.SecurityGroup allow_tls example, opened to SSH",
			rs: sg(tcpIn(22, "0.0.0.0/0")), want: labels{"security-group-no-unrestricted-ingress": vio("SSH from everyone")}},
		{name: "ssh from two halves", source: "issue 14: FN class, world-open as a union",
			rs:   sg(tcpIn(22, "0.0.0.0/1", "128.0.0.0/1")),
			want: labels{"security-group-no-unrestricted-ingress": vio("0.0.0.0/1 + 128.0.0.0/1 cover all of IPv4")}},
		{name: "ssh from two halves in two inline rules", source: "issue 14: FN class, union over inline rules on one port",
			rs:   sg(tcpIn(22, "0.0.0.0/1"), tcpIn(22, "128.0.0.0/1")),
			want: labels{"security-group-no-unrestricted-ingress": vio("two inline rules on 22 cover all of IPv4")}},
		{name: "postgres from quarters", source: "issue 14: FN class, world-open as a union",
			rs:   sg(tcpIn(5432, "0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/1")),
			want: labels{"security-group-no-unrestricted-ingress": vio("three blocks cover all of IPv4")}},
		{name: "mysql from ipv6 halves", source: "issue 14: FN class, world-open as a union (IPv6)",
			rs:   sg(tcpIn6(3306, "::/1", "8000::/1")),
			want: labels{"security-group-no-unrestricted-ingress": vio("::/1 + 8000::/1 cover all of IPv6")}},
		{name: "ssh from half the internet", source: "issue 14: world-open needs the whole space",
			rs:   sg(tcpIn(22, "0.0.0.0/1")),
			want: labels{"security-group-no-unrestricted-ingress": pass("0.0.0.0/1 alone is not everyone")}},
		{name: "https from everyone", source: "pulumi-aws docs: aws.ec2.SecurityGroup allow_tls",
			rs:   sg(tcpIn(443, "0.0.0.0/0"), tcpIn6(443, "::/0")),
			want: labels{"security-group-no-unrestricted-ingress": pass("443 is not sensitive")}},
		{name: "default security group open", source: "pulumi-aws docs: aws.ec2.DefaultSecurityGroup, opened",
			rs: []*fixture.Res{fixture.R(tVPC, "vpc", m{"cidrBlock": "10.1.0.0/16"}), fixture.R(tDefaultSG, "default", m{"vpcId": fixture.ID("vpc"),
				"ingress": l{allTraffic("0.0.0.0/0")}, "egress": l{allTraffic("0.0.0.0/0")}})},
			want: labels{"security-group-no-unrestricted-ingress": vio("the default group admits everyone on all traffic")}},
		{name: "default security group self", source: "pulumi-aws docs: aws.ec2.DefaultSecurityGroup example",
			rs: []*fixture.Res{fixture.R(tVPC, "vpc", m{"cidrBlock": "10.1.0.0/16"}), fixture.R(tDefaultSG, "default", m{"vpcId": fixture.ID("vpc"),
				"ingress": l{m{"protocol": "-1", "self": true, "fromPort": 0, "toPort": 0}}, "egress": l{allTraffic("0.0.0.0/0")}})},
			want: labels{"security-group-no-unrestricted-ingress": pass("self only")}},
		{name: "rdp rule resource", source: "pulumi-aws docs: aws.ec2.SecurityGroupRule",
			rs: []*fixture.Res{fixture.R(tSG, "sg", m{}), fixture.R(tSGRule, "rdp", m{"type": "ingress", "protocol": "tcp", "fromPort": 3389,
				"toPort": 3389, "cidrBlocks": l{"0.0.0.0/0"}, "securityGroupId": fixture.ID("sg")})},
			want: labels{"security-group-no-unrestricted-ingress": vio("RDP from everyone")}},
		{name: "vpc ingress rule https ipv6", source: "pulumi-aws docs: aws.vpc.SecurityGroupIngressRule",
			rs: []*fixture.Res{fixture.R(tSG, "sg", m{}), fixture.R(tIn, "https6", m{"securityGroupId": fixture.ID("sg"), "ipProtocol": "tcp",
				"fromPort": 443, "toPort": 443, "cidrIpv6": "::/0"})},
			want: labels{"security-group-no-unrestricted-ingress": pass("443 is not sensitive")}},

		// Subnet placement through the VPC's main route table.
		{name: "db subnet behind main route table with igw route", source: "issue 14: FN class, aws:ec2/route on vpc.mainRouteTableId",
			rs: append(mainOnly(fixture.R(tRoute, "main-default", m{"routeTableId": fixture.OutputOf("vpc", "mainRouteTableId"),
				"destinationCidrBlock": "0.0.0.0/0", "gatewayId": fixture.ID("igw")})),
				append(aurora(l{fixture.ID("main-only")}, nil), fixture.R(tSG, "app-sg", m{"vpcId": fixture.ID("vpc")}))...),
			want: labels{"database-in-private-subnets": vio("main-only uses the main route table, which routes to the IGW")}},
		{name: "app subnet behind default route table with igw route", source: "issue 14: FN class, aws:ec2/route on vpc.defaultRouteTableId",
			rs: mainOnly(fixture.R(tRoute, "main-default", m{"routeTableId": fixture.OutputOf("vpc", "defaultRouteTableId"),
				"destinationCidrBlock": "0.0.0.0/0", "gatewayId": fixture.ID("igw")}),
				fixture.R(tSG, "app-sg", m{"vpcId": fixture.ID("vpc")}),
				fixture.R(typeECSService, "worker-svc", m{"networkConfiguration": m{"subnets": l{fixture.ID("main-only")},
					"securityGroups": l{fixture.ID("app-sg")}, "assignPublicIp": false}})),
			want: labels{"app-in-private-subnets": vio("main-only uses the main route table, which routes to the IGW")}},
		{name: "subnet behind main route table with nat route", source: "pulumi-aws docs: aws.ec2.Route to a NAT gateway",
			rs: mainOnly(fixture.R(tRoute, "main-default", m{"routeTableId": fixture.OutputOf("vpc", "mainRouteTableId"),
				"destinationCidrBlock": "0.0.0.0/0", "natGatewayId": fixture.ID("nat")}),
				fixture.R(tSG, "app-sg", m{"vpcId": fixture.ID("vpc")}),
				fixture.R(typeECSService, "worker-svc", m{"networkConfiguration": m{"subnets": l{fixture.ID("main-only")},
					"securityGroups": l{fixture.ID("app-sg")}, "assignPublicIp": false}})),
			want: labels{"app-in-private-subnets": pass("the main route table routes through the NAT gateway")}},
		{name: "associated subnet ignores main route table", source: "pulumi-aws docs: aws.ec2.RouteTableAssociation",
			rs: append(withMainRT(network(fixture.R(tRoute, "main-default", m{"routeTableId": fixture.OutputOf("vpc", "mainRouteTableId"),
				"destinationCidrBlock": "0.0.0.0/0", "gatewayId": fixture.ID("igw")}))),
				append(aurora(l{fixture.ID("private-a"), fixture.ID("private-b")}, nil), fixture.R(tSG, "app-sg", m{"vpcId": fixture.ID("vpc")}))...),
			want: labels{"database-in-private-subnets": pass("private-a/b have their own private route table")}},
		{name: "db subnet group in public subnets", source: "pulumi-aws docs: aws.rds.SubnetGroup over public subnets",
			rs:   edit(dbTier(nil), "db-subnets", func(in m) { in["subnetIds"] = l{fixture.ID("public-a"), fixture.ID("private-b")} }),
			want: labels{"database-in-private-subnets": vio("public-a routes to the IGW")}},
		{name: "db without subnet group", source: "pulumi-aws docs: aws.rds.Instance basic example",
			rs:   instance("mysql", 3306, m{"dbSubnetGroupName": nil, "parameterGroupName": fixture.ID("mysql-tls")}, mysqlTLS()),
			want: labels{"database-in-private-subnets": vio("default VPC")}},
		{name: "opensearch in private subnets", source: "ECS installer (Go): opensearch component",
			rs: search(nil), want: labels{"database-in-private-subnets": pass("private-a/b"),
				"opensearch-domain-encrypted": pass("installer's domain settings")}},
		{name: "ec2 instance without subnet", source: "pulumi-aws docs: aws.ec2.Instance basic example",
			rs:   []*fixture.Res{fixture.R(typeEC2Instance, "web", m{"ami": "ami-005e54dee72cc1d00", "instanceType": "t3.micro"})},
			want: labels{"app-in-private-subnets": vio("default subnet of the default VPC")}},
		{name: "ec2 instance private", source: "pulumi-aws docs: aws.ec2.Instance network interface example",
			rs: network(fixture.R(typeEC2Instance, "web", m{"ami": "ami-005e54dee72cc1d00", "instanceType": "t3.micro",
				"subnetId": fixture.ID("private-a")})),
			want: labels{"app-in-private-subnets": pass("private-a")}},
		{name: "eks node group in private subnets", source: "EKS installer: node group in private subnets",
			rs: network(fixture.R(typeEKSNodeGroup, "workers", m{"clusterName": "pulumi", "subnetIds": l{fixture.ID("private-a"), fixture.ID("private-b")},
				"scalingConfig": m{"desiredSize": 2, "maxSize": 3, "minSize": 1}})),
			want: labels{"app-in-private-subnets": pass("private-a/b")}},
		{name: "eks node group in public subnets", source: "EKS installer variant: node group in the public subnets",
			rs: network(fixture.R(typeEKSNodeGroup, "workers", m{"clusterName": "pulumi", "subnetIds": l{fixture.ID("public-a"), fixture.ID("public-b")},
				"scalingConfig": m{"desiredSize": 2, "maxSize": 3, "minSize": 1}})),
			want: labels{"app-in-private-subnets": vio("public-a/b route to the IGW")}},

		// VPC ranges count as private.
		{name: "db rule from a secondary vpc block", source: "issue 14: FP class, pulumi-aws docs: aws.ec2.VpcIpv4CidrBlockAssociation",
			rs:   append(dbWith(tcpIn(3306, "100.64.1.0/24")), cgnat()),
			want: labels{"database-security-group-restricted": pass("100.64.0.0/16 is a block of the VPC")}},
		{name: "db rule from a range outside the vpc", source: "issue 14: secondary blocks only count when associated",
			rs:   append(dbWith(tcpIn(3306, "100.65.1.0/24")), cgnat()),
			want: labels{"database-security-group-restricted": vio("100.65.1.0/24 is not private nor the VPC's")}},
		{name: "db rule from the vpc's generated ipv6 block", source: "issue 14: FP class, assignGeneratedIpv6CidrBlock output",
			rs:   withIPv6(dbWith(tcpIn6(3306, "2600:1f14:abc:de00::/64"))),
			want: labels{"database-security-group-restricted": pass("inside the VPC's ipv6CidrBlock output")}},
		{name: "db rule from a foreign ipv6 block", source: "issue 14: ipv6 outside the VPC",
			rs:   withIPv6(dbWith(tcpIn6(3306, "2600:1f14:ffff:1::/64"))),
			want: labels{"database-security-group-restricted": vio("not inside the VPC's ipv6 block")}},
		{name: "db rule from a secondary ipv6 block", source: "pulumi-aws docs: aws.ec2.VpcIpv6CidrBlockAssociation",
			rs: append(dbWith(tcpIn6(3306, "2600:1f14:abc:df00::/64")), fixture.R(awsnet.TypeVPCIPv6Block, "vpc-v6",
				m{"vpcId": fixture.ID("vpc"), "ipv6CidrBlock": "2600:1f14:abc:df00::/56"})),
			want: labels{"database-security-group-restricted": pass("inside the VPC's secondary IPv6 block")}},
		{name: "db rule from an amazon-provided secondary ipv6 block",
			source: "pulumi-aws docs: aws.ec2.VpcIpv6CidrBlockAssociation, block only as an output",
			rs: append(dbWith(tcpIn6(3306, "2600:1f14:abc:df00::/64")), fixture.R(awsnet.TypeVPCIPv6Block, "vpc-v6",
				m{"vpcId": fixture.ID("vpc"), "assignGeneratedIpv6CidrBlock": true}).Output("ipv6CidrBlock", "2600:1f14:abc:df00::/56")),
			want: labels{"database-security-group-restricted": pass("inside the association's ipv6CidrBlock output")}},
		{name: "app rule from a secondary vpc block", source: "issue 14: FP class, secondary VPC block",
			rs:   append(appWorld(tcpIn(8443, "100.64.0.0/20")), cgnat()),
			want: labels{"app-security-group-restricted": pass("100.64.0.0/20 is in the VPC")}},
		{name: "db group from the app group", source: "ECS installer (Go): ecs-to-db rule",
			rs:   dbTier(nil),
			want: labels{"database-security-group-restricted": pass("only the app group on 3306")}},
		{name: "db group open to the internet", source: "pulumi-aws docs: aws.rds.Instance with a wide-open group",
			rs: dbWith(tcpIn(3306, "0.0.0.0/0")),
			want: labels{"database-security-group-restricted": vio("0.0.0.0/0 on 3306"),
				"security-group-no-unrestricted-ingress": vio("3306 from everyone")}},
		{name: "db group from vpc on ssh", source: "guide: database port only",
			rs:   dbWith(tcpIn(22, "10.0.0.0/16")),
			want: labels{"database-security-group-restricted": vio("22, not only 3306")}},
		{name: "db group external", source: "ECS installer (Go): sg-db from the infrastructure stack",
			rs:   edit(dbTier(nil), "db", func(in m) { in["vpcSecurityGroupIds"] = l{"sg-db"} }),
			want: labels{"database-security-group-restricted": unv("sg-db is not in the stack")}},
		{name: "opensearch group open to the internet", source: "ECS installer (Go): opensearch group admits 0.0.0.0/0 on 443",
			rs:   edit(search(nil), "search-sg", func(in m) { in["ingress"] = l{tcpIn(443, "0.0.0.0/0")} }),
			want: labels{"database-security-group-restricted": vio("the search domain's group admits 0.0.0.0/0")}},

		// Prefix lists.
		{name: "db group from an in-stack private prefix list", source: "issue 14: pulumi-aws docs: aws.ec2.ManagedPrefixList",
			rs:   append(dbWith(plIn(3306, fixture.ID("office-pl"))), pl("10.20.0.0/16", "192.168.10.0/24")),
			want: labels{"database-security-group-restricted": pass("the list's entries are private")}},
		{name: "db group from an in-stack public prefix list", source: "issue 14: prefix list judged by its entries",
			rs:   append(dbWith(plIn(3306, fixture.ID("office-pl"))), pl("198.51.100.0/24")),
			want: labels{"database-security-group-restricted": vio("198.51.100.0/24 is public")}},
		{name: "db group from an external prefix list", source: "issue 14: FP class, prefix list outside the stack",
			rs:   dbWith(plIn(3306, "pl-1234")),
			want: labels{"database-security-group-restricted": unv("pl-1234 is not in the stack")}},
		{name: "app group from an in-stack public prefix list", source: "issue 14: prefix lists judged alike",
			rs:   append(appWorld(plIn(8443, fixture.ID("office-pl"))), pl("198.51.100.0/24")),
			want: labels{"app-security-group-restricted": vio("198.51.100.0/24 is public")}},
		{name: "app group from an in-stack private prefix list", source: "issue 14: prefix lists judged alike",
			rs:   append(appWorld(plIn(8443, fixture.ID("office-pl"))), pl("10.20.0.0/16")),
			want: labels{"app-security-group-restricted": pass("10.20.0.0/16 is private")}},
		{name: "app group from an external prefix list", source: "issue 14: prefix lists judged alike",
			rs:   appWorld(plIn(8443, "pl-1234")),
			want: labels{"app-security-group-restricted": unv("pl-1234 is not in the stack")}},
		{name: "lb group from an allowlisted prefix list", source: "issue 14: prefix lists judged alike",
			rs: append(lbWorld(plIn(443, fixture.ID("office-pl"))), pl("203.0.113.0/25")), cfg: allowlistCfg,
			want: labels{"load-balancer-ingress-allowlist": pass("203.0.113.0/25 is inside the allowlist")}},
		{name: "lb group from a prefix list outside the allowlist", source: "issue 14: prefix lists judged alike",
			rs: append(lbWorld(plIn(443, fixture.ID("office-pl"))), pl("198.51.100.0/24")), cfg: allowlistCfg,
			want: labels{"load-balancer-ingress-allowlist": vio("198.51.100.0/24 is outside the allowlist")}},
		{name: "lb group from an external prefix list", source: "issue 14: prefix lists judged alike",
			rs: lbWorld(plIn(443, "pl-1234")), cfg: allowlistCfg,
			want: labels{"load-balancer-ingress-allowlist": unv("pl-1234 is not in the stack")}},

		// App groups.
		{name: "app group from the internet", source: "ECS installer variant: service group admits 0.0.0.0/0 on 8080",
			rs:   appWorld(tcpIn(8080, "0.0.0.0/0")),
			want: labels{"app-security-group-restricted": vio("0.0.0.0/0 on 8080")}},
		{name: "app group from the load balancer group", source: "ECS installer (Go): service group from the LB group",
			rs:   appWorld(sgIn(8080, fixture.ID("lb-sg"))),
			want: labels{"app-security-group-restricted": pass("only the LB group")}},
		{name: "ec2 ssh from an office address", source: "pulumi-aws docs: aws.ec2.Instance with a security group",
			rs: network(fixture.R(tSG, "vm-sg", m{"vpcId": fixture.ID("vpc"), "ingress": l{tcpIn(22, "198.51.100.7/32")}}),
				fixture.R(typeEC2Instance, "vm", m{"subnetId": fixture.ID("private-a"), "vpcSecurityGroupIds": l{fixture.ID("vm-sg")}})),
			want: labels{"app-security-group-restricted": vio("198.51.100.7/32 on 22")}},

		// The load balancer's allowlist.
		{name: "lb private source on 8080", source: "issue 14: FP class, only public sources are port-checked",
			rs: lbWorld(tcpIn(443, allowCIDR), tcpIn(8080, "10.0.0.0/8")), cfg: allowlistCfg,
			want: labels{"load-balancer-ingress-allowlist": pass("10.0.0.0/8 on 8080 is internal traffic")}},
		{name: "lb group source on 8080", source: "issue 14: FP class, only public sources are port-checked",
			rs:   append(lbWorld(tcpIn(443, allowCIDR), sgIn(8080, fixture.ID("bastion-sg"))), fixture.R(tSG, "bastion-sg", m{"vpcId": fixture.ID("vpc")})),
			cfg:  allowlistCfg,
			want: labels{"load-balancer-ingress-allowlist": pass("a security group source on 8080 is not public")}},
		{name: "lb public without allowlist", source: "pulumi-aws docs: aws.lb.LoadBalancer with an open group",
			rs:   lbWorld(tcpIn(443, "0.0.0.0/0")),
			want: labels{"load-balancer-ingress-allowlist": vio("0.0.0.0/0 and no allowlist")}},
		{name: "lb public on purpose", source: "policy config: ingressAllowList 0.0.0.0/0 and ::/0",
			rs:   lbWorld(tcpIn(443, "0.0.0.0/0"), tcpIn(80, "0.0.0.0/0"), tcpIn6(443, "::/0")),
			cfg:  map[string]m{"load-balancer-ingress-allowlist": {"ingressAllowList": l{"0.0.0.0/0", "::/0"}}},
			want: labels{"load-balancer-ingress-allowlist": pass("a public endpoint, accepted in config")}},
		{name: "lb allowlisted on 8443", source: "guide: the load balancer needs only 443 and 80",
			rs: lbWorld(tcpIn(8443, allowCIDR)), cfg: allowlistCfg,
			want: labels{"load-balancer-ingress-allowlist": vio("8443 from a public range")}},
		{name: "lb outside the allowlist", source: "guide: ingress allowlist",
			rs: lbWorld(tcpIn(443, "198.51.100.0/24")), cfg: allowlistCfg,
			want: labels{"load-balancer-ingress-allowlist": vio("198.51.100.0/24 outside the allowlist")}},
		{name: "internal lb open", source: "pulumi-aws docs: aws.lb.LoadBalancer internal",
			rs:   edit(lbWorld(tcpIn(8443, "0.0.0.0/0")), "lb", func(in m) { in["internal"] = true }),
			want: labels{"load-balancer-ingress-allowlist": pass("internal load balancer")}},
		{name: "lb world-open in halves", source: "issue 14: FN class, world-open as a union",
			rs:   lbWorld(tcpIn(443, "0.0.0.0/1", "128.0.0.0/1")),
			want: labels{"load-balancer-ingress-allowlist": vio("public ranges and no allowlist")}},

		// Egress.
		{name: "app group all egress", source: "ECS installer (Go): service group 'Allows egress to all IP addresses'",
			rs:   edit(appWorld(sgIn(8080, fixture.ID("lb-sg"))), "app-sg", func(in m) { in["egress"] = l{allTraffic("0.0.0.0/0")} }),
			want: labels{"security-group-egress-restricted": vio("all egress to 0.0.0.0/0")}},
		{name: "app group all egress in halves", source: "issue 14: world-open as a union, egress",
			rs: edit(appWorld(sgIn(8080, fixture.ID("lb-sg"))), "app-sg", func(in m) {
				in["egress"] = l{allTraffic("0.0.0.0/1", "128.0.0.0/1")}
			}),
			want: labels{"security-group-egress-restricted": vio("0.0.0.0/1 + 128.0.0.0/1 is everyone")}},
		{name: "db group all egress ipv6", source: "pulumi-aws docs: aws.vpc.SecurityGroupEgressRule",
			rs:   append(dbTier(nil), fixture.R(tOut, "db-out", m{"securityGroupId": fixture.ID("db-sg"), "ipProtocol": "-1", "cidrIpv6": "::/0"})),
			want: labels{"security-group-egress-restricted": vio("all egress to ::/0")}},
		{name: "app group egress to the vpc", source: "guide: egress where the tier needs it",
			rs: edit(appWorld(sgIn(8080, fixture.ID("lb-sg"))), "app-sg", func(in m) {
				in["egress"] = l{allTraffic("10.0.0.0/16"), tcpIn(443, "0.0.0.0/0")}
			}),
			want: labels{"security-group-egress-restricted": pass("all ports only inside the VPC; 443 out")}},
		{name: "unattached group all egress", source: "pulumi-aws docs: aws.ec2.SecurityGroup allow_tls egress",
			rs:   []*fixture.Res{fixture.R(tSG, "sg", m{"egress": l{allTraffic("0.0.0.0/0")}})},
			want: labels{"security-group-egress-restricted": pass("not attached to a database or app tier")}},
	}
}

func transitCases() []lcase {
	listener := func(proto, policy string) []*fixture.Res {
		in := m{"loadBalancerArn": "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/lb/1",
			"port": 443, "protocol": proto, "certificateArn": acmCert,
			"defaultActions": l{m{"type": "forward", "targetGroupArn": "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/tg/1"}}}
		if policy != "" {
			in["sslPolicy"] = policy
		}
		return []*fixture.Res{fixture.R(typeLBListener, "front_end", in)}
	}
	var out []lcase
	for _, p := range []string{"ELBSecurityPolicy-TLS13-1-0-2021-06", "ELBSecurityPolicy-TLS13-1-1-2021-06",
		"ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-FS-2018-06", "ELBSecurityPolicy-TLS-1-1-2017-01",
		"ELBSecurityPolicy-FS-1-1-2019-08", "ELBSecurityPolicy-TLS13-1-0-PQ-2025-09"} {
		out = append(out, lcase{name: "listener " + p, source: "pulumi-aws docs: aws.lb.Listener; issue 14: TLS 1.0/1.1 policies",
			rs: listener("HTTPS", p), want: labels{"load-balancer-tls": vio(p + " allows TLS older than 1.2")}})
	}
	for _, p := range []string{"ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06",
		"ELBSecurityPolicy-TLS-1-2-2017-01", "ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "ELBSecurityPolicy-FS-1-2-Res-2020-10",
		"ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", "ELBSecurityPolicy-FS-1-2-Res-2019-08"} {
		out = append(out, lcase{name: "listener " + p, source: "pulumi-aws docs: aws.lb.Listener; ELB TLS 1.2+ policies",
			rs: listener("HTTPS", p), want: labels{"load-balancer-tls": pass(p + " allows TLS 1.2+ only")}})
	}
	tgCase := func(name, source, proto string, api m, cfg map[string]m, want labels) lcase {
		return lcase{name: name, source: source, cfg: cfg, want: want, rs: network(
			fixture.R(tSG, "app-sg", m{"vpcId": fixture.ID("vpc")}),
			fixture.R(typeLBTargetGroup, "api-tg", m{"protocol": proto, "port": 8443, "targetType": "ip", "vpcId": fixture.ID("vpc")}),
			taskDef("api-td", api), svc("api-svc", "api-td", "api", 8443, "api-tg"))}
	}
	apiNoTLS := api(envPairs(dbTLSVars, smtpVars), "SMTP_PASSWORD", "RECAPTCHA_SECRET_KEY")
	out = append(out,
		lcase{name: "https listener without ssl policy", source: "pulumi-aws docs: aws.lb.Listener, sslPolicy left out",
			rs: listener("HTTPS", ""), want: labels{"load-balancer-tls": vio("AWS default ELBSecurityPolicy-2016-08")}},
		lcase{name: "tls listener without ssl policy", source: "pulumi-aws docs: aws.lb.Listener NLB TLS example, sslPolicy left out",
			rs: listener("TLS", ""), want: labels{"load-balancer-tls": vio("TLS listener without sslPolicy")}},
		lcase{name: "tls listener tls13", source: "pulumi-aws docs: aws.lb.Listener NLB TLS example",
			rs: listener("TLS", "ELBSecurityPolicy-TLS13-1-2-2021-06"), want: labels{"load-balancer-tls": pass("TLS 1.2+")}},
		lcase{name: "http listener redirect", source: "pulumi-aws docs: aws.lb.Listener redirect example",
			rs:   []*fixture.Res{fixture.R(typeLBListener, "front_end", m{"port": 80, "protocol": "HTTP", "defaultActions": redirectToHTTPS})},
			want: labels{"load-balancer-tls": pass("only redirects to HTTPS")}},
		lcase{name: "http listener forward", source: "pulumi-aws docs: aws.lb.Listener forward example on port 80",
			rs: []*fixture.Res{fixture.R(typeLBListener, "front_end", m{"port": 80, "protocol": "HTTP",
				"defaultActions": l{m{"type": "forward", "targetGroupArn": "arn:tg"}}})},
			want: labels{"load-balancer-tls": vio("HTTP forwards")}},
		lcase{name: "http listener fixed response", source: "pulumi-aws docs: aws.lb.Listener fixed-response example",
			rs: []*fixture.Res{fixture.R(typeLBListener, "front_end", m{"port": 80, "protocol": "HTTP", "defaultActions": l{m{"type": "fixed-response",
				"fixedResponse": m{"contentType": "text/plain", "messageBody": "Fixed response content", "statusCode": "200"}}}})},
			want: labels{"load-balancer-tls": vio("HTTP answers in plain text")}},
		lcase{name: "tcp passthrough listener", source: "pulumi-aws docs: aws.lb.Listener NLB TCP",
			rs: []*fixture.Res{fixture.R(typeLBListener, "front_end", m{"port": 443, "protocol": "TCP",
				"defaultActions": l{m{"type": "forward", "targetGroupArn": "arn:tg"}}})},
			want: labels{"load-balancer-tls": pass("TCP passthrough; TLS is the target's")}},
		tgCase("api target group https", "ECS installer hardened: HTTPS to the API", "HTTPS", apiContainer(), nil,
			labels{"load-balancer-tls": pass("HTTPS to the API")}),
		tgCase("api target group tls", "NLB TLS target group in front of the API", "TLS", apiContainer(), nil,
			labels{"load-balancer-tls": pass("TLS to the API")}),
		tgCase("api target group tcp, api serves tls", "issue 14: FP class, TCP target group with a TLS container", "TCP", apiContainer(), nil,
			labels{"load-balancer-tls": pass("the API serves TLS itself")}),
		tgCase("api target group tcp, api without tls", "issue 14: TCP target group and a plain container", "TCP", apiNoTLS, nil,
			labels{"load-balancer-tls": vio("TCP to an API without TLS"), "api-tls": vio("no API TLS variables")}),
		tgCase("api target group http", "ECS installer (Go): HTTP target group", "HTTP", apiContainer(), nil,
			labels{"load-balancer-tls": vio("HTTP to the API")}),
		tgCase("api target group http, tls at the lb", "policy config tlsTerminatedAtLoadBalancer", "HTTP", apiContainer(),
			map[string]m{"load-balancer-tls": {"tlsTerminatedAtLoadBalancer": true}},
			labels{"load-balancer-tls": pass("TLS ends at the load balancer by design")}),
		lcase{name: "console target group tcp, console serves tls", source: "issue 14: TCP target group with a TLS container",
			rs: network(fixture.R(tSG, "app-sg", m{"vpcId": fixture.ID("vpc")}),
				fixture.R(typeLBTargetGroup, "ui-tg", m{"protocol": "TCP", "port": 3000, "targetType": "ip", "vpcId": fixture.ID("vpc")}),
				taskDef("api-td", apiContainer()), taskDef("ui-td", consoleContainer()),
				svc("ui-svc", "ui-td", "console", 3000, "ui-tg")),
			want: labels{"load-balancer-tls": pass("the Console serves TLS itself")}},
		lcase{name: "rule forwards on http listener", source: "ECS installer (Go): api-https-list-rule on the HTTP listener",
			rs: []*fixture.Res{fixture.R(typeLBListener, "http", m{"port": 80, "protocol": "HTTP", "defaultActions": redirectToHTTPS}),
				fixture.R(typeLBListenerRule, "rule", m{"listenerArn": fixture.ID("http"), "actions": l{m{"type": "forward", "targetGroupArn": "arn:tg"}},
					"conditions": l{m{"hostHeader": m{"values": l{"api.pulumi.example.com"}}}}})},
			want: labels{"load-balancer-tls": vio("a rule forwards on HTTP")}},
	)

	// The database's own TLS setting.
	pgGroup := func(name, family, param, value string) *fixture.Res {
		return fixture.R(typeRDSParameterGroup, name, m{"family": family, "parameters": l{m{"name": param, "value": value}}})
	}
	out = append(out,
		lcase{name: "postgres without engine version", source: "issue 14: FP class, pulumi-aws docs: aws.rds.Instance postgres",
			rs:   instance("postgres", 5432, nil),
			want: labels{"database-requires-tls": pass("AWS's default major version is 15+, rds.force_ssl 1 by default")}},
		lcase{name: "postgres 16", source: "pulumi-aws docs: aws.rds.Instance postgres 16",
			rs:   instance("postgres", 5432, m{"engineVersion": "16.3"}),
			want: labels{"database-requires-tls": pass("15+ defaults to rds.force_ssl 1")}},
		lcase{name: "postgres 13 default group", source: "pulumi-aws docs: aws.rds.Instance postgres 13",
			rs:   instance("postgres", 5432, m{"engineVersion": "13.7"}),
			want: labels{"database-requires-tls": vio("13 defaults to rds.force_ssl 0")}},
		lcase{name: "postgres 13 with force_ssl", source: "pulumi-aws docs: aws.rds.ParameterGroup",
			rs: instance("postgres", 5432, m{"engineVersion": "13.7", "parameterGroupName": fixture.ID("pg-tls")},
				pgGroup("pg-tls", "postgres13", "rds.force_ssl", "1")),
			want: labels{"database-requires-tls": pass("rds.force_ssl 1")}},
		lcase{name: "mysql without parameter group", source: "pulumi-aws docs: aws.rds.Instance basic example",
			rs: instance("mysql", 3306, m{"engineVersion": "8.0"}), want: labels{"database-requires-tls": vio("default group")}},
		lcase{name: "mysql require_secure_transport ON", source: "pulumi-aws docs: aws.rds.ParameterGroup",
			rs: instance("mysql", 3306, m{"engineVersion": "8.0", "parameterGroupName": fixture.ID("mysql-tls")},
				pgGroup("mysql-tls", "mysql8.0", "require_secure_transport", "ON")),
			want: labels{"database-requires-tls": pass("require_secure_transport ON")}},
		lcase{name: "mysql require_secure_transport OFF", source: "pulumi-aws docs: aws.rds.ParameterGroup",
			rs: instance("mysql", 3306, m{"engineVersion": "8.0", "parameterGroupName": fixture.ID("mysql-tls")},
				pgGroup("mysql-tls", "mysql8.0", "require_secure_transport", "OFF")),
			want: labels{"database-requires-tls": vio("require_secure_transport OFF")}},
		lcase{name: "mysql default group by name", source: "pulumi-aws docs: aws.rds.Instance parameterGroupName default.mysql8.0",
			rs:   instance("mysql", 3306, m{"parameterGroupName": "default.mysql8.0"}),
			want: labels{"database-requires-tls": vio("default.mysql8.0")}},
		lcase{name: "mysql external group", source: "a shared parameter group outside the stack",
			rs:   instance("mysql", 3306, m{"parameterGroupName": "shared-mysql-tls"}),
			want: labels{"database-requires-tls": unv("shared-mysql-tls is not in the stack")}},
		lcase{name: "aurora mysql with instance options only", source: "ECS installer (Go): instance parameter group without TLS, no cluster group",
			rs: edit(drop(dbTier(m{"dbClusterParameterGroupName": nil},
				fixture.R(typeRDSParameterGroup, "instance-options", m{"family": "aurora-mysql8.0", "parameters": l{
					m{"name": "slow_query_log", "value": "1"}, m{"name": "long_query_time", "value": "4.9"}}})), "db-tls"),
				"db-0", func(in m) { in["dbParameterGroupName"] = fixture.ID("instance-options") }),
			want: labels{"database-requires-tls": vio("the cluster uses the default cluster parameter group")}},
		lcase{name: "aurora postgres with force_ssl", source: "pulumi-aws docs: aws.rds.ClusterParameterGroup",
			rs: edit(edit(dbTier(m{"engine": "aurora-postgresql", "engineVersion": "15.4"}), "db-tls", func(in m) {
				in["family"] = "aurora-postgresql15"
				in["parameters"] = l{m{"name": "rds.force_ssl", "value": "1"}}
			}), "app-to-db", func(in m) { in["fromPort"], in["toPort"] = 5432, 5432 }),
			want: labels{"database-requires-tls": pass("rds.force_ssl 1")}},
		lcase{name: "oracle not judged", source: "pulumi-aws docs: aws.rds.Instance oracle",
			rs:   instance("oracle-se2", 1521, m{"licenseModel": "license-included"}),
			want: labels{"database-requires-tls": pass("no TLS parameter known for Oracle")}},
	)

	// OpenSearch.
	out = append(out,
		lcase{name: "opensearch old tls", source: "pulumi-aws docs: aws.opensearch.Domain",
			rs:   search(m{"domainEndpointOptions": m{"enforceHttps": true, "tlsSecurityPolicy": "Policy-Min-TLS-1-0-2019-07"}}),
			want: labels{"opensearch-domain-encrypted": vio("TLS 1.0 allowed")}},
		lcase{name: "opensearch unencrypted", source: "pulumi-aws docs: aws.opensearch.Domain basic example",
			rs:   search(m{"encryptAtRest": nil, "nodeToNodeEncryption": nil}),
			want: labels{"opensearch-domain-encrypted": vio("encryptAtRest and nodeToNodeEncryption not set")}},
		lcase{name: "opensearch pfs policy", source: "pulumi-aws docs: aws.opensearch.Domain",
			rs:   search(m{"domainEndpointOptions": m{"enforceHttps": true, "tlsSecurityPolicy": "Policy-Min-TLS-1-2-PFS-2023-10"}}),
			want: labels{"opensearch-domain-encrypted": pass("TLS 1.2 PFS")}},
		lcase{name: "opensearch without vpc", source: "pulumi-aws docs: aws.opensearch.Domain basic example",
			rs: search(m{"vpcOptions": nil}), want: labels{"database-in-private-subnets": vio("public endpoint outside a VPC")}},
	)
	return out
}

func atRestCases() []lcase {
	return []lcase{
		{name: "aurora encrypted", source: "ECS installer (Go): aurora component",
			rs: dbTier(nil), want: labels{"rds-storage-encrypted": pass("storageEncrypted true"),
				"database-requires-tls": pass("require_secure_transport ON")}},
		{name: "aurora unencrypted", source: "pulumi-aws docs: aws.rds.Cluster basic example",
			rs: dbTier(m{"storageEncrypted": nil}), want: labels{"rds-storage-encrypted": vio("storageEncrypted not set")}},
		{name: "instance encrypted false", source: "pulumi-aws docs: aws.rds.Instance",
			rs:   instance("postgres", 5432, m{"engineVersion": "16.3", "storageEncrypted": false}),
			want: labels{"rds-storage-encrypted": vio("storageEncrypted false")}},
		{name: "instance from snapshot", source: "pulumi-aws docs: aws.rds.Instance snapshotIdentifier",
			rs:   instance("postgres", 5432, m{"engineVersion": "16.3", "storageEncrypted": nil, "snapshotIdentifier": "pulumi-final-snap"}),
			want: labels{"rds-storage-encrypted": unv("the snapshot's encryption decides")}},
		{name: "global cluster unencrypted", source: "pulumi-aws docs: aws.rds.GlobalCluster",
			rs:   []*fixture.Res{fixture.R(typeRDSGlobalCluster, "global", m{"globalClusterIdentifier": "pulumi-global", "engine": "aurora-mysql"})},
			want: labels{"rds-storage-encrypted": vio("global cluster not encrypted")}},
		{name: "read replica", source: "pulumi-aws docs: aws.rds.Instance replicateSourceDb",
			rs: append(instance("postgres", 5432, m{"engineVersion": "16.3"}), fixture.R(typeRDSInstance, "replica",
				m{"replicateSourceDb": fixture.ID("db"), "instanceClass": "db.t3.medium", "engine": "postgres", "engineVersion": "16.3",
					"publiclyAccessible": false})),
			want: labels{"rds-storage-encrypted": pass("a replica follows its source")}},
		{name: "bucket v6 inline", source: "pulumi-aws docs: aws.s3.Bucket (v6) serverSideEncryptionConfiguration",
			rs: []*fixture.Res{fixture.R(typeS3Bucket, "b", m{"serverSideEncryptionConfiguration": m{"rule": m{
				"applyServerSideEncryptionByDefault": m{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "arn:aws:kms:us-west-2:1:key/k"}}}})},
			want: labels{"s3-bucket-encrypted": pass("inline SSE")}},
		{name: "bucket v7 with configuration", source: "pulumi-aws docs: aws.s3.BucketServerSideEncryptionConfiguration (v7)",
			rs:   []*fixture.Res{fixture.R(typeS3Bucket, "b", m{}), bucketSSE(typeS3Encryption, "b-sse", "b", "aws:kms")},
			want: labels{"s3-bucket-encrypted": pass("separate configuration")}},
		{name: "bucket bare", source: "ECS installer (Go): checkpoints bucket",
			rs: []*fixture.Res{fixture.R(typeS3Bucket, "pulumi-checkpoints", m{})}, want: labels{"s3-bucket-encrypted": vio("no SSE")}},
		{name: "bucket with configuration of another bucket", source: "pulumi-aws docs: aws.s3.BucketServerSideEncryptionConfigurationV2",
			rs:   []*fixture.Res{bucket("checkpoints"), bucket("policypacks"), bucketSSE(typeS3EncryptionV2, "policypacks-sse", "policypacks", "AES256")},
			want: labels{"s3-bucket-encrypted": vio("checkpoints has no SSE")}},
		{name: "bucket kms required", source: "policy config requireKms",
			rs:   []*fixture.Res{bucket("checkpoints"), bucketSSE(typeS3EncryptionV2, "checkpoints-sse", "checkpoints", "AES256")},
			cfg:  map[string]m{"s3-bucket-encrypted": {"requireKms": true}},
			want: labels{"s3-bucket-encrypted": vio("AES256 with requireKms")}},
		{name: "cluster instance public", source: "pulumi-aws docs: aws.rds.ClusterInstance publiclyAccessible",
			rs:   edit(dbTier(nil), "db-0", func(in m) { in["publiclyAccessible"] = true }),
			want: labels{"rds-not-publicly-accessible": vio("publiclyAccessible true")}},
		{name: "instance public", source: "pulumi-aws docs: aws.rds.Instance publiclyAccessible",
			rs:   instance("postgres", 5432, m{"engineVersion": "16.3", "publiclyAccessible": true}),
			want: labels{"rds-not-publicly-accessible": vio("publiclyAccessible true")}},
		{name: "instance not public", source: "pulumi-aws docs: aws.rds.Instance",
			rs:   instance("postgres", 5432, m{"engineVersion": "16.3"}),
			want: labels{"rds-not-publicly-accessible": pass("publiclyAccessible false"), "rds-storage-encrypted": pass("encrypted")}},
	}
}

// moreCases probe the corners: alias tokens, default groups, separate
// prefix list entries, and stacks of other installers.
func moreCases() []lcase {
	appWorld := func(rules ...any) []*fixture.Res {
		return network(fixture.R(tSG, "lb-sg", m{"vpcId": fixture.ID("vpc")}), fixture.R(tSG, "app-sg", m{"vpcId": fixture.ID("vpc"), "ingress": l(rules)}),
			fixture.R(typeECSService, "worker-svc", m{"networkConfiguration": m{"subnets": l{fixture.ID("private-a")},
				"securityGroups": l{fixture.ID("app-sg")}, "assignPublicIp": false}}))
	}
	lbWorld := func(rules ...any) []*fixture.Res {
		return network(fixture.R(tSG, "lb-sg", m{"vpcId": fixture.ID("vpc"), "ingress": l(rules)}),
			fixture.R(typeALBLoadBalancer, "lb", m{"internal": false, "securityGroups": l{fixture.ID("lb-sg")},
				"subnets": l{fixture.ID("public-a"), fixture.ID("public-b")}}))
	}
	// eks is the EKS installer's shape: node groups in the private subnets,
	// their group open to the VPC, Aurora and encrypted buckets.
	eks := func() []*fixture.Res {
		rs := dbTier(nil,
			fixture.R(typeEKSNodeGroup, "workers", m{"clusterName": "pulumi-selfhosted", "nodeRoleArn": "arn:aws:iam::123456789012:role/nodes",
				"subnetIds": l{fixture.ID("private-a"), fixture.ID("private-b")}, "instanceTypes": l{"t3.xlarge"},
				"scalingConfig": m{"desiredSize": 3, "maxSize": 6, "minSize": 3}}),
			bucket("checkpoints"), bucketSSE(typeS3EncryptionV2, "checkpoints-sse", "checkpoints", "aws:kms"),
			bucket("policypacks"), bucketSSE(typeS3EncryptionV2, "policypacks-sse", "policypacks", "aws:kms"))
		return edit(rs, "app-sg", func(in m) { in["ingress"] = l{allTraffic("10.0.0.0/16")} })
	}
	return []lcase{
		// Other installers' whole stacks.
		{name: "hardened EKS deployment", source: "EKS installer (eks-hosted): node groups, Aurora, buckets",
			rs: eks(), env: stackEnv(map[string]string{"eks-hosted:clusterName": "pulumi-selfhosted"}, "app:licenseKey"),
			want: every("the hardened EKS deployment meets the guide", nil)},
		{name: "EKS deployment with gaps", source: "EKS installer (eks-hosted) variant: public nodes, open DB, plain license",
			rs: func() []*fixture.Res {
				rs := edit(eks(), "workers", func(in m) { in["subnetIds"] = l{fixture.ID("public-a"), fixture.ID("public-b")} })
				rs = edit(rs, "db-sg", func(in m) { in["ingress"] = l{tcpIn(3306, "0.0.0.0/0")} })
				return drop(rs, "policypacks-sse")
			}(), env: stackEnv(map[string]string{"app:licenseKey": "eyJhbGciOi-license-plain"}),
			want: labels{
				"app-in-private-subnets":                 vio("node group in public subnets"),
				"database-security-group-restricted":     vio("3306 from 0.0.0.0/0"),
				"security-group-no-unrestricted-ingress": vio("3306 from everyone"),
				"s3-bucket-encrypted":                    vio("policypacks bucket without SSE"),
				"stack-config-secrets":                   vio("licenseKey in plain text"),
			}},
		{name: "EKS installer database and state stacks as written", source: "EKS installer (eks-hosted): 20-database and 15-state-policies-mgmt",
			rs: []*fixture.Res{
				fixture.R(typeRDSSubnetGroup, "pulumi-subnets", m{"subnetIds": l{"subnet-priv1", "subnet-priv2"}}),
				fixture.R(typeRDSCluster, "pulumi-cluster", m{"backupRetentionPeriod": 7, "databaseName": "pulumi",
					"copyTagsToSnapshot": true, "dbSubnetGroupName": fixture.ID("pulumi-subnets"), "engine": "aurora-mysql",
					"engineVersion": "8.0.mysql_aurora.3.07.1", "masterUsername": "pulumi",
					"masterPassword": fixture.Secret("random-Password-16c"), "storageEncrypted": true,
					"vpcSecurityGroupIds": l{"sg-0nodes"}, "finalSnapshotIdentifier": "snapshot-0a1b2c"}),
				fixture.R(typeRDSParameterGroup, "database-instance-options", m{"name": "database-instance-options",
					"family": "aurora-mysql8.0", "parameters": l{m{"name": "slow_query_log", "value": "1"},
						m{"name": "general_log", "value": "1"}, m{"name": "log_output", "value": "FILE"}}}),
				fixture.R(typeRDSClusterInstance, "databaseInstance-0", m{"clusterIdentifier": fixture.ID("pulumi-cluster"),
					"engine": "aurora-mysql", "instanceClass": "db.r5.large", "dbParameterGroupName": "database-instance-options",
					"monitoringInterval": 5}),
				fixture.R(typeRDSClusterInstance, "databaseInstance-1", m{"clusterIdentifier": fixture.ID("pulumi-cluster"),
					"engine": "aurora-mysql", "instanceClass": "db.r5.large", "dbParameterGroupName": "database-instance-options",
					"monitoringInterval": 5}),
				fixture.R(typeS3Bucket, "pulumi-checkpoints", m{}), fixture.R(typeS3Bucket, "pulumi-policypacks", m{}),
				fixture.R(typeS3Bucket, "pulumi-events", m{}),
			},
			env: stackEnv(map[string]string{"eks-database:dbReplicas": "2", "eks-database:dbInstanceType": "db.r5.large"}),
			want: labels{
				"database-requires-tls":              vio("no cluster parameter group: require_secure_transport off"),
				"s3-bucket-encrypted":                vio("three buckets without SSE"),
				"database-in-private-subnets":        unv("the subnet group's subnets come from config"),
				"database-security-group-restricted": unv("the node security group is not in the stack"),
				"rds-storage-encrypted":              pass("storageEncrypted true"),
				"secret-inputs-marked-secret":        pass("masterPassword from a RandomPassword, a secret"),
				"rds-not-publicly-accessible":        pass("cluster instances leave publiclyAccessible unset"),
			}},
		{name: "hardened ECS deployment on aws.alb tokens", source: "ECS installer (TS): aws.alb aliases",
			rs: func() []*fixture.Res {
				rs := hardenedECS()
				for _, r := range rs {
					switch r.Type {
					case typeLoadBalancer:
						r.Type = typeALBLoadBalancer
					case typeLBListener:
						r.Type = typeALBListener
					case typeLBTargetGroup:
						r.Type = typeALBTargetGroup
					case typeLBListenerRule:
						r.Type = typeALBListenerRule
					}
				}
				return rs
			}(), env: installerEnv(), cfg: allowlistCfg,
			want: every("alias tokens are judged alike", nil)},
		{name: "ECS deployment on aws.alb tokens with gaps", source: "ECS installer (TS): aws.alb aliases, old TLS, open LB",
			rs: func() []*fixture.Res {
				rs := edit(hardenedECS(), "https", func(in m) { in["sslPolicy"] = "ELBSecurityPolicy-2016-08" })
				rs = edit(rs, "lb-sg", func(in m) { in["ingress"] = l{tcpIn(443, "0.0.0.0/0"), tcpIn6(443, "::/0")} })
				for _, r := range rs {
					switch r.Type {
					case typeLoadBalancer:
						r.Type = typeALBLoadBalancer
					case typeLBListener:
						r.Type = typeALBListener
					}
				}
				return rs
			}(), env: installerEnv(), cfg: allowlistCfg,
			want: labels{
				"load-balancer-tls":               vio("ELBSecurityPolicy-2016-08 on the aws.alb listener"),
				"load-balancer-ingress-allowlist": vio("0.0.0.0/0 and ::/0 outside the allowlist"),
			}},

		// Network corners.
		{name: "ssh and mysql halves on different ports", source: "issue 14: a union is per port",
			rs:   []*fixture.Res{fixture.R(tSG, "sg", m{"ingress": l{tcpIn(22, "0.0.0.0/1"), tcpIn(3306, "128.0.0.0/1")}})},
			want: labels{"security-group-no-unrestricted-ingress": pass("no single port is open to all of IPv4")}},
		{name: "halves on overlapping port ranges", source: "issue 14: a union is per port",
			rs: []*fixture.Res{fixture.R(tSG, "sg", m{"ingress": l{m{"protocol": "tcp", "fromPort": 20, "toPort": 30, "cidrBlocks": l{"0.0.0.0/1"}},
				tcpIn(22, "128.0.0.0/1")}})},
			want: labels{"security-group-no-unrestricted-ingress": vio("port 22 is reached from both halves")}},
		{name: "halves split between ingress and egress", source: "issue 14: a union is per direction",
			rs:   []*fixture.Res{fixture.R(tSG, "sg", m{"ingress": l{tcpIn(22, "0.0.0.0/1")}, "egress": l{tcpIn(22, "128.0.0.0/1")}})},
			want: labels{"security-group-no-unrestricted-ingress": pass("only half of IPv4 may connect in")}},
		{name: "db rule from the vpc's ipam block", source: "issue 14: VPC ranges known only as outputs (IPAM pool)",
			rs: func() []*fixture.Res {
				rs := edit(dbTier(nil), "db-sg", func(in m) { in["ingress"] = l{tcpIn(3306, "100.64.1.0/24")} })
				for _, r := range rs {
					if r.Name == "vpc" {
						delete(r.Inputs, "cidrBlock")
						r.Inputs["ipv4IpamPoolId"] = "ipam-pool-0123456789abcdef0"
						r.Inputs["ipv4NetmaskLength"] = 16
						r.Output("cidrBlock", "100.64.0.0/16")
					}
				}
				return rs
			}(),
			want: labels{"database-security-group-restricted": pass("100.64.1.0/24 is inside the VPC's block from IPAM")}},

		{name: "ssh halves in a rule resource", source: "issue 14: world-open as a union, aws:ec2/securityGroupRule",
			rs: []*fixture.Res{fixture.R(tSG, "sg", m{}), fixture.R(tSGRule, "ssh", m{"type": "ingress", "protocol": "tcp", "fromPort": 22,
				"toPort": 22, "cidrBlocks": l{"0.0.0.0/1", "128.0.0.0/1"}, "securityGroupId": fixture.ID("sg")})},
			want: labels{"security-group-no-unrestricted-ingress": vio("the rule's blocks cover all of IPv4")}},
		{name: "database on an open default group", source: "pulumi-aws docs: aws.ec2.DefaultSecurityGroup attached to RDS",
			rs: edit(append(dbTier(nil), fixture.R(tDefaultSG, "default", m{"vpcId": fixture.ID("vpc"),
				"ingress": l{allTraffic("0.0.0.0/0")}})), "db", func(in m) { in["vpcSecurityGroupIds"] = l{fixture.ID("default")} }),
			want: labels{
				"database-security-group-restricted":     vio("the default group admits everyone on all traffic"),
				"security-group-no-unrestricted-ingress": vio("the default group admits everyone on all traffic"),
			}},
		{name: "app group ssh from everyone", source: "pulumi-aws docs: aws.ec2.SecurityGroup, SSH opened",
			rs: appWorld(sgIn(8080, fixture.ID("lb-sg")), tcpIn(22, "0.0.0.0/0")),
			want: labels{
				"app-security-group-restricted":          vio("0.0.0.0/0 on 22"),
				"security-group-no-unrestricted-ingress": vio("SSH from everyone"),
			}},
		{name: "db group from separate prefix list entries", source: "pulumi-aws docs: aws.ec2.ManagedPrefixListEntry",
			rs: edit(append(dbTier(nil), fixture.R(tPrefixList, "office-pl", m{"name": "office", "addressFamily": "IPv4", "maxEntries": 5}),
				fixture.R(awsnet.TypePrefixListEntry, "office-1", m{"prefixListId": fixture.ID("office-pl"), "cidr": "198.51.100.0/24"})),
				"db-sg", func(in m) { in["ingress"] = l{plIn(3306, fixture.ID("office-pl"))} }),
			want: labels{"database-security-group-restricted": vio("the list's entry 198.51.100.0/24 is public")}},
		{name: "lb ipv6 outside an ipv4 allowlist", source: "guide: ingress allowlist",
			rs: lbWorld(tcpIn(443, allowCIDR), tcpIn6(443, "::/0")), cfg: allowlistCfg,
			want: labels{"load-balancer-ingress-allowlist": vio("::/0 outside the allowlist")}},
		{name: "alb alias open without allowlist", source: "pulumi-aws docs: aws.alb.LoadBalancer",
			rs:   lbWorld(tcpIn(443, "0.0.0.0/0"), tcpIn(80, "0.0.0.0/0")),
			want: labels{"load-balancer-ingress-allowlist": vio("0.0.0.0/0 and no allowlist")}},
		{name: "alb alias allowlisted", source: "pulumi-aws docs: aws.alb.LoadBalancer",
			rs: lbWorld(tcpIn(443, allowCIDR), tcpIn(80, allowCIDR)), cfg: allowlistCfg,
			want: labels{"load-balancer-ingress-allowlist": pass("inside the allowlist on 80 and 443")}},
		{name: "launch template with public addresses", source: "pulumi-aws docs: aws.ec2.LaunchTemplate networkInterfaces",
			rs: network(fixture.R(typeLaunchTemplate, "nodes", m{"imageId": "ami-0abc", "instanceType": "t3.large",
				"networkInterfaces": l{m{"associatePublicIpAddress": true, "subnetId": fixture.ID("private-a")}}})),
			want: labels{"app-in-private-subnets": vio("associatePublicIpAddress true")}},
		{name: "autoscaling group in public subnets", source: "pulumi-aws docs: aws.autoscaling.Group vpcZoneIdentifiers",
			rs: network(fixture.R(typeAutoscalingGroup, "nodes", m{"maxSize": 3, "minSize": 1,
				"vpcZoneIdentifiers": l{fixture.ID("public-a"), fixture.ID("public-b")}})),
			want: labels{"app-in-private-subnets": vio("public-a/b route to the IGW")}},

		// Transit corners.
		{name: "alb alias listener old policy", source: "pulumi-aws docs: aws.alb.Listener",
			rs: []*fixture.Res{fixture.R(typeALBListener, "front_end", m{"port": 443, "protocol": "HTTPS", "certificateArn": acmCert,
				"sslPolicy": "ELBSecurityPolicy-TLS-1-1-2017-01", "defaultActions": l{m{"type": "forward", "targetGroupArn": "arn:tg"}}})},
			want: labels{"load-balancer-tls": vio("TLS 1.1 allowed")}},
		{name: "tcp target group, api tls in plain environment", source: "issue 14: TCP target group; one report per plain-text secret",
			rs: network(fixture.R(tSG, "app-sg", m{"vpcId": fixture.ID("vpc")}),
				fixture.R(typeLBTargetGroup, "api-tg", m{"protocol": "TCP", "port": 8443, "targetType": "ip", "vpcId": fixture.ID("vpc")}),
				taskDef("api-td", api(envPairs(apiTLSVars, []string{"API_TLS_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----plain"},
					dbTLSVars, smtpVars), "SMTP_PASSWORD", "RECAPTCHA_SECRET_KEY")),
				svc("api-svc", "api-td", "api", 8443, "api-tg")),
			want: labels{
				"load-balancer-tls":                    pass("the API serves TLS itself"),
				"api-tls":                              pass("certificate and key are set"),
				"container-secrets-not-in-environment": vio("API_TLS_PRIVATE_KEY in plain environment"),
			}},
		{name: "console environment file behind a tls load balancer", source: "issue 14: environmentFiles with consoleTlsTerminatedAtLoadBalancer",
			rs: []*fixture.Res{taskDef("api-td", apiContainer()), taskDef("ui-td", withEnvFile(container("console", consoleImage,
				[]string{"RECAPTCHA_SITE_KEY", "0x4AAA-site"})))},
			cfg:  map[string]m{"console-tls": {"consoleTlsTerminatedAtLoadBalancer": true}},
			want: labels{"console-tls": pass("TLS ends at the load balancer")}},
		{name: "mariadb without parameter group", source: "pulumi-aws docs: aws.rds.Instance mariadb",
			rs:   instance("mariadb", 3306, m{"engineVersion": "10.11"}),
			want: labels{"database-requires-tls": vio("require_secure_transport off by default")}},
		{name: "postgres 15", source: "pulumi-aws docs: aws.rds.Instance postgres 15",
			rs:   instance("postgres", 5432, m{"engineVersion": "15"}),
			want: labels{"database-requires-tls": pass("15 defaults to rds.force_ssl 1")}},
		{name: "aurora postgres without cluster group", source: "pulumi-aws docs: aws.rds.Cluster aurora-postgresql",
			rs: drop(edit(dbTier(m{"engine": "aurora-postgresql", "engineVersion": "15.4", "dbClusterParameterGroupName": nil}),
				"app-to-db", func(in m) { in["fromPort"], in["toPort"] = 5432, 5432 }), "db-tls"),
			want: labels{"database-requires-tls": vio("rds.force_ssl off in the default cluster group")}},
		{name: "opensearch http allowed", source: "pulumi-aws docs: aws.opensearch.Domain domainEndpointOptions",
			rs:   search(m{"domainEndpointOptions": m{"enforceHttps": false, "tlsSecurityPolicy": "Policy-Min-TLS-1-2-2019-07"}}),
			want: labels{"opensearch-domain-encrypted": vio("enforceHttps false")}},
		{name: "elasticsearch unencrypted", source: "pulumi-aws docs: aws.elasticsearch.Domain",
			rs: search(nil, fixture.R(typeElasticsearchDomain, "legacy", m{"domainName": "legacy", "elasticsearchVersion": "7.10",
				"encryptAtRest": m{"enabled": false}, "nodeToNodeEncryption": m{"enabled": true},
				"domainEndpointOptions": m{"enforceHttps": true, "tlsSecurityPolicy": "Policy-Min-TLS-1-2-2019-07"},
				"vpcOptions":            m{"subnetIds": l{fixture.ID("private-a")}, "securityGroupIds": l{fixture.ID("search-sg")}}})),
			want: labels{"opensearch-domain-encrypted": vio("encryptAtRest false on the Elasticsearch domain")}},

		// Environment files: no advisory when nothing is missing.
		{name: "hardened api with an environment file", source: "issue 14: environmentFiles, every variable also set",
			rs: []*fixture.Res{taskDef("api-td", withEnvFile(apiContainer())), taskDef("ui-td", withEnvFile(consoleContainer())),
				taskDef("migrations-td", withEnvFile(migrationsContainer()))},
			want: every("every required variable is set in environment or secrets", nil)},
		{name: "captcha secret may be in the api's environment file", source: "issue 14: environmentFiles, CAPTCHA",
			rs: []*fixture.Res{taskDef("api-td", withEnvFile(api(envPairs(apiTLSVars, dbTLSVars, smtpVars), "API_TLS_PRIVATE_KEY",
				"SMTP_PASSWORD"))), taskDef("ui-td", consoleContainer())},
			want: labels{"captcha-configured": unv("RECAPTCHA_SECRET_KEY may be in the API's file")}},
		{name: "environment file and saml only", source: "issue 14: environmentFiles with samlSsoOnly",
			rs:   []*fixture.Res{taskDef("api-td", withEnvFile(api(envPairs(apiTLSVars, dbTLSVars), "API_TLS_PRIVATE_KEY", "RECAPTCHA_SECRET_KEY")))},
			cfg:  map[string]m{"smtp-configured": {"samlSsoOnly": true}},
			want: labels{"smtp-configured": pass("SMTP optional with SAML SSO only")}},

		// More placement and edge corners.
		{name: "lb private source on all ports", source: "issue 14: only public sources are port-checked",
			rs: lbWorld(tcpIn(443, allowCIDR), allTraffic("10.0.0.0/16")), cfg: allowlistCfg,
			want: labels{"load-balancer-ingress-allowlist": pass("all traffic from inside the VPC only")}},
		{name: "main route table replaced by a main association", source: "pulumi-aws docs: aws.ec2.MainRouteTableAssociation",
			rs: func() []*fixture.Res {
				rs := network(fixture.R(tSubnet, "main-only", m{"vpcId": fixture.ID("vpc"), "cidrBlock": "10.0.9.0/24"}),
					fixture.R(tRoute, "main-default", m{"routeTableId": fixture.OutputOf("vpc", "mainRouteTableId"),
						"destinationCidrBlock": "0.0.0.0/0", "gatewayId": fixture.ID("igw")}),
					fixture.R(tMain, "main", m{"vpcId": fixture.ID("vpc"), "routeTableId": fixture.ID("private-rt")}),
					fixture.R(tSG, "app-sg", m{"vpcId": fixture.ID("vpc")}),
					fixture.R(typeECSService, "worker-svc", m{"networkConfiguration": m{"subnets": l{fixture.ID("main-only")},
						"securityGroups": l{fixture.ID("app-sg")}, "assignPublicIp": false}}))
				for _, r := range rs {
					if r.Name == "vpc" {
						r.Output("mainRouteTableId", "rtb-0main")
					}
				}
				return rs
			}(),
			want: labels{"app-in-private-subnets": pass("the main association makes private-rt the main table")}},
		{name: "default route table with an igw route", source: "pulumi-aws docs: aws.ec2.DefaultRouteTable",
			rs: func() []*fixture.Res {
				rs := network(fixture.R(tSubnet, "main-only", m{"vpcId": fixture.ID("vpc"), "cidrBlock": "10.0.9.0/24"}),
					fixture.R(awsnet.TypeDefaultRouteTable, "default-rt", m{"defaultRouteTableId": fixture.OutputOf("vpc", "defaultRouteTableId"),
						"routes": l{m{"cidrBlock": "0.0.0.0/0", "gatewayId": fixture.ID("igw")}}}),
					fixture.R(tSG, "app-sg", m{"vpcId": fixture.ID("vpc")}),
					fixture.R(typeECSService, "worker-svc", m{"networkConfiguration": m{"subnets": l{fixture.ID("main-only")},
						"securityGroups": l{fixture.ID("app-sg")}, "assignPublicIp": false}}))
				for _, r := range rs {
					if r.Name == "vpc" {
						r.Output("defaultRouteTableId", "rtb-0main")
					}
				}
				return rs
			}(),
			want: labels{"app-in-private-subnets": vio("the VPC's default route table routes to the IGW")}},
		{name: "http target group in front of a sidecar", source: "pulumi-aws docs: aws.lb.TargetGroup, not a service container",
			rs: network(fixture.R(tSG, "app-sg", m{"vpcId": fixture.ID("vpc")}),
				fixture.R(typeLBTargetGroup, "web-tg", m{"protocol": "HTTP", "port": 80, "targetType": "ip", "vpcId": fixture.ID("vpc")}),
				taskDef("web-td", container("nginx", "nginx:1.27", []string{"NGINX_PORT", "80"})),
				svc("web-svc", "web-td", "nginx", 80, "web-tg")),
			want: labels{"load-balancer-tls": pass("not an API or Console container")}},
		{name: "instance public as a secret", source: "existing behaviour: secret booleans are read",
			rs:   instance("postgres", 5432, m{"engineVersion": "16.3", "publiclyAccessible": fixture.Secret(true)}),
			want: labels{"rds-not-publicly-accessible": vio("publiclyAccessible true, as a secret")}},
		{name: "storage encryption unknown", source: "existing behaviour: an unknown value is not a verdict",
			rs:   dbTier(m{"storageEncrypted": fixture.Unknown}),
			want: labels{"rds-storage-encrypted": unv("storageEncrypted is not known until update")}},

		{name: "container definitions held in a secret", source: "existing behaviour: a secret document is still read",
			rs: []*fixture.Res{fixture.R("aws:ecs/taskDefinition:TaskDefinition", "api-td", m{"containerDefinitions": fixture.Secret(
				`[{"name":"api","image":"` + apiImage + `","environment":[{"name":"PULUMI_LICENSE_KEY","value":"LICENSE-in-secret-doc"}]}]`)})},
			want: labels{
				"container-secrets-not-in-environment": vio("PULUMI_LICENSE_KEY in the environment, though the document is secret"),
				"api-tls":                              vio("no API TLS variables"),
				"database-tls":                         vio("no database TLS variables"),
				"smtp-configured":                      vio("no SMTP variables"),
				"captcha-configured":                   vio("no API sets RECAPTCHA_SECRET_KEY and no Console the site key"),
			}},
		{name: "ssm parameter named by its resource", source: "pulumi-aws docs: aws.ssm.Parameter without name (auto-named)",
			rs:   []*fixture.Res{fixture.R(typeSSMParameter, "license-key", m{"type": "String", "value": fixture.Secret("eyJhbGciOi-license")})},
			want: labels{"secret-inputs-marked-secret": vio("the auto-name license-key carries a secret")}},

		// Existing behaviour, whole-case.
		{name: "two api task definitions, one without the captcha secret", source: "guide: CAPTCHA needs both halves",
			rs: []*fixture.Res{taskDef("api-td", apiContainer()),
				taskDef("api-canary-td", api(envPairs(apiTLSVars, dbTLSVars, smtpVars), "API_TLS_PRIVATE_KEY", "SMTP_PASSWORD")),
				taskDef("ui-td", consoleContainer())},
			want: labels{"captcha-configured": vio("the canary API lacks RECAPTCHA_SECRET_KEY")}},
		{name: "api min tls version from secrets", source: "existing behaviour: a version in secrets cannot be read",
			rs: []*fixture.Res{taskDef("api-td", api(envPairs([]string{"API_TLS_CERTIFICATE", pemCert}, dbTLSVars, smtpVars),
				"API_TLS_PRIVATE_KEY", "SMTP_PASSWORD", "RECAPTCHA_SECRET_KEY", "API_MIN_TLS_VERSION"))},
			want: labels{"api-tls": unv("API_MIN_TLS_VERSION comes from secrets")}},
		{name: "console min tls version from secrets", source: "existing behaviour: a version in secrets cannot be read",
			rs: []*fixture.Res{taskDef("ui-td", container("console", consoleImage, []string{"CONSOLE_TLS_CERTIFICATE", pemCert,
				"RECAPTCHA_SITE_KEY", "0x4AAA-site"}, "CONSOLE_TLS_PRIVATE_KEY", "CONSOLE_MIN_TLS_VERSION"))},
			want: labels{"console-tls": unv("CONSOLE_MIN_TLS_VERSION comes from secrets")}},
		{name: "db subnet mapping public addresses", source: "pulumi-aws docs: aws.ec2.Subnet mapPublicIpOnLaunch",
			rs: append(edit(dbTier(nil), "db-subnets", func(in m) { in["subnetIds"] = l{fixture.ID("mapped")} }),
				fixture.R(tSubnet, "mapped", m{"vpcId": fixture.ID("vpc"), "cidrBlock": "10.0.8.0/24", "mapPublicIpOnLaunch": true}),
				fixture.R(tRTA, "rta-mapped", m{"subnetId": fixture.ID("mapped"), "routeTableId": fixture.ID("private-rt")})),
			want: labels{"database-in-private-subnets": vio("mapPublicIpOnLaunch true")}},
		{name: "ecs service on ec2 without awsvpc", source: "pulumi-aws docs: aws.ecs.Service bridge networking",
			rs: []*fixture.Res{fixture.R(typeECSService, "svc", m{"cluster": "pulumi", "desiredCount": 1, "launchType": "EC2",
				"taskDefinition": "arn:aws:ecs:us-west-2:123456789012:task-definition/worker:3"})},
			want: labels{"app-in-private-subnets": pass("no networkConfiguration: placed by its container instances")}},
		{name: "rds publicly accessible unknown", source: "existing behaviour: an unknown value is not a verdict",
			rs:   instance("postgres", 5432, m{"engineVersion": "16.3", "publiclyAccessible": fixture.Unknown}),
			want: labels{"rds-not-publicly-accessible": unv("publiclyAccessible is not known until update")}},
		{name: "rds instance password secret", source: "pulumi-aws docs: aws.rds.Instance password from config.requireSecret",
			rs:   instance("postgres", 5432, m{"engineVersion": "16.3", "manageMasterUserPassword": nil, "password": fixture.Secret("rds-Secret-pw-8")}),
			want: labels{"secret-inputs-marked-secret": pass("password is a secret")}},
		{name: "bucket v2 inline plural", source: "pulumi-aws v6: aws.s3.BucketV2 serverSideEncryptionConfigurations",
			rs: []*fixture.Res{fixture.R(typeS3BucketV2, "b", m{"serverSideEncryptionConfigurations": l{m{"rules": l{m{
				"applyServerSideEncryptionByDefaults": l{m{"sseAlgorithm": "aws:kms"}}}}}}})},
			want: labels{"s3-bucket-encrypted": pass("inline SSE, v6 plural shape")}},
		{name: "db group all egress by rule resource", source: "pulumi-aws docs: aws.ec2.SecurityGroupRule egress",
			rs: append(dbTier(nil), fixture.R(tSGRule, "db-egress", m{"type": "egress", "protocol": "-1", "fromPort": 0, "toPort": 0,
				"cidrBlocks": l{"0.0.0.0/0"}, "securityGroupId": fixture.ID("db-sg")})),
			want: labels{"security-group-egress-restricted": vio("all egress to 0.0.0.0/0")}},
		{name: "app group all egress in ipv6 halves", source: "issue 14: world-open as a union (IPv6), egress",
			rs: append(appWorld(sgIn(8080, fixture.ID("lb-sg"))), fixture.R(tOut, "app-out-1", m{"securityGroupId": fixture.ID("app-sg"),
				"ipProtocol": "-1", "cidrIpv6": "::/1"}), fixture.R(tOut, "app-out-2", m{"securityGroupId": fixture.ID("app-sg"),
				"ipProtocol": "-1", "cidrIpv6": "8000::/1"})),
			want: labels{"security-group-egress-restricted": pass("two rule resources, each half of IPv6: the union is per resource")}},
		{name: "app group all egress in ipv6 halves inline", source: "issue 14: world-open as a union (IPv6), egress",
			rs: edit(appWorld(sgIn(8080, fixture.ID("lb-sg"))), "app-sg", func(in m) {
				in["egress"] = l{m{"protocol": "-1", "fromPort": 0, "toPort": 0, "ipv6CidrBlocks": l{"::/1", "8000::/1"}}}
			}),
			want: labels{"security-group-egress-restricted": vio("::/1 + 8000::/1 is everyone")}},
		{name: "db group self", source: "pulumi-aws docs: aws.ec2.SecurityGroup self",
			rs: edit(dbTier(nil), "db-sg", func(in m) {
				in["ingress"] = l{m{"protocol": "tcp", "fromPort": 3306, "toPort": 3306, "self": true}}
			}),
			want: labels{"database-security-group-restricted": pass("members of the group itself on 3306")}},

		{name: "structured config with a url holding credentials", source: "issue 14: credentials inside a URL value, nested config",
			env:  stackEnv(map[string]string{"app:database": `{"host":"db.example.com","url":"mysql://pulumi:nested-Plain-pw@db.example.com/pulumi"}`}),
			want: labels{"stack-config-secrets": vio("database.url holds a password")}},
		{name: "migrations min tls 1.0", source: "guide: DATABASE_MIN_TLS_VERSION 1.2 or 1.3",
			rs: []*fixture.Res{taskDef("migrations-td", container("migrate", migrationsImage, []string{"DATABASE_CA_CERTIFICATE", pemCert,
				"DATABASE_MIN_TLS_VERSION", "1.0"}, "MYSQL_ROOT_PASSWORD"))},
			want: labels{"database-tls": vio("DATABASE_MIN_TLS_VERSION 1.0")}},
		{name: "console min tls 1.1 behind a tls load balancer", source: "guide: CONSOLE_MIN_TLS_VERSION, when set, is 1.2 or 1.3",
			rs: []*fixture.Res{taskDef("ui-td", container("console", consoleImage, []string{"CONSOLE_MIN_TLS_VERSION", "1.1",
				"RECAPTCHA_SITE_KEY", "0x4AAA-site"}))},
			cfg:  map[string]m{"console-tls": {"consoleTlsTerminatedAtLoadBalancer": true}},
			want: labels{"console-tls": vio("CONSOLE_MIN_TLS_VERSION 1.1 even with TLS at the load balancer")}},

		// Encryption at rest corners.
		{name: "ssm securestring insecure value", source: "pulumi-aws docs: aws.ssm.Parameter insecureValue",
			rs: []*fixture.Res{fixture.R(typeSSMParameter, "param", m{"name": "/app/db/password", "type": "SecureString",
				"insecureValue": "ssm-plain-insecure"})},
			want: labels{"secret-inputs-marked-secret": vio("insecureValue in plain text")}},
		{name: "aurora serverless v1", source: "pulumi-aws docs: aws.rds.Cluster engineMode serverless",
			rs:   dbTier(m{"engineMode": "serverless", "storageEncrypted": nil}),
			want: labels{"rds-storage-encrypted": pass("Aurora Serverless v1 is always encrypted")}},
		{name: "aurora with an aws-managed key and cmk required", source: "policy config requireCustomerManagedKey",
			rs:   dbTier(m{"kmsKeyId": "arn:aws:kms:us-west-2:123456789012:alias/aws/rds"}),
			cfg:  map[string]m{"rds-storage-encrypted": {"requireCustomerManagedKey": true}},
			want: labels{"rds-storage-encrypted": vio("alias/aws/rds is AWS-managed")}},
		{name: "bucket configuration by bucket name", source: "pulumi-aws docs: aws.s3.BucketServerSideEncryptionConfigurationV2 bucket by name",
			rs: []*fixture.Res{bucket("checkpoints"), fixture.R(typeS3EncryptionV2, "checkpoints-sse", m{"bucket": "pulumi-checkpoints-bucket",
				"rules": l{m{"applyServerSideEncryptionByDefault": m{"sseAlgorithm": "aws:kms"}}}})},
			want: labels{"s3-bucket-encrypted": pass("the configuration names the bucket by name")}},
	}
}

// kubernetesCases are the EKS installer's service workloads (its
// 90-pulumi-service stack): Deployments, ConfigMaps and Secrets, built with
// the helpers of kube_test.go.
func kubernetesCases() []lcase {
	settings := m{"PULUMI_API_DOMAIN": "api.pulumi.example.com", "PULUMI_CONSOLE_DOMAIN": "app.pulumi.example.com",
		"SMTP_SERVER": "smtp.example.com:587", "AWS_REGION": "us-west-2"}
	secrets := fixture.R(tSecret, "app-secrets", m{"metadata": m{"namespace": "pulumi", "name": "app-secrets"},
		"stringData": fixture.Secret(m{"license": "eyJhbGciOi-k8s-license", "smtp-password": "k8s-Smtp-pw"})})
	// The API and Console pods carry labels, and a NetworkPolicy admits the
	// ingress controller and the VPC only (labelled_eks_test.go), so each
	// case tests the one thing it is about.
	workloads := func(api m, extra ...*fixture.Res) []*fixture.Res {
		return append(append(tierWorkloads(api), secrets), extra...)
	}
	return []lcase{
		{name: "hardened EKS service workloads", source: "EKS installer (eks-hosted): 90-pulumi-service, hardened",
			rs:   workloads(kubeAPI(), configMap("pulumi-config", settings)),
			want: every("the hardened workloads meet the guide", nil)},
		{name: "configmap with the license key", source: "EKS installer variant: license in a ConfigMap",
			rs:   workloads(kubeAPI(), configMap("pulumi-config", with(settings, m{"PULUMI_LICENSE_KEY": "eyJhbGciOi-cm-plain"}))),
			want: labels{"configmap-no-secrets": vio("PULUMI_LICENSE_KEY in a ConfigMap")}},
		{name: "configmap with a database url", source: "issue 14: credentials inside a URL value, ConfigMap",
			rs: workloads(kubeAPI(), configMap("pulumi-config",
				with(settings, m{"DATABASE_URL": "mysql://pulumi:cm-Plain-pw@db.cluster.local:3306/pulumi"}))),
			want: labels{"configmap-no-secrets": vio("DATABASE_URL holds a password")}},
		{name: "configmap with public keys and certificates", source: "issue 14: FP class, public keys and certificates",
			rs: workloads(kubeAPI(), configMap("pulumi-config", with(settings, m{"RECAPTCHA_SITE_KEY": "0x4AAA-site",
				"AG_GRID_LICENSE_KEY": "AgGrid-frontend-key", "API_TLS_CERTIFICATE": pemCert,
				"MYSQL_ALLOW_EMPTY_PASSWORD": "no", "SMTP_PASSWORD_FILE": "/run/secrets/smtp"}))),
			want: labels{"configmap-no-secrets": pass("public keys, a certificate, a flag and a path")}},
		{name: "configmap allowKeys", source: "policy config allowKeys",
			rs:   workloads(kubeAPI(), configMap("pulumi-config", with(settings, m{"SMTP_PASSWORD": "cm-plain-dev"}))),
			cfg:  map[string]m{"configmap-no-secrets": {"allowKeys": l{"smtp_password"}}},
			want: labels{"configmap-no-secrets": pass("SMTP_PASSWORD allowed by config")}},
		{name: "configmap read through envFrom", source: "EKS installer variant: env from a ConfigMap with a password",
			rs: workloads(kubeAPI(), configMap("worker-env", m{"SMTP_PASSWORD": "cm-plain-envfrom", "SMTP_SERVER": "s"}),
				deployment("worker", m{"name": "worker", "image": "acme/worker:2", "envFrom": l{m{"configMapRef": m{"name": "worker-env"}}}})),
			want: labels{
				"configmap-no-secrets":                 vio("SMTP_PASSWORD in a ConfigMap"),
				"container-secrets-not-in-environment": vio("the worker reads SMTP_PASSWORD from a ConfigMap"),
			}},
		{name: "deployment with the license key in env", source: "EKS installer variant: license as a plain env value",
			rs:   workloads(kcontainer("api", "pulumi/service:20251101", kenv(concat(kubeAPITLS, kubeDBTLS, kubeSMTP, []string{"RECAPTCHA_SECRET_KEY<secret:recaptcha-secret", "PULUMI_LICENSE_KEY=eyJhbGciOi-env-plain"})...))),
			want: labels{"container-secrets-not-in-environment": vio("PULUMI_LICENSE_KEY as a plain value")}},
		{name: "deployment without api tls", source: "EKS installer (eks-hosted): API without TLS variables",
			rs:   workloads(kcontainer("api", "pulumi/service:20251101", kenv(concat(kubeDBTLS, kubeSMTP, []string{"RECAPTCHA_SECRET_KEY<secret:recaptcha-secret", "PULUMI_LICENSE_KEY<secret:license"})...))),
			want: labels{"api-tls": vio("no API TLS variables")}},
		{name: "kubernetes secret with plain values", source: "a Secret from a YAML manifest, values not Pulumi secrets",
			rs: swap(workloads(kubeAPI()), fixture.R(tSecret, "app-secrets", m{"metadata": m{"namespace": "pulumi", "name": "app-secrets"},
				"stringData": m{"license": "eyJhbGciOi-yaml-plain", "smtp-password": "yaml-Smtp-pw"}})),
			want: labels{"secret-inputs-marked-secret": vio("stringData values are not Pulumi secrets")}},
	}
}
