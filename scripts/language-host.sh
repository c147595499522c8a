#!/usr/bin/env bash
# Finds Pulumi's Go language host (pulumi-language-go) and prints its path:
# the one on PATH (users have it: it ships with every Pulumi CLI install), else
# the one this script builds next to the CLI that scripts/pulumi-cli.sh builds
# ($PULUMI_CLI_ROOT/bin, default ~/.cache/selfhosted-hardening/bin), from
# ../shared/toolchain/build-language-go.sh (the module proxy does not serve it;
# $SELFHOSTED_HARDENING_TOOLCHAIN names another folder holding that script).
# The built host is cached: it is rebuilt only when it does not report the
# pinned version and is older than the build script.
# Exit status 3: no host on PATH and no build script (the message says how to
# get one). Warm build cache: well under a minute; cold: a few minutes.
set -euo pipefail
version=v3.274.1
if [ "${SELFHOSTED_HARDENING_IGNORE_PATH_HOST:-}" != 1 ] && p="$(command -v pulumi-language-go 2>/dev/null)"; then
  echo "$p"
  exit 0
fi
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${PULUMI_CLI_ROOT:-$HOME/.cache/selfhosted-hardening}/bin"
host="$bin/pulumi-language-go"
toolchain="${SELFHOSTED_HARDENING_TOOLCHAIN:-$here/../shared/toolchain}"
script="$toolchain/build-language-go.sh"
if [ -x "$host" ]; then
  if [ "$("$host" --version 2>/dev/null)" = "$version" ] || { [ -f "$script" ] && [ "$host" -nt "$script" ]; }; then
    echo "$host"
    exit 0
  fi
fi
if [ ! -f "$script" ]; then
  echo "no pulumi-language-go on PATH and no $script to build it: install the Pulumi CLI" \
    "(it ships pulumi-language-go) and put its folder on PATH, or set SELFHOSTED_HARDENING_TOOLCHAIN" \
    "to a folder holding build-language-go.sh" >&2
  exit 3
fi
echo "building pulumi-language-go $version into $bin (first time: a few minutes)" >&2
bash "$script" "$bin" >&2
echo "$host"
