/* ext_stream.c -- writing an extension stream of per-sample blobs (see
   ext_stream.h and original_store.h). */
#include "ext_stream.h"

#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "archive.h"
#include "grow.h"
#include "original_store.h"
#include "ragc.h"

void rg_ext_init(rg_ext_stream *x, const char *name, int use_prefix)
{
    memset(x, 0, sizeof(*x));
    x->name = name;
    x->use_prefix = use_prefix;
}

void rg_ext_free(rg_ext_stream *x)
{
    for (size_t i = 0; i < x->n_parts; i++)
        free(x->parts[i].data);
    free(x->parts);
    free(x->counts);
    free(x->sizes);
    rg_bytes_free(&x->open);
    rg_bytes_free(&x->prefix);
    ZSTD_freeCCtx(x->cctx);
    rg_ext_init(x, x->name, x->use_prefix);
}

/* Appends a packed batch of n samples. */
static int push_batch(rg_ext_stream *x, const rg_ext_part *p, uint64_t n)
{
    int r = RAGC_OK;
    RG_GROW(x->parts, x->n_parts + 1, x->cap_parts, 16, r = RAGC_ERR_NOMEM);
    if (r == RAGC_OK)
        RG_GROW(x->counts, x->n_parts + 1, x->cap_counts, 16, r = RAGC_ERR_NOMEM);
    if (r < 0)
        return r;
    x->parts[x->n_parts] = *p;
    x->counts[x->n_parts++] = n;
    return RAGC_OK;
}

static int pack(rg_ext_stream *x, const uint8_t *content, size_t len, int with_prefix, rg_ext_part *p)
{
    if (!x->cctx && !(x->cctx = ZSTD_createCCtx()))
        return RAGC_ERR_NOMEM;
    with_prefix = with_prefix && x->use_prefix && x->prefix.len;
    return rg_orig_pack(x->cctx, content, len, with_prefix ? x->prefix.s : NULL,
                        with_prefix ? x->prefix.len : 0, &p->data, &p->len, &p->meta);
}

/* Packs the open batch (the first one without prefix) and empties it. */
static int close_batch(rg_ext_stream *x)
{
    if (x->n_open == 0)
        return RAGC_OK;
    rg_bytes content = { 0 };
    rg_ext_part p = { 0 };
    int r = rg_orig_batch_encode(x->sizes, x->n_open, x->open.s, x->open.len, &content);
    if (r == RAGC_OK && content.len > RG_ORIG_MAX_PART) {
        hts_log_error("%s: %zu samples' data too large to store (%zu bytes)", x->name, x->n_open, content.len);
        r = RAGC_ERR_INPUT;
    }
    if (r == RAGC_OK)
        r = pack(x, content.s, content.len, x->n_parts > 0, &p);
    if (r == RAGC_OK && (r = push_batch(x, &p, x->n_open)) < 0)
        free(p.data);
    rg_bytes_free(&content);
    x->n_open = 0;
    x->open.len = 0;
    return r;
}

/* Adds a blob (len 0: none) for the next sample of the open batch. */
static int add_blob(rg_ext_stream *x, const uint8_t *blob, size_t len)
{
    int r = RAGC_OK;
    RG_GROW(x->sizes, x->n_open + 1, x->cap_open, 64, r = RAGC_ERR_NOMEM);
    if (r == RAGC_OK)
        r = rg_bytes_append(&x->open, blob, len);
    if (r < 0)
        return r;
    x->sizes[x->n_open++] = len;
    x->next++;
    if (x->n_open >= RG_ORIG_BATCH_SAMPLES || x->open.len >= RG_ORIG_BATCH_BYTES)
        r = close_batch(x);
    return r;
}

int rg_ext_store(rg_ext_stream *x, uint64_t sample, const uint8_t *blob, size_t len)
{
    if (sample < x->next || len == 0) {
        hts_log_error("internal error: %s data of sample %llu out of order or empty", x->name,
                      (unsigned long long)sample);
        return RAGC_ERR_ARG;
    }
    int r = RAGC_OK;
    while (r == RAGC_OK && x->next < sample)   /* samples without data */
        r = add_blob(x, NULL, 0);
    if (r == RAGC_OK && sample == 0) {   /* the prefix of every later batch */
        x->prefix.len = 0;
        r = rg_bytes_append(&x->prefix, blob, len);
    }
    return r == RAGC_OK ? add_blob(x, blob, len) : r;
}

/* Reads and unpacks part i of the input's stream (content NULL: only read). */
static int read_part(ragc_archive *in, int stream, uint64_t i, rg_ext_part *p, rg_bytes *content)
{
    int r = rg_container_read_part(&in->ctr, stream, i, &p->data, &p->len, &p->meta);
    if (r == RAGC_OK && content) {
        ZSTD_DCtx *d = ZSTD_createDCtx();
        r = d ? rg_orig_unpack(d, p->data, p->len, p->meta, NULL, 0, content) : RAGC_ERR_NOMEM;
        ZSTD_freeDCtx(d);
    }
    return r;
}

/* The input's sample 0 blob, from its first batch. */
static int load_prefix(rg_ext_stream *x, ragc_archive *in, int stream, uint64_t n0)
{
    rg_ext_part p = { 0 };
    rg_bytes content = { 0 };
    const uint8_t *blob;
    size_t len;
    int r = read_part(in, stream, 0, &p, &content);
    if (r == RAGC_OK)
        r = rg_orig_batch_blob(content.s, content.len, n0, 0, &blob, &len);
    if (r == RAGC_OK)
        r = rg_bytes_append(&x->prefix, blob, len);
    free(p.data);
    rg_bytes_free(&content);
    return r;
}

int rg_ext_from_archive(rg_ext_stream *x, ragc_archive *in)
{
    int stream = rg_container_find(&in->ctr, x->name);
    if (stream < 0 || in->ctr.streams[stream].n_parts == 0)
        return RAGC_OK;   /* agc's archive: its samples have none */
    uint64_t n_parts = in->ctr.streams[stream].n_parts, *counts = NULL, total = 0;
    size_t n_batches = 0;
    rg_ext_part ix = { 0 };
    rg_bytes content = { 0 };
    int r = read_part(in, stream, n_parts - 1, &ix, &content);
    if (r == RAGC_OK)
        r = rg_orig_index_decode(content.s, content.len, &counts, &n_batches);
    for (size_t b = 0; r == RAGC_OK && b < n_batches; b++)
        total += counts[b];
    if (r == RAGC_OK && (n_batches != n_parts - 1 || total > in->col.n_samples)) {
        hts_log_error("the archive appended to: its %s stream does not match its samples", x->name);
        r = RAGC_ERR_FORMAT;
    }
    for (size_t b = 0; r == RAGC_OK && b < n_batches; b++) {
        rg_ext_part p = { 0 };
        r = read_part(in, stream, b, &p, NULL);
        if (r == RAGC_OK && (r = push_batch(x, &p, counts[b])) < 0)
            free(p.data);
    }
    if (r == RAGC_OK && n_batches && x->use_prefix)
        r = load_prefix(x, in, stream, counts[0]);
    x->next = total;
    free(ix.data);
    free(counts);
    rg_bytes_free(&content);
    return r;
}

int rg_ext_write(rg_ext_stream *x, rg_container_writer *w)
{
    int r = close_batch(x);
    if (r < 0 || x->n_parts == 0)
        return r;   /* no sample has data: agc's streams only */
    int s = rg_cw_register(w, x->name);
    if (s < 0)
        return RAGC_ERR_NOMEM;
    for (size_t b = 0; r == RAGC_OK && b < x->n_parts; b++)
        r = rg_cw_add_part(w, s, x->parts[b].data, x->parts[b].len, x->parts[b].meta);
    rg_bytes index = { 0 };
    rg_ext_part p = { 0 };
    if (r == RAGC_OK)
        r = rg_orig_index_encode(x->counts, x->n_parts, &index);
    if (r == RAGC_OK)
        r = pack(x, index.s, index.len, 0, &p);
    if (r == RAGC_OK)
        r = rg_cw_add_part(w, s, p.data, p.len, p.meta);
    free(p.data);
    rg_bytes_free(&index);
    return r;
}
