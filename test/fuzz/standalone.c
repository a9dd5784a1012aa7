/* standalone.c -- a main for a harness of test/fuzz/ without libFuzzer:
   feeds it each file named on the command line (a folder: each file in
   it), as libFuzzer would replay them.  make check builds every harness
   with it (any compiler) and replays test/fuzz/regress/HARNESS/: an input
   that once crashed must now run through (a crash fails the whole suite).
   Prints TAP, one line a file. */
#define _DEFAULT_SOURCE   /* realpath */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    return 0;
}

static int n_run;

static void run_file(const char *path)
{
    size_t len;
    uint8_t *data = fz_read_file(path, &len);
    n_run++;
    if (!data) {
        printf("not ok %d - %s: cannot read\n", n_run, path);
        return;
    }
    /* a copy of exactly len bytes, so that ASan sees reads past the end */
    uint8_t *copy = malloc(len ? len : 1);
    if (copy)
        memcpy(copy, data, len);
    free(data);
    fflush(stdout);
    LLVMFuzzerTestOneInput(copy, len);
    free(copy);
    printf("ok %d - %s\n", n_run, path);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        run_file(path);
        return;
    }
    DIR *d = opendir(path);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char **nn = realloc(names, (n + 1) * sizeof(*names));
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        if (!nn || !(nn[n] = malloc(len))) {
            names = nn ? nn : names;
            break;
        }
        names = nn;
        snprintf(names[n++], len, "%s/%s", path, e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(*names), cmp_str);
    for (size_t i = 0; i < n; i++) {
        run_path(names[i]);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    /* absolute paths first: a harness may change directory when it starts */
    char **paths = calloc((size_t)argc + 1, sizeof(*paths));
    int n = 0;
    for (int i = 1; paths && i < argc; i++)
        paths[n++] = realpath(argv[i], NULL);
#ifdef FZ_REGRESS_DIR
    /* without arguments (test/run-all): the harness's kept inputs, from
       the top of the repository */
    if (paths && argc < 2)
        paths[n++] = realpath(FZ_REGRESS_DIR, NULL);
#endif
    if (!paths) {
        printf("not ok 1 - out of memory\n");
        return 1;
    }
    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 0; i < n; i++) {
        if (!paths[i]) {
            printf("not ok %d - a path that does not exist\n", ++n_run);
            continue;
        }
        run_path(paths[i]);
        free(paths[i]);
    }
    free(paths);
    printf("1..%d\n", n_run);
    return 0;
}
