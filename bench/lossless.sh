#!/usr/bin/env bash
# Lossless archives (issue 8): what keeping each sample's original form costs.
#
#   bench/lossless.sh                        ragc, lossless against --no-original
#   AGC=/path/to/agc bench/lossless.sh       also against agc 3.2.2
#
# Two sets, built once in a cache outside the checkout (LOSSLESS_CACHE,
# default ${TMPDIR:-/tmp}/ragc-bench-lossless):
#   soft   the senterica-10 genomes soft-masked by `dustmasker -outfmt fasta`
#          (Debian's ncbi-blast+; 60-column lines, ~2% of the bases lower case)
#   lower  SAL_AA7743AA with every sequence line lower-cased
# For each set `ragc create -t THREADS` runs with the default (lossless) and
# with --no-original, RUNS times alternating (and agc create when AGC is set),
# after one untimed warm-up each.  The tables give archive bytes, medians of
# wall time, their ratios against the issue's goals, and the round trip:
# `ragc getset --original` of every sample has the md5 of its input file.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(dirname "$here")
RAGC=${RAGC:-$top/ragc}
AGC=${AGC:-}
RUNS=${RUNS:-11}
THREADS=${THREADS:-2}
SHARED=${RAGC_SHARED:-$top/../shared}
CACHE=${LOSSLESS_CACHE:-${TMPDIR:-/tmp}/ragc-bench-lossless}
DUSTMASKER=${DUSTMASKER:-dustmasker}
# The options under test; set one to the empty string to exercise the
# script's plumbing with a ragc that does not have it yet.
NO_ORIGINAL=${NO_ORIGINAL---no-original}
ORIGINAL=${ORIGINAL---original}
no_original=() original=()
[[ -z $NO_ORIGINAL ]] || no_original=("$NO_ORIGINAL")
[[ -z $ORIGINAL ]] || original=("$ORIGINAL")
SETS=${SETS:-soft lower}
SRC=$SHARED/data/senterica-10
REF=SAL_AA7743AA

die() { echo "lossless.sh: $*" >&2; exit 2; }
[[ -x $RAGC ]] || die "ragc not found: $RAGC (run make first, or set RAGC)"
[[ -z $AGC || -x $AGC ]] || die "AGC=$AGC is not an executable"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer: $RUNS"
[[ $THREADS =~ ^[1-9][0-9]*$ ]] || die "THREADS must be a positive integer: $THREADS"
[[ -x /usr/bin/time ]] || die "/usr/bin/time missing (apt-get install time)"
[[ -d $SRC ]] || die "inputs missing: $SRC (set RAGC_SHARED to the shared/ folder)"
case $CACHE/ in "$top"/*) die "the cache must be outside the checkout: $CACHE" ;; esac
for set in $SETS; do
    [[ $set == soft || $set == lower ]] || die "SETS takes soft and/or lower, not '$set'"
done

# --- the test sets, built once ---------------------------------------------
# Each set is a directory of FASTA files plus a file "order" (the reference
# first); a set is complete when "order" exists, which is written last.
build_soft() {   # build_soft DIR
    local dir=$1 part f name
    command -v "$DUSTMASKER" > /dev/null ||
        die "dustmasker not found; it makes the soft-masked set. On Debian/Ubuntu: sudo apt-get install ncbi-blast+ (or set DUSTMASKER=/path/to/dustmasker)"
    part=$dir.part
    rm -rf "$part" && mkdir -p "$part"
    for f in "$SRC"/*.fasta.gz; do
        name=$(basename "$f" .fasta.gz)
        gzip -dc "$f" > "$part/$name.plain"
        "$DUSTMASKER" -in "$part/$name.plain" -outfmt fasta -out "$part/$name.fa" > /dev/null 2> "$part/err" ||
            die "dustmasker failed on $name: $(head -c 300 "$part/err")"
        rm -f "$part/$name.plain"
    done
    rm -f "$part/err"
    { echo "$REF.fa"; for f in "$part"/*.fa; do basename "$f"; done | LC_ALL=C sort | grep -vx "$REF.fa"; } > "$part/order"
    rm -rf "$dir" && mv "$part" "$dir"
}

build_lower() {   # build_lower DIR
    local dir=$1 part=$1.part
    rm -rf "$part" && mkdir -p "$part"
    gzip -dc "$SRC/$REF.fasta.gz" | awk '/^>/ { print; next } { print tolower($0) }' > "$part/$REF.fa"
    echo "$REF.fa" > "$part/order"
    rm -rf "$dir" && mv "$part" "$dir"
}

# The same files with every sequence line upper-cased: the archive "without
# the mask" (same layout, headers and MD5s), so that the ratio measures what
# the case mask costs.
build_upper() {   # build_upper SET
    local src=$CACHE/$1 dir=$CACHE/$1.upper part f
    part=$dir.part
    rm -rf "$part" && mkdir -p "$part"
    while read -r f; do
        awk '/^>/ { print; next } { print toupper($0) }' "$src/$f" > "$part/$f"
    done < "$src/order"
    cp "$src/order" "$part/order"
    rm -rf "$dir" && mv "$part" "$dir"
}

mkdir -p "$CACHE"
[[ " $SETS " != *" soft "* || -f $CACHE/soft/order ]] || { echo "lossless.sh: building the soft-masked set in $CACHE/soft" >&2; build_soft "$CACHE/soft"; }
[[ " $SETS " != *" lower "* || -f $CACHE/lower/order ]] || { echo "lossless.sh: building the all-lower-case set in $CACHE/lower" >&2; build_lower "$CACHE/lower"; }

for set in $SETS; do
    [[ -f $CACHE/$set.upper/order ]] || build_upper "$set"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- helpers -----------------------------------------------------------------
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-3}" 'BEGIN { if (a > 0 && b > 0) printf "%.*f", d, a / b; else print "n/a" }'; }
within() { awk -v r="$1" -v g="$2" 'BEGIN { print (r != "n/a" && r + 0 <= g + 0) ? "ok" : "MISSED" }'; }
sizes() { sort -n "$1" | uniq | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print (lo == hi) ? lo : lo "-" hi }'; }

# the create command of a variant, into the array cmd
command_of() {   # command_of VARIANT SET OUT
    local v=$1 set=$2 out=$3 files=()
    mapfile -t files < <(sed "s|^|$CACHE/$set/|" "$CACHE/$set/order")
    case $v in
    lossless) cmd=("$RAGC" create -t "$THREADS" -o "$out" "${files[@]}") ;;
    upper) mapfile -t files < <(sed "s|^|$CACHE/$set.upper/|" "$CACHE/$set/order")
           cmd=("$RAGC" create -t "$THREADS" -o "$out" "${files[@]}") ;;
    noorig) cmd=("$RAGC" create "${no_original[@]}" -t "$THREADS" -o "$out" "${files[@]}") ;;
    agc) cmd=("$AGC" create -t "$THREADS" -o "$out" "${files[@]}") ;;
    esac
}

# Wall time from bash's microsecond clock; CPU time (user + system, 10 ms
# resolution) from GNU time, steadier than wall time when other jobs load the
# shared machine.
timed() {   # timed VARIANT SET OUT: prints wall and CPU seconds, or FAILED
    local t0 t1 cmd
    command_of "$@"
    rm -f "$3"
    t0=$EPOCHREALTIME
    if ! /usr/bin/time -f '%U %S' -o "$tmp/cpu" "${cmd[@]}" > /dev/null 2> "$tmp/err.$1" || [[ ! -s $3 ]]; then
        echo FAILED; return
    fi
    t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" '{ printf "%.4f %.2f\n", b - a, $1 + $2 }' "$tmp/cpu"
}

# every sample of the lossless archive through `getset --original` against its input
round_trip() {   # round_trip SET ARCHIVE: prints ok, or DIFF/FAILED with the sample
    local set=$1 ar=$2 f s
    while read -r f; do
        s=${f%.fa}
        if ! "$RAGC" getset "${original[@]}" "$ar" "$s" > "$tmp/rt" 2> "$tmp/rt.err"; then
            echo "FAILED ($s: $(head -n 1 "$tmp/rt.err"))"; return
        fi
        [[ $(md5sum < "$tmp/rt") == "$(md5sum < "$CACHE/$set/$f")" ]] || { echo "DIFF ($s)"; return; }
    done < "$CACHE/$set/order"
    echo ok
}

variants=(lossless noorig)
[[ -n $AGC ]] && variants+=(agc)
declare -A label=([soft]="senterica-10 dust-masked" [lower]="$REF all lower case")
declare -A bytes_goal=([soft]=1.03 [lower]=1.001)
wall_goal=1.05
status=0
rows_size=() rows_time=() failures=()

for set in $SETS; do
    nfiles=$(wc -l < "$CACHE/$set/order")
    mapfile -t files < <(sed "s|^|$CACHE/$set/|" "$CACHE/$set/order")
    inbytes=$(cat -- "${files[@]}" | wc -c)
    declare -A w=() c=() b=()
    failed=
    for v in "${variants[@]}"; do : > "$tmp/$set.$v.w"; : > "$tmp/$set.$v.c"; : > "$tmp/$set.$v.b"; done
    # warm-up: page cache, and the archive that is checked
    for v in "${variants[@]}"; do
        if [[ $(timed "$v" "$set" "$tmp/$set.$v.agc") == FAILED ]]; then
            failed+=" $v"; failures+=("$set $v: $(head -c 400 "$tmp/err.$v")")
        fi
    done
    if [[ -z $failed ]]; then
        for ((i = 0; i < RUNS; i++)); do
            # alternate which variant goes first, so drifts in load hit both
            order=("${variants[@]}")
            ((i % 2)) && order=(noorig lossless ${AGC:+agc})
            for v in "${order[@]}"; do
                t=$(timed "$v" "$set" "$tmp/$set.$v.run.agc")
                [[ $t == FAILED ]] && { failed+=" $v"; failures+=("$set $v: $(head -c 400 "$tmp/err.$v")"); break 2; }
                echo "${t% *}" >> "$tmp/$set.$v.w"
                echo "${t#* }" >> "$tmp/$set.$v.c"
                stat -c %s "$tmp/$set.$v.run.agc" >> "$tmp/$set.$v.b"
            done
        done
    fi
    if [[ -n $failed ]]; then
        status=1
        rows_size+=("| ${label[$set]} | $nfiles | $inbytes | create FAILED:$failed | | | | | | | |")
        rows_time+=("| ${label[$set]} | create FAILED:$failed | | | | | | | | | | | |")
        continue
    fi
    for v in "${variants[@]}"; do
        stat -c %s "$tmp/$set.$v.agc" >> "$tmp/$set.$v.b"
        b[$v]=$(sizes "$tmp/$set.$v.b")
        w[$v]=$(median < "$tmp/$set.$v.w")
        c[$v]=$(median < "$tmp/$set.$v.c")
        [[ ${b[$v]} == *-* ]] && echo "lossless.sh: warning: $set $v archive size differs between runs: ${b[$v]}" >&2
    done
    ub=FAILED
    [[ $(timed upper "$set" "$tmp/$set.upper.agc") != FAILED ]] && ub=$(stat -c %s "$tmp/$set.upper.agc")
    mr=$(ratio "${b[lossless]%-*}" "$ub" 4)
    br=$(ratio "${b[lossless]%-*}" "${b[noorig]%-*}" 4)
    wr=$(ratio "${w[lossless]}" "${w[noorig]}")
    cr=$(ratio "${c[lossless]}" "${c[noorig]}")
    rt=$(round_trip "$set" "$tmp/$set.lossless.agc")
    [[ $rt == ok ]] || status=1
    if [[ -n $AGC ]]; then
        ab=${b[agc]} aw=${w[agc]} ac=${c[agc]}
        abr=$(ratio "${b[lossless]%-*}" "${ab%-*}" 4) awr=$(ratio "${w[lossless]}" "$aw") acr=$(ratio "${c[lossless]}" "$ac")
    else
        ab='' aw='' ac='' abr='' awr='' acr=''
    fi
    [[ $(within "$mr" "${bytes_goal[$set]}") == ok ]] || status=1
    rows_size+=("| ${label[$set]} | $nfiles | $inbytes | ${b[lossless]} | $ub | $mr | ${bytes_goal[$set]} $(within "$mr" "${bytes_goal[$set]}") | ${b[noorig]} | $br | $ab | $abr |")
    rows_time+=("| ${label[$set]} | ${w[lossless]} | ${w[noorig]} | $wr | $wall_goal $(within "$wr" "$wall_goal") | ${c[lossless]} | ${c[noorig]} | $cr | $aw | $awr | $ac | $acr | $rt |")
done

echo "## Lossless archives: the cost of the original form"
echo
echo "- \`create -t $THREADS\`, medians of $RUNS alternating runs (wall seconds from bash's EPOCHREALTIME, CPU = user + system from GNU time), $(nproc) CPUs, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- lossless = \`ragc create\` (default); no-original = \`ragc create ${NO_ORIGINAL:-(NO_ORIGINAL empty: the same command)}\`${AGC:+; agc = \`$AGC create\` of the same files (agc stores their upper-case view)}"
echo "- sets in $CACHE"
echo
echo "| set | files | input bytes | lossless bytes | lossless of the input upper-cased | mask: ratio | goal | no-original bytes | lossless/no-original (original forms and MD5s) | agc bytes | lossless/agc |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows_size[@]}"
echo
echo "| set | lossless wall s | no-original wall s | ratio | goal | lossless CPU s | no-original CPU s | ratio | agc wall s | lossless/agc | agc CPU s | lossless/agc | round trip (\`getset ${ORIGINAL:-(ORIGINAL empty)}\`) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows_time[@]}"
if ((${#failures[@]})); then
    echo
    echo "Failures (head of stderr):"
    printf -- '- %s\n' "${failures[@]}"
fi
exit $status
