/* original_build.c -- builds a sample's original form while its FASTA file
   is read (original.h).

   The per-byte work is one class lookup, one output lookup and a store, as
   in the plain reader: the loop stays in one case state (upper or lower)
   until a byte of another class comes, and only then records something. */
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "original.h"
#include "original_internal.h"
#include "ragc.h"

/* Byte classes.  The default (0) is an exception: any byte not listed. */
enum { C_EXC = 0, C_UPPER = 1, C_LOWER = 2, C_WS = 3, C_NL = 4 };

static const uint8_t byte_class[256] = {
    ['A'] = C_UPPER, ['C'] = C_UPPER, ['G'] = C_UPPER, ['T'] = C_UPPER,
    ['N'] = C_UPPER, ['R'] = C_UPPER, ['Y'] = C_UPPER, ['S'] = C_UPPER,
    ['W'] = C_UPPER, ['K'] = C_UPPER, ['M'] = C_UPPER, ['B'] = C_UPPER,
    ['D'] = C_UPPER, ['H'] = C_UPPER, ['V'] = C_UPPER, ['U'] = C_UPPER,
    ['a'] = C_LOWER, ['c'] = C_LOWER, ['g'] = C_LOWER, ['t'] = C_LOWER,
    ['n'] = C_LOWER, ['r'] = C_LOWER, ['y'] = C_LOWER, ['s'] = C_LOWER,
    ['w'] = C_LOWER, ['k'] = C_LOWER, ['m'] = C_LOWER, ['b'] = C_LOWER,
    ['d'] = C_LOWER, ['h'] = C_LOWER, ['v'] = C_LOWER, ['u'] = C_LOWER,
    [' '] = C_WS, ['\t'] = C_WS, ['\v'] = C_WS, ['\f'] = C_WS, ['\r'] = C_WS,
    ['\n'] = C_NL,   /* a line end in rg_orig_seq_text, an exception in a line */
};

/* agc's codes, in code order. */
static const char codes[] = "ACGTNRYSWKMBDHVU";

/* The builder's table: class << 8 | output byte, so that the byte loop
   needs one lookup per byte.  Built per builder (no shared mutable state). */
static void fill_table(uint16_t *t, int output)
{
    for (int c = 0; c < 256; c++) {
        const char *p = NULL;
        if (byte_class[c] == C_UPPER || byte_class[c] == C_LOWER)
            p = strchr(codes, c & ~0x20);
        uint8_t code = p ? (uint8_t)(p - codes) : 4;   /* exceptions are N */
        uint8_t out = output == RG_ORIG_OUT_CODES ? code : (uint8_t)codes[code];
        t[c] = (uint16_t)(byte_class[c] << 8 | out);
    }
}

int rg_orig_builder_init(rg_orig_builder *b, int output)
{
    if (!b || (output != RG_ORIG_OUT_ASCII && output != RG_ORIG_OUT_CODES))
        return RAGC_ERR_ARG;
    memset(b, 0, sizeof *b);
    uint16_t *t = malloc(256 * sizeof *t);
    if (!t)
        return RAGC_ERR_NOMEM;
    fill_table(t, output);
    b->table = t;
    return 0;
}

void rg_orig_builder_free(rg_orig_builder *b)
{
    if (!b)
        return;
    rg_orig_sample_free(&b->s);
    free((void *)b->table);
    b->table = NULL;
}

static int fail(rg_orig_builder *b, int status, const char *what)
{
    if (status == RAGC_ERR_NOMEM)
        hts_log_error("original form: out of memory");
    else
        hts_log_error("original form: %s", what);
    return b->status = status;
}

/* The common entry checks: a started sample, no sticky error. */
static int ready(rg_orig_builder *b)
{
    if (!b || !b->table)
        return RAGC_ERR_ARG;
    if (b->status)
        return b->status;
    if (!b->in_sample)
        return fail(b, RAGC_ERR_ARG, "no sample started");
    return 0;
}

int rg_orig_begin_sample(rg_orig_builder *b)
{
    if (!b || !b->table)
        return RAGC_ERR_ARG;
    rg_orig_sample_clear(&b->s);
    b->in_sample = 1;
    b->in_record = b->sealed_preamble = 0;
    b->base = b->line_bytes = b->lower_from = 0;
    b->lower = b->pending_cr = 0;
    b->status = 0;
    return 0;
}

static const char *eol_bytes(int eol, size_t *n)
{
    *n = eol == RG_ORIG_LF ? 1 : eol == RG_ORIG_CRLF ? 2 : 0;
    return eol == RG_ORIG_LF ? "\n" : "\r\n";
}

static int valid_eol(int eol)
{
    return eol == RG_ORIG_LF || eol == RG_ORIG_CRLF || eol == RG_ORIG_NONE;
}

int rg_orig_preamble(rg_orig_builder *b, const void *line, size_t len, int eol)
{
    int r = ready(b);
    if (r)
        return r;
    if (b->sealed_preamble)
        return fail(b, RAGC_ERR_ARG, "preamble line after the first header");
    if (!valid_eol(eol) || (len && !line))
        return fail(b, RAGC_ERR_ARG, "bad preamble line");
    size_t ne;
    const char *e = eol_bytes(eol, &ne);
    if ((r = rg_orig_put_bytes(&b->s, line, len)) < 0 || (r = rg_orig_put_bytes(&b->s, e, ne)) < 0)
        return fail(b, r, "");
    b->s.preamble_len = b->s.n_bytes;
    return 0;
}

/* Adds one line end to the open record (the last record). */
static int add_eol(rg_orig_builder *b, int eol)
{
    rg_orig_sample *s = &b->s;
    const rg_orig_record *r = &s->rec[s->n_rec - 1];
    if (s->n_eols > r->eols_at && s->eols[s->n_eols - 1].eol == eol) {
        s->eols[s->n_eols - 1].count++;
        return 0;
    }
    return rg_orig_push_eols(s, (uint8_t)eol, 1);
}

int rg_orig_header(rg_orig_builder *b, const void *raw, size_t len, int eol, const void *name,
                   size_t name_len)
{
    int r = ready(b);
    if (r)
        return r;
    if (b->in_record)
        return fail(b, RAGC_ERR_ARG, "header before the end of the previous record");
    if (!valid_eol(eol) || (len && !raw) || (name_len && !name))
        return fail(b, RAGC_ERR_ARG, "bad header line");
    b->sealed_preamble = 1;
    rg_orig_record *rec = rg_orig_push_record(&b->s);
    if (!rec)
        return fail(b, RAGC_ERR_NOMEM, "");
    if (len != name_len || (len && memcmp(raw, name, len) != 0)) {
        rec->has_header = 1;
        rec->header_len = len;
        if ((r = rg_orig_put_bytes(&b->s, raw, len)) < 0)
            return fail(b, r, "");
    }
    if ((r = add_eol(b, eol)) < 0)
        return fail(b, r, "");
    b->in_record = 1;
    b->base = b->line_bytes = 0;
    b->lower = b->pending_cr = 0;
    return 0;
}

/* The bytes of class other than the current case state, one at a time:
   base is the position of the base the byte would be. */
static int odd_byte(rg_orig_builder *b, uint8_t c, uint64_t base)
{
    rg_orig_sample *s = &b->s;
    const rg_orig_record *rec = &s->rec[s->n_rec - 1];
    switch (byte_class[c]) {   /* C_NL comes here only inside a line: an exception */
    case C_UPPER:  /* only reached in the lower state: the run ends */
        b->lower = 0;
        return rg_orig_push_run(&s->lower, &s->n_lower, &s->cap_lower, b->lower_from,
                                base - b->lower_from, 0);
    case C_LOWER:  /* only reached in the upper state: a run starts */
        b->lower = 1;
        b->lower_from = base;
        return 0;
    case C_WS:
        if (s->n_ins > rec->ins_at) {
            rg_orig_run *last = &s->ins[s->n_ins - 1];
            if (last->pos == base && last->byte == c) {
                last->len++;
                return 0;
            }
        }
        return rg_orig_push_run(&s->ins, &s->n_ins, &s->cap_ins, base, 1, c);
    default:       /* an exception; the case state goes on across it */
        if (s->n_exc > rec->exc_at) {
            rg_orig_run *last = &s->exc[s->n_exc - 1];
            if (last->pos + last->len == base && last->byte == c) {
                last->len++;
                return 0;
            }
        }
        return rg_orig_push_run(&s->exc, &s->n_exc, &s->cap_exc, base, 1, c);
    }
}

/* Converts the bytes of the current case state from *pp on, stopping
   before the first byte of another class (or at end): blocks of 16
   converted and checked without a branch per byte, then one at a time up
   to the first byte of another class.  (A per-block bit mask and ctz to
   find that byte measured slower: it costs on every block.) */
static void run_state(const uint16_t *tab, unsigned want, const uint8_t **pp, const uint8_t *end,
                      uint8_t **po)
{
    const uint8_t *p = *pp;
    uint8_t *o = *po;
    while (end - p >= 16) {
        unsigned odd = 0;
#define STEP(k)                                                                          \
    do {                                                                                 \
        uint16_t e_ = tab[p[k]];                                                         \
        odd |= (unsigned)(e_ >> 8) ^ want;                                               \
        o[k] = (uint8_t)e_;                                                              \
    } while (0)
        STEP(0); STEP(1); STEP(2); STEP(3); STEP(4); STEP(5); STEP(6); STEP(7);
        STEP(8); STEP(9); STEP(10); STEP(11); STEP(12); STEP(13); STEP(14); STEP(15);
#undef STEP
        if (odd)
            break;
        p += 16;
        o += 16;
    }
    while (p < end && (unsigned)(tab[*p] >> 8) == want)
        *o++ = (uint8_t)tab[*p++];
    *pp = p;
    *po = o;
}

/* Ends the current sequence line with eol. */
static int end_line(rg_orig_builder *b, int eol)
{
    rg_orig_sample *s = &b->s;
    rg_orig_record *rec = &s->rec[s->n_rec - 1];
    int r;
    if (s->n_lines > rec->lines_at && s->lines[s->n_lines - 1].len == b->line_bytes)
        s->lines[s->n_lines - 1].count++;
    else if ((r = rg_orig_push_lines(s, b->line_bytes, 1)) < 0)
        return r;
    if ((r = add_eol(b, eol)) < 0)
        return r;
    rec->n_seq_lines++;
    rec->n_seq_bytes += b->line_bytes;
    b->line_bytes = 0;
    return 0;
}

/* A '\r' held back by rg_orig_seq_text at the end of its input turned out
   not to start a "\r\n": it is an insertion. */
static int settle_cr(rg_orig_builder *b)
{
    if (!b->pending_cr)
        return 0;
    b->pending_cr = 0;
    b->line_bytes++;
    return odd_byte(b, '\r', b->base);
}

static int seq_checks(rg_orig_builder *b, const void *bytes, size_t len, rg_bytes *out)
{
    int r = ready(b);
    if (r)
        return r;
    if (!b->in_record)
        return fail(b, RAGC_ERR_ARG, "sequence line outside a record");
    if (!out || (len && !bytes))
        return fail(b, RAGC_ERR_ARG, "bad sequence line");
    if (rg_bytes_reserve(out, len) < 0)
        return fail(b, RAGC_ERR_NOMEM, "");
    return 0;
}

int rg_orig_seq(rg_orig_builder *b, const void *bytes, size_t len, rg_bytes *out)
{
    int r = seq_checks(b, bytes, len, out);
    if (r)
        return r;
    if ((r = settle_cr(b)) < 0)
        return fail(b, r, "");
    const uint8_t *p = bytes, *end = p + len;
    const uint16_t *tab = b->table;
    uint8_t *o0 = out->s + out->len, *o = o0;
    while (p < end) {
        run_state(tab, b->lower ? C_LOWER : C_UPPER, &p, end, &o);
        if (p == end)
            break;
        uint8_t c = *p++;
        if ((r = odd_byte(b, c, b->base + (uint64_t)(o - o0))) < 0) {
            out->len += (size_t)(o - o0);
            return fail(b, r, "");
        }
        if (byte_class[c] != C_WS)
            *o++ = (uint8_t)tab[c];
    }
    b->base += (uint64_t)(o - o0);
    b->line_bytes += len;
    out->len += (size_t)(o - o0);
    return 0;
}

int rg_orig_seq_text(rg_orig_builder *b, const void *bytes, size_t len, rg_bytes *out,
                     size_t *used)
{
    int r = seq_checks(b, bytes, len, out);
    if (r)
        return r;
    if (!used)
        return fail(b, RAGC_ERR_ARG, "bad sequence text");
    const uint8_t *p = bytes, *end = p + len;
    const uint16_t *tab = b->table;
    uint8_t *o0 = out->s + out->len, *o = o0;
    int header = 0;
    if (b->pending_cr && p < end) {
        if (*p == '\n') {
            b->pending_cr = 0;
            p++;
            r = end_line(b, RG_ORIG_CRLF);
        } else {
            r = settle_cr(b);
        }
        if (r < 0)
            return fail(b, r, "");
    }
    const uint8_t *line = p;   /* where the open line's bytes in this input start */
    while (p < end) {
        if (p == line && *p == '>' && b->line_bytes == 0 && !b->pending_cr) {
            header = 1;   /* a header line starts: the caller's business */
            break;
        }
        run_state(tab, b->lower ? C_LOWER : C_UPPER, &p, end, &o);
        if (p == end)
            break;
        uint8_t c = *p++;
        int eol = -1;
        if (c == '\n') {
            eol = RG_ORIG_LF;
        } else if (c == '\r' && p < end && *p == '\n') {
            eol = RG_ORIG_CRLF;
        } else if (c == '\r' && p == end) {
            b->line_bytes += (uint64_t)(p - 1 - line);
            b->pending_cr = 1;   /* the next input tells whether a '\n' follows */
            line = p;
            break;
        }
        if (eol >= 0) {
            b->line_bytes += (uint64_t)(p - 1 - line);
            p += eol == RG_ORIG_CRLF;
            line = p;
            r = end_line(b, eol);
        } else {
            r = odd_byte(b, c, b->base + (uint64_t)(o - o0));
            if (byte_class[c] != C_WS)
                *o++ = (uint8_t)tab[c];
        }
        if (r < 0) {
            out->len += (size_t)(o - o0);
            return fail(b, r, "");
        }
    }
    b->line_bytes += (uint64_t)(p - line);
    b->base += (uint64_t)(o - o0);
    out->len += (size_t)(o - o0);
    *used = (size_t)(p - (const uint8_t *)bytes);
    return header;
}

int rg_orig_seq_eol(rg_orig_builder *b, int eol)
{
    int r = ready(b);
    if (r)
        return r;
    if (!b->in_record)
        return fail(b, RAGC_ERR_ARG, "sequence line outside a record");
    if (!valid_eol(eol))
        return fail(b, RAGC_ERR_ARG, "bad line end");
    if ((r = settle_cr(b)) < 0)
        return fail(b, r, "");
    if (b->line_bytes == 0 && eol == RG_ORIG_NONE)
        return 0;   /* the end of the input after a line end: no line */
    if ((r = end_line(b, eol)) < 0)
        return fail(b, r, "");
    return 0;
}

int rg_orig_seq_line(rg_orig_builder *b, const void *bytes, size_t len, int eol, rg_bytes *out)
{
    int r = rg_orig_seq(b, bytes, len, out);
    return r ? r : rg_orig_seq_eol(b, eol);
}

int rg_orig_end_record(rg_orig_builder *b)
{
    int r = ready(b);
    if (r)
        return r;
    if (!b->in_record)
        return fail(b, RAGC_ERR_ARG, "end of a record that was not started");
    if (b->line_bytes || b->pending_cr)
        return fail(b, RAGC_ERR_ARG, "record ended inside a sequence line");
    rg_orig_sample *s = &b->s;
    if (b->lower) {
        b->lower = 0;
        if ((r = rg_orig_push_run(&s->lower, &s->n_lower, &s->cap_lower, b->lower_from,
                                  b->base - b->lower_from, 0)) < 0)
            return fail(b, r, "");
    }
    rg_orig_record *rec = &s->rec[s->n_rec - 1];
    rec->n_bases = b->base;
    rec->n_lines = s->n_lines - rec->lines_at;
    rec->n_eols = s->n_eols - rec->eols_at;
    rec->n_lower = s->n_lower - rec->lower_at;
    rec->n_exc = s->n_exc - rec->exc_at;
    rec->n_ins = s->n_ins - rec->ins_at;
    b->in_record = 0;
    return 0;
}

int rg_orig_end_sample(rg_orig_builder *b, rg_orig_sample *out)
{
    int r = ready(b);
    if (r)
        return r;
    if (!out)
        return fail(b, RAGC_ERR_ARG, "no output description");
    if (b->in_record && (r = rg_orig_end_record(b)) < 0)
        return r;
    rg_orig_sample_free(out);
    *out = b->s;
    memset(&b->s, 0, sizeof b->s);
    b->in_sample = 0;
    return 0;
}
