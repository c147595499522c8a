#!/usr/bin/env bash
# All tests: formatting, vet, unit tests, the installer corpus, the publish
# path, the end-to-end previews in the real Pulumi CLI (built first, cached
# under ~/.cache/selfhosted-hardening), and a short run of each fuzz target.
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
SELFHOSTED_HARDENING_E2E=1 go test -count=1 ./...

# Fuzz targets, briefly (FUZZTIME, default 10s each).
for pkg_target in props:FuzzDecodeLookup props:FuzzParsePath policies:FuzzAnalyze \
  policies:FuzzContainerDefinitions policies:FuzzSecurityGroupRule; do
  pkg=${pkg_target%%:*}
  target=${pkg_target#*:}
  go test "./$pkg" -run='^$' -fuzz="^${target}\$" -fuzztime="${FUZZTIME:-10s}"
done
