/* bytes.c -- rg_bytes; see bytes.h. */
#include "bytes.h"

#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "ragc.h"
#include "varint.h"

int rg_bytes_reserve(rg_bytes *b, size_t extra)
{
    if (extra <= b->cap - b->len)
        return 0;
    if (extra > SIZE_MAX - b->len)
        return RAGC_ERR_NOMEM;
    uint8_t *s = rg_reserve(b->s, &b->cap, b->len + extra, 1, 256);
    if (!s)
        return RAGC_ERR_NOMEM;
    b->s = s;
    return 0;
}

int rg_bytes_append(rg_bytes *b, const void *p, size_t n)
{
    if (rg_bytes_reserve(b, n) < 0)
        return RAGC_ERR_NOMEM;
    if (n)
        memcpy(b->s + b->len, p, n);
    b->len += n;
    return 0;
}

void rg_bytes_free(rg_bytes *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

int rg_bytes_put_uvar(rg_bytes *b, uint64_t v)
{
    if (rg_bytes_reserve(b, 10) < 0)
        return RAGC_ERR_NOMEM;
    b->len += (size_t)rg_write_uvar(b->s + b->len, v);
    return 0;
}
