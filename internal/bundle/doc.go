// Package bundle makes the publishable form of the pack: a folder whose Go
// program imports only the standard library and starts a prebuilt pack
// binary, so the Go language host, which compiles a Go pack before every run,
// builds a small launcher instead of the Pulumi SDK.
//
// The launcher is the code in launcher*.go (standard library only). The
// generator (generate.go, called by scripts/dist.sh through
// ./internal/bundle/cmd/distgen) copies those files verbatim into the bundle
// as package main, beside generated files: main.go (the pack's name, version
// and platforms), one pack_<os>_<arch>.go per shipped platform that embeds
// that platform's binary, unsupported.go (built on every other platform, with
// the negation of their build constraints) and bin/SHA256SUMS.
//
// At run time the launcher checks the embedded binary against SHA256SUMS,
// extracts it once into the user's cache folder
// (os.UserCacheDir()/<pack>/<version>-<checksum prefix>/, written to a temporary
// file in that folder, checked with --version, then renamed into place), and
// execs it with the launcher's arguments, environment and standard streams
// (on Windows it runs it as a child and exits with its exit code). A warm start
// only hashes the cached file.
package bundle
