#!/usr/bin/env bats
# The progress line of create, append, import and getcol (issue 13,
# docs/cli.md "Progress"): on a terminal, one line on standard error redrawn
# in place ('\r', ESC[K, the text, '\r') about once a second and ended by a
# final line and a newline; nothing when standard error is not a terminal or with
# --no-progress; -v's per-file lines unchanged, each on a line of its own.
#
# The terminal is a pseudo-terminal made by script(1) (util-linux): what the
# command wrote to it comes out on script's standard output (with "\n" made
# "\r\n" by the terminal).  One input is written slowly through a pipe, so
# that the job lasts more than a second and the line is redrawn.  Counts and
# totals come from the FASTA inputs; rate and time left depend on the clock,
# so only their format is checked here (test/test_progress.c checks the
# values for fixed inputs).
#
#   RAGC=/abs/path/ragc bats bats/progress.bats      (make check sets RAGC)

load cli-helpers

bats_require_minimum_version 1.5.0

setup() {
  cli_init
  command -v script >/dev/null || fail "script (util-linux) is needed for the pseudo-terminal"
  HSMT=$(data_path data/hsmt-50)
  INPUTS=("$HSMT/HG00140.fa" "$HSMT/HG00178.fa" "$HSMT/HG00356.fa")
  # the bases of all inputs (the slow one is HG00365), from the FASTA files
  BASES=$(cat "${INPUTS[@]}" "$HSMT/HG00365.fa" | grep -v '^>' | tr -d '\n\r' | wc -c)
  KBASES=$(awk -v b="$BASES" 'BEGIN { printf "%.2f kbases", b / 1000 }')
  CLOCK='[0-9]+:[0-9]{2}:[0-9]{2}'
  NUM='[0-9]+( bases|\.[0-9]{2} [kMGT]bases)'
}

# on_tty OUT SCRIPT: runs the bash script text SCRIPT with its standard error
# (and output, unless it redirects it) on a pseudo-terminal; what the
# terminal showed goes to OUT, script's own status to $status.
on_tty() {
  local out=$1
  printf '%s\n' "$2" >"$T/job.sh"
  status=0
  timeout -k 5 "$CLI_TIMEOUT" script -qec "bash $T/job.sh" /dev/null </dev/null >"$out" || status=$?
}

# slow_input: a FASTA file delivered in three parts, 1.2 s apart (bash
# process substitution in the job script).
SLOW='<(head -c 6000 HG00365.fa; sleep 1.2; head -c 12000 HG00365.fa | tail -c 6000; sleep 1.2; tail -c +12001 HG00365.fa)'

# updates FILE CMD: the texts of the progress line in FILE (what followed each
# "\r ESC[K" up to the next '\r'), one a line.
updates() {
  tr '\n' '\r' <"$1" | awk -v RS='\r' -v cmd="ragc $2: " '
    { sub(/^\033\[K/, "") } index($0, cmd) == 1 { print }'
}

@test "progress: create on a terminal redraws a line in place, then a final line and a newline" {
  cd "$HSMT"
  on_tty "$T/tty" "cd '$HSMT' && '$RAGC' create -o '$T/p.agc' ${INPUTS[*]} $SLOW"
  [ "$status" -eq 0 ] || fail "create failed: $(cat -v "$T/tty")"
  updates "$T/tty" create >"$T/lines"
  local n
  n=$(grep -c . "$T/lines")
  [ "$n" -ge 3 ] || fail "wanted at least 2 updates and a final line, got:"$'\n'"$(cat -v "$T/tty")"
  # every update: samples done of 4, bases, rate, time left
  head -n -1 "$T/lines" >"$T/progress"
  while IFS= read -r l; do
    [[ $l =~ ^ragc\ create:\ [0-4]/4\ samples,\ $NUM,\ $NUM/s,\ ($CLOCK|-:--:--)\ left$ ]] ||
      fail "not a progress line: '$l'"
  done <"$T/progress"
  # sample counts never go down
  cut -d' ' -f3 "$T/progress" | cut -d/ -f1 | sort -n -c || fail "sample counts went down"
  # the final line: all samples and bases, the time taken; the terminal's
  # last bytes are its newline
  local last
  last=$(tail -n 1 "$T/lines")
  [[ $last =~ ^ragc\ create:\ 4/4\ samples,\ $KBASES,\ $NUM/s,\ done\ in\ $CLOCK$ ]] ||
    fail "final line '$last' (want 4/4 samples, $KBASES)"
  [[ $(tail -c 2 "$T/tty" | od -An -c | tr -d ' ') == '\r\n' ]] || fail "no newline after the final line"
  # each update begins with '\r' and ESC[K
  [ "$(grep -o $'\r\e\\[Kragc create: ' "$T/tty" | wc -l)" -eq "$n" ] || fail "an update without \\r ESC[K"
}

@test "progress: nothing on standard error when it is a file, or with --no-progress on a terminal" {
  cd "$HSMT"
  run bash -c "'$RAGC' create -o '$T/p.agc' ${INPUTS[*]} 2>'$T/err'"
  [ "$status" -eq 0 ] || fail "create failed"
  [ ! -s "$T/err" ] || fail "create wrote to a file's stderr: $(cat -v "$T/err")"
  run bash -c "'$RAGC' getcol -o '$T' '$T/p.agc' 2>'$T/err'"
  [ "$status" -eq 0 ] && [ ! -s "$T/err" ] || fail "getcol wrote to a file's stderr: $(cat -v "$T/err")"
  on_tty "$T/tty" "cd '$HSMT' && '$RAGC' create --no-progress -o '$T/q.agc' ${INPUTS[*]} $SLOW"
  [ "$status" -eq 0 ] && [ ! -s "$T/tty" ] || fail "create --no-progress printed: $(cat -v "$T/tty")"
  on_tty "$T/tty" "'$RAGC' getcol --no-progress -o '$T' '$T/q.agc'"
  [ "$status" -eq 0 ] && [ ! -s "$T/tty" ] || fail "getcol --no-progress printed: $(cat -v "$T/tty")"
  on_tty "$T/tty" "cd '$HSMT' && '$RAGC' create -o '$T/r.agc' ${INPUTS[*]}"
  grep -q 'ragc create: 3/3 samples' "$T/tty" || fail "no progress line: $(cat -v "$T/tty")"
  cmp "$T/p.agc" "$T/r.agc" || fail "the archive depends on whether progress was shown"
}

@test "progress: -v keeps its per-file lines, each on a line of its own, beside the progress line" {
  cd "$HSMT"
  run bash -c "'$RAGC' create -v 1 -o '$T/p.agc' ${INPUTS[*]} 2>'$T/err'"
  [ "$status" -eq 0 ] || fail "create -v 1 failed"
  [ "$(grep -c 'files done' "$T/err")" -eq 3 ] || fail "want 3 per-file lines: $(cat "$T/err")"
  ! grep -q $'\r' "$T/err" || fail "a progress line went to a file"
  on_tty "$T/tty" "cd '$HSMT' && '$RAGC' create -v 1 -o '$T/q.agc' ${INPUTS[*]} $SLOW"
  [ "$status" -eq 0 ] || fail "create -v 1 on a terminal failed"
  [ "$(grep -c 'files done' "$T/tty")" -eq 4 ] || fail "want 4 per-file lines: $(cat -v "$T/tty")"
  # every per-file line starts a line: after a newline or the erased progress line
  [ "$(grep -o $'\e\\[K\\[I::' "$T/tty" | wc -l)" -eq 4 ] ||
    fail "a per-file line does not start its own line: $(cat -v "$T/tty")"
  [[ $(updates "$T/tty" create | tail -n 1) =~ ^ragc\ create:\ 4/4\ samples,\ $KBASES, ]] ||
    fail "no final line: $(cat -v "$T/tty")"
}

@test "progress: getcol on a terminal counts samples and bases to the end" {
  cd "$HSMT"
  "$RAGC" create -o "$T/p.agc" "${INPUTS[@]}" HG00365.fa
  mkdir "$T/out"
  on_tty "$T/tty" "'$RAGC' getcol -o '$T/out' '$T/p.agc'"
  [ "$status" -eq 0 ] || fail "getcol failed: $(cat -v "$T/tty")"
  local last
  last=$(updates "$T/tty" getcol | tail -n 1)
  [[ $last =~ ^ragc\ getcol:\ 4/4\ samples,\ $KBASES,\ $NUM/s,\ done\ in\ $CLOCK$ ]] ||
    fail "final line '$last' (want 4/4 samples, $KBASES)"
  # FASTA on standard output (a file) with stderr on the terminal: shown;
  # FASTA on the terminal itself: not shown (it would break the FASTA lines)
  on_tty "$T/tty" "'$RAGC' getcol -t 2 '$T/p.agc' > '$T/all.fa'"
  [[ $(updates "$T/tty" getcol | tail -n 1) =~ ^ragc\ getcol:\ 4/4\ samples,\ $KBASES, ]] ||
    fail "no final line with -t 2 to a file: $(cat -v "$T/tty")"
  on_tty "$T/tty" "'$RAGC' getcol '$T/p.agc'"
  ! grep -q 'ragc getcol:' "$T/tty" || fail "progress mixed into FASTA on the terminal"
}

@test "progress: append and import report their samples" {
  cd "$HSMT"
  "$RAGC" create -o "$T/p.agc" "${INPUTS[@]}"
  on_tty "$T/tty" "cd '$HSMT' && '$RAGC' append -o '$T/q.agc' '$T/p.agc' HG00365.fa"
  [ "$status" -eq 0 ] || fail "append failed: $(cat -v "$T/tty")"
  [[ $(updates "$T/tty" append | tail -n 1) =~ ^ragc\ append:\ 1/1\ samples,\ $NUM,\ $NUM/s,\ done\ in\ $CLOCK$ ]] ||
    fail "append: $(cat -v "$T/tty")"
  cp "$T/p.agc" "$T/i.agc"
  on_tty "$T/tty" "cd '$HSMT' && '$RAGC' import '$T/i.agc' HG00365.fa HG00513.fa"
  [ "$status" -eq 0 ] || fail "import failed: $(cat -v "$T/tty")"
  [[ $(updates "$T/tty" import | tail -n 1) =~ ^ragc\ import:\ 2/2\ samples,\ $NUM,\ $NUM/s,\ done\ in\ $CLOCK$ ]] ||
    fail "import: $(cat -v "$T/tty")"
}

@test "progress: an error message starts on a line of its own" {
  cd "$HSMT"
  printf '@r1\nACGT\n+\nIIII\n' >"$T/reads.fq"
  on_tty "$T/tty" "cd '$HSMT' && '$RAGC' create -o '$T/p.agc' HG00140.fa $SLOW '$T/reads.fq'"
  [ "$status" -ne 0 ] || fail "create of a FASTQ input succeeded"
  grep -q 'ragc create: ' "$T/tty" || fail "no message: $(cat -v "$T/tty")"
  # the library's message ([E::...]) is written from the start of the line,
  # over the progress line, and ragc's own after it on a line of its own
  grep -q $'\r\\[E::' "$T/tty" || fail "the library's message follows the progress text: $(cat -v "$T/tty")"
  grep -qE $'(^|\e\\[K)ragc create: no archive written' <(tr '\r' '\n' <"$T/tty") ||
    fail "the message shares the progress line: $(cat -v "$T/tty")"
}
