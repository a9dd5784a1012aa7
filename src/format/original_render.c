/* original_render.c -- the original bytes of a record from its canonical
   bases and its description (original.h): in place over a window (apply)
   or as a stream of the whole record (render). */
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "original.h"
#include "ragc.h"

static char lower_of(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c | 0x20) : c;
}

/* Case, then exceptions, over dst = bases [from, from + n), starting the
   scans at runs *li and *ei (moved past the runs that end before from). */
static void transform(const rg_orig_sample *s, const rg_orig_record *r, uint64_t from, char *dst,
                      size_t n, size_t *li, size_t *ei)
{
    const rg_orig_run *lo = RG_ORIG_AT(s->lower, r->lower_at), *ex = RG_ORIG_AT(s->exc, r->exc_at);
    uint64_t to = from + n;
    while (*li < r->n_lower && lo[*li].pos + lo[*li].len <= from)
        (*li)++;
    for (size_t j = *li; j < r->n_lower && lo[j].pos < to; j++) {
        uint64_t a = lo[j].pos > from ? lo[j].pos : from;
        uint64_t b = lo[j].pos + lo[j].len < to ? lo[j].pos + lo[j].len : to;
        for (uint64_t k = a; k < b; k++)
            dst[k - from] = lower_of(dst[k - from]);
    }
    while (*ei < r->n_exc && ex[*ei].pos + ex[*ei].len <= from)
        (*ei)++;
    for (size_t j = *ei; j < r->n_exc && ex[j].pos < to; j++) {
        uint64_t a = ex[j].pos > from ? ex[j].pos : from;
        uint64_t b = ex[j].pos + ex[j].len < to ? ex[j].pos + ex[j].len : to;
        memset(dst + (a - from), ex[j].byte, (size_t)(b - a));
    }
}

/* First run of v[0, n) that ends after pos (runs are ordered and apart). */
static size_t first_after(const rg_orig_run *v, size_t n, uint64_t pos)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].pos + v[mid].len <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int rg_orig_apply(const rg_orig_sample *s, size_t i, uint64_t from, char *bases, size_t n)
{
    if (!s || i >= s->n_rec || (n && !bases))
        return RAGC_ERR_ARG;
    const rg_orig_record *r = &s->rec[i];
    if (from > r->n_bases || n > r->n_bases - from) {
        hts_log_error("original form: bases %llu..%llu beyond the record's %llu",
                      (unsigned long long)from, (unsigned long long)(from + n),
                      (unsigned long long)r->n_bases);
        return RAGC_ERR_ARG;
    }
    size_t li = first_after(RG_ORIG_AT(s->lower, r->lower_at), r->n_lower, from);
    size_t ei = first_after(RG_ORIG_AT(s->exc, r->exc_at), r->n_exc, from);
    transform(s, r, from, bases, n, &li, &ei);
    return 0;
}

int rg_orig_render_preamble(const rg_orig_sample *s, rg_orig_sink sink, void *ctx)
{
    if (!s || !sink)
        return RAGC_ERR_ARG;
    if (s->preamble_len && sink(ctx, (const char *)s->bytes, s->preamble_len) != 0)
        return RAGC_ERR_CALLBACK;
    return 0;
}

/* ---- the streaming renderer ---- */

static int flush(rg_orig_render *w)
{
    if (w->buf_n && w->sink(w->ctx, w->buf, w->buf_n) != 0)
        return w->status = RAGC_ERR_CALLBACK;
    w->buf_n = 0;
    return 0;
}

static int put(rg_orig_render *w, const char *p, size_t n)
{
    while (n) {
        if (w->buf_n == RG_ORIG_RENDER_BUF && flush(w) < 0)
            return w->status;
        size_t k = RG_ORIG_RENDER_BUF - w->buf_n < n ? RG_ORIG_RENDER_BUF - w->buf_n : n;
        memcpy(w->buf + w->buf_n, p, k);
        w->buf_n += k;
        p += k;
        n -= k;
    }
    return 0;
}

static int put_rep(rg_orig_render *w, char c, uint64_t n)
{
    while (n) {
        if (w->buf_n == RG_ORIG_RENDER_BUF && flush(w) < 0)
            return w->status;
        size_t k = RG_ORIG_RENDER_BUF - w->buf_n < n ? RG_ORIG_RENDER_BUF - w->buf_n : (size_t)n;
        memset(w->buf + w->buf_n, c, k);
        w->buf_n += k;
        n -= k;
    }
    return 0;
}

static int mismatch(rg_orig_render *w, const char *what)
{
    hts_log_error("original form: %s than the record's description says (%llu bases)", what,
                  (unsigned long long)w->r->n_bases);
    return w->status = RAGC_ERR_FORMAT;
}

static int put_eol(rg_orig_render *w)
{
    const rg_orig_eols *e = RG_ORIG_AT(w->s->eols, w->r->eols_at);
    if (w->eol_i >= w->r->n_eols)
        return mismatch(w, "more lines");
    uint8_t kind = e[w->eol_i].eol;
    if (++w->eol_k == e[w->eol_i].count) {
        w->eol_i++;
        w->eol_k = 0;
    }
    return kind == RG_ORIG_LF ? put(w, "\n", 1) : kind == RG_ORIG_CRLF ? put(w, "\r\n", 2) : 0;
}

/* Opens the next sequence line; 0 when there is none. */
static int open_line(rg_orig_render *w)
{
    const rg_orig_lines *l = RG_ORIG_AT(w->s->lines, w->r->lines_at);
    if (w->line_i >= w->r->n_lines)
        return 0;
    w->line_left = l[w->line_i].len;
    if (++w->line_k == l[w->line_i].count) {
        w->line_i++;
        w->line_k = 0;
    }
    w->line_open = 1;
    return 1;
}

/* Bases [w->base, + n) into the output with case and exceptions. */
static int put_bases(rg_orig_render *w, const char *bases, size_t n)
{
    while (n) {
        if (w->buf_n == RG_ORIG_RENDER_BUF && flush(w) < 0)
            return w->status;
        size_t k = RG_ORIG_RENDER_BUF - w->buf_n < n ? RG_ORIG_RENDER_BUF - w->buf_n : n;
        char *dst = w->buf + w->buf_n;
        memcpy(dst, bases, k);
        transform(w->s, w->r, w->base, dst, k, &w->lower_i, &w->exc_i);
        w->buf_n += k;
        w->base += k;
        bases += k;
        n -= k;
    }
    return 0;
}

/* Writes everything that can be written with the n bases given: lines,
   insertions, line ends.  Stops when a base is needed and none is left
   (then, if final, the bases were too few). */
static int advance(rg_orig_render *w, const char *bases, size_t n, int final)
{
    const rg_orig_run *ins = RG_ORIG_AT(w->s->ins, w->r->ins_at);
    for (;;) {
        if (!w->line_open && !open_line(w))
            break;
        while (w->line_left) {
            if (w->ins_i < w->r->n_ins && ins[w->ins_i].pos == w->base) {
                uint64_t k = ins[w->ins_i].len - w->ins_done;
                if (k > w->line_left)
                    k = w->line_left;
                if (put_rep(w, (char)ins[w->ins_i].byte, k) < 0)
                    return w->status;
                w->line_left -= k;
                if ((w->ins_done += k) == ins[w->ins_i].len) {
                    w->ins_i++;
                    w->ins_done = 0;
                }
                continue;
            }
            if (n == 0)
                return final ? mismatch(w, "fewer bases") : 0;
            uint64_t k = w->line_left < n ? w->line_left : n;
            if (w->ins_i < w->r->n_ins && ins[w->ins_i].pos - w->base < k)
                k = ins[w->ins_i].pos - w->base;
            if (put_bases(w, bases, (size_t)k) < 0)
                return w->status;
            bases += k;
            n -= (size_t)k;
            w->line_left -= k;
        }
        if (put_eol(w) < 0)
            return w->status;
        w->line_open = 0;
    }
    if (n)
        return mismatch(w, "more bases");
    return 0;
}

int rg_orig_render_begin(rg_orig_render *w, const rg_orig_sample *s, size_t i, const char *name,
                         size_t name_len, rg_orig_sink sink, void *ctx)
{
    if (!w || !s || i >= s->n_rec || !sink || (name_len && !name))
        return RAGC_ERR_ARG;
    memset(w, 0, offsetof(rg_orig_render, buf));
    w->s = s;
    w->r = &s->rec[i];
    w->sink = sink;
    w->ctx = ctx;
    size_t hl;
    const uint8_t *h = rg_orig_record_header(s, i, &hl);
    if (put(w, ">", 1) < 0)
        return w->status;
    if (h ? put(w, (const char *)h, hl) < 0 : put(w, name, name_len) < 0)
        return w->status;
    return put_eol(w);
}

int rg_orig_render_bases(rg_orig_render *w, const char *bases, size_t n)
{
    if (!w || !w->r || (n && !bases))
        return RAGC_ERR_ARG;
    if (w->status)
        return w->status;
    return advance(w, bases, n, 0);
}

int rg_orig_render_end(rg_orig_render *w)
{
    if (!w || !w->r)
        return RAGC_ERR_ARG;
    if (w->status)
        return w->status;
    if (advance(w, NULL, 0, 1) < 0)
        return w->status;
    if (w->base != w->r->n_bases || w->ins_i != w->r->n_ins)
        return mismatch(w, "fewer bases");
    return flush(w);
}
