/* collection_write.c -- writing collection format 3 and the metadata
   streams; see collection_write.h. */
#include "collection_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>
#include <htslib/khash.h>

#include "ragc.h"
#include "varint.h"

KHASH_MAP_INIT_INT(cw_last, uint32_t)

/* --- byte helpers ---------------------------------------------------------- */

static int put_byte(rg_bytes *b, uint8_t x)
{
    return rg_bytes_append(b, &x, 1);
}

static int put_cvar(rg_bytes *b, uint32_t v)
{
    uint8_t t[5];
    return rg_bytes_append(b, t, (size_t)rg_write_cvar(t, v));
}

/* cvar of a count, which agc keeps in 32 bits. */
static int put_count(rg_bytes *b, uint64_t v)
{
    if (v > UINT32_MAX) {
        hts_log_error("collection: count %llu does not fit the format", (unsigned long long)v);
        return RAGC_ERR_ARG;
    }
    return put_cvar(b, (uint32_t)v);
}

static int put_cstr(rg_bytes *b, const char *s)
{
    return rg_bytes_append(b, s, strlen(s) + 1);
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static int zstd_frame(ZSTD_CCtx *cctx, const uint8_t *src, size_t n, int level, rg_bytes *out)
{
    size_t bound = ZSTD_compressBound(n);
    if (ZSTD_isError(bound) || rg_bytes_reserve(out, bound) < 0)
        return RAGC_ERR_NOMEM;
    size_t z = ZSTD_compressCCtx(cctx, out->s + out->len, bound, src, n, level);
    if (ZSTD_isError(z)) {
        hts_log_error("zstd compression failed: %s", ZSTD_getErrorName(z));
        return RAGC_ERR_NOMEM;
    }
    out->len += z;
    return RAGC_OK;
}

/* Hands a finished buffer to the writer's queue (the writer owns it then). */
static int queue(rg_container_writer *w, int stream, rg_bytes *b, uint64_t meta)
{
    int r = rg_cw_add_part_buffered(w, stream, b->s, b->len, meta);
    b->s = NULL;
    b->len = b->cap = 0;
    return r;
}

/* --- sample names ---------------------------------------------------------- */

int rg_serialize_sample_names(char *const *names, size_t n, rg_bytes *raw)
{
    int r = put_count(raw, n);
    for (size_t i = 0; r == RAGC_OK && i < n; i++)
        r = put_cstr(raw, names[i]);
    return r;
}

/* --- contig names ---------------------------------------------------------- */

static size_t n_components(const char *s)
{
    size_t k = 1;
    for (; *s; s++)
        k += *s == ' ';
    return k;
}

static size_t component_len(const char *s)
{
    size_t n = 0;
    while (s[n] && s[n] != ' ')
        n++;
    return n;
}

/* agc's encode_split: cur against prev, both with the same number of
   components.  *lossy is set when a byte >= 0x80 lands where the decoder
   reads run codes. */
static int encode_split(const char *prev, const char *cur, rg_bytes *raw, int *lossy)
{
    int r = RAGC_OK;
    for (;;) {
        size_t pl = component_len(prev), cl = component_len(cur);
        if (pl == cl && memcmp(prev, cur, cl) == 0) {
            r = put_byte(raw, 0x81);   /* -127: same component */
        } else if (pl != cl) {
            r = rg_bytes_append(raw, cur, cl);
            for (size_t j = 0; j < cl; j++)
                *lossy |= (uint8_t)cur[j] >= 0x80;
        } else {
            unsigned run = 0;
            for (size_t j = 0; r == RAGC_OK && j < cl; j++) {
                if (prev[j] == cur[j]) {
                    if (run == 100) {
                        r = put_byte(raw, (uint8_t)(256 - run));
                        run = 1;
                    } else {
                        run++;
                    }
                } else {
                    if (run)
                        r = put_byte(raw, (uint8_t)(256 - run));
                    run = 0;
                    if (r == RAGC_OK)
                        r = put_byte(raw, (uint8_t)cur[j]);
                    *lossy |= (uint8_t)cur[j] >= 0x80;
                }
            }
            if (r == RAGC_OK && run)
                r = put_byte(raw, (uint8_t)(256 - run));
        }
        if (r < 0)
            return r;
        prev += pl;
        cur += cl;
        if (!*cur)
            break;
        r = put_byte(raw, ' ');
        if (r < 0)
            return r;
        prev++;
        cur++;
    }
    return put_byte(raw, 0);
}

int rg_serialize_contig_names(const rg_sample *samples, size_t n, rg_bytes *raw)
{
    int r = put_count(raw, n);
    for (size_t i = 0; r == RAGC_OK && i < n; i++) {
        const rg_sample *s = &samples[i];
        r = put_count(raw, s->n_contigs);
        const char *prev = NULL;
        size_t prev_k = 0;
        for (uint32_t c = 0; r == RAGC_OK && c < s->n_contigs; c++) {
            const char *name = s->contigs[c].name;
            size_t k = n_components(name);
            int lossy = 0;
            if (!prev || k != prev_k)
                r = put_cstr(raw, name);
            else
                r = encode_split(prev, name, raw, &lossy);
            if (lossy)
                hts_log_warning("contig name \"%s\" of sample \"%s\" holds bytes >= 0x80: "
                                "agc's name coding will not restore it", name, s->name);
            prev = name;
            prev_k = k;
        }
    }
    return r;
}

/* --- segment descriptors --------------------------------------------------- */

int rg_serialize_contig_details(const rg_sample *samples, size_t n, uint32_t length_pred,
                                rg_bytes raw[5])
{
    khash_t(cw_last) *last = kh_init(cw_last);   /* group -> last in-group id > 0 */
    if (!last)
        return RAGC_ERR_NOMEM;
    int r = put_count(&raw[0], n);
    for (size_t i = 0; r == RAGC_OK && i < n; i++) {
        const rg_sample *s = &samples[i];
        r = put_count(&raw[0], s->n_contigs);
        for (uint32_t c = 0; r == RAGC_OK && c < s->n_contigs; c++) {
            const rg_contig *ctg = &s->contigs[c];
            r = put_count(&raw[0], ctg->n_seg);
            for (uint32_t j = 0; r == RAGC_OK && j < ctg->n_seg; j++) {
                const rg_seg *sg = &ctg->seg[j];
                uint32_t ig = sg->in_group_id;
                if (ig > INT32_MAX || sg->rc > 1) {
                    hts_log_error("collection: bad segment descriptor (in-group id %u, rc %u)",
                                  ig, sg->rc);
                    r = RAGC_ERR_ARG;
                    break;
                }
                int absent;
                khint_t k = kh_put(cw_last, last, sg->group_id, &absent);
                if (absent < 0) {
                    r = RAGC_ERR_NOMEM;
                    break;
                }
                if (absent)
                    kh_val(last, k) = 0;   /* 0 = unset: stored ids are > 0 */
                uint32_t prev = kh_val(last, k);
                uint64_t e;
                if (prev == 0)
                    e = ig;
                else if (ig == 0)
                    e = 0;
                else if (ig == prev + 1)
                    e = 1;
                else
                    e = rg_zp_encode(ig, (uint64_t)prev + 1) + 1;
                uint64_t l = rg_zp_encode(sg->raw_length, length_pred);
                if (e > UINT32_MAX || l > UINT32_MAX) {
                    r = RAGC_ERR_ARG;
                    break;
                }
                if ((r = put_cvar(&raw[1], sg->group_id)) < 0
                    || (r = put_cvar(&raw[2], (uint32_t)e)) < 0
                    || (r = put_cvar(&raw[3], (uint32_t)l)) < 0
                    || (r = put_cvar(&raw[4], sg->rc)) < 0)
                    break;
                if (ig > prev)   /* prev is 0 when unset, so ig > 0 too */
                    kh_val(last, k) = ig;
            }
        }
    }
    kh_destroy(cw_last, last);
    return r;
}

int rg_write_collection_batch(rg_container_writer *w, int contigs_stream, int details_stream,
                              const rg_sample *samples, size_t n, uint32_t length_pred,
                              ZSTD_CCtx *cctx)
{
    rg_bytes names = { 0 }, names_z = { 0 }, sub[5] = { { 0 } }, packed[5] = { { 0 } },
             part = { 0 };
    ZSTD_CCtx *own = NULL;
    int r = RAGC_OK;
    if (!cctx && !(cctx = own = ZSTD_createCCtx()))
        r = RAGC_ERR_NOMEM;
    if (r == RAGC_OK)
        r = rg_serialize_contig_names(samples, n, &names);
    if (r == RAGC_OK)
        r = zstd_frame(cctx, names.s, names.len, RG_ZSTD_LEVEL_CONTIGS, &names_z);
    if (r == RAGC_OK)
        r = rg_serialize_contig_details(samples, n, length_pred, sub);
    for (int i = 0; r == RAGC_OK && i < 5; i++)
        r = zstd_frame(cctx, sub[i].s, sub[i].len, RG_ZSTD_LEVEL_DETAILS, &packed[i]);
    for (int i = 0; r == RAGC_OK && i < 5; i++)
        if ((r = put_count(&part, sub[i].len)) == RAGC_OK)
            r = put_count(&part, packed[i].len);
    for (int i = 0; r == RAGC_OK && i < 5; i++)
        r = rg_bytes_append(&part, packed[i].s, packed[i].len);
    if (r == RAGC_OK && names.len > UINT32_MAX)
        r = RAGC_ERR_ARG;
    if (r == RAGC_OK) {
        uint64_t raw_size = names.len;
        r = queue(w, contigs_stream, &names_z, raw_size);
        if (r == RAGC_OK)
            r = queue(w, details_stream, &part, 0);
    }
    ZSTD_freeCCtx(own);
    rg_bytes_free(&names);
    rg_bytes_free(&names_z);
    rg_bytes_free(&part);
    for (int i = 0; i < 5; i++) {
        rg_bytes_free(&sub[i]);
        rg_bytes_free(&packed[i]);
    }
    return r;
}

int rg_write_sample_names(rg_container_writer *w, int stream, char *const *names, size_t n,
                          ZSTD_CCtx *cctx)
{
    rg_bytes raw = { 0 }, z = { 0 };
    ZSTD_CCtx *own = NULL;
    int r = RAGC_OK;
    if (!cctx && !(cctx = own = ZSTD_createCCtx()))
        r = RAGC_ERR_NOMEM;
    if (r == RAGC_OK)
        r = rg_serialize_sample_names(names, n, &raw);
    if (r == RAGC_OK)
        r = zstd_frame(cctx, raw.s, raw.len, RG_ZSTD_LEVEL_SAMPLES, &z);
    if (r == RAGC_OK)
        r = queue(w, stream, &z, raw.len);
    ZSTD_freeCCtx(own);
    rg_bytes_free(&raw);
    rg_bytes_free(&z);
    return r;
}

/* --- metadata streams ------------------------------------------------------ */

int rg_write_params(rg_container_writer *w, int stream, uint32_t k, uint32_t m, uint32_t P,
                    uint32_t S)
{
    uint8_t b[16];
    put_le(b, k, 4);
    put_le(b + 4, m, 4);
    put_le(b + 8, P, 4);
    put_le(b + 12, S, 4);
    return rg_cw_add_part(w, stream, b, sizeof b, 0);
}

int rg_write_splitters(rg_container_writer *w, int stream, const uint64_t *sorted, size_t n)
{
    if (n > SIZE_MAX / 8)
        return RAGC_ERR_ARG;
    for (size_t i = 1; i < n; i++)
        if (sorted[i - 1] >= sorted[i]) {
            hts_log_error("splitters are not strictly ascending");
            return RAGC_ERR_ARG;
        }
    uint8_t *b = malloc(n ? n * 8 : 1);
    if (!b)
        return RAGC_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        put_le(b + 8 * i, sorted[i], 8);
    int r = rg_cw_add_part(w, stream, b, n * 8, n);
    free(b);
    return r;
}

static int key_cmp(const void *a, const void *b)
{
    const rg_segment_key *x = a, *y = b;
    if (x->kmer1 != y->kmer1)
        return x->kmer1 < y->kmer1 ? -1 : 1;
    if (x->kmer2 != y->kmer2)
        return x->kmer2 < y->kmer2 ? -1 : 1;
    return x->group_id < y->group_id ? -1 : x->group_id > y->group_id;
}

int rg_write_segment_splitters(rg_container_writer *w, int stream, rg_segment_key *keys,
                               size_t n)
{
    if (n > SIZE_MAX / 20)
        return RAGC_ERR_ARG;
    if (n > 1)
        qsort(keys, n, sizeof(rg_segment_key), key_cmp);
    uint8_t *b = malloc(n ? n * 20 : 1);
    if (!b)
        return RAGC_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        put_le(b + 20 * i, keys[i].kmer1, 8);
        put_le(b + 20 * i + 8, keys[i].kmer2, 8);
        put_le(b + 20 * i + 16, keys[i].group_id, 4);
    }
    int r = rg_cw_add_part(w, stream, b, n * 20, n);
    free(b);
    return r;
}

typedef struct {
    const char *key, *value;
} kv;

static int kv_cmp(const void *a, const void *b)
{
    /* std::map<string, string>: bytewise, i.e. unsigned char order */
    return strcmp(((const kv *)a)->key, ((const kv *)b)->key);
}

int rg_write_file_type_info_pairs(rg_container_writer *w, int stream, const char *const *keys,
                                  const char *const *values, size_t n)
{
    kv *p = malloc((n ? n : 1) * sizeof(kv));
    if (!p)
        return RAGC_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        p[i] = (kv){ keys[i], values[i] };
    qsort(p, n, sizeof(kv), kv_cmp);
    int r = RAGC_OK;
    for (size_t i = 1; i < n; i++)
        if (strcmp(p[i - 1].key, p[i].key) == 0) {
            hts_log_error("file_type_info: key \"%s\" given twice", p[i].key);
            r = RAGC_ERR_ARG;
        }
    rg_bytes b = { 0 };
    for (size_t i = 0; r == RAGC_OK && i < n; i++)
        if ((r = put_cstr(&b, p[i].key)) == RAGC_OK)
            r = put_cstr(&b, p[i].value);
    if (r == RAGC_OK)
        r = rg_cw_add_part(w, stream, b.s, b.len, n);
    rg_bytes_free(&b);
    free(p);
    return r;
}

int rg_write_file_type_info(rg_container_writer *w, int stream)
{
    static const char *const keys[] = { "producer", "producer_version_major",
                                        "producer_version_minor", "producer_version_build",
                                        "file_version_major", "file_version_minor", "comment" };
    /* RAGC_VERSION is MAJOR.MINOR.PATCH; the patch level takes the place
       of agc's build number */
    char major[16] = "0", minor[16] = "0", build[16] = "0";
    sscanf(RAGC_VERSION, "%15[0-9].%15[0-9].%15s", major, minor, build);
    const char *const values[] = { "ragc", major, minor, build, "3", "0", RG_RAGC_COMMENT };
    return rg_write_file_type_info_pairs(w, stream, keys, values, 7);
}
