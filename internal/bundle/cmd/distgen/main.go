// Command distgen writes the bundle folder from pack binaries that
// scripts/dist.sh has built: it takes the pack's name from the policies
// package and its version, description and other metadata from the
// repository's PulumiPolicy.yaml (read as the Pulumi CLI reads it), and
// checks that the binary of the running platform, if built, reports that
// version.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/bundle"
	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
)

func main() {
	root := flag.String("root", ".", "the repository root (where PulumiPolicy.yaml is)")
	bin := flag.String("bin", "", "the folder holding the built binaries, <os>_<arch>[.exe]")
	platforms := flag.String("platforms", strings.Join(bundle.DefaultPlatforms, " "), "GOOS/GOARCH list")
	out := flag.String("out", "", "the bundle folder to write")
	flag.Parse()
	if err := run(*root, *bin, *platforms, *out); err != nil {
		fmt.Fprintf(os.Stderr, "distgen: %v\n", err)
		os.Exit(1)
	}
}

func run(root, bin, platformList, out string) error {
	if bin == "" || out == "" {
		return fmt.Errorf("-bin and -out are required")
	}
	proj, err := workspace.LoadPolicyPack(filepath.Join(root, "PulumiPolicy.yaml"))
	if err != nil {
		return err
	}
	if rt := proj.Runtime.Name(); rt != "go" {
		return fmt.Errorf("PulumiPolicy.yaml: runtime %q, want go", rt)
	}
	if proj.Version != policies.Version {
		return fmt.Errorf("PulumiPolicy.yaml says version %q but the pack (policies.Version) is %q", proj.Version, policies.Version)
	}
	platforms, err := bundle.ParsePlatforms(platformList)
	if err != nil {
		return err
	}
	host := runtime.GOOS + "/" + runtime.GOARCH
	for _, p := range platforms {
		if p != host {
			continue
		}
		cmd := exec.Command(filepath.Join(bin, bundle.StagedName(p)), "--version")
		var stdout bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s --version: %w", p, err)
		}
		if got := strings.TrimSpace(stdout.String()); got != proj.Version {
			return fmt.Errorf("the %s binary reports version %q, PulumiPolicy.yaml %q", p, got, proj.Version)
		}
	}
	str := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	return bundle.Generate(bundle.Options{
		Name: policies.Name, Version: proj.Version, Description: str(proj.Description),
		Author: str(proj.Author), Website: str(proj.Website), License: str(proj.License),
		BinDir: bin, Platforms: platforms, Out: out,
	})
}
