/* ext_stream.h -- writing one of ragc's extension streams of per-sample
   blobs (original_store.h gives the layout: batches of consecutive
   samples, then an index; docs/lossless.md section 7): ragc-original (the
   samples' original forms) and ragc-md5 (their contigs' MD5s).

   Blobs come in collection order (samples skipped get none); a full batch
   is packed at once and kept in memory until rg_ext_write puts the stream
   in the archive.  Append starts from the input archive's batches, kept
   as they are.  Not thread safe: one caller (the reading thread, or the
   synchronisation point). */
#ifndef RAGC_EXT_STREAM_H
#define RAGC_EXT_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include <zstd.h>

#include "container_write.h"
#include "lzdiff.h"   /* rg_bytes */

struct ragc_archive;

typedef struct {
    uint8_t *data;
    size_t len;
    uint64_t meta;
} rg_ext_part;

typedef struct {
    const char *name;        /* the stream's name */
    int use_prefix;          /* batches after the first: sample 0's blob as zstd prefix */
    rg_ext_part *parts;      /* packed batches */
    uint64_t *counts;        /* their sample counts */
    size_t n_parts, cap_parts, cap_counts;
    rg_bytes open;           /* the open batch's blobs */
    size_t *sizes;
    size_t n_open, cap_open;
    uint64_t next;           /* collection index of the next sample */
    rg_bytes prefix;
    ZSTD_CCtx *cctx;
} rg_ext_stream;

void rg_ext_init(rg_ext_stream *x, const char *name, int use_prefix);
void rg_ext_free(rg_ext_stream *x);
/* Adds the blob (len > 0) of sample; the samples from x->next to it get none. */
int rg_ext_store(rg_ext_stream *x, uint64_t sample, const uint8_t *blob, size_t len);
/* Append: the input's batches (if it has the stream), covering its first
   samples; RAGC_ERR_FORMAT when they do not match its samples. */
int rg_ext_from_archive(rg_ext_stream *x, struct ragc_archive *in);
/* Registers the stream and writes it (batches and index) when any sample has a blob. */
int rg_ext_write(rg_ext_stream *x, rg_container_writer *w);

#endif
