/* merge_groups.c -- stage 3 of the merge: the output groups' parts
   (merge_internal.h).  Jobs on htslib's thread pool each build the parts
   of a few consecutive groups; the calling thread writes the results in
   dispatch order, so the output does not depend on -t, and the queue
   bounds how many parts wait in memory. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>
#include <zstd.h>

#include "grow.h"
#include "lzdiff.h"
#include "lzdiff_enc.h"
#include "merge_internal.h"
#include "segment.h"
#include "segment_write.h"

/* groups a job: few enough that a job's parts are a small share of memory */
#define GROUPS_A_JOB 4

typedef struct {
    int stream;
    uint8_t *data;
    size_t len;
    uint64_t meta;
} out_part;

typedef struct {
    rg_merger *mg;
    uint32_t from, to;
    out_part *parts;
    size_t n_parts, cap_parts;
    int status;
    ZSTD_CCtx *cctx;
    ZSTD_DCtx *dctx;
} group_job;

/* The pack being filled when packs are cut again. */
typedef struct {
    rg_bytes pack;
    uint32_t n_items;
} open_pack;

int rg_merge_register_groups(rg_merger *mg)
{
    for (uint32_t g = 0; g < mg->n_groups; g++) {
        char name[32];
        rg_merge_group *og = &mg->groups[g];
        if (g >= RG_RAW_GROUPS) {
            rg_group_stream_name(name, g, 1, 3000);
            if ((og->ref_stream = rg_cw_register(mg->w, name)) < 0)
                return og->ref_stream;
        }
        rg_group_stream_name(name, g, 0, 3000);
        if ((og->delta_stream = rg_cw_register(mg->w, name)) < 0)
            return og->delta_stream;
    }
    return RAGC_OK;
}

/* Takes data. */
static int push_part(group_job *j, int stream, uint8_t *data, size_t len, uint64_t meta)
{
    RG_GROW(j->parts, j->n_parts, j->cap_parts, 16, { free(data); return RAGC_ERR_NOMEM; });
    j->parts[j->n_parts++] = (out_part){ stream, data, len, meta };
    return RAGC_OK;
}

static int emit_open(group_job *j, const rg_merge_group *og, open_pack *op, int lz)
{
    uint8_t *part;
    size_t len;
    uint64_t meta;
    rg_pack_kind kind = lz ? RG_PACK_LZ : RG_PACK_RAW;
    int r = rg_encode_pack_part_kind(j->cctx, op->pack.s, op->pack.len, kind, &part, &len, &meta);
    op->pack.len = 0;
    op->n_items = 0;
    return r < 0 ? r : push_part(j, og->delta_stream, part, len, meta);
}

/* A stored pack whose items join the open pack (cut into packs of P). */
static int reopen_pack(group_job *j, const rg_merge_group *og, open_pack *op, const uint8_t *pack,
                       const uint32_t *ends, int64_t items, int lz)
{
    int r = RAGC_OK;
    for (int64_t i = 0; r == RAGC_OK && i < items; i++) {
        size_t start = i ? ends[i - 1] + 1 : 0;
        if ((r = rg_pack_append(&op->pack, pack + start, ends[i] - start)) < 0)
            break;
        if (++op->n_items == j->mg->P)
            r = emit_open(j, og, op, lz);
    }
    return r;
}

/* Part p of a source's delta stream: copied as stored when it lands whole
   at a pack's place (the open pack is empty and it is full, or it is the
   group's very last pack) and was compressed for keeps (not a shard's
   draft), else reopened.  *items gets its item count. */
static int take_pack(group_job *j, const rg_merge_group *og, open_pack *op, const rg_merge_input *in, int ds,
                     uint64_t p, int last_of_group, int lz, uint64_t *items)
{
    uint8_t *data, *pack;
    size_t len, plen;
    uint64_t meta;
    int r = rg_container_read_part(&in->arc->ctr, ds, p, &data, &len, &meta);
    if (r < 0)
        return r;
    int not_last = p + 1 < in->arc->ctr.streams[ds].n_parts;
    int draft = in->arc->is_shard && (in->arc->shard.flags & RG_SHARD_DRAFT_PACKS);
    if (op->n_items == 0 && not_last && !draft) {   /* every pack but a stream's last holds P items */
        *items = j->mg->P;
        return push_part(j, og->delta_stream, data, len, meta);
    }
    uint8_t *copy = len ? malloc(len) : NULL;
    if (len && !copy) {
        free(data);
        return RAGC_ERR_NOMEM;
    }
    if (len)
        memcpy(copy, data, len);
    if ((r = rg_decode_pack_part(j->dctx, data, len, meta, &pack, &plen)) < 0) {   /* takes data */
        free(copy);
        return r;
    }
    uint32_t *ends = NULL;
    int64_t n = rg_pack_index(pack, plen, &ends);
    if (n < 0 || (uint64_t)n > j->mg->P) {
        r = n < 0 ? RAGC_ERR_NOMEM : RAGC_ERR_FORMAT;
        if (n >= 0)
            hts_log_error("corrupt archive %s: a pack of %lld items (at most %u)", in->path, (long long)n, j->mg->P);
    } else if (op->n_items == 0 && !draft && ((uint64_t)n == j->mg->P || last_of_group)) {
        r = push_part(j, og->delta_stream, copy, len, meta);
        copy = NULL;
    } else {
        r = reopen_pack(j, og, op, pack, ends, n, lz);
    }
    *items = n < 0 ? 0 : (uint64_t)n;
    free(copy);
    free(ends);
    free(pack);
    return r;
}

/* The stored reference part of group g of an input. */
static int reference_part(const rg_merge_input *in, uint32_t g, uint8_t **data, size_t *len, uint64_t *meta)
{
    int rs = rg_merge_group_stream(in, g, 1);
    if (rs < 0) {
        hts_log_error("corrupt archive %s: group %u has no reference", in->path, g);
        return RAGC_ERR_FORMAT;
    }
    return rg_container_read_part(&in->arc->ctr, rs, 0, data, len, meta);
}

/* The reference part of the group's first source, as stored. */
static int copy_reference(group_job *j, const rg_merge_group *og, const rg_merge_input *in, uint32_t g)
{
    uint8_t *data;
    size_t len;
    uint64_t meta;
    int r = reference_part(in, g, &data, &len, &meta);
    return r < 0 ? r : push_part(j, og->ref_stream, data, len, meta);
}

/* The decoded reference of group g of an input. */
static int read_reference(group_job *j, const rg_merge_input *in, uint32_t g, uint8_t **codes, size_t *n)
{
    uint8_t *data;
    size_t len;
    uint64_t meta;
    int r = reference_part(in, g, &data, &len, &meta);
    return r < 0 ? r : rg_decode_reference_part(j->dctx, data, len, meta, codes, n);   /* takes data */
}

/* One member of a recoded group, coded against the output group's
   reference: its output id in *id (0 when it is that reference). */
static int recode_member(group_job *j, const rg_merge_group *og, open_pack *op, const rg_lz_index *ix,
                         const uint8_t *codes, size_t n, uint64_t *before, uint32_t *id)
{
    rg_bytes delta = { 0 };
    int r = rg_lz_encode(ix, codes, n, &delta);
    if (r == RAGC_OK && delta.len == 0) {
        *id = 0;
    } else if (r == RAGC_OK && (r = rg_pack_append(&op->pack, delta.s, delta.len)) == RAGC_OK) {
        *id = (uint32_t)++*before;
        if (++op->n_items == j->mg->P)
            r = emit_open(j, og, op, 1);
    }
    rg_bytes_free(&delta);
    return r;
}

/* A group joined to an earlier one of the same splitter pair: its
   reference (member 0) and every stored member decoded and coded again
   against the output group's reference, in id order; id_map says where
   each went. */
static int recode_source(group_job *j, const rg_merge_group *og, open_pack *op, rg_merge_input *in, uint32_t g,
                         const rg_lz_index *ix, uint64_t *before)
{
    uint8_t *ref = NULL, *pack = NULL;
    size_t ref_len, plen;
    int r = read_reference(j, in, g, &ref, &ref_len);
    int ds = rg_merge_group_stream(in, g, 0);
    uint64_t np = ds >= 0 ? in->arc->ctr.streams[ds].n_parts : 0, n = 0;
    uint32_t *map = NULL;
    if (r == RAGC_OK && (!(map = malloc((np * j->mg->P + 1) * sizeof(uint32_t)))))
        r = RAGC_ERR_NOMEM;
    if (r == RAGC_OK)
        r = recode_member(j, og, op, ix, ref, ref_len, before, &map[n++]);
    rg_bytes member = { 0 };
    for (uint64_t p = 0; r == RAGC_OK && p < np; p++) {
        uint8_t *data;
        size_t len;
        uint64_t meta;
        uint32_t *ends = NULL;
        if ((r = rg_container_read_part(&in->arc->ctr, ds, p, &data, &len, &meta)) < 0
            || (r = rg_decode_pack_part(j->dctx, data, len, meta, &pack, &plen)) < 0)
            break;
        int64_t items = rg_pack_index(pack, plen, &ends);
        if (items < 0 || (uint64_t)items > j->mg->P)
            r = items < 0 ? RAGC_ERR_NOMEM : RAGC_ERR_FORMAT;
        for (int64_t i = 0; r == RAGC_OK && i < items; i++) {
            size_t start = i ? ends[i - 1] + 1 : 0;
            member.len = 0;
            r = rg_lz_decode(ref, ref_len, pack + start, ends[i] - start, j->mg->m, 2, &member);
            if (r == RAGC_OK)
                r = recode_member(j, og, op, ix, member.s, member.len, before, &map[n++]);
        }
        free(ends);
        free(pack);
        pack = NULL;
    }
    rg_bytes_free(&member);
    free(ref);
    if (r == RAGC_OK) {   /* this (input, group) is this job's alone */
        in->id_map[g] = map;
        in->n_members[g] = n;
    } else {
        free(map);
    }
    return r;
}

static int merge_group(group_job *j, uint32_t gid)
{
    rg_merger *mg = j->mg;
    const rg_merge_group *og = &mg->groups[gid];
    int lz = gid >= RG_RAW_GROUPS, r = RAGC_OK;
    open_pack op = { { 0 }, 0 };
    rg_lz_index *ix = NULL;   /* the reference's index, when a source is recoded */
    uint64_t before = 0;      /* members so far (an LZ group's reference not counted) */
    for (uint32_t s = 0; r == RAGC_OK && s < og->n_src; s++) {
        rg_merge_input *in = &mg->in[og->src[s].input];
        uint32_t g = og->src[s].group;
        in->id_offset[g] = before;   /* this (input, group) is this job's alone */
        if (og->src[s].recode) {
            if (!ix) {
                uint8_t *codes;
                size_t n;
                const rg_merge_source *owner = &og->src[0];
                if ((r = read_reference(j, &mg->in[owner->input], owner->group, &codes, &n)) < 0)
                    break;
                ix = rg_lz_index_build(codes, n, mg->m);
                free(codes);
                if (!ix) {
                    r = RAGC_ERR_NOMEM;
                    break;
                }
            }
            r = recode_source(j, og, &op, in, g, ix, &before);
            continue;
        }
        if (lz && s == 0)
            r = copy_reference(j, og, in, g);
        int ds = rg_merge_group_stream(in, g, 0);
        uint64_t np = ds >= 0 ? in->arc->ctr.streams[ds].n_parts : 0;
        for (uint64_t p = 0; r == RAGC_OK && p < np; p++) {
            uint64_t items = 0;
            r = take_pack(j, og, &op, in, ds, p, s + 1 == og->n_src && p + 1 == np, lz, &items);
            before += items;
        }
        /* the ids its descriptors may use: 0 .. n - 1 (an LZ group's 0 is the reference) */
        in->n_members[g] = before - in->id_offset[g] + (lz ? 1 : 0);
    }
    if (r == RAGC_OK && op.n_items)
        r = emit_open(j, og, &op, lz);
    rg_lz_index_free(ix);
    rg_bytes_free(&op.pack);
    return r;
}

static void *run_group_job(void *arg)
{
    group_job *j = arg;
    j->cctx = ZSTD_createCCtx();
    j->dctx = ZSTD_createDCtx();
    j->status = j->cctx && j->dctx ? RAGC_OK : RAGC_ERR_NOMEM;
    for (uint32_t g = j->from; j->status == RAGC_OK && g < j->to; g++)
        j->status = merge_group(j, g);
    ZSTD_freeCCtx(j->cctx);
    ZSTD_freeDCtx(j->dctx);
    j->cctx = NULL;
    j->dctx = NULL;
    return j;
}

static void free_job(group_job *j)
{
    for (size_t i = 0; i < j->n_parts; i++)
        free(j->parts[i].data);
    free(j->parts);
    free(j);
}

/* Writes a finished job's parts (or takes its error), and frees it. */
static int write_job(rg_merger *mg, group_job *j, int r)
{
    if (r == RAGC_OK)
        r = j->status;
    for (size_t i = 0; r == RAGC_OK && i < j->n_parts; i++)
        r = rg_cw_add_part(mg->w, j->parts[i].stream, j->parts[i].data, j->parts[i].len, j->parts[i].meta);
    free_job(j);
    return r;
}

static int next_result(rg_merger *mg, hts_tpool_process *q, int r)
{
    hts_tpool_result *res = hts_tpool_next_result_wait(q);
    if (!res)
        return r == RAGC_OK ? RAGC_ERR_NOMEM : r;
    group_job *j = hts_tpool_result_data(res);
    hts_tpool_delete_result(res, 0);
    return write_job(mg, j, r);
}

int rg_merge_write_groups(rg_merger *mg)
{
    int threads = mg->threads > 0 ? mg->threads : 1;
    hts_tpool *pool = hts_tpool_init(threads);
    hts_tpool_process *q = pool ? hts_tpool_process_init(pool, 2 * threads, 0) : NULL;
    if (!q) {
        if (pool)
            hts_tpool_destroy(pool);
        return RAGC_ERR_NOMEM;
    }
    int r = RAGC_OK;
    size_t pending = 0;
    for (uint32_t from = 0; r == RAGC_OK && from < mg->n_groups;) {
        uint32_t to = mg->n_groups - from > GROUPS_A_JOB ? from + GROUPS_A_JOB : mg->n_groups;
        group_job *j = calloc(1, sizeof(*j));
        if (!j) {
            r = RAGC_ERR_NOMEM;
            break;
        }
        *j = (group_job){ .mg = mg, .from = from, .to = to };
        int d;
        /* the queue is full: write the oldest result first */
        while ((d = hts_tpool_dispatch2(pool, q, run_group_job, j, 1)) < 0 && errno == EAGAIN && pending > 0) {
            r = next_result(mg, q, r);
            pending--;
        }
        if (d < 0) {
            free(j);
            r = r == RAGC_OK ? RAGC_ERR_NOMEM : r;
            break;
        }
        pending++;
        from = to;
    }
    while (pending > 0) {
        r = next_result(mg, q, r);
        pending--;
    }
    hts_tpool_process_destroy(q);
    hts_tpool_destroy(pool);
    return r;
}
