#!/usr/bin/env bash
# All tests: formatting, vet, unit tests, the installer corpus, the publish
# path, the end-to-end previews in the real Pulumi CLI (built first, cached
# under ~/.cache/selfhosted-hardening) and through its Go language host (found
# or built by scripts/language-host.sh, cached there too), and a short run of
# each fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."

unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:" >&2
  echo "$unformatted" >&2
  exit 1
fi
go vet ./...
bash scripts/pulumi-cli.sh
# The Go language host, for the tests that run the pack from its directory and
# as a published required policy (internal/e2e/hosted): on PATH, else built
# next to the CLI from ../shared/toolchain (cached). Without one those tests
# skip, except under CI=true, where this fails.
if ! bash scripts/language-host.sh >/dev/null; then
  [ "${CI:-}" = true ] && exit 1
  echo "test: no Go language host; the tests that need it will skip" >&2
fi
SELFHOSTED_HARDENING_E2E=1 go test -count=1 ./...

# Fuzz targets, briefly (FUZZTIME, default 10s each).
for pkg_target in props:FuzzDecodeLookup props:FuzzParsePath policies:FuzzAnalyze \
  policies:FuzzContainerDefinitions policies:FuzzSecurityGroupRule secretname:FuzzOf kube:FuzzWalk kube:FuzzReadEdge; do
  pkg=${pkg_target%%:*}
  target=${pkg_target#*:}
  go test "./$pkg" -run='^$' -fuzz="^${target}\$" -fuzztime="${FUZZTIME:-10s}"
done
