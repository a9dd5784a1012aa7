/* test_zstd_sequences.c -- rg_zstd_long_match_frame (zstd_sequences.h):
   every frame decodes, with zstd's own decoder, to exactly its input and is
   followed by the marker; planted repeats are found (a second copy costs a
   small fraction of the first); refused parameters are RAGC_ERR_ARG, so
   that callers fall back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "ragc.h"
#include "tap.h"
#include "zstd_sequences.h"

static uint64_t next(uint64_t *s)   /* xorshift64 */
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Compresses src and checks the round trip; *frame_len gets the frame's
   size (without the marker), SIZE_MAX on failure. */
static int round_trip(ZSTD_CCtx *cctx, const uint8_t *src, size_t n, rg_long_match_params p,
                      size_t *frame_len)
{
    uint8_t *out = NULL;
    size_t out_len = 0;
    *frame_len = SIZE_MAX;
    if (rg_zstd_long_match_frame(cctx, src, n, p, 0xA5, &out, &out_len) != RAGC_OK)
        return 0;
    int ok = out_len >= 1 && out[out_len - 1] == 0xA5;
    unsigned long long fcs = ok ? ZSTD_getFrameContentSize(out, out_len - 1) : 0;
    ok = ok && fcs == n;
    uint8_t *back = malloc(n + 1);
    size_t got = ok && back ? ZSTD_decompress(back, n + 1, out, out_len - 1) : 0;
    ok = ok && back && !ZSTD_isError(got) && got == n && (n == 0 || memcmp(back, src, n) == 0);
    if (ok)
        *frame_len = out_len - 1;
    free(back);
    free(out);
    return ok;
}

/* n codes 0..3, one a byte. */
static void random_bases(uint8_t *d, size_t n, uint64_t *seed)
{
    for (size_t i = 0; i < n; i++)
        d[i] = (uint8_t)(next(seed) & 3);
}

int main(void)
{
    tap_plan(14);
    uint64_t seed = 0x2545F4914F6CDD1DULL;
    const rg_long_match_params bases = { 16, 8 }, tuples = { 4, 3 };
    ZSTD_CCtx *cctx = ZSTD_createCCtx();

    tap_ok(rg_zstd_sequences_available(), "the libzstd found at run time is the one compiled against");

    size_t z;
    uint8_t small[3] = { 1, 2, 3 };
    tap_ok(round_trip(cctx, small, 0, bases, &z), "empty input");
    tap_ok(round_trip(NULL, small, 3, bases, &z), "input shorter than a match, own context");

    /* two copies of 64 KiB of random bases: the second is a match */
    size_t half = 65536;
    uint8_t *d = malloc(4 * half + 64);
    random_bases(d, half, &seed);
    memcpy(d + half, d, half);
    size_t one_copy;
    tap_ok(round_trip(cctx, d, half, bases, &one_copy), "64 KiB of random bases");
    int ok = round_trip(cctx, d, 2 * half, bases, &z);
    tap_ok(ok && z < one_copy + one_copy / 50, "a second copy costs under 2%% of the first (%zu vs %zu B)",
           z, one_copy);

    /* the second copy with a substitution every 100 bases: repeats resume
       at the same offset */
    for (size_t i = half + 50; i < 2 * half; i += 100)
        d[i] = (uint8_t)((d[i] + 1) & 3);
    ok = round_trip(cctx, d, 2 * half, bases, &z);
    tap_ok(ok && z < one_copy + one_copy / 5,
           "a copy with a substitution every 100 bases costs under 20%% (%zu vs %zu B)", z, one_copy);

    /* a single repeated byte: overlapping matches at offset 1 */
    memset(d, 2, 4 * half);
    ok = round_trip(cctx, d, 4 * half, bases, &z);
    tap_ok(ok && z < 1024, "256 KiB of one code (%zu B)", z);

    /* random bytes: nothing to find */
    for (size_t i = 0; i < 2 * half; i++)
        d[i] = (uint8_t)next(&seed);
    tap_ok(round_trip(cctx, d, 2 * half, tuples, &z), "128 KiB of random bytes");

    /* random bytes (as tuples, four bases a byte) holding a copy of 32 KiB
       from 200 KiB back */
    for (size_t i = 0; i < 4 * half; i++)
        d[i] = (uint8_t)(next(&seed));
    memcpy(d + 3 * half, d + 1000, half / 2);
    ok = round_trip(cctx, d, 4 * half, tuples, &z);
    tap_ok(ok && z < 4 * half - half / 2 + half / 50,
           "a copy 200 KiB back in 256 KiB of random bytes is found (%zu B)", z);

    /* sizes around the key lengths and the end of the input */
    int edges_ok = 1;
    for (size_t n = 1; n <= 70 && edges_ok; n++) {
        for (size_t i = 0; i < n; i++)
            d[i] = (uint8_t)(i % 7);
        edges_ok = round_trip(cctx, d, n, bases, &z) && round_trip(cctx, d, n, tuples, &z) &&
                   round_trip(cctx, d, n, (rg_long_match_params){ 40, 1 }, &z);
    }
    tap_ok(edges_ok, "periodic inputs of 1..70 bytes, keys of 4, 16 and 32 bytes");

    uint8_t *out = NULL;
    size_t out_len = 0;
    tap_ok(rg_zstd_long_match_frame(cctx, d, 100, (rg_long_match_params){ 3, 3 }, 0, &out, &out_len) ==
               RAGC_ERR_ARG && !out,
           "a minimum match under 4 is refused");
    tap_ok(rg_zstd_long_match_frame(cctx, d, 100, (rg_long_match_params){ 16, 0 }, 0, &out, &out_len) ==
               RAGC_ERR_ARG && !out,
           "a repeat minimum of 0 is refused");
    tap_ok(rg_zstd_long_match_frame(cctx, NULL, 100, bases, 0, &out, &out_len) == RAGC_ERR_ARG,
           "no input is refused");

    /* the context is left usable for ordinary compression */
    size_t cap = ZSTD_compressBound(half);
    uint8_t *plain = malloc(cap);
    size_t pz = plain ? ZSTD_compressCCtx(cctx, plain, cap, d, half, 3) : 0;
    uint8_t *back = malloc(half);
    tap_ok(plain && back && !ZSTD_isError(pz) && ZSTD_decompress(back, half, plain, pz) == half &&
               memcmp(back, d, half) == 0,
           "the context compresses at a level afterwards");
    free(plain);
    free(back);
    free(d);
    ZSTD_freeCCtx(cctx);
    return tap_done();
}
