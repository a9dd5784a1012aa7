/* archive.c -- opening an archive: directory, file_type_info, params,
   collection; sample and contig lookup. */
#include "archive.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>

#include "varint.h"

/* Decoded group parts kept for all decoders of an archive. */
#define RG_SHARED_CACHE_BYTES ((size_t)128 << 20)

const char *ragc_errmsg(int status)
{
    switch (status) {
    case RAGC_OK: return "success";
    case RAGC_ERR_IO: return "input/output error";
    case RAGC_ERR_FORMAT: return "not an AGC archive, or a corrupt one";
    case RAGC_ERR_VERSION: return "unsupported AGC archive version";
    case RAGC_ERR_NOMEM: return "out of memory";
    case RAGC_ERR_NO_SAMPLE: return "no such sample";
    case RAGC_ERR_NO_CONTIG: return "no such contig";
    case RAGC_ERR_AMBIGUOUS: return "contig name is ambiguous";
    case RAGC_ERR_ARG: return "invalid argument";
    case RAGC_ERR_NO_ORIGINAL: return "the sample has no original form (archive written by agc or with --no-original)";
    case RAGC_ERR_CALLBACK: return "output failed";
    case RAGC_ERR_INPUT: return "input that cannot be stored";
    case RAGC_ERR_NOT_APPENDABLE: return "the archive cannot be appended to (see above)";
    case RAGC_ERR_SHARD: return "a shard of another archive, readable once merged with it (ragc merge BASE SHARD...)";
    default: return "unknown error";
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *info_value(const ragc_archive *arc, const char *key)
{
    for (int i = 0; i < arc->n_info; i++)
        if (strcmp(arc->info_key[i], key) == 0)
            return arc->info_val[i];
    return NULL;
}

static int parse_version_number(const char *s, uint32_t *v)
{
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    unsigned long x = strtoul(s, &end, 10);
    if (errno || *end || x > 1000000)
        return -1;
    *v = (uint32_t)x;
    return 0;
}

/* file_type_info: metadata = n, payload = n (key, value) NUL-terminated pairs. */
static int load_file_type_info(ragc_archive *arc)
{
    uint8_t *data;
    size_t len;
    uint64_t n;
    int r = rg_container_read_records(&arc->ctr, "file_type_info", 2, &data, &len, &n);
    if (r < 0)
        return r;
    rg_cursor c = { data, data + len };
    char **pairs = calloc(2 * n + 1, sizeof(char *));
    r = pairs ? RAGC_OK : RAGC_ERR_NOMEM;
    for (uint64_t i = 0; r == RAGC_OK && i < 2 * n; i++) {
        const char *s;
        size_t l;
        if (rg_read_cstr(&c, &s, &l) < 0)
            r = RAGC_ERR_FORMAT;
        else if (!(pairs[i] = strndup(s, l)))
            r = RAGC_ERR_NOMEM;
    }
    free(data);
    arc->info_key = calloc(n + 1, sizeof(char *));
    arc->info_val = calloc(n + 1, sizeof(char *));
    if (r == RAGC_OK && (!arc->info_key || !arc->info_val))
        r = RAGC_ERR_NOMEM;
    if (r < 0) {
        for (uint64_t i = 0; pairs && i < 2 * n; i++)
            free(pairs[i]);
        free(pairs);
        if (r == RAGC_ERR_FORMAT)
            hts_log_error("corrupt archive: bad file_type_info");
        return r;
    }
    /* sort pairs by key (agc keeps them in a std::map) */
    char **keyed = malloc((n + 1) * sizeof(char *));
    if (!keyed) {
        for (uint64_t i = 0; i < 2 * n; i++)
            free(pairs[i]);
        free(pairs);
        return RAGC_ERR_NOMEM;
    }
    for (uint64_t i = 0; i < n; i++)
        keyed[i] = pairs[2 * i];
    qsort(keyed, n, sizeof(char *), cmp_str);
    for (uint64_t i = 0; i < n; i++) {
        arc->info_key[i] = keyed[i];
        for (uint64_t j = 0; j < n; j++)
            if (pairs[2 * j] == keyed[i])
                arc->info_val[i] = pairs[2 * j + 1];
    }
    arc->n_info = (int)n;
    free(keyed);
    free(pairs);

    uint32_t major, minor;
    if (parse_version_number(info_value(arc, "file_version_major"), &major) < 0
        || parse_version_number(info_value(arc, "file_version_minor"), &minor) < 0) {
        hts_log_error("not an AGC archive: no file version");
        return RAGC_ERR_FORMAT;
    }
    arc->params.file_version = 1000 * major + minor;
    if (arc->params.file_version < 1000 || arc->params.file_version >= 4000) {
        hts_log_error("unsupported AGC archive version %u.%u", major, minor);
        return RAGC_ERR_VERSION;
    }
    /* agc 3.0 and 3.1 wrote wrong segment lengths for the samples they
       appended; take lengths from decoded segments in their archives. */
    const char *pmaj = info_value(arc, "producer_version_major");
    const char *pmin = info_value(arc, "producer_version_minor");
    const char *prod = info_value(arc, "producer");
    if (prod && strcmp(prod, "agc") == 0 && pmaj && strcmp(pmaj, "3") == 0
        && pmin && (strcmp(pmin, "0") == 0 || strcmp(pmin, "1") == 0))
        arc->lengths_untrusted = 1;
    return RAGC_OK;
}

static int load_params(ragc_archive *arc)
{
    uint8_t *data;
    size_t len;
    uint64_t meta;
    int r = rg_container_read_named(&arc->ctr, "params", &data, &len, &meta);
    if (r < 0)
        return r;
    size_t want = arc->params.file_version < 2000 ? 12 : 16;
    if (len < want) {
        free(data);
        hts_log_error("corrupt archive: params too short");
        return RAGC_ERR_FORMAT;
    }
    uint32_t v[4] = { 0, 0, 0, 0 };
    for (size_t i = 0; i < want / 4; i++)
        v[i] = (uint32_t)data[4 * i] | (uint32_t)data[4 * i + 1] << 8
             | (uint32_t)data[4 * i + 2] << 16 | (uint32_t)data[4 * i + 3] << 24;
    free(data);
    arc->params.kmer_length = v[0];
    arc->params.min_match_len = v[1];
    arc->params.pack_cardinality = v[2];
    arc->params.segment_size = v[3];
    if (v[0] == 0 || v[0] > 64 || v[2] == 0) {
        hts_log_error("corrupt archive: bad params");
        return RAGC_ERR_FORMAT;
    }
    return RAGC_OK;
}

int ragc_is_url(const char *path)
{
    return path && rg_io_is_url(path);
}

/* A local path (or file:// URL) is read with pread, any other URL through
   htslib's hFILE and a block cache (docs/remote.md).  NULL with errno set
   and the reason logged. */
static rg_io *open_io(const char *path)
{
    const char *local = rg_io_file_url_path(path);
    if (!local && rg_io_is_url(path))
        return rg_io_open_url(path, rg_container_tail_size);   /* logs its errors */
    rg_io *io = rg_io_open_file(local ? local : path);
    if (!io) {
        int e = errno;
        hts_log_error("cannot open %s: %s", path, strerror(e));
        errno = e;
    }
    return io;
}

ragc_archive *ragc_open(const char *path, int *status)
{
    rg_io *io = open_io(path);
    if (!io) {
        if (status)
            *status = errno == ENOMEM ? RAGC_ERR_NOMEM : RAGC_ERR_IO;
        return NULL;
    }
    return rg_archive_open_io(io, status);
}

/* A shard (shard.h) has the form of an archive but lacks its base's
   groups: only the merge opens one (allow_shard). */
static int check_shard(ragc_archive *arc, int allow_shard)
{
    int r = rg_shard_read(&arc->ctr, &arc->shard);
    if (r <= 0)
        return r;
    arc->is_shard = 1;
    if (allow_shard)
        return RAGC_OK;
    hts_log_error("the archive is a shard made with `ragc create --like` (its segments refer to the "
                  "groups of a base archive of %llu samples): join it with its base with `ragc merge`",
                  (unsigned long long)arc->shard.n_base_samples);
    return RAGC_ERR_SHARD;
}

static ragc_archive *open_archive_io(rg_io *io, int allow_shard, int *status)
{
    int r = RAGC_OK;
    ragc_archive *arc = calloc(1, sizeof(*arc));
    if (!arc) {
        rg_io_close(io);
        r = RAGC_ERR_NOMEM;
        goto done;
    }
    arc->io = io;
    if ((r = rg_container_open(&arc->ctr, arc->io)) < 0
        || (r = load_file_type_info(arc)) < 0
        || (r = load_params(arc)) < 0
        || (r = check_shard(arc, allow_shard)) < 0)
        goto done;
    if (!(arc->cache = rg_cache_init(RG_SHARED_CACHE_BYTES))) {
        r = RAGC_ERR_NOMEM;
        goto done;
    }
    uint32_t fv = arc->params.file_version;
    r = rg_collection_open(&arc->col, &arc->ctr, fv < 2000 ? 1 : fv < 3000 ? 2 : 3,
                           arc->params.pack_cardinality, arc->params.segment_size,
                           arc->params.kmer_length);
done:
    if (status)
        *status = r;
    if (r < 0) {
        int e = errno;   /* keep the reason an open failed for the caller */
        ragc_close(arc);
        errno = e;
        return NULL;
    }
    return arc;
}

ragc_archive *rg_archive_open_io(rg_io *io, int *status)
{
    return open_archive_io(io, 0, status);
}

ragc_archive *rg_archive_open_shard(const char *path, int *status)
{
    rg_io *io = open_io(path);
    if (!io) {
        if (status)
            *status = errno == ENOMEM ? RAGC_ERR_NOMEM : RAGC_ERR_IO;
        return NULL;
    }
    return open_archive_io(io, 1, status);
}

void ragc_close(ragc_archive *arc)
{
    if (!arc)
        return;
    if (arc->col.samples || arc->col.batch_state)
        rg_collection_free(&arc->col);
    if (arc->ctr.streams)
        rg_container_free(&arc->ctr);
    rg_cache_destroy(arc->cache);
    rg_io_close(arc->io);
    for (int i = 0; i < arc->n_info; i++) {
        free(arc->info_key[i]);
        free(arc->info_val[i]);
    }
    free(arc->info_key);
    free(arc->info_val);
    free(arc);
}

const ragc_params *ragc_get_params(const ragc_archive *arc)
{
    return &arc->params;
}

int ragc_n_file_info(const ragc_archive *arc)
{
    return arc->n_info;
}

int ragc_file_info(const ragc_archive *arc, int i, const char **key, const char **value)
{
    if (i < 0 || i >= arc->n_info)
        return RAGC_ERR_ARG;
    *key = arc->info_key[i];
    *value = arc->info_val[i];
    return RAGC_OK;
}

int ragc_n_cmd_lines(const ragc_archive *arc)
{
    return arc->col.n_cmd;
}

int ragc_cmd_line(const ragc_archive *arc, int i, const char **cmd, const char **timestamp)
{
    if (i < 0 || i >= arc->col.n_cmd)
        return RAGC_ERR_ARG;
    *cmd = arc->col.cmd[i];
    *timestamp = arc->col.cmd_time[i];
    return RAGC_OK;
}

int64_t ragc_n_samples(const ragc_archive *arc)
{
    return (int64_t)arc->col.n_samples;
}

int64_t rg_archive_stored_sample(const ragc_archive *arc, int64_t sample)
{
    if (sample < 0 || (uint64_t)sample >= arc->col.n_samples)
        return -1;
    return (int64_t)arc->col.listing[sample];
}

const char *ragc_sample_name(const ragc_archive *arc, int64_t sample)
{
    int64_t s = rg_archive_stored_sample(arc, sample);
    return s < 0 ? NULL : arc->col.samples[s].name;
}

int64_t ragc_sample_index(const ragc_archive *arc, const char *name)
{
    int64_t stored = rg_collection_sample(&arc->col, name);
    if (stored < 0)
        return RAGC_ERR_NO_SAMPLE;
    for (uint64_t i = 0; i < arc->col.n_samples; i++)
        if (arc->col.listing[i] == (uint64_t)stored)
            return (int64_t)i;
    return RAGC_ERR_NO_SAMPLE;
}

const char *ragc_reference(const ragc_archive *arc)
{
    return arc->col.n_samples ? arc->col.samples[0].name : "";
}

static const rg_sample *loaded_sample(ragc_archive *arc, int64_t sample, int *err)
{
    int64_t s = rg_archive_stored_sample(arc, sample);
    if (s < 0) {
        *err = RAGC_ERR_NO_SAMPLE;
        return NULL;
    }
    if ((*err = rg_collection_ensure(&arc->col, (uint64_t)s)) < 0)
        return NULL;
    return &arc->col.samples[s];
}

int64_t ragc_n_contigs(ragc_archive *arc, int64_t sample)
{
    int err;
    const rg_sample *s = loaded_sample(arc, sample, &err);
    return s ? (int64_t)s->n_contigs : err;
}

const rg_contig *rg_archive_contig(ragc_archive *arc, int64_t sample, int64_t contig, int *err)
{
    const rg_sample *s = loaded_sample(arc, sample, err);
    if (!s)
        return NULL;
    if (contig < 0 || (uint64_t)contig >= s->n_contigs) {
        *err = RAGC_ERR_NO_CONTIG;
        return NULL;
    }
    return &s->contigs[contig];
}

const char *ragc_contig_name(ragc_archive *arc, int64_t sample, int64_t contig)
{
    int err;
    const rg_contig *c = rg_archive_contig(arc, sample, contig, &err);
    return c ? c->name : NULL;
}

/* How a query names a contig (agc is not consistent about it). */
typedef enum {
    MATCH_SHORT,        /* short names on both sides (agc's library, no-sample lookups) */
    MATCH_WHOLE_QUERY,  /* stored short name == the whole query (agc 3 getctg ctg@sample) */
    MATCH_FULL          /* stored full name == the query (agc 2 getctg ctg@sample) */
} match_mode;

static int name_matches(const char *stored, const char *query, size_t qshort, match_mode m)
{
    if (m == MATCH_FULL)
        return strcmp(stored, query) == 0;
    size_t qlen = m == MATCH_SHORT ? qshort : strlen(query);
    return rg_short_name_len(stored) == qlen && memcmp(stored, query, qlen) == 0;
}

static int find_contig(ragc_archive *arc, const char *sample_name, const char *contig_name,
                       match_mode mode, int64_t *sample, int64_t *contig)
{
    size_t qshort = rg_short_name_len(contig_name);
    int err;
    if (sample_name && *sample_name) {
        int64_t si = ragc_sample_index(arc, sample_name);
        if (si < 0)
            return RAGC_ERR_NO_SAMPLE;
        const rg_sample *s = loaded_sample(arc, si, &err);
        if (!s)
            return err;
        /* agc's format-1 reader keeps the last of equal short names, the
           others the first */
        int64_t found = -1;
        for (uint32_t c = 0; c < s->n_contigs; c++)
            if (name_matches(s->contigs[c].name, contig_name, qshort, mode)) {
                found = c;
                if (arc->col.format != 1)
                    break;
            }
        if (found < 0)
            return RAGC_ERR_NO_CONTIG;
        *sample = si;
        *contig = found;
        return RAGC_OK;
    }
    int64_t hits = 0;
    for (int64_t si = 0; si < (int64_t)arc->col.n_samples; si++) {
        const rg_sample *s = loaded_sample(arc, si, &err);
        if (!s)
            return err;
        for (uint32_t c = 0; c < s->n_contigs; c++)
            if (name_matches(s->contigs[c].name, contig_name, qshort, MATCH_SHORT)) {
                if (hits++ == 0) {
                    *sample = si;
                    *contig = c;
                }
            }
    }
    return hits == 0 ? RAGC_ERR_NO_CONTIG : hits > 1 ? RAGC_ERR_AMBIGUOUS : RAGC_OK;
}

int ragc_find_contig(ragc_archive *arc, const char *sample_name, const char *contig_name,
                     int64_t *sample, int64_t *contig)
{
    return find_contig(arc, sample_name, contig_name, MATCH_SHORT, sample, contig);
}

int ragc_find_contig_cli(ragc_archive *arc, const char *sample_name, const char *contig_name,
                         int64_t *sample, int64_t *contig)
{
    match_mode m = arc->col.format == 1 ? MATCH_SHORT
                 : arc->col.format == 2 ? MATCH_FULL : MATCH_WHOLE_QUERY;
    return find_contig(arc, sample_name, contig_name, m, sample, contig);
}
