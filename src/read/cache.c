/* cache.c -- a byte-bounded cache of decoded group parts (LRU with bimodal
   insertion, see PROMOTE_EVERY), shared by the decoders of an archive.

   Decoding a segment needs its group's reference and the pack holding it;
   neighbouring segments of a sample, and the same group across samples (on
   any thread), hit the same parts, so keeping recent parts saves most zstd
   work.  Entries are reference-counted: a part handed out stays valid until
   released, even if it is evicted meanwhile.  Two threads may decode the
   same missing part at once; the second put then returns the first copy.

   Bound: the parts in the cache total at most the budget (or one part, if
   that alone is larger); parts evicted while a decoder still points into
   them (two a decoder: the last segment's reference and pack) live on
   until released.  So memory is at most budget + largest part + 2 parts
   per decoder, whatever is decoded.  The budget can change at any time
   (ragc_set_cache_bytes: getset -m gives the cache part of its budget). */
#include "archive.h"

#include <pthread.h>
#include <stdlib.h>

#include <htslib/khash.h>

typedef struct entry {
    rg_cached_part part;          /* first: callers hold &entry->part */
    uint64_t key;
    int refs;
    int cached;                   /* still in the map and the LRU list */
    struct entry *prev, *next;    /* LRU list, most recent first */
} entry;

KHASH_MAP_INIT_INT64(rg_cache_map, entry *)

struct rg_cache {
    pthread_mutex_t lock;
    khash_t(rg_cache_map) *map;
    entry *head, *tail;
    size_t used, budget;
    unsigned inserts;             /* for the 1-in-PROMOTE_EVERY head insertions */
};

/* Where a new part enters the LRU list when the cache is full: at the
   tail, so that it is the next to go unless it is used again first, except
   one in PROMOTE_EVERY, which enters at the head.  Extracting sample after
   sample cycles through more parts than the cache holds (every reference a
   sample uses, ~70 MB for a human chromosome); plain LRU then evicts each
   part just before its next use and hits nothing, while this keeps a
   growing set of parts resident across the cycle (bimodal insertion, as
   CPU caches do against thrashing).  Parts used twice move to the head as
   in LRU, so a working set that fits is kept as before. */
#ifndef PROMOTE_EVERY
#define PROMOTE_EVERY 32
#endif

rg_cache *rg_cache_init(size_t budget)
{
    rg_cache *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->map = kh_init(rg_cache_map);
    if (!c->map || pthread_mutex_init(&c->lock, NULL) != 0) {
        if (c->map)
            kh_destroy(rg_cache_map, c->map);
        free(c);
        return NULL;
    }
    c->budget = budget;
    return c;
}

static size_t entry_bytes(const entry *e)
{
    return e->part.len + e->part.n_items * sizeof(uint32_t) + sizeof(*e);
}

static void unlink_entry(rg_cache *c, entry *e)
{
    if (e->prev) e->prev->next = e->next; else c->head = e->next;
    if (e->next) e->next->prev = e->prev; else c->tail = e->prev;
    e->prev = e->next = NULL;
}

static void push_front(rg_cache *c, entry *e)
{
    e->next = c->head;
    e->prev = NULL;
    if (c->head) c->head->prev = e;
    c->head = e;
    if (!c->tail) c->tail = e;
}

static void push_back(rg_cache *c, entry *e)
{
    e->prev = c->tail;
    e->next = NULL;
    if (c->tail) c->tail->next = e;
    c->tail = e;
    if (!c->head) c->head = e;
}

static void free_entry(entry *e)
{
    free(e->part.data);
    free(e->part.item_end);
    free(e);
}

/* Takes e out of the map and the list; frees it unless someone holds it. */
static void evict(rg_cache *c, entry *e)
{
    unlink_entry(c, e);
    khint_t k = kh_get(rg_cache_map, c->map, e->key);
    if (k != kh_end(c->map))
        kh_del(rg_cache_map, c->map, k);
    c->used -= entry_bytes(e);
    e->cached = 0;
    if (e->refs == 0)
        free_entry(e);
}

/* Evicts least recently used entries until `extra` more bytes fit. */
static void make_room(rg_cache *c, size_t extra)
{
    entry *e = c->tail;
    while (e && c->used + extra > c->budget) {
        entry *prev = e->prev;
        evict(c, e);
        e = prev;
    }
}

void rg_cache_destroy(rg_cache *c)
{
    if (!c)
        return;
    while (c->tail)
        evict(c, c->tail);   /* every reference must have been released */
    kh_destroy(rg_cache_map, c->map);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

void rg_cache_set_budget(rg_cache *c, size_t budget)
{
    pthread_mutex_lock(&c->lock);
    c->budget = budget;
    make_room(c, 0);
    pthread_mutex_unlock(&c->lock);
}

int ragc_set_cache_bytes(ragc_archive *arc, size_t bytes)
{
    if (!arc || !arc->cache)
        return RAGC_ERR_ARG;
    rg_cache_set_budget(arc->cache, bytes);
    return RAGC_OK;
}

const rg_cached_part *rg_cache_get(rg_cache *c, uint64_t key)
{
    pthread_mutex_lock(&c->lock);
    entry *e = NULL;
    khint_t k = kh_get(rg_cache_map, c->map, key);
    if (k != kh_end(c->map)) {
        e = kh_val(c->map, k);
        e->refs++;
        if (c->head != e) {
            unlink_entry(c, e);
            push_front(c, e);
        }
    }
    pthread_mutex_unlock(&c->lock);
    return e ? &e->part : NULL;
}

int rg_cache_has(rg_cache *c, uint64_t key)
{
    pthread_mutex_lock(&c->lock);
    int has = kh_get(rg_cache_map, c->map, key) != kh_end(c->map);
    pthread_mutex_unlock(&c->lock);
    return has;
}

const rg_cached_part *rg_cache_put(rg_cache *c, uint64_t key, rg_cached_part *part)
{
    entry *e = calloc(1, sizeof(*e));
    if (!e) {
        free(part->data);
        free(part->item_end);
        return NULL;
    }
    e->part = *part;
    e->key = key;
    e->refs = 1;
    pthread_mutex_lock(&c->lock);
    int absent;
    khint_t k = kh_put(rg_cache_map, c->map, key, &absent);
    if (absent < 0) {
        pthread_mutex_unlock(&c->lock);
        free_entry(e);
        return NULL;
    }
    if (!absent) {   /* another thread decoded it first: use that copy */
        entry *have = kh_val(c->map, k);
        have->refs++;
        pthread_mutex_unlock(&c->lock);
        free_entry(e);
        return &have->part;
    }
    kh_val(c->map, k) = e;
    int full = c->used + entry_bytes(e) > c->budget;
    make_room(c, entry_bytes(e));
    e->cached = 1;
    if (full && ++c->inserts % PROMOTE_EVERY)
        push_back(c, e);
    else
        push_front(c, e);
    c->used += entry_bytes(e);
    pthread_mutex_unlock(&c->lock);
    return &e->part;
}

void rg_cache_release(rg_cache *c, const rg_cached_part *part)
{
    if (!part)
        return;
    entry *e = (entry *)part;
    pthread_mutex_lock(&c->lock);
    int drop = --e->refs == 0 && !e->cached;
    pthread_mutex_unlock(&c->lock);
    if (drop)
        free_entry(e);
}
