/* vfasta.h -- one sample of an archive seen as an (indexed) FASTA file.

   The virtual file holds, for every contig of the sample in stored order,
   ">" + the full stored name + "\n" and then the bases in lines of exactly
   line_width characters, each line (the last one too) ended by "\n".  An
   empty contig is just its header line.  This is the layout `samtools faidx`
   writes, so the .fai that rg_vfasta_fai() produces is the one samtools would
   build for the same bytes (except that samtools drops empty sequences; we
   list them with length 0).

   Reads decode only the segments behind the requested bytes, through a
   per-handle window of rendered text that grows (up to 1 MiB) while reads
   are sequential and shrinks back for random access.

   Threads: one rg_vfasta must not be used by two threads at once; several
   rg_vfasta on one ragc_archive may be used in different threads (each owns
   its ragc_decoder, sharing the archive's thread-safe cache). */
#ifndef RAGC_VFASTA_H
#define RAGC_VFASTA_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <htslib/kstring.h>

#include "ragc.h"

typedef struct rg_vfasta rg_vfasta;

#define RG_VFASTA_LINE_WIDTH 60

/* Opens the virtual FASTA of a sample (index as ragc_sample_index gives).
   line_width 0 means RG_VFASTA_LINE_WIDTH.  The archive must outlive the
   handle.  NULL on failure, with a RAGC_ERR_* in *status if status is set. */
rg_vfasta *rg_vfasta_open(ragc_archive *arc, int64_t sample, uint32_t line_width, int *status);
void rg_vfasta_close(rg_vfasta *vf);

/* Size of the virtual file in bytes. */
uint64_t rg_vfasta_size(const rg_vfasta *vf);

/* Copies up to n bytes from offset into buf.  Returns the number of bytes
   copied (n unless the end of the file comes first), 0 at or after the end,
   or a negative RAGC_ERR_* status. */
ssize_t rg_vfasta_read(rg_vfasta *vf, uint64_t offset, void *buf, size_t n);

/* Appends the .fai text of the virtual file to out (name = the header's
   first word, length, offset of the first base, bases per line, bytes per
   line).  Returns 0 or a negative RAGC_ERR_* status. */
int rg_vfasta_fai(rg_vfasta *vf, kstring_t *out);

/* Contigs of the sample, their lengths and offsets in the virtual file. */
int64_t rg_vfasta_n_contigs(const rg_vfasta *vf);
int64_t rg_vfasta_contig_length(const rg_vfasta *vf, int64_t contig);
uint64_t rg_vfasta_contig_offset(const rg_vfasta *vf, int64_t contig); /* of the first base */
const char *rg_vfasta_contig_name(const rg_vfasta *vf, int64_t contig);  /* full header */

/* ragc_contig_stream through the handle's decoder. */
int rg_vfasta_stream(rg_vfasta *vf, int64_t contig, int64_t from, int64_t to,
                     ragc_sink_fn sink, void *ctx);

#endif
