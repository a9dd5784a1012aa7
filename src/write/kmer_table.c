/* kmer_table.c -- a compact sorted set of k-mers; see kmer_table.h. */
#include "kmer_table.h"

#include <stdlib.h>
#include <string.h>

#define ENTRY 6                          /* bytes an entry */
#define SHIFT (64 - RG_KMER_TABLE_TOP)   /* bits an entry holds */
#define LOW_MASK (((uint64_t)1 << SHIFT) - 1)

static uint64_t entry_at(const uint8_t *p)
{
    uint64_t x = 0;
    for (int i = ENTRY - 1; i >= 0; i--)
        x = (x << 8) | p[i];
    return x;
}

static void put_entry(uint8_t *p, uint64_t x)
{
    for (int i = 0; i < ENTRY; i++, x >>= 8)
        p[i] = (uint8_t)x;
}

int rg_kmer_table_make(rg_kmer_table *t, uint64_t *v, size_t n)
{
    size_t nb = (size_t)1 << RG_KMER_TABLE_TOP;
    memset(t, 0, sizeof(*t));
    if (!(t->start = calloc(nb + 1, sizeof(uint64_t)))) {
        free(v);
        return -1;
    }
    /* packed in place: entry i (6 bytes at 6i) ends before key i + 1
       (8 bytes at 8i + 8), so no key is overwritten before it is read */
    uint8_t *low = (uint8_t *)v;
    for (size_t i = 0; i < n; i++) {
        uint64_t x = v[i];
        t->start[(x >> SHIFT) + 1]++;
        put_entry(low + ENTRY * i, x & LOW_MASK);
    }
    for (size_t b = 0; b < nb; b++)
        t->start[b + 1] += t->start[b];
    t->n = n;
    if (!n) {
        free(v);
        return 0;
    }
    uint8_t *shrunk = realloc(low, ENTRY * n);   /* the last quarter goes */
    t->low = shrunk ? shrunk : low;
    return 0;
}

int rg_kmer_table_has(const rg_kmer_table *t, uint64_t x)
{
    if (!t->start)
        return 0;
    uint64_t b = x >> SHIFT, want = x & LOW_MASK;
    uint64_t lo = t->start[b], hi = t->start[b + 1];
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (entry_at(t->low + ENTRY * mid) < want)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < t->start[b + 1] && entry_at(t->low + ENTRY * lo) == want;
}

void rg_kmer_table_free(rg_kmer_table *t)
{
    free(t->start);
    free(t->low);
    memset(t, 0, sizeof(*t));
}
