package aws

import (
	"fmt"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// S3 access tokens of pulumi-aws v6 and v7: the separate bucket ACL (V2 in
// v6, kept in v7; plain in v7) and the bucket's public access block.
const (
	TypeS3BucketACLV2       = "aws:s3/bucketAclV2:BucketAclV2"
	TypeS3BucketACL         = "aws:s3/bucketAcl:BucketAcl"
	TypeS3PublicAccessBlock = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
)

var (
	s3ACLTypes = []string{TypeS3BucketACLV2, TypeS3BucketACL}
	// s3PublicACLs are the canned ACLs that grant the AllUsers or
	// AuthenticatedUsers group, and what they grant.
	s3PublicACLs = map[string]string{
		"public-read":        "anyone on the internet can list the bucket",
		"public-read-write":  "anyone on the internet can list the bucket and write objects to it",
		"authenticated-read": "any AWS account can list the bucket",
	}
	// s3PublicGroups are the grantee URIs of those groups.
	s3PublicGroups = map[string]string{
		"http://acs.amazonaws.com/groups/global/AllUsers":           "anyone on the internet",
		"http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "any AWS account",
	}
)

// s3Unblocked says what no public access block in the stack means.
const s3Unblocked = "no aws.s3.BucketPublicAccessBlock in the stack blocks or ignores public ACLs on it; S3 does " +
	"so by default on buckets created since April 2023, unless a program or the account turns it off"

const s3ACLFix = "Set acl to \"private\" (or remove the grant) and add an aws.s3.BucketPublicAccessBlock for the " +
	"bucket with blockPublicAcls, ignorePublicAcls, blockPublicPolicy and restrictPublicBuckets true."

// AnonymousGrants returns the S3 ACLs that grant the AllUsers or
// AuthenticatedUsers group: a bucket's own acl (v6 Bucket, v7's deprecated
// one) and a separate bucket ACL resource's acl or
// accessControlPolicy.grants, each with its bucket's public access block
// (blockPublicAcls or ignorePublicAcls true makes S3 refuse or ignore it).
func (Adapter) AnonymousGrants(g *graph.Graph) []model.Grant {
	acls := g.OfType(s3ACLTypes...)
	buckets := g.OfType(s3BucketTypes...)
	if len(acls) == 0 && len(buckets) == 0 {
		return nil
	}
	g.IndexNames(Adapter{}.PhysicalNames())
	blocks := map[*graph.Resource]model.Field[bool]{}
	for _, pab := range g.OfType(TypeS3PublicAccessBlock) {
		for _, ref := range g.Refs(pab, pBucket, s3BucketTypes...) {
			if ref.Target != nil {
				blocks[ref.Target] = eitherTrue(model.Bool(pab, "blockPublicAcls"), model.Bool(pab, "ignorePublicAcls"))
			}
		}
	}
	var out []model.Grant
	add := func(gs []model.Grant, target *graph.Resource) {
		for _, gr := range gs {
			if target != nil {
				gr.Store, gr.Blocked, gr.Unset = target, blocks[target], s3Unblocked
			}
			out = append(out, gr)
		}
	}
	for _, b := range buckets {
		add(s3ACLGrants(b), b)
	}
	for _, a := range acls {
		var target *graph.Resource
		for _, ref := range g.Refs(a, pBucket, s3BucketTypes...) {
			if ref.Target != nil {
				target = ref.Target
				break
			}
		}
		add(s3ACLGrants(a), target)
	}
	return out
}

// s3ACLGrants reads one resource's canned acl and explicit grants.
func s3ACLGrants(r *graph.Resource) []model.Grant {
	var out []model.Grant
	acl := model.String(r, "acl")
	switch what, public := s3PublicACLs[strings.ToLower(acl.Value)]; {
	case acl.Known() && public:
		out = append(out, model.Grant{Who: acl, Public: true, ACL: true, Fix: s3ACLFix,
			What: fmt.Sprintf("acl is %s: %s", model.Quote(acl), what)})
	case acl.Undecided():
		out = append(out, model.Grant{Who: acl, ACL: true, Fix: s3ACLFix})
	}
	if r.Type == TypeS3Bucket || r.Type == TypeS3BucketV2 {
		return out
	}
	rd := policy.Probe(r)
	grants, st := rd.Items("accessControlPolicy.grants")
	if st.Undecided() {
		gap := model.Of("", st, r, "accessControlPolicy.grants").WithNotes(rd.Taken())
		out = append(out, model.Grant{Who: gap, ACL: true, Fix: s3ACLFix})
	}
	for _, gr := range grants {
		uri := model.String(r, gr.Base()+".grantee.uri")
		who, public := s3PublicGroups[uri.Value]
		switch {
		case uri.Known() && public:
			perm := model.Quote(model.String(r, gr.Base()+".permission"))
			out = append(out, model.Grant{Who: uri, Public: true, ACL: true, Fix: s3ACLFix,
				What: fmt.Sprintf("%s.grantee.uri is %s with permission %s: %s can use it", gr.Base(),
					model.Quote(uri), perm, who)})
		case uri.Undecided():
			out = append(out, model.Grant{Who: uri, ACL: true, Fix: s3ACLFix})
		}
	}
	return out
}

// eitherTrue is a field that is known true when either is, undecided when
// neither is and one is undecided (with its notes), else false.
func eitherTrue(a, b model.Field[bool]) model.Field[bool] {
	switch {
	case model.True(a):
		return a
	case model.True(b):
		return b
	case a.Undecided():
		return a
	case b.Undecided():
		return b
	}
	return a
}
