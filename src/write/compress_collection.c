/* compress_collection.c -- the collection side of the pipeline: the sample
   names, the samples of the open collection batch with their contigs
   (stage 4 adds them as the input is read, the synchronisation point fills
   in their segments), and the collection batches written when agc writes
   them (every P processed samples, and the last, partial one at the end). */
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "collection_write.h"
#include "compress_internal.h"
#include "grow.h"

int rg_add_sample(rg_compressor *c, const char *name)
{
    for (size_t i = 0; i < c->n_samples; i++)
        if (strcmp(c->sample_names[i], name) == 0) {
            if (i < c->n_archive_samples)
                hts_log_error("sample %s is already in the archive %s", name, c->in_path ? c->in_path : "");
            else
                hts_log_error("sample %s is given twice", name);
            return RAGC_ERR_ARG;
        }
    if (c->like && ragc_sample_index(c->like, name) >= 0) {
        hts_log_error("sample %s is already in the base archive %s", name, c->in_path ? c->in_path : "");
        return RAGC_ERR_ARG;
    }
    RG_GROW(c->sample_names, c->n_samples, c->cap_samples, 64, return RAGC_ERR_NOMEM);
    size_t in_batch = c->n_samples - c->batch_first;   /* the new sample's index in batch */
    RG_GROW(c->batch, in_batch, c->batch_cap, 8, return RAGC_ERR_NOMEM);
    if (!(c->sample_names[c->n_samples] = strdup(name)))
        return RAGC_ERR_NOMEM;
    rg_sample *s = &c->batch[in_batch];
    memset(s, 0, sizeof(*s));
    s->name = c->sample_names[c->n_samples];
    c->n_samples++;
    c->cap_contigs = 0;
    return RAGC_OK;
}

/* Appends a contig to s, the newest sample.  Jobs never read the contig
   array (they get the stable name pointer and indices), so it may grow
   anytime. */
int rg_add_contig(rg_compressor *c, rg_sample *s, const char *name)
{
    RG_GROW(s->contigs, s->n_contigs, c->cap_contigs, 4, return RAGC_ERR_NOMEM);
    rg_contig *ctg = &s->contigs[s->n_contigs];
    memset(ctg, 0, sizeof(*ctg));
    if (!(ctg->name = strdup(name)))
        return RAGC_ERR_NOMEM;
    s->n_contigs++;
    return RAGC_OK;
}

/* Segment counts of the batch's contigs, reported by the jobs: room for
   the segments the store jobs fill in; and their MD5s. */
int rg_apply_segment_counts(rg_compressor *c)
{
    for (size_t i = 0; i < c->n_done; i++) {
        rg_contig_done *d = &c->done[i];
        rg_contig *ctg = &c->batch[d->sample - c->batch_first].contigs[d->contig];
        ctg->n_seg = d->n_parts;
        if (d->n_parts && !(ctg->seg = calloc(d->n_parts, sizeof(rg_seg))))
            return RAGC_ERR_NOMEM;
    }
    c->n_done = 0;
    for (size_t i = 0; i < c->n_md5s; i++) {
        const rg_contig_md5 *m = &c->md5s[i];
        rg_contig *ctg = &c->batch[m->sample - c->batch_first].contigs[m->contig];
        memcpy(ctg->md5, m->md5, 16);
        ctg->has_md5 = 1;
    }
    c->n_md5s = 0;
    return RAGC_OK;
}

void rg_free_batch_samples(rg_compressor *c)
{
    for (size_t i = 0; i < c->n_samples - c->batch_first; i++)
        rg_sample_free_contigs(&c->batch[i]);
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
    for (size_t i = 0; r == RAGC_OK && c->keep_md5 && i < n; i++)
        if (from + i >= c->batch_first)   /* in memory, not written yet */
            r = rg_md5_store_sample(c, from + i, &v[i]);
    if (r == RAGC_OK)
        r = rg_write_collection_batch(c->w, c->s_contigs, c->s_details, v, n, c->S + c->k, z);
    ZSTD_freeCCtx(z);
    free(v);
    if (r == RAGC_OK && to > c->batch_first) {
        size_t drop = (size_t)(to - c->batch_first), keep = c->n_samples - to;
        for (size_t i = 0; i < drop; i++)
            rg_sample_free_contigs(&c->batch[i]);
        memmove(c->batch, c->batch + drop, keep * sizeof(rg_sample));
        c->batch_first = to;
    }
    return r;
}

/* Writes the queued collection batches in order, up to the first that
   holds the newest sample (unless all). */
static int write_pending(rg_compressor *c, int all)
{
    int r = RAGC_OK;
    size_t i = 0;
    for (; r == RAGC_OK && i < c->n_pending; i++) {
        uint64_t to = c->pending_batches[i];
        if (!all && to >= c->n_samples)
            break;
        r = write_collection_batch(c, to - c->P, to);
    }
    if (i < c->n_pending)
        memmove(c->pending_batches, c->pending_batches + i, (c->n_pending - i) * sizeof(*c->pending_batches));
    c->n_pending -= i;
    return r;
}

/* agc's processed-sample counter after a batch; the collection batch of P
   samples ending there is written when it reaches a multiple of P (agc
   writes it again, its samples then without contigs, when -c's counter
   comes back to it).  With -c the newest sample may go on receiving
   contigs after this synchronisation point: a batch that holds it waits
   in a queue until a later point finds it complete (the batch then holds
   all of it) or the input ends.  agc writes it at once and loses the
   sample's later contigs; otherwise the parts are agc's. */
int rg_advance_collection(rg_compressor *c)
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
    int r = RAGC_OK;
    if (c->processed_samples % c->P == 0 && c->processed_samples > 0) {
        RG_GROW(c->pending_batches, c->n_pending + 1, c->cap_pending, 4, r = RAGC_ERR_NOMEM);
        if (r == RAGC_OK)
            c->pending_batches[c->n_pending++] = c->processed_samples;
    }
    /* without -c a sample is complete at its synchronisation point */
    return r == RAGC_OK ? write_pending(c, !c->concatenated) : r;
}

int rg_flush_collection(rg_compressor *c)
{
    return write_pending(c, 1);
}

/* The last, partial collection batch (agc's append without inputs skips
   this and loses it: we always write it). */
int rg_write_last_collection_batch(rg_compressor *c)
{
    int r = rg_flush_collection(c);
    if (r < 0 || c->n_samples % c->P == 0)
        return r;
    return write_collection_batch(c, c->n_samples / c->P * c->P, c->n_samples);
}
