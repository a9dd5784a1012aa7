/* segment_write.c -- encoding group parts; see segment_write.h. */
#include "segment_write.h"

#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <htslib/hts_log.h>

#include "ragc.h"
#include "shard.h"   /* RG_SHARD_DRAFT_LEVEL */
#include "zstd_sequences.h"

int rg_tuples_pack(const uint8_t *codes, size_t n, rg_bytes *out)
{
    uint8_t mx = 0;
    for (size_t i = 0; i < n; i++)
        if (codes[i] > mx)
            mx = codes[i];
    if (mx >= 16) {
        if (n == SIZE_MAX || rg_bytes_reserve(out, n + 1) < 0)
            return RAGC_ERR_NOMEM;
        if (n)
            memcpy(out->s + out->len, codes, n);
        out->len += n;
        out->s[out->len++] = 0x10;
        return RAGC_OK;
    }
    unsigned w = mx < 4 ? 4 : mx < 6 ? 3 : 2;
    unsigned base = mx < 4 ? 4 : mx < 6 ? 6 : 16;
    size_t full = n / w, r = n % w;
    if (rg_bytes_reserve(out, full + 2) < 0)
        return RAGC_ERR_NOMEM;
    uint8_t *o = out->s + out->len;
    const uint8_t *p = codes;
    for (size_t i = 0; i < full; i++, p += w) {
        unsigned c = 0;
        for (unsigned j = 0; j < w; j++)
            c = c * base + p[j];
        *o++ = (uint8_t)c;
    }
    unsigned c = 0;
    for (size_t j = 0; j < r; j++)
        c = c * base + p[j];
    *o++ = (uint8_t)c;
    *o++ = (uint8_t)((w << 4) + r);
    out->len += full + 2;
    return RAGC_OK;
}

/* Positions j < n with a[j] == b[j].  Called for 28 lags over every new
   group's reference; SSE2 (every x86-64) compares 16 codes at a time,
   elsewhere eight at a time in a word, where a byte of a ^ b is zero
   exactly where the codes are equal. */
static size_t count_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
    size_t same = 0, j = 0;
#ifdef __SSE2__
    while (j + 16 <= n) {
        /* up to 255 blocks of equal-byte flags (0 or 1) add up per byte */
        size_t blocks = (n - j) / 16 < 255 ? (n - j) / 16 : 255;
        __m128i acc = _mm_setzero_si128();
        for (size_t t = 0; t < blocks; t++, j += 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(a + j));
            __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(b + j));
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(x, y));   /* -1 where equal */
        }
        __m128i sums = _mm_sad_epu8(acc, _mm_setzero_si128());
        same += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
    }
#else
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL, ones = 0x0101010101010101ULL;
    for (; j + 8 <= n; j += 8) {
        uint64_t x, y;
        memcpy(&x, a + j, 8);
        memcpy(&y, b + j, 8);
        x ^= y;
        /* bit 7 of each byte: set iff the byte is non-zero */
        uint64_t nonzero = (((x & low7) + low7) | x) & ~low7;
        same += 8 - (size_t)(((nonzero >> 7) * ones) >> 56);
    }
#endif
    for (; j < n; j++)
        same += a[j] == b[j];
    return same;
}

int rg_reference_prefers_plain(const uint8_t *codes, size_t n)
{
    /* agc: for each lag 4..31 the fraction of positions j (j + lag < n) whose
       code repeats at j + lag, over the positions holding A/C/G/T; stop once
       the best fraction reaches 0.5. */
    size_t acgt_all = 0;
    for (size_t j = 0; j < n; j++)
        acgt_all += codes[j] < 4;
    /* A/C/G/T among the last `lag` codes, which no position j + lag reaches */
    size_t acgt_tail = 0, tail = 0;
    double best = 0.0;
    for (size_t lag = 4; lag < 32; lag++) {
        while (tail < lag && tail < n)
            acgt_tail += codes[n - 1 - tail++] < 4;
        if (n <= lag)
            continue;
        size_t same = count_equal(codes, codes + lag, n - lag);
        size_t acgt = acgt_all - acgt_tail;
        double frac = acgt ? (double)same / (double)acgt : 0.0;
        if (frac > best) {
            best = frac;
            if (best >= 0.5)
                break;
        }
    }
    return best >= 0.5;
}

static int zstd_failed(size_t z)
{
    hts_log_error("zstd compression failed: %s", ZSTD_getErrorName(z));
    return RAGC_ERR_NOMEM;
}

/* A zstd level with some of its parameters replaced (0: the level's). */
typedef struct {
    int level, min_match, search_log, target_length, strategy, chain_log, hash_log;
} zstd_tuning;

/* The packs' settings (segment_write.h).  Measured on the packs of
   senterica-10 and of the chrX set (zstd CPU time; bytes), against agc's
   level 17 and the level 19 ragc used before:
   LZ packs, senterica-10: level 19 + min match 4 1.10-1.20 s, 507099 B;
   level 16 + min match 4 0.58-0.67 s, 509593 B; chrX set: 1.68-1.74 s,
   725957 B -> 0.96-1.05 s, 727188 B.  Raw packs, senterica-10: level 17 +
   min match 4 0.39-0.52 s, 281626 B; btultra2 with search log 1, min match
   6, target length 16 0.25-0.37 s, 281837 B; btopt with search log 2, min
   match 6, target length 32 0.19-0.25 s, 279707 B; btultra with chain and
   hash log 12, search log 1, min match 5, target length 8 (the setting
   now) 0.12-0.13 s, 279128 B (-k 21 -s 10000: 56231 -> 56523 B).  The
   small tables keep the search local, which these packs (short contigs of
   the samples, one after another) reward.
   The LZ packs' extra bytes are paid for by the tuple references
   (compress_tuples; senterica-10: 10221 B smaller than level 13).  LZ
   packs over 16 KiB (btultra at both levels, level 17 searching deeper for
   longer matches, which these texts have): level 17 was 5-15% faster than
   16 there in one series, as fast in a later one, at the same size; below,
   btultra2's level 16 is the faster. */
#define LZ_PACK_SMALL ((size_t)16 << 10)

/* The tuples of references that a level-1 probe barely shrinks (four
   bases a byte) go through rg_zstd_long_match_frame when this libzstd
   allows it, else level 17 + min match 4.  Measured (zstd CPU; bytes
   stored): senterica-10's weak tuples 0.13-0.17 s -> 0.02-0.04 s, 192 B
   smaller; the chrX set's 0.014 s -> 0.003 s, about 100 B larger.  Raw
   packs (a base a byte) were 8 times faster that way too, but 1.5% larger
   (senterica 279707 -> 283856 B): the optimal parser's short matches pay
   there. */
static const rg_long_match_params WEAK_TUPLE_MATCHES = { 4, 3 };

static zstd_tuning pack_tuning(rg_pack_kind kind, size_t n)
{
    switch (kind) {
    case RG_PACK_LZ:
        return (zstd_tuning){ .level = n > LZ_PACK_SMALL ? 17 : 16, .min_match = 4 };
    case RG_PACK_RAW:
        return (zstd_tuning){ .level = 19, .strategy = ZSTD_btultra, .min_match = 5, .search_log = 1,
                              .target_length = 8, .chain_log = 12, .hash_log = 12 };
    default:
        return (zstd_tuning){ .level = RG_SHARD_DRAFT_LEVEL };
    }
}

/* The level, then each parameter t replaces (0: the level's). */
static size_t set_tuning(ZSTD_CCtx *cctx, zstd_tuning t)
{
    const int params[][2] = {
        { ZSTD_c_compressionLevel, t.level }, { ZSTD_c_minMatch, t.min_match },
        { ZSTD_c_searchLog, t.search_log },   { ZSTD_c_targetLength, t.target_length },
        { ZSTD_c_strategy, t.strategy },      { ZSTD_c_chainLog, t.chain_log },
        { ZSTD_c_hashLog, t.hash_log },
    };
    size_t z = ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters);
    for (size_t k = 0; k < sizeof params / sizeof params[0] && !ZSTD_isError(z); k++)
        if (k == 0 || params[k][1])
            z = ZSTD_CCtx_setParameter(cctx, (ZSTD_cParameter)params[k][0], params[k][1]);
    return z;
}

/* zstd frame of src with tuning t, then the marker byte; *out malloc'ed. */
static int compress_tuned(ZSTD_CCtx *cctx, const uint8_t *src, size_t n, zstd_tuning t,
                          uint8_t marker, uint8_t **out, size_t *out_len)
{
    size_t bound = ZSTD_compressBound(n);
    if (ZSTD_isError(bound) || bound == SIZE_MAX)
        return zstd_failed(bound);
    uint8_t *buf = malloc(bound + 1);
    if (!buf)
        return RAGC_ERR_NOMEM;
    ZSTD_CCtx *own = NULL;
    if (!cctx && !(cctx = own = ZSTD_createCCtx())) {
        free(buf);
        return RAGC_ERR_NOMEM;
    }
    size_t z = set_tuning(cctx, t);
    if (!ZSTD_isError(z))
        z = ZSTD_compress2(cctx, buf, bound, src, n);
    ZSTD_freeCCtx(own);
    if (ZSTD_isError(z)) {
        free(buf);
        return zstd_failed(z);
    }
    buf[z] = marker;
    *out = buf;
    *out_len = z + 1;
    return RAGC_OK;
}

/* zstd frame of src at level, then the marker byte; *out malloc'ed. */
static int compress_marked(ZSTD_CCtx *cctx, const uint8_t *src, size_t n, int level,
                           uint8_t marker, uint8_t **out, size_t *out_len)
{
    return compress_tuned(cctx, src, n, (zstd_tuning){ .level = level }, marker, out, out_len);
}

/* The part is data itself, metadata 0. */
static int raw_part(const uint8_t *data, size_t n, uint8_t **part, size_t *len, uint64_t *meta)
{
    uint8_t *p = malloc(n ? n : 1);
    if (!p)
        return RAGC_ERR_NOMEM;
    if (n)
        memcpy(p, data, n);
    *part = p;
    *len = n;
    *meta = 0;
    return RAGC_OK;
}

/* Keeps the compressed form z (frame + marker) if it is shorter than n,
   else stores data raw (agc: packed_size + 1 < data.size()). */
static int choose(uint8_t *z, size_t zlen, const uint8_t *data, size_t n, uint8_t **part,
                  size_t *len, uint64_t *meta)
{
    if (zlen < n) {
        uint8_t *shrunk = realloc(z, zlen);
        *part = shrunk ? shrunk : z;
        *len = zlen;
        *meta = n;
        return RAGC_OK;
    }
    free(z);
    return raw_part(data, n, part, len, meta);
}

/* The tuple form: level 13, or level 17 with 4-byte minimum matches for a
   part that a level-1 probe leaves at more than 99% of its size (the
   tuples of bacterial references, where level 17 with its literal
   statistics wins; segment_write.h). */
static int compress_tuples(ZSTD_CCtx *cctx, const rg_bytes *t, uint8_t **z, size_t *zlen)
{
    uint8_t *probe;
    size_t probe_len;
    int r = compress_tuned(cctx, t->s, t->len, (zstd_tuning){ .level = 1 }, 1, &probe, &probe_len);
    if (r < 0)
        return r;
    free(probe);
    int weak = (double)probe_len > 0.99 * (double)t->len;
    if (weak) {
        r = rg_zstd_long_match_frame(cctx, t->s, t->len, WEAK_TUPLE_MATCHES, 1, z, zlen);
        if (r != RAGC_ERR_ARG)
            return r;
    }
    zstd_tuning tune = weak ? (zstd_tuning){ .level = RG_ZSTD_LEVEL_REF_TUPLES_WEAK, .min_match = 4 }
                            : (zstd_tuning){ .level = RG_ZSTD_LEVEL_REF_TUPLES };
    return compress_tuned(cctx, t->s, t->len, tune, 1, z, zlen);
}

int rg_encode_reference_part(ZSTD_CCtx *cctx, const uint8_t *codes, size_t n, uint8_t **part,
                             size_t *len, uint64_t *meta)
{
    *part = NULL;
    *len = 0;
    *meta = 0;
    if (n && !codes)
        return RAGC_ERR_ARG;
    uint8_t *z = NULL;
    size_t zlen = 0;
    int r;
    if (rg_reference_prefers_plain(codes, n)) {
        r = compress_marked(cctx, codes, n, RG_ZSTD_LEVEL_REF_PLAIN, 0, &z, &zlen);
    } else {
        rg_bytes t = { 0 };
        r = rg_tuples_pack(codes, n, &t);
        if (r == RAGC_OK)
            r = compress_tuples(cctx, &t, &z, &zlen);
        rg_bytes_free(&t);
    }
    if (r < 0)
        return r;
    return choose(z, zlen, codes, n, part, len, meta);
}

int rg_encode_pack_part(ZSTD_CCtx *cctx, const uint8_t *pack, size_t n, uint8_t **part,
                        size_t *len, uint64_t *meta)
{
    return rg_encode_pack_part_kind(cctx, pack, n, RG_PACK_LZ, part, len, meta);
}

int rg_encode_pack_part_kind(ZSTD_CCtx *cctx, const uint8_t *pack, size_t n, rg_pack_kind kind,
                             uint8_t **part, size_t *len, uint64_t *meta)
{
    *part = NULL;
    *len = 0;
    *meta = 0;
    if (n && !pack)
        return RAGC_ERR_ARG;
    uint8_t *z = NULL;
    size_t zlen = 0;
    int r = compress_tuned(cctx, pack, n, pack_tuning(kind, n), 0, &z, &zlen);
    if (r < 0)
        return r;
    return choose(z, zlen, pack, n, part, len, meta);
}

int rg_pack_append(rg_bytes *pack, const uint8_t *item, size_t len)
{
    if (len == SIZE_MAX || rg_bytes_reserve(pack, len + 1) < 0)
        return RAGC_ERR_NOMEM;
    if (len)
        memcpy(pack->s + pack->len, item, len);
    pack->len += len;
    pack->s[pack->len++] = RG_PACK_SEPARATOR;
    return RAGC_OK;
}
