#!/usr/bin/env bash
# Compression benchmark: `create -t 2` of ragc against the reference agc on the
# senterica-10 and sarscov2-418 data sets.  See bench/README.md.
#
#   bench/create.sh                    ragc only; agc figures from BASELINES.md
#   AGC=/path/to/agc bench/create.sh   both, interleaved, with ratios and a
#                                      getset check against agc's own archive
#
# Environment: RAGC (default: ./ragc of this repository), AGC, RUNS (timed runs
# per case, default 5), CASES (which cases, default "1 2 3 4", and 5 when
# LARGE is set), RAGC_SHARED (the shared/ folder, default ../shared), LARGE (a
# folder made by ../shared/bench/make-large.sh: ref.fa, hap01.fa ... hap09.fa),
# RUNS_LARGE (timed runs of case 5, default 3).  Cases: 1 senterica-10 FASTA,
# 2 senterica-10 .gz, 3 senterica-10 FASTA -k 21 -s 10000 -l 20,
# 4 sarscov2-418 .gz -s 5000, 5 the large set (10 chrX-sized haplotypes, FASTA).
#
# Prints a markdown table on stdout; exits 1 if ragc create failed or a getset
# output differs, 2 on a usage error, missing inputs or a failing agc.
set -euo pipefail
export LC_ALL=C # globs and sort in byte order: the "sorted order" of the inputs

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(dirname "$here")
RAGC=${RAGC:-$top/ragc}
AGC=${AGC:-}
RUNS=${RUNS:-5}
RUNS_LARGE=${RUNS_LARGE:-3}
LARGE=${LARGE:-}
if [[ -n $LARGE ]]; then CASES=${CASES:-1 2 3 4 5}; else CASES=${CASES:-1 2 3 4}; fi
SHARED=${RAGC_SHARED:-$top/../shared}
[[ -d $SHARED ]] && SHARED=$(cd "$SHARED" && pwd -P)
SENT=$SHARED/data/senterica-10
SENT_REF=SAL_AA7743AA
SARS=$SHARED/data/sarscov2-418
SARS_REF=Wuhan_Hu-1_2019
BASELINES=$SHARED/bench/BASELINES.md
TIME=/usr/bin/time

case ${1:-} in -h|--help) sed -n '2,19s/^# \{0,1\}//p' "$0"; exit 0 ;; esac

die() { echo "create.sh: $*" >&2; exit 2; }
[[ $# -eq 0 ]] || die "no arguments expected (see --help); got: $*"
[[ -x $RAGC ]] || die "ragc binary not found: $RAGC (build it with make, or set RAGC)"
[[ -z $AGC || -x $AGC ]] || die "AGC=$AGC is not an executable"
[[ -x $TIME ]] || die "$TIME not found: install GNU time (Debian/Ubuntu: apt-get install time)"
command -v gzip >/dev/null || die "gzip not found"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
[[ $RUNS_LARGE =~ ^[1-9][0-9]*$ ]] || die "RUNS_LARGE must be a positive integer"
read -r -a cases <<< "$CASES"
[[ ${#cases[@]} -gt 0 ]] || die "CASES is empty"
for c in "${cases[@]}"; do [[ $c =~ ^[1-5]$ ]] || die "CASES: unknown case '$c' (cases are 1 2 3 4 5)"; done
mapfile -t cases < <(printf '%s\n' "${cases[@]}" | sort -u)
want() { [[ " ${cases[*]} " == *" $1 "* ]]; }

# input lists: the reference first, then the others in sorted order
sent_gz=() sars_gz=()
if want 1 || want 2 || want 3; then
	[[ -f $SENT/$SENT_REF.fasta.gz ]] ||
		die "not found: $SENT/$SENT_REF.fasta.gz (set RAGC_SHARED to the shared/ folder)"
	sent_gz=("$SENT/$SENT_REF.fasta.gz")
	for f in "$SENT"/*.fasta.gz; do [[ $f == "${sent_gz[0]}" ]] || sent_gz+=("$f"); done
	[[ ${#sent_gz[@]} -eq 10 ]] || echo "create.sh: warning: ${#sent_gz[@]} senterica files, expected 10" >&2
fi
if want 4; then
	[[ -f $SARS/$SARS_REF.fa.gz ]] ||
		die "not found: $SARS/$SARS_REF.fa.gz (set RAGC_SHARED to the shared/ folder)"
	sars_gz=("$SARS/$SARS_REF.fa.gz")
	for f in "$SARS"/*.fa.gz; do [[ $f == "${sars_gz[0]}" ]] || sars_gz+=("$f"); done
	[[ ${#sars_gz[@]} -eq 418 ]] || echo "create.sh: warning: ${#sars_gz[@]} sarscov2 files, expected 418" >&2
fi

large_fa=()
if want 5; then
	[[ -n $LARGE && -f $LARGE/ref.fa ]] ||
		die "case 5 needs LARGE=DIR, a folder made by ../shared/bench/make-large.sh (ref.fa, hap01.fa ...)"
	large_fa=("$LARGE/ref.fa")
	for f in "$LARGE"/hap*.fa; do large_fa+=("$f"); done
	[[ ${#large_fa[@]} -eq 10 ]] || echo "create.sh: warning: ${#large_fa[@]} large-set files, expected 10" >&2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ragc-bench-create.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# senterica decompressed once, for the FASTA cases
sent_fa=()
if want 1 || want 3; then
	mkdir "$tmp/fa"
	for f in "${sent_gz[@]}"; do
		out=$tmp/fa/$(basename "${f%.gz}")
		gzip -dc "$f" > "$out" || die "cannot decompress $f"
		sent_fa+=("$out")
	done
fi

labels=("" "senterica-10 FASTA" "senterica-10 .gz" "senterica-10 FASTA -k 21 -s 10000 -l 20"
        "sarscov2-418 .gz -s 5000" "large set (10 x 71 Mbp) FASTA")
# inputs of case $1 (NUL-separated), and the create arguments after -o OUT
inputs_of() {
	case $1 in
	1|3) printf '%s\0' "${sent_fa[@]}" ;;
	2) printf '%s\0' "${sent_gz[@]}" ;;
	4) printf '%s\0' "${sars_gz[@]}" ;;
	5) printf '%s\0' "${large_fa[@]}" ;;
	esac
}
args_of() {
	printf '%s\0' -t 2
	case $1 in
	3) printf '%s\0' -k 21 -s 10000 -l 20 ;;
	4) printf '%s\0' -s 5000 ;;
	esac
	inputs_of "$1"
}
sample_of() { local b=${1##*/}; b=${b%.gz}; printf '%s\n' "${b%.*}"; }

# one create run under /usr/bin/time, archive written to $3; on success sets
# REPLY="wall rss bytes", on failure returns 1 (time's lines and stderr in $tmp/t, $tmp/err)
create_once() {
	local bin=$1 c=$2 out=$3 a
	mapfile -d '' a < <(args_of "$c")
	rm -f "$out"
	"$TIME" -f '%e %M' -o "$tmp/t" "$bin" create -o "$out" "${a[@]}" >/dev/null 2>"$tmp/err" || return 1
	if [[ ! -s $out ]]; then echo "(exit status 0, but no archive written)" >> "$tmp/err"; return 1; fi
	REPLY="$(tail -n 1 "$tmp/t") $(wc -c < "$out")"
}

failure_text() { # what to report of a failed run: exit status line from time, head of stderr
	grep -v '^[0-9.]* [0-9]*$' "$tmp/t" || true
	head -n 15 "$tmp/err"
}

# ours failed in case $1 ($2 says when): remember it, stop timing ours for that case
failed=()
ours_failed() {
	failed[$1]=$2
	{ echo "case $1 (${labels[$1]}), $2: $RAGC create -o OUT ..."; failure_text; } > "$tmp/fail.$1"
	echo "create.sh: ragc create failed in case $1 ($2); continuing" >&2
}

# FASTA as agc getset writes it: sequence upper-cased, lines of 80 characters
expected_fasta() {
	gzip -dcf "$1" | awk '
		function flush(  i, n) {
			n = length(buf)
			for (i = 1; i <= n; i += 80) print substr(buf, i, 80)
			buf = ""
		}
		{ sub(/\r$/, "") }
		/^>/ { flush(); print; next }
		{ buf = buf toupper($0) }
		END { flush() }'
}

# untimed first run of each binary (also the warm-up; its archive is kept for the check)
for c in "${cases[@]}"; do
	echo "create.sh: case $c (${labels[c]}): first run and getset check" >&2
	: > "$tmp/ragc.$c"; : > "$tmp/agc.$c"; : > "$tmp/bytes.ragc.$c"; : > "$tmp/bytes.agc.$c"
	if create_once "$RAGC" "$c" "$tmp/ragc.$c.agc"; then
		echo "${REPLY##* }" >> "$tmp/bytes.ragc.$c"
	else
		ours_failed "$c" "first run"
	fi
	if [[ -n $AGC ]]; then
		create_once "$AGC" "$c" "$tmp/agc.$c.agc" ||
			die "agc create failed in case $c: $AGC create ...; $(failure_text)"
		echo "${REPLY##* }" >> "$tmp/bytes.agc.$c"
	fi
done

# getset check: the reference sample and the last of the others
check=() same=()
status=0
for c in "${cases[@]}"; do
	if [[ -n ${failed[c]:-} ]]; then check[c]="n/a (create failed)"; same[c]="n/a"; status=1; continue; fi
	mapfile -d "" inp < <(inputs_of "$c")
	bad=()
	for f in "${inp[0]}" "${inp[-1]}"; do
		s=$(sample_of "$f")
		if ! "$RAGC" getset "$tmp/ragc.$c.agc" "$s" > "$tmp/ours" 2>"$tmp/err"; then
			bad+=("$s: getset failed: $(head -n 1 "$tmp/err")")
			continue
		fi
		if [[ -n $AGC ]]; then
			"$AGC" getset "$tmp/agc.$c.agc" "$s" > "$tmp/theirs" || die "agc getset failed: case $c, sample $s"
		else
			expected_fasta "$f" > "$tmp/theirs"
		fi
		cmp -s "$tmp/ours" "$tmp/theirs" || bad+=("$s")
	done
	if [[ ${#bad[@]} -eq 0 ]]; then
		check[c]=ok
	else
		check[c]="**DIFF** ($(IFS=';'; echo "${bad[*]}"))"
		status=1
	fi
	if [[ -n $AGC ]]; then
		if cmp -s "$tmp/ragc.$c.agc" "$tmp/agc.$c.agc"; then same[c]=yes; else same[c]=no; fi
	fi
	rm -f "$tmp/ragc.$c.agc" "$tmp/agc.$c.agc" "$tmp/ours" "$tmp/theirs"
done
rm -rf "$tmp/ours" "$tmp/theirs"

# timed runs, ragc and agc interleaved so that machine noise hits both alike
for (( r = 1; r <= RUNS; r++ )); do
	echo "create.sh: timed run $r/$RUNS" >&2
	for c in "${cases[@]}"; do
		[[ $c -eq 5 && $r -gt $RUNS_LARGE ]] && continue
		if [[ -z ${failed[c]:-} ]]; then
			if create_once "$RAGC" "$c" "$tmp/run.agc"; then
				echo "$REPLY" >> "$tmp/ragc.$c"
				echo "${REPLY##* }" >> "$tmp/bytes.ragc.$c"
			else
				ours_failed "$c" "timed run $r"
				status=1
			fi
		fi
		if [[ -n $AGC ]]; then
			create_once "$AGC" "$c" "$tmp/run.agc" ||
				die "agc create failed in case $c, run $r: $(failure_text)"
			echo "$REPLY" >> "$tmp/agc.$c"
			echo "${REPLY##* }" >> "$tmp/bytes.agc.$c"
		fi
	done
done
rm -f "$tmp/run.agc"

# median of column $2 of file $1, printed with format $3
median() {
	sort -g -k"$2","$2" "$1" | awk -v k="$2" -v f="$3" '{v[NR] = $k}
		END { printf f, (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'; }

# archive bytes of all the runs of tool $1 in case $2: the size, or a warning if it varies
warnings=()
bytes_of() {
	local f=$tmp/bytes.$1.$2 n
	n=$(sort -u "$f" | wc -l)
	if [[ $n -le 1 ]]; then
		REPLY=$(head -n 1 "$f")
	else
		REPLY="$(sort -n "$f" | head -n 1)-$(sort -n "$f" | tail -n 1)"
		warnings+=("$1 case $2 (${labels[$2]}): archive size differs between runs: $(tr '\n' ' ' < "$f")")
		echo "create.sh: warning: ${warnings[-1]}" >&2
	fi
}

# rows of BASELINES.md: "wall MiB bytes" of the row named $1
baseline() {
	[[ -f $BASELINES ]] || return 0
	awk -F'|' -v p="$1" '{ n = $2; gsub(/^ +| +$/, "", n) }
		n == p { for (i = 3; i <= 5; i++) gsub(/ /, "", $i); print $3, $4, $5; exit }' "$BASELINES"
}
base_agc=("" "agc create -t 2 senterica-10 (FASTA)" "agc create -t 2 senterica-10 (.gz)"
          "agc create -k 21 -s 10000 -l 20 -t 2 senterica-10 (FASTA)"
          "agc create -s 5000 -t 2 sarscov2-418 (.gz)" "")
base_rust=("" "ragc(rust) create -t 2 senterica-10 (FASTA)" ""
           "ragc(rust) create -k 21 -s 10000 -m 20 -t 2 senterica-10 (FASTA)" "" "")

echo "## Compression (create -t 2): ragc vs agc"
echo
echo "- ragc: \`$RAGC\`"
if [[ -n $AGC ]]; then
	echo "- agc: \`$AGC\` ($("$AGC" 2>&1 | head -n 1 || true))"
else
	echo "- agc: not run (set AGC=/path/to/agc); agc columns are the figures in \`${BASELINES#"$top/"}\`"
	echo "  (another run on the same machine kind: wall and RSS ratios only indicative);"
	echo "  the getset check compares with the input FASTA, upper-cased, in lines of 80"
fi
((${#sent_gz[@]})) && echo "- senterica-10: \`$SENT\`, ${#sent_gz[@]} files, $SENT_REF first (FASTA cases: decompressed once into a temp dir)"
((${#sars_gz[@]})) && echo "- sarscov2-418: \`$SARS\`, ${#sars_gz[@]} files, $SARS_REF first"
((${#large_fa[@]})) && echo "- large set: \`$LARGE\`, ${#large_fa[@]} files, ref.fa first (medians of $RUNS_LARGE runs)"
echo "- medians of $RUNS runs of \`/usr/bin/time -f '%e %M'\` after one untimed run; $(nproc) CPUs; $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- getset: \`getset OUT SAMPLE\` of the reference and of the last other sample of each case,"
[[ -n $AGC ]] && echo "  ragc on its archive against agc on its own archive; \"same archive\": ragc's archive byte-identical to agc's" \
              || echo "  ragc on its archive against the input FASTA"
echo
if [[ -n $AGC ]]; then
	echo "| case | ragc wall s | ragc peak KiB | ragc bytes | agc wall s | agc peak KiB | agc bytes | wall ragc/agc | RSS ragc/agc | bytes ragc/agc | getset | same archive |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
else
	echo "| case | ragc wall s | ragc peak KiB | ragc bytes | agc wall s (baseline) | agc peak KiB (baseline) | agc bytes (baseline) | wall ragc/agc | RSS ragc/agc | bytes ragc/agc | getset |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|"
fi
for c in "${cases[@]}"; do
	if [[ -s $tmp/ragc.$c && -z ${failed[c]:-} ]]; then
		ow=$(median "$tmp/ragc.$c" 1 %.2f); om=$(median "$tmp/ragc.$c" 2 %.0f)
		bytes_of ragc "$c"; ob=$REPLY
	else
		ow=FAILED om=- ob=-
	fi
	if [[ -n $AGC ]]; then
		aw=$(median "$tmp/agc.$c" 1 %.2f); am=$(median "$tmp/agc.$c" 2 %.0f)
		bytes_of agc "$c"; ab=$REPLY
		extra=" ${same[c]} |"
	else
		read -r aw amib ab < <(baseline "${base_agc[c]}"; echo) || true
		aw=${aw:-?} ab=${ab:-?}
		am=$(awk -v m="${amib:-}" 'BEGIN { if (m + 0 > 0) print m * 1024; else print "?" }')
		extra=
	fi
	echo "| ${labels[c]} | $ow | $om | $ob | $aw | $am | $ab | $(ratio "$ow" "$aw") | $(ratio "$om" "$am") | $(ratio "$ob" "$ab") | ${check[c]} |$extra"
done

if ((${#warnings[@]})); then
	echo
	for w in "${warnings[@]}"; do echo "- **warning**: $w"; done
fi

for c in "${cases[@]}"; do
	[[ -f $tmp/fail.$c ]] || continue
	echo
	echo "ragc create failed, case $c (${labels[c]}), ${failed[c]}; time's status and stderr head:"
	echo
	echo '```'
	tail -n +2 "$tmp/fail.$c"
	echo '```'
done

echo
echo "For context, the rows of \`${BASELINES#"$top/"}\` for these cases (another run on the same machine kind):"
echo
if [[ -f $BASELINES ]]; then
	echo "| BASELINES.md row | wall s | peak MiB | bytes |"
	echo "|---|---|---|---|"
	for c in "${cases[@]}"; do
		for row in "${base_agc[c]}" "${base_rust[c]}"; do
			[[ -n $row ]] || continue
			read -r bw bm bb < <(baseline "$row"; echo) || true
			[[ -n ${bw:-} ]] || { echo "| $row | (row not found) | | |"; continue; }
			echo "| $row | $bw | $bm | $bb |"
		done
	done
else
	echo "(not found: $BASELINES)"
fi
exit $status
