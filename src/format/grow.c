/* grow.c -- rg_reserve; see grow.h. */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>

void *rg_reserve(void *v, size_t *cap, size_t need, size_t elem_size, size_t min_cap)
{
    if (need <= *cap)
        return v;
    size_t max = SIZE_MAX / elem_size;
    if (need > max)
        return NULL;
    size_t nc = *cap ? *cap : (min_cap ? min_cap : 1);
    while (nc < need)
        nc = nc > max / 2 ? max : 2 * nc;   /* doubles, but never past what fits */
    void *p = realloc(v, nc * elem_size);
    if (!p)
        return NULL;
    *cap = nc;
    return p;
}
