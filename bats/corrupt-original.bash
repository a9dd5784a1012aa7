#!/usr/bin/env bash
# Damaged original forms, for bats/corrupt.bats: the `ragc-original` stream
# of an archive made from soft-masked FASTA files is truncated, emptied,
# dropped, given wrong metadata, its parts swapped and its bytes flipped
# (bats/agc-streams.py rewrite); every reader must then, under timeout,
#
#   getset, getctg, samtools faidx agc:...
#         print the case view (the original form applied) or the upper view
#         (agc's view; with a warning on stderr unless the sample simply has
#         no original form any more), or fail cleanly;
#   getset --original
#         print the input file's bytes, or fail cleanly;
#
# where failing cleanly is a non-zero exit below 124 with a stderr line
# "ragc CMD: ..." (samtools: any message), stdout holding no byte that is
# not a prefix of an allowed output.  Never a signal, a timeout, a
# sanitizer report, or bytes that are neither view.
#
#   RAGC=./ragc bash bats/corrupt-original.bash check FASTA1 FASTA2 [...]
#       prints the bad cases, exits 1 if there are any
#   bash bats/corrupt-original.bash specs ARCHIVE
#       the changes tried on ARCHIVE (one a line, agc-streams.py rewrite SPECs)
#
# Environment: RAGC (the binary), RAGC_PLUGIN_DIR (folder of hfile_agc.so,
# default the folder of $RAGC; without the plugin the samtools reader is
# left out, which the report says), RAGC_CORRUPT_TIMEOUT (seconds, default 20).

co_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
co_streams=$co_dir/agc-streams.py
# shellcheck source=bats/fasta-views.bash
source "$co_dir/fasta-views.bash"

# co_specs ARCHIVE: every change of the ragc-original stream to try.
co_specs() {
	local arc=$1 name i off start size p
	echo drop
	echo swap:0:1
	while read -r name i off start size; do
		echo "empty:$i"
		for p in 1 $((size / 2)) $((size - 1)); do
			((p > 0 && p < size)) && echo "size:$i:$p"
		done
		local meta
		meta=$(python3 -c 'import sys; b=open(sys.argv[1],"rb").read(); o=int(sys.argv[2]); n=b[o]; print(int.from_bytes(b[o+1:o+1+n],"big"))' "$arc" "$off")
		echo "meta:$i:0"
		echo "meta:$i:$((meta + 1))"
		((meta > 0)) && echo "meta:$i:$((meta - 1))"
		echo "meta:$i:1099511627776"
		# the frame header, a spread of the middle, the last bytes
		for p in 0 1 2 3 4 5 6 7 $((size / 4)) $((size / 3)) $((size / 2)) $((2 * size / 3)) \
			$((3 * size / 4)) $((size - 4)) $((size - 3)) $((size - 2)) $((size - 1)); do
			((p >= 0 && p < size)) && echo "xor:$i:$p"
		done
		for p in 4 $((size / 2)) $((size - 1)); do
			((p >= 0 && p < size)) && echo "set00:$i:$p" && echo "setff:$i:$p"
		done
	done < <(python3 "$co_streams" parts "$arc" ragc-original) | awk '!seen[$0]++'
}

# co_judge WHAT RC OUT ERR CLEAN ALLOWED...: one reader's result; appends to
# co_report and counts co_bad when it is not acceptable.  CLEAN: the stderr
# line a failure must have ("" = any non-empty stderr).  ALLOWED: files with
# the acceptable outputs; an output equal to the one named in co_warn_for
# needs a warning (non-empty stderr) unless co_no_warn is set.
co_judge() {
	local what=$1 rc=$2 out=$3 err=$4 clean=$5
	shift 5
	local why="" a
	if ((rc == 124 || rc == 137)); then
		why="timed out"
	elif ((rc > 123)); then
		why="exit $rc (a signal?)"
	elif grep -q -E 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' "$err"; then
		why="sanitizer report"
	elif ((rc == 0)); then
		why="printed bytes that are none of the allowed views"
		for a in "$@"; do
			if cmp -s "$a" "$out"; then
				why=""
				if [[ $a == "${co_warn_for:-}" && -z ${co_no_warn:-} && ! -s $err ]]; then
					why="printed agc's view without a warning on stderr"
				fi
				break
			fi
		done
	else
		if [[ -n $clean ]] && ! grep -q -- "^$clean" "$err"; then
			why="failed (exit $rc) without a stderr line starting '$clean'"
		elif [[ ! -s $err ]]; then
			why="failed (exit $rc) without a message"
		elif [[ -s $out ]]; then
			why="failed after printing bytes that start none of the allowed outputs"
			local n
			n=$(stat -c %s "$out")
			for a in "$@"; do
				if cmp -s -n "$n" "$a" "$out" && (($(stat -c %s "$a") >= n)); then
					why=""
					break
				fi
			done
		fi
	fi
	[[ -z $why ]] && return 0
	((++co_bad <= 12)) || return 0
	co_report+="
$co_spec: $what -> exit $rc: $why
    stderr: $(head -n 3 "$err" | cut -c1-200 | sed '2,$s/^/            /')"
}

# co_run WHAT CLEAN ALLOWED... -- CMD ARGS: run CMD under timeout, judge it.
co_run() {
	local what=$1 clean=$2
	shift 2
	local allowed=()
	while [[ $1 != -- ]]; do
		allowed+=("$1")
		shift
	done
	shift
	local rc=0
	timeout -k 5 "${RAGC_CORRUPT_TIMEOUT:-20}" "$@" </dev/null >"$co_work/out" 2>"$co_work/err" || rc=$?
	co_judge "$what" "$rc" "$co_work/out" "$co_work/err" "$clean" "${allowed[@]}"
}

# co_check FASTA...: see the top.
co_check() {
	[[ -x $RAGC ]] || { echo "binary under test not found: $RAGC (set RAGC)"; return 1; }
	local plugin_dir=${RAGC_PLUGIN_DIR:-$(dirname "$RAGC")} have_plugin=1
	[[ -f $plugin_dir/hfile_agc.so ]] && command -v samtools >/dev/null || have_plugin=0
	co_work=$(mktemp -d) || return 1
	local f i=0 s name len names=() files=()
	for f in "$@"; do
		s=${f##*/}
		s=${s%.fa}
		s=${s%.fasta}
		names+=("$s")
		files+=("$f")
		# the views: whole sample and one range of its first record
		cp "$f" "$co_work/orig.$i"
		fasta_view case 80 "$f" >"$co_work/case.$i"
		fasta_view upper 80 "$f" >"$co_work/upper.$i"
		name=$(head -n 1 "$co_work/case.$i" | cut -c2-)
		co_ctg[i]=${name%% *}
		fasta_view case 1000000000 "$f" | sed -n 2p | cut -c11-60 >"$co_work/cseq.$i"
		fasta_view upper 1000000000 "$f" | sed -n 2p | cut -c11-60 >"$co_work/useq.$i"
		len=$(wc -c <"$co_work/cseq.$i")
		((len == 51)) || { echo "test bug: the first record of $f is shorter than 60 bases"; return 1; }
		{ printf '>%s:10-59\n' "$name"; cat "$co_work/cseq.$i"; } >"$co_work/cctg.$i"
		{ printf '>%s:10-59\n' "$name"; cat "$co_work/useq.$i"; } >"$co_work/uctg.$i"
		{ printf '>%s:11-60\n' "${co_ctg[i]}"; cat "$co_work/cseq.$i"; } >"$co_work/cfx.$i"
		{ printf '>%s:11-60\n' "${co_ctg[i]}"; cat "$co_work/useq.$i"; } >"$co_work/ufx.$i"
		i=$((i + 1))
	done
	local arc=$co_work/x.agc copy=$co_work/c.agc
	if ! "$RAGC" create -t 1 -o "$arc" "${files[@]}" 2>"$co_work/err"; then
		echo "cannot create the archive: $(head -n 3 "$co_work/err")"
		return 1
	fi
	co_bad=0
	co_report=""
	local n=0 spec part
	while read -r co_spec; do
		python3 "$co_streams" rewrite "$arc" ragc-original "$co_spec" "$copy" || { echo "cannot make $co_spec"; return 1; }
		n=$((n + 1))
		for ((i = 0; i < ${#names[@]}; i++)); do
			s=${names[i]}
			# agc's view needs no warning when the sample has no original form left
			co_no_warn=
			part=${co_spec#*:}
			part=${part%%:*}
			[[ $co_spec == drop || ($co_spec == empty:* && $part == "$i") ]] && co_no_warn=1
			co_warn_for=$co_work/upper.$i
			co_run "getset $s" "ragc getset: " "$co_work/case.$i" "$co_work/upper.$i" -- "$RAGC" getset "$copy" "$s"
			co_warn_for=
			co_run "getset --original $s" "ragc getset: " "$co_work/orig.$i" -- "$RAGC" getset --original "$copy" "$s"
			co_warn_for=$co_work/uctg.$i
			co_run "getctg ${co_ctg[i]}@$s:10-59" "ragc getctg: " "$co_work/cctg.$i" "$co_work/uctg.$i" -- \
				"$RAGC" getctg -l 1000 "$copy" "${co_ctg[i]}@$s:10-59"
			if ((have_plugin)); then
				co_warn_for=$co_work/ufx.$i
				co_run "samtools faidx agc:$s@... ${co_ctg[i]}:11-60" "" "$co_work/cfx.$i" "$co_work/ufx.$i" -- \
					env HTS_PATH="$plugin_dir:" samtools faidx -n 1000 "agc:$s@$copy" "${co_ctg[i]}:11-60"
			fi
		done
	done < <(co_specs "$arc")
	((have_plugin)) || echo "# note: the plugin or samtools is missing: samtools faidx agc:... not checked"
	if ((co_bad > 0)); then
		echo "$co_bad bad result(s) over $n damaged copies of the ragc-original stream of ${files[*]##*/}:$co_report"
		((co_bad <= 12)) || echo "... and $((co_bad - 12)) more"
		echo "reproduce: RAGC=$RAGC bash $co_dir/corrupt-original.bash check ${files[*]}"
	fi
	rm -rf "$co_work"
	((co_bad == 0))
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	set -u
	case ${1:-} in
	check) shift; RAGC=${RAGC:-$co_dir/../ragc}; co_check "$@" ;;
	specs) shift; co_specs "$1" ;;
	*) sed -n '2,24s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
fi
