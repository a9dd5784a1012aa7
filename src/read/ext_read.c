/* ext_read.c -- reading ragc's extension streams of per-sample blobs
   (original_store.h: batches of samples, then an index): the decoder's
   rg_ext_reader keeps the index, the zstd prefix (sample 0's blob, for
   streams that use it) and the batch read last. */
#include "archive.h"

#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "original_store.h"

void rg_ext_reader_init(rg_ext_reader *o, const char *name, int use_prefix)
{
    memset(o, 0, sizeof(*o));
    o->name = name;
    o->use_prefix = use_prefix;
    o->stream = -1;
    o->batch = o->blob_sample = -1;
}

void rg_ext_reader_free(rg_ext_reader *o)
{
    free(o->first);
    rg_bytes_free(&o->prefix);
    rg_bytes_free(&o->body);
    rg_ext_reader_init(o, o->name, o->use_prefix);
}

/* Reads and unpacks part i of the stream into out. */
static int read_content(ragc_decoder *dec, const rg_ext_reader *o, uint64_t part, const rg_bytes *prefix,
                        rg_bytes *out)
{
    uint8_t *data;
    size_t len;
    uint64_t meta;
    int r = rg_container_read_part(&dec->arc->ctr, o->stream, part, &data, &len, &meta);
    if (r == RAGC_OK)
        r = rg_orig_unpack(dec->dctx, data, len, meta, prefix && prefix->len ? prefix->s : NULL,
                           prefix ? prefix->len : 0, out);
    free(data);
    return r;
}

/* The stream's index (its last part): batch b's first sample.  agc's
   archives have no stream; formats 1 and 2 are never written by ragc. */
static int load_index(ragc_decoder *dec, rg_ext_reader *o)
{
    if (o->index_state)
        return o->index_state < 0 ? o->index_state : RAGC_OK;
    const ragc_archive *arc = dec->arc;
    int id = arc->params.file_version >= 3000 ? rg_container_find(&arc->ctr, o->name) : -1;
    uint64_t n_parts = id >= 0 ? arc->ctr.streams[id].n_parts : 0;
    o->stream = id;
    o->index_state = 1;
    if (n_parts == 0)
        return RAGC_OK;
    rg_bytes content = { 0 };
    uint64_t *counts = NULL;
    size_t n = 0;
    int r = read_content(dec, o, n_parts - 1, NULL, &content);
    if (r == RAGC_OK)
        r = rg_orig_index_decode(content.s, content.len, &counts, &n);
    if (r == RAGC_OK && n != n_parts - 1) {
        hts_log_error("corrupt archive: %s index lists %zu batches, the stream holds %llu", o->name,
                      n, (unsigned long long)(n_parts - 1));
        r = RAGC_ERR_FORMAT;
    }
    if (r == RAGC_OK && !(o->first = malloc((n + 1) * sizeof(*o->first))))
        r = RAGC_ERR_NOMEM;
    for (size_t b = 0; r == RAGC_OK && b <= n; b++)
        o->first[b] = b ? o->first[b - 1] + counts[b - 1] : 0;
    if (r == RAGC_OK)
        o->n_batches = n;
    free(counts);
    rg_bytes_free(&content);
    if (r < 0)
        o->index_state = r;
    return r;
}

/* Batch b into o->body (batches after the first of a stream with a prefix
   need sample 0's blob, from batch 0). */
static int load_batch(ragc_decoder *dec, rg_ext_reader *o, size_t b)
{
    if (o->batch == (int64_t)b)
        return RAGC_OK;
    o->batch = -1;
    o->blob_sample = -1;
    int r = RAGC_OK;
    if (b > 0 && o->use_prefix && o->prefix_state == 0) {
        const uint8_t *blob;
        size_t len;
        r = read_content(dec, o, 0, NULL, &o->body);
        if (r == RAGC_OK)
            r = rg_orig_batch_blob(o->body.s, o->body.len, o->first[1], 0, &blob, &len);
        if (r == RAGC_OK)
            r = rg_bytes_append(&o->prefix, blob, len);
        o->prefix_state = r < 0 ? r : 1;
    }
    if (o->prefix_state < 0)
        return o->prefix_state;
    if ((r = read_content(dec, o, b, b > 0 && o->use_prefix ? &o->prefix : NULL, &o->body)) < 0)
        return r;
    o->batch = (int64_t)b;
    return RAGC_OK;
}

int rg_ext_reader_blob(ragc_decoder *dec, rg_ext_reader *o, int64_t sample)
{
    int64_t stored = rg_archive_stored_sample(dec->arc, sample);
    if (stored < 0)
        return RAGC_ERR_NO_SAMPLE;
    if (o->blob_sample == stored)
        return o->blob != NULL;
    int r = load_index(dec, o);
    if (r < 0)
        return r;
    if (o->n_batches == 0 || (uint64_t)stored >= o->first[o->n_batches])
        return 0;   /* beyond the batches: none */
    size_t lo = 0, hi = o->n_batches - 1;   /* the batch holding stored */
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        if (o->first[mid] <= (uint64_t)stored)
            lo = mid;
        else
            hi = mid - 1;
    }
    const uint8_t *blob;
    size_t len;
    if ((r = load_batch(dec, o, lo)) < 0)
        return r;
    r = rg_orig_batch_blob(o->body.s, o->body.len, o->first[lo + 1] - o->first[lo],
                           (uint64_t)stored - o->first[lo], &blob, &len);
    if (r < 0)
        return r;
    o->blob_sample = stored;
    o->blob = len ? blob : NULL;
    o->blob_len = len;
    return len > 0;
}

