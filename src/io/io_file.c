/* io_file.c -- rg_io over a local file with pread(2). */
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    rg_io base;
    int fd;
} rg_io_file;

static int file_read_at(rg_io *io, uint64_t offset, void *buf, size_t len)
{
    rg_io_file *f = (rg_io_file *)io;
    char *p = buf;
    while (len > 0) {
        ssize_t n = pread(f->fd, p, len, (off_t)offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
        offset += (uint64_t)n;
    }
    return 0;
}

static void file_close(rg_io *io)
{
    rg_io_file *f = (rg_io_file *)io;
    close(f->fd);
    free(f);
}

rg_io *rg_io_open_file(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return NULL;
    struct stat st = {0};
    errno = 0;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        /* pread needs a regular, seekable file */
        int e = errno;
        if (e == 0 || S_ISDIR(st.st_mode))
            e = S_ISDIR(st.st_mode) ? EISDIR : ESPIPE;
        close(fd);
        errno = e;
        return NULL;
    }
    rg_io_file *f = calloc(1, sizeof(*f));
    if (!f) {
        close(fd);
        errno = ENOMEM;
        return NULL;
    }
    f->fd = fd;
    f->base.size = (uint64_t)st.st_size;
    f->base.read_at = file_read_at;
    f->base.close = file_close;
    return &f->base;
}
