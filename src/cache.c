/* cache.c -- a byte-bounded LRU cache of decoded group parts, one per decoder.

   Decoding a segment needs its group's reference and the pack holding it;
   neighbouring segments of a sample, and the same group across samples, hit
   the same parts, so keeping recent parts saves most zstd work. */
#include "archive.h"

#include <stdlib.h>

#include <htslib/khash.h>

typedef struct entry {
    uint64_t key;
    rg_cached_part part;
    struct entry *prev, *next;   /* LRU list, most recent first */
} entry;

KHASH_MAP_INIT_INT64(rg_cache_map, entry *)

struct rg_cache {
    khash_t(rg_cache_map) *map;
    entry *head, *tail;
    size_t used, budget;
};

rg_cache *rg_cache_init(size_t budget)
{
    rg_cache *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->map = kh_init(rg_cache_map);
    if (!c->map) {
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

static void free_entry(entry *e)
{
    free(e->part.data);
    free(e->part.item_end);
    free(e);
}

static void evict_one(rg_cache *c)
{
    entry *e = c->tail;
    unlink_entry(c, e);
    khint_t k = kh_get(rg_cache_map, c->map, e->key);
    if (k != kh_end(c->map))
        kh_del(rg_cache_map, c->map, k);
    c->used -= entry_bytes(e);
    free_entry(e);
}

void rg_cache_destroy(rg_cache *c)
{
    if (!c)
        return;
    while (c->tail)
        evict_one(c);
    kh_destroy(rg_cache_map, c->map);
    free(c);
}

const rg_cached_part *rg_cache_get(rg_cache *c, uint64_t key)
{
    khint_t k = kh_get(rg_cache_map, c->map, key);
    if (k == kh_end(c->map))
        return NULL;
    entry *e = kh_val(c->map, k);
    if (c->head != e) {
        unlink_entry(c, e);
        push_front(c, e);
    }
    return &e->part;
}

const rg_cached_part *rg_cache_put(rg_cache *c, uint64_t key, rg_cached_part *part)
{
    entry *e = calloc(1, sizeof(*e));
    if (!e) {
        free(part->data);
        free(part->item_end);
        return NULL;
    }
    e->key = key;
    e->part = *part;
    size_t bytes = entry_bytes(e);
    /* The most recently used entry survives: a caller may hold it (a group
       reference) while it adds the pack that needs it. */
    while (c->tail && c->tail != c->head && c->used + bytes > c->budget)
        evict_one(c);
    int absent;
    khint_t k = kh_put(rg_cache_map, c->map, key, &absent);
    if (absent < 0) {
        free_entry(e);
        return NULL;
    }
    if (!absent) {   /* replace a stale entry with the same key */
        entry *old = kh_val(c->map, k);
        unlink_entry(c, old);
        c->used -= entry_bytes(old);
        free_entry(old);
    }
    kh_val(c->map, k) = e;
    push_front(c, e);
    c->used += bytes;
    return &e->part;
}
