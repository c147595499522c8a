// Command demo previews a bundled example program (program.go) with the
// selfhosted-hardening pack in the real Pulumi CLI, with a local file backend
// in a temporary directory, and prints what the pack reports.
//
// The AWS provider is a stand-in: -provider names a test double
// (internal/e2e/fakeaws) that never calls AWS; the real pulumi-resource-aws
// cannot be downloaded here. scripts/demo.sh builds everything and runs this.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
)

func main() {
	cliRoot := flag.String("cli-root", "", "directory whose bin/pulumi is the Pulumi CLI")
	pack := flag.String("pack", "", "the pack: its binary, or its directory (needs pulumi-language-go)")
	provider := flag.String("provider", "", "pulumi-resource-aws binary to install as aws 6.83.4 (the stand-in)")
	flag.Parse()
	if err := run(*cliRoot, *pack, *provider); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(cliRoot, pack, provider string) error {
	ctx := context.Background()
	// The CLI runs in a temporary directory: make the paths absolute.
	for _, p := range []*string{&cliRoot, &pack, &provider} {
		abs, err := filepath.Abs(*p)
		if err != nil {
			return err
		}
		*p = abs
	}
	dir, err := os.MkdirTemp("", "selfhosted-hardening-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	env := map[string]string{
		"PULUMI_HOME":                                 filepath.Join(dir, "home"),
		"PULUMI_BACKEND_URL":                          "file://" + filepath.Join(dir, "backend"),
		"PULUMI_CONFIG_PASSPHRASE":                    "demo",
		"PULUMI_SKIP_UPDATE_CHECK":                    "true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
	}
	for _, d := range []string{"home", "backend"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return err
		}
	}
	bin := filepath.Join(cliRoot, "bin", "pulumi")
	install := exec.Command(bin, "plugin", "install", "resource", "aws", "6.83.4", "--file", provider, "--non-interactive")
	install.Env = os.Environ()
	for k, v := range env {
		install.Env = append(install.Env, k+"="+v)
	}
	if out, err := install.CombinedOutput(); err != nil {
		return fmt.Errorf("installing the stand-in aws provider: %v\n%s", err, out)
	}
	cli, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: cliRoot, SkipVersionCheck: true})
	if err != nil {
		return err
	}
	stack, err := auto.UpsertStackInlineSource(ctx, "dev", "selfhosted-demo", program,
		auto.Pulumi(cli), auto.EnvVars(env), auto.PulumiHome(env["PULUMI_HOME"]), auto.WorkDir(dir))
	if err != nil {
		return err
	}
	if err := stack.SetConfig(ctx, "dbPassword", auto.ConfigValue{Value: "demo-Passw0rd-not-shown", Secret: true}); err != nil {
		return err
	}
	if err := stack.SetConfig(ctx, "aws:region", auto.ConfigValue{Value: "us-west-2"}); err != nil {
		return err
	}

	fmt.Printf("pulumi preview --policy-pack %s (AWS provider: the stand-in test double)\n\n", pack)
	ch := make(chan events.EngineEvent)
	counts := map[string]int{}
	done := make(chan struct{})
	go func() {
		for e := range ch {
			if e.PolicyEvent != nil {
				counts[e.PolicyEvent.EnforcementLevel]++
			}
		}
		close(done)
	}()
	_, err = stack.Preview(ctx, optpreview.PolicyPacks(pack), optpreview.ProgressStreams(os.Stdout),
		optpreview.EventStreams(ch), optpreview.Color("always"))
	<-done
	fmt.Printf("\n%d mandatory and %d advisory findings.\n", counts["mandatory"], counts["advisory"])
	switch {
	case err == nil:
		fmt.Println("The preview passed.")
	case counts["mandatory"] > 0 && strings.Contains(err.Error(), "preview failed"):
		fmt.Println("The preview failed on the mandatory findings above, as it should for this program.")
	default:
		return fmt.Errorf("preview: %w", err)
	}
	return nil
}
