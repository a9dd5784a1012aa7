/* container.c -- reading the AGC container directory and parts. */
#include "container.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>
#include <htslib/khash.h>

#include "ragc.h"
#include "varint.h"

/* Stream names are "x" + base-64 digits + 'r'/'d': khash's default string
   hash (h = 31 h + c) maps many of them to one value (digits span more
   than 31 codes), and an archive of 10^5 groups then took seconds to open.
   FNV-1a with a final mix spreads them. */
static inline khint_t stream_name_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    h ^= h >> 15;
    h *= 0x2c1b3c6du;
    h ^= h >> 12;
    return (khint_t)h;
}

KHASH_INIT(rg_name, kh_cstr_t, int, 1, stream_name_hash, kh_str_hash_equal)

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
    (void)len;
    s->name = (char *)name;   /* NUL-terminated in the directory we keep */
    s->parts = n_parts ? malloc(n_parts * sizeof(rg_part)) : NULL;
    if (n_parts && !s->parts)
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
    if (rg_read_avar(&cur, &n) < 0 || n > len / 3)
        return RAGC_ERR_FORMAT;
    c->streams = calloc(n ? n : 1, sizeof(rg_stream));
    khash_t(rg_name) *h = kh_init(rg_name);
    c->index = h;
    /* sized once (khash keeps it under 77% full): growing it step by step
       costs a plugin process more than the rest of the directory, and an
       archive of 10^6 streams seconds; n is bounded by the directory's
       bytes (a stream takes three at least) */
    if (!c->streams || !h || kh_resize(rg_name, h, (khint_t)(n + n / 3 + 1)) < 0)
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
    c->dir = dir;   /* the stream names point into it */
    int r = parse_directory(c, dir, dir_size);
    if (r == RAGC_ERR_FORMAT)
        hts_log_error("not an AGC archive (corrupt directory)");
    if (r < 0)
        rg_container_free(c);
    return r;
}

void rg_container_free(rg_container *c)
{
    for (int i = 0; i < c->n_streams; i++)
        free(c->streams[i].parts);
    free(c->streams);
    free(c->dir);
    c->dir = NULL;
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

/* Parts further apart than this are fetched separately. */
#define WILL_READ_SPAN ((uint64_t)1 << 20)

/* A part's end with its metadata allowance, not past the directory. */
static uint64_t clamp_end(const rg_container *c, uint64_t end)
{
    return end > c->dir_offset ? c->dir_offset : end;
}

void rg_container_will_read(const rg_container *c, int s1, uint64_t p1, int s2, uint64_t p2)
{
    if (!c->io->will_need || s1 < 0 || s1 >= c->n_streams || s2 < 0 || s2 >= c->n_streams
        || p1 >= c->streams[s1].n_parts || p2 >= c->streams[s2].n_parts)
        return;
    const rg_part *a = &c->streams[s1].parts[p1], *b = &c->streams[s2].parts[p2];
    uint64_t lo = a->offset < b->offset ? a->offset : b->offset;
    uint64_t hi_a = a->offset + a->size + 9, hi_b = b->offset + b->size + 9;
    uint64_t hi = hi_a > hi_b ? hi_a : hi_b;
    if (hi > c->dir_offset)
        hi = c->dir_offset;
    if (hi > lo && hi - lo <= WILL_READ_SPAN)
        c->io->will_need(c->io, lo, (size_t)(hi - lo));
    else if (c->io->will_need_apart && hi_a - a->offset <= WILL_READ_SPAN
             && hi_b - b->offset <= WILL_READ_SPAN)
        c->io->will_need_apart(c->io, a->offset, (size_t)(clamp_end(c, hi_a) - a->offset),
                               b->offset, (size_t)(clamp_end(c, hi_b) - b->offset));
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

typedef struct {
    uint64_t offset, size;
} span;

static int cmp_span(const void *a, const void *b)
{
    uint64_t x = ((const span *)a)->offset, y = ((const span *)b)->offset;
    return x < y ? -1 : x > y;
}

/* Do the parts in the tail sit where a file of `dir_offset` bytes of parts
   puts them: each part's metadata avar read at its offset, then its payload,
   ending where the next part (or the directory) starts?  The tail's first
   byte is at base = dir_offset - dir_start. */
static int tail_fits(const uint8_t *tail, size_t dir_start, const span *p, size_t n,
                     uint64_t dir_offset)
{
    uint64_t base = dir_offset - dir_start;
    int checked = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i].offset < base)
            continue;
        uint64_t at = p[i].offset - base, next = i + 1 < n ? p[i + 1].offset : dir_offset;
        if (at >= dir_start || tail[at] > 8 || p[i].offset + 1 + tail[at] + p[i].size != next)
            return 0;
        checked++;
    }
    return checked > 0;
}

uint64_t rg_container_tail_size(const uint8_t *tail, size_t len, size_t *need)
{
    *need = 0;
    if (len < 9)
        return 0;
    uint64_t dir_size = 0;
    for (int i = 7; i >= 0; i--)
        dir_size = (dir_size << 8) | tail[len - 8 + i];
    if (dir_size == 0 || dir_size > MAX_DIRECTORY_BYTES)
        return 0;
    if (dir_size > len - 8) {
        *need = (size_t)dir_size + 8 + len;   /* the directory and as much before it */
        return 0;
    }
    size_t dir_start = len - 8 - (size_t)dir_size;
    rg_container c;
    memset(&c, 0, sizeof c);
    c.dir_offset = UINT64_MAX;   /* no bound known yet */
    uint64_t size = 0, n = 0;
    span *parts = NULL;
    if (parse_directory(&c, tail + dir_start, (size_t)dir_size) == RAGC_OK) {
        for (int s = 0; s < c.n_streams; s++)
            n += c.streams[s].n_parts;
        parts = n ? malloc(n * sizeof(*parts)) : NULL;
    }
    if (parts) {
        n = 0;
        for (int s = 0; s < c.n_streams; s++)
            for (uint64_t i = 0; i < c.streams[s].n_parts; i++) {
                parts[n].offset = c.streams[s].parts[i].offset;
                parts[n++].size = c.streams[s].parts[i].size;
            }
        qsort(parts, n, sizeof(*parts), cmp_span);
        /* the last part's metadata avar takes 1 to 9 bytes: the one length
           (and only one) with which every part in the tail fits */
        const span *last = &parts[n - 1];
        for (int k = 1; k <= 9; k++) {
            uint64_t dir_offset = last->offset + (uint64_t)k + last->size;
            if (dir_offset < last->offset || dir_offset < dir_start
                || !tail_fits(tail, dir_start, parts, n, dir_offset))
                continue;
            if (size) {     /* two lengths fit: the tail does not tell */
                size = 0;
                break;
            }
            size = dir_offset + dir_size + 8;
        }
    }
    free(parts);
    rg_container_free(&c);
    return size;
}
