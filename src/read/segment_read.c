/* segment_read.c -- decoding a segment (group_id, in_group_id) from its
   group's streams through a decoder and its cache of decoded parts; see
   archive.h.  The stream formats themselves are src/format/segment.c. */
#include <stdint.h>
#include <stdlib.h>

#include <htslib/hts_log.h>

#include "archive.h"
#include "segment.h"

void rg_decoder_release_parts(ragc_decoder *dec)
{
    for (int h = 0; h < 2; h++) {
        rg_cache_release(dec->cache, dec->held[h]);
        dec->held[h] = NULL;
    }
}

static int corrupt_group(uint32_t g, const char *what)
{
    hts_log_error("corrupt archive: group %u: %s", g, what);
    return RAGC_ERR_FORMAT;
}

/* Cache keys: stream id and part index. */
static uint64_t part_key(int stream, uint64_t part)
{
    return ((uint64_t)(uint32_t)stream << 32) | (part & 0xFFFFFFFFu);
}

static int load_reference(ragc_decoder *dec, int stream, uint32_t g, const rg_cached_part **out)
{
    uint64_t key = part_key(stream, 0);
    if ((*out = rg_cache_get(dec->cache, key)))
        return RAGC_OK;
    uint8_t *data;
    size_t len;
    uint64_t meta;
    int r = rg_container_read_part(&dec->arc->ctr, stream, 0, &data, &len, &meta);
    rg_cached_part part = { 0 };
    int tuples = 0;
    if (r == RAGC_OK)
        r = rg_inflate_reference_part(dec->dctx, data, len, meta, &part.data, &part.len, &tuples);
    if (r == RAGC_ERR_FORMAT)
        corrupt_group(g, "its reference cannot be read");
    if (r < 0)
        return r;
    part.n_codes = tuples ? meta : 0;
    *out = rg_cache_put(dec->cache, key, &part);
    return *out ? RAGC_OK : RAGC_ERR_NOMEM;
}

/* Pack part: the pack itself (metadata 0) or zstd || marker with metadata =
   the pack's size. */
static int load_pack(ragc_decoder *dec, int stream, uint64_t idx, uint32_t g, const rg_cached_part **out)
{
    uint64_t key = part_key(stream, idx);
    if ((*out = rg_cache_get(dec->cache, key)))
        return RAGC_OK;
    uint8_t *data;
    size_t len;
    uint64_t meta;
    int r = rg_container_read_part(&dec->arc->ctr, stream, idx, &data, &len, &meta);
    rg_cached_part part = { 0 };
    if (r == RAGC_OK)
        r = rg_decode_pack_part(dec->dctx, data, len, meta, &part.data, &part.len);
    if (r == RAGC_ERR_FORMAT)
        corrupt_group(g, "a pack cannot be read");
    if (r < 0)
        return r;
    int64_t n = rg_pack_index(part.data, part.len, &part.item_end);
    if (n < 0) {
        free(part.data);
        return RAGC_ERR_NOMEM;
    }
    part.n_items = (uint32_t)n;
    *out = rg_cache_put(dec->cache, key, &part);
    return *out ? RAGC_OK : RAGC_ERR_NOMEM;
}

/* A reference's codes: the cached part itself, or its tuple packing
   unpacked into the decoder's buffer (valid until the next segment). */
static int reference_codes(ragc_decoder *dec, const rg_cached_part *ref, const uint8_t **codes,
                           size_t *len)
{
    if (!ref->n_codes) {
        *codes = ref->data;
        *len = ref->len;
        return RAGC_OK;
    }
    dec->ref.len = 0;
    if (rg_bytes_reserve(&dec->ref, (size_t)ref->n_codes) < 0)
        return RAGC_ERR_NOMEM;
    rg_tuples_unpack(ref->data, ref->len, dec->ref.s, (size_t)ref->n_codes);   /* checked when cached */
    dec->ref.len = (size_t)ref->n_codes;
    *codes = dec->ref.s;
    *len = dec->ref.len;
    return RAGC_OK;
}

static int pack_item(const rg_cached_part *pack, uint64_t item, uint32_t g,
                     const uint8_t **s, size_t *len)
{
    if (item >= pack->n_items)
        return corrupt_group(g, "member missing from its pack");
    size_t start = item ? (size_t)pack->item_end[item - 1] + 1 : 0;
    *s = pack->data + start;
    *len = pack->item_end[item] - start;
    return RAGC_OK;
}

static int find_group_stream(ragc_decoder *dec, uint32_t g, int is_ref)
{
    char name[32];
    rg_group_stream_name(name, g, is_ref, dec->arc->params.file_version);
    int id = rg_container_find(&dec->arc->ctr, name);
    if (id < 0)
        hts_log_error("corrupt archive: missing stream %s", name);
    return id;
}

/* Over a network the reference of a group and the pack of a member are two
   requests to distant places: when neither is cached, both are asked for at
   once (one round trip instead of two before the first bases of a region). */
static void prefetch_pair(ragc_decoder *dec, int ref_stream, uint32_t g, uint64_t pack)
{
    const rg_container *ctr = &dec->arc->ctr;
    if (!ctr->io->will_need || rg_cache_has(dec->cache, part_key(ref_stream, 0)))
        return;
    char name[32];   /* no error logged here when it is missing: the decode says it */
    rg_group_stream_name(name, g, 0, dec->arc->params.file_version);
    int ds = rg_container_find(ctr, name);
    if (ds >= 0 && !rg_cache_has(dec->cache, part_key(ds, pack)))
        rg_container_will_read(ctr, ref_stream, 0, ds, pack);
}

int rg_segment_decode(ragc_decoder *dec, const rg_seg *sg, const uint8_t **codes, size_t *len)
{
    const ragc_params *pr = &dec->arc->params;
    uint32_t g = sg->group_id, i = sg->in_group_id, P = pr->pack_cardinality;
    dec->seg.len = 0;
    rg_decoder_release_parts(dec);
    int ds = -1, r;
    const uint8_t *item;
    size_t item_len;
    const rg_cached_part *pack, *ref;

    if (g < RG_RAW_GROUPS) {
        if ((ds = find_group_stream(dec, g, 0)) < 0)
            return RAGC_ERR_FORMAT;
        if ((r = load_pack(dec, ds, i / P, g, &pack)) < 0)
            return r;
        dec->held[0] = pack;
        if ((r = pack_item(pack, i % P, g, &item, &item_len)) < 0)
            return r;
        *codes = item;
        *len = item_len;
        return RAGC_OK;
    }

    int rs = find_group_stream(dec, g, 1);
    if (rs >= 0 && i > 0)
        prefetch_pair(dec, rs, g, (i - 1) / P);
    if (rs < 0 || (r = load_reference(dec, rs, g, &ref)) < 0)
        return rs < 0 ? RAGC_ERR_FORMAT : r;
    dec->held[0] = ref;
    const uint8_t *rc;
    size_t rlen;
    if ((r = reference_codes(dec, ref, &rc, &rlen)) < 0)
        return r;
    if (i == 0) {
        *codes = rc;
        *len = rlen;
        return RAGC_OK;
    }
    if ((ds = find_group_stream(dec, g, 0)) < 0)
        return RAGC_ERR_FORMAT;
    if ((r = load_pack(dec, ds, (i - 1) / P, g, &pack)) < 0)
        return r;
    dec->held[1] = pack;
    if ((r = pack_item(pack, (i - 1) % P, g, &item, &item_len)) < 0)
        return r;
    r = rg_lz_decode(rc, rlen, item, item_len, pr->min_match_len,
                     pr->file_version < 2000 ? 1 : 2, &dec->seg);
    *codes = dec->seg.s;
    *len = dec->seg.len;
    return r;
}
