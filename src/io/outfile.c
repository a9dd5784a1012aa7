/* outfile.c -- atomic output files; see outfile.h. */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Temporary files not yet committed, for the signal handler: slots are
   set and cleared under a mutex; the handler only reads them. */
#define MAX_PENDING 64
static char *volatile pending[MAX_PENDING];
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;

static void track(char *tmp)
{
    pthread_mutex_lock(&pending_lock);
    for (int i = 0; i < MAX_PENDING; i++)
        if (!pending[i]) {
            pending[i] = tmp;
            break;
        }
    pthread_mutex_unlock(&pending_lock);
}

static void untrack(const char *tmp)
{
    pthread_mutex_lock(&pending_lock);
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending[i] == tmp)
            pending[i] = NULL;
    pthread_mutex_unlock(&pending_lock);
}

static void remove_pending(int sig)
{
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending[i])
            unlink(pending[i]);   /* async-signal-safe */
    signal(sig, SIG_DFL);
    raise(sig);
}

int rg_outfile_cleanup_on_signals(void)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = remove_pending;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        if (sigaction(sigs[i], &sa, NULL) < 0)
            return -1;
    return 0;
}

int rg_outfile_open(rg_outfile *o, const char *path)
{
    memset(o, 0, sizeof(*o));
    if (!path || strcmp(path, "-") == 0) {
        o->fd = STDOUT_FILENO;
        return 0;
    }
    size_t n = strlen(path) + 48;
    o->path = strdup(path);
    o->tmp = malloc(n);
    if (!o->path || !o->tmp) {
        free(o->path);
        free(o->tmp);
        o->path = o->tmp = NULL;
        errno = ENOMEM;
        return -1;
    }
    for (unsigned attempt = 0; attempt < 100; attempt++) {
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
        return -1;
    }
    track(o->tmp);
    return 0;
}

void rg_outfile_from_fd(rg_outfile *o, int fd)
{
    memset(o, 0, sizeof(*o));
    o->fd = fd;
}

int rg_outfile_write(rg_outfile *o, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(o->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int rg_outfile_sink(void *ctx, const char *s, size_t n)
{
    return rg_outfile_write(ctx, s, n);
}

static void release(rg_outfile *o)
{
    if (o->tmp)
        untrack(o->tmp);
    free(o->path);
    free(o->tmp);
    o->path = o->tmp = NULL;
    o->fd = -1;
}

int rg_outfile_commit(rg_outfile *o)
{
    if (!o->tmp)   /* stdout: every write was checked already */
        return 0;
    if (close(o->fd) < 0 || rename(o->tmp, o->path) < 0) {
        int e = errno;
        unlink(o->tmp);
        release(o);
        errno = e;
        return -1;
    }
    release(o);
    return 0;
}

void rg_outfile_abort(rg_outfile *o)
{
    if (o->tmp) {
        close(o->fd);
        unlink(o->tmp);
    }
    release(o);
}
