/* vfasta.c -- one sample of an archive seen as a FASTA file (ragc_vfasta,
   ragc.h). */
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>
#include <htslib/kstring.h>

#include "grow.h"
#include "ragc.h"

/* The rendered-text window: starts small for random access, doubles while
   reads continue where the last one ended. */
#define WINDOW_MIN ((size_t)64 << 10)
#define WINDOW_MAX ((size_t)1 << 20)

typedef struct {
    const char *name;    /* full stored name (owned by the archive) */
    size_t name_len;
    uint64_t hdr_off;    /* offset of '>' */
    uint64_t seq_off;    /* offset of the first base (just after the header line) */
    uint64_t end_off;    /* offset just past the contig's last newline */
    int64_t len;         /* bases */
} vf_contig;

struct ragc_vfasta {
    ragc_archive *arc;
    ragc_decoder *dec;
    int64_t sample;
    uint64_t width;      /* bases per line */
    int64_t n;
    vf_contig *ctg;
    uint64_t size;
    char *win;           /* rendered text [win_off, win_off + win_len) */
    uint64_t win_off;
    size_t win_len, win_cap, win_want;
    uint64_t last_end;   /* where the last rendering ended */
};

ragc_vfasta *ragc_vfasta_open(ragc_archive *arc, int64_t sample, uint32_t line_width, int *status)
{
    int st = RAGC_ERR_NOMEM;
    ragc_vfasta *vf = calloc(1, sizeof *vf);
    if (!vf)
        goto fail;
    vf->arc = arc;
    vf->sample = sample;
    vf->width = line_width ? line_width : RAGC_VFASTA_LINE_WIDTH;
    vf->win_want = WINDOW_MIN;
    if (!arc || sample < 0 || sample >= ragc_n_samples(arc)) {
        st = RAGC_ERR_NO_SAMPLE;
        goto fail;
    }
    if (!(vf->dec = ragc_decoder_init(arc, 0)))
        goto fail;
    int64_t n = ragc_n_contigs(arc, sample);
    if (n < 0) {
        st = (int)n;
        goto fail;
    }
    vf->n = n;
    if (n && !(vf->ctg = calloc((size_t)n, sizeof *vf->ctg)))
        goto fail;
    uint64_t off = 0;
    for (int64_t i = 0; i < n; i++) {
        vf_contig *c = &vf->ctg[i];
        c->name = ragc_contig_name(arc, sample, i);
        int64_t len = ragc_contig_length(arc, vf->dec, sample, i);
        if (!c->name || len < 0) {
            st = len < 0 ? (int)len : RAGC_ERR_FORMAT;
            goto fail;
        }
        c->name_len = strlen(c->name);
        c->len = len;
        c->hdr_off = off;
        c->seq_off = off + c->name_len + 2;
        uint64_t lines = ((uint64_t)len + vf->width - 1) / vf->width;
        c->end_off = c->seq_off + (uint64_t)len + lines;
        off = c->end_off;
    }
    vf->size = off;
    if (status)
        *status = RAGC_OK;
    return vf;
fail:
    if (status)
        *status = st;
    ragc_vfasta_close(vf);
    return NULL;
}

void ragc_vfasta_close(ragc_vfasta *vf)
{
    if (!vf)
        return;
    ragc_decoder_destroy(vf->dec);
    free(vf->ctg);
    free(vf->win);
    free(vf);
}

uint64_t ragc_vfasta_size(const ragc_vfasta *vf)
{
    return vf->size;
}

int64_t ragc_vfasta_n_contigs(const ragc_vfasta *vf)
{
    return vf->n;
}

int64_t ragc_vfasta_contig_length(const ragc_vfasta *vf, int64_t contig)
{
    return contig >= 0 && contig < vf->n ? vf->ctg[contig].len : RAGC_ERR_NO_CONTIG;
}

int64_t ragc_vfasta_contig_offset(const ragc_vfasta *vf, int64_t contig)
{
    return contig >= 0 && contig < vf->n ? (int64_t)vf->ctg[contig].seq_off : RAGC_ERR_NO_CONTIG;
}

const char *ragc_vfasta_contig_name(const ragc_vfasta *vf, int64_t contig)
{
    return contig >= 0 && contig < vf->n ? vf->ctg[contig].name : NULL;
}

int ragc_vfasta_stream(ragc_vfasta *vf, int64_t contig, int64_t from, int64_t to,
                     ragc_sink_fn sink, void *ctx)
{
    if (contig < 0 || contig >= vf->n)
        return RAGC_ERR_NO_CONTIG;
    return ragc_contig_stream(vf->dec, vf->sample, contig, from, to, sink, ctx);
}

/* Lays decoded bases out as text lines: position t (relative to the first
   base of the contig) up to t_end, newlines inserted where they belong. */
typedef struct {
    char *dst;
    uint64_t t, t_end, width, len;
} layout;

/* Is text position t of a contig (relative to its first base) a newline? */
static int is_newline(const layout *l, uint64_t t, uint64_t *room)
{
    uint64_t line = t / (l->width + 1), col = t % (l->width + 1);
    uint64_t on_line = l->len - line * l->width;
    if (on_line > l->width)
        on_line = l->width;
    if (col >= on_line)
        return 1;
    *room = on_line - col;
    return 0;
}

static int layout_sink(void *ctx, const char *seq, size_t n)
{
    layout *l = ctx;
    while (n) {
        if (l->t >= l->t_end)
            return 1;   /* more bases than the lengths promised */
        uint64_t room;
        if (is_newline(l, l->t, &room)) {
            *l->dst++ = '\n';
            l->t++;
            continue;
        }
        if (room > l->t_end - l->t)
            room = l->t_end - l->t;
        size_t k = room < n ? (size_t)room : n;
        memcpy(l->dst, seq, k);
        l->dst += k;
        l->t += k;
        seq += k;
        n -= k;
    }
    return 0;
}

/* First base at or after text position t (may be len). */
static uint64_t base_at(const vf_contig *c, uint64_t width, uint64_t t)
{
    uint64_t line = t / (width + 1), col = t % (width + 1);
    uint64_t b = line * width + (col < width ? col : width);
    return b < (uint64_t)c->len ? b : (uint64_t)c->len;
}

/* Renders the sequence text [t0, t1) of contig c into dst. */
static int render_seq(ragc_vfasta *vf, int64_t ci, uint64_t t0, uint64_t t1, char *dst)
{
    const vf_contig *c = &vf->ctg[ci];
    layout l = { dst, t0, t1, vf->width, (uint64_t)c->len };
    uint64_t b0 = base_at(c, vf->width, t0);
    /* one past the last base in [t0, t1) */
    uint64_t b1 = base_at(c, vf->width, t1 - 1);
    uint64_t room;
    if (!is_newline(&l, t1 - 1, &room))
        b1++;
    if (b1 > b0) {
        int r = ragc_contig_stream(vf->dec, vf->sample, ci, (int64_t)b0, (int64_t)b1 - 1,
                                   layout_sink, &l);
        if (r < 0) {
            if (r == RAGC_ERR_CALLBACK) {
                hts_log_error("contig %s: more bases than its stored length", c->name);
                r = RAGC_ERR_FORMAT;
            }
            return r;
        }
    }
    /* what is left can only be newlines; anything else means missing bases */
    while (l.t < t1) {
        if (!is_newline(&l, l.t, &room)) {
            hts_log_error("contig %s: fewer bases than its stored length", c->name);
            return RAGC_ERR_FORMAT;
        }
        *l.dst++ = '\n';
        l.t++;
    }
    return RAGC_OK;
}

/* Renders the text [off, off + len) (inside the file) into dst. */
/* The last contig whose header starts at or before off. */
static int64_t contig_at(const ragc_vfasta *vf, uint64_t off)
{
    int64_t lo = 0, hi = vf->n - 1;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo + 1) / 2;
        if (vf->ctg[mid].hdr_off <= off)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* [off, off + len) lies within one header line: no bases to decode. */
static int within_header(const ragc_vfasta *vf, uint64_t off, size_t len)
{
    if (vf->n == 0)
        return 0;
    const vf_contig *c = &vf->ctg[contig_at(vf, off)];
    return off >= c->hdr_off && off + len <= c->seq_off;
}

static int render(ragc_vfasta *vf, uint64_t off, char *dst, size_t len)
{
    for (int64_t i = contig_at(vf, off); len && i < vf->n; i++) {
        const vf_contig *c = &vf->ctg[i];
        if (off < c->seq_off) {   /* in the header line */
            uint64_t p = off - c->hdr_off;
            size_t k = (size_t)(c->seq_off - off) < len ? (size_t)(c->seq_off - off) : len;
            for (size_t j = 0; j < k; j++, p++)
                dst[j] = p == 0 ? '>' : p <= c->name_len ? c->name[p - 1] : '\n';
            dst += k;
            off += k;
            len -= k;
        }
        if (len && off < c->end_off) {
            size_t k = (size_t)(c->end_off - off) < len ? (size_t)(c->end_off - off) : len;
            int r = render_seq(vf, i, off - c->seq_off, off - c->seq_off + k, dst);
            if (r < 0)
                return r;
            dst += k;
            off += k;
            len -= k;
        }
    }
    return len ? RAGC_ERR_ARG : RAGC_OK;
}

int64_t ragc_vfasta_read(ragc_vfasta *vf, uint64_t offset, void *buf, size_t n)
{
    if (offset >= vf->size)
        return 0;
    if (n > vf->size - offset)
        n = (size_t)(vf->size - offset);
    if (n > INT64_MAX)
        n = INT64_MAX;
    char *out = buf;
    size_t done = 0;
    while (done < n) {
        uint64_t off = offset + done;
        if (off >= vf->win_off && off < vf->win_off + vf->win_len) {
            size_t k = (size_t)(vf->win_off + vf->win_len - off);
            if (k > n - done)
                k = n - done;
            memcpy(out + done, vf->win + (off - vf->win_off), k);
            done += k;
            continue;
        }
        /* a miss: widen the window while reading on, narrow it on a jump */
        if (off == vf->last_end && off)
            vf->win_want = vf->win_want * 2 <= WINDOW_MAX ? vf->win_want * 2 : WINDOW_MAX;
        else
            vf->win_want = WINDOW_MIN;
        size_t want = vf->win_want;
        if (want > vf->size - off)
            want = (size_t)(vf->size - off);
        /* a big read goes straight into the caller's buffer, and so does
           a read of header text alone (htslib's peek at the start of a file,
           which a seek then leaves): no window decoded for nothing */
        if (n - done >= want || within_header(vf, off, n - done)) {
            size_t k = n - done;
            int r = render(vf, off, out + done, k);
            if (r < 0)
                return r;
            done += k;
            vf->last_end = off + k;
            continue;
        }
        if (want > vf->win_cap) {
            char *w = rg_reserve(vf->win, &vf->win_cap, want, 1, WINDOW_MIN);
            if (!w)
                return RAGC_ERR_NOMEM;
            vf->win = w;
        }
        vf->win_len = 0;
        int r = render(vf, off, vf->win, want);
        if (r < 0)
            return r;
        vf->win_off = off;
        vf->win_len = want;
        vf->last_end = off + want;
    }
    return (int64_t)done;
}

int ragc_vfasta_fai(ragc_vfasta *vf, char **text, size_t *len)
{
    kstring_t out = KS_INITIALIZE;
    *text = NULL;
    *len = 0;
    for (int64_t i = 0; i < vf->n; i++) {
        const vf_contig *c = &vf->ctg[i];
        /* the name as samtools faidx takes it: the first word of the header */
        const char *s = c->name;
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\f' || *s == '\v')
            s++;
        size_t w = strcspn(s, " \t\r\n\f\v");
        /* as samtools faidx: a contig of one short line gives that line's
           length as the line width; an empty contig keeps the full width
           (a zero width would divide by zero in readers of the index) */
        uint64_t bases = c->len > 0 && (uint64_t)c->len < vf->width ? (uint64_t)c->len : vf->width;
        if (kputsn(s, w, &out) < 0 ||
            ksprintf(&out, "\t%" PRId64 "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\n", c->len,
                     c->seq_off, bases, bases + 1) < 0) {
            free(out.s);
            return RAGC_ERR_NOMEM;
        }
    }
    /* an empty sample still gives a (empty) string the caller can free */
    if (!out.s && kputs("", &out) < 0)
        return RAGC_ERR_NOMEM;
    *len = out.l;
    *text = ks_release(&out);
    return RAGC_OK;
}
