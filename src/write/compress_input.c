/* compress_input.c -- stage 4's reading side: each input FASTA file is read
   record by record; a record becomes a contig of its sample (the file's,
   or with -c / --pansn the one its name gives) and a contig job on the
   pool; a batch ends with the synchronisation point (after each file's
   sample, each PanSN sample, or every P contigs with -c). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <htslib/hts_log.h>
#include <htslib/kstring.h>

#include "compress.h"
#include "compress_internal.h"
#include "fasta_in.h"

KHASH_SET_INIT_STR(rg_name_set)

static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t m = strlen(suffix);
    return n > m && memcmp(s + n - m, suffix, m) == 0;
}

char *rg_sample_name_of_path(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    /* std::filesystem::path::stem: drop the last extension (not a leading dot) */
    const char *dot = strrchr(base, '.');
    if (dot && dot != base && strcmp(base, "..") != 0)
        n = (size_t)(dot - base);
    static const char *const suffixes[] = { ".fna", ".gz", ".fa", ".fasta" };
    for (int again = 1; again;) {
        again = 0;
        for (int i = 0; i < 4; i++)
            if (ends_with(base, n, suffixes[i])) {
                n -= strlen(suffixes[i]);
                again = 1;
                break;
            }
    }
    return strndup(base, n);
}

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Reading: the state of the current file. */
typedef struct {
    const char *path;
    rg_fasta_in *in;
    const char *sample_name;      /* the file's sample (not with -c) */
    khash_t(rg_name_set) *seen;   /* contig names of the current sample */
    uint64_t bases;
    size_t contigs;
    size_t in_batch;              /* -c: contigs since the last sync */
    /* progress (ragc_progress): the input, samples before this call, bases
       of the inputs before this one, where the last input's reading ended */
    size_t file, n_files, first_sample;
    uint64_t bases_before, offset;
} reader_state;

/* Tells the caller's progress callback how far reading has got. */
static void report_progress(rg_compressor *c, const reader_state *rs, int file_done)
{
    if (!c->progress)
        return;
    ragc_progress p = { .file = rs->file, .n_files = rs->n_files,
                        .samples = (uint64_t)(c->n_samples - rs->first_sample),
                        .bases = rs->bases_before + rs->bases,
                        .file_offset = rs->in ? rg_fasta_in_raw_offset(rs->in) : rs->offset,
                        .file_done = file_done };
    c->progress(c->progress_ctx, &p);
}

/* The original form of the records read since the last sample ended goes
   to the newest sample (lossless reading only). */
static int store_original(rg_compressor *c, reader_state *rs)
{
    if (!c->keep_original || rs->contigs == 0)
        return RAGC_OK;
    rg_orig_sample desc = { 0 };
    int r = rg_fasta_in_take_original(rs->in, &desc);
    if (r == RAGC_OK)
        r = rg_original_store(c, c->n_samples - 1, &desc);
    rg_orig_sample_free(&desc);
    return r;
}

/* The sample a record belongs to: the file's, or with -c the one named by
   the record's first word (consecutive records share it; agc rejects a
   name that comes back later). */
static int sample_for_record(rg_compressor *c, reader_state *rs, const char *header, int *is_new)
{
    *is_new = 0;
    if (!c->concatenated && !c->pansn)
        return RAGC_OK;
    size_t len;
    if (c->pansn) {   /* sample#haplotype#contig: the sample is up to the second '#' */
        const char *h1 = strchr(header, '#'), *h2 = h1 ? strchr(h1 + 1, '#') : NULL;
        if (!h2 || h1 == header || (size_t)(h2 - header) > strcspn(header, " \t")) {
            hts_log_error("%s: '%s' is not a PanSN name (sample#haplotype#contig)", rs->path, header);
            return RAGC_ERR_FORMAT;
        }
        len = (size_t)(h2 - header);
    } else {
        len = strcspn(header, " \t\r\n");
        if (len == 0) {
            hts_log_error("%s: record %zu has no name, and with -c its first word names its sample",
                          rs->path, rs->contigs + 1);
            return RAGC_ERR_FORMAT;
        }
    }
    const char *last = c->n_samples ? c->sample_names[c->n_samples - 1] : NULL;
    if (rs->contigs > 0 && last && strlen(last) == len && strncmp(last, header, len) == 0)
        return RAGC_OK;
    /* the previous sample is done; --pansn: one sample a batch, as without -c */
    int r = store_original(c, rs);
    if (r == RAGC_OK && c->pansn && rs->contigs > 0)
        r = rg_sync_batch(c);
    char *name = strndup(header, len);
    if (!name)
        return RAGC_ERR_NOMEM;
    if (r == RAGC_OK) {
        r = rg_add_sample(c, name);
        if (r == RAGC_ERR_ARG)
            hts_log_error("%s: contigs of sample %s are not consecutive, or it is in the archive already",
                          rs->path, name);
    }
    free(name);
    *is_new = 1;
    return r;
}

/* Adds contig `header` to the newest sample, refusing a name the sample
   has already; *name gets the stored copy. */
static int add_record_contig(rg_compressor *c, reader_state *rs, const char *header, int new_sample,
                             const char **name)
{
    if (new_sample || !rs->seen) {
        if (rs->seen)
            kh_destroy(rg_name_set, rs->seen);
        if (!(rs->seen = kh_init(rg_name_set)))
            return RAGC_ERR_NOMEM;
    }
    rg_sample *s = &c->batch[c->n_samples - 1 - c->batch_first];
    int absent;
    khint_t it = kh_put(rg_name_set, rs->seen, header, &absent);
    if (absent < 0)
        return RAGC_ERR_NOMEM;
    if (absent == 0) {
        hts_log_error("%s: contig name '%s' appears twice in sample %s", rs->path, header, s->name);
        return RAGC_ERR_FORMAT;
    }
    int r = rg_add_contig(c, s, header);
    if (r < 0) {
        kh_del(rg_name_set, rs->seen, it);
        return r;
    }
    *name = s->contigs[s->n_contigs - 1].name;
    kh_key(rs->seen, it) = *name;   /* stable copy: header is the reader's buffer */
    return RAGC_OK;
}

/* The name stored for a record.  A header that gives no name (">" or
   blanks only; lossless reading) is stored as unnamed-K, K its number in
   its sample.  agc's name coding cannot restore bytes >= 0x80 (it uses them
   as markers): lossless reading stores them as %XX (the original form keeps
   the header's bytes); --no-original refuses them. */
static int record_name(rg_compressor *c, reader_state *rs, kstring_t *header)
{
    const rg_sample *s = &c->batch[c->n_samples - 1 - c->batch_first];
    if (header->l == strspn(header->s, " \t")) {
        header->l = 0;
        return ksprintf(header, "unnamed-%u", s->n_contigs + 1) < 0 ? RAGC_ERR_NOMEM : RAGC_OK;
    }
    size_t i = 0;
    while (i < header->l && (uint8_t)header->s[i] < 0x80)
        i++;
    if (i == header->l)
        return RAGC_OK;
    if (!c->keep_original) {
        hts_log_error("%s: record %zu: the name holds bytes >= 0x80, which agc's name coding cannot "
                      "store (without --no-original they are kept)", rs->path, rs->contigs + 1);
        return RAGC_ERR_FORMAT;
    }
    kstring_t esc = { 0, 0, NULL };
    int r = kputsn(header->s, i, &esc) < 0 ? RAGC_ERR_NOMEM : RAGC_OK;
    for (; r == RAGC_OK && i < header->l; i++) {
        uint8_t b = (uint8_t)header->s[i];
        r = (b < 0x80 ? kputc(b, &esc) : ksprintf(&esc, "%%%02X", b)) < 0 ? RAGC_ERR_NOMEM : RAGC_OK;
    }
    if (r == RAGC_OK) {
        free(header->s);
        *header = esc;
    } else {
        free(esc.s);
    }
    return r;
}

/* One FASTA record, whose header line was read: a contig of its sample, its
   sequence read and cut by a job. */
static int add_record(rg_compressor *c, reader_state *rs, kstring_t *header)
{
    int is_new;
    const char *name = NULL;
    int r = sample_for_record(c, rs, header->s, &is_new);
    if (r == RAGC_OK)
        r = record_name(c, rs, header);
    if (r == RAGC_OK)
        r = add_record_contig(c, rs, header->s, is_new, &name);
    rg_bytes codes = { 0 };
    if (r == RAGC_OK)
        r = rg_fasta_in_sequence(rs->in, name, strlen(name), &codes);
    if (r < 0) {
        rg_bytes_free(&codes);
        return r;
    }
    rs->bases += codes.len;
    rs->contigs++;
    uint32_t sample = (uint32_t)(c->n_samples - 1);
    uint32_t contig = c->batch[sample - c->batch_first].n_contigs - 1;
    const rg_orig_run *exc;
    size_t n_exc;
    rg_fasta_in_exceptions(rs->in, &exc, &n_exc);
    r = rg_dispatch_contig(c, sample, contig, name, codes.s, codes.len, 0, exc, n_exc);
    /* -c: agc synchronises every P contigs */
    if (r == RAGC_OK && c->concatenated && ++rs->in_batch >= c->P) {
        rs->in_batch = 0;
        r = rg_sync_batch(c);
    }
    return r;
}

/* Reads one FASTA file: one sample, or with -c any number of them. */
static int compress_file(rg_compressor *c, reader_state *rs)
{
    int r = RAGC_OK;
    if (!c->concatenated && !c->pansn && (r = rg_add_sample(c, rs->sample_name)) < 0)
        return r;
    if (!(rs->in = rg_fasta_in_open_mode(rs->path, c->keep_original)))
        return RAGC_ERR_IO;
    kstring_t header = { 0, 0, NULL };
    rs->contigs = 0;
    while (r == RAGC_OK && atomic_load(&c->error) == 0) {
        int got = rg_fasta_in_header(rs->in, &header);
        if (got <= 0) {
            r = got;
            break;
        }
        r = add_record(c, rs, &header);
        if (r == RAGC_OK)
            report_progress(c, rs, 0);
    }
    if (r == RAGC_OK && rs->contigs > 0)
        r = store_original(c, rs);   /* the file's last sample */
    int jobs = rg_wait_jobs(c);
    rs->offset = rg_fasta_in_raw_offset(rs->in);
    rg_fasta_in_close(rs->in);
    rs->in = NULL;
    free(header.s);
    if (r == RAGC_OK)
        r = jobs;
    if (r == RAGC_OK && rs->contigs == 0) {
        hts_log_error("%s: no sequences", rs->path);
        r = RAGC_ERR_FORMAT;
    }
    if (r == RAGC_OK && !c->concatenated) {   /* the file's (with --pansn: its last) sample */
        c->last_batch = rs->file + 1 == rs->n_files;
        r = rg_sync_batch(c);
    }
    if (!c->concatenated && rs->seen) {
        kh_destroy(rg_name_set, rs->seen);
        rs->seen = NULL;
    }
    return r;
}

/* Input i of n: its sample name, its samples, the progress report. */
static int read_file(rg_compressor *c, reader_state *rs, const char *path, size_t i, size_t n)
{
    int by_record = c->concatenated || c->pansn;
    const char *given = c->given_names ? c->given_names[i] : NULL;
    char *name = by_record ? NULL : given ? strdup(given) : rg_sample_name_of_path(path);
    if (!by_record && !name)
        return RAGC_ERR_NOMEM;
    rs->path = path;
    rs->sample_name = name;
    rs->bases = 0;
    rs->file = i;
    double t0 = seconds_now();
    int r = compress_file(c, rs);
    double dt = seconds_now() - t0;
    if (r == RAGC_OK)
        report_progress(c, rs, 1);
    rs->bases_before += rs->bases;
    if (r == RAGC_OK && c->verbosity > 0)
        hts_log_info("%s: %zu of %zu files done, %.2f Mbases, %.1f Mbases/s", path, i + 1, n,
                     rs->bases / 1e6, dt > 0 ? rs->bases / 1e6 / dt : 0.0);
    free(name);
    return r;
}

int rg_read_samples(rg_compressor *c, char *const *paths, size_t n)
{
    /* -c continues agc's contig counter where the archive ends */
    reader_state rs = { .in_batch = (size_t)(c->processed_samples % c->P), .n_files = n,
                        .first_sample = c->n_samples };
    int r = RAGC_OK;
    for (size_t i = 0; r == RAGC_OK && i < n; i++)
        r = read_file(c, &rs, paths[i], i, n);
    if (rs.seen)
        kh_destroy(rg_name_set, rs.seen);
    /* -c: agc synchronises once more at the end, even after a full batch */
    if (r == RAGC_OK && c->concatenated && n > 0) {
        c->last_batch = 1;
        r = rg_sync_batch(c);
    }
    if (r == RAGC_OK)
        r = rg_flush_collection(c);
    return r;
}
