package policies

import (
	"encoding/json"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/taskdef"
)

// container builds one container definition: environment pairs, and the
// names of variables set through secrets.
func container(name, image string, environment []string, secrets ...string) map[string]any {
	c := map[string]any{"name": name, "image": image, "environment": env(environment...)}
	var s []any
	for _, n := range secrets {
		s = append(s, map[string]any{"name": n, "valueFrom": "arn:aws:secretsmanager:us-west-2:1:secret:" + n})
	}
	c["secrets"] = s
	return c
}

func taskDef(name string, defs ...map[string]any) *fixture.Res {
	data, _ := json.Marshal(defs)
	return fixture.R(taskdef.Type, name, map[string]any{"containerDefinitions": string(data)})
}

const (
	apiImage        = "123456789012.dkr.ecr.us-west-2.amazonaws.com/pulumi/service:20251101"
	consoleImage    = "pulumi/console:latest"
	migrationsImage = "registry.example.com:5000/mirror/pulumi/migrations@sha256:abc"
)

func hardenedAPI(extra ...string) map[string]any {
	return container("api", apiImage, append([]string{"API_TLS_CERTIFICATE", "-----BEGIN CERTIFICATE-----",
		"API_MIN_TLS_VERSION", "1.2", "DATABASE_CA_CERTIFICATE", "-----BEGIN CERTIFICATE-----",
		"DATABASE_MIN_TLS_VERSION", "1.3", "SMTP_SERVER", "smtp.example.com:587", "SMTP_USERNAME", "u",
		"SMTP_GENERIC_SENDER", "noreply@example.com"}, extra...),
		"API_TLS_PRIVATE_KEY", "SMTP_PASSWORD", "RECAPTCHA_SECRET_KEY")
}

func TestAPITLS(t *testing.T) {
	runCases(t, APITLS, []caseT{
		{name: "hardened", target: "td", rs: []*fixture.Res{taskDef("td", hardenedAPI())}},
		{name: "not an api image", target: "td", rs: []*fixture.Res{taskDef("td", container("x", "nginx:1.27", nil))}},
		{name: "custom image pattern", target: "td", cfg: map[string]any{"apiImagePatterns": []any{"acme/pulumi-api"}},
			rs: []*fixture.Res{taskDef("td", container("api", apiImage, nil))}},

		{name: "installer's container", target: "td", rs: []*fixture.Res{taskDef("td", container("api", apiImage, []string{"PULUMI_ENTERPRISE", "true"}))},
			both: []fixture.Want{violation(`containerDefinitions[0] ("api") does not set API_TLS_CERTIFICATE, API_MIN_TLS_VERSION, API_TLS_PRIVATE_KEY (from a secret)`, "hop 2")}},
		{name: "docker hub image with tag", target: "td", rs: []*fixture.Res{taskDef("td", container("api", "docker.io/pulumi/service:latest", nil))},
			both: []fixture.Want{violation("does not set API_TLS_CERTIFICATE")}},
		// Set, though in plain text: container-secrets-not-in-environment
		// reports that, once.
		{name: "key in environment", target: "td", rs: []*fixture.Res{taskDef("td", container("api", apiImage,
			[]string{"API_TLS_CERTIFICATE", "c", "API_MIN_TLS_VERSION", "1.2", "API_TLS_PRIVATE_KEY", "k"}))}},
		{name: "variables maybe in environment files", target: "td", rs: []*fixture.Res{taskDef("td", map[string]any{
			"name": "api", "image": apiImage, "environmentFiles": []any{map[string]any{"type": "s3",
				"value": "arn:aws:s3:::config-bucket/api.env"}}})},
			both: []fixture.Want{advisory(`cannot be verified: containerDefinitions[0] ("api") does not set API_TLS_CERTIFICATE, ` +
				`API_MIN_TLS_VERSION, API_TLS_PRIVATE_KEY (from a secret), and may set it through its environmentFiles ` +
				`(arn:aws:s3:::config-bucket/api.env), which the pack cannot read`)}},
		{name: "weak version", target: "td", rs: []*fixture.Res{taskDef("td", container("api", apiImage,
			[]string{"API_TLS_CERTIFICATE", "c", "API_MIN_TLS_VERSION", "1.0"}, "API_TLS_PRIVATE_KEY"))},
			both: []fixture.Want{violation(`sets API_MIN_TLS_VERSION to "1.0" (containerDefinitions[0].environment[1])`)}},
		{name: "version spelled TLS1.2", target: "td", rs: []*fixture.Res{taskDef("td", container("api", apiImage,
			[]string{"API_TLS_CERTIFICATE", "c", "API_MIN_TLS_VERSION", "TLS1.2"}, "API_TLS_PRIVATE_KEY"))},
			both: []fixture.Want{violation(`sets API_MIN_TLS_VERSION to "TLS1.2"`, "the only valid values are 1.2 and 1.3")}},
		{name: "empty certificate", target: "td", rs: []*fixture.Res{taskDef("td", container("api", apiImage,
			[]string{"API_TLS_CERTIFICATE", "", "API_MIN_TLS_VERSION", "1.3"}, "API_TLS_PRIVATE_KEY"))},
			both: []fixture.Want{violation("does not set API_TLS_CERTIFICATE")}},

		{name: "version from secrets", target: "td", rs: []*fixture.Res{taskDef("td", container("api", apiImage,
			[]string{"API_TLS_CERTIFICATE", "c"}, "API_TLS_PRIVATE_KEY", "API_MIN_TLS_VERSION"))},
			both: []fixture.Want{advisory("API_MIN_TLS_VERSION of containerDefinitions[0] (\"api\") comes from a secret store")}},
		{name: "unknown", target: "td", rs: []*fixture.Res{fixture.R(taskdef.Type, "td", map[string]any{"containerDefinitions": fixture.Unknown})},
			preview: []fixture.Want{advisory("cannot be verified during preview: containerDefinitions is not known until update")},
			update:  []fixture.Want{advisory("containerDefinitions is not known")}},
		{name: "malformed", target: "td", rs: []*fixture.Res{fixture.R(taskdef.Type, "td", map[string]any{"containerDefinitions": "[{"})},
			both: []fixture.Want{advisory("containerDefinitions is not valid JSON")}},
	})
}

func TestConsoleTLS(t *testing.T) {
	hardened := container("console", consoleImage, []string{"CONSOLE_TLS_CERTIFICATE", "c", "CONSOLE_MIN_TLS_VERSION", "1.3"},
		"CONSOLE_TLS_PRIVATE_KEY")
	runCases(t, ConsoleTLS, []caseT{
		{name: "hardened", target: "td", rs: []*fixture.Res{taskDef("td", hardened)}},
		{name: "tls at the load balancer", target: "td", cfg: map[string]any{"consoleTlsTerminatedAtLoadBalancer": true},
			rs: []*fixture.Res{taskDef("td", container("console", consoleImage, nil))}},
		{name: "private ca trusted", target: "td", cfg: map[string]any{"apiUsesPrivateCa": true},
			rs: []*fixture.Res{taskDef("td", container("console", consoleImage, []string{"CONSOLE_TLS_CERTIFICATE", "c",
				"NODE_EXTRA_CA_CERTS", "/etc/ssl/ca.pem"}, "CONSOLE_TLS_PRIVATE_KEY"))}},
		{name: "min version optional", target: "td", rs: []*fixture.Res{taskDef("td", container("console", consoleImage,
			[]string{"CONSOLE_TLS_CERTIFICATE", "c"}, "CONSOLE_TLS_PRIVATE_KEY"))}},

		{name: "installer's container", target: "td", rs: []*fixture.Res{taskDef("td", container("console", consoleImage, []string{"PULUMI_API", "x"}))},
			both: []fixture.Want{violation("does not set CONSOLE_TLS_CERTIFICATE, CONSOLE_TLS_PRIVATE_KEY (from a secret)")}},
		{name: "weak version", target: "td", rs: []*fixture.Res{taskDef("td", container("console", consoleImage,
			[]string{"CONSOLE_TLS_CERTIFICATE", "c", "CONSOLE_MIN_TLS_VERSION", "1.1"}, "CONSOLE_TLS_PRIVATE_KEY"))},
			both: []fixture.Want{violation(`CONSOLE_MIN_TLS_VERSION to "1.1"`)}},
		{name: "weak version even behind the load balancer", target: "td", cfg: map[string]any{"consoleTlsTerminatedAtLoadBalancer": true},
			rs:   []*fixture.Res{taskDef("td", container("console", consoleImage, []string{"CONSOLE_MIN_TLS_VERSION", ""}))},
			both: nil},
		{name: "private ca not trusted", target: "td", cfg: map[string]any{"apiUsesPrivateCa": true},
			rs:   []*fixture.Res{taskDef("td", hardened)},
			both: []fixture.Want{violation("does not set NODE_EXTRA_CA_CERTS")}},
	})
}

func TestDatabaseTLS(t *testing.T) {
	migrations := func(vars ...string) map[string]any { return container("migrate", migrationsImage, vars) }
	runCases(t, DatabaseTLS, []caseT{
		{name: "hardened", target: "td", rs: []*fixture.Res{taskDef("td", hardenedAPI(), migrations("DATABASE_CA_CERTIFICATE", "c",
			"DATABASE_MIN_TLS_VERSION", "1.2"))}},
		{name: "console not judged", target: "td", rs: []*fixture.Res{taskDef("td", container("console", consoleImage, nil))}},

		{name: "neither", target: "td", rs: []*fixture.Res{taskDef("td", migrations())},
			both: []fixture.Want{violation(`containerDefinitions[0] ("migrate") sets neither DATABASE_CA_CERTIFICATE nor DATABASE_MIN_TLS_VERSION`)}},
		{name: "ca only", target: "td", rs: []*fixture.Res{taskDef("td", migrations("DATABASE_CA_CERTIFICATE", "c"))},
			both: []fixture.Want{violation("sets DATABASE_CA_CERTIFICATE but not DATABASE_MIN_TLS_VERSION", "no TLS at all")}},
		{name: "version only", target: "td", rs: []*fixture.Res{taskDef("td", migrations("DATABASE_MIN_TLS_VERSION", "1.2"))},
			both: []fixture.Want{violation("sets DATABASE_MIN_TLS_VERSION but not DATABASE_CA_CERTIFICATE")}},
		{name: "weak version", target: "td", rs: []*fixture.Res{taskDef("td", migrations("DATABASE_CA_CERTIFICATE", "c",
			"DATABASE_MIN_TLS_VERSION", "1.1"))}, both: []fixture.Want{violation(`DATABASE_MIN_TLS_VERSION to "1.1"`)}},
		{name: "api and migrations both", target: "td", rs: []*fixture.Res{taskDef("td", container("api", apiImage, nil), migrations())},
			both: []fixture.Want{violation(`("api") sets neither`), violation(`("migrate") sets neither`)}},
	})
}

func TestDatabaseRequiresTLS(t *testing.T) {
	cluster := func(extra map[string]any) *fixture.Res {
		in := map[string]any{"engine": "aurora-mysql", "dbClusterParameterGroupName": fixture.ID("pg")}
		for k, v := range extra {
			in[k] = v
		}
		return fixture.R(typeRDSCluster, "db", in)
	}
	pg := func(typ string, params ...any) *fixture.Res {
		return fixture.R(typ, "pg", map[string]any{"parameters": params})
	}
	param := func(name, value string) map[string]any { return map[string]any{"name": name, "value": value} }
	instance := func(in map[string]any) *fixture.Res { return fixture.R(typeRDSInstance, "db", in) }
	postgres := func(version any, group any) *fixture.Res {
		in := map[string]any{"engine": "postgres"}
		if version != nil {
			in["engineVersion"] = version
		}
		if group != nil {
			in["parameterGroupName"] = group
		}
		return instance(in)
	}
	aurora := func(version any, group any) *fixture.Res {
		in := map[string]any{"engine": "aurora-postgresql"}
		if version != nil {
			in["engineVersion"] = version
		}
		if group != nil {
			in["dbClusterParameterGroupName"] = group
		}
		return fixture.R(typeRDSCluster, "db", in)
	}
	runCases(t, DatabaseRequiresTLS, []caseT{
		{name: "mysql on", target: "pg", rs: []*fixture.Res{pg(typeRDSClusterParameterGroup, param("require_secure_transport", "ON")), cluster(nil)}},
		{name: "mysql 1", target: "pg", rs: []*fixture.Res{pg(typeRDSClusterParameterGroup, param("require_secure_transport", "1")), cluster(nil)}},
		{name: "postgres forced", target: "pg", rs: []*fixture.Res{pg(typeRDSClusterParameterGroup, param("rds.force_ssl", "1")),
			cluster(map[string]any{"engine": "aurora-postgresql"})}},
		{name: "by name", target: "db", rs: []*fixture.Res{fixture.R(typeRDSParameterGroup, "pg", map[string]any{"name": "mysql-tls",
			"parameters": []any{param("require_secure_transport", "ON")}}),
			fixture.R(typeRDSInstance, "db", map[string]any{"engine": "mysql", "parameterGroupName": "mysql-tls"})}},
		{name: "postgres 16 default", target: "db", rs: []*fixture.Res{postgres("16.3", nil)}},
		{name: "postgres 15 default", target: "db", rs: []*fixture.Res{postgres("15", nil)}},
		{name: "oracle not judged", target: "db", rs: []*fixture.Res{fixture.R(typeRDSInstance, "db", map[string]any{"engine": "oracle-ee"})}},
		// Issue 14: without engineVersion RDS creates its current default
		// version (15 or later), whose default is rds.force_ssl 1.
		{name: "postgres without engineVersion", target: "db", rs: []*fixture.Res{postgres(nil, nil)}},
		{name: "postgres without engineVersion, default group named", target: "db", rs: []*fixture.Res{postgres(nil, "default.postgres17")}},
		{name: "postgres without engineVersion, group leaves it out", target: "pg", rs: []*fixture.Res{
			pg(typeRDSParameterGroup, param("log_min_duration_statement", "500")), postgres(nil, fixture.ID("pg"))}},
		// Aurora PostgreSQL 17 and later default to rds.force_ssl 1.
		{name: "aurora-postgresql 17 default", target: "db", rs: []*fixture.Res{aurora("17.4", nil)}},
		{name: "aurora-postgresql 18 group leaves it out", target: "pg", rs: []*fixture.Res{
			pg(typeRDSClusterParameterGroup, param("log_min_duration_statement", "500")), aurora("18.1", fixture.ID("pg"))}},
		// The version is read only when the verdict rests on the default.
		{name: "version unknown, group forces", target: "db", rs: []*fixture.Res{pg(typeRDSParameterGroup, param("rds.force_ssl", "1")),
			postgres(fixture.Unknown, fixture.ID("pg"))}},

		{name: "no parameter group", target: "db", rs: []*fixture.Res{fixture.R(typeRDSCluster, "db", map[string]any{"engine": "aurora-mysql"})},
			both: []fixture.Want{violation("dbClusterParameterGroupName is not set", "require_secure_transport is off")}},
		{name: "default group named", target: "db", rs: []*fixture.Res{fixture.R(typeRDSInstance, "db", map[string]any{"engine": "mysql",
			"parameterGroupName": "default.mysql8.0"})}, both: []fixture.Want{violation("the default parameter group default.mysql8.0")}},
		{name: "postgres 14 default", target: "db", rs: []*fixture.Res{postgres("14.9", nil)},
			both: []fixture.Want{violation("parameterGroupName is not set", "rds.force_ssl is off (as in RDS for PostgreSQL 14 and older)")}},
		{name: "postgres 14 group leaves it out", target: "pg", rs: []*fixture.Res{
			pg(typeRDSParameterGroup, param("log_min_duration_statement", "500")), postgres("14.9", fixture.ID("pg"))},
			both: []fixture.Want{violation(`parameters does not set rds.force_ssl, so it stays off (as in RDS for PostgreSQL 14 and older) and the postgres database "db"`)}},
		{name: "parameter missing", target: "pg", rs: []*fixture.Res{pg(typeRDSClusterParameterGroup, param("slow_query_log", "1")), cluster(nil)},
			both: []fixture.Want{violation(`parameters does not set require_secure_transport, so it stays off and the aurora-mysql database "db"`)}},
		{name: "parameter off", target: "pg", rs: []*fixture.Res{pg(typeRDSClusterParameterGroup, param("require_secure_transport", "OFF")), cluster(nil)},
			both: []fixture.Want{violation(`parameters[0] sets require_secure_transport to "OFF"`)}},
		{name: "postgres 16 switched off", target: "pg", rs: []*fixture.Res{pg(typeRDSParameterGroup, param("rds.force_ssl", "0")),
			postgres("16.3", fixture.ID("pg"))},
			both: []fixture.Want{violation(`sets rds.force_ssl to "0"`)}},
		{name: "postgres without engineVersion switched off", target: "pg", rs: []*fixture.Res{pg(typeRDSParameterGroup, param("rds.force_ssl", "0")),
			postgres(nil, fixture.ID("pg"))},
			both: []fixture.Want{violation(`parameters[0] sets rds.force_ssl to "0", so the postgres database "db" accepts connections without TLS`)}},
		{name: "version unknown, group switches off", target: "pg", rs: []*fixture.Res{pg(typeRDSParameterGroup, param("rds.force_ssl", "0")),
			postgres(fixture.Unknown, fixture.ID("pg"))},
			both: []fixture.Want{violation(`sets rds.force_ssl to "0"`)}},
		{name: "aurora-postgresql 16 default", target: "db", rs: []*fixture.Res{aurora("16.6", nil)},
			both: []fixture.Want{violation("dbClusterParameterGroupName is not set", "rds.force_ssl is off (as in Aurora PostgreSQL 16 and older")}},
		// No page says which version Aurora picks without engineVersion.
		{name: "aurora-postgresql without engineVersion", target: "db", rs: []*fixture.Res{aurora(nil, nil)},
			both: []fixture.Want{violation("engineVersion does not pin 17 or later")}},
		{name: "aurora-postgresql 16 default group named", target: "db", rs: []*fixture.Res{aurora("16.6", "default.aurora-postgresql16")},
			both: []fixture.Want{violation("is the default parameter group default.aurora-postgresql16, where rds.force_ssl is off")}},
		{name: "aurora-postgresql 17 switched off", target: "pg", rs: []*fixture.Res{pg(typeRDSClusterParameterGroup, param("rds.force_ssl", "0")),
			aurora("17.4", fixture.ID("pg"))},
			both: []fixture.Want{violation(`sets rds.force_ssl to "0"`)}},

		{name: "external group", target: "db", rs: []*fixture.Res{fixture.R(typeRDSCluster, "db", map[string]any{"engine": "aurora-mysql",
			"dbClusterParameterGroupName": "shared-tls"})}, both: []fixture.Want{advisory("parameter group shared-tls (dbClusterParameterGroupName) is not in the stack")}},
		// Found by the bad-input suite: unknowns must not become violations.
		{name: "postgres version unknown", target: "db", rs: []*fixture.Res{postgres(fixture.Unknown, nil)},
			preview: []fixture.Want{advisory("engineVersion is not known until update")},
			update:  []fixture.Want{advisory("engineVersion is not known")}},
		{name: "aurora-postgresql version unknown", target: "db", rs: []*fixture.Res{aurora(fixture.Unknown, nil)},
			preview: []fixture.Want{advisory("engineVersion is not known until update")},
			update:  []fixture.Want{advisory("engineVersion is not known")}},
		{name: "postgres version unknown, group leaves it out", target: "pg", rs: []*fixture.Res{
			pg(typeRDSParameterGroup, param("log_min_duration_statement", "500")), postgres(fixture.Unknown, fixture.ID("pg"))},
			elsewhere: map[string][]fixture.Want{"db": {advisory("engineVersion is not known until update")}}},
		{name: "engineVersion malformed", target: "db", rs: []*fixture.Res{postgres("latest", nil)},
			both: []fixture.Want{advisory("engineVersion does not start with a major version number")}},
		{name: "engineVersion a number", target: "db", rs: []*fixture.Res{postgres(14, nil)},
			both: []fixture.Want{advisory("engineVersion is a number, expected a string")}},
		{name: "parameter name unknown", target: "pg", rs: []*fixture.Res{pg(typeRDSClusterParameterGroup,
			map[string]any{"name": fixture.Unknown, "value": "ON"}), cluster(nil)},
			preview: []fixture.Want{advisory("parameters[0].name is not known until update")},
			update:  []fixture.Want{advisory("parameters[0].name is not known")}},
		{name: "group unknown", target: "db", rs: []*fixture.Res{fixture.R(typeRDSCluster, "db", map[string]any{"engine": "aurora-mysql",
			"dbClusterParameterGroupName": fixture.Unknown})},
			preview: []fixture.Want{advisory("dbClusterParameterGroupName is not known until update")},
			update:  []fixture.Want{advisory("dbClusterParameterGroupName is not known")}},
	})
}

func TestLoadBalancerTLS(t *testing.T) {
	listener := func(name string, in map[string]any) *fixture.Res { return fixture.R(typeLBListener, name, in) }
	tlsListener := func(policy any) []*fixture.Res {
		return []*fixture.Res{listener("l", map[string]any{"protocol": "TLS", "port": 443, "sslPolicy": policy})}
	}
	redirect := []any{map[string]any{"type": "redirect", "redirect": map[string]any{"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}}
	forward := []any{map[string]any{"type": "forward", "targetGroupArn": "arn:tg"}}
	https := listener("https", map[string]any{"protocol": "HTTPS", "port": 443, "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "defaultActions": forward})
	// serviceWith puts a container behind a target group of the given
	// protocol (nil: not set).
	serviceWith := func(tgProto any, def map[string]any) []*fixture.Res {
		tg := map[string]any{"port": 8443}
		if tgProto != nil {
			tg["protocol"] = tgProto
		}
		return []*fixture.Res{
			taskDef("td", def),
			fixture.R(typeLBTargetGroup, "tg", tg),
			fixture.R(typeECSService, "svc", map[string]any{"taskDefinition": fixture.ID("td"),
				"loadBalancers": []any{map[string]any{"containerName": def["name"], "containerPort": 8443, "targetGroupArn": fixture.ID("tg")}}}),
		}
	}
	service := func(tgProto any) []*fixture.Res { return serviceWith(tgProto, container("api", apiImage, nil)) }
	apiTLS := container("api", apiImage, []string{"API_TLS_CERTIFICATE", "-----BEGIN CERTIFICATE-----", "API_MIN_TLS_VERSION", "1.2"},
		"API_TLS_PRIVATE_KEY")
	consoleTLS := container("console", consoleImage, []string{"CONSOLE_TLS_CERTIFICATE", "-----BEGIN CERTIFICATE-----"},
		"CONSOLE_TLS_PRIVATE_KEY")
	runCases(t, LoadBalancerTLS, []caseT{
		{name: "https tls13", target: "https", rs: []*fixture.Res{https}},
		{name: "https fs", target: "l", rs: []*fixture.Res{listener("l", map[string]any{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-FS-1-2-Res-2020-10"})}},
		{name: "https post-quantum", target: "l", rs: []*fixture.Res{listener("l", map[string]any{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"})}},
		{name: "tls 1.3 only fips pq", target: "l", rs: tlsListener("ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09")},
		{name: "tls 1.2 only", target: "l", rs: tlsListener("ELBSecurityPolicy-TLS-1-2-Ext-2018-06")},
		{name: "rfc 9151 interop", target: "l", rs: tlsListener("ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP4-FIPS-2023-07")},
		{name: "http redirects", target: "http", rs: []*fixture.Res{listener("http", map[string]any{"protocol": "HTTP", "defaultActions": redirect})}},
		{name: "rule on https", target: "rule", rs: []*fixture.Res{https, fixture.R(typeLBListenerRule, "rule", map[string]any{"listenerArn": fixture.ID("https"), "actions": forward})}},
		{name: "tcp passthrough", target: "l", rs: []*fixture.Res{listener("l", map[string]any{"protocol": "TCP", "port": 443})}},
		{name: "custom policy allowed", target: "l", cfg: map[string]any{"allowedSslPolicies": []any{"Corp-TLS12-*"}},
			rs: []*fixture.Res{listener("l", map[string]any{"protocol": "TLS", "sslPolicy": "Corp-TLS12-2024"})}},
		// Config wins: whoever lists the old broad pattern admits what it matches.
		{name: "old broad pattern configured", target: "l", cfg: map[string]any{"allowedSslPolicies": []any{"ELBSecurityPolicy-TLS13-*"}},
			rs: tlsListener("ELBSecurityPolicy-TLS13-1-0-2021-06")},
		{name: "https target group", target: "tg", rs: service("HTTPS")},
		{name: "https target group lower case", target: "tg", rs: service("https")},
		{name: "tls target group (re-encrypt)", target: "tg", rs: service("TLS")},
		{name: "tcp to the api serving tls", target: "tg", rs: serviceWith("TCP", apiTLS)},
		{name: "tcp to the api with tls from secrets", target: "tg", rs: serviceWith("TCP", container("api", apiImage, nil,
			"API_TLS_CERTIFICATE", "API_TLS_PRIVATE_KEY"))},
		{name: "tcp_udp to the api serving tls", target: "tg", rs: serviceWith("TCP_UDP", apiTLS)},
		{name: "tcp to the console serving tls", target: "tg", rs: serviceWith("TCP", consoleTLS)},
		{name: "tls ends at the load balancer", target: "tg", cfg: map[string]any{"tlsTerminatedAtLoadBalancer": true}, rs: service("HTTP")},
		{name: "tcp, tls ends at the load balancer", target: "tg", cfg: map[string]any{"tlsTerminatedAtLoadBalancer": true}, rs: service("TCP")},
		{name: "tcp to another container", target: "tg", rs: serviceWith("TCP", container("web", "nginx:1.27", nil))},
		// The containers are not known: no verdict on the target group (the
		// task definition carries the note).
		{name: "tcp, task definition unknown", target: "tg", rs: []*fixture.Res{
			fixture.R(taskdef.Type, "td", map[string]any{"containerDefinitions": fixture.Unknown}),
			fixture.R(typeLBTargetGroup, "tg", map[string]any{"protocol": "TCP", "port": 8443}),
			fixture.R(typeECSService, "svc", map[string]any{"taskDefinition": fixture.ID("td"),
				"loadBalancers": []any{map[string]any{"containerName": "api", "containerPort": 8443, "targetGroupArn": fixture.ID("tg")}}})},
			elsewhere: map[string][]fixture.Want{"td": {advisory("containerDefinitions is not known until update")}}},

		{name: "old policy", target: "l", rs: []*fixture.Res{listener("l", map[string]any{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-2016-08"})},
			both: []fixture.Want{violation(`sslPolicy "ELBSecurityPolicy-2016-08" allows TLS 1.0, older than TLS 1.2`, "Fix: Set sslPolicy to ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09")}},
		// Issue 14: ELBSecurityPolicy-TLS13-* admitted these.
		{name: "tls13 policy allowing 1.0", target: "l", rs: tlsListener("ELBSecurityPolicy-TLS13-1-0-2021-06"),
			both: []fixture.Want{violation(`sslPolicy "ELBSecurityPolicy-TLS13-1-0-2021-06" allows TLS 1.0`)}},
		{name: "tls13 policy allowing 1.1", target: "l", rs: tlsListener("ELBSecurityPolicy-TLS13-1-1-2021-06"),
			both: []fixture.Want{violation(`sslPolicy "ELBSecurityPolicy-TLS13-1-1-2021-06" allows TLS 1.1`)}},
		{name: "fips policy allowing 1.0", target: "l", rs: tlsListener("ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04"),
			both: []fixture.Want{violation(`sslPolicy "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04" allows TLS 1.0`,
				"Fix: Set sslPolicy to ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09")}},
		{name: "pq policy allowing 1.0", target: "l", rs: tlsListener("ELBSecurityPolicy-TLS13-1-0-PQ-2025-09"),
			both: []fixture.Want{violation(`allows TLS 1.0`)}},
		{name: "fs policy allowing 1.1", target: "l", rs: tlsListener("ELBSecurityPolicy-FS-1-1-2019-08"),
			both: []fixture.Want{violation(`sslPolicy "ELBSecurityPolicy-FS-1-1-2019-08" allows TLS 1.1`)}},
		{name: "unknown name", target: "l", rs: tlsListener("Corp-Legacy-2019"),
			both: []fixture.Want{violation(`sslPolicy "Corp-Legacy-2019" is not a predefined ELB security policy known to allow only TLS 1.2 or newer`,
				"ELBSecurityPolicy-TLS13-1-2-*")}},
		{name: "good policy outside a narrower list", target: "l", cfg: map[string]any{"allowedSslPolicies": []any{"ELBSecurityPolicy-TLS13-1-3-*"}},
			rs:   tlsListener("ELBSecurityPolicy-TLS13-1-2-2021-06"),
			both: []fixture.Want{violation(`sslPolicy "ELBSecurityPolicy-TLS13-1-2-2021-06" (TLS 1.2 and newer) matches none of this policy's allowedSslPolicies (ELBSecurityPolicy-TLS13-1-3-*)`)}},
		{name: "secret old policy", target: "l", rs: tlsListener(fixture.Secret("ELBSecurityPolicy-TLS13-1-0-2021-06")),
			both: []fixture.Want{violation(`sslPolicy [secret] allows TLS 1.0`)}},
		{name: "no policy", target: "l", rs: []*fixture.Res{listener("l", map[string]any{"protocol": "HTTPS"})},
			both: []fixture.Want{violation("sslPolicy is not set")}},
		{name: "http forwards", target: "http", rs: []*fixture.Res{listener("http", map[string]any{"protocol": "HTTP", "defaultActions": forward})},
			both: []fixture.Want{violation(`defaultActions[0] is "forward": an HTTP listener must only redirect to HTTPS`)}},
		{name: "http fixed response", target: "http", rs: []*fixture.Res{listener("http", map[string]any{"defaultActions": []any{map[string]any{"type": "fixed-response"}}})},
			both: []fixture.Want{violation(`defaultActions[0] is "fixed-response"`)}},
		{name: "redirect to http", target: "http", rs: []*fixture.Res{listener("http", map[string]any{"protocol": "HTTP", "defaultActions": []any{
			map[string]any{"type": "redirect", "redirect": map[string]any{"protocol": "HTTP", "port": "8080"}}}})},
			both: []fixture.Want{violation("redirects, but not to HTTPS")}},
		{name: "rule forwards on http", target: "rule", rs: []*fixture.Res{listener("http", map[string]any{"protocol": "HTTP", "defaultActions": redirect}),
			fixture.R(typeLBListenerRule, "rule", map[string]any{"listenerArn": fixture.ID("http"), "actions": forward})},
			both: []fixture.Want{violation(`actions[0] forwards traffic, and the rule is on HTTP listener "http"`)}},
		{name: "http target group", target: "tg", rs: service("HTTP"),
			both: []fixture.Want{violation(`target group forwards HTTP to the API container "api" of aws:ecs/service:Service "svc"`)}},
		{name: "http target group to the api serving tls", target: "tg", rs: serviceWith("HTTP", apiTLS),
			both: []fixture.Want{violation(`target group forwards HTTP to the API container "api"`)}},
		{name: "tcp to the api serving no tls", target: "tg", rs: service("TCP"),
			both: []fixture.Want{violation(`target group forwards TCP to the API container "api" of aws:ecs/service:Service "svc", which serves no TLS`,
				"API_TLS_CERTIFICATE and API_TLS_PRIVATE_KEY")}},
		{name: "tcp to the api with a certificate but no key", target: "tg", rs: serviceWith("TCP", container("api", apiImage,
			[]string{"API_TLS_CERTIFICATE", "-----BEGIN CERTIFICATE-----"})),
			both: []fixture.Want{violation("which serves no TLS")}},
		{name: "tcp to the console serving no tls", target: "tg", rs: serviceWith("TCP", container("console", consoleImage, nil)),
			both: []fixture.Want{violation(`forwards TCP to the Console container "console"`, "which serves no TLS",
				"CONSOLE_TLS_CERTIFICATE and CONSOLE_TLS_PRIVATE_KEY")}},
		{name: "tcp_udp to the api serving no tls", target: "tg", rs: service("TCP_UDP"),
			both: []fixture.Want{violation("forwards TCP_UDP to the API container", "which serves no TLS")}},
		{name: "udp target group", target: "tg", rs: serviceWith("UDP", apiTLS),
			both: []fixture.Want{violation("target group forwards UDP to the API container")}},

		{name: "redirect protocol unknown", target: "http", rs: []*fixture.Res{listener("http", map[string]any{"protocol": "HTTP",
			"defaultActions": []any{map[string]any{"type": "redirect", "redirect": map[string]any{"protocol": fixture.Unknown}}}})},
			preview: []fixture.Want{advisory("defaultActions[0].redirect.protocol is not known until update")},
			update:  []fixture.Want{advisory("defaultActions[0].redirect.protocol is not known")}},
		{name: "protocol unknown", target: "l", rs: []*fixture.Res{listener("l", map[string]any{"protocol": fixture.Unknown})},
			preview: []fixture.Want{advisory("protocol is not known until update")},
			update:  []fixture.Want{advisory("protocol is not known")}},
		{name: "sslPolicy unknown", target: "l", rs: tlsListener(fixture.Unknown),
			preview: []fixture.Want{advisory("sslPolicy is not known until update")},
			update:  []fixture.Want{advisory("sslPolicy is not known")}},
		{name: "sslPolicy a number", target: "l", rs: tlsListener(12),
			both: []fixture.Want{advisory("sslPolicy is a number, expected a string")}},
		{name: "target group protocol unknown", target: "tg", rs: service(fixture.Unknown),
			preview: []fixture.Want{advisory("protocol is not known until update")},
			update:  []fixture.Want{advisory("protocol is not known")}},
		{name: "target group protocol a number", target: "tg", rs: service(443),
			both: []fixture.Want{advisory("protocol is a number, expected a string")}},
		{name: "target group protocol not set", target: "tg", rs: service(nil),
			both: []fixture.Want{advisory("protocol is not set, and a target group of an ECS service needs one")}},
		{name: "target group protocol not a protocol", target: "tg", rs: service("SMTP"),
			both: []fixture.Want{advisory(`protocol "SMTP" is not a target group protocol`)}},
	})
}

func TestOpenSearchDomainEncrypted(t *testing.T) {
	domain := func(tls any, flags ...bool) []*fixture.Res {
		return []*fixture.Res{fixture.R(typeOpenSearchDomain, "search", map[string]any{
			"encryptAtRest":         map[string]any{"enabled": flags[0]},
			"nodeToNodeEncryption":  map[string]any{"enabled": flags[1]},
			"domainEndpointOptions": map[string]any{"enforceHttps": flags[2], "tlsSecurityPolicy": tls},
		})}
	}
	runCases(t, OpenSearchDomainEncrypted, []caseT{
		{name: "installer's domain", target: "search", rs: domain("Policy-Min-TLS-1-2-2019-07", true, true, true)},
		{name: "pfs policy", target: "search", rs: domain("Policy-Min-TLS-1-2-PFS-2023-10", true, true, true)},

		{name: "nothing set", target: "search", rs: []*fixture.Res{fixture.R(typeOpenSearchDomain, "search", map[string]any{})},
			both: []fixture.Want{violation("tlsSecurityPolicy is not set"),
				violation("encryptAtRest.enabled, nodeToNodeEncryption.enabled, domainEndpointOptions.enforceHttps are not true")}},
		{name: "old tls", target: "search", rs: domain("Policy-Min-TLS-1-0-2019-07", true, true, true),
			both: []fixture.Want{violation(`tlsSecurityPolicy "Policy-Min-TLS-1-0-2019-07" allows TLS older than 1.2`)}},
		{name: "http allowed", target: "search", rs: domain("Policy-Min-TLS-1-2-2019-07", true, true, false),
			both: []fixture.Want{violation("domainEndpointOptions.enforceHttps is not true")}},
		{name: "elasticsearch", target: "search", rs: []*fixture.Res{fixture.R(typeElasticsearchDomain, "search", map[string]any{
			"encryptAtRest": map[string]any{"enabled": false}, "nodeToNodeEncryption": map[string]any{"enabled": true},
			"domainEndpointOptions": map[string]any{"enforceHttps": true, "tlsSecurityPolicy": "Policy-Min-TLS-1-2-2019-07"}})},
			both: []fixture.Want{violation("encryptAtRest.enabled is not true")}},
		{name: "unknown", target: "search", rs: domain(fixture.Unknown, true, true, true),
			preview: []fixture.Want{advisory("domainEndpointOptions.tlsSecurityPolicy is not known until update")},
			update:  []fixture.Want{advisory("tlsSecurityPolicy is not known")}},
	})
}

func TestSMTPConfigured(t *testing.T) {
	runCases(t, SMTPConfigured, []caseT{
		{name: "configured", target: "td", rs: []*fixture.Res{taskDef("td", hardenedAPI())}},
		{name: "saml only", target: "td", cfg: map[string]any{"samlSsoOnly": true}, rs: []*fixture.Res{taskDef("td", container("api", apiImage, nil))}},
		{name: "console not judged", target: "td", rs: []*fixture.Res{taskDef("td", container("console", consoleImage, nil))}},

		{name: "none", target: "td", rs: []*fixture.Res{taskDef("td", container("api", apiImage, nil))},
			both: []fixture.Want{{Kind: policy.Violation, Level: policy.Advisory, Contains: []string{
				"does not set SMTP_SERVER, SMTP_USERNAME, SMTP_GENERIC_SENDER, SMTP_PASSWORD (from a secret)"}}}},
		{name: "partial", target: "td", rs: []*fixture.Res{taskDef("td", container("api", apiImage, []string{"SMTP_SERVER", "s", "SMTP_USERNAME", "u"}, "SMTP_PASSWORD"))},
			both: []fixture.Want{{Kind: policy.Violation, Level: policy.Advisory, Contains: []string{`("api") does not set SMTP_GENERIC_SENDER`}}}},
		{name: "password in environment", target: "td", rs: []*fixture.Res{taskDef("td", container("api", apiImage, []string{"SMTP_SERVER", "s",
			"SMTP_USERNAME", "u", "SMTP_GENERIC_SENDER", "g", "SMTP_PASSWORD", "pw-plain"}))}},
	})
}

func TestCaptchaConfigured(t *testing.T) {
	av := func(contains ...string) fixture.Want {
		return fixture.Want{Kind: policy.Violation, Level: policy.Advisory, Contains: contains}
	}
	api := func(secret bool) *fixture.Res {
		if secret {
			return taskDef("api", container("api", apiImage, nil, "RECAPTCHA_SECRET_KEY"))
		}
		return taskDef("api", container("api", apiImage, nil))
	}
	console := func(site bool) *fixture.Res {
		if site {
			return taskDef("ui", container("console", consoleImage, []string{"RECAPTCHA_SITE_KEY", "0x4AAA"}))
		}
		return taskDef("ui", container("console", consoleImage, nil))
	}
	runCases(t, CaptchaConfigured, []caseT{
		{name: "both", target: "", rs: []*fixture.Res{api(true), console(true)}},
		{name: "no service containers", target: "", rs: []*fixture.Res{taskDef("td", container("x", "nginx", nil))}},

		{name: "neither", target: "", rs: []*fixture.Res{api(false), console(false)},
			both: []fixture.Want{av("CAPTCHA is not configured")}},
		{name: "secret only", target: "ui", rs: []*fixture.Res{api(true), console(false)},
			both: []fixture.Want{av(`containerDefinitions[0] ("console") does not set RECAPTCHA_SITE_KEY, though the API's RECAPTCHA_SECRET_KEY is set`)}},
		{name: "site key only", target: "api", rs: []*fixture.Res{api(false), console(true)},
			both: []fixture.Want{av("does not set RECAPTCHA_SECRET_KEY, though the Console's RECAPTCHA_SITE_KEY is set")}},
		{name: "secret in environment", target: "api", rs: []*fixture.Res{taskDef("api", container("api", apiImage,
			[]string{"RECAPTCHA_SECRET_KEY", "0x4AAA-secret"})), console(true)}},
	})
}
