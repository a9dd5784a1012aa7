#!/usr/bin/env bats
# Lossless archives (issue 8): `ragc create` keeps each sample's original
# form, `getset --original` / `getcol --original` give the input files back
# byte for byte, the other readers (getset, getctg, the plugin) give the
# input's bases (case and odd bytes) in the canonical layout, and
# `--no-original` writes the archive agc would.
#
#   RAGC=/abs/path/ragc bats bats/lossless.bats     (make check sets RAGC)
#   RAGC_AGC=/path/to/agc                            (agc 3.2.2; optional)
#
# The 26 files of data/fasta-edge (core test data) are the inputs; expected
# values come from them (see lossless-helpers.bash), never from ragc.

load lossless-helpers

bats_require_minimum_version 1.5.0

setup() {
  ll_init
}

# Files whose sequence lines are only the 16 codes in either case, with no
# whitespace inside them: --no-original stores them (case dropped).
NO_ORIGINAL_OK=(
  bcftools.ENSCAFT00000047742.fa    # soft-masked
  htslib.ce.fa                      # 1 Mb, upper case
  minimap2.MT-human.fa              # one lower-case base
  pyfaidx.genes.lower.fasta         # all lower case
  pyfaidx.issue_141.crlf.fasta      # CRLF
  samtools.stat.test.fa
)

# ================================================================ --original round trips

@test "lossless: every fasta-edge file comes back byte for byte (getset --original)" {
  local f bad=()
  for f in "${EDGE_FILES[@]}"; do
    round_trip_original "$f" || bad+=("${f##*/}: $LL_WHY")
  done
  ((${#bad[@]} == 0)) || fail "$(printf '%s\n' "${#bad[@]} of ${#EDGE_FILES[@]} files differ:" "${bad[@]}")"
}

@test "lossless: every fasta-edge file, gzipped, comes back as its decompressed bytes" {
  local f g bad=()
  mkdir -p "$T/gz"
  for f in "${EDGE_FILES[@]}"; do
    g=$T/gz/${f##*/}.gz
    gzip -c "$f" >"$g"
    [[ $(sample_name_of "$g") == "$(sample_name_of "$f")" ]] || fail "test bug: sample names of $g and $f differ"
    round_trip_original "$g" || bad+=("${g##*/}: $LL_WHY")
  done
  ((${#bad[@]} == 0)) || fail "$(printf '%s\n' "${#bad[@]} of ${#EDGE_FILES[@]} files differ:" "${bad[@]}")"
}

@test "lossless: all fasta-edge files in one archive; getcol --original -o DIR (-r, -g) gives each file back" {
  ll_create "$T/all.agc" "${EDGE_FILES[@]}"
  local f s
  mkdir "$T/d" "$T/dr" "$T/dg"
  rr_ok getcol --original -o "$T/d" "$T/all.agc"
  rr_ok getcol --original -r -o "$T/dr" "$T/all.agc"
  rr_ok getcol --original -g 6 -o "$T/dg" "$T/all.agc"
  [[ ! -e $T/dr/$(sample_name_of "${EDGE_FILES[0]}").fa ]] || fail "getcol -r wrote the reference sample"
  for f in "${EDGE_FILES[@]}"; do
    s=$(sample_name_of "$f")
    assert_same_file "$f" "$T/d/$s.fa" "getcol --original -o, sample $s" || return 1
    if [[ $f != "${EDGE_FILES[0]}" ]]; then
      assert_same_file "$f" "$T/dr/$s.fa" "getcol --original -r -o, sample $s" || return 1
    fi
    [[ $(head -c 2 "$T/dg/$s.fa.gz" | od -An -tx1 | tr -d ' \n') == 1f8b ]] || fail "$T/dg/$s.fa.gz is not gzip"
    gzip -dc "$T/dg/$s.fa.gz" >"$T/dg.fa" || fail "gzip -d $T/dg/$s.fa.gz failed"
    assert_same_file "$f" "$T/dg.fa" "getcol --original -g 6, sample $s" || return 1
  done
  assert_equal "$(ls "$T/d" | wc -l)" 26
  assert_equal "$(ls "$T/dr" | wc -l)" 25
  no_litter "$T/d"
  # to standard output: every file, in archive order, back to back
  rr_ok getcol --original "$T/all.agc"
  cat "${EDGE_FILES[@]}" >"$T/cat.fa"
  assert_out_file "$T/cat.fa"
}

@test "lossless: getset --original of several samples, to stdout, -o FILE and -g" {
  local a=$EDGE/pyfaidx.issue_141.crlf.fasta b=$EDGE/samtools.dict.fa c=$EDGE/bcftools.consensus.beyond.fa
  ll_create "$T/x.agc" "$a" "$b" "$c"
  local sa sb sc
  sa=$(sample_name_of "$a") sb=$(sample_name_of "$b") sc=$(sample_name_of "$c")
  cat "$c" "$a" "$b" "$c" >"$T/want.fa"
  rr_ok getset --original "$T/x.agc" "$sc" "$sa" "$sb" "$sc"
  assert_out_file "$T/want.fa"
  rr_ok getset --original -o "$T/o.fa" "$T/x.agc" "$sc" "$sa" "$sb" "$sc"
  [[ ! -s $OUT ]] || fail "getset -o printed on stdout"
  assert_same_file "$T/want.fa" "$T/o.fa" "getset --original -o"
  rr_ok getset --original -g 1 -o "$T/o.fa.gz" "$T/x.agc" "$sc" "$sa" "$sb" "$sc"
  gzip -dc "$T/o.fa.gz" >"$T/o.gunzip" || fail "gzip -d of getset --original -g failed"
  assert_same_file "$T/want.fa" "$T/o.gunzip" "getset --original -g 1"
  # threads change nothing
  rr_ok getset --original -t 4 "$T/x.agc" "$sc" "$sa" "$sb" "$sc"
  assert_out_file "$T/want.fa"
}

@test "lossless: -l cannot be used with --original" {
  ll_create "$T/x.agc" "$EDGE/htslib.xx.fa"
  rr_fail getset --original -l 60 "$T/x.agc" htslib.xx
  assert_equal "$stderr" "ragc getset: -l cannot be used with --original"
  [[ ! -s $OUT ]] || fail "printed something"
  mkdir "$T/d"
  rr_fail getcol -l 80 --original -o "$T/d" "$T/x.agc"
  assert_equal "$stderr" "ragc getcol: -l cannot be used with --original"
  assert_equal "$(ls -A "$T/d")" ""
  rr_fail getctg --original "$T/x.agc" xx
}

# ================================================================ the canonical layout

@test "lossless: getset and getctg without --original: the input's bytes in the canonical layout" {
  local f s bad=()
  for f in "${EDGE_FILES[@]}"; do
    s=$(sample_name_of "$f")
    rr create -t 2 -o "$T/x.agc" "$f" || return 1
    if ((status != 0)); then
      bad+=("${f##*/}: $RR_CMD exited $status: $(head -n 2 "$ERR")")
      continue
    fi
    fasta_view case 80 "$f" >"$T/want80"
    fasta_view case 60 "$f" >"$T/want60"
    rr getset "$T/x.agc" "$s" || return 1
    ((status == 0)) && cmp -s "$T/want80" "$OUT" || bad+=("${f##*/}: $RR_CMD (exit $status) differs: $(cmp "$T/want80" "$OUT" 2>&1 | head -n 1)")
    rr getset -l 60 -t 1 "$T/x.agc" "$s" || return 1
    ((status == 0)) && cmp -s "$T/want60" "$OUT" || bad+=("${f##*/}: $RR_CMD (exit $status) differs: $(cmp "$T/want60" "$OUT" 2>&1 | head -n 1)")
  done
  ((${#bad[@]} == 0)) || fail "$(printf '%s\n' "${bad[@]}")"
}

@test "lossless: a soft-masked file keeps its case, an odd-byte file its bytes (getset, getctg ranges)" {
  local f=$EDGE/bcftools.ENSCAFT00000047742.fa s seq name
  s=$(sample_name_of "$f")
  ll_create "$T/x.agc" "$f"
  # the bases are the input's sequence bytes, whitespace removed
  seq=$(grep -v '^>' "$f" | tr -d ' \t\r\n\v\f')
  [[ $seq == *[acgt]* && $seq == *[ACGT]* ]] || fail "test bug: $f is not soft-masked"
  rr_ok getset -l 2000000000 "$T/x.agc" "$s"
  assert_equal "$(sed -n 2p "$OUT")" "$seq"
  name=$(head -n 1 "$f" | cut -c2- | tr -d '\r')
  rr_ok getctg "$T/x.agc" "${name%% *}:100-1999"
  printf '>%s:100-1999\n%s\n' "$name" "${seq:100:1900}" | fasta_reformat 80 >"$T/want.fa"
  assert_out_file "$T/want.fa"
  # '*' in samtools.depad.001.fa, '.' in bcftools.aa.fa, digits in seqkit.a.fa
  for f in "$EDGE/samtools.depad.001.fa" "$EDGE/bcftools.aa.fa" "$EDGE/seqkit.a.fa"; do
    s=$(sample_name_of "$f")
    ll_create "$T/y.agc" "$f" || return 1
    name=$(grep -m1 '^>' "$f" | cut -c2-)
    # the first record's sequence lines (seqkit.a.fa has two records named A)
    awk 'NR > 1 && /^>/ { exit } NR > 1 { printf "%s", $0 }' "$f" >"$T/seq1"
    rr_ok getctg -l 2000000000 "$T/y.agc" "${name%% *}@$s" || return 1
    assert_equal "$(sed -n 2p "$OUT")" "$(tr -d ' \t\r\v\f' <"$T/seq1")"
  done
}

@test "lossless: samtools faidx regions through agc: equal those of the original file" {
  need_plugin
  export HTS_PATH="$PLUGIN_DIR:"
  local f b s name len rest regions want got ran=0 bad=()
  mkdir -p "$T/fx" "$T/cwd"
  for f in "${EDGE_FILES[@]}"; do
    b=$T/fx/${f##*/}
    cp "$f" "$b"
    if ! samtools faidx "$b" 2>/dev/null; then
      not_run_note "samtools cannot index ${f##*/}: not compared through agc:"
      continue
    fi
    ran=$((ran + 1))
    s=$(sample_name_of "$f")
    rm -f "$T/fx.agc"
    rr create -t 2 -o "$T/fx.agc" "$f" || return 1
    if ((status != 0)); then
      bad+=("${f##*/}: $RR_CMD exited $status: $(head -n 2 "$ERR")")
      continue
    fi
    regions=()
    while IFS=$'\t' read -r name len rest; do
      regions+=("$name")
      ((len >= 10)) && regions+=("$name:1-10")
      ((len >= 3)) && regions+=("$name:$((len / 3 + 1))-$((2 * len / 3 + 1))")
      regions+=("$name:$((len > 7 ? len - 6 : 1))-$len")
    done <"$b.fai"
    local rw=0 rg=0
    (cd "$T/cwd" && samtools faidx "$b" "${regions[@]}" >"$T/want.fa" 2>"$T/want.err") || rw=$?
    (cd "$T/cwd" && timeout -k 5 "$CLI_TIMEOUT" samtools faidx "agc:$s@$T/fx.agc" "${regions[@]}" \
      >"$T/got.fa" 2>"$T/got.err") || rg=$?
    if ((rw != rg)); then
      bad+=("${f##*/}: samtools faidx exits $rw on the file, $rg on agc:$s@$T/fx.agc: $(head -n 2 "$T/got.err")")
      continue
    fi
    join_records <"$T/want.fa" >"$T/want.j"
    join_records <"$T/got.fa" >"$T/got.j"
    cmp -s "$T/want.j" "$T/got.j" ||
      bad+=("${f##*/}: regions differ: $(diff "$T/want.j" "$T/got.j" | head -n 4 | cut -c1-120 | tr '\n' ' ')")
    # our layout: lines of 60
    awk '!/^>/ && length($0) > 60 { exit 1 }' "$T/got.fa" || bad+=("${f##*/}: lines longer than 60 from agc:")
  done
  ((ran >= 10)) || fail "only $ran fasta-edge files could be indexed by samtools (expected at least 10)"
  ((${#bad[@]} == 0)) || fail "$(printf '%s\n' "${bad[@]}")"
}

# ================================================================ --no-original

@test "lossless: --no-original stores as agc does: lower case back as upper case, no original form" {
  local f=$EDGE/pyfaidx.genes.lower.fasta s
  s=$(sample_name_of "$f")
  ll_create "$T/n.agc" --no-original "$f"
  fasta_view upper 80 "$f" >"$T/want.fa"
  fasta_norm "$f" | cmp -s - "$T/want.fa" || fail "test bug: fasta_view upper and fasta_norm disagree on $f"
  rr_ok getset "$T/n.agc" "$s"
  assert_out_file "$T/want.fa"
  no_original_fails getset --original "$T/n.agc" "$s"
  assert_equal "$stderr" "ragc getset: sample $s has no original form (written by agc, or with --no-original)"
}

@test "lossless: --no-original refuses bytes outside the 16 codes, writing nothing" {
  local f
  for f in samtools.depad.001.fa seqkit.a.fa bcftools.norm.iupac.fa bcftools.aa.fa; do
    create_must_fail --no-original "$EDGE/$f" || return 1
    stderr_has "$f" || return 1
  done
}

@test "lossless: --no-original archives are the default ones without the ragc-original and ragc-md5 streams" {
  local f with without bad=()
  for f in "${NO_ORIGINAL_OK[@]}"; do
    ll_create "$T/d.agc" "$EDGE/$f" || return 1
    ll_create "$T/n.agc" --no-original "$EDGE/$f" || return 1
    python3 "$STREAMS" digest "$T/d.agc" >"$T/d.dig" || fail "cannot read the directory of $T/d.agc"
    python3 "$STREAMS" digest "$T/n.agc" >"$T/n.dig" || fail "cannot read the directory of $T/n.agc"
    grep -q '^ragc-original ' "$T/d.dig" || bad+=("$f: the default archive has no ragc-original stream")
    ! grep -q '^ragc-original ' "$T/n.dig" || bad+=("$f: the --no-original archive has a ragc-original stream")
    grep -q '^ragc-md5 ' "$T/d.dig" || bad+=("$f: the default archive has no ragc-md5 stream")
    ! grep -q '^ragc-md5 ' "$T/n.dig" || bad+=("$f: the --no-original archive has a ragc-md5 stream")
    python3 "$STREAMS" digest "$T/d.agc" --without ragc-original --without ragc-md5 >"$T/d.dig"
    cmp -s "$T/d.dig" "$T/n.dig" || bad+=("$f: streams differ: $(diff "$T/d.dig" "$T/n.dig" | head -n 4 | tr '\n' ' ')")
    # and what it holds is the upper-case view
    rr_ok getset "$T/n.agc" "$(sample_name_of "$f")" || return 1
    fasta_view upper 80 "$EDGE/$f" | cmp -s - "$OUT" || bad+=("$f: getset of the --no-original archive is not the upper-case input")
  done
  ((${#bad[@]} == 0)) || fail "$(printf '%s\n' "${bad[@]}")"
}

# ================================================================ -c and --pansn

@test "lossless: --no-md5 leaves out the ragc-md5 stream only; dict still gives samtools' M5s" {
  local f=pyfaidx.chr17.hg19.part.fa s
  s=$(sample_name_of "$f")
  ll_create "$T/d.agc" "$EDGE/$f" || return 1
  ll_create "$T/m.agc" --no-md5 "$EDGE/$f" || return 1
  python3 "$STREAMS" digest "$T/d.agc" --without ragc-md5 >"$T/d.dig" || fail "cannot read $T/d.agc"
  python3 "$STREAMS" digest "$T/m.agc" >"$T/m.dig" || fail "cannot read $T/m.agc"
  grep -q '^ragc-md5 ' "$T/d.dig" && fail "digest --without kept ragc-md5"
  python3 "$STREAMS" digest "$T/d.agc" | grep -q '^ragc-md5 ' || fail "the default archive has no ragc-md5 stream"
  cmp -s "$T/d.dig" "$T/m.dig" || fail "--no-md5 changed other streams: $(diff "$T/d.dig" "$T/m.dig" | head -n 4 | tr '\n' ' ')"
  original_is "$T/m.agc" "$s" "$EDGE/$f"
  run "$RAGC" dict "$T/m.agc" "$s"
  assert_success
  assert_equal "$(printf '%s\n' "$output" | grep -o 'M5:[0-9a-f]*')" \
               "$(samtools dict "$EDGE/$f" | grep -o 'M5:[0-9a-f]*')"
}

@test "lossless: create -c: each sample's --original is exactly its records" {
  # pieces of the input: the preamble goes with the first sample; blank
  # lines belong to the record before them; no final newline at the end
  printf ';a preamble line\n\n' >"$T/pre"
  printf '>s1 chrA desc\r\nACGTacgtNN\r\nAC*T\r\n\r\n>s1 chrB\nttttGGGG\n  GG\n' >"$T/p1"
  printf '>s2 chrA\nacgtACGTnnnnRYKM\nAAA\n\n\n' >"$T/p2"
  printf '>s3\tx\nGGGGCCCCggcc\nAT' >"$T/p3"
  cat "$T/pre" "$T/p1" "$T/p2" "$T/p3" >"$T/concat.fa"
  cat "$T/pre" "$T/p1" >"$T/want.s1"
  cp "$T/p2" "$T/want.s2"
  cp "$T/p3" "$T/want.s3"
  ll_create "$T/c.agc" -c "$T/concat.fa"
  rr_ok listset "$T/c.agc"
  assert_equal "$output" "$(printf 's1\ns2\ns3')"
  local s
  for s in s1 s2 s3; do
    original_is "$T/c.agc" "$s" "$T/want.$s" || fail "sample $s: $LL_WHY"
  done
  # the whole file, sample after sample
  rr_ok getcol --original "$T/c.agc"
  assert_out_file "$T/concat.fa"
}

@test "lossless: import --pansn: each sample#haplotype's --original is exactly its records" {
  printf '>HG1#1#chr1 first\nACGTacgt\nAC\n>HG1#1#chr2\nNNNNacgt\n' >"$T/p1"
  printf '>HG1#2#chr1\r\nacgtACGT\r\n' >"$T/p2"
  printf '>HG2#1#chr1\nAAAA*CCCC\nGG\n\n>HG2#1#chrX\ntt' >"$T/p3"
  cat "$T/p1" "$T/p2" "$T/p3" >"$T/pansn.fa"
  # the expected pieces, also computed from the input with awk
  local s
  for s in 'HG1#1' 'HG1#2' 'HG2#1'; do
    LC_ALL=C awk -v s="$s" 'BEGIN { RS = "^$"; ORS = "" } {
        n = split($0, recs, /\n>/)
        for (i = 1; i <= n; i++) {
          r = (i > 1 ? ">" : "") recs[i] (i < n ? "\n" : "")
          if (index(r, ">" s "#") == 1) print r
        }
      }' "$T/pansn.fa" >"$T/awk.$s"
  done
  cmp -s "$T/awk.HG1#1" "$T/p1" && cmp -s "$T/awk.HG1#2" "$T/p2" && cmp -s "$T/awk.HG2#1" "$T/p3" ||
    fail "test bug: the pieces and the awk split of $T/pansn.fa disagree"
  rr_ok import --pansn "$T/p.agc" "$T/pansn.fa"
  rr_ok listset "$T/p.agc"
  assert_equal "$output" "$(printf 'HG1#1\nHG1#2\nHG2#1')"
  for s in 'HG1#1' 'HG1#2' 'HG2#1'; do
    original_is "$T/p.agc" "$s" "$T/awk.$s" || fail "sample $s: $LL_WHY"
  done
}

# ================================================================ append

@test "lossless: append keeps every sample's original form; --no-original adds samples without one" {
  local a=$EDGE/minimap2.MT-human.fa b=$EDGE/bcftools.ENSCAFT00000047742.fa c=$EDGE/pyfaidx.genes.lower.fasta
  local sa sb sc
  sa=$(sample_name_of "$a") sb=$(sample_name_of "$b") sc=$(sample_name_of "$c")
  ll_create "$T/1.agc" "$a"
  rr_ok append -o "$T/2.agc" "$T/1.agc" "$b"
  original_is "$T/2.agc" "$sa" "$a" || fail "after append, $sa: $LL_WHY"
  original_is "$T/2.agc" "$sb" "$b" || fail "after append, $sb: $LL_WHY"
  rr_ok append --no-original -o "$T/3.agc" "$T/2.agc" "$c"
  original_is "$T/3.agc" "$sa" "$a" || fail "after append --no-original, $sa: $LL_WHY"
  original_is "$T/3.agc" "$sb" "$b" || fail "after append --no-original, $sb: $LL_WHY"
  no_original_fails getset --original "$T/3.agc" "$sc"
  stderr_has "sample $sc has no original form"
  rr_ok getset "$T/3.agc" "$sc"
  fasta_view upper 80 "$c" >"$T/want.fa"
  assert_out_file "$T/want.fa"
  # a request naming it with others prints nothing
  no_original_fails getset --original "$T/3.agc" "$sa" "$sc"
  rr_fail getset --original -o "$T/o.fa" "$T/3.agc" "$sa" "$sc"
  [[ ! -e $T/o.fa ]] || fail "getset --original -o wrote $T/o.fa though a sample has no original form"
  no_litter "$T"
  # import --no-original, into an existing archive
  cp "$T/2.agc" "$T/i.agc"
  rr_ok import --no-original "$T/i.agc" "$c"
  original_is "$T/i.agc" "$sb" "$b" || fail "after import --no-original, $sb: $LL_WHY"
  no_original_fails getset --original "$T/i.agc" "$sc"
}

@test "lossless: appending to an archive agc wrote: the new sample has an original form, agc's do not" {
  local toy f=$EDGE/samtools.stat.test.fa s
  toy=$(data_path compat/archives/toy.agc)
  s=$(sample_name_of "$f")
  rr_ok append -o "$T/t.agc" "$toy" "$f"
  original_is "$T/t.agc" "$s" "$f" || fail "$s: $LL_WHY"
  no_original_fails getset --original "$T/t.agc" a
  rr_ok getset "$T/t.agc" a
  fasta_norm "$DATA/toy/a.fa" >"$T/want.fa"
  assert_out_file "$T/want.fa"
}

# ================================================================ refusals

@test "lossless: create refuses FASTQ, binary data, no records and ambiguous names, writing nothing" {
  printf '@read1\nACGT\n+\nIIII\n' >"$T/reads.fa"
  printf '\n\n@read1\nACGT\n+\nIIII\n' >"$T/reads2.fa"
  printf 'ab\0cd\n>x\nACGT\n' >"$T/binary.fa"
  printf 'ACGT\nACGT\n' >"$T/norecords.fa"
  : >"$T/empty.fa"
  printf '>a\nACGT\n>b\nAC\n>a\nGGGG\n' >"$T/dup.fa"
  printf '>a\rb\nACGT\n' >"$T/cr.fa"
  local f
  for f in reads reads2 binary norecords empty dup cr; do
    create_must_fail "$T/$f.fa" || return 1
    stderr_has "$f.fa" || return 1
  done
  # -c: a record whose first word (the sample name) is empty
  printf '>s1 x\nACGT\n>\nACGT\n' >"$T/c-empty.fa"
  create_must_fail -c "$T/c-empty.fa"
  # --pansn: a name that is not sample#haplotype#contig
  printf '>HG1#1#chr1\nACGT\n>chr2\nACGT\n' >"$T/pansn-bad.fa"
  create_must_fail --pansn "$T/pansn-bad.fa"
  rr_fail import --pansn "$T/p.agc" "$T/pansn-bad.fa"
  [[ ! -e $T/p.agc ]] || fail "import --pansn wrote $T/p.agc"
}

@test "lossless: an empty header is stored as unnamed-K and printed as it was by --original" {
  printf '>a\nACGT\n>\nacgt\n>  \nGG\n' >"$T/noname.fa"
  ll_create "$T/x.agc" "$T/noname.fa"
  rr_ok listctg "$T/x.agc" noname
  assert_equal "$output" "$(printf 'noname\n   a\n   unnamed-2\n   unnamed-3')"
  original_is "$T/x.agc" noname "$T/noname.fa" || fail "$LL_WHY"
  rr_ok getctg "$T/x.agc" unnamed-2
  assert_equal "$output" "$(printf '>unnamed-2\nacgt')"
}

@test "lossless: getset/getcol --original on an archive agc wrote fail: no original form" {
  local toy
  toy=$(data_path compat/archives/toy.agc)
  no_original_fails getset --original "$toy" a
  assert_equal "$stderr" "ragc getset: sample a has no original form (written by agc, or with --no-original)"
  mkdir "$T/d"
  no_original_fails getcol --original -o "$T/d" "$toy"
  assert_equal "$(ls -A "$T/d")" ""
  no_original_fails getcol --original "$toy"
}

# ================================================================ agc 3.2.2 reads our archives

@test "lossless: agc 3.2.2 (RAGC_AGC) reads every fasta-edge archive: the upper-case view" {
  [[ -n ${RAGC_AGC:-} ]] || skip "RAGC_AGC is not set: no agc 3.2.2 binary to read our archives with (set RAGC_AGC=/path/to/agc)"
  [[ -x $RAGC_AGC ]] || { fail "RAGC_AGC=$RAGC_AGC is not an executable file"; return 1; }
  # first the expected layout against agc's own output on upper-case input
  ll_create "$T/toy.agc" "$DATA/toy/ref.fa" "$DATA/toy/a.fa"
  timeout -k 5 "$CLI_TIMEOUT" "$RAGC_AGC" getset "$T/toy.agc" a >"$T/agc.out" 2>"$T/agc.err" ||
    fail "agc getset on the toy archive failed: $(head -n 3 "$T/agc.err")"
  fasta_view upper 80 "$DATA/toy/a.fa" | cmp -s - "$T/agc.out" ||
    fail "test bug: fasta_view upper 80 is not agc's layout: $(fasta_view upper 80 "$DATA/toy/a.fa" | diff - "$T/agc.out" | head -n 4)"
  local f s rc bad=()
  for f in "${EDGE_FILES[@]}"; do
    s=$(sample_name_of "$f")
    ll_create "$T/x.agc" "$f" || return 1
    rc=0
    timeout -k 5 "$CLI_TIMEOUT" "$RAGC_AGC" getset "$T/x.agc" "$s" >"$T/agc.out" 2>"$T/agc.err" || rc=$?
    if ((rc != 0)); then
      bad+=("${f##*/}: agc getset exited $rc: $(head -n 2 "$T/agc.err")")
      continue
    fi
    fasta_view upper 80 "$f" >"$T/want.fa"
    cmp -s "$T/want.fa" "$T/agc.out" || bad+=("${f##*/}: agc getset differs from the upper-case view: $(cmp "$T/want.fa" "$T/agc.out" 2>&1 | head -n 1)")
  done
  ((${#bad[@]} == 0)) || fail "$(printf '%s\n' "${bad[@]}")"
}
