/* outfile.c -- output files that are all or nothing (ragc_outfile, ragc.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ragc.h"

/* How many names PATH.tmp.PID.N to try before giving up. */
#define TMP_ATTEMPTS 100

int ragc_outfile_open(ragc_outfile *o, const char *path)
{
    memset(o, 0, sizeof(*o));
    if (!path || strcmp(path, "-") == 0) {
        o->fd = STDOUT_FILENO;
        return RAGC_OK;
    }
    size_t n = strlen(path) + 48;
    o->path = strdup(path);
    o->tmp = malloc(n);
    if (!o->path || !o->tmp) {
        free(o->path);
        free(o->tmp);
        o->path = o->tmp = NULL;
        o->fd = -1;
        errno = ENOMEM;
        return RAGC_ERR_NOMEM;
    }
    for (unsigned attempt = 0; attempt < TMP_ATTEMPTS; attempt++) {
        snprintf(o->tmp, n, "%s.tmp.%ld.%u", path, (long)getpid(), attempt);
        o->fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (o->fd >= 0 || errno != EEXIST)
            break;
    }
    if (o->fd < 0) {
        int e = errno;
        free(o->path);
        free(o->tmp);
        o->path = o->tmp = NULL;
        errno = e;
        return RAGC_ERR_IO;
    }
    return RAGC_OK;
}

int ragc_outfile_write(ragc_outfile *o, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(o->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO;
            return RAGC_ERR_IO;
        }
        p += n;
        len -= (size_t)n;
    }
    return RAGC_OK;
}

int ragc_outfile_sink(void *ctx, const char *s, size_t n)
{
    return ragc_outfile_write(ctx, s, n);
}

static void release(ragc_outfile *o)
{
    free(o->path);
    free(o->tmp);
    o->path = o->tmp = NULL;
    o->fd = -1;
}

int ragc_outfile_commit(ragc_outfile *o)
{
    if (!o->tmp) {   /* stdout: every write was checked already */
        release(o);
        return RAGC_OK;
    }
    if (close(o->fd) < 0 || rename(o->tmp, o->path) < 0) {
        int e = errno;
        unlink(o->tmp);
        release(o);
        errno = e;
        return RAGC_ERR_IO;
    }
    release(o);
    return RAGC_OK;
}

void ragc_outfile_abort(ragc_outfile *o)
{
    if (o->tmp) {
        close(o->fd);
        unlink(o->tmp);
    }
    release(o);
}
