/* merge_collection.c -- stage 4 of the merge (merge_internal.h): the
   output's samples and their descriptors, renumbered into the output
   groups; the samples' original forms and MD5s; then the metadata
   streams.  Samples come in input order, each input's in its stored
   order.  --by-contig: samples of the same name are one sample, its
   contigs those of each input in input order. */
#include <stdlib.h>
#include <string.h>

#include <htslib/hts_log.h>
#include <htslib/khash.h>

#include "collection_write.h"
#include "ext_stream.h"
#include "grow.h"
#include "merge_internal.h"
#include "original.h"
#include "original_store.h"
#include "segment.h"
#include "sort_u64.h"

KHASH_MAP_INIT_STR(rg_merge_names, size_t)

/* One input's share of an output sample. */
typedef struct {
    uint32_t input;
    uint64_t stored;
} piece;

typedef struct {
    const char *name;   /* the input's string */
    piece *p;
    size_t n, cap;
} out_sample;

/* Per input: a decoder for its extension streams, their readers, and the
   API index of each stored sample (the readers take API indices). */
typedef struct {
    ragc_decoder *dec;
    rg_ext_reader md5, orig;
    int64_t *api;
} input_ext;

typedef struct {
    rg_merger *mg;
    out_sample *s;
    size_t n, cap;
    input_ext *ext;
    rg_ext_stream md5, orig;
} collection_state;

static int plan_samples(collection_state *cs)
{
    rg_merger *mg = cs->mg;
    khash_t(rg_merge_names) *h = kh_init(rg_merge_names);
    if (!h)
        return RAGC_ERR_NOMEM;
    int r = RAGC_OK;
    for (size_t i = 0; r == RAGC_OK && i < mg->n_in; i++) {
        const rg_collection *col = &mg->in[i].arc->col;
        for (uint64_t s = 0; r == RAGC_OK && s < col->n_samples; s++) {
            int absent;
            khint_t it = kh_put(rg_merge_names, h, col->samples[s].name, &absent);
            if (absent < 0) {
                r = RAGC_ERR_NOMEM;
                break;
            }
            if (!absent && !mg->by_contig) {
                hts_log_error("sample %s is in %s and in %s: sample names must be unique (--by-contig "
                              "joins the contigs of samples of the same name)", col->samples[s].name,
                              mg->in[cs->s[kh_val(h, it)].p[0].input].path, mg->in[i].path);
                r = RAGC_ERR_ARG;
                break;
            }
            if (absent) {
                RG_GROW(cs->s, cs->n, cs->cap, 64, r = RAGC_ERR_NOMEM);
                if (r < 0)
                    break;
                cs->s[cs->n] = (out_sample){ col->samples[s].name, NULL, 0, 0 };
                kh_val(h, it) = cs->n++;
            }
            out_sample *o = &cs->s[kh_val(h, it)];
            RG_GROW(o->p, o->n, o->cap, 1, r = RAGC_ERR_NOMEM);
            if (r < 0)
                break;
            o->p[o->n++] = (piece){ (uint32_t)i, s };
        }
    }
    kh_destroy(rg_merge_names, h);
    return r;
}

/* A descriptor of input `in` in output terms. */
static int remap_segment(const rg_merge_input *in, const rg_seg *from, rg_seg *to)
{
    if (from->group_id >= in->n_groups) {
        hts_log_error("corrupt archive %s: a segment of group %u, which it does not have", in->path, from->group_id);
        return RAGC_ERR_FORMAT;
    }
    uint32_t g = from->group_id, out = in->out_group[g];
    uint64_t id;
    if (from->in_group_id >= in->n_members[g]) {
        hts_log_error("corrupt archive %s: a segment of member %u of group %u, which has %llu", in->path,
                      from->in_group_id, g, (unsigned long long)in->n_members[g]);
        return RAGC_ERR_FORMAT;
    }
    if (in->id_map[g]) {   /* a recoded group */
        id = in->id_map[g][from->in_group_id];
    } else {
        id = out >= RG_RAW_GROUPS && from->in_group_id == 0 ? 0 : (uint64_t)from->in_group_id + in->id_offset[g];
    }
    if (id >= (UINT64_C(1) << 31)) {   /* agc keeps in-group ids in an int */
        hts_log_error("group %u would have more than 2^31 members", out);
        return RAGC_ERR_INPUT;
    }
    *to = *from;
    to->group_id = out;
    to->in_group_id = (uint32_t)id;
    return RAGC_OK;
}

static int input_decoder(collection_state *cs, uint32_t i);

/* agc 3.0 and 3.1 stored wrong lengths for the samples they appended
   (archive.c: lengths_untrusted): the output, which names ragc, gets the
   decoded segment's. */
static int true_length(collection_state *cs, uint32_t i, const rg_seg *in_seg, rg_seg *out)
{
    const uint8_t *codes;
    size_t len;
    int r = input_decoder(cs, i);
    if (r == RAGC_OK)
        r = rg_segment_decode(cs->ext[i].dec, in_seg, &codes, &len);
    if (r < 0)
        return r;
    if (len > UINT32_MAX)
        return RAGC_ERR_FORMAT;
    out->raw_length = (uint32_t)len;
    return RAGC_OK;
}

/* The contigs of output sample o, renumbered (names point into the inputs). */
static int build_sample(collection_state *cs, const out_sample *o, rg_sample *dst)
{
    rg_merger *mg = cs->mg;
    size_t total = 0;
    int r = RAGC_OK;
    for (size_t k = 0; r == RAGC_OK && k < o->n; k++) {
        rg_collection *col = &mg->in[o->p[k].input].arc->col;
        if ((r = rg_collection_ensure(col, o->p[k].stored)) == RAGC_OK)
            total += col->samples[o->p[k].stored].n_contigs;
    }
    if (r < 0)
        return r;
    if (total > UINT32_MAX) {
        hts_log_error("sample %s would have more than 2^32 contigs", o->name);
        return RAGC_ERR_INPUT;
    }
    memset(dst, 0, sizeof(*dst));
    dst->name = (char *)o->name;
    if (!(dst->contigs = calloc(total ? total : 1, sizeof(rg_contig))))
        return RAGC_ERR_NOMEM;
    for (size_t k = 0; r == RAGC_OK && k < o->n; k++) {
        const rg_merge_input *in = &mg->in[o->p[k].input];
        const rg_sample *src = &in->arc->col.samples[o->p[k].stored];
        for (uint32_t c = 0; r == RAGC_OK && c < src->n_contigs; c++) {
            rg_contig *d = &dst->contigs[dst->n_contigs++];
            d->name = src->contigs[c].name;
            d->n_seg = src->contigs[c].n_seg;
            if (d->n_seg && !(d->seg = malloc(d->n_seg * sizeof(rg_seg)))) {
                r = RAGC_ERR_NOMEM;
                break;
            }
            for (uint32_t i = 0; r == RAGC_OK && i < d->n_seg; i++) {
                r = remap_segment(in, &src->contigs[c].seg[i], &d->seg[i]);
                if (r == RAGC_OK && in->arc->lengths_untrusted)
                    r = true_length(cs, o->p[k].input, &src->contigs[c].seg[i], &d->seg[i]);
            }
        }
    }
    return r;
}

/* --by-contig: a contig name twice in one sample would make lookups ambiguous. */
static int check_contig_names(const out_sample *o, const rg_sample *s)
{
    if (o->n < 2)
        return RAGC_OK;
    khash_t(rg_merge_names) *h = kh_init(rg_merge_names);
    if (!h)
        return RAGC_ERR_NOMEM;
    int r = RAGC_OK;
    for (uint32_t c = 0; r == RAGC_OK && c < s->n_contigs; c++) {
        int absent;
        kh_put(rg_merge_names, h, s->contigs[c].name, &absent);
        if (absent < 0)
            r = RAGC_ERR_NOMEM;
        else if (!absent) {
            hts_log_error("sample %s: contig %s is in more than one input", o->name, s->contigs[c].name);
            r = RAGC_ERR_ARG;
        }
    }
    kh_destroy(rg_merge_names, h);
    return r;
}

static void free_built(rg_sample *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (uint32_t c = 0; c < s[i].n_contigs; c++)
            free(s[i].contigs[c].seg);
        free(s[i].contigs);
    }
}

/* Input i's decoder (and the API index of each stored sample), made on first use. */
static int input_decoder(collection_state *cs, uint32_t i)
{
    input_ext *x = &cs->ext[i];
    ragc_archive *arc = cs->mg->in[i].arc;
    if (x->dec)
        return RAGC_OK;
    if (!(x->dec = ragc_decoder_init(arc, 0)) || !(x->api = malloc((arc->col.n_samples + 1) * sizeof(int64_t))))
        return RAGC_ERR_NOMEM;
    for (uint64_t a = 0; a < arc->col.n_samples; a++)
        x->api[arc->col.listing[a]] = (int64_t)a;
    return RAGC_OK;
}

/* The blob of stored sample `stored` of input i in one of its streams:
   1 with *blob set (valid until the reader's next call), 0 without. */
static int input_blob(collection_state *cs, uint32_t i, rg_ext_reader *rd, uint64_t stored, const uint8_t **blob,
                      size_t *len)
{
    input_ext *x = &cs->ext[i];
    int r = input_decoder(cs, i);
    if (r < 0)
        return r;
    r = rg_ext_reader_blob(x->dec, rd, x->api[stored]);
    if (r == 1) {
        *blob = rd->blob;
        *len = rd->blob_len;
    }
    return r;
}

/* The MD5s of output sample `index`: stored when every piece has them. */
static int store_md5(collection_state *cs, const out_sample *o, uint64_t index)
{
    rg_bytes all = { 0 };
    int r = RAGC_OK, complete = 1;
    for (size_t k = 0; r == RAGC_OK && complete && k < o->n; k++) {
        const uint8_t *blob;
        size_t len;
        uint32_t i = o->p[k].input;
        r = input_blob(cs, i, &cs->ext[i].md5, o->p[k].stored, &blob, &len);
        if (r == 1)
            r = rg_bytes_append(&all, blob, len);
        else if (r == 0)
            complete = 0;   /* then readers compute them all by decoding */
    }
    if (r == RAGC_OK && complete && all.len)
        r = rg_ext_store(&cs->md5, index, all.s, all.len);
    rg_bytes_free(&all);
    return r;
}

/* The original form of output sample `index`: each piece's (--by-contig:
   joined); a sample with some pieces that have one and some that do not
   cannot be kept whole. */
static int store_original(collection_state *cs, const out_sample *o, uint64_t index)
{
    rg_bytes *copies = calloc(o->n, sizeof(rg_bytes));
    const uint8_t **blobs = calloc(o->n, sizeof(*blobs));
    size_t *lens = calloc(o->n, sizeof(*lens)), have = 0;
    int r = copies && blobs && lens ? RAGC_OK : RAGC_ERR_NOMEM;
    for (size_t k = 0; r == RAGC_OK && k < o->n; k++) {
        const uint8_t *blob;
        size_t len;
        uint32_t i = o->p[k].input;
        r = input_blob(cs, i, &cs->ext[i].orig, o->p[k].stored, &blob, &len);
        if (r == 1) {   /* copied: the reader's buffer changes with the next sample */
            r = rg_bytes_append(&copies[k], blob, len);
            blobs[k] = copies[k].s;
            lens[k] = len;
            have++;
        }
    }
    if (r == RAGC_OK && have && have < o->n) {
        hts_log_error("sample %s has its original form in some inputs and not in others (made with "
                      "--no-original): it cannot be kept; make the inputs alike", o->name);
        r = RAGC_ERR_INPUT;
    }
    if (r == RAGC_OK && have == 1) {
        r = rg_ext_store(&cs->orig, index, blobs[0], lens[0]);
    } else if (r == RAGC_OK && have > 1) {
        rg_bytes joined = { 0 };
        if ((r = rg_orig_join(blobs, lens, o->n, &joined)) == RAGC_OK)
            r = rg_ext_store(&cs->orig, index, joined.s, joined.len);
        rg_bytes_free(&joined);
    }
    for (size_t k = 0; copies && k < o->n; k++)
        rg_bytes_free(&copies[k]);
    free(copies);
    free(blobs);
    free(lens);
    return r;
}

static int write_batch(collection_state *cs, size_t first, size_t n, ZSTD_CCtx *z)
{
    rg_merger *mg = cs->mg;
    rg_sample *batch = calloc(n ? n : 1, sizeof(rg_sample));
    if (!batch)
        return RAGC_ERR_NOMEM;
    size_t built = 0;
    int r = RAGC_OK;
    for (; r == RAGC_OK && built < n; built++) {
        const out_sample *o = &cs->s[first + built];
        r = build_sample(cs, o, &batch[built]);
        if (r == RAGC_OK && mg->by_contig)
            r = check_contig_names(o, &batch[built]);
        if (r == RAGC_OK)
            r = store_md5(cs, o, first + built);
        if (r == RAGC_OK)
            r = store_original(cs, o, first + built);
    }
    if (r == RAGC_OK)
        r = rg_write_collection_batch(mg->w, mg->s_contigs, mg->s_details, batch, n, mg->S + mg->k, z);
    free_built(batch, built);
    free(batch);
    /* each input sample goes to one output sample: its contigs are done
       with, and memory stays that of a batch whatever the inputs' size */
    for (size_t i = 0; i < built; i++)
        for (size_t k = 0; k < cs->s[first + i].n; k++) {
            const piece *p = &cs->s[first + i].p[k];
            rg_sample_free_contigs(&mg->in[p->input].arc->col.samples[p->stored]);
        }
    return r;
}

static void free_state(collection_state *cs)
{
    for (size_t i = 0; i < cs->n; i++)
        free(cs->s[i].p);
    free(cs->s);
    for (size_t i = 0; cs->ext && i < cs->mg->n_in; i++) {
        rg_ext_reader_free(&cs->ext[i].md5);
        rg_ext_reader_free(&cs->ext[i].orig);
        if (cs->ext[i].dec)
            ragc_decoder_destroy(cs->ext[i].dec);
        free(cs->ext[i].api);
    }
    free(cs->ext);
    rg_ext_free(&cs->md5);
    rg_ext_free(&cs->orig);
}

int rg_merge_write_collection(rg_merger *mg)
{
    collection_state cs = { .mg = mg };
    rg_ext_init(&cs.md5, RG_MD5_STREAM, 0);
    rg_ext_init(&cs.orig, RG_ORIG_STREAM, 1);
    int r = (cs.ext = calloc(mg->n_in, sizeof(input_ext))) ? RAGC_OK : RAGC_ERR_NOMEM;
    for (size_t i = 0; r == RAGC_OK && i < mg->n_in; i++) {
        rg_ext_reader_init(&cs.ext[i].md5, RG_MD5_STREAM, 0);
        rg_ext_reader_init(&cs.ext[i].orig, RG_ORIG_STREAM, 1);
    }
    if (r == RAGC_OK)
        r = plan_samples(&cs);
    ZSTD_CCtx *z = r == RAGC_OK ? ZSTD_createCCtx() : NULL;
    if (r == RAGC_OK && !z)
        r = RAGC_ERR_NOMEM;
    for (size_t first = 0; r == RAGC_OK && first < cs.n; first += mg->P)
        r = write_batch(&cs, first, cs.n - first < mg->P ? cs.n - first : mg->P, z);
    if (r == RAGC_OK && !(mg->names = calloc(cs.n ? cs.n : 1, sizeof(char *))))
        r = RAGC_ERR_NOMEM;
    for (size_t i = 0; r == RAGC_OK && i < cs.n; i++)
        if (!(mg->names[mg->n_names++] = strdup(cs.s[i].name)))
            r = RAGC_ERR_NOMEM;
    if (r == RAGC_OK)
        r = rg_write_sample_names(mg->w, mg->s_samples, mg->names, mg->n_names, z);
    if (r == RAGC_OK)
        r = rg_merge_write_metadata(mg);
    if (r == RAGC_OK)   /* ragc's extension streams, after agc's */
        r = rg_ext_write(&cs.orig, mg->w);
    if (r == RAGC_OK)
        r = rg_ext_write(&cs.md5, mg->w);
    ZSTD_freeCCtx(z);
    free_state(&cs);
    return r;
}

/* Every input's splitters, once each, ascending. */
static int write_splitters(rg_merger *mg, int stream)
{
    uint64_t *all = NULL;
    size_t n = 0, cap = 0;
    int r = RAGC_OK;
    for (size_t i = 0; r == RAGC_OK && i < mg->n_in; i++) {
        uint8_t *data;
        size_t len;
        uint64_t cnt;
        if ((r = rg_container_read_records(&mg->in[i].arc->ctr, "splitters", 8, &data, &len, &cnt)) < 0)
            break;
        for (uint64_t k = 0; r == RAGC_OK && k < cnt; k++) {
            RG_GROW(all, n, cap, 1024, r = RAGC_ERR_NOMEM);
            if (r == RAGC_OK)
                all[n++] = rg_le64(data + 8 * k);
        }
        free(data);
    }
    if (r == RAGC_OK && (r = rg_sort_u64(all, n)) == RAGC_OK) {
        size_t u = 0;
        for (size_t k = 0; k < n; k++)
            if (u == 0 || all[u - 1] != all[k])
                all[u++] = all[k];
        r = rg_write_splitters(mg->w, stream, all, u);
    }
    free(all);
    return r;
}

/* Group keys: rank orders the inputs, so that the first input naming a key
   keeps it when two name it (independent archives, or shards that opened
   a group for the same key). */
typedef struct {
    rg_segment_key key;
    uint64_t rank;
} ranked_key;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked_key *x = a, *y = b;
    if (x->key.kmer1 != y->key.kmer1)
        return x->key.kmer1 < y->key.kmer1 ? -1 : 1;
    if (x->key.kmer2 != y->key.kmer2)
        return x->key.kmer2 < y->key.kmer2 ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static int write_group_keys(rg_merger *mg, int stream)
{
    ranked_key *all = NULL;
    size_t n = 0, cap = 0;
    int r = RAGC_OK;
    for (size_t i = 0; r == RAGC_OK && i < mg->n_in; i++) {
        const rg_merge_input *in = &mg->in[i];
        uint8_t *data;
        size_t len;
        uint64_t cnt;
        if ((r = rg_container_read_records(&in->arc->ctr, "segment-splitters", 20, &data, &len, &cnt)) < 0)
            break;
        for (uint64_t k = 0; r == RAGC_OK && k < cnt; k++) {
            const uint8_t *e = data + 20 * k;
            uint32_t g = (uint32_t)e[16] | (uint32_t)e[17] << 8 | (uint32_t)e[18] << 16 | (uint32_t)e[19] << 24;
            if (g >= in->n_groups) {
                hts_log_error("corrupt archive %s: segment-splitters names group %u of %u", in->path, g, in->n_groups);
                r = RAGC_ERR_FORMAT;
                break;
            }
            RG_GROW(all, n, cap, 1024, r = RAGC_ERR_NOMEM);
            if (r == RAGC_OK) {
                all[n] = (ranked_key){ { rg_le64(e), rg_le64(e + 8), in->out_group[g] }, n };
                n++;
            }
        }
        free(data);
    }
    /* agc's map always has the raw key; last in rank, so an input's own wins */
    if (r == RAGC_OK) {
        RG_GROW(all, n, cap, 1, r = RAGC_ERR_NOMEM);
        if (r == RAGC_OK) {
            all[n] = (ranked_key){ { UINT64_MAX, UINT64_MAX, 0 }, UINT64_MAX };
            n++;
        }
    }
    rg_segment_key *keys = r == RAGC_OK ? malloc((n ? n : 1) * sizeof(*keys)) : NULL;
    if (r == RAGC_OK && !keys)
        r = RAGC_ERR_NOMEM;
    size_t u = 0;
    if (r == RAGC_OK) {
        qsort(all, n, sizeof(*all), cmp_ranked);
        for (size_t k = 0; k < n; k++)
            if (u == 0 || keys[u - 1].kmer1 != all[k].key.kmer1 || keys[u - 1].kmer2 != all[k].key.kmer2)
                keys[u++] = all[k].key;
        r = rg_write_segment_splitters(mg->w, stream, keys, u);
    }
    free(keys);
    free(all);
    return r;
}

int rg_merge_write_metadata(rg_merger *mg)
{
    int s_params, s_spl, s_segspl, s_info;
    if ((s_params = rg_cw_register(mg->w, "params")) < 0 || (s_spl = rg_cw_register(mg->w, "splitters")) < 0
        || (s_segspl = rg_cw_register(mg->w, "segment-splitters")) < 0
        || (s_info = rg_cw_register(mg->w, "file_type_info")) < 0)
        return RAGC_ERR_NOMEM;
    int r = rg_write_params(mg->w, s_params, mg->k, mg->m, mg->P, mg->S);
    if (r == RAGC_OK)
        r = write_splitters(mg, s_spl);
    if (r == RAGC_OK)
        r = write_group_keys(mg, s_segspl);
    if (r == RAGC_OK)
        r = rg_write_file_type_info(mg->w, s_info);
    return r;
}
