package azure

import (
	"fmt"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// A flexible server refuses connections without TLS unless a server
// parameter says otherwise: require_secure_transport is ON by default, and
// tls_version TLSv1.2 (Microsoft's "Connect with encrypted connections"
// page for flexible server: "enforce SSL with TLS version 1.2 (default
// configuration)", on MySQL 5.7 and 8.0 alike; TLSv1.3 is supported on
// 8.0, TLSv1 and TLSv1.1 only on 5.7). A server parameter is an
// azure-native:dbformysql:Configuration naming the server.
const (
	paramSecureTransport = "require_secure_transport"
	paramTLSVersion      = "tls_version"
)

const memoDatabaseTLS = memoKey("azure.DatabaseTLS")

// DatabaseTLS judges each server parameter that can let a flexible server
// accept connections without TLS or with TLS older than 1.2.
func (Adapter) DatabaseTLS(g *graph.Graph) []model.DatabaseTLS {
	return g.Memo(memoDatabaseTLS, func() any { return databaseTLS(g) }).([]model.DatabaseTLS)
}

func databaseTLS(g *graph.Graph) []model.DatabaseTLS {
	var out []model.DatabaseTLS
	for _, srv := range g.OfType(TypeMySQLServer) {
		// azure-native v1 registered the single server under this token,
		// with its settings in a properties block.
		if policy.Probe(srv).Value("properties").Kind() == props.Object {
			out = append(out, model.DatabaseTLS{Res: srv, Settings: []model.TLSSetting{{Where: srv,
				Unseen: "cannot be verified: properties is the shape of azure-native v1's single server " +
					"(properties.sslEnforcement), which Azure retired in September 2024; the pack reads flexible " +
					"servers as azure-native v2 and v3 declare them"}}})
		}
	}
	for _, cfg := range g.OfType(TypeMySQLConfiguration) {
		rd := policy.Probe(cfg)
		settings := judgeConfiguration(g, cfg, rd)
		if gap, ok := model.GapOf(rd); ok {
			settings = append(settings, model.TLSSetting{Where: cfg, Gap: &gap})
		}
		if len(settings) == 0 {
			continue
		}
		db := cfg
		if srv, _ := serverOf(g, cfg); srv != nil {
			db = srv
		}
		out = append(out, model.DatabaseTLS{Res: db, Settings: settings})
	}
	return out
}

// parameterName reads the parameter a configuration sets: configurationName,
// or name (the shape of its outputs). Neither set: azure-native names it
// after the resource, which no parameter is named like; nothing to judge.
func parameterName(rd policy.Reader) (string, string, policy.State) {
	for _, p := range []string{"configurationName", "name"} {
		if v, st := rd.String(p); st != policy.Absent {
			return strings.ToLower(strings.TrimSpace(v)), p, st
		}
	}
	return "", "", policy.Absent
}

func judgeConfiguration(g *graph.Graph, cfg *graph.Resource, rd policy.Reader) []model.TLSSetting {
	name, at, st := parameterName(rd)
	if st != policy.Known || (name != paramSecureTransport && name != paramTLSVersion) {
		return nil // unknown or malformed: noted, a gap
	}
	if src, st := rd.String("source"); st == policy.Known && strings.EqualFold(src, "system-default") {
		return nil // reset to the server's default, which enforces TLS 1.2
	}
	value, st := rd.String("value")
	if st != policy.Known {
		return nil // absent: the default; otherwise noted
	}
	server := serverLabel(g, cfg)
	v := strings.TrimSpace(value)
	shown := rd.Value("value").Describe() // quoted, or [secret]
	switch name {
	case paramSecureTransport:
		if strings.EqualFold(v, "ON") || v == "1" {
			return nil
		}
		return []model.TLSSetting{{Where: cfg,
			What: fmt.Sprintf("%s %q sets value to %s, so %s accepts connections without TLS", at, name, shown,
				server),
			Fix: "Set value to \"ON\" (the server's default), or delete this Configuration; with the Azure CLI, " +
				"az mysql flexible-server parameter set --name require_secure_transport --value ON " +
				"--resource-group <group> --server-name <server>."}}
	default:
		var old []string
		for _, item := range strings.Split(v, ",") {
			item = strings.TrimSpace(item)
			if !strings.EqualFold(item, "TLSv1.2") && !strings.EqualFold(item, "TLSv1.3") {
				old = append(old, item)
			}
		}
		if len(old) == 0 {
			return nil
		}
		what := strings.Join(old, ", ")
		if rd.Value("value").IsSecret() {
			what = "older versions"
		}
		return []model.TLSSetting{{Where: cfg,
			What: fmt.Sprintf("%s %q sets value to %s, so %s accepts %s, not only TLS 1.2 or 1.3", at, name,
				shown, server, what),
			Fix: "Set value to \"TLSv1.2\" (the default) or \"TLSv1.2,TLSv1.3\" (MySQL 8.0); with the Azure " +
				"CLI, az mysql flexible-server parameter set --name tls_version --value TLSv1.2 " +
				"--resource-group <group> --server-name <server>."}}
	}
}

// serverLabel names a configuration's or firewall rule's server for a
// message.
func serverLabel(g *graph.Graph, r *graph.Resource) string {
	srv, refs := serverOf(g, r)
	switch {
	case srv == nil && policy.Probe(r).Value("serverName").IsSecret():
		return "its flexible server (serverName, a secret)"
	case srv != nil:
		return fmt.Sprintf("flexible server %q", srv.Name)
	case len(refs) > 0 && refs[0].Known:
		return fmt.Sprintf("flexible server %s (serverName, not in the stack)", refs[0].Value)
	}
	return "its flexible server (serverName)"
}
