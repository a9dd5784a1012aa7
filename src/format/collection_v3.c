/* collection_v3.c -- collection format 3 (agc 3.x): samples, contig-name
   batches with name coding, and segment-descriptor batches as five zstd
   sub-streams. */
#include "collection.h"

#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>
#include <htslib/khash.h>

#include "ragc.h"
#include "varint.h"
#include "zstd_util.h"

KHASH_MAP_INIT_INT(rg_last, int64_t)

static int corrupt(const char *what)
{
    hts_log_error("corrupt archive: %s", what);
    return RAGC_ERR_FORMAT;
}

int rg_collection_load_v3(rg_collection *col)
{
    const rg_container *ctr = col->ctr;
    int ss = rg_container_find(ctr, "collection-samples");
    col->contigs_stream = rg_container_find(ctr, "collection-contigs");
    col->details_stream = rg_container_find(ctr, "collection-details");
    if (ss < 0 || col->contigs_stream < 0 || col->details_stream < 0)
        return corrupt("missing collection streams");
    if (col->batch_size == 0)
        return corrupt("batch size 0");

    uint8_t *raw;
    size_t len;
    int r = rg_collection_read_zstd_part(ctr, ss, 0, &raw, &len);
    if (r < 0)
        return r;
    rg_cursor c = { raw, raw + len };
    uint32_t n;
    if (rg_read_cvar(&c, &n) < 0 || n > len) {
        free(raw);
        return corrupt("bad sample list");
    }
    r = rg_collection_alloc_samples(col, n);
    for (uint32_t i = 0; r == RAGC_OK && i < n; i++) {
        const char *s;
        size_t sl;
        if (rg_read_cstr(&c, &s, &sl) < 0)
            r = corrupt("bad sample list");
        else if (!(col->samples[i].name = strndup(s, sl)))
            r = RAGC_ERR_NOMEM;
    }
    free(raw);
    if (r < 0)
        return r;

    col->n_batches = (n + (uint64_t)col->batch_size - 1) / col->batch_size;
    if (ctr->streams[col->contigs_stream].n_parts < col->n_batches
        || ctr->streams[col->details_stream].n_parts < col->n_batches)
        return corrupt("fewer collection batches than samples need");
    col->batch_state = calloc(col->n_batches ? col->n_batches : 1, sizeof(*col->batch_state));
    return col->batch_state ? RAGC_OK : RAGC_ERR_NOMEM;
}

/* --- contig names ------------------------------------------------------- */

typedef struct {
    char *buf;      /* previous decoded name */
    size_t len;
} prev_name;

static size_t count_components(const char *s, size_t n)
{
    size_t k = 1;
    for (size_t i = 0; i < n; i++)
        k += s[i] == ' ';
    return k;
}

/* Length of the component that starts at s (up to a space or the end). */
static size_t component_len(const char *s, const char *end)
{
    const char *sp = memchr(s, ' ', (size_t)(end - s));
    return (size_t)((sp ? sp : end) - s);
}

/* Decodes one name against the previous one of the same sample (agc's
   component-wise coding: a lone 0x81 = same component, other bytes >= 0x80
   copy a run of 256 - byte bytes from the previous component). */
static char *decode_name(const char *enc, size_t n, const prev_name *prev)
{
    if (!prev->buf || count_components(enc, n) != count_components(prev->buf, prev->len))
        return strndup(enc, n);

    /* A decoded component is at most the previous one plus its literals. */
    char *out = malloc(n + prev->len + 1);
    if (!out)
        return NULL;
    const char *e = enc, *eend = enc + n, *p = prev->buf, *pend = prev->buf + prev->len;
    size_t o = 0;
    for (;;) {
        size_t el = component_len(e, eend), pl = component_len(p, pend);
        if (el == 1 && (uint8_t)e[0] == 0x81) {
            memcpy(out + o, p, pl);
            o += pl;
        } else {
            size_t q = 0;
            for (size_t j = 0; j < el; j++) {
                uint8_t b = (uint8_t)e[j];
                size_t run = b < 0x80 ? 0 : 256u - b;
                if (!run) {
                    out[o++] = (char)b;
                    q++;
                } else if (q + run > pl) {   /* run past the previous component */
                    free(out);
                    return NULL;
                } else {
                    memcpy(out + o, p + q, run);
                    o += run;
                    q += run;
                }
            }
        }
        e += el;
        p += pl;
        if (e == eend)
            break;
        out[o++] = ' ';
        e++;
        p++;
    }
    out[o] = '\0';
    return out;
}

/* Reads the contig names of one sample at c; stores them in smp when
   store is set, else only steps over them. */
static int read_sample_names(rg_cursor *c, size_t len, rg_sample *smp, int store)
{
    uint32_t nc;
    if (rg_read_cvar(c, &nc) < 0 || nc > len)
        return corrupt("bad contig count");
    if (!store) {
        for (uint32_t k = 0; k < nc; k++) {
            const char *e;
            size_t el;
            if (rg_read_cstr(c, &e, &el) < 0)
                return corrupt("bad contig name");
        }
        return RAGC_OK;
    }
    smp->contigs = calloc(nc ? nc : 1, sizeof(rg_contig));
    if (!smp->contigs)
        return RAGC_ERR_NOMEM;
    smp->n_contigs = nc;
    prev_name prev = { NULL, 0 };
    for (uint32_t k = 0; k < nc; k++) {
        const char *e;
        size_t el;
        if (rg_read_cstr(c, &e, &el) < 0)
            return corrupt("bad contig name");
        char *name = decode_name(e, el, &prev);
        if (!name)
            return corrupt("bad contig name coding");
        smp->contigs[k].name = name;
        prev.buf = name;
        prev.len = strlen(name);
    }
    return RAGC_OK;
}

/* Is sample s to be stored by this load (only: one sample, or
   RG_ALL_SAMPLES for every sample of the batch not loaded yet)? */
static int wanted(const rg_collection *col, uint64_t s, uint64_t only)
{
    return only == RG_ALL_SAMPLES ? !atomic_load(&col->samples[s].loaded) : s == only;
}

static int load_names(rg_collection *col, uint64_t batch, uint64_t first, uint64_t count,
                      uint64_t only)
{
    uint8_t *raw;
    size_t len;
    /* the batch's details are read next: one fetch for both over a network */
    rg_container_will_read(col->ctr, col->contigs_stream, batch, col->details_stream, batch);
    int r = rg_collection_read_zstd_part(col->ctr, col->contigs_stream, batch, &raw, &len);
    if (r < 0)
        return r;
    rg_cursor c = { raw, raw + len };
    uint32_t n;
    if (rg_read_cvar(&c, &n) < 0 || n != count) {
        free(raw);
        return corrupt("contig batch does not match the sample list");
    }
    uint64_t end = only == RG_ALL_SAMPLES ? first + count : only + 1;
    for (uint64_t s = first; r == RAGC_OK && s < end; s++)
        r = read_sample_names(&c, len, &col->samples[s], wanted(col, s, only));
    free(raw);
    return r;
}

/* --- segment descriptors ------------------------------------------------ */

static int load_details_streams(rg_collection *col, uint64_t batch, uint8_t *sub[5], size_t sublen[5])
{
    uint8_t *data;
    size_t len;
    uint64_t meta;
    int r = rg_container_read_part(col->ctr, col->details_stream, batch, &data, &len, &meta);
    if (r < 0)
        return r;
    rg_cursor c = { data, data + len };
    uint32_t raw_size[5], packed[5];
    for (int i = 0; i < 5; i++)
        if (rg_read_cvar(&c, &raw_size[i]) < 0 || rg_read_cvar(&c, &packed[i]) < 0) {
            free(data);
            return corrupt("bad segment table header");
        }
    for (int i = 0; i < 5 && r == RAGC_OK; i++) {
        if ((size_t)(c.end - c.p) < packed[i]) {
            r = corrupt("segment table truncated");
            break;
        }
        r = rg_zstd_exact(NULL, c.p, packed[i], raw_size[i], &sub[i]);
        /* a length only with its bytes: the caller makes cursors of both
           (a failed stream left sub[i] NULL; found by fuzzing) */
        sublen[i] = sub[i] ? raw_size[i] : 0;
        c.p += packed[i];
    }
    free(data);
    return r;
}

/* Reverses agc's in-group id coding: ids are coded relative to the last id
   seen for the same group within the batch. */
static int decode_in_group(khash_t(rg_last) *last, uint32_t g, uint32_t e, uint32_t *out)
{
    int absent;
    khint_t k = kh_put(rg_last, last, g, &absent);
    if (absent < 0)
        return RAGC_ERR_NOMEM;
    if (absent)
        kh_val(last, k) = -1;
    int64_t prev = kh_val(last, k);
    uint64_t ig;
    if (prev < 0)
        ig = e;
    else if (e == 0)
        ig = 0;
    else if (e == 1)
        ig = (uint64_t)prev + 1;
    else
        ig = rg_zp_decode((uint64_t)e - 1, (uint64_t)prev + 1);
    if (ig > UINT32_MAX)
        return corrupt("in-group id out of range");
    if ((int64_t)ig > prev && ig > 0)
        kh_val(last, k) = (int64_t)ig;
    *out = (uint32_t)ig;
    return RAGC_OK;
}

/* Reads the segment descriptors of one sample from the five sub-streams;
   stores them in smp's contigs when store is set.  In-group ids are coded
   against earlier samples of the batch, so a sample that is not stored is
   still decoded through `last`. */
static int read_sample_segments(rg_collection *col, rg_cursor cs[5], size_t max_ns,
                                khash_t(rg_last) *last, rg_sample *smp, int store)
{
    uint32_t nc;
    if (rg_read_cvar(&cs[0], &nc) < 0 || (store && nc != smp->n_contigs))
        return corrupt("segment batch does not match the contig names");
    for (uint32_t k = 0; k < nc; k++) {
        uint32_t ns;
        /* every segment takes at least one byte in each sub-stream */
        if (rg_read_cvar(&cs[0], &ns) < 0 || ns > max_ns)
            return corrupt("bad segment count");
        rg_seg *seg = NULL;
        if (store) {
            rg_contig *ctg = &smp->contigs[k];
            ctg->seg = seg = ns ? malloc(ns * sizeof(rg_seg)) : NULL;
            if (ns && !seg)
                return RAGC_ERR_NOMEM;
            ctg->n_seg = ns;
        }
        for (uint32_t j = 0; j < ns; j++) {
            uint32_t g, e, l, rc, ig = 0;
            if (rg_read_cvar(&cs[1], &g) < 0 || rg_read_cvar(&cs[2], &e) < 0
                || rg_read_cvar(&cs[3], &l) < 0 || rg_read_cvar(&cs[4], &rc) < 0 || rc > 1)
                return corrupt("segment table truncated");
            uint64_t len = rg_zp_decode(l, col->length_pred);
            if (len > UINT32_MAX)
                return corrupt("segment length out of range");
            int r = decode_in_group(last, g, e, &ig);
            if (r < 0)
                return r;
            if (seg)
                seg[j] = (rg_seg){ .group_id = g, .in_group_id = ig,
                                   .raw_length = (uint32_t)len, .rc = (uint8_t)rc };
        }
    }
    return RAGC_OK;
}

static int load_segments(rg_collection *col, uint64_t batch, uint64_t first, uint64_t count,
                         uint64_t only)
{
    uint8_t *sub[5] = { 0 };
    size_t sublen[5] = { 0 };
    int r = load_details_streams(col, batch, sub, sublen);
    khash_t(rg_last) *last = kh_init(rg_last);
    if (!last && r == RAGC_OK)
        r = RAGC_ERR_NOMEM;
    rg_cursor cs[5];
    for (int i = 0; i < 5; i++)
        cs[i] = (rg_cursor){ sub[i], sub[i] ? sub[i] + sublen[i] : NULL };
    uint32_t n;
    if (r == RAGC_OK && (rg_read_cvar(&cs[0], &n) < 0 || n != count))
        r = corrupt("segment batch does not match the sample list");
    uint64_t end = only == RG_ALL_SAMPLES ? first + count : only + 1;
    for (uint64_t s = first; r == RAGC_OK && s < end; s++)
        r = read_sample_segments(col, cs, sublen[1], last, &col->samples[s], wanted(col, s, only));
    if (last)
        kh_destroy(rg_last, last);
    for (int i = 0; i < 5; i++)
        free(sub[i]);
    return r;
}

int rg_collection_load_batch_v3(rg_collection *col, uint64_t batch, uint64_t only)
{
    uint64_t first, count;
    rg_collection_batch_samples(col, batch, &first, &count);
    int r = load_names(col, batch, first, count, only);
    if (r == RAGC_OK)
        r = load_segments(col, batch, first, count, only);
    for (uint64_t s = first; r == RAGC_OK && s < first + count; s++)
        if (only == RG_ALL_SAMPLES || s == only)
            atomic_store(&col->samples[s].loaded, 1);
    return r;
}
