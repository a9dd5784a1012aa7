/* compress_close.c -- stage 5, after the last sample: the last, partial
   collection batch, every group's open pack (compressed in parallel, as
   agc's finalizing threads), then the metadata streams in agc's order:
   params, splitters, segment-splitters, file_type_info, and the sample
   list (buffered, so the last part of the file).  The container's
   directory is written by rg_cw_close (compress.c). */
#include <stdatomic.h>
#include <stdlib.h>

#include "collection_write.h"
#include "compress_internal.h"
#include "sort_u64.h"

/* The groups with an open pack, the largest first, shared by the finish
   jobs: each job takes the next group of the list.  Longest first keeps
   the threads busy to the end (in group order, a job of long packs that
   started last, such as the raw groups' when they came in one job, ran
   alone for the last 0.05-0.1 s of senterica-10's 1.4 s). */
typedef struct {
    rg_compressor *c;
    uint32_t *order;
    uint32_t n;
    _Atomic uint32_t next;
} finish_list;

typedef struct {
    uint64_t size;
    uint32_t group;
} pack_size;

static int cmp_larger_pack(const void *x, const void *y)
{
    const pack_size *a = x, *b = y;
    if (a->size != b->size)
        return a->size > b->size ? -1 : 1;
    return a->group < b->group ? -1 : a->group > b->group;
}

static void *run_finish_job(void *arg)
{
    finish_list *l = arg;
    ZSTD_CCtx *z = rg_take_cctx(l->c);
    int r = z ? RAGC_OK : RAGC_ERR_NOMEM;
    for (uint32_t i; r == RAGC_OK && (i = atomic_fetch_add(&l->next, 1)) < l->n;)
        r = rg_group_finish(l->c, &l->c->groups[l->order[i]], z);
    if (z)
        rg_give_cctx(l->c, z);
    rg_set_error(l->c, r);
    return NULL;
}

/* The groups' open packs, largest first (see finish_list). */
static int order_groups(rg_compressor *c, finish_list *l)
{
    pack_size *v = malloc((c->n_groups ? c->n_groups : 1) * sizeof(*v));
    l->order = malloc((c->n_groups ? c->n_groups : 1) * sizeof(*l->order));
    if (!v || !l->order) {
        free(v);
        return RAGC_ERR_NOMEM;
    }
    uint32_t n = 0;
    for (uint32_t g = 0; g < c->n_groups; g++) {
        const rg_group *grp = &c->groups[g];
        if (grp->in_last || grp->n_items)
            v[n++] = (pack_size){ grp->in_last ? 0 : grp->pack.len, g };
    }
    qsort(v, n, sizeof(*v), cmp_larger_pack);
    for (uint32_t i = 0; i < n; i++)
        l->order[i] = v[i].group;
    l->n = n;
    free(v);
    return RAGC_OK;
}

static int finish_groups(rg_compressor *c)
{
    /* no segment comes any more: the references' LZ indexes (about 3 bytes
       a reference base) go before the packs' zstd contexts grow (the
       senterica-10 peak was there, with both) */
    for (uint32_t g = 0; g < c->n_groups; g++) {
        rg_lz_index_free(c->groups[g].ix);
        c->groups[g].ix = NULL;
    }
    finish_list l = { .c = c };
    atomic_init(&l.next, 0);
    int r = order_groups(c, &l);
    for (int t = 0; r == RAGC_OK && t < c->threads && (uint32_t)t < l.n; t++)
        r = hts_tpool_dispatch(c->pool, c->q, run_finish_job, &l) < 0 ? RAGC_ERR_NOMEM : RAGC_OK;
    int w = rg_wait_jobs(c);   /* l is on this stack: every job ends first */
    free(l.order);
    return r == RAGC_OK ? w : r;
}

/* Every group key with its group id. */
static int write_segment_splitters(rg_compressor *c, int stream)
{
    size_t n = kh_size(c->groups_by_key), i = 0;
    rg_segment_key *keys = malloc((n ? n : 1) * sizeof(*keys));
    if (!keys)
        return RAGC_ERR_NOMEM;
    for (khint_t it = kh_begin(c->groups_by_key); it != kh_end(c->groups_by_key); ++it)
        if (kh_exist(c->groups_by_key, it)) {
            rg_pair k = kh_key(c->groups_by_key, it);
            keys[i++] = (rg_segment_key){ k.a, k.b, kh_val(c->groups_by_key, it) };
        }
    int r = rg_write_segment_splitters(c->w, stream, keys, i);
    free(keys);
    return r;
}

static int write_file_type_info(rg_compressor *c)
{
    int s_info = rg_cw_register(c->w, "file_type_info");
    if (s_info < 0)
        return RAGC_ERR_NOMEM;
    if (!c->info_keys)
        return rg_write_file_type_info(c->w, s_info);
    /* append keeps the input's, as agc */
    return rg_write_file_type_info_pairs(c->w, s_info, (const char *const *)c->info_keys,
                                         (const char *const *)c->info_values, c->n_info);
}

static int write_sample_names(rg_compressor *c)
{
    ZSTD_CCtx *z = rg_take_cctx(c);
    if (!z)
        return RAGC_ERR_NOMEM;
    int r = rg_write_sample_names(c->w, c->s_samples, c->sample_names, c->n_samples, z);
    rg_give_cctx(c, z);
    return r;
}

static int write_metadata(rg_compressor *c)
{
    int s_params, s_spl, s_segspl;
    if ((s_params = rg_cw_register(c->w, "params")) < 0 || (s_spl = rg_cw_register(c->w, "splitters")) < 0
        || (s_segspl = rg_cw_register(c->w, "segment-splitters")) < 0)
        return RAGC_ERR_NOMEM;
    int r = rg_write_params(c->w, s_params, c->k, c->m, c->P, c->S);
    if (r == RAGC_OK) {   /* adaptive mode appended new splitters unsorted */
        rg_sort_u64(c->splitter_list, c->n_splitters);
        r = rg_write_splitters(c->w, s_spl, c->splitter_list, c->n_splitters);
    }
    if (r == RAGC_OK)
        r = write_segment_splitters(c, s_segspl);
    if (r == RAGC_OK)
        r = write_file_type_info(c);
    if (r == RAGC_OK)
        r = write_sample_names(c);
    return r;
}

int rg_close_archive(rg_compressor *c)
{
    int r = rg_write_last_collection_batch(c);
    if (r == RAGC_OK)
        r = rg_cw_flush(c->w);
    if (r == RAGC_OK)
        r = finish_groups(c);
    if (r == RAGC_OK)
        r = rg_cw_flush(c->w);
    if (r == RAGC_OK)
        r = write_metadata(c);
    if (r == RAGC_OK)   /* ragc's extension streams, after agc's */
        r = rg_ext_write(&c->orig, c->w);
    if (r == RAGC_OK)
        r = rg_ext_write(&c->md5, c->w);
    if (r == RAGC_OK)   /* create --like: what makes the output a shard */
        r = rg_like_write_shard_stream(c);
    return r;
}
