/* compress_like.c -- `create --like BASE`: a shard of BASE (shard.h,
   docs/scale-out.md).  The new samples are cut and grouped exactly as an
   append to BASE would (its parameters, splitters, group keys and group
   references; its groups stay packed until a member comes, as agc's
   append), but nothing of BASE is copied: the shard's collection holds its
   own samples only, BASE's groups start again with no member but their
   reference (LZ groups: in-group ids from 1; raw groups: from 0, without
   agc's placeholder), and the groups the shard opens take ids from BASE's
   group count on.  `ragc merge` renumbers and joins.  The reference
   streams of BASE's groups are registered and left empty, so a group's
   streams tell which archive holds its reference. */
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "archive.h"
#include "compress_internal.h"
#include "segment.h"

/* The index of a base group's reference, built now: a shard continues
   the base as create would, where every group's reference counts in the
   choice of a group (agc's append leaves untouched groups packed, and
   estimates them 0: on senterica-10, 4 samples + 3 appended cost 1.9x the
   delta bytes of one create of the 7). */
static int index_reference(rg_compressor *c, ragc_archive *base, rg_group *grp, int ir)
{
    uint8_t *part, *codes;
    size_t len, n;
    uint64_t meta;
    int r = rg_container_read_part(&base->ctr, ir, 0, &part, &len, &meta);
    if (r < 0)
        return r;
    r = rg_decode_reference_part(NULL, part, len, meta, &codes, &n);   /* takes part */
    if (r < 0)
        return r;
    grp->ix = rg_lz_index_build(codes, n, c->m);
    free(codes);
    return grp->ix ? RAGC_OK : RAGC_ERR_NOMEM;
}

/* Group g of the base: both stream names registered (agc's order); an LZ
   group has its member 0, the base's reference, and its index. */
static int like_group(rg_compressor *c, ragc_archive *base, uint32_t g, int ir)
{
    char rname[32], dname[32];
    rg_group_stream_name(rname, g, 1, 3000);
    rg_group_stream_name(dname, g, 0, 3000);
    int r = rg_add_group_slot(c);
    if (r < 0)
        return r;
    rg_group *grp = &c->groups[g];
    grp->ref_stream = grp->delta_stream = -1;
    if (g >= RG_RAW_GROUPS && (grp->ref_stream = rg_cw_register(c->w, rname)) < 0)
        return grp->ref_stream;
    if ((grp->delta_stream = rg_cw_register(c->w, dname)) < 0)
        return grp->delta_stream;
    if (g < RG_RAW_GROUPS || ir < 0)   /* a raw group, or an LZ group without a reference (never written) */
        return RAGC_OK;
    grp->no_seqs = 1;
    return index_reference(c, base, grp, ir);
}

static int like_groups(rg_compressor *c, ragc_archive *base)
{
    uint32_t fv = base->params.file_version;
    int r = RAGC_OK;
    for (uint32_t g = 0; r == RAGC_OK; g++) {
        char rname[32], dname[32];
        rg_group_stream_name(rname, g, 1, fv);
        rg_group_stream_name(dname, g, 0, fv);
        int ir = rg_container_find(&base->ctr, rname), id = rg_container_find(&base->ctr, dname);
        if (ir >= 0 && base->ctr.streams[ir].n_parts == 0)
            ir = -1;
        if (ir < 0 && id < 0)
            break;
        r = like_group(c, base, g, ir);
    }
    return r;
}

int rg_like_init(rg_compressor *c, ragc_archive *base)
{
    int r = rg_check_appendable(base);
    if (r == RAGC_OK)
        r = rg_shard_fingerprint(&base->ctr, c->shard.base_id);
    if (r == RAGC_OK)
        r = like_groups(c, base);
    if (r == RAGC_OK)
        r = rg_read_archive_splitters(c, base);
    if (r == RAGC_OK)
        r = rg_read_archive_group_map(c, base);
    c->like = base;
    c->shard.n_base_groups = c->n_groups;
    c->shard.n_base_samples = (uint64_t)base->col.n_samples;
    /* the merge cuts and compresses the packs again: zstd's level 19 here
       would be spent twice (8% of create's time on the chrX set, 40% on
       senterica) */
    c->shard.flags = RG_SHARD_DRAFT_PACKS;
    return r;
}

/* The shard stream (shard.h), written at once. */
static int write_shard_stream(rg_container_writer *w, const rg_shard_info *info)
{
    int s = rg_cw_register(w, RG_SHARD_STREAM);
    if (s < 0)
        return s;
    rg_bytes b = { 0 };
    int r = rg_bytes_append(&b, info->base_id, 16);
    if (r == RAGC_OK)
        r = rg_bytes_put_uvar(&b, info->n_base_groups);
    if (r == RAGC_OK)
        r = rg_bytes_put_uvar(&b, info->n_base_samples);
    if (r == RAGC_OK)
        r = rg_bytes_put_uvar(&b, info->flags);
    if (r == RAGC_OK)
        r = rg_cw_add_part(w, s, b.s, b.len, RG_SHARD_VERSION);
    rg_bytes_free(&b);
    return r;
}

int rg_like_write_shard_stream(rg_compressor *c)
{
    return c->like ? write_shard_stream(c->w, &c->shard) : RAGC_OK;
}
