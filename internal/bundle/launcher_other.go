//go:build !unix && !windows

package bundle

import (
	"fmt"
	"os"
	"runtime"
)

// execPack: this platform cannot start another program.
func execPack(f *os.File, path string, args []string) (int, error) {
	return 0, fmt.Errorf("cannot start the pack binary %s: %s does not run other programs", path, runtime.GOOS)
}

// fdExecPath: no name starts an open descriptor here.
func fdExecPath(int) string { return "" }

func ownedByCurrentUser(os.FileInfo) bool { return true }
