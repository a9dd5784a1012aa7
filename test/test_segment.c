/* test_segment.c -- group stream names, tuple unpacking and pack indexing
   (segment.h).

   Expected names are the table of agc-format.md section 4.2; tuple streams
   are the example of section 11.6 and streams packed by hand following its
   rules (worked out in the comments), plus a packer written here from the
   same rules. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "segment.h"
#include "tap.h"

/* ---- stream names ------------------------------------------------------ */

static const struct {
    uint32_t g;
    const char *base;
} b64_table[] = {
    {0, "x0"},    {15, "xF"},   {16, "xG"},    {36, "xa"},  {62, "x_"},   {63, "x#"},
    {64, "x01"},  {65, "x11"},  {100, "xa1"},  {1000, "xeF"}, {4095, "x##"}, {4096, "x001"},
};
#define N_B64 (int)(sizeof b64_table / sizeof b64_table[0])

static void test_names(void)
{
    char buf[32], want[40];
    for (int i = 0; i < N_B64; i++) {
        char r[32], d[32];
        memset(r, 0x55, sizeof r);
        memset(d, 0x55, sizeof d);
        rg_group_stream_name(r, b64_table[i].g, 1, 3000);
        rg_group_stream_name(d, b64_table[i].g, 0, 3000);
        char wr[40], wd[40];
        snprintf(wr, sizeof wr, "%sr", b64_table[i].base);
        snprintf(wd, sizeof wd, "%sd", b64_table[i].base);
        int good = memchr(r, 0, sizeof r) && memchr(d, 0, sizeof d) && strcmp(r, wr) == 0
                   && strcmp(d, wd) == 0;
        if (!tap_ok(good, "v3 stream names of group %u: %s, %s", b64_table[i].g, wr, wd))
            tap_diag("got \"%.32s\", \"%.32s\"", r, d);
    }

    /* 2^32 - 1 = 63 + 63*64 + ... + 3*64^5: "x#####3" */
    rg_group_stream_name(buf, UINT32_MAX, 1, 3000);
    tap_is_str(buf, "x#####3r", "v3 name of group 2^32-1");
    rg_group_stream_name(buf, 16, 1, 3001);
    tap_is_str(buf, "xGr", "file version 3.1 uses v3 names");
    rg_group_stream_name(buf, 16, 1, 3999);
    tap_is_str(buf, "xGr", "file version 3.999 uses v3 names");

    rg_group_stream_name(buf, 16, 1, 2000);
    tap_is_str(buf, "seg-16-ref", "v2 reference stream of group 16");
    rg_group_stream_name(buf, 16, 0, 2000);
    tap_is_str(buf, "seg-16-delta", "v2 delta stream of group 16");
    rg_group_stream_name(buf, 16, 0, 2999);
    tap_is_str(buf, "seg-16-delta", "file version 2.999 uses v2 names");
    rg_group_stream_name(buf, 0, 0, 1000);
    tap_is_str(buf, "seg-0-delta", "v1 delta stream of raw group 0");
    rg_group_stream_name(buf, 1000, 1, 1001);
    tap_is_str(buf, "seg-1000-ref", "v1 reference stream of group 1000");
    rg_group_stream_name(buf, UINT32_MAX, 0, 2000);
    snprintf(want, sizeof want, "seg-%u-delta", UINT32_MAX);
    tap_is_str(buf, want, "v2 name of group 2^32-1 fits in 32 bytes");
}

/* ---- tuple streams ----------------------------------------------------- */

/* Unpacks t into an exactly sized buffer; compares with want. */
static int unpacks(const uint8_t *t, size_t len, const uint8_t *want, size_t n)
{
    uint8_t *tb = malloc(len ? len : 1), *out = malloc(n ? n : 1);
    if (len)
        memcpy(tb, t, len);
    int r = rg_tuples_unpack(tb, len, out, n);
    int good = r == 0 && (n == 0 || memcmp(out, want, n) == 0);
    if (!good) {
        tap_diag("status %d", r);
        if (r == 0)
            tap_diag_hex("got", out, n);
    }
    free(tb);
    free(out);
    return good;
}

static int rejected(const uint8_t *t, size_t len, size_t n)
{
    uint8_t *tb = malloc(len ? len : 1), *out = malloc(n ? n : 1);
    if (len)
        memcpy(tb, t, len);
    int r = rg_tuples_unpack(tb, len, out, n);
    free(tb);
    free(out);
    return r == -1;
}

/* A packer written from section 11.6 (bytes2tuples). */
static size_t pack_tuples(const uint8_t *c, size_t n, uint8_t *t)
{
    uint8_t mx = 0;
    for (size_t i = 0; i < n; i++)
        if (c[i] > mx)
            mx = c[i];
    unsigned w = mx < 4 ? 4 : mx < 6 ? 3 : mx < 16 ? 2 : 1;
    unsigned m = w == 4 ? 4 : w == 3 ? 6 : 16;
    size_t o = 0;
    if (w == 1) {
        memcpy(t, c, n);
        t[n] = 0x10;
        return n + 1;
    }
    size_t full = n / w, r = n % w, i = 0;
    for (size_t b = 0; b < full; b++) {
        unsigned v = 0;
        for (unsigned k = 0; k < w; k++)
            v = v * m + c[i++];
        t[o++] = (uint8_t)v;
    }
    unsigned v = 0;
    for (size_t k = 0; k < r; k++)
        v = v * m + c[i++];
    t[o++] = (uint8_t)v;
    t[o++] = (uint8_t)((w << 4) + r);
    return o;
}

static void test_tuples(void)
{
    /* Section 11.6: 3 0 1 2 2 -> C6 02 41 */
    {
        static const uint8_t t[] = {0xc6, 0x02, 0x41}, c[] = {3, 0, 1, 2, 2};
        tap_ok(unpacks(t, 3, c, 5), "11.6 example: C6 02 41 -> 3 0 1 2 2");
    }
    /* w=4, r=0: 0 1 2 3 | 3 2 1 0 -> 0x1B (0*64+1*16+2*4+3), 0xE4 (3*64+2*16+1*4), 00, 40 */
    {
        static const uint8_t t[] = {0x1b, 0xe4, 0x00, 0x40}, c[] = {0, 1, 2, 3, 3, 2, 1, 0};
        tap_ok(unpacks(t, 4, c, 8), "w=4, r=0: 1B E4 00 40 -> 0 1 2 3 3 2 1 0 (leftover byte 0)");
    }
    /* w=4, r=3: 1 1 1 1 | 2 3 1 -> 0x55, leftover 2*16+3*4+1 = 0x2D, marker 43 */
    {
        static const uint8_t t[] = {0x55, 0x2d, 0x43}, c[] = {1, 1, 1, 1, 2, 3, 1};
        tap_ok(unpacks(t, 3, c, 7), "w=4, r=3: 55 2D 43 -> 1 1 1 1 2 3 1");
    }
    /* w=4, n=1: leftover only: 3 -> 03 41 */
    {
        static const uint8_t t[] = {0x03, 0x41}, c[] = {3};
        tap_ok(unpacks(t, 2, c, 1), "w=4, n=1: 03 41 -> 3");
    }
    /* w=3 (base 6), r=2: 5 0 4 | 1 2 -> 5*36+0*6+4 = 0xB8, leftover 1*6+2 = 08, marker 32 */
    {
        static const uint8_t t[] = {0xb8, 0x08, 0x32}, c[] = {5, 0, 4, 1, 2};
        tap_ok(unpacks(t, 3, c, 5), "w=3, r=2: B8 08 32 -> 5 0 4 1 2");
    }
    /* w=3, r=0: 5 5 5 -> 215 = 0xD7, 00, 30 */
    {
        static const uint8_t t[] = {0xd7, 0x00, 0x30}, c[] = {5, 5, 5};
        tap_ok(unpacks(t, 3, c, 3), "w=3, r=0: D7 00 30 -> 5 5 5 (leftover byte 0)");
    }
    /* w=2 (base 16), r=1: 15 0 | 7 -> F0 07 21 */
    {
        static const uint8_t t[] = {0xf0, 0x07, 0x21}, c[] = {15, 0, 7};
        tap_ok(unpacks(t, 3, c, 3), "w=2, r=1: F0 07 21 -> 15 0 7");
    }
    /* w=2, r=0: 9 10 -> 9A 00 20 */
    {
        static const uint8_t t[] = {0x9a, 0x00, 0x20}, c[] = {9, 10};
        tap_ok(unpacks(t, 3, c, 2), "w=2, r=0: 9A 00 20 -> 9 10 (leftover byte 0)");
    }
    /* w=1: the codes, then 10 */
    {
        static const uint8_t t[] = {0x10, 0x00, 0x3f, 0x04, 0x10}, c[] = {16, 0, 63, 4};
        tap_ok(unpacks(t, 5, c, 4), "w=1: 10 00 3F 04 10 -> 16 0 63 4");
    }
    /* n = 0: mx = 0 -> w = 4: leftover 00, marker 40; or a bare w=1 marker */
    {
        static const uint8_t t4[] = {0x00, 0x40}, t1[] = {0x10};
        tap_ok(unpacks(t4, 2, NULL, 0) && unpacks(t1, 1, NULL, 0),
               "n=0: 00 40 and 10 unpack to nothing");
    }

    /* bad markers */
    {
        static const uint8_t b50[] = {0xc6, 0x02, 0x50}, b00[] = {0xc6, 0x02, 0x00},
                             b44[] = {0xc6, 0x00, 0x44}, b33[] = {0xb8, 0x00, 0x33},
                             b22[] = {0xf0, 0x00, 0x22}, bf1[] = {0xc6, 0x02, 0xf1},
                             b01[] = {0xc6, 0x02, 0x01};
        tap_ok(rejected(b50, 3, 5) && rejected(b50, 3, 6) && rejected(b00, 3, 2)
                   && rejected(b44, 3, 8) && rejected(b33, 3, 6) && rejected(b22, 3, 4)
                   && rejected(bf1, 3, 16) && rejected(b01, 3, 1),
               "bad markers (w not 1..4, r >= w) rejected");
    }
    /* wrong n */
    {
        static const uint8_t t[] = {0xc6, 0x02, 0x41}, t1[] = {0x10, 0x00, 0x10};
        tap_ok(rejected(t, 3, 4) && rejected(t, 3, 6) && rejected(t, 3, 0) && rejected(t, 3, 9)
                   && rejected(t1, 3, 3) && rejected(t1, 3, 1),
               "count not matching the stream rejected (n = 4, 6, 0, 9; w=1 n = 3, 1)");
    }
    /* too short */
    {
        static const uint8_t t[] = {0x40};
        tap_ok(rejected(t, 0, 0) && rejected(t, 1, 0), "empty stream, and w=4 marker without leftover byte, rejected");
    }

    /* round trip of streams packed here, every class of max code */
    int bad = 0;
    uint32_t x = 1;
    static const uint8_t maxes[] = {0, 1, 3, 4, 5, 6, 15, 16, 31, 63};
    for (size_t mi = 0; mi < sizeof maxes; mi++)
        for (size_t n = 0; n <= 40; n++) {
            uint8_t c[48], t[64];
            for (size_t i = 0; i < n; i++) {
                x = x * 1103515245u + 12345u;
                c[i] = (uint8_t)((x >> 16) % (maxes[mi] + 1u));
            }
            if (n)
                c[n / 2] = maxes[mi];   /* the class is the one intended */
            size_t tl = pack_tuples(c, n, t);
            if (!unpacks(t, tl, c, n))
                if (bad++ < 3)
                    tap_diag("max %u, n %zu", maxes[mi], n);
        }
    tap_ok(bad == 0, "round trip of hand-packed streams, n = 0..40, every symbol width");
}

/* ---- packs ------------------------------------------------------------- */

static int index_is(const char *pack, size_t len, int64_t n_want, const uint32_t *want)
{
    uint8_t *pb = malloc(len ? len : 1);
    if (len)
        memcpy(pb, pack, len);
    static uint32_t sentinel;
    uint32_t *ends = &sentinel;   /* must be overwritten */
    int64_t n = rg_pack_index(pb, len, &ends);
    int good = n == n_want && (n > 0 ? ends != NULL && memcmp(ends, want, (size_t)n * 4) == 0
                                     : ends == NULL);
    if (!good) {
        tap_diag("got %lld items, expected %lld", (long long)n, (long long)n_want);
        for (int64_t i = 0; i < n && ends; i++)
            tap_diag("end[%lld] = %u", (long long)i, ends[i]);
    }
    if (n > 0)
        free(ends);
    free(pb);
    return good;
}

static void test_packs(void)
{
    {
        static const uint32_t e[] = {2, 3, 5};
        tap_ok(index_is("AB\xff\xff" "C\xff", 6, 3, e), "pack \"AB|\" \"|\" \"C|\": items AB, (empty), C");
    }
    {
        static const uint32_t e[] = {0, 1, 2};
        tap_ok(index_is("\xff\xff\xff", 3, 3, e), "pack of three empty items");
    }
    {
        static const uint32_t e[] = {0};
        tap_ok(index_is("\xff", 1, 1, e), "pack of one empty item");
    }
    tap_ok(index_is("", 0, 0, NULL), "empty pack: no items, ends NULL");
    {
        static const uint32_t e[] = {2};
        tap_ok(index_is("AB\xff" "CD", 5, 1, e),
               "pack without trailing separator: only the terminated item counts");
    }
    tap_ok(index_is("ABC", 3, 0, NULL), "pack without any separator: no items");
    {
        /* a 300-item pack with growing items (more than any initial capacity) */
        char *p = malloc(300 * 301 / 2 + 300);
        uint32_t *e = malloc(300 * sizeof *e);
        size_t o = 0;
        for (int i = 0; i < 300; i++) {
            memset(p + o, 'A' + i % 20, (size_t)i);
            o += (size_t)i;
            e[i] = (uint32_t)o;
            p[o++] = (char)0xff;
        }
        tap_ok(index_is(p, o, 300, e), "pack of 300 items of lengths 0..299");
        free(p);
        free(e);
    }
    {
        /* codes 0..0x7F and LZ bytes are never separators */
        char p[129];
        for (int i = 0; i < 128; i++)
            p[i] = (char)i;
        p[128] = (char)0xff;
        static const uint32_t e[] = {128};
        tap_ok(index_is(p, 129, 1, e), "bytes 00..7F inside an item are not separators");
    }
}

int main(void)
{
    hts_set_log_level(HTS_LOG_OFF);
    tap_plan(N_B64 + 9 + 14 + 8);
    test_names();
    test_tuples();
    test_packs();
    return tap_done();
}
