/* original_internal.h -- growth helpers shared by the builder and the
   decoder of original.h (not part of the API). */
#ifndef RAGC_ORIGINAL_INTERNAL_H
#define RAGC_ORIGINAL_INTERNAL_H

#include <string.h>

#include "grow.h"
#include "original.h"
#include "ragc.h"

static inline int rg_orig_put_bytes(rg_orig_sample *s, const void *p, size_t n)
{
    if (n == 0)
        return 0;
    if (n > SIZE_MAX / 4 - s->n_bytes)
        return RAGC_ERR_NOMEM;
    if (s->n_bytes + n > s->cap_bytes) {
        uint8_t *b = rg_reserve(s->bytes, &s->cap_bytes, s->n_bytes + n, 1, 256);
        if (!b)
            return RAGC_ERR_NOMEM;
        s->bytes = b;
    }
    memcpy(s->bytes + s->n_bytes, p, n);
    s->n_bytes += n;
    return 0;
}

static inline int rg_orig_push_run(rg_orig_run **v, size_t *n, size_t *cap, uint64_t pos,
                                   uint64_t len, uint8_t byte)
{
    int fail = 0;
    RG_GROW(*v, *n, *cap, 64, fail = 1);
    if (fail)
        return RAGC_ERR_NOMEM;
    (*v)[*n].pos = pos;
    (*v)[*n].len = len;
    (*v)[*n].byte = byte;
    (*n)++;
    return 0;
}

static inline int rg_orig_push_lines(rg_orig_sample *s, uint64_t len, uint64_t count)
{
    int fail = 0;
    RG_GROW(s->lines, s->n_lines, s->cap_lines, 16, fail = 1);
    if (fail)
        return RAGC_ERR_NOMEM;
    s->lines[s->n_lines].len = len;
    s->lines[s->n_lines].count = count;
    s->n_lines++;
    return 0;
}

static inline int rg_orig_push_eols(rg_orig_sample *s, uint8_t eol, uint64_t count)
{
    int fail = 0;
    RG_GROW(s->eols, s->n_eols, s->cap_eols, 16, fail = 1);
    if (fail)
        return RAGC_ERR_NOMEM;
    s->eols[s->n_eols].eol = eol;
    s->eols[s->n_eols].count = count;
    s->n_eols++;
    return 0;
}

/* A new zeroed record whose arrays start at the current ends; NULL if out
   of memory. */
static inline rg_orig_record *rg_orig_push_record(rg_orig_sample *s)
{
    int fail = 0;
    RG_GROW(s->rec, s->n_rec, s->cap_rec, 16, fail = 1);
    if (fail)
        return NULL;
    rg_orig_record *r = &s->rec[s->n_rec++];
    memset(r, 0, sizeof *r);
    r->header_at = s->n_bytes;
    r->lines_at = s->n_lines;
    r->eols_at = s->n_eols;
    r->lower_at = s->n_lower;
    r->exc_at = s->n_exc;
    r->ins_at = s->n_ins;
    return r;
}

#endif
