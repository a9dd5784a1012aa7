# Where the bats suites find their fixtures: two data roots laid out alike
# (compat/archives, compat/expected, compat/cases.tsv, data/...).
#
#   core      <repo>/test/data, part of the repository, always there
#             ($RAGC_TEST_DATA overrides it)
#   extended  $RAGC_SHARED, default <repo>/../shared: the large genomes and
#             the archives made from them; may be absent
#
# A fixture path resolves to the core root when the file is there, else to
# the extended root.  A test that needs data found in neither is skipped with
# a reason naming it (need_data), never failed and never dropped silently.

# data_roots_init: sets CORE_ROOT and EXT_ROOT (absolute when they exist).
# Fails when the core root is missing: then the checkout itself is broken.
data_roots_init() {
  CORE_ROOT=${RAGC_TEST_DATA:-$BATS_TEST_DIRNAME/../test/data}
  if [[ ! -d $CORE_ROOT/compat/archives ]]; then
    echo "test data missing: $CORE_ROOT/compat/archives (the repository's test/data; set RAGC_TEST_DATA to override)" >&2
    return 1
  fi
  CORE_ROOT=$(cd "$CORE_ROOT" && pwd -P)
  EXT_ROOT=${RAGC_SHARED:-$BATS_TEST_DIRNAME/../../shared}
  if [[ -d $EXT_ROOT ]]; then
    EXT_ROOT=$(cd "$EXT_ROOT" && pwd -P)
  fi
}

# data_path REL: the path of fixture REL: in the core root when it is there,
# else in the extended root (whether or not it is there: see have_data).
data_path() {
  if [[ -e $CORE_ROOT/$1 ]]; then
    printf '%s\n' "$CORE_ROOT/$1"
  else
    printf '%s\n' "$EXT_ROOT/$1"
  fi
}

# have_data REL...: true when every fixture REL is in one of the roots.
have_data() {
  local rel
  for rel in "$@"; do
    [[ -e $CORE_ROOT/$rel || -e $EXT_ROOT/$rel ]] || return 1
  done
}

# data_set_name REL: the data set REL belongs to, for messages: data/NAME for
# files under data/NAME/, else REL itself.
data_set_name() {
  local rel=$1 rest
  if [[ $rel == data/*/* ]]; then
    rest=${rel#data/}
    printf 'data/%s\n' "${rest%%/*}"
  else
    printf '%s\n' "$rel"
  fi
}

# missing_data_reason REL: the skip reason for a fixture found in neither root.
missing_data_reason() {
  printf 'extended data missing: %s (set RAGC_SHARED=/path/to/shared)\n' "$(data_set_name "$1")"
}

# need_data REL...: skips the current test unless every fixture REL is in one
# of the roots; the reason names the first missing one.  Call it from the
# test (or setup) itself, not inside $(...).
need_data() {
  local rel
  for rel in "$@"; do
    if [[ ! -e $CORE_ROOT/$rel && ! -e $EXT_ROOT/$rel ]]; then
      skip "$(missing_data_reason "$rel")"
    fi
  done
}

# not_run_note TEXT: a TAP comment in the suite's output (for cases of a
# data-driven loop that could not run).
not_run_note() {
  printf '# %s\n' "$1" >&3
}
