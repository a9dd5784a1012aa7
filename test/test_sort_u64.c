/* test_sort_u64.c -- rg_sort_u64 and rg_sort_u64_threads (sort_u64.h)
   against qsort, the independent oracle: array sizes around the method's
   thresholds (insertion sort below 256 keys, 8- or 11-bit digits in a
   bucket below or from 4096 keys, threads from 2^20 keys) and key shapes
   that exercise its bucketing (the width of the largest key, equal
   digits, duplicates). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sort_u64.h"
#include "tap.h"

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t next(uint64_t *s)   /* xorshift64 */
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

enum { K_KMER, K_FULL, K_EQUAL, K_NIBBLE, K_HIGH, K_DUPS, N_KINDS };
static const char *const kind_name[N_KINDS] = { "62-bit k-mers", "full 64-bit", "all equal", "4-bit",
                                                "one byte at bits 40-47", "1000 values with bit 63" };

static uint64_t key(int kind, uint64_t r)
{
    switch (kind) {
    case K_KMER: return r >> 2;
    case K_FULL: return r;
    case K_EQUAL: return 7;
    case K_NIBBLE: return r & 0xF;
    case K_HIGH: return (r & 0xFF) << 40;
    default: return (r % 1000) | (1ULL << 63);
    }
}

/* Sorts n keys of a kind with `threads` threads; 1 if they match qsort's. */
static int sorts_like_qsort(int kind, size_t n, int threads, uint64_t *seed)
{
    uint64_t *a = malloc((n ? n : 1) * sizeof(uint64_t)), *b = malloc((n ? n : 1) * sizeof(uint64_t));
    if (!a || !b) {
        free(a);
        free(b);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        a[i] = b[i] = key(kind, next(seed));
    int r = threads ? rg_sort_u64_threads(a, n, threads) : rg_sort_u64(a, n);
    qsort(b, n, sizeof(uint64_t), cmp_u64);
    int same = r == 0 && (n == 0 || memcmp(a, b, n * sizeof(uint64_t)) == 0);
    free(a);
    free(b);
    return same;
}

int main(void)
{
    static const size_t sizes[] = { 0, 1, 2, 255, 256, 257, 4095, 4096, 4097, 70000 };
    enum { N_SIZES = sizeof(sizes) / sizeof(sizes[0]) };
    static const int big_threads[] = { 1, 2, 3 };
    tap_plan(N_KINDS * N_SIZES + N_KINDS * 3);
    uint64_t seed = 88172645463325252ULL;
    for (int kind = 0; kind < N_KINDS; kind++)
        for (int i = 0; i < N_SIZES; i++)
            tap_ok(sorts_like_qsort(kind, sizes[i], 0, &seed), "rg_sort_u64: %zu keys, %s", sizes[i],
                   kind_name[kind]);
    size_t big = ((size_t)1 << 20) + 5;   /* threads take part from 2^20 keys */
    for (int kind = 0; kind < N_KINDS; kind++)
        for (int t = 0; t < 3; t++)
            tap_ok(sorts_like_qsort(kind, big, big_threads[t], &seed), "rg_sort_u64_threads: %zu keys, %s, %d thread(s)",
                   big, kind_name[kind], big_threads[t]);
    return tap_done();
}
