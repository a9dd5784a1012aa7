/* compress_fallback.c -- -f's last means of placing a segment (stage 4, on
   the worker threads): agc's find_cand_segment_using_fallback_minimizers.
   The fall-back minimizers (a hash-selected fraction of the k-mers) of the
   reference's segments map to the splitter pairs of those segments
   (c->fallback, filled at the synchronisation points, compress_sync.c); a
   segment whose own fall-back minimizers hit a pair often enough may join
   that pair's group. */
#include <stdlib.h>

#include "compress_internal.h"
#include "grow.h"

#define MISSING RG_KMER_MISSING

static rg_pair ordered_pair(uint64_t a, uint64_t b)
{
    return a < b ? (rg_pair){ a, b } : (rg_pair){ b, a };
}

/* One (splitter pair, k-mer) hit of a segment's fall-back minimizers. */
typedef struct {
    uint64_t a, b, kmer;
} fb_hit;

static int cmp_fb_hit(const void *x, const void *y)
{
    const fb_hit *p = x, *q = y;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    if (p->b != q->b) return p->b < q->b ? -1 : 1;
    return p->kmer < q->kmer ? -1 : p->kmer > q->kmer;
}

typedef struct {
    uint64_t count, a, b;
} fb_cand;

/* descending (count, pair), as agc's greater<pair<count, pair>> */
static int cmp_fb_cand_desc(const void *x, const void *y)
{
    const fb_cand *p = x, *q = y;
    if (p->count != q->count) return p->count > q->count ? -1 : 1;
    if (p->a != q->a) return p->a > q->a ? -1 : 1;
    if (p->b != q->b) return p->b > q->b ? -1 : 1;
    return 0;
}

/* The splitter pairs (oriented as the segment reads) of the reference
   segments holding each of the segment's fall-back minimizers; sorted.
   Returns the number of hits, 0 also when out of memory (no fall-back:
   the segment still gets stored). */
static size_t fallback_hits(const rg_compressor *c, const uint8_t *dir, size_t n, fb_hit **out)
{
    fb_hit *hits = NULL;
    size_t n_hits = 0, cap = 0;
    rg_kmer km;
    rg_kmer_init(&km, c->k);
    for (size_t i = 0; i < n; i++) {
        if (dir[i] > 3) {
            rg_kmer_reset(&km);
            continue;
        }
        rg_kmer_insert(&km, dir[i]);
        if (!rg_kmer_full(&km))
            continue;
        uint64_t v = rg_kmer_canonical(&km);
        if (!rg_is_fallback_kmer(c->fallback_thr, v))
            continue;
        khint_t it = kh_get(rg_fallback_map, c->fallback, v);
        if (it == kh_end(c->fallback))
            continue;
        const rg_pairvec *pv = &kh_val(c->fallback, it);
        for (uint32_t p = 0; p < pv->n; p++) {
            rg_pair y = pv->v[p];
            if (y.a == MISSING || y.b == MISSING)
                continue;
            if (!rg_kmer_is_dir(&km))
                y = (rg_pair){ y.b, y.a };
            RG_GROW(hits, n_hits, cap, 64, free(hits); return 0);
            hits[n_hits++] = (fb_hit){ y.a, y.b, v };
        }
    }
    if (n_hits)
        qsort(hits, n_hits, sizeof(*hits), cmp_fb_hit);
    *out = hits;
    return n_hits;
}

/* The pairs sharing at least min_kmers distinct k-mers with the segment,
   most shared first, at most 10, none with less than half the best's
   count.  Takes hits; returns the number of candidates (0 when out of
   memory). */
static size_t fallback_candidates(fb_hit *hits, size_t n_hits, uint64_t min_kmers, fb_cand **out)
{
    fb_cand *cand = malloc((n_hits ? n_hits : 1) * sizeof(*cand));
    size_t n_cand = 0;
    for (size_t i = 0; cand && i < n_hits;) {
        size_t j = i;
        uint64_t distinct = 0;
        for (; j < n_hits && hits[j].a == hits[i].a && hits[j].b == hits[i].b; j++)
            distinct += j == i || hits[j].kmer != hits[j - 1].kmer;
        if (distinct >= min_kmers)
            cand[n_cand++] = (fb_cand){ distinct, hits[i].a, hits[i].b };
        i = j;
    }
    free(hits);
    if (!n_cand) {
        free(cand);
        return 0;
    }
    qsort(cand, n_cand, sizeof(*cand), cmp_fb_cand_desc);
    if (n_cand > 10)
        n_cand = 10;
    while (cand[n_cand - 1].count * 2 < cand[0].count)   /* poor candidates */
        n_cand--;
    *out = cand;
    return n_cand;
}

/* agc's find_cand_segment_using_fallback_minimizers: the existing group
   whose splitter pair shares at least `min_kmers` fall-back minimizers with
   the segment (dir; rcs its reverse complement), the best by LZ estimate.
   Returns 1 with *out and *out_rc set, 0 if there is none. */
int rg_fallback_group(const rg_compressor *c, const uint8_t *dir, const uint8_t *rcs, size_t n,
                      uint64_t min_kmers, rg_pair *out, int *out_rc)
{
    fb_hit *hits = NULL;
    fb_cand *cand = NULL;
    size_t n_hits = fallback_hits(c, dir, n, &hits);
    size_t n_cand = n_hits ? fallback_candidates(hits, n_hits, min_kmers, &cand) : (free(hits), 0);
    rg_pair best = { MISSING, MISSING };
    uint64_t best_es = n;
    for (size_t i = 0; i < n_cand; i++) {
        int is_rc = cand[i].a > cand[i].b;
        uint32_t g;
        if (!rg_find_group(c, is_rc ? cand[i].b : cand[i].a, is_rc ? cand[i].a : cand[i].b, &g))
            continue;   /* a pair whose group comes from this very batch */
        if (c->S <= 10000) {   /* short segments: the most shared k-mers decide */
            best = (rg_pair){ cand[i].a, cand[i].b };
            best_es = 0;
            break;
        }
        /* a group still packed from an input archive estimates 0: unusable */
        uint64_t es = c->groups[g].ix ? rg_lz_estimate(c->groups[g].ix, is_rc ? rcs : dir, n, (uint32_t)best_es) : 0;
        if (es && es < best_es) {
            best_es = es;
            best = (rg_pair){ cand[i].a, cand[i].b };
        }
    }
    free(cand);
    if (best.a == MISSING && best.b == MISSING)
        return 0;
    /* adaptive mode: a poor match is better left to become a new group */
    if (c->adaptive && (double)best_es >= (double)n * (c->S <= 10000 ? 0.9 : 0.2))
        return 0;
    *out = ordered_pair(best.a, best.b);
    *out_rc = best.a > best.b;
    return 1;
}
