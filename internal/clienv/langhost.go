package clienv

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
)

// UseLanguageHost puts the folder of host (a pulumi-language-go binary) in
// front of the PATH of every CLI run of the world, so that the CLI runs
// `runtime: go` programs and policy packs given as directories with it (the
// CLI looks on PATH first, then next to itself).
func (w *World) UseLanguageHost(host string) error {
	abs, err := filepath.Abs(host)
	if err != nil {
		return err
	}
	w.Env["PATH"] = filepath.Dir(abs) + string(os.PathListSeparator) + os.Getenv("PATH")
	return nil
}

var moduleLine = regexp.MustCompile(`(?m)^module .*$`)

// GoProject writes a Pulumi Go project into dir: Pulumi.yaml (name, runtime
// go), main.go, and the go.mod and go.sum of the module at repoRoot with the
// module renamed, so the language host's `go build` uses the very module
// versions (pulumi-aws v6, the Pulumi SDK) this repository pins and finds them
// all in the module cache.
func GoProject(dir, repoRoot, name string, mainGo []byte) error {
	gomod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		return err
	}
	gosum, err := os.ReadFile(filepath.Join(repoRoot, "go.sum"))
	if err != nil {
		return err
	}
	files := map[string][]byte{
		"Pulumi.yaml": []byte(fmt.Sprintf("name: %s\nruntime: go\ndescription: A Pulumi Go program judged by the selfhosted-hardening pack in a test.\n", name)),
		"main.go":     mainGo,
		"go.mod":      moduleLine.ReplaceAll(gomod, []byte("module "+name)),
		"go.sum":      gosum,
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for f, data := range files {
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// ProjectStack creates (or selects) a stack of the Pulumi project in dir (a
// program the CLI runs through its language host, not an inline program),
// with aws:region set and the given config.
func (w *World) ProjectStack(ctx context.Context, stack, dir string, config map[string]auto.ConfigValue) (auto.Stack, error) {
	s, err := auto.UpsertStackLocalSource(ctx, stack, dir,
		auto.Pulumi(w.CLI), auto.EnvVars(w.Env), auto.PulumiHome(w.Env["PULUMI_HOME"]))
	if err != nil {
		return auto.Stack{}, err
	}
	return s, setConfig(ctx, s, config)
}
