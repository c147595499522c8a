//go:build unix

package bundle

import (
	"os"
	"runtime"
	"strconv"
	"syscall"
)

// execPack replaces the process with the pack binary f, opened from path and
// hashed: same arguments (after the program name, which is path),
// environment, standard streams and process id, so the engine talks to,
// signals and kills the pack itself.
//
// On Linux it execs /proc/self/fd/<f>, that is the open file itself, not
// what path names by then (see startName). f is close-on-exec: the kernel
// opens the binary before it closes such descriptors, so a binary starts
// from it (a #! script would not, but the pack is a Go binary) and the pack
// does not inherit it. The pack's argv[0] and /proc/<pid>/exe are its real
// path; only its kernel process name (comm, what top and pgrep show) is the
// descriptor's number. Elsewhere it execs path after checking it still names
// f, which leaves the window startName describes.
func execPack(f *os.File, path string, args []string) (int, error) {
	name, err := startName(f, path, int(f.Fd()))
	if err != nil {
		return 0, err
	}
	argv := append([]string{path}, args...)
	err = syscall.Exec(name, argv, os.Environ())
	runtime.KeepAlive(f) // f must stay open (not finalized) until the exec
	return 0, wrap(err, "starting the pack binary ", path, ": ", err.Error())
}

// fdExecPath returns a name that execve resolves to the file open as
// descriptor fd of the calling process: /proc/self/fd/<fd> on Linux and
// Android. It returns "" on the other Unix systems, which have no such name.
// (execveat(fd, "", AT_EMPTY_PATH) would not need /proc, but package syscall
// has no SYS_EXECVEAT on most architectures, and a raw system call would skip
// what syscall.Exec does around the exec: the runtime's exec lock and the
// restored file limit.)
func fdExecPath(fd int) string {
	if runtime.GOOS != "linux" && runtime.GOOS != "android" {
		return ""
	}
	return "/proc/self/fd/" + strconv.Itoa(fd)
}

// ownedByCurrentUser tells whether fi belongs to the user running the
// launcher.
func ownedByCurrentUser(fi os.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid()
}
