/* dict.c -- `ragc dict`: samtools dict for samples of an archive.

   For each sample, the lines `samtools dict` prints for that sample's FASTA
   (an @HD line first, once), with the agc: URL of the sample as UR, which
   the htslib plugin opens (docs/plugin.md).  Fields and their order are
   samtools dict's: SN (the header up to the first whitespace, as kseq reads
   it), LN, M5 (lower-case hex), UR, AS, SP. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/kstring.h>

#include "cli.h"
#include "output.h"
#include "same_file.h"

static const char *const CMD = "dict";

static const char DICT_USAGE[] = "[options] <in.agc> [<sample1> ...]";
static const char DICT_OPTIONS[] =
    "   -a, --assembly STR   assembly (AS tag)\n"
    "   -s, --species STR    species (SP tag)\n"
    "   -u, --uri STR        URI (UR tag) [agc:SAMPLE@/abs/path/to/in.agc]\n"
    "   -H, --no-header      do not print the @HD line\n"
    "   -o, --output FILE    write to FILE [standard output]\n"
    "   -h, --help           this help\n"
    "Without samples, every sample of the archive in stored order.\n";

/* Output gathered before a write. */
#define FLUSH_BYTES ((size_t)1 << 16)

typedef struct {
    const char *assembly, *species, *uri, *out_path;
    int no_header;
    int optind;
} dict_opts;

/* Returns 0, 1 on error, -1 after -h. */
static int parse_dict_opts(int argc, char **argv, dict_opts *o)
{
    static const struct option lopts[] = {
        { "assembly", required_argument, NULL, 'a' },
        { "species", required_argument, NULL, 's' },
        { "uri", required_argument, NULL, 'u' },
        { "no-header", no_argument, NULL, 'H' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    *o = (dict_opts){ 0 };
    int c;
    cli_getopt_restart();
    while ((c = getopt_long(argc, argv, ":a:s:u:Ho:h", lopts, NULL)) >= 0) {
        switch (c) {
        case 'a': o->assembly = optarg; break;
        case 's': o->species = optarg; break;
        case 'u': o->uri = optarg; break;
        case 'H': o->no_header = 1; break;
        case 'o': o->out_path = optarg; break;
        case 'h':
            cli_usage(CMD, DICT_USAGE, DICT_OPTIONS);
            return -1;
        default:
            cli_bad_option(CMD, c, argv[optind - 1]);
            return 1;
        }
    }
    o->optind = optind;
    if (cli_check_operands(CMD, DICT_USAGE, NULL, argc, optind) < 0)
        return 1;
    return cli_output_is_input(CMD, o->out_path, &argv[optind], 1);
}

/* The agc: URL of a sample: "agc:" + the name with the bytes the plugin
   would misread escaped as %XX ('@' ends the name, '#' and '?' cut index
   names, '%' starts an escape; blanks and control bytes would break the
   header line) + "@" + the archive's absolute path. */
static int agc_url(kstring_t *url, const char *sample, const char *abs_path)
{
    url->l = 0;
    if (kputs("agc:", url) < 0)
        return -1;
    for (const unsigned char *p = (const unsigned char *)sample; *p; p++) {
        int r = (*p <= ' ' || *p >= 0x7f || strchr("%@#?", *p)) ? ksprintf(url, "%%%02X", *p)
                                                                : kputc(*p, url);
        if (r < 0)
            return -1;
    }
    return kputc('@', url) < 0 || kputs(abs_path, url) < 0 ? -1 : 0;
}

/* The contig name as samtools dict prints it: kseq's name, the header up to
   the first whitespace (leading blanks are not skipped). */
static size_t first_word_len(const char *name)
{
    size_t n = 0;
    while (name[n] && !isspace((unsigned char)name[n]))
        n++;
    return n;
}

typedef struct {
    ragc_archive *arc;
    ragc_decoder *dec;
    ragc_outfile out;
    kstring_t text;   /* lines not yet written */
    kstring_t url;
    const dict_opts *opts;
    const char *abs_path;
} dict_ctx;

static int flush_text(dict_ctx *d)
{
    if (d->text.l && ragc_outfile_write(&d->out, d->text.s, d->text.l) < 0) {
        cli_error(CMD, "cannot write %s: %s", d->opts->out_path ? d->opts->out_path : "standard output",
                  strerror(errno));
        return -1;
    }
    d->text.l = 0;
    return 0;
}

/* One @SQ line.  Returns 0, or -1 after printing the error. */
static int sq_line(dict_ctx *d, int64_t s, int64_t c, const char *uri)
{
    const char *name = ragc_contig_name(d->arc, s, c);
    int64_t len = name ? ragc_contig_length(d->arc, d->dec, s, c) : RAGC_ERR_FORMAT;
    uint8_t md5[16];
    int r = len < 0 ? (int)len : ragc_contig_md5(d->dec, s, c, md5);
    if (r < 0) {
        cli_error(CMD, "cannot read contig %lld of sample %s: %s", (long long)c + 1, ragc_sample_name(d->arc, s),
                  ragc_errmsg(r));
        return -1;
    }
    kstring_t *t = &d->text;
    int bad = kputs("@SQ\tSN:", t) < 0 || kputsn(name, first_word_len(name), t) < 0 ||
              ksprintf(t, "\tLN:%lld\tM5:", (long long)len) < 0;
    for (int i = 0; !bad && i < 16; i++)
        bad = ksprintf(t, "%02x", md5[i]) < 0;
    bad = bad || kputs("\tUR:", t) < 0 || kputs(uri, t) < 0;
    if (!bad && d->opts->assembly)
        bad = kputs("\tAS:", t) < 0 || kputs(d->opts->assembly, t) < 0;
    if (!bad && d->opts->species)
        bad = kputs("\tSP:", t) < 0 || kputs(d->opts->species, t) < 0;
    if (bad || kputc('\n', t) < 0) {
        cli_error(CMD, "out of memory");
        return -1;
    }
    return t->l >= FLUSH_BYTES ? flush_text(d) : 0;
}

static int sample_lines(dict_ctx *d, int64_t s)
{
    int64_t n = ragc_n_contigs(d->arc, s);
    if (n < 0) {
        cli_error(CMD, "cannot read sample %s: %s", ragc_sample_name(d->arc, s), ragc_errmsg((int)n));
        return -1;
    }
    const char *uri = d->opts->uri;
    if (!uri) {
        if (agc_url(&d->url, ragc_sample_name(d->arc, s), d->abs_path) < 0) {
            cli_error(CMD, "out of memory");
            return -1;
        }
        uri = d->url.s;
    }
    for (int64_t c = 0; c < n; c++)
        if (sq_line(d, s, c, uri) < 0)
            return -1;
    return 0;
}

/* The samples asked for (all when none), every one checked before anything
   is printed.  Returns a malloc'ed array of *n indices, NULL on error. */
static int64_t *chosen_samples(ragc_archive *arc, int argc, char **argv, int first, int64_t *n)
{
    int64_t all = ragc_n_samples(arc);
    *n = first < argc ? argc - first : all;
    int64_t *idx = malloc((size_t)(*n ? *n : 1) * sizeof(*idx));
    if (!idx) {
        cli_error(CMD, "out of memory");
        return NULL;
    }
    int missing = 0;
    for (int64_t i = 0; i < *n; i++) {
        idx[i] = first < argc ? ragc_sample_index(arc, argv[first + i]) : i;
        if (idx[i] < 0) {
            cli_error(CMD, "no sample '%s' in the archive", argv[first + i]);
            missing = 1;
        }
    }
    if (missing) {
        free(idx);
        return NULL;
    }
    return idx;
}

int cmd_dict(int argc, char **argv)
{
    dict_opts o;
    cli_reader_warnings();   /* an original form that cannot be applied changes the M5s */
    int r = parse_dict_opts(argc, argv, &o);
    ragc_archive *arc = cli_open_parsed(CMD, r, argv, o.optind, &r);
    if (!arc)
        return r;
    dict_ctx d = { .arc = arc, .opts = &o };
    int64_t n = 0, *samples = chosen_samples(arc, argc, argv, o.optind + 1, &n);
    char *abs_path = NULL;
    r = 1;
    if (!samples)
        goto done;
    /* as samtools dict's UR:file://, the absolute path with links resolved;
       a URL as it is given */
    if (!o.uri && ragc_is_url(argv[o.optind]) && !(abs_path = strdup(argv[o.optind]))) {
        cli_error(CMD, "out of memory");
        goto done;
    }
    if (!o.uri && !abs_path && !(abs_path = realpath(argv[o.optind], NULL))) {
        cli_error(CMD, "cannot resolve the path of '%s': %s", argv[o.optind], strerror(errno));
        goto done;
    }
    d.abs_path = abs_path;
    if (!(d.dec = ragc_decoder_init(arc, 0))) {
        cli_error(CMD, "out of memory");
        goto done;
    }
    if (cli_output_open(&d.out, o.out_path) < 0) {
        cli_error(CMD, "cannot write %s: %s", o.out_path ? o.out_path : "standard output", strerror(errno));
        goto done;
    }
    int failed = !o.no_header && kputs("@HD\tVN:1.0\tSO:unsorted\n", &d.text) < 0;
    if (failed)
        cli_error(CMD, "out of memory");
    for (int64_t i = 0; !failed && i < n; i++)
        failed = sample_lines(&d, samples[i]) < 0;
    if (!failed)
        failed = flush_text(&d) < 0;
    if (failed) {
        cli_output_abort(&d.out);   /* a named output is not created */
    } else if (cli_output_commit(&d.out) < 0) {
        cli_error(CMD, "cannot write %s: %s", o.out_path ? o.out_path : "standard output", strerror(errno));
    } else {
        r = 0;
    }
done:
    ragc_decoder_destroy(d.dec);
    ragc_close(arc);
    free(samples);
    free(abs_path);
    free(d.text.s);
    free(d.url.s);
    return r;
}
