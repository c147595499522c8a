package model

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
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
