/* original_out.h -- getset/getcol --original: each sample written byte for
   byte as its input file held it (ragc_sample_original), plain or gzip. */
#ifndef RAGC_ORIGINAL_OUT_H
#define RAGC_ORIGINAL_OUT_H

#include <stddef.h>
#include <stdint.h>

#include "ragc.h"

/* Writes samples[0..n) in order.  per_sample: sample i goes to paths[i]
   (getcol -o DIR); otherwise all go to paths[0] (NULL = standard output).
   gzip_level 1-9 writes gzip members (one per MiB of text), 0 plain.
   Every sample is checked for an original form before anything is written;
   named outputs are all or nothing (ragc_outfile).  Prints "ragc CMD: ..."
   on failure and returns non-zero. */
int original_run(const char *cmd, ragc_archive *arc, const int64_t *samples, size_t n, char **paths,
                 int per_sample, int gzip_level);

#endif
