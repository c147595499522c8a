package azure_test

import (
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/azure"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

func build(t *testing.T, mode fixture.Mode, rs ...*fixture.Res) *graph.Graph {
	t.Helper()
	g := graph.New(fixture.Build(t, mode, rs...))
	g.IndexNames(azure.Adapter{}.PhysicalNames())
	return g
}

func server(extra m) *fixture.Res {
	in := m{"serverName": "pulumi-mysql", "resourceGroupName": "rg", "administratorLoginPassword": fixture.Secret("pw")}
	for k, v := range extra {
		in[k] = v
	}
	return fixture.R(azure.TypeMySQLServer, "mysql", in)
}

// TestDatabaseStorage checks what the adapter reads of a flexible server's
// encryption at rest: always on, and the key.
func TestDatabaseStorage(t *testing.T) {
	cases := []struct {
		name  string
		extra m
		key   string // the key's value
		path  string
		state policy.State
		gaps  int
	}{
		{name: "service-managed by default", path: "dataEncryption", state: policy.Known},
		{name: "system managed", extra: m{"dataEncryption": m{"type": "SystemManaged"}},
			path: "dataEncryption.primaryKeyURI", state: policy.Known},
		{name: "key vault", extra: m{"dataEncryption": m{"type": "AzureKeyVault", "primaryKeyURI": "https://kv/keys/k"}},
			key: "https://kv/keys/k", path: "dataEncryption.primaryKeyURI", state: policy.Known},
		{name: "key vault key not known until update", extra: m{"dataEncryption": m{"type": "AzureKeyVault",
			"primaryKeyURI": fixture.Unknown}}, key: "(a Key Vault key, known at update)",
			path: "dataEncryption.primaryKeyURI", state: policy.Known},
		{name: "type not known until update", extra: m{"dataEncryption": m{"type": fixture.Unknown}},
			path: "dataEncryption.type", state: policy.Unknown, gaps: 1},
		{name: "unknown type", extra: m{"dataEncryption": m{"type": "HSM"}}, path: "dataEncryption.type",
			state: policy.Invalid, gaps: 1},
	}
	for _, c := range cases {
		for _, mode := range fixture.Modes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				r := fixture.Build(t, mode, server(c.extra))[0]
				db, ok := azure.Adapter{}.Database(r)
				if !ok {
					t.Fatal("not read as a database")
				}
				s := db.Storage
				if !s.Enabled.Known() || !s.Enabled.Value || s.Follows != "" || !s.KeyApplies {
					t.Errorf("storage is always encrypted and a key can be chosen: %+v", s)
				}
				if s.Key.Value != c.key || s.Key.Path != c.path || s.Key.State != c.state || len(s.Gaps) != c.gaps {
					t.Errorf("key %q at %s (%v), %d gaps; want %q at %s (%v), %d gaps", s.Key.Value, s.Key.Path,
						s.Key.State, len(s.Gaps), c.key, c.path, c.state, c.gaps)
				}
				if !strings.Contains(db.CA, "DigiCert Global Root G2") {
					t.Errorf("CA %q does not name DigiCert Global Root G2", db.CA)
				}
			})
		}
	}
	if _, ok := (azure.Adapter{}).Database(fixture.Build(t, fixture.Update,
		fixture.R(azure.TypeMySQLFirewallRule, "fw", m{}))[0]); ok {
		t.Error("a firewall rule is not a database")
	}
}

// TestDatabaseReach checks the public endpoint and the firewall rules
// joined to each server, by serverName value (update) or property
// dependency (preview).
func TestDatabaseReach(t *testing.T) {
	rule := func(name, start, end string) *fixture.Res {
		return fixture.R(azure.TypeMySQLFirewallRule, name, m{"serverName": fixture.OutputOf("mysql", "name"),
			"startIpAddress": start, "endIpAddress": end})
	}
	cases := []struct {
		name    string
		rs      []*fixture.Res
		private bool
		public  string
		ranges  []string // Text of each range of the server
		special int
		orphans int
		gaps    int
	}{
		{name: "private access", rs: []*fixture.Res{server(m{"network": m{"delegatedSubnetResourceId": fixture.Unknown}})},
			private: true},
		{name: "public access disabled", rs: []*fixture.Res{server(m{"network": m{"publicNetworkAccess": "Disabled"}})},
			private: true},
		{name: "default public access with rules", rs: []*fixture.Res{server(nil).Output("name", "pulumi-mysql"),
			rule("office", "203.0.113.1", "203.0.113.9"), rule("azure", "0.0.0.0", "0.0.0.0")},
			public: "is not set", ranges: []string{"203.0.113.1-203.0.113.9", "0.0.0.0-0.0.0.0"}, special: 1},
		{name: "rule of a server outside the stack", rs: []*fixture.Res{fixture.R(azure.TypeMySQLFirewallRule, "fw",
			m{"serverName": "other", "startIpAddress": "0.0.0.0", "endIpAddress": "255.255.255.255"})}, orphans: 1},
		{name: "access not known until update", rs: []*fixture.Res{server(m{"network": m{"publicNetworkAccess": fixture.Unknown}})},
			gaps: 1},
	}
	for _, c := range cases {
		for _, mode := range fixture.Modes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				reach := azure.Adapter{}.DatabaseReach(build(t, mode, c.rs...))
				orphans := 0
				for _, r := range reach {
					if r.Res.Type != azure.TypeMySQLServer {
						orphans++
						continue
					}
					if (r.Private != "") != c.private || !strings.Contains(r.Public, c.public) || len(r.Gaps) != c.gaps {
						t.Errorf("private %q, public %q, %d gaps", r.Private, r.Public, len(r.Gaps))
					}
					var texts []string
					special := 0
					for _, a := range r.Ranges {
						texts = append(texts, a.Text)
						if a.Special != "" {
							special++
						}
					}
					if strings.Join(texts, " ") != strings.Join(c.ranges, " ") || special != c.special {
						t.Errorf("ranges %q (%d special), want %q (%d)", texts, special, c.ranges, c.special)
					}
				}
				if orphans != c.orphans {
					t.Errorf("%d rules read on their own, want %d", orphans, c.orphans)
				}
			})
		}
	}
}

// TestDatabaseTLS checks which server parameters are judged, and on which
// database they are reported.
func TestDatabaseTLS(t *testing.T) {
	param := func(name string, in m) *fixture.Res {
		in["serverName"] = "pulumi-mysql"
		return fixture.R(azure.TypeMySQLConfiguration, name, in)
	}
	cases := []struct {
		name  string
		cfg   m
		what  string // a substring of the one setting's What; "" for none
		gap   bool
		noTLS bool // no DatabaseTLS at all
	}{
		{name: "on", cfg: m{"configurationName": "require_secure_transport", "value": "on"}, noTLS: true},
		{name: "off", cfg: m{"configurationName": "Require_Secure_Transport", "value": "OFF"},
			what: `sets value to "OFF"`},
		{name: "off, reset to the default", cfg: m{"configurationName": "require_secure_transport", "value": "OFF",
			"source": "system-default"}, noTLS: true},
		{name: "no value: the default", cfg: m{"configurationName": "tls_version"}, noTLS: true},
		{name: "tls 1.0", cfg: m{"name": "tls_version", "value": "TLSv1"}, what: "accepts TLSv1,"},
		{name: "tls 1.3", cfg: m{"name": "tls_version", "value": " tlsv1.3 "}, noTLS: true},
		{name: "another parameter", cfg: m{"configurationName": "max_connections", "value": "OFF"}, noTLS: true},
		{name: "no name", cfg: m{"value": "OFF"}, noTLS: true},
		{name: "name not known until update", cfg: m{"configurationName": fixture.Unknown, "value": "OFF"}, gap: true},
		{name: "value malformed", cfg: m{"configurationName": "tls_version", "value": m{"a": 1}}, gap: true},
	}
	for _, c := range cases {
		for _, mode := range fixture.Modes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				dbs := azure.Adapter{}.DatabaseTLS(build(t, mode, server(nil), param("cfg", c.cfg)))
				if c.noTLS {
					if len(dbs) != 0 {
						t.Fatalf("got %+v, want nothing", dbs)
					}
					return
				}
				if len(dbs) != 1 || len(dbs[0].Settings) != 1 {
					t.Fatalf("got %+v, want one database with one setting", dbs)
				}
				s := dbs[0].Settings[0]
				if dbs[0].Res.Name != "mysql" || s.Where.Name != "cfg" || (s.Gap != nil) != c.gap ||
					!strings.Contains(s.What, c.what) || (c.what != "" && s.Fix == "") {
					t.Errorf("got database %s, setting on %s, gap %v, what %q, fix %q", dbs[0].Res.Name, s.Where.Name,
						s.Gap != nil, s.What, s.Fix)
				}
			})
		}
	}
}
