# Helpers for bats/cli.bats: command-line conventions of `ragc`.
#
# Environment:
#   RAGC          binary under test (absolute path; default <repo>/ragc)
#   RAGC_SHARED   the extended data (default <repo>/../shared; see data-roots.bash)
#   RAGC_TIMEOUT  seconds allowed per ragc run (default 60)
#
# Expected values come from the fixture inputs (FASTA files under data/) or
# from compat/expected/ of the data roots, never from ragc itself.

if [[ -f /usr/lib/bats/bats-support/load.bash ]]; then
  load /usr/lib/bats/bats-support/load.bash
  load /usr/lib/bats/bats-assert/load.bash
else
  bats_load_library bats-support
  bats_load_library bats-assert
fi
load data-roots

# shellcheck disable=SC2034  # variables shared with cli.bats
CLI_COMMANDS=(listref listset listctg info getset getctg getcol)

# cli_init: sets RAGC, REPO, TOY, SENT (archives), TOYDATA, SENTDATA (their
# inputs), SENT_EXP (agc's outputs for senterica.agc), T (a scratch folder).
# Fails (never skips) naming a missing core path; the senterica ones are in
# the extended data only: tests using them start with need_senterica.
cli_init() {
  REPO=$(cd "$BATS_TEST_DIRNAME/.." && pwd -P)
  data_roots_init || return 1
  TOY=$(data_path compat/archives/toy.agc)
  SENT=$(data_path compat/archives/senterica.agc)
  TOYDATA=$(data_path data/toy)
  SENTDATA=$(data_path data/senterica-10)
  SENT_EXP=$(data_path compat/expected/senterica/outputs.tsv)
  local p
  for p in "$TOY" "$TOYDATA/ref.fa" "$TOYDATA/a.fa" "$TOYDATA/b.fa" "$TOYDATA/c.fa"; do
    if [[ ! -f $p ]]; then
      fail "test data missing: $p (looked in $CORE_ROOT and $EXT_ROOT)"
      return 1
    fi
  done

  RAGC=${RAGC:-$BATS_TEST_DIRNAME/../ragc}
  [[ $RAGC == /* ]] || RAGC=$PWD/$RAGC
  if [[ ! -f $RAGC || ! -x $RAGC ]]; then
    fail "binary under test not found or not executable: RAGC=$RAGC (build it, or set RAGC=/abs/path/ragc)"
    return 1
  fi
  CLI_TIMEOUT=${RAGC_TIMEOUT:-60}
  T=$BATS_TEST_TMPDIR
  export RAGC
}

# need_senterica: skips the test unless the senterica archive, its inputs
# and agc's outputs for it (extended data) are there.
need_senterica() {
  need_data compat/archives/senterica.agc data/senterica-10/SAL_AA7743AA.fasta.gz \
    compat/expected/senterica/outputs.tsv
}

# ---------------------------------------------------------------- running ragc

# rr ARGS...: run "$RAGC" ARGS (stdin /dev/null, under a timeout). Sets
# status, output (stdout, trailing newlines stripped, as bats' run; only a
# placeholder beyond 1 MiB), stderr,
# and OUT/ERR, the files holding the exact bytes. Fails the test at once on a
# sanitizer report or a timeout.
rr() {
  OUT=$T/rr.out
  ERR=$T/rr.err
  status=0
  timeout -k 5 "$CLI_TIMEOUT" "$RAGC" "$@" </dev/null >"$OUT" 2>"$ERR" || status=$?
  # large outputs are compared as files; keep $output small
  if (($(stat -c %s "$OUT") <= 1048576)); then
    output=$(cat "$OUT")
  else
    output="<$(stat -c %s "$OUT") bytes in $OUT>"
  fi
  stderr=$(head -c 1048576 "$ERR")
  RR_CMD=$(cli_quote ragc "$@")
  cli_no_sanitizer "$ERR" || return 1
  if ((status == 124 || status == 137)); then
    fail "timed out after ${CLI_TIMEOUT}s: $RR_CMD"
    return 1
  fi
}

# cli_no_sanitizer FILE: fail if FILE holds a sanitizer report.
cli_no_sanitizer() {
  if [[ -s $1 ]] && grep -q -E 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' "$1"; then
    fail "sanitizer report on stderr of ${RR_CMD:-ragc}:"$'\n'"$(head -n 30 "$1")"
    return 1
  fi
}

cli_quote() {
  local s="" a
  for a in "$@"; do s+="$(printf '%q' "$a") "; done
  printf '%s' "${s% }"
}

# rr_ok ARGS...: rr, and the run must exit 0.
rr_ok() {
  rr "$@" || return 1
  if ((status != 0)); then
    fail "expected exit 0 from: $RR_CMD"$'\n'"got exit $status; stderr:"$'\n'"$(head -n 5 "$ERR")"
    return 1
  fi
}

# rr_fail CMD ARGS...: run `ragc CMD ARGS`; it must exit non-zero (a clean
# exit, not a signal) with a stderr line starting "ragc CMD: ".
rr_fail() {
  local cmd=$1
  rr "$@" || return 1
  cli_check_failed "$cmd"
}

# cli_check_failed CMD: the last rr run failed the documented way.
cli_check_failed() {
  local cmd=$1
  if ((status == 0)); then
    fail "expected a non-zero exit from: $RR_CMD"$'\n'"got exit 0; stderr:"$'\n'"$(head -n 5 "$ERR")"
    return 1
  fi
  if ((status > 125)); then
    fail "exit $status (killed by a signal?) instead of a clean error exit: $RR_CMD"$'\n'"$(head -n 5 "$ERR")"
    return 1
  fi
  if ! grep -q -- "^ragc $cmd: " "$ERR"; then
    fail "no stderr line starting 'ragc $cmd: ' from: $RR_CMD (exit $status)"$'\n'"stderr:"$'\n'"$(head -n 5 "$ERR")"
    return 1
  fi
}

# assert_out_file FILE: the exact stdout bytes of the last rr run equal FILE.
assert_out_file() {
  if ! cmp -s "$OUT" "$1"; then
    fail "stdout of $RR_CMD differs from the expected $1:"$'\n'"$(diff "$1" "$OUT" | head -n 10 | cut -c1-160)"
    return 1
  fi
}

# assert_same_file EXPECTED GOT [WHAT]
assert_same_file() {
  if ! cmp -s "$1" "$2"; then
    fail "${3:-files differ}: $2 is not byte-identical to $1"$'\n'"$(diff "$1" "$2" 2>&1 | head -n 10 | cut -c1-160)"
    return 1
  fi
}

# ---------------------------------------------------------------- expected values from FASTA

# fasta_record FILE NAME: the sequence (one line, no newline) of the record
# whose short name (up to the first whitespace) is NAME; FILE may be gzipped.
fasta_record() {
  local f=$1 name=$2
  gzip -dcf "$f" | awk -v n="$name" '
    /^>/ { split(substr($0, 2), w, /[ \t]/); on = (w[1] == n); if (on) found = 1; next }
    on { printf "%s", $0 }
    END { if (!found) exit 3 }'
}

# fasta_first_name FILE: the short name of the first record.
fasta_first_name() {
  gzip -dcf "$1" | awk '/^>/ { split(substr($0, 2), w, /[ \t]/); print w[1]; exit }'
}

# fasta_reformat WIDTH < FASTA: the same records, sequence wrapped at WIDTH
# (agc's layout: full lines of WIDTH, then the rest; no empty line).
fasta_reformat() {
  awk -v w="$1" '
    function flush() { for (i = 1; i <= length(s); i += w) print substr(s, i, w); s = "" }
    /^>/ { flush(); print; next }
    { s = s $0 }
    END { flush() }'
}

# wrap WIDTH: wrap one sequence on stdin at WIDTH.
wrap() {
  fasta_reformat "$1"
}

# md5_of FILE
md5_of() {
  local m
  m=$(md5sum <"$1")
  printf '%s' "${m%% *}"
}

# sent_row CMD: sets ROW_BYTES and ROW_MD5 from the senterica outputs.tsv row
# whose command is exactly CMD.
sent_row() {
  local line
  line=$(awk -F'\t' -v c="$1" '$1 == c { print $3 "\t" $4; exit }' "$SENT_EXP")
  if [[ -z $line ]]; then
    fail "no row '$1' in $SENT_EXP"
    return 1
  fi
  ROW_BYTES=${line%%$'\t'*}
  ROW_MD5=${line#*$'\t'}
}

# no_litter DIR: DIR holds no FILE.tmp.* leftovers.
no_litter() {
  local left
  left=$(cd "$1" && ls -A | grep -E '\.tmp\.' || true)
  if [[ -n $left ]]; then
    fail "temporary files left in $1: $left"
    return 1
  fi
}

# is_root: true when permission bits do not stop us (root or CAP_DAC_OVERRIDE).
is_root() {
  [[ $(id -u) == 0 ]]
}
