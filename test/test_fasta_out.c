/* test_fasta_out.c -- FASTA records as agc prints them (fasta_out.h).

   The expected bytes are built here by a straightforward formatter:
   ">name\n", then lines of exactly line_len bases except the last, every
   line ending in "\n"; an empty sequence gives the header only.  Gzip output
   is unpacked member by member with libdeflate and compared with the plain
   output; each record is two members (header, sequence). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

#include "fasta_out.h"
#include "ragc.h"
#include "tap.h"

typedef struct {
    char *s;
    size_t n, cap;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->cap - b->n < n + 1) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->n < n + 1)
            cap *= 2;
        b->s = realloc(b->s, cap);
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

/* The reference formatter. */
static void expect_record(sbuf *b, const char *name, const char *seq, size_t len, size_t ll)
{
    sb_put(b, ">", 1);
    sb_put(b, name, strlen(name));
    sb_put(b, "\n", 1);
    for (size_t i = 0; i < len; i += ll) {
        size_t n = len - i < ll ? len - i : ll;
        sb_put(b, seq + i, n);
        sb_put(b, "\n", 1);
    }
}

static char *make_seq(size_t n, uint32_t seed)
{
    static const char bases[] = "ACGTNRYKM";
    char *s = malloc(n + 1);
    uint32_t x = seed | 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        s[i] = bases[x % 9];
    }
    s[n] = '\0';
    return s;
}

/* Feeds seq to f in pieces: piece sizes cycle through `pieces` (0 = all). */
static int feed(cli_fasta *f, const char *seq, size_t len, const size_t *pieces, int np)
{
    if (!np)
        return cli_fasta_seq(f, seq, len);
    size_t i = 0;
    int k = 0;
    while (i < len) {
        size_t n = pieces[k++ % np];
        if (n > len - i)
            n = len - i;
        int r = cli_fasta_seq(f, seq + i, n);
        if (r)
            return r;
        i += n;
    }
    return 0;
}

static int same_bytes(const char *got, size_t gn, const sbuf *want)
{
    if (gn == want->n && (gn == 0 || memcmp(got, want->s, gn) == 0))
        return 1;
    size_t i = 0;
    while (i < gn && i < want->n && got[i] == want->s[i])
        i++;
    tap_diag("output %zu bytes, expected %zu; first difference at byte %zu", gn, want->n, i);
    return 0;
}

static const size_t lengths[] = {0, 1, 39, 40, 41, 79, 80, 81, 159, 160, 161, 1000, 4321};
#define N_LENGTHS (sizeof lengths / sizeof lengths[0])

/* All lengths as consecutive records, in one cli_fasta, plain. */
static void test_plain(size_t ll, const size_t *pieces, int np, const char *how)
{
    cli_fasta f;
    sbuf want = {0};
    int r = cli_fasta_init(&f, ll, 0);
    for (size_t i = 0; r == 0 && i < N_LENGTHS; i++) {
        char name[64];
        snprintf(name, sizeof name, "ctg%zu some description", lengths[i]);
        char *seq = make_seq(lengths[i], (uint32_t)(i + 7));
        expect_record(&want, name, seq, lengths[i], ll);
        r = cli_fasta_begin(&f, name, strlen(name));
        if (!r)
            r = feed(&f, seq, lengths[i], pieces, np);
        if (!r)
            r = cli_fasta_end(&f);
        free(seq);
    }
    int good = r == 0 && same_bytes(f.out.s, f.out.l, &want);
    tap_ok(good, "plain, line length %zu, %s: lengths 0..4321 as %zu records", ll, how, N_LENGTHS);
    cli_fasta_free(&f);
    free(want.s);
}

/* Structural checks of the plain format on one long record. */
static void test_lines(size_t ll)
{
    cli_fasta f;
    size_t rest = ll > 3 ? 3 : ll - 1;   /* the last, shorter line (none for ll = 1) */
    size_t len = 10 * ll + rest;
    char *seq = make_seq(len, 99);
    int r = cli_fasta_init(&f, ll, 0);
    if (!r)
        r = cli_fasta_begin(&f, "x", 1);
    if (!r)
        r = cli_fasta_seq(&f, seq, len);
    if (!r)
        r = cli_fasta_end(&f);
    int good = r == 0 && f.out.l > 3 && memcmp(f.out.s, ">x\n", 3) == 0 && f.out.s[f.out.l - 1] == '\n';
    size_t lines = 0, p = 3;
    while (good && p < f.out.l) {
        char *nl = memchr(f.out.s + p, '\n', f.out.l - p);
        size_t n = (size_t)(nl - (f.out.s + p));
        lines++;
        if (lines <= 10 ? n != ll : n != rest)
            good = 0;
        p += n + 1;
    }
    tap_ok(good && lines == 10 + (rest > 0),
           "line length %zu: 10 full lines of exactly %zu, then %zu, all ending in \\n", ll, ll, rest);
    cli_fasta_free(&f);
    free(seq);
}

static void test_empty(void)
{
    cli_fasta f;
    int r = cli_fasta_init(&f, 80, 0);
    if (!r)
        r = cli_fasta_begin(&f, "empty one", 9);
    if (!r)
        r = cli_fasta_end(&f);
    if (!r)
        r = cli_fasta_begin(&f, "e2", 2);
    if (!r)
        r = cli_fasta_seq(&f, "", 0);
    if (!r)
        r = cli_fasta_end(&f);
    tap_ok(r == 0 && f.out.l == 15 && memcmp(f.out.s, ">empty one\n>e2\n", 15) == 0,
           "empty sequences print the header only");
    cli_fasta_free(&f);

    /* a name is taken by length, not up to a NUL */
    r = cli_fasta_init(&f, 80, 0);
    if (!r)
        r = cli_fasta_begin(&f, "abcdef", 3);
    if (!r)
        r = cli_fasta_seq(&f, "ACGT", 4);
    if (!r)
        r = cli_fasta_end(&f);
    tap_ok(r == 0 && f.out.l == 10 && memcmp(f.out.s, ">abc\nACGT\n", 10) == 0,
           "header uses name_len bytes of the name");
    cli_fasta_free(&f);
}

/* Streaming: flush called whenever at least flush_at bytes are ready. */
typedef struct {
    sbuf got;
    int calls;
} flushed_t;

static int on_flush(void *ctx, const char *s, size_t n)
{
    flushed_t *fl = ctx;
    fl->calls++;
    sb_put(&fl->got, s, n);
    return 0;
}

static void test_flush(void)
{
    static const size_t pieces[] = {7, 1, 33};
    cli_fasta f;
    flushed_t fl = {{0}, 0};
    sbuf want = {0};
    int r = cli_fasta_init(&f, 60, 0);
    f.flush = on_flush;
    f.flush_ctx = &fl;
    f.flush_at = 100;
    for (size_t i = 0; r == 0 && i < N_LENGTHS; i++) {
        char *seq = make_seq(lengths[i], (uint32_t)(3 * i + 1));
        expect_record(&want, "r", seq, lengths[i], 60);
        r = cli_fasta_begin(&f, "r", 1);
        if (!r)
            r = feed(&f, seq, lengths[i], pieces, 3);
        if (!r)
            r = cli_fasta_end(&f);
        free(seq);
    }
    if (!r)
        r = cli_fasta_drain(&f);
    tap_ok(r == 0 && f.out.l == 0 && fl.calls > 10 && same_bytes(fl.got.s, fl.got.n, &want),
           "streaming through flush (flush_at 100): same bytes, %d flushes, nothing left", fl.calls);
    cli_fasta_free(&f);
    free(fl.got.s);
    free(want.s);
}

/* The first bases go out at once: the first flush comes with the first
   piece of sequence (header and bases together, not the header alone),
   later ones only at flush_at bytes. */
static void test_first_flush(void)
{
    cli_fasta f;
    flushed_t fl = {{0}, 0};
    int r = cli_fasta_init(&f, 60, 0);
    f.flush = on_flush;
    f.flush_ctx = &fl;
    f.flush_at = 1000;
    if (!r)
        r = cli_fasta_begin(&f, "r", 1);
    int after_header = fl.calls;
    if (!r)
        r = cli_fasta_seq(&f, "ACGTA", 5);
    int after_first = fl.calls;
    size_t first_len = fl.got.n;
    int first_ok = first_len == 8 && memcmp(fl.got.s, ">r\nACGTA", 8) == 0;
    for (int i = 0; r == 0 && i < 20; i++)
        r = cli_fasta_seq(&f, "ACGTACGTAC", 10);
    tap_ok(r == 0 && after_header == 0 && after_first == 1 && first_ok && fl.calls == 1 &&
           f.out.l == 200 + 3,
           "first flush with the first bases (%zu bytes), then none before flush_at", first_len);
    cli_fasta_free(&f);
    free(fl.got.s);
}

/* ---- gzip ---------------------------------------------------------------- */

/* Splits a concatenation of gzip members; appends the decompressed bytes to
   out and the start offset of each member to starts.  Returns the member
   count, or -1 if the data is not a clean sequence of members. */
static int gunzip_members(const unsigned char *in, size_t n, sbuf *out, size_t *starts, int max)
{
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    int members = 0;
    size_t p = 0;
    size_t cap = 1 << 16;
    char *tmp = malloc(cap);
    while (d && p < n) {
        size_t in_used = 0, out_n = 0;
        enum libdeflate_result r;
        while ((r = libdeflate_gzip_decompress_ex(d, in + p, n - p, tmp, cap, &in_used, &out_n))
               == LIBDEFLATE_INSUFFICIENT_SPACE) {
            cap *= 2;
            tmp = realloc(tmp, cap);
        }
        if (r != LIBDEFLATE_SUCCESS || in_used == 0) {
            members = -1;
            break;
        }
        if (members < max)
            starts[members] = p;
        members++;
        sb_put(out, tmp, out_n);
        p += in_used;
    }
    free(tmp);
    libdeflate_free_decompressor(d);
    return d ? members : -1;
}

static void test_gzip(void)
{
    static const size_t pieces[] = {3, 1, 4, 1, 5, 9, 2, 6};
    cli_fasta fz, fp;
    sbuf plain = {0};
    int r = cli_fasta_init(&fz, 80, 6);
    if (!r)
        r = cli_fasta_init(&fp, 80, 0);
    size_t n_rec = 0;
    for (size_t i = 1; r == 0 && i < N_LENGTHS; i++) {   /* non-empty records */
        char name[32];
        snprintf(name, sizeof name, "seq%zu", i);
        char *seq = make_seq(lengths[i], (uint32_t)(i * 11));
        r = cli_fasta_begin(&fz, name, strlen(name));
        if (!r)
            r = feed(&fz, seq, lengths[i], pieces, 8);
        if (!r)
            r = cli_fasta_end(&fz);
        if (!r)
            r = cli_fasta_begin(&fp, name, strlen(name));
        if (!r)
            r = cli_fasta_seq(&fp, seq, lengths[i]);
        if (!r)
            r = cli_fasta_end(&fp);
        n_rec++;
        free(seq);
    }
    sb_put(&plain, fp.out.s, fp.out.l);
    sbuf un = {0};
    size_t starts[64];
    int members = r == 0 ? gunzip_members((unsigned char *)fz.out.s, fz.out.l, &un, starts, 64) : -1;
    tap_ok(r == 0 && members > 0 && same_bytes(un.s, un.n, &plain),
           "gzip level 6: the members decompress to the plain output");
    tap_is_int(members, 2 * (long long)n_rec, "gzip: two members per record (%zu records)", n_rec);

    /* the members are the header and the sequence text of each record */
    int split_ok = members == 2 * (int)n_rec;
    for (int m = 0; split_ok && m < members; m += 2) {
        sbuf h = {0};
        size_t end = starts[m + 1];
        size_t st1[1];
        if (gunzip_members((unsigned char *)fz.out.s + starts[m], end - starts[m], &h, st1, 1) != 1
            || h.n < 3 || h.s[0] != '>' || h.s[h.n - 1] != '\n' || memchr(h.s, '\n', h.n) != h.s + h.n - 1)
            split_ok = 0;
        free(h.s);
    }
    tap_ok(split_ok, "gzip: each record's first member is exactly its header line");
    /* gzip XFL (byte 8): 4 = fastest (level 1, the header), 0 = level 6 */
    int xfl_ok = members == 2 * (int)n_rec;
    for (int m = 0; xfl_ok && m < members; m++)
        if ((unsigned char)fz.out.s[starts[m] + 8] != (m % 2 == 0 ? 4 : 0))
            xfl_ok = 0;
    tap_ok(xfl_ok, "gzip: headers compressed at level 1, sequences at level 6 (XFL flags)");
    free(un.s);
    free(plain.s);
    cli_fasta_free(&fz);
    cli_fasta_free(&fp);

    /* an empty sequence in gzip mode decompresses to the header only */
    r = cli_fasta_init(&fz, 80, 6);
    if (!r)
        r = cli_fasta_begin(&fz, "e", 1);
    if (!r)
        r = cli_fasta_end(&fz);
    sbuf e = {0};
    size_t st[8];
    int m = r == 0 ? gunzip_members((unsigned char *)fz.out.s, fz.out.l, &e, st, 8) : -1;
    tap_ok(m >= 1 && e.n == 3 && memcmp(e.s, ">e\n", 3) == 0,
           "gzip: an empty sequence decompresses to the header only");
    free(e.s);
    cli_fasta_free(&fz);

    /* every level 1..9 round-trips; odd pieces give the same bytes as one piece */
    int lv_ok = 1;
    for (int level = 1; level <= 9; level++) {
        char *seq = make_seq(1234, (uint32_t)level);
        cli_fasta a, b;
        sbuf want = {0}, got = {0};
        expect_record(&want, "L", seq, 1234, 70);
        int ra = cli_fasta_init(&a, 70, level), rb = cli_fasta_init(&b, 70, level);
        if (!ra)
            ra = cli_fasta_begin(&a, "L", 1);
        if (!ra)
            ra = cli_fasta_seq(&a, seq, 1234);
        if (!ra)
            ra = cli_fasta_end(&a);
        if (!rb)
            rb = cli_fasta_begin(&b, "L", 1);
        if (!rb)
            rb = feed(&b, seq, 1234, pieces, 8);
        if (!rb)
            rb = cli_fasta_end(&b);
        size_t s2[4];
        if (ra || rb || gunzip_members((unsigned char *)a.out.s, a.out.l, &got, s2, 4) != 2
            || got.n != want.n || memcmp(got.s, want.s, want.n) != 0 || a.out.l != b.out.l
            || memcmp(a.out.s, b.out.s, a.out.l) != 0) {
            lv_ok = 0;
            tap_diag("level %d fails", level);
        }
        cli_fasta_free(&a);
        cli_fasta_free(&b);
        free(want.s);
        free(got.s);
        free(seq);
    }
    tap_ok(lv_ok, "gzip levels 1..9: 2 members, right text, piece sizes do not change the bytes");
}

static void test_args(void)
{
    cli_fasta f;
    int r0 = cli_fasta_init(&f, 0, 0);
    cli_fasta_free(&f);
    int r10 = cli_fasta_init(&f, 80, 10);
    cli_fasta_free(&f);
    int rneg = cli_fasta_init(&f, 80, -1);
    cli_fasta_free(&f);
    tap_ok(r0 == RAGC_ERR_ARG && r10 == RAGC_ERR_ARG && rneg == RAGC_ERR_ARG,
           "line length 0 and gzip levels outside 0..9 rejected (RAGC_ERR_ARG)");
}

int main(void)
{
    static const size_t odd[] = {1, 2, 3, 5, 7, 11, 13, 17, 19, 23};
    static const size_t big[] = {79, 81, 160, 1};
    tap_plan(8 + 4 + 2 + 1 + 1 + 6 + 1);
    test_plain(80, NULL, 0, "one piece");
    test_plain(80, odd, 10, "odd-sized pieces");
    test_plain(80, big, 4, "pieces around the line length");
    test_plain(40, NULL, 0, "one piece");
    test_plain(40, odd, 10, "odd-sized pieces");
    test_plain(1, odd, 10, "odd-sized pieces");
    test_plain(60, NULL, 0, "one piece");
    test_plain(61, odd, 3, "pieces 1, 2, 3");
    test_lines(80);
    test_lines(40);
    test_lines(1);
    test_lines(7);
    test_empty();
    test_flush();
    test_first_flush();
    test_gzip();
    test_args();
    return tap_done();
}
