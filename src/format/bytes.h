/* bytes.h -- a growable buffer of bytes (rg_bytes).

   The codecs' buffers hold binary data: nucleotide codes 0..15, LZ-diff
   tokens, packs with 0xFF separators and zero bytes, zstd frames.  They
   are uint8_t and never NUL-terminated, which is why they are not
   htslib's kstring_t (char text that keeps a terminating NUL). */
#ifndef RAGC_BYTES_H
#define RAGC_BYTES_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t *s;
    size_t len, cap;
} rg_bytes;

/* Room for `extra` more bytes after len (rg_reserve).  0 or RAGC_ERR_NOMEM. */
int rg_bytes_reserve(rg_bytes *b, size_t extra);
/* Appends n bytes from p (NULL when n is 0).  0 or RAGC_ERR_NOMEM. */
int rg_bytes_append(rg_bytes *b, const void *p, size_t n);
/* Appends v as a uvar (varint.h).  0 or RAGC_ERR_NOMEM. */
int rg_bytes_put_uvar(rg_bytes *b, uint64_t v);
void rg_bytes_free(rg_bytes *b);

/* The u64le at p (the splitters and group keys of agc's metadata streams). */
static inline uint64_t rg_le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int b = 7; b >= 0; b--)
        v = (v << 8) | p[b];
    return v;
}

#endif
