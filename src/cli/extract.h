/* extract.h -- writing contigs as FASTA, on one thread (streaming) or on an
   htslib thread pool (whole contigs decoded in parallel, written in order). */
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
} extract_plan;

/* Writes every task in order; outputs are committed only if everything
   succeeded.  Prints "ragc CMD: ..." on failure and returns non-zero. */
int extract_run(const char *cmd, const extract_plan *plan, extract_task *tasks, size_t n);

void extract_tasks_free(extract_task *tasks, size_t n);

#endif
