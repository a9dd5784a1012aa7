/* compress_append.c -- continuing an archive as agc's append does
   (appending_init, CCollection_V3::prepare_for_appending_*): the parameters,
   file_type_info, splitters and group map of the input carry over; complete
   collection batches and every group part but the last of each group are
   copied as they are; a partial last collection batch is reloaded so new
   samples join it; each group's last pack is kept as stored and reopened
   only when a member is added. */
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "archive.h"
#include "compress_internal.h"
#include "segment.h"

/* Copies part `part` of input stream `in_stream` to output stream `out`
   now (agc's AddPart), or hands it to the caller (keep != NULL). */
static int copy_part(rg_compressor *c, const rg_container *in, int in_stream, uint64_t part, int out,
                     uint8_t **keep, size_t *keep_len, uint64_t *keep_meta)
{
    uint8_t *data;
    size_t len;
    uint64_t meta;
    int r = rg_container_read_part(in, in_stream, part, &data, &len, &meta);
    if (r < 0)
        return r;
    if (keep) {
        *keep = data;
        *keep_len = len;
        *keep_meta = meta;
        return RAGC_OK;
    }
    r = rg_cw_add_part(c->w, out, data ? data : (const uint8_t *)"", len, meta);
    free(data);
    return r;
}

static int copy_sample(rg_sample *dst, const rg_sample *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->contigs = calloc(src->n_contigs ? src->n_contigs : 1, sizeof(rg_contig));
    if (!dst->contigs)
        return RAGC_ERR_NOMEM;
    for (uint32_t k = 0; k < src->n_contigs; k++) {
        const rg_contig *s = &src->contigs[k];
        rg_contig *d = &dst->contigs[k];
        dst->n_contigs = k + 1;
        if (!(d->name = strdup(s->name)))
            return RAGC_ERR_NOMEM;
        if (s->n_seg && !(d->seg = malloc(s->n_seg * sizeof(rg_seg))))
            return RAGC_ERR_NOMEM;
        if (s->n_seg)
            memcpy(d->seg, s->seg, s->n_seg * sizeof(rg_seg));
        d->n_seg = s->n_seg;
    }
    return RAGC_OK;
}

/* The collection: complete batches copied, the last one copied if it is
   complete, else reloaded into the open batch. */
static int init_collection(rg_compressor *c, ragc_archive *in)
{
    const rg_container *ctr = &in->ctr;
    rg_collection *col = &in->col;
    uint64_t n = col->n_samples, B = col->n_batches;
    int r = RAGC_OK;
    for (uint64_t i = 0; r == RAGC_OK && i + 1 < B; i++) {
        r = copy_part(c, ctr, col->contigs_stream, i, c->s_contigs, NULL, NULL, NULL);
        if (r == RAGC_OK)
            r = copy_part(c, ctr, col->details_stream, i, c->s_details, NULL, NULL, NULL);
    }
    /* every existing sample name, in stored order */
    for (uint64_t s = 0; r == RAGC_OK && s < n; s++)
        r = rg_add_sample(c, col->samples[s].name);
    if (r < 0 || B == 0)
        return r;
    uint64_t first = (B - 1) * c->P;
    if (n - first == c->P) {   /* a complete last batch is copied too */
        r = copy_part(c, ctr, col->contigs_stream, B - 1, c->s_contigs, NULL, NULL, NULL);
        if (r == RAGC_OK)
            r = copy_part(c, ctr, col->details_stream, B - 1, c->s_details, NULL, NULL, NULL);
        for (size_t i = 0; i < c->n_samples - c->batch_first; i++)
            memset(&c->batch[i], 0, sizeof(rg_sample));
        c->batch_first = n;
        return r;
    }
    /* rg_add_sample put every sample in the open batch: keep the last
       batch's (with their contigs), drop the others */
    size_t keep = (size_t)(n - first);
    memmove(c->batch, c->batch + (first - c->batch_first), keep * sizeof(rg_sample));
    c->batch_first = first;
    for (uint64_t s = first; r == RAGC_OK && s < n; s++) {
        if ((r = rg_collection_ensure(col, s)) < 0)
            break;
        char *name = c->batch[s - first].name;
        r = copy_sample(&c->batch[s - first], &col->samples[s]);
        c->batch[s - first].name = name;
    }
    return r;
}

/* Whether group g has a stream of its own: a reference stream with a part,
   or a delta stream (the Rust port of AGC registers empty reference
   streams that agc never writes). */
static int group_present(const rg_container *ctr, uint32_t g, uint32_t fv, int is_ref)
{
    char name[32];
    rg_group_stream_name(name, g, is_ref, fv);
    int id = rg_container_find(ctr, name);
    return id >= 0 && (!is_ref || ctr->streams[id].n_parts > 0);
}

static uint64_t record_count(const rg_container *ctr, const char *stream, size_t size)
{
    uint8_t *data;
    size_t len;
    uint64_t n;
    if (rg_container_read_records(ctr, stream, size, &data, &len, &n) < 0)
        return 0;
    free(data);
    return n;
}

/* agc's append extends what agc's create lays out: the delta streams of
   the 16 raw groups, the other groups numbered without gaps, and the
   splitters and group keys that send new segments to existing groups.
   Other writers (the Rust port of AGC) leave empty groups out and store
   neither splitters nor keys; agc's append then loses the groups or writes
   samples it cannot read back (docs/foreign-writers.md), so such an
   archive is refused with the reason instead. */
static int check_appendable(const ragc_archive *in)
{
    const rg_container *ctr = &in->ctr;
    uint32_t fv = in->params.file_version, n = 0;
    char name[32];
    for (uint32_t g = 0; g < RG_RAW_GROUPS; g++)
        if (!group_present(ctr, g, fv, 0)) {
            rg_group_stream_name(name, g, 0, fv);
            hts_log_error("cannot append: the archive lacks stream %s of raw group %u, which agc's "
                          "create always writes (its writer left empty groups out)", name, g);
            return RAGC_ERR_NOT_APPENDABLE;
        }
    while (group_present(ctr, n, fv, 1) || group_present(ctr, n, fv, 0))
        n++;
    for (uint32_t g = n + 1; g <= n + (uint32_t)ctr->n_streams; g++)
        if (group_present(ctr, g, fv, 1) || group_present(ctr, g, fv, 0)) {
            hts_log_error("cannot append: the archive has group %u but not group %u", g, n);
            return RAGC_ERR_NOT_APPENDABLE;
        }
    if (n > RG_RAW_GROUPS && record_count(ctr, "splitters", 8) == 0) {
        hts_log_error("cannot append: the archive stores no splitters for its %u groups, so new "
                      "samples cannot be segmented as its samples were", n);
        return RAGC_ERR_NOT_APPENDABLE;
    }
    if (n > RG_RAW_GROUPS && record_count(ctr, "segment-splitters", 20) == 0) {
        hts_log_error("cannot append: the archive stores no group keys (segment-splitters) for "
                      "its %u groups, so new segments cannot join them", n);
        return RAGC_ERR_NOT_APPENDABLE;
    }
    return RAGC_OK;
}

int rg_check_appendable(const ragc_archive *in)
{
    return check_appendable(in);   /* its messages keep their name */
}

/* Groups 0, 1, ... while either stream exists: references and all packs
   but the last copied, the last pack kept. */
static int init_groups(rg_compressor *c, ragc_archive *in)
{
    const rg_container *ctr = &in->ctr;
    uint32_t fv = in->params.file_version;
    int r = RAGC_OK;
    for (uint32_t g = 0; r == RAGC_OK; g++) {
        char rname[32], dname[32];
        rg_group_stream_name(rname, g, 1, fv);
        rg_group_stream_name(dname, g, 0, fv);
        int ir = rg_container_find(ctr, rname), id = rg_container_find(ctr, dname);
        if (ir < 0 && id < 0)
            break;
        if ((r = rg_add_group_slot(c)) < 0)
            break;
        rg_group *grp = &c->groups[g];
        grp->ref_stream = grp->delta_stream = -1;
        grp->packed = 1;
        if (ir >= 0 && (grp->ref_stream = rg_cw_register(c->w, rname)) < 0)
            return grp->ref_stream;
        if (id >= 0 && (grp->delta_stream = rg_cw_register(c->w, dname)) < 0)
            return grp->delta_stream;
        if (ir >= 0) {
            /* copied now; read again only if the group grows (its index) */
            if ((r = copy_part(c, ctr, ir, 0, grp->ref_stream, NULL, NULL, NULL)) < 0)
                break;
            grp->ref_in_input = 1;
            grp->in_ref_stream = ir;
            grp->no_seqs = 1;
        }
        if (id >= 0) {
            uint64_t parts = ctr->streams[id].n_parts;
            for (uint64_t p = 0; r == RAGC_OK && p + 1 < parts; p++) {
                r = copy_part(c, ctr, id, p, grp->delta_stream, NULL, NULL, NULL);
                grp->no_seqs += c->P;
            }
            if (r == RAGC_OK && parts > 0)
                r = copy_part(c, ctr, id, parts - 1, -1, &grp->in_last, &grp->in_last_len, &grp->in_last_meta);
        }
    }
    if (r == RAGC_OK && c->n_groups < RG_RAW_GROUPS) {
        hts_log_error("cannot append: the archive has only %u groups (agc writes 16 raw groups)", c->n_groups);
        r = RAGC_ERR_FORMAT;
    }
    return r;
}

int rg_append_reference(const rg_compressor *c, const rg_group *g, uint8_t **codes, size_t *n)
{
    uint8_t *data;
    size_t len;
    uint64_t meta;
    int r = rg_container_read_part(c->in_ctr, g->in_ref_stream, 0, &data, &len, &meta);
    return r < 0 ? r : rg_decode_reference_part(NULL, data, len, meta, codes, n);
}

/* The input's splitters (u64le each). */
int rg_read_archive_splitters(rg_compressor *c, ragc_archive *in)
{
    uint8_t *data;
    size_t len;
    uint64_t n;
    int r = rg_container_read_records(&in->ctr, "splitters", 8, &data, &len, &n);
    if (r < 0)
        return r;
    c->splitter_list = malloc((n ? n : 1) * sizeof(uint64_t));
    if (!c->splitter_list) {
        free(data);
        return RAGC_ERR_NOMEM;
    }
    for (uint64_t i = 0; i < n; i++)
        c->splitter_list[i] = rg_le64(data + 8 * i);
    c->n_splitters = n;
    free(data);
    return RAGC_OK;
}

/* One entry of segment-splitters: key (a, b) of group g. */
static int add_group_key(rg_compressor *c, uint64_t a, uint64_t b, uint32_t g)
{
    if (g >= c->n_groups) {
        hts_log_error("corrupt archive: segment-splitters names group %u of %u", g, c->n_groups);
        return RAGC_ERR_FORMAT;
    }
    return rg_map_group_key(c, a, b, g, 1);
}

/* The input's group map (u64le a, u64le b, u32le group each), with the
   terminator lists. */
int rg_read_archive_group_map(rg_compressor *c, ragc_archive *in)
{
    uint8_t *data;
    size_t len;
    uint64_t n;
    int r = rg_container_read_records(&in->ctr, "segment-splitters", 20, &data, &len, &n);
    if (r < 0)
        return r;
    for (uint64_t i = 0; r == RAGC_OK && i < n; i++) {
        const uint8_t *e = data + 20 * i;
        uint32_t g = 0;
        for (int k = 3; k >= 0; k--)
            g = (g << 8) | e[16 + k];
        r = add_group_key(c, rg_le64(e), rg_le64(e + 8), g);
    }
    free(data);
    if (r == RAGC_OK)   /* agc adds the raw key whether stored or not */
        r = rg_map_group_key(c, RG_KMER_MISSING, RG_KMER_MISSING, 0, 1);
    return r;
}

static int keep_file_type_info(rg_compressor *c, ragc_archive *in)
{
    c->n_info = (size_t)in->n_info;
    c->info_keys = calloc(c->n_info + 1, sizeof(char *));
    c->info_values = calloc(c->n_info + 1, sizeof(char *));
    if (!c->info_keys || !c->info_values)
        return RAGC_ERR_NOMEM;
    for (size_t i = 0; i < c->n_info; i++)
        if (!(c->info_keys[i] = strdup(in->info_key[i])) || !(c->info_values[i] = strdup(in->info_val[i])))
            return RAGC_ERR_NOMEM;
    return RAGC_OK;
}

int rg_append_init(rg_compressor *c, ragc_archive *in)
{
    int r = check_appendable(in);
    c->in_ctr = &in->ctr;
    if (r == RAGC_OK)
        r = keep_file_type_info(c, in);
    if (r == RAGC_OK)
        r = init_collection(c, in);
    if (r == RAGC_OK)
        r = init_groups(c, in);
    if (r == RAGC_OK)
        r = rg_read_archive_splitters(c, in);
    if (r == RAGC_OK)
        r = rg_read_archive_group_map(c, in);
    if (r == RAGC_OK)   /* ragc's extension stream, which agc's append drops */
        r = rg_ext_from_archive(&c->orig, in);
    c->processed_samples = in->col.n_samples;
    c->n_archive_samples = c->n_samples;
    return r;
}
