/* query.c -- parsing getctg queries; see query.h. */
#include "query.h"

#include <stdlib.h>
#include <string.h>

/* Finds the split of s[0, n) as `(.+):(.+)-(.+)` with greedy groups:
   the last ':' that leaves room for `x-y`, then the last '-' after it. */
static int match_range(const char *s, size_t n, size_t *colon, size_t *dash)
{
    for (size_t c = n; c-- > 1;) {
        if (s[c] != ':')
            continue;
        for (size_t d = n - 1; d-- > c + 1;) {
            if (s[d] == '-' && d >= c + 2) {
                *colon = c;
                *dash = d;
                return 1;
            }
        }
    }
    return 0;
}

/* atoll's reading of s[0, n); *loose is set when it leaves characters
   unread (agc reads "1,000" as 1 without a word). */
static int64_t like_atoll(const char *s, size_t n, int *loose)
{
    char *t = strndup(s, n), *end;
    if (!t)
        return 0;
    int64_t v = strtoll(t, &end, 10);   /* atoll: whitespace, sign, digits */
    if (*end || end == t)
        *loose = 1;
    free(t);
    return v;
}

static int fill(cli_query *q, const char *s, size_t contig_len, const char *sample, size_t sample_len)
{
    q->contig = strndup(s, contig_len);
    q->sample = sample ? strndup(sample, sample_len) : NULL;
    return q->contig && (!sample || q->sample) ? 0 : -1;
}

int cli_query_parse(const char *text, cli_query *q)
{
    memset(q, 0, sizeof(*q));
    q->from = q->to = -1;
    size_t n = strlen(text);
    /* '.' in agc's patterns does not match line terminators */
    if (n == 0 || strpbrk(text, "\r\n"))
        return -1;
    size_t colon, dash;
    /* 1: contig@sample:from-to */
    for (size_t a = n; a-- > 1;) {
        if (text[a] != '@')
            continue;
        const char *rest = text + a + 1;
        if (match_range(rest, n - a - 1, &colon, &dash)) {
            q->has_range = 1;
            q->from = like_atoll(rest + colon + 1, dash - colon - 1, &q->loose_numbers);
            q->to = like_atoll(rest + dash + 1, n - a - 1 - dash - 1, &q->loose_numbers);
            return fill(q, text, a, rest, colon);
        }
    }
    /* 2: contig@sample */
    for (size_t a = n - 1; a-- > 1;)   /* a in [1, n-2]: both groups non-empty */
        if (text[a] == '@')
            return fill(q, text, a, text + a + 1, n - a - 1);
    /* 3: contig:from-to */
    if (match_range(text, n, &colon, &dash)) {
        q->has_range = 1;
        q->from = like_atoll(text + colon + 1, dash - colon - 1, &q->loose_numbers);
        q->to = like_atoll(text + dash + 1, n - dash - 1, &q->loose_numbers);
        return fill(q, text, colon, NULL, 0);
    }
    /* 4: contig */
    return fill(q, text, n, NULL, 0);
}

void cli_query_free(cli_query *q)
{
    free(q->contig);
    free(q->sample);
    memset(q, 0, sizeof(*q));
}
