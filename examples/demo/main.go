// Command demo previews two bundled example programs with the
// selfhosted-hardening pack in the real Pulumi CLI, with a local file backend
// in a temporary directory, and prints what the pack reports: first an ECS
// deployment (internal/programs.ECS), then the EKS installer's service stack
// (internal/programs.EKS, pulumi-kubernetes v4), the local-docker
// installer's shape (internal/programs.Docker, pulumi-docker v4), then AKS-
// and GKE-shaped programs (internal/programs.AKS and GKE) when their
// stand-ins are given.
//
// The providers are stand-ins: -provider names a test double
// (internal/e2e/fakeaws) that never calls AWS, -kubernetes-provider another
// (internal/e2e/fakek8s) that never talks to a cluster, -docker-provider a
// third (internal/e2e/fakedocker) that never talks to a Docker daemon; the real providers
// cannot be downloaded here. scripts/demo.sh builds everything and runs this.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/clienv"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/programs"
)

func main() {
	cliRoot := flag.String("cli-root", "", "directory whose bin/pulumi is the Pulumi CLI")
	pack := flag.String("pack", "", "the pack: its binary, or its directory (needs pulumi-language-go)")
	provider := flag.String("provider", "", "pulumi-resource-aws binary to install as aws 6.83.4 (the stand-in)")
	k8sProvider := flag.String("kubernetes-provider", "",
		"pulumi-resource-kubernetes binary to install as kubernetes 4.32.0 (the stand-in); without it the EKS part is skipped")
	dockerProvider := flag.String("docker-provider", "",
		"pulumi-resource-docker binary to install as docker 4.10.0 (the stand-in); without it the Docker part is skipped")
	// AKS and GKE (issues 19 and 20).
	azureProvider := flag.String("azure-native-provider", "",
		"pulumi-resource-azure-native binary to install as azure-native "+programs.AzureNativeVersion+
			" (the stand-in); with -kubernetes-provider, adds the AKS-shaped preview")
	gcpProvider := flag.String("gcp-provider", "",
		"pulumi-resource-gcp binary to install as gcp "+programs.GCPVersion+" (the stand-in); with -kubernetes-provider and "+
			"-random-provider, adds the GKE-shaped preview")
	randomProvider := flag.String("random-provider", "",
		"pulumi-resource-random binary to install as random "+programs.RandomVersion+" (the stand-in)")
	eventsDir := flag.String("events-dir", "",
		"write each preview's engine events (the Automation API's event stream, JSON lines) to <dir>/<stack>.events.json, "+
			"for cmd/hardening-report")
	flag.Parse()
	clouds := cloudProviders{azure: *azureProvider, gcp: *gcpProvider, random: *randomProvider}
	if err := run(*cliRoot, *pack, *provider, *k8sProvider, *dockerProvider, clouds, *eventsDir); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// part is one program the demo previews.
type part struct {
	title, stack string
	program      pulumi.RunFunc
	secrets      map[string]string // stack config, set with --secret
}

func run(cliRoot, pack, provider, k8sProvider, dockerProvider string, clouds cloudProviders, eventsDir string) error {
	ctx := context.Background()
	// The CLI runs in a temporary directory.
	if err := clienv.Abs(&pack, &k8sProvider, &dockerProvider, &clouds.azure, &clouds.gcp, &clouds.random); err != nil {
		return err
	}
	w, err := clienv.New(cliRoot, provider, nil)
	if err != nil {
		return err
	}
	defer w.Close()
	parts := []part{{
		title:   "ECS: a self-hosted deployment on ECS and RDS (internal/programs/ecs.go; AWS provider: the stand-in test double)",
		stack:   "ecs",
		program: programs.ECS(nil),
		secrets: map[string]string{
			"dbPassword": "demo-Passw0rd-not-shown",
			// Set as a secret, but the program reads it plainly (as the ECS
			// installer does): the pack finds it in the container environment.
			"licenseKey": "demo-license-key-not-shown",
		},
	}}
	if k8sProvider != "" {
		out, err := w.Run(w.Dir, "plugin", "install", "resource", "kubernetes", "4.32.0", "--file", k8sProvider)
		if err != nil {
			return fmt.Errorf("installing the stand-in kubernetes provider: %v\n%s", err, out)
		}
		parts = append(parts, part{
			title: "EKS: the EKS installer's service stack with three plain-text secrets added " +
				"(internal/programs/eks.go; Kubernetes provider: the stand-in test double)",
			stack:   "eks",
			program: programs.EKS(false),
			secrets: programs.EKSSecretConfig,
		})
	}

	if dockerProvider != "" {
		out, err := w.Run(w.Dir, "plugin", "install", "resource", "docker", "4.10.0", "--file", dockerProvider)
		if err != nil {
			return fmt.Errorf("installing the stand-in docker provider: %v\n%s", err, out)
		}
		parts = append(parts, part{
			title: "Docker: the local-docker installer's shape with exposeContainerPorts " +
				"(internal/programs/docker.go; Docker provider: the stand-in test double)",
			stack:   "docker",
			program: programs.Docker(false),
			secrets: programs.DockerSecretConfig,
		})
	}
	// AKS and GKE (issues 19 and 20).
	if k8sProvider != "" {
		cloudParts, err := clouds.parts(w)
		if err != nil {
			return err
		}
		parts = append(parts, cloudParts...)
	}

	for i, p := range parts {
		if i > 0 {
			fmt.Println()
		}
		if err := preview(ctx, w, pack, p, eventsDir); err != nil {
			return fmt.Errorf("%s: %w", p.stack, err)
		}
	}
	return nil
}

// cloudProviders are the stand-in providers of the AKS and GKE previews
// (test doubles: internal/e2e/fakeazure, fakegcp, fakerandom).
type cloudProviders struct{ azure, gcp, random string }

// parts installs the stand-ins it has and returns the previews they allow:
// AKS with azure-native, GKE with gcp and random.
func (c cloudProviders) parts(w *clienv.World) ([]part, error) {
	install := func(name, version, bin string) error {
		out, err := w.Run(w.Dir, "plugin", "install", "resource", name, version, "--file", bin)
		if err != nil {
			return fmt.Errorf("installing the stand-in %s provider: %v\n%s", name, err, out)
		}
		return nil
	}
	var parts []part
	if c.azure != "" {
		if err := install("azure-native", programs.AzureNativeVersion, c.azure); err != nil {
			return nil, err
		}
		parts = append(parts, part{
			title: "AKS: the AKS installer's stacks in one program: storage account, MySQL Flexible Server, AKS, " +
				"ingress-nginx Release, the service (internal/programs/aks.go; azure-native and Kubernetes providers: " +
				"stand-in test doubles)",
			stack:   "aks",
			program: programs.AKS(false),
			secrets: programs.AKSSecretConfig(),
		})
	}
	if c.gcp != "" && c.random != "" {
		if err := install("gcp", programs.GCPVersion, c.gcp); err != nil {
			return nil, err
		}
		if err := install("random", programs.RandomVersion, c.random); err != nil {
			return nil, err
		}
		parts = append(parts, part{
			title: "GKE: the GKE installer's stacks in one program: GCS buckets, Cloud SQL, Autopilot GKE, " +
				"ingress-nginx Chart, a RandomString key, the service (internal/programs/gke.go; gcp, random and " +
				"Kubernetes providers: stand-in test doubles)",
			stack:   "gke",
			program: programs.GKE(false),
			secrets: programs.GKESecretConfig(),
		})
	}
	return parts, nil
}

func preview(ctx context.Context, w *clienv.World, pack string, p part, eventsDir string) error {
	config := map[string]auto.ConfigValue{}
	for k, v := range p.secrets {
		config[k] = auto.ConfigValue{Value: v, Secret: true}
	}
	stack, err := w.Stack(ctx, "selfhosted-demo", p.stack, w.Dir, p.program, nil)
	if err != nil {
		return err
	}
	if err := stack.SetAllConfig(ctx, config); err != nil {
		return err
	}
	rule := strings.Repeat("=", 78)
	fmt.Printf("%s\n%s\n%s\n", rule, p.title, rule)
	fmt.Printf("pulumi preview --policy-pack %s --stack %s\n\n", pack, p.stack)
	ch := make(chan events.EngineEvent)
	counts := map[string]int{}
	var log bytes.Buffer
	enc := json.NewEncoder(&log)
	done := make(chan struct{})
	go func() {
		for e := range ch {
			if e.PolicyEvent != nil {
				counts[e.PolicyEvent.EnforcementLevel]++
			}
			_ = enc.Encode(e.EngineEvent)
		}
		close(done)
	}()
	_, err = stack.Preview(ctx, optpreview.PolicyPacks(pack), optpreview.ProgressStreams(os.Stdout),
		optpreview.EventStreams(ch), optpreview.Color("always"))
	waitEvents(done)
	if eventsDir != "" {
		select {
		case <-done:
		default:
			return fmt.Errorf("the event stream of %s did not end: no events written", p.stack)
		}
		if err := os.MkdirAll(eventsDir, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(eventsDir, p.stack+".events.json"), log.Bytes(), 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("\n%s: %d mandatory and %d advisory findings.\n", p.stack, counts["mandatory"], counts["advisory"])
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

// waitEvents waits for an event stream's reader to finish. The Automation
// API closes the streams when it has read the event log to its end; when the
// CLI fails before writing one, it may never close them.
func waitEvents(done <-chan struct{}) {
	select {
	case <-done:
	case <-time.After(10 * time.Second):
	}
}
