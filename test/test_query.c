/* test_query.c -- agc's getctg query syntax (query.h).

   agc-format.md section 14: the patterns
       1 (.+)@(.+):(.+)-(.+)    2 (.+)@(.+)    3 (.+):(.+)-(.+)    4 (.+)
   are tried in that order, each matched against the whole argument as an
   ECMAScript regex (greedy, backtracking, '.' not matching \n or \r);
   from/to are atoll() of their groups.  The expectations below are worked
   out by hand from those rules, and a sweep compares cli_query_parse with a
   backtracking matcher written here from the same rules. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "tap.h"

typedef struct {
    const char *text;
    int ret;              /* 0 or -1 */
    const char *contig;
    const char *sample;   /* NULL: none */
    int has_range;
    int64_t from, to;
} qcase;

static const qcase cases[] = {
    {"chr1", 0, "chr1", NULL, 0, -1, -1},
    {"chr1@ref", 0, "chr1", "ref", 0, -1, -1},
    {"chr1@ref:5-10", 0, "chr1", "ref", 1, 5, 10},
    {"chr1:5-10", 0, "chr1", NULL, 1, 5, 10},
    {"g h i 21@b:0-3", 0, "g h i 21", "b", 1, 0, 3},
    /* the contig extends to the last '@' that allows a match */
    {"a@b@c:1-2", 0, "a@b", "c", 1, 1, 2},
    {"a@b@c", 0, "a@b", "c", 0, -1, -1},
    /* the range splits at the last '-' */
    {"x:1-2-3", 0, "x", NULL, 1, 1, 3},
    /* (.+) before '-' may start with '-': from = atoll("-5") */
    {"c:-5-10", 0, "c", NULL, 1, -5, 10},
    /* the greedy from-group takes "5-", to = 10 (not -10) */
    {"c:5--10", 0, "c", NULL, 1, 5, 10},
    /* from-group "-5-" (the last '-'), to = 7 */
    {"c@s:-5--7", 0, "c", "s", 1, -5, 7},
    /* only one '-' right after ':': pattern 3 cannot match, so it is a name */
    {"c:-5", 0, "c:-5", NULL, 0, -1, -1},
    {"c:5-", 0, "c:5-", NULL, 0, -1, -1},
    {"chr1:5", 0, "chr1:5", NULL, 0, -1, -1},
    /* the contig extends to the last ':' that still allows x-y */
    {"a:b:1-2", 0, "a:b", NULL, 1, 1, 2},
    {"a:1-2:3-4", 0, "a:1-2", NULL, 1, 3, 4},
    /* pattern 1 fails (empty sample before ':'), pattern 2 takes the rest */
    {"a@:1-2", 0, "a", ":1-2", 0, -1, -1},
    /* pattern 1 fails (no '-'), pattern 2 */
    {"chr1@ref:5", 0, "chr1", "ref:5", 0, -1, -1},
    /* pattern 1 with junk after the to-number: atoll("2@c") = 2 */
    {"a@b:1-2@c", 0, "a", "b", 1, 1, 2},
    {"x@y:1-2:3-4", 0, "x", "y:1-2", 1, 3, 4},
    /* atoll: non-numeric -> 0; leading blanks and '+' accepted */
    {"c:x-y", 0, "c", NULL, 1, 0, 0},
    {"c: 7-\t8", 0, "c", NULL, 1, 7, 8},
    {"c:+5-+10", 0, "c", NULL, 1, 5, 10},
    {"c:12ab-34cd", 0, "c", NULL, 1, 12, 34},
    {"c:0-9223372036854775807", 0, "c", NULL, 1, 0, INT64_MAX},
    /* empty groups are not allowed: these are plain names */
    {"@x", 0, "@x", NULL, 0, -1, -1},
    {"x@", 0, "x@", NULL, 0, -1, -1},
    {"@", 0, "@", NULL, 0, -1, -1},
    {"@@", 0, "@@", NULL, 0, -1, -1},
    {"a@@", 0, "a", "@", 0, -1, -1},
    {"@a@", 0, "@a@", NULL, 0, -1, -1},
    {"a@@b", 0, "a@", "b", 0, -1, -1},
    {"@:1-2", 0, "@", NULL, 1, 1, 2},
    {":1-2", 0, ":1-2", NULL, 0, -1, -1},
    {"-", 0, "-", NULL, 0, -1, -1},
    {":", 0, ":", NULL, 0, -1, -1},
    {"a:-", 0, "a:-", NULL, 0, -1, -1},
    {"a:b-", 0, "a:b-", NULL, 0, -1, -1},
    /* bytes >= 0x80 and other controls are ordinary */
    {"chr\xc3\xa9@s\x01", 0, "chr\xc3\xa9", "s\x01", 0, -1, -1},
    {"a\tb", 0, "a\tb", NULL, 0, -1, -1},
    /* nothing, or line terminators: no pattern matches */
    {"", -1, NULL, NULL, 0, -1, -1},
    {"\n", -1, NULL, NULL, 0, -1, -1},
    {"chr1\n", -1, NULL, NULL, 0, -1, -1},
    {"chr1\r", -1, NULL, NULL, 0, -1, -1},
    {"\rchr1", -1, NULL, NULL, 0, -1, -1},
    {"a@b\nc", -1, NULL, NULL, 0, -1, -1},
    {"a@b:1-2\r\n", -1, NULL, NULL, 0, -1, -1},
};
#define N_CASES (int)(sizeof cases / sizeof cases[0])

static int str_eq(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

static void show(const char *s, char *out, size_t size)
{
    size_t o = 0;
    for (; s && *s && o + 5 < size; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c >= 0x7f)
            o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
        else
            out[o++] = (char)c;
    }
    out[o] = '\0';
}

static void test_cases(void)
{
    for (int i = 0; i < N_CASES; i++) {
        const qcase *c = &cases[i];
        cli_query q;
        int r = cli_query_parse(c->text, &q);
        int good = r == c->ret;
        if (good && r == 0)
            good = str_eq(q.contig, c->contig) && str_eq(q.sample, c->sample)
                   && !!q.has_range == c->has_range && q.from == c->from && q.to == c->to;
        char shown[128];
        show(c->text, shown, sizeof shown);
        if (!tap_ok(good, "\"%s\"", shown)) {
            char sc[128], ss[128];
            show(r == 0 ? q.contig : NULL, sc, sizeof sc);
            show(r == 0 ? q.sample : NULL, ss, sizeof ss);
            tap_diag("got ret %d contig \"%s\" sample %s%s%s range %d %lld-%lld", r, sc,
                     r == 0 && q.sample ? "\"" : "", r == 0 && q.sample ? ss : "(none)",
                     r == 0 && q.sample ? "\"" : "", r == 0 ? q.has_range : 0,
                     r == 0 ? (long long)q.from : 0, r == 0 ? (long long)q.to : 0);
        }
        if (r == 0)
            cli_query_free(&q);
    }
}

/* ---- a backtracking matcher for (.+)s1(.+)s2...(.+) ----------------------- */

/* Group i starts at p; seps[i] follows it (none after the last group).  The
   longest group is tried first, as a greedy ECMAScript quantifier does. */
static int bt(const char *s, size_t n, const char *seps, int ng, int i, size_t p, size_t *beg,
              size_t *len)
{
    size_t maxl = 0;
    while (p + maxl < n && s[p + maxl] != '\n' && s[p + maxl] != '\r')
        maxl++;
    for (size_t l = maxl; l >= 1; l--) {
        beg[i] = p;
        len[i] = l;
        if (i == ng - 1) {
            if (p + l == n)
                return 1;
        } else if (p + l < n && s[p + l] == seps[i]
                   && bt(s, n, seps, ng, i + 1, p + l + 1, beg, len)) {
            return 1;
        }
    }
    return 0;
}

static char *sub(const char *s, size_t b, size_t l)
{
    char *t = malloc(l + 1);
    memcpy(t, s + b, l);
    t[l] = '\0';
    return t;
}

/* The oracle: fills q like cli_query_parse should; -1 if no pattern matches. */
static int oracle(const char *s, cli_query *q)
{
    size_t n = strlen(s), b[4], l[4];
    memset(q, 0, sizeof *q);
    q->from = q->to = -1;
    if (bt(s, n, "@:-", 4, 0, 0, b, l)) {
        q->contig = sub(s, b[0], l[0]);
        q->sample = sub(s, b[1], l[1]);
        char *f = sub(s, b[2], l[2]), *t = sub(s, b[3], l[3]);
        q->has_range = 1;
        q->from = atoll(f);
        q->to = atoll(t);
        free(f);
        free(t);
        return 0;
    }
    if (bt(s, n, "@", 2, 0, 0, b, l)) {
        q->contig = sub(s, b[0], l[0]);
        q->sample = sub(s, b[1], l[1]);
        return 0;
    }
    if (bt(s, n, ":-", 3, 0, 0, b, l)) {
        q->contig = sub(s, b[0], l[0]);
        char *f = sub(s, b[1], l[1]), *t = sub(s, b[2], l[2]);
        q->has_range = 1;
        q->from = atoll(f);
        q->to = atoll(t);
        free(f);
        free(t);
        return 0;
    }
    if (bt(s, n, "", 1, 0, 0, b, l)) {
        q->contig = sub(s, b[0], l[0]);
        return 0;
    }
    return -1;
}

/* Compares cli_query_parse with the oracle on s; 1 if they agree. */
static int agree(const char *s)
{
    cli_query a, b;
    int ra = cli_query_parse(s, &a), rb = oracle(s, &b);
    int good = ra == rb;
    if (good && ra == 0)
        good = str_eq(a.contig, b.contig) && str_eq(a.sample, b.sample)
               && !!a.has_range == !!b.has_range && a.from == b.from && a.to == b.to;
    if (ra == 0)
        cli_query_free(&a);
    free(b.contig);
    free(b.sample);
    return good;
}

static void sweep(const char *alpha, int max_len, const char *what)
{
    int k = (int)strlen(alpha), bad = 0;
    long total = 0;
    char s[32];
    for (int len = 0; len <= max_len; len++) {
        int idx[32] = {0};
        for (;;) {
            for (int i = 0; i < len; i++)
                s[i] = alpha[idx[i]];
            s[len] = '\0';
            total++;
            if (!agree(s) && bad++ < 5) {
                char shown[128];
                show(s, shown, sizeof shown);
                tap_diag("disagreement on \"%s\"", shown);
            }
            int i = len - 1;
            while (i >= 0 && ++idx[i] == k)
                idx[i--] = 0;
            if (i < 0)
                break;
        }
    }
    tap_ok(bad == 0, "%s: %ld strings agree with the backtracking matcher", what, total);
}

static void random_sweep(void)
{
    static const char alpha[] = "a@:-12+ \r\n";
    uint32_t x = 2463534242u;
    int bad = 0;
    char s[40];
    for (int t = 0; t < 30000; t++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        int len = 7 + (int)(x % 14);
        for (int i = 0; i < len; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            /* line terminators rarely, so most strings are valid */
            unsigned r = x % 100;
            s[i] = r < 2 ? alpha[8 + r] : alpha[r % 8];
        }
        s[len] = '\0';
        if (!agree(s) && bad++ < 5) {
            char shown[128];
            show(s, shown, sizeof shown);
            tap_diag("disagreement on \"%s\"", shown);
        }
    }
    tap_ok(bad == 0, "30000 random strings of length 7..20 agree with the backtracking matcher");
}

int main(void)
{
    tap_plan(N_CASES + 3);
    test_cases();
    sweep("a@:-1", 7, "all strings over {a @ : - 1} up to length 7");
    sweep("@:-5 \n\r", 5, "all strings over {@ : - 5 space \\n \\r} up to length 5");
    random_sweep();
    return tap_done();
}
