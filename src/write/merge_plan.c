/* merge_plan.c -- stage 2 of the merge: every input group's output group
   (merge_internal.h).  Raw groups are shared; the first input keeps its
   ids; a shard's groups below its base's group count are its base's; a
   group a shard opened for a splitter pair that an earlier shard of the
   same base opened too joins that group (its members coded again against
   that group's reference: two references of nearly the same sequence cost
   more than one reference and a delta); all other groups are numbered on
   in input order, so the output's ids have no gap, as agc's append
   requires. */
#include <stdlib.h>

#include <htslib/khash.h>

#include "grow.h"
#include "merge_internal.h"
#include "segment.h"

typedef struct {
    uint64_t a, b;
} key_pair;

static inline khint_t key_hash(key_pair k)
{
    return kh_int64_hash_func(k.a * 0x9E3779B97F4A7C15ULL ^ k.b);
}
#define key_eq(x, y) ((x).a == (y).a && (x).b == (y).b)
KHASH_INIT(rg_merge_keys, key_pair, uint32_t, 1, key_hash, key_eq)

static int add_source(rg_merger *mg, uint32_t out, uint32_t input, uint32_t group, int recode)
{
    rg_merge_group *g = &mg->groups[out];
    RG_GROW(g->src, g->n_src, g->cap_src, 2, return RAGC_ERR_NOMEM);
    g->src[g->n_src++] = (rg_merge_source){ input, group, recode };
    return RAGC_OK;
}

static int new_output_group(rg_merger *mg, uint32_t *id, uint32_t *cap, int made_by)
{
    if (mg->n_groups == UINT32_MAX)
        return RAGC_ERR_INPUT;
    RG_GROW(mg->groups, mg->n_groups, *cap, 1024, return RAGC_ERR_NOMEM);
    mg->groups[mg->n_groups] = (rg_merge_group){ NULL, 0, 0, -1, -1, made_by };
    *id = mg->n_groups++;
    return RAGC_OK;
}

/* The splitter pair of each LZ group the input opened (from its
   segment-splitters; a group without one is never joined). */
static int group_keys(const rg_merge_input *in, uint32_t first_own, key_pair **keys, uint8_t **has)
{
    uint8_t *data;
    size_t len;
    uint64_t n;
    *keys = calloc(in->n_groups, sizeof(key_pair));
    *has = calloc(in->n_groups, 1);
    if (!*keys || !*has)
        return RAGC_ERR_NOMEM;
    int r = rg_container_read_records(&in->arc->ctr, "segment-splitters", 20, &data, &len, &n);
    if (r < 0)
        return r;
    for (uint64_t k = 0; k < n; k++) {
        const uint8_t *e = data + 20 * k;
        uint32_t g = (uint32_t)e[16] | (uint32_t)e[17] << 8 | (uint32_t)e[18] << 16 | (uint32_t)e[19] << 24;
        if (g >= first_own && g < in->n_groups && !(*has)[g]) {
            (*keys)[g] = (key_pair){ rg_le64(e), rg_le64(e + 8) };
            (*has)[g] = 1;
        }
    }
    free(data);
    return RAGC_OK;
}

/* The output group of the input's own group g: a new one, or, for a
   shard, the group an earlier shard of its base opened for the same key. */
static int own_group(rg_merger *mg, khash_t(rg_merge_keys) *h, size_t i, uint32_t g, const key_pair *keys,
                     const uint8_t *has, uint32_t *cap, uint32_t *id, int *recode)
{
    rg_merge_input *in = &mg->in[i];
    int made_by = in->base >= 0 ? in->base : (int)i;
    *recode = 0;
    if (has[g]) {
        khint_t it = kh_get(rg_merge_keys, h, keys[g]);
        if (it != kh_end(h) && in->base >= 0 && mg->groups[kh_val(h, it)].made_by == made_by) {
            *id = kh_val(h, it);
            *recode = 1;
            return RAGC_OK;
        }
    }
    int r = new_output_group(mg, id, cap, made_by);
    if (r == RAGC_OK && has[g]) {
        int absent;
        khint_t it = kh_put(rg_merge_keys, h, keys[g], &absent);
        if (absent < 0)
            return RAGC_ERR_NOMEM;
        if (absent)
            kh_val(h, it) = *id;
    }
    return r;
}

static int plan_input(rg_merger *mg, khash_t(rg_merge_keys) *h, size_t i, uint32_t *cap)
{
    rg_merge_input *in = &mg->in[i];
    /* a shard's own groups start after its base's */
    uint32_t first_own = in->base >= 0 ? mg->in[in->base].n_groups : RG_RAW_GROUPS;
    key_pair *keys = NULL;
    uint8_t *has = NULL;
    int r = group_keys(in, first_own, &keys, &has);
    for (uint32_t g = 0; r == RAGC_OK && g < in->n_groups; g++) {
        uint32_t id;
        int recode = 0;
        if (g < RG_RAW_GROUPS)
            id = g;
        else if (g < first_own)
            id = mg->in[in->base].out_group[g];
        else
            r = own_group(mg, h, i, g, keys, has, cap, &id, &recode);
        if (r == RAGC_OK) {
            in->out_group[g] = id;
            r = add_source(mg, id, (uint32_t)i, g, recode);
        }
    }
    free(keys);
    free(has);
    return r;
}

int rg_merge_plan(rg_merger *mg)
{
    uint32_t cap = 0, id;
    khash_t(rg_merge_keys) *h = kh_init(rg_merge_keys);
    int r = h ? RAGC_OK : RAGC_ERR_NOMEM;
    for (uint32_t g = 0; r == RAGC_OK && g < RG_RAW_GROUPS; g++)
        r = new_output_group(mg, &id, &cap, -1);
    for (size_t i = 0; r == RAGC_OK && i < mg->n_in; i++)
        r = plan_input(mg, h, i, &cap);
    if (h)
        kh_destroy(rg_merge_keys, h);
    return r;
}
