package policies

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/docker"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
)

// Labelled cases of issue 21 (Docker): the local-docker installer's
// containers (pulumi/pulumi-self-hosted-installers, local-docker/index.ts
// and config.ts: @pulumi/docker Container with envs "KEY=value", ports,
// volumes, networksAdvanced), a hardened twin, published ports, and the
// service endpoints in transit on every platform. Shapes follow
// @pulumi/docker's types (ContainerPort, ContainerVolume, ContainerUpload)
// and the self-hosted API reference's variables. labelledCases
// (labelled_test.go) appends dockerCases.

const (
	tDockerContainer = docker.TypeContainer
	tRemoteImage     = docker.TypeRemoteImage
	dataPath         = "/home/pulumi/pulumi-ee/data"
	minioPlain       = "s3://pulumi-checkpoints?endpoint=minio:9000&disableSSL=true&s3ForcePathStyle=true"
	minioTLS         = "s3://pulumi-checkpoints?endpoint=minio.internal:9000&s3ForcePathStyle=true"
	dockerLicense    = "PULUMI_LICENSE_KEY=eyJhbGciOiJSUzI1NiJ9.docker-license.sig"
	dockerDBPassword = "PULUMI_DATABASE_USER_PASSWORD=docker-Db-Passw0rd-9"
)

// servicesNetwork is the installer's network.
var servicesNetwork = l{m{"name": "pulumi-services"}}

// dContainer is a docker.Container of the stack with this image and envs
// (plain strings, or fixture.Secret for pulumi.interpolate over a secret).
func dContainer(name, image string, envs l, extra m) *fixture.Res {
	in := m{"image": image, "envs": envs, "networksAdvanced": servicesNetwork, "restart": "unless-stopped"}
	for k, v := range extra {
		if v == nil {
			delete(in, k)
			continue
		}
		in[k] = v
	}
	return fixture.R(tDockerContainer, name, in)
}

// Containers of the local-docker installer (index.ts), with its defaults:
// every secret a Pulumi secret in envs; no TLS variables; no database TLS;
// MinIO over plain HTTP; SMTP left empty.
func ldMigrations() *fixture.Res {
	return dContainer("migrations", "pulumi/migrations@sha256:1111", l{
		"PULUMI_DATABASE_ENDPOINT=pulumi-db:3306", "PULUMI_DATABASE_PING_ENDPOINT=pulumi-db",
		"SKIP_CREATE_DB_USER=true", "MYSQL_ROOT_USERNAME=pulumi",
		fixture.Secret("MYSQL_ROOT_PASSWORD=docker-Root-Passw0rd-1"),
	}, m{"restart": "no"})
}

func ldService(extra m) *fixture.Res {
	return dContainer("service", "pulumi/service@sha256:2222", l{
		"PULUMI_ENTERPRISE=true", fixture.Secret(dockerLicense),
		"PULUMI_API_DOMAIN=api.pulumi.example.com", "PULUMI_CONSOLE_DOMAIN=app.pulumi.example.com",
		"PULUMI_DATABASE_NAME=pulumi", "PULUMI_DATABASE_ENDPOINT=pulumi-db:3306",
		"PULUMI_DATABASE_USER_NAME=pulumi", fixture.Secret(dockerDBPassword),
		"AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=minio-access",
		fixture.Secret("AWS_SECRET_ACCESS_KEY=minio-Secret-Key-77"),
		"PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT=" + minioPlain,
		"PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT_V2=" + minioPlain,
		"PULUMI_POLICY_PACK_BLOB_STORAGE_ENDPOINT=s3://pulumi-policypacks?endpoint=minio:9000&disableSSL=true",
		"PULUMI_LOCAL_KEYS=" + dataPath + "/localkeys",
		"SMTP_SERVER=", "SMTP_USERNAME=", "SMTP_PASSWORD=", "SMTP_GENERIC_SENDER=message@pulumi.com",
		fixture.Secret("RECAPTCHA_SECRET_KEY=0x4AAAA-docker-turnstile-secret"),
	}, with(m{
		"networksAdvanced": l{m{"name": "pulumi-services", "aliases": l{"pulumi-api"}}},
		"volumes": l{m{"hostPath": dataPath + "/localkeys", "containerPath": dataPath + "/localkeys",
			"readOnly": true}},
		"healthcheck": m{"tests": l{"CMD", "curl", "-f", "http://localhost:8080/api/status"}},
	}, extra))
}

func ldConsole(extra m) *fixture.Res {
	return dContainer("console", "pulumi/console@sha256:3333", l{
		"PULUMI_ENTERPRISE=true", "SAML_SSO_ENABLED=false", "PULUMI_API=https://api.pulumi.example.com",
		"PULUMI_API_INTERNAL_ENDPOINT=http://service-4c7e2f1:8080", "CONSOLE_DOMAIN=https://app.pulumi.example.com",
		"HOMEPAGE_DOMAIN=https://app.pulumi.example.com", "RECAPTCHA_SITE_KEY=0x4AAAA-docker-site",
	}, extra)
}

// ldNginx is the TLS proxy: its configuration is a host file; only its
// hash reaches the stack.
func ldNginx() *fixture.Res {
	vol := func(name, in string) m {
		return m{"hostPath": dataPath + "/" + name, "containerPath": in, "readOnly": true}
	}
	return dContainer("nginx", "nginx:stable-alpine", l{"PULUMI_NGINX_CONFIG_SHA=9f2c1e"}, m{
		"ports": l{m{"internal": 80, "external": 80}, m{"internal": 443, "external": 443}},
		"volumes": l{vol("nginx.conf", "/etc/nginx/conf.d/pulumi-proxy.conf"),
			vol("pulumi-api.pem", "/etc/nginx/pulumi-api.pem"), vol("pulumi-api.key", "/etc/nginx/pulumi-api.key")},
	})
}

func localDocker() []*fixture.Res {
	return []*fixture.Res{ldMigrations(), ldService(nil), ldConsole(nil), ldNginx()}
}

// The installer's findings with its defaults.
func localDockerLabels() labels {
	return labels{
		"container-secrets-not-in-environment": vio("license key, database and MinIO secrets in envs, Pulumi secrets or not"),
		"api-tls":                              unv("no TLS variables; nginx may end TLS, its configuration unreadable"),
		"console-tls":                          unv("no TLS variables; nginx may end TLS, its configuration unreadable"),
		"database-tls":                         vio("no DATABASE_CA_CERTIFICATE or DATABASE_MIN_TLS_VERSION on API or migrations"),
		"smtp-configured":                      vio("SMTP_SERVER and SMTP_USERNAME empty"),
		"captcha-configured":                   pass("RECAPTCHA_SECRET_KEY on the API, RECAPTCHA_SITE_KEY on the Console"),
		"service-endpoints-tls":                vio("MinIO endpoints with disableSSL=true"),
		"docker-published-ports-restricted":    pass("only nginx publishes, 80 and 443"),
	}
}

// Hardened twin: TLS on the API and Console from uploaded files, database
// TLS, MinIO over TLS, the AWS key pair in a credentials file; the values
// the service reads only from its environment are Pulumi secrets in envs,
// accepted by name (dockerAllowEnv).
func hardenedDockerAPI(extra ...any) *fixture.Res {
	envs := l{
		"PULUMI_ENTERPRISE=true", fixture.Secret(dockerLicense), fixture.Secret(dockerDBPassword),
		"API_TLS_CERTIFICATE=/run/secrets/api-tls.pem", "API_TLS_PRIVATE_KEY=/run/secrets/api-tls.key",
		"API_MIN_TLS_VERSION=1.2", "DATABASE_CA_CERTIFICATE=" + pemCert, "DATABASE_MIN_TLS_VERSION=1.2",
		"AWS_SHARED_CREDENTIALS_FILE=/run/secrets/aws-credentials",
		"PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT=" + minioTLS,
		"PULUMI_POLICY_PACK_BLOB_STORAGE_ENDPOINT=s3://pulumi-policypacks?endpoint=https://minio.internal:9000",
		"SMTP_SERVER=smtp.example.com:465", "SMTP_USERNAME=pulumi", fixture.Secret("SMTP_PASSWORD=docker-Smtp-pw-3"),
		"SMTP_GENERIC_SENDER=noreply@example.com", fixture.Secret("RECAPTCHA_SECRET_KEY=0x4AAAA-docker-turnstile-secret"),
	}
	return dContainer("service", "pulumi/service:20251101", append(envs, extra...), m{
		"uploads": l{
			m{"file": "/run/secrets/api-tls.key", "content": fixture.Secret("-----BEGIN PRIVATE KEY-----docker"),
				"permissions": "0400"},
			m{"file": "/run/secrets/api-tls.pem", "content": pemCert},
			m{"file": "/run/secrets/aws-credentials", "content": fixture.Secret("[default]\naws_secret_access_key=x"),
				"permissions": "0400"}},
	})
}

func hardenedDockerConsole() *fixture.Res {
	return dContainer("console", "pulumi/console:20251101", l{
		"CONSOLE_TLS_CERTIFICATE=/run/secrets/console-tls.pem", "CONSOLE_TLS_PRIVATE_KEY=/run/secrets/console-tls.key",
		"CONSOLE_MIN_TLS_VERSION=1.2", "PULUMI_API=https://api.pulumi.example.com",
		"PULUMI_API_INTERNAL_ENDPOINT=https://pulumi-api:8443", "RECAPTCHA_SITE_KEY=0x4AAAA-docker-site",
	}, m{"ports": l{m{"internal": 3443, "external": 443}},
		"volumes": l{m{"hostPath": "/etc/pulumi/console", "containerPath": "/run/secrets", "readOnly": true}}})
}

func hardenedDockerMigrations() *fixture.Res {
	return dContainer("migrations", "pulumi/migrations:20251101", l{
		"PULUMI_DATABASE_ENDPOINT=db.internal:3306", "DATABASE_CA_CERTIFICATE=" + pemCert,
		"DATABASE_MIN_TLS_VERSION=1.2", fixture.Secret("MYSQL_ROOT_PASSWORD=docker-Root-Passw0rd-1"),
	}, m{"restart": "no"})
}

func hardenedLocalDocker() []*fixture.Res {
	api := hardenedDockerAPI()
	api.Inputs["ports"] = l{m{"internal": 8443, "external": 8443}}
	return []*fixture.Res{hardenedDockerMigrations(), api, hardenedDockerConsole()}
}

// dockerAllowEnv accepts, by name, the secrets the service reads only from
// its environment (no file form in its reference).
func dockerAllowEnv() map[string]m {
	return map[string]m{"container-secrets-not-in-environment": {"allowEnv": l{"PULUMI_LICENSE_KEY",
		"PULUMI_DATABASE_USER_PASSWORD", "MYSQL_ROOT_PASSWORD", "SMTP_PASSWORD", "RECAPTCHA_SECRET_KEY"}}}
}

func withCfg(base map[string]m, extra map[string]m) map[string]m {
	out := map[string]m{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// dockerOK is the hardened containers' labels, with overrides.
func dockerOK(why string, over labels) labels {
	out := labels{}
	for _, p := range []string{"container-secrets-not-in-environment", "api-tls", "console-tls", "database-tls",
		"smtp-configured", "captcha-configured", "service-endpoints-tls", "docker-published-ports-restricted"} {
		out[p] = pass(why)
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

// apiOnlyOK labels a stack of the hardened API alone (no Console: CAPTCHA
// and console-tls have nothing to judge but the API's half).
func apiOnly(over labels) labels {
	return dockerOK("hardened API container", over)
}

// malformedAPI labels a hardened API whose envs has a malformed part: every
// policy that reads the API's environment notes it.
func malformedAPI(why string) labels {
	return apiOnly(labels{
		"container-secrets-not-in-environment": unv(why), "api-tls": unv(why), "database-tls": unv(why),
		"smtp-configured": unv(why), "captcha-configured": unv(why), "service-endpoints-tls": unv(why),
	})
}

func mysqlContainer(ports l) *fixture.Res {
	return dContainer("mysql", "mysql:8.0", l{"MYSQL_ROOT_PASSWORD_FILE=/run/secrets/mysql-root",
		"MYSQL_DATABASE=pulumi"}, m{"ports": ports})
}

func dockerCases() []lcase {
	src := "local-docker installer (index.ts, config.ts)"
	typesSrc := "@pulumi/docker types (ContainerPort: ip defaults to 0.0.0.0)"
	cases := []lcase{
		{name: "local-docker installer", source: src, rs: localDocker(), want: localDockerLabels()},
		{name: "local-docker images from RemoteImage outputs", source: src + ": image: serviceImage.repoDigest",
			rs: func() []*fixture.Res {
				var rs []*fixture.Res
				for _, r := range localDocker() {
					img := r.Inputs["image"].(string)
					name := "pulumi/" + map[string]string{"migrations": "migrations", "service": "service",
						"console": "console", "nginx": "nginx"}[r.Name] + ":20251101"
					if r.Name == "nginx" {
						name = "nginx:stable-alpine"
					}
					rs = append(rs, fixture.R(tRemoteImage, r.Name+"-image", m{"name": name, "keepLocally": true}).
						Output("repoDigest", img))
					r.Inputs["image"] = fixture.OutputOf(r.Name+"-image", "repoDigest")
					rs = append(rs, r)
				}
				return rs
			}(), want: localDockerLabels()},
		{name: "local-docker with exposeContainerPorts", source: src + ": exposeContainerPorts",
			rs: []*fixture.Res{ldMigrations(), ldService(m{"ports": l{m{"internal": 8080, "external": 8080}}}),
				ldConsole(m{"ports": l{m{"internal": 3000, "external": 3000}}}), ldNginx()},
			want: with2(localDockerLabels(), labels{
				"api-tls":                           vio("the API's plain-HTTP 8080 published on every host address"),
				"console-tls":                       vio("the Console's plain-HTTP 3000 published on every host address"),
				"docker-published-ports-restricted": vio("8080 and 3000 in plain HTTP on 0.0.0.0"),
			})},
		{name: "local-docker with disableNginxProxy", source: src + ": disableNginxProxy",
			rs: []*fixture.Res{ldMigrations(), ldService(nil), ldConsole(nil)},
			want: with2(localDockerLabels(), labels{
				"api-tls":     vio("no TLS variables and no proxy in front"),
				"console-tls": vio("no TLS variables and no proxy in front"),
			})},
		{name: "local-docker with the proxy asserted", source: src + ": nginx ends TLS (ssl_protocols TLSv1.2)",
			rs: localDocker(),
			cfg: map[string]m{"api-tls": {"tlsTerminatedAtProxy": true},
				"console-tls": {"tlsTerminatedAtProxy": true}},
			want: with2(localDockerLabels(), labels{
				"api-tls": pass("tlsTerminatedAtProxy"), "console-tls": pass("tlsTerminatedAtProxy"),
			})},
		{name: "local-docker proxy on another network", source: src + ": a proxy that cannot reach the API",
			rs: []*fixture.Res{ldMigrations(), ldService(nil), ldConsole(nil),
				with3(ldNginx(), m{"networksAdvanced": l{m{"name": "edge"}}})},
			want: with2(localDockerLabels(), labels{
				"api-tls":     vio("the only proxy shares no network with the API"),
				"console-tls": vio("the only proxy shares no network with the Console"),
			})},
		{name: "hardened local-docker twin", source: src + ", hardened: TLS from files, database TLS, MinIO over TLS",
			rs: hardenedLocalDocker(), cfg: dockerAllowEnv(), want: dockerOK("hardened twin", nil)},
		{name: "hardened twin without allowEnv", source: "issue 21: a Pulumi secret in envs is still in the environment",
			rs: hardenedLocalDocker(),
			want: dockerOK("hardened twin", labels{"container-secrets-not-in-environment": vio(
				"PULUMI_LICENSE_KEY and the other secrets are in envs (docker inspect shows them)")})},
		{name: "docker api tls key as a plain value", source: "issue 21: the file form, not the value",
			rs: []*fixture.Res{func() *fixture.Res {
				r := hardenedDockerAPI()
				envs := r.Inputs["envs"].(l)
				for i, e := range envs {
					if e == "API_TLS_PRIVATE_KEY=/run/secrets/api-tls.key" {
						envs[i] = fixture.Secret("API_TLS_PRIVATE_KEY=-----BEGIN PRIVATE KEY-----docker-plain")
					}
				}
				return r
			}()},
			cfg:  dockerAllowEnv(),
			want: apiOnly(labels{"container-secrets-not-in-environment": vio("API_TLS_PRIVATE_KEY holds the PEM")})},
		{name: "docker api min tls 1.1", source: "guide: API_MIN_TLS_VERSION 1.2 or 1.3",
			rs: []*fixture.Res{dContainer("service", "pulumi/service:20251101", l{
				"API_TLS_CERTIFICATE=/run/secrets/api-tls.pem", "API_TLS_PRIVATE_KEY=/run/secrets/api-tls.key",
				"API_MIN_TLS_VERSION=1.1", "DATABASE_CA_CERTIFICATE=" + pemCert, "DATABASE_MIN_TLS_VERSION=1.2",
				"SMTP_SERVER=smtp.example.com:587", "SMTP_USERNAME=u", "SMTP_GENERIC_SENDER=noreply@example.com",
				"SMTP_PASSWORD=/run/secrets/smtp", "RECAPTCHA_SECRET_KEY=/run/secrets/turnstile"}, nil)},
			want: apiOnly(labels{"api-tls": vio("API_MIN_TLS_VERSION 1.1")})},

		// envs shapes.
		{name: "docker envs with a conflicting duplicate", source: "moby ReplaceOrAppendEnvValues; envs is a set",
			rs: []*fixture.Res{hardenedDockerAPI("API_MIN_TLS_VERSION=1.0")}, cfg: dockerAllowEnv(),
			want: malformedAPI("API_MIN_TLS_VERSION twice, with different values")},
		{name: "docker envs with the same entry twice", source: "moby ReplaceOrAppendEnvValues",
			rs: []*fixture.Res{hardenedDockerAPI("API_MIN_TLS_VERSION=1.2")}, cfg: dockerAllowEnv(),
			want: apiOnly(nil)},
		{name: "docker envs entry without =", source: "moby: KEY without = unsets KEY",
			rs: []*fixture.Res{hardenedDockerAPI("PULUMI_DEBUG")}, cfg: dockerAllowEnv(),
			want: malformedAPI("an entry without =")},
		{name: "docker envs not a list", source: typesSrc + ": envs is string[]",
			rs:   []*fixture.Res{dContainer("service", "pulumi/service:20251101", nil, m{"envs": "API_TLS_CERTIFICATE=x"})},
			want: malformedAPI("envs is a string")},
		{name: "docker envs entry unknown in preview", source: src + ": pulumi.interpolate over an output",
			rs: []*fixture.Res{func() *fixture.Res {
				r := hardenedDockerAPI(fixture.OutputOf("db", "endpointEnv"))
				return r
			}(), fixture.R(tDockerContainer, "db", m{"image": "mysql:8.0", "envs": l{"MYSQL_DATABASE=pulumi"}}).
				Output("endpointEnv", "PULUMI_DATABASE_ENDPOINT=db:3306")},
			cfg: dockerAllowEnv(), want: apiOnly(nil)},

		// Published ports.
		{name: "docker mysql published on every address", source: typesSrc,
			rs:   []*fixture.Res{mysqlContainer(l{m{"internal": 3306, "external": 3306}})},
			want: labels{"docker-published-ports-restricted": vio("3306 on 0.0.0.0 (ip unset)")}},
		{name: "docker redis published on [::]", source: typesSrc,
			rs: []*fixture.Res{dContainer("redis", "redis:7", nil, m{"ports": l{m{"internal": 6379, "external": 16379,
				"ip": "[::]"}}})},
			want: labels{"docker-published-ports-restricted": vio("6379 on every IPv6 and IPv4 address")}},
		{name: "docker ssh on a random host port", source: typesSrc + ": external unset is a random port",
			rs: []*fixture.Res{dContainer("bastion", "linuxserver/openssh-server", nil,
				m{"ports": l{m{"internal": 22, "ip": "0.0.0.0"}}})},
			want: labels{"docker-published-ports-restricted": vio("container port 22 on every address")}},
		{name: "docker mysql on loopback", source: typesSrc,
			rs:   []*fixture.Res{mysqlContainer(l{m{"internal": 3306, "external": 3306, "ip": "127.0.0.1"}})},
			want: labels{"docker-published-ports-restricted": pass("bound to 127.0.0.1")}},
		{name: "docker mysql on a private address", source: typesSrc,
			rs:   []*fixture.Res{mysqlContainer(l{m{"internal": 3306, "external": 3306, "ip": "10.0.1.5"}})},
			want: labels{"docker-published-ports-restricted": pass("bound to one private address")}},
		{name: "docker port ip not an address", source: typesSrc,
			rs:   []*fixture.Res{mysqlContainer(l{m{"internal": 3306, "ip": "localhost"}})},
			want: labels{"docker-published-ports-restricted": unv("ip localhost is not an IP address")}},
		{name: "docker port ip unknown until update", source: typesSrc + ": ip from an output",
			rs: []*fixture.Res{mysqlContainer(l{m{"internal": 3306, "ip": fixture.OutputOf("hostaddr", "ip")}}),
				fixture.R(tDockerContainer, "hostaddr", m{"image": "busybox"}).Output("ip", "0.0.0.0")},
			want: labels{"docker-published-ports-restricted": vio("0.0.0.0 once known")}},
		{name: "docker ports wrong type", source: typesSrc + ": internal is a number",
			rs:   []*fixture.Res{mysqlContainer(l{m{"internal": "3306"}})},
			want: labels{"docker-published-ports-restricted": unv("internal is a string")}},
		{name: "docker api with tls publishing 8443", source: "guide: the API serves HTTPS on 8443",
			rs: []*fixture.Res{func() *fixture.Res {
				r := hardenedDockerAPI()
				r.Inputs["ports"] = l{m{"internal": 8443, "external": 443}}
				return r
			}()}, cfg: dockerAllowEnv(), want: apiOnly(nil)},
		{name: "docker api plain http on a private address", source: src + ": exposeContainerPorts with ip",
			rs: []*fixture.Res{ldService(m{"ports": l{m{"internal": 8080, "external": 8080, "ip": "10.0.1.5"}}})},
			want: labels{
				"container-secrets-not-in-environment": vio("installer's secrets in envs"),
				"api-tls":                              vio("plain HTTP published for the private network"),
				"database-tls":                         vio("no database TLS variables"),
				"smtp-configured":                      vio("SMTP empty"),
				"captcha-configured":                   pass("the API's half is set; no Console to judge"),
				"service-endpoints-tls":                vio("disableSSL=true"),
				"docker-published-ports-restricted":    pass("bound to one private address"),
			}},
	}
	return append(cases, endpointCases()...)
}

// endpointCases are service endpoints in transit on each platform.
func endpointCases() []lcase {
	src := "self-hosted API reference: object storage, PULUMI_SEARCH_DOMAIN, SMTP_SERVER"
	ecsAPI := func(extra ...string) []*fixture.Res { return []*fixture.Res{taskDef("td", apiContainer(extra...))} }
	return []lcase{
		{name: "ecs search domain over http", source: src + "; quickstart: PULUMI_SEARCH_HOST=http://opensearch",
			rs:   ecsAPI("PULUMI_SEARCH_DOMAIN", "http://opensearch:9200"),
			want: labels{"service-endpoints-tls": vio("http:// search domain")}},
		{name: "ecs search domain over https", source: src,
			rs:   ecsAPI("PULUMI_SEARCH_DOMAIN", "https://search-pulumi.us-west-2.es.amazonaws.com:443"),
			want: labels{"service-endpoints-tls": pass("https")}},
		{name: "ecs search domain from secrets", source: "EKS installer: PULUMI_SEARCH_DOMAIN from a Secret",
			rs:   []*fixture.Res{taskDef("td", withSecrets(apiContainer(), "PULUMI_SEARCH_DOMAIN"))},
			want: labels{"service-endpoints-tls": pass("the value is in a secret store, out of sight")}},
		{name: "ecs smtp on port 25", source: src + ": SMTP_SERVER host:port",
			rs: []*fixture.Res{taskDef("td", withSecrets(container("api", apiImage, []string{"API_TLS_CERTIFICATE",
				pemCert, "API_MIN_TLS_VERSION", "1.2", "DATABASE_CA_CERTIFICATE", pemCert, "DATABASE_MIN_TLS_VERSION",
				"1.2", "SMTP_SERVER", "mail.internal:25", "SMTP_USERNAME", "u", "SMTP_GENERIC_SENDER", "n@example.com"}),
				"API_TLS_PRIVATE_KEY", "SMTP_PASSWORD", "RECAPTCHA_SECRET_KEY"))},
			want: labels{"service-endpoints-tls": unv("port 25: STARTTLS only if offered")}},
		{name: "kubernetes checkpoint endpoint http", source: "byo-infra README: MinIO endpoint",
			rs: []*fixture.Res{apiDeployment(kubeAPI("PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT=s3://checkpoints?"+
				"endpoint=http://minio.minio.svc:9000&s3ForcePathStyle=true"), kubeMigrations())},
			want: labels{"service-endpoints-tls": vio("endpoint=http://"), "network-policies-between-tiers": noNetpol}},
		{name: "kubernetes policy pack endpoint disable_https", source: "gocloud.dev aws v2 URL parameters",
			rs: []*fixture.Res{apiDeployment(kubeAPI("PULUMI_POLICY_PACK_BLOB_STORAGE_ENDPOINT=s3://pp?"+
				"endpoint=minio:9000&disable_https=true"), kubeMigrations())},
			want: labels{"service-endpoints-tls": vio("disable_https=true"), "network-policies-between-tiers": noNetpol}},
		{name: "kubernetes s3 endpoint with region only", source: "self-hosted API reference: s3://<bucket-name>",
			rs: []*fixture.Res{apiDeployment(kubeAPI("PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT=s3://checkpoints?"+
				"region=us-west-2", "PULUMI_POLICY_PACK_BLOB_STORAGE_ENDPOINT=s3://pp?endpoint=minio:9000&"+
				"disableSSL=false"), kubeMigrations())},
			want: labels{"service-endpoints-tls": pass("no disableSSL=true, endpoint without scheme is https"),
				"network-policies-between-tiers": noNetpol}},
		{name: "docker azblob over http", source: "gocloud.dev azblob URL: protocol",
			rs:   []*fixture.Res{hardenedDockerAPI("PULUMI_ENGINE_EVENTS_BLOB_STORAGE_ENDPOINT=azblob://events?protocol=http")},
			cfg:  dockerAllowEnv(),
			want: apiOnly(labels{"service-endpoints-tls": vio("protocol=http")})},
		{name: "docker endpoint with credentials, secret", source: "issue 21: endpoints may embed credentials",
			rs: []*fixture.Res{hardenedDockerAPI(fixture.Secret("PULUMI_SERVICE_METADATA_BLOB_STORAGE_ENDPOINT=" +
				"s3://minioadmin:minio-Cred-S3cret@meta?endpoint=minio:9000&disableSSL=1"))},
			cfg: dockerAllowEnv(),
			want: apiOnly(labels{
				"service-endpoints-tls":                vio("disableSSL=1, without showing the URL"),
				"container-secrets-not-in-environment": vio("a URL with a password in envs"),
			})},
	}
}

// noNetpol: the Kubernetes cases have no NetworkPolicy.
var noNetpol = vio("no NetworkPolicy selects the API pods")

// with2 is labels with overrides.
func with2(base, over labels) labels {
	out := labels{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

// with3 is a resource with inputs overridden.
func with3(r *fixture.Res, in m) *fixture.Res {
	for k, v := range in {
		r.Inputs[k] = v
	}
	return r
}
