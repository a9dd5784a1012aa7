/* ragc.h -- native C API of libragc: reads every AGC archive (formats 1, 2, 3) and writes format 3.

   Thread safety
   -------------
   A ragc_archive is opened once and may then be shared by any number of threads:
   every query function below is safe to call concurrently on one archive.
   Collection metadata is loaded lazily under an internal lock.  Each thread
   that decodes sequence should use its own ragc_decoder (it owns the zstd
   context and the segment being decoded); decoded group parts are kept,
   read-only, in the archive's thread-safe cache shared by its decoders
   (unless a decoder asked for a private one).  A ragc_decoder must not be
   used by two threads at once; the same holds for a ragc_vfasta (it owns a
   decoder) and a ragc_outfile.

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

/* Every public function is declared with RAGC_EXPORT.  libragc is compiled
   with -fvisibility=hidden, so libragc.so exports exactly these functions
   and none of its internal ones (bats/symbols.bats checks it). */
#if defined(__GNUC__) || defined(__clang__)
#define RAGC_EXPORT __attribute__((visibility("default")))
#else
#define RAGC_EXPORT
#endif

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
    RAGC_ERR_INPUT = -10,      /* input that cannot be stored (e.g. a reference too repetitive to find splitters) */
    RAGC_ERR_NO_ORIGINAL = -11, /* the sample has no original form (see "Original form" below) */
    RAGC_ERR_NOT_APPENDABLE = -12, /* append: the archive lacks what agc's append extends (docs/foreign-writers.md) */
    RAGC_ERR_SHARD = -13       /* a shard made with `create --like`: readable once merged with its base (docs/scale-out.md) */
};

RAGC_EXPORT const char *ragc_errmsg(int status);

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
   not NULL, stores the reason there (RAGC_ERR_IO: errno tells why).
   path: a local file, or a URL htslib's hFILE opens (https://, http://,
   s3://, gs://, ftp://, file://; credentials and endpoints as htslib takes
   them), read with range requests through a block cache (docs/remote.md). */
RAGC_EXPORT ragc_archive *ragc_open(const char *path, int *status);

/* Whether ragc_open takes path as a URL (SCHEME://...) rather than a file. */
RAGC_EXPORT int ragc_is_url(const char *path);
RAGC_EXPORT void ragc_close(ragc_archive *arc);

RAGC_EXPORT const ragc_params *ragc_get_params(const ragc_archive *arc);

/* file_type_info key/value pairs, sorted by key; i in [0, n). */
RAGC_EXPORT int ragc_n_file_info(const ragc_archive *arc);
RAGC_EXPORT int ragc_file_info(const ragc_archive *arc, int i, const char **key, const char **value);

/* Command lines stored by agc 1.x/2.x (format 3 stores none). */
RAGC_EXPORT int ragc_n_cmd_lines(const ragc_archive *arc);
RAGC_EXPORT int ragc_cmd_line(const ragc_archive *arc, int i, const char **cmd, const char **timestamp);

/* Samples ---------------------------------------------------------------- */

/* Number of samples, and sample names by index.  Index order is the order
   agc uses for the archive: stored order for format 3, name order for
   formats 1 and 2 (as agc lists them).  The reference is ragc_reference(). */
RAGC_EXPORT int64_t ragc_n_samples(const ragc_archive *arc);
RAGC_EXPORT const char *ragc_sample_name(const ragc_archive *arc, int64_t sample);
/* Index of a sample by exact name, or RAGC_ERR_NO_SAMPLE. */
RAGC_EXPORT int64_t ragc_sample_index(const ragc_archive *arc, const char *name);
/* Name of the reference sample (the first sample stored). */
RAGC_EXPORT const char *ragc_reference(const ragc_archive *arc);

/* Contigs ---------------------------------------------------------------- */

/* Number of contigs of a sample (loads its collection batch); < 0 on error. */
RAGC_EXPORT int64_t ragc_n_contigs(ragc_archive *arc, int64_t sample);
/* Full stored contig name (header without '>'); NULL on error. */
RAGC_EXPORT const char *ragc_contig_name(ragc_archive *arc, int64_t sample, int64_t contig);
/* Contig length in bases; < 0 on error.  Computed from segment lengths; for
   archives whose stored lengths are known to be wrong (agc 3.0/3.1 appends)
   the segments are decoded with dec (which may then not be NULL). */
RAGC_EXPORT int64_t ragc_contig_length(ragc_archive *arc, ragc_decoder *dec, int64_t sample, int64_t contig);

/* Find a contig by short name (the name up to the first whitespace), as agc
   does.  sample_name may be NULL or "" to search every sample.  On success
   stores the indices and returns RAGC_OK; RAGC_ERR_NO_SAMPLE,
   RAGC_ERR_NO_CONTIG or RAGC_ERR_AMBIGUOUS otherwise. */
RAGC_EXPORT int ragc_find_contig(ragc_archive *arc, const char *sample_name, const char *contig_name,
                                 int64_t *sample, int64_t *contig);

/* The same as agc's getctg command resolves `contig@sample`: agc 3 archives
   match the whole query against stored short names (a query with a space
   never matches), agc 2 archives the full stored name, agc 1 archives short
   names (the last match wins).  Without a sample it is ragc_find_contig. */
RAGC_EXPORT int ragc_find_contig_cli(ragc_archive *arc, const char *sample_name, const char *contig_name,
                                     int64_t *sample, int64_t *contig);

/* Decoding --------------------------------------------------------------- */

/* A decoder owns the per-thread state for decoding sequence.  With
   cache_bytes == 0 it shares the archive's cache of decoded group parts
   (thread safe; 128 MiB unless ragc_set_cache_bytes) with the other
   decoders; otherwise it keeps a private cache of that size.  Destroy
   decoders before closing the archive. */
RAGC_EXPORT ragc_decoder *ragc_decoder_init(ragc_archive *arc, size_t cache_bytes);
RAGC_EXPORT void ragc_decoder_destroy(ragc_decoder *dec);

/* Sets the byte budget of the archive's shared cache of decoded group parts
   (128 MiB when the archive is opened); least recently used parts beyond it
   are dropped at once.  The cache holds at most the budget plus the largest
   part, plus the parts that decoders still point into (the last segment's
   reference and pack: two parts a decoder).  0 keeps only those.  Safe to
   call while other threads decode.  Returns RAGC_OK or RAGC_ERR_ARG. */
RAGC_EXPORT int ragc_set_cache_bytes(ragc_archive *arc, size_t bytes);

/* Receives decoded sequence as ASCII, piece by piece, in order: the bases
   as the input held them when the sample has an original form (lower case,
   bytes outside the 16 codes; see "Original form" below), else agc's
   upper-case IUPAC.  Returns 0 to continue, non-zero to abort
   (RAGC_ERR_CALLBACK). */
typedef int (*ragc_sink_fn)(void *ctx, const char *seq, size_t len);

/* Stream bases [from, to] (0-based, inclusive; to may exceed the contig end,
   INT64_MAX means "to the end") of a contig to sink.  Only the segments that
   overlap the range are decoded.  Returns RAGC_OK or a negative status. */
RAGC_EXPORT int ragc_contig_stream(ragc_decoder *dec, int64_t sample, int64_t contig,
                                   int64_t from, int64_t to, ragc_sink_fn sink, void *ctx);

/* Convenience: decode [from, to] into a malloc'ed NUL-terminated buffer.
   Stores the length in *len.  Returns RAGC_OK or a negative status. */
RAGC_EXPORT int ragc_contig_fetch(ragc_decoder *dec, int64_t sample, int64_t contig,
                                  int64_t from, int64_t to, char **seq, int64_t *len);

/* Original form ---------------------------------------------------------- */

/* Archives written by ragc keep, per sample, what agc's format drops from
   the input FASTA (docs/lossless.md): soft-masking (lower case), bytes
   outside agc's 16 codes (stored as N in agc's streams), the line layout and
   line ends, headers that differ from the stored names and text before the
   first header.  It lives in an extension stream that agc ignores.

   Readers apply it by default: ragc_contig_stream and everything built on
   it (ragc_contig_fetch, ragc_vfasta_*, the plugin, agc-api.h) give each
   base as the input had it, in the archive's canonical layout.  Samples
   without an original form (agc's archives, samples appended by agc,
   archives created with no_original) read exactly as agc reads them.  An
   original form that is damaged (every part has a checksum), of a newer
   version, or disagrees with the sequence in any contig is reported with
   hts_log_warning and the whole sample read as agc reads it; it is never
   applied partly.  Contig names holding bytes >= 0x80 (which agc's name
   coding cannot store) are stored as %XX; the original form keeps the
   header's bytes. */

/* 1 if the sample has an original form, 0 if not, < 0 on error. */
RAGC_EXPORT int ragc_has_original(ragc_decoder *dec, int64_t sample);

/* canonical != 0: this decoder gives agc's view (upper case, odd bytes as
   N) whatever the archive holds; 0 (the default) applies original forms. */
RAGC_EXPORT void ragc_decoder_set_canonical(ragc_decoder *dec, int canonical);

/* Writes a sample byte for byte as its input file held it: the text before
   the first header, then each record with its own header, line layout and
   line ends (for samples of -c or --pansn input: that sample's records; the
   file's preamble goes with its first sample).  RAGC_ERR_NO_ORIGINAL when
   the sample has none, RAGC_ERR_FORMAT when it is corrupt or disagrees
   with the sequence, RAGC_ERR_VERSION when a newer ragc wrote it; bytes may
   have been written before an error (not when the lengths disagree). */
RAGC_EXPORT int ragc_sample_original(ragc_decoder *dec, int64_t sample, ragc_sink_fn sink, void *ctx);

/* Contig MD5s (SAM's M5) ---------------------------------------------------- */

/* The MD5 of a contig as the SAM specification's M5 tag and `samtools dict`
   give it: of the contig's bases as the input held them (ragc_contig_stream
   of a decoder that is not canonical), upper-cased, bytes outside '!'..'~'
   left out.  Read
   from the archive's ragc-md5 extension stream when it has one (no
   sequence is decoded), else computed by decoding the contig with dec. */
RAGC_EXPORT int ragc_contig_md5(ragc_decoder *dec, int64_t sample, int64_t contig, uint8_t md5[16]);

/* Finds a contig by its M5 in any sample: the first in sample order, then
   contig order.  RAGC_OK with *sample and *contig set, RAGC_ERR_NO_CONTIG
   when no contig has it.  Archives with the ragc-md5 stream answer from it
   (the first call loads it, later calls are hash lookups); others compute
   every contig's MD5 by decoding (slow: add the stream with `ragc append -o
   NEW OLD`). */
RAGC_EXPORT int ragc_find_md5(ragc_decoder *dec, const uint8_t md5[16], int64_t *sample, int64_t *contig);

/* A sample as a FASTA file ------------------------------------------------ */

/* The virtual FASTA file of one sample, as htslib's faidx sees a FASTA file
   (the htslib plugin serves it as agc:[SAMPLE@]PATH): for every contig of
   the sample, in stored order, ">" + the full stored name + "\n", then the
   bases in lines of exactly line_width characters, each line (the last one
   too) ended by "\n".  An empty contig is just its header line.  This is
   the layout `samtools faidx` writes, so the .fai of ragc_vfasta_fai() is
   the one samtools would build for the same bytes (except that samtools
   drops empty sequences; we list them with length 0).

   Reads decode only the segments behind the requested bytes, through a
   per-handle window of rendered text that grows (up to 1 MiB) while reads
   are sequential and shrinks back for random access.  Offsets and sizes are
   64-bit.

   Ownership and threads: the handle owns a ragc_decoder; the archive must
   outlive it and contig names returned point into the archive.  One
   ragc_vfasta must not be used by two threads at once; several on one
   archive may be used in different threads. */
typedef struct ragc_vfasta ragc_vfasta;

#define RAGC_VFASTA_LINE_WIDTH 60

/* Opens the virtual FASTA of a sample (an index as ragc_sample_index gives).
   line_width 0 means RAGC_VFASTA_LINE_WIDTH.  NULL on failure, with the
   status in *status if status is not NULL. */
RAGC_EXPORT ragc_vfasta *ragc_vfasta_open(ragc_archive *arc, int64_t sample, uint32_t line_width,
                                          int *status);
RAGC_EXPORT void ragc_vfasta_close(ragc_vfasta *vf);

/* Size of the virtual file in bytes. */
RAGC_EXPORT uint64_t ragc_vfasta_size(const ragc_vfasta *vf);

/* Copies up to n bytes from offset into buf.  Returns the number of bytes
   copied (n unless the end of the file comes first), 0 at or after the end,
   or a negative status. */
RAGC_EXPORT int64_t ragc_vfasta_read(ragc_vfasta *vf, uint64_t offset, void *buf, size_t n);

/* The .fai of the virtual file (name = the header's first word, length,
   offset of the first base, bases per line, bytes per line) as malloc'ed
   NUL-terminated text in *text (owned by the caller), its length in *len.
   Returns RAGC_OK or a negative status (*text is then NULL). */
RAGC_EXPORT int ragc_vfasta_fai(ragc_vfasta *vf, char **text, size_t *len);

/* Contigs of the sample: their number, lengths in bases (or a negative
   status), offsets of their first base in the virtual file (or a negative
   status) and full names (header without '>', or NULL). */
RAGC_EXPORT int64_t ragc_vfasta_n_contigs(const ragc_vfasta *vf);
RAGC_EXPORT int64_t ragc_vfasta_contig_length(const ragc_vfasta *vf, int64_t contig);
RAGC_EXPORT int64_t ragc_vfasta_contig_offset(const ragc_vfasta *vf, int64_t contig);
RAGC_EXPORT const char *ragc_vfasta_contig_name(const ragc_vfasta *vf, int64_t contig);

/* ragc_contig_stream of bases [from, to] of a contig, through the handle's
   decoder. */
RAGC_EXPORT int ragc_vfasta_stream(ragc_vfasta *vf, int64_t contig, int64_t from, int64_t to,
                                   ragc_sink_fn sink, void *ctx);

/* Output files that are all or nothing ----------------------------------- */

/* A named output is written to a temporary file beside it (PATH.tmp.PID.N)
   and renamed over the target only by ragc_outfile_commit, so a failed run
   never leaves a partial or damaged file.  Standard output (path NULL or
   "-") is written directly, and so is a target that is not a regular file
   (a device such as /dev/null, a FIFO: renaming over it would replace it);
   a symbolic link is kept and the file it leads to replaced.  The library installs no signal handlers: a
   program that wants no temporary file left behind when it is killed
   unlinks `tmp` of its open outputs from its handler.  On failure the
   functions return a negative status and leave errno set (RAGC_ERR_IO:
   the reason from the system; RAGC_ERR_NOMEM: ENOMEM). */
typedef struct {
    int fd;       /* the descriptor to write to (STDOUT_FILENO for standard output) */
    char *path;   /* the target, NULL for standard output */
    char *tmp;    /* the temporary file being written, NULL for standard output
                     and for a target written in place (not a regular file) */
} ragc_outfile;

RAGC_EXPORT int ragc_outfile_open(ragc_outfile *o, const char *path);
/* Writes all of buf (retrying short writes and EINTR). */
RAGC_EXPORT int ragc_outfile_write(ragc_outfile *o, const void *buf, size_t len);
/* A ragc_sink_fn writing to ctx, a ragc_outfile; non-zero on failure. */
RAGC_EXPORT int ragc_outfile_sink(void *ctx, const char *s, size_t n);
/* Closes and renames into place (nothing to do for standard output).  On
   failure the temporary file is removed.  Either way o is released. */
RAGC_EXPORT int ragc_outfile_commit(ragc_outfile *o);
/* Closes and removes the temporary file; releases o. */
RAGC_EXPORT void ragc_outfile_abort(ragc_outfile *o);

/* Writing ---------------------------------------------------------------- */

/* Progress of ragc_create and ragc_append, for a caller that shows it (the
   library itself never prints).  The callback is called on the thread that
   called ragc_create/ragc_append, never concurrently with itself: after
   each FASTA record read (its sequence handed to the compressing threads)
   and at the end of each input file (file_done 1, after that file's samples
   are compressed).  It must not use the archive being written; the struct
   is valid during the call only.  Reading the reference for splitters
   before the first sample (create) is not reported. */
typedef struct {
    size_t file, n_files;        /* the input being read (0-based), the number of inputs */
    uint64_t samples;            /* samples started so far by this call (one per file unless
                                    concatenated/pansn); all done when file_done, else the
                                    last is being read */
    uint64_t bases;              /* bases read so far, all inputs of this call */
    uint64_t file_offset;        /* bytes of input `file` read so far, as stored (compressed
                                    bytes for a gzip file): with the file's size, how far
                                    it has got */
    int file_done;               /* 1: input `file` is read and compressed */
} ragc_progress;

typedef void (*ragc_progress_fn)(void *ctx, const ragc_progress *p);

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
    int no_original;             /* store as agc does: no original form (lower case stored as
                                    upper case, line layout dropped); bytes outside the 16
                                    codes are then an error */
    int no_md5;                  /* store no contig MD5s (the ragc-md5 stream: 16 bytes a
                                    contig, 10-15% of archives of small genomes such as
                                    viruses); ragc_find_md5 then decodes.  Implied by
                                    no_original */
    char *const *sample_names;   /* NULL, or one entry per input path: a non-NULL entry
                                    names that file's sample instead of its file name
                                    (a file read from standard input, or spooled to a
                                    temporary file); not with concatenated or pansn */
    ragc_progress_fn progress;   /* NULL, or called as ragc_progress describes */
    void *progress_ctx;          /* its first argument */
} ragc_create_opts;

RAGC_EXPORT void ragc_create_opts_init(ragc_create_opts *opts);

/* Compresses FASTA files (plain, gzip, bgzf, "-" for standard input, or
   any URL htslib opens) into a format-3 archive with agc 3.2.2's layout:
   paths[0] is the reference and the first sample; each file is one sample,
   named as agc names it (the file name without its extensions).  The
   archive goes to a temporary file beside out_path and is renamed only on
   success (out_path NULL or "-": standard output).  Each sample's original
   form is stored (unless opts->no_original), so every byte of the input
   comes back; only input that is not FASTA (FASTQ, binary data) and names
   that would make lookups ambiguous are refused (docs/cli.md).  Memory holds one
   sample at a time plus the group references.  Returns RAGC_OK or a
   negative status; reasons are logged with hts_log. */
RAGC_EXPORT int ragc_create(const char *out_path, char *const *paths, size_t n, const ragc_create_opts *opts);

/* Adds FASTA files as new samples to a copy of an archive of format 3 (agc's
   append): the parameters, splitters and groups of in_path carry over
   (opts supplies threads, verbosity and concatenated only), and the result
   goes to out_path through a temporary file; in_path is only read. */
RAGC_EXPORT int ragc_append(const char *in_path, const char *out_path, char *const *paths, size_t n,
                            const ragc_create_opts *opts);

/* Compresses FASTA files as new samples of base_path without copying it
   (`ragc create --like`, docs/scale-out.md): the parameters, splitters and
   groups of base_path decide where every segment goes, as an append would,
   but the output holds only the new samples and what they add, a shard
   that ragc_merge joins with base_path (alone it cannot be read:
   RAGC_ERR_SHARD).  So N machines compress N sets of samples against one
   base at the same time.  Sample names of base_path are refused.  opts
   supplies what ragc_append takes; base_path is only read. */
RAGC_EXPORT int ragc_create_like(const char *base_path, const char *out_path, char *const *paths, size_t n,
                                 const ragc_create_opts *opts);

/* The same as ragc_create/ragc_append/ragc_create_like, but the archive is written
   sequentially to fd (a file, a pipe or a socket), which the caller owns:
   nothing is renamed, removed or closed, and on failure what was written
   is the caller's to discard. */
RAGC_EXPORT int ragc_create_fd(int fd, char *const *paths, size_t n, const ragc_create_opts *opts);
RAGC_EXPORT int ragc_append_fd(const char *in_path, int fd, char *const *paths, size_t n,
                   const ragc_create_opts *opts);
RAGC_EXPORT int ragc_create_like_fd(const char *base_path, int fd, char *const *paths, size_t n,
                                    const ragc_create_opts *opts);

/* Merging ---------------------------------------------------------------- */

/* Options of ragc_merge. */
typedef struct {
    int threads;     /* worker threads (1); the archive does not depend on it */
    int by_contig;   /* samples of the same name in several inputs are one sample, its contigs
                        those of each input in input order (archives split by contigs, e.g. one
                        per chromosome); otherwise a name in two inputs is an error */
} ragc_merge_opts;

RAGC_EXPORT void ragc_merge_opts_init(ragc_merge_opts *opts);

/* Joins archives of format 3 into one that agc 3.2.2 reads and appends to
   (`ragc merge`, docs/scale-out.md): the samples of paths[0], then of
   paths[1], ... (with their original forms and MD5s); groups renumbered
   without gaps, the groups of shards (ragc_create_like) joined with their
   base's, whose path must come before theirs; packs cut again where
   members join a group, so that every pack but the last is full.  The
   inputs must have the same parameters (k, l, b, s); they are only read.
   The archive goes to a temporary file beside out_path, renamed on
   success (NULL or "-": standard output).  RAGC_ERR_ARG for a sample name
   in two inputs (without by_contig), a shard without its base, other
   parameters. */
RAGC_EXPORT int ragc_merge(const char *out_path, char *const *paths, size_t n, const ragc_merge_opts *opts);
RAGC_EXPORT int ragc_merge_fd(int fd, char *const *paths, size_t n, const ragc_merge_opts *opts);

#ifdef __cplusplus
}
#endif
#endif
