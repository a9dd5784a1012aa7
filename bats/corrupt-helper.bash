#!/usr/bin/env bash
# Deterministic corruptions of AGC archives, for bats/corrupt.bats.
#
#   bash bats/corrupt-helper.bash plan ARCHIVE [NFLIPS] [SEED]
#       prints one corruption per line: "CLASS SPEC"
#   bash bats/corrupt-helper.bash make ARCHIVE SPEC OUT
#       writes the corrupted copy of ARCHIVE to OUT (use it to reproduce a failure)
#   RAGC=./ragc bash bats/corrupt-helper.bash check ARCHIVE [SAMPLE]
#       runs every corruption of the plan through $RAGC (what bats/corrupt.bats
#       does for each fixture); prints the bad cases, exits 1 if there are any
#
# CLASS  fail   the archive can no longer be opened: a reader must reject it
#        flip   one byte changed: the reader may reject it or decode it (AGC has
#               no checksums), but it must not crash or hang
# SPEC   trunc:N          keep the first N bytes only
#        trailer:HEX      replace the last 8 bytes by the u64 little-endian 0xHEX
#        xor:POS          invert all bits of the byte at offset POS
#        set00:POS        set the byte at offset POS to 0x00
#        setff:POS        set the byte at offset POS to 0xFF
#
# An AGC archive has no header: part payloads, then the directory, then the
# last 8 bytes = directory size (u64 LE).  The plan truncates at fixed points
# (0, 1, 7, 8 bytes, half, size-1, size-8, size-9, start and middle of the
# directory), damages the trailer (0, huge values, one past the file start)
# and changes NFLIPS (default 20) bytes at positions drawn by a seeded PRNG:
# about 30% in the directory (each position with xor, 00 and ff), two in the
# trailer, the rest in the payload (its first and last 64 bytes, where the
# collection parts usually sit, and evenly spread strata in between).
# The seed is derived from the archive's file name (plus SEED, default 1),
# so a plan is the same on every run and machine.
#
# Only bash and coreutils (od, dd, head, cksum, wc) are used.

ch_self=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/${BASH_SOURCE[0]##*/}

_ch_size() { local n; n=$(wc -c < "$1") || return 1; echo $((n)); }

# u64 LE directory size from the trailer; -1 when it does not fit in 62 bits.
_ch_dirsize() {
	local f=$1 size b i v=0
	size=$(_ch_size "$f")
	(( size >= 8 )) || { echo -1; return; }
	# shellcheck disable=SC2207
	b=($(od -An -v -tu1 -j $((size - 8)) -N8 "$f"))
	(( ${#b[@]} == 8 && b[7] == 0 && b[6] < 64 )) || { echo -1; return; }
	for (( i = 7; i >= 0; i-- )); do v=$(( (v << 8) | b[i] )); done
	echo "$v"
}

_ch_byte() { local b; b=$(od -An -v -tu1 -j "$2" -N1 "$1"); echo $((b)); }

# drand48-style LCG (a = 0x5DEECE66D, c = 11, m = 2^48) computed in pieces
# so that no intermediate overflows 63 bits.
_ch_rng_seed() { _ch_rs=$(( ($1 ^ 0x330E) & 0xFFFFFFFFFFFF )); }
_ch_rng31() {
	local a=0x5DEECE66D hi=$(( _ch_rs >> 24 )) lo=$(( _ch_rs & 0xFFFFFF ))
	_ch_rs=$(( ( (((hi * a) & 0xFFFFFF) << 24) + lo * a + 11 ) & 0xFFFFFFFFFFFF ))
	REPLY=$(( _ch_rs >> 17 ))
}
# REPLY = uniform-ish integer in [0, $1)
_ch_rand() {
	local r1
	_ch_rng31; r1=$REPLY
	_ch_rng31
	REPLY=$(( ((r1 << 31) | REPLY) % $1 ))
}

ch_plan() {
	local f=$1 nflips=${2:-20} seed=${3:-1}
	local size dsz dstart payload name h i k pos lo width ndir ntrl npay nedge kinds
	size=$(_ch_size "$f") || return 1
	dsz=$(_ch_dirsize "$f")
	dstart=$(( size - 8 - dsz ))
	if (( dsz < 1 || dstart < 1 )); then
		echo "corrupt-helper: $f: not an AGC archive (bad trailer)" >&2
		return 1
	fi
	payload=$dstart
	name=${f##*/}; name=${name%.agc}
	h=$(printf '%s' "$name" | cksum); h=${h%% *}
	_ch_rng_seed $(( h + 1000003 * seed ))

	# -- must be rejected -------------------------------------------------
	local -A seen=()
	for k in 0 1 7 8 $(( size / 2 )) $(( size - 1 )) $(( size - 8 )) $(( size - 9 )) \
	         "$dstart" $(( dstart + dsz / 2 )); do
		[[ -n ${seen[$k]:-} ]] && continue
		seen[$k]=1
		echo "fail trunc:$k"
	done
	printf 'fail trailer:%016x\n' 0 -1 $(( 1 << 63 )) $(( size - 7 )) $(( (1 << 32) + dsz ))

	# -- may decode, must not crash -----------------------------------------
	ntrl=2; ndir=$(( nflips * 3 / 10 )); (( ndir >= 1 )) || ndir=1
	npay=$(( nflips - ndir - ntrl )); (( npay >= 0 )) || npay=0
	nedge=$(( npay >= 8 ? 2 : 0 ))
	kinds=(xor set00 setff)
	# payload: nedge positions in the first 64 bytes, nedge in the last 64,
	# the rest one per stratum of the payload
	local w=$(( payload < 64 ? payload : 64 ))
	local -a ppos=()
	for (( i = 0; i < nedge; i++ )); do _ch_rand "$w"; ppos+=("$REPLY"); done
	for (( i = 0; i < nedge; i++ )); do _ch_rand "$w"; ppos+=($(( payload - w + REPLY ))); done
	local nstr=$(( npay - 2 * nedge ))
	for (( i = 0; i < nstr; i++ )); do
		lo=$(( payload * i / nstr )); width=$(( payload * (i + 1) / nstr - lo ))
		(( width >= 1 )) || width=1
		_ch_rand "$width"; ppos+=($(( lo + REPLY )))
	done
	local -a specs=()
	for (( i = 0; i < ${#ppos[@]}; i++ )); do
		_ch_flip_spec "$f" "${kinds[i % 3]}" "${ppos[i]}"; specs+=("$REPLY")
	done
	for (( i = 0; i < ndir; i++ )); do
		_ch_rand "$dsz"; pos=$(( dstart + REPLY ))
		for k in "${kinds[@]}"; do _ch_flip_spec "$f" "$k" "$pos"; specs+=("$REPLY"); done
	done
	for (( i = 0; i < ntrl; i++ )); do
		_ch_rand 8; specs+=("xor:$(( size - 8 + REPLY ))")
	done
	for k in "${specs[@]}"; do
		[[ -n ${seen[$k]:-} ]] && continue
		seen[$k]=1
		echo "flip $k"
	done
}

# REPLY = "KIND:POS", with a no-op (setting a byte to its own value) turned into xor
_ch_flip_spec() {
	local f=$1 kind=$2 pos=$3 b
	if [[ $kind != xor ]]; then
		b=$(_ch_byte "$f" "$pos")
		if [[ $kind == set00 && $b == 0 ]] || [[ $kind == setff && $b == 255 ]]; then kind=xor; fi
	fi
	REPLY="$kind:$pos"
}

_ch_put_byte() { # FILE POS VALUE
	printf %b "\\x$(printf %02x "$3")" | dd of="$1" bs=1 seek="$2" count=1 conv=notrunc 2>/dev/null
}

ch_make() {
	local f=$1 spec=$2 out=$3 arg size b i hex
	arg=${spec#*:}
	case $spec in
	trunc:*)
		head -c "$arg" "$f" > "$out" ;;
	trailer:*)
		size=$(_ch_size "$f") || return 1
		hex=$(printf '%16s' "$arg" | tr ' ' 0)
		head -c $(( size - 8 )) "$f" > "$out" || return 1
		for (( i = 7; i >= 0; i-- )); do
			printf %b "\\x${hex:2*i:2}"
		done >> "$out" ;;
	xor:* | set00:* | setff:*)
		cp "$f" "$out" && chmod u+w "$out" || return 1
		case $spec in
		xor:*)   b=$(( $(_ch_byte "$f" "$arg") ^ 255 )) ;;
		set00:*) b=0 ;;
		setff:*) b=255 ;;
		esac
		_ch_put_byte "$out" "$arg" "$b" ;;
	*)
		echo "corrupt-helper: unknown corruption '$spec'" >&2; return 2 ;;
	esac
}

# Run one ragc command on the corrupted copy and judge the result; a bad one
# is counted in nbad and (the first $show) described in report.
# Uses _ch_worker's class, spec, copy, errf, nbad, report and ch_check's arch.
_ch_run() {
	local rc=0 why="" t=${RAGC_CORRUPT_TIMEOUT:-20} err=""
	timeout -k 5 "$t" "$RAGC" "$@" </dev/null >/dev/null 2>"$errf" || rc=$?
	[[ -s $errf ]] && { IFS= read -r -d '' -n 65536 err < "$errf" || true; }
	if (( rc == 124 )); then
		why="timed out after $t s"
	elif (( rc > 128 )); then
		why="killed by signal $(( rc - 128 ))"
	elif (( rc > 123 )); then
		why="exit status $rc is not a clean failure (want 1..123)"
	elif [[ $err =~ AddressSanitizer|LeakSanitizer|MemorySanitizer|ThreadSanitizer|runtime\ error: ]]; then
		why="sanitizer report"
	elif [[ $class == fail ]] && (( rc == 0 )); then
		why="the corrupted archive was accepted (exit 0)"
	elif (( rc != 0 )) && [[ $'\n'$err != *$'\n'"ragc "* ]]; then
		why="no stderr line starting with 'ragc '"
	fi
	[[ -z $why ]] && return 0
	(( ++nbad <= show )) || return 0
	local a cmd=""
	for a; do
		[[ $a == "$copy" ]] && a=/tmp/ragc-corrupt.agc
		cmd+=" $(printf %q "$a")"
	done
	report+="
$class $spec: ragc$cmd -> exit $rc: $why
    stderr: $(printf '%s\n' "${err%$'\n'}" | head -n 4 | sed '2,$s/^/            /')
    reproduce: bash $ch_self make $arch $spec /tmp/ragc-corrupt.agc && $RAGC$cmd"
}

# _ch_worker W JOBS: run the plan's cases number W, W+JOBS, ... ; print
# "NBAD NCASES" on the first line, then the report (at most 10/JOBS cases).
# Uses ch_check's arch, first, size, plan, work, getset_max.
_ch_worker() {
	local w=$1 jobs=$2 copy=$work/corrupt.$1.agc errf=$work/stderr.$1 show=$(( (10 + $2 - 1) / $2 ))
	local class spec k=0 nbad=0 ncases=0 report=""
	while read -r class spec; do
		(( k++ % jobs == w )) || continue
		ch_make "$arch" "$spec" "$copy" || { echo "1 0"; echo "cannot make $spec"; return 1; }
		(( ++ncases ))
		_ch_run listset "$copy"
		_ch_run getcol "$copy"
		if [[ -n $first ]] && { [[ $class == fail ]] || (( size <= getset_max )); }; then
			_ch_run getset "$copy" "$first"
		fi
		rm -f "$copy"
	done <<< "$plan"
	echo "$nbad $ncases"
	[[ -z $report ]] || printf '%s\n' "${report#$'\n'}"
	(( nbad <= show )) || echo "... and $(( nbad - show )) more"
}

# ch_check ARCHIVE [SAMPLE]: run the plan's corruptions of ARCHIVE through
# $RAGC listset, getcol and (where cheap) getset SAMPLE, in RAGC_CORRUPT_JOBS
# (default 2) parallel workers; print the bad cases and return 1 if there are any.
ch_check() {
	local arch=$1 first=${2:-}
	[[ -f $arch ]] || { echo "fixture archive not found: $arch"; return 1; }
	[[ -x $RAGC ]] || { echo "binary under test not found: $RAGC (set RAGC)"; return 1; }
	local size plan work w n c jobs=${RAGC_CORRUPT_JOBS:-2} nbad=0 ncases=0
	local getset_max=${RAGC_CORRUPT_GETSET_MAX:-262144}
	size=$(_ch_size "$arch")
	plan=$(ch_plan "$arch" "${RAGC_CORRUPT_FLIPS:-20}" "${RAGC_CORRUPT_SEED:-1}") || return 1
	work=$(mktemp -d) || return 1
	for (( w = 0; w < jobs; w++ )); do
		_ch_worker "$w" "$jobs" > "$work/report.$w" &
	done
	wait
	for (( w = 0; w < jobs; w++ )); do
		read -r n c < "$work/report.$w"
		(( nbad += n, ncases += c )) || true
	done
	if (( nbad > 0 )); then
		echo "${arch##*/}: $nbad bad result(s) over $ncases corrupted copies:"
		for (( w = 0; w < jobs; w++ )); do tail -n +2 "$work/report.$w"; done
	fi
	rm -rf "$work"
	(( nbad == 0 ))
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	set -eu
	case ${1:-} in
	plan) shift; ch_plan "$@" ;;
	make) shift; (( $# == 3 )) || { echo "usage: $0 make ARCHIVE SPEC OUT" >&2; exit 2; }; ch_make "$@" ;;
	check) shift; RAGC=${RAGC:-$(dirname "$0")/../ragc}; ch_check "$@" ;;
	*) sed -n '2,11s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
fi
