package hardeningtest_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/selfhosted-hardening/selfhosted-hardening/hardeningtest"
)

// A unit test of your own program: run it under mocks in preview mode and
// look at what the pack reports. In a test, fail on res.Mandatory().
func Example() {
	program := func(ctx *pulumi.Context) error {
		_, err := s3.NewBucketV2(ctx, "checkpoints", nil) // no encryption configuration
		return err
	}
	res, err := hardeningtest.Run(program, hardeningtest.Options{Mode: hardeningtest.Preview})
	if err != nil {
		panic(err)
	}
	for _, f := range res.Mandatory() {
		fmt.Println(f.Policy, f.ResourceName(), f.Severity)
	}
	// Output: s3-bucket-encrypted checkpoints high
}
