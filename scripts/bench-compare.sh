#!/usr/bin/env bash
# Side by side: the Go benchmarks of Analyze (per policy family) and
# AnalyzeStack, ECS-shaped (100, 1,000, 10,000 resources) and EKS-shaped
# (1,000 Kubernetes objects), at BASE and at this work tree, in one run:
# each test binary built once, the two interleaved COUNT times (default 6) so
# both see the same machine, then benchstat's comparison.
#   bash scripts/bench-compare.sh <base-commit>
# BENCHTIME (default 1s) and BENCH (a -bench pattern) tune it.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: scripts/bench-compare.sh BASE-COMMIT}
count=${COUNT:-6}
pattern=${BENCH:-'^(BenchmarkAnalyze|BenchmarkServerAnalyzeStack|BenchmarkKubernetes)$'}
tmp=$(mktemp -d)
cleanup() {
  git worktree remove --force "$tmp/base" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
git worktree add --detach "$tmp/base" "$base" >/dev/null 2>&1
go test -C "$tmp/base" -c -o "$tmp/base.test" ./server
go test -c -o "$tmp/head.test" ./server
run() { # binary, package dir, output
  (cd "$2" && "$1" -test.run='^$' -test.bench="$pattern" -test.benchmem \
    -test.benchtime="${BENCHTIME:-1s}") | grep -E '^(Benchmark|goos|goarch|pkg|cpu)' >>"$3"
}
for i in $(seq "$count"); do
  run "$tmp/base.test" "$tmp/base/server" "$tmp/base.txt"
  run "$tmp/head.test" server "$tmp/head.txt"
done
echo "base: $(git rev-parse --short "$base")   head: $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (+ uncommitted changes)')"
go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da base="$tmp/base.txt" head="$tmp/head.txt"
