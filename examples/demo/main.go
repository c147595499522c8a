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
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/clienv"
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
	// The CLI runs in a temporary directory.
	if err := clienv.Abs(&pack); err != nil {
		return err
	}
	w, err := clienv.New(cliRoot, provider, nil)
	if err != nil {
		return err
	}
	defer w.Close()
	stack, err := w.Stack(ctx, "selfhosted-demo", "dev", w.Dir, program, map[string]auto.ConfigValue{
		"dbPassword": {Value: "demo-Passw0rd-not-shown", Secret: true},
		// Set as a secret, but the program reads it plainly (as the ECS
		// installer does): the pack finds it in the container environment.
		"licenseKey": {Value: "demo-license-key-not-shown", Secret: true},
	})
	if err != nil {
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
