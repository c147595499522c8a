// Command benchpreview times `pulumi preview` of a generated inline program
// of 100 and 1,000 resources in the real Pulumi CLI: with no policy pack,
// with the pack binary, and with the pack directory when the Go language
// host (pulumi-language-go) is on PATH. Runs are interleaved so machine
// noise falls on every variant alike; it prints the median, the spread and
// the ratio pack/no-pack. scripts/bench.sh runs it.
//
// The AWS provider is the stand-in test double internal/e2e/fakeaws; the
// CLI, engine and pack are real. PULUMI_SKIP_CHECKPOINTS keeps the CLI's own
// snapshot writes from dominating. Every policy runs at advisory level (a
// --policy-pack-config with "all": "advisory") so a finding cannot end a
// preview early.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/clienv"
)

func main() {
	cliRoot := flag.String("cli-root", "", "directory whose bin/pulumi is the Pulumi CLI")
	pack := flag.String("pack", "", "the pack binary")
	packDir := flag.String("pack-dir", "", "the pack directory (used only when pulumi-language-go is on PATH)")
	provider := flag.String("provider", "", "the stand-in pulumi-resource-aws binary")
	runs := flag.Int("runs", 5, "timed runs per variant and size")
	sizes := flag.String("sizes", "100,1000", "program sizes in resources")
	flag.Parse()
	if err := run(*cliRoot, *pack, *packDir, *provider, *runs, *sizes); err != nil {
		fmt.Fprintln(os.Stderr, "benchpreview:", err)
		os.Exit(1)
	}
}

// unit registers 10 resources in the shapes of the installers: a bucket and
// its encryption, a security group and a rule, a subnet group, a parameter
// group and an Aurora cluster, a task definition, a secret and its version.
func unit(ctx *pulumi.Context, i int) error {
	n := func(s string) string { return fmt.Sprintf("%s-%d", s, i) }
	b, err := s3.NewBucketV2(ctx, n("bucket"), nil)
	if err != nil {
		return err
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, n("bucket-sse"), &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: b.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm: pulumi.String("aws:kms"),
			},
		}},
	}); err != nil {
		return err
	}
	sg, err := ec2.NewSecurityGroup(ctx, n("sg"), &ec2.SecurityGroupArgs{Ingress: ec2.SecurityGroupIngressArray{
		&ec2.SecurityGroupIngressArgs{Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443),
			CidrBlocks: pulumi.StringArray{pulumi.String("10.0.0.0/16")}},
	}})
	if err != nil {
		return err
	}
	if _, err := ec2.NewSecurityGroupRule(ctx, n("sg-rule"), &ec2.SecurityGroupRuleArgs{
		Type: pulumi.String("ingress"), Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(3306),
		ToPort: pulumi.Int(3306), SecurityGroupId: sg.ID(), SourceSecurityGroupId: sg.ID(),
	}); err != nil {
		return err
	}
	group, err := rds.NewSubnetGroup(ctx, n("db-subnets"), &rds.SubnetGroupArgs{Name: pulumi.String(n("db-subnets")),
		SubnetIds: pulumi.StringArray{pulumi.String("subnet-priv1"), pulumi.String("subnet-priv2")}})
	if err != nil {
		return err
	}
	params, err := rds.NewClusterParameterGroup(ctx, n("db-tls"), &rds.ClusterParameterGroupArgs{
		Name: pulumi.String(n("db-tls")), Family: pulumi.String("aurora-mysql8.0"),
		Parameters: rds.ClusterParameterGroupParameterArray{&rds.ClusterParameterGroupParameterArgs{
			Name: pulumi.String("require_secure_transport"), Value: pulumi.String("ON")}},
	})
	if err != nil {
		return err
	}
	if _, err := rds.NewCluster(ctx, n("db"), &rds.ClusterArgs{
		Engine: pulumi.String("aurora-mysql"), StorageEncrypted: pulumi.Bool(true), MasterUsername: pulumi.String("pulumi"),
		ManageMasterUserPassword: pulumi.Bool(true), DbSubnetGroupName: group.Name,
		DbClusterParameterGroupName: params.Name, VpcSecurityGroupIds: pulumi.StringArray{sg.ID()},
	}); err != nil {
		return err
	}
	secret, err := secretsmanager.NewSecret(ctx, n("license"), nil)
	if err != nil {
		return err
	}
	if _, err := secretsmanager.NewSecretVersion(ctx, n("license"), &secretsmanager.SecretVersionArgs{
		SecretId: secret.ID(), SecretString: pulumi.ToSecret(pulumi.String("license")).(pulumi.StringOutput),
	}); err != nil {
		return err
	}
	defs := pulumi.JSONMarshal(pulumi.Array{pulumi.Map{
		"name": pulumi.String("api"), "image": pulumi.String("pulumi/service:latest"),
		"environment": pulumi.Array{pulumi.Map{"name": pulumi.String("API_MIN_TLS_VERSION"), "value": pulumi.String("1.2")}},
		"secrets":     pulumi.Array{pulumi.Map{"name": pulumi.String("PULUMI_LICENSE_KEY"), "valueFrom": pulumi.String("arn:aws:secretsmanager:x")}},
	}})
	_, err = ecs.NewTaskDefinition(ctx, n("api"), &ecs.TaskDefinitionArgs{Family: pulumi.String(n("api")), ContainerDefinitions: defs})
	return err
}

func program(resources int) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		for i := 0; i < resources/10; i++ {
			if err := unit(ctx, i); err != nil {
				return err
			}
		}
		return nil
	}
}

type variant struct {
	name string
	opts []optpreview.Option
}

func run(cliRoot, pack, packDir, provider string, runs int, sizes string) error {
	ctx := context.Background()
	if err := clienv.Abs(&pack, &packDir); err != nil {
		return err
	}
	w, err := clienv.New(cliRoot, provider, map[string]string{"PULUMI_SKIP_CHECKPOINTS": "true"})
	if err != nil {
		return err
	}
	defer w.Close()
	cfgFile := filepath.Join(w.Dir, "advisory.json")
	if err := os.WriteFile(cfgFile, []byte(`{"all": "advisory"}`), 0o644); err != nil {
		return err
	}
	offFile := filepath.Join(w.Dir, "disabled.json")
	if err := os.WriteFile(offFile, []byte(`{"all": "disabled"}`), 0o644); err != nil {
		return err
	}
	variants := []variant{
		{"no pack", nil},
		{"pack binary", []optpreview.Option{optpreview.PolicyPacks(pack), optpreview.PolicyPackConfigs(cfgFile)}},
		// Every policy disabled: what the engine's analyzer calls cost,
		// with the pack doing no work. The floor for any pack.
		{"pack binary, all policies disabled", []optpreview.Option{optpreview.PolicyPacks(pack),
			optpreview.PolicyPackConfigs(offFile)}},
	}
	if _, err := exec.LookPath("pulumi-language-go"); err == nil && packDir != "" {
		variants = append(variants, variant{"pack directory",
			[]optpreview.Option{optpreview.PolicyPacks(packDir), optpreview.PolicyPackConfigs(cfgFile)}})
	} else {
		fmt.Println("pack directory: skipped, no pulumi-language-go on PATH (the Go language host is not on the module proxy)")
	}
	host, _ := os.Hostname()
	fmt.Printf("machine: %s, %s; %d timed runs per cell after one warm-up\n\n", host, goVersion(), runs)
	fmt.Println("| resources | variant | median | min | max | pack/no-pack |")
	fmt.Println("|---|---|---|---|---|---|")
	for _, field := range strings.Split(sizes, ",") {
		var n int
		if _, err := fmt.Sscan(field, &n); err != nil {
			return fmt.Errorf("size %q: %w", field, err)
		}
		if err := os.MkdirAll(filepath.Join(w.Dir, field), 0o755); err != nil {
			return err
		}
		stack, err := w.Stack(ctx, "bench", fmt.Sprintf("n%d", n), filepath.Join(w.Dir, field), program(n), nil)
		if err != nil {
			return err
		}
		times := make([][]time.Duration, len(variants))
		for r := -1; r < runs; r++ { // r == -1: warm-up
			for i, v := range variants {
				start := time.Now()
				if _, err := stack.Preview(ctx, v.opts...); err != nil {
					return fmt.Errorf("%s, %d resources: %w", v.name, n, err)
				}
				if r >= 0 {
					times[i] = append(times[i], time.Since(start))
				}
			}
		}
		base := median(times[0])
		for i, v := range variants {
			ratio := "—"
			if i > 0 {
				ratio = fmt.Sprintf("%.3f (%+.1f%%)", float64(median(times[i]))/float64(base),
					100*(float64(median(times[i]))/float64(base)-1))
			}
			sort.Slice(times[i], func(a, b int) bool { return times[i][a] < times[i][b] })
			fmt.Printf("| %d | %s | %s | %s | %s | %s |\n", n, v.name, secs(median(times[i])),
				secs(times[i][0]), secs(times[i][len(times[i])-1]), ratio)
		}
	}
	return nil
}

func median(ds []time.Duration) time.Duration {
	c := append([]time.Duration(nil), ds...)
	sort.Slice(c, func(a, b int) bool { return c[a] < c[b] })
	if len(c)%2 == 1 {
		return c[len(c)/2]
	}
	return (c[len(c)/2-1] + c[len(c)/2]) / 2
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func goVersion() string {
	out, err := exec.Command("go", "version").Output()
	if err != nil {
		return "go ?"
	}
	return strings.TrimSpace(string(out))
}
