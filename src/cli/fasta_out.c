/* fasta_out.c -- FASTA record formatting and gzip members; see fasta_out.h. */
#include "fasta_out.h"

#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

#include "ragc.h"

int cli_fasta_init(cli_fasta *f, uint64_t line_len, int gzip_level)
{
    memset(f, 0, sizeof(*f));
    if (line_len == 0 || gzip_level < 0 || gzip_level > 9)
        return RAGC_ERR_ARG;
    f->line_len = line_len;
    f->gzip_level = gzip_level;
    return RAGC_OK;
}

void cli_fasta_free(cli_fasta *f)
{
    for (int i = 0; i < 10; i++)
        if (f->deflater[i])
            libdeflate_free_compressor(f->deflater[i]);
    free(f->out.s);
    free(f->text.s);
    memset(f, 0, sizeof(*f));
}

int cli_fasta_gzip(cli_fasta *f, int level, const char *s, size_t n)
{
    if (!f->deflater[level] && !(f->deflater[level] = libdeflate_alloc_compressor(level)))
        return RAGC_ERR_NOMEM;
    size_t bound = libdeflate_gzip_compress_bound(f->deflater[level], n);
    if (ks_resize(&f->out, f->out.l + bound + 1) < 0)
        return RAGC_ERR_NOMEM;
    size_t got = libdeflate_gzip_compress(f->deflater[level], s, n, f->out.s + f->out.l, bound);
    if (got == 0)
        return RAGC_ERR_NOMEM;
    f->out.l += got;
    return RAGC_OK;
}

int cli_fasta_drain(cli_fasta *f)
{
    if (!f->flush || f->out.l == 0)
        return RAGC_OK;
    int r = f->flush(f->flush_ctx, f->out.s, f->out.l);
    f->out.l = 0;
    f->flushed = 1;
    return r ? RAGC_ERR_IO : RAGC_OK;
}

int cli_fasta_begin(cli_fasta *f, const char *name, size_t name_len)
{
    f->col = 0;
    f->text.l = 0;
    if (f->gzip_level) {
        kstring_t h = { 0, 0, NULL };
        int r = RAGC_OK;
        if (kputc('>', &h) < 0 || kputsn(name, name_len, &h) < 0 || kputc('\n', &h) < 0)
            r = RAGC_ERR_NOMEM;
        if (r == RAGC_OK)
            r = cli_fasta_gzip(f, 1, h.s, h.l);
        free(h.s);
        return r;
    }
    if (kputc('>', &f->out) < 0 || kputsn(name, name_len, &f->out) < 0 || kputc('\n', &f->out) < 0)
        return RAGC_ERR_NOMEM;
    return RAGC_OK;
}

int cli_fasta_seq(void *fv, const char *seq, size_t len)
{
    cli_fasta *f = fv;
    kstring_t *dst = f->gzip_level ? &f->text : &f->out;
    while (len > 0) {
        uint64_t room = f->line_len - f->col;
        size_t n = len < room ? len : (size_t)room;
        if (ks_resize(dst, dst->l + n + 2) < 0)
            return RAGC_ERR_NOMEM;
        memcpy(dst->s + dst->l, seq, n);
        dst->l += n;
        f->col += n;
        seq += n;
        len -= n;
        if (f->col == f->line_len) {
            dst->s[dst->l++] = '\n';
            f->col = 0;
        }
    }
    if (!f->gzip_level && f->flush && (f->out.l >= f->flush_at || !f->flushed))
        return cli_fasta_drain(f);
    return RAGC_OK;
}

int cli_fasta_end(cli_fasta *f)
{
    kstring_t *dst = f->gzip_level ? &f->text : &f->out;
    if (f->col > 0) {
        if (kputc('\n', dst) < 0)
            return RAGC_ERR_NOMEM;
        f->col = 0;
    }
    if (f->gzip_level) {
        int r = cli_fasta_gzip(f, f->gzip_level, f->text.s ? f->text.s : "", f->text.l);
        f->text.l = 0;
        if (r < 0)
            return r;
    }
    return RAGC_OK;
}
