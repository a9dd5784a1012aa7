#!/usr/bin/env bats
# The htslib plugin hfile_agc.so, which serves a sample of an archive as an
# indexed FASTA file at the URL agc:[SAMPLE@]PATH (sample names escape
# @ # ? % as %40 %23 %3F %25; the default sample is the reference), and
# `ragc faidx [-s SAMPLE] [-n WIDTH] [-i] [-r FILE] [-o FILE] ARCHIVE [REGION...]`,
# which behaves like `samtools faidx` on the sample's FASTA file.
#
#   RAGC=/abs/path/ragc bats bats/plugin.bats       (make check sets RAGC)
#   RAGC_PLUGIN_DIR=/folder/of/hfile_agc.so         (default: the folder of $RAGC)
#   RAGC_SHARED=/path/to/shared                     (default: <repo>/../shared)
#
# The tests on senterica.agc need the extended data (see data-roots.bash) and
# are skipped without it; those on toy.agc and hsmt-50 use the core test data.
#
# Every test runs the same samtools/bcftools/htsfile command twice, on the
# agc: URL and on a plain FASTA file of the same sample written by
# `ragc getset -l 60 ARCHIVE SAMPLE` (indexed by `samtools faidx`), and
# compares the outputs byte for byte; `ragc faidx` is compared with
# `samtools faidx` on that file.  Nothing is compared with the plugin's own
# output.  The plugin is not built in sanitizer builds (an instrumented
# plugin cannot load into samtools): there, when it is missing, its tests
# are skipped; in a plain build a missing plugin fails them.

# shellcheck disable=SC1083,SC2034  # {R} and {O} are literal placeholders (see vs_fa); L2, L3 for symmetry
load plugin-helpers

bats_require_minimum_version 1.5.0

setup() {
  plugin_init
}

# sent_ref: FA = the reference sample of senterica; C1..C4 its first contigs,
# L1..L4 their lengths.
sent_ref() {
  sample_fa "$SENT" SAL_AA7743AA || return 1
  C1=$(contig 1) C2=$(contig 2) C3=$(contig 3) C4=$(contig 4)
  L1=$(contig_len "$C1") L2=$(contig_len "$C2") L3=$(contig_len "$C3") L4=$(contig_len "$C4")
  if [[ $C1 != NODE_11_length_149361_cov_9.71634_ID_21 || $L1 != 149361 ]]; then
    fail "unexpected first contig of SAL_AA7743AA in $FA.fai: $C1 ($L1)"
    return 1
  fi
}

# ================================================================ samtools faidx on agc: URLs

@test "plugin: samtools faidx, regions of the reference sample (the default sample)" {
  need_data compat/archives/senterica.agc
  need_plugin
  sent_ref
  local u=agc:$SENT
  # whole contigs, name:beg-end, name:beg-, commas, a contig's last bases,
  # one past its end, wholly past it, several at once
  vs_fa "$u" "$FA" samtools faidx {R} "$C2"
  vs_fa "$u" "$FA" samtools faidx {R} "$C1:1000-1100"
  vs_fa "$u" "$FA" samtools faidx {R} "$C1:$((L1 - 59))-$L1"
  vs_fa "$u" "$FA" samtools faidx {R} "$C1:$((L1 - 9))-$((L1 + 1))"
  vs_fa "$u" "$FA" samtools faidx {R} "$C1:$((L1 + 1))-$((L1 + 50))"
  vs_fa "$u" "$FA" samtools faidx {R} "$C2" "$C1:1-1" "$C1:60-61" "$C1:1,001-1,200" \
    "$C3:5-" "$C4:$((L4 - 120))-$L4" "$C1:$((L1 - 9))-$((L1 + 1))" "$C2:0-10" \
    "$C4" "$C1:100000-100001" "$C1:149000"
  # the whole of the longest contig, then every contig
  vs_fa "$u" "$FA" samtools faidx {R} "$C1"
  mapfile -t all < <(cut -f1 "$FA.fai")
  vs_fa "$u" "$FA" samtools faidx {R} "${all[@]}"
  # an unknown contig fails alike
  VS_RC=1 vs_fa "$u" "$FA" samtools faidx {R} "$C2:1-10" no_such_contig
}

@test "plugin: samtools faidx -i, -n 50, -n 0, --mark-strand, {name} quoting, -c" {
  need_data compat/archives/senterica.agc
  need_plugin
  sent_ref
  local u=agc:$SENT
  vs_fa "$u" "$FA" samtools faidx -i {R} "$C2" "$C1:1000-1100" "$C4:$((L4 - 70))-$L4"
  vs_fa "$u" "$FA" samtools faidx -i --mark-strand sign {R} "$C3"
  vs_fa "$u" "$FA" samtools faidx -n 50 {R} "$C2" "$C1:1000-1234" "$C4"
  vs_fa "$u" "$FA" samtools faidx -n 0 {R} "$C3" "$C1:1-5000"
  vs_fa "$u" "$FA" samtools faidx {R} "{$C2}" "{$C1}:10-20" "{$C4}:$((L4 - 5))-"
  vs_fa "$u" "$FA" samtools faidx -c {R} "$C2:1-10" no_such_contig "$C3:1-10"
}

@test "plugin: samtools faidx -r FILE (with regions on the command line too)" {
  need_data compat/archives/senterica.agc
  need_plugin
  sent_ref
  local u=agc:$SENT r=$T/regions.txt
  printf '%s\n' "$C2" "$C1:5000-5500" "{$C3}:1-30" "$C4:$((L4 - 3))-$((L4 + 3))" "$C1:70000-" >"$r"
  vs_fa "$u" "$FA" samtools faidx -r "$r" {R}
  vs_fa "$u" "$FA" samtools faidx -i -n 70 -r "$r" {R} "$C2:100-200"
}

@test "plugin: agc:SAMPLE@ARCH serves another sample" {
  need_data compat/archives/senterica.agc
  need_plugin
  local s=SAL_HA8462AA c1 c2 n1 n
  sample_fa "$SENT" "$s"
  c1=$(contig 1) c2=$(contig 2) n1=$(contig_len "$c1")
  n=$(wc -l <"$FA.fai")
  local u="agc:$s@$SENT"
  vs_fa "$u" "$FA" samtools faidx {R} "$c2" "$c1:1-100" "$c1:$((n1 - 30))-$((n1 + 5))" "$(contig "$n")"
  vs_fa "$u" "$FA" samtools faidx -i -n 61 {R} "$c1:2000-3000"
  # the same sample named explicitly when it is the reference
  sent_ref
  vs_fa "agc:SAL_AA7743AA@$SENT" "$FA" samtools faidx {R} "$C2" "$C1:1-500"
}

@test "plugin: toy archive, every contig and sub-ranges; a relative archive path" {
  need_plugin
  local s
  for s in ref a b c; do
    if [[ $s == ref ]]; then
      sample_fa "$TOY" ref
      u=agc:$TOY
    else
      sample_fa "$TOY" "$s"
      u=agc:$s@$TOY
    fi
    mapfile -t all < <(cut -f1 "$FA.fai")
    local regs=() c l
    for c in "${all[@]}"; do
      l=$(contig_len "$c")
      regs+=("$c" "$c:1-1" "$c:$l-$l" "$c:2-$((l + 1))" "$c:$((l / 2))-")
    done
    vs_fa "$u" "$FA" samtools faidx {R} "${regs[@]}"
    vs_fa "$u" "$FA" samtools faidx -i -n 7 {R} "${regs[@]}"
  done
  # a path relative to the current folder
  mkdir -p "$T/rel"
  cp "$TOY" "$T/rel/toy copy.agc"
  sample_fa "$TOY" b
  mapfile -t all < <(cut -f1 "$FA.fai")
  local got=$T/rel.out want=$T/rel.want
  samtools faidx "$FA" "${all[0]}" >"$want"
  (cd "$T/rel" && samtools faidx "agc:b@toy copy.agc" "${all[0]}" >"$got" 2>"$T/rel.err") ||
    fail "samtools faidx 'agc:b@toy copy.agc' failed in $T/rel:"$'\n'"$(cat "$T/rel.err")"
  assert_same_file "$want" "$got" "samtools faidx on a relative agc: path"
}

@test "plugin: an archive path containing '@'" {
  need_plugin
  local d=$T/dir@v1
  mkdir -p "$d"
  cp "$TOY" "$d/toy.agc"
  sample_fa "$TOY" ref
  vs_fa "agc:$d/toy.agc" "$FA" samtools faidx {R} chr1 chr2:2-5
  sample_fa "$TOY" a
  vs_fa "agc:a@$d/toy.agc" "$FA" samtools faidx {R} chr1a chr3a:2-5
}

@test "plugin: PanSN sample names, escaped in the URL (%23 %40 %3F %25)" {
  need_plugin
  pansn_archive
  sample_fa "$PANSN" 'HG00140#1'
  local l
  l=$(contig_len HG00140)
  [[ -n $l ]] || fail "no contig HG00140 in $FA.fai"
  vs_fa "agc:HG00140%231@$PANSN" "$FA" samtools faidx {R} HG00140 "HG00140:1-100" "HG00140:$((l - 10))-$((l + 1))"
  # the reference is the default sample
  vs_fa "agc:$PANSN" "$FA" samtools faidx -i {R} "HG00140:300-700"
  vs_fa "agc:HG00140%231@$PANSN" "$FA" samtools faidx -n 100 {R} HG00140
  sample_fa "$PANSN" 'odd@a#b?c%d'
  [[ $(url_escape 'odd@a#b?c%d') == 'odd%40a%23b%3Fc%25d' ]] || fail "url_escape is wrong: $(url_escape 'odd@a#b?c%d')"
  local c
  c=$(contig 1)
  vs_fa "agc:odd%40a%23b%3Fc%25d@$PANSN" "$FA" samtools faidx {R} "$c" "$c:16000-"
  # relative path, escaped sample
  sample_fa "$PANSN" 'HG00178#2'
  (cd "$PANSN_DIR" && samtools faidx "agc:HG00178%232@$PANSN_NAME" MT:1-10 >"$T/rel.out" 2>"$T/rel.err") ||
    fail "samtools faidx agc:HG00178%232@$PANSN_NAME MT:1-10 failed in $PANSN_DIR:"$'\n'"$(cat "$T/rel.err")"
  samtools faidx "$FA" MT:1-10 >"$T/rel.want"
  assert_same_file "$T/rel.want" "$T/rel.out" "relative agc: path with an escaped sample"
}

@test "plugin: contig names that read like regions ({MT:1-100} vs {MT}:1-100)" {
  need_plugin
  pansn_archive
  sample_fa "$PANSN" 'HG00178#2'
  local u="agc:HG00178%232@$PANSN"
  vs_fa "$u" "$FA" samtools faidx {R} '{MT:1-100}' '{MT}:1-100' '{MT:1-100}:4990-5010' MT
  # ambiguous without braces: samtools refuses it, on both
  VS_RC=1 vs_fa "$u" "$FA" samtools faidx {R} 'MT:1-100'
}

@test "plugin: the served FASTA and its virtual .fai are those of sample.fa (htsfile --copy)" {
  need_data compat/archives/senterica.agc
  need_plugin
  sent_ref
  vs_fa "agc:$SENT" "$FA" htsfile -C {R} {O}
  vs_fa "agc:$SENT" "$FA" htsfile -C {R}.fai {O}
  VS_FILTER='cut -f2-' vs_fa "agc:$SENT" "$FA" htsfile {R} {R}.fai
  pansn_archive
  sample_fa "$PANSN" 'odd@a#b?c%d'
  vs_fa "agc:odd%40a%23b%3Fc%25d@$PANSN" "$FA" htsfile -C {R}.fai {O}
  vs_fa "agc:odd%40a%23b%3Fc%25d@$PANSN" "$FA" htsfile -C {R} {O}
  sample_fa "$TOY" c
  vs_fa "agc:c@$TOY" "$FA" htsfile -C {R} {O}
  vs_fa "agc:c@$TOY" "$FA" htsfile -C {R}.fai {O}
}

@test "plugin: contigs shorter than, as long as and longer than a line" {
  need_plugin
  pansn_archive
  sample_fa "$PANSN" 'edge#1'
  local u="agc:edge%231@$PANSN" regs=() c l
  for c in $(cut -f1 "$FA.fai"); do
    l=$(contig_len "$c")
    regs+=("$c" "$c:$l" "$c:$l-$((l + 1))" "$c:2-")
  done
  vs_fa "$u" "$FA" samtools faidx {R} "${regs[@]}"
  vs_fa "$u" "$FA" samtools faidx -n 60 -i {R} "${regs[@]}"
  vs_fa "$u" "$FA" samtools faidx -o {O} {R}
  vs_fa "$u" "$FA" htsfile -C {R} {O}
  vs_fa "$u" "$FA" htsfile -C {R}.fai {O}
}

# samtools faidx FILE without regions (re)builds FILE.fai: with an agc: URL,
# htslib opens agc:ARCH.fai for writing.
# samtools faidx without regions (re)builds the index, i.e. writes agc:ARCH.fai;
# the plugin is read-only, so this fails cleanly (`ragc faidx ARCH` prints it).
@test "plugin: samtools faidx agc:ARCH without regions fails cleanly and writes no file" {
  need_data compat/archives/senterica.agc
  need_plugin
  local d=$T/arch w=$T/cwd before after rc=0
  mkdir -p "$d" "$w"
  cp "$SENT" "$d/s.agc"
  before=$(md5_tree "$d")
  (cd "$w" && timeout -k 5 "$CLI_TIMEOUT" samtools faidx "agc:$d/s.agc" </dev/null >"$T/out" 2>"$T/err") || rc=$?
  after=$(md5_tree "$d")
  killed "$rc" && fail "samtools faidx agc:$d/s.agc: exit $rc (killed?)"$'\n'"$(head -n 5 "$T/err")"
  [[ $before == "$after" ]] || fail "samtools faidx agc:$d/s.agc changed the archive's folder:"$'\n'"$after"
  [[ -z $(ls -A "$w") ]] || fail "samtools faidx agc:$d/s.agc created files in the current folder: $(ls -A "$w")"
  [[ ! -s $T/out ]] || fail "samtools faidx agc:$d/s.agc printed on stdout: $(head -c 200 "$T/out")"
  ((rc != 0)) || fail "(cd $w && HTS_PATH=$HTS_PATH samtools faidx agc:$d/s.agc) succeeded: the index write must be refused"
  grep -q 'Read-only file system' "$T/err" || fail "no read-only message:"$'\n'"$(head -n 5 "$T/err")"
}

@test "plugin: samtools faidx -o FILE agc:ARCH (no region) writes the .fai samtools builds for sample.fa" {
  need_data compat/archives/senterica.agc
  need_plugin
  sent_ref
  vs_fa "agc:$SENT" "$FA" samtools faidx -o {O} {R}
  assert_same_file "$FA.fai" "$T/agc.o" "the index samtools builds from agc:$SENT"
  sample_fa "$SENT" SAL_CA3280AA
  vs_fa "agc:SAL_CA3280AA@$SENT" "$FA" samtools faidx --fai-idx {O} {R}
}

# ================================================================ bcftools

@test "plugin: bcftools norm -f agc:ARCH" {
  need_data compat/archives/senterica.agc
  need_plugin
  sent_ref
  make_vcfs
  local u=agc:$SENT
  VS_FILTER="grep -v '^##bcftools'" vs_fa "$u" "$FA" bcftools norm -f {R} "$VCF_GOOD"
  VS_FILTER="grep -v '^##bcftools'" vs_fa "$u" "$FA" bcftools norm -f {R} -c w "$VCF_BAD"
  VS_FILTER="grep -v '^##bcftools'" vs_fa "$u" "$FA" bcftools norm -f {R} -c s -m -any "$VCF_BAD"
  VS_FILTER="grep -v '^##bcftools'" vs_fa "$u" "$FA" bcftools norm -f {R} -r "$C4" "$VCF_GOOD"
  # and the normalisation did something
  bcftools norm -f "$FA" "$VCF_GOOD" 2>/dev/null | grep -v '^#' | cmp -s - <(bgzip -dc "$VCF_GOOD" | grep -v '^#') &&
    fail "bcftools norm left $VCF_GOOD unchanged: the test VCF does not exercise the reference"
  true
}

@test "plugin: bcftools consensus -f agc:ARCH" {
  need_data compat/archives/senterica.agc
  need_plugin
  sent_ref
  make_vcfs
  vs_fa "agc:$SENT" "$FA" bcftools consensus -f {R} "$VCF_GOOD"
  vs_fa "agc:$SENT" "$FA" bcftools consensus -f {R} -o {O} "$VCF_GOOD"
  cmp -s "$T/fa.o" "$FA" && fail "consensus equals the reference: the test VCF applies nothing"
  true
}

# ================================================================ pileups, CRAM, calmd

@test "plugin: samtools mpileup -f agc:ARCH" {
  need_data compat/archives/senterica.agc
  need_plugin
  sent_ref
  make_bam
  local u=agc:$SENT
  vs_fa "$u" "$FA" samtools mpileup -f {R} "$BAM"
  vs_fa "$u" "$FA" samtools mpileup -B -f {R} -r "$C4:$((L4 - 150))-$L4" "$BAM"
  vs_fa "$u" "$FA" samtools mpileup -a -f {R} -r "$C2" "$BAM"
}

@test "plugin: bcftools mpileup -f agc:ARCH" {
  need_data compat/archives/senterica.agc
  need_plugin
  sent_ref
  make_bam
  local u=agc:$SENT
  VS_FILTER="grep -v -e '^##bcftools' -e '^##reference='" vs_fa "$u" "$FA" bcftools mpileup -f {R} "$BAM"
  VS_FILTER="grep -v -e '^##bcftools' -e '^##reference='" vs_fa "$u" "$FA" \
    bcftools mpileup -a AD,DP -f {R} -r "$C1:1-5000" "$BAM"
}

@test "plugin: CRAM written with -T agc:ARCH decodes with either reference to the BAM's reads" {
  need_data compat/archives/senterica.agc
  need_plugin
  sent_ref
  make_bam
  local u=agc:$SENT c=$T/x.cram
  run -0 samtools view -C -T "$u" -o "$c" "$BAM"
  # records: without the MD/NM tags decoding adds, they are the BAM's
  vs_fa "$u" "$FA" samtools view -T {R} --input-fmt-option decode_md=0 "$c"
  assert_same_file "$SAM_READS" "$T/fa.out" "the records of $c decoded with -T $FA"
  # with them (computed from the reference)
  vs_fa "$u" "$FA" samtools view -T {R} "$c"
  grep -q 'MD:Z:' "$T/agc.out" || fail "no MD tags in the decoded CRAM"
  # header (without @PG lines)
  VS_FILTER="grep -v '^@PG'" vs_fa "$u" "$FA" samtools view -H -T {R} "$c"
  # a region (through the CRAM index)
  samtools index "$c"
  vs_fa "$u" "$FA" samtools view -T {R} "$c" "$C4:$((L4 - 50))-$L4" "$C1:5000-6000"
  # threads, encoding and decoding
  run -0 samtools view -@ 4 -C -T "$u" -o "$T/t.cram" "$BAM"
  vs_fa "$u" "$FA" samtools view -@ 4 -T {R} --input-fmt-option decode_md=0 "$T/t.cram"
  assert_same_file "$SAM_READS" "$T/agc.out" "the records of $T/t.cram (written and read with 4 threads)"
}

@test "plugin: CRAM written with -T sample.fa decodes with -T agc:ARCH" {
  need_data compat/archives/senterica.agc
  need_plugin
  sent_ref
  make_bam
  local u=agc:$SENT c=$T/y.cram
  run -0 samtools view -C -T "$FA" -o "$c" "$BAM"
  vs_fa "$u" "$FA" samtools view -T {R} --input-fmt-option decode_md=0 "$c"
  assert_same_file "$SAM_READS" "$T/agc.out" "the records of $c decoded with -T $u"
  vs_fa "$u" "$FA" samtools view -T {R} "$c"
  # --reference, and the CRAM index
  samtools index "$c"
  vs_fa "$u" "$FA" samtools view --reference {R} "$c" "$C1:10000-12000" "$C2"
}

@test "plugin: samtools calmd x.bam agc:ARCH" {
  need_data compat/archives/senterica.agc
  need_plugin
  sent_ref
  make_bam
  local u=agc:$SENT
  VS_FILTER="grep -v '^@PG'" vs_fa "$u" "$FA" samtools calmd "$BAM" {R}
  VS_FILTER="grep -v '^@PG'" vs_fa "$u" "$FA" samtools calmd -e "$BAM" {R}
  VS_FILTER="grep -v '^@PG'" vs_fa "$u" "$FA" samtools calmd -r "$BAM" {R}
  # the MD tags were computed
  grep -q 'MD:Z:' "$T/agc.out" || fail "samtools calmd wrote no MD tag"
}

# ================================================================ failures

@test "plugin: opening an agc: URL for writing fails and leaves the archive unchanged" {
  need_data compat/archives/senterica.agc
  need_plugin
  sent_ref
  make_bam
  local d=$T/arch before after
  mkdir -p "$d"
  cp "$SENT" "$d/s.agc"
  before=$(md5_tree "$d")
  must_fail_cleanly samtools view -o "agc:$d/s.agc" "$BAM"
  must_fail_cleanly samtools view -b -o "agc:SAL_AA7743AA@$d/s.agc" "$BAM"
  must_fail_cleanly samtools faidx -o "agc:$d/s.agc" "$FA" "$C2"
  must_fail_cleanly htsfile -C "$FA" "agc:$d/s.agc"
  must_fail_cleanly samtools view -o "agc:$d/new.agc" "$BAM"
  after=$(md5_tree "$d")
  [[ $before == "$after" ]] || fail "writing to agc:$d/s.agc changed its folder:"$'\n'"before:"$'\n'"$before"$'\n'"after:"$'\n'"$after"
}

@test "plugin: unknown sample, missing archive, non-archives make samtools fail cleanly" {
  need_data compat/archives/senterica.agc
  need_plugin
  sent_ref
  make_bam
  must_fail_cleanly samtools faidx "agc:nosuch@$SENT" "$C2"
  [[ ! -s $RUN_OUT ]] || fail "samtools faidx agc:nosuch@$SENT printed on stdout: $(head -c 200 "$RUN_OUT")"
  must_fail_cleanly samtools faidx "agc:sal_aa7743aa@$SENT" "$C2"
  must_fail_cleanly samtools faidx agc:/nonexistent.agc "$C2"
  [[ ! -s $RUN_OUT ]] || fail "samtools faidx agc:/nonexistent.agc printed on stdout: $(head -c 200 "$RUN_OUT")"
  must_fail_cleanly samtools faidx "agc:SAL_AA7743AA@$T/nonexistent.agc" "$C2"
  must_fail_cleanly samtools faidx "agc:$T" "$C2"
  # not an archive: a FASTA file, an empty file, a truncated archive
  must_fail_cleanly samtools faidx "agc:$FA" "$C2"
  : >"$T/empty.agc"
  must_fail_cleanly samtools faidx "agc:$T/empty.agc" "$C2"
  head -c $(($(stat -c %s "$SENT") / 2)) "$SENT" >"$T/half.agc"
  local rc=0
  timeout -k 5 "$CLI_TIMEOUT" samtools faidx "agc:$T/half.agc" "$C2" >/dev/null 2>"$T/half.err" || rc=$?
  ((rc < 124)) || fail "samtools faidx on a truncated archive: exit $rc:"$'\n'"$(head -n 5 "$T/half.err")"
  # other tools
  must_fail_cleanly samtools view -C -T "agc:nosuch@$SENT" -o "$T/z.cram" "$BAM"
  must_fail_cleanly samtools mpileup -f agc:/nonexistent.agc "$BAM"
  make_vcfs
  must_fail_cleanly bcftools norm -f "agc:nosuch@$SENT" "$VCF_GOOD"
}

# ================================================================ ragc faidx (both builds)

@test "faidx: without regions prints the .fai samtools writes for sample.fa" {
  need_data compat/archives/senterica.agc
  sent_ref
  rr_ok faidx "$SENT"
  assert_out_file "$FA.fai"
  sample_fa "$TOY" ref
  rr_ok faidx "$TOY"
  assert_out_file "$FA.fai"
  sample_fa "$TOY" b
  rr_ok faidx -s b "$TOY"
  assert_out_file "$FA.fai"
}

@test "faidx: contigs shorter than, as long as and longer than a line" {
  pansn_archive
  sample_fa "$PANSN" 'edge#1'
  local regs=() c l
  for c in $(cut -f1 "$FA.fai"); do
    l=$(contig_len "$c")
    regs+=("$c" "$c:$l" "$c:$l-$((l + 1))" "$c:2-")
  done
  faidx_vs_samtools -s 'edge#1' "$PANSN" "$FA" "${regs[@]}"
  faidx_vs_samtools -s 'edge#1' "$PANSN" "$FA" -i -n 59 "${regs[@]}"
  rr_ok faidx -s 'edge#1' "$PANSN"
  assert_out_file "$FA.fai"
}

@test "faidx: regions as samtools faidx prints them" {
  need_data compat/archives/senterica.agc
  sent_ref
  faidx_vs_samtools "$SENT" "$FA" "$C2"
  faidx_vs_samtools "$SENT" "$FA" "$C1"
  faidx_vs_samtools "$SENT" "$FA" "$C2" "$C1:1-1" "$C1:60-61" "$C1:1,001-1,200" \
    "$C3:5-" "$C4:$((L4 - 120))-$L4" "$C1:$((L1 - 9))-$((L1 + 1))" "$C2:0-10" \
    "$C4" "$C1:100000-100001" "$C1:149000" "{$C2}" "{$C1}:10-20" "$C1:$((L1 + 1))-$((L1 + 50))" \
    "$C2:-5"
  sample_fa "$TOY" ref
  local c regs=()
  for c in $(cut -f1 "$FA.fai"); do regs+=("$c" "$c:2-3" "$c:1-100"); done
  faidx_vs_samtools "$TOY" "$FA" "${regs[@]}"
}

@test "faidx: -i and -n" {
  need_data compat/archives/senterica.agc
  sent_ref
  faidx_vs_samtools "$SENT" "$FA" -i "$C2" "$C1:1000-1100" "$C4:$((L4 - 70))-$L4"
  faidx_vs_samtools "$SENT" "$FA" -n 50 "$C2" "$C1:1000-1234" "$C4"
  faidx_vs_samtools "$SENT" "$FA" -n 1 "$C1:1-5"
  faidx_vs_samtools "$SENT" "$FA" -i -n 61 "$C4"
  faidx_vs_samtools "$SENT" "$FA" -n 100000 "$C1"
}

@test "faidx: -r FILE and -o FILE" {
  need_data compat/archives/senterica.agc
  sent_ref
  local r=$T/regions.txt
  printf '%s\n' "$C2" "$C1:5000-5500" "{$C3}:1-30" "$C4:$((L4 - 3))-$((L4 + 3))" "$C1:70000-" >"$r"
  faidx_vs_samtools "$SENT" "$FA" -r "$r"
  faidx_vs_samtools "$SENT" "$FA" -i -n 70 -r "$r" "$C2:100-200"
  # -o: the file holds what stdout would
  samtools_faidx_expect "$FA" -r "$r" "$C2:100-200"
  rr_ok faidx -o "$T/got.fa" -r "$r" "$SENT" "$C2:100-200"
  [[ -z $output ]] || fail "ragc faidx -o printed on stdout: ${output:0:200}"
  assert_same_file "$WANT_OUT" "$T/got.fa" "ragc faidx -o"
  # -o without regions: the .fai
  rr_ok faidx -o "$T/got.fai" "$SENT"
  assert_same_file "$FA.fai" "$T/got.fai" "ragc faidx -o FILE ARCHIVE (the .fai)"
}

@test "faidx: -s SAMPLE, PanSN names and colons in contig names" {
  need_data compat/archives/senterica.agc
  sample_fa "$SENT" SAL_HA8462AA
  local c1 n1
  c1=$(contig 1) n1=$(contig_len "$c1")
  faidx_vs_samtools -s SAL_HA8462AA "$SENT" "$FA" "$(contig 2)" "$c1:1-100" "$c1:$((n1 - 30))-$((n1 + 5))"
  rr_ok faidx -s SAL_HA8462AA "$SENT"
  assert_out_file "$FA.fai"
  pansn_archive
  sample_fa "$PANSN" 'HG00140#1'
  faidx_vs_samtools -s 'HG00140#1' "$PANSN" "$FA" HG00140 "HG00140:16000-"
  faidx_vs_samtools "$PANSN" "$FA" -i "HG00140:1-100"
  sample_fa "$PANSN" 'HG00178#2'
  faidx_vs_samtools -s 'HG00178#2' "$PANSN" "$FA" '{MT:1-100}' '{MT}:1-100' '{MT:1-100}:4990-5010'
  rr_ok faidx -s 'HG00178#2' "$PANSN"
  assert_out_file "$FA.fai"
  sample_fa "$PANSN" 'odd@a#b?c%d'
  rr_ok faidx -s 'odd@a#b?c%d' "$PANSN"
  assert_out_file "$FA.fai"
}

@test "faidx: an unknown sample fails" {
  need_data compat/archives/senterica.agc
  sent_ref
  rr_fail faidx -s nosuch "$SENT" "$C2"
  [[ -z $output ]] || fail "$RR_CMD printed on stdout: ${output:0:200}"
  rr_fail faidx -s nosuch "$SENT"
  [[ -z $output ]] || fail "$RR_CMD printed on stdout: ${output:0:200}"
}

@test "faidx: an unknown contig fails" {
  need_data compat/archives/senterica.agc
  sent_ref
  samtools_faidx_expect "$FA" no_such_contig
  ((WANT_RC != 0)) || fail "samtools faidx accepts an unknown contig?"
  rr_fail faidx "$SENT" no_such_contig
  rr_fail faidx "$SENT" "$C2:1-10" no_such_contig
  rr_fail faidx -s SAL_HA8462AA "$SENT" "$C1"
}

@test "faidx: malformed regions fail" {
  need_data compat/archives/senterica.agc
  sent_ref
  local r
  for r in "$C2:abc" "$C2:200-100" "$C2:10-20x" "{$C2" ":1-10"; do
    samtools_faidx_expect "$FA" "$r"
    ((WANT_RC != 0)) || fail "samtools faidx accepts '$r'?"
    rr_fail faidx "$SENT" "$r"
  done
}

@test "faidx: a missing archive or region file fails" {
  rr_fail faidx "$T/no-such.agc"
  rr_fail faidx "$T/no-such.agc" chr1
  rr_fail faidx -r "$T/no-such-regions.txt" "$TOY"
}

@test "plugin: archives written by the Rust port of AGC serve a sample as its input FASTA" {
  need_plugin
  local arc pansn s=HG00356
  arc=$(data_path foreign/archives/rust-hsmt-s2000.agc)
  pansn=$(data_path foreign/archives/rust-hsmt-pansn.agc)
  # the expected side is the input file itself (upper case already), indexed
  cp "$HSMT/$s.fa" "$T/in.fa"
  samtools faidx "$T/in.fa"
  vs_fa "agc:$s@$arc" "$T/in.fa" samtools faidx {R} "$s:1-100" "$s:1990-6010" "$s"
  vs_fa "agc:$s@$arc" "$T/in.fa" samtools faidx -i -n 70 {R} "$s:16000-16600"
  # PanSN names (sample HG00356#0, contig HG00356#0#chrM) through URL escapes
  sed "s/^>$s\$/>$s#0#chrM/" "$HSMT/$s.fa" >"$T/pansn.fa"
  samtools faidx "$T/pansn.fa"
  vs_fa "agc:$(url_escape "$s#0")@$pansn" "$T/pansn.fa" samtools faidx {R} "$s#0#chrM:5-500" "$s#0#chrM"
}

@test "plugin: a malformed agc: URL logs why through hts_log (issue 18)" {
  need_plugin
  cp "$TOY" "$T/x.agc"
  cd "$T"
  # SAMPLE and PATH swapped
  must_fail_cleanly samtools faidx 'agc:x.agc@HG002%231' chr1
  grep -qxF '[E::report_missing] agc: no archive HG002%231: the sample comes first, agc:SAMPLE@PATH (here agc:HG002%231@x.agc)' "$RUN_ERR" ||
    fail "stderr:"$'\n'"$(cat "$RUN_ERR")"
  # a URL habit: agc URLs have no host part
  must_fail_cleanly samtools faidx 'agc://x.agc' chr1
  grep -qxF "[E::report_missing] agc: no archive //x.agc: agc URLs are agc:[SAMPLE@]PATH, without '//' (agc:x.agc)" "$RUN_ERR" ||
    fail "stderr:"$'\n'"$(cat "$RUN_ERR")"
  must_fail_cleanly samtools faidx 'agc:nosuch.agc' chr1
  grep -qxF '[E::report_missing] agc: no archive nosuch.agc (in agc:nosuch.agc; agc URLs are agc:[SAMPLE@]PATH)' "$RUN_ERR" ||
    fail "stderr:"$'\n'"$(cat "$RUN_ERR")"
  # the well-formed URL works (chr2 of ref.fa, the reference)
  run -0 samtools faidx 'agc:x.agc' chr2
  [[ $output == $'>chr2\nTAAAAAAAAAAATTT' ]] || fail "samtools faidx agc:x.agc chr2: $output"
}
