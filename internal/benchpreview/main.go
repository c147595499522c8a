// Command benchpreview times `pulumi preview` of a generated inline program
// of 100 and 1,000 resources in the real Pulumi CLI: with no policy pack,
// with the pack binary, and with the pack directory when the Go language
// host (pulumi-language-go) is on PATH. Runs are interleaved so machine
// noise falls on every variant alike; it prints the median, the spread and
// the ratio pack/no-pack. scripts/bench.sh runs it.
//
// With -program eks it previews an EKS-shaped program instead (eks.go:
// units of 10 Kubernetes objects in the EKS installer's shapes) with the
// stand-in Kubernetes provider (-kubernetes-provider, internal/e2e/fakek8s),
// in three variants: no pack, a pack of one policy that does nothing
// (-noop-pack, built from ./internal/benchpreview/noop), and the whole pack.
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
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
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
	shape := flag.String("program", "aws", "aws: the ECS/RDS-shaped program; eks: the EKS-shaped Kubernetes program")
	k8sProvider := flag.String("kubernetes-provider", "", "the stand-in pulumi-resource-kubernetes binary (-program eks)")
	noopPack := flag.String("noop-pack", "", "a pack binary of one no-op policy (-program eks)")
	flag.Parse()
	var err error
	switch *shape {
	case "aws":
		err = run(*cliRoot, *pack, *packDir, *provider, *runs, *sizes)
	case "eks":
		err = runEKS(*cliRoot, *pack, *noopPack, *provider, *k8sProvider, *runs, *sizes)
	default:
		err = fmt.Errorf("-program %q: want aws or eks", *shape)
	}
	if err != nil {
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
	return table(ctx, w, "bench", program, variants, runs, sizes, false)
}

// table previews the program at each size with every variant, interleaved
// (one warm-up round, then runs timed rounds), and prints one row per
// variant and size: median, min, max, and the ratio to the first variant;
// with second also the ratio to the second.
func table(ctx context.Context, w *clienv.World, project string, program func(int) pulumi.RunFunc,
	variants []variant, runs int, sizes string, second bool,
) error {
	header, rule := "| resources | variant | median | min | max | vs "+variants[0].name+" |", "|---|---|---|---|---|---|"
	if second {
		header, rule = header+" vs "+variants[1].name+" |", rule+"---|"
	}
	fmt.Println(header)
	fmt.Println(rule)
	for _, field := range strings.Split(sizes, ",") {
		var n int
		if _, err := fmt.Sscan(field, &n); err != nil {
			return fmt.Errorf("size %q: %w", field, err)
		}
		dir := filepath.Join(w.Dir, project+"-"+field)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		stack, err := w.Stack(ctx, project, fmt.Sprintf("n%d", n), dir, program(n), nil)
		if err != nil {
			return err
		}
		times := make([][]time.Duration, len(variants))
		var found []string           // findings per variant, counted in the warm-up
		for r := -1; r < runs; r++ { // r == -1: warm-up
			for i, v := range variants {
				opts := v.opts
				var count func() string
				if r == -1 {
					var extra optpreview.Option
					extra, count = countFindings()
					opts = append(append([]optpreview.Option(nil), opts...), extra)
				}
				start := time.Now()
				if _, err := stack.Preview(ctx, opts...); err != nil {
					return fmt.Errorf("%s, %d resources: %w", v.name, n, err)
				}
				if r >= 0 {
					times[i] = append(times[i], time.Since(start))
				} else {
					found = append(found, fmt.Sprintf("%s: %s", v.name, count()))
				}
			}
		}
		defer fmt.Printf("\nfindings at %d resources (warm-up run): %s\n", n, strings.Join(found, "; "))
		ratio := func(i, to int) string {
			if i <= to {
				return "—"
			}
			q := float64(median(times[i])) / float64(median(times[to]))
			return fmt.Sprintf("%.3f (%+.1f%%)", q, 100*(q-1))
		}
		for i, v := range variants {
			sorted := append([]time.Duration(nil), times[i]...)
			sort.Slice(sorted, func(a, b int) bool { return sorted[a] < sorted[b] })
			row := fmt.Sprintf("| %d | %s | %s | %s | %s | %s |", n, v.name, secs(median(sorted)),
				secs(sorted[0]), secs(sorted[len(sorted)-1]), ratio(i, 0))
			if second {
				row += " " + ratio(i, 1) + " |"
			}
			fmt.Println(row)
		}
	}
	return nil
}

// countFindings returns a preview option that streams the engine's events,
// and a function that waits for the stream's end and says how many policy
// events it held, by policy.
func countFindings() (optpreview.Option, func() string) {
	ch := make(chan events.EngineEvent)
	by := map[string]int{}
	total := 0
	done := make(chan struct{})
	go func() {
		for e := range ch {
			if p := e.PolicyEvent; p != nil {
				by[p.PolicyName]++
				total++
			}
		}
		close(done)
	}()
	return optpreview.EventStreams(ch), func() string {
		select {
		case <-done:
		case <-time.After(10 * time.Second):
		}
		if total == 0 {
			return "none"
		}
		keys := make([]string, 0, len(by))
		for k := range by {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s %d", k, by[k])
		}
		return fmt.Sprintf("%d (%s)", total, strings.Join(parts, ", "))
	}
}

// runEKS times the EKS-shaped program with no pack, the no-op pack and the
// whole pack (every policy advisory).
func runEKS(cliRoot, pack, noopPack, provider, k8sProvider string, runs int, sizes string) error {
	ctx := context.Background()
	if pack == "" || noopPack == "" || k8sProvider == "" {
		return fmt.Errorf("-program eks needs -pack, -noop-pack and -kubernetes-provider")
	}
	if err := clienv.Abs(&pack, &noopPack, &k8sProvider); err != nil {
		return err
	}
	w, err := clienv.New(cliRoot, provider, map[string]string{"PULUMI_SKIP_CHECKPOINTS": "true"})
	if err != nil {
		return err
	}
	defer w.Close()
	if out, err := w.Run(w.Dir, "plugin", "install", "resource", "kubernetes", kubernetesVersion, "--file", k8sProvider); err != nil {
		return fmt.Errorf("installing the stand-in kubernetes provider: %v\n%s", err, out)
	}
	// Every policy advisory, and the Ingresses' inbound-cidrs allowlisted.
	cfgFile := filepath.Join(w.Dir, "advisory-eks.json")
	if err := os.WriteFile(cfgFile, []byte(`{"all": "advisory", `+
		`"load-balancer-ingress-allowlist": {"ingressAllowList": ["203.0.113.0/24"]}}`), 0o644); err != nil {
		return err
	}
	variants := []variant{
		{"no pack", nil},
		{"no-op pack", []optpreview.Option{optpreview.PolicyPacks(noopPack)}},
		{"whole pack", []optpreview.Option{optpreview.PolicyPacks(pack), optpreview.PolicyPackConfigs(cfgFile)}},
	}
	host, _ := os.Hostname()
	fmt.Printf("EKS-shaped program (Kubernetes provider: the stand-in); machine: %s, %s; %d timed runs per cell "+
		"after one warm-up\n\n", host, goVersion(), runs)
	return table(ctx, w, "bencheks", eksProgram, variants, runs, sizes, true)
}

// kubernetesVersion is the plugin version pulumi-kubernetes/sdk/v4 v4.32.0
// asks for, and the one the stand-in answers as.
const kubernetesVersion = "4.32.0"

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
