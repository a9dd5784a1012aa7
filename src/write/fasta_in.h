/* fasta_in.h -- FASTA input for the compressor, in agc's symbol codes.

   Input: a plain, gzip or BGZF file, "-" for standard input, or any URL
   htslib opens (hopen); compression is detected from the data, not the name.

   Rules (stricter than agc, which silently drops or garbles what it cannot
   store; we never lose data silently):
   - lines end in "\n" or "\r\n"; the last line may lack its line end;
   - empty lines (nothing but ' ', '\t', '\r', '\v', '\f') are skipped
     anywhere; the first other line must start with '>', else the file is
     "not a FASTA file" (this catches FASTQ and binary data).  A file holding
     nothing but empty lines has no records (rg_fasta_in_next returns 0);
   - a '>' starts a record only as the first byte of a line.  The header is
     the whole line after '>' with one trailing '\r' removed; spaces, tabs
     and descriptions are kept exactly.  A header that is empty or only
     blanks (">" or ">  ") is an error, and so is a '\r' elsewhere in it
     (old Mac "\r" line ends would otherwise make one huge header);
   - inside sequence lines ' ', '\t', '\r', '\v' and '\f' are skipped;
   - sequence letters are the 16 codes agc stores, either case:
       A0 C1 G2 T3 N4 R5 Y6 S7 W8 K9 M10 B11 D12 H13 V14 U15
     (lower case is stored as upper case, as in agc).  Any other byte ('-',
     '*', '.', digits, 'X', control bytes, bytes >= 128, a '>' that is not at
     the start of a line, ...) is an error naming the file, the record, the
     line, the column and the position in the sequence;
   - a record without sequence is returned with 0 codes (agc stops reading
     the file there; we keep the rest).

   Lossless reading (rg_fasta_in_open_mode(path, 1), ragc's default) keeps
   every byte instead: while it reads, it builds the file's original form
   (original.h, docs/lossless.md) and gives agc's codes from the same pass.
   Bytes outside the 16 codes become N (code 4) and are recorded; whitespace
   inside sequence lines is recorded, not a base; lines before the first
   header are the preamble; empty names are allowed (the caller names the
   record).  Still refused: a '\r' inside a header line, and files that are
   not FASTA: a first non-blank line starting with '@' (FASTQ), a NUL byte
   or more than 1 MiB before the first header.

   Errors are logged through hts_log and returned as RAGC_ERR_FORMAT (bad
   content), RAGC_ERR_IO (read or decompression failure) or RAGC_ERR_NOMEM;
   they are sticky: later calls return the same status without logging. */
#ifndef RAGC_FASTA_IN_H
#define RAGC_FASTA_IN_H

#include <stdint.h>

#include <htslib/kstring.h>

#include "lzdiff.h"   /* rg_bytes */
#include "original.h" /* rg_orig_sample */

typedef struct rg_fasta_in rg_fasta_in;

/* Opens plain, gzip, BGZF, "-" (stdin) or an htslib URL.  NULL (and an
   hts_log message) on failure. */
rg_fasta_in *rg_fasta_in_open(const char *path);
/* lossless != 0: the lossless reader (see above). */
rg_fasta_in *rg_fasta_in_open_mode(const char *path, int lossless);

/* Record by record in two steps, so that the caller can choose the name
   stored for a record (and its sample) between them:
   rg_fasta_in_header reads the next header line: header gets the name it
   gives (the line after '>' without its line end).  Returns 1, 0 at the end
   of the file, < 0 on error.  rg_fasta_in_sequence then reads the record's
   sequence, appending its codes to codes; name is the name the caller
   stores (the lossless reader keeps the header line when it differs).
   Returns 0 or < 0. */
/* Bytes of the file read so far, as stored (compressed bytes for gzip):
   how far the reader has got, for progress reports. */
uint64_t rg_fasta_in_raw_offset(const rg_fasta_in *f);

int rg_fasta_in_header(rg_fasta_in *f, kstring_t *header);
int rg_fasta_in_sequence(rg_fasta_in *f, const char *name, size_t name_len, rg_bytes *codes);

/* Lossless reader: ends the original form of the records read since the
   open or the last call (the preamble goes with the first records) and
   hands it to *out (freed first), which the caller then owns.  Call it
   between records, e.g. where a -c sample ends (a header read by
   rg_fasta_in_header whose sequence has not been read yet goes with the
   next original form), and at the end of the file. */
int rg_fasta_in_take_original(rg_fasta_in *f, rg_orig_sample *out);

/* Lossless reader: the exception runs (bytes stored as N) of the record
   read last, valid until the next call; none for the strict reader. */
void rg_fasta_in_exceptions(const rg_fasta_in *f, const rg_orig_run **runs, size_t *n);

/* Both steps at once, the stored name being the header's.  Reads the next record: header gets the header line after '>' and codes
   the sequence in agc's codes (both are cleared first).  Returns 1 for a
   record, 0 at the end of the file, < 0 on error (see above). */
int rg_fasta_in_next(rg_fasta_in *f, kstring_t *header, rg_bytes *codes);

/* The same, but the codes are appended to codes (codes->len is kept), so a
   caller can gather many records in one buffer without copying. */
int rg_fasta_in_next_append(rg_fasta_in *f, kstring_t *header, rg_bytes *codes);

/* Line number (1-based) of the header of the record returned last, 0 before
   the first record.  For messages of callers. */
uint64_t rg_fasta_in_line(const rg_fasta_in *f);

void rg_fasta_in_close(rg_fasta_in *f);

#endif
