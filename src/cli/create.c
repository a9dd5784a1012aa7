/* create.c -- `ragc create`, `append` and `import`: agc's options and sample naming. */
#include <errno.h>
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <htslib/hts.h>
#include <htslib/hts_log.h>

#include "cli.h"
#include "inputs.h"
#include "output.h"
#include "progress.h"
#include "same_file.h"
#include "spool.h"

/* The options create, append and import share beyond agc's. */
#define NO_ORIGINAL_HELP \
    "   --no-original  store as agc does: lower case becomes upper case, the line layout\n" \
    "               is dropped, bytes outside ACGTNRYSWKMBDHVU are refused (docs/cli.md)\n" \
    "   --no-md5    store no contig MD5s (16 bytes a contig; lookups then decode)\n" \
    "   --sample NAME  name the sample of standard input (-), or of the only input,\n" \
    "               NAME instead of the file name (not with -c, --pansn)\n" \
    "   --no-progress  no progress line on a terminal (docs/cli.md)\n"

static const char CREATE_OPTIONS[] =
    "   -o FILE     output archive (default: standard output)\n"
    "   -i FILE     file with more FASTA file names (whitespace separated), read after\n"
    "               the reference; the reference comes first on the command line\n"
    "   -k INT      k-mer length (17-32) [31]\n"
    "   -l INT      minimal match length (15-32) [20]\n"
    "   -s INT      expected segment size (100-1000000) [60000]\n"
    "   -b INT      pack cardinality / batch size [50]\n"
    "   -t, -@ INT  number of threads [half the cores]\n"
    "   -d          accepted for agc compatibility (format 3 stores no command line)\n"
    "   -v INT      verbosity: 1 = a line per input file on stderr [0]\n"
    "   -c          concatenated genomes: each record's first word names its sample\n"
    "   -f FLOAT    fraction of fall-back minimizers, 0 to 0.05 [0]\n"
    "   -a          adaptive mode: new splitters from contigs the reference's do not cut\n"
    "   --like BASE.agc  a shard of BASE: every input is a new sample compressed with\n"
    "               BASE's parameters, splitters and groups; the output holds only what\n"
    "               they add, for `ragc merge` to join with BASE (docs/scale-out.md)\n"
    NO_ORIGINAL_HELP;

static const char APPEND_OPTIONS[] =
    "   -o FILE     output archive (default: standard output); the input is only read\n"
    "   -i FILE     file with the FASTA file names (whitespace separated)\n"
    "   -t, -@ INT  number of threads [half the cores]\n"
    "   -c          concatenated genomes: each record's first word names its sample\n"
    "   -d          accepted for agc compatibility\n"
    "   -v INT      verbosity: 1 = a line per input file on stderr [0]\n"
    "   -f FLOAT    fraction of fall-back minimizers, 0 to 0.05 [0]\n"
    "   -a          adaptive mode: new splitters from contigs the reference's do not cut\n"
    NO_ORIGINAL_HELP;

static const char IMPORT_OPTIONS[] =
    "   --pansn     records named sample#haplotype#contig: one sample per sample#haplotype\n"
    "   -i FILE     file with the FASTA file names (whitespace separated)\n"
    "   -k, -l, -s, -b INT  parameters of a new archive (as create); an existing archive's must match\n"
    "   -t, -@ INT  number of threads [half the cores]\n"
    "   -c          concatenated genomes: each record's first word names its sample\n"
    "   -d          accepted for agc compatibility\n"
    "   -v INT      verbosity: 1 = a line per input file on stderr [0]\n"
    "   -f FLOAT    fraction of fall-back minimizers, 0 to 0.05 [0]\n"
    "   -a          adaptive mode: new splitters from contigs the reference's do not cut\n"
    NO_ORIGINAL_HELP;

enum { BUILD_CREATE, BUILD_APPEND, BUILD_IMPORT, BUILD_LIKE };

/* import into an existing archive: parameters given must be the archive's */
static int check_import_params(const char *cmd, const char *path, const ragc_create_opts *o, const int *given)
{
    int st;
    ragc_archive *arc = ragc_open(path, &st);
    if (!arc) {
        cli_error(cmd, "cannot read archive '%s': %s", path, ragc_errmsg(st));
        return -1;
    }
    const ragc_params *p = ragc_get_params(arc);
    const char opt[4] = { 'k', 'l', 's', 'b' };
    const uint32_t want[4] = { o->kmer_length, o->min_match_len, o->segment_size, o->pack_cardinality };
    const uint32_t have[4] = { p->kmer_length, p->min_match_len, p->segment_size, p->pack_cardinality };
    int r = 0;
    for (int i = 0; i < 4 && r == 0; i++)
        if (given[i] && want[i] != have[i]) {
            cli_error(cmd, "-%c %u conflicts with the archive's %u", opt[i], want[i], have[i]);
            r = -1;
        }
    ragc_close(arc);
    return r;
}

/* Writes the archive (a copy of in_archive plus inputs when in_archive is
   not NULL) to fd, the command's own output: the command, not the library,
   owns the temporary file, so it can remove it when killed (signals.h). */
static int write_archive(int fd, int mode, const char *in_archive, char **inputs, size_t n,
                         const ragc_create_opts *o)
{
    return mode == BUILD_LIKE ? ragc_create_like_fd(in_archive, fd, inputs, n, o)
         : mode == BUILD_APPEND ? ragc_append_fd(in_archive, fd, inputs, n, o)
         : ragc_create_fd(fd, inputs, n, o);
}

/* What create, append and import take from the command line. */
typedef struct {
    int mode;
    ragc_create_opts o;
    int given[4];                    /* -k -l -s -b given */
    const char *out, *list, *sample;
    const char *in_archive;          /* append, import: the archive operand; create --like: the base */
    int no_progress;                 /* --no-progress */
} build_args;

static int parse_number(const char *cmd, int c, const char *text, build_args *a)
{
    static const char opts[] = "klsb";
    static const int64_t lo[] = { 17, 15, 100, 1 }, hi[] = { 32, 32, 1000000, 1000000000 };
    int64_t v;
    if (c == 't' || c == '@' || c == 'v') {
        if (cli_int_option(cmd, (char)c, text, c == 'v' ? 0 : 1, c == 'v' ? 2 : 256, &v) < 0)
            return -1;
        *(c == 'v' ? &a->o.verbosity : &a->o.threads) = (int)v;
        return 0;
    }
    int i = (int)(strchr(opts, c) - opts);
    if (cli_int_option(cmd, (char)c, text, lo[i], hi[i], &v) < 0)
        return -1;
    uint32_t *field[] = { &a->o.kmer_length, &a->o.min_match_len, &a->o.segment_size, &a->o.pack_cardinality };
    *field[i] = (uint32_t)v;
    a->given[i] = 1;
    return 0;
}

/* -f: agc clamps the fraction to [0, 0.05] */
static int parse_fraction(const char *cmd, const char *text, double *out)
{
    char *end;
    double f = strtod(text, &end);
    if (end == text || *end) {
        cli_error(cmd, "option -f needs a number, not '%s'", text);
        return -1;
    }
    *out = f < 0 ? 0 : f > 0.05 ? 0.05 : f;
    return 0;
}

static void build_usage(const char *cmd, int mode)
{
    if (mode == BUILD_IMPORT)
        cli_usage(cmd, "[options] <archive.agc> <in1.fa> [<in2.fa> ...]", IMPORT_OPTIONS);
    else if (mode == BUILD_APPEND)
        cli_usage(cmd, "[options] <in.agc> [<in1.fa> ...] > <out.agc>", APPEND_OPTIONS);
    else
        cli_usage(cmd, "[options] <ref.fa> [<in1.fa> ...] > <out.agc>", CREATE_OPTIONS);
}

/* agc's options (append: no -k/-l/-s/-b; import: no -o) and ours.
   Returns 0, 1 on error, -1 after -h. */
static int parse_build_opts(const char *cmd, int mode, int argc, char **argv, build_args *a)
{
    static const struct option longopts[] = { { "help", no_argument, NULL, 'h' },
                                              { "pansn", no_argument, NULL, 'P' },
                                              { "no-original", no_argument, NULL, 'N' },
                                              { "no-md5", no_argument, NULL, 'M' },
                                              { "sample", required_argument, NULL, 'S' },
                                              { "no-progress", no_argument, NULL, 'Q' },
                                              { "like", required_argument, NULL, 'L' },
                                              { NULL, 0, NULL, 0 } };
    const char *optstring = mode == BUILD_APPEND ? ":o:i:t:@:v:dacf:h"
                          : mode == BUILD_IMPORT ? ":i:k:l:s:b:t:@:v:dacf:h" : ":o:i:k:l:s:b:t:@:v:dacf:h";
    int c;
    cli_getopt_restart();
    while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) >= 0) {
        switch (c) {
        case 'o': a->out = optarg; break;
        case 'i': a->list = optarg; break;
        case 'S': a->sample = optarg; break;
        case 'L':
            if (mode != BUILD_CREATE) {
                cli_error(cmd, "--like is an option of `ragc create`");
                return 1;
            }
            a->in_archive = optarg;
            break;
        case 'P': a->o.pansn = 1; break;
        case 'N': a->o.no_original = 1; break;
        case 'M': a->o.no_md5 = 1; break;
        case 'Q': a->no_progress = 1; break;
        case 'd': break;
        case 'c': a->o.concatenated = 1; break;
        case 'a': a->o.adaptive = 1; break;
        case 'f':
            if (parse_fraction(cmd, optarg, &a->o.fallback_frac) < 0)
                return 1;
            break;
        case 'k': case 'l': case 's': case 'b': case 't': case '@': case 'v':
            if (parse_number(cmd, c, optarg, a) < 0)
                return 1;
            break;
        case 'h':
            build_usage(cmd, mode);
            return -1;
        default:
            cli_bad_option(cmd, c, argv[optind - 1]);
            return 1;
        }
    }
    if (a->sample && (a->o.concatenated || a->o.pansn)) {
        cli_error(cmd, "--sample cannot be used with %s: the records name the samples",
                  a->o.pansn ? "--pansn" : "-c");
        return 1;
    }
    return 0;
}

/* The archive operand of append and import; import decides here whether it
   creates the archive or adds to it (mode becomes BUILD_APPEND). */
static int take_archive(const char *cmd, build_args *a, int argc, char **argv, int *optind_p)
{
    if (a->mode == BUILD_CREATE && a->in_archive) {   /* --like BASE: every operand is a sample */
        a->mode = BUILD_LIKE;
        return check_import_params(cmd, a->in_archive, &a->o, a->given) < 0 ? -1 : 0;
    }
    if (*optind_p >= argc) {
        if (a->mode == BUILD_APPEND)
            cli_error(cmd, "no archive name; usage: ragc append [options] <in.agc> [<in1.fa> ...]");
        else if (a->mode == BUILD_IMPORT)
            cli_error(cmd, "no archive name; usage: ragc import [options] <archive.agc> <in1.fa> [<in2.fa> ...]");
        else if (a->list)
            cli_error(cmd, "no reference file name: the reference comes first on the command line, "
                           "-i adds the files after it (ragc create [options] <ref.fa> [-i LIST] [<in1.fa> ...])");
        else
            cli_error(cmd, "no reference file name; usage: ragc create [options] <ref.fa> [<in1.fa> ...]");
        return -1;
    }
    if (a->mode == BUILD_CREATE)
        return 0;
    a->in_archive = argv[(*optind_p)++];
    if (a->mode == BUILD_IMPORT) {
        struct stat st;
        a->out = a->in_archive;
        if (stat(a->in_archive, &st) != 0) {
            a->in_archive = NULL;   /* a new archive */
            return 0;
        }
        if (check_import_params(cmd, a->in_archive, &a->o, a->given) < 0)
            return -1;
        a->mode = BUILD_APPEND;   /* into the existing archive, replaced atomically */
        return 0;
    }
    /* read it now: a FASTA file given first is named before anything is written */
    int status;
    ragc_archive *arc = ragc_open(a->in_archive, &status);
    if (!arc) {
        if (status == RAGC_ERR_IO)
            cli_error(cmd, "cannot open archive '%s': %s", a->in_archive, strerror(errno));
        else
            cli_error(cmd, "cannot read archive '%s': %s (the archive comes first: "
                           "ragc append [options] <in.agc> [<in1.fa> ...])", a->in_archive, ragc_errmsg(status));
        return -1;
    }
    ragc_close(arc);
    return 0;
}

/* agc's order: (create: the reference,) the -i list, the other names. */
static int gather_inputs(const char *cmd, const build_args *a, int argc, char **argv, int optind,
                         cli_names *inputs)
{
    cli_names listed = { 0 };
    int r = 0;
    if (a->list)
        r = cli_names_read_list(cmd, a->list, &listed) < 0 ? -2 : 0;
    if (r == 0 && a->mode == BUILD_CREATE && optind < argc)
        r = cli_names_push(inputs, argv[optind++]);
    for (size_t i = 0; r == 0 && i < listed.n; i++)
        r = cli_names_push(inputs, listed.v[i]);
    for (int i = optind; r == 0 && i < argc; i++)
        r = cli_names_push(inputs, argv[i]);
    cli_names_free(&listed);
    if (r == -1)
        cli_error(cmd, "out of memory");
    if (r == 0 && (a->mode == BUILD_IMPORT || a->mode == BUILD_LIKE) && inputs->n == 0) {
        cli_error(cmd, a->mode == BUILD_LIKE ? "no FASTA file for the shard" : "no FASTA file to import");
        r = -1;
    }
    return r < 0 ? -1 : 0;
}

/* Files the output must not replace: the inputs, the list, the archive
   appended to (import writes over its archive by design). */
static int output_is_an_input(const char *cmd, const build_args *a, const cli_names *inputs)
{
    if (cli_output_is_input(cmd, a->out, inputs->v, inputs->n))
        return 1;
    char *others[2] = { (char *)a->list, a->out == a->in_archive ? NULL : (char *)a->in_archive };
    return cli_output_is_input(cmd, a->out, others, 2);
}

/* --sample, and the spooled reference's name: one name per input, NULL
   where the file name names the sample.  Returns 0 or -1 (reported). */
static int sample_names(const char *cmd, const build_args *a, const cli_names *inputs, int spooled,
                        char ***names)
{
    *names = NULL;
    long named = a->sample ? cli_inputs_named(cmd, inputs) : -1;
    if (a->sample && named < 0)
        return -1;
    /* with -c and --pansn the records name the samples, spooled or not */
    spooled = spooled && !a->o.concatenated && !a->o.pansn;
    if (!a->sample && !spooled)
        return 0;
    if (!(*names = calloc(inputs->n, sizeof(char *)))) {
        cli_error(cmd, "out of memory");
        return -1;
    }
    if (spooled)
        (*names)[0] = "-";   /* the name agc gives a "-" input */
    if (named >= 0)
        (*names)[named] = (char *)a->sample;
    return 0;
}

/* Why the library failed (it logged the details, [E::...] above). */
static const char *failure_reason(int r)
{
    return r == RAGC_ERR_FORMAT ? "invalid input (see above)"
         : r == RAGC_ERR_IO ? "input/output error (see above)"
         : r == RAGC_ERR_ARG ? "invalid arguments (see above)"
         : r == RAGC_ERR_INPUT ? "input that cannot be stored (see above)"
         : ragc_errmsg(r);
}

/* The progress line of create, append and import: the library reports
   records and files read (ragc_progress); the sizes of the input files tell
   how far the job has got. */
typedef struct {
    cli_progress line;
    int one_sample_a_file;    /* not -c or --pansn: the number of samples is known */
    int verbose;              /* -v: the library prints a line at each file's end */
    uint64_t *before;         /* bytes of the inputs before input i; NULL: a size unknown */
} build_progress;

static void on_progress(void *ctx, const ragc_progress *p)
{
    build_progress *b = ctx;
    b->line.samples = p->file_done || p->samples == 0 ? p->samples : p->samples - 1;
    b->line.bases = p->bases;
    if (b->before && b->before[p->n_files] > 0) {
        uint64_t done = b->before[p->file] + p->file_offset;
        b->line.fraction = (double)done / (double)b->before[p->n_files];
    }
    if (p->file_done && b->verbose)
        cli_progress_clear(&b->line);   /* the library's line for the file comes next */
    else
        cli_progress_update(&b->line, 0);
}

/* Sizes of the inputs as running sums, if every input is a regular file. */
static uint64_t *input_sizes(const cli_names *inputs)
{
    uint64_t *before = malloc((inputs->n + 1) * sizeof *before);
    struct stat st;
    for (size_t i = 0; before && i < inputs->n; i++) {
        if (stat(inputs->v[i], &st) != 0 || !S_ISREG(st.st_mode)) {
            free(before);
            return NULL;
        }
        before[i + 1] = (i ? before[i] : 0) + (uint64_t)st.st_size;
    }
    if (before)
        before[0] = 0;
    return before;
}

static void progress_start(build_progress *b, const char *cmd, build_args *a, const cli_names *inputs)
{
    *b = (build_progress){ .one_sample_a_file = !a->o.concatenated && !a->o.pansn,
                           .verbose = a->o.verbosity > 0 };
    cli_progress_init(&b->line, cmd, !a->no_progress);
    if (!b->line.on)
        return;
    if (b->one_sample_a_file)
        b->line.n_samples = inputs->n;
    b->before = input_sizes(inputs);
    a->o.progress = on_progress;
    a->o.progress_ctx = b;
}

/* Writes the archive to a->out (through a temporary file) or standard output. */
static int write_output(const char *cmd, build_args *a, const cli_names *inputs)
{
    const char *out = a->out;
    int to_stdout = !out || strcmp(out, "-") == 0;
    if (to_stdout && isatty(STDOUT_FILENO)) {
        cli_error(cmd, "refusing to write an archive to a terminal; use -o FILE or redirect");
        return 1;
    }
    if (a->o.verbosity > 0 && hts_get_log_level() < HTS_LOG_INFO)
        hts_set_log_level(HTS_LOG_INFO);
    ragc_outfile file;
    if (cli_output_open(&file, out) < 0) {
        cli_error(cmd, "cannot create '%s': %s", to_stdout ? "standard output" : out, strerror(errno));
        return 1;
    }
    build_progress progress;
    progress_start(&progress, cmd, a, inputs);
    int r = write_archive(file.fd, a->mode, a->in_archive, inputs->v, inputs->n, &a->o);
    if (r == RAGC_OK)
        cli_progress_end(&progress.line);
    else
        cli_progress_clear(&progress.line);
    free(progress.before);
    /* on disk before it replaces the target: import replaces the only copy,
       and a crash after the rename must not leave an empty or short file */
    if (r == RAGC_OK && !to_stdout && fsync(file.fd) < 0) {
        int e = errno;
        cli_output_abort(&file);
        cli_error(cmd, "cannot write '%s': %s", out, strerror(e));
        return 1;
    }
    if (r == RAGC_OK && cli_output_commit(&file) < 0) {
        cli_error(cmd, "cannot write '%s': %s", to_stdout ? "standard output" : out, strerror(errno));
        return 1;
    }
    if (r < 0) {
        cli_output_abort(&file);
        if (to_stdout)
            cli_error(cmd, "the archive on standard output is incomplete: %s", failure_reason(r));
        else
            cli_error(cmd, "no archive written: %s", failure_reason(r));
        return 1;
    }
    return 0;
}

/* create, append and import: agc's options, then run.  append takes IN.agc
   first and no -k/-l/-s/-b (the archive's parameters carry over); import
   creates ARCHIVE or appends to it in place (atomically replaced).  Every
   check that can fail without reading the inputs comes before any output. */
/* glibc raises its mmap threshold (up to 32 MB) each time a large block
   is freed, after which such blocks come from the heaps, where freed
   memory stays; create frees many (samples' codes, segments, LZ indexes,
   packs) on several threads' heaps.  A fixed threshold gives them back:
   peak RSS of create -t 2, senterica-10: 70 -> 47 MB; chrX set: 540 ->
   458 MB (0.1-0.7 s more system time for the mappings). */
static void return_freed_memory(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}

static int build(const char *cmd, int mode, int argc, char **argv)
{
    return_freed_memory();
    build_args a = { .mode = mode };
    ragc_create_opts_init(&a.o);
    a.o.threads = cli_default_threads();
    int r = parse_build_opts(cmd, mode, argc, argv, &a);
    if (r)
        return r < 0 ? 0 : 1;
    int first = optind;
    if (take_archive(cmd, &a, argc, argv, &first) < 0)
        return 1;
    cli_names inputs = { 0 };
    char *spool = NULL, **names = NULL;
    r = 1;
    if (gather_inputs(cmd, &a, argc, argv, first, &inputs) < 0 || cli_inputs_check(cmd, &inputs) < 0
        || output_is_an_input(cmd, &a, &inputs))
        goto out;
    /* the reference of a new archive may be read twice: a pipe must be kept */
    int spooled = a.mode != BUILD_APPEND && a.mode != BUILD_LIKE && inputs.n > 0 && strcmp(inputs.v[0], "-") == 0;
    if (sample_names(cmd, &a, &inputs, spooled, &names) < 0)
        goto out;
    if (spooled) {
        if (!(spool = cli_spool_stdin(cmd)))
            goto out;
        free(inputs.v[0]);
        inputs.v[0] = spool;   /* still removed below: spool keeps the pointer */
    }
    a.o.sample_names = names;
    r = write_output(cmd, &a, &inputs);
out:
    if (spool) {
        inputs.v[0] = NULL;
        cli_spool_remove(spool);
    }
    free(names);
    cli_names_free(&inputs);
    return r;
}

int cmd_create(int argc, char **argv)
{
    return build("create", BUILD_CREATE, argc, argv);
}

int cmd_append(int argc, char **argv)
{
    return build("append", BUILD_APPEND, argc, argv);
}

int cmd_import(int argc, char **argv)
{
    return build("import", BUILD_IMPORT, argc, argv);
}
