/* compress_segment.c -- cutting a contig at splitters and choosing each
   segment's group, as agc 3.2.2 does (compress_contig, add_segment,
   find_cand_segment_with_one_splitter,
   find_cand_segment_with_missing_middle_splitter).

   Runs on worker threads against the frozen grouping state; it only reads
   rg_compressor and appends to the batch's part list. */
#include <stdlib.h>
#include <string.h>

#include "compress_internal.h"
#include "grow.h"
#include "sort_u64.h"
#include "ragc.h"

#define MISSING RG_KMER_MISSING
#define NEW_GROUP UINT32_MAX

int rg_part_list_push(rg_part_list *l, const rg_seg_part *p)
{
    pthread_mutex_lock(&l->lock);
    int r = RAGC_OK;
    RG_GROW(l->v, l->n, l->cap, 1024, r = RAGC_ERR_NOMEM);
    if (r == RAGC_OK)
        l->v[l->n++] = *p;
    pthread_mutex_unlock(&l->lock);
    return r;
}

static void revcomp(const uint8_t *s, size_t n, uint8_t *out)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t x = s[n - 1 - i];
        out[i] = x < 4 ? (uint8_t)(3 - x) : x;
    }
}

static int find_group(const rg_compressor *c, uint64_t a, uint64_t b, uint32_t *id)
{
    rg_pair key = { a, b };
    khint_t it = kh_get(rg_group_map, c->groups_by_key, key);
    if (it == kh_end(c->groups_by_key))
        return 0;
    *id = kh_val(c->groups_by_key, it);
    return 1;
}

static const rg_u64vec *terminators_of(const rg_compressor *c, uint64_t kmer)
{
    khint_t it = kh_get(rg_terminators, c->terminators, kmer);
    return it == kh_end(c->terminators) ? NULL : &kh_val(c->terminators, it);
}

static int pair_less(uint64_t a1, uint64_t b1, uint64_t a2, uint64_t b2)
{
    return a1 < a2 || (a1 == a2 && b1 < b2);
}

/* Per-segment working state. */
typedef struct {
    const rg_compressor *c;
    const uint8_t *seg;     /* segment in contig orientation */
    size_t n;
    uint8_t *rc;            /* its reverse complement (computed on demand) */
} seg_ctx;

static const uint8_t *get_rc(seg_ctx *s)
{
    if (!s->rc) {
        s->rc = malloc(s->n ? s->n : 1);
        if (s->rc)
            revcomp(s->seg, s->n, s->rc);
    }
    return s->rc;
}

/* One-sided key of a k-mer: (K, MISSING) stored as read if K reads
   canonically, else (MISSING, K) stored reverse-complemented. */
static void one_sided(const rg_kmer *kmer, rg_pair *pk, int *rc)
{
    uint64_t v = rg_kmer_canonical(kmer);
    if (rg_kmer_is_dir(kmer)) {
        *pk = (rg_pair){ v, MISSING };
        *rc = 0;
    } else {
        *pk = (rg_pair){ MISSING, v };
        *rc = 1;
    }
}

/* Candidate groups sharing the segment's only splitter: the cheapest by
   LZ estimate wins if it costs at most len - 16 (ties: smallest key). */
static void one_splitter(const seg_ctx *s, const rg_kmer *kmer, const uint8_t *dir, const uint8_t *rcs,
                         rg_pair *out, int *out_rc)
{
    const rg_compressor *c = s->c;
    uint64_t K = rg_kmer_canonical(kmer);
    const rg_u64vec *t = terminators_of(c, K);
    if (!t) {
        one_sided(kmer, out, out_rc);
        return;
    }
    uint32_t bound = s->n < 16 ? (uint32_t)s->n : (uint32_t)(s->n - 16);
    uint32_t *est = malloc((t->n ? t->n : 1) * sizeof(uint32_t));
    if (!est) {   /* treated as "no candidate"; the segment still gets stored */
        one_sided(kmer, out, out_rc);
        return;
    }
    /* costs with a shrinking bound: values above the bound are partial, but
       then above the final minimum too, so the choice does not depend on
       the order (agc evaluates them in another order, even in parallel) */
    for (uint32_t i = 0; i < t->n; i++) {
        uint64_t cand = t->v[i];
        int use_rc = cand < K;
        uint32_t g;
        find_group(c, use_rc ? cand : K, use_rc ? K : cand, &g);
        /* agc's quirk: a group still packed from the input archive has no
           reference yet and estimates 0 */
        est[i] = c->groups[g].ix ? rg_lz_estimate(c->groups[g].ix, use_rc ? rcs : dir, s->n, bound) : 0;
        if (est[i] < bound)
            bound = est[i];
    }
    rg_pair best = { MISSING, MISSING };
    int best_rc = 0;
    uint32_t best_size = bound;
    for (uint32_t i = 0; i < t->n; i++) {
        uint64_t cand = t->v[i];
        int use_rc = cand < K;
        rg_pair pk = use_rc ? (rg_pair){ cand, K } : (rg_pair){ K, cand };
        if (est[i] < best_size || (est[i] == best_size && pair_less(pk.a, pk.b, best.a, best.b))
            || (est[i] == best_size && pk.a == best.a && pk.b == best.b && !use_rc)) {
            best_size = est[i];
            best = pk;
            best_rc = use_rc;
        }
    }
    free(est);
    if (best.a == MISSING && best.b == MISSING) {
        one_sided(kmer, out, out_rc);
        return;
    }
    *out = best;
    *out_rc = best_rc;
}

/* Where to split a segment between k1 and k2 at their smallest shared
   partner M: the position minimising the coding cost of the left part in
   group (k1, M) plus the right part in group (M, k2).  Returns 0 if there is
   no shared partner; *pos may be 0 or n (no split). */
static int middle_split(const rg_compressor *c, uint64_t k1, uint64_t k2, const uint8_t *dir,
                        const uint8_t *rcs, size_t n, uint64_t *middle, size_t *pos)
{
    const rg_u64vec *t1 = terminators_of(c, k1), *t2 = terminators_of(c, k2);
    if (!t1 || !t2)
        return 0;
    uint64_t M = MISSING;
    for (uint32_t i = 0, j = 0; i < t1->n && j < t2->n;) {   /* smallest common value */
        if (t1->v[i] < t2->v[j]) i++;
        else if (t1->v[i] > t2->v[j]) j++;
        else if (t1->v[i] == MISSING) { i++; j++; }
        else { M = t1->v[i]; break; }
    }
    if (M == MISSING)
        return 0;
    uint32_t g1, g2;
    find_group(c, k1 < M ? k1 : M, k1 < M ? M : k1, &g1);
    find_group(c, M < k2 ? M : k2, M < k2 ? k2 : M, &g2);
    uint32_t *v1 = NULL, *v2 = NULL;
    int ok = 0;
    /* agc's quirk: a group still packed from the input archive has an empty
       cost vector: one such group means no split, two put the whole
       segment in (M, k2) */
    int p1 = !c->groups[g1].ix, p2 = !c->groups[g2].ix;
    if (p1 || p2) {
        if (p1 != p2 && n > 0)
            return 0;
        *middle = M;
        *pos = 0;
        return 1;
    }
    if (k1 < M) {
        ok = rg_lz_cost_vector(c->groups[g1].ix, dir, n, 1, &v1) == RAGC_OK;
    } else if ((ok = rg_lz_cost_vector(c->groups[g1].ix, rcs, n, 0, &v1) == RAGC_OK)) {
        for (size_t i = 0, j = n; i < j--; i++) { uint32_t x = v1[i]; v1[i] = v1[j]; v1[j] = x; }
    }
    if (ok) {
        for (size_t i = 1; i < n; i++)
            v1[i] += v1[i - 1];
        if (M < k2) {
            ok = rg_lz_cost_vector(c->groups[g2].ix, dir, n, 0, &v2) == RAGC_OK;
            for (size_t i = n - 1; ok && i-- > 0;)   /* sums from the right */
                v2[i] += v2[i + 1];
        } else if ((ok = rg_lz_cost_vector(c->groups[g2].ix, rcs, n, 1, &v2) == RAGC_OK)) {
            for (size_t i = 1; i < n; i++)
                v2[i] += v2[i - 1];
            for (size_t i = 0, j = n; i < j--; i++) { uint32_t x = v2[i]; v2[i] = v2[j]; v2[j] = x; }
        }
    }
    uint32_t best_sum = UINT32_MAX;
    size_t best = 0;
    for (size_t i = 0; ok && i < n; i++) {
        uint32_t s = v1[i] + v2[i];
        if (s < best_sum) {
            best_sum = s;
            best = i;
        }
    }
    free(v1);
    free(v2);
    if (!ok)
        return 0;
    if (best < (size_t)c->k + 1)
        best = 0;
    if (best + c->k + 1 > n)
        best = n;
    *middle = M;
    *pos = best;
    return 1;
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

/* agc's find_cand_segment_using_fallback_minimizers: the existing group
   whose splitter pair shares at least `min_kmers` fall-back minimizers with
   the segment (dir; rcs its reverse complement), the best by LZ estimate.
   Returns 1 with *out and *out_rc set, 0 if there is none. */
static int fallback_group(const rg_compressor *c, const uint8_t *dir, const uint8_t *rcs, size_t n,
                          uint64_t min_kmers, rg_pair *out, int *out_rc)
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
            if (n_hits == cap) {
                cap = cap ? 2 * cap : 64;
                fb_hit *nh = realloc(hits, cap * sizeof(*nh));
                if (!nh) {
                    free(hits);
                    return 0;   /* no fall-back: the segment still gets stored */
                }
                hits = nh;
            }
            hits[n_hits++] = (fb_hit){ y.a, y.b, v };
        }
    }
    if (!n_hits) {
        free(hits);
        return 0;
    }
    /* distinct k-mers per pair */
    qsort(hits, n_hits, sizeof(*hits), cmp_fb_hit);
    fb_cand *cand = malloc(n_hits * sizeof(*cand));
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
    rg_pair best = { MISSING, MISSING };
    uint64_t best_es = n;
    for (size_t i = 0; i < n_cand; i++) {
        int is_rc = cand[i].a > cand[i].b;
        uint32_t g;
        if (!find_group(c, is_rc ? cand[i].b : cand[i].a, is_rc ? cand[i].a : cand[i].b, &g))
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
    if (best.a <= best.b) {
        *out = best;
        *out_rc = 0;
    } else {
        *out = (rg_pair){ best.b, best.a };
        *out_rc = 1;
    }
    return 1;
}

typedef struct {
    const rg_compressor *c;
    rg_part_list *out;
    uint32_t sample;
    uint32_t contig;
    const char *name;
} contig_ctx;

/* Queues one part: a segment (or precomputed delta) for the sync point. */
static int queue_part(contig_ctx *x, uint32_t part_no, rg_pair key, uint32_t group, int rc,
                      const uint8_t *stored, size_t n)
{
    rg_seg_part p = { .k1 = key.a, .k2 = key.b, .group = group, .sample = x->sample, .contig = x->contig,
                      .part_no = part_no, .raw_len = (uint32_t)n, .rc = (uint8_t)rc,
                      .contig_name = x->name };
    if (group != NEW_GROUP && group >= RG_RAW_GROUP_COUNT && x->c->groups[group].ix) {
        /* a known LZ group: its reference is fixed, so code the delta now
           and keep only that until the sync point (a group still packed
           from an input archive gets its index at the sync point) */
        rg_bytes d = { 0 };
        int r = rg_lz_encode(x->c->groups[group].ix, stored, n, &d);
        if (r < 0)
            return r;
        p.is_delta = 1;
        p.data = d.s;
        p.len = d.len;
    } else {
        p.data = malloc(n ? n : 1);
        if (!p.data)
            return RAGC_ERR_NOMEM;
        memcpy(p.data, stored, n);
        p.len = n;
    }
    int r = rg_part_list_push(x->out, &p);
    if (r < 0)
        free(p.data);
    return r;
}

/* agc's add_segment; *n_parts gets 1 or 2 (split). */
static int add_segment(contig_ctx *x, uint32_t part_no, const uint8_t *seg, size_t n,
                       const rg_kmer *front, const rg_kmer *back, uint32_t *n_parts)
{
    const rg_compressor *c = x->c;
    seg_ctx s = { c, seg, n, NULL };
    rg_pair pk = { MISSING, MISSING };
    int store_rc = 0, r = RAGC_OK;
    int ff = rg_kmer_full(front), bf = rg_kmer_full(back);
    uint64_t F = ff ? rg_kmer_canonical(front) : MISSING, B = bf ? rg_kmer_canonical(back) : MISSING;
    *n_parts = 1;

    if (!ff && !bf) {
        /* no splitter: a group sharing fall-back minimizers (-f), else raw */
        if (c->fallback_thr) {
            if (!get_rc(&s))
                return RAGC_ERR_NOMEM;
            fallback_group(c, seg, s.rc, n, 1, &pk, &store_rc);
        }
    } else if (ff && bf) {
        if (F < B) {
            pk = (rg_pair){ F, B };
        } else {
            pk = (rg_pair){ B, F };
            store_rc = 1;
        }
    } else if (ff) {
        if (!get_rc(&s))
            return RAGC_ERR_NOMEM;
        one_splitter(&s, front, seg, s.rc, &pk, &store_rc);
        if ((pk.a == MISSING || pk.b == MISSING) && c->fallback_thr) {
            rg_pair alt;
            int alt_rc;
            if (fallback_group(c, seg, s.rc, n, 5, &alt, &alt_rc)) {
                pk = alt;
                store_rc = alt_rc;
            }
        }
    } else if (bf) {
        rg_kmer kb = *back;
        rg_kmer_swap(&kb);
        if (!get_rc(&s))
            return RAGC_ERR_NOMEM;
        int store_dir;
        one_splitter(&s, &kb, s.rc, seg, &pk, &store_dir);
        store_rc = !store_dir;
        if ((pk.a == MISSING || pk.b == MISSING) && c->fallback_thr) {
            rg_pair alt;
            int alt_dir;
            if (fallback_group(c, s.rc, seg, n, 5, &alt, &alt_dir)) {
                pk = alt;
                store_rc = !alt_dir;
            }
        }
    }

    uint32_t gid;
    int found = find_group(c, pk.a, pk.b, &gid);
    /* a split at a middle splitter (never in concatenated mode, as agc) */
    if (!found && !c->concatenated && pk.a != MISSING && pk.b != MISSING && terminators_of(c, pk.a)
        && terminators_of(c, pk.b)) {
        if (!get_rc(&s))
            return RAGC_ERR_NOMEM;
        if (F == B) {
            if (!rg_kmer_is_dir(front))
                store_rc = 1;
        } else {
            uint64_t k1 = F, k2 = B;
            int use_rc = 0;
            if (k1 > k2) {
                k1 = B;
                k2 = F;
                use_rc = 1;
            }
            uint64_t M;
            size_t best;
            if (middle_split(c, k1, k2, use_rc ? s.rc : seg, use_rc ? seg : s.rc, n, &M, &best)) {
                size_t left = best, right = n - best;
                if (left == 0) {
                    store_rc = M < k2 ? use_rc : !use_rc;
                    pk = M < k2 ? (rg_pair){ M, k2 } : (rg_pair){ k2, M };
                } else if (right == 0) {
                    store_rc = k1 < M ? use_rc : !use_rc;
                    pk = k1 < M ? (rg_pair){ k1, M } : (rg_pair){ M, k1 };
                } else {
                    if (use_rc) {
                        size_t t = left;
                        left = right;
                        right = t;
                    }
                    /* two parts overlapping by k around the split point */
                    size_t p2 = left - c->k / 2, n1 = p2 + c->k, n2 = n - p2;
                    rg_pair pk1 = F < M ? (rg_pair){ F, M } : (rg_pair){ M, F };
                    rg_pair pk2 = M < B ? (rg_pair){ M, B } : (rg_pair){ B, M };
                    uint32_t g1, g2;
                    find_group(c, pk1.a, pk1.b, &g1);
                    find_group(c, pk2.a, pk2.b, &g2);
                    uint8_t *tmp = malloc((n1 > n2 ? n1 : n2) + 1);
                    if (!tmp) {
                        free(s.rc);
                        return RAGC_ERR_NOMEM;
                    }
                    const uint8_t *d1 = seg, *d2 = seg + p2;
                    if (!(F < M)) {
                        revcomp(seg, n1, tmp);
                        d1 = tmp;
                    }
                    r = queue_part(x, part_no, pk1, g1, !(F < M), d1, n1);
                    if (r == RAGC_OK) {
                        if (!(M < B)) {
                            revcomp(seg + p2, n2, tmp);
                            d2 = tmp;
                        }
                        r = queue_part(x, part_no + 1, pk2, g2, !(M < B), d2, n2);
                    }
                    free(tmp);
                    free(s.rc);
                    *n_parts = 2;
                    return r;
                }
            }
        }
        found = find_group(c, pk.a, pk.b, &gid);
    }

    /* the last resort: a group sharing fall-back minimizers (-f) */
    if (!found && c->fallback_thr) {
        rg_pair alt;
        int alt_rc;
        if (!get_rc(&s))
            return RAGC_ERR_NOMEM;
        if (fallback_group(c, seg, s.rc, n, 2, &alt, &alt_rc)) {
            pk = alt;
            store_rc = alt_rc;
            found = find_group(c, pk.a, pk.b, &gid);
        }
    }

    const uint8_t *stored = seg;
    if (store_rc) {
        if (!get_rc(&s))
            return RAGC_ERR_NOMEM;
        stored = s.rc;
    }
    r = queue_part(x, part_no, pk, found ? gid : NEW_GROUP, store_rc, stored, n);
    free(s.rc);
    return r;
}

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

/* agc's find_new_splitters (adaptive mode): the contig's own singleton
   k-mers that do not occur in the reference become candidates, and agc's
   splitter walk picks new splitters among them (with fall-back tuples). */
static int find_new_splitters(rg_compressor *c, const uint8_t *codes, size_t n)
{
    uint64_t *km = malloc((n ? n : 1) * sizeof(uint64_t));
    if (!km)
        return RAGC_ERR_NOMEM;
    size_t nk = 0;
    rg_kmer k;
    rg_kmer_init(&k, c->k);
    for (size_t i = 0; i < n; i++) {
        if (codes[i] > 3) {
            rg_kmer_reset(&k);
            continue;
        }
        rg_kmer_insert(&k, codes[i]);
        if (rg_kmer_full(&k))
            km[nk++] = rg_kmer_canonical(&k);
    }
    rg_sort_u64(km, nk);
    size_t nc = 0;
    for (size_t i = 0; i < nk;) {
        size_t j = i + 1;
        while (j < nk && km[j] == km[i])
            j++;
        if (j == i + 1 && !in_sorted(c->ref_kmers, c->n_ref_kmers, km[i]))
            km[nc++] = km[i];
        i = j;
    }
    /* the walk */
    uint64_t current = c->S, prev = MISSING, last = 0;
    int have_last = 0, r = RAGC_OK;
    rg_fallback_tuple *fb = NULL;
    size_t n_fb = 0, cap_fb = 0;
    uint64_t *found = NULL;
    size_t n_found = 0, cap_found = 0;
    rg_fallback_tuple *tuples = NULL;
    size_t n_tuples = 0, cap_tuples = 0;
#define PUSH(v, n_, cap_, x) do { RG_GROW(v, n_, cap_, 16, r = RAGC_ERR_NOMEM); if (r == RAGC_OK) (v)[n_++] = (x); } while (0)
    rg_kmer_reset(&k);
    for (size_t i = 0; r == RAGC_OK && i < n; i++) {
        if (codes[i] > 3) {
            rg_kmer_reset(&k);
        } else {
            rg_kmer_insert(&k, codes[i]);
            if (rg_kmer_full(&k)) {
                uint64_t v = rg_kmer_canonical(&k);
                if (c->fallback_thr && k.fwd != k.rc && rg_is_fallback_kmer(c->fallback_thr, v))
                    PUSH(fb, n_fb, cap_fb, ((rg_fallback_tuple){ 0, 0, v, (uint8_t)rg_kmer_is_dir(&k) }));
                if (r == RAGC_OK && in_sorted(km, nc, v)) {
                    if (current >= c->S) {
                        PUSH(found, n_found, cap_found, v);
                        for (size_t f = 0; r == RAGC_OK && f < n_fb; f++)
                            PUSH(tuples, n_tuples, cap_tuples, ((rg_fallback_tuple){ prev, v, fb[f].kmer, fb[f].dir }));
                        n_fb = 0;
                        prev = v;
                        current = 0;
                        rg_kmer_reset(&k);
                        have_last = 0;
                    } else {
                        last = v;
                        have_last = 1;
                    }
                }
            }
        }
        current++;
    }
    if (r == RAGC_OK && have_last) {
        PUSH(found, n_found, cap_found, last);
        for (size_t f = 0; r == RAGC_OK && f < n_fb; f++)
            PUSH(tuples, n_tuples, cap_tuples, ((rg_fallback_tuple){ prev, last, fb[f].kmer, fb[f].dir }));
    }
#undef PUSH
    free(km);
    free(fb);
    /* hand them to the batch */
    pthread_mutex_lock(&c->parts.lock);
    for (size_t i = 0; r == RAGC_OK && i < n_found; i++) {
        RG_GROW(c->new_splitters, c->n_new_splitters, c->cap_new_splitters, 64, r = RAGC_ERR_NOMEM);
        if (r == RAGC_OK)
            c->new_splitters[c->n_new_splitters++] = found[i];
    }
    for (size_t i = 0; r == RAGC_OK && i < n_tuples; i++) {
        RG_GROW(c->fallback_pending, c->n_fallback_pending, c->cap_fallback_pending, 256, r = RAGC_ERR_NOMEM);
        if (r == RAGC_OK)
            c->fallback_pending[c->n_fallback_pending++] = tuples[i];
    }
    pthread_mutex_unlock(&c->parts.lock);
    free(found);
    free(tuples);
    return r;
}

int rg_compress_contig(rg_compressor *c, uint32_t sample, uint32_t contig_idx,
                       const char *contig_name, const uint8_t *codes, size_t n, int first_pass,
                       rg_part_list *out, uint32_t *n_parts)
{
    contig_ctx x = { c, out, sample, contig_idx, contig_name };
    rg_kmer kmer, split_kmer, none;
    rg_kmer_init(&kmer, c->k);
    rg_kmer_init(&split_kmer, c->k);
    rg_kmer_init(&none, c->k);
    size_t split_pos = 0;
    uint32_t part_no = 0;
    int r = RAGC_OK;
    for (size_t pos = 0; pos < n && r == RAGC_OK; pos++) {
        uint8_t b = codes[pos];
        if (b > 3) {
            rg_kmer_reset(&kmer);
            continue;
        }
        rg_kmer_insert(&kmer, b);
        if (!rg_kmer_full(&kmer) || !rg_is_splitter(c, rg_kmer_canonical(&kmer)))
            continue;
        /* a splitter ends this segment; the next one starts with it */
        uint32_t np;
        r = add_segment(&x, part_no, codes + split_pos, pos + 1 - split_pos, &split_kmer, &kmer, &np);
        part_no += np;
        split_pos = pos + 1 - c->k;
        split_kmer = kmer;
        rg_kmer_reset(&kmer);
    }
    /* adaptive mode: a contig without splitters waits for new ones (agc
       tests this by comparing the last splitter's forward word with an
       empty k-mer, so a poly-A splitter also counts as none and the
       contig's segments are queued twice; we test for a real splitter) */
    if (r == RAGC_OK && c->adaptive && first_pass && !rg_kmer_full(&split_kmer)) {
        if (n >= c->S && (r = find_new_splitters(c, codes, n)) < 0)
            return r;
        *n_parts = 0;
        return RG_CONTIG_POSTPONED;
    }
    if (r == RAGC_OK && split_pos < n) {
        uint32_t np;
        r = add_segment(&x, part_no, codes + split_pos, n - split_pos, &split_kmer, &none, &np);
        part_no += np;
    }
    *n_parts = part_no;
    return r;
}
