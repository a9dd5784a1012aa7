/* range_warn.c -- getctg ranges agc prints without a word; see range_warn.h. */
#include "range_warn.h"

#include <string.h>

#include "cli.h"

void cli_warn_loose_numbers(const char *cmd, const char *query, int64_t from, int64_t to)
{
    cli_error(cmd, "warning: the range of %s is read as %lld-%lld: a number ends at its first character "
                   "that is not a digit%s", query, (long long)from, (long long)to,
              strchr(query, ',') ? " (no commas in numbers)" : "");
}

void cli_warn_past_end(const char *cmd, const char *query, const char *contig, int64_t len, int64_t from,
                       int64_t to)
{
    if (from >= len)
        cli_error(cmd, "warning: %s starts after the end of %s (%lld bases, 0-based positions 0-%lld): "
                       "the record is empty", query, contig, (long long)len, (long long)len - 1);
    else if (to >= len && to != INT64_MAX)
        cli_error(cmd, "warning: %s ends after the end of %s (%lld bases): only %lld-%lld printed", query,
                  contig, (long long)len, (long long)from, (long long)len - 1);
}
