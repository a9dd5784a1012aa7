/* test_create_fd.c -- ragc_create_fd / ragc_append_fd: the archive written
   sequentially to a file descriptor the caller owns.

   The same inputs and options go through the path entry point (a
   temporary file renamed into place) and through the fd one into a pipe
   (which cannot seek: the writer must be sequential), read by a thread;
   the two archives must be equal byte for byte, the one from the pipe
   must open and hold the samples given, and the descriptor must still be
   open afterwards.  Failures leave the descriptor open too, and write
   nothing to it when the options are refused. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/hts_log.h>

#include "ragc.h"
#include "tap.h"

static char tmpdir[256];

/* What a thread reads from the pipe until end of file. */
typedef struct {
    int fd;
    char *buf;
    size_t len, cap;
    int failed;
} pipe_reader;

static void *read_all(void *arg)
{
    pipe_reader *p = arg;
    for (;;) {
        if (p->cap - p->len < 65536) {
            size_t cap = p->cap ? 2 * p->cap : 1 << 20;
            char *b = realloc(p->buf, cap);
            if (!b) {
                p->failed = 1;
                break;
            }
            p->buf = b;
            p->cap = cap;
        }
        ssize_t n = read(p->fd, p->buf + p->len, p->cap - p->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            p->failed |= n < 0;
            break;
        }
        p->len += (size_t)n;
    }
    return NULL;
}

/* Runs ragc_create_fd (in_path NULL) or ragc_append_fd into a pipe.
   Returns the status; *out gets what came through the pipe (malloc'ed),
   *still_open whether the write end was still open after the call. */
static int through_pipe(const char *in_path, char *const *paths, size_t n, const ragc_create_opts *o,
                        char **out, size_t *out_len, int *still_open)
{
    int pfd[2];
    *out = NULL;
    *out_len = 0;
    *still_open = 0;
    if (pipe(pfd) < 0)
        return -1000;
    pipe_reader rd = { pfd[0], NULL, 0, 0, 0 };
    pthread_t tid;
    if (pthread_create(&tid, NULL, read_all, &rd) != 0) {
        close(pfd[0]);
        close(pfd[1]);
        return -1001;
    }
    int r = in_path ? ragc_append_fd(in_path, pfd[1], paths, n, o) : ragc_create_fd(pfd[1], paths, n, o);
    *still_open = fcntl(pfd[1], F_GETFD) != -1;
    close(pfd[1]);
    pthread_join(tid, NULL);
    close(pfd[0]);
    *out = rd.buf;
    *out_len = rd.len;
    return rd.failed ? -1002 : r;
}

/* The path entry point's archive at path (created or appended). */
static char *through_path(const char *in_path, const char *path, char *const *paths, size_t n,
                          const ragc_create_opts *o, size_t *len, int *status)
{
    *status = in_path ? ragc_append(in_path, path, paths, n, o) : ragc_create(path, paths, n, o);
    return *status == RAGC_OK ? tap_slurp(path, len) : NULL;
}

static int same_bytes(const char *a, size_t na, const char *b, size_t nb)
{
    return a && b && na == nb && memcmp(a, b, na) == 0;
}

/* The archive in buf (written to a file to be opened) holds n_samples. */
static int opens_with_samples(const char *buf, size_t len, int64_t n_samples)
{
    char path[512];
    snprintf(path, sizeof path, "%s/from-pipe.agc", tmpdir);
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(buf, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = 0;
    ragc_archive *arc = ok ? ragc_open(path, NULL) : NULL;
    ok = arc && ragc_n_samples(arc) == n_samples;
    if (arc)
        ragc_close(arc);
    unlink(path);
    return ok;
}

/* 4 tests: create and append, each through a path and a pipe. */
static void check_case(const char *label, char *const *paths, size_t n, size_t n_first, int threads)
{
    ragc_create_opts o;
    ragc_create_opts_init(&o);
    o.threads = threads;
    char first[512];
    snprintf(first, sizeof first, "%s/%s-first.agc", tmpdir, label);

    /* create: the first n_first inputs */
    size_t plen = 0, flen = 0;
    int st, open_after;
    char *by_path = through_path(NULL, first, paths, n_first, &o, &plen, &st);
    char *by_fd = NULL;
    int r = through_pipe(NULL, paths, n_first, &o, &by_fd, &flen, &open_after);
    if (!tap_ok(st == RAGC_OK && r == RAGC_OK && same_bytes(by_path, plen, by_fd, flen) && open_after,
                "%s: ragc_create_fd into a pipe = ragc_create's file (%zu bytes), fd left open", label,
                plen))
        tap_diag("path status %d, fd status %d, %zu / %zu bytes, fd open %d", st, r, plen, flen,
                 open_after);
    tap_ok(by_fd && opens_with_samples(by_fd, flen, (int64_t)n_first),
           "%s: the piped archive opens with %zu samples", label, n_first);
    free(by_fd);
    free(by_path);

    /* append: the others */
    char appended[512];
    snprintf(appended, sizeof appended, "%s/%s-appended.agc", tmpdir, label);
    by_path = through_path(first, appended, paths + n_first, n - n_first, &o, &plen, &st);
    r = through_pipe(first, paths + n_first, n - n_first, &o, &by_fd, &flen, &open_after);
    if (!tap_ok(st == RAGC_OK && r == RAGC_OK && same_bytes(by_path, plen, by_fd, flen) && open_after,
                "%s: ragc_append_fd into a pipe = ragc_append's file (%zu bytes), fd left open", label,
                plen))
        tap_diag("path status %d, fd status %d, %zu / %zu bytes, fd open %d", st, r, plen, flen,
                 open_after);
    tap_ok(by_fd && opens_with_samples(by_fd, flen, (int64_t)n),
           "%s: the piped appended archive opens with %zu samples", label, n);
    free(by_fd);
    free(by_path);
    unlink(first);
    unlink(appended);
}

/* 4 tests: failures leave the descriptor to the caller. */
static void check_failures(const char *ref)
{
    ragc_create_opts o;
    ragc_create_opts_init(&o);
    char *missing[] = { (char *)ref, (char *)"/nonexistent/sample.fa" };
    char *buf;
    size_t len;
    int open_after;
    int lvl = hts_get_log_level();
    hts_set_log_level(HTS_LOG_OFF);
    int r = through_pipe(NULL, missing, 2, &o, &buf, &len, &open_after);
    tap_ok(r == RAGC_ERR_IO && open_after, "a missing input: RAGC_ERR_IO, fd left open (status %d)", r);
    free(buf);
    o.kmer_length = 5;
    r = through_pipe(NULL, missing, 1, &o, &buf, &len, &open_after);
    tap_ok(r == RAGC_ERR_ARG && open_after && len == 0,
           "bad options: RAGC_ERR_ARG, nothing written, fd left open (status %d, %zu bytes)", r, len);
    free(buf);
    ragc_create_opts_init(&o);
    tap_is_int(ragc_create_fd(-1, missing, 1, &o), RAGC_ERR_ARG, "fd -1 refused");
    r = through_pipe("/nonexistent/in.agc", missing, 1, &o, &buf, &len, &open_after);
    tap_ok(r == RAGC_ERR_IO && open_after && len == 0,
           "append from a missing archive: RAGC_ERR_IO, fd left open (status %d)", r);
    free(buf);
    hts_set_log_level(lvl);
}

int main(void)
{
    tap_need_shared();
    const char *tmp = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/ragc-test-create-fd-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(tmpdir)) {
        printf("Bail out! cannot create a temporary directory\n");
        return 1;
    }
    tap_plan(4 + 4 + 4);

    static const char *const toy[] = { "data/toy/ref.fa", "data/toy/a.fa", "data/toy/b.fa", "data/toy/c.fa" };
    static const char *const hsmt[] = { "data/hsmt-50/HG00140.fa", "data/hsmt-50/HG00178.fa",
                                        "data/hsmt-50/HG00356.fa", "data/hsmt-50/HG00365.fa",
                                        "data/hsmt-50/HG00513.fa", "data/hsmt-50/HG00599.fa" };
    char buf[10][4096];
    char *paths[10];
    for (size_t i = 0; i < 4; i++)
        paths[i] = (char *)tap_shared_path(buf[i], sizeof buf[i], toy[i]);
    check_case("toy", paths, 4, 2, 1);
    for (size_t i = 0; i < 6; i++)
        paths[i] = (char *)tap_shared_path(buf[i], sizeof buf[i], hsmt[i]);
    check_case("hsmt", paths, 6, 4, 2);
    check_failures(paths[0]);

    rmdir(tmpdir);
    return tap_done();
}
