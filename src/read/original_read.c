/* original_read.c -- the readers' side of original forms (ragc.h "Original
   form", docs/lossless.md).  Each decoder keeps the batch of the sample it
   read last (ext_read.c) and the decoded record of its contig read last,
   so a query touching one contig costs one part read and one record parse;
   sample 0's blob (the other batches' zstd prefix) is loaded once per
   decoder.
   All state is the decoder's: nothing here is shared between threads.

   Default reads are forgiving: an original form that is corrupt or
   disagrees with the archive (record count, a contig's length) is reported
   once per sample with hts_log_warning and the sample reads as agc reads
   it -- never partly applied.  ragc_sample_original, which promises the
   input file's bytes, fails instead. */
#include "archive.h"

#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "original_store.h"

void rg_orig_reader_init(rg_orig_reader *o)
{
    memset(o, 0, sizeof(*o));
    rg_ext_reader_init(&o->ext, RG_ORIG_STREAM, 1);
    o->rec_sample = o->rec_contig = o->warned_sample = o->checked_sample = -1;
}

void rg_orig_reader_free(rg_orig_reader *o)
{
    rg_ext_reader_free(&o->ext);
    rg_orig_sample_free(&o->rec);
    free(o->rec_start);
}

void ragc_decoder_set_canonical(ragc_decoder *dec, int canonical)
{
    if (dec)
        dec->orig.canonical = canonical != 0;
}

/* Loads the blob of a sample: 1, 0 when it has none, < 0 on error
   (RAGC_ERR_FORMAT: corrupt). */
static int load_blob(ragc_decoder *dec, int64_t sample)
{
    return rg_ext_reader_blob(dec, &dec->orig.ext, sample);
}

int ragc_has_original(ragc_decoder *dec, int64_t sample)
{
    if (!dec)
        return RAGC_ERR_ARG;
    return load_blob(dec, sample);
}

static void warn_once(ragc_decoder *dec, int64_t sample, const char *why)
{
    if (dec->orig.warned_sample == sample)
        return;
    dec->orig.warned_sample = sample;
    hts_log_warning("sample %s: its original form %s; reading the sample as agc does (upper case, "
                    "bytes outside ACGTNRYSWKMBDHVU as N)", ragc_sample_name(dec->arc, sample), why);
}

/* Stored length of a contig, or -1 when the archive's lengths cannot be
   trusted (agc 3.0/3.1 appends) and the check is left to the renderer. */
static int64_t trusted_length(ragc_decoder *dec, int64_t sample, int64_t contig)
{
    if (dec->arc->lengths_untrusted)
        return -1;
    return ragc_contig_length(dec->arc, NULL, sample, contig);
}

/* Checks a sample's whole blob against the archive once per decoder: its
   record count and every record's base count (where the archive's lengths
   can be trusted), so that a disagreeing original form is never applied in
   part.  1 consistent, 0 not (warned), < 0 on hard errors. */
static int check_sample(ragc_decoder *dec, int64_t sample)
{
    rg_orig_reader *o = &dec->orig;
    int64_t n_ctg = ragc_n_contigs(dec->arc, sample);
    if (n_ctg < 0)
        return (int)n_ctg;
    uint64_t *bases = malloc((size_t)(n_ctg ? n_ctg : 1) * sizeof(*bases));
    uint64_t *starts = malloc((size_t)(n_ctg + 1) * sizeof(*starts));
    free(o->rec_start);
    o->rec_start = NULL;
    if (!bases || !starts) {
        free(bases);
        free(starts);
        return RAGC_ERR_NOMEM;
    }
    int r = rg_orig_blob_bases(o->ext.blob, o->ext.blob_len, bases, (uint64_t)n_ctg, starts, &o->rec);
    if (r == RAGC_ERR_VERSION) {
        warn_once(dec, sample, "is of a version this ragc does not read");
        r = 0;
    } else if (r < 0 && r != RAGC_ERR_NOMEM) {
        warn_once(dec, sample, "is corrupt or does not list the sample's contigs");
        r = 0;
    } else if (r == RAGC_OK) {
        r = 1;
        for (int64_t i = 0; r == 1 && i < n_ctg; i++) {
            int64_t len = trusted_length(dec, sample, i);
            if (len < -1)
                r = (int)len;
            else if (len >= 0 && bases[i] != (uint64_t)len) {
                warn_once(dec, sample, "disagrees with a contig's length");
                r = 0;
            }
        }
    }
    free(bases);
    if (r == 1)
        o->rec_start = starts;   /* load_record finds each record at once */
    else
        free(starts);
    return r;
}

/* Decodes the record of a contig into o->rec: 1, 0 (reads canonically,
   warned), < 0 on hard errors. */
static int load_record(ragc_decoder *dec, int64_t sample, int64_t contig)
{
    rg_orig_reader *o = &dec->orig;
    int r = load_blob(dec, sample);
    if (r == RAGC_ERR_FORMAT || r == RAGC_ERR_VERSION) {
        warn_once(dec, sample, r == RAGC_ERR_FORMAT ? "is corrupt" : "is of a version this ragc does not read");
        return 0;
    }
    if (r <= 0)
        return r;
    int64_t n_ctg = ragc_n_contigs(dec->arc, sample);
    if (n_ctg < 0)
        return (int)n_ctg;
    if (contig < 0 || contig >= n_ctg)
        return RAGC_ERR_NO_CONTIG;
    if (o->checked_sample != sample) {
        if ((r = check_sample(dec, sample)) < 0)
            return r;
        o->checked_sample = sample;
        o->checked = r;
    }
    if (!o->checked)
        return 0;
    r = rg_orig_decode_record_at(o->ext.blob, o->ext.blob_len, o->rec_start[contig], o->rec_start[contig + 1],
                                 &o->rec);
    if (r < 0) {
        if (r == RAGC_ERR_NOMEM)
            return r;
        warn_once(dec, sample, "is corrupt");
        return 0;
    }
    return 1;
}

int rg_orig_for_contig(ragc_decoder *dec, int64_t sample, int64_t contig, const rg_orig_sample **rec)
{
    rg_orig_reader *o = &dec->orig;
    *rec = NULL;
    if (o->canonical)
        return 0;
    if (o->rec_sample != sample || o->rec_contig != contig) {
        o->rec_sample = o->rec_contig = -1;
        int r = load_record(dec, sample, contig);
        if (r < 0)
            return r;
        o->rec_sample = sample;
        o->rec_contig = contig;
        o->rec_has = r;
    }
    if (o->rec_has)
        *rec = &o->rec;
    return o->rec_has;
}

/* ---- a whole sample as its input file held it ---- */

static int render_sink(void *ctx, const char *seq, size_t len)
{
    return rg_orig_render_bases(ctx, seq, len) < 0;
}

/* Every contig's length must be its record's before a byte is written. */
static int check_lengths(ragc_decoder *dec, int64_t sample, const rg_orig_sample *s)
{
    for (size_t i = 0; i < s->n_rec; i++) {
        int64_t len = trusted_length(dec, sample, (int64_t)i);
        if (len < -1)
            return (int)len;
        if (len >= 0 && s->rec[i].n_bases != (uint64_t)len) {
            hts_log_error("sample %s: the original form of contig %s has %llu bases, the archive %lld",
                          ragc_sample_name(dec->arc, sample), ragc_contig_name(dec->arc, sample, (int64_t)i),
                          (unsigned long long)s->rec[i].n_bases, (long long)len);
            return RAGC_ERR_FORMAT;
        }
    }
    return RAGC_OK;
}

static int render_contig(ragc_decoder *dec, int64_t sample, const rg_orig_sample *s, size_t i,
                         rg_orig_render *w, ragc_sink_fn sink, void *ctx)
{
    const char *name = ragc_contig_name(dec->arc, sample, (int64_t)i);
    if (!name)
        return RAGC_ERR_FORMAT;
    int r = rg_orig_render_begin(w, s, i, name, strlen(name), sink, ctx);
    if (r == RAGC_OK)
        r = rg_contig_stream_canonical(dec, sample, (int64_t)i, 0, INT64_MAX, render_sink, w);
    if (r == RAGC_ERR_CALLBACK && w->status < 0)
        r = w->status;   /* the renderer's own reason */
    if (r == RAGC_OK)
        r = rg_orig_render_end(w);
    return r;
}

int ragc_sample_original(ragc_decoder *dec, int64_t sample, ragc_sink_fn sink, void *ctx)
{
    if (!dec || !sink)
        return RAGC_ERR_ARG;
    int r = load_blob(dec, sample);
    if (r == 0)
        return RAGC_ERR_NO_ORIGINAL;
    if (r < 0)
        return r;
    rg_orig_sample s = { 0 };
    int64_t n_ctg = ragc_n_contigs(dec->arc, sample);
    r = n_ctg < 0 ? (int)n_ctg : rg_orig_decode(dec->orig.ext.blob, dec->orig.ext.blob_len, &s);
    if (r == RAGC_OK && s.n_rec != (uint64_t)n_ctg) {
        hts_log_error("sample %s: the original form lists %zu records, the archive %lld contigs",
                      ragc_sample_name(dec->arc, sample), s.n_rec, (long long)n_ctg);
        r = RAGC_ERR_FORMAT;
    }
    if (r == RAGC_OK)
        r = check_lengths(dec, sample, &s);
    rg_orig_render *w = r == RAGC_OK ? malloc(sizeof(*w)) : NULL;
    if (r == RAGC_OK && !w)
        r = RAGC_ERR_NOMEM;
    if (r == RAGC_OK)
        r = rg_orig_render_preamble(&s, sink, ctx);
    for (size_t i = 0; r == RAGC_OK && i < s.n_rec; i++)
        r = render_contig(dec, sample, &s, i, w, sink, ctx);
    free(w);
    rg_orig_sample_free(&s);
    return r;
}
