/* fuzz_archive.c -- libFuzzer harness (a): the input is an archive, opened
   from memory (rg_archive_open_io over rg_io_open_mem), and everything it
   lists is read: parameters, file_type_info, command lines, samples,
   contigs with their names and lengths, each contig whole and in a range,
   the original form (ragc-original) of each sample, the contig MD5s
   (ragc-md5) and a lookup by MD5, the virtual FASTA and its .fai; then the
   same archive through agc's API (agc-api.h, from a temporary file).
   Damaged input must give errors, never a crash, a leak or a hang.

   Decoding is capped (FZ_BUDGET bytes an input, shared by every call): a
   damaged archive may claim contigs of 2^60 bases, and a fuzzer wants
   many inputs a second rather than every base of a large seed. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "agc-api.h"
#include "archive.h"
#include "fuzz.h"
#include "io.h"
#include "ragc.h"

#define FZ_BUDGET ((size_t)1 << 18)
#define FZ_MAX_SAMPLES 16
#define FZ_MAX_CONTIGS 32

static size_t budget;   /* bytes left to decode for this input */

/* A capped sink for the next call; spend() charges what it took. */
static fz_sink capped(void)
{
    return (fz_sink){ 0, budget ? budget : 1, NULL, 0 };
}

static void spend(const fz_sink *k)
{
    budget = k->n >= budget ? 0 : budget - k->n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fz_quiet();
    return 0;
}

static void read_contig(ragc_archive *arc, ragc_decoder *dec, int64_t s, int64_t c)
{
    (void)ragc_contig_name(arc, s, c);
    int64_t len = ragc_contig_length(arc, dec, s, c);
    if (!budget)
        return;
    fz_sink k = capped();
    (void)ragc_contig_stream(dec, s, c, 0, INT64_MAX, fz_sink_fn, &k);
    spend(&k);
    if (len > 2 && budget) {
        /* a range in the middle, through the fetch convenience */
        char *seq = NULL;
        int64_t n = 0;
        int64_t from = len / 3, to = from + (len / 3 < 4096 ? len / 3 : 4096);
        if (ragc_contig_fetch(dec, s, c, from, to, &seq, &n) == RAGC_OK && n > to - from + 1) {
            free(seq);
            fz_fail(__FILE__, __LINE__, "ragc_contig_fetch gave more than the range");
        }
        free(seq);
    }
    uint8_t md5[16];
    (void)ragc_contig_md5(dec, s, c, md5);
}

static void read_vfasta(ragc_archive *arc, int64_t s)
{
    ragc_vfasta *vf = ragc_vfasta_open(arc, s, 0, NULL);
    if (!vf)
        return;
    uint64_t size = ragc_vfasta_size(vf);
    char buf[4096];
    uint64_t offs[3] = { 0, size / 2, size > sizeof buf ? size - sizeof buf : 0 };
    for (int i = 0; i < 3; i++)
        (void)ragc_vfasta_read(vf, offs[i], buf, sizeof buf);
    char *fai = NULL;
    size_t fai_len;
    if (ragc_vfasta_n_contigs(vf) <= FZ_MAX_CONTIGS && ragc_vfasta_fai(vf, &fai, &fai_len) == RAGC_OK)
        free(fai);
    ragc_vfasta_close(vf);
}

static void read_sample(ragc_archive *arc, ragc_decoder *dec, int64_t s)
{
    (void)ragc_sample_name(arc, s);
    int64_t nc = ragc_n_contigs(arc, s);
    for (int64_t c = 0; c < nc && c < FZ_MAX_CONTIGS; c++)
        read_contig(arc, dec, s, c);
    if (ragc_has_original(dec, s) == 1 && budget) {
        fz_sink k = capped();
        (void)ragc_sample_original(dec, s, fz_sink_fn, &k);
        spend(&k);
    }
    if (nc > 0 && nc <= FZ_MAX_CONTIGS && budget)
        read_vfasta(arc, s);
}

/* agc's API opens paths only: the same bytes from a temporary file. */
static void through_agc_api(const uint8_t *data, size_t size)
{
    char path[512];
    if (fz_temp_file(data, size, ".agc", path, sizeof path) < 0)
        return;
    agc_t *agc = agc_open(path, 0);
    if (agc) {
        int n = 0;
        char **samples = agc_list_sample(agc, &n);
        for (int i = 0; samples && i < n && i < 4; i++) {
            int nc = 0;
            char **ctgs = agc_list_ctg(agc, samples[i], &nc);
            for (int c = 0; ctgs && c < nc && c < 4; c++) {
                int len = agc_get_ctg_len(agc, samples[i], ctgs[c]);
                if (len > 0 && len < 4096) {
                    char *buf = malloc((size_t)len + 2);
                    if (buf && agc_get_ctg_seq(agc, samples[i], ctgs[c], 0, len - 1, buf) > len)
                        fz_fail(__FILE__, __LINE__, "agc_get_ctg_seq wrote past the length");
                    free(buf);
                }
            }
            agc_list_destroy(ctgs);
        }
        agc_list_destroy(samples);
        agc_string_destroy(agc_reference_sample(agc));
        agc_close(agc);
    }
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rg_io *io = rg_io_open_mem(data, size);
    if (!io)
        return 0;
    ragc_archive *arc = rg_archive_open_io(io, NULL);
    if (!arc)
        return 0;
    budget = FZ_BUDGET;
    const ragc_params *p = ragc_get_params(arc);
    (void)p;
    for (int i = 0; i < ragc_n_file_info(arc); i++) {
        const char *k, *v;
        (void)ragc_file_info(arc, i, &k, &v);
    }
    for (int i = 0; i < ragc_n_cmd_lines(arc); i++) {
        const char *c, *t;
        (void)ragc_cmd_line(arc, i, &c, &t);
    }
    (void)ragc_reference(arc);
    /* a small private cache now and then, to exercise eviction */
    ragc_decoder *dec = ragc_decoder_init(arc, size & 1 ? 4096 : 0);
    int64_t ns = ragc_n_samples(arc);
    for (int64_t s = 0; dec && s < ns && s < FZ_MAX_SAMPLES; s++)
        read_sample(arc, dec, s);
    if (dec && ns > 0 && rg_container_find(&arc->ctr, "ragc-md5") >= 0) {
        /* a lookup by an MD5 the archive lacks walks every sample's stored
           MD5s (without the stream it would decode every contig, uncapped) */
        static const uint8_t zero[16];
        int64_t fs, fc;
        (void)ragc_find_md5(dec, zero, &fs, &fc);
        const char *ref = ragc_reference(arc);
        int64_t c;
        if (ref && ragc_find_contig(arc, ref, "chr1", &fs, &c) == RAGC_OK)
            (void)ragc_contig_name(arc, fs, c);
    }
    ragc_decoder_destroy(dec);
    ragc_close(arc);
    through_agc_api(data, size);
    return 0;
}
