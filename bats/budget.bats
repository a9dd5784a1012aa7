#!/usr/bin/env bats
# Extraction within a memory budget (issue 11, item 3): getset/getcol/getctg
# decode in parallel but hold at most -m SIZE of decoded sequence (the window
# of decoded output plus the cache of decoded archive parts), however slowly
# the output is read and whatever -t.
#
#   RAGC=/abs/path/ragc bats bats/budget.bats     (make check sets RAGC)
#
# The archive is made at test time from generated FASTA (four samples, one
# 6 Mbp contig each, 80-column upper-case lines): getset must print those
# files back byte for byte.  Peak RSS is GNU time's; the bound is that of a
# ragc process that decodes (almost) nothing, plus the budget, plus a margin
# for what lies outside it (a chunk and a segment per thread, thread stacks,
# the allocator's own keeping).  On main before the budget existed, getset -t 2
# of these samples into a slow reader peaked at ~70 MiB over that baseline.

load cli-helpers

bats_require_minimum_version 1.5.0

TIME=/usr/bin/time
MARGIN_KIB=$((12 * 1024))

setup_file() {
  command -v python3 >/dev/null || return 0
  local d=$BATS_FILE_TMPDIR
  # a 6 Mbp random reference; three samples with a SNP about every 2 kb and a
  # few indels, so that they compress against it (seeded: the same every run)
  python3 - "$d" <<'EOF'
import random, sys
d = sys.argv[1]
rng = random.Random(11)
ref = bytearray(rng.choice(b"ACGT") for _ in range(6_000_000))
def write(name, seq):
    with open(f"{d}/{name}.fa", "wb") as f:
        f.write(b">chr1 " + name.encode() + b"\n")
        for i in range(0, len(seq), 80):
            f.write(seq[i:i + 80] + b"\n")
write("s0", ref)
for k in range(1, 4):
    s = bytearray(ref)
    for _ in range(3000):
        p = rng.randrange(len(s))
        s[p] = rng.choice(b"ACGT")
    for _ in range(20):
        p = rng.randrange(len(s) - 100)
        if rng.random() < 0.5:
            del s[p:p + rng.randrange(1, 50)]
        else:
            s[p:p] = bytes(rng.choice(b"ACGT") for _ in range(rng.randrange(1, 50)))
    write(f"s{k}", s)
EOF
  "$RAGC" create -t 2 -o "$d/x.agc" "$d"/s0.fa "$d"/s1.fa "$d"/s2.fa "$d"/s3.fa 2>"$d/create.err"
}

setup() {
  cli_init
  command -v python3 >/dev/null || fail "python3 is needed (it writes the test genomes and reads slowly)"
  [[ -x $TIME ]] || fail "$TIME not found (Debian package time)"
  A=$BATS_FILE_TMPDIR/x.agc
  [[ -s $A ]] || fail "the test archive was not made: $(cat "$BATS_FILE_TMPDIR/create.err")"
  cat "$BATS_FILE_TMPDIR"/s{0,1,2,3}.fa >"$T/want.fa"
}

# slow_read OUT: copies stdin to OUT, 16 KiB every 2 ms (about 8 MB/s, far
# slower than ragc decodes: its window stays full the whole run).
slow_read() {
  python3 -c '
import os, sys, time
out = open(sys.argv[1], "wb")
while True:
    b = os.read(0, 16384)
    if not b:
        break
    out.write(b)
    time.sleep(0.002)
' "$1"
}

# peak_kib CMD...: runs `ragc CMD...` into slow_read ($T/got.fa); sets PEAK
# (KiB) and fails on a non-zero exit.
peak_kib() {
  local rc=0
  RR_CMD="ragc $* | slow reader"
  timeout -k 5 120 "$TIME" -f '%M' -o "$T/time" "$RAGC" "$@" 2>"$T/err" | slow_read "$T/got.fa" ||
    rc=$?
  cli_no_sanitizer "$T/err" || return 1
  ((rc == 0 && PIPESTATUS[0] == 0)) || { fail "$RR_CMD failed: $(cat "$T/err")"; return 1; }
  PEAK=$(tail -n 1 "$T/time")
}

# A ragc process that decodes next to nothing (a 10-base range).
baseline_kib() {
  "$TIME" -f '%M' -o "$T/base" "$RAGC" getctg "$@" "$A" 'chr1@s0:100-109' >/dev/null || return 1
  BASE=$(tail -n 1 "$T/base")
}

# The sanitizer build's allocator keeps freed memory (quarantine) and adds
# shadow memory: its RSS says nothing about ragc's.
need_plain_build() {
  [[ $RAGC != */san/* ]] || skip "peak RSS is not measured under the sanitizers (output checked by the other tests)"
}

@test "budget: getset -t 2 -m 8M into a slow reader stays within the budget and prints the inputs" {
  need_plain_build
  baseline_kib -m 8M || fail "getctg failed"
  peak_kib getset -t 2 -m 8M "$A" s0 s1 s2 s3 || return 1
  cmp "$T/got.fa" "$T/want.fa" || fail "getset output differs from the input files"
  local limit=$((BASE + 8 * 1024 + MARGIN_KIB))
  ((PEAK <= limit)) ||
    fail "$RR_CMD: peak RSS ${PEAK} KiB > ${limit} KiB (baseline ${BASE} + budget 8192 + margin ${MARGIN_KIB})"
}

@test "budget: -t 8 holds no more than -t 2 (the budget does not grow with the threads)" {
  need_plain_build
  baseline_kib -m 8M || fail "getctg failed"
  peak_kib getset -t 8 -m 8M "$A" s0 s1 s2 s3 || return 1
  cmp "$T/got.fa" "$T/want.fa" || fail "getset -t 8 output differs from the input files"
  local limit=$((BASE + 8 * 1024 + MARGIN_KIB))
  ((PEAK <= limit)) ||
    fail "$RR_CMD: peak RSS ${PEAK} KiB > ${limit} KiB (baseline ${BASE} + budget 8192 + margin ${MARGIN_KIB})"
}

@test "budget: getcol and getctg into a slow reader stay within the budget" {
  need_plain_build
  baseline_kib -m 8M || fail "getctg failed"
  local limit=$((BASE + 8 * 1024 + MARGIN_KIB))
  peak_kib getcol -t 2 -m 8M "$A" || return 1
  cmp "$T/got.fa" "$T/want.fa" || fail "getcol output differs from the input files"
  ((PEAK <= limit)) || fail "$RR_CMD: peak RSS ${PEAK} KiB > ${limit} KiB"
  peak_kib getctg -t 2 -m 8M "$A" chr1@s0 chr1@s1 chr1@s2 chr1@s3 || return 1
  cmp "$T/got.fa" "$T/want.fa" || fail "getctg output differs from the input files"
  ((PEAK <= limit)) || fail "$RR_CMD: peak RSS ${PEAK} KiB > ${limit} KiB"
}

@test "budget: the output does not depend on -m or -t (pieces of a contig join exactly)" {
  # the inputs with their sequence lines refolded at 61 columns
  awk 'FNR == 1 && /^>/ { if (f++) print ""; print; next } { printf "%s", $0 } END { print "" }' \
    "$BATS_FILE_TMPDIR/s3.fa" "$BATS_FILE_TMPDIR/s1.fa" | fold -w 61 >"$T/want61.fa"
  local m t
  for m in 1M 3M 64M; do
    for t in 1 2 3; do
      rr_ok getset -t "$t" -m "$m" -l 61 "$A" s3 s1 || return 1
      cmp "$OUT" "$T/want61.fa" || fail "getset -t $t -m $m -l 61 differs from the inputs folded at 61"
    done
  done
}

@test "budget: -m takes K, M, G suffixes and refuses other text" {
  rr_ok getset -t 2 -m 2048k "$A" s0 || return 1
  cmp "$OUT" "$BATS_FILE_TMPDIR/s0.fa" || fail "getset -m 2048k differs from s0.fa"
  rr_ok getset -t 2 --max-memory 1G "$A" s0 || return 1
  cmp "$OUT" "$BATS_FILE_TMPDIR/s0.fa" || fail "getset --max-memory 1G differs from s0.fa"
  local bad
  for bad in 12X -5 M ''; do
    rr getset -m "$bad" "$A" s0 || return 1
    ((status == 1)) || fail "getset -m '$bad' exited $status"
    grep -q "^ragc getset: option -m needs a size" "$ERR" || fail "getset -m '$bad': $(cat "$ERR")"
  done
}
