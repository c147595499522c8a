#!/usr/bin/env bash
# Builds the Pulumi CLI v3.274.1 from the Go module proxy (the only source
# reachable here) into $PULUMI_CLI_ROOT/bin/pulumi, default
# ~/.cache/selfhosted-hardening/bin/pulumi, unless that binary already reports
# the pinned version. `go install ...@v3.274.1` cannot do it (pkg/v3's go.mod
# has a local replace), so tools/pulumicli is a wrapper module that pins pkg/v3
# and sdk/v3 and copies pkg/v3's clipboard replace.
# Cold: ~3 to 14 minutes and a peak of ~3.4 GB RAM; warm build cache: about a minute.
set -euo pipefail
version=v3.274.1
root="${PULUMI_CLI_ROOT:-$HOME/.cache/selfhosted-hardening}"
bin="$root/bin/pulumi"
if [ -x "$bin" ] && [ "$("$bin" version 2>/dev/null)" = "$version" ]; then
  echo "pulumi $version already at $bin"
  exit 0
fi
here="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$root/bin"
echo "building pulumi $version into $bin (first time: several minutes)"
cd "$here/tools/pulumicli"
go build -o "$bin.tmp" \
  -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
  github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
mv "$bin.tmp" "$bin"
"$bin" version
