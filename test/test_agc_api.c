/* test_agc_api.c -- TAP test of the agc-compatible C API (agc-api.h).

   Expected values come from the toy FASTA files the fixture archives were
   built from (data/toy/{ref,a,b,c}.fa of the test data, see tap.h), never
   from ragc itself: some are written out below, and the exhaustive checks
   parse the FASTA files at run time. */

#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agc-api.h"
#include "tap.h"

/* TAP ------------------------------------------------------------------- */

/* 63 fixed tests, then N_ARCHIVE_TESTS for each of the 6 toy archives. */
#define N_FIXED 63
#define N_TOY_ARCHIVES 6
#define PLAN (N_FIXED + N_TOY_ARCHIVES * N_ARCHIVE_TESTS)

#define N_ARCHIVE_TESTS 11

static int n_test, n_fail;

static int ok(int cond, const char *fmt, ...)
{
    va_list ap;

    printf("%s %d - ", cond ? "ok" : "not ok", ++n_test);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    if (!cond)
        n_fail++;
    return cond;
}

static void skip(const char *why, const char *fmt, ...)
{
    va_list ap;

    printf("ok %d - ", ++n_test);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf(" # SKIP %s\n", why);
}

static void diag(const char *fmt, ...)
{
    va_list ap;

    fputs("# ", stdout);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

/* The toy input, read from FASTA ----------------------------------------- */

#define MAX_CTG 16

typedef struct {
    const char *sample;
    int n;
    char *name[MAX_CTG];
    char *seq[MAX_CTG];
} fasta_sample;

/* Stored order of the toy archives' inputs (agc create ref a b c). */
static const char *const sample_names[] = {"ref", "a", "b", "c"};
#define N_SAMPLES 4
static fasta_sample toy[N_SAMPLES];

static char *append(char *s, size_t *len, const char *add, size_t n)
{
    char *p = realloc(s, *len + n + 1);

    if (!p) {
        fputs("Bail out! out of memory\n", stdout);
        exit(1);
    }
    memcpy(p + *len, add, n);
    *len += n;
    p[*len] = '\0';
    return p;
}

static int read_fasta(fasta_sample *fs, const char *sample)
{
    char path[4096], rel[256], line[4096];
    FILE *f;
    size_t len = 0;

    fs->sample = sample;
    fs->n = 0;
    snprintf(rel, sizeof rel, "data/toy/%s.fa", sample);
    tap_shared_path(path, sizeof path, rel);
    if (!(f = fopen(path, "r")))
        return -1;
    while (fgets(line, sizeof line, f)) {
        size_t n = strcspn(line, "\r\n");

        line[n] = '\0';
        if (line[0] == '>') {
            if (fs->n == MAX_CTG)
                break;
            len = 0;
            fs->name[fs->n] = append(NULL, &len, line + 1, n - 1);
            len = 0;
            fs->seq[fs->n] = append(NULL, &len, "", 0);
            fs->n++;
        } else if (fs->n > 0) {
            fs->seq[fs->n - 1] = append(fs->seq[fs->n - 1], &len, line, n);
        }
    }
    fclose(f);
    return fs->n > 0 ? 0 : -1;
}

static size_t short_len(const char *name)
{
    return strcspn(name, " \t\r\n");
}

static int same_short(const char *a, const char *b)
{
    size_t n = short_len(a);
    return n == short_len(b) && memcmp(a, b, n) == 0;
}

/* agc's answer for a lookup by short name in every sample: the length, or
   -2 when the short name occurs more than once. */
static int model_len_any(const char *name)
{
    int hits = 0, len = -1;

    for (int s = 0; s < N_SAMPLES; s++)
        for (int c = 0; c < toy[s].n; c++)
            if (same_short(toy[s].name[c], name)) {
                hits++;
                len = (int) strlen(toy[s].seq[c]);
            }
    return hits == 0 ? -1 : hits > 1 ? -2 : len;
}

/* agc's range normalisation and clipping; stores the expected substring. */
static void model_range(const char *seq, int start, int end, int *off, int *n)
{
    long long len = (long long) strlen(seq), from, to;

    if (start < 0 && end < 0) {
        from = 0;
        to = LLONG_MAX;
    } else {
        from = start < 0 ? 0 : start;
        to = end < 0 ? LLONG_MAX : end;
        if (from > to) {
            from = 0;
            to = LLONG_MAX;
        }
    }
    if (to > len - 1)
        to = len - 1;
    *off = (int) (from < len ? from : len);
    *n = from <= to ? (int) (to - from + 1) : 0;
}

/* Calls agc_get_ctg_seq into a guarded buffer; checks the NUL and that
   nothing past it was written.  Returns the result, or -100 on overrun. */
#define GUARD 'X'
static int fetch(const agc_t *h, const char *sample, const char *name,
                 int start, int end, char *buf, size_t size)
{
    int r;

    memset(buf, GUARD, size);
    r = agc_get_ctg_seq(h, sample, name, start, end, buf);
    if (r >= 0 && ((size_t) r + 2 > size || buf[r] != '\0' || buf[r + 1] != GUARD))
        return -100;
    return r;
}

/* Exhaustive checks of one archive built from the toy FASTA files -------- */


static void check_archive(const char *id, const char *ref_expected)
{
    char path[4096], rel[256], buf[256];
    agc_t *h;
    int n, good;
    char **list;

    snprintf(rel, sizeof rel, "compat/archives/%s.agc", id);
    tap_shared_path(path, sizeof path, rel);
    h = agc_open(path, 1);
    if (!h) {
        FILE *f = fopen(path, "rb");

        if (!f) {
            for (int i = 0; i < N_ARCHIVE_TESTS; i++)
                skip("archive missing", "%s: test %d", id, i + 1);
            return;
        }
        fclose(f);
        ok(0, "%s: agc_open", id);
        for (int i = 1; i < N_ARCHIVE_TESTS; i++)
            skip("archive did not open", "%s: test %d", id, i + 1);
        return;
    }
    ok(1, "%s: agc_open", id);

    ok(agc_n_sample(h) == N_SAMPLES, "%s: agc_n_sample == %d", id, N_SAMPLES);

    {
        char *ref = agc_reference_sample(h);
        ok(ref && strcmp(ref, ref_expected) == 0, "%s: agc_reference_sample is %s (got %s)",
           id, ref_expected, ref ? ref : "NULL");
        agc_string_destroy(ref);
    }

    /* Sorted sample list: a b c ref. */
    {
        static const char *const sorted[] = {"a", "b", "c", "ref"};

        n = -1;
        list = agc_list_sample(h, &n);
        good = list && n == N_SAMPLES;
        for (int i = 0; good && i < N_SAMPLES; i++)
            good = list[i] && strcmp(list[i], sorted[i]) == 0;
        good = good && list[N_SAMPLES] == NULL;
        ok(good, "%s: agc_list_sample gives a b c ref", id);
        agc_list_destroy(list);
    }

    /* Contig counts and lists, stored order, full names. */
    good = 1;
    for (int s = 0; s < N_SAMPLES; s++)
        if (agc_n_ctg(h, toy[s].sample) != toy[s].n) {
            diag("%s: agc_n_ctg(%s) = %d, want %d", id, toy[s].sample,
                 agc_n_ctg(h, toy[s].sample), toy[s].n);
            good = 0;
        }
    ok(good, "%s: agc_n_ctg of every sample", id);

    good = 1;
    for (int s = 0; s < N_SAMPLES; s++) {
        n = -1;
        list = agc_list_ctg(h, toy[s].sample, &n);
        if (!list || n != toy[s].n) {
            diag("%s: agc_list_ctg(%s): n = %d, want %d", id, toy[s].sample, n, toy[s].n);
            good = 0;
        } else {
            for (int c = 0; c < n; c++)
                if (!list[c] || strcmp(list[c], toy[s].name[c]) != 0) {
                    diag("%s: agc_list_ctg(%s)[%d] = '%s', want '%s'", id, toy[s].sample,
                         c, list[c] ? list[c] : "NULL", toy[s].name[c]);
                    good = 0;
                }
            if (list[n] != NULL)
                good = 0;
        }
        agc_list_destroy(list);
    }
    ok(good, "%s: agc_list_ctg of every sample in stored order", id);

    /* Lengths with a sample, by full name and by short name. */
    good = 1;
    for (int s = 0; s < N_SAMPLES; s++)
        for (int c = 0; c < toy[s].n; c++) {
            int want = (int) strlen(toy[s].seq[c]);
            char shrt[256];
            int r1 = agc_get_ctg_len(h, toy[s].sample, toy[s].name[c]);
            int r2;

            snprintf(shrt, sizeof shrt, "%.*s", (int) short_len(toy[s].name[c]), toy[s].name[c]);
            r2 = agc_get_ctg_len(h, toy[s].sample, shrt);
            if (r1 != want || r2 != want) {
                diag("%s: len %s@%s = %d / %d, want %d", id, toy[s].name[c], toy[s].sample,
                     r1, r2, want);
                good = 0;
            }
        }
    ok(good, "%s: agc_get_ctg_len(sample, name) of every contig", id);

    /* Lengths without a sample (NULL and ""): unique, or -2 if ambiguous. */
    good = 1;
    for (int s = 0; s < N_SAMPLES; s++)
        for (int c = 0; c < toy[s].n; c++) {
            int want = model_len_any(toy[s].name[c]);
            int r1 = agc_get_ctg_len(h, NULL, toy[s].name[c]);
            int r2 = agc_get_ctg_len(h, "", toy[s].name[c]);

            if (r1 != want || r2 != want) {
                diag("%s: len %s (any sample) = %d / %d, want %d", id, toy[s].name[c],
                     r1, r2, want);
                good = 0;
            }
        }
    ok(good, "%s: agc_get_ctg_len(NULL/\"\", name) of every contig", id);

    /* Whole sequences. */
    good = 1;
    for (int s = 0; s < N_SAMPLES; s++)
        for (int c = 0; c < toy[s].n; c++) {
            int r = fetch(h, toy[s].sample, toy[s].name[c], -1, -1, buf, sizeof buf);
            const char *want = toy[s].seq[c];

            if (r != (int) strlen(want) || strcmp(buf, want) != 0) {
                diag("%s: seq %s@%s: r = %d '%.*s', want '%s'", id, toy[s].name[c],
                     toy[s].sample, r, r > 0 ? r : 0, buf, want);
                good = 0;
            }
        }
    ok(good, "%s: agc_get_ctg_seq of every whole contig", id);

    /* Every range [start, end] with start, end in [-2, len + 2]. */
    {
        int checked = 0, bad = 0;

        for (int s = 0; s < N_SAMPLES; s++)
            for (int c = 0; c < toy[s].n; c++) {
                const char *seq = toy[s].seq[c];
                int len = (int) strlen(seq);

                for (int st = -2; st <= len + 2; st++)
                    for (int en = -2; en <= len + 2; en++) {
                        int off, want, r;

                        model_range(seq, st, en, &off, &want);
                        r = fetch(h, toy[s].sample, toy[s].name[c], st, en, buf, sizeof buf);
                        checked++;
                        if (r != want || strncmp(buf, seq + off, (size_t) want) != 0) {
                            if (bad++ < 5)
                                diag("%s: %s@%s:%d-%d: r = %d '%.*s', want %d '%.*s'", id,
                                     toy[s].name[c], toy[s].sample, st, en, r,
                                     r > 0 ? r : 0, buf, want, want, seq + off);
                        }
                    }
            }
        ok(bad == 0, "%s: agc_get_ctg_seq of all %d ranges (%d wrong)", id, checked, bad);
    }

    ok(agc_close(h) == 0, "%s: agc_close", id);
}

/* Concurrent agc_get_ctg_seq on one handle ------------------------------- */

#define N_THREADS 4
#define N_ITER 300

typedef struct {
    const agc_t *h;
    int seed;
    int bad;
} worker_arg;

static void *worker(void *p)
{
    worker_arg *w = p;
    unsigned x = (unsigned) w->seed * 2654435761u + 1;
    char buf[256];

    for (int i = 0; i < N_ITER; i++) {
        int s, c, len, st, en, off, want, r;

        x = x * 1103515245u + 12345u;
        s = (int) ((x >> 8) % N_SAMPLES);
        c = (int) ((x >> 12) % (unsigned) toy[s].n);
        len = (int) strlen(toy[s].seq[c]);
        x = x * 1103515245u + 12345u;
        st = (int) ((x >> 8) % (unsigned) (len + 3)) - 1;
        en = (int) ((x >> 16) % (unsigned) (len + 3)) - 1;
        model_range(toy[s].seq[c], st, en, &off, &want);
        r = fetch(w->h, toy[s].sample, toy[s].name[c], st, en, buf, sizeof buf);
        if (r != want || strncmp(buf, toy[s].seq[c] + off, (size_t) want) != 0)
            w->bad++;
        if (agc_get_ctg_len(w->h, toy[s].sample, toy[s].name[c]) != len)
            w->bad++;
    }
    return NULL;
}

/* Main -------------------------------------------------------------------- */

int main(void)
{
    char path[4096], buf[256];
    agc_t *h;
    char **list;
    int n, r;

    tap_shared_path(path, sizeof path, "compat/archives/toy.agc");
    {
        FILE *f = fopen(path, "rb");

        if (!f) {
            puts("Bail out! test data missing (run from the repository root)");
            return 1;
        }
        fclose(f);
    }
    for (int s = 0; s < N_SAMPLES; s++)
        if (read_fasta(&toy[s], sample_names[s]) != 0) {
            puts("Bail out! test data missing (run from the repository root)");
            return 1;
        }

    printf("1..%d\n", PLAN);

    /* Handle-less calls. */
    ok(agc_close(NULL) == -1, "agc_close(NULL) == -1");
    ok(agc_get_ctg_len(NULL, "b", "chr1") == -1, "agc_get_ctg_len(NULL handle) == -1");
    ok(agc_get_ctg_seq(NULL, "b", "chr1", 0, 3, buf) == -1, "agc_get_ctg_seq(NULL handle) == -1");
    ok(agc_n_sample(NULL) == -1, "agc_n_sample(NULL) == -1");
    ok(agc_n_ctg(NULL, "b") == -1, "agc_n_ctg(NULL handle) == -1");
    ok(agc_reference_sample(NULL) == NULL, "agc_reference_sample(NULL) == NULL");
    n = 77;
    list = agc_list_sample(NULL, &n);
    ok(list == NULL && n == 77, "agc_list_sample(NULL) == NULL, count untouched");
    n = 77;
    list = agc_list_ctg(NULL, "b", &n);
    ok(list == NULL && n == 77, "agc_list_ctg(NULL handle) == NULL, count untouched");
    ok(agc_list_destroy(NULL) == 0, "agc_list_destroy(NULL) == 0");
    ok(agc_string_destroy(NULL) == 0, "agc_string_destroy(NULL) == 0");

    /* Opening failures. */
    {
        char bad[4096], fa[4096];

        tap_shared_path(bad, sizeof bad, "compat/archives/no-such-archive.agc");
        tap_shared_path(fa, sizeof fa, "data/toy/a.fa");
        h = agc_open(bad, 0);
        ok(h == NULL, "agc_open of a missing file gives NULL");
        agc_close(h);
        h = agc_open(fa, 0);
        ok(h == NULL, "agc_open of a FASTA file gives NULL");
        agc_close(h);
        h = agc_open(NULL, 0);
        ok(h == NULL, "agc_open(NULL) gives NULL");
        agc_close(h);
    }

    /* The toy archive, facts written out from the FASTA files. */
    h = agc_open(path, 0);
    if (!ok(h != NULL, "agc_open toy.agc")) {
        puts("Bail out! cannot open toy.agc");
        return 1;
    }

    ok(agc_n_sample(h) == 4, "4 samples");
    {
        char *ref = agc_reference_sample(h);
        ok(ref && strcmp(ref, "ref") == 0, "reference sample is ref");
        ok(agc_string_destroy(ref) == 0, "agc_string_destroy == 0");
    }
    n = -1;
    list = agc_list_sample(h, &n);
    ok(list && n == 4 && !strcmp(list[0], "a") && !strcmp(list[1], "b") &&
       !strcmp(list[2], "c") && !strcmp(list[3], "ref") && list[4] == NULL,
       "agc_list_sample sorted: a b c ref");
    ok(agc_list_destroy(list) == 0, "agc_list_destroy == 0");

    ok(agc_n_ctg(h, "b") == 4, "agc_n_ctg(b) == 4");
    ok(agc_n_ctg(h, "ref") == 4, "agc_n_ctg(ref) == 4");
    ok(agc_n_ctg(h, "a") == 2, "agc_n_ctg(a) == 2");
    ok(agc_n_ctg(h, "c") == 3, "agc_n_ctg(c) == 3");
    ok(agc_n_ctg(h, "nosuch") == -1, "agc_n_ctg(unknown sample) == -1");
    ok(agc_n_ctg(h, NULL) == -1, "agc_n_ctg(NULL sample) == -1");

    n = -1;
    list = agc_list_ctg(h, "b", &n);
    ok(list && n == 4 && !strcmp(list[0], "chr1") && !strcmp(list[1], "g h i 21") &&
       !strcmp(list[2], "c") && !strcmp(list[3], "t") && list[4] == NULL,
       "agc_list_ctg(b): chr1, 'g h i 21', c, t");
    agc_list_destroy(list);
    n = 77;
    list = agc_list_ctg(h, "nosuch", &n);
    ok(list && list[0] == NULL && n == 0, "agc_list_ctg(unknown sample): empty list, n = 0");
    agc_list_destroy(list);
    n = 77;
    list = agc_list_ctg(h, NULL, &n);
    ok(list == NULL && n == 77, "agc_list_ctg(NULL sample) == NULL");
    agc_list_destroy(list);

    ok(agc_get_ctg_len(h, "b", "chr1") == 9, "len chr1@b == 9");
    ok(agc_get_ctg_len(h, "ref", "chr1") == 16, "len chr1@ref == 16");
    ok(agc_get_ctg_len(h, NULL, "chr1") == -2, "len chr1 (NULL sample) == -2: in ref and b");
    ok(agc_get_ctg_len(h, "", "chr1") == -2, "len chr1 (\"\" sample) == -2");
    ok(agc_get_ctg_len(h, NULL, "chr3") == 14, "len chr3 (NULL sample) == 14: only in ref");
    ok(agc_get_ctg_len(h, NULL, "chr1a") == 13, "len chr1a (NULL sample) == 13");
    ok(agc_get_ctg_len(h, NULL, "g") == 7, "len g (NULL sample) == 7: short name of 'g h i 21'");
    ok(agc_get_ctg_len(h, "b", "g") == 7, "len g@b == 7");
    ok(agc_get_ctg_len(h, "b", "g h i 21") == 7, "len 'g h i 21'@b == 7");
    ok(agc_get_ctg_len(h, NULL, "c") == 9, "len c (NULL sample) == 9: contig c of b");
    ok(agc_get_ctg_len(h, "c", "c") == -1, "len c@c == -1: sample c has no contig c");
    ok(agc_get_ctg_len(h, "c", "3") == 16, "len 3@c == 16");
    ok(agc_get_ctg_len(h, NULL, "chr9") == -1, "len of unknown contig == -1");
    ok(agc_get_ctg_len(h, "nosuch", "chr1") == -1, "len in unknown sample == -1");
    ok(agc_get_ctg_len(h, "a", "chr1") == -1, "len chr1@a == -1 (a has chr1a only)");
    ok(agc_get_ctg_len(h, "b", NULL) == -1, "len of NULL name == -1");

    r = fetch(h, "b", "chr1", 2, 5, buf, sizeof buf);
    ok(r == 4 && strcmp(buf, "AAAA") == 0, "seq chr1@b [2,5] == AAAA (r = %d)", r);
    r = fetch(h, "ref", "seq", 3, 6, buf, sizeof buf);
    ok(r == 4 && strcmp(buf, "GTGT") == 0, "seq seq@ref [3,6] == GTGT");
    r = fetch(h, NULL, "seq", 3, 6, buf, sizeof buf);
    ok(r == 4 && strcmp(buf, "GTGT") == 0, "seq seq (NULL sample) [3,6] == GTGT");
    r = fetch(h, NULL, "g", -1, -1, buf, sizeof buf);
    ok(r == 7 && strcmp(buf, "GGGAGGG") == 0, "seq g (NULL sample) whole == GGGAGGG");
    r = fetch(h, "b", "g", 3, 3, buf, sizeof buf);
    ok(r == 1 && strcmp(buf, "A") == 0, "seq g@b [3,3] == A");
    r = fetch(h, "ref", "chr1", -5, -1, buf, sizeof buf);
    ok(r == 16 && strcmp(buf, "AGCTAGCTAGCTAGCT") == 0, "both negative: whole contig");
    r = fetch(h, "ref", "chr2", -3, 3, buf, sizeof buf);
    ok(r == 4 && strcmp(buf, "TAAA") == 0, "negative start: from 0");
    r = fetch(h, "ref", "chr2", 11, -1, buf, sizeof buf);
    ok(r == 4 && strcmp(buf, "ATTT") == 0, "negative end: to the end");
    r = fetch(h, "ref", "chr3", 5, 2, buf, sizeof buf);
    ok(r == 14 && strcmp(buf, "TGGGGGGGGGGTTT") == 0, "start > end: whole contig");
    r = fetch(h, "c", "3", 10, 1000, buf, sizeof buf);
    ok(r == 6 && strcmp(buf, "AAAAAA") == 0, "end past the contig: stops at its end");
    r = fetch(h, "c", "3", 16, 20, buf, sizeof buf);
    ok(r == 0 && buf[0] == '\0', "start at the contig end: empty");
    r = fetch(h, "c", "3", 0, INT_MAX, buf, sizeof buf);
    ok(r == 16 && strcmp(buf, "TTTTCCCGGGAAAAAA") == 0, "end INT_MAX: whole contig");
    ok(agc_get_ctg_seq(h, NULL, "chr1", 0, 3, buf) == -1, "seq chr1 (NULL sample): ambiguous -> -1");
    ok(agc_get_ctg_seq(h, "", "chr1", 0, 3, buf) == -1, "seq chr1 (\"\" sample): ambiguous -> -1");
    ok(agc_get_ctg_seq(h, NULL, "chr9", 0, 3, buf) == -1, "seq of unknown contig == -1");
    ok(agc_get_ctg_seq(h, "nosuch", "chr1", 0, 3, buf) == -1, "seq in unknown sample == -1");
    ok(agc_get_ctg_seq(h, "b", "chr1", 0, 3, NULL) == -1, "seq into NULL buffer == -1");

    /* Several threads on one const handle. */
    {
        pthread_t th[N_THREADS];
        worker_arg w[N_THREADS];
        int started = 0, bad = 0;

        for (int i = 0; i < N_THREADS; i++) {
            w[i].h = h;
            w[i].seed = i + 1;
            w[i].bad = 0;
            if (pthread_create(&th[i], NULL, worker, &w[i]) != 0)
                break;
            started++;
        }
        for (int i = 0; i < started; i++) {
            pthread_join(th[i], NULL);
            bad += w[i].bad;
        }
        ok(started == N_THREADS && bad == 0,
           "%d threads x %d queries on one handle (%d wrong)", N_THREADS, N_ITER, bad);
    }

    ok(agc_close(h) == 0, "agc_close(toy.agc) == 0");

    /* Every toy archive: the file formats and agc versions that wrote them.
       Format 1 stores samples sorted by name, so its reference is "a". */
    check_archive("toy", "ref");
    check_archive("toy-agc30", "ref");
    check_archive("v3.1-toy", "ref");
    check_archive("v3.0-toy", "ref");
    check_archive("v2.1-toy", "ref");
    check_archive("v1.1-toy", "a");

    for (int s = 0; s < N_SAMPLES; s++)
        for (int c = 0; c < toy[s].n; c++) {
            free(toy[s].name[c]);
            free(toy[s].seq[c]);
        }

    if (n_test != PLAN) {
        int ran = n_test;

        printf("not ok %d - plan: ran %d tests, planned %d\n", ran + 1, ran, PLAN);
        n_fail++;
    }
    return n_fail ? 1 : 0;
}
