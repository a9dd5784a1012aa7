#!/usr/bin/env bats
# `ragc dict ARCHIVE [SAMPLE...]`: what `samtools dict` prints for each
# sample's FASTA, with UR the sample's agc: URL.
#
# Every expected value is `samtools dict` run on the INPUT FASTA a sample was
# made from (never on ragc's output); UR fields are removed from both sides
# (samtools writes UR:file://INPUT) except where -u sets the same UR on both.
# Two documented exceptions (docs/cli.md, `dict`):
#   - a record with an empty header is stored as unnamed-K (docs/cli.md,
#     create): the expected side gets the same rename of its input header;
#   - samtools.dict.fa's chr9_whitespace holds control bytes (0x02, 0x12) in
#     its sequence lines, which ragc keeps as bases and samtools dict drops:
#     that contig has its own test: its M5 is samtools' (SAM's M5 rule
#     leaves them out), its LN counts them (they are bases of the archive).
#
#   RAGC=/abs/path/ragc bats bats/dict.bats      (make check sets RAGC)
#   RAGC_SHARED=/path/to/shared  the extended data (senterica-10; skipped without it)

load cli-helpers
bats_require_minimum_version 1.5.0

# Contigs whose expected line is not samtools dict's (see above), as SAMPLE/NAME.
KNOWN_CONTROL_BYTES=samtools.dict/chr9_whitespace

setup_file() {
  data_roots_init || return 1
  RAGC=${RAGC:-$BATS_TEST_DIRNAME/../ragc}
  [[ $RAGC == /* ]] || RAGC=$PWD/$RAGC
  local edge
  edge=$(data_path data/fasta-edge)
  # one archive of every fasta-edge file (samtools indexes each of them)
  (cd "$edge" && "$RAGC" create -o "$BATS_FILE_TMPDIR/edge.agc" ./*.fa ./*.fasta) ||
    { echo "cannot create the fasta-edge archive" >&2; return 1; }
}

setup() {
  data_roots_init || return 1
  RAGC=${RAGC:-$BATS_TEST_DIRNAME/../ragc}
  [[ $RAGC == /* ]] || RAGC=$PWD/$RAGC
  if [[ ! -x $RAGC ]]; then
    fail "binary under test not found or not executable: RAGC=$RAGC"
    return 1
  fi
  command -v samtools >/dev/null || { fail "samtools not found on PATH"; return 1; }
  EDGE=$(data_path data/fasta-edge)
  EDGE_AGC=$BATS_FILE_TMPDIR/edge.agc
  T=$BATS_TEST_TMPDIR
}

# no_ur: a dictionary on stdin without its UR fields.
no_ur() {
  sed $'s/\tUR:[^\t]*//'
}

# unnamed_headers FILE: FILE with every empty header (">" and blanks) named
# unnamed-K, K its record number, as ragc create stores it.
unnamed_headers() {
  LC_ALL=C awk '/^>/ { k++; if ($0 ~ /^>[ \t\r\v\f]*$/) { print ">unnamed-" k; next } } { print }' "$1"
}

# expected_dict [--keep-ur] FILE [OPTION...]: samtools dict of input FILE
# (with the unnamed-K rename), UR removed unless --keep-ur.
expected_dict() {
  local keep=
  [[ $1 == --keep-ur ]] && { keep=1; shift; }
  local f=$1
  shift
  unnamed_headers "$f" > "$T/expected-input.fa"
  if [[ $keep ]]; then
    samtools dict "$@" "$T/expected-input.fa"
  else
    samtools dict "$@" "$T/expected-input.fa" | no_ur
  fi
}

# without_known CONTIGS...: stdin without the @SQ lines of the named contigs.
without_known() {
  local pattern=x^ n
  for n in "$@"; do
    pattern+="|"$'\t'"SN:$n"$'\t'
  done
  grep -Ev "$pattern" || true
}

@test "dict: every fasta-edge sample equals samtools dict of its input (UR aside)" {
  local f s failed=() n=0
  for f in "$EDGE"/*.fa "$EDGE"/*.fasta; do
    s=$(basename "${f%.*}")
    run "$RAGC" dict "$EDGE_AGC" "$s"
    if [[ $status -ne 0 ]]; then
      failed+=("$s: exit $status: $output")
      continue
    fi
    local known=()
    [[ ${KNOWN_CONTROL_BYTES%%/*} == "$s" ]] && known=("${KNOWN_CONTROL_BYTES#*/}")
    if ! diff <(printf '%s\n' "$output" | no_ur | without_known "${known[@]}") \
              <(expected_dict "$f" | without_known "${known[@]}") > "$T/diff"; then
      failed+=("$s: $(head -4 "$T/diff")")
    fi
    n=$((n + 1))
  done
  [[ $n -ge 20 ]] || fail "only $n fasta-edge samples compared"
  if ((${#failed[@]})); then
    printf '%s\n' "${failed[@]}"
    fail "${#failed[@]} samples differ from samtools dict"
  fi
}

@test "dict: the exceptions of the fasta-edge comparison are real (unnamed-K, control bytes)" {
  # the rename is needed: samtools prints an empty SN for htslib.faidx.faidx.fa's ">"
  run samtools dict "$EDGE/htslib.faidx.faidx.fa"
  assert_success
  assert_line --regexp $'^@SQ\tSN:\tLN:4\t'
  run "$RAGC" dict "$EDGE_AGC" htslib.faidx.faidx
  assert_success
  assert_line --regexp $'^@SQ\tSN:unnamed-1\tLN:4\tM5:'
  # the control-byte contig is the only line left out, and it is there
  run "$RAGC" dict "$EDGE_AGC" samtools.dict
  assert_success
  assert_equal "$(printf '%s\n' "$output" | grep -c $'\tSN:chr9_whitespace\t')" 1
}

@test "dict: a contig with control bytes in its sequence lines: samtools' M5, LN counting them" {
  # samtools dict (and SAM's M5 rule) drops bytes outside '!'..'~'; ragc keeps
  # 0x02 and 0x12 of chr9_whitespace as bases (N to agc, the bytes in the
  # original form), so its LN counts them, while its M5 follows the rule
  local want_m5 want_ln
  want_m5=$(samtools dict "$EDGE/samtools.dict.fa" | grep $'\tSN:chr9_whitespace\t' | grep -o 'M5:[0-9a-f]*')
  # LN: the record's sequence bytes without line ends and blanks (' ' \t \v \f \r)
  want_ln=$(python3 -c '
import sys
d = open(sys.argv[1], "rb").read().split(b">chr9_whitespace\n")[1].split(b"\n>")[0]
print(sum(1 for c in d if c not in b" \t\x0b\x0c\r\n"))' "$EDGE/samtools.dict.fa")
  [[ -n $want_m5 && $want_ln -gt 0 ]] || fail "cannot compute the expected values"
  run "$RAGC" dict "$EDGE_AGC" samtools.dict
  assert_success
  assert_line --regexp $'^@SQ\tSN:chr9_whitespace\tLN:'"$want_ln"$'\t'"$want_m5"$'\t'
}

@test "dict: soft-masked samples hash their upper-cased bases (as samtools dict)" {
  local f s
  for s in pyfaidx.chr17.hg19.part minimap2.MT-human samtools.stat.test; do
    f=$(ls "$EDGE/$s".fa*)
    # the input really is soft-masked
    grep -v '^>' "$f" | grep -q '[acgt]' || fail "$f has no lower case"
    run "$RAGC" dict "$EDGE_AGC" "$s"
    assert_success
    assert_equal "$(printf '%s\n' "$output" | no_ur)" "$(expected_dict "$f")"
  done
  # stored without the original form (upper case only): the same M5s
  "$RAGC" create --no-original -o "$T/upper.agc" "$EDGE/pyfaidx.chr17.hg19.part.fa"
  run "$RAGC" dict "$T/upper.agc" pyfaidx.chr17.hg19.part
  assert_success
  assert_equal "$(printf '%s\n' "$output" | no_ur)" "$(expected_dict "$EDGE/pyfaidx.chr17.hg19.part.fa")"
}

@test "dict: -a, -s, -u, -H and their long forms as samtools dict" {
  local f=$EDGE/minimap2.MT-human.fa s=minimap2.MT-human
  run "$RAGC" dict -a GRCh38 -s 'Homo sapiens' -u 'http://example.org/mt.fa' "$EDGE_AGC" "$s"
  assert_success
  assert_equal "$output" "$(expected_dict --keep-ur "$f" -a GRCh38 -s 'Homo sapiens' -u 'http://example.org/mt.fa')"
  run "$RAGC" dict --assembly=A1 --species S1 --uri U1 --no-header "$EDGE_AGC" "$s"
  assert_success
  assert_equal "$output" "$(expected_dict --keep-ur "$f" --assembly=A1 --species S1 --uri U1 --no-header)"
  run "$RAGC" dict -H -a '' "$EDGE_AGC" "$s"
  assert_success
  assert_equal "$(printf '%s\n' "$output" | no_ur)" "$(expected_dict "$f" -H -a '')"
  run "$RAGC" dict -s X "$EDGE_AGC" bcftools.aa htslib.xx
  assert_success
  assert_equal "$(printf '%s\n' "$output" | no_ur)" \
               "$(expected_dict "$EDGE/bcftools.aa.fa" -s X; expected_dict "$EDGE/htslib.xx.fa" -s X -H)"
}

@test "dict: UR is agc:SAMPLE@ABSPATH, the sample percent-encoded, and the plugin opens it" {
  mkdir -p "$T/d"
  printf '>HG2#1#chr1 x\nACGTacgtNN\n>HG2#1#chr2\nGGCC\n>S%%a@b?#2#c\nAC\n' > "$T/pansn.fa"
  "$RAGC" create --pansn -o "$T/d/p.agc" "$T/pansn.fa"
  local abs
  abs=$(cd "$T/d" && pwd -P)/p.agc
  run bash -c 'cd "$1" && "$2" dict p.agc' _ "$T/d" "$RAGC"
  assert_success
  assert_equal "$(printf '%s\n' "$output" | grep -o $'UR:[^\t]*' | sort -u)" \
               "UR:agc:HG2%231@$abs"$'\n'"UR:agc:S%25a%40b%3F%232@$abs"
  # a symbolic link resolves to the archive itself, as samtools' realpath
  ln -s "$T/d/p.agc" "$T/link.agc"
  run "$RAGC" dict "$T/link.agc" HG2#1
  assert_success
  assert_line --index 1 --regexp $'\tUR:agc:HG2%231@'"$abs"'$'
  local plugin=${RAGC_PLUGIN_DIR:-${RAGC%/*}}/hfile_agc.so
  if [[ ! -f $plugin ]]; then
    [[ $RAGC == */san/* ]] || fail "htslib plugin not found: $plugin"
    skip "the htslib plugin is built in the plain build only (URL syntax checked above)"
  fi
  local url
  url=$(printf '%s\n' "$output" | sed -n $'2s/.*\tUR:\\([^\t]*\\).*/\\1/p')
  run env HTS_PATH="${plugin%/*}:" samtools faidx "$url" 'HG2#1#chr1'
  assert_success
  assert_output $'>HG2#1#chr1\nACGTacgtNN'
  url=$(printf '%s\n' "$("$RAGC" dict "$T/d/p.agc" 'S%a@b?#2')" | sed -n $'2s/.*\tUR:\\([^\t]*\\).*/\\1/p')
  run env HTS_PATH="${plugin%/*}:" samtools faidx "$url" 'S%a@b?#2#c'
  assert_success
  assert_output $'>S%a@b?#2#c\nAC'
}

# says_ragc_dict [TEXT]: $stderr has a line "ragc dict: ..." (holding TEXT).
says_ragc_dict() {
  printf '%s\n' "$stderr" | grep '^ragc dict: ' | grep -qF -- "${1:-ragc dict: }" ||
    fail "no 'ragc dict: ${1:-}' line on stderr: $stderr"
}

@test "dict: -o FILE; unknown samples and bad archives fail with ragc dict: and write nothing" {
  run "$RAGC" dict -o "$T/out.dict" "$EDGE_AGC" htslib.xx
  assert_success
  assert_output ''
  assert_equal "$(no_ur < "$T/out.dict")" "$(expected_dict "$EDGE/htslib.xx.fa")"

  run --separate-stderr "$RAGC" dict -o "$T/none.dict" "$EDGE_AGC" htslib.xx no-such-sample
  assert_failure
  assert_output ''
  says_ragc_dict "no-such-sample"
  [[ ! -e $T/none.dict ]] || fail "output written despite the unknown sample"
  [[ -z $(ls "$T" | grep 'none.dict') ]] || fail "temporary file left: $(ls "$T")"

  run --separate-stderr "$RAGC" dict "$EDGE_AGC" no-such-sample
  assert_failure
  assert_output ''
  says_ragc_dict

  run --separate-stderr "$RAGC" dict "$T/missing.agc"
  assert_failure
  says_ragc_dict "missing.agc"
  run --separate-stderr "$RAGC" dict "$EDGE/htslib.xx.fa"
  assert_failure
  assert_output ''
  says_ragc_dict
  run --separate-stderr "$RAGC" dict
  assert_failure
  says_ragc_dict
  run --separate-stderr "$RAGC" dict -x "$EDGE_AGC"
  assert_failure
  says_ragc_dict
  run "$RAGC" dict -h
  assert_success
  assert_line --partial "Usage: ragc dict"
}

# cases_inputs CASES ID: the input files of compat case ID in CASES (a
# cases.tsv), in order.
cases_inputs() {
  awk -F'\t' -v id="$2" '$1 == id { print $3 }' "$1" | tr ' ' '\n' | grep '^data/'
}

# check_agc_archive ID: ragc dict (all samples) of agc-written archive ID
# equals @HD + samtools dict -H of its inputs, in the order agc stored them.
check_agc_archive() {
  local id=$1 rel expected=$T/expected.dict archive cases
  need_data "compat/archives/$id.agc"
  archive=$(data_path "compat/archives/$id.agc")
  cases=${archive%/archives/*}/cases.tsv
  printf '@HD\tVN:1.0\tSO:unsorted\n' > "$expected"
  local n=0
  while read -r rel; do
    need_data "$rel"
    samtools dict -H "$(data_path "$rel")" | no_ur >> "$expected"
    n=$((n + 1))
  done < <(cases_inputs "$cases" "$id")
  [[ $n -gt 0 ]] || fail "no inputs found for $id in cases.tsv"
  run "$RAGC" dict "$archive"
  assert_success
  diff <(printf '%s\n' "$output" | no_ur) "$expected" || fail "$id: ragc dict differs from samtools dict"
  # every sample alone, too
  local s
  while read -r rel; do
    s=$(basename "$rel")
    s=${s%%.fa*}   # agc names a sample by its file name without extensions
    run "$RAGC" dict -H "$archive" "$s"
    assert_success
    assert_equal "$(printf '%s\n' "$output" | no_ur)" "$(samtools dict -H "$(data_path "$rel")" | no_ur)"
  done < <(cases_inputs "$cases" "$id")
}

@test "dict: agc-written toy.agc (M5 by decoding) equals samtools dict of its inputs" {
  check_agc_archive toy
}

@test "dict: agc-written hsmt-small.agc equals samtools dict of its 50 inputs" {
  check_agc_archive hsmt-small
}

@test "dict: senterica.agc, every sample, equals samtools dict of senterica-10" {
  need_data data/senterica-10
  check_agc_archive senterica
}

@test "dict: a ragc archive of senterica-10 equals samtools dict of its inputs" {
  need_data data/senterica-10
  local dir
  dir=$(data_path data/senterica-10)
  "$RAGC" create -t 2 -o "$T/sent.agc" "$dir"/SAL_AA7743AA.fasta.gz "$dir"/SAL_BA0010AA.fasta.gz \
    "$dir"/SAL_CA3280AA.fasta.gz
  local f
  run "$RAGC" dict "$T/sent.agc"
  assert_success
  assert_equal "$(printf '%s\n' "$output" | no_ur)" \
    "$(printf '@HD\tVN:1.0\tSO:unsorted\n'; for f in AA7743AA BA0010AA CA3280AA; do samtools dict -H "$dir/SAL_$f.fasta.gz" | no_ur; done)"
}
