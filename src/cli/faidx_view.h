/* faidx_view.h -- the sample `ragc faidx` reads: its virtual FASTA
   (ragc_vfasta) and the names samtools would index in it (each header's
   first word; a repeated name keeps its first contig, as htslib).

   Without -s, faidx starts on the reference sample and, for a region whose
   contig the reference lacks, moves to the one sample that has it
   (PanSN names such as HG002#1#tig5 are unique in an archive). */
#ifndef RAGC_CLI_FAIDX_VIEW_H
#define RAGC_CLI_FAIDX_VIEW_H

#include <stdint.h>

#include "ragc.h"

typedef struct faidx_view faidx_view;

/* Opens sample s of arc; prints "ragc faidx: ..." and returns NULL on failure. */
faidx_view *faidx_view_open(ragc_archive *arc, int64_t s);
void faidx_view_close(faidx_view *v);

ragc_vfasta *faidx_view_fasta(const faidx_view *v);
int64_t faidx_view_sample(const faidx_view *v);

/* hts_name2id_f over the view (ctx: the faidx_view): the contig index of a
   .fai name, -1 if unknown. */
int faidx_view_name2id(void *ctx, const char *name);

/* Where the contig of region is when sample `current` lacks it: the
   reference first, else the only sample that has it.  Returns RAGC_OK with
   *sample set, RAGC_ERR_NO_CONTIG or RAGC_ERR_AMBIGUOUS. */
int faidx_locate(ragc_archive *arc, const char *region, int64_t *sample);

#endif
