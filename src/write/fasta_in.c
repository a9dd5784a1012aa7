/* fasta_in.c -- FASTA input in agc's symbol codes (see fasta_in.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include <htslib/bgzf.h>
#include <htslib/hfile.h>
#include <htslib/hts_log.h>
#include <htslib/kstring.h>
#include <libdeflate.h>

#include "fasta_in.h"
#include "original.h"
#include "ragc.h"

#define BUF_SIZE (256u * 1024u)

/* Byte classes: 1..16 = code + 1, else one of these. */
enum { C_BAD = 0, C_WS = 17, C_NL = 18 };

static const uint8_t byte_class[256] = {
    ['\n'] = C_NL, [' '] = C_WS, ['\t'] = C_WS, ['\r'] = C_WS, ['\v'] = C_WS, ['\f'] = C_WS,
    ['A'] = 1,  ['C'] = 2,  ['G'] = 3,  ['T'] = 4,  ['N'] = 5,  ['R'] = 6,  ['Y'] = 7,  ['S'] = 8,
    ['W'] = 9,  ['K'] = 10, ['M'] = 11, ['B'] = 12, ['D'] = 13, ['H'] = 14, ['V'] = 15, ['U'] = 16,
    ['a'] = 1,  ['c'] = 2,  ['g'] = 3,  ['t'] = 4,  ['n'] = 5,  ['r'] = 6,  ['y'] = 7,  ['s'] = 8,
    ['w'] = 9,  ['k'] = 10, ['m'] = 11, ['b'] = 12, ['d'] = 13, ['h'] = 14, ['v'] = 15, ['u'] = 16,
};

struct rg_fasta_in {
    BGZF *fp;             /* NULL when the whole file was inflated into buf */
    uint64_t whole_size;  /* then: its compressed size */
    char *path;
    uint8_t *buf;
    size_t pos, end;      /* unread bytes are buf[pos, end) */
    uint64_t buf_off;     /* file offset (decompressed) of buf[0] */
    uint64_t line;        /* line number of the byte at pos */
    uint64_t line_off;    /* file offset of the start of that line */
    uint64_t rec;         /* records started so far */
    uint64_t hdr_line;    /* line of the last header */
    int eof;              /* the stream is exhausted */
    int pending;          /* buf[pos] is the '>' of the next header */
    int started;          /* the first header was found */
    int status;           /* sticky error, 0 if none */
    /* lossless reading: the original form is built while reading */
    int lossless;
    rg_orig_builder ob;
    kstring_t raw;        /* the last header line after '>', without its line end */
    int raw_eol;          /* its line end */
    int in_record;        /* a header was read; its sequence is next */
};

/* A text longer than this before the first header line is not a FASTA
   file's preamble (comment lines) but some other file. */
#define MAX_PREAMBLE ((size_t)1 << 20)

/* 1 if bytes are available, 0 at the end, < 0 on error. */
static int fill(rg_fasta_in *f)
{
    if (f->pos < f->end)
        return 1;
    if (f->eof)
        return 0;
    f->buf_off += f->end;
    f->pos = f->end = 0;
    ssize_t n = bgzf_read(f->fp, f->buf, BUF_SIZE);
    if (n < 0) {
        hts_log_error("%s: read error (corrupt or truncated compressed data?)", f->path);
        return f->status = RAGC_ERR_IO;
    }
    if (n == 0) {
        f->eof = 1;
        return 0;
    }
    f->end = (size_t)n;
    return 1;
}

/* A printable rendering of a header for messages (escaped, shortened). */
static const char *show_name(const kstring_t *h, char *out, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; i < h->l && o + 8 < size; i++) {
        unsigned char c = (unsigned char)h->s[i];
        if (i >= 60) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        if (c >= 32 && c < 127 && c != '\\')
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, size - o, "\\x%02X", c);
    }
    out[o] = '\0';
    return out;
}

static const char *show_byte(unsigned char c, char *out, size_t size)
{
    if (c > 32 && c < 127)
        snprintf(out, size, "'%c'", c);
    else
        snprintf(out, size, "0x%02X", c);
    return out;
}

/* Plain gzip files (not BGZF) of up to WHOLE_GZIP_MAX bytes are inflated
   at once with libdeflate, three times as fast as the zlib stream bgzf
   reads them with (senterica-10's ten .gz files: 0.33 -> 0.1 s of CPU, on
   the thread that reads ahead while the others compress).  Larger files
   (a human chromosome) keep the stream, so that reading holds no more
   than a buffer; so does any file libdeflate does not inflate whole
   (standard input, damaged data, bytes after the last member), whose
   messages then stay bgzf's. */
#define WHOLE_GZIP_MAX ((size_t)8 << 20)
#define WHOLE_OUT_MAX ((size_t)256 << 20)

/* The file's bytes, if it is a regular file of 1..WHOLE_GZIP_MAX bytes. */
static uint8_t *slurp_small(const char *path, size_t *n)
{
    struct stat st;
    if (strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        (uint64_t)st.st_size > WHOLE_GZIP_MAX)
        return NULL;
    *n = (size_t)st.st_size;
    uint8_t *in = malloc(*n);
    FILE *fp = in ? fopen(path, "rb") : NULL;
    size_t got = fp ? fread(in, 1, *n, fp) : 0;
    if (fp)
        fclose(fp);
    if (got != *n) {
        free(in);
        return NULL;
    }
    return in;
}

/* Inflates every gzip member of in[0, n) into *out (malloc'ed, *out_n
   bytes).  1 on success, 0 if libdeflate cannot (or the output would pass
   WHOLE_OUT_MAX), RAGC_ERR_NOMEM. */
static int inflate_members(const uint8_t *in, size_t n, uint8_t **out, size_t *out_n)
{
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    size_t cap = n * 4 + 4096, len = 0, at = 0;   /* DNA inflates about 3.5 times */
    uint8_t *o = d ? malloc(cap) : NULL;
    int r = o ? 1 : RAGC_ERR_NOMEM;
    while (r == 1 && at < n) {
        size_t used_in = 0, used_out = 0;
        enum libdeflate_result e =
            libdeflate_gzip_decompress_ex(d, in + at, n - at, o + len, cap - len, &used_in, &used_out);
        if (e == LIBDEFLATE_INSUFFICIENT_SPACE && cap < WHOLE_OUT_MAX) {
            size_t want = cap * 2 < WHOLE_OUT_MAX ? cap * 2 : WHOLE_OUT_MAX;
            uint8_t *bigger = realloc(o, want);
            if (!bigger)
                r = RAGC_ERR_NOMEM;
            else {
                o = bigger;
                cap = want;
            }
        } else if (e != LIBDEFLATE_SUCCESS || used_in == 0) {
            r = 0;
        } else {
            at += used_in;
            len += used_out;
        }
    }
    if (d)
        libdeflate_free_decompressor(d);
    if (r != 1) {
        free(o);
        return r;
    }
    *out = o;
    *out_n = len;
    return 1;
}

/* Replaces f's bgzf stream of a small gzip file by its inflated bytes in
   buf; keeps the stream when that is not possible.  0 or RAGC_ERR_NOMEM. */
static int inflate_whole(rg_fasta_in *f)
{
    size_t n = 0, out_n = 0;
    uint8_t *in = slurp_small(f->path, &n), *out = NULL;
    int r = in ? inflate_members(in, n, &out, &out_n) : 0;
    free(in);
    if (r < 0) {
        hts_log_error("%s: out of memory", f->path);
        return r;
    }
    if (r == 1) {
        bgzf_close(f->fp);
        f->fp = NULL;
        free(f->buf);
        f->buf = out;
        f->end = out_n;
        f->eof = 1;
        f->whole_size = n;
    }
    return 0;
}

rg_fasta_in *rg_fasta_in_open(const char *path)
{
    return rg_fasta_in_open_mode(path, 0);
}

rg_fasta_in *rg_fasta_in_open_mode(const char *path, int lossless)
{
    if (!path) {
        hts_log_error("no input file name");
        return NULL;
    }
    rg_fasta_in *f = calloc(1, sizeof *f);
    if (!f || !(f->path = strdup(path)) || !(f->buf = malloc(BUF_SIZE))) {
        hts_log_error("%s: out of memory", path);
        goto fail;
    }
    errno = 0;
    f->fp = bgzf_open(path, "r");
    if (!f->fp) {
        hts_log_error("cannot open %s: %s", path, errno ? strerror(errno) : "unknown error");
        goto fail;
    }
    if (bgzf_compression(f->fp) == 1 && inflate_whole(f) < 0) {
        bgzf_close(f->fp);
        goto fail;
    }
    f->line = 1;
    if (lossless) {
        f->lossless = 1;
        if (rg_orig_builder_init(&f->ob, RG_ORIG_OUT_CODES) < 0 || rg_orig_begin_sample(&f->ob) < 0) {
            hts_log_error("%s: out of memory", path);
            if (f->fp)
                bgzf_close(f->fp);
            rg_orig_builder_free(&f->ob);
            goto fail;
        }
    }
    return f;
fail:
    if (f) {
        free(f->buf);
        free(f->path);
        free(f);
    }
    return NULL;
}

void rg_fasta_in_close(rg_fasta_in *f)
{
    if (!f)
        return;
    if (f->fp)
        bgzf_close(f->fp);
    if (f->lossless)
        rg_orig_builder_free(&f->ob);
    free(f->raw.s);
    free(f->buf);
    free(f->path);
    free(f);
}

uint64_t rg_fasta_in_raw_offset(const rg_fasta_in *f)
{
    if (!f->fp)
        return f->whole_size;
    off_t off = f->fp->fp ? htell(f->fp->fp) : -1;
    return off > 0 ? (uint64_t)off : 0;
}

uint64_t rg_fasta_in_line(const rg_fasta_in *f)
{
    return f ? f->hdr_line : 0;
}

/* Before the first record: skips empty lines and checks that the first
   other line starts with '>'.  Returns 1 (f->pending set), 0 (no records)
   or < 0. */
static int find_first_header(rg_fasta_in *f)
{
    int at_bol = 1, r;
    while ((r = fill(f)) > 0) {
        unsigned char c = f->buf[f->pos];
        if (at_bol && c == '>') {
            f->pending = 1;
            return 1;
        }
        uint8_t t = byte_class[c];
        if (t == C_NL) {
            f->pos++;
            f->line++;
            f->line_off = f->buf_off + f->pos;
            at_bol = 1;
        } else if (t == C_WS) {
            f->pos++;
            at_bol = 0;
        } else {
            char cb[16];
            hts_log_error("%s: not a FASTA file: found %s where a '>' header line was expected "
                          "(line %llu)%s", f->path, show_byte(c, cb, sizeof cb),
                          (unsigned long long)f->line, c == '@' ? "; FASTQ is not supported" : "");
            return f->status = RAGC_ERR_FORMAT;
        }
    }
    return r;
}

/* Reads the header line (f->buf[f->pos] is its '>') into f->raw and
   f->raw_eol: a "\r\n" line end is CRLF, a missing one (end of the file)
   NONE; any other '\r' stays in the bytes. */
static int read_header_line(rg_fasta_in *f)
{
    int r, eol = RG_ORIG_NONE;
    f->pos++;  /* '>' */
    f->rec++;
    f->hdr_line = f->line;
    f->pending = 0;
    f->raw.l = 0;
    for (;;) {
        if ((r = fill(f)) < 0)
            return r;
        if (r == 0)
            break;
        const uint8_t *p = f->buf + f->pos;
        const uint8_t *nl = memchr(p, '\n', f->end - f->pos);
        size_t n = nl ? (size_t)(nl - p) : f->end - f->pos;
        if (kputsn((const char *)p, n, &f->raw) < 0) {
            hts_log_error("%s: out of memory", f->path);
            return f->status = RAGC_ERR_NOMEM;
        }
        f->pos += n;
        if (nl) {
            f->pos++;
            f->line++;
            f->line_off = f->buf_off + f->pos;
            eol = RG_ORIG_LF;
            break;
        }
    }
    if (eol == RG_ORIG_LF && f->raw.l && f->raw.s[f->raw.l - 1] == '\r') {
        f->raw.s[--f->raw.l] = '\0';
        eol = RG_ORIG_CRLF;
    }
    if (!f->raw.s && kputsn("", 0, &f->raw) < 0)
        return f->status = RAGC_ERR_NOMEM;
    f->raw_eol = eol;
    return 0;
}

/* The name a header line gives: the line after '>' without a final '\r'.
   A '\r' elsewhere is refused (old Mac line ends would make one header of
   a whole file, and such names cannot be looked up); so is an empty name,
   unless the reader is lossless (the caller then names the record). */
static int header_name(rg_fasta_in *f, kstring_t *header)
{
    header->l = 0;
    size_t n = f->raw.l;
    if (n && f->raw.s[n - 1] == '\r')
        n--;
    if (kputsn(f->raw.s, n, header) < 0) {
        hts_log_error("%s: out of memory", f->path);
        return f->status = RAGC_ERR_NOMEM;
    }
    if (header->l && memchr(header->s, '\r', header->l)) {
        hts_log_error("%s: record %llu (line %llu): carriage return inside the header line "
                      "(lines must end in \\n or \\r\\n)",
                      f->path, (unsigned long long)f->rec, (unsigned long long)f->hdr_line);
        return f->status = RAGC_ERR_FORMAT;
    }
    size_t i = 0;
    while (i < header->l && (header->s[i] == ' ' || header->s[i] == '\t'))
        i++;
    if (i == header->l && !f->lossless) {
        hts_log_error("%s: record %llu (line %llu): empty name: nothing but blanks "
                      "follows '>'",
                      f->path, (unsigned long long)f->rec, (unsigned long long)f->hdr_line);
        return f->status = RAGC_ERR_FORMAT;
    }
    return 0;
}

/* Reads sequence lines up to the next header or the end of the file. */
static int read_sequence(rg_fasta_in *f, const kstring_t *header, rg_bytes *codes)
{
    int r, at_bol = 1;
    const size_t start = codes->len;
    while ((r = fill(f)) > 0) {
        if (at_bol) {
            if (f->buf[f->pos] == '>') {
                f->pending = 1;
                return 0;
            }
            at_bol = 0;
        }
        size_t avail = f->end - f->pos;
        if (rg_bytes_reserve(codes, avail) < 0) {
            hts_log_error("%s: out of memory", f->path);
            return f->status = RAGC_ERR_NOMEM;
        }
        const uint8_t *p = f->buf + f->pos, *end = f->buf + f->end;
        uint8_t *o = codes->s + codes->len;
        while (p < end) {
            uint8_t t = byte_class[*p++];
            if (t - 1u < 16u) {
                *o++ = (uint8_t)(t - 1);
            } else if (t == C_NL) {
                f->line++;
                f->line_off = f->buf_off + (uint64_t)(p - f->buf);
                at_bol = 1;
                break;
            } else if (t != C_WS) {
                codes->len = (size_t)(o - codes->s);
                uint64_t off = f->buf_off + (uint64_t)(p - 1 - f->buf);
                char nb[256], cb[16];
                hts_log_error("%s: record %llu (\"%s\"), line %llu, column %llu: character %s at "
                              "sequence position %llu cannot be stored in an AGC archive (only "
                              "ACGTNRYSWKMBDHVU, either case)",
                              f->path, (unsigned long long)f->rec, show_name(header, nb, sizeof nb),
                              (unsigned long long)f->line,
                              (unsigned long long)(off - f->line_off + 1),
                              show_byte(p[-1], cb, sizeof cb), (unsigned long long)(codes->len - start + 1));
                f->pos = (size_t)(p - f->buf);
                return f->status = RAGC_ERR_FORMAT;
            }
        }
        codes->len = (size_t)(o - codes->s);
        f->pos = (size_t)(p - f->buf);
    }
    return r;
}

/* Lossless: the lines before the first header are the preamble.  Refused
   as "not a FASTA file": a first non-blank line starting with '@' (FASTQ),
   a NUL byte (binary data), more than MAX_PREAMBLE bytes.  Returns 1
   (f->pending set), 0 (no header in the file) or < 0. */
static int preamble_line(rg_fasta_in *f, kstring_t *line, int eol, int *seen_text)
{
    size_t i = 0;
    while (i < line->l && byte_class[(uint8_t)line->s[i]] == C_WS)
        i++;
    if (!*seen_text && i < line->l) {
        *seen_text = 1;
        if (line->s[i] == '@') {
            hts_log_error("%s: not a FASTA file: line %llu starts with '@' where a '>' header "
                          "line was expected; FASTQ is not supported",
                          f->path, (unsigned long long)f->line);
            return f->status = RAGC_ERR_FORMAT;
        }
    }
    if (rg_orig_preamble(&f->ob, line->s, line->l, eol) < 0)
        return f->status = RAGC_ERR_NOMEM;
    line->l = 0;
    return 0;
}

static int read_preamble(rg_fasta_in *f)
{
    kstring_t line = { 0, 0, NULL };
    size_t total = 0;
    int r, at_bol = 1, seen_text = 0;
    while ((r = fill(f)) > 0) {
        const uint8_t *p = f->buf + f->pos;
        if (at_bol && *p == '>') {
            f->pending = 1;
            break;
        }
        size_t avail = f->end - f->pos;
        const uint8_t *nl = memchr(p, '\n', avail);
        size_t n = nl ? (size_t)(nl - p) : avail;
        if (memchr(p, '\0', n)) {
            hts_log_error("%s: not a FASTA file: binary data (a NUL byte) before the first '>' "
                          "header line (line %llu)", f->path, (unsigned long long)f->line);
            r = f->status = RAGC_ERR_FORMAT;
            break;
        }
        if ((total += n + 1) > MAX_PREAMBLE) {
            hts_log_error("%s: not a FASTA file: no '>' header line in the first %zu bytes",
                          f->path, MAX_PREAMBLE);
            r = f->status = RAGC_ERR_FORMAT;
            break;
        }
        if (kputsn((const char *)p, n, &line) < 0) {
            r = f->status = RAGC_ERR_NOMEM;
            break;
        }
        f->pos += n;
        at_bol = 0;
        if (nl) {
            int eol = RG_ORIG_LF;
            if (line.l && line.s[line.l - 1] == '\r') {
                line.l--;
                eol = RG_ORIG_CRLF;
            }
            f->pos++;
            at_bol = 1;
            if ((r = preamble_line(f, &line, eol, &seen_text)) < 0)
                break;
            f->line++;
        }
    }
    if (r == 0 && !at_bol)   /* a last line without line end */
        r = preamble_line(f, &line, RG_ORIG_NONE, &seen_text);
    free(line.s);
    if (r < 0 && f->status == RAGC_ERR_NOMEM)
        hts_log_error("%s: out of memory", f->path);
    return r < 0 ? r : f->pending;
}

/* Lossless: the sequence lines of the record whose header was read, through
   the original-form builder (which also gives agc's codes). */
static int read_sequence_lossless(rg_fasta_in *f, const char *name, size_t name_len, rg_bytes *codes)
{
    rg_orig_builder *b = &f->ob;
    int r = rg_orig_header(b, f->raw.s, f->raw.l, f->raw_eol, name, name_len);
    while (r == 0 && (r = fill(f)) > 0) {
        size_t used = 0;
        r = rg_orig_seq_text(b, f->buf + f->pos, f->end - f->pos, codes, &used);
        f->pos += used;
        if (r == 1)
            f->pending = 1;
    }
    if (r == 0)   /* the end of the file ends the last line */
        r = rg_orig_seq_eol(b, RG_ORIG_NONE);
    if (r >= 0)
        r = rg_orig_end_record(b);
    if (r >= 0)   /* line numbers for the next header's messages */
        f->line += b->s.rec[b->s.n_rec - 1].n_seq_lines;
    if (r < 0) {
        if (f->status == 0)
            f->status = r;
        return f->status;
    }
    return 0;
}

int rg_fasta_in_header(rg_fasta_in *f, kstring_t *header)
{
    int r;
    if (!f || !header)
        return RAGC_ERR_ARG;
    if (f->status)
        return f->status;
    header->l = 0;
    if (header->s)
        header->s[0] = '\0';
    if (f->in_record) {
        hts_log_error("%s: internal error: header read before the sequence", f->path);
        return f->status = RAGC_ERR_ARG;
    }
    if (!f->started) {
        f->started = 1;
        r = f->lossless ? read_preamble(f) : find_first_header(f);
        if (r <= 0)
            return r;
    }
    if (!f->pending)
        return 0;
    if ((r = read_header_line(f)) < 0 || (r = header_name(f, header)) < 0)
        return r;
    f->in_record = 1;
    return 1;
}

int rg_fasta_in_sequence(rg_fasta_in *f, const char *name, size_t name_len, rg_bytes *codes)
{
    if (!f || !codes || !name)
        return RAGC_ERR_ARG;
    if (f->status)
        return f->status;
    if (!f->in_record) {
        hts_log_error("%s: internal error: sequence read without a header", f->path);
        return f->status = RAGC_ERR_ARG;
    }
    f->in_record = 0;
    if (f->lossless)
        return read_sequence_lossless(f, name, name_len, codes);
    kstring_t h = { f->raw.l, f->raw.m, f->raw.s };   /* for messages only */
    return read_sequence(f, &h, codes);
}

/* The builder sees a header only in rg_fasta_in_sequence, so a header read
   but not yet followed by its sequence belongs to the next original form. */
int rg_fasta_in_take_original(rg_fasta_in *f, rg_orig_sample *out)
{
    if (!f || !out || !f->lossless)
        return RAGC_ERR_ARG;
    if (f->status)
        return f->status;
    int r = rg_orig_end_sample(&f->ob, out);
    if (r == 0)
        r = rg_orig_begin_sample(&f->ob);
    if (r < 0)
        f->status = r;
    return r;
}

void rg_fasta_in_exceptions(const rg_fasta_in *f, const rg_orig_run **runs, size_t *n)
{
    const rg_orig_sample *s = &f->ob.s;
    *runs = NULL;
    *n = 0;
    if (!f->lossless || s->n_rec == 0)
        return;
    const rg_orig_record *rec = &s->rec[s->n_rec - 1];
    *runs = RG_ORIG_AT(s->exc, rec->exc_at);
    *n = rec->n_exc;
}

int rg_fasta_in_next(rg_fasta_in *f, kstring_t *header, rg_bytes *codes)
{
    if (codes)
        codes->len = 0;
    return rg_fasta_in_next_append(f, header, codes);
}

int rg_fasta_in_next_append(rg_fasta_in *f, kstring_t *header, rg_bytes *codes)
{
    if (!codes)
        return RAGC_ERR_ARG;
    int r = rg_fasta_in_header(f, header);
    if (r <= 0)
        return r;
    if ((r = rg_fasta_in_sequence(f, header->s, header->l, codes)) < 0)
        return r;
    return 1;
}
