# Helpers for bats/lossless.bats (issue 8: every byte of every input comes
# back).
#
# Environment:
#   RAGC             binary under test (default <repo>/ragc)
#   RAGC_PLUGIN_DIR  folder holding hfile_agc.so (default: the folder of $RAGC)
#   RAGC_AGC         an agc 3.2.2 binary (optional: its test is skipped without it)
#   RAGC_TIMEOUT     seconds allowed per command (default 120)
#
# Expected values are computed from the input FASTA files (awk, tr, gzip),
# never from ragc's own output: the file's bytes, or its case view or upper
# view (bats/fasta-views.bash).

# shellcheck disable=SC2034,SC2154  # variables shared with lossless.bats and set by cli-helpers

load create-helpers

# ll_init: create_init (RAGC, DATA, T, CLI_TIMEOUT), then EDGE (the
# fasta-edge folder), EDGE_FILES (its 26 FASTA files, sorted), STREAMS (the
# container lister), PLUGIN_DIR, PLUGIN.  Fails naming anything missing.
ll_init() {
  create_init || return 1
  EDGE=$DATA/fasta-edge
  local f
  EDGE_FILES=()
  for f in "$EDGE"/*.fa "$EDGE"/*.fasta; do
    [[ -f $f ]] && EDGE_FILES+=("$f")
  done
  mapfile -t EDGE_FILES < <(printf '%s\n' "${EDGE_FILES[@]}" | LC_ALL=C sort)
  if ((${#EDGE_FILES[@]} != 26)); then
    fail "expected the 26 FASTA files of $EDGE, found ${#EDGE_FILES[@]}"
    return 1
  fi
  STREAMS=$BATS_TEST_DIRNAME/agc-streams.py
  command -v python3 >/dev/null || { fail "python3 not found (bats/agc-streams.py needs it)"; return 1; }
  PLUGIN_DIR=${RAGC_PLUGIN_DIR:-${RAGC%/*}}
  [[ $PLUGIN_DIR == /* ]] || PLUGIN_DIR=$PWD/$PLUGIN_DIR
  PLUGIN=$PLUGIN_DIR/hfile_agc.so
  CLI_TIMEOUT=${RAGC_TIMEOUT:-120}
}

# need_plugin: the plugin must exist; in a sanitizer build (where it is not
# built) the test is skipped instead.
need_plugin() {
  [[ -f $PLUGIN ]] && return 0
  if [[ $RAGC == */san/* ]]; then
    skip "the htslib plugin is built in the plain build only"
  fi
  fail "htslib plugin not found: $PLUGIN (run make, or set RAGC_PLUGIN_DIR)"
  return 1
}

# fasta_view and join_records (plain bash, shared with corrupt-original.bash)
# shellcheck source=bats/fasta-views.bash
source "$BATS_TEST_DIRNAME/fasta-views.bash"

# ---------------------------------------------------------------- running things

# ll_create ARCHIVE ARGS...: `ragc create -t 2 -o ARCHIVE ARGS` must succeed.
ll_create() {
  local arc=$1
  shift
  rm -f "$arc"
  rr_ok create -t 2 -o "$arc" "$@"
}

# original_is ARCHIVE SAMPLE FILE: `ragc getset --original ARCHIVE SAMPLE`
# succeeds and prints exactly the bytes of FILE (gzip files decompressed);
# sets LL_WHY (empty when it does) instead of failing the test.
original_is() {
  local arc=$1 s=$2 f=$3
  LL_WHY=
  gzip -dcf -- "$f" >"$T/want.orig"
  rr getset --original "$arc" "$s" || { LL_WHY="$RR_CMD: timed out or sanitizer report"; return 1; }
  if ((status != 0)); then
    LL_WHY="$RR_CMD exited $status: $(head -n 3 "$ERR")"
    return 1
  fi
  local want got
  want=$(md5_of "$T/want.orig") got=$(md5_of "$OUT")
  if [[ $want != "$got" ]]; then
    LL_WHY="$RR_CMD: md5 $got, the input's is $want; $(cmp "$T/want.orig" "$OUT" 2>&1 | head -n 1)"
    return 1
  fi
}

# round_trip_original FILE [CREATE_OPTION...]: create an archive from FILE,
# then original_is for its sample; sets LL_WHY.
round_trip_original() {
  local f=$1
  shift
  LL_WHY=
  rm -f "$T/rt.agc"
  rr create -t 2 -o "$T/rt.agc" "$@" "$f" || { LL_WHY="$RR_CMD: timed out or sanitizer report"; return 1; }
  if ((status != 0)); then
    LL_WHY="$RR_CMD exited $status: $(head -n 3 "$ERR")"
    return 1
  fi
  original_is "$T/rt.agc" "$(sample_name_of "$f")" "$f"
}

# no_original_fails CMD ARGS...: `ragc CMD ARGS` fails with "ragc CMD:
# sample ... has no original form" on stderr and nothing on stdout.
no_original_fails() {
  rr_fail "$@" || return 1
  stderr_has "has no original form" || return 1
  [[ ! -s $OUT ]] || fail "$RR_CMD failed but printed $(stat -c %s "$OUT") bytes"
}
