#!/usr/bin/env bash
# The main job: build the pack, then preview the bundled example programs
# with it in the real Pulumi CLI and show the violations: an ECS deployment
# (examples/demo), then the EKS installer's service stack
# (internal/programs/eks.go), the local-docker installer's shape
# (internal/programs/docker.go), then AKS- and GKE-shaped programs
# (internal/programs/aks.go, gke.go). The providers are the stand-in test
# doubles internal/e2e/fakeaws, fakek8s, fakedocker, fakeazure, fakegcp and fakerandom. It ends by writing the
# reports of cmd/hardening-report (SARIF, Markdown, JSON) for each preview
# into bin/reports (REPORTS_DIR=<folder> to write elsewhere).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/pulumi-cli.sh
mkdir -p bin/pack bin/provider
CGO_ENABLED=0 go build -o bin/pack/selfhosted-hardening .
go build -o bin/provider/pulumi-resource-aws ./internal/e2e/fakeaws
go build -o bin/provider/pulumi-resource-kubernetes ./internal/e2e/fakek8s
go build -o bin/provider/pulumi-resource-docker ./internal/e2e/fakedocker
# AKS and GKE (issues 19 and 20): three more stand-in test doubles.
go build -o bin/provider/pulumi-resource-azure-native ./internal/e2e/fakeazure
go build -o bin/provider/pulumi-resource-gcp ./internal/e2e/fakegcp
go build -o bin/provider/pulumi-resource-random ./internal/e2e/fakerandom
go build -o bin/hardening-report ./cmd/hardening-report
reports="${REPORTS_DIR:-bin/reports}"
mkdir -p "$reports"
rm -f "$reports"/*.events.json
go run ./examples/demo -events-dir "$reports" -cli-root "${PULUMI_CLI_ROOT:-$HOME/.cache/selfhosted-hardening}" \
  -pack bin/pack/selfhosted-hardening -provider bin/provider/pulumi-resource-aws \
  -kubernetes-provider bin/provider/pulumi-resource-kubernetes \
  -docker-provider bin/provider/pulumi-resource-docker \
  -azure-native-provider bin/provider/pulumi-resource-azure-native \
  -gcp-provider bin/provider/pulumi-resource-gcp -random-provider bin/provider/pulumi-resource-random

# The previews fail on their mandatory findings by design: --report-only.
# The inline programs have no Pulumi.yaml in the repository, so findings
# point at the program's source file.
echo
echo "Reports (cmd/hardening-report):"
for events in "$reports"/*.events.json; do
  stack="$(basename "$events" .events.json)"
  program=internal/programs/ecs.go
  [ "$stack" = eks ] && program=internal/programs/eks.go
  [ "$stack" = docker ] && program=internal/programs/docker.go
  # AKS and GKE (issues 19 and 20).
  [ "$stack" = aks ] && program=internal/programs/aks.go
  [ "$stack" = gke ] && program=internal/programs/gke.go
  for format in sarif markdown json; do
    ext="$format"
    [ "$format" = markdown ] && ext=md
    bin/hardening-report --report-only --format "$format" --project-file "$program" \
      -o "$reports/$stack.$ext" "$events"
    echo "  $reports/$stack.$ext"
  done
done
echo "(each from the engine events beside it: $reports/<stack>.events.json)"
