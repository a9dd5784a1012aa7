/* lzdiff.c -- LZ-diff decoding (both dialects); see lzdiff.h. */
#include "lzdiff.h"

#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "ragc.h"

#define N_CODE 4
#define N_RUN_START 0x1E
#define N_RUN_END 0x04
#define MIN_N_RUN 4
/* Longest number accepted: keeps arithmetic far from overflow. */
#define MAX_DIGITS 12

static int read_number(const uint8_t **p, const uint8_t *end, int64_t *v)
{
    const uint8_t *q = *p;
    int neg = 0;
    if (q < end && *q == '-') {
        neg = 1;
        q++;
    }
    const uint8_t *d = q;
    int64_t x = 0;
    while (q < end && *q >= '0' && *q <= '9' && q - d < MAX_DIGITS)
        x = x * 10 + (*q++ - '0');
    if (q == d || (q < end && *q >= '0' && *q <= '9'))
        return -1;
    *p = q;
    *v = neg ? -x : x;
    return 0;
}

static int bad_delta(void)
{
    hts_log_error("corrupt archive: malformed LZ delta");
    return RAGC_ERR_FORMAT;
}

int rg_lz_decode(const uint8_t *ref, size_t ref_len, const uint8_t *delta, size_t delta_len,
                 uint32_t min_match_len, int dialect, rg_bytes *out)
{
    if (delta_len == 0) {   /* "same as the reference" (never stored by agc >= 2) */
        if (ref_len == 0)
            return RAGC_OK;
        if (rg_bytes_reserve(out, ref_len) < 0)
            return RAGC_ERR_NOMEM;
        memcpy(out->s + out->len, ref, ref_len);
        out->len += ref_len;
        return RAGC_OK;
    }
    const uint8_t *p = delta, *end = delta + delta_len;
    int64_t pred = 0;
    while (p < end) {
        uint8_t c = *p;
        if ((c >= 'A' && c <= 'U') || c == '!') {
            uint8_t code;
            if (c != '!') {
                code = (uint8_t)(c - 'A');
            } else {
                if (dialect == 1) {
                    /* agc's dialect-1 decoder takes '!' as a literal byte */
                    code = c;
                } else {
                    if (pred < 0 || (uint64_t)pred >= ref_len)
                        return bad_delta();
                    code = ref[pred];
                }
            }
            if (out->len == out->cap && rg_bytes_reserve(out, 1) < 0)
                return RAGC_ERR_NOMEM;
            out->s[out->len++] = code;
            pred++;
            p++;
        } else if (c == N_RUN_START) {
            int64_t n;
            p++;
            if (read_number(&p, end, &n) < 0 || n < 0 || n > UINT32_MAX || p >= end
                || *p != N_RUN_END)
                return bad_delta();
            p++;
            n += MIN_N_RUN;
            if (rg_bytes_reserve(out, (size_t)n) < 0)   /* n >= 4 */
                return RAGC_ERR_NOMEM;
            memset(out->s + out->len, N_CODE, (size_t)n);
            out->len += (size_t)n;
        } else {
            int64_t d, len;
            if (read_number(&p, end, &d) < 0 || p >= end)
                return bad_delta();
            int64_t pos = pred + d;
            if (pos < 0 || (uint64_t)pos > ref_len)
                return bad_delta();
            if (*p == ',') {
                p++;
                if (read_number(&p, end, &len) < 0 || len < 0)
                    return bad_delta();
                len += min_match_len;
            } else if (dialect >= 2 && *p == '.') {
                len = (int64_t)ref_len - pos;
            } else {
                return bad_delta();
            }
            if (p >= end || *p != '.' || (uint64_t)len > ref_len - (uint64_t)pos)
                return bad_delta();
            p++;
            if (len > 0) {
                if (rg_bytes_reserve(out, (size_t)len) < 0)
                    return RAGC_ERR_NOMEM;
                memcpy(out->s + out->len, ref + pos, (size_t)len);
            }
            out->len += (size_t)len;
            pred = pos + len;
        }
    }
    return RAGC_OK;
}
