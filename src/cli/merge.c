/* merge.c -- `ragc merge`: archives joined into one (ragc_merge,
   docs/scale-out.md). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"
#include "same_file.h"

static const char MERGE_OPTIONS[] =
    "   -o FILE     output archive (default: standard output); the inputs are only read\n"
    "   -t, -@ INT  number of threads [half the cores]\n"
    "   --by-contig the inputs hold the same samples split by contigs (e.g. one archive a\n"
    "               chromosome): a sample's contigs are joined in input order\n"
    "Inputs: archives with the same parameters.  A shard made with `ragc create --like BASE`\n"
    "comes after BASE; its samples join BASE's groups.  Samples are listed in input order.\n";

typedef struct {
    const char *out;
    ragc_merge_opts o;
} merge_args;

/* Returns 0, 1 on error, -1 after -h. */
static int parse_merge_opts(int argc, char **argv, merge_args *a)
{
    static const struct option longopts[] = { { "help", no_argument, NULL, 'h' },
                                              { "by-contig", no_argument, NULL, 'C' },
                                              { NULL, 0, NULL, 0 } };
    int c;
    int64_t v;
    cli_getopt_restart();
    while ((c = getopt_long(argc, argv, ":o:t:@:h", longopts, NULL)) >= 0) {
        switch (c) {
        case 'o': a->out = optarg; break;
        case 'C': a->o.by_contig = 1; break;
        case 't': case '@':
            if (cli_int_option("merge", (char)c, optarg, 1, 256, &v) < 0)
                return 1;
            a->o.threads = (int)v;
            break;
        case 'h':
            cli_usage("merge", "[options] -o <out.agc> <in1.agc> <in2.agc> [...]", MERGE_OPTIONS);
            return -1;
        default:
            cli_bad_option("merge", c, argv[optind - 1]);
            return 1;
        }
    }
    return 0;
}

static int write_merged(merge_args *a, char **inputs, size_t n)
{
    const char *shown = a->out && strcmp(a->out, "-") ? a->out : "standard output";
    if (shown[0] == 's' && !(a->out && strcmp(a->out, "-")) && isatty(STDOUT_FILENO)) {
        cli_error("merge", "refusing to write an archive to a terminal; use -o FILE or redirect");
        return 1;
    }
    ragc_outfile file;
    if (cli_output_open(&file, a->out) < 0) {
        cli_error("merge", "cannot create '%s': %s", shown, strerror(errno));
        return 1;
    }
    int r = ragc_merge_fd(file.fd, inputs, n, &a->o);
    if (r == RAGC_OK && file.tmp && fsync(file.fd) < 0) {
        int e = errno;
        cli_output_abort(&file);
        cli_error("merge", "cannot write '%s': %s", shown, strerror(e));
        return 1;
    }
    if (r == RAGC_OK && cli_output_commit(&file) < 0) {
        cli_error("merge", "cannot write '%s': %s", shown, strerror(errno));
        return 1;
    }
    if (r < 0) {
        cli_output_abort(&file);
        /* the library logged the details above */
        cli_error("merge", "no archive written: %s%s", ragc_errmsg(r),
                  r == RAGC_ERR_ARG || r == RAGC_ERR_FORMAT || r == RAGC_ERR_INPUT ? " (see above)" : "");
        return 1;
    }
    return 0;
}

int cmd_merge(int argc, char **argv)
{
    merge_args a = { 0 };
    ragc_merge_opts_init(&a.o);
    a.o.threads = cli_default_threads();
    int r = parse_merge_opts(argc, argv, &a);
    if (r)
        return r < 0 ? 0 : 1;
    if (optind >= argc) {
        cli_error("merge", "no input archive; usage: ragc merge [options] -o <out.agc> <in1.agc> <in2.agc> [...]");
        return 1;
    }
    char **inputs = argv + optind;
    size_t n = (size_t)(argc - optind);
    if (cli_output_is_input("merge", a.out, inputs, n))
        return 1;
    return write_merged(&a, inputs, n);
}
