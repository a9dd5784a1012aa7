/* test_threads.c -- TAP stress test: 16 threads read random ranges of one
   archive at once through the native API (one decoder a thread on a shared
   archive whose part cache is kept tiny, so that parts are evicted while
   other threads hold them), agc-api.h (one shared handle) and, when the
   plugin is there, htslib handles on `agc:SAMPLE@PATH` (one a thread, one
   open archive shared by all; archive_pool.h), and checks every base.

   The expected bases are decoded first, on one thread.  Run plainly it
   checks results; built with ThreadSanitizer (`make tsan`, see Makefile)
   it also checks that the library and plugin are free of data races.
   RAGC_STRESS_SECONDS (default 2) bounds the run. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <htslib/hfile.h>

#include "agc-api.h"
#include "ragc.h"
#include "tap.h"

#define N_THREADS 16
#define LINE RAGC_VFASTA_LINE_WIDTH

typedef struct {
    char *sample, *name;
    char *seq;
    int64_t len;
    int64_t sample_idx, contig_idx;
    uint64_t fasta_off;   /* where the contig's bases start in the sample's virtual FASTA */
} contig_truth;

static struct {
    const char *path;
    ragc_archive *arc;
    agc_t *agc;
    contig_truth *ctg;
    int n_ctg;
    int use_plugin;
    double seconds;
} S;

typedef struct {
    unsigned seed;
    long checks[3], bad[3];
} worker;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int64_t rnd(unsigned *seed, int64_t n)
{
    return n > 0 ? (int64_t)(rand_r(seed) % (unsigned)n) : 0;
}

static int check_native(ragc_decoder *dec, const contig_truth *c, int64_t from, int64_t to)
{
    char *seq;
    int64_t len;
    int r = ragc_contig_fetch(dec, c->sample_idx, c->contig_idx, from, to, &seq, &len);
    int ok = r == RAGC_OK && len == to - from + 1 && memcmp(seq, c->seq + from, (size_t)len) == 0;
    free(r == RAGC_OK ? seq : NULL);
    return ok;
}

static int check_agc(const contig_truth *c, int64_t from, int64_t to)
{
    char *buf = malloc((size_t)(to - from + 2));
    int n = buf ? agc_get_ctg_seq(S.agc, c->sample, c->name, (int)from, (int)to, buf) : -1;
    int ok = n == to - from + 1 && memcmp(buf, c->seq + from, (size_t)n) == 0;
    free(buf);
    return ok;
}

/* Reads bases [from, to] of c through an htslib handle on its sample's
   virtual FASTA (lines of LINE bases). */
static int check_plugin(const contig_truth *c, int64_t from, int64_t to)
{
    char url[4096];
    snprintf(url, sizeof url, "agc:%s@%s", c->sample, S.path);
    hFILE *h = hopen(url, "r");
    if (!h)
        return 0;
    int64_t n = to - from + 1;
    uint64_t start = c->fasta_off + (uint64_t)from + (uint64_t)(from / LINE);
    uint64_t span = (uint64_t)n + (uint64_t)(to / LINE - from / LINE);
    char *text = malloc(span), *bases = malloc((size_t)n);
    int ok = text && bases && hseek(h, (off_t)start, SEEK_SET) == (off_t)start
             && hread(h, text, span) == (ssize_t)span;
    int64_t k = 0;
    for (uint64_t i = 0; ok && i < span; i++)
        if (text[i] != '\n')
            bases[k < n ? k : 0] = text[i], k++;
    ok = ok && k == n && memcmp(bases, c->seq + from, (size_t)n) == 0;
    free(text);
    free(bases);
    if (hclose(h) < 0)
        ok = 0;
    return ok;
}

static void *run(void *p)
{
    worker *w = p;
    ragc_decoder *dec = ragc_decoder_init(S.arc, 0);   /* shares the archive's tiny cache */
    double end = now() + S.seconds;
    while (dec && now() < end) {
        const contig_truth *c = &S.ctg[rnd(&w->seed, S.n_ctg)];
        int64_t from = rnd(&w->seed, c->len), span = 1 + rnd(&w->seed, 5000);
        int64_t to = from + span - 1 < c->len - 1 ? from + span - 1 : c->len - 1;
        int way = (int)rnd(&w->seed, S.use_plugin ? 3 : 2);
        int ok = way == 0 ? check_native(dec, c, from, to)
               : way == 1 ? check_agc(c, from, to)
                          : check_plugin(c, from, to);
        w->checks[way]++;
        w->bad[way] += !ok;
    }
    ragc_decoder_destroy(dec);
    return NULL;
}

/* The truth: every contig of every sample, decoded on one thread. */
static int load_truth(void)
{
    ragc_decoder *dec = ragc_decoder_init(S.arc, 0);
    int64_t ns = ragc_n_samples(S.arc);
    for (int64_t s = 0; dec && s < ns; s++) {
        int64_t nc = ragc_n_contigs(S.arc, s);
        uint64_t off = 0;
        for (int64_t c = 0; c < nc; c++) {
            contig_truth *t = realloc(S.ctg, (size_t)(S.n_ctg + 1) * sizeof *t);
            if (!t)
                return -1;
            S.ctg = t;
            t = &S.ctg[S.n_ctg++];
            t->sample = strdup(ragc_sample_name(S.arc, s));
            t->name = strdup(ragc_contig_name(S.arc, s, c));
            t->sample_idx = s;
            t->contig_idx = c;
            if (ragc_contig_fetch(dec, s, c, 0, INT64_MAX, &t->seq, &t->len) < 0)
                return -1;
            t->fasta_off = off + strlen(t->name) + 2;   /* '>' name '\n' */
            off = t->fasta_off + (uint64_t)t->len + (uint64_t)((t->len + LINE - 1) / LINE);
        }
    }
    ragc_decoder_destroy(dec);
    return dec ? 0 : -1;
}

int main(void)
{
    tap_need_shared();
    char path[4096], so[4096];
    S.path = tap_shared_path(path, sizeof path, "compat/archives/hsmt-small.agc");
    const char *dir = getenv("RAGC_PLUGIN_DIR"), *secs = getenv("RAGC_STRESS_SECONDS");
    S.seconds = secs && atof(secs) > 0 ? atof(secs) : 2.0;
    snprintf(so, sizeof so, "%s/hfile_agc.so", dir && *dir ? dir : ".");
    S.use_plugin = access(so, R_OK) == 0;
    if (S.use_plugin)
        setenv("HTS_PATH", dir && *dir ? dir : ".", 1);
    tap_plan(5);

    int st;
    S.arc = ragc_open(S.path, &st);
    S.agc = agc_open(path, 0);
    int ready = S.arc && S.agc && load_truth() == 0 && S.n_ctg > 0;
    tap_ok(ready, "hsmt-small: %d contigs decoded as the truth", S.n_ctg);
    if (!ready)
        return tap_done();
    ragc_set_cache_bytes(S.arc, 64 << 10);   /* a few parts: constant eviction */

    pthread_t th[N_THREADS];
    worker w[N_THREADS];
    int started = 0;
    for (int i = 0; i < N_THREADS; i++) {
        w[i] = (worker){ .seed = 1234u + (unsigned)i * 7919u };
        started += pthread_create(&th[i], NULL, run, &w[i]) == 0;
    }
    long checks[3] = { 0 }, bad[3] = { 0 };
    for (int i = 0; i < started; i++) {
        pthread_join(th[i], NULL);
        for (int k = 0; k < 3; k++) {
            checks[k] += w[i].checks[k];
            bad[k] += w[i].bad[k];
        }
    }
    tap_ok(started == N_THREADS, "%d threads ran for %.1f s", started, S.seconds);
    tap_ok(checks[0] > 0 && bad[0] == 0, "native API: %ld of %ld random ranges wrong", bad[0], checks[0]);
    tap_ok(checks[1] > 0 && bad[1] == 0, "agc-api.h: %ld of %ld random ranges wrong", bad[1], checks[1]);
    if (S.use_plugin)
        tap_ok(checks[2] > 0 && bad[2] == 0, "plugin: %ld of %ld random ranges wrong", bad[2], checks[2]);
    else
        printf("ok %d - plugin # skip no plugin at %s (not built in ASan builds)\n", ++tap_state()->run, so);

    for (int i = 0; i < S.n_ctg; i++) {
        free(S.ctg[i].sample);
        free(S.ctg[i].name);
        free(S.ctg[i].seq);
    }
    free(S.ctg);
    agc_close(S.agc);
    ragc_close(S.arc);
    return tap_done();
}
