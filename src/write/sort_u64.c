/* sort_u64.c -- LSD radix sort of 64-bit keys; see sort_u64.h. */
#include "sort_u64.h"

#include <stdlib.h>
#include <string.h>

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int rg_sort_u64(uint64_t *v, size_t n)
{
    if (n < 256) {
        for (size_t i = 1; i < n; i++) {
            uint64_t x = v[i];
            size_t j = i;
            for (; j > 0 && v[j - 1] > x; j--)
                v[j] = v[j - 1];
            v[j] = x;
        }
        return 0;
    }
    uint64_t *tmp = malloc(n * sizeof(uint64_t));
    size_t *count = calloc(65536, sizeof(size_t));
    if (!tmp || !count) {
        free(tmp);
        free(count);
        qsort(v, n, sizeof(uint64_t), cmp_u64);
        return -1;
    }
    uint64_t *src = v, *dst = tmp;
    for (int shift = 0; shift < 64; shift += 16) {
        memset(count, 0, 65536 * sizeof(size_t));
        for (size_t i = 0; i < n; i++)
            count[(src[i] >> shift) & 0xFFFF]++;
        if (count[(src[0] >> shift) & 0xFFFF] == n)   /* one digit value: nothing moves */
            continue;
        size_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & 0xFFFF]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != v)
        memcpy(v, src, n * sizeof(uint64_t));
    free(tmp);
    free(count);
    return 0;
}
