/* list.c -- listref, listset, listctg, info: agc's text output. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/kstring.h>

#include "cli.h"
#include "output.h"
#include "same_file.h"

/* Writes text to path (or stdout) atomically; prints the error. */
static int write_text(const char *cmd, const char *path, const kstring_t *text)
{
    ragc_outfile out;
    if (cli_output_open(&out, path) < 0) {
        cli_error(cmd, "cannot create '%s': %s", path, strerror(errno));
        return 1;
    }
    if (ragc_outfile_write(&out, text->s ? text->s : "", text->l) < 0 || cli_output_commit(&out) < 0) {
        int e = errno;
        cli_output_abort(&out);
        cli_error(cmd, "write error: %s", strerror(e));
        return 1;
    }
    return 0;
}

static const char LIST_OPTIONS[] = "   -o FILE   output to FILE [standard output]\n";

/* agc prints info on standard error: so do we, and say so */
static const char INFO_OPTIONS[] =
    "   -o FILE   output to FILE [standard error, as agc]\n"
    "   -v INT    verbosity: 1 adds the file_type_info stream (producer, versions) [0]\n";

typedef struct {
    const char *out;
    int verbosity;
    int optind;
} list_opts;

/* Options common to the list commands: -o FILE, -v N (info), -h; then the
   operands (see cli_check_operands).  Returns 0, 1 on error, -1 after -h. */
static int parse_list_opts(const char *cmd, const char *usage, const char *help, const char *no_second,
                           int argc, char **argv, list_opts *o)
{
    *o = (list_opts){ 0 };
    int c;
    cli_getopt_restart();
    while ((c = cli_getopt(argc, argv, ":o:v:h")) >= 0) {
        int64_t v;
        switch (c) {
        case 'o': o->out = optarg; break;
        case 'v':
            if (cli_int_option(cmd, 'v', optarg, 0, 2, &v) < 0)
                return 1;
            o->verbosity = (int)v;
            break;
        case 'h':
            cli_usage(cmd, usage, help);
            return -1;
        default:
            cli_bad_option(cmd, c, argv[optind - 1]);
            return 1;
        }
    }
    o->optind = optind;
    if (cli_check_operands(cmd, usage, no_second, argc, optind) < 0)
        return 1;
    return cli_output_is_input(cmd, o->out, &argv[optind], 1);
}

int cmd_listref(int argc, char **argv)
{
    list_opts o;
    int r = parse_list_opts("listref", "[options] <in.agc>", LIST_OPTIONS, NULL, argc, argv, &o);
    ragc_archive *arc = cli_open_parsed("listref", r, argv, o.optind, &r);
    if (!arc)
        return r;
    kstring_t t = { 0, 0, NULL };
    r = kputs(ragc_reference(arc), &t) < 0;   /* agc prints no newline */
    ragc_close(arc);
    r = r ? (cli_error("listref", "out of memory"), 1) : write_text("listref", o.out, &t);
    free(t.s);
    return r;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int cmd_listset(int argc, char **argv)
{
    list_opts o;
    int r = parse_list_opts("listset", "[options] <in.agc>", LIST_OPTIONS, NULL, argc, argv, &o);
    ragc_archive *arc = cli_open_parsed("listset", r, argv, o.optind, &r);
    if (!arc)
        return r;
    int64_t n = ragc_n_samples(arc);
    const char **names = malloc((size_t)(n ? n : 1) * sizeof(char *));
    kstring_t t = { 0, 0, NULL };
    r = !names;
    for (int64_t i = 0; !r && i < n; i++)
        names[i] = ragc_sample_name(arc, i);
    if (!r)
        qsort(names, (size_t)n, sizeof(char *), cmp_names);   /* agc sorts bytewise */
    for (int64_t i = 0; !r && i < n; i++)
        r = kputs(names[i], &t) < 0 || kputc('\n', &t) < 0;
    free(names);
    r = r ? (cli_error("listset", "out of memory"), 1) : write_text("listset", o.out, &t);
    ragc_close(arc);
    free(t.s);
    return r;
}

int cmd_listctg(int argc, char **argv)
{
    list_opts o;
    int r = parse_list_opts("listctg", "[options] <in.agc> <sample1> [<sample2> ...]", LIST_OPTIONS, "no sample name",
                            argc, argv, &o);
    ragc_archive *arc = cli_open_parsed("listctg", r, argv, o.optind, &r);
    if (!arc)
        return r;
    r = 0;
    kstring_t t = { 0, 0, NULL };
    int missing = 0;
    for (int a = o.optind + 1; !r && a < argc; a++) {
        /* agc prints the name of an unknown sample and nothing under it */
        r = kputs(argv[a], &t) < 0 || kputc('\n', &t) < 0;
        int64_t s = ragc_sample_index(arc, argv[a]);
        if (s < 0) {
            cli_error("listctg", "no sample '%s' in the archive", argv[a]);
            missing = 1;
            continue;
        }
        int64_t n = ragc_n_contigs(arc, s);
        if (n < 0) {
            cli_error("listctg", "cannot read sample '%s': %s", argv[a], ragc_errmsg((int)n));
            r = 2;
            break;
        }
        for (int64_t c = 0; !r && c < n; c++)
            r = kputs("   ", &t) < 0 || kputs(ragc_contig_name(arc, s, c), &t) < 0 || kputc('\n', &t) < 0;
    }
    ragc_close(arc);
    if (r == 1)
        cli_error("listctg", "out of memory");
    if (!r && missing && o.out) {
        /* a named output is written only by a command that succeeds */
        cli_error("listctg", "not writing %s because of the sample above", o.out);
        r = 2;
    }
    if (!r)
        r = write_text("listctg", o.out, &t);
    free(t.s);
    return r ? 1 : missing;
}

int cmd_info(int argc, char **argv)
{
    list_opts o;
    int r = parse_list_opts("info", "[options] <in.agc>", INFO_OPTIONS, NULL, argc, argv, &o);
    ragc_archive *arc = cli_open_parsed("info", r, argv, o.optind, &r);
    if (!arc)
        return r;
    const ragc_params *p = ragc_get_params(arc);
    kstring_t t = { 0, 0, NULL };
    ksprintf(&t, "No. samples      : %lld\n", (long long)ragc_n_samples(arc));
    ksprintf(&t, "k-mer length     : %u\n", p->kmer_length);
    ksprintf(&t, "Min. match length: %u\n", p->min_match_len);
    if (p->segment_size)
        ksprintf(&t, "Segment size     : %u\n", p->segment_size);
    ksprintf(&t, "Batch size       : %u\n", p->pack_cardinality);
    ksprintf(&t, "Reference name   : %s\n", ragc_reference(arc));
    ksprintf(&t, "Command lines:\n");
    for (int i = 0; i < ragc_n_cmd_lines(arc); i++) {
        const char *cmd, *ts;
        ragc_cmd_line(arc, i, &cmd, &ts);
        ksprintf(&t, "%s : %s\n", ts, cmd);
    }
    if (o.verbosity > 0) {
        ksprintf(&t, "File type info:\n");
        for (int i = 0; i < ragc_n_file_info(arc); i++) {
            const char *k, *v;
            ragc_file_info(arc, i, &k, &v);
            ksprintf(&t, "  %s : %s\n", k, v);
        }
    }
    ragc_close(arc);
    /* agc prints info on standard error and ignores -o; with -o we write the
       same text to the file instead. */
    if (o.out) {
        r = write_text("info", o.out, &t);
    } else {
        r = fwrite(t.s, 1, t.l, stderr) != t.l || fflush(stderr) != 0;
        if (r)
            cli_error("info", "write error: %s", strerror(errno));
    }
    free(t.s);
    return r;
}
