/* test_kmer_table.c -- the compact k-mer set (kmer_table.h) against a
   binary search of the plain sorted array it is made from: every key is
   found, keys beside them and random probes are found exactly when the
   array has them; keys of 64 bits, of 62 bits left-aligned (agc's
   k-mers of k = 31) and of 34 bits right-aligned (all in bucket 0), with
   keys at both ends of the range and a run in one bucket. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kmer_table.h"
#include "sort_u64.h"
#include "tap.h"

static uint64_t next(uint64_t *s)   /* xorshift64 */
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int in_array(const uint64_t *v, size_t n, uint64_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == x;
}

/* n distinct keys of a shape, sorted: random ones, 0, the largest, and a
   run of neighbours (one bucket). */
static size_t make_keys(uint64_t *v, size_t n, uint64_t mask, uint64_t *seed)
{
    size_t m = 0;
    v[m++] = 0;
    v[m++] = mask;
    for (uint64_t d = 0; d < 100; d++)
        v[m++] = ((mask / 3) + (d << 2)) & mask;
    while (m < n)
        v[m++] = next(seed) & mask;
    rg_sort_u64(v, m);
    size_t o = 0;
    for (size_t i = 0; i < m; i++)
        if (o == 0 || v[o - 1] != v[i])
            v[o++] = v[i];
    return o;
}

/* 1 when the table of the keys answers as the array for every key, its
   neighbours and random probes. */
static int answers_like_array(uint64_t mask, size_t n, uint64_t *seed)
{
    uint64_t *v = malloc(n * sizeof(uint64_t)), *copy = malloc(n * sizeof(uint64_t));
    if (!v || !copy) {
        free(v);
        free(copy);
        return 0;
    }
    size_t m = make_keys(v, n, mask, seed);
    memcpy(copy, v, m * sizeof(uint64_t));
    rg_kmer_table t;
    if (rg_kmer_table_make(&t, v, m) < 0) {   /* takes v */
        free(copy);
        return 0;
    }
    int ok = t.n == m;
    for (size_t i = 0; ok && i < m; i++) {
        uint64_t x = copy[i];
        ok = rg_kmer_table_has(&t, x) && rg_kmer_table_has(&t, x + 1) == in_array(copy, m, x + 1)
             && rg_kmer_table_has(&t, x - 1) == in_array(copy, m, x - 1);
    }
    for (int i = 0; ok && i < 100000; i++) {
        uint64_t x = next(seed) & mask;
        ok = rg_kmer_table_has(&t, x) == in_array(copy, m, x) && rg_kmer_table_has(&t, ~x) == in_array(copy, m, ~x);
    }
    rg_kmer_table_free(&t);
    free(copy);
    return ok;
}

int main(void)
{
    static const uint64_t masks[] = { UINT64_MAX, UINT64_MAX << 2, ((uint64_t)1 << 34) - 1 };
    static const char *const shape[] = { "64-bit", "62-bit left-aligned", "34-bit" };
    static const size_t sizes[] = { 102, 1000, 300000 };
    tap_plan(3 * 3 + 1);
    uint64_t seed = 88172645463325252ULL;
    for (int w = 0; w < 3; w++)
        for (int s = 0; s < 3; s++)
            tap_ok(answers_like_array(masks[w], sizes[s], &seed), "%zu %s keys: members found, others not",
                   sizes[s], shape[w]);
    rg_kmer_table t;
    uint64_t *none = malloc(sizeof(uint64_t));
    tap_ok(rg_kmer_table_make(&t, none, 0) == 0 && !rg_kmer_table_has(&t, 0) && !rg_kmer_table_has(&t, 5),
           "an empty table holds nothing");
    rg_kmer_table_free(&t);
    return tap_done();
}
