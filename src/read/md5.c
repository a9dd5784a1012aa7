/* md5.c -- contig MD5s as SAM's M5 (ragc.h "Contig MD5s").  Archives
   written by ragc hold them in the ragc-md5 extension stream (a sample's
   blob: 16 bytes per contig, in order); for the others they are computed
   by decoding.  A lookup by MD5 builds, once per decoder, a table of every
   sample's stored MD5s; samples without are decoded and hashed only when
   the table has no answer. */
#include "archive.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts.h>
#include <htslib/hts_log.h>
#include <htslib/khash.h>

#include "original_store.h"

typedef struct {
    uint8_t m[16];
} md5_key;

static inline khint_t md5_hash(md5_key k)
{
    khint_t h;
    memcpy(&h, k.m, sizeof(h));   /* MD5 bytes are already uniform */
    return h;
}
#define md5_eq(x, y) (memcmp((x).m, (y).m, 16) == 0)

typedef struct {
    int64_t sample, contig;
} md5_hit;

KHASH_INIT(rg_md5_table, md5_key, md5_hit, 1, md5_hash, md5_eq)

void rg_md5_reader_init(rg_md5_reader *m)
{
    memset(m, 0, sizeof(*m));
    rg_ext_reader_init(&m->ext, RG_MD5_STREAM, 0);
}

void rg_md5_reader_free(rg_md5_reader *m)
{
    rg_ext_reader_free(&m->ext);
    if (m->table)
        kh_destroy(rg_md5_table, (khash_t(rg_md5_table) *)m->table);
    free(m->missing);
    memset(m, 0, sizeof(*m));
}

typedef struct {
    hts_md5_context *md5;
    char buf[4096];
} md5_sink;

/* SAM's M5: the bases upper-cased, every byte outside '!'..'~' left out
   (as samtools dict does). */
static int hash_upper(void *ctx, const char *seq, size_t len)
{
    md5_sink *m = ctx;
    while (len > 0) {
        size_t n = len < sizeof(m->buf) ? len : sizeof(m->buf), k = 0;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)seq[i];
            if (c >= 33 && c <= 126)
                m->buf[k++] = (char)toupper(c);
        }
        hts_md5_update(m->md5, m->buf, (unsigned long)k);
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

/* The stored MD5s of a sample: 1 with dec->md5.ext.blob holding n_contigs
   of them, 0 when it has none (or they do not match its contigs: warned),
   < 0 on errors. */
static int stored_md5s(ragc_decoder *dec, int64_t sample, int64_t n_contigs)
{
    rg_ext_reader *x = &dec->md5.ext;
    int r = rg_ext_reader_blob(dec, x, sample);
    if (r == RAGC_ERR_FORMAT || (r == 1 && x->blob_len != (size_t)n_contigs * 16)) {
        hts_log_warning("sample %s: its stored contig MD5s are corrupt; computing them",
                        ragc_sample_name(dec->arc, sample));
        return 0;
    }
    return r;
}

int ragc_contig_md5(ragc_decoder *dec, int64_t sample, int64_t contig, uint8_t md5[16])
{
    if (!dec || !md5)
        return RAGC_ERR_ARG;
    int64_t nc = ragc_n_contigs(dec->arc, sample);
    if (nc < 0)
        return (int)nc;
    if (contig < 0 || contig >= nc)
        return RAGC_ERR_NO_CONTIG;
    int r = stored_md5s(dec, sample, nc);
    if (r < 0)
        return r;
    if (r == 1) {
        memcpy(md5, dec->md5.ext.blob + contig * 16, 16);
        return RAGC_OK;
    }
    return compute_md5(dec, sample, contig, md5);
}

/* The table of every stored MD5 (the first contig of each wins), and the
   samples that have none. */
static int build_table(ragc_decoder *dec)
{
    rg_md5_reader *m = &dec->md5;
    khash_t(rg_md5_table) *t = kh_init(rg_md5_table);
    int64_t ns = ragc_n_samples(dec->arc);
    if (!t || !(m->missing = malloc((size_t)(ns > 0 ? ns : 1) * sizeof(*m->missing)))) {
        if (t)
            kh_destroy(rg_md5_table, t);
        return RAGC_ERR_NOMEM;
    }
    m->table = t;
    int r = RAGC_OK;
    for (int64_t s = 0; r == RAGC_OK && s < ns; s++) {
        int64_t nc = ragc_n_contigs(dec->arc, s);
        r = nc < 0 ? (int)nc : stored_md5s(dec, s, nc);
        if (r == 0)
            m->missing[m->n_missing++] = s;
        for (int64_t c = 0; r == 1 && c < nc; c++) {
            md5_key k;
            int absent;
            memcpy(k.m, dec->md5.ext.blob + c * 16, 16);
            khint_t it = kh_put(rg_md5_table, t, k, &absent);
            if (absent < 0)
                r = RAGC_ERR_NOMEM;
            else if (absent)
                kh_val(t, it) = (md5_hit){ s, c };
        }
        if (r == 1)
            r = RAGC_OK;
    }
    return r;
}

/* Samples without stored MD5s: computed, in sample order. */
static int search_missing(ragc_decoder *dec, const uint8_t md5[16], int64_t *sample, int64_t *contig)
{
    const rg_md5_reader *m = &dec->md5;
    for (size_t i = 0; i < m->n_missing; i++) {
        int64_t s = m->missing[i], nc = ragc_n_contigs(dec->arc, s);
        if (nc < 0)
            return (int)nc;
        for (int64_t c = 0; c < nc; c++) {
            uint8_t got[16];
            int r = compute_md5(dec, s, c, got);
            if (r < 0)
                return r;
            if (memcmp(got, md5, 16) == 0) {
                *sample = s;
                *contig = c;
                return RAGC_OK;
            }
        }
    }
    return RAGC_ERR_NO_CONTIG;
}

int ragc_find_md5(ragc_decoder *dec, const uint8_t md5[16], int64_t *sample, int64_t *contig)
{
    if (!dec || !md5 || !sample || !contig)
        return RAGC_ERR_ARG;
    rg_md5_reader *m = &dec->md5;
    if (m->table_state == 0)
        m->table_state = build_table(dec) < 0 ? -1 : 1;
    if (m->table_state < 0) {
        rg_md5_reader_free(m);   /* try again next time */
        rg_md5_reader_init(m);
        return RAGC_ERR_NOMEM;
    }
    md5_key k;
    memcpy(k.m, md5, 16);
    khash_t(rg_md5_table) *t = m->table;
    khint_t it = kh_get(rg_md5_table, t, k);
    if (it != kh_end(t)) {
        *sample = kh_val(t, it).sample;
        *contig = kh_val(t, it).contig;
        return RAGC_OK;
    }
    return search_missing(dec, md5, sample, contig);
}
