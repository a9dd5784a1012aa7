/* io_mem.c -- rg_io over a buffer in memory (tests, prefetched archives). */
#include "io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    rg_io base;
    const uint8_t *data;
} rg_io_mem;

static int mem_read_at(rg_io *io, uint64_t offset, void *buf, size_t len)
{
    memcpy(buf, ((rg_io_mem *)io)->data + offset, len);   /* bounds checked by rg_io_read_at */
    return 0;
}

static void mem_close(rg_io *io)
{
    free(io);
}

rg_io *rg_io_open_mem(const void *data, size_t len)
{
    rg_io_mem *m = calloc(1, sizeof(*m));
    if (!m) {
        errno = ENOMEM;
        return NULL;
    }
    m->data = data;
    m->base.size = len;
    m->base.read_at = mem_read_at;
    m->base.close = mem_close;
    return &m->base;
}
