package bundle

// The launcher: standard library only, and valid Go 1.22, because
// scripts/dist.sh copies this file verbatim (as package main) into the
// bundle, whose go.mod says go 1.22 and has no requirements.
//
// The Go language host compiles the launcher, standard library included,
// before every run; on a runner with an empty build cache that is most of the
// pack's start-up. So the launcher imports no package that pulls in fmt or
// reflect (fmt, encoding/hex, ...): they add about a fifth to that cold build.
// TestLauncherImports keeps it so; errors are built with errors.New and wrap.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
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

// afterVerify, when not nil, is called with the path of a binary the
// launcher has just hashed (through the descriptor it will start it from) and
// is about to start: the extracted temporary file before its --version check,
// the cached binary before the exec. Tests use it to swap the file in that
// moment; it is nil in a bundle.
var afterVerify func(path string)

// Launch starts the pack with args, the process's environment and standard
// streams. On Unix it does not return when it succeeds: the pack binary
// replaces the process. On Windows it returns the pack's exit code. On any
// failure it writes one line saying what is wrong and what to do to stderr
// and returns a non-zero exit code: it never waits on anything but the
// bounded version check.
//
// What it starts is what it checked: it hashes the binary through an open
// descriptor and starts that descriptor, not the path, where the platform
// allows it (Linux); elsewhere see startName.
func Launch(b Bundle, args []string, stderr io.Writer) int {
	f, path, err := b.prepare("")
	if err == nil {
		if afterVerify != nil {
			afterVerify(path)
		}
		var code int
		code, err = execPack(f, path, args)
		f.Close()
		if err == nil {
			return code
		}
	}
	io.WriteString(stderr, b.Pack+" "+b.Version+" (policy pack launcher): "+err.Error()+"\n")
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
//
// A warm start does not run --version again: what --version prints is a
// property of the binary's content, which the hash pins, and the folder name
// carries that hash.
func (b Bundle) Prepare(root string) (string, error) {
	f, path, err := b.prepare(root)
	if err != nil {
		return "", err
	}
	f.Close()
	return path, nil
}

// prepare is Prepare, and also returns the binary open, as hashed: the
// launcher starts that open file, not whatever the path names later.
func (b Bundle) prepare(root string) (*os.File, string, error) {
	if b.File == "" || b.Binary == nil {
		return nil, "", b.Unsupported(runtime.GOOS, runtime.GOARCH)
	}
	if err := b.validNames(); err != nil {
		return nil, "", err
	}
	sums, err := ParseSums(b.Sums)
	if err != nil {
		return nil, "", errors.New("the bundle's SHA256SUMS is damaged: " + err.Error() + "; rebuild the bundle with `make dist`")
	}
	want, ok := sums[b.File]
	if !ok {
		return nil, "", errors.New("the bundle's SHA256SUMS has no checksum for " + b.File + "; rebuild the bundle with `make dist`")
	}
	if root == "" {
		if root, err = CacheRoot(b.Pack); err != nil {
			return nil, "", err
		}
	}
	dir := filepath.Join(root, b.Version+"-"+want[:checksumPrefix])
	path := filepath.Join(dir, b.File)
	if f, err := openVerified(path, want); err == nil {
		return f, path, nil // extracted and checked by an earlier start
	}

	if got := sha256Hex(b.Binary); got != want {
		return nil, "", errors.New("the embedded pack binary " + b.File + " does not match its SHA-256 checksum " +
			"(SHA256SUMS says " + want + ", the binary hashes to " + got + "): the bundle is damaged or was edited; " +
			"rebuild it with `make dist` and publish it again")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, "", wrap(err, "creating the cache folder for the pack binary: ", err.Error(),
			" (set ", CacheEnv(b.Pack), " to a writable folder)")
	}
	if err := b.extract(dir, path, want); err != nil {
		return nil, "", err
	}
	// Open and hash it again rather than keep the temporary file's
	// descriptor: Windows cannot rename a file that is open.
	f, err := openVerified(path, want)
	if err != nil {
		return nil, "", errors.New("the pack binary installed at " + path + " is not the one the launcher extracted (" +
			err.Error() + "): check the disk, and that nothing else writes to " + dir)
	}
	return f, path, nil
}

// extract writes the binary into dir under a temporary name, checks it, and
// renames it to path.
func (b Bundle) extract(dir, path, want string) error {
	tmpPrefix := "." + b.File + ".tmp-"
	removeStale(dir, tmpPrefix)
	f, err := os.CreateTemp(dir, tmpPrefix+"*"+filepath.Ext(b.File))
	if err != nil {
		return wrap(err, "extracting the pack binary: ", err.Error(), " (set ", CacheEnv(b.Pack), " to a writable folder)")
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
		return wrap(err, "extracting the pack binary to ", dir, ": ", err.Error())
	}
	vf, err := openVerified(tmp, want)
	if err != nil {
		return errors.New("the pack binary extracted to " + tmp + " does not read back intact (" + err.Error() + "): check the disk")
	}
	if afterVerify != nil {
		afterVerify(tmp)
	}
	err = b.checkVersion(vf, tmp)
	vf.Close()
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		// Another launcher may have put the same binary there first
		// (Windows does not replace a file that is running or open).
		if of, herr := openVerified(path, want); herr == nil {
			of.Close()
			return nil
		}
		return wrap(err, "installing the pack binary at ", path, ": ", err.Error())
	}
	done = true
	return nil
}

// checkVersion runs the binary f, opened from path and hashed, with
// --version and compares what it prints with b.Version. Where the platform
// starts a descriptor (Linux), the child gets f as its descriptor 3 and starts
// that, so the binary checked is the binary hashed; elsewhere it starts path
// once sameFile says path still names f.
func (b Bundle) checkVersion(f *os.File, path string) error {
	name, err := startName(f, path, 3)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), VersionTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, "--version")
	if name != path {
		cmd.ExtraFiles = []*os.File{f} // descriptor 3 of the child
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second
	err = cmd.Run()
	if ctx.Err() != nil {
		return errors.New("the pack binary " + b.File + " did not answer --version within " + VersionTimeout.String())
	}
	if err != nil {
		return errors.New("the pack binary " + b.File + " does not run on this machine (" + err.Error() + "): " +
			strings.TrimSpace(stderr.String()))
	}
	if got := strings.TrimSpace(stdout.String()); got != b.Version {
		return errors.New("the pack binary " + b.File + " is version " + strconv.Quote(got) +
			" but this bundle is version " + strconv.Quote(b.Version) + ": " +
			"its binaries and PulumiPolicy.yaml come from different sources; rebuild it with `make dist`")
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
	p := goos + "/" + goarch
	return errors.New("this bundle has no pack binary for " + p + "; it ships " + shipped + ". " +
		"Build one from the pack's repository with `PLATFORMS=" + p + " make dist` " +
		"(several: PLATFORMS=\"linux/amd64 " + p + "\") and publish that folder, " +
		"or run the pack from its source: pulumi preview --policy-pack <repository>")
}

// validNames refuses a version or file name that is not one path element.
func (b Bundle) validNames() error {
	for _, s := range []string{b.Version, b.File} {
		if s == "" || s == "." || s == ".." || strings.ContainsAny(s, `/\:`) {
			return errors.New("the bundle names its binary " + strconv.Quote(b.File) + ", version " +
				strconv.Quote(b.Version) + ": not a file name; rebuild it with `make dist`")
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
		return "", wrap(err, "no cache folder for the pack binary: ", err.Error(), " (set ", CacheEnv(pack), ")")
	}
	fi, err := os.Lstat(d)
	if err != nil || !fi.IsDir() || fi.Mode().Perm()&0o022 != 0 || !ownedByCurrentUser(fi) {
		return "", errors.New("no cache folder for the pack binary: " + d + " is not a private folder of this user (set " +
			CacheEnv(pack) + ")")
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
		if !ok || !isHex(sum) || len(sum) != 2*sha256.Size || name == "" {
			return nil, errors.New("line " + strconv.Itoa(i+1) + " is not \"<sha256>  <file>\": " + strconv.Quote(line))
		}
		if _, dup := sums[name]; dup {
			return nil, errors.New("line " + strconv.Itoa(i+1) + ": " + name + " is listed twice")
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
	return hexString(sum[:])
}

// openVerified opens path and checks that the open file's content, read
// through the descriptor, hashes to want. It returns the file open: the
// launcher starts that (see startName), so a file swapped in at path after the
// check is not what runs.
func openVerified(path, want string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		f.Close()
		return nil, err
	}
	if got := hexString(h.Sum(nil)); got != want {
		f.Close()
		return nil, errors.New(path + " hashes to " + got + ", not " + want)
	}
	return f, nil
}

// startName returns the name under which a process whose descriptor fd is a
// copy of f (the launcher itself: fd is f's own descriptor; a child that
// inherits f: the descriptor it gets) starts exactly the file f, which was
// opened from path and hashed.
//
// Where the platform can start an open descriptor (fdExecPath: Linux, with
// /proc mounted), that is the name of the descriptor, which the kernel
// resolves to the open file itself: renaming, deleting or replacing path
// meanwhile changes nothing. What remains is a write into the file itself,
// which needs write permission on it: the file is the user's own, mode 0755,
// and a process of the same user can as well change the launcher.
//
// Elsewhere (macOS, the BSDs, Windows; Linux without /proc) it is path, after
// sameFile says path still names the file that was hashed and is not a
// symbolic link. That leaves a window between that check and the kernel
// opening path in exec (microseconds, not the length of a hash) in which path
// can be replaced: those systems have no exec of a descriptor that package
// syscall reaches (FreeBSD's fexecve would need a raw system call that skips
// the runtime's exec lock). On Windows that window is closed by other means:
// the launcher keeps f open while it starts path, and Go opens files without
// FILE_SHARE_DELETE, so meanwhile path can be neither renamed, nor deleted,
// nor replaced by another file (a write into the file itself remains, as on
// Linux).
func startName(f *os.File, path string, fd int) (string, error) {
	if p := fdExecPath(int(f.Fd())); p != "" {
		fi, err := os.Stat(p)
		fj, ferr := f.Stat()
		if err == nil && ferr == nil && os.SameFile(fi, fj) {
			return fdExecPath(fd), nil
		}
		// /proc is not mounted (some chroots and sandboxes): use the path.
	}
	if err := sameFile(f, path); err != nil {
		return "", err
	}
	return path, nil
}

// sameFile checks that path is a regular file, not a symbolic link, and the
// very file that is open as f (same device and inode, or volume and file
// index on Windows).
func sameFile(f *os.File, path string) error {
	fi, err := f.Stat()
	if err == nil {
		var pi os.FileInfo
		if pi, err = os.Lstat(path); err == nil && (!pi.Mode().IsRegular() || !os.SameFile(fi, pi)) {
			err = errors.New("it is no longer the file the launcher checked")
		}
	}
	if err != nil {
		return errors.New("the pack binary " + path + " changed while the launcher checked it (" + err.Error() + "): " +
			"start again, and check that nothing else writes to " + filepath.Dir(path))
	}
	return nil
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

// wrapError is an error with its own message that wraps err, as fmt.Errorf's
// %w does (errors.Is and errors.As see err).
type wrapError struct {
	msg string
	err error
}

func (e *wrapError) Error() string { return e.msg }
func (e *wrapError) Unwrap() error { return e.err }

// wrap returns an error whose message is parts joined and which wraps err.
func wrap(err error, parts ...string) error {
	return &wrapError{msg: strings.Join(parts, ""), err: err}
}

// hexString is the lower-case hexadecimal form of b (encoding/hex pulls in fmt).
func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&0x0f]
	}
	return string(out)
}

// isHex tells whether s is hexadecimal digits, either case.
func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
