/* output.h -- the command's output files: ragc_outfile (written to a
   temporary file, renamed at commit) with the temporary file registered for
   removal if the command is killed (signals.h). */
#ifndef RAGC_CLI_OUTPUT_H
#define RAGC_CLI_OUTPUT_H

#include "ragc.h"

/* ragc_outfile_open + cli_tmp_track.  Returns 0, or < 0 with errno set. */
int cli_output_open(ragc_outfile *o, const char *path);
/* cli_tmp_untrack + ragc_outfile_commit.  Returns 0, or < 0 with errno set. */
int cli_output_commit(ragc_outfile *o);
/* cli_tmp_untrack + ragc_outfile_abort. */
void cli_output_abort(ragc_outfile *o);

/* Outputs renamed together (getcol -o DIR: one file a sample).  Each is
   closed once written and renamed into place only when the last one has
   been written, so that a failed or interrupted command leaves the folder
   as it was: the promise of a single named output, for a set of them.
   (A rename that fails half way leaves the files before it renamed; each
   file is still whole.)  Zero-initialise. */
typedef struct {
    ragc_outfile *done;   /* closed, not yet renamed */
    size_t n, cap;
} cli_output_set;

/* Closes o (all its data written) and keeps it in set.  Standard output
   is committed at once.  Returns 0, or < 0 with errno set, o's temporary
   file then removed.  Either way o is released. */
int cli_output_set_add(cli_output_set *set, ragc_outfile *o);
/* Renames every output of set into place, in order; after a failure the
   temporary files not renamed are removed.  Returns 0, or < 0 with errno
   set.  Releases set. */
int cli_output_set_commit(cli_output_set *set);
/* Removes every temporary file of set; releases set. */
void cli_output_set_abort(cli_output_set *set);

#endif
