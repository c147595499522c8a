# Every target is a script under scripts/, so CI and people run the same thing.
.PHONY: demo test cli

# The main job: build the pack and preview the bundled example program with it.
demo:
	bash scripts/demo.sh

# All tests (what CI runs).
test:
	bash scripts/test.sh

# Build the Pulumi CLI v3.274.1 from the Go module proxy (cached).
cli:
	bash scripts/pulumi-cli.sh
