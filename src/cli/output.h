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

#endif
