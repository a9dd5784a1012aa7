/* collection.h -- the archive's catalogue: samples -> contigs -> segment descriptors.

   Formats 1 and 2 are loaded whole at open (agc 1.x/2.x archives are small);
   format 3 loads the sample list at open and each batch of contig names and
   segment descriptors on first use: the first sample asked of a batch alone
   (a region query, the plugin: one sample is all they need), on a second
   sample the rest of the batch, so that reading every sample decodes each
   batch at most twice.  Loading is serialised by a mutex; once a sample is
   loaded its data never changes, so readers need no lock. */
#ifndef RAGC_COLLECTION_H
#define RAGC_COLLECTION_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "container.h"

typedef struct {
    uint32_t group_id;
    uint32_t in_group_id;
    uint32_t raw_length;
    uint8_t rc;           /* stored reverse-complemented */
} rg_seg;

typedef struct {
    char *name;           /* full header text */
    uint32_t n_seg;
    rg_seg *seg;
    uint8_t has_md5;      /* the writer computed md5 (SAM M5) while reading */
    uint8_t md5[16];
} rg_contig;

typedef struct {
    char *name;
    uint32_t n_contigs;
    rg_contig *contigs;
    _Atomic int loaded;   /* format 3: its contigs are loaded (set last) */
} rg_sample;

typedef struct rg_collection {
    int format;              /* 1, 2 or 3 */
    uint64_t n_samples;
    rg_sample *samples;      /* stored order; samples[0] is the reference */
    uint64_t *listing;       /* agc's listing order -> stored index */
    void *by_name;           /* sample name -> stored index */

    /* lazy batches (format 3: contigs + details; format 2: details) */
    uint32_t batch_size;
    uint64_t n_batches;
    /* 0 = not loaded, 1 = loaded, 2 = some samples loaded (format 3:
       rg_sample.loaded says which), -1 = failed */
    _Atomic int *batch_state;
    pthread_mutex_t lock;
    const rg_container *ctr;
    int contigs_stream, details_stream;
    uint32_t length_pred;      /* format 3: segment_size + k */

    int n_cmd;
    char **cmd, **cmd_time;
} rg_collection;

/* Loads the collection of an archive of the given format.  Returns 0 or a
   RAGC_ERR_* status. */
int rg_collection_open(rg_collection *col, const rg_container *ctr, int format,
                       uint32_t pack_cardinality, uint32_t segment_size, uint32_t kmer_length);
void rg_collection_free(rg_collection *col);

/* Makes sure the contigs of a stored sample are loaded. */
int rg_collection_ensure(rg_collection *col, uint64_t stored);

/* Stored index of a sample name, or -1. */
int64_t rg_collection_sample(const rg_collection *col, const char *name);

/* Loaders of each format (collection_v*.c). */
int rg_collection_load_v1(rg_collection *col);
int rg_collection_load_v2(rg_collection *col);
int rg_collection_load_v3(rg_collection *col);
int rg_collection_load_batch_v2(rg_collection *col, uint64_t batch);
/* only: the one stored sample to load, or RG_ALL_SAMPLES for every sample
   of the batch not loaded yet. */
#define RG_ALL_SAMPLES UINT64_MAX
int rg_collection_load_batch_v3(rg_collection *col, uint64_t batch, uint64_t only);

/* Shared helpers for the loaders. */
int rg_collection_alloc_samples(rg_collection *col, uint64_t n);
/* Frees a sample's contigs (names, segments) and leaves it with none. */
void rg_sample_free_contigs(rg_sample *s);
int rg_collection_index_names(rg_collection *col);
/* The stored samples of a batch (formats 2 and 3): *first and *count; the
   last batch may be short. */
void rg_collection_batch_samples(const rg_collection *col, uint64_t batch, uint64_t *first, uint64_t *count);
/* Reads a whole zstd-compressed single-part collection stream. */
int rg_collection_read_zstd_part(const rg_container *ctr, int stream, uint64_t part,
                                 uint8_t **raw, size_t *raw_len);

/* Length of the short name: up to the first space, TAB, CR or LF. */
size_t rg_short_name_len(const char *name);

#endif
