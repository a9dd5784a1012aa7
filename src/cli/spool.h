/* spool.h -- standard input kept in a temporary file.

   The reference of a new archive may be read twice (with -c, --pansn or
   -a: its splitters first, then its sequence), which a pipe cannot do:
   `create ... -` copies standard input to a temporary file in $TMPDIR
   (default /tmp) and reads that.  The file is registered with signals.h,
   so a killed command removes it, and the command removes it on every
   other exit path with cli_spool_remove. */
#ifndef RAGC_CLI_SPOOL_H
#define RAGC_CLI_SPOOL_H

/* Copies standard input to a new temporary file; returns its malloc'ed
   path, or NULL after printing the reason. */
char *cli_spool_stdin(const char *cmd);

/* Removes the file (and forgets it) and frees path; NULL is a no-op. */
void cli_spool_remove(char *path);

#endif
