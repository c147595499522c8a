#!/usr/bin/env bash
# Benchmarks: Go benchmarks of the pack (per-resource Analyze by policy
# family, AnalyzeStack at 100, 1,000 and 10,000 resources, the reference
# graph), then `pulumi preview` in the real CLI at 100 and 1,000 resources
# with no pack, with the pack binary, and with every policy disabled (the
# engine's own cost of calling an analyzer), several runs each, interleaved;
# then an EKS-shaped program of 1,000 Kubernetes objects (stand-in kubernetes
# provider) with no pack, a pack of one no-op policy, and the whole pack.
# RUNS (default 5) and BENCHTIME (default 1s) tune it. Results: BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/pulumi-cli.sh >/dev/null
mkdir -p bin/pack bin/provider bin/noop-pack bin/k8s-provider
CGO_ENABLED=0 go build -o bin/pack/selfhosted-hardening .
CGO_ENABLED=0 go build -o bin/noop-pack/bench-noop ./internal/benchpreview/noop
go build -o bin/provider/pulumi-resource-aws ./internal/e2e/fakeaws
go build -o bin/k8s-provider/pulumi-resource-kubernetes ./internal/e2e/fakek8s

echo "## Machine"
echo
echo "- $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "- $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) memory; $(uname -sr); $(go version | cut -d' ' -f3-)"
echo
echo "## Go benchmarks"
echo
echo '```'
go test ./server ./policies ./graph -run='^$' -bench=. -benchmem -benchtime="${BENCHTIME:-1s}" | grep -E '^(Benchmark|ok)'
echo '```'
echo
echo "## pulumi preview"
echo
go run ./internal/benchpreview -cli-root "${PULUMI_CLI_ROOT:-$HOME/.cache/selfhosted-hardening}" \
  -pack bin/pack/selfhosted-hardening -pack-dir . -provider bin/provider/pulumi-resource-aws -runs "${RUNS:-5}"
echo
echo "## pulumi preview, EKS-shaped (1,000 Kubernetes objects)"
echo
go run ./internal/benchpreview -program eks -cli-root "${PULUMI_CLI_ROOT:-$HOME/.cache/selfhosted-hardening}" \
  -pack bin/pack/selfhosted-hardening -noop-pack bin/noop-pack/bench-noop -provider bin/provider/pulumi-resource-aws \
  -kubernetes-provider bin/k8s-provider/pulumi-resource-kubernetes -sizes 1000 -runs "${RUNS:-5}"
echo; echo "## Precision and recall (labelled cases)"; echo; echo '```'; go test ./policies -run '^TestPrecisionRecall$' -v -count=1; echo '```'
