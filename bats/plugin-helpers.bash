# Helpers for bats/plugin.bats: the htslib plugin hfile_agc.so (URLs
# agc:[SAMPLE@]PATH) and `ragc faidx`.
#
# Environment:
#   RAGC             binary under test (default <repo>/ragc)
#   RAGC_PLUGIN_DIR  folder holding hfile_agc.so (default: the folder of $RAGC)
#   RAGC_SHARED      the extended data (default <repo>/../shared; see data-roots.bash)
#   RAGC_TIMEOUT     seconds allowed per command (default 60)
#
# Every expected value comes from running the SAME command on a plain FASTA
# file of the same sample, written by `ragc getset -l 60 ARCHIVE SAMPLE` and
# indexed by `samtools faidx` -- never from the plugin itself.

# shellcheck disable=SC2034,SC2154  # variables shared with plugin.bats and set by cli-helpers

load cli-helpers

# plugin_init: sets RAGC, PLUGIN_DIR, PLUGIN, SENT, TOY, HSMT (the hsmt-50
# folder), T (scratch), CACHE (per-file scratch), CLI_TIMEOUT; exports
# HTS_PATH (the plugin folder, then htslib's own plugins) and a REF_PATH that
# finds nothing (CRAM must never look references up on the network).
# Fails (never skips) naming a missing core path or tool; SENT is in the
# extended data only: tests using it start with need_data.
plugin_init() {
  local p
  data_roots_init || return 1
  SENT=$(data_path compat/archives/senterica.agc)
  TOY=$(data_path compat/archives/toy.agc)
  HSMT=$(data_path data/hsmt-50)
  for p in "$TOY" "$HSMT/HG00140.fa" "$HSMT/HG00178.fa" "$HSMT/HG00356.fa"; do
    if [[ ! -f $p ]]; then
      fail "test data missing: $p (looked in $CORE_ROOT and $EXT_ROOT)"
      return 1
    fi
  done
  RAGC=${RAGC:-$BATS_TEST_DIRNAME/../ragc}
  [[ $RAGC == /* ]] || RAGC=$PWD/$RAGC
  if [[ ! -f $RAGC || ! -x $RAGC ]]; then
    fail "binary under test not found or not executable: RAGC=$RAGC (build it, or set RAGC=/abs/path/ragc)"
    return 1
  fi
  PLUGIN_DIR=${RAGC_PLUGIN_DIR:-${RAGC%/*}}
  [[ $PLUGIN_DIR == /* ]] || PLUGIN_DIR=$PWD/$PLUGIN_DIR
  PLUGIN=$PLUGIN_DIR/hfile_agc.so
  for p in samtools bcftools bgzip tabix htsfile; do
    if ! command -v "$p" >/dev/null; then
      fail "tool not found on PATH: $p (samtools, bcftools, bgzip, tabix and htsfile are needed)"
      return 1
    fi
  done
  CLI_TIMEOUT=${RAGC_TIMEOUT:-60}
  T=$BATS_TEST_TMPDIR
  CACHE=$BATS_FILE_TMPDIR
  export RAGC
  export HTS_PATH="$PLUGIN_DIR:"
  export REF_PATH="$T/no-ref-path/%s"
  unset REF_CACHE
}

# need_plugin: the plugin must exist; in a sanitizer build (where it is not
# built) the test is skipped instead.
need_plugin() {
  [[ -f $PLUGIN ]] && return 0
  if [[ $RAGC == */san/* ]]; then
    skip "the htslib plugin is built in the plain build only"
  fi
  fail "htslib plugin not found: $PLUGIN (run make, or set RAGC_PLUGIN_DIR to the folder holding hfile_agc.so)"
  return 1
}

# url_escape NAME: NAME with @ # ? % written as %40 %23 %3F %25.
url_escape() {
  local s=$1
  s=${s//%/%25}
  s=${s//@/%40}
  s=${s//#/%23}
  s=${s//\?/%3F}
  printf '%s' "$s"
}

# ---------------------------------------------------------------- fixtures (cached per file)

# sample_fa ARCHIVE SAMPLE: sets FA to a plain FASTA of SAMPLE written by
# `ragc getset -l 60 ARCHIVE SAMPLE`, indexed by `samtools faidx` (FA.fai).
# FA is the only file of its folder besides the index.
sample_fa() {
  local arc=$1 s=$2 key d
  key=$(printf '%s\t%s' "$arc" "$s" | md5sum)
  key=${key%% *}
  d=$CACHE/fa-$key
  FA=$d/sample.fa
  [[ -s $FA.fai ]] && return 0
  mkdir -p "$d.tmp"
  if ! timeout -k 5 "$CLI_TIMEOUT" "$RAGC" getset -l 60 "$arc" "$s" </dev/null >"$d.tmp/sample.fa" 2>"$d.tmp/err"; then
    fail "cannot write the expected FASTA: ragc getset -l 60 $(cli_quote "$arc" "$s") failed:"$'\n'"$(head -n 5 "$d.tmp/err")"
    return 1
  fi
  if [[ ! -s $d.tmp/sample.fa ]]; then
    fail "ragc getset -l 60 $(cli_quote "$arc" "$s") printed nothing"
    return 1
  fi
  rm -f "$d.tmp/err"
  if ! samtools faidx "$d.tmp/sample.fa" 2>"$T/faidx.err"; then
    fail "samtools faidx cannot index the output of ragc getset -l 60 $(cli_quote "$arc" "$s"):"$'\n'"$(head -n 5 "$T/faidx.err")"
    return 1
  fi
  rm -rf "$d"
  mv -T "$d.tmp" "$d"
}

# contig N: the name of the N-th contig (1-based) of FA.fai.
contig() {
  awk -F'\t' -v n="$1" 'NR == n { print $1; exit }' "$FA.fai"
}

# contig_len NAME: its length in FA.fai.
contig_len() {
  awk -F'\t' -v c="$1" '$1 == c { print $2; exit }' "$FA.fai"
}

# contig_seq NAME: its sequence (one line, no newline) from FA.
contig_seq() {
  fasta_record "$FA" "$1"
}

# contig_seq_files DIR: writes DIR/s1, DIR/s2, DIR/s4, the sequences of
# contigs 1, 2 and 4 of FA (one line each), and sets c1, c2, c4 (their names).
contig_seq_files() {
  local d=$1 i
  c1=$(contig 1) c2=$(contig 2) c4=$(contig 4)
  for i in 1 2 4; do
    local n=c$i
    { contig_seq "${!n}" && echo; } >"$d/s$i" || {
      fail "cannot read contig ${!n} from $FA"
      return 1
    }
  done
}

# pansn_archive: sets PANSN to an archive (created once per file) whose
# samples are named like PanSN ones:
#   HG00140#1        (the reference) = hsmt-50/HG00140.fa
#   HG00178#2        HG00178.fa as contig "MT", plus its first 5000 bases as
#                    contig "MT:1-100" (a name that reads like a region)
#   odd@a#b?c%d      HG00356.fa, a name with every character URLs escape
#   edge#1           contigs len1, len59, len60, len61, len119, len120,
#                    len121, len7 (lengths around the line width)
# PANSN_DIR is its folder and PANSN_NAME its file name (x.agc).
pansn_archive() {
  PANSN_DIR=$CACHE/pansn
  PANSN_NAME=x.agc
  PANSN=$PANSN_DIR/$PANSN_NAME
  [[ -s $PANSN ]] && return 0
  local d=$CACHE/pansn.tmp
  rm -rf "$d"
  mkdir -p "$d/in"
  cp "$HSMT/HG00140.fa" "$d/in/HG00140#1.fa"
  {
    echo '>MT:1-100'
    grep -v '^>' "$HSMT/HG00178.fa" | tr -d '\n' | head -c 5000 | fold -w 70
    echo
    echo '>MT'
    grep -v '^>' "$HSMT/HG00178.fa"
  } >"$d/in/HG00178#2.fa"
  cp "$HSMT/HG00356.fa" "$d/in/odd@a#b?c%d.fa"
  # contigs around the line width (60)
  local n
  for n in 1 59 60 61 119 120 121 7; do
    printf '>len%d\n' "$n"
    grep -v '^>' "$HSMT/HG00356.fa" | tr -d '\n' | head -c $((n + 1000)) | tail -c "$n" | fold -w 80
    echo
  done >"$d/in/edge#1.fa"
  if ! (cd "$d/in" && timeout -k 5 "$CLI_TIMEOUT" "$RAGC" create -t 2 -o ../x.agc \
    'HG00140#1.fa' 'HG00178#2.fa' 'odd@a#b?c%d.fa' 'edge#1.fa' </dev/null >../create.out 2>../create.err); then
    fail "cannot create the PanSN archive: (cd $d/in && ragc create -t 2 -o ../x.agc 'HG00140#1.fa' 'HG00178#2.fa' 'odd@a#b?c%d.fa' 'edge#1.fa'):"$'\n'"$(head -n 5 "$d/create.err")"
    return 1
  fi
  mkdir -p "$PANSN_DIR"
  mv "$d/x.agc" "$PANSN"
}

# make_vcfs: on the reference sample of senterica (FA must be set by
# sample_fa), writes and indexes
#   $CACHE/vcf/good.vcf.gz  SNPs, an MNP, insertions, right-shifted deletions
#                           (norm moves them left), at contig starts and ends;
#                           every REF matches the reference
#   $CACHE/vcf/bad.vcf.gz   the same plus records whose REF does not match
# Sets VCF_GOOD and VCF_BAD.
make_vcfs() {
  local d=$CACHE/vcf
  VCF_GOOD=$d/good.vcf.gz
  VCF_BAD=$d/bad.vcf.gz
  [[ -s $VCF_BAD.tbi ]] && return 0
  rm -rf "$d"
  mkdir -p "$d"
  local c1 c2 c4
  contig_seq_files "$d" || return 1
  if (($(contig_len "$c1") < 20000 || $(contig_len "$c2") < 50 || $(contig_len "$c4") < 200)); then
    fail "unexpected contig lengths in $FA.fai"
    return 1
  fi
  {
    printf '##fileformat=VCFv4.2\n'
    awk -F'\t' '{ printf "##contig=<ID=%s,length=%s>\n", $1, $2 }' "$FA.fai"
    printf '##INFO=<ID=K,Number=1,Type=String,Description="kind">\n'
    printf '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n'
  } >"$d/head"
  # records: CHROM POS ID REF ALT (REF taken from the sequence, 1-based)
  LC_ALL=C awk -v c1="$c1" -v c2="$c2" -v c4="$c4" -v d="$d" '
    function alt(b) { return b == "A" ? "C" : b == "C" ? "G" : b == "G" ? "T" : "A" }
    function rec(c, p, r, a, k) { printf "%s\t%d\t.\t%s\t%s\t50\tPASS\tK=%s\n", c, p, r, a, k }
    BEGIN {
      getline s1 <(d "/s1"); getline s2 <(d "/s2"); getline s4 <(d "/s4")
      rec(c1, 1, substr(s1, 1, 1), alt(substr(s1, 1, 1)), "snp_first")
      rec(c1, 100, substr(s1, 100, 1), alt(substr(s1, 100, 1)), "snp")
      rec(c1, 2000, substr(s1, 2000, 3), alt(substr(s1, 2000, 1)) alt(substr(s1, 2001, 1)) alt(substr(s1, 2002, 1)), "mnp")
      rec(c1, 3000, substr(s1, 3000, 1), substr(s1, 3000, 1) "ACGTTGCA", "ins")
      # the first homopolymer of 5 or more after 4000: delete its last base,
      # written at the end of the run (right-aligned; norm left-aligns it)
      n = 0
      for (i = 4000; i < 15000; i++) {
        b = substr(s1, i, 1)
        if (b == substr(s1, i - 1, 1)) n++; else { if (n >= 5) break; n = 1 }
      }
      e = i - 1                       # last base of the run
      rec(c1, e - 1, substr(s1, e - 1, 2), substr(s1, e - 1, 1), "del_right")
      rec(c1, 16000, substr(s1, 16000, 6), substr(s1, 16000, 1), "del")
      rec(c2, 1, substr(s2, 1, 1), alt(substr(s2, 1, 1)), "snp_first")
      L = length(s2)
      rec(c2, L, substr(s2, L, 1), alt(substr(s2, L, 1)), "snp_last")
      L = length(s4)
      rec(c4, L - 10, substr(s4, L - 10, 4), substr(s4, L - 10, 1), "del_near_end")
      rec(c4, L, substr(s4, L, 1), substr(s4, L, 1) "TTT", "ins_last")
    }' >"$d/good.body"
  LC_ALL=C awk -v c1="$c1" -v d="$d" '
    function alt(b) { return b == "A" ? "C" : b == "C" ? "G" : b == "G" ? "T" : "A" }
    BEGIN {
      getline s1 <(d "/s1")
      printf "%s\t%d\t.\t%s\t%s\t50\tPASS\tK=wrong_ref\n", c1, 500, alt(substr(s1, 500, 1)), substr(s1, 500, 1)
      printf "%s\t%d\t.\tN\t%s\t50\tPASS\tK=n_ref\n", c1, 600, alt(substr(s1, 600, 1))
      printf "%s\t%d\t.\t%s\t%s\t50\tPASS\tK=wrong_ref_indel\n", c1, 700, alt(substr(s1, 700, 1)) substr(s1, 701, 2), alt(substr(s1, 700, 1))
    }' >"$d/bad.extra"
  cat "$d/head" "$d/good.body" >"$d/good.vcf"
  { cat "$d/head"; cat "$d/good.body" "$d/bad.extra" | vcf_contig_order "$FA.fai"; } >"$d/bad.vcf"
  local v
  for v in good bad; do
    if ! bgzip -f "$d/$v.vcf" || ! tabix -p vcf "$d/$v.vcf.gz"; then
      fail "cannot bgzip/tabix $d/$v.vcf"
      return 1
    fi
  done
}

# vcf_contig_order FAI < RECORDS: RECORDS sorted by the contig order of FAI,
# then position (stable).
vcf_contig_order() {
  awk -F'\t' 'NR == FNR { o[$1] = NR; next } { printf "%09d\t%s\n", o[$1], $0 }' "$1" - |
    sort -t$'\t' -k1,1n -k3,3n -s | cut -f2-
}

# make_bam: reads sampled from the reference sample of senterica (FA must be
# set by sample_fa): 200 reads of 100 bases on contig 1 (100M with two
# mismatches, reverse strand, 40M2D60M, 50M3I47M, 5S95M), 20 reads ending at
# the last base of contig 2 and of contig 4, and one unmapped read; header
# @SQ lines from FA.fai.  Sorted and indexed.  Sets BAM and SAM_READS (the
# records as `samtools view` prints them).
make_bam() {
  local d=$CACHE/bam
  BAM=$d/x.bam
  SAM_READS=$d/reads.sam
  [[ -s $BAM.bai && -s $SAM_READS ]] && return 0
  rm -rf "$d"
  mkdir -p "$d"
  local c1 c2 c4
  contig_seq_files "$d" || return 1
  {
    printf '@HD\tVN:1.6\tSO:unsorted\n'
    awk -F'\t' '{ printf "@SQ\tSN:%s\tLN:%s\n", $1, $2 }' "$FA.fai"
    printf '@RG\tID:rg1\tSM:s1\n'
    LC_ALL=C awk -v c1="$c1" -v c2="$c2" -v c4="$c4" -v d="$d" '
      function alt(b) { return b == "A" ? "C" : b == "C" ? "G" : b == "G" ? "T" : "A" }
      function mis(s, o) { return substr(s, 1, o) alt(substr(s, o + 1, 1)) substr(s, o + 2) }
      function q(n,   s) { s = ""; while (length(s) < n) s = s "IIIIIHHHHHGGGGG"; return substr(s, 1, n) }
      function out(name, flag, c, p, cig, seq) {
        printf "%s\t%d\t%s\t%d\t60\t%s\t*\t0\t0\t%s\t%s\tRG:Z:rg1\n", name, flag, c, p, cig, seq, q(length(seq))
      }
      BEGIN {
        getline s1 <(d "/s1"); getline s2 <(d "/s2"); getline s4 <(d "/s4")
        x = 12345
        for (i = 0; i < 200; i++) {
          x = (x * 1103515245 + 12345) % 2147483648
          p = 1 + int(x / 65536) % 20000
          k = i % 5
          if (k == 0) { s = mis(mis(substr(s1, p, 100), 30), 70); out(sprintf("r%03d", i), 0, c1, p, "100M", s) }
          else if (k == 1) { s = mis(substr(s1, p, 100), 55); out(sprintf("r%03d", i), 16, c1, p, "100M", s) }
          else if (k == 2) { s = mis(substr(s1, p, 40) substr(s1, p + 42, 60), 70); out(sprintf("r%03d", i), 0, c1, p, "40M2D60M", s) }
          else if (k == 3) { s = mis(substr(s1, p, 50) "TGA" substr(s1, p + 50, 47), 20); out(sprintf("r%03d", i), 16, c1, p, "50M3I47M", s) }
          else { s = mis("ACGTA" substr(s1, p, 95), 70); out(sprintf("r%03d", i), 0, c1, p, "5S95M", s) }
        }
        for (i = 0; i < 10; i++) {
          L = length(s2); p = L - 99 - i
          out(sprintf("e2_%02d", i), (i % 2) * 16, c2, p, "100M", mis(substr(s2, p, 100), 10 + i))
          L = length(s4); p = L - 99 - i
          out(sprintf("e4_%02d", i), (i % 2) * 16, c4, p, "100M", mis(substr(s4, p, 100), 90 - i))
        }
        printf "u000\t4\t*\t0\t0\t*\t*\t0\t0\tACGTACGTACGTACGTACGT\t%s\tRG:Z:rg1\n", q(20)
      }'
  } >"$d/x.sam"
  if ! samtools sort -o "$BAM" "$d/x.sam" 2>"$d/err" || ! samtools index "$BAM" 2>>"$d/err"; then
    fail "cannot make the test BAM from $d/x.sam:"$'\n'"$(head -n 5 "$d/err")"
    return 1
  fi
  samtools view "$BAM" >"$SAM_READS"
}

# ---------------------------------------------------------------- comparing

# vs_fa URL FA CMD ARGS...: runs CMD ARGS twice in $T/agc and $T/fa (stdin
# /dev/null, under a timeout), with "{R}" inside any argument replaced by URL
# in the first run and by FA in the second, and "{O}" by an output file of
# that run.  The runs must exit alike (the FASTA run with VS_RC, default 0)
# and print the same stdout bytes and {O} file (after VS_FILTER, a shell
# filter, when set); stderr must be alike too once URL is written as FA
# (unless VS_STDERR=0).  The plugin run must not be killed by a signal.
vs_fa() {
  local url=$1 fa=$2
  shift 2
  local want_rc=${VS_RC:-0} side a args rc_agc rc_fa cmdline
  for side in agc fa; do
    rm -rf "${T:?}/$side"
    mkdir -p "$T/$side"
    args=()
    for a in "$@"; do
      if [[ $side == agc ]]; then a=${a//\{R\}/$url}; else a=${a//\{R\}/$fa}; fi
      a=${a//\{O\}/$T/$side.o}
      args+=("$a")
    done
    rm -f "$T/$side.o"
    local rc=0
    (cd "$T/$side" && timeout -k 5 "$CLI_TIMEOUT" "${args[@]}" </dev/null >"$T/$side.out" 2>"$T/$side.err") || rc=$?
    if [[ $side == agc ]]; then
      rc_agc=$rc
      cmdline="(cd $(printf '%q' "$T/agc") && HTS_PATH=$(printf '%q' "$HTS_PATH") $(cli_quote "${args[@]}"))"
    else
      rc_fa=$rc
    fi
  done
  VS_CMD=$cmdline
  if ((rc_agc == 124 || rc_agc == 137)); then
    fail "timed out after ${CLI_TIMEOUT}s: $cmdline"
    return 1
  fi
  if killed "$rc_agc"; then
    fail "exit $rc_agc (killed by a signal?): $cmdline"$'\n'"stderr:"$'\n'"$(head -n 10 "$T/agc.err")"
    return 1
  fi
  if ((rc_fa != want_rc)); then
    fail "the run on the plain FASTA exited $rc_fa, not $want_rc (a test bug?): $(cli_quote "$@") with {R}=$fa"$'\n'"$(head -n 10 "$T/fa.err")"
    return 1
  fi
  if ((rc_agc != rc_fa)); then
    fail "exit $rc_agc on $url but $rc_fa on the plain FASTA: $cmdline"$'\n'"stderr:"$'\n'"$(head -n 10 "$T/agc.err")"
    return 1
  fi
  local f
  for f in out o; do
    [[ -e $T/agc.$f || -e $T/fa.$f ]] || continue
    if [[ -n ${VS_FILTER:-} ]]; then
      bash -c "$VS_FILTER" <"$T/agc.$f" >"$T/agc.$f.cmp"
      bash -c "$VS_FILTER" <"$T/fa.$f" >"$T/fa.$f.cmp"
    else
      cp "$T/agc.$f" "$T/agc.$f.cmp" 2>/dev/null || : >"$T/agc.$f.cmp"
      cp "$T/fa.$f" "$T/fa.$f.cmp" 2>/dev/null || : >"$T/fa.$f.cmp"
    fi
    if ! cmp -s "$T/fa.$f.cmp" "$T/agc.$f.cmp"; then
      local what=stdout
      [[ $f == o ]] && what="the output file {O}"
      fail "$what differs from the same command on the plain FASTA ($fa):"$'\n'"$cmdline"$'\n'"$(cmp "$T/fa.$f.cmp" "$T/agc.$f.cmp" 2>&1 | head -n 1)"$'\n'"$(diff "$T/fa.$f.cmp" "$T/agc.$f.cmp" 2>&1 | head -n 10 | cut -c1-200)"$'\n'"stderr:"$'\n'"$(head -n 5 "$T/agc.err")"
      return 1
    fi
  done
  if [[ ${VS_STDERR:-1} != 0 ]]; then
    # the URL may appear in messages: write it as the FASTA path
    URL=$url FA_PATH=$fa awk '{ gsub_lit($0) } function gsub_lit(s,   i, u, r, o) {
        u = ENVIRON["URL"]; r = ENVIRON["FA_PATH"]; o = ""
        while ((i = index(s, u)) > 0) { o = o substr(s, 1, i - 1) r; s = substr(s, i + length(u)) }
        print o s }' "$T/agc.err" >"$T/agc.err.cmp"
    if ! cmp -s "$T/fa.err" "$T/agc.err.cmp"; then
      fail "stderr differs from the same command on the plain FASTA ($fa):"$'\n'"$cmdline"$'\n'"$(diff "$T/fa.err" "$T/agc.err.cmp" 2>&1 | head -n 10 | cut -c1-200)"
      return 1
    fi
  fi
}

# killed STATUS: true when STATUS says the program could not run or was
# killed by a signal (126..192; bcftools exits 255 on errors, which is clean).
killed() {
  (($1 >= 126 && $1 <= 192))
}

# must_fail_cleanly CMD ARGS...: CMD exits non-zero, not killed by a signal
# (see killed), not timed out, with stderr saying something.  Sets RUN_OUT,
# RUN_ERR.
must_fail_cleanly() {
  RUN_OUT=$T/mf.out
  RUN_ERR=$T/mf.err
  local rc=0 cmdline
  cmdline="HTS_PATH=$(printf '%q' "$HTS_PATH") $(cli_quote "$@")"
  timeout -k 5 "$CLI_TIMEOUT" "$@" </dev/null >"$RUN_OUT" 2>"$RUN_ERR" || rc=$?
  if ((rc == 0)); then
    fail "expected a failure, got exit 0: $cmdline"$'\n'"stderr:"$'\n'"$(head -n 5 "$RUN_ERR")"
    return 1
  fi
  if ((rc == 124 || rc == 137)); then
    fail "timed out after ${CLI_TIMEOUT}s: $cmdline"
    return 1
  fi
  if killed "$rc"; then
    fail "exit $rc (killed by a signal?) instead of a clean failure: $cmdline"$'\n'"stderr:"$'\n'"$(head -n 10 "$RUN_ERR")"
    return 1
  fi
  if [[ ! -s $RUN_ERR ]]; then
    fail "failed (exit $rc) without a message on stderr: $cmdline"
    return 1
  fi
}

# md5_tree DIR: md5 of every file of DIR and their names (detects any change).
md5_tree() {
  # shellcheck disable=SC2012  # a listing for humans, compared as a whole
  (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0r md5sum; ls -lA --time-style=+ . | awk '{ $6 = ""; print }')
}

# samtools_faidx_expect FA ARGS...: `samtools faidx FA ARGS` (run in $T);
# sets WANT_OUT (its stdout file) and WANT_RC.
samtools_faidx_expect() {
  local fa=$1
  shift
  WANT_OUT=$T/want.out
  WANT_RC=0
  (cd "$T" && samtools faidx "$fa" "$@" </dev/null >"$WANT_OUT" 2>"$T/want.err") || WANT_RC=$?
}

# faidx_vs_samtools [-s SAMPLE] ARCHIVE FA [ARGS...]: `ragc faidx [-s SAMPLE]
# ARCHIVE ARGS` exits like and prints the same bytes as `samtools faidx FA ARGS`
# (which must exit FX_RC, default 0).  File arguments must be absolute.
faidx_vs_samtools() {
  local sopt=()
  if [[ $1 == -s ]]; then
    sopt=(-s "$2")
    shift 2
  fi
  local arc=$1 fa=$2
  shift 2
  samtools_faidx_expect "$fa" "$@"
  if ((WANT_RC != ${FX_RC:-0})); then
    fail "samtools faidx $(cli_quote "$fa" "$@") exited $WANT_RC, not ${FX_RC:-0} (a test bug?):"$'\n'"$(head -n 5 "$T/want.err")"
    return 1
  fi
  rr faidx "${sopt[@]}" "$arc" "$@" || return 1
  if ((status != WANT_RC)); then
    fail "exit $status from $RR_CMD, but samtools faidx $(cli_quote "$fa" "$@") exits $WANT_RC"$'\n'"stderr:"$'\n'"$(head -n 5 "$ERR")"
    return 1
  fi
  if ! cmp -s "$WANT_OUT" "$OUT"; then
    fail "stdout of $RR_CMD differs from samtools faidx $(cli_quote "$fa" "$@"):"$'\n'"$(cmp "$WANT_OUT" "$OUT" 2>&1 | head -n 1)"$'\n'"$(diff "$WANT_OUT" "$OUT" 2>&1 | head -n 10 | cut -c1-200)"
    return 1
  fi
}
