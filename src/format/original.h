/* original.h -- the "original form" of a FASTA file: everything an AGC
   archive does not keep, so that the input can be given back byte for byte.

   Model (docs/lossless.md has the details and the byte format).  A FASTA
   file is an optional preamble (the raw bytes of every line before the
   first line that starts with '>'), then records: a header line ('>',
   header bytes, line end) and sequence lines (bytes, line end).  A line end
   is "\n" (RG_ORIG_LF), "\r\n" (RG_ORIG_CRLF) or nothing (RG_ORIG_NONE, only
   for the last line of the file).  The collection keeps per record a name
   and the canonical sequence over ACGTNRYSWKMBDHVU; the original form keeps
   the rest:
     - a letter of the 16 codes in either case is that base (upper case);
       lower-case bases are recorded as runs (the case mask);
     - ' ', '\t', '\v', '\f' and '\r' inside a sequence line are not bases
       (agc never saw them): recorded as insertions, runs of one byte
       placed before a base position;
     - any other byte is the base N, the byte recorded as an exception run;
     - the line layout: each sequence line's length in bytes (insertions
       included) as runs (length, count); blank lines inside or after a
       record's sequence belong to that record;
     - every line's end, header line first, as runs;
     - the raw header, only where it differs from the name the caller
       stores in the collection.
   Nothing follows the last record: trailing blank lines belong to it and a
   missing final newline is its last line end.  A file without records is
   its preamble (an empty file is an empty preamble).

   Use.
   Writer (the FASTA reader calls the builder while it reads, one pass):
       rg_orig_builder b;  rg_orig_builder_init(&b, RG_ORIG_OUT_ASCII);
       rg_orig_begin_sample(&b);
       rg_orig_preamble(&b, line, len, eol)        each line before the first '>'
       per record:
         rg_orig_header(&b, raw, len, eol, name, name_len)   raw = after '>'
         rg_orig_seq(&b, bytes, len, out)           any pieces of a line ...
         rg_orig_seq_eol(&b, eol)                   ... then its line end
             (or rg_orig_seq_line(&b, bytes, len, eol, out) for a whole line,
             or rg_orig_seq_text(&b, buf, n, out, &used) for a reader's
             buffer of many lines: it finds the line ends itself and stops
             at the next header line)
         rg_orig_end_record(&b)
       rg_orig_end_sample(&b, &sample)            sample now owns the description
       rg_orig_encode(&sample, &blob)             bytes for the archive
       rg_orig_sample_free(&sample); rg_orig_builder_free(&b);
   rg_orig_seq appends the line's canonical bases to out (ASCII upper case,
   or agc's codes 0..15 with RG_ORIG_OUT_CODES), so it replaces the reader's
   own byte loop.  A line end splits at the caller: a "\r\n" line end is
   RG_ORIG_CRLF and its '\r' is not part of the bytes; any other '\r' is.
   A line of zero bytes ending in RG_ORIG_NONE is no line (the end of the
   input after a line end) and is ignored.

   Reader:
       rg_orig_decode(blob, len, &s)                 the whole sample, or
       rg_orig_decode_record(blob, len, i, &s)       record i only (s holds
                                                      one record, no preamble)
       rg_orig_render_preamble(&s, sink, ctx)
       per record:  rg_orig_render_begin(&w, &s, i, name, name_len, sink, ctx);
                    rg_orig_render_bases(&w, bases, n) ... (pieces in order)
                    rg_orig_render_end(&w)
       rg_orig_apply(&s, i, from, bases, n)          a window, in place
   Bases given to the renderer and to apply are ASCII (as decoded from the
   archive, upper case).

   All calls return 0 or a negative RAGC_ERR_* status; errors are logged
   through hts_log.  Nothing prints or exits.  Memory: the builder and the
   description grow with the number of runs (never per base); the renderer
   uses a fixed buffer. */
#ifndef RAGC_ORIGINAL_H
#define RAGC_ORIGINAL_H

#include <stddef.h>
#include <stdint.h>

#include "lzdiff.h"   /* rg_bytes */

/* Format version written as the first byte of a sample's blob. */
#define RG_ORIG_VERSION 1

/* Line ends. */
enum { RG_ORIG_LF = 0, RG_ORIG_CRLF = 1, RG_ORIG_NONE = 2 };

/* What rg_orig_seq appends per base. */
enum { RG_ORIG_OUT_ASCII = 0, RG_ORIG_OUT_CODES = 1 };

/* count consecutive sequence lines of len bytes each (insertions included). */
typedef struct {
    uint64_t len, count;
} rg_orig_lines;

/* count consecutive lines ending in eol (RG_ORIG_LF, _CRLF or _NONE). */
typedef struct {
    uint64_t count;
    uint8_t eol;
} rg_orig_eols;

/* A run over the canonical bases of a record (positions count bases only):
     lower case:  bases [pos, pos + len) were lower case (byte unused);
     exception:   bases [pos, pos + len) were all `byte` (canonical N);
     insertion:   len bytes `byte` stood right before base pos (pos may be
                  the record's base count: after the last base).
   Runs of a kind are in order and do not overlap; insertion runs have
   non-decreasing pos.  At exception positions the case mask is
   meaningless (the exception byte wins). */
typedef struct {
    uint64_t pos, len;
    uint8_t byte;
} rg_orig_run;

/* One record.  The *_at fields index the sample's arrays. */
typedef struct {
    uint64_t n_bases;        /* canonical bases */
    uint64_t n_seq_bytes;    /* bytes of the sequence lines (bases + insertions) */
    uint64_t n_seq_lines;    /* sequence lines, blank ones included */
    int has_header;          /* header kept because it differs from the name */
    size_t header_at, header_len;    /* in bytes[] */
    size_t lines_at, n_lines;        /* in lines[] */
    size_t eols_at, n_eols;          /* in eols[]: header line, then sequence lines */
    size_t lower_at, n_lower;        /* in lower[] */
    size_t exc_at, n_exc;            /* in exc[] */
    size_t ins_at, n_ins;            /* in ins[] */
} rg_orig_record;

/* A sample's original form.  Zero-initialise; rg_orig_sample_free. */
typedef struct {
    uint8_t *bytes;                  /* preamble, then raw headers */
    size_t n_bytes, cap_bytes;
    size_t preamble_len;             /* the preamble is bytes[0, preamble_len) */
    rg_orig_record *rec;
    size_t n_rec, cap_rec;
    rg_orig_lines *lines;
    size_t n_lines, cap_lines;
    rg_orig_eols *eols;
    size_t n_eols, cap_eols;
    rg_orig_run *lower, *exc, *ins;
    size_t n_lower, cap_lower, n_exc, cap_exc, n_ins, cap_ins;
} rg_orig_sample;

/* &arr[i] of a sample's array, which is NULL while empty: NULL + 0 is
   undefined in C (clang's UBSan reports it; found by fuzzing). */
#define RG_ORIG_AT(arr, i) ((arr) ? (arr) + (i) : (arr))

void rg_orig_sample_free(rg_orig_sample *s);
/* Empties s, keeping its memory. */
void rg_orig_sample_clear(rg_orig_sample *s);
/* Raw header of record i (without '>' and line end) or NULL when the name
   stored in the collection is the header. */
const uint8_t *rg_orig_record_header(const rg_orig_sample *s, size_t i, size_t *len);

/* ---- builder (original_build.c) ---- */

typedef struct {
    rg_orig_sample s;        /* the description being built */
    const uint16_t *table;   /* input byte -> class << 8 | output byte */
    int in_sample, in_record, sealed_preamble;
    uint64_t base;           /* bases of the open record so far */
    uint64_t line_bytes;     /* bytes of the open sequence line so far */
    uint64_t lower_from;     /* start of the open lower-case run */
    int lower;               /* a lower-case run is open */
    int pending_cr;          /* rg_orig_seq_text's input ended in '\r' */
    int status;              /* sticky error */
} rg_orig_builder;

int rg_orig_builder_init(rg_orig_builder *b, int output);
void rg_orig_builder_free(rg_orig_builder *b);

/* Starts a sample (drops anything unfinished). */
int rg_orig_begin_sample(rg_orig_builder *b);
/* A line before the first header: len raw bytes, then its line end. */
int rg_orig_preamble(rg_orig_builder *b, const void *line, size_t len, int eol);
/* A header line: raw = the bytes after '>' without the line end; name = the
   name the caller stores in the collection for this record. */
int rg_orig_header(rg_orig_builder *b, const void *raw, size_t len, int eol,
                   const void *name, size_t name_len);
/* Bytes of the current sequence line (any piece); appends the canonical
   bases to out. */
int rg_orig_seq(rg_orig_builder *b, const void *bytes, size_t len, rg_bytes *out);
/* Sequence text as a reader buffers it: any number of lines with their
   "\n" or "\r\n" ends, the last one possibly unfinished (it goes on in
   the next call; a final '\r' is held until the next byte is known).
   Stops before a '>' that starts a line: returns 1 there (the caller then
   reads the header line), 0 when all len bytes were taken; *used gets the
   bytes taken.  At the end of the input call rg_orig_seq_eol(b,
   RG_ORIG_NONE) to end an unfinished last line.  The same bases and
   description as the line calls, with no call per line. */
int rg_orig_seq_text(rg_orig_builder *b, const void *bytes, size_t len, rg_bytes *out,
                     size_t *used);
/* Ends the current sequence line. */
int rg_orig_seq_eol(rg_orig_builder *b, int eol);
/* rg_orig_seq then rg_orig_seq_eol. */
int rg_orig_seq_line(rg_orig_builder *b, const void *bytes, size_t len, int eol, rg_bytes *out);
/* Ends the record (an unterminated sequence line is an error). */
int rg_orig_end_record(rg_orig_builder *b);
/* Ends the sample: *out (freed first) receives the description and the
   builder is ready for the next sample. */
int rg_orig_end_sample(rg_orig_builder *b, rg_orig_sample *out);

/* ---- codec (original_codec.c) ---- */

/* Appends the sample's blob (format version 1) to out. */
int rg_orig_encode(const rg_orig_sample *s, rg_bytes *out);
/* Appends to out the blob of one sample made of n >= 1 parts in order (its
   records those of blobs[0], then blobs[1], ...), as if their files had
   been one (original_join.c): RAGC_ERR_INPUT when a part after the first
   has a preamble, RAGC_ERR_FORMAT / RAGC_ERR_VERSION for a bad blob. */
int rg_orig_join(const uint8_t *const *blobs, const size_t *lens, size_t n, rg_bytes *out);
/* Parses a whole blob into s (cleared first).  RAGC_ERR_FORMAT when the
   blob is corrupt or truncated, RAGC_ERR_VERSION for another version. */
int rg_orig_decode(const uint8_t *blob, size_t len, rg_orig_sample *s);
/* Number of records of a blob. */
int rg_orig_blob_records(const uint8_t *blob, size_t len, uint64_t *n_rec);
/* Parses record i only into s (cleared first; s->n_rec = 1, no preamble).
   Reads the record size table up to i, not the other records. */
int rg_orig_decode_record(const uint8_t *blob, size_t len, uint64_t i, rg_orig_sample *s);

/* Parses the record in bytes [from, to) of the blob into s, as
   rg_orig_decode_record does; from and to are offsets given by
   rg_orig_blob_bases (starts), so that a reader of every record of a
   sample does not read the size table from its start each time, which
   costs time quadratic in the number of records. */
int rg_orig_decode_record_at(const uint8_t *blob, size_t len, uint64_t from, uint64_t to, rg_orig_sample *s);

/* Checks a whole blob of n records, one record at a time (memory of the
   largest), and gives each record's base count in bases[0, n) and, when
   starts is not NULL, the offset of each record in the blob in
   starts[0, n) and the end of the last in starts[n].  scratch is a
   description used for the work (left empty).  RAGC_ERR_FORMAT when the
   blob is corrupt or does not hold n records. */
int rg_orig_blob_bases(const uint8_t *blob, size_t len, uint64_t *bases, uint64_t n, uint64_t *starts,
                       rg_orig_sample *scratch);

/* ---- readers (original_render.c) ---- */

/* Receives output bytes; returns 0 to go on, non-zero to stop
   (RAGC_ERR_CALLBACK). */
typedef int (*rg_orig_sink)(void *ctx, const char *s, size_t n);

/* Rewrites bases[0, n), the canonical bases [from, from + n) of record i,
   to the original bytes (case and exceptions; the layout is not touched).
   O(log runs + n). */
int rg_orig_apply(const rg_orig_sample *s, size_t i, uint64_t from, char *bases, size_t n);

/* Writes the preamble. */
int rg_orig_render_preamble(const rg_orig_sample *s, rg_orig_sink sink, void *ctx);

#define RG_ORIG_RENDER_BUF 8192

typedef struct {
    const rg_orig_sample *s;
    const rg_orig_record *r;
    rg_orig_sink sink;
    void *ctx;
    uint64_t base;              /* bases received */
    size_t line_i;              /* current layout run */
    uint64_t line_k;            /* lines of it done */
    uint64_t line_left;         /* bytes left in the open line */
    int line_open;
    size_t eol_i;               /* current line-end run */
    uint64_t eol_k;
    size_t lower_i, exc_i, ins_i;
    uint64_t ins_done;          /* bytes of insertion run ins_i written */
    int status;
    size_t buf_n;
    char buf[RG_ORIG_RENDER_BUF];
} rg_orig_render;

/* Starts record i: writes its header line.  name is the name stored in the
   collection (used unless the raw header was kept). */
int rg_orig_render_begin(rg_orig_render *w, const rg_orig_sample *s, size_t i,
                         const char *name, size_t name_len, rg_orig_sink sink, void *ctx);
/* The next n canonical bases of the record, in order, any piece size. */
int rg_orig_render_bases(rg_orig_render *w, const char *bases, size_t n);
/* Finishes the record (trailing insertions, blank lines, line ends) and
   flushes.  RAGC_ERR_FORMAT when the bases given were not n_bases. */
int rg_orig_render_end(rg_orig_render *w);

#endif
