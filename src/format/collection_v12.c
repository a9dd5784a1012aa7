/* collection_v12.c -- collection formats 1 (agc 1.x) and 2 (agc 2.x).

   Format 1: one `collection-desc` part holding everything, segment fields as
   signed zigzag differences within a contig.  Format 2: `collection-main`
   (names, segment counts, command lines) and `collection-details` batches
   holding the segment fields field-major, each zigzag-coded around the
   previous segment of the same contig.  Both list samples in name order. */
#include "collection.h"

#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "ragc.h"
#include "varint.h"

static int corrupt(const char *what)
{
    hts_log_error("corrupt archive: %s", what);
    return RAGC_ERR_FORMAT;
}

static int cmp_sample_names(const void *a, const void *b, void *arg)
{
    const rg_sample *s = arg;
    return strcmp(s[*(const uint64_t *)a].name, s[*(const uint64_t *)b].name);
}

/* agc 1.x/2.x list samples sorted by name (they iterate a std::map). */
static void sort_listing(rg_collection *col)
{
    /* insertion sort keeps this free of qsort_r portability issues; sample
       counts of format 1/2 archives are small */
    for (uint64_t i = 1; i < col->n_samples; i++) {
        uint64_t v = col->listing[i];
        uint64_t j = i;
        while (j > 0 && cmp_sample_names(&col->listing[j - 1], &v, col->samples) > 0) {
            col->listing[j] = col->listing[j - 1];
            j--;
        }
        col->listing[j] = v;
    }
}

static int read_name(rg_cursor *c, char **out)
{
    const char *s;
    size_t l;
    if (rg_read_cstr(c, &s, &l) < 0)
        return corrupt("bad name");
    *out = strndup(s, l);
    return *out ? RAGC_OK : RAGC_ERR_NOMEM;
}

static int read_cmd_lines(rg_collection *col, rg_cursor *c)
{
    uint32_t n;
    if (rg_read_cvar(c, &n) < 0 || n > (size_t)(c->end - c->p))
        return corrupt("bad command-line list");
    col->cmd = calloc(n ? n : 1, sizeof(char *));
    col->cmd_time = calloc(n ? n : 1, sizeof(char *));
    if (!col->cmd || !col->cmd_time)
        return RAGC_ERR_NOMEM;
    for (uint32_t i = 0; i < n; i++) {
        int r = read_name(c, &col->cmd[i]);
        if (r == RAGC_OK)
            r = read_name(c, &col->cmd_time[i]);
        col->n_cmd = (int)i + 1;
        if (r < 0)
            return r;
    }
    return RAGC_OK;
}

static int alloc_contigs(rg_sample *s, uint32_t n, size_t limit)
{
    if (n > limit)
        return corrupt("bad contig count");
    s->contigs = calloc(n ? n : 1, sizeof(rg_contig));
    if (!s->contigs)
        return RAGC_ERR_NOMEM;
    s->n_contigs = n;
    return RAGC_OK;
}

static int alloc_segments(rg_contig *ctg, uint32_t n, size_t limit)
{
    if (n > limit)
        return corrupt("bad segment count");
    ctg->seg = n ? calloc(n, sizeof(rg_seg)) : NULL;
    if (n && !ctg->seg)
        return RAGC_ERR_NOMEM;
    ctg->n_seg = n;
    return RAGC_OK;
}

/* --- format 1 ----------------------------------------------------------- */

static int read_v1_segments(rg_cursor *c, rg_contig *ctg)
{
    uint32_t g = 0, ig = 0, len = 0;
    for (uint32_t j = 0; j < ctg->n_seg; j++) {
        uint32_t dg, di, dl, rc;
        if (rg_read_cvar(c, &dg) < 0 || rg_read_cvar(c, &di) < 0
            || rg_read_cvar(c, &dl) < 0 || rg_read_cvar(c, &rc) < 0 || rc > 1)
            return corrupt("bad segment descriptor");
        /* differences are 32-bit, sums wrap as in agc */
        g += (uint32_t)rg_zs_decode(dg);
        ig += (uint32_t)rg_zs_decode(di);
        len += (uint32_t)rg_zs_decode(dl);
        ctg->seg[j] = (rg_seg){ g, ig, len, (uint8_t)rc };
    }
    return RAGC_OK;
}

/* The sample list shared by formats 1 and 2: per sample its name and
   contigs, per contig its name and segment count; format 1 follows each
   count with the segment descriptors (with_segments), format 2 keeps them in
   separate batches. */
static int read_samples(rg_cursor *c, rg_collection *col, size_t limit, int with_segments)
{
    int r = RAGC_OK;
    for (uint64_t i = 0; r == RAGC_OK && i < col->n_samples; i++) {
        rg_sample *s = &col->samples[i];
        uint32_t nc;
        if ((r = read_name(c, &s->name)) < 0)
            break;
        if (rg_read_cvar(c, &nc) < 0)
            return corrupt("bad contig count");
        if ((r = alloc_contigs(s, nc, limit)) < 0)
            break;
        for (uint32_t k = 0; r == RAGC_OK && k < nc; k++) {
            rg_contig *ctg = &s->contigs[k];
            uint32_t ns;
            if ((r = read_name(c, &ctg->name)) < 0)
                break;
            if (rg_read_cvar(c, &ns) < 0)
                return corrupt("bad segment count");
            if (!with_segments)
                ctg->n_seg = ns;   /* descriptors come with the batch */
            else if ((r = alloc_segments(ctg, ns, limit)) == RAGC_OK)
                r = read_v1_segments(c, ctg);
        }
    }
    return r;
}

/* Formats 1 and 2 keep their listing in one part of stream st: (format 2:
   the batch size, into *batch), the sample count, the samples, the command
   lines.  The listing ends up in name order. */
static int load_listing(rg_collection *col, int st, int format, uint32_t *batch)
{
    uint8_t *raw;
    size_t len;
    int r = rg_collection_read_zstd_part(col->ctr, st, 0, &raw, &len);
    if (r < 0)
        return r;
    rg_cursor c = { raw, raw + len };
    uint32_t n;
    *batch = 0;
    if (format == 2 && (rg_read_cvar(&c, batch) < 0 || *batch == 0))
        r = corrupt("bad collection header");
    else if (rg_read_cvar(&c, &n) < 0 || n > len)
        r = corrupt(format == 1 ? "bad sample count" : "bad collection header");
    if (r == RAGC_OK)
        r = rg_collection_alloc_samples(col, n);
    if (r == RAGC_OK)
        r = read_samples(&c, col, len, format == 1);
    if (r == RAGC_OK)
        r = read_cmd_lines(col, &c);
    free(raw);
    if (r == RAGC_OK)
        sort_listing(col);
    return r;
}

int rg_collection_load_v1(rg_collection *col)
{
    int st = rg_container_find(col->ctr, "collection-desc");
    if (st < 0)
        return corrupt("missing collection-desc");
    uint32_t no_batches;
    return load_listing(col, st, 1, &no_batches);
}

/* --- format 2 ----------------------------------------------------------- */

int rg_collection_load_v2(rg_collection *col)
{
    int st = rg_container_find(col->ctr, "collection-main");
    col->details_stream = rg_container_find(col->ctr, "collection-details");
    if (st < 0 || col->details_stream < 0)
        return corrupt("missing collection-main or collection-details");
    uint32_t batch;
    int r = load_listing(col, st, 2, &batch);
    if (r < 0)
        return r;
    col->batch_size = batch;
    col->n_batches = (col->n_samples + (uint64_t)batch - 1) / batch;
    if (col->details_stream >= 0
        && col->ctr->streams[col->details_stream].n_parts < col->n_batches)
        return corrupt("fewer collection batches than samples need");
    col->batch_state = calloc(col->n_batches ? col->n_batches : 1, sizeof(*col->batch_state));
    return col->batch_state ? RAGC_OK : RAGC_ERR_NOMEM;
}

/* One field array of a format-2 details batch: every segment of every contig
   of the batch, each value zigzag-coded around the previous segment's. */
static int read_v2_field(rg_cursor *c, rg_collection *col, uint64_t first, uint64_t count, int field)
{
    for (uint64_t s = first; s < first + count; s++) {
        rg_sample *smp = &col->samples[s];
        for (uint32_t k = 0; k < smp->n_contigs; k++) {
            rg_contig *ctg = &smp->contigs[k];
            uint64_t prev = 0;
            for (uint32_t j = 0; j < ctg->n_seg; j++) {
                uint32_t v;
                if (rg_read_cvar(c, &v) < 0)
                    return corrupt("segment table truncated");
                uint64_t x = field == 3 ? v : rg_zp_decode(v, prev);
                if (x > UINT32_MAX || (field == 3 && x > 1))
                    return corrupt("segment field out of range");
                prev = x;
                rg_seg *sg = &ctg->seg[j];
                if (field == 0) sg->group_id = (uint32_t)x;
                else if (field == 1) sg->in_group_id = (uint32_t)x;
                else if (field == 2) sg->raw_length = (uint32_t)x;
                else sg->rc = (uint8_t)x;
            }
        }
    }
    return RAGC_OK;
}

int rg_collection_load_batch_v2(rg_collection *col, uint64_t batch)
{
    uint64_t first, count;
    rg_collection_batch_samples(col, batch, &first, &count);
    uint8_t *raw;
    size_t len;
    int r = rg_collection_read_zstd_part(col->ctr, col->details_stream, batch, &raw, &len);
    if (r < 0)
        return r;
    for (uint64_t s = first; r == RAGC_OK && s < first + count; s++) {
        rg_sample *smp = &col->samples[s];
        for (uint32_t k = 0; r == RAGC_OK && k < smp->n_contigs; k++) {
            rg_contig *ctg = &smp->contigs[k];
            uint32_t ns = ctg->n_seg;
            ctg->n_seg = 0;
            r = alloc_segments(ctg, ns, len);
        }
    }
    rg_cursor c = { raw, raw + len };
    for (int f = 0; r == RAGC_OK && f < 4; f++)
        r = read_v2_field(&c, col, first, count, f);
    free(raw);
    return r;
}
