/* merge_inputs.c -- stage 1 of the merge: the inputs opened and checked,
   each shard matched to its base (merge_internal.h). */
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "compress_internal.h"   /* rg_check_appendable */
#include "merge_internal.h"
#include "segment.h"

int rg_merge_group_stream(const rg_merge_input *in, uint32_t g, int is_ref)
{
    char name[32];
    rg_group_stream_name(name, g, is_ref, in->arc->params.file_version);
    int s = rg_container_find(&in->arc->ctr, name);
    /* the empty reference stream of a base's group in a shard is no reference */
    if (s >= 0 && is_ref && in->arc->ctr.streams[s].n_parts == 0)
        return -1;
    return s;
}

/* Groups 0, 1, ... while either stream exists (agc's append counts so). */
static uint32_t count_groups(const ragc_archive *arc)
{
    uint32_t fv = arc->params.file_version, g = 0;
    for (;; g++) {
        char r[32], d[32];
        rg_group_stream_name(r, g, 1, fv);
        rg_group_stream_name(d, g, 0, fv);
        if (rg_container_find(&arc->ctr, r) < 0 && rg_container_find(&arc->ctr, d) < 0)
            return g;
    }
}

/* The parameters decide how segments overlap (k), decode (m), pack (P) and
   are predicted (S): they must be the first input's. */
static int same_params(const rg_merger *mg, const rg_merge_input *in)
{
    const ragc_params *p = &in->arc->params;
    if (p->kmer_length == mg->k && p->min_match_len == mg->m && p->pack_cardinality == mg->P
        && p->segment_size == mg->S)
        return RAGC_OK;
    hts_log_error("%s has other parameters (k %u, l %u, b %u, s %u) than %s (k %u, l %u, b %u, s %u): "
                  "archives merge only when made with the same ones", in->path, p->kmer_length,
                  p->min_match_len, p->pack_cardinality, p->segment_size, mg->in[0].path, mg->k, mg->m,
                  mg->P, mg->S);
    return RAGC_ERR_ARG;
}

static int open_input(rg_merger *mg, size_t i, const char *path)
{
    rg_merge_input *in = &mg->in[i];
    int st;
    in->path = path;
    in->base = -1;
    if (!(in->arc = rg_archive_open_shard(path, &st)))
        return st;
    if (in->arc->params.file_version < 3000) {
        hts_log_error("%s is an archive of format %u: only format 3 archives merge (`ragc append -o NEW "
                      "OLD` does not convert; recompress it with `ragc create`)", path,
                      in->arc->params.file_version / 1000);
        return RAGC_ERR_VERSION;
    }
    if (i == 0) {
        const ragc_params *p = &in->arc->params;
        mg->k = p->kmer_length, mg->m = p->min_match_len, mg->P = p->pack_cardinality, mg->S = p->segment_size;
    }
    int r = same_params(mg, in);
    if (r < 0)
        return r;
    /* what makes the output appendable: the raw groups, the splitters and keys */
    if (!in->arc->is_shard && (r = rg_check_appendable(in->arc)) < 0) {
        hts_log_error("%s cannot be merged: see above", path);
        return r;
    }
    in->n_groups = count_groups(in->arc);
    if (in->n_groups < RG_RAW_GROUPS) {
        hts_log_error("%s has %u groups, fewer than agc's 16 raw groups", path, in->n_groups);
        return RAGC_ERR_FORMAT;
    }
    if (!(in->out_group = calloc(in->n_groups, sizeof(uint32_t)))
        || !(in->id_offset = calloc(in->n_groups, sizeof(uint64_t)))
        || !(in->id_map = calloc(in->n_groups, sizeof(uint32_t *)))
        || !(in->n_members = calloc(in->n_groups, sizeof(uint64_t))))
        return RAGC_ERR_NOMEM;
    return RAGC_OK;
}

/* A shard's base: the earlier non-shard input with its fingerprint. */
static int find_base(rg_merger *mg, size_t i)
{
    rg_merge_input *in = &mg->in[i];
    for (size_t j = 0; j < i; j++) {
        rg_merge_input *b = &mg->in[j];
        if (b->arc->is_shard)
            continue;
        if (!b->has_fingerprint) {
            int r = rg_shard_fingerprint(&b->arc->ctr, b->fingerprint);
            if (r < 0)
                return r;
            b->has_fingerprint = 1;
        }
        if (memcmp(b->fingerprint, in->arc->shard.base_id, 16) != 0)
            continue;
        if (b->n_groups != in->arc->shard.n_base_groups) {
            hts_log_error("corrupt shard %s: made from %llu groups of %s, which has %u", in->path,
                          (unsigned long long)in->arc->shard.n_base_groups, b->path, b->n_groups);
            return RAGC_ERR_FORMAT;
        }
        in->base = (int)j;
        return RAGC_OK;
    }
    hts_log_error("%s is a shard made with `create --like` of an archive that is not among the inputs "
                  "before it (its base has %llu samples): give the base first, as it was when the shard "
                  "was made", in->path, (unsigned long long)in->arc->shard.n_base_samples);
    return RAGC_ERR_ARG;
}

int rg_merge_open_inputs(rg_merger *mg, char *const *paths, size_t n)
{
    if (!(mg->in = calloc(n, sizeof(rg_merge_input))))
        return RAGC_ERR_NOMEM;
    mg->n_in = n;
    int r = RAGC_OK;
    for (size_t i = 0; r == RAGC_OK && i < n; i++)
        r = open_input(mg, i, paths[i]);
    for (size_t i = 0; r == RAGC_OK && i < n; i++)
        if (mg->in[i].arc->is_shard)
            r = find_base(mg, i);
    return r;
}
