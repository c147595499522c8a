// Command cmd rewrites the generated blocks of README.md from the pack's
// metadata: the policy index and one section per policy, each with its
// example proven by running it through the policy now (policies/examples),
// and the pack's other blocks (policies.DocBlocks).
package main

import (
	"fmt"
	"os"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/docgen"
	"github.com/selfhosted-hardening/selfhosted-hardening/policies/examples"
)

func main() {
	if err := run("README.md"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	blocks, err := examples.Blocks()
	if err != nil {
		return err
	}
	out, err := docgen.Replace(string(data), blocks...)
	if err != nil {
		return err
	}
	return os.WriteFile(path, []byte(out), 0o644)
}
