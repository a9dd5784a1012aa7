/* fuzz_fasta.c -- libFuzzer harness (b): the FASTA reader and the create
   pipeline on small inputs, with round trips as oracles.

   Input: one byte of options, then FASTA text (a seed is a FASTA file with
   a byte in front).  Options: bit 0 -- a second sample (the text is split
   in two files where the second byte of options says); bit 1 -- store as
   agc does (no_original); bit 2 -- small segments (segment_size 100, k 17)
   so that even short input is split; bit 3 -- concatenated (-c).

   1. The reader, strict (agc's rules) and lossless: when the strict reader
      takes the whole file, the lossless one must give the same headers and
      codes.
   2. ragc_create_fd into a temporary file, read back from memory: with the
      original form (the default) each sample's ragc_sample_original must be
      its input file byte for byte; with no_original each contig must read
      as the strict reader's codes under the header's name. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "archive.h"
#include "fasta_in.h"
#include "fuzz.h"
#include "io.h"
#include "ragc.h"

#define FZ_MAX_INPUT 65536
#define FZ_MAX_RECORDS 256

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fz_quiet();
    return 0;
}

/* The records of a FASTA file as one reader gives them. */
typedef struct {
    size_t n;
    kstring_t header[FZ_MAX_RECORDS];
    rg_bytes codes[FZ_MAX_RECORDS];
    int status;     /* 0: read to the end; < 0: the reader's error; 1: too many records */
} fz_records;

static void records_free(fz_records *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        free(rs->header[i].s);
        free(rs->codes[i].s);
    }
    rs->n = 0;
}

static void read_records(const char *path, int lossless, fz_records *rs)
{
    rs->n = 0;
    rs->status = RAGC_ERR_IO;
    rg_fasta_in *f = rg_fasta_in_open_mode(path, lossless);
    if (!f)
        return;
    for (;;) {
        if (rs->n == FZ_MAX_RECORDS) {
            rs->status = 1;
            break;
        }
        kstring_t *h = &rs->header[rs->n];
        rg_bytes *c = &rs->codes[rs->n];
        *h = (kstring_t)KS_INITIALIZE;
        *c = (rg_bytes){ 0 };
        int r = rg_fasta_in_header(f, h);   /* 1: a record */
        if (r > 0 && (r = rg_fasta_in_sequence(f, h->s ? h->s : "", h->l, c)) == 0)
            r = 1;
        if (r <= 0) {
            free(h->s);
            free(c->s);
            rs->status = r;
            break;
        }
        rs->n++;
    }
    if (lossless) {
        rg_orig_sample s = { 0 };
        (void)rg_fasta_in_take_original(f, &s);
        rg_bytes blob = { 0 };
        if (rs->status == 0 && rg_orig_encode(&s, &blob) == 0) {
            rg_orig_sample back = { 0 };
            FZ_ASSERT(rg_orig_decode(blob.s, blob.len, &back) == 0, "an encoded original form decodes");
            FZ_ASSERT(back.n_rec == s.n_rec, "decoded original form has the records encoded");
            rg_orig_sample_free(&back);
        }
        free(blob.s);
        rg_orig_sample_free(&s);
    }
    rg_fasta_in_close(f);
}

static void compare_readers(const char *path, fz_records *strict)
{
    fz_records lossless;
    read_records(path, 0, strict);
    read_records(path, 1, &lossless);
    if (strict->status == 0) {
        FZ_ASSERT(lossless.status == 0, "lossless reader takes what the strict one takes");
        FZ_ASSERT(lossless.n == strict->n, "both readers give the same records");
        for (size_t i = 0; i < strict->n; i++) {
            FZ_ASSERT(lossless.header[i].l == strict->header[i].l &&
                      memcmp(lossless.header[i].s, strict->header[i].s, strict->header[i].l) == 0,
                      "both readers give the same header");
            FZ_ASSERT(lossless.codes[i].len == strict->codes[i].len &&
                      (!strict->codes[i].len ||
                       memcmp(lossless.codes[i].s, strict->codes[i].s, strict->codes[i].len) == 0),
                      "both readers give the same codes");
        }
    }
    records_free(&lossless);
}

/* ragc_create_fd into a temporary file; its bytes, or NULL when create
   refused the input. */
static uint8_t *create(char **paths, size_t n, const ragc_create_opts *o, size_t *len)
{
    char path[512];
    if (fz_temp_file("", 0, ".agc", path, sizeof path) < 0)
        return NULL;
    int fd = open(path, O_WRONLY | O_TRUNC);
    uint8_t *bytes = NULL;
    if (fd >= 0) {
        int r = ragc_create_fd(fd, paths, n, o);
        close(fd);
        if (r == RAGC_OK)
            bytes = fz_read_file(path, len);
    }
    unlink(path);
    return bytes;
}

static const char CODE_CHARS[] = "ACGTNRYSWKMBDHVU";

static void check_canonical(ragc_archive *arc, ragc_decoder *dec, int64_t s, const fz_records *rs)
{
    if (rs->status != 0)
        return;
    FZ_ASSERT(ragc_n_contigs(arc, s) == (int64_t)rs->n, "a contig per record");
    for (size_t i = 0; i < rs->n; i++) {
        const char *h = rs->header[i].s ? rs->header[i].s : "";
        int high = 0;   /* bytes >= 0x80 are stored as %XX (ragc.h) */
        for (const char *p = h; *p; p++)
            high |= (unsigned char)*p >= 0x80;
        FZ_ASSERT(high || strcmp(ragc_contig_name(arc, s, (int64_t)i), h) == 0, "contig name = header");
        char *seq = NULL;
        int64_t len = 0;
        FZ_ASSERT(ragc_contig_fetch(dec, s, (int64_t)i, 0, INT64_MAX, &seq, &len) == RAGC_OK, "contig reads");
        FZ_ASSERT(len == (int64_t)rs->codes[i].len, "contig length = record length");
        for (int64_t j = 0; j < len; j++)
            FZ_ASSERT(seq[j] == CODE_CHARS[rs->codes[i].s[j] & 15], "contig = record's bases");
        free(seq);
    }
}

typedef struct {
    const uint8_t *want;
    size_t len, at;
    int differs;
} fz_expect;

static int expect_sink(void *ctx, const char *s, size_t n)
{
    fz_expect *e = ctx;
    if (n > e->len - e->at || memcmp(e->want + e->at, s, n) != 0)
        e->differs = 1;
    else
        e->at += n;
    return e->differs;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > FZ_MAX_INPUT)
        return 0;
    uint8_t opt = data[0], cut_byte = data[1];
    const uint8_t *text = data + 1;
    size_t text_len = size - 1;
    int two = opt & 1;
    size_t cut = two ? text_len * cut_byte / 256 : text_len;
    const uint8_t *part[2] = { text, text + cut };
    size_t part_len[2] = { cut, text_len - cut };
    size_t n_files = two ? 2 : 1;

    char paths[2][512];
    char *pv[2] = { paths[0], paths[1] };
    size_t made = 0;
    for (; made < n_files; made++)
        if (fz_temp_file(part[made], part_len[made], ".fa", paths[made], sizeof paths[made]) < 0)
            break;
    if (made < n_files)
        goto done;

    fz_records strict[2];
    for (size_t i = 0; i < n_files; i++)
        compare_readers(paths[i], &strict[i]);

    ragc_create_opts o;
    ragc_create_opts_init(&o);
    o.no_original = (opt >> 1) & 1;
    if (opt & 4) {
        o.segment_size = 100;
        o.kmer_length = 17;
        o.min_match_len = 15;
    }
    o.concatenated = (opt >> 3) & 1;
    size_t alen;
    uint8_t *arch = create(pv, n_files, &o, &alen);
    if (arch) {
        ragc_archive *arc = rg_archive_open_io(rg_io_open_mem(arch, alen), NULL);
        FZ_ASSERT(arc, "the archive create wrote opens");
        ragc_decoder *dec = ragc_decoder_init(arc, 0);
        FZ_ASSERT(dec, "a decoder");
        int64_t ns = ragc_n_samples(arc);
        if (!o.concatenated) {
            FZ_ASSERT(ns == (int64_t)n_files, "a sample per file");
            for (size_t i = 0; i < n_files; i++) {
                if (o.no_original) {
                    check_canonical(arc, dec, (int64_t)i, &strict[i]);
                    continue;
                }
                fz_expect e = { part[i], part_len[i], 0, 0 };
                FZ_ASSERT(ragc_sample_original(dec, (int64_t)i, expect_sink, &e) == RAGC_OK,
                          "ragc_sample_original reads");
                FZ_ASSERT(!e.differs && e.at == e.len, "ragc_sample_original = the input file");
            }
        } else {
            /* -c: the samples' original forms together are the input */
            size_t at = 0;
            for (int64_t s = 0; s < ns && !o.no_original; s++) {
                fz_expect e = { text, text_len, at, 0 };
                FZ_ASSERT(ragc_sample_original(dec, s, expect_sink, &e) == RAGC_OK, "ragc_sample_original reads");
                FZ_ASSERT(!e.differs, "ragc_sample_original = the input's part");
                at = e.at;
            }
            FZ_ASSERT(o.no_original || at == text_len, "-c: the samples' original forms = the input");
        }
        ragc_decoder_destroy(dec);
        ragc_close(arc);
        free(arch);
    }
    for (size_t i = 0; i < n_files; i++)
        records_free(&strict[i]);
done:
    for (size_t i = 0; i < made; i++)
        unlink(paths[i]);
    return 0;
}
