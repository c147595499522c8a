package secretname

import (
	"encoding/json"
	"strings"
	"testing"
)

// Azure and Google Cloud credentials, by name (issue 19) and by value.

func TestOfCloudNames(t *testing.T) {
	for _, c := range []struct{ name, why string }{
		// Azure: a service principal's client secret, storage account keys
		// (AZURE_STORAGE_KEY, a connection string's AccountKey), the
		// azure-native provider's clientSecret config, Redis access keys,
		// Service Bus shared access keys, SAS, Log Analytics shared keys.
		{"AZURE_CLIENT_SECRET", "client secret"},
		{"ARM_CLIENT_SECRET", "client secret"},
		{"clientSecret", "client secret"},
		{"AZURE_CLIENT_CERTIFICATE_PASSWORD", "password"},
		{"AZURE_STORAGE_KEY", "storage key"},
		{"AZURE_STORAGE_ACCOUNT_KEY", "account key"},
		{"accountKey", "account key"},
		{"storageAccountKey", "account key"},
		{"AccountKey", "account key"},
		{"primaryAccessKey", "access key"},
		{"secondaryAccessKey", "access key"},
		{"SharedAccessKey", "access key"},
		{"SharedAccessSignature", "shared access signature"},
		{"AZURE_STORAGE_SAS_TOKEN", "token"},
		{"primarySharedKey", "shared key"},
		{"primaryMasterKey", "master key"},
		{"AZURE_STORAGE_CONNECTION_STRING", "connection string"},
		{"oidcToken", "token"},
		// Names, ids and endpoints are not secrets.
		{"AZURE_CLIENT_ID", ""},
		{"AZURE_TENANT_ID", ""},
		{"AZURE_SUBSCRIPTION_ID", ""},
		{"AZURE_STORAGE_ACCOUNT", ""},
		{"storageAccountName", ""},
		{"clientId", ""},
		{"instrumentationKeyId", ""},
		{"AZURE_CLIENT_CERTIFICATE_PATH", ""},
		{"sharedKeyVersion", ""},
		{"allowSharedKeyAccess", ""},
		// Google Cloud: the credentials JSON and an HMAC key's secret; the
		// HMAC access id is public, a key file path holds no key.
		{"GOOGLE_CREDENTIALS", "credentials"},
		{"credentials", "credentials"},
		{"hmacSecret", "secret"},
		{"GOOGLE_APPLICATION_CREDENTIALS_PATH", ""},
		{"hmacAccessId", ""},
	} {
		m, ok := Of(c.name)
		switch {
		case c.why == "" && ok:
			t.Errorf("Of(%q) = %q, want not a secret", c.name, m.Why)
		case c.why != "" && (!ok || m.Why != c.why || m.Kind != Secret):
			t.Errorf("Of(%q) = %q, %v, want secret %q", c.name, m.Why, ok, c.why)
		}
	}
}

const gcpKeyBody = "MIIEvgIBADANBgkqhkiG9w0BAQEFAASC-gcp-key-body"

// gcpKey is a service account key file as gcloud writes it.
func gcpKey(privateKey string) string {
	b, _ := json.MarshalIndent(map[string]string{"type": "service_account", "project_id": "pulumi-prod",
		"private_key_id": "0a1b2c3d4e5f", "private_key": privateKey,
		"client_email": "pulumi@pulumi-prod.iam.gserviceaccount.com", "client_id": "1234567890",
		"token_uri": "https://oauth2.googleapis.com/token"}, "", "  ")
	return string(b)
}

func TestValueCloudCredentials(t *testing.T) {
	pem := "-----BEGIN PRIVATE KEY-----\n" + gcpKeyBody + "\n-----END PRIVATE KEY-----\n"
	wrapped := b64(gcpKey(pem))
	var lines []string
	for len(wrapped) > 76 {
		lines, wrapped = append(lines, wrapped[:76]), wrapped[76:]
	}
	lines = append(lines, wrapped)
	for _, c := range []struct{ name, value, why string }{
		{"GOOGLE_CREDENTIALS key file", gcpKey(pem), "a Google Cloud service account key"},
		{"key file in base64", b64(gcpKey(pem)), "a base64-encoded Google Cloud service account key"},
		{"key file in base64 wrapped at 76", strings.Join(lines, "\n"), "a base64-encoded Google Cloud service account key"},
		{"PEM key in base64 with a comment first", b64("# api\n" + pem), "a base64-encoded PEM private key"},
		{"Azure storage connection string", "DefaultEndpointsProtocol=https;AccountName=pulumistate;" +
			"AccountKey=azure-Storage-key-plain==;EndpointSuffix=core.windows.net", "a connection string with an account key field"},
		{"Service Bus connection string", "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;" +
			"SharedAccessKey=bus-Shared-key-plain=", "a connection string with an access key field"},
		{"SAS connection string", "BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=sv=2022&sig=sas-plain",
			"a connection string with a shared access signature field"},
		// No credential: a key file without its key, an external account
		// (workload identity federation) config, an account name only.
		{"key file without private_key", gcpKey(""), ""},
		{"external account config", `{"type":"external_account","audience":"//iam.googleapis.com/x",` +
			`"credential_source":{"file":"/var/run/token"}}`, ""},
		{"base64 of plain text", b64(strings.Repeat("not a key at all, ", 5)), ""},
		{"storage connection string without key", "DefaultEndpointsProtocol=https;AccountName=pulumistate;" +
			"EndpointSuffix=core.windows.net", ""},
	} {
		why, ok := Value(c.value)
		if why != c.why || ok != (c.why != "") {
			t.Errorf("%s: Value = %q, %v; want %q", c.name, why, ok, c.why)
		}
		for _, secret := range []string{gcpKeyBody, "azure-Storage-key-plain", "bus-Shared-key-plain", "sas-plain"} {
			if strings.Contains(why, secret) {
				t.Errorf("%s: the explanation %q shows the credential", c.name, why)
			}
		}
	}
}

// FuzzServiceAccountKey plants any private key in a service account key
// file, as JSON and in base64: it is found unless blank, named by kind, and
// never shown.
func FuzzServiceAccountKey(f *testing.F) {
	for _, s := range []string{gcpKeyBody, "", " ", "\n", "x", "-----BEGIN PRIVATE KEY-----", "\xff\xfe", `"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		doc := gcpKey(key)
		blank := strings.TrimSpace(key) == ""
		for form, v := range map[string]string{"json": doc, "base64": b64(doc)} {
			why, ok := Value(v)
			if !ok && !blank {
				t.Fatalf("%s key file with key %q: not found", form, key)
			}
			if blank && strings.Contains(why, "service account") {
				t.Fatalf("%s key file with blank key %q: Value = %q", form, key, why)
			}
			if ok && !whyGrammar.MatchString(why) {
				t.Fatalf("%s: %q is not an explanation the detector gives", form, why)
			}
			if len(strings.TrimSpace(key)) > 3 && strings.Contains(why, strings.TrimSpace(key)) {
				t.Fatalf("%s: the explanation %q shows the key", form, why)
			}
		}
	})
}
