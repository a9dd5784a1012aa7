/* test_foreign.c -- TAP test: archives written by other AGC writers (the
   Rust port of AGC; test/data/foreign, see its README.md) read through both
   C APIs exactly as agc 3.2.2 prints them.

   For every archive of foreign/cases.tsv and every sample of its
   listset.txt, the sample is rebuilt as agc's getset prints it (`>name`,
   then lines of 80 bases) from the native API (ragc_contig_stream) and from
   agc-api.h (agc_get_ctg_seq), and the md5 and size of that text must be
   those recorded for agc's `getset {A} SAMPLE` in outputs.tsv.  The sample
   names of both APIs must be listset.txt's (agc sorts them for listset),
   the reference listref.txt's.

   The Rust port's streaming zstd encoder leaves the content size out of
   its frame headers (the cause of our former refusal); test_unsized_frames
   pins how such frames decode: into the caller's bound, as agc does. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts.h>
#include <htslib/hts_log.h>
#include <htslib/kstring.h>

#include <zstd.h>

#include "agc-api.h"
#include "ragc.h"
#include "tap.h"
#include "zstd_util.h"

#define LINE 80

typedef struct {
    kstring_t *out;
    size_t col;
} wrap_state;

static int wrap_sink(void *ctx, const char *s, size_t n)
{
    wrap_state *w = ctx;
    for (size_t i = 0; i < n; i++) {
        if (kputc(s[i], w->out) < 0)
            return -1;
        if (++w->col == LINE) {
            if (kputc('\n', w->out) < 0)
                return -1;
            w->col = 0;
        }
    }
    return 0;
}

static void end_record(kstring_t *out, size_t col)
{
    if (col)
        kputc('\n', out);
}

static void md5_hex(const kstring_t *s, char hex[33])
{
    unsigned char d[16];
    hts_md5_context *m = hts_md5_init();
    hts_md5_update(m, s->s ? s->s : "", (unsigned long)s->l);
    hts_md5_final(d, m);
    hts_md5_destroy(m);
    hts_md5_hex(hex, d);
}

/* Undoes the backslash escapes of an outputs.tsv command, in place. */
static void unescape(char *s)
{
    char *d = s;
    for (; *s; s++) {
        if (*s == '\\' && s[1])
            s++;
        *d++ = *s;
    }
    *d = '\0';
}

/* The recorded size and md5 of agc's `getset {A} sample`; 0 when found. */
static int expected_getset(const char *tsv, const char *sample, size_t *bytes, char md5[33])
{
    FILE *f = fopen(tsv, "r");
    if (!f)
        return -1;
    char line[4096], want[1100];
    snprintf(want, sizeof want, "getset {A} %s", sample);
    int found = -1;
    while (found < 0 && fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        unescape(line);
        if (strcmp(line, want) == 0)
            found = sscanf(tab + 1, "%*d\t%zu\t%32s", bytes, md5) == 2 ? 0 : -1;
    }
    fclose(f);
    return found;
}

/* Lines of a text file, newline-stripped; *n gets the count. */
static char **read_lines(const char *path, int *n)
{
    FILE *f = fopen(path, "r");
    *n = 0;
    if (!f)
        return NULL;
    char **v = NULL, line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char **nv = realloc(v, (*n + 1) * sizeof *v);
        if (!nv)
            break;
        v = nv;
        v[(*n)++] = strdup(line);
    }
    fclose(f);
    return v;
}

static void free_lines(char **v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static int native_sample(ragc_archive *arc, ragc_decoder *dec, int64_t s, kstring_t *out)
{
    int64_t nc = ragc_n_contigs(arc, s);
    for (int64_t c = 0; c < nc; c++) {
        wrap_state w = { out, 0 };
        ksprintf(out, ">%s\n", ragc_contig_name(arc, s, c));
        if (ragc_contig_stream(dec, s, c, 0, INT64_MAX, wrap_sink, &w) < 0)
            return -1;
        end_record(out, w.col);
    }
    return 0;
}

static int agcapi_sample(agc_t *h, const char *sample, kstring_t *out)
{
    int n;
    char **ctgs = agc_list_ctg(h, sample, &n);
    if (!ctgs)
        return -1;
    int r = 0;
    for (int c = 0; r == 0 && c < n; c++) {
        int len = agc_get_ctg_len(h, sample, ctgs[c]);
        char *seq = malloc((size_t)(len > 0 ? len : 0) + 1);
        if (len < 0 || !seq || agc_get_ctg_seq(h, sample, ctgs[c], -1, -1, seq) < 0) {
            r = -1;
        } else {
            wrap_state w = { out, 0 };
            ksprintf(out, ">%s\n", ctgs[c]);
            wrap_sink(&w, seq, (size_t)len);
            end_record(out, w.col);
        }
        free(seq);
    }
    agc_list_destroy(ctgs);
    return r;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* got (n names, sorted here as agc's listset sorts) equals want. */
static int same_names(const char **got, int n, char **want, int n_want)
{
    if (n != n_want)
        return 0;
    qsort(got, (size_t)n, sizeof *got, cmp_str);
    for (int i = 0; i < n; i++)
        if (strcmp(got[i], want[i]) != 0)
            return 0;
    return 1;
}

static void check_lists(const char *id, ragc_archive *arc, agc_t *h, char **want, int n_want,
                        const char *ref)
{
    int n = (int)ragc_n_samples(arc);
    const char **names = malloc((size_t)(n > 0 ? n : 1) * sizeof *names);
    for (int i = 0; names && i < n; i++)
        names[i] = ragc_sample_name(arc, i);
    tap_ok(names && same_names(names, n, want, n_want), "%s: native sample names are listset.txt", id);
    free(names);
    char **got = agc_list_sample(h, &n);
    names = malloc((size_t)(n > 0 ? n : 1) * sizeof *names);
    for (int i = 0; got && names && i < n; i++)
        names[i] = got[i];
    tap_ok(got && names && same_names(names, n, want, n_want), "%s: agc_list_sample names are listset.txt", id);
    free(names);
    agc_list_destroy(got);
    char *r = agc_reference_sample(h);
    tap_is_str(ragc_reference(arc), ref, "%s: native reference", id);
    tap_is_str(r, ref, "%s: agc_reference_sample", id);
    agc_string_destroy(r);
}

static void check_archive(const char *root, const char *id)
{
    char path[4096], tsv[4096], lst[4096], ref[4096];
    snprintf(path, sizeof path, "%s/foreign/archives/%s.agc", root, id);
    snprintf(tsv, sizeof tsv, "%s/foreign/expected/%s/outputs.tsv", root, id);
    snprintf(lst, sizeof lst, "%s/foreign/expected/%s/listset.txt", root, id);
    snprintf(ref, sizeof ref, "%s/foreign/expected/%s/listref.txt", root, id);
    int n, nr;
    char **samples = read_lines(lst, &n), **refl = read_lines(ref, &nr);
    int st;
    ragc_archive *arc = ragc_open(path, &st);
    agc_t *h = agc_open(path, 0);
    ragc_decoder *dec = arc ? ragc_decoder_init(arc, 0) : NULL;
    if (!tap_ok(samples && nr == 1 && arc && h && dec, "%s: fixture lists read and archive opens", id)) {
        tap_diag("open status %d (%s)", st, ragc_errmsg(st));
    } else {
        check_lists(id, arc, h, samples, n, refl[0]);
        for (int i = 0; i < n; i++) {
            size_t bytes;
            char want[33], got[33];
            if (!tap_ok(expected_getset(tsv, samples[i], &bytes, want) == 0, "%s: row of %s", id,
                        samples[i]))
                continue;
            kstring_t a = { 0, 0, NULL }, b = { 0, 0, NULL };
            int ra = native_sample(arc, dec, ragc_sample_index(arc, samples[i]), &a);
            md5_hex(&a, got);
            tap_ok(ra == 0 && a.l == bytes && strcmp(got, want) == 0,
                   "%s: %s via ragc_contig_stream is agc's getset (%zu bytes, md5 %s; got %zu, %s)",
                   id, samples[i], bytes, want, a.l, got);
            int rb = agcapi_sample(h, samples[i], &b);
            md5_hex(&b, got);
            tap_ok(rb == 0 && b.l == bytes && strcmp(got, want) == 0,
                   "%s: %s via agc_get_ctg_seq is agc's getset (%zu bytes, md5 %s; got %zu, %s)",
                   id, samples[i], bytes, want, b.l, got);
            free(a.s);
            free(b.s);
        }
    }
    ragc_decoder_destroy(dec);
    ragc_close(arc);
    if (h)
        agc_close(h);
    free_lines(samples, n);
    free_lines(refl, nr);
}

/* A zstd frame of n bytes of text without the content size in its header. */
static size_t unsized_frame(const char *text, size_t n, uint8_t *out, size_t cap)
{
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cc, ZSTD_c_contentSizeFlag, 0);
    size_t r = ZSTD_compress2(cc, out, cap, text, n);
    ZSTD_freeCCtx(cc);
    return ZSTD_isError(r) ? 0 : r;
}

static void test_unsized_frames(void)
{
    static const char text[] = "ACGTACGTTTGACCANNNNACGTACGTACGTACGTGGGGCCCCAAAATTTT";
    size_t n = sizeof text - 1;
    uint8_t frame[256], *out = NULL;
    size_t len = unsized_frame(text, n, frame, sizeof frame), got = 0;
    tap_ok(len > 0 && ZSTD_getFrameContentSize(frame, len) == ZSTD_CONTENTSIZE_UNKNOWN,
           "zstd: a frame without its content size is made");
    int r = rg_zstd_exact(NULL, frame, len, n, &out);
    tap_ok(r == RAGC_OK && out && memcmp(out, text, n) == 0, "zstd: it decodes to the size its caller expects");
    free(out);
    out = NULL;
    r = rg_zstd_bounded(NULL, frame, len, n + 10, &out, &got);
    tap_ok(r == RAGC_OK && got == n, "zstd: a larger bound gives the frame's own size (%zu)", got);
    free(out);
    out = NULL;
    /* kept checks: agc would write past its buffer's end or pad it with zeros */
    r = rg_zstd_bounded(NULL, frame, len, n - 1, &out, &got);
    tap_ok(r == RAGC_ERR_FORMAT && !out, "zstd: a frame holding more than the bound is corrupt");
    r = rg_zstd_exact(NULL, frame, len, n + 1, &out);
    tap_ok(r == RAGC_ERR_FORMAT && !out, "zstd: a frame holding less than expected is corrupt");
}

int main(void)
{
    tap_need_shared();
    hts_set_log_level(HTS_LOG_OFF);
    test_unsized_frames();
    const char *root = tap_core_root();
    char cases[4096];
    snprintf(cases, sizeof cases, "%s/foreign/cases.tsv", root);
    int n;
    char **rows = read_lines(cases, &n);
    if (!tap_ok(rows && n > 1, "foreign/cases.tsv lists archives")) {
        tap_plan(tap_state()->run);
        return tap_done();
    }
    for (int i = 1; i < n; i++) {   /* row 0 is the header */
        char *tab = strchr(rows[i], '\t');
        if (!tab)
            continue;
        *tab = '\0';
        check_archive(root, rows[i]);
    }
    free_lines(rows, n);
    tap_plan(tap_state()->run);   /* the plan at the end: one test per sample and API */
    return tap_done();
}
