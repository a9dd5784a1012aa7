#!/usr/bin/env bash
# What reading an archive over http:// costs: requests and bytes counted in
# a loopback nginx's access log, and the time to the first base behind a
# proxy that delays every request (a distant server).  docs/remote.md.
#
#   bench/remote.sh [ARCHIVE] [SAMPLE] [RANGE]
#     ARCHIVE  default /work/large/large.agc (10 haplotypes of ~70 Mbp)
#     SAMPLE   default: the 5th sample of the archive
#     RANGE    default: 30000000-30000999 of SAMPLE's first contig
#   RAGC=path/to/ragc   DELAY=0.05 (seconds a request waits at the proxy)
#
# Prints one line per query: requests, bytes sent by the server, bytes a
# local run reads (strace: the pread calls), and times.  Needs nginx,
# python3, strace.  Loopback only; the archive is served, never modified.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
RAGC=${RAGC:-$here/../ragc}
DELAY=${DELAY:-0.05}
archive=$(realpath "${1:-/work/large/large.agc}")
# shellcheck source=bench/http-server.bash
. "$here/http-server.bash"

tmp=$(mktemp -d)
mkdir -p "$tmp/www"
chmod 755 "$tmp" "$tmp/www"
ln -s "$archive" "$tmp/www/archive.agc"
cleanup() { http_proxy_stop "$tmp"; http_server_stop "$tmp"; rm -rf "$tmp"; }
trap cleanup EXIT
http_server_start "$tmp" "$tmp/www"
url=http://127.0.0.1:$HTTP_PORT/archive.agc
size=$(stat -L -c %s "$archive")

sample=${2:-$("$RAGC" listset "$archive" | sed -n 5p)}
contig=$("$RAGC" faidx "$archive" -s "$sample" | head -n 1 | cut -f 1)
range=${3:-30000000-30000999}

# local_bytes ARGS...: bytes the pread calls of a local run return
local_bytes() {
  strace -f -e trace=pread64 -o "$tmp/strace" "$RAGC" "$@" >/dev/null 2>&1
  grep -o '= [0-9]*$' "$tmp/strace" | awk '{ s += $2 } END { print s + 0 }'
}

# first_byte_time CMD...: seconds until CMD writes its first base (the
# first byte after a FASTA header line; for other output, its first byte),
# and in all
first_byte_time() {
  python3 - "$@" <<'PY'
import subprocess, sys, time
t0 = time.monotonic()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
first = p.stdout.read(1)
if first == b">":
    while p.stdout.read(1) not in (b"\n", b""):
        pass
    p.stdout.read(1)
t1 = time.monotonic()
while p.stdout.read(1 << 20):
    pass
p.wait()
t2 = time.monotonic()
print("%.3f %.3f %d" % (t1 - t0, t2 - t0, p.returncode))
PY
}

printf 'archive %s: %d bytes; sample %s; region %s; proxy delay %s s\n' \
  "$archive" "$size" "$sample" "$contig:$range" "$DELAY"
printf '%-14s %9s %12s %8s %12s %8s %9s %14s %12s\n' query requests bytes '%arch' local-bytes ratio time-s first-base-s round-trips

run_query() {
  local name=$1 t
  shift
  : >"$tmp/access.log"
  t=$( { /usr/bin/time -f %e "$RAGC" "${@/ARCHIVE/$url}" >/dev/null; } 2>&1 | tail -n 1)
  sleep 0.3
  local req bytes lb
  req=$(wc -l <"$tmp/access.log")
  bytes=$(awk '{ s += $5 } END { print s + 0 }' "$tmp/access.log")
  lb=$(local_bytes "${@/ARCHIVE/$archive}")
  # behind the delaying proxy
  local fb all rc
  read -r fb all rc < <(first_byte_time "$RAGC" "${@/ARCHIVE/http://127.0.0.1:$PROXY_PORT/archive.agc}")
  printf '%-14s %9d %12d %8.3f %12d %8.3f %9s %14s %12.1f\n' "$name" "$req" "$bytes" \
    "$(echo "100 * $bytes / $size" | bc -l)" "$lb" "$(echo "$bytes / ($lb + 1)" | bc -l)" "$t" \
    "$fb" "$(echo "$fb / $DELAY" | bc -l)"
}

http_proxy_start "$tmp" --delay "$DELAY"
run_query listset listset ARCHIVE
run_query region-1kb getctg ARCHIVE "$contig@$sample:$range"
run_query whole-sample getset ARCHIVE "$sample"
