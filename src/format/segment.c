/* segment.c -- the format of group streams: their names, tuple-packed
   codes, packs and the payloads of reference and pack parts; see segment.h.
   Decoding a segment through a decoder's cache is src/read/segment_read.c. */
#include "segment.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "grow.h"
#include "ragc.h"
#include "zstd_util.h"

static const char B64[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_#";

void rg_group_stream_name(char *buf, uint32_t g, int is_ref, uint32_t file_version)
{
    if (file_version < 3000) {
        snprintf(buf, 32, "seg-%u-%s", g, is_ref ? "ref" : "delta");
        return;
    }
    size_t n = 0;
    buf[n++] = 'x';
    do {   /* base-64 digits, least significant first */
        buf[n++] = B64[g & 63];
        g >>= 6;
    } while (g);
    buf[n++] = is_ref ? 'r' : 'd';
    buf[n] = '\0';
}

/* Digits of every byte value for 4 (base 4), 3 (base 6) and 2 (base 16)
   symbols a byte, most significant first. */
static uint8_t tuple_digits[5][256][4];
static pthread_once_t tuple_once = PTHREAD_ONCE_INIT;

static void init_tuple_digits(void)
{
    for (unsigned w = 2; w <= 4; w++) {
        unsigned base = w == 4 ? 4 : w == 3 ? 6 : 16;
        for (unsigned v = 0; v < 256; v++) {
            unsigned x = v;
            for (int d = (int)w - 1; d >= 0; d--) {
                tuple_digits[w][v][d] = (uint8_t)(x % base);
                x /= base;
            }
        }
    }
}

/* The digits of `full` bytes of w digits each.  A copy of constant size
   compiles to one move; a 3-digit byte is written as 4 bytes, the spare one
   overwritten by the next byte, except for the last. */
static void unpack_full_tuples(const uint8_t *t, size_t full, unsigned w, uint8_t *out)
{
    size_t i = 0;
    switch (w) {
    case 4:
        for (; i < full; i++)
            memcpy(out + 4 * i, tuple_digits[4][t[i]], 4);
        break;
    case 3:
        for (; i + 1 < full; i++)
            memcpy(out + 3 * i, tuple_digits[3][t[i]], 4);
        if (i < full)
            memcpy(out + 3 * i, tuple_digits[3][t[i]], 3);
        break;
    default:
        for (; i < full; i++)
            memcpy(out + 2 * i, tuple_digits[2][t[i]], 2);
        break;
    }
}

int rg_tuples_fit(const uint8_t *t, size_t len, size_t n)
{
    if (len < 1)
        return 0;
    unsigned w = t[len - 1] >> 4, r = t[len - 1] & 15;
    if (w == 1)
        return r == 0 && len - 1 == n;
    return w >= 2 && w <= 4 && r < w && len >= 2 && (len - 2) * (size_t)w + r == n;
}

int rg_tuples_unpack(const uint8_t *t, size_t len, uint8_t *out, size_t n)
{
    if (!rg_tuples_fit(t, len, n))
        return -1;
    unsigned w = t[len - 1] >> 4, r = t[len - 1] & 15;
    if (w == 1) {
        memcpy(out, t, n);
        return 0;
    }
    pthread_once(&tuple_once, init_tuple_digits);
    const size_t full = len - 2;
    unpack_full_tuples(t, full, w, out);
    /* the leftover byte holds r digits, packed the same way */
    memcpy(out + full * w, tuple_digits[w][t[full]] + (w - r), r);
    return 0;
}

int64_t rg_pack_index(const uint8_t *pack, size_t len, uint32_t **ends)
{
    *ends = NULL;
    if (len > UINT32_MAX)
        return -1;
    size_t n = 0, cap = 0;
    uint32_t *e = NULL;
    for (const uint8_t *p = pack, *end = pack + len;
         p < end && (p = memchr(p, RG_PACK_SEPARATOR, (size_t)(end - p))); p++) {
        RG_GROW(e, n, cap, 64, { free(e); return -1; });
        e[n++] = (uint32_t)(p - pack);
    }
    *ends = e;
    return (int64_t)n;
}

/* Reference part: raw codes (metadata 0) or zstd || marker, the marker
   telling plain (0) or tuple-packed (1) codes; metadata = code count. */
int rg_inflate_reference_part(ZSTD_DCtx *dctx, uint8_t *data, size_t len, uint64_t meta,
                              uint8_t **out, size_t *out_len, int *tuples)
{
    *out = NULL;
    *out_len = 0;
    *tuples = 0;
    if (meta == 0) {   /* stored raw */
        *out = data;
        *out_len = len;
        return RAGC_OK;
    }
    uint8_t marker = len ? data[len - 1] : 0xFF;
    if (len < 2 || marker > 1 || meta > UINT32_MAX) {
        free(data);
        hts_log_error("corrupt archive: bad reference part");
        return RAGC_ERR_FORMAT;
    }
    uint8_t *raw;
    size_t raw_len;
    int r = rg_zstd_bounded(dctx, data, len - 1, (size_t)meta + 2, &raw, &raw_len);
    free(data);
    if (r < 0)
        return r;
    if (marker == 0 ? raw_len != meta : !rg_tuples_fit(raw, raw_len, (size_t)meta)) {
        free(raw);
        hts_log_error(marker == 0 ? "corrupt archive: reference length mismatch"
                                  : "corrupt archive: bad tuple packing");
        return RAGC_ERR_FORMAT;
    }
    *out = raw;
    *out_len = raw_len;
    *tuples = marker;
    return RAGC_OK;
}

int rg_decode_reference_part(ZSTD_DCtx *dctx, uint8_t *data, size_t len, uint64_t meta,
                             uint8_t **codes, size_t *n)
{
    uint8_t *raw;
    size_t raw_len;
    int tuples;
    *codes = NULL;
    *n = 0;
    int r = rg_inflate_reference_part(dctx, data, len, meta, &raw, &raw_len, &tuples);
    if (r < 0)
        return r;
    if (!tuples) {
        *codes = raw;
        *n = raw_len;
        return RAGC_OK;
    }
    *codes = malloc(meta ? meta : 1);
    if (!*codes) {
        free(raw);
        return RAGC_ERR_NOMEM;
    }
    rg_tuples_unpack(raw, raw_len, *codes, (size_t)meta);   /* checked by the inflate */
    free(raw);
    *n = (size_t)meta;
    return RAGC_OK;
}

int rg_decode_pack_part(ZSTD_DCtx *dctx, uint8_t *data, size_t len, uint64_t meta, uint8_t **pack, size_t *n)
{
    *pack = NULL;
    *n = 0;
    if (meta == 0) {   /* stored raw */
        *pack = data;
        *n = len;
        return RAGC_OK;
    }
    if (len < 2 || meta > UINT32_MAX) {
        free(data);
        hts_log_error("corrupt archive: bad pack part");
        return RAGC_ERR_FORMAT;
    }
    int r = rg_zstd_exact(dctx, data, len - 1, (size_t)meta, pack);   /* minus the marker */
    free(data);
    if (r == RAGC_OK)
        *n = (size_t)meta;
    return r;
}

