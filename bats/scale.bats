#!/usr/bin/env bats
# Scale, small (issue 12 item 4; the large figures come from bench/scale.sh,
# see bench/README.md): 200 samples built by create and 2 appends, a sample
# of 20,000 contigs, contig names of 64 KiB; everything read back and
# compared byte for byte with the inputs, which bench/simulate.py writes in
# the layout getset/getcol print (upper case, 80 columns).  Seconds.
#
#   RAGC=$PWD/ragc bats bats/scale.bats

load cli-helpers

bats_require_minimum_version 1.5.0

setup() {
  cli_init
  SIM=$REPO/bench/simulate.py
  BASE=$(data_path data/hsmt-50/HG00140.fa)
}

@test "scale: 200 samples by create and 2 appends read back exactly" {
  python3 "$SIM" genomes "$BASE" "$T/g" 200 7
  local -a f
  mapfile -t f < <(ls "$T/g"/*.fa | sort)
  ((${#f[@]} == 200)) || fail "simulate.py wrote ${#f[@]} genomes, not 200"
  rr_ok create -t 2 -o "$T/a0.agc" "${f[@]:0:66}"
  rr_ok append -t 2 -o "$T/a1.agc" "$T/a0.agc" "${f[@]:66:67}"
  rr_ok append -t 2 -o "$T/a2.agc" "$T/a1.agc" "${f[@]:133:67}"
  rr_ok listset "$T/a2.agc"
  [[ $(wc -l <"$OUT") == 200 ]] || fail "listset lists $(wc -l <"$OUT") samples, not 200"
  mkdir "$T/out"
  rr_ok getcol -t 2 -o "$T/out" "$T/a2.agc"
  local x bad=()
  for x in "${f[@]}"; do
    cmp -s "$x" "$T/out/$(basename "$x")" || bad+=("$(basename "$x")")
  done
  ((${#bad[@]} == 0)) || fail "${#bad[@]} samples differ from their inputs: ${bad[*]:0:5}"
  # and one through getset, from the middle of an appended batch
  rr_ok getset "$T/a2.agc" sim00150
  assert_out_file "$T/g/sim00150.fa"
}

@test "scale: a sample of 20,000 contigs read back exactly" {
  python3 "$SIM" contigs "$T/c.fa" 20000 8
  rr_ok create -t 2 -o "$T/c.agc" "$T/c.fa"
  rr_ok getset -t 2 "$T/c.agc" c
  assert_out_file "$T/c.fa"
  rr_ok getset -t 1 "$T/c.agc" c
  assert_out_file "$T/c.fa"
  rr_ok listctg "$T/c.agc" c
  [[ $(grep -c '^   ' "$OUT") == 20000 ]] || fail "listctg lists $(grep -c '^   ' "$OUT") contigs, not 20000"
  rr_ok getctg "$T/c.agc" ctg0020000 ctg0000001 ctg0010000
  { awk '/^>/ { on = ($0 == ">ctg0020000") } on' "$T/c.fa"
    awk '/^>/ { on = ($0 == ">ctg0000001") } on' "$T/c.fa"
    awk '/^>/ { on = ($0 == ">ctg0010000") } on' "$T/c.fa"; } >"$T/want.fa"
  assert_out_file "$T/want.fa"
}

@test "scale: contig names of 64 KiB read back exactly" {
  python3 "$SIM" longnames "$T/n.fa" 4 65536 9
  [[ $(awk 'NR == 1 { print length($0) }' "$T/n.fa") == 65537 ]] || fail "simulate.py wrote no 64 KiB name"
  rr_ok create -o "$T/n.agc" "$T/n.fa"
  rr_ok getset "$T/n.agc" n
  assert_out_file "$T/n.fa"
  local name
  name=$(awk '/^>/ && ++k == 2 { print substr($0, 2) }' "$T/n.fa")   # the second record's
  [[ ${#name} == 65536 ]] || fail "the second name is ${#name} bytes"
  rr_ok getctg "$T/n.agc" "$name"
  awk -v n="$name" '/^>/ { on = ($0 == ">" n) } on' "$T/n.fa" >"$T/want.fa"
  assert_out_file "$T/want.fa"
  rr_ok listctg "$T/n.agc" n
  [[ $(sed -n 3p "$OUT") == "   $name" ]] || fail "listctg does not print the 64 KiB name whole"
  # faidx: a region of that contig, 1-based, 60 bases a line
  rr_ok faidx "$T/n.agc" "$name:11-130"
  { printf '>%s:11-130\n' "$name"; fasta_record "$T/n.fa" "$name" | cut -c 11-130 | fold -w 60; } >"$T/want.fa"
  assert_out_file "$T/want.fa"
}
