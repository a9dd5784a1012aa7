/* collection_write.h -- writing the collection (format 3, agc 3.x) and the
   metadata streams params, splitters, segment-splitters and file_type_info
   (agc-format.md sections 5, 6, 8, 17.5; agc-compression.md sections 12-13).

   The serialisers produce the payloads before zstd and append them to the
   caller's rg_bytes; the rg_write_* functions compress them at agc's levels
   and hand them to a container writer:
     collection-samples   1 part, zstd 19, metadata = raw size   (buffered)
     collection-contigs   1 part a batch, zstd 18, metadata = raw size   (buffered)
     collection-details   1 part a batch: 5 x (cvar raw, cvar packed) then
                          five zstd-19 frames, metadata 0   (buffered)
     params, splitters, segment-splitters, file_type_info: uncompressed,
                          written at once with rg_cw_add_part (agc's AddPart).
   A batch is the samples [b*P, min((b+1)*P, n)), P = pack_cardinality; the
   caller passes each batch's samples (first sample and count).

   Contig names are coded against the previous contig name of the same sample
   exactly as agc's encode_split (the inverse of collection_v3.c's decoder):
   names with a different number of space-separated components than the
   previous one are stored verbatim; otherwise each component is 0x81 when
   equal, verbatim when of a different length, else runs of equal bytes coded
   as 256 - run (runs capped at 100) between the differing bytes.  As in agc,
   names holding bytes >= 0x80 may not decode back (agc-format.md Q7); a
   warning is logged when that happens.

   Segment descriptors: in-group ids are coded against the last id seen for
   the same group within the batch; lengths as ZP(raw_length, length_pred)
   with length_pred = segment_size + kmer_length.  In-group ids must be below
   2^31 (agc keeps them in an int).

   Ownership: inputs are only read.  Thread safety: no shared state; a
   ZSTD_CCtx (may be NULL: a temporary one is used) must not be shared by two
   threads at once.  Errors: RAGC_ERR_* statuses. */
#ifndef RAGC_COLLECTION_WRITE_H
#define RAGC_COLLECTION_WRITE_H

#include <stddef.h>
#include <stdint.h>
#include <zstd.h>

#include "bytes.h"
#include "collection.h"
#include "container_write.h"
#include "ragc.h"

#define RG_ZSTD_LEVEL_SAMPLES 19
#define RG_ZSTD_LEVEL_CONTIGS 18
#define RG_ZSTD_LEVEL_DETAILS 19

/* cvar(n), then each name and a NUL. */
int rg_serialize_sample_names(char *const *names, size_t n, rg_bytes *raw);

/* cvar(n); per sample cvar(n_contigs), then the coded names (each + NUL). */
int rg_serialize_contig_names(const rg_sample *samples, size_t n, rg_bytes *raw);

/* The five sub-streams of a batch's collection-details part (before zstd):
   0 = shape (n, per sample n_contigs, per contig n_segments), 1 = group ids,
   2 = coded in-group ids, 3 = ZP(raw_length, length_pred), 4 = rc flags. */
int rg_serialize_contig_details(const rg_sample *samples, size_t n, uint32_t length_pred,
                                rg_bytes raw[5]);

/* Queues the collection-contigs and collection-details parts of one batch
   (both or neither). */
int rg_write_collection_batch(rg_container_writer *w, int contigs_stream, int details_stream,
                              const rg_sample *samples, size_t n, uint32_t length_pred,
                              ZSTD_CCtx *cctx);

/* Queues the collection-samples part (agc does this at close, so that it is
   the file's last part). */
int rg_write_sample_names(rg_container_writer *w, int stream, char *const *names, size_t n,
                          ZSTD_CCtx *cctx);

/* params: k, M, P, S as u32le, metadata 0. */
int rg_write_params(rg_container_writer *w, int stream, uint32_t k, uint32_t m, uint32_t P,
                    uint32_t S);

/* splitters: the k-mers, strictly ascending (else RAGC_ERR_ARG), as u64le;
   metadata = n. */
int rg_write_splitters(rg_container_writer *w, int stream, const uint64_t *sorted, size_t n);

typedef struct {
    uint64_t kmer1, kmer2;
    uint32_t group_id;
} rg_segment_key;

/* segment-splitters: sorts keys in place by (kmer1, kmer2, group_id), then
   writes each as u64le kmer1, u64le kmer2, u32le group_id; metadata = n. */
int rg_write_segment_splitters(rg_container_writer *w, int stream, rg_segment_key *keys,
                               size_t n);

/* file_type_info with agc 3.2.2's 7 keys: file_version_major 3 and
   file_version_minor 0 as agc (the only pairs agc reads), and ragc's own
   provenance: producer ragc, producer_version_major/minor/build from
   RAGC_VERSION, comment RG_RAGC_COMMENT; metadata = 7. */
int rg_write_file_type_info(rg_container_writer *w, int stream);

#define RG_RAGC_COMMENT "ragc " RAGC_VERSION " (AGC archive format 3.0, the layout of agc 3.2.2)"

/* file_type_info from any pairs (e.g. kept from an archive being appended
   to): written sorted by key bytewise (std::map order); keys must be
   unique (else RAGC_ERR_ARG).  metadata = n. */
int rg_write_file_type_info_pairs(rg_container_writer *w, int stream, const char *const *keys,
                                  const char *const *values, size_t n);

/* agc 3.2.2's values, for callers that want to show or extend them. */
#define RG_AGC_COMMENT "AGC (Assembled Genomes Compressor) v. 3.2.2 [build 20260326.1]"
#define RG_AGC_BUILD "20260326.1"

#endif
