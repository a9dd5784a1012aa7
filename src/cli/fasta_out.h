/* fasta_out.h -- FASTA records as agc prints them: `>name\n`, then the
   sequence in lines of exactly line_len bases (the last may be shorter),
   every line ending in `\n`; an empty sequence prints the header only.
   With gzip, the header and the sequence each become one gzip member
   (header at level 1, sequence at the chosen level), as agc does.

   The command's one line wrapper: getcol/getset/getctg (extract.c) and
   faidx (samtools' layout is the same) both write through it.  It lives in
   the CLI because only the CLI uses it; the library hands out sequence
   through ragc_sink_fn and leaves the layout to its callers. */
#ifndef RAGC_CLI_FASTA_OUT_H
#define RAGC_CLI_FASTA_OUT_H

#include <stddef.h>
#include <stdint.h>

#include <htslib/kstring.h>

typedef struct cli_fasta {
    uint64_t line_len;
    int gzip_level;       /* 0 = plain */
    uint64_t col;         /* bases on the current line */
    kstring_t out;        /* finished bytes, ready to write */
    kstring_t text;       /* gzip: the record's sequence text so far */
    void *deflater[10];   /* libdeflate compressors by level */
    /* Plain output: when out reaches flush_at bytes, flush(flush_ctx) is
       called to drain it (streaming); flush == NULL keeps everything. */
    int (*flush)(void *ctx, const char *s, size_t n);
    void *flush_ctx;
    size_t flush_at;
    /* The first flush comes as soon as a record has bases: a reader at the
       other end of a pipe (or of a slow network, for the archive) sees the
       first bases after one segment, not after flush_at bytes. */
    int flushed;
} cli_fasta;

int cli_fasta_init(cli_fasta *f, uint64_t line_len, int gzip_level);
void cli_fasta_free(cli_fasta *f);

/* A record: begin, any number of seq pieces (a ragc_sink_fn), end. */
int cli_fasta_begin(cli_fasta *f, const char *name, size_t name_len);
int cli_fasta_seq(void *f, const char *seq, size_t len);
int cli_fasta_end(cli_fasta *f);

/* Appends s as one gzip member (at this level, 1-9) to f->out: also for
   text that is not a record (getset --original). */
int cli_fasta_gzip(cli_fasta *f, int level, const char *s, size_t n);

/* Hands out the finished bytes and empties f->out. */
int cli_fasta_drain(cli_fasta *f);

#endif
