/* lzdiff_enc.h -- agc's LZ-diff (dialect 2) on the writing side: the sparse
   hash index over a group reference, the encoder, the size estimator used to
   choose a group, and the per-symbol coding-cost vector used to split
   segments.  All three reproduce agc 3.2.2 (CLZDiff_V2 / CLZDiffBase)
   exactly, quirks included; see agc-compression.md section 11.

   Symbols are codes: 0..3 = ACGT, 4 = N, 5..15 other IUPAC codes, and
   agc's 30 / 32 for other characters, which become the literal bytes '_' /
   'a' exactly as in agc (its decoder then misreads them: agc-format.md
   12.6, quirk Q5).  A text never holds the padding code 31.  Lengths are
   assumed to fit in 32 bits, as in agc. */
#ifndef RAGC_LZDIFF_ENC_H
#define RAGC_LZDIFF_ENC_H

#include <stddef.h>
#include <stdint.h>

#include "bytes.h"

typedef struct rg_lz_index rg_lz_index;

/* Builds agc's sparse hash index over a group reference: the reference is
   copied and padded with key_len = min_match_len - 3 symbols 31; every
   fourth position whose key_len symbols are all ACGT is hashed (fmix64,
   linear probing up to 64 slots, load <= 0.7).  min_match_len is the
   archive's m (params; agc accepts 15..32).  Returns NULL on allocation
   failure or when min_match_len is outside 4..34.  Thread safety: the index
   is read-only once built, any number of threads may use it at once. */
rg_lz_index *rg_lz_index_build(const uint8_t *ref, size_t ref_len, uint32_t min_match_len);
void rg_lz_index_free(rg_lz_index *ix);

/* Length of the reference (without padding). */
size_t rg_lz_index_ref_len(const rg_lz_index *ix);
/* The reference codes (ref_len of them, followed by the padding). */
const uint8_t *rg_lz_index_ref(const rg_lz_index *ix);
uint32_t rg_lz_index_min_match_len(const rg_lz_index *ix);

/* agc CLZDiff_V2::Encode: appends the delta of text (codes) against the
   reference to out; appends nothing when text equals the reference (and,
   as in agc, nothing for an empty text, which agc never encodes).  Returns
   0 or RAGC_ERR_NOMEM (out may then hold a partial delta). */
int rg_lz_encode(const rg_lz_index *ix, const uint8_t *text, size_t n, rg_bytes *out);

/* agc CLZDiff_V2::Estimate(text, bound): 0 for text == reference; else the
   scan of the encoder with agc's cost model -- literal 1, N-run of r
   symbols 2 + ud(r), match ud/id digit counts capped at 8 (+1 for '.',
   +1 + ud(len - m) unless it is a match to the end) -- without the backward
   adjustment of the counted literals, all in uint32 arithmetic, and an
   early return of the running cost when it exceeds bound at the start of an
   iteration (so the result may be any value > bound).  agc's
   CSegment::estimate returns 0 without looking when the group has no
   reference yet: that is the caller's business. */
uint32_t rg_lz_estimate(const rg_lz_index *ix, const uint8_t *text, size_t n, uint32_t bound);

/* agc CLZDiffBase::GetCodingCostVector: one uint32 cost per text symbol --
   literal 1; N-run of r symbols 2 + d(r - 4); match d(|p - pred|) +
   [p < pred] + d(len - m) + 2 (digit counts up to 10, no "to the end"
   form), with the backward adjustment; a token's cost sits at its first
   position when prefix_mode != 0, at its last otherwise, zeros elsewhere.
   *costs is malloc'ed with n entries (NULL when n == 0).  Returns 0 or
   RAGC_ERR_NOMEM.  (agc's CSegment::get_coding_cost returns an empty
   vector when the group has no reference yet: the caller's business.) */
int rg_lz_cost_vector(const rg_lz_index *ix, const uint8_t *text, size_t n, int prefix_mode,
                      uint32_t **costs);

#endif
