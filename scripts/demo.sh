#!/usr/bin/env bash
# The main job: build the pack, then preview the bundled example program
# (examples/demo) with it in the real Pulumi CLI and show the violations.
# The AWS provider is the stand-in test double internal/e2e/fakeaws.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/pulumi-cli.sh
mkdir -p bin/pack bin/provider
CGO_ENABLED=0 go build -o bin/pack/selfhosted-hardening .
go build -o bin/provider/pulumi-resource-aws ./internal/e2e/fakeaws
go run ./examples/demo -cli-root "${PULUMI_CLI_ROOT:-$HOME/.cache/selfhosted-hardening}" \
  -pack bin/pack/selfhosted-hardening -provider bin/provider/pulumi-resource-aws
