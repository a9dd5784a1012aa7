# Helpers for bats/create.bats: `ragc create` round trips and failures.
#
# Environment:
#   RAGC          binary under test (default <repo>/ragc)
#   RAGC_SHARED   the extended data (default <repo>/../shared; see data-roots.bash)
#   RAGC_TIMEOUT  seconds allowed per ragc run (default 120)
#
# Expected values come from the input FASTA files only (normalised below the
# way ragc prints them: the case view of fasta-views.bash by default, agc's
# upper-case view for archives made with --no-original), never from ragc
# itself.  The generic runners (rr,
# rr_ok, rr_fail, assert_same_file, no_litter, ...) are those of cli.bats.

# shellcheck disable=SC2034,SC2154  # variables shared with create.bats and set by cli-helpers

load cli-helpers
load untraced

# fasta_view (the case view of what readers print by default)
# shellcheck source=bats/fasta-views.bash
source "$BATS_TEST_DIRNAME/fasta-views.bash"

# create_init: sets RAGC, DATA (the core test data's data/: toy, hsmt-50,
# hsmt-49-concat.fa, fasta-edge), SENT10 and SARS (data/senterica-10 and
# data/sarscov2-418, in the extended data only: tests using them start with
# need_data), T (scratch folder), CLI_TIMEOUT.  Fails (never skips) naming a
# missing core path.
create_init() {
  data_roots_init || return 1
  DATA=$CORE_ROOT/data
  SENT10=$(data_path data/senterica-10)
  SARS=$(data_path data/sarscov2-418)
  local p
  for p in "$DATA/toy/ref.fa" "$DATA/toy/a.fa" "$DATA/toy/b.fa" \
    "$DATA/toy/c.fa" "$DATA/toy/ref2.fa" "$DATA/hsmt-50/HG00140.fa" \
    "$DATA/hsmt-49-concat.fa" "$DATA/fasta-edge/htslib.xx.fa"; do
    if [[ ! -f $p ]]; then
      fail "test data missing: $p"
      return 1
    fi
  done
  RAGC=${RAGC:-$BATS_TEST_DIRNAME/../ragc}
  [[ $RAGC == /* ]] || RAGC=$PWD/$RAGC
  if [[ ! -f $RAGC || ! -x $RAGC ]]; then
    fail "binary under test not found or not executable: RAGC=$RAGC (build it, or set RAGC=/abs/path/ragc)"
    return 1
  fi
  CLI_TIMEOUT=${RAGC_TIMEOUT:-120}
  T=$BATS_TEST_TMPDIR
  export RAGC
}

# ---------------------------------------------------------------- expected values

# fasta_norm FILE...: the records of the FASTA files (plain or gzip/BGZF, by
# content) as agc prints them: ">" + the whole header (one trailing \r
# removed), the sequence without blanks, upper case, in lines of 80 (an empty
# sequence: the header line only), every line ending in \n.
_fasta_norm() {
  local f
  for f in "$@"; do
    gzip -dcf -- "$f" | LC_ALL=C awk '
      function emit(   n, p) {
        n = length(buf); p = 1
        while (n - p + 1 >= 80) { print substr(buf, p, 80); p += 80 }
        buf = substr(buf, p)
      }
      function finish() { emit(); if (length(buf)) print buf; buf = "" }
      { sub(/\r$/, "") }
      /^>/ { if (inrec) finish(); inrec = 1; print; next }
      { gsub(/[ \t\r\v\f]/, ""); buf = buf toupper($0); emit() }
      END { if (inrec) finish() }' || return 1
  done
}

# sample_name_of PATH: agc's sample name: the file name without its last
# extension (std::filesystem stem), then without trailing .fna/.gz/.fa/.fasta.
sample_name_of() {
  local b=${1##*/} s again=1 x
  s=${b%.*}
  [[ $b == *.* && -n $s && $b != .. ]] && b=$s
  while ((again)); do
    again=0
    for x in .fna .gz .fa .fasta; do
      if [[ $b == *"$x" && ${#b} -gt ${#x} ]]; then
        b=${b%"$x"}
        again=1
        break
      fi
    done
  done
  printf '%s\n' "$b"
}

# sample_names PATH...: the sample names, sorted (byte order) and unique.
_sample_names() {
  local f
  for f in "$@"; do sample_name_of "$f"; done | LC_ALL=C sort -u
}

# ---------------------------------------------------------------- running create

# create_ok ARCHIVE ARGS...: `ragc create -t 2 -o ARCHIVE ARGS` must succeed.
create_ok() {
  local arc=$1
  shift
  rr_ok create -t 2 -o "$arc" "$@"
}

# want_fasta VIEW FILE...: what getcol prints for FILE... stored by
# `ragc create`: VIEW=case (the default: lower case and odd bytes come back as
# the input held them) or VIEW=upper (--no-original: as agc prints them).
want_fasta() {
  local view=$1 f
  shift
  if [[ $view == upper ]]; then
    fasta_norm "$@"
    return
  fi
  for f in "$@"; do fasta_view case 80 "$f" || return 1; done
}

# check_archive ARCHIVE FILE...: ARCHIVE holds exactly FILE... (the first one
# the reference), in this order: getcol, listset and listref agree with the
# FASTA files.  CHECK_VIEW (case unless set; upper for an archive made with
# --no-original) chooses the expected text (see want_fasta).
_check_archive() {
  local arc=$1
  shift
  want_fasta "${CHECK_VIEW:-case}" "$@" >"$T/want.fa" || { fail "cannot normalise the inputs"; return 1; }
  rr_ok getcol "$arc" || return 1
  assert_same_file "$T/want.fa" "$OUT" "getcol of $arc vs the inputs" || return 1
  sample_names "$@" >"$T/want.sets"
  rr_ok listset "$arc" || return 1
  assert_same_file "$T/want.sets" "$OUT" "listset of $arc vs the file names" || return 1
  rr_ok listref "$arc" || return 1
  assert_equal "$output" "$(sample_name_of "$1")"
}

# round_trip [OPTION...] -- FILE...: create with OPTIONS from FILE..., then
# check_archive (against agc's upper-case view when OPTIONS hold
# --no-original, the case view otherwise).
_round_trip() {
  local opts=() CHECK_VIEW=case
  while (($#)) && [[ $1 != -- ]]; do
    [[ $1 == --no-original ]] && CHECK_VIEW=upper
    opts+=("$1")
    shift
  done
  shift
  local arc=$T/rt.agc
  rm -f "$arc"
  create_ok "$arc" "${opts[@]}" "$@" || return 1
  check_archive "$arc" "$@"
}

# create_must_fail ARGS...: `ragc create -t 2 -o OUT ARGS` fails the
# documented way (non-zero exit, a line starting "ragc create: "), without
# creating OUT; run again over an existing OUT, which must be left unchanged.
# No OUT.tmp.* is left either time.  CF_ERR holds the first run's stderr.
create_must_fail() {
  local d=$T/out
  rm -rf "$d"
  mkdir -p "$d"
  local o=$d/out.agc
  rr_fail create -t 2 -o "$o" "$@" || return 1
  CF_ERR=$stderr
  [[ ! -e $o ]] || { fail "$RR_CMD failed but created $o"; return 1; }
  no_litter "$d" || return 1
  printf 'an older archive\n' >"$o"
  local before after
  before=$(md5sum <"$o")
  rr_fail create -t 2 -o "$o" "$@" || return 1
  after=$(md5sum <"$o")
  [[ $before == "$after" ]] || { fail "$RR_CMD failed but changed the existing $o"; return 1; }
  no_litter "$d"
}

# stderr_has TEXT: the last run's stderr contains TEXT.
stderr_has() {
  [[ $stderr == *"$1"* ]] || fail "stderr of $RR_CMD does not mention '$1':"$'\n'"$stderr"
}

# The checks that loop in bash over every input file (418 of them for
# sarscov2-418) run untraced (bats/untraced.bash).
fasta_norm() { untraced _fasta_norm "$@"; }
sample_names() { untraced _sample_names "$@"; }
check_archive() { untraced _check_archive "$@"; }
round_trip() { untraced _round_trip "$@"; }
