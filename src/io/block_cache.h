/* block_cache.h -- aligned blocks of a remote file between the decoders and
   the network.

   Reads are served from fixed-size, aligned blocks.  A miss fetches one run
   of consecutive missing blocks in one request: the blocks the read needs,
   plus a read-ahead that grows while reads follow each other through the
   file (parts of a collection, parts of a group) and drops to nothing on a
   jump.  A block being fetched is marked so that another thread needing it
   waits for that fetch instead of asking the server again.  Memory is
   bounded: least recently used blocks are dropped beyond the capacity.
   After a failed fetch every later read fails too (the file is not to be
   trusted any more).  Thread safe. */
#ifndef RAGC_BLOCK_CACHE_H
#define RAGC_BLOCK_CACHE_H

#include <stddef.h>
#include <stdint.h>

/* Fetches exactly len bytes at offset into buf: 0, or -1 with errno set. */
typedef int (*rg_fetch_fn)(void *ctx, uint64_t offset, void *buf, size_t len);

typedef struct rg_block_cache rg_block_cache;

typedef struct {
    size_t block;          /* block size, bytes (a power of two) */
    size_t capacity;       /* bytes of blocks kept at most */
    size_t max_readahead;  /* bytes fetched ahead of a sequential read at most */
} rg_block_cache_opts;

/* NULL when out of memory.  size: the file's size (reads stop there). */
rg_block_cache *rg_block_cache_new(const rg_block_cache_opts *o, uint64_t size,
                                   rg_fetch_fn fetch, void *ctx);
void rg_block_cache_free(rg_block_cache *c);

/* Reads [offset, offset + len), within the file: 0, or -1 with errno set. */
int rg_block_cache_read(rg_block_cache *c, uint64_t offset, void *buf, size_t len);

/* Loads [offset, offset + len) into the cache in one fetch if any of it is
   missing (errors are left to the reads that follow). */
void rg_block_cache_will_need(rg_block_cache *c, uint64_t offset, size_t len);

#endif
