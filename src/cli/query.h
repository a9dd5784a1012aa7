/* query.h -- agc's getctg query syntax:
     contig@sample:from-to | contig@sample | contig:from-to | contig
   matched like agc's greedy regular expressions: the contig part extends
   to the last '@' that still allows a match, the range splits at the last
   ':' and '-'.  from/to are read like atoll().  This is agc's command-line
   syntax (getctg), so it belongs to the command, not to the library. */
#ifndef RAGC_CLI_QUERY_H
#define RAGC_CLI_QUERY_H

#include <stdint.h>

typedef struct {
    char *contig;      /* malloc'ed */
    char *sample;      /* malloc'ed, NULL if none */
    int has_range;
    int64_t from, to;  /* -1 when absent */
    int loose_numbers; /* from or to had more than atoll reads (1,000: a comma) */
} cli_query;

/* Returns 0, or -1 if the text matches none of the forms. */
int cli_query_parse(const char *text, cli_query *q);
void cli_query_free(cli_query *q);

#endif
