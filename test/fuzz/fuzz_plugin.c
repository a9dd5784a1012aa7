/* fuzz_plugin.c -- libFuzzer harness (d): the htslib plugin's `agc:` URLs
   and its read/seek path.  The plugin's source is compiled into the
   harness (its handler is static), with its archive pool and REF_PATH
   parts; hread/hseek are htslib's own, over the plugin's backend.

   LLVMFuzzerInitialize makes a folder (the current directory while an
   input runs) with a small archive under three names: x.agc, y@z.agc (a path with '@')
   and p%40q.agc (a path with an escape), samples "s1" and "a@b".

   Input: the URL after "agc:" up to a newline (no "://" and no '/' but a
   leading "//": the harness opens nothing outside its folder and nothing
   remote), then operations of 5 bytes: a kind (seek from the start, from
   the current position, from the end; read) and a 32-bit argument.  A URL
   that opens is first read whole; every later read must give the same
   bytes at the same offsets, and a seek the position it asked for. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "hfile_agc.c"

#define FZ_MAX_FILE ((size_t)1 << 20)

static const char FASTA1[] =
    ">chr1 first\nACGTACGTTTGACCAGTAGGACTTACAGGACCATTAGACCCAGATTAGACATTTAGGGCAAATTTACGACGATTTACG\n"
    "acgttgacagtttagcagatttacgggacagat\n>chr2\nNNNNACGTRYKM\n>empty\n";
static const char FASTA2[] =
    ">chr1\nACGTACGTTTGACCAGTAGGACTTACAGGACCATTAGACCCAGATTAGACATTTAGGGCAAATTTACGACGATTTACA\n"
    ">x@y\nGATTACA\n";

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

static int copy_file(const char *from, const char *to)
{
    size_t len;
    uint8_t *b = fz_read_file(from, &len);
    FILE *f = b ? fopen(to, "wb") : NULL;
    int r = f && fwrite(b, 1, len, f) == len ? 0 : -1;
    if (f && fclose(f) != 0)
        r = -1;
    free(b);
    return r;
}

static char dir[512];
static int home = -1;   /* the directory the harness started in */

static void remove_dir(void)
{
    static const char *const files[] = { "x.agc", "y@z.agc", "p%40q.agc" };
    pool_shutdown();
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fz_quiet();
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/ragc-fuzz-plugin-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    /* back to where it started after each input: libFuzzer's -fork runs
       its workers by a relative path */
    if ((home = open(".", O_RDONLY | O_DIRECTORY)) < 0 || !mkdtemp(dir) || chdir(dir) != 0)
        abort();
    atexit(remove_dir);
    static char *names[2] = { "s1", "a@b" };
    char *paths[2] = { "s1.fa", "s2.fa" };
    ragc_create_opts o;
    ragc_create_opts_init(&o);
    o.sample_names = names;
    if (write_file(paths[0], FASTA1) < 0 || write_file(paths[1], FASTA2) < 0 ||
        ragc_create("x.agc", paths, 2, &o) != RAGC_OK || copy_file("x.agc", "y@z.agc") < 0 ||
        copy_file("x.agc", "p%40q.agc") < 0)
        abort();
    unlink(paths[0]);
    unlink(paths[1]);
    if (fchdir(home) != 0)
        abort();
    return 0;
}

/* Nothing outside the folder, nothing remote. */
static int url_allowed(const char *rest)
{
    if (strstr(rest, "://"))
        return 0;
    const char *p = rest[0] == '/' && rest[1] == '/' ? rest + 2 : rest;
    return !strchr(p, '/');
}

static void exercise(hFILE *h, fz_reader *rd, int *failed)
{
    /* the whole file first, as the reference for every later read */
    uint8_t *whole = malloc(FZ_MAX_FILE);
    ssize_t n = whole ? hread(h, whole, FZ_MAX_FILE) : -1;
    if (n < 0) {
        free(whole);
        return;
    }
    size_t size = (size_t)n;
    uint8_t buf[4096];
    for (int ops = 0; rd->n && ops < 64; ops++) {
        uint8_t kind = fz_u8(rd) & 3;
        uint32_t arg = fz_u32(rd);
        if (kind < 3) {
            static const int whence[3] = { SEEK_SET, SEEK_CUR, SEEK_END };
            off_t before = htell(h);
            off_t off = kind == 0 ? (off_t)(arg % (size + 64)) : (off_t)(int32_t)arg % (off_t)(size + 64);
            off_t want = (kind == 0 ? 0 : kind == 1 ? before : (off_t)size) + off;
            off_t got = hseek(h, off, whence[kind]);
            if (want < 0)
                FZ_ASSERT(got < 0, "a seek before the start fails");
            else
                FZ_ASSERT(got == want, "a seek goes where it was asked");
            if (got < 0) {
                FZ_ASSERT(hseek(h, before, SEEK_SET) == before, "a seek back after a failed one");
                *failed = 1;   /* htslib's hclose reports it */
            }
        } else {
            off_t at = htell(h);
            size_t len = arg % sizeof buf;
            ssize_t r = hread(h, buf, len);
            FZ_ASSERT(r >= 0, "a read after a seek succeeds");
            size_t avail = (size_t)at >= size ? 0 : size - (size_t)at;
            FZ_ASSERT((size_t)r == (len < avail ? len : avail), "a read gives what is there");
            FZ_ASSERT(r == 0 || memcmp(buf, whole + at, (size_t)r) == 0, "a read gives the file's bytes");
        }
    }
    free(whole);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    fz_reader rd = { data, size };
    char *rest = fz_string(&rd, '\n');
    if (!rest)
        return 0;
    if (url_allowed(rest) && !memchr(data, '\0', size - rd.n) && chdir(dir) == 0) {
        size_t n = strlen(rest) + 5;
        char *url = malloc(n);
        if (url) {
            snprintf(url, n, "agc:%s", rest);
            hFILE *h = agc_open(url, "r");
            if (h) {
                int failed = 0;
                exercise(h, &rd, &failed);
                FZ_ASSERT(hclose(h) == 0 || failed, "hclose after no failed call");
            }
            free(url);
        }
        if (fchdir(home) != 0)
            abort();
    }
    free(rest);
    return 0;
}
