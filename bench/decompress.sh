#!/usr/bin/env bash
# Decompression benchmark: ragc against the reference agc on the senterica
# fixture (10 Salmonella assemblies, 48.9 MB of FASTA).  See bench/README.md.
#
#   bench/decompress.sh                    ragc only; agc figures from BASELINES.md
#   AGC=/path/to/agc bench/decompress.sh   both, interleaved, with ratios and an
#                                          output identity check
#
# Environment: RAGC (default: ./ragc of this repository), AGC, RUNS (timed runs
# per case, default 5), LOOPS (getctg calls averaged for the millisecond
# figure, default 100), RAGC_SHARED (the shared/ folder, default ../shared),
# ARCHIVE (default $RAGC_SHARED/compat/archives/senterica.agc), LARGE (an
# archive of the large set, made with ../shared/bench/make-large.sh and ragc
# create; optional), SLOW_RUNS (runs of each slow-pipe case, default 3).
#
# Slow pipe: getset -t 2 of every sample into a reader that takes 64 KiB
# every 0.3 ms (python3), peak RSS and wall time; ragc at its default -m.
#
# Prints a markdown table on stdout; exits 1 if an output differs from agc's
# (or, without AGC, from the md5 that agc 3.2.2 printed for the fixture).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(dirname "$here")
RAGC=${RAGC:-$top/ragc}
AGC=${AGC:-}
RUNS=${RUNS:-5}
LOOPS=${LOOPS:-100}
SHARED=${RAGC_SHARED:-$top/../shared}
[[ -d $SHARED ]] && SHARED=$(cd "$SHARED" && pwd -P)
ARCHIVE=${ARCHIVE:-$SHARED/compat/archives/senterica.agc}
SAMPLE=SAL_AA7743AA
RANGE='NODE_11_length_149361_cov_9.71634_ID_21@SAL_AA7743AA:100000-100999'
BASELINES=$SHARED/bench/BASELINES.md
EXPECTED=$SHARED/compat/expected/senterica/outputs.tsv
TIME=/usr/bin/time

case ${1:-} in -h|--help) sed -n '2,16s/^# \{0,1\}//p' "$0"; exit 0 ;; esac

die() { echo "decompress.sh: $*" >&2; exit 2; }
[[ -x $RAGC ]] || die "ragc binary not found: $RAGC (build it with make, or set RAGC)"
[[ -z $AGC || -x $AGC ]] || die "AGC=$AGC is not an executable"
[[ -f $ARCHIVE ]] || die "archive not found: $ARCHIVE (set RAGC_SHARED to the shared/ folder)"
[[ -x $TIME ]] || die "$TIME not found: install GNU time (Debian/Ubuntu: apt-get install time)"
[[ $RUNS =~ ^[1-9][0-9]*$ && $LOOPS =~ ^[1-9][0-9]*$ ]] || die "RUNS and LOOPS must be positive integers"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the three cases: labels, and args_of CASE prints the arguments NUL-separated
labels=("getcol -t 2" "getset 1 sample" "getctg 1 kb range")
args_of() {
	case $1 in
	0) printf '%s\0' getcol -t 2 "$ARCHIVE" ;;
	1) printf '%s\0' getset "$ARCHIVE" "$SAMPLE" ;;
	2) printf '%s\0' getctg "$ARCHIVE" "$RANGE" ;;
	esac
}
# the outputs.tsv line (command column) of the same call, for the md5 check
expected_key=("getcol {A}" "getset {A} $SAMPLE" "")

# one timed run: appends "wall rss" to $tmp/<tool>.<case>
timed() {
	local tool=$1 bin=$2 c=$3 a
	mapfile -d '' a < <(args_of "$c")
	if ! "$TIME" -f '%e %M' -o "$tmp/t" "$bin" "${a[@]}" >/dev/null 2>"$tmp/err"; then
		echo "decompress.sh: failed: $bin ${a[*]}" >&2
		cat "$tmp/t" "$tmp/err" >&2
		exit 2
	fi
	tail -n 1 "$tmp/t" >> "$tmp/$tool.$c"
}

# median of column $2 of file $1, printed with format $3
median() {
	sort -g -k"$2","$2" "$1" | awk -v k="$2" -v f="$3" '{v[NR] = $k}
		END { printf f, (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# microseconds since the epoch, without a fork where bash has EPOCHREALTIME
now_us() {
	if [[ -n ${EPOCHREALTIME:-} ]]; then REPLY=${EPOCHREALTIME//[!0-9]/}
	else REPLY=$(( $(date +%s%N) / 1000 )); fi
}

# mean milliseconds of one getctg call over LOOPS calls of each binary given
# (calls alternate between the binaries); sets loop_ms[i] for binary i
loop_ms=()
time_loop() {
	local bins=("$@") i j t0 a tot=()
	mapfile -d '' a < <(args_of 2)
	for (( i = 0; i < LOOPS; i++ )); do
		for j in "${!bins[@]}"; do
			now_us; t0=$REPLY
			"${bins[j]}" "${a[@]}" >/dev/null
			now_us; tot[j]=$(( ${tot[j]:-0} + REPLY - t0 ))
		done
	done
	for j in "${!bins[@]}"; do
		loop_ms[j]=$(awk -v d="${tot[j]}" -v n="$LOOPS" 'BEGIN { printf "%.2f", d / n / 1e3 }')
	done
}

SLOW_RUNS=${SLOW_RUNS:-3}
[[ -z ${LARGE:-} || -f $LARGE ]] || die "LARGE=$LARGE is not a file"
command -v python3 >/dev/null || die "python3 is needed (the slow reader)"

# slow_run BIN ARCHIVE: one getset -t 2 of every sample into the slow reader;
# appends "wall rss" to $tmp/slow.<tool> and the output's md5 to $tmp/md5.<tool>
slow_run() {
	local bin=$1 arc=$2 tool=$3 s
	mapfile -t s < <("$RAGC" listset "$arc")
	"$TIME" -f '%e %M' -o "$tmp/t" "$bin" getset -t 2 "$arc" "${s[@]}" 2>"$tmp/err" |
		python3 -c '
import hashlib, os, sys, time
h = hashlib.md5()
while True:
    b = os.read(0, 65536)
    if not b:
        break
    h.update(b)
    time.sleep(0.0003)
print(h.hexdigest())' >> "$tmp/md5.$tool" || die "slow pipe failed: $bin getset -t 2 $arc"
	tail -n 1 "$tmp/t" >> "$tmp/slow.$tool"
}

# slow_row ARCHIVE: the slow-pipe table row of one archive
slow_row() {
	local arc=$1 r ow om aw="n/a" am="n/a" out
	rm -f "$tmp"/slow.* "$tmp"/md5.*
	for (( r = 0; r < SLOW_RUNS; r++ )); do
		slow_run "$RAGC" "$arc" ragc
		[[ -z $AGC ]] || slow_run "$AGC" "$arc" agc
	done
	ow=$(median "$tmp/slow.ragc" 1 %.2f); om=$(median "$tmp/slow.ragc" 2 %.0f)
	out="$(sort -u "$tmp/md5.ragc" | wc -l) distinct md5 over the runs"
	if [[ -n $AGC ]]; then
		aw=$(median "$tmp/slow.agc" 1 %.2f); am=$(median "$tmp/slow.agc" 2 %.0f)
		if [[ $(sort -u "$tmp/md5.ragc" "$tmp/md5.agc" | wc -l) == 1 ]]; then
			out="identical to agc"
		else
			out="**DIFFERS from agc**"; status=1
		fi
	fi
	echo "| $(basename "$arc") | $ow | $om | $aw | $am | $(ratio "$om" "$am") | $out |"
}

# output check (also the warm-up run of each binary)
status=0
check=()
for c in 0 1 2; do
	mapfile -d '' a < <(args_of "$c")
	"$RAGC" "${a[@]}" > "$tmp/ours" || die "ragc failed: $RAGC ${a[*]}"
	if [[ -n $AGC ]]; then
		"$AGC" "${a[@]}" > "$tmp/theirs" || die "agc failed: $AGC ${a[*]}"
		if cmp -s "$tmp/ours" "$tmp/theirs"; then
			check[c]="identical to agc ($(wc -c < "$tmp/ours") B)"
		else
			check[c]="**DIFFERS from agc**: $(cmp "$tmp/ours" "$tmp/theirs" 2>&1 | head -n 1)"
			status=1
		fi
	elif [[ -n ${expected_key[c]} && -f $EXPECTED ]]; then
		want=$(awk -F'\t' -v k="${expected_key[c]}" '$1 == k {print $4}' "$EXPECTED")
		got=$(md5sum < "$tmp/ours"); got=${got%% *}
		if [[ -z $want ]]; then
			check[c]="not checked"
		elif [[ $got == "$want" ]]; then
			check[c]="md5 = agc 3.2.2's (compat/expected)"
		else
			check[c]="**md5 differs from agc 3.2.2's** ($got, want $want)"
			status=1
		fi
	else
		check[c]="not checked (set AGC)"
	fi
done
rm -f "$tmp/ours" "$tmp/theirs"

# timed runs, ragc and agc interleaved so that machine noise hits both alike
for (( r = 0; r < RUNS; r++ )); do
	for c in 0 1 2; do
		timed ragc "$RAGC" "$c"
		[[ -z $AGC ]] || timed agc "$AGC" "$c"
	done
done
time_loop "$RAGC" ${AGC:+"$AGC"}

# agc figures from BASELINES.md (wall s, peak MiB) when no agc binary is given
baseline() { # row prefix -> "wall MiB"
	[[ -f $BASELINES ]] || { echo "? ?"; return; }
	awk -F'|' -v p="$1" 'index($2, p) == 2 { gsub(/ /, "", $3); gsub(/ /, "", $4); print $3, $4; exit }' "$BASELINES"
}
base_rows=("agc getcol -t 2 senterica-10 archive" "agc getset senterica-10 archive, 1 sample"
           "agc getctg 1 kb range, senterica-10 archive")

echo "## Decompression: ragc vs agc"
echo
echo "- archive: \`$ARCHIVE\` ($(wc -c < "$ARCHIVE") bytes)"
echo "- ragc: \`$RAGC\`"
if [[ -n $AGC ]]; then
	echo "- agc: \`$AGC\`"
else
	echo "- agc: not run (set AGC=/path/to/agc); agc columns are the figures in \`${BASELINES#"$top/"}\`"
	echo "  (another run of the same machine kind: ratios only indicative; its getset row is SAL_HA8462AA)"
fi
echo "- medians of $RUNS runs of \`/usr/bin/time -f '%e %M'\`; $(nproc) CPUs; $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- getset sample: $SAMPLE; getctg range: \`$RANGE\`"
echo
if [[ -n $AGC ]]; then
	echo "| case | ragc wall s | ragc peak KiB | agc wall s | agc peak KiB | wall ragc/agc | RSS ragc/agc | output |"
else
	echo "| case | ragc wall s | ragc peak KiB | agc wall s (baseline) | agc peak KiB (baseline) | wall ragc/agc | RSS ragc/agc | output |"
fi
echo "|---|---|---|---|---|---|---|---|"
for c in 0 1 2; do
	ow=$(median "$tmp/ragc.$c" 1 %.2f); om=$(median "$tmp/ragc.$c" 2 %.0f)
	if [[ -n $AGC ]]; then
		aw=$(median "$tmp/agc.$c" 1 %.2f); am=$(median "$tmp/agc.$c" 2 %.0f)
	else
		read -r aw amib < <(baseline "${base_rows[c]}")
		am=$(awk -v m="$amib" 'BEGIN { if (m + 0 > 0) print m * 1024; else print "?" }')
	fi
	echo "| ${labels[c]} | $ow | $om | $aw | $am | $(ratio "$ow" "$aw") | $(ratio "$om" "$am") | ${check[c]} |"
done
echo
echo "| getset -t 2, all samples, into a slow reader (median of $SLOW_RUNS) | ragc wall s | ragc peak KiB | agc wall s | agc peak KiB | RSS ragc/agc | output |"
echo "|---|---|---|---|---|---|---|"
for arc in "$ARCHIVE" ${LARGE:+"$LARGE"}; do
	slow_row "$arc"
done
echo
echo "| getctg 1 kb range, mean of $LOOPS calls (interleaved) | ragc ms | agc ms | ragc/agc |"
echo "|---|---|---|---|"
if [[ -n $AGC ]]; then
	echo "| wall time per call | ${loop_ms[0]} | ${loop_ms[1]} | $(ratio "${loop_ms[0]}" "${loop_ms[1]}") |"
else
	echo "| wall time per call | ${loop_ms[0]} | (set AGC) | n/a |"
fi
exit $status
