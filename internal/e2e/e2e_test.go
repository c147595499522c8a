// Package e2e runs the pack inside the real Pulumi CLI v3.274.1 (built from
// the Go module proxy by scripts/pulumi-cli.sh), with a local file backend,
// against Automation API inline programs written with pulumi-aws v6.
//
// The one test double is the AWS provider: internal/e2e/fakeaws stands in
// for pulumi-resource-aws, which cannot be downloaded here. It passes inputs
// through and reports unknown outputs in preview. The CLI, the engine, the
// plugin protocol and the pack binary are the real ones.
package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/clienv"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/programs"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/testbin"
)

const (
	project    = "e2e"
	dbPassword = "e2e-Sup3r-Secret-Passw0rd"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil && shared.World != nil {
		_ = shared.Close()
	}
	testbin.Cleanup()
	os.Exit(code)
}

// world is the CLI set-up shared by the tests, with the pack binary.
type world struct {
	*clienv.World
	pack string
}

var (
	once   sync.Once
	shared *world
	setErr error
)

func setup(t *testing.T) *world {
	t.Helper()
	testbin.CLI(t) // skips, or fails under SELFHOSTED_HARDENING_E2E=1, without a CLI
	once.Do(func() {
		var w *clienv.World
		w, setErr = clienv.New(testbin.CLIRoot(), testbin.FakeAWS(t),
			map[string]string{"PULUMI_SKIP_CHECKPOINTS": "true"})
		shared = &world{World: w, pack: testbin.Pack(t)}
	})
	if setErr != nil {
		t.Fatalf("e2e setup: %v", setErr)
	}
	return shared
}

func (w *world) stack(t *testing.T, name string, program pulumi.RunFunc) auto.Stack {
	t.Helper()
	s, err := w.Stack(context.Background(), project, name, t.TempDir(), program, map[string]auto.ConfigValue{
		"dbPassword": {Value: dbPassword, Secret: true},
	})
	if err != nil {
		t.Fatalf("stack %s: %v", name, err)
	}
	return s
}

func preview(t *testing.T, s auto.Stack, opts ...optpreview.Option) clienv.Outcome {
	t.Helper()
	return clienv.Preview(context.Background(), s, opts...)
}

// violating has one bare bucket, one bucket encrypted by a separate
// configuration that names it by its (in preview unknown) id, and an Aurora
// cluster without storage encryption whose password is secret config.
func violating(ctx *pulumi.Context) error {
	if err := programs.EncryptedBucket(ctx, "encrypted"); err != nil {
		return err
	}
	if _, err := s3.NewBucketV2(ctx, "bare", nil); err != nil {
		return err
	}
	return cluster(ctx, false)
}

func compliant(ctx *pulumi.Context) error {
	if err := programs.EncryptedBucket(ctx, "encrypted"); err != nil {
		return err
	}
	return cluster(ctx, true)
}

// cluster puts an Aurora cluster in a private subnet of an in-stack VPC
// (its route table has no route to the internet).
func cluster(ctx *pulumi.Context, encrypted bool) error {
	net, err := ec2.NewVpc(ctx, "vpc", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")})
	if err != nil {
		return err
	}
	rt, err := ec2.NewRouteTable(ctx, "private", &ec2.RouteTableArgs{VpcId: net.ID()})
	if err != nil {
		return err
	}
	var subnets pulumi.StringArray
	for i, zone := range []string{"a", "b"} {
		sn, err := ec2.NewSubnet(ctx, "private-"+zone, &ec2.SubnetArgs{
			VpcId: net.ID(), CidrBlock: pulumi.Sprintf("10.0.%d.0/24", i),
		})
		if err != nil {
			return err
		}
		if _, err := ec2.NewRouteTableAssociation(ctx, "private-"+zone, &ec2.RouteTableAssociationArgs{
			SubnetId: sn.ID(), RouteTableId: rt.ID(),
		}); err != nil {
			return err
		}
		subnets = append(subnets, sn.ID())
	}
	group, err := rds.NewSubnetGroup(ctx, "db", &rds.SubnetGroupArgs{
		Name: pulumi.String("db-subnets"), SubnetIds: subnets,
	})
	if err != nil {
		return err
	}
	sg, err := ec2.NewSecurityGroup(ctx, "db", &ec2.SecurityGroupArgs{VpcId: net.ID()})
	if err != nil {
		return err
	}
	params, err := rds.NewClusterParameterGroup(ctx, "db-tls", &rds.ClusterParameterGroupArgs{
		Name: pulumi.String("db-tls"), Family: pulumi.String("aurora-mysql8.0"),
		Parameters: rds.ClusterParameterGroupParameterArray{&rds.ClusterParameterGroupParameterArgs{
			Name: pulumi.String("require_secure_transport"), Value: pulumi.String("ON"),
		}},
	})
	if err != nil {
		return err
	}
	_, err = rds.NewCluster(ctx, "db", &rds.ClusterArgs{
		DbClusterParameterGroupName: params.Name,
		Engine:                      pulumi.String("aurora-mysql"),
		MasterUsername:              pulumi.String("admin"),
		MasterPassword:              config.RequireSecret(ctx, "dbPassword"),
		StorageEncrypted:            pulumi.Bool(encrypted),
		DbSubnetGroupName:           group.Name,
		VpcSecurityGroupIds:         pulumi.StringArray{sg.ID()},
	})
	return err
}

func noSecret(t *testing.T, o clienv.Outcome) {
	t.Helper()
	if strings.Contains(o.Output, dbPassword) {
		t.Errorf("the secret appears in the CLI output")
	}
	for _, e := range o.Policies {
		if strings.Contains(e.Message, dbPassword) {
			t.Errorf("the secret appears in a policy message: %+v", e)
		}
	}
}

func TestPreviewWithPackBinaryFailsOnViolations(t *testing.T) {
	w := setup(t)
	s := w.stack(t, "violating", violating)
	o := preview(t, s, optpreview.PolicyPacks(w.pack))
	if o.Err == nil {
		t.Fatalf("preview passed; mandatory violations must fail it.\n%s", o.Output)
	}
	bare := o.Find("s3-bucket-encrypted", "bare")
	if len(bare) != 1 || bare[0].EnforcementLevel != "mandatory" || bare[0].Severity != "high" ||
		bare[0].PolicyPackName != "selfhosted-hardening" {
		t.Errorf("bare bucket: want one mandatory high violation, got %+v", bare)
	}
	if got := o.Find("s3-bucket-encrypted", "encrypted"); len(got) != 0 {
		t.Errorf("encrypted bucket flagged; its configuration must be found by property dependency: %+v", got)
	}
	db := o.Find("rds-storage-encrypted", "db")
	if len(db) != 1 || db[0].EnforcementLevel != "mandatory" || !strings.Contains(db[0].Message, "storageEncrypted is false") {
		t.Errorf("db: want one mandatory violation naming storageEncrypted, got %+v", db)
	}
	if len(o.Mandatory()) != 2 {
		t.Errorf("want exactly 2 mandatory violations, got %+v", o.Mandatory())
	}
	for _, want := range []string{"s3-bucket-encrypted", "rds-storage-encrypted", "Fix:"} {
		if !strings.Contains(o.Output, want) {
			t.Errorf("CLI output lacks %q:\n%s", want, o.Output)
		}
	}
	noSecret(t, o)
	t.Logf("preview with pack: %v\n%s", o.Elapsed, o.Output)
}

func TestCompliantPreviewIsClean(t *testing.T) {
	w := setup(t)
	s := w.stack(t, "compliant", compliant)
	o := preview(t, s, optpreview.PolicyPacks(w.pack))
	if o.Err != nil {
		t.Fatalf("compliant preview failed: %v\n%s", o.Err, o.Output)
	}
	if len(o.Policies) != 0 {
		t.Errorf("compliant program got findings: %+v", o.Policies)
	}
	noSecret(t, o)

	plain := preview(t, s)
	if plain.Err != nil {
		t.Fatalf("preview without pack: %v", plain.Err)
	}
	t.Logf("preview of the compliant program: %v with the pack, %v without", o.Elapsed, plain.Elapsed)
}

func writeConfig(t *testing.T, cfg map[string]any) string {
	t.Helper()
	data, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "policy-config.json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPolicyPackConfigTakesEffect(t *testing.T) {
	w := setup(t)
	s := w.stack(t, "configured", violating)
	cfg := writeConfig(t, map[string]any{
		"rds-storage-encrypted": "advisory",
		"s3-bucket-encrypted":   map[string]any{"enforcementLevel": "disabled"},
	})
	o := preview(t, s, optpreview.PolicyPacks(w.pack), optpreview.PolicyPackConfigs(cfg))
	if o.Err != nil {
		t.Fatalf("with both policies relaxed the preview must pass: %v\n%s", o.Err, o.Output)
	}
	if got := o.Find("s3-bucket-encrypted", "bare"); len(got) != 0 {
		t.Errorf("disabled policy reported: %+v", got)
	}
	if db := o.Find("rds-storage-encrypted", "db"); len(db) != 1 || db[0].EnforcementLevel != "advisory" {
		t.Errorf("advisory level not applied: %+v", db)
	}
}

func TestInvalidPolicyConfigIsRefused(t *testing.T) {
	w := setup(t)
	s := w.stack(t, "badconfig", compliant)
	for _, c := range []struct {
		name string
		cfg  map[string]any
		want []string
	}{
		// Caught by the engine from the pack's JSON schema.
		{"wrong type", map[string]any{"s3-bucket-encrypted": map[string]any{"requireKms": "yes"}},
			[]string{"s3-bucket-encrypted", "requireKms"}},
		// Caught by the pack's Configure: a schema cannot forbid extra keys here.
		{"misspelt key", map[string]any{"s3-bucket-encrypted": map[string]any{"requireKMS": true}},
			[]string{"s3-bucket-encrypted", `unknown config property "requireKMS"; did you mean requireKms?`}},
		{"unknown policy", map[string]any{"s3-bucket-encrypton": "disabled"},
			[]string{`"s3-bucket-encrypton" is not a policy`, "did you mean s3-bucket-encrypted?"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := preview(t, s, optpreview.PolicyPacks(w.pack), optpreview.PolicyPackConfigs(writeConfig(t, c.cfg)))
			if o.Err == nil {
				t.Fatalf("invalid config accepted:\n%s", o.Output)
			}
			for _, want := range c.want {
				if !strings.Contains(o.Output+o.Err.Error(), want) {
					t.Errorf("error lacks %q:\n%v\n%s", want, o.Err, o.Output)
				}
			}
		})
	}
}

// TestUpdateThenAnalyze deploys the compliant program (every value known,
// ids from the stand-in provider), previews again (resources unchanged), and
// runs `pulumi policy analyze` on the stored state.
func TestUpdateThenAnalyze(t *testing.T) {
	w := setup(t)
	s := w.stack(t, "deployed", compliant)
	ctx := context.Background()
	var out strings.Builder
	if _, err := s.Up(ctx, optup.PolicyPacks(w.pack), optup.ProgressStreams(&out)); err != nil {
		t.Fatalf("up: %v\n%s", err, out.String())
	}
	o := preview(t, s, optpreview.PolicyPacks(w.pack))
	if o.Err != nil || len(o.Policies) != 0 {
		t.Fatalf("preview of the deployed compliant stack: %v %+v\n%s", o.Err, o.Policies, o.Output)
	}
	// policy analyze judges the stored state: inputs to Analyze, outputs to
	// AnalyzeStack, without running the program.
	dir := s.Workspace().WorkDir()
	res, err := w.Run(dir, "policy", "analyze", "--stack", "deployed", "--policy-pack", w.pack)
	t.Logf("pulumi policy analyze: err=%v\n%s", err, res)
	if err != nil {
		t.Errorf("policy analyze on a compliant stack failed: %v", err)
	}
	if strings.Contains(res, "mandatory") {
		t.Errorf("policy analyze reported violations on a compliant stack:\n%s", res)
	}
}

// TestAnalyzeDeployedViolations deploys the violating program without the
// pack, then judges the stored state with `pulumi policy analyze`: the
// engine sends stored inputs to Analyze and outputs (with the provider's
// ids) to AnalyzeStack.
func TestAnalyzeDeployedViolations(t *testing.T) {
	w := setup(t)
	s := w.stack(t, "deployed-violating", violating)
	var out strings.Builder
	if _, err := s.Up(context.Background(), optup.ProgressStreams(&out)); err != nil {
		t.Fatalf("up without the pack: %v\n%s", err, out.String())
	}
	res, err := w.Run(s.Workspace().WorkDir(), "policy", "analyze", "--stack", "deployed-violating",
		"--policy-pack", w.pack)
	t.Logf("pulumi policy analyze: err=%v\n%s", err, res)
	if err == nil {
		t.Error("policy analyze must fail on mandatory violations")
	}
	for _, want := range []string{"rds-storage-encrypted", "(aws:rds:Cluster: db)", "s3-bucket-encrypted",
		"(aws:s3:BucketV2: bare)"} {
		if !strings.Contains(res, want) {
			t.Errorf("policy analyze output lacks %q", want)
		}
	}
	if strings.Contains(res, "(aws:s3:BucketV2: encrypted)") {
		t.Error("the encrypted bucket was flagged: its configuration must be joined by id from the stored state")
	}
	if strings.Contains(res, dbPassword) {
		t.Error("secret in policy analyze output")
	}
}
