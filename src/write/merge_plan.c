/* merge_plan.c -- stage 2 of the merge: every input group's output group
   (merge_internal.h).  Raw groups are shared; the first input keeps its
   ids; a shard's groups below its base's group count are its base's; all
   other groups are numbered on in input order, so the output's ids have
   no gap, as agc's append requires. */
#include <stdlib.h>

#include "grow.h"
#include "merge_internal.h"
#include "segment.h"

static int add_source(rg_merger *mg, uint32_t out, uint32_t input, uint32_t group)
{
    rg_merge_group *g = &mg->groups[out];
    RG_GROW(g->src, g->n_src, g->cap_src, 2, return RAGC_ERR_NOMEM);
    g->src[g->n_src++] = (rg_merge_source){ input, group };
    return RAGC_OK;
}

static int new_output_group(rg_merger *mg, uint32_t *id, uint32_t *cap)
{
    if (mg->n_groups == UINT32_MAX)
        return RAGC_ERR_INPUT;
    RG_GROW(mg->groups, mg->n_groups, *cap, 1024, return RAGC_ERR_NOMEM);
    mg->groups[mg->n_groups] = (rg_merge_group){ NULL, 0, 0, -1, -1 };
    *id = mg->n_groups++;
    return RAGC_OK;
}

int rg_merge_plan(rg_merger *mg)
{
    uint32_t cap = 0, id;
    int r = RAGC_OK;
    for (uint32_t g = 0; r == RAGC_OK && g < RG_RAW_GROUPS; g++)
        r = new_output_group(mg, &id, &cap);
    for (size_t i = 0; r == RAGC_OK && i < mg->n_in; i++) {
        rg_merge_input *in = &mg->in[i];
        /* a shard's own groups start after its base's */
        uint32_t first_own = in->base >= 0 ? mg->in[in->base].n_groups : RG_RAW_GROUPS;
        for (uint32_t g = 0; r == RAGC_OK && g < in->n_groups; g++) {
            if (g < RG_RAW_GROUPS)
                id = g;
            else if (g < first_own)
                id = mg->in[in->base].out_group[g];
            else
                r = new_output_group(mg, &id, &cap);
            if (r == RAGC_OK) {
                in->out_group[g] = id;
                r = add_source(mg, id, (uint32_t)i, g);
            }
        }
    }
    return r;
}
