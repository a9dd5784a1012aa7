/* original_store.c -- packing original-form blobs into archive parts (see
   original_store.h). */
#include "original_store.h"

#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "ragc.h"

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

int rg_orig_pack(ZSTD_CCtx *cctx, const uint8_t *blob, size_t len, const uint8_t *prefix,
                 size_t prefix_len, uint8_t **payload, size_t *payload_len, uint64_t *meta)
{
    *payload = NULL;
    *payload_len = 0;
    if (len == 0 || len > RG_ORIG_MAX_BLOB)
        return RAGC_ERR_ARG;
    size_t cap = ZSTD_compressBound(len);
    uint8_t *out = malloc(cap > len ? cap : len);
    if (!out)
        return RAGC_ERR_NOMEM;
    size_t got;
    int r = compress_with_prefix(cctx, blob, len, prefix, prefix_len, out, cap, &got);
    if (r < 0) {
        free(out);
        return r;
    }
    if (got >= len) {   /* not smaller: the blob itself (payload size == metadata) */
        memcpy(out, blob, len);
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
    if (meta == 0 || meta > RG_ORIG_MAX_BLOB || len == 0 || len > meta) {
        hts_log_error("corrupt archive: %s part of %zu bytes for a blob of %llu", RG_ORIG_STREAM, len,
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
