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
#include "output.h"

/* The options create, append and import share beyond agc's. */
#define NO_ORIGINAL_HELP \
    "   --no-original  store as agc does: lower case becomes upper case, the line layout\n" \
    "               is dropped, bytes outside ACGTNRYSWKMBDHVU are refused (docs/cli.md)\n" \
    "   --no-md5    store no contig MD5s (16 bytes a contig; lookups then decode)\n"

static const char CREATE_OPTIONS[] =
    "   -o FILE     output archive (default: standard output)\n"
    "   -i FILE     file with the FASTA file names (whitespace separated)\n"
    "   -k INT      k-mer length (17-32) [31]\n"
    "   -l INT      minimal match length (15-32) [20]\n"
    "   -s INT      expected segment size (100-1000000) [60000]\n"
    "   -b INT      pack cardinality / batch size [50]\n"
    "   -t, -@ INT  number of threads [half the cores]\n"
    "   -d          accepted for agc compatibility (format 3 stores no command line)\n"
    "   -v INT      verbosity: 1 = progress on stderr [0]\n"
    "   -c          concatenated genomes: each record's first word names its sample\n"
    "   -f FLOAT    fraction of fall-back minimizers, 0 to 0.05 [0]\n"
    "   -a          adaptive mode: new splitters from contigs the reference's do not cut\n"
    NO_ORIGINAL_HELP;

typedef struct {
    char **v;
    size_t n, cap;
} name_list;

static int push_name(name_list *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)   /* agc drops repeated file names */
        if (strcmp(l->v[i], s) == 0)
            return 0;
    if (hts_resize(char *, l->n + 1, &l->cap, &l->v, 0) < 0)
        return -1;
    return (l->v[l->n++] = strdup(s)) ? 0 : -1;
}

static void free_names(name_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* -i FILE: whitespace-separated names, replacing any earlier -i */
static int read_list_file(const char *cmd, const char *path, name_list *l)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!fp) {
        cli_error(cmd, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    free_names(l);
    memset(l, 0, sizeof(*l));
    char word[8192];
    int r = 0;
    while (r == 0 && fscanf(fp, "%8191s", word) == 1)
        r = push_name(l, word);
    if (fp != stdin)
        fclose(fp);
    if (r < 0)
        cli_error(cmd, "out of memory");
    return r;
}

static const char APPEND_OPTIONS[] =
    "   -o FILE     output archive (default: standard output); the input is only read\n"
    "   -i FILE     file with the FASTA file names (whitespace separated)\n"
    "   -t, -@ INT  number of threads [half the cores]\n"
    "   -c          concatenated genomes: each record's first word names its sample\n"
    "   -d          accepted for agc compatibility\n"
    "   -v INT      verbosity: 1 = progress on stderr [0]\n"
    "   -f FLOAT    fraction of fall-back minimizers, 0 to 0.05 [0]\n"
    "   -a          adaptive mode: new splitters from contigs the reference's do not cut\n"
    NO_ORIGINAL_HELP;

static const char IMPORT_OPTIONS[] =
    "   --pansn     records named sample#haplotype#contig: one sample per sample#haplotype\n"
    "   -i FILE     file with the FASTA file names (whitespace separated)\n"
    "   -k, -l, -s, -b INT  parameters of a new archive (as create); an existing archive's must match\n"
    "   -t, -@ INT  number of threads [half the cores]\n"
    "   -c          concatenated genomes: each record's first word names its sample\n"
    "   -v INT      verbosity: 1 = progress on stderr [0]\n"
    NO_ORIGINAL_HELP;

enum { BUILD_CREATE, BUILD_APPEND, BUILD_IMPORT };

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
static int write_archive(int fd, const char *in_archive, char **inputs, size_t n,
                         const ragc_create_opts *o)
{
    return in_archive ? ragc_append_fd(in_archive, fd, inputs, n, o)
                      : ragc_create_fd(fd, inputs, n, o);
}

/* create, append and import: agc's options, then run.  append takes IN.agc
   first and no -k/-l/-s/-b (the archive's parameters carry over); import
   creates ARCHIVE or appends to it in place (atomically replaced). */
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
    int is_append = mode == BUILD_APPEND;
    static const struct option longopts[] = { { "help", no_argument, NULL, 'h' },
                                              { "pansn", no_argument, NULL, 'P' },
                                              { "no-original", no_argument, NULL, 'N' },
                                              { "no-md5", no_argument, NULL, 'M' },
                                              { NULL, 0, NULL, 0 } };
    int given[4] = { 0, 0, 0, 0 };
    ragc_create_opts o;
    ragc_create_opts_init(&o);
    o.threads = cli_default_threads();
    const char *out = NULL, *list = NULL;
    int64_t v;
    int c;
    cli_getopt_restart();
    const char *optstring = is_append ? "o:i:t:@:v:dacf:h"
                          : mode == BUILD_IMPORT ? "i:k:l:s:b:t:@:v:dacf:h" : "o:i:k:l:s:b:t:@:v:dacf:h";
    while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) >= 0) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'i': list = optarg; break;
        case 'k': if (cli_int_option(cmd, 'k', optarg, 17, 32, &v) < 0) return 1; o.kmer_length = (uint32_t)v; given[0] = 1; break;
        case 'l': if (cli_int_option(cmd, 'l', optarg, 15, 32, &v) < 0) return 1; o.min_match_len = (uint32_t)v; given[1] = 1; break;
        case 's': if (cli_int_option(cmd, 's', optarg, 100, 1000000, &v) < 0) return 1; o.segment_size = (uint32_t)v; given[2] = 1; break;
        case 'b': if (cli_int_option(cmd, 'b', optarg, 1, 1000000000, &v) < 0) return 1; o.pack_cardinality = (uint32_t)v; given[3] = 1; break;
        case 'P': o.pansn = 1; break;
        case 'N': o.no_original = 1; break;
        case 'M': o.no_md5 = 1; break;
        case 't': case '@': if (cli_int_option(cmd, (char)c, optarg, 1, 256, &v) < 0) return 1; o.threads = (int)v; break;
        case 'v': if (cli_int_option(cmd, 'v', optarg, 0, 2, &v) < 0) return 1; o.verbosity = (int)v; break;
        case 'd': break;
        case 'c': o.concatenated = 1; break;
        case 'f': {
            /* agc clamps the fraction to [0, 0.05] */
            char *end;
            double f = strtod(optarg, &end);
            if (end == optarg || *end) {
                cli_error(cmd, "option -f needs a number, not '%s'", optarg);
                return 1;
            }
            o.fallback_frac = f < 0 ? 0 : f > 0.05 ? 0.05 : f;
            break;
        }
        case 'a': o.adaptive = 1; break;
        case 'h':
            if (mode == BUILD_IMPORT)
                cli_usage(cmd, "[options] <archive.agc> <in1.fa> [<in2.fa> ...]", IMPORT_OPTIONS);
            else if (is_append)
                cli_usage(cmd, "[options] <in.agc> [<in1.fa> ...] > <out.agc>", APPEND_OPTIONS);
            else
                cli_usage(cmd, "[options] <ref.fa> [<in1.fa> ...] > <out.agc>", CREATE_OPTIONS);
            return 0;
        default:
            cli_bad_option(cmd, argv[optind - 1]);
            return 1;
        }
    }
    name_list inputs = { 0 };
    int r = 0;
    if (optind >= argc) {
        cli_error(cmd, is_append ? "no archive name; usage: ragc append [options] <in.agc> [<in1.fa> ...]"
                                 : "no reference file name; usage: ragc create [options] <ref.fa> [<in1.fa> ...]");
        return 1;
    }
    const char *in_archive = is_append || mode == BUILD_IMPORT ? argv[optind++] : NULL;
    if (mode == BUILD_IMPORT) {
        struct stat st;
        out = in_archive;
        if (stat(in_archive, &st) == 0) {
            if (check_import_params(cmd, in_archive, &o, given) < 0)
                return 1;
            is_append = 1;   /* into the existing archive, replaced atomically */
        } else {
            in_archive = NULL;
        }
        if (optind >= argc && !list) {
            cli_error(cmd, "no FASTA file to import");
            return 1;
        }
    }
    /* agc's order: (create: the reference,) the -i list, the other names */
    name_list rest = { 0 };
    if (list)
        r = read_list_file(cmd, list, &rest);
    if (r == 0 && !is_append && optind < argc)
        r = push_name(&inputs, argv[optind++]);
    for (size_t i = 0; r == 0 && i < rest.n; i++)
        r = push_name(&inputs, rest.v[i]);
    for (int a = optind; r == 0 && a < argc; a++)
        r = push_name(&inputs, argv[a]);
    free_names(&rest);
    if (r < 0) {
        cli_error(cmd, "out of memory");
        free_names(&inputs);
        return 1;
    }
    if ((!out || strcmp(out, "-") == 0) && isatty(STDOUT_FILENO)) {
        cli_error(cmd, "refusing to write an archive to a terminal; use -o FILE or redirect");
        free_names(&inputs);
        return 1;
    }
    if (o.verbosity > 0 && hts_get_log_level() < HTS_LOG_INFO)
        hts_set_log_level(HTS_LOG_INFO);
    ragc_outfile file;
    if (cli_output_open(&file, out) < 0) {
        cli_error(cmd, "cannot create '%s': %s", out ? out : "standard output", strerror(errno));
        free_names(&inputs);
        return 1;
    }
    r = write_archive(file.fd, is_append ? in_archive : NULL, inputs.v, inputs.n, &o);
    free_names(&inputs);
    if (r == RAGC_OK && cli_output_commit(&file) < 0) {
        cli_error(cmd, "cannot write '%s': %s", out ? out : "standard output", strerror(errno));
        return 1;
    }
    if (r < 0) {
        cli_output_abort(&file);
        /* the library logged the reason ([E::...] above); say what failed */
        const char *why = r == RAGC_ERR_FORMAT ? "invalid input (see above)"
                        : r == RAGC_ERR_IO ? "input/output error (see above)"
                        : r == RAGC_ERR_ARG ? "invalid arguments (see above)"
                        : r == RAGC_ERR_INPUT ? "input that cannot be stored (see above)"
                        : ragc_errmsg(r);
        if (!out || strcmp(out, "-") == 0)
            cli_error(cmd, "the archive on standard output is incomplete: %s", why);
        else
            cli_error(cmd, "no archive written: %s", why);
        return 1;
    }
    return 0;
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
