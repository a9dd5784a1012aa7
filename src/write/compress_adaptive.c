/* compress_adaptive.c -- adaptive mode (-a).  Stage 2: the list of the
   reference's k-mers: agc keeps the reference's singleton and repeated
   canonical k-mers, and new splitters may be neither, so one set of the
   distinct k-mers serves (kmer_table.h); from the reference file (create) or the
   archive's first sample (append -a, as agc, which decompresses it).
   Stage 4, on the worker threads: a contig the splitters do not cut gets
   new splitters of its own (agc's find_new_splitters), which join the set
   at the synchronisation point (compress_sync.c) before the contig is cut
   again. */
#include <stdlib.h>
#include <string.h>

#include <htslib/kstring.h>

#include "archive.h"
#include "compress_internal.h"
#include "fasta_in.h"
#include "grow.h"
#include "sort_u64.h"

#define MISSING RG_KMER_MISSING

typedef struct {
    uint64_t *v;
    size_t n, cap;
} u64list;

/* Writes the canonical k-mers of the codes, in order, to out (room for n);
   a code other than 0..3 starts a new k-mer.  Returns their number. */
static size_t put_canonical_kmers(uint32_t k, const uint8_t *codes, size_t n, uint64_t *out)
{
    size_t nk = 0;
    rg_kmer km;
    rg_kmer_init(&km, k);
    for (size_t i = 0; i < n; i++) {
        if (codes[i] > 3) {
            rg_kmer_reset(&km);
            continue;
        }
        rg_kmer_insert(&km, codes[i]);
        if (rg_kmer_full(&km))
            out[nk++] = rg_kmer_canonical(&km);
    }
    return nk;
}

static int add_kmers(rg_compressor *c, u64list *l, const uint8_t *codes, size_t n)
{
    /* room for the codes' k-mers (fewer than n): RG_GROW makes room for
       an element at index l->n + n - 1, so for all of them at once */
    if (n > 0)
        RG_GROW(l->v, l->n + n - 1, l->cap, 1024, return RAGC_ERR_NOMEM);
    l->n += put_canonical_kmers(c->k, codes, n, l->v + l->n);
    return RAGC_OK;
}

/* The list sorted, without duplicates, becomes the k-mer table (it takes
   l's memory). */
static int finish(rg_compressor *c, u64list *l)
{
    rg_sort_u64_threads(l->v, l->n, c->threads);
    size_t o = 0;
    for (size_t i = 0; i < l->n; i++)
        if (o == 0 || l->v[o - 1] != l->v[i])
            l->v[o++] = l->v[i];
    return rg_kmer_table_make(&c->ref_kmers, l->v, o) < 0 ? RAGC_ERR_NOMEM : RAGC_OK;
}

int rg_reference_kmers_of_file(rg_compressor *c, const char *path)
{
    rg_fasta_in *in = rg_fasta_in_open_mode(path, c->keep_original);
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
    return finish(c, &l);
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
    return finish(c, &l);
}

/* ---- a contig's new splitters ------------------------------------------------- */

static int in_sorted(const uint64_t *v, size_t n, uint64_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == x;
}

/* The contig's own singleton k-mers that do not occur in the reference,
   sorted, into *out (malloc'ed); their number in *n_out. */
static int new_splitter_candidates(const rg_compressor *c, const uint8_t *codes, size_t n, uint64_t **out,
                                   size_t *n_out)
{
    uint64_t *km = malloc((n ? n : 1) * sizeof(uint64_t));
    if (!km)
        return RAGC_ERR_NOMEM;
    size_t nk = put_canonical_kmers(c->k, codes, n, km);
    rg_sort_u64(km, nk);
    size_t nc = 0;
    for (size_t i = 0; i < nk;) {
        size_t j = i + 1;
        while (j < nk && km[j] == km[i])
            j++;
        if (j == i + 1 && !rg_kmer_table_has(&c->ref_kmers, km[i]))
            km[nc++] = km[i];
        i = j;
    }
    *out = km;
    *n_out = nc;
    return RAGC_OK;
}

/* What the walk over a contig finds: splitters, and the fall-back tuples of
   the segments they close; fb holds the fall-back k-mers of the open
   segment. */
typedef struct {
    uint64_t *found;
    size_t n_found, cap_found;
    rg_fallback_tuple *tuples;
    size_t n_tuples, cap_tuples;
    rg_fallback_tuple *fb;
    size_t n_fb, cap_fb;
} walk_out;

static void walk_out_free(walk_out *w)
{
    free(w->found);
    free(w->tuples);
    free(w->fb);
}

static int push_fallback_kmer(walk_out *w, uint64_t kmer, int dir)
{
    RG_GROW(w->fb, w->n_fb, w->cap_fb, 16, return RAGC_ERR_NOMEM);
    w->fb[w->n_fb++] = (rg_fallback_tuple){ 0, 0, kmer, (uint8_t)dir };
    return RAGC_OK;
}

/* Splitter v closes the segment that began at splitter prev. */
static int close_segment(walk_out *w, uint64_t prev, uint64_t v)
{
    RG_GROW(w->found, w->n_found, w->cap_found, 16, return RAGC_ERR_NOMEM);
    w->found[w->n_found++] = v;
    for (size_t f = 0; f < w->n_fb; f++) {
        RG_GROW(w->tuples, w->n_tuples, w->cap_tuples, 16, return RAGC_ERR_NOMEM);
        w->tuples[w->n_tuples++] = (rg_fallback_tuple){ prev, v, w->fb[f].kmer, w->fb[f].dir };
    }
    w->n_fb = 0;
    return RAGC_OK;
}

/* agc's splitter walk (as splitters.c's) over the candidates cand. */
static int walk_new_splitters(const rg_compressor *c, const uint8_t *codes, size_t n, const uint64_t *cand,
                              size_t n_cand, walk_out *w)
{
    uint64_t current = c->S, prev = MISSING, last = 0;
    int have_last = 0, r = RAGC_OK;
    rg_kmer k;
    rg_kmer_init(&k, c->k);
    for (size_t i = 0; r == RAGC_OK && i < n; i++, current++) {
        if (codes[i] > 3) {
            rg_kmer_reset(&k);
            continue;
        }
        rg_kmer_insert(&k, codes[i]);
        if (!rg_kmer_full(&k))
            continue;
        uint64_t v = rg_kmer_canonical(&k);
        if (c->fallback_thr && k.fwd != k.rc && rg_is_fallback_kmer(c->fallback_thr, v))
            r = push_fallback_kmer(w, v, rg_kmer_is_dir(&k));
        if (r < 0 || !in_sorted(cand, n_cand, v))
            continue;
        if (current >= c->S) {
            r = close_segment(w, prev, v);
            prev = v;
            current = 0;
            rg_kmer_reset(&k);
            have_last = 0;
        } else {
            last = v;
            have_last = 1;
        }
    }
    if (r == RAGC_OK && have_last)
        r = close_segment(w, prev, last);
    return r;
}

/* The walk's results join the batch's (under parts.lock: jobs run in
   parallel). */
static int report_new_splitters(rg_compressor *c, const walk_out *w)
{
    int r = RAGC_OK;
    pthread_mutex_lock(&c->parts.lock);
    for (size_t i = 0; r == RAGC_OK && i < w->n_found; i++) {
        RG_GROW(c->new_splitters, c->n_new_splitters, c->cap_new_splitters, 64, r = RAGC_ERR_NOMEM);
        if (r == RAGC_OK)
            c->new_splitters[c->n_new_splitters++] = w->found[i];
    }
    for (size_t i = 0; r == RAGC_OK && i < w->n_tuples; i++) {
        RG_GROW(c->fallback_pending, c->n_fallback_pending, c->cap_fallback_pending, 256, r = RAGC_ERR_NOMEM);
        if (r == RAGC_OK)
            c->fallback_pending[c->n_fallback_pending++] = w->tuples[i];
    }
    pthread_mutex_unlock(&c->parts.lock);
    return r;
}

/* agc's find_new_splitters (adaptive mode): the contig's own singleton
   k-mers that do not occur in the reference become candidates, and agc's
   splitter walk picks new splitters among them (with fall-back tuples). */
int rg_find_new_splitters(rg_compressor *c, const uint8_t *codes, size_t n)
{
    uint64_t *cand;
    size_t n_cand;
    int r = new_splitter_candidates(c, codes, n, &cand, &n_cand);
    if (r < 0)
        return r;
    walk_out w = { 0 };
    r = walk_new_splitters(c, codes, n, cand, n_cand, &w);
    free(cand);
    if (r == RAGC_OK)
        r = report_new_splitters(c, &w);
    walk_out_free(&w);
    return r;
}
