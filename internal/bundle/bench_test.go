package bundle

// Benchmarks of what the Go language host costs per run, bundle against the
// repository root. By hand, not in CI (about two minutes; `make bench-bundle`):
//
//	go test ./internal/bundle -run='^$' -bench=. -benchtime=1x
//
// Warm ones are steadier with more runs:
//
//	go test ./internal/bundle -run='^$' -bench='StartToFirstAnalyze/./(warm|cold-extract|binary)$' -benchtime=3x
//
// "Cold" builds get an empty GOCACHE each iteration while GOMODCACHE stays
// warm (BenchmarkColdModDownload measures the module install apart). The
// root is built with the machine's default environment, as the host builds
// it (here CGO_ENABLED=1 with gcc present); the bundle needs no cgo.

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/testbin"
	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
)

// dirSize is the total size of the files under dir, in MB.
func dirSize(dir string) float64 {
	var n int64
	_ = filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return nil
	})
	return float64(n) / 1e6
}

// BenchmarkColdBuild is `go build` of the bundle's program and of the
// repository root on an empty build cache: what every run on a runner
// without a kept GOCACHE pays.
func BenchmarkColdBuild(b *testing.B) {
	for _, c := range []struct {
		name string
		dir  func(testing.TB) string
	}{
		{"bundle", testbin.Dist},
		{"root", func(testing.TB) string { return testbin.Root() }},
	} {
		b.Run(c.name, func(b *testing.B) {
			dir := c.dir(b)
			b.StopTimer()
			b.ResetTimer()
			var total time.Duration
			var cacheMB float64
			for i := 0; i < b.N; i++ {
				gocache := testbin.TempDir(b, "selfhosted-hardening-gocache-")
				b.StartTimer()
				_, took := hostBuild(b, dir, gocache)
				b.StopTimer()
				total += took
				cacheMB += dirSize(gocache)
				os.RemoveAll(gocache)
			}
			b.ReportMetric(total.Seconds()/float64(b.N), "s/build")
			b.ReportMetric(cacheMB/float64(b.N), "MB-GOCACHE")
		})
	}
}

// BenchmarkStartToFirstAnalyze is the time from starting the plugin to the
// first answered Analyze (GetAnalyzerInfo, then one Analyze), for:
//
//	bundle/warm          the built launcher, binary already extracted
//	bundle/cold-extract  the built launcher, empty extraction cache
//	bundle/host-warm     go build (warm GOCACHE) + start, already extracted:
//	                     a preview on a runner that keeps its caches
//	bundle/host-cold     go build (empty GOCACHE) + start + extraction:
//	                     a preview on a fresh runner
//	root/binary          the root pack binary, prebuilt (the floor)
//	root/host-warm       go build of the root (warm GOCACHE) + start
//	root/host-cold       go build of the root (empty GOCACHE) + start
func BenchmarkStartToFirstAnalyze(b *testing.B) {
	type variant struct {
		name        string
		dir         func(testing.TB) string
		build       bool // build each iteration, as the host does
		coldBuild   bool // on an empty GOCACHE
		coldExtract bool // with an empty extraction cache
	}
	root := func(testing.TB) string { return testbin.Root() }
	for _, v := range []variant{
		{name: "bundle/warm", dir: testbin.Dist},
		{name: "bundle/cold-extract", dir: testbin.Dist, coldExtract: true},
		{name: "bundle/host-warm", dir: testbin.Dist, build: true},
		{name: "bundle/host-cold", dir: testbin.Dist, build: true, coldBuild: true, coldExtract: true},
		{name: "root/binary", dir: root},
		{name: "root/host-warm", dir: root, build: true},
		{name: "root/host-cold", dir: root, build: true, coldBuild: true},
	} {
		b.Run(v.name, func(b *testing.B) {
			dir := v.dir(b)
			engine := testbin.FakeEngine(b)
			cache := testbin.TempDir(b, "selfhosted-hardening-extract-")
			env := append(os.Environ(), CacheEnv(policies.Name)+"="+cache)
			// Warm up: the warm build cache, the launcher, the extraction.
			bin, _ := hostBuild(b, dir, "")
			r := startPlugin(b, bin, b.TempDir(), env, engine)
			r.firstAnalyze(b)
			r.stop()

			b.StopTimer()
			b.ResetTimer()
			var total, building time.Duration
			for i := 0; i < b.N; i++ {
				if v.coldExtract {
					os.RemoveAll(cache)
				}
				gocache := ""
				if v.coldBuild {
					gocache = testbin.TempDir(b, "selfhosted-hardening-gocache-")
				}
				cwd := b.TempDir()
				b.StartTimer()
				start := time.Now()
				if v.build {
					var took time.Duration
					bin, took = hostBuild(b, dir, gocache)
					building += took
				}
				r := startPlugin(b, bin, cwd, env, engine)
				r.firstAnalyze(b)
				total += time.Since(start)
				b.StopTimer()
				r.stop()
				if gocache != "" {
					os.RemoveAll(gocache)
				}
			}
			b.ReportMetric(total.Seconds()/float64(b.N), "s/first-analyze")
			if v.build {
				b.ReportMetric(building.Seconds()/float64(b.N), "s/build")
			}
		})
	}
}

// BenchmarkColdModDownload is the Go language host's dependency install
// (`go mod download`) on an empty module cache, served from this machine's
// module cache through GOPROXY=file:// (no network): a lower bound of what a
// fresh runner pays before the build, besides the download itself.
func BenchmarkColdModDownload(b *testing.B) {
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		b.Fatal(err)
	}
	proxy := "file://" + filepath.ToSlash(filepath.Join(strings.TrimSpace(string(out)), "cache", "download"))
	for _, c := range []struct {
		name string
		dir  func(testing.TB) string
	}{
		{"bundle", testbin.Dist},
		{"root", func(testing.TB) string { return testbin.Root() }},
	} {
		b.Run(c.name, func(b *testing.B) {
			dir := c.dir(b)
			b.StopTimer()
			b.ResetTimer()
			var total time.Duration
			var size float64
			for i := 0; i < b.N; i++ {
				modcache := testbin.TempDir(b, "selfhosted-hardening-modcache-")
				env := append(goEnv(""), "GOMODCACHE="+modcache, "GOPROXY="+proxy, "GOSUMDB=off")
				cmd := exec.Command("go", "mod", "download")
				cmd.Dir, cmd.Env = dir, env
				b.StartTimer()
				start := time.Now()
				msg, err := cmd.CombinedOutput()
				total += time.Since(start)
				b.StopTimer()
				if err != nil {
					b.Fatalf("go mod download: %v\n%s", err, msg)
				}
				size += dirSize(modcache)
				clean := exec.Command("go", "clean", "-modcache") // the module cache is read-only
				clean.Env = env
				_ = clean.Run()
				os.RemoveAll(modcache)
			}
			b.ReportMetric(total.Seconds()/float64(b.N), "s/download")
			b.ReportMetric(size/float64(b.N), "MB-GOMODCACHE")
		})
	}
}
