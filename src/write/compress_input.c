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
#include "grow.h"

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
    /* read-ahead (one sample a file): the previous file's sample waits for
       its synchronisation point while this file is read; this file's
       records are held (staged) until then, up to read_ahead bases */
    int prev_pending;             /* the previous sample's synchronisation is due */
    int staging;                  /* this file's records are being held */
    struct staged_record *staged;
    size_t n_staged, cap_staged;
    uint64_t staged_bytes, read_ahead;
} reader_state;

/* A record read ahead: its contig job, not dispatched yet. */
typedef struct staged_record {
    uint32_t sample, contig;
    const char *name;             /* the contig's stored name (stable) */
    uint8_t *codes;
    size_t n;
    rg_orig_run *exc;             /* the record's exception runs (for the MD5) */
    size_t n_exc;
} staged_record;

/* While the contig jobs of sample i run, the records of sample i + 1 are
   read and held (its jobs must wait for sample i's synchronisation point,
   where the groups it may join are made): reading no longer stops the
   threads at every sample (on the chrX set the reading of a sample, 0.25 s,
   ran alone between its predecessor's jobs and its own).  Holding stops
   after the record that reaches the read-ahead budget (bases; 64 Mi, or
   RAGC_READ_AHEAD_MB Mi); the sample's other records are then read as
   before, each dispatched at once. */
#define READ_AHEAD_MB 64

/* The read-ahead budget in bases: RAGC_READ_AHEAD_MB (0 .. 2^20; 0 holds
   only the first record of a file), else READ_AHEAD_MB. */
static uint64_t read_ahead_budget(void)
{
    const char *v = getenv("RAGC_READ_AHEAD_MB");
    if (!v || !*v)
        return (uint64_t)READ_AHEAD_MB << 20;
    char *end;
    unsigned long long x = strtoull(v, &end, 10);
    if (*end || x > (1u << 20)) {
        hts_log_warning("ignoring RAGC_READ_AHEAD_MB=%s (want 0..%u)", v, 1u << 20);
        return (uint64_t)READ_AHEAD_MB << 20;
    }
    return (uint64_t)x << 20;
}

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
static int record_name(const rg_compressor *c, const char *path, size_t record_no, uint32_t n_contigs,
                       kstring_t *header)
{
    if (header->l == strspn(header->s, " \t")) {
        header->l = 0;
        return ksprintf(header, "unnamed-%u", n_contigs + 1) < 0 ? RAGC_ERR_NOMEM : RAGC_OK;
    }
    size_t i = 0;
    while (i < header->l && (uint8_t)header->s[i] < 0x80)
        i++;
    if (i == header->l)
        return RAGC_OK;
    if (!c->keep_original) {
        hts_log_error("%s: record %zu: the name holds bytes >= 0x80, which agc's name coding cannot "
                      "store (without --no-original they are kept)", path, record_no + 1);
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

static void free_staged(reader_state *rs)
{
    for (size_t i = 0; i < rs->n_staged; i++) {
        free(rs->staged[i].codes);
        free(rs->staged[i].exc);
    }
    free(rs->staged);
    rs->staged = NULL;
    rs->n_staged = rs->cap_staged = 0;
    rs->staged_bytes = 0;
}

/* Holds a record read ahead; takes codes. */
static int stage_record(rg_compressor *c, reader_state *rs, uint32_t sample, uint32_t contig,
                        const char *name, rg_bytes *codes, const rg_orig_run *exc, size_t n_exc)
{
    int r = RAGC_OK;
    RG_GROW(rs->staged, rs->n_staged, rs->cap_staged, 16, r = RAGC_ERR_NOMEM);
    rg_orig_run *exc_copy = NULL;
    if (r == RAGC_OK && c->keep_md5 && n_exc && !(exc_copy = malloc(n_exc * sizeof(*exc))))
        r = RAGC_ERR_NOMEM;
    if (r < 0) {
        rg_bytes_free(codes);
        return r;
    }
    if (exc_copy)
        memcpy(exc_copy, exc, n_exc * sizeof(*exc));
    rs->staged[rs->n_staged++] = (staged_record){ sample, contig, name, codes->s, codes->len, exc_copy,
                                                  exc_copy ? n_exc : 0 };
    rs->staged_bytes += codes->len;
    codes->s = NULL;
    return RAGC_OK;
}

static int cmp_smaller_record(const void *x, const void *y)
{
    const staged_record *a = x, *b = y;
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    return a->contig < b->contig ? -1 : a->contig > b->contig;
}

/* The held records' jobs, all queued at once (waiting for room in the
   queue kept the reader from the next file until the last jobs of this
   one, so the threads idled at every sample while it read), the shortest
   first: a long contig shares its work with helper jobs (par_for), which
   find room in the queue only once the queue has drained.  The archive
   does not depend on the order of the jobs. */
static int dispatch_staged(rg_compressor *c, reader_state *rs)
{
    if (rs->n_staged > 1)
        qsort(rs->staged, rs->n_staged, sizeof(*rs->staged), cmp_smaller_record);
    int r = RAGC_OK;
    for (size_t i = 0; r == RAGC_OK && i < rs->n_staged; i++) {
        staged_record *x = &rs->staged[i];
        r = rg_dispatch_contig_now(c, x->sample, x->contig, x->name, x->codes, x->n, x->exc, x->n_exc);
        x->codes = NULL;   /* the job's now (freed on failure too) */
    }
    free_staged(rs);
    return r;
}

/* The previous sample's synchronisation point, then the held records'
   jobs; reading goes on without holding. */
static int catch_up(rg_compressor *c, reader_state *rs)
{
    int r = rs->prev_pending ? rg_sync_batch(c) : RAGC_OK;
    rs->prev_pending = 0;
    if (r == RAGC_OK)
        r = dispatch_staged(c, rs);
    rs->staging = 0;
    return r;
}

int rg_record_name(const rg_compressor *c, const char *path, size_t record_no, uint32_t n_contigs,
                   kstring_t *header)
{
    return record_name(c, path, record_no, n_contigs, header);
}

/* One FASTA record, whose header line was read: a contig of its sample, its
   sequence read and cut by a job. */
static int add_record(rg_compressor *c, reader_state *rs, kstring_t *header)
{
    int is_new;
    const char *name = NULL;
    int r = sample_for_record(c, rs, header->s, &is_new);
    if (r == RAGC_OK)
        r = record_name(c, rs->path, rs->contigs, c->batch[c->n_samples - 1 - c->batch_first].n_contigs,
                        header);
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
    if (rs->staging) {
        r = stage_record(c, rs, sample, contig, name, &codes, exc, n_exc);
        if (r == RAGC_OK && rs->staged_bytes >= rs->read_ahead)
            r = catch_up(c, rs);   /* the rest of this sample is dispatched as read */
        return r;
    }
    r = rg_dispatch_contig(c, sample, contig, name, codes.s, codes.len, 0, exc, n_exc);
    /* -c: agc synchronises every P contigs */
    if (r == RAGC_OK && c->concatenated && ++rs->in_batch >= c->P) {
        rs->in_batch = 0;
        r = rg_sync_batch(c);
    }
    return r;
}

/* Record i of the file read already (the reference, read once for the
   splitters): a contig of the file's sample, cut by a job. */
static int add_preread_record(rg_compressor *c, reader_state *rs, const rg_preread *p, size_t i)
{
    const char *name = NULL;
    int r = add_record_contig(c, rs, p->names[i], 0, &name);
    size_t n = p->starts[i + 1] - p->starts[i];
    uint8_t *codes = r == RAGC_OK ? malloc(n ? n : 1) : NULL;
    if (r == RAGC_OK && !codes)
        r = RAGC_ERR_NOMEM;
    if (r < 0)
        return r;
    if (n)
        memcpy(codes, p->codes.s + p->starts[i], n);
    rs->bases += n;
    rs->contigs++;
    uint32_t sample = (uint32_t)(c->n_samples - 1);
    uint32_t contig = c->batch[sample - c->batch_first].n_contigs - 1;
    rg_bytes b = { codes, n, n };
    return stage_record(c, rs, sample, contig, name, &b, p->exc[i], p->n_exc[i]);
}

/* Reads one FASTA file: one sample, or with -c any number of them; the
   records of pre when it holds the file. */
static int compress_file(rg_compressor *c, reader_state *rs, rg_preread *pre)
{
    int r = RAGC_OK;
    if (!c->concatenated && !c->pansn && (r = rg_add_sample(c, rs->sample_name)) < 0)
        return r;
    if (pre) {
        rs->in = pre->in;   /* at the file's end: its original form is taken below */
        pre->in = NULL;
    } else if (!(rs->in = rg_fasta_in_open_mode(rs->path, c->keep_original))) {
        return RAGC_ERR_IO;
    }
    kstring_t header = { 0, 0, NULL };
    rs->contigs = 0;
    rs->staging = rs->prev_pending;
    for (size_t i = 0; pre && r == RAGC_OK && i < pre->n_rec && atomic_load(&c->error) == 0; i++) {
        r = add_preread_record(c, rs, pre, i);
        if (r == RAGC_OK)
            report_progress(c, rs, 0);
    }
    if (pre) {   /* every record is held: their jobs, and the records freed */
        if (r == RAGC_OK)
            r = dispatch_staged(c, rs);
        rg_preread_free(pre);
    }
    while (!pre && r == RAGC_OK && atomic_load(&c->error) == 0) {
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
    if (r == RAGC_OK && rs->contigs == 0) {
        hts_log_error("%s: no sequences", rs->path);
        r = RAGC_ERR_FORMAT;
    }
    if (r == RAGC_OK && rs->staging)
        r = catch_up(c, rs);
    /* one sample a file: its synchronisation point waits until the next
       file has been read (or the input ends: rg_read_samples) */
    int defer = r == RAGC_OK && !c->concatenated && !c->pansn;
    int jobs = defer ? RAGC_OK : rg_wait_jobs(c);
    rs->offset = rg_fasta_in_raw_offset(rs->in);
    rg_fasta_in_close(rs->in);
    rs->in = NULL;
    free(header.s);
    if (r == RAGC_OK)
        r = jobs;
    if (defer) {
        rs->prev_pending = 1;
    } else if (r == RAGC_OK && !c->concatenated) {   /* --pansn: the file's last sample */
        c->last_batch = rs->file + 1 == rs->n_files;
        r = rg_sync_batch(c);
    }
    if (!c->concatenated && rs->seen) {
        kh_destroy(rg_name_set, rs->seen);
        rs->seen = NULL;
    }
    return r;
}

/* Input i of n: its sample name, its samples, the progress report; pre:
   the file's records when read already. */
static int read_file(rg_compressor *c, reader_state *rs, const char *path, size_t i, size_t n,
                     rg_preread *pre)
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
    int r = compress_file(c, rs, pre);
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

int rg_read_samples(rg_compressor *c, char *const *paths, size_t n, rg_preread *first)
{
    /* -c continues agc's contig counter where the archive ends */
    reader_state rs = { .in_batch = (size_t)(c->processed_samples % c->P), .n_files = n,
                        .first_sample = c->n_samples, .read_ahead = read_ahead_budget() };
    int r = RAGC_OK;
    for (size_t i = 0; r == RAGC_OK && i < n; i++)
        r = read_file(c, &rs, paths[i], i, n, i == 0 && first && first->in ? first : NULL);
    if (r == RAGC_OK && rs.prev_pending) {   /* the last file's sample */
        c->last_batch = 1;
        r = rg_sync_batch(c);
    }
    if (r < 0) {   /* no job may outlive the call */
        rg_wait_jobs(c);
        free_staged(&rs);
    }
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
