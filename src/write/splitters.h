/* splitters.h -- agc's splitter determination (agc-compression.md section 6).

   Pass 1 finds the canonical k-mers that occur exactly once in the whole
   reference file (a k-mer and its reverse complement count together; k-mers
   never span a non-ACGT symbol or a contig end).  Pass 2 walks each contig:
   the first singleton k-mer is a splitter; after a splitter the k-mer is
   restarted and the next splitter is the first singleton k-mer ending at
   least segment_size symbols after the previous one; at the end of the
   contig the rightmost singleton k-mer after the last splitter is added too.
   The result is the set of all chosen k-mers (left-aligned canonical values,
   kmer.h), sorted ascending, exactly as stored in the archive's `splitters`
   stream by agc 3.2.2 (non-adaptive, no fallback minimizers).

   Memory.  agc keeps one uint64 per reference byte and sorts them (8+ bytes
   a base).  Here the reference is held as 1-byte codes (which also makes a
   single read enough, so "-" (stdin) works), plus one bit a base saying
   whether the k-mer ending there occurs more than once.  The count itself is
   partitioned: every canonical k-mer is mapped to a key by a bijection
   (multiplication by an odd constant), so equal keys mean equal k-mers; a
   first scan takes a histogram over 2^b buckets (b = high key bits, b <= 14,
   about 256 k-mers a bucket), then buckets are grouped into rounds of at most
   max_round_entries k-mers.  Each round rescans the codes, places the
   (key, position) pairs of its buckets into at most 1024 contiguous groups
   (so the scattered writes stay cache friendly), finds the keys occurring
   more than once per group with a small hash table, and sets the bit of
   their positions.  Peak memory is about 1.13 bytes a base
   (codes + bitmap) + 16 bytes x max_round_entries (by default the larger of
   1/4 of the k-mers and 2^20, i.e. ~4 bytes a base for large references:
   four fill scans instead of sixteen, and the compression that follows
   needs more anyway) + 8 x 2^b bytes of histogram a thread: ~5.2 bytes a
   base in all, against agc's 8+.
   One bucket is never split, so a k-mer occurring more often than
   max_round_entries makes its round that large.

   Threads split the scans (a fixed range of positions each, counted and
   placed with the thread's own counters and cursors), the buckets and the
   contigs of pass 2; the result does not depend on the number of threads or
   on max_round_entries.

   Difference from agc: agc stops reading a file at the first record without
   sequence (agc-compression.md section 3 quirk); rg_fasta_in keeps going, so
   the contigs after it take part here.  Inputs agc can store without loss
   (the only ones rg_fasta_in accepts) are otherwise treated identically.

   Future extensions have natural places: the duplicated k-mers of adaptive
   mode are the non-singleton entries met per bucket; fallback-minimizer
   tuples come from the pass-2 walk (walk_contig in splitters.c). */
#ifndef RAGC_SPLITTERS_H
#define RAGC_SPLITTERS_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t k;                 /* 1..32 */
    uint32_t segment_size;      /* >= 1 */
    int threads;                /* <= 1: single-threaded */
    size_t max_round_entries;   /* k-mers per counting round; 0 = automatic */
    uint64_t fallback_thr;      /* agc's fall-back minimizer filter (0 = off; rg_fallback_threshold) */
    int lossless;               /* read the reference as lossless create does (fasta_in.h) */
} rg_splitter_opts;

/* A fall-back minimizer seen between two splitters of the reference (agc's
   v_fallbacks entry): k-mer `kmer` lies in the segment from splitter s1
   (RG_KMER_MISSING at a contig start) to s2, read directly if dir. */
typedef struct {
    uint64_t s1, s2, kmer;
    uint8_t dir;
} rg_fallback_tuple;

/* agc's kmer_filter_t: the threshold for a fraction (0 = none), and the test. */
uint64_t rg_fallback_threshold(double fraction);
int rg_is_fallback_kmer(uint64_t thr, uint64_t canonical_kmer);

/* As rg_splitters_find_opts, also returning the fall-back tuples of pass 2
   when opts->fallback_thr is set (*tuples malloc'ed, in no particular order). */
int rg_splitters_find_fallback(const char *ref_path, const rg_splitter_opts *opts, uint64_t **splitters,
                               size_t *n, rg_fallback_tuple **tuples, size_t *n_tuples);

/* agc's splitter determination on the reference file (the first input).
   *splitters gets a malloc'ed array of *n values sorted ascending (NULL when
   *n is 0).  Returns 0 or RAGC_ERR_* (ARG for k outside 1..32 or a zero
   segment size; the FASTA reader's status for input errors; NOMEM). */
int rg_splitters_find(const char *ref_path, uint32_t k, uint32_t segment_size, int threads,
                      uint64_t **splitters, size_t *n);

/* The same with all options. */
int rg_splitters_find_opts(const char *ref_path, const rg_splitter_opts *opts,
                           uint64_t **splitters, size_t *n);

/* The same on contigs already in memory: contig i is
   codes[starts[i], starts[i + 1]) for i < n_contigs (starts has n_contigs + 1
   entries, non-decreasing; codes as produced by rg_fasta_in). */
int rg_splitters_find_codes(const uint8_t *codes, const size_t *starts, size_t n_contigs,
                            const rg_splitter_opts *opts, uint64_t **splitters, size_t *n);
/* ... and with the fall-back tuples, as rg_splitters_find_fallback. */
int rg_splitters_find_codes_fallback(const uint8_t *codes, const size_t *starts, size_t n_contigs,
                                     const rg_splitter_opts *opts, uint64_t **splitters, size_t *n,
                                     rg_fallback_tuple **tuples, size_t *n_tuples);

#endif
