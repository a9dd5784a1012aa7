/* segment_write.h -- encoding the parts of group streams as agc does
   (agc-format.md section 11.6, agc-compression.md section 10).

   Reference part (stream x<g>r, one part per LZ group): a periodicity test
   picks tuple packing + zstd level 13 + marker 1, or the plain codes + zstd
   level 19 + marker 0; metadata = the code count.  When the frame plus marker
   is not shorter than the code count, the codes are stored raw, metadata 0.

   Pack part (stream x<g>d): items each followed by 0xFF (rg_pack_append);
   zstd (settings by rg_pack_kind) + marker 0, metadata = the pack size; raw
   with metadata 0 when the frame plus marker is not shorter than the pack.

   Ownership: *part is malloc'ed (never NULL on success, even when *len is 0)
   and belongs to the caller, ready for rg_cw_add_part_buffered.  rg_bytes
   outputs are appended to and stay the caller's.

   Thread safety: the functions keep no state; a ZSTD_CCtx must not be used by
   two threads at once (cctx may be NULL: a temporary context is used). */
#ifndef RAGC_SEGMENT_WRITE_H
#define RAGC_SEGMENT_WRITE_H

#include <stddef.h>
#include <stdint.h>
#include <zstd.h>

#include "bytes.h"
#include "segment.h"

/* zstd settings of group parts.  agc uses level 13 (tuple references), 19
   (plain references) and 17 (packs) with its bundled libzstd 1.5.5; any
   frame decodes alike, so the archive layout does not depend on them.
   ragc's choices, measured on the parts of senterica-10 and of the chrX set
   (docs/design.md, "zstd settings of parts"), keep the archive no larger
   than agc's at less CPU:
   - tuple references: level 13; a part that a level-1 probe barely
     shrinks (to more than 99% of its input, as the tuples of bacterial
     references) goes through ragc's own match finder and zstd's entropy
     stage (zstd_sequences.h), or level 17 with 4-byte minimum matches
     where that is not available;
   - plain references: level 19;
   - LZ packs: level 16 (17 above 16 KiB) with 4-byte minimum matches;
   - raw packs: btultra with a small, shallow search (chain and hash log
     12, searchLog 1, minimum match 5, target length 8): smaller than level
     17 at a quarter of its CPU. */
#define RG_ZSTD_LEVEL_REF_TUPLES 13
#define RG_ZSTD_LEVEL_REF_TUPLES_WEAK 17
#define RG_ZSTD_LEVEL_REF_PLAIN 19

/* What a pack holds, which sets its zstd settings. */
typedef enum {
    RG_PACK_LZ,      /* LZ-diff texts of an LZ group */
    RG_PACK_RAW,     /* verbatim segments of a raw group (0..15) */
    RG_PACK_DRAFT    /* a shard's packs, compressed again by merge (shard.h) */
} rg_pack_kind;

/* Appends the tuple packing of codes (agc's bytes2tuples) to out: 4, 3 or 2
   codes a byte (bases 4, 6, 16) when the largest code is < 4, < 6 or < 16,
   first code most significant, then always one byte with the n mod w left
   over codes, then the marker (w << 4) + n mod w; otherwise the codes and
   0x10.  The inverse of rg_tuples_unpack.  Returns 0 or RAGC_ERR_NOMEM. */
int rg_tuples_pack(const uint8_t *codes, size_t n, rg_bytes *out);

/* agc's periodicity test: 1 when the plain form (zstd 19) is chosen, 0 for
   the tuple form (some lag 4..31 repeats at least half of the ACGT codes ->
   plain). */
int rg_reference_prefers_plain(const uint8_t *codes, size_t n);

/* Encodes a group's reference segment (codes 0..127).  Returns 0 or a
   RAGC_ERR_* status. */
int rg_encode_reference_part(ZSTD_CCtx *cctx, const uint8_t *codes, size_t n, uint8_t **part,
                             size_t *len, uint64_t *meta);

/* Encodes a pack (items + separators) as a delta-stream part;
   rg_encode_pack_part is the LZ kind. */
int rg_encode_pack_part_kind(ZSTD_CCtx *cctx, const uint8_t *pack, size_t n, rg_pack_kind kind,
                             uint8_t **part, size_t *len, uint64_t *meta);
int rg_encode_pack_part(ZSTD_CCtx *cctx, const uint8_t *pack, size_t n, uint8_t **part,
                        size_t *len, uint64_t *meta);

/* Appends an item and its 0xFF separator to a pack under construction. */
int rg_pack_append(rg_bytes *pack, const uint8_t *item, size_t len);

#endif
