/* test_collection_lazy.c -- format 3 collections load samples on demand:
   the first sample asked of a batch alone, the rest of the batch on the
   next (src/format/collection.h).  In-group ids are coded against earlier
   samples of the batch, so a sample asked first from the middle or the end
   of a batch, and the samples before it asked afterwards, must decode as
   their input files hold them.

   Fixtures: compat/archives/v3.*-hsmt20-b3.agc (agc 3.0 and 3.1, batches of
   3 samples) made from data/hsmt-50/SAMPLE.fa (one record each), see
   test/data/compat/cases.tsv. */
#include <ctype.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "ragc.h"
#include "tap.h"

typedef struct {
    char *s;
    size_t n, cap;
} buf_t;

static int collect(void *ctx, const char *seq, size_t len)
{
    buf_t *b = ctx;
    if (b->n + len > b->cap) {
        size_t cap = (b->n + len) * 2;
        char *p = realloc(b->s, cap);
        if (!p)
            return RAGC_ERR_NOMEM;
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->n, seq, len);
    b->n += len;
    return RAGC_OK;
}

/* The first record of a FASTA file: its name (first word) and bases. */
static int read_record(const char *path, char **name, buf_t *seq)
{
    size_t len;
    char *text = tap_slurp(path, &len);
    if (!text || len == 0 || text[0] != '>') {
        free(text);
        return -1;
    }
    char *eol = strchr(text, '\n');
    if (!eol) {
        free(text);
        return -1;
    }
    size_t nl = strcspn(text + 1, " \t\r\n");
    *name = strndup(text + 1, nl);
    seq->n = 0;
    for (char *p = eol + 1; *p && *p != '>'; p++)
        if (!isspace((unsigned char)*p) && collect(seq, p, 1) < 0)
            break;
    free(text);
    return *name ? 0 : -1;
}

/* Samples in an order that starts each batch somewhere else: the middle of
   batch 1, then its first and last, the end of the archive, the start. */
static const int64_t order[] = { 4, 3, 5, 19, 18, 0, 2, 1, 7, 6, 8, 11, 10, 9,
                                 13, 12, 14, 15, 17, 16 };
#define N_ORDER (sizeof order / sizeof order[0])

static void test_archive(const char *rel)
{
    char path[4096];
    ragc_archive *arc = ragc_open(tap_shared_path(path, sizeof path, rel), NULL);
    ragc_decoder *dec = arc ? ragc_decoder_init(arc, 0) : NULL;
    int ok = arc && dec && ragc_n_samples(arc) == (int64_t)N_ORDER;
    size_t good = 0;
    buf_t want = { 0 }, got = { 0 };
    for (size_t i = 0; ok && i < N_ORDER; i++) {
        int64_t s = order[i];
        char rel_fa[256], fa[4096], *name = NULL;
        snprintf(rel_fa, sizeof rel_fa, "data/hsmt-50/%s.fa", ragc_sample_name(arc, s));
        if (read_record(tap_shared_path(fa, sizeof fa, rel_fa), &name, &want) < 0) {
            tap_diag("cannot read %s", fa);
            ok = 0;
            break;
        }
        got.n = 0;
        const char *cname = ragc_n_contigs(arc, s) == 1 ? ragc_contig_name(arc, s, 0) : NULL;
        int r = cname ? ragc_contig_stream(dec, s, 0, 0, INT64_MAX, collect, &got) : RAGC_ERR_NO_CONTIG;
        if (r == RAGC_OK && strcmp(cname, name) == 0 && got.n == want.n
            && memcmp(got.s, want.s, want.n) == 0)
            good++;
        else
            tap_diag("%s: sample %" PRId64 " (%s) differs from %s", rel, s,
                     ragc_sample_name(arc, s), rel_fa);
        free(name);
    }
    tap_ok(ok && good == N_ORDER, "%s: %zu/%zu samples asked out of batch order read as their FASTA",
           rel, good, N_ORDER);
    free(want.s);
    free(got.s);
    ragc_decoder_destroy(dec);
    ragc_close(arc);
}

int main(void)
{
    hts_set_log_level(HTS_LOG_OFF);
    tap_plan(2);
    test_archive("compat/archives/v3.0-hsmt20-b3.agc");
    test_archive("compat/archives/v3.1-hsmt20-b3.agc");
    return tap_done();
}
