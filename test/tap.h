/* tap.h -- a tiny TAP producer shared by the unit tests in test/.

   Usage:
       tap_plan(N);                     prints "1..N" (call first)
       tap_ok(cond, "what %d", x);      prints "ok K - ..." / "not ok K - ..."
       tap_diag("got %d", y);           prints "# got ..." (after a failure)
       return tap_done();               checks the count, returns the exit status

   Fixtures live in two data roots laid out alike (compat/..., data/...):
   the core root test/data, part of the repository, and the extended root
   ($RAGC_SHARED, default ../shared; tests run from the repository root),
   which may be absent.  tap_shared_path() resolves a fixture path to the
   core root when the file is there, else to the extended root;
   tap_have_data() tells whether a path is in either; tap_need_data() prints
   TAP skips naming the missing data when it is not; tap_need_shared() bails
   out when the core root itself is missing; tap_slurp() reads a file.
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

/* The core root: $RAGC_TEST_DATA, else test/data (tests run from the
   repository root).  It is always there. */
static inline const char *tap_core_root(void)
{
    const char *s = getenv("RAGC_TEST_DATA");
    return s && *s ? s : "test/data";
}

/* The extended root: $RAGC_SHARED, else ../shared.  It may be absent. */
static inline const char *tap_extended_root(void)
{
    const char *s = getenv("RAGC_SHARED");
    return s && *s ? s : "../shared";
}

static inline int tap_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Bails out (exit 1) unless the core root's compat archives folder exists:
   without it the test runs from the wrong folder. */
static inline void tap_need_shared(void)
{
    char path[4096];
    struct stat sb;
    snprintf(path, sizeof path, "%s/compat/archives", tap_core_root());
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        printf("Bail out! test data missing: %s (run from the repository root, or set "
               "RAGC_TEST_DATA)\n", path);
        fflush(stdout);
        exit(1);
    }
}

/* path of the fixture rel, into buf: in the core root when it is there,
   else in the extended root (whether or not it exists there). */
static inline const char *tap_shared_path(char *buf, size_t size, const char *rel)
{
    snprintf(buf, size, "%s/%s", tap_core_root(), rel);
    if (!tap_exists(buf))
        snprintf(buf, size, "%s/%s", tap_extended_root(), rel);
    return buf;
}

/* 1 when the fixture rel is in one of the roots. */
static inline int tap_have_data(const char *rel)
{
    char path[4096];
    return tap_exists(tap_shared_path(path, sizeof path, rel));
}

/* The data set rel belongs to, for messages: data/NAME for files under
   data/NAME/, else rel itself. */
static inline const char *tap_data_set(char *buf, size_t size, const char *rel)
{
    const char *slash = strncmp(rel, "data/", 5) == 0 ? strchr(rel + 5, '/') : NULL;
    int n = slash ? (int)(slash - rel) : (int)strlen(rel);
    snprintf(buf, size, "%.*s", n, rel);
    return buf;
}

/* 1 when every fixture of the NULL-terminated list is in one of the roots;
   otherwise prints n_tests TAP skips for what, naming the first missing
   data set and how to provide it, and returns 0. */
#if defined(__GNUC__)
__attribute__((sentinel))
#endif
static inline int tap_need_data(int n_tests, const char *what, ...)
{
    va_list ap;
    const char *rel, *missing = NULL;
    va_start(ap, what);
    while (!missing && (rel = va_arg(ap, const char *)) != NULL)
        if (!tap_have_data(rel))
            missing = rel;
    va_end(ap);
    if (!missing)
        return 1;
    char set[1024];
    tap_data_set(set, sizeof set, missing);
    for (int i = 0; i < n_tests; i++)
        printf("ok %d - %s # skip extended data missing: %s (set RAGC_SHARED=/path/to/shared)\n",
               ++tap_state()->run, what, set);
    fflush(stdout);
    return 0;
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
