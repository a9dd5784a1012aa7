/* zstd_sequences.h -- zstd frames of texts whose matches ragc finds itself.

   The tuples of a bacterial reference (four bases a byte) barely shrink:
   zstd's strong levels spend their time in the optimal parser, which finds
   little to match, and what they gain is the literals' Huffman coding,
   kept only by btultra's smaller "minimum gain" a block must show before
   it is stored compressed.  rg_zstd_long_match_frame finds the repeats
   with one hash lookup a position and hands them to ZSTD_compressSequences,
   which entropy-codes them as btultra2 does: the same size at a fifth of
   the time (segment_write.c has the figures).  The result is an ordinary
   zstd frame: any decoder, agc's included, reads it.  (Raw packs, a base
   a byte, came out 1.5% larger this way: there the optimal parser's short
   matches pay.)

   ZSTD_compressSequences belongs to zstd's experimental API, whose binary
   interface may change between zstd releases.  The fast path is therefore
   taken only when the libzstd found at run time is the release ragc was
   compiled against (rg_zstd_sequences_available), and every frame is
   decoded and compared with its input before it is returned; callers fall
   back to an ordinary level otherwise.

   Thread safety: no state; a ZSTD_CCtx must not be used by two threads at
   once. */
#ifndef RAGC_ZSTD_SEQUENCES_H
#define RAGC_ZSTD_SEQUENCES_H

#include <stddef.h>
#include <stdint.h>
#include <zstd.h>

/* 1 when rg_zstd_long_match_frame can be used with this libzstd. */
int rg_zstd_sequences_available(void);

/* What a match must be to be taken: min_match bytes (>= 4) found through
   the hash of its first min(min_match, 32) bytes (4, or a multiple of 8),
   or rep_min bytes (>= 1) at the previous match's offset, which zstd codes
   as a cheap repeat (the copy resuming after a substitution).  Two bits a
   base make matches pay from about 16 bases on, a repeat from 8. */
typedef struct {
    size_t min_match, rep_min;
} rg_long_match_params;

/* Compresses src[0..n) into one zstd frame followed by the byte marker:
   matches found greedily by p, then zstd's btultra2 entropy stage.  *out is
   malloc'ed (frame + marker, *out_len bytes).  cctx may be NULL.  Returns
   0, RAGC_ERR_NOMEM, or RAGC_ERR_ARG when this libzstd cannot or will not
   (rg_zstd_sequences_available, refused parameters, or a frame that does
   not decode to src): the caller falls back to a level. */
int rg_zstd_long_match_frame(ZSTD_CCtx *cctx, const uint8_t *src, size_t n,
                             rg_long_match_params p, uint8_t marker, uint8_t **out,
                             size_t *out_len);

#endif
