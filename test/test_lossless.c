/* test_lossless.c -- lossless archives (issue 8) through the public API:
   every byte of a FASTA input comes back (ragc_sample_original), reads give
   the bases as the input held them (case, odd bytes) or, on a canonical
   decoder, agc's view; no_original archives are agc's; appends keep or
   drop original forms as asked.

   The ragc-original stream (docs/lossless.md 7.1, original_store.h) is
   checked part by part: batches of consecutive samples (50 at most) and an
   index, each a zstd frame with a checksum, batches after the first packed
   with sample 0's blob as prefix.  Damaged streams (index, truncated or
   flipped frames, metadata, size tables, another archive's stream) must
   leave every sample either exact or, in all its contigs, read as agc
   reads it; ragc_sample_original gives the input or an error, never other
   bytes.

   Every expected value is computed here from the generated inputs: the
   generator writes each FASTA file and, beside it, what each record must
   read as (its stored name, its bases as the file held them without the
   whitespace).  Files come from a seeded PRNG, so a failure is
   reproducible; the diagnostics name the case. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>

#include <htslib/hts_log.h>
#include <htslib/kstring.h>

#include "container.h"
#include "container_write.h"
#include "io.h"
#include "original_store.h"
#include "ragc.h"
#include "tap.h"
#include "varint.h"

static char tmpdir[256];

/* ---- a seeded PRNG (splitmix64) ---- */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static uint64_t rng_below(uint64_t n)
{
    return n ? rng_next() % n : 0;
}

/* 1 with probability p percent. */
static int rng_pct(unsigned p)
{
    return rng_below(100) < p;
}

/* ---- what a generated file must read as ---- */

typedef struct {
    char *name;          /* the name ragc must store */
    kstring_t bases;     /* the record's bases as the file held them */
    size_t file_from, file_to;   /* the record's bytes in the file: [from, to) */
} exp_record;

typedef struct {
    kstring_t file;      /* the whole file */
    size_t preamble_len; /* file bytes before the first record */
    exp_record *rec;
    size_t n_rec, cap_rec;
} exp_file;

static void exp_free(exp_file *e)
{
    for (size_t i = 0; i < e->n_rec; i++) {
        free(e->rec[i].name);
        free(e->rec[i].bases.s);
    }
    free(e->rec);
    free(e->file.s);
    memset(e, 0, sizeof *e);
}

static exp_record *exp_add(exp_file *e, const char *name)
{
    if (e->n_rec == e->cap_rec) {
        size_t cap = e->cap_rec ? 2 * e->cap_rec : 8;
        exp_record *r = realloc(e->rec, cap * sizeof *r);
        if (!r)
            abort();
        e->rec = r;
        e->cap_rec = cap;
    }
    exp_record *r = &e->rec[e->n_rec++];
    memset(r, 0, sizeof *r);
    r->name = strdup(name);
    kputsn("", 0, &r->bases);
    r->file_from = e->file.l;
    return r;
}

/* The bytes of a sequence line that are not bases (docs/lossless.md). */
static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/* agc's view of one byte of a sequence: one of the 16 codes, upper case;
   anything else N. */
static char canon_byte(unsigned char c)
{
    static const char codes[] = "ACGTNRYSWKMBDHVU";
    unsigned char u = (c >= 'a' && c <= 'z') ? (unsigned char)(c - 32) : c;
    return u && memchr(codes, u, 16) ? (char)u : 'N';
}

static void canon_copy(const char *s, size_t n, kstring_t *out)
{
    out->l = 0;
    for (size_t i = 0; i < n; i++)
        kputc(canon_byte((unsigned char)s[i]), out);
}

/* ---- generating FASTA text ---- */

typedef struct {
    int odd;        /* bytes outside the 16 codes (else codes only, for no_original) */
    int ws;         /* whitespace inside sequence lines */
    int preamble;   /* text before the first header */
    int empty_hdr;  /* '>' alone or blanks only */
    int crlf;       /* CRLF line ends (some) */
    unsigned lower_pct;   /* chance of a lower-case run starting at a base */
    int high;       /* bytes >= 0x80 in headers (no_original refuses them) */
} gen_opts;

static const char odd_bytes[] = "-*.0123456789XxEejJ#@>;!~";

/* A byte outside the 16 codes and outside whitespace and '\n'. */
static char odd_byte(void)
{
    switch (rng_below(4)) {
    case 0:
        return odd_bytes[rng_below(sizeof odd_bytes - 1)];
    case 1: {   /* control bytes, NUL included, but no line end or whitespace */
        unsigned char c;
        do
            c = (unsigned char)rng_below(32);
        while (c == '\n' || is_ws(c));
        return (char)c;
    }
    case 2:
        return (char)(128 + rng_below(128));
    default:
        return 127;
    }
}

static void put_eol(exp_file *e, int crlf)
{
    if (crlf)
        kputc('\r', &e->file);
    kputc('\n', &e->file);
}

static int pick_crlf(const gen_opts *g)
{
    return g->crlf && rng_pct(30);
}

/* Lines before the first header: comments, blank lines, odd text.  The
   first non-blank one must not start with '@' (FASTQ), none with '>', no
   NUL (binary). */
static void gen_preamble(exp_file *e, const gen_opts *g)
{
    size_t n = 1 + rng_below(3);
    for (size_t i = 0; i < n; i++) {
        switch (rng_below(4)) {
        case 0:
            break;   /* blank */
        case 1:
            kputs("# a comment line", &e->file);
            break;
        case 2:
            kputs(" \t; indented\tcomment \x01\xfe", &e->file);
            break;
        default:
            kputs("text with a \r inside", &e->file);
            break;
        }
        put_eol(e, pick_crlf(g));
    }
}

/* A header line's text after '>' (no '\r', '\n' or NUL) and the name
   ragc stores for it: the text with each byte >= 0x80 as %XX, or
   unnamed-K (K = the record's 1-based number in its sample) when the text
   is empty or blanks only. */
static void gen_header(const gen_opts *g, const char *prefix, size_t k, kstring_t *text, kstring_t *name)
{
    text->l = name->l = 0;
    kputsn("", 0, text);
    kputsn("", 0, name);
    int kind = (int)rng_below(g->empty_hdr ? 6 : 4);
    switch (kind) {
    case 0:
    case 1:
        ksprintf(text, "%sctg%zu", prefix, k);
        break;
    case 2:
        ksprintf(text, "%sctg%zu some description\twith tab", prefix, k);
        break;
    case 3:   /* bytes >= 0x80 are stored as %XX (agc's name coding uses them) */
        ksprintf(text, "%sctg%zu desc \x7f\x1b~%% %s bytes", prefix, k, g->high ? "\x80\xc3\xa9\xff" : "");
        break;
    case 4:
        break;   /* '>' alone */
    default:
        kputs(rng_pct(50) ? " \t " : " ", text);
        break;
    }
    if (kind >= 4)
        ksprintf(name, "unnamed-%zu", k);
    else
        for (size_t i = 0; i < text->l; i++) {
            unsigned char c = (unsigned char)text->s[i];
            if (c < 0x80)
                kputc(c, name);
            else
                ksprintf(name, "%%%02X", c);
        }
}

/* One base byte (as the file holds it); *lower is the open lower-case run. */
static char gen_base(const gen_opts *g, int *lower)
{
    if (*lower ? rng_pct(3) : rng_pct(g->lower_pct))
        *lower = !*lower;
    if (g->odd && rng_pct(2))
        return odd_byte();
    char c = rng_pct(5) ? "ACGTNRYSWKMBDHVU"[rng_below(16)] : "ACGT"[rng_below(4)];
    return *lower ? (char)(c + 32) : c;
}

/* A record's sequence lines: n_bases bases in lines of a fixed or random
   width, whitespace inside lines, blank lines.  Appends to the file and to
   the record's expected bases. */
static void gen_sequence(exp_file *e, exp_record *r, const gen_opts *g, size_t n_bases)
{
    size_t width = rng_pct(70) ? 1 + rng_below(100) : 0;   /* 0: random widths */
    int lower = 0;
    size_t done = 0;
    while (done < n_bases) {
        size_t w = width ? width : 1 + rng_below(120);
        size_t line_start = e->file.l;
        for (size_t i = 0; i < w && done < n_bases; i++) {
            if (g->ws && rng_pct(3)) {
                kputc(" \t\v\f\r"[rng_below(5)], &e->file);
                continue;
            }
            char c = gen_base(g, &lower);
            if (e->file.l == line_start && c == '>')
                c = 'A';   /* a '>' starting a line is a header */
            kputc(c, &e->file);
            kputc(c, &r->bases);
            done++;
        }
        put_eol(e, pick_crlf(g));
        if (rng_pct(5)) {   /* a blank or whitespace-only line */
            if (g->ws && rng_pct(50))
                kputs(" \t", &e->file);
            put_eol(e, pick_crlf(g));
        }
    }
    if (n_bases == 0 && rng_pct(30)) {   /* no bases but blank lines */
        if (g->ws && rng_pct(50))
            kputc(' ', &e->file);
        put_eol(e, pick_crlf(g));
    }
}

static size_t gen_length(void)
{
    switch (rng_below(6)) {
    case 0:
        return 0;
    case 1:
        return 1 + rng_below(20);
    default:
        return 20 + rng_below(400);
    }
}

/* Appends one record (header line and sequence) to e. */
static void gen_record(exp_file *e, const gen_opts *g, const char *prefix, size_t k, size_t n_bases)
{
    kstring_t text = { 0, 0, NULL }, name = { 0, 0, NULL };
    gen_header(g, prefix, k, &text, &name);
    exp_record *r = exp_add(e, name.s);
    kputc('>', &e->file);
    kputsn(text.s, text.l, &e->file);
    put_eol(e, pick_crlf(g));
    gen_sequence(e, r, g, n_bases);
    r->file_to = e->file.l;
    free(text.s);
    free(name.s);
}

/* Drops the file's final line end (a header's whole "\r\n", so that no
   '\r' ends a header line; a sequence line's '\n' only: a '\r' left at the
   end of the file is whitespace). */
static void drop_final_eol(exp_file *e)
{
    kstring_t *f = &e->file;
    if (f->l == 0 || f->s[f->l - 1] != '\n')
        return;
    size_t line = f->l - 1;
    while (line > 0 && f->s[line - 1] != '\n')
        line--;
    f->l--;
    if (f->s[line] == '>' && f->l > line && f->s[f->l - 1] == '\r')
        f->l--;
    f->s[f->l] = '\0';
    if (e->n_rec)
        e->rec[e->n_rec - 1].file_to = f->l;
}

/* A whole random file of one sample. */
static void gen_file(exp_file *e, const gen_opts *g)
{
    memset(e, 0, sizeof *e);
    kputsn("", 0, &e->file);
    if (g->preamble && rng_pct(40))
        gen_preamble(e, g);
    e->preamble_len = e->file.l;
    size_t n = 1 + rng_below(6);
    for (size_t k = 1; k <= n; k++)
        gen_record(e, g, "", k, gen_length());
    if (rng_pct(30))
        drop_final_eol(e);
}

/* ---- files, archives, sinks ---- */

static int write_file(const char *path, const char *s, size_t n)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(s, 1, n, f) == n;
    if (f && fclose(f) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

static int sink_kstring(void *ctx, const char *s, size_t n)
{
    return kputsn(s, n, ctx) < 0;
}

/* Small parameters: tiny inputs cut into a few segments. */
static void small_opts(ragc_create_opts *o)
{
    ragc_create_opts_init(o);
    o->kmer_length = 17;
    o->min_match_len = 15;
    o->segment_size = 100;
    o->pack_cardinality = 3;
}

/* ragc_sample_original into out (emptied first); returns its status. */
static int sample_original(ragc_decoder *dec, int64_t s, kstring_t *out)
{
    out->l = 0;
    kputsn("", 0, out);
    return ragc_sample_original(dec, s, sink_kstring, out);
}

static int same(const char *a, size_t na, const char *b, size_t nb)
{
    return na == nb && (na == 0 || memcmp(a, b, na) == 0);
}

/* First position where a and b differ, for diagnostics. */
static size_t first_diff(const char *a, size_t na, const char *b, size_t nb)
{
    size_t i = 0;
    while (i < na && i < nb && a[i] == b[i])
        i++;
    return i;
}

/* Fetches [from, to] of a contig and compares with want (n bytes). */
static int fetch_is(ragc_decoder *dec, int64_t s, int64_t c, int64_t from, int64_t to, const char *want,
                    size_t n, const char *what)
{
    char *seq = NULL;
    int64_t len = 0;
    int r = ragc_contig_fetch(dec, s, c, from, to, &seq, &len);
    int ok = r == RAGC_OK && seq && same(seq, (size_t)len, want, n);
    if (!ok && what) {
        tap_diag("%s: sample %lld contig %lld [%lld, %lld]: status %d, %lld bytes, want %zu, first "
                 "difference at %zu", what, (long long)s, (long long)c, (long long)from, (long long)to,
                 r, (long long)len, n, seq ? first_diff(seq, (size_t)len, want, n) : 0);
        if (seq)
            tap_diag_hex("got", seq, (size_t)len);
        tap_diag_hex("want", want, n);
    }
    free(seq);
    return ok;
}

/* Checks every contig of sample s against the records rec[0, n): names,
   lengths, whole and random ranges on dec (default: as the file held
   them) and canon (canonical decoder: agc's view).  Returns the number of
   failures; diagnostics name `what`. */
static int check_reads(ragc_archive *arc, ragc_decoder *dec, ragc_decoder *canon, int64_t s,
                       const exp_record *rec, size_t n, const char *what)
{
    int bad = 0;
    kstring_t cv = { 0, 0, NULL };
    if (ragc_n_contigs(arc, s) != (int64_t)n) {
        tap_diag("%s: sample %lld has %lld contigs, want %zu", what, (long long)s,
                 (long long)ragc_n_contigs(arc, s), n);
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        const exp_record *r = &rec[i];
        const char *name = ragc_contig_name(arc, s, (int64_t)i);
        if (!name || strcmp(name, r->name) != 0) {
            tap_diag("%s: contig %zu named \"%s\", want \"%s\"", what, i, name ? name : "(null)", r->name);
            bad++;
        }
        int64_t len = ragc_contig_length(arc, dec, s, (int64_t)i);
        if (len != (int64_t)r->bases.l) {
            tap_diag("%s: contig %zu length %lld, want %zu", what, i, (long long)len, r->bases.l);
            bad++;
            continue;
        }
        canon_copy(r->bases.s, r->bases.l, &cv);
        bad += !fetch_is(dec, s, (int64_t)i, 0, INT64_MAX, r->bases.s, r->bases.l, what);
        bad += !fetch_is(canon, s, (int64_t)i, 0, INT64_MAX, cv.s, cv.l, what);
        for (int q = 0; q < 3 && r->bases.l > 0; q++) {
            size_t from = (size_t)rng_below(r->bases.l);
            size_t to = from + (size_t)rng_below(r->bases.l - from + 5);   /* may pass the end */
            size_t m = (to < r->bases.l ? to + 1 : r->bases.l) - from;
            bad += !fetch_is(dec, s, (int64_t)i, (int64_t)from, (int64_t)to, r->bases.s + from, m, what);
            bad += !fetch_is(canon, s, (int64_t)i, (int64_t)from, (int64_t)to, cv.s + from, m, what);
        }
    }
    free(cv.s);
    return bad;
}

/* Sample s reads as agc reads it (upper case, odd bytes as N), whole
   contigs and a range of each: its records are rec[0, n). */
static int check_canonical_only(ragc_archive *arc, ragc_decoder *dec, int64_t s, const exp_record *rec,
                                size_t n, const char *what)
{
    int bad = 0;
    kstring_t cv = { 0, 0, NULL };
    if (ragc_n_contigs(arc, s) != (int64_t)n)
        return 1;
    for (size_t i = 0; i < n; i++) {
        canon_copy(rec[i].bases.s, rec[i].bases.l, &cv);
        bad += !fetch_is(dec, s, (int64_t)i, 0, INT64_MAX, cv.s, cv.l, what);
        if (rec[i].bases.l > 2)
            bad += !fetch_is(dec, s, (int64_t)i, 1, (int64_t)rec[i].bases.l - 2, cv.s + 1, cv.l - 2, what);
    }
    free(cv.s);
    return bad;
}

/* ---- 1. random single-sample files ---- */

#define N_RANDOM_CASES 300

static void test_random_files(void)
{
    int fail_create = 0, fail_orig = 0, fail_reads = 0, fail_has = 0, fail_name = 0;
    int first_bad = -1;
    ragc_create_opts o;
    small_opts(&o);
    char path[512], agc[512];
    for (int t = 0; t < N_RANDOM_CASES; t++) {
        rng_state = 0x1234 + (uint64_t)t * 7919;
        gen_opts g = { 1, 1, 1, 1, 1, (unsigned)rng_below(4), 1 };
        if (t % 10 == 9)
            g.lower_pct = 100;   /* all lower case: LOWER_ALL records */
        exp_file e;
        gen_file(&e, &g);
        snprintf(path, sizeof path, "%s/case%d.fa", tmpdir, t);
        snprintf(agc, sizeof agc, "%s/case%d.agc", tmpdir, t);
        write_file(path, e.file.s, e.file.l);
        char *paths[] = { path };
        int r = ragc_create(agc, paths, 1, &o);
        ragc_archive *arc = r == RAGC_OK ? ragc_open(agc, &r) : NULL;
        ragc_decoder *dec = arc ? ragc_decoder_init(arc, 0) : NULL;
        ragc_decoder *canon = arc ? ragc_decoder_init(arc, 0) : NULL;
        int bad = 0;
        if (!dec || !canon) {
            tap_diag("case %d: create/open failed, status %d", t, r);
            fail_create++;
            bad = 1;
        } else {
            ragc_decoder_set_canonical(canon, 1);
            char want_name[32];
            snprintf(want_name, sizeof want_name, "case%d", t);
            const char *sn = ragc_sample_name(arc, 0);
            if (ragc_n_samples(arc) != 1 || !sn || strcmp(sn, want_name) != 0) {
                fail_name++;
                bad = 1;
            }
            if (ragc_has_original(dec, 0) != 1) {
                fail_has++;
                bad = 1;
            }
            kstring_t got = { 0, 0, NULL };
            r = sample_original(dec, 0, &got);
            if (r != RAGC_OK || !same(got.s, got.l, e.file.s, e.file.l)) {
                tap_diag("case %d: ragc_sample_original status %d, %zu bytes, want %zu, first difference "
                         "at %zu", t, r, got.l, e.file.l, first_diff(got.s, got.l, e.file.s, e.file.l));
                fail_orig++;
                bad = 1;
            }
            free(got.s);
            char what[64];
            snprintf(what, sizeof what, "case %d", t);
            if (check_reads(arc, dec, canon, 0, e.rec, e.n_rec, what)) {
                fail_reads++;
                bad = 1;
            }
        }
        if (bad && first_bad < 0)
            first_bad = t;
        ragc_decoder_destroy(dec);
        ragc_decoder_destroy(canon);
        ragc_close(arc);
        if (!bad) {
            unlink(path);
            unlink(agc);
        }
        exp_free(&e);
    }
    if (first_bad >= 0)
        tap_diag("first failing case %d: its files are kept in %s", first_bad, tmpdir);
    tap_is_int(fail_create, 0, "random files: %d archives created and opened", N_RANDOM_CASES);
    tap_is_int(fail_name, 0, "random files: one sample, named after its file");
    tap_is_int(fail_has, 0, "random files: ragc_has_original = 1");
    tap_is_int(fail_orig, 0, "random files: ragc_sample_original = the file, byte for byte");
    tap_is_int(fail_reads, 0, "random files: names, lengths, whole contigs and ranges as the file held "
                              "them; canonical decoder: agc's view");
}

/* Hand-made files for the corners the generator reaches rarely. */
static void test_hand_files(void)
{
    static const struct {
        const char *text;
        size_t n_rec;
        const char *names[3];
        const char *bases[3];
    } cases[] = {
        { ">a\r\nACGT\r", 1, { "a" }, { "ACGT" } },   /* a '\r' ends the file: whitespace */
        { ">a\nAC\n\n\n>b\n\n>c", 3, { "a", "b", "c" }, { "AC", "", "" } },
        { "\n\n>\nacgtn\n>  \t\nx-*\n", 2, { "unnamed-1", "unnamed-2" }, { "acgtn", "x-*" } },
        { "#p\r\n>r1 d\r\nAC-\t-g\r\n\r\nTT", 1, { "r1 d" }, { "AC--gTT" } },
        { ">a\n \t\v\f\rA C\n", 1, { "a" }, { "AC" } },
        { ">only\n", 1, { "only" }, { "" } },
        { ">a\n>b\nA>B\n", 2, { "a", "b" }, { "", "A>B" } },
    };
    size_t n = sizeof cases / sizeof cases[0];
    ragc_create_opts o;
    small_opts(&o);
    int bad = 0;
    char path[512], agc[512];
    for (size_t t = 0; t < n; t++) {
        snprintf(path, sizeof path, "%s/hand%zu.fa", tmpdir, t);
        snprintf(agc, sizeof agc, "%s/hand%zu.agc", tmpdir, t);
        write_file(path, cases[t].text, strlen(cases[t].text));
        exp_file e = { 0 };
        for (size_t i = 0; i < cases[t].n_rec; i++)
            kputs(cases[t].bases[i], &exp_add(&e, cases[t].names[i])->bases);
        char *paths[] = { path };
        int r = ragc_create(agc, paths, 1, &o);
        ragc_archive *arc = r == RAGC_OK ? ragc_open(agc, &r) : NULL;
        ragc_decoder *dec = arc ? ragc_decoder_init(arc, 0) : NULL;
        ragc_decoder *canon = arc ? ragc_decoder_init(arc, 0) : NULL;
        char what[64];
        snprintf(what, sizeof what, "hand case %zu", t);
        if (!canon) {
            tap_diag("%s: create/open failed, status %d", what, r);
            bad++;
        } else {
            ragc_decoder_set_canonical(canon, 1);
            kstring_t got = { 0, 0, NULL };
            r = sample_original(dec, 0, &got);
            if (r != RAGC_OK || strcmp(got.s, cases[t].text) != 0) {
                tap_diag("%s: ragc_sample_original status %d", what, r);
                tap_diag_hex("got", got.s, got.l);
                bad++;
            }
            free(got.s);
            bad += check_reads(arc, dec, canon, 0, e.rec, e.n_rec, what);
        }
        ragc_decoder_destroy(dec);
        ragc_decoder_destroy(canon);
        ragc_close(arc);
        exp_free(&e);
        unlink(path);
        unlink(agc);
    }
    tap_is_int(bad, 0, "%zu hand-made files: original form, names and reads", n);
}

/* ---- containers: streams and parts ---- */

typedef struct {
    uint8_t *data;
    size_t len;
    uint64_t meta;
} part;

typedef struct {
    char *name;
    part *parts;
    uint64_t n;
} stream_copy;

typedef struct {
    stream_copy *s;
    int n;
} archive_copy;

static void copy_free(archive_copy *a)
{
    for (int i = 0; i < a->n; i++) {
        for (uint64_t j = 0; j < a->s[i].n; j++)
            free(a->s[i].parts[j].data);
        free(a->s[i].parts);
        free(a->s[i].name);
    }
    free(a->s);
    memset(a, 0, sizeof *a);
}

/* Reads every stream and part of an archive's container. */
static int copy_read(const char *path, archive_copy *a)
{
    memset(a, 0, sizeof *a);
    rg_io *io = rg_io_open_file(path);
    if (!io)
        return -1;
    rg_container c;
    int r = rg_container_open(&c, io);
    if (r == RAGC_OK) {
        a->s = calloc((size_t)c.n_streams, sizeof *a->s);
        a->n = a->s ? c.n_streams : 0;
        r = a->s ? RAGC_OK : RAGC_ERR_NOMEM;
        for (int i = 0; r == RAGC_OK && i < c.n_streams; i++) {
            stream_copy *s = &a->s[i];
            s->name = strdup(c.streams[i].name);
            s->parts = calloc(c.streams[i].n_parts + 1, sizeof *s->parts);
            s->n = c.streams[i].n_parts;
            for (uint64_t j = 0; r == RAGC_OK && j < s->n; j++)
                r = rg_container_read_part(&c, i, j, &s->parts[j].data, &s->parts[j].len, &s->parts[j].meta);
        }
        rg_container_free(&c);
    }
    rg_io_close(io);
    if (r != RAGC_OK)
        copy_free(a);
    return r;
}

static int copy_find(const archive_copy *a, const char *name)
{
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->s[i].name, name) == 0)
            return i;
    return -1;
}

/* Writes the streams of a as a new container at path. */
static int copy_write(const archive_copy *a, const char *path)
{
    ragc_outfile out;
    if (ragc_outfile_open(&out, path) < 0)
        return -1;
    rg_container_writer *w = rg_cw_open(&out);
    int r = w ? RAGC_OK : RAGC_ERR_NOMEM;
    for (int i = 0; r == RAGC_OK && i < a->n; i++) {
        int id = rg_cw_register(w, a->s[i].name);
        if (id < 0)
            r = id;
        for (uint64_t j = 0; r == RAGC_OK && j < a->s[i].n; j++)
            r = rg_cw_add_part(w, id, a->s[i].parts[j].data, a->s[i].parts[j].len, a->s[i].parts[j].meta);
    }
    if (w) {
        int c = rg_cw_close(w);
        if (r == RAGC_OK)
            r = c;
    }
    if (r == RAGC_OK)
        return ragc_outfile_commit(&out);
    ragc_outfile_abort(&out);
    return r;
}

/* Replaces stream `name` of a by n parts copied from src (NULL: empty
   parts). */
static void copy_set_parts(archive_copy *a, const char *name, const part *src, uint64_t n)
{
    int i = copy_find(a, name);
    if (i < 0)
        abort();
    stream_copy *s = &a->s[i];
    for (uint64_t j = 0; j < s->n; j++)
        free(s->parts[j].data);
    free(s->parts);
    s->parts = calloc(n + 1, sizeof *s->parts);
    s->n = n;
    for (uint64_t j = 0; src && j < n; j++) {
        s->parts[j] = src[j];
        if (src[j].len) {
            s->parts[j].data = malloc(src[j].len);
            memcpy(s->parts[j].data, src[j].data, src[j].len);
        } else {
            s->parts[j].data = NULL;
        }
    }
}

/* ---- the ragc-original stream: batches and index (original_store.h) ---- */

/* Content of part p of stream s, unpacked with prefix (NULL: none). */
static int part_content(const stream_copy *s, uint64_t p, const rg_bytes *prefix, rg_bytes *out)
{
    if (p >= s->n)
        return RAGC_ERR_FORMAT;
    ZSTD_DCtx *d = ZSTD_createDCtx();
    int r = d ? rg_orig_unpack(d, s->parts[p].data, s->parts[p].len, s->parts[p].meta,
                               prefix && prefix->len ? prefix->s : NULL, prefix ? prefix->len : 0, out)
              : RAGC_ERR_NOMEM;
    ZSTD_freeDCtx(d);
    return r;
}

/* Packs content as a part (prefix NULL: none); the part's data is malloc'ed. */
static int pack_part(const rg_bytes *content, const rg_bytes *prefix, part *out)
{
    ZSTD_CCtx *c = ZSTD_createCCtx();
    int r = c ? rg_orig_pack(c, content->s, content->len, prefix && prefix->len ? prefix->s : NULL,
                             prefix ? prefix->len : 0, &out->data, &out->len, &out->meta)
              : RAGC_ERR_NOMEM;
    ZSTD_freeCCtx(c);
    return r;
}

/* The index of stream s (its last part): counts[n] (malloc'ed). */
static int stream_index(const stream_copy *s, uint64_t **counts, size_t *n)
{
    rg_bytes c = { 0 };
    *counts = NULL;
    *n = 0;
    int r = s->n ? part_content(s, s->n - 1, NULL, &c) : RAGC_ERR_FORMAT;
    if (r == RAGC_OK)
        r = rg_orig_index_decode(c.s, c.len, counts, n);
    rg_bytes_free(&c);
    return r;
}

/* A batch content parsed by hand (docs/lossless.md 7.1): n, size[n], and
   where the blobs start. */
typedef struct {
    uint64_t n;
    uint64_t *size;
    size_t blobs_at;
} batch_table;

/* t->size is the caller's to free, also on failure (-1). */
static int batch_parse(const rg_bytes *content, batch_table *t)
{
    rg_cursor c = { content->s, content->s + content->len };
    uint64_t total = 0;
    memset(t, 0, sizeof *t);
    if (rg_read_uvar(&c, &t->n) < 0 || t->n > content->len)
        return -1;
    t->size = calloc(t->n + 1, sizeof *t->size);
    for (uint64_t i = 0; t->size && i < t->n; i++) {
        if (rg_read_uvar(&c, &t->size[i]) < 0)
            return -1;
        total += t->size[i];
    }
    t->blobs_at = (size_t)(c.p - content->s);
    return t->size && total == content->len - t->blobs_at ? 0 : -1;
}

/* A batch content from a table and the blobs' bytes back to back. */
static int batch_build(const batch_table *t, const uint8_t *blobs, size_t blobs_len, rg_bytes *out)
{
    size_t *sizes = calloc(t->n + 1, sizeof *sizes);
    int r = sizes ? RAGC_OK : RAGC_ERR_NOMEM;
    for (uint64_t i = 0; sizes && i < t->n; i++)
        sizes[i] = (size_t)t->size[i];
    if (r == RAGC_OK)
        r = rg_orig_batch_encode(sizes, t->n, blobs, blobs_len, out);
    free(sizes);
    return r;
}

/* Sample 0's blob (the prefix of batches after the first), from batch 0. */
static int sample0_blob(const stream_copy *s, rg_bytes *out)
{
    rg_bytes c = { 0 };
    batch_table t = { 0, NULL, 0 };
    int r = part_content(s, 0, NULL, &c);
    if (r == RAGC_OK)
        r = batch_parse(&c, &t) == 0 && t.n > 0 ? RAGC_OK : RAGC_ERR_FORMAT;
    out->len = 0;
    if (r == RAGC_OK)
        r = rg_bytes_append(out, c.s + t.blobs_at, (size_t)t.size[0]);
    free(t.size);
    rg_bytes_free(&c);
    return r;
}

/* Checks the stream of the archive at agc: B batches of want[0, B)
   samples (index and part count), every batch's size table lists its
   samples, each with a non-empty blob, batch 0 unpacked without a prefix
   and batches after it with sample 0's blob only (without it, unpacking
   fails or gives other bytes); every sample has its original form.  The
   number of failures; diagnostics name `what`. */
static int check_stream(const char *agc, const uint64_t *want, size_t want_b, const char *what)
{
    archive_copy a;
    int bad = 0;
    if (copy_read(agc, &a) != RAGC_OK)
        return 1;
    int si = copy_find(&a, RG_ORIG_STREAM);
    uint64_t *counts = NULL;
    size_t nb = 0;
    uint64_t n_samples = 0;
    if (si < 0 || stream_index(&a.s[si], &counts, &nb) != RAGC_OK) {
        tap_diag("%s: no readable %s index", what, RG_ORIG_STREAM);
        copy_free(&a);
        return 1;
    }
    const stream_copy *s = &a.s[si];
    if (nb != want_b || s->n != nb + 1) {
        tap_diag("%s: index of %zu batches, want %zu; %llu parts, want %zu", what, nb, want_b,
                 (unsigned long long)s->n, want_b + 1);
        bad++;
    }
    rg_bytes prefix = { 0 }, c = { 0 };
    if (sample0_blob(s, &prefix) != RAGC_OK || prefix.len == 0)
        bad++;
    for (size_t b = 0; b < nb && b < want_b; b++) {
        batch_table t = { 0, NULL, 0 };
        if (counts[b] != want[b]) {
            tap_diag("%s: index: batch %zu of %llu samples, want %llu", what, b, (unsigned long long)counts[b],
                     (unsigned long long)want[b]);
            bad++;
        }
        n_samples += counts[b];
        int r = part_content(s, b, b ? &prefix : NULL, &c);
        if (r != RAGC_OK || batch_parse(&c, &t) != 0 || t.n != counts[b]) {
            tap_diag("%s: batch %zu: status %d, a table of %llu samples", what, b, r, (unsigned long long)t.n);
            bad++;
        }
        for (uint64_t i = 0; t.size && i < t.n; i++)
            bad += t.size[i] == 0;
        free(t.size);
        if (b > 0) {   /* the prefix is needed */
            rg_bytes plain = { 0 };
            int hts = hts_get_log_level();
            hts_set_log_level(HTS_LOG_OFF);
            r = part_content(s, b, NULL, &plain);
            hts_set_log_level(hts);
            if (r == RAGC_OK && same((char *)plain.s, plain.len, (char *)c.s, c.len)) {
                tap_diag("%s: batch %zu unpacks without the prefix", what, b);
                bad++;
            }
            rg_bytes_free(&plain);
        }
    }
    free(counts);
    rg_bytes_free(&c);
    rg_bytes_free(&prefix);
    copy_free(&a);
    ragc_archive *arc = ragc_open(agc, NULL);
    ragc_decoder *dec = arc ? ragc_decoder_init(arc, 0) : NULL;
    if (!dec || (uint64_t)ragc_n_samples(arc) != n_samples) {
        tap_diag("%s: the index covers %llu samples, the archive %lld", what, (unsigned long long)n_samples,
                 arc ? (long long)ragc_n_samples(arc) : -1LL);
        bad++;
    }
    for (int64_t i = 0; dec && i < ragc_n_samples(arc); i++)
        bad += ragc_has_original(dec, i) != 1;
    ragc_decoder_destroy(dec);
    ragc_close(arc);
    return bad;
}

/* ---- 2. and 3. no_original ---- */

/* A file of the 16 codes in mixed case, with whitespace, CRLF and blank
   lines, which both modes take. */
static void gen_codes_file(exp_file *e, uint64_t seed, size_t n_rec, const char *prefix)
{
    rng_state = seed;
    gen_opts g = { 0, 1, 0, 0, 1, 3, 0 };
    memset(e, 0, sizeof *e);
    kputsn("", 0, &e->file);
    for (size_t k = 1; k <= n_rec; k++)
        gen_record(e, &g, prefix, k, 150 + rng_below(600));
}

static int has_file_prefix(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int found = 0;
    while (d && (de = readdir(d)) != NULL)
        found |= strncmp(de->d_name, prefix, strlen(prefix)) == 0;
    if (d)
        closedir(d);
    return found;
}

static void test_no_original(void)
{
    char path[512], odd_path[512], agc[512], agc_def[512], odd_agc[512];
    snprintf(path, sizeof path, "%s/codes.fa", tmpdir);
    snprintf(odd_path, sizeof odd_path, "%s/oddfile.fa", tmpdir);
    snprintf(agc, sizeof agc, "%s/codes-noorig.agc", tmpdir);
    snprintf(agc_def, sizeof agc_def, "%s/codes-default.agc", tmpdir);
    snprintf(odd_agc, sizeof odd_agc, "%s/oddfile.agc", tmpdir);
    exp_file e;
    gen_codes_file(&e, 42, 4, "");
    write_file(path, e.file.s, e.file.l);
    ragc_create_opts o;
    small_opts(&o);
    o.no_original = 1;
    char *paths[] = { path };
    int r = ragc_create(agc, paths, 1, &o);
    tap_is_int(r, RAGC_OK, "no_original: a file of the 16 codes in mixed case is stored");

    archive_copy a = { 0 };
    int got_copy = copy_read(agc, &a);
    tap_ok(got_copy == RAGC_OK && copy_find(&a, RG_ORIG_STREAM) < 0 && a.n > 0,
           "no_original: the archive has no " RG_ORIG_STREAM " stream");

    ragc_archive *arc = ragc_open(agc, &r);
    ragc_decoder *dec = arc ? ragc_decoder_init(arc, 0) : NULL;
    tap_ok(dec && ragc_has_original(dec, 0) == 0, "no_original: ragc_has_original = 0");
    kstring_t got = { 0, 0, NULL };
    tap_is_int(dec ? sample_original(dec, 0, &got) : -999, RAGC_ERR_NO_ORIGINAL,
               "no_original: ragc_sample_original = RAGC_ERR_NO_ORIGINAL");
    tap_is_int(got.l, 0, "no_original: ... and writes nothing");
    tap_ok(dec && check_canonical_only(arc, dec, 0, e.rec, e.n_rec, "no_original") == 0,
           "no_original: contigs and ranges read upper case");
    ragc_decoder_destroy(dec);
    ragc_close(arc);

    /* 3. the same input, default: the same streams and parts plus ragc-original and ragc-md5 */
    ragc_create_opts d;
    small_opts(&d);
    r = ragc_create(agc_def, paths, 1, &d);
    archive_copy b = { 0 };
    int same_layout = r == RAGC_OK && got_copy == RAGC_OK && copy_read(agc_def, &b) == RAGC_OK;
    int extra = same_layout ? copy_find(&b, RG_ORIG_STREAM) : -1;
    int extra_md5 = same_layout ? copy_find(&b, RG_MD5_STREAM) : -1;
    same_layout = same_layout && extra >= 0 && extra_md5 >= 0 && b.n == a.n + 2;
    for (int i = 0, j = 0; same_layout && i < b.n; i++) {
        if (i == extra || i == extra_md5)
            continue;
        const stream_copy *x = &a.s[j++], *y = &b.s[i];
        same_layout = strcmp(x->name, y->name) == 0 && x->n == y->n;
        for (uint64_t p = 0; same_layout && p < x->n; p++)
            same_layout = x->parts[p].meta == y->parts[p].meta
                          && same((char *)x->parts[p].data, x->parts[p].len, (char *)y->parts[p].data,
                                  y->parts[p].len);
        if (!same_layout)
            tap_diag("stream %s differs", y->name);
    }
    tap_ok(same_layout, "default and no_original archives of the same input: the same streams in the "
                        "same order, the same parts, and two more streams, " RG_ORIG_STREAM " and "
                        RG_MD5_STREAM);
    copy_free(&a);
    copy_free(&b);
    static const uint64_t one[] = { 1 };
    tap_ok(r == RAGC_OK && check_stream(agc_def, one, 1, "one sample") == 0,
           RG_ORIG_STREAM ": a batch of the 1 sample and the index (2 parts); the sample has its "
           "original form");
    unlink(agc_def);

    /* an odd byte cannot be stored without the original form */
    static const char odd[] = ">a\nACGTACGTAC-GTACGT\n";
    write_file(odd_path, odd, sizeof odd - 1);
    char *odd_paths[] = { odd_path };
    int lvl = hts_get_log_level();
    hts_set_log_level(HTS_LOG_OFF);
    r = ragc_create(odd_agc, odd_paths, 1, &o);
    hts_set_log_level(lvl);
    tap_ok(r < 0 && access(odd_agc, F_OK) != 0 && !has_file_prefix(tmpdir, "oddfile.agc"),
           "no_original: a '-' in a sequence is refused (status %d), no output or temporary file left", r);
    /* the same with lower case and an empty header ... the empty header is
       refused, the lower case is fine (checked above) */
    static const char empty_hdr[] = ">\nACGTACGTACGTACGTACGTACGT\n";
    write_file(odd_path, empty_hdr, sizeof empty_hdr - 1);
    hts_set_log_level(HTS_LOG_OFF);
    r = ragc_create(odd_agc, odd_paths, 1, &o);
    hts_set_log_level(lvl);
    tap_ok(r < 0 && access(odd_agc, F_OK) != 0, "no_original: an empty header is refused (status %d)", r);
    unlink(odd_path);
    unlink(path);
    unlink(agc);
    free(got.s);
    exp_free(&e);
}

/* ---- 4. several samples, append ---- */

/* Similar genomes: one random base genome; each sample changes a few bases,
   masks mostly the same runs (a few differ), and has a few odd bytes
   (odd != 0).  Sample files are written to tmpdir/NAME.fa. */
#define GENOME_CONTIGS 3
#define GENOME_LEN 4000

static char base_genome[GENOME_CONTIGS][GENOME_LEN];
static uint8_t base_mask[GENOME_CONTIGS][GENOME_LEN];

static void make_base_genome(void)
{
    rng_state = 777;
    for (int c = 0; c < GENOME_CONTIGS; c++) {
        int lower = 0;
        for (int i = 0; i < GENOME_LEN; i++) {
            base_genome[c][i] = "ACGT"[rng_below(4)];
            if (lower ? rng_pct(2) : rng_pct(1))
                lower = !lower;
            base_mask[c][i] = (uint8_t)lower;
        }
    }
}

/* The text of a genome whose contig c has len[c] bases (at most
   GENOME_LEN), named chr1, chr2, ...: the base genome's contig c % 3 with
   a few changes. */
static void gen_genome_text(exp_file *e, uint64_t seed, int odd, const size_t *len, int n_contigs)
{
    rng_state = seed;
    memset(e, 0, sizeof *e);
    kputsn("", 0, &e->file);
    if (odd)   /* no_original takes no preamble either */
        kputs("; a preamble line\n", &e->file);
    e->preamble_len = e->file.l;
    int width = rng_pct(50) ? 60 : 80;
    for (int c = 0; c < n_contigs; c++) {
        char hdr[64];
        snprintf(hdr, sizeof hdr, "chr%d", c + 1);
        exp_record *r = exp_add(e, hdr);
        ksprintf(&e->file, ">%s\n", hdr);
        int col = 0;
        for (size_t i = 0; i < len[c]; i++) {
            char b = base_genome[c % GENOME_CONTIGS][i];
            if (rng_pct(1))
                b = "ACGT"[rng_below(4)];
            int lower = base_mask[c % GENOME_CONTIGS][i];
            if (rng_pct(1))
                lower = !lower;
            if (lower)
                b = (char)(b + 32);
            if (odd && rng_below(1000) < 2)
                b = rng_pct(50) ? 'X' : '-';
            kputc(b, &e->file);
            kputc(b, &r->bases);
            if (++col == width) {
                kputc('\n', &e->file);
                col = 0;
            }
        }
        if (col)
            kputc('\n', &e->file);
        r->file_to = e->file.l;
    }
}

static void gen_genome(exp_file *e, const char *name, uint64_t seed, int odd, char *path, size_t path_size)
{
    static const size_t len[GENOME_CONTIGS] = { GENOME_LEN, GENOME_LEN, GENOME_LEN };
    gen_genome_text(e, seed, odd, len, GENOME_CONTIGS);
    snprintf(path, path_size, "%s/%s.fa", tmpdir, name);
    write_file(path, e->file.s, e->file.l);
}

/* Sample s of arc is exact: its original form is the file and its reads
   are the file's bases. */
static int sample_exact(ragc_archive *arc, ragc_decoder *dec, ragc_decoder *canon, int64_t s,
                        const exp_file *e, const char *what)
{
    kstring_t got = { 0, 0, NULL };
    int r = sample_original(dec, s, &got);
    int bad = r != RAGC_OK || !same(got.s, got.l, e->file.s, e->file.l);
    if (bad)
        tap_diag("%s: sample %lld: ragc_sample_original status %d, %zu bytes, want %zu", what, (long long)s, r,
                 got.l, e->file.l);
    free(got.s);
    bad += ragc_has_original(dec, s) != 1;
    return bad + check_reads(arc, dec, canon, s, e->rec, e->n_rec, what);
}

/* Sample s has no original form and reads as agc would. */
static int sample_canonical(ragc_archive *arc, ragc_decoder *dec, int64_t s, const exp_file *e, const char *what)
{
    kstring_t got = { 0, 0, NULL };
    int bad = ragc_has_original(dec, s) != 0;
    int r = sample_original(dec, s, &got);
    if (r != RAGC_ERR_NO_ORIGINAL || got.l) {
        tap_diag("%s: sample %lld: ragc_sample_original status %d, %zu bytes", what, (long long)s, r, got.l);
        bad++;
    }
    free(got.s);
    return bad + check_canonical_only(arc, dec, s, e->rec, e->n_rec, what);
}

#define N_GENOMES 5

static exp_file genomes[N_GENOMES];
static char genome_path[N_GENOMES][512];
static char *genome_paths[N_GENOMES];
static exp_file plain[4];   /* 16 codes only, for no_original */
static char plain_path[4][512];
static char *plain_paths[4];

/* Checks samples [0, n) of an archive: exact[i] says whether sample i
   should have its original form, want[i] its file. */
static int check_archive(const char *agc, const exp_file *const *want, const int *exact, int n, const char *what)
{
    int st;
    ragc_archive *arc = ragc_open(agc, &st);
    ragc_decoder *dec = arc ? ragc_decoder_init(arc, 0) : NULL;
    ragc_decoder *canon = arc ? ragc_decoder_init(arc, 0) : NULL;
    int bad = 0;
    if (!canon || ragc_n_samples(arc) != n) {
        tap_diag("%s: open status %d, %lld samples, want %d", what, st, arc ? (long long)ragc_n_samples(arc) : -1LL, n);
        bad = 1;
    } else {
        ragc_decoder_set_canonical(canon, 1);
        for (int i = 0; i < n; i++) {
            int b = exact[i] ? sample_exact(arc, dec, canon, i, want[i], what)
                             : sample_canonical(arc, dec, i, want[i], what);
            if (b)
                tap_diag("%s: sample %d (%s) wrong", what, i, exact[i] ? "exact" : "canonical");
            bad += b;
        }
    }
    ragc_decoder_destroy(dec);
    ragc_decoder_destroy(canon);
    ragc_close(arc);
    return bad;
}

static void test_several_samples(void)
{
    make_base_genome();
    for (int i = 0; i < N_GENOMES; i++) {
        char name[16];
        snprintf(name, sizeof name, "g%d", i);
        gen_genome(&genomes[i], name, 1000 + (uint64_t)i, 1, genome_path[i], sizeof genome_path[i]);
        genome_paths[i] = genome_path[i];
    }
    for (int i = 0; i < 4; i++) {
        char name[16];
        snprintf(name, sizeof name, "p%d", i);
        gen_genome(&plain[i], name, 2000 + (uint64_t)i, 0, plain_path[i], sizeof plain_path[i]);
        plain_paths[i] = plain_path[i];
    }
    ragc_create_opts o;
    small_opts(&o);
    o.segment_size = 500;
    const exp_file *want[N_GENOMES];
    int exact[N_GENOMES];
    char all[512], first[512], appended[512];
    snprintf(all, sizeof all, "%s/genomes.agc", tmpdir);
    snprintf(first, sizeof first, "%s/genomes-2.agc", tmpdir);
    snprintf(appended, sizeof appended, "%s/genomes-2+3.agc", tmpdir);

    for (int i = 0; i < N_GENOMES; i++) {
        want[i] = &genomes[i];
        exact[i] = 1;
    }
    int r = ragc_create(all, genome_paths, N_GENOMES, &o);
    tap_ok(r == RAGC_OK && check_archive(all, want, exact, N_GENOMES, "5 genomes") == 0,
           "%d similar soft-masked genomes in one archive: every sample exact (status %d)", N_GENOMES, r);
    /* small genomes share one batch */
    static const uint64_t five[] = { N_GENOMES };
    tap_ok(r == RAGC_OK && check_stream(all, five, 1, "5 genomes") == 0,
           RG_ORIG_STREAM ": one batch of the %d samples and the index (2 parts)", N_GENOMES);

    /* append: old and new samples exact */
    r = ragc_create(first, genome_paths, 2, &o);
    if (r == RAGC_OK)
        r = ragc_append(first, appended, genome_paths + 2, 3, &o);
    tap_ok(r == RAGC_OK && check_archive(appended, want, exact, N_GENOMES, "2 + 3 genomes") == 0,
           "ragc_append of 3 genomes to 2: every sample exact (status %d)", r);

    /* append with no_original: the old samples keep theirs, the new have none */
    ragc_create_opts no;
    small_opts(&no);
    no.no_original = 1;
    r = ragc_append(first, appended, plain_paths, 2, &no);
    const exp_file *want2[4] = { &genomes[0], &genomes[1], &plain[0], &plain[1] };
    int exact2[4] = { 1, 1, 0, 0 };
    tap_ok(r == RAGC_OK && check_archive(appended, want2, exact2, 4, "append no_original") == 0,
           "ragc_append with no_original: old samples exact, new ones upper case without an original "
           "form (status %d)", r);

    /* an archive created with no_original (as agc's), appended to by default */
    r = ragc_create(first, plain_paths, 2, &no);
    if (r == RAGC_OK)
        r = ragc_append(first, appended, genome_paths, 2, &o);
    const exp_file *want3[4] = { &plain[0], &plain[1], &genomes[0], &genomes[1] };
    int exact3[4] = { 0, 0, 1, 1 };
    tap_ok(r == RAGC_OK && check_archive(appended, want3, exact3, 4, "append to no_original") == 0,
           "ragc_append to a no_original archive: old samples upper case without an original form, new "
           "ones exact (status %d)", r);
    /* and once more by default: three generations */
    char again[512];
    snprintf(again, sizeof again, "%s/genomes-again.agc", tmpdir);
    r = ragc_append(appended, again, plain_paths + 2, 1, &o);
    const exp_file *want4[5] = { &plain[0], &plain[1], &genomes[0], &genomes[1], &plain[2] };
    int exact4[5] = { 0, 0, 1, 1, 1 };
    tap_ok(r == RAGC_OK && check_archive(again, want4, exact4, 5, "append twice") == 0,
           "a second ragc_append: the earlier samples as they were, the new one exact (status %d)", r);
    unlink(first);
    unlink(appended);
    unlink(again);
}

/* ---- 7. threads ---- */

typedef struct {
    ragc_archive *arc;
    uint64_t seed;
    int bad;
} thread_job;

static void *thread_reads(void *arg)
{
    thread_job *j = arg;
    ragc_decoder *dec = ragc_decoder_init(j->arc, 0);
    if (!dec) {
        j->bad = 1;
        return NULL;
    }
    uint64_t st = j->seed;
    for (int q = 0; q < 300; q++) {
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        int s = (int)((st >> 33) % N_GENOMES);
        int c = (int)((st >> 20) % GENOME_CONTIGS);
        const kstring_t *b = &genomes[s].rec[c].bases;
        size_t from = (size_t)((st >> 5) % b->l), n = 1 + (size_t)((st >> 45) % 700);
        if (from + n > b->l)
            n = b->l - from;
        char *seq;
        int64_t len;
        int r = ragc_contig_fetch(dec, s, c, (int64_t)from, (int64_t)(from + n - 1), &seq, &len);
        if (r != RAGC_OK || !same(seq, (size_t)len, b->s + from, n))
            j->bad++;
        free(seq);
    }
    ragc_decoder_destroy(dec);
    return NULL;
}

static void test_threads(void)
{
    char all[512];
    snprintf(all, sizeof all, "%s/genomes.agc", tmpdir);
    ragc_archive *arc = ragc_open(all, NULL);
    thread_job jobs[3];
    pthread_t tid[3];
    int started = 0, bad = 0;
    for (int i = 0; arc && i < 3; i++) {
        jobs[i] = (thread_job){ arc, 99 + (uint64_t)i * 1000003, 0 };
        if (pthread_create(&tid[i], NULL, thread_reads, &jobs[i]) == 0)
            started++;
    }
    for (int i = 0; i < started; i++) {
        pthread_join(tid[i], NULL);
        bad += jobs[i].bad;
    }
    ragc_close(arc);
    tap_ok(started == 3 && bad == 0, "3 threads, a decoder each, 900 random ranges of 5 samples: the "
                                     "input's bytes (%d wrong)", bad);
}

/* ---- 8. the virtual FASTA ---- */

static void test_vfasta(void)
{
    char all[512];
    snprintf(all, sizeof all, "%s/genomes.agc", tmpdir);
    ragc_archive *arc = ragc_open(all, NULL);
    int bad = arc ? 0 : 1;
    for (int s = 0; arc && s < 2; s++) {
        const exp_file *e = &genomes[s];
        kstring_t want = { 0, 0, NULL };
        for (size_t i = 0; i < e->n_rec; i++) {
            ksprintf(&want, ">%s\n", e->rec[i].name);
            for (size_t p = 0; p < e->rec[i].bases.l; p += 60) {
                size_t n = e->rec[i].bases.l - p < 60 ? e->rec[i].bases.l - p : 60;
                kputsn(e->rec[i].bases.s + p, n, &want);
                kputc('\n', &want);
            }
        }
        int st;
        ragc_vfasta *vf = ragc_vfasta_open(arc, s, 0, &st);
        if (!vf || ragc_vfasta_size(vf) != want.l) {
            tap_diag("sample %d: vfasta status %d, size %llu, want %zu", s, st,
                     vf ? (unsigned long long)ragc_vfasta_size(vf) : 0ULL, want.l);
            bad++;
        } else {
            char *buf = malloc(want.l + 1);
            int64_t n = ragc_vfasta_read(vf, 0, buf, want.l + 1);
            if (n != (int64_t)want.l || memcmp(buf, want.s, want.l) != 0) {
                tap_diag("sample %d: vfasta read %lld bytes, first difference at %zu", s, (long long)n,
                         first_diff(buf, n > 0 ? (size_t)n : 0, want.s, want.l));
                bad++;
            }
            /* and in small pieces at random offsets */
            rng_state = 5 + (uint64_t)s;
            for (int q = 0; q < 50; q++) {
                size_t off = (size_t)rng_below(want.l), len = 1 + (size_t)rng_below(300);
                if (off + len > want.l)
                    len = want.l - off;
                n = ragc_vfasta_read(vf, off, buf, len);
                if (n != (int64_t)len || memcmp(buf, want.s + off, len) != 0) {
                    tap_diag("sample %d: vfasta read at %zu of %zu bytes wrong", s, off, len);
                    bad++;
                    break;
                }
            }
            free(buf);
        }
        ragc_vfasta_close(vf);
        free(want.s);
    }
    ragc_close(arc);
    tap_is_int(bad, 0, "ragc_vfasta_read of soft-masked samples: the input's case and odd bytes, 60 "
                       "columns, stored names as headers");
}

/* ---- 5. concatenated and PanSN input ---- */

/* A file of n_samples samples with a preamble: -c names (`sJ chrK ...`)
   or PanSN names (`sA#H#chrK`); records first_rec[j] to first_rec[j + 1]
   belong to sample j, whose original form is their bytes (with the
   preamble for sample 0). */
static void gen_multi(exp_file *e, int pansn, int n_samples, size_t *first_rec, uint64_t seed)
{
    rng_state = seed;
    gen_opts g = { 1, 1, 0, 0, 1, 3, 0 };
    memset(e, 0, sizeof *e);
    kputsn("", 0, &e->file);
    kputs("# collection\r\n\n", &e->file);
    e->preamble_len = e->file.l;
    for (int j = 0; j < n_samples; j++) {
        first_rec[j] = e->n_rec;
        size_t n = 1 + rng_below(3);
        for (size_t k = 1; k <= n; k++) {
            char name[64];
            if (pansn)
                snprintf(name, sizeof name, "s%d#%d#chr%zu", j / 2 + 1, j % 2 + 1, k);
            else
                snprintf(name, sizeof name, "s%d chr%zu%s", j + 1, k, k == 2 ? " desc" : "");
            exp_record *r = exp_add(e, name);
            ksprintf(&e->file, ">%s", name);
            put_eol(e, pick_crlf(&g));
            gen_sequence(e, r, &g, 30 + rng_below(300));
            r->file_to = e->file.l;
        }
    }
    first_rec[n_samples] = e->n_rec;
    drop_final_eol(e);
}

static void test_multi_sample_files(void)
{
    ragc_create_opts o;
    small_opts(&o);
    char path[512], agc[512], want_name[64];
    for (int pansn = 0; pansn <= 1; pansn++) {
        int bad = 0;
        for (int t = 0; t < 10; t++) {
            const int n_samples = 4;
            size_t first[5];
            exp_file e;
            gen_multi(&e, pansn, n_samples, first, 31 + (uint64_t)t * 101 + (uint64_t)pansn);
            snprintf(path, sizeof path, "%s/multi.fa", tmpdir);
            snprintf(agc, sizeof agc, "%s/multi.agc", tmpdir);
            write_file(path, e.file.s, e.file.l);
            o.concatenated = !pansn;
            o.pansn = pansn;   /* small_opts' 3 contigs a batch: samples straddle batches */
            char *paths[] = { path };
            int r = ragc_create(agc, paths, 1, &o);
            ragc_archive *arc = r == RAGC_OK ? ragc_open(agc, &r) : NULL;
            ragc_decoder *dec = arc ? ragc_decoder_init(arc, 0) : NULL;
            ragc_decoder *canon = arc ? ragc_decoder_init(arc, 0) : NULL;
            if (!canon || ragc_n_samples(arc) != n_samples) {
                tap_diag("%s case %d: status %d, %lld samples", pansn ? "pansn" : "-c", t, r,
                         arc ? (long long)ragc_n_samples(arc) : -1LL);
                bad++;
            }
            if (canon)
                ragc_decoder_set_canonical(canon, 1);
            for (int j = 0; canon && j < n_samples && j < ragc_n_samples(arc); j++) {
                if (pansn)
                    snprintf(want_name, sizeof want_name, "s%d#%d", j / 2 + 1, j % 2 + 1);
                else
                    snprintf(want_name, sizeof want_name, "s%d", j + 1);
                const char *sn = ragc_sample_name(arc, j);
                if (!sn || strcmp(sn, want_name) != 0) {
                    tap_diag("sample %d named %s, want %s", j, sn ? sn : "(null)", want_name);
                    bad++;
                }
                size_t from = j == 0 ? 0 : e.rec[first[j]].file_from;
                size_t to = e.rec[first[j + 1] - 1].file_to;
                kstring_t got = { 0, 0, NULL };
                r = sample_original(dec, j, &got);
                if (r != RAGC_OK || !same(got.s, got.l, e.file.s + from, to - from)) {
                    tap_diag("%s case %d sample %d: ragc_sample_original status %d, %zu bytes, want %zu",
                             pansn ? "pansn" : "-c", t, j, r, got.l, to - from);
                    bad++;
                }
                free(got.s);
                bad += check_reads(arc, dec, canon, j, e.rec + first[j], first[j + 1] - first[j],
                                   pansn ? "pansn" : "-c");
            }
            ragc_decoder_destroy(dec);
            ragc_decoder_destroy(canon);
            ragc_close(arc);
            unlink(path);
            unlink(agc);
            exp_free(&e);
        }
        tap_is_int(bad, 0, "%s: 10 files of 4 samples with a preamble: each sample's original form is "
                           "its records (the preamble with the first), reads exact",
                   pansn ? "--pansn" : "-c");
    }
}

/* ---- 6. batches, and damaged original forms ---- */

/* 55 similar samples: more than a batch holds (RG_ORIG_BATCH_SAMPLES), so
   the stream has batches [0, 50) and [50, 55). */
#define N_DMG 55
#define DMG_CONTIGS 3

static const size_t dmg_len[DMG_CONTIGS] = { 700, 900, 500 };

/* An archive of n samples at agc from files[]: sample i is written as
   tmpdir/dI.fa (the name of sample i in every such archive, so that a
   stream can be moved between them). */
static int create_samples(const char *agc, const exp_file *files, int n)
{
    char (*path)[512] = calloc((size_t)n, sizeof *path);
    char **paths = calloc((size_t)n, sizeof *paths);
    int r = path && paths ? RAGC_OK : RAGC_ERR_NOMEM;
    for (int i = 0; r == RAGC_OK && i < n; i++) {
        snprintf(path[i], sizeof path[i], "%s/d%d.fa", tmpdir, i);
        paths[i] = path[i];
        if (write_file(path[i], files[i].file.s, files[i].file.l) < 0)
            r = RAGC_ERR_IO;
    }
    ragc_create_opts o;
    small_opts(&o);
    o.segment_size = 500;
    if (r == RAGC_OK)
        r = ragc_create(agc, paths, n, &o);
    for (int i = 0; paths && i < n; i++)
        if (paths[i])
            unlink(paths[i]);
    free(path);
    free(paths);
    return r;
}

/* What a damaged archive must give for a sample. */
enum {
    D_EXACT,   /* the input: the damage does not touch the sample */
    D_CANON,   /* agc's view, ragc_sample_original RAGC_ERR_FORMAT */
    D_NONE,    /* agc's view, ragc_sample_original RAGC_ERR_NO_ORIGINAL */
    D_EITHER   /* D_EXACT or D_CANON, the same in every contig */
};

/* All contigs of sample s read on a fresh decoder: 1 when every one is as
   the input held it, 2 when every one is agc's view, 3 when both (the
   sample has no lower case or odd bytes), 0 otherwise (a mix, an error or
   other bytes).  Contigs are read last first, then first to last, so that
   neither the first nor the last contig read is the only one checked. */
static int sample_view(ragc_archive *arc, int64_t s, const exp_file *e, int *fetch_status)
{
    *fetch_status = RAGC_OK;
    ragc_decoder *d = ragc_decoder_init(arc, 0);
    kstring_t cv = { 0, 0, NULL };
    int exact = 1, canon = 1;
    if (!d || ragc_n_contigs(arc, s) != (int64_t)e->n_rec)
        exact = canon = 0;
    for (size_t k = 0; d && k < 2 * e->n_rec; k++) {
        size_t i = k < e->n_rec ? e->n_rec - 1 - k : k - e->n_rec;
        const kstring_t *b = &e->rec[i].bases;
        char *seq = NULL;
        int64_t len = 0;
        int r = ragc_contig_fetch(d, s, (int64_t)i, 0, INT64_MAX, &seq, &len);
        if (r < 0 && *fetch_status == RAGC_OK)
            *fetch_status = r;
        canon_copy(b->s, b->l, &cv);
        exact &= r == RAGC_OK && same(seq, (size_t)len, b->s, b->l);
        canon &= r == RAGC_OK && same(seq, (size_t)len, cv.s, cv.l);
        if (b->l > 2) {   /* a range too: ranges take their own path */
            free(seq);
            seq = NULL;
            r = ragc_contig_fetch(d, s, (int64_t)i, 1, (int64_t)b->l - 2, &seq, &len);
            exact &= r == RAGC_OK && same(seq, (size_t)len, b->s + 1, b->l - 2);
            canon &= r == RAGC_OK && same(seq, (size_t)len, cv.s + 1, cv.l - 2);
        }
        free(seq);
    }
    free(cv.s);
    ragc_decoder_destroy(d);
    return exact | canon << 1;
}

/* Checks every sample of a damaged archive against want[] (D_*) and the
   inputs files[].  Default reads of a sample are its input's bytes or, in
   every contig, agc's view; ragc_sample_original gives the input or an
   error, never other bytes.  Returns the number of failures. */
static int check_damaged(const char *agc, const exp_file *files, const int *want, int n, const char *what)
{
    int st, bad = 0;
    ragc_archive *arc = ragc_open(agc, &st);
    ragc_decoder *dec = arc ? ragc_decoder_init(arc, 0) : NULL;
    ragc_decoder *canon = arc ? ragc_decoder_init(arc, 0) : NULL;
    if (!canon || ragc_n_samples(arc) != n) {
        tap_diag("%s: open status %d", what, st);
        bad = 1;
    }
    if (canon)
        ragc_decoder_set_canonical(canon, 1);
    int lvl = hts_get_log_level();
    hts_set_log_level(HTS_LOG_OFF);
    for (int i = 0; canon && i < n; i++) {
        const exp_file *e = &files[i];
        int b = 0;
        if (want[i] == D_EXACT) {
            b = sample_exact(arc, dec, canon, i, e, what);
        } else {
            int fetch_status;
            int view = sample_view(arc, i, e, &fetch_status);
            kstring_t got = { 0, 0, NULL };
            int r = sample_original(dec, i, &got);
            int orig_exact = r == RAGC_OK && same(got.s, got.l, e->file.s, e->file.l);
            free(got.s);
            if (want[i] == D_EITHER) {
                /* One view in every contig; the original form exact or
                   refused.  Not asserted: that both agree (default reads
                   check the records they use, ragc_sample_original the
                   whole blob), nor FORMAT rather than VERSION (a blob
                   whose first byte is lost has "another version"). */
                b = view == 0 || (!orig_exact && r != RAGC_ERR_FORMAT && r != RAGC_ERR_VERSION);
            } else {
                int want_r = want[i] == D_NONE ? RAGC_ERR_NO_ORIGINAL : RAGC_ERR_FORMAT;
                b = r != want_r || !(view & 2);
                /* and reads again after the failure, on the same decoder */
                b += check_canonical_only(arc, dec, i, e->rec, e->n_rec, what);
            }
            if (b)
                tap_diag("%s: sample %d: reads %s (first fetch error %d), ragc_sample_original status %d%s",
                         what, i, view == 0 ? "neither exact nor canonical in every contig"
                                            : view & 2 ? "canonical" : "exact",
                         fetch_status, r, r == RAGC_OK && !orig_exact ? " with OTHER bytes" : "");
        }
        bad += b != 0;
    }
    hts_set_log_level(lvl);
    ragc_decoder_destroy(dec);
    ragc_decoder_destroy(canon);
    ragc_close(arc);
    return bad;
}

/* want[]: samples [0, from) `before`, the others `after`. */
static const int *split(int *want, int from, int before, int after)
{
    for (int i = 0; i < N_DMG; i++)
        want[i] = i < from ? before : after;
    return want;
}

/* Writes archive a with its stream's parts replaced by p[0, n) to out and
   checks it; the number of failures (1 if it cannot be written). */
static int damaged(archive_copy *a, const part *p, uint64_t n, const char *out, const exp_file *files,
                   const int *want, const char *what)
{
    copy_set_parts(a, RG_ORIG_STREAM, p, n);
    if (copy_write(a, out) != RAGC_OK) {
        tap_diag("%s: cannot write the archive", what);
        return 1;
    }
    return check_damaged(out, files, want, N_DMG, what);
}

/* An index part listing counts[0, n). */
static part index_part(const uint64_t *counts, size_t n)
{
    rg_bytes c = { 0 };
    part p = { NULL, 0, 0 };
    if (rg_orig_index_encode(counts, n, &c) != RAGC_OK || pack_part(&c, NULL, &p) != RAGC_OK)
        abort();
    rg_bytes_free(&c);
    return p;
}

/* Batch 1 of the stream parts orig[0, 3) with the sizes of its first two
   samples changed by d0 and d1, packed again with sample 0's blob as
   prefix. */
static part batch1_with_sizes(part *orig, int64_t d0, int64_t d1)
{
    stream_copy st = { RG_ORIG_STREAM, orig, 3 }, *s = &st;
    rg_bytes prefix = { 0 }, c = { 0 }, out = { 0 };
    batch_table t = { 0, NULL, 0 };
    part p = { NULL, 0, 0 };
    if (sample0_blob(s, &prefix) != RAGC_OK || part_content(s, 1, &prefix, &c) != RAGC_OK
        || batch_parse(&c, &t) != 0 || t.n < 2)
        abort();
    t.size[0] = (uint64_t)((int64_t)t.size[0] + d0);
    t.size[1] = (uint64_t)((int64_t)t.size[1] + d1);
    if (batch_build(&t, c.s + t.blobs_at, c.len - t.blobs_at, &out) != RAGC_OK
        || pack_part(&out, &prefix, &p) != RAGC_OK)
        abort();
    free(t.size);
    rg_bytes_free(&prefix);
    rg_bytes_free(&c);
    rg_bytes_free(&out);
    return p;
}

static part flipped(const part *p, size_t at)
{
    part f = *p;
    f.data = malloc(p->len);
    memcpy(f.data, p->data, p->len);
    f.data[at] ^= 0x5A;
    return f;
}

/* The stream of an archive of the same samples and contig count, whose
   samples each differ in one or two contigs' lengths (the others agree),
   or have a contig more (more != 0). */
static int foreign_stream(archive_copy *other, const char *path, int more)
{
    exp_file f[N_DMG];
    for (int i = 0; i < N_DMG; i++) {
        size_t len[DMG_CONTIGS + 1] = { dmg_len[0], dmg_len[1], dmg_len[2], 333 };
        if (!more) {
            len[i % DMG_CONTIGS] += i % 2 ? 1 : 7;   /* contig 0 agrees in two samples of three */
            if (i % 5 == 4)
                len[(i + 1) % DMG_CONTIGS] -= 3;
        }
        gen_genome_text(&f[i], 9000 + (uint64_t)i, 1, len, DMG_CONTIGS + (more != 0));
    }
    int r = create_samples(path, f, N_DMG);
    for (int i = 0; i < N_DMG; i++)
        exp_free(&f[i]);
    return r == RAGC_OK ? copy_read(path, other) : r;
}

static void test_damaged(void)
{
    static exp_file files[N_DMG];
    for (int i = 0; i < N_DMG; i++)
        gen_genome_text(&files[i], 5000 + (uint64_t)i, 1, dmg_len, DMG_CONTIGS);
    char a_path[512], o_path[512], out[512];
    snprintf(a_path, sizeof a_path, "%s/dmg-a.agc", tmpdir);
    snprintf(o_path, sizeof o_path, "%s/dmg-other.agc", tmpdir);
    snprintf(out, sizeof out, "%s/dmg-out.agc", tmpdir);
    int want[N_DMG];
    archive_copy a = { 0 }, other = { 0 };
    int r = create_samples(a_path, files, N_DMG);
    int ok = r == RAGC_OK && copy_read(a_path, &a) == RAGC_OK;
    int si = ok ? copy_find(&a, RG_ORIG_STREAM) : -1;
    ok = ok && si >= 0 && a.s[si].n == 3;
    tap_ok(ok && check_damaged(a_path, files, split(want, N_DMG, D_EXACT, D_EXACT), N_DMG, "55 samples") == 0,
           "%d similar samples: every sample exact (status %d)", N_DMG, r);
    static const uint64_t batches[] = { RG_ORIG_BATCH_SAMPLES, N_DMG - RG_ORIG_BATCH_SAMPLES };
    tap_ok(ok && check_stream(a_path, batches, 2, "55 samples") == 0,
           RG_ORIG_STREAM ": batches of 50 and 5 samples and the index (3 parts); batch 1 unpacks only "
           "with sample 0's blob as prefix");
    if (!ok) {
        for (int i = 0; i < 19; i++)
            tap_ok(0, "damaged: (no archive)");
        return;
    }
    /* the undamaged parts, copied: the stream's own are replaced below */
    part orig[3];
    for (int i = 0; i < 3; i++) {
        orig[i] = a.s[si].parts[i];
        orig[i].data = malloc(orig[i].len);
        memcpy(orig[i].data, a.s[si].parts[i].data, orig[i].len);
    }
    const int B1 = RG_ORIG_BATCH_SAMPLES;   /* batch 1's first sample */

    tap_ok(damaged(&a, orig, 3, out, files, split(want, N_DMG, D_EXACT, D_EXACT), "copy") == 0,
           "damaged: the container copied unchanged reads exactly (control)");

    /* indexes that do not match the stream */
    static const uint64_t more_samples[] = { 50, 10 }, three[] = { 50, 3, 2 }, shifted[] = { 45, 10 },
                          fewer[] = { 50 };
    part p[3] = { orig[0], orig[1], index_part(more_samples, 2) };
    tap_ok(damaged(&a, p, 3, out, files, split(want, B1, D_EITHER, D_CANON), "index 50+10") == 0,
           "damaged: an index of 50 + 10 samples for 55: batch 1's samples canonical, RAGC_ERR_FORMAT; "
           "the others exact or canonical");
    free(p[2].data);
    p[2] = index_part(three, 3);
    tap_ok(damaged(&a, p, 3, out, files, split(want, 0, D_CANON, D_CANON), "index of 3 batches") == 0,
           "damaged: an index of 3 batches in a stream of 2: every sample canonical, RAGC_ERR_FORMAT");
    free(p[2].data);
    p[2] = index_part(shifted, 2);
    tap_ok(damaged(&a, p, 3, out, files, split(want, 0, D_CANON, D_CANON), "index 45+10") == 0,
           "damaged: an index of 45 + 10 samples (batch 0 holds 50): every sample canonical, RAGC_ERR_FORMAT");
    free(p[2].data);
    p[1] = index_part(fewer, 1);
    tap_ok(damaged(&a, p, 2, out, files, split(want, B1, D_EXACT, D_NONE), "index 50") == 0,
           "a stream of batch 0 and its index only: samples 50..54 canonical without an original form, "
           "the others exact");
    free(p[1].data);
    p[1] = orig[1];
    p[2] = orig[2];

    /* truncated batches */
    p[1].len = orig[1].len / 2;
    tap_ok(damaged(&a, p, 3, out, files, split(want, B1, D_EXACT, D_CANON), "batch 1 truncated") == 0,
           "damaged: batch 1 truncated: its samples canonical and RAGC_ERR_FORMAT, batch 0's exact");
    p[1] = orig[1];
    p[0].len = orig[0].len - 1;
    tap_ok(damaged(&a, p, 3, out, files, split(want, 0, D_CANON, D_CANON), "batch 0 truncated") == 0,
           "damaged: batch 0 (with the prefix) 1 byte short: every sample canonical, RAGC_ERR_FORMAT");
    p[0] = orig[0];

    /* a byte flipped: the content checksum catches it */
    static const char *where[] = { "in the middle", "in the checksum", "before the checksum" };
    for (int k = 0; k < 3; k++) {
        size_t at = k == 0 ? orig[1].len / 2 : orig[1].len - (k == 1 ? 1 : 5);
        p[1] = flipped(&orig[1], at);
        tap_ok(damaged(&a, p, 3, out, files, split(want, B1, D_EXACT, D_CANON), where[k]) == 0,
               "damaged: a byte of batch 1 flipped %s: its samples canonical and RAGC_ERR_FORMAT, batch 0's "
               "exact", where[k]);
        free(p[1].data);
    }
    p[1] = orig[1];
    p[0] = flipped(&orig[0], orig[0].len / 2);
    tap_ok(damaged(&a, p, 3, out, files, split(want, 0, D_CANON, D_CANON), "batch 0 flipped") == 0,
           "damaged: a byte of batch 0 (with the prefix) flipped: every sample canonical, RAGC_ERR_FORMAT");
    free(p[0].data);
    p[0] = orig[0];

    /* metadata that does not match the content */
    p[1].meta = orig[1].meta + 7;
    tap_ok(damaged(&a, p, 3, out, files, split(want, B1, D_EXACT, D_CANON), "meta + 7") == 0,
           "damaged: batch 1's metadata 7 more than its content: its samples canonical, batch 0's exact");
    p[1].meta = orig[1].meta - 1;
    tap_ok(damaged(&a, p, 3, out, files, split(want, B1, D_EXACT, D_CANON), "meta - 1") == 0,
           "damaged: batch 1's metadata 1 less than its content: its samples canonical, batch 0's exact");
    p[1] = orig[1];
    p[2].meta = orig[2].meta + 1;
    tap_ok(damaged(&a, p, 3, out, files, split(want, 0, D_CANON, D_CANON), "index meta + 1") == 0,
           "damaged: the index's metadata 1 more than its content: every sample canonical");
    p[2] = orig[2];

    /* size tables: packed again as the writer packs them */
    p[1] = batch1_with_sizes(orig, 0, 0);
    tap_ok(damaged(&a, p, 3, out, files, split(want, N_DMG, D_EXACT, D_EXACT), "batch 1 repacked") == 0,
           "batch 1 unpacked and packed again unchanged reads exactly (control)");
    free(p[1].data);
    p[1] = batch1_with_sizes(orig, 1, 0);
    tap_ok(damaged(&a, p, 3, out, files, split(want, B1, D_EXACT, D_CANON), "size + 1") == 0,
           "damaged: batch 1's first size 1 more than its blob (the blobs do not fill the batch): its samples "
           "canonical, batch 0's exact");
    free(p[1].data);
    p[1] = batch1_with_sizes(orig, 1, -1);
    for (int i = 0; i < N_DMG; i++)
        want[i] = i == B1 || i == B1 + 1 ? D_EITHER : D_EXACT;
    tap_ok(damaged(&a, p, 3, out, files, want, "sizes +1 -1") == 0,
           "damaged: batch 1's first two sizes +1 and -1 (the same total; sample 51's blob loses its "
           "first byte, the version): those two samples exact or canonical, the others exact");
    free(p[1].data);
    p[1] = orig[1];

    /* the stream of another archive */
    ok = foreign_stream(&other, o_path, 0) == RAGC_OK;
    int so = ok ? copy_find(&other, RG_ORIG_STREAM) : -1;
    tap_ok(so >= 0 && other.s[so].n == 3
               && damaged(&a, other.s[so].parts, 3, out, files, split(want, 0, D_CANON, D_CANON), "other lengths")
                      == 0,
           "damaged: the stream of an archive whose samples differ in one or two contigs' lengths (the "
           "others agree): every sample canonical in every contig, RAGC_ERR_FORMAT");
    copy_free(&other);
    ok = foreign_stream(&other, o_path, 1) == RAGC_OK;
    so = ok ? copy_find(&other, RG_ORIG_STREAM) : -1;
    tap_ok(so >= 0 && other.s[so].n == 3
               && damaged(&a, other.s[so].parts, 3, out, files, split(want, 0, D_CANON, D_CANON), "one record more")
                      == 0,
           "damaged: the stream of an archive with a contig more in every sample: every sample canonical, "
           "RAGC_ERR_FORMAT");
    copy_free(&other);

    copy_free(&a);
    for (int i = 0; i < 3; i++)
        free(orig[i].data);
    unlink(o_path);
    unlink(out);
    unlink(a_path);
    for (int i = 0; i < N_DMG; i++)
        exp_free(&files[i]);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/ragc-test-lossless-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(tmpdir)) {
        printf("Bail out! cannot create a temporary directory\n");
        return 1;
    }
    tap_plan(5 + 1 + 10 + 6 + 1 + 1 + 2 + 21);
    test_random_files();
    test_hand_files();
    test_no_original();
    test_several_samples();
    test_threads();
    test_vfasta();
    test_multi_sample_files();
    test_damaged();
    for (int i = 0; i < N_GENOMES; i++) {
        unlink(genome_path[i]);
        exp_free(&genomes[i]);
    }
    for (int i = 0; i < 4; i++) {
        unlink(plain_path[i]);
        exp_free(&plain[i]);
    }
    char all[512];
    snprintf(all, sizeof all, "%s/genomes.agc", tmpdir);
    unlink(all);
    int failed = tap_state()->failed;
    if (!failed)
        rmdir(tmpdir);
    return tap_done();
}
