/* container_write.h -- writing the AGC container (agc's CArchive in output
   mode); the layout is described in container.h and agc-format.md section 3.

   Parts are `avar metadata || payload`, written back to back from offset 0.
   rg_cw_add_part writes a part at once; rg_cw_add_part_buffered queues it,
   and rg_cw_flush writes the queue ordered by increasing stream id, first in
   first out within a stream (agc's FlushOutBuffers).  rg_cw_close flushes,
   then writes the directory (streams in registration order, raw_size 00) and
   the u64le directory size.

   Ownership: the writer does not own the ragc_outfile; the caller opens it,
   and commits it (or aborts it) after rg_cw_close.  Parts passed to
   rg_cw_add_part are copied or written before the call returns; parts passed
   to rg_cw_add_part_buffered belong to the writer from the call on (also
   when the call fails) and are freed with free().

   Thread safety: every function takes the writer's mutex, so any of them
   (rg_cw_add_part_buffered typically, from worker threads) may be called
   concurrently, except rg_cw_close, which must be the last call and must not
   race with any other.  The order of parts queued by different threads is
   the order in which they took the lock.

   Errors: RAGC_ERR_* statuses; a failed write (RAGC_ERR_IO, logged with
   hts_log) is sticky: every later call fails with it, and the output must
   then be aborted. */
#ifndef RAGC_CONTAINER_WRITE_H
#define RAGC_CONTAINER_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "ragc.h"   /* ragc_outfile */

typedef struct rg_container_writer rg_container_writer;

/* A writer appending to out from its current position, which must be the
   start of the file (offsets count from 0).  NULL when out of memory. */
rg_container_writer *rg_cw_open(ragc_outfile *out);

/* Registers a stream and returns its id (ids are 0, 1, 2, ... in
   registration order, which is the directory order).  Registering a name
   again returns the existing id, as agc's RegisterStream.  < 0 on error. */
int rg_cw_register(rg_container_writer *w, const char *name);

/* Stream id of a name, or -1. */
int rg_cw_find(const rg_container_writer *w, const char *name);

/* Number of streams registered so far / parts of a stream (written ones
   plus queued ones; 0 for a bad id). */
int rg_cw_n_streams(const rg_container_writer *w);
uint64_t rg_cw_n_parts(const rg_container_writer *w, int stream);

/* Bytes written to the file so far (the offset of the next part). */
uint64_t rg_cw_offset(const rg_container_writer *w);

/* Writes a part now (agc's AddPart).  data may be NULL when len is 0; the
   metadata avar is written for empty parts too. */
int rg_cw_add_part(rg_container_writer *w, int stream, const uint8_t *data, size_t len,
                   uint64_t meta);

/* Queues a part (agc's AddPartBuffered), taking ownership of data (malloc'ed,
   or NULL when len is 0).  The part gets its index in the stream and its
   offset when it is written, at the next flush: a stream's parts are
   numbered in the order they reach the file, as in agc. */
int rg_cw_add_part_buffered(rg_container_writer *w, int stream, uint8_t *data, size_t len,
                            uint64_t meta);

/* Writes the queued parts by increasing stream id, FIFO within a stream. */
int rg_cw_flush(rg_container_writer *w);

/* Flushes, writes the directory and the trailer, and frees w (also on
   error).  Does not commit or close the ragc_outfile. */
int rg_cw_close(rg_container_writer *w);

/* Frees w and its queue without writing anything more (for error paths). */
void rg_cw_discard(rg_container_writer *w);

#endif
