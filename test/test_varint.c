/* test_varint.c -- avar, cvar, cstr and the two zigzag codings (varint.h).

   Expected bytes come from the example tables of the format specification
   (agc-format.md sections 2.2, 2.3, 2.5) or are worked out by hand in the
   comments. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "varint.h"

typedef struct {
    uint64_t v;
    int n;
    uint8_t b[9];
} enc_case;

/* avar: length byte n, then n big-endian bytes.  The first four rows are the
   table of section 2.2; the rest are the cvar example values by hand
   (16511 = 0x407f, 120029 = 0x1d4dd, 2113664 = 0x204080,
   270549120 = 0x10204080). */
static const enc_case avar_cases[] = {
    {0, 1, {0x00}},
    {5, 2, {0x01, 0x05}},
    {644, 3, {0x02, 0x02, 0x84}},
    {4294967296ULL, 6, {0x05, 0x01, 0x00, 0x00, 0x00, 0x00}},
    {127, 2, {0x01, 0x7f}},
    {128, 2, {0x01, 0x80}},
    {129, 2, {0x01, 0x81}},
    {255, 2, {0x01, 0xff}},
    {256, 3, {0x02, 0x01, 0x00}},
    {16511, 3, {0x02, 0x40, 0x7f}},
    {16512, 3, {0x02, 0x40, 0x80}},
    {120029, 4, {0x03, 0x01, 0xd4, 0xdd}},
    {2113664, 4, {0x03, 0x20, 0x40, 0x80}},
    {270549120, 5, {0x04, 0x10, 0x20, 0x40, 0x80}},
    {4294967295ULL, 5, {0x04, 0xff, 0xff, 0xff, 0xff}},
    {0x0102030405060708ULL, 9, {0x08, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08}},
    {UINT64_MAX, 9, {0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
};
#define N_AVAR_CASES (int)(sizeof avar_cases / sizeof avar_cases[0])

/* cvar: the table of section 2.3. */
static const enc_case cvar_cases[] = {
    {0, 1, {0x00}},
    {127, 1, {0x7f}},
    {128, 2, {0x80, 0x00}},
    {129, 2, {0x80, 0x01}},
    {16511, 2, {0xbf, 0xff}},
    {16512, 3, {0xc0, 0x00, 0x00}},
    {120029, 3, {0xc1, 0x94, 0x5d}},
    {2113664, 4, {0xe0, 0x00, 0x00, 0x00}},
    {270549120, 5, {0xf0, 0x00, 0x00, 0x00, 0x00}},
    {4294967295ULL, 5, {0xf0, 0xef, 0xdf, 0xbf, 0x7f}},
};
#define N_CVAR_CASES (int)(sizeof cvar_cases / sizeof cvar_cases[0])

/* Decodes exactly the bytes b[0, n) from an exactly sized heap buffer (so
   that ASan sees any over-read).  Returns 0 if the read succeeded, consumed
   exactly n bytes and gave v. */
static int avar_decodes(const uint8_t *b, int n, uint64_t want)
{
    uint8_t *buf = malloc((size_t)n);
    memcpy(buf, b, (size_t)n);
    rg_cursor c = {buf, buf + n};
    uint64_t v = ~want;
    int r = rg_read_avar(&c, &v);
    int good = r == 0 && v == want && c.p == buf + n;
    free(buf);
    return good;
}

static int cvar_decodes(const uint8_t *b, int n, uint32_t want)
{
    uint8_t *buf = malloc((size_t)n);
    memcpy(buf, b, (size_t)n);
    rg_cursor c = {buf, buf + n};
    uint32_t v = ~want;
    int r = rg_read_cvar(&c, &v);
    int good = r == 0 && v == want && c.p == buf + n;
    free(buf);
    return good;
}

/* A read that must fail and leave the cursor (and the output) alone. */
static int avar_rejects(const uint8_t *b, size_t n)
{
    uint8_t *buf = malloc(n ? n : 1);
    if (n)
        memcpy(buf, b, n);
    rg_cursor c = {buf, buf + n};
    uint64_t v = 0x5a5a5a5a;
    int r = rg_read_avar(&c, &v);
    int good = r == -1 && c.p == buf && c.end == buf + n && v == 0x5a5a5a5a;
    free(buf);
    return good;
}

static int cvar_rejects(const uint8_t *b, size_t n)
{
    uint8_t *buf = malloc(n ? n : 1);
    if (n)
        memcpy(buf, b, n);
    rg_cursor c = {buf, buf + n};
    uint32_t v = 0x5a5a5a5a;
    int r = rg_read_cvar(&c, &v);
    int good = r == -1 && c.p == buf && c.end == buf + n && v == 0x5a5a5a5a;
    free(buf);
    return good;
}

static uint64_t lcg_state = 88172645463325252ULL;
static uint64_t rnd64(void)
{
    lcg_state ^= lcg_state << 13;
    lcg_state ^= lcg_state >> 7;
    lcg_state ^= lcg_state << 17;
    return lcg_state;
}

static void test_avar(void)
{
    for (int i = 0; i < N_AVAR_CASES; i++) {
        const enc_case *e = &avar_cases[i];
        uint8_t out[16];
        memset(out, 0xee, sizeof out);
        int n = rg_write_avar(out, e->v);
        int good = n == e->n && memcmp(out, e->b, (size_t)n) == 0 && out[n] == 0xee;
        if (!tap_ok(good, "avar encode %llu", (unsigned long long)e->v))
            tap_diag_hex("got", out, n > 0 && n <= 9 ? (size_t)n : 9);
    }
    for (int i = 0; i < N_AVAR_CASES; i++) {
        const enc_case *e = &avar_cases[i];
        tap_ok(avar_decodes(e->b, e->n, e->v), "avar decode %llu", (unsigned long long)e->v);
    }

    /* Every byte-length boundary: 2^(8k) - 1 takes k bytes, 2^(8k) k + 1. */
    int bad = 0;
    for (int k = 0; k <= 8; k++) {
        uint64_t vals[3];
        int lens[3], nv = 0;
        if (k > 0) {
            vals[nv] = k == 8 ? UINT64_MAX : (1ULL << (8 * k)) - 1;
            lens[nv++] = k + 1;
            vals[nv] = 1ULL << (8 * (k - 1));
            lens[nv++] = k + 1;
        } else {
            vals[nv] = 0;
            lens[nv++] = 1;
        }
        for (int j = 0; j < nv; j++) {
            uint8_t out[9];
            int n = rg_write_avar(out, vals[j]);
            if (n != lens[j] || out[0] != k || !avar_decodes(out, n, vals[j])) {
                if (bad++ < 5)
                    tap_diag("boundary value %llu: length %d", (unsigned long long)vals[j], n);
            }
        }
    }
    tap_ok(bad == 0, "avar round trips at every byte-length boundary, minimal length");

    bad = 0;
    for (int i = 0; i < 20000; i++) {
        uint64_t v = rnd64() >> (rnd64() % 64);
        uint8_t out[9];
        int n = rg_write_avar(out, v);
        if (n < 1 || n > 9 || !avar_decodes(out, n, v)) {
            if (bad++ < 5)
                tap_diag("random value %llu fails", (unsigned long long)v);
        }
    }
    tap_ok(bad == 0, "avar round trips 20000 random values");

    /* Non-minimal forms: readers should accept any n <= 8. */
    {
        static const uint8_t b1[] = {0x02, 0x00, 0x05};
        static const uint8_t b2[] = {0x08, 0, 0, 0, 0, 0, 0, 0, 0};
        tap_ok(avar_decodes(b1, 3, 5) && avar_decodes(b2, 9, 0),
               "avar accepts non-minimal forms (02 00 05 = 5, 08 00*8 = 0)");
    }

    /* Length byte > 8 is impossible. */
    {
        static const uint8_t b9[] = {0x09, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        static const uint8_t bff[] = {0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        tap_ok(avar_rejects(b9, sizeof b9) && avar_rejects(bff, sizeof bff),
               "avar with length byte 9 or 255 rejected, cursor unchanged");
    }

    /* Truncated inputs: every proper prefix of the 9-byte form, and of 644. */
    bad = 0;
    for (int k = 0; k < 9; k++)
        if (!avar_rejects(avar_cases[N_AVAR_CASES - 1].b, (size_t)k))
            bad++;
    if (!avar_rejects(avar_cases[2].b, 2))
        bad++;
    tap_ok(bad == 0, "truncated avar rejected (empty input, every prefix), cursor unchanged");

    /* A sequence of avars advances the cursor value by value. */
    {
        static const uint8_t seq[] = {0x00, 0x01, 0x05, 0x02, 0x02, 0x84, 0x03};
        rg_cursor c = {seq, seq + sizeof seq};
        uint64_t a = 9, b = 9, d = 9, e = 9;
        int r1 = rg_read_avar(&c, &a), r2 = rg_read_avar(&c, &b), r3 = rg_read_avar(&c, &d);
        const uint8_t *at = c.p;
        int r4 = rg_read_avar(&c, &e);
        tap_ok(r1 == 0 && r2 == 0 && r3 == 0 && a == 0 && b == 5 && d == 644 && at == seq + 6
                   && r4 == -1 && c.p == seq + 6,
               "avar sequence 0, 5, 644 then a truncated value");
    }
}

static void test_cvar(void)
{
    for (int i = 0; i < N_CVAR_CASES; i++) {
        const enc_case *e = &cvar_cases[i];
        uint8_t out[8];
        memset(out, 0xee, sizeof out);
        int n = rg_write_cvar(out, (uint32_t)e->v);
        int good = n == e->n && memcmp(out, e->b, (size_t)n) == 0 && out[n] == 0xee;
        if (!tap_ok(good, "cvar encode %llu", (unsigned long long)e->v))
            tap_diag_hex("got", out, n > 0 && n <= 5 ? (size_t)n : 5);
    }
    for (int i = 0; i < N_CVAR_CASES; i++) {
        const enc_case *e = &cvar_cases[i];
        tap_ok(cvar_decodes(e->b, e->n, (uint32_t)e->v), "cvar decode %llu",
               (unsigned long long)e->v);
    }

    /* Boundaries T1..T4: T-1 is the longest value of the shorter form. */
    static const struct {
        uint32_t v;
        int n;
    } bounds[] = {
        {0, 1},           {127, 1},         {128, 2},         {16511, 2},
        {16512, 3},       {2113663, 3},     {2113664, 4},     {270549119, 4},
        {270549120, 5},   {270549121, 5},   {4294967294u, 5}, {4294967295u, 5},
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++) {
        uint8_t out[5];
        int n = rg_write_cvar(out, bounds[i].v);
        if (n != bounds[i].n || !cvar_decodes(out, n, bounds[i].v)) {
            if (bad++ < 5)
                tap_diag("boundary %u: length %d, expected %d", bounds[i].v, n, bounds[i].n);
        }
    }
    tap_ok(bad == 0, "cvar round trips at T1..T4 boundaries with the right lengths");

    /* First bytes by form: 0xxxxxxx, 10xxxxxx, 110xxxxx, 1110xxxx, 11110000. */
    {
        uint8_t o[5];
        int ok2 = rg_write_cvar(o, 16511) == 2 && (o[0] & 0xc0) == 0x80;
        int ok3 = rg_write_cvar(o, 2113663) == 3 && (o[0] & 0xe0) == 0xc0;
        int ok4 = rg_write_cvar(o, 270549119) == 4 && (o[0] & 0xf0) == 0xe0;
        int ok5 = rg_write_cvar(o, 300000000) == 5 && o[0] == 0xf0;
        tap_ok(ok2 && ok3 && ok4 && ok5, "cvar prefix bits of each form, F0 for the 5-byte form");
    }

    bad = 0;
    for (int i = 0; i < 20000; i++) {
        uint32_t v = (uint32_t)(rnd64() >> (32 + rnd64() % 32));
        uint8_t out[5];
        int n = rg_write_cvar(out, v);
        if (n < 1 || n > 5 || !cvar_decodes(out, n, v)) {
            if (bad++ < 5)
                tap_diag("random value %u fails", v);
        }
    }
    tap_ok(bad == 0, "cvar round trips 20000 random values");

    /* The reader ignores the low nibble of the 5-byte form's first byte. */
    {
        static const uint8_t b[] = {0xf7, 0x00, 0x00, 0x00, 0x05};
        tap_ok(cvar_decodes(b, 5, 270549125u), "cvar F7 00 00 00 05 = 270549125 (low nibble ignored)");
    }

    /* 5-byte form above 2^32 - 1 cannot be a uint32. */
    {
        static const uint8_t b[] = {0xf0, 0xff, 0xff, 0xff, 0xff};
        tap_ok(cvar_rejects(b, 5), "cvar F0 FF FF FF FF (> 2^32-1) rejected, cursor unchanged");
    }

    /* Truncated: every proper prefix of a 2-, 3-, 4- and 5-byte form. */
    bad = 0;
    for (int i = 2; i < N_CVAR_CASES; i++)
        for (int k = 0; k < cvar_cases[i].n; k++)
            if (!cvar_rejects(cvar_cases[i].b, (size_t)k)) {
                if (bad++ < 5)
                    tap_diag("prefix %d of %llu accepted", k, (unsigned long long)cvar_cases[i].v);
            }
    tap_ok(bad == 0, "truncated cvar rejected (every proper prefix), cursor unchanged");

    {
        static const uint8_t seq[] = {0x7f, 0x80, 0x01, 0xc1, 0x94, 0x5d, 0xe0};
        rg_cursor c = {seq, seq + sizeof seq};
        uint32_t a = 1, b = 1, d = 1, e = 1;
        int r = rg_read_cvar(&c, &a) | rg_read_cvar(&c, &b) | rg_read_cvar(&c, &d);
        const uint8_t *at = c.p;
        int r4 = rg_read_cvar(&c, &e);
        tap_ok(r == 0 && a == 127 && b == 129 && d == 120029 && at == seq + 6 && r4 == -1
                   && c.p == seq + 6,
               "cvar sequence 127, 129, 120029 then a truncated value");
    }
}

static void test_cstr(void)
{
    static const uint8_t in[] = {'a', 'b', 'c', 0, 0, 'd', 'e', 'f', 0, 'x', 'y'};
    rg_cursor c = {in, in + sizeof in};
    const char *s = NULL;
    size_t len = 99;
    int r = rg_read_cstr(&c, &s, &len);
    tap_ok(r == 0 && len == 3 && s == (const char *)in && memcmp(s, "abc", 4) == 0
               && c.p == in + 4,
           "cstr \"abc\" points into the input, length excludes the NUL");
    r = rg_read_cstr(&c, &s, &len);
    tap_ok(r == 0 && len == 0 && s == (const char *)in + 4 && c.p == in + 5, "empty cstr");
    r = rg_read_cstr(&c, &s, &len);
    tap_ok(r == 0 && len == 3 && memcmp(s, "def", 3) == 0 && c.p == in + 9, "cstr \"def\"");
    const char *keep = s;
    r = rg_read_cstr(&c, &s, &len);
    tap_ok(r == -1 && c.p == in + 9 && s == keep && len == 3,
           "unterminated cstr rejected, cursor unchanged");
    rg_cursor e = {in + sizeof in, in + sizeof in};
    tap_ok(rg_read_cstr(&e, &s, &len) == -1 && e.p == in + sizeof in, "cstr at end of input rejected");

    /* bytes >= 0x80 are plain bytes */
    static const uint8_t hi[] = {0xc3, 0xa9, 0xff, 0x00};
    rg_cursor h = {hi, hi + sizeof hi};
    r = rg_read_cstr(&h, &s, &len);
    tap_ok(r == 0 && len == 3 && (uint8_t)s[2] == 0xff && h.p == hi + 4, "cstr with bytes >= 0x80");
}

static void test_zigzag(void)
{
    /* ZP examples of section 2.5 with p = 60031. */
    static const struct {
        uint64_t x, v;
    } zp[] = {{16, 120029}, {60031, 0}, {60040, 18}, {200000, 200000}};
    int bad = 0;
    for (size_t i = 0; i < 4; i++) {
        uint64_t e = rg_zp_encode(zp[i].x, 60031);
        if (e != zp[i].v) {
            bad++;
            tap_diag("ZP encode %llu: got %llu", (unsigned long long)zp[i].x, (unsigned long long)e);
        }
    }
    tap_ok(bad == 0, "ZP encode p=60031: 16->120029, 60031->0, 60040->18, 200000->200000");
    bad = 0;
    for (size_t i = 0; i < 4; i++) {
        uint64_t d = rg_zp_decode(zp[i].v, 60031);
        if (d != zp[i].x) {
            bad++;
            tap_diag("ZP decode %llu: got %llu", (unsigned long long)zp[i].v, (unsigned long long)d);
        }
    }
    tap_ok(bad == 0, "ZP decode p=60031: 120029->16, 0->60031, 18->60040, 200000->200000");

    /* Hand-worked neighbours: x = p-1 -> 1, x = 2p-1 -> 2p-2, x = 2p -> 2p, x = 0 -> 2p-1. */
    tap_ok(rg_zp_encode(60030, 60031) == 1 && rg_zp_encode(120061, 60031) == 120060
               && rg_zp_encode(120062, 60031) == 120062 && rg_zp_encode(0, 60031) == 120061
               && rg_zp_decode(1, 60031) == 60030 && rg_zp_decode(120060, 60031) == 120061
               && rg_zp_decode(120061, 60031) == 0 && rg_zp_decode(120062, 60031) == 120062,
           "ZP p=60031 around 0, p-1, 2p-1, 2p");

    bad = 0;
    static const uint64_t ids[] = {0, 1, 2, 3, 60031, 1ULL << 40, UINT64_MAX};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (rg_zp_encode(ids[i], 0) != ids[i] || rg_zp_decode(ids[i], 0) != ids[i])
            bad++;
    tap_ok(bad == 0, "ZP with p = 0 is the identity both ways");

    /* Exhaustive small round trips, and the parity classes of the code. */
    bad = 0;
    for (uint64_t p = 0; p < 70; p++)
        for (uint64_t x = 0; x < 3 * p + 10; x++) {
            uint64_t v = rg_zp_encode(x, p);
            int cls = x < p ? (v & 1) == 1 : x < 2 * p ? (v & 1) == 0 && v < 2 * p : v == x;
            if (!cls || rg_zp_decode(v, p) != x)
                if (bad++ < 5)
                    tap_diag("p=%llu x=%llu v=%llu", (unsigned long long)p, (unsigned long long)x,
                             (unsigned long long)v);
        }
    for (int i = 0; i < 5000; i++) {
        uint64_t p = rnd64() >> 24, x = rnd64() >> (23 + rnd64() % 2);
        if (rg_zp_decode(rg_zp_encode(x, p), p) != x)
            if (bad++ < 5)
                tap_diag("p=%llu x=%llu", (unsigned long long)p, (unsigned long long)x);
    }
    tap_ok(bad == 0, "ZP round trips (all x < 3p+10 for p < 70; 5000 random 40-bit pairs)");

    /* ZS: d >= 0 -> 2d, d < 0 -> -2d - 1, in 32 bits. */
    static const struct {
        int32_t d;
        uint32_t v;
    } zs[] = {{0, 0}, {1, 2}, {-1, 1}, {2, 4}, {-2, 3}, {1000, 2000}, {-1000, 1999},
              {INT32_MAX, 4294967294u}, {INT32_MIN, 4294967295u}, {INT32_MIN + 1, 4294967293u}};
    bad = 0;
    for (size_t i = 0; i < sizeof zs / sizeof zs[0]; i++)
        if (rg_zs_encode(zs[i].d) != zs[i].v) {
            bad++;
            tap_diag("ZS encode %d: got %u", zs[i].d, rg_zs_encode(zs[i].d));
        }
    tap_ok(bad == 0, "ZS encode 0,1,-1,2,-2,1000,-1000,INT32_MAX,INT32_MIN,INT32_MIN+1");
    bad = 0;
    for (size_t i = 0; i < sizeof zs / sizeof zs[0]; i++)
        if (rg_zs_decode(zs[i].v) != zs[i].d) {
            bad++;
            tap_diag("ZS decode %u: got %d", zs[i].v, rg_zs_decode(zs[i].v));
        }
    tap_ok(bad == 0, "ZS decode of the same values (incl. negative)");
    bad = 0;
    for (int32_t d = -70000; d <= 70000; d++)
        if (rg_zs_decode(rg_zs_encode(d)) != d)
            bad++;
    for (uint32_t v = 0; v < 140000; v++)
        if (rg_zs_encode(rg_zs_decode(v)) != v)
            bad++;
    tap_ok(bad == 0, "ZS round trips both ways over [-70000, 70000] and [0, 140000)");
}

int main(void)
{
    /* avar: 2*17 + 6; cvar: 2*10 + 7; cstr 6; zigzag 8 */
    tap_plan(2 * N_AVAR_CASES + 6 + 2 * N_CVAR_CASES + 7 + 6 + 8);
    test_avar();
    test_cvar();
    test_cstr();
    test_zigzag();
    return tap_done();
}
