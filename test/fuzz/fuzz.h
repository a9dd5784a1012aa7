/* fuzz.h -- what the libFuzzer harnesses of test/fuzz/ share: a reader that
   splits the fuzzer's bytes into the values a harness needs (the idea of
   LLVM's FuzzedDataProvider, written here in C), temporary files, and a
   sink that counts and caps what a decoder produces.

   Every harness defines LLVMFuzzerTestOneInput (and may define
   LLVMFuzzerInitialize).  Built with clang -fsanitize=fuzzer it is a
   libFuzzer target (make fuzz); linked with standalone.c instead it replays
   files with any compiler (make check replays test/fuzz/regress/). */
#ifndef RAGC_FUZZ_H
#define RAGC_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The fuzzer's bytes, consumed from the front; an exhausted reader gives
   zeros and empty strings. */
typedef struct {
    const uint8_t *p;
    size_t n;
} fz_reader;

static inline uint8_t fz_u8(fz_reader *r)
{
    if (!r->n)
        return 0;
    r->n--;
    return *r->p++;
}

static inline uint32_t fz_u32(fz_reader *r)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = v << 8 | fz_u8(r);
    return v;
}

static inline uint64_t fz_u64(fz_reader *r)
{
    return (uint64_t)fz_u32(r) << 32 | fz_u32(r);
}

/* A value in [lo, hi] (lo <= hi). */
static inline uint64_t fz_range(fz_reader *r, uint64_t lo, uint64_t hi)
{
    uint64_t span = hi - lo;
    uint64_t v = span < 256 ? fz_u8(r) : span < 65536 ? (uint64_t)fz_u8(r) << 8 | fz_u8(r) : fz_u64(r);
    return span == UINT64_MAX ? v : lo + v % (span + 1);
}

/* The bytes up to the next `sep` (or the end), which is consumed: *len
   gets their count. */
static inline const uint8_t *fz_until(fz_reader *r, uint8_t sep, size_t *len)
{
    const uint8_t *s = r->p;
    const uint8_t *e = r->n ? memchr(r->p, sep, r->n) : NULL;
    *len = e ? (size_t)(e - s) : r->n;
    r->p += *len + (e != NULL);
    r->n -= *len + (e != NULL);
    return s;
}

/* The same as a malloc'ed NUL-terminated string (NULL when out of memory). */
char *fz_string(fz_reader *r, uint8_t sep);

/* Writes len bytes to a new temporary file (in $TMPDIR or /tmp) and returns
   its path in path[size]; 0 or -1.  The harness removes it. */
int fz_temp_file(const void *data, size_t len, const char *suffix, char *path, size_t size);

/* The whole content of a file, malloc'ed (NULL on failure). */
uint8_t *fz_read_file(const char *path, size_t *len);

/* A ragc_sink_fn that counts bytes, keeps the first `keep` of them and
   stops the decoder (non-zero) once `limit` bytes came: a damaged archive
   may describe sequences far too long to decode in a fuzzing run. */
typedef struct {
    size_t n, limit;
    char *buf;
    size_t keep;
} fz_sink;

int fz_sink_fn(void *ctx, const char *s, size_t n);

/* Aborts with a message when cond is false: the harness's oracle failed
   (libFuzzer then keeps the input as a crash). */
#define FZ_ASSERT(cond, what)                                                 \
    do {                                                                      \
        if (!(cond))                                                          \
            fz_fail(__FILE__, __LINE__, what);                                \
    } while (0)
void fz_fail(const char *file, int line, const char *what);

/* Silences hts_log (a fuzzer makes every error path log). */
void fz_quiet(void);

#endif
