//go:build !unix && !windows

package bundle

import (
	"errors"
	"os"
	"runtime"
)

// execPack: this platform cannot start another program.
func execPack(f *os.File, path string, args []string) (int, error) {
	return 0, errors.New("cannot start the pack binary " + path + ": " + runtime.GOOS + " does not run other programs")
}

// fdExecPath: no name starts an open descriptor here.
func fdExecPath(int) string { return "" }

func ownedByCurrentUser(os.FileInfo) bool { return true }
