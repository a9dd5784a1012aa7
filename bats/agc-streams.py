#!/usr/bin/env python3
"""The container directory of an AGC archive (docs/agc-format.md section 3),
read independently of ragc, for the bats suites.

  agc-streams.py parts ARCHIVE [STREAM]
      one line per part: STREAM INDEX OFFSET PAYLOAD_START SIZE
      (OFFSET: the part's metadata avar; PAYLOAD_START: its first payload
      byte; SIZE: payload bytes), in directory order
  agc-streams.py digest ARCHIVE [--without STREAM]
      one line per part, sorted by stream name: STREAM INDEX MD5 of the
      part's bytes (metadata avar and payload): two archives with the same
      digest hold the same streams, whatever their order in the file
"""
import hashlib
import sys


def avar(buf, pos):
    n = buf[pos]
    if n > 8:
        raise ValueError("avar of %d bytes at %d" % (n, pos))
    return int.from_bytes(buf[pos + 1:pos + 1 + n], "big"), pos + 1 + n


def directory(path):
    with open(path, "rb") as f:
        buf = f.read()
    dsize = int.from_bytes(buf[-8:], "little")
    pos = len(buf) - 8 - dsize
    if dsize <= 0 or pos < 0:
        raise ValueError("%s: bad trailer" % path)
    n_streams, pos = avar(buf, pos)
    streams = []
    for _ in range(n_streams):
        end = buf.index(b"\0", pos)
        name = buf[pos:end].decode("latin-1")
        pos = end + 1
        n_parts, pos = avar(buf, pos)
        _raw, pos = avar(buf, pos)
        parts = []
        for _ in range(n_parts):
            off, pos = avar(buf, pos)
            size, pos = avar(buf, pos)
            meta_len = 1 + buf[off]
            parts.append((off, off + meta_len, size))
        streams.append((name, parts))
    return buf, streams


def main(argv):
    if len(argv) < 3 or argv[1] not in ("parts", "digest"):
        sys.stderr.write(__doc__)
        return 2
    buf, streams = directory(argv[2])
    if argv[1] == "parts":
        want = argv[3] if len(argv) > 3 else None
        for name, parts in streams:
            if want is None or name == want:
                for i, (off, start, size) in enumerate(parts):
                    print(name, i, off, start, size)
        return 0
    without = argv[4] if len(argv) > 4 and argv[3] == "--without" else None
    for name, parts in sorted(streams):
        if name == without:
            continue
        for i, (off, start, size) in enumerate(parts):
            print(name, i, hashlib.md5(buf[off:start + size]).hexdigest())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
