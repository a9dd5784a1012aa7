/* compress_sync.c -- the synchronisation point after a batch (stage 4),
   where agc registers a batch: adaptive mode's new splitters and postponed
   contigs, the contigs' segment counts, new groups numbered, segments
   without splitters spread over the raw groups, then every segment stored
   in its group (groups in parallel, each group's segments in order), the
   fall-back tuples merged and full collection batches written.  Also the
   batch's part list the contig jobs fill. */
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "compress_internal.h"
#include "grow.h"
#include "segment.h"

#define NEW_GROUP UINT32_MAX

int rg_part_list_push(rg_part_list *l, const rg_seg_part *p)
{
    pthread_mutex_lock(&l->lock);
    int r = RAGC_OK;
    RG_GROW(l->v, l->n, l->cap, 1024, r = RAGC_ERR_NOMEM);
    if (r == RAGC_OK)
        l->v[l->n++] = *p;
    pthread_mutex_unlock(&l->lock);
    return r;
}

void rg_part_list_clear(rg_part_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].data);
    l->n = 0;
}

/* Adaptive mode: the batch's new splitters join the set (for this batch's
   postponed contigs and every later sample), then the postponed contigs
   are cut again, with no further postponing. */
static int adaptive_second_pass(rg_compressor *c)
{
    int r = RAGC_OK;
    for (size_t i = 0; r == RAGC_OK && i < c->n_new_splitters; i++)
        r = rg_add_splitter(c, c->new_splitters[i]);
    if (r < 0)
        return r;
    c->n_new_splitters = 0;
    size_t n = c->n_hard;
    rg_hard_contig *hard = c->hard;
    c->hard = NULL;
    c->n_hard = c->cap_hard = 0;
    for (size_t i = 0; i < n; i++) {
        if (r == RAGC_OK)
            r = rg_dispatch_contig(c, hard[i].sample, hard[i].contig, hard[i].name, hard[i].codes,
                                   hard[i].n, 1, NULL, 0);
        else
            free(hard[i].codes);
    }
    free(hard);
    int jobs = rg_wait_jobs(c);
    return r == RAGC_OK ? jobs : r;
}

static int cmp_part_order(const void *x, const void *y)
{
    const rg_seg_part *a = x, *b = y;
    int c = strcmp(a->contig_name, b->contig_name);   /* bytewise, as std::string */
    if (c)
        return c;
    return a->part_no < b->part_no ? -1 : a->part_no > b->part_no;
}

static int cmp_part_ptr(const void *x, const void *y)
{
    return cmp_part_order(*(rg_seg_part *const *)x, *(rg_seg_part *const *)y);
}

static int cmp_group_then_order(const void *x, const void *y)
{
    const rg_seg_part *a = x, *b = y;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    return cmp_part_order(x, y);
}

/* The parts of group `group`, in part order (by contig name, then part
   number); *v malloc'ed, NULL when there are none. */
static int parts_of_group(rg_part_list *l, uint32_t group, rg_seg_part ***v, size_t *n)
{
    *v = NULL;
    *n = 0;
    for (size_t i = 0; i < l->n; i++)
        *n += l->v[i].group == group;
    if (!*n)
        return RAGC_OK;
    if (!(*v = malloc(*n * sizeof(**v))))
        return RAGC_ERR_NOMEM;
    size_t j = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].group == group)
            (*v)[j++] = &l->v[i];
    qsort(*v, *n, sizeof(**v), cmp_part_ptr);
    return RAGC_OK;
}

/* New keys get group ids in the order of their first part, as agc's
   process_new. */
static int number_new_groups(rg_compressor *c)
{
    rg_seg_part **v;
    size_t n_new;
    int r = parts_of_group(&c->parts, NEW_GROUP, &v, &n_new);
    if (r < 0 || !n_new)
        return r;
    khash_t(rg_group_map) *fresh = kh_init(rg_group_map);
    r = fresh ? RAGC_OK : RAGC_ERR_NOMEM;
    for (size_t i = 0; r == RAGC_OK && i < n_new; i++) {
        rg_pair key = { v[i]->k1, v[i]->k2 };
        int absent;
        khint_t it = kh_put(rg_group_map, fresh, key, &absent);
        if (absent < 0) {
            r = RAGC_ERR_NOMEM;
            break;
        }
        if (absent) {
            kh_val(fresh, it) = c->n_groups;
            r = rg_create_group(c, key.a, key.b);
        }
        v[i]->group = kh_val(fresh, it);
    }
    if (fresh)
        kh_destroy(rg_group_map, fresh);
    free(v);
    return r;
}

/* Segments without splitters (group 0) are spread over the raw groups as
   agc's distribute_segments: in part order, the j-th of the first
   n - ceil(n/16) goes to group 1 + j mod 15, the rest stay in group 0. */
static int distribute_raw(rg_compressor *c)
{
    rg_seg_part **v;
    size_t n;
    int r = parts_of_group(&c->parts, 0, &v, &n);
    if (r < 0 || n < 2) {
        free(v);
        return r;
    }
    size_t moved = n - (n + RG_RAW_GROUPS - 1) / RG_RAW_GROUPS;
    for (size_t i = 0; i < moved; i++)
        v[i]->group = 1 + (uint32_t)(i % (RG_RAW_GROUPS - 1));
    free(v);
    return RAGC_OK;
}

/* Storing: each group's parts in part order, groups in parallel. */
typedef struct {
    rg_compressor *c;
    size_t from, to;     /* parts [from, to) of the sorted list: whole groups */
} store_job;

static int store_part(rg_compressor *c, const rg_seg_part *p, ZSTD_CCtx *z)
{
    rg_group *g = &c->groups[p->group];
    uint32_t id;
    int r = p->group < RG_RAW_GROUPS
                ? rg_group_add_raw(c, g, p->data, p->len, z, &id)
                : rg_group_add(c, g, p->data, p->len, p->data, p->len, p->is_delta, z, &id);
    if (r < 0)
        return r;
    rg_contig *ctg = &c->batch[p->sample - c->batch_first].contigs[p->contig];
    if (p->part_no >= ctg->n_seg)
        return RAGC_ERR_FORMAT;   /* cannot happen: counts come from the cutter */
    ctg->seg[p->part_no] = (rg_seg){ p->group, id, p->raw_len, p->rc };
    return RAGC_OK;
}

static void *run_store_job(void *arg)
{
    store_job *j = arg;
    ZSTD_CCtx *z = rg_take_cctx(j->c);
    int r = z ? RAGC_OK : RAGC_ERR_NOMEM;
    const rg_seg_part *v = j->c->parts.v;
    for (size_t i = j->from; r == RAGC_OK && i < j->to; i++) {
        r = store_part(j->c, &v[i], z);
        /* the group's last member of the last batch: nothing reads its
           index any more (create's peak was there with every index of the
           last sample's new groups; append's, with every reopened one) */
        if (j->c->last_batch && (i + 1 == j->to || v[i + 1].group != v[i].group)) {
            rg_group *g = &j->c->groups[v[i].group];
            rg_lz_index_free(g->ix);
            g->ix = NULL;
        }
    }
    if (z)
        rg_give_cctx(j->c, z);
    rg_set_error(j->c, r);
    free(j);
    return NULL;
}

static int store_batch(rg_compressor *c)
{
    rg_part_list *l = &c->parts;
    if (l->n > 1)   /* l->v is NULL for a batch without bases (qsort's base must not be) */
        qsort(l->v, l->n, sizeof(rg_seg_part), cmp_group_then_order);
    /* jobs of whole groups, about 64 a batch for balance */
    size_t step = l->n / 64 + 1, i = 0;
    while (i < l->n) {
        size_t end = i + step < l->n ? i + step : l->n;
        while (end < l->n && l->v[end].group == l->v[end - 1].group)
            end++;
        store_job *j = malloc(sizeof(*j));
        if (!j)
            return RAGC_ERR_NOMEM;
        *j = (store_job){ c, i, end };
        int r = rg_dispatch(c, run_store_job, j);
        if (r < 0)
            return r;
        i = end;
    }
    return rg_wait_jobs(c);
}

static int add_fallback_pair(rg_pairvec *v, rg_pair add)
{
    for (uint32_t j = 0; j < v->n; j++)
        if (v->v[j].a == add.a && v->v[j].b == add.b)
            return RAGC_OK;
    RG_GROW(v->v, v->n, v->cap, 2, return RAGC_ERR_NOMEM);
    v->v[v->n++] = add;
    return RAGC_OK;
}

/* agc's add_fallback_mapping: the tuples of the splitter walk join the
   fall-back map at the first synchronisation point (so the reference itself
   never finds a fall-back group). */
static int merge_fallback_tuples(rg_compressor *c)
{
    for (size_t i = 0; i < c->n_fallback_pending; i++) {
        const rg_fallback_tuple *t = &c->fallback_pending[i];
        int absent;
        khint_t it = kh_put(rg_fallback_map, c->fallback, t->kmer, &absent);
        if (absent < 0)
            return RAGC_ERR_NOMEM;
        if (absent)
            kh_val(c->fallback, it) = (rg_pairvec){ NULL, 0, 0 };
        rg_pair add = t->dir ? (rg_pair){ t->s1, t->s2 } : (rg_pair){ t->s2, t->s1 };
        int r = add_fallback_pair(&kh_val(c->fallback, it), add);
        if (r < 0)
            return r;
    }
    free(c->fallback_pending);
    c->fallback_pending = NULL;
    c->n_fallback_pending = c->cap_fallback_pending = 0;
    return RAGC_OK;
}

/* The batch's segments, deltas and read buffers were freed on every
   thread's malloc arena, where glibc keeps blocks below its mmap threshold
   (segments of ~60 kB) for reuse; without this, they and what comes next
   (the next batch, the final packs' zstd contexts) both count in the peak:
   chrX set 517 -> 421 MB; append one sample to senterica-9, -t 2: 26.0 ->
   22.5 MB. */
static void return_freed_memory(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

/* The synchronisation point after a batch, as agc's registration. */
int rg_sync_batch(rg_compressor *c)
{
    int r = rg_wait_jobs(c);
    if (r == RAGC_OK && c->adaptive)
        r = adaptive_second_pass(c);
    if (r == RAGC_OK)
        r = rg_apply_segment_counts(c);
    if (r == RAGC_OK)
        r = number_new_groups(c);
    if (r == RAGC_OK)
        r = distribute_raw(c);
    if (r == RAGC_OK)
        r = store_batch(c);
    if (r == RAGC_OK)
        r = merge_fallback_tuples(c);
    rg_part_list_clear(&c->parts);
    if (r == RAGC_OK)
        r = rg_advance_collection(c);
    if (r == RAGC_OK)
        r = rg_cw_flush(c->w);
    return_freed_memory();
    return r;
}
