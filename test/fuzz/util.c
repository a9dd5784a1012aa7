/* util.c -- the helpers of fuzz.h. */
#define _DEFAULT_SOURCE   /* mkstemps */
#include "fuzz.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <htslib/hts_log.h>

char *fz_string(fz_reader *r, uint8_t sep)
{
    size_t len;
    const uint8_t *s = fz_until(r, sep, &len);
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

int fz_temp_file(const void *data, size_t len, const char *suffix, char *path, size_t size)
{
    const char *dir = getenv("TMPDIR");
    int n = snprintf(path, size, "%s/ragc-fuzz-XXXXXX%s", dir && *dir ? dir : "/tmp", suffix);
    if (n < 0 || (size_t)n >= size)
        return -1;
    int fd = mkstemps(path, (int)strlen(suffix));
    if (fd < 0)
        return -1;
    const uint8_t *p = data;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w <= 0) {
            close(fd);
            unlink(path);
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return close(fd) == 0 ? 0 : -1;
}

uint8_t *fz_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            size_t ncap = cap ? 2 * cap : 65536;
            uint8_t *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

int fz_sink_fn(void *ctx, const char *s, size_t n)
{
    fz_sink *k = ctx;
    if (k->buf && k->n < k->keep)
        memcpy(k->buf + k->n, s, n < k->keep - k->n ? n : k->keep - k->n);
    k->n += n;
    return k->limit && k->n > k->limit;
}

void fz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: oracle failed: %s\n", file, line, what);
    abort();
}

void fz_quiet(void)
{
    hts_set_log_level(HTS_LOG_OFF);
}
