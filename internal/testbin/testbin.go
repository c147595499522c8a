// Package testbin builds the binaries the integration tests run (the pack,
// the stand-in providers, the make dist bundle), keeps the temporary
// folders tests share until Cleanup, and finds the Pulumi CLI that
// scripts/pulumi-cli.sh builds from the Go module proxy.
package testbin

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"google.golang.org/grpc"
)

// Root is the repository root (where go.mod is).
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

var (
	mu    sync.Mutex
	built = map[string]string{}
	dirs  []string
)

// Cleanup removes what Build built; call it from TestMain after m.Run.
func Cleanup() {
	mu.Lock()
	defer mu.Unlock()
	for _, d := range dirs {
		_ = os.RemoveAll(d)
	}
	dirs, built = nil, map[string]string{}
}

// Build compiles the main package pkg (relative to the root, e.g. "." or
// "./internal/e2e/fakeaws") into a directory of its own, once per test
// binary, and returns the path. The directory holds nothing else, so the
// engine finds no PulumiPolicy.yaml beside a pack binary.
func Build(t testing.TB, pkg, name string) string {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if p, ok := built[pkg]; ok {
		return p
	}
	dir, err := os.MkdirTemp("", "selfhosted-hardening-bin-")
	if err != nil {
		t.Fatal(err)
	}
	dirs = append(dirs, dir)
	out := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir = Root()
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
	built[pkg] = out
	return out
}

// Pack builds the pack binary.
func Pack(t testing.TB) string { return Build(t, ".", "selfhosted-hardening") }

// FakeAWS builds the stand-in pulumi-resource-aws test double.
func FakeAWS(t testing.TB) string { return Build(t, "./internal/e2e/fakeaws", "pulumi-resource-aws") }

// CLIRoot is the directory whose bin/pulumi is the CLI for the end-to-end
// tests: $PULUMI_CLI_ROOT, else ~/.cache/selfhosted-hardening.
func CLIRoot() string {
	if r := os.Getenv("PULUMI_CLI_ROOT"); r != "" {
		return r
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "selfhosted-hardening")
}

// CLI returns the path of the Pulumi CLI, or skips the test when there is
// none, unless SELFHOSTED_HARDENING_E2E=1 demands the end-to-end tests run
// (as the README's test command does), in which case it fails.
func CLI(t testing.TB) string {
	t.Helper()
	p := filepath.Join(CLIRoot(), "bin", "pulumi")
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("SELFHOSTED_HARDENING_E2E") == "1" {
			t.Fatalf("SELFHOSTED_HARDENING_E2E=1 but there is no Pulumi CLI at %s: run scripts/pulumi-cli.sh", p)
		}
		t.Skipf("no Pulumi CLI at %s (run scripts/pulumi-cli.sh, or set SELFHOSTED_HARDENING_E2E=1 to fail instead)", p)
	}
	return p
}

// FakeEngine serves gRPC on a loopback port, standing in for the engine
// whose address the engine passes to a plugin (the pack health-checks it),
// and returns that address. It stops when the test ends.
func FakeEngine(tb testing.TB) string {
	tb.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	srv := grpc.NewServer()
	go func() { _ = srv.Serve(lis) }()
	tb.Cleanup(srv.Stop)
	return lis.Addr().String()
}
