#!/usr/bin/env python3
"""Synthetic inputs for the scale tests (bench/scale.sh, bats/scale.bats).

Every output is a function of the arguments only (a seeded generator), so a
run can be repeated and its figures compared.  The FASTA written is in the
layout `ragc getset`/`getcol` print (upper case, full lines of WIDTH bases),
so what ragc prints back must equal these files byte for byte.

  simulate.py genomes BASE.fa OUTDIR N SEED [WIDTH]
      N genomes OUTDIR/simNNNNN.fa, each BASE's first record with about one
      SNP per 1000 bases and up to 3 short indels, all independent
  simulate.py contigs OUT.fa N SEED [WIDTH]
      one sample of N contigs ctgNNNNNNN of 100-300 random bases
  simulate.py longnames OUT.fa N NAMELEN SEED [WIDTH]
      N contigs whose names are NAMELEN bytes (distinct, no whitespace)
  simulate.py long REF.fa LONG.fa BLOCK COPIES SEED
      REF: one contig of BLOCK random bases; LONG: one contig of COPIES
      copies of it, each with a few SNPs (BLOCK a multiple of 64; lines of
      64 bases, so base p is at byte len(header) + p + p // 64)
"""
import gzip
import os
import random
import sys

BASES = b"ACGT"
# 256 byte values -> A C G T, evenly
TO_ACGT = bytes.maketrans(bytes(range(256)), BASES * 64)


def random_bases(rng, n):
    return rng.randbytes(n).translate(TO_ACGT)


def wrap(seq, width):
    return b"".join(seq[i:i + width] + b"\n" for i in range(0, len(seq), width))


def read_first_record(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        seq = []
        seen = False
        for line in f:
            if line.startswith(b">"):
                if seen:
                    break
                seen = True
                continue
            seq.append(line.strip())
    return b"".join(seq).upper()


def mutate(rng, seq):
    s = bytearray(seq)
    for _ in range(max(1, len(s) // 1000)):
        p = rng.randrange(len(s))
        s[p] = BASES[(BASES.index(s[p]) + rng.randrange(1, 4)) % 4] if s[p] in BASES else BASES[0]
    for _ in range(rng.randrange(4)):
        p = rng.randrange(len(s))
        if rng.random() < 0.5:
            del s[p:p + rng.randrange(1, 10)]
        else:
            s[p:p] = random_bases(rng, rng.randrange(1, 10))
    return bytes(s)


def genomes(base, outdir, n, seed, width=80):
    root = read_first_record(base)
    os.makedirs(outdir, exist_ok=True)
    for i in range(1, n + 1):
        rng = random.Random(seed * 1000003 + i)
        name = "sim%05d" % i
        with open(os.path.join(outdir, name + ".fa"), "wb") as f:
            f.write(b">" + name.encode() + b"\n" + wrap(mutate(rng, root), width))


def contigs(out, n, seed, width=80):
    rng = random.Random(seed)
    with open(out, "wb") as f:
        for i in range(1, n + 1):
            seq = random_bases(rng, rng.randrange(100, 301))
            f.write(b">ctg%07d\n" % i + wrap(seq, width))


def longnames(out, n, namelen, seed, width=80):
    rng = random.Random(seed)
    with open(out, "wb") as f:
        for i in range(1, n + 1):
            prefix = b"long%d_" % i
            body = bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz0123456789_.|")
                         for _ in range(namelen - len(prefix)))
            f.write(b">" + prefix + body + b"\n" + wrap(random_bases(rng, 500 + 100 * i), width))


def long_contig(ref, out, block, copies, seed):
    assert block % 64 == 0
    rng = random.Random(seed)
    root = random_bases(rng, block)
    with open(ref, "wb") as f:
        f.write(b">ref\n" + wrap(root, 64))
    with open(out, "wb") as f:
        f.write(b">long\n")
        for _ in range(copies):
            s = bytearray(root)
            for _ in range(8):
                p = rng.randrange(block)
                s[p] = BASES[(BASES.index(s[p]) + 1) % 4]
            f.write(wrap(bytes(s), 64))


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "genomes":
        genomes(args[0], args[1], int(args[2]), int(args[3]), *(int(a) for a in args[4:]))
    elif cmd == "contigs":
        contigs(args[0], int(args[1]), int(args[2]), *(int(a) for a in args[3:]))
    elif cmd == "longnames":
        longnames(args[0], int(args[1]), int(args[2]), int(args[3]), *(int(a) for a in args[4:]))
    elif cmd == "long":
        long_contig(args[0], args[1], int(args[2]), int(args[3]), int(args[4]))
    else:
        sys.exit("simulate.py: unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
