/* collection.c -- the format-independent part of the collection. */
#include "collection.h"

#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>
#include <htslib/khash.h>

#include "ragc.h"
#include "zstd_util.h"

KHASH_MAP_INIT_STR(rg_sample_idx, int64_t)

size_t rg_short_name_len(const char *name)
{
    return strcspn(name, " \t\r\n");
}

int rg_collection_alloc_samples(rg_collection *col, uint64_t n)
{
    col->samples = calloc(n ? n : 1, sizeof(rg_sample));
    col->listing = malloc((n ? n : 1) * sizeof(uint64_t));
    if (!col->samples || !col->listing)
        return RAGC_ERR_NOMEM;
    col->n_samples = n;
    for (uint64_t i = 0; i < n; i++)
        col->listing[i] = i;
    return RAGC_OK;
}

void rg_collection_batch_samples(const rg_collection *col, uint64_t batch, uint64_t *first, uint64_t *count)
{
    *first = batch * col->batch_size;
    *count = col->n_samples - *first;
    if (*count > col->batch_size)
        *count = col->batch_size;
}

int rg_collection_index_names(rg_collection *col)
{
    khash_t(rg_sample_idx) *h = kh_init(rg_sample_idx);
    if (!h)
        return RAGC_ERR_NOMEM;
    col->by_name = h;
    for (uint64_t i = 0; i < col->n_samples; i++) {
        int absent;
        khint_t k = kh_put(rg_sample_idx, h, col->samples[i].name, &absent);
        if (absent < 0)
            return RAGC_ERR_NOMEM;
        if (absent)   /* names are unique in valid archives; keep the first */
            kh_val(h, k) = (int64_t)i;
    }
    return RAGC_OK;
}

int64_t rg_collection_sample(const rg_collection *col, const char *name)
{
    khash_t(rg_sample_idx) *h = col->by_name;
    if (!h)
        return -1;
    khint_t k = kh_get(rg_sample_idx, h, name);
    return k == kh_end(h) ? -1 : kh_val(h, k);
}

int rg_collection_read_zstd_part(const rg_container *ctr, int stream, uint64_t part,
                                 uint8_t **raw, size_t *raw_len)
{
    uint8_t *data;
    size_t len;
    uint64_t meta;
    *raw = NULL;
    *raw_len = 0;
    int r = rg_container_read_part(ctr, stream, part, &data, &len, &meta);
    if (r < 0)
        return r;
    if (len == 0 || meta == 0 || meta > SIZE_MAX / 2) {
        free(data);
        hts_log_error("corrupt archive: empty collection part in %s", ctr->streams[stream].name);
        return RAGC_ERR_FORMAT;
    }
    r = rg_zstd_exact(NULL, data, len, (size_t)meta, raw);
    free(data);
    if (r == RAGC_OK)
        *raw_len = (size_t)meta;
    return r;
}

int rg_collection_open(rg_collection *col, const rg_container *ctr, int format,
                       uint32_t pack_cardinality, uint32_t segment_size, uint32_t kmer_length)
{
    memset(col, 0, sizeof(*col));
    col->format = format;
    col->ctr = ctr;
    col->batch_size = pack_cardinality;
    col->length_pred = segment_size + kmer_length;
    col->contigs_stream = col->details_stream = -1;
    if (pthread_mutex_init(&col->lock, NULL) != 0)
        return RAGC_ERR_NOMEM;   /* nothing loaded: the caller frees nothing */
    int r = format == 1 ? rg_collection_load_v1(col)
          : format == 2 ? rg_collection_load_v2(col)
          : rg_collection_load_v3(col);
    if (r == RAGC_OK)
        r = rg_collection_index_names(col);
    return r;
}

void rg_sample_free_contigs(rg_sample *s)
{
    for (uint32_t c = 0; c < s->n_contigs; c++) {
        free(s->contigs[c].name);
        free(s->contigs[c].seg);
    }
    free(s->contigs);
    s->contigs = NULL;
    s->n_contigs = 0;
}

static void free_sample(rg_sample *s)
{
    rg_sample_free_contigs(s);
    free(s->name);
}

void rg_collection_free(rg_collection *col)
{
    for (uint64_t i = 0; i < col->n_samples; i++)
        free_sample(&col->samples[i]);
    free(col->samples);
    free(col->listing);
    free((void *)col->batch_state);
    if (col->by_name)
        kh_destroy(rg_sample_idx, (khash_t(rg_sample_idx) *)col->by_name);
    for (int i = 0; i < col->n_cmd; i++) {
        free(col->cmd[i]);
        free(col->cmd_time[i]);
    }
    free(col->cmd);
    free(col->cmd_time);
    pthread_mutex_destroy(&col->lock);
    memset(col, 0, sizeof(*col));
}

int rg_collection_ensure(rg_collection *col, uint64_t stored)
{
    if (stored >= col->n_samples)
        return RAGC_ERR_NO_SAMPLE;
    if (!col->batch_state)   /* loaded whole at open */
        return RAGC_OK;
    uint64_t b = stored / col->batch_size;
    int st = atomic_load(&col->batch_state[b]);
    if (st == 1 || (st == 2 && atomic_load(&col->samples[stored].loaded)))
        return RAGC_OK;
    if (st < 0)
        return RAGC_ERR_FORMAT;
    pthread_mutex_lock(&col->lock);
    st = atomic_load(&col->batch_state[b]);
    int r = RAGC_OK;
    if (st == 0 && col->format == 3) {
        r = rg_collection_load_batch_v3(col, b, stored);
        atomic_store(&col->batch_state[b], r == RAGC_OK ? 2 : -1);
    } else if (st == 0 || (st == 2 && !atomic_load(&col->samples[stored].loaded))) {
        r = col->format == 3 ? rg_collection_load_batch_v3(col, b, RG_ALL_SAMPLES)
                             : rg_collection_load_batch_v2(col, b);
        atomic_store(&col->batch_state[b], r == RAGC_OK ? 1 : -1);
    } else if (st < 0) {
        r = RAGC_ERR_FORMAT;
    }
    pthread_mutex_unlock(&col->lock);
    return r;
}
