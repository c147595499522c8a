package testbin

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"
)

// HostPlatform is the running platform, as make dist names it.
var HostPlatform = runtime.GOOS + "/" + runtime.GOARCH

// TempDir is a temporary folder that lives until Cleanup (every test of the
// binary done), for what tests share: a bundle, a build cache.
func TempDir(tb testing.TB, pattern string) string {
	tb.Helper()
	d, err := os.MkdirTemp("", pattern)
	if err != nil {
		tb.Fatal(err)
	}
	mu.Lock()
	dirs = append(dirs, d)
	mu.Unlock()
	return d
}

var (
	distOnce sync.Once
	distDir  string
	distErr  error
)

// Dist runs scripts/dist.sh (make dist) for the running platform only,
// once per test binary, into a temporary folder, and returns the bundle
// folder (named selfhosted-hardening, as publish needs).
// SELFHOSTED_HARDENING_DIST names a bundle folder to use instead (to
// benchmark another launcher).
func Dist(tb testing.TB) string {
	tb.Helper()
	distOnce.Do(func() {
		if d := os.Getenv("SELFHOSTED_HARDENING_DIST"); d != "" {
			distDir = d
			return
		}
		dir := filepath.Join(TempDir(tb, "selfhosted-hardening-dist-"), "selfhosted-hardening")
		cmd := exec.Command("bash", filepath.Join(Root(), "scripts", "dist.sh"), dir)
		cmd.Env = append(os.Environ(), "PLATFORMS="+HostPlatform)
		start := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil {
			distErr = fmt.Errorf("scripts/dist.sh: %v\n%s", err, out)
			return
		}
		tb.Logf("make dist (PLATFORMS=%s): %v", HostPlatform, time.Since(start).Round(10*time.Millisecond))
		distDir = dir
	})
	if distErr != nil {
		tb.Fatal(distErr)
	}
	return distDir
}
