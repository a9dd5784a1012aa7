/* io_url.c -- rg_io over a URL through htslib's hFILE, with a block cache.

   http(s)://, s3://, gs:// (and their +http/+https forms) are read with one
   bounded range request per fetch: a fresh hopen() with a "Range: bytes=A-B"
   header, so that the server sends exactly the bytes asked for (htslib's own
   seeking asks for "bytes=A-" and drops the connection, after the server
   has pushed whatever fits in the network buffers).  Fresh handles also
   make fetches independent: threads fetch different blocks at once, and
   the block cache (block_cache.h) makes sure no block is fetched twice.
   Other schemes (ftp://, schemes of other plugins) go through one hFILE,
   seek + read under a mutex.

   The size of the file: the first request asks for the last bytes
   ("bytes=-N"), where the archive keeps its directory; the caller's
   rg_tail_size_fn tells the size those bytes imply (the archive's parts are
   contiguous and the directory lists their offsets).  When it cannot tell,
   a plain hopen() gives htslib's Content-Length (one more request).

   Every request carries "If-Unmodified-Since: <the time of the opening>", so
   that a file replaced on the server during the reads is refused (HTTP 412)
   instead of mixing two files' bytes.  Credentials, endpoints, proxies: as
   htslib (its hfile_libcurl, hfile_s3, hfile_gcs), nothing of our own. */
#include "io.h"
#include "block_cache.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <htslib/hfile.h>
#include <htslib/hts_log.h>

#define KB ((size_t)1024)

typedef struct {
    rg_io base;
    char *url;
    int ranged;                 /* bounded range requests (else: seek + read) */
    char since[64];             /* "If-Unmodified-Since: ..." */
    hFILE *fp;                  /* the shared handle of the seek + read mode */
    pthread_mutex_t fp_lock;
    uint8_t *tail;              /* the last tail_len bytes, read at the opening */
    size_t tail_len;
    rg_block_cache *cache;
} rg_io_url;

/* Tuning knobs (docs/remote.md): environment variables in KiB / MiB. */
static size_t knob(const char *name, size_t dflt, size_t unit, size_t lo, size_t hi)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return dflt * unit;
    char *end;
    unsigned long long x = strtoull(v, &end, 10);
    if (*end || x < lo || x > hi) {
        hts_log_warning("ignoring %s=%s (want %zu..%zu)", name, v, lo, hi);
        return dflt * unit;
    }
    return (size_t)x * unit;
}

int rg_io_is_url(const char *path)
{
    const char *p = path;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
        return 0;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')
           || *p == '+' || *p == '-' || *p == '.')
        p++;
    return strncmp(p, "://", 3) == 0;
}

const char *rg_io_file_url_path(const char *url)
{
    if (strncmp(url, "file://localhost/", 17) == 0)
        return url + 16;
    if (strncmp(url, "file:///", 8) == 0)
        return url + 7;
    return NULL;
}

static int ranged_scheme(const char *url)
{
    static const char *const schemes[] = {
        "http://", "https://", "s3://", "s3+http://", "s3+https://",
        "gs://", "gs+http://", "gs+https://", NULL
    };
    for (int i = 0; schemes[i]; i++)
        if (strncmp(url, schemes[i], strlen(schemes[i])) == 0)
            return 1;
    return 0;
}

static const char *reason(int err)
{
    switch (err) {
    case ENOENT: return "not found (HTTP 404)";
    case EACCES: return "access denied (HTTP 403)";
    case EPERM: return "authentication required (HTTP 401)";
    case ENOTSUP: return "the server does not honour range requests (it sent more than the bytes asked for)";
    case EPIPE: return "the connection was cut before the end of the data";
    case ESTALE: return "the file changed on the server since it was opened (HTTP 412)";
    case ERANGE: return "the file on the server is shorter than when it was opened";
    case ETIMEDOUT: return "timed out";
    case EINVAL: return "request refused by the server (HTTP 4xx; 412: the file changed since it was opened)";
    default: return strerror(err);
    }
}

static void log_failure(const rg_io_url *u, uint64_t offset, size_t len, int err)
{
    hts_log_error("cannot read %s (bytes %llu-%llu): %s", u->url, (unsigned long long)offset,
                  (unsigned long long)(offset + len - 1), reason(err));
}

/* Reads exactly len bytes from fp, then checks that nothing follows
   (more: the server ignored the Range header). */
static int read_exact_then_end(hFILE *fp, uint8_t *buf, size_t len, size_t *got, int check_end)
{
    *got = 0;
    while (*got < len) {
        ssize_t n = hread(fp, buf + *got, len - *got);
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        *got += (size_t)n;
    }
    if (*got == len && check_end) {
        uint8_t extra;
        ssize_t n = hread(fp, &extra, 1);
        if (n < 0)
            return -1;
        if (n > 0) {
            errno = ENOTSUP;
            return -1;
        }
    }
    return 0;
}

/* One request with the header `range`; *got: bytes received (at most len). */
static int ranged_get(rg_io_url *u, const char *range, uint8_t *buf, size_t len, size_t *got)
{
    long status = 0;
    int http = strncmp(u->url, "http", 4) == 0;
    errno = 0;
    hFILE *fp = http ? hopen(u->url, "r:", "httphdr:l", range, u->since, NULL,
                             "http_response_ptr", &status, NULL)
                     : hopen(u->url, "r:", "httphdr:l", range, u->since, NULL, NULL);
    if (!fp) {
        if (status == 412)
            errno = ESTALE;
        else if (!errno)
            errno = EIO;
        return -1;
    }
    int r = read_exact_then_end(fp, buf, len, got, 1);
    int err = errno;
    if (hclose(fp) < 0 && r == 0 && *got == len) {
        r = -1;
        err = errno;
    }
    errno = err;
    return r;
}

static int fetch_ranged(rg_io_url *u, uint64_t offset, void *buf, size_t len)
{
    char range[64];
    snprintf(range, sizeof range, "Range: bytes=%llu-%llu", (unsigned long long)offset,
             (unsigned long long)(offset + len - 1));
    size_t got;
    if (ranged_get(u, range, buf, len, &got) < 0)
        return -1;
    if (got < len) {
        errno = ERANGE;
        return -1;
    }
    return 0;
}

static int fetch_seek(rg_io_url *u, uint64_t offset, void *buf, size_t len)
{
    pthread_mutex_lock(&u->fp_lock);
    size_t got = 0;
    int r = hseek(u->fp, (off_t)offset, SEEK_SET) < 0 ? -1
          : read_exact_then_end(u->fp, buf, len, &got, 0);
    if (r == 0 && got < len) {
        errno = ERANGE;
        r = -1;
    }
    pthread_mutex_unlock(&u->fp_lock);
    return r;
}

static int fetch(void *ctx, uint64_t offset, void *buf, size_t len)
{
    rg_io_url *u = ctx;
    int r = u->ranged ? fetch_ranged(u, offset, buf, len) : fetch_seek(u, offset, buf, len);
    if (r < 0) {
        int err = errno ? errno : EIO;
        log_failure(u, offset, len, err);
        errno = err;
    }
    return r;
}

static int url_read_at(rg_io *io, uint64_t offset, void *buf, size_t len)
{
    rg_io_url *u = (rg_io_url *)io;
    uint64_t tail_start = u->base.size - u->tail_len;
    if (offset >= tail_start) {
        memcpy(buf, u->tail + (offset - tail_start), len);
        return 0;
    }
    if (offset + len > tail_start) {   /* the head from the cache, the rest from the tail */
        size_t head = (size_t)(tail_start - offset);
        memcpy((uint8_t *)buf + head, u->tail, len - head);
        len = head;
    }
    return rg_block_cache_read(u->cache, offset, buf, len);
}

static void url_will_need(rg_io *io, uint64_t offset, size_t len)
{
    rg_io_url *u = (rg_io_url *)io;
    uint64_t tail_start = u->base.size - u->tail_len;
    if (offset < tail_start)
        rg_block_cache_will_need(u->cache, offset,
                                 offset + len > tail_start ? (size_t)(tail_start - offset) : len);
}

typedef struct {
    rg_io *io;
    uint64_t offset;
    size_t len;
} prefetch_job;

static void *prefetch_run(void *v)
{
    prefetch_job *j = v;
    url_will_need(j->io, j->offset, j->len);
    return NULL;
}

/* The second range is fetched by a thread of its own while this one
   fetches the first (the block cache keeps the two apart); without a
   thread, one after the other.  Errors are left to the reads. */
static void url_will_need_apart(rg_io *io, uint64_t off1, size_t len1, uint64_t off2, size_t len2)
{
    prefetch_job job = { io, off2, len2 };
    pthread_t t;
    int threaded = pthread_create(&t, NULL, prefetch_run, &job) == 0;
    url_will_need(io, off1, len1);
    if (threaded)
        pthread_join(t, NULL);
    else
        url_will_need(io, off2, len2);
}

static void url_close(rg_io *io)
{
    rg_io_url *u = (rg_io_url *)io;
    rg_block_cache_free(u->cache);
    if (u->fp && hclose(u->fp) < 0)
        hts_log_debug("closing %s: %s", u->url, strerror(errno));
    pthread_mutex_destroy(&u->fp_lock);
    free(u->tail);
    free(u->url);
    free(u);
}

/* RFC 9110 date of now, built by hand (strftime's names follow the locale). */
static void set_since(rg_io_url *u)
{
    static const char *const day[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
    static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    snprintf(u->since, sizeof u->since, "If-Unmodified-Since: %s, %02d %s %04d %02d:%02d:%02d GMT",
             day[tm.tm_wday % 7], tm.tm_mday, mon[tm.tm_mon % 12], tm.tm_year + 1900,
             tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The last `want` bytes with a suffix range request: *got < want means
   the whole file was sent. */
static int fetch_suffix(rg_io_url *u, size_t want, uint8_t **buf, size_t *got)
{
    char range[64];
    snprintf(range, sizeof range, "Range: bytes=-%zu", want);
    *buf = malloc(want);
    if (!*buf) {
        errno = ENOMEM;
        return -1;
    }
    if (ranged_get(u, range, *buf, want, got) < 0) {
        int err = errno;
        free(*buf);
        *buf = NULL;
        errno = err;
        return -1;
    }
    return 0;
}

/* The size as htslib's Content-Length tells it: a plain hopen() and a seek
   to the last byte (seeking to the end itself would ask for no bytes). */
static int probe_size(rg_io_url *u, hFILE **keep, uint64_t *size)
{
    hFILE *fp = hopen(u->url, "r");
    if (!fp)
        return -1;
    off_t last = hseek(fp, -1, SEEK_END);
    if (last < 0) {
        /* an empty file, or a size the server did not tell */
        int err = errno == EINVAL ? ERANGE : errno;
        if (hclose(fp) < 0)
            hts_log_debug("closing %s: %s", u->url, strerror(errno));
        errno = err;
        return -1;
    }
    *size = (uint64_t)last + 1;
    if (keep)
        *keep = fp;
    else if (hclose(fp) < 0)
        hts_log_debug("closing %s: %s", u->url, strerror(errno));
    return 0;
}

/* Reads the tail and learns the size.  0, or -1 with errno. */
static int open_tail(rg_io_url *u, rg_tail_size_fn tail_size, size_t want)
{
    size_t got = 0;
    uint64_t size = 0;
    if (!u->ranged) {
        if (probe_size(u, &u->fp, &size) < 0)
            return -1;
        got = size < want ? (size_t)size : want;
        if (!(u->tail = malloc(got ? got : 1))) {
            errno = ENOMEM;
            return -1;
        }
        u->tail_len = got;
        u->base.size = size;
        return fetch_seek(u, size - got, u->tail, got);
    }
    if (fetch_suffix(u, want, &u->tail, &got) < 0)
        return -1;
    if (got < want) {                  /* the whole file */
        size = got;
    } else {
        size_t need = 0;
        size = tail_size ? tail_size(u->tail, got, &need) : 0;
        if (size == 0 && need > got) {     /* a directory longer than the first guess */
            free(u->tail);
            u->tail = NULL;
            if (fetch_suffix(u, need, &u->tail, &got) < 0)
                return -1;
            size = got < need ? got : tail_size(u->tail, got, &need);
        }
        if (size == 0 && probe_size(u, NULL, &size) < 0)
            return -1;
        if (size < got) {
            errno = ERANGE;
            return -1;
        }
    }
    u->tail_len = got;
    u->base.size = size;
    return 0;
}

rg_io *rg_io_open_url(const char *url, rg_tail_size_fn tail_size)
{
    rg_io_url *u = calloc(1, sizeof(*u));
    if (!u || !(u->url = strdup(url))) {
        free(u);
        errno = ENOMEM;
        return NULL;
    }
    pthread_mutex_init(&u->fp_lock, NULL);
    u->base.read_at = url_read_at;
    u->base.close = url_close;
    u->base.will_need = url_will_need;
    u->base.will_need_apart = url_will_need_apart;
    u->ranged = ranged_scheme(url);
    set_since(u);
    rg_block_cache_opts o;
    o.block = knob("RAGC_REMOTE_BLOCK_KB", 4, KB, 1, 65536);
    o.capacity = knob("RAGC_REMOTE_CACHE_MB", 64, KB * KB, 1, 1 << 20);
    o.max_readahead = knob("RAGC_REMOTE_READAHEAD_KB", 4096, KB, 0, 1 << 20);
    size_t tail = knob("RAGC_REMOTE_TAIL_KB", 96, KB, 1, 1 << 20);
    for (size_t b = 1; b < o.block; b <<= 1)
        if (o.block & b)
            o.block &= ~b;             /* a power of two */
    if (open_tail(u, tail_size, tail) < 0
        || !(u->cache = rg_block_cache_new(&o, u->base.size, fetch, u))) {
        int err = errno ? errno : EIO;
        if (err != ENOMEM)
            hts_log_error("cannot open %s: %s", url, reason(err));
        url_close(&u->base);
        errno = err;
        return NULL;
    }
    return &u->base;
}
