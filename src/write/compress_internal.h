/* compress_internal.h -- state of the compressor shared by its modules.

   Threading: during a batch (one sample) contig jobs run on the thread pool
   and only READ the grouping state (splitters, group map, terminators,
   group references).  Every change to that state happens at the batch's
   synchronisation point, on the calling thread or in per-group jobs that
   touch only their own group, exactly where agc changes it, so decisions
   never depend on thread timing and archives are identical for every -t. */
#ifndef RAGC_COMPRESS_INTERNAL_H
#define RAGC_COMPRESS_INTERNAL_H

#include <pthread.h>
#include <stdint.h>
#include <zstd.h>

#include <htslib/khash.h>
#include <htslib/thread_pool.h>

#include "collection.h"
#include "container_write.h"
#include "kmer.h"
#include "lzdiff.h"
#include "lzdiff_enc.h"
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

#define RG_RAW_GROUP_COUNT 16
#define RG_SPLITTER_FILTER_BITS 22

static inline uint64_t rg_splitter_filter_slot(uint64_t kmer)
{
    return (kmer * 0x9E3779B97F4A7C15ULL) >> (64 - RG_SPLITTER_FILTER_BITS);
}

/* Is kmer a splitter?  A one-probe filter spares the hash lookup for almost
   every k-mer of a genome (splitters are one in tens of thousands). */
#define rg_is_splitter(c, kmer)                                                          \
    (((c)->splitter_filter[rg_splitter_filter_slot(kmer) >> 6] >> (rg_splitter_filter_slot(kmer) & 63)) & 1 \
     && kh_get(rg_kmer_set, (c)->splitters, (kmer)) != kh_end((c)->splitters))

/* One group: its streams, its reference (LZ groups) and its open pack. */
typedef struct {
    int ref_stream, delta_stream;   /* writer stream ids; ref_stream -1 for raw groups */
    rg_lz_index *ix;                /* LZ groups, once the reference is known */
    uint32_t no_seqs;               /* members so far (agc's no_seqs) */
    rg_bytes pack;                  /* open pack: items each followed by 0xFF */
    uint32_t n_items;
    size_t *item_start;             /* offsets of the open pack's items */
    size_t item_cap;
    /* append: a group of the input archive stays packed until a member is
       added (agc's quirk: until then its estimates are 0 and it has no
       coding costs); its reference part was copied already, its last pack
       is kept as stored */
    int packed;
    uint8_t *in_ref, *in_last;
    size_t in_ref_len, in_last_len;
    uint64_t in_ref_meta, in_last_meta;
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

typedef struct rg_compressor {
    /* parameters */
    uint32_t k, m, P, S;
    int threads;
    int concatenated;          /* -c: one sample per FASTA record's first word */
    int pansn;                 /* --pansn: one sample per sample#haplotype of the records */
    /* -f: fall-back minimizers (agc's kmer_filter_t threshold, 0 = off); the
       tuples of the splitter walk wait for the first synchronisation point */
    uint64_t fallback_thr;
    /* -a: adaptive mode.  ref_kmers: the distinct canonical k-mers of the
       reference, sorted (new splitters must not occur there); a batch's new
       splitters and postponed contigs (under parts.lock) */
    int adaptive;
    uint64_t *ref_kmers;
    size_t n_ref_kmers;
    uint64_t *new_splitters;
    size_t n_new_splitters, cap_new_splitters;
    rg_hard_contig *hard;
    size_t n_hard, cap_hard;
    size_t cap_fallback_pending;
    khash_t(rg_fallback_map) *fallback;
    rg_fallback_tuple *fallback_pending;
    size_t n_fallback_pending;
    /* append: file_type_info of the input archive (kept), NULL for create */
    char **info_keys, **info_values;
    size_t n_info;
    /* output */
    rg_container_writer *w;
    int s_samples, s_contigs, s_details;
    /* grouping state, frozen during a batch */
    khash_t(rg_kmer_set) *splitters;
    uint64_t *splitter_filter;     /* 2^RG_SPLITTER_FILTER_BITS bits: a k-mer whose bit is clear is no splitter */
    uint64_t *splitter_list;
    size_t n_splitters;
    khash_t(rg_group_map) *groups_by_key;
    khash_t(rg_terminators) *terminators;
    rg_group *groups;
    uint32_t n_groups, cap_groups;
    /* the current batch: its segments, and its contigs' segment counts
       (both appended by jobs under parts.lock) */
    rg_part_list parts;
    rg_contig_done *done;
    size_t n_done, cap_done;
    uint64_t processed_samples;  /* agc's counter of samples whose batch is complete */
    /* collection: samples of the open collection batch */
    char **sample_names;
    size_t n_samples, cap_samples;
    rg_sample *batch;          /* samples [batch_first, n_samples) */
    size_t batch_first, batch_cap;
    /* workers */
    hts_tpool *pool;
    ZSTD_CCtx **cctx;          /* one per worker slot */
} rg_compressor;

/* compress.c: shared by the create and append set-up */
int rg_add_group_slot(rg_compressor *c);
int rg_add_terminator(rg_compressor *c, uint64_t kmer, uint64_t partner);
int rg_add_sample(rg_compressor *c, const char *name);

struct ragc_archive;

/* compress_kmers.c: the reference's distinct k-mers for adaptive mode */
int rg_reference_kmers_of_file(rg_compressor *c, const char *path);
int rg_reference_kmers_of_archive(rg_compressor *c, struct ragc_archive *in);

/* compress_append.c: continuing an archive (agc's appending_init) */
int rg_append_init(rg_compressor *c, struct ragc_archive *in);

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
   candidates were reported and it must be cut again at the sync point). */
#define RG_CONTIG_POSTPONED 1
int rg_compress_contig(rg_compressor *c, uint32_t sample, uint32_t contig_idx,
                       const char *contig_name, const uint8_t *codes, size_t n, int first_pass,
                       rg_part_list *out, uint32_t *n_parts);

int rg_part_list_push(rg_part_list *l, const rg_seg_part *p);

#endif
