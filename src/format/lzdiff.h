/* lzdiff.h -- decoding agc's LZ-diff of a segment against its group reference.

   Tokens: 'A'..'U' literal code; '!' = reference base at the predicted
   position (dialect 2 only); 0x1E digits 0x04 = run of N (code 4) of
   length digits + 4; otherwise a match `[-]pos[,len].` relative to the
   predicted position, `pos.` copying to the reference end (dialect 2 only). */
#ifndef RAGC_LZDIFF_H
#define RAGC_LZDIFF_H

#include <stddef.h>
#include <stdint.h>

#include "bytes.h"   /* rg_bytes (src/write gets it from here too) */

/* Appends the decoded codes to out.  dialect is 1 (file format 1) or 2.
   Returns 0, RAGC_ERR_FORMAT on a malformed or out-of-bounds delta, or
   RAGC_ERR_NOMEM.  An empty delta decodes to the reference itself. */
int rg_lz_decode(const uint8_t *ref, size_t ref_len, const uint8_t *delta, size_t delta_len,
                 uint32_t min_match_len, int dialect, rg_bytes *out);

#endif
