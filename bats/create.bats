#!/usr/bin/env bats
# `ragc create`: round trips of every data set in data/ (getcol,
# listset and listref against the input FASTA files), rejected input, input
# forms (gzip, BGZF, stdin, CRLF, lower case, -i), thread independence and
# atomic output.
#
#   RAGC=/abs/path/ragc bats bats/create.bats
#   RAGC_SHARED=/path/to/shared                 (default: <repo>/../shared)
#
# toy, hsmt-50, hsmt-49-concat.fa and fasta-edge are in the core test data;
# the tests on senterica-10 and sarscov2-418 need the extended data (see
# data-roots.bash) and are skipped without it.
#
# Expected values come from the input FASTA files (see fasta_norm in
# create-helpers.bash), never from ragc itself.  Comparisons between two ragc
# runs (threads, gzip vs plain) are on top of that, never instead of it.

load create-helpers

bats_require_minimum_version 1.5.0

setup() {
  create_init
}

# fasta-edge files agc's input rules (--no-original) accept, and those they
# reject with the text the message must carry (the default, lossless, keeps
# them all: bats/lossless.bats) (see src/write/fasta_in.h and data/fasta-edge/INDEX.features.txt).
EDGE_OK=(
  bcftools.EDUMMY0002.fa            # a line of blanks inside the sequence
  bcftools.ENSCAFT00000047742.fa    # soft-masked, header with description
  bcftools.consensus.beyond.fa      # no final newline, ':' in names
  bcftools.consensus.overlaps.2.fa  # empty line between records
  bcftools.iupac.fa                 # all IUPAC codes
  bcftools.norm.breakend.1.fa
  htslib.ce.fa                      # 1 Mb in 7 contigs
  htslib.faidx.fastqs.2.expected.fa # lower-case IUPAC codes
  htslib.fastq.minimal.fa
  htslib.fastq.multiline.fa
  htslib.md.fa
  htslib.realn03.fa
  htslib.xx.fa
  minimap2.MT-human.fa
  minimap2.MT-orang.fa
  pyfaidx.chr17.hg19.part.fa        # one 40 kb line
  pyfaidx.genes.lower.fasta
  pyfaidx.issue_141.crlf.fasta      # CRLF
  pyfaidx.issue_83.fasta
  samtools.stat.test.fa
)
# file|text the error message must contain
EDGE_BAD=(
  "bcftools.aa.fa|'.'"
  "bcftools.norm.iupac.fa|'1'"
  "htslib.faidx.faidx.fa|empty name"
  "samtools.depad.001.fa|'*'"
  "samtools.dict.fa|0x02"
  "seqkit.a.fa|'1'"
)

# hsmt-50 in the order of the tests: HG00140 first, then the rest sorted
hsmt_files() {
  local f
  HSMT=("$DATA/hsmt-50/HG00140.fa")
  for f in "$DATA"/hsmt-50/*.fa; do
    [[ $f == */HG00140.fa ]] || HSMT+=("$f")
  done
  ((${#HSMT[@]} == 50)) || fail "expected 50 files in $DATA/hsmt-50, found ${#HSMT[@]}"
}

# senterica-10, SAL_AA7743AA first (skips the test without the extended data)
sent_files() {
  local f
  need_data data/senterica-10
  SENTF=("$SENT10/SAL_AA7743AA.fasta.gz")
  for f in "$SENT10"/*.fasta.gz; do
    [[ $f == */SAL_AA7743AA.fasta.gz ]] || SENTF+=("$f")
  done
  ((${#SENTF[@]} == 10)) || fail "expected 10 files in $SENT10, found ${#SENTF[@]}"
}

# ================================================================ 1. round trips

# The normaliser itself against agc: for archives agc 3.2.2 made from these
# inputs (compat/cases.tsv), fasta_norm of the inputs must have the size and
# md5 of agc's recorded `getcol` output.  Cases whose inputs or outputs are in
# neither data root are named in a TAP comment.
@test "create: fasta_norm of the inputs prints what agc's getcol printed" {
  local cases exp id line f files row want got
  local -a rels not_run=()
  for id in toy hsmt sarscov2-s5000 senterica edge-ok; do
    if ! have_data "compat/expected/$id/outputs.tsv"; then
      not_run+=("$id")
      continue
    fi
    exp=$(data_path "compat/expected/$id/outputs.tsv")
    cases=${exp%/expected/*}/cases.tsv
    line=$(awk -F'\t' -v id="$id" '$1 == id { print $3; exit }' "$cases")
    [[ -n $line ]] || fail "no case $id in $cases"
    rels=()
    for f in $line; do
      [[ $f == data/* ]] && rels+=("$f")
    done
    if ! have_data "${rels[@]}"; then
      not_run+=("$id")
      continue
    fi
    files=()
    for f in "${rels[@]}"; do
      files+=("$(data_path "$f")")
    done
    row=$(awk -F'\t' '$1 == "getcol {A}" { print $3 " " $4; exit }' "$exp")
    [[ -n $row ]] || fail "no 'getcol {A}' row in $exp"
    fasta_norm "${files[@]}" >"$T/norm.fa"
    got="$(stat -c %s "$T/norm.fa") $(md5_of "$T/norm.fa")"
    [[ $got == "$row" ]] || fail "fasta_norm of case $id: $got, agc's getcol: $row"
  done
  ((${#not_run[@]} == 0)) ||
    not_run_note "fasta_norm cases not run, extended data missing (set RAGC_SHARED=/path/to/shared): ${not_run[*]}"
}

@test "create: toy (ref.fa a.fa b.fa c.fa) round trip" {
  round_trip -- "$DATA/toy/ref.fa" "$DATA/toy/a.fa" "$DATA/toy/b.fa" "$DATA/toy/c.fa"
}

@test "create: toy ref2.fa alone round trip" {
  round_trip -- "$DATA/toy/ref2.fa"
}

@test "create: hsmt-50 round trip" {
  hsmt_files
  round_trip -- "${HSMT[@]}"
}

@test "create: sarscov2-418 (-s 5000, gzip inputs) round trip" {
  need_data data/sarscov2-418
  local f files=("$SARS/Wuhan_Hu-1_2019.fa.gz")
  for f in "$SARS"/*.fa.gz; do
    [[ $f == */Wuhan_Hu-1_2019.fa.gz ]] || files+=("$f")
  done
  ((${#files[@]} == 418)) || fail "expected 418 files in $SARS, found ${#files[@]}"
  round_trip -s 5000 -- "${files[@]}"
}

@test "create: senterica-10 (gzip inputs) round trip" {
  sent_files
  round_trip -- "${SENTF[@]}"
}

@test "create: hsmt-49-concat.fa is one sample of 49 contigs" {
  round_trip -- "$DATA/hsmt-49-concat.fa"
  rr_ok listctg "$T/rt.agc" hsmt-49-concat
  local want
  want=$(grep -c '^>' "$DATA/hsmt-49-concat.fa")
  ((want == 49)) || fail "hsmt-49-concat.fa holds $want records, not 49"
  # listctg prints the sample name, then its contigs
  assert_equal "$(grep -c . "$OUT")" $((want + 1))
}

@test "create: fasta-edge files are all classified (accepted or rejected)" {
  local f b e known
  for f in "$DATA"/fasta-edge/*; do
    b=${f##*/}
    [[ $b == INDEX.features.txt ]] && continue
    known=0
    for e in "${EDGE_OK[@]}" "${EDGE_BAD[@]%%|*}"; do
      [[ $e == "$b" ]] && known=1
    done
    ((known)) || fail "fasta-edge/$b is new: add it to EDGE_OK or EDGE_BAD in create.bats"
  done
  for e in "${EDGE_OK[@]}" "${EDGE_BAD[@]%%|*}"; do
    [[ -f $DATA/fasta-edge/$e ]] || fail "reference file missing: $DATA/fasta-edge/$e"
  done
}

@test "create: every accepted fasta-edge file round trips as its own archive" {
  local e
  for e in "${EDGE_OK[@]}"; do
    round_trip -- "$DATA/fasta-edge/$e" || return 1
  done
}

@test "create: all accepted fasta-edge files in one archive" {
  local e files=()
  for e in "${EDGE_OK[@]}"; do files+=("$DATA/fasta-edge/$e"); done
  round_trip -- "${files[@]}"
}

@test "create --no-original: all accepted fasta-edge files in one archive, upper case" {
  local e files=()
  for e in "${EDGE_OK[@]}"; do files+=("$DATA/fasta-edge/$e"); done
  round_trip --no-original -- "${files[@]}"
}

@test "create --no-original: rejected fasta-edge files fail, naming the file and the cause" {
  local e f why
  for e in "${EDGE_BAD[@]}"; do
    f=${e%%|*} why=${e#*|}
    create_must_fail --no-original "$DATA/fasta-edge/$f" || return 1
    [[ $CF_ERR == *"$f"* ]] || fail "stderr does not name $f:"$'\n'"$CF_ERR"
    [[ $CF_ERR == *"$why"* ]] || fail "stderr for $f does not mention $why:"$'\n'"$CF_ERR"
  done
}

# ================================================================ 2. bad input

@test "create: a missing input file fails (as reference and as second input)" {
  create_must_fail "$T/no-such.fa"
  stderr_has no-such.fa
  create_must_fail "$DATA/toy/ref.fa" "$T/no-such.fa"
  stderr_has no-such.fa
}

@test "create: an empty (0-byte) file fails with 'no sequences'" {
  : >"$T/empty.fa"
  create_must_fail "$T/empty.fa"
  stderr_has "no sequences"
  create_must_fail "$DATA/toy/ref.fa" "$T/empty.fa"
  stderr_has "no sequences"
}

@test "create: a file of empty lines fails with 'no sequences'" {
  printf '\n\n  \n\t\r\n\n' >"$T/blank.fa"
  create_must_fail "$T/blank.fa"
  stderr_has "no sequences"
  create_must_fail "$DATA/toy/ref.fa" "$T/blank.fa"
  stderr_has "no sequences"
}

@test "create: a FASTQ file fails" {
  printf '@r1\nACGT\n+\nIIII\n@r2\nGGCC\n+\nIIII\n' >"$T/reads.fa"
  create_must_fail "$T/reads.fa"
  stderr_has reads.fa
  create_must_fail "$DATA/toy/ref.fa" "$T/reads.fa"
}

@test "create: a binary file fails" {
  head -c 1000 /bin/ls >"$T/binary.fa"
  create_must_fail "$T/binary.fa"
  stderr_has binary.fa
  create_must_fail "$DATA/toy/ref.fa" "$T/binary.fa"
}

@test "create --no-original: a record '>' with no name fails" {
  printf '>x\nACGT\n>\nACGT\n' >"$T/noname.fa"
  create_must_fail --no-original "$T/noname.fa"
  stderr_has noname.fa
  printf '>x\nACGT\n>  \nACGT\n' >"$T/blankname.fa"
  create_must_fail --no-original "$T/blankname.fa"
}

@test "create --no-original: '-' '*' and digits in a sequence fail, naming file and character" {
  local c n=0
  for c in - '*' 7 . X; do
    n=$((n + 1))
    printf '>ok\nACGT\n>bad%d\nACGTAC\nAC%sGT\n' "$n" "$c" >"$T/bad$n.fa"
    create_must_fail --no-original "$DATA/toy/ref.fa" "$T/bad$n.fa" || return 1
    [[ $CF_ERR == *"bad$n.fa"* ]] || fail "stderr does not name bad$n.fa:"$'\n'"$CF_ERR"
    [[ $CF_ERR == *"'$c'"* ]] || fail "stderr does not show the character '$c':"$'\n'"$CF_ERR"
  done
}

@test "create: input errors are not reported as a corrupt AGC archive" {
  printf '>x\nAC-GT\n' >"$T/dash.fa"
  create_must_fail --no-original "$T/dash.fa"
  [[ $CF_ERR != *"not an AGC archive"* ]] || fail "a FASTA error is reported as a bad archive:"$'\n'"$CF_ERR"
  # an input the default (lossless) rules refuse too: FASTQ
  printf '@r\nACGT\n+\nIIII\n' >"$T/reads.fa"
  create_must_fail "$T/reads.fa"
  [[ $CF_ERR == *reads.fa* ]] || fail "stderr does not name reads.fa:"$'\n'"$CF_ERR"
  [[ $CF_ERR != *"not an AGC archive"* ]] || fail "a FASTA error is reported as a bad archive:"$'\n'"$CF_ERR"
}

@test "create: the same contig name twice in one file fails" {
  printf '>chrA\nACGT\n>chrB\nGGGG\n>chrA\nTTTT\n' >"$T/dup.fa"
  create_must_fail "$DATA/toy/ref.fa" "$T/dup.fa"
  stderr_has chrA
}

@test "create: the same file given twice is one sample" {
  local a=$T/twice.agc
  create_ok "$a" "$DATA/toy/ref.fa" "$DATA/toy/a.fa" "$DATA/toy/a.fa" "$DATA/toy/ref.fa"
  check_archive "$a" "$DATA/toy/ref.fa" "$DATA/toy/a.fa"
}

@test "create: two files with the same sample name fail" {
  mkdir -p "$T/dir1" "$T/dir2"
  cp "$DATA/toy/a.fa" "$T/dir1/x.fa"
  cp "$DATA/toy/b.fa" "$T/dir2/x.fa"
  create_must_fail "$DATA/toy/ref.fa" "$T/dir1/x.fa" "$T/dir2/x.fa"
  stderr_has x
  # x.fa and x.fa.gz are the same sample name too
  gzip -c "$DATA/toy/b.fa" >"$T/dir1/x.fa.gz"
  create_must_fail "$DATA/toy/ref.fa" "$T/dir1/x.fa" "$T/dir1/x.fa.gz"
}

@test "create -a -f 0.01: adaptive mode with fall-back minimizers gives every sample back" {
  need_data data/senterica-10
  local s=$SENT10
  round_trip -a -f 0.01 -- "$s/SAL_AA7743AA.fasta.gz" "$s/SAL_BA0010AA.fasta.gz" "$s/SAL_HA8462AA.fasta.gz"
}

@test "create: -f takes a number (clamped to 0.05, as agc)" {
  create_must_fail -f abc "$DATA/toy/ref.fa"
  stderr_has -f
  create_ok "$T/f.agc" -f 0.5 "$DATA/toy/ref.fa" "$DATA/toy/a.fa"
  check_archive "$T/f.agc" "$DATA/toy/ref.fa" "$DATA/toy/a.fa"
}

@test "create -c: every record's first word is a sample; getcol gives the input back" {
  create_ok "$T/c.agc" -c "$DATA/hsmt-50/HG00140.fa" "$DATA/hsmt-49-concat.fa"
  fasta_norm "$DATA/hsmt-50/HG00140.fa" "$DATA/hsmt-49-concat.fa" >"$T/want.fa"
  rr_ok getcol "$T/c.agc"
  assert_same_file "$T/want.fa" "$OUT" "getcol of the -c archive vs the inputs"
  # sample names: the first word of every header, sorted bytewise
  grep -h '^>' "$DATA/hsmt-50/HG00140.fa" "$DATA/hsmt-49-concat.fa" | sed 's/^>//; s/[ \t\r].*//' \
    | LC_ALL=C sort >"$T/want.sets"
  rr_ok listset "$T/c.agc"
  assert_same_file "$T/want.sets" "$OUT" "listset of the -c archive"
}

@test "create -c: a sample whose records are not consecutive is an error" {
  printf '>s1 a\nACGT\n>s2 a\nACGT\n>s1 b\nACGT\n' >"$T/mixed.fa"
  create_must_fail -c "$T/mixed.fa"
  stderr_has s1
}

@test "create: -k 5 is raised to 17" {
  local a=$T/k5.agc
  create_ok "$a" -k 5 "$DATA/toy/ref.fa" "$DATA/toy/a.fa"
  check_archive "$a" "$DATA/toy/ref.fa" "$DATA/toy/a.fa"
  rr_ok info "$a"   # info prints on stderr, as agc
  [[ $stderr =~ k-mer\ length\ *:\ *17($|$'\n') ]] || fail "info does not show k-mer length 17:"$'\n'"$stderr"
}

@test "create: writing the archive to a terminal is refused" {
  script -qec true /dev/null </dev/null >/dev/null 2>&1 || skip "script(1) cannot open a pseudo-terminal here"
  local cmd s=0
  for o in "" "-o -"; do
    # shellcheck disable=SC2086
    cmd=$(printf '%q ' "$RAGC" create -t 2 $o "$DATA/toy/ref.fa")
    (cd "$T" && timeout -k 5 "$CLI_TIMEOUT" script -qec "$cmd" /dev/null) </dev/null >"$T/tty.out" 2>&1 || s=$?
    ((s != 0 && s < 124)) || fail "ragc create $o to a terminal: exit $s"
    grep -q '^ragc create: ' "$T/tty.out" || fail "no 'ragc create: ' line on the terminal:"$'\n'"$(head -c 500 "$T/tty.out")"
    (($(stat -c %s "$T/tty.out") < 400)) || fail "ragc create $o wrote $(stat -c %s "$T/tty.out") bytes to the terminal"
    [[ ! -e $T/- ]] || fail "ragc create -o - created a file named '-'"
    s=0
  done
}

@test "create: -o into a missing directory fails and creates nothing" {
  rr_fail create -t 2 -o "$T/nodir/out.agc" "$DATA/toy/ref.fa"
  stderr_has nodir
  [[ ! -e $T/nodir ]] || fail "$T/nodir was created"
}

@test "create: a failing create writes nothing on stdout when it fails early" {
  rr_fail create -t 2 "$DATA/toy/ref.fa" "$T/no-such.fa"
  [[ ! -s $OUT ]] || fail "$(stat -c %s "$OUT") bytes on stdout from a failed create"
}

# ================================================================ 3. input forms

# inputs_in DIR SUFFIX FILTER FILE...: writes FILE... (plain FASTA) into DIR as
# NAME.SUFFIX through FILTER (a command reading stdin); sets INPUTS.
inputs_in() {
  local dir=$1 suf=$2 filter=$3 f b
  shift 3
  mkdir -p "$dir"
  INPUTS=()
  for f in "$@"; do
    b=$(sample_name_of "$f")
    eval "$filter" <"$f" >"$dir/$b.$suf" || { fail "cannot write $dir/$b.$suf"; return 1; }
    INPUTS+=("$dir/$b.$suf")
  done
}

# a small but varied set: toy, several mtDNA genomes, CRLF-free edge files
form_files() {
  FORM=("$DATA/toy/ref.fa" "$DATA/toy/a.fa" "$DATA/toy/b.fa" "$DATA/toy/c.fa"
    "$DATA/hsmt-50/HG00140.fa" "$DATA/hsmt-50/HG00178.fa" "$DATA/hsmt-50/NA21097.fa"
    "$DATA/fasta-edge/bcftools.ENSCAFT00000047742.fa" "$DATA/fasta-edge/htslib.faidx.fastqs.2.expected.fa")
}

@test "create: gzip, bgzip and plain inputs give the same archive; CRLF differs in ragc-original only" {
  command -v bgzip >/dev/null || fail "bgzip (tabix) not installed"
  command -v python3 >/dev/null || fail "python3 not found (bats/agc-streams.py needs it)"
  local streams=$BATS_TEST_DIRNAME/agc-streams.py
  form_files
  local kind
  inputs_in "$T/plain" fa cat "${FORM[@]}"
  create_ok "$T/plain.agc" "${INPUTS[@]}"
  check_archive "$T/plain.agc" "${FORM[@]}"
  create_ok "$T/plain-n.agc" --no-original "${INPUTS[@]}"
  CHECK_VIEW=upper check_archive "$T/plain-n.agc" "${FORM[@]}"
  for kind in gzip bgzip crlf; do
    case $kind in
      gzip) inputs_in "$T/$kind" fa.gz "gzip -c" "${FORM[@]}" ;;
      bgzip) inputs_in "$T/$kind" fa.gz "bgzip -c" "${FORM[@]}" ;;
      crlf) inputs_in "$T/$kind" fasta "sed 's/\$/\\r/'" "${FORM[@]}" ;;
    esac
    create_ok "$T/$kind.agc" "${INPUTS[@]}"
    check_archive "$T/$kind.agc" "${FORM[@]}"
    if [[ $kind != crlf ]]; then
      # the original form is the decompressed text: nothing differs
      assert_same_file "$T/plain.agc" "$T/$kind.agc" "archive from $kind inputs"
      continue
    fi
    # the CRs are kept, in the ragc-original stream only; agc's view of the
    # archive and a --no-original archive are those of the LF inputs
    if cmp -s "$T/plain.agc" "$T/crlf.agc"; then
      fail "CRLF inputs give the archive of LF inputs: the CRs are lost"
    fi
    python3 "$streams" digest "$T/plain.agc" --without ragc-original >"$T/plain.dig" || fail "cannot read the directory of $T/plain.agc"
    python3 "$streams" digest "$T/crlf.agc" --without ragc-original >"$T/crlf.dig" || fail "cannot read the directory of $T/crlf.agc"
    [[ -s $T/plain.dig ]] || fail "empty digest of $T/plain.agc"
    assert_same_file "$T/plain.dig" "$T/crlf.dig" "streams other than ragc-original, CRLF vs LF inputs"
    rr_ok getset --original "$T/crlf.agc" ref
    assert_same_file "$T/crlf/ref.fasta" "$OUT" "getset --original of the CRLF ref"
    create_ok "$T/crlf-n.agc" --no-original "${INPUTS[@]}"
    CHECK_VIEW=upper check_archive "$T/crlf-n.agc" "${FORM[@]}"
    assert_same_file "$T/plain-n.agc" "$T/crlf-n.agc" "--no-original archive from CRLF inputs"
  done
  # really BGZF / really CRLF
  [[ $(head -c 4 "$T/bgzip/a.fa.gz" | od -An -tx1 | tr -d ' \n') == 1f8b0804 ]] || fail "bgzip output is not BGZF"
  grep -q $'\r$' "$T/crlf/ref.fasta" || fail "no CRLF in $T/crlf/ref.fasta"
}

@test "create: a BGZF reference with many blocks (senterica, recompressed)" {
  need_data data/senterica-10
  command -v bgzip >/dev/null || fail "bgzip (tabix) not installed"
  mkdir -p "$T/bgz"
  gzip -dc "$SENT10/SAL_AA7743AA.fasta.gz" | bgzip -c >"$T/bgz/SAL_AA7743AA.fa.gz"
  gzip -dc "$SENT10/SAL_BA0010AA.fasta.gz" | sed 's/$/\r/' | bgzip -c >"$T/bgz/SAL_BA0010AA.fa.gz"
  create_ok "$T/bgz.agc" "$T/bgz/SAL_AA7743AA.fa.gz" "$T/bgz/SAL_BA0010AA.fa.gz"
  check_archive "$T/bgz.agc" "$SENT10/SAL_AA7743AA.fasta.gz" "$SENT10/SAL_BA0010AA.fasta.gz"
}

# rr_stdin FILE ARGS...: rr with stdin from FILE.
rr_stdin() {
  local in=$1
  shift
  OUT=$T/rr.out ERR=$T/rr.err status=0
  timeout -k 5 "$CLI_TIMEOUT" "$RAGC" "$@" <"$in" >"$OUT" 2>"$ERR" || status=$?
  output=$(head -c 1048576 "$OUT")
  stderr=$(head -c 1048576 "$ERR")
  RR_CMD="$(cli_quote ragc "$@") < $in"
  cli_no_sanitizer "$ERR" || return 1
  ((status == 0)) || fail "expected exit 0 from: $RR_CMD"$'\n'"got exit $status; stderr:"$'\n'"$(head -n 5 "$ERR")"
}

@test "create: '-' reads a sample from stdin (plain and gzip)" {
  local t=$DATA/toy
  rr_stdin "$t/b.fa" create -t 2 -o "$T/stdin.agc" "$t/ref.fa" "$t/a.fa" - "$t/c.fa"
  fasta_norm "$t/ref.fa" "$t/a.fa" "$t/b.fa" "$t/c.fa" >"$T/want.fa"
  rr_ok getcol "$T/stdin.agc"
  assert_same_file "$T/want.fa" "$OUT" "getcol with b.fa read from stdin"
  rr_ok listset "$T/stdin.agc"
  assert_equal "$output" "$(printf '%s\n' - a c ref | LC_ALL=C sort)"
  gzip -c "$DATA/hsmt-50/HG00178.fa" >"$T/in.gz"
  rr_stdin "$T/in.gz" create -t 2 -o "$T/stdin2.agc" "$DATA/hsmt-50/HG00140.fa" -
  fasta_norm "$DATA/hsmt-50/HG00140.fa" "$DATA/hsmt-50/HG00178.fa" >"$T/want.fa"
  rr_ok getcol "$T/stdin2.agc"
  assert_same_file "$T/want.fa" "$OUT" "getcol with gzip on stdin"
}

@test "create: '-' as the reference is spooled to a temporary file (it is read twice)" {
  local status=0
  mkdir "$T/tmp"
  TMPDIR=$T/tmp timeout -k 5 "$CLI_TIMEOUT" "$RAGC" create -t 2 -o "$T/stdinref.agc" - "$DATA/toy/a.fa" \
    <"$DATA/toy/ref.fa" >"$T/out" 2>"$T/err" || status=$?
  ((status == 0)) || fail "exit $status: $(cat "$T/err")"
  [[ -z $(ls -A "$T/tmp") ]] || fail "the spooled copy was left: $(ls -A "$T/tmp")"
  run -0 "$RAGC" listset "$T/stdinref.agc"
  [[ $output == $'-\na' ]] || fail "samples: $output"
  run -0 "$RAGC" getset --original -o "$T/back.fa" "$T/stdinref.agc" -
  cmp -s "$DATA/toy/ref.fa" "$T/back.fa" || fail "the reference read from standard input did not come back"
}

@test "create --no-original: lower-case input is stored as upper case" {
  form_files
  inputs_in "$T/lower" fa "awk '!/^>/ { \$0 = tolower(\$0) } 1'" "${FORM[@]}"
  grep -q '^[acgtn]' "$T/lower/HG00140.fa" || fail "lower-casing failed"
  create_ok "$T/lower.agc" --no-original "${INPUTS[@]}"
  CHECK_VIEW=upper check_archive "$T/lower.agc" "${INPUTS[@]}"
  grep -q '^[ACGTN]' "$T/want.fa" || fail "test bug: the expected text is not upper case"
}

@test "create: lower-case input comes back lower case" {
  form_files
  inputs_in "$T/lower" fa "awk '!/^>/ { \$0 = tolower(\$0) } 1'" "${FORM[@]}"
  grep -q '^[acgtn]' "$T/lower/HG00140.fa" || fail "lower-casing failed"
  create_ok "$T/lower.agc" "${INPUTS[@]}"
  check_archive "$T/lower.agc" "${INPUTS[@]}"
  grep -q '^[acgtn]' "$T/want.fa" || fail "test bug: the expected text is not lower case"
  ! grep -q '^[ACGTN]' "$T/want.fa" || fail "test bug: upper case left in the expected text"
}

@test "create: -i LIST gives the order reference, list, rest" {
  local t=$DATA/toy
  printf '%s\n' "$t/c.fa" "  $t/b.fa" >"$T/list"
  create_ok "$T/list.agc" -i "$T/list" "$t/ref.fa" "$t/a.fa"
  check_archive "$T/list.agc" "$t/ref.fa" "$t/c.fa" "$t/b.fa" "$t/a.fa"
  # names in the list and on the command line are one sample
  printf '%s %s\n' "$t/a.fa" "$t/ref.fa" >"$T/list2"
  create_ok "$T/list2.agc" -i "$T/list2" "$t/ref.fa" "$t/c.fa" "$t/a.fa"
  check_archive "$T/list2.agc" "$t/ref.fa" "$t/a.fa" "$t/c.fa"
}

@test "create: empty records, blanks in headers and sequences, no final newline" {
  printf '>e1\n>x  two  spaces\tand tab \nAC GT\tac\n\n   \ngt\n>e2\n\n>e3\r\n>y\r\nNNNN\r\nacgu\r\n>last\nRYSWKMBDHVNU' >"$T/odd.fa"
  printf '>only-empty\n' >"$T/onlyempty.fa"
  round_trip -- "$DATA/toy/ref.fa" "$T/odd.fa" "$T/onlyempty.fa"
  # the expected text itself, as a check on fasta_view (case kept)
  assert_equal "$(sed -n 1,12p "$T/want.fa" | tail -n +9)" \
    "$(printf '>e1\n>x  two  spaces\tand tab \nACGTacgt\n>e2')"
  round_trip --no-original -- "$DATA/toy/ref.fa" "$T/odd.fa" "$T/onlyempty.fa"
  # agc's view: upper case
  assert_equal "$(sed -n 1,12p "$T/want.fa" | tail -n +9)" \
    "$(printf '>e1\n>x  two  spaces\tand tab \nACGTACGT\n>e2')"
}

@test "create: a contig longer than 80 columns wraps at 80, ranges agree" {
  # one 40 kb line in the input
  local f=$DATA/fasta-edge/pyfaidx.chr17.hg19.part.fa
  round_trip -- "$f"
  local name seq
  name=$(head -n 1 "$f" | cut -c2- | tr -d '\r')
  seq=$(grep -v '^>' "$f" | tr -d '\r\n')
  [[ $seq == *[acgt]* ]] || fail "test bug: no lower case in $f"
  rr_ok getctg -l 1000000 "$T/rt.agc" "$name@pyfaidx.chr17.hg19.part:100-30099"
  assert_equal "$(sed -n 2p "$OUT")" "${seq:100:30000}"
}

# ================================================================ 4. threads

@test "create: hsmt-50 archives are identical for -t 1, -t 2, -@ 2 and -t 3" {
  hsmt_files
  rr_ok create -t 1 -o "$T/t1.agc" "${HSMT[@]}"
  rr_ok create -t 2 -o "$T/t2.agc" "${HSMT[@]}"
  rr_ok create -@ 2 -o "$T/at2.agc" "${HSMT[@]}"
  rr_ok create -t 3 -o "$T/t3.agc" "${HSMT[@]}"
  assert_same_file "$T/t1.agc" "$T/t2.agc" "-t 2 vs -t 1"
  assert_same_file "$T/t1.agc" "$T/at2.agc" "-@ 2 vs -t 1"
  assert_same_file "$T/t1.agc" "$T/t3.agc" "-t 3 vs -t 1"
  check_archive "$T/t1.agc" "${HSMT[@]}"
}

# The reference is read once (splitters and first sample), and each file is
# read while the previous sample's jobs run, up to RAGC_READ_AHEAD_MB MiB
# held (0: only a file's first record, so the held records are dispatched
# in the middle of the file).  Neither may change the archive.
@test "create: read-ahead (RAGC_READ_AHEAD_MB 0, 1, default) and -t do not change the archive" {
  hsmt_files
  local concat=$DATA/hsmt-49-concat.fa ra t order
  [[ -f $concat ]] || fail "missing $concat"
  # a reference of 49 records; a sample of 49 records after the reference
  local -a in1=("$concat" "${HSMT[@]:0:10}") in2=("${HSMT[0]}" "$concat" "${HSMT[@]:1:9}")
  for order in 1 2; do
    local -n in=in$order
    rr_ok create -t 1 -o "$T/base$order.agc" "${in[@]}"
    for ra in 0 1 ""; do
      for t in 1 2 3; do
        RAGC_READ_AHEAD_MB=$ra rr_ok create -t "$t" -o "$T/ra$ra-t$t.agc" "${in[@]}"
        assert_same_file "$T/base$order.agc" "$T/ra$ra-t$t.agc" "inputs $order, RAGC_READ_AHEAD_MB='$ra' -t $t"
      done
    done
    check_archive "$T/base$order.agc" "${in[@]}"
    unset -n in
  done
}

@test "create: senterica-10 archives are identical for -t 1 and -t 2" {
  sent_files
  rr_ok create -t 1 -o "$T/t1.agc" "${SENTF[@]}"
  rr_ok create -t 2 -o "$T/t2.agc" "${SENTF[@]}"
  assert_same_file "$T/t1.agc" "$T/t2.agc" "-t 2 vs -t 1"
}

# ================================================================ 5. atomic output

@test "create: a second input missing leaves no archive and no temp file" {
  create_must_fail "$DATA/toy/ref.fa" "$T/missing.fa" "$DATA/toy/a.fa"
}

@test "create: a bad last input after many samples leaves no archive and no temp file" {
  sent_files
  printf '>x\nACGT-ACGT\n' >"$T/late.fa"
  create_must_fail --no-original -b 2 "${SENTF[@]}" "$T/late.fa"
  stderr_has late.fa
  # the same with an input the default (lossless) rules refuse: a contig
  # name twice in one sample
  printf '>x\nACGT\n>x\nACGT\n' >"$T/twice.fa"
  create_must_fail -b 2 "${SENTF[@]}" "$T/twice.fa"
  stderr_has twice.fa
}

@test "create: a create killed by SIGTERM leaves no archive and no temp file" {
  local d=$T/kill
  mkdir -p "$d"
  mkfifo "$T/fifo"
  # the writer end stays open, so ragc blocks reading stdin
  exec 7<>"$T/fifo"
  "$RAGC" create -t 2 -o "$d/out.agc" "$DATA/toy/ref.fa" - <"$T/fifo" >"$T/kill.out" 2>"$T/kill.err" 7>&- &
  local pid=$! i
  # wait (at most ~10 s) until ragc is blocked on stdin with its temp file open
  for ((i = 0; i < 100; i++)); do
    compgen -G "$d/out.agc.tmp.*" >/dev/null && break
    sleep 0.1
  done
  sleep 0.2
  kill -TERM "$pid"
  wait "$pid" || true
  exec 7>&-
  [[ ! -e $d/out.agc ]] || fail "a killed create left $d/out.agc"
  no_litter "$d"
}
