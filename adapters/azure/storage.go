package azure

import (
	"fmt"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Storage type tokens. azure-native v2 and v3 share the default-version
// tokens (API version 2022-09-01 in v2, 2024-01-01 in v3). v2 also shipped
// modules pinned to an API version (@pulumi/azure-native/storage/v20230101),
// whose resources carry that version in their token
// (azure-native:storage/v20230101:StorageAccount); they are matched too, and
// judged with that version's defaults. v3 dropped those modules (a pinned
// version is a local package there), so only v2's are listed.
const (
	TypeStorageAccount = "azure-native:storage:StorageAccount"
	TypeBlobContainer  = "azure-native:storage:BlobContainer"
)

// storageAPIVersions are the storage API versions azure-native v2 (2.92.3)
// ships a module of.
var storageAPIVersions = []string{"v20220901", "v20230101", "v20230401", "v20230501", "v20240101"}

var (
	accountTypes   = versioned("StorageAccount")
	containerTypes = versioned("BlobContainer")
	storageTypes   = append(append([]string(nil), accountTypes...), containerTypes...)
	storageNames   = names(accountTypes, "accountName")
	pAccountName   = props.MustPath("accountName")
)

// versioned is the default token of a storage resource and its explicit
// API-version tokens.
func versioned(kind string) []string {
	out := []string{"azure-native:storage:" + kind}
	for _, v := range storageAPIVersions {
		out = append(out, "azure-native:storage/"+v+":"+kind)
	}
	return out
}

func names(types []string, fields ...string) map[string][]string {
	out := map[string][]string{}
	for _, t := range types {
		out[t] = fields
	}
	return out
}

// apiVersion is the API version a token pins ("2023-01-01"), or "" for the
// default token, whose version depends on the SDK's major version.
func apiVersion(token string) string {
	mod, _, _ := strings.Cut(strings.TrimPrefix(token, "azure-native:storage/"), ":")
	if mod == token || !strings.HasPrefix(mod, "v") || len(mod) < 9 {
		return ""
	}
	d := mod[1:9]
	return d[0:4] + "-" + d[4:6] + "-" + d[6:8] + mod[9:]
}

// defaultVersion words the API version an unset property is read under.
func defaultVersion(token string) string {
	if v := apiVersion(token); v != "" {
		return "API version " + v
	}
	return "the default API version (2024-01-01 in azure-native v3, 2022-09-01 in v2)"
}

var azureWords = model.StoreWords{
	Store:      "storage account",
	Platform:   "Microsoft-managed keys",
	KMS:        "a customer-managed key in Azure Key Vault",
	KMSFix:     "Set encryption.keySource to \"Microsoft.Keyvault\" and encryption.keyVaultProperties (keyVaultUri, keyName) to a Key Vault key the account's identity can use.",
	Layered:    "infrastructure encryption (a second layer of encryption at rest)",
	LayeredFix: "Set encryption.requireInfrastructureEncryption to true. It can only be set when the account is created: create a new account and move the data to it.",
	Anonymous: "allowBlobPublicAccess is true, so any container that sets publicAccess Blob or Container is readable " +
		"by anonymous clients",
	BlockFix:    "Set allowBlobPublicAccess to false on the storage account.",
	BlockSwitch: "allowBlobPublicAccess false",
	BlockDefault: "allowBlobPublicAccess is not set: API version 2024-01-01 (azure-native v3's default) reads that " +
		"as false, 2022-09-01 (v2's) as true, and Azure has created new accounts with it false since late 2023; " +
		"an account created before keeps what it had",
	FirewallFix: "Set networkRuleSet.defaultAction to \"Deny\" and list the networks that may reach the account " +
		"(virtualNetworkRules, ipRules), or publicNetworkAccess to \"Disabled\" with a private endpoint.",
}

// ObjectStores returns the stack's storage accounts. Azure Storage
// encrypts every account at rest; the account's settings decide the key,
// infrastructure encryption and anonymous access.
func (Adapter) ObjectStores(g *graph.Graph) []model.ObjectStore {
	accounts := g.OfType(accountTypes...)
	out := make([]model.ObjectStore, 0, len(accounts))
	for _, a := range accounts {
		out = append(out, account(a))
	}
	return out
}

func account(a *graph.Resource) model.ObjectStore {
	return a.Memo(memoAccount, func() any {
		key, what := customerKey(a)
		layered := model.Bool(a, "encryption.requireInfrastructureEncryption")
		allow := model.Bool(a, "allowBlobPublicAccess")
		fw, fwWhat := firewall(a)
		return model.ObjectStore{
			Res:    a,
			Words:  azureWords,
			Always: &model.AlwaysEncrypted{CustomerKey: key, KeyWhat: what, Layered: &layered},
			Access: model.StoreAccess{
				Applies:  true,
				Blocks:   model.Map(allow, func(v bool) bool { return allow.Known() && !v }),
				Open:     model.True(allow),
				Firewall: fw, FirewallWhat: fwWhat,
			},
		}
	}).(model.ObjectStore)
}

const memoAccount memoKey = "azure.account"

// customerKey reads whether the account names a Key Vault key, and words
// what encrypts it when it does not.
func customerKey(a *graph.Resource) (model.Field[bool], string) {
	rd := policy.Probe(a)
	src, st := rd.String("encryption.keySource")
	field := func(v bool) model.Field[bool] {
		return model.Of(v, st, a, "encryption.keySource").WithNotes(rd.Taken())
	}
	switch {
	case st == policy.Absent:
		return field(false), "encryption.keySource is not set, so Microsoft-managed keys (Microsoft.Storage) encrypt the account"
	case st != policy.Known:
		return field(false), ""
	case !strings.EqualFold(src, "Microsoft.Keyvault"):
		return field(false), fmt.Sprintf("encryption.keySource is %s, so Microsoft-managed keys encrypt the account",
			model.Quote(model.String(a, "encryption.keySource")))
	}
	if !rd.IsSet("encryption.keyVaultProperties.keyVaultUri") || !rd.IsSet("encryption.keyVaultProperties.keyName") {
		return field(false), fmt.Sprintf("encryption.keySource is %s but encryption.keyVaultProperties does not name "+
			"a key (keyVaultUri and keyName)", model.Quote(model.String(a, "encryption.keySource")))
	}
	return field(true), ""
}

// AnonymousGrants returns the blob containers' access levels, each with its
// account's allowBlobPublicAccess, joined by the container's accountName (by
// value, or in preview by property dependency).
func (Adapter) AnonymousGrants(g *graph.Graph) []model.Grant {
	containers := g.OfType(containerTypes...)
	if len(containers) == 0 {
		return nil
	}
	g.IndexNames(storageNames)
	var out []model.Grant
	for _, c := range containers {
		level := model.String(c, "publicAccess")
		gr := model.Grant{
			Who:    level,
			Public: level.Known() && !strings.EqualFold(level.Value, "None"),
			What:   fmt.Sprintf("publicAccess is %s, so anonymous clients can read its blobs", model.Quote(level)),
			Fix:    "Set publicAccess to \"None\" (or remove it) on the container, and allowBlobPublicAccess to false on its storage account.",
		}
		if strings.EqualFold(level.Value, "Container") {
			gr.What = fmt.Sprintf("publicAccess is %s, so anonymous clients can list and read its blobs", model.Quote(level))
		}
		for _, ref := range g.Refs(c, pAccountName, accountTypes...) {
			if ref.Target != nil {
				gr.Store = ref.Target
				gr.Blocked = account(ref.Target).Access.Blocks
				gr.Unset = azureWords.BlockDefault
				break
			}
		}
		if gr.Public || level.Undecided() {
			out = append(out, gr)
		}
	}
	return out
}

// StoreTransport reads a storage account's HTTPS-only and minimum TLS
// settings, with the defaults of its API version.
func (Adapter) StoreTransport(r *graph.Resource) (model.StoreTransport, bool) {
	if !isAccount(r.Type) {
		return model.StoreTransport{}, false
	}
	// Every storage API version azure-native v2 and v3 use is 2019-04-01 or
	// later, where an unset enableHttpsTrafficOnly means true.
	httpsWhy := "enableHttpsTrafficOnly is not set, and " + defaultVersion(r.Type) + " defaults it to true " +
		"(the default since API version 2019-04-01)"
	tls := model.String(r, "minimumTlsVersion")
	return model.StoreTransport{
		Res:             r,
		HTTPSOnly:       model.Bool(r, "enableHttpsTrafficOnly"),
		HTTPSDefault:    true,
		HTTPSDefaultWhy: httpsWhy,
		MinTLS:          tls,
		MinTLSOK:        tls.Value == "TLS1_2" || tls.Value == "TLS1_3",
		MinTLSDefaultWhy: "minimumTlsVersion is not set, and " + defaultVersion(r.Type) + " reads that as TLS 1.0 " +
			"(Microsoft is retiring TLS 1.0 and 1.1 on Azure Storage, but the account's own setting still admits them)",
		TLS12: "TLS1_2",
	}, true
}

// StoreTransportTypes are the storage account tokens.
func (Adapter) StoreTransportTypes() []string { return accountTypes }

func isAccount(t string) bool {
	for _, a := range accountTypes {
		if a == t {
			return true
		}
	}
	return false
}

// firewall reads whether the account refuses networks it does not list.
func firewall(a *graph.Resource) (model.Field[bool], string) {
	pna := model.String(a, "publicNetworkAccess")
	switch {
	case pna.Known() && strings.EqualFold(pna.Value, "Disabled"):
		return model.Map(pna, func(string) bool { return true }), ""
	case pna.Undecided():
		return model.Map(pna, func(string) bool { return false }), ""
	}
	act := model.String(a, "networkRuleSet.defaultAction")
	f := model.Map(act, func(v string) bool { return strings.EqualFold(v, "Deny") })
	switch {
	case act.Absent():
		return f, "networkRuleSet is not set, so the account accepts requests from any network (defaultAction Allow)"
	case act.Known() && !f.Value:
		return f, fmt.Sprintf("networkRuleSet.defaultAction is %s, so the account accepts requests from any network",
			model.Quote(act))
	}
	return f, ""
}
