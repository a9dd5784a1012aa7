/* zstd_sequences.c -- long-match parsing plus zstd's entropy stage; see
   zstd_sequences.h. */
#define ZSTD_STATIC_LINKING_ONLY   /* ZSTD_compressSequences, ZSTD_Sequence */
#include "zstd_sequences.h"

#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "ragc.h"

/* zstd's frame decoders accept windows up to 2^27 bytes without being told
   to; matches reach no further back than that. */
#define WINDOW_LOG_MAX 27

int rg_zstd_sequences_available(void)
{
    return ZSTD_versionNumber() == ZSTD_VERSION_NUMBER;
}

typedef struct {
    ZSTD_Sequence *s;
    size_t n, cap;
} seq_list;

static int seq_push(seq_list *l, size_t lit, size_t off, size_t len)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        ZSTD_Sequence *s = realloc(l->s, cap * sizeof *s);
        if (!s)
            return RAGC_ERR_NOMEM;
        l->s = s;
        l->cap = cap;
    }
    l->s[l->n++] = (ZSTD_Sequence){ .offset = (unsigned)off, .litLength = (unsigned)lit,
                                    .matchLength = (unsigned)len, .rep = 0 };
    return RAGC_OK;
}

/* Hash of the key bytes at p (4, or a multiple of 8), hash_log bits. */
static inline uint32_t key_hash(const uint8_t *p, size_t key, unsigned hash_log)
{
    if (key == 4) {
        uint32_t w;
        memcpy(&w, p, 4);
        return (uint32_t)(((uint64_t)w * 0x9E3779B97F4A7C15ULL) >> (64 - hash_log));
    }
    uint64_t h = 0;
    for (size_t j = 0; j < key; j += 8) {
        uint64_t w;
        memcpy(&w, p + j, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 29;
    }
    return (uint32_t)((h * 0xC2B2AE3D27D4EB4FULL) >> (64 - hash_log));
}

/* Bytes from a and b that agree, up to end (b < end, a < b). */
static size_t common_length(const uint8_t *a, const uint8_t *b, const uint8_t *end)
{
    const uint8_t *start = b;
    while (b + 8 <= end) {
        uint64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y)
            return (size_t)(b - start) + ((size_t)__builtin_ctzll(x ^ y) >> 3);
        a += 8;
        b += 8;
    }
    while (b < end && *a == *b) {
        a++;
        b++;
    }
    return (size_t)(b - start);
}

static unsigned log2_ceil(size_t n)
{
    unsigned l = 0;
    while (l < 63 && ((size_t)1 << l) < n)
        l++;
    return l;
}

/* Position + 1 of the last occurrence of each key hash (0: none). */
typedef struct {
    uint32_t *slot;
    unsigned hash_log;
    size_t key;   /* bytes hashed: 4 below 8, else min_match rounded down to 8s, at most 32 */
} match_table;

static inline uint32_t *table_slot(const match_table *t, const uint8_t *p)
{
    return t->slot + key_hash(p, t->key, t->hash_log);
}

/* The match at i: at the last match's offset (rep) when rep_min bytes or
   more agree there, else at the table's position for i's key when
   min_match bytes agree; 0 if neither.  Enters i into the table. */
static size_t match_at(const match_table *t, const uint8_t *src, const uint8_t *end, size_t i,
                       size_t rep, const rg_long_match_params *p, size_t max_offset,
                       size_t *from)
{
    uint32_t *slot = table_slot(t, src + i);
    size_t cand = *slot;
    *slot = (uint32_t)(i + 1);
    size_t len;
    if (rep && i >= rep && (len = common_length(src + i - rep, src + i, end)) >= p->rep_min) {
        *from = i - rep;
        return len;
    }
    if (!cand || i - (cand - 1) > max_offset)
        return 0;
    len = common_length(src + cand - 1, src + i, end);
    *from = cand - 1;
    return len >= p->min_match ? len : 0;
}

/* Greedy parse: each match taken as found and extended backwards over the
   pending literals.  Positions inside matches enter the table too, so later
   copies find the nearest ones. */
static int find_long_matches(const uint8_t *src, size_t n, const rg_long_match_params *p,
                             size_t max_offset, seq_list *out)
{
    size_t mm = p->min_match;
    match_table t = { .key = mm < 8 ? 4 : mm < 32 ? mm & ~(size_t)7 : 32 };
    if (n < mm || n > UINT32_MAX - 1)
        return RAGC_OK;
    unsigned hash_log = log2_ceil(n);
    t.hash_log = hash_log < 10 ? 10 : hash_log > 22 ? 22 : hash_log;
    t.slot = calloc((size_t)1 << t.hash_log, sizeof *t.slot);
    if (!t.slot)
        return RAGC_ERR_NOMEM;
    const uint8_t *end = src + n;
    size_t anchor = 0, last = n - t.key;   /* last position whose key fits */
    size_t rep = 0;                        /* the last match's offset */
    int r = RAGC_OK;
    for (size_t i = 0; i <= last;) {
        size_t c = 0;
        size_t len = match_at(&t, src, end, i, rep, p, max_offset, &c);
        if (!len) {
            i++;
            continue;
        }
        size_t m = i;
        while (m > anchor && c > 0 && src[m - 1] == src[c - 1]) {
            m--;
            c--;
            len++;
        }
        if ((r = seq_push(out, m - anchor, m - c, len)) < 0)
            break;
        rep = m - c;
        size_t stop = m + len;
        for (i++; i < stop && i <= last; i++)
            *table_slot(&t, src + i) = (uint32_t)(i + 1);
        i = anchor = stop;
    }
    free(t.slot);
    return r;
}

static int zstd_refused(size_t z)
{
    hts_log_debug("zstd refused the sequences (%s); using a level instead",
                  ZSTD_getErrorName(z));
    return RAGC_ERR_ARG;
}

/* The frame of src from the sequences in l (the rest literals). */
static int encode_sequences(ZSTD_CCtx *cctx, const uint8_t *src, size_t n, unsigned window_log,
                            const seq_list *l, uint8_t *dst, size_t cap, size_t *z)
{
    size_t e = ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters);
    /* btultra2's entropy decisions; small tables, as no search runs */
    const int params[][2] = {
        { ZSTD_c_compressionLevel, 19 },      { ZSTD_c_strategy, ZSTD_btultra2 },
        { ZSTD_c_windowLog, (int)window_log }, { ZSTD_c_hashLog, 6 },
        { ZSTD_c_chainLog, 6 },               { ZSTD_c_searchLog, 1 },
        { ZSTD_c_blockDelimiters, ZSTD_sf_noBlockDelimiters },
        { ZSTD_c_validateSequences, 1 },
    };
    for (size_t k = 0; k < sizeof params / sizeof params[0] && !ZSTD_isError(e); k++)
        e = ZSTD_CCtx_setParameter(cctx, (ZSTD_cParameter)params[k][0], params[k][1]);
    if (!ZSTD_isError(e))
        e = ZSTD_compressSequences(cctx, dst, cap, l->s, l->n, src, n);
    if (ZSTD_isError(e))
        return zstd_refused(e);
    *z = e;
    return RAGC_OK;
}

/* The frame decodes to src: the experimental API is checked on every use
   (decoding costs about a tenth of finding the matches). */
static int decodes_to(const uint8_t *frame, size_t z, const uint8_t *src, size_t n)
{
    uint8_t *back = malloc(n ? n : 1);
    if (!back)
        return RAGC_ERR_NOMEM;
    size_t got = ZSTD_decompress(back, n, frame, z);
    int same = !ZSTD_isError(got) && got == n && (n == 0 || memcmp(back, src, n) == 0);
    free(back);
    if (!same) {
        hts_log_warning("zstd's sequence API gave a frame that does not decode to its input; "
                        "using a level instead");
        return RAGC_ERR_ARG;
    }
    return RAGC_OK;
}

int rg_zstd_long_match_frame(ZSTD_CCtx *cctx, const uint8_t *src, size_t n,
                             rg_long_match_params p, uint8_t marker, uint8_t **out,
                             size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (!rg_zstd_sequences_available() || p.min_match < 4 || !p.rep_min || (n && !src))
        return RAGC_ERR_ARG;
    size_t bound = ZSTD_compressBound(n);
    if (ZSTD_isError(bound) || bound == SIZE_MAX)
        return RAGC_ERR_ARG;
    unsigned window_log = log2_ceil(n);
    window_log = window_log < ZSTD_WINDOWLOG_MIN ? ZSTD_WINDOWLOG_MIN
               : window_log > WINDOW_LOG_MAX ? WINDOW_LOG_MAX : window_log;
    seq_list l = { 0 };
    int r = find_long_matches(src, n, &p, (size_t)1 << window_log, &l);
    uint8_t *buf = r == RAGC_OK ? malloc(bound + 1) : NULL;
    ZSTD_CCtx *own = NULL;
    if (r == RAGC_OK && (!buf || (!cctx && !(cctx = own = ZSTD_createCCtx()))))
        r = RAGC_ERR_NOMEM;
    size_t z = 0;
    if (r == RAGC_OK)
        r = encode_sequences(cctx, src, n, window_log, &l, buf, bound, &z);
    if (r == RAGC_OK)
        r = decodes_to(buf, z, src, n);
    ZSTD_freeCCtx(own);
    free(l.s);
    if (r < 0) {
        free(buf);
        return r;
    }
    buf[z] = marker;
    *out = buf;
    *out_len = z + 1;
    return RAGC_OK;
}
