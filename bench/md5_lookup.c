/* md5_lookup.c -- how long a lookup by contig MD5 takes (issue 9: the first
   lookup in a process, archive open included, should take under 50 ms).

   Built by `make tests` as obj/benchbin/md5_lookup; bench/md5.sh runs it.
   Use:
     md5_lookup ARCHIVE MD5 [MD5...]
   The first MD5 is looked up the way a fresh process (the htslib plugin
   serving one REF_PATH request) does it: ragc_open, ragc_decoder_init and
   ragc_find_md5, timed together.  Every further MD5 is looked up with the
   same decoder (the stream already loaded), timed alone.

   Output: one line per MD5, tab-separated, in argument order:
     lookup KIND MD5 RESULT SAMPLE_IDX CONTIG_IDX SAMPLE CONTIG MS OPEN_MS INIT_MS FIND_MS
   KIND is `first` or `next`; RESULT `found` or `miss` (RAGC_ERR_NO_CONTIG;
   indices -1, names `-`); MS is the line's wall time in milliseconds
   (CLOCK_MONOTONIC): for `first` the sum of OPEN_MS (ragc_open), INIT_MS
   (ragc_decoder_init) and FIND_MS (ragc_find_md5), for `next` FIND_MS
   alone (OPEN_MS and INIT_MS are `-`).  The names are read after the clock
   stops.  Exit status 0; 1 when the archive cannot be opened or a lookup
   fails otherwise than by a miss (the message on stderr); 2 on a usage
   error. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ragc.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);   /* wall time: the figure */
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* 0 when hex is exactly 32 hex digits, stored into md5; -1 otherwise. */
static int parse_md5(const char *hex, uint8_t md5[16])
{
    if (strlen(hex) != 32)
        return -1;
    for (int i = 0; i < 16; i++) {
        int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        md5[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

/* Times of one lookup; open_ms and init_ms < 0 when not measured. */
typedef struct {
    double open_ms, init_ms, find_ms;
} lookup_times;

/* One output line; 0, or 1 when the lookup failed otherwise than by a miss. */
static int report(ragc_archive *arc, const char *kind, const char *hex, int r,
                  int64_t sample, int64_t contig, lookup_times t)
{
    if (r != RAGC_OK && r != RAGC_ERR_NO_CONTIG) {
        fprintf(stderr, "md5_lookup: looking up %s: %s\n", hex, ragc_errmsg(r));
        return 1;
    }
    const char *sname = "-", *cname = "-";
    if (r == RAGC_OK) {
        sname = ragc_sample_name(arc, sample);
        cname = ragc_contig_name(arc, sample, contig);
        if (!sname || !cname) {
            fprintf(stderr, "md5_lookup: %s: found sample %lld contig %lld, but it has no name\n",
                    hex, (long long)sample, (long long)contig);
            return 1;
        }
    } else {
        sample = contig = -1;
    }
    double total = t.find_ms + (t.open_ms >= 0 ? t.open_ms + t.init_ms : 0);
    printf("lookup\t%s\t%s\t%s\t%lld\t%lld\t%s\t%s\t%.6f\t", kind, hex,
           r == RAGC_OK ? "found" : "miss", (long long)sample, (long long)contig, sname, cname, total);
    if (t.open_ms >= 0)
        printf("%.6f\t%.6f\t%.6f\n", t.open_ms, t.init_ms, t.find_ms);
    else
        printf("-\t-\t%.6f\n", t.find_ms);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: md5_lookup ARCHIVE MD5 [MD5...]\n");
        return 2;
    }
    uint8_t first[16];
    for (int i = 2; i < argc; i++) {
        uint8_t md5[16];
        if (parse_md5(argv[i], md5) < 0) {
            fprintf(stderr, "md5_lookup: not an MD5 (32 hex digits): %s\n", argv[i]);
            return 2;
        }
    }
    parse_md5(argv[2], first);   /* parsed before the clock starts */

    lookup_times t;
    int status;
    double t0 = now_ms();
    ragc_archive *arc = ragc_open(argv[1], &status);
    double t1 = now_ms();
    if (!arc) {
        fprintf(stderr, "md5_lookup: %s: %s\n", argv[1], ragc_errmsg(status));
        return 1;
    }
    ragc_decoder *dec = ragc_decoder_init(arc, 0);
    double t2 = now_ms();
    if (!dec) {
        fprintf(stderr, "md5_lookup: %s: cannot make a decoder\n", argv[1]);
        ragc_close(arc);
        return 1;
    }
    int64_t sample = -1, contig = -1;
    int r = ragc_find_md5(dec, first, &sample, &contig);
    double t3 = now_ms();
    t = (lookup_times){ t1 - t0, t2 - t1, t3 - t2 };
    int failed = report(arc, "first", argv[2], r, sample, contig, t);

    for (int i = 3; i < argc && !failed; i++) {
        uint8_t md5[16];
        parse_md5(argv[i], md5);
        double s0 = now_ms();
        r = ragc_find_md5(dec, md5, &sample, &contig);
        double s1 = now_ms();
        failed = report(arc, "next", argv[i], r, sample, contig, (lookup_times){ -1, -1, s1 - s0 });
    }
    ragc_decoder_destroy(dec);
    ragc_close(arc);
    return failed;
}
