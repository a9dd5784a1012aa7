/* get.c -- getcol, getset, getctg: agc's options and output. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <htslib/hts.h>

#include "cli.h"
#include "extract.h"
#include "file_name.h"
#include "original_out.h"
#include "progress.h"
#include "query.h"
#include "range_warn.h"
#include "same_file.h"

typedef struct {
    const char *out;
    int64_t line_len, threads, gzip, verbosity;
    int no_ref;
    int original;   /* --original: samples as their input files held them */
    int no_progress;   /* getcol --no-progress */
    uint64_t max_memory;   /* -m: decoded sequence held at once */
    int optind;
} get_opts;

/* -m's default: the window of decoded output and the cache of decoded
   archive parts together (docs/design.md, "Extraction"). */
#define DEFAULT_MAX_MEMORY ((uint64_t)48 << 20)

/* The options the three commands share; each help adds its own. */
#define GET_COMMON_OPTIONS \
    "   -g INT      gzip the output with this level (1-9; 0 = plain) [0]\n" \
    "   -l INT      line length (40 to 2000000000) [80]\n" \
    "   -m, --max-memory SIZE  decoded sequence held at once, K/M/G suffix [48M]\n" \
    "   -t, -@ INT  number of threads [half the cores]\n" \
    "   -v INT      verbosity level [0]\n"

static const char GETSET_OPTIONS[] =
    "   -o FILE     output file [standard output]\n"
    GET_COMMON_OPTIONS
    "   -p, -s      accepted for agc compatibility (no effect)\n"
    "   --original  each sample byte for byte as its input file held it\n"
    "               (its own headers and line layout, so not with -l)\n";

static const char GETCTG_OPTIONS[] =
    "   -o FILE     output file [standard output]\n"
    GET_COMMON_OPTIONS
    "   -p, -s      accepted for agc compatibility (no effect)\n"
    "Queries: contig, contig@sample, contig:from-to, contig@sample:from-to.\n"
    "Ranges are 0-based and inclusive, as agc (contig:0-9 is the first 10 bases;\n"
    "ragc faidx regions are 1-based, as samtools: contig:1-10).\n";

static const char GETCOL_OPTIONS[] =
    "   -o DIR      an existing directory: one DIR/SAMPLE.fa per sample (.fa.gz with -g;\n"
    "               '%' and '/' in names written %25 and %2F) [standard output]\n"
    GET_COMMON_OPTIONS
    "   -r          leave out the reference sample\n"
    "   -p, -s, -f  accepted for agc compatibility (no effect)\n"
    "   --original  each sample byte for byte as its input file held it\n"
    "               (its own headers and line layout, so not with -l)\n"
    "   --no-progress  no progress line on a terminal (docs/cli.md)\n";

/* What a command takes beyond the common options. */
enum { GET_ORIGINAL = 1, GET_PROGRESS = 2 };

/* Options of agc's getcol/getset/getctg plus samtools' -@ (and, as
   `extra` says, --original and --no-progress), then the operands (see
   cli_check_operands).  Returns 0, 1 on error, -1 after -h. */
static int parse_get_opts(const char *cmd, const char *usage, const char *help, const char *no_second,
                          int extra, int argc, char **argv, get_opts *o)
{
    static const struct option longopts[] = { { "help", no_argument, NULL, 'h' },
                                              { "original", no_argument, NULL, 'O' },
                                              { "no-progress", no_argument, NULL, 'Q' },
                                              { "max-memory", required_argument, NULL, 'm' },
                                              { NULL, 0, NULL, 0 } };
    *o = (get_opts){ .line_len = 80, .threads = cli_default_threads(), .max_memory = DEFAULT_MAX_MEMORY };
    cli_reader_warnings();
    int c, line_len_given = 0;
    cli_getopt_restart();
    while ((c = getopt_long(argc, argv, ":g:l:m:o:t:@:v:psfrh", longopts, NULL)) >= 0) {
        switch (c) {
        case 'g':
            if (cli_int_option(cmd, 'g', optarg, 0, 9, &o->gzip) < 0) return 1;
            break;
        case 'l':
            if (cli_int_option(cmd, 'l', optarg, 40, 2000000000, &o->line_len) < 0) return 1;
            line_len_given = 1;
            break;
        case 't':
        case '@':
            if (cli_int_option(cmd, (char)c, optarg, 1, 256, &o->threads) < 0) return 1;
            break;
        case 'v':
            if (cli_int_option(cmd, 'v', optarg, 0, 2, &o->verbosity) < 0) return 1;
            break;
        case 'm':
            if (cli_size_option(cmd, "-m", optarg, (uint64_t)1 << 20, (uint64_t)1 << 40, &o->max_memory) < 0)
                return 1;
            break;
        case 'o': o->out = optarg; break;
        case 'r': o->no_ref = 1; break;
        case 'O':
        case 'Q':
            if (!(extra & (c == 'O' ? GET_ORIGINAL : GET_PROGRESS))) {
                cli_error(cmd, "unknown option %s (see ragc %s -h)", argv[optind - 1], cmd);
                return 1;
            }
            *(c == 'O' ? &o->original : &o->no_progress) = 1;
            break;
        case 'p': case 's': case 'f': break;
        case 'h':
            cli_usage(cmd, usage, help);
            return -1;
        default:
            cli_bad_option(cmd, c, argv[optind - 1]);
            return 1;
        }
    }
    o->optind = optind;
    if (o->original && line_len_given) {
        /* --original keeps the input's own line layout */
        cli_error(cmd, "-l cannot be used with --original");
        return 1;
    }
    if (cli_check_operands(cmd, usage, no_second, argc, optind) < 0)
        return 1;
    return cli_output_is_input(cmd, o->out, &argv[optind], 1);
}

/* The cache of decoded archive parts takes its share of -m. */
static void limit_cache(ragc_archive *arc, const get_opts *o)
{
    ragc_set_cache_bytes(arc, extract_cache_share((size_t)o->max_memory));
}

/* Adds a whole-contig task for every contig of a sample. */
static int add_sample_tasks(const char *cmd, ragc_archive *arc, int64_t s, int out,
                            extract_task **tasks, size_t *n, size_t *cap)
{
    int64_t nc = ragc_n_contigs(arc, s);
    if (nc < 0) {
        cli_error(cmd, "cannot read sample %s: %s", ragc_sample_name(arc, s), ragc_errmsg((int)nc));
        return -1;
    }
    for (int64_t c = 0; c < nc; c++) {
        if (hts_resize(extract_task, *n + 1, cap, tasks, 0) < 0)
            goto nomem;
        extract_task *t = &(*tasks)[*n];
        *t = (extract_task){ .sample = s, .contig = c, .from = 0, .to = INT64_MAX, .out = out };
        if (!(t->header = strdup(ragc_contig_name(arc, s, c))))
            goto nomem;
        (*n)++;
    }
    return 0;
nomem:
    cli_error(cmd, "out of memory");
    return -1;
}

static int run_plan(const char *cmd, ragc_archive *arc, const get_opts *o, char **paths, int n_out,
                    extract_task *tasks, size_t n)
{
    extract_plan plan = { .arc = arc, .threads = (int)o->threads, .line_len = (uint64_t)o->line_len,
                          .gzip_level = (int)o->gzip, .n_out = n_out, .paths = paths,
                          .window_bytes = extract_window_share((size_t)o->max_memory) };
    return extract_run(cmd, &plan, tasks, n);
}

/* getcol's progress line: samples and bases written; the contig lengths
   (from the stored segment lengths, nothing decoded) give the total. */
typedef struct {
    cli_progress line;
    const extract_task *tasks;
    size_t n;
    uint64_t total;   /* bases in all, 0 when a length is not known */
} getcol_progress;

static void on_written(void *ctx, const extract_task *t, int64_t bases, int task_done)
{
    getcol_progress *g = ctx;
    g->line.bases += (uint64_t)(bases > 0 ? bases : 0);
    if (task_done && (t == &g->tasks[g->n - 1] || t[1].sample != t->sample))
        g->line.samples++;
    if (g->total)
        g->line.fraction = (double)g->line.bases / (double)g->total;
    cli_progress_update(&g->line, 0);
}

/* getcol without --original: the samples' contigs in order, with the
   progress line when standard error (and not standard output, which the
   FASTA would share) is a terminal. */
static int getcol_run(const char *cmd, ragc_archive *arc, const get_opts *o, char **paths, int n_out,
                      extract_task *tasks, size_t n, int64_t n_samples)
{
    getcol_progress g = { .tasks = tasks, .n = n };
    cli_progress_init(&g.line, cmd, !o->no_progress && (o->out || !isatty(STDOUT_FILENO)));
    extract_plan plan = { .arc = arc, .threads = (int)o->threads, .line_len = (uint64_t)o->line_len,
                          .gzip_level = (int)o->gzip, .n_out = n_out, .paths = paths,
                          .window_bytes = extract_window_share((size_t)o->max_memory) };
    if (g.line.on) {
        g.line.n_samples = (uint64_t)n_samples;
        for (size_t i = 0; i < n; i++) {
            int64_t len = ragc_contig_length(arc, NULL, tasks[i].sample, tasks[i].contig);
            if (len < 0) {
                g.total = 0;
                break;
            }
            g.total += (uint64_t)len;
        }
        plan.written = on_written;
        plan.written_ctx = &g;
    }
    int r = extract_run(cmd, &plan, tasks, n);
    if (r == 0)
        cli_progress_end(&g.line);
    else
        cli_progress_clear(&g.line);
    return r;
}

/* getset --original: the named samples (all known to exist), in order. */
static int getset_original(const char *cmd, ragc_archive *arc, const get_opts *o, char **argv, int argc)
{
    size_t n = (size_t)(argc - o->optind - 1);
    int64_t *samples = malloc(n * sizeof(int64_t));
    if (!samples) {
        cli_error(cmd, "out of memory");
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        samples[i] = ragc_sample_index(arc, argv[o->optind + 1 + (int)i]);
    char *path = (char *)o->out;
    int r = original_run(cmd, arc, samples, n, &path, 0, (int)o->gzip);
    free(samples);
    return r;
}

int cmd_getset(int argc, char **argv)
{
    const char *cmd = "getset";
    get_opts o;
    int r = parse_get_opts(cmd, "[options] <in.agc> <sample1> [<sample2> ...]", GETSET_OPTIONS,
                           "no sample name", GET_ORIGINAL, argc, argv,
                           &o);
    ragc_archive *arc = cli_open_parsed(cmd, r, argv, o.optind, &r);
    if (!arc)
        return r;
    limit_cache(arc, &o);
    /* agc checks every sample before printing anything */
    for (int a = o.optind + 1; a < argc; a++)
        if (ragc_sample_index(arc, argv[a]) < 0) {
            cli_error(cmd, "there is no sample %s", argv[a]);
            ragc_close(arc);
            return 1;
        }
    char *path = (char *)o.out;
    if (o.original) {
        r = getset_original(cmd, arc, &o, argv, argc);
        ragc_close(arc);
        return r;
    }
    extract_task *tasks = NULL;
    size_t n = 0, cap = 0;
    r = 0;
    for (int a = o.optind + 1; !r && a < argc; a++)
        r = add_sample_tasks(cmd, arc, ragc_sample_index(arc, argv[a]), 0, &tasks, &n, &cap);
    if (!r)
        r = run_plan(cmd, arc, &o, &path, 1, tasks, n);
    extract_tasks_free(tasks, n);
    ragc_close(arc);
    return r ? 1 : 0;
}

static int is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* getcol -o DIR: DIR/SAMPLE.fa (.fa.gz with -g; SAMPLE as file_name.h
   writes it) for samples [first, ns) in paths[0..ns-first); NULL paths when
   there is no DIR (standard output).  No file may be the archive itself. */
static int getcol_paths(const char *cmd, ragc_archive *arc, const char *archive, const get_opts *o,
                        int64_t first, int64_t ns, char **paths)
{
    for (int64_t s = first; o->out && s < ns; s++) {
        char *name = cli_sample_file_name(ragc_sample_name(arc, s));
        size_t len = strlen(o->out) + (name ? strlen(name) : 0) + 16;
        char *p = paths[s - first] = name ? malloc(len) : NULL;
        if (p)
            snprintf(p, len, "%s/%s.fa%s", o->out, name, o->gzip ? ".gz" : "");
        free(name);
        if (!p) {
            cli_error(cmd, "out of memory");
            return -1;
        }
        char *inputs[1] = { (char *)archive };
        if (cli_output_is_input(cmd, p, inputs, 1))
            return -1;
    }
    return 0;
}

/* getcol --original: samples [first, ns), each to its own file with -o. */
static int getcol_original(const char *cmd, ragc_archive *arc, const get_opts *o, int64_t first, int64_t ns,
                           char **paths)
{
    size_t n = (size_t)(ns - first);
    int64_t *samples = malloc((n ? n : 1) * sizeof(int64_t));
    if (!samples) {
        cli_error(cmd, "out of memory");
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        samples[i] = first + (int64_t)i;
    int r = original_run(cmd, arc, samples, n, paths, o->out != NULL, (int)o->gzip);
    free(samples);
    return r;
}

int cmd_getcol(int argc, char **argv)
{
    const char *cmd = "getcol";
    get_opts o;
    int r = parse_get_opts(cmd, "[options] <in.agc>", GETCOL_OPTIONS, NULL, GET_ORIGINAL | GET_PROGRESS,
                           argc, argv, &o);
    if (r)
        return r < 0 ? 0 : r;
    if (o.out && !is_directory(o.out)) {
        cli_error(cmd, "-o must name an existing directory: %s", o.out);
        return 1;
    }
    ragc_archive *arc = cli_open_archive(cmd, argv[o.optind]);
    if (!arc)
        return 1;
    limit_cache(arc, &o);
    int64_t ns = ragc_n_samples(arc);
    int64_t first = o.no_ref && ns > 0 ? 1 : 0;   /* -r drops agc's first listed sample */
    int n_out = o.out ? (int)(ns - first) : 1;
    char **paths = calloc((size_t)(n_out > 0 ? n_out : 1), sizeof(char *));
    extract_task *tasks = NULL;
    size_t n = 0, cap = 0;
    r = !paths;
    if (r)
        cli_error(cmd, "out of memory");
    if (!r)
        r = getcol_paths(cmd, arc, argv[o.optind], &o, first, ns, paths) < 0;
    if (!r && o.original) {
        r = getcol_original(cmd, arc, &o, first, ns, paths);
    } else {
        for (int64_t s = first; !r && s < ns; s++)
            r = add_sample_tasks(cmd, arc, s, o.out ? (int)(s - first) : 0, &tasks, &n, &cap) < 0;
        if (!r && n_out > 0)
            r = getcol_run(cmd, arc, &o, paths, n_out, tasks, n, ns - first);
    }
    for (int i = 0; paths && i < n_out; i++)
        free(paths[i]);
    free(paths);
    extract_tasks_free(tasks, n);
    ragc_close(arc);
    return r ? 1 : 0;
}

/* The text before the last ':' of s, when that is where a bad range
   starts (chr1:abc, chr1@ref:abc); NULL otherwise. */
static char *before_colon(const char *s)
{
    const char *colon = s ? strrchr(s, ':') : NULL;
    return colon ? strndup(s, (size_t)(colon - s)) : NULL;
}

/* agc's "there is no contig" / "no sample:contig pair", and when the query
   is a known contig (of a known sample) followed by ':' and no FROM-TO
   (`chr1:abc`, `chr1@ref:100`), what a range looks like. */
static void no_contig(const char *cmd, ragc_archive *arc, const cli_query *q)
{
    int64_t s, c;
    /* chr1@ref:abc parses as sample "ref:abc"; chr1:abc as contig "chr1:abc" */
    char *head = before_colon(q->sample ? q->sample : q->contig);
    int is_range = head && (q->sample ? ragc_find_contig_cli(arc, head, q->contig, &s, &c)
                                      : ragc_find_contig_cli(arc, NULL, head, &s, &c)) == RAGC_OK;
    const char *hint = is_range ? " (a range is CONTIG[@SAMPLE]:FROM-TO, 0-based, inclusive)" : "";
    if (q->sample)
        cli_error(cmd, "there is no sample:contig pair: %s : %s%s", q->sample, q->contig, hint);
    else
        cli_error(cmd, "there is no contig: %s%s", q->contig, hint);
    free(head);
}

/* Resolves one getctg query into a task, as agc does; returns 0, 1 for a
   malformed query (skipped), or -1 for an error that stops the command.
   dec: for contig lengths (the range warnings). */
static int resolve_query(const char *cmd, ragc_archive *arc, ragc_decoder *dec, const char *text,
                         extract_task *t)
{
    cli_query q;
    if (cli_query_parse(text, &q) < 0) {
        cli_query_free(&q);
        cli_error(cmd, "wrong contig format: %s", text);
        return 1;
    }
    int64_t s, c;
    int r = ragc_find_contig_cli(arc, q.sample, q.contig, &s, &c);
    if (r < 0) {
        if (r == RAGC_ERR_NO_SAMPLE || r == RAGC_ERR_NO_CONTIG)
            no_contig(cmd, arc, &q);
        else if (r == RAGC_ERR_AMBIGUOUS)
            cli_error(cmd, "contig %s is in more than one place; name it as contig@sample", q.contig);
        else
            cli_error(cmd, "cannot read the archive: %s", ragc_errmsg(r));
        cli_query_free(&q);
        return -1;
    }
    /* agc's range rules: both ends negative = whole contig; a negative end
       is moved to 0 / the contig end; from > to = whole contig, no range in
       the header */
    int64_t from = q.from, to = q.to;
    int show = q.has_range;
    if (q.has_range && q.loose_numbers)
        cli_warn_loose_numbers(cmd, text, from, to);
    if (from < 0 && to < 0) {
        from = 0;
        to = INT64_MAX;
        show = 0;
    } else {
        if (from < 0) {
            fprintf(stderr, "Warning: Start of range (%lld) is below 0, so changed to 0\n", (long long)from);
            from = 0;
        }
        if (to < 0) {
            fprintf(stderr, "Warning: End of range (%lld) is below 0, so changed to max value\n", (long long)to);
            to = INT64_MAX;
        }
        if (from > to) {
            fprintf(stderr, "Warning: End of range (%lld) is prior to start of range (%lld) so changed to whole contig\n",
                    (long long)to, (long long)from);
            from = 0;
            to = INT64_MAX;
            show = 0;
        }
    }
    const char *name = ragc_contig_name(arc, s, c);
    if (show) {
        int64_t clen = ragc_contig_length(arc, dec, s, c);
        if (clen >= 0)
            cli_warn_past_end(cmd, text, q.contig, clen, from, to);
    }
    size_t len = strlen(name) + 48;
    t->header = malloc(len);
    cli_query_free(&q);
    if (!t->header) {
        cli_error(cmd, "out of memory");
        return -1;
    }
    if (show)
        snprintf(t->header, len, "%s:%lld-%lld", name, (long long)from, (long long)to);
    else
        snprintf(t->header, len, "%s", name);
    t->sample = s;
    t->contig = c;
    t->from = from;
    t->to = to;
    t->out = 0;
    return 0;
}

int cmd_getctg(int argc, char **argv)
{
    const char *cmd = "getctg";
    get_opts o;
    int r = parse_get_opts(cmd, "[options] <in.agc> <contig[@sample][:from-to]> ...", GETCTG_OPTIONS,
                           "no contig name", 0,
                           argc, argv, &o);
    ragc_archive *arc = cli_open_parsed(cmd, r, argv, o.optind, &r);
    if (!arc)
        return r;
    limit_cache(arc, &o);
    size_t nq = (size_t)(argc - o.optind - 1), n = 0;
    extract_task *tasks = calloc(nq, sizeof(extract_task));
    int skipped = 0;
    ragc_decoder *dec = ragc_decoder_init(arc, 0);
    r = tasks && dec ? 0 : -1;
    if (r < 0)
        cli_error(cmd, "out of memory");
    for (int a = o.optind + 1; r >= 0 && a < argc; a++) {
        int q = resolve_query(cmd, arc, dec, argv[a], &tasks[n]);
        if (q == 0)
            n++;
        else if (q > 0)
            skipped = 1;
        else
            r = -1;
    }
    ragc_decoder_destroy(dec);
    char *path = (char *)o.out;
    if (r == 0 && skipped && o.out) {
        /* a named output is written only by a command that succeeds */
        cli_error(cmd, "not writing %s because of the query above", o.out);
        r = 1;
    }
    if (r == 0)
        r = run_plan(cmd, arc, &o, &path, 1, tasks, n);
    extract_tasks_free(tasks, n);
    ragc_close(arc);
    return r || skipped ? 1 : 0;
}
