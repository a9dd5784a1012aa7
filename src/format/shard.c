/* shard.c -- the ragc-shard stream (shard.h). */
#include "shard.h"

#include <stdlib.h>
#include <string.h>

#include <htslib/hts.h>
#include <htslib/hts_log.h>

#include "ragc.h"
#include "varint.h"

static void md5_u64(hts_md5_context *m, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    hts_md5_update(m, b, 8);
}

static int md5_stream(hts_md5_context *m, const rg_container *ctr, const char *name)
{
    int s = rg_container_find(ctr, name);
    if (s < 0) {   /* absent and empty differ */
        md5_u64(m, UINT64_MAX);
        return RAGC_OK;
    }
    for (uint64_t p = 0; p < ctr->streams[s].n_parts; p++) {
        uint8_t *data;
        size_t len;
        uint64_t meta;
        int r = rg_container_read_part(ctr, s, p, &data, &len, &meta);
        if (r < 0)
            return r;
        md5_u64(m, meta);
        md5_u64(m, len);
        if (len)
            hts_md5_update(m, data, (unsigned long)len);
        free(data);
    }
    return RAGC_OK;
}

int rg_shard_fingerprint(const rg_container *ctr, uint8_t id[16])
{
    hts_md5_context *m = hts_md5_init();
    if (!m)
        return RAGC_ERR_NOMEM;
    md5_u64(m, (uint64_t)ctr->n_streams);
    for (int s = 0; s < ctr->n_streams; s++) {
        const rg_stream *st = &ctr->streams[s];
        hts_md5_update(m, st->name, (unsigned long)strlen(st->name) + 1);
        md5_u64(m, st->n_parts);
        for (uint64_t p = 0; p < st->n_parts; p++) {
            md5_u64(m, st->parts[p].offset);
            md5_u64(m, st->parts[p].size);
        }
    }
    static const char *const deciding[] = { "params", "splitters", "segment-splitters" };
    int r = RAGC_OK;
    for (int i = 0; r == RAGC_OK && i < 3; i++)
        r = md5_stream(m, ctr, deciding[i]);
    if (r == RAGC_OK)
        hts_md5_final(id, m);
    hts_md5_destroy(m);
    return r;
}

int rg_shard_read(const rg_container *ctr, rg_shard_info *info)
{
    int s = rg_container_find(ctr, RG_SHARD_STREAM);
    if (s < 0)
        return 0;
    uint8_t *data;
    size_t len;
    uint64_t meta;
    if (ctr->streams[s].n_parts != 1) {
        hts_log_error("corrupt archive: stream %s has %llu parts, not 1", RG_SHARD_STREAM,
                      (unsigned long long)ctr->streams[s].n_parts);
        return RAGC_ERR_FORMAT;
    }
    int r = rg_container_read_part(ctr, s, 0, &data, &len, &meta);
    if (r < 0)
        return r;
    if (meta != RG_SHARD_VERSION) {
        hts_log_error("the archive is a shard of version %llu; this ragc reads version %d",
                      (unsigned long long)meta, RG_SHARD_VERSION);
        free(data);
        return RAGC_ERR_VERSION;
    }
    rg_cursor cur = { data, data ? data + len : NULL };
    r = len >= 16 ? RAGC_OK : RAGC_ERR_FORMAT;
    if (r == RAGC_OK) {
        memcpy(info->base_id, data, 16);
        cur.p += 16;
        if (rg_read_uvar(&cur, &info->n_base_groups) < 0 || rg_read_uvar(&cur, &info->n_base_samples) < 0
            || rg_read_uvar(&cur, &info->flags) < 0 || (info->flags & ~(uint64_t)RG_SHARD_DRAFT_PACKS)
            || cur.p != cur.end)
            r = RAGC_ERR_FORMAT;
    }
    if (r < 0)
        hts_log_error("corrupt archive: stream %s is malformed", RG_SHARD_STREAM);
    free(data);
    return r < 0 ? r : 1;
}
