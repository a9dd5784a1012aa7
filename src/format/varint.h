/* varint.h -- the integer codings of AGC archives.

   avar: container integers (directory, part metadata): a length byte n (0..8)
         then n big-endian bytes.
   cvar: collection integers: a 32-bit prefix code with offsets (1..5 bytes).
   ZP:   "zigzag around a prediction" of unsigned values (collections v2, v3).
   ZS:   signed zigzag of a difference (collection v1).
   uvar: ragc's extension streams (docs/lossless.md): unsigned LEB128, 7 bits
         a byte, low group first, at most 10 bytes. */
#ifndef RAGC_VARINT_H
#define RAGC_VARINT_H

#include <stddef.h>
#include <stdint.h>

/* Bounded input cursor.  Readers return 0 on success, -1 when the input ends
   early or holds an impossible value; the cursor is then left unchanged. */
typedef struct {
    const uint8_t *p, *end;
} rg_cursor;

int rg_read_avar(rg_cursor *c, uint64_t *v);
int rg_read_cvar(rg_cursor *c, uint32_t *v);
/* A NUL-terminated string; *s points into the input, *len excludes the NUL. */
int rg_read_cstr(rg_cursor *c, const char **s, size_t *len);

int rg_read_uvar(rg_cursor *c, uint64_t *v);

/* Encoders: write into out (room for 9 / 5 / 10 bytes), return the byte count. */
int rg_write_avar(uint8_t *out, uint64_t v);
int rg_write_cvar(uint8_t *out, uint32_t v);
int rg_write_uvar(uint8_t *out, uint64_t v);

uint64_t rg_zp_decode(uint64_t v, uint64_t pred);
uint64_t rg_zp_encode(uint64_t x, uint64_t pred);
int32_t rg_zs_decode(uint32_t v);
uint32_t rg_zs_encode(int32_t d);

#endif
