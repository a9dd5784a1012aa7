/* faidx.c -- `ragc faidx`: samtools faidx on one sample of an archive.

   Regions, options and output are those of `samtools faidx` run on the
   sample's FASTA (the virtual FASTA of ragc_vfasta, ragc.h, which the htslib
   plugin serves as agc:[SAMPLE@]ARCHIVE).  Without regions it prints that FASTA's
   .fai to standard output (or -o), where samtools would write FILE.fai. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hfile.h>
#include <htslib/hts.h>
#include <htslib/kstring.h>

#include "cli.h"
#include "faidx_view.h"
#include "fasta_out.h"
#include "output.h"
#include "same_file.h"

static const char *const CMD = "faidx";

static const char FAIDX_USAGE[] = "[options] <in.agc> [<region1> [...]]";
static const char FAIDX_OPTIONS[] =
    "   -s, --sample NAME          sample to read [the reference]\n"
    "   -o, --output FILE          write to FILE [standard output]\n"
    "   -n, --length INT           length of FASTA sequence lines [60]\n"
    "   -c, --continue             continue after a missing region\n"
    "   -r, --region-file FILE     file of regions, one per line\n"
    "   -i, --reverse-complement   reverse complement sequences\n"
    "       --mark-strand TYPE     add a strand indicator to sequence names:\n"
    "                              rc (/rc on the negative strand, default), no,\n"
    "                              sign ((+) / (-)), custom,<pos>,<neg>\n"
    "   -h, --help                 this help\n"
    "Regions are NAME, NAME:BEG or NAME:BEG-END (1-based, inclusive; {NAME} for\n"
    "names with colons), as in samtools faidx.  Without regions the .fai of the\n"
    "sample's FASTA (60 bases a line, as the agc: htslib plugin serves it) is\n"
    "printed.  Without -s, a contig the reference lacks is read from the one\n"
    "sample that has it.  (getctg ranges are 0-based, as agc.)\n";

/* Output gathered before a write. */
#define FLUSH_BYTES ((size_t)1 << 20)

typedef struct {
    ragc_archive *arc;
    faidx_view *view;     /* the sample being read */
    int sample_given;     /* -s: never move to another sample */
    ragc_outfile out;
    cli_fasta fa;         /* records in lines of line_len, drained to out */
    kstring_t name;       /* the header of the region being written */
    int line_len, rev, keep_going;
    const char *pos_name, *neg_name;
    int write_failed;
} faidx_ctx;

/* The flush callback of fx->fa: writes to the output, reporting the first
   failure only. */
static int write_out(void *ctx, const char *s, size_t n)
{
    faidx_ctx *fx = ctx;
    if (ragc_outfile_write(&fx->out, s, n) < 0) {
        if (!fx->write_failed)
            cli_error(CMD, "cannot write the output: %s", strerror(errno));
        fx->write_failed = 1;
        return -1;
    }
    return 0;
}

static int flush_out(faidx_ctx *fx)
{
    return cli_fasta_drain(&fx->fa) < 0 ? -1 : 0;
}

/* A region whose contig the current sample lacks: without -s, the
   reference or the one sample that has it (faidx_view.h) becomes the
   current sample.  Returns 0 when a move was made, -1 (reported) if not. */
static int move_to_region(faidx_ctx *fx, const char *region)
{
    const char *cur = ragc_sample_name(fx->arc, faidx_view_sample(fx->view));
    if (fx->sample_given) {
        cli_error(CMD, "failed to fetch sequence in %s: no such contig in sample %s", region, cur);
        return -1;
    }
    int64_t s;
    int r = faidx_locate(fx->arc, region, &s);
    if (r == RAGC_ERR_AMBIGUOUS) {
        cli_error(CMD, "failed to fetch sequence in %s: not in the reference %s, and in more than one "
                       "other sample; name one with -s", region, ragc_reference(fx->arc));
        return -1;
    }
    if (r != RAGC_OK || s == faidx_view_sample(fx->view)) {
        cli_error(CMD, "failed to fetch sequence in %s: no such contig in the reference %s nor in any other "
                       "sample of the archive", region, ragc_reference(fx->arc));
        return -1;
    }
    faidx_view *v = faidx_view_open(fx->arc, s);
    if (!v)
        return -1;
    faidx_view_close(fx->view);
    fx->view = v;
    return 0;
}

/* samtools faidx's complement: IUPAC codes, case kept, others unchanged. */
static char complement(char c)
{
    static const char from[] = "ACGTUMRWSYKVHDBNacgtumrwsykvhdbn";
    static const char to[]   = "TGCAAKYWSRMBDHVNtgcaakywsrmbdhvn";
    const char *p = c ? strchr(from, c) : NULL;
    return p ? to[p - from] : c;
}

static int collect_sink(void *ctx, const char *s, size_t n)
{
    return kputsn(s, n, ctx) < 0;
}

/* One region, as samtools' write_output: the header first, then the bases
   or an error.  Returns 0, or 1 to stop with failure. */
static int write_region(faidx_ctx *fx, const char *region)
{
    int tid;
    hts_pos_t beg, end;
    const char *ok = hts_parse_region(region, &tid, &beg, &end, faidx_view_name2id, fx->view, 0);
    if (!ok && move_to_region(fx, region) == 0)
        ok = hts_parse_region(region, &tid, &beg, &end, faidx_view_name2id, fx->view, 0);
    ragc_vfasta *vf = faidx_view_fasta(fx->view);
    fx->name.l = 0;
    if (ksprintf(&fx->name, "%s%s", region, fx->rev ? fx->neg_name : fx->pos_name) < 0 ||
        cli_fasta_begin(&fx->fa, fx->name.s, fx->name.l) < 0)
        goto nomem;
    if (!ok) {
        if (flush_out(fx) < 0)
            return 1;
        return fx->keep_going ? 0 : 1;
    }
    int64_t len = ragc_vfasta_contig_length(vf, tid);
    hts_pos_t b = beg, e = end;
    /* htslib compares with the unsigned length: a negative start (from
       "name:0-N") counts as past the end */
    if (b < 0 || b >= len) b = len;
    if (e < 0 || e >= len) e = len;
    if (b > e) b = e;
    hts_pos_t seq_len = e - b;
    if (seq_len == 0)
        cli_error(CMD, "zero length sequence: %s", region);
    else if (end < INT_MAX && seq_len != end - beg)
        cli_error(CMD, "truncated sequence: %s", region);
    if (seq_len == 0)
        return flush_out(fx) < 0;

    int r;
    if (!fx->rev) {
        r = ragc_vfasta_stream(vf, tid, b, e - 1, cli_fasta_seq, &fx->fa);
        if (r == RAGC_OK && cli_fasta_end(&fx->fa) < 0)
            goto nomem;
    } else {
        kstring_t seq = KS_INITIALIZE;
        r = ragc_vfasta_stream(vf, tid, b, e - 1, collect_sink, &seq);
        if (r == RAGC_OK && (hts_pos_t)seq.l != seq_len)
            r = RAGC_ERR_FORMAT;
        if (r == RAGC_OK) {
            size_t i = 0, j = seq.l;
            while (j > i + 1) {
                j--;
                char t = complement(seq.s[i]);
                seq.s[i] = complement(seq.s[j]);
                seq.s[j] = t;
                i++;
            }
            if (j == i + 1)
                seq.s[i] = complement(seq.s[i]);
            if (cli_fasta_seq(&fx->fa, seq.s, seq.l) < 0 || cli_fasta_end(&fx->fa) < 0)
                r = RAGC_ERR_CALLBACK;
        }
        free(seq.s);
    }
    if (r != RAGC_OK) {
        if (!fx->write_failed)
            cli_error(CMD, "failed to fetch sequence in %s: %s", region, ragc_errmsg(r));
        return 1;
    }
    return 0;
nomem:
    cli_error(CMD, "out of memory");
    return 1;
}

static int region_file(faidx_ctx *fx, const char *path)
{
    hFILE *fp = hopen(path, "r");
    if (!fp) {
        cli_error(CMD, "cannot open region file '%s': %s", path, strerror(errno));
        return 1;
    }
    kstring_t line = KS_INITIALIZE;
    int r = 0;
    while (!r && (line.l = 0, kgetline(&line, (kgets_func *)hgets, fp) >= 0))
        r = write_region(fx, line.s);
    free(line.s);
    if (hclose(fp) != 0)
        cli_error(CMD, "warning: failed to close %s", path);
    return r;
}

int cmd_faidx(int argc, char **argv)
{
    static const struct option lopts[] = {
        { "sample", required_argument, NULL, 's' },
        { "output", required_argument, NULL, 'o' },
        { "length", required_argument, NULL, 'n' },
        { "continue", no_argument, NULL, 'c' },
        { "region-file", required_argument, NULL, 'r' },
        { "reverse-complement", no_argument, NULL, 'i' },
        { "mark-strand", required_argument, NULL, 1000 },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    cli_reader_warnings();
    faidx_ctx fx = { .line_len = 60, .pos_name = "", .neg_name = "/rc", .out = { .fd = -1 } };
    int failed = 0;
    const char *sample = NULL, *out_path = NULL, *regions = NULL;
    char *strand_names = NULL;
    int c, ret = 1;
    cli_getopt_restart();
    while ((c = getopt_long(argc, argv, ":s:o:n:cr:ih", lopts, NULL)) >= 0) {
        switch (c) {
        case 's': sample = optarg; break;
        case 'o': out_path = optarg; break;
        case 'n': {
            int64_t v;
            if (cli_int_option(CMD, 'n', optarg, 0, INT_MAX, &v) < 0)
                goto out;
            if (v < 1) {
                cli_error(CMD, "bad line length '%s', using the default 60", optarg);
                v = 60;
            }
            fx.line_len = (int)v;
            break;
        }
        case 'c': fx.keep_going = 1; break;
        case 'r': regions = optarg; break;
        case 'i': fx.rev = 1; break;
        case 1000:
            if (strcmp(optarg, "no") == 0) {
                fx.pos_name = fx.neg_name = "";
            } else if (strcmp(optarg, "sign") == 0) {
                fx.pos_name = "(+)";
                fx.neg_name = "(-)";
            } else if (strcmp(optarg, "rc") == 0) {
                fx.pos_name = "";
                fx.neg_name = "/rc";
            } else if (strncmp(optarg, "custom,", 7) == 0) {
                free(strand_names);
                if (!(strand_names = strdup(optarg + 7))) {
                    cli_error(CMD, "out of memory");
                    goto out;
                }
                char *comma = strchr(strand_names, ',');
                fx.pos_name = strand_names;
                if (comma) {
                    *comma = '\0';
                    fx.neg_name = comma + 1;
                } else {
                    fx.neg_name = "";
                }
            } else {
                cli_error(CMD, "unknown --mark-strand option \"%s\"", optarg);
                goto out;
            }
            break;
        case 'h':
            cli_usage(CMD, FAIDX_USAGE, FAIDX_OPTIONS);
            ret = 0;
            goto out;
        default:
            cli_bad_option(CMD, c, argv[optind - 1]);
            goto out;
        }
    }
    if (cli_check_operands(CMD, FAIDX_USAGE, NULL, argc, optind) < 0)
        goto out;
    char *faidx_inputs[2] = { argv[optind], (char *)regions };
    if (cli_output_is_input(CMD, out_path, faidx_inputs, 2))
        goto out;

    ragc_archive *arc = cli_open_archive(CMD, argv[optind]);
    if (!arc)
        goto out;
    int64_t s = ragc_sample_index(arc, sample ? sample : ragc_reference(arc));
    if (s < 0) {
        cli_error(CMD, "there is no sample %s", sample);
        ragc_close(arc);
        goto out;
    }
    fx.arc = arc;
    fx.sample_given = sample != NULL;
    if (!(fx.view = faidx_view_open(arc, s))) {
        ragc_close(arc);
        goto out;
    }
    if (cli_fasta_init(&fx.fa, (uint64_t)fx.line_len, 0) < 0) {
        cli_error(CMD, "out of memory");
        goto close;
    }
    fx.fa.flush = write_out;
    fx.fa.flush_ctx = &fx;
    fx.fa.flush_at = FLUSH_BYTES;
    if (cli_output_open(&fx.out, out_path) < 0) {
        cli_error(CMD, "cannot write %s: %s", out_path ? out_path : "standard output", strerror(errno));
        fx.out.fd = -1;
        goto close;
    }
    if (!regions && optind + 1 >= argc) {
        char *fai;
        size_t fai_len;
        if (ragc_vfasta_fai(faidx_view_fasta(fx.view), &fai, &fai_len) < 0) {
            cli_error(CMD, "out of memory");
            failed = 1;
        } else {
            failed = write_out(&fx, fai, fai_len) < 0;
            free(fai);
        }
    } else {
        if (regions)
            failed = region_file(&fx, regions);
        for (int a = optind + 1; !failed && a < argc; a++)
            failed = write_region(&fx, argv[a]);
    }
    if (flush_out(&fx) < 0)
        failed = 1;
    if (failed) {
        /* like samtools, what came before the failure stays on standard
           output; a named output is not created */
        cli_output_abort(&fx.out);
    } else if (cli_output_commit(&fx.out) < 0) {
        cli_error(CMD, "cannot write %s: %s", out_path ? out_path : "standard output", strerror(errno));
    } else {
        ret = 0;
    }
close:
    faidx_view_close(fx.view);
    ragc_close(arc);
out:
    cli_fasta_free(&fx.fa);
    free(fx.name.s);
    free(strand_names);
    return ret;
}
