package policies

import "github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"

// dbCases are the Azure Database for MySQL flexible server and Cloud SQL
// classes of issues 19 and 20: the aks-hosted and gke-hosted installers'
// database resources as they are (pulumi/pulumi-self-hosted-installers,
// aks-hosted/01-infrastructure/database.ts and
// gke-hosted/01-infrastructure/database.ts), their hardened twins, and the
// shapes around them. labelledCases (labelled_test.go) appends them.
func dbCases() []lcase {
	const (
		tls    = "database-requires-tls"
		reach  = "rds-not-publicly-accessible"
		atRest = "rds-storage-encrypted"
		secret = "secret-inputs-marked-secret"
		aks    = "aks-hosted/01-infrastructure/database.ts (@pulumi/azure-native v3 dbformysql.Server, Configuration)"
		gke    = "gke-hosted/01-infrastructure/database.ts (@pulumi/gcp 9.x sql.DatabaseInstance, sql.User)"
		azDocs = "@pulumi/azure-native v3 dbformysql.FirewallRule; Microsoft's flexible server networking docs"
		gcDocs = "@pulumi/gcp 9.x sql.DatabaseInstance settings.ipConfiguration; Cloud SQL authorized networks docs"
	)
	cmk := map[string]m{atRest: {"requireCustomerManagedKey": true}}
	dbSubnet := "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/db"
	zone := "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/private.mysql.database.azure.com"
	aksServer := func(extra m) *fixture.Res {
		return mysqlServer(with(m{"network": m{"delegatedSubnetResourceId": dbSubnet,
			"privateDnsZoneResourceId": zone}, "storage": m{"storageSizeGB": 50, "autoGrow": "Enabled"}}, extra))
	}
	aksConfig := func() *fixture.Res {
		return mysqlParam("mysql-config", "log_bin_trust_function_creators", "ON")
	}
	gkeInstance := func(ip m, extra m) *fixture.Res {
		return sqlInstance(with(m{"ipv4Enabled": false, "privateNetwork": "projects/p/global/networks/pulumi-vpc"}, ip),
			extra)
	}
	gkeUser := func(pw any) *fixture.Res {
		return fixture.R(tSQLUser, "sql-user", m{"instance": fixture.OutputOf("sql", "name"), "name": "pulumi",
			"password": pw}).Deps("instance", "sql")
	}
	withName := func(r *fixture.Res) *fixture.Res { return r.Output("name", "pulumi-sql") }
	return []lcase{
		{name: "aks-hosted flexible server as it is, require_secure_transport OFF", source: aks +
			"; issue 19 (the installer's Configuration require_secure_transport OFF)",
			rs: []*fixture.Res{aksServer(nil), aksConfig(), mysqlParam("disable-tls", "require_secure_transport", "OFF")},
			want: labels{tls: vio("require_secure_transport OFF lets clients connect without TLS"),
				reach:  pass("private access in a delegated subnet: no public endpoint"),
				secret: pass("the admin password is a RandomPassword result, a secret"),
				atRest: pass("always encrypted at rest; no customer-managed key asked")}},
		{name: "aks-hosted flexible server as stored at 280da56, the TLS override commented out", source: aks +
			" at commit 280da566 (only log_bin_trust_function_creators is set)",
			rs: []*fixture.Res{aksServer(nil), aksConfig()},
			want: labels{tls: pass("no Configuration turns TLS off: the server's default is ON"),
				reach: pass("private access"), secret: pass("the admin password is a secret")}},
		{name: "aks-hosted flexible server hardened twin", source: aks + ", with the TLS override removed and a Key " +
			"Vault key",
			rs: []*fixture.Res{aksServer(m{"dataEncryption": m{"type": "AzureKeyVault",
				"primaryKeyURI": "https://kv.vault.azure.net/keys/mysql/1", "primaryUserAssignedIdentityId": "/id"}}),
				aksConfig(), mysqlParam("tls-version", "tls_version", "TLSv1.2,TLSv1.3")},
			cfg: cmk,
			want: labels{tls: pass("require_secure_transport stays ON (the default); tls_version 1.2 and 1.3"),
				reach: pass("private access"), atRest: pass("dataEncryption names a Key Vault key"),
				secret: pass("the admin password is a secret")}},
		{name: "aks-hosted single server of azure-native v1, as it was", source: "aks-hosted/01-infrastructure/" +
			"database.ts at an older commit (@pulumi/azure-native v1 dbformysql.Server, properties block)",
			rs: []*fixture.Res{fixture.R(tMySQLServer, "mysql", m{"resourceGroupName": "rg", "properties": m{
				"administratorLogin": "pulumiadmin", "administratorLoginPassword": fixture.Secret("pw-1"),
				"createMode": "Default", "minimalTlsVersion": "TLSEnforcementDisabled", "publicNetworkAccess": "Enabled",
				"sslEnforcement": "Disabled", "version": "8.0"}, "sku": m{"name": "GP_Gen5_4", "tier": "GeneralPurpose"}})},
			want: labels{tls: unv("the retired single server's shape is not read"),
				reach: pass("no firewall rule admits the internet"), atRest: pass("no key asked")}},
		{name: "azure flexible server with the allow-Azure-services rule", source: azDocs,
			rs: []*fixture.Res{mysqlServer(m{"network": m{"publicNetworkAccess": "Enabled"}}),
				mysqlFirewall("allow-azure", "0.0.0.0", "0.0.0.0")},
			want: labels{reach: vio("0.0.0.0-0.0.0.0 admits every Azure address, other tenants' included"),
				tls: pass("defaults enforce TLS"), secret: pass("secret password")}},
		{name: "azure flexible server open to the internet", source: azDocs,
			rs:   []*fixture.Res{mysqlServer(nil), mysqlFirewall("all", "0.0.0.0", "255.255.255.255")},
			want: labels{reach: vio("public access by default and a rule for all of IPv4")}},
		{name: "azure flexible server open through two rules", source: azDocs,
			rs: []*fixture.Res{mysqlServer(nil), mysqlFirewall("low", "0.0.0.0", "127.255.255.255"),
				mysqlFirewall("high", "128.0.0.0", "255.255.255.255")},
			want: labels{reach: vio("the two rules together admit all of IPv4")}},
		{name: "azure flexible server with an office rule", source: azDocs,
			rs:   []*fixture.Res{mysqlServer(nil), mysqlFirewall("office", "203.0.113.0", "203.0.113.255")},
			want: labels{reach: pass("only the office's addresses reach the public endpoint")}},
		{name: "azure flexible server public access disabled", source: azDocs + " (API 2023-06-30 and later)",
			rs: []*fixture.Res{mysqlServer(m{"network": m{"publicNetworkAccess": "Disabled"}}),
				mysqlFirewall("all", "0.0.0.0", "255.255.255.255")},
			want: labels{reach: pass("publicNetworkAccess Disabled: the firewall guards nothing public")}},
		{name: "azure flexible server public access not known", source: azDocs,
			rs: []*fixture.Res{mysqlServer(m{"network": m{"publicNetworkAccess": fixture.Unknown}}),
				mysqlFirewall("all", "0.0.0.0", "255.255.255.255")},
			want: labels{reach: unv("whether the endpoint is public is not known")}},
		{name: "azure flexible server with old TLS versions", source: aks + "; tls_version server parameter",
			rs:   []*fixture.Res{aksServer(m{"version": "5.7"}), mysqlParam("tls", "tls_version", "TLSv1.1,TLSv1.2")},
			want: labels{tls: vio("TLSv1.1 accepted"), reach: pass("private access")}},
		{name: "azure flexible server with a service-managed key, CMK required", source: aks,
			rs: []*fixture.Res{aksServer(nil)}, cfg: cmk,
			want: labels{atRest: vio("no dataEncryption: service-managed key"), reach: pass("private access")}},
		{name: "azure flexible server with a plain admin password", source: aks + " (a literal password)",
			rs:   []*fixture.Res{aksServer(m{"administratorLoginPassword": "Plain-Passw0rd"})},
			want: labels{secret: vio("azure-native does not mark administratorLoginPassword secret")}},

		{name: "gke-hosted Cloud SQL instance as it is, sslMode ALLOW_UNENCRYPTED_AND_ENCRYPTED", source: gke +
			"; issue 20",
			rs: []*fixture.Res{withName(gkeInstance(m{"sslMode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED"}, nil)),
				gkeUser(fixture.Secret("random-password-1"))},
			want: labels{tls: vio("unencrypted connections allowed"), reach: pass("no public IP"),
				secret: pass("the user's password is a RandomPassword result"),
				atRest: pass("always encrypted at rest")}},
		{name: "gke-hosted Cloud SQL instance hardened twin", source: gke + ", with sslMode ENCRYPTED_ONLY and CMEK",
			rs: []*fixture.Res{withName(gkeInstance(m{"sslMode": "ENCRYPTED_ONLY"},
				m{"encryptionKeyName": "projects/p/locations/us-central1/keyRings/r/cryptoKeys/db"})),
				gkeUser(fixture.Secret("random-password-1"))},
			cfg: cmk,
			want: labels{tls: pass("ENCRYPTED_ONLY"), reach: pass("no public IP"), atRest: pass("CMEK"),
				secret: pass("secret password")}},
		{name: "gke-hosted Cloud SQL instance, an older version (requireSsl, authorized 10.0.0.0/8)", source: gke +
			" at an older commit (pulumi-gcp v7 requireSsl)",
			rs: []*fixture.Res{withName(gkeInstance(m{"requireSsl": true, "authorizedNetworks": l{m{
				"name": "gke-cluster-subnet", "value": "10.0.0.0/8"}}}, m{"encryptionKeyName": fixture.ID("key")})),
				fixture.R("gcp:kms/cryptoKey:CryptoKey", "key", m{"keyRing": "ring", "purpose": "ENCRYPT_DECRYPT"})},
			cfg: cmk,
			want: labels{tls: pass("legacy requireSsl true"), reach: pass("no public IP"),
				atRest: pass("encryptionKeyName names a Cloud KMS key")}},
		{name: "cloud sql with a public IP open to the internet", source: gcDocs,
			rs: []*fixture.Res{sqlInstance(m{"sslMode": "ENCRYPTED_ONLY", "authorizedNetworks": l{m{"name": "all",
				"value": "0.0.0.0/0"}}}, nil)},
			want: labels{reach: vio("public IP by default, 0.0.0.0/0 authorized"), tls: pass("ENCRYPTED_ONLY")}},
		{name: "cloud sql with a public IP for the office", source: gcDocs,
			rs: []*fixture.Res{sqlInstance(m{"ipv4Enabled": true, "sslMode": "ENCRYPTED_ONLY",
				"authorizedNetworks": l{m{"name": "office", "value": "203.0.113.0/24"}}}, nil)},
			want: labels{reach: pass("only the office's range"), tls: pass("ENCRYPTED_ONLY")}},
		{name: "cloud sql without sslMode", source: gcDocs,
			rs:   []*fixture.Res{gkeInstance(nil, nil)},
			want: labels{tls: vio("the default allows unencrypted connections"), reach: pass("no public IP")}},
		{name: "cloud sql sslMode not known", source: gcDocs,
			rs:   []*fixture.Res{gkeInstance(m{"sslMode": fixture.Unknown}, nil)},
			want: labels{tls: unv("sslMode is not known"), reach: pass("no public IP")}},
		{name: "cloud sql with a Google-managed key, CMEK required", source: gke,
			rs:   []*fixture.Res{gkeInstance(m{"sslMode": "ENCRYPTED_ONLY"}, nil)},
			cfg:  cmk,
			want: labels{atRest: vio("no encryptionKeyName"), tls: pass("ENCRYPTED_ONLY"), reach: pass("no public IP")}},
		{name: "cloud sql user with a plain password", source: gke + " (a literal password, not RandomPassword)",
			rs: []*fixture.Res{withName(gkeInstance(m{"sslMode": "ENCRYPTED_ONLY"}, nil)),
				gkeUser("Plain-Passw0rd")},
			want: labels{secret: vio("the state holds the password in plain text"), tls: pass("ENCRYPTED_ONLY"),
				reach: pass("no public IP")}},
	}
}
