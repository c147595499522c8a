// Package programs holds pieces of pulumi-aws v6 programs shared by the
// demo, the harness tests and the end-to-end tests.
package programs

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// EncryptedBucket registers a bucket and a separate SSE-KMS encryption
// configuration that names it by its id (unknown in a preview).
func EncryptedBucket(ctx *pulumi.Context, name string) error {
	b, err := s3.NewBucketV2(ctx, name, nil)
	if err != nil {
		return err
	}
	_, err = s3.NewBucketServerSideEncryptionConfigurationV2(ctx, name+"-sse",
		&s3.BucketServerSideEncryptionConfigurationV2Args{
			Bucket: b.ID(),
			Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{
				&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
					ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
						SseAlgorithm: pulumi.String("aws:kms"),
					},
				},
			},
		})
	return err
}
