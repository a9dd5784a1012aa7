/* original_store.c -- the parts of the ragc-original stream: packing,
   batches and the index (see original_store.h). */
#include "original_store.h"

#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "ragc.h"
#include "varint.h"

/* Large blobs (masks of whole human genomes) at level 19 would cost
   seconds; their runs compress nearly as well at a lower level. */
static int level_for(size_t len)
{
    return len <= ((size_t)4 << 20) ? 19 : 12;
}

static int compress_with_prefix(ZSTD_CCtx *z, const uint8_t *blob, size_t len, const uint8_t *prefix,
                                size_t prefix_len, uint8_t *dst, size_t cap, size_t *got)
{
    size_t e = ZSTD_CCtx_reset(z, ZSTD_reset_session_and_parameters);
    if (!ZSTD_isError(e))
        e = ZSTD_CCtx_setParameter(z, ZSTD_c_compressionLevel, level_for(len));
    if (!ZSTD_isError(e))
        e = ZSTD_CCtx_setParameter(z, ZSTD_c_contentSizeFlag, 0);
    if (!ZSTD_isError(e))
        e = ZSTD_CCtx_setParameter(z, ZSTD_c_checksumFlag, 0);
    if (!ZSTD_isError(e) && prefix && prefix_len)
        e = ZSTD_CCtx_refPrefix(z, prefix, prefix_len);
    if (!ZSTD_isError(e))
        e = ZSTD_compress2(z, dst, cap, blob, len);
    ZSTD_CCtx_reset(z, ZSTD_reset_session_and_parameters);
    if (ZSTD_isError(e)) {
        hts_log_error("zstd: %s", ZSTD_getErrorName(e));
        return RAGC_ERR_NOMEM;
    }
    *got = e;
    return RAGC_OK;
}

int rg_orig_pack(ZSTD_CCtx *cctx, const uint8_t *content, size_t len, const uint8_t *prefix,
                 size_t prefix_len, uint8_t **payload, size_t *payload_len, uint64_t *meta)
{
    *payload = NULL;
    *payload_len = 0;
    if (len == 0 || len > RG_ORIG_MAX_PART)
        return RAGC_ERR_ARG;
    size_t cap = ZSTD_compressBound(len);
    uint8_t *out = malloc(cap > len ? cap : len);
    if (!out)
        return RAGC_ERR_NOMEM;
    size_t got;
    int r = compress_with_prefix(cctx, content, len, prefix, prefix_len, out, cap, &got);
    if (r < 0) {
        free(out);
        return r;
    }
    if (got >= len) {   /* not smaller: the content itself (payload size == metadata) */
        memcpy(out, content, len);
        got = len;
    }
    *payload = out;
    *payload_len = got;
    *meta = len;
    return RAGC_OK;
}

int rg_orig_unpack(ZSTD_DCtx *dctx, const uint8_t *payload, size_t len, uint64_t meta,
                   const uint8_t *prefix, size_t prefix_len, rg_bytes *out)
{
    out->len = 0;
    if (meta == 0 || meta > RG_ORIG_MAX_PART || len == 0 || len > meta) {
        hts_log_error("corrupt archive: %s part of %zu bytes for %llu bytes of content", RG_ORIG_STREAM, len,
                      (unsigned long long)meta);
        return RAGC_ERR_FORMAT;
    }
    if (rg_bytes_reserve(out, (size_t)meta) < 0)
        return RAGC_ERR_NOMEM;
    if (len == meta) {
        memcpy(out->s, payload, len);
        out->len = len;
        return RAGC_OK;
    }
    size_t e = ZSTD_DCtx_reset(dctx, ZSTD_reset_session_and_parameters);
    if (!ZSTD_isError(e) && prefix && prefix_len)
        e = ZSTD_DCtx_refPrefix(dctx, prefix, prefix_len);
    if (!ZSTD_isError(e))
        e = ZSTD_decompressDCtx(dctx, out->s, (size_t)meta, payload, len);
    ZSTD_DCtx_reset(dctx, ZSTD_reset_session_and_parameters);
    if (ZSTD_isError(e) || e != meta) {
        hts_log_error("corrupt archive: %s part does not decompress to its %llu bytes%s%s",
                      RG_ORIG_STREAM, (unsigned long long)meta, ZSTD_isError(e) ? ": " : "",
                      ZSTD_isError(e) ? ZSTD_getErrorName(e) : "");
        return RAGC_ERR_FORMAT;
    }
    out->len = (size_t)meta;
    return RAGC_OK;
}

int rg_orig_batch_encode(const size_t *sizes, uint64_t n, const uint8_t *blobs, size_t blobs_len,
                         rg_bytes *out)
{
    out->len = 0;
    int r = rg_bytes_put_uvar(out, n);
    for (uint64_t i = 0; r == RAGC_OK && i < n; i++)
        r = rg_bytes_put_uvar(out, sizes[i]);
    if (r == RAGC_OK && blobs_len)
        r = rg_bytes_append(out, blobs, blobs_len);
    return r;
}

static int corrupt(const char *what)
{
    hts_log_error("corrupt archive: %s stream: %s", RG_ORIG_STREAM, what);
    return RAGC_ERR_FORMAT;
}

int rg_orig_batch_blob(const uint8_t *content, size_t len, uint64_t n, uint64_t i,
                       const uint8_t **blob, size_t *blob_len)
{
    rg_cursor c = { content, content + len };
    uint64_t count, size, at = 0, want_at = 0, want_len = 0;
    if (rg_read_uvar(&c, &count) < 0 || count != n || i >= n)
        return corrupt("a batch does not hold the samples its index gives");
    for (uint64_t k = 0; k < n; k++) {
        if (rg_read_uvar(&c, &size) < 0 || size > len)
            return corrupt("a batch's size table is truncated");
        if (k == i) {
            want_at = at;
            want_len = size;
        }
        at += size;   /* cannot wrap: each size is at most len, n at most len */
    }
    if (at != (uint64_t)(c.end - c.p))
        return corrupt("a batch's blobs do not fill it");
    *blob = c.p + want_at;
    *blob_len = (size_t)want_len;
    return RAGC_OK;
}

int rg_orig_index_encode(const uint64_t *counts, size_t n_batches, rg_bytes *out)
{
    uint8_t version = RG_ORIG_STORE_VERSION;
    out->len = 0;
    int r = rg_bytes_append(out, &version, 1);
    if (r == RAGC_OK)
        r = rg_bytes_put_uvar(out, n_batches);
    for (size_t b = 0; r == RAGC_OK && b < n_batches; b++)
        r = rg_bytes_put_uvar(out, counts[b]);
    return r;
}

int rg_orig_index_decode(const uint8_t *content, size_t len, uint64_t **counts, size_t *n_batches)
{
    *counts = NULL;
    *n_batches = 0;
    if (len < 1)
        return corrupt("empty index");
    if (content[0] != RG_ORIG_STORE_VERSION) {
        hts_log_error("%s stream of version %u: this ragc reads version %u", RG_ORIG_STREAM,
                      content[0], RG_ORIG_STORE_VERSION);
        return RAGC_ERR_VERSION;
    }
    rg_cursor c = { content + 1, content + len };
    uint64_t n;
    if (rg_read_uvar(&c, &n) < 0 || n > (uint64_t)(c.end - c.p))   /* >= 1 byte a count */
        return corrupt("bad index");
    uint64_t *v = malloc((n ? n : 1) * sizeof(*v));
    if (!v)
        return RAGC_ERR_NOMEM;
    for (uint64_t b = 0; b < n; b++)
        if (rg_read_uvar(&c, &v[b]) < 0 || v[b] == 0 || v[b] > ((uint64_t)1 << 40)) {
            free(v);
            return corrupt("bad index");
        }
    if (c.p != c.end) {
        free(v);
        return corrupt("bytes after the index");
    }
    *counts = v;
    *n_batches = (size_t)n;
    return RAGC_OK;
}
