/* archive_pool.h -- the archives the plugin has open in this process, one
   per file, shared by every handle on it.

   samtools opens an `agc:` URL two or three times for one query (the .fai,
   then the FASTA, and htslib peeks at its head), CRAM decoding opens one
   `agc:PATH?md5=` URL per reference contig, and bcftools and mpileup open
   the same archive from several readers.  Each open used to parse the
   archive's directory and collection batch again and start with an empty
   part cache.  The pool opens a file once: every handle on it shares one
   ragc_archive (thread safe, with its cache of decoded parts), so what one
   handle decoded serves the next.

   An archive stays open while a handle uses it, and a few (POOL_IDLE) stay
   open after their last handle closes, for the next open of the same file;
   a file that changed since (another inode, size or modification time) is
   opened afresh.  Files are known by device and inode, so two paths of one
   file share it; remote archives (ragc_is_url) by their URL, and a remote
   file replaced since it was opened fails its reads (docs/remote.md) rather
   than being reopened.  Every function may be called from any thread. */
#ifndef RAGC_PLUGIN_ARCHIVE_POOL_H
#define RAGC_PLUGIN_ARCHIVE_POOL_H

#include <stdint.h>

#include "ragc.h"

/* Archives kept open without a handle. */
#define POOL_IDLE 2

/* The open archive of path (opened now if needed), or NULL with the
   ragc_open status in *status (errno as ragc_open left it).  Release it
   with pool_release. */
ragc_archive *pool_acquire(const char *path, int *status);
void pool_release(ragc_archive *arc);

/* ragc_find_md5 through one decoder per archive, so that its table of MD5s
   is built once for all the lookups of a CRAM file. */
int pool_find_md5(ragc_archive *arc, const uint8_t md5[16], int64_t *sample, int64_t *contig);

/* Closes the idle archives (htslib calls it when it unloads the plugin). */
void pool_shutdown(void);

#endif
