/* original_store.h -- how the samples' original forms are stored in an
   archive: the extension stream RG_ORIG_STREAM (docs/lossless.md section 7).

   The stream holds batches of consecutive samples (collection order), then
   an index:
     parts 0 .. B-1   batch b: the blobs of samples first_b .. first_b + n_b - 1
     part  B          the index: the sample count n_b of every batch
   Every part is packed the same way: its metadata is the size of its
   content; its payload one zstd frame of the content with a content
   checksum and without the content-size field, so damage is detected.  Batches after the first are compressed with the prefix
   (ZSTD_CCtx_refPrefix) of sample 0's blob, when sample 0 has one.

     batch content := uvar n, uvar size[n], blob[0] .. blob[n-1]
                      (size 0: that sample has no original form)
     index content := u8 version (1), uvar B, uvar n_b[B] (each >= 1)

   A sample beyond the batches has no original form.  A writer closes a
   batch after RG_ORIG_BATCH_SAMPLES samples or once it holds at least
   RG_ORIG_BATCH_BYTES, so small genomes share one frame (zstd compresses
   their similar blobs together) while a reader of a large genome's form
   decodes little besides it. */
#ifndef RAGC_ORIGINAL_STORE_H
#define RAGC_ORIGINAL_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <zstd.h>

#include "lzdiff.h"   /* rg_bytes */

#define RG_ORIG_STREAM "ragc-original"
/* The same layout holds the contigs' MD5s (SAM's M5): a sample's blob is
   the 16-byte MD5 of each of its contigs in order (docs/lossless.md 7.3). */
#define RG_MD5_STREAM "ragc-md5"
#define RG_ORIG_STORE_VERSION 1
#define RG_ORIG_BATCH_SAMPLES 50
#define RG_ORIG_BATCH_BYTES ((size_t)1 << 20)

/* Parts larger than this are never stored: a corrupt size is caught before
   it becomes an allocation (blobs hold runs, not bases: 1 GiB is far beyond
   any real genome's). */
#define RG_ORIG_MAX_PART ((uint64_t)1 << 30)

/* Packs content into a part: *payload (malloc'ed) and *meta.  cctx is used
   and reset.  prefix may be NULL. */
int rg_orig_pack(ZSTD_CCtx *cctx, const uint8_t *content, size_t len, const uint8_t *prefix,
                 size_t prefix_len, uint8_t **payload, size_t *payload_len, uint64_t *meta);

/* Unpacks a non-empty part into out (cleared first).  RAGC_ERR_FORMAT when
   the payload does not give exactly meta bytes. */
int rg_orig_unpack(ZSTD_DCtx *dctx, const uint8_t *payload, size_t len, uint64_t meta,
                   const uint8_t *prefix, size_t prefix_len, rg_bytes *out);

/* Batch content of n blobs, given their sizes and their bytes back to back. */
int rg_orig_batch_encode(const size_t *sizes, uint64_t n, const uint8_t *blobs, size_t blobs_len,
                         rg_bytes *out);
/* Blob i of a batch content that must hold n blobs: *blob points into
   content (*len 0: the sample has none).  RAGC_ERR_FORMAT if corrupt. */
int rg_orig_batch_blob(const uint8_t *content, size_t len, uint64_t n, uint64_t i,
                       const uint8_t **blob, size_t *blob_len);

/* Index content of B batches of counts[b] samples. */
int rg_orig_index_encode(const uint64_t *counts, size_t n_batches, rg_bytes *out);
/* Parses an index: *counts (malloc'ed) and *n_batches.  RAGC_ERR_FORMAT if
   corrupt, RAGC_ERR_VERSION for another version. */
int rg_orig_index_decode(const uint8_t *content, size_t len, uint64_t **counts, size_t *n_batches);

#endif
