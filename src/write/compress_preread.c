/* compress_preread.c -- the reference file (the first input of a create)
   read once: its codes give the splitters (stage 2), and its records then
   become the first sample without a second read (stage 4).  Reading it
   twice cost the chrX set 0.25 s of one thread while the other idled. */
#include <stdlib.h>
#include <string.h>

#include <htslib/kstring.h>

#include "compress_internal.h"
#include "fasta_in.h"

/* Record i's exception runs, copied (the reader's are valid until its next
   call). */
static int keep_exceptions(rg_preread *p, size_t i)
{
    const rg_orig_run *runs;
    size_t n;
    rg_fasta_in_exceptions(p->in, &runs, &n);
    p->exc[i] = NULL;
    p->n_exc[i] = 0;
    if (!n)
        return RAGC_OK;
    if (!(p->exc[i] = malloc(n * sizeof(*runs))))
        return RAGC_ERR_NOMEM;
    memcpy(p->exc[i], runs, n * sizeof(*runs));
    p->n_exc[i] = n;
    return RAGC_OK;
}

/* Room for record n_rec (and the end offset after it). */
static int grow_records(rg_preread *p, size_t *cap)
{
    if (p->n_rec + 2 <= *cap)
        return RAGC_OK;
    size_t nc = *cap ? *cap * 2 : 64;
    char **names = realloc(p->names, nc * sizeof(*names));
    if (names)
        p->names = names;
    size_t *starts = realloc(p->starts, nc * sizeof(*starts));
    if (starts)
        p->starts = starts;
    rg_orig_run **exc = realloc(p->exc, nc * sizeof(*exc));
    if (exc)
        p->exc = exc;
    size_t *n_exc = realloc(p->n_exc, nc * sizeof(*n_exc));
    if (n_exc)
        p->n_exc = n_exc;
    if (!names || !starts || !exc || !n_exc)
        return RAGC_ERR_NOMEM;
    *cap = nc;
    return RAGC_OK;
}

/* The record whose header line is in header: its stored name, codes and
   exception runs. */
static int read_record(const rg_compressor *c, const char *path, rg_preread *p, kstring_t *header)
{
    int r = rg_record_name(c, path, p->n_rec, (uint32_t)p->n_rec, header);
    if (r < 0)
        return r;
    size_t i = p->n_rec;
    p->starts[i] = p->codes.len;
    p->exc[i] = NULL;
    p->n_exc[i] = 0;
    if (!(p->names[i] = strdup(header->s)))
        return RAGC_ERR_NOMEM;
    p->n_rec++;   /* from here on rg_preread_free frees the record */
    if ((r = rg_fasta_in_sequence(p->in, p->names[i], strlen(p->names[i]), &p->codes)) < 0)
        return r;
    p->starts[i + 1] = p->codes.len;
    return keep_exceptions(p, i);
}

int rg_preread_file(const rg_compressor *c, const char *path, rg_preread *p)
{
    memset(p, 0, sizeof(*p));
    if (!(p->in = rg_fasta_in_open_mode(path, c->keep_original)))
        return RAGC_ERR_IO;
    kstring_t header = { 0, 0, NULL };
    size_t cap = 0;
    int r = grow_records(p, &cap);
    while (r == RAGC_OK) {
        int got = rg_fasta_in_header(p->in, &header);
        if (got <= 0) {
            r = got;
            break;
        }
        if ((r = grow_records(p, &cap)) == RAGC_OK)
            r = read_record(c, path, p, &header);
    }
    free(header.s);
    if (r == RAGC_OK)
        p->starts[p->n_rec] = p->codes.len;
    return r;
}

void rg_preread_free(rg_preread *p)
{
    if (p->in)
        rg_fasta_in_close(p->in);
    for (size_t i = 0; i < p->n_rec; i++) {
        free(p->names[i]);
        free(p->exc[i]);
    }
    free(p->names);
    free(p->starts);
    free(p->exc);
    free(p->n_exc);
    rg_bytes_free(&p->codes);
    memset(p, 0, sizeof(*p));
}
