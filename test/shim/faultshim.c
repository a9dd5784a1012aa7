/* faultshim.c -- an LD_PRELOAD library that makes one system call fail, for
   the fault-injection suite (bats/faults.bats).

   It wraps write, pwrite, writev, fsync, fdatasync, rename and close.  Calls
   are counted per function, from 1, over the whole process (all threads);
   only calls that can lose output count: writes and syncs on any descriptor
   but standard error (so the failure can still be reported), closes of
   descriptors open for writing, every rename.

   Environment:
     FAULT_CALL    the function to fail: write (also pwrite, writev), fsync
                   (also fdatasync), rename or close; unset: fail nothing
     FAULT_AT      fail the FAULT_AT-th counted call of FAULT_CALL (1-based)
     FAULT_STICKY  1: fail that call and every later one (a full disk)
     FAULT_ERRNO   the error: ENOSPC (default), EIO, EDQUOT, EFBIG or a number
     FAULT_REPORT  a file to which, at exit, the counts are appended as
                   "write N\nfsync N\nrename N\nclose N\n" (to size a sweep)
     FAULT_DELAY_US  sleep this long before each counted call (a slow disk:
                   stretches a run so that a signal can land inside it)

   A failed write writes nothing; a failed close still closes the
   descriptor (as close(2) does whatever it reports); a failed rename or
   fsync does nothing.  Not built with the sanitizers: an ASan program
   that preloads it needs ASAN_OPTIONS=verify_asan_link_order=0. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

enum { F_WRITE, F_FSYNC, F_RENAME, F_CLOSE, F_N };
static const char *const fault_names[F_N] = { "write", "fsync", "rename", "close" };

static int target = -1;          /* the function to fail, -1 for none */
static unsigned long fail_at;    /* its counted call to fail */
static int sticky, fail_errno = ENOSPC;
static unsigned long counts[F_N];
static unsigned long delay_us;

static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_rename)(const char *, const char *);
static int (*real_close)(int);

static int parse_errno(const char *s)
{
    static const struct { const char *name; int value; } known[] = {
        { "ENOSPC", ENOSPC }, { "EIO", EIO }, { "EDQUOT", EDQUOT }, { "EFBIG", EFBIG },
    };
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (strcmp(s, known[i].name) == 0)
            return known[i].value;
    int v = atoi(s);
    return v > 0 ? v : ENOSPC;
}

/* dlsym returns an object pointer; ISO C has no cast from it to a function
   pointer, so the bytes are copied (what POSIX guarantees to work). */
#define LOOK_UP(var, name)                      \
    do {                                        \
        void *sym_ = dlsym(RTLD_NEXT, name);    \
        memcpy(&(var), &sym_, sizeof(var));     \
    } while (0)

static void resolve(void)
{
    LOOK_UP(real_write, "write");
    LOOK_UP(real_pwrite, "pwrite");
    LOOK_UP(real_writev, "writev");
    LOOK_UP(real_fsync, "fsync");
    LOOK_UP(real_fdatasync, "fdatasync");
    LOOK_UP(real_rename, "rename");
    LOOK_UP(real_close, "close");
}

__attribute__((constructor)) static void fault_init(void)
{
    resolve();
    const char *call = getenv("FAULT_CALL"), *at = getenv("FAULT_AT");
    const char *st = getenv("FAULT_STICKY"), *en = getenv("FAULT_ERRNO");
    for (int i = 0; call && i < F_N; i++)
        if (strcmp(call, fault_names[i]) == 0)
            target = i;
    fail_at = at ? strtoul(at, NULL, 10) : 0;
    if (fail_at == 0)
        target = -1;
    sticky = st && strcmp(st, "1") == 0;
    if (en)
        fail_errno = parse_errno(en);
    const char *dl = getenv("FAULT_DELAY_US");
    delay_us = dl ? strtoul(dl, NULL, 10) : 0;
}

__attribute__((destructor)) static void fault_report(void)
{
    const char *path = getenv("FAULT_REPORT");
    if (!path || !real_write)
        return;
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    char buf[256];
    int n = snprintf(buf, sizeof(buf), "write %lu\nfsync %lu\nrename %lu\nclose %lu\n", counts[F_WRITE],
                     counts[F_FSYNC], counts[F_RENAME], counts[F_CLOSE]);
    if (n > 0)
        (void)real_write(fd, buf, (size_t)n);
    real_close(fd);
}

/* Counts a call of kind k; 1 when it is to fail (errno then set). */
static int should_fail(int k)
{
    unsigned long n = __atomic_add_fetch(&counts[k], 1, __ATOMIC_SEQ_CST);
    if (delay_us) {
        struct timespec ts = { (time_t)(delay_us / 1000000), (long)(delay_us % 1000000) * 1000 };
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
            ;
    }
    if (k != target || n < fail_at || (n > fail_at && !sticky))
        return 0;
    errno = fail_errno;
    return 1;
}

static int open_for_writing(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl >= 0 && (fl & O_ACCMODE) != O_RDONLY;
}

ssize_t write(int fd, const void *buf, size_t len)
{
    if (!real_write)
        resolve();
    if (fd != STDERR_FILENO && should_fail(F_WRITE))
        return -1;
    return real_write(fd, buf, len);
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
    if (!real_pwrite)
        resolve();
    if (fd != STDERR_FILENO && should_fail(F_WRITE))
        return -1;
    return real_pwrite(fd, buf, len, off);
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
    if (!real_writev)
        resolve();
    if (fd != STDERR_FILENO && should_fail(F_WRITE))
        return -1;
    return real_writev(fd, iov, n);
}

int fsync(int fd)
{
    if (!real_fsync)
        resolve();
    if (should_fail(F_FSYNC))
        return -1;
    return real_fsync(fd);
}

int fdatasync(int fd)
{
    if (!real_fdatasync)
        resolve();
    if (should_fail(F_FSYNC))
        return -1;
    return real_fdatasync(fd);
}

int rename(const char *from, const char *to)
{
    if (!real_rename)
        resolve();
    if (should_fail(F_RENAME))
        return -1;
    return real_rename(from, to);
}

int close(int fd)
{
    if (!real_close)
        resolve();
    if (fd > STDERR_FILENO && open_for_writing(fd) && should_fail(F_CLOSE)) {
        int e = errno;
        real_close(fd);
        errno = e;
        return -1;
    }
    return real_close(fd);
}
