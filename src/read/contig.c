/* contig.c -- assembling contigs and ranges from segments.

   A contig is seg0 ++ seg1[k:] ++ seg2[k:] ...: neighbouring segments
   overlap by k bases.  Segment j covers contig positions
   [start_j, start_j + len_j) with start_{j+1} = start_j + len_j - k, and adds
   [start_j + k, ...) for j > 0.  A range decodes only the segments that add
   bases inside it. */
#include "archive.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "grow.h"

/* Code -> ASCII: A C G T N R Y S W K M B D H V U for 0..15, space for the
   codes 16..63 agc stores for characters outside its alphabet.  The second
   table gives the ASCII of the complement (agc complements A C G T only).
   Codes >= 64 never occur in valid archives. */
static uint8_t ascii_of_code[256], ascii_of_complement[256];
static pthread_once_t ascii_once = PTHREAD_ONCE_INIT;

static void init_ascii_tables(void)
{
    static const char alpha[] = "ACGTNRYSWKMBDHVU";
    for (int c = 0; c < 64; c++) {
        ascii_of_code[c] = c < 16 ? (uint8_t)alpha[c] : ' ';
        ascii_of_complement[c] = c < 4 ? (uint8_t)alpha[3 - c] : ascii_of_code[c];
    }
}

ragc_decoder *ragc_decoder_init(ragc_archive *arc, size_t cache_bytes)
{
    ragc_decoder *dec = calloc(1, sizeof(*dec));
    if (!dec)
        return NULL;
    dec->arc = arc;
    dec->dctx = ZSTD_createDCtx();
    rg_orig_reader_init(&dec->orig);
    rg_md5_reader_init(&dec->md5);
    dec->own_cache = cache_bytes > 0;
    dec->cache = dec->own_cache ? rg_cache_init(cache_bytes) : arc->cache;
    if (!dec->dctx || !dec->cache) {
        ragc_decoder_destroy(dec);
        return NULL;
    }
    return dec;
}

void ragc_decoder_destroy(ragc_decoder *dec)
{
    if (!dec)
        return;
    ZSTD_freeDCtx(dec->dctx);
    if (dec->cache)
        rg_decoder_release_parts(dec);
    if (dec->own_cache)
        rg_cache_destroy(dec->cache);
    rg_bytes_free(&dec->seg);
    rg_bytes_free(&dec->ref);
    rg_bytes_free(&dec->ascii);
    rg_orig_reader_free(&dec->orig);
    rg_md5_reader_free(&dec->md5);
    free(dec);
}

/* Internal status: a decoded segment's length differs from its descriptor. */
#define LENGTH_MISMATCH (-100)

/* Decodes segment j of ctg (stored orientation) into *codes / *len.  With
   check_length, a length that differs from the descriptor's is reported as
   LENGTH_MISMATCH. */
static int decode_segment(ragc_decoder *dec, const rg_contig *ctg, uint32_t j, int check_length,
                          const uint8_t **codes, size_t *len)
{
    int r = rg_segment_decode(dec, &ctg->seg[j], codes, len);
    if (r < 0)
        return r;
    if (check_length && *len != ctg->seg[j].raw_length)
        return LENGTH_MISMATCH;
    if (j > 0 && *len < dec->arc->params.kmer_length) {
        hts_log_error("corrupt archive: segment %u of contig %s is shorter than the overlap", j,
                      ctg->name);
        return RAGC_ERR_FORMAT;
    }
    return RAGC_OK;
}

/* Where decoded bases go: the caller's sink, after the contig's original
   form (if any) has been applied. */
typedef struct {
    ragc_sink_fn sink;
    void *ctx;
    const rg_orig_sample *orig;   /* record 0 is the contig's, or NULL */
} rg_out;

/* The largest decoded-segment buffer a decoder keeps for the next segment. */
#define SEG_KEEP ((size_t)1 << 20)

/* Bases converted to ASCII at a time: the decoder's ASCII buffer (and what
   a sink receives in one call) stays this small even for a segment of
   megabases, such as one spanning a long run of N. */
#define EMIT_SLICE ((size_t)64 << 10)

/* Sends bases [off, off + n) of a segment in contig orientation, contig
   bases [pos, pos + n), to the sink as ASCII, in slices of EMIT_SLICE.  A
   reverse-complemented segment is read backwards through the complement
   table, so it is never reversed in place. */
static int emit(ragc_decoder *dec, const uint8_t *codes, size_t seg_len, int rc, size_t off,
                size_t n, int64_t pos, const rg_out *out)
{
    pthread_once(&ascii_once, init_ascii_tables);
    while (n > 0) {
        size_t m = n < EMIT_SLICE ? n : EMIT_SLICE;
        dec->ascii.len = 0;
        if (rg_bytes_reserve(&dec->ascii, m) < 0)
            return RAGC_ERR_NOMEM;
        uint8_t *a = dec->ascii.s, any = 0;
        if (!rc) {
            const uint8_t *c = codes + off;
            for (size_t i = 0; i < m; i++) {
                any |= c[i];
                a[i] = ascii_of_code[c[i]];
            }
        } else {
            const uint8_t *c = codes + (seg_len - 1 - off);   /* contig base off, stored backwards */
            for (size_t i = 0; i < m; i++) {
                any |= *(c - i);
                a[i] = ascii_of_complement[*(c - i)];
            }
        }
        if (any & 0xC0) {
            hts_log_error("corrupt archive: invalid nucleotide code");
            return RAGC_ERR_FORMAT;
        }
        if (out->orig) {
            int r = rg_orig_apply(out->orig, 0, (uint64_t)pos, (char *)a, m);
            if (r < 0)
                return r;
        }
        if (out->sink(out->ctx, (const char *)a, m))
            return RAGC_ERR_CALLBACK;
        off += m;
        pos += (int64_t)m;
        n -= m;
    }
    return RAGC_OK;
}

/* Streams [from, to] of ctg.  With use_lengths, segments wholly before the
   range are skipped by their stored lengths (and decoded lengths are
   checked against them); without, every segment up to the range end is
   decoded.  *emitted tells whether the sink has been called. */
static int stream_range(ragc_decoder *dec, const rg_contig *ctg, int64_t from, int64_t to,
                        int use_lengths, const rg_out *out, int *emitted)
{
    const int64_t k = dec->arc->params.kmer_length;
    int64_t start = 0;   /* contig position of the current segment's first base */
    for (uint32_t j = 0; j < ctg->n_seg; j++) {
        int64_t skip = j ? k : 0;   /* overlap with the previous segment */
        if (use_lengths) {
            int64_t end = start + ctg->seg[j].raw_length;
            if (end - start < skip)
                return LENGTH_MISMATCH;
            if (end <= from || end - skip == start) {   /* adds nothing in range */
                start = end - k;
                continue;
            }
        }
        if (start + skip > to)
            break;
        const uint8_t *codes;
        size_t seg_len;
        int r = decode_segment(dec, ctg, j, use_lengths, &codes, &seg_len);
        if (r < 0)
            return r;
        int64_t len = (int64_t)seg_len;
        int64_t lo = start + skip > from ? start + skip : from;
        int64_t hi = start + len - 1 < to ? start + len - 1 : to;
        if (lo <= hi) {
            *emitted = 1;
            r = emit(dec, codes, seg_len, ctg->seg[j].rc, (size_t)(lo - start), (size_t)(hi - lo + 1),
                     lo, out);
            if (r < 0)
                return r;
        }
        /* a decoder (one a thread) keeps no megabase segment between calls */
        if (dec->seg.cap > SEG_KEEP)
            rg_bytes_free(&dec->seg);
        if (dec->ref.cap > SEG_KEEP)
            rg_bytes_free(&dec->ref);
        start += len - k;
    }
    return RAGC_OK;
}

static int contig_stream(ragc_decoder *dec, int64_t sample, int64_t contig, int64_t from, int64_t to,
                         const rg_out *out)
{
    int err;
    const rg_contig *ctg = rg_archive_contig(dec->arc, sample, contig, &err);
    if (!ctg)
        return err;
    if (from < 0 || to < from)
        return from < 0 ? RAGC_ERR_ARG : RAGC_OK;
    /* A whole contig needs no stored lengths (agc prints whole contigs right
       even where they are wrong); a range uses them to skip segments. */
    int use_lengths = from > 0 && !dec->arc->lengths_untrusted;
    int emitted = 0;
    int r = stream_range(dec, ctg, from, to, use_lengths, out, &emitted);
    if (r == LENGTH_MISMATCH && !emitted) {
        /* agc 3.0/3.1 appends stored wrong lengths; decode from the start */
        hts_log_warning("contig %s: stored segment lengths are wrong; decoding it whole", ctg->name);
        r = stream_range(dec, ctg, from, to, 0, out, &emitted);
    }
    if (r == LENGTH_MISMATCH) {
        hts_log_error("corrupt archive: segment lengths of contig %s are inconsistent", ctg->name);
        r = RAGC_ERR_FORMAT;
    }
    return r;
}

int rg_contig_stream_canonical(ragc_decoder *dec, int64_t sample, int64_t contig, int64_t from,
                               int64_t to, ragc_sink_fn sink, void *ctx)
{
    rg_out out = { sink, ctx, NULL };
    return contig_stream(dec, sample, contig, from, to, &out);
}

int ragc_contig_stream(ragc_decoder *dec, int64_t sample, int64_t contig,
                       int64_t from, int64_t to, ragc_sink_fn sink, void *ctx)
{
    if (!dec || !sink)
        return RAGC_ERR_ARG;
    rg_out out = { sink, ctx, NULL };
    int r = rg_orig_for_contig(dec, sample, contig, &out.orig);
    if (r < 0)
        return r;
    return contig_stream(dec, sample, contig, from, to, &out);
}

typedef struct {
    char *s;
    size_t len, cap;
} grow_buf;

static int append_to_buf(void *ctx, const char *seq, size_t len)
{
    grow_buf *b = ctx;
    if (b->cap - b->len < len + 1) {   /* room for the bases and the final NUL */
        char *s = len < SIZE_MAX - b->len ? rg_reserve(b->s, &b->cap, b->len + len + 1, 1, 1024) : NULL;
        if (!s)
            return -1;
        b->s = s;
    }
    memcpy(b->s + b->len, seq, len);
    b->len += len;
    return 0;
}

int ragc_contig_fetch(ragc_decoder *dec, int64_t sample, int64_t contig,
                      int64_t from, int64_t to, char **seq, int64_t *len)
{
    grow_buf b = { NULL, 0, 0 };
    *seq = NULL;
    *len = 0;
    int r = ragc_contig_stream(dec, sample, contig, from, to, append_to_buf, &b);
    if (r == RAGC_OK && !b.s && append_to_buf(&b, "", 0) < 0)
        r = RAGC_ERR_NOMEM;
    if (r < 0) {
        free(b.s);
        return r == RAGC_ERR_CALLBACK ? RAGC_ERR_NOMEM : r;
    }
    b.s[b.len] = '\0';
    *seq = b.s;
    *len = (int64_t)b.len;
    return RAGC_OK;
}

static int count_only(void *ctx, const char *seq, size_t len)
{
    (void)seq;
    *(int64_t *)ctx += (int64_t)len;
    return 0;
}

int64_t ragc_contig_length(ragc_archive *arc, ragc_decoder *dec, int64_t sample, int64_t contig)
{
    int err;
    const rg_contig *ctg = rg_archive_contig(arc, sample, contig, &err);
    if (!ctg)
        return err;
    if (!arc->lengths_untrusted) {
        int64_t n = 0;
        for (uint32_t j = 0; j < ctg->n_seg; j++)
            n += ctg->seg[j].raw_length - (j ? (int64_t)arc->params.kmer_length : 0);
        return n < 0 ? RAGC_ERR_FORMAT : n;
    }
    if (!dec)
        return RAGC_ERR_ARG;
    int64_t n = 0;
    int r = rg_contig_stream_canonical(dec, sample, contig, 0, INT64_MAX, count_only, &n);
    return r < 0 ? r : n;
}
