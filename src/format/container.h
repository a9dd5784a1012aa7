/* container.h -- the AGC container: named streams of parts, directory at the end.

   Layout: part payloads from offset 0, each `avar metadata || payload`; then
   the directory; then a u64le directory size.  A container is read-only after
   rg_container_open and may be shared between threads. */
#ifndef RAGC_CONTAINER_H
#define RAGC_CONTAINER_H

#include <stdint.h>
#include <stddef.h>

#include "io.h"

typedef struct {
    uint64_t offset;  /* file offset of the part's metadata avar */
    uint64_t size;    /* payload bytes, excluding the metadata avar */
} rg_part;

typedef struct {
    char *name;           /* points into rg_container.dir */
    uint64_t n_parts;
    rg_part *parts;
} rg_stream;

typedef struct rg_container {
    rg_io *io;            /* not owned */
    uint64_t dir_offset;  /* parts must end at or before this */
    int n_streams;
    rg_stream *streams;
    void *index;          /* name -> stream id hash */
    uint8_t *dir;         /* the directory as read (owned) */
} rg_container;

/* Reads and checks the directory.  Returns 0 or a RAGC_ERR_* status. */
int rg_container_open(rg_container *c, rg_io *io);
void rg_container_free(rg_container *c);

/* The size of the file whose last len bytes are `tail`, for reading an
   archive over the network before its size is known (rg_tail_size_fn, io.h):
   the parts listed in the directory are contiguous, so the one file size at
   which every part in the tail sits at its offset is the size.  0 when no
   size fits, or two do (the caller then asks the server); *need > len when
   the directory does not fit in len bytes. */
uint64_t rg_container_tail_size(const uint8_t *tail, size_t len, size_t *need);

/* Stream id by exact name, or -1. */
int rg_container_find(const rg_container *c, const char *name);

/* Reads part `part` of stream `stream`: *data gets a malloc'ed copy of the
   payload (NULL when empty), *meta the metadata (0 for empty parts, as agc).
   Returns 0 or a RAGC_ERR_* status. */
int rg_container_read_part(const rg_container *c, int stream, uint64_t part,
                           uint8_t **data, size_t *len, uint64_t *meta);

/* Tells the byte source that part p1 of stream s1 and part p2 of stream s2
   are about to be read: a remote source fetches both at once, in one request
   when they are near each other, else in two at the same time.  Nothing
   happens for local files. */
void rg_container_will_read(const rg_container *c, int s1, uint64_t p1, int s2, uint64_t p2);

/* Convenience: the only part of a named single-part stream. */
int rg_container_read_named(const rg_container *c, const char *name,
                            uint8_t **data, size_t *len, uint64_t *meta);

/* The only part of a named stream whose metadata counts records of at
   least min_size bytes each: *n gets the count, checked to fit in *len
   bytes (a corrupt archive otherwise). */
int rg_container_read_records(const rg_container *c, const char *name, size_t min_size,
                              uint8_t **data, size_t *len, uint64_t *n);

#endif
