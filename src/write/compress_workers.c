/* compress_workers.c -- the thread pool's side of the pipeline: contig jobs
   (stage 4: one FASTA record cut into segments and its groups chosen, by
   compress_segment.c), their dispatch and their results (segment counts,
   or adaptive mode's postponed contigs); the zstd contexts the jobs share
   and the first error any job met.  Store and finish jobs (compress_sync.c,
   compress_close.c) use the same queue. */
#include <stdlib.h>
#include <string.h>

#include "compress_internal.h"
#include "grow.h"

ZSTD_CCtx *rg_take_cctx(rg_compressor *c)
{
    rg_cctx_pool *p = &c->zp;
    pthread_mutex_lock(&p->lock);
    ZSTD_CCtx *z = p->n_free ? p->free_list[--p->n_free] : NULL;
    pthread_mutex_unlock(&p->lock);
    return z ? z : ZSTD_createCCtx();
}

void rg_give_cctx(rg_compressor *c, ZSTD_CCtx *z)
{
    rg_cctx_pool *p = &c->zp;
    pthread_mutex_lock(&p->lock);
    if (p->n_free < p->cap)
        p->free_list[p->n_free++] = z;
    else
        ZSTD_freeCCtx(z);
    pthread_mutex_unlock(&p->lock);
}

void rg_set_error(rg_compressor *c, int r)
{
    int zero = 0;
    if (r < 0)
        atomic_compare_exchange_strong(&c->error, &zero, r);
}

int rg_wait_jobs(rg_compressor *c)
{
    hts_tpool_process_flush(c->q);
    return atomic_load(&c->error);
}

/* Queued at once, however full the queue: a caller that dispatched a
   batch of jobs waits for them next (rg_wait_jobs), which wakes every
   worker.  Waiting for room instead kept the other worker asleep through
   most of the batch: htslib wakes a sleeping worker only when the queued
   jobs outnumber the running ones (senterica-10's store jobs ran on one
   thread). */
int rg_dispatch(rg_compressor *c, void *(*fn)(void *), void *job)
{
    if (hts_tpool_dispatch2(c->pool, c->q, fn, job, -1) < 0) {
        free(job);
        return RAGC_ERR_NOMEM;
    }
    return RAGC_OK;
}

typedef struct {
    rg_compressor *c;
    uint32_t sample, contig;
    const char *name;        /* the contig's stored name (stable) */
    uint8_t *codes;
    size_t n;
    int second_pass;         /* adaptive: a postponed contig, cut for good */
    int want_md5;            /* compute the contig's MD5 (first pass, original forms kept) */
    rg_orig_run *exc;        /* the record's exception runs (for the MD5) */
    size_t n_exc;
} contig_job;

/* The contig's MD5 (reported at the sync point); a task of the contig's
   scan, so that it runs beside the search for splitters. */
static int push_md5(void *arg)
{
    const contig_job *j = arg;
    rg_compressor *c = j->c;
    rg_contig_md5 m = { j->sample, j->contig, { 0 } };
    rg_contig_md5_of_codes(j->codes, j->n, j->exc, j->n_exc, m.md5);
    int r = RAGC_OK;
    pthread_mutex_lock(&c->parts.lock);
    RG_GROW(c->md5s, c->n_md5s, c->cap_md5s, 256, r = RAGC_ERR_NOMEM);
    if (r == RAGC_OK)
        c->md5s[c->n_md5s++] = m;
    pthread_mutex_unlock(&c->parts.lock);
    return r;
}

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
    rg_compressor *c = j->c;
    uint32_t n_parts = 0;
    int r = rg_compress_contig(c, j->sample, j->contig, j->name, j->codes, j->n, !j->second_pass,
                               &c->parts, &n_parts, j->want_md5 ? push_md5 : NULL, j);
    if (r == RG_CONTIG_POSTPONED) {   /* adaptive: cut again at the sync point */
        r = push_hard(c, j);
        if (r == RAGC_OK)
            j->codes = NULL;
    } else if (r == RAGC_OK) {
        r = push_done(c, j->sample, j->contig, n_parts);
    }
    rg_set_error(c, r);
    free(j->codes);
    free(j->exc);
    free(j);
    return NULL;
}

/* nonblock: hts_tpool_dispatch2's (0: wait for room; -1: queue anyway). */
static int dispatch_contig(rg_compressor *c, uint32_t sample, uint32_t contig, const char *name,
                           uint8_t *codes, size_t n, int second_pass, const rg_orig_run *exc, size_t n_exc,
                           int nonblock)
{
    contig_job *j = malloc(sizeof(*j));
    int want_md5 = c->keep_md5 && !second_pass;
    rg_orig_run *exc_copy = want_md5 && n_exc ? malloc(n_exc * sizeof(*exc)) : NULL;
    if (!j || (want_md5 && n_exc && !exc_copy)) {
        free(codes);
        free(j);
        free(exc_copy);
        return RAGC_ERR_NOMEM;
    }
    if (exc_copy)
        memcpy(exc_copy, exc, n_exc * sizeof(*exc));
    *j = (contig_job){ c, sample, contig, name, codes, n, second_pass, want_md5, exc_copy, exc_copy ? n_exc : 0 };
    if (hts_tpool_dispatch2(c->pool, c->q, run_contig_job, j, nonblock) < 0) {
        free(codes);
        free(exc_copy);
        free(j);
        return RAGC_ERR_NOMEM;
    }
    return RAGC_OK;
}

int rg_dispatch_contig(rg_compressor *c, uint32_t sample, uint32_t contig, const char *name,
                       uint8_t *codes, size_t n, int second_pass, const rg_orig_run *exc, size_t n_exc)
{
    return dispatch_contig(c, sample, contig, name, codes, n, second_pass, exc, n_exc, 0);
}

int rg_dispatch_contig_now(rg_compressor *c, uint32_t sample, uint32_t contig, const char *name,
                           uint8_t *codes, size_t n, const rg_orig_run *exc, size_t n_exc)
{
    return dispatch_contig(c, sample, contig, name, codes, n, 0, exc, n_exc, -1);
}
