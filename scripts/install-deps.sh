#!/usr/bin/env bash
# Installs the Debian packages ragc needs to build and test, if any is
# missing.  Needs root (or sudo) only when something has to be installed.
set -eu
pkgs="build-essential pkg-config libhts-dev libzstd-dev libdeflate-dev zlib1g-dev
      bats bats-support bats-assert samtools bcftools tabix time strace
      nginx-light python3
      clang libfuzzer-14-dev"
# Debian packages (make deb, scripts/test-packages.sh) and the progress test
# (script(1) from bsdutils)
pkgs="$pkgs debhelper devscripts dpkg-dev fakeroot lintian python3-pysam bsdutils"
# the scale-out workflow (workflows/Snakefile), run by bats/workflow.bats and
# bench/scaleout.sh (Snakemake 7: Debian 12's package)
pkgs="$pkgs snakemake"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing
