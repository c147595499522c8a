package model

import (
	"fmt"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// ObjectStore is a bucket or container the service keeps checkpoints,
// policy packs and other blobs in: the guide's "object storage buckets".
type ObjectStore struct {
	Res *graph.Resource
	// Encryption lists the default-encryption rules declared for the store,
	// inline or in separate resources that name it (the adapter joins them).
	Encryption []EncryptionRule
	// Configs are the separate encryption resources joined to the store.
	Configs []*graph.Resource
	// Gaps are reads on the way to the rules that are not known until update
	// or malformed: while there are any, no verdict on the store as a whole.
	Gaps []Gap
	// Unjoined is a separate encryption resource whose store is not known
	// until update: it may be this store's.
	Unjoined *graph.Resource
	// Words are how the platform names what the policies talk about.
	Words StoreWords
	// Always is the encryption at rest the platform applies to every object
	// whatever the store declares (Azure Storage, Cloud Storage); nil where
	// the store must declare it in rules (S3).
	Always *AlwaysEncrypted
	// Access is the store-wide switch on anonymous access to its objects.
	Access StoreAccess
}

// AlwaysEncrypted is a store the platform always encrypts at rest, with a
// key it manages unless the store names a customer-managed one.
type AlwaysEncrypted struct {
	// CustomerKey is true when the store names a customer-managed key; its
	// Path is the property that decides (Azure encryption.keySource, Cloud
	// Storage encryption.defaultKmsKeyName).
	CustomerKey Field[bool]
	// KeyWhat says, in the platform's words, which key encrypts when
	// CustomerKey is false ("encryption.keySource is not set: ...").
	KeyWhat string
	// Layered is a second layer of encryption at rest the store can require
	// (Azure infrastructure encryption); nil where the platform has none.
	Layered *Field[bool]
}

// StoreAccess is the store-wide switch on anonymous (unauthenticated)
// access: Azure's allowBlobPublicAccess, Cloud Storage's public access
// prevention.
type StoreAccess struct {
	// Blocks is true when the switch refuses anonymous access whatever a
	// container or grant says; Absent when the store does not set it.
	Blocks Field[bool]
	// Open: the store sets the switch to allow anonymous access (Azure
	// allowBlobPublicAccess true), a finding of its own. A switch that only
	// defers to the organization (Cloud Storage "inherited") is not Open.
	Open bool
	// Applies: the platform has such a switch (false for S3 here).
	Applies bool
	// Firewall is true when the store refuses networks it does not list
	// (Azure networkRuleSet.defaultAction Deny or publicNetworkAccess
	// Disabled, Cloud Storage ipFilter.mode Enabled); FirewallWhat says, in
	// the platform's words, what the store declares when it does not.
	Firewall     Field[bool]
	FirewallWhat string
}

// Grant is one declaration that lets anonymous clients read or write a
// store's objects: an Azure container's publicAccess level, a Cloud Storage
// IAM member or ACL entity allUsers or allAuthenticatedUsers.
type Grant struct {
	// Who is the anonymous member, entity or access level, at its origin.
	Who Field[string]
	// Public: Who grants anonymous access (false for a private level or a
	// named principal; such grants are listed only when undecided).
	Public bool
	// Store is the store the grant applies to, nil when it is outside the
	// stack or not known until update.
	Store *graph.Resource
	// Blocked is the store's switch (StoreAccess.Blocks): a known true
	// makes the grant ineffective (the platform refuses it).
	Blocked Field[bool]
	// ACL: the grant is an access control list entry, which ACLsOff
	// disables (Cloud Storage uniform bucket-level access).
	ACL     bool
	ACLsOff Field[bool]
	// What says what the grant lets anonymous clients do, in the platform's
	// words, and Fix how to remove it. Unset says what the store's switch
	// means when the store does not set it.
	What, Fix, Unset string
}

// GrantSource is a Source that knows anonymous grants on its object stores.
type GrantSource interface {
	AnonymousGrants(g *graph.Graph) []Grant
}

// AnonymousGrants returns every adapter's anonymous grants.
func (s Sources) AnonymousGrants(g *graph.Graph) []Grant {
	var out []Grant
	for _, src := range s {
		if gs, ok := src.(GrantSource); ok {
			out = append(out, gs.AnonymousGrants(g)...)
		}
	}
	return out
}

// StoreTransport is how an object store's own settings govern the
// transport to it: HTTPS only and the oldest TLS version it accepts.
type StoreTransport struct {
	Res *graph.Resource
	// HTTPSOnly is true when plain HTTP is refused; HTTPSDefault is what an
	// absent one means, HTTPSDefaultWhy says so in the platform's words.
	HTTPSOnly       Field[bool]
	HTTPSDefault    bool
	HTTPSDefaultWhy string
	// MinTLS is the oldest TLS version accepted, as the platform spells it;
	// MinTLSOK reports whether a known value is TLS 1.2 or newer;
	// MinTLSDefaultWhy says what an absent one means.
	MinTLS           Field[string]
	MinTLSOK         bool
	MinTLSDefaultWhy string
	// TLS12 is the value that requires TLS 1.2 ("TLS1_2").
	TLS12 string
}

// TransportSource is a Source whose object stores carry transport settings
// of their own, read per resource (so a resource policy can fix them).
type TransportSource interface {
	StoreTransport(r *graph.Resource) (StoreTransport, bool)
	StoreTransportTypes() []string
}

// StoreTransport reads r through the first adapter that knows its type.
func (s Sources) StoreTransport(r *graph.Resource) (StoreTransport, bool) {
	for _, src := range s {
		if ts, ok := src.(TransportSource); ok {
			if t, ok := ts.StoreTransport(r); ok {
				return t, true
			}
		}
	}
	return StoreTransport{}, false
}

// StoreTransportTypes are the types some adapter reads transport settings
// of.
func (s Sources) StoreTransportTypes() []string {
	var out []string
	for _, src := range s {
		if ts, ok := src.(TransportSource); ok {
			out = append(out, ts.StoreTransportTypes()...)
		}
	}
	return out
}

// EncryptionRule is one default-encryption rule: its algorithm, and the
// platform's verdict on it.
type EncryptionRule struct {
	Algorithm Field[string]
	// Base is the rule's path on Algorithm.Res, for messages.
	Base string
	// Valid: the algorithm is one the platform encrypts with.
	Valid bool
	// CustomerKey: it encrypts with a key management service key (SSE-KMS)
	// rather than a key the platform manages alone.
	CustomerKey bool
}

// StoreWords are the platform's own words for an object store's encryption.
type StoreWords struct {
	// Algorithms lists the valid algorithms, e.g. "AES256, aws:kms or aws:kms:dsse".
	Algorithms string
	// AlgorithmKey is the property the algorithm sits in ("sseAlgorithm").
	AlgorithmKey string
	// Platform names the platform-managed form ("AES256 (SSE-S3)"), KMS the
	// customer-key form ("SSE-KMS"), KMSFix how to switch to it.
	Platform, KMS, KMSFix string
	// None says that nothing declares encryption, NoRules that a joined
	// configuration (named %q) sets no rule.
	None, NoRules string
	// Store names the kind of store ("bucket", "storage account").
	Store string
	// Layered names the second layer of encryption at rest and LayeredFix
	// how to require it (Azure infrastructure encryption).
	Layered, LayeredFix string
	// Anonymous says what anonymous access the open switch allows, and
	// BlockFix how to refuse it at the store.
	Anonymous, BlockFix string
	// BlockSwitch names the store-wide switch and its refusing value
	// ("publicAccessPrevention \"enforced\""); BlockDefault says what an
	// unset one means.
	BlockSwitch, BlockDefault string
	// FirewallFix says how to make the store refuse unlisted networks.
	FirewallFix string
}

// Gap is a read that is not known until update or malformed, with what it
// noted.
type Gap struct {
	Res   *graph.Resource
	notes policy.Notes
}

// GapOf returns the gap a probe reader's notes make, if any.
func GapOf(rd policy.Reader) (Gap, bool) {
	n := rd.Taken()
	return Gap{Res: rd.Resource(), notes: n}, !n.Empty()
}

// Decide notes the gap on the policy that rests a verdict on it.
func (g Gap) Decide(ctx Noter) { g.notes.Replay(ctx.Read(g.Res)) }

// Quote is f's value quoted for a message, or "(a secret value)" when the
// program marked it, or a property on the way to it, secret: messages
// never show a secret.
func Quote(f Field[string]) string {
	if f.Res == nil || f.Path == "" {
		return fmt.Sprintf("%q", f.Value)
	}
	p, err := props.ParsePath(f.Path)
	if err != nil {
		return fmt.Sprintf("%q", f.Value)
	}
	for i := 1; i <= len(p); i++ {
		if f.Res.Props.Get(p[:i]).IsSecret() {
			return "(a secret value)"
		}
	}
	return fmt.Sprintf("%q", f.Value)
}
