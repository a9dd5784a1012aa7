#!/usr/bin/env bash
# Builds the Debian packages (debian/) of this tree in a copy under OUTDIR
# (default deb/), so that dpkg-buildpackage's output -- the .deb, .buildinfo
# and .changes files, which it writes beside the source folder -- stays out
# of the work tree.  Runs lintian on the result when it is installed.
#   scripts/make-deb.sh [OUTDIR]      (make deb DEBDIR=OUTDIR)
# The package build skips the test suite (nocheck; CI runs it on its own) and
# builds with 2 jobs (DEB_JOBS=N to change).
set -eu
cd "$(dirname "$0")/.."
out=${1:-deb}
mkdir -p "$out"
out=$(cd "$out" && pwd)
version=$(dpkg-parsechangelog -S Version)
src=$out/ragc-$version
rm -rf "$src"
mkdir -p "$src"
# the files of the tree, as git sees them (tracked and new, not ignored), or
# the whole tree less build output when it is not a git checkout
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard | xargs -0 -r sh -c \
        'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
        tar --null -T - -cf - | tar -xf - -C "$src"
else
    tar --exclude=./obj --exclude=./san --exclude=./tsan --exclude=./deb --exclude=./.git \
        -cf - . | tar -xf - -C "$src"
fi
rm -f "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
(cd "$src" && DEB_BUILD_OPTIONS="nocheck ${DEB_BUILD_OPTIONS:-}" \
    dpkg-buildpackage -b -us -uc -Pnocheck -j"${DEB_JOBS:-2}")
rm -rf "$src"
ls -1 "$out"/*.deb
if command -v lintian >/dev/null; then
    echo "lintian (debian/README.Debian explains what it reports):"
    root=()
    [ "$(id -u)" -ne 0 ] || root=(--allow-root)
    lintian "${root[@]}" --info --pedantic "$out"/ragc_"${version}"_*.changes || true
fi
