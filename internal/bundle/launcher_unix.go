//go:build unix

package bundle

import (
	"fmt"
	"os"
	"syscall"
)

// execPack replaces the process with the pack binary: same arguments (after
// the program name), environment, standard streams and process id, so the
// engine talks to, signals and kills the pack itself.
func execPack(path string, args []string) (int, error) {
	argv := append([]string{path}, args...)
	err := syscall.Exec(path, argv, os.Environ())
	return 0, fmt.Errorf("starting the pack binary %s: %w", path, err)
}

// ownedByCurrentUser tells whether fi belongs to the user running the
// launcher.
func ownedByCurrentUser(fi os.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid()
}
