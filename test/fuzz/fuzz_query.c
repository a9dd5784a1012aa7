/* fuzz_query.c -- libFuzzer harness (c): getctg queries and faidx regions,
   fuzzed, on a fixed small archive.

   The archive is made once (LLVMFuzzerInitialize) by ragc_create from two
   FASTA files written here: sequences of a fixed pseudo-random generator
   with soft-masked stretches, contig names that look like queries
   ("a@b", "x:1-2", "chr1 with a description", a PanSN name), segments of
   100 bases so that ranges cross segment boundaries.

   Input: one byte (bit 0: a faidx region, else a getctg query; bits 1-7
   pick the faidx sample) then the text.  A getctg query is parsed by the
   command's parser (src/cli/query.c), resolved with ragc_find_contig_cli,
   and the range read with agc's rules; a faidx region is parsed by
   htslib's hts_parse_region over the sample's .fai names
   (src/cli/faidx_view.c), as ragc faidx does.  Whatever contig and range
   they name, the bases read must be that stretch of the FASTA written. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <htslib/hts.h>

#include "faidx_view.h"
#include "fuzz.h"
#include "query.h"
#include "ragc.h"

#define N_SAMPLES 2
#define MAX_CONTIGS 8

static const char *const NAMES[N_SAMPLES][MAX_CONTIGS] = {
    { "chr1 with a description", "chr2", "a@b", "x:1-2", "dup", "chrM", NULL },
    { "chr1", "chr2 alt", "dup", "HG1#1#c", "a", "b@ref", "{chr3}", NULL },
};
static const size_t LENGTHS[N_SAMPLES][MAX_CONTIGS] = {
    { 1000, 517, 64, 1, 250, 0 },
    { 1000, 530, 300, 77, 12, 5, 401 },
};

static char *expected[N_SAMPLES][MAX_CONTIGS];   /* the bases of each contig as written */
static ragc_archive *arc;
static ragc_decoder *dec;
static faidx_view *views[N_SAMPLES];

static uint32_t lcg = 12345;
static char random_base(int lower)
{
    lcg = lcg * 1103515245u + 12345u;
    char b = "ACGT"[(lcg >> 16) & 3];
    return lower ? (char)(b + 32) : b;
}

/* Writes sample s's FASTA (lines of 60) to a temporary file. */
static int write_sample(int s, char *path, size_t size)
{
    size_t cap = 16384, n = 0;
    char *text = malloc(cap);
    for (int c = 0; c < MAX_CONTIGS && NAMES[s][c]; c++) {
        size_t len = LENGTHS[s][c];
        char *seq = malloc(len + 1);
        for (size_t i = 0; i < len; i++) {
            /* sample 1 copies sample 0's chr1 with a few changes, so that it
               is stored as differences */
            if (s == 1 && c == 0 && i % 97 != 5)
                seq[i] = expected[0][0][i];
            else
                seq[i] = random_base(i % 200 >= 150);
        }
        seq[len] = '\0';
        expected[s][c] = seq;
        n += (size_t)snprintf(text + n, cap - n, ">%s\n", NAMES[s][c]);
        for (size_t i = 0; i < len; i += 60) {
            size_t k = len - i < 60 ? len - i : 60;
            memcpy(text + n, seq + i, k);
            n += k;
            text[n++] = '\n';
        }
    }
    int r = fz_temp_file(text, n, ".fa", path, size);
    free(text);
    return r;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fz_quiet();
    char fa[N_SAMPLES][512], out[512];
    char *paths[N_SAMPLES] = { fa[0], fa[1] };
    for (int s = 0; s < N_SAMPLES; s++)
        if (write_sample(s, fa[s], sizeof fa[s]) < 0)
            abort();
    static char *names[N_SAMPLES] = { "ref", "alt" };
    ragc_create_opts o;
    ragc_create_opts_init(&o);
    o.segment_size = 100;
    o.kmer_length = 17;
    o.min_match_len = 15;
    o.sample_names = names;
    if (fz_temp_file("", 0, ".agc", out, sizeof out) < 0 || ragc_create(out, paths, N_SAMPLES, &o) != RAGC_OK)
        abort();
    arc = ragc_open(out, NULL);
    dec = arc ? ragc_decoder_init(arc, 0) : NULL;
    for (int s = 0; s < N_SAMPLES; s++) {
        unlink(fa[s]);
        if (!dec || !(views[s] = faidx_view_open(arc, s)))
            abort();
    }
    unlink(out);   /* open: the archive lives on until the process ends */
    return 0;
}

/* Reads [from, to] of (s, c) and checks it against the FASTA written. */
static void check_range(int64_t s, int64_t c, int64_t from, int64_t to)
{
    FZ_ASSERT(s >= 0 && s < N_SAMPLES && c >= 0 && c < MAX_CONTIGS && expected[s][c], "a contig written");
    const char *want = expected[s][c];
    int64_t len = (int64_t)strlen(want);
    char *seq = NULL;
    int64_t n = -1;
    int r = ragc_contig_fetch(dec, s, c, from, to, &seq, &n);
    if (from < 0 || from > to) {
        FZ_ASSERT(r < 0, "a bad range is refused");
    } else if (r == RAGC_OK) {
        int64_t end = to >= len ? len - 1 : to;
        int64_t want_n = from > end ? 0 : end - from + 1;
        FZ_ASSERT(n == want_n, "the range has the bases asked for");
        FZ_ASSERT(n == 0 || memcmp(seq, want + from, (size_t)n) == 0, "the range = the FASTA's bases");
    } else {
        FZ_ASSERT(from >= len && len > 0, "a range of a contig reads unless it starts past the end");
    }
    free(seq);
}

static void getctg_query(const char *text)
{
    cli_query q;
    if (cli_query_parse(text, &q) < 0) {
        cli_query_free(&q);
        return;
    }
    int64_t s, c;
    if (ragc_find_contig_cli(arc, q.sample, q.contig, &s, &c) == RAGC_OK) {
        /* agc's range rules, as src/cli/get.c applies them */
        int64_t from = q.from, to = q.to;
        if (from < 0 && to < 0)
            from = 0, to = INT64_MAX;
        if (from < 0)
            from = 0;
        if (to < 0)
            to = INT64_MAX;
        if (from > to)
            from = 0, to = INT64_MAX;
        check_range(s, c, from, to);
    }
    cli_query_free(&q);
}

/* An exponent of more than 4 digits ("chr1:1E9099999999"): htslib's
   hts_parse_decimal multiplies by ten once per unit of the exponent (up to
   INT_MAX times, seconds of CPU; samtools faidx the same).  That is
   htslib's, not ours: such regions are left out. */
static int huge_exponent(const char *text)
{
    for (const char *p = text; *p; p++)
        if ((*p == 'e' || *p == 'E') && strspn(p + 1 + (p[1] == '+' || p[1] == '-'), "0123456789") > 4)
            return 1;
    return 0;
}

static void faidx_region(int64_t s, const char *text)
{
    if (huge_exponent(text))
        return;
    int tid;
    hts_pos_t beg, end;
    faidx_view *v = views[s];
    const char *ok = hts_parse_region(text, &tid, &beg, &end, faidx_view_name2id, v, 0);
    int64_t other;
    if (!ok)
        (void)faidx_locate(arc, text, &other);
    if (!ok || tid < 0)
        return;
    int64_t len = ragc_vfasta_contig_length(faidx_view_fasta(v), tid);
    FZ_ASSERT(len >= 0, "a region's contig has a length");
    /* ragc faidx's clamping (src/cli/faidx.c, as htslib's faidx: a
       negative start, from "name:0-N" or "name:-", counts as past the end) */
    if (beg < 0 || beg >= len)
        beg = len;
    if (end < 0 || end >= len)
        end = len;
    if (beg >= end)
        return;
    check_range(s, tid, beg, end - 1);
    /* and through the virtual FASTA's own stream */
    fz_sink k = { 0, 0, NULL, 0 };
    FZ_ASSERT(ragc_vfasta_stream(faidx_view_fasta(v), tid, beg, end - 1, fz_sink_fn, &k) == RAGC_OK &&
                  k.n == (size_t)(end - beg),
              "ragc_vfasta_stream gives the region");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    fz_reader rd = { data, size };
    uint8_t opt = fz_u8(&rd);
    char *text = fz_string(&rd, '\0');
    if (!text)
        return 0;
    if (opt & 1)
        faidx_region((opt >> 1) % N_SAMPLES, text);
    else
        getctg_query(text);
    free(text);
    return 0;
}
