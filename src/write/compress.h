/* compress.h -- building an AGC archive (format 3) from FASTA files, making
   the decisions agc 3.2.2 makes: the same splitters, segments, groups and
   members, so the archive has agc's layout.  The entry points are the
   public ragc_create, ragc_create_fd, ragc_append and ragc_append_fd
   (ragc.h); compress_internal.h describes the pipeline. */
#ifndef RAGC_COMPRESS_H
#define RAGC_COMPRESS_H

#include <stddef.h>
#include <stdint.h>

#include "ragc.h"

/* agc's sample name of an input path: the file name without its last
   extension, then without trailing .fna .gz .fa .fasta.  malloc'ed. */
char *rg_sample_name_of_path(const char *path);

#endif
