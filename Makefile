# Every target is a script under scripts/, so CI and people run the same thing.
.PHONY: demo test cli bench dist bench-bundle language-host

# The main job: build the pack and preview the bundled example programs with
# it: an ECS deployment, then the EKS installer's service stack.
demo:
	bash scripts/demo.sh

# All tests (what CI runs).
test:
	bash scripts/test.sh

# Build the Pulumi CLI v3.274.1 from the Go module proxy (cached).
cli:
	bash scripts/pulumi-cli.sh

# Find the Go language host (pulumi-language-go) on PATH, else build it next
# to the CLI from ../shared/toolchain (cached); prints its path.
language-host:
	bash scripts/language-host.sh

# The publishable bundle: dist/selfhosted-hardening, a launcher that imports
# only the standard library plus prebuilt pack binaries (PLATFORMS=os/arch ...
# to choose them; DIST_DIR=<folder> to write elsewhere).
dist:
	bash scripts/dist.sh

# By hand, not in CI: cold builds, the module install and start-to-first-Analyze,
# bundle against the repository root (a few minutes).
bench-bundle:
	go test ./internal/bundle -run='^$$' -bench=. -benchtime=1x -timeout=60m

# Benchmarks: Go benchmarks and timed CLI previews (see BENCHMARKS.md).
bench:
	bash scripts/bench.sh
