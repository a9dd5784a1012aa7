/* compress_original.c -- the samples' original forms in the archive
   (docs/lossless.md section 7, original_store.h): packed as each sample's
   file ends, kept in memory (a few bytes to kilobytes per sample) and
   written at close as the extension stream RG_ORIG_STREAM, part i for
   sample i.  Append keeps the input archive's parts for its samples (agc's
   own append would drop the stream) and packs new ones against the same
   prefix, the blob of sample 0. */
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "archive.h"
#include "compress_internal.h"
#include "grow.h"
#include "original_store.h"

/* Room for part `sample`, the parts before it empty. */
static int orig_slot(rg_compressor *c, uint64_t sample, rg_orig_part **slot)
{
    if (sample >= c->n_orig) {
        size_t want = (size_t)sample + 1;
        int r = RAGC_OK;
        RG_GROW(c->orig, want, c->cap_orig, 64, r = RAGC_ERR_NOMEM);
        if (r < 0)
            return r;
        memset(c->orig + c->n_orig, 0, (want - c->n_orig) * sizeof(*c->orig));
        c->n_orig = want;
    }
    *slot = &c->orig[sample];
    return RAGC_OK;
}

int rg_original_store(rg_compressor *c, uint64_t sample, const rg_orig_sample *desc)
{
    if (!c->orig_cctx && !(c->orig_cctx = ZSTD_createCCtx()))
        return RAGC_ERR_NOMEM;
    rg_bytes blob = { 0 };
    int r = rg_orig_encode(desc, &blob);
    rg_orig_part *slot = NULL;
    if (r == RAGC_OK)
        r = orig_slot(c, sample, &slot);
    if (r == RAGC_OK && slot->len) {
        hts_log_error("internal error: sample %llu has two original forms", (unsigned long long)sample);
        r = RAGC_ERR_ARG;
    }
    if (r == RAGC_OK && blob.len > RG_ORIG_MAX_BLOB) {
        hts_log_error("the original form of sample %llu is too large (%zu bytes)",
                      (unsigned long long)sample, blob.len);
        r = RAGC_ERR_INPUT;
    }
    if (r == RAGC_OK && sample == 0) {   /* the prefix of every other part */
        c->orig_prefix.len = 0;
        r = rg_bytes_append(&c->orig_prefix, blob.s, blob.len);
    }
    if (r == RAGC_OK) {
        int own = sample == 0;
        r = rg_orig_pack(c->orig_cctx, blob.s, blob.len, own ? NULL : c->orig_prefix.s,
                         own ? 0 : c->orig_prefix.len, &slot->data, &slot->len, &slot->meta);
    }
    rg_bytes_free(&blob);
    return r;
}

/* Part 0 of the input, unpacked: the prefix of the parts appended. */
static int load_prefix(rg_compressor *c)
{
    const rg_orig_part *p0 = &c->orig[0];
    if (!p0->len)
        return RAGC_OK;
    ZSTD_DCtx *d = ZSTD_createDCtx();
    if (!d)
        return RAGC_ERR_NOMEM;
    int r = rg_orig_unpack(d, p0->data, p0->len, p0->meta, NULL, 0, &c->orig_prefix);
    ZSTD_freeDCtx(d);
    return r;
}

int rg_original_from_archive(rg_compressor *c, ragc_archive *in)
{
    int stream = rg_container_find(&in->ctr, RG_ORIG_STREAM);
    if (stream < 0)
        return RAGC_OK;   /* agc's archive: its samples have none */
    c->orig_in_stream = 1;
    uint64_t n = in->ctr.streams[stream].n_parts;
    if (n > in->col.n_samples)
        n = in->col.n_samples;   /* parts beyond the samples mean nothing */
    for (uint64_t i = 0; i < n; i++) {
        rg_orig_part *slot;
        int r = orig_slot(c, i, &slot);
        if (r == RAGC_OK)
            r = rg_container_read_part(&in->ctr, stream, i, &slot->data, &slot->len, &slot->meta);
        if (r < 0)
            return r;
        if (!slot->len)
            slot->meta = 0;
    }
    return n ? load_prefix(c) : RAGC_OK;
}

int rg_original_write(rg_compressor *c)
{
    int any = c->orig_in_stream;
    for (size_t i = 0; !any && i < c->n_orig; i++)
        any = c->orig[i].len > 0;
    if (!any)
        return RAGC_OK;   /* --no-original, or agc's archive appended to with it */
    int s = rg_cw_register(c->w, RG_ORIG_STREAM);
    if (s < 0)
        return RAGC_ERR_NOMEM;
    for (size_t i = 0; i < c->n_samples; i++) {
        const rg_orig_part *p = i < c->n_orig ? &c->orig[i] : NULL;
        int r = p && p->len ? rg_cw_add_part(c->w, s, p->data, p->len, p->meta)
                            : rg_cw_add_part(c->w, s, NULL, 0, 0);
        if (r < 0)
            return r;
    }
    return RAGC_OK;
}

void rg_original_free(rg_compressor *c)
{
    for (size_t i = 0; i < c->n_orig; i++)
        free(c->orig[i].data);
    free(c->orig);
    c->orig = NULL;
    c->n_orig = c->cap_orig = 0;
    rg_bytes_free(&c->orig_prefix);
    ZSTD_freeCCtx(c->orig_cctx);
    c->orig_cctx = NULL;
}
