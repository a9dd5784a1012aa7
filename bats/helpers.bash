# Helpers for bats/compat.bats: run `ragc` against the archives written by the
# reference agc 3.2.2 and compare with what agc printed (compat/expected/ of
# the data roots: see data-roots.bash).
#
# Environment:
#   RAGC           binary under test (default: <repo>/ragc)
#   RAGC_SHARED    the extended data (see data-roots.bash); default <repo>/../shared
#   RAGC_TIMEOUT   seconds allowed per ragc invocation (default 120)
#   COMPAT_SET     the fixture folder of the data roots (default compat; the
#                  archives of other writers are in foreign, see foreign.bats)
#
# Expected values come only from the fixture files, never from ragc itself.

if [[ -f /usr/lib/bats/bats-support/load.bash ]]; then
  load /usr/lib/bats/bats-support/load.bash
  load /usr/lib/bats/bats-assert/load.bash
else
  bats_load_library bats-support
  bats_load_library bats-assert
fi
load data-roots
load untraced

COMPAT_EMPTY_MD5=d41d8cd98f00b204e9800998ecf8427e

# ---------------------------------------------------------------- locating things

# compat_init: sets RAGC, COMPAT_ROOTS (the compat/ folders of the data
# roots: the core one, then the extended one when it is there; see
# data-roots.bash), COMPAT_TIMEOUT.  Fails (never skips) when the core
# fixtures or the binary are missing.
compat_init() {
  data_roots_init || return 1
  COMPAT_SET=${COMPAT_SET:-compat}
  COMPAT_ROOTS=("$CORE_ROOT/$COMPAT_SET")
  [[ -f $EXT_ROOT/$COMPAT_SET/cases.tsv ]] && COMPAT_ROOTS+=("$EXT_ROOT/$COMPAT_SET")
  local c
  for c in "${COMPAT_ROOTS[@]}"; do
    if [[ ! -f $c/cases.tsv || ! -d $c/archives || ! -d $c/expected ]]; then
      fail "compat fixtures incomplete: $c has no cases.tsv, archives/ or expected/"
      return 1
    fi
  done

  RAGC=${RAGC:-$BATS_TEST_DIRNAME/../ragc}
  if [[ ! -f $RAGC || ! -x $RAGC ]]; then
    fail "binary under test not found or not executable: RAGC=$RAGC (build it, or set RAGC=/abs/path/ragc)"
    return 1
  fi
  [[ $RAGC == /* ]] || RAGC=$PWD/$RAGC
  COMPAT_TIMEOUT=${RAGC_TIMEOUT:-120}
  export RAGC COMPAT_TIMEOUT
}

# compat_case ID: sets ARCHIVE and EXPDIR for fixture ID (core root first,
# then extended), checking they exist.  Skips the test when the archive is in
# neither root.
compat_case() {
  local id=$1 f
  need_data "$COMPAT_SET/archives/$id.agc"
  ARCHIVE=$(data_path "$COMPAT_SET/archives/$id.agc")
  EXPDIR=${ARCHIVE%/archives/*}/expected/$id
  if [[ ! -f $ARCHIVE ]]; then
    fail "fixture archive missing: $ARCHIVE"
    return 1
  fi
  for f in listref.txt listset.txt listctg.txt info.txt outputs.tsv; do
    if [[ ! -f $EXPDIR/$f ]]; then
      fail "fixture file missing: $EXPDIR/$f"
      return 1
    fi
  done
}

# compat_ids_from_cases: ids of $COMPAT/cases.tsv (column 1, header
# skipped), one a line.
compat_ids_from_cases() {
  awk -F'\t' 'NR > 1 && $1 != "" { print $1 }' "$COMPAT/cases.tsv"
}

# compat_samples: the samples of listset.txt, in that order, into COMPAT_SAMPLES.
compat_samples() {
  mapfile -t COMPAT_SAMPLES <"$EXPDIR/listset.txt"
}

# ---------------------------------------------------------------- running ragc

# compat_run OUT ERR ARGS...: run "$RAGC" ARGS with stdin from /dev/null (the
# callers read fixture files on stdin), under a timeout; exit status in COMPAT_RC.
compat_run() {
  local out=$1 err=$2
  shift 2
  COMPAT_RC=0
  timeout -k 10 "$COMPAT_TIMEOUT" "$RAGC" "$@" </dev/null >"$out" 2>"$err" || COMPAT_RC=$?
}

# compat_digest FILE: sets GOT_BYTES and GOT_MD5 of FILE.
compat_digest() {
  GOT_BYTES=$(wc -c <"$1")
  GOT_BYTES=${GOT_BYTES//[[:space:]]/}
  GOT_MD5=$(md5sum <"$1")
  GOT_MD5=${GOT_MD5%% *}
}

# compat_sanitizer_report ERR: true if ERR holds a sanitizer report.
compat_sanitizer_report() {
  [[ -s $1 ]] || return 1
  grep -q -E 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|ThreadSanitizer|MemorySanitizer|runtime error:' "$1"
}

# compat_quote ARGS...: the command line as a shell-pasteable string.
compat_quote() {
  local s="" a
  for a in "$@"; do
    s+="$(printf '%q' "$a") "
  done
  printf '%s' "${s% }"
}

# compat_show FILE PREFIX MAXLINES: first MAXLINES lines of FILE (each cut at
# 160 characters), each prefixed; "(empty)" when FILE is empty.
compat_show() {
  local f=$1 p=$2 n=$3
  if [[ ! -s $f ]]; then
    printf '%s(empty)\n' "$p"
    return
  fi
  head -n "$n" "$f" | cut -c1-160 | sed "s/^/$p/"
  local total
  total=$(wc -l <"$f")
  if ((total > n)); then
    printf '%s... (%d lines in all)\n' "$p" "$total"
  fi
}

# ---------------------------------------------------------------- fixture rows

# compat_parse_cmd CMD: split an outputs.tsv command into COMPAT_ARGS, replacing
# the token {A} by $ARCHIVE. Commands are shell-quoted the way bash's printf %q
# quotes (only backslash escapes occur, e.g. `gi\|5633\|\ Homo\ sapiens`);
# `read` without -r undoes exactly that. Other quoting is refused loudly.
compat_parse_cmd() {
  local cmd=$1 i seen=0
  case $cmd in
    *"'"* | *'"'* | *'$'* | *'`'*)
      fail "unsupported quoting in fixture command (only backslash escapes are handled): $cmd"
      return 1
      ;;
  esac
  # shellcheck disable=SC2162  # backslash processing is wanted here
  IFS=$' \t' read -a COMPAT_ARGS <<<"$cmd"
  for i in "${!COMPAT_ARGS[@]}"; do
    if [[ ${COMPAT_ARGS[i]} == "{A}" ]]; then
      COMPAT_ARGS[i]=$ARCHIVE
      seen=$((seen + 1))
    fi
  done
  if ((seen != 1)); then
    fail "fixture command without exactly one {A} token: $cmd"
    return 1
  fi
}

# compat_judge KIND EXPECT_FAIL EXP_BYTES EXP_MD5 OUT ERR: compare one run
# (exit status in COMPAT_RC) with the expectation; sets COMPAT_WHY to the
# reasons of a mismatch, empty when the run is right.
#   EXPECT_FAIL=1: agc printed an error (no stdout). ragc must print nothing on
#     stdout, exit 1..125 (not a signal, not a timeout) and start stderr with
#     "ragc KIND: ".
#   EXPECT_FAIL=0: exit 0 and stdout of exactly EXP_BYTES bytes with md5 EXP_MD5.
# In both cases stderr must hold no sanitizer report.
compat_judge() {
  local kind=$1 expect_fail=$2 exp_bytes=$3 exp_md5=$4 out=$5 err=$6
  local first=""
  COMPAT_WHY=""
  compat_digest "$out"
  if [[ $GOT_BYTES != "$exp_bytes" || $GOT_MD5 != "$exp_md5" ]]; then
    COMPAT_WHY+="stdout differs; "
  fi
  if ((COMPAT_RC == 124 || COMPAT_RC == 137)); then
    COMPAT_WHY+="timed out after ${COMPAT_TIMEOUT}s (exit $COMPAT_RC); "
  elif ((expect_fail)); then
    if ((COMPAT_RC == 0)); then
      COMPAT_WHY+="exit 0 but this is an error case (must exit non-zero); "
    elif ((COMPAT_RC > 125)); then
      COMPAT_WHY+="exit $COMPAT_RC (killed by a signal / not runnable) instead of a clean error exit; "
    fi
    IFS= read -r first <"$err" || true
    if [[ $first != "ragc $kind: "* ]]; then
      COMPAT_WHY+="stderr does not start with 'ragc $kind: '; "
    fi
  else
    if ((COMPAT_RC != 0)); then
      COMPAT_WHY+="exit $COMPAT_RC instead of 0; "
    fi
  fi
  if compat_sanitizer_report "$err"; then
    COMPAT_WHY+="sanitizer report on stderr; "
  fi
  COMPAT_WHY=${COMPAT_WHY%; }
}

# compat_report LABEL EXP_DESC ARGS...: append a failure description for the
# last judged run (files $COMPAT_OUT/$COMPAT_ERR) to COMPAT_REPORT.
compat_report() {
  local label=$1 exp_desc=$2
  shift 2
  COMPAT_REPORT+="FAIL  $label"$'\n'
  COMPAT_REPORT+="  why:      $COMPAT_WHY"$'\n'
  COMPAT_REPORT+="  expected: $exp_desc"$'\n'
  COMPAT_REPORT+="  got:      exit $COMPAT_RC, $GOT_BYTES bytes, md5 $GOT_MD5"$'\n'
  COMPAT_REPORT+="  run:      $(compat_quote "$RAGC" "$@")"$'\n'
  COMPAT_REPORT+="  stderr:"$'\n'"$(compat_show "$COMPAT_ERR" '    | ' 3)"$'\n'
  if [[ -s $COMPAT_OUT && $COMPAT_WHY == *"stdout differs"* ]]; then
    COMPAT_REPORT+="  stdout:"$'\n'"$(compat_show "$COMPAT_OUT" '    | ' 2)"$'\n'
  fi
}

# compat_finish WHAT: fail with the collected report if any check failed.
compat_finish() {
  local what=$1
  if ((COMPAT_NFAIL > 0)); then
    fail "$(printf '%s: %d of %d checks failed (archive %s)\n\n%s' \
      "$what" "$COMPAT_NFAIL" "$COMPAT_NCHECK" "$ARCHIVE" "$COMPAT_REPORT")"
    return 1
  fi
}

compat_reset() {
  COMPAT_REPORT=""
  COMPAT_NFAIL=0
  COMPAT_NCHECK=0
  COMPAT_OUT=$BATS_TEST_TMPDIR/out
  COMPAT_ERR=$BATS_TEST_TMPDIR/err
}

# compat_expect_run KIND EXPECT_FAIL EXP_BYTES EXP_MD5 LABEL ARGS...: run ragc
# ARGS, judge, record.
compat_expect_run() {
  local kind=$1 expect_fail=$2 exp_bytes=$3 exp_md5=$4 label=$5 desc
  shift 5
  compat_run "$COMPAT_OUT" "$COMPAT_ERR" "$@"
  compat_judge "$kind" "$expect_fail" "$exp_bytes" "$exp_md5" "$COMPAT_OUT" "$COMPAT_ERR"
  COMPAT_NCHECK=$((COMPAT_NCHECK + 1))
  if [[ -n $COMPAT_WHY ]]; then
    COMPAT_NFAIL=$((COMPAT_NFAIL + 1))
    if ((expect_fail)); then
      desc="error: non-zero exit, empty stdout, stderr starting 'ragc $kind: '"
    else
      desc="exit 0, $exp_bytes bytes, md5 $exp_md5"
    fi
    compat_report "$label" "$desc" "$@"
  fi
  rm -f "$COMPAT_OUT"
}

# compat_expect_file KIND LABEL EXPECTED_FILE ARGS...: ragc ARGS must exit 0 and
# print exactly the bytes of EXPECTED_FILE.
compat_expect_file() {
  local kind=$1 label=$2 file=$3 md5 bytes
  shift 3
  bytes=$(wc -c <"$file")
  bytes=${bytes//[[:space:]]/}
  md5=$(md5sum <"$file")
  md5=${md5%% *}
  compat_run "$COMPAT_OUT" "$COMPAT_ERR" "$@"
  compat_judge "$kind" 0 "$bytes" "$md5" "$COMPAT_OUT" "$COMPAT_ERR"
  COMPAT_NCHECK=$((COMPAT_NCHECK + 1))
  if [[ -n $COMPAT_WHY ]]; then
    COMPAT_NFAIL=$((COMPAT_NFAIL + 1))
    compat_report "$label" "exit 0, stdout = $file ($bytes bytes, md5 $md5)" "$@"
    if [[ $COMPAT_WHY == *"stdout differs"* ]]; then
      COMPAT_REPORT+="  diff (expected vs got):"$'\n'"$(diff "$file" "$COMPAT_OUT" | head -n 8 | cut -c1-160 | sed 's/^/    | /')"$'\n'
    fi
  fi
  rm -f "$COMPAT_OUT"
}

# ---------------------------------------------------------------- the checks

# compat_check_lists ID: listref, listset, listctg (all samples, listset order)
# and info (standard output; agc prints info on stderr).
_compat_check_lists() {
  compat_case "$1"
  compat_samples
  compat_reset
  compat_expect_file listref "listref {A}" "$EXPDIR/listref.txt" listref "$ARCHIVE"
  compat_expect_file listset "listset {A}" "$EXPDIR/listset.txt" listset "$ARCHIVE"
  compat_expect_file listctg "listctg {A} <all ${#COMPAT_SAMPLES[@]} samples of listset.txt>" \
    "$EXPDIR/listctg.txt" listctg "$ARCHIVE" "${COMPAT_SAMPLES[@]}"
  compat_expect_file info "info {A} (stdout)" "$EXPDIR/info.txt" info "$ARCHIVE"
  # agc writes the info report on stderr; an empty one means nothing was reported
  if ((COMPAT_RC == 0)) && [[ ! -s $COMPAT_ERR ]]; then
    COMPAT_NFAIL=$((COMPAT_NFAIL + 1))
    COMPAT_REPORT+="FAIL  info {A}"$'\n'"  why:      nothing on stderr (agc prints the info report on stderr)"$'\n'
  fi
  compat_finish "lists of $1"
}

# compat_check_rows ID KIND: every outputs.tsv row whose command is KIND.
_compat_check_rows() {
  local id=$1 kind=$2 lineno=0 n=0 cmd ex bytes md5 extra fail_expected
  compat_case "$id"
  compat_reset
  local tsv=$EXPDIR/outputs.tsv
  while IFS=$'\t' read -r cmd ex bytes md5 extra || [[ -n $cmd ]]; do
    lineno=$((lineno + 1))
    if ((lineno == 1)); then
      if [[ $cmd != command || $ex != exit || $bytes != bytes || $md5 != md5 ]]; then
        fail "unexpected header in $tsv"
        return 1
      fi
      continue
    fi
    [[ -z $cmd ]] && continue
    if [[ -n $extra || ! $bytes =~ ^[0-9]+$ || ! $md5 =~ ^[0-9a-f]{32}$ ]]; then
      fail "malformed row $lineno in $tsv"
      return 1
    fi
    compat_parse_cmd "$cmd"
    [[ ${COMPAT_ARGS[0]} == "$kind" ]] || continue
    n=$((n + 1))
    fail_expected=0
    [[ $bytes == 0 && $kind != getcol ]] && fail_expected=1 # agc printed an error, no output
    compat_expect_run "$kind" "$fail_expected" "$bytes" "$md5" "[$id row $lineno] $cmd" "${COMPAT_ARGS[@]}"
  done <"$tsv"
  if ((n == 0)); then
    fail "no $kind rows in $tsv"
    return 1
  fi
  compat_finish "$kind rows of $id"
}

# compat_row_lookup CMD: sets ROW_BYTES/ROW_MD5 of the first outputs.tsv row
# whose command is exactly CMD; returns 1 when there is none.
compat_row_lookup() {
  local line
  line=$(awk -F'\t' -v c="$1" 'NR > 1 && $1 == c { print $3 "\t" $4; exit }' "$EXPDIR/outputs.tsv")
  [[ -n $line ]] || return 1
  ROW_BYTES=${line%%$'\t'*}
  ROW_MD5=${line##*$'\t'}
}

# compat_check_threads ID: the parallel path (-t 2) prints what agc printed.
#  * getcol -t 2 A            == row "getcol {A}"
#  * getcol -t 2 -l 60 A      == row "getcol -l 60 {A}"
#  * getset -t 2 <opts> A ... == every multi-sample/optioned getset row (bytes > 0)
#  * getset -t 2 A sK ... s1  (every sample with a single-sample getset row, in
#    reverse row order): the output, cut at the expected sizes, must give each
#    sample's expected md5 in that order.
_compat_check_threads() {
  local id=$1 cmd ex bytes md5 extra lineno=0 label
  compat_case "$id"
  compat_reset
  local -a samples=() sizes=() md5s=() args
  local -A seen=()

  if compat_row_lookup "getcol {A}"; then
    compat_expect_run getcol 0 "$ROW_BYTES" "$ROW_MD5" "getcol -t 2 {A}  (vs row 'getcol {A}')" \
      getcol -t 2 "$ARCHIVE"
  else
    fail "no 'getcol {A}' row in $EXPDIR/outputs.tsv"
    return 1
  fi
  if compat_row_lookup "getcol -l 60 {A}"; then
    compat_expect_run getcol 0 "$ROW_BYTES" "$ROW_MD5" "getcol -t 2 -l 60 {A}  (vs row 'getcol -l 60 {A}')" \
      getcol -t 2 -l 60 "$ARCHIVE"
  fi

  while IFS=$'\t' read -r cmd ex bytes md5 extra || [[ -n $cmd ]]; do
    lineno=$((lineno + 1))
    ((lineno == 1)) && continue
    [[ -z $cmd ]] && continue
    compat_parse_cmd "$cmd"
    [[ ${COMPAT_ARGS[0]} == getset && $bytes != 0 ]] || continue
    if ((${#COMPAT_ARGS[@]} == 3)) && [[ ${COMPAT_ARGS[1]} == "$ARCHIVE" ]]; then
      if [[ -z ${seen[${COMPAT_ARGS[2]}]+x} ]]; then
        seen[${COMPAT_ARGS[2]}]=1
        samples=("${COMPAT_ARGS[2]}" "${samples[@]}")
        sizes=("$bytes" "${sizes[@]}")
        md5s=("$md5" "${md5s[@]}")
      fi
    else
      args=(getset -t 2 "${COMPAT_ARGS[@]:1}")
      compat_expect_run getset 0 "$bytes" "$md5" "[$id row $lineno with -t 2] $cmd" "${args[@]}"
    fi
  done <"$EXPDIR/outputs.tsv"

  if ((${#samples[@]} == 0)); then
    fail "no single-sample getset rows in $EXPDIR/outputs.tsv"
    return 1
  fi
  compat_check_concat "getset -t 2 {A} <${#samples[@]} samples, reverse row order>" \
    samples sizes md5s getset -t 2 "$ARCHIVE" "${samples[@]}"
  compat_finish "-t 2 checks of $id"
}

# compat_check_concat LABEL SAMPLES_VAR SIZES_VAR MD5S_VAR ARGS...: ragc ARGS
# must exit 0 and print the concatenation of the expected per-sample outputs.
compat_check_concat() {
  local label=$1
  local -n _s=$2 _z=$3 _m=$4
  shift 4
  local total=0 i off=0 nbad=0 why="" part
  for i in "${!_z[@]}"; do total=$((total + _z[i])); done
  compat_run "$COMPAT_OUT" "$COMPAT_ERR" "$@"
  compat_digest "$COMPAT_OUT"
  COMPAT_NCHECK=$((COMPAT_NCHECK + 1))
  ((COMPAT_RC == 0)) || why+="exit $COMPAT_RC instead of 0; "
  compat_sanitizer_report "$COMPAT_ERR" && why+="sanitizer report on stderr; "
  if [[ $GOT_BYTES != "$total" ]]; then
    why+="stdout differs (size $GOT_BYTES, expected $total); "
  else
    for i in "${!_s[@]}"; do
      part=$(tail -c "+$((off + 1))" "$COMPAT_OUT" | head -c "${_z[i]}" | md5sum)
      part=${part%% *}
      if [[ $part != "${_m[i]}" ]]; then
        nbad=$((nbad + 1))
        ((nbad <= 5)) &&
          why+="stdout differs: part for sample ${_s[i]} (bytes $off..$((off + _z[i] - 1))) has md5 $part, expected ${_m[i]}; "
      fi
      off=$((off + _z[i]))
    done
    ((nbad <= 5)) || why+="stdout differs: $nbad of ${#_s[@]} sample parts in all; "
  fi
  COMPAT_WHY=${why%; }
  if [[ -n $COMPAT_WHY ]]; then
    COMPAT_NFAIL=$((COMPAT_NFAIL + 1))
    compat_report "$label" "exit 0, $total bytes = the samples' getset rows concatenated" "$@"
  fi
  rm -f "$COMPAT_OUT"
}

# compat_check_getcol_dir ID: getcol -o DIR writes DIR/<sample>.fa for every
# sample (and nothing else), each equal to the expected getset row and to
# `ragc getset A sample`; their sizes add up to the getcol row; getcol -g 6 -o
# DIR writes DIR/<sample>.fa.gz that gunzip to the same bytes.
_compat_check_getcol_dir() {
  local id=$1 s f gz n total=0
  compat_case "$id"
  compat_samples
  compat_reset
  local dir=$BATS_TEST_TMPDIR/col dirgz=$BATS_TEST_TMPDIR/colgz
  mkdir -p "$dir" "$dirgz"

  local -a expect_names=() expect_gz=()
  for s in "${COMPAT_SAMPLES[@]}"; do
    expect_names+=("$s.fa")
    expect_gz+=("$s.fa.gz")
  done

  # plain -o
  compat_run "$COMPAT_OUT" "$COMPAT_ERR" getcol -o "$dir" "$ARCHIVE"
  compat_digest "$COMPAT_OUT"
  COMPAT_NCHECK=$((COMPAT_NCHECK + 1))
  COMPAT_WHY=""
  ((COMPAT_RC == 0)) || COMPAT_WHY+="exit $COMPAT_RC instead of 0; "
  ((GOT_BYTES == 0)) || COMPAT_WHY+="wrote $GOT_BYTES bytes on stdout (everything must go to DIR); "
  compat_sanitizer_report "$COMPAT_ERR" && COMPAT_WHY+="sanitizer report on stderr; "
  local listing expect_listing
  listing=$(cd "$dir" && find . -mindepth 1 -maxdepth 1 -printf '%P\n' | LC_ALL=C sort)
  expect_listing=$(printf '%s\n' "${expect_names[@]}" | LC_ALL=C sort)
  [[ $listing == "$expect_listing" ]] ||
    COMPAT_WHY+="files in DIR differ from <sample>.fa for each sample: got [${listing//$'\n'/ }]; "
  COMPAT_WHY=${COMPAT_WHY%; }
  if [[ -n $COMPAT_WHY ]]; then
    COMPAT_NFAIL=$((COMPAT_NFAIL + 1))
    compat_report "getcol -o DIR {A}" "exit 0, nothing on stdout, DIR/<sample>.fa per sample" getcol -o "$dir" "$ARCHIVE"
  fi

  local got_total=0
  for s in "${COMPAT_SAMPLES[@]}"; do
    f=$dir/$s.fa
    [[ -f $f ]] || continue
    COMPAT_NCHECK=$((COMPAT_NCHECK + 1))
    compat_digest "$f"
    got_total=$((got_total + GOT_BYTES))
    local fb=$GOT_BYTES fm=$GOT_MD5
    # against the fixture row, when agc's output for this sample is recorded
    if compat_row_lookup "getset {A} $(printf '%q' "$s")"; then
      if [[ $fb != "$ROW_BYTES" || $fm != "$ROW_MD5" ]]; then
        COMPAT_NFAIL=$((COMPAT_NFAIL + 1))
        COMPAT_REPORT+="FAIL  getcol -o DIR {A}: $s.fa"$'\n'"  expected: $ROW_BYTES bytes, md5 $ROW_MD5 (row 'getset {A} $s')"$'\n'"  got:      $fb bytes, md5 $fm"$'\n'
      fi
    fi
    # against ragc getset A s
    compat_run "$COMPAT_OUT" "$COMPAT_ERR" getset "$ARCHIVE" "$s"
    if ((COMPAT_RC != 0)) || ! cmp -s "$f" "$COMPAT_OUT"; then
      COMPAT_NFAIL=$((COMPAT_NFAIL + 1))
      COMPAT_REPORT+="FAIL  getcol -o DIR {A}: $s.fa differs from 'ragc getset {A} $s' (getset exit $COMPAT_RC)"$'\n'
    fi
    rm -f "$COMPAT_OUT"
  done
  if compat_row_lookup "getcol {A}"; then
    COMPAT_NCHECK=$((COMPAT_NCHECK + 1))
    if ((got_total != ROW_BYTES)); then
      COMPAT_NFAIL=$((COMPAT_NFAIL + 1))
      COMPAT_REPORT+="FAIL  getcol -o DIR {A}: files hold $got_total bytes in all, row 'getcol {A}' has $ROW_BYTES"$'\n'
    fi
  fi

  # -g 6 -o
  compat_run "$COMPAT_OUT" "$COMPAT_ERR" getcol -g 6 -o "$dirgz" "$ARCHIVE"
  compat_digest "$COMPAT_OUT"
  COMPAT_NCHECK=$((COMPAT_NCHECK + 1))
  COMPAT_WHY=""
  ((COMPAT_RC == 0)) || COMPAT_WHY+="exit $COMPAT_RC instead of 0; "
  ((GOT_BYTES == 0)) || COMPAT_WHY+="wrote $GOT_BYTES bytes on stdout; "
  compat_sanitizer_report "$COMPAT_ERR" && COMPAT_WHY+="sanitizer report on stderr; "
  listing=$(cd "$dirgz" && find . -mindepth 1 -maxdepth 1 -printf '%P\n' | LC_ALL=C sort)
  expect_listing=$(printf '%s\n' "${expect_gz[@]}" | LC_ALL=C sort)
  [[ $listing == "$expect_listing" ]] ||
    COMPAT_WHY+="files in DIR differ from <sample>.fa.gz for each sample: got [${listing//$'\n'/ }]; "
  COMPAT_WHY=${COMPAT_WHY%; }
  if [[ -n $COMPAT_WHY ]]; then
    COMPAT_NFAIL=$((COMPAT_NFAIL + 1))
    compat_report "getcol -g 6 -o DIR {A}" "exit 0, nothing on stdout, DIR/<sample>.fa.gz per sample" getcol -g 6 -o "$dirgz" "$ARCHIVE"
  fi
  for s in "${COMPAT_SAMPLES[@]}"; do
    gz=$dirgz/$s.fa.gz
    [[ -f $gz ]] || continue
    COMPAT_NCHECK=$((COMPAT_NCHECK + 1))
    if ! gzip -t "$gz" 2>/dev/null; then
      COMPAT_NFAIL=$((COMPAT_NFAIL + 1))
      COMPAT_REPORT+="FAIL  getcol -g 6 -o DIR {A}: $s.fa.gz is not a valid gzip stream"$'\n'
      continue
    fi
    gzip -dc "$gz" >"$COMPAT_OUT"
    compat_digest "$COMPAT_OUT"
    if compat_row_lookup "getset {A} $(printf '%q' "$s")"; then
      if [[ $GOT_BYTES != "$ROW_BYTES" || $GOT_MD5 != "$ROW_MD5" ]]; then
        COMPAT_NFAIL=$((COMPAT_NFAIL + 1))
        COMPAT_REPORT+="FAIL  getcol -g 6 -o DIR {A}: gunzipped $s.fa.gz"$'\n'"  expected: $ROW_BYTES bytes, md5 $ROW_MD5 (row 'getset {A} $s')"$'\n'"  got:      $GOT_BYTES bytes, md5 $GOT_MD5"$'\n'
        continue
      fi
    fi
    if [[ -f $dir/$s.fa ]] && ! cmp -s "$dir/$s.fa" "$COMPAT_OUT"; then
      COMPAT_NFAIL=$((COMPAT_NFAIL + 1))
      COMPAT_REPORT+="FAIL  getcol -g 6 -o DIR {A}: gunzipped $s.fa.gz differs from getcol -o DIR's $s.fa"$'\n'
    fi
    rm -f "$COMPAT_OUT"
  done
  compat_finish "getcol -o DIR of $id"
}

# compat_check_fixtures TESTFILE: the fixture set of each data root is
# consistent, the core copies equal the extended originals, and every id is
# covered by the @test blocks of TESTFILE.
_compat_check_fixtures() {
  local testfile=$1 report="" id t COMPAT
  local -a covered=()
  for COMPAT in "${COMPAT_ROOTS[@]}"; do
    compat_check_root
  done
  ((${#COMPAT_ROOTS[@]} < 2)) || compat_check_copies "${COMPAT_ROOTS[0]}" "${COMPAT_ROOTS[1]}"

  local tests
  tests=$(<"$testfile")
  local -a all_ids
  mapfile -t all_ids < <(printf '%s\n' "${covered[@]}" | LC_ALL=C sort -u)
  for id in "${all_ids[@]}"; do
    [[ -n $id ]] || continue
    for t in "lists" "getcol rows" "getset rows" "getctg rows" "-t 2 output"; do
      [[ $tests == *"@test \"compat $id: $t\""* ]] ||
        report+="no test 'compat $id: $t' in $testfile (add the archive's five @test lines)"$'\n'
    done
  done
  if [[ -n $report ]]; then
    fail "fixture problems under ${COMPAT_ROOTS[*]}:"$'\n'"$report"
    return 1
  fi
}

# compat_check_copies CORE EXT: every case of the core compat folder is the
# extended one's: the same cases.tsv row, archive bytes and expected files.
compat_check_copies() {
  local core=$1 ext=$2 id row
  while IFS= read -r row; do
    id=${row%%$'\t'*}
    grep -qxF -- "$row" "$ext/cases.tsv" ||
      report+="$core/cases.tsv: the row of $id differs from $ext/cases.tsv"$'\n'
    cmp -s "$core/archives/$id.agc" "$ext/archives/$id.agc" ||
      report+="$core/archives/$id.agc differs from $ext/archives/$id.agc"$'\n'
    diff -r -q "$core/expected/$id" "$ext/expected/$id" >/dev/null ||
      report+="$core/expected/$id differs from $ext/expected/$id"$'\n'
  done < <(tail -n +2 "$core/cases.tsv")
}

# compat_check_root: the fixture set of $COMPAT is consistent (cases.tsv,
# archives/ and expected/ name the same ids; every expected row is sane);
# appends problems to report and the ids to covered.
compat_check_root() {
  local id f
  local -a from_cases from_archives from_expected
  mapfile -t from_cases < <(compat_ids_from_cases | LC_ALL=C sort)
  mapfile -t from_archives < <(cd "$COMPAT/archives" && for f in *.agc; do [[ -e $f ]] && echo "${f%.agc}"; done | LC_ALL=C sort)
  mapfile -t from_expected < <(cd "$COMPAT/expected" && for f in */; do [[ -d $f ]] && echo "${f%/}"; done | LC_ALL=C sort)
  ((${#from_cases[@]} > 0)) || report+="$COMPAT/cases.tsv lists no archive"$'\n'
  [[ "${from_cases[*]}" == "${from_archives[*]}" ]] ||
    report+="ids of $COMPAT/cases.tsv and archives/*.agc differ: $(diff <(printf '%s\n' "${from_cases[@]}") <(printf '%s\n' "${from_archives[@]}") | grep '^[<>]' | tr '\n' ' ')"$'\n'
  [[ "${from_cases[*]}" == "${from_expected[*]}" ]] ||
    report+="ids of $COMPAT/cases.tsv and expected/*/ differ: $(diff <(printf '%s\n' "${from_cases[@]}") <(printf '%s\n' "${from_expected[@]}") | grep '^[<>]' | tr '\n' ' ')"$'\n'
  covered+=("${from_cases[@]}" "${from_archives[@]}")

  # every row: 4 fields, known command, agc's exit 0, sane sizes, parseable
  local bad
  for id in "${from_expected[@]}"; do
    for f in listref.txt listset.txt listctg.txt info.txt outputs.tsv; do
      [[ -f $COMPAT/expected/$id/$f ]] || report+="missing $COMPAT/expected/$id/$f"$'\n'
    done
    [[ -f $COMPAT/expected/$id/outputs.tsv ]] || continue
    bad=$(awk -F'\t' -v e="$COMPAT_EMPTY_MD5" '
      NR == 1 { if ($0 != "command\texit\tbytes\tmd5") print "line 1: bad header"; next }
      $0 == "" { next }
      NF != 4 { print "line " NR ": " NF " fields"; next }
      {
        split($1, w, " ")
        if (w[1] != "getcol" && w[1] != "getset" && w[1] != "getctg") print "line " NR ": unknown command " w[1]
        if ($2 != "0") print "line " NR ": exit " $2
        if ($3 !~ /^[0-9]+$/ || length($4) != 32 || $4 !~ /^[0-9a-f]+$/) print "line " NR ": bad bytes/md5"
        if (($3 == 0) != ($4 == e)) print "line " NR ": bytes and md5 disagree"
        if ($3 == 0 && w[1] == "getcol") print "line " NR ": empty getcol output"
        if (index(" " $1 " ", " {A} ") == 0) print "line " NR ": no {A}"
      }' "$COMPAT/expected/$id/outputs.tsv")
    [[ -z $bad ]] || report+="$COMPAT/expected/$id/outputs.tsv: $(echo "$bad" | tr '\n' ';')"$'\n'
  done
}

# The checks the suites call: each loops over many rows in bash, untraced
# (bats/untraced.bash).
compat_check_lists() { untraced _compat_check_lists "$@"; }
compat_check_rows() { untraced _compat_check_rows "$@"; }
compat_check_threads() { untraced _compat_check_threads "$@"; }
compat_check_getcol_dir() { untraced _compat_check_getcol_dir "$@"; }
compat_check_fixtures() { untraced _compat_check_fixtures "$@"; }
