package model

import "github.com/selfhosted-hardening/selfhosted-hardening/graph"

// Cluster is a managed Kubernetes cluster the service runs on: its API
// endpoint, how it keeps Kubernetes Secrets (the license key, SMTP and
// database passwords), whether it enforces NetworkPolicies, and the
// credentials it accepts besides the platform's identity provider.
type Cluster struct {
	Res *graph.Resource
	// Platform names the service in messages ("EKS", "AKS", "GKE").
	Platform string
	Endpoint Endpoint
	Secrets  SecretsEncryption
	// NetworkPolicies is whether the cluster enforces Kubernetes
	// NetworkPolicies; zero (no Path) when the adapter does not read it
	// (EKS: the vpc-cni add-on is judged on its own).
	NetworkPolicies Enforcement
	// LocalAccounts are the cluster's own static credentials (AKS's local
	// admin account); zero when the platform has none the pack reads.
	LocalAccounts LocalAccounts
}

// Endpoint is the cluster's API endpoint: public or not, and the ranges a
// public one admits.
type Endpoint struct {
	// Name is what messages call it ("API endpoint", "API server",
	// "control plane"); "" reads as "API endpoint".
	Name string
	// Public is the switch that turns the public endpoint on; when absent,
	// PublicDefault is the platform's default. A platform without such a
	// switch leaves it zero (no Path) and sets PublicDefault.
	Public        Field[bool]
	PublicDefault bool
	// Private are switches any one of which, known true, keeps the endpoint
	// off the internet whatever Public says (AKS enablePrivateCluster, GKE
	// enablePrivateEndpoint).
	Private []Switch
	// Ranges are the CIDRs a public endpoint admits; when none are set the
	// platform admits OpenTo. RangeKey, when set, is the key of each item of
	// Ranges' list that holds the CIDR (GKE cidrBlocks[].cidrBlock).
	Ranges   Field[[]string]
	RangeKey string
	OpenTo   string
	// Openings are switches that, when on, open the endpoint to more than
	// Ranges (GKE's Google Cloud public addresses, its DNS endpoint).
	Openings []Opening
	// Fix says, in the platform's words, how to restrict the endpoint; ""
	// for the policy's remediation (EKS).
	Fix string
}

// Label is what messages call the endpoint.
func (e Endpoint) Label() string {
	if e.Name == "" {
		return "API endpoint"
	}
	return e.Name
}

// Switch is a boolean property that does something when on; Off says, in
// the platform's words, what the adapter saw when it is not ("" when that
// is not worth a message: the platform's default).
type Switch struct {
	On  Field[bool]
	Off string
}

// Opening is a switch that opens an endpoint beyond its ranges: On known
// true is a finding saying What, fixed by Fix.
type Opening struct {
	On   Field[bool]
	What string
	Fix  string
	// WhenPublic: it opens the public endpoint only, and is judged only
	// when that is on.
	WhenPublic bool
}

// SecretsEncryption is the cluster's envelope encryption of Secrets with a
// key management service key.
type SecretsEncryption struct {
	// Config is the block (or the key input, or the switch) that turns it
	// on: absent or false means Secrets are stored without envelope
	// encryption.
	Config Field[bool]
	// Covers lists the kinds of object the configuration encrypts; it must
	// include "secrets". Absent when the platform always covers Secrets.
	Covers Field[[]string]
	// CoversFixed is true when the platform always covers Secrets.
	CoversFixed bool
	// Key is the key the configuration names; KeyService the service that
	// holds it ("KMS", "Azure Key Vault", "Cloud KMS").
	Key        Field[string]
	KeyService string
	// Fix says, in the platform's words, how to turn it on; "" for the
	// policy's remediation (EKS).
	Fix string
}

// Enforcement is whether the cluster enforces Kubernetes NetworkPolicies:
// Enforced is a value the adapter works out (known false: it does not), its
// origin the property that decided it. Seen says, in the platform's words,
// what the adapter saw when it does not, and Fix how to turn enforcement on.
type Enforcement struct {
	Enforced Field[bool]
	Seen     string
	Fix      string
}

// LocalAccounts are a cluster's own static credentials, which bypass the
// platform's identity provider and its conditional access: Enabled known
// true means they are on; Seen says what the adapter saw and Fix how to turn
// them off.
type LocalAccounts struct {
	Enabled Field[bool]
	Seen    string
	Fix     string
}
