/* compress.c -- the create pipeline: splitters from the reference, then per
   sample: contigs cut and classified on the thread pool, one
   synchronisation point (new groups numbered, raw segments distributed,
   members stored group by group in parallel), parts flushed; at the end the
   open packs, the metadata streams and the sample list.  Memory holds one
   sample's segments (known-group members already as LZ deltas) plus the
   group references and their indexes, never the collection. */
#include "compress.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <htslib/hts_log.h>

#include "collection_write.h"
#include "compress_internal.h"
#include "grow.h"
#include "sort_u64.h"
#include "fasta_in.h"
#include "outfile.h"
#include "archive.h"
#include "ragc.h"
#include "segment.h"
#include "segment_write.h"
#include "splitters.h"

#define MISSING RG_KMER_MISSING
#define NEW_GROUP UINT32_MAX

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

void rg_create_opts_default(rg_create_opts *o)
{
    *o = (rg_create_opts){ .kmer_length = 31, .min_match_len = 20, .pack_cardinality = 50,
                           .segment_size = 60000, .threads = 1 };
}

void ragc_create_opts_init(ragc_create_opts *o)
{
    rg_create_opts_default(o);
}

int ragc_create(const char *out_path, char *const *paths, size_t n, const ragc_create_opts *opts)
{
    return rg_create(out_path, paths, n, opts);
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t m = strlen(suffix);
    return n > m && memcmp(s + n - m, suffix, m) == 0;
}

char *rg_sample_name_of_path(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    /* std::filesystem::path::stem: drop the last extension (not a leading dot) */
    const char *dot = strrchr(base, '.');
    if (dot && dot != base && strcmp(base, "..") != 0)
        n = (size_t)(dot - base);
    static const char *const suffixes[] = { ".fna", ".gz", ".fa", ".fasta" };
    for (int again = 1; again;) {
        again = 0;
        for (int i = 0; i < 4; i++)
            if (ends_with(base, n, suffixes[i])) {
                n -= strlen(suffixes[i]);
                again = 1;
                break;
            }
    }
    return strndup(base, n);
}

/* --- per-thread zstd contexts ------------------------------------------ */

typedef struct {
    pthread_mutex_t lock;
    ZSTD_CCtx **free_list;
    int n_free, cap;
} cctx_pool;

static ZSTD_CCtx *take_cctx(cctx_pool *p)
{
    pthread_mutex_lock(&p->lock);
    ZSTD_CCtx *c = p->n_free ? p->free_list[--p->n_free] : NULL;
    pthread_mutex_unlock(&p->lock);
    return c ? c : ZSTD_createCCtx();
}

static void give_cctx(cctx_pool *p, ZSTD_CCtx *c)
{
    pthread_mutex_lock(&p->lock);
    if (p->n_free < p->cap)
        p->free_list[p->n_free++] = c;
    else
        ZSTD_freeCCtx(c);
    pthread_mutex_unlock(&p->lock);
}

/* --- state -------------------------------------------------------------- */

typedef struct {
    rg_compressor c;
    cctx_pool zp;
    hts_tpool_process *q;
    atomic_int error;          /* first error of a job */
} create_state;

static void set_error(create_state *st, int r)
{
    int zero = 0;
    if (r < 0)
        atomic_compare_exchange_strong(&st->error, &zero, r);
}

int rg_add_group_slot(rg_compressor *c)
{
    RG_GROW(c->groups, c->n_groups, c->cap_groups, 1024, return RAGC_ERR_NOMEM);
    memset(&c->groups[c->n_groups++], 0, sizeof(rg_group));
    return RAGC_OK;
}

static int register_raw_groups(create_state *st)
{
    rg_compressor *c = &st->c;
    ZSTD_CCtx *z = take_cctx(&st->zp);
    int r = z ? RAGC_OK : RAGC_ERR_NOMEM;
    for (uint32_t g = 0; r == RAGC_OK && g < RG_RAW_GROUP_COUNT; g++) {
        char name[32];
        rg_group_stream_name(name, g, 0, 3000);
        int ds = rg_cw_register(c->w, name);
        if (ds < 0 || (r = rg_add_group_slot(c)) < 0) {
            r = ds < 0 ? ds : r;
            break;
        }
        r = rg_group_init_raw(c, &c->groups[g], ds, z);
    }
    if (z)
        give_cctx(&st->zp, z);
    int absent;
    rg_pair none = { MISSING, MISSING };
    khint_t it = kh_put(rg_group_map, c->groups_by_key, none, &absent);
    if (absent < 0)
        return RAGC_ERR_NOMEM;
    kh_val(c->groups_by_key, it) = 0;
    return r;
}

/* --- the batch: one sample (P contigs with -c) ---------------------- */

typedef struct {
    create_state *st;
    uint32_t sample, contig;
    const char *name;        /* the contig's stored name (stable) */
    uint8_t *codes;
    size_t n;
    int second_pass;         /* adaptive: a postponed contig, cut for good */
} contig_job;

static int push_done(rg_compressor *c, uint32_t sample, uint32_t contig, uint32_t n_parts)
{
    int r = RAGC_OK;
    pthread_mutex_lock(&c->parts.lock);
    RG_GROW(c->done, c->n_done, c->cap_done, 256, r = RAGC_ERR_NOMEM);
    if (r == RAGC_OK)
        c->done[c->n_done++] = (rg_contig_done){ sample, contig, n_parts };
    pthread_mutex_unlock(&c->parts.lock);
    return r;
}

static int push_hard(rg_compressor *c, const contig_job *j)
{
    int r = RAGC_OK;
    pthread_mutex_lock(&c->parts.lock);
    RG_GROW(c->hard, c->n_hard, c->cap_hard, 64, r = RAGC_ERR_NOMEM);
    if (r == RAGC_OK)
        c->hard[c->n_hard++] = (rg_hard_contig){ j->sample, j->contig, j->name, j->codes, j->n };
    pthread_mutex_unlock(&c->parts.lock);
    return r;
}

static void *run_contig_job(void *arg)
{
    contig_job *j = arg;
    rg_compressor *c = &j->st->c;
    uint32_t n_parts = 0;
    int r = rg_compress_contig(c, j->sample, j->contig, j->name, j->codes, j->n, !j->second_pass,
                               &c->parts, &n_parts);
    if (r == RG_CONTIG_POSTPONED) {   /* adaptive: cut again at the sync point */
        r = push_hard(c, j);
        if (r == RAGC_OK)
            j->codes = NULL;
    } else if (r == RAGC_OK) {
        r = push_done(c, j->sample, j->contig, n_parts);
    }
    set_error(j->st, r);
    free(j->codes);
    free(j);
    return NULL;
}

/* Adaptive mode, at the sync point: the batch's new splitters join the set
   (for this batch's postponed contigs and every later sample), then the
   postponed contigs are cut again, with no further postponing. */
static int adaptive_second_pass(create_state *st)
{
    rg_compressor *c = &st->c;
    for (size_t i = 0; i < c->n_new_splitters; i++) {
        uint64_t v = c->new_splitters[i];
        int absent;
        kh_put(rg_kmer_set, c->splitters, v, &absent);
        if (absent < 0)
            return RAGC_ERR_NOMEM;
        if (!absent)
            continue;
        uint64_t *l = realloc(c->splitter_list, (c->n_splitters + 1) * sizeof(uint64_t));
        if (!l)
            return RAGC_ERR_NOMEM;
        c->splitter_list = l;
        c->splitter_list[c->n_splitters++] = v;
        uint64_t slot = rg_splitter_filter_slot(v);
        c->splitter_filter[slot >> 6] |= (uint64_t)1 << (slot & 63);
    }
    c->n_new_splitters = 0;
    size_t n = c->n_hard;
    rg_hard_contig *hard = c->hard;
    c->hard = NULL;
    c->n_hard = c->cap_hard = 0;
    int r = RAGC_OK;
    for (size_t i = 0; i < n; i++) {
        contig_job *j = r == RAGC_OK ? malloc(sizeof(*j)) : NULL;
        if (!j) {
            free(hard[i].codes);
            r = RAGC_ERR_NOMEM;
            continue;
        }
        *j = (contig_job){ st, hard[i].sample, hard[i].contig, hard[i].name, hard[i].codes, hard[i].n, 1 };
        if (hts_tpool_dispatch(c->pool, st->q, run_contig_job, j) < 0) {
            free(j->codes);
            free(j);
            r = RAGC_ERR_NOMEM;
        }
    }
    free(hard);
    hts_tpool_process_flush(st->q);
    return r == RAGC_OK ? atomic_load(&st->error) : r;
}

static int cmp_names(const char *a, const char *b)
{
    return strcmp(a, b);   /* bytewise, as std::string */
}

static int cmp_part_order(const void *x, const void *y)
{
    const rg_seg_part *a = x, *b = y;
    int c = cmp_names(a->contig_name, b->contig_name);
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

static int u64vec_insert_sorted(rg_u64vec *v, uint64_t x)
{
    if (v->n == v->cap) {
        uint32_t cap = v->cap ? 2 * v->cap : 4;
        uint64_t *nv = realloc(v->v, cap * sizeof(uint64_t));
        if (!nv)
            return RAGC_ERR_NOMEM;
        v->v = nv;
        v->cap = cap;
    }
    uint32_t i = v->n;
    while (i > 0 && v->v[i - 1] > x) {
        v->v[i] = v->v[i - 1];
        i--;
    }
    v->v[i] = x;
    v->n++;
    return RAGC_OK;
}

int rg_add_terminator(rg_compressor *c, uint64_t kmer, uint64_t partner)
{
    int absent;
    khint_t it = kh_put(rg_terminators, c->terminators, kmer, &absent);
    if (absent < 0)
        return RAGC_ERR_NOMEM;
    if (absent)
        kh_val(c->terminators, it) = (rg_u64vec){ NULL, 0, 0 };
    return u64vec_insert_sorted(&kh_val(c->terminators, it), partner);
}

/* A new group: streams, key, terminator lists (visible from the next batch on). */
static int create_group(rg_compressor *c, uint64_t k1, uint64_t k2)
{
    uint32_t id = c->n_groups;
    char rname[32], dname[32];
    rg_group_stream_name(rname, id, 1, 3000);
    rg_group_stream_name(dname, id, 0, 3000);
    int rs = rg_cw_register(c->w, rname), ds = rg_cw_register(c->w, dname);
    if (rs < 0 || ds < 0)
        return rs < 0 ? rs : ds;
    int r = rg_add_group_slot(c);
    if (r < 0)
        return r;
    c->groups[id].ref_stream = rs;
    c->groups[id].delta_stream = ds;
    int absent;
    rg_pair key = { k1, k2 };
    khint_t it = kh_put(rg_group_map, c->groups_by_key, key, &absent);
    if (absent < 0)
        return RAGC_ERR_NOMEM;
    if (absent)
        kh_val(c->groups_by_key, it) = id;
    if (k1 != MISSING && k2 != MISSING) {
        if ((r = rg_add_terminator(c, k1, k2)) < 0)
            return r;
        if (k1 != k2 && (r = rg_add_terminator(c, k2, k1)) < 0)
            return r;
    }
    return RAGC_OK;
}

/* New keys get group ids in the order of their first part (by contig name,
   then part number), as agc's process_new. */
static int number_new_groups(rg_compressor *c)
{
    rg_part_list *l = &c->parts;
    size_t n_new = 0;
    for (size_t i = 0; i < l->n; i++)
        n_new += l->v[i].group == NEW_GROUP;
    if (!n_new)
        return RAGC_OK;
    rg_seg_part **v = malloc(n_new * sizeof(*v));
    if (!v)
        return RAGC_ERR_NOMEM;
    size_t j = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].group == NEW_GROUP)
            v[j++] = &l->v[i];
    qsort(v, n_new, sizeof(*v), cmp_part_ptr);
    khash_t(rg_group_map) *fresh = kh_init(rg_group_map);
    int r = fresh ? RAGC_OK : RAGC_ERR_NOMEM;
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
            r = create_group(c, key.a, key.b);
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
    rg_part_list *l = &c->parts;
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += l->v[i].group == 0;
    if (n < 2)
        return RAGC_OK;
    rg_seg_part **v = malloc(n * sizeof(*v));
    if (!v)
        return RAGC_ERR_NOMEM;
    size_t j = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].group == 0)
            v[j++] = &l->v[i];
    qsort(v, n, sizeof(*v), cmp_part_ptr);
    size_t moved = n - (n + RG_RAW_GROUP_COUNT - 1) / RG_RAW_GROUP_COUNT;
    for (size_t i = 0; i < moved; i++)
        v[i]->group = 1 + (uint32_t)(i % (RG_RAW_GROUP_COUNT - 1));
    free(v);
    return RAGC_OK;
}

/* Storing: each group's parts in part order, groups in parallel. */
typedef struct {
    create_state *st;
    size_t from, to;     /* parts [from, to) of the sorted list: whole groups */
} store_job;

static int store_part(create_state *st, const rg_seg_part *p, ZSTD_CCtx *z)
{
    rg_compressor *c = &st->c;
    rg_group *g = &c->groups[p->group];
    uint32_t id;
    int r = p->group < RG_RAW_GROUP_COUNT
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
    ZSTD_CCtx *z = take_cctx(&j->st->zp);
    int r = z ? RAGC_OK : RAGC_ERR_NOMEM;
    for (size_t i = j->from; r == RAGC_OK && i < j->to; i++)
        r = store_part(j->st, &j->st->c.parts.v[i], z);
    if (z)
        give_cctx(&j->st->zp, z);
    set_error(j->st, r);
    free(j);
    return NULL;
}

static int store_batch(create_state *st)
{
    rg_compressor *c = &st->c;
    rg_part_list *l = &c->parts;
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
        *j = (store_job){ st, i, end };
        if (hts_tpool_dispatch(c->pool, st->q, run_store_job, j) < 0) {
            free(j);
            return RAGC_ERR_NOMEM;
        }
        i = end;
    }
    hts_tpool_process_flush(st->q);
    return atomic_load(&st->error);
}

static void clear_parts(rg_part_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].data);
    l->n = 0;
}

static void free_sample_contigs(rg_sample *s)
{
    for (uint32_t k = 0; k < s->n_contigs; k++) {
        free(s->contigs[k].name);
        free(s->contigs[k].seg);
    }
    free(s->contigs);
    s->contigs = NULL;
    s->n_contigs = 0;
}

static void free_batch_samples(rg_compressor *c)
{
    for (size_t i = 0; i < c->n_samples - c->batch_first; i++)
        free_sample_contigs(&c->batch[i]);
}

/* Writes the collection batch of samples [from, to), as agc's
   store_contig_batch: samples already written (and freed) come out with no
   contigs, as in agc.  Samples up to `to` are then freed. */
static int write_collection_batch(rg_compressor *c, uint64_t from, uint64_t to)
{
    size_t n = (size_t)(to - from);
    rg_sample *v = calloc(n ? n : 1, sizeof(rg_sample));
    ZSTD_CCtx *z = ZSTD_createCCtx();
    int r = v && z ? RAGC_OK : RAGC_ERR_NOMEM;
    for (size_t i = 0; r == RAGC_OK && i < n; i++) {
        uint64_t s = from + i;
        if (s >= c->batch_first)
            v[i] = c->batch[s - c->batch_first];
        else
            v[i].name = c->sample_names[s];
    }
    if (r == RAGC_OK)
        r = rg_write_collection_batch(c->w, c->s_contigs, c->s_details, v, n, c->S + c->k, z);
    ZSTD_freeCCtx(z);
    free(v);
    if (r == RAGC_OK && to > c->batch_first) {
        size_t drop = (size_t)(to - c->batch_first), keep = c->n_samples - to;
        for (size_t i = 0; i < drop; i++)
            free_sample_contigs(&c->batch[i]);
        memmove(c->batch, c->batch + drop, keep * sizeof(rg_sample));
        c->batch_first = to;
    }
    return r;
}

/* agc's processed-sample counter after a batch; a full collection batch is
   written when it reaches a multiple of P. */
static int advance_collection(rg_compressor *c)
{
    if (!c->concatenated) {
        c->processed_samples++;
    } else {
        /* agc caps this at the samples its reader has registered; ours has
           read exactly this batch, which gives agc's value whenever the
           contigs of a batch belong to different samples */
        c->processed_samples = c->processed_samples / c->P * c->P + c->P;
        if (c->processed_samples > c->n_samples)
            c->processed_samples = c->n_samples;
    }
    if (c->processed_samples % c->P == 0 && c->processed_samples > 0)
        return write_collection_batch(c, c->processed_samples - c->P, c->processed_samples);
    return RAGC_OK;
}

/* Segment counts of the batch's contigs, reported by the jobs. */
static int apply_segment_counts(rg_compressor *c)
{
    for (size_t i = 0; i < c->n_done; i++) {
        rg_contig_done *d = &c->done[i];
        rg_contig *ctg = &c->batch[d->sample - c->batch_first].contigs[d->contig];
        ctg->n_seg = d->n_parts;
        if (d->n_parts && !(ctg->seg = calloc(d->n_parts, sizeof(rg_seg))))
            return RAGC_ERR_NOMEM;
    }
    c->n_done = 0;
    return RAGC_OK;
}

/* agc's add_fallback_mapping: the tuples of the splitter walk join the
   fall-back map at the first synchronisation point (so the reference itself
   never finds a fall-back group). */
static int merge_fallback_tuples(rg_compressor *c)
{
    for (size_t i = 0; i < c->n_fallback_pending; i++) {
        const rg_fallback_tuple *t = &c->fallback_pending[i];
        rg_pair add = t->dir ? (rg_pair){ t->s1, t->s2 } : (rg_pair){ t->s2, t->s1 };
        int absent;
        khint_t it = kh_put(rg_fallback_map, c->fallback, t->kmer, &absent);
        if (absent < 0)
            return RAGC_ERR_NOMEM;
        rg_pairvec *v = &kh_val(c->fallback, it);
        if (absent)
            *v = (rg_pairvec){ NULL, 0, 0 };
        uint32_t j = 0;
        while (j < v->n && !(v->v[j].a == add.a && v->v[j].b == add.b))
            j++;
        if (j < v->n)
            continue;
        if (v->n == v->cap) {
            uint32_t cap = v->cap ? 2 * v->cap : 2;
            rg_pair *nv = realloc(v->v, cap * sizeof(rg_pair));
            if (!nv)
                return RAGC_ERR_NOMEM;
            v->v = nv;
            v->cap = cap;
        }
        v->v[v->n++] = add;
    }
    free(c->fallback_pending);
    c->fallback_pending = NULL;
    c->n_fallback_pending = 0;
    return RAGC_OK;
}

/* The synchronisation point after a batch, as agc's registration. */
static int sync_batch(create_state *st)
{
    rg_compressor *c = &st->c;
    hts_tpool_process_flush(st->q);
    int r = atomic_load(&st->error);
    if (r == RAGC_OK && c->adaptive)
        r = adaptive_second_pass(st);
    if (r == RAGC_OK)
        r = apply_segment_counts(c);
    if (r == RAGC_OK)
        r = number_new_groups(c);
    if (r == RAGC_OK)
        r = distribute_raw(c);
    if (r == RAGC_OK)
        r = store_batch(st);
    if (r == RAGC_OK)
        r = merge_fallback_tuples(c);
    clear_parts(&c->parts);
    if (r == RAGC_OK)
        r = advance_collection(c);
    if (r == RAGC_OK)
        r = rg_cw_flush(c->w);
    return r;
}

KHASH_SET_INIT_STR(rg_name_set)

int rg_add_sample(rg_compressor *c, const char *name)
{
    for (size_t i = 0; i < c->n_samples; i++)
        if (strcmp(c->sample_names[i], name) == 0) {
            hts_log_error("sample %s is given twice", name);
            return RAGC_ERR_ARG;
        }
    if (c->n_samples == c->cap_samples) {
        size_t cap = c->cap_samples ? 2 * c->cap_samples : 64;
        char **v = realloc(c->sample_names, cap * sizeof(char *));
        if (!v)
            return RAGC_ERR_NOMEM;
        c->sample_names = v;
        c->cap_samples = cap;
    }
    size_t in_batch = c->n_samples - c->batch_first + 1;
    if (in_batch > c->batch_cap) {
        size_t cap = c->batch_cap ? 2 * c->batch_cap : 8;
        while (cap < in_batch)
            cap *= 2;
        rg_sample *b = realloc(c->batch, cap * sizeof(rg_sample));
        if (!b)
            return RAGC_ERR_NOMEM;
        c->batch = b;
        c->batch_cap = cap;
    }
    if (!(c->sample_names[c->n_samples] = strdup(name)))
        return RAGC_ERR_NOMEM;
    rg_sample *s = &c->batch[in_batch - 1];
    memset(s, 0, sizeof(*s));
    s->name = c->sample_names[c->n_samples];
    c->n_samples++;
    return RAGC_OK;
}

/* Appends a contig to the newest sample.  Jobs never read the contig array
   (they get the stable name pointer and indices), so it may grow anytime. */
static int add_contig(rg_sample *s, const char *name)
{
    uint32_t n = s->n_contigs;
    if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) {   /* capacity 4, then doubling */
        size_t nc = n ? 2 * (size_t)n : 4;
        rg_contig *v = realloc(s->contigs, nc * sizeof(rg_contig));
        if (!v)
            return RAGC_ERR_NOMEM;
        s->contigs = v;
    }
    rg_contig *ctg = &s->contigs[s->n_contigs];
    memset(ctg, 0, sizeof(*ctg));
    if (!(ctg->name = strdup(name)))
        return RAGC_ERR_NOMEM;
    s->n_contigs++;
    return RAGC_OK;
}

/* Reading: the state of the current file. */
typedef struct {
    const char *path;
    const char *sample_name;      /* the file's sample (not with -c) */
    khash_t(rg_name_set) *seen;   /* contig names of the current sample */
    uint64_t bases;
    size_t contigs;
    size_t in_batch;              /* -c: contigs since the last sync */
} reader_state;

/* The sample a record belongs to: the file's, or with -c the one named by
   the record's first word (consecutive records share it; agc rejects a
   name that comes back later). */
static int sample_for_record(create_state *st, reader_state *rs, const char *header, int *is_new)
{
    rg_compressor *c = &st->c;
    *is_new = 0;
    if (!c->concatenated && !c->pansn)
        return RAGC_OK;
    size_t len;
    if (c->pansn) {   /* sample#haplotype#contig: the sample is up to the second '#' */
        const char *h1 = strchr(header, '#'), *h2 = h1 ? strchr(h1 + 1, '#') : NULL;
        if (!h2 || h1 == header || (size_t)(h2 - header) > strcspn(header, " \t")) {
            hts_log_error("%s: '%s' is not a PanSN name (sample#haplotype#contig)", rs->path, header);
            return RAGC_ERR_FORMAT;
        }
        len = (size_t)(h2 - header);
    } else {
        len = strcspn(header, " \t\r\n");
    }
    const char *last = c->n_samples ? c->sample_names[c->n_samples - 1] : NULL;
    if (rs->contigs > 0 && last && strlen(last) == len && strncmp(last, header, len) == 0)
        return RAGC_OK;
    /* --pansn: one sample a batch, as without -c; the previous one is done */
    int r = RAGC_OK;
    if (c->pansn && rs->contigs > 0)
        r = sync_batch(st);
    char *name = strndup(header, len);
    if (!name)
        return RAGC_ERR_NOMEM;
    if (r == RAGC_OK) {
        r = rg_add_sample(c, name);
        if (r == RAGC_ERR_ARG)
            hts_log_error("%s: contigs of sample %s are not consecutive, or it is in the archive already",
                          rs->path, name);
    }
    free(name);
    *is_new = 1;
    return r;
}

/* Reads one FASTA file: one sample, or with -c any number of them. */
static int compress_file(create_state *st, reader_state *rs)
{
    rg_compressor *c = &st->c;
    int r = RAGC_OK;
    if (!c->concatenated && !c->pansn && (r = rg_add_sample(c, rs->sample_name)) < 0)
        return r;
    rg_fasta_in *in = rg_fasta_in_open(rs->path);
    if (!in)
        return RAGC_ERR_IO;
    kstring_t header = { 0, 0, NULL };
    rs->contigs = 0;
    while (r == RAGC_OK && atomic_load(&st->error) == 0) {
        rg_bytes codes = { 0 };
        int got = rg_fasta_in_next(in, &header, &codes);
        if (got <= 0) {
            rg_bytes_free(&codes);
            r = got;
            break;
        }
        int is_new;
        if ((r = sample_for_record(st, rs, header.s, &is_new)) < 0) {
            rg_bytes_free(&codes);
            break;
        }
        if (is_new || !rs->seen) {
            if (rs->seen)
                kh_destroy(rg_name_set, rs->seen);
            rs->seen = kh_init(rg_name_set);
        }
        rg_sample *s = &c->batch[c->n_samples - 1 - c->batch_first];
        int absent = -1;
        if (rs->seen)
            kh_put(rg_name_set, rs->seen, header.s, &absent);
        if (absent < 0)
            r = RAGC_ERR_NOMEM;
        else if (absent == 0) {
            hts_log_error("%s: contig name '%s' appears twice in sample %s", rs->path, header.s, s->name);
            r = RAGC_ERR_FORMAT;
        }
        if (r == RAGC_OK)
            r = add_contig(s, header.s);
        if (r < 0) {
            rg_bytes_free(&codes);
            break;
        }
        const char *name = s->contigs[s->n_contigs - 1].name;
        kh_key(rs->seen, kh_get(rg_name_set, rs->seen, header.s)) = name;   /* stable copy */
        rs->bases += codes.len;
        rs->contigs++;
        contig_job *j = malloc(sizeof(*j));
        if (!j) {
            rg_bytes_free(&codes);
            r = RAGC_ERR_NOMEM;
            break;
        }
        *j = (contig_job){ st, (uint32_t)(c->n_samples - 1), s->n_contigs - 1, name, codes.s, codes.len, 0 };
        if (hts_tpool_dispatch(c->pool, st->q, run_contig_job, j) < 0) {
            free(j->codes);
            free(j);
            r = RAGC_ERR_NOMEM;
            break;
        }
        /* -c: agc synchronises every P contigs */
        if (c->concatenated && ++rs->in_batch >= c->P) {
            rs->in_batch = 0;
            r = sync_batch(st);
        }
    }
    hts_tpool_process_flush(st->q);
    rg_fasta_in_close(in);
    free(header.s);
    if (r == RAGC_OK)
        r = atomic_load(&st->error);
    if (r == RAGC_OK && rs->contigs == 0) {
        hts_log_error("%s: no sequences", rs->path);
        r = RAGC_ERR_FORMAT;
    }
    if (r == RAGC_OK && !c->concatenated)   /* the file's (with --pansn: its last) sample */
        r = sync_batch(st);
    if (!c->concatenated && rs->seen) {
        kh_destroy(rg_name_set, rs->seen);
        rs->seen = NULL;
    }
    return r;
}

/* The open packs of every group, compressed in parallel (agc's finalizing
   threads); each group's parts stay in order since one job owns a group. */
typedef struct {
    create_state *st;
    uint32_t from, to;
} finish_job;

static void *run_finish_job(void *arg)
{
    finish_job *j = arg;
    ZSTD_CCtx *z = take_cctx(&j->st->zp);
    int r = z ? RAGC_OK : RAGC_ERR_NOMEM;
    for (uint32_t g = j->from; r == RAGC_OK && g < j->to; g++)
        r = rg_group_finish(&j->st->c, &j->st->c.groups[g], z);
    if (z)
        give_cctx(&j->st->zp, z);
    set_error(j->st, r);
    free(j);
    return NULL;
}

static int finish_groups(create_state *st)
{
    rg_compressor *c = &st->c;
    uint32_t step = c->n_groups / 64 + 1;
    for (uint32_t g = 0; g < c->n_groups; g += step) {
        finish_job *j = malloc(sizeof(*j));
        if (!j)
            return RAGC_ERR_NOMEM;
        *j = (finish_job){ st, g, g + step < c->n_groups ? g + step : c->n_groups };
        if (hts_tpool_dispatch(c->pool, st->q, run_finish_job, j) < 0) {
            free(j);
            return RAGC_ERR_NOMEM;
        }
    }
    hts_tpool_process_flush(st->q);
    return atomic_load(&st->error);
}

/* Metadata at the end, in agc's order: open packs, params, splitters,
   segment-splitters, file_type_info, then the sample list (buffered, so the
   last part of the file). */
static int close_archive(create_state *st)
{
    rg_compressor *c = &st->c;
    int r = finish_groups(st);
    ZSTD_CCtx *z = take_cctx(&st->zp);
    if (r == RAGC_OK && !z)
        r = RAGC_ERR_NOMEM;
    if (r == RAGC_OK)
        r = rg_cw_flush(c->w);
    int s_params = -1, s_spl = -1, s_segspl = -1, s_info = -1;
    if (r == RAGC_OK && ((s_params = rg_cw_register(c->w, "params")) < 0
                         || (s_spl = rg_cw_register(c->w, "splitters")) < 0
                         || (s_segspl = rg_cw_register(c->w, "segment-splitters")) < 0))
        r = RAGC_ERR_NOMEM;
    if (r == RAGC_OK)
        r = rg_write_params(c->w, s_params, c->k, c->m, c->P, c->S);
    if (r == RAGC_OK) {   /* adaptive mode appended new splitters unsorted */
        rg_sort_u64(c->splitter_list, c->n_splitters);
        r = rg_write_splitters(c->w, s_spl, c->splitter_list, c->n_splitters);
    }
    if (r == RAGC_OK) {
        size_t n = kh_size(c->groups_by_key), i = 0;
        rg_segment_key *keys = malloc((n ? n : 1) * sizeof(*keys));
        if (!keys)
            r = RAGC_ERR_NOMEM;
        for (khint_t it = kh_begin(c->groups_by_key); keys && it != kh_end(c->groups_by_key); ++it)
            if (kh_exist(c->groups_by_key, it)) {
                rg_pair k = kh_key(c->groups_by_key, it);
                keys[i++] = (rg_segment_key){ k.a, k.b, kh_val(c->groups_by_key, it) };
            }
        if (keys)
            r = rg_write_segment_splitters(c->w, s_segspl, keys, i);
        free(keys);
    }
    if (r == RAGC_OK && (s_info = rg_cw_register(c->w, "file_type_info")) < 0)
        r = RAGC_ERR_NOMEM;
    if (r == RAGC_OK)   /* append keeps the input's, as agc */
        r = c->info_keys ? rg_write_file_type_info_pairs(c->w, s_info, (const char *const *)c->info_keys,
                                                         (const char *const *)c->info_values, c->n_info)
                         : rg_write_file_type_info(c->w, s_info);
    if (r == RAGC_OK)
        r = rg_write_sample_names(c->w, c->s_samples, c->sample_names, c->n_samples, z);
    if (z)
        give_cctx(&st->zp, z);
    return r;
}

static void free_state(create_state *st)
{
    rg_compressor *c = &st->c;
    if (st->q)
        hts_tpool_process_destroy(st->q);
    if (c->pool)
        hts_tpool_destroy(c->pool);
    clear_parts(&c->parts);
    free(c->parts.v);
    free(c->done);
    pthread_mutex_destroy(&c->parts.lock);
    if (c->batch)
        free_batch_samples(c);
    free(c->batch);
    for (size_t i = 0; i < c->n_samples; i++)
        free(c->sample_names[i]);
    free(c->sample_names);
    for (uint32_t g = 0; g < c->n_groups; g++)
        rg_group_free(&c->groups[g]);
    free(c->groups);
    if (c->splitters)
        kh_destroy(rg_kmer_set, c->splitters);
    free(c->splitter_list);
    free(c->splitter_filter);
    free(c->fallback_pending);
    free(c->ref_kmers);
    free(c->new_splitters);
    for (size_t i = 0; i < c->n_hard; i++)
        free(c->hard[i].codes);
    free(c->hard);
    if (c->fallback) {
        for (khint_t it = kh_begin(c->fallback); it != kh_end(c->fallback); ++it)
            if (kh_exist(c->fallback, it))
                free(kh_val(c->fallback, it).v);
        kh_destroy(rg_fallback_map, c->fallback);
    }
    for (size_t i = 0; i < c->n_info; i++) {
        free(c->info_keys[i]);
        free(c->info_values[i]);
    }
    free(c->info_keys);
    free(c->info_values);
    if (c->groups_by_key)
        kh_destroy(rg_group_map, c->groups_by_key);
    if (c->terminators) {
        for (khint_t it = kh_begin(c->terminators); it != kh_end(c->terminators); ++it)
            if (kh_exist(c->terminators, it))
                free(kh_val(c->terminators, it).v);
        kh_destroy(rg_terminators, c->terminators);
    }
    for (int i = 0; i < st->zp.n_free; i++)
        ZSTD_freeCCtx(st->zp.free_list[i]);
    free(st->zp.free_list);
    pthread_mutex_destroy(&st->zp.lock);
}

static int init_state(create_state *st, const rg_create_opts *o)
{
    memset(st, 0, sizeof(*st));
    rg_compressor *c = &st->c;
    c->k = o->kmer_length;
    c->m = o->min_match_len;
    c->P = o->pack_cardinality;
    c->S = o->segment_size;
    c->threads = o->threads > 0 ? o->threads : 1;
    c->concatenated = o->concatenated != 0;
    c->pansn = o->pansn != 0;
    c->adaptive = o->adaptive != 0;
    pthread_mutex_init(&c->parts.lock, NULL);
    pthread_mutex_init(&st->zp.lock, NULL);
    st->zp.cap = c->threads + 2;
    st->zp.free_list = calloc((size_t)st->zp.cap, sizeof(ZSTD_CCtx *));
    c->splitters = kh_init(rg_kmer_set);
    c->groups_by_key = kh_init(rg_group_map);
    c->terminators = kh_init(rg_terminators);
    c->pool = hts_tpool_init(c->threads);
    st->q = c->pool ? hts_tpool_process_init(c->pool, 2 * c->threads, 1) : NULL;
    if (!st->zp.free_list || !c->splitters || !c->groups_by_key || !c->terminators || !st->q)
        return RAGC_ERR_NOMEM;
    return RAGC_OK;
}

static int check_opts(const rg_create_opts *o)
{
    if (!(o->fallback_frac >= 0.0 && o->fallback_frac <= 0.05)) {
        hts_log_error("fall-back fraction %g out of range (0 to 0.05)", o->fallback_frac);
        return RAGC_ERR_ARG;
    }
    if (o->kmer_length < 17 || o->kmer_length > 32 || o->min_match_len < 15 || o->min_match_len > 32
        || o->pack_cardinality < 1 || o->segment_size < 100 || o->segment_size > 1000000) {
        hts_log_error("parameters out of range (k %u, l %u, b %u, s %u)", o->kmer_length,
                      o->min_match_len, o->pack_cardinality, o->segment_size);
        return RAGC_ERR_ARG;
    }
    return RAGC_OK;
}

static int load_splitter_set(rg_compressor *c)
{
    if (!(c->splitter_filter = calloc((size_t)1 << (RG_SPLITTER_FILTER_BITS - 6), sizeof(uint64_t))))
        return RAGC_ERR_NOMEM;
    for (size_t i = 0; i < c->n_splitters; i++) {
        int absent;
        kh_put(rg_kmer_set, c->splitters, c->splitter_list[i], &absent);
        if (absent < 0)
            return RAGC_ERR_NOMEM;
        uint64_t slot = rg_splitter_filter_slot(c->splitter_list[i]);
        c->splitter_filter[slot >> 6] |= (uint64_t)1 << (slot & 63);
    }
    return RAGC_OK;
}

/* create (in == NULL) or append (in = the input archive). */
static int run(const char *out_path, ragc_archive *in, char *const *inputs, size_t n, const rg_create_opts *opts)
{
    if (!in && n == 0)
        return RAGC_ERR_ARG;
    if (opts->pansn && opts->concatenated) {
        hts_log_error("--pansn and -c are two ways of naming samples: choose one");
        return RAGC_ERR_ARG;
    }
    if (!in && strcmp(inputs[0], "-") == 0) {
        /* splitters come from a first reading of the reference */
        hts_log_error("the reference is read twice and cannot come from standard input; "
                      "other inputs can");
        return RAGC_ERR_ARG;
    }
    rg_create_opts o = *opts;
    if (in && in->params.file_version < 3000) {
        hts_log_error("cannot append to an archive of format %u (agc %u.x): only format 3 can be continued",
                      in->params.file_version / 1000, in->params.file_version / 1000);
        return RAGC_ERR_VERSION;
    }
    if (in) {   /* the archive's parameters carry over */
        o.kmer_length = in->params.kmer_length;
        o.min_match_len = in->params.min_match_len;
        o.pack_cardinality = in->params.pack_cardinality;
        o.segment_size = in->params.segment_size;
    }
    int r = check_opts(&o);
    if (r < 0)
        return r;
    create_state st;
    r = init_state(&st, &o);
    rg_compressor *c = &st.c;
    c->fallback_thr = rg_fallback_threshold(o.fallback_frac);
    if (r == RAGC_OK && !(c->fallback = kh_init(rg_fallback_map)))
        r = RAGC_ERR_NOMEM;
    if (r == RAGC_OK && !in) {
        rg_splitter_opts so = { c->k, c->S, c->threads, 0, c->fallback_thr };
        r = rg_splitters_find_fallback(inputs[0], &so, &c->splitter_list, &c->n_splitters,
                                       &c->fallback_pending, &c->n_fallback_pending);
        c->cap_fallback_pending = c->n_fallback_pending;
    }
    if (r == RAGC_OK && c->adaptive)
        r = in ? rg_reference_kmers_of_archive(c, in) : rg_reference_kmers_of_file(c, inputs[0]);
    rg_outfile out;
    int out_open = 0;
    if (r == RAGC_OK) {
        if (rg_outfile_open(&out, out_path) < 0) {
            hts_log_error("cannot create %s: %s", out_path ? out_path : "standard output", strerror(errno));
            r = RAGC_ERR_IO;
        } else {
            out_open = 1;
            if (!(c->w = rg_cw_open(&out)))
                r = RAGC_ERR_NOMEM;
        }
    }
    if (r == RAGC_OK && ((c->s_samples = rg_cw_register(c->w, "collection-samples")) < 0
                         || (c->s_contigs = rg_cw_register(c->w, "collection-contigs")) < 0
                         || (c->s_details = rg_cw_register(c->w, "collection-details")) < 0))
        r = RAGC_ERR_NOMEM;
    if (r == RAGC_OK)
        r = in ? rg_append_init(c, in) : register_raw_groups(&st);
    if (r == RAGC_OK)
        r = load_splitter_set(c);
    /* -c continues agc's contig counter where the archive ends */
    reader_state rs = { .in_batch = (size_t)(c->processed_samples % c->P) };
    for (size_t i = 0; r == RAGC_OK && i < n; i++) {
        int by_record = c->concatenated || c->pansn;
        char *name = by_record ? NULL : rg_sample_name_of_path(inputs[i]);
        if (!by_record && !name) {
            r = RAGC_ERR_NOMEM;
            break;
        }
        rs.path = inputs[i];
        rs.sample_name = name;
        rs.bases = 0;
        double t0 = seconds_now();
        r = compress_file(&st, &rs);
        double dt = seconds_now() - t0;
        if (r == RAGC_OK && opts->verbosity > 0)
            hts_log_info("%s: %zu of %zu files done, %.2f Mbases, %.1f Mbases/s", inputs[i], i + 1, n,
                         rs.bases / 1e6, dt > 0 ? rs.bases / 1e6 / dt : 0.0);
        free(name);
    }
    if (rs.seen)
        kh_destroy(rg_name_set, rs.seen);
    /* -c: agc synchronises once more at the end, even after a full batch */
    if (r == RAGC_OK && c->concatenated && n > 0)
        r = sync_batch(&st);
    /* the last, partial collection batch (agc's append without inputs
       skips this and loses it: we always write it) */
    if (r == RAGC_OK && c->n_samples % c->P != 0)
        r = write_collection_batch(c, c->n_samples / c->P * c->P, c->n_samples);
    if (r == RAGC_OK)
        r = rg_cw_flush(c->w);
    if (r == RAGC_OK)
        r = close_archive(&st);
    if (c->w) {
        int cr = r == RAGC_OK ? rg_cw_close(c->w) : (rg_cw_discard(c->w), RAGC_OK);
        if (r == RAGC_OK)
            r = cr;
        c->w = NULL;
    }
    if (out_open) {
        if (r == RAGC_OK && rg_outfile_commit(&out) < 0) {
            hts_log_error("cannot write %s: %s", out_path ? out_path : "standard output", strerror(errno));
            r = RAGC_ERR_IO;
        } else if (r != RAGC_OK) {
            rg_outfile_abort(&out);
        }
    }
    free_state(&st);
    return r;
}

int rg_create(const char *out_path, char *const *inputs, size_t n, const rg_create_opts *opts)
{
    return run(out_path, NULL, inputs, n, opts);
}

int ragc_append(const char *in_path, const char *out_path, char *const *paths, size_t n,
                const ragc_create_opts *opts)
{
    int st;
    ragc_archive *in = ragc_open(in_path, &st);
    if (!in)
        return st;
    int r = run(out_path, in, paths, n, opts);
    ragc_close(in);
    return r;
}
