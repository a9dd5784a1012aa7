/* original_bench.c -- speed of the original-form builder and size of its
   blobs (src/format/original.h; figures in docs/lossless.md section 6).

   Built by `make tests` as obj/benchbin/original_bench.
   Use:
     original_bench speed FILE...    MB/s of CPU time, best of $RUNS (11):
                                     the FASTA reader (rg_fasta_in); an
                                     in-memory line loop converting to codes,
                                     and the same loop through the builder
                                     (ASCII and codes); a buffer loop like
                                     fasta_in's, and the same buffers through
                                     rg_orig_seq_text
     original_bench sizes FILE...    per-sample blob sizes (raw, zstd -19
                                     alone, with the previous sample's blob
                                     and with the first sample's blob as a
                                     prefix), files in sample order; with
                                     $LEAN set, frames omit the content size */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zstd.h>

#include "fasta_in.h"
#include "original.h"

static int RUNS = 11;   /* $RUNS overrides */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);   /* CPU time: the machine is shared */
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *d = malloc((size_t)n + 1);
    if (d && fread(d, 1, (size_t)n, f) != (size_t)n) {
        free(d);
        d = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return d;
}

/* One line of d at *at: bytes [*p, *p + *n), its line end; 0 at the end. */
static int next_line(const char *d, size_t len, size_t *at, const char **p, size_t *n, int *eol)
{
    if (*at >= len)
        return 0;
    const char *s = d + *at, *nl = memchr(s, '\n', len - *at);
    *p = s;
    if (nl) {
        *n = (size_t)(nl - s);
        *eol = RG_ORIG_LF;
        if (*n && s[*n - 1] == '\r') {
            (*n)--;
            *eol = RG_ORIG_CRLF;
        }
        *at = (size_t)(nl - d) + 1;
    } else {
        *n = len - *at;
        *eol = RG_ORIG_NONE;
        *at = len;
    }
    return 1;
}

/* The same line loop, converting to codes with one table as the reader does. */
static uint64_t plain_loop(const char *d, size_t len, rg_bytes *out)
{
    static uint8_t cls[256];
    static const char codes[] = "ACGTNRYSWKMBDHVU";
    for (int i = 0; i < 16; i++) {
        cls[(uint8_t)codes[i]] = (uint8_t)(i + 1);
        cls[(uint8_t)(codes[i] | 0x20)] = (uint8_t)(i + 1);
    }
    size_t at = 0, n;
    const char *p;
    int eol;
    uint64_t bases = 0;
    out->len = 0;
    while (next_line(d, len, &at, &p, &n, &eol)) {
        if (n && p[0] == '>') {
            continue;
        }
        rg_bytes_reserve(out, n);
        uint8_t *o = out->s + out->len;
        for (size_t i = 0; i < n; i++) {
            uint8_t t = cls[(uint8_t)p[i]];
            if (t)
                *o++ = (uint8_t)(t - 1);
        }
        out->len = (size_t)(o - out->s);
        if (out->len > (64u << 20)) {
            bases += out->len;
            out->len = 0;
        }
    }
    return bases + out->len;
}

/* The line loop through the builder; s receives the description. */
static uint64_t build(rg_orig_builder *b, const char *d, size_t len, rg_bytes *out,
                      rg_orig_sample *s)
{
    size_t at = 0, n;
    const char *p;
    int eol, in_rec = 0;
    uint64_t bases = 0;
    out->len = 0;
    rg_orig_begin_sample(b);
    while (next_line(d, len, &at, &p, &n, &eol)) {
        if (n && p[0] == '>') {
            if (in_rec)
                rg_orig_end_record(b);
            rg_orig_header(b, p + 1, n - 1, eol, p + 1, n - 1);
            in_rec = 1;
        } else if (!in_rec) {
            rg_orig_preamble(b, p, n, eol);
        } else {
            if (rg_orig_seq_line(b, p, n, eol, out) < 0) {
                fprintf(stderr, "builder failed\n");
                exit(1);
            }
            if (out->len > (64u << 20)) {
                bases += out->len;
                out->len = 0;
            }
        }
    }
    if (rg_orig_end_sample(b, s) < 0) {
        fprintf(stderr, "builder failed\n");
        exit(1);
    }
    return bases + out->len;
}

#define CHUNK (256u * 1024u)

/* A reader's loop over 256 KiB buffers, as fasta_in.c does it: headers
   found with memchr, sequence bytes classified one by one (line ends
   included) into codes.  Headers do not cross buffers here (the data is
   in memory), which is all the comparison needs. */
static uint64_t plain_text(const char *d, size_t len, rg_bytes *out)
{
    static uint8_t cls[256];
    static const char codes[] = "ACGTNRYSWKMBDHVU";
    for (int i = 0; i < 16; i++) {
        cls[(uint8_t)codes[i]] = (uint8_t)(i + 1);
        cls[(uint8_t)(codes[i] | 0x20)] = (uint8_t)(i + 1);
    }
    cls['\n'] = 18;
    uint64_t bases = 0;
    int bol = 1;
    out->len = 0;
    for (size_t c0 = 0; c0 < len; c0 += CHUNK) {
        const uint8_t *p = (const uint8_t *)d + c0;
        const uint8_t *end = p + (len - c0 < CHUNK ? len - c0 : CHUNK);
        rg_bytes_reserve(out, (size_t)(end - p));
        uint8_t *o = out->s + out->len;
        while (p < end) {
            if (bol && *p == '>') {
                const uint8_t *nl = memchr(p, '\n', (size_t)((const uint8_t *)d + len - p));
                p = nl ? nl + 1 : (const uint8_t *)d + len;
                continue;
            }
            bol = 0;
            while (p < end) {
                uint8_t t = cls[*p++];
                if (t - 1u < 16u) {
                    *o++ = (uint8_t)(t - 1);
                } else if (t == 18) {
                    bol = 1;
                    break;
                }
            }
        }
        out->len = (size_t)(o - out->s);
        if (out->len > (64u << 20)) {
            bases += out->len;
            out->len = 0;
        }
        if (p > end)   /* a header ran past the buffer */
            c0 = (size_t)(p - (const uint8_t *)d) - CHUNK;
    }
    return bases + out->len;
}

/* The same loop with the builder taking the sequence text. */
static uint64_t build_text(rg_orig_builder *b, const char *d, size_t len, rg_bytes *out,
                           rg_orig_sample *s)
{
    uint64_t bases = 0;
    int in_rec = 0, at_header = 1;
    out->len = 0;
    rg_orig_begin_sample(b);
    for (size_t c0 = 0; c0 < len; c0 += CHUNK) {
        const char *p = d + c0, *end = p + (len - c0 < CHUNK ? len - c0 : CHUNK);
        while (p < end) {
            if (at_header) {   /* the bench's files start with a header */
                const char *nl = memchr(p, '\n', (size_t)(d + len - p));
                const char *h = p + 1, *he = nl ? nl : d + len;
                int eol = RG_ORIG_LF;
                if (he > h && he[-1] == '\r') {
                    he--;
                    eol = RG_ORIG_CRLF;
                }
                if (!nl)
                    eol = RG_ORIG_NONE;
                if (in_rec)
                    rg_orig_end_record(b);
                rg_orig_header(b, h, (size_t)(he - h), eol, h, (size_t)(he - h));
                in_rec = 1;
                at_header = 0;
                p = nl ? nl + 1 : d + len;
                continue;
            }
            size_t used;
            int r = rg_orig_seq_text(b, p, (size_t)(end - p), out, &used);
            if (r < 0) {
                fprintf(stderr, "builder failed\n");
                exit(1);
            }
            p += used;
            at_header = r == 1;
        }
        if (out->len > (64u << 20)) {
            bases += out->len;
            out->len = 0;
        }
        if (p > end)
            c0 = (size_t)(p - d) - CHUNK;
    }
    rg_orig_seq_eol(b, RG_ORIG_NONE);
    if (rg_orig_end_sample(b, s) < 0) {
        fprintf(stderr, "builder failed\n");
        exit(1);
    }
    return bases + out->len;
}

typedef struct {
    char **paths;
    int n;
    char **data;
    size_t *len;
    int mode;
} job;

static double t_reader(void *a)
{
    job *j = a;
    kstring_t h = {0};
    rg_bytes codes = {0};
    double t0 = now();
    for (int i = 0; i < j->n; i++) {
        rg_fasta_in *f = rg_fasta_in_open(j->paths[i]);
        if (!f)
            exit(1);
        while (rg_fasta_in_next(f, &h, &codes) > 0)
            ;
        rg_fasta_in_close(f);
    }
    double t = now() - t0;
    free(h.s);
    rg_bytes_free(&codes);
    return t;
}

static double t_plain(void *a)
{
    job *j = a;
    rg_bytes out = {0};
    double t0 = now();
    for (int i = 0; i < j->n; i++)
        plain_loop(j->data[i], j->len[i], &out);
    double t = now() - t0;
    rg_bytes_free(&out);
    return t;
}

static double t_build(void *a)
{
    job *j = a;
    rg_bytes out = {0};
    rg_orig_builder b;
    rg_orig_sample s = {0};
    rg_orig_builder_init(&b, j->mode);
    double t0 = now();
    for (int i = 0; i < j->n; i++)
        build(&b, j->data[i], j->len[i], &out, &s);
    double t = now() - t0;
    rg_orig_sample_free(&s);
    rg_orig_builder_free(&b);
    rg_bytes_free(&out);
    return t;
}

static double t_plain_text(void *a)
{
    job *j = a;
    rg_bytes out = {0};
    double t0 = now();
    for (int i = 0; i < j->n; i++)
        plain_text(j->data[i], j->len[i], &out);
    double t = now() - t0;
    rg_bytes_free(&out);
    return t;
}

static double t_build_text(void *a)
{
    job *j = a;
    rg_bytes out = {0};
    rg_orig_builder b;
    rg_orig_sample s = {0};
    rg_orig_builder_init(&b, RG_ORIG_OUT_CODES);
    double t0 = now();
    for (int i = 0; i < j->n; i++)
        build_text(&b, j->data[i], j->len[i], &out, &s);
    double t = now() - t0;
    rg_orig_sample_free(&s);
    rg_orig_builder_free(&b);
    rg_bytes_free(&out);
    return t;
}

static int lean;   /* frames without the content size (the part's metadata has it) */

static size_t zstd19(const void *src, size_t n, const void *prefix, size_t pn)
{
    ZSTD_CCtx *c = ZSTD_createCCtx();
    size_t cap = ZSTD_compressBound(n);
    void *dst = malloc(cap);
    ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 19);
    if (lean)
        ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 0);
    if (prefix)
        ZSTD_CCtx_refPrefix(c, prefix, pn);
    size_t r = ZSTD_compress2(c, dst, cap, src, n);
    free(dst);
    ZSTD_freeCCtx(c);
    return ZSTD_isError(r) ? 0 : r;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: original_bench speed|sizes FILE...\n");
        return 2;
    }
    job j = {argv + 2, argc - 2, calloc((size_t)argc, sizeof(char *)),
             calloc((size_t)argc, sizeof(size_t)), 0};
    size_t total = 0;
    for (int i = 0; i < j.n; i++) {
        if (!(j.data[i] = slurp(j.paths[i], &j.len[i]))) {
            fprintf(stderr, "cannot read %s\n", j.paths[i]);
            return 1;
        }
        total += j.len[i];
    }
    if (strcmp(argv[1], "speed") == 0) {
        if (getenv("RUNS"))
            RUNS = atoi(getenv("RUNS"));
        double mb = (double)total / 1e6;
        double tr = 1e30, tp = 1e30, ta = 1e30, tc = 1e30, tpt = 1e30, tbt = 1e30, t;
        for (int round = 0; round < RUNS; round++) {   /* interleaved, best of RUNS */
            if ((t = t_reader(&j)) < tr)
                tr = t;
            if ((t = t_plain(&j)) < tp)
                tp = t;
            j.mode = RG_ORIG_OUT_ASCII;
            if ((t = t_build(&j)) < ta)
                ta = t;
            j.mode = RG_ORIG_OUT_CODES;
            if ((t = t_build(&j)) < tc)
                tc = t;
            if ((t = t_plain_text(&j)) < tpt)
                tpt = t;
            if ((t = t_build_text(&j)) < tbt)
                tbt = t;
        }
        printf("%.1f MB in %d files (CPU time, best of %d)\n", mb, j.n, RUNS);
        printf("rg_fasta_in (file, codes)         %7.0f MB/s\n", mb / tr);
        printf("line loop, codes (in memory)      %7.0f MB/s\n", mb / tp);
        printf("line loop + builder, ASCII        %7.0f MB/s\n", mb / ta);
        printf("line loop + builder, codes        %7.0f MB/s\n", mb / tc);
        printf("buffer loop, codes (as fasta_in)  %7.0f MB/s\n", mb / tpt);
        printf("buffer loop + seq_text, codes     %7.0f MB/s  (%+.1f%% time)\n", mb / tbt,
               100.0 * (tbt - tpt) / tpt);
        return 0;
    }
    lean = getenv("LEAN") != NULL;
    rg_orig_builder b;
    rg_orig_builder_init(&b, RG_ORIG_OUT_ASCII);
    rg_bytes out = {0};
    size_t sum_best = 0;
    rg_bytes all = {0};
    rg_bytes *blobs = calloc((size_t)j.n, sizeof *blobs);
    size_t sum_raw = 0, sum_z = 0, sum_prev = 0, sum_first = 0;
    printf("%-40s %8s %8s %8s %8s %7s %7s\n", "file", "raw", "z19", "z19prev", "z19first",
           "runs", "records");
    for (int i = 0; i < j.n; i++) {
        rg_orig_sample s = {0};
        build(&b, j.data[i], j.len[i], &out, &s);
        rg_orig_encode(&s, &blobs[i]);
        size_t z = zstd19(blobs[i].s, blobs[i].len, NULL, 0);
        size_t zp = i ? zstd19(blobs[i].s, blobs[i].len, blobs[i - 1].s, blobs[i - 1].len) : z;
        size_t zf = i ? zstd19(blobs[i].s, blobs[i].len, blobs[0].s, blobs[0].len) : z;
        const char *name = strrchr(j.paths[i], '/');
        printf("%-40s %8zu %8zu %8zu %8zu %7zu %7zu\n", name ? name + 1 : j.paths[i], blobs[i].len,
               z, zp, zf, s.n_lower + s.n_exc + s.n_ins, s.n_rec);
        sum_raw += blobs[i].len;
        sum_z += z;
        sum_prev += zp;
        sum_first += zf;
        sum_best += zp < blobs[i].len ? zp : blobs[i].len;   /* stored raw when zstd does not pay */
        rg_bytes_reserve(&all, blobs[i].len);
        memcpy(all.s + all.len, blobs[i].s, blobs[i].len);
        all.len += blobs[i].len;
        rg_orig_sample_free(&s);
    }
    printf("%-40s %8zu %8zu %8zu %8zu\n", "total", sum_raw, sum_z, sum_prev, sum_first);
    printf("total, each part the smaller of raw and z19prev: %zu; all blobs in one z19 frame: %zu\n",
           sum_best, zstd19(all.s, all.len, NULL, 0));
    return 0;
}
