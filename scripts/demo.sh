#!/usr/bin/env bash
# `make demo`: installs missing packages, builds ragc, compresses the bundled
# example collection (50 human mitochondrial genomes of the 1000 Genomes
# Project, test/data/data/hsmt-50) and queries the archive.  Everything it
# uses is in the repository; the expected values come from agc's archive of
# the same files and its recorded outputs (test/data/compat), and from the
# input FASTA files themselves.
set -eu
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
make -j2

data=test/data
src=$data/data/hsmt-50
agc_arc=$data/compat/archives/hsmt.agc
agc_out=$data/compat/expected/hsmt/outputs.tsv
for f in "$src/HG00140.fa" "$agc_arc" "$agc_out"; do
    [ -f "$f" ] || { echo "demo: part of the bundled example is missing: $f" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
arc=$tmp/hsmt.agc
# HG00140 first (the reference), then the others: the order of agc's hsmt case
inputs=("$src/HG00140.fa")
for f in "$src"/*.fa; do [ "$f" = "${inputs[0]}" ] || inputs+=("$f"); done

# flat FILE...: each record as its header line and its whole sequence on one
# line, upper case (what agc stores), without CR
flat() {
    awk '{ sub(/\r$/, "") }
         /^>/ { if (seq != "") print seq; seq = ""; print; next }
         { seq = seq toupper($0) }
         END { if (seq != "") print seq }' "$@"
}
fail() { echo "   DIFFERENT: $*" >&2; exit 1; }

echo "== ragc create -t 2: ${#inputs[@]} human mitochondrial genomes, $(du -ch "${inputs[@]}" | tail -1 | cut -f1) of FASTA"
/usr/bin/time -f "   %e s, %M KiB peak" ./ragc create -t 2 -o "$arc" "${inputs[@]}"
echo "   archive: $(stat -c %s "$arc") bytes (agc 3.2.2, same files: $(stat -c %s "$agc_arc") bytes)"

echo "== every sample comes back exactly"
want=$(awk -F'\t' '$1 == "getcol {A}" { print $4 }' "$agc_out")
got=$(./ragc getcol -t 2 "$arc" | md5sum | cut -d' ' -f1)
[ "$got" = "$want" ] || fail "getcol md5 $got, agc's getcol of the same genomes $want"
echo "   getcol identical to agc's getcol of the same genomes: md5 $got"
n=0
for f in "${inputs[@]}"; do
    s=$(basename "$f" .fa)
    cmp -s <(flat "$f") <(./ragc getset "$arc" "$s" | flat) || fail "sample $s vs $f"
    n=$((n + 1))
done
echo "   each of the $n samples (getset) equal to its input FASTA"

echo "== ragc listset (first 5)"
./ragc listset "$arc" | head -5 | sed 's/^/   /'
echo "== ragc getctg: a 60-base range"
./ragc getctg "$arc" 'HG00513@HG00513:1000-1059' | tee "$tmp/range.fa"
[ "$(sed -n 2p "$tmp/range.fa")" = "$(flat "$src/HG00513.fa" | sed -n 2p | cut -c1001-1060)" ] ||
    fail "getctg HG00513@HG00513:1000-1059 vs bases 1001-1060 of $src/HG00513.fa"
echo "== ragc getset -g 6 -o s.fa.gz NA12282; gzip -dc s.fa.gz | head -2"
./ragc getset -g 6 -o "$tmp/s.fa.gz" "$arc" NA12282 && gzip -dc "$tmp/s.fa.gz" | head -2 | cut -c1-70
cmp -s <(gzip -dc "$tmp/s.fa.gz" | flat) <(flat "$src/NA12282.fa") || fail "s.fa.gz vs $src/NA12282.fa"

echo "== samtools faidx through the htslib plugin (HTS_PATH=$PWD:)"
HTS_PATH=$PWD: samtools faidx "agc:$arc" 'HG00140:1001-1060'
HTS_PATH=$PWD: samtools faidx "agc:NA12282@$arc" 'NA12282:16001-16060' | tee "$tmp/plugin.fa"
cp "$src/NA12282.fa" "$tmp/NA12282.fa"
samtools faidx "$tmp/NA12282.fa" 'NA12282:16001-16060' > "$tmp/plain.fa"
cmp -s "$tmp/plugin.fa" "$tmp/plain.fa" || fail "agc:NA12282@ARCHIVE vs samtools faidx on $src/NA12282.fa"
echo "   the same as samtools faidx on the input FASTA"
