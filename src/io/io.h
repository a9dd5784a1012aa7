/* io.h -- random-access byte source behind every archive read.

   All archive I/O goes through rg_io: local files (pread), memory, and
   URLs through htslib's hFILE (io_url.c).
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
    /* Optional (NULL: local sources): [offset, offset + len) is about to be
       read; a remote source fetches it in one request. */
    void (*will_need)(rg_io *io, uint64_t offset, size_t len);
    /* Optional: two ranges far apart are about to be read (a group's
       reference and a pack of it); a remote source fetches them at the
       same time, so that they cost one round trip, not two. */
    void (*will_need_apart)(rg_io *io, uint64_t off1, size_t len1, uint64_t off2, size_t len2);
};

/* Opens a local file.  NULL with errno set on failure. */
rg_io *rg_io_open_file(const char *path);

/* Serves a memory buffer (not copied; it must outlive the rg_io). */
rg_io *rg_io_open_mem(const void *data, size_t len);

/* The size of an archive as its last len bytes tell it (0: they do not
   tell; *need > len: they would with the last *need bytes).  Supplied by the
   format layer, which knows where archives keep their directory. */
typedef uint64_t (*rg_tail_size_fn)(const uint8_t *tail, size_t len, size_t *need);

/* Opens a URL through htslib's hFILE (https://, s3://, gs://, ftp://, ...)
   behind a block cache (io_url.c, docs/remote.md).  NULL with errno set and
   the reason logged on failure. */
rg_io *rg_io_open_url(const char *url, rg_tail_size_fn tail_size);

/* A URL: scheme "://" ... (anything else is a local path). */
int rg_io_is_url(const char *path);

/* The local path of a file:///PATH or file://localhost/PATH URL, else NULL. */
const char *rg_io_file_url_path(const char *url);

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
