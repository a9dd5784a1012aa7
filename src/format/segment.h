/* segment.h -- group streams: naming, reference parts (plain or tuple-packed)
   and packs of members separated by 0xFF. */
#ifndef RAGC_SEGMENT_H
#define RAGC_SEGMENT_H

#include <stddef.h>
#include <stdint.h>

#define RG_RAW_GROUPS 16          /* groups 0..15 hold members verbatim */
#define RG_PACK_SEPARATOR 0xFF

/* Writes the name of group g's reference (is_ref) or delta stream into buf
   (room for 32 bytes) for an archive of the given file version. */
void rg_group_stream_name(char *buf, uint32_t g, int is_ref, uint32_t file_version);

/* Unpacks a tuple stream (codes packed 4, 3, 2 or 1 per byte with a marker
   byte at the end) into out, which has room for *n codes; *n must equal the
   unpacked count.  Returns 0 or -1 on a malformed stream. */
int rg_tuples_unpack(const uint8_t *t, size_t len, uint8_t *out, size_t n);
/* 1 when t (len bytes) is a well-formed tuple stream of n codes. */
int rg_tuples_fit(const uint8_t *t, size_t len, size_t n);

/* Ends of the items of a pack: item j is [end[j-1] + 1, end[j]).  Returns
   the number of items; *ends is malloc'ed (NULL when there are none). */
int64_t rg_pack_index(const uint8_t *pack, size_t len, uint32_t **ends);

/* Part payloads of group streams (data is consumed: freed, or returned as
   the result when stored raw).  A reference part is raw codes (meta 0) or
   zstd || marker (0 plain, 1 tuple-packed) with meta = the code count; a
   pack part is the pack (meta 0) or zstd || marker with meta = its size.
   Return 0 or RAGC_ERR_*; dctx may be NULL. */
typedef struct ZSTD_DCtx_s ZSTD_DCtx;
/* A reference part with only zstd undone: the codes (*tuples 0) or their
   tuple packing (*tuples 1; checked to hold meta codes, rg_tuples_unpack
   gives them), for callers that keep the smaller form. */
int rg_inflate_reference_part(ZSTD_DCtx *dctx, uint8_t *data, size_t len, uint64_t meta,
                              uint8_t **out, size_t *out_len, int *tuples);
int rg_decode_reference_part(ZSTD_DCtx *dctx, uint8_t *data, size_t len, uint64_t meta,
                             uint8_t **codes, size_t *n);
int rg_decode_pack_part(ZSTD_DCtx *dctx, uint8_t *data, size_t len, uint64_t meta, uint8_t **pack,
                        size_t *n);

#endif
