/* test_original.c -- the original form of FASTA files (original.h): build,
   encode, decode, render and apply give back the input's exact bytes.

   The expectations come from the input files themselves, through a
   reference line splitter and reference canonicalisation written here,
   independently of the module: the rendered file must be the input file
   (memcmp), the builder's bases must be the input's sequence bytes with
   whitespace dropped, the 16 codes upper-cased and every other byte N, and
   apply must give the input's non-whitespace sequence bytes.  Two blobs are
   checked against bytes worked out by hand from docs/lossless.md. */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "original.h"
#include "ragc.h"
#include "tap.h"

/* ---- small tools ---- */

static uint64_t rng_state = 88172645463325252ULL;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* A random piece size: often tiny (runs cross piece boundaries), sometimes
   large. */
static size_t piece(void)
{
    uint64_t k = rnd() % 8;
    return k < 4 ? 1 + (size_t)(rnd() % 3) : k < 7 ? 1 + (size_t)(rnd() % 100) : 1 + (size_t)(rnd() % 20000);
}

typedef struct {
    char *s;
    size_t n, cap;
} buf_t;

static void buf_add(buf_t *b, const void *p, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->n + n + 1)
            cap *= 2;
        b->s = realloc(b->s, cap);
        b->cap = cap;
    }
    if (n)
        memcpy(b->s + b->n, p, n);
    b->n += n;
}

static int sink_buf(void *ctx, const char *s, size_t n)
{
    buf_add(ctx, s, n);
    return 0;
}

/* ---- the reference model of a FASTA file ---- */

typedef struct {
    const uint8_t *p;   /* line bytes without the line end */
    size_t n;
    int eol;
    size_t start;       /* offset of the line in the file */
} line_t;

typedef struct {
    size_t first_line, n_lines;   /* header line, then sequence lines */
    size_t start, end;            /* byte extent in the file */
    buf_t name, canon, orig;      /* stored name, canonical bases, non-whitespace bytes */
} rec_t;

typedef struct {
    line_t *lines;
    size_t n_lines;
    rec_t *recs;
    size_t n_recs;
    size_t preamble_lines, preamble_len;
} model_t;

static int is_code(uint8_t c)
{
    return c && strchr("ACGTNRYSWKMBDHVUacgtnryswkmbdhvu", c) != NULL;
}

static int is_ws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

static void model_build(model_t *m, const uint8_t *d, size_t len)
{
    memset(m, 0, sizeof *m);
    m->lines = malloc((len + 1) * sizeof *m->lines);
    m->recs = malloc((len + 1) * sizeof *m->recs);
    size_t at = 0;
    while (at < len) {
        const uint8_t *nl = memchr(d + at, '\n', len - at);
        line_t *l = &m->lines[m->n_lines++];
        l->p = d + at;
        l->start = at;
        if (nl) {
            l->n = (size_t)(nl - (d + at));
            l->eol = RG_ORIG_LF;
            if (l->n && l->p[l->n - 1] == '\r') {
                l->n--;
                l->eol = RG_ORIG_CRLF;
            }
            at = (size_t)(nl - d) + 1;
        } else {
            l->n = len - at;
            l->eol = RG_ORIG_NONE;
            at = len;
        }
    }
    int in_recs = 0;
    for (size_t i = 0; i < m->n_lines; i++) {
        line_t *l = &m->lines[i];
        if (l->n && l->p[0] == '>') {
            if (!in_recs)
                m->preamble_len = l->start;
            in_recs = 1;
            rec_t *r = &m->recs[m->n_recs++];
            memset(r, 0, sizeof *r);
            r->first_line = i;
            r->start = l->start;
            /* the caller's name: the header without one trailing '\r';
               a placeholder when that is empty */
            size_t hn = l->n - 1;
            if (hn && l->p[hn] == '\r')
                hn--;
            if (hn)
                buf_add(&r->name, l->p + 1, hn);
            else
                buf_add(&r->name, "unnamed", 7);
        } else if (!in_recs) {
            m->preamble_lines++;
            continue;
        } else {
            rec_t *r = &m->recs[m->n_recs - 1];
            for (size_t k = 0; k < l->n; k++) {
                uint8_t c = l->p[k];
                if (is_ws(c))
                    continue;
                char up = is_code(c) ? (char)(c & ~0x20) : 'N';
                buf_add(&r->canon, &up, 1);
                buf_add(&r->orig, &c, 1);
            }
        }
        m->recs[m->n_recs - 1].n_lines++;
    }
    if (!in_recs)
        m->preamble_len = len;
    for (size_t i = 0; i < m->n_recs; i++)
        m->recs[i].end = i + 1 < m->n_recs ? m->recs[i + 1].start : len;
}

static void model_free(model_t *m)
{
    for (size_t i = 0; i < m->n_recs; i++) {
        free(m->recs[i].name.s);
        free(m->recs[i].canon.s);
        free(m->recs[i].orig.s);
    }
    free(m->recs);
    free(m->lines);
}

/* Feeds the model's lines to the builder; out gets all records' bases,
   ends[i] the end of record i in it.  text 0: sequence lines by the line
   calls, in random pieces; text 1: rg_orig_seq_text over the file from the
   record's first sequence line on, in random chunks that may run into the
   next header (where it must stop). */
static int feed(const model_t *m, const uint8_t *d, size_t len, int text, rg_orig_builder *b,
                rg_bytes *out, size_t *ends, rg_orig_sample *s)
{
    int r = rg_orig_begin_sample(b);
    for (size_t i = 0; r == 0 && i < m->preamble_lines; i++)
        r = rg_orig_preamble(b, m->lines[i].p, m->lines[i].n, m->lines[i].eol);
    for (size_t k = 0; r == 0 && k < m->n_recs; k++) {
        const rec_t *rc = &m->recs[k];
        const line_t *h = &m->lines[rc->first_line];
        r = rg_orig_header(b, h->p + 1, h->n - 1, h->eol, rc->name.s, rc->name.n);
        if (text) {
            size_t at = rc->n_lines > 1 ? m->lines[rc->first_line + 1].start : rc->end;
            int stop = 0;
            while (r == 0 && !stop && at < len) {
                size_t n = piece(), used = 0;
                if (n > len - at)
                    n = len - at;
                stop = rg_orig_seq_text(b, d + at, n, out, &used);
                if (stop < 0 || used > n || (stop == 0 && used != n))
                    r = stop < 0 ? stop : -100;
                at += used;
            }
            if (r == 0 && (at != rc->end || stop != (k + 1 < m->n_recs)))
                r = -101;   /* it must stop exactly at the next header */
            if (r == 0 && !stop)
                r = rg_orig_seq_eol(b, RG_ORIG_NONE);
        }
        for (size_t j = 1; !text && r == 0 && j < rc->n_lines; j++) {
            const line_t *l = &m->lines[rc->first_line + j];
            if (rnd() % 2) {
                r = rg_orig_seq_line(b, l->p, l->n, l->eol, out);
                continue;
            }
            for (size_t at = 0; r == 0 && at < l->n;) {
                size_t n = piece();
                if (n > l->n - at)
                    n = l->n - at;
                r = rg_orig_seq(b, l->p + at, n, out);
                at += n;
            }
            if (r == 0)
                r = rg_orig_seq_eol(b, l->eol);
        }
        if (r == 0)
            r = rg_orig_end_record(b);
        ends[k] = out->len;
    }
    return r ? r : rg_orig_end_sample(b, s);
}

/* Renders record i of s from the canonical bases in random pieces. */
static int render_record(const rg_orig_sample *s, size_t i, const rec_t *rc, buf_t *o)
{
    rg_orig_render *w = malloc(sizeof *w);
    int r = rg_orig_render_begin(w, s, i, rc->name.s, rc->name.n, sink_buf, o);
    for (size_t at = 0; r == 0 && at < rc->canon.n;) {
        size_t n = piece();
        if (n > rc->canon.n - at)
            n = rc->canon.n - at;
        r = rg_orig_render_bases(w, rc->canon.s + at, n);
        at += n;
    }
    if (r == 0)
        r = rg_orig_render_end(w);
    free(w);
    return r;
}

static void diag_diff(const char *got, size_t gn, const char *want, size_t wn)
{
    size_t i = 0;
    while (i < gn && i < wn && got[i] == want[i])
        i++;
    tap_diag("lengths %zu, expected %zu; first difference at byte %zu", gn, wn, i);
    size_t from = i > 16 ? i - 16 : 0;
    if (from < gn)
        tap_diag_hex("got from there-16", got + from, gn - from < 48 ? gn - from : 48);
    if (from < wn)
        tap_diag_hex("expected", want + from, wn - from < 48 ? wn - from : 48);
}

#define TESTS_PER_INPUT 5

/* The round trip of one input: TESTS_PER_INPUT tests. */
static void round_trip(const char *what, const uint8_t *d, size_t len)
{
    model_t m;
    model_build(&m, d, len);
    rg_orig_builder b, bc;
    rg_bytes out = {0}, codes = {0}, blob = {0};
    rg_orig_sample s = {0}, sc = {0}, dec = {0}, one = {0};
    size_t *ends = calloc(m.n_recs + 1, sizeof *ends), *ends_c = calloc(m.n_recs + 1, sizeof *ends);
    int ok;

    /* 1: the builder's bases, in ASCII and in codes, by lines and by text */
    rg_orig_builder_init(&b, RG_ORIG_OUT_ASCII);
    rg_orig_builder_init(&bc, RG_ORIG_OUT_CODES);
    int r = feed(&m, d, len, 0, &b, &out, ends, &s);
    int rc = feed(&m, d, len, 0, &bc, &codes, ends_c, &sc);
    rg_bytes tout = {0}, tblob = {0};
    rg_orig_sample ts = {0};
    size_t *ends_t = calloc(m.n_recs + 1, sizeof *ends_t);
    int rt = feed(&m, d, len, 1, &b, &tout, ends_t, &ts);
    ok = r == 0 && rc == 0 && rt == 0 && s.n_rec == m.n_recs;
    size_t at = 0;
    for (size_t k = 0; ok && k < m.n_recs; k++) {
        const buf_t *cn = &m.recs[k].canon;
        ok = ends[k] - at == cn->n && (cn->n == 0 || memcmp(out.s + at, cn->s, cn->n) == 0)
             && s.rec[k].n_bases == cn->n && ends_c[k] == ends[k] && ends_t[k] == ends[k];
        for (size_t j = 0; ok && j < cn->n; j++)
            ok = "ACGTNRYSWKMBDHVU"[codes.s[at + j] & 15] == cn->s[j] && codes.s[at + j] < 16
                 && tout.s[at + j] == cn->s[j];
        if (!ok)
            tap_diag("record %zu: %zu bases, expected %zu", k, ends[k] - at, cn->n);
        at = ends[k];
    }
    /* the text calls describe the file exactly as the line calls do */
    ok = ok && rg_orig_encode(&s, &blob) == 0 && rg_orig_encode(&ts, &tblob) == 0
         && blob.len == tblob.len && memcmp(blob.s, tblob.s, blob.len) == 0;
    if (!tap_ok(ok, "%s: builder bases (ASCII, codes; lines, text) are the canonical sequence", what))
        tap_diag("build status %d/%d/%d, %zu records, expected %zu", r, rc, rt, s.n_rec, m.n_recs);
    free(ends_t);
    rg_bytes_free(&tout);
    rg_bytes_free(&tblob);
    rg_orig_sample_free(&ts);
    blob.len = 0;

    /* 2: encode, decode, render the whole sample */
    buf_t o = {0};
    r = rg_orig_encode(&s, &blob);
    if (r == 0)
        r = rg_orig_decode(blob.s, blob.len, &dec);
    if (r == 0)
        r = rg_orig_render_preamble(&dec, sink_buf, &o);
    for (size_t k = 0; r == 0 && k < m.n_recs; k++)
        r = render_record(&dec, k, &m.recs[k], &o);
    ok = r == 0 && o.n == len && (len == 0 || memcmp(o.s, d, len) == 0);
    if (!tap_ok(ok, "%s: encode, decode, render give the input's %zu bytes (blob %zu bytes)", what,
                len, blob.len)) {
        tap_diag("status %d", r);
        diag_diff(o.s, o.n, (const char *)d, len);
    }

    /* 3: apply over random windows */
    ok = r == 0;
    for (size_t k = 0; ok && k < m.n_recs; k++) {
        const rec_t *rr = &m.recs[k];
        for (int t = 0; ok && t < 30 && rr->canon.n; t++) {
            uint64_t from = t == 0 ? 0 : rnd() % rr->canon.n;
            uint64_t n = t == 0 ? rr->canon.n : rnd() % (rr->canon.n - from + 1);
            char *w = malloc(n + 1);
            memcpy(w, rr->canon.s + from, n);
            r = rg_orig_apply(&dec, k, from, w, n);
            ok = r == 0 && memcmp(w, rr->orig.s + from, n) == 0;
            if (!ok) {
                tap_diag("record %zu window %llu+%llu: status %d", k, (unsigned long long)from,
                         (unsigned long long)n, r);
                diag_diff(w, n, rr->orig.s + from, n);
            }
            free(w);
        }
    }
    tap_ok(ok, "%s: apply over random windows gives the input's sequence bytes", what);

    /* 4: one record at a time, from the blob */
    ok = 1;
    uint64_t nr = 0;
    ok = rg_orig_blob_records(blob.s, blob.len, &nr) == 0 && nr == m.n_recs;
    for (size_t k = 0; ok && k < m.n_recs; k++) {
        buf_t ro = {0};
        r = rg_orig_decode_record(blob.s, blob.len, k, &one);
        if (r == 0)
            r = render_record(&one, 0, &m.recs[k], &ro);
        const rec_t *rr = &m.recs[k];
        ok = r == 0 && one.n_rec == 1 && ro.n == rr->end - rr->start
             && memcmp(ro.s, d + rr->start, ro.n) == 0;
        if (!ok) {
            tap_diag("record %zu: status %d", k, r);
            diag_diff(ro.s, ro.n, (const char *)d + rr->start, rr->end - rr->start);
        }
        free(ro.s);
    }
    ok = ok && rg_orig_decode_record(blob.s, blob.len, m.n_recs, &one) == RAGC_ERR_NO_CONTIG;
    tap_ok(ok, "%s: each record decoded alone renders its own bytes", what);

    /* 5: one record at a time, at the offsets rg_orig_blob_bases gives */
    uint64_t *bases = malloc((m.n_recs + 1) * sizeof(*bases));
    uint64_t *starts = malloc((m.n_recs + 1) * sizeof(*starts));
    ok = bases && starts && rg_orig_blob_bases(blob.s, blob.len, bases, m.n_recs, starts, &one) == 0
         && starts[m.n_recs] == blob.len;
    for (size_t k = 0; ok && k < m.n_recs; k++) {
        buf_t ro = {0};
        r = rg_orig_decode_record_at(blob.s, blob.len, starts[k], starts[k + 1], &one);
        if (r == 0)
            r = render_record(&one, 0, &m.recs[k], &ro);
        const rec_t *rr = &m.recs[k];
        ok = r == 0 && one.n_rec == 1 && ro.n == rr->end - rr->start
             && memcmp(ro.s, d + rr->start, ro.n) == 0;
        if (!ok)
            tap_diag("record %zu at %llu: status %d", k, (unsigned long long)starts[k], r);
        free(ro.s);
    }
    ok = ok && rg_orig_decode_record_at(blob.s, blob.len, 0, blob.len + 1, &one) == RAGC_ERR_ARG;
    tap_ok(ok, "%s: each record decoded at its offset renders its own bytes", what);
    free(bases);
    free(starts);

    free(o.s);
    free(ends);
    free(ends_c);
    rg_bytes_free(&out);
    rg_bytes_free(&codes);
    rg_bytes_free(&blob);
    rg_orig_sample_free(&s);
    rg_orig_sample_free(&sc);
    rg_orig_sample_free(&dec);
    rg_orig_sample_free(&one);
    rg_orig_builder_free(&b);
    rg_orig_builder_free(&bc);
    model_free(&m);
}

/* ---- fixtures ---- */

typedef struct {
    char **v;
    size_t n;
} names_t;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted paths of the files of a fixture folder, but for skip. */
static names_t list_dir(const char *rel, const char *skip)
{
    names_t r = {0};
    char dir[4096];
    tap_shared_path(dir, sizeof dir, rel);
    DIR *d = opendir(dir);
    if (!d)
        return r;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || (skip && strcmp(e->d_name, skip) == 0))
            continue;
        r.v = realloc(r.v, (r.n + 1) * sizeof *r.v);
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        r.v[r.n] = malloc(n);
        snprintf(r.v[r.n], n, "%s/%s", dir, e->d_name);
        r.n++;
    }
    closedir(d);
    qsort(r.v, r.n, sizeof *r.v, cmp_str);
    return r;
}

static void run_files(const names_t *f)
{
    for (size_t i = 0; i < f->n; i++) {
        size_t len = 0;
        char *d = tap_slurp(f->v[i], &len);
        const char *base = strrchr(f->v[i], '/');
        base = base ? base + 1 : f->v[i];
        if (!d) {
            for (int t = 0; t < TESTS_PER_INPUT; t++)
                tap_ok(0, "%s: read", base);
            continue;
        }
        round_trip(base, (const uint8_t *)d, len);
        free(d);
    }
}

/* ---- synthetic inputs ---- */

typedef struct {
    const char *what;
    const char *s;
    size_t n;   /* 0: strlen */
} syn_t;

static const syn_t synthetic[] = {
    {"empty file", "", 0},
    {"only blank lines", "\n\n\r\n\n", 0},
    {"only text, no header", "just some text\nand more", 0},
    {"preamble text", "# made by hand\n\n; comment\n>a\nACGT\n", 0},
    {"no final newline", ">a\nACGT\nAC", 0},
    {"header alone, no final newline", ">a", 0},
    {"header ending in a lone CR at the end", ">a\r", 0},
    {"empty headers", ">\nAC\n>\r\n>\n", 0},
    {"CRLF mixed with LF", ">a x\r\nACGT\r\nAC\nGT\r\n>b\nAA\r\n", 0},
    {"records without sequence", ">a\n>b\nAC\n>c\n>d\n", 0},
    {"blank lines between and inside records", ">a\n\nAC\n\n\nGT\n\n>b\n\n\n>c\nA\n\n\n", 0},
    {"whitespace inside sequence lines", ">a\nAC GT\t\n  \n AC\r\r\n\tG\v\fT \r\n>b\n \n", 0},
    {"a lone CR at the end of the file", ">a\nACGT\r", 0},
    {"'>' and ';' inside sequence lines", ">a\nAC>GT;\n;AC\n", 0},
    {"all lower case", ">a\nacgtnryswkmbdhvu\nacgt\nac\n", 0},
    {"case and exceptions interleaved", ">a\naC-g*T.xX12nN\n--aa--AA--\n", 0},
};
#define N_SYNTHETIC (int)(sizeof synthetic / sizeof synthetic[0])

/* Every byte value but '\n' in one sequence line, and each as its own
   line. */
static void all_bytes(void)
{
    buf_t b = {0};
    buf_add(&b, ">all\n", 5);
    for (int c = 0; c < 256; c++)
        if (c != '\n') {
            uint8_t x = (uint8_t)c;
            buf_add(&b, &x, 1);
        }
    buf_add(&b, "\n>each\n", 7);
    for (int c = 255; c >= 0; c--)
        if (c != '\n') {
            uint8_t x[2] = {(uint8_t)c, '\n'};
            buf_add(&b, x, 2);
        }
    round_trip("every byte value", (const uint8_t *)b.s, b.n);
    free(b.s);
}

/* A random FASTA: random widths, case runs, exceptions, whitespace, line
   ends; long runs so that they cross pieces and the render buffer. */
static void random_fasta(int which, size_t size)
{
    buf_t b = {0};
    static const char *lc = "acgtnrys", *uc = "ACGTNRYS", *odd = "-*.X0\x01\xff>", *ws = " \t\r";
    size_t recs = 1 + (size_t)(rnd() % 5);
    for (size_t k = 0; k < recs; k++) {
        char h[64];
        int n = snprintf(h, sizeof h, ">rec%zu desc%d", k, which);
        buf_add(&b, h, (size_t)n);
        buf_add(&b, rnd() % 4 ? "\n" : "\r\n", rnd() % 4 ? 1 : 2);
        size_t width = 1 + (size_t)(rnd() % 120), col = 0, total = size / recs;
        int lower = 0, crlf = rnd() % 3 == 0;
        for (size_t i = 0; i < total; i++) {
            uint64_t x = rnd() % 1000;
            if (x < 5)
                lower = !lower;
            char c;
            if (x < 10)
                c = odd[rnd() % 8];
            else if (x < 13)
                c = ws[rnd() % 3];
            else
                c = (lower ? lc : uc)[rnd() % 8];
            if (c == '>' && col == 0)
                c = '-';
            buf_add(&b, &c, 1);
            if (++col == width || (rnd() % 5000) == 0) {
                if (c == '\r')   /* a lone CR before the line end stays a byte */
                    buf_add(&b, "A", 1);
                buf_add(&b, crlf ? "\r\n" : "\n", crlf ? 2 : 1);
                col = 0;
                if (rnd() % 50 == 0)
                    buf_add(&b, "\n", 1);
            }
        }
        if (col && (k + 1 < recs || rnd() % 2))
            buf_add(&b, "\n", 1);
    }
    char what[64];
    snprintf(what, sizeof what, "random FASTA %d (%zu bytes)", which, b.n);
    round_trip(what, (const uint8_t *)b.s, b.n);
    free(b.s);
}

/* ---- exact bytes, worked out by hand (docs/lossless.md section 3.4) ---- */

static void builds_to(const char *what, const char *file, const char *name, const uint8_t *want,
                      size_t want_n)
{
    rg_orig_builder b;
    rg_orig_sample s = {0};
    rg_bytes out = {0}, blob = {0};
    model_t m;
    size_t ends[8];
    model_build(&m, (const uint8_t *)file, strlen(file));
    /* the stored name is the first word here, so a header with a description is kept */
    free(m.recs[0].name.s);
    memset(&m.recs[0].name, 0, sizeof m.recs[0].name);
    buf_add(&m.recs[0].name, name, strlen(name));
    rg_orig_builder_init(&b, RG_ORIG_OUT_ASCII);
    int r = feed(&m, (const uint8_t *)file, strlen(file), 0, &b, &out, ends, &s);
    if (r == 0)
        r = rg_orig_encode(&s, &blob);
    if (!tap_ok(r == 0 && blob.len == want_n && memcmp(blob.s, want, want_n) == 0,
                "%s: the blob has the bytes worked out by hand", what)) {
        tap_diag_hex("got", blob.s, blob.len);
        tap_diag_hex("expected", want, want_n);
    }
    rg_orig_sample dec = {0};
    buf_t o = {0};
    r = rg_orig_decode(want, want_n, &dec);
    if (r == 0)
        r = rg_orig_render_preamble(&dec, sink_buf, &o);
    if (r == 0)
        r = render_record(&dec, 0, &m.recs[0], &o);
    tap_ok(r == 0 && o.n == strlen(file) && memcmp(o.s, file, o.n) == 0,
           "%s: the hand-made blob renders the file", what);
    free(o.s);
    rg_orig_sample_free(&dec);
    rg_orig_sample_free(&s);
    rg_bytes_free(&out);
    rg_bytes_free(&blob);
    rg_orig_builder_free(&b);
    model_free(&m);
}

static void hand_blobs(void)
{
    /* ">a\nACgt\nNN\n", name "a":
       record: flags 02 (case runs); 2 layout runs (4 x1) (2 x1); 1 line-end
       run LF; 1 case run: gap 2, length 2  -> 11 bytes
       blob: version 01, 1 record, preamble 0, size table 1 byte: 0b */
    static const uint8_t small[] = {0x01, 0x01, 0x00, 0x01, 0x0b, 0x02, 0x02, 0x04, 0x01,
                                    0x02, 0x01, 0x01, 0x00, 0x01, 0x02, 0x02};
    builds_to("small example", ">a\nACgt\nNN\n", "a", small, sizeof small);

    /* "#p\n>r1 d\r\nAC-\t-g\r\n\r\n" + 130 x 'T' (no final newline), name "r1":
       preamble "#p\n"; bases A C - - g T... (135), '\t' before base 3;
       record: flags 0f; header 04 "r1 d"; layout 03: (06 01) (00 01) (82 01 = 130, 01);
       line ends 02: CRLF x3 (01 03), NONE (02); case 01: gap 04 len 01;
       exceptions 01: gap 02 len 02 '-'; insertions 01: gap 03 count 01 '\t'
       -> 29 = 0x1d bytes */
    static const uint8_t rich[] = {0x01, 0x01, 0x03, '#', 'p', '\n', 0x01, 0x1d,
                                   0x0f, 0x04, 'r', '1', ' ', 'd',
                                   0x03, 0x06, 0x01, 0x00, 0x01, 0x82, 0x01, 0x01,
                                   0x02, 0x01, 0x03, 0x02,
                                   0x01, 0x04, 0x01,
                                   0x01, 0x02, 0x02, '-',
                                   0x01, 0x03, 0x01, '\t'};
    char file[256];
    int n = snprintf(file, sizeof file, "#p\n>r1 d\r\nAC-\t-g\r\n\r\n");
    memset(file + n, 'T', 130);
    file[n + 130] = '\0';
    builds_to("rich example", file, "r1", rich, sizeof rich);
}

/* ---- the builder's contract ---- */

static void builder_misuse(void)
{
    rg_orig_builder b;
    rg_orig_sample s = {0};
    rg_bytes out = {0};
    rg_orig_builder_init(&b, RG_ORIG_OUT_ASCII);
    tap_is_int(rg_orig_seq(&b, "AC", 2, &out), RAGC_ERR_ARG, "builder: sequence before any sample");
    rg_orig_begin_sample(&b);
    tap_is_int(rg_orig_seq(&b, "AC", 2, &out), RAGC_ERR_ARG, "builder: sequence before a header");
    rg_orig_begin_sample(&b);
    rg_orig_header(&b, "a", 1, RG_ORIG_LF, "a", 1);
    tap_is_int(rg_orig_preamble(&b, "x", 1, RG_ORIG_LF), RAGC_ERR_ARG,
               "builder: preamble after a header");
    rg_orig_begin_sample(&b);
    rg_orig_header(&b, "a", 1, RG_ORIG_LF, "a", 1);
    rg_orig_seq(&b, "AC", 2, &out);
    tap_is_int(rg_orig_end_record(&b), RAGC_ERR_ARG, "builder: record ended inside a line");
    tap_is_int(rg_orig_end_sample(&b, &s), RAGC_ERR_ARG, "builder: errors are sticky");
    rg_orig_begin_sample(&b);
    rg_orig_header(&b, "a", 1, RG_ORIG_LF, "a", 1);
    tap_is_int(rg_orig_header(&b, "b", 1, RG_ORIG_LF, "b", 1), RAGC_ERR_ARG,
               "builder: header before the end of the record");
    rg_orig_begin_sample(&b);
    int r = rg_orig_header(&b, "a", 1, RG_ORIG_LF, "a", 1);
    if (r == 0)
        r = rg_orig_seq_line(&b, "AC", 2, RG_ORIG_LF, &out);
    if (r == 0)
        r = rg_orig_seq_eol(&b, RG_ORIG_NONE);   /* end of input after a line end: no line */
    if (r == 0)
        r = rg_orig_end_sample(&b, &s);   /* ends the open record */
    tap_ok(r == 0 && s.n_rec == 1 && s.rec[0].n_seq_lines == 1 && s.rec[0].n_bases == 2,
           "builder: begin_sample restarts; an empty last line is no line; end_sample ends the record");
    rg_orig_sample_free(&s);
    rg_bytes_free(&out);
    rg_orig_builder_free(&b);
}

/* ---- corrupt blobs ---- */

/* Decodes blob; on success exercises the description (render with 'A'
   bases when small, apply over everything).  Returns 1 if the outcome is
   acceptable: RAGC_ERR_FORMAT (or _VERSION) or a usable description. */
static int decode_is_safe(const uint8_t *p, size_t n, int *formats)
{
    uint8_t *copy = malloc(n ? n : 1);   /* exactly sized, for ASan */
    if (n)
        memcpy(copy, p, n);
    rg_orig_sample s = {0};
    int r = rg_orig_decode(copy, n, &s), ok = 1;
    if (r == RAGC_ERR_FORMAT || r == RAGC_ERR_VERSION) {
        (*formats)++;
    } else if (r != 0) {
        ok = 0;
    } else {
        for (size_t i = 0; ok && i < s.n_rec; i++) {
            const rg_orig_record *rec = &s.rec[i];
            if (rec->n_bases > 100000 || rec->n_seq_bytes > 100000 || rec->n_seq_lines > 100000)
                continue;   /* valid but too big to render here */
            char *a = malloc(rec->n_bases + 1);
            memset(a, 'A', rec->n_bases);
            buf_t o = {0};
            rg_orig_render *w = malloc(sizeof *w);
            int x = rg_orig_render_begin(w, &s, i, "n", 1, sink_buf, &o);
            if (x == 0)
                x = rg_orig_render_bases(w, a, rec->n_bases);
            if (x == 0)
                x = rg_orig_render_end(w);
            ok = x == 0 && rg_orig_apply(&s, i, 0, a, rec->n_bases) == 0;
            free(w);
            free(o.s);
            free(a);
        }
    }
    uint64_t nr;
    if (rg_orig_blob_records(copy, n, &nr) == 0)
        for (uint64_t i = 0; i < nr && i < 50; i++) {
            int x = rg_orig_decode_record(copy, n, i, &s);
            if (x != 0 && x != RAGC_ERR_FORMAT)
                ok = 0;
        }
    rg_orig_sample_free(&s);
    free(copy);
    return ok;
}

static void corrupt(const char *what, const char *file)
{
    model_t m;
    rg_orig_builder b;
    rg_orig_sample s = {0};
    rg_bytes out = {0}, blob = {0};
    size_t len = strlen(file);
    size_t *ends = calloc(len + 1, sizeof *ends);
    model_build(&m, (const uint8_t *)file, len);
    rg_orig_builder_init(&b, RG_ORIG_OUT_ASCII);
    feed(&m, (const uint8_t *)file, len, 0, &b, &out, ends, &s);
    rg_orig_encode(&s, &blob);
    int formats = 0, ok = 1;
    for (size_t n = 0; n < blob.len; n++) {
        int f0 = formats;
        ok &= decode_is_safe(blob.s, n, &formats);
        ok &= formats == f0 + 1;
    }
    tap_ok(ok, "%s: every truncation of the %zu-byte blob is RAGC_ERR_FORMAT", what, blob.len);
    ok = 1;
    formats = 0;
    int tries = 0;
    static const uint8_t flips[] = {0xff, 0x01, 0x80, 0x40, 0x7f};
    for (size_t i = 0; i < blob.len; i++)
        for (size_t f = 0; f < sizeof flips; f++) {
            blob.s[i] ^= flips[f];
            ok &= decode_is_safe(blob.s, blob.len, &formats);
            blob.s[i] ^= flips[f];
            tries++;
        }
    tap_ok(ok, "%s: %d byte flips give RAGC_ERR_FORMAT (%d) or a usable description", what,
           tries, formats);
    free(ends);
    rg_bytes_free(&out);
    rg_bytes_free(&blob);
    rg_orig_sample_free(&s);
    rg_orig_builder_free(&b);
    model_free(&m);
}

/* Counts that promise more than the blob holds must fail before any
   allocation (ASan would report a huge one). */
static void crafted(void)
{
    int f = 0;
    /* 2^62 records */
    static const uint8_t many_recs[] = {0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 0x00, 0x00};
    tap_ok(decode_is_safe(many_recs, sizeof many_recs, &f) && f == 1, "crafted: 2^62 records");
    /* one record announcing 2^40 layout runs */
    static const uint8_t many_lines[] = {0x01, 0x01, 0x00, 0x01, 0x08, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x00};
    f = 0;
    tap_ok(decode_is_safe(many_lines, sizeof many_lines, &f) && f == 1, "crafted: 2^40 layout runs");
    /* a case run beyond the bases: 1 line of 4 bytes, run gap 3 len 2 */
    static const uint8_t beyond[] = {0x01, 0x01, 0x00, 0x01, 0x09, 0x02, 0x01, 0x04, 0x01, 0x01, 0x00, 0x01, 0x03, 0x02};
    f = 0;
    tap_ok(decode_is_safe(beyond, sizeof beyond, &f) && f == 1, "crafted: case run beyond the bases");
    /* version 2 */
    static const uint8_t v2[] = {0x02, 0x00, 0x00, 0x00};
    rg_orig_sample s = {0};
    tap_is_int(rg_orig_decode(v2, sizeof v2, &s), RAGC_ERR_VERSION, "crafted: version 2 is refused");
    rg_orig_sample_free(&s);
}

#define N_CORRUPT 4
#define N_RANDOM 4

int main(void)
{
    tap_need_shared();
    hts_set_log_level(HTS_LOG_OFF);   /* the corrupt blobs log on purpose */
    names_t edge = list_dir("data/fasta-edge", "INDEX.features.txt");
    names_t hsmt = list_dir("data/hsmt-50", NULL);
    names_t toy = list_dir("data/toy", NULL);
    size_t n_files = edge.n + hsmt.n + toy.n;
    tap_plan((int)(1 + n_files * TESTS_PER_INPUT + (N_SYNTHETIC + 1 + N_RANDOM) * TESTS_PER_INPUT
                   + 4 + 7 + 2 * N_CORRUPT + 4));

    tap_is_int(edge.n, 26, "fasta-edge holds its 26 FASTA files");
    run_files(&edge);
    run_files(&hsmt);
    run_files(&toy);
    for (int i = 0; i < N_SYNTHETIC; i++)
        round_trip(synthetic[i].what, (const uint8_t *)synthetic[i].s,
                   synthetic[i].n ? synthetic[i].n : strlen(synthetic[i].s));
    all_bytes();
    random_fasta(1, 3000);
    random_fasta(2, 60000);
    random_fasta(3, 200000);
    random_fasta(4, 500);
    hand_blobs();
    builder_misuse();
    corrupt("small", ">a\nACgt\nNN\n");
    corrupt("rich", "#p\n>r1 d\r\nAC-\t-g\r\n\r\nTTTT\n>\nac\n");
    corrupt("two records with insertions", ">x y\nA C\tG\r\n\n>z\nn-n-n\nA");
    corrupt("preamble only", "text\r\n\n");
    crafted();

    for (size_t i = 0; i < edge.n; i++)
        free(edge.v[i]);
    for (size_t i = 0; i < hsmt.n; i++)
        free(hsmt.v[i]);
    for (size_t i = 0; i < toy.n; i++)
        free(toy.v[i]);
    free(edge.v);
    free(hsmt.v);
    free(toy.v);
    return tap_done();
}
