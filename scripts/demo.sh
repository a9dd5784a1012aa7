#!/usr/bin/env bash
# `make demo`: installs missing packages, builds ragc, and runs it on the
# bundled example: the 10-genome Salmonella archive written by agc 3.2.2
# (../shared/compat/archives/senterica.agc) and its source FASTA files.
set -eu
cd "$(dirname "$0")/.."
shared=${RAGC_SHARED:-$(cd .. && pwd)/shared}

./scripts/install-deps.sh
make -j2

arc=$shared/compat/archives/senterica.agc
src=$shared/data/senterica-10
if [ ! -f "$arc" ]; then
    echo "demo: the example archive is missing: $arc" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== ragc info $arc"
./ragc info "$arc"
echo "== ragc listset"
./ragc listset "$arc"
echo "== ragc getset: SAL_AA7743AA, checked against its source FASTA"
./ragc getset "$arc" SAL_AA7743AA > "$tmp/ours.fa"
# the source as agc prints it: upper case, 80 bases a line
gzip -dc "$src/SAL_AA7743AA.fasta.gz" | awk '
    /^>/ { if (seq != "") flush(); print; next } { seq = seq toupper($0) }
    function flush() { while (length(seq) > 80) { print substr(seq, 1, 80); seq = substr(seq, 81) } print seq; seq = "" }
    END { if (seq != "") flush() }' > "$tmp/source.fa"
cmp "$tmp/ours.fa" "$tmp/source.fa" && echo "identical: $(grep -c '>' "$tmp/ours.fa") contigs, $(wc -c < "$tmp/ours.fa") bytes"
echo "== ragc getctg: a 60-base range"
./ragc getctg "$arc" 'NODE_11_length_149361_cov_9.71634_ID_21@SAL_AA7743AA:100000-100059'
echo "== ragc getcol -t 2: all samples"
/usr/bin/time -f "%e s, %M KiB peak" ./ragc getcol -t 2 "$arc" | wc -c
echo
echo "Not built yet: ragc create/append (issues 3, 5) and samtools faidx agc:... (issue 4)."
