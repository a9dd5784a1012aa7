#!/usr/bin/env bats
# CRAM references looked up by MD5 in an archive through htslib's REF_PATH:
# the element `URL=agc::ARCHIVE?md5=%s` makes htslib open
# `agc:ARCHIVE?md5=<M5>`, which the plugin serves as the bare upper-case
# sequence of the contig with that M5 in any sample (docs/plugin.md).
#
#   RAGC=/abs/path/ragc bats bats/refpath.bats     (make check sets RAGC)
#   RAGC_PLUGIN_DIR=/folder/of/hfile_agc.so        (default: the folder of $RAGC)
#
# Fixture (built once per file, core test data only): three input FASTA
# files (hsmt-50 genomes; the second soft-masked in part and with a second
# contig holding N runs), archived together (all.agc) and split over two
# archives (ab.agc, c.agc); reads copied from their sequences (some with
# mismatches, deletions, insertions, on both strands, up to the contig
# ends); a CRAM written with `samtools view -C -T` and the ORIGINAL FASTA
# files concatenated.  Every expected output is samtools/bcftools run with
# that FASTA.  The FASTA is then moved away, so the CRAM's @SQ UR: tags
# (which htslib falls back on) lead nowhere: each test first shows that
# decoding then fails without the archive.  Every command runs in an empty
# folder (htslib also looks for a file named by the MD5 in ./) with HOME
# and XDG_CACHE_HOME pointing at empty folders and REF_CACHE unset, so a
# reference written anywhere would be noticed; REF_PATH is always set, so
# htslib never falls back on its default EBI server.

# shellcheck disable=SC2034  # variables shared with the helpers
load plugin-helpers

bats_require_minimum_version 1.5.0

setup() {
  plugin_init || return 1
  need_plugin || return 1
  refpath_fixture
}

# ---------------------------------------------------------------- fixture

# refpath_fixture: sets F (the fixture folder) and builds it once:
#   in/a.fa in/b.fa in/c.fa   inputs (contigs HG00140; HG00178 with 2000
#                             bases soft-masked and b_part with N runs; HG00356)
#   in/d.fa                   HG00599, in no archive
#   all.agc ab.agc c.agc      archives of a+b+c, a+b, c
#   big.agc                   contigs big (1.6 Mb, longer than the plugin's
#                             1 MiB refills) and mid (200 kb, read in htslib's
#                             default 32 KiB refills)
#   seq/NAME                  upper-case sequence of each input contig
#   m5/NAME                   its M5 (samtools dict of the input FASTA)
#   x.bam x.cram x.cram.crai  reads on the 4 contigs of a+b+c (header: samtools
#                             dict's @SQ SN LN M5, no UR; the CRAM's UR: is
#                             ref/all.fa, added by the CRAM writer)
#   d.cram                    reads on HG00599 (UR: ref/d.fa)
#   want.sam want.fa want.vcf want.d.err   the expected outputs (see below)
#   hidden/                   the FASTA files, moved out of ref/
refpath_fixture() {
  F=$CACHE/refpath
  [[ -s $F/done ]] && return 0
  rm -rf "$F" "$F.tmp"
  local d=$F.tmp
  mkdir -p "$d/in" "$d/ref" "$d/seq" "$d/m5" "$d/run"
  cp "$HSMT/HG00140.fa" "$d/in/a.fa"
  {
    # bases 1001-3000 soft-masked: the M5 is of the upper-cased bases
    echo '>HG00178'
    grep -v '^>' "$HSMT/HG00178.fa" | tr -d '\n' |
      awk '{ print substr($0, 1, 1000) tolower(substr($0, 1001, 2000)) substr($0, 3001) }' | fold -w 70
    echo '>b_part second contig of b'
    {
      grep -v '^>' "$HSMT/HG00365.fa" | tr -d '\n' | head -c 3000
      printf 'NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN'
      grep -v '^>' "$HSMT/HG00365.fa" | tr -d '\n' | head -c 6000 | tail -c 2500
    } | fold -w 70
    echo
  } >"$d/in/b.fa"
  cp "$HSMT/HG00356.fa" "$d/in/c.fa"
  cp "$HSMT/HG00599.fa" "$d/in/d.fa"
  {
    echo '>big'
    local i
    for i in 1 2; do grep -v '^>' "$(data_path data/hsmt-49-concat.fa)"; done | tr -d '\n' | fold -w 60
    echo
    echo '>mid'
    grep -v '^>' "$(data_path data/hsmt-49-concat.fa)" | tr -d '\n' | head -c 300000 | tail -c 200000 | fold -w 60
    echo
  } >"$d/in/big.fa"
  (
    set -e -o pipefail
    cd "$d"
    local name inputs x files
    for a in "all a b c" "ab a b" "c c" "big big"; do
      read -r name inputs <<<"$a"
      files=()
      for x in $inputs; do files+=("in/$x.fa"); done
      timeout -k 5 "$CLI_TIMEOUT" "$RAGC" create -o "$name.agc" "${files[@]}" </dev/null >/dev/null
    done
    cat in/a.fa in/b.fa in/c.fa >ref/all.fa
    cp in/d.fa ref/d.fa
    samtools faidx ref/all.fa
    samtools faidx ref/d.fa
    samtools faidx in/big.fa
    # each contig's upper-case sequence and M5, from the input FASTA
    for fa in ref/all.fa ref/d.fa in/big.fa; do samtools dict "$fa"; done | awk -F'\t' '$1 == "@SQ" { print substr($2, 4), substr($4, 4) }' |
      while read -r ctg m5; do
        printf '%s' "$m5" >"m5/$ctg"
        local fa=ref/all.fa
        [[ $ctg == HG00599 ]] && fa=ref/d.fa
        [[ $ctg == big || $ctg == mid ]] && fa=in/big.fa
        samtools faidx "$fa" "$ctg" | grep -v '^>' | tr -d '\n' | LC_ALL=C tr '[:lower:]' '[:upper:]' >"seq/$ctg"
      done
  ) >"$d/build.err" 2>&1 || {
    fail "cannot build the fixture in $d:"$'\n'"$(tail -n 5 "$d/build.err")"
    return 1
  }
  local ctg
  for ctg in HG00140 HG00178 b_part HG00356 HG00599 big mid; do
    if [[ ! -s $d/seq/$ctg || $(wc -c <"$d/m5/$ctg") != 32 ]]; then
      fail "fixture: no sequence or M5 for $ctg"
      return 1
    fi
  done
  if (($(grep -v '^>' "$d/in/b.fa" | LC_ALL=C tr -cd '[:lower:]' | wc -c) != 2000)) || grep -q '[a-z]' "$d/seq/HG00178"; then
    fail "fixture: b.fa should be soft-masked and seq/HG00178 upper-case"
    return 1
  fi
  if ! make_reads "$d" HG00140 HG00178 b_part HG00356 >"$d/x.sam.body" ||
    ! make_reads "$d" HG00599 >"$d/d.sam.body"; then
    fail "fixture: cannot write the reads"
    return 1
  fi
  (
    set -e -o pipefail
    cd "$d"
    { printf '@HD\tVN:1.6\tSO:unsorted\n'; samtools dict ref/all.fa | awk -F'\t' -v OFS='\t' '$1 == "@SQ" { print $1, $2, $3, $4 }'; cat x.sam.body; } >x.sam
    { printf '@HD\tVN:1.6\tSO:unsorted\n'; samtools dict ref/d.fa | awk -F'\t' -v OFS='\t' '$1 == "@SQ" { print $1, $2, $3, $4 }'; cat d.sam.body; } >d.sam
    samtools sort -o x.bam x.sam
    samtools index x.bam
    samtools view -C -T "$d/ref/all.fa" -o x.cram x.bam
    samtools index x.cram
    samtools sort -O cram --reference "$d/ref/d.fa" -o d.cram d.sam
    # the expected outputs, with the FASTA (-T / --reference, or the UR: tags)
    samtools view --no-PG -h -T "$d/ref/all.fa" x.cram >want.sam
    samtools fasta --reference "$d/ref/all.fa" x.cram >want.fa 2>want.fa.err
    (cd run && REF_PATH=$T/no-ref-path/%s bcftools mpileup --no-reference -a AD,DP ../x.cram 2>/dev/null |
      grep -v -e '^##bcftools' -e '^#CHROM' >../want.vcf)
  ) >"$d/build.err" 2>&1 || {
    fail "cannot build the CRAM fixture in $d:"$'\n'"$(tail -n 5 "$d/build.err")"
    return 1
  }
  if ! grep -q "UR:$d/ref/all.fa" <(samtools view -H "$d/x.cram") || (($(grep -vc '^@' "$d/want.sam") < 150)); then
    fail "fixture: the CRAM should carry UR: tags and 150+ reads"
    return 1
  fi
  # from here on the FASTA files are out of reach of the UR: tags (which
  # name $d/ref/..., gone twice over once $d becomes $F)
  mv "$d/ref" "$d/hidden"
  mv "$d" "$F"
  echo ok >"$F/done"
}

# make_reads DIR CONTIG...: SAM records (no header) copied from DIR/seq/CONTIG:
# per contig, 40 reads of 100 bases spread over it (every third with a
# mismatch, every other on the reverse strand), one 40M2D60M, one 50M3I47M,
# one 5S95M and one ending at the contig's last base.
make_reads() {
  local d=$1 c
  shift
  for c in "$@"; do
    LC_ALL=C awk -v c="$c" -v f="$d/seq/$c" '
      function alt(b) { return b == "A" ? "C" : b == "C" ? "G" : b == "G" ? "T" : "A" }
      function mis(s, o) { return substr(s, 1, o) alt(substr(s, o + 1, 1)) substr(s, o + 2) }
      function out(name, flag, p, cig, seq) {
        printf "%s\t%d\t%s\t%d\t60\t%s\t*\t0\t0\t%s\t*\n", name, flag, c, p, cig, seq
      }
      BEGIN {
        getline s <f
        L = length(s)
        for (i = 0; i < 40; i++) {
          p = 1 + int(i * (L - 150) / 40)
          r = substr(s, p, 100)
          if (i % 3 == 0) r = mis(r, 10 + i)
          out(c "_r" i, (i % 2) * 16, p, "100M", r)
        }
        p = int(L / 3)
        out(c "_del", 0, p, "40M2D60M", substr(s, p, 40) substr(s, p + 42, 60))
        out(c "_ins", 16, p + 7, "50M3I47M", substr(s, p + 7, 50) "TGA" substr(s, p + 57, 47))
        out(c "_clip", 0, p + 11, "5S95M", "ACGTA" substr(s, p + 11, 95))
        out(c "_end", 16, L - 99, "100M", mis(substr(s, L - 99, 100), 98))
      }' </dev/null || return 1
  done
}

# ---------------------------------------------------------------- running

# rp_run REF_PATH CMD ARGS...: CMD ARGS in a new empty folder with that
# REF_PATH, REF_CACHE unset, HOME and XDG_CACHE_HOME empty folders, under a
# timeout.  Sets RC, OUT, ERR (files) and RUN_CMD; fails when killed or timed
# out.
rp_run() {
  local refpath=$1
  shift
  RUN_N=$((${RUN_N:-0} + 1))
  local w=$T/run$RUN_N
  mkdir -p "$w/cwd" "$w/home" "$w/xdg"
  OUT=$w/out ERR=$w/err RC=0
  RUN_CMD="(cd $w/cwd && REF_PATH=$(printf '%q' "$refpath") HTS_PATH=$(printf '%q' "$HTS_PATH") $(cli_quote "$@"))"
  (cd "$w/cwd" && env -u REF_CACHE HOME="$w/home" XDG_CACHE_HOME="$w/xdg" REF_PATH="$refpath" \
    timeout -k 5 "$CLI_TIMEOUT" "$@" </dev/null >"$OUT" 2>"$ERR") || RC=$?
  if ((RC == 124 || RC == 137)); then
    fail "timed out after ${CLI_TIMEOUT}s: $RUN_CMD"
    return 1
  fi
  if killed "$RC"; then
    fail "exit $RC (killed by a signal?): $RUN_CMD"$'\n'"$(head -n 10 "$ERR")"
    return 1
  fi
  # nothing may be written anywhere: not in ./, not in a default cache
  if [[ -n $(find "$w/cwd" "$w/home" "$w/xdg" -mindepth 1 -print -quit) ]]; then
    fail "files written by $RUN_CMD:"$'\n'"$(find "$w/cwd" "$w/home" "$w/xdg" -mindepth 1 | head -n 5)"
    return 1
  fi
}

# rp_ok WANT REF_PATH CMD ARGS...: exit 0, stdout equal to the file WANT,
# stderr empty.
rp_ok() {
  local want=$1
  shift
  rp_run "$@" || return 1
  if ((RC != 0)); then
    fail "exit $RC: $RUN_CMD"$'\n'"$(head -n 10 "$ERR")"
    return 1
  fi
  if ! cmp -s "$want" "$OUT"; then
    fail "output differs from the same command with the FASTA ($want): $RUN_CMD"$'\n'"$(diff "$want" "$OUT" | head -n 10 | cut -c1-200)"
    return 1
  fi
  if [[ -s $ERR && ${RP_STDERR:-empty} == empty ]]; then
    fail "messages from $RUN_CMD:"$'\n'"$(head -n 10 "$ERR")"
    return 1
  fi
}

# no_fasta_fails CRAM: decoding CRAM with a REF_PATH that finds nothing
# fails (so the reference cannot come from anywhere but the archive).
no_fasta_fails() {
  rp_run "$T/no-ref-path/%s" samtools view "$1" || return 1
  if ((RC == 0)); then
    fail "$1 decodes without the archive (the fixture's FASTA is not hidden?): $RUN_CMD"
    return 1
  fi
}

agc_elem() {
  printf 'URL=agc::%s?md5=%%s' "$1"
}

# ---------------------------------------------------------------- tests

@test "refpath: the plugin serves agc:ARCHIVE?md5=M5 as the contig's bare upper-case sequence" {
  local ctg m5
  for ctg in HG00140 HG00178 b_part HG00356; do
    m5=$(<"$F/m5/$ctg")
    rp_run "$T/no-ref-path/%s" htsfile -C "agc:$F/all.agc?md5=$m5" - || return 1
    ((RC == 0)) || fail "exit $RC: $RUN_CMD"$'\n'"$(head -n 5 "$ERR")"
    cmp "$F/seq/$ctg" "$OUT" || fail "agc:...?md5=$m5 is not the upper-case sequence of $ctg"
    # upper-case hex digits too
    rp_run "$T/no-ref-path/%s" htsfile -C "agc:$F/all.agc?md5=${m5^^}" - || return 1
    cmp "$F/seq/$ctg" "$OUT" || fail "agc:...?md5=${m5^^} is not the sequence of $ctg"
  done
  # contigs longer than htslib's 32 KiB buffer and than the plugin's 1 MiB one
  for ctg in mid big; do
    m5=$(<"$F/m5/$ctg")
    rp_run "$T/no-ref-path/%s" htsfile -C "agc:$F/big.agc?md5=$m5" - || return 1
    ((RC == 0)) || fail "exit $RC: $RUN_CMD"$'\n'"$(head -n 5 "$ERR")"
    cmp "$F/seq/$ctg" "$OUT" || fail "agc:big.agc?md5=$m5 is not the sequence of $ctg"
  done
  # a relative archive path
  (cd "$F/.." && htsfile -C "agc:refpath/all.agc?md5=$(<"$F/m5/HG00356")" - >"$T/rel.out") ||
    fail "agc:refpath/all.agc?md5=... does not open in $F/.."
  cmp "$F/seq/HG00356" "$T/rel.out" || fail "relative path: not the sequence of HG00356"
}

@test "refpath: a miss fails the open with ENOENT (quietly), an unopenable archive with a warning" {
  local m5
  m5=$(<"$F/m5/HG00599")
  rp_run "$T/no-ref-path/%s" htsfile -C "agc:$F/all.agc?md5=$m5" - || return 1
  ((RC != 0)) || fail "an MD5 not in the archive opened: $RUN_CMD"
  [[ $(<"$ERR") == *"No such file or directory"* ]] || fail "not ENOENT: $(<"$ERR")"
  # htsfile's own message only, no hts_log line ([E::...], [W::...])
  grep -q '^\[' "$ERR" && fail "the miss is logged: $(<"$ERR")"
  rp_run "$T/no-ref-path/%s" htsfile -C "agc:$F/no-such.agc?md5=$m5" - || return 1
  ((RC != 0)) || fail "a missing archive opened: $RUN_CMD"
  grep -q "agc: cannot open archive $F/no-such.agc for MD5 lookups" "$ERR" || fail "no warning: $(<"$ERR")"
  [[ $(<"$ERR") == *"No such file or directory"* ]] || fail "not ENOENT: $(<"$ERR")"
  # a file that is not an archive: a miss too
  rp_run "$T/no-ref-path/%s" htsfile -C "agc:$F/hidden/all.fa?md5=$m5" - || return 1
  ((RC != 0)) || fail "a FASTA file opened as an archive: $RUN_CMD"
  grep -q "agc: cannot open archive $F/hidden/all.fa for MD5 lookups" "$ERR" || fail "no warning: $(<"$ERR")"
  [[ $(<"$ERR") == *"No such file or directory"* ]] || fail "not ENOENT: $(<"$ERR")"
}

@test "refpath: samtools view decodes a CRAM on three samples with REF_PATH=URL=agc::ARCHIVE?md5=%s alone" {
  no_fasta_fails "$F/x.cram"
  rp_ok "$F/want.sam" "$(agc_elem "$F/all.agc")" samtools view --no-PG -h "$F/x.cram"
  # regions (the CRAM index, one contig at a time)
  samtools view --no-PG -T "$F/hidden/all.fa" "$F/x.cram" b_part HG00140:5000-9000 >"$T/want.regions"
  rp_ok "$T/want.regions" "$(agc_elem "$F/all.agc")" samtools view --no-PG "$F/x.cram" b_part HG00140:5000-9000
  # with several threads
  rp_ok "$F/want.sam" "$(agc_elem "$F/all.agc")" samtools view -@ 2 --no-PG -h "$F/x.cram"
}

@test "refpath: the archive second in REF_PATH, after directories that lack the files" {
  mkdir -p "$T/empty-cache"
  rp_ok "$F/want.sam" "/nonexistent/%2s/%2s/%s:$T/empty-cache/%s:$(agc_elem "$F/all.agc")" \
    samtools view --no-PG -h "$F/x.cram"
}

@test "refpath: contigs spread over two archives in one REF_PATH" {
  # HG00356 is only in c.agc: ab.agc misses it quietly, and the other way round
  rp_ok "$F/want.sam" "$(agc_elem "$F/ab.agc"):$(agc_elem "$F/c.agc")" samtools view --no-PG -h "$F/x.cram"
  rp_ok "$F/want.sam" "$(agc_elem "$F/c.agc"):$(agc_elem "$F/ab.agc")" samtools view --no-PG -h "$F/x.cram"
}

@test "refpath: an archive that cannot be opened is skipped with a warning" {
  RP_STDERR=any rp_ok "$F/want.sam" "$(agc_elem "$F/no-such.agc"):$(agc_elem "$F/hidden/all.fa"):$(agc_elem "$F/all.agc")" \
    samtools view --no-PG -h "$F/x.cram"
  grep -q "agc: cannot open archive $F/no-such.agc for MD5 lookups" "$ERR" || fail "no warning: $(<"$ERR")"
  grep -q "agc: cannot open archive $F/hidden/all.fa for MD5 lookups" "$ERR" || fail "no warning: $(<"$ERR")"
  # only those, and the library's reason for the file that is no archive
  if grep -v -e 'agc: cannot open archive' -e '^\[E::rg_container_open\] not an AGC archive' "$ERR" | grep -q .; then
    fail "other messages: $(<"$ERR")"
  fi
}

@test "refpath: an M5 that no archive holds fails as with no reference at all" {
  no_fasta_fails "$F/d.cram"
  cp "$ERR" "$T/want.err"
  local want_rc=$RC
  rp_run "$(agc_elem "$F/all.agc"):$(agc_elem "$F/c.agc")" samtools view "$F/d.cram" || return 1
  ((RC == want_rc)) || fail "exit $RC, not $want_rc as without the archive: $RUN_CMD"$'\n'"$(head -n 5 "$ERR")"
  diff "$T/want.err" "$ERR" || fail "messages differ from those without the archive"
  grep -q 'Failed to populate reference' "$ERR" || fail "not htslib's message: $(<"$ERR")"
}

@test "refpath: samtools fasta and bcftools mpileup on the CRAM with REF_PATH alone" {
  RP_STDERR=any rp_ok "$F/want.fa" "$(agc_elem "$F/all.agc")" samtools fasta "$F/x.cram"
  diff "$F/want.fa.err" "$ERR" || fail "samtools fasta: other messages than with --reference"
  # header lines naming the CRAM's path (command line, sample column): left
  # out on both sides
  rp_run "$(agc_elem "$F/all.agc")" bcftools mpileup --no-reference -a AD,DP "$F/x.cram" || return 1
  ((RC == 0)) || fail "exit $RC: $RUN_CMD"$'\n'"$(head -n 5 "$ERR")"
  grep -v -e '^##bcftools' -e '^#CHROM' "$OUT" >"$T/got.vcf"
  cmp "$F/want.vcf" "$T/got.vcf" || fail "bcftools mpileup differs: $(diff "$F/want.vcf" "$T/got.vcf" | head -n 5)"
  (($(grep -vc '^#' "$T/got.vcf") > 1000)) || fail "too few pileup records"
}

@test "refpath: samtools view -C encodes a BAM with M5 tags through REF_PATH alone" {
  local w=$T/enc
  mkdir -p "$w"
  rp_run "$(agc_elem "$F/all.agc")" samtools view -C -o "$w/y.cram" "$F/x.bam" || return 1
  ((RC == 0)) && [[ ! -s $ERR ]] || fail "exit $RC: $RUN_CMD"$'\n'"$(head -n 5 "$ERR")"
  samtools view --no-PG -T "$F/hidden/all.fa" "$w/y.cram" >"$w/got" || fail "cannot decode y.cram with -T"
  grep -v '^@' "$F/want.sam" >"$w/want"
  cmp "$w/want" "$w/got" || fail "reads differ after encoding through REF_PATH"
}

@test "refpath: with REF_CACHE set, htslib copies each fetched contig there (and reads it back)" {
  local c=$T/refcache
  mkdir -p "$c"
  # rp_run unsets REF_CACHE; env sets it for samtools alone
  rp_ok "$F/want.sam" "$(agc_elem "$F/all.agc")" env REF_CACHE="$c/%2s/%2s/%s" samtools view --no-PG -h "$F/x.cram"
  local ctg m5 n=0
  for ctg in HG00140 HG00178 b_part HG00356; do
    m5=$(<"$F/m5/$ctg")
    cmp "$F/seq/$ctg" "$c/${m5:0:2}/${m5:2:2}/${m5:4}" || fail "REF_CACHE holds no copy of $ctg"
    n=$((n + 1))
  done
  [[ $(find "$c" -type f | wc -l) == "$n" ]] || fail "other files in REF_CACHE: $(find "$c" -type f)"
  # the next run finds them there, without the archive
  rp_ok "$F/want.sam" "$T/no-ref-path/%s" env REF_CACHE="$c/%2s/%2s/%s" samtools view --no-PG -h "$F/x.cram"
}
