/* faidx_view.c -- the sample `ragc faidx` reads; see faidx_view.h. */
#include "faidx_view.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/khash.h>

#include "cli.h"

KHASH_MAP_INIT_STR(faidx_names, int64_t)

struct faidx_view {
    int64_t sample;
    ragc_vfasta *vf;
    khash_t(faidx_names) *names;
    char **keys;          /* the hash keys (first words), owned */
    int64_t n_keys;
};

/* The names samtools would index: each header's first word; a repeated name
   keeps its first contig (htslib ignores duplicates). */
static int build_names(faidx_view *v)
{
    int64_t n = ragc_vfasta_n_contigs(v->vf);
    if (n > INT_MAX) {
        cli_error("faidx", "too many contigs");
        return -1;
    }
    if (!(v->names = kh_init(faidx_names)) || (n && !(v->keys = calloc((size_t)n, sizeof(char *)))))
        goto nomem;
    for (int64_t i = 0; i < n; i++) {
        const char *s = ragc_vfasta_contig_name(v->vf, i);
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\f' || *s == '\v')
            s++;
        size_t w = strcspn(s, " \t\r\n\f\v");
        if (!(v->keys[i] = malloc(w + 1)))
            goto nomem;
        v->n_keys = i + 1;
        memcpy(v->keys[i], s, w);
        v->keys[i][w] = '\0';
        int absent;
        khint_t k = kh_put(faidx_names, v->names, v->keys[i], &absent);
        if (absent < 0)
            goto nomem;
        if (absent)
            kh_val(v->names, k) = i;
    }
    return 0;
nomem:
    cli_error("faidx", "out of memory");
    return -1;
}

faidx_view *faidx_view_open(ragc_archive *arc, int64_t s)
{
    faidx_view *v = calloc(1, sizeof(*v));
    if (!v) {
        cli_error("faidx", "out of memory");
        return NULL;
    }
    int status;
    v->sample = s;
    if (!(v->vf = ragc_vfasta_open(arc, s, RAGC_VFASTA_LINE_WIDTH, &status))) {
        cli_error("faidx", "cannot read sample %s: %s", ragc_sample_name(arc, s), ragc_errmsg(status));
        free(v);
        return NULL;
    }
    if (build_names(v) < 0) {
        faidx_view_close(v);
        return NULL;
    }
    return v;
}

void faidx_view_close(faidx_view *v)
{
    if (!v)
        return;
    if (v->names)
        kh_destroy(faidx_names, v->names);
    for (int64_t i = 0; i < v->n_keys; i++)
        free(v->keys[i]);
    free(v->keys);
    ragc_vfasta_close(v->vf);
    free(v);
}

ragc_vfasta *faidx_view_fasta(const faidx_view *v)
{
    return v->vf;
}

int64_t faidx_view_sample(const faidx_view *v)
{
    return v->sample;
}

int faidx_view_name2id(void *ctx, const char *name)
{
    faidx_view *v = ctx;
    khint_t k = kh_get(faidx_names, v->names, name);
    return k == kh_end(v->names) ? -1 : (int)kh_val(v->names, k);
}

/* The contig name a region may mean, as hts_parse_region reads it: the
   whole text, else the text before its last ':'; {NAME} braces removed. */
static char *region_name(const char *region, int whole)
{
    size_t n = strlen(region);
    if (region[0] == '{') {
        const char *close = strchr(region, '}');
        return close ? strndup(region + 1, (size_t)(close - region - 1)) : NULL;
    }
    if (!whole) {
        const char *colon = strrchr(region, ':');
        if (!colon)
            return NULL;
        n = (size_t)(colon - region);
    }
    return strndup(region, n);
}

int faidx_locate(ragc_archive *arc, const char *region, int64_t *sample)
{
    int r = RAGC_ERR_NO_CONTIG;
    for (int whole = 1; whole >= 0 && r == RAGC_ERR_NO_CONTIG; whole--) {
        char *name = region_name(region, whole);
        int64_t c;
        if (name && *name) {
            r = ragc_find_contig(arc, ragc_reference(arc), name, sample, &c);
            if (r != RAGC_OK)
                r = ragc_find_contig(arc, NULL, name, sample, &c);
        }
        free(name);
        if (region[0] == '{')
            break;
    }
    return r == RAGC_ERR_NO_SAMPLE ? RAGC_ERR_NO_CONTIG : r;
}
