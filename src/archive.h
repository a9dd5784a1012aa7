/* archive.h -- internal definition of ragc_archive and ragc_decoder. */
#ifndef RAGC_ARCHIVE_H
#define RAGC_ARCHIVE_H

#include <zstd.h>

#include "ragc.h"
#include "collection.h"
#include "container.h"
#include "io.h"
#include "lzdiff.h"

struct ragc_archive {
    rg_io *io;
    rg_container ctr;
    ragc_params params;
    rg_collection col;
    int n_info;
    char **info_key, **info_val;   /* file_type_info, sorted by key */
    /* agc 3.0 and 3.1 stored wrong segment lengths for appended samples;
       in their archives lengths are taken from decoded segments instead. */
    int lengths_untrusted;
};

typedef struct rg_cache rg_cache;

struct ragc_decoder {
    ragc_archive *arc;
    ZSTD_DCtx *dctx;
    rg_cache *cache;
    rg_bytes seg;        /* the segment being decoded */
    rg_bytes ascii;      /* its ASCII text */
};

/* Stored index of an API sample index, or -1. */
int64_t rg_archive_stored_sample(const ragc_archive *arc, int64_t sample);

/* Contig of an API sample index, loading its batch; NULL on error (status in *err). */
const rg_contig *rg_archive_contig(ragc_archive *arc, int64_t sample, int64_t contig, int *err);

/* Decodes segment sg in stored orientation (segment.c).  *codes points into
   the decoder (its cache or dec->seg) and stays valid until the next call. */
int rg_segment_decode(ragc_decoder *dec, const rg_seg *sg, const uint8_t **codes, size_t *len);

/* Decoded-part cache (cache.c). */
rg_cache *rg_cache_init(size_t budget);
void rg_cache_destroy(rg_cache *c);
typedef struct {
    uint8_t *data;
    size_t len;
    uint32_t *item_end;   /* packs: end offset of each item (its separator) */
    uint32_t n_items;
} rg_cached_part;
/* Looks up a part and makes it the most recently used; NULL if absent.  The
   pointer stays valid across one further rg_cache_put (the most recent entry
   is never evicted), and until the second. */
const rg_cached_part *rg_cache_get(rg_cache *c, uint64_t key);
/* Takes ownership of part->data and part->item_end; returns the stored
   entry, or NULL on allocation failure (the data is then freed). */
const rg_cached_part *rg_cache_put(rg_cache *c, uint64_t key, rg_cached_part *part);

#endif
