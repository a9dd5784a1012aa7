/* splitters.c -- agc's splitter determination with a partitioned k-mer count
   (see splitters.h for the method and its memory use). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>
#include <htslib/kstring.h>

#include "fasta_in.h"
#include "grow.h"
#include "kmer.h"
#include "lzdiff.h"
#include "ragc.h"
#include "splitters.h"

#define DUP_FLAG (UINT64_C(1) << 63)     /* in entry.pos: the hash occurs again */
#define MAX_GROUPS 1024                  /* write streams of one fill scan */
#define MIN_ROUND_ENTRIES ((size_t)1 << 20)
#define KEY_MUL UINT64_C(0x9E3779B97F4A7C15)  /* odd: k-mer -> key is a bijection */
#define ROUND_DIVISOR 4                  /* default round = 1/4 of the k-mers */

typedef struct {
    uint64_t h;    /* key: canonical k-mer * KEY_MUL (a bijection) */
    uint64_t pos;  /* position of its last symbol in codes, | DUP_FLAG */
} entry_t;

enum { PH_HIST, PH_FILL, PH_BUCKETS, PH_WALK };

typedef struct job job_t;

typedef struct {
    job_t *job;
    int idx;           /* scans: this thread's share of the positions */
    uint64_t *cnt;     /* k-mers per bucket in this thread's share */
    uint64_t cur[MAX_GROUPS];   /* fill cursors of this thread's share */
    uint32_t *table;   /* per-thread hash table for PH_BUCKETS */
    size_t table_cap;
    uint64_t *out;     /* splitters found by this thread in PH_WALK */
    size_t n_out, cap_out;
    rg_fallback_tuple *fb;        /* fall-back tuples found in PH_WALK */
    size_t n_fb, cap_fb;
    rg_fallback_tuple *seg_fb;    /* fall-back k-mers of the current segment */
    size_t n_seg_fb, cap_seg_fb;
    int status;
} worker_t;

struct job {
    const uint8_t *codes;
    const size_t *starts;
    size_t n_contigs;
    uint64_t n_pos;
    uint32_t k, seg;
    uint64_t fb_thr;              /* fall-back filter, 0 = off */
    int threads;
    unsigned shift;               /* bucket = h >> shift */
    uint64_t n_buckets;
    _Atomic uint64_t *cnt;        /* k-mers per bucket, all threads */
    _Atomic uint64_t *repeated;   /* bitmap: the k-mer ending at a position occurs again */
    entry_t *ent;                 /* entries of the current round */
    uint64_t b0, b1;              /* buckets of the current round */
    unsigned gshift;              /* group of bucket b: (b - b0) >> gshift */
    uint64_t n_groups;
    uint64_t gstart[MAX_GROUPS + 1];      /* group g is ent[gstart[g], gstart[g + 1]) */
    size_t table_slots;           /* hash table slots needed in this round */
    int phase;
    _Atomic uint64_t next;        /* next work unit */
};

/* ---- small helpers --------------------------------------------------------- */

static inline uint64_t get(_Atomic uint64_t *p)
{
    return atomic_load_explicit(p, memory_order_relaxed);
}

static inline void set_repeated(const job_t *j, uint64_t pos)
{
    _Atomic uint64_t *w = &j->repeated[pos >> 6];
    uint64_t bit = UINT64_C(1) << (pos & 63);
    if (j->threads > 1)
        atomic_fetch_or_explicit(w, bit, memory_order_relaxed);
    else
        atomic_store_explicit(w, atomic_load_explicit(w, memory_order_relaxed) | bit,
                              memory_order_relaxed);
}

/* Only asked of positions where a full k-mer ends (each has its entry). */
static inline int is_single(const job_t *j, uint64_t pos)
{
    return !(int)((atomic_load_explicit(&j->repeated[pos >> 6], memory_order_relaxed) >>
                   (pos & 63)) & 1);
}

static int push_u64(worker_t *w, uint64_t v)
{
    RG_GROW(w->out, w->n_out, w->cap_out, 256, return RAGC_ERR_NOMEM);
    w->out[w->n_out++] = v;
    return 0;
}

static int push_tuple(rg_fallback_tuple **v, size_t *n, size_t *cap, rg_fallback_tuple t)
{
    RG_GROW(*v, *n, *cap, 256, return RAGC_ERR_NOMEM);
    (*v)[(*n)++] = t;
    return 0;
}

uint64_t rg_fallback_threshold(double fraction)
{
    return fraction == 0.0 ? 0 : (uint64_t)((double)UINT64_MAX * fraction);
}

int rg_is_fallback_kmer(uint64_t thr, uint64_t x)
{
    return (rg_murmur64(x) ^ 0xD73F8BF11046C40EULL) < thr;
}

/* The k-mers of the segment just closed by splitter `to` (from `from`). */
static int close_fallback_segment(worker_t *w, uint64_t from, uint64_t to)
{
    int r = 0;
    for (size_t i = 0; r == 0 && i < w->n_seg_fb; i++) {
        rg_fallback_tuple t = w->seg_fb[i];
        t.s1 = from;
        t.s2 = to;
        r = push_tuple(&w->fb, &w->n_fb, &w->cap_fb, t);
    }
    w->n_seg_fb = 0;
    return r;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* ---- scans over the k-mers ------------------------------------------------ */

/* The contig holding position a: the last c with starts[c] <= a. */
static size_t contig_at(const job_t *j, uint64_t a)
{
    size_t lo = 0, hi = j->n_contigs;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (j->starts[mid] <= a)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Visits every full canonical k-mer whose last symbol lies in [a, b):
   PH_HIST counts it in its bucket, PH_FILL places the entries of the
   round's buckets in their groups, both in the thread's own counters
   (shared ones cost an atomic operation a base and bounce between the
   cores' caches). */
static void scan_range(worker_t *w, uint64_t a, uint64_t b)
{
    job_t *j = w->job;
    const uint8_t *codes = j->codes;
    const size_t *st = j->starts;
    const uint32_t k = j->k;
    const unsigned shift = j->shift;
    const int fill = j->phase == PH_FILL;
    const uint64_t b0 = j->b0, nb = j->b1 - j->b0;
    const unsigned gshift = j->gshift;
    uint64_t *const cnt = w->cnt;
    uint64_t *const cur = w->cur;
    entry_t *const ent = j->ent;

    uint64_t pos = a;
    for (size_t c = contig_at(j, a); c < j->n_contigs && pos < b; c++) {
        uint64_t cs = st[c], ce = st[c + 1];
        if (ce <= pos)
            continue;
        if (pos < cs)
            pos = cs;
        if (pos >= b)
            break;
        uint64_t stop = ce < b ? ce : b;
        uint64_t i = pos - cs >= k - 1 ? pos - (k - 1) : cs;
        rg_kmer km;
        rg_kmer_init(&km, k);
        for (; i < pos; i++) {   /* warm-up: the k-1 symbols before the range */
            uint8_t x = codes[i];
            if (x > 3)
                rg_kmer_reset(&km);
            else
                rg_kmer_insert(&km, x);
        }
        for (; i < stop; i++) {
            uint8_t x = codes[i];
            if (x > 3) {
                rg_kmer_reset(&km);
                continue;
            }
            rg_kmer_insert(&km, x);
            if (!rg_kmer_full(&km))
                continue;
            uint64_t h = rg_kmer_canonical(&km) * KEY_MUL;
            uint64_t bk = h >> shift;
            if (!fill) {
                cnt[bk]++;
            } else if (bk - b0 < nb) {
                uint64_t at = cur[(bk - b0) >> gshift]++;
                ent[at].h = h;
                ent[at].pos = i;
            }
        }
        pos = stop;
    }
}

/* Finds the keys occurring more than once among e[0, m) (one group of
   buckets) and marks their positions as repeated.  The bitmap marks the
   repeated k-mers, not the singletons: its writes land at random positions
   (an atomic read-modify-write of a cache line missing from the cache
   each), and singletons are most k-mers of a genome (chrX set: the
   singleton marks were 27% of the splitter search's CPU). */
static void process_group(worker_t *w, entry_t *e, uint64_t m)
{
    job_t *j = w->job;
    if (m == 0)
        return;
    if (m <= 8) {
        for (uint64_t x = 0; x < m; x++)
            for (uint64_t y = x + 1; y < m; y++)
                if (e[x].h == e[y].h) {
                    e[x].pos |= DUP_FLAG;
                    e[y].pos |= DUP_FLAG;
                }
    } else {
        size_t slots = 16;
        while (slots < 2 * m)
            slots *= 2;
        uint32_t *t = w->table;
        memset(t, 0, slots * sizeof *t);
        const uint64_t mask = slots - 1;
        for (uint64_t x = 0; x < m; x++) {
            uint64_t h = e[x].h, s = rg_murmur64(h) & mask;
            for (;;) {
                uint32_t y = t[s];
                if (!y) {
                    t[s] = (uint32_t)(x + 1);
                    break;
                }
                if (e[y - 1].h == h) {
                    e[y - 1].pos |= DUP_FLAG;
                    e[x].pos |= DUP_FLAG;
                    break;
                }
                s = (s + 1) & mask;
            }
        }
    }
    for (uint64_t x = 0; x < m; x++)
        if (e[x].pos & DUP_FLAG)
            set_repeated(j, e[x].pos & ~DUP_FLAG);
}

/* agc's find_splitters_in_contig, with the singleton test read from the
   bitmap.  "recent" k-mers only matter through their rightmost singleton. */
static int walk_contig(worker_t *w, size_t c)
{
    job_t *j = w->job;
    const uint64_t cs = j->starts[c], ce = j->starts[c + 1];
    const uint64_t seg = j->seg;
    uint64_t current_len = seg, last = 0, prev = RG_KMER_MISSING;
    int have_last = 0, r;
    rg_kmer km;
    rg_kmer_init(&km, j->k);
    w->n_seg_fb = 0;
    for (uint64_t i = cs; i < ce; i++) {
        uint8_t x = j->codes[i];
        if (x > 3) {
            rg_kmer_reset(&km);
        } else {
            rg_kmer_insert(&km, x);
            if (!rg_kmer_full(&km)) {
                current_len++;
                continue;
            }
            uint64_t v = rg_kmer_canonical(&km);
            /* fall-back minimizers: symmetric k-mers have no orientation */
            if (j->fb_thr && km.fwd != km.rc && rg_is_fallback_kmer(j->fb_thr, v)) {
                rg_fallback_tuple t = { 0, 0, v, (uint8_t)rg_kmer_is_dir(&km) };
                if ((r = push_tuple(&w->seg_fb, &w->n_seg_fb, &w->cap_seg_fb, t)) < 0)
                    return r;
            }
            if (is_single(j, i)) {
                if (current_len >= seg) {
                    if ((r = push_u64(w, v)) < 0 || (r = close_fallback_segment(w, prev, v)) < 0)
                        return r;
                    prev = v;
                    current_len = 0;
                    rg_kmer_reset(&km);
                    have_last = 0;
                } else {
                    last = v;
                    have_last = 1;
                }
            }
        }
        current_len++;
    }
    if (have_last && ((r = push_u64(w, last)) < 0 || (r = close_fallback_segment(w, prev, last)) < 0))
        return r;
    return 0;
}

static void *worker_main(void *arg)
{
    worker_t *w = arg;
    job_t *j = w->job;
    switch (j->phase) {
    case PH_HIST:
    case PH_FILL: {
        /* a fixed share, so that the fill cursors can be the thread's own */
        uint64_t a = j->n_pos / (uint64_t)j->threads * (uint64_t)w->idx;
        uint64_t b = w->idx == j->threads - 1 ? j->n_pos : a + j->n_pos / (uint64_t)j->threads;
        scan_range(w, a, b);
        break;
    }
    case PH_BUCKETS:
        if (w->table_cap < j->table_slots) {
            free(w->table);
            w->table = malloc(j->table_slots * sizeof *w->table);
            w->table_cap = w->table ? j->table_slots : 0;
            if (!w->table) {
                w->status = RAGC_ERR_NOMEM;
                break;
            }
        }
        for (;;) {
            uint64_t g = atomic_fetch_add(&j->next, 1);
            if (g >= j->n_groups)
                break;
            process_group(w, j->ent + j->gstart[g], j->gstart[g + 1] - j->gstart[g]);
        }
        break;
    case PH_WALK:
        for (;;) {
            uint64_t c = atomic_fetch_add(&j->next, 1);
            if (c >= j->n_contigs)
                break;
            int r = walk_contig(w, (size_t)c);
            if (r < 0) {
                w->status = r;
                break;
            }
        }
        break;
    }
    return NULL;
}

/* Runs a phase on all workers (the calling thread is worker 0, and the
   worker of every thread that could not be started). */
static int run_phase(job_t *j, worker_t *w, int phase)
{
    j->phase = phase;
    atomic_store(&j->next, 0);
    pthread_t tid[256];
    int n = j->threads, started = 0;
    for (int t = 1; t < n; t++) {
        if (pthread_create(&tid[t], NULL, worker_main, &w[t]) != 0)
            break;
        started = t;
    }
    worker_main(&w[0]);
    for (int t = started + 1; t < n; t++)
        worker_main(&w[t]);
    for (int t = 1; t <= started; t++)
        pthread_join(tid[t], NULL);
    for (int t = 0; t < n; t++)
        if (w[t].status < 0)
            return w[t].status;
    return 0;
}

static int find_codes(const uint8_t *codes, const size_t *starts, size_t n_contigs,
                      const rg_splitter_opts *opts, uint64_t **splitters, size_t *n,
                      rg_fallback_tuple **tuples, size_t *n_tuples);

int rg_splitters_find_codes(const uint8_t *codes, const size_t *starts, size_t n_contigs,
                            const rg_splitter_opts *opts, uint64_t **splitters, size_t *n)
{
    return find_codes(codes, starts, n_contigs, opts, splitters, n, NULL, NULL);
}

int rg_splitters_find_codes_fallback(const uint8_t *codes, const size_t *starts, size_t n_contigs,
                                     const rg_splitter_opts *opts, uint64_t **splitters, size_t *n,
                                     rg_fallback_tuple **tuples, size_t *n_tuples)
{
    return find_codes(codes, starts, n_contigs, opts, splitters, n, tuples, n_tuples);
}

static int check_args(const size_t *starts, size_t n_contigs, const rg_splitter_opts *opts,
                      uint64_t **splitters, size_t *n, rg_fallback_tuple **tuples, size_t *n_tuples)
{
    if (!splitters || !n || !opts || (!starts && n_contigs))
        return RAGC_ERR_ARG;
    *splitters = NULL;
    *n = 0;
    if (tuples) {
        *tuples = NULL;
        *n_tuples = 0;
    }
    if (opts->k < 1 || opts->k > 32 || opts->segment_size < 1) {
        hts_log_error("invalid splitter parameters: k = %u (1..32), segment size = %u (>= 1)",
                      opts->k, opts->segment_size);
        return RAGC_ERR_ARG;
    }
    for (size_t c = 0; c < n_contigs; c++)
        if (starts[c + 1] < starts[c])
            return RAGC_ERR_ARG;
    return 0;
}

/* The job over n_pos positions and its workers (*w, one a thread). */
static int job_init(job_t *j, worker_t **w, const uint8_t *codes, const size_t *starts, size_t n_contigs,
                    const rg_splitter_opts *opts, int with_tuples, uint64_t n_pos)
{
    memset(j, 0, sizeof *j);
    j->codes = codes;
    j->starts = starts;
    j->n_contigs = n_contigs;
    j->n_pos = starts[n_contigs];   /* positions are absolute indices into codes */
    j->k = opts->k;
    j->seg = opts->segment_size;
    j->fb_thr = with_tuples ? opts->fallback_thr : 0;
    j->threads = opts->threads < 1 ? 1 : opts->threads > 256 ? 256 : opts->threads;
    /* about 256 k-mers a bucket, at most 2^14 buckets: a round's groups
       (MAX_GROUPS) need no finer partition, and each thread's histogram,
       incremented once a base at random, stays in its core's cache (2^18
       buckets of the 70 Mbp chrX made the histogram scan 2x slower than a
       fill scan) */
    unsigned bits = 6;
    while (bits < 14 && (UINT64_C(1) << bits) * 256 < n_pos)
        bits++;
    j->shift = 64 - bits;
    j->n_buckets = UINT64_C(1) << bits;
    *w = calloc((size_t)j->threads, sizeof **w);
    j->cnt = calloc(j->n_buckets, sizeof *j->cnt);
    j->repeated = calloc((j->n_pos + 63) / 64, sizeof *j->repeated);
    if (!*w || !j->cnt || !j->repeated)
        return RAGC_ERR_NOMEM;
    for (int t = 0; t < j->threads; t++) {
        (*w)[t].job = j;
        (*w)[t].idx = t;
        if (!((*w)[t].cnt = calloc(j->n_buckets, sizeof(uint64_t))))
            return RAGC_ERR_NOMEM;
    }
    return 0;
}

static void job_free(job_t *j, worker_t *w)
{
    if (w)
        for (int t = 0; t < j->threads; t++) {
            free(w[t].table);
            free(w[t].cnt);
            free(w[t].out);
            free(w[t].fb);
            free(w[t].seg_fb);
        }
    free(w);
    free(j->ent);
    free((void *)j->cnt);
    free((void *)j->repeated);
}

/* Pass 1a: the k-mers of each bucket, their total and the largest count.
   One bucket is never split and a round's hash table indexes entries with
   32 bits, so a bucket of 2^31 - 1 or more k-mers (one k-mer occurring
   that often: over 2 Gbases of a repeat) cannot be counted. */
static int count_buckets(job_t *j, worker_t *w, uint64_t *total, uint64_t *max_bucket)
{
    int r = run_phase(j, w, PH_HIST);
    if (r < 0)
        return r;
    *total = *max_bucket = 0;
    for (uint64_t b = 0; b < j->n_buckets; b++) {
        uint64_t c = 0;
        for (int t = 0; t < j->threads; t++)
            c += w[t].cnt[b];
        atomic_store_explicit(&j->cnt[b], c, memory_order_relaxed);
        *total += c;
        if (c > *max_bucket)
            *max_bucket = c;
    }
    if (*max_bucket >= UINT32_MAX / 2) {
        hts_log_error("reference too repetitive to find splitters: %llu k-mers fall in one counting "
                      "bucket (at most %u can)", (unsigned long long)*max_bucket, UINT32_MAX / 2 - 1);
        return RAGC_ERR_INPUT;
    }
    return 0;
}

/* Entries a counting round may hold (see splitters.h). */
static uint64_t round_budget(const rg_splitter_opts *opts, uint64_t total, uint64_t max_bucket)
{
    /* by default 1/ROUND_DIVISOR of the k-mers, plus room for the buckets
       each round leaves to the next (a round ends before the bucket that
       would overflow it; without the room a last, nearly empty round
       rescanned the whole reference) */
    uint64_t slack = ROUND_DIVISOR * max_bucket < total / 32 ? ROUND_DIVISOR * max_bucket : total / 32;
    uint64_t budget = opts->max_round_entries ? opts->max_round_entries
                                              : total / ROUND_DIVISOR + slack;
    if (!opts->max_round_entries && budget < MIN_ROUND_ENTRIES)
        budget = MIN_ROUND_ENTRIES;
    if (budget > UINT32_MAX / 2 - 1)
        budget = UINT32_MAX / 2 - 1;   /* hash table slots are 32-bit */
    if (budget < max_bucket)
        budget = max_bucket;
    if (budget > total)
        budget = total;
    return budget;
}

/* The round from bucket b0: as many buckets as the budget holds, in groups
   of 2^gshift buckets, at most MAX_GROUPS of them, which keep the
   scattered writes of a fill scan within a few cache lines each.  Returns
   the round's end bucket; *entries gets its k-mer count. */
static uint64_t plan_round(job_t *j, worker_t *w, uint64_t b0, uint64_t budget, uint64_t *entries)
{
    uint64_t acc = 0, b1 = b0, big = 0;
    while (b1 < j->n_buckets) {
        uint64_t c = get(&j->cnt[b1]);
        if (acc + c > budget)
            break;
        acc += c;
        b1++;
    }
    unsigned gshift = 0;
    while (((b1 - b0 - 1) >> gshift) + 1 > MAX_GROUPS)
        gshift++;
    j->b0 = b0;
    j->b1 = b1;
    j->gshift = gshift;
    j->n_groups = ((b1 - b0 - 1) >> gshift) + 1;
    uint64_t off = 0;
    for (uint64_t g = 0; g < j->n_groups; g++) {
        uint64_t from = b0 + (g << gshift), to = from + (UINT64_C(1) << gshift), c = 0;
        if (to > b1)
            to = b1;
        j->gstart[g] = off;
        for (int t = 0; t < j->threads; t++) {   /* each thread's share of the group */
            w[t].cur[g] = off;
            for (uint64_t b = from; b < to; b++)
                off += w[t].cnt[b];
        }
        c = off - j->gstart[g];
        if (c > big)
            big = c;
    }
    j->gstart[j->n_groups] = off;
    size_t slots = 16;
    while (slots < 2 * big)
        slots *= 2;
    j->table_slots = slots;
    *entries = acc;
    return b1;
}

/* Pass 1b: rounds of buckets, each filled into j->ent (budget entries)
   and its repeated k-mers marked. */
static int mark_repeated(job_t *j, worker_t *w, uint64_t budget)
{
    for (uint64_t b0 = 0; b0 < j->n_buckets;) {
        uint64_t entries;
        uint64_t b1 = plan_round(j, w, b0, budget, &entries);
        int r;
        if (entries && ((r = run_phase(j, w, PH_FILL)) < 0 || (r = run_phase(j, w, PH_BUCKETS)) < 0))
            return r;
        b0 = b1;
    }
    return 0;
}

/* Pass 2's splitters of all threads, sorted, without duplicates. */
static int gather_splitters(const job_t *j, const worker_t *w, uint64_t **splitters, size_t *n)
{
    size_t cnt = 0;
    for (int t = 0; t < j->threads; t++)
        cnt += w[t].n_out;
    if (!cnt)
        return 0;
    uint64_t *out = malloc(cnt * sizeof *out);
    if (!out)
        return RAGC_ERR_NOMEM;
    size_t o = 0;
    for (int t = 0; t < j->threads; t++) {
        if (w[t].n_out)
            memcpy(out + o, w[t].out, w[t].n_out * sizeof *out);
        o += w[t].n_out;
    }
    qsort(out, cnt, sizeof *out, cmp_u64);
    o = 0;
    for (size_t i = 0; i < cnt; i++)
        if (o == 0 || out[o - 1] != out[i])
            out[o++] = out[i];
    *splitters = out;
    *n = o;
    return 0;
}

/* Pass 2's fall-back tuples of all threads, in no particular order. */
static int gather_tuples(const job_t *j, const worker_t *w, rg_fallback_tuple **tuples, size_t *n_tuples)
{
    size_t nt = 0;
    for (int t = 0; t < j->threads; t++)
        nt += w[t].n_fb;
    if (!nt)
        return 0;
    rg_fallback_tuple *all = malloc(nt * sizeof *all);
    if (!all)
        return RAGC_ERR_NOMEM;
    size_t o = 0;
    for (int t = 0; t < j->threads; t++) {
        if (w[t].n_fb)
            memcpy(all + o, w[t].fb, w[t].n_fb * sizeof *all);
        o += w[t].n_fb;
    }
    *tuples = all;
    *n_tuples = nt;
    return 0;
}

static int find_codes(const uint8_t *codes, const size_t *starts, size_t n_contigs,
                      const rg_splitter_opts *opts, uint64_t **splitters, size_t *n,
                      rg_fallback_tuple **tuples, size_t *n_tuples)
{
    int r = check_args(starts, n_contigs, opts, splitters, n, tuples, n_tuples);
    uint64_t n_pos = r == 0 && n_contigs ? starts[n_contigs] - starts[0] : 0;
    if (r < 0 || n_pos == 0)
        return r;
    job_t j;
    worker_t *w = NULL;
    uint64_t total = 0, max_bucket = 0, budget = 0;
    r = job_init(&j, &w, codes, starts, n_contigs, opts, tuples != NULL, n_pos);
    if (r == 0)
        r = count_buckets(&j, w, &total, &max_bucket);
    if (r == 0) {
        budget = round_budget(opts, total, max_bucket);
        if (total && !(j.ent = malloc((size_t)budget * sizeof *j.ent)))
            r = RAGC_ERR_NOMEM;
    }
    if (r == 0)
        r = mark_repeated(&j, w, budget);
    free(j.ent);
    j.ent = NULL;
    if (r == 0)
        r = run_phase(&j, w, PH_WALK);   /* pass 2 */
    if (r == 0)
        r = gather_splitters(&j, w, splitters, n);
    if (r == 0 && tuples)
        r = gather_tuples(&j, w, tuples, n_tuples);
    job_free(&j, w);
    return r;
}

int rg_splitters_find_opts(const char *ref_path, const rg_splitter_opts *opts,
                           uint64_t **splitters, size_t *n)
{
    return rg_splitters_find_fallback(ref_path, opts, splitters, n, NULL, NULL);
}

int rg_splitters_find_fallback(const char *ref_path, const rg_splitter_opts *opts, uint64_t **splitters,
                               size_t *n, rg_fallback_tuple **tuples, size_t *n_tuples)
{
    if (!splitters || !n || !opts)
        return RAGC_ERR_ARG;
    *splitters = NULL;
    *n = 0;
    if (opts->k < 1 || opts->k > 32 || opts->segment_size < 1) {
        hts_log_error("invalid splitter parameters: k = %u (1..32), segment size = %u (>= 1)",
                      opts->k, opts->segment_size);
        return RAGC_ERR_ARG;
    }
    rg_fasta_in *f = rg_fasta_in_open_mode(ref_path, opts->lossless);
    if (!f)
        return RAGC_ERR_IO;
    kstring_t hdr = {0, 0, NULL};
    rg_bytes codes = {NULL, 0, 0};
    size_t *starts = NULL, n_ctg = 0, cap = 0;
    int r;
    for (;;) {
        /* room for starts[n_ctg] and the end, starts[n_ctg + 1] */
        r = RAGC_OK;
        RG_GROW(starts, n_ctg + 1, cap, 1024, r = RAGC_ERR_NOMEM);
        if (r < 0)
            break;
        starts[n_ctg] = codes.len;
        r = rg_fasta_in_next_append(f, &hdr, &codes);
        if (r <= 0)
            break;
        n_ctg++;
    }
    rg_fasta_in_close(f);
    free(hdr.s);
    if (r == 0) {
        starts[n_ctg] = codes.len;
        r = find_codes(codes.s, starts, n_ctg, opts, splitters, n, tuples, n_tuples);
    } else if (r == RAGC_ERR_NOMEM) {
        hts_log_error("%s: out of memory reading the reference", ref_path);
    }
    free(starts);
    rg_bytes_free(&codes);
    return r;
}

int rg_splitters_find(const char *ref_path, uint32_t k, uint32_t segment_size, int threads,
                      uint64_t **splitters, size_t *n)
{
    rg_splitter_opts o = {k, segment_size, threads, 0, 0, 0};
    return rg_splitters_find_opts(ref_path, &o, splitters, n);
}
