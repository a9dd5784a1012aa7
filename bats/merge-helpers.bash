# Helpers for bats/merge.bats: `ragc create --like` (shards of a base
# archive) and `ragc merge` (issue 16, docs/scale-out.md).
#
# Environment:
#   RAGC          binary under test (default <repo>/ragc)
#   RAGC_SHARED   the extended data (default <repo>/../shared; see data-roots.bash)
#   RAGC_AGC      agc 3.2.2 (optional: the tests reading merged archives with
#                 agc are skipped without it)
#   RAGC_TIMEOUT  seconds allowed per ragc run (default 120)
#
# Expected values come from the input FASTA files (getset --original gives
# them back byte for byte; getset prints their case view, fasta-views.bash),
# never from ragc's output of the thing under test.  A single `ragc create`
# of the same files is used only as a second check (content, bytes).

# shellcheck disable=SC2034,SC2154  # variables shared with merge.bats and set by cli-helpers

load create-helpers

# merge_init: create_init, then HSMT (the hsmt-50 folder, core data), HS
# (its first 10 files, sorted), SENT10 (senterica-10, extended data only).
merge_init() {
  create_init || return 1
  HSMT=$DATA/hsmt-50
  mapfile -t HS < <(LC_ALL=C ls "$HSMT"/*.fa | head -n 10)
  if ((${#HS[@]} < 10)); then
    fail "test data missing: fewer than 10 FASTA files in $HSMT"
    return 1
  fi
}

# need_agc: skips unless RAGC_AGC names agc 3.2.2; fails when it is set but
# not an executable.
need_agc() {
  [[ -n ${RAGC_AGC:-} ]] ||
    skip "RAGC_AGC is not set: no agc 3.2.2 binary to read the merged archive with (set RAGC_AGC=/path/to/agc)"
  if [[ ! -x $RAGC_AGC ]]; then
    fail "RAGC_AGC=$RAGC_AGC is not an executable file"
    return 1
  fi
}

# agc_run ARGS...: run agc under a timeout; stdout in $T/agc.out, stderr in
# $T/agc.err, exit status in AGC_RC.
agc_run() {
  AGC_RC=0
  timeout -k 5 "$CLI_TIMEOUT" "$RAGC_AGC" "$@" </dev/null >"$T/agc.out" 2>"$T/agc.err" || AGC_RC=$?
}

# ---------------------------------------------------------------- building

# shard_set DIR BASE_FILES SHARD1_FILES SHARD2_FILES [OPTION...]: builds
# DIR/base.agc (create OPTION... of the first list), DIR/s1.agc and
# DIR/s2.agc (create --like base.agc), DIR/m.agc (merge base s1 s2) and
# DIR/single.agc (create OPTION... of all files in that order).  The lists
# are names of arrays.  Every step must succeed; a set built once is reused
# (DIR/.done).
shard_set() {
  local dir=$1
  local -n _b=$2 _s1=$3 _s2=$4
  shift 4
  [[ -f $dir/.done ]] && return 0
  mkdir -p "$dir"
  rr_ok create -t 2 "$@" -o "$dir/base.agc" "${_b[@]}" || return 1
  rr_ok create -t 2 --like "$dir/base.agc" -o "$dir/s1.agc" "${_s1[@]}" || return 1
  rr_ok create -t 2 --like "$dir/base.agc" -o "$dir/s2.agc" "${_s2[@]}" || return 1
  rr_ok merge -t 2 -o "$dir/m.agc" "$dir/base.agc" "$dir/s1.agc" "$dir/s2.agc" || return 1
  rr_ok create -t 2 "$@" -o "$dir/single.agc" "${_b[@]}" "${_s1[@]}" "${_s2[@]}" || return 1
  touch "$dir/.done"
}

# core_set: the hsmt set of the brief in $BATS_FILE_TMPDIR/core: a base of
# HS[0..2], shards of HS[3..4] and HS[5..6]; CORE_FILES = the 7 files in
# merge order.
core_set() {
  local b=("${HS[@]:0:3}") s1=("${HS[@]:3:2}") s2=("${HS[@]:5:2}")
  CORE=$BATS_FILE_TMPDIR/core
  CORE_FILES=("${b[@]}" "${s1[@]}" "${s2[@]}")
  shard_set "$CORE" b s1 s2
}

# ---------------------------------------------------------------- checking

# check_samples ARCHIVE FILE...: ARCHIVE holds exactly the samples of
# FILE..., stored in this order: listset is their names sorted (listset
# sorts), getcol (stored order) the case views of the files one after the
# other, listref the first; every sample's `getset --original` is its file
# byte for byte (after gunzip) and its `getset` the case view of the file.
check_samples() {
  local arc=$1 f
  shift
  sample_names "$@" >"$T/want.sets"
  rr_ok listset "$arc" || return 1
  assert_same_file "$T/want.sets" "$OUT" "listset of $arc vs the inputs' names" || return 1
  for f in "$@"; do fasta_view case 80 "$f"; done >"$T/want.col"
  rr_ok getcol "$arc" || return 1
  assert_same_file "$T/want.col" "$OUT" "getcol of $arc (stored order) vs the inputs in merge order" || return 1
  rr_ok listref "$arc" || return 1
  assert_equal "$output" "$(sample_name_of "$1")" || return 1
  check_samples_subset "$arc" "$@"
}

# check_agc_reads ARCHIVE FILE...: agc's listset (sorted names), getcol
# (stored order: the files in this order) and getset of every sample, all in
# agc's upper-case view of the files.
check_agc_reads() {
  local arc=$1 f s
  shift
  sample_names "$@" >"$T/want.sets"
  agc_run listset "$arc"
  ((AGC_RC == 0)) || { fail "agc listset $arc exited $AGC_RC: $(head -n 3 "$T/agc.err")"; return 1; }
  assert_same_file "$T/want.sets" "$T/agc.out" "agc listset of $arc" || return 1
  for f in "$@"; do fasta_view upper 80 "$f"; done >"$T/want.col"
  agc_run getcol "$arc"
  ((AGC_RC == 0)) || { fail "agc getcol $arc exited $AGC_RC: $(head -n 3 "$T/agc.err")"; return 1; }
  assert_same_file "$T/want.col" "$T/agc.out" "agc getcol of $arc vs the inputs in merge order" || return 1
  for f in "$@"; do
    s=$(sample_name_of "$f")
    agc_run getset "$arc" "$s"
    ((AGC_RC == 0)) || { fail "agc getset $arc $s exited $AGC_RC: $(head -n 3 "$T/agc.err")"; return 1; }
    fasta_view upper 80 "$f" >"$T/want.view"
    assert_same_file "$T/want.view" "$T/agc.out" "agc getset $s vs the upper-case view of $f" || return 1
  done
}

# assert_size_ratio MERGED SINGLE: MERGED's bytes are at most 1.03 times
# SINGLE's; both sizes in the message otherwise.
assert_size_ratio() {
  local m s
  m=$(stat -c %s "$1")
  s=$(stat -c %s "$2")
  if ((m * 100 > s * 103)); then
    fail "$(printf 'merged archive too large: %s has %d bytes, a single create (%s) %d: ratio %s > 1.03' \
      "$1" "$m" "$2" "$s" "$(awk -v m="$m" -v s="$s" 'BEGIN { printf "%.4f", m / s }')")"
    return 1
  fi
}

# merge_must_fail TEXT ARGS...: `ragc merge -o OUT ARGS` fails the
# documented way (non-zero exit, a line "ragc merge: ..."), stderr
# mentioning TEXT (empty: any), without creating OUT or leaving OUT.tmp.*;
# every existing file among ARGS is byte for byte what it was.  Run again
# over an existing OUT, which must be left unchanged.
merge_must_fail() {
  local text=$1
  shift
  local d=$T/failout a
  rm -rf "$d"
  mkdir -p "$d"
  local o=$d/out.agc
  # copies of the inputs, compared (cmp) with them at the end
  local -a kept=()
  local n=0
  mkdir -p "$T/before"
  for a in "$@"; do
    if [[ -f $a ]]; then
      n=$((n + 1))
      cp -- "$a" "$T/before/$n"
      kept+=("$a")
    fi
  done
  rr_fail merge -t 2 -o "$o" "$@" || return 1
  [[ -z $text ]] || stderr_has "$text" || return 1
  [[ ! -e $o ]] || { fail "$RR_CMD failed but created $o"; return 1; }
  no_litter "$d" || return 1
  printf 'an older file\n' >"$o"
  local before
  before=$(md5sum <"$o")
  rr_fail merge -t 2 -o "$o" "$@" || return 1
  [[ $(md5sum <"$o") == "$before" ]] || { fail "$RR_CMD failed but changed the existing $o"; return 1; }
  no_litter "$d" || return 1
  n=0
  for a in "${kept[@]}"; do
    n=$((n + 1))
    cmp -s "$T/before/$n" "$a" || { fail "$RR_CMD changed its input $a"; return 1; }
  done
  rm -rf "$T/before"
}

# pansn_split SAMPLE FILE OUT: OUT holds FILE's (one record) sequence as two
# PanSN records SAMPLE#1#chrA (the first half) and SAMPLE#1#chrB (the rest),
# each on one line.
pansn_split() {
  LC_ALL=C awk -v s="$1" '
    /^>/ { next }
    { gsub(/[ \t\r]/, ""); q = q $0 }
    END {
      h = int(length(q) / 2)
      print ">" s "#1#chrA"; print substr(q, 1, h)
      print ">" s "#1#chrB"; print substr(q, h + 1)
    }' "$2" >"$3"
}

# records_named SUFFIX FILE...: the records of FILE... whose header ends
# in SUFFIX.
records_named() {
  local suffix=$1
  shift
  LC_ALL=C awk -v x="$suffix" '
    /^>/ { keep = substr($0, length($0) - length(x) + 1) == x }
    keep' "$@"
}

# edge_dict FILE: samtools dict of input FILE, without UR fields, each empty
# header named unnamed-K as ragc create names it (see bats/dict.bats), and
# without the contig samtools and ragc count differently (samtools.dict.fa's
# chr9_whitespace: control bytes in its sequence lines; dict.bats tests it).
edge_dict() {
  LC_ALL=C awk '/^>/ { k++; if ($0 ~ /^>[ \t\r\v\f]*$/) { print ">unnamed-" k; next } } { print }' "$1" \
    >"$T/dict-input.fa"
  samtools dict "$T/dict-input.fa" | sed $'s/\tUR:[^\t]*//' | grep -v $'\tSN:chr9_whitespace\t'
}

# check_samples_subset ARCHIVE FILE...: every sample of FILE... reads back
# exactly from ARCHIVE (getset --original: the file; getset: its case view).
check_samples_subset() {
  local arc=$1 f s
  shift
  for f in "$@"; do
    s=$(sample_name_of "$f")
    gzip -dcf -- "$f" >"$T/want.orig"
    rr_ok getset --original "$arc" "$s" || return 1
    assert_same_file "$T/want.orig" "$OUT" "getset --original $s vs its input $f" || return 1
    fasta_view case 80 "$f" >"$T/want.view"
    rr_ok getset "$arc" "$s" || return 1
    assert_same_file "$T/want.view" "$OUT" "getset $s vs the case view of $f" || return 1
  done
}
