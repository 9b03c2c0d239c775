#!/usr/bin/env bash
# Runs exactly what CI runs: formatting, lints, the test suite, then the package check. The
# package check installs the .deb, so it needs root or sudo (see scripts/check-package.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

# A target folder outside the clone survives between CI runs on the same machine, which
# saves the several minutes a clean build of the window's dependencies takes.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/artifactor-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked
bash scripts/check-package.sh
