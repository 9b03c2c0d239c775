#!/usr/bin/env bash
# Checks the desktop integration: validates the desktop entry and the AppStream metainfo,
# builds the Debian package, installs it with dpkg, and checks what it installed.
#
# Needs root or sudo (for dpkg -i), cargo-deb, desktop-file-validate (desktop-file-utils)
# and appstreamcli (appstream). .ci/run installs them. A package that this script installed
# is removed again at the end; one that was installed before is left at the new version.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/artifactor-target}"

desktop=packaging/artifactor.desktop
metainfo=packaging/io.github.artifactor.Artifactor.metainfo.xml

for tool in desktop-file-validate appstreamcli dpkg dpkg-deb; do
    if ! command -v "$tool" >/dev/null; then
        echo "check-package.sh: $tool is missing; install it with" \
            "'apt-get install desktop-file-utils appstream dpkg-dev'" >&2
        exit 1
    fi
done
if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null; then
    as_root=(sudo)
else
    echo "check-package.sh: installing the package needs root or sudo" >&2
    exit 1
fi

echo "== validating $desktop and $metainfo"
desktop-file-validate "$desktop"
appstreamcli validate --no-net "$metainfo"

# The newest release in the metainfo must be the version that Cargo.toml builds.
version="$(sed -n 's/^version = "\(.*\)"$/\1/p;T;q' Cargo.toml)"
release="$(sed -n 's/.*<release version="\([^"]*\)".*/\1/p;T;q' "$metainfo")"
if [ "$release" != "$version" ]; then
    echo "check-package.sh: the newest release in $metainfo is '$release'," \
        "but Cargo.toml's version is '$version'; add a <release> entry for it" >&2
    exit 1
fi

echo "== building the package"
deb="$(bash scripts/build-deb.sh | tail -n 1)"
echo "built $deb ($(du -k "$deb" | cut -f 1) KiB)"

# validate-tree checks the installed layout together: the metainfo, the desktop entry that
# its launchable names, and the icons.
work="$(mktemp -d)"
was_installed=false
if dpkg-query -W -f='${Status}' artifactor 2>/dev/null | grep -q 'install ok installed'; then
    was_installed=true
fi
cleanup() {
    rm -rf "$work"
    if [ "$was_installed" = false ]; then
        "${as_root[@]}" dpkg --remove artifactor >/dev/null || true
    fi
}
trap cleanup EXIT
dpkg-deb --extract "$deb" "$work/package"
appstreamcli validate-tree --no-net "$work/package"

echo "== installing the package"
"${as_root[@]}" dpkg -i "$deb"

installed="$(/usr/bin/artifactor --version)"
echo "/usr/bin/artifactor --version: $installed"
if [ "$installed" != "artifactor $version" ]; then
    echo "check-package.sh: expected 'artifactor $version'" >&2
    exit 1
fi

desktop-file-validate /usr/share/applications/artifactor.desktop
appstreamcli validate --no-net /usr/share/metainfo/io.github.artifactor.Artifactor.metainfo.xml
for size in 32 48 64 128 256; do
    test -s "/usr/share/icons/hicolor/${size}x${size}/apps/artifactor.png"
done
test -s /usr/share/icons/hicolor/scalable/apps/artifactor.svg
# grep without -q reads all of its input, so zcat never gets SIGPIPE under pipefail.
zcat /usr/share/man/man1/artifactor.1.gz | grep '^\.TH artifactor 1' >/dev/null
zcat /usr/share/man/man1/artifactor-extract.1.gz | grep 'max\\-download' >/dev/null
grep -q extract /usr/share/bash-completion/completions/artifactor
grep -q extract /usr/share/zsh/vendor-completions/_artifactor
grep -q extract /usr/share/fish/vendor_completions.d/artifactor.fish
# The installed release binary extracts the sample export, with its log file in the
# temporary folder.
ARTIFACTOR_DATA_DIR="$work/data" ARTIFACTOR_CONFIG_DIR="$work/config" \
    /usr/bin/artifactor extract assets/sample-export.zip --out "$work/out" --quiet
test -s "$work/out/manifest.json"
ls "$work"/data/logs/artifactor.*.log >/dev/null
echo "== the package installs and checks out"
