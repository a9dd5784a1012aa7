/* range_warn.h -- getctg ranges that agc prints without a word.

   agc's output for these stays byte for byte (standard output), but the
   user is told on standard error, since each looks like a success:
   numbers with characters atoll stops at (1,000 reads as 1), a range that
   starts after the contig's end (an empty record) and one that ends after
   it (fewer bases than asked).  A reversed range gets agc's own warning
   (in get.c).  Warnings never change the exit status (docs/cli.md). */
#ifndef RAGC_CLI_RANGE_WARN_H
#define RAGC_CLI_RANGE_WARN_H

#include <stdint.h>

/* query: the text given; from/to: the range as agc applies it (0-based,
   inclusive; to may be INT64_MAX); len: the contig's length. */
void cli_warn_loose_numbers(const char *cmd, const char *query, int64_t from, int64_t to);
void cli_warn_past_end(const char *cmd, const char *query, const char *contig, int64_t len, int64_t from,
                       int64_t to);

#endif
