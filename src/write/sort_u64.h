/* sort_u64.h -- sorting arrays of 64-bit keys (k-mers) quickly. */
#ifndef RAGC_SORT_U64_H
#define RAGC_SORT_U64_H

#include <stddef.h>
#include <stdint.h>

/* Sorts v[0..n) ascending: a radix sort (the keys dealt into buckets by
   their top bits, each bucket sorted by LSD passes, passes over constant
   digits skipped) for large arrays, insertion sort for tiny ones.
   Returns 0, or -1 if a scratch buffer (the size of a bucket) cannot be
   allocated (v is then sorted with qsort instead, so it is sorted either
   way). */
int rg_sort_u64(uint64_t *v, size_t n);
/* The same with up to `threads` threads (at most RG_SORT_MAX_THREADS) for
   arrays of a million keys or more. */
#define RG_SORT_MAX_THREADS 64
int rg_sort_u64_threads(uint64_t *v, size_t n, int threads);

#endif
