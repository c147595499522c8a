package bundle

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/clienv"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/testbin"
	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
)

// TestPreviewThroughBundle previews, in the real Pulumi CLI, an Automation
// API program with an unencrypted bucket, with the bundle's launcher (built
// as the Go language host builds it) as the policy pack, as
// internal/e2e does with the pack binary: private PULUMI_HOME, file backend,
// the stand-in AWS provider internal/e2e/fakeaws (a test double) installed
// as aws 6.83.4. The preview must fail on the mandatory s3-bucket-encrypted
// violation, and the pack must have run from the launcher's cache.
func TestPreviewThroughBundle(t *testing.T) {
	testbin.CLI(t) // skips, or fails under SELFHOSTED_HARDENING_E2E=1, without a CLI
	launcher, _ := hostBuild(t, testbin.Dist(t), "")

	cache := filepath.Join(t.TempDir(), "pack-cache")
	w, err := clienv.New(testbin.CLIRoot(), testbin.FakeAWS(t), map[string]string{
		"PULUMI_SKIP_CHECKPOINTS": "true",
		CacheEnv(policies.Name):   cache,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx := context.Background()
	program := func(ctx *pulumi.Context) error {
		_, err := s3.NewBucketV2(ctx, "bare", nil)
		return err
	}
	s, err := w.Stack(ctx, "bundle", "bundle", t.TempDir(), program, nil)
	if err != nil {
		t.Fatal(err)
	}
	o := clienv.Preview(ctx, s, optpreview.PolicyPacks(launcher))
	if o.Err == nil {
		t.Fatalf("preview passed; the unencrypted bucket must fail it.\n%s", o.Output)
	}
	bare := o.Find("s3-bucket-encrypted", "bare")
	if len(bare) != 1 || bare[0].EnforcementLevel != "mandatory" || bare[0].PolicyPackName != policies.Name ||
		bare[0].PolicyPackVersion != policies.Version {
		t.Errorf("want one mandatory s3-bucket-encrypted violation on bare from %s %s, got %+v\n%s",
			policies.Name, policies.Version, o.Policies, o.Output)
	}
	if files := listTree(t, cache); len(files) != 1 || !strings.HasSuffix(files[0], BinaryName(policies.Name, hostPlatform)) {
		t.Errorf("the launcher's cache holds %v: the pack did not run through the launcher", files)
	}
	t.Logf("preview through the bundle:\n%s", o.Output)
}
