/* outfile.h -- output that is all or nothing.

   A named output is written to a temporary file beside it and renamed over
   the target only by rg_outfile_commit, so a failed run never leaves a
   partial or damaged file.  Standard output (path NULL or "-") is written
   directly.  Errors (full disk, closed pipe) are reported with errno. */
#ifndef RAGC_OUTFILE_H
#define RAGC_OUTFILE_H

#include <stddef.h>

typedef struct {
    int fd;
    char *path;   /* target, NULL for stdout */
    char *tmp;    /* temporary file, NULL for stdout */
} rg_outfile;

/* Returns 0, or -1 with errno set. */
int rg_outfile_open(rg_outfile *o, const char *path);
/* An output over fd, which stays the caller's: written as it is, never
   renamed, removed or closed (commit and abort only forget it). */
void rg_outfile_from_fd(rg_outfile *o, int fd);
int rg_outfile_write(rg_outfile *o, const void *buf, size_t len);
/* Closes and renames into place; -1 with errno on failure (then aborted). */
int rg_outfile_commit(rg_outfile *o);
/* Closes and removes the temporary file. */
void rg_outfile_abort(rg_outfile *o);

/* For programs: on SIGINT, SIGTERM, SIGHUP and SIGQUIT, remove the
   temporary files of outputs not yet committed, then die of the signal as
   before.  The library itself installs no handlers. */
int rg_outfile_cleanup_on_signals(void);

/* A ragc_sink_fn-shaped writer: ctx is an rg_outfile. */
int rg_outfile_sink(void *ctx, const char *s, size_t n);

#endif
