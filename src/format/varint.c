/* varint.c -- AGC integer codings; see varint.h. */
#include "varint.h"

#include <string.h>

int rg_read_avar(rg_cursor *c, uint64_t *v)
{
    if (c->p >= c->end)
        return -1;
    unsigned n = c->p[0];
    if (n > 8 || (size_t)(c->end - c->p) < 1 + (size_t)n)
        return -1;
    uint64_t x = 0;
    for (unsigned i = 1; i <= n; i++)
        x = (x << 8) | c->p[i];
    c->p += 1 + n;
    *v = x;
    return 0;
}

/* Offsets where the 2..5 byte forms start: each form continues where the
   shorter one ends. */
#define CVAR_T1 128u
#define CVAR_T2 (CVAR_T1 + (1u << 14))
#define CVAR_T3 (CVAR_T2 + (1u << 21))
#define CVAR_T4 (CVAR_T3 + (1u << 28))

int rg_read_cvar(rg_cursor *c, uint32_t *v)
{
    if (c->p >= c->end)
        return -1;
    const uint8_t *p = c->p;
    size_t avail = (size_t)(c->end - p);
    uint8_t b = p[0];
    uint64_t x;
    size_t n;
    if (b < 0x80) {
        x = b;
        n = 1;
    } else if (b < 0xC0) {
        if (avail < 2) return -1;
        x = CVAR_T1 + (((uint64_t)(b & 0x3F) << 8) | p[1]);
        n = 2;
    } else if (b < 0xE0) {
        if (avail < 3) return -1;
        x = CVAR_T2 + (((uint64_t)(b & 0x1F) << 16) | ((uint64_t)p[1] << 8) | p[2]);
        n = 3;
    } else if (b < 0xF0) {
        if (avail < 4) return -1;
        x = CVAR_T3 + (((uint64_t)(b & 0x0F) << 24) | ((uint64_t)p[1] << 16)
                       | ((uint64_t)p[2] << 8) | p[3]);
        n = 4;
    } else {
        if (avail < 5) return -1;
        x = (uint64_t)CVAR_T4 + (((uint64_t)p[1] << 24) | ((uint64_t)p[2] << 16)
                                 | ((uint64_t)p[3] << 8) | p[4]);
        n = 5;
    }
    if (x > UINT32_MAX)  /* agc's 32-bit arithmetic would wrap: corrupt input */
        return -1;
    c->p += n;
    *v = (uint32_t)x;
    return 0;
}

int rg_read_cstr(rg_cursor *c, const char **s, size_t *len)
{
    const uint8_t *z = c->p < c->end ? memchr(c->p, 0, (size_t)(c->end - c->p)) : NULL;
    if (!z)
        return -1;
    *s = (const char *)c->p;
    *len = (size_t)(z - c->p);
    c->p = z + 1;
    return 0;
}

int rg_write_avar(uint8_t *out, uint64_t v)
{
    int n = 0;
    for (uint64_t t = v; t; t >>= 8)
        n++;
    out[0] = (uint8_t)n;
    for (int i = 0; i < n; i++)
        out[1 + i] = (uint8_t)(v >> (8 * (n - 1 - i)));
    return n + 1;
}

int rg_write_cvar(uint8_t *out, uint32_t v)
{
    if (v < CVAR_T1) {
        out[0] = (uint8_t)v;
        return 1;
    }
    if (v < CVAR_T2) {
        uint32_t x = v - CVAR_T1;
        out[0] = (uint8_t)(0x80 | (x >> 8));
        out[1] = (uint8_t)x;
        return 2;
    }
    if (v < CVAR_T3) {
        uint32_t x = v - CVAR_T2;
        out[0] = (uint8_t)(0xC0 | (x >> 16));
        out[1] = (uint8_t)(x >> 8);
        out[2] = (uint8_t)x;
        return 3;
    }
    if (v < CVAR_T4) {
        uint32_t x = v - CVAR_T3;
        out[0] = (uint8_t)(0xE0 | (x >> 24));
        out[1] = (uint8_t)(x >> 16);
        out[2] = (uint8_t)(x >> 8);
        out[3] = (uint8_t)x;
        return 4;
    }
    uint32_t x = v - CVAR_T4;
    out[0] = 0xF0;
    out[1] = (uint8_t)(x >> 24);
    out[2] = (uint8_t)(x >> 16);
    out[3] = (uint8_t)(x >> 8);
    out[4] = (uint8_t)x;
    return 5;
}

uint64_t rg_zp_decode(uint64_t v, uint64_t pred)
{
    if (v >= 2 * pred)
        return v;
    if (v & 1)
        return pred - (v + 1) / 2;
    return pred + v / 2;
}

uint64_t rg_zp_encode(uint64_t x, uint64_t pred)
{
    if (x < pred)
        return 2 * (pred - x) - 1;
    if (x < 2 * pred)
        return 2 * (x - pred);
    return x;
}

int32_t rg_zs_decode(uint32_t v)
{
    if (v & 1)
        return (int32_t)(-(int64_t)((v >> 1) + 1));
    return (int32_t)(v >> 1);
}

uint32_t rg_zs_encode(int32_t d)
{
    if (d >= 0)
        return (uint32_t)d * 2u;
    return (uint32_t)(-(int64_t)d * 2 - 1);
}

int rg_read_uvar(rg_cursor *c, uint64_t *v)
{
    const uint8_t *p = c->p;
    uint64_t x = 0;
    for (unsigned shift = 0; shift < 64 && p < c->end; shift += 7) {
        uint8_t b = *p++;
        if (shift == 63 && b > 1)
            return -1;   /* wider than 64 bits */
        x |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80)) {
            *v = x;
            c->p = p;
            return 0;
        }
    }
    return -1;
}

int rg_write_uvar(uint8_t *out, uint64_t v)
{
    int n = 0;
    while (v >= 0x80) {
        out[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    out[n++] = (uint8_t)v;
    return n;
}
