#!/usr/bin/env bats
# Archives written by other AGC writers: the Rust port of AGC (ekg/ragc).
#
# test/data/foreign holds small archives it wrote and what agc 3.2.2 prints
# for them (same layout as compat/, see test/data/foreign/README.md); ragc must
# print byte-identical standard output for every recorded command, as in
# compat.bats (whose helpers this suite shares, with COMPAT_SET=foreign).
# Then append: agc's append loses the groups of such archives or writes
# samples it cannot read back, so ragc refuses them with the reason and
# writes nothing (docs/foreign-writers.md).
#
#   RAGC=/abs/path/ragc bats bats/foreign.bats        (make check sets RAGC)

load helpers

setup() {
  COMPAT_SET=foreign
  compat_init
}

@test "compat fixtures: consistent and every archive has its tests" {
  compat_check_fixtures "$BATS_TEST_FILENAME"
}

@test "compat rust-toy: lists" { compat_check_lists rust-toy; }
@test "compat rust-toy: getcol rows" { compat_check_rows rust-toy getcol; }
@test "compat rust-toy: getset rows" { compat_check_rows rust-toy getset; }
@test "compat rust-toy: getctg rows" { compat_check_rows rust-toy getctg; }
@test "compat rust-toy: -t 2 output" { compat_check_threads rust-toy; }

@test "compat rust-hsmt: lists" { compat_check_lists rust-hsmt; }
@test "compat rust-hsmt: getcol rows" { compat_check_rows rust-hsmt getcol; }
@test "compat rust-hsmt: getset rows" { compat_check_rows rust-hsmt getset; }
@test "compat rust-hsmt: getctg rows" { compat_check_rows rust-hsmt getctg; }
@test "compat rust-hsmt: -t 2 output" { compat_check_threads rust-hsmt; }

@test "compat rust-hsmt-k21: lists" { compat_check_lists rust-hsmt-k21; }
@test "compat rust-hsmt-k21: getcol rows" { compat_check_rows rust-hsmt-k21 getcol; }
@test "compat rust-hsmt-k21: getset rows" { compat_check_rows rust-hsmt-k21 getset; }
@test "compat rust-hsmt-k21: getctg rows" { compat_check_rows rust-hsmt-k21 getctg; }
@test "compat rust-hsmt-k21: -t 2 output" { compat_check_threads rust-hsmt-k21; }

@test "compat rust-hsmt-s2000: lists" { compat_check_lists rust-hsmt-s2000; }
@test "compat rust-hsmt-s2000: getcol rows" { compat_check_rows rust-hsmt-s2000 getcol; }
@test "compat rust-hsmt-s2000: getset rows" { compat_check_rows rust-hsmt-s2000 getset; }
@test "compat rust-hsmt-s2000: getctg rows" { compat_check_rows rust-hsmt-s2000 getctg; }
@test "compat rust-hsmt-s2000: -t 2 output" { compat_check_threads rust-hsmt-s2000; }

@test "compat rust-hsmt-k15s300: lists" { compat_check_lists rust-hsmt-k15s300; }
@test "compat rust-hsmt-k15s300: getcol rows" { compat_check_rows rust-hsmt-k15s300 getcol; }
@test "compat rust-hsmt-k15s300: getset rows" { compat_check_rows rust-hsmt-k15s300 getset; }
@test "compat rust-hsmt-k15s300: getctg rows" { compat_check_rows rust-hsmt-k15s300 getctg; }
@test "compat rust-hsmt-k15s300: -t 2 output" { compat_check_threads rust-hsmt-k15s300; }

@test "compat rust-hsmt-pansn: lists" { compat_check_lists rust-hsmt-pansn; }
@test "compat rust-hsmt-pansn: getcol rows" { compat_check_rows rust-hsmt-pansn getcol; }
@test "compat rust-hsmt-pansn: getset rows" { compat_check_rows rust-hsmt-pansn getset; }
@test "compat rust-hsmt-pansn: getctg rows" { compat_check_rows rust-hsmt-pansn getctg; }
@test "compat rust-hsmt-pansn: -t 2 output" { compat_check_threads rust-hsmt-pansn; }

@test "compat rust-hsmt-single: lists" { compat_check_lists rust-hsmt-single; }
@test "compat rust-hsmt-single: getcol rows" { compat_check_rows rust-hsmt-single getcol; }
@test "compat rust-hsmt-single: getset rows" { compat_check_rows rust-hsmt-single getset; }
@test "compat rust-hsmt-single: getctg rows" { compat_check_rows rust-hsmt-single getctg; }
@test "compat rust-hsmt-single: -t 2 output" { compat_check_threads rust-hsmt-single; }

@test "compat rust-sarscov2-120: lists" { compat_check_lists rust-sarscov2-120; }
@test "compat rust-sarscov2-120: getcol rows" { compat_check_rows rust-sarscov2-120 getcol; }
@test "compat rust-sarscov2-120: getset rows" { compat_check_rows rust-sarscov2-120 getset; }
@test "compat rust-sarscov2-120: getctg rows" { compat_check_rows rust-sarscov2-120 getctg; }
@test "compat rust-sarscov2-120: -t 2 output" { compat_check_threads rust-sarscov2-120; }

@test "compat rust-edge-small: lists" { compat_check_lists rust-edge-small; }
@test "compat rust-edge-small: getcol rows" { compat_check_rows rust-edge-small getcol; }
@test "compat rust-edge-small: getset rows" { compat_check_rows rust-edge-small getset; }
@test "compat rust-edge-small: getctg rows" { compat_check_rows rust-edge-small getctg; }
@test "compat rust-edge-small: -t 2 output" { compat_check_threads rust-edge-small; }

@test "compat rust-edge-odd: lists" { compat_check_lists rust-edge-odd; }
@test "compat rust-edge-odd: getcol rows" { compat_check_rows rust-edge-odd getcol; }
@test "compat rust-edge-odd: getset rows" { compat_check_rows rust-edge-odd getset; }
@test "compat rust-edge-odd: getctg rows" { compat_check_rows rust-edge-odd getctg; }
@test "compat rust-edge-odd: -t 2 output" { compat_check_threads rust-edge-odd; }

@test "compat rust-empty-sample: lists" { compat_check_lists rust-empty-sample; }
@test "compat rust-empty-sample: getcol rows" { compat_check_rows rust-empty-sample getcol; }
@test "compat rust-empty-sample: getset rows" { compat_check_rows rust-empty-sample getset; }
@test "compat rust-empty-sample: getctg rows" { compat_check_rows rust-empty-sample getctg; }
@test "compat rust-empty-sample: -t 2 output" { compat_check_threads rust-empty-sample; }

# append_refused ARCHIVE MESSAGE: `ragc append` of a FASTA to ARCHIVE fails
# with [E::check_appendable] MESSAGE and the CLI's line, and leaves no output.
append_refused() {
  local arc=$1 msg=$2 out=$BATS_TEST_TMPDIR/out.agc
  run timeout -k 5 60 "$RAGC" append -o "$out" "$arc" "$(data_path data/toy/ref2.fa)"
  assert_failure 1
  assert_output "[E::check_appendable] cannot append: $msg
ragc append: no archive written: the archive cannot be appended to (see above)"
  [[ ! -e $out ]] || fail "append left $out behind"
  [[ -z $(ls -A "$BATS_TEST_TMPDIR") ]] || fail "append left files behind: $(ls -A "$BATS_TEST_TMPDIR")"
}

# rewritten ID SPEC...: agc's archive compat/archives/ID.agc with the streams
# changed by agc-streams.py rewrite (STREAM SPEC pairs), into REWRITTEN.
rewritten() {
  local id=$1 src
  shift
  src=$(data_path "compat/archives/$id.agc")
  REWRITTEN=$BATS_FILE_TMPDIR/$id-$#-$RANDOM.agc
  cp "$src" "$REWRITTEN.0"
  local i=0
  while (($# >= 2)); do
    python3 "$BATS_TEST_DIRNAME/agc-streams.py" rewrite "$REWRITTEN.$i" "$1" "$2" "$REWRITTEN.$((i + 1))" ||
      fail "agc-streams.py rewrite $1 $2 failed"
    i=$((i + 1))
    shift 2
  done
  mv "$REWRITTEN.$i" "$REWRITTEN"
}

@test "foreign: append refuses the Rust port's archives (no raw group streams) and writes nothing" {
  append_refused "$(data_path foreign/archives/rust-toy.agc)" \
    "the archive lacks stream xDd of raw group 13, which agc's create always writes (its writer left empty groups out)"
  append_refused "$(data_path foreign/archives/rust-hsmt.agc)" \
    "the archive lacks stream x0d of raw group 0, which agc's create always writes (its writer left empty groups out)"
  # adding MD5s (append without inputs) goes through the same check
  run timeout -k 5 60 "$RAGC" append -o "$BATS_TEST_TMPDIR/md5.agc" "$(data_path foreign/archives/rust-hsmt.agc)"
  assert_failure 1
  assert_line --index 0 --partial "[E::check_appendable] cannot append: the archive lacks stream x0d"
  [[ ! -e $BATS_TEST_TMPDIR/md5.agc ]] || fail "append left md5.agc behind"
}

@test "foreign: append refuses archives without splitters, group keys or with a gap in the groups" {
  rewritten hsmt splitters empty:0
  append_refused "$REWRITTEN" \
    "the archive stores no splitters for its 19 groups, so new samples cannot be segmented as its samples were"
  rewritten hsmt segment-splitters empty:0
  append_refused "$REWRITTEN" \
    "the archive stores no group keys (segment-splitters) for its 19 groups, so new segments cannot join them"
  rewritten hsmt xHr drop xHd drop
  append_refused "$REWRITTEN" "the archive has group 18 but not group 17"
}

@test "foreign: agc's own archive, rewritten without changes, still appends" {
  # the checks above look at what agc always writes: agc's archive passes them
  rewritten hsmt splitters none
  run timeout -k 5 60 "$RAGC" append -o "$BATS_TEST_TMPDIR/ok.agc" "$REWRITTEN" "$(data_path data/toy/ref2.fa)"
  assert_success
  run "$RAGC" listset "$BATS_TEST_TMPDIR/ok.agc"
  assert_line ref2
}
