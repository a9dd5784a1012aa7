#!/usr/bin/env bash
# Scale-out benchmark (issue 16): the large set (10 chrX-sized haplotypes) as
# one base (ref.fa) + 3 shards of 3 haplotypes, built by workflows/Snakefile
# with `snakemake -j JOBS` and merged, against one `ragc create -t THREADS` of
# all 10.  See bench/README.md.
#
#   bench/scaleout.sh DIR       DIR: ref.fa, hap01.fa ... hap09.fa, as made by
#                               ../shared/bench/make-large.sh DIR
#
# Environment: RAGC (default: ./ragc of this repository), JOBS (snakemake -j,
# default 2), THREADS (ragc -t of every job and of the single create, default
# 2), TMPDIR (the archives: about 60 MB).  Each configuration runs once (a
# minute or two on 2 cores): figures of one run, not medians.
#
# Prints a markdown table on stdout: per job wall seconds and peak RSS
# (/usr/bin/time around each ragc call; Snakemake's benchmark: max_rss beside
# it), archive bytes, and the ratios workflow / single create.  Exits 1 if a
# command failed or the merged archive's content differs from the single
# create's, 2 on a usage error or missing inputs.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(dirname "$here")
RAGC=${RAGC:-$top/ragc}
JOBS=${JOBS:-2}
THREADS=${THREADS:-2}
TIME=/usr/bin/time

case ${1:-} in -h | --help) sed -n '2,19s/^# \{0,1\}//p' "$0"; exit 0 ;; esac

die() { echo "scaleout.sh: $*" >&2; exit 2; }
[[ $# -eq 1 ]] || die "usage: bench/scaleout.sh DIR (a folder made by ../shared/bench/make-large.sh DIR; see --help)"
DIR=$1
[[ -d $DIR ]] || die "no such folder: $DIR (make it with ../shared/bench/make-large.sh $DIR: about a minute, 720 MB)"
DIR=$(cd "$DIR" && pwd -P)
fasta=("$DIR/ref.fa")
for i in 01 02 03 04 05 06 07 08 09; do fasta+=("$DIR/hap$i.fa"); done
for f in "${fasta[@]}"; do
	[[ -f $f ]] || die "missing $f: DIR must hold ref.fa, hap01.fa ... hap09.fa (made by ../shared/bench/make-large.sh DIR)"
done
[[ -x $RAGC ]] || die "ragc binary not found: $RAGC (build it with make, or set RAGC)"
RAGC=$(realpath "$RAGC")
[[ -x $TIME ]] || die "$TIME not found: install GNU time (Debian/Ubuntu: apt-get install time)"
command -v snakemake >/dev/null || die "snakemake not found (Debian/Ubuntu: apt-get install snakemake)"
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "JOBS must be a positive integer"
[[ $THREADS =~ ^[1-9][0-9]*$ ]] || die "THREADS must be a positive integer"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ragc-bench-scaleout.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
mkdir "$tmp/time"

# the sample sheet: ref.fa the base, then 3 shards of 3 in file order
{
	printf 'sample\tfasta\n'
	for f in "${fasta[@]}"; do b=${f##*/}; printf '%s\t%s\n' "${b%.fa}" "$f"; done
} > "$tmp/samples.tsv"

# ragc as the workflow calls it, under /usr/bin/time: one file per job, named
# after the job's output (-o); the workflow itself is not changed
cat > "$tmp/ragc-timed" <<-EOF
	#!/bin/sh
	out= prev=
	for a in "\$@"; do [ "\$prev" = -o ] && out=\$a; prev=\$a; done
	exec $TIME -f '%e %M' -o "$tmp/time/\${out##*/}.time" "$RAGC" "\$@"
EOF
chmod +x "$tmp/ragc-timed"

echo "scaleout.sh: reading the inputs once (page cache)" >&2
cat "${fasta[@]}" > /dev/null

status=0
echo "scaleout.sh: single create -t $THREADS of all 10" >&2
if ! "$TIME" -f '%e %M' -o "$tmp/single.time" "$RAGC" create -o "$tmp/single.agc" -t "$THREADS" \
	"${fasta[@]}" 2> "$tmp/single.err"; then
	echo "scaleout.sh: single create failed:" >&2; head -n 15 "$tmp/single.err" >&2
	exit 1
fi

echo "scaleout.sh: snakemake -j $JOBS (1 base + 3 shards of 3, threads $THREADS per job)" >&2
# --notemp keeps the shards, for their sizes
if ! "$TIME" -f '%e %M' -o "$tmp/workflow.time" snakemake -j "$JOBS" --notemp \
	--snakefile "$top/workflows/Snakefile" --directory "$tmp" \
	--config samples="$tmp/samples.tsv" base=1 shards=3 threads="$THREADS" ragc="$tmp/ragc-timed" \
	output="$tmp/merged.agc" parts="$tmp/parts" > "$tmp/snakemake.log" 2>&1; then
	echo "scaleout.sh: the workflow failed; snakemake's log and the jobs' stderr:" >&2
	tail -n 30 "$tmp/snakemake.log" >&2
	head -n 15 "$tmp"/parts/logs/*.log >&2 || true
	exit 1
fi

echo "scaleout.sh: checking the merged archive against the single create (getcol, listset)" >&2
check=ok
merged_md5=$("$RAGC" getcol -t "$THREADS" "$tmp/merged.agc" | md5sum) || check="**getcol of the merged archive failed**"
single_md5=$("$RAGC" getcol -t "$THREADS" "$tmp/single.agc" | md5sum) || check="**getcol of the single archive failed**"
[[ $check != ok || $merged_md5 == "$single_md5" ]] || check="**DIFF** (getcol output)"
if [[ $check == ok ]] && ! cmp -s <("$RAGC" listset "$tmp/merged.agc") <("$RAGC" listset "$tmp/single.agc"); then
	check="**DIFF** (listset)"
fi
[[ $check == ok ]] || status=1

# per job: "wall KiB" from time, "s max_rss" (MB) from Snakemake's benchmark file
time_of() { tail -n 1 "$tmp/time/$1.time"; }
bench_of() { awk -F'\t' 'NR == 2 { printf "%.2f %s\n", $1, $3 }' "$tmp/parts/benchmarks/$1.tsv"; }
bytes_of() { wc -c < "$1" | tr -d ' '; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'; }

echo "## Scale-out: snakemake -j $JOBS (base + 3 shards + merge) vs one create -t $THREADS"
echo
echo "- ragc: \`$RAGC\`; $(snakemake --version | sed 's/^/snakemake /'); $(nproc) CPUs; $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- data: \`$DIR\`: ref.fa + hap01..hap09.fa (10 x ~71 Mbp); base = ref, shard i = hap(3i-2)..hap(3i)"
echo "- one run of each (no medians: a minute or two a run); inputs read once beforehand (page cache)"
echo "- wall and peak RSS: \`/usr/bin/time -f '%e %M'\` around each ragc call; \"bench max_rss\": Snakemake's"
echo "  \`benchmark:\` file (psutil samples every 0.5 s for 15 s, then every 30 s: may miss the peak)"
echo "- threads per job: $THREADS; with -j $JOBS and $THREADS threads a job, $((JOBS / THREADS > 0 ? JOBS / THREADS : 1)) job(s) at a time"
echo "- content: merged vs single, \`getcol\` md5 and \`listset\`: $check"
echo
echo "| job | samples | wall s | peak RSS KiB | bench s | bench max_rss MB | archive bytes |"
echo "|---|---|---|---|---|---|---|"
sum_wall=0 max_rss=0
row() { # job label samples timefile-key benchfile-key archive
	local w m bs br
	read -r w m < <(time_of "$3")
	read -r bs br < <(bench_of "$4")
	sum_wall=$(awk -v a="$sum_wall" -v b="$w" 'BEGIN { printf "%.2f", a + b }')
	((m > max_rss)) && max_rss=$m
	echo "| $1 | $2 | $w | $m | $bs | $br | $(bytes_of "$5") |"
}
row base ref base.agc base "$tmp/parts/base.agc"
row "shard 1" hap01-03 shard_1.agc shard_1 "$tmp/parts/shard_1.agc"
row "shard 2" hap04-06 shard_2.agc shard_2 "$tmp/parts/shard_2.agc"
row "shard 3" hap07-09 shard_3.agc shard_3 "$tmp/parts/shard_3.agc"
row merge "all 10" merged.agc merge "$tmp/merged.agc"
read -r wf_wall _ < "$tmp/workflow.time"
read -r s_wall s_rss < "$tmp/single.time"
m_bytes=$(bytes_of "$tmp/merged.agc") s_bytes=$(bytes_of "$tmp/single.agc")
echo "| **workflow** (snakemake -j $JOBS, start to end) | all 10 | $wf_wall | $max_rss (largest job) | | | $m_bytes (merged) |"
echo "| sum of the 5 jobs | | $sum_wall | | | | |"
echo "| **single** \`create -t $THREADS\` | all 10 | $s_wall | $s_rss | | | $s_bytes |"
echo "| workflow / single | | $(ratio "$wf_wall" "$s_wall") | $(ratio "$max_rss" "$s_rss") | | | $(ratio "$m_bytes" "$s_bytes") |"
exit $status
