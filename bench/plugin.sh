#!/usr/bin/env bash
# The agc: htslib plugin (hfile_agc.so) against bgzip-compressed and plain FASTA,
# with samtools.  See bench/README.md.
#
#   bench/plugin.sh            region latency (senterica, and a sarscov2-418
#                              archive built in a temp dir) and sequential
#                              readers (mpileup -f, CRAM decode -T)
#
# Environment: RUNS (timed runs per case, default 5), SEED (random regions and
# reads, default 11), NREG (regions, default 100), REGLEN (default 1000), READS
# (simulated reads, default 20000), RAGC (default: ./ragc of this repository),
# PLUGIN_DIR (the directory of hfile_agc.so, default: this repository),
# SAMTOOLS, BGZIP (default: from PATH), RAGC_SHARED (the shared/ folder,
# default ../shared), TMPDIR.
#
# Prints markdown tables on stdout; exits 1 if an agc: output differs from the
# FASTA's, 2 on a usage error, missing inputs or a failing command.
set -euo pipefail
export LC_ALL=C # sorted order of the sarscov2 inputs, awk number formats

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(dirname "$here")
RAGC=${RAGC:-$top/ragc}
PLUGIN_DIR=${PLUGIN_DIR:-$top}
SAMTOOLS=${SAMTOOLS:-samtools}
BGZIP=${BGZIP:-bgzip}
RUNS=${RUNS:-5}
SEED=${SEED:-11}
NREG=${NREG:-100}
REGLEN=${REGLEN:-1000}
READS=${READS:-20000}
READLEN=150
MISMATCHES=2 # per simulated read
SHARED=${RAGC_SHARED:-$top/../shared}
[[ -d $SHARED ]] && SHARED=$(cd "$SHARED" && pwd -P)
SENT=$SHARED/compat/archives/senterica.agc
SENT_SAMPLE=SAL_AA7743AA
SARS=$SHARED/data/sarscov2-418
SARS_REF=Wuhan_Hu-1_2019
TIME=/usr/bin/time

case ${1:-} in -h|--help) sed -n '2,17s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
[[ $# -eq 0 ]] || { echo "plugin.sh: no arguments expected (see --help)" >&2; exit 2; }

die() { echo "plugin.sh: $*" >&2; exit 2; }
for v in RUNS NREG REGLEN READS; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer"
done
[[ $SEED =~ ^[0-9]+$ ]] || die "SEED must be a non-negative integer"
command -v "$SAMTOOLS" >/dev/null || die "samtools not found (apt-get install samtools, or set SAMTOOLS)"
command -v "$BGZIP" >/dev/null || die "bgzip not found (apt-get install tabix, or set BGZIP)"
[[ -x $TIME ]] || die "$TIME not found: install GNU time (Debian/Ubuntu: apt-get install time)"
[[ -x $RAGC ]] || die "ragc binary not found: $RAGC (build it with make, or set RAGC)"
[[ -f $PLUGIN_DIR/hfile_agc.so ]] || die "no hfile_agc.so in $PLUGIN_DIR (build it with make, or set PLUGIN_DIR)"
[[ -f $SENT ]] || die "archive not found: $SENT (set RAGC_SHARED to the shared/ folder)"
[[ -f $SARS/$SARS_REF.fa.gz ]] || die "not found: $SARS/$SARS_REF.fa.gz (set RAGC_SHARED to the shared/ folder)"
RAGC=$(cd "$(dirname "$RAGC")" && pwd -P)/$(basename "$RAGC")
PLUGIN_DIR=$(cd "$PLUGIN_DIR" && pwd -P)
SAMTOOLS=$(command -v "$SAMTOOLS")
BGZIP=$(command -v "$BGZIP")
[[ $PLUGIN_DIR != *:* ]] || die "PLUGIN_DIR must not contain ':' (HTS_PATH is colon-separated)"
HP_ALL=$PLUGIN_DIR: # the plugin and htslib's own plugins (the documented setting)
HP_OWN=$PLUGIN_DIR  # the plugin only

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ragc-bench-plugin.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
# htslib looks for remote index files in the current directory: work in the empty temp dir
cd "$tmp"
# CRAM: never fetch references from the EBI by MD5, only use -T
export REF_PATH=$tmp/no-ref-path/%s REF_CACHE=$tmp/no-ref-cache/%s

# microseconds since the epoch, without a fork where bash has EPOCHREALTIME
now_us() {
	if [[ -n ${EPOCHREALTIME:-} ]]; then REPLY=${EPOCHREALTIME//[!0-9]/}
	else REPLY=$(( $(date +%s%N) / 1000 )); fi
}

# median of column $2 of file $1, printed with format $3
median() {
	sort -g -k"$2","$2" "$1" | awk -v k="$2" -v f="$3" '{v[NR] = $k}
		END { printf f, (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
within2() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= 2 * b) }'; }
ms() { awk -v a="$1" -v d="${2:-1}" 'BEGIN { printf "%.2f", a / d }'; }

# sample names in agc: URLs: % # @ ? percent-escaped
esc() { local s=${1//%/%25}; s=${s//#/%23}; s=${s//@/%40}; printf '%s' "${s//\?/%3F}"; }

fail() { # command description, stderr file
	echo "plugin.sh: failed: $1" >&2
	[[ -f ${2:-} ]] && head -n 20 "$2" >&2
	exit 2
}

status=0
mismatch() { echo "plugin.sh: OUTPUT DIFFERS: $*" >&2; echo "$*" >> "$tmp/mismatches"; status=1; }

# --- inputs ---------------------------------------------------------------

echo "plugin.sh: building the sarscov2-418 archive and the FASTA files in $tmp" >&2
sars_gz=("$SARS/$SARS_REF.fa.gz")
for f in "$SARS"/*.fa.gz; do [[ $f == "${sars_gz[0]}" ]] || sars_gz+=("$f"); done
[[ ${#sars_gz[@]} -ge 100 ]] || die "only ${#sars_gz[@]} .fa.gz files in $SARS (need at least 100)"
"$RAGC" create -t 2 -s 5000 -o sars.agc "${sars_gz[@]}" 2>create.err || fail "ragc create sars.agc" create.err
nsars=$("$RAGC" listset sars.agc | wc -l)
SARS_SAMPLE=$("$RAGC" listset sars.agc | tail -n 1)
[[ $SARS_SAMPLE != "$("$RAGC" listref sars.agc)" ]] || die "last sample of sars.agc is its reference"

# set k: archive, sample, file stem
arch=("$SENT" "$tmp/sars.agc")
samp=("$SENT_SAMPLE" "$SARS_SAMPLE")
stem=(sent sars)
label=("senterica $SENT_SAMPLE (ref.)" "sarscov2-418 $SARS_SAMPLE")
url=()
for k in 0 1; do
	url[k]="agc:$(esc "${samp[k]}")@${arch[k]}"
	s=${stem[k]}
	"$RAGC" getset -l 60 "${arch[k]}" "${samp[k]}" > "$s.fa" 2>err || fail "ragc getset ${arch[k]} ${samp[k]}" err
	"$BGZIP" -c "$s.fa" > "$s.fa.gz" || fail "bgzip $s.fa"
	"$SAMTOOLS" faidx "$s.fa" 2>err || fail "samtools faidx $s.fa" err
	"$SAMTOOLS" faidx "$s.fa.gz" 2>err || fail "samtools faidx $s.fa.gz" err
	# NREG regions of REGLEN bases: start drawn uniformly over the positions where a
	# region fits inside its contig (contig lengths from the .fai samtools wrote)
	awk -F'\t' -v seed="$SEED" -v n="$NREG" -v len="$REGLEN" '
		$2 >= len { name[++m] = $1; cum[m] = tot += $2 - len + 1 }
		END {
			if (m == 0) exit 1
			srand(seed)
			for (i = 0; i < n; i++) {
				x = int(rand() * tot); lo = 1; hi = m
				while (lo < hi) { mid = int((lo + hi) / 2); if (cum[mid] > x) hi = mid; else lo = mid + 1 }
				beg = x - (lo > 1 ? cum[lo - 1] : 0) + 1
				nm = name[lo]; if (index(nm, ":")) nm = "{" nm "}"
				print nm ":" beg "-" (beg + len - 1)
			}
		}' "$s.fa.fai" > "$s.regions" || die "no contig of ${samp[k]} has $REGLEN bases"
	mapfile -t "regs_$s" < "$s.regions"
	# the plugin answers at all (clear message if it cannot be loaded)
	HTS_PATH=$HP_ALL "$SAMTOOLS" faidx "${url[k]}" "$(head -n 1 "$s.regions")" > /dev/null 2>err ||
		fail "HTS_PATH=$HP_ALL samtools faidx ${url[k]} (does $PLUGIN_DIR/hfile_agc.so load?)" err
done

# --- 1. region latency ------------------------------------------------------

# variants: name, HTS_PATH, file to read (index: set k)
vname=(agc agc_own bgzip plain)
vpath() { case $1 in agc_own) echo "$HP_OWN" ;; *) echo "$HP_ALL" ;; esac; }
vfile() { case $1 in agc*) echo "${url[$2]}" ;; bgzip) echo "${stem[$2]}.fa.gz" ;; plain) echo "${stem[$2]}.fa" ;; esac; }

# checks an output file of NREG regions: same as the bgzip FASTA's, and complete
check_out() { # k variant way file
	local k=$1 v=$2 way=$3 f=$4 ref=${stem[$1]}.want
	if [[ ! -f $ref ]]; then
		# the first output of the bgzip FASTA is the reference output; it must be complete
		local got
		got=$(awk '/^>/ { h++; next } { b += length($0) } END { print h + 0, b + 0 }' "$f")
		[[ $got == "$NREG $((NREG * REGLEN))" ]] ||
			die "samtools faidx on ${stem[k]}.fa.gz gave (headers, bases) = ($got), want ($NREG $((NREG * REGLEN)))"
		cp "$f" "$ref"
	fi
	cmp -s "$f" "$ref" || mismatch "${label[k]}, $v, $way: $(cmp "$f" "$ref" 2>&1 | head -n 1)"
}

# (i) one process, all regions from -r; appends microseconds to $s.$v.one
one_proc() { # k variant
	local k=$1 v=$2 s=${stem[$1]} t0 p f
	p=$(vpath "$v"); f=$(vfile "$v" "$k")
	now_us; t0=$REPLY
	HTS_PATH=$p "$SAMTOOLS" faidx -r "$s.regions" "$f" > out 2>err ||
		fail "HTS_PATH=$p samtools faidx -r $s.regions $f" err
	now_us; echo $(( REPLY - t0 )) >> "$s.$v.one"
	check_out "$k" "$v" "-r" out
}

# (ii) one process per region; appends microseconds to $s.$v.many
many_proc() { # k variant
	local k=$1 v=$2 s=${stem[$1]} t0 p f r
	local -n regs=regs_$s
	p=$(vpath "$v"); f=$(vfile "$v" "$k")
	now_us; t0=$REPLY
	for r in "${regs[@]}"; do
		HTS_PATH=$p "$SAMTOOLS" faidx "$f" "$r" 2>err || fail "HTS_PATH=$p samtools faidx $f $r" err
	done > out
	now_us; echo $(( REPLY - t0 )) >> "$s.$v.many"
	check_out "$k" "$v" "1 region per process" out
}

echo "plugin.sh: region latency, $RUNS runs" >&2
for k in 0 1; do # warm-up (page cache), and the reference output
	for v in bgzip "${vname[@]}"; do one_proc "$k" "$v"; done
	rm -f "${stem[k]}".*.one
done
for (( r = 0; r < RUNS; r++ )); do
	for k in 0 1; do
		for v in "${vname[@]}"; do one_proc "$k" "$v"; many_proc "$k" "$v"; done
	done
done

# --- 2. sequential readers --------------------------------------------------

echo "plugin.sh: simulated reads, BAM and CRAM" >&2
"$RAGC" getset -l 2000000000 "$SENT" "$SENT_SAMPLE" > sent.1line 2>err || fail "ragc getset -l 2000000000" err
# READS reads of READLEN bases, start uniform over the positions where a read fits,
# MISMATCHES substitutions each, either strand flag; @SQ lines from samtools' .fai
awk -v seed="$SEED" -v n="$READS" -v len="$READLEN" -v mis="$MISMATCHES" '
	FNR == NR { sq[++nsq] = $1 "\t" $2; next }
	/^>/ { nm = substr($1, 2); next }
	length($0) >= len { name[++m] = nm; seq[m] = $0; cum[m] = tot += length($0) - len + 1 }
	END {
		srand(seed)
		print "@HD\tVN:1.6\tSO:unsorted"
		for (i = 1; i <= nsq; i++) { split(sq[i], a, "\t"); print "@SQ\tSN:" a[1] "\tLN:" a[2] }
		q = ""; for (i = 0; i < len; i++) q = q "I"
		b = "ACGT"
		for (r = 1; r <= n; r++) {
			x = int(rand() * tot); lo = 1; hi = m
			while (lo < hi) { mid = int((lo + hi) / 2); if (cum[mid] > x) hi = mid; else lo = mid + 1 }
			pos = x - (lo > 1 ? cum[lo - 1] : 0) + 1
			s = substr(seq[lo], pos, len)
			for (j = 0; j < mis; j++) {
				p = 1 + int(rand() * len); o = index(b, substr(s, p, 1))
				s = substr(s, 1, p - 1) substr(b, (o + int(rand() * 3)) % 4 + 1, 1) substr(s, p + 1)
			}
			print "r" r "\t" (rand() < 0.5 ? 0 : 16) "\t" name[lo] "\t" pos "\t60\t" len "M\t*\t0\t0\t" s "\t" q
		}
	}' sent.fa.fai sent.1line > x.sam || die "could not write simulated reads"
rm -f sent.1line
"$SAMTOOLS" sort -o x.bam x.sam 2>err || fail "samtools sort" err
"$SAMTOOLS" index x.bam 2>err || fail "samtools index x.bam" err
"$SAMTOOLS" view -C -T sent.fa -o x.cram x.bam 2>err || fail "samtools view -C -T sent.fa" err
rm -f x.sam

# sequential cases: name, the command with REF standing for the reference
seq_label=("mpileup -f REF x.bam" "view -T REF x.cram (CRAM decode)")
seq_cmd() { # case ref
	case $1 in
	0) printf '%s\0' "$SAMTOOLS" mpileup -f "$2" x.bam ;;
	1) printf '%s\0' "$SAMTOOLS" view -T "$2" x.cram ;;
	esac
}
refs=(agc plain bgzip)
ref_of() { case $1 in agc) echo "agc:$SENT" ;; plain) echo sent.fa ;; bgzip) echo sent.fa.gz ;; esac; }
[[ $("$RAGC" listref "$SENT") == "$SENT_SAMPLE" ]] || die "$SENT_SAMPLE is not the reference sample of $SENT"

# output check (also the warm-up): md5 of each output equal to the plain FASTA's
seq_check=()
for c in 0 1; do
	declare -A sum=()
	for v in "${refs[@]}"; do
		mapfile -d '' a < <(seq_cmd "$c" "$(ref_of "$v")")
		HTS_PATH=$HP_ALL "${a[@]}" 2>err | md5sum > sum || fail "${a[*]}" err
		sum[$v]=$(cut -d' ' -f1 sum)
	done
	[[ ${sum[plain]} != d41d8cd98f00b204e9800998ecf8427e ]] || die "empty output: ${seq_label[c]}"
	seq_check[c]="identical"
	for v in agc bgzip; do
		[[ ${sum[$v]} == "${sum[plain]}" ]] && continue
		mismatch "${seq_label[c]}: REF=$v output differs from REF=sent.fa"
		seq_check[c]="**DIFFERS** ($v)"
	done
	unset sum
done

echo "plugin.sh: sequential readers, $RUNS runs" >&2
for (( r = 0; r < RUNS; r++ )); do
	for c in 0 1; do
		for v in "${refs[@]}"; do
			mapfile -d '' a < <(seq_cmd "$c" "$(ref_of "$v")")
			now_us; t0=$REPLY
			HTS_PATH=$HP_ALL "$TIME" -f '%M' -o t "${a[@]}" > /dev/null 2>err || fail "${a[*]}" err
			now_us
			echo "$(( REPLY - t0 )) $(tail -n 1 t)" >> "seq.$c.$v"
		done
	done
done

# --- report -----------------------------------------------------------------

echo "## The agc: htslib plugin against bgzip and plain FASTA"
echo
echo "- $("$SAMTOOLS" --version | head -n 1) ($("$SAMTOOLS" --version | sed -n 2p)); plugin \`$PLUGIN_DIR/hfile_agc.so\`"
echo "- senterica: \`$SENT\` ($(wc -c < "$SENT") bytes), sample $SENT_SAMPLE (reference),"
echo "  $(wc -l < sent.fa.fai) contigs, $(awk '{ s += $2 } END { print s }' sent.fa.fai) bases"
echo "- sarscov2-418: \`ragc create -t 2 -s 5000\` of $nsars files of \`$SARS\` ($SARS_REF first,"
echo "  then sorted), $(wc -c < sars.agc) bytes; sample $SARS_SAMPLE, $(awk '{ s += $2 } END { print s }' sars.fa.fai) bases"
echo "- bgzip: \`ragc getset -l 60 ARCH SAMPLE | bgzip\`, indexed by \`samtools faidx\` (.fai, .gzi); plain: the same FASTA uncompressed"
echo "- $NREG regions of $REGLEN bases (SEED=$SEED), start uniform over the sample's bases where a region fits in its contig"
echo "- \`HTS_PATH=DIR:\` (the documented setting; htslib loads its own plugins as well) unless the column says"
echo "  \`HTS_PATH=DIR\` (no trailing colon: htslib loads \`hfile_agc.so\` only)"
echo "- wall times are medians of $RUNS runs (microsecond clock, runs of all variants interleaved); $(nproc) CPUs;"
echo "  $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "### Region latency: $NREG random ${REGLEN}-base regions"
echo
echo "| sample | way | agc: ms | agc: HTS_PATH=DIR ms | bgzip ms | plain ms | agc:/bgzip | agc: HTS_PATH=DIR /bgzip | output |"
echo "|---|---|---|---|---|---|---|---|---|"
met=()
for k in 0 1; do
	s=${stem[k]}
	declare -A one=() many=()
	for v in "${vname[@]}"; do
		one[$v]=$(median "$s.$v.one" 1 %.0f)
		many[$v]=$(median "$s.$v.many" 1 %.0f)
	done
	ok="identical to bgzip (${NREG} regions)"
	if grep -qF "${label[k]}," mismatches 2>/dev/null; then
		ok="**DIFFERS** ($(grep -F "${label[k]}," mismatches | cut -d, -f2 | tr -d ' ' | sort -u | paste -sd/))"
	fi
	printf '| %s | one process, -r: total | %s | %s | %s | %s | %s | %s | %s |\n' "${label[k]}" \
		"$(ms "${one[agc]}" 1e3)" "$(ms "${one[agc_own]}" 1e3)" "$(ms "${one[bgzip]}" 1e3)" "$(ms "${one[plain]}" 1e3)" \
		"$(ratio "${one[agc]}" "${one[bgzip]}")" "$(ratio "${one[agc_own]}" "${one[bgzip]}")" "$ok"
	printf '| %s | one process, -r: per region | %s | %s | %s | %s | | | |\n' "${label[k]}" \
		"$(ms "${one[agc]}" "$((NREG * 1000))")" "$(ms "${one[agc_own]}" "$((NREG * 1000))")" \
		"$(ms "${one[bgzip]}" "$((NREG * 1000))")" "$(ms "${one[plain]}" "$((NREG * 1000))")"
	printf '| %s | %s processes: per region | %s | %s | %s | %s | %s | %s | %s |\n' "${label[k]}" "$NREG" \
		"$(ms "${many[agc]}" "$((NREG * 1000))")" "$(ms "${many[agc_own]}" "$((NREG * 1000))")" \
		"$(ms "${many[bgzip]}" "$((NREG * 1000))")" "$(ms "${many[plain]}" "$((NREG * 1000))")" \
		"$(ratio "${many[agc]}" "${many[bgzip]}")" "$(ratio "${many[agc_own]}" "${many[bgzip]}")" "$ok"
	for v in agc agc_own; do
		vl=$([[ $v == agc ]] && echo "HTS_PATH=DIR:" || echo "HTS_PATH=DIR")
		within2 "${one[$v]}" "${one[bgzip]}" || met+=("${stem[k]} one process -r ($vl)")
		within2 "${many[$v]}" "${many[bgzip]}" || met+=("${stem[k]} $NREG processes ($vl)")
	done
	unset one many
done
echo
if (( ${#met[@]} )); then
	list=$(IFS=';'; echo "${met[*]}")
	echo "Target (per-region latency within 2x of bgzip + faidx) missed by: ${list//;/; }."
else
	echo "Target (per-region latency within 2x of bgzip + faidx): met in every row and column."
fi
echo
echo "### Sequential readers: senterica $SENT_SAMPLE, $READS simulated ${READLEN}-base reads (BAM, sorted)"
echo
echo "| command | agc: s | plain s | bgzip s | agc:/plain | agc:/bgzip | agc: peak KiB | plain peak KiB | output |"
echo "|---|---|---|---|---|---|---|---|---|"
for c in 0 1; do
	declare -A w=() m=()
	for v in "${refs[@]}"; do
		w[$v]=$(median "seq.$c.$v" 1 %.0f); m[$v]=$(median "seq.$c.$v" 2 %.0f)
	done
	# shellcheck disable=SC2016 # literal backquotes (markdown)
	printf '| `%s` | %s | %s | %s | %s | %s | %s | %s | %s |\n' "${seq_label[c]}" \
		"$(ms "${w[agc]}" 1e6)" "$(ms "${w[plain]}" 1e6)" "$(ms "${w[bgzip]}" 1e6)" \
		"$(ratio "${w[agc]}" "${w[plain]}")" "$(ratio "${w[agc]}" "${w[bgzip]}")" "${m[agc]}" "${m[plain]}" "${seq_check[c]}"
	unset w m
done
echo
echo "REF: agc: = \`agc:$SENT\`, plain = \`sent.fa\`, bgzip = \`sent.fa.gz\`; x.cram was written once with \`-T sent.fa\`;"
echo "outputs to /dev/null, checked once (md5) against the plain FASTA's."
exit $status
