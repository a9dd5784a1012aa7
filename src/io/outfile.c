/* outfile.c -- output files that are all or nothing (ragc_outfile, ragc.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <htslib/hts_log.h>

#include "outfile.h"
#include "ragc.h"

/* How many names PATH.tmp.PID.N to try before giving up. */
#define TMP_ATTEMPTS 100

/* A target that is not a regular file (a device such as /dev/null, a
   FIFO, a socket; also /dev/stdout when standard output is a pipe) is
   written in place: renaming a temporary file over it would replace it
   with a regular file.  1 when opened so (o->fd, o->path set), 0 when path
   is a regular file or absent, -1 on failure (errno set). */
static int open_special(ragc_outfile *o, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || S_ISREG(st.st_mode))
        return 0;
    if (!(o->path = strdup(path))) {
        errno = ENOMEM;
        return -1;
    }
    o->fd = open(path, O_WRONLY | O_CLOEXEC);
    if (o->fd < 0) {
        int e = errno;
        free(o->path);
        o->path = NULL;
        errno = e;
        return -1;
    }
    return 1;
}

/* The file a symbolic link leads to, so that the link is kept and the file
   replaced; path itself otherwise.  NULL when out of memory. */
static char *resolve_target(const char *path)
{
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        char *real = realpath(path, NULL);
        if (real)
            return real;
    }
    return strdup(path);
}

int ragc_outfile_open(ragc_outfile *o, const char *path)
{
    memset(o, 0, sizeof(*o));
    if (!path || strcmp(path, "-") == 0) {
        o->fd = STDOUT_FILENO;
        return RAGC_OK;
    }
    int special = open_special(o, path);
    if (special != 0)
        return special > 0 ? RAGC_OK : errno == ENOMEM ? RAGC_ERR_NOMEM : RAGC_ERR_IO;
    o->path = resolve_target(path);
    size_t n = (o->path ? strlen(o->path) : 0) + 48;
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
        snprintf(o->tmp, n, "%s.tmp.%ld.%u", o->path, (long)getpid(), attempt);
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
        int r = RAGC_OK;
        if (o->path && close(o->fd) < 0) {   /* a special file, written in place */
            int e = errno;
            release(o);
            errno = e;
            return RAGC_ERR_IO;
        }
        release(o);
        return r;
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
    } else if (o->path) {   /* a special file: what was written stays, as on stdout */
        close(o->fd);
    }
    release(o);
}

int rg_outfile_write_all(const char *out_path, int (*write)(int fd, void *ctx), void *ctx)
{
    const char *shown = out_path ? out_path : "standard output";
    ragc_outfile out;
    if (ragc_outfile_open(&out, out_path) < 0) {
        hts_log_error("cannot create %s: %s", shown, strerror(errno));
        return RAGC_ERR_IO;
    }
    int r = write(out.fd, ctx);
    /* on disk before the rename: a crash then leaves the old file or the
       new one, never an empty file in its place */
    if (r == RAGC_OK && out.tmp && fsync(out.fd) < 0) {
        hts_log_error("cannot write %s: %s", shown, strerror(errno));
        r = RAGC_ERR_IO;
    }
    if (r != RAGC_OK) {
        ragc_outfile_abort(&out);
    } else if (ragc_outfile_commit(&out) < 0) {
        hts_log_error("cannot write %s: %s", shown, strerror(errno));
        r = RAGC_ERR_IO;
    }
    return r;
}
