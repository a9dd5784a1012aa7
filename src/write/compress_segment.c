/* compress_segment.c -- stage 4 on the worker threads: cutting a contig at
   splitters and choosing each segment's group, as agc 3.2.2 does
   (compress_contig, add_segment, find_cand_segment_with_one_splitter,
   find_cand_segment_with_missing_middle_splitter); groups sharing
   fall-back minimizers come from compress_fallback.c, adaptive mode's new
   splitters from compress_adaptive.c.

   Runs against the frozen grouping state; it only reads rg_compressor and
   appends to the batch's part list. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "compress_internal.h"
#include "grow.h"
#include "ragc.h"

#define MISSING RG_KMER_MISSING
#define NEW_GROUP UINT32_MAX

static inline uint8_t complement_code(uint8_t c)
{
    return c < 4 ? (uint8_t)(3 - c) : c;
}

/* Reverse complement of codes: 3 - x for A/C/G/T (x ^ 3), other codes
   kept; eight at a time (byte-swapped) where all eight are A/C/G/T. */
static void revcomp(const uint8_t *s, size_t n, uint8_t *out)
{
    const uint64_t ones = 0x0101010101010101ULL;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + n - i - 8, 8);
        if (x & (ones * 0xFC)) {
            for (size_t j = i; j < i + 8; j++)
                out[j] = complement_code(s[n - 1 - j]);
            continue;
        }
        x = __builtin_bswap64(x) ^ (ones * 3);
        memcpy(out + i, &x, 8);
    }
    for (; i < n; i++)
        out[i] = complement_code(s[n - 1 - i]);
}

static void reverse_u32(uint32_t *v, size_t n)
{
    for (size_t i = 0, j = n; i < j--; i++) {
        uint32_t x = v[i];
        v[i] = v[j];
        v[j] = x;
    }
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

static rg_pair ordered_pair(uint64_t a, uint64_t b)
{
    return a < b ? (rg_pair){ a, b } : (rg_pair){ b, a };
}

/* The segment being placed, and the group key chosen for it so far. */
typedef struct {
    const rg_compressor *c;
    const uint8_t *seg;     /* segment in contig orientation */
    size_t n;
    uint8_t *rc;            /* its reverse complement (computed on demand) */
    const rg_kmer *front, *back;   /* the splitters around it (not full: none) */
    uint64_t F, B;          /* their canonical values, or MISSING */
    rg_pair key;            /* (MISSING, MISSING): a raw group */
    int store_rc;           /* stored reverse-complemented */
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

/* ---- one splitter ---------------------------------------------------------- */

/* The LZ index of the group keyed by splitter K and terminator cand (NULL:
   no reference yet). */
static const rg_lz_index *candidate_index(const rg_compressor *c, uint64_t cand, uint64_t K)
{
    int use_rc = cand < K;
    uint32_t g = 0;   /* always found: a terminator pair is a group's key */
    rg_find_group(c, use_rc ? cand : K, use_rc ? K : cand, &g);
    return c->groups[g].ix;
}

/* The order in which one_splitter estimates the candidates: cheapest first
   by the estimate of the segment's first ORDER_PROBE bases.  The choice
   does not depend on it, the time does: once the cheapest is costed, the
   others stop as soon as they cost more (senterica-10: an arbitrary order
   costed 2.5 times what the best order would).  pre is scratch of t->n
   values. */
#define ORDER_PROBE 1024
static void order_candidates(const rg_compressor *c, const rg_u64vec *t, uint64_t K, const uint8_t *dir,
                             const uint8_t *rcs, size_t n, uint32_t *order, uint32_t *pre)
{
    size_t probe = n < ORDER_PROBE ? n : ORDER_PROBE;
    for (uint32_t i = 0; i < t->n; i++) {
        order[i] = i;
        const rg_lz_index *ix = t->n > 1 ? candidate_index(c, t->v[i], K) : NULL;
        pre[i] = ix ? rg_lz_estimate(ix, t->v[i] < K ? rcs : dir, probe, (uint32_t)probe) : 0;
    }
    for (uint32_t i = 1; i < t->n; i++) {   /* insertion sort: few candidates */
        uint32_t x = order[i], j = i;
        for (; j > 0 && pre[order[j - 1]] > pre[x]; j--)
            order[j] = order[j - 1];
        order[j] = x;
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
    uint32_t *est = malloc((t->n ? t->n : 1) * 2 * sizeof(uint32_t));
    if (!est) {   /* treated as "no candidate"; the segment still gets stored */
        one_sided(kmer, out, out_rc);
        return;
    }
    uint32_t *order = est + t->n;
    order_candidates(c, t, K, dir, rcs, s->n, order, est);
    /* costs with a shrinking bound: values above the bound are partial, but
       then above the final minimum too, so the choice does not depend on
       the order (agc evaluates them in another order, even in parallel) */
    for (uint32_t o = 0; o < t->n; o++) {
        uint32_t i = order[o];
        const rg_lz_index *ix = candidate_index(c, t->v[i], K);
        /* agc's quirk: a group still packed from the input archive has no
           reference yet and estimates 0 */
        est[i] = ix ? rg_lz_estimate(ix, t->v[i] < K ? rcs : dir, s->n, bound) : 0;
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

/* ---- the key from the splitters ---------------------------------------------- */

/* No splitter: a group sharing fall-back minimizers (-f), else raw. */
static int key_without_splitter(seg_ctx *s)
{
    if (!s->c->fallback_thr)
        return RAGC_OK;
    if (!get_rc(s))
        return RAGC_ERR_NOMEM;
    rg_fallback_group(s->c, s->seg, s->rc, s->n, 1, &s->key, &s->store_rc);
    return RAGC_OK;
}

/* One splitter, read towards the segment (from_back: the back splitter,
   the segment then read reverse-complemented): a group it ends, else one
   sharing at least 5 fall-back minimizers (-f), else a one-sided key. */
static int key_one_splitter(seg_ctx *s, const rg_kmer *splitter, int from_back)
{
    if (!get_rc(s))
        return RAGC_ERR_NOMEM;
    const uint8_t *dir = from_back ? s->rc : s->seg, *rcs = from_back ? s->seg : s->rc;
    int rc;
    one_splitter(s, splitter, dir, rcs, &s->key, &rc);
    if ((s->key.a == MISSING || s->key.b == MISSING) && s->c->fallback_thr) {
        rg_pair alt;
        int alt_rc;
        if (rg_fallback_group(s->c, dir, rcs, s->n, 5, &alt, &alt_rc)) {
            s->key = alt;
            rc = alt_rc;
        }
    }
    s->store_rc = from_back ? !rc : rc;
    return RAGC_OK;
}

/* agc's first choice of a key, by the splitters the segment has. */
static int choose_key(seg_ctx *s)
{
    int ff = rg_kmer_full(s->front), bf = rg_kmer_full(s->back);
    if (ff && bf) {
        s->key = ordered_pair(s->F, s->B);
        s->store_rc = !(s->F < s->B);
        return RAGC_OK;
    }
    if (ff)
        return key_one_splitter(s, s->front, 0);
    if (bf) {
        rg_kmer kb = *s->back;
        rg_kmer_swap(&kb);
        return key_one_splitter(s, &kb, 1);
    }
    return key_without_splitter(s);
}

/* ---- the split at a middle splitter ------------------------------------------ */

/* The smallest partner two splitters share (MISSING aside), or MISSING. */
static uint64_t shared_partner(const rg_u64vec *t1, const rg_u64vec *t2)
{
    for (uint32_t i = 0, j = 0; i < t1->n && j < t2->n;) {
        if (t1->v[i] < t2->v[j]) i++;
        else if (t1->v[i] > t2->v[j]) j++;
        else if (t1->v[i] == MISSING) { i++; j++; }
        else return t1->v[i];
    }
    return MISSING;
}

/* *v: the LZ cost vector of the segment against ix, read forward or as its
   reverse complement, in the segment's own order either way; prefix_mode as
   rg_lz_cost_vector's, in the order read.  Returns 1, or 0 on failure. */
static int oriented_costs(const rg_lz_index *ix, int forward, const uint8_t *dir, const uint8_t *rcs, size_t n,
                          int prefix_mode, uint32_t **v)
{
    if (rg_lz_cost_vector(ix, forward ? dir : rcs, n, prefix_mode, v) != RAGC_OK)
        return 0;
    if (!forward)
        reverse_u32(*v, n);
    return 1;
}

/* v[i]: the cost of coding the segment's bases [0, i] in the left group,
   read forward (k1 < M) or as its reverse complement. */
static int left_costs(const rg_lz_index *ix, int forward, const uint8_t *dir, const uint8_t *rcs, size_t n,
                      uint32_t **v)
{
    int ok = oriented_costs(ix, forward, dir, rcs, n, forward, v);
    for (size_t i = 1; ok && i < n; i++)
        (*v)[i] += (*v)[i - 1];
    return ok;
}

/* v[i]: the cost of coding the segment's bases [i, n) in the right group,
   read forward (M < k2) or as its reverse complement. */
static int right_costs(const rg_lz_index *ix, int forward, const uint8_t *dir, const uint8_t *rcs, size_t n,
                       uint32_t **v)
{
    int ok = oriented_costs(ix, forward, dir, rcs, n, !forward, v);
    for (size_t i = n; ok && i-- > 1;)   /* sums from the right */
        (*v)[i - 1] += (*v)[i];
    return ok;
}

/* Where to split a segment between k1 and k2 at their smallest shared
   partner M: the position minimising the coding cost of the left part in
   group (k1, M) plus the right part in group (M, k2).  Returns 0 if there is
   no shared partner; *pos may be 0 or n (no split). */
static int middle_split(const rg_compressor *c, uint64_t k1, uint64_t k2, const uint8_t *dir,
                        const uint8_t *rcs, size_t n, uint64_t *middle, size_t *pos)
{
    const rg_u64vec *t1 = terminators_of(c, k1), *t2 = terminators_of(c, k2);
    uint64_t M = t1 && t2 ? shared_partner(t1, t2) : MISSING;
    if (M == MISSING)
        return 0;
    uint32_t g1 = 0, g2 = 0;   /* always found: terminator pairs are groups' keys */
    rg_find_group(c, k1 < M ? k1 : M, k1 < M ? M : k1, &g1);
    rg_find_group(c, M < k2 ? M : k2, M < k2 ? k2 : M, &g2);
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
    uint32_t *v1 = NULL, *v2 = NULL;
    int ok = left_costs(c->groups[g1].ix, k1 < M, dir, rcs, n, &v1)
             && right_costs(c->groups[g2].ix, M < k2, dir, rcs, n, &v2);
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
    if (group != NEW_GROUP && group >= RG_RAW_GROUPS && x->c->groups[group].ix) {
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

/* A piece of the segment (in contig orientation) queued in group `key`,
   reverse-complemented through tmp when the key reads it so. */
static int queue_piece(contig_ctx *x, uint32_t part_no, rg_pair key, int rc, const uint8_t *piece, size_t n,
                       uint8_t *tmp)
{
    uint32_t g = NEW_GROUP;
    rg_find_group(x->c, key.a, key.b, &g);
    if (rc) {
        revcomp(piece, n, tmp);
        piece = tmp;
    }
    return queue_part(x, part_no, key, g, rc, piece, n);
}

/* The segment as two parts overlapping by k around `left`: (F, M), then
   (M, B). */
static int queue_split(contig_ctx *x, const seg_ctx *s, uint32_t part_no, uint64_t M, size_t left)
{
    uint32_t k = x->c->k;
    size_t p2 = left - k / 2, n1 = p2 + k, n2 = s->n - p2;
    uint8_t *tmp = malloc((n1 > n2 ? n1 : n2) + 1);
    if (!tmp)
        return RAGC_ERR_NOMEM;
    int r = queue_piece(x, part_no, ordered_pair(s->F, M), !(s->F < M), s->seg, n1, tmp);
    if (r == RAGC_OK)
        r = queue_piece(x, part_no + 1, ordered_pair(M, s->B), !(M < s->B), s->seg + p2, n2, tmp);
    free(tmp);
    return r;
}

/* agc's find_cand_segment_with_missing_middle_splitter, for a new pair of
   splitters that both end known groups: the segment may go whole to a
   neighbouring group (s->key moved) or be split in two.  Returns 1 when
   the two parts were queued, 0 when s->key is to be stored, or < 0. */
static int try_middle_split(contig_ctx *x, seg_ctx *s, uint32_t part_no)
{
    if (!get_rc(s))
        return RAGC_ERR_NOMEM;
    if (s->F == s->B) {
        if (!rg_kmer_is_dir(s->front))
            s->store_rc = 1;
        return 0;
    }
    int use_rc = s->F > s->B;
    uint64_t k1 = use_rc ? s->B : s->F, k2 = use_rc ? s->F : s->B, M;
    size_t best;
    if (!middle_split(x->c, k1, k2, use_rc ? s->rc : s->seg, use_rc ? s->seg : s->rc, s->n, &M, &best))
        return 0;
    size_t left = best, right = s->n - best;
    if (left == 0) {
        s->store_rc = M < k2 ? use_rc : !use_rc;
        s->key = ordered_pair(M, k2);
        return 0;
    }
    if (right == 0) {
        s->store_rc = k1 < M ? use_rc : !use_rc;
        s->key = ordered_pair(k1, M);
        return 0;
    }
    int r = queue_split(x, s, part_no, M, use_rc ? right : left);
    return r < 0 ? r : 1;
}

/* ---- add_segment ------------------------------------------------------------- */

/* The segment queued whole under s->key. */
static int queue_segment(contig_ctx *x, seg_ctx *s, uint32_t part_no, uint32_t group)
{
    const uint8_t *stored = s->seg;
    if (s->store_rc && !(stored = get_rc(s)))
        return RAGC_ERR_NOMEM;
    return queue_part(x, part_no, s->key, group, s->store_rc, stored, s->n);
}

static int place_segment(contig_ctx *x, seg_ctx *s, uint32_t part_no, uint32_t *n_parts)
{
    const rg_compressor *c = x->c;
    int r = choose_key(s);
    if (r < 0)
        return r;
    uint32_t gid;
    int found = rg_find_group(c, s->key.a, s->key.b, &gid);
    /* a split at a middle splitter (never in concatenated mode, as agc) */
    if (!found && !c->concatenated && s->key.a != MISSING && s->key.b != MISSING
        && terminators_of(c, s->key.a) && terminators_of(c, s->key.b)) {
        if ((r = try_middle_split(x, s, part_no)) != 0) {
            *n_parts = r > 0 ? 2 : 1;
            return r < 0 ? r : RAGC_OK;
        }
        found = rg_find_group(c, s->key.a, s->key.b, &gid);
    }
    /* the last resort: a group sharing fall-back minimizers (-f) */
    if (!found && c->fallback_thr) {
        if (!get_rc(s))
            return RAGC_ERR_NOMEM;
        if (rg_fallback_group(c, s->seg, s->rc, s->n, 2, &s->key, &s->store_rc))
            found = rg_find_group(c, s->key.a, s->key.b, &gid);
    }
    return queue_segment(x, s, part_no, found ? gid : NEW_GROUP);
}

/* agc's add_segment: the segment between splitters front and back (either
   may be empty) queued in its group, or in two; *n_parts gets 1 or 2. */
static int add_segment(contig_ctx *x, uint32_t part_no, const uint8_t *seg, size_t n,
                       const rg_kmer *front, const rg_kmer *back, uint32_t *n_parts)
{
    seg_ctx s = { .c = x->c, .seg = seg, .n = n, .front = front, .back = back,
                  .F = rg_kmer_full(front) ? rg_kmer_canonical(front) : MISSING,
                  .B = rg_kmer_full(back) ? rg_kmer_canonical(back) : MISSING,
                  .key = { MISSING, MISSING } };
    *n_parts = 1;
    int r = place_segment(x, &s, part_no, n_parts);
    free(s.rc);
    return r;
}

/* ---- compress_contig ----------------------------------------------------------- */

/* A contig's work is shared by the threads in two steps: finding the
   splitters (in ranges of SCAN_CHUNK bases, with the contig's MD5 as one
   more task), then placing the segments (SEGS_PER_CHUNK at a time).  A
   human-chromosome-sized sample is one contig, so without this one thread
   did all of it while the other idled.  Both steps give what the
   sequential walk gives: the splitters' positions are fixed afterwards in
   order, and segments are independent of each other (they read only the
   grouping state frozen at the last synchronisation point); only their
   part numbers depend on their predecessors (a segment gives one part or
   two), so each chunk numbers its parts from 0 and the contig adds the
   parts of the chunks before it. */
#define SCAN_CHUNK ((size_t)1 << 20)
#define SEGS_PER_CHUNK 8

/* ---- a parallel loop over tasks on the pool ---- */

/* The contig's job and its helper jobs take tasks from `next`; the last of
   them to leave frees the loop (a helper may start after every task is
   taken, even after the contig's job has moved on). */
typedef struct {
    void (*run)(void *arg, size_t i);
    void *arg;
    size_t n;
    _Atomic size_t next;
    pthread_mutex_t lock;
    pthread_cond_t all_done;
    size_t done;          /* tasks finished (under lock) */
    int users;            /* the contig's job and its pending helpers (under lock) */
} par_loop;

static void run_tasks(par_loop *p)
{
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n)
            return;
        p->run(p->arg, i);
        pthread_mutex_lock(&p->lock);
        if (++p->done == p->n)
            pthread_cond_signal(&p->all_done);
        pthread_mutex_unlock(&p->lock);
    }
}

static void leave(par_loop *p)
{
    pthread_mutex_lock(&p->lock);
    int last = --p->users == 0;
    pthread_mutex_unlock(&p->lock);
    if (last) {
        pthread_mutex_destroy(&p->lock);
        pthread_cond_destroy(&p->all_done);
        free(p);
    }
}

static void *run_helper(void *arg)
{
    par_loop *p = arg;
    run_tasks(p);
    leave(p);
    return NULL;
}

/* Runs run(arg, i) for i in [0, n), on helper jobs too when there are
   other threads and room in the queue (else the caller runs them all). */
static int par_for(const rg_compressor *c, size_t n, void (*run)(void *, size_t), void *arg)
{
    par_loop *p = calloc(1, sizeof(*p));
    if (!p)
        return RAGC_ERR_NOMEM;
    p->run = run;
    p->arg = arg;
    p->n = n;
    p->users = 1;
    atomic_init(&p->next, 0);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->all_done, NULL);
    /* One helper more than the other threads: htslib wakes a sleeping
       worker only when the queued jobs outnumber the running threads (this
       job's thread counts as running), so threads - 1 helpers left an idle
       worker asleep while this thread ran every task (the chrX set: the
       segments of a whole sample placed on one thread).  A surplus helper
       finds no task left and returns at once. */
    for (int t = 0; t < c->threads && (size_t)t < n; t++) {
        pthread_mutex_lock(&p->lock);
        p->users++;
        pthread_mutex_unlock(&p->lock);
        if (hts_tpool_dispatch2(c->pool, c->q, run_helper, p, 1) < 0) {
            pthread_mutex_lock(&p->lock);
            p->users--;
            pthread_mutex_unlock(&p->lock);
            break;
        }
    }
    run_tasks(p);
    pthread_mutex_lock(&p->lock);
    while (p->done < n)
        pthread_cond_wait(&p->all_done, &p->lock);
    pthread_mutex_unlock(&p->lock);
    leave(p);
    return RAGC_OK;
}

/* ---- step 1: the splitters ---- */

typedef struct {
    size_t *v, n, cap;
    int status;
} pos_list;

typedef struct {
    const rg_compressor *c;
    const uint8_t *codes;
    size_t n;
    pos_list *found;      /* per range: positions whose k-mer is a splitter */
    size_t n_ranges;
    int (*side)(void *);  /* one more task (the MD5), or NULL */
    void *side_arg;
    int side_status;
} scan_work;

/* Positions p in [a, b) where the k bases ending at p (no code > 3 among
   them) make a splitter, whatever came before p - k + 1. */
static int scan_splitters(const rg_compressor *c, const uint8_t *codes, size_t a, size_t b, pos_list *out)
{
    rg_kmer kmer;
    rg_kmer_init(&kmer, c->k);
    for (size_t i = a >= c->k - 1 ? a - (c->k - 1) : 0; i < a; i++) {
        if (codes[i] > 3)
            rg_kmer_reset(&kmer);
        else
            rg_kmer_insert(&kmer, codes[i]);
    }
    for (size_t pos = a; pos < b; pos++) {
        uint8_t x = codes[pos];
        if (x > 3) {
            rg_kmer_reset(&kmer);
            continue;
        }
        rg_kmer_insert(&kmer, x);
        if (!rg_kmer_full(&kmer) || !rg_is_splitter(c, rg_kmer_canonical(&kmer)))
            continue;
        RG_GROW(out->v, out->n, out->cap, 16, return RAGC_ERR_NOMEM);
        out->v[out->n++] = pos;
    }
    return RAGC_OK;
}

/* Task 0 is the side task when there is one (it is the longest: the MD5
   of a whole contig, as long as a quarter of the scan of a human
   chromosome on two threads; taken first, it runs beside the ranges
   instead of after them), then the ranges in order. */
static void scan_task(void *arg, size_t i)
{
    scan_work *w = arg;
    if (w->side) {
        if (i == 0) {
            w->side_status = w->side(w->side_arg);
            return;
        }
        i--;
    }
    size_t a = i * SCAN_CHUNK, b = a + SCAN_CHUNK < w->n ? a + SCAN_CHUNK : w->n;
    w->found[i].status = scan_splitters(w->c, w->codes, a, b, &w->found[i]);
}

/* ---- step 2: the segments ---- */

/* One segment of a contig: codes [start, start + len) between splitters
   front and back (either may be empty). */
typedef struct {
    size_t start, len;
    rg_kmer front, back;
} seg_span;

typedef struct {
    rg_part_list parts;   /* part numbers counted from the chunk's start */
    uint32_t n_parts;
    int status;
} chunk_out;

typedef struct {
    const contig_ctx *x;
    const uint8_t *codes;
    const seg_span *spans;
    const size_t *bounds;   /* chunk k is spans [bounds[k], bounds[k + 1]) */
    const size_t *order;    /* task i places chunk order[i] */
    chunk_out *outs;
} place_work;

static void place_task(void *arg, size_t i)
{
    place_work *w = arg;
    contig_ctx lx = *w->x;
    size_t k = w->order[i];
    chunk_out *o = &w->outs[k];
    lx.out = &o->parts;
    size_t from = w->bounds[k], to = w->bounds[k + 1];
    uint32_t part_no = 0;
    int r = RAGC_OK;
    for (size_t s = from; r == RAGC_OK && s < to; s++) {
        const seg_span *sp = &w->spans[s];
        uint32_t np;
        r = add_segment(&lx, part_no, w->codes + sp->start, sp->len, &sp->front, &sp->back, &np);
        part_no += np;
    }
    o->n_parts = part_no;
    o->status = r;
}

/* The chunks' parts, renumbered, into the batch's list; chunk lists freed. */
static int gather_chunks(contig_ctx *x, chunk_out *outs, size_t n_chunks, uint32_t *n_parts)
{
    int r = RAGC_OK;
    uint32_t offset = 0;
    for (size_t i = 0; i < n_chunks; i++) {
        chunk_out *o = &outs[i];
        if (r == RAGC_OK && o->status < 0)
            r = o->status;
        for (size_t j = 0; j < o->parts.n; j++) {
            rg_seg_part *p = &o->parts.v[j];
            p->part_no += offset;
            if (r == RAGC_OK && (r = rg_part_list_push(x->out, p)) == RAGC_OK)
                p->data = NULL;   /* now the batch's */
        }
        offset += o->n_parts;
        rg_part_list_clear(&o->parts);
        free(o->parts.v);
        pthread_mutex_destroy(&o->parts.lock);
    }
    *n_parts = offset;
    return r;
}

/* The chunks of a contig's n_spans segments (bounds, n_chunks + 1 values)
   and the order in which to place them.  The first and last segments are
   chunks of their own, placed first: each has one splitter and is costed
   against every group that splitter ends, the longest placements (up to
   10 ms in senterica-10, against 1 ms for most segments), which left last
   kept one thread busy while the other waited at the end of the contig.
   The others go SEGS_PER_CHUNK at a time, in order.  Returns n_chunks. */
static size_t plan_chunks(size_t n_spans, size_t *bounds, size_t *order)
{
    size_t n = 0;
    bounds[n++] = 0;
    if (n_spans >= 2) {
        bounds[n++] = 1;   /* the first segment alone */
        for (size_t b = 1 + SEGS_PER_CHUNK; b < n_spans - 1; b += SEGS_PER_CHUNK)
            bounds[n++] = b;
        if (n_spans > 2)
            bounds[n++] = n_spans - 1;   /* the last one alone */
    }
    bounds[n] = n_spans;
    order[0] = n - 1;   /* the last chunk, then the others in order */
    for (size_t k = 0; k + 1 < n; k++)
        order[k + 1] = k;
    return n;
}

static int place_spans(const rg_compressor *c, contig_ctx *x, const uint8_t *codes, const seg_span *spans,
                       size_t n_spans, uint32_t *n_parts)
{
    size_t max_chunks = (n_spans + SEGS_PER_CHUNK - 1) / SEGS_PER_CHUNK + 2;
    size_t *bounds = malloc((2 * max_chunks + 1) * sizeof *bounds);
    chunk_out *outs = calloc(max_chunks, sizeof(*outs));
    if (!outs || !bounds) {
        free(bounds);
        free(outs);
        return RAGC_ERR_NOMEM;
    }
    size_t *order = bounds + max_chunks + 1;
    size_t n_chunks = plan_chunks(n_spans, bounds, order);
    for (size_t i = 0; i < n_chunks; i++)
        pthread_mutex_init(&outs[i].parts.lock, NULL);
    place_work w = { x, codes, spans, bounds, order, outs };
    int r = par_for(c, n_chunks, place_task, &w);
    if (r < 0)   /* nothing ran */
        for (size_t i = 0; i < n_chunks; i++)
            outs[i].status = r;
    r = gather_chunks(x, outs, n_chunks, n_parts);
    free(outs);
    free(bounds);
    return r;
}

/* The k-mer of the k bases ending at p. */
static rg_kmer kmer_at(const rg_compressor *c, const uint8_t *codes, size_t p)
{
    rg_kmer km;
    rg_kmer_init(&km, c->k);
    for (size_t i = p + 1 - c->k; i <= p; i++)
        rg_kmer_insert(&km, codes[i]);
    return km;
}

/* agc's cut, from the splitter positions in order: a splitter ends a
   segment and the next one starts with it; the k-mer is then emptied, so a
   splitter within k - 1 bases after the last cut does not count. */
static int spans_of(const rg_compressor *c, const uint8_t *codes, size_t n, const pos_list *found,
                    size_t n_ranges, seg_span **spans, size_t *n_spans, int *cut)
{
    rg_kmer split_kmer, none;
    rg_kmer_init(&split_kmer, c->k);
    rg_kmer_init(&none, c->k);
    size_t split_pos = 0, cap = 0, last = 0;
    int have_last = 0;
    *cut = 0;
    for (size_t i = 0; i < n_ranges; i++) {
        if (found[i].status < 0)
            return found[i].status;
        for (size_t j = 0; j < found[i].n; j++) {
            size_t p = found[i].v[j];
            if (have_last && p < last + c->k)
                continue;
            rg_kmer km = kmer_at(c, codes, p);
            RG_GROW(*spans, *n_spans, cap, 64, return RAGC_ERR_NOMEM);
            (*spans)[(*n_spans)++] = (seg_span){ split_pos, p + 1 - split_pos, split_kmer, km };
            split_pos = p + 1 - c->k;
            split_kmer = km;
            last = p;
            have_last = 1;
        }
    }
    *cut = have_last;
    if (split_pos < n) {
        RG_GROW(*spans, *n_spans, cap, 64, return RAGC_ERR_NOMEM);
        (*spans)[(*n_spans)++] = (seg_span){ split_pos, n - split_pos, split_kmer, none };
    }
    return RAGC_OK;
}

int rg_compress_contig(rg_compressor *c, uint32_t sample, uint32_t contig_idx,
                       const char *contig_name, const uint8_t *codes, size_t n, int first_pass,
                       rg_part_list *out, uint32_t *n_parts, int (*side)(void *), void *side_arg)
{
    contig_ctx x = { c, out, sample, contig_idx, contig_name };
    *n_parts = 0;
    size_t n_ranges = (n + SCAN_CHUNK - 1) / SCAN_CHUNK;
    scan_work sw = { c, codes, n, calloc(n_ranges ? n_ranges : 1, sizeof(pos_list)), n_ranges, side, side_arg,
                     RAGC_OK };
    if (!sw.found)
        return RAGC_ERR_NOMEM;
    int r = par_for(c, n_ranges + (side != NULL), scan_task, &sw);
    if (r == RAGC_OK)
        r = sw.side_status;
    seg_span *spans = NULL;
    size_t n_spans = 0;
    int cut = 0;
    if (r == RAGC_OK)
        r = spans_of(c, codes, n, sw.found, n_ranges, &spans, &n_spans, &cut);
    for (size_t i = 0; i < n_ranges; i++)
        free(sw.found[i].v);
    free(sw.found);
    /* adaptive mode: a contig without splitters waits for new ones (agc
       tests this by comparing the last splitter's forward word with an
       empty k-mer, so a poly-A splitter also counts as none and the
       contig's segments are queued twice; we test for a real splitter) */
    if (r == RAGC_OK && c->adaptive && first_pass && !cut) {
        free(spans);
        if (n >= c->S && (r = rg_find_new_splitters(c, codes, n)) < 0)
            return r;
        return RG_CONTIG_POSTPONED;
    }
    if (r == RAGC_OK && n_spans)
        r = place_spans(c, &x, codes, spans, n_spans, n_parts);
    free(spans);
    return r;
}
