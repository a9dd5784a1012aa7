/* window.c -- decoded output written in order within a byte budget; see
   window.h. */
/* MAP_ANONYMOUS (POSIX.1-2024; glibc shows it under _DEFAULT_SOURCE) */
#define _DEFAULT_SOURCE
#include "window.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

typedef struct chunk {
    struct chunk *next;
    size_t len;
    int mapped;   /* memory from mmap, not malloc */
    char data[];
} chunk;

/* Large chunks are mapped, so that their memory goes back to the system
   the moment they are written: from the heap, the freed chunks of several
   threads' arenas would add to the process's size beyond the budget. */
#define MAP_FROM ((size_t)64 << 10)

static chunk *new_chunk(size_t n)
{
    size_t size = sizeof(chunk) + n;
    chunk *c;
    int mapped = size >= MAP_FROM;
    if (mapped) {
        void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        c = m == MAP_FAILED ? NULL : m;
    } else {
        c = malloc(size);
    }
    if (c)
        *c = (chunk){ .len = n, .mapped = mapped };
    return c;
}

static void free_chunk(chunk *c)
{
    if (c && c->mapped)
        munmap(c, sizeof(chunk) + c->len);
    else
        free(c);
}

/* A claimed piece that is not written yet: its queued chunks, in order. */
typedef struct {
    chunk *first, *last;
    int done, status;
} slot;

struct out_window {
    pthread_mutex_t lock;
    pthread_cond_t moved;    /* workers: room in the budget, or a new head */
    pthread_cond_t ready;    /* the consumer: bytes of a piece, or a piece done */
    size_t n_pieces, max_ahead;
    size_t head;             /* the piece being written */
    size_t claimed;          /* pieces [0, claimed) are claimed */
    size_t held, budget, peak;
    chunk *writing;          /* handed to the consumer, still counted in held */
    int stopped;
    slot *slots;             /* piece p is slots[p % max_ahead] */
};

out_window *out_window_init(size_t n_pieces, size_t budget, size_t max_ahead)
{
    out_window *w = calloc(1, sizeof(*w));
    if (!w)
        return NULL;
    w->slots = calloc(max_ahead ? max_ahead : 1, sizeof(slot));
    if (!w->slots) {
        free(w);
        return NULL;
    }
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->moved, NULL);
    pthread_cond_init(&w->ready, NULL);
    w->n_pieces = n_pieces;
    w->budget = budget;
    w->max_ahead = max_ahead ? max_ahead : 1;
    return w;
}

static void free_chunks(chunk *c)
{
    while (c) {
        chunk *next = c->next;
        free_chunk(c);
        c = next;
    }
}

void out_window_destroy(out_window *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->max_ahead; i++)
        free_chunks(w->slots[i].first);
    free_chunk(w->writing);
    free(w->slots);
    pthread_cond_destroy(&w->ready);
    pthread_cond_destroy(&w->moved);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

int64_t out_window_claim(out_window *w)
{
    pthread_mutex_lock(&w->lock);
    while (!w->stopped && w->claimed < w->n_pieces && w->claimed - w->head >= w->max_ahead)
        pthread_cond_wait(&w->moved, &w->lock);
    int64_t p = -1;
    if (!w->stopped && w->claimed < w->n_pieces)
        p = (int64_t)w->claimed++;
    pthread_mutex_unlock(&w->lock);
    return p;
}

/* May piece p queue n more bytes now?  Within the budget; or it is the head
   and the consumer has none of its bytes, neither queued nor being written
   (so it waits for them): then the bytes held exceed the budget by one
   chunk at most. */
static int has_room(const out_window *w, size_t p, size_t n)
{
    if (w->held + n <= w->budget)
        return 1;
    return p == w->head && !w->slots[p % w->max_ahead].first && !w->writing;
}

int out_window_put(out_window *w, size_t p, const char *s, size_t n)
{
    if (n == 0)
        return 0;
    /* room first, then memory: a waiting worker holds no chunk */
    pthread_mutex_lock(&w->lock);
    while (!w->stopped && !has_room(w, p, n))
        pthread_cond_wait(&w->moved, &w->lock);
    int stopped = w->stopped;
    if (!stopped) {
        w->held += n;
        w->peak = w->held > w->peak ? w->held : w->peak;
    }
    pthread_mutex_unlock(&w->lock);
    if (stopped)
        return -1;
    chunk *c = new_chunk(n);
    if (c)
        memcpy(c->data, s, n);
    pthread_mutex_lock(&w->lock);
    if (c) {
        slot *sl = &w->slots[p % w->max_ahead];
        if (sl->last)
            sl->last->next = c;
        else
            sl->first = c;
        sl->last = c;
        if (p == w->head)
            pthread_cond_signal(&w->ready);
    } else {
        w->held -= n;
        pthread_cond_broadcast(&w->moved);
    }
    pthread_mutex_unlock(&w->lock);
    return c ? 0 : -1;
}

void out_window_done(out_window *w, size_t p, int status)
{
    pthread_mutex_lock(&w->lock);
    slot *sl = &w->slots[p % w->max_ahead];
    sl->done = 1;
    sl->status = status;
    if (p == w->head)
        pthread_cond_signal(&w->ready);
    pthread_mutex_unlock(&w->lock);
}

int out_window_next(out_window *w, const char **s, size_t *n, int *status)
{
    pthread_mutex_lock(&w->lock);
    slot *sl = &w->slots[w->head % w->max_ahead];
    while (!sl->first && !sl->done)
        pthread_cond_wait(&w->ready, &w->lock);
    int r;
    if (sl->first) {
        chunk *c = sl->first;
        if (!(sl->first = c->next))
            sl->last = NULL;
        w->writing = c;
        *s = c->data;
        *n = c->len;
        r = 1;
    } else {
        *status = sl->status;
        *sl = (slot){ 0 };
        w->head++;
        /* a new head: its worker may go on, and one more piece may be claimed */
        pthread_cond_broadcast(&w->moved);
        r = 0;
    }
    pthread_mutex_unlock(&w->lock);
    return r;
}

void out_window_release(out_window *w)
{
    pthread_mutex_lock(&w->lock);
    chunk *c = w->writing;
    w->writing = NULL;
    if (c)
        w->held -= c->len;
    pthread_cond_broadcast(&w->moved);
    pthread_mutex_unlock(&w->lock);
    free_chunk(c);
}

void out_window_stop(out_window *w)
{
    pthread_mutex_lock(&w->lock);
    w->stopped = 1;
    pthread_cond_broadcast(&w->moved);
    pthread_mutex_unlock(&w->lock);
}

size_t out_window_peak(out_window *w)
{
    pthread_mutex_lock(&w->lock);
    size_t peak = w->peak;
    pthread_mutex_unlock(&w->lock);
    return peak;
}
