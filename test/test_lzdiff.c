/* test_lzdiff.c -- rg_lz_decode on hand-built deltas (lzdiff.h).

   The expected outputs follow the token table of agc-format.md section 12.2
   and the examples of section 12.3; the references are deterministic
   pseudo-random code strings built here.  Reference and delta are copied
   into exactly sized heap buffers so that ASan catches any over-read. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "lzdiff.h"
#include "ragc.h"
#include "tap.h"

#define M 20   /* min_match_len of the examples */

static uint8_t R120[120], R200[200];

static void make_ref(uint8_t *r, size_t n, uint32_t seed)
{
    uint32_t x = seed;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        r[i] = (uint8_t)((x >> 16) & 3);
    }
}

/* Decodes delta d (length dl) against ref; out is reset first unless keep. */
static int decode(const uint8_t *ref, size_t rl, const char *d, size_t dl, uint32_t mml,
                  int dialect, rg_bytes *out)
{
    uint8_t *rb = malloc(rl ? rl : 1), *db = malloc(dl ? dl : 1);
    if (rl)
        memcpy(rb, ref, rl);
    if (dl)
        memcpy(db, d, dl);
    int r = rg_lz_decode(rl ? rb : NULL, rl, dl ? db : NULL, dl, mml, dialect, out);
    free(rb);
    free(db);
    return r;
}

/* Expected output under construction. */
typedef struct {
    uint8_t s[1024];
    size_t n;
} exp_t;

static void e_ref(exp_t *e, const uint8_t *r, size_t from, size_t to)
{
    memcpy(e->s + e->n, r + from, to - from);
    e->n += to - from;
}

static void e_code(exp_t *e, uint8_t c, size_t times)
{
    memset(e->s + e->n, c, times);
    e->n += times;
}

static int same(const rg_bytes *out, const exp_t *e)
{
    if (out->len == e->n && (e->n == 0 || memcmp(out->s, e->s, e->n) == 0))
        return 1;
    tap_diag("output length %zu, expected %zu", out->len, e->n);
    for (size_t i = 0; i < out->len && i < e->n; i++)
        if (out->s[i] != e->s[i]) {
            tap_diag("first difference at %zu: got %u, expected %u", i, out->s[i], e->s[i]);
            break;
        }
    return 0;
}

/* Decodes and compares with e; one test. */
static void check(const char *what, const uint8_t *ref, size_t rl, const char *d, size_t dl,
                  uint32_t mml, int dialect, const exp_t *e)
{
    rg_bytes out = {0};
    int r = decode(ref, rl, d, dl, mml, dialect, &out);
    if (!tap_ok(r == RAGC_OK && same(&out, e), "%s", what) && r != RAGC_OK)
        tap_diag("status %d", r);
    rg_bytes_free(&out);
}

/* A delta that must fail with RAGC_ERR_FORMAT. */
static int rejects(const uint8_t *ref, size_t rl, const char *d, size_t dl, int dialect)
{
    rg_bytes out = {0};
    int r = decode(ref, rl, d, dl, M, dialect, &out);
    rg_bytes_free(&out);
    return r == RAGC_ERR_FORMAT;
}

#define S(lit) lit, sizeof(lit) - 1

static void test_tokens(void)
{
    exp_t e;

    /* literals 'A'..'U' = codes 0..20, with an empty reference */
    e.n = 0;
    for (uint8_t c = 0; c <= 20; c++)
        e_code(&e, c, 1);
    check("literals A..U are codes 0..20 (empty reference)", NULL, 0, S("ABCDEFGHIJKLMNOPQRSTU"), M,
          2, &e);
    check("literals in dialect 1", NULL, 0, S("ABCDEFGHIJKLMNOPQRSTU"), M, 1, &e);

    /* '!' = R[pred]; pred advances by one per literal or '!' */
    e.n = 0;
    e_ref(&e, R120, 0, 3);
    e_code(&e, 2, 1);
    e_ref(&e, R120, 4, 6);
    check("'!' copies R[pred]: \"!!!C!!\"", R120, 120, S("!!!C!!"), M, 2, &e);

    /* N-run: 0x1E digits 0x04 -> digits + 4 codes 4; pred unchanged */
    e.n = 0;
    e_code(&e, 4, 4);
    check("N-run 1E '0' 04 = 4 N", R120, 120, S("\x1e" "0\x04"), M, 2, &e);
    e.n = 0;
    e_code(&e, 4, 127 + 4);
    check("N-run 1E '127' 04 = 131 N", R120, 120, S("\x1e" "127\x04"), M, 2, &e);
    e.n = 0;
    e_code(&e, 0, 1);
    e_code(&e, 4, 10);
    e_ref(&e, R120, 1, 2);
    check("N-run leaves pred: \"A\" 1E 6 04 \"!\" gives A, 10 N, R[1]", R120, 120,
          S("A\x1e" "6\x04!"), M, 2, &e);

    /* match d,l. : pos = pred + d, len = l + M, pred = pos + len */
    e.n = 0;
    e_ref(&e, R120, 0, 25);
    check("match \"0,5.\" copies R[0..25)", R120, 120, S("0,5."), M, 2, &e);
    e.n = 0;
    e_ref(&e, R120, 7, 7 + 33);
    e_ref(&e, R120, 40, 41);
    check("match \"7,13.\" then '!' (pred = 40)", R120, 120, S("7,13.!"), M, 2, &e);
    e.n = 0;
    e_code(&e, 1, 1);
    e_code(&e, 4, 4);
    e_ref(&e, R120, 1, 2);
    e_ref(&e, R120, 4, 24);
    e_ref(&e, R120, 0, 20);
    e_ref(&e, R120, 20, 120);
    check("pred bookkeeping: B, N-run, !, \"2,0.\", \"-24,0.\", \"0.\"", R120, 120,
          S("B\x1e" "0\x04!2,0.-24,0.0."), M, 2, &e);

    /* negative d */
    e.n = 0;
    e_ref(&e, R120, 0, 50);
    e_ref(&e, R120, 10, 40);
    check("negative d: \"0,30.-40,10.\" copies R[0..50) then R[10..40)", R120, 120,
          S("0,30.-40,10."), M, 2, &e);

    /* to-end match d. */
    e.n = 0;
    e_ref(&e, R120, 100, 120);
    check("to-end match \"100.\" copies R[100..120)", R120, 120, S("100."), M, 2, &e);
    e.n = 0;
    e_ref(&e, R120, 0, 30);
    e_ref(&e, R120, 5, 120);
    check("to-end match with negative d: \"0,10.-25.\"", R120, 120, S("0,10.-25."), M, 2, &e);
    e.n = 0;
    e_ref(&e, R120, 0, 120);
    e_code(&e, 3, 1);
    check("\"0.\" then a literal (pred = |R|)", R120, 120, S("0.D"), M, 2, &e);

    /* other values of M */
    e.n = 0;
    e_ref(&e, R120, 3, 3 + 15 + 2);
    check("M = 15: \"3,2.\" copies 17 codes", R120, 120, S("3,2."), 15, 2, &e);

    /* dialect 1: d,l. works, '!' is the raw byte 33 */
    e.n = 0;
    e_ref(&e, R120, 0, 60);
    e_code(&e, 0, 1);
    e_ref(&e, R120, 61, 61 + 59);
    check("dialect 1: \"0,40.A0,39.\"", R120, 120, S("0,40.A0,39."), M, 1, &e);
    e.n = 0;
    e_code(&e, 33, 1);
    check("dialect 1: '!' appends the byte 33 (no same-as-reference token)", R120, 120, S("!"), M, 1,
          &e);

    /* empty delta = the reference itself */
    e.n = 0;
    e_ref(&e, R200, 0, 200);
    check("empty delta decodes to the reference (dialect 2)", R200, 200, "", 0, M, 2, &e);
    check("empty delta decodes to the reference (dialect 1)", R200, 200, "", 0, M, 1, &e);

    /* rg_lz_decode appends to out */
    {
        rg_bytes out = {0};
        rg_bytes_reserve(&out, 3);
        memcpy(out.s, "\x07\x08\x09", 3);
        out.len = 3;
        int r = decode(R120, 120, S("0,0.C"), M, 2, &out);
        int good = r == RAGC_OK && out.len == 3 + 21 && memcmp(out.s, "\x07\x08\x09", 3) == 0
                   && memcmp(out.s + 3, R120, 20) == 0 && out.s[23] == 2;
        tap_ok(good, "decoded codes are appended after existing output");
        rg_bytes_free(&out);
    }
}

/* Section 12.3, with M = 20. */
static void test_spec_examples(void)
{
    exp_t e;

    /* R (120) with a substitution at 60 and 10 N inserted after it */
    e.n = 0;
    e_ref(&e, R120, 0, 60);
    e_code(&e, 0, 1);
    e_code(&e, 4, 10);
    e_ref(&e, R120, 61, 120);
    check("12.3: \"0,40.\" \"A\" 1E \"6\" 04 \"0.\" (substitution + 10 N)", R120, 120,
          S("0,40.A\x1e" "6\x04" "0."), M, 2, &e);

    /* R (200) with substitutions at 80 and 90 */
    e.n = 0;
    e_ref(&e, R200, 0, 80);
    e_code(&e, 3, 1);
    e_ref(&e, R200, 81, 90);
    e_code(&e, 3, 1);
    e_ref(&e, R200, 91, 200);
    check("12.3: \"0,60.D!!!!!!!!!D0.\" (substitutions at 80 and 90)", R200, 200,
          S("0,60.D!!!!!!!!!D0."), M, 2, &e);

    /* R (200) with bases 100..102 deleted and ACGT appended */
    e.n = 0;
    e_ref(&e, R200, 0, 100);
    e_ref(&e, R200, 103, 200);
    e_code(&e, 0, 1);
    e_code(&e, 1, 1);
    e_code(&e, 2, 1);
    e_code(&e, 3, 1);
    check("12.3: \"0,80.3,77.ABCD\" (deletion of 100..102, ACGT appended)", R200, 200,
          S("0,80.3,77.ABCD"), M, 2, &e);
}

static void test_malformed(void)
{
    const uint8_t *R = R120;
    tap_ok(rejects(R, 120, S("0.0"), 1) && rejects(R, 120, S("5."), 1)
               && rejects(R, 120, S("0,40.A0."), 1),
           "dialect 1 rejects the to-end form d.");
    tap_ok(rejects(R, 120, S("121."), 2) && rejects(R, 120, S("121,0."), 2)
               && rejects(R, 120, S("0,100.1,0."), 2) && rejects(R, 120, S("99999,0."), 2),
           "match position past the reference end rejected");
    tap_ok(rejects(R, 120, S("-1,0."), 2) && rejects(R, 120, S("-1."), 2)
               && rejects(R, 120, S("0,5.-26,0."), 2),
           "negative match position rejected");
    tap_ok(rejects(R, 120, S("0,101."), 2) && rejects(R, 120, S("101,0."), 2)
               && rejects(R, 120, S("0,40.0,41."), 2) && rejects(R, 120, S("119,0."), 1),
           "match length past the reference end rejected");
    tap_ok(rejects(R, 120, S("0,40"), 2) && rejects(R, 120, S("0,40A"), 2)
               && rejects(R, 120, S("0,40,1."), 2) && rejects(R, 120, S("0"), 2)
               && rejects(R, 120, S("0,"), 2) && rejects(R, 120, S("0;40."), 2)
               && rejects(R, 120, S("12"), 2),
           "match without its '.' (or with a bad separator) rejected");
    tap_ok(rejects(R, 120, S("."), 2) && rejects(R, 120, S(",5."), 2) && rejects(R, 120, S("-."), 2)
               && rejects(R, 120, S("-"), 2) && rejects(R, 120, S("0,."), 2)
               && rejects(R, 120, S("0,-5."), 2),
           "match without digits (or a negative length) rejected");
    tap_ok(rejects(R, 120, S("V"), 2) && rejects(R, 120, S("Z"), 2) && rejects(R, 120, S("a"), 2)
               && rejects(R, 120, S("_"), 2) && rejects(R, 120, S("\xff"), 2)
               && rejects(R, 120, S(" "), 2) && rejects(R, 120, "\0", 1, 2)
               && rejects(R, 120, S("AC\x7f"), 2),
           "garbage bytes (V, Z, a, _, FF, space, NUL, 7F) rejected");
    tap_ok(rejects(R, 120, S("\x1e"), 2) && rejects(R, 120, S("\x1e" "6"), 2)
               && rejects(R, 120, S("\x1e" "6A"), 2) && rejects(R, 120, S("\x1e\x04"), 2)
               && rejects(R, 120, S("\x1e-5\x04"), 2),
           "bad N-runs (unterminated, no digits, negative) rejected");
    tap_ok(rejects(R, 120, S("0.!"), 2) && rejects(NULL, 0, S("!"), 2)
               && rejects(R, 120, S("0,100.!"), 2),
           "'!' at pred >= |R| rejected");
    tap_ok(rejects(R, 120, S("99999999999999999999999999,0."), 2)
               && rejects(R, 120, S("0,99999999999999999999999999."), 2)
               && rejects(R, 120, S("-99999999999999999999999999."), 2)
               && rejects(R, 120, S("9223372036854775807,0."), 2)
               && rejects(R, 120, S("0,18446744073709551615."), 2)
               && rejects(R, 120, S("\x1e" "99999999999999999999999\x04"), 2),
           "huge numbers rejected without overflow");
    tap_ok(rejects(NULL, 0, S("0,0."), 2) && rejects(NULL, 0, S("1."), 2),
           "matches against an empty reference rejected (M > 0, pos > 0)");
}

/* Copies of zero codes into a still empty output (kept last: a decoder
   that calls memcpy(NULL, ..., 0) stops the UBSan build here). */
static void test_zero_length(void)
{
    exp_t e;

    /* a match of length 0 with M = 0 is accepted (readers should accept l = 0) */
    e.n = 0;
    e_ref(&e, R120, 5, 6);
    check("M = 0: \"5,0.\" copies nothing, then '!' is R[5]", R120, 120, S("5,0.!"), 0, 2, &e);
    /* a to-end match at pos = |R| copies nothing */
    e.n = 0;
    e_code(&e, 1, 1);
    check("\"120.\" against |R| = 120 copies nothing, then a literal", R120, 120, S("120.B"), M, 2, &e);
    e.n = 0;
    check("empty delta, empty reference: empty", NULL, 0, "", 0, M, 2, &e);
}

int main(void)
{
    hts_set_log_level(HTS_LOG_OFF);   /* the malformed deltas are logged */
    make_ref(R120, 120, 12345);
    make_ref(R200, 200, 777);
    tap_plan(19 + 3 + 11 + 3);
    test_tokens();
    test_spec_examples();
    test_malformed();
    test_zero_length();
    return tap_done();
}
