#!/usr/bin/env bash
# Scale far past the test fixtures (issue 12 item 4): builds, reads back and
# checks exactly, and reports the wall time and peak RSS of every step.
#
#   bench/scale.sh                  every case, ragc only
#   AGC=/path/to/agc bench/scale.sh the same steps with agc beside ragc
#   CASES="samples names" bench/scale.sh    some cases only
#
# Cases (inputs from bench/simulate.py, seeded, so every run is the same):
#   samples  SAMPLES (2000) genomes simulated from a sarscov2 genome (one SNP
#            per kb, a few indels): `create` of the first SAMPLES/(APPENDS+1)
#            rounded, then APPENDS (20) `append`s of the rest in equal parts;
#            every sample read back by `getcol -o DIR` and compared with its
#            input byte for byte
#   contigs  one sample of CONTIGS (200000) contigs of 100-300 random bases:
#            create, getset compared with the input, listctg counted
#   names    4 contigs whose names are 65536 bytes: create, getset compared,
#            getctg and faidx by the full name
#   long     a contig of LONG_COPIES (2049) x 1 MiB = 2,148,532,224 bases
#            (> 2^31), copies of the reference's 1 MiB contig with 8 SNPs
#            each: create, getctg ranges across 2^31 and at its very end
#            compared with the input, getset -l 64 compared with the input
#            whole (a 2.2 GB file; 4.4 GB of disk in WORK)
# Threads: -t THREADS (2).  Output: a markdown table (step, wall s, peak
# RSS MiB, bytes written, check); exit 1 if a check failed, 2 on a usage
# error (agc's failures are reported, not counted).  WORK (default a temporary folder, removed unless KEEP=1) holds
# everything.  Run it niced on a shared machine: nice -n 19 bench/scale.sh
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(dirname "$here")
RAGC=${RAGC:-$top/ragc}
AGC=${AGC:-}
CASES=${CASES:-samples contigs names long}
SAMPLES=${SAMPLES:-2000}
APPENDS=${APPENDS:-20}
CONTIGS=${CONTIGS:-200000}
LONG_COPIES=${LONG_COPIES:-2049}
THREADS=${THREADS:-2}
SHARED=${RAGC_SHARED:-$top/../shared}
SIM=$here/simulate.py
die() { echo "scale.sh: $*" >&2; exit 2; }
[[ -x $RAGC ]] || die "ragc not found: $RAGC"
[[ -z $AGC || -x $AGC ]] || die "AGC=$AGC is not an executable"
[[ -x /usr/bin/time ]] || die "/usr/bin/time missing (apt-get install time)"
BASE=${BASE:-$SHARED/data/sarscov2-418/Australia_VIC05_2020.fa.gz}
[[ -f $BASE ]] || BASE=$top/test/data/data/hsmt-50/HG00140.fa

if [[ -n ${WORK:-} ]]; then
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d)
    [[ ${KEEP:-0} == 1 ]] || trap 'rm -rf "$WORK"' EXIT
fi

tools=(ragc)
declare -A bin=([ragc]=$RAGC)
if [[ -n $AGC ]]; then tools+=(agc); bin[agc]=$AGC; fi
failed=0

echo "## Scale: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, -t $THREADS"
echo
echo "| tool | step | wall s | peak RSS MiB | output bytes | check |"
echo "|---|---|---|---|---|---|"

# timed TOOL STEP OUTPUT-FILE CMD...: runs CMD under /usr/bin/time; sets
# WALL and RSS_MIB; its stdout goes to OUTPUT-FILE (or /dev/null if "-").
timed() {
    local tool=$1 step=$2 out=$3; shift 3
    [[ $out == - ]] && out=/dev/null
    local rc=0
    /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" > "$out" 2> "$WORK/err" || rc=$?
    if ((rc)); then
        # agc's failures are figures too (it crashes on some of these inputs);
        # only ragc's make the exit status 1
        [[ $tool == agc ]] || failed=1
        echo "| $tool | $step | - | - | - | FAILED (exit $rc$(grep -o 'signal [0-9]*' "$WORK/time" | sed 's/^/, /')): $(grep -v 'Command exited' "$WORK/err" | tail -n 2 | tr '\n|' '  ' | cut -c1-200) |"
        return 1
    fi
    read -r WALL rss < "$WORK/time"
    RSS_MIB=$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')
}

row() {   # row TOOL STEP BYTES CHECK
    echo "| $1 | $2 | $WALL | $RSS_MIB | $3 | $4 |"
    [[ $4 != FAILED* || $1 == agc ]] || failed=1
}

size_of() { stat -c %s "$1"; }

case_samples() {
    local g=$WORK/genomes n_first per i t
    python3 "$SIM" genomes "$BASE" "$g" "$SAMPLES" 1 || die "simulate.py genomes failed"
    mapfile -t all < <(cd "$g" && ls | sort)
    local paths=("${all[@]/#/$g/}")
    per=$(( (SAMPLES + APPENDS) / (APPENDS + 1) ))
    n_first=$(( SAMPLES - per * APPENDS ))
    ((n_first > 0)) || die "SAMPLES=$SAMPLES too small for APPENDS=$APPENDS"
    for t in "${tools[@]}"; do
        local b=${bin[$t]} a=$WORK/$t.s0.agc max_wall=0 max_rss=0 sum_wall=0
        timed "$t" "create" - "$b" create -t "$THREADS" -o "$a" "${paths[@]:0:n_first}" || continue
        row "$t" "create: $n_first samples ($(du -sm "$g" | cut -f1) MB of FASTA for all $SAMPLES)" \
            "$(size_of "$a")" ok
        local from=$n_first ok=1
        for ((i = 1; i <= APPENDS; i++)); do
            local next=$WORK/$t.s$i.agc
            if ! timed "$t" "append $i" - "$b" append -t "$THREADS" -o "$next" "$a" "${paths[@]:from:per}"; then
                ok=0
                break
            fi
            read -r WALL rss < "$WORK/time"
            sum_wall=$(awk -v a="$sum_wall" -v b="$WALL" 'BEGIN { print a + b }')
            max_wall=$(awk -v a="$max_wall" -v b="$WALL" 'BEGIN { print (b > a) ? b : a }')
            max_rss=$(( rss > max_rss ? rss : max_rss ))
            if ((i == 1 || i == APPENDS)); then
                RSS_MIB=$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')
                row "$t" "append $i: +$per samples to $((from))" "$(size_of "$next")" ok
            fi
            [[ $t == agc || ${KEEP:-0} == 1 ]] || [[ $i == 1 ]] || rm -f "$a"
            a=$next
            from=$((from + per))
        done
        ((ok)) || continue
        WALL="$sum_wall (max $max_wall)"
        RSS_MIB=$(awk -v k="$max_rss" 'BEGIN { printf "%.1f (max)", k / 1024 }')
        row "$t" "all $APPENDS appends" "$(size_of "$a")" ok
        local n
        n=$("$b" listset "$a" | wc -l)
        local out=$WORK/$t.getcol
        rm -rf "$out" && mkdir -p "$out"
        if [[ $t == agc ]]; then
            timed "$t" "getcol" - "$b" getcol -t "$THREADS" -o "$out/" "$a" || continue
        else
            timed "$t" "getcol" - "$b" getcol -t "$THREADS" -o "$out" "$a" || continue
        fi
        local bad=0 f
        for f in "${all[@]}"; do
            cmp -s "$g/$f" "$out/$f" || bad=$((bad + 1))
        done
        if ((n == SAMPLES && bad == 0)); then
            row "$t" "getcol -o DIR: $n samples" "$(du -sb "$out" | cut -f1)" "ok: all $SAMPLES identical to their inputs"
        else
            row "$t" "getcol -o DIR: $n samples" "$(du -sb "$out" | cut -f1)" "FAILED: $n samples listed, $bad differ"
        fi
        local mid=${all[SAMPLES / 2]%.fa}
        timed "$t" "getset 1" "$WORK/one.fa" "$b" getset "$a" "$mid" || continue
        cmp -s "$WORK/one.fa" "$g/$mid.fa" && row "$t" "getset of one sample ($mid)" "$(size_of "$WORK/one.fa")" ok ||
            row "$t" "getset of one sample ($mid)" "$(size_of "$WORK/one.fa")" "FAILED: differs"
        rm -rf "$out"
    done
}

case_contigs() {
    local in=$WORK/contigs.fa t
    python3 "$SIM" contigs "$in" "$CONTIGS" 2 || die "simulate.py contigs failed"
    for t in "${tools[@]}"; do
        local b=${bin[$t]} a=$WORK/$t.contigs.agc
        timed "$t" "create" - "$b" create -t "$THREADS" -o "$a" "$in" || continue
        row "$t" "create: 1 sample, $CONTIGS contigs ($(size_of "$in") bytes of FASTA)" "$(size_of "$a")" ok
        timed "$t" "getset" "$WORK/back.fa" "$b" getset -t "$THREADS" "$a" contigs || continue
        cmp -s "$in" "$WORK/back.fa" && row "$t" "getset: $CONTIGS contigs" "$(size_of "$WORK/back.fa")" "ok: identical" ||
            row "$t" "getset: $CONTIGS contigs" "$(size_of "$WORK/back.fa")" "FAILED: differs from the input"
        timed "$t" "listctg" "$WORK/list" "$b" listctg "$a" contigs || continue
        local n
        n=$(grep -c '^   ' "$WORK/list")
        ((n == CONTIGS)) && row "$t" "listctg" "$(size_of "$WORK/list")" "ok: $n contigs" ||
            row "$t" "listctg" "$(size_of "$WORK/list")" "FAILED: $n contigs"
        local last
        last=$(printf 'ctg%07d' "$CONTIGS")
        timed "$t" "getctg" "$WORK/ctg.fa" "$b" getctg "$a" "$last" || continue
        awk -v n="$last" '/^>/ { on = ($0 == ">" n); } on' "$in" | cmp -s - "$WORK/ctg.fa" &&
            row "$t" "getctg of the last contig" "$(size_of "$WORK/ctg.fa")" ok ||
            row "$t" "getctg of the last contig" "$(size_of "$WORK/ctg.fa")" "FAILED: differs"
        rm -f "$WORK/back.fa"
    done
}

case_names() {
    local in=$WORK/names.fa t
    python3 "$SIM" longnames "$in" 4 65536 3 || die "simulate.py longnames failed"
    local name
    name=$(awk 'NR == 1 { print substr($0, 2); exit }' "$in")
    for t in "${tools[@]}"; do
        local b=${bin[$t]} a=$WORK/$t.names.agc
        timed "$t" "create" - "$b" create -o "$a" "$in" || continue
        row "$t" "create: 4 contigs, names of 65536 bytes" "$(size_of "$a")" ok
        timed "$t" "getset" "$WORK/back.fa" "$b" getset "$a" names || continue
        cmp -s "$in" "$WORK/back.fa" && row "$t" "getset" "$(size_of "$WORK/back.fa")" "ok: identical" ||
            row "$t" "getset" "$(size_of "$WORK/back.fa")" "FAILED: differs"
        timed "$t" "getctg" "$WORK/ctg.fa" "$b" getctg "$a" "$name" || continue
        awk -v n="$name" '/^>/ { on = ($0 == ">" n) } on' "$in" | cmp -s - "$WORK/ctg.fa" &&
            row "$t" "getctg by the 64 KiB name" "$(size_of "$WORK/ctg.fa")" ok ||
            row "$t" "getctg by the 64 KiB name" "$(size_of "$WORK/ctg.fa")" "FAILED: differs"
    done
}

# base_range FILE FROM TO: bases FROM..TO (0-based, inclusive) of the one
# contig of FILE, whose header is ">long" and lines 64 bases.
base_range() {
    python3 - "$@" <<'EOF'
import sys
path, a, b = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
hdr = 6  # ">long\n"
with open(path, "rb") as f:
    f.seek(hdr + a + a // 64)
    raw = f.read((b - a + 1) + (b - a + 1) // 64 + 2)
sys.stdout.write(raw.replace(b"\n", b"")[: b - a + 1].decode())
EOF
}

case_long() {
    local ref=$WORK/ref.fa in=$WORK/long.fa t
    local len=$((LONG_COPIES * 1048576))
    python3 "$SIM" long "$ref" "$in" 1048576 "$LONG_COPIES" 4 || die "simulate.py long failed"
    for t in "${tools[@]}"; do
        local b=${bin[$t]} a=$WORK/$t.long.agc
        timed "$t" "create" - "$b" create -t "$THREADS" -o "$a" "$ref" "$in" || continue
        row "$t" "create: 1 MiB reference + 1 contig of $len bases" "$(size_of "$a")" ok
        local q from to
        for q in "2147483600 2147483700" "$((len - 100)) $((len - 1))" "0 99"; do
            read -r from to <<< "$q"
            ((to < len)) || continue
            timed "$t" "getctg" "$WORK/r.fa" "$b" getctg "$a" "long@long:$from-$to" || continue
            if [[ $(grep -v '^>' "$WORK/r.fa" | tr -d '\n') == "$(base_range "$in" "$from" "$to")" ]]; then
                row "$t" "getctg long:$from-$to" "$(size_of "$WORK/r.fa")" "ok: equals the input's bases"
            else
                row "$t" "getctg long:$from-$to" "$(size_of "$WORK/r.fa")" "FAILED: differs"
            fi
        done
        if [[ $t == ragc ]]; then
            timed "$t" "faidx" "$WORK/r.fa" "$b" faidx -s long "$a" "long:$((len - 99))-$len" || continue
            [[ $(grep -v '^>' "$WORK/r.fa" | tr -d '\n') == "$(base_range "$in" $((len - 100)) $((len - 1)))" ]] &&
                row "$t" "faidx long:$((len - 99))-$len (1-based)" "$(size_of "$WORK/r.fa")" ok ||
                row "$t" "faidx long:$((len - 99))-$len (1-based)" "$(size_of "$WORK/r.fa")" "FAILED: differs"
        fi
        timed "$t" "getset" "$WORK/back.fa" "$b" getset -t "$THREADS" -l 64 "$a" long || continue
        cmp -s "$in" "$WORK/back.fa" && row "$t" "getset -l 64 of the long sample" "$(size_of "$WORK/back.fa")" "ok: identical" ||
            row "$t" "getset -l 64 of the long sample" "$(size_of "$WORK/back.fa")" "FAILED: differs"
        rm -f "$WORK/back.fa"
    done
}

for c in $CASES; do
    case $c in
    samples) case_samples ;;
    contigs) case_contigs ;;
    names) case_names ;;
    long) case_long ;;
    *) die "unknown case $c" ;;
    esac
done
exit $failed
