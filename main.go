// Command selfhosted-hardening is the policy pack's plugin binary: the
// Pulumi engine starts it (directly with --policy-pack <binary>, or through
// the Go language host with --policy-pack <directory>) and talks to it over
// the analyzer protocol.
package main

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
	"github.com/selfhosted-hardening/selfhosted-hardening/server"
)

func main() {
	server.Main(policies.Pack())
}
