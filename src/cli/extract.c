/* extract.c -- FASTA extraction engine; see extract.h. */
#include "extract.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/thread_pool.h>

#include "cli.h"
#include "fasta_out.h"
#include "output.h"

/* Bytes gathered before a streaming write. */
#define FLUSH_BYTES (1u << 20)

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
    if (cli_output_commit(&o->file) < 0) {
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
}

static int finish_outputs(outputs *o)
{
    return switch_output(o, o->plan->n_out - 1) < 0 || commit_output(o) < 0 ? -1 : 0;
}

static void report_decode_error(const char *cmd, const extract_plan *p, const extract_task *t, int r)
{
    cli_error(cmd, "cannot extract %s of sample %s: %s", t->header,
              ragc_sample_name(p->arc, t->sample), ragc_errmsg(r));
}

/* --- one thread: stream each contig straight to the output ------------- */

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
        int r = cli_fasta_begin(&f, t->header, strlen(t->header));
        if (r == RAGC_OK)
            r = ragc_contig_stream(dec, t->sample, t->contig, t->from, t->to, cli_fasta_seq, &f);
        if (r == RAGC_OK)
            r = cli_fasta_end(&f);
        if (r == RAGC_OK)
            r = cli_fasta_drain(&f);
        if (r < 0) {
            if (!o->failed)
                report_decode_error(cmd, p, t, r);
            ret = -1;
        }
    }
    cli_fasta_free(&f);
    ragc_decoder_destroy(dec);
    return ret;
}

/* --- thread pool: decode whole records in parallel, write in order ----- */

typedef struct {
    pthread_mutex_t lock;
    ragc_decoder **free_list;
    int n_free;
} decoder_pool;

typedef struct {
    const extract_plan *plan;
    decoder_pool *pool;
    extract_task *task;
    kstring_t bytes;
    int status;
} job;

static ragc_decoder *take_decoder(decoder_pool *dp)
{
    pthread_mutex_lock(&dp->lock);
    ragc_decoder *d = dp->n_free > 0 ? dp->free_list[--dp->n_free] : NULL;
    pthread_mutex_unlock(&dp->lock);
    return d;
}

static void give_decoder(decoder_pool *dp, ragc_decoder *d)
{
    pthread_mutex_lock(&dp->lock);
    dp->free_list[dp->n_free++] = d;
    pthread_mutex_unlock(&dp->lock);
}

static void *decode_job(void *arg)
{
    job *j = arg;
    const extract_task *t = j->task;
    ragc_decoder *dec = take_decoder(j->pool);
    cli_fasta f;
    j->status = dec ? cli_fasta_init(&f, j->plan->line_len, j->plan->gzip_level) : RAGC_ERR_NOMEM;
    if (j->status == RAGC_OK) {
        j->status = cli_fasta_begin(&f, t->header, strlen(t->header));
        if (j->status == RAGC_OK)
            j->status = ragc_contig_stream(dec, t->sample, t->contig, t->from, t->to, cli_fasta_seq, &f);
        if (j->status == RAGC_OK)
            j->status = cli_fasta_end(&f);
        j->bytes = f.out;   /* hand the finished record over */
        f.out = (kstring_t){ 0, 0, NULL };
        cli_fasta_free(&f);
    }
    if (dec)
        give_decoder(j->pool, dec);
    return j;
}

/* Writes (or, after a failure, discards) the next finished record. */
static int collect_one(const char *cmd, const extract_plan *p, hts_tpool_process *q, outputs *o, int ok)
{
    hts_tpool_result *res = hts_tpool_next_result_wait(q);
    if (!res)
        return -1;
    job *j = hts_tpool_result_data(res);
    if (ok && j->status < 0) {
        report_decode_error(cmd, p, j->task, j->status);
        ok = 0;
    }
    if (ok && (switch_output(o, j->task->out) < 0 || write_output(o, j->bytes.s ? j->bytes.s : "", j->bytes.l) < 0))
        ok = 0;
    free(j->bytes.s);
    free(j);
    hts_tpool_delete_result(res, 0);
    return ok ? 0 : -1;
}

static int run_pool(const char *cmd, const extract_plan *p, extract_task *tasks, size_t n, outputs *o)
{
    int nt = p->threads;
    decoder_pool dp = { .n_free = 0 };
    if (pthread_mutex_init(&dp.lock, NULL) != 0) {
        cli_error(cmd, "cannot start %d threads", nt);
        return -1;
    }
    dp.free_list = calloc((size_t)nt, sizeof(ragc_decoder *));
    hts_tpool *pool = hts_tpool_init(nt);
    hts_tpool_process *q = pool ? hts_tpool_process_init(pool, 2 * nt, 0) : NULL;
    int ok = dp.free_list && pool && q;
    for (int i = 0; ok && i < nt; i++)
        if ((dp.free_list[dp.n_free] = ragc_decoder_init(p->arc, 0)))
            dp.n_free++;
        else
            ok = 0;
    if (!ok)
        cli_error(cmd, "cannot start %d threads", nt);

    size_t dispatched = 0, collected = 0;
    while (ok && dispatched < n) {
        job *j = calloc(1, sizeof(*j));
        if (!j) {
            cli_error(cmd, "out of memory");
            ok = 0;
            break;
        }
        *j = (job){ .plan = p, .pool = &dp, .task = &tasks[dispatched] };
        /* non-blocking dispatch: when the queue is full, write a result first */
        while (hts_tpool_dispatch2(pool, q, decode_job, j, 1) < 0) {
            if (errno != EAGAIN || collected == dispatched) {
                cli_error(cmd, "thread pool failure");
                free(j);
                j = NULL;
                ok = 0;
                break;
            }
            if (collect_one(cmd, p, q, o, ok) < 0)
                ok = 0;
            collected++;
        }
        if (j)
            dispatched++;
    }
    while (collected < dispatched) {
        if (collect_one(cmd, p, q, o, ok) < 0)
            ok = 0;
        collected++;
    }
    if (q)
        hts_tpool_process_destroy(q);
    if (pool)
        hts_tpool_destroy(pool);
    for (int i = 0; i < dp.n_free; i++)
        ragc_decoder_destroy(dp.free_list[i]);
    free(dp.free_list);
    pthread_mutex_destroy(&dp.lock);
    return ok ? 0 : -1;
}

int extract_run(const char *cmd, const extract_plan *plan, extract_task *tasks, size_t n)
{
    outputs o = { .cmd = cmd, .plan = plan, .current = -1 };
    int r = plan->threads > 1 && n > 1 ? run_pool(cmd, plan, tasks, n, &o)
                                       : run_streaming(cmd, plan, tasks, n, &o);
    if (r == 0)
        r = finish_outputs(&o);
    if (r < 0) {
        abort_outputs(&o);
        return 1;
    }
    return 0;
}
