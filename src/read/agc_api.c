/* agc_api.c -- agc's C library interface (agc-api.h) on top of ragc.h.

   The handle owns the archive and a small pool of idle decoders.  Every call
   that needs to decode takes a decoder from the pool (or creates one), uses
   it without holding any lock, and gives it back; so concurrent calls on one
   handle each work with their own decoder, while sequential calls reuse one
   and keep the benefit of its cache.  The pool lives behind a pointer so
   that functions taking a const agc_t * can use it without casts. */

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agc-api.h"
#include "ragc.h"

/* Idle decoders kept per handle; extra ones (from bursts of concurrent
   calls) are destroyed when returned. */
#define AGC_POOL_MAX 4

struct agc_pool {
    pthread_mutex_t lock;
    int n_idle;
    ragc_decoder *idle[AGC_POOL_MAX];
};

struct agc_t {
    ragc_archive *arc;
    struct agc_pool *pool;
};

/* Decoder pool ----------------------------------------------------------- */

static ragc_decoder *pool_get(const agc_t *h)
{
    ragc_decoder *dec = NULL;

    pthread_mutex_lock(&h->pool->lock);
    if (h->pool->n_idle > 0)
        dec = h->pool->idle[--h->pool->n_idle];
    pthread_mutex_unlock(&h->pool->lock);
    if (!dec)
        dec = ragc_decoder_init(h->arc, 0);
    return dec;
}

static void pool_put(const agc_t *h, ragc_decoder *dec)
{
    if (!dec)
        return;
    pthread_mutex_lock(&h->pool->lock);
    if (h->pool->n_idle < AGC_POOL_MAX) {
        h->pool->idle[h->pool->n_idle++] = dec;
        dec = NULL;
    }
    pthread_mutex_unlock(&h->pool->lock);
    if (dec)
        ragc_decoder_destroy(dec);
}

/* Helpers ---------------------------------------------------------------- */

static char *copy_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);

    if (p)
        memcpy(p, s, n);
    return p;
}

/* A NULL-terminated list of n copies, or NULL on allocation failure. */
static char **new_list(size_t n)
{
    char **list = malloc((n + 1) * sizeof *list);

    if (list)
        for (size_t i = 0; i <= n; i++)
            list[i] = NULL;
    return list;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Look a contig up by short name; sample may be NULL or "" for any. */
static int find(const agc_t *agc, const char *sample, const char *name,
                int64_t *s, int64_t *c)
{
    if (!agc || !name)
        return RAGC_ERR_ARG;
    if (sample && !*sample)
        sample = NULL;
    return ragc_find_contig(agc->arc, sample, name, s, c);
}

/* Opening and closing ---------------------------------------------------- */

agc_t *agc_open(char *fn, int prefetching)
{
    agc_t *h;

    (void) prefetching; /* the archive is read on demand either way */
    if (!fn)
        return NULL;
    h = malloc(sizeof *h);
    if (!h)
        return NULL;
    h->pool = malloc(sizeof *h->pool);
    if (!h->pool) {
        free(h);
        return NULL;
    }
    h->pool->n_idle = 0;
    if (pthread_mutex_init(&h->pool->lock, NULL) != 0) {
        free(h->pool);
        free(h);
        return NULL;
    }
    h->arc = ragc_open(fn, NULL);
    if (!h->arc) {
        pthread_mutex_destroy(&h->pool->lock);
        free(h->pool);
        free(h);
        return NULL;
    }
    return h;
}

int agc_close(agc_t *agc)
{
    if (!agc)
        return -1;
    for (int i = 0; i < agc->pool->n_idle; i++)
        ragc_decoder_destroy(agc->pool->idle[i]);
    pthread_mutex_destroy(&agc->pool->lock);
    free(agc->pool);
    ragc_close(agc->arc);
    free(agc);
    return 0;
}

/* Contigs ---------------------------------------------------------------- */

int agc_get_ctg_len(const agc_t *agc, const char *sample, const char *name)
{
    int64_t s, c, len;
    ragc_decoder *dec;
    int st = find(agc, sample, name, &s, &c);

    if (st == RAGC_ERR_AMBIGUOUS)
        return -2;
    if (st != RAGC_OK)
        return -1;
    /* A decoder is needed only for archives with unreliable stored lengths,
       but ragc decides that, so always offer one. */
    dec = pool_get(agc);
    if (!dec)
        return -1;
    len = ragc_contig_length(agc->arc, dec, s, c);
    pool_put(agc, dec);
    if (len < 0 || len > INT_MAX)
        return -1;
    return (int) len;
}

int agc_get_ctg_seq(const agc_t *agc, const char *sample, const char *name,
                    int start, int end, char *buf)
{
    int64_t s, c, from = start, to = end, len = 0;
    char *seq = NULL;
    ragc_decoder *dec;
    int st;

    if (!buf)
        return -1;
    if (find(agc, sample, name, &s, &c) != RAGC_OK)
        return -1;

    /* Range normalisation, in agc's order. */
    if (start < 0 && end < 0) {
        from = 0;
        to = INT64_MAX;
    } else {
        if (from < 0)
            from = 0;
        if (to < 0)
            to = INT64_MAX;
        if (from > to) {
            from = 0;
            to = INT64_MAX;
        }
    }

    dec = pool_get(agc);
    if (!dec)
        return -1;
    st = ragc_contig_fetch(dec, s, c, from, to, &seq, &len);
    pool_put(agc, dec);
    if (st != RAGC_OK || len < 0 || len > INT_MAX) {
        free(seq);
        return -1;
    }
    if (len > 0)
        memcpy(buf, seq, (size_t) len);
    buf[len] = '\0';
    free(seq);
    return (int) len;
}

/* Samples ---------------------------------------------------------------- */

int agc_n_sample(const agc_t *agc)
{
    int64_t n;

    if (!agc)
        return -1;
    n = ragc_n_samples(agc->arc);
    return n < 0 || n > INT_MAX ? -1 : (int) n;
}

int agc_n_ctg(const agc_t *agc, const char *sample)
{
    int64_t s, n;

    if (!agc || !sample)
        return -1;
    s = ragc_sample_index(agc->arc, sample);
    if (s < 0)
        return -1;
    n = ragc_n_contigs(agc->arc, s);
    return n < 0 || n > INT_MAX ? -1 : (int) n;
}

char *agc_reference_sample(const agc_t *agc)
{
    const char *ref;

    if (!agc)
        return NULL;
    ref = ragc_reference(agc->arc);
    return ref ? copy_string(ref) : NULL;
}

/* The names of a sample's contigs, or (sample < 0) of the samples. */
static const char *name_at(ragc_archive *arc, int64_t sample, int64_t i)
{
    return sample < 0 ? ragc_sample_name(arc, i) : ragc_contig_name(arc, sample, i);
}

/* A NULL-terminated list of copies of the n names name_at(arc, sample, i),
   or NULL if n is out of int's range or memory runs out. */
static char **copy_names(ragc_archive *arc, int64_t sample, int64_t n)
{
    char **list;

    if (n < 0 || n >= INT_MAX)
        return NULL;
    list = new_list((size_t) n);
    if (!list)
        return NULL;
    for (int64_t i = 0; i < n; i++) {
        const char *name = name_at(arc, sample, i);

        if (!name || !(list[i] = copy_string(name))) {
            agc_list_destroy(list);
            return NULL;
        }
    }
    return list;
}

char **agc_list_sample(const agc_t *agc, int *n_sample)
{
    int64_t n;
    char **list;

    if (!agc)
        return NULL;
    n = ragc_n_samples(agc->arc);
    list = copy_names(agc->arc, -1, n);
    if (!list)
        return NULL;
    qsort(list, (size_t) n, sizeof *list, cmp_names);
    if (n_sample)
        *n_sample = (int) n;
    return list;
}

char **agc_list_ctg(const agc_t *agc, const char *sample, int *n_ctg)
{
    int64_t s, n;
    char **list;

    if (!agc || !sample)
        return NULL;
    s = ragc_sample_index(agc->arc, sample);
    if (s < 0) {
        /* Unknown sample: an empty list, as agc gives. */
        list = new_list(0);
        if (list && n_ctg)
            *n_ctg = 0;
        return list;
    }
    n = ragc_n_contigs(agc->arc, s);
    list = copy_names(agc->arc, s, n);
    if (list && n_ctg)
        *n_ctg = (int) n;
    return list;
}

/* Freeing ---------------------------------------------------------------- */

int agc_list_destroy(char **list)
{
    if (list) {
        for (char **p = list; *p; p++)
            free(*p);
        free(list);
    }
    return 0;
}

int agc_string_destroy(char *sample)
{
    free(sample);
    return 0;
}
