package policies

import "github.com/selfhosted-hardening/selfhosted-hardening/adapters/aws"

// Type tokens the tests write resources with, named as the adapters that
// own them name them.
const (
	typeS3Bucket       = aws.TypeS3Bucket
	typeS3BucketV2     = aws.TypeS3BucketV2
	typeS3EncryptionV2 = aws.TypeS3EncryptionV2
	typeS3Encryption   = aws.TypeS3Encryption
)
