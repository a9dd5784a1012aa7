/* segment.c -- decoding a segment (group_id, in_group_id) from its group's
   streams; see segment.h and archive.h. */
#include "segment.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "archive.h"
#include "zstd_util.h"

static const char B64[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_#";

void rg_group_stream_name(char *buf, uint32_t g, int is_ref, uint32_t file_version)
{
    if (file_version < 3000) {
        snprintf(buf, 32, "seg-%u-%s", g, is_ref ? "ref" : "delta");
        return;
    }
    size_t n = 0;
    buf[n++] = 'x';
    do {   /* base-64 digits, least significant first */
        buf[n++] = B64[g & 63];
        g >>= 6;
    } while (g);
    buf[n++] = is_ref ? 'r' : 'd';
    buf[n] = '\0';
}

/* Digits of every byte value for 4 (base 4), 3 (base 6) and 2 (base 16)
   symbols a byte, most significant first. */
static uint8_t tuple_digits[5][256][4];
static pthread_once_t tuple_once = PTHREAD_ONCE_INIT;

static void init_tuple_digits(void)
{
    for (unsigned w = 2; w <= 4; w++) {
        unsigned base = w == 4 ? 4 : w == 3 ? 6 : 16;
        for (unsigned v = 0; v < 256; v++) {
            unsigned x = v;
            for (int d = (int)w - 1; d >= 0; d--) {
                tuple_digits[w][v][d] = (uint8_t)(x % base);
                x /= base;
            }
        }
    }
}

int rg_tuples_unpack(const uint8_t *t, size_t len, uint8_t *out, size_t n)
{
    if (len < 1)
        return -1;
    unsigned w = t[len - 1] >> 4, r = t[len - 1] & 15;
    if (w == 1) {
        if (r != 0 || len - 1 != n)
            return -1;
        memcpy(out, t, n);
        return 0;
    }
    if (w < 2 || w > 4 || r >= w || len < 2 || (len - 2) * (size_t)w + r != n)
        return -1;
    pthread_once(&tuple_once, init_tuple_digits);
    const size_t full = len - 2;
    for (size_t i = 0; i < full; i++)
        memcpy(out + i * w, tuple_digits[w][t[i]], w);
    /* the leftover byte holds r digits, packed the same way */
    memcpy(out + full * w, tuple_digits[w][t[full]] + (w - r), r);
    return 0;
}

int64_t rg_pack_index(const uint8_t *pack, size_t len, uint32_t **ends)
{
    *ends = NULL;
    if (len > UINT32_MAX)
        return -1;
    size_t n = 0, cap = 0;
    uint32_t *e = NULL;
    for (const uint8_t *p = pack, *end = pack + len;
         p < end && (p = memchr(p, RG_PACK_SEPARATOR, (size_t)(end - p))); p++) {
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            uint32_t *ne = realloc(e, cap * sizeof(uint32_t));
            if (!ne) {
                free(e);
                return -1;
            }
            e = ne;
        }
        e[n++] = (uint32_t)(p - pack);
    }
    *ends = e;
    return (int64_t)n;
}

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

/* Reference part: raw codes (metadata 0) or zstd || marker, the marker
   telling plain (0) or tuple-packed (1) codes; metadata = code count. */
int rg_decode_reference_part(ZSTD_DCtx *dctx, uint8_t *data, size_t len, uint64_t meta,
                             uint8_t **codes, size_t *n)
{
    *codes = NULL;
    *n = 0;
    if (meta == 0) {   /* stored raw */
        *codes = data;
        *n = len;
        return RAGC_OK;
    }
    uint8_t marker = len ? data[len - 1] : 0xFF;
    if (len < 2 || marker > 1 || meta > UINT32_MAX) {
        free(data);
        hts_log_error("corrupt archive: bad reference part");
        return RAGC_ERR_FORMAT;
    }
    uint8_t *raw;
    size_t raw_len;
    int r = rg_zstd_bounded(dctx, data, len - 1, (size_t)meta + 2, &raw, &raw_len);
    free(data);
    if (r < 0)
        return r;
    if (marker == 0) {   /* plain codes */
        if (raw_len != meta) {
            free(raw);
            hts_log_error("corrupt archive: reference length mismatch");
            return RAGC_ERR_FORMAT;
        }
        *codes = raw;
    } else {   /* tuple-packed */
        *codes = malloc(meta ? meta : 1);
        if (!*codes) {
            free(raw);
            return RAGC_ERR_NOMEM;
        }
        r = rg_tuples_unpack(raw, raw_len, *codes, (size_t)meta);
        free(raw);
        if (r < 0) {
            free(*codes);
            *codes = NULL;
            hts_log_error("corrupt archive: bad tuple packing");
            return RAGC_ERR_FORMAT;
        }
    }
    *n = (size_t)meta;
    return RAGC_OK;
}

int rg_decode_pack_part(ZSTD_DCtx *dctx, uint8_t *data, size_t len, uint64_t meta, uint8_t **pack, size_t *n)
{
    *pack = NULL;
    *n = 0;
    if (meta == 0) {   /* stored raw */
        *pack = data;
        *n = len;
        return RAGC_OK;
    }
    if (len < 2 || meta > UINT32_MAX) {
        free(data);
        hts_log_error("corrupt archive: bad pack part");
        return RAGC_ERR_FORMAT;
    }
    int r = rg_zstd_exact(dctx, data, len - 1, (size_t)meta, pack);   /* minus the marker */
    free(data);
    if (r == RAGC_OK)
        *n = (size_t)meta;
    return r;
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
    if (r == RAGC_OK)
        r = rg_decode_reference_part(dec->dctx, data, len, meta, &part.data, &part.len);
    if (r == RAGC_ERR_FORMAT)
        corrupt_group(g, "its reference cannot be read");
    if (r < 0)
        return r;
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
    if (rs < 0 || (r = load_reference(dec, rs, g, &ref)) < 0)
        return rs < 0 ? RAGC_ERR_FORMAT : r;
    dec->held[0] = ref;
    if (i == 0) {
        *codes = ref->data;
        *len = ref->len;
        return RAGC_OK;
    }
    if ((ds = find_group_stream(dec, g, 0)) < 0)
        return RAGC_ERR_FORMAT;
    if ((r = load_pack(dec, ds, (i - 1) / P, g, &pack)) < 0)
        return r;
    dec->held[1] = pack;
    if ((r = pack_item(pack, (i - 1) % P, g, &item, &item_len)) < 0)
        return r;
    r = rg_lz_decode(ref->data, ref->len, item, item_len, pr->min_match_len,
                     pr->file_version < 2000 ? 1 : 2, &dec->seg);
    *codes = dec->seg.s;
    *len = dec->seg.len;
    return r;
}
