/* zstd_util.c -- checked zstd frame decoding. */
#include "zstd_util.h"

#include <stdlib.h>

#include <htslib/hts_log.h>

#include "ragc.h"

int rg_zstd_bounded(ZSTD_DCtx *dctx, const uint8_t *src, size_t len, size_t max,
                    uint8_t **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    unsigned long long fcs = ZSTD_getFrameContentSize(src, len);
    if (fcs == ZSTD_CONTENTSIZE_ERROR) {
        hts_log_error("corrupt archive: bad zstd frame");
        return RAGC_ERR_FORMAT;
    }
    /* A zstd block expands at most ~32768 times (an RLE block), which
       bounds what an honest frame holds and keeps corrupt sizes from
       turning into huge allocations. */
    unsigned long long honest = (unsigned long long)len * 40000 + (1u << 20);
    /* agc's frames state their size.  Other writers' streaming encoders
       (the Rust port's) leave it out; agc decodes those into a buffer of
       the size its caller expects, so the caller's bound is the capacity. */
    if (fcs == ZSTD_CONTENTSIZE_UNKNOWN)
        fcs = max < honest ? max : honest;
    else if (fcs > max || fcs > honest) {
        hts_log_error("corrupt archive: zstd frame of unexpected size");
        return RAGC_ERR_FORMAT;
    }
    size_t cap = (size_t)fcs;
    uint8_t *buf = malloc(cap + 1);
    if (!buf)
        return RAGC_ERR_NOMEM;
    ZSTD_DCtx *own = dctx ? NULL : ZSTD_createDCtx();
    if (!dctx && !own) {
        free(buf);
        return RAGC_ERR_NOMEM;
    }
    size_t r = ZSTD_decompressDCtx(dctx ? dctx : own, buf, cap, src, len);
    ZSTD_freeDCtx(own);
    if (ZSTD_isError(r)) {
        free(buf);
        hts_log_error("corrupt archive: zstd: %s", ZSTD_getErrorName(r));
        return RAGC_ERR_FORMAT;
    }
    *out = buf;
    *out_len = r;
    return RAGC_OK;
}

int rg_zstd_exact(ZSTD_DCtx *dctx, const uint8_t *src, size_t len, size_t want, uint8_t **out)
{
    size_t got;
    int r = rg_zstd_bounded(dctx, src, len, want, out, &got);
    if (r == RAGC_OK && got != want) {
        free(*out);
        *out = NULL;
        hts_log_error("corrupt archive: zstd frame of %zu bytes, expected %zu", got, want);
        return RAGC_ERR_FORMAT;
    }
    return r;
}
