package policies

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// The object stores' own access and transport settings: no anonymous
// access to checkpoints and policy packs, and TLS on every connection to
// them.

var paramRequirePublicAccessPrevention = policy.BoolParam{
	Name: "requirePublicAccessPrevention",
	Description: "Also require every store to refuse anonymous access itself, whatever a grant says: " +
		"publicAccessPrevention \"enforced\" on Cloud Storage buckets, allowBlobPublicAccess false (set, not " +
		"left to the API version's default) on Azure Storage accounts.",
}

var paramRequireFirewall = policy.BoolParam{
	Name: "requireFirewall",
	Description: "Also require every store to refuse networks it does not list: networkRuleSet.defaultAction " +
		"\"Deny\" or publicNetworkAccess \"Disabled\" on Azure Storage accounts, ipFilter.mode \"Enabled\" on " +
		"Cloud Storage buckets.",
}

// ObjectStoreNotPublic forbids anonymous access to the object stores.
var ObjectStoreNotPublic = &policy.Policy{
	Name:        "object-store-not-public",
	DisplayName: "Object stores refuse anonymous access",
	Description: "No object store of the stack lets anonymous clients read or write it: no Azure Storage " +
		"account with allowBlobPublicAccess true, no blob container with publicAccess Blob or Container, no " +
		"Cloud Storage IAM member or ACL entity allUsers or allAuthenticatedUsers (unless the bucket enforces " +
		"public access prevention, or uniform bucket-level access disables the ACL), no S3 acl public-read, " +
		"public-read-write or authenticated-read or ACL grant to the AllUsers or AuthenticatedUsers group " +
		"(unless the bucket's public access block blocks or ignores public ACLs).",
	Section:   Network,
	Reference: refNetwork,
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Remove the anonymous grant, and make the store refuse anonymous access: allowBlobPublicAccess " +
		"false on an Azure Storage account, publicAccessPrevention \"enforced\" on a Cloud Storage bucket, an " +
		"aws.s3.BucketPublicAccessBlock with all four settings true on an S3 bucket.",
	Params: []policy.Param{paramRequirePublicAccessPrevention.Param(), paramRequireFirewall.Param()},
	Stack:  checkObjectStoreNotPublic,
}

func checkObjectStoreNotPublic(ctx *policy.StackContext) {
	requireBlock := paramRequirePublicAccessPrevention.Get(ctx.Config)
	requireFirewall := paramRequireFirewall.Get(ctx.Config)
	for _, s := range sources.ObjectStores(ctx.Graph) {
		a, w := s.Access, s.Words
		if !a.Applies {
			continue
		}
		switch b := a.Blocks; {
		case b.Decide(ctx).Undecided():
		case a.Open:
			ctx.ViolationFixf(s.Res, w.BlockFix, "%s", w.Anonymous)
		case requireBlock && b.Absent():
			ctx.ViolationFixf(s.Res, w.BlockFix, "%s; policy config requirePublicAccessPrevention asks for %s",
				w.BlockDefault, w.BlockSwitch)
		case requireBlock && !b.Value:
			ctx.ViolationFixf(s.Res, w.BlockFix, "%s does not refuse anonymous access, and policy config "+
				"requirePublicAccessPrevention asks for %s", b.Path, w.BlockSwitch)
		}
		if requireFirewall && !a.Firewall.Decide(ctx).Undecided() && !a.Firewall.Value && a.FirewallWhat != "" {
			ctx.ViolationFixf(s.Res, w.FirewallFix, "%s, and policy config requireFirewall asks for a store "+
				"that refuses networks it does not list", a.FirewallWhat)
		}
	}
	for _, g := range sources.AnonymousGrants(ctx.Graph) {
		judgeGrant(ctx, g)
	}
}

// judgeGrant reports a grant to anonymous clients, unless its store is
// known to refuse it.
func judgeGrant(ctx *policy.StackContext, g model.Grant) {
	if g.Who.Decide(ctx).Undecided() || !g.Public {
		return
	}
	if model.True(g.Blocked) || (g.ACL && model.True(g.ACLsOff)) {
		return // the platform refuses it: the store blocks anonymous access
	}
	if g.Blocked.Undecided() || (g.ACL && g.ACLsOff.Undecided()) {
		// The store's switch is not known until update: it may refuse it.
		g.Blocked.Decide(ctx)
		if g.ACL {
			g.ACLsOff.Decide(ctx)
		}
		return
	}
	ctx.ViolationFixf(g.Who.Res, g.Fix, "%s%s", g.What, storeNote(g))
}

// storeNote says what the pack saw of the grant's store.
func storeNote(g model.Grant) string {
	switch {
	case g.Store == nil:
		return " (its store is not in this stack or not known until update, so nothing shows that it refuses " +
			"anonymous access)"
	case g.Blocked.Absent() && g.Unset != "":
		return " (" + g.Store.Name + ": " + g.Unset + ")"
	}
	return ""
}

// ObjectStoreTLS requires TLS 1.2 and HTTPS on the object stores that carry
// transport settings of their own.
var ObjectStoreTLS = &policy.Policy{
	Name:        "object-store-tls",
	DisplayName: "Object stores accept HTTPS only, with TLS 1.2 or newer",
	Description: "Azure Storage accounts accept HTTPS only (enableHttpsTrafficOnly, true by default since API " +
		"version 2019-04-01) and set minimumTlsVersion to TLS1_2 or newer (unset, the API reads TLS 1.0). " +
		"Cloud Storage has no bucket setting for either: its JSON API accepts HTTPS only, and its XML API " +
		"also plain HTTP, which the client chooses.",
	Section:   InTransit,
	Reference: refInTransit,
	Level:     policy.Mandatory,
	Severity:  policy.High,
	Remediation: "Set enableHttpsTrafficOnly to true and minimumTlsVersion to \"TLS1_2\" on the storage " +
		"account; clients that still use TLS 1.0 or 1.1 must move to TLS 1.2 first.",
	Types:    sources.StoreTransportTypes(),
	Resource: checkObjectStoreTLS,
	Fixes:    fixesStoreTLS,
}

const fixesStoreTLS = "sets enableHttpsTrafficOnly to true and minimumTlsVersion to \"TLS1_2\" on an Azure " +
	"Storage account (both changed in place)."

func checkObjectStoreTLS(ctx *policy.ResourceContext) {
	t, ok := sources.StoreTransport(ctx.Resource)
	if !ok {
		return
	}
	https := t.HTTPSOnly
	switch https.Decide(ctx) {
	case policy.Absent:
		if !t.HTTPSDefault {
			ctx.Report(policy.Fix{Edits: []policy.Edit{{Path: https.Path, Value: true}}}, "%s", t.HTTPSDefaultWhy)
		}
	case policy.Known:
		if !https.Value {
			ctx.Report(policy.Fix{Edits: []policy.Edit{{Path: https.Path, Value: true}}},
				"%s is false, so the account accepts plain HTTP", https.Path)
		}
	}
	tls := t.MinTLS
	fix := policy.Fix{Edits: []policy.Edit{{Path: tls.Path, Value: t.TLS12}}}
	switch tls.Decide(ctx) {
	case policy.Absent:
		ctx.Report(fix, "%s", t.MinTLSDefaultWhy)
	case policy.Known:
		if !t.MinTLSOK {
			ctx.Report(fix, "%s is %s, so the account accepts TLS older than 1.2", tls.Path, model.Quote(tls))
		}
	}
}
