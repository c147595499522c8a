package azure_test

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/azure"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

func acct(typ string, in m) *fixture.Res {
	return fixture.R(typ, "pulumi", in).Output("name", "pulumiab12cd34")
}

func container(level any) *fixture.Res {
	in := m{"resourceGroupName": "rg", "accountName": fixture.OutputOf("pulumi", "name")}
	if level != nil {
		in["publicAccess"] = level
	}
	return fixture.R(azure.TypeBlobContainer, "checkpoints", in)
}

// TestStorageAccountStore checks the account's store: always encrypted, the
// key, infrastructure encryption and the anonymous-access switch.
func TestStorageAccountStore(t *testing.T) {
	cases := []struct {
		name                  string
		in                    m
		customer, open, block bool
		blockState            policy.State
	}{
		{name: "nothing set", in: m{}, blockState: policy.Absent},
		{name: "key vault key", in: m{"encryption": m{"keySource": "Microsoft.Keyvault",
			"keyVaultProperties": m{"keyVaultUri": "https://kv.vault.azure.net", "keyName": "storage"}}},
			customer: true, blockState: policy.Absent},
		{name: "key vault named without a key", in: m{"encryption": m{"keySource": "microsoft.keyvault"}},
			blockState: policy.Absent},
		{name: "anonymous allowed", in: m{"allowBlobPublicAccess": true}, open: true, blockState: policy.Known},
		{name: "anonymous refused", in: m{"allowBlobPublicAccess": false}, block: true, blockState: policy.Known},
		{name: "switch not known", in: m{"allowBlobPublicAccess": fixture.Unknown}, blockState: policy.Unknown},
		{name: "switch malformed", in: m{"allowBlobPublicAccess": "no"}, blockState: policy.Invalid},
	}
	for _, c := range cases {
		for _, mode := range fixture.Modes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				g := graph.New(fixture.Build(t, mode, acct(azure.TypeStorageAccount, c.in)))
				stores := azure.Adapter{}.ObjectStores(g)
				if len(stores) != 1 || stores[0].Always == nil {
					t.Fatalf("got %+v, want one always-encrypted store", stores)
				}
				s := stores[0]
				if s.Always.CustomerKey.Value != c.customer || s.Access.Open != c.open ||
					s.Access.Blocks.Value != c.block || s.Access.Blocks.State != c.blockState {
					t.Errorf("customer %v open %v blocks %v/%v; want %v %v %v/%v", s.Always.CustomerKey.Value,
						s.Access.Open, s.Access.Blocks.Value, s.Access.Blocks.State, c.customer, c.open, c.block, c.blockState)
				}
			})
		}
	}
}

// TestContainerGrants checks the join of containers to their account (by
// name in update, by dependency in preview) and which levels are public.
func TestContainerGrants(t *testing.T) {
	cases := []struct {
		name    string
		level   any
		grants  int
		public  bool
		blocked bool
	}{
		{name: "private by default", level: nil},
		{name: "None", level: "None"},
		{name: "Blob", level: "Blob", grants: 1, public: true, blocked: true},
		{name: "Container", level: "Container", grants: 1, public: true, blocked: true},
		{name: "not known", level: fixture.Unknown, grants: 1, blocked: true},
	}
	for _, c := range cases {
		for _, mode := range fixture.Modes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				rs := []*fixture.Res{acct(azure.TypeStorageAccount, m{"allowBlobPublicAccess": false}), container(c.level)}
				g := graph.New(fixture.Build(t, mode, rs...))
				gs := azure.Adapter{}.AnonymousGrants(g)
				if len(gs) != c.grants {
					t.Fatalf("got %d grants, want %d", len(gs), c.grants)
				}
				if c.grants == 0 {
					return
				}
				gr := gs[0]
				if gr.Public != c.public || gr.Store == nil || gr.Store.Name != "pulumi" || model.True(gr.Blocked) != c.blocked {
					t.Errorf("grant public %v store %v blocked %v; want %v pulumi %v", gr.Public, gr.Store,
						model.True(gr.Blocked), c.public, c.blocked)
				}
			})
		}
	}
}

// TestStoreTransportDefaults checks the defaults per API version.
func TestStoreTransportDefaults(t *testing.T) {
	cases := []struct {
		typ          string
		httpsDefault bool
		version      string
	}{
		{azure.TypeStorageAccount, true, "2024-01-01 in azure-native v3"},
		{"azure-native:storage/v20230101:StorageAccount", true, "API version 2023-01-01"},
		{"azure-native:storage/v20220901:StorageAccount", true, "API version 2022-09-01"},
	}
	for _, c := range cases {
		t.Run(c.typ, func(t *testing.T) {
			g := graph.New(fixture.Build(t, fixture.Update, fixture.R(c.typ, "pulumi", m{})))
			tr, ok := azure.Adapter{}.StoreTransport(g.Resources()[0])
			if !ok || tr.HTTPSDefault != c.httpsDefault || !contains(tr.MinTLSDefaultWhy, c.version) {
				t.Errorf("got %v %+v; want https default %v, TLS default naming %q", ok, tr, c.httpsDefault, c.version)
			}
		})
	}
	g := graph.New(fixture.Build(t, fixture.Update, acct(azure.TypeStorageAccount, m{}), container(nil)))
	if _, ok := (azure.Adapter{}).StoreTransport(g.Resources()[1]); ok {
		t.Error("a blob container has no transport settings of its own")
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
