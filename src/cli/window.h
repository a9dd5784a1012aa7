/* window.h -- decoded output written in order within a byte budget.

   Worker threads decode numbered pieces of the output (0, 1, 2 ...) in
   parallel and hand their bytes over in chunks; one consumer writes the
   pieces in order.  The window counts the bytes handed over and not yet
   written.  A worker whose chunk does not fit in the budget waits until the
   consumer has written enough, so a slow consumer slows the workers down
   instead of making the window grow.  One exception keeps the window from
   locking up when the budget is full of pieces further on: the piece the
   consumer is writing (the head) may always queue one chunk, so the head
   always moves.  Bytes held: at most budget + one chunk.

   Pieces are claimed in order and at most max_ahead beyond the head, so that
   a run of pieces with (almost) no bytes, such as empty contigs, stays
   bounded as well. */
#ifndef RAGC_CLI_WINDOW_H
#define RAGC_CLI_WINDOW_H

#include <stddef.h>
#include <stdint.h>

typedef struct out_window out_window;

/* A window over pieces [0, n_pieces); max_ahead >= 1.  NULL when out of
   memory. */
out_window *out_window_init(size_t n_pieces, size_t budget, size_t max_ahead);
/* Frees the window and any bytes never written; no thread may use it any
   more. */
void out_window_destroy(out_window *w);

/* --- workers --------------------------------------------------------- */

/* The next piece to decode, waiting while max_ahead pieces are claimed
   beyond the head; -1 when every piece is claimed or the window stopped. */
int64_t out_window_claim(out_window *w);

/* Hands over n bytes of piece p (copied), waiting for room in the budget.
   0, or -1 when the window stopped (the worker gives the piece up) or
   memory ran out. */
int out_window_put(out_window *w, size_t p, const char *s, size_t n);

/* Piece p is complete: status 0, or negative (the consumer reports it). */
void out_window_done(out_window *w, size_t p, int status);

/* --- the consumer ----------------------------------------------------- */

/* Waits for the head piece's next bytes: returns 1 with *s / *n to write,
   then out_window_release.  Returns 0 when the head piece is complete, with
   *status its status; the next piece is then the head. */
int out_window_next(out_window *w, const char **s, size_t *n, int *status);

/* The bytes of the last out_window_next are written: frees them. */
void out_window_release(out_window *w);

/* Stops the workers: claims return -1, waiting and later puts return -1. */
void out_window_stop(out_window *w);

/* Largest number of bytes held at once so far (for tests). */
size_t out_window_peak(out_window *w);

#endif
