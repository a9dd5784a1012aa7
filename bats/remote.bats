#!/usr/bin/env bats
# Remote archives (docs/remote.md): every read command, `append` and the
# agc: plugin read http:// and s3+http:// URLs served by a loopback nginx
# (started and stopped here, its configuration written here) and print what
# they print for the same archive on the local disk; the failures (a 404, a
# server that ignores Range, a connection cut mid-part, a file replaced
# between two requests) end with a clear message and a non-zero exit.
#
# The expected side is the local run of the same command on the same file
# (the remote path must not change a byte), and, for the listing commands,
# agc 3.2.2's recorded outputs (test/data/compat/expected).
#
#   RAGC=/abs/path/ragc bats bats/remote.bats   (make check sets RAGC)
# nginx (Debian: nginx-light) is required: without it the suite fails (the
# CI installs it, scripts/install-deps.sh).

load cli-helpers
load ../bench/http-server
bats_require_minimum_version 1.5.0

ARCHIVES=(hsmt toy v1.1-hsmt20 v2.1-toy v3.0-hsmt-append edge-ok sarscov2-s5000)

setup_file() {
  data_roots_init || return 1
  RAGC=${RAGC:-$BATS_TEST_DIRNAME/../ragc}
  [[ $RAGC == /* ]] || RAGC=$PWD/$RAGC
  export RAGC
  SRV=$BATS_FILE_TMPDIR/srv
  mkdir -p "$SRV/www/bucket"
  chmod 755 "$BATS_FILE_TMPDIR" "$SRV" "$SRV/www" "$SRV/www/bucket"
  local a
  for a in "${ARCHIVES[@]}"; do
    cp "$(data_path "compat/archives/$a.agc")" "$SRV/www/$a.agc" || return 1
  done
  cp "$SRV/www/hsmt.agc" "$SRV/www/bucket/hsmt.agc"
  # an archive with bytes between its last part and its directory: the
  # size cannot be read off its tail (the reader asks the server for it)
  python3 - "$SRV/www/edge-ok.agc" "$SRV/www/gap.agc" <<'PY' || return 1
import struct, sys
b = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", b[-8:])[0]
cut = len(b) - 8 - n
open(sys.argv[2], "wb").write(b[:cut] + b"\0\0\0" + b[cut:])
PY
  # the same archive "replaced on the server" after the first request: a
  # newer modification time than the opening
  cp "$SRV/www/edge-ok.agc" "$SRV/www/edge-ok.agc.new"
  touch -d '+1 day' "$SRV/www/edge-ok.agc.new"
  # ... and cut to its first 300 bytes with an older modification time (a
  # server or a copy that keeps the old date: If-Unmodified-Since passes)
  head -c 300 "$SRV/www/edge-ok.agc" >"$SRV/www/edge-ok.agc.short"
  touch -d '-1 day' "$SRV/www/edge-ok.agc.short"
  chmod 644 "$SRV"/www/*.agc* "$SRV"/www/bucket/*
  export SRV
  http_server_start "$SRV" "$SRV/www" || { echo "cannot start nginx" >&2; return 1; }
  export HTTP_PORT
  export BASE=http://127.0.0.1:$HTTP_PORT
}

teardown_file() {
  http_proxy_stop "$SRV"
  http_server_stop "$SRV"
}

setup() {
  data_roots_init || return 1
  RAGC=${RAGC:-$BATS_TEST_DIRNAME/../ragc}
  [[ $RAGC == /* ]] || RAGC=$PWD/$RAGC
}

# same_output ARGS... with {A} for the archive: the command run on the local
# file and on $URL (set by the caller, and $LOCAL) prints the same bytes and
# exits the same way.
same_output() {
  local args=() a
  for a in "$@"; do args+=("${a//\{A\}/$LOCAL}"); done
  local lrc=0 rrc=0
  timeout 60 "$RAGC" "${args[@]}" >"$BATS_TEST_TMPDIR/local.out" 2>/dev/null || lrc=$?
  args=()
  for a in "$@"; do args+=("${a//\{A\}/$URL}"); done
  timeout 60 "$RAGC" "${args[@]}" >"$BATS_TEST_TMPDIR/remote.out" 2>"$BATS_TEST_TMPDIR/remote.err" || rrc=$?
  if [[ $lrc -ne $rrc ]] || ! cmp -s "$BATS_TEST_TMPDIR/local.out" "$BATS_TEST_TMPDIR/remote.out"; then
    echo "ragc ${args[*]}: exit $rrc (local $lrc), output differs from the local run" >&2
    head -c 2000 "$BATS_TEST_TMPDIR/remote.err" >&2
    return 1
  fi
  [[ $lrc -eq 0 ]] || { echo "ragc $*: failed locally" >&2; return 1; }
}

# every_read_command ARCHIVE: each read command on $LOCAL and $URL.
every_read_command() {
  local sample contig
  sample=$("$RAGC" listset "$LOCAL" | sed -n 2p)
  [[ -n $sample ]] || sample=$("$RAGC" listref "$LOCAL")
  contig=$("$RAGC" faidx "$LOCAL" -s "$sample" | head -n 1 | cut -f 1 | cut -d ' ' -f 1)
  same_output listset {A}
  same_output listref {A}
  same_output listctg {A} "$sample"
  same_output info {A}
  same_output getset {A} "$sample"
  same_output getcol {A}
  same_output getctg {A} "$contig@$sample"
  same_output getctg {A} "$contig@$sample:3-40"
  same_output faidx {A} -s "$sample"
  same_output faidx {A} -s "$sample" "$contig:5-25"
  same_output dict -u same {A}
  # UR: the agc: URL of the sample, with the archive's URL as given
  if [[ $URL == *://* ]]; then
    run -0 "$RAGC" dict "$URL" "$sample"
    [[ $output == *"UR:agc:$sample@$URL"* ]]
  fi
}

@test "remote: the listings over http:// are agc's recorded listings" {
  local a exp
  for a in hsmt v2.1-toy; do
    exp=$(data_path "compat/expected/$a")
    "$RAGC" listset "$BASE/$a.agc" >"$BATS_TEST_TMPDIR/listset"
    cmp "$BATS_TEST_TMPDIR/listset" "$exp/listset.txt"
    "$RAGC" listref "$BASE/$a.agc" >"$BATS_TEST_TMPDIR/listref"
    cmp "$BATS_TEST_TMPDIR/listref" "$exp/listref.txt"
  done
}

@test "remote: every read command over http:// prints what it prints locally" {
  local a
  for a in "${ARCHIVES[@]}"; do
    LOCAL=$SRV/www/$a.agc URL=$BASE/$a.agc every_read_command
  done
}

@test "remote: small blocks and a short first read (directory found later, many fetches) change nothing" {
  local a
  for a in edge-ok sarscov2-s5000 v3.0-hsmt-append; do
    LOCAL=$SRV/www/$a.agc URL=$BASE/$a.agc RAGC_REMOTE_TAIL_KB=1 RAGC_REMOTE_BLOCK_KB=1 \
      RAGC_REMOTE_CACHE_MB=1 RAGC_REMOTE_READAHEAD_KB=8 every_read_command
  done
}

@test "remote: an archive whose size its tail does not tell (gap before the directory)" {
  LOCAL=$SRV/www/gap.agc URL=$BASE/gap.agc RAGC_REMOTE_TAIL_KB=4 every_read_command
  # and it equals the archive without the gap
  cmp <("$RAGC" getcol "$BASE/gap.agc") <("$RAGC" getcol "$SRV/www/edge-ok.agc")
}

@test "remote: a region of a large archive costs a few bounded range requests" {
  : >"$SRV/access.log"
  local contig
  contig=$("$RAGC" faidx "$SRV/www/edge-ok.agc" | head -n 1 | cut -f 1 | cut -d ' ' -f 1)
  run -0 "$RAGC" getctg "$BASE/edge-ok.agc" "$contig:100000-100999"
  sleep 0.2
  # first the tail (a suffix range), then bounded ranges only, all answered 206
  run -0 awk '$3 != 206 || $4 !~ /^bytes=[0-9]*-[0-9]+$/ { bad++ } END { print NR, bad + 0 }' \
    "$SRV/access.log"
  [[ ${output#* } == 0 ]]
  (( ${output% *} >= 1 && ${output% *} <= 6 ))
}

@test "remote: file:// URLs read the local file" {
  LOCAL=$SRV/www/hsmt.agc URL=file://$SRV/www/hsmt.agc every_read_command
}

@test "remote: s3+http:// through htslib's S3 support (path-style addressing)" {
  export HTS_S3_HOST=127.0.0.1:$HTTP_PORT HTS_S3_ADDRESS_STYLE=path
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
  export AWS_SHARED_CREDENTIALS_FILE=/dev/null HTS_S3_S3CFG=/dev/null
  LOCAL=$SRV/www/bucket/hsmt.agc URL=s3+http://bucket/hsmt.agc every_read_command
  : >"$SRV/access.log"
  run -0 "$RAGC" listset s3+http://bucket/hsmt.agc
  sleep 0.2
  grep -q '^GET /bucket/hsmt.agc 206 ' "$SRV/access.log"
}

@test "remote: append takes a URL as its input archive" {
  local fa
  fa=$(data_path data/toy)/ref2.fa   # a sample toy.agc does not hold
  run -0 "$RAGC" append -o "$BATS_TEST_TMPDIR/local.agc" "$SRV/www/toy.agc" "$fa"
  run -0 "$RAGC" append -o "$BATS_TEST_TMPDIR/remote.agc" "$BASE/toy.agc" "$fa"
  cmp "$BATS_TEST_TMPDIR/local.agc" "$BATS_TEST_TMPDIR/remote.agc"
}

@test "remote: samtools faidx agc:SAMPLE@http://... equals the local plugin and ragc faidx" {
  [[ -n ${RAGC_PLUGIN_DIR:-} && -f $RAGC_PLUGIN_DIR/hfile_agc.so ]] ||
    skip "no plugin built (RAGC_PLUGIN_DIR unset: the sanitizer build leaves the plugin out, it cannot load into samtools)"
  local sample contig
  sample=$("$RAGC" listset "$SRV/www/hsmt.agc" | sed -n 3p)
  contig=$("$RAGC" listctg "$SRV/www/hsmt.agc" "$sample" | sed -n '2{s/^ *//;p;q}')
  run -0 env HTS_PATH="$RAGC_PLUGIN_DIR:" samtools faidx "agc:$sample@$BASE/hsmt.agc" "$contig:10-200"
  local remote=$output
  run -0 env HTS_PATH="$RAGC_PLUGIN_DIR:" samtools faidx "agc:$sample@$SRV/www/hsmt.agc" "$contig:10-200"
  [[ $remote == "$output" ]]
  run -0 "$RAGC" faidx -s "$sample" "$SRV/www/hsmt.agc" "$contig:10-200"
  [[ $remote == "$output" ]]
  [[ $remote == ">$contig:10-200"* ]]
}

@test "remote: a missing archive (404) is a clear error" {
  run -1 --separate-stderr timeout 60 "$RAGC" listset "$BASE/no-such.agc"
  [[ $output == "" ]]
  [[ $stderr == *"not found (HTTP 404)"* ]]
  [[ $stderr == *"ragc listset: cannot open archive '$BASE/no-such.agc'"* ]]
}

@test "remote: a forbidden archive (403) is a clear error" {
  run -1 --separate-stderr timeout 60 "$RAGC" getcol "$BASE/forbidden/edge-ok.agc"
  [[ $output == "" ]]
  [[ $stderr == *"access denied (HTTP 403)"* ]]
  [[ $stderr == *"ragc getcol: cannot open archive '$BASE/forbidden/edge-ok.agc'"* ]]
}

@test "remote: a server that ignores Range is refused, never read as the wrong bytes" {
  run -1 --separate-stderr timeout 60 "$RAGC" getcol "$BASE/norange/edge-ok.agc"
  [[ $output == "" ]]
  [[ $stderr == *"does not honour range requests"* ]]
}

@test "remote: a connection cut in the middle of a part is an error" {
  # the first request (the tail) whole, the next ones cut after 100 bytes
  http_proxy_start "$SRV" --cut 100 --cut-from 2
  run -1 --separate-stderr timeout 60 "$RAGC" getcol "http://127.0.0.1:$PROXY_PORT/edge-ok.agc"
  http_proxy_stop "$SRV"
  [[ $output == "" ]]
  [[ $stderr == *"cannot read http://127.0.0.1:$PROXY_PORT/edge-ok.agc (bytes "*"): the connection was cut before the end of the data"* ]]
  # cut in the first request: the opening says so
  http_proxy_start "$SRV" --cut 100
  run -1 --separate-stderr timeout 60 "$RAGC" listset "http://127.0.0.1:$PROXY_PORT/edge-ok.agc"
  http_proxy_stop "$SRV"
  [[ $stderr == *"cannot open http://127.0.0.1:$PROXY_PORT/edge-ok.agc: the connection was cut before the end of the data"* ]]
}

@test "remote: an archive that got shorter on the server between two requests is an error" {
  http_proxy_start "$SRV" --rewrite-after 1 --suffix .short
  run -1 --separate-stderr timeout 60 "$RAGC" getcol "http://127.0.0.1:$PROXY_PORT/edge-ok.agc"
  http_proxy_stop "$SRV"
  [[ $output == "" ]]
  [[ $stderr == *"cannot read http://127.0.0.1:$PROXY_PORT/edge-ok.agc (bytes "* ]]
  [[ $stderr == *"the file on the server is shorter than when it was opened"* ]]
  [[ $stderr == *"ragc getcol: cannot extract "* ]]
}

@test "remote: an archive replaced on the server between two requests is refused (HTTP 412)" {
  http_proxy_start "$SRV" --rewrite-after 1 --suffix .new
  run -1 --separate-stderr timeout 60 "$RAGC" getcol "http://127.0.0.1:$PROXY_PORT/edge-ok.agc"
  http_proxy_stop "$SRV"
  [[ $output == "" ]]
  [[ $stderr == *"changed on the server since it was opened (HTTP 412)"* ]]
}
