#!/usr/bin/env bats
# ragc create --like BASE (shards) and ragc merge (issue 16,
# docs/scale-out.md): merged archives read back exactly as their input
# FASTA files, agc 3.2.2 reads and appends to them (RAGC_AGC), and what
# cannot be merged is refused without leaving an output.
#
#   RAGC=... RAGC_SHARED=... [RAGC_AGC=/path/to/agc] bats bats/merge.bats
#
# Expected values come from the input FASTA files (see merge-helpers.bash);
# a single `ragc create` of the same files is only a second check.  The
# structure agc's reader requires (group ids, packs of P items, references)
# is checked by test/test_merge.c.

load merge-helpers

bats_require_minimum_version 1.5.0

setup() {
  merge_init
}

# ---------------------------------------------------------------- core data (hsmt-50)

@test "merge: base of 3 + two shards of 2 (hsmt): samples stored in input order, every sample exact" {
  core_set || return 1
  check_samples "$CORE/m.agc" "${CORE_FILES[@]}"
}

@test "merge: the merged hsmt archive holds what a single create of the 7 files holds" {
  core_set || return 1
  rr_ok getcol "$CORE/single.agc" || return 1
  cp "$OUT" "$T/single.fa"
  rr_ok getcol "$CORE/m.agc" || return 1
  assert_same_file "$T/single.fa" "$OUT" "getcol of the merged archive vs getcol of a single create"
  rr_ok listset "$CORE/single.agc" || return 1
  cp "$OUT" "$T/single.sets"
  rr_ok listset "$CORE/m.agc" || return 1
  assert_same_file "$T/single.sets" "$OUT" "listset of the merged archive vs a single create"
}

@test "merge: getctg of a shard sample's contig and of a range" {
  core_set || return 1
  local f=${HS[5]} s name seq
  s=$(sample_name_of "$f")
  name=$(fasta_first_name "$f")
  fasta_view case 80 "$f" >"$T/want.fa"
  rr_ok getctg "$CORE/m.agc" "$name@$s" || return 1
  assert_same_file "$T/want.fa" "$OUT" "getctg $name@$s vs $f"
  seq=$(fasta_record "$f" "$name")
  # 0-based inclusive ranges, agc's header NAME:FROM-TO
  printf '>%s:1000-12345\n' "$name" >"$T/want.range"
  printf '%s' "${seq:1000:11346}" | wrap 80 >>"$T/want.range"
  rr_ok getctg "$CORE/m.agc" "$name@$s:1000-12345" || return 1
  assert_same_file "$T/want.range" "$OUT" "getctg of a range vs $f"
  # a base sample too, through its short contig name only
  f=${HS[1]}
  name=$(fasta_first_name "$f")
  seq=$(fasta_record "$f" "$name")
  printf '>%s:0-99\n%s\n' "$name" "${seq:0:80}" >"$T/want.range"
  printf '%s\n' "${seq:80:20}" >>"$T/want.range"
  rr_ok getctg "$CORE/m.agc" "$name@$(sample_name_of "$f"):0-99" || return 1
  assert_same_file "$T/want.range" "$OUT" "getctg of a base sample's range vs $f"
}

@test "merge: info and listref of the merged hsmt archive" {
  core_set || return 1
  rr_ok listref "$CORE/m.agc" || return 1
  assert_equal "$output" "$(sample_name_of "${HS[0]}")"
  rr_ok info "$CORE/m.agc" || return 1
  # info prints on standard error, as agc
  local -a lines
  output=$stderr
  mapfile -t lines <<<"$output"
  assert_line --regexp '^No\. samples *: 7$'
  assert_line --regexp '^k-mer length *: 31$'
  assert_line --regexp '^Min\. match length *: 20$'
  assert_line --regexp '^Segment size *: 60000$'
  assert_line --regexp '^Batch size *: 50$'
  assert_line --regexp "^Reference name *: $(sample_name_of "${HS[0]}")\$"
  rr_ok listctg "$CORE/m.agc" "$(sample_name_of "${HS[6]}")" || return 1
  assert_output "$(printf '%s\n   %s' "$(sample_name_of "${HS[6]}")" "$(gzip -dcf "${HS[6]}" | sed -n '1s/^>//p')")"
}

@test "merge: the merged hsmt archive is at most 1.03 times a single create of the 7 files" {
  core_set || return 1
  assert_size_ratio "$CORE/m.agc" "$CORE/single.agc"
}

@test "merge: -t 1 and -t 2 give byte-identical archives (create --like and merge)" {
  core_set || return 1
  rr_ok create -t 1 --like "$CORE/base.agc" -o "$T/s1-t1.agc" "${HS[@]:3:2}" || return 1
  assert_same_file "$CORE/s1.agc" "$T/s1-t1.agc" "create --like -t 1 vs -t 2"
  rr_ok merge -t 1 -o "$T/m1.agc" "$CORE/base.agc" "$CORE/s1.agc" "$CORE/s2.agc" || return 1
  assert_same_file "$CORE/m.agc" "$T/m1.agc" "merge -t 1 vs -t 2"
  # to standard output: the same bytes
  rr_ok merge -t 2 "$CORE/base.agc" "$CORE/s1.agc" "$CORE/s2.agc" || return 1
  assert_same_file "$CORE/m.agc" "$OUT" "merge to standard output vs -o FILE"
}

@test "merge: shards in either order after their base; an independent archive among them" {
  core_set || return 1
  rr_ok merge -t 2 -o "$T/m21.agc" "$CORE/base.agc" "$CORE/s2.agc" "$CORE/s1.agc" || return 1
  check_samples "$T/m21.agc" "${HS[@]:0:3}" "${HS[@]:5:2}" "${HS[@]:3:2}" || return 1
  rr_ok create -t 2 -o "$T/ind.agc" "${HS[@]:7:2}" || return 1
  rr_ok merge -t 2 -o "$T/mix.agc" "$CORE/base.agc" "$CORE/s1.agc" "$T/ind.agc" "$CORE/s2.agc" || return 1
  check_samples "$T/mix.agc" "${HS[@]:0:5}" "${HS[@]:7:2}" "${HS[@]:5:2}"
}

@test "merge: small segments and packs (-s 500 -b 3): packs cut again, every sample exact" {
  local b=("${HS[@]:0:3}") s1=("${HS[@]:3:2}") s2=("${HS[@]:5:4}")
  local dir=$BATS_FILE_TMPDIR/small
  shard_set "$dir" b s1 s2 -s 500 -b 3 || return 1
  check_samples "$dir/m.agc" "${b[@]}" "${s1[@]}" "${s2[@]}" || return 1
  rr_ok getcol "$dir/single.agc" || return 1
  cp "$OUT" "$T/single.fa"
  rr_ok getcol "$dir/m.agc" || return 1
  assert_same_file "$T/single.fa" "$OUT" "getcol of the merged archive vs a single create"
  rr_ok merge -t 1 -o "$T/m1.agc" "$dir/base.agc" "$dir/s1.agc" "$dir/s2.agc" || return 1
  assert_same_file "$dir/m.agc" "$T/m1.agc" "merge -t 1 vs -t 2 (-s 500 -b 3)"
  printf '# -s 500 -b 3: merged %d bytes, single create %d bytes\n' \
    "$(stat -c %s "$dir/m.agc")" "$(stat -c %s "$dir/single.agc")" >&3
}

@test "merge: fasta-edge shards (lower case, odd bytes, CRLF, empty headers): originals, views, dict M5" {
  command -v samtools >/dev/null || { fail "samtools not found on PATH"; return 1; }
  local e=$DATA/fasta-edge f
  local -a names
  mapfile -t names < <(cd "$e" && LC_ALL=C ls ./*.fa ./*.fasta | sed 's|^\./||' | grep -v '^minimap2\.MT-human\.fa$')
  ((${#names[@]} >= 20)) || { fail "only ${#names[@]} fasta-edge files in $e"; return 1; }
  local b=("$e/minimap2.MT-human.fa") s1=() s2=()
  for f in "${names[@]:0:8}"; do b+=("$e/$f"); done
  for f in "${names[@]:8:8}"; do s1+=("$e/$f"); done
  for f in "${names[@]:16}"; do s2+=("$e/$f"); done
  shard_set "$T/edge" b s1 s2 || return 1
  check_samples "$T/edge/m.agc" "${b[@]}" "${s1[@]}" "${s2[@]}" || return 1
  local bad=() s
  for f in "${b[@]}" "${s1[@]}" "${s2[@]}"; do
    s=$(sample_name_of "$f")
    rr_ok dict "$T/edge/m.agc" "$s" || return 1
    sed $'s/\tUR:[^\t]*//' "$OUT" | grep -v $'\tSN:chr9_whitespace\t' >"$T/got.dict"
    edge_dict "$f" >"$T/want.dict"
    cmp -s "$T/want.dict" "$T/got.dict" || bad+=("$s: $(diff "$T/want.dict" "$T/got.dict" | head -n 3)")
  done
  ((${#bad[@]} == 0)) || fail "ragc dict of the merged archive differs from samtools dict of the inputs:"$'\n'"$(printf '%s\n' "${bad[@]}")"
}

@test "merge: agc 3.2.2 (RAGC_AGC) reads the merged fasta-edge shards" {
  need_agc || return 1
  local e=$DATA/fasta-edge f
  local -a names
  mapfile -t names < <(cd "$e" && LC_ALL=C ls ./*.fa ./*.fasta | sed 's|^\./||' | grep -v '^minimap2\.MT-human\.fa$')
  local b=("$e/minimap2.MT-human.fa") s1=() s2=()
  for f in "${names[@]:0:8}"; do b+=("$e/$f"); done
  for f in "${names[@]:8:8}"; do s1+=("$e/$f"); done
  for f in "${names[@]:16}"; do s2+=("$e/$f"); done
  shard_set "$T/edge" b s1 s2 || return 1
  check_agc_reads "$T/edge/m.agc" "${b[@]}" "${s1[@]}" "${s2[@]}"
}

@test "merge: shards holding copies of the base's and of each other's samples (-s 300 -b 2): groups joined, every sample exact" {
  cp "${HS[0]}" "$T/REFCOPY.fa"
  cp "${HS[5]}" "$T/DUPA.fa"
  cp "${HS[5]}" "$T/DUPB.fa"
  local b=("${HS[@]:0:2}") s1=("${HS[5]}" "$T/REFCOPY.fa" "$T/DUPA.fa" "${HS[@]:7:2}") s2=("$T/DUPB.fa" "${HS[@]:9:1}" "${HS[6]}")
  shard_set "$T/dup" b s1 s2 -s 300 -b 2 || return 1
  check_samples "$T/dup/m.agc" "${b[@]}" "${s1[@]}" "${s2[@]}" || return 1
  rr_ok merge -t 1 -o "$T/m1.agc" "$T/dup/base.agc" "$T/dup/s1.agc" "$T/dup/s2.agc" || return 1
  assert_same_file "$T/dup/m.agc" "$T/m1.agc" "merge -t 1 vs -t 2" || return 1
  if [[ -n ${RAGC_AGC:-} ]]; then
    need_agc || return 1
    check_agc_reads "$T/dup/m.agc" "${b[@]}" "${s1[@]}" "${s2[@]}"
  else
    printf '# RAGC_AGC not set: agc does not read this merged archive\n' >&3
  fi
}

# ---------------------------------------------------------------- extended data (senterica-10)

@test "merge: senterica-10 as a base of 4 + two shards of 3: every sample exact, at most 1.03x a single create" {
  need_data data/senterica-10/SAL_AA7743AA.fasta.gz
  local -a all
  mapfile -t all < <(LC_ALL=C ls "$SENT10"/*.fasta.gz)
  ((${#all[@]} == 10)) || { fail "expected 10 files in $SENT10, found ${#all[@]}"; return 1; }
  local b=("${all[@]:0:4}") s1=("${all[@]:4:3}") s2=("${all[@]:7:3}")
  shard_set "$BATS_FILE_TMPDIR/sent" b s1 s2 || return 1
  check_samples "$BATS_FILE_TMPDIR/sent/m.agc" "${all[@]}" || return 1
  printf '# senterica-10: merged %d bytes, single create %d bytes\n' \
    "$(stat -c %s "$BATS_FILE_TMPDIR/sent/m.agc")" "$(stat -c %s "$BATS_FILE_TMPDIR/sent/single.agc")" >&3
  assert_size_ratio "$BATS_FILE_TMPDIR/sent/m.agc" "$BATS_FILE_TMPDIR/sent/single.agc"
}

# ---------------------------------------------------------------- append to a merged archive

@test "merge: ragc append to the merged archive; the same content as an append to a single create" {
  core_set || return 1
  local new=${HS[7]}
  rr_ok append -t 2 -o "$T/ma.agc" "$CORE/m.agc" "$new" || return 1
  check_samples "$T/ma.agc" "${CORE_FILES[@]}" "$new" || return 1
  rr_ok append -t 2 -o "$T/sa.agc" "$CORE/single.agc" "$new" || return 1
  rr_ok getcol "$T/sa.agc" || return 1
  cp "$OUT" "$T/sa.fa"
  rr_ok getcol "$T/ma.agc" || return 1
  assert_same_file "$T/sa.fa" "$OUT" "getcol of append(merged) vs getcol of append(single create)"
}

@test "merge: ragc append to a merged archive of small packs (-s 500 -b 3)" {
  local b=("${HS[@]:0:3}") s1=("${HS[@]:3:2}") s2=("${HS[@]:5:4}")
  local dir=$BATS_FILE_TMPDIR/small
  shard_set "$dir" b s1 s2 -s 500 -b 3 || return 1
  rr_ok append -t 2 -o "$T/ma.agc" "$dir/m.agc" "${HS[9]}" || return 1
  check_samples "$T/ma.agc" "${b[@]}" "${s1[@]}" "${s2[@]}" "${HS[9]}"
}

@test "merge: a copy of the base merges with its shards; shards made --like a merged archive" {
  core_set || return 1
  cp "$CORE/base.agc" "$T/copy-of-base.agc"
  rr_ok merge -t 2 -o "$T/m.agc" "$T/copy-of-base.agc" "$CORE/s1.agc" "$CORE/s2.agc" || return 1
  assert_same_file "$CORE/m.agc" "$T/m.agc" "merge with a copy of the base vs with the base"
  # the merged archive is a base like any other
  rr_ok create -t 2 --like "$CORE/m.agc" -o "$T/s3.agc" "${HS[@]:7:3}" || return 1
  rr_ok merge -t 2 -o "$T/m3.agc" "$CORE/m.agc" "$T/s3.agc" || return 1
  check_samples "$T/m3.agc" "${CORE_FILES[@]}" "${HS[@]:7:3}"
}

@test "create --like: -k -l -s -b only with the base's values" {
  core_set || return 1
  rr_ok create -t 2 --like "$CORE/base.agc" -k 31 -l 20 -s 60000 -b 50 -o "$T/same.agc" "${HS[7]}" || return 1
  local opt
  for opt in "-k 25" "-l 18" "-s 5000" "-b 10"; do
    mkdir -p "$T/o"
    # shellcheck disable=SC2086  # option and value
    rr_fail create -t 2 --like "$CORE/base.agc" $opt -o "$T/o/x.agc" "${HS[7]}" || return 1
    [[ ! -e $T/o/x.agc ]] || { fail "create --like $opt left $T/o/x.agc"; return 1; }
  done
}

@test "merge: archives of format 1 or 2, and archives agc cannot append to, are refused" {
  core_set || return 1
  local id
  for id in v2.1-hsmt-base3 v1.1-hsmt-base3; do
    need_data "compat/archives/$id.agc"
    merge_must_fail "format" "$(data_path "compat/archives/$id.agc")" "$CORE/base.agc" || return 1
  done
  need_data foreign/archives/rust-edge-small.agc
  local rust
  rust=$(data_path foreign/archives/rust-edge-small.agc)
  merge_must_fail "cannot be appended to" "$rust" "$CORE/base.agc" || return 1
  mkdir -p "$T/o"
  rr_fail create -t 2 --like "$rust" -o "$T/o/x.agc" "${HS[7]}" || return 1
  stderr_has "cannot be appended to" || return 1
  [[ ! -e $T/o/x.agc ]] || fail "create --like a foreign archive left $T/o/x.agc"
}

# ---------------------------------------------------------------- agc 3.2.2

@test "merge: agc 3.2.2 (RAGC_AGC) reads the merged hsmt archives and appends to them" {
  need_agc || return 1
  core_set || return 1
  check_agc_reads "$CORE/m.agc" "${CORE_FILES[@]}" || return 1
  agc_run append -o "$T/agc-app.agc" "$CORE/m.agc" "${HS[7]}"
  ((AGC_RC == 0)) || { fail "agc append to the merged archive exited $AGC_RC: $(head -n 3 "$T/agc.err")"; return 1; }
  check_agc_reads "$T/agc-app.agc" "${CORE_FILES[@]}" "${HS[7]}" || return 1
  # ragc reads what agc appended (the appended sample has no original form:
  # the upper-case view), the merged samples still exactly
  rr_ok getset "$T/agc-app.agc" "$(sample_name_of "${HS[7]}")" || return 1
  fasta_view upper 80 "${HS[7]}" >"$T/want.view"
  assert_same_file "$T/want.view" "$OUT" "ragc getset of the sample agc appended" || return 1
  local b=("${HS[@]:0:3}") s1=("${HS[@]:3:2}") s2=("${HS[@]:5:4}")
  local dir=$BATS_FILE_TMPDIR/small
  shard_set "$dir" b s1 s2 -s 500 -b 3 || return 1
  check_agc_reads "$dir/m.agc" "${b[@]}" "${s1[@]}" "${s2[@]}" || return 1
  agc_run append -o "$T/agc-app2.agc" "$dir/m.agc" "${HS[9]}"
  ((AGC_RC == 0)) || { fail "agc append to the merged -b 3 archive exited $AGC_RC: $(head -n 3 "$T/agc.err")"; return 1; }
  check_agc_reads "$T/agc-app2.agc" "${b[@]}" "${s1[@]}" "${s2[@]}" "${HS[9]}"
}

@test "merge: agc 3.2.2 (RAGC_AGC) reads the merged senterica-10 archive and appends to it" {
  need_agc || return 1
  need_data data/senterica-10/SAL_AA7743AA.fasta.gz
  local -a all
  mapfile -t all < <(LC_ALL=C ls "$SENT10"/*.fasta.gz)
  local b=("${all[@]:0:4}") s1=("${all[@]:4:3}") s2=("${all[@]:7:3}")
  shard_set "$BATS_FILE_TMPDIR/sent" b s1 s2 || return 1
  check_agc_reads "$BATS_FILE_TMPDIR/sent/m.agc" "${all[@]}" || return 1
  # a new sample: an hsmt file under a name senterica does not have
  cp "${HS[0]}" "$T/NEWMT.fa"
  agc_run append -o "$T/agc-app.agc" "$BATS_FILE_TMPDIR/sent/m.agc" "$T/NEWMT.fa"
  ((AGC_RC == 0)) || { fail "agc append to the merged archive exited $AGC_RC: $(head -n 3 "$T/agc.err")"; return 1; }
  agc_run getset "$T/agc-app.agc" NEWMT
  fasta_view upper 80 "$T/NEWMT.fa" >"$T/want.view"
  assert_same_file "$T/want.view" "$T/agc.out" "agc getset of the sample it appended" || return 1
  # agc's append keeps none of ragc's extension streams (original forms):
  # ragc reads every sample in agc's upper-case view then
  rr_ok getset "$T/agc-app.agc" "$(sample_name_of "${all[9]}")" || return 1
  fasta_view upper 80 "${all[9]}" >"$T/want.view"
  assert_same_file "$T/want.view" "$OUT" "ragc getset of a shard sample after agc's append"
}

# ---------------------------------------------------------------- shards and failures

@test "shard: read alone it fails naming ragc merge (listset, getset, getcol, listctg, info)" {
  core_set || return 1
  local cmd sum
  sum=$(md5sum <"$CORE/s1.agc")
  for cmd in listset getcol info listref; do
    rr_fail "$cmd" "$CORE/s1.agc" || return 1
    stderr_has "ragc merge" || return 1
  done
  rr_fail getset "$CORE/s1.agc" "$(sample_name_of "${HS[3]}")" || return 1
  stderr_has "ragc merge" || return 1
  rr_fail listctg "$CORE/s1.agc" "$(sample_name_of "${HS[3]}")" || return 1
  stderr_has "ragc merge" || return 1
  [[ -z $output ]] || fail "a failed read printed on stdout: $output"
  [[ $(md5sum <"$CORE/s1.agc") == "$sum" ]] || fail "reading the shard changed it"
}

@test "shard: create --like refuses a sample name the base has, leaving no output" {
  core_set || return 1
  local sum
  sum=$(md5sum <"$CORE/base.agc")
  mkdir -p "$T/o"
  rr_fail create -t 2 --like "$CORE/base.agc" -o "$T/o/x.agc" "${HS[7]}" "${HS[1]}" || return 1
  stderr_has "$(sample_name_of "${HS[1]}")" || return 1
  [[ ! -e $T/o/x.agc ]] || fail "the refused create --like left $T/o/x.agc"
  no_litter "$T/o" || return 1
  [[ $(md5sum <"$CORE/base.agc") == "$sum" ]] || fail "create --like changed its base"
  # a name of an earlier shard is not the base's: it is refused only by the merge
  rr_ok create -t 2 --like "$CORE/base.agc" -o "$T/dup.agc" "${HS[3]}" || return 1
  merge_must_fail "$(sample_name_of "${HS[3]}")" "$CORE/base.agc" "$CORE/s1.agc" "$T/dup.agc"
}

@test "merge: a shard without its base, or before it, or with another base, fails" {
  core_set || return 1
  merge_must_fail "base" "$CORE/s1.agc" || return 1
  merge_must_fail "base" "$CORE/s1.agc" "$CORE/s2.agc" || return 1
  merge_must_fail "base" "$CORE/s1.agc" "$CORE/base.agc" || return 1
  merge_must_fail "base" "$CORE/s1.agc" "$CORE/base.agc" "$CORE/s2.agc" || return 1
  # an archive of the same parameters that is not the shard's base
  rr_ok create -t 2 -o "$T/other.agc" "${HS[@]:7:2}" || return 1
  merge_must_fail "base" "$T/other.agc" "$CORE/s1.agc" || return 1
  # the base as it is after a merge is another archive
  merge_must_fail "base" "$CORE/m.agc" "$CORE/s1.agc"
}

@test "merge: the same sample name in two inputs fails (a shard given twice, an archive twice)" {
  core_set || return 1
  merge_must_fail "$(sample_name_of "${HS[3]}")" "$CORE/base.agc" "$CORE/s1.agc" "$CORE/s1.agc" || return 1
  merge_must_fail "$(sample_name_of "${HS[0]}")" "$CORE/base.agc" "$CORE/base.agc" || return 1
  rr_ok create -t 2 -o "$T/ind.agc" "${HS[7]}" "${HS[4]}" || return 1
  merge_must_fail "$(sample_name_of "${HS[4]}")" "$CORE/base.agc" "$CORE/s1.agc" "$T/ind.agc"
}

@test "merge: inputs with other parameters (-k 25, -b 10, -s 5000, -l 18) fail" {
  core_set || return 1
  local opt
  for opt in "-k 25" "-b 10" "-s 5000" "-l 18"; do
    # shellcheck disable=SC2086  # option and value
    rr_ok create -t 2 $opt -o "$T/p.agc" "${HS[7]}" || return 1
    merge_must_fail "parameters" "$CORE/base.agc" "$T/p.agc" || return 1
    merge_must_fail "parameters" "$T/p.agc" "$CORE/base.agc" || return 1
    rm -f "$T/p.agc"
  done
}

@test "merge: the output path equal to an input is refused, the input unchanged" {
  core_set || return 1
  cp "$CORE/base.agc" "$T/base.agc"
  cp "$CORE/s1.agc" "$T/s1.agc"
  rr_fail merge -o "$T/base.agc" "$T/base.agc" "$T/s1.agc" || return 1
  assert_same_file "$CORE/base.agc" "$T/base.agc" "the base after a refused merge onto it" || return 1
  rr_fail merge -o "$T/s1.agc" "$T/base.agc" "$T/s1.agc" || return 1
  assert_same_file "$CORE/s1.agc" "$T/s1.agc" "the shard after a refused merge onto it" || return 1
  # the same file under another name
  ln -s "$T/s1.agc" "$T/link.agc"
  rr_fail merge -o "$T/link.agc" "$T/base.agc" "$T/s1.agc" || return 1
  assert_same_file "$CORE/s1.agc" "$T/s1.agc" "the shard after a refused merge onto a link to it" || return 1
  no_litter "$T"
}

@test "merge: no input, a missing input, a file that is not an archive: clear failures" {
  core_set || return 1
  rr_fail merge -o "$T/x.agc" || return 1
  [[ ! -e $T/x.agc ]] || fail "created $T/x.agc without inputs"
  merge_must_fail "" "$CORE/base.agc" "$T/missing.agc" || return 1
  printf '>not an archive\nACGT\n' >"$T/text.agc"
  merge_must_fail "" "$CORE/base.agc" "$T/text.agc"
}

@test "merge: an input made --no-original with one that has original forms, in both orders" {
  local e=$DATA/fasta-edge
  local lower=$e/pyfaidx.genes.lower.fasta crlf=$e/pyfaidx.issue_141.crlf.fasta
  rr_ok create -t 2 --no-original -o "$T/a.agc" "${HS[0]}" "$lower" || return 1
  rr_ok create -t 2 -o "$T/b.agc" "${HS[1]}" "$crlf" || return 1
  local order
  for order in ab ba; do
    if [[ $order == ab ]]; then
      rr_ok merge -t 2 -o "$T/m.agc" "$T/a.agc" "$T/b.agc" || return 1
    else
      rr_ok merge -t 2 -o "$T/m.agc" "$T/b.agc" "$T/a.agc" || return 1
    fi
    check_samples_subset "$T/m.agc" "${HS[1]}" "$crlf" || return 1
    # --no-original samples: agc's view, and no original form
    rr_ok getset "$T/m.agc" pyfaidx.genes.lower || return 1
    fasta_view upper 80 "$lower" >"$T/want.view"
    assert_same_file "$T/want.view" "$OUT" "getset of a --no-original sample ($order)" || return 1
    rr_fail getset --original "$T/m.agc" pyfaidx.genes.lower || return 1
    stderr_has "no original form" || return 1
  done
}

# ---------------------------------------------------------------- independent archives

@test "merge: two archives made separately by create (each its own reference): every sample exact" {
  rr_ok create -t 2 -o "$T/a.agc" "${HS[@]:0:3}" || return 1
  rr_ok create -t 2 -o "$T/b.agc" "${HS[@]:3:3}" || return 1
  rr_ok merge -t 2 -o "$T/ab.agc" "$T/a.agc" "$T/b.agc" || return 1
  check_samples "$T/ab.agc" "${HS[@]:0:6}" || return 1
  rr_ok listref "$T/ab.agc" || return 1
  assert_equal "$output" "$(sample_name_of "${HS[0]}")"
  # small segments and packs: many groups renumbered, packs cut again
  rr_ok create -t 2 -s 500 -b 3 -o "$T/c.agc" "${HS[@]:0:4}" || return 1
  rr_ok create -t 2 -s 500 -b 3 -o "$T/d.agc" "${HS[@]:4:5}" || return 1
  rr_ok merge -t 2 -o "$T/cd.agc" "$T/c.agc" "$T/d.agc" || return 1
  check_samples "$T/cd.agc" "${HS[@]:0:9}" || return 1
  rr_ok append -t 2 -o "$T/cda.agc" "$T/cd.agc" "${HS[9]}" || return 1
  check_samples "$T/cda.agc" "${HS[@]:0:10}"
}

@test "merge: agc 3.2.2 (RAGC_AGC) reads a merge of independent archives" {
  need_agc || return 1
  rr_ok create -t 2 -s 500 -b 3 -o "$T/c.agc" "${HS[@]:0:4}" || return 1
  rr_ok create -t 2 -s 500 -b 3 -o "$T/d.agc" "${HS[@]:4:5}" || return 1
  rr_ok merge -t 2 -o "$T/cd.agc" "$T/c.agc" "$T/d.agc" || return 1
  check_agc_reads "$T/cd.agc" "${HS[@]:0:9}" || return 1
  agc_run append -o "$T/cda.agc" "$T/cd.agc" "${HS[9]}"
  ((AGC_RC == 0)) || { fail "agc append exited $AGC_RC: $(head -n 3 "$T/agc.err")"; return 1; }
  check_agc_reads "$T/cda.agc" "${HS[@]:0:10}"
}

# ---------------------------------------------------------------- --by-contig (PanSN chromosome shards)

# pansn_chromosomes FIRST COUNT: for HS[FIRST .. FIRST+COUNT-1],
# $T/SAMPLE.pan.fa (records SAMPLE#1#chrA and SAMPLE#1#chrB, names in
# PAN_SAMPLES), then $T/chrA.fa and $T/chrB.fa (that chromosome of every
# sample).
pansn_chromosomes() {
  local f s
  PAN_SAMPLES=()
  for f in "${HS[@]:$1:$2}"; do
    s=$(sample_name_of "$f")
    pansn_split "$s" "$f" "$T/$s.pan.fa"
    PAN_SAMPLES+=("$s")
  done
  local files=()
  for s in "${PAN_SAMPLES[@]}"; do files+=("$T/$s.pan.fa"); done
  records_named '#chrA' "${files[@]}" >"$T/chrA.fa"
  records_named '#chrB' "${files[@]}" >"$T/chrB.fa"
}

# pansn_shards: pansn_chromosomes of HS[0..3], each chromosome compressed
# into its own archive with create --pansn.
pansn_shards() {
  pansn_chromosomes 0 4
  [[ $(grep -c '^>' "$T/chrA.fa") == 4 && $(grep -c '^>' "$T/chrB.fa") == 4 ]] ||
    { fail "test bug: the chromosome files do not hold 4 records each"; return 1; }
  rr_ok create -t 2 --pansn -o "$T/chrA.agc" "$T/chrA.fa" || return 1
  rr_ok create -t 2 --pansn -o "$T/chrB.agc" "$T/chrB.fa" || return 1
}

@test "merge --by-contig: chromosome shards of PanSN data join each sample's contigs in input order" {
  pansn_shards || return 1
  rr_ok merge --by-contig -t 2 -o "$T/all.agc" "$T/chrA.agc" "$T/chrB.agc" || return 1
  printf '%s#1\n' "${PAN_SAMPLES[@]}" | LC_ALL=C sort >"$T/want.sets"
  rr_ok listset "$T/all.agc" || return 1
  assert_same_file "$T/want.sets" "$OUT" "listset of the --by-contig merge" || return 1
  local s
  for s in "${PAN_SAMPLES[@]}"; do fasta_view case 80 "$T/$s.pan.fa"; done >"$T/want.col"
  rr_ok getcol "$T/all.agc" || return 1
  assert_same_file "$T/want.col" "$OUT" "getcol of the --by-contig merge vs the PanSN files" || return 1
  for s in "${PAN_SAMPLES[@]}"; do
    rr_ok listctg "$T/all.agc" "$s#1" || return 1
    assert_output "$(printf '%s\n   %s\n   %s' "$s#1" "$s#1#chrA" "$s#1#chrB")"
    fasta_view case 80 "$T/$s.pan.fa" >"$T/want.view"
    rr_ok getset "$T/all.agc" "$s#1" || return 1
    assert_same_file "$T/want.view" "$OUT" "getset $s#1 vs the canonical view of its PanSN file" || return 1
    rr_ok getset --original "$T/all.agc" "$s#1" || return 1
    assert_same_file "$T/$s.pan.fa" "$OUT" "getset --original $s#1 vs its PanSN file" || return 1
  done
  # the reverse input order puts chrB first
  rr_ok merge --by-contig -t 2 -o "$T/all-ba.agc" "$T/chrB.agc" "$T/chrA.agc" || return 1
  for s in "${PAN_SAMPLES[@]}"; do
    rr_ok listctg "$T/all-ba.agc" "$s#1" || return 1
    assert_output "$(printf '%s\n   %s\n   %s' "$s#1" "$s#1#chrB" "$s#1#chrA")"
    { records_named '#chrB' "$T/$s.pan.fa"; records_named '#chrA' "$T/$s.pan.fa"; } >"$T/ba.fa"
    fasta_view case 80 "$T/ba.fa" >"$T/want.view"
    rr_ok getset "$T/all-ba.agc" "$s#1" || return 1
    assert_same_file "$T/want.view" "$OUT" "getset $s#1 (chrB first) vs its PanSN records" || return 1
  done
  rr_ok merge --by-contig -t 1 -o "$T/all-t1.agc" "$T/chrA.agc" "$T/chrB.agc" || return 1
  assert_same_file "$T/all.agc" "$T/all-t1.agc" "merge --by-contig -t 1 vs -t 2"
}

@test "merge --by-contig: agc 3.2.2 (RAGC_AGC) reads the joined samples" {
  need_agc || return 1
  pansn_shards || return 1
  rr_ok merge --by-contig -t 2 -o "$T/all.agc" "$T/chrA.agc" "$T/chrB.agc" || return 1
  local s
  for s in "${PAN_SAMPLES[@]}"; do
    agc_run getset "$T/all.agc" "$s#1"
    ((AGC_RC == 0)) || { fail "agc getset $s#1 exited $AGC_RC: $(head -n 3 "$T/agc.err")"; return 1; }
    fasta_view upper 80 "$T/$s.pan.fa" >"$T/want.view"
    assert_same_file "$T/want.view" "$T/agc.out" "agc getset $s#1 vs its PanSN file" || return 1
  done
}

@test "merge --by-contig: chromosome shards made --like one base (a reference sample)" {
  local s
  pansn_chromosomes 1 3
  rr_ok create -t 2 -o "$T/base.agc" "${HS[0]}" || return 1
  rr_ok create -t 2 --pansn --like "$T/base.agc" -o "$T/chrA.agc" "$T/chrA.fa" || return 1
  rr_ok create -t 2 --pansn --like "$T/base.agc" -o "$T/chrB.agc" "$T/chrB.fa" || return 1
  rr_ok merge --by-contig -t 2 -o "$T/all.agc" "$T/base.agc" "$T/chrA.agc" "$T/chrB.agc" || return 1
  { fasta_view case 80 "${HS[0]}"; for s in "${PAN_SAMPLES[@]}"; do fasta_view case 80 "$T/$s.pan.fa"; done; } >"$T/want.col"
  rr_ok getcol "$T/all.agc" || return 1
  assert_same_file "$T/want.col" "$OUT" "getcol of the --by-contig merge of shards vs the inputs" || return 1
  for s in "${PAN_SAMPLES[@]}"; do
    rr_ok listctg "$T/all.agc" "$s#1" || return 1
    assert_output "$(printf '%s\n   %s\n   %s' "$s#1" "$s#1#chrA" "$s#1#chrB")"
    rr_ok getset --original "$T/all.agc" "$s#1" || return 1
    assert_same_file "$T/$s.pan.fa" "$OUT" "getset --original $s#1 vs its PanSN file" || return 1
  done
  rr_ok getset --original "$T/all.agc" "$(sample_name_of "${HS[0]}")" || return 1
  assert_same_file "${HS[0]}" "$OUT" "getset --original of the base's sample"
}

@test "merge --by-contig: inputs with the samples in other orders, some missing (-b 2): first appearance, input order" {
  # 7 samples, 3 chromosomes: chrA of all (in order), chrB of all (reversed),
  # chrC of samples 1, 3, 5 only; merged in the order chrC chrA chrB
  local f s i
  local -a S=()
  for f in "${HS[@]:0:7}"; do
    s=$(sample_name_of "$f")
    S+=("$s")
    LC_ALL=C awk -v s="$s" '/^>/ { next } { q = q $0 }
      END { h = int(length(q) / 3)
            print ">" s "#1#chrA"; print substr(q, 1, h)
            print ">" s "#1#chrB"; print substr(q, h + 1, h)
            print ">" s "#1#chrC"; print substr(q, 2 * h + 1) }' "$f" >"$T/$s.pan3.fa"
  done
  for s in "${S[@]}"; do records_named '#chrA' "$T/$s.pan3.fa"; done >"$T/A.fa"
  for ((i = ${#S[@]} - 1; i >= 0; i--)); do records_named '#chrB' "$T/${S[i]}.pan3.fa"; done >"$T/B.fa"
  for i in 1 3 5; do records_named '#chrC' "$T/${S[i]}.pan3.fa"; done >"$T/C.fa"
  for i in A B C; do rr_ok create -t 2 --pansn -b 2 -o "$T/$i.agc" "$T/$i.fa" || return 1; done
  rr_ok merge --by-contig -t 2 -o "$T/m.agc" "$T/C.agc" "$T/A.agc" "$T/B.agc" || return 1
  local order=("${S[1]}" "${S[3]}" "${S[5]}" "${S[0]}" "${S[2]}" "${S[4]}" "${S[6]}")
  for s in "${order[@]}"; do
    { [[ $s == "${S[1]}" || $s == "${S[3]}" || $s == "${S[5]}" ]] && records_named '#chrC' "$T/$s.pan3.fa"
      records_named '#chrA' "$T/$s.pan3.fa"
      records_named '#chrB' "$T/$s.pan3.fa"; } >"$T/$s.want.fa"
  done
  for s in "${order[@]}"; do fasta_view case 80 "$T/$s.want.fa"; done >"$T/want.col"
  rr_ok getcol "$T/m.agc" || return 1
  assert_same_file "$T/want.col" "$OUT" "getcol: samples in order of first appearance, contigs in input order" || return 1
  for s in "${order[@]}"; do
    rr_ok getset --original "$T/m.agc" "$s#1" || return 1
    assert_same_file "$T/$s.want.fa" "$OUT" "getset --original $s#1" || return 1
  done
  if [[ -n ${RAGC_AGC:-} ]]; then
    need_agc || return 1
    agc_run getcol "$T/m.agc"
    ((AGC_RC == 0)) || { fail "agc getcol exited $AGC_RC: $(head -n 3 "$T/agc.err")"; return 1; }
    assert_same_file "$T/want.col" "$T/agc.out" "agc getcol of the --by-contig merge"
  else
    printf '# RAGC_AGC not set: agc does not read this merged archive\n' >&3
  fi
}

@test "merge --by-contig: a part without MD5s (--no-md5): dict M5 still samtools dict's of the PanSN files" {
  command -v samtools >/dev/null || { fail "samtools not found on PATH"; return 1; }
  pansn_shards || return 1
  rr_ok create -t 2 --pansn --no-md5 -o "$T/chrA-nomd5.agc" "$T/chrA.fa" || return 1
  rr_ok merge --by-contig -t 2 -o "$T/all.agc" "$T/chrA-nomd5.agc" "$T/chrB.agc" || return 1
  local s
  for s in "${PAN_SAMPLES[@]}"; do
    rr_ok dict "$T/all.agc" "$s#1" || return 1
    sed $'s/\tUR:[^\t]*//' "$OUT" >"$T/got.dict"
    samtools dict "$T/$s.pan.fa" | sed $'s/\tUR:[^\t]*//' >"$T/want.dict"
    assert_same_file "$T/want.dict" "$T/got.dict" "ragc dict $s#1 vs samtools dict of its PanSN file" || return 1
  done
}

@test "merge --by-contig: a later part whose file has text before its first record is refused (docs/scale-out.md)" {
  pansn_shards || return 1
  { printf 'a preamble line\n'; cat "$T/chrB.fa"; } >"$T/chrB-pre.fa"
  rr_ok create -t 2 --pansn -o "$T/chrB-pre.agc" "$T/chrB-pre.fa" || return 1
  merge_must_fail "before its first record" --by-contig "$T/chrA.agc" "$T/chrB-pre.agc" || return 1
  # first, the preamble is the joined sample's
  rr_ok merge --by-contig -t 2 -o "$T/all.agc" "$T/chrB-pre.agc" "$T/chrA.agc" || return 1
  local s=${PAN_SAMPLES[0]}
  { printf 'a preamble line\n'; records_named '#chrB' "$T/$s.pan.fa"; records_named '#chrA' "$T/$s.pan.fa"; } >"$T/want.orig"
  rr_ok getset --original "$T/all.agc" "$s#1" || return 1
  assert_same_file "$T/want.orig" "$OUT" "getset --original $s#1 (its chrB file had a preamble)"
}

@test "merge --by-contig: a contig of one sample in two inputs fails; without --by-contig a shared sample fails" {
  pansn_shards || return 1
  merge_must_fail "#chrA" --by-contig "$T/chrA.agc" "$T/chrA.agc" || return 1
  merge_must_fail "${PAN_SAMPLES[0]}#1" "$T/chrA.agc" "$T/chrB.agc"
}

@test "create --like --pansn: PanSN shards of a PanSN base, merged: every sample exact" {
  local f s
  PAN_SAMPLES=()
  for f in "${HS[@]:0:6}"; do
    s=$(sample_name_of "$f")
    pansn_split "$s" "$f" "$T/$s.pan.fa"
    PAN_SAMPLES+=("$s")
  done
  cat "$T/${PAN_SAMPLES[0]}.pan.fa" "$T/${PAN_SAMPLES[1]}.pan.fa" >"$T/base.fa"
  cat "$T/${PAN_SAMPLES[2]}.pan.fa" "$T/${PAN_SAMPLES[3]}.pan.fa" >"$T/shard1.fa"
  cat "$T/${PAN_SAMPLES[4]}.pan.fa" "$T/${PAN_SAMPLES[5]}.pan.fa" >"$T/shard2.fa"
  rr_ok create -t 2 --pansn -o "$T/base.agc" "$T/base.fa" || return 1
  rr_ok create -t 2 --pansn --like "$T/base.agc" -o "$T/s1.agc" "$T/shard1.fa" || return 1
  rr_ok create -t 2 --pansn --like "$T/base.agc" -o "$T/s2.agc" "$T/shard2.fa" || return 1
  rr_ok merge -t 2 -o "$T/m.agc" "$T/base.agc" "$T/s1.agc" "$T/s2.agc" || return 1
  printf '%s#1\n' "${PAN_SAMPLES[@]}" | LC_ALL=C sort >"$T/want.sets"
  rr_ok listset "$T/m.agc" || return 1
  assert_same_file "$T/want.sets" "$OUT" "listset of the merged PanSN shards" || return 1
  for s in "${PAN_SAMPLES[@]}"; do fasta_view case 80 "$T/$s.pan.fa"; done >"$T/want.col"
  rr_ok getcol "$T/m.agc" || return 1
  assert_same_file "$T/want.col" "$OUT" "getcol of the merged PanSN shards vs the PanSN files" || return 1
  for s in "${PAN_SAMPLES[@]}"; do
    rr_ok getset --original "$T/m.agc" "$s#1" || return 1
    assert_same_file "$T/$s.pan.fa" "$OUT" "getset --original $s#1 vs its PanSN records" || return 1
  done
  # a sample of the base in a shard is refused
  rr_fail create -t 2 --pansn --like "$T/base.agc" -o "$T/x.agc" "$T/${PAN_SAMPLES[1]}.pan.fa" || return 1
  stderr_has "${PAN_SAMPLES[1]}#1"
  [[ ! -e $T/x.agc ]] || fail "the refused create --like left $T/x.agc"
}

# ---------------------------------------------------------------- inputs written by agc

@test "merge: agc 3.0/3.1 archives (wrong stored segment lengths for appended samples) merged: lengths and ranges right" {
  local id s f len seq bad=()
  rr_ok create -t 2 -o "$T/ind.agc" "${HS[@]:7:2}" || return 1
  for id in v3.0-hsmt-append v3.1-hsmt-append; do
    need_data "compat/archives/$id.agc"
    rr_ok merge -t 2 -o "$T/m.agc" "$(data_path "compat/archives/$id.agc")" "$T/ind.agc" || return 1
    # agc wrote these samples: agc's upper-case view, no original form
    for f in "${HS[@]:0:5}"; do
      s=$(sample_name_of "$f")
      rr_ok getset "$T/m.agc" "$s" || return 1
      fasta_view upper 80 "$f" | cmp -s - "$OUT" || bad+=("$id: getset $s differs from the upper-case view of $f")
      seq=$(fasta_record "$f" "$s")
      len=${#seq}
      rr_ok dict "$T/m.agc" "$s" || return 1
      [[ $output == *$'\tSN:'"$s"$'\tLN:'"$len"$'\t'* ]] ||
        bad+=("$id: dict $s: expected LN:$len, got: $(grep '^@SQ' "$OUT" | cut -f2-3 | tr '\t' ' ')")
      rr_ok getctg "$T/m.agc" "$s@$s:10000-10099" || return 1
      [[ $output == ">$s:10000-10099"$'\n'"${seq:10000:80}"$'\n'"${seq:10080:20}" ]] ||
        bad+=("$id: getctg $s@$s:10000-10099 differs from bases 10000..10099 of $f")
    done
    check_samples_subset "$T/m.agc" "${HS[@]:7:2}" || return 1
  done
  ((${#bad[@]} == 0)) || fail "$(printf '%s\n' "${bad[@]}")"
}
