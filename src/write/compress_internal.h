/* compress_internal.h -- the compressor's state and its modules.

   The pipeline (ragc_create / ragc_append, compress.c):
     1. set-up (compress_state.c): options, thread pool, zstd contexts;
     2. splitters: from the reference (splitters.c) or the input archive
        (compress_append.c); adaptive mode's reference k-mers
        (compress_adaptive.c);
     3. the archive opened: collection streams, raw groups or the input
        archive's groups (compress_grouping.c, compress_append.c);
     4. samples (compress_input.c): each FASTA record becomes a contig of a
        sample (compress_collection.c) and a contig job on the pool
        (compress_workers.c), which cuts it and chooses groups
        (compress_segment.c, compress_fallback.c; adaptive mode's new
        splitters: compress_adaptive.c); after each batch (one sample, or
        P contigs with -c) the synchronisation point (compress_sync.c)
        numbers new groups, spreads raw segments and stores the members
        group by group (compress_group.c), then writes full collection
        batches;
     5. closing (compress_close.c): the open packs, the metadata streams and
        the sample list.

   Threading: during a batch contig jobs run on the thread pool and only
   READ the grouping state (splitters, group map, terminators, group
   references).  Every change to that state happens at the batch's
   synchronisation point, on the calling thread or in per-group jobs that
   touch only their own group, exactly where agc changes it, so decisions
   never depend on thread timing and archives are identical for every -t. */
#ifndef RAGC_COMPRESS_INTERNAL_H
#define RAGC_COMPRESS_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <zstd.h>

#include <htslib/khash.h>
#include <htslib/kstring.h>
#include <htslib/thread_pool.h>

#include "collection.h"
#include "container_write.h"
#include "kmer.h"
#include "kmer_table.h"
#include "lzdiff.h"
#include "lzdiff_enc.h"
#include "ext_stream.h"
#include "original.h"
#include "ragc.h"
#include "segment.h"
#include "shard.h"
#include "splitters.h"

typedef struct {
    uint64_t a, b;
} rg_pair;

static inline khint_t rg_pair_hash(rg_pair p)
{
    return (khint_t)(rg_murmur64(p.a ^ rg_murmur64(p.b)) >> 32);
}
#define rg_pair_eq(x, y) ((x).a == (y).a && (x).b == (y).b)

KHASH_INIT(rg_group_map, rg_pair, uint32_t, 1, rg_pair_hash, rg_pair_eq)
KHASH_SET_INIT_INT64(rg_kmer_set)

typedef struct {
    uint64_t *v;
    uint32_t n, cap;
} rg_u64vec;

KHASH_MAP_INIT_INT64(rg_terminators, rg_u64vec)

typedef struct {
    rg_pair *v;
    uint32_t n, cap;
} rg_pairvec;

/* fall-back minimizer -> splitter pairs of the reference segments holding it */
KHASH_MAP_INIT_INT64(rg_fallback_map, rg_pairvec)

/* The splitter filter: 2^filter_bits bits, about 128 a splitter (2^15 to
   2^22; 2^22 in adaptive mode, whose set grows), so that a k-mer of a
   genome seldom passes it and the filter stays in the core's cache (it is
   probed once a base: 2^22 bits for the 1200 splitters of a chrX cost
   1-2 s of 17-19 s of CPU on the chrX set). */
#define RG_SPLITTER_FILTER_MIN_BITS 15
#define RG_SPLITTER_FILTER_MAX_BITS 22

static inline uint64_t rg_splitter_filter_slot(uint64_t kmer, unsigned bits)
{
    return (kmer * 0x9E3779B97F4A7C15ULL) >> (64 - bits);
}

/* Is kmer a splitter?  A one-probe filter spares the hash lookup for almost
   every k-mer of a genome (splitters are one in tens of thousands). */
#define rg_is_splitter(c, kmer)                                                          \
    (((c)->splitter_filter[rg_splitter_filter_slot(kmer, (c)->filter_bits) >> 6]          \
      >> (rg_splitter_filter_slot(kmer, (c)->filter_bits) & 63)) & 1                     \
     && kh_get(rg_kmer_set, (c)->splitters, (kmer)) != kh_end((c)->splitters))

/* One group: its streams, its reference (LZ groups) and its open pack. */
typedef struct {
    int ref_stream, delta_stream;   /* writer stream ids; ref_stream -1 for raw groups */
    rg_lz_index *ix;                /* LZ groups, once the reference is known */
    uint32_t no_seqs;               /* members so far (agc's no_seqs) */
    rg_bytes pack;                  /* open pack: items each followed by RG_PACK_SEPARATOR */
    uint32_t n_items;
    size_t *item_start;             /* offsets of the open pack's items */
    size_t item_cap;
    /* append: a group of the input archive stays packed until a member is
       added (agc's quirk: until then its estimates are 0 and it has no
       coding costs); its reference part was copied already and is read
       again from the input (ref_in_input: part 0 of input stream
       in_ref_stream) only if the group is reopened; its last pack is kept
       as stored */
    int packed;
    int ref_in_input, in_ref_stream;
    uint8_t *in_last;
    size_t in_last_len;
    uint64_t in_last_meta;
} rg_group;

/* One segment waiting for the synchronisation point. */
typedef struct {
    uint64_t k1, k2;          /* key of a new group; unused for known ones */
    uint32_t group;           /* known group id, or UINT32_MAX while new */
    uint32_t sample;          /* sample index (collection order) */
    uint32_t contig;          /* index in the sample's contig list */
    uint32_t part_no;
    uint32_t raw_len;         /* segment length */
    uint8_t rc;
    uint8_t is_delta;         /* data holds a precomputed LZ delta, not codes */
    uint8_t *data;            /* stored-orientation codes, or the delta */
    size_t len;
    const char *contig_name;  /* the sample's contig name (sort key) */
} rg_seg_part;

typedef struct {
    rg_seg_part *v;
    size_t n, cap;
    pthread_mutex_t lock;
} rg_part_list;

/* Adaptive mode: a contig postponed until the batch's new splitters are in. */
typedef struct {
    uint32_t sample, contig;
    const char *name;
    uint8_t *codes;
    size_t n;
} rg_hard_contig;

/* A contig cut by a job: how many segments it got. */
typedef struct {
    uint32_t sample, contig, n_parts;
} rg_contig_done;

/* A contig's MD5 computed by its job. */
typedef struct {
    uint32_t sample, contig;
    uint8_t md5[16];
} rg_contig_md5;

/* zstd contexts reused across jobs (creating one per part would cost more
   than compressing a small part) */
typedef struct {
    pthread_mutex_t lock;
    ZSTD_CCtx **free_list;
    int n_free, cap;
} rg_cctx_pool;

typedef struct rg_compressor {
    /* parameters */
    uint32_t k, m, P, S;
    int threads;
    int concatenated;          /* -c: one sample per FASTA record's first word */
    int pansn;                 /* --pansn: one sample per sample#haplotype of the records */
    int verbosity;             /* > 0: progress through hts_log_info */
    int keep_original;         /* store original forms (not --no-original) */
    int keep_md5;              /* store contig MD5s (neither --no-original nor --no-md5) */
    char *const *given_names;  /* the caller's sample name of each input, or NULL */
    ragc_progress_fn progress; /* the caller's progress callback, or NULL */
    void *progress_ctx;
    /* -f: fall-back minimizers (agc's kmer_filter_t threshold, 0 = off); the
       tuples of the splitter walk wait for the first synchronisation point */
    uint64_t fallback_thr;
    /* -a: adaptive mode.  ref_kmers: the distinct canonical k-mers of the
       reference (new splitters must not occur there); a batch's new
       splitters and postponed contigs (under parts.lock) */
    int adaptive;
    rg_kmer_table ref_kmers;
    uint64_t *new_splitters;
    size_t n_new_splitters, cap_new_splitters;
    rg_hard_contig *hard;
    size_t n_hard, cap_hard;
    khash_t(rg_fallback_map) *fallback;
    rg_fallback_tuple *fallback_pending;
    size_t n_fallback_pending, cap_fallback_pending;
    /* append: file_type_info of the input archive (kept), NULL for create */
    char **info_keys, **info_values;
    size_t n_info;
    /* output */
    rg_container_writer *w;
    int s_samples, s_contigs, s_details;
    /* grouping state, frozen during a batch */
    khash_t(rg_kmer_set) *splitters;
    uint64_t *splitter_filter;     /* 2^filter_bits bits: a k-mer whose bit is clear is no splitter */
    unsigned filter_bits;
    uint64_t *splitter_list;
    size_t n_splitters, cap_splitters;
    khash_t(rg_group_map) *groups_by_key;
    khash_t(rg_terminators) *terminators;
    rg_group *groups;
    uint32_t n_groups, cap_groups;
    /* the current batch: its segments, and its contigs' segment counts
       (both appended by jobs under parts.lock) */
    rg_part_list parts;
    int parts_lock_ready;        /* parts.lock was initialised */
    rg_contig_done *done;
    size_t n_done, cap_done;
    rg_contig_md5 *md5s;       /* (under parts.lock, applied at the synchronisation point) */
    size_t n_md5s, cap_md5s;
    uint64_t processed_samples;  /* agc's counter of samples whose batch is complete */
    /* no contig comes after the current batch: a group's LZ index (about
       3 bytes a reference base) goes as soon as its members are stored */
    int last_batch;
    uint64_t *pending_batches;   /* -c: collection batches (their end) waiting for the newest sample to end */
    size_t n_pending, cap_pending;
    /* collection: samples of the open collection batch */
    char **sample_names;
    size_t n_samples, cap_samples;
    size_t n_archive_samples;  /* append: the first n_samples came with the archive */
    const char *in_path;       /* append: the archive's path (for messages), else NULL */
    const struct rg_container *in_ctr;   /* append: the archive's container, else NULL */
    /* create --like: the base archive (its sample names are taken), and
       the shard stream naming it; NULL for create and append */
    struct ragc_archive *like;
    rg_shard_info shard;
    rg_sample *batch;          /* samples [batch_first, n_samples) */
    size_t batch_first, batch_cap;
    size_t cap_contigs;        /* capacity of the newest sample's contig array */
    /* ragc's extension streams (ext_stream.h): the samples' original forms
       (compress_original.c) and their contigs' MD5s (compress_md5.c) */
    rg_ext_stream orig;
    rg_ext_stream md5;
    /* workers: the pool, its queue, the first error of a job */
    hts_tpool *pool;
    hts_tpool_process *q;
    atomic_int error;
    rg_cctx_pool zp;
    int zp_lock_ready;           /* zp.lock was initialised */
} rg_compressor;

/* The group of key (a, b): 1 with *id set, or 0. */
static inline int rg_find_group(const rg_compressor *c, uint64_t a, uint64_t b, uint32_t *id)
{
    rg_pair key = { a, b };
    khint_t it = kh_get(rg_group_map, c->groups_by_key, key);
    if (it == kh_end(c->groups_by_key))
        return 0;
    *id = kh_val(c->groups_by_key, it);
    return 1;
}

struct ragc_archive;

/* compress_state.c: setting up and freeing the state.  rg_compressor_init
   leaves *c safe to free whatever it returns. */
int rg_compressor_init(rg_compressor *c, const ragc_create_opts *o);
void rg_compressor_free(rg_compressor *c);

/* compress_workers.c: the thread pool's jobs and their shared resources */
ZSTD_CCtx *rg_take_cctx(rg_compressor *c);   /* NULL when out of memory */
void rg_give_cctx(rg_compressor *c, ZSTD_CCtx *z);
void rg_set_error(rg_compressor *c, int r);  /* keeps the first error of a job */
int rg_wait_jobs(rg_compressor *c);          /* waits for every job; their first error */
/* Runs fn(job) on the pool; on failure frees job and returns RAGC_ERR_NOMEM. */
int rg_dispatch(rg_compressor *c, void *(*fn)(void *), void *job);
/* Queues a contig to be cut (second_pass: adaptive mode's postponed contig,
   cut for good); takes codes (malloc'ed), also on failure.  When the
   archive keeps original forms, the first pass also computes the contig's
   MD5, the n_exc exception runs of its record (copied) giving the bytes
   that are N in codes. */
int rg_dispatch_contig(rg_compressor *c, uint32_t sample, uint32_t contig, const char *name,
                       uint8_t *codes, size_t n, int second_pass, const rg_orig_run *exc, size_t n_exc);
/* The same without waiting for room in the queue (a contig already in
   memory: queuing it costs nothing more). */
int rg_dispatch_contig_now(rg_compressor *c, uint32_t sample, uint32_t contig, const char *name,
                           uint8_t *codes, size_t n, const rg_orig_run *exc, size_t n_exc);

/* compress_grouping.c: splitters, groups, keys and terminators; changed
   only between batches */
int rg_load_splitter_set(rg_compressor *c);
int rg_add_splitter(rg_compressor *c, uint64_t kmer);
int rg_add_group_slot(rg_compressor *c);
int rg_add_terminator(rg_compressor *c, uint64_t kmer, uint64_t partner);
int rg_register_raw_groups(rg_compressor *c);
/* Maps key (a, b) to group g (an existing key keeps its group unless
   replace) and, for a key of two splitters, lists each as the other's
   terminator. */
int rg_map_group_key(rg_compressor *c, uint64_t a, uint64_t b, uint32_t g, int replace);
int rg_create_group(rg_compressor *c, uint64_t k1, uint64_t k2);

/* compress_collection.c: samples, contigs and collection batches */
int rg_add_sample(rg_compressor *c, const char *name);
int rg_add_contig(rg_compressor *c, rg_sample *s, const char *name);
int rg_apply_segment_counts(rg_compressor *c);
int rg_advance_collection(rg_compressor *c);
int rg_write_last_collection_batch(rg_compressor *c);
/* -c: writes the collection batches that waited for the newest sample to
   end (at the end of the input). */
int rg_flush_collection(rg_compressor *c);
void rg_free_batch_samples(rg_compressor *c);

/* compress_preread.c: the reference file read once, for the splitters and
   as the first sample (one sample a file: not with -c or --pansn).  in is
   the reader at the file's end (its original form not taken yet); record i
   is named names[i] (as stored: rg_record_name) and holds codes
   [starts[i], starts[i + 1]), with exception runs exc[i] (n_exc[i]). */
typedef struct {
    struct rg_fasta_in *in;
    size_t n_rec;
    char **names;
    size_t *starts;
    rg_bytes codes;
    rg_orig_run **exc;
    size_t *n_exc;
} rg_preread;

int rg_preread_file(const rg_compressor *c, const char *path, rg_preread *p);
void rg_preread_free(rg_preread *p);

/* compress_input.c: the FASTA files read into samples and contig jobs;
   first: the first file's records when read already (rg_preread), else
   NULL.  rg_record_name: the name stored for record record_no of path
   (header rewritten), its sample holding n_contigs contigs so far. */
int rg_read_samples(rg_compressor *c, char *const *paths, size_t n, rg_preread *first);
int rg_record_name(const rg_compressor *c, const char *path, size_t record_no, uint32_t n_contigs,
                   kstring_t *header);

/* compress_sync.c: the synchronisation point after a batch, and the batch's
   part list (appended by contig jobs) */
int rg_sync_batch(rg_compressor *c);
int rg_part_list_push(rg_part_list *l, const rg_seg_part *p);
void rg_part_list_clear(rg_part_list *l);

/* compress_close.c: the open packs, the metadata streams, the sample list */
int rg_close_archive(rg_compressor *c);

/* compress_adaptive.c: adaptive mode's reference k-mers and a contig's new
   splitters (reported to the batch under parts.lock) */
int rg_reference_kmers_of_file(rg_compressor *c, const char *path);
int rg_reference_kmers_of_archive(rg_compressor *c, struct ragc_archive *in);
int rg_find_new_splitters(rg_compressor *c, const uint8_t *codes, size_t n);

/* compress_fallback.c: the group whose splitter pair shares at least
   min_kmers fall-back minimizers with a segment (dir; rcs its reverse
   complement), 1 with *out and *out_rc set, or 0 */
int rg_fallback_group(const rg_compressor *c, const uint8_t *dir, const uint8_t *rcs, size_t n,
                      uint64_t min_kmers, rg_pair *out, int *out_rc);

/* compress_original.c: the samples' original forms (docs/lossless.md) */
/* Adds the original form of sample (collection index; samples come in
   order, those skipped have none). */
int rg_original_store(rg_compressor *c, uint64_t sample, const rg_orig_sample *desc);
/* The samples' contig MD5s (compress_md5.c): computed by the contig jobs
   (rg_contig_md5_of_codes), kept in the contigs until the sample's
   collection batch is written (rg_md5_store_sample). */
void rg_contig_md5_of_codes(const uint8_t *codes, size_t n, const rg_orig_run *exc, size_t n_exc,
                            uint8_t md5[16]);
int rg_md5_store_sample(rg_compressor *c, uint64_t sample, const rg_sample *s);
/* Append without inputs: MD5s of every sample of the input, from its
   stream or computed by decoding (the way to add them to agc's archives). */
int rg_md5_of_archive(rg_compressor *c, struct ragc_archive *in);

/* compress_append.c: continuing an archive (agc's appending_init) */
int rg_append_init(rg_compressor *c, struct ragc_archive *in);
/* What agc's append needs of an archive (splitters, group keys, the raw
   groups' streams): RAGC_OK or RAGC_ERR_NOT_APPENDABLE with the reason. */
int rg_check_appendable(const struct ragc_archive *in);
/* The archive's splitters, and its group map with the terminator lists. */
int rg_read_archive_splitters(rg_compressor *c, struct ragc_archive *in);
int rg_read_archive_group_map(rg_compressor *c, struct ragc_archive *in);
/* The reference of group g, read from the archive appended to and decoded
   (when the group is reopened); thread safe. */
int rg_append_reference(const rg_compressor *c, const rg_group *g, uint8_t **codes, size_t *n);

/* compress_like.c: a shard of a base archive (create --like, shard.h) */
int rg_like_init(rg_compressor *c, struct ragc_archive *base);
/* At close: the shard stream naming the base. */
int rg_like_write_shard_stream(rg_compressor *c);

/* compress_group.c: per-group storage, as agc's CSegment */
int rg_group_init_raw(rg_compressor *c, rg_group *g, int delta_stream, ZSTD_CCtx *cctx);
int rg_group_add_raw(rg_compressor *c, rg_group *g, const uint8_t *codes, size_t n, ZSTD_CCtx *cctx, uint32_t *id);
/* delta == NULL: encode codes against the reference here */
int rg_group_add(rg_compressor *c, rg_group *g, const uint8_t *codes, size_t n,
                 const uint8_t *delta, size_t delta_len, int have_delta, ZSTD_CCtx *cctx, uint32_t *id);
int rg_group_finish(rg_compressor *c, rg_group *g, ZSTD_CCtx *cctx);
void rg_group_free(rg_group *g);

/* compress_segment.c: cutting contigs and choosing groups (agc's
   compress_contig / add_segment); thread safe against frozen state. */
/* Returns RAGC_OK, a negative status, or RG_CONTIG_POSTPONED (adaptive
   mode, first pass: a contig without splitters; its new splitter
   candidates were reported and it must be cut again at the sync point).
   side(side_arg), when not NULL, runs once on some thread while the contig
   is scanned (the contig's MD5); its failure is the contig's. */
#define RG_CONTIG_POSTPONED 1
int rg_compress_contig(rg_compressor *c, uint32_t sample, uint32_t contig_idx,
                       const char *contig_name, const uint8_t *codes, size_t n, int first_pass,
                       rg_part_list *out, uint32_t *n_parts, int (*side)(void *), void *side_arg);

#endif
