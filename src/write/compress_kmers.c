/* compress_kmers.c -- adaptive mode's list of the reference's k-mers: agc
   keeps the reference's singleton and repeated canonical k-mers, and new
   splitters may be neither, so one sorted list of the distinct k-mers
   serves.  From the reference file (create) or the archive's first sample
   (append -a, as agc, which decompresses it). */
#include <stdlib.h>
#include <string.h>

#include <htslib/kstring.h>

#include "archive.h"
#include "compress_internal.h"
#include "sort_u64.h"
#include "fasta_in.h"

typedef struct {
    uint64_t *v;
    size_t n, cap;
} u64list;

static int add_kmers(rg_compressor *c, u64list *l, const uint8_t *codes, size_t n)
{
    if (l->cap - l->n < n) {
        size_t cap = l->cap ? l->cap : 1024;
        while (cap - l->n < n)
            cap *= 2;
        uint64_t *v = realloc(l->v, cap * sizeof(uint64_t));
        if (!v)
            return RAGC_ERR_NOMEM;
        l->v = v;
        l->cap = cap;
    }
    rg_kmer k;
    rg_kmer_init(&k, c->k);
    for (size_t i = 0; i < n; i++) {
        if (codes[i] > 3) {
            rg_kmer_reset(&k);
            continue;
        }
        rg_kmer_insert(&k, codes[i]);
        if (rg_kmer_full(&k))
            l->v[l->n++] = rg_kmer_canonical(&k);
    }
    return RAGC_OK;
}

static void finish(rg_compressor *c, u64list *l)
{
    rg_sort_u64(l->v, l->n);
    size_t o = 0;
    for (size_t i = 0; i < l->n; i++)
        if (o == 0 || l->v[o - 1] != l->v[i])
            l->v[o++] = l->v[i];
    c->ref_kmers = l->v;
    c->n_ref_kmers = o;
}

int rg_reference_kmers_of_file(rg_compressor *c, const char *path)
{
    rg_fasta_in *in = rg_fasta_in_open(path);
    if (!in)
        return RAGC_ERR_IO;
    u64list l = { 0 };
    kstring_t header = { 0, 0, NULL };
    rg_bytes codes = { 0 };
    int r;
    while ((r = rg_fasta_in_next(in, &header, &codes)) > 0) {
        if ((r = add_kmers(c, &l, codes.s, codes.len)) < 0)
            break;
        codes.len = 0;
    }
    rg_fasta_in_close(in);
    free(header.s);
    rg_bytes_free(&codes);
    if (r < 0) {
        free(l.v);
        return r;
    }
    finish(c, &l);
    return RAGC_OK;
}

int rg_reference_kmers_of_archive(rg_compressor *c, ragc_archive *in)
{
    ragc_decoder *dec = ragc_decoder_init(in, 0);
    if (!dec)
        return RAGC_ERR_NOMEM;
    u64list l = { 0 };
    int r = RAGC_OK;
    uint8_t code_of[256];
    memset(code_of, 4, sizeof(code_of));
    code_of['A'] = 0;
    code_of['C'] = 1;
    code_of['G'] = 2;
    code_of['T'] = 3;
    int64_t ref = ragc_sample_index(in, ragc_reference(in));
    int64_t nc = ref < 0 ? ref : ragc_n_contigs(in, ref);
    if (nc < 0)
        r = (int)nc;
    for (int64_t k = 0; r == RAGC_OK && k < nc; k++) {
        char *seq;
        int64_t len;
        if ((r = ragc_contig_fetch(dec, ref, k, 0, INT64_MAX, &seq, &len)) < 0)
            break;
        for (int64_t i = 0; i < len; i++)
            seq[i] = (char)code_of[(uint8_t)seq[i]];
        r = add_kmers(c, &l, (const uint8_t *)seq, (size_t)len);
        free(seq);
    }
    ragc_decoder_destroy(dec);
    if (r < 0) {
        free(l.v);
        return r;
    }
    finish(c, &l);
    return RAGC_OK;
}
