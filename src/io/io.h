/* io.h -- random-access byte source behind every archive read.

   All archive I/O goes through rg_io so that a later backend (htslib hFILE
   for https://, s3://) can be added without touching the decoders.
   rg_io_read_at is thread safe: it keeps no file position. */
#ifndef RAGC_IO_H
#define RAGC_IO_H

#include <stddef.h>
#include <stdint.h>

typedef struct rg_io rg_io;

struct rg_io {
    uint64_t size;
    /* Read exactly len bytes at offset; 0 on success, -1 on error or short read. */
    int (*read_at)(rg_io *io, uint64_t offset, void *buf, size_t len);
    void (*close)(rg_io *io);
};

/* Opens a local file.  NULL with errno set on failure. */
rg_io *rg_io_open_file(const char *path);

/* Serves a memory buffer (not copied; it must outlive the rg_io). */
rg_io *rg_io_open_mem(const void *data, size_t len);

static inline int rg_io_read_at(rg_io *io, uint64_t offset, void *buf, size_t len)
{
    if (offset > io->size || len > io->size - offset)
        return -1;
    return io->read_at(io, offset, buf, len);
}

static inline void rg_io_close(rg_io *io)
{
    if (io)
        io->close(io);
}

#endif
