#!/usr/bin/env bash
# bench/fuzz.sh SECONDS [HARNESS...] -- runs each libFuzzer harness of
# test/fuzz/ (all of them by default: fuzz_archive fuzz_fasta fuzz_query
# fuzz_plugin fuzz_ext) for SECONDS of wall time, built by `make fuzz`
# (clang, ASan+UBSan), and prints per harness the executions, the coverage
# libFuzzer reached (cov: edges, ft: features, from its last status line)
# and the findings (crash-, leak-, timeout-, oom- files).
#
# Corpora live in a work folder outside the repository, $RAGC_FUZZ_WORK
# (default $TMPDIR/ragc-fuzz-work), and grow from run to run.  They are
# seeded with the committed fixtures (test/data), the kept inputs of
# test/fuzz/regress/HARNESS/, archives made here by ./ragc (with the
# ragc-original and ragc-md5 streams agc's archives lack) and, when present,
# ../shared/compat and ../shared/data/fasta-edge ($RAGC_SHARED).
#
# Environment: JOBS (harnesses run at once, default 1), NICE (default 19),
# FORK=1 (libFuzzer's -fork=1 -ignore_crashes=1: a finding does not end the
# run, for long runs), FUZZ_ARGS (more libFuzzer options).
# Exit status: 0 when no harness found anything, 1 otherwise.
# Findings are replayed with ./fuzz/HARNESS FILE; keep them under
# test/fuzz/regress/HARNESS/ once fixed (make check replays them).
set -u
cd "$(dirname "$0")/.."
secs=${1:?usage: bench/fuzz.sh SECONDS [HARNESS...]}
shift
all="fuzz_archive fuzz_fasta fuzz_query fuzz_plugin fuzz_ext"
harnesses=${*:-$all}
work=${RAGC_FUZZ_WORK:-${TMPDIR:-/tmp}/ragc-fuzz-work}
shared=${RAGC_SHARED:-$(cd .. && pwd)/shared}
jobs=${JOBS:-1}
nice=${NICE:-19}

make -s fuzz || exit 1
make -s ragc > /dev/null 2>&1 || true   # for the seed archives; optional

# seed HARNESS: fills the harness's corpus (cp -n keeps what it found).
seed() {
    local h=$1 c=$work/corpus/$1 f
    mkdir -p "$c" "$work/findings/$h" "$work/logs"
    [ -d "test/fuzz/regress/$h" ] && cp -n test/fuzz/regress/"$h"/* "$c"/ 2>/dev/null
    case $h in
    fuzz_archive)
        cp -n test/data/compat/archives/*.agc test/data/foreign/archives/*.agc "$c"/ 2>/dev/null
        for f in "$shared"/compat/archives/*.agc; do
            [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 300000 ] && cp -n "$f" "$c"/
        done
        if [ -x ./ragc ] && [ ! -e "$c/ragc-toy.agc" ]; then
            ./ragc create -o "$c/ragc-toy.agc" test/data/data/toy/ref.fa test/data/data/toy/a.fa \
                test/data/data/toy/b.fa 2> /dev/null
            ./ragc create -o "$c/ragc-edge.agc" test/data/data/fasta-edge/pyfaidx.issue_141.crlf.fasta \
                test/data/data/fasta-edge/pyfaidx.genes.lower.fasta test/data/data/fasta-edge/htslib.xx.fa 2> /dev/null
            ./ragc create -s 100 -k 17 -l 15 -o "$c/ragc-hsmt3.agc" test/data/data/hsmt-50/HG00140.fa \
                test/data/data/hsmt-50/HG00178.fa test/data/data/hsmt-50/HG00356.fa 2> /dev/null
        fi ;;
    fuzz_fasta)
        for f in test/data/data/fasta-edge/*.fa* test/data/data/toy/*.fa "$shared"/data/fasta-edge/*.fa*; do
            [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 60000 ] || continue
            local b=${f##*/} o
            for o in 00 02 05 08; do
                [ -e "$c/$o-$b" ] || { printf "\\x$o"; cat "$f"; } > "$c/$o-$b"
            done
        done ;;
    esac
}

# run HARNESS: one libFuzzer run, its log in $work/logs/HARNESS.log.
run() {
    local h=$1 extra=()
    [ "${FORK:-0}" = 1 ] && extra=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    # small inputs run fast; the archives' seeds set their own size
    case $h in
    fuzz_fasta) extra+=(-max_len=16384) ;;
    fuzz_query|fuzz_plugin) extra+=(-max_len=4096) ;;
    fuzz_ext) extra+=(-max_len=65536) ;;
    esac
    local start
    start=$(date +%s)
    touch "$work/logs/$h.log.start"   # findings are the files newer than this
    # the harnesses' temporary files (a crash leaves them) stay in the work folder
    mkdir -p "$work/tmp"
    # shellcheck disable=SC2086
    TMPDIR=$work/tmp nice -n "$nice" "./fuzz/$h" -max_total_time="$secs" -timeout=30 -rss_limit_mb=2560 \
        -artifact_prefix="$work/findings/$h/" -print_final_stats=1 "${extra[@]}" ${FUZZ_ARGS:-} \
        "$work/corpus/$h" > "$work/logs/$h.log" 2>&1
    echo $(($(date +%s) - start)) > "$work/logs/$h.wall"
}

for h in $harnesses; do
    [ -x "fuzz/$h" ] || { echo "bench/fuzz.sh: no harness fuzz/$h" >&2; exit 2; }
    seed "$h"
done
running=0
for h in $harnesses; do
    run "$h" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

found=0
printf '%-14s %8s %12s %7s %7s %9s\n' harness wall_s execs cov ft findings
for h in $harnesses; do
    log=$work/logs/$h.log
    # the last status line: "#N ... cov: C ft: F" (plain) or "#N: cov: C ft: F" (-fork)
    last=$(grep -aE '^#[0-9]+:?[[:space:]].*cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
    execs=$(grep -a '^stat::number_of_executed_units:' "$log" | tail -n 1 | awk '{print $2}')
    [ -n "$execs" ] || execs=$(echo "$last" | sed -E 's/^#([0-9]+).*/\1/')
    cov=$(echo "$last" | sed -nE 's/.*cov: ([0-9]+).*/\1/p')
    ft=$(echo "$last" | sed -nE 's/.*ft: ([0-9]+).*/\1/p')
    n=$(find "$work/findings/$h" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
        -o -name 'oom-*' \) -newer "$work/logs/$h.log.start" 2>/dev/null | wc -l)
    # -fork: crashes of workers that left no file (e.g. before the first input)
    crashes=$(echo "$last" | sed -nE 's|.*oom/timeout/crash: [0-9]+/[0-9]+/([0-9]+).*|\1|p')
    [ "$n" -eq 0 ] && [ "${crashes:-0}" -gt 0 ] && n=$crashes
    found=$((found + n))
    printf '%-14s %8s %12s %7s %7s %9s\n' "$h" "$(cat "$work/logs/$h.wall" 2>/dev/null)" "${execs:-?}" \
        "${cov:-?}" "${ft:-?}" "$n"
done
echo "findings in $work/findings/HARNESS/, logs in $work/logs/"
[ "$found" -eq 0 ]
