//go:build tools

// Package pulumicli pins the Pulumi CLI that the end-to-end tests and the
// benchmark script build from the Go module proxy.
package pulumicli

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
