package hosted

// BenchmarkRequiredPolicyPreview is the cold start of org-wide enforcement: a
// `pulumi preview` of a stack on the stand-in Pulumi Cloud service (a test
// double) for which the service names the published pack as a required policy,
// against the same preview with no required policy. By hand, not in CI (a few
// minutes; see BENCHMARKS.md):
//
//	SELFHOSTED_HARDENING_E2E=1 go test ./internal/e2e/hosted -run='^$' -bench=RequiredPolicyPreview -benchtime=1x
//
//	no-pack      nothing enabled: the floor
//	bundle/warm  the `make dist` bundle published; second preview (installed,
//	             extracted, warm Go build cache)
//	bundle/cold  the bundle, first preview on a fresh runner: new PULUMI_HOME
//	             and extraction cache, and for the language host an empty Go
//	             build cache (GOCACHE) and module cache (GOMODCACHE, filled from
//	             this machine's module cache through GOPROXY=file://, so no
//	             network time is counted)
//	root/warm    the repository root published instead of the bundle
//	root/cold    the root, first preview on a fresh runner
//
// Every policy runs at advisory level ("all": "advisory", the config the
// service returns) so findings never stop a preview early. The program is an
// Automation API inline program: the language host builds only the pack.

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/testbin"
)

func BenchmarkRequiredPolicyPreview(b *testing.B) {
	host := gate(b)
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		b.Fatal(err)
	}
	proxy := "file://" + filepath.ToSlash(filepath.Join(strings.TrimSpace(string(out)), "cache", "download"))
	for _, v := range []struct {
		name string
		pack func(testing.TB) string // nil: no required policy
		cold bool
	}{
		{"no-pack", nil, false},
		{"bundle/warm", testbin.Dist, false},
		{"bundle/cold", testbin.Dist, true},
		{"root/warm", func(testing.TB) string { return testbin.Root() }, false},
		{"root/cold", func(testing.TB) string { return testbin.Root() }, true},
	} {
		b.Run(v.name, func(b *testing.B) {
			b.StopTimer()
			b.ResetTimer()
			var total time.Duration
			for i := 0; i < b.N; i++ {
				c := newCloud(b, host, nil)
				if v.pack != nil {
					c.publish(b, v.pack(b))
					c.enable(b, map[string]any{"all": "advisory"})
				}
				var modcache string
				if v.cold {
					gocache := b.TempDir()
					modcache = testbin.TempDir(b, "selfhosted-hardening-modcache-")
					if err := c.stack.Workspace().SetEnvVars(map[string]string{
						"GOCACHE": gocache, "GOMODCACHE": modcache, "GOPROXY": proxy, "GOSUMDB": "off",
					}); err != nil {
						b.Fatal(err)
					}
				} else if o := c.preview(b); o.Err != nil { // warm-up: install, extract, build
					b.Fatalf("warm-up preview: %v\n%s", o.Err, o.Output)
				}
				b.StartTimer()
				o := c.preview(b)
				b.StopTimer()
				if o.Err != nil {
					b.Fatalf("preview: %v\n%s", o.Err, o.Output)
				}
				if v.pack != nil && len(o.Policies) == 0 {
					b.Fatalf("the required pack reported nothing:\n%s", o.Output)
				}
				total += o.Elapsed
				if modcache != "" {
					clean := exec.Command("go", "clean", "-modcache") // the module cache is read-only
					clean.Env = append(os.Environ(), "GOMODCACHE="+modcache)
					_ = clean.Run()
				}
			}
			b.ReportMetric(total.Seconds()/float64(b.N), "s/preview")
		})
	}
}
