/* test_lzdiff_enc.c -- the LZ-diff encoder, estimator and cost vector
   (lzdiff_enc.h).

   1. agc's own bytes: every delta stored by agc 3.2.2 in the format-3
      fixture archives is decoded to its segment, re-encoded against the
      group reference, and must come out byte-identical.
   2. The examples of agc-format.md section 12.3 and more hand cases, then
      ~300 random mutated targets that must round-trip through rg_lz_decode.
   3. Estimate and 4. cost vector on hand-computed cases (derivations in the
      comments follow agc-compression.md sections 11.5 and 11.6).

   Environment: RAGC_SHARED (the extended data, default ../shared: the
   senterica archives are skipped without it); RAGC_LZENC_ALL=1 checks every
   group of the large archives instead of the first 300. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <htslib/hts_log.h>

#include "archive.h"
#include "container.h"
#include "lzdiff.h"
#include "lzdiff_enc.h"
#include "ragc.h"
#include "segment.h"
#include "tap.h"
#include "zstd_util.h"

#define M 20
#define N_TESTS 49

/* ---- PRNG and helpers --------------------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static uint32_t rnd_below(uint32_t n)
{
    return n ? (uint32_t)(rnd() % n) : 0;
}

static void random_codes(uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        s[i] = (uint8_t)(rnd() & 3);
}

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Encodes text into a fresh buffer; returns its bytes NUL-terminated
   (malloc'ed) and the length. */
static char *encode_str(const rg_lz_index *ix, const uint8_t *t, size_t n, size_t *len)
{
    rg_bytes b = { 0 };
    if (rg_lz_encode(ix, t, n, &b) < 0 || rg_bytes_reserve(&b, 1) < 0) {
        rg_bytes_free(&b);
        return NULL;
    }
    b.s[b.len] = 0;
    *len = b.len;
    return (char *)b.s;
}

/* Checks that text encodes to exactly want (wl bytes). */
static void check_encode(const char *what, const rg_lz_index *ix, const uint8_t *t, size_t n,
                         const char *want, size_t wl)
{
    size_t got_len = 0;
    char *got = encode_str(ix, t, n, &got_len);
    if (!tap_ok(got && got_len == wl && memcmp(got, want, wl) == 0, "encode: %s", what)) {
        tap_diag_hex("got", got, got ? got_len : 0);
        tap_diag_hex("want", want, wl);
    }
    free(got);
}

/* Decoding the encoding gives the text back. */
static int round_trip(const rg_lz_index *ix, const uint8_t *ref, size_t rl, const uint8_t *t,
                      size_t n)
{
    rg_bytes d = { 0 }, o = { 0 };
    int ok = rg_lz_encode(ix, t, n, &d) == 0;
    if (ok && n == 0)
        ok = d.len == 0;   /* an empty text encodes to nothing (as agc) */
    else if (ok)
        ok = rg_lz_decode(ref, rl, d.s, d.len, M, 2, &o) == 0 && o.len == n &&
             (n == 0 || memcmp(o.s, t, n) == 0);
    rg_bytes_free(&d);
    rg_bytes_free(&o);
    return ok;
}

/* ---- 1. agc's own bytes ------------------------------------------------- */

typedef struct {
    long groups, refs_only, deltas, mismatches, errors;
    double enc_sec, enc_bytes, ix_sec, ix_bytes, est_sec, cost_sec;
} arc_stats;

static int load_reference(const rg_container *c, int stream, uint8_t **ref, size_t *rl)
{
    uint8_t *data;
    size_t len;
    uint64_t meta;
    int r = rg_container_read_part(c, stream, 0, &data, &len, &meta);
    if (r < 0)
        return r;
    if (meta == 0) {
        *ref = data;
        *rl = len;
        return 0;
    }
    if (len < 2 || data[len - 1] > 1) {
        free(data);
        return RAGC_ERR_FORMAT;
    }
    uint8_t marker = data[len - 1], *raw;
    size_t raw_len;
    r = rg_zstd_bounded(NULL, data, len - 1, (size_t)meta + 2, &raw, &raw_len);
    free(data);
    if (r < 0)
        return r;
    if (marker == 0) {
        if (raw_len != meta) {
            free(raw);
            return RAGC_ERR_FORMAT;
        }
        *ref = raw;
    } else {
        *ref = malloc((size_t)meta + 1);
        if (!*ref || rg_tuples_unpack(raw, raw_len, *ref, (size_t)meta) < 0) {
            free(raw);
            free(*ref);
            return RAGC_ERR_FORMAT;
        }
        free(raw);
    }
    *rl = (size_t)meta;
    return 0;
}

static int load_pack(const rg_container *c, int stream, uint64_t part, uint8_t **pack, size_t *pl)
{
    uint8_t *data;
    size_t len;
    uint64_t meta;
    int r = rg_container_read_part(c, stream, part, &data, &len, &meta);
    if (r < 0)
        return r;
    if (meta == 0) {
        *pack = data;
        *pl = len;
        return 0;
    }
    if (len < 2) {
        free(data);
        return RAGC_ERR_FORMAT;
    }
    r = rg_zstd_exact(NULL, data, len - 1, (size_t)meta, pack);
    free(data);
    *pl = (size_t)meta;
    return r;
}

/* Checks the LZ groups of an archive (at most max_groups of them, 0 = all). */
static int check_archive(const char *name, long max_groups, arc_stats *st)
{
    char rel[256], path[4096];
    snprintf(rel, sizeof rel, "compat/archives/%s", name);
    int status = 0;
    ragc_archive *arc = ragc_open(tap_shared_path(path, sizeof path, rel), &status);
    if (!arc) {
        tap_diag("cannot open %s (status %d)", path, status);
        return -1;
    }
    const rg_container *c = &arc->ctr;
    uint32_t fv = arc->params.file_version, m = arc->params.min_match_len;
    if (fv < 3000) {
        tap_diag("%s: file version %u is not format 3", name, fv);
        ragc_close(arc);
        return -1;
    }
    rg_bytes target = { 0 }, enc = { 0 };
    long shown = 0;
    uint32_t limit = (uint32_t)c->n_streams + RG_RAW_GROUPS;
    for (uint32_t g = RG_RAW_GROUPS; g < limit; g++) {
        if (max_groups && st->groups >= max_groups)
            break;
        char nm[32];
        rg_group_stream_name(nm, g, 1, fv);
        int rs = rg_container_find(c, nm);
        if (rs < 0)
            continue;
        uint8_t *ref = NULL;
        size_t rl = 0;
        if (load_reference(c, rs, &ref, &rl) < 0) {
            st->errors++;
            continue;
        }
        st->groups++;
        rg_group_stream_name(nm, g, 0, fv);
        int ds = rg_container_find(c, nm);
        double t0 = now_sec();
        rg_lz_index *ix = rg_lz_index_build(ref, rl, m);
        st->ix_sec += now_sec() - t0;
        st->ix_bytes += (double)rl;
        long before = st->deltas;
        if (!ix) {
            st->errors++;
            free(ref);
            continue;
        }
        for (uint64_t p = 0; ds >= 0 && p < c->streams[ds].n_parts; p++) {
            uint8_t *pack = NULL;
            size_t pl = 0;
            if (load_pack(c, ds, p, &pack, &pl) < 0) {
                st->errors++;
                continue;
            }
            uint32_t *ends = NULL;
            int64_t ni = rg_pack_index(pack, pl, &ends);
            for (int64_t k = 0; k < ni; k++) {
                size_t from = k ? (size_t)ends[k - 1] + 1 : 0, dl = ends[k] - from;
                const uint8_t *d = pack + from;
                target.len = 0;
                if (rg_lz_decode(ref, rl, d, dl, m, 2, &target) < 0) {
                    st->errors++;
                    continue;
                }
                enc.len = 0;
                t0 = now_sec();
                int r = rg_lz_encode(ix, target.s, target.len, &enc);
                st->enc_sec += now_sec() - t0;
                /* the estimator and the cost vectors on the same texts:
                   timed, and the two cost modes must sum alike */
                t0 = now_sec();
                (void)rg_lz_estimate(ix, target.s, target.len, UINT32_MAX);
                st->est_sec += now_sec() - t0;
                uint32_t *cv1 = NULL, *cv2 = NULL;
                t0 = now_sec();
                int rc = rg_lz_cost_vector(ix, target.s, target.len, 1, &cv1);
                st->cost_sec += now_sec() - t0;
                rc |= rg_lz_cost_vector(ix, target.s, target.len, 0, &cv2);
                uint64_t s1 = 0, s2 = 0;
                for (size_t q = 0; rc == 0 && q < target.len; q++)
                    s1 += cv1[q], s2 += cv2[q];
                if (rc || s1 != s2)
                    st->errors++;
                free(cv1);
                free(cv2);
                st->enc_bytes += (double)target.len;
                st->deltas++;
                if (r < 0 || enc.len != dl || (dl && memcmp(enc.s, d, dl) != 0)) {
                    st->mismatches++;
                    if (shown++ < 3) {
                        tap_diag("%s group %u pack %llu item %lld: ref %zu, target %zu", name, g,
                                 (unsigned long long)p, (long long)k, rl, target.len);
                        tap_diag_hex("stored", d, dl);
                        tap_diag_hex("ours", enc.s, enc.len);
                    }
                }
            }
            free(ends);
            free(pack);
        }
        if (st->deltas == before)
            st->refs_only++;
        rg_lz_index_free(ix);
        free(ref);
    }
    rg_bytes_free(&target);
    rg_bytes_free(&enc);
    ragc_close(arc);
    return 0;
}

static double total_sec, total_bytes, total_ix_sec, total_ix_bytes, total_est_sec, total_cost_sec;

/* need_deltas: the archive must hold LZ deltas (edge-ok has none). */
static void test_archive(const char *name, long max_groups, int need_deltas)
{
    arc_stats st = { 0 };
    const char *all = getenv("RAGC_LZENC_ALL");
    if (all && *all && strcmp(all, "0") != 0)
        max_groups = 0;
    char rel[256];
    snprintf(rel, sizeof rel, "compat/archives/%s", name);
    if (!tap_need_data(1, name, rel, NULL))
        return;
    int r = check_archive(name, max_groups, &st);
    total_sec += st.enc_sec;
    total_bytes += st.enc_bytes;
    total_ix_sec += st.ix_sec;
    total_ix_bytes += st.ix_bytes;
    total_est_sec += st.est_sec;
    total_cost_sec += st.cost_sec;
    tap_ok(r == 0 && st.mismatches == 0 && st.errors == 0 && (st.deltas > 0 || !need_deltas),
           "%s: %ld LZ groups (%ld without deltas), %ld agc deltas re-encoded, %ld mismatches, "
           "%ld errors", name, st.groups, st.refs_only, st.deltas, st.mismatches, st.errors);
    if (st.enc_sec > 0)
        tap_diag("%s: encoded %.1f MB in %.3f s = %.1f MB/s", name, st.enc_bytes / 1e6,
                 st.enc_sec, st.enc_bytes / 1e6 / st.enc_sec);
}

/* ---- 2. hand cases and round trips -------------------------------------- */

static uint8_t R120[120], R200[200];

static void test_examples(void)
{
    uint8_t t[512];
    size_t n;
    rg_lz_index *ix120 = rg_lz_index_build(R120, 120, M);
    rg_lz_index *ix200 = rg_lz_index_build(R200, 200, M);
    tap_ok(ix120 && ix200 && rg_lz_index_ref_len(ix120) == 120, "index built");

    /* 12.3 a: substitution at 60 (R[60] = C, target A), 10 N after it.
       Copy R[0..60) = "0,40."; literal A; N-run 10 = 1E "6" 04; at 71..73
       the windows start at unindexed reference positions (literals), at
       74 = R[64] the match extends back over the three literals: p = 61 =
       pred, to the end of both: "0.". */
    n = 0;
    memcpy(t, R120, 60), n = 60;
    t[n++] = 0;
    memset(t + n, 4, 10), n += 10;
    memcpy(t + n, R120 + 61, 59), n += 59;
    check_encode("12.3 substitution + N run", ix120, t, n, "0,40.A\x1e"
                 "6\x04"
                 "0.", 11);

    /* 12.3 b: substitutions at 80 and 90 (R = C there, target T = 'D'): the
       nine symbols 81..89 equal R at pred become '!'. */
    memcpy(t, R200, 200), n = 200;
    t[80] = t[90] = 3;
    check_encode("12.3 '!' rewrite", ix200, t, n, "0,60.D!!!!!!!!!D0.", 18);

    /* 12.3 c: 100..102 deleted, ACGT appended. */
    memcpy(t, R200, 100), n = 100;
    memcpy(t + n, R200 + 103, 97), n += 97;
    for (uint8_t c = 0; c < 4; c++)
        t[n++] = c;
    check_encode("12.3 deletion + append", ix200, t, n, "0,80.3,77.ABCD", 14);

    /* Rotation: R[50..120) + R[0..50).  Literals at 0, 1; at 2 = R[52] the
       match extends back 2: p = 50, pred 0, length 70 = "50,50."; then R[0]
       with pred 120: "-120,30." (ends the text, not the reference). */
    memcpy(t, R120 + 50, 70), n = 70;
    memcpy(t + n, R120, 50), n += 50;
    check_encode("rotation, negative offset", ix120, t, n, "50,50.-120,30.", 14);

    /* Identical text: empty; empty text: empty; short texts: literals. */
    check_encode("text == reference", ix200, R200, 200, "", 0);
    check_encode("empty text", ix200, R200, 0, "", 0);
    uint8_t sh[] = { 0, 1, 2, 3, 4, 5, 15, 20, 4, 4, 4, 4, 4 };
    check_encode("short text: literals only, no N-run", ix200, sh, sizeof sh,
                 "ABCDEFPUEEEEE", 13);
    /* 18 symbols: one window, its match (18) is not longer than m. */
    /* Codes 30 and 32 (non-IUPAC characters) become '_' and 'a' as in agc. */
    static const uint8_t odd[] = { 0, 30, 32, 3 };
    check_encode("codes 30 / 32 as agc's '_' / 'a'", ix200, odd, sizeof odd, "A_aD", 4);
    char lit[18];
    for (int k = 0; k < 18; k++)
        lit[k] = (char)('A' + R200[k]);
    check_encode("18-symbol prefix of the reference: literals", ix200, R200, 18, lit, 18);
    /* 30 symbols from 0: match of 30 to the text's end, not the reference's. */
    check_encode("30-symbol prefix: 0,10.", ix200, R200, 30, "0,10.", 5);
    /* R[170..200): 170, 171 unindexed (literals); 172 extends back 2:
       p = 170, pred 0, to the end of both. */
    check_encode("30-symbol suffix: 170.", ix200, R200 + 170, 30, "170.", 4);

    rg_lz_index_free(ix120);
    rg_lz_index_free(ix200);
}

static void test_round_trips(void)
{
    enum { RL = 3000, NT = 300 };
    uint8_t *ref = malloc(RL), *t = malloc(4 * RL);
    random_codes(ref, RL);
    /* a few N runs, IUPAC codes and a repeat in the reference */
    memset(ref + 500, 4, 30);
    for (int k = 0; k < 20; k++)
        ref[rnd_below(RL)] = (uint8_t)(5 + rnd_below(11));
    memcpy(ref + 2000, ref + 1000, 300);
    rg_lz_index *ix = rg_lz_index_build(ref, RL, M);
    int bad = 0, empty_same = 0;
    for (int k = 0; k < NT && ix; k++) {
        size_t n;
        int kind = k % 6;
        if (kind == 5) {   /* short or tiny slices */
            size_t from = rnd_below(RL);
            n = rnd_below(40);
            if (from + n > RL)
                n = RL - from;
            memcpy(t, ref + from, n);
            if (n && rnd_below(2))
                t[rnd_below((uint32_t)n)] = (uint8_t)rnd_below(16);
        } else {
            /* start from a slice of the reference, then mutate */
            size_t from = kind == 0 ? 0 : rnd_below(RL / 2);
            size_t to = kind == 0 ? RL : from + RL / 4 + rnd_below(RL / 2);
            if (to > RL)
                to = RL;
            n = to - from;
            memcpy(t, ref + from, n);
            int nm = (int)rnd_below(kind == 0 && k % 4 == 0 ? 1 : 30);
            for (int q = 0; q < nm; q++) {
                uint32_t op = rnd_below(6), pos = rnd_below((uint32_t)n + 1);
                if (op <= 1 && pos < n) {                 /* substitution */
                    t[pos] = (uint8_t)rnd_below(4);
                } else if (op == 2 && n + 64 < 4 * RL) {  /* insertion */
                    uint32_t len = 1 + rnd_below(40);
                    memmove(t + pos + len, t + pos, n - pos);
                    for (uint32_t j = 0; j < len; j++)
                        t[pos + j] = (uint8_t)rnd_below(4);
                    n += len;
                } else if (op == 3 && pos < n) {          /* deletion */
                    uint32_t len = 1 + rnd_below(60);
                    if (len > n - pos)
                        len = (uint32_t)(n - pos);
                    memmove(t + pos, t + pos + len, n - pos - len);
                    n -= len;
                } else if (op == 4 && n + 128 < 4 * RL) { /* N run */
                    uint32_t len = 1 + rnd_below(100);
                    memmove(t + pos + len, t + pos, n - pos);
                    memset(t + pos, 4, len);
                    n += len;
                } else if (pos < n) {                     /* IUPAC code */
                    t[pos] = (uint8_t)(5 + rnd_below(11));
                }
            }
        }
        if (kind == 0 && k % 4 == 0 && n == RL && memcmp(t, ref, RL) == 0) {
            rg_bytes d = { 0 };
            empty_same += rg_lz_encode(ix, t, n, &d) == 0 && d.len == 0;
            rg_bytes_free(&d);
        }
        if (!round_trip(ix, ref, RL, t, n)) {
            if (bad++ < 3)
                tap_diag("round trip %d failed (n = %zu)", k, n);
        }
    }
    tap_ok(ix && bad == 0, "%d random mutated targets round-trip (%d failures)", NT, bad);
    tap_ok(empty_same > 0, "unmutated copies of the reference encode to nothing (%d)", empty_same);

    /* Appending: the encoder adds to what out already holds. */
    rg_bytes d = { 0 };
    rg_bytes_reserve(&d, 3);
    memcpy(d.s, "xyz", 3);
    d.len = 3;
    memcpy(t, ref, 100);
    t[50] ^= 1;
    int r = rg_lz_encode(ix, t, 100, &d);
    rg_bytes o = { 0 };
    tap_ok(r == 0 && d.len > 3 && memcmp(d.s, "xyz", 3) == 0 &&
               rg_lz_decode(ref, RL, d.s + 3, d.len - 3, M, 2, &o) == 0 && o.len == 100 &&
               memcmp(o.s, t, 100) == 0,
           "encode appends to out");
    rg_bytes_free(&d);
    rg_bytes_free(&o);

    /* Degenerate references: empty (every text is literals) and one full
       of N (nothing indexed). */
    /* i < 6 scanned: ABCD, N-run of 5 at 4 (1E "1" 04), then 9..22 as
       plain literals. */
    rg_lz_index *e = rg_lz_index_build(NULL, 0, M);
    static const uint8_t et[23] = { 0, 1, 2, 3, 4, 4, 4, 4, 4, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1 };
    if (e)
        check_encode("empty reference: literals and an N-run", e, et, 23,
                     "ABCD\x1e" "1\x04" "ABCDABCDABCDAB", 21);
    else
        tap_ok(0, "empty reference index");
    rg_lz_index_free(e);
    tap_ok(rg_lz_index_build(ref, RL, 3) == NULL && rg_lz_index_build(ref, RL, 35) == NULL,
           "min_match_len outside 4..34 refused");
    rg_lz_index_free(ix);
    free(ref);
    free(t);
}

/* ---- 3. estimate -------------------------------------------------------- */

/* The targets of the hand cases (see test_examples). */
static size_t make_ex1(uint8_t *t)   /* R120, substitution at 60 + 10 N */
{
    size_t n = 0;
    memcpy(t, R120, 60), n = 60;
    t[n++] = 0;
    memset(t + n, 4, 10), n += 10;
    memcpy(t + n, R120 + 61, 59), n += 59;
    return n;   /* 130 */
}

static size_t make_ex2(uint8_t *t)   /* R200, substitutions at 80 and 90 */
{
    memcpy(t, R200, 200);
    t[80] = t[90] = 3;
    return 200;
}

static size_t make_ex3(uint8_t *t)   /* R200, 100..102 deleted, ACGT appended */
{
    size_t n;
    memcpy(t, R200, 100), n = 100;
    memcpy(t + n, R200 + 103, 97), n += 97;
    for (uint8_t c = 0; c < 4; c++)
        t[n++] = c;
    return n;   /* 201 */
}

static size_t make_rot(uint8_t *t)   /* R120[50..120) + R120[0..50) */
{
    memcpy(t, R120 + 50, 70);
    memcpy(t + 70, R120, 50);
    return 120;
}

static void test_estimate(void)
{
    uint8_t t[512];
    size_t n;
    rg_lz_index *ix120 = rg_lz_index_build(R120, 120, M);
    rg_lz_index *ix200 = rg_lz_index_build(R200, 200, M);
    const uint32_t INF = UINT32_MAX;

    tap_is_int(rg_lz_estimate(ix200, R200, 200, 0), 0, "estimate: text == reference -> 0");

    /* ex1: match 0..60: id(0) + 1 + 1 + ud(40) = 5; literal A: 6; N-run of
       r = 10: 2 + ud(10) = 4 (r, not r - 4): 10; literals at 71..73: 13;
       at 74 the match R[64..120) extends back 3 but is costed unadjusted:
       p = 64 = pred, len 59, "to the end" tested as 74 + 59 == 130: no ->
       1 + 1 + 1 + ud(39) = 5: 18; i = 133 overshoots; 18 + (130 - 133) in
       uint32 = 15. */
    n = make_ex1(t);
    tap_is_int(rg_lz_estimate(ix120, t, n, INF), 15, "estimate ex1 (N-run costs ud(r), overshoot)");
    /* The bound is only tested at the start of an iteration: the cost is 13
       before the last match, so bound 14 still gives 15, bound 12 gives 13. */
    tap_is_int(rg_lz_estimate(ix120, t, n, 14), 15, "estimate ex1, bound 14: no early return");
    tap_is_int(rg_lz_estimate(ix120, t, n, 12), 13, "estimate ex1, bound 12: early return 13");

    /* ex2: match 0..80: 1 + 1 + 1 + ud(60) = 5; literals 80..91: 17; at 92
       the match extends back 1 (unadjusted: p = 92 = pred, len 109),
       92 + 109 != 200 -> 1 + 1 + 1 + ud(89) = 5: 22; i = 201: 22 - 1 = 21. */
    n = make_ex2(t);
    tap_is_int(rg_lz_estimate(ix200, t, n, INF), 21, "estimate ex2 (uint32 wrap after overshoot)");
    /* Early returns: cost 5 + k at the start of the iteration at 80 + k. */
    tap_is_int(rg_lz_estimate(ix200, t, n, 10), 11, "estimate ex2, bound 10 -> 11");
    tap_is_int(rg_lz_estimate(ix200, t, n, 5), 6, "estimate ex2, bound 5 -> 6");
    tap_is_int(rg_lz_estimate(ix200, t, n, 0), 5, "estimate ex2, bound 0 -> 5");

    /* ex3: match 0..100: 5; literal at 100: 6; at 101 the match R[104..200)
       extends back 1: unadjusted p = 104, pred 101: id(3) + 1 = 2, 198 !=
       201 -> + 1 + ud(77) = 5: 11; i = 198: + 3 = 14. */
    n = make_ex3(t);
    tap_is_int(rg_lz_estimate(ix200, t, n, INF), 14, "estimate ex3");

    /* Rotation: literals 0, 1: 2; at 2 the match R[52..120) extends back 2
       (p = 52 unadjusted, pred 2, len 70): id(50) + 1 + 1 + ud(50) = 6: 8;
       pred = 122, i = 72.  72, 73 (R[2], R[3]) unindexed: 10; at 74 the
       match R[4..50) extends back 2 (p = 4, pred 125, len 48):
       id(-121) = 4, + 1, 74 + 48 != 120 -> + 1 + ud(28): 8: 18; i = 122:
       18 - 2 = 16. */
    n = make_rot(t);
    tap_is_int(rg_lz_estimate(ix120, t, n, INF), 16, "estimate rotation (negative offset id = 1 + ud)");

    /* R[0..30): one match to the text's end: 1 + 1 + 1 + ud(10) = 5. */
    tap_is_int(rg_lz_estimate(ix200, R200, 30, INF), 5, "estimate 30-symbol prefix");
    /* R[170..200): 2 literals; at 2 the match (p = 172, pred 2, len 30):
       id(170) + 1 = 4, 32 != 30 -> + 1 + ud(10) = 7: 9; i = 32: 9 - 2 = 7. */
    tap_is_int(rg_lz_estimate(ix200, R200 + 170, 30, INF), 7, "estimate 30-symbol suffix");
    /* Shorter than key_len + 1: n literals. */
    static const uint8_t sh[] = { 0, 1, 2, 3, 4, 5, 15, 20, 4, 4, 4, 4, 4 };
    tap_is_int(rg_lz_estimate(ix200, sh, sizeof sh, INF), 13, "estimate short text = n");
    tap_is_int(rg_lz_estimate(ix200, sh, 0, 0), 0, "estimate empty text = 0");

    rg_lz_index_free(ix120);
    rg_lz_index_free(ix200);
}

/* ---- 4. cost vector ----------------------------------------------------- */

static int vec_is(const uint32_t *v, size_t n, const uint32_t *want)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] != want[i]) {
            tap_diag("position %zu: got %u, expected %u", i, v[i], want[i]);
            return 0;
        }
    return 1;
}

static uint64_t vec_sum(const uint32_t *v, size_t n)
{
    uint64_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    return s;
}

static void test_cost_vector(void)
{
    uint8_t t[512];
    uint32_t want[512], *v = NULL, *w = NULL;
    size_t n;
    rg_lz_index *ix120 = rg_lz_index_build(R120, 120, M);
    rg_lz_index *ix200 = rg_lz_index_build(R200, 200, M);

    /* ex1: match [0,60): d(0) + d(40) + 2 = 5; literal at 60: 1; N-run
       [61,71): 2 + d(10 - 4) = 3; the literals 71..73 are taken back into
       the match [71,130) (p = pred = 61, len 59): d(0) + d(39) + 2 = 5. */
    n = make_ex1(t);
    memset(want, 0, sizeof want);
    want[0] = 5, want[60] = 1, want[61] = 3, want[71] = 5;
    int r = rg_lz_cost_vector(ix120, t, n, 1, &v);
    tap_ok(r == 0 && v && vec_is(v, n, want), "cost vector ex1, prefix mode");
    free(v);
    memset(want, 0, sizeof want);
    want[59] = 5, want[60] = 1, want[70] = 3, want[129] = 5;
    r = rg_lz_cost_vector(ix120, t, n, 0, &v);
    tap_ok(r == 0 && v && vec_is(v, n, want), "cost vector ex1, suffix mode");
    free(v);

    /* Rotation: [0,70) p = 50, pred 0: d(50) + d(50) + 2 = 6; [70,120)
       p = 0, pred 120: 1 + d(120) + d(30) + 2 = 8 (no "to the end" form). */
    n = make_rot(t);
    memset(want, 0, sizeof want);
    want[0] = 6, want[70] = 8;
    r = rg_lz_cost_vector(ix120, t, n, 1, &v);
    tap_ok(r == 0 && v && vec_is(v, n, want), "cost vector rotation, prefix mode");
    free(v);
    memset(want, 0, sizeof want);
    want[69] = 6, want[119] = 8;
    r = rg_lz_cost_vector(ix120, t, n, 0, &v);
    tap_ok(r == 0 && v && vec_is(v, n, want), "cost vector rotation, suffix mode");
    free(v);

    /* ex2: 5 + 11 literals (80..90) + d(0) + d(89) + 2 = 5: 21. */
    n = make_ex2(t);
    memset(want, 0, sizeof want);
    want[0] = 5, want[91] = 5;
    for (int k = 80; k <= 90; k++)
        want[k] = 1;
    r = rg_lz_cost_vector(ix200, t, n, 1, &v);
    tap_ok(r == 0 && v && vec_is(v, n, want) && vec_sum(v, n) == 21, "cost vector ex2, prefix mode");
    free(v);

    /* Short text: all 1; empty text: NULL. */
    static const uint8_t sh[] = { 0, 1, 2, 3, 4, 5, 15, 20, 4, 4, 4, 4, 4 };
    for (size_t k = 0; k < sizeof sh; k++)
        want[k] = 1;
    r = rg_lz_cost_vector(ix200, sh, sizeof sh, 0, &v);
    tap_ok(r == 0 && v && vec_is(v, sizeof sh, want), "cost vector of a short text: ones");
    free(v);
    v = (uint32_t *)1;
    r = rg_lz_cost_vector(ix200, sh, 0, 1, &v);
    tap_ok(r == 0 && v == NULL, "cost vector of an empty text: NULL");

    /* Random targets: prefix and suffix sums agree; every token's cost is
       at its first / last position (checked via equal sums and the number
       of non-zero entries). */
    enum { RL = 2000 };
    uint8_t *ref = malloc(RL), *tt = malloc(2 * RL);
    random_codes(ref, RL);
    memset(ref + 700, 4, 25);
    rg_lz_index *ix = rg_lz_index_build(ref, RL, M);
    int bad = 0;
    for (int k = 0; k < 100 && ix; k++) {
        n = RL / 4 + rnd_below(RL / 2);
        size_t from = rnd_below((uint32_t)(RL - n));
        memcpy(tt, ref + from, n);
        for (int q = 0; q < 15; q++) {
            uint32_t pos = rnd_below((uint32_t)n);
            if (q % 5 == 4) {
                uint32_t len = 1 + rnd_below(20);
                if (pos + len > n)
                    len = (uint32_t)(n - pos);
                memset(tt + pos, 4, len);
            } else {
                tt[pos] = (uint8_t)rnd_below(q % 3 ? 4 : 16);
            }
        }
        v = w = NULL;
        int r1 = rg_lz_cost_vector(ix, tt, n, 1, &v), r2 = rg_lz_cost_vector(ix, tt, n, 0, &w);
        size_t nz1 = 0, nz2 = 0;
        for (size_t i = 0; v && w && i < n; i++)
            nz1 += v[i] != 0, nz2 += w[i] != 0;
        if (r1 || r2 || !v || !w || vec_sum(v, n) != vec_sum(w, n) || nz1 != nz2 ||
            v[0] == 0 || w[n - 1] == 0) {
            if (bad++ < 3)
                tap_diag("cost vector %d: sums %llu / %llu", k,
                         (unsigned long long)(v ? vec_sum(v, n) : 0),
                         (unsigned long long)(w ? vec_sum(w, n) : 0));
        }
        free(v);
        free(w);
    }
    tap_ok(ix && bad == 0, "cost vectors of 100 random targets: prefix sum == suffix sum");
    rg_lz_index_free(ix);
    free(ref);
    free(tt);
    rg_lz_index_free(ix120);
    rg_lz_index_free(ix200);
}

/* ---- speed -------------------------------------------------------------- */

/* ---- main --------------------------------------------------------------- */

int main(void)
{
    hts_set_log_level(HTS_LOG_OFF);
    tap_need_shared();
    tap_plan(N_TESTS);

    /* Fixed references for the hand cases, with the symbols the cases
       depend on set explicitly. */
    random_codes(R120, 120);
    random_codes(R200, 200);
    R120[60] = 1;                  /* ex1: target A at 60 differs */
    R200[80] = R200[90] = 0;       /* ex2: target T at 80 and 90 differs */
    if (R200[103] == R200[100])    /* ex3: the first match stops at 100 */
        R200[103] = (uint8_t)((R200[100] + 1) & 3);

    /* agc 3.2.2 archives (format 3); toy.agc has no LZ group */
    test_archive("hsmt-small.agc", 0, 1);
    test_archive("sarscov2-s5000.agc", 0, 1);
    test_archive("senterica-k21.agc", 300, 1);
    test_archive("hsmt.agc", 0, 1);
    test_archive("hsmt-concat.agc", 0, 1);
    test_archive("edge-ok.agc", 0, 0);
    test_archive("sarscov2-adapt.agc", 0, 1);
    test_archive("senterica.agc", 300, 1);
    test_archive("senterica-fallback.agc", 300, 1);
    test_archive("senterica-append.agc", 300, 1);
    if (total_sec > 0 && total_est_sec > 0 && total_cost_sec > 0 && total_ix_sec > 0) {
        tap_diag("all archives: encoded %.1f MB in %.3f s = %.1f MB/s", total_bytes / 1e6,
                 total_sec, total_bytes / 1e6 / total_sec);
        tap_diag("estimate %.1f MB/s, cost vector %.1f MB/s, index build %.1f MB of references "
                 "in %.3f s = %.1f MB/s", total_bytes / 1e6 / total_est_sec,
                 total_bytes / 1e6 / total_cost_sec, total_ix_bytes / 1e6, total_ix_sec,
                 total_ix_bytes / 1e6 / total_ix_sec);
    }

    test_examples();
    test_round_trips();
    test_estimate();
    test_cost_vector();
    return tap_done();
}
