package testbin

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	hostOnce sync.Once
	hostPath string
	hostErr  error
	hostMiss bool // no host and no way to build one
)

// LanguageHost returns the path of Pulumi's Go language host,
// pulumi-language-go, which the CLI needs to run a `runtime: go` program or
// policy pack from its directory (`--policy-pack <directory>`, packs installed
// from Pulumi Cloud). It is the one on PATH, else the one scripts/language-host.sh
// builds next to the CLI from ../shared/toolchain (cached like the CLI).
//
// Without either the test skips, saying how to get one, except under CI=true,
// where it fails: CI must run these tests.
func LanguageHost(t testing.TB) string {
	t.Helper()
	hostOnce.Do(func() {
		cmd := exec.Command("bash", filepath.Join(Root(), "scripts", "language-host.sh"))
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		switch {
		case errors.As(err, &exit) && exit.ExitCode() == 3:
			hostMiss, hostErr = true, errors.New(strings.TrimSpace(stderr.String()))
		case err != nil:
			hostErr = errors.New("scripts/language-host.sh: " + err.Error() + "\n" + stderr.String())
		default:
			hostPath = strings.TrimSpace(stdout.String())
			if _, err := os.Stat(hostPath); err != nil {
				hostErr = errors.New("scripts/language-host.sh printed " + hostPath + ": " + err.Error())
			}
		}
	})
	if hostErr != nil {
		if hostMiss && os.Getenv("CI") != "true" {
			t.Skipf("%v (CI=true makes this a failure)", hostErr)
		}
		t.Fatalf("the Go language host: %v", hostErr)
	}
	return hostPath
}

// PathWith returns PATH with dir in front of it, for a CLI that must find the
// binaries in dir (pulumi-language-go) before any other.
func PathWith(dir string) string {
	return dir + string(os.PathListSeparator) + os.Getenv("PATH")
}
