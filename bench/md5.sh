#!/usr/bin/env bash
# Contig MD5 lookups (issue 9): how long the first lookup by MD5 takes in a
# fresh process, archive open included (goal: under 50 ms), on an archive of
# 10 human-chromosome-sized haplotypes.
#
#   bench/md5.sh                    after `make` and `make tests`
#   RUNS=21 SAMPLES="ref hap09" bench/md5.sh
#
# The set (../shared/bench/make-large.sh: ref.fa, the first 70 Mb of GRCh37
# chrX, and hap01..hap09.fa) and its archives (`ragc create -t THREADS`, and
# a copy made with --no-original, which has no ragc-md5 stream) are built
# once in a cache outside the checkout (MD5_CACHE, default
# ${TMPDIR:-/tmp}/ragc-bench-md5; about 1 GB).  The MD5s looked up and the
# answers expected come from `samtools dict` of the input files.  Each lookup
# runs RUNS times, each time in a new process of obj/benchbin/md5_lookup
# (bench/md5_lookup.c), which times ragc_open + ragc_decoder_init + the first
# ragc_find_md5, then a second lookup in the same process.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(dirname "$here")
RAGC=${RAGC:-$top/ragc}
LOOKUP=${MD5_LOOKUP:-$top/obj/benchbin/md5_lookup}
RUNS=${RUNS:-11}
THREADS=${THREADS:-2}
SHARED=${RAGC_SHARED:-$top/../shared}
CACHE=${MD5_CACHE:-${TMPDIR:-/tmp}/ragc-bench-md5}
SAMTOOLS=${SAMTOOLS:-samtools}
SAMPLES=${SAMPLES:-ref hap05 hap09}
NOORIG_TIMEOUT=${NOORIG_TIMEOUT:-300}
GOAL_MS=50
MAKE_LARGE=$SHARED/bench/make-large.sh

die() { echo "md5.sh: $*" >&2; exit 2; }
[[ -d $SHARED ]] || die "the shared folder is missing: $SHARED (set RAGC_SHARED to it); it holds bench/make-large.sh, which builds the test set"
[[ -f $MAKE_LARGE ]] || die "the set's build script is missing: $MAKE_LARGE"
[[ -x $RAGC ]] || die "ragc not found: $RAGC (run make first, or set RAGC)"
[[ -x $LOOKUP ]] || die "md5_lookup not found: $LOOKUP (run make tests first, or set MD5_LOOKUP)"
command -v "$SAMTOOLS" > /dev/null || die "samtools not found (apt-get install samtools, or set SAMTOOLS)"
command -v timeout > /dev/null || die "timeout (coreutils) not found"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer: $RUNS"
[[ $THREADS =~ ^[1-9][0-9]*$ ]] || die "THREADS must be a positive integer: $THREADS"
[[ $NOORIG_TIMEOUT =~ ^[0-9]+$ ]] || die "NOORIG_TIMEOUT must be a number of seconds: $NOORIG_TIMEOUT"
case $CACHE/ in "$top"/*) die "the cache must be outside the checkout: $CACHE" ;; esac

# --- the set and its archives, built once ------------------------------------
# Every cached thing is made under a .part name and renamed when complete.
set_dir=$CACHE/large
mkdir -p "$CACHE"
if [[ ! -f $set_dir/order ]]; then
    echo "md5.sh: building the large set in $set_dir with $MAKE_LARGE (about a minute, 720 MB)" >&2
    rm -rf "$set_dir.part"
    bash "$MAKE_LARGE" "$set_dir.part" >&2 || die "$MAKE_LARGE failed"
    ( cd "$set_dir.part" && { echo ref.fa; ls hap*.fa | LC_ALL=C sort; } > order )
    rm -rf "$set_dir" && mv "$set_dir.part" "$set_dir"
fi
mapfile -t files < <(sed "s|^|$set_dir/|" "$set_dir/order")

# make_archive OUT [OPTION...]: ragc create of the set, the reference first;
# OUT.made records the ragc that made it and how long it took.
make_archive() {
    local out=$1 t0 t1
    shift
    [[ -s $out && -f $out.made ]] && return 0
    echo "md5.sh: creating $out (ragc create -t $THREADS${*:+ $*})" >&2
    rm -f "$out" "$out.part" "$out.made"
    t0=$EPOCHREALTIME
    "$RAGC" create -t "$THREADS" "$@" -o "$out.part" "${files[@]}" > /dev/null ||
        die "ragc create $* failed"
    t1=$EPOCHREALTIME
    mv "$out.part" "$out"
    echo "$("$RAGC" --version | head -n 1), create -t $THREADS${*:+ $*} in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s" > "$out.made"
}
archive=$CACHE/large.agc
noorig=$CACHE/large-noorig.agc
make_archive "$archive"
make_archive "$noorig" --no-original

# samtools dict of every input, in sample order: SAMPLE SN M5 per contig
if [[ ! -f $CACHE/dict.tsv ]]; then
    for f in "${files[@]}"; do
        s=$(basename "$f" .fa)
        "$SAMTOOLS" dict "$f" | awk -F'\t' -v s="$s" '$1 == "@SQ" {
            for (i = 2; i <= NF; i++) { if ($i ~ /^SN:/) sn = substr($i, 4); if ($i ~ /^M5:/) m5 = substr($i, 4) }
            print s "\t" sn "\t" m5 }'
    done > "$CACHE/dict.tsv.part" || die "samtools dict failed"
    mv "$CACHE/dict.tsv.part" "$CACHE/dict.tsv"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- what is looked up ---------------------------------------------------------
# The first contig of each sample of SAMPLES; the answer expected is the
# first (sample, contig) in sample order whose input had that MD5, as
# ragc_find_md5 promises.
md5s=() expect=()
for s in $SAMPLES; do
    m=$(awk -F'\t' -v s="$s" '$1 == s { print $3; exit }' "$CACHE/dict.tsv")
    [[ -n $m ]] || die "no sample '$s' in the set (SAMPLES takes names of $(tr '\n' ' ' < "$set_dir/order"))"
    md5s+=("$m")
    expect+=("$(awk -F'\t' -v m="$m" '$3 == m { print $1 "\t" $2; exit }' "$CACHE/dict.tsv")")
done
# two MD5s no contig has (checked against the set)
miss1=$(printf 'md5.sh: no such contig 1' | md5sum | cut -c1-32)
miss2=$(printf 'md5.sh: no such contig 2' | md5sum | cut -c1-32)
! cut -f3 "$CACHE/dict.tsv" | grep -qx -e "$miss1" -e "$miss2" || die "a miss MD5 is in the set"

# --- helpers -----------------------------------------------------------------
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maxof() { sort -n | tail -n 1; }
ms() { awk -v v="$1" 'BEGIN { printf (v < 10 ? "%.3f" : "%.1f"), v }'; }
cell() { printf '%s' "$1" | sed 's/|/\\|/g'; }   # a markdown table cell: names may hold '|'
us() { awk -v v="$1" 'BEGIN { printf "%.1f", v * 1000 }'; }

# lookup TAG ARCHIVE MD5 MD5: one md5_lookup process; appends its lines
# (plus the process's wall ms from bash's clock) to $tmp/TAG; 1 on failure.
lookup() {
    local tag=$1 t0 t1
    shift
    t0=$EPOCHREALTIME
    "$LOOKUP" "$@" > "$tmp/out" 2> "$tmp/err" || return 1
    t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" '{ printf "%s\t%.3f\n", $0, (b - a) * 1000 }' "$tmp/out" >> "$tmp/$tag"
}

# right TAG EXPECTED: "ok" when every run of TAG found the expected sample
# and contig (the sample's name and index match its input file and its place
# on the command line; the first word of the stored name is samtools dict's
# SN, and `ragc listctg` lists that name at the index found), else what went
# wrong.
right() {
    local tag=$1 want=$2 got s sn si ci cname listed
    got=$(awk -F'\t' '$2 == "first" { print $4 "\t" $5 "\t" $6 "\t" $7 "\t" $8 }' "$tmp/$tag" | sort -u)
    [[ $(wc -l <<< "$got") == 1 ]] || { echo "DIFFERS between runs"; return; }
    if [[ -z $want ]]; then
        [[ ${got%%$'\t'*} == miss ]] && echo ok || echo "WRONG (found: $(cut -f4,5 <<< "$got"))"
        return
    fi
    [[ ${got%%$'\t'*} == found ]] || { echo "WRONG (miss)"; return; }
    IFS=$'\t' read -r _ si ci s cname <<< "$got"
    sn=${want#*$'\t'}
    [[ $s == "${want%%$'\t'*}" && ${cname%% *} == "$sn" ]] || { echo "WRONG ($s/$cname)"; return; }
    # samples are stored in input order (the order file), contigs as `listctg` lists them
    [[ $(sed -n "$((si + 1))p" "$set_dir/order") == "$s.fa" ]] || { echo "WRONG (sample index $si)"; return; }
    listed=$("$RAGC" listctg "$archive" "$s" | sed -n "$((ci + 2))p" | sed 's/^ *//')
    [[ $listed == "$cname" ]] || { echo "WRONG (listctg: '$listed')"; return; }
    echo ok
}

# --- the runs ------------------------------------------------------------------
# Row k looks up md5s[k] first, then md5s[k+1] (cyclically) in the same
# process; the miss row looks up two absent MD5s.
n=${#md5s[@]}
status=0
for ((run = 0; run <= RUNS; run++)); do   # run 0: warm-up (page cache), not counted
    for ((k = 0; k < n; k++)); do
        tag=hit$k
        ((run == 0)) && tag=warm
        lookup "$tag" "$archive" "${md5s[k]}" "${md5s[(k + 1) % n]}" ||
            die "md5_lookup failed: $(head -c 400 "$tmp/err")"
    done
    tag=miss
    ((run == 0)) && tag=warm
    lookup "$tag" "$archive" "$miss1" "$miss2" || die "md5_lookup failed: $(head -c 400 "$tmp/err")"
done

# columns of $tmp/TAG lines: 2 kind, 9 ms, 10 open, 11 init, 12 find, 13 process ms
col() { awk -F'\t' -v k="$2" -v c="$3" '$2 == k { print $c }' "$tmp/$1"; }
open_init() { awk -F'\t' '$2 == "first" { print $10 + $11 }' "$tmp/$1"; }

rows=()
row() {   # row TAG LABEL MD5 EXPECTED
    local tag=$1 first med mx oi fnd next proc ok goal
    med=$(col "$tag" first 9 | median)
    mx=$(col "$tag" first 9 | maxof)
    oi=$(open_init "$tag" | median)
    fnd=$(col "$tag" first 12 | median)
    next=$(col "$tag" next 9 | median)
    proc=$(col "$tag" first 13 | median)
    ok=$(right "$tag" "$4")
    [[ $ok == ok ]] || status=1
    goal=$(awk -v m="$med" -v g="$GOAL_MS" 'BEGIN { print (m < g) ? "ok" : "MISSED" }')
    [[ $goal == ok ]] || status=1
    first=$(awk -F'\t' '$2 == "first" { print ($4 == "found") ? $7 "/" $8 : "miss"; exit }' "$tmp/$tag")
    rows+=("| $2 | \`$3\` | $(cell "$first") | $(ms "$med") | $(ms "$mx") | $(ms "$oi") | $(ms "$fnd") | $(us "$next") | $(ms "$proc") | $goal | $ok |")
}
for ((k = 0; k < n; k++)); do
    row "hit$k" "${expect[k]%%$'\t'*}: ${expect[k]#*$'\t'}" "${md5s[k]}" "${expect[k]}"
done
row miss "miss" "$miss1" ""

# --- the same lookup without the stream (computed by decoding), once ---------
# The last row's MD5: the worst hit, every sample before it is decoded.
last=$((n - 1))
t0=$EPOCHREALTIME
if timeout "$NOORIG_TIMEOUT" "$LOOKUP" "$noorig" "${md5s[last]}" "${md5s[0]}" > "$tmp/noorig" 2> "$tmp/noorig.err"; then
    t1=$EPOCHREALTIME
    noorig_first=$(awk -F'\t' '$2 == "first" { printf "%.0f ms (%s/%s)", $9, $7, $8 }' "$tmp/noorig")
    noorig_next=$(awk -F'\t' '$2 == "next" { printf "%.0f ms (%s/%s)", $9, $7, $8 }' "$tmp/noorig")
    noorig_proc=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f ms", (b - a) * 1000 }')
    want="${expect[last]%%$'\t'*}/${expect[last]#*$'\t'}"
    got=$(awk -F'\t' '$2 == "first" { print $7 "/" $8 }' "$tmp/noorig")
    [[ ${got%% *} == "$want" ]] || { noorig_first+=" WRONG, expected $want"; status=1; }
else
    rc=$?
    ((rc == 124)) && noorig_first="over $NOORIG_TIMEOUT s (timed out)" || { noorig_first="FAILED: $(head -c 300 "$tmp/noorig.err")"; status=1; }
    noorig_next=- noorig_proc=-
fi

size() { stat -c %s "$1"; }
echo "## Contig MD5 lookups (ragc_find_md5)"
echo
echo "- set: $set_dir ($(wc -l < "$set_dir/order") files, $(stat -c %s -- "${files[@]}" | awk '{ n += $1 } END { print n }') bytes of FASTA); $(nproc) CPUs, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- archive: $archive, $(size "$archive") bytes ($(cat "$archive.made"))"
echo "- no-original copy: $noorig, $(size "$noorig") bytes ($(cat "$noorig.made"))"
echo "- medians of $RUNS runs, each lookup in a new process of \`md5_lookup\` after one warm-up run (archive in the page cache); ms of wall time (CLOCK_MONOTONIC)"
echo "- first = ragc_open + ragc_decoder_init + the first ragc_find_md5 (goal < $GOAL_MS ms); second = the next row's MD5 looked up in the same process (the miss row: another absent MD5); process = the whole md5_lookup process from bash (exec, loading, output)"
echo
echo "| lookup (expected sample: contig) | MD5 | found (sample/contig) | first ms, median | first ms, max | open+init ms | first find ms | second µs, median | process ms | goal | right |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "Without the ragc-md5 stream (the --no-original copy: MD5s computed by decoding), \`${expect[last]%%$'\t'*}\`'s contig, run once (timeout $NOORIG_TIMEOUT s): first lookup $noorig_first, second (\`${expect[0]%%$'\t'*}\`'s contig) $noorig_next, process $noorig_proc."
exit $status
