/* compress_original.c -- the samples' original forms in the archive
   (docs/lossless.md section 7, original_store.h): each sample's blob joins
   the open batch as its file ends; a full batch is packed at once; the
   packed batches stay in memory (bytes to kilobytes per sample) and are
   written at close, with the index, as the extension stream RG_ORIG_STREAM.
   Append keeps the input archive's batches as they are (agc's own append
   would drop the stream) and continues with new batches packed against the
   same prefix, the blob of sample 0. */
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "archive.h"
#include "compress_internal.h"
#include "grow.h"
#include "original_store.h"

/* Appends a packed batch of n samples. */
static int push_batch(rg_compressor *c, const rg_orig_part *p, uint64_t n)
{
    int r = RAGC_OK;
    RG_GROW(c->orig, c->n_orig + 1, c->cap_orig, 16, r = RAGC_ERR_NOMEM);
    if (r == RAGC_OK)
        RG_GROW(c->orig_counts, c->n_orig + 1, c->cap_orig_counts, 16, r = RAGC_ERR_NOMEM);
    if (r < 0)
        return r;
    c->orig[c->n_orig] = *p;
    c->orig_counts[c->n_orig++] = n;
    return RAGC_OK;
}

/* Packs the open batch (the first one without prefix) and empties it. */
static int close_batch(rg_compressor *c)
{
    if (c->n_open == 0)
        return RAGC_OK;
    if (!c->orig_cctx && !(c->orig_cctx = ZSTD_createCCtx()))
        return RAGC_ERR_NOMEM;
    rg_bytes content = { 0 };
    rg_orig_part p = { 0 };
    int first = c->n_orig == 0;
    int r = rg_orig_batch_encode(c->orig_sizes, c->n_open, c->orig_open.s, c->orig_open.len, &content);
    if (r == RAGC_OK && content.len > RG_ORIG_MAX_PART) {
        hts_log_error("original forms of %zu samples too large to store (%zu bytes)", c->n_open, content.len);
        r = RAGC_ERR_INPUT;
    }
    if (r == RAGC_OK)
        r = rg_orig_pack(c->orig_cctx, content.s, content.len, first ? NULL : c->orig_prefix.s,
                         first ? 0 : c->orig_prefix.len, &p.data, &p.len, &p.meta);
    if (r == RAGC_OK && (r = push_batch(c, &p, c->n_open)) < 0)
        free(p.data);
    rg_bytes_free(&content);
    c->n_open = 0;
    c->orig_open.len = 0;
    return r;
}

/* Adds a blob (len 0: none) for the next sample of the open batch. */
static int add_blob(rg_compressor *c, const uint8_t *blob, size_t len)
{
    int r = RAGC_OK;
    RG_GROW(c->orig_sizes, c->n_open + 1, c->cap_open, 64, r = RAGC_ERR_NOMEM);
    if (r == RAGC_OK)
        r = rg_bytes_append(&c->orig_open, blob, len);
    if (r < 0)
        return r;
    c->orig_sizes[c->n_open++] = len;
    c->orig_next++;
    if (c->n_open >= RG_ORIG_BATCH_SAMPLES || c->orig_open.len >= RG_ORIG_BATCH_BYTES)
        r = close_batch(c);
    return r;
}

int rg_original_store(rg_compressor *c, uint64_t sample, const rg_orig_sample *desc)
{
    if (sample < c->orig_next) {
        hts_log_error("internal error: original form of sample %llu out of order", (unsigned long long)sample);
        return RAGC_ERR_ARG;
    }
    int r = RAGC_OK;
    while (r == RAGC_OK && c->orig_next < sample)   /* samples without one */
        r = add_blob(c, NULL, 0);
    rg_bytes blob = { 0 };
    if (r == RAGC_OK)
        r = rg_orig_encode(desc, &blob);
    if (r == RAGC_OK && sample == 0) {   /* the prefix of every later batch */
        c->orig_prefix.len = 0;
        r = rg_bytes_append(&c->orig_prefix, blob.s, blob.len);
    }
    if (r == RAGC_OK)
        r = add_blob(c, blob.s, blob.len);
    rg_bytes_free(&blob);
    return r;
}

/* Reads and unpacks part i of the input's stream. */
static int read_part(ragc_archive *in, int stream, uint64_t i, rg_orig_part *p, const rg_bytes *prefix,
                     rg_bytes *content)
{
    int r = rg_container_read_part(&in->ctr, stream, i, &p->data, &p->len, &p->meta);
    if (r == RAGC_OK && content) {
        ZSTD_DCtx *d = ZSTD_createDCtx();
        r = d ? rg_orig_unpack(d, p->data, p->len, p->meta, prefix ? prefix->s : NULL,
                               prefix ? prefix->len : 0, content)
              : RAGC_ERR_NOMEM;
        ZSTD_freeDCtx(d);
    }
    return r;
}

/* The input's sample 0 blob, from its first batch. */
static int load_prefix(rg_compressor *c, ragc_archive *in, int stream, uint64_t n0)
{
    rg_orig_part p = { 0 };
    rg_bytes content = { 0 };
    const uint8_t *blob;
    size_t len;
    int r = read_part(in, stream, 0, &p, NULL, &content);
    if (r == RAGC_OK)
        r = rg_orig_batch_blob(content.s, content.len, n0, 0, &blob, &len);
    if (r == RAGC_OK)
        r = rg_bytes_append(&c->orig_prefix, blob, len);
    free(p.data);
    rg_bytes_free(&content);
    return r;
}

int rg_original_from_archive(rg_compressor *c, ragc_archive *in)
{
    int stream = rg_container_find(&in->ctr, RG_ORIG_STREAM);
    if (stream < 0 || in->ctr.streams[stream].n_parts == 0)
        return RAGC_OK;   /* agc's archive: its samples have none */
    uint64_t n_parts = in->ctr.streams[stream].n_parts, *counts = NULL, total = 0;
    size_t n_batches = 0;
    rg_orig_part ix = { 0 };
    rg_bytes content = { 0 };
    int r = read_part(in, stream, n_parts - 1, &ix, NULL, &content);
    if (r == RAGC_OK)
        r = rg_orig_index_decode(content.s, content.len, &counts, &n_batches);
    for (size_t b = 0; r == RAGC_OK && b < n_batches; b++)
        total += counts[b];
    if (r == RAGC_OK && (n_batches != n_parts - 1 || total > in->col.n_samples)) {
        hts_log_error("%s: its original forms do not match its samples", "the archive appended to");
        r = RAGC_ERR_FORMAT;
    }
    for (size_t b = 0; r == RAGC_OK && b < n_batches; b++) {
        rg_orig_part p = { 0 };
        r = read_part(in, stream, b, &p, NULL, NULL);
        if (r == RAGC_OK && (r = push_batch(c, &p, counts[b])) < 0)
            free(p.data);
    }
    if (r == RAGC_OK && n_batches)
        r = load_prefix(c, in, stream, counts[0]);
    c->orig_next = total;
    free(ix.data);
    free(counts);
    rg_bytes_free(&content);
    return r;
}

int rg_original_write(rg_compressor *c)
{
    int r = close_batch(c);
    if (r < 0 || c->n_orig == 0)
        return r;   /* no sample has an original form: agc's streams only */
    int s = rg_cw_register(c->w, RG_ORIG_STREAM);
    if (s < 0)
        return RAGC_ERR_NOMEM;
    for (size_t b = 0; r == RAGC_OK && b < c->n_orig; b++)
        r = rg_cw_add_part(c->w, s, c->orig[b].data, c->orig[b].len, c->orig[b].meta);
    rg_bytes index = { 0 };
    rg_orig_part p = { 0 };
    if (r == RAGC_OK)
        r = rg_orig_index_encode(c->orig_counts, c->n_orig, &index);
    if (r == RAGC_OK && !c->orig_cctx && !(c->orig_cctx = ZSTD_createCCtx()))
        r = RAGC_ERR_NOMEM;
    if (r == RAGC_OK)
        r = rg_orig_pack(c->orig_cctx, index.s, index.len, NULL, 0, &p.data, &p.len, &p.meta);
    if (r == RAGC_OK)
        r = rg_cw_add_part(c->w, s, p.data, p.len, p.meta);
    free(p.data);
    rg_bytes_free(&index);
    return r;
}

void rg_original_free(rg_compressor *c)
{
    for (size_t i = 0; i < c->n_orig; i++)
        free(c->orig[i].data);
    free(c->orig);
    free(c->orig_counts);
    free(c->orig_sizes);
    c->orig = NULL;
    c->orig_counts = NULL;
    c->orig_sizes = NULL;
    c->n_orig = c->cap_orig = c->cap_orig_counts = c->n_open = c->cap_open = 0;
    rg_bytes_free(&c->orig_open);
    rg_bytes_free(&c->orig_prefix);
    ZSTD_freeCCtx(c->orig_cctx);
    c->orig_cctx = NULL;
}
