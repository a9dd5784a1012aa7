/* test_writer.c -- the writing side of the format: container writer
   (container_write.h), collection v3 and metadata streams
   (collection_write.h), group parts and tuple packing (segment_write.h).

   1. agc 3.2.2 fixtures (compat/archives: toy, hsmt, hsmt-small,
      sarscov2-s5000, senterica, edge-ok): every collection batch, the sample
      list, params, splitters, segment-splitters and file_type_info are
      re-serialised from what the reader decoded and must equal the fixture's
      bytes before zstd; every LZ group's reference part and every pack is
      re-encoded and must take the same form and decode to the same bytes.
      Then the whole archive is rebuilt through the writer, part by part in
      the fixture's file order, and must have the same directory (names,
      order, part counts), the same decoded parts and the same sequences.
      How many compressed parts came out byte-identical (libzstd here vs
      agc's bundled 1.5.5) is printed as a diagnostic.
   2. Container round trip: streams, buffered and immediate parts, empty
      parts, interleaving, a part larger than the write buffer, several
      threads queueing at once; read back with rg_container_open.
   3. Tuple packing round trips for the four widths and n = 0..20, the worked
      example 3 0 1 2 2 -> C6 02 41, reference/pack part forms on synthetic
      data, and contig-name / in-group-id coding edge cases through a
      synthetic archive read back with ragc_open. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/hts_log.h>
#include <zstd.h>

#include "archive.h"
#include "collection.h"
#include "collection_write.h"
#include "container.h"
#include "container_write.h"
#include "io.h"
#include "ragc.h"
#include "segment.h"
#include "segment_write.h"
#include "tap.h"
#include "varint.h"
#include "zstd_util.h"

static const char *const FIXTURES[] = { "toy", "hsmt", "hsmt-small", "sarscov2-s5000",
                                        "senterica", "edge-ok" };
#define N_FIXTURES 6
#define TESTS_PER_FIXTURE 14
#define N_ROUNDTRIP_TESTS 15
#define N_TUPLE_TESTS 14

static char tmpdir[256];

/* ---- helpers -------------------------------------------------------------- */

static int bytes_eq(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

static int contains(const uint8_t *hay, size_t hn, const uint8_t *needle, size_t nn)
{
    for (size_t i = 0; i + nn <= hn; i++)
        if (memcmp(hay + i, needle, nn) == 0)
            return 1;
    return 0;
}

static uint64_t rd_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* A decoded group part.  form: 0 raw (metadata 0), 1 zstd plain (marker 0),
   2 zstd tuples (marker 1). */
typedef struct {
    uint8_t *data;
    size_t len;
    int form;
} decoded;

static int decode_ref_part(const uint8_t *p, size_t len, uint64_t meta, decoded *d)
{
    memset(d, 0, sizeof *d);
    if (meta == 0) {
        d->data = malloc(len ? len : 1);
        if (len)
            memcpy(d->data, p, len);
        d->len = len;
        return 0;
    }
    if (len < 2)
        return -1;
    uint8_t marker = p[len - 1];
    if (marker == 0) {
        d->form = 1;
        d->len = (size_t)meta;
        return rg_zstd_exact(NULL, p, len - 1, (size_t)meta, &d->data) < 0 ? -1 : 0;
    }
    if (marker != 1)
        return -1;
    d->form = 2;
    uint8_t *t;
    size_t tl;
    if (rg_zstd_bounded(NULL, p, len - 1, (size_t)meta + 1, &t, &tl) < 0)
        return -1;
    d->data = malloc((size_t)meta);
    d->len = (size_t)meta;
    int r = rg_tuples_unpack(t, tl, d->data, (size_t)meta);
    free(t);
    return r;
}

static int decode_pack_part(const uint8_t *p, size_t len, uint64_t meta, decoded *d)
{
    memset(d, 0, sizeof *d);
    if (meta == 0) {
        d->data = malloc(len ? len : 1);
        if (len)
            memcpy(d->data, p, len);
        d->len = len;
        return 0;
    }
    if (len < 2 || p[len - 1] != 0)
        return -1;
    d->form = 1;
    d->len = (size_t)meta;
    return rg_zstd_exact(NULL, p, len - 1, (size_t)meta, &d->data) < 0 ? -1 : 0;
}

/* collection-details part -> five decompressed sub-streams. */
static int decode_details(const uint8_t *p, size_t len, uint8_t *sub[5], size_t sublen[5])
{
    rg_cursor c = { p, p + len };
    uint32_t raw[5], packed[5];
    for (int i = 0; i < 5; i++) {
        sub[i] = NULL;
        if (rg_read_cvar(&c, &raw[i]) < 0 || rg_read_cvar(&c, &packed[i]) < 0)
            return -1;
    }
    for (int i = 0; i < 5; i++) {
        if ((size_t)(c.end - c.p) < packed[i])
            return -1;
        if (rg_zstd_exact(NULL, c.p, packed[i], raw[i], &sub[i]) < 0)
            return -1;
        sublen[i] = raw[i];
        c.p += packed[i];
    }
    return c.p == c.end ? 0 : -1;
}

static int is_ref_stream(const char *name)
{
    size_t n = strlen(name);
    return name[0] == 'x' && n >= 3 && name[n - 1] == 'r';
}

static int is_delta_stream(const char *name)
{
    size_t n = strlen(name);
    return name[0] == 'x' && n >= 3 && name[n - 1] == 'd';
}

/* ---- 1. fixtures ---------------------------------------------------------- */

typedef struct {
    /* re-encoding counts */
    size_t ref_parts, ref_same, ref_compressed, ref_identical, ref_tuples;
    size_t packs, packs_same, packs_compressed, packs_identical;
} counts;


/* Loads every sample of a batch (the collection loads samples on demand). */
static int ensure_batch(rg_collection *col, uint64_t first, uint64_t count)
{
    for (uint64_t s = first; s < first + count; s++) {
        int r = rg_collection_ensure(col, s);
        if (r < 0)
            return r;
    }
    return 0;
}
static void check_collection(ragc_archive *arc, const char *fx)
{
    rg_container *ctr = &arc->ctr;
    rg_collection *col = &arc->col;

    /* sample list */
    int ss = rg_container_find(ctr, "collection-samples");
    uint8_t *want;
    size_t want_len;
    int ok = ss >= 0 && rg_collection_read_zstd_part(ctr, ss, 0, &want, &want_len) == 0;
    char **names = malloc((col->n_samples ? col->n_samples : 1) * sizeof(char *));
    for (uint64_t i = 0; i < col->n_samples; i++)
        names[i] = col->samples[i].name;
    rg_bytes raw = { 0 };
    ok = ok && rg_serialize_sample_names(names, col->n_samples, &raw) == 0;
    if (!tap_ok(ok && bytes_eq(raw.s, raw.len, want, want_len),
                "%s: collection-samples (%llu samples) re-serialised exactly", fx,
                (unsigned long long)col->n_samples)) {
        tap_diag_hex("ours", raw.s, raw.len);
        tap_diag_hex("agc", want, want_len);
    }
    if (ok)
        free(want);
    rg_bytes_free(&raw);
    free(names);

    /* batches */
    uint64_t P = col->batch_size, nb = col->n_batches;
    uint64_t names_ok = 0, details_ok = 0;
    for (uint64_t b = 0; b < nb; b++) {
        uint64_t first = b * P, count = col->n_samples - first;
        if (count > P)
            count = P;
        if (ensure_batch(col, first, count) < 0)
            continue;
        const rg_sample *smp = &col->samples[first];
        if (rg_collection_read_zstd_part(ctr, col->contigs_stream, b, &want, &want_len) == 0) {
            rg_bytes r = { 0 };
            if (rg_serialize_contig_names(smp, count, &r) == 0
                && bytes_eq(r.s, r.len, want, want_len))
                names_ok++;
            else if (names_ok == b) {   /* first mismatch only */
                tap_diag("%s batch %llu: contig names differ", fx, (unsigned long long)b);
                tap_diag_hex("ours", r.s, r.len);
                tap_diag_hex("agc", want, want_len);
            }
            rg_bytes_free(&r);
            free(want);
        }
        uint8_t *part, *sub[5] = { 0 };
        size_t part_len, sublen[5];
        uint64_t meta;
        if (rg_container_read_part(ctr, col->details_stream, b, &part, &part_len, &meta) == 0) {
            rg_bytes d[5] = { { 0 } };
            int good = meta == 0 && decode_details(part, part_len, sub, sublen) == 0
                       && rg_serialize_contig_details(smp, count, col->length_pred, d) == 0;
            for (int i = 0; good && i < 5; i++)
                if (!bytes_eq(d[i].s, d[i].len, sub[i], sublen[i])) {
                    good = 0;
                    tap_diag("%s batch %llu: details sub-stream %d differs", fx,
                             (unsigned long long)b, i);
                }
            details_ok += good;
            for (int i = 0; i < 5; i++) {
                rg_bytes_free(&d[i]);
                free(sub[i]);
            }
            free(part);
        }
    }
    tap_ok(names_ok == nb, "%s: collection-contigs %llu/%llu batches re-serialised exactly", fx,
           (unsigned long long)names_ok, (unsigned long long)nb);
    tap_ok(details_ok == nb,
           "%s: collection-details %llu/%llu batches (5 sub-streams each) re-serialised exactly",
           fx, (unsigned long long)details_ok, (unsigned long long)nb);
}

static void check_group_parts(ragc_archive *arc, const char *fx, ZSTD_CCtx *cctx, counts *cn)
{
    rg_container *ctr = &arc->ctr;
    size_t ref_bad = 0, pack_bad = 0;
    for (int s = 0; s < ctr->n_streams; s++) {
        const char *name = ctr->streams[s].name;
        int ref = is_ref_stream(name);
        if (!ref && !is_delta_stream(name))
            continue;
        for (uint64_t j = 0; j < ctr->streams[s].n_parts; j++) {
            uint8_t *p;
            size_t len;
            uint64_t meta;
            if (rg_container_read_part(ctr, s, j, &p, &len, &meta) < 0) {
                *(ref ? &ref_bad : &pack_bad) += 1;
                continue;
            }
            decoded a, b;
            uint8_t *q = NULL;
            size_t ql = 0;
            uint64_t qm = 0;
            int good = (ref ? decode_ref_part(p, len, meta, &a) : decode_pack_part(p, len, meta, &a)) == 0;
            if (good)
                good = (ref ? rg_encode_reference_part(cctx, a.data, a.len, &q, &ql, &qm)
                            : rg_encode_pack_part(cctx, a.data, a.len, &q, &ql, &qm)) == 0;
            memset(&b, 0, sizeof b);
            if (good)
                good = (ref ? decode_ref_part(q, ql, qm, &b) : decode_pack_part(q, ql, qm, &b)) == 0;
            int same = good && a.form == b.form && meta == qm && bytes_eq(a.data, a.len, b.data, b.len);
            int identical = bytes_eq(p, len, q, ql) && meta == qm;
            if (ref) {
                cn->ref_parts++;
                cn->ref_same += same;
                cn->ref_compressed += meta != 0;
                cn->ref_tuples += good && a.form == 2;
                cn->ref_identical += identical && meta != 0;
                if (!same && ref_bad++ < 3)
                    tap_diag("%s %s: form %d/%d meta %llu/%llu", fx, name, a.form, b.form,
                             (unsigned long long)meta, (unsigned long long)qm);
            } else {
                cn->packs++;
                cn->packs_same += same;
                cn->packs_compressed += meta != 0;
                cn->packs_identical += identical && meta != 0;
                if (!same && pack_bad++ < 3)
                    tap_diag("%s %s part %llu: form %d/%d meta %llu/%llu len %zu/%zu", fx, name,
                             (unsigned long long)j, a.form, b.form, (unsigned long long)meta,
                             (unsigned long long)qm, len, ql);
            }
            free(a.data);
            free(b.data);
            free(q);
            free(p);
        }
    }
    tap_ok(cn->ref_same == cn->ref_parts,
           "%s: %zu/%zu reference parts re-encoded to the same form and codes "
           "(%zu compressed: %zu tuples, %zu plain; %zu byte-identical)",
           fx, cn->ref_same, cn->ref_parts, cn->ref_compressed, cn->ref_tuples,
           cn->ref_compressed - cn->ref_tuples, cn->ref_identical);
    tap_ok(cn->packs && cn->packs_same == cn->packs,
           "%s: %zu/%zu packs re-encoded with the same raw/compressed decision and bytes "
           "(%zu compressed, %zu of them byte-identical)",
           fx, cn->packs_same, cn->packs, cn->packs_compressed, cn->packs_identical);
}

/* Rebuilds a fixture through the writer, part by part in file order. */
typedef struct {
    int stream;
    uint64_t part, offset;
} part_ref;

static int by_offset(const void *a, const void *b)
{
    const part_ref *x = a, *y = b;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static int rebuild(ragc_archive *arc, const char *path, ZSTD_CCtx *cctx)
{
    rg_container *ctr = &arc->ctr;
    rg_collection *col = &arc->col;
    ragc_outfile out;
    if (ragc_outfile_open(&out, path) < 0)
        return -1;
    rg_container_writer *w = rg_cw_open(&out);
    int r = w ? 0 : -1;
    for (int s = 0; r == 0 && s < ctr->n_streams; s++)
        if (rg_cw_register(w, ctr->streams[s].name) != s)
            r = -1;
    size_t n = 0;
    for (int s = 0; s < ctr->n_streams; s++)
        n += ctr->streams[s].n_parts;
    part_ref *pr = malloc((n ? n : 1) * sizeof *pr);
    n = 0;
    for (int s = 0; s < ctr->n_streams; s++)
        for (uint64_t j = 0; j < ctr->streams[s].n_parts; j++)
            pr[n++] = (part_ref){ s, j, ctr->streams[s].parts[j].offset };
    qsort(pr, n, sizeof *pr, by_offset);
    char **names = malloc((col->n_samples ? col->n_samples : 1) * sizeof(char *));
    for (uint64_t i = 0; i < col->n_samples; i++)
        names[i] = col->samples[i].name;
    for (size_t i = 0; r == 0 && i < n; i++) {
        int s = pr[i].stream;
        const char *name = ctr->streams[s].name;
        uint8_t *p;
        size_t len;
        uint64_t meta;
        if (rg_container_read_part(ctr, s, pr[i].part, &p, &len, &meta) < 0) {
            r = -1;
            break;
        }
        if (strcmp(name, "collection-samples") == 0) {
            r = rg_write_sample_names(w, s, names, col->n_samples, cctx);
            r = r ? r : rg_cw_flush(w);
        } else if (strcmp(name, "collection-contigs") == 0) {
            uint64_t first = pr[i].part * col->batch_size, count = col->n_samples - first;
            if (count > col->batch_size)
                count = col->batch_size;
            r = ensure_batch(col, first, count);
            r = r ? r : rg_write_collection_batch(w, s, col->details_stream, &col->samples[first],
                                                  count, col->length_pred, cctx);
            r = r ? r : rg_cw_flush(w);
        } else if (strcmp(name, "collection-details") == 0) {
            /* written with its contigs part */
        } else if (strcmp(name, "params") == 0) {
            const ragc_params *pp = &arc->params;
            r = rg_write_params(w, s, pp->kmer_length, pp->min_match_len, pp->pack_cardinality,
                                pp->segment_size);
        } else if (strcmp(name, "splitters") == 0) {
            uint64_t *k = malloc((meta ? meta : 1) * 8);
            for (uint64_t j = 0; j < meta && (j + 1) * 8 <= len; j++)
                k[j] = rd_le(p + 8 * j, 8);
            r = rg_write_splitters(w, s, k, (size_t)meta);
            free(k);
        } else if (strcmp(name, "segment-splitters") == 0) {
            rg_segment_key *k = malloc((meta ? meta : 1) * sizeof *k);
            for (uint64_t j = 0; j < meta && (j + 1) * 20 <= len; j++) {
                const uint8_t *e = p + 20 * (meta - 1 - j);   /* reversed: the writer sorts */
                k[j] = (rg_segment_key){ rd_le(e, 8), rd_le(e + 8, 8), (uint32_t)rd_le(e + 16, 4) };
            }
            r = rg_write_segment_splitters(w, s, k, (size_t)meta);
            free(k);
        } else if (strcmp(name, "file_type_info") == 0) {
            /* agc's pairs as the reader decoded them (ragc's own writer
               puts its provenance there: see the synthetic archive) */
            int ni = ragc_n_file_info(arc);
            const char **k = malloc((size_t)(ni + 1) * sizeof *k), **v = malloc((size_t)(ni + 1) * sizeof *v);
            for (int j = 0; j < ni; j++)
                ragc_file_info(arc, j, &k[j], &v[j]);
            r = rg_write_file_type_info_pairs(w, s, k, v, (size_t)ni);
            free(k);
            free(v);
        } else if (is_ref_stream(name) || is_delta_stream(name)) {
            int ref = is_ref_stream(name);
            decoded d;
            uint8_t *q;
            size_t ql;
            uint64_t qm;
            r = ref ? decode_ref_part(p, len, meta, &d) : decode_pack_part(p, len, meta, &d);
            if (r == 0)
                r = ref ? rg_encode_reference_part(cctx, d.data, d.len, &q, &ql, &qm)
                        : rg_encode_pack_part(cctx, d.data, d.len, &q, &ql, &qm);
            if (r == 0)
                r = rg_cw_add_part_buffered(w, s, q, ql, qm);
            r = r ? r : rg_cw_flush(w);
            free(d.data);
        } else {
            r = rg_cw_add_part(w, s, p, len, meta);
        }
        free(p);
    }
    free(names);
    free(pr);
    if (w) {
        int c = rg_cw_close(w);
        r = r ? r : c;
    }
    if (r == 0 && ragc_outfile_commit(&out) < 0)
        r = -1;
    else if (r != 0)
        ragc_outfile_abort(&out);
    return r;
}

static int sink_append(void *ctx, const char *s, size_t n)
{
    rg_bytes *b = ctx;
    if (rg_bytes_reserve(b, n) < 0)
        return -1;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    return 0;
}

static void compare_rebuilt(ragc_archive *a, ragc_archive *b, const char *fx)
{
    rg_container *ca = &a->ctr, *cb = &b->ctr;
    int dir_ok = ca->n_streams == cb->n_streams;
    for (int s = 0; dir_ok && s < ca->n_streams; s++)
        dir_ok = strcmp(ca->streams[s].name, cb->streams[s].name) == 0
                 && ca->streams[s].n_parts == cb->streams[s].n_parts;
    /* and the parts come in the same file order */
    size_t np = 0;
    for (int s = 0; dir_ok && s < ca->n_streams; s++)
        np += ca->streams[s].n_parts;
    part_ref *oa = malloc((np ? np : 1) * sizeof *oa), *ob = malloc((np ? np : 1) * sizeof *ob);
    size_t k = 0;
    for (int s = 0; dir_ok && s < ca->n_streams; s++)
        for (uint64_t j = 0; j < ca->streams[s].n_parts; j++, k++) {
            oa[k] = (part_ref){ s, j, ca->streams[s].parts[j].offset };
            ob[k] = (part_ref){ s, j, cb->streams[s].parts[j].offset };
        }
    qsort(oa, k, sizeof *oa, by_offset);
    qsort(ob, k, sizeof *ob, by_offset);
    for (size_t i = 0; dir_ok && i < k; i++)
        dir_ok = oa[i].stream == ob[i].stream && oa[i].part == ob[i].part;
    free(oa);
    free(ob);
    tap_ok(dir_ok, "%s: rebuilt directory has the same %d streams in the same order with the "
                   "same part counts, parts in the same file order", fx, ca->n_streams);

    static const char *const meta_streams[] = { "params", "splitters", "segment-splitters",
                                                "file_type_info" };
    for (int m = 0; m < 4; m++) {
        uint8_t *pa = NULL, *pb = NULL;
        size_t la = 0, lb = 0;
        uint64_t ma = 0, mb = 0;
        int ok = rg_container_read_named(ca, meta_streams[m], &pa, &la, &ma) == 0
                 && rg_container_read_named(cb, meta_streams[m], &pb, &lb, &mb) == 0
                 && ma == mb && bytes_eq(pa, la, pb, lb);
        if (!tap_ok(ok, "%s: %s part identical (%zu bytes, metadata %llu)", fx, meta_streams[m],
                    la, (unsigned long long)ma)) {
            tap_diag_hex("ours", pb, lb);
            tap_diag_hex("agc", pa, la);
        }
        free(pa);
        free(pb);
    }

    /* every part decodes the same; count byte-identical parts */
    size_t parts = 0, same = 0, identical = 0;
    for (int s = 0; dir_ok && s < ca->n_streams; s++) {
        const char *name = ca->streams[s].name;
        for (uint64_t j = 0; j < ca->streams[s].n_parts; j++) {
            uint8_t *pa = NULL, *pb = NULL;
            size_t la = 0, lb = 0;
            uint64_t ma = 0, mb = 0;
            parts++;
            if (rg_container_read_part(ca, s, j, &pa, &la, &ma) < 0
                || rg_container_read_part(cb, s, j, &pb, &lb, &mb) < 0) {
                free(pa);
                free(pb);
                continue;
            }
            identical += ma == mb && bytes_eq(pa, la, pb, lb);
            int ok = 0;
            if (strcmp(name, "collection-details") == 0) {
                uint8_t *sa[5] = { 0 }, *sb[5] = { 0 };
                size_t za[5], zb[5];
                ok = ma == 0 && mb == 0 && decode_details(pa, la, sa, za) == 0
                     && decode_details(pb, lb, sb, zb) == 0;
                for (int i = 0; i < 5; i++) {
                    ok = ok && bytes_eq(sa[i], za[i], sb[i], zb[i]);
                    free(sa[i]);
                    free(sb[i]);
                }
            } else if (strncmp(name, "collection-", 11) == 0) {
                uint8_t *ra = NULL, *rb = NULL;
                ok = ma == mb && ma && rg_zstd_exact(NULL, pa, la, (size_t)ma, &ra) == 0
                     && rg_zstd_exact(NULL, pb, lb, (size_t)mb, &rb) == 0
                     && memcmp(ra, rb, (size_t)ma) == 0;
                free(ra);
                free(rb);
            } else if (is_ref_stream(name) || is_delta_stream(name)) {
                int ref = is_ref_stream(name);
                decoded da = { 0 }, db = { 0 };
                ok = (ref ? decode_ref_part(pa, la, ma, &da) : decode_pack_part(pa, la, ma, &da)) == 0
                     && (ref ? decode_ref_part(pb, lb, mb, &db) : decode_pack_part(pb, lb, mb, &db)) == 0
                     && da.form == db.form && bytes_eq(da.data, da.len, db.data, db.len);
                free(da.data);
                free(db.data);
            } else {
                ok = ma == mb && bytes_eq(pa, la, pb, lb);
            }
            if (!ok && parts - same <= 3)
                tap_diag("%s: %s part %llu differs", fx, name, (unsigned long long)j);
            same += ok;
            free(pa);
            free(pb);
        }
    }
    tap_ok(dir_ok && same == parts,
           "%s: rebuilt archive: %zu/%zu parts decode to the same bytes (%zu byte-identical)", fx,
           same, parts, identical);

    /* the public API sees the same samples, contigs and sequences */
    ragc_decoder *da = ragc_decoder_init(a, 0), *db = ragc_decoder_init(b, 0);
    int64_t ns = ragc_n_samples(a);
    int ok = da && db && ns == ragc_n_samples(b);
    int64_t contigs = 0;
    uint64_t bases = 0;
    for (int64_t s = 0; ok && s < ns; s++) {
        int64_t nc = ragc_n_contigs(a, s);
        ok = nc >= 0 && nc == ragc_n_contigs(b, s)
             && strcmp(ragc_sample_name(a, s), ragc_sample_name(b, s)) == 0;
        for (int64_t c = 0; ok && c < nc; c++) {
            rg_bytes x = { 0 }, y = { 0 };
            ok = strcmp(ragc_contig_name(a, s, c), ragc_contig_name(b, s, c)) == 0
                 && ragc_contig_stream(da, s, c, 0, INT64_MAX, sink_append, &x) == 0
                 && ragc_contig_stream(db, s, c, 0, INT64_MAX, sink_append, &y) == 0
                 && bytes_eq(x.s, x.len, y.s, y.len);
            if (!ok)
                tap_diag("%s: sample %lld contig %lld differs", fx, (long long)s, (long long)c);
            bases += x.len;
            contigs++;
            rg_bytes_free(&x);
            rg_bytes_free(&y);
        }
    }
    tap_ok(ok, "%s: rebuilt archive decodes to the same %lld samples, %lld contigs, %llu bases",
           fx, (long long)ns, (long long)contigs, (unsigned long long)bases);
    ragc_decoder_destroy(da);
    ragc_decoder_destroy(db);
}

static void check_fixture(const char *fx, ZSTD_CCtx *cctx, counts *total)
{
    char path[4096], rel[256], out[512];
    snprintf(rel, sizeof rel, "compat/archives/%s.agc", fx);
    if (!tap_need_data(TESTS_PER_FIXTURE, fx, rel, NULL))
        return;
    tap_shared_path(path, sizeof path, rel);
    int st;
    ragc_archive *arc = ragc_open(path, &st);
    if (!tap_ok(arc != NULL && arc->params.file_version == 3000, "%s: fixture opens (%s)", fx, path)) {
        for (int i = 1; i < TESTS_PER_FIXTURE; i++)
            tap_ok(0, "%s: skipped", fx);
        if (arc)
            ragc_close(arc);
        return;
    }
    check_collection(arc, fx);
    counts cn = { 0 };
    check_group_parts(arc, fx, cctx, &cn);
    total->ref_parts += cn.ref_parts;
    total->ref_same += cn.ref_same;
    total->ref_compressed += cn.ref_compressed;
    total->ref_identical += cn.ref_identical;
    total->ref_tuples += cn.ref_tuples;
    total->packs += cn.packs;
    total->packs_same += cn.packs_same;
    total->packs_compressed += cn.packs_compressed;
    total->packs_identical += cn.packs_identical;

    snprintf(out, sizeof out, "%s/%s.agc", tmpdir, fx);
    int r = rebuild(arc, out, cctx);
    ragc_archive *b = r == 0 ? ragc_open(out, &st) : NULL;
    if (!tap_ok(b != NULL, "%s: rebuilt through the writer and reopened", fx)) {
        for (int i = 0; i < 7; i++)
            tap_ok(0, "%s: skipped", fx);
    } else {
        compare_rebuilt(arc, b, fx);
        ragc_close(b);
    }
    unlink(out);
    ragc_close(arc);
}

/* ---- 2. container round trip ---------------------------------------------- */

typedef struct {
    int stream;
    uint64_t meta;
    size_t len;
    uint8_t fill;
} exp_part;

static uint8_t *filled(size_t len, uint8_t fill)
{
    uint8_t *p = malloc(len ? len : 1);
    for (size_t i = 0; i < len; i++)
        p[i] = (uint8_t)(fill + i * 7);
    return len ? p : (free(p), (uint8_t *)NULL);
}

/* rg_cw_add_part of a filled buffer (the writer copies it). */
static int add_now(rg_container_writer *w, int stream, size_t len, uint8_t fill, uint64_t meta)
{
    uint8_t *p = filled(len, fill);
    int r = rg_cw_add_part(w, stream, p, len, meta);
    free(p);
    return r;
}

typedef struct {
    rg_container_writer *w;
    int stream;
    int failures;
} thr_arg;

static void *queue_thread(void *v)
{
    thr_arg *a = v;
    for (int i = 0; i < 200; i++) {
        uint8_t *p = malloc(4);
        p[0] = (uint8_t)a->stream;
        p[1] = (uint8_t)(i >> 8);
        p[2] = (uint8_t)i;
        p[3] = 0x55;
        a->failures += rg_cw_add_part_buffered(a->w, a->stream, p, 4, (uint64_t)i) != 0;
    }
    return NULL;
}

static void test_container_roundtrip(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/rt.agc", tmpdir);
    ragc_outfile out;
    int ok = ragc_outfile_open(&out, path) == 0;
    rg_container_writer *w = ok ? rg_cw_open(&out) : NULL;
    tap_ok(w != NULL, "writer opens over an ragc_outfile");
    if (!w) {
        for (int i = 1; i < N_ROUNDTRIP_TESTS; i++)
            tap_ok(0, "skipped");
        return;
    }
    int a = rg_cw_register(w, "alpha"), b = rg_cw_register(w, "beta"),
        g = rg_cw_register(w, "gamma"), d = rg_cw_register(w, "delta"),
        e = rg_cw_register(w, "empty-stream"), b2 = rg_cw_register(w, "beta");
    tap_ok(a == 0 && b == 1 && g == 2 && d == 3 && e == 4 && b2 == 1 && rg_cw_find(w, "gamma") == 2
               && rg_cw_find(w, "nope") == -1 && rg_cw_n_streams(w) == 5,
           "ids in registration order; re-registering returns the existing id");
    hts_set_log_level(HTS_LOG_OFF);
    tap_ok(rg_cw_add_part(w, 7, (const uint8_t *)"x", 1, 0) == RAGC_ERR_ARG
               && rg_cw_add_part_buffered(w, -1, filled(3, 1), 3, 0) == RAGC_ERR_ARG,
           "parts for unknown streams are refused");
    hts_set_log_level(HTS_LOG_ERROR);

    /* expected file order */
    exp_part ex[16];
    int nex = 0;
    int r = 0;
    r |= rg_cw_add_part_buffered(w, g, filled(10, 0x10), 10, 10);
    r |= rg_cw_add_part_buffered(w, a, filled(5, 0x20), 5, 0x1234);
    r |= rg_cw_add_part_buffered(w, g, NULL, 0, 7);                      /* empty, meta 7 */
    r |= add_now(w, b, 3, 0x30, 300);
    ex[nex++] = (exp_part){ b, 300, 3, 0x30 };   /* immediate: first in the file */
    tap_ok(rg_cw_n_parts(w, g) == 2 && rg_cw_n_parts(w, b) == 1 && rg_cw_offset(w) == 3 + 3,
           "n_parts counts queued parts; offset counts written bytes");
    r |= rg_cw_flush(w);
    ex[nex++] = (exp_part){ a, 0x1234, 5, 0x20 };
    ex[nex++] = (exp_part){ g, 10, 10, 0x10 };
    ex[nex++] = (exp_part){ g, 7, 0, 0 };
    r |= rg_cw_add_part(w, d, NULL, 0, 0);                                /* empty, immediate */
    ex[nex++] = (exp_part){ d, 0, 0, 0 };
    size_t big = (3u << 20) + 17;                                          /* > write buffer */
    r |= rg_cw_add_part_buffered(w, b, filled(big, 0x40), big, UINT64_MAX);
    r |= rg_cw_add_part_buffered(w, a, filled(1, 0x50), 1, 1);
    r |= add_now(w, d, 2, 0x60, 256);
    ex[nex++] = (exp_part){ d, 256, 2, 0x60 };
    ex[nex++] = (exp_part){ a, 1, 1, 0x50 };                               /* close: by id */
    ex[nex++] = (exp_part){ b, UINT64_MAX, big, 0x40 };
    tap_ok(r == 0, "parts added and flushed");
    tap_ok(rg_cw_close(w) == 0 && ragc_outfile_commit(&out) == 0, "close writes the directory");

    rg_io *io = rg_io_open_file(path);
    rg_container c;
    ok = io && rg_container_open(&c, io) == 0;
    tap_ok(ok, "the container reader opens the result");
    if (!ok) {
        for (int i = 7; i < N_ROUNDTRIP_TESTS; i++)
            tap_ok(0, "skipped");
        rg_io_close(io);
        return;
    }
    tap_ok(c.n_streams == 5 && strcmp(c.streams[0].name, "alpha") == 0
               && strcmp(c.streams[1].name, "beta") == 0 && strcmp(c.streams[2].name, "gamma") == 0
               && strcmp(c.streams[3].name, "delta") == 0
               && strcmp(c.streams[4].name, "empty-stream") == 0 && c.streams[4].n_parts == 0,
           "directory: names in registration order, a stream without parts kept");
    tap_ok(c.streams[0].n_parts == 2 && c.streams[1].n_parts == 2 && c.streams[2].n_parts == 2
               && c.streams[3].n_parts == 2,
           "part counts");

    /* offsets follow the expected file order */
    uint64_t off = 0;
    int offsets_ok = 1, data_ok = 1, meta_ok = 1;
    uint64_t idx[5] = { 0 };
    uint8_t *file;
    size_t flen;
    file = (uint8_t *)tap_slurp(path, &flen);
    for (int i = 0; i < nex; i++) {
        const rg_part *p = &c.streams[ex[i].stream].parts[idx[ex[i].stream]];
        uint8_t m[9];
        int ml = rg_write_avar(m, ex[i].meta);
        offsets_ok &= p->offset == off && p->size == ex[i].len;
        /* the metadata avar is in the file, also for empty parts */
        offsets_ok &= file && off + (uint64_t)ml <= flen && memcmp(file + off, m, (size_t)ml) == 0;
        uint8_t *dd;
        size_t dl;
        uint64_t mm;
        if (rg_container_read_part(&c, ex[i].stream, idx[ex[i].stream], &dd, &dl, &mm) == 0) {
            uint8_t *want = filled(ex[i].len, ex[i].fill);
            data_ok &= bytes_eq(dd, dl, want, ex[i].len);
            meta_ok &= mm == (ex[i].len ? ex[i].meta : 0);
            free(want);
            free(dd);
        } else {
            data_ok = 0;
        }
        off += (uint64_t)ml + ex[i].len;
        idx[ex[i].stream]++;
    }
    tap_ok(offsets_ok, "offsets and sizes: immediate parts at once, queued parts by stream id, "
                       "FIFO within a stream; metadata avar written for empty parts");
    tap_ok(data_ok, "payloads read back");
    tap_ok(meta_ok, "metadata read back (large values, 0 reported for empty parts)");
    tap_ok(c.dir_offset == off && file && flen >= 8 && rd_le(file + flen - 8, 8) == flen - 8 - off,
           "directory follows the last part; trailer holds its size");
    /* raw_size 00 after each stream's part count */
    int raw0 = file != NULL;
    if (file) {
        const uint8_t *q = file + off;
        rg_cursor cur = { q, file + flen - 8 };
        uint64_t v, ns;
        rg_read_avar(&cur, &ns);
        for (uint64_t s = 0; s < ns && raw0; s++) {
            const char *nm;
            size_t nl;
            uint64_t np, rs;
            raw0 = rg_read_cstr(&cur, &nm, &nl) == 0 && rg_read_avar(&cur, &np) == 0
                   && cur.p < cur.end && cur.p[0] == 0 && rg_read_avar(&cur, &rs) == 0;
            for (uint64_t j = 0; raw0 && j < 2 * np; j++)
                raw0 = rg_read_avar(&cur, &v) == 0;
        }
        raw0 = raw0 && cur.p == cur.end;
    }
    tap_ok(raw0, "directory: raw_size written as 00, nothing else after the streams");
    free(file);
    rg_container_free(&c);
    rg_io_close(io);
    unlink(path);

    /* several threads queueing at once */
    ok = ragc_outfile_open(&out, path) == 0;
    w = ok ? rg_cw_open(&out) : NULL;
    thr_arg args[4];
    pthread_t th[4];
    for (int t = 0; t < 4 && w; t++) {
        char nm[16];
        snprintf(nm, sizeof nm, "t%d", t);
        args[t] = (thr_arg){ w, rg_cw_register(w, nm), 0 };
    }
    for (int t = 0; t < 4 && w; t++)
        pthread_create(&th[t], NULL, queue_thread, &args[t]);
    int fails = 0;
    for (int t = 0; t < 4 && w; t++) {
        pthread_join(th[t], NULL);
        fails += args[t].failures;
    }
    ok = w && fails == 0 && rg_cw_close(w) == 0 && ragc_outfile_commit(&out) == 0;
    io = ok ? rg_io_open_file(path) : NULL;
    ok = io && rg_container_open(&c, io) == 0;
    int order_ok = ok && c.n_streams == 4;
    uint64_t prev_off = 0;
    for (int s = 0; order_ok && s < 4; s++) {
        order_ok = c.streams[s].n_parts == 200;
        for (uint64_t j = 0; order_ok && j < 200; j++) {
            uint8_t *dd;
            size_t dl;
            uint64_t mm;
            order_ok = c.streams[s].parts[j].offset >= prev_off
                       && rg_container_read_part(&c, s, j, &dd, &dl, &mm) == 0 && dl == 4
                       && dd[0] == s && dd[1] * 256 + dd[2] == (int)j && mm == j;
            prev_off = c.streams[s].parts[j].offset;
            if (order_ok)
                free(dd);
        }
    }
    tap_ok(order_ok, "4 threads x 200 queued parts: written by stream id, FIFO within each");
    if (ok)
        rg_container_free(&c);
    rg_io_close(io);
    unlink(path);
}

/* ---- 3. tuples, part forms, name and id coding ---------------------------- */

static uint32_t rng_state = 12345;
static uint32_t rnd(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return rng_state >> 8;
}

/* agc's choice of the plain form, counted the obvious way: for lags 4..31
   the positions j (j + lag < n) whose code repeats at j + lag, over those
   holding A/C/G/T; plain once a fraction reaches 0.5. */
static int plain_by_count(const uint8_t *c, size_t n)
{
    double best = 0.0;
    for (size_t lag = 4; lag < 32; lag++) {
        if (n <= lag)
            continue;
        size_t same = 0, acgt = 0;
        for (size_t j = 0; j + lag < n; j++) {
            same += c[j] == c[j + lag];
            acgt += c[j] < 4;
        }
        double f = acgt ? (double)same / (double)acgt : 0.0;
        if (f > best && (best = f) >= 0.5)
            break;
    }
    return best >= 0.5;
}

static void test_tuples(ZSTD_CCtx *cctx)
{
    static const uint8_t max_code[4] = { 3, 5, 15, 30 };
    static const unsigned width[4] = { 4, 3, 2, 1 };
    for (int k = 0; k < 4; k++) {
        int ok = 1;
        for (size_t n = 0; n <= 20; n++) {
            for (int rep = 0; rep < 8; rep++) {
                uint8_t codes[20], back[20];
                for (size_t i = 0; i < n; i++)
                    codes[i] = (uint8_t)(rnd() % (max_code[k] + 1u));
                if (n)
                    codes[rnd() % n] = max_code[k];
                rg_bytes t = { 0 };
                unsigned w = n ? width[k] : 4;
                size_t want_len = w == 1 ? n + 1 : n / w + 2;
                ok &= rg_tuples_pack(codes, n, &t) == 0 && t.len == want_len
                      && t.s[t.len - 1] == (uint8_t)((w << 4) + (w == 1 ? 0 : n % w))
                      && rg_tuples_unpack(t.s, t.len, back, n) == 0
                      && (n == 0 || memcmp(codes, back, n) == 0);
                rg_bytes_free(&t);
            }
        }
        tap_ok(ok, "tuple pack/unpack round trip, %u codes a byte (max code %u), n = 0..20",
               width[k], max_code[k]);
    }
    const uint8_t ex[5] = { 3, 0, 1, 2, 2 };
    rg_bytes t = { 0 };
    int ok = rg_tuples_pack(ex, 5, &t) == 0 && t.len == 3 && t.s[0] == 0xC6 && t.s[1] == 0x02
             && t.s[2] == 0x41;
    if (!tap_ok(ok, "worked example 3 0 1 2 2 -> C6 02 41"))
        tap_diag_hex("got", t.s, t.len);
    rg_bytes_free(&t);

    /* reference part forms */
    size_t n = 20000;
    uint8_t *codes = malloc(n);
    for (size_t i = 0; i < n; i++)
        codes[i] = (uint8_t)(rnd() & 3);
    uint8_t *p;
    size_t len;
    uint64_t meta;
    decoded d = { 0 };
    ok = rg_encode_reference_part(cctx, codes, n, &p, &len, &meta) == 0 && meta == n
         && p[len - 1] == 1 && len < n && decode_ref_part(p, len, meta, &d) == 0 && d.form == 2
         && bytes_eq(d.data, d.len, codes, n);
    tap_ok(ok, "random ACGT reference: tuples + zstd, marker 1, metadata = code count");
    free(p);
    free(d.data);
    /* agc's periodicity test against a plain count, on random lengths
       (the vector and word loops and their tails), periods and non-ACGT
       codes */
    int agree = 1;
    for (int it = 0; it < 3000 && agree; it++) {
        size_t m = rnd() % 3000, period = 1 + rnd() % 40;
        int mode = (int)(rnd() % 3);
        for (size_t i = 0; i < m; i++)
            codes[i] = mode == 0                ? (uint8_t)(rnd() & 3)
                       : mode == 1 && i >= period ? (uint8_t)(rnd() % 20 ? codes[i - period] : rnd() & 3)
                       : (uint8_t)(rnd() % 8 == 0 ? 4 + rnd() % 3 : rnd() & 3);
        agree = rg_reference_prefers_plain(codes, m) == plain_by_count(codes, m);
    }
    tap_ok(agree, "the periodicity test agrees with a plain count (3000 random references)");
    for (size_t i = 0; i < n; i++)
        codes[i] = (uint8_t)("\0\1\2\3\0\0\1\2"[i % 8] ^ (rnd() % 50 == 0));
    ok = rg_encode_reference_part(cctx, codes, n, &p, &len, &meta) == 0 && meta == n
         && p[len - 1] == 0 && decode_ref_part(p, len, meta, &d) == 0 && d.form == 1
         && bytes_eq(d.data, d.len, codes, n) && rg_reference_prefers_plain(codes, n);
    tap_ok(ok, "periodic reference (lag 8): plain + zstd 19, marker 0");
    free(p);
    free(d.data);
    ok = rg_encode_reference_part(cctx, codes, 12, &p, &len, &meta) == 0 && meta == 0
         && bytes_eq(p, len, codes, 12);
    free(p);
    ok = ok && rg_encode_reference_part(cctx, NULL, 0, &p, &len, &meta) == 0 && meta == 0
         && len == 0 && p != NULL;
    free(p);
    tap_ok(ok, "short and empty references are stored raw with metadata 0");
    rg_bytes pack = { 0 };
    ok = rg_pack_append(&pack, codes, 5) == 0 && rg_pack_append(&pack, NULL, 0) == 0
         && pack.len == 7 && pack.s[5] == 0xFF && pack.s[6] == 0xFF
         && rg_encode_pack_part(cctx, pack.s, pack.len, &p, &len, &meta) == 0 && meta == 0
         && bytes_eq(p, len, pack.s, pack.len);
    free(p);
    for (int i = 0; i < 200; i++)
        rg_pack_append(&pack, codes + 100, 50);
    ok = ok && rg_encode_pack_part(cctx, pack.s, pack.len, &p, &len, &meta) == 0
         && meta == pack.len && p[len - 1] == 0 && decode_pack_part(p, len, meta, &d) == 0
         && bytes_eq(d.data, d.len, pack.s, pack.len);
    tap_ok(ok, "packs: tiny -> raw, metadata 0; repetitive -> zstd 17 + marker 0, metadata = size");
    free(p);
    free(d.data);
    rg_bytes_free(&pack);
    free(codes);
}

/* The doc's toy example (agc-format.md 8.3) and edge cases, through an archive. */
static void test_names_and_ids(ZSTD_CCtx *cctx)
{
    rg_contig ref_c[4] = { { .name = "chr1" }, { .name = "chr2" }, { .name = "chr3" }, { .name = "seq" } };
    rg_contig a_c[2] = { { .name = "chr1a" }, { .name = "chr3a" } };
    rg_sample toy[2] = { { .name = "ref", .n_contigs = 4, .contigs = ref_c },
                         { .name = "a", .n_contigs = 2, .contigs = a_c } };
    rg_bytes raw = { 0 };
    static const uint8_t want[] = { 2, 4, 'c', 'h', 'r', '1', 0, 0xfd, '2', 0, 0xfd, '3', 0,
                                    's', 'e', 'q', 0, 2, 'c', 'h', 'r', '1', 'a', 0, 0xfd,
                                    '3', 0xff, 0 };
    int ok = rg_serialize_contig_names(toy, 2, &raw) == 0 && bytes_eq(raw.s, raw.len, want, sizeof want);
    if (!tap_ok(ok, "contig names: agc-format.md 8.3 toy example"))
        tap_diag_hex("got", raw.s, raw.len);
    rg_bytes_free(&raw);

    /* long runs, empty components, identical components, length changes */
    char long1[400], long2[400], long3[400];
    memset(long1, 'A', 250);
    strcpy(long1 + 250, "x tail");
    memset(long2, 'A', 250);
    strcpy(long2 + 250, "y tail");
    memset(long3, 'A', 300);
    strcpy(long3 + 300, " tail");
    const char *names[] = { long1, long2, long3, "a  b", "a  c", "a x c", "  ", " z ",
                            "same same", "same same", "x", "y", "yy", "p q r", "p q s t" };
    size_t nn = sizeof names / sizeof names[0];
    rg_contig cs[16];
    rg_seg segs[16][6];
    for (size_t i = 0; i < nn; i++) {
        cs[i] = (rg_contig){ .name = (char *)names[i], .n_seg = (uint32_t)(i % 4 == 3 ? 0 : 1 + i % 6),
                             .seg = segs[i] };
        for (uint32_t j = 0; j < cs[i].n_seg; j++)
            segs[i][j] = (rg_seg){ (uint32_t)(rnd() % 5), (uint32_t)(rnd() % 9),
                                   (uint32_t)(rnd() % 130000), (uint8_t)(rnd() & 1) };
    }
    /* 5 samples with P = 2: batches of 2, 2, 1 */
    rg_sample smp[5] = { { .name = "s0", .n_contigs = (uint32_t)nn, .contigs = cs },
                         { .name = "s1", .n_contigs = 3, .contigs = cs + 3 },
                         { .name = "s2", .n_contigs = 0, .contigs = NULL },
                         { .name = "s3", .n_contigs = 2, .contigs = cs + 10 },
                         { .name = "s4", .n_contigs = 4, .contigs = cs + 11 } };
    char *snames[5] = { "s0", "s1", "s2", "s3", "s4" };
    raw = (rg_bytes){ 0 };
    ok = rg_serialize_contig_names(smp, 1, &raw) == 0;
    const uint8_t run2[] = { 0x9c, 0x9c, 0xce, 'y', ' ', 0x81, 0 };
    ok = ok && raw.len > 260 && contains(raw.s, raw.len, run2, sizeof run2);
    tap_ok(ok, "runs longer than 100 are split (9c 9c ce), identical components are 81");
    rg_bytes_free(&raw);

    char path[512];
    snprintf(path, sizeof path, "%s/names.agc", tmpdir);
    ragc_outfile out;
    ok = ragc_outfile_open(&out, path) == 0;
    rg_container_writer *w = ok ? rg_cw_open(&out) : NULL;
    int sid = w ? rg_cw_register(w, "collection-samples") : -1;
    int cid = w ? rg_cw_register(w, "collection-contigs") : -1;
    int did = w ? rg_cw_register(w, "collection-details") : -1;
    uint32_t k = 21, S = 5000;
    for (int b = 0; ok && b < 3; b++)
        ok = rg_write_collection_batch(w, cid, did, smp + 2 * b, b < 2 ? 2 : 1, S + k, cctx) == 0
             && rg_cw_flush(w) == 0;
    ok = ok && rg_write_params(w, rg_cw_register(w, "params"), k, 20, 2, S) == 0
         && rg_write_splitters(w, rg_cw_register(w, "splitters"), NULL, 0) == 0;
    rg_segment_key keys[3] = { { 5, 9, 17 }, { ~0ull, ~0ull, 0 }, { 5, 2, 16 } };
    ok = ok && rg_write_segment_splitters(w, rg_cw_register(w, "segment-splitters"), keys, 3) == 0
         && keys[0].kmer2 == 2 && keys[2].kmer1 == ~0ull
         && rg_write_file_type_info(w, rg_cw_register(w, "file_type_info")) == 0
         && rg_write_sample_names(w, sid, snames, 5, cctx) == 0;
    ok = w && rg_cw_close(w) == 0 && ok && ragc_outfile_commit(&out) == 0;
    int st;
    ragc_archive *arc = ok ? ragc_open(path, &st) : NULL;
    ok = arc != NULL && ragc_n_samples(arc) == 5;
    for (int s = 0; ok && s < 5; s++) {
        ok = strcmp(ragc_sample_name(arc, s), smp[s].name) == 0
             && ragc_n_contigs(arc, s) == smp[s].n_contigs;
        const rg_sample *got = ok ? &arc->col.samples[s] : NULL;
        for (uint32_t c = 0; ok && c < smp[s].n_contigs; c++) {
            const rg_contig *x = &smp[s].contigs[c], *y = &got->contigs[c];
            ok = strcmp(x->name, y->name) == 0 && x->n_seg == y->n_seg;
            for (uint32_t j = 0; ok && j < x->n_seg; j++)
                ok = x->seg[j].group_id == y->seg[j].group_id
                     && x->seg[j].in_group_id == y->seg[j].in_group_id
                     && x->seg[j].raw_length == y->seg[j].raw_length && x->seg[j].rc == y->seg[j].rc;
            if (!ok)
                tap_diag("sample %d contig %u (\"%s\" / \"%s\") differs", s, c, x->name, y->name);
        }
    }
    tap_ok(ok, "synthetic archive (3 batches, tricky names, random in-group ids) reads back "
               "through ragc_open");
    int nfi = arc ? ragc_n_file_info(arc) : 0;
    /* agc's keys in std::map order; ragc's provenance, agc's file version */
    static const char *const want_k[7] = { "comment", "file_version_major", "file_version_minor", "producer",
                                           "producer_version_build", "producer_version_major",
                                           "producer_version_minor" };
    static const char *const want_v[7] = { "ragc " RAGC_VERSION " (AGC archive format 3.0, the layout of agc 3.2.2)",
                                           "3", "0", "ragc", NULL, NULL, NULL };
    int info_ok = nfi == 7;
    for (int j = 0; info_ok && j < 7; j++) {
        const char *k, *v;
        ragc_file_info(arc, j, &k, &v);
        info_ok = strcmp(k, want_k[j]) == 0 && (!want_v[j] || strcmp(v, want_v[j]) == 0);
        if (info_ok && !want_v[j]) {   /* RAGC_VERSION's MAJOR.MINOR.PATCH, in that order */
            const char *vv = RAGC_VERSION;
            int part = j == 5 ? 0 : j == 6 ? 1 : 2;
            for (int d = 0; d < part; d++)
                vv = strchr(vv, '.') + 1;
            info_ok = strncmp(vv, v, strlen(v)) == 0 && (vv[strlen(v)] == '.' || vv[strlen(v)] == '\0');
        }
    }
    tap_ok(info_ok && arc->params.file_version == 3000 && arc->params.kmer_length == 21
               && arc->params.segment_size == 5000,
           "file_type_info (agc's 7 keys, ragc's producer and version, format 3.0) and params read back");
    if (arc)
        ragc_close(arc);
    unlink(path);
}

/* ---- main ----------------------------------------------------------------- */

int main(void)
{
    hts_set_log_level(HTS_LOG_ERROR);
    tap_need_shared();
    const char *tmp = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/ragc-test-writer-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(tmpdir)) {
        printf("Bail out! cannot create a temporary directory\n");
        return 1;
    }
    tap_plan(N_FIXTURES * TESTS_PER_FIXTURE + N_ROUNDTRIP_TESTS + N_TUPLE_TESTS);
    ZSTD_CCtx *cctx = ZSTD_createCCtx();

    counts total = { 0 };
    for (int f = 0; f < N_FIXTURES; f++)
        check_fixture(FIXTURES[f], cctx, &total);
    tap_diag("all fixtures: %zu/%zu reference parts same form and codes, %zu/%zu compressed ones "
             "byte-identical; %zu/%zu packs same, %zu/%zu compressed ones byte-identical "
             "(libzstd %s vs agc's 1.5.5)",
             total.ref_same, total.ref_parts, total.ref_identical, total.ref_compressed,
             total.packs_same, total.packs, total.packs_identical, total.packs_compressed,
             ZSTD_versionString());

    test_container_roundtrip();
    test_tuples(cctx);
    test_names_and_ids(cctx);

    ZSTD_freeCCtx(cctx);
    rmdir(tmpdir);
    return tap_done();
}
