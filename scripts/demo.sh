#!/usr/bin/env bash
# `make demo`: installs missing packages, builds ragc, compresses the bundled
# example collection (10 Salmonella enterica genomes, ../shared/data/senterica-10)
# and queries the archive.
set -eu
cd "$(dirname "$0")/.."
shared=${RAGC_SHARED:-$(cd .. && pwd)/shared}

./scripts/install-deps.sh
make -j2

src=$shared/data/senterica-10
agc_arc=$shared/compat/archives/senterica.agc
if [ ! -d "$src" ]; then
    echo "demo: the example genomes are missing: $src" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
arc=$tmp/senterica.agc
inputs=("$src/SAL_AA7743AA.fasta.gz")
for f in "$src"/*.fasta.gz; do [ "$f" = "${inputs[0]}" ] || inputs+=("$f"); done

echo "== ragc create -t 2: $(du -ch "${inputs[@]}" | tail -1 | cut -f1) of gzipped FASTA"
/usr/bin/time -f "   %e s, %M KiB peak" ./ragc create -t 2 -o "$arc" "${inputs[@]}"
echo "   archive: $(stat -c %s "$arc") bytes (agc 3.2.2: $(stat -c %s "$agc_arc") bytes)"

echo "== every sample comes back exactly (getcol against agc's output for the same genomes)"
want=$(awk -F'\t' '$1 == "getcol {A}" { print $4 }' "$shared/compat/expected/senterica/outputs.tsv")
got=$(./ragc getcol -t 2 "$arc" | md5sum | cut -d' ' -f1)
[ "$got" = "$want" ] && echo "   identical: md5 $got" || { echo "   DIFFERENT: $got vs $want" >&2; exit 1; }

echo "== ragc listset"
./ragc listset "$arc" | sed 's/^/   /'
echo "== ragc getctg: a 60-base range"
./ragc getctg "$arc" 'NODE_11_length_149361_cov_9.71634_ID_21@SAL_AA7743AA:100000-100059'
echo "== ragc getset -g 6 -o s.fa.gz SAL_HA8462AA; gzip -dc s.fa.gz | head -2"
./ragc getset -g 6 -o "$tmp/s.fa.gz" "$arc" SAL_HA8462AA && gzip -dc "$tmp/s.fa.gz" | head -2 | cut -c1-70
echo "== samtools faidx through the htslib plugin (HTS_PATH=$PWD:)"
HTS_PATH=$PWD: samtools faidx "agc:$arc" 'NODE_11_length_149361_cov_9.71634_ID_21:100001-100060'
HTS_PATH=$PWD: samtools faidx "agc:SAL_HA8462AA@$arc" 'NODE_127_length_255_cov_7.05469:1-60'

