/* archive.h -- internal definition of ragc_archive and ragc_decoder. */
#ifndef RAGC_ARCHIVE_H
#define RAGC_ARCHIVE_H

#include <zstd.h>

#include "ragc.h"
#include "collection.h"
#include "container.h"
#include "io.h"
#include "lzdiff.h"
#include "original.h"
#include "shard.h"

typedef struct rg_cache rg_cache;

/* A decoded group part: a reference's codes or their tuple packing (kept
   packed: 3 or 4 codes a byte, a third of the memory, unpacked per use),
   or a pack with its item index. */
typedef struct {
    uint8_t *data;
    size_t len;
    uint32_t *item_end;   /* packs: end offset of each item (its separator) */
    uint32_t n_items;
    uint64_t n_codes;     /* tuple-packed references: the code count; else 0 */
} rg_cached_part;

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
    /* a shard of another archive (shard.h): opened by the merge only */
    int is_shard;
    rg_shard_info shard;
    /* decoded group parts, shared by the decoders that use no cache of their own */
    rg_cache *cache;
};

/* A decoder's view of one of ragc's extension streams of per-sample blobs
   (ext_read.c, original_store.h): the index, the zstd prefix (sample 0's
   blob) and the batch read last. */
typedef struct {
    const char *name;         /* the stream's name */
    int use_prefix;           /* batches after the first use sample 0's blob as prefix */
    int index_state;          /* 0: not loaded yet; 1: loaded; < 0: the error */
    uint64_t *first;          /* batch b holds samples [first[b], first[b + 1]) */
    size_t n_batches;
    int stream;               /* the stream's id, -1 without */
    int prefix_state;         /* 0: not loaded yet; 1: loaded (maybe empty); < 0: the error */
    rg_bytes prefix;
    int64_t batch;            /* batch held in body, -1 for none */
    rg_bytes body;
    int64_t blob_sample;      /* sample (stored index) of blob, -1 for none */
    const uint8_t *blob;      /* into body; NULL when the sample has none */
    size_t blob_len;
} rg_ext_reader;

void rg_ext_reader_init(rg_ext_reader *o, const char *name, int use_prefix);
void rg_ext_reader_free(rg_ext_reader *o);
struct ragc_decoder;
/* Loads the blob of a sample (API index) into o->blob / o->blob_len: 1, 0
   when it has none, < 0 on error (RAGC_ERR_FORMAT: corrupt). */
int rg_ext_reader_blob(struct ragc_decoder *dec, rg_ext_reader *o, int64_t sample);

/* A decoder's view of the original forms (original_read.c): the stream and
   the description of the contig read last. */
typedef struct {
    int canonical;            /* ragc_decoder_set_canonical */
    rg_ext_reader ext;        /* the ragc-original stream */
    int64_t checked_sample;   /* sample (API index) whose blob was checked whole, -1 for none */
    int checked;              /* its result: 1 consistent, 0 not (reads canonically) */
    uint64_t *rec_start;      /* when consistent: where each record starts in its blob, and the end */
    int64_t rec_sample, rec_contig;   /* rec's record, -1 for none */
    int rec_has;              /* 1: rec applies; 0: the contig reads canonically */
    rg_orig_sample rec;
    int64_t warned_sample;    /* last sample reported inconsistent */
} rg_orig_reader;

/* A decoder's view of the contigs' MD5s (md5.c): the ragc-md5 stream and,
   once a lookup needed it, an MD5 -> contig table of every sample that has
   them (samples without are listed in `missing`). */
typedef struct {
    rg_ext_reader ext;
    void *table;              /* khash: MD5 -> (sample, contig) */
    int64_t *missing;
    size_t n_missing;
    int table_state;          /* 0: not built; 1: built; < 0: the error */
} rg_md5_reader;

struct ragc_decoder {
    ragc_archive *arc;
    ZSTD_DCtx *dctx;
    rg_cache *cache;     /* the archive's, or its own (own_cache) */
    int own_cache;
    const rg_cached_part *held[2];   /* parts the last segment points into */
    rg_bytes seg;        /* the segment being decoded */
    rg_bytes ref;        /* the last tuple-packed reference, unpacked */
    rg_bytes ascii;      /* its ASCII text */
    rg_orig_reader orig;
    rg_md5_reader md5;
};

/* md5.c: the decoder's MD5 state. */
void rg_md5_reader_init(rg_md5_reader *m);
void rg_md5_reader_free(rg_md5_reader *m);

/* original_read.c: the decoder's original-form state. */
void rg_orig_reader_init(rg_orig_reader *o);
void rg_orig_reader_free(rg_orig_reader *o);
/* The original form of one contig to apply to its bases: 1 with *rec set
   (record 0 of *rec), 0 when the contig reads canonically (no original
   form, the decoder is canonical, or it disagrees with the archive: then a
   warning is logged), < 0 on I/O or memory errors. */
int rg_orig_for_contig(ragc_decoder *dec, int64_t sample, int64_t contig, const rg_orig_sample **rec);
/* ragc_contig_stream without the original form (agc's view). */
int rg_contig_stream_canonical(ragc_decoder *dec, int64_t sample, int64_t contig, int64_t from,
                               int64_t to, ragc_sink_fn sink, void *ctx);

/* ragc_open on a byte source (a file, a URL or memory: the fuzzing harnesses
   open archives from memory, test/fuzz/).  Takes io, closed on failure. */
ragc_archive *rg_archive_open_io(rg_io *io, int *status);

/* ragc_open that also opens shards (arc->is_shard), for the merge. */
ragc_archive *rg_archive_open_shard(const char *path, int *status);

/* Stored index of an API sample index, or -1. */
int64_t rg_archive_stored_sample(const ragc_archive *arc, int64_t sample);

/* Contig of an API sample index, loading its batch; NULL on error (status in *err). */
const rg_contig *rg_archive_contig(ragc_archive *arc, int64_t sample, int64_t contig, int *err);

/* Decodes segment sg in stored orientation (segment_read.c).  *codes points into
   the decoder (its cache or dec->seg) and stays valid until the next call. */
int rg_segment_decode(ragc_decoder *dec, const rg_seg *sg, const uint8_t **codes, size_t *len);
/* Releases the cached parts the last decoded segment pointed into. */
void rg_decoder_release_parts(ragc_decoder *dec);

/* Decoded-part cache (cache.c), thread safe. */
rg_cache *rg_cache_init(size_t budget);
/* All parts must have been released. */
void rg_cache_destroy(rg_cache *c);
/* A new budget; parts beyond it are dropped at once. */
void rg_cache_set_budget(rg_cache *c, size_t budget);
/* Looks up a part and takes a reference to it; NULL if absent. */
const rg_cached_part *rg_cache_get(rg_cache *c, uint64_t key);
/* Whether a part is cached now (no reference taken, no promotion). */
int rg_cache_has(rg_cache *c, uint64_t key);
/* Adds a part (taking ownership of part->data and part->item_end) and
   returns a reference to the cached copy (an equal part another thread
   added first wins); NULL on allocation failure, the data then freed. */
const rg_cached_part *rg_cache_put(rg_cache *c, uint64_t key, rg_cached_part *part);
/* Drops a reference from rg_cache_get/rg_cache_put (NULL is ignored). */
void rg_cache_release(rg_cache *c, const rg_cached_part *part);

#endif
