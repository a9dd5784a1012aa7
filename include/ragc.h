/* ragc.h -- native C API of libragc, a reader (and later writer) of AGC archives.

   Thread safety
   -------------
   A ragc_archive is opened once and may then be shared by any number of threads:
   every query function below is safe to call concurrently on one archive.
   Collection metadata is loaded lazily under an internal lock; decoded data is
   never shared between threads.  Each thread that decodes sequence should use
   its own ragc_decoder (it owns the zstd context and a small cache of decoded
   group parts); a ragc_decoder must not be used by two threads at once.

   Errors
   ------
   Functions return a negative status on failure and log details through
   hts_log (htslib's logger).  The library never prints otherwise and never
   exits.  ragc_errmsg() gives a text for a status.

   Coordinates are 0-based; ranges are [from, to] inclusive, as in agc.
*/
#ifndef RAGC_H
#define RAGC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RAGC_VERSION "0.1.0"

/* Status codes (all failures are negative). */
enum {
    RAGC_OK = 0,
    RAGC_ERR_IO = -1,          /* cannot open / read / write a file */
    RAGC_ERR_FORMAT = -2,      /* not an AGC archive, corrupt or truncated */
    RAGC_ERR_VERSION = -3,     /* unsupported archive version */
    RAGC_ERR_NOMEM = -4,
    RAGC_ERR_NO_SAMPLE = -5,   /* no such sample */
    RAGC_ERR_NO_CONTIG = -6,   /* no such contig */
    RAGC_ERR_AMBIGUOUS = -7,   /* contig name found in more than one place */
    RAGC_ERR_ARG = -8,         /* invalid argument (range, option, ...) */
    RAGC_ERR_CALLBACK = -9,    /* a sink callback reported failure */
    RAGC_ERR_INPUT = -10       /* input that cannot be stored (e.g. a reference too repetitive to find splitters) */
};

const char *ragc_errmsg(int status);

typedef struct ragc_archive ragc_archive;
typedef struct ragc_decoder ragc_decoder;

/* Archive parameters as stored in the `params` and `file_type_info` streams. */
typedef struct {
    uint32_t kmer_length;       /* k: segment overlap */
    uint32_t min_match_len;     /* LZ match length bias */
    uint32_t pack_cardinality;  /* members per pack, samples per collection batch */
    uint32_t segment_size;      /* 0 for format 1 archives */
    uint32_t file_version;      /* 1000 * major + minor, e.g. 3000 */
} ragc_params;

/* Opening ---------------------------------------------------------------- */

/* Open an archive for reading.  Reads only the directory, file_type_info,
   params and the list of samples.  On failure returns NULL and, if status is
   not NULL, stores the reason there. */
ragc_archive *ragc_open(const char *path, int *status);
void ragc_close(ragc_archive *arc);

const ragc_params *ragc_get_params(const ragc_archive *arc);

/* file_type_info key/value pairs, sorted by key; i in [0, n). */
int ragc_n_file_info(const ragc_archive *arc);
int ragc_file_info(const ragc_archive *arc, int i, const char **key, const char **value);

/* Command lines stored by agc 1.x/2.x (format 3 stores none). */
int ragc_n_cmd_lines(const ragc_archive *arc);
int ragc_cmd_line(const ragc_archive *arc, int i, const char **cmd, const char **timestamp);

/* Samples ---------------------------------------------------------------- */

/* Number of samples, and sample names by index.  Index order is the order
   agc uses for the archive: stored order for format 3, name order for
   formats 1 and 2 (as agc lists them).  The reference is ragc_reference(). */
int64_t ragc_n_samples(const ragc_archive *arc);
const char *ragc_sample_name(const ragc_archive *arc, int64_t sample);
/* Index of a sample by exact name, or RAGC_ERR_NO_SAMPLE. */
int64_t ragc_sample_index(const ragc_archive *arc, const char *name);
/* Name of the reference sample (the first sample stored). */
const char *ragc_reference(const ragc_archive *arc);

/* Contigs ---------------------------------------------------------------- */

/* Number of contigs of a sample (loads its collection batch); < 0 on error. */
int64_t ragc_n_contigs(ragc_archive *arc, int64_t sample);
/* Full stored contig name (header without '>'); NULL on error. */
const char *ragc_contig_name(ragc_archive *arc, int64_t sample, int64_t contig);
/* Contig length in bases; < 0 on error.  Computed from segment lengths; for
   archives whose stored lengths are known to be wrong (agc 3.0/3.1 appends)
   the segments are decoded with dec (which may then not be NULL). */
int64_t ragc_contig_length(ragc_archive *arc, ragc_decoder *dec, int64_t sample, int64_t contig);

/* Find a contig by short name (the name up to the first whitespace), as agc
   does.  sample_name may be NULL or "" to search every sample.  On success
   stores the indices and returns RAGC_OK; RAGC_ERR_NO_SAMPLE,
   RAGC_ERR_NO_CONTIG or RAGC_ERR_AMBIGUOUS otherwise. */
int ragc_find_contig(ragc_archive *arc, const char *sample_name, const char *contig_name,
                     int64_t *sample, int64_t *contig);

/* The same as agc's getctg command resolves `contig@sample`: agc 3 archives
   match the whole query against stored short names (a query with a space
   never matches), agc 2 archives the full stored name, agc 1 archives short
   names (the last match wins).  Without a sample it is ragc_find_contig. */
int ragc_find_contig_cli(ragc_archive *arc, const char *sample_name, const char *contig_name,
                         int64_t *sample, int64_t *contig);

/* Decoding --------------------------------------------------------------- */

/* A decoder owns the per-thread state for decoding sequence.  With
   cache_bytes == 0 it shares the archive's cache of decoded group parts
   (128 MiB, thread safe) with the other decoders; otherwise it keeps a
   private cache of that size.  Destroy decoders before closing the archive. */
ragc_decoder *ragc_decoder_init(ragc_archive *arc, size_t cache_bytes);
void ragc_decoder_destroy(ragc_decoder *dec);

/* Receives decoded sequence as ASCII (upper-case IUPAC), piece by piece, in
   order.  Returns 0 to continue, non-zero to abort (RAGC_ERR_CALLBACK). */
typedef int (*ragc_sink_fn)(void *ctx, const char *seq, size_t len);

/* Stream bases [from, to] (0-based, inclusive; to may exceed the contig end,
   INT64_MAX means "to the end") of a contig to sink.  Only the segments that
   overlap the range are decoded.  Returns RAGC_OK or a negative status. */
int ragc_contig_stream(ragc_decoder *dec, int64_t sample, int64_t contig,
                       int64_t from, int64_t to, ragc_sink_fn sink, void *ctx);

/* Convenience: decode [from, to] into a malloc'ed NUL-terminated buffer.
   Stores the length in *len.  Returns RAGC_OK or a negative status. */
int ragc_contig_fetch(ragc_decoder *dec, int64_t sample, int64_t contig,
                      int64_t from, int64_t to, char **seq, int64_t *len);

/* Writing ---------------------------------------------------------------- */

/* Parameters of a new archive (agc's create options). */
typedef struct {
    uint32_t kmer_length;        /* -k: splitter k-mer length, 17..32 (31) */
    uint32_t min_match_len;      /* -l: minimal LZ match, 15..32 (20) */
    uint32_t pack_cardinality;   /* -b: members per pack, samples per batch (50) */
    uint32_t segment_size;       /* -s: expected segment size, 100..1000000 (60000) */
    int threads;                 /* -t: worker threads (1); the archive does not depend on it */
    int concatenated;            /* -c: one sample per record first word (consecutive records) */
    double fallback_frac;        /* -f: fraction of fall-back minimizers, 0..0.05 (0 = off) */
    int adaptive;                /* -a: new splitters from contigs the reference's miss */
    int pansn;                   /* one sample per PanSN sample#haplotype (consecutive records;
                                    contig names kept whole); batches of one sample */
    int verbosity;               /* > 0: progress through hts_log_info */
} ragc_create_opts;

void ragc_create_opts_init(ragc_create_opts *opts);

/* Compresses FASTA files (plain, gzip, bgzf, "-" for standard input, or
   any URL htslib opens) into a format-3 archive with agc 3.2.2's layout:
   paths[0] is the reference and the first sample; each file is one sample,
   named as agc names it (the file name without its extensions).  The
   archive goes to a temporary file beside out_path and is renamed only on
   success (out_path NULL or "-": standard output).  Sequence characters
   outside agc's alphabet are an error, never dropped.  Memory holds one
   sample at a time plus the group references.  Returns RAGC_OK or a
   negative status; reasons are logged with hts_log. */
int ragc_create(const char *out_path, char *const *paths, size_t n, const ragc_create_opts *opts);

/* Adds FASTA files as new samples to a copy of an archive of format 3 (agc's
   append): the parameters, splitters and groups of in_path carry over
   (opts supplies threads, verbosity and concatenated only), and the result
   goes to out_path through a temporary file; in_path is only read. */
int ragc_append(const char *in_path, const char *out_path, char *const *paths, size_t n,
                const ragc_create_opts *opts);

/* The same as ragc_create/ragc_append, but the archive is written
   sequentially to fd (a file, a pipe or a socket), which the caller owns:
   nothing is renamed, removed or closed, and on failure what was written
   is the caller's to discard. */
int ragc_create_fd(int fd, char *const *paths, size_t n, const ragc_create_opts *opts);
int ragc_append_fd(const char *in_path, int fd, char *const *paths, size_t n,
                   const ragc_create_opts *opts);

#ifdef __cplusplus
}
#endif
#endif
