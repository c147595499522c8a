package policies

import (
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// Table tests of the Docker policies and of the Docker branch of the
// container policies, with what their messages must say. The labelled
// verdicts are in labelled_docker_test.go.

func TestDockerPublishedPorts(t *testing.T) {
	runCases(t, DockerPublishedPortsRestricted, []caseT{
		{name: "mysql on every address", target: "mysql", rs: []*fixture.Res{mysqlContainer(l{m{"internal": 3306, "external": 3306}})},
			both: []fixture.Want{violation("ports[0] publishes container port 3306/tcp", "sensitive port", "host port 3306",
				"ip unset, so 0.0.0.0")}},
		{name: "ipv6 any", target: "mysql", rs: []*fixture.Res{mysqlContainer(l{m{"internal": 3306, "ip": "::"}})},
			both: []fixture.Want{violation(`ip "::"`, "a host port Docker picks")}},
		{name: "sensitive host port for an ordinary container port", target: "mysql",
			rs:   []*fixture.Res{mysqlContainer(l{m{"internal": 8000, "external": 22}})},
			both: []fixture.Want{violation("container port 8000/tcp", "host port 22")}},
		{name: "custom sensitive ports", target: "mysql", cfg: m{"sensitivePorts": l{9000}},
			rs:   []*fixture.Res{mysqlContainer(l{m{"internal": 3306}, m{"internal": 9000, "external": 9000}})},
			both: []fixture.Want{violation("ports[1]", "container port 9000")}},
		{name: "loopback", target: "mysql", rs: []*fixture.Res{mysqlContainer(l{m{"internal": 3306, "ip": "127.0.0.1"}})}},
		{name: "ipv6 loopback", target: "mysql", rs: []*fixture.Res{mysqlContainer(l{m{"internal": 3306, "ip": "::1"}})}},
		{name: "ip unknown in preview", target: "mysql",
			rs: []*fixture.Res{mysqlContainer(l{m{"internal": 3306, "ip": fixture.OutputOf("host", "ip")}}),
				fixture.R(tDockerContainer, "host", m{"image": "busybox"}).Output("ip", "10.0.0.9")},
			preview: []fixture.Want{advisory("ports[0].ip is not known until update")}},
		{name: "ports unknown", target: "mysql", rs: []*fixture.Res{with3(mysqlContainer(nil),
			m{"ports": fixture.OutputOf("host", "ports")}), fixture.R(tDockerContainer, "host", m{"image": "busybox"}).
			Output("ports", l{m{"internal": 22}})},
			preview: []fixture.Want{advisory("ports is not known until update")},
			update:  []fixture.Want{violation("container port 22/tcp")}},
		{name: "ip not an address", target: "mysql", rs: []*fixture.Res{mysqlContainer(l{m{"internal": 3306, "ip": "0.0.0.0/0"}})},
			both: []fixture.Want{advisory("ports[0].ip", "is not an IP address")}},
		{name: "internal missing", target: "mysql", rs: []*fixture.Res{mysqlContainer(l{m{"external": 3306}})},
			both: []fixture.Want{advisory("ports[0].internal is not set")}},
		{name: "api plain http", target: "service", rs: []*fixture.Res{ldService(m{"ports": l{m{"internal": 8080, "external": 80}}})},
			both: []fixture.Want{violation("container port 8080/tcp, the API's plain-HTTP port", "host port 80")}},
		{name: "api with PORT moved", target: "service",
			rs:   []*fixture.Res{dContainer("service", "pulumi/service:1", l{"PORT=9090"}, m{"ports": l{m{"internal": 9090}}})},
			both: []fixture.Want{violation("container port 9090/tcp, the API's plain-HTTP port")}},
		{name: "api with tls", target: "service", rs: []*fixture.Res{func() *fixture.Res {
			r := hardenedDockerAPI()
			r.Inputs["ports"] = l{m{"internal": 8080}, m{"internal": 8443}}
			return r
		}()}},
		{name: "proxy 80 and 443", target: "nginx", rs: []*fixture.Res{ldNginx()}},
	})
}

func TestDockerTLSFront(t *testing.T) {
	proxyCfg := m{"tlsTerminatedAtProxy": true}
	runCases(t, APITLS, []caseT{
		{name: "proxy in front", target: "service", rs: []*fixture.Res{ldService(nil), ldNginx()},
			both: []fixture.Want{advisory("cannot be verified", `container "service"`, "serves plain HTTP (port 8080)",
				`container "nginx"`, "host file")}},
		{name: "proxy asserted", target: "service", cfg: proxyCfg, rs: []*fixture.Res{ldService(nil), ldNginx()}},
		{name: "published plain port, proxy asserted", target: "service", cfg: proxyCfg,
			rs:   []*fixture.Res{ldService(m{"ports": l{m{"internal": 8080, "external": 8080}}}), ldNginx()},
			both: []fixture.Want{violation("publishes the API's plain-HTTP port 8080", "ports[0]", "without TLS")}},
		{name: "plain port on loopback, no proxy", target: "service",
			rs:   []*fixture.Res{ldService(m{"ports": l{m{"internal": 8080, "ip": "127.0.0.1"}}})},
			both: []fixture.Want{violation("does not set API_TLS_CERTIFICATE")}},
		{name: "proxy network unknown in preview", target: "service",
			rs: []*fixture.Res{ldService(nil), with3(ldNginx(), m{"networksAdvanced": l{m{"name": fixture.OutputOf("net", "name")}}}),
				fixture.R("docker:index/network:Network", "net", m{}).Output("name", "edge")},
			preview: []fixture.Want{advisory("cannot be verified", `container "nginx"`)},
			update:  []fixture.Want{violation("does not set API_TLS_CERTIFICATE")}},
		{name: "tls key as a file", target: "service", rs: []*fixture.Res{hardenedDockerAPI()}},
	})
	runCases(t, ConsoleTLS, []caseT{
		{name: "proxy in front", target: "console", rs: []*fixture.Res{ldConsole(nil), ldNginx()},
			both: []fixture.Want{advisory("cannot be verified", "port 3000", `container "nginx"`)}},
		{name: "load balancer asserted", target: "console", cfg: m{"consoleTlsTerminatedAtLoadBalancer": true},
			rs: []*fixture.Res{ldConsole(nil), ldNginx()}},
		{name: "published plain port", target: "console",
			rs:   []*fixture.Res{ldConsole(m{"ports": l{m{"internal": 3000, "external": 3000, "ip": "10.0.0.4"}}})},
			both: []fixture.Want{violation(`publishes the Console's plain-HTTP port 3000`, `at "10.0.0.4"`)}},
	})
}

func TestDockerSecretsInEnvs(t *testing.T) {
	runCases(t, ContainerSecretsNotInEnvironment, []caseT{
		{name: "pulumi secret entry", target: "migrations", rs: []*fixture.Res{ldMigrations()},
			both: []fixture.Want{violation("sets MYSQL_ROOT_PASSWORD (envs[4]", "docker inspect",
				"keeps it out of the Pulumi state, not out of the container's environment", "no file form")}},
		{name: "plain entry", target: "c", rs: []*fixture.Res{dContainer("c", "pulumi/service:1",
			l{"API_TLS_PRIVATE_KEY=-----BEGIN PRIVATE KEY-----x"}, nil)},
			both: []fixture.Want{violation("API_TLS_PRIVATE_KEY", "and in the Pulumi state", "set API_TLS_PRIVATE_KEY to the file's path")}},
		{name: "aws key", target: "c", rs: []*fixture.Res{dContainer("c", "pulumi/service:1",
			l{fixture.Secret("AWS_SECRET_ACCESS_KEY=abc/def")}, nil)},
			both: []fixture.Want{violation("AWS_SHARED_CREDENTIALS_FILE")}},
		{name: "file path", target: "c", rs: []*fixture.Res{dContainer("c", "pulumi/service:1",
			l{"API_TLS_PRIVATE_KEY=/run/secrets/api.key", "MYSQL_ROOT_PASSWORD_FILE=/run/secrets/root"}, nil)}},
		{name: "entry unknown", target: "c", rs: []*fixture.Res{dContainer("c", "redis:7",
			l{fixture.OutputOf("x", "e")}, nil), fixture.R(tDockerContainer, "x", m{"image": "busybox"}).Output("e", "A=1")},
			preview: []fixture.Want{advisory("envs[0] is not known until update")}},
		{name: "no equals, secret text not shown", target: "c", rs: []*fixture.Res{dContainer("c", "redis:7",
			l{fixture.Secret("hunter2-plain-secret")}, nil)},
			both: []fixture.Want{advisory(`envs[0] has no "="`)}},
	})
}

func TestServiceEndpoints(t *testing.T) {
	runCases(t, ServiceEndpointsTLS, []caseT{
		{name: "disableSSL", target: "service", rs: []*fixture.Res{ldService(nil)},
			both: []fixture.Want{
				violation("PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT (envs[11])", "disableSSL=true"),
				violation("PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT_V2"),
				violation("PULUMI_POLICY_PACK_BLOB_STORAGE_ENDPOINT")}},
		{name: "endpoint http and disableSSL", target: "c", rs: []*fixture.Res{dContainer("c", "pulumi/service:1",
			l{"PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT=s3://b?endpoint=HTTP://m:9000&disableSSL=TRUE"}, nil)},
			both: []fixture.Want{violation("disableSSL=true and an endpoint parameter of http://")}},
		{name: "search http from a ConfigMap", target: "pulumi-api", rs: []*fixture.Res{
			apiDeployment(kubeAPI("PULUMI_SEARCH_DOMAIN<cm:search"), kubeMigrations()),
			configMap("app-config", m{"search": "http://opensearch:9200"})},
			both: []fixture.Want{violation(`PULUMI_SEARCH_DOMAIN (ConfigMap "app-config" key "search")`, "an http:// URL")}},
		{name: "https", target: "c", rs: []*fixture.Res{dContainer("c", "pulumi/service:1",
			l{"PULUMI_SEARCH_DOMAIN=https://search:443", "PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT=gs://bucket",
				"PULUMI_POLICY_PACK_BLOB_STORAGE_ENDPOINT=not a url %zz", "SMTP_SERVER=smtp.example.com:587"}, nil)}},
		{name: "smtp 25", target: "c", rs: []*fixture.Res{dContainer("c", "pulumi/service:1",
			l{"SMTP_SERVER=mail:25"}, nil)},
			both: []fixture.Want{advisory("cannot be verified", "SMTP_SERVER (envs[0])", "port 25")}},
		{name: "value unknown in preview", target: "pulumi-api", rs: []*fixture.Res{
			apiDeployment(kubeAPI("PULUMI_SEARCH_DOMAIN<cm:search"), kubeMigrations()),
			configMap("app-config", m{"search": fixture.OutputOf("os", "endpoint")}),
			fixture.R("aws:opensearch/domain:Domain", "os", m{}).Output("endpoint", "https://os:443")},
			previewElsewhere: map[string][]fixture.Want{"app-config": {advisory(`data["search"] is not known until update`)}}},
	})
}

// TestDockerMessagesHideEndpoints: an endpoint with credentials is reported
// without any part of it.
func TestDockerMessagesHideEndpoints(t *testing.T) {
	url := "s3://minioadmin:Cred-in-url-4@b?endpoint=minio:9000&disableSSL=true"
	for _, mode := range fixture.Modes {
		fs := fixture.Run(t, ServiceEndpointsTLS, mode, nil, nil,
			dContainer("c", "pulumi/service:1", l{"PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT=" + url}, nil))
		if len(fs) != 1 || fs[0].Kind != policy.Violation {
			t.Fatalf("%s: want one violation, got%s", mode, fixture.Describe(fs))
		}
		for _, part := range []string{"minioadmin", "Cred-in-url", "minio:9000", "s3://"} {
			if strings.Contains(fs[0].Message, part) {
				t.Errorf("%s: the message shows %q: %s", mode, part, fs[0].Message)
			}
		}
	}
}
