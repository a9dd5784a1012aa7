#!/usr/bin/env bats
# Fault injection on every path that writes (issue 12 item 2): create,
# create from standard input, append, import (into an archive and a new
# one), getset -o (-t 1, -t 2, -g, --original), getcol -o DIR (and
# --original), faidx -o, each under
#   fsize   file size limits (prlimit --fsize: 0, 1000, 9000 bytes)
#   fullfs  a full file system (a 512 KiB tmpfs with 0, 4 and 12 KiB free;
#           root only: otherwise the shim's sticky ENOSPC, said on fd 3)
#   shim    an LD_PRELOAD library failing the Nth write (EIO), fsync (EIO),
#           rename (EIO) and close (EDQUOT), for every N up to the number of
#           such calls of a run without faults; and every write from the
#           last one on (ENOSPC)
#   pipe    standard output a pipe whose reader has gone (not import)
#   TERM    SIGTERM at 6 moments from a fixed seed (over a slow disk: the
#           shim sleeps 8 ms before each write, fsync, rename and close)
#   KILL    SIGKILL likewise
# and the outcome checked as fault-helpers.bash says: the target absent or
# the old file, the input archive intact, no temporary file (but after
# SIGKILL, which may leave one: listed on fd 3), exit 1..125 with
# "ragc CMD: ..." (a closed pipe: 141, silent, as samtools).
#
#   RAGC=$PWD/ragc RAGC_FAULTSHIM=$PWD/obj/faultshim.so bats bats/faults.bats

load fault-helpers

bats_require_minimum_version 1.5.0

setup_file() {
  fault_setup_file
}

setup() {
  fault_init
}

teardown() {
  fault_teardown
}

@test "faults: create, file size limit" { fault_fsize create; }
@test "faults: create, full file system" { fault_fullfs create; }
@test "faults: create, failing write/fsync/rename/close" { fault_shim create; }
@test "faults: create, closed pipe" { fault_pipe create; }
@test "faults: create, SIGTERM" { fault_signal create TERM; }
@test "faults: create, SIGKILL" { fault_signal create KILL; }

@test "faults: create from stdin, file size limit" { fault_fsize create-stdin; }
@test "faults: create from stdin, full file system" { fault_fullfs create-stdin; }
@test "faults: create from stdin, failing write/fsync/rename/close" { fault_shim create-stdin; }
@test "faults: create from stdin, closed pipe" { fault_pipe create-stdin; }
@test "faults: create from stdin, SIGTERM" { fault_signal create-stdin TERM; }
@test "faults: create from stdin, SIGKILL" { fault_signal create-stdin KILL; }

@test "faults: append, file size limit" { fault_fsize append; }
@test "faults: append, full file system" { fault_fullfs append; }
@test "faults: append, failing write/fsync/rename/close" { fault_shim append; }
@test "faults: append, closed pipe" { fault_pipe append; }
@test "faults: append, SIGTERM" { fault_signal append TERM; }
@test "faults: append, SIGKILL" { fault_signal append KILL; }

@test "faults: import, file size limit" { fault_fsize import; }
@test "faults: import, full file system" { fault_fullfs import; }
@test "faults: import, failing write/fsync/rename/close" { fault_shim import; }
@test "faults: import, SIGTERM" { fault_signal import TERM; }
@test "faults: import, SIGKILL" { fault_signal import KILL; }

@test "faults: import (new archive), file size limit" { fault_fsize import-new; }
@test "faults: import (new archive), full file system" { fault_fullfs import-new; }
@test "faults: import (new archive), failing write/fsync/rename/close" { fault_shim import-new; }
@test "faults: import (new archive), SIGTERM" { fault_signal import-new TERM; }
@test "faults: import (new archive), SIGKILL" { fault_signal import-new KILL; }

@test "faults: getset -o, file size limit" { fault_fsize getset; }
@test "faults: getset -o, full file system" { fault_fullfs getset; }
@test "faults: getset -o, failing write/fsync/rename/close" { fault_shim getset; }
@test "faults: getset, closed pipe" { fault_pipe getset; }
@test "faults: getset -o, SIGTERM" { fault_signal getset TERM; }
@test "faults: getset -o, SIGKILL" { fault_signal getset KILL; }

@test "faults: getset -t 1 -o, file size limit" { fault_fsize getset-t1; }
@test "faults: getset -t 1 -o, full file system" { fault_fullfs getset-t1; }
@test "faults: getset -t 1 -o, failing write/fsync/rename/close" { fault_shim getset-t1; }
@test "faults: getset -t 1, closed pipe" { fault_pipe getset-t1; }
@test "faults: getset -t 1 -o, SIGTERM" { fault_signal getset-t1 TERM; }
@test "faults: getset -t 1 -o, SIGKILL" { fault_signal getset-t1 KILL; }

@test "faults: getset -g -o, file size limit" { fault_fsize getset-gz; }
@test "faults: getset -g -o, full file system" { fault_fullfs getset-gz; }
@test "faults: getset -g -o, failing write/fsync/rename/close" { fault_shim getset-gz; }
@test "faults: getset -g, closed pipe" { fault_pipe getset-gz; }
@test "faults: getset -g -o, SIGTERM" { fault_signal getset-gz TERM; }
@test "faults: getset -g -o, SIGKILL" { fault_signal getset-gz KILL; }

@test "faults: getset --original -o, file size limit" { fault_fsize getset-original; }
@test "faults: getset --original -o, full file system" { fault_fullfs getset-original; }
@test "faults: getset --original -o, failing write/fsync/rename/close" { fault_shim getset-original; }
@test "faults: getset --original, closed pipe" { fault_pipe getset-original; }
@test "faults: getset --original -o, SIGTERM" { fault_signal getset-original TERM; }
@test "faults: getset --original -o, SIGKILL" { fault_signal getset-original KILL; }

@test "faults: getcol -o DIR, file size limit" { fault_fsize getcol; }
@test "faults: getcol -o DIR, full file system" { fault_fullfs getcol; }
@test "faults: getcol -o DIR, failing write/fsync/rename/close" { fault_shim getcol; }
@test "faults: getcol, closed pipe" { fault_pipe getcol; }
@test "faults: getcol -o DIR, SIGTERM" { fault_signal getcol TERM; }
@test "faults: getcol -o DIR, SIGKILL" { fault_signal getcol KILL; }

@test "faults: getcol --original -o DIR, file size limit" { fault_fsize getcol-original; }
@test "faults: getcol --original -o DIR, full file system" { fault_fullfs getcol-original; }
@test "faults: getcol --original -o DIR, failing write/fsync/rename/close" { fault_shim getcol-original; }
@test "faults: getcol --original, closed pipe" { fault_pipe getcol-original; }
@test "faults: getcol --original -o DIR, SIGTERM" { fault_signal getcol-original TERM; }
@test "faults: getcol --original -o DIR, SIGKILL" { fault_signal getcol-original KILL; }

@test "faults: faidx -o, file size limit" { fault_fsize faidx; }
@test "faults: faidx -o, full file system" { fault_fullfs faidx; }
@test "faults: faidx -o, failing write/fsync/rename/close" { fault_shim faidx; }
@test "faults: faidx, closed pipe" { fault_pipe faidx; }
@test "faults: faidx -o, SIGTERM" { fault_signal faidx TERM; }
@test "faults: faidx -o, SIGKILL" { fault_signal faidx KILL; }

# Targets that are not regular files are written in place (renaming over
# them would replace them with a regular file: as root, `-o /dev/null`
# replaced the system's /dev/null); a symbolic link is kept and the file it
# leads to replaced.
@test "faults: -o naming a device, a FIFO or a symbolic link keeps it" {
  local d=$T/special want=$T/want.fa
  mkdir -p "$d"
  expect_cat "${FNAMES[0]}" >"$want"
  if is_root && mknod "$d/null" c 1 3 2>/dev/null; then
    rr_ok getset -o "$d/null" "$ARC10" "${FNAMES[0]}"
    [[ -c $d/null ]] || fail "getset -o DEVICE replaced the device with: $(ls -l "$d/null")"
  else
    echo "# not root or no mknod: the device case is not run (the FIFO case is)" >&3
  fi
  mkfifo "$d/fifo"
  cat "$d/fifo" >"$T/from-fifo" &
  local reader=$!
  rr_ok getset -o "$d/fifo" "$ARC10" "${FNAMES[0]}"
  wait "$reader"
  [[ -p $d/fifo ]] || fail "getset -o FIFO replaced the FIFO with: $(ls -l "$d/fifo")"
  assert_same_file "$want" "$T/from-fifo" "what came through the FIFO"
  printf 'old\n' >"$d/real.fa"
  ln -s real.fa "$d/link.fa"
  rr_ok getset -o "$d/link.fa" "$ARC10" "${FNAMES[0]}"
  [[ -L $d/link.fa ]] || fail "getset -o LINK replaced the link with: $(ls -l "$d/link.fa")"
  assert_same_file "$want" "$d/real.fa" "the file the link leads to"
  no_litter "$d"
  # an archive through a link: the link stays, the archive behind it is new
  cp "$OLD" "$d/real.agc"
  ln -s real.agc "$d/link.agc"
  rr_ok import "$d/link.agc" "${FIN[3]}"
  [[ -L $d/link.agc ]] || fail "import through a link replaced the link"
  rr_ok listset "$d/real.agc"
  [[ $(wc -l <"$OUT") == 4 ]] || fail "import through a link: $(wc -l <"$OUT") samples, want 4"
  no_litter "$d"
}
