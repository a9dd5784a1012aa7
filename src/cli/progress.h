/* progress.h -- the progress line of long commands (create, append, import,
   getcol): on a terminal only, one line on standard error redrawn in place
   about once a second ('\r', ESC[K to clear the line, the text, '\r' to
   leave the cursor at its start), ended with a newline by cli_progress_end.  Nothing is printed when standard error is
   not a terminal or --no-progress was given (docs/cli.md). */
#ifndef RAGC_CLI_PROGRESS_H
#define RAGC_CLI_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *cmd;
    int on;                  /* the line is shown at all */
    int drawn;               /* a line is on the screen, without its newline */
    double start, last;      /* when the job began, when the line was last drawn */
    uint64_t samples;        /* samples done */
    uint64_t n_samples;      /* samples in all, 0 when not known */
    uint64_t bases;          /* bases done */
    double fraction;         /* of the whole job done, 0 to 1; < 0 when not known */
} cli_progress;

/* wanted: the command did not get --no-progress; the line is shown only if
   standard error is also a terminal. */
void cli_progress_init(cli_progress *p, const char *cmd, int wanted);

/* Redraws the line with the counts in p, at most once a second unless now
   is set. */
void cli_progress_update(cli_progress *p, int now);

/* Removes the line, so that a message printed next starts a line of its
   own; the next update draws it again at once. */
void cli_progress_clear(cli_progress *p);

/* Removes whichever progress line is on the screen: cli_error calls it so
   that an error message never starts in the middle of the line. */
void cli_progress_interrupt(void);

/* Draws the final line ("done in H:MM:SS") and ends it with a newline. */
void cli_progress_end(cli_progress *p);

/* The text of the line for the time `now` (seconds since p->start), without
   '\r' or escapes: "ragc CMD: S[/N] samples, B, R/s, T left" or, final,
   "..., done in T"; B and R as "812 bases", "33.15 kbases" (k, M, G, T:
   powers of 1000), T as H:MM:SS ("-:--:--" when not known).  Returns
   snprintf's count. */
int cli_progress_format(char *buf, size_t size, const cli_progress *p, double now, int final);

#endif
