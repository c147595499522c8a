package azure

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Azure Database for MySQL flexible server, as azure-native v2 (API version
// 2022-01-01) and v3 (2024-02-01-preview) register it: both use the same
// tokens and the same shape for what the guide asks about, except that
// network.publicNetworkAccess is an input only from v3's API version on
// (v2 programs cannot set it; absent, it is read as Azure's default). The
// tokens with an explicit API version (azure-native:dbformysql/v20231230:...,
// from `pulumi package add azure-native dbformysql <version>`) are not read:
// their shapes differ by version, and v1's azure-native:dbformysql:Server
// was the retired single server.
const (
	TypeMySQLServer        = "azure-native:dbformysql:Server"
	TypeMySQLConfiguration = "azure-native:dbformysql:Configuration"
	TypeMySQLFirewallRule  = "azure-native:dbformysql:FirewallRule"
)

// databaseTypes are the database tokens; databaseNames their physical name
// outputs (a server's name is its serverName input, and its name output).
var (
	databaseTypes = []string{TypeMySQLServer, TypeMySQLConfiguration, TypeMySQLFirewallRule}
	databaseNames = map[string][]string{TypeMySQLServer: {"serverName"}}
)

var pServerName = props.MustPath("serverName")

// databasePlacements are the databases as database-tier members: none.
// Azure subnets have no public or private kind to judge (no subnet routes
// to an internet gateway the way an AWS public subnet does), and a server
// with private access in a delegated subnet has no public endpoint at all:
// rds-not-publicly-accessible judges that, through DatabaseReach.
func databasePlacements(*graph.Graph) []model.Placement { return nil }

// DatabaseTypes are the types read as databases: flexible servers.
func (Adapter) DatabaseTypes() []string { return []string{TypeMySQLServer} }

type databaseKey struct{}

// Database reads a flexible server's encryption at rest (once per
// resource).
func (Adapter) Database(r *graph.Resource) (model.Database, bool) {
	if r.Type != TypeMySQLServer {
		return model.Database{}, false
	}
	return r.Memo(databaseKey{}, func() any { return database(r) }).(model.Database), true
}

// caBundle is the CA a client verifies a flexible server's certificate
// with (Microsoft's "Connect with encrypted connections" page for flexible
// server: the DigiCert Global Root G2 and Microsoft RSA Root Certificate
// Authority 2017 certificates, combined in one PEM file).
const caBundle = "a PEM bundle of DigiCert Global Root G2 and Microsoft RSA Root Certificate Authority 2017 " +
	"(the CAs of Azure Database for MySQL flexible server's certificates)"

// database reads storage encryption: always on, with service-managed keys
// unless dataEncryption names a Key Vault key.
func database(r *graph.Resource) model.Database {
	rd := policy.Probe(r)
	s := model.StorageEncryption{
		KeyApplies: true,
		DefaultKey: "a service-managed key (dataEncryption.type SystemManaged, Azure's default)",
		KeyFix: "Set dataEncryption to {type: \"AzureKeyVault\", primaryKeyURI: <Key Vault key URI>, " +
			"primaryUserAssignedIdentityId: <a user-assigned identity with get, wrapKey and unwrapKey on the key>} " +
			"and identity to {type: \"UserAssigned\", userAssignedIdentities: [<that identity>]}.",
	}
	// Storage, backups and logs are always encrypted (AES 256, service-managed keys).
	s.Enabled = model.Of(true, policy.Known, r, "dataEncryption")
	typ, st := rd.String("dataEncryption.type")
	switch {
	case st == policy.Absent:
		s.Key = model.Of("", policy.Known, r, "dataEncryption")
	case st != policy.Known:
		s.Key = model.Of("", st, r, "dataEncryption.type")
	case typ == "AzureKeyVault":
		s.Key = model.String(r, "dataEncryption.primaryKeyURI")
		if s.Key.State == policy.Unknown {
			// Any key named here is a customer's Key Vault key: no need to wait.
			s.Key = model.Of("(a Key Vault key, known at update)", policy.Known, r, "dataEncryption.primaryKeyURI")
		}
	case typ == "SystemManaged":
		s.Key = model.Of("", policy.Known, r, "dataEncryption.primaryKeyURI")
	default:
		rd.NoteInvalidFix("dataEncryption.type is not AzureKeyVault or SystemManaged",
			"set dataEncryption.type to \"AzureKeyVault\" or \"SystemManaged\"")
		s.Key = model.Of("", policy.Invalid, r, "dataEncryption.type")
	}
	if gap, ok := model.GapOf(rd); ok {
		s.Gaps = []model.Gap{gap}
	}
	return model.Database{Res: r, Storage: s, CA: caBundle}
}

// SecretInputs are the inputs of the database types that hold a password:
// azure-native does not mark administratorLoginPassword secret itself.
func (Adapter) SecretInputs() map[string][]string {
	return map[string][]string{TypeMySQLServer: {"administratorLoginPassword"}}
}

// serverOf is the in-stack flexible server a configuration or firewall rule
// names in serverName, or nil; ref is the reference (for messages).
func serverOf(g *graph.Graph, r *graph.Resource) (*graph.Resource, []graph.Ref) {
	refs := g.Refs(r, pServerName, TypeMySQLServer)
	for _, ref := range refs {
		if ref.Target != nil {
			return ref.Target, refs
		}
	}
	return nil, refs
}
