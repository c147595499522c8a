package bundle

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/testbin"
)

// TestLauncherImports keeps the launcher's cold build small: the Go language
// host compiles it, standard library included, before every run, and on a
// runner with an empty build cache that compile is most of the pack's
// start-up. fmt and reflect (also pulled in by encoding/hex, text/template,
// encoding/json, ...) add about a fifth to it (BENCHMARKS.md), so no platform's
// build of the bundle may depend on them.
func TestLauncherImports(t *testing.T) {
	dir := testbin.Dist(t)
	for _, p := range append(append([]string{}, DefaultPlatforms...), "plan9/amd64") {
		goos, goarch, _ := strings.Cut(p, "/")
		cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".")
		cmd.Dir = dir
		cmd.Env = append(goEnv(""), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go list for %s: %v\n%s", p, err, out)
		}
		for _, pkg := range strings.Fields(string(out)) {
			switch pkg {
			case "fmt", "reflect", "encoding/hex", "internal/fmtsort":
				t.Errorf("%s: the launcher's build depends on %s", p, pkg)
			}
		}
	}
}
