/* output.c -- output files removed if the command is killed; see output.h. */
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
