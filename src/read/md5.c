/* md5.c -- contig MD5s as SAM's M5 (ragc.h "Contig MD5s").  STUB stage:
   computed by decoding; the ragc-md5 stream comes next. */
#include "archive.h"

#include <ctype.h>
#include <string.h>

#include <htslib/hts.h>
#include <htslib/hts_log.h>

typedef struct {
    hts_md5_context *md5;
    char buf[4096];
} md5_sink;

/* Upper-cases the bases (SAM's M5 is of the upper-case sequence) and hashes them. */
static int hash_upper(void *ctx, const char *seq, size_t len)
{
    md5_sink *m = ctx;
    while (len > 0) {
        size_t n = len < sizeof(m->buf) ? len : sizeof(m->buf);
        for (size_t i = 0; i < n; i++)
            m->buf[i] = (char)toupper((unsigned char)seq[i]);
        hts_md5_update(m->md5, m->buf, (unsigned long)n);
        seq += n;
        len -= n;
    }
    return 0;
}

/* The MD5 of a contig computed from its decoded bases. */
static int compute_md5(ragc_decoder *dec, int64_t sample, int64_t contig, uint8_t md5[16])
{
    md5_sink m;
    if (!(m.md5 = hts_md5_init()))
        return RAGC_ERR_NOMEM;
    int canonical = dec->orig.canonical;   /* the M5 is of the input's bases whatever the view */
    dec->orig.canonical = 0;
    int r = ragc_contig_stream(dec, sample, contig, 0, INT64_MAX, hash_upper, &m);
    dec->orig.canonical = canonical;
    if (r == RAGC_OK)
        hts_md5_final(md5, m.md5);
    hts_md5_destroy(m.md5);
    return r;
}

int ragc_contig_md5(ragc_decoder *dec, int64_t sample, int64_t contig, uint8_t md5[16])
{
    if (!dec || !md5)
        return RAGC_ERR_ARG;
    return compute_md5(dec, sample, contig, md5);
}

int ragc_find_md5(ragc_decoder *dec, const uint8_t md5[16], int64_t *sample, int64_t *contig)
{
    if (!dec || !md5 || !sample || !contig)
        return RAGC_ERR_ARG;
    int64_t ns = ragc_n_samples(dec->arc);
    for (int64_t s = 0; s < ns; s++) {
        int64_t nc = ragc_n_contigs(dec->arc, s);
        if (nc < 0)
            return (int)nc;
        for (int64_t c = 0; c < nc; c++) {
            uint8_t m[16];
            int r = compute_md5(dec, s, c, m);
            if (r < 0)
                return r;
            if (memcmp(m, md5, 16) == 0) {
                *sample = s;
                *contig = c;
                return RAGC_OK;
            }
        }
    }
    return RAGC_ERR_NO_CONTIG;
}
