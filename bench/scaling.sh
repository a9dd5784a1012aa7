#!/usr/bin/env bash
# How the cost of `create -t 2` grows with the number of samples: wall time
# and peak RSS of ragc (and agc, side by side) for the first N samples of a
# set, the reference first.  See bench/README.md.
#
#   bench/scaling.sh                          senterica, N = 1..10, ragc only
#   AGC=/path/to/agc LARGE=DIR bench/scaling.sh   also agc, and the large set
#
# Environment: RAGC (default ./ragc), AGC, RAGC_SHARED (default ../shared),
# LARGE (a folder made by ../shared/bench/make-large.sh; N = 1 2 4 8 10),
# RUNS (runs per point, median; default 3), RUNS_LARGE (default 1),
# SENT_N / LARGE_N (the values of N).  Prints a markdown table on stdout.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(dirname "$here")
RAGC=${RAGC:-$top/ragc}
AGC=${AGC:-}
SHARED=${RAGC_SHARED:-$top/../shared}
LARGE=${LARGE:-}
RUNS=${RUNS:-3}
RUNS_LARGE=${RUNS_LARGE:-1}
SENT_N=${SENT_N:-1 2 3 4 5 6 7 8 9 10}
LARGE_N=${LARGE_N:-1 2 4 8 10}
TIME=/usr/bin/time

case ${1:-} in -h|--help) sed -n '2,12s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
die() { echo "scaling.sh: $*" >&2; exit 2; }
[[ -x $RAGC ]] || die "ragc binary not found: $RAGC"
[[ -z $AGC || -x $AGC ]] || die "AGC=$AGC is not an executable"
[[ -x $TIME ]] || die "$TIME not found (apt-get install time)"
sent=$SHARED/data/senterica-10
[[ -f $sent/SAL_AA7743AA.fasta.gz ]] || die "not found: $sent (set RAGC_SHARED)"
[[ -z $LARGE || -f $LARGE/ref.fa ]] || die "LARGE=$LARGE has no ref.fa"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ragc-bench-scaling.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# senterica decompressed once, the reference first
sent_fa=("$tmp/SAL_AA7743AA.fasta")
gzip -dc "$sent/SAL_AA7743AA.fasta.gz" > "${sent_fa[0]}"
for f in "$sent"/*.fasta.gz; do
	b=$(basename "${f%.gz}")
	[[ $b == SAL_AA7743AA.fasta ]] && continue
	gzip -dc "$f" > "$tmp/$b"
	sent_fa+=("$tmp/$b")
done
large_fa=()
if [[ -n $LARGE ]]; then
	large_fa=("$LARGE/ref.fa")
	for f in "$LARGE"/hap*.fa; do large_fa+=("$f"); done
fi

# one run: REPLY="wall rss"
run_once() {
	local bin=$1; shift
	rm -f "$tmp/out.agc"
	"$TIME" -f '%e %M' -o "$tmp/t" "$bin" create -t 2 -o "$tmp/out.agc" "$@" >/dev/null 2>"$tmp/err" ||
		die "$bin create failed: $(head -n 3 "$tmp/err")"
	REPLY=$(tail -n 1 "$tmp/t")
}
median() { sort -g | awk '{v[NR] = $1} END { printf "%s", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'; }

# one table row: set name, N, runs, files...
row() {
	local set=$1 n=$2 runs=$3; shift 3
	local files=("${@:1:n}") r mb
	mb=$(cat "${files[@]}" | wc -c | awk '{printf "%.0f", $1 / 1e6}')
	: > "$tmp/ow"; : > "$tmp/om"; : > "$tmp/aw"; : > "$tmp/am"
	for ((r = 0; r < runs; r++)); do   # ragc and agc interleaved
		run_once "$RAGC" "${files[@]}"; echo "${REPLY% *}" >> "$tmp/ow"; echo "${REPLY#* }" >> "$tmp/om"
		if [[ -n $AGC ]]; then
			run_once "$AGC" "${files[@]}"; echo "${REPLY% *}" >> "$tmp/aw"; echo "${REPLY#* }" >> "$tmp/am"
		fi
	done
	local ow om aw=- am=-
	ow=$(median < "$tmp/ow"); om=$(median < "$tmp/om")
	[[ -n $AGC ]] && { aw=$(median < "$tmp/aw"); am=$(median < "$tmp/am"); }
	printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$set" "$n" "$mb" "$ow" "$((om / 1024))" \
		"$aw" "$([[ $am == - ]] && echo - || echo $((am / 1024)))" "$(ratio "$ow" "$aw")" "$(ratio "$om" "$am")"
}

echo "## How create's cost grows (create -t 2, first N samples, reference first)"
echo
if [[ -n $AGC ]]; then echo "- ragc: \`$RAGC\`; agc: \`$AGC\`"; else echo "- ragc: \`$RAGC\`; agc: not run (set AGC)"; fi
echo "- medians of $RUNS runs (large set: $RUNS_LARGE) of \`/usr/bin/time -f '%e %M'\`, ragc and agc interleaved; $(nproc) CPUs; $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "| set | N | input MB | ragc wall s | ragc peak MiB | agc wall s | agc peak MiB | wall ragc/agc | RSS ragc/agc |"
echo "|---|---|---|---|---|---|---|---|---|"
for n in $SENT_N; do
	echo "scaling.sh: senterica N=$n" >&2
	row senterica "$n" "$RUNS" "${sent_fa[@]}"
done
if ((${#large_fa[@]})); then
	for n in $LARGE_N; do
		echo "scaling.sh: large N=$n" >&2
		row large "$n" "$RUNS_LARGE" "${large_fa[@]}"
	done
fi
