/* merge.c -- ragc_merge: archives joined into one (merge_internal.h gives
   the stages; docs/scale-out.md the design). */
#include <stdlib.h>

#include <htslib/hts_log.h>

#include "merge_internal.h"
#include "outfile.h"

void ragc_merge_opts_init(ragc_merge_opts *o)
{
    *o = (ragc_merge_opts){ .threads = 1 };
}

static void merger_free(rg_merger *mg)
{
    for (size_t i = 0; mg->in && i < mg->n_in; i++) {
        if (mg->in[i].arc)
            ragc_close(mg->in[i].arc);
        for (uint32_t g = 0; mg->in[i].id_map && g < mg->in[i].n_groups; g++)
            free(mg->in[i].id_map[g]);
        free(mg->in[i].id_map);
        free(mg->in[i].n_members);
        free(mg->in[i].out_group);
        free(mg->in[i].id_offset);
    }
    free(mg->in);
    for (uint32_t g = 0; g < mg->n_groups; g++)
        free(mg->groups[g].src);
    free(mg->groups);
    for (size_t i = 0; i < mg->n_names; i++)
        free(mg->names[i]);
    free(mg->names);
}

/* The output's streams: the collection's first (agc's order), then the
   groups; the metadata and extension streams follow at the end. */
static int open_output(rg_merger *mg, ragc_outfile *out)
{
    if (!(mg->w = rg_cw_open(out)))
        return RAGC_ERR_NOMEM;
    if ((mg->s_samples = rg_cw_register(mg->w, "collection-samples")) < 0
        || (mg->s_contigs = rg_cw_register(mg->w, "collection-contigs")) < 0
        || (mg->s_details = rg_cw_register(mg->w, "collection-details")) < 0)
        return RAGC_ERR_NOMEM;
    return rg_merge_register_groups(mg);
}

static int merge_to(ragc_outfile *out, char *const *paths, size_t n, const ragc_merge_opts *o)
{
    rg_merger mg = { .by_contig = o->by_contig, .threads = o->threads };
    int r = rg_merge_open_inputs(&mg, paths, n);
    if (r == RAGC_OK)
        r = rg_merge_plan(&mg);
    if (r == RAGC_OK)
        r = open_output(&mg, out);
    if (r == RAGC_OK)
        r = rg_merge_write_groups(&mg);
    if (r == RAGC_OK)   /* after the groups: the descriptors need their id offsets */
        r = rg_merge_write_collection(&mg);
    if (mg.w) {
        int cr = r == RAGC_OK ? rg_cw_close(mg.w) : (rg_cw_discard(mg.w), RAGC_OK);
        r = r == RAGC_OK ? cr : r;
    }
    merger_free(&mg);
    return r;
}

static int check_args(char *const *paths, size_t n, const ragc_merge_opts *o)
{
    if (!paths || n == 0 || !o)
        return RAGC_ERR_ARG;
    for (size_t i = 0; i < n; i++)
        if (!paths[i])
            return RAGC_ERR_ARG;
    return RAGC_OK;
}

int ragc_merge_fd(int fd, char *const *paths, size_t n, const ragc_merge_opts *opts)
{
    int r = check_args(paths, n, opts);
    if (r < 0 || fd < 0)
        return r < 0 ? r : RAGC_ERR_ARG;
    ragc_outfile out = { .fd = fd, .path = NULL, .tmp = NULL };
    return merge_to(&out, paths, n, opts);
}

typedef struct {
    char *const *paths;
    size_t n;
    const ragc_merge_opts *opts;
} merge_args;

static int merge_args_fd(int fd, void *ctx)
{
    const merge_args *a = ctx;
    return ragc_merge_fd(fd, a->paths, a->n, a->opts);
}

int ragc_merge(const char *out_path, char *const *paths, size_t n, const ragc_merge_opts *opts)
{
    int r = check_args(paths, n, opts);
    if (r < 0)
        return r;
    merge_args a = { paths, n, opts };
    return rg_outfile_write_all(out_path, merge_args_fd, &a);
}
