/* compress_md5.c -- the contigs' MD5s (SAM's M5, as `samtools dict` gives
   them) in the ragc-md5 extension stream, so that a lookup by MD5
   (ragc_find_md5, the plugin's REF_PATH support) decodes no sequence.
   Each contig job hashes its codes before cutting them (the record's
   exception bytes in place of their N); a sample's MD5s are stored when its
   collection batch is written, once all its contigs are in. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts.h>
#include <htslib/hts_log.h>

#include "archive.h"
#include "compress_internal.h"

/* The letters of k codes.  Eight codes at a time when all are A/C/G/T
   (0..3), by arithmetic on the word: 'A' + 2c, plus 2 from G on and 11
   more for T ('A' 65, 'C' 67, 'G' 71, 'T' 84); no byte carries into the
   next.  This ran at a third of MD5's speed a byte at a time. */
static void codes_to_letters(const uint8_t *codes, size_t k, char *out)
{
    static const char alpha[16] = "ACGTNRYSWKMBDHVU";
    const uint64_t ones = 0x0101010101010101ULL;
    size_t i = 0;
    for (; i + 8 <= k; i += 8) {
        uint64_t x;
        memcpy(&x, codes + i, 8);
        if (x & (ones * 0xFC)) {   /* a code above 3 among them */
            for (size_t j = i; j < i + 8; j++)
                out[j] = alpha[codes[j] & 15];
            continue;
        }
        uint64_t hi = (x >> 1) & ones, t = hi & x;
        uint64_t y = ones * 'A' + 2 * x + 2 * hi + 11 * t;
        memcpy(out + i, &y, 8);
    }
    for (; i < k; i++)
        out[i] = alpha[codes[i] & 15];
}

/* Hashes the canonical bases codes[from, to). */
static void hash_codes(hts_md5_context *m, const uint8_t *codes, uint64_t from, uint64_t to)
{
    char buf[4096];
    while (from < to) {
        size_t k = to - from < sizeof(buf) ? (size_t)(to - from) : sizeof(buf);
        codes_to_letters(codes + from, k, buf);
        hts_md5_update(m, buf, (unsigned long)k);
        from += k;
    }
}

/* Hashes n copies of a byte. */
static void hash_run(hts_md5_context *m, uint8_t byte, uint64_t n)
{
    char buf[4096];
    memset(buf, byte, sizeof(buf));
    for (; n > 0; n -= n < sizeof(buf) ? n : sizeof(buf))
        hts_md5_update(m, buf, (unsigned long)(n < sizeof(buf) ? n : sizeof(buf)));
}

/* SAM's M5: the bases upper-cased, every byte outside '!'..'~' left out
   (samtools dict does the same).  Exception runs give the bytes that are N
   in codes. */
void rg_contig_md5_of_codes(const uint8_t *codes, size_t n, const rg_orig_run *exc, size_t n_exc,
                            uint8_t md5[16])
{
    hts_md5_context *m = hts_md5_init();
    if (!m) {   /* cannot happen with htslib's own MD5 */
        memset(md5, 0, 16);
        return;
    }
    uint64_t at = 0;
    for (size_t e = 0; e < n_exc && exc[e].pos < n; e++) {
        uint64_t end = exc[e].pos + exc[e].len < n ? exc[e].pos + exc[e].len : n;
        hash_codes(m, codes, at, exc[e].pos);
        if (exc[e].byte >= 33 && exc[e].byte <= 126)
            hash_run(m, (uint8_t)toupper(exc[e].byte), end - exc[e].pos);
        at = end;
    }
    hash_codes(m, codes, at, n);
    hts_md5_final(md5, m);
    hts_md5_destroy(m);
}

int rg_md5_store_sample(rg_compressor *c, uint64_t sample, const rg_sample *s)
{
    if (sample < c->md5.next || s->n_contigs == 0)
        return RAGC_OK;   /* stored already (agc's second write of a batch), or nothing to store */
    for (uint32_t i = 0; i < s->n_contigs; i++)
        if (!s->contigs[i].has_md5)
            return RAGC_OK;   /* a sample of the input archive: its MD5s are the input's */
    uint8_t *blob = malloc((size_t)s->n_contigs * 16);
    if (!blob)
        return RAGC_ERR_NOMEM;
    for (uint32_t i = 0; i < s->n_contigs; i++)
        memcpy(blob + (size_t)i * 16, s->contigs[i].md5, 16);
    int r = rg_ext_store(&c->md5, sample, blob, (size_t)s->n_contigs * 16);
    free(blob);
    return r;
}

int rg_md5_of_archive(rg_compressor *c, ragc_archive *in)
{
    ragc_decoder *dec = ragc_decoder_init(in, 0);
    if (!dec)
        return RAGC_ERR_NOMEM;
    int r = RAGC_OK;
    int64_t ns = ragc_n_samples(in);
    for (int64_t s = 0; r == RAGC_OK && s < ns; s++) {   /* format 3: API order is stored order */
        int64_t nc = ragc_n_contigs(in, s);
        uint8_t *blob = nc > 0 ? malloc((size_t)nc * 16) : NULL;
        if (nc < 0)
            r = (int)nc;
        else if (nc > 0 && !blob)
            r = RAGC_ERR_NOMEM;
        for (int64_t k = 0; r == RAGC_OK && k < nc; k++)
            r = ragc_contig_md5(dec, s, k, blob + k * 16);
        if (r == RAGC_OK && nc > 0)
            r = rg_ext_store(&c->md5, (uint64_t)s, blob, (size_t)nc * 16);
        free(blob);
    }
    ragc_decoder_destroy(dec);
    if (r < 0)
        hts_log_error("cannot compute the MD5s of the archive's contigs: %s", ragc_errmsg(r));
    return r;
}
