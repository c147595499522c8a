// Package hosted runs the pack the way Pulumi runs it through the Go language
// host (pulumi-language-go, found on PATH or built by scripts/language-host.sh;
// see internal/testbin.LanguageHost): `pulumi preview --policy-pack
// <directory>` with the repository root and the `make dist` bundle, for a real
// Go project directory program, and org-wide enforcement from `pulumi policy
// publish` to a preview that downloads, installs and runs the pack as a
// required policy.
//
// Test doubles: the AWS provider (internal/e2e/fakeaws) and the Pulumi Cloud
// service (internal/cloudstub, a loopback-only stand-in). The CLI v3.274.1,
// the engine, the language host, the bundle's launcher and the pack are real.
// The tests are end-to-end tests: they run under SELFHOSTED_HARDENING_E2E=1
// (scripts/test.sh sets it).
package hosted
