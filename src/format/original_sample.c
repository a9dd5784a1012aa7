/* original_sample.c -- the in-memory description of a sample's original
   form (original.h): freeing, clearing, access. */
#include <stdlib.h>
#include <string.h>

#include "original.h"

void rg_orig_sample_free(rg_orig_sample *s)
{
    if (!s)
        return;
    free(s->bytes);
    free(s->rec);
    free(s->lines);
    free(s->eols);
    free(s->lower);
    free(s->exc);
    free(s->ins);
    memset(s, 0, sizeof *s);
}

void rg_orig_sample_clear(rg_orig_sample *s)
{
    s->n_bytes = s->preamble_len = 0;
    s->n_rec = s->n_lines = s->n_eols = 0;
    s->n_lower = s->n_exc = s->n_ins = 0;
}

const uint8_t *rg_orig_record_header(const rg_orig_sample *s, size_t i, size_t *len)
{
    if (!s || i >= s->n_rec || !s->rec[i].has_header) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (len)
        *len = s->rec[i].header_len;
    /* a kept header may be empty while bytes is still NULL */
    static const uint8_t none[1];
    return s->bytes ? s->bytes + s->rec[i].header_at : none;
}
