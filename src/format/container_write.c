/* container_write.c -- writing the AGC container; see container_write.h. */
#include "container_write.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>
#include <htslib/khash.h>

#include "bytes.h"
#include "container.h"
#include "grow.h"
#include "ragc.h"
#include "varint.h"

KHASH_MAP_INIT_STR(cw_names, int)

#define CW_WBUF (1u << 20)   /* small parts are gathered into writes of this size */

typedef struct {
    char *name;
    uint64_t n_parts, cap;   /* written parts */
    rg_part *parts;
    uint64_t n_queued;       /* parts waiting in the queue */
} cw_stream;

typedef struct {
    int stream;
    uint64_t seq;            /* queue order, for FIFO within a stream */
    uint8_t *data;
    size_t len;
    uint64_t meta;
} cw_queued;

struct rg_container_writer {
    ragc_outfile *out;
    uint64_t offset;         /* bytes handed to the file so far (incl. wbuf) */
    int status;              /* sticky write error */
    int n_streams, cap_streams;
    cw_stream *streams;
    khash_t(cw_names) *names;
    cw_queued *queue;
    size_t n_queue, cap_queue;
    uint64_t seq;
    uint8_t *wbuf;
    size_t wlen;
    pthread_mutex_t lock;
};

rg_container_writer *rg_cw_open(ragc_outfile *out)
{
    rg_container_writer *w = calloc(1, sizeof(*w));
    if (!w)
        return NULL;
    w->out = out;
    w->names = kh_init(cw_names);
    w->wbuf = malloc(CW_WBUF);
    if (!w->names || !w->wbuf || pthread_mutex_init(&w->lock, NULL) != 0) {
        if (w->names)
            kh_destroy(cw_names, w->names);
        free(w->wbuf);
        free(w);
        return NULL;
    }
    return w;
}

/* --- output ---------------------------------------------------------------- */

static int write_out(rg_container_writer *w, const void *p, size_t n)
{
    if (n && ragc_outfile_write(w->out, p, n) < 0) {
        /* EPIPE: the reader of a pipe went away (`ragc create ... | head`),
           which the caller judges (the command stays silent, as samtools) */
        if (errno != EPIPE)
            hts_log_error("cannot write the archive%s%s: %s", w->out->path ? " " : "",
                          w->out->path ? w->out->path : "", strerror(errno));
        w->status = RAGC_ERR_IO;
        return w->status;
    }
    return RAGC_OK;
}

static int drain(rg_container_writer *w)
{
    int r = write_out(w, w->wbuf, w->wlen);
    w->wlen = 0;
    return r;
}

/* Appends bytes to the file through the gathering buffer. */
static int emit(rg_container_writer *w, const void *p, size_t n)
{
    if (n == 0)
        return w->status;
    if (n > CW_WBUF - w->wlen) {
        if (drain(w) < 0)
            return w->status;
        if (n >= CW_WBUF) {
            if (write_out(w, p, n) < 0)
                return w->status;
            w->offset += n;
            return RAGC_OK;
        }
    }
    memcpy(w->wbuf + w->wlen, p, n);
    w->wlen += n;
    w->offset += n;
    return RAGC_OK;
}

/* Writes one part and records it in its stream (caller holds the lock). */
static int write_part(rg_container_writer *w, int stream, const uint8_t *data, size_t len,
                      uint64_t meta)
{
    cw_stream *s = &w->streams[stream];
    RG_GROW(s->parts, s->n_parts, s->cap, 4, return RAGC_ERR_NOMEM);
    uint8_t m[9];
    int ml = rg_write_avar(m, meta);
    uint64_t at = w->offset;
    if (emit(w, m, (size_t)ml) < 0 || emit(w, data, len) < 0)
        return w->status;
    s->parts[s->n_parts++] = (rg_part){ at, (uint64_t)len };
    return RAGC_OK;
}

static int bad_stream(const rg_container_writer *w, int stream)
{
    if (stream < 0 || stream >= w->n_streams) {
        hts_log_error("archive writer: no stream with id %d", stream);
        return 1;
    }
    return 0;
}

/* --- streams --------------------------------------------------------------- */

int rg_cw_register(rg_container_writer *w, const char *name)
{
    pthread_mutex_lock(&w->lock);
    int id;
    khint_t k = kh_get(cw_names, w->names, name);
    if (k != kh_end(w->names)) {
        id = kh_val(w->names, k);
        goto done;
    }
    id = RAGC_ERR_NOMEM;
    if (w->n_streams == w->cap_streams) {
        if (w->cap_streams > (1 << 29)) {
            id = RAGC_ERR_ARG;
            goto done;
        }
        RG_GROW(w->streams, w->n_streams, w->cap_streams, 32, goto done);
    }
    char *copy = strdup(name);
    if (!copy)
        goto done;
    int absent;
    k = kh_put(cw_names, w->names, copy, &absent);
    if (absent < 0) {
        free(copy);
        goto done;
    }
    id = w->n_streams++;
    kh_val(w->names, k) = id;
    w->streams[id] = (cw_stream){ .name = copy };
done:
    pthread_mutex_unlock(&w->lock);
    return id;
}

/* Locks a writer given as const to read its state: the lock is the only
   thing that changes, so the const is cast away here, once. */
static rg_container_writer *lock_to_read(const rg_container_writer *cw)
{
    rg_container_writer *w = (rg_container_writer *)cw;
    pthread_mutex_lock(&w->lock);
    return w;
}

int rg_cw_find(const rg_container_writer *cw, const char *name)
{
    rg_container_writer *w = lock_to_read(cw);
    khint_t k = kh_get(cw_names, w->names, name);
    int id = k == kh_end(w->names) ? -1 : kh_val(w->names, k);
    pthread_mutex_unlock(&w->lock);
    return id;
}

int rg_cw_n_streams(const rg_container_writer *cw)
{
    rg_container_writer *w = lock_to_read(cw);
    int n = w->n_streams;
    pthread_mutex_unlock(&w->lock);
    return n;
}

uint64_t rg_cw_n_parts(const rg_container_writer *cw, int stream)
{
    rg_container_writer *w = lock_to_read(cw);
    uint64_t n = 0;
    if (stream >= 0 && stream < w->n_streams)
        n = w->streams[stream].n_parts + w->streams[stream].n_queued;
    pthread_mutex_unlock(&w->lock);
    return n;
}

uint64_t rg_cw_offset(const rg_container_writer *cw)
{
    rg_container_writer *w = lock_to_read(cw);
    uint64_t o = w->offset;
    pthread_mutex_unlock(&w->lock);
    return o;
}

/* --- parts ----------------------------------------------------------------- */

int rg_cw_add_part(rg_container_writer *w, int stream, const uint8_t *data, size_t len,
                   uint64_t meta)
{
    pthread_mutex_lock(&w->lock);
    int r = w->status;
    if (r == RAGC_OK && bad_stream(w, stream))
        r = RAGC_ERR_ARG;
    else if (r == RAGC_OK && len && !data)
        r = RAGC_ERR_ARG;
    if (r == RAGC_OK)
        r = write_part(w, stream, data, len, meta);
    pthread_mutex_unlock(&w->lock);
    return r;
}

int rg_cw_add_part_buffered(rg_container_writer *w, int stream, uint8_t *data, size_t len,
                            uint64_t meta)
{
    pthread_mutex_lock(&w->lock);
    int r = w->status;
    if (r == RAGC_OK && (bad_stream(w, stream) || (len && !data)))
        r = RAGC_ERR_ARG;
    if (r == RAGC_OK)
        RG_GROW(w->queue, w->n_queue, w->cap_queue, 256, r = RAGC_ERR_NOMEM);
    if (r == RAGC_OK) {
        w->queue[w->n_queue++] = (cw_queued){ stream, w->seq++, data, len, meta };
        w->streams[stream].n_queued++;
        data = NULL;
    }
    pthread_mutex_unlock(&w->lock);
    free(data);
    return r;
}

static int queued_cmp(const void *a, const void *b)
{
    const cw_queued *x = a, *y = b;
    if (x->stream != y->stream)
        return x->stream < y->stream ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int flush_locked(rg_container_writer *w)
{
    int r = w->status;
    if (r < 0)
        return r;
    if (w->n_queue > 1)
        qsort(w->queue, w->n_queue, sizeof(cw_queued), queued_cmp);
    size_t i = 0;
    for (; r == RAGC_OK && i < w->n_queue; i++) {
        cw_queued *q = &w->queue[i];
        r = write_part(w, q->stream, q->data, q->len, q->meta);
        if (r == RAGC_OK) {
            w->streams[q->stream].n_queued--;
            free(q->data);
            q->data = NULL;
        }
    }
    if (r < 0) {   /* keep what was not written: rg_cw_discard frees it */
        i--;
        memmove(w->queue, w->queue + i, (w->n_queue - i) * sizeof(cw_queued));
        w->n_queue -= i;
        return r;
    }
    w->n_queue = 0;
    return RAGC_OK;
}

int rg_cw_flush(rg_container_writer *w)
{
    pthread_mutex_lock(&w->lock);
    int r = flush_locked(w);
    pthread_mutex_unlock(&w->lock);
    return r;
}

/* --- directory ------------------------------------------------------------- */

/* The directory's bytes; failed (out of memory) makes later puts no-ops. */
typedef struct {
    rg_bytes b;
    int failed;
} dir_buf;

static void dir_put(dir_buf *d, const void *p, size_t n)
{
    if (d->failed || (d->failed = rg_bytes_reserve(&d->b, n) < 0))
        return;
    memcpy(d->b.s + d->b.len, p, n);
    d->b.len += n;
}

static void dir_avar(dir_buf *d, uint64_t v)
{
    uint8_t b[9];
    dir_put(d, b, (size_t)rg_write_avar(b, v));
}

static int write_directory(rg_container_writer *w)
{
    dir_buf d = { 0 };
    dir_avar(&d, (uint64_t)w->n_streams);
    for (int i = 0; i < w->n_streams; i++) {
        const cw_stream *s = &w->streams[i];
        dir_put(&d, s->name, strlen(s->name) + 1);
        dir_avar(&d, s->n_parts);
        dir_avar(&d, 0);   /* raw_size: always 0 in agc's files */
        for (uint64_t j = 0; j < s->n_parts; j++) {
            dir_avar(&d, s->parts[j].offset);
            dir_avar(&d, s->parts[j].size);
        }
    }
    uint8_t trailer[8];
    for (int i = 0; i < 8; i++)
        trailer[i] = (uint8_t)((uint64_t)d.b.len >> (8 * i));
    dir_put(&d, trailer, 8);
    int r = d.failed ? RAGC_ERR_NOMEM : emit(w, d.b.s, d.b.len);
    rg_bytes_free(&d.b);
    return r;
}

void rg_cw_discard(rg_container_writer *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n_queue; i++)
        free(w->queue[i].data);
    free(w->queue);
    for (int i = 0; i < w->n_streams; i++)
        free(w->streams[i].parts);   /* names are freed with the hash keys */
    khint_t k;
    for (k = kh_begin(w->names); k != kh_end(w->names); k++)
        if (kh_exist(w->names, k))
            free((char *)kh_key(w->names, k));
    kh_destroy(cw_names, w->names);
    free(w->streams);
    free(w->wbuf);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

int rg_cw_close(rg_container_writer *w)
{
    if (!w)
        return RAGC_ERR_ARG;
    pthread_mutex_lock(&w->lock);
    int r = flush_locked(w);
    if (r == RAGC_OK)
        r = write_directory(w);
    if (r == RAGC_OK)
        r = drain(w);
    pthread_mutex_unlock(&w->lock);
    rg_cw_discard(w);
    return r;
}
