/* agc-api.h -- source-compatible C interface of the AGC library (agc 3.2.2's
   lib-cxx/agc-api.h), implemented by libragc on top of ragc.h.

   Programs written against agc's C API compile unchanged and link with
   libragc (plus its dependencies: htslib, zstd, pthread, libm).
   Only the C functions are provided; agc's C++ class CAGCFile is not.  Under a
   C++ compiler the functions have C linkage and agc_t is an opaque struct.

   Conventions
   -----------
   * Contig names are matched by their short name (the part of the stored name
     before the first space, TAB, CR or LF), as agc does.  Where a sample may
     be NULL, NULL and "" both mean "search every sample".
   * Coordinates are 0-based and ranges [start, end] are inclusive.
   * Lengths and counts are int; a value that does not fit gives -1.
   * Strings and lists returned are malloc'ed and owned by the caller: free a
     list with agc_list_destroy() and a string with agc_string_destroy().
   * All functions taking a const agc_t * may be called concurrently from
     several threads on one handle.  agc_close() must not race with them.

   Differences from the reference library (all deliberate):
   * agc_close() frees the handle (the reference leaks it).
   * agc_string_destroy() is defined (the reference declares it only).
   * agc_list_destroy() frees up to the NULL terminator (the reference loop is
     broken).
   * A NULL sample passed to agc_n_ctg() or agc_list_ctg() is an error (the
     reference has undefined behaviour).
   * prefetching is accepted and ignored: libragc reads on demand.
   * Errors are reported through htslib's logger (hts_log); set hts_verbose to
     silence them.
*/
#ifndef AGC_API_H
#define AGC_API_H

#include "ragc.h"   /* RAGC_EXPORT */

#ifdef __cplusplus
extern "C" {
#endif

typedef struct agc_t agc_t;

/* Open an archive.  Returns a handle, or NULL if the file cannot be read, is
   not an AGC archive, has an unsupported version (>= 4) or lacks parameters. */
RAGC_EXPORT agc_t *agc_open(char *fn, int prefetching);

/* Close the archive and free the handle.  0 on success, -1 for NULL. */
RAGC_EXPORT int agc_close(agc_t *agc);

/* Length of contig `name` (short-name lookup) in `sample`, or in any sample
   when sample is NULL or "".  Returns the length (>= 0), -1 if it is not
   found (or agc is NULL, or on error), -2 if the name is ambiguous. */
RAGC_EXPORT int agc_get_ctg_len(const agc_t *agc, const char *sample, const char *name);

/* Decode bases [start, end] of a contig into buf and NUL-terminate it.
   If both start and end are negative, or start > end, the whole contig is
   decoded; a negative start means 0, a negative end means "to the end".
   buf must hold the result plus the NUL (end - start + 2 bytes for a range,
   contig length + 1 for a whole contig).  Returns the number of bases
   written, or -1 on any error (not found, ambiguous, NULL argument). */
RAGC_EXPORT int agc_get_ctg_seq(const agc_t *agc, const char *sample, const char *name,
                                int start, int end, char *buf);

/* Number of samples, or -1. */
RAGC_EXPORT int agc_n_sample(const agc_t *agc);

/* Number of contigs of a sample (exact sample name), or -1 if there is no
   such sample, sample is NULL, or agc is NULL. */
RAGC_EXPORT int agc_n_ctg(const agc_t *agc, const char *sample);

/* Name of the reference sample, malloc'ed (free with agc_string_destroy), or
   NULL. */
RAGC_EXPORT char *agc_reference_sample(const agc_t *agc);

/* All sample names sorted bytewise, as a malloc'ed NULL-terminated array of
   malloc'ed strings (free with agc_list_destroy); *n_sample receives the
   count.  NULL (and *n_sample untouched) if agc is NULL or on failure. */
RAGC_EXPORT char **agc_list_sample(const agc_t *agc, int *n_sample);

/* Full contig names of a sample in stored order, as for agc_list_sample.
   An unknown sample gives an empty list with *n_ctg = 0.  NULL (and *n_ctg
   untouched) if agc or sample is NULL, or on failure. */
RAGC_EXPORT char **agc_list_ctg(const agc_t *agc, const char *sample, int *n_ctg);

/* Free a list returned by agc_list_sample or agc_list_ctg.  NULL is allowed.
   Returns 0. */
RAGC_EXPORT int agc_list_destroy(char **list);

/* Free a string returned by agc_reference_sample.  NULL is allowed.
   Returns 0. */
RAGC_EXPORT int agc_string_destroy(char *sample);

#ifdef __cplusplus
}
#endif

#endif
