/* test_merge.c -- archives written by ragc_merge have the structure agc's
   reader and appender require (docs: agc-format.md sections 11.4, 11.5 and
   17.1), checked on the stored streams themselves:
     - group ids are contiguous from 0: the streams of groups 0 .. n-1 are
       there and no other group stream is; the 16 raw groups have their
       delta stream and no reference stream;
     - every LZ group (id >= 16) has exactly one reference part;
     - in every delta stream every pack but the last holds exactly P items
       (the packs decoded with the library's internals), the last 1..P;
     - every segment descriptor's (group, in-group id) names an existing
       item (raw: id < items; LZ: 0 is the reference, i >= 1 item i - 1),
       and decodes to raw_length codes;
     - segment-splitters holds each pair once and names only existing
       groups (LZ groups; the raw key a raw group);
     - the collection is cut in batches of P samples (agc-format.md 8.2);
     - the samples are those of the inputs, in input order.
   The cases use the core test data (hsmt-50, always there): shards of a
   base made with ragc_create_like, independent archives, a merge of a
   merged archive, chromosome shards of PanSN samples joined with
   by_contig (their contigs then in input order), default and small
   segments and packs (-s 500 -b 3, so that packs are cut again where the
   members of several inputs join a group).  The same checks run on a single
   ragc_create of the same files, which agc is known to read: a check that
   fails there is a bug of this test. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ragc.h"
#include "archive.h"
#include "collection.h"
#include "container.h"
#include "segment.h"
#include "tap.h"
#include "varint.h"

#define N_FILES 10
static const char *const HSMT[N_FILES] = { "HG00140", "HG00178", "HG00356", "HG00365", "HG00513",
                                           "HG00599", "HG00629", "HG01119", "HG01284", "HG01372" };
static char *hsmt_path[N_FILES];
static char tmpdir[] = "/tmp/ragc-merge-XXXXXX";

#define CHECKS 8   /* tap lines of check_structure */

/* What one structural walk over an archive found (the first few problems
   are printed as diagnostics). */
typedef struct {
    uint32_t n_groups;
    uint64_t *items;       /* delta-stream items of each group */
    int groups_ok;         /* contiguous ids, raw groups' delta streams, no stray stream */
    int refs_ok;           /* one reference part a LZ group */
    int packs_ok;          /* P items a pack but the last */
    int descs_ok;          /* descriptors point at items and decode to their length */
    int keys_ok;           /* segment-splitters: each pair once, naming an existing group */
    int batches_ok;        /* collection parts of P samples but the last */
    uint64_t n_desc, n_full_packs, n_keys, unkeyed;
} walk;

/* Clears *flag and prints the problem (the first 20 of the run). */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void problem(int *flag, const char *fmt, ...)
{
    static int shown;
    *flag = 0;
    if (shown++ >= 20)
        return;
    va_list ap;
    va_start(ap, fmt);
    tap_vdiag(fmt, ap);
    va_end(ap);
}

typedef unsigned long long ull;

/* Group ids from 0 while either stream exists (agc's append probes so);
   every stream named x... must be one of them. */
static void check_group_ids(ragc_archive *arc, const char *what, walk *w)
{
    const rg_container *ctr = &arc->ctr;
    uint32_t fv = arc->params.file_version;
    char rn[32], dn[32];
    uint32_t g = 0;
    int found = 0;
    for (;; g++) {
        rg_group_stream_name(rn, g, 1, fv);
        rg_group_stream_name(dn, g, 0, fv);
        int ir = rg_container_find(ctr, rn), id = rg_container_find(ctr, dn);
        if (ir < 0 && id < 0)
            break;
        found += (ir >= 0) + (id >= 0);
        if (g < RG_RAW_GROUPS && (id < 0 || ir >= 0))
            problem(&w->groups_ok, "%s: raw group %u: delta stream %s, reference stream %s", what, g,
                    id < 0 ? "missing" : "there", ir >= 0 ? "there" : "absent");
    }
    w->n_groups = g;
    if (g < RG_RAW_GROUPS)
        problem(&w->groups_ok, "%s: only %u groups (fewer than the %d raw ones)", what, g, RG_RAW_GROUPS);
    int streams = 0;
    for (int s = 0; s < ctr->n_streams; s++)
        if (ctr->streams[s].name[0] == 'x')
            streams++;
    if (streams != found)
        problem(&w->groups_ok, "%s: %d group streams, only %d of them of groups 0 .. %u (ids not contiguous)",
                what, streams, found, g - 1);
}

/* Counts the items of every delta stream; every pack but the last holds P. */
static void check_packs(ragc_archive *arc, const char *what, walk *w)
{
    const rg_container *ctr = &arc->ctr;
    uint32_t fv = arc->params.file_version, P = arc->params.pack_cardinality;
    char name[32];
    w->items = calloc(w->n_groups ? w->n_groups : 1, sizeof(uint64_t));
    for (uint32_t g = 0; g < w->n_groups; g++) {
        if (g >= RG_RAW_GROUPS) {
            rg_group_stream_name(name, g, 1, fv);
            int ir = rg_container_find(ctr, name);
            if (ir < 0 || ctr->streams[ir].n_parts != 1) {
                problem(&w->refs_ok, "%s: LZ group %u has %llu reference parts (must be 1)", what, g,
                        ir < 0 ? 0 : (ull)ctr->streams[ir].n_parts);
            } else {
                uint8_t *data, *codes;
                size_t len, n;
                uint64_t meta;
                if (rg_container_read_part(ctr, ir, 0, &data, &len, &meta) < 0
                    || rg_decode_reference_part(NULL, data, len, meta, &codes, &n) < 0)
                    problem(&w->refs_ok, "%s: LZ group %u: the reference part does not decode", what, g);
                else
                    free(codes);
            }
        }
        rg_group_stream_name(name, g, 0, fv);
        int id = rg_container_find(ctr, name);
        if (id < 0)
            continue;   /* a LZ group without deltas (raw groups: check_group_ids) */
        uint64_t parts = ctr->streams[id].n_parts;
        for (uint64_t p = 0; p < parts; p++) {
            uint8_t *data, *pack;
            size_t len, n;
            uint64_t meta;
            uint32_t *ends = NULL;
            if (rg_container_read_part(ctr, id, p, &data, &len, &meta) < 0
                || rg_decode_pack_part(NULL, data, len, meta, &pack, &n) < 0) {
                problem(&w->packs_ok, "%s: group %u: pack %llu does not decode", what, g, (ull)p);
                continue;
            }
            int64_t items = rg_pack_index(pack, n, &ends);
            free(ends);
            free(pack);
            if (items < 0) {
                problem(&w->packs_ok, "%s: group %u: pack %llu cannot be indexed", what, g, (ull)p);
                continue;
            }
            int last = p + 1 == parts;
            if ((!last && (uint64_t)items != P) || (last && (items < 1 || (uint64_t)items > P)))
                problem(&w->packs_ok, "%s: group %u: pack %llu of %llu holds %lld items (P = %u)", what, g,
                        (ull)p, (ull)parts, (long long)items, P);
            if (!last)
                w->n_full_packs++;
            w->items[g] += (uint64_t)items;
        }
    }
}

/* Every descriptor points at an existing item and decodes to raw_length. */
static void check_descriptors(ragc_archive *arc, const char *what, walk *w)
{
    ragc_decoder *dec = ragc_decoder_init(arc, 0);
    if (!dec) {
        problem(&w->descs_ok, "%s: no decoder", what);
        return;
    }
    rg_collection *col = &arc->col;
    for (uint64_t s = 0; s < col->n_samples; s++) {
        if (rg_collection_ensure(col, s) < 0) {
            problem(&w->descs_ok, "%s: sample %llu does not load", what, (ull)s);
            continue;
        }
        const rg_sample *sm = &col->samples[s];
        for (uint32_t c = 0; c < sm->n_contigs; c++)
            for (uint32_t k = 0; k < sm->contigs[c].n_seg; k++) {
                const rg_seg *sg = &sm->contigs[c].seg[k];
                w->n_desc++;
                uint32_t g = sg->group_id;
                uint64_t i = sg->in_group_id;
                if (g >= w->n_groups) {
                    problem(&w->descs_ok, "%s: a descriptor names group %u of %u", what, g, w->n_groups);
                    continue;
                }
                int exists = g < RG_RAW_GROUPS ? i < w->items[g] : (i == 0 || i - 1 < w->items[g]);
                if (!exists) {
                    problem(&w->descs_ok, "%s: a descriptor names item %llu of group %u (%llu delta items)",
                            what, (ull)i, g, (ull)w->items[g]);
                    continue;
                }
                const uint8_t *codes;
                size_t len;
                if (rg_segment_decode(dec, sg, &codes, &len) < 0 || len != sg->raw_length)
                    problem(&w->descs_ok, "%s: segment (%u, %llu) does not decode to its raw_length %u", what,
                            g, (ull)i, sg->raw_length);
            }
    }
    ragc_decoder_destroy(dec);
}

static int key_cmp(const void *a, const void *b)
{
    return memcmp(a, b, 16);   /* the pair only: equal pairs sort together */
}

/* segment-splitters: u64le kmer1, u64le kmer2, u32le group.  Each pair
   once (agc keeps them in a map); a pair names a LZ group, but for the raw
   key (all ones, all ones), which names a raw group.  A LZ group may have
   no key: when two inputs opened groups for the same pair, the first
   input's group keeps it (merge_collection.c) and appends join that one;
   they are counted in w->unkeyed. */
static void check_keys(ragc_archive *arc, const char *what, walk *w)
{
    uint8_t *data;
    size_t len;
    uint64_t n;
    if (rg_container_read_records(&arc->ctr, "segment-splitters", 20, &data, &len, &n) < 0) {
        problem(&w->keys_ok, "%s: segment-splitters cannot be read", what);
        return;
    }
    w->n_keys = n;
    uint8_t *seen = calloc(w->n_groups ? w->n_groups : 1, 1);
    uint8_t *pairs = malloc(n ? n * 16 : 1);
    static const uint8_t raw_key[16] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    for (uint64_t k = 0; k < n; k++) {
        const uint8_t *e = data + 20 * k;
        uint32_t g = (uint32_t)e[16] | (uint32_t)e[17] << 8 | (uint32_t)e[18] << 16 | (uint32_t)e[19] << 24;
        int is_raw_key = memcmp(e, raw_key, 16) == 0;
        memcpy(pairs + 16 * k, e, 16);
        if (g >= w->n_groups || (g < RG_RAW_GROUPS) != is_raw_key)
            problem(&w->keys_ok, "%s: segment-splitters: a %s key names group %u (of %u)", what,
                    is_raw_key ? "raw" : "splitter pair", g, w->n_groups);
        else
            seen[g] = 1;
    }
    for (uint32_t g = RG_RAW_GROUPS; g < w->n_groups; g++)
        w->unkeyed += !seen[g];
    if (n > 1)
        qsort(pairs, n, 16, key_cmp);
    for (uint64_t k = 1; k < n; k++)
        if (memcmp(pairs + 16 * (k - 1), pairs + 16 * k, 16) == 0)
            problem(&w->keys_ok, "%s: segment-splitters: a pair is there twice", what);
    free(pairs);
    free(seen);
    free(data);
}

/* The collection's batches: ceil(n / P) parts of collection-contigs and of
   collection-details, part b describing samples [b P, min((b + 1) P, n))
   (agc-format.md 8.2: readers find sample i in part i / P). */
static void check_batches(ragc_archive *arc, const char *what, walk *w)
{
    const rg_container *ctr = &arc->ctr;
    uint64_t n = arc->col.n_samples, P = arc->params.pack_cardinality;
    uint64_t want = (n + P - 1) / P;
    int sc = rg_container_find(ctr, "collection-contigs"), sd = rg_container_find(ctr, "collection-details");
    if (sc < 0 || sd < 0 || ctr->streams[sc].n_parts != want || ctr->streams[sd].n_parts != want) {
        problem(&w->batches_ok, "%s: %llu samples, P = %llu: collection-contigs has %llu parts, "
                "collection-details %llu (must be %llu each)", what, (ull)n, (ull)P,
                sc < 0 ? 0 : (ull)ctr->streams[sc].n_parts, sd < 0 ? 0 : (ull)ctr->streams[sd].n_parts,
                (ull)want);
        return;
    }
    for (uint64_t b = 0; b < want; b++) {
        uint8_t *raw;
        size_t len;
        uint32_t in_batch = 0;
        if (rg_collection_read_zstd_part(ctr, sc, b, &raw, &len) < 0) {
            problem(&w->batches_ok, "%s: collection-contigs part %llu does not decode", what, (ull)b);
            continue;
        }
        rg_cursor c = { raw, raw + len };
        uint64_t expect = b + 1 < want ? P : n - b * P;
        if (rg_read_cvar(&c, &in_batch) < 0 || in_batch != expect)
            problem(&w->batches_ok, "%s: collection-contigs part %llu describes %u samples (must be %llu)",
                    what, (ull)b, in_batch, (ull)expect);
        free(raw);
    }
}

/* All the checks of one archive, as TAP lines. */
static void check_structure(const char *path, const char *what, const char *const *names, size_t n_names)
{
    int st;
    ragc_archive *arc = ragc_open(path, &st);
    if (!tap_ok(arc != NULL, "%s: opens", what)) {
        tap_diag("%s: %s", path, ragc_errmsg(st));
        for (int i = 0; i < CHECKS - 1; i++)
            tap_ok(0, "%s: (not checked)", what);
        return;
    }
    walk w = { 0 };
    w.groups_ok = w.refs_ok = w.packs_ok = w.descs_ok = w.keys_ok = w.batches_ok = 1;
    check_group_ids(arc, what, &w);
    check_packs(arc, what, &w);
    check_descriptors(arc, what, &w);
    check_keys(arc, what, &w);
    check_batches(arc, what, &w);
    tap_ok(w.groups_ok, "%s: group ids contiguous from 0 (%u groups), the 16 raw groups' delta streams there",
           what, w.n_groups);
    tap_ok(w.refs_ok, "%s: every LZ group has exactly one reference part", what);
    tap_ok(w.packs_ok, "%s: every pack but the last of a delta stream holds P = %u items (%llu full packs)",
           what, arc->params.pack_cardinality, (unsigned long long)w.n_full_packs);
    tap_ok(w.descs_ok, "%s: all %llu segment descriptors name existing items and decode to raw_length",
           what, (unsigned long long)w.n_desc);
    tap_ok(w.keys_ok, "%s: segment-splitters (%llu keys): each pair once, naming an existing group", what,
           (unsigned long long)w.n_keys);
    if (w.unkeyed)
        tap_diag("%s: %llu LZ groups without a key (an earlier input's group has their pair)", what,
                 (unsigned long long)w.unkeyed);
    tap_ok(w.batches_ok, "%s: collection batches of P samples (the last: the rest)", what);
    int names_ok = ragc_n_samples(arc) == (int64_t)n_names;
    for (size_t i = 0; names_ok && i < n_names; i++) {
        const char *s = ragc_sample_name(arc, (int64_t)i);
        names_ok = s && strcmp(s, names[i]) == 0;
    }
    if (!tap_ok(names_ok, "%s: %zu samples, in input order", what, n_names))
        tap_diag("got %lld samples", (long long)ragc_n_samples(arc));
    free(w.items);
    ragc_close(arc);
}

static char *out_path(const char *name)
{
    size_t n = strlen(tmpdir) + strlen(name) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", tmpdir, name);
    return p;
}

static void opts_for(ragc_create_opts *o, int small)
{
    ragc_create_opts_init(o);
    o->threads = 2;
    if (small) {
        o->segment_size = 500;
        o->pack_cardinality = 3;
    }
}

/* Base of files [0, 3), shards [3, 5) and [5, 9), merged; and a single
   create of the 9 files.  Checks both. */
static void shard_case(int small)
{
    const char *tag = small ? "-s 500 -b 3" : "default parameters";
    ragc_create_opts o;
    opts_for(&o, small);
    char *base = out_path("base.agc"), *s1 = out_path("s1.agc"), *s2 = out_path("s2.agc"),
         *m = out_path("m.agc"), *single = out_path("single.agc");
    int r = ragc_create(base, hsmt_path, 3, &o);
    if (r == RAGC_OK)
        r = ragc_create_like(base, s1, hsmt_path + 3, 2, &o);
    if (r == RAGC_OK)
        r = ragc_create_like(base, s2, hsmt_path + 5, 4, &o);
    if (r == RAGC_OK) {
        ragc_merge_opts mo;
        ragc_merge_opts_init(&mo);
        mo.threads = 2;
        char *in[3] = { base, s1, s2 };
        r = ragc_merge(m, in, 3, &mo);
    }
    if (!tap_ok(r == RAGC_OK, "shards (%s): base, two create_like, merge", tag))
        tap_diag("%s", ragc_errmsg(r));
    char what[128];
    snprintf(what, sizeof what, "merged shards (%s)", tag);
    check_structure(m, what, HSMT, 9);
    r = ragc_create(single, hsmt_path, 9, &o);
    tap_ok(r == RAGC_OK, "single create (%s)", tag);
    snprintf(what, sizeof what, "control: single create (%s)", tag);
    check_structure(single, what, HSMT, 9);
    unlink(base), unlink(s1), unlink(s2), unlink(m), unlink(single);
    free(base), free(s1), free(s2), free(m), free(single);
}

/* Independent archives of files [0, 4) and [4, 9), merged. */
static void independent_case(int small)
{
    const char *tag = small ? "-s 500 -b 3" : "default parameters";
    ragc_create_opts o;
    opts_for(&o, small);
    char *a = out_path("a.agc"), *b = out_path("b.agc"), *m = out_path("ab.agc");
    int r = ragc_create(a, hsmt_path, 4, &o);
    if (r == RAGC_OK)
        r = ragc_create(b, hsmt_path + 4, 5, &o);
    if (r == RAGC_OK) {
        ragc_merge_opts mo;
        ragc_merge_opts_init(&mo);
        mo.threads = 2;
        char *in[2] = { b, a };   /* not name order: the stored order is the input order */
        r = ragc_merge(m, in, 2, &mo);
    }
    if (!tap_ok(r == RAGC_OK, "independent archives (%s): two creates, merged second first", tag))
        tap_diag("%s", ragc_errmsg(r));
    char what[128];
    snprintf(what, sizeof what, "merged independent archives (%s)", tag);
    const char *order[9];
    for (int i = 0; i < 9; i++)
        order[i] = HSMT[i < 5 ? i + 4 : i - 5];
    check_structure(m, what, order, 9);
    unlink(a), unlink(b), unlink(m);
    free(a), free(b), free(m);
}

/* Merge of a merge: the base, its merged shards, then an independent
   archive: groups renumbered twice. */
static void merge_of_merge_case(void)
{
    ragc_create_opts o;
    opts_for(&o, 1);
    char *base = out_path("base.agc"), *s1 = out_path("s1.agc"), *m1 = out_path("m1.agc"),
         *c = out_path("c.agc"), *m2 = out_path("m2.agc");
    ragc_merge_opts mo;
    ragc_merge_opts_init(&mo);
    int r = ragc_create(base, hsmt_path, 3, &o);
    if (r == RAGC_OK)
        r = ragc_create_like(base, s1, hsmt_path + 3, 3, &o);
    if (r == RAGC_OK) {
        char *in[2] = { base, s1 };
        r = ragc_merge(m1, in, 2, &mo);
    }
    if (r == RAGC_OK)
        r = ragc_create(c, hsmt_path + 6, 4, &o);
    if (r == RAGC_OK) {
        char *in[2] = { m1, c };
        r = ragc_merge(m2, in, 2, &mo);
    }
    if (!tap_ok(r == RAGC_OK, "merge of a merged archive and an independent one (-s 500 -b 3)"))
        tap_diag("%s", ragc_errmsg(r));
    check_structure(m2, "merge of a merge (-s 500 -b 3)", HSMT, 10);
    unlink(base), unlink(s1), unlink(m1), unlink(c), unlink(m2);
    free(base), free(s1), free(m1), free(c), free(m2);
}

/* The sequence of a one-record FASTA file, its line breaks removed. */
static char *read_sequence(const char *path, size_t *n)
{
    size_t len;
    char *text = tap_slurp(path, &len);
    if (!text)
        return NULL;
    char *p = memchr(text, '\n', len);
    size_t o = 0;
    for (size_t i = p ? (size_t)(p - text) + 1 : len; i < len; i++)
        if (text[i] != '\n' && text[i] != '\r')
            text[o++] = text[i];
    text[o] = '\0';
    *n = o;
    return text;
}

/* chromosome files: for each of the first n hsmt files, record
   SAMPLE#1#chrA (the first half) in chrA, SAMPLE#1#chrB (the rest) in chrB. */
static int write_chromosomes(const char *chr_a, const char *chr_b, int n)
{
    FILE *fa = fopen(chr_a, "w"), *fb = fopen(chr_b, "w");
    int ok = fa && fb;
    for (int i = 0; ok && i < n; i++) {
        size_t len;
        char *q = read_sequence(hsmt_path[i], &len);
        if (!q) {
            ok = 0;
            break;
        }
        int h = (int)(len / 2);
        fprintf(fa, ">%s#1#chrA\n%.*s\n", HSMT[i], h, q);
        fprintf(fb, ">%s#1#chrB\n%s\n", HSMT[i], q + h);
        free(q);
    }
    if (fa && fclose(fa) != 0)
        ok = 0;
    if (fb && fclose(fb) != 0)
        ok = 0;
    return ok;
}

/* Chromosome shards of PanSN samples joined with by_contig: the structure,
   and each sample's contigs chrA then chrB. */
static void by_contig_case(int small)
{
    const char *tag = small ? "-s 500 -b 3" : "default parameters";
    ragc_create_opts o;
    opts_for(&o, small);
    o.pansn = 1;
    char *fa = out_path("chrA.fa"), *fb = out_path("chrB.fa"), *a = out_path("chrA.agc"),
         *b = out_path("chrB.agc"), *m = out_path("all.agc");
    int r = write_chromosomes(fa, fb, 5) ? RAGC_OK : RAGC_ERR_IO;
    if (r == RAGC_OK)
        r = ragc_create(a, &fa, 1, &o);
    if (r == RAGC_OK)
        r = ragc_create(b, &fb, 1, &o);
    if (r == RAGC_OK) {
        ragc_merge_opts mo;
        ragc_merge_opts_init(&mo);
        mo.threads = 2;
        mo.by_contig = 1;
        char *in[2] = { a, b };
        r = ragc_merge(m, in, 2, &mo);
    }
    if (!tap_ok(r == RAGC_OK, "chromosome shards (%s): two create --pansn, merge --by-contig", tag))
        tap_diag("%s", ragc_errmsg(r));
    char what[128], names[5][32];
    const char *name_p[5];
    for (int i = 0; i < 5; i++) {
        snprintf(names[i], sizeof names[i], "%s#1", HSMT[i]);
        name_p[i] = names[i];
    }
    snprintf(what, sizeof what, "merged chromosome shards (%s)", tag);
    check_structure(m, what, name_p, 5);
    int st, ok = 0;
    ragc_archive *arc = ragc_open(m, &st);
    if (arc) {
        ok = 1;
        for (int i = 0; ok && i < 5; i++) {
            char want_a[48], want_b[48];
            snprintf(want_a, sizeof want_a, "%s#chrA", names[i]);
            snprintf(want_b, sizeof want_b, "%s#chrB", names[i]);
            const char *ca = ragc_contig_name(arc, i, 0), *cb = ragc_contig_name(arc, i, 1);
            ok = ragc_n_contigs(arc, i) == 2 && ca && cb && !strcmp(ca, want_a) && !strcmp(cb, want_b);
            if (!ok)
                tap_diag("sample %s: %lld contigs, %s, %s", names[i], (long long)ragc_n_contigs(arc, i),
                         ca ? ca : "(none)", cb ? cb : "(none)");
        }
        ragc_close(arc);
    }
    tap_ok(ok, "%s: every sample's contigs are chrA then chrB", what);
    unlink(fa), unlink(fb), unlink(a), unlink(b), unlink(m);
    free(fa), free(fb), free(a), free(b), free(m);
}

/* Archives written by agc: 3.0's append stored wrong segment lengths for
   appended samples (ragc reads them from the decoded segments instead), and
   3.2.2's layout; each merged with an independent ragc archive: the
   merged archive names ragc, so its lengths must be right. */
static void agc_input_case(const char *id, const char *const *names, size_t n_names)
{
    char rel[128], buf[4096];
    snprintf(rel, sizeof rel, "compat/archives/%s.agc", id);
    char *agc = strdup(tap_shared_path(buf, sizeof buf, rel));
    ragc_create_opts o;
    opts_for(&o, 0);
    char *b = out_path("b.agc"), *m = out_path("agc-m.agc");
    int r = ragc_create(b, hsmt_path + 7, 3, &o);
    if (r == RAGC_OK) {
        ragc_merge_opts mo;
        ragc_merge_opts_init(&mo);
        char *in[2] = { agc, b };
        r = ragc_merge(m, in, 2, &mo);
    }
    if (!tap_ok(r == RAGC_OK, "%s (agc) and an independent archive: merge", id))
        tap_diag("%s", ragc_errmsg(r));
    const char *all[16];
    for (size_t i = 0; i < n_names; i++)
        all[i] = names[i];
    for (size_t i = 0; i < 3; i++)
        all[n_names + i] = HSMT[7 + i];
    char what[128];
    snprintf(what, sizeof what, "merged %s and an independent archive", id);
    check_structure(m, what, all, n_names + 3);
    unlink(b), unlink(m);
    free(b), free(m), free(agc);
}


int main(void)
{
    tap_need_shared();
    tap_plan(2 * (1 + 2 * CHECKS + 1) + 2 * (1 + CHECKS) + (1 + CHECKS) + 2 * (1 + CHECKS + 1) + 2 * (1 + CHECKS));
    for (int i = 0; i < N_FILES; i++) {
        char rel[64], buf[4096];
        snprintf(rel, sizeof rel, "data/hsmt-50/%s.fa", HSMT[i]);
        hsmt_path[i] = strdup(tap_shared_path(buf, sizeof buf, rel));
    }
    if (!mkdtemp(tmpdir)) {
        printf("Bail out! mkdtemp\n");
        return 1;
    }
    shard_case(0);
    shard_case(1);
    independent_case(0);
    independent_case(1);
    merge_of_merge_case();
    by_contig_case(0);
    by_contig_case(1);
    agc_input_case("v3.0-hsmt-append", HSMT, 5);
    static const char *const toy[4] = { "ref", "a", "b", "c" };
    agc_input_case("toy", toy, 4);
    rmdir(tmpdir);
    for (int i = 0; i < N_FILES; i++)
        free(hsmt_path[i]);
    return tap_done();
}
