#!/usr/bin/env bash
# The main job: build the pack, then preview the bundled example programs
# with it in the real Pulumi CLI and show the violations: an ECS deployment
# (examples/demo), then the EKS installer's service stack
# (internal/programs/eks.go). The providers are the stand-in test doubles
# internal/e2e/fakeaws and internal/e2e/fakek8s.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/pulumi-cli.sh
mkdir -p bin/pack bin/provider
CGO_ENABLED=0 go build -o bin/pack/selfhosted-hardening .
go build -o bin/provider/pulumi-resource-aws ./internal/e2e/fakeaws
go build -o bin/provider/pulumi-resource-kubernetes ./internal/e2e/fakek8s
go run ./examples/demo -cli-root "${PULUMI_CLI_ROOT:-$HOME/.cache/selfhosted-hardening}" \
  -pack bin/pack/selfhosted-hardening -provider bin/provider/pulumi-resource-aws \
  -kubernetes-provider bin/provider/pulumi-resource-kubernetes
