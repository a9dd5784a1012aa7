/* test_archive.c -- the native API (ragc.h) on the toy fixtures and on a
   multi-batch archive from several threads.

   Expected names and sequences are read from the FASTA files the fixtures
   were made from (../shared/data/toy/{ref,a,b,c}.fa, data/hsmt-50/); the
   sample orders, reference names and format parameters follow
   agc-format.md (sections 6, 7, 9, 10, 13, 14) and compat/README.md. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/hts_log.h>

#include "ragc.h"
#include "tap.h"

/* ---- FASTA input --------------------------------------------------------- */

typedef struct {
    char *name, *seq;
    size_t len;
} rec_t;

typedef struct {
    char sample[64];
    int n;
    rec_t *r;
} fasta_t;

/* Parses a FASTA file: headers without '>', sequence lines joined, CR and
   blanks dropped.  Returns 0 or -1. */
static int read_fasta(const char *path, fasta_t *f)
{
    size_t len;
    char *text = tap_slurp(path, &len);
    memset(f->sample, 0, sizeof f->sample);
    f->n = 0;
    f->r = NULL;
    if (!text)
        return -1;
    int cap = 0;
    char *p = text, *end = text + len;
    while (p < end) {
        char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        size_t ll = (size_t)(eol - p);
        if (ll && p[ll - 1] == '\r')
            ll--;
        if (ll && p[0] == '>') {
            if (f->n == cap) {
                cap = cap ? cap * 2 : 8;
                f->r = realloc(f->r, (size_t)cap * sizeof *f->r);
            }
            rec_t *r = &f->r[f->n++];
            r->name = malloc(ll);
            memcpy(r->name, p + 1, ll - 1);
            r->name[ll - 1] = '\0';
            r->seq = malloc(1);
            r->len = 0;
        } else if (f->n > 0) {
            rec_t *r = &f->r[f->n - 1];
            r->seq = realloc(r->seq, r->len + ll + 1);
            for (size_t i = 0; i < ll; i++)
                if (p[i] != ' ' && p[i] != '\t')
                    r->seq[r->len++] = p[i];
        }
        p = eol + 1;
    }
    for (int i = 0; i < f->n; i++)
        f->r[i].seq[f->r[i].len] = '\0';
    free(text);
    return 0;
}

static void free_fasta(fasta_t *f)
{
    for (int i = 0; i < f->n; i++) {
        free(f->r[i].name);
        free(f->r[i].seq);
    }
    free(f->r);
    f->r = NULL;
    f->n = 0;
}

/* The toy samples, by name. */
#define N_TOY 4
static fasta_t toy[N_TOY];
static const char *const toy_names[N_TOY] = {"ref", "a", "b", "c"};

static const fasta_t *toy_sample(const char *name)
{
    for (int i = 0; i < N_TOY; i++)
        if (name && strcmp(toy[i].sample, name) == 0)
            return &toy[i];
    return NULL;
}

/* ---- per-archive tests ------------------------------------------------------ */

typedef struct {
    const char *file;
    int format;                 /* 1, 2 or 3 */
    const char *order[N_TOY];   /* ragc_sample_name order */
    const char *reference;
} toy_archive;

static const toy_archive toy_archives[] = {
    {"toy.agc", 3, {"ref", "a", "b", "c"}, "ref"},
    {"toy-agc30.agc", 3, {"ref", "a", "b", "c"}, "ref"},
    {"v3.0-toy.agc", 3, {"ref", "a", "b", "c"}, "ref"},
    {"v3.1-toy.agc", 3, {"ref", "a", "b", "c"}, "ref"},
    {"v2.1-toy.agc", 2, {"a", "b", "c", "ref"}, "ref"},
    /* format 1 stores samples sorted by name: its first (reference) is "a" */
    {"v1.1-toy.agc", 1, {"a", "b", "c", "ref"}, "a"},
};
#define N_TOY_ARCHIVES (int)(sizeof toy_archives / sizeof toy_archives[0])
#define N_PER_ARCHIVE 17

static int64_t sample_of(ragc_archive *arc, const char *name)
{
    return ragc_sample_index(arc, name);
}

/* Fetch [from, to] and compare with want[0, wlen). */
static int fetch_is(ragc_decoder *dec, int64_t s, int64_t c, int64_t from, int64_t to,
                    const char *want, size_t wlen, int verbose)
{
    char *seq = NULL;
    int64_t len = -1;
    int r = ragc_contig_fetch(dec, s, c, from, to, &seq, &len);
    int good = r == RAGC_OK && seq && len == (int64_t)wlen && memcmp(seq, want, wlen) == 0
               && seq[len] == '\0';
    if (!good && verbose)
        tap_diag("fetch %lld/%lld [%lld, %lld]: status %d, got \"%.40s\" (%lld), expected \"%.*s\" (%zu)",
                 (long long)s, (long long)c, (long long)from, (long long)to, r, seq ? seq : "(null)",
                 (long long)len, (int)(wlen < 40 ? wlen : 40), want, wlen);
    free(seq);
    return good;
}

typedef struct {
    char buf[256];
    size_t len;
    int calls, fail_at;
} sink_t;

static int collect(void *ctx, const char *s, size_t n)
{
    sink_t *k = ctx;
    if (++k->calls == k->fail_at)
        return 1;
    if (k->len + n < sizeof k->buf) {
        memcpy(k->buf + k->len, s, n);
        k->len += n;
    }
    return 0;
}

static void test_toy_archive(const toy_archive *ta)
{
    char rel[256], path[4096];
    snprintf(rel, sizeof rel, "compat/archives/%s", ta->file);
    int st = 12345;
    ragc_archive *arc = ragc_open(tap_shared_path(path, sizeof path, rel), &st);
    if (!tap_ok(arc != NULL && st == RAGC_OK, "%s: opens", ta->file)) {
        tap_diag("status %d", st);
        for (int i = 1; i < N_PER_ARCHIVE; i++)
            tap_ok(0, "%s: skipped, the archive did not open", ta->file);
        return;
    }
    ragc_decoder *dec = ragc_decoder_init(arc, 0);

    /* params (section 6): defaults of agc create; segment_size 0 in format 1 */
    const ragc_params *p = ragc_get_params(arc);
    tap_ok(p && p->kmer_length == 31 && p->min_match_len == 20 && p->pack_cardinality == 50
               && p->segment_size == (ta->format == 1 ? 0u : 60000u)
               && p->file_version == (uint32_t)ta->format * 1000u,
           "%s: params k=31 M=20 P=50 S=%u, file version %d.0", ta->file,
           ta->format == 1 ? 0u : 60000u, ta->format);

    /* file_type_info, sorted by key, with the version keys */
    {
        int n = ragc_n_file_info(arc), sorted = 1, major = 0;
        const char *prev = NULL;
        for (int i = 0; i < n; i++) {
            const char *k = NULL, *v = NULL;
            if (ragc_file_info(arc, i, &k, &v) != RAGC_OK || !k || !v) {
                sorted = 0;
                continue;
            }
            if (prev && strcmp(prev, k) >= 0)
                sorted = 0;
            prev = k;
            if (strcmp(k, "file_version_major") == 0 && v[0] == '0' + ta->format && !v[1])
                major = 1;
        }
        tap_ok(n > 0 && sorted && major, "%s: file_type_info sorted, file_version_major = %d",
               ta->file, ta->format);
    }
    /* command lines: stored by formats 1 and 2 only */
    tap_ok(ta->format == 3 ? ragc_n_cmd_lines(arc) == 0 : ragc_n_cmd_lines(arc) > 0,
           "%s: %s", ta->file, ta->format == 3 ? "no command lines" : "command lines stored");

    /* samples */
    int good = ragc_n_samples(arc) == N_TOY;
    for (int i = 0; good && i < N_TOY; i++) {
        const char *nm = ragc_sample_name(arc, i);
        good = nm && strcmp(nm, ta->order[i]) == 0;
        if (!good)
            tap_diag("sample %d is \"%s\", expected \"%s\"", i, nm ? nm : "(null)", ta->order[i]);
    }
    tap_ok(good, "%s: samples %s, %s, %s, %s", ta->file, ta->order[0], ta->order[1], ta->order[2],
           ta->order[3]);
    tap_is_str(ragc_reference(arc), ta->reference, "%s: reference sample is %s", ta->file,
               ta->reference);
    good = 1;
    for (int i = 0; i < N_TOY; i++)
        if (ragc_sample_index(arc, ta->order[i]) != i)
            good = 0;
    good = good && ragc_sample_index(arc, "nope") == RAGC_ERR_NO_SAMPLE
           && ragc_sample_index(arc, "") == RAGC_ERR_NO_SAMPLE
           && ragc_sample_index(arc, "re") == RAGC_ERR_NO_SAMPLE
           && ragc_sample_index(arc, "ref ") == RAGC_ERR_NO_SAMPLE
           && ragc_sample_name(arc, N_TOY) == NULL && ragc_sample_name(arc, -1) == NULL;
    tap_ok(good, "%s: sample indices by name; unknown names and indices rejected", ta->file);

    /* contig names and lengths */
    int names_ok = 1, lens_ok = 1, seq_ok = 1;
    for (int i = 0; i < N_TOY; i++) {
        const fasta_t *f = toy_sample(ta->order[i]);
        if (!f || ragc_n_contigs(arc, i) != f->n) {
            names_ok = lens_ok = seq_ok = 0;
            tap_diag("sample %s: %lld contigs", ta->order[i], (long long)ragc_n_contigs(arc, i));
            continue;
        }
        for (int c = 0; c < f->n; c++) {
            const char *nm = ragc_contig_name(arc, i, c);
            if (!nm || strcmp(nm, f->r[c].name) != 0) {
                names_ok = 0;
                tap_diag("%s contig %d: \"%s\"", ta->order[i], c, nm ? nm : "(null)");
            }
            int64_t l = ragc_contig_length(arc, dec, i, c);
            if (l != (int64_t)f->r[c].len) {
                lens_ok = 0;
                tap_diag("%s/%s: length %lld, expected %zu", ta->order[i], f->r[c].name,
                         (long long)l, f->r[c].len);
            }
            if (!fetch_is(dec, i, c, 0, INT64_MAX, f->r[c].seq, f->r[c].len, 1))
                seq_ok = 0;
        }
        if (ragc_contig_name(arc, i, f->n) != NULL || ragc_contig_name(arc, i, -1) != NULL)
            names_ok = 0;
    }
    tap_ok(names_ok, "%s: contig names as in the FASTA headers, out-of-range index NULL", ta->file);
    tap_ok(lens_ok, "%s: contig lengths as in the FASTA files", ta->file);
    tap_ok(seq_ok, "%s: whole contigs equal the FASTA sequences", ta->file);

    /* short-name lookups (section 14) */
    {
        int64_t s = -9, c = -9;
        int r1 = ragc_find_contig(arc, NULL, "g", &s, &c);
        int ok1 = r1 == RAGC_OK && s == sample_of(arc, "b") && c == 1
                  && strcmp(ragc_contig_name(arc, s, c), "g h i 21") == 0;
        s = c = -9;
        int r2 = ragc_find_contig(arc, "b", "g", &s, &c);
        int ok2 = r2 == RAGC_OK && s == sample_of(arc, "b") && c == 1;
        s = c = -9;
        int r3 = ragc_find_contig(arc, "", "g h i 21", &s, &c);
        int ok3 = r3 == RAGC_OK && s == sample_of(arc, "b") && c == 1;
        s = c = -9;
        int r4 = ragc_find_contig(arc, NULL, "chr3a", &s, &c);
        int ok4 = r4 == RAGC_OK && s == sample_of(arc, "a") && c == 1;
        s = c = -9;
        int r5 = ragc_find_contig(arc, "c", "3", &s, &c);
        int ok5 = r5 == RAGC_OK && s == sample_of(arc, "c") && c == 2;
        tap_ok(ok1 && ok2 && ok3 && ok4 && ok5,
               "%s: short names: g -> b/\"g h i 21\" (with and without sample), chr3a, 3@c",
               ta->file);
    }
    {
        int64_t s = -9, c = -9;
        int r1 = ragc_find_contig(arc, NULL, "chr1", &s, &c);
        int r2 = ragc_find_contig(arc, "", "chr1", &s, &c);
        int r3 = ragc_find_contig(arc, NULL, "chr1 more words", &s, &c);
        s = c = -9;
        int r4 = ragc_find_contig(arc, "ref", "chr1", &s, &c);
        int ok4 = r4 == RAGC_OK && s == sample_of(arc, "ref") && c == 0;
        s = c = -9;
        int r5 = ragc_find_contig(arc, "b", "chr1", &s, &c);
        int ok5 = r5 == RAGC_OK && s == sample_of(arc, "b") && c == 0;
        tap_ok(r1 == RAGC_ERR_AMBIGUOUS && r2 == RAGC_ERR_AMBIGUOUS && r3 == RAGC_ERR_AMBIGUOUS
                   && ok4 && ok5,
               "%s: chr1 without sample is ambiguous (ref and b); chr1@ref, chr1@b found",
               ta->file);
    }
    {
        int64_t s, c;
        int r1 = ragc_find_contig(arc, NULL, "nope", &s, &c);
        int r2 = ragc_find_contig(arc, "b", "nope", &s, &c);
        int r3 = ragc_find_contig(arc, "a", "chr1", &s, &c);   /* a has chr1a, not chr1 */
        int r4 = ragc_find_contig(arc, NULL, "chr", &s, &c);
        int r5 = ragc_find_contig(arc, "nope", "chr1", &s, &c);
        int r6 = ragc_find_contig(arc, "nope", "nope", &s, &c);
        tap_ok(r1 == RAGC_ERR_NO_CONTIG && r2 == RAGC_ERR_NO_CONTIG && r3 == RAGC_ERR_NO_CONTIG
                   && r4 == RAGC_ERR_NO_CONTIG && r5 == RAGC_ERR_NO_SAMPLE
                   && r6 == RAGC_ERR_NO_SAMPLE,
               "%s: unknown contig -> RAGC_ERR_NO_CONTIG, unknown sample -> RAGC_ERR_NO_SAMPLE",
               ta->file);
    }

    /* ranges of section 13.2 */
    {
        int64_t sb = sample_of(arc, "b"), sr = sample_of(arc, "ref");
        tap_ok(fetch_is(dec, sb, 0, 2, 5, "AAAA", 4, 1) && fetch_is(dec, sr, 3, 3, 6, "GTGT", 4, 1),
               "%s: chr1@b 2-5 = AAAA, seq@ref 3-6 = GTGT", ta->file);
        /* ref/chr1 is 16 bases: past the end is truncated, beyond the end empty */
        tap_ok(fetch_is(dec, sr, 0, 10, 100, "CTAGCT", 6, 1)
                   && fetch_is(dec, sr, 0, 15, 15, "T", 1, 1)
                   && fetch_is(dec, sr, 0, 16, 20, "", 0, 1)
                   && fetch_is(dec, sr, 0, 1000, 1999, "", 0, 1)
                   && fetch_is(dec, sr, 0, 16, INT64_MAX, "", 0, 1),
               "%s: ranges past the end truncated; from beyond the end empty", ta->file);
    }
    /* every range of every contig */
    {
        int bad = 0;
        for (int i = 0; i < N_TOY; i++) {
            const fasta_t *f = toy_sample(ta->order[i]);
            for (int c = 0; f && c < f->n; c++) {
                int64_t L = (int64_t)f->r[c].len;
                for (int64_t from = 0; from <= L + 1; from++)
                    for (int64_t to = from; to <= L + 2; to++) {
                        int64_t e = to < L - 1 ? to : L - 1;
                        size_t wl = from <= e ? (size_t)(e - from + 1) : 0;
                        if (!fetch_is(dec, i, c, from, to, f->r[c].seq + (from < L ? from : L), wl,
                                      bad < 3))
                            bad++;
                    }
            }
        }
        tap_ok(bad == 0, "%s: every range [from, to] of every contig matches the FASTA", ta->file);
    }
    /* streaming to a sink; a failing sink */
    {
        int64_t sr = sample_of(arc, "ref");
        sink_t k = {{0}, 0, 0, 0};
        int r = ragc_contig_stream(dec, sr, 1, 0, INT64_MAX, collect, &k);
        const fasta_t *f = toy_sample("ref");
        int ok1 = r == RAGC_OK && f && k.len == f->r[1].len && memcmp(k.buf, f->r[1].seq, k.len) == 0;
        sink_t k2 = {{0}, 0, 0, 1};
        int r2 = ragc_contig_stream(dec, sr, 1, 0, INT64_MAX, collect, &k2);
        tap_ok(ok1 && r2 == RAGC_ERR_CALLBACK,
               "%s: ragc_contig_stream delivers chr2@ref; a sink returning non-zero gives RAGC_ERR_CALLBACK",
               ta->file);
    }
    ragc_decoder_destroy(dec);
    ragc_close(arc);
}

/* ---- open errors ---------------------------------------------------------- */

static void test_open_errors(void)
{
    int st = 0;
    ragc_archive *a = ragc_open("/nonexistent/dir/missing.agc", &st);
    tap_ok(a == NULL && st == RAGC_ERR_IO, "missing file: NULL, RAGC_ERR_IO");
    ragc_close(a);
    a = ragc_open("/nonexistent/dir/missing.agc", NULL);
    tap_ok(a == NULL, "missing file with status NULL: NULL");

    char path[4096];
    st = 0;
    a = ragc_open(tap_shared_path(path, sizeof path, "data/toy/ref.fa"), &st);
    tap_ok(a == NULL && st == RAGC_ERR_FORMAT, "a FASTA file: NULL, RAGC_ERR_FORMAT");
    ragc_close(a);

    char tmp[] = "/tmp/ragc_test_archive_XXXXXX";
    int fd = mkstemp(tmp);
    int ok0 = 0, ok9 = 0;
    if (fd >= 0) {
        st = 0;
        a = ragc_open(tmp, &st);
        ok0 = a == NULL && st == RAGC_ERR_FORMAT;
        ragc_close(a);
        /* 9 bytes: a directory size of 1 and the byte 00 = zero streams; no
           file_type_info, so not an archive */
        static const unsigned char nine[9] = {0, 1, 0, 0, 0, 0, 0, 0, 0};
        if (write(fd, nine, 9) == 9) {
            st = 0;
            a = ragc_open(tmp, &st);
            ok9 = a == NULL && st == RAGC_ERR_FORMAT;
            ragc_close(a);
        }
        close(fd);
        unlink(tmp);
    }
    tap_ok(ok0 && ok9, "empty file, and a container without streams: RAGC_ERR_FORMAT");
    st = 0;
    a = ragc_open(tap_core_root(), &st);
    tap_ok(a == NULL && st < 0, "a directory: NULL with a negative status");
    ragc_close(a);
}

/* ---- threads --------------------------------------------------------------- */

typedef struct {
    ragc_archive *arc;
    int id, n_threads, rounds;
    size_t cache;
    const fasta_t *samples;   /* expected, indexed by archive sample index */
    int n_samples;
    int bad, done;
    unsigned long long checksum;
} thread_arg;

static void *worker(void *v)
{
    thread_arg *t = v;
    ragc_decoder *dec = ragc_decoder_init(t->arc, t->cache);
    if (!dec) {
        t->bad++;
        return NULL;
    }
    unsigned long long h = 0;
    for (int round = 0; round < t->rounds; round++)
        for (int k = 0; k < t->n_samples; k++) {
            /* each thread walks the samples from a different start */
            int s = (k + t->id * t->n_samples / t->n_threads) % t->n_samples;
            const fasta_t *f = &t->samples[s];
            if (ragc_n_contigs(t->arc, s) != f->n) {
                t->bad++;
                continue;
            }
            for (int c = 0; c < f->n; c++) {
                const rec_t *r = &f->r[c];
                int64_t L = (int64_t)r->len;
                /* the whole contig, and a range depending on the thread */
                int64_t from = (L * (t->id + 1)) / (t->n_threads + 2), to = from + 2500 + round;
                int64_t e = to < L - 1 ? to : L - 1;
                char *seq = NULL;
                int64_t len = 0;
                if (ragc_contig_fetch(dec, s, c, 0, INT64_MAX, &seq, &len) != RAGC_OK
                    || len != L || memcmp(seq, r->seq, (size_t)L) != 0)
                    t->bad++;
                /* an order-independent sum of per-contig FNV-1a hashes */
                unsigned long long hc = 1469598103934665603ULL;
                for (int64_t i = 0; seq && i < len; i++)
                    hc = (hc ^ (unsigned char)seq[i]) * 1099511628211ULL;
                h += hc;
                free(seq);
                seq = NULL;
                if (!fetch_is(dec, s, c, from, to, r->seq + (from < L ? from : L),
                              from <= e ? (size_t)(e - from + 1) : 0, 0))
                    t->bad++;
                t->done++;
            }
        }
    t->checksum = h;
    ragc_decoder_destroy(dec);
    return NULL;
}

/* Runs 4 threads on a freshly opened archive (so that lazy loading of the
   collection happens concurrently).  Returns 1 if all agree with the input. */
static int run_threads(const char *file, const fasta_t *by_index, int n, int rounds,
                       const char *what)
{
    char rel[256], path[4096];
    snprintf(rel, sizeof rel, "compat/archives/%s", file);
    int st;
    ragc_archive *arc = ragc_open(tap_shared_path(path, sizeof path, rel), &st);
    if (!arc) {
        tap_diag("%s: open status %d", file, st);
        return 0;
    }
    enum { NT = 4 };
    thread_arg t[NT];
    pthread_t th[NT];
    static const size_t caches[NT] = {0, 1, 4096, 1u << 20};
    int started = 0;
    for (int i = 0; i < NT; i++) {
        t[i] = (thread_arg){arc, i, NT, rounds, caches[i], by_index, n, 0, 0, 0};
        if (pthread_create(&th[i], NULL, worker, &t[i]) == 0)
            started++;
        else
            t[i].bad = 1000;
    }
    for (int i = 0; i < NT; i++)
        if (t[i].bad < 1000)
            pthread_join(th[i], NULL);
    int good = started == NT;
    for (int i = 0; i < NT; i++) {
        if (t[i].bad || t[i].checksum != t[0].checksum || t[i].done != t[0].done || t[i].done == 0) {
            good = 0;
            tap_diag("%s: thread %d: %d bad of %d fetches", what, i, t[i].bad, t[i].done);
        }
    }
    ragc_close(arc);
    return good;
}

static void test_threads(void)
{
    /* toy.agc: the samples in its stored order */
    {
        fasta_t by_index[N_TOY];
        for (int i = 0; i < N_TOY; i++)
            by_index[i] = *toy_sample(toy_archives[0].order[i]);
        tap_ok(run_threads("toy.agc", by_index, N_TOY, 50, "toy"),
               "toy.agc: 4 threads, one decoder each, 50 rounds: identical, equal to the FASTA");
    }
    /* hsmt-small.agc: 50 mitochondrial genomes, -k 25 -l 18 -s 2000 -b 5, so
       10 collection batches and LZ groups */
    {
        char path[4096], rel[256];
        int st, good = 1;
        ragc_archive *arc = ragc_open(tap_shared_path(path, sizeof path, "compat/archives/hsmt-small.agc"), &st);
        int n = arc ? (int)ragc_n_samples(arc) : 0;
        fasta_t *by_index = calloc(n > 0 ? (size_t)n : 1, sizeof *by_index);
        if (!arc || n != 50) {
            good = 0;
            tap_diag("hsmt-small.agc: status %d, %d samples", arc ? 0 : st, n);
        }
        for (int i = 0; good && i < n; i++) {
            const char *nm = ragc_sample_name(arc, i);
            snprintf(rel, sizeof rel, "data/hsmt-50/%s.fa", nm ? nm : "?");
            if (!nm || read_fasta(tap_shared_path(path, sizeof path, rel), &by_index[i]) < 0
                || by_index[i].n != 1) {
                good = 0;
                tap_diag("cannot read %s", path);
            }
        }
        const ragc_params *p = arc ? ragc_get_params(arc) : NULL;
        if (p && (p->kmer_length != 25 || p->min_match_len != 18 || p->segment_size != 2000
                  || p->pack_cardinality != 5)) {
            good = 0;
            tap_diag("hsmt-small.agc: unexpected params");
        }
        ragc_close(arc);   /* run_threads opens it afresh */
        if (good)
            good = run_threads("hsmt-small.agc", by_index, n, 1, "hsmt-small");
        tap_ok(good, "hsmt-small.agc: 4 threads over 50 samples in 10 batches: identical, equal to the FASTA");
        for (int i = 0; i < n; i++)
            free_fasta(&by_index[i]);
        free(by_index);
    }
}

int main(void)
{
    hts_set_log_level(HTS_LOG_OFF);
    tap_need_shared();
    for (int i = 0; i < N_TOY; i++) {
        char rel[256], path[4096];
        snprintf(rel, sizeof rel, "data/toy/%s.fa", toy_names[i]);
        if (read_fasta(tap_shared_path(path, sizeof path, rel), &toy[i]) < 0) {
            printf("Bail out! cannot read %s\n", path);
            return 1;
        }
        snprintf(toy[i].sample, sizeof toy[i].sample, "%s", toy_names[i]);
    }
    tap_plan(N_TOY_ARCHIVES * N_PER_ARCHIVE + 5 + 2);
    for (int i = 0; i < N_TOY_ARCHIVES; i++)
        test_toy_archive(&toy_archives[i]);
    test_open_errors();
    test_threads();
    for (int i = 0; i < N_TOY; i++)
        free_fasta(&toy[i]);
    return tap_done();
}
