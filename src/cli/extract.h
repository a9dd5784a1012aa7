/* extract.h -- writing contigs as FASTA, on one thread (streaming) or on
   several: contigs, and pieces of long contigs, decoded in parallel and
   written in order through a window of at most window_bytes of decoded
   output (window.h), whatever the speed of the reader. */
#ifndef RAGC_EXTRACT_H
#define RAGC_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "ragc.h"

typedef struct {
    int64_t sample, contig;   /* API indices */
    int64_t from, to;         /* bases to print, 0-based inclusive */
    char *header;             /* malloc'ed text after '>' */
    int out;                  /* which output (index into paths) */
} extract_task;

typedef struct {
    ragc_archive *arc;
    int threads;
    uint64_t line_len;
    int gzip_level;
    int n_out;
    char **paths;             /* n_out outputs, NULL = standard output */
    size_t window_bytes;      /* decoded output held at once (threads > 1) */
    /* NULL, or called on the writing thread (the one that called
       extract_run) after each contig, or piece of one, is written: its
       task, the bases written, whether the task is complete (progress) */
    void (*written)(void *ctx, const extract_task *t, int64_t bases, int task_done);
    void *written_ctx;
} extract_plan;

/* A memory budget (getset -m) shared out: the archive's cache of decoded
   parts gets half (ragc_set_cache_bytes), the window of decoded output the
   rest. */
size_t extract_cache_share(size_t budget);
size_t extract_window_share(size_t budget);

/* Writes every task in order; outputs are committed only if everything
   succeeded.  Prints "ragc CMD: ..." on failure and returns non-zero. */
int extract_run(const char *cmd, const extract_plan *plan, extract_task *tasks, size_t n);

void extract_tasks_free(extract_task *tasks, size_t n);

#endif
