#!/usr/bin/env bash
# Builds the publishable bundle of the pack: a folder (default
# dist/selfhosted-hardening; or the first argument, or $DIST_DIR) whose Go
# program imports only the standard library and runs the prebuilt pack binary
# of the running platform, so the Go language host compiles a small launcher
# (seconds on an empty build cache) instead of the Pulumi SDK.
#
#   PLATFORMS   GOOS/GOARCH list, spaces or commas
#               (default: linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64)
#
# Binaries: the repository root package, CGO_ENABLED=0, -trimpath, -ldflags="-s -w".
# The folder's Go files come from internal/bundle (see its doc.go).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-${DIST_DIR:-$root/dist/selfhosted-hardening}}"
platforms="${PLATFORMS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64}"
platforms="${platforms//,/ }"
export GOWORK=off

stage="$(mktemp -d "${TMPDIR:-/tmp}/selfhosted-hardening-dist.XXXXXX")"
trap 'rm -rf "$stage"' EXIT

cd "$root"
for p in $platforms; do
  os="${p%/*}"
  arch="${p#*/}"
  if [ "$os/$arch" != "$p" ] || [ -z "$os" ] || [ -z "$arch" ]; then
    echo "dist: platform \"$p\" is not GOOS/GOARCH (such as linux/amd64)" >&2
    exit 1
  fi
  ext=""
  [ "$os" = windows ] && ext=".exe"
  echo "dist: building the pack for $p"
  CGO_ENABLED=0 GOOS="$os" GOARCH="$arch" \
    go build -trimpath -ldflags="-s -w" -o "$stage/${os}_${arch}${ext}" .
done

go run ./internal/bundle/cmd/distgen -root "$root" -bin "$stage" -platforms "$platforms" -out "$out"

# The launcher must compile for every platform shipped, and for one that is
# not (where unsupported.go reports the error). -trimpath shares the
# standard library's build cache with the builds above.
cd "$out"
go vet .
for p in $platforms plan9/amd64; do
  CGO_ENABLED=0 GOOS="${p%/*}" GOARCH="${p#*/}" go build -trimpath -o /dev/null .
done

echo "dist: $out"
ls -l "$out/bin"
# pulumi policy publish leaves out every file that a .gitignore of the folder,
# or of any folder above it, ignores. So dist/ is kept out of git by the
# checkout's own .git/info/exclude, which publish does not read, and not by
# .gitignore.
if gitdir="$(git -C "$root" rev-parse --git-dir 2>/dev/null)"; then
  case "$gitdir" in /*) ;; *) gitdir="$root/$gitdir" ;; esac
  mkdir -p "$gitdir/info"
  grep -qx '/dist/' "$gitdir/info/exclude" 2>/dev/null || echo '/dist/' >>"$gitdir/info/exclude"
fi
if (cd "$out" && git ls-files --others --ignored --exclude-per-directory=.gitignore -- main.go 2>/dev/null | grep -q .); then
  echo "dist: warning: a .gitignore ignores $out; pulumi policy publish would upload an empty pack from there" >&2
fi
echo "dist: publish with: cd $out && pulumi policy publish <org>"
