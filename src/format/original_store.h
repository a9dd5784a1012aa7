/* original_store.h -- how a sample's original form is stored in an archive
   (docs/lossless.md section 7): extension stream RG_ORIG_STREAM, part i =
   sample i in collection order.  A part's metadata is the blob's size; its
   payload is a zstd frame (no content size field: the metadata gives it)
   compressed with the blob of part 0 as prefix, or the blob itself when the
   frame would not be smaller (payload size == metadata).  An empty part,
   and a sample beyond the stream's parts, has no original form.  Part 0 is
   compressed without prefix; when part 0 is empty no part has a prefix. */
#ifndef RAGC_ORIGINAL_STORE_H
#define RAGC_ORIGINAL_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <zstd.h>

#include "lzdiff.h"   /* rg_bytes */

#define RG_ORIG_STREAM "ragc-original"

/* Blobs larger than this are never stored: a corrupt size is caught before
   it becomes an allocation (a blob holds runs, not bases: 1 GiB is far
   beyond any real genome's). */
#define RG_ORIG_MAX_BLOB ((uint64_t)1 << 30)

/* Packs blob into a part: *payload (malloc'ed) and *meta.  cctx is used and
   reset.  prefix may be NULL. */
int rg_orig_pack(ZSTD_CCtx *cctx, const uint8_t *blob, size_t len, const uint8_t *prefix,
                 size_t prefix_len, uint8_t **payload, size_t *payload_len, uint64_t *meta);

/* Unpacks a non-empty part into out (cleared first).  RAGC_ERR_FORMAT when
   the payload does not give exactly meta bytes. */
int rg_orig_unpack(ZSTD_DCtx *dctx, const uint8_t *payload, size_t len, uint64_t meta,
                   const uint8_t *prefix, size_t prefix_len, rg_bytes *out);

#endif
