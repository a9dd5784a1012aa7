/* fasta_in.c -- FASTA input in agc's symbol codes (see fasta_in.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/bgzf.h>
#include <htslib/hts_log.h>
#include <htslib/kstring.h>

#include "fasta_in.h"
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
    BGZF *fp;
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
};

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

rg_fasta_in *rg_fasta_in_open(const char *path)
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
    f->line = 1;
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
    free(f->buf);
    free(f->path);
    free(f);
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

/* Reads the header line; f->buf[f->pos] is its '>'. */
static int read_header(rg_fasta_in *f, kstring_t *header)
{
    int r;
    f->pos++;  /* '>' */
    f->rec++;
    f->hdr_line = f->line;
    f->pending = 0;
    for (;;) {
        if ((r = fill(f)) < 0)
            return r;
        if (r == 0)
            break;
        const uint8_t *p = f->buf + f->pos;
        const uint8_t *nl = memchr(p, '\n', f->end - f->pos);
        size_t n = nl ? (size_t)(nl - p) : f->end - f->pos;
        if (kputsn((const char *)p, n, header) < 0) {
            hts_log_error("%s: out of memory", f->path);
            return f->status = RAGC_ERR_NOMEM;
        }
        f->pos += n;
        if (nl) {
            f->pos++;
            f->line++;
            f->line_off = f->buf_off + f->pos;
            break;
        }
    }
    if (header->l && header->s[header->l - 1] == '\r')
        header->s[--header->l] = '\0';
    if (header->l && memchr(header->s, '\r', header->l)) {
        hts_log_error("%s: record %llu (line %llu): carriage return inside the header line "
                      "(lines must end in \\n or \\r\\n)",
                      f->path, (unsigned long long)f->rec, (unsigned long long)f->hdr_line);
        return f->status = RAGC_ERR_FORMAT;
    }
    size_t i = 0;
    while (i < header->l && (header->s[i] == ' ' || header->s[i] == '\t'))
        i++;
    if (i == header->l) {
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

int rg_fasta_in_next(rg_fasta_in *f, kstring_t *header, rg_bytes *codes)
{
    if (codes)
        codes->len = 0;
    return rg_fasta_in_next_append(f, header, codes);
}

int rg_fasta_in_next_append(rg_fasta_in *f, kstring_t *header, rg_bytes *codes)
{
    int r;
    if (!f || !header || !codes)
        return RAGC_ERR_ARG;
    if (f->status)
        return f->status;
    header->l = 0;
    if (header->s)
        header->s[0] = '\0';
    if (!f->started) {
        f->started = 1;
        if ((r = find_first_header(f)) <= 0)
            return r;
    }
    if (!f->pending)
        return 0;
    if ((r = read_header(f, header)) < 0)
        return r;
    if ((r = read_sequence(f, header, codes)) < 0)
        return r;
    return 1;
}
