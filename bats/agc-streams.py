#!/usr/bin/env python3
"""The container directory of an AGC archive (docs/agc-format.md section 3),
read independently of ragc, for the bats suites.

  agc-streams.py parts ARCHIVE [STREAM]
      one line per part: STREAM INDEX OFFSET PAYLOAD_START SIZE
      (OFFSET: the part's metadata avar; PAYLOAD_START: its first payload
      byte; SIZE: payload bytes), in directory order
  agc-streams.py digest ARCHIVE [--without STREAM]...
      one line per part, sorted by stream name: STREAM INDEX MD5 of the
      part's bytes (metadata avar and payload): two archives with the same
      digest hold the same streams, whatever their order in the file
  agc-streams.py rewrite ARCHIVE STREAM SPEC OUT
      writes ARCHIVE to OUT with STREAM changed by SPEC (parts are written
      in their file order, the directory after them, as agc does):
        none          nothing (OUT is then ARCHIVE byte for byte)
        drop          the stream left out of the directory
        empty:I       part I without payload (metadata 0)
        size:I:K      part I's payload cut to its first K bytes
        meta:I:V      part I's metadata set to V
        swap:I:J      parts I and J exchanged
        xor:I:P       payload byte P of part I inverted
        set00:I:P, setff:I:P   payload byte P of part I set to 0x00 / 0xFF
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


def put_avar(v):
    n = (v.bit_length() + 7) // 8
    return bytes([n]) + v.to_bytes(n, "big")


def rewrite(buf, streams, stream, spec):
    """The archive's bytes with stream changed by spec (see the usage)."""
    # every part as [stream, index, metadata, payload, file offset]
    parts = []
    for name, plist in streams:
        for i, (off, start, size) in enumerate(plist):
            meta, _ = avar(buf, off)
            parts.append([name, i, meta, buf[start:start + size], off])
    mine = {p[1]: p for p in parts if p[0] == stream}
    kind, *args = spec.split(":")
    args = [int(a) for a in args]
    if kind == "drop":
        parts = [p for p in parts if p[0] != stream]
    elif kind == "empty":
        mine[args[0]][2:4] = [0, b""]
    elif kind == "size":
        mine[args[0]][3] = mine[args[0]][3][:args[1]]
    elif kind == "meta":
        mine[args[0]][2] = args[1]
    elif kind == "swap":
        a, b = mine[args[0]], mine[args[1]]
        a[2:4], b[2:4] = b[2:4], a[2:4]
    elif kind in ("xor", "set00", "setff"):
        p = mine[args[0]]
        data = bytearray(p[3])
        data[args[1]] = data[args[1]] ^ 0xFF if kind == "xor" else (0 if kind == "set00" else 0xFF)
        p[3] = bytes(data)
    elif kind != "none":
        raise ValueError("unknown change " + spec)
    out = bytearray()
    where = {}
    for p in sorted(parts, key=lambda p: p[4]):
        where[(p[0], p[1])] = len(out)
        out += put_avar(p[2]) + p[3]
    d = bytearray()
    kept = [(n, pl) for n, pl in streams if not (kind == "drop" and n == stream)]
    d += put_avar(len(kept))
    for name, plist in kept:
        d += name.encode("latin-1") + b"\0" + put_avar(len(plist)) + put_avar(0)
        for i in range(len(plist)):
            p = next(q for q in parts if q[0] == name and q[1] == i)
            d += put_avar(where[(name, i)]) + put_avar(len(p[3]))
    return bytes(out + d + len(d).to_bytes(8, "little"))


def main(argv):
    if len(argv) < 3 or argv[1] not in ("parts", "digest", "rewrite"):
        sys.stderr.write(__doc__)
        return 2
    buf, streams = directory(argv[2])
    if argv[1] == "rewrite":
        if len(argv) != 6:
            sys.stderr.write(__doc__)
            return 2
        with open(argv[5], "wb") as f:
            f.write(rewrite(buf, streams, argv[3], argv[4]))
        return 0
    if argv[1] == "parts":
        want = argv[3] if len(argv) > 3 else None
        for name, parts in streams:
            if want is None or name == want:
                for i, (off, start, size) in enumerate(parts):
                    print(name, i, off, start, size)
        return 0
    without = set()   # --without STREAM, any number of times
    for i in range(3, len(argv) - 1):
        if argv[i] == "--without":
            without.add(argv[i + 1])
    for name, parts in sorted(streams):
        if name in without:
            continue
        for i, (off, start, size) in enumerate(parts):
            print(name, i, hashlib.md5(buf[off:start + size]).hexdigest())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
