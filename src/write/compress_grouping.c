/* compress_grouping.c -- the grouping state contig jobs read: the splitter
   set (with its one-probe filter), the groups and their keys, and each
   splitter's terminators (the splitters it shares a group with).  Set up
   at stage 3 (raw groups for create; compress_append.c for append) and
   changed only between batches: new groups at the synchronisation point
   (compress_sync.c), new splitters in adaptive mode. */
#include <stdlib.h>
#include <string.h>

#include "compress_internal.h"
#include "grow.h"
#include "segment.h"

#define MISSING RG_KMER_MISSING

static int put_splitter(rg_compressor *c, uint64_t kmer, int *absent)
{
    kh_put(rg_kmer_set, c->splitters, kmer, absent);
    if (*absent < 0)
        return RAGC_ERR_NOMEM;
    uint64_t slot = rg_splitter_filter_slot(kmer, c->filter_bits);
    c->splitter_filter[slot >> 6] |= (uint64_t)1 << (slot & 63);
    return RAGC_OK;
}

/* The set and filter of splitter_list (found in the reference or read from
   the input archive). */
int rg_load_splitter_set(rg_compressor *c)
{
    unsigned bits = RG_SPLITTER_FILTER_MIN_BITS;
    while (bits < RG_SPLITTER_FILTER_MAX_BITS && (c->adaptive || ((size_t)1 << bits) < 128 * c->n_splitters))
        bits++;
    c->filter_bits = bits;
    if (!(c->splitter_filter = calloc((size_t)1 << (bits - 6), sizeof(uint64_t))))
        return RAGC_ERR_NOMEM;
    c->cap_splitters = c->n_splitters;
    for (size_t i = 0; i < c->n_splitters; i++) {
        int absent, r = put_splitter(c, c->splitter_list[i], &absent);
        if (r < 0)
            return r;
    }
    return RAGC_OK;
}

/* Adaptive mode: a new splitter, unless known already. */
int rg_add_splitter(rg_compressor *c, uint64_t kmer)
{
    int absent, r = put_splitter(c, kmer, &absent);
    if (r < 0 || !absent)
        return r;
    RG_GROW(c->splitter_list, c->n_splitters, c->cap_splitters, 64, return RAGC_ERR_NOMEM);
    c->splitter_list[c->n_splitters++] = kmer;
    return RAGC_OK;
}

int rg_add_group_slot(rg_compressor *c)
{
    RG_GROW(c->groups, c->n_groups, c->cap_groups, 1024, return RAGC_ERR_NOMEM);
    memset(&c->groups[c->n_groups++], 0, sizeof(rg_group));
    return RAGC_OK;
}

static int u64vec_insert_sorted(rg_u64vec *v, uint64_t x)
{
    RG_GROW(v->v, v->n, v->cap, 4, return RAGC_ERR_NOMEM);
    uint32_t i = v->n;
    while (i > 0 && v->v[i - 1] > x) {
        v->v[i] = v->v[i - 1];
        i--;
    }
    v->v[i] = x;
    v->n++;
    return RAGC_OK;
}

int rg_add_terminator(rg_compressor *c, uint64_t kmer, uint64_t partner)
{
    int absent;
    khint_t it = kh_put(rg_terminators, c->terminators, kmer, &absent);
    if (absent < 0)
        return RAGC_ERR_NOMEM;
    if (absent)
        kh_val(c->terminators, it) = (rg_u64vec){ NULL, 0, 0 };
    return u64vec_insert_sorted(&kh_val(c->terminators, it), partner);
}

/* A new archive's groups 0..15: raw, each with agc's placeholder member;
   group 0 is the key of segments without splitters. */
int rg_map_group_key(rg_compressor *c, uint64_t a, uint64_t b, uint32_t g, int replace)
{
    int absent;
    rg_pair key = { a, b };
    khint_t it = kh_put(rg_group_map, c->groups_by_key, key, &absent);
    if (absent < 0)
        return RAGC_ERR_NOMEM;
    if (absent || replace)
        kh_val(c->groups_by_key, it) = g;
    int r = RAGC_OK;
    if (a != MISSING && b != MISSING) {
        r = rg_add_terminator(c, a, b);
        if (r == RAGC_OK && a != b)
            r = rg_add_terminator(c, b, a);
    }
    return r;
}

int rg_register_raw_groups(rg_compressor *c)
{
    ZSTD_CCtx *z = rg_take_cctx(c);
    int r = z ? RAGC_OK : RAGC_ERR_NOMEM;
    for (uint32_t g = 0; r == RAGC_OK && g < RG_RAW_GROUPS; g++) {
        char name[32];
        rg_group_stream_name(name, g, 0, 3000);
        int ds = rg_cw_register(c->w, name);
        if (ds < 0 || (r = rg_add_group_slot(c)) < 0) {
            r = ds < 0 ? ds : r;
            break;
        }
        r = rg_group_init_raw(c, &c->groups[g], ds, z);
    }
    if (z)
        rg_give_cctx(c, z);
    int m = rg_map_group_key(c, MISSING, MISSING, 0, 1);
    return m < 0 ? m : r;
}

/* A new LZ group: streams, key, terminator lists (visible from the next
   batch on). */
int rg_create_group(rg_compressor *c, uint64_t k1, uint64_t k2)
{
    uint32_t id = c->n_groups;
    char rname[32], dname[32];
    rg_group_stream_name(rname, id, 1, 3000);
    rg_group_stream_name(dname, id, 0, 3000);
    int rs = rg_cw_register(c->w, rname), ds = rg_cw_register(c->w, dname);
    if (rs < 0 || ds < 0)
        return rs < 0 ? rs : ds;
    int r = rg_add_group_slot(c);
    if (r < 0)
        return r;
    c->groups[id].ref_stream = rs;
    c->groups[id].delta_stream = ds;
    return rg_map_group_key(c, k1, k2, id, 0);
}
