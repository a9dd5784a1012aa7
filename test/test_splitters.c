/* test_splitters.c -- splitter determination (splitters.h).

   1. agc 3.2.2 fixtures: the `splitters` stream of each archive (one part,
      metadata = count, payload = sorted u64le) must equal what we compute
      from the archive's reference file with the k and segment size of its
      `params` stream -- single-threaded, multi-threaded and with small
      counting rounds.  (senterica-adapt / sarscov2-adapt were made with -a
      and hold extra splitters; they are not used.)
   2. Random contigs (repeats, reverse complements, N runs, IUPAC codes,
      short and empty contigs) against a literal re-implementation of agc's
      determine_splitters / find_splitters_in_contig written here from the
      specification (its own k-mer code, a sorted array of all k-mers, binary
      search), for many k and segment sizes, thread counts and round sizes.
   3. Argument and input errors, among them a reference too repetitive to
      count (RAGC_ERR_INPUT). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <htslib/hts_log.h>

#include "container.h"
#include "io.h"
#include "ragc.h"
#include "splitters.h"
#include "tap.h"

/* ---- fixtures --------------------------------------------------------------- */

typedef struct {
    const char *id;
    const char *ref;   /* a fixture path (see tap_shared_path) */
    uint32_t k, s;     /* as in compat/cases.tsv (checked against `params`) */
} fixture_t;

static const fixture_t fixtures[] = {
    {"senterica", "data/senterica-10/SAL_AA7743AA.fasta.gz", 31, 60000},
    {"senterica-k21", "data/senterica-10/SAL_AA7743AA.fasta.gz", 21, 10000},
    {"hsmt", "data/hsmt-50/HG00140.fa", 31, 60000},
    {"hsmt-small", "data/hsmt-50/HG00140.fa", 25, 2000},
    {"sarscov2-s5000", "data/sarscov2-418/Wuhan_Hu-1_2019.fa.gz", 31, 5000},
    {"edge-ok", "data/fasta-edge/htslib.ce.fa", 31, 60000},
    {"toy", "data/toy/ref.fa", 31, 60000},
};

#define N_FIX ((int)(sizeof fixtures / sizeof fixtures[0]))

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The fixture's splitters and params; 0 on success. */
static int load_fixture(const char *path, uint64_t **v, size_t *n, uint32_t *k, uint32_t *s)
{
    int st = 0;
    ragc_archive *a = ragc_open(path, &st);
    if (!a)
        return -1;
    const ragc_params *p = ragc_get_params(a);
    *k = p->kmer_length;
    *s = p->segment_size;
    ragc_close(a);

    rg_io *io = rg_io_open_file(path);
    if (!io)
        return -1;
    rg_container c;
    if (rg_container_open(&c, io) != 0) {
        rg_io_close(io);
        return -1;
    }
    uint8_t *data = NULL;
    size_t len = 0;
    uint64_t meta = 0;
    int r = rg_container_read_named(&c, "splitters", &data, &len, &meta);
    rg_container_free(&c);
    rg_io_close(io);
    if (r != 0 || len % 8 != 0 || meta != len / 8) {
        free(data);
        return -1;
    }
    *n = len / 8;
    *v = malloc((*n ? *n : 1) * sizeof **v);
    for (size_t i = 0; i < *n; i++) {
        uint64_t x = 0;
        for (int b = 0; b < 8; b++)
            x |= (uint64_t)data[8 * i + (size_t)b] << (8 * b);
        (*v)[i] = x;
    }
    free(data);
    return 0;
}

static int same(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

static void diag_diff(const uint64_t *got, size_t ng, const uint64_t *want, size_t nw)
{
    tap_diag("got %zu splitters, expected %zu", ng, nw);
    for (size_t i = 0; i < ng && i < nw; i++)
        if (got[i] != want[i]) {
            tap_diag("first difference at %zu: %016llx vs %016llx", i,
                     (unsigned long long)got[i], (unsigned long long)want[i]);
            break;
        }
}

/* ---- the reference algorithm, literally --------------------------------- */

static uint64_t ref_kmer(const uint8_t *s, uint32_t k)   /* s[0, k) in 0..3 */
{
    uint64_t f = 0, r = 0;
    for (uint32_t i = 0; i < k; i++) {
        f = (f << 2) | s[i];
        r = (r << 2) | (uint64_t)(3 - s[k - 1 - i]);
    }
    if (k < 32) {
        f <<= 64 - 2 * k;
        r <<= 64 - 2 * k;
    }
    return f < r ? f : r;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void ref_splitters(const uint8_t *codes, const size_t *starts, size_t nc, uint32_t k,
                          uint32_t seg, uint64_t **out, size_t *nout)
{
    size_t total = starts[nc] + 1, n = 0;
    uint64_t *all = malloc(total * sizeof *all);
    /* pass 1: every full canonical k-mer (no non-ACGT inside) */
    for (size_t c = 0; c < nc; c++) {
        uint32_t run = 0;
        for (size_t i = starts[c]; i < starts[c + 1]; i++) {
            run = codes[i] > 3 ? 0 : run + 1;
            if (run >= k)
                all[n++] = ref_kmer(codes + i + 1 - k, k);
        }
    }
    qsort(all, n, sizeof *all, cmp_u64);
    size_t ns = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && all[j] == all[i])
            j++;
        if (j == i + 1)
            all[ns++] = all[i];
        i = j;
    }
    /* pass 2 */
    uint64_t *res = malloc(total * sizeof *res), *recent = malloc(total * sizeof *recent);
    size_t nr = 0;
    for (size_t c = 0; c < nc; c++) {
        uint64_t current_len = seg;
        size_t n_recent = 0;
        uint32_t len = 0;
        for (size_t i = starts[c]; i < starts[c + 1]; i++) {
            if (codes[i] > 3) {
                len = 0;
            } else {
                if (len < k)
                    len++;
                if (len == k) {
                    uint64_t v = ref_kmer(codes + i + 1 - k, k);
                    recent[n_recent++] = v;
                    if (current_len >= seg && bsearch(&v, all, ns, sizeof *all, cmp_u64)) {
                        res[nr++] = v;
                        current_len = 0;
                        len = 0;
                        n_recent = 0;
                    }
                }
            }
            current_len++;
        }
        for (size_t q = n_recent; q-- > 0;)
            if (bsearch(&recent[q], all, ns, sizeof *all, cmp_u64)) {
                res[nr++] = recent[q];
                break;
            }
    }
    qsort(res, nr, sizeof *res, cmp_u64);
    size_t o = 0;
    for (size_t i = 0; i < nr; i++)
        if (!o || res[o - 1] != res[i])
            res[o++] = res[i];
    free(all);
    free(recent);
    *out = res;
    *nout = o;
}

/* ---- random references --------------------------------------------------- */

static uint64_t rng = 88172645463325252ULL;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* Random contigs with repeats, reverse-complement copies, N runs, IUPAC codes. */
static void make_ref(uint8_t *codes, size_t *starts, size_t *nc, size_t max_len, int alphabet)
{
    size_t n = 0, c = 0;
    size_t n_ctg = 1 + rnd(5);
    starts[0] = 0;
    for (c = 0; c < n_ctg; c++) {
        size_t len = rnd(6) == 0 ? rnd(40) : rnd((uint32_t)(max_len / n_ctg) + 1);
        size_t s = n;
        while (n - s < len) {
            uint32_t what = rnd(20);
            size_t room = len - (n - s);
            if (what == 0) {   /* N run */
                size_t l = 1 + rnd(30);
                for (size_t i = 0; i < l && i < room; i++)
                    codes[n++] = 4;
            } else if (what == 1) {   /* an IUPAC code */
                codes[n++] = (uint8_t)(5 + rnd(11));
            } else if (what <= 4 && n > 100) {   /* repeat of earlier data */
                size_t l = 20 + rnd(200), from = rnd((uint32_t)(n - 50));
                for (size_t i = 0; i < l && i < room && from + i < n; i++)
                    codes[n++] = codes[from + i];
            } else if (what <= 6 && n > 100) {   /* reverse complement copy */
                size_t l = 20 + rnd(200), from = rnd((uint32_t)(n - 50)) + 40;
                for (size_t i = 0; i < l && i < room && i <= from; i++) {
                    uint8_t x = codes[from - i];
                    codes[n++] = x < 4 ? (uint8_t)(3 - x) : x;
                }
            } else {
                size_t l = 1 + rnd(100);
                for (size_t i = 0; i < l && i < room; i++)
                    codes[n++] = (uint8_t)rnd((uint32_t)alphabet);
            }
        }
        starts[c + 1] = n;
    }
    *nc = n_ctg;
}

/* A reference whose k-mers cannot be counted: pass 1 never splits a
   counting bucket, and a round's hash table indexes its entries with 32
   bits, so one k-mer occurring 2^31 - 1 times or more is refused as input
   agc's layout cannot be computed for (RAGC_ERR_INPUT, not out of memory).
   The smallest such reference is a poly-A of 2^31 + 29 bases; it is mapped
   read-only from /dev/zero (code 0 is A), so it costs no memory, only the
   histogram scan (~13 s).  A shorter poly-A is no error: it has no
   singleton k-mer, so no splitters (the whole reference is one segment).
   (Just below the limit the reference would be counted, in a round of
   2^31 entries, 32 GB: not tested.) */
static void too_repetitive(void)
{
    const size_t k = 31, len = ((size_t)1 << 31) - 1 + (k - 1);
    int fd = open("/dev/zero", O_RDONLY);
    uint8_t *codes = fd < 0 ? MAP_FAILED : mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    if (!tap_ok(codes != MAP_FAILED, "a 2 Gbase poly-A mapped from /dev/zero")) {
        tap_ok(0, "(skipped: too repetitive)");
        tap_ok(0, "(skipped: shorter poly-A)");
        if (fd >= 0)
            close(fd);
        return;
    }
    uint64_t *v = NULL;
    size_t n = 0, st[2] = { 0, len };
    rg_splitter_opts o = { (uint32_t)k, 60000, 1, 0, 0, 0 };
    tap_is_int(rg_splitters_find_codes(codes, st, 1, &o, &v, &n), RAGC_ERR_INPUT,
               "one k-mer 2^31 - 1 times: RAGC_ERR_INPUT");
    st[1] = (size_t)1 << 20;
    int r = rg_splitters_find_codes(codes, st, 1, &o, &v, &n);
    tap_ok(r == 0 && n == 0 && v == NULL, "a 1 Mbase poly-A: no splitters, no error (r=%d)", r);
    free(v);
    munmap(codes, len);
    close(fd);
}

int main(void)
{
    tap_need_shared();
    tap_plan(N_FIX * 3 + 1 + 4 + 8 + 3);

    /* 1. fixtures */
    for (int i = 0; i < N_FIX; i++) {
        const fixture_t *fx = &fixtures[i];
        char apath[4096], rpath[4096];
        char arel[256];
        snprintf(arel, sizeof arel, "compat/archives/%s.agc", fx->id);
        if (!tap_need_data(3, fx->id, arel, fx->ref, NULL))
            continue;
        tap_shared_path(apath, sizeof apath, arel);
        tap_shared_path(rpath, sizeof rpath, fx->ref);
        uint64_t *want = NULL, *got = NULL;
        size_t nw = 0, ng = 0;
        uint32_t k = 0, s = 0;
        if (load_fixture(apath, &want, &nw, &k, &s) != 0 || k != fx->k || s != fx->s) {
            tap_ok(0, "%s: fixture readable with k=%u s=%u", fx->id, fx->k, fx->s);
            tap_diag("k %u s %u", k, s);
            tap_ok(0, "%s: (skipped)", fx->id);
            tap_ok(0, "%s: (skipped)", fx->id);
            free(want);
            continue;
        }
        double t0 = now();
        int r = rg_splitters_find(rpath, k, s, 1, &got, &ng);
        double t1 = now();
        if (!tap_ok(r == 0 && same(got, ng, want, nw), "%s: %zu splitters equal (k=%u, s=%u)",
                    fx->id, nw, k, s))
            diag_diff(got, ng, want, nw);
        tap_diag("%s: %.3f s single-threaded", fx->id, t1 - t0);
        free(got);
        got = NULL;

        r = rg_splitters_find(rpath, k, s, 3, &got, &ng);
        if (!tap_ok(r == 0 && same(got, ng, want, nw), "%s: equal with 3 threads", fx->id))
            diag_diff(got, ng, want, nw);
        free(got);
        got = NULL;

        /* many small counting rounds */
        rg_splitter_opts o = {k, s, 2, 0, 0, 0};
        o.max_round_entries = strstr(fx->ref, "senterica") ? 400000
                              : strstr(fx->ref, "ce.fa")   ? 50000
                                                           : 500;
        r = rg_splitters_find_opts(rpath, &o, &got, &ng);
        if (!tap_ok(r == 0 && same(got, ng, want, nw), "%s: equal with rounds of %zu k-mers",
                    fx->id, o.max_round_entries))
            diag_diff(got, ng, want, nw);
        free(got);
        free(want);
    }

    /* 2. random references against the literal algorithm */
    {
        const uint32_t ks[] = {1, 2, 3, 5, 8, 11, 15, 16, 17, 21, 25, 31, 32};
        const uint32_t ss[] = {1, 2, 7, 50, 300, 2000, 60000};
        size_t max_len = 40000;
        uint8_t *codes = malloc(max_len + 64);
        size_t starts[8], nc;
        int bad = 0, runs = 0;
        for (int it = 0; it < 300 && bad < 5; it++) {
            uint32_t k = ks[rnd(sizeof ks / sizeof ks[0])];
            uint32_t s = ss[rnd(sizeof ss / sizeof ss[0])];
            size_t len = it < 100 ? 2000 : max_len;
            make_ref(codes, starts, &nc, len, rnd(3) == 0 ? 2 : 4);
            uint64_t *want, *got = NULL;
            size_t nw, ng = 0;
            ref_splitters(codes, starts, nc, k, s, &want, &nw);
            size_t n_pos = starts[nc];
            const size_t budgets[3] = {0, n_pos < 3000 ? 1 : n_pos / 7 + 1, 97};
            const int threads[3] = {1, 3, 2};
            for (int v = 0; v < 3; v++) {
                rg_splitter_opts o = {k, s, threads[v], budgets[v], 0, 0};
                int r = rg_splitters_find_codes(codes, starts, nc, &o, &got, &ng);
                runs++;
                if (r != 0 || !same(got, ng, want, nw)) {
                    if (bad++ < 3) {
                        tap_diag("random case %d (k=%u s=%u contigs=%zu len=%zu threads=%d "
                                 "rounds of %zu): r=%d",
                                 it, k, s, nc, n_pos, threads[v], budgets[v], r);
                        diag_diff(got, ng, want, nw);
                    }
                }
                free(got);
                got = NULL;
            }
            free(want);
        }
        tap_ok(bad == 0, "random references: %d runs equal to the literal algorithm", runs);

        /* contigs that do not start at codes[0] */
        size_t shifted[8];
        make_ref(codes + 10, starts, &nc, 20000, 4);
        for (size_t c = 0; c <= nc; c++)
            shifted[c] = starts[c] + 10;
        memset(codes, 4, 10);
        uint64_t *want, *got;
        size_t nw, ng;
        ref_splitters(codes + 10, starts, nc, 21, 100, &want, &nw);
        rg_splitter_opts o = {21, 100, 2, 1000, 0, 0};
        int r = rg_splitters_find_codes(codes, shifted, nc, &o, &got, &ng);
        tap_ok(r == 0 && same(got, ng, want, nw) && nw > 10,
               "contigs at an offset in the code buffer (%zu splitters)", nw);
        free(want);
        free(got);

        /* one contig, no singletons: no splitters */
        for (size_t i = 0; i < 5000; i++)
            codes[i] = (uint8_t)(i % 4);
        size_t st1[2] = {0, 5000};
        o = (rg_splitter_opts){31, 10, 1, 0, 0, 0};
        r = rg_splitters_find_codes(codes, st1, 1, &o, &got, &ng);
        tap_ok(r == 0 && ng == 0 && got == NULL, "a periodic contig has no splitters");
        free(got);

        /* no contigs / only empty contigs */
        size_t st0[3] = {0, 0, 0};
        r = rg_splitters_find_codes(codes, st0, 2, &o, &got, &ng);
        tap_ok(r == 0 && ng == 0, "empty contigs: no splitters");
        free(got);

        /* S = 1: splitters right after each other, but never overlapping */
        for (size_t i = 0; i < 3000; i++)
            codes[i] = (uint8_t)rnd(4);
        st1[1] = 3000;
        o = (rg_splitter_opts){15, 1, 2, 0, 0, 0};
        r = rg_splitters_find_codes(codes, st1, 1, &o, &got, &ng);
        ref_splitters(codes, st1, 1, 15, 1, &want, &nw);
        tap_ok(r == 0 && same(got, ng, want, nw) && nw >= 150, "s=1: %zu splitters", nw);
        free(want);
        free(got);
        free(codes);
    }

    /* 3. errors */
    {
        char path[4096];
        tap_shared_path(path, sizeof path, "data/toy/ref.fa");
        uint64_t *v = (uint64_t *)1;
        size_t n = 7;
        int lvl = hts_get_log_level();
        hts_set_log_level(HTS_LOG_OFF);
        tap_is_int(rg_splitters_find(path, 0, 100, 1, &v, &n), RAGC_ERR_ARG, "k = 0 refused");
        tap_ok(v == NULL && n == 0, "outputs cleared on error");
        tap_is_int(rg_splitters_find(path, 33, 100, 1, &v, &n), RAGC_ERR_ARG, "k = 33 refused");
        tap_is_int(rg_splitters_find(path, 31, 0, 1, &v, &n), RAGC_ERR_ARG, "s = 0 refused");
        tap_is_int(rg_splitters_find("/nonexistent/ref.fa", 31, 100, 1, &v, &n), RAGC_ERR_IO,
                   "missing reference: RAGC_ERR_IO");
        tap_shared_path(path, sizeof path, "data/fasta-edge/samtools.depad.001.fa");
        tap_is_int(rg_splitters_find(path, 31, 100, 1, &v, &n), RAGC_ERR_FORMAT,
                   "a reference rg_fasta_in refuses: RAGC_ERR_FORMAT");
        tap_is_int(rg_splitters_find_opts(path, NULL, &v, &n), RAGC_ERR_ARG, "NULL options");
        too_repetitive();
        hts_set_log_level(lvl);
        /* k = 32 works end to end from a file */
        tap_shared_path(path, sizeof path, "data/hsmt-50/HG00140.fa");
        int r = rg_splitters_find(path, 32, 1000, 2, &v, &n);
        int sorted = 1;
        for (size_t i = 1; i < n; i++)
            sorted &= v[i - 1] < v[i];
        tap_ok(r == 0 && n > 5 && sorted, "k = 32 from a file: %zu sorted splitters", n);
        free(v);
    }
    return tap_done();
}
