/* compress.h -- building an AGC archive (format 3) from FASTA files, making
   the decisions agc 3.2.2 makes: the same splitters, segments, groups and
   members, so the archive has agc's layout.  */
#ifndef RAGC_COMPRESS_H
#define RAGC_COMPRESS_H

#include <stddef.h>
#include <stdint.h>

#include "ragc.h"

typedef ragc_create_opts rg_create_opts;

void rg_create_opts_default(rg_create_opts *o);

/* agc's sample name of an input path: the file name without its last
   extension, then without trailing .fna .gz .fa .fasta.  malloc'ed. */
char *rg_sample_name_of_path(const char *path);

/* Compresses inputs[0..n) (inputs[0] is the reference and the first sample)
   into out_path ("-" or NULL = standard output), atomically: the archive is
   written to a temporary file and renamed only on success.  Returns RAGC_OK
   or a negative status; details are logged with hts_log. */
int rg_create(const char *out_path, char *const *inputs, size_t n, const rg_create_opts *opts);

#endif
