/* kmer.h -- agc's canonical k-mers (k <= 32), 2 bits a base, left-aligned.

   The forward word holds the first (oldest) base in bits 63..62 and the
   newest at bits (65-2k)..(64-2k); the low 64-2k bits are zero.  The
   reverse-complement word is kept the same way.  The canonical value is
   min(forward, rc); "direct" means forward <= rc.  Only codes 0..3 enter a
   k-mer; a caller resets it on any other code.  These left-aligned values
   are what archives store (splitters, segment-splitters) and what is hashed. */
#ifndef RAGC_KMER_H
#define RAGC_KMER_H

#include <stdint.h>

#define RG_KMER_MISSING UINT64_MAX   /* "no k-mer"; never a k-mer value */

typedef struct {
    uint64_t fwd, rc;
    uint64_t mask;      /* the top 2k bits */
    uint32_t k, len;    /* len = bases since the last reset, capped at k */
} rg_kmer;

static inline void rg_kmer_init(rg_kmer *x, uint32_t k)
{
    x->k = k;
    x->mask = k >= 32 ? UINT64_MAX : ~(UINT64_MAX >> (2 * k));
    x->fwd = x->rc = 0;
    x->len = 0;
}

static inline void rg_kmer_reset(rg_kmer *x)
{
    x->fwd = x->rc = 0;
    x->len = 0;
}

/* Appends a base (code 0..3). */
static inline void rg_kmer_insert(rg_kmer *x, uint8_t code)
{
    x->fwd = ((x->fwd << 2) | ((uint64_t)code << (64 - 2 * x->k))) & x->mask;
    x->rc = ((x->rc >> 2) | ((uint64_t)(3 - code) << 62)) & x->mask;
    if (x->len < x->k)
        x->len++;
}

static inline int rg_kmer_full(const rg_kmer *x)
{
    return x->len == x->k;
}

static inline uint64_t rg_kmer_canonical(const rg_kmer *x)
{
    return x->fwd <= x->rc ? x->fwd : x->rc;
}

static inline int rg_kmer_is_dir(const rg_kmer *x)
{
    return x->fwd <= x->rc;
}

static inline void rg_kmer_swap(rg_kmer *x)
{
    uint64_t t = x->fwd;
    x->fwd = x->rc;
    x->rc = t;
}

/* MurmurHash3's fmix64, agc's MurMur64Hash. */
static inline uint64_t rg_murmur64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

#endif
