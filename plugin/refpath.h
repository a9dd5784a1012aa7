/* refpath.h -- `agc:PATH?md5=HEX`: a contig found by its MD5 (SAM's M5) in
   any sample of an archive, served as htslib expects a file of REF_PATH.

   htslib looks a CRAM reference up by expanding each `URL=` element of
   REF_PATH (`%s` -> the MD5, `::` -> `:`) and reading the whole file it
   opens as the bare sequence: no header, no newlines, used as it is (not
   upper-cased, unlike a FASTA reference; a wrong byte shows up as a slice
   MD5 mismatch when decoding, and as a whole-file mismatch when htslib
   copies it into REF_CACHE).  So the file is the contig's bases
   upper-cased, exactly the bytes whose MD5 its M5 is.  A miss must fail
   the open with ENOENT: htslib then tries the next element without a
   message.  See docs/plugin.md. */
#ifndef RAGC_PLUGIN_REFPATH_H
#define RAGC_PLUGIN_REFPATH_H

#include <stddef.h>
#include <stdint.h>

#include "ragc.h"

/* One contig found by MD5, open for reading; owns the archive and decoder. */
typedef struct {
    ragc_archive *arc;
    ragc_decoder *dec;
    int64_t sample, contig;
    uint64_t length;       /* bases = bytes of the file */
} refpath_contig;

/* 1 when rest (the URL after "agc:") is PATH?md5=HEX with exactly 32 hex
   digits (either case) after the last "?md5=": then md5 holds the digest
   and *path_len the length of PATH.  0 when it is not of that form. */
int refpath_parse(const char *rest, uint8_t md5[16], size_t *path_len);

/* Opens the archive at path and finds the contig whose M5 is md5.
   Returns 0, or -1 with errno set: ENOENT when there is no such contig or
   the archive cannot be opened (a miss for htslib, which then goes on to
   the next REF_PATH element; the reason is logged), EIO when the archive
   is damaged, ENOMEM. */
int refpath_open(const char *path, const uint8_t md5[16], refpath_contig *rc);

/* Copies the upper-cased bases [pos, pos + n) (clipped at the end) into
   buf.  Returns the number of bytes copied, 0 at the end, or a negative
   ragc status. */
int64_t refpath_read(refpath_contig *rc, uint64_t pos, void *buf, size_t n);

void refpath_close(refpath_contig *rc);

#endif
