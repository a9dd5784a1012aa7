# Helpers for bats/faults.bats: the write paths of ragc (named WRITE CASES
# below) run under one fault at a time, and what must hold afterwards.
#
# A write case is a command that writes a named target: create, create with
# the reference on standard input (spooled to TMPDIR), append, import into an
# existing archive and into a new one, getset -o (-t 1, -t 2, -g, --original),
# getcol -o DIR (and --original), faidx -o.  Every run starts from a fresh
# folder W holding the target's old state (an archive, a FASTA text, or for
# getcol a folder with one old sample file and an unrelated file), the input
# archive and its pristine copy.
#
# After a run that failed (the fault hit) all of these must hold:
#   - the target does not exist or is the old file byte-identical (for
#     getcol: the folder holds exactly its old files, unchanged)
#   - the input archive (append, import, the readers) is byte-identical
#   - no temporary file is left: no *.tmp.* beside the target, nothing in
#     TMPDIR (the spool of standard input)
#   - the exit status is 1..125 with a line "ragc CMD: ..." on stderr
# A run the fault did not hit (exit 0, e.g. a size limit above the output's
# size) must have written the complete new target.  Expected outputs come
# from the FASTA inputs (fasta-views.bash), never from ragc.
#
# Environment: RAGC, RAGC_FAULTSHIM (the LD_PRELOAD shim, built by make
# tests as OBJ/faultshim.so; make check sets it).

load cli-helpers
load untraced
# shellcheck source=bats/fasta-views.bash
source "$BATS_TEST_DIRNAME/fasta-views.bash"

# The inputs: the first 10 genomes of hsmt-50 (16.6 kb each, one line each).
fault_inputs() {
  local d
  d=$(data_path data/hsmt-50)
  mapfile -t FIN < <(ls "$d"/*.fa | sort | head -n 10)
  FNAMES=()
  local f
  for f in "${FIN[@]}"; do FNAMES+=("$(basename "$f" .fa)"); done
}

# fault_setup_file: the archives every case reads (OLD: samples 1-3; ARC10:
# samples 1-10), each checked against its inputs, and the expected views.
fault_setup_file() {
  cli_init
  fault_inputs
  local d=$BATS_FILE_TMPDIR i
  mkdir -p "$d/exp"
  for i in "${!FIN[@]}"; do
    fasta_view case 80 "${FIN[$i]}" >"$d/exp/${FNAMES[$i]}.fa"
  done
  "$RAGC" create -o "$d/old.agc" "${FIN[@]:0:3}" 2>"$d/create.err" || return 1
  "$RAGC" create -o "$d/arc10.agc" "${FIN[@]}" 2>>"$d/create.err" || return 1
  # both read back as their inputs: then they are fit to be the inputs here
  local want
  want=$(cd "$d/exp" && for i in 0 1 2; do cat "${FNAMES[$i]}.fa"; done)
  [[ $("$RAGC" getcol "$d/old.agc") == "$want" ]] || return 1
  want=$(cd "$d/exp" && for i in "${!FNAMES[@]}"; do cat "${FNAMES[$i]}.fa"; done)
  [[ $("$RAGC" getcol "$d/arc10.agc") == "$want" ]] || return 1
}

# fault_init: per test: RAGC, T, the inputs, OLD, ARC10, EXP (the folder of
# each sample's expected getset/getcol output).
fault_init() {
  cli_init
  fault_inputs
  OLD=$BATS_FILE_TMPDIR/old.agc
  ARC10=$BATS_FILE_TMPDIR/arc10.agc
  EXP=$BATS_FILE_TMPDIR/exp
  [[ -s $OLD && -s $ARC10 ]] || {
    fail "the fixture archives were not made: $(cat "$BATS_FILE_TMPDIR/create.err" 2>/dev/null)"
    return 1
  }
  # make check sets RAGC_FAULTSHIM; by hand, the plain build's
  RAGC_FAULTSHIM=${RAGC_FAULTSHIM:-$REPO/obj/faultshim.so}
  if [[ ! -f $RAGC_FAULTSHIM ]]; then
    fail "the fault shim is missing: $RAGC_FAULTSHIM (make tests builds it; or set RAGC_FAULTSHIM)"
    return 1
  fi
  FAULT_CASES=(create create-stdin append import import-new getset getset-t1 getset-gz
    getset-original getcol getcol-original faidx)
}

# expect_cat NAME... > FILE: the expected views of those samples, in order.
expect_cat() {
  local n
  for n in "$@"; do cat "$EXP/$n.fa"; done
}

# fault_case NAME DIR: lays out a fresh run of write case NAME in DIR (the
# target's folder; it may be a mount point) and sets
#   CMD      ragc's arguments        CMDNAME  the command (create, ...)
#   TGT      the target (a file, or a folder for getcol)
#   KIND     archive | fasta | gz | dir
#   IN       the input archive in DIR (none for create), PRISTINE its copy
#   STDIN    what standard input reads (/dev/null but for create-stdin)
#   WANT     the expected new target: for an archive what `ragc getcol` of
#            it prints, for a FASTA target its bytes, for a folder a folder
#   OLDSTATE a copy of the target's old state (absent: "none")
# Scratch files (expected values, pristine copies) go to $T/case, outside DIR.
fault_case() {
  local name=$1 dir=$2
  local c=$T/case
  rm -rf "$c" && mkdir -p "$c" "$dir"
  find "$dir" -mindepth 1 -delete
  mkdir -p "$dir/tmp"
  export TMPDIR=$dir/tmp
  STDIN=/dev/null IN="" PRISTINE="" KIND=archive OLDSTATE=$c/old
  TGT=$dir/out.agc
  cp "$OLD" "$OLDSTATE"    # an archive target's old state: a real archive
  case $name in
  create)
    CMDNAME=create CMD=(create -t 2 -o "$TGT" "${FIN[@]}")
    expect_cat "${FNAMES[@]}" >"$c/want" ;;
  create-stdin)
    CMDNAME=create CMD=(create -o "$TGT" - "${FIN[@]:1:3}") STDIN=${FIN[0]}
    expect_cat "${FNAMES[@]:0:4}" >"$c/want" ;;
  append)
    cp "$OLD" "$dir/in.agc"
    IN=$dir/in.agc CMDNAME=append CMD=(append -t 2 -o "$TGT" "$dir/in.agc" "${FIN[@]:3}")
    expect_cat "${FNAMES[@]}" >"$c/want" ;;
  import)
    TGT=$dir/arch.agc
    cp "$OLD" "$TGT"
    IN=$TGT CMDNAME=import CMD=(import -t 2 "$TGT" "${FIN[@]:3}")
    expect_cat "${FNAMES[@]}" >"$c/want" ;;
  import-new)
    TGT=$dir/new.agc OLDSTATE=none
    CMDNAME=import CMD=(import "$TGT" "${FIN[@]:0:6}")
    expect_cat "${FNAMES[@]:0:6}" >"$c/want" ;;
  getset | getset-t1 | getset-gz | getset-original)
    cp "$ARC10" "$dir/in.agc"
    IN=$dir/in.agc CMDNAME=getset TGT=$dir/out.fa KIND=fasta
    printf 'old content\n' >"$OLDSTATE"
    case $name in
    getset) CMD=(getset -t 2 -o "$TGT" "$IN" "${FNAMES[@]:0:8}")
      expect_cat "${FNAMES[@]:0:8}" >"$c/want" ;;
    getset-t1) CMD=(getset -t 1 -o "$TGT" "$IN" "${FNAMES[@]:0:8}")
      expect_cat "${FNAMES[@]:0:8}" >"$c/want" ;;
    getset-gz) TGT=$dir/out.fa.gz KIND=gz CMD=(getset -g 6 -o "$TGT" "$IN" "${FNAMES[@]:0:3}")
      expect_cat "${FNAMES[@]:0:3}" >"$c/want" ;;
    getset-original) CMD=(getset --original -o "$TGT" "$IN" "${FNAMES[@]:0:4}")
      cat "${FIN[@]:0:4}" >"$c/want" ;;
    esac ;;
  getcol | getcol-original)
    cp "$OLD" "$dir/in.agc"   # 3 samples: 3 files, the second failing after the first is written
    IN=$dir/in.agc CMDNAME=getcol TGT=$dir/col KIND=dir
    mkdir -p "$TGT" "$OLDSTATE.d" "$c/want"
    printf 'old %s\n' "${FNAMES[2]}" >"$TGT/${FNAMES[2]}.fa"
    printf 'not ours\n' >"$TGT/keep.txt"
    cp "$TGT"/* "$OLDSTATE.d/"
    rm -f "$OLDSTATE" && OLDSTATE=$OLDSTATE.d
    local i
    for i in 0 1 2; do
      if [[ $name == getcol ]]; then cp "$EXP/${FNAMES[$i]}.fa" "$c/want/"; else cp "${FIN[$i]}" "$c/want/"; fi
    done
    cp "$TGT/keep.txt" "$c/want/"
    if [[ $name == getcol ]]; then CMD=(getcol -t 2 -o "$TGT" "$IN"); else CMD=(getcol --original -o "$TGT" "$IN"); fi ;;
  faidx)
    cp "$ARC10" "$dir/in.agc"
    IN=$dir/in.agc CMDNAME=faidx TGT=$dir/out.fa KIND=fasta
    printf 'old content\n' >"$OLDSTATE"
    CMD=(faidx -o "$TGT" "$IN" "${FNAMES[0]}:1-5000" "${FNAMES[0]}:10001-16000")
    { region_view "${FNAMES[0]}" 1 5000; region_view "${FNAMES[0]}" 10001 16000; } >"$c/want" ;;
  *)
    fail "unknown write case $name"
    return 1 ;;
  esac
  WANT=$c/want
  # the old target (import's is its input archive, already there)
  if [[ $OLDSTATE != none && $KIND != dir && $name != import ]]; then
    cp "$OLDSTATE" "$TGT"
  fi
  if [[ -n $IN ]]; then
    PRISTINE=$c/pristine.agc
    cp "$IN" "$PRISTINE"
  fi
}

# region_view NAME FROM TO: samtools faidx's record for 1-based FROM..TO of
# sample 1's contig NAME (60 bases a line), from its input file.
region_view() {
  printf '>%s:%s-%s\n' "$1" "$2" "$3"
  fasta_record "${FIN[0]}" "$1" | cut -c "$2-$3" | fold -w 60
}

# fault_run PREFIX...: runs the case's command after PREFIX (a wrapper such
# as prlimit or env, possibly empty) under a timeout; sets status, ERR.
# Standard error goes through a pipe: a size limit would stop its writes to
# a file too.
fault_run() {
  ERR=$T/fault.err
  status=0
  { timeout -k 5 "${CLI_TIMEOUT:-60}" "$@" "$RAGC" "${CMD[@]}" <"$STDIN" 2>&1 1>&3 ||
      echo $? >"$T/fault.st"; } 3>"$T/fault.out" | cat >"$ERR"
  [[ ! -s $T/fault.st ]] || status=$(cat "$T/fault.st")
  rm -f "$T/fault.st"
  RR_CMD="$* $(cli_quote ragc "${CMD[@]}")"
}

# target_is_old: the target is in its old state (see the top).
target_is_old() {
  if [[ $KIND == dir ]]; then
    # (the temporary files SIGKILL leaves are counted by leftovers)
    [[ $(cd "$TGT" && ls -A | grep -v '\.tmp\.' | sort) == $(cd "$OLDSTATE" && ls -A | sort) ]] || return 1
    local f
    for f in "$OLDSTATE"/*; do cmp -s "$f" "$TGT/$(basename "$f")" || return 1; done
    return 0
  fi
  if [[ $OLDSTATE == none ]]; then
    [[ ! -e $TGT ]]
  else
    cmp -s "$OLDSTATE" "$TGT"
  fi
}

# dir_files_whole: for getcol -o DIR stopped while renaming its finished
# files into place (a failing rename, a signal then): every file of the
# folder is its old content or its complete new one, every old file is
# still there, and no other file appeared.
dir_files_whole() {
  local f b
  for f in "$OLDSTATE"/*; do [[ -e $TGT/$(basename "$f") ]] || return 1; done
  for f in "$TGT"/*; do
    b=$(basename "$f")
    [[ $b != *.tmp.* ]] || continue
    cmp -s "$f" "$OLDSTATE/$b" 2>/dev/null || cmp -s "$f" "$WANT/$b" 2>/dev/null || return 1
  done
}

# target_is_new: the target is the complete new output.
target_is_new() {
  case $KIND in
  archive) [[ -f $TGT ]] && "$RAGC" getcol "$TGT" 2>/dev/null | cmp -s - "$WANT" ;;
  fasta) cmp -s "$WANT" "$TGT" ;;
  gz) gzip -dc "$TGT" 2>/dev/null | cmp -s - "$WANT" ;;
  dir) diff -r -q "$WANT" "$TGT" >/dev/null ;;
  esac
}

# leftovers: temporary files left by the run, one a line (none: empty).
leftovers() {
  local d
  d=$(dirname "$TGT")
  (cd "$d" && ls -A | grep -E '\.tmp\.' | sed "s|^|$d/|") || true
  [[ $KIND != dir ]] || (cd "$TGT" && ls -A | grep -E '\.tmp\.' | sed "s|^|$TGT/|") || true
  (cd "$TMPDIR" && ls -A | sed "s|^|$TMPDIR/|") || true
}

# input_intact: the input archive is byte-identical to its copy.
input_intact() {
  [[ -z $IN ]] || [[ $IN == "$TGT" && $status == 0 ]] || cmp -s "$PRISTINE" "$IN"
}

# check_outcome WHAT: the rules at the top for the run just made (WHAT names
# the fault in messages).  Sets HIT=1 when the fault made the run fail.
check_outcome() {
  local what=$1 left
  cli_no_sanitizer "$ERR" || return 1
  left=$(leftovers)
  [[ -z $left ]] || { fail "$what: temporary files left by $RR_CMD:"$'\n'"$left"; return 1; }
  if ((status == 0)); then
    HIT=0
    target_is_new || { fail "$what: exit 0 but the target is not the complete output: $RR_CMD"; return 1; }
    return 0
  fi
  HIT=1
  if ((status > 125)); then
    fail "$what: exit $status (a signal) from $RR_CMD; stderr:"$'\n'"$(head -n 5 "$ERR")"
    return 1
  fi
  grep -q "^ragc $CMDNAME: " "$ERR" ||
    { fail "$what: no 'ragc $CMDNAME: ' line on stderr of $RR_CMD (exit $status):"$'\n'"$(head -n 5 "$ERR")"; return 1; }
  if [[ $KIND == dir && $what == rename* ]]; then
    # the files are renamed one by one once all are written: a rename that
    # fails may come after others succeeded (docs/cli.md, getcol)
    dir_files_whole || { fail "$what: a file of the folder is neither old nor new: $RR_CMD"; return 1; }
  else
    target_is_old || { fail "$what: the target changed: $RR_CMD (exit $status)"$'\n'"$(head -n 3 "$ERR")"; return 1; }
  fi
  input_intact || { fail "$what: the input archive changed: $RR_CMD"; return 1; }
}

# ---------------------------------------------------------------- the faults

# fault_fsize CASE: file size limits of 0, 1000 and 9000 bytes (prlimit
# --fsize; ragc ignores SIGXFSZ, so writes fail with EFBIG).  At least one
# must hit.
_fault_fsize() {
  local name=$1 n hits=0
  for n in 0 1000 9000; do
    fault_case "$name" "$T/w" || return 1
    fault_run prlimit --fsize="$n" --
    check_outcome "fsize=$n" || return 1
    hits=$((hits + HIT))
  done
  ((hits > 0)) || fail "no size limit made ragc ${CMD[0]} fail"
}

# fault_fullfs CASE: the target's folder on a small tmpfs with 0, 4 KiB and
# 12 KiB left free (root with mount(8) only; otherwise the shim's sticky
# ENOSPC stands in for a full file system and the test says so).
_fault_fullfs() {
  local name=$1 free hits=0 mnt=$T/mnt
  mkdir -p "$mnt"
  if ! is_root || ! mount -t tmpfs -o size=512k,mode=0755 ragc-fault "$mnt" 2>/dev/null; then
    echo "# $name: cannot mount a tmpfs (not root or no mount); a full disk is simulated by the shim" >&3
    fault_shim_sweep "$name" write ENOSPC 1
    return
  fi
  FAULT_MOUNT=$mnt
  for free in 0 4096 12288; do
    fault_case "$name" "$mnt" || return 1
    local avail
    avail=$(df -B1 --output=avail "$mnt" | tail -n 1)
    if ((avail > free)); then
      fallocate -l $((avail - free)) "$mnt/filler" 2>/dev/null || head -c $((avail - free)) /dev/zero >"$mnt/filler" 2>/dev/null
    fi
    fault_run
    rm -f "$mnt/filler"
    check_outcome "full tmpfs, $free bytes free" || return 1
    hits=$((hits + HIT))
  done
  umount "$mnt" && FAULT_MOUNT=
  ((hits > 0)) || fail "no full file system made ragc ${CMD[0]} fail"
}

fault_teardown() {
  [[ -z ${FAULT_MOUNT:-} ]] || umount -l "$FAULT_MOUNT" 2>/dev/null || true
}

# shim_env: the environment that preloads the shim (an ASan ragc accepts a
# library loaded before its runtime only with verify_asan_link_order=0).
shim_env() {
  SHIM_ENV=(env LD_PRELOAD="$RAGC_FAULTSHIM" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0")
}

# shim_calls REPORT CALL: the calls of CALL counted in the shim's REPORT.
shim_calls() {
  awk -v c="$2" '$1 == c { s += $2 } END { print s + 0 }' "$1" 2>/dev/null
}

# fault_shim_sweep CASE CALL ERRNO STICKY [last]: counts the case's calls of
# CALL (write, fsync, rename, close) in a run without faults, then fails the
# Nth of them for every N, so each call site is hit (with "last": only the
# last one).  Sets SWEPT (runs made).
fault_shim_sweep() {
  local name=$1 call=$2 err=$3 sticky=$4 only_last=${5:-} n count
  [[ -n ${RAGC_FAULTSHIM:-} && -f $RAGC_FAULTSHIM ]] ||
    { fail "the fault shim is missing: RAGC_FAULTSHIM=${RAGC_FAULTSHIM:-} (make tests builds it)"; return 1; }
  shim_env
  fault_case "$name" "$T/w" || return 1
  rm -f "$T/report"
  fault_run "${SHIM_ENV[@]}" FAULT_REPORT="$T/report"
  ((status == 0)) || { fail "the run without faults failed: $RR_CMD"$'\n'"$(head -n 5 "$ERR")"; return 1; }
  count=$(shim_calls "$T/report" "$call")
  SWEPT=0
  local first=1 try calls
  [[ -z $only_last ]] || first=$count
  for ((n = first; n <= count; n++)); do
    # A threaded run does not always make the same number of calls (getcol
    # -t 2 writes its 3 files in 4 writes or 5, as its decoders deliver): a
    # run that ended well without reaching call N is run again, up to 20
    # times, until call N comes and is failed.  A run that reached call N
    # must fail; one that never did must still have written the whole
    # target (check_outcome) and is named on fd 3.
    for ((try = 1; ; try++)); do
      fault_case "$name" "$T/w" || return 1
      rm -f "$T/report.n"
      fault_run "${SHIM_ENV[@]}" FAULT_REPORT="$T/report.n" FAULT_CALL="$call" FAULT_AT="$n" \
        FAULT_ERRNO="$err" FAULT_STICKY="$sticky"
      calls=$(shim_calls "$T/report.n" "$call")
      ((status == 0 && calls < n && try < 20)) || break
    done
    check_outcome "$call #$n of $count failing ($err)" || return 1
    if ((!HIT && calls < n)); then
      echo "# $name: $call #$n of $count never came in $try runs (they made $calls): not failed" >&3
      continue
    fi
    ((HIT)) || { fail "$call #$n of $count failing ($err) did not make $RR_CMD fail"; return 1; }
    SWEPT=$((SWEPT + 1))
  done
  if [[ -n $only_last ]]; then
    echo "# $name: $call failed from its last call ($count) on ($err)" >&3
  else
    echo "# $name: $call failed at each of its $count calls ($err)" >&3
  fi
}

# fault_shim CASE: every write, fsync, rename and close of the case failed in
# turn; write and fsync must be called at least once (the archive cases
# fsync), rename and close once per named output.
_fault_shim() {
  local name=$1 total=0
  fault_shim_sweep "$name" write EIO 0 || return 1
  ((SWEPT > 0)) || { fail "no write to fail in $name"; return 1; }
  total=$((total + SWEPT))
  fault_shim_sweep "$name" write ENOSPC 1 last || return 1
  fault_shim_sweep "$name" fsync EIO 0 || return 1
  if [[ $CMDNAME == create || $CMDNAME == append || $CMDNAME == import ]]; then
    ((SWEPT > 0)) || { fail "$name: the archive is not fsynced before its rename"; return 1; }
  fi
  fault_shim_sweep "$name" rename EIO 0 || return 1
  ((SWEPT > 0)) || { fail "no rename to fail in $name"; return 1; }
  fault_shim_sweep "$name" close EDQUOT 0 || return 1
  ((SWEPT > 0)) || { fail "no close to fail in $name"; return 1; }
}

# fault_pipe CASE: the case's output to standard output, a pipe whose reader
# has gone before ragc starts.  ragc ends silently, killed by SIGPIPE (141),
# as samtools (docs/cli.md); nothing left in TMPDIR; the input intact.
_fault_pipe() {
  local name=$1
  fault_case "$name" "$T/w" || return 1
  # the same command with standard output for its named output
  local i args=()
  for ((i = 0; i < ${#CMD[@]}; i++)); do
    if [[ ${CMD[$i]} == -o ]]; then i=$((i + 1)); continue; fi
    args+=("${CMD[$i]}")
  done
  [[ $name == import* ]] && { fail "import has no standard output"; return 1; }
  rm -f "$T/gone"
  status=0
  { while [[ ! -e $T/gone ]]; do sleep 0.01; done
    local rc=0
    timeout -k 5 "${CLI_TIMEOUT:-60}" "$RAGC" "${args[@]}" <"$STDIN" 2>"$T/fault.err" || rc=$?
    echo "$rc" >"$T/st"; } | { exec 0<&-; touch "$T/gone"; }
  status=$(cat "$T/st")
  RR_CMD="$(cli_quote ragc "${args[@]}") | (closed)"
  ERR=$T/fault.err
  cli_no_sanitizer "$ERR" || return 1
  ((status == 141)) || { fail "$RR_CMD: exit $status, want 141 (SIGPIPE)"$'\n'"$(head -n 5 "$ERR")"; return 1; }
  [[ ! -s $ERR ]] || { fail "$RR_CMD: a closed pipe is no error to report, got:"$'\n'"$(head -n 5 "$ERR")"; return 1; }
  [[ -z $(ls -A "$TMPDIR") ]] || { fail "$RR_CMD left $(ls -A "$TMPDIR") in TMPDIR"; return 1; }
  input_intact || { fail "$RR_CMD changed its input archive"; return 1; }
}

# fault_signal CASE SIG: SIG (TERM or KILL) sent at 6 moments drawn from a
# fixed seed over the case's run time.  Killed by SIGTERM: nothing
# left (the temporary files are removed); by SIGKILL: the temporary output
# may stay behind (listed on fd 3).  Either way the target is the old file
# or, when the rename happened first, the complete new one, and the input
# archive is intact; at least one run must have been killed.
_fault_signal() {
  local name=$1 sig=$2 k killed=0 left_total=0
  if [[ $sig == KILL ]]; then RANDOM=4242; else RANDOM=1212; fi
  fault_case "$name" "$T/w" || return 1
  # a slow disk (5 ms before each write, fsync, rename, close) stretches
  # runs of a few ms, so that the moments fall before, inside and after
  # the writing; the waits are bash's own (read -t), no process started
  local slow=(env LD_PRELOAD="$RAGC_FAULTSHIM" FAULT_DELAY_US=8000
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0")
  mkfifo "$T/never"
  exec 9<>"$T/never"
  # the run time: the shorter of two runs without signal (the first one
  # may pay for cold caches)
  local t0 t1 dur_ms=1000000 pid
  for k in 1 2; do
    fault_case "$name" "$T/w" || return 1
    t0=$(date +%s%N)
    "${slow[@]}" "$RAGC" "${CMD[@]}" <"$STDIN" >"$T/fault.out" 2>"$T/fault.err" &
    pid=$!
    status=0
    wait "$pid" || status=$?
    t1=$(date +%s%N)
    ((status == 0)) || { fail "the run without signal failed: ${CMD[*]}"$'\n'"$(head -n 5 "$T/fault.err")"; return 1; }
    (((t1 - t0) / 1000000 < dur_ms)) && dur_ms=$(((t1 - t0) / 1000000))
  done
  for ((k = 0; k < 6; k++)); do
    local delay_ms=$((RANDOM % (dur_ms + 1)))
    fault_case "$name" "$T/w" || return 1
    "${slow[@]}" "$RAGC" "${CMD[@]}" <"$STDIN" >"$T/fault.out" 2>"$T/fault.err" &
    pid=$!
    read -r -t "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))" -u 9 || true
    kill -"$sig" "$pid" 2>/dev/null || true
    status=0
    wait "$pid" || status=$?
    ERR=$T/fault.err RR_CMD="ragc ${CMD[0]} ... killed by SIG$sig after ${delay_ms} ms"
    cli_no_sanitizer "$ERR" || return 1
    local left want_st
    left=$(leftovers)
    [[ $sig == TERM ]] && want_st=143 || want_st=137
    if ((status == 0)); then
      target_is_new || { fail "$RR_CMD: exit 0 but the target is not complete"; return 1; }
      [[ -z $left ]] || { fail "$RR_CMD: exit 0 but left $left"; return 1; }
      continue
    fi
    ((status == want_st)) || { fail "$RR_CMD: exit $status, want $want_st or 0"$'\n'"$(head -n 5 "$ERR")"; return 1; }
    killed=$((killed + 1))
    if [[ $sig == TERM && -n $left ]]; then
      fail "$RR_CMD: temporary files left:"$'\n'"$left"
      return 1
    fi
    if [[ -n $left ]]; then
      left_total=$((left_total + $(wc -l <<<"$left")))
      echo "# $name: SIGKILL after $delay_ms ms left: $(sed "s|$T/w/||" <<<"$left" | tr '\n' ' ')(target intact)" >&3
    fi
    if target_is_old; then
      input_intact || { fail "$RR_CMD: the input archive changed"; return 1; }
    elif target_is_new; then
      # killed after the rename: import's input was replaced, as it should
      [[ $IN == "$TGT" ]] || input_intact || { fail "$RR_CMD: the input archive changed"; return 1; }
      echo "# $name: SIG$sig after $delay_ms ms came after the rename: the new target is complete" >&3
    elif [[ $KIND == dir ]] && dir_files_whole; then
      input_intact || { fail "$RR_CMD: the input archive changed"; return 1; }
      echo "# $name: SIG$sig after $delay_ms ms came while renaming: each file old or new, whole" >&3
    else
      fail "$RR_CMD: the target is neither the old file nor the complete new one"
      return 1
    fi
  done
  exec 9>&-
  echo "# $name: SIG$sig at 6 moments over ${dur_ms} ms: $killed killed, $((6 - killed)) finished first; $left_total leftovers" >&3
  ((killed > 0)) || fail "$name: SIG$sig never arrived while ragc ran (6 tries over ${dur_ms} ms)"
}

# The faults the suite calls: each runs ragc dozens of times and checks every
# outcome in bash, untraced (bats/untraced.bash).
fault_fsize() { untraced _fault_fsize "$@"; }
fault_fullfs() { untraced _fault_fullfs "$@"; }
fault_shim() { untraced _fault_shim "$@"; }
fault_pipe() { untraced _fault_pipe "$@"; }
fault_signal() { untraced _fault_signal "$@"; }
