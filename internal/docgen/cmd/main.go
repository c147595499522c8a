// Command cmd rewrites the generated blocks of README.md from the pack's
// metadata: the policy index and one section per policy, and the pack's
// other blocks (policies.DocBlocks).
package main

import (
	"fmt"
	"os"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/docgen"
	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
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
	pack := policies.Pack()
	blocks := append([]docgen.Block{{Name: docgen.PoliciesBlock, Text: docgen.Policies(pack, nil)}},
		policies.DocBlocks()...)
	out, err := docgen.Replace(string(data), blocks...)
	if err != nil {
		return err
	}
	return os.WriteFile(path, []byte(out), 0o644)
}
