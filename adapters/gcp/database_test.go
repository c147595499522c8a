package gcp_test

import (
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/gcp"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

func instance(ip m, extra m) *fixture.Res {
	in := m{"databaseVersion": "MYSQL_8_0", "settings": m{"tier": "db-f1-micro", "ipConfiguration": ip}}
	for k, v := range extra {
		in[k] = v
	}
	return fixture.R(gcp.TypeSQLInstance, "sql", in)
}

func TestDatabaseStorage(t *testing.T) {
	for _, c := range []struct {
		name  string
		extra m
		key   string
		state policy.State
	}{
		{name: "google-managed", state: policy.Absent},
		{name: "cmek", extra: m{"encryptionKeyName": "projects/p/locations/l/keyRings/r/cryptoKeys/k"},
			key: "projects/p/locations/l/keyRings/r/cryptoKeys/k", state: policy.Known},
		{name: "cmek not known until update", extra: m{"encryptionKeyName": fixture.Unknown},
			key: "(a Cloud KMS key, known at update)", state: policy.Known},
		{name: "malformed", extra: m{"encryptionKeyName": 7}, state: policy.Invalid},
	} {
		for _, mode := range fixture.Modes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				db, ok := gcp.Adapter{}.Database(fixture.Build(t, mode, instance(nil, c.extra))[0])
				if !ok {
					t.Fatal("not read as a database")
				}
				s := db.Storage
				if !s.Enabled.Value || !s.KeyApplies || s.Key.Path != "encryptionKeyName" || s.Key.Value != c.key ||
					s.Key.State != c.state || !strings.Contains(db.CA, "serverCaCerts") {
					t.Errorf("got %+v, CA %q", s, db.CA)
				}
			})
		}
	}
	if _, ok := (gcp.Adapter{}).Database(fixture.Build(t, fixture.Update, fixture.R(gcp.TypeSQLUser, "u", m{}))[0]); ok {
		t.Error("a user is not a database")
	}
}

func TestDatabaseTLSAndReach(t *testing.T) {
	for _, c := range []struct {
		name    string
		ip      m
		what    string // the TLS setting's What; "" for none
		tlsGap  bool
		private bool
		ranges  int
		gaps    int // reach gaps
	}{
		{name: "defaults", what: "sslMode is not set"},
		{name: "encrypted only, private ip", ip: m{"sslMode": "ENCRYPTED_ONLY", "ipv4Enabled": false,
			"privateNetwork": "projects/p/global/networks/n"}, private: true},
		{name: "legacy requireSsl", ip: m{"requireSsl": true, "authorizedNetworks": []any{m{"value": "10.0.0.0/8"},
			m{"value": "0.0.0.0/0"}}}, ranges: 2},
		{name: "allow unencrypted", ip: m{"sslMode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED", "ipv4Enabled": true},
			what: `sslMode is "ALLOW_UNENCRYPTED_AND_ENCRYPTED"`},
		{name: "not known until update", ip: m{"sslMode": fixture.Unknown, "ipv4Enabled": fixture.Unknown},
			tlsGap: true, gaps: 1},
		{name: "authorized network not known", ip: m{"sslMode": "ENCRYPTED_ONLY",
			"authorizedNetworks": []any{m{"value": fixture.Unknown}}}, ranges: 1},
	} {
		for _, mode := range fixture.Modes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				g := graph.New(fixture.Build(t, mode, instance(c.ip, nil)))
				dbs := gcp.Adapter{}.DatabaseTLS(g)
				if len(dbs) != 1 {
					t.Fatalf("%d databases", len(dbs))
				}
				what, gap := "", false
				for _, s := range dbs[0].Settings {
					what += s.What
					gap = gap || s.Gap != nil
				}
				if !strings.Contains(what, c.what) || (c.what == "") != (what == "") || gap != c.tlsGap {
					t.Errorf("TLS: what %q, gap %v", what, gap)
				}
				reach := gcp.Adapter{}.DatabaseReach(g)
				if len(reach) != 1 {
					t.Fatalf("%d reaches", len(reach))
				}
				r := reach[0]
				if (r.Private != "") != c.private || len(r.Ranges) != c.ranges || len(r.Gaps) != c.gaps {
					t.Errorf("reach: private %q, %d ranges, %d gaps", r.Private, len(r.Ranges), len(r.Gaps))
				}
			})
		}
	}
}
