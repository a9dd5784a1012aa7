/* extract.c -- FASTA extraction engine; see extract.h. */
#include "extract.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts.h>

#include "cli.h"
#include "fasta_out.h"
#include "output.h"
#include "window.h"

/* Bytes gathered before a streaming write. */
#define FLUSH_BYTES (1u << 20)

size_t extract_cache_share(size_t budget)
{
    return budget / 2;
}

size_t extract_window_share(size_t budget)
{
    return budget - extract_cache_share(budget);
}

void extract_tasks_free(extract_task *tasks, size_t n)
{
    for (size_t i = 0; tasks && i < n; i++)
        free(tasks[i].header);
    free(tasks);
}

/* --- outputs: one open at a time, in task order ------------------------- */

typedef struct {
    const char *cmd;
    const extract_plan *plan;
    ragc_outfile file;
    int current;    /* index of the open output, -1 if none */
    int failed;
    cli_output_set done;   /* written, renamed when all are */
} outputs;

static int open_output(outputs *o, int idx)
{
    const char *path = o->plan->paths[idx];
    if (cli_output_open(&o->file, path) < 0) {
        cli_error(o->cmd, "cannot create '%s': %s", path, strerror(errno));
        return -1;
    }
    o->current = idx;
    return 0;
}

static int commit_output(outputs *o)
{
    if (o->current < 0)
        return 0;
    o->current = -1;
    if (cli_output_set_add(&o->done, &o->file) < 0) {
        cli_error(o->cmd, "write error: %s", strerror(errno));
        return -1;
    }
    return 0;
}

/* Makes output idx the open one, committing (and creating, if they had no
   contigs) every output before it. */
static int switch_output(outputs *o, int idx)
{
    if (o->current == idx)
        return 0;
    int next = o->current < 0 ? 0 : o->current + 1;
    if (commit_output(o) < 0)
        return -1;
    for (int i = next; i < idx; i++)
        if (open_output(o, i) < 0 || commit_output(o) < 0)
            return -1;
    return open_output(o, idx);
}

static int write_output(void *ctx, const char *s, size_t n)
{
    outputs *o = ctx;
    if (ragc_outfile_write(&o->file, s, n) < 0) {
        cli_error(o->cmd, "write error: %s", strerror(errno));
        o->failed = 1;
        return -1;
    }
    return 0;
}

static void abort_outputs(outputs *o)
{
    if (o->current >= 0)
        cli_output_abort(&o->file);
    o->current = -1;
    cli_output_set_abort(&o->done);
}

/* Every output written, then all renamed into place. */
static int finish_outputs(outputs *o)
{
    if (switch_output(o, o->plan->n_out - 1) < 0 || commit_output(o) < 0)
        return -1;
    if (cli_output_set_commit(&o->done) < 0) {
        cli_error(o->cmd, "cannot rename the output into place: %s", strerror(errno));
        return -1;
    }
    return 0;
}

static void report_decode_error(const char *cmd, const extract_plan *p, const extract_task *t, int r)
{
    cli_error(cmd, "cannot extract %s of sample %s: %s", t->header,
              ragc_sample_name(p->arc, t->sample), ragc_errmsg(r));
}

/* --- one thread: stream each contig straight to the output ------------- */

/* The sink of the streaming path: formats and counts the bases. */
typedef struct {
    cli_fasta *f;
    int64_t bases;
} counted_fasta;

static int counted_seq(void *ctx, const char *seq, size_t len)
{
    counted_fasta *c = ctx;
    c->bases += (int64_t)len;
    return cli_fasta_seq(c->f, seq, len);
}

static int run_streaming(const char *cmd, const extract_plan *p, extract_task *tasks, size_t n, outputs *o)
{
    ragc_decoder *dec = ragc_decoder_init(p->arc, 0);
    cli_fasta f;
    if (!dec || cli_fasta_init(&f, p->line_len, p->gzip_level) < 0) {
        ragc_decoder_destroy(dec);
        cli_error(cmd, "out of memory");
        return -1;
    }
    f.flush = write_output;
    f.flush_ctx = o;
    f.flush_at = FLUSH_BYTES;
    int ret = 0;
    for (size_t i = 0; i < n && !ret; i++) {
        extract_task *t = &tasks[i];
        if (switch_output(o, t->out) < 0) {
            ret = -1;
            break;
        }
        counted_fasta cf = { .f = &f };
        int r = cli_fasta_begin(&f, t->header, strlen(t->header));
        if (r == RAGC_OK)
            r = ragc_contig_stream(dec, t->sample, t->contig, t->from, t->to, counted_seq, &cf);
        if (r == RAGC_OK)
            r = cli_fasta_end(&f);
        if (r == RAGC_OK)
            r = cli_fasta_drain(&f);
        if (r < 0) {
            if (!o->failed)
                report_decode_error(cmd, p, t, r);
            ret = -1;
        } else if (p->written) {
            p->written(p->written_ctx, t, cf.bases, 1);
        }
    }
    cli_fasta_free(&f);
    ragc_decoder_destroy(dec);
    return ret;
}

/* --- threads: pieces decoded in parallel, written in order ------------- */

/* A piece of the output: bases [from, to] of a task's contig; the first
   piece of a record prints its header, the last its final newline. */
typedef struct {
    size_t task;
    int64_t from, to;
    int first, last;
} piece;

/* Bases a piece of a long contig holds: small enough that every thread
   can work on one while the window holds the others (threads * 2 pieces
   fit), large enough that the segment decoded twice at each piece boundary
   is a small cost. */
static int64_t piece_bases(const extract_plan *p)
{
    int64_t n = (int64_t)(p->window_bytes / 2 / (size_t)p->threads);
    const int64_t least = 256 << 10, most = 16 << 20;
    return n < least ? least : n > most ? most : n;
}

/* Splits every task into pieces.  Only contigs whose length the archive
   tells without decoding are split (their pieces decode by stored segment
   lengths); with gzip every record stays one piece, since agc writes it as
   one gzip member. */
static int make_pieces(const extract_plan *p, const extract_task *tasks, size_t n, piece **out, size_t *n_out)
{
    const int64_t step = piece_bases(p);
    size_t np = 0, cap = 0;
    piece *v = NULL;
    for (size_t i = 0; i < n; i++) {
        const extract_task *t = &tasks[i];
        int64_t len = p->gzip_level ? -1 : ragc_contig_length(p->arc, NULL, t->sample, t->contig);
        int64_t end = len > t->from ? (t->to < len - 1 ? t->to : len - 1) : t->from;
        for (int64_t a = t->from; a <= end; a += step) {
            if (hts_resize(piece, np + 1, &cap, &v, 0) < 0) {
                free(v);
                return -1;
            }
            int last = end - a < step;
            v[np++] = (piece){ .task = i, .from = a, .to = last ? t->to : a + step - 1,
                               .first = a == t->from, .last = last };
            if (last)
                break;
        }
    }
    *out = v;
    *n_out = np;
    return 0;
}

typedef struct {
    const extract_plan *plan;
    const extract_task *tasks;
    const piece *pieces;
    out_window *win;
    size_t chunk_bytes;
    int64_t *piece_bases;     /* bases of each piece, set by its worker before it is done */
} pool_shared;

typedef struct {
    pthread_t id;
    const pool_shared *sh;
    ragc_decoder *dec;
    cli_fasta f;
    size_t current;      /* the piece being decoded */
    int64_t bases;       /* bases of it so far */
} worker;

/* cli_fasta's flush: hands the formatted bytes to the window in chunks. */
static int hand_over(void *ctx, const char *s, size_t n)
{
    worker *w = ctx;
    while (n > 0) {
        size_t k = n < w->sh->chunk_bytes ? n : w->sh->chunk_bytes;
        if (out_window_put(w->sh->win, w->current, s, k) < 0)
            return -1;
        s += k;
        n -= k;
    }
    return 0;
}

static int count_bases(void *ctx, const char *seq, size_t len)
{
    worker *w = ctx;
    w->bases += (int64_t)len;
    return cli_fasta_seq(&w->f, seq, len);
}

/* Decodes one piece into the window.  A piece that is not its record's
   last must hold exactly the bases the stored lengths promise, or the
   next piece would start at the wrong place. */
static int decode_piece(worker *w, const piece *pc)
{
    const extract_task *t = &w->sh->tasks[pc->task];
    cli_fasta *f = &w->f;
    int r = RAGC_OK;
    f->out.l = 0;
    f->text.l = 0;
    w->bases = 0;
    if (pc->first)
        r = cli_fasta_begin(f, t->header, strlen(t->header));
    else
        f->col = (uint64_t)(pc->from - t->from) % f->line_len;   /* where the previous piece stopped */
    if (r == RAGC_OK)
        r = ragc_contig_stream(w->dec, t->sample, t->contig, pc->from, pc->to, count_bases, w);
    if (r == RAGC_OK && !pc->last && w->bases != pc->to - pc->from + 1)
        r = RAGC_ERR_FORMAT;
    if (r == RAGC_OK && pc->last)
        r = cli_fasta_end(f);
    if (r == RAGC_OK)
        r = cli_fasta_drain(f);
    return r;
}

static void *work(void *arg)
{
    worker *w = arg;
    int64_t p;
    while ((p = out_window_claim(w->sh->win)) >= 0) {
        w->current = (size_t)p;
        int r = decode_piece(w, &w->sh->pieces[p]);
        w->sh->piece_bases[p] = w->bases;   /* out_window_done publishes it to the writer */
        out_window_done(w->sh->win, (size_t)p, r);
    }
    return NULL;
}

/* The consumer: writes the pieces in order; after a failure, stops the
   workers. */
static int write_pieces(const char *cmd, const pool_shared *sh, size_t np, outputs *o)
{
    for (size_t i = 0; i < np; i++) {
        const extract_task *t = &sh->tasks[sh->pieces[i].task];
        int ok = !sh->pieces[i].first || switch_output(o, t->out) == 0;
        const char *s;
        size_t n;
        int status = 0;
        while (ok && out_window_next(sh->win, &s, &n, &status) == 1) {
            ok = write_output(o, s, n) == 0;
            out_window_release(sh->win);
        }
        if (ok && status < 0) {
            report_decode_error(cmd, sh->plan, t, status);
            ok = 0;
        }
        if (!ok) {
            out_window_stop(sh->win);
            return -1;
        }
        if (sh->plan->written)
            sh->plan->written(sh->plan->written_ctx, t, sh->piece_bases[i], sh->pieces[i].last);
    }
    return 0;
}

static int start_workers(const extract_plan *p, const pool_shared *sh, worker *ws)
{
    for (int i = 0; i < p->threads; i++) {
        worker *w = &ws[i];
        w->sh = sh;
        if (cli_fasta_init(&w->f, p->line_len, p->gzip_level) < 0 || !(w->dec = ragc_decoder_init(p->arc, 0)))
            return -1;
        w->f.flush = hand_over;
        w->f.flush_ctx = w;
        w->f.flush_at = sh->chunk_bytes;
    }
    return 0;
}

static int run_pool(const char *cmd, const extract_plan *p, extract_task *tasks, piece *pieces, size_t np,
                    outputs *o)
{
    int nt = p->threads, started = 0, ret = -1;
    /* Each thread formats up to a chunk (and a segment) before handing it
       over; those buffers come out of the window's budget too. */
    size_t chunk = p->window_bytes / 8 / (size_t)nt;
    chunk = chunk < (64u << 10) ? (64u << 10) : chunk > (1u << 20) ? (1u << 20) : chunk;
    size_t own = 2 * chunk * (size_t)nt;
    size_t held = p->window_bytes > own + chunk ? p->window_bytes - own : chunk;
    pool_shared sh = { .plan = p, .tasks = tasks, .pieces = pieces, .chunk_bytes = chunk };
    sh.win = out_window_init(np, held, 4 * (size_t)nt + 60);
    sh.piece_bases = calloc(np, sizeof(int64_t));
    worker *ws = calloc((size_t)nt, sizeof(worker));
    if (!sh.win || !sh.piece_bases || !ws || start_workers(p, &sh, ws) < 0) {
        cli_error(cmd, "cannot start %d threads", nt);
        goto done;
    }
    for (; started < nt; started++)
        if (pthread_create(&ws[started].id, NULL, work, &ws[started]) != 0)
            break;
    if (started == 0) {
        cli_error(cmd, "cannot start %d threads", nt);
        goto done;
    }
    ret = write_pieces(cmd, &sh, np, o);
done:
    if (sh.win)
        out_window_stop(sh.win);
    for (int i = 0; i < started; i++)
        pthread_join(ws[i].id, NULL);
    for (int i = 0; ws && i < nt; i++) {
        cli_fasta_free(&ws[i].f);
        ragc_decoder_destroy(ws[i].dec);
    }
    free(ws);
    free(sh.piece_bases);
    out_window_destroy(sh.win);
    return ret;
}

int extract_run(const char *cmd, const extract_plan *plan, extract_task *tasks, size_t n)
{
    outputs o = { .cmd = cmd, .plan = plan, .current = -1 };
    piece *pieces = NULL;
    size_t np = 0;
    if (plan->threads > 1 && make_pieces(plan, tasks, n, &pieces, &np) < 0) {
        cli_error(cmd, "out of memory");
        return 1;
    }
    int r = np > 1 ? run_pool(cmd, plan, tasks, pieces, np, &o) : run_streaming(cmd, plan, tasks, n, &o);
    free(pieces);
    if (r == 0)
        r = finish_outputs(&o);
    if (r < 0) {
        abort_outputs(&o);
        return 1;
    }
    return 0;
}
