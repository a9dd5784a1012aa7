#!/usr/bin/env bats
# A command line that helps (issue 18, docs/cli.md "Where ragc differs from
# agc"): options named as unknown, faidx finding a contig outside the
# reference, standard input as the reference and --sample, warnings for the
# ranges agc prints silently, help texts, -i messages, silence on a closed
# pipe, messages naming the right cause, getcol file names for names with
# '/', outputs that are inputs refused, ragc's own provenance.
#
#   RAGC=/abs/path/ragc bats bats/cli-polish.bats      (make check sets RAGC)
#
# Expected values come from the FASTA inputs written here or in data/toy,
# and from the messages the issue asked for (docs/cli.md), never from ragc.

load cli-helpers

bats_require_minimum_version 1.5.0

setup() {
  cli_init
  HSMT=$(data_path compat/archives/hsmt.agc)
  REF=$TOYDATA/ref.fa
}

# rr_in FILE ARGS...: rr with standard input read from FILE.
rr_in() {
  local in=$1
  shift
  OUT=$T/rr.out ERR=$T/rr.err status=0
  timeout -k 5 "$CLI_TIMEOUT" "$RAGC" "$@" <"$in" >"$OUT" 2>"$ERR" || status=$?
  output=$(cat "$OUT")
  stderr=$(cat "$ERR")
  RR_CMD=$(cli_quote ragc "$@")" < $in"
  cli_no_sanitizer "$ERR"
}

# assert_stderr TEXT: the whole stderr of the last run is TEXT (one line).
assert_stderr() {
  [[ $stderr == "$1" ]] || fail "stderr of $RR_CMD:"$'\n'"$stderr"$'\n'"expected:"$'\n'"$1"
}

# pansn_fa FILE: two PanSN samples; HG002#1#tig00000005 only in the second.
pansn_fa() {
  printf '>HG001#1#tig1\nACGTACGTAAAACCCGGGTTT\n>HG001#1#tig2\nACGTTTTT\n>HG002#1#tig00000005\nACGTACGTAAAACCCGGGTTTACGT\n' >"$1"
}

# ================================================================ 1. unknown options

@test "polish 1: an option a command does not take is named as unknown" {
  rr_fail listset -t 4 "$TOY"
  assert_stderr "ragc listset: unknown option -t (see ragc listset -h)"
  rr_fail faidx -g 6 "$TOY"
  assert_stderr "ragc faidx: unknown option -g (see ragc faidx -h)"
  rr_fail import -o "$T/x.agc" "$T/x.agc" "$REF"
  assert_stderr "ragc import: unknown option -o (see ragc import -h)"
  rr_fail getset --bogus=3 "$TOY" a
  assert_stderr "ragc getset: unknown option --bogus (see ragc getset -h)"
  # an option it takes, without its value
  rr_fail getset "$TOY" a -o
  assert_stderr "ragc getset: option -o needs a value"
  rr_fail faidx "$TOY" --sample
  assert_stderr "ragc faidx: option --sample needs a value"
  [[ ! -e $T/x.agc ]] || fail "import -o created $T/x.agc"
}

# ================================================================ 2. faidx outside the reference

@test "polish 2: faidx without -s finds a contig the reference lacks in the one sample that has it" {
  pansn_fa "$T/pan.fa"
  rr_ok import --pansn "$T/p.agc" "$T/pan.fa"
  rr_ok faidx "$T/p.agc" 'HG002#1#tig00000005:1-10' 'HG001#1#tig2' 'HG002#1#tig00000005:20-25'
  [[ $output == $'>HG002#1#tig00000005:1-10\nACGTACGTAA\n>HG001#1#tig2\nACGTTTTT\n>HG002#1#tig00000005:20-25\nTTACGT' ]] ||
    fail "faidx output:"$'\n'"$output"
}

@test "polish 2: a faidx miss says where it looked" {
  pansn_fa "$T/pan.fa"
  rr_ok import --pansn "$T/p.agc" "$T/pan.fa"
  rr_fail faidx "$T/p.agc" 'nope:1-3'
  assert_stderr "ragc faidx: failed to fetch sequence in nope:1-3: no such contig in the reference HG001#1 nor in any other sample of the archive"
  rr_fail faidx -s 'HG001#1' "$T/p.agc" 'HG002#1#tig00000005:1-10'
  assert_stderr "ragc faidx: failed to fetch sequence in HG002#1#tig00000005:1-10: no such contig in sample HG001#1"
  # in two samples other than the reference: ambiguous
  printf '>x\nACGT\n' >"$T/r.fa"
  printf '>tig9\nAAAA\n' >"$T/s1.fa"
  printf '>tig9\nCCCC\n' >"$T/s2.fa"
  rr_ok create -o "$T/amb.agc" "$T/r.fa" "$T/s1.fa" "$T/s2.fa"
  rr_fail faidx "$T/amb.agc" tig9
  assert_stderr "ragc faidx: failed to fetch sequence in tig9: not in the reference r, and in more than one other sample; name one with -s"
  rr_ok faidx -s s2 "$T/amb.agc" tig9
  [[ $output == $'>tig9\nCCCC' ]] || fail "faidx -s s2: $output"
}

# ================================================================ 3. standard input

@test "polish 3: standard input as the reference is spooled to a temporary file, then removed" {
  mkdir "$T/tmp"
  TMPDIR=$T/tmp rr_in "$REF" create -o "$T/s.agc" - "$TOYDATA/a.fa"
  ((status == 0)) || fail "create - failed: $stderr"
  rr_ok listset "$T/s.agc"
  [[ $output == $'-\na' ]] || fail "samples: $output"
  rr_ok getset --original "$T/s.agc" -
  assert_out_file "$REF"
  [[ -z $(ls -A "$T/tmp") ]] || fail "left in TMPDIR: $(ls -A "$T/tmp")"
  # a failure after the spooling removes it too (FASTQ is refused)
  printf '@r1\nACGT\n+\nIIII\n' >"$T/x.fq"
  TMPDIR=$T/tmp rr_in "$T/x.fq" create -o "$T/f.agc" -
  cli_check_failed create
  [[ -z $(ls -A "$T/tmp") ]] || fail "left in TMPDIR after a failure: $(ls -A "$T/tmp")"
  [[ ! -e $T/f.agc ]] || fail "a failed create wrote $T/f.agc"
}

@test "polish 3: --sample names the sample of standard input, or of the only input" {
  rr_in "$REF" create --sample REF -o "$T/s.agc" - "$TOYDATA/a.fa"
  ((status == 0)) || fail "create --sample failed: $stderr"
  rr_ok listset "$T/s.agc"
  [[ $output == $'REF\na' ]] || fail "samples: $output"
  rr_in "$TOYDATA/b.fa" append --sample Wuhan/Hu-1/2019 -o "$T/s2.agc" "$T/s.agc" "$TOYDATA/c.fa" -
  ((status == 0)) || fail "append --sample failed: $stderr"
  rr_ok listset "$T/s2.agc"
  [[ $output == $'REF\nWuhan/Hu-1/2019\na\nc' ]] || fail "samples: $output"
  rr_ok create --sample ONE -o "$T/one.agc" "$TOYDATA/a.fa"
  rr_ok listset "$T/one.agc"
  [[ $output == ONE ]] || fail "samples: $output"
  rr_fail create --sample ONE -o "$T/two.agc" "$REF" "$TOYDATA/a.fa"
  assert_stderr "ragc create: --sample names the sample of standard input (-) or of a single input; here there are 2 inputs and none is -"
  rr_fail import --pansn --sample X "$T/p.agc" "$REF"
  assert_stderr "ragc import: --sample cannot be used with --pansn: the records name the samples"
}

@test "polish 3: cat PANSN.fa | ragc import --pansn new.agc - works" {
  pansn_fa "$T/pan.fa"
  rr_in "$T/pan.fa" import --pansn "$T/new.agc" -
  ((status == 0)) || fail "import --pansn - failed: $stderr"
  rr_ok listset "$T/new.agc"
  [[ $output == $'HG001#1\nHG002#1' ]] || fail "samples: $output"
  rr_ok getctg "$T/new.agc" 'HG002#1#tig00000005'
  [[ $output == $'>HG002#1#tig00000005\nACGTACGTAAAACCCGGGTTTACGT' ]] || fail "getctg: $output"
}

# ================================================================ 4. ranges agc prints silently

@test "polish 4: getctg warns on stderr for ranges agc prints silently; stdout and exit status as agc" {
  # chr1 of ref.fa: AGCTAGCTAGCTAGCT (16 bases)
  rr_ok getctg "$TOY" chr1@ref:100-200
  [[ $output == '>chr1:100-200' ]] || fail "stdout: $output"
  assert_stderr "ragc getctg: warning: chr1@ref:100-200 starts after the end of chr1 (16 bases, 0-based positions 0-15): the record is empty"
  rr_ok getctg "$TOY" chr1@ref:2-100
  [[ $output == $'>chr1:2-100\nCTAGCTAGCTAGCT' ]] || fail "stdout: $output"
  assert_stderr "ragc getctg: warning: chr1@ref:2-100 ends after the end of chr1 (16 bases): only 2-15 printed"
  rr_ok getctg "$TOY" chr1@ref:10-5
  [[ $output == $'>chr1\nAGCTAGCTAGCTAGCT' ]] || fail "stdout: $output"
  assert_stderr "Warning: End of range (5) is prior to start of range (10) so changed to whole contig"
  rr_ok getctg "$TOY" chr1@ref:1,000-1,010
  [[ $output == $'>chr1:1-1\nG' ]] || fail "stdout: $output"
  assert_stderr "ragc getctg: warning: the range of chr1@ref:1,000-1,010 is read as 1-1: a number ends at its first character that is not a digit (no commas in numbers)"
  # not a range at all: a contig name that does not exist (exit 1)
  rr_fail getctg "$TOY" chr1@ref:abc
  [[ -z $output ]] || fail "stdout: $output"
  assert_stderr "ragc getctg: there is no sample:contig pair: ref:abc : chr1 (a range is CONTIG[@SAMPLE]:FROM-TO, 0-based, inclusive)"
  rr_fail getctg "$TOY" chr2:abc
  assert_stderr "ragc getctg: there is no contig: chr2:abc (a range is CONTIG[@SAMPLE]:FROM-TO, 0-based, inclusive)"
  rr_fail getctg "$TOY" nosuch:abc
  assert_stderr "ragc getctg: there is no contig: nosuch:abc"
}

# ================================================================ 5. help

@test "polish 5: help texts match behaviour" {
  rr_ok info -h
  [[ $output == *"-o FILE   output to FILE [standard error, as agc]"* ]] || fail "info -h: $output"
  [[ $output == *"-v INT"* ]] || fail "info -h lacks -v: $output"
  rr_ok getset -h
  local getset=$output
  rr_ok getctg -h
  local getctg=$output
  rr_ok getcol -h
  [[ $getset != "$output" && $getctg != "$output" && $getset != "$getctg" ]] || fail "getset, getctg and getcol share a help text"
  [[ $getset != *"-r "* && $getctg != *"--original"* ]] || fail "getset/getctg -h list getcol's options"
  [[ $getctg == *"0-based"* && $getctg == *"faidx regions are 1-based"* ]] || fail "getctg -h: $getctg"
  rr_ok faidx -h
  [[ $output == *"1-based"* ]] || fail "faidx -h: $output"
  rr_ok create -h
  local create=$output
  rr_ok help create
  [[ $output == "$create" ]] || fail "ragc help create differs from ragc create -h"
  rr_ok import -h
  local o
  for o in "-a  " "-f FLOAT" "-d  " "--sample NAME"; do
    [[ $output == *"   $o"* ]] || fail "import -h lacks $o:"$'\n'"$output"
  done
  rr help nosuch
  ((status == 1)) && [[ $stderr == "ragc: unknown command 'nosuch'"* ]] || fail "ragc help nosuch: $status $stderr"
}

# ================================================================ 6. -i

@test "polish 6: -i without a reference says the reference comes first; a missing list is not 'out of memory'" {
  printf '%s\n' "$TOYDATA/a.fa" >"$T/list"
  rr_fail create -o "$T/x.agc" -i "$T/list"
  assert_stderr "ragc create: no reference file name: the reference comes first on the command line, -i adds the files after it (ragc create [options] <ref.fa> [-i LIST] [<in1.fa> ...])"
  rr_fail create -o "$T/x.agc" -i "$T/nolist" "$REF"
  assert_stderr "ragc create: cannot open the list $T/nolist: No such file or directory"
  rr_ok create -o "$T/x.agc" -i "$T/list" "$REF"
  rr_ok listset "$T/x.agc"
  [[ $output == $'a\nref' ]] || fail "samples: $output"
}

# ================================================================ 7. closed pipe

@test "polish 7: a closed standard output is no error: silent, ended by SIGPIPE (141) as samtools" {
  local c st
  # more than a pipe's buffer, so the write after head's exit fails
  for c in "getcol $HSMT" "getcol -t 1 $HSMT"; do
    # shellcheck disable=SC2086
    timeout -k 5 "$CLI_TIMEOUT" "$RAGC" $c 2>"$T/err" | head -c 1 >/dev/null
    st=${PIPESTATUS[0]}
    ((st == 141)) || fail "ragc $c | head: exit $st, want 141"
    [[ ! -s $T/err ]] || fail "ragc $c | head printed: $(head -n 3 "$T/err")"
  done
  for _ in $(seq 1 2000); do echo HG00140; done >"$T/regions"
  timeout -k 5 "$CLI_TIMEOUT" "$RAGC" faidx -r "$T/regions" "$HSMT" 2>"$T/err" | head -c 1 >/dev/null
  st=${PIPESTATUS[0]}
  ((st == 141)) || fail "ragc faidx | head: exit $st, want 141"
  [[ ! -s $T/err ]] || fail "ragc faidx | head printed: $(head -n 3 "$T/err")"
}

# ================================================================ 8. messages naming the cause

@test "polish 8: appending a sample already in the archive says so" {
  rr_fail append -o "$T/o.agc" "$TOY" "$REF"
  [[ $stderr == *"sample ref is already in the archive $TOY"* ]] || fail "stderr: $stderr"
  [[ $stderr != *"given twice"* ]] || fail "stderr: $stderr"
}

@test "polish 8: append with the FASTA first names the file and claims nothing about standard output" {
  rr_fail append "$TOYDATA/a.fa" "$TOY"
  [[ $stderr == *"ragc append: cannot read archive '$TOYDATA/a.fa': "*"(the archive comes first: ragc append [options] <in.agc> [<in1.fa> ...])"* ]] ||
    fail "stderr: $stderr"
  [[ $stderr != *incomplete* ]] || fail "stderr: $stderr"
  [[ ! -s $OUT ]] || fail "append wrote $(stat -c %s "$OUT") bytes to standard output"
}

@test "polish 8: a missing input file is 'No such file or directory'" {
  rr_fail create -o "$T/x.agc" "$REF" "$T/nosuch.fa"
  assert_stderr "ragc create: cannot open $T/nosuch.fa: No such file or directory"
  rr_fail append -o "$T/x.agc" "$TOY" "$T/nosuch.fa"
  assert_stderr "ragc append: cannot open $T/nosuch.fa: No such file or directory"
  [[ ! -e $T/x.agc ]] || fail "$T/x.agc written"
}

# ================================================================ 9. getcol -o DIR and '/'

@test "polish 9: getcol -o DIR writes names with '/' and '%' as %2F and %25" {
  printf '>Wuhan/Hu-1/2019 c1\nACGTACGTAA\n>a%%2Fb c1\nGGGGCCCC\n>a/b c1\nTTTTAAAA\n' >"$T/multi.fa"
  rr_ok create -c -o "$T/m.agc" "$T/multi.fa"
  mkdir "$T/out"
  rr_ok getcol -o "$T/out" "$T/m.agc"
  local got
  got=$(cd "$T/out" && ls | sort | tr '\n' ' ')
  [[ $got == "Wuhan%2FHu-1%2F2019.fa a%252Fb.fa a%2Fb.fa " ]] || fail "files: $got"
  [[ $(cat "$T/out/Wuhan%2FHu-1%2F2019.fa") == $'>Wuhan/Hu-1/2019 c1\nACGTACGTAA' ]] || fail "$(cat "$T/out/Wuhan%2FHu-1%2F2019.fa")"
  [[ $(cat "$T/out/a%252Fb.fa") == $'>a%2Fb c1\nGGGGCCCC' ]] || fail "$(cat "$T/out/a%252Fb.fa")"
  [[ $(cat "$T/out/a%2Fb.fa") == $'>a/b c1\nTTTTAAAA' ]] || fail "$(cat "$T/out/a%2Fb.fa")"
}

# ================================================================ 11. outputs that are inputs

@test "polish 11: an output that is one of the inputs is refused, also through links" {
  cp "$TOY" "$T/a.agc"
  local before
  before=$(md5_of "$T/a.agc")
  rr_fail getset -o "$T/a.agc" "$T/a.agc" a
  assert_stderr "ragc getset: the output $T/a.agc is the input $T/a.agc: refusing to overwrite it"
  ln -s "$T/a.agc" "$T/sym.agc"
  ln "$T/a.agc" "$T/hard.agc"
  rr_fail listset -o "$T/sym.agc" "$T/a.agc"
  assert_stderr "ragc listset: the output $T/sym.agc is the input $T/a.agc: refusing to overwrite it"
  rr_fail faidx -o "$T/hard.agc" "$T/a.agc"
  rr_fail dict -o "$T/a.agc" "$T/sym.agc"
  rr_fail getctg -o "$T/a.agc" "$T/a.agc" chr1@ref
  rr_fail append -o "$T/sym.agc" "$T/a.agc" "$TOYDATA/b.fa"
  [[ $(md5_of "$T/a.agc") == "$before" ]] || fail "the archive changed"
  cp "$REF" "$T/ref.fa"
  rr_fail create -o "$T/ref.fa" "$T/ref.fa" "$TOYDATA/a.fa"
  assert_stderr "ragc create: the output $T/ref.fa is the input $T/ref.fa: refusing to overwrite it"
  cmp -s "$REF" "$T/ref.fa" || fail "create -o REF REF changed the reference"
  no_litter "$T"
}

# ================================================================ 12. provenance

@test "polish 12: archives written by ragc name ragc as their producer; agc's file version stays" {
  local ver
  ver=$(sed -n 's/^#define RAGC_VERSION "\(.*\)"/\1/p' "$REPO/include/ragc.h")
  [[ $ver =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)$ ]] || fail "RAGC_VERSION '$ver' is not MAJOR.MINOR.PATCH"
  rr_ok create -o "$T/p.agc" "$REF" "$TOYDATA/a.fa"
  rr_ok info -v 1 -o "$T/info" "$T/p.agc"
  local want
  want=$(printf '%s\n' "File type info:" \
    "  comment : ragc $ver (AGC archive format 3.0, the layout of agc 3.2.2)" \
    "  file_version_major : 3" "  file_version_minor : 0" "  producer : ragc" \
    "  producer_version_build : ${BASH_REMATCH[3]}" "  producer_version_major : ${BASH_REMATCH[1]}" \
    "  producer_version_minor : ${BASH_REMATCH[2]}")
  [[ $(sed -n '/^File type info:/,$p' "$T/info") == "$want" ]] || fail "info -v 1:"$'\n'"$(cat "$T/info")"
}
