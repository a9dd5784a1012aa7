#!/usr/bin/env bats
# Command-line conventions of ragc (docs/cli.md): help and version, error
# exits and messages, output files (atomic -o, write errors), agc's option
# semantics (-l, -g, -t/-@, -r, -o DIR), getctg range rules, info, input
# archives left untouched, and `make install` with a program linked against
# the staged library.
#
#   RAGC=/abs/path/ragc bats bats/cli.bats      (make check sets RAGC)
#   RAGC_SHARED=/path/to/shared                 (default: <repo>/../shared)
#
# Expected values come from the fixture inputs (data/*) and agc's recorded
# outputs (compat/expected/) of the data roots (see data-roots.bash), never
# from ragc itself.  Tests on senterica.agc need the extended data and are
# skipped without it.

load cli-helpers

bats_require_minimum_version 1.5.0

setup() {
  cli_init
}

# ================================================================ help, version

@test "cli: ragc --version exits 0 and names ragc and htslib" {
  rr_ok --version
  [[ $output$stderr == *ragc* ]] || fail "--version does not mention ragc: $output"
  [[ $output$stderr == *htslib* ]] || fail "--version does not mention htslib: $output"
}

@test "cli: ragc alone exits non-zero with usage on stderr" {
  rr
  ((status != 0)) || fail "ragc without arguments exited 0"
  ((status < 126)) || fail "ragc without arguments exited $status"
  [[ $stderr == *Usage* ]] || fail "no Usage on stderr: $stderr"
}

@test "cli: unknown command exits non-zero with a message" {
  rr frobnicate "$TOY"
  ((status != 0)) || fail "unknown command exited 0"
  ((status < 126)) || fail "unknown command exited $status"
  [[ $stderr == *frobnicate* ]] || fail "stderr does not name the unknown command: $stderr"
  [[ -z $output ]] || fail "unknown command printed on stdout: $output"
}

cli_help() {
  local cmd=$1 h
  for h in -h --help; do
    rr_ok "$cmd" "$h"
    [[ $output$stderr == *Usage* ]] || fail "ragc $cmd $h does not print Usage"
    [[ $output$stderr == *"$cmd"* ]] || fail "ragc $cmd $h does not name the command"
  done
}

@test "cli: listref -h / --help" { cli_help listref; }
@test "cli: listset -h / --help" { cli_help listset; }
@test "cli: listctg -h / --help" { cli_help listctg; }
@test "cli: info -h / --help" { cli_help info; }
@test "cli: getset -h / --help" { cli_help getset; }
@test "cli: getctg -h / --help" { cli_help getctg; }
@test "cli: getcol -h / --help" { cli_help getcol; }

# ================================================================ failures

# cli_each_cmd_fails ARCHIVE: every command fails on ARCHIVE, printing nothing.
cli_each_cmd_fails() {
  local a=$1 c
  for c in "${CLI_COMMANDS[@]}"; do
    case $c in
      listctg | getset) rr_fail "$c" "$a" ref ;;
      getctg) rr_fail "$c" "$a" chr1@ref ;;
      *) rr_fail "$c" "$a" ;;
    esac
    [[ -z $output ]] || fail "$RR_CMD printed on stdout: $output"
  done
}

@test "cli: missing archive file fails for every command" {
  cli_each_cmd_fails "$T/no-such-archive.agc"
}

@test "cli: a directory as archive fails for every command" {
  mkdir "$T/dir.agc"
  cli_each_cmd_fails "$T/dir.agc"
}

@test "cli: a FASTA file as archive fails for every command" {
  cli_each_cmd_fails "$TOYDATA/ref.fa"
}

@test "cli: an empty file as archive fails for every command" {
  : >"$T/empty.agc"
  cli_each_cmd_fails "$T/empty.agc"
}

@test "cli: /dev/null as archive fails for every command" {
  cli_each_cmd_fails /dev/null
}

@test "cli: getset unknown sample fails with no output" {
  rr_fail getset "$TOY" no_such_sample
  [[ -z $output ]] || fail "stdout not empty: $output"
  # checked before anything is printed, also after a good sample
  rr_fail getset "$TOY" a no_such_sample
  [[ -z $output ]] || fail "stdout not empty (known sample before the unknown one): $output"
}

@test "cli: listctg unknown sample prints its name line only and fails" {
  rr_fail listctg "$TOY" no_such_sample
  [[ $(cat "$OUT") == no_such_sample ]] || fail "stdout should be the sample name line only, got: $output"
  # a known sample first: its contigs (from a.fa), then the name line
  rr_fail listctg "$TOY" a no_such_sample
  {
    echo a
    grep '^>' "$TOYDATA/a.fa" | sed 's/^>/   /'
    echo no_such_sample
  } >"$T/expect"
  assert_out_file "$T/expect"
}

@test "cli: getctg unknown contig fails with no output" {
  rr_fail getctg "$TOY" no_such_contig
  [[ -z $output ]] || fail "stdout not empty: $output"
  rr_fail getctg "$TOY" seq@ref no_such_contig
  [[ -z $output ]] || fail "stdout not empty (good query before the unknown one): $output"
}

@test "cli: getctg ambiguous contig (chr1 in ref and b) fails with no output" {
  # precondition from the inputs: chr1 is a contig of both ref.fa and b.fa
  grep -qx '>chr1' "$TOYDATA/ref.fa" && grep -qx '>chr1' "$TOYDATA/b.fa" ||
    fail "fixture changed: chr1 is not in both ref.fa and b.fa"
  rr_fail getctg "$TOY" chr1
  [[ -z $output ]] || fail "stdout not empty: $output"
}

@test "cli: getctg contig@unknown_sample fails with no output" {
  rr_fail getctg "$TOY" chr1@no_such_sample
  [[ -z $output ]] || fail "stdout not empty: $output"
}

@test "cli: bad option values (-l x, -t abc, -@ x, -g x, -v x) fail" {
  local c opt
  for c in getset getctg getcol; do
    local -a args=("$TOY")
    [[ $c == getset ]] && args+=(a)
    [[ $c == getctg ]] && args+=(seq@ref)
    for opt in "-l x" "-t abc" "-@ x" "-g x" "-v x" "-l 12x"; do
      # shellcheck disable=SC2086
      rr_fail "$c" $opt "${args[@]}"
      [[ -z $output ]] || fail "$RR_CMD printed on stdout: $output"
    done
  done
  rr_fail info -v x "$TOY"
}

@test "cli: unknown option, option without its value fail with a 'ragc CMD: ' line" {
  local c
  for c in "${CLI_COMMANDS[@]}"; do
    rr_fail "$c" --no-such-option "$TOY" a
    [[ -z $output ]] || fail "$RR_CMD printed on stdout: $output"
    rr_fail "$c" -q "$TOY" a
    rr_fail "$c" "$TOY" a -o
  done
  rr_fail getset "$TOY" a -l
}

@test "cli: getcol -o a non-existent directory fails" {
  rr_fail getcol -o "$T/no-such-dir" "$TOY"
  [[ ! -e $T/no-such-dir ]] || fail "getcol -o created $T/no-such-dir"
  [[ -z $output ]] || fail "stdout not empty"
}

@test "cli: getcol -o a regular file fails and leaves it alone" {
  echo keep >"$T/plain"
  local before
  before=$(md5_of "$T/plain")
  rr_fail getcol -o "$T/plain" "$TOY"
  [[ $(md5_of "$T/plain") == "$before" ]] || fail "getcol -o FILE changed FILE"
  [[ -z $output ]] || fail "stdout not empty"
  no_litter "$T"
}

@test "cli: missing arguments fail" {
  local c
  for c in "${CLI_COMMANDS[@]}"; do
    rr_fail "$c"
  done
  rr_fail listctg "$TOY"
  rr_fail getset "$TOY"
  rr_fail getctg "$TOY"
}

# ================================================================ output safety

@test "cli: -o FILE of a failing command leaves FILE untouched and no litter" {
  mkdir "$T/o"
  local f=$T/o/out.fa before
  printf 'precious\ncontent\n' >"$f"
  before=$(md5_of "$f")
  local -a runs=(
    "getset|$TOY|no_such_sample"
    "getset|$TOY|a|no_such_sample"
    "getctg|$TOY|no_such_contig"
    "getctg|$TOY|chr1"
    "getctg|$TOY|chr1@no_such_sample"
    "getset|$T/missing.agc|a"
    "listset|$TOYDATA/ref.fa"
    "listref|$T/missing.agc"
    "listctg|/dev/null|a"
    "info|$T/missing.agc"
    "getset|-l|x|$TOY|a"
  )
  local r
  for r in "${runs[@]}"; do
    IFS='|' read -r -a args <<<"$r"
    rr_fail "${args[0]}" -o "$f" "${args[@]:1}"
    [[ $(md5_of "$f") == "$before" ]] || fail "$RR_CMD changed the existing $f"
    [[ -z $output ]] || fail "$RR_CMD printed on stdout with -o: $output"
    no_litter "$T/o"
  done
  # and nothing created when FILE did not exist
  rr_fail getset -o "$T/o/new.fa" "$TOY" no_such_sample
  [[ ! -e $T/o/new.fa ]] || fail "$RR_CMD created $T/o/new.fa"
  no_litter "$T/o"
}

@test "cli: a successful -o FILE equals standard output, replaces FILE, no litter" {
  need_senterica
  mkdir "$T/o"
  local -a runs=(
    "listref|$TOY"
    "listset|$TOY"
    "listctg|$TOY|a|ref"
    "getset|$TOY|a|b"
    "getset|-g|6|$TOY|c"
    "getctg|$TOY|seq@ref:3-6|chr1a"
    "getset|-l|60|$SENT|SAL_BA0010AA"
  )
  local r i=0
  for r in "${runs[@]}"; do
    i=$((i + 1))
    IFS='|' read -r -a args <<<"$r"
    rr_ok "${args[@]}"
    cp "$OUT" "$T/stdout.$i"
    echo old >"$T/o/f$i"
    rr_ok "${args[0]}" -o "$T/o/f$i" "${args[@]:1}"
    [[ ! -s $OUT ]] || fail "$RR_CMD wrote on stdout too"
    assert_same_file "$T/stdout.$i" "$T/o/f$i" "$RR_CMD: -o output differs from stdout output"
    no_litter "$T/o"
  done
  # stdout of the plain runs against the inputs, so the comparison is not vacuous
  cat "$TOYDATA/a.fa" "$TOYDATA/b.fa" >"$T/expect"
  assert_same_file "$T/expect" "$T/o/f4" "getset -o FILE toy a b"
}

@test "cli: writing to /dev/full fails with a message" {
  need_senterica
  [[ -w /dev/full ]] || skip "/dev/full not available"
  local -a runs=(
    "getset|$TOY|ref"
    "getctg|$TOY|seq@ref"
    "listset|$TOY"
    "listctg|$TOY|ref"
    "listref|$TOY"
    "getcol|$TOY"
    "getcol|-t|1|$SENT"
    "getcol|-t|2|$SENT"
    "getset|-g|6|$TOY|ref"
  )
  local r rc
  for r in "${runs[@]}"; do
    IFS='|' read -r -a args <<<"$r"
    rc=0
    timeout -k 5 "$CLI_TIMEOUT" "$RAGC" "${args[@]}" >/dev/full 2>"$T/err" </dev/null || rc=$?
    RR_CMD="$(cli_quote ragc "${args[@]}") > /dev/full"
    cli_no_sanitizer "$T/err"
    ((rc != 0)) || fail "$RR_CMD exited 0"
    ((rc < 124)) || fail "$RR_CMD exited $rc (timeout or signal)"
    grep -q "^ragc ${args[0]}: " "$T/err" || fail "$RR_CMD: no 'ragc ${args[0]}: ' line on stderr: $(cat "$T/err")"
  done
}

@test "cli: a closed pipe stops getcol silently, ended by SIGPIPE as samtools, no hang" {
  need_senterica
  local t rc head_bytes
  for t in 1 2; do
    timeout -k 5 30 "$RAGC" getcol -t "$t" "$SENT" 2>"$T/err" </dev/null | head -c 10 >"$T/head"
    rc=${PIPESTATUS[0]}
    RR_CMD="ragc getcol -t $t senterica.agc | head -c 10"
    cli_no_sanitizer "$T/err"
    ((rc != 124 && rc != 137)) || fail "$RR_CMD: ragc hung (timed out, exit $rc)"
    # issue 18: silent and ended by SIGPIPE, as samtools and agc (docs/cli.md)
    ((rc == 141)) || fail "$RR_CMD: exit $rc after its reader went away, want 141 (SIGPIPE)"
    [[ ! -s $T/err ]] || fail "$RR_CMD: printed $(head -n 3 "$T/err")"
    head_bytes=$(wc -c <"$T/head")
    ((head_bytes == 10)) || fail "$RR_CMD: head got $head_bytes bytes"
    [[ $(cat "$T/head") == ">$(fasta_first_name "$SENTDATA/SAL_AA7743AA.fasta.gz" | head -c 9)" ]] ||
      fail "$RR_CMD: first bytes are not the first header of SAL_AA7743AA: $(cat "$T/head")"
  done
}

@test "cli: -o into a directory that cannot be written fails cleanly" {
  local target
  if is_root; then
    # root bypasses permission bits, so a chmod 555 directory would be
    # writable: use a path under a non-existent directory instead.
    target=$T/no-such-dir/sub/out.fa
  else
    mkdir "$T/ro"
    chmod 555 "$T/ro"
    target=$T/ro/out.fa
  fi
  rr_fail getset -o "$target" "$TOY" a
  [[ ! -e $target ]] || fail "$RR_CMD created $target"
  [[ -z $output ]] || fail "stdout not empty"
  rr_fail listset -o "$target" "$TOY"
  rr_fail info -o "$target" "$TOY"
  if ! is_root; then
    no_litter "$T/ro"
    chmod 755 "$T/ro"
  fi
}

# ================================================================ option semantics

@test "cli: -l is clamped to at least 40 (-l 10, -l 0, -l 39 give 40 columns)" {
  need_senterica
  local name seq l
  name=$(fasta_first_name "$SENTDATA/SAL_AA7743AA.fasta.gz")
  seq=$(fasta_record "$SENTDATA/SAL_AA7743AA.fasta.gz" "$name")
  ((${#seq} > 300)) || fail "fixture changed: first contig of SAL_AA7743AA shorter than 300"
  { echo ">$name:0-299"; printf '%s' "${seq:0:300}" | wrap 40; } >"$T/expect40"
  for l in 10 0 39 40; do
    rr_ok getctg -l "$l" "$SENT" "$name@SAL_AA7743AA:0-299"
    assert_out_file "$T/expect40"
  done
  # toy sample a through getset: 40 columns too (contigs are shorter, unchanged)
  rr_ok getset -l 10 "$TOY" a
  assert_out_file "$TOYDATA/a.fa"
}

@test "cli: -l 60 and -l 120 wrap as the input FASTA says" {
  need_senterica
  # toy sample a: all contigs shorter than a line, so the FASTA itself
  local l
  for l in 60 120; do
    rr_ok getset -l "$l" "$TOY" a
    fasta_reformat "$l" <"$TOYDATA/a.fa" >"$T/expect"
    assert_same_file "$TOYDATA/a.fa" "$T/expect" "fixture: toy a.fa is not in one-line-per-contig layout"
    assert_out_file "$T/expect"
  done
  # a longer sequence that really wraps
  local name seq
  name=$(fasta_first_name "$SENTDATA/SAL_AA7743AA.fasta.gz")
  seq=$(fasta_record "$SENTDATA/SAL_AA7743AA.fasta.gz" "$name")
  for l in 60 120; do
    { echo ">$name:100-1099"; printf '%s' "${seq:100:1000}" | wrap "$l"; } >"$T/expect"
    rr_ok getctg -l "$l" "$SENT" "$name@SAL_AA7743AA:100-1099"
    assert_out_file "$T/expect"
  done
  # default is 80
  { echo ">$name:100-1099"; printf '%s' "${seq:100:1000}" | wrap 80; } >"$T/expect"
  rr_ok getctg "$SENT" "$name@SAL_AA7743AA:100-1099"
  assert_out_file "$T/expect"
}

@test "cli: -g 1..9 output gunzips to the plain output" {
  need_senterica
  local g
  cat "$TOYDATA/ref.fa" "$TOYDATA/a.fa" >"$T/expect"
  for g in 1 2 3 4 5 6 7 8 9; do
    rr_ok getset -g "$g" "$TOY" ref a
    [[ $(head -c 2 "$OUT" | od -An -tx1 | tr -d ' \n') == 1f8b ]] || fail "$RR_CMD: output is not gzip"
    gzip -t "$OUT" 2>/dev/null || fail "$RR_CMD: output is not a valid gzip stream"
    gzip -dc "$OUT" >"$T/plain"
    assert_same_file "$T/expect" "$T/plain" "$RR_CMD | gunzip"
  done
  # -g 0 is plain
  rr_ok getset -g 0 "$TOY" ref a
  assert_out_file "$T/expect"
  # a larger sample, against agc's recorded output
  sent_row "getset {A} SAL_BA0010AA"
  rr_ok getset -g 6 "$SENT" SAL_BA0010AA
  gzip -dc "$OUT" >"$T/plain"
  [[ $(md5_of "$T/plain") == "$ROW_MD5" ]] || fail "$RR_CMD | gunzip: md5 differs from agc's $ROW_MD5"
  # getctg and getcol too
  rr_ok getctg -g 3 "$TOY" seq@ref:3-6
  [[ $(gzip -dc "$OUT") == $'>seq:3-6\n'"$(fasta_record "$TOYDATA/ref.fa" seq | cut -c4-7)" ]] ||
    fail "$RR_CMD | gunzip differs"
  rr_ok getcol -g 9 "$TOY"
  gzip -dc "$OUT" >"$T/plain"
  cat "$TOYDATA/ref.fa" "$TOYDATA/a.fa" "$TOYDATA/b.fa" "$TOYDATA/c.fa" >"$T/expect"
  assert_same_file "$T/expect" "$T/plain" "$RR_CMD | gunzip"
}

@test "cli: getcol -@ 2, -t 2 and -t 1 give agc's output" {
  need_senterica
  sent_row "getcol {A}"
  local opt m
  for opt in "-@ 2" "-t 2" "-t 1"; do
    # shellcheck disable=SC2086
    rr_ok getcol $opt "$SENT"
    m=$(md5_of "$OUT")
    [[ $m == "$ROW_MD5" ]] ||
      fail "$RR_CMD: md5 $m, $(wc -c <"$OUT") bytes; agc's 'getcol {A}' is $ROW_MD5, $ROW_BYTES bytes"
  done
}

@test "cli: getcol -r leaves out the first sample" {
  cat "$TOYDATA/a.fa" "$TOYDATA/b.fa" "$TOYDATA/c.fa" >"$T/expect"
  rr_ok getcol -r "$TOY"
  assert_out_file "$T/expect"
  # without -r, ref comes first
  cat "$TOYDATA/ref.fa" "$T/expect" >"$T/expect-all"
  rr_ok getcol "$TOY"
  assert_out_file "$T/expect-all"
}

@test "cli: getcol -o DIR writes SAMPLE.fa, -g 6 -o DIR SAMPLE.fa.gz" {
  local s
  mkdir "$T/col" "$T/colgz"
  rr_ok getcol -o "$T/col" "$TOY"
  [[ ! -s $OUT ]] || fail "$RR_CMD wrote on stdout"
  [[ $(cd "$T/col" && LC_ALL=C ls -A | tr '\n' ' ') == "a.fa b.fa c.fa ref.fa " ]] ||
    fail "$RR_CMD: files are [$(ls -A "$T/col" | tr '\n' ' ')], expected a.fa b.fa c.fa ref.fa"
  for s in ref a b c; do
    assert_same_file "$TOYDATA/$s.fa" "$T/col/$s.fa" "getcol -o DIR: $s.fa"
  done

  rr_ok getcol -g 6 -o "$T/colgz" "$TOY"
  [[ ! -s $OUT ]] || fail "$RR_CMD wrote on stdout"
  [[ $(cd "$T/colgz" && LC_ALL=C ls -A | tr '\n' ' ') == "a.fa.gz b.fa.gz c.fa.gz ref.fa.gz " ]] ||
    fail "$RR_CMD: files are [$(ls -A "$T/colgz" | tr '\n' ' ')], expected a.fa.gz b.fa.gz c.fa.gz ref.fa.gz"
  for s in ref a b c; do
    gzip -dc "$T/colgz/$s.fa.gz" >"$T/plain" || fail "$s.fa.gz is not gzip"
    assert_same_file "$TOYDATA/$s.fa" "$T/plain" "getcol -g 6 -o DIR: $s.fa.gz gunzipped"
  done

  # -r with -o DIR: no file for the first sample
  mkdir "$T/colr"
  rr_ok getcol -r -o "$T/colr" "$TOY"
  [[ $(cd "$T/colr" && LC_ALL=C ls -A | tr '\n' ' ') == "a.fa b.fa c.fa " ]] ||
    fail "$RR_CMD: files are [$(ls -A "$T/colr" | tr '\n' ' ')], expected a.fa b.fa c.fa"
}

# ================================================================ getctg ranges

# expect_range CTG FROM TO: header + bases, computed from ref.fa
cli_ref_seq() {
  fasta_record "$TOYDATA/ref.fa" "$1"
}

@test "cli: getctg seq@ref:3-6 gives >seq:3-6 and the bases 3..6" {
  local seq
  seq=$(cli_ref_seq seq)
  [[ ${seq:3:4} == GTGT ]] || fail "fixture changed: ref seq[3..6] is ${seq:3:4}"
  rr_ok getctg "$TOY" seq@ref:3-6
  printf '>seq:3-6\n%s\n' "${seq:3:4}" >"$T/expect"
  assert_out_file "$T/expect"
}

@test "cli: getctg negative start becomes 0 in the header" {
  local seq
  seq=$(cli_ref_seq seq)
  rr_ok getctg "$TOY" seq@ref:-2-3
  printf '>seq:0-3\n%s\n' "${seq:0:4}" >"$T/expect"
  assert_out_file "$T/expect"
}

@test "cli: getctg start after end gives the whole contig, header without range" {
  local seq
  seq=$(cli_ref_seq seq)
  rr_ok getctg "$TOY" seq@ref:6-3
  printf '>seq\n%s\n' "$seq" >"$T/expect"
  assert_out_file "$T/expect"
}

@test "cli: getctg range past the end is truncated" {
  local seq
  seq=$(cli_ref_seq seq)
  ((${#seq} < 100)) || fail "fixture changed: ref seq is 100 bases or more"
  rr_ok getctg "$TOY" seq@ref:5-100
  printf '>seq:5-100\n%s\n' "${seq:5}" >"$T/expect"
  assert_out_file "$T/expect"
}

@test "cli: getctg range starting past the end prints the header only" {
  local seq
  seq=$(cli_ref_seq seq)
  ((${#seq} <= 20)) || fail "fixture changed: ref seq is longer than 20"
  rr_ok getctg "$TOY" seq@ref:20-30
  printf '>seq:20-30\n' >"$T/expect"
  assert_out_file "$T/expect"
}

@test "cli: getctg malformed query is skipped with a message and exit 1" {
  local seq a1
  seq=$(cli_ref_seq seq)
  a1=$(fasta_record "$TOYDATA/a.fa" chr1a)
  rr getctg "$TOY" seq@ref '' chr1a@a
  ((status == 1)) || fail "$RR_CMD: exit $status, expected 1"
  grep -q '^ragc getctg: ' "$ERR" || fail "$RR_CMD: no 'ragc getctg: ' message: $stderr"
  printf '>seq\n%s\n>chr1a\n%s\n' "$seq" "$a1" >"$T/expect"
  assert_out_file "$T/expect"
}

# ================================================================ info

cli_info_expect() {
  cat <<'EOF'
No. samples      : 4
k-mer length     : 31
Min. match length: 20
Segment size     : 60000
Batch size       : 50
Reference name   : ref
Command lines:
EOF
}

@test "cli: info prints to stderr, stdout empty" {
  rr_ok info "$TOY"
  [[ ! -s $OUT ]] || fail "info wrote on stdout: $output"
  local line
  while IFS= read -r line; do
    grep -qxF -- "$line" "$ERR" || fail "info stderr lacks the line '$line':"$'\n'"$stderr"
  done < <(cli_info_expect)
  ! grep -q 'File type info:' "$ERR" || fail "info without -v printed File type info"
}

@test "cli: info -o FILE writes the same text to FILE" {
  rr_ok info "$TOY"
  cp "$ERR" "$T/stderr-text"
  rr_ok info -o "$T/info.txt" "$TOY"
  [[ ! -s $OUT ]] || fail "info -o wrote on stdout"
  assert_same_file "$T/stderr-text" "$T/info.txt" "info -o FILE vs info's stderr"
  grep -qxF 'No. samples      : 4' "$T/info.txt" || fail "info -o FILE lacks 'No. samples      : 4'"
  no_litter "$T"
}

@test "cli: info -v 1 adds File type info" {
  rr_ok info -v 1 "$TOY"
  grep -qxF 'File type info:' "$ERR" || fail "no 'File type info:' line:"$'\n'"$stderr"
  grep -qxF '  file_version_major : 3' "$ERR" || fail "no '  file_version_major : 3' line:"$'\n'"$stderr"
  grep -qxF 'No. samples      : 4' "$ERR" || fail "-v 1 lost the parameters"
}

# ================================================================ input untouched

@test "cli: the archive is unchanged by every command" {
  need_senterica
  cp "$TOY" "$T/toy.agc"
  local before_toy before_sent
  before_toy=$(md5_of "$T/toy.agc")
  before_sent=$(md5_of "$SENT")
  local a=$T/toy.agc
  mkdir "$T/col"
  rr_ok listref "$a"
  rr_ok listset "$a"
  rr_ok listctg "$a" ref a b c
  rr_ok info -v 1 "$a"
  rr_ok getset "$a" ref a
  rr_ok getset -g 6 -t 2 "$a" b
  rr_ok getctg "$a" seq@ref:3-6 chr1a
  rr_ok getcol -o "$T/col" "$a"
  rr_ok getcol -t 2 -l 60 "$a"
  rr_fail getset "$a" no_such_sample
  rr_fail getctg "$a" chr1
  rr_ok getcol -t 2 "$SENT"
  rr_ok getctg "$SENT" "$(fasta_first_name "$SENTDATA/SAL_AA7743AA.fasta.gz")@SAL_AA7743AA:10-20"
  [[ $(md5_of "$a") == "$before_toy" ]] || fail "toy.agc changed"
  [[ $(md5_of "$SENT") == "$before_sent" ]] || fail "senterica.agc changed"
  cmp -s "$TOY" "$a" || fail "the copy of toy.agc differs from the fixture"
}

# ================================================================ make install

@test "cli: make install stages everything and a C program links against libragc.a" {
  if [[ $(realpath "$RAGC") != "$(realpath "$REPO/ragc")" ]]; then
    skip "runs in the plain build only (RAGC=$RAGC is not $REPO/ragc)"
  fi
  local stage=$BATS_TEST_TMPDIR/stage p=/usr/local f
  run make -C "$REPO" install DESTDIR="$stage" PREFIX="$p"
  ((status == 0)) || fail "make install failed (exit $status):"$'\n'"$(tail -n 20 <<<"$output")"
  for f in bin/ragc lib/libragc.a lib/libragc.so include/ragc.h include/agc-api.h \
    lib/pkgconfig/ragc.pc share/man/man1/ragc.1; do
    [[ -e $stage$p/$f ]] || fail "make install did not install $p/$f (staged under $stage)"
  done
  [[ -x $stage$p/bin/ragc ]] || fail "installed ragc is not executable"
  grep -q "^prefix=$p\$" "$stage$p/lib/pkgconfig/ragc.pc" || fail "ragc.pc has no prefix=$p"
  ! grep -q '@[A-Z]*@' "$stage$p/lib/pkgconfig/ragc.pc" || fail "ragc.pc has unsubstituted @VARS@"

  cat >"$T/n.c" <<'EOF'
#include <stdio.h>
#include <agc-api.h>
int main(int argc, char **argv)
{
    agc_t *a;
    int n;
    if (argc < 2 || !(a = agc_open(argv[1], 0)))
        return 2;
    n = agc_n_sample(a);
    printf("%d\n", n);
    return agc_close(a) == 0 ? 0 : 3;
}
EOF
  # shellcheck disable=SC2046
  run cc -o "$T/n" "$T/n.c" -I"$stage$p/include" "$stage$p/lib/libragc.a" \
    $(pkg-config --libs htslib) -lzstd -ldeflate -lpthread
  ((status == 0)) || fail "compiling against the staged libragc.a failed:"$'\n'"$output"
  run "$T/n" "$TOY"
  ((status == 0)) || fail "program exited $status: $output"
  local n
  n=$(ls "$TOYDATA"/{ref,a,b,c}.fa | wc -l)
  [[ $output == "$n" ]] || fail "agc_n_sample printed '$output', toy.agc was made from $n FASTA files"
}
