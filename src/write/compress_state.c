/* compress_state.c -- stage 1 and the end of every run: the compressor's
   state set up from checked options (parameters, hash tables, the thread
   pool and its queue, the locks) and freed, whatever stage a run reached. */
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "compress_internal.h"
#include "original_store.h"

static void init_params(rg_compressor *c, const ragc_create_opts *o)
{
    c->k = o->kmer_length;
    c->m = o->min_match_len;
    c->P = o->pack_cardinality;
    c->S = o->segment_size;
    c->threads = o->threads > 0 ? o->threads : 1;
    c->concatenated = o->concatenated != 0;
    c->pansn = o->pansn != 0;
    c->adaptive = o->adaptive != 0;
    c->verbosity = o->verbosity;
    c->keep_original = !o->no_original;
    c->keep_md5 = !o->no_original && !o->no_md5;
    c->given_names = o->sample_names;
    c->progress = o->progress;
    c->progress_ctx = o->progress_ctx;
    c->fallback_thr = rg_fallback_threshold(o->fallback_frac);
}

static int init_locks(rg_compressor *c)
{
    int e = pthread_mutex_init(&c->parts.lock, NULL);
    if (e == 0) {
        c->parts_lock_ready = 1;
        e = pthread_mutex_init(&c->zp.lock, NULL);
        c->zp_lock_ready = e == 0;
    }
    if (e != 0) {
        hts_log_error("cannot create a lock: %s", strerror(e));
        return RAGC_ERR_NOMEM;
    }
    return RAGC_OK;
}

int rg_compressor_init(rg_compressor *c, const ragc_create_opts *o)
{
    memset(c, 0, sizeof(*c));
    init_params(c, o);
    rg_ext_init(&c->orig, RG_ORIG_STREAM, 1);
    rg_ext_init(&c->md5, RG_MD5_STREAM, 0);
    int r = init_locks(c);
    if (r < 0)
        return r;
    c->zp.cap = c->threads + 2;
    c->zp.free_list = calloc((size_t)c->zp.cap, sizeof(ZSTD_CCtx *));
    c->splitters = kh_init(rg_kmer_set);
    c->groups_by_key = kh_init(rg_group_map);
    c->terminators = kh_init(rg_terminators);
    c->fallback = kh_init(rg_fallback_map);
    c->pool = hts_tpool_init(c->threads);
    c->q = c->pool ? hts_tpool_process_init(c->pool, 2 * c->threads, 1) : NULL;
    if (!c->zp.free_list || !c->splitters || !c->groups_by_key || !c->terminators || !c->fallback || !c->q)
        return RAGC_ERR_NOMEM;
    return RAGC_OK;
}

static void free_workers(rg_compressor *c)
{
    if (c->q)
        hts_tpool_process_destroy(c->q);
    if (c->pool)
        hts_tpool_destroy(c->pool);
    for (int i = 0; i < c->zp.n_free; i++)
        ZSTD_freeCCtx(c->zp.free_list[i]);
    free(c->zp.free_list);
    if (c->zp_lock_ready)
        pthread_mutex_destroy(&c->zp.lock);
}

static void free_batch(rg_compressor *c)
{
    rg_part_list_clear(&c->parts);
    free(c->parts.v);
    free(c->done);
    free(c->md5s);
    if (c->parts_lock_ready)
        pthread_mutex_destroy(&c->parts.lock);
    for (size_t i = 0; i < c->n_hard; i++)
        free(c->hard[i].codes);
    free(c->hard);
    free(c->new_splitters);
    free(c->fallback_pending);
}

static void free_collection(rg_compressor *c)
{
    if (c->batch)
        rg_free_batch_samples(c);
    free(c->batch);
    free(c->pending_batches);
    for (size_t i = 0; i < c->n_samples; i++)
        free(c->sample_names[i]);
    free(c->sample_names);
    for (size_t i = 0; i < c->n_info; i++) {
        free(c->info_keys[i]);
        free(c->info_values[i]);
    }
    free(c->info_keys);
    free(c->info_values);
}

static void free_grouping(rg_compressor *c)
{
    for (uint32_t g = 0; g < c->n_groups; g++)
        rg_group_free(&c->groups[g]);
    free(c->groups);
    if (c->splitters)
        kh_destroy(rg_kmer_set, c->splitters);
    free(c->splitter_list);
    free(c->splitter_filter);
    rg_kmer_table_free(&c->ref_kmers);
    if (c->fallback) {
        for (khint_t it = kh_begin(c->fallback); it != kh_end(c->fallback); ++it)
            if (kh_exist(c->fallback, it))
                free(kh_val(c->fallback, it).v);
        kh_destroy(rg_fallback_map, c->fallback);
    }
    if (c->groups_by_key)
        kh_destroy(rg_group_map, c->groups_by_key);
    if (c->terminators) {
        for (khint_t it = kh_begin(c->terminators); it != kh_end(c->terminators); ++it)
            if (kh_exist(c->terminators, it))
                free(kh_val(c->terminators, it).v);
        kh_destroy(rg_terminators, c->terminators);
    }
}

/* The pool goes first: no job may still touch what follows. */
void rg_compressor_free(rg_compressor *c)
{
    free_workers(c);
    free_batch(c);
    free_collection(c);
    free_grouping(c);
    rg_ext_free(&c->orig);
    rg_ext_free(&c->md5);
}
