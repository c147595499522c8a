package policies

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/azure"
	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/gcp"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
)

// Azure Database for MySQL flexible server and Cloud SQL, judged by the
// database policies (issues 19 and 20). Shapes are those @pulumi/azure-native
// v3 and @pulumi/gcp v9 send.

const (
	tMySQLServer   = azure.TypeMySQLServer
	tMySQLConfig   = azure.TypeMySQLConfiguration
	tMySQLFirewall = azure.TypeMySQLFirewallRule
	tSQLInstance   = gcp.TypeSQLInstance
	tSQLUser       = gcp.TypeSQLUser
)

// mysqlServer is a flexible server named "mysql"; extra is merged into its
// inputs (a nil value deletes).
func mysqlServer(extra m) *fixture.Res {
	in := with(m{"resourceGroupName": "rg", "administratorLogin": "pulumiadmin",
		"administratorLoginPassword": fixture.Secret("s3cr3t-Pa55"), "version": "8.0.21",
		"sku": m{"name": "Standard_D2ads_v5", "tier": "GeneralPurpose"}, "storage": m{"storageSizeGB": 50}}, extra)
	return fixture.R(tMySQLServer, "mysql", in).Output("name", "pulumi-mysql")
}

// mysqlParam is a server parameter of server "mysql".
func mysqlParam(name string, param, value any) *fixture.Res {
	in := m{"resourceGroupName": "rg", "serverName": fixture.OutputOf("mysql", "name"), "source": "user-override"}
	if param != nil {
		in["configurationName"] = param
	}
	if value != nil {
		in["value"] = value
	}
	return fixture.R(tMySQLConfig, name, in)
}

// mysqlFirewall is a firewall rule of server "mysql".
func mysqlFirewall(name string, start, end any) *fixture.Res {
	return fixture.R(tMySQLFirewall, name, m{"resourceGroupName": "rg", "serverName": fixture.OutputOf("mysql", "name"),
		"startIpAddress": start, "endIpAddress": end})
}

// sqlInstance is a Cloud SQL instance named "sql" with ipConfiguration ip.
func sqlInstance(ip m, extra m) *fixture.Res {
	settings := m{"tier": "db-custom-2-7680"}
	if ip != nil {
		settings["ipConfiguration"] = ip
	}
	return fixture.R(tSQLInstance, "sql", with(m{"databaseVersion": "MYSQL_8_0", "region": "us-central1",
		"settings": settings, "deletionProtection": true}, extra))
}

func TestDatabaseRequiresTLSAzureGCP(t *testing.T) {
	offFix := "az mysql flexible-server parameter set --name require_secure_transport --value ON"
	runCases(t, DatabaseRequiresTLS, []caseT{
		{name: "azure default", target: "mysql", rs: []*fixture.Res{mysqlServer(nil)}},
		{name: "azure on", target: "tls", rs: []*fixture.Res{mysqlServer(nil),
			mysqlParam("tls", "require_secure_transport", "ON")}},
		{name: "azure other parameter", target: "cfg", rs: []*fixture.Res{mysqlServer(nil),
			mysqlParam("cfg", "log_bin_trust_function_creators", "ON")}},
		{name: "azure tls 1.2 and 1.3", target: "tls", rs: []*fixture.Res{mysqlServer(nil),
			mysqlParam("tls", "tls_version", "TLSv1.2,TLSv1.3")}},
		{name: "azure reset to the default", target: "tls", rs: []*fixture.Res{mysqlServer(nil),
			func() *fixture.Res {
				r := mysqlParam("tls", "require_secure_transport", "OFF")
				r.Inputs["source"] = "system-default"
				return r
			}()}},
		{name: "azure off", target: "tls", rs: []*fixture.Res{mysqlServer(nil),
			mysqlParam("tls", "require_secure_transport", "OFF")},
			both: []fixture.Want{violation(`configurationName "require_secure_transport" sets value to "OFF"`,
				`flexible server "mysql" accepts connections without TLS`, offFix)}},
		{name: "azure off by name, server outside the stack", target: "tls", rs: []*fixture.Res{
			fixture.R(tMySQLConfig, "tls", m{"resourceGroupName": "rg", "serverName": "prod-mysql",
				"name": "require_secure_transport", "value": "0"})},
			both: []fixture.Want{violation(`name "require_secure_transport" sets value to "0"`,
				"flexible server prod-mysql (serverName, not in the stack)")}},
		{name: "azure old tls", target: "tls", rs: []*fixture.Res{mysqlServer(m{"version": "5.7"}),
			mysqlParam("tls", "tls_version", "TLSv1,TLSv1.1,TLSv1.2")},
			both: []fixture.Want{violation("accepts TLSv1, TLSv1.1, not only TLS 1.2 or 1.3",
				"--name tls_version --value TLSv1.2")}},
		{name: "azure value not known until update", target: "tls", rs: []*fixture.Res{mysqlServer(nil),
			mysqlParam("tls", "require_secure_transport", fixture.Unknown)},
			both: []fixture.Want{advisory("value is not known until update")}},
		{name: "azure parameter name not known until update", target: "tls", rs: []*fixture.Res{mysqlServer(nil),
			mysqlParam("tls", fixture.Unknown, "OFF")},
			both: []fixture.Want{advisory("configurationName is not known until update")}},
		{name: "azure malformed value", target: "tls", rs: []*fixture.Res{mysqlServer(nil),
			mysqlParam("tls", "require_secure_transport", 0)},
			both: []fixture.Want{advisory("value")}},
		{name: "azure secret value not quoted", target: "tls", rs: []*fixture.Res{mysqlServer(nil),
			mysqlParam("tls", "tls_version", fixture.Secret("TLSv1.1"))},
			both: []fixture.Want{violation("sets value to [secret]", "accepts older versions")}},

		{name: "azure-native v1 single server shape", target: "mysql", rs: []*fixture.Res{fixture.R(tMySQLServer, "mysql",
			m{"resourceGroupName": "rg", "properties": m{"createMode": "Default", "sslEnforcement": "Disabled",
				"minimalTlsVersion": "TLSEnforcementDisabled", "version": "8.0"}})},
			both: []fixture.Want{advisory("azure-native v1's single server", "properties.sslEnforcement")}},

		{name: "gcp encrypted only", target: "sql", rs: []*fixture.Res{sqlInstance(m{"sslMode": "ENCRYPTED_ONLY"}, nil)}},
		{name: "gcp client certificates", target: "sql", rs: []*fixture.Res{
			sqlInstance(m{"sslMode": "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"}, nil)}},
		{name: "gcp legacy requireSsl", target: "sql", rs: []*fixture.Res{sqlInstance(m{"requireSsl": true}, nil)}},
		{name: "gcp allows unencrypted", target: "sql", rs: []*fixture.Res{
			sqlInstance(m{"sslMode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED"}, nil)},
			both: []fixture.Want{violation(`settings.ipConfiguration.sslMode is "ALLOW_UNENCRYPTED_AND_ENCRYPTED"`,
				"gcloud sql instances patch <instance> --ssl-mode=ENCRYPTED_ONLY")}},
		{name: "gcp sslMode not set", target: "sql", rs: []*fixture.Res{sqlInstance(nil, nil)},
			both: []fixture.Want{violation("settings.ipConfiguration.sslMode is not set",
				"default, ALLOW_UNENCRYPTED_AND_ENCRYPTED")}},
		{name: "gcp legacy requireSsl false", target: "sql", rs: []*fixture.Res{sqlInstance(m{"requireSsl": false}, nil)},
			both: []fixture.Want{violation("settings.ipConfiguration.requireSsl is false")}},
		{name: "gcp sslMode not known until update", target: "sql", rs: []*fixture.Res{
			sqlInstance(m{"sslMode": fixture.Unknown}, nil)},
			both: []fixture.Want{advisory("settings.ipConfiguration.sslMode is not known until update")}},
		{name: "gcp malformed settings", target: "sql", rs: []*fixture.Res{
			fixture.R(tSQLInstance, "sql", m{"databaseVersion": "MYSQL_8_0", "settings": "db-f1-micro"})},
			both: []fixture.Want{advisory("settings")}},
	})
}

func TestDatabaseReachAzureGCP(t *testing.T) {
	private := m{"network": m{"delegatedSubnetResourceId": fixture.ID("subnet")}}
	subnet := fixture.R("azure-native:network:Subnet", "subnet", m{"resourceGroupName": "rg"})
	runCases(t, RDSNotPubliclyAccessible, []caseT{
		{name: "azure private access", target: "mysql", rs: []*fixture.Res{subnet, mysqlServer(private)}},
		{name: "azure public access disabled", target: "mysql", rs: []*fixture.Res{
			mysqlServer(m{"network": m{"publicNetworkAccess": "Disabled"}})}},
		{name: "azure narrow rule", target: "office", rs: []*fixture.Res{mysqlServer(nil),
			mysqlFirewall("office", "203.0.113.0", "203.0.113.255")}},
		{name: "azure public access, no rules", target: "mysql", rs: []*fixture.Res{mysqlServer(nil)}},
		{name: "azure whole internet", target: "all", rs: []*fixture.Res{mysqlServer(nil),
			mysqlFirewall("all", "0.0.0.0", "255.255.255.255")},
			both: []fixture.Want{violation("0.0.0.0-255.255.255.255 (startIpAddress to endIpAddress) admits all of IPv4",
				`network.publicNetworkAccess is not set and no delegated subnet is, so Azure gives flexible server "mysql" public access`,
				"network.delegatedSubnetResourceId")}},
		{name: "azure allow azure services", target: "azure", rs: []*fixture.Res{
			mysqlServer(m{"network": m{"publicNetworkAccess": "Enabled"}}), mysqlFirewall("azure", "0.0.0.0", "0.0.0.0")},
			both: []fixture.Want{violation(`"allow public access from any Azure service" rule`, `flexible server "mysql"`)}},
		{name: "azure two halves", target: "mysql", rs: []*fixture.Res{mysqlServer(nil),
			mysqlFirewall("low", "0.0.0.0", "127.255.255.255"), mysqlFirewall("high", "128.0.0.0", "255.255.255.255")},
			both: []fixture.Want{violation("together admit all of IPv4", `of azure-native:dbformysql:FirewallRule "low"`)}},
		{name: "azure rule of a server outside the stack", target: "all", rs: []*fixture.Res{
			fixture.R(tMySQLFirewall, "all", m{"resourceGroupName": "rg", "serverName": "prod-mysql",
				"startIpAddress": "0.0.0.0", "endIpAddress": "255.255.255.255"})},
			both: []fixture.Want{violation("admits all of IPv4", "flexible server prod-mysql (serverName, not in the stack)")}},
		{name: "azure secret range and server name not quoted", target: "all", rs: []*fixture.Res{
			fixture.R(tMySQLFirewall, "all", m{"resourceGroupName": "rg", "serverName": fixture.Secret("secret-server-9"),
				"startIpAddress": "0.0.0.0", "endIpAddress": fixture.Secret("255.255.255.255")})},
			both: []fixture.Want{violation("[secret range] (startIpAddress to endIpAddress) admits all of IPv4",
				"its flexible server (serverName, a secret)")}},
		{name: "gcp secret authorized network not quoted", target: "sql", rs: []*fixture.Res{sqlInstance(m{
			"authorizedNetworks": l{m{"value": fixture.Secret("0.0.0.0/0")}}}, nil)},
			both: []fixture.Want{violation("[secret] (settings.ipConfiguration.authorizedNetworks[0].value) admits all of IPv4")}},
		{name: "azure private access wins", target: "mysql", rs: []*fixture.Res{subnet, mysqlServer(private),
			mysqlFirewall("all", "0.0.0.0", "255.255.255.255")}},
		{name: "azure public access not known until update", target: "mysql", rs: []*fixture.Res{
			mysqlServer(m{"network": m{"publicNetworkAccess": fixture.Unknown}}), mysqlFirewall("all", "0.0.0.0", "255.255.255.255")},
			both: []fixture.Want{advisory("network.publicNetworkAccess is not known until update")}},
		{name: "azure rule not known until update", target: "all", rs: []*fixture.Res{mysqlServer(nil),
			mysqlFirewall("all", "0.0.0.0", fixture.Unknown)},
			both: []fixture.Want{advisory("endIpAddress is not known until update")}},
		{name: "azure malformed address", target: "all", rs: []*fixture.Res{mysqlServer(nil),
			mysqlFirewall("all", "0.0.0.0", "everyone")},
			both: []fixture.Want{advisory("endIpAddress is not an IPv4 address")}},
		{name: "azure malformed access", target: "mysql", rs: []*fixture.Res{
			mysqlServer(m{"network": m{"publicNetworkAccess": "Sometimes"}})},
			both: []fixture.Want{advisory("network.publicNetworkAccess is neither Enabled nor Disabled")}},

		{name: "gcp private ip", target: "sql", rs: []*fixture.Res{sqlInstance(m{"ipv4Enabled": false,
			"privateNetwork": "projects/p/global/networks/vpc", "authorizedNetworks": l{m{"value": "0.0.0.0/0"}}}, nil)}},
		{name: "gcp private authorized networks", target: "sql", rs: []*fixture.Res{sqlInstance(m{
			"authorizedNetworks": l{m{"name": "gke", "value": "10.0.0.0/8"}}}, nil)}},
		{name: "gcp public ip, none authorized", target: "sql", rs: []*fixture.Res{sqlInstance(nil, nil)}},
		{name: "gcp whole internet", target: "sql", rs: []*fixture.Res{sqlInstance(m{"ipv4Enabled": true,
			"authorizedNetworks": l{m{"name": "all", "value": "0.0.0.0/0"}}}, nil)},
			both: []fixture.Want{violation(`"0.0.0.0/0" (settings.ipConfiguration.authorizedNetworks[0].value) admits all of IPv4`,
				`settings.ipConfiguration.ipv4Enabled is true, so Cloud SQL instance "sql" has a public IP`,
				"ipv4Enabled to false and privateNetwork")}},
		{name: "gcp two halves, public ip by default", target: "sql", rs: []*fixture.Res{sqlInstance(m{
			"authorizedNetworks": l{m{"value": "0.0.0.0/1"}, m{"value": "128.0.0.0/1"}}}, nil)},
			both: []fixture.Want{violation("together admit all of IPv4", "ipv4Enabled is not set")}},
		{name: "gcp ipv4Enabled not known until update", target: "sql", rs: []*fixture.Res{sqlInstance(m{
			"ipv4Enabled": fixture.Unknown, "authorizedNetworks": l{m{"value": "0.0.0.0/0"}}}, nil)},
			both: []fixture.Want{advisory("settings.ipConfiguration.ipv4Enabled is not known until update")}},
		{name: "gcp authorized network not known until update", target: "sql", rs: []*fixture.Res{sqlInstance(m{
			"authorizedNetworks": l{m{"value": fixture.Unknown}}}, nil)},
			both: []fixture.Want{advisory("authorizedNetworks[0].value is not known until update")}},
		{name: "gcp malformed authorized network", target: "sql", rs: []*fixture.Res{sqlInstance(m{
			"authorizedNetworks": l{m{"value": "the internet"}}}, nil)},
			both: []fixture.Want{advisory("authorizedNetworks[0].value is not an IPv4 CIDR block")}},
		{name: "gcp malformed ipv4Enabled", target: "sql", rs: []*fixture.Res{sqlInstance(m{"ipv4Enabled": "yes"}, nil)},
			both: []fixture.Want{advisory("ipv4Enabled")}},
	})
}

func TestStorageEncryptedAzureGCP(t *testing.T) {
	cmk := map[string]any{"requireCustomerManagedKey": true}
	kv := m{"dataEncryption": m{"type": "AzureKeyVault", "primaryKeyURI": "https://kv.vault.azure.net/keys/mysql/abc",
		"primaryUserAssignedIdentityId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id"}}
	runCases(t, RDSStorageEncrypted, []caseT{
		{name: "azure always encrypted", target: "mysql", rs: []*fixture.Res{mysqlServer(nil)}},
		{name: "gcp always encrypted", target: "sql", rs: []*fixture.Res{sqlInstance(nil, nil)}},
		{name: "azure key vault key", target: "mysql", cfg: cmk, rs: []*fixture.Res{mysqlServer(kv)}},
		{name: "gcp cmek", target: "sql", cfg: cmk, rs: []*fixture.Res{sqlInstance(nil, m{"encryptionKeyName": fixture.ID("key")}),
			fixture.R("gcp:kms/cryptoKey:CryptoKey", "key", m{"keyRing": "ring"})}},
		{name: "azure service-managed key", target: "mysql", cfg: cmk, rs: []*fixture.Res{mysqlServer(nil)},
			both: []fixture.Want{violation("storage is encrypted with a service-managed key", "dataEncryption is not set",
				`type: "AzureKeyVault"`)}},
		{name: "azure system managed", target: "mysql", cfg: cmk, rs: []*fixture.Res{
			mysqlServer(m{"dataEncryption": m{"type": "SystemManaged"}})},
			both: []fixture.Want{violation("dataEncryption.primaryKeyURI is not set")}},
		{name: "gcp google-managed key", target: "sql", cfg: cmk, rs: []*fixture.Res{sqlInstance(nil, nil)},
			both: []fixture.Want{violation("storage is encrypted with a Google-managed key because encryptionKeyName is not set",
				"roles/cloudkms.cryptoKeyEncrypterDecrypter")}},
		{name: "azure key type not known until update", target: "mysql", cfg: cmk, rs: []*fixture.Res{
			mysqlServer(m{"dataEncryption": m{"type": fixture.Unknown}})},
			both: []fixture.Want{advisory("dataEncryption.type is not known until update")}},
		{name: "azure malformed key type", target: "mysql", cfg: cmk, rs: []*fixture.Res{
			mysqlServer(m{"dataEncryption": m{"type": "Customer"}})},
			both: []fixture.Want{advisory("dataEncryption.type is not AzureKeyVault or SystemManaged")}},
	})
}

func TestSecretInputsAzureGCP(t *testing.T) {
	user := func(pw any) *fixture.Res {
		return fixture.R(tSQLUser, "user", m{"instance": "pulumi-sql", "name": "pulumi", "password": pw})
	}
	runCases(t, SecretInputsMarkedSecret, []caseT{
		{name: "gcp user password secret", target: "user", rs: []*fixture.Res{user(fixture.Secret("pw-123456"))}},
		{name: "gcp user without password", target: "user", rs: []*fixture.Res{user(nil)}},
		{name: "azure admin password secret", target: "mysql", rs: []*fixture.Res{mysqlServer(nil)}},
		{name: "gcp user password plain", target: "user", rs: []*fixture.Res{user("pw-123456")},
			both: []fixture.Want{violation("password is not a Pulumi secret")}},
		{name: "gcp root password plain", target: "sql", rs: []*fixture.Res{sqlInstance(nil, m{"rootPassword": "pw-123456"})},
			both: []fixture.Want{violation("rootPassword is not a Pulumi secret")}},
		{name: "azure admin password plain", target: "mysql", rs: []*fixture.Res{
			mysqlServer(m{"administratorLoginPassword": "pw-123456"})},
			both: []fixture.Want{violation("administratorLoginPassword is not a Pulumi secret")}},
		{name: "gcp user password not known until update", target: "user", rs: []*fixture.Res{user(fixture.Unknown)},
			both: []fixture.Want{advisory("password is not known until update")}},
	})
}

func TestDatabaseTLSNamesThePlatformsCA(t *testing.T) {
	api := func() *fixture.Res { return taskDef("td", container("api", apiImage, nil)) }
	runCases(t, DatabaseTLS, []caseT{
		{name: "azure", target: "td", rs: []*fixture.Res{mysqlServer(nil), api()},
			both: []fixture.Want{violation("sets neither", "DigiCert Global Root G2 and Microsoft RSA Root Certificate Authority 2017")}},
		{name: "gcp", target: "td", rs: []*fixture.Res{sqlInstance(nil, nil), api()},
			both: []fixture.Want{violation("sets neither", "serverCaCerts[0].cert")}},
		{name: "no database in the stack", target: "td", rs: []*fixture.Res{api()},
			both: []fixture.Want{violation("sets neither", "the RDS CA bundle on AWS")}},
	})
}
