#!/usr/bin/env bash
# Append and adaptive-mode benchmark: ragc against agc, as bench/create.sh.
#
#   bench/append.sh                        ragc only (agc figures: BASELINES.md)
#   AGC=/path/to/agc bench/append.sh       both, interleaved, with ratios
#
# Cases: (1) `append -t 2` of SAL_HA8462AA to an archive of the other nine
# senterica-10 genomes (FASTA; each tool appends to the archive it created);
# (2) `create -a -t 2` of senterica-10 (FASTA).  Medians of RUNS (default 5)
# runs of /usr/bin/time; every archive is checked: the appended sample comes
# back as its input (upper case, 80 columns).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(dirname "$here")
RAGC=${RAGC:-$top/ragc}
AGC=${AGC:-}
RUNS=${RUNS:-5}
SHARED=${RAGC_SHARED:-$top/../shared}
SRC=$SHARED/data/senterica-10
die() { echo "append.sh: $*" >&2; exit 2; }
[[ -x $RAGC ]] || die "ragc not found: $RAGC"
[[ -z $AGC || -x $AGC ]] || die "AGC=$AGC is not an executable"
[[ -d $SRC ]] || die "inputs missing: $SRC (the senterica-10 genomes of the extended data; set RAGC_SHARED to the shared/ folder)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time missing (apt-get install time)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in "$SRC"/*.fasta.gz; do gzip -dc "$f" > "$tmp/$(basename "$f" .gz)"; done
ref=$tmp/SAL_AA7743AA.fasta
nine=("$ref")
for f in "$tmp"/*.fasta; do
    [[ $f == "$ref" || $f == */SAL_HA8462AA.fasta ]] || nine+=("$f")
done
last=$tmp/SAL_HA8462AA.fasta
all=("${nine[@]}" "$last")

tools=(ragc)
declare -A bin=([ragc]=$RAGC)
if [[ -n $AGC ]]; then tools+=(agc); bin[agc]=$AGC; fi
for t in "${tools[@]}"; do
    "${bin[$t]}" create -t 2 -o "$tmp/$t.nine.agc" "${nine[@]}" 2> /dev/null
done

# the input as agc prints it
awk '/^>/ { if (s != "") f(); print; next } { s = s toupper($0) }
     function f() { while (length(s) > 80) { print substr(s, 1, 80); s = substr(s, 81) } print s; s = "" }
     END { if (s != "") f() }' "$last" > "$tmp/want.fa"

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "n/a" }'; }

run_case() {   # run_case CASE TOOL OUT
    case $1 in
    1) /usr/bin/time -f '%e %M' -o "$tmp/time" "${bin[$2]}" append -t 2 -o "$3" "$tmp/$2.nine.agc" "$last" 2> /dev/null ;;
    2) /usr/bin/time -f '%e %M' -o "$tmp/time" "${bin[$2]}" create -a -t 2 -o "$3" "${all[@]}" 2> /dev/null ;;
    esac
    cat "$tmp/time"
}

labels=("" "append SAL_HA8462AA to 9 samples (FASTA)" "create -a senterica-10 (FASTA)")
echo "## Append and adaptive mode: ragc vs ${AGC:+agc ($AGC)}${AGC:-BASELINES.md}"
echo
echo "- medians of $RUNS runs of \`/usr/bin/time -f '%e %M'\`, $(nproc) CPUs, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "| case | ragc wall s | ragc peak KiB | ragc bytes | agc wall s | agc peak KiB | agc bytes | wall ratio | RSS ratio | bytes ratio | check |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
status=0
for c in 1 2; do
    declare -A w=() m=() b=()
    for t in "${tools[@]}"; do : > "$tmp/$t.$c.w"; : > "$tmp/$t.$c.m"; done
    for ((i = 0; i < RUNS; i++)); do
        for t in "${tools[@]}"; do
            read -r wall mem < <(run_case "$c" "$t" "$tmp/$t.$c.agc")
            echo "$wall" >> "$tmp/$t.$c.w"
            echo "$mem" >> "$tmp/$t.$c.m"
        done
    done
    for t in "${tools[@]}"; do
        w[$t]=$(median < "$tmp/$t.$c.w")
        m[$t]=$(median < "$tmp/$t.$c.m")
        b[$t]=$(stat -c %s "$tmp/$t.$c.agc")
    done
    check=ok
    "$RAGC" getset "$tmp/ragc.$c.agc" SAL_HA8462AA | cmp -s - "$tmp/want.fa" || { check=DIFF; status=1; }
    if [[ -n $AGC ]]; then
        aw=${w[agc]} am=${m[agc]} ab=${b[agc]}
    else   # BASELINES.md rows (agc, same machine kind)
        case $c in 1) aw=0.44 am=$((51 * 1024)) ab=3116932 ;; 2) aw=1.57 am=$((159 * 1024)) ab=3011179 ;; esac
    fi
    echo "| ${labels[c]} | ${w[ragc]} | ${m[ragc]} | ${b[ragc]} | $aw | $am | $ab | $(ratio "${w[ragc]}" "$aw") | $(ratio "${m[ragc]}" "$am") | $(ratio "${b[ragc]}" "$ab") | $check |"
done
exit $status
