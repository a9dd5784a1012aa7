/* merge_internal.h -- `ragc merge` (ragc_merge, docs/scale-out.md): archives
   joined into one that agc reads and appends to.

   The stages (merge.c drives them):
     1. inputs (merge_inputs.c): each archive opened (shards too), the
        parameters compared, each shard matched to its base by fingerprint;
     2. the plan (merge_plan.c): every input group given its output group.
        Raw groups 0..15 are shared by all inputs; the first input keeps its
        group ids; a shard's groups below its base's count are its base's
        groups; every other group gets the next free id, in input order.
        An output group's sources are its input groups in input order; the
        first LZ source holds the reference;
     3. groups (merge_groups.c), in parallel, written in group order: the
        reference part copied; packs copied as stored while they stay whole
        packs at their place, else reopened and their items packed again,
        so that every pack but the last holds P items as agc requires.  Each
        source's in-group ids move by the items before it (id_offset);
     4. the collection and the metadata (merge_collection.c): samples in
        input order (--by-contig: one sample per name, its contigs joined in
        input order), descriptors renumbered; the union of splitters and
        group keys; the extension streams of original forms and MD5s.
   Ownership: the merger owns its inputs and the container writer; the
   caller owns the output file. */
#ifndef RAGC_MERGE_INTERNAL_H
#define RAGC_MERGE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <htslib/thread_pool.h>

#include "archive.h"
#include "container_write.h"
#include "ragc.h"

/* One input group feeding an output group.  A group a shard opened for a
   splitter pair that an earlier shard of the same base opened too is
   joined to that one (recode): its members are decoded and coded again
   against the output group's reference. */
typedef struct {
    uint32_t input, group;
    int recode;
} rg_merge_source;

typedef struct {
    rg_merge_source *src;
    uint32_t n_src, cap_src;
    int ref_stream, delta_stream;   /* output stream ids (ref -1 for raw groups) */
    int made_by;                    /* the input whose splitters made it: a non-shard input,
                                       or the base of the shard that opened it */
} rg_merge_group;

typedef struct {
    const char *path;
    ragc_archive *arc;
    int base;                 /* a shard: the input holding its base; else -1 */
    uint32_t n_groups;
    uint32_t *out_group;      /* group g -> output group */
    uint64_t *id_offset;      /* group g: output in-group id = id + offset (an LZ group's id 0 stays 0);
                                 set by the group stage */
    uint32_t **id_map;        /* group g recoded: its id i -> output id id_map[g][i] (NULL: offsets) */
    uint64_t *n_members;      /* group g: its members, so its ids are 0 .. n - 1 (recoded: the size
                                 of id_map[g]); set by the group stage */
    uint8_t fingerprint[16];  /* bases of shards */
    int has_fingerprint;
} rg_merge_input;

typedef struct {
    rg_merge_input *in;
    size_t n_in;
    int by_contig;
    int threads;
    uint32_t k, m, P, S;
    rg_merge_group *groups;
    uint32_t n_groups;
    rg_container_writer *w;
    int s_samples, s_contigs, s_details;
    char **names;             /* the output's sample names, in order (collection stage) */
    size_t n_names;
} rg_merger;

/* merge_inputs.c */
int rg_merge_open_inputs(rg_merger *mg, char *const *paths, size_t n);
/* The input's delta (is_ref 0) or reference stream of group g, or -1. */
int rg_merge_group_stream(const rg_merge_input *in, uint32_t g, int is_ref);

/* merge_plan.c */
int rg_merge_plan(rg_merger *mg);

/* merge_groups.c: registers the group streams, then writes every group */
int rg_merge_register_groups(rg_merger *mg);
int rg_merge_write_groups(rg_merger *mg);

/* merge_collection.c */
int rg_merge_write_collection(rg_merger *mg);
int rg_merge_write_metadata(rg_merger *mg);

#endif
