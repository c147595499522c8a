//go:build tools

// Package gotestsum pins gotestsum, which scripts/test.sh builds from the Go
// module proxy to run the tests and end with counts per package and every
// skip with its reason.
package gotestsum

import (
	_ "gotest.tools/gotestsum"
)
