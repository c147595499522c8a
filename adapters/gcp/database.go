package gcp

import (
	"fmt"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// Cloud SQL, as pulumi-gcp v8 and v9 register it (the same tokens and, for
// what the guide asks about, the same shape: settings.ipConfiguration
// sslMode, ipv4Enabled, privateNetwork, authorizedNetworks[].value, and
// encryptionKeyName). settings.ipConfiguration.requireSsl, removed in v8
// (Terraform google provider 6), is still read: state and programs written
// against v7 carry it.
const (
	TypeSQLInstance = "gcp:sql/databaseInstance:DatabaseInstance"
	TypeSQLUser     = "gcp:sql/user:User"
)

// databaseTypes are the database tokens. An instance's physical name is its
// "name", which the graph already indexes, so they declare none.
var databaseTypes = []string{TypeSQLInstance, TypeSQLUser}

// databasePlacements are the databases as database-tier members: none. A
// Cloud SQL instance is not placed in a subnet of the stack: its private IP
// comes from a range of Google's service producer network, peered with
// settings.ipConfiguration.privateNetwork (private services access), so
// there is no subnet of the stack to judge. Whether it has a public IP is
// judged by rds-not-publicly-accessible, through DatabaseReach.
func databasePlacements(*graph.Graph) []model.Placement { return nil }

// DatabaseTypes are the types read as databases: Cloud SQL instances.
func (Adapter) DatabaseTypes() []string { return []string{TypeSQLInstance} }

type databaseKey struct{}

// Database reads an instance's encryption at rest (once per resource).
func (Adapter) Database(r *graph.Resource) (model.Database, bool) {
	if r.Type != TypeSQLInstance {
		return model.Database{}, false
	}
	return r.Memo(databaseKey{}, func() any { return database(r) }).(model.Database), true
}

// serverCA is the CA a client verifies an instance's certificate with.
const serverCA = "the instance's server CA certificate (the PEM in the DatabaseInstance's serverCaCerts[0].cert " +
	"output, or gcloud sql instances describe <instance> --format=\"value(serverCaCert.cert)\")"

// database reads storage encryption: Cloud SQL always encrypts data at
// rest, with a Google-managed key unless encryptionKeyName names a Cloud KMS
// key (CMEK).
func database(r *graph.Resource) model.Database {
	s := model.StorageEncryption{
		KeyApplies: true,
		DefaultKey: "a Google-managed key",
		KeyFix: "Set encryptionKeyName to a Cloud KMS CryptoKey in the instance's region (gcp.kms.CryptoKey id), " +
			"and grant the Cloud SQL service agent (service-<project number>@gcp-sa-cloud-sql.iam.gserviceaccount.com) " +
			"roles/cloudkms.cryptoKeyEncrypterDecrypter on it. Cloud SQL takes a customer-managed key only when the " +
			"instance is created.",
	}
	s.Enabled = model.Of(true, policy.Known, r, "encryptionKeyName")
	s.Key = model.String(r, "encryptionKeyName")
	if s.Key.State == policy.Unknown {
		// Any key named here is a customer's Cloud KMS key: no need to wait.
		s.Key = model.Of("(a Cloud KMS key, known at update)", policy.Known, r, "encryptionKeyName")
	}
	return model.Database{Res: r, Storage: s, CA: serverCA}
}

// SecretInputs are the inputs of the database types that hold a password
// (the pulumi-gcp SDKs mark them secret; a program that reaches the engine
// another way may not).
func (Adapter) SecretInputs() map[string][]string {
	return map[string][]string{TypeSQLUser: {"password"}, TypeSQLInstance: {"rootPassword"}}
}

// Cloud SQL's sslMode: "Allow both non-SSL/non-TLS and SSL/TLS connections
// ... This is the default" (Cloud SQL's "Configure SSL/TLS certificates").
const (
	pSSLMode    = "settings.ipConfiguration.sslMode"
	pRequireSSL = "settings.ipConfiguration.requireSsl"
	sslFix      = "Set settings.ipConfiguration.sslMode to \"ENCRYPTED_ONLY\" (or " +
		"\"TRUSTED_CLIENT_CERTIFICATE_REQUIRED\" to also require client certificates); with gcloud, " +
		"gcloud sql instances patch <instance> --ssl-mode=ENCRYPTED_ONLY."
)

const memoDatabaseTLS = memoKey("gcp.DatabaseTLS")

// DatabaseTLS judges each instance's SSL mode.
func (Adapter) DatabaseTLS(g *graph.Graph) []model.DatabaseTLS {
	return g.Memo(memoDatabaseTLS, func() any { return databaseTLS(g) }).([]model.DatabaseTLS)
}

func databaseTLS(g *graph.Graph) []model.DatabaseTLS {
	var out []model.DatabaseTLS
	for _, db := range g.OfType(TypeSQLInstance) {
		rd := policy.Probe(db)
		var settings []model.TLSSetting
		if what := sslMode(rd, db); what != "" {
			settings = append(settings, model.TLSSetting{Where: db, What: what, Fix: sslFix})
		}
		if gap, ok := model.GapOf(rd); ok {
			settings = append(settings, model.TLSSetting{Where: db, Gap: &gap})
		}
		out = append(out, model.DatabaseTLS{Res: db, Settings: settings})
	}
	return out
}

// sslMode says how the instance lets clients connect without TLS, or "".
func sslMode(rd policy.Reader, db *graph.Resource) string {
	mode, st := rd.String(pSSLMode)
	switch st {
	case policy.Known:
		switch strings.ToUpper(strings.TrimSpace(mode)) {
		case "ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED":
			return ""
		}
		return fmt.Sprintf("%s is %s, so Cloud SQL instance %q accepts connections without TLS", pSSLMode,
			rd.Value(pSSLMode).Describe(), db.Name)
	case policy.Unknown, policy.Invalid:
		return ""
	}
	legacy, st := rd.Bool(pRequireSSL)
	switch {
	case st == policy.Known && legacy:
		return ""
	case st == policy.Known:
		return fmt.Sprintf("%s is not set and %s is false, so Cloud SQL instance %q accepts connections "+
			"without TLS", pSSLMode, pRequireSSL, db.Name)
	case st == policy.Absent:
		return fmt.Sprintf("%s is not set, so Cloud SQL instance %q uses its default, "+
			"ALLOW_UNENCRYPTED_AND_ENCRYPTED, and accepts connections without TLS", pSSLMode, db.Name)
	}
	return ""
}
