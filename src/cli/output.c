/* output.c -- output files removed if the command is killed; see output.h. */
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/hts.h>

#include "signals.h"

int cli_output_open(ragc_outfile *o, const char *path)
{
    cli_tmp_hold();   /* created and registered in one step (signals.h) */
    int r = ragc_outfile_open(o, path);
    if (r == RAGC_OK && o->tmp && cli_tmp_track_held(o->tmp) < 0) {
        ragc_outfile_abort(o);
        errno = ENOMEM;
        r = RAGC_ERR_NOMEM;
    }
    int e = errno;
    cli_tmp_release();
    errno = e;
    return r;
}

/* Commits or aborts o.  The temporary file stays registered until it has
   been renamed or removed, so a signal in between still finds it; the
   name is copied first because both calls free o->tmp. */
static int finish(ragc_outfile *o, int commit)
{
    char *name = o->tmp ? strdup(o->tmp) : NULL;
    if (o->tmp && !name)
        cli_tmp_untrack(o->tmp);   /* no memory for a copy: forget it first */
    int r = RAGC_OK;
    if (commit)
        r = ragc_outfile_commit(o);
    else
        ragc_outfile_abort(o);
    int e = errno;
    if (name) {
        cli_tmp_untrack(name);
        free(name);
    }
    errno = e;
    return r;
}

int cli_output_commit(ragc_outfile *o)
{
    return finish(o, 1);
}

void cli_output_abort(ragc_outfile *o)
{
    finish(o, 0);
}

/* Forgets o's temporary file (renamed or removed) and frees its names. */
static void release_closed(ragc_outfile *o)
{
    cli_tmp_untrack(o->tmp);
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
}

int cli_output_set_add(cli_output_set *set, ragc_outfile *o)
{
    if (!o->tmp)   /* standard output: nothing to rename */
        return cli_output_commit(o);
    if (hts_resize(ragc_outfile, set->n + 1, &set->cap, &set->done, 0) < 0) {
        cli_output_abort(o);
        errno = ENOMEM;
        return RAGC_ERR_NOMEM;
    }
    int r = close(o->fd);
    o->fd = -1;   /* closed either way: never closed twice */
    if (r < 0) {
        int e = errno;
        cli_output_abort(o);
        errno = e;
        return RAGC_ERR_IO;
    }
    set->done[set->n++] = *o;
    o->tmp = o->path = NULL;
    return RAGC_OK;
}

/* Removes the temporary files of set from i on, then releases set. */
static void drop_from(cli_output_set *set, size_t i)
{
    for (; i < set->n; i++) {
        unlink(set->done[i].tmp);
        release_closed(&set->done[i]);
    }
    free(set->done);
    set->done = NULL;
    set->n = set->cap = 0;
}

int cli_output_set_commit(cli_output_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        if (rename(set->done[i].tmp, set->done[i].path) < 0) {
            int e = errno;
            drop_from(set, i);
            errno = e;
            return RAGC_ERR_IO;
        }
        release_closed(&set->done[i]);
    }
    drop_from(set, set->n);
    return RAGC_OK;
}

void cli_output_set_abort(cli_output_set *set)
{
    drop_from(set, 0);
}
