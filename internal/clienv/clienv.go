// Package clienv sets up the real Pulumi CLI for the end-to-end tests, the
// demo and the preview benchmark: a private PULUMI_HOME in a temporary
// directory, a local file backend, and the stand-in AWS provider (the test
// double internal/e2e/fakeaws) installed as aws 6.83.4. Programs run as
// Automation API inline programs, which need no language host.
package clienv

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// World is one CLI set-up.
type World struct {
	// Bin is the pulumi binary; Dir the temporary directory holding the
	// PULUMI_HOME and the backend.
	Bin string
	Dir string
	// Env is the environment every CLI run gets.
	Env map[string]string
	CLI auto.PulumiCommand
}

// Abs returns the absolute forms of paths, for paths handed to a CLI that
// runs in another directory.
func Abs(paths ...*string) error {
	for _, p := range paths {
		if *p == "" {
			continue
		}
		abs, err := filepath.Abs(*p)
		if err != nil {
			return err
		}
		*p = abs
	}
	return nil
}

// New makes a world around the CLI at cliRoot/bin/pulumi and installs
// provider (a pulumi-resource-aws binary) as aws 6.83.4. extraEnv is added
// to the environment (e.g. PULUMI_SKIP_CHECKPOINTS for benchmarks).
func New(cliRoot, provider string, extraEnv map[string]string) (*World, error) {
	cliRoot, err := filepath.Abs(cliRoot)
	if err != nil {
		return nil, err
	}
	if provider, err = filepath.Abs(provider); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "selfhosted-hardening-cli-")
	if err != nil {
		return nil, err
	}
	w := &World{
		Bin: filepath.Join(cliRoot, "bin", "pulumi"),
		Dir: dir,
		Env: map[string]string{
			"PULUMI_HOME":                                 filepath.Join(dir, "home"),
			"PULUMI_BACKEND_URL":                          "file://" + filepath.Join(dir, "backend"),
			"PULUMI_CONFIG_PASSPHRASE":                    "selfhosted-hardening",
			"PULUMI_SKIP_UPDATE_CHECK":                    "true",
			"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
		},
	}
	for k, v := range extraEnv {
		w.Env[k] = v
	}
	for _, d := range []string{"home", "backend"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return nil, err
		}
	}
	if out, err := w.Run(dir, "plugin", "install", "resource", "aws", "6.83.4", "--file", provider); err != nil {
		return nil, fmt.Errorf("installing the stand-in aws provider: %v\n%s", err, out)
	}
	w.CLI, err = auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: cliRoot, SkipVersionCheck: true})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// Close removes the world's directory.
func (w *World) Close() error { return os.RemoveAll(w.Dir) }

// Run runs the CLI in dir with the world's environment.
func (w *World) Run(dir string, args ...string) (string, error) {
	cmd := exec.Command(w.Bin, append(args, "--non-interactive")...)
	cmd.Dir = dir
	cmd.Env = os.Environ()
	for k, v := range w.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// Stack creates (or selects) an inline-program stack in workDir, with
// aws:region set and the given config (secret when secret is true).
func (w *World) Stack(ctx context.Context, project, stack, workDir string, program pulumi.RunFunc,
	config map[string]auto.ConfigValue,
) (auto.Stack, error) {
	s, err := auto.UpsertStackInlineSource(ctx, stack, project, program,
		auto.Pulumi(w.CLI), auto.EnvVars(w.Env), auto.PulumiHome(w.Env["PULUMI_HOME"]), auto.WorkDir(workDir))
	if err != nil {
		return auto.Stack{}, err
	}
	return s, setConfig(ctx, s, config)
}

// setConfig sets aws:region (the stand-in provider's) and the given config
// on a new stack.
func setConfig(ctx context.Context, s auto.Stack, config map[string]auto.ConfigValue) error {
	if err := s.SetConfig(ctx, "aws:region", auto.ConfigValue{Value: "us-west-2"}); err != nil {
		return err
	}
	for k, v := range config {
		if err := s.SetConfig(ctx, k, v); err != nil {
			return err
		}
	}
	return nil
}

// Outcome is what one preview printed and reported.
type Outcome struct {
	Err      error
	Output   string
	Policies []apitype.PolicyEvent
	Elapsed  time.Duration
}

// Find returns the policy events of one policy on the resource with that
// logical name.
func (o Outcome) Find(policy, resource string) []apitype.PolicyEvent {
	var out []apitype.PolicyEvent
	for _, e := range o.Policies {
		if e.PolicyName == policy && strings.HasSuffix(e.ResourceURN, "::"+resource) {
			out = append(out, e)
		}
	}
	return out
}

// Mandatory returns the mandatory policy events.
func (o Outcome) Mandatory() []apitype.PolicyEvent {
	var out []apitype.PolicyEvent
	for _, e := range o.Policies {
		if e.EnforcementLevel == "mandatory" {
			out = append(out, e)
		}
	}
	return out
}

// Preview runs a preview and collects its output and policy events.
func Preview(ctx context.Context, s auto.Stack, opts ...optpreview.Option) Outcome {
	ch := make(chan events.EngineEvent)
	var got []apitype.PolicyEvent
	done := make(chan struct{})
	go func() {
		for e := range ch {
			if e.PolicyEvent != nil {
				got = append(got, *e.PolicyEvent)
			}
		}
		close(done)
	}()
	var out strings.Builder
	start := time.Now()
	_, err := s.Preview(ctx, append(opts,
		optpreview.EventStreams(ch), optpreview.ProgressStreams(&out), optpreview.ErrorProgressStreams(&out))...)
	elapsed := time.Since(start)
	// The Automation API closes the event streams when it has read the event
	// log to its end; when the CLI fails before writing one, it may never
	// close them.
	select {
	case <-done:
	case <-time.After(10 * time.Second):
	}
	return Outcome{Err: err, Output: out.String(), Policies: got, Elapsed: elapsed}
}
