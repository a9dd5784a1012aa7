#!/usr/bin/env bash
# shellcheck disable=SC2086  # $PKGS and $debs are lists of words
# shellcheck disable=SC2317  # cleanup runs from the EXIT trap
# Builds the Debian packages (make deb), installs them with dpkg, checks that
# htslib's tools find the agc: plugin with no setting at all (no HTS_PATH),
# then purges them and checks that nothing is left.  Prints TAP and a closing
# line "packages: N passed, N failed" (".ci/run" adds it to its totals).
#
#   scripts/test-packages.sh        needs root (it installs packages); as
#                                   another user it says why and skips
#
# What it checks, on an archive the installed ragc makes from three genomes of
# test/data/data/hsmt-50 (each expected value comes from the FASTA files
# themselves, read by samtools, bcftools or pysam without ragc):
#   samtools faidx agc:x.agc and agc:SAMPLE@x.agc regions, bcftools norm -f
#   agc:..., a CRAM written and read back with -T agc:..., pysam's FastaFile,
#   htslib's own network plugins (libcurl, S3, GCS) still listed beside ours,
#   a program built with pkg-config against libragc-dev, the man page.
# It refuses to run (a failure, not a skip) when one of the packages is
# already installed or an hfile_agc.so already sits in a directory htslib
# searches: the checks would then not show that the packages work.
set -u
cd "$(dirname "$0")/.." || exit 1
PKGS="ragc libragc0 libragc-dev htslib-plugin-agc"
FIXTURES=$PWD/test/data/data/hsmt-50
pass=0 fail=0 n=0

ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"; }
# check DESCRIPTION COMMAND...: one TAP result from the command's status
check() {
    local what=$1; shift
    if "$@" > "$tmp/out" 2> "$tmp/err"; then
        ok "$what"
    else
        not_ok "$what"
        sed 's/^/#   /' "$tmp/out" "$tmp/err" | head -n 20
    fi
}
finish() {
    echo "1..$n"
    echo "packages: $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
    exit
}
skip() {
    echo "# skipped: $1"
    echo "1..0 # SKIP $1"
    echo "packages: 0 passed, 0 failed, 1 skipped"
    exit 0
}

[ "$(id -u)" -eq 0 ] || skip "needs root: installs and removes Debian packages (run as root, as CI does)"
for c in dpkg-buildpackage dh lintian samtools bcftools pkg-config cc; do
    command -v "$c" > /dev/null || skip "$c is missing (scripts/install-deps.sh installs it)"
done
/usr/bin/python3 -c 'import pysam' 2> /dev/null || skip "Debian's python3-pysam is missing (scripts/install-deps.sh)"

tmp=$(mktemp -d)
installed_here=0
# interrupted after installing: purge what this run installed
cleanup() {
    # shellcheck disable=SC2086
    [ "$installed_here" -eq 0 ] || dpkg --purge $PKGS > /dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/home" "$tmp/fa"

# A clean user's environment: no HTS_PATH or REF_PATH, the system's programs
# and Debian's python3 (not a build tree's ragc or a pyenv python).
clean() {
    env -u HTS_PATH -u REF_PATH -u REF_CACHE -u RAGC_PLUGIN_DIR -u PYTHONPATH \
        HOME="$tmp/home" PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

# --- before: nothing of ours installed -------------------------------------
installed=$(dpkg-query -W -f='${Package} ${Status}\n' $PKGS 2> /dev/null | grep ' installed$' | cut -d' ' -f1)
if [ -n "$installed" ]; then
    not_ok "none of the packages is installed before the test (found: ${installed//$'\n'/ })"
    finish
fi
plugin_dirs=$(clean samtools --version | sed -n 's/.*plugin-path=\([^ ]*\).*/\1/p' | tr ':' ' ')
for d in $plugin_dirs; do
    if [ -e "$d/hfile_agc.so" ]; then
        not_ok "no hfile_agc.so in htslib's search path before the test (found $d/hfile_agc.so)"
        finish
    fi
done

# --- build ------------------------------------------------------------------
start=$(date +%s)
if make -s deb DEBDIR="$tmp/deb" > "$tmp/build.log" 2>&1; then
    ok "make deb builds the packages ($(($(date +%s) - start)) s)"
else
    not_ok "make deb builds the packages"
    tail -n 30 "$tmp/build.log" | sed 's/^/#   /'
    finish
fi
sed -n '/^lintian/,$p' "$tmp/build.log" | sed 's/^/# /'
debs=""
for p in $PKGS; do
    debs="$debs $(ls "$tmp"/deb/"${p}"_*.deb)"
done
check "lintian (run by make deb) reports no error or warning" sh -c "! grep -E '^[EW]: ' $tmp/build.log"

# --- install ----------------------------------------------------------------
installed_here=1
# shellcheck disable=SC2086
check "dpkg -i installs the four packages" dpkg -i $debs

cp "$FIXTURES/HG00140.fa" "$FIXTURES/HG00178.fa" "$FIXTURES/HG00356.fa" "$tmp/fa/"
x=$tmp/x.agc
check "ragc (installed) creates an archive" \
    clean ragc create -o "$x" "$tmp/fa/HG00140.fa" "$tmp/fa/HG00178.fa" "$tmp/fa/HG00356.fa"
check "the man page is installed" test -s /usr/share/man/man1/ragc.1.gz

# htslib lists its URL scheme handlers in samtools --version
clean samtools --version > "$tmp/version"
check "samtools lists the agc scheme (no HTS_PATH)" grep -qE '^[[:space:]]+agc:' "$tmp/version"
check "htslib's libcurl plugin is still listed" grep -qE '^[[:space:]]+libcurl:.*https' "$tmp/version"
check "htslib's S3 plugin is still listed" grep -qE '^[[:space:]]+Amazon S3:.*s3' "$tmp/version"
check "htslib's GCS plugin is still listed" grep -qE '^[[:space:]]+Google Cloud Storage:.*gs' "$tmp/version"

# faidx: the reference sample, and another sample by name
same() { cmp "$1" "$2"; }
clean samtools faidx "$tmp/fa/HG00140.fa" HG00140:1-100 > "$tmp/want1.fa"
clean samtools faidx "agc:$x" HG00140:1-100 > "$tmp/got1.fa" 2> "$tmp/err1"
check "samtools faidx agc:x.agc HG00140:1-100 gives the FASTA's bytes" same "$tmp/want1.fa" "$tmp/got1.fa"
clean samtools faidx "$tmp/fa/HG00178.fa" HG00178:16001-16200 > "$tmp/want2.fa"
clean samtools faidx "agc:HG00178@$x" HG00178:16001-16200 > "$tmp/got2.fa" 2> "$tmp/err2"
check "samtools faidx agc:HG00178@x.agc HG00178:16001-16200 gives the FASTA's bytes" \
    same "$tmp/want2.fa" "$tmp/got2.fa"

# bcftools norm: a one-base deletion written at the end of the first run of
# four or more equal bases must move to the run's start; the expected record
# is computed here from the FASTA
/usr/bin/python3 - "$tmp/fa/HG00140.fa" "$tmp" << 'EOF'
import re, sys
seq = "".join(l.strip() for l in open(sys.argv[1]) if not l.startswith(">"))
m = re.search(r"(A{4,}|C{4,}|G{4,}|T{4,})", seq[10:])
s, e = 10 + m.start(), 10 + m.end()          # 0-based run [s, e)
head = "##fileformat=VCFv4.2\n##contig=<ID=HG00140,length=%d>\n" % len(seq)
head += "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
with open(sys.argv[2] + "/in.vcf", "w") as f:
    f.write(head + "HG00140\t%d\t.\t%s\t%s\t.\t.\t.\n" % (e - 1, seq[e - 2:e], seq[e - 2]))
with open(sys.argv[2] + "/want-norm.txt", "w") as f:
    f.write("HG00140\t%d\t.\t%s\t%s\n" % (s, seq[s - 1:s + 1], seq[s - 1]))
EOF
clean bcftools norm -f "agc:$x" "$tmp/in.vcf" > "$tmp/norm.vcf" 2> "$tmp/norm.err"
grep -v '^#' "$tmp/norm.vcf" | cut -f1-5 > "$tmp/got-norm.txt"
check "bcftools norm -f agc:x.agc left-aligns a deletion as the FASTA says" \
    same "$tmp/want-norm.txt" "$tmp/got-norm.txt"

# CRAM: reads taken from the FASTA (one with a mismatch), written with
# -T agc:x.agc and read back with it; samtools view of the SAM is the oracle
/usr/bin/python3 - "$tmp/fa/HG00140.fa" "$tmp/in.sam" << 'EOF'
import sys
seq = "".join(l.strip() for l in open(sys.argv[1]) if not l.startswith(">"))
out = ["@HD\tVN:1.6\tSO:coordinate", "@SQ\tSN:HG00140\tLN:%d" % len(seq)]
for i, pos in enumerate((1, 101, 5001, 16001)):
    r = seq[pos - 1:pos + 49]
    if i == 2:
        r = r[:10] + ("A" if r[10] != "A" else "C") + r[11:]
    out.append("r%d\t0\tHG00140\t%d\t60\t50M\t*\t0\t0\t%s\t%s" % (i, pos, r, "I" * 50))
open(sys.argv[2], "w").write("\n".join(out) + "\n")
EOF
# (decode_md=0: no MD/NM added on reading); MD and NM, which CRAM decoding
# computes from the reference, must be those the FASTA gives
clean samtools view "$tmp/in.sam" > "$tmp/want.sam"
clean samtools view -C -T "agc:$x" -o "$tmp/x.cram" "$tmp/in.sam" 2> "$tmp/cram.err" &&
    clean samtools view --input-fmt-option decode_md=0 -T "agc:$x" "$tmp/x.cram" > "$tmp/got.sam" 2>> "$tmp/cram.err"
check "CRAM written and read back with -T agc:x.agc keeps every read" same "$tmp/want.sam" "$tmp/got.sam"
clean samtools view -T "agc:$x" "$tmp/x.cram" > "$tmp/got-md.sam" 2>> "$tmp/cram.err"
clean samtools view -C -T "$tmp/fa/HG00140.fa" -o "$tmp/y.cram" "$tmp/in.sam" 2>> "$tmp/cram.err" &&
    clean samtools view -T "$tmp/fa/HG00140.fa" "$tmp/y.cram" > "$tmp/want-md.sam" 2>> "$tmp/cram.err"
check "CRAM MD/NM from -T agc:x.agc are those from the FASTA (one mismatch)" \
    sh -c "cmp '$tmp/want-md.sam' '$tmp/got-md.sam' && grep -c 'NM:i:1\$' '$tmp/got-md.sam' | grep -qx 1"

# pysam (Debian's python3-pysam, linked with the system htslib)
check "pysam.FastaFile('agc:...').fetch gives the FASTA's bases" clean /usr/bin/python3 -c '
import sys, pysam
x, fa = sys.argv[1], sys.argv[2]
for name, url in (("HG00140", "agc:" + x), ("HG00178", "agc:HG00178@" + x)):
    want = pysam.FastaFile(fa + "/" + name + ".fa").fetch(name, 5, 205)
    got = pysam.FastaFile(url).fetch(name, 5, 205)
    if len(want) != 200 or got != want:
        sys.exit("%s: %r != %r" % (url, got, want))
' "$x" "$tmp/fa"

# libragc-dev: a program built with pkg-config against the installed library
cat > "$tmp/prog.c" << 'EOF'
#include <stdio.h>
#include <ragc.h>
int main(int argc, char **argv)
{
    (void)argc;
    int st;
    ragc_archive *a = ragc_open(argv[1], &st);
    if (!a)
        return 1;
    printf("%lld %s\n", (long long)ragc_n_samples(a), ragc_reference(a));
    ragc_close(a);
    return 0;
}
EOF
check "a program builds with pkg-config ragc (libragc-dev) and reads the archive" clean sh -c '
cc -o "$1/prog" "$1/prog.c" $(pkg-config --cflags --libs ragc) && [ "$("$1/prog" "$2")" = "3 HG00140" ]' sh "$tmp" "$x"

# --- remove -----------------------------------------------------------------
# shellcheck disable=SC2086
check "dpkg --purge removes the packages" dpkg --purge $PKGS
installed_here=0
left=$(dpkg-query -W -f='${Package} ${Status}\n' $PKGS 2> /dev/null | grep -v ' not-installed$')
check "dpkg knows none of the packages any more" test -z "$left"
: > "$tmp/left"
for d in $debs; do
    dpkg-deb -c "$d" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' | while read -r f; do
        [ -e "$f" ] || [ -L "$f" ] && echo "$f" >> "$tmp/left"
    done
done
check "no file of the packages is left" test ! -s "$tmp/left"
[ -s "$tmp/left" ] && sed 's/^/#   left: /' "$tmp/left"
clean samtools --version > "$tmp/version"
check "samtools no longer lists the agc scheme" sh -c "! grep -qE '^[[:space:]]+agc:' $tmp/version"
finish
