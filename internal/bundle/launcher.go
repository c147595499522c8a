package bundle

// The launcher: standard library only, and valid Go 1.22, because
// scripts/dist.sh copies this file verbatim (as package main) into the
// bundle, whose go.mod says go 1.22 and has no requirements.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Bundle is what a generated bundle carries: the pack's identity, the
// platforms it ships, their checksums, and this platform's binary.
type Bundle struct {
	// Pack is the pack's name, Version its version: what the binary's
	// --version must print.
	Pack, Version string
	// Platforms lists every platform the bundle ships, as GOOS/GOARCH.
	Platforms []string
	// Sums is the bundle's SHA256SUMS file (sha256sum format) over the
	// binaries of all shipped platforms.
	Sums []byte
	// File is the name of this platform's binary in Sums, Binary its
	// content. File is empty when the bundle ships no binary for the
	// platform the launcher was built for.
	File   string
	Binary []byte
}

// VersionTimeout bounds the --version check of a freshly extracted binary,
// so a broken binary gives an error rather than a hang.
var VersionTimeout = 30 * time.Second

// checksumPrefix is how many hex digits of the binary's SHA-256 name its
// cache folder.
const checksumPrefix = 12

// Launch starts the pack with args, the process's environment and standard
// streams. On Unix it does not return when it succeeds: the pack binary
// replaces the process. On Windows it returns the pack's exit code. On any
// failure it writes one line saying what is wrong and what to do to stderr
// and returns a non-zero exit code: it never waits on anything but the
// bounded version check.
func Launch(b Bundle, args []string, stderr io.Writer) int {
	path, err := b.Prepare("")
	if err == nil {
		var code int
		code, err = execPack(path, args)
		if err == nil {
			return code
		}
	}
	fmt.Fprintf(stderr, "%s %s (policy pack launcher): %v\n", b.Pack, b.Version, err)
	return 2
}

// Prepare returns the path of this platform's pack binary in the cache
// folder, extracting and checking it if it is not already there. root is the
// cache root; "" means CacheRoot(b.Pack).
//
// A warm start hashes the cached file and compares it with SHA256SUMS; a
// cached file that does not match is extracted again. Extraction checks the
// embedded binary against SHA256SUMS, writes it to a temporary file in the
// cache folder, hashes what was written, runs it with --version (it must
// print b.Version), and only then renames it into place: the final path
// holds either nothing or a complete, checked binary, even when several
// launchers start at once.
func (b Bundle) Prepare(root string) (string, error) {
	if b.File == "" || b.Binary == nil {
		return "", b.Unsupported(runtime.GOOS, runtime.GOARCH)
	}
	if err := b.validNames(); err != nil {
		return "", err
	}
	sums, err := ParseSums(b.Sums)
	if err != nil {
		return "", fmt.Errorf("the bundle's SHA256SUMS is damaged: %v; rebuild the bundle with `make dist`", err)
	}
	want, ok := sums[b.File]
	if !ok {
		return "", fmt.Errorf("the bundle's SHA256SUMS has no checksum for %s; rebuild the bundle with `make dist`", b.File)
	}
	if root == "" {
		if root, err = CacheRoot(b.Pack); err != nil {
			return "", err
		}
	}
	dir := filepath.Join(root, b.Version+"-"+want[:checksumPrefix])
	path := filepath.Join(dir, b.File)
	if got, err := fileSHA256(path); err == nil && got == want {
		return path, nil // extracted and checked by an earlier start
	}

	if got := sha256Hex(b.Binary); got != want {
		return "", fmt.Errorf("the embedded pack binary %s does not match its SHA-256 checksum "+
			"(SHA256SUMS says %s, the binary hashes to %s): the bundle is damaged or was edited; "+
			"rebuild it with `make dist` and publish it again", b.File, want, got)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("creating the cache folder for the pack binary: %w (set %s to a writable folder)",
			err, CacheEnv(b.Pack))
	}
	if err := b.extract(dir, path, want); err != nil {
		return "", err
	}
	return path, nil
}

// extract writes the binary into dir under a temporary name, checks it, and
// renames it to path.
func (b Bundle) extract(dir, path, want string) error {
	tmpPrefix := "." + b.File + ".tmp-"
	removeStale(dir, tmpPrefix)
	f, err := os.CreateTemp(dir, tmpPrefix+"*"+filepath.Ext(b.File))
	if err != nil {
		return fmt.Errorf("extracting the pack binary: %w (set %s to a writable folder)", err, CacheEnv(b.Pack))
	}
	tmp := f.Name()
	done := false
	defer func() {
		if !done {
			os.Remove(tmp)
		}
	}()
	_, err = f.Write(b.Binary)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o755)
	}
	if err != nil {
		return fmt.Errorf("extracting the pack binary to %s: %w", dir, err)
	}
	if got, err := fileSHA256(tmp); err != nil || got != want {
		return fmt.Errorf("the pack binary extracted to %s does not read back intact (%v): check the disk", tmp, err)
	}
	if err := b.checkVersion(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		// Another launcher may have put the same binary there first
		// (Windows does not replace a file that is running).
		if got, herr := fileSHA256(path); herr == nil && got == want {
			return nil
		}
		return fmt.Errorf("installing the pack binary at %s: %w", path, err)
	}
	done = true
	return nil
}

// checkVersion runs bin --version and compares what it prints with b.Version.
func (b Bundle) checkVersion(bin string) error {
	ctx, cancel := context.WithTimeout(context.Background(), VersionTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--version")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		return fmt.Errorf("the pack binary %s did not answer --version within %v", b.File, VersionTimeout)
	}
	if err != nil {
		return fmt.Errorf("the pack binary %s does not run on this machine (%v): %s",
			b.File, err, strings.TrimSpace(stderr.String()))
	}
	if got := strings.TrimSpace(stdout.String()); got != b.Version {
		return fmt.Errorf("the pack binary %s is version %q but this bundle is version %q: "+
			"its binaries and PulumiPolicy.yaml come from different sources; rebuild it with `make dist`",
			b.File, got, b.Version)
	}
	return nil
}

// Unsupported is the error of a launcher built for a platform the bundle
// ships no binary for.
func (b Bundle) Unsupported(goos, goarch string) error {
	shipped := "no platform at all"
	if len(b.Platforms) > 0 {
		shipped = strings.Join(b.Platforms, ", ")
	}
	return fmt.Errorf("this bundle has no pack binary for %s/%s; it ships %s. "+
		"Build one from the pack's repository with `PLATFORMS=%s/%s make dist` "+
		"(several: PLATFORMS=\"linux/amd64 %s/%s\") and publish that folder, "+
		"or run the pack from its source: pulumi preview --policy-pack <repository>",
		goos, goarch, shipped, goos, goarch, goos, goarch)
}

// validNames refuses a version or file name that is not one path element.
func (b Bundle) validNames() error {
	for _, s := range []string{b.Version, b.File} {
		if s == "" || s == "." || s == ".." || strings.ContainsAny(s, `/\:`) {
			return fmt.Errorf("the bundle names its binary %q, version %q: not a file name; rebuild it with `make dist`",
				b.File, b.Version)
		}
	}
	return nil
}

// CacheEnv is the environment variable that overrides the cache root of
// pack: SELFHOSTED_HARDENING_CACHE_DIR for selfhosted-hardening.
func CacheEnv(pack string) string {
	return strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(pack)) + "_CACHE_DIR"
}

// CacheRoot is the folder that holds the extracted binaries of pack:
// $<PACK>_CACHE_DIR if set, else os.UserCacheDir()/<pack>, else (no home
// folder, as in some CI containers) a folder of the user's own under the
// temporary directory.
func CacheRoot(pack string) (string, error) {
	if d := os.Getenv(CacheEnv(pack)); d != "" {
		return filepath.Abs(d)
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, pack), nil
	}
	user := "user"
	if uid := os.Getuid(); uid >= 0 {
		user = strconv.Itoa(uid)
	}
	d := filepath.Join(os.TempDir(), pack+"-cache-"+user)
	if err := os.MkdirAll(d, 0o700); err != nil {
		return "", fmt.Errorf("no cache folder for the pack binary: %w (set %s)", err, CacheEnv(pack))
	}
	fi, err := os.Lstat(d)
	if err != nil || !fi.IsDir() || fi.Mode().Perm()&0o022 != 0 || !ownedByCurrentUser(fi) {
		return "", fmt.Errorf("no cache folder for the pack binary: %s is not a private folder of this user (set %s)",
			d, CacheEnv(pack))
	}
	return d, nil
}

// ParseSums reads a SHA256SUMS file ("<64 hex digits>  <file>" per line; a
// '*' before the name, sha256sum's binary mode, is allowed) into a map from
// file name to lower-case hex digest.
func ParseSums(data []byte) (map[string]string, error) {
	sums := map[string]string{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		sum, name, ok := strings.Cut(line, " ")
		name = strings.TrimPrefix(strings.TrimPrefix(name, " "), "*")
		if _, err := hex.DecodeString(sum); !ok || err != nil || len(sum) != 2*sha256.Size || name == "" {
			return nil, fmt.Errorf("line %d is not \"<sha256>  <file>\": %q", i+1, line)
		}
		if _, dup := sums[name]; dup {
			return nil, fmt.Errorf("line %d: %s is listed twice", i+1, name)
		}
		sums[name] = strings.ToLower(sum)
	}
	if len(sums) == 0 {
		return nil, errors.New("it lists no file")
	}
	return sums, nil
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// removeStale deletes temporary files of extractions that died: older than
// ten minutes (a running extraction takes seconds).
func removeStale(dir, prefix string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > 10*time.Minute {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
