/* compress_group.c -- storing members in a group, as agc's CSegment:
   raw groups keep members verbatim; LZ groups keep their first member as
   the reference and every later one as an LZ-diff against it; members go
   into packs of P items, each emitted as one part of the delta stream. */
#include <stdlib.h>
#include <string.h>

#include "compress_internal.h"
#include "grow.h"
#include "ragc.h"
#include "segment.h"
#include "segment_write.h"

static int emit_pack(rg_compressor *c, rg_group *g, ZSTD_CCtx *cctx)
{
    uint8_t *part;
    size_t len;
    uint64_t meta;
    rg_pack_kind kind = c->like ? RG_PACK_DRAFT   /* a shard's: the merge compresses them again */
                      : g->ref_stream < 0 ? RG_PACK_RAW : RG_PACK_LZ;
    int r = rg_encode_pack_part_kind(cctx, g->pack.s, g->pack.len, kind, &part, &len, &meta);
    if (r < 0)
        return r;
    r = rg_cw_add_part_buffered(c->w, g->delta_stream, part, len, meta);
    g->pack.len = 0;
    g->n_items = 0;
    return r;
}

static int append_item(rg_group *g, const uint8_t *s, size_t n)
{
    RG_GROW(g->item_start, g->n_items, g->item_cap, 16, return RAGC_ERR_NOMEM);
    size_t start = g->pack.len;
    int r = rg_pack_append(&g->pack, s, n);
    if (r < 0)
        return r;
    g->item_start[g->n_items++] = start;
    return RAGC_OK;
}

/* Reopens a group carried over from an input archive when it gets a new
   member (agc's CSegment::unpack): the reference's index is rebuilt and the
   members of its last pack become the open pack again. */
static int unpack(rg_compressor *c, rg_group *g)
{
    int r = RAGC_OK;
    if (g->ref_in_input) {
        uint8_t *codes;
        size_t n;
        r = rg_append_reference(c, g, &codes, &n);
        g->ref_in_input = 0;
        if (r < 0)
            return r;
        g->ix = rg_lz_index_build(codes, n, c->m);
        free(codes);
        if (!g->ix)
            return RAGC_ERR_NOMEM;
    }
    if (g->in_last) {
        uint8_t *pack;
        size_t len;
        r = rg_decode_pack_part(NULL, g->in_last, g->in_last_len, g->in_last_meta, &pack, &len);
        g->in_last = NULL;   /* consumed */
        if (r < 0)
            return r;
        uint32_t *ends;
        int64_t items = rg_pack_index(pack, len, &ends);
        for (int64_t i = 0; r == RAGC_OK && i < items; i++) {
            size_t start = i ? ends[i - 1] + 1 : 0;
            r = append_item(g, pack + start, ends[i] - start);
        }
        if (items < 0)
            r = RAGC_ERR_NOMEM;
        else
            g->no_seqs += (uint32_t)items;
        free(ends);
        free(pack);
    }
    g->packed = 0;
    return r;
}

int rg_group_init_raw(rg_compressor *c, rg_group *g, int delta_stream, ZSTD_CCtx *cctx)
{
    memset(g, 0, sizeof(*g));
    g->ref_stream = -1;
    g->delta_stream = delta_stream;
    /* agc gives every raw group a one-byte placeholder member 0 */
    static const uint8_t placeholder = 0x7F;
    uint32_t id;
    return rg_group_add_raw(c, g, &placeholder, 1, cctx, &id);
}

int rg_group_add_raw(rg_compressor *c, rg_group *g, const uint8_t *codes, size_t n, ZSTD_CCtx *cctx, uint32_t *id)
{
    int r;
    if (g->packed && (r = unpack(c, g)) < 0)
        return r;
    if (g->n_items == c->P && (r = emit_pack(c, g, cctx)) < 0)
        return r;
    if ((r = append_item(g, codes, n)) < 0)
        return r;
    *id = g->no_seqs++;
    return RAGC_OK;
}

/* The first member of an LZ group: its reference part and index. */
static int set_reference(rg_compressor *c, rg_group *g, const uint8_t *codes, size_t n, ZSTD_CCtx *cctx)
{
    uint8_t *part;
    size_t len;
    uint64_t meta;
    int r = rg_encode_reference_part(cctx, codes, n, &part, &len, &meta);
    if (r < 0)
        return r;
    if ((r = rg_cw_add_part_buffered(c->w, g->ref_stream, part, len, meta)) < 0)
        return r;
    g->ix = rg_lz_index_build(codes, n, c->m);
    return g->ix ? RAGC_OK : RAGC_ERR_NOMEM;
}

int rg_group_add(rg_compressor *c, rg_group *g, const uint8_t *codes, size_t n,
                 const uint8_t *delta, size_t delta_len, int have_delta, ZSTD_CCtx *cctx, uint32_t *id)
{
    int r;
    if (g->packed && (r = unpack(c, g)) < 0)
        return r;
    if (g->no_seqs == 0) {
        if ((r = set_reference(c, g, codes, n, cctx)) < 0)
            return r;
        *id = g->no_seqs++;
        return RAGC_OK;
    }
    if (g->n_items == c->P && (r = emit_pack(c, g, cctx)) < 0)
        return r;
    rg_bytes own = { 0 };
    if (!have_delta) {
        if ((r = rg_lz_encode(g->ix, codes, n, &own)) < 0)
            return r;
        delta = own.s;
        delta_len = own.len;
    }
    if (delta_len == 0) {   /* identical to the reference: id 0, nothing stored */
        rg_bytes_free(&own);
        *id = 0;
        return RAGC_OK;
    }
    /* an equal delta in the open pack is reused (agc looks no further) */
    for (uint32_t i = 0; i < g->n_items; i++) {
        size_t start = g->item_start[i];
        size_t end = i + 1 < g->n_items ? g->item_start[i + 1] - 1 : g->pack.len - 1;
        if (end - start == delta_len && memcmp(g->pack.s + start, delta, delta_len) == 0) {
            rg_bytes_free(&own);
            *id = g->no_seqs - (g->n_items - i);
            return RAGC_OK;
        }
    }
    r = append_item(g, delta, delta_len);
    rg_bytes_free(&own);
    if (r < 0)
        return r;
    *id = g->no_seqs++;
    return RAGC_OK;
}

int rg_group_finish(rg_compressor *c, rg_group *g, ZSTD_CCtx *cctx)
{
    if (g->in_last) {   /* an untouched group of the input: its last pack as stored */
        int r = rg_cw_add_part_buffered(c->w, g->delta_stream, g->in_last, g->in_last_len, g->in_last_meta);
        g->in_last = NULL;   /* the writer owns it now */
        return r;
    }
    int r = g->n_items ? emit_pack(c, g, cctx) : RAGC_OK;
    rg_bytes_free(&g->pack);   /* nothing joins the group any more */
    return r;
}

void rg_group_free(rg_group *g)
{
    free(g->in_last);
    rg_lz_index_free(g->ix);
    rg_bytes_free(&g->pack);
    free(g->item_start);
    memset(g, 0, sizeof(*g));
}
