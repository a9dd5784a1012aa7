/* archive_pool.c -- one open archive per file for the whole process
   (archive_pool.h). */
#include "archive_pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <htslib/hts_log.h>

typedef struct pool_entry {
    struct pool_entry *next;
    char *url;                 /* a remote archive, known by its URL; else NULL */
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    ragc_archive *arc;
    int refs;
    int stale;                 /* the file changed: closed at its last release */
    uint64_t last_use;         /* for choosing the idle archive to close */
    pthread_mutex_t md5_lock;  /* guards md5_dec, which one thread uses at a time */
    ragc_decoder *md5_dec;
} pool_entry;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pool_entry *pool_head;
static uint64_t pool_clock;

static int same_file(const pool_entry *e, const struct stat *st)
{
    return e->dev == st->st_dev && e->ino == st->st_ino && e->size == st->st_size
           && e->mtime.tv_sec == st->st_mtim.tv_sec && e->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

static void entry_free(pool_entry *e)
{
    free(e->url);
    ragc_decoder_destroy(e->md5_dec);
    pthread_mutex_destroy(&e->md5_lock);
    ragc_close(e->arc);
    free(e);
}

/* Unlinks e (the caller holds pool_lock). */
static void unlink_entry(pool_entry *e)
{
    for (pool_entry **p = &pool_head; *p; p = &(*p)->next)
        if (*p == e) {
            *p = e->next;
            return;
        }
}

/* Closes idle archives beyond POOL_IDLE, least recently used first, into
   *out (a list the caller frees outside the lock). */
static void trim_idle(pool_entry **out)
{
    for (;;) {
        int idle = 0;
        pool_entry *oldest = NULL;
        for (pool_entry *e = pool_head; e; e = e->next)
            if (e->refs == 0) {
                idle++;
                if (!oldest || e->last_use < oldest->last_use)
                    oldest = e;
            }
        if (idle <= POOL_IDLE)
            return;
        unlink_entry(oldest);
        oldest->next = *out;
        *out = oldest;
    }
}

static void free_list(pool_entry *e)
{
    while (e) {
        pool_entry *next = e->next;
        entry_free(e);
        e = next;
    }
}

/* The entry serving st, or NULL; a changed file's entry is retired. */
static pool_entry *find_entry(const struct stat *st, pool_entry **retired)
{
    for (pool_entry *e = pool_head; e; e = e->next) {
        if (e->url || e->stale || e->dev != st->st_dev || e->ino != st->st_ino)
            continue;
        if (same_file(e, st))
            return e;
        e->stale = 1;   /* rewritten in place: never handed out again */
        if (e->refs == 0) {
            unlink_entry(e);
            e->next = *retired;
            *retired = e;
        }
        return NULL;
    }
    return NULL;
}

/* The entry of a remote archive (the caller holds pool_lock). */
static pool_entry *find_url(const char *url)
{
    for (pool_entry *e = pool_head; e; e = e->next)
        if (e->url && strcmp(e->url, url) == 0)
            return e;
    return NULL;
}

ragc_archive *pool_acquire(const char *path, int *status)
{
    struct stat st;
    int url = ragc_is_url(path);
    if (!url && stat(path, &st) != 0)   /* no file: ragc_open says why */
        return ragc_open(path, status);
    if (url)
        memset(&st, 0, sizeof st);
    pool_entry *retired = NULL;
    pthread_mutex_lock(&pool_lock);
    pool_entry *e = url ? find_url(path) : find_entry(&st, &retired);
    if (e) {
        e->refs++;
        e->last_use = ++pool_clock;
    }
    pthread_mutex_unlock(&pool_lock);
    free_list(retired);
    if (e) {
        hts_log_debug("agc: %s is open already", path);
        return e->arc;
    }

    /* Opened outside the lock (it reads the archive); two threads opening
       the same new file at once may both open it, and both entries serve. */
    ragc_archive *arc = ragc_open(path, status);
    if (!arc)
        return NULL;
    hts_log_debug("agc: opened %s", path);
    if (!(e = calloc(1, sizeof *e))) {
        ragc_close(arc);
        *status = RAGC_ERR_NOMEM;
        errno = ENOMEM;
        return NULL;
    }
    if (url && !(e->url = strdup(path))) {
        free(e);
        ragc_close(arc);
        *status = RAGC_ERR_NOMEM;
        errno = ENOMEM;
        return NULL;
    }
    e->dev = st.st_dev;
    e->ino = st.st_ino;
    e->size = st.st_size;
    e->mtime = st.st_mtim;
    e->arc = arc;
    e->refs = 1;
    pthread_mutex_init(&e->md5_lock, NULL);
    pthread_mutex_lock(&pool_lock);
    e->last_use = ++pool_clock;
    e->next = pool_head;
    pool_head = e;
    pthread_mutex_unlock(&pool_lock);
    return arc;
}

void pool_release(ragc_archive *arc)
{
    if (!arc)
        return;
    pool_entry *closing = NULL, *e;
    pthread_mutex_lock(&pool_lock);
    for (e = pool_head; e && e->arc != arc; e = e->next)
        ;
    if (e && --e->refs == 0) {
        if (e->stale) {
            unlink_entry(e);
            e->next = closing;
            closing = e;
        } else {
            trim_idle(&closing);
        }
    }
    pthread_mutex_unlock(&pool_lock);
    free_list(closing);
    if (!e)   /* not pooled: opened by pool_acquire's no-stat path */
        ragc_close(arc);
}

int pool_find_md5(ragc_archive *arc, const uint8_t md5[16], int64_t *sample, int64_t *contig)
{
    pool_entry *e;
    pthread_mutex_lock(&pool_lock);
    for (e = pool_head; e && e->arc != arc; e = e->next)
        ;
    pthread_mutex_unlock(&pool_lock);
    if (!e) {   /* not pooled: a decoder for this lookup alone */
        ragc_decoder *dec = ragc_decoder_init(arc, 0);
        if (!dec)
            return RAGC_ERR_NOMEM;
        int r = ragc_find_md5(dec, md5, sample, contig);
        ragc_decoder_destroy(dec);
        return r;
    }
    /* e stays valid: the caller holds a reference to arc */
    pthread_mutex_lock(&e->md5_lock);
    int r = RAGC_ERR_NOMEM;
    if (e->md5_dec || (e->md5_dec = ragc_decoder_init(arc, 0)))
        r = ragc_find_md5(e->md5_dec, md5, sample, contig);
    pthread_mutex_unlock(&e->md5_lock);
    return r;
}

void pool_shutdown(void)
{
    pool_entry *closing = NULL;
    pthread_mutex_lock(&pool_lock);
    for (pool_entry **p = &pool_head; *p;) {
        pool_entry *e = *p;
        if (e->refs == 0) {
            *p = e->next;
            e->next = closing;
            closing = e;
        } else {
            p = &e->next;
        }
    }
    pthread_mutex_unlock(&pool_lock);
    free_list(closing);
}
