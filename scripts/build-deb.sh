#!/usr/bin/env bash
# Builds the Debian package and prints its path on the last line of stdout.
#
# Needs cargo-deb (`cargo install cargo-deb --locked`), gzip, and dpkg-shlibdeps from
# dpkg-dev for the library dependencies. The package metadata is [package.metadata.deb] in
# Cargo.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/artifactor-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

if ! cargo deb --version >/dev/null 2>&1; then
    echo "build-deb.sh: cargo-deb is missing; install it with 'cargo install cargo-deb --locked'" >&2
    exit 1
fi

cargo build --release --locked >&2

# The manual page and completions come from the argument definitions, so they are made from
# the binary just built. Cargo.toml's assets list reads them from this folder.
binary="$CARGO_TARGET_DIR/release/artifactor"
generated="$CARGO_TARGET_DIR/release/package"
rm -rf "$generated"
mkdir -p "$generated"
# One page per command: artifactor.1, artifactor-extract.1, ... -n leaves the name and time
# out of the gzip header, so the same page gives the same bytes.
"$binary" man --dir "$generated"
gzip -9n "$generated"/*.1
"$binary" completions bash >"$generated/artifactor.bash"
"$binary" completions zsh >"$generated/_artifactor"
"$binary" completions fish >"$generated/artifactor.fish"

# --no-build packages the binary built above instead of building it a second time.
cargo deb --no-build --locked --output "$CARGO_TARGET_DIR/debian/" >&2
version="$(cargo metadata --no-deps --format-version 1 --locked \
    | sed -n 's/.*"name":"artifactor","version":"\([^"]*\)".*/\1/p')"
deb="$(ls -t "$CARGO_TARGET_DIR"/debian/artifactor_"$version"-*_*.deb | head -n 1)"
echo "$deb"
