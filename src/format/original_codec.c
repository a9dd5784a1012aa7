/* original_codec.c -- a sample's original form as bytes and back
   (original.h; the format is docs/lossless.md section 3).

   Integers are LEB128 varints ("uvar": 7 bits a byte, low group first, the
   high bit says another byte follows): one byte below 128, and 64 bits
   wide.  agc's cvar (varint.h) is 32-bit only and its avar spends two bytes
   on every small value; the values here are mostly small gaps and lengths.
   Runs are written relative to the previous run (gaps), so that samples of
   one species give byte strings that differ only where their runs differ:
   the storage layer compresses a sample's blob with a previous one's as a
   zstd prefix.

   The parser checks every count against the bytes left before it
   allocates, and every position against the record's extent, so a corrupt
   blob is RAGC_ERR_FORMAT and never an over-read or a huge allocation. */
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "original.h"
#include "original_internal.h"
#include "varint.h"
#include "ragc.h"

/* Record flags. */
enum {
    F_HEADER = 1,
    F_LOWER = 2,
    F_EXC = 4,
    F_INS = 8,
    F_LOWER_ALL = 16,   /* every base lower case: one run, not written */
    F_ALL = 31
};

/* Smallest encodings, for the bounds on counts. */
#define MIN_RECORD 4   /* flags, n_lines, n_eols, one eol byte */

/* ---- writing ---- */

static int put_byte(rg_bytes *o, uint8_t c)
{
    return rg_bytes_append(o, &c, 1);
}

/* Case and exception runs: (gap from the previous run's end, length
   [, byte]). */
static int put_span_runs(rg_bytes *o, const rg_orig_run *v, size_t n, int with_byte)
{
    int r = rg_bytes_put_uvar(o, n);
    uint64_t end = 0;
    for (size_t i = 0; r == 0 && i < n; i++) {
        r = rg_bytes_put_uvar(o, v[i].pos - end);
        if (r == 0)
            r = rg_bytes_put_uvar(o, v[i].len);
        if (r == 0 && with_byte)
            r = put_byte(o, v[i].byte);
        end = v[i].pos + v[i].len;
    }
    return r;
}

/* Insertion runs: (gap from the previous run's position, count, byte). */
static int put_ins_runs(rg_bytes *o, const rg_orig_run *v, size_t n)
{
    int r = rg_bytes_put_uvar(o, n);
    uint64_t at = 0;
    for (size_t i = 0; r == 0 && i < n; i++) {
        r = rg_bytes_put_uvar(o, v[i].pos - at);
        if (r == 0)
            r = rg_bytes_put_uvar(o, v[i].len);
        if (r == 0)
            r = put_byte(o, v[i].byte);
        at = v[i].pos;
    }
    return r;
}

static int put_record(rg_bytes *o, const rg_orig_sample *s, const rg_orig_record *rec)
{
    const rg_orig_run *lo = RG_ORIG_AT(s->lower, rec->lower_at);
    int all_lower = rec->n_lower == 1 && lo->pos == 0 && lo->len == rec->n_bases;
    int flags = (rec->has_header ? F_HEADER : 0) | (all_lower ? F_LOWER_ALL : 0)
                | (rec->n_lower && !all_lower ? F_LOWER : 0) | (rec->n_exc ? F_EXC : 0)
                | (rec->n_ins ? F_INS : 0);
    int r = put_byte(o, (uint8_t)flags);
    if (r == 0 && rec->has_header) {
        r = rg_bytes_put_uvar(o, rec->header_len);
        if (r == 0)
            r = rg_bytes_append(o, rec->header_len ? s->bytes + rec->header_at : NULL, rec->header_len);
    }
    if (r == 0)
        r = rg_bytes_put_uvar(o, rec->n_lines);
    for (size_t i = 0; r == 0 && i < rec->n_lines; i++) {
        r = rg_bytes_put_uvar(o, s->lines[rec->lines_at + i].len);
        if (r == 0)
            r = rg_bytes_put_uvar(o, s->lines[rec->lines_at + i].count);
    }
    if (r == 0)
        r = rg_bytes_put_uvar(o, rec->n_eols);
    for (size_t i = 0; r == 0 && i < rec->n_eols; i++) {
        r = put_byte(o, s->eols[rec->eols_at + i].eol);
        if (r == 0 && i + 1 < rec->n_eols)   /* the last count follows from the lines */
            r = rg_bytes_put_uvar(o, s->eols[rec->eols_at + i].count);
    }
    if (r == 0 && (flags & F_LOWER))
        r = put_span_runs(o, lo, rec->n_lower, 0);
    if (r == 0 && rec->n_exc)
        r = put_span_runs(o, RG_ORIG_AT(s->exc, rec->exc_at), rec->n_exc, 1);
    if (r == 0 && rec->n_ins)
        r = put_ins_runs(o, RG_ORIG_AT(s->ins, rec->ins_at), rec->n_ins);
    return r;
}

int rg_orig_encode(const rg_orig_sample *s, rg_bytes *out)
{
    if (!s || !out)
        return RAGC_ERR_ARG;
    for (size_t i = 0; i < s->n_rec; i++)
        if (s->rec[i].n_eols == 0) {
            hts_log_error("original form: record %zu has no line end", i);
            return RAGC_ERR_ARG;
        }
    rg_bytes recs = {0}, sizes = {0};
    int r = 0;
    for (size_t i = 0; r == 0 && i < s->n_rec; i++) {
        size_t before = recs.len;
        r = put_record(&recs, s, &s->rec[i]);
        if (r == 0)
            r = rg_bytes_put_uvar(&sizes, recs.len - before);
    }
    if (r == 0)
        r = put_byte(out, RG_ORIG_VERSION);
    if (r == 0)
        r = rg_bytes_put_uvar(out, s->n_rec);
    if (r == 0)
        r = rg_bytes_put_uvar(out, s->preamble_len);
    if (r == 0)
        r = rg_bytes_append(out, s->bytes, s->preamble_len);
    if (r == 0)
        r = rg_bytes_put_uvar(out, sizes.len);
    if (r == 0)
        r = rg_bytes_append(out, sizes.s, sizes.len);
    if (r == 0)
        r = rg_bytes_append(out, recs.s, recs.len);
    rg_bytes_free(&recs);
    rg_bytes_free(&sizes);
    if (r)
        hts_log_error("original form: out of memory");
    return r;
}

/* ---- reading ---- */

typedef struct {
    const uint8_t *p, *end;
    const char *err;   /* first reason of failure */
} cur;

static size_t left(const cur *c)
{
    return (size_t)(c->end - c->p);
}

static int bad(cur *c, const char *why)
{
    if (!c->err)
        c->err = why;
    return -1;
}

static int get_uvar(cur *c, uint64_t *v, const char *what)
{
    rg_cursor rc = { c->p, c->end };
    if (rg_read_uvar(&rc, v) < 0)
        return bad(c, what);
    c->p = rc.p;
    return 0;
}

static int get_byte(cur *c, uint8_t *v, const char *what)
{
    if (c->p >= c->end)
        return bad(c, what);
    *v = *c->p++;
    return 0;
}

/* A count of items of at least min_bytes each, within the bytes left. */
static int get_count(cur *c, uint64_t *n, size_t min_bytes, const char *what)
{
    if (get_uvar(c, n, what) < 0)
        return -1;
    if (*n > left(c) / min_bytes)
        return bad(c, what);
    return 0;
}

static int add_ok(uint64_t *acc, uint64_t v)
{
    if (v > UINT64_MAX - *acc)
        return 0;
    *acc += v;
    return 1;
}

static int get_lines(cur *c, rg_orig_sample *s, rg_orig_record *rec)
{
    uint64_t n;
    if (get_count(c, &n, 2, "line layout count exceeds the record") < 0)
        return -1;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t len, count, bytes;
        if (get_uvar(c, &len, "truncated line layout") < 0
            || get_uvar(c, &count, "truncated line layout") < 0)
            return -1;
        if (count == 0)
            return bad(c, "line layout run of zero lines");
        if (len && count > UINT64_MAX / len)
            return bad(c, "line layout overflows");
        bytes = len * count;
        if (!add_ok(&rec->n_seq_bytes, bytes) || !add_ok(&rec->n_seq_lines, count))
            return bad(c, "line layout overflows");
        if (rg_orig_push_lines(s, len, count) < 0)
            return bad(c, "out of memory");
    }
    rec->n_lines = (size_t)n;
    return 0;
}

static int get_eols(cur *c, rg_orig_sample *s, rg_orig_record *rec)
{
    uint64_t n, total = 0;
    if (get_count(c, &n, 1, "line end count exceeds the record") < 0)
        return -1;
    if (n == 0)
        return bad(c, "record without line ends");
    if (rec->n_seq_lines == UINT64_MAX)
        return bad(c, "line layout overflows");
    uint64_t lines = rec->n_seq_lines + 1;   /* the header line too */
    for (uint64_t i = 0; i < n; i++) {
        uint8_t eol;
        uint64_t count;
        if (get_byte(c, &eol, "truncated line ends") < 0)
            return -1;
        if (eol > RG_ORIG_NONE)
            return bad(c, "unknown line end kind");
        if (i + 1 < n) {
            if (get_uvar(c, &count, "truncated line ends") < 0)
                return -1;
            if (count == 0 || count >= lines - total)
                return bad(c, "line end runs do not match the lines");
        } else {
            count = lines - total;
        }
        total += count;
        if (rg_orig_push_eols(s, eol, count) < 0)
            return bad(c, "out of memory");
    }
    rec->n_eols = (size_t)n;
    return 0;
}

/* Runs of case (with_byte 0) or exceptions: (gap, len[, byte]), within
   limit bases.  Returns the count. */
static int get_span_runs(cur *c, rg_orig_run **v, size_t *nv, size_t *cap, int with_byte,
                         uint64_t limit, size_t *count)
{
    uint64_t n, end = 0;
    if (get_count(c, &n, with_byte ? 3 : 2, "run count exceeds the record") < 0)
        return -1;
    if (n == 0)
        return bad(c, "empty run list flagged present");
    for (uint64_t i = 0; i < n; i++) {
        uint64_t gap, len;
        uint8_t byte = 0;
        if (get_uvar(c, &gap, "truncated runs") < 0 || get_uvar(c, &len, "truncated runs") < 0
            || (with_byte && get_byte(c, &byte, "truncated runs") < 0))
            return -1;
        if (len == 0)
            return bad(c, "run of length zero");
        if (gap > limit - end || len > limit - end - gap)
            return bad(c, "run beyond the record's bases");
        if (rg_orig_push_run(v, nv, cap, end + gap, len, byte) < 0)
            return bad(c, "out of memory");
        end += gap + len;
    }
    *count = (size_t)n;
    return 0;
}

static int get_ins_runs(cur *c, rg_orig_sample *s, rg_orig_record *rec)
{
    uint64_t n, at = 0, bytes = 0;
    if (get_count(c, &n, 3, "insertion count exceeds the record") < 0)
        return -1;
    if (n == 0)
        return bad(c, "empty run list flagged present");
    for (uint64_t i = 0; i < n; i++) {
        uint64_t gap, len;
        uint8_t byte;
        if (get_uvar(c, &gap, "truncated insertions") < 0
            || get_uvar(c, &len, "truncated insertions") < 0
            || get_byte(c, &byte, "truncated insertions") < 0)
            return -1;
        if (len == 0)
            return bad(c, "run of length zero");
        if (!add_ok(&at, gap) || !add_ok(&bytes, len) || bytes > rec->n_seq_bytes)
            return bad(c, "insertions exceed the record's bytes");
        if (rg_orig_push_run(&s->ins, &s->n_ins, &s->cap_ins, at, len, byte) < 0)
            return bad(c, "out of memory");
    }
    /* every insertion must stand before a base or right after the last */
    rec->n_bases = rec->n_seq_bytes - bytes;
    if (at > rec->n_bases)
        return bad(c, "insertion beyond the record's bases");
    rec->n_ins = (size_t)n;
    return 0;
}

/* One record's encoding, exactly [c->p, c->end). */
static int get_record(cur *c, rg_orig_sample *s)
{
    rg_orig_record *rec = rg_orig_push_record(s);
    if (!rec)
        return bad(c, "out of memory");
    uint8_t flags;
    if (get_byte(c, &flags, "empty record") < 0)
        return -1;
    if (flags & ~F_ALL)
        return bad(c, "unknown record flags");
    if ((flags & F_LOWER) && (flags & F_LOWER_ALL))
        return bad(c, "case runs and an all-lower-case record");
    if (flags & F_HEADER) {
        uint64_t len;
        if (get_uvar(c, &len, "truncated header") < 0)
            return -1;
        if (len > left(c))
            return bad(c, "header longer than the record");
        rec->has_header = 1;
        rec->header_len = (size_t)len;
        if (rg_orig_put_bytes(s, c->p, (size_t)len) < 0)
            return bad(c, "out of memory");
        c->p += len;
    }
    if (get_lines(c, s, rec) < 0 || get_eols(c, s, rec) < 0)
        return -1;
    /* The insertions come last but fix the base count the runs need. */
    const uint8_t *runs_at = c->p;
    uint64_t n;
    rec->n_bases = rec->n_seq_bytes;
    if (flags & F_LOWER) {   /* skip over, to reach the insertions */
        if (get_count(c, &n, 2, "run count exceeds the record") < 0)
            return -1;
        for (uint64_t i = 0; i < 2 * n; i++) {
            uint64_t v;
            if (get_uvar(c, &v, "truncated runs") < 0)
                return -1;
        }
    }
    if (flags & F_EXC) {
        if (get_count(c, &n, 3, "run count exceeds the record") < 0)
            return -1;
        for (uint64_t i = 0; i < n; i++) {
            uint64_t v;
            uint8_t b;
            if (get_uvar(c, &v, "truncated runs") < 0 || get_uvar(c, &v, "truncated runs") < 0
                || get_byte(c, &b, "truncated runs") < 0)
                return -1;
        }
    }
    if ((flags & F_INS) && get_ins_runs(c, s, rec) < 0)
        return -1;
    if (c->p != c->end)
        return bad(c, "bytes left over after a record");
    const uint8_t *end = c->p;
    c->p = runs_at;
    if ((flags & F_LOWER)
        && get_span_runs(c, &s->lower, &s->n_lower, &s->cap_lower, 0, rec->n_bases, &rec->n_lower) < 0)
        return -1;
    if ((flags & F_LOWER_ALL) && rec->n_bases) {
        if (rg_orig_push_run(&s->lower, &s->n_lower, &s->cap_lower, 0, rec->n_bases, 0) < 0)
            return bad(c, "out of memory");
        rec->n_lower = 1;
    }
    if ((flags & F_EXC)
        && get_span_runs(c, &s->exc, &s->n_exc, &s->cap_exc, 1, rec->n_bases, &rec->n_exc) < 0)
        return -1;
    c->p = end;
    return 0;
}

/* The blob's head: version, record count, preamble, size table extent. */
typedef struct {
    uint64_t n_rec;
    const uint8_t *preamble;
    size_t preamble_len;
    cur table;           /* the record size table */
    const uint8_t *recs; /* the first record */
} head;

static int get_head(cur *c, head *h, int *status)
{
    uint8_t version;
    uint64_t len;
    *status = RAGC_ERR_FORMAT;
    if (get_byte(c, &version, "empty blob") < 0)
        return -1;
    if (version != RG_ORIG_VERSION) {
        *status = RAGC_ERR_VERSION;
        return bad(c, "unsupported version");
    }
    if (get_uvar(c, &h->n_rec, "truncated record count") < 0
        || get_uvar(c, &len, "truncated preamble") < 0)
        return -1;
    if (len > left(c))
        return bad(c, "preamble longer than the blob");
    h->preamble = c->p;
    h->preamble_len = (size_t)len;
    c->p += len;
    if (get_uvar(c, &len, "truncated record size table") < 0)
        return -1;
    if (len > left(c) || h->n_rec > len || h->n_rec > (left(c) - len) / MIN_RECORD)
        return bad(c, "record size table exceeds the blob");
    h->table.p = c->p;
    h->table.end = c->p + len;
    h->table.err = NULL;
    h->recs = h->table.end;
    c->p = h->table.end;
    return 0;
}

/* The size of the record at `at`, the next entry of the size table, checked
   to fit in the blob c.  -1 (the reason in c->err) if not. */
static int next_record_size(cur *c, head *h, const uint8_t *at, uint64_t *size)
{
    if (get_uvar(&h->table, size, "truncated record size table") < 0) {
        c->err = h->table.err;
        return -1;
    }
    if (*size > (size_t)(c->end - at))
        return bad(c, "record larger than the blob");
    return 0;
}

/* Decodes the record of `size` bytes at `at` into s.  -1 (the reason in
   c->err) if it is malformed. */
static int decode_record_at(cur *c, const uint8_t *at, uint64_t size, rg_orig_sample *s)
{
    cur rc = {at, at + size, NULL};
    if (get_record(&rc, s) < 0) {
        c->err = rc.err;
        return -1;
    }
    return 0;
}

static int report(const cur *c, int status)
{
    hts_log_error("corrupt original-form data: %s", c->err ? c->err : "malformed");
    return status;
}

/* The start of decoding a blob into s: checks the arguments, empties s and
   reads the head into *c and *h.  Returns 0 or a RAGC_ERR_* status (the
   reason logged). */
static int start_decode(const uint8_t *blob, size_t len, rg_orig_sample *s, cur *c, head *h)
{
    if (!blob || !s)
        return RAGC_ERR_ARG;
    rg_orig_sample_clear(s);
    *c = (cur){blob, blob + len, NULL};
    int status;
    return get_head(c, h, &status) < 0 ? report(c, status) : 0;
}

int rg_orig_blob_records(const uint8_t *blob, size_t len, uint64_t *n_rec)
{
    if (!blob || !n_rec)
        return RAGC_ERR_ARG;
    cur c = {blob, blob + len, NULL};
    head h;
    int status;
    if (get_head(&c, &h, &status) < 0)
        return report(&c, status);
    *n_rec = h.n_rec;
    return 0;
}

int rg_orig_decode(const uint8_t *blob, size_t len, rg_orig_sample *s)
{
    cur c;
    head h;
    int status = start_decode(blob, len, s, &c, &h);
    if (status < 0)
        return status;
    status = RAGC_ERR_FORMAT;
    if (rg_orig_put_bytes(s, h.preamble, h.preamble_len) < 0) {
        bad(&c, "out of memory");
        goto fail;
    }
    s->preamble_len = h.preamble_len;
    const uint8_t *at = h.recs;
    for (uint64_t i = 0; i < h.n_rec; i++) {
        uint64_t size;
        if (next_record_size(&c, &h, at, &size) < 0 || decode_record_at(&c, at, size, s) < 0)
            goto fail;
        at += size;
    }
    if (h.table.p != h.table.end || at != c.end) {
        bad(&c, "bytes left over after the records");
        goto fail;
    }
    return 0;
fail:
    rg_orig_sample_clear(s);
    return report(&c, status);
}

int rg_orig_decode_record(const uint8_t *blob, size_t len, uint64_t i, rg_orig_sample *s)
{
    cur c;
    head h;
    int status = start_decode(blob, len, s, &c, &h);
    if (status < 0)
        return status;
    if (i >= h.n_rec) {
        hts_log_error("original form: no record %llu (the sample has %llu)",
                      (unsigned long long)i, (unsigned long long)h.n_rec);
        return RAGC_ERR_NO_CONTIG;
    }
    status = RAGC_ERR_FORMAT;
    const uint8_t *at = h.recs;
    uint64_t size = 0;
    for (uint64_t k = 0; k <= i; k++) {
        at += size;
        if (next_record_size(&c, &h, at, &size) < 0)
            goto fail;
    }
    if (decode_record_at(&c, at, size, s) < 0)
        goto fail;
    return 0;
fail:
    rg_orig_sample_clear(s);
    return report(&c, status);
}

int rg_orig_decode_record_at(const uint8_t *blob, size_t len, uint64_t from, uint64_t to, rg_orig_sample *s)
{
    if (!blob || !s || from > to || to > len)
        return RAGC_ERR_ARG;
    rg_orig_sample_clear(s);
    cur c = {blob, blob + len, NULL};
    if (decode_record_at(&c, blob + from, to - from, s) < 0) {
        rg_orig_sample_clear(s);
        return report(&c, RAGC_ERR_FORMAT);
    }
    return 0;
}

int rg_orig_blob_bases(const uint8_t *blob, size_t len, uint64_t *bases, uint64_t n, uint64_t *starts,
                       rg_orig_sample *scratch)
{
    cur c;
    head h;
    int status = start_decode(blob, len, scratch, &c, &h);
    if (status < 0)
        return status;
    if (h.n_rec != n) {
        hts_log_error("corrupt original-form data: %llu records, %llu expected",
                      (unsigned long long)h.n_rec, (unsigned long long)n);
        return RAGC_ERR_FORMAT;
    }
    const uint8_t *at = h.recs;
    for (uint64_t i = 0; i < h.n_rec; i++) {
        uint64_t size;
        rg_orig_sample_clear(scratch);   /* one record at a time: memory of the largest */
        if (next_record_size(&c, &h, at, &size) < 0 || decode_record_at(&c, at, size, scratch) < 0) {
            rg_orig_sample_clear(scratch);
            return report(&c, RAGC_ERR_FORMAT);
        }
        bases[i] = scratch->rec[0].n_bases;
        if (starts)
            starts[i] = (uint64_t)(at - blob);
        at += size;
    }
    if (starts)
        starts[h.n_rec] = (uint64_t)(at - blob);
    rg_orig_sample_clear(scratch);
    if (h.table.p != h.table.end || at != c.end) {
        bad(&c, "bytes left over after the records");
        return report(&c, RAGC_ERR_FORMAT);
    }
    return 0;
}
