/* container.c -- reading the AGC container directory and parts. */
#include "container.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>
#include <htslib/khash.h>

#include "ragc.h"
#include "varint.h"

KHASH_MAP_INIT_STR(rg_name, int)

/* Directories of real archives are at most a few MB (one entry per part);
   anything near this is a corrupt size field, not a directory. */
#define MAX_DIRECTORY_BYTES (1ULL << 32)

static int parse_stream(rg_cursor *cur, rg_stream *s, uint64_t dir_offset)
{
    const char *name;
    size_t len;
    uint64_t n_parts, raw_size;
    if (rg_read_cstr(cur, &name, &len) < 0 || rg_read_avar(cur, &n_parts) < 0
        || rg_read_avar(cur, &raw_size) < 0)
        return -1;
    /* each part takes at least two bytes of directory */
    if (n_parts > (uint64_t)(cur->end - cur->p) / 2)
        return -1;
    s->name = strndup(name, len);
    s->parts = n_parts ? malloc(n_parts * sizeof(rg_part)) : NULL;
    if (!s->name || (n_parts && !s->parts))
        return -2;
    s->n_parts = n_parts;
    for (uint64_t i = 0; i < n_parts; i++) {
        rg_part *p = &s->parts[i];
        if (rg_read_avar(cur, &p->offset) < 0 || rg_read_avar(cur, &p->size) < 0)
            return -1;
        /* a part is at least its one-byte metadata plus the payload */
        if (p->offset >= dir_offset || p->size > dir_offset - p->offset - 1)
            return -1;
    }
    return 0;
}

static int parse_directory(rg_container *c, const uint8_t *dir, size_t len)
{
    rg_cursor cur = { dir, dir + len };
    uint64_t n;
    if (rg_read_avar(&cur, &n) < 0 || n > len)
        return RAGC_ERR_FORMAT;
    c->streams = calloc(n ? n : 1, sizeof(rg_stream));
    khash_t(rg_name) *h = kh_init(rg_name);
    c->index = h;
    if (!c->streams || !h)
        return RAGC_ERR_NOMEM;
    for (uint64_t i = 0; i < n; i++) {
        int r = parse_stream(&cur, &c->streams[i], c->dir_offset);
        c->n_streams = (int)i + 1;
        if (r == -2)
            return RAGC_ERR_NOMEM;
        if (r < 0)
            return RAGC_ERR_FORMAT;
        int absent;
        khint_t k = kh_put(rg_name, h, c->streams[i].name, &absent);
        if (absent < 0)
            return RAGC_ERR_NOMEM;
        if (!absent)  /* duplicate stream name */
            return RAGC_ERR_FORMAT;
        kh_val(h, k) = (int)i;
    }
    if (cur.p != cur.end)
        return RAGC_ERR_FORMAT;
    return RAGC_OK;
}

int rg_container_open(rg_container *c, rg_io *io)
{
    memset(c, 0, sizeof(*c));
    c->io = io;
    uint8_t trailer[8];
    if (io->size < 9 || rg_io_read_at(io, io->size - 8, trailer, 8) < 0) {
        hts_log_error("file too short to be an AGC archive");
        return RAGC_ERR_FORMAT;
    }
    uint64_t dir_size = 0;
    for (int i = 7; i >= 0; i--)
        dir_size = (dir_size << 8) | trailer[i];
    if (dir_size == 0 || dir_size > io->size - 8 || dir_size > MAX_DIRECTORY_BYTES) {
        hts_log_error("not an AGC archive (bad directory size %llu)",
                      (unsigned long long)dir_size);
        return RAGC_ERR_FORMAT;
    }
    c->dir_offset = io->size - 8 - dir_size;
    uint8_t *dir = malloc(dir_size);
    if (!dir)
        return RAGC_ERR_NOMEM;
    if (rg_io_read_at(io, c->dir_offset, dir, dir_size) < 0) {
        free(dir);
        hts_log_error("cannot read the archive directory: %s", strerror(errno));
        return RAGC_ERR_IO;
    }
    int r = parse_directory(c, dir, dir_size);
    free(dir);
    if (r == RAGC_ERR_FORMAT)
        hts_log_error("not an AGC archive (corrupt directory)");
    if (r < 0)
        rg_container_free(c);
    return r;
}

void rg_container_free(rg_container *c)
{
    for (int i = 0; i < c->n_streams; i++) {
        free(c->streams[i].name);
        free(c->streams[i].parts);
    }
    free(c->streams);
    if (c->index)
        kh_destroy(rg_name, (khash_t(rg_name) *)c->index);
    c->streams = NULL;
    c->index = NULL;
    c->n_streams = 0;
}

int rg_container_find(const rg_container *c, const char *name)
{
    khash_t(rg_name) *h = c->index;
    khint_t k = kh_get(rg_name, h, name);
    return k == kh_end(h) ? -1 : kh_val(h, k);
}

int rg_container_read_part(const rg_container *c, int stream, uint64_t part,
                           uint8_t **data, size_t *len, uint64_t *meta)
{
    *data = NULL;
    *len = 0;
    *meta = 0;
    if (stream < 0 || stream >= c->n_streams)
        return RAGC_ERR_FORMAT;
    if (part >= c->streams[stream].n_parts) {
        hts_log_error("corrupt archive: stream %s has no part %llu", c->streams[stream].name,
                      (unsigned long long)part);
        return RAGC_ERR_FORMAT;
    }
    const rg_part *p = &c->streams[stream].parts[part];
    if (p->size == 0)  /* agc does not read the metadata of empty parts */
        return RAGC_OK;
    /* One read covers the metadata avar (at most 9 bytes) and the payload. */
    uint64_t want = p->size + 9;
    if (want > c->dir_offset - p->offset)
        want = c->dir_offset - p->offset;
    uint8_t *buf = malloc(want);
    if (!buf)
        return RAGC_ERR_NOMEM;
    if (rg_io_read_at(c->io, p->offset, buf, want) < 0) {
        free(buf);
        hts_log_error("cannot read archive part: %s", strerror(errno));
        return RAGC_ERR_IO;
    }
    rg_cursor cur = { buf, buf + want };
    if (rg_read_avar(&cur, meta) < 0 || (uint64_t)(cur.end - cur.p) < p->size) {
        free(buf);
        hts_log_error("corrupt archive: part %llu of stream %s overruns the data",
                      (unsigned long long)part, c->streams[stream].name);
        return RAGC_ERR_FORMAT;
    }
    memmove(buf, cur.p, p->size);
    *data = buf;
    *len = p->size;
    return RAGC_OK;
}

int rg_container_read_named(const rg_container *c, const char *name,
                            uint8_t **data, size_t *len, uint64_t *meta)
{
    int id = rg_container_find(c, name);
    if (id < 0 || c->streams[id].n_parts < 1) {
        hts_log_error("corrupt archive: no stream %s", name);
        return RAGC_ERR_FORMAT;
    }
    return rg_container_read_part(c, id, 0, data, len, meta);
}

int rg_container_read_records(const rg_container *c, const char *name, size_t min_size,
                              uint8_t **data, size_t *len, uint64_t *n)
{
    int r = rg_container_read_named(c, name, data, len, n);
    if (r < 0)
        return r;
    if (*n > *len / min_size) {
        free(*data);
        *data = NULL;
        hts_log_error("corrupt archive: bad %s", name);
        return RAGC_ERR_FORMAT;
    }
    return RAGC_OK;
}
