/* tap.h -- a tiny TAP producer shared by the unit tests in test/.

   Usage:
       tap_plan(N);                     prints "1..N" (call first)
       tap_ok(cond, "what %d", x);      prints "ok K - ..." / "not ok K - ..."
       tap_diag("got %d", y);           prints "# got ..." (after a failure)
       return tap_done();               checks the count, returns the exit status

   Helpers for the tests that need reference material: tap_shared() gives the
   shared folder ($RAGC_SHARED or ../shared, relative to the repository root),
   tap_need_shared() bails out when it is missing, tap_slurp() reads a file.
   Everything is static inline so that each test stays one translation unit. */
#ifndef RAGC_TEST_TAP_H
#define RAGC_TEST_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    int planned, run, failed;
} tap_state_t;

static inline tap_state_t *tap_state(void)
{
    static tap_state_t st;
    return &st;
}

static inline void tap_plan(int n)
{
    tap_state()->planned = n;
    printf("1..%d\n", n);
    fflush(stdout);
}

static inline void tap_vdiag(const char *fmt, va_list ap)
{
    fputs("# ", stdout);
    vprintf(fmt, ap);
    putchar('\n');
    fflush(stdout);
}

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static inline void tap_diag(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tap_vdiag(fmt, ap);
    va_end(ap);
}

/* Returns cond (normalised to 0/1) so callers can add diagnostics. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static inline int tap_ok(int cond, const char *fmt, ...)
{
    tap_state_t *st = tap_state();
    va_list ap;
    printf("%s %d - ", cond ? "ok" : "not ok", ++st->run);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    if (!cond)
        st->failed++;
    return cond != 0;
}

/* Equality of integers with a diagnostic on failure. */
#define tap_is_int(got, want, ...)                                                   \
    do {                                                                             \
        long long tap_g_ = (long long)(got), tap_w_ = (long long)(want);             \
        if (!tap_ok(tap_g_ == tap_w_, __VA_ARGS__))                                  \
            tap_diag("got %lld, expected %lld", tap_g_, tap_w_);                     \
    } while (0)

/* Equality of NUL-terminated strings (NULL allowed) with a diagnostic. */
#define tap_is_str(got, want, ...)                                                   \
    do {                                                                             \
        const char *tap_g_ = (got), *tap_w_ = (want);                                \
        int tap_c_ = (tap_g_ && tap_w_) ? strcmp(tap_g_, tap_w_) == 0 : tap_g_ == tap_w_; \
        if (!tap_ok(tap_c_, __VA_ARGS__))                                            \
            tap_diag("got \"%s\", expected \"%s\"", tap_g_ ? tap_g_ : "(null)",      \
                     tap_w_ ? tap_w_ : "(null)");                                    \
    } while (0)

/* Prints bytes as hex into a diagnostic. */
static inline void tap_diag_hex(const char *label, const void *p, size_t n)
{
    const unsigned char *b = p;
    printf("# %s (%zu bytes):", label, n);
    for (size_t i = 0; i < n && i < 64; i++)
        printf(" %02x", b[i]);
    if (n > 64)
        printf(" ...");
    putchar('\n');
    fflush(stdout);
}

/* Exit status: 0 if every test passed and the plan was kept. */
static inline int tap_done(void)
{
    tap_state_t *st = tap_state();
    if (st->run != st->planned) {
        tap_diag("planned %d tests but ran %d", st->planned, st->run);
        return 1;
    }
    if (st->failed)
        tap_diag("failed %d of %d tests", st->failed, st->run);
    return st->failed ? 1 : 0;
}

/* The shared folder: $RAGC_SHARED, else ../shared (tests run from the
   repository root). */
static inline const char *tap_shared(void)
{
    const char *s = getenv("RAGC_SHARED");
    return s && *s ? s : "../shared";
}

/* Bails out (exit 1) unless the compat archives folder exists. */
static inline void tap_need_shared(void)
{
    char path[4096];
    struct stat sb;
    snprintf(path, sizeof path, "%s/compat/archives", tap_shared());
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        printf("Bail out! %s missing (looked in %s)\n", tap_shared(), path);
        fflush(stdout);
        exit(1);
    }
}

/* path = shared folder + "/" + rel, into buf. */
static inline const char *tap_shared_path(char *buf, size_t size, const char *rel)
{
    snprintf(buf, size, "%s/%s", tap_shared(), rel);
    return buf;
}

/* Reads a whole file; malloc'ed, NUL-terminated; NULL on error. */
static inline char *tap_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (cap - n < 4096) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        if (len)
            *len = n;
    }
    return buf;
}

#endif
