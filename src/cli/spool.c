/* spool.c -- standard input kept in a temporary file; see spool.h. */
#include "spool.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "signals.h"

static char *temp_name(void)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    size_t len = strlen(dir) + 32;
    char *path = malloc(len);
    if (path)
        snprintf(path, len, "%s/ragc-stdin.XXXXXX", dir);
    return path;
}

/* Copies everything from in to out; returns 0, or -1 with errno set. */
static int copy_fd(int in, int out)
{
    char buf[1 << 16];
    for (;;) {
        ssize_t n = read(in, buf, sizeof(buf));
        if (n == 0)
            return 0;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(out, buf + done, (size_t)(n - done));
            if (w < 0 && errno != EINTR)
                return -1;
            done += w > 0 ? w : 0;
        }
    }
}

char *cli_spool_stdin(const char *cmd)
{
    char *path = temp_name();
    if (!path) {
        cli_error(cmd, "out of memory");
        return NULL;
    }
    cli_tmp_hold();   /* created and registered in one step (signals.h) */
    int fd = mkstemp(path);
    int e = errno;
    if (fd < 0) {
        cli_tmp_release();
        cli_error(cmd, "cannot create a temporary file for standard input in %.*s: %s",
                  (int)(strrchr(path, '/') - path), path, strerror(e));
        free(path);
        return NULL;
    }
    if (cli_tmp_track_held(path) < 0) {
        close(fd);
        unlink(path);
        cli_tmp_release();
        cli_error(cmd, "out of memory");
        free(path);
        return NULL;
    }
    cli_tmp_release();
    int r = copy_fd(STDIN_FILENO, fd);
    e = errno;
    if (close(fd) < 0 && r == 0) {
        r = -1;
        e = errno;
    }
    if (r < 0) {
        cli_error(cmd, "cannot copy standard input to %s: %s", path, strerror(e));
        cli_spool_remove(path);
        return NULL;
    }
    return path;
}

void cli_spool_remove(char *path)
{
    if (!path)
        return;
    unlink(path);
    cli_tmp_untrack(path);
    free(path);
}
