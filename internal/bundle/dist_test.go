package bundle

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/archive"
	"go/ast"
	"go/build/constraint"
	"go/format"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/testbin"
	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
)

var hostPlatform = testbin.HostPlatform

// goEnv is the environment of a go command run as the Go language host runs
// it on a runner: module mode allowed to update go.sum, no workspace, and a
// build cache of its own when gocache is set.
func goEnv(gocache string) []string {
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	if gocache != "" {
		env = append(env, "GOCACHE="+gocache)
	}
	return env
}

// hostBuild compiles the package in dir to a temporary file, as the Go
// language host does before each run (go build -o <temp file> in the pack's
// folder), and returns the binary's path (alone in its folder) and the time
// the build took.
func hostBuild(tb testing.TB, dir, gocache string) (string, time.Duration) {
	tb.Helper()
	out := filepath.Join(testbin.TempDir(tb, "selfhosted-hardening-hostbuild-"), "pulumi-go-pack"+exeSuffix())
	cmd := exec.Command("go", "build", "-o", out)
	cmd.Dir = dir
	cmd.Env = goEnv(gocache)
	start := time.Now()
	b, err := cmd.CombinedOutput()
	elapsed := time.Since(start)
	if err != nil {
		tb.Fatalf("go build in %s: %v\n%s", dir, err, b)
	}
	return out, elapsed
}

// running is a started plugin process.
type running struct {
	cmd    *exec.Cmd
	port   string
	conn   *grpc.ClientConn
	client pulumirpc.AnalyzerClient
	stderr *bytes.Buffer
	once   sync.Once
}

// stop kills the process and closes the connection (once).
func (r *running) stop() {
	r.once.Do(func() {
		if r.conn != nil {
			r.conn.Close()
		}
		_ = r.cmd.Process.Kill()
		_ = r.cmd.Wait()
	})
}

// startPlugin starts bin as the engine starts a plugin, from cwd with the
// engine's flags and address, reads the port line and dials it.
func startPlugin(tb testing.TB, bin, cwd string, env []string, engine string) *running {
	tb.Helper()
	cmd := exec.Command(bin, "--logtostderr", "-v=3", engine)
	cmd.Dir = cwd
	cmd.Env = env
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	r := &running{cmd: cmd, stderr: &bytes.Buffer{}}
	cmd.Stderr = r.stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(r.stop)
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case line := <-lines:
		r.port = strings.TrimSpace(line)
	case <-time.After(2 * time.Minute):
		tb.Fatalf("%s printed no port within 2 minutes; stderr:\n%s", bin, r.stderr.String())
	}
	if r.port == "" {
		_ = cmd.Wait()
		tb.Fatalf("%s exited without printing a port; stderr:\n%s", bin, r.stderr.String())
	}
	r.conn, err = grpc.NewClient("127.0.0.1:"+r.port, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		tb.Fatal(err)
	}
	r.client = pulumirpc.NewAnalyzerClient(r.conn)
	return r
}

// unencryptedDB is an RDS instance without storageEncrypted.
func unencryptedDB(tb testing.TB) *pulumirpc.AnalyzeRequest {
	props, err := structpb.NewStruct(map[string]any{"engine": "mysql", "instanceClass": "db.t3.micro"})
	if err != nil {
		tb.Fatal(err)
	}
	return &pulumirpc.AnalyzeRequest{
		Urn:  "urn:pulumi:dev::p::aws:rds/instance:Instance::db",
		Type: "aws:rds/instance:Instance", Name: "db", Properties: props,
	}
}

// firstAnalyze is what the engine asks before its first Analyze, then that
// Analyze, which must report rds-storage-encrypted.
func (r *running) firstAnalyze(tb testing.TB) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := r.client.GetAnalyzerInfo(ctx, &emptypb.Empty{}); err != nil {
		tb.Fatalf("GetAnalyzerInfo: %v\nstderr:\n%s", err, r.stderr.String())
	}
	resp, err := r.client.Analyze(ctx, unencryptedDB(tb))
	if err != nil {
		tb.Fatalf("Analyze: %v\nstderr:\n%s", err, r.stderr.String())
	}
	if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].PolicyName != "rds-storage-encrypted" {
		tb.Fatalf("Analyze of an unencrypted RDS instance: %v", resp.Diagnostics)
	}
}

func rootPolicyPack(tb testing.TB) *workspace.PolicyPackProject {
	tb.Helper()
	p, err := workspace.LoadPolicyPack(filepath.Join(testbin.Root(), "PulumiPolicy.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// TestDistFolder checks what scripts/dist.sh writes: the folder's metadata
// matches the repository's, go.mod requires nothing, the Go files import only
// the standard library, the launcher files are the sources in this package
// (nothing copied by hand that could drift), the generated files hold no
// logic, and SHA256SUMS covers exactly the binaries.
func TestDistFolder(t *testing.T) {
	dir := testbin.Dist(t)
	root := rootPolicyPack(t)

	got, err := workspace.LoadPolicyPack(filepath.Join(dir, "PulumiPolicy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Runtime.Name() != "go" || got.Version != root.Version || got.Version != policies.Version ||
		got.Description == nil || root.Description == nil || *got.Description != *root.Description {
		t.Errorf("PulumiPolicy.yaml: runtime %q version %q description %v; the repository's: version %q description %v",
			got.Runtime.Name(), got.Version, got.Description, root.Version, root.Description)
	}
	if filepath.Base(dir) != policies.Name {
		t.Errorf("folder %s, want it named after the pack", dir)
	}

	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "module " + policies.Name + "\n\ngo " + GoVersion + "\n"; string(gomod) != want {
		t.Errorf("go.mod:\n%s\nwant:\n%s", gomod, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.sum")); err == nil {
		t.Error("the bundle has a go.sum: it must need no module")
	}
	list := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".")
	list.Dir = dir
	list.Env = goEnv("")
	out, err := list.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != policies.Name {
		t.Errorf("non-standard packages in the bundle's build: %q (%v)", out, err)
	}

	// The launcher files are this package's sources, as they are on disk.
	srcs, err := filepath.Glob(filepath.Join(testbin.Root(), "internal", "bundle", "launcher*.go"))
	if err != nil {
		t.Fatal(err)
	}
	copied := map[string]bool{}
	for _, src := range srcs {
		name := filepath.Base(src)
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		copied[name] = true
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		want, err := LauncherFile(name, data)
		if err != nil {
			t.Fatal(err)
		}
		have, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(have, want) {
			t.Errorf("%s in the bundle is not internal/bundle/%s (%v): the copy has drifted", name, name, err)
		}
	}
	if len(copied) != 4 {
		t.Errorf("launcher sources: %v", copied)
	}

	// The generated files only declare data: main holds the single function.
	goFiles, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	fset := token.NewFileSet()
	for _, f := range goFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if formatted, err := format.Source(data); err != nil || !bytes.Equal(formatted, data) {
			t.Errorf("%s is not gofmt-ed (%v)", f, err)
		}
		name := filepath.Base(f)
		if copied[name] {
			continue
		}
		file, err := parser.ParseFile(fset, f, data, 0)
		if err != nil {
			t.Fatal(err)
		}
		funcs := 0
		for _, d := range file.Decls {
			if _, ok := d.(*ast.FuncDecl); ok {
				funcs++
			}
		}
		if want := map[bool]int{true: 1, false: 0}[name == "main.go"]; funcs != want {
			t.Errorf("%s declares %d functions, want %d: logic belongs in internal/bundle/launcher*.go", name, funcs, want)
		}
		if !strings.HasPrefix(string(data), "// Code generated by scripts/dist.sh") {
			t.Errorf("%s lacks the generated-code header", name)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "unsupported.go")); err != nil {
		t.Error(err)
	}

	// SHA256SUMS lists exactly the binaries, with their checksums.
	sumsData, err := os.ReadFile(filepath.Join(dir, "bin", "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	sums, err := ParseSums(sumsData)
	if err != nil {
		t.Fatal(err)
	}
	bins, _ := filepath.Glob(filepath.Join(dir, "bin", policies.Name+"-*"))
	if len(bins) != len(sums) || len(bins) != 1 {
		t.Errorf("binaries %v, SHA256SUMS %v", bins, sums)
	}
	for _, b := range bins {
		data, err := os.ReadFile(b)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if sums[filepath.Base(b)] != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: checksum differs from SHA256SUMS", b)
		}
	}
	host := filepath.Join(dir, "bin", BinaryName(policies.Name, hostPlatform))
	v, err := exec.Command(host, "--version").Output()
	if err != nil || strings.TrimSpace(string(v)) != policies.Version {
		t.Errorf("%s --version: %q %v", host, v, err)
	}

	// The script's folder is exactly what the generator makes from these
	// sources and binaries: nothing in it comes from anywhere else.
	staged := t.TempDir()
	data, err := os.ReadFile(host)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(staged, StagedName(hostPlatform)), data, 0o755); err != nil {
		t.Fatal(err)
	}
	again := filepath.Join(t.TempDir(), policies.Name)
	if err := Generate(Options{Name: policies.Name, Version: root.Version, Description: *root.Description,
		BinDir: staged, Platforms: []string{hostPlatform}, Out: again}); err != nil {
		t.Fatal(err)
	}
	want, have := listTree(t, again), listTree(t, dir)
	if strings.Join(want, " ") != strings.Join(have, " ") {
		t.Errorf("files: script %v, generator %v", have, want)
	}
	for _, f := range want {
		a, _ := os.ReadFile(filepath.Join(again, f))
		b, _ := os.ReadFile(filepath.Join(dir, f))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between scripts/dist.sh's folder and Generate's", f)
		}
	}
}

// TestBundleRunsAsTheLanguageHostRunsIt builds the bundle's Go program the
// way the Go language host does, on an empty build cache, starts it from an
// unrelated folder with the engine's arguments, and talks to it over the
// plugin protocol. A second start finds the extracted binary.
func TestBundleRunsAsTheLanguageHostRunsIt(t *testing.T) {
	dir := testbin.Dist(t)
	bin, took := hostBuild(t, dir, t.TempDir())
	t.Logf("cold go build of the bundle (empty GOCACHE): %v", took)
	fi, _ := os.Stat(bin)
	t.Logf("launcher binary: %d bytes", fi.Size())

	cache := t.TempDir()
	env := append(os.Environ(), CacheEnv(policies.Name)+"="+cache)
	engine := testbin.FakeEngine(t)
	start := time.Now()
	r := startPlugin(t, bin, t.TempDir(), env, engine)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	pi, err := r.client.GetPluginInfo(ctx, &emptypb.Empty{})
	if err != nil || pi.Version != policies.Version {
		t.Fatalf("GetPluginInfo: %v %v\nstderr:\n%s", pi, err, r.stderr.String())
	}
	info, err := r.client.GetAnalyzerInfo(ctx, &emptypb.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != policies.Name || info.Version != policies.Version || len(info.Policies) != len(policies.All()) {
		t.Errorf("GetAnalyzerInfo: name %q version %q, %d policies; want %s %s with %d",
			info.Name, info.Version, len(info.Policies), policies.Name, policies.Version, len(policies.All()))
	}
	resp, err := r.client.Analyze(ctx, unencryptedDB(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].PolicyName != "rds-storage-encrypted" ||
		resp.Diagnostics[0].EnforcementLevel != pulumirpc.EnforcementLevel_MANDATORY {
		t.Errorf("Analyze: %v", resp.Diagnostics)
	}
	t.Logf("first start (extraction) to first Analyze: %v", time.Since(start))

	extracted := listTree(t, cache)
	if len(extracted) != 1 || !strings.HasSuffix(extracted[0], "/"+BinaryName(policies.Name, hostPlatform)) ||
		!strings.HasPrefix(extracted[0], policies.Version+"-") {
		t.Fatalf("cache after the first start: %v", extracted)
	}
	path := filepath.Join(cache, filepath.FromSlash(extracted[0]))
	if runtime.GOOS == "linux" {
		// The launcher replaced itself with the pack: same process.
		if exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", r.cmd.Process.Pid)); err != nil || exe != path {
			t.Errorf("process %d runs %q (%v), want the extracted pack %s", r.cmd.Process.Pid, exe, err, path)
		}
	}
	before, _ := os.Stat(path)

	start = time.Now()
	r2 := startPlugin(t, bin, t.TempDir(), env, engine)
	r2.firstAnalyze(t)
	t.Logf("second start to first Analyze: %v", time.Since(start))
	after, _ := os.Stat(path)
	if !os.SameFile(before, after) || !before.ModTime().Equal(after.ModTime()) || len(listTree(t, cache)) != 1 {
		t.Error("the second start extracted the binary again")
	}
}

// TestUnsupportedPlatformBundle builds a bundle that ships only another
// platform: on this one the generated negated-constraint file is compiled
// in, and the launcher must fail at once with the clear error.
func TestUnsupportedPlatformBundle(t *testing.T) {
	other := "linux/amd64"
	if hostPlatform == other {
		other = "linux/arm64"
	}
	bins := t.TempDir()
	if err := os.WriteFile(filepath.Join(bins, StagedName(other)), []byte("not this platform's binary"), 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), policies.Name)
	err := Generate(Options{Name: policies.Name, Version: policies.Version, Description: "d",
		BinDir: bins, Platforms: []string{other}, Out: dir})
	if err != nil {
		t.Fatal(err)
	}
	// unsupported.go is built here and not on the platform shipped.
	unsupported, err := os.ReadFile(filepath.Join(dir, "unsupported.go"))
	if err != nil {
		t.Fatal(err)
	}
	for platform, want := range map[string]bool{hostPlatform: true, other: false} {
		if got := buildsOn(t, unsupported, platform); got != want {
			t.Errorf("unsupported.go built on %s: %v, want %v\n%s", platform, got, want, unsupported)
		}
	}
	bin, _ := hostBuild(t, dir, "")

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--logtostderr", "127.0.0.1:1")
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), CacheEnv(policies.Name)+"="+t.TempDir())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatal("the launcher hung on an unsupported platform")
	}
	if _, ok := err.(*exec.ExitError); !ok {
		t.Errorf("want a non-zero exit, got %v", err)
	}
	want := fmt.Sprintf("%s %s (policy pack launcher): this bundle has no pack binary for %s; it ships %s. "+
		"Build one from the pack's repository with `PLATFORMS=%s make dist`",
		policies.Name, policies.Version, hostPlatform, other, hostPlatform)
	if !strings.HasPrefix(stderr.String(), want) {
		t.Errorf("stderr:\n%s\nwant it to start with:\n%s", stderr.String(), want)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout (the engine reads the port there): %q", stdout.String())
	}
}

func TestGenerateRefusesToReplaceAnotherFolder(t *testing.T) {
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "precious.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Generate(Options{Name: "p", Version: "1.0.0", BinDir: t.TempDir(), Platforms: []string{"linux/amd64"}, Out: out})
	if err == nil || !strings.Contains(err.Error(), "refusing to replace it") {
		t.Errorf("got %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "precious.txt")); err != nil {
		t.Error(err)
	}
}

func TestParsePlatforms(t *testing.T) {
	got, err := ParsePlatforms("linux/amd64, darwin/arm64 linux/amd64\twindows/amd64")
	if want := []string{"darwin/arm64", "linux/amd64", "windows/amd64"}; err != nil || !sort.StringsAreSorted(got) ||
		strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%v %v", got, err)
	}
	for _, bad := range []string{"", "linux", "linux/amd64/v3", "Linux/amd64", "../x"} {
		if _, err := ParsePlatforms(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

// buildsOn evaluates the //go:build line of src for platform.
func buildsOn(t *testing.T, src []byte, platform string) bool {
	t.Helper()
	goos, goarch, _ := strings.Cut(platform, "/")
	for _, line := range strings.Split(string(src), "\n") {
		if !constraint.IsGoBuild(line) {
			continue
		}
		expr, err := constraint.Parse(line)
		if err != nil {
			t.Fatal(err)
		}
		return expr.Eval(func(tag string) bool { return tag == goos || tag == goarch })
	}
	t.Fatalf("no //go:build line in\n%s", src)
	return false
}

// TestPublishArchiveKeepsTheBundle archives a folder under the repository's
// dist/ with the CLI's own function for pulumi policy publish, which leaves
// out whatever a .gitignore of the folder or above it ignores: nothing in
// dist/ may be ignored that way, or publishing from make dist's default
// folder would upload an empty pack.
func TestPublishArchiveKeepsTheBundle(t *testing.T) {
	dist := filepath.Join(testbin.Root(), "dist")
	if err := os.MkdirAll(dist, 0o755); err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp(dist, "publish-probe-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	for _, f := range []string{"main.go", "go.mod", "PulumiPolicy.yaml", filepath.Join("bin", "SHA256SUMS")} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tgz, err := archive.TGZ(dir, "package", true)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var names []string
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		if h.Typeflag == tar.TypeReg {
			names = append(names, h.Name)
		}
	}
	if len(names) != 4 {
		t.Errorf("pulumi policy publish would pack %v from dist/, want all 4 files: is dist/ in a .gitignore?", names)
	}
}
