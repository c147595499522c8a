package gcp

import (
	"fmt"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Cloud Storage type tokens of pulumi-gcp (the same in v8 and v9).
const (
	TypeBucket                     = "gcp:storage/bucket:Bucket"
	TypeBucketIAMMember            = "gcp:storage/bucketIAMMember:BucketIAMMember"
	TypeBucketIAMBinding           = "gcp:storage/bucketIAMBinding:BucketIAMBinding"
	TypeBucketAccessControl        = "gcp:storage/bucketAccessControl:BucketAccessControl"
	TypeBucketACL                  = "gcp:storage/bucketACL:BucketACL"
	TypeDefaultObjectAccessControl = "gcp:storage/defaultObjectAccessControl:DefaultObjectAccessControl"
	TypeDefaultObjectACL           = "gcp:storage/defaultObjectACL:DefaultObjectACL"
)

// storageTypes are the object-store tokens; storageNames their physical
// name outputs (a bucket's name, which "name" already indexes).
var (
	storageTypes = []string{TypeBucket, TypeBucketIAMMember, TypeBucketIAMBinding, TypeBucketAccessControl,
		TypeBucketACL, TypeDefaultObjectAccessControl, TypeDefaultObjectACL}
	storageNames = map[string][]string{TypeBucket: {"name"}}
	pBucket      = props.MustPath("bucket")
)

// The members and entities that stand for anyone: allUsers (anyone on the
// internet) and allAuthenticatedUsers (anyone with a Google account).
var anonymous = map[string]bool{"allusers": true, "allauthenticatedusers": true}

// publicPredefined are the predefined ACLs that grant allUsers or
// allAuthenticatedUsers.
var publicPredefined = map[string]bool{"publicread": true, "publicreadwrite": true, "authenticatedread": true}

var gcsWords = model.StoreWords{
	Store:       "bucket",
	Platform:    "Google-managed encryption keys",
	KMS:         "a customer-managed Cloud KMS key (CMEK)",
	KMSFix:      "Set encryption.defaultKmsKeyName to a Cloud KMS key the Cloud Storage service agent can use.",
	BlockFix:    "Set publicAccessPrevention to \"enforced\" on the bucket.",
	BlockSwitch: "publicAccessPrevention \"enforced\"",
	BlockDefault: "publicAccessPrevention is not set, so it is \"inherited\": the bucket is protected only if the " +
		"organization policy storage.publicAccessPrevention applies to it, which the stack does not show",
	FirewallFix: "Set ipFilter with mode \"Enabled\" and the networks that may reach the bucket " +
		"(publicNetworkSource, vpcNetworkSources).",
}

// ObjectStores returns the stack's Cloud Storage buckets. Google encrypts
// every object at rest; the bucket's settings decide the key and public
// access prevention.
func (Adapter) ObjectStores(g *graph.Graph) []model.ObjectStore {
	buckets := g.OfType(TypeBucket)
	out := make([]model.ObjectStore, 0, len(buckets))
	for _, b := range buckets {
		out = append(out, bucket(b))
	}
	return out
}

const memoBucket memoKey = "gcp.bucket"

func bucket(b *graph.Resource) model.ObjectStore {
	return b.Memo(memoBucket, func() any {
		kms := model.String(b, "encryption.defaultKmsKeyName")
		what := ""
		if kms.Absent() || (kms.Known() && kms.Value == "") {
			what = "encryption.defaultKmsKeyName is not set, so Google-managed encryption keys encrypt the bucket"
		}
		pap := model.String(b, "publicAccessPrevention")
		mode := model.String(b, "ipFilter.mode")
		fwWhat := ""
		switch {
		case mode.Absent():
			fwWhat = "ipFilter is not set, so the bucket accepts requests from any network"
		case mode.Known() && !strings.EqualFold(mode.Value, "Enabled"):
			fwWhat = fmt.Sprintf("ipFilter.mode is %s, so the bucket accepts requests from any network", model.Quote(mode))
		}
		return model.ObjectStore{
			Res:   b,
			Words: gcsWords,
			Always: &model.AlwaysEncrypted{
				CustomerKey: model.Map(kms, func(v string) bool { return v != "" }),
				KeyWhat:     what,
			},
			Access: model.StoreAccess{
				Applies:      true,
				Blocks:       model.Map(pap, func(v string) bool { return strings.EqualFold(v, "enforced") }),
				Firewall:     model.Map(mode, func(v string) bool { return strings.EqualFold(v, "Enabled") }),
				FirewallWhat: fwWhat,
			},
		}
	}).(model.ObjectStore)
}

// AnonymousGrants returns the grants to allUsers and allAuthenticatedUsers
// in the bucket IAM and ACL resources (and those not known until update),
// each joined to its bucket by the bucket input: by name, or in preview by
// property dependency.
func (Adapter) AnonymousGrants(g *graph.Graph) []model.Grant {
	var out []model.Grant
	for _, r := range g.OfType(storageTypes[1:]...) {
		grants := grantsOf(r)
		if len(grants) == 0 {
			continue
		}
		var target *graph.Resource
		for _, ref := range g.Refs(r, pBucket, TypeBucket) {
			if ref.Target != nil {
				target = ref.Target
				break
			}
		}
		for _, gr := range grants {
			if target != nil {
				b := bucket(target)
				gr.Store, gr.Blocked, gr.Unset = target, b.Access.Blocks, gcsWords.BlockDefault
				if gr.ACL {
					gr.ACLsOff = model.Bool(target, "uniformBucketLevelAccess")
				}
			}
			out = append(out, gr)
		}
	}
	return out
}

const (
	iamFix = "Remove allUsers and allAuthenticatedUsers from the bucket's IAM members (grant named service " +
		"accounts instead), and set publicAccessPrevention to \"enforced\" on the bucket."
	aclFix = "Remove the allUsers and allAuthenticatedUsers entries, set uniformBucketLevelAccess to true (which " +
		"disables ACLs) and publicAccessPrevention to \"enforced\" on the bucket."
)

// grantsOf reads one IAM or ACL resource's anonymous grants, and the reads
// that are not known until update or malformed (as undecided grants).
func grantsOf(r *graph.Resource) []model.Grant {
	var out []model.Grant
	add := func(who model.Field[string], acl bool, what string) {
		public := who.Known() && isAnonymous(who.Value)
		if !public && !who.Undecided() {
			return
		}
		fix := iamFix
		if acl {
			fix = aclFix
		}
		out = append(out, model.Grant{Who: who, Public: public, ACL: acl, What: what, Fix: fix})
	}
	switch r.Type {
	case TypeBucketIAMMember:
		m := model.String(r, "member")
		role := model.Quote(model.String(r, "role"))
		add(m, false, fmt.Sprintf("member is %s with role %s: %s", model.Quote(m), role, anyone(m.Value)))
	case TypeBucketIAMBinding:
		role := model.Quote(model.String(r, "role"))
		list := model.Strings(r, "members")
		if list.Undecided() {
			add(model.Map(list, func([]string) string { return "" }), false, "")
		}
		for i, m := range list.Value {
			f := model.Of(m, policy.Known, r, fmt.Sprintf("members[%d]", i))
			add(f, false, fmt.Sprintf("members[%d] is %s with role %s: %s", i, model.Quote(f), role, anyone(m)))
		}
	case TypeBucketAccessControl, TypeDefaultObjectAccessControl:
		e := model.String(r, "entity")
		role := model.Quote(model.String(r, "role"))
		scope := "the bucket"
		if r.Type == TypeDefaultObjectAccessControl {
			scope = "new objects in the bucket (default object ACL)"
		}
		add(e, true, fmt.Sprintf("entity is %s with role %s on %s: %s", model.Quote(e), role, scope, anyone(e.Value)))
	case TypeBucketACL, TypeDefaultObjectACL:
		for _, p := range []string{"predefinedAcl", "defaultAcl"} {
			if r.Type == TypeDefaultObjectACL {
				break
			}
			acl := model.String(r, p)
			pub := model.Map(acl, func(v string) string {
				if publicPredefined[strings.ToLower(v)] {
					return "allUsers"
				}
				return v
			})
			if acl.Known() && publicPredefined[strings.ToLower(acl.Value)] {
				out = append(out, model.Grant{Who: pub, Public: true, ACL: true, Fix: aclFix,
					What: fmt.Sprintf("%s is %s, which grants %s", p, model.Quote(acl), predefinedWho(acl.Value))})
			} else if acl.Undecided() {
				out = append(out, model.Grant{Who: acl, ACL: true, Fix: aclFix})
			}
		}
		list := model.Strings(r, "roleEntities")
		if list.Undecided() {
			add(model.Map(list, func([]string) string { return "" }), true, "")
		}
		for i, re := range list.Value {
			_, entity, _ := strings.Cut(re, ":")
			f := model.Of(entity, policy.Known, r, fmt.Sprintf("roleEntities[%d]", i))
			shown := model.Quote(model.Of(re, policy.Known, r, f.Path))
			add(f, true, fmt.Sprintf("roleEntities[%d] is %s: %s", i, shown, anyone(entity)))
		}
	}
	return out
}

func isAnonymous(who string) bool { return anonymous[strings.ToLower(who)] }

func anyone(who string) string {
	if strings.EqualFold(who, "allAuthenticatedUsers") {
		return "anyone with a Google account can use it"
	}
	return "anyone on the internet can use it, without signing in"
}

func predefinedWho(acl string) string {
	if strings.EqualFold(acl, "authenticatedRead") {
		return "read access to allAuthenticatedUsers (anyone with a Google account)"
	}
	return "access to allUsers (anyone on the internet)"
}
