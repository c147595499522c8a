package aws

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// S3 type tokens of pulumi-aws v6 and v7.
const (
	// TypeS3Bucket is the legacy bucket in v6 (inline
	// serverSideEncryptionConfiguration) and the former BucketV2 in v7.
	TypeS3Bucket   = "aws:s3/bucket:Bucket"
	TypeS3BucketV2 = "aws:s3/bucketV2:BucketV2"
	// The separate encryption configuration: V2 in v6 (kept in v7), plain in v7.
	TypeS3EncryptionV2 = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	TypeS3Encryption   = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
)

var (
	s3BucketTypes     = []string{TypeS3Bucket, TypeS3BucketV2}
	s3EncryptionTypes = []string{TypeS3EncryptionV2, TypeS3Encryption}
	sseAlgorithms     = map[string]bool{"AES256": true, "aws:kms": true, "aws:kms:dsse": true}
	pBucket           = props.MustPath("bucket")
)

var s3Words = model.StoreWords{
	Algorithms:   "AES256, aws:kms or aws:kms:dsse",
	AlgorithmKey: "sseAlgorithm",
	Platform:     "AES256 (SSE-S3)",
	KMS:          "SSE-KMS",
	KMSFix:       "Set sseAlgorithm to \"aws:kms\" and kmsMasterKeyId to a customer-managed KMS key ARN.",
	None: "it has no inline serverSideEncryptionConfiguration and no bucket encryption configuration " +
		"resource names it",
	NoRules: "its bucket encryption configuration %q sets no rules.applyServerSideEncryptionByDefault",
}

// ObjectStores returns the stack's S3 buckets, each with the encryption
// rules declared inline (v6 Bucket) or by the separate encryption
// configuration resources that name it, joined by value or, in preview, by
// property dependency.
func (Adapter) ObjectStores(g *graph.Graph) []model.ObjectStore {
	return g.Memo(memoObjectStores, func() any { return objectStores(g) }).([]model.ObjectStore)
}

type memoKey string

const memoObjectStores memoKey = "aws.ObjectStores"

func objectStores(g *graph.Graph) []model.ObjectStore {
	buckets := g.OfType(s3BucketTypes...)
	if len(buckets) == 0 {
		return nil
	}
	g.IndexNames(Adapter{}.PhysicalNames())
	configs := map[*graph.Resource][]*graph.Resource{}
	var unjoined *graph.Resource
	for _, c := range g.OfType(s3EncryptionTypes...) {
		for _, ref := range g.Refs(c, pBucket, s3BucketTypes...) {
			switch {
			case ref.Target != nil:
				configs[ref.Target] = append(configs[ref.Target], c)
			case !ref.Known && unjoined == nil:
				unjoined = c
			}
			// A known name of a bucket outside the stack: not judged.
		}
	}
	out := make([]model.ObjectStore, 0, len(buckets))
	for _, b := range buckets {
		s := model.ObjectStore{Res: b, Configs: configs[b], Unjoined: unjoined, Words: s3Words}
		rd := policy.Probe(b)
		inline, _ := itemsOf(rd, "serverSideEncryptionConfiguration", "serverSideEncryptionConfigurations")
		for _, conf := range inline {
			rules, _ := itemsOf(conf, "rule", "rules")
			s.Encryption = append(s.Encryption, s3Rules(b, rules)...)
		}
		if gap, ok := model.GapOf(rd); ok {
			s.Gaps = append(s.Gaps, gap)
		}
		for _, c := range configs[b] {
			crd := policy.Probe(c)
			rules, _ := itemsOf(crd, "rules", "rule")
			s.Encryption = append(s.Encryption, s3Rules(c, rules)...)
			if gap, ok := model.GapOf(crd); ok {
				s.Gaps = append(s.Gaps, gap)
			}
		}
		out = append(out, s)
	}
	return out
}

// s3Rules reads the applyServerSideEncryptionByDefault blocks of rules
// (probe readers of res); the structure's gaps stay on the probe.
func s3Rules(res *graph.Resource, rules []policy.Reader) []model.EncryptionRule {
	var out []model.EncryptionRule
	for _, rule := range rules {
		defaults, _ := itemsOf(rule, "applyServerSideEncryptionByDefault", "applyServerSideEncryptionByDefaults")
		for _, d := range defaults {
			alg := model.String(res, d.Base()+".sseAlgorithm")
			out = append(out, model.EncryptionRule{
				Algorithm:   alg,
				Base:        d.Base(),
				Valid:       sseAlgorithms[alg.Value],
				CustomerKey: alg.Value != "AES256",
			})
		}
	}
	return out
}

// itemsOf reads the first of several spellings of a block (singular object
// in one provider version, list in another) that is set.
func itemsOf(r policy.Reader, keys ...string) ([]policy.Reader, policy.State) {
	for _, k := range keys {
		if r.IsSet(k) {
			return r.Items(k)
		}
	}
	return nil, policy.Absent
}
