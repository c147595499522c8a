#!/usr/bin/env bash
# All tests: formatting, vet, a short run of each fuzz target, then unit
# tests, the installer corpus, the publish path, the end-to-end previews in the
# real Pulumi CLI (built first, cached under ~/.cache/selfhosted-hardening) and
# through its Go language host (found or built by scripts/language-host.sh,
# cached there too). The tests run under gotestsum (pinned in tools/gotestsum,
# built from the Go module proxy), so the output ends with every skipped and
# failed test and its output, gotestsum's DONE line, and the tests run,
# passed, skipped and failed per package (tools/gotestsum/testreport).
set -euo pipefail
cd "$(dirname "$0")/.."

unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:" >&2
  echo "$unformatted" >&2
  exit 1
fi
go vet ./...
go vet -C tools/gotestsum ./...
bash scripts/pulumi-cli.sh
# The Go language host, for the tests that run the pack from its directory and
# as a published required policy (internal/e2e/hosted): on PATH, else built
# next to the CLI from ../shared/toolchain (cached). Without one those tests
# skip, except under CI=true, where this fails.
if ! bash scripts/language-host.sh >/dev/null; then
  [ "${CI:-}" = true ] && exit 1
  echo "test: no Go language host; the tests that need it will skip" >&2
fi

# Fuzz targets, briefly (FUZZTIME, default 10s each); before the tests so the
# output ends with their summary.
for pkg_target in props:FuzzDecodeLookup props:FuzzParsePath policies:FuzzAnalyze \
  policies:FuzzContainerDefinitions policies:FuzzSecurityGroupRule secretname:FuzzOf secretname:FuzzValue kube:FuzzWalk kube:FuzzReadEdge; do
  pkg=${pkg_target%%:*}
  target=${pkg_target#*:}
  # Minimizing a new input may outlast -fuzztime and end the run with
  # "context deadline exceeded" (seen on secretname:FuzzValue): cap it.
  go test "./$pkg" -run='^$' -fuzz="^${target}\$" -fuzztime="${FUZZTIME:-10s}" -fuzzminimizetime=2s
done

# gotestsum and the per-package report, built from tools/gotestsum's pinned
# go.mod and go.sum (the module proxy is all it needs) into a folder of this
# run, so concurrent runs do not share a binary.
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
go build -C tools/gotestsum -o "$tools/gotestsum" gotest.tools/gotestsum
go build -C tools/gotestsum -o "$tools/testreport" ./testreport
go test -C tools/gotestsum -count=1 ./...
# A failing test fails gotestsum, and so this script, after the summary.
SELFHOSTED_HARDENING_E2E=1 "$tools/gotestsum" --format pkgname --format-icons text \
  --jsonfile "$tools/events.json" --post-run-command "$tools/testreport" \
  -- -count=1 -timeout=30m ./...
