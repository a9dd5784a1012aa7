/* signals.h -- an interrupted command leaves no temporary file behind.

   The command's all-or-nothing outputs (ragc_outfile) are written to
   temporary files until they are committed.  When SIGINT, SIGTERM, SIGHUP
   or SIGQUIT arrives, the temporary files registered here are removed and
   the process then dies of that signal, as it would have without us.

   How: cli_signals_init blocks the four signals before any other thread
   exists (threads inherit the mask, so none of them is interrupted) and
   starts one thread that waits for them with sigwait.  That thread is an
   ordinary thread, not a signal handler, so the list of files is a plain
   array grown as needed under a mutex, with no limit on its length. */
#ifndef RAGC_CLI_SIGNALS_H
#define RAGC_CLI_SIGNALS_H

/* Call first thing in main.  Returns 0, or -1 if the waiting thread cannot
   be started (the signals are then left to their default actions). */
int cli_signals_init(void);

/* Registers a temporary file to remove if the command is killed (a copy of
   path is kept).  Returns 0, or -1 when out of memory. */
int cli_tmp_track(const char *path);

/* Creating a temporary file and registering it must be one step: a signal
   handled in between would leave the file behind (the clean-up thread
   removes the registered files and ends the process while this thread,
   having just created one, waits to register it).  So: cli_tmp_hold,
   create the file, cli_tmp_track_held (same result as cli_tmp_track),
   cli_tmp_release.  The clean-up then comes wholly before the file exists
   or wholly after it is registered. */
void cli_tmp_hold(void);
int cli_tmp_track_held(const char *path);
void cli_tmp_release(void);

/* Forgets a file registered with cli_tmp_track (after commit or abort). */
void cli_tmp_untrack(const char *path);

#endif
