package bundle

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/testbin"
)

// fakePackSource is a stand-in pack binary: --version prints its version
// (and, with FAKE_PACK_LOG set, appends a line to that file, so a test can
// count the version checks); otherwise it echoes its arguments, FAKE_PACK_ENV
// and its stdin, and exits with FAKE_PACK_EXIT. With hang set, --version
// never answers.
const fakePackSource = `package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"time"
)

var version, hang = "0.0.0", ""

func main() {
	if len(os.Args) == 2 && os.Args[1] == "--version" {
		if hang != "" {
			time.Sleep(time.Hour)
		}
		if log := os.Getenv("FAKE_PACK_LOG"); log != "" {
			f, _ := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
			fmt.Fprintln(f, "version checked")
			f.Close()
		}
		fmt.Println(version)
		return
	}
	in, _ := io.ReadAll(os.Stdin)
	fmt.Printf("args=%q env=%q stdin=%q\n", os.Args[1:], os.Getenv("FAKE_PACK_ENV"), in)
	code, _ := strconv.Atoi(os.Getenv("FAKE_PACK_EXIT"))
	os.Exit(code)
}
`

var (
	fakeMu    sync.Mutex
	fakeBuilt = map[string][]byte{}
)

// fakePack builds the stand-in pack binary reporting version (once per
// version and hang) and returns its content.
func fakePack(t *testing.T, version string, hang bool) []byte {
	t.Helper()
	fakeMu.Lock()
	defer fakeMu.Unlock()
	key := fmt.Sprint(version, hang)
	if b, ok := fakeBuilt[key]; ok {
		return b
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module fakepack\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(fakePackSource), 0o644); err != nil {
		t.Fatal(err)
	}
	ldflags := "-X main.version=" + version
	if hang {
		ldflags += " -X main.hang=yes"
	}
	out := filepath.Join(dir, "fake"+exeSuffix())
	cmd := exec.Command("go", "build", "-ldflags="+ldflags, "-o", out, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod", "GOWORK=off")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the fake pack: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	fakeBuilt[key] = b
	return b
}

func exeSuffix() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}

const testVersion = "1.2.3"

// testBundle is a bundle of binary for the running platform, with a correct
// SHA256SUMS that also lists another platform.
func testBundle(binary []byte) Bundle {
	file := BinaryName("fake-pack", runtime.GOOS+"/"+runtime.GOARCH)
	sum := sha256.Sum256(binary)
	sums := hex.EncodeToString(sum[:]) + "  " + file + "\n" +
		strings.Repeat("ab", 32) + "  fake-pack-plan9-amd64\n"
	return Bundle{
		Pack: "fake-pack", Version: testVersion,
		Platforms: []string{runtime.GOOS + "/" + runtime.GOARCH, "plan9/amd64"},
		Sums:      []byte(sums), File: file, Binary: binary,
	}
}

// listTree returns every file under root, relative, sorted by walk order.
func listTree(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !fi.IsDir() {
			rel, _ := filepath.Rel(root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}

func TestPrepareExtractsOnceAndCaches(t *testing.T) {
	bin := fakePack(t, testVersion, false)
	b := testBundle(bin)
	root := t.TempDir()
	log := filepath.Join(t.TempDir(), "version.log")
	t.Setenv("FAKE_PACK_LOG", log)

	path, err := b.Prepare(root)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(root, testVersion+"-"+sha256Hex(bin)[:12], b.File)
	if path != want {
		t.Errorf("extracted to %s, want %s", path, want)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, bin) {
		t.Fatalf("extracted file differs from the embedded binary (%v)", err)
	}
	fi1, _ := os.Stat(path)
	if runtime.GOOS != "windows" && fi1.Mode().Perm()&0o111 == 0 {
		t.Errorf("extracted file is not executable: %v", fi1.Mode())
	}
	if files := listTree(t, root); len(files) != 1 {
		t.Errorf("the cache holds more than the binary (a temporary file left behind?): %v", files)
	}

	// A second start finds the checked file: no rewrite, no version check.
	time.Sleep(10 * time.Millisecond)
	path2, err := b.Prepare(root)
	if err != nil || path2 != path {
		t.Fatalf("second Prepare: %s, %v", path2, err)
	}
	fi2, _ := os.Stat(path)
	if !os.SameFile(fi1, fi2) || !fi1.ModTime().Equal(fi2.ModTime()) {
		t.Error("the second start extracted the binary again")
	}
	if data, _ := os.ReadFile(log); strings.Count(string(data), "version checked") != 1 {
		t.Errorf("want the version checked once, at extraction; log:\n%s", data)
	}
}

func TestPrepareReextractsADamagedCache(t *testing.T) {
	bin := fakePack(t, testVersion, false)
	b := testBundle(bin)
	root := t.TempDir()
	path, err := b.Prepare(root)
	if err != nil {
		t.Fatal(err)
	}
	for name, damage := range map[string][]byte{"truncated": bin[:len(bin)/2], "edited": append([]byte("#!"), bin[2:]...)} {
		if err := os.WriteFile(path, damage, 0o755); err != nil {
			t.Fatal(err)
		}
		if p, err := b.Prepare(root); err != nil || p != path {
			t.Fatalf("%s: Prepare: %s, %v", name, p, err)
		}
		if got, _ := os.ReadFile(path); !bytes.Equal(got, bin) {
			t.Errorf("%s cache file not replaced by the embedded binary", name)
		}
	}
	if files := listTree(t, root); len(files) != 1 {
		t.Errorf("cache: %v", files)
	}
}

// TestConcurrentStartsSeeOnlyCompleteBinaries starts several launchers (as
// processes) at once on an empty cache while a reader watches the final
// path: it must only ever see the whole, checked binary, and no temporary
// file may be left.
func TestConcurrentStartsSeeOnlyCompleteBinaries(t *testing.T) {
	bin := fakePack(t, testVersion, false)
	binFile := filepath.Join(t.TempDir(), "fake-bin")
	if err := os.WriteFile(binFile, bin, 0o644); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	want := filepath.Join(root, testVersion+"-"+sha256Hex(bin)[:12], testBundle(bin).File)

	stop := make(chan struct{})
	var partial, seen int
	var reader sync.WaitGroup
	reader.Add(1)
	go func() {
		defer reader.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if data, err := os.ReadFile(want); err == nil {
				seen++
				if !bytes.Equal(data, bin) {
					partial++
				}
			}
		}
	}()
	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for i := 0; i < 6; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "BUNDLE_TEST_PREPARE="+binFile, "BUNDLE_TEST_ROOT="+root)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, &out)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil || strings.TrimSpace(outs[i].String()) != want {
			t.Errorf("launcher %d: %v: %s", i, err, outs[i].String())
		}
	}
	time.Sleep(20 * time.Millisecond)
	close(stop)
	reader.Wait()
	if partial > 0 {
		t.Errorf("a reader saw an incomplete binary %d times out of %d", partial, seen)
	}
	if files := listTree(t, root); len(files) != 1 {
		t.Errorf("cache after concurrent starts: %v", files)
	}
}

func TestPrepareRefusesAWrongChecksum(t *testing.T) {
	bin := fakePack(t, testVersion, false)
	for name, edit := range map[string]func(*Bundle){
		"binary edited": func(b *Bundle) { b.Binary = append(append([]byte{}, b.Binary...), 0) },
		"sum edited": func(b *Bundle) {
			b.Sums = []byte(strings.Repeat("0", 64) + "  " + b.File + "\n")
		},
	} {
		t.Run(name, func(t *testing.T) {
			b := testBundle(bin)
			edit(&b)
			root := t.TempDir()
			_, err := b.Prepare(root)
			if err == nil || !strings.Contains(err.Error(), "does not match its SHA-256 checksum") ||
				!strings.Contains(err.Error(), "make dist") {
				t.Fatalf("want a checksum error, got %v", err)
			}
			if files := listTree(t, root); len(files) != 0 {
				t.Errorf("a refused binary was written: %v", files)
			}
		})
	}
	t.Run("not listed", func(t *testing.T) {
		b := testBundle(bin)
		b.Sums = []byte(strings.Repeat("0", 64) + "  other\n")
		if _, err := b.Prepare(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no checksum for "+b.File) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("damaged sums", func(t *testing.T) {
		b := testBundle(bin)
		b.Sums = []byte("not a checksum\n")
		if _, err := b.Prepare(t.TempDir()); err == nil || !strings.Contains(err.Error(), "SHA256SUMS is damaged") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestPrepareRefusesAVersionMismatch(t *testing.T) {
	b := testBundle(fakePack(t, "9.9.9", false))
	root := t.TempDir()
	_, err := b.Prepare(root)
	if err == nil || !strings.Contains(err.Error(), `is version "9.9.9" but this bundle is version "1.2.3"`) {
		t.Fatalf("want a version mismatch, got %v", err)
	}
	for _, f := range listTree(t, root) {
		t.Errorf("left in the cache after a refused version: %s", f)
	}
}

func TestPrepareDoesNotHangOnABinaryThatDoesNotAnswer(t *testing.T) {
	b := testBundle(fakePack(t, testVersion, true))
	old := VersionTimeout
	VersionTimeout = 2 * time.Second
	t.Cleanup(func() { VersionTimeout = old })
	start := time.Now()
	_, err := b.Prepare(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "did not answer --version within 2s") {
		t.Fatalf("got %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestUnsupportedPlatform(t *testing.T) {
	b := Bundle{Pack: "selfhosted-hardening", Version: "0.1.0",
		Platforms: []string{"darwin/arm64", "linux/amd64", "windows/amd64"}, Sums: []byte("x")}
	want := "this bundle has no pack binary for " + runtime.GOOS + "/" + runtime.GOARCH +
		"; it ships darwin/arm64, linux/amd64, windows/amd64. Build one from the pack's repository with " +
		"`PLATFORMS=" + runtime.GOOS + "/" + runtime.GOARCH + " make dist`"
	_, err := b.Prepare(t.TempDir())
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("Prepare:\n got %v\nwant %s...", err, want)
	}
	var stderr bytes.Buffer
	if code := Launch(b, nil, &stderr); code == 0 {
		t.Error("Launch exited 0 on an unsupported platform")
	}
	if !strings.HasPrefix(stderr.String(), "selfhosted-hardening 0.1.0 (policy pack launcher): "+want) {
		t.Errorf("stderr: %s", stderr.String())
	}
}

func TestParseSums(t *testing.T) {
	h := strings.Repeat("a1", 32)
	sums, err := ParseSums([]byte(h + "  one\r\n" + strings.ToUpper(h) + " *two.exe\n\n"))
	if err != nil || sums["one"] != h || sums["two.exe"] != h || len(sums) != 2 {
		t.Errorf("%v %v", sums, err)
	}
	for _, bad := range []string{"", h, h[:60] + "  one", "zz" + h[2:] + "  one", h + "  one\n" + h + "  one"} {
		if _, err := ParseSums([]byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestCacheRoot(t *testing.T) {
	if got := CacheEnv("selfhosted-hardening"); got != "SELFHOSTED_HARDENING_CACHE_DIR" {
		t.Errorf("CacheEnv: %s", got)
	}
	dir := t.TempDir()
	t.Setenv("FAKE_PACK_CACHE_DIR", dir)
	if got, err := CacheRoot("fake-pack"); err != nil || got != dir {
		t.Errorf("with the override: %s %v", got, err)
	}
	t.Setenv("FAKE_PACK_CACHE_DIR", "")
	base, err := os.UserCacheDir()
	if err != nil {
		t.Skip("no user cache dir here")
	}
	if got, err := CacheRoot("fake-pack"); err != nil || got != filepath.Join(base, "fake-pack") {
		t.Errorf("default: %s %v", got, err)
	}
}

// TestLaunchPassesEverythingThrough runs Launch in a child copy of this test
// binary (on Unix it replaces that process): the fake pack must get the
// arguments, environment and stdin, write to the same stdout, and its exit
// code must be the process's.
func TestLaunchPassesEverythingThrough(t *testing.T) {
	if os.Getenv("BUNDLE_TEST_LAUNCH") != "" {
		return // in the child, TestMain did the work
	}
	bin := fakePack(t, testVersion, false)
	binFile := filepath.Join(t.TempDir(), "fake-bin")
	if err := os.WriteFile(binFile, bin, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLaunchPassesEverythingThrough$", "--", "--logtostderr", "127.0.0.1:1234")
	cmd.Env = append(os.Environ(), "BUNDLE_TEST_LAUNCH="+binFile, "FAKE_PACK_CACHE_DIR="+t.TempDir(),
		"FAKE_PACK_ENV=carried", "FAKE_PACK_EXIT=7")
	cmd.Stdin = strings.NewReader("from the engine")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 7 {
		t.Errorf("exit: %v, want code 7; stderr:\n%s", err, stderr.String())
	}
	want := `args=["--logtostderr" "127.0.0.1:1234"] env="carried" stdin="from the engine"` + "\n"
	if stdout.String() != want {
		t.Errorf("stdout:\n got %q\nwant %q", stdout.String(), want)
	}
}

// markerScript is an executable that is not the pack binary: if it ever
// runs, it appends a line to marker (and prints version 6.6.6, as if it were
// another pack).
func markerScript(marker string) []byte {
	return []byte("#!/bin/sh\necho ran >> '" + marker + "'\necho 6.6.6\n")
}

// swapHook is an afterVerify that replaces the file it is called with by a
// new file (a new inode, as whoever can write the cache folder could do)
// holding markerScript(marker): at "tmp", the extracted temporary file
// before its --version check; at "cached", the cached binary before the exec.
func swapHook(at, marker string) func(string) {
	return func(p string) {
		if strings.HasPrefix(filepath.Base(p), ".") != (at == "tmp") {
			return
		}
		n := p + ".swap"
		if err := os.WriteFile(n, markerScript(marker), 0o755); err != nil {
			panic(err)
		}
		if err := os.Rename(n, p); err != nil {
			panic(err)
		}
	}
}

// launchChild runs Launch with args in a child copy of this test binary (see
// TestMain), the bundle of bin and the cache root root, and returns its
// stdout, stderr and exit code. env is added to the child's environment.
func launchChild(t *testing.T, bin []byte, root string, env []string, args ...string) (string, string, int) {
	t.Helper()
	binFile := filepath.Join(t.TempDir(), "fake-bin")
	if err := os.WriteFile(binFile, bin, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
	cmd.Env = append(append(os.Environ(), "BUNDLE_TEST_LAUNCH="+binFile, "FAKE_PACK_CACHE_DIR="+root), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), code
}

func noMarker(t *testing.T, marker string) {
	t.Helper()
	if data, err := os.ReadFile(marker); err == nil {
		t.Errorf("the swapped-in or tampered binary ran: %s", data)
	}
}

// TestLaunchExecsTheVerifiedFile swaps the cached binary for another
// executable after the launcher hashed it and before it execs it: what runs
// must be the binary that was hashed.
func TestLaunchExecsTheVerifiedFile(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("only Linux execs a descriptor; elsewhere the launcher checks the path names the hashed file")
	}
	bin := fakePack(t, testVersion, false)
	for _, warm := range []bool{true, false} {
		t.Run(fmt.Sprintf("warm=%v", warm), func(t *testing.T) {
			root := t.TempDir()
			path := filepath.Join(root, testVersion+"-"+sha256Hex(bin)[:12], testBundle(bin).File)
			if warm {
				if _, err := testBundle(bin).Prepare(root); err != nil {
					t.Fatal(err)
				}
			}
			marker := filepath.Join(t.TempDir(), "marker")
			stdout, stderr, code := launchChild(t, bin, root,
				[]string{"BUNDLE_TEST_SWAP=" + marker, "BUNDLE_TEST_SWAP_AT=cached"}, "--version")
			if code != 0 || stdout != testVersion+"\n" {
				t.Errorf("exit %d, stdout %q, want the verified pack's %q; stderr:\n%s", code, stdout, testVersion+"\n", stderr)
			}
			noMarker(t, marker)
			if got, _ := os.ReadFile(path); !bytes.Equal(got, markerScript(marker)) {
				t.Error("the test did not swap the cached binary")
			}
		})
	}
}

// TestPrepareChecksTheVersionOfTheVerifiedFile swaps the extracted temporary
// file after the launcher hashed it and before its --version check: the check
// must run the hashed binary, and the launcher must refuse what is then
// installed, never run it.
func TestPrepareChecksTheVersionOfTheVerifiedFile(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("only Linux execs a descriptor")
	}
	b := testBundle(fakePack(t, testVersion, false))
	marker := filepath.Join(t.TempDir(), "marker")
	afterVerify = swapHook("tmp", marker)
	t.Cleanup(func() { afterVerify = nil })
	_, err := b.Prepare(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "is not the one the launcher extracted") {
		t.Errorf("Prepare: %v, want the installed binary refused", err)
	}
	noMarker(t, marker)
}

// TestLaunchRefusesATamperedCache changes the bytes of the cached binary
// (into a script that leaves a marker, followed by the binary): the launcher
// must not run it but extract the embedded binary again, or, when it cannot,
// fail.
func TestLaunchRefusesATamperedCache(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the tampered binary is a shell script")
	}
	bin := fakePack(t, testVersion, false)
	for _, readOnly := range []bool{false, true} {
		t.Run(fmt.Sprintf("readOnly=%v", readOnly), func(t *testing.T) {
			if readOnly && os.Getuid() == 0 {
				t.Skip("root writes into read-only folders")
			}
			root := t.TempDir()
			path, err := testBundle(bin).Prepare(root)
			if err != nil {
				t.Fatal(err)
			}
			marker := filepath.Join(t.TempDir(), "marker")
			if err := os.WriteFile(path, append(markerScript(marker), bin...), 0o755); err != nil {
				t.Fatal(err)
			}
			if readOnly {
				if err := os.Chmod(filepath.Dir(path), 0o555); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { os.Chmod(filepath.Dir(path), 0o755) })
			}
			stdout, stderr, code := launchChild(t, bin, root, nil, "--version")
			noMarker(t, marker)
			got, _ := os.ReadFile(path)
			if readOnly {
				if code != 2 || stdout != "" || !strings.Contains(stderr, "extracting the pack binary") {
					t.Errorf("exit %d, stdout %q, stderr %q: want the launcher to fail", code, stdout, stderr)
				}
				return
			}
			if code != 0 || stdout != testVersion+"\n" {
				t.Errorf("exit %d, stdout %q; stderr:\n%s", code, stdout, stderr)
			}
			if !bytes.Equal(got, bin) {
				t.Error("the tampered cache file was not replaced by the embedded binary")
			}
		})
	}
}

func TestMain(m *testing.M) {
	if bin := os.Getenv("BUNDLE_TEST_PREPARE"); bin != "" {
		data, err := os.ReadFile(bin)
		if err == nil {
			var path string
			if path, err = testBundle(data).Prepare(os.Getenv("BUNDLE_TEST_ROOT")); err == nil {
				fmt.Println(path)
				os.Exit(0)
			}
		}
		fmt.Println(err)
		os.Exit(1)
	}
	if bin := os.Getenv("BUNDLE_TEST_LAUNCH"); bin != "" {
		data, err := os.ReadFile(bin)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(100)
		}
		args := os.Args[1:]
		for i, a := range args {
			if a == "--" {
				args = args[i+1:]
				break
			}
		}
		if marker := os.Getenv("BUNDLE_TEST_SWAP"); marker != "" {
			afterVerify = swapHook(os.Getenv("BUNDLE_TEST_SWAP_AT"), marker)
		}
		os.Exit(Launch(testBundle(data), args, os.Stderr))
	}
	code := m.Run()
	testbin.Cleanup()
	os.Exit(code)
}
