/* compress.c -- the compressor's entry points and its pipeline, stage by
   stage (compress_internal.h describes the stages and their files):
   options checked; the state set up; the splitters found; the archive
   opened; the samples read; the archive closed.  One pipeline writes to a
   file descriptor sequentially (ragc_create_fd, ragc_append_fd); the path
   entry points open a temporary file beside the path, run it, and commit
   (rename) or abort (remove).  Memory holds one sample's segments
   (known-group members already as LZ deltas) plus the group references and
   their indexes, never the collection. */
#include "compress.h"

#include <string.h>

#include <htslib/hts_log.h>

#include "archive.h"
#include "compress_internal.h"
#include "outfile.h"
#include "splitters.h"

void ragc_create_opts_init(ragc_create_opts *o)
{
    *o = (ragc_create_opts){ .kmer_length = 31, .min_match_len = 20, .pack_cardinality = 50,
                             .segment_size = 60000, .threads = 1 };
}

static int check_ranges(const ragc_create_opts *o)
{
    if (!(o->fallback_frac >= 0.0 && o->fallback_frac <= 0.05)) {
        hts_log_error("fall-back fraction %g out of range (0 to 0.05)", o->fallback_frac);
        return RAGC_ERR_ARG;
    }
    if (o->kmer_length < 17 || o->kmer_length > 32 || o->min_match_len < 15 || o->min_match_len > 32
        || o->pack_cardinality < 1 || o->segment_size < 100 || o->segment_size > 1000000) {
        hts_log_error("parameters out of range (k %u, l %u, b %u, s %u)", o->kmer_length,
                      o->min_match_len, o->pack_cardinality, o->segment_size);
        return RAGC_ERR_ARG;
    }
    return RAGC_OK;
}

/* The options of a run (in: the archive appended to, or NULL): the
   caller's, with the archive's parameters, checked. */
static int resolve_opts(const ragc_archive *in, int like, char *const *paths, size_t n, const ragc_create_opts *opts,
                        ragc_create_opts *o)
{
    if (!opts || (n && !paths) || ((!in || like) && n == 0))
        return RAGC_ERR_ARG;
    if (opts->sample_names && (opts->pansn || opts->concatenated)) {
        hts_log_error("sample names cannot be given when the records name the samples (-c, --pansn)");
        return RAGC_ERR_ARG;
    }
    if (opts->pansn && opts->concatenated) {
        hts_log_error("--pansn and -c are two ways of naming samples: choose one");
        return RAGC_ERR_ARG;
    }
    if (!in && strcmp(paths[0], "-") == 0) {
        /* with -c, --pansn or -a the splitters come from a first reading of
           the reference, its samples from a second */
        hts_log_error("the reference is read twice and cannot come from standard input; "
                      "other inputs can");
        return RAGC_ERR_ARG;
    }
    *o = *opts;
    if (in && in->params.file_version < 3000) {
        hts_log_error("cannot %s an archive of format %u (agc %u.x): only format 3 can be continued",
                      like ? "make a shard of" : "append to", in->params.file_version / 1000,
                      in->params.file_version / 1000);
        return RAGC_ERR_VERSION;
    }
    if (in) {   /* the archive's parameters carry over */
        o->kmer_length = in->params.kmer_length;
        o->min_match_len = in->params.min_match_len;
        o->pack_cardinality = in->params.pack_cardinality;
        o->segment_size = in->params.segment_size;
    }
    return check_ranges(o);
}

/* Stage 2: the splitters (and -f's tuples) of the reference, or of the
   archive appended to (rg_append_init, at stage 3); adaptive mode's
   reference k-mers. */
static int find_splitters(rg_compressor *c, ragc_archive *in, const char *reference, const rg_preread *pre)
{
    int r = RAGC_OK;
    if (!in) {
        rg_splitter_opts so = { c->k, c->S, c->threads, 0, c->fallback_thr, c->keep_original };
        r = pre->in ? rg_splitters_find_codes_fallback(pre->codes.s, pre->starts, pre->n_rec, &so,
                                                       &c->splitter_list, &c->n_splitters,
                                                       &c->fallback_pending, &c->n_fallback_pending)
                    : rg_splitters_find_fallback(reference, &so, &c->splitter_list, &c->n_splitters,
                                                 &c->fallback_pending, &c->n_fallback_pending);
        c->cap_fallback_pending = c->n_fallback_pending;
    }
    if (r == RAGC_OK && c->adaptive)
        r = in ? rg_reference_kmers_of_archive(c, in) : rg_reference_kmers_of_file(c, reference);
    return r;
}

/* Stage 3: the container writer, the collection's streams first (agc's
   order), the groups of a new archive or of the archive appended to, and
   the splitter set the contig jobs test against. */
static int open_archive(rg_compressor *c, ragc_outfile *out, ragc_archive *in, int like)
{
    if (!(c->w = rg_cw_open(out)))
        return RAGC_ERR_NOMEM;
    if ((c->s_samples = rg_cw_register(c->w, "collection-samples")) < 0
        || (c->s_contigs = rg_cw_register(c->w, "collection-contigs")) < 0
        || (c->s_details = rg_cw_register(c->w, "collection-details")) < 0)
        return RAGC_ERR_NOMEM;
    int r = like ? rg_like_init(c, in) : in ? rg_append_init(c, in) : rg_register_raw_groups(c);
    if (r == RAGC_OK)
        r = rg_load_splitter_set(c);
    return r;
}

/* Stage 5's end: the container's directory written, or the writer dropped
   after a failure. */
static int close_writer(rg_compressor *c, int r)
{
    if (!c->w)
        return r;
    int cr = r == RAGC_OK ? rg_cw_close(c->w) : (rg_cw_discard(c->w), RAGC_OK);
    c->w = NULL;
    return r == RAGC_OK ? cr : r;
}

/* The pipeline, to out; create (in == NULL), append, or create --like in
   (like: a shard of in). */
static int compress_to(ragc_outfile *out, ragc_archive *in, int like, const char *in_path, char *const *paths,
                       size_t n, const ragc_create_opts *o)
{
    rg_compressor c;
    rg_preread ref = { 0 };
    int r = rg_compressor_init(&c, o);
    c.in_path = in_path;
    /* a new archive's reference is read once, for the splitters and as the
       first sample (one sample a file; -c and --pansn read it twice) */
    if (r == RAGC_OK && !in && n && !c.concatenated && !c.pansn)
        r = rg_preread_file(&c, paths[0], &ref);
    if (r == RAGC_OK)
        r = find_splitters(&c, in, n ? paths[0] : NULL, &ref);
    if (r == RAGC_OK)
        r = open_archive(&c, out, in, like);
    /* the input's MD5s, kept as its original forms are; without inputs
       (and neither --no-original nor --no-md5) every sample's, computed
       where missing */
    if (r == RAGC_OK && in && !like)
        r = n || !c.keep_md5 ? rg_ext_from_archive(&c.md5, in) : rg_md5_of_archive(&c, in);
    if (r == RAGC_OK)
        r = rg_read_samples(&c, paths, n, &ref);
    rg_preread_free(&ref);
    if (r == RAGC_OK)
        r = rg_close_archive(&c);
    r = close_writer(&c, r);
    rg_compressor_free(&c);
    return r;
}

static int compress_fd(int fd, ragc_archive *in, int like, const char *in_path, char *const *paths, size_t n,
                       const ragc_create_opts *opts)
{
    ragc_create_opts o;
    int r = resolve_opts(in, like, paths, n, opts, &o);
    if (r < 0)
        return r;
    if (fd < 0)
        return RAGC_ERR_ARG;
    /* the caller's descriptor: no temporary file, nothing renamed or closed */
    ragc_outfile out = { .fd = fd, .path = NULL, .tmp = NULL };
    return compress_to(&out, in, like, in_path, paths, n, &o);
}

/* compress_fd's arguments, for rg_outfile_write_all */
typedef struct {
    ragc_archive *in;
    int like;
    const char *in_path;
    char *const *paths;
    size_t n;
    const ragc_create_opts *opts;
} compress_args;

static int compress_args_fd(int fd, void *ctx)
{
    compress_args *a = ctx;
    return compress_fd(fd, a->in, a->like, a->in_path, a->paths, a->n, a->opts);
}

/* The fd pipeline into a temporary file beside out_path, renamed over it
   on success and removed on failure (standard output: written directly). */
static int compress_path(const char *out_path, ragc_archive *in, int like, const char *in_path, char *const *paths,
                         size_t n, const ragc_create_opts *opts)
{
    ragc_create_opts o;
    int r = resolve_opts(in, like, paths, n, opts, &o);   /* before any file is made */
    if (r < 0)
        return r;
    compress_args a = { in, like, in_path, paths, n, opts };
    return rg_outfile_write_all(out_path, compress_args_fd, &a);
}

int ragc_create(const char *out_path, char *const *paths, size_t n, const ragc_create_opts *opts)
{
    return compress_path(out_path, NULL, 0, NULL, paths, n, opts);
}

int ragc_create_fd(int fd, char *const *paths, size_t n, const ragc_create_opts *opts)
{
    return compress_fd(fd, NULL, 0, NULL, paths, n, opts);
}

/* An input archive opened for append (like 0) or as a shard's base. */
static int with_archive(const char *in_path, int like, const char *out_path, int fd, char *const *paths, size_t n,
                        const ragc_create_opts *opts)
{
    int st;
    ragc_archive *in = in_path ? ragc_open(in_path, &st) : NULL;
    if (!in)
        return in_path ? st : RAGC_ERR_ARG;
    int r = fd >= 0 ? compress_fd(fd, in, like, in_path, paths, n, opts)
                    : compress_path(out_path, in, like, in_path, paths, n, opts);
    ragc_close(in);
    return r;
}

int ragc_append(const char *in_path, const char *out_path, char *const *paths, size_t n,
                const ragc_create_opts *opts)
{
    return with_archive(in_path, 0, out_path, -1, paths, n, opts);
}

int ragc_append_fd(const char *in_path, int fd, char *const *paths, size_t n, const ragc_create_opts *opts)
{
    return fd < 0 ? RAGC_ERR_ARG : with_archive(in_path, 0, NULL, fd, paths, n, opts);
}

int ragc_create_like(const char *base_path, const char *out_path, char *const *paths, size_t n,
                     const ragc_create_opts *opts)
{
    return with_archive(base_path, 1, out_path, -1, paths, n, opts);
}

int ragc_create_like_fd(const char *base_path, int fd, char *const *paths, size_t n, const ragc_create_opts *opts)
{
    return fd < 0 ? RAGC_ERR_ARG : with_archive(base_path, 1, NULL, fd, paths, n, opts);
}
