/* block_cache.c -- see block_cache.h. */
#include "block_cache.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/khash.h>

typedef struct block {
    uint64_t index;
    uint8_t *data;              /* NULL while its fetch is under way */
    struct block *prev, *next;  /* LRU list of loaded blocks, newest first */
} block;

KHASH_MAP_INIT_INT64(rg_blocks, block *)

struct rg_block_cache {
    rg_block_cache_opts o;
    uint64_t size;
    rg_fetch_fn fetch;
    void *ctx;
    pthread_mutex_t lock;
    pthread_cond_t loaded;      /* signalled when a fetch ends */
    khash_t(rg_blocks) *blocks;
    block *newest, *oldest;
    size_t n_loaded;
    uint64_t next_block;        /* the block after the last fetched run */
    uint64_t ahead;             /* current read-ahead, in blocks */
    int failed;                 /* errno of a failed fetch, then sticky */
};

rg_block_cache *rg_block_cache_new(const rg_block_cache_opts *o, uint64_t size,
                                   rg_fetch_fn fetch, void *ctx)
{
    rg_block_cache *c = calloc(1, sizeof(*c));
    if (!c || !(c->blocks = kh_init(rg_blocks))) {
        free(c);
        errno = ENOMEM;
        return NULL;
    }
    c->o = *o;
    c->size = size;
    c->fetch = fetch;
    c->ctx = ctx;
    c->next_block = UINT64_MAX;
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->loaded, NULL);
    return c;
}

void rg_block_cache_free(rg_block_cache *c)
{
    if (!c)
        return;
    block *b;
    kh_foreach_value(c->blocks, b, { free(b->data); free(b); });
    kh_destroy(rg_blocks, c->blocks);
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->loaded);
    free(c);
}

static block *find(rg_block_cache *c, uint64_t index)
{
    khint_t k = kh_get(rg_blocks, c->blocks, index);
    return k == kh_end(c->blocks) ? NULL : kh_val(c->blocks, k);
}

static void lru_unlink(rg_block_cache *c, block *b)
{
    if (b->prev) b->prev->next = b->next; else c->newest = b->next;
    if (b->next) b->next->prev = b->prev; else c->oldest = b->prev;
    b->prev = b->next = NULL;
}

static void lru_push(rg_block_cache *c, block *b)
{
    b->prev = NULL;
    b->next = c->newest;
    if (c->newest) c->newest->prev = b; else c->oldest = b;
    c->newest = b;
}

static void drop(rg_block_cache *c, block *b)
{
    kh_del(rg_blocks, c->blocks, kh_get(rg_blocks, c->blocks, b->index));
    free(b->data);
    free(b);
}

/* Loaded blocks beyond the capacity go, oldest first (blocks being fetched
   are not in the list and stay). */
static void evict(rg_block_cache *c)
{
    size_t keep = c->o.capacity / c->o.block;
    while (c->n_loaded > (keep ? keep : 1) && c->oldest) {
        block *b = c->oldest;
        lru_unlink(c, b);
        drop(c, b);
        c->n_loaded--;
    }
}

static uint64_t n_blocks(const rg_block_cache *c)
{
    return (c->size + c->o.block - 1) / c->o.block;
}

/* Claims a run of missing blocks from `first` (missing) on: at least up to
   `last` (or the first block present), plus the read-ahead when this read
   continues the previous fetch.  Called locked.  Returns the run's length,
   0 when out of memory. */
static uint64_t claim_run(rg_block_cache *c, uint64_t first, uint64_t last)
{
    /* at most a quarter of the cache ahead, so that a run never evicts
       the blocks its own read needs */
    uint64_t max_ahead = c->o.max_readahead / c->o.block;
    if (max_ahead > c->o.capacity / 4 / c->o.block)
        max_ahead = c->o.capacity / 4 / c->o.block;
    /* the parts an archive reads together follow each other in the file
       (a collection's, a group's): one block past any read, doubling while
       reads go on where the last fetch ended */
    if (first == c->next_block)
        c->ahead = c->ahead * 2 < max_ahead ? c->ahead * 2 : max_ahead;
    else
        c->ahead = 1 < max_ahead ? 1 : max_ahead;
    uint64_t end = last + 1 + c->ahead, total = n_blocks(c), n = 0;
    if (end > total)
        end = total;
    for (uint64_t i = first; i < end && !find(c, i); i++) {
        block *b = calloc(1, sizeof(*b));
        int absent;
        khint_t k = b ? kh_put(rg_blocks, c->blocks, i, &absent) : 0;
        if (!b || absent < 0) {
            free(b);
            break;
        }
        b->index = i;
        kh_val(c->blocks, k) = b;
        n++;
    }
    c->next_block = first + n;
    return n;
}

/* Fetches the claimed run [first, first + n) unlocked, then fills or drops
   its blocks.  Called and returns locked.  0, or -1 with errno. */
static int load_run(rg_block_cache *c, uint64_t first, uint64_t n)
{
    uint64_t off = first * c->o.block;
    uint64_t end = (first + n) * c->o.block;
    if (end > c->size)
        end = c->size;
    size_t len = (size_t)(end - off);
    uint8_t *buf = malloc(len);
    int err = 0;
    pthread_mutex_unlock(&c->lock);
    if (!buf)
        err = ENOMEM;
    else if (c->fetch(c->ctx, off, buf, len) < 0)
        err = errno ? errno : EIO;
    pthread_mutex_lock(&c->lock);
    for (uint64_t i = 0; i < n; i++) {
        block *b = find(c, first + i);
        size_t bl = (size_t)(i + 1 < n ? c->o.block : len - i * c->o.block);
        if (!err && !(b->data = malloc(bl)))
            err = ENOMEM;
        if (err) {
            drop(c, b);
            continue;
        }
        memcpy(b->data, buf + i * c->o.block, bl);
        lru_push(c, b);
        c->n_loaded++;
    }
    free(buf);
    if (err && !c->failed)
        c->failed = err;
    evict(c);
    pthread_cond_broadcast(&c->loaded);
    if (err) {
        errno = err;
        return -1;
    }
    return 0;
}

/* Reads [offset, offset + len) into out (NULL: only loads it).  Locked. */
static int read_locked(rg_block_cache *c, uint64_t offset, uint8_t *out, size_t len);

void rg_block_cache_will_need(rg_block_cache *c, uint64_t offset, size_t len)
{
    if (len == 0 || len > c->o.capacity / 4 || offset >= c->size)
        return;
    if (len > c->size - offset)
        len = (size_t)(c->size - offset);
    pthread_mutex_lock(&c->lock);
    int e = errno;
    if (read_locked(c, offset, NULL, len) < 0)
        errno = e;
    pthread_mutex_unlock(&c->lock);
}

int rg_block_cache_read(rg_block_cache *c, uint64_t offset, void *buf, size_t len)
{
    if (len == 0)
        return 0;
    /* A read larger than half the cache would evict itself: it goes to
       the network directly, uncached. */
    if (len > c->o.capacity / 2) {
        pthread_mutex_lock(&c->lock);
        int failed = c->failed;
        pthread_mutex_unlock(&c->lock);
        if (failed) {
            errno = failed;
            return -1;
        }
        return c->fetch(c->ctx, offset, buf, len);
    }
    pthread_mutex_lock(&c->lock);
    int r = read_locked(c, offset, buf, len);
    pthread_mutex_unlock(&c->lock);
    return r;
}

static int read_locked(rg_block_cache *c, uint64_t offset, uint8_t *out, size_t len)
{
    uint64_t last = (offset + len - 1) / c->o.block;
    int r = 0;
    while (len > 0) {
        if (c->failed) {
            errno = c->failed;
            r = -1;
            break;
        }
        uint64_t i = offset / c->o.block;
        block *b = find(c, i);
        if (b && !b->data) {            /* another thread is fetching it */
            pthread_cond_wait(&c->loaded, &c->lock);
            continue;
        }
        if (!b) {
            uint64_t n = claim_run(c, i, last);
            if (n == 0) {
                errno = ENOMEM;
                r = -1;
                break;
            }
            if ((r = load_run(c, i, n)) < 0)
                break;
            continue;
        }
        size_t in = (size_t)(offset - i * c->o.block);
        size_t bl = (size_t)((i + 1) * c->o.block > c->size ? c->size - i * c->o.block : c->o.block);
        size_t take = bl - in < len ? bl - in : len;
        if (out) {
            memcpy(out, b->data + in, take);
            out += take;
        }
        lru_unlink(c, b);
        lru_push(c, b);
        offset += take;
        len -= take;
    }
    return r;
}
