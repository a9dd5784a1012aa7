/* sort_u64.c -- radix sort of 64-bit keys; see sort_u64.h.

   One pass over the whole array deals the keys, in place, into 256
   buckets by their top 8 significant bits; each bucket, a small fraction
   of the array that stays in the core's cache, is then sorted by LSD
   passes over the bits below, with a scratch buffer of its size (no
   second array of the whole size: the peak of create -a was there).  A 16-bit LSD sort of the whole array (the former method) writes
   to 65536 places at once on every pass, out of cache and TLB reach: the
   5 M k-mers of a senterica reference (adaptive mode) took 0.46 s of a
   single thread, about a fifth of `create -a` of senterica-10. */
#include "sort_u64.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define TOP_BITS 8
#define MAX_PASSES 7   /* LSD passes: at most 64 - TOP_BITS bits, 8 a pass */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void insertion_sort(uint64_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Counters of the LSD passes: up to MAX_PASSES digits of up to 11 bits. */
typedef struct {
    size_t count[MAX_PASSES][1 << 11];
} lsd_counts;

/* Sorts v[0, n) by its low `bits` bits (the bits above are equal), with
   tmp[0, n) as scratch; 11-bit digits for large buckets (fewer passes),
   8-bit ones for small buckets (fewer counters to clear). */
static void lsd_sort(uint64_t *v, uint64_t *tmp, size_t n, unsigned bits, lsd_counts *k)
{
    if (n <= 64) {
        insertion_sort(v, n);
        return;
    }
    unsigned digit = n >= 4096 ? 11 : 8, passes = (bits + digit - 1) / digit;
    size_t mask = ((size_t)1 << digit) - 1;
    for (unsigned p = 0; p < passes; p++)
        memset(k->count[p], 0, (mask + 1) * sizeof(size_t));
    for (size_t i = 0; i < n; i++)
        for (unsigned p = 0; p < passes; p++)
            k->count[p][(v[i] >> (digit * p)) & mask]++;
    uint64_t *src = v, *dst = tmp;
    for (unsigned p = 0; p < passes; p++) {
        size_t *c = k->count[p], sum = 0;
        unsigned shift = digit * p;
        if (c[(src[0] >> shift) & mask] == n)   /* one digit value: nothing moves */
            continue;
        for (size_t d = 0; d <= mask; d++) {
            size_t t = c[d];
            c[d] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++)
            dst[c[(src[i] >> shift) & mask]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != v)
        memcpy(v, src, n * sizeof(uint64_t));
}

/* The number of significant bits of the largest key. */
static unsigned key_width(const uint64_t *v, size_t n)
{
    uint64_t all = 0;
    for (size_t i = 0; i < n; i++)
        all |= v[i];
    unsigned w = 0;
    while (w < 64 && (all >> w))
        w++;
    return w;
}

/* Buckets [from, to) of a sort, on one thread. */
typedef struct {
    uint64_t *v;
    const size_t *start;
    size_t from, to;
    unsigned low;
    int failed;
} bucket_range;

/* Sorts each bucket of the range in place, with a scratch buffer as large
   as its largest bucket. */
static void *sort_buckets(void *arg)
{
    bucket_range *r = arg;
    size_t most = 0;
    for (size_t b = r->from; b < r->to; b++)
        if (r->start[b + 1] - r->start[b] > most)
            most = r->start[b + 1] - r->start[b];
    lsd_counts *k = malloc(sizeof(*k));
    uint64_t *tmp = malloc((most ? most : 1) * sizeof(uint64_t));
    if (!k || !tmp)
        r->failed = 1;
    for (size_t b = r->from; !r->failed && b < r->to; b++)
        lsd_sort(r->v + r->start[b], tmp, r->start[b + 1] - r->start[b], r->low, k);
    free(tmp);
    free(k);
    return NULL;
}

/* The buckets sorted by `threads` threads (the caller one of them), in
   ranges of about equal numbers of keys; -1 if a thread's memory could not
   be had (its buckets are then left unsorted). */
static int sort_all_buckets(uint64_t *v, const size_t *start, size_t nb, unsigned low, int threads)
{
    bucket_range r[RG_SORT_MAX_THREADS];
    pthread_t tid[RG_SORT_MAX_THREADS];
    int started[RG_SORT_MAX_THREADS] = { 0 };
    size_t n = start[nb], b = 0;
    for (int t = 0; t < threads; t++) {
        size_t from = b, until = n / (size_t)threads * (size_t)(t + 1);
        while (b < nb && (t == threads - 1 || start[b] < until))
            b++;
        r[t] = (bucket_range){ v, start, from, b, low, 0 };
    }
    for (int t = 1; t < threads; t++)
        started[t] = pthread_create(&tid[t], NULL, sort_buckets, &r[t]) == 0;
    int failed = 0;
    for (int t = 1; t < threads; t++)
        if (!started[t])
            sort_buckets(&r[t]);   /* no thread: this one does it */
    sort_buckets(&r[0]);
    for (int t = 0; t < threads; t++) {
        if (t > 0 && started[t])
            pthread_join(tid[t], NULL);
        failed |= r[t].failed;
    }
    return failed ? -1 : 0;
}

/* Deals v into its buckets by the bits from `low` up, in place (American
   flag sort: each key is swapped straight into the next free place of its
   bucket); start gets the buckets' bounds. */
static void deal(uint64_t *v, size_t n, unsigned low, size_t nb, size_t *start)
{
    size_t next[1 << TOP_BITS];
    memset(start, 0, (nb + 1) * sizeof(size_t));
    for (size_t i = 0; i < n; i++)
        start[(v[i] >> low) + 1]++;
    for (size_t b = 0; b < nb; b++)
        start[b + 1] += start[b];
    memcpy(next, start, nb * sizeof(size_t));
    for (size_t b = 0; b < nb; b++)
        while (next[b] < start[b + 1]) {
            uint64_t x = v[next[b]];
            size_t d = (size_t)(x >> low);
            while (d != b) {   /* x's place is in bucket d: put it there, take what was there */
                uint64_t y = v[next[d]];
                v[next[d]++] = x;
                x = y;
                d = (size_t)(x >> low);
            }
            v[next[b]++] = x;
        }
}

int rg_sort_u64_threads(uint64_t *v, size_t n, int threads)
{
    if (n < 256) {
        insertion_sort(v, n);
        return 0;
    }
    if (threads < 1 || n < ((size_t)1 << 20))   /* threads pay off for millions of keys */
        threads = 1;
    if (threads > RG_SORT_MAX_THREADS)
        threads = RG_SORT_MAX_THREADS;
    unsigned width = key_width(v, n);
    unsigned top = width < TOP_BITS ? width : TOP_BITS, low = width - top;
    size_t nb = (size_t)1 << top, start[(1 << TOP_BITS) + 1];
    deal(v, n, low, nb, start);
    if (sort_all_buckets(v, start, nb, low, threads) == 0)
        return 0;
    qsort(v, n, sizeof(uint64_t), cmp_u64);
    return -1;
}

int rg_sort_u64(uint64_t *v, size_t n)
{
    return rg_sort_u64_threads(v, n, 1);
}
