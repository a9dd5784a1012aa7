/* fuzz_ext.c -- libFuzzer harness (e): the decoders of ragc's extension
   streams (docs/lossless.md section 7), fed directly.  The first byte
   picks one (modulo 5), the rest is its input:
     0  a sample's original-form blob (rg_orig_decode): decoded whole, then
        rendered record by record with bases of the lengths it gives,
        applied to a window, and encoded again: the encoding must decode
        to the same description;
     1  the same blob read record by record (rg_orig_blob_records,
        rg_orig_decode_record, rg_orig_blob_bases): the record counts and
        base counts must agree with the whole decode;
     2  a stream's index (rg_orig_index_decode), used by ragc-original and
        ragc-md5 alike;
     3  a batch (rg_orig_batch_blob): two bytes give the sample count and
        the sample asked for;
     4  a packed part (rg_orig_unpack, zstd): a byte (0xff: any size),
        four bytes of metadata (the content size) and a byte saying how
        much of the rest is the prefix.
   The ragc-md5 stream's blobs are 16 bytes a contig in the same batches;
   their use (src/read/md5.c) is exercised through whole archives by
   fuzz_archive. */
#include <stdlib.h>

#include <zstd.h>

#include "fuzz.h"
#include "original.h"
#include "original_store.h"
#include "ragc.h"

#define FZ_MAX_BASES ((uint64_t)1 << 20)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fz_quiet();
    return 0;
}

static int null_sink(void *ctx, const char *s, size_t n)
{
    (void)s;
    *(size_t *)ctx += n;
    return 0;
}

static uint64_t total_bases(const rg_orig_sample *s)
{
    uint64_t t = 0;
    for (size_t i = 0; i < s->n_rec; i++)
        t += s->rec[i].n_bases < FZ_MAX_BASES ? s->rec[i].n_bases : FZ_MAX_BASES;
    return t;
}

static void render_all(const rg_orig_sample *s)
{
    static char bases[4096];
    memset(bases, 'A', sizeof bases);
    if (total_bases(s) >= FZ_MAX_BASES)
        return;
    size_t out = 0;
    (void)rg_orig_render_preamble(s, null_sink, &out);
    rg_orig_render *w = malloc(sizeof *w);
    for (size_t i = 0; w && i < s->n_rec; i++) {
        if (rg_orig_render_begin(w, s, i, "name", 4, null_sink, &out) < 0)
            continue;
        uint64_t left = s->rec[i].n_bases;
        while (left) {
            size_t k = left < sizeof bases ? (size_t)left : sizeof bases;
            if (rg_orig_render_bases(w, bases, k) < 0)
                break;
            left -= k;
        }
        (void)rg_orig_render_end(w);
        /* a window of the record, in place */
        char win[64];
        uint64_t nb = s->rec[i].n_bases;
        uint64_t from = nb > sizeof win ? nb / 2 : 0;
        size_t n = nb - from < sizeof win ? (size_t)(nb - from) : sizeof win;
        memset(win, 'C', sizeof win);
        (void)rg_orig_apply(s, i, from, win, n);
    }
    free(w);
}

static void whole_blob(const uint8_t *p, size_t n)
{
    rg_orig_sample s = { 0 };
    if (rg_orig_decode(p, n, &s) == RAGC_OK) {
        render_all(&s);
        rg_bytes enc = { 0 };
        if (rg_orig_encode(&s, &enc) == RAGC_OK) {
            rg_orig_sample back = { 0 };
            FZ_ASSERT(rg_orig_decode(enc.s, enc.len, &back) == RAGC_OK, "an encoded description decodes");
            FZ_ASSERT(back.n_rec == s.n_rec && back.n_bytes == s.n_bytes && back.preamble_len == s.preamble_len &&
                          back.n_lines == s.n_lines && back.n_eols == s.n_eols && back.n_lower == s.n_lower &&
                          back.n_exc == s.n_exc && back.n_ins == s.n_ins,
                      "encode then decode gives the same description");
            FZ_ASSERT(!s.n_bytes || memcmp(back.bytes, s.bytes, s.n_bytes) == 0, "the same header bytes");
            for (size_t i = 0; i < s.n_rec; i++)
                FZ_ASSERT(back.rec[i].n_bases == s.rec[i].n_bases, "the same base counts");
            rg_orig_sample_free(&back);
        }
        free(enc.s);
    }
    rg_orig_sample_free(&s);
}

static void blob_by_record(const uint8_t *p, size_t n)
{
    uint64_t n_rec;
    if (rg_orig_blob_records(p, n, &n_rec) != RAGC_OK)
        return;
    rg_orig_sample whole = { 0 }, one = { 0 };
    int whole_ok = rg_orig_decode(p, n, &whole) == RAGC_OK;
    if (whole_ok)
        FZ_ASSERT(whole.n_rec == n_rec, "rg_orig_blob_records = the records decoded");
    for (uint64_t i = 0; i < n_rec && i < 64; i++)
        if (rg_orig_decode_record(p, n, i, &one) == RAGC_OK && whole_ok)
            FZ_ASSERT(one.n_rec == 1 && one.rec[0].n_bases == whole.rec[i].n_bases,
                      "a record alone = the same record decoded whole");
    if (n_rec <= 4096) {
        uint64_t *bases = malloc((n_rec ? n_rec : 1) * sizeof *bases);
        uint64_t *starts = malloc((n_rec + 1) * sizeof *starts);
        if (bases && starts && rg_orig_blob_bases(p, n, bases, n_rec, starts, &one) == RAGC_OK
            && whole_ok)
            for (uint64_t i = 0; i < n_rec; i++) {
                FZ_ASSERT(bases[i] == whole.rec[i].n_bases, "rg_orig_blob_bases = the records decoded");
                FZ_ASSERT(rg_orig_decode_record_at(p, n, starts[i], starts[i + 1], &one) == RAGC_OK
                              && one.n_rec == 1 && one.rec[0].n_bases == bases[i],
                          "a record found by its offset = the same record decoded whole");
            }
        free(bases);
        free(starts);
    }
    rg_orig_sample_free(&whole);
    rg_orig_sample_free(&one);
}

static void index_decode(const uint8_t *p, size_t n)
{
    uint64_t *counts = NULL;
    size_t nb = 0;
    if (rg_orig_index_decode(p, n, &counts, &nb) == RAGC_OK)
        for (size_t b = 0; b < nb; b++)
            FZ_ASSERT(counts[b] >= 1, "every batch of an index holds a sample");
    free(counts);
}

static void batch_blob(fz_reader *rd)
{
    uint64_t n = fz_u8(rd), i = fz_u8(rd);
    const uint8_t *blob;
    size_t len;
    if (rg_orig_batch_blob(rd->p, rd->n, n, i, &blob, &len) == RAGC_OK)
        FZ_ASSERT(len == 0 || (blob >= rd->p && blob + len <= rd->p + rd->n), "a blob lies inside its batch");
}

static ZSTD_DCtx *dctx;

static void unpack(fz_reader *rd)
{
    /* mostly sizes under 1 MiB: the content is reserved before it is
       decoded, and allocating up to RG_ORIG_MAX_PART each time would make
       the harness crawl (a payload of a few bytes may claim 1 GiB: the
       library refuses more, tests/fuzz/README.md) */
    uint8_t how = fz_u8(rd);
    uint64_t meta = fz_u32(rd);
    if (how != 0xff)
        meta &= 0xfffff;
    size_t prefix_len = rd->n * fz_u8(rd) / 256;
    const uint8_t *prefix = rd->p;
    rg_bytes out = { 0 };
    if (!dctx && !(dctx = ZSTD_createDCtx()))
        return;
    if (rg_orig_unpack(dctx, rd->p + prefix_len, rd->n - prefix_len, meta, prefix, prefix_len, &out) == RAGC_OK)
        FZ_ASSERT(out.len == meta, "an unpacked part has the size its metadata gives");
    free(out.s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_reader rd = { data, size };
    switch (fz_u8(&rd) % 5) {
    case 0: whole_blob(rd.p, rd.n); break;
    case 1: blob_by_record(rd.p, rd.n); break;
    case 2: index_decode(rd.p, rd.n); break;
    case 3: batch_blob(&rd); break;
    default: unpack(&rd); break;
    }
    return 0;
}
