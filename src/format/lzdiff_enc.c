/* lzdiff_enc.c -- agc's LZ-diff dialect 2 encoder, estimator and coding-cost
   vector over a sparse hash index of the group reference; see lzdiff_enc.h. */
#include "lzdiff_enc.h"

#include <stdlib.h>
#include <string.h>

#include "kmer.h"   /* rg_murmur64 */
#include "ragc.h"

#define HASH_STEP 4            /* every 4th reference position is indexed */
#define MAX_PROBES 64
#define PAD_SYMBOL 31
#define N_CODE 4
#define N_RUN_START 0x1E
#define MIN_N_RUN 4
#define NO_CODE UINT64_MAX     /* a window holding a symbol > 3 */
#define EMPTY_SLOT UINT32_MAX
#define SLACK 16               /* extra padding bytes (never compared) */

struct rg_lz_index {
    uint8_t *ref;        /* reference + key_len (+ SLACK) symbols 31 */
    size_t ref_len;
    uint32_t m;          /* min_match_len */
    uint32_t key_len;    /* m - 3 */
    uint64_t key_mask;
    /* slot -> reference position / 4, or empty.  For references of fewer
       than 2^16 - 1 indexed positions (every segment of usual sizes) a slot
       is 3 bytes (ht3): the position (16 bits, little-endian; 0xFFFF when
       empty) and a check, the top 8 bits of the key's hash: a differing
       check means a differing key, i.e. a candidate agc would reject
       (forward match shorter than key_len), so it is skipped without
       touching the reference.  Longer references have 4-byte slots (ht,
       EMPTY_SLOT when empty).  The index of every group of a collection is
       kept: 3 bytes a slot instead of 4 took 35 MB off the 206 MB of the
       chrX set's indexes. */
    uint32_t *ht;
    uint8_t *ht3;
    uint64_t ht_mask;
};

#define EMPTY_POS3 0xFFFFu

static inline uint32_t slot3_pos(const uint8_t *e)
{
    return (uint32_t)e[0] | (uint32_t)e[1] << 8;
}

/* ---- helpers ------------------------------------------------------------ */

/* 2-bit packing of s[0..k), first symbol most significant; NO_CODE if a
   symbol is not ACGT. */
static inline uint64_t window_code(const uint8_t *s, uint32_t k)
{
    uint64_t x = 0;
    uint8_t bad = 0;
    for (uint32_t j = 0; j < k; j++) {
        bad |= s[j];
        x = (x << 2) | (s[j] & 3u);
    }
    return (bad & ~3u) ? NO_CODE : x;
}

/* The code of the window one position further, given the previous one. */
static inline uint64_t roll_code(const rg_lz_index *ix, uint64_t prev, uint8_t in)
{
    if (in > 3)
        return NO_CODE;
    return ((prev << 2) & ix->key_mask) + in;
}

/* Length of the common prefix of a and b, at most max. */
static inline size_t common_prefix(const uint8_t *a, const uint8_t *b, size_t max)
{
    size_t k = 0;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (k + 8 <= max) {
        uint64_t x, y;
        memcpy(&x, a + k, 8);
        memcpy(&y, b + k, 8);
        uint64_t d = x ^ y;
        if (d)
            return k + (size_t)(__builtin_ctzll(d) >> 3);
        k += 8;
    }
#endif
    while (k < max && a[k] == b[k])
        k++;
    return k;
}

/* Length of the N run at s (max symbols available), 0 unless it starts
   with three N. */
static inline size_t n_run_len(const uint8_t *s, size_t max)
{
    if (max < 3 || s[0] != N_CODE || s[1] != N_CODE || s[2] != N_CODE)
        return 0;
    size_t r = 3;
    while (r < max && s[r] == N_CODE)
        r++;
    return r;
}

/* The key of the next position, hashed ahead of time. */
typedef struct {
    uint64_t code, hash;
} lookahead;

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* The hash of the key code at position i (taken from the look-ahead when
   it was computed there), and the slot of position i + 1's key prefetched:
   a probe misses the cache (an index is 100-250 kB, and the parse visits
   several groups' indexes), and after a literal the next probe is position
   i + 1's, whose key is known now (the key rolled on by text[i + kl]);
   after a match the look-ahead is wasted.  next: text + i + kl, or NULL
   when position i + 1 is past the parse. */
static inline uint64_t hash_ahead(const rg_lz_index *ix, uint64_t code, const uint8_t *next, lookahead *la)
{
    uint64_t h = code == la->code ? la->hash : rg_murmur64(code);
    la->code = NO_CODE;
    if (next && *next <= 3) {
        la->code = ((code << 2) & ix->key_mask) + *next;
        la->hash = rg_murmur64(la->code);
        uint64_t slot = la->hash & ix->ht_mask;
        PREFETCH(ix->ht3 ? (const void *)(ix->ht3 + 3 * slot) : (const void *)(ix->ht + slot));
    }
    return h;
}

typedef struct {
    size_t pos;   /* reference position of the forward part */
    size_t bck;   /* backward extension over preceding literals */
    size_t fwd;   /* forward length */
} lz_match;

/* agc's find_best_match: probes the slots of the key (hash: its
   rg_murmur64), keeps the candidate with
   the longest bck + fwd (longer than m; earliest on ties), counting only
   candidates whose forward part covers a whole key.  text is the whole
   text, i the current position, npl the literals emitted just before i. */
static inline int find_best(const rg_lz_index *ix, uint64_t hash, const uint8_t *text, size_t i,
                            size_t n, size_t npl, lz_match *best)
{
    const uint8_t *s = text + i, *R = ix->ref;
    uint64_t slot = hash & ix->ht_mask;
    uint8_t check = (uint8_t)(hash >> 56);
    size_t best_len = ix->m, rest = n - i;
    int found = 0;
    for (int t = 0; t < MAX_PROBES; t++, slot = (slot + 1) & ix->ht_mask) {
        uint32_t v;
        if (ix->ht3) {
            const uint8_t *e = ix->ht3 + 3 * slot;
            if ((v = slot3_pos(e)) == EMPTY_POS3)
                break;
            if (e[2] != check)
                continue;
        } else if ((v = ix->ht[slot]) == EMPTY_SLOT) {
            break;
        }
        size_t h = (size_t)v * HASH_STEP;
        size_t cap = ix->ref_len - h;   /* the padding never matches */
        size_t f = common_prefix(s, R + h, rest < cap ? rest : cap);
        if (f >= ix->key_len) {
            size_t lim = npl < h ? npl : h, b = 0;
            while (b < lim && s[-1 - (ptrdiff_t)b] == R[h - 1 - b])
                b++;
            if (b + f > best_len) {
                best->pos = h;
                best->bck = b;
                best->fwd = f;
                best_len = b + f;
                found = 1;
            }
        }
    }
    return found;
}

static inline int same_as_ref(const rg_lz_index *ix, const uint8_t *text, size_t n)
{
    return n == ix->ref_len && (n == 0 || memcmp(text, ix->ref, n) == 0);
}

/* ---- index -------------------------------------------------------------- */

rg_lz_index *rg_lz_index_build(const uint8_t *ref, size_t ref_len, uint32_t min_match_len)
{
    if (min_match_len < HASH_STEP || min_match_len > 31 + HASH_STEP - 1)
        return NULL;
    if (ref_len > UINT32_MAX - 64)
        return NULL;
    rg_lz_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return NULL;
    ix->m = min_match_len;
    ix->key_len = min_match_len - HASH_STEP + 1;
    ix->key_mask = UINT64_MAX >> (64 - 2 * ix->key_len);
    ix->ref_len = ref_len;
    size_t padded = ref_len + ix->key_len;
    ix->ref = malloc(padded + SLACK);
    if (!ix->ref)
        goto fail;
    if (ref_len)
        memcpy(ix->ref, ref, ref_len);
    memset(ix->ref + ref_len, PAD_SYMBOL, ix->key_len + SLACK);

    /* Codes of the windows at positions 0, 4, 8, ... below ref_len (a
       window reaching into the padding is never valid). */
    size_t n_pos = (ref_len + HASH_STEP - 1) / HASH_STEP;
    uint64_t *codes = malloc((n_pos ? n_pos : 1) * sizeof *codes);
    if (!codes)
        goto fail;
    uint64_t n_valid = 0;
    for (size_t k = 0; k < n_pos; k++) {
        size_t t = k * HASH_STEP;
        codes[k] = t + ix->key_len <= ref_len ? window_code(ix->ref + t, ix->key_len) : NO_CODE;
        n_valid += codes[k] != NO_CODE;
    }

    /* agc: n / 0.7 truncated, its highest power of two, doubled, >= 8. */
    uint64_t size = (uint64_t)((double)n_valid / 0.7);
    while (size & (size - 1))
        size &= size - 1;
    size <<= 1;
    if (size < 8)
        size = 8;
    ix->ht_mask = size - 1;
    if (n_pos < EMPTY_POS3) {
        ix->ht3 = malloc(3 * size);
        if (ix->ht3)
            memset(ix->ht3, 0xFF, 3 * size);
    } else {
        ix->ht = malloc(size * sizeof *ix->ht);
        if (ix->ht)
            memset(ix->ht, 0xFF, size * sizeof *ix->ht);
    }
    if (!ix->ht3 && !ix->ht) {
        free(codes);
        goto fail;
    }
    for (size_t k = 0; k < n_pos; k++) {
        if (codes[k] == NO_CODE)
            continue;
        uint64_t hash = rg_murmur64(codes[k]), slot = hash & ix->ht_mask;
        for (int t = 0; t < MAX_PROBES; t++) {
            uint64_t at = (slot + (uint64_t)t) & ix->ht_mask;
            if (ix->ht3) {
                uint8_t *e = ix->ht3 + 3 * at;
                if (slot3_pos(e) == EMPTY_POS3) {
                    e[0] = (uint8_t)k;
                    e[1] = (uint8_t)(k >> 8);
                    e[2] = (uint8_t)(hash >> 56);
                    break;
                }
            } else if (ix->ht[at] == EMPTY_SLOT) {
                ix->ht[at] = (uint32_t)k;
                break;
            }
        }
    }
    free(codes);
    return ix;

fail:
    rg_lz_index_free(ix);
    return NULL;
}

void rg_lz_index_free(rg_lz_index *ix)
{
    if (!ix)
        return;
    free(ix->ref);
    free(ix->ht);
    free(ix->ht3);
    free(ix);
}

size_t rg_lz_index_ref_len(const rg_lz_index *ix)
{
    return ix->ref_len;
}

const uint8_t *rg_lz_index_ref(const rg_lz_index *ix)
{
    return ix->ref;
}

uint32_t rg_lz_index_min_match_len(const rg_lz_index *ix)
{
    return ix->m;
}

/* ---- encoder ------------------------------------------------------------ */

/* Writes the decimal digits of x at p; returns the count. */
static inline size_t put_uint(uint8_t *p, uint64_t x)
{
    uint8_t tmp[24];
    size_t k = 0;
    do {
        tmp[k++] = (uint8_t)('0' + x % 10);
        x /= 10;
    } while (x);
    for (size_t j = 0; j < k; j++)
        p[j] = tmp[k - 1 - j];
    return k;
}

/* The key code of the window at text[i]: rolled on by one base while
   literals continue (npl of them), computed afresh after a token. */
static inline uint64_t key_code_at(const rg_lz_index *ix, uint64_t prev, size_t npl, const uint8_t *text,
                                   size_t i)
{
    const size_t kl = ix->key_len;
    return prev != NO_CODE && npl > 0 ? roll_code(ix, prev, text[i + kl - 1])
                                      : window_code(text + i, (uint32_t)kl);
}

#define TOKEN_ROOM 48   /* more than the longest N-run or match token */

int rg_lz_encode(const rg_lz_index *ix, const uint8_t *text, size_t n, rg_bytes *out)
{
    if (same_as_ref(ix, text, n))
        return 0;
    const size_t kl = ix->key_len, m = ix->m;
    const uint8_t *R = ix->ref;
    /* Literals are one byte a symbol; longer tokens check for room. */
    if (rg_bytes_reserve(out, n / 8 + TOKEN_ROOM) < 0)
        return RAGC_ERR_NOMEM;
    size_t i = 0, pred = 0, npl = 0;
    uint64_t prev = NO_CODE;
    lookahead la = { NO_CODE, 0 };
    while (i + kl < n) {
        if (out->cap - out->len < TOKEN_ROOM && rg_bytes_reserve(out, (n - i) / 8 + TOKEN_ROOM) < 0)
            return RAGC_ERR_NOMEM;
        uint64_t x = prev = key_code_at(ix, prev, npl, text, i);
        lz_match mt;
        if (x == NO_CODE) {
            size_t r = n_run_len(text + i, n - i);
            if (r >= MIN_N_RUN) {
                uint8_t *o = out->s + out->len;
                size_t k = 0;
                o[k++] = N_RUN_START;
                k += put_uint(o + k, r - MIN_N_RUN);
                o[k++] = N_CODE;
                out->len += k;
                i += r;
                npl = 0;
                continue;
            }
        } else if (find_best(ix, hash_ahead(ix, x, i + kl + 1 < n ? text + i + kl : NULL, &la), text, i, n,
                             npl, &mt)) {
            /* The backward part replaces the literals emitted last. */
            size_t b = mt.bck, len = mt.bck + mt.fwd, p = mt.pos - b;
            out->len -= b;
            pred -= b;
            i -= b;
            if (p == pred) {
                /* Literals just before that agree with the reference at
                   their predicted positions become '!'. */
                uint8_t *e = out->s;
                size_t E = out->len;
                for (size_t j = 1; j < E && j < p; j++) {
                    uint8_t c = e[E - j];
                    if (c < 'A' || c > 'Z')
                        break;
                    if ((size_t)(c - 'A') == R[p - j])
                        e[E - j] = '!';
                }
            }
            uint8_t *o = out->s + out->len;
            size_t k = 0;
            if (p >= pred) {
                k += put_uint(o, p - pred);
            } else {
                o[k++] = '-';
                k += put_uint(o + k, pred - p);
            }
            if (!(i + len == n && p + len == ix->ref_len)) {
                o[k++] = ',';
                k += put_uint(o + k, len - m);
            }
            o[k++] = '.';
            out->len += k;
            pred = p + len;
            i += len;
            npl = 0;
            continue;
        }
        out->s[out->len++] = (uint8_t)('A' + text[i]);
        i++;
        pred++;
        npl++;
    }
    if (i < n) {
        if (rg_bytes_reserve(out, n - i) < 0)
            return RAGC_ERR_NOMEM;
        for (; i < n; i++)
            out->s[out->len++] = (uint8_t)('A' + text[i]);
    }
    return 0;
}

/* ---- estimator ---------------------------------------------------------- */

/* Decimal digits of x, capped at 8 (agc's estimator). */
static inline uint32_t ud8(uint32_t x)
{
    uint32_t d = 1;
    while (x >= 10 && d < 8) {
        x /= 10;
        d++;
    }
    return d;
}

/* Characters of the signed difference p - pred (a '-' and capped digits). */
static inline uint32_t id8(uint32_t p, uint32_t pred)
{
    return p >= pred ? ud8(p - pred) : 1 + ud8(pred - p);
}

uint32_t rg_lz_estimate(const rg_lz_index *ix, const uint8_t *text, size_t n, uint32_t bound)
{
    if (same_as_ref(ix, text, n))
        return 0;
    const uint32_t kl = ix->key_len, m = ix->m, nn = (uint32_t)n;
    uint32_t cost = 0, i = 0, pred = 0, npl = 0;
    uint64_t prev = NO_CODE;
    lookahead la = { NO_CODE, 0 };
    while (i + kl < nn) {
        if (cost > bound)
            return cost;
        uint64_t x = prev = key_code_at(ix, prev, npl, text, i);
        lz_match mt;
        if (x == NO_CODE) {
            uint32_t r = (uint32_t)n_run_len(text + i, nn - i);
            if (r >= MIN_N_RUN) {
                cost += 2 + ud8(r);   /* agc counts r, not r - 4 */
                i += r;
                npl = 0;
                continue;
            }
        } else if (find_best(ix, hash_ahead(ix, x, i + kl + 1 < nn ? text + i + kl : NULL, &la), text, i,
                             nn, npl, &mt)) {
            /* No backward adjustment: the literals stay counted and the
               match is costed from its unadjusted position. */
            uint32_t p = (uint32_t)mt.pos, len = (uint32_t)(mt.bck + mt.fwd);
            uint32_t c = id8(p, pred) + 1;
            if (!(i + len == nn && (size_t)p + len == ix->ref_len))
                c += 1 + ud8(len - m);
            cost += c;
            pred = p + len;
            i += len;   /* may overshoot the end by bck */
            npl = 0;
            continue;
        }
        cost++;
        i++;
        pred++;
        npl++;
    }
    cost += nn - i;   /* uint32: wraps when i overshot */
    return cost;
}

/* ---- coding-cost vector ------------------------------------------------- */

/* Decimal digits of x (up to 10). */
static inline uint32_t ud10(uint32_t x)
{
    uint32_t d = 1;
    while (x >= 10) {
        x /= 10;
        d++;
    }
    return d;
}

/* Puts a token's cost over [i, i + len): at its first or last position. */
static inline void put_cost(uint32_t *v, size_t i, size_t len, uint32_t cost, int prefix)
{
    memset(v + i, 0, len * sizeof *v);
    v[prefix ? i : i + len - 1] = cost;
}

int rg_lz_cost_vector(const rg_lz_index *ix, const uint8_t *text, size_t n, int prefix_mode,
                      uint32_t **costs)
{
    *costs = NULL;
    if (n == 0)
        return 0;
    uint32_t *v = malloc(n * sizeof *v);
    if (!v)
        return RAGC_ERR_NOMEM;
    const size_t kl = ix->key_len, m = ix->m;
    size_t i = 0, pred = 0, npl = 0;
    uint64_t prev = NO_CODE;
    lookahead la = { NO_CODE, 0 };
    while (i + kl < n) {
        uint64_t x = prev = key_code_at(ix, prev, npl, text, i);
        lz_match mt;
        if (x == NO_CODE) {
            size_t r = n_run_len(text + i, n - i);
            if (r >= MIN_N_RUN) {
                put_cost(v, i, r, 2 + ud10((uint32_t)(r - MIN_N_RUN)), prefix_mode);
                i += r;
                npl = 0;
                continue;
            }
        } else if (find_best(ix, hash_ahead(ix, x, i + kl + 1 < n ? text + i + kl : NULL, &la), text, i, n,
                             npl, &mt)) {
            size_t b = mt.bck, len = mt.bck + mt.fwd, p = mt.pos - b;
            pred -= b;
            i -= b;   /* the last b literal costs are overwritten */
            uint32_t c = p >= pred ? ud10((uint32_t)(p - pred)) : 1 + ud10((uint32_t)(pred - p));
            c += ud10((uint32_t)(len - m)) + 2;
            put_cost(v, i, len, c, prefix_mode);
            pred = p + len;
            i += len;
            npl = 0;
            continue;
        }
        v[i] = 1;
        i++;
        pred++;
        npl++;
    }
    for (; i < n; i++)
        v[i] = 1;
    *costs = v;
    return 0;
}
