/* hts_plugin_dir.c -- prints the directory where htslib looks for plugins
   by default, so that `make install` and the Debian packages put
   hfile_agc.so where samtools, bcftools and pysam find it with no HTS_PATH.

   Usage: hts_plugin_dir [PREFIX]
     no PREFIX: every directory of htslib's built-in search path, one a line
     PREFIX:    the one that belongs to an installation into PREFIX:
                PREFIX/libexec/htslib if htslib searches it (where htslib's
                own `make install` puts plugins), else the first that is
                PREFIX/lib... (PREFIX/lib/htslib, PREFIX/lib/MULTIARCH/htslib
                as Debian's htslib has it)
   Exit status: 0 found, 1 no such directory, 2 htslib has no plugins.

   htslib 1.16 exports hts_plugin_path() but does not declare it, so the
   path is read from hts_feature_string() ("... plugin-path=DIRS ..."),
   which is public.  HTS_PATH is unset first: htslib reports the search
   path of the running process, and we want its built-in default. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts.h>

#ifndef HTS_PATH_SEPARATOR_CHAR
#define HTS_PATH_SEPARATOR_CHAR ':'
#endif

/* dir (len bytes) is PREFIX/lib... (libexec_only: PREFIX/libexec/htslib) */
static int under_prefix(const char *dir, size_t len, const char *prefix, int libexec_only)
{
    size_t p = strlen(prefix);
    while (p > 1 && prefix[p - 1] == '/')
        p--;
    if (len <= p + 4 || strncmp(dir, prefix, p) != 0 || strncmp(dir + p, "/lib", 4) != 0)
        return 0;
    return !libexec_only || (len == p + 15 && strncmp(dir + p, "/libexec/htslib", 15) == 0);
}

/* Prints the directories of path (n bytes) that match: all of them when
   prefix is NULL, else the first under prefix.  Returns how many it printed. */
static int print_dirs(const char *path, size_t n, const char *prefix, int libexec_only)
{
    int printed = 0;
    for (const char *s = path, *end = path + n; s < end;) {
        size_t len = 0;
        while (s + len < end && s[len] != HTS_PATH_SEPARATOR_CHAR)
            len++;
        if (len > 0 && (!prefix || under_prefix(s, len, prefix, libexec_only))) {
            printf("%.*s\n", (int)len, s);
            if (prefix)
                return 1;
            printed++;
        }
        s += len + 1;
    }
    return printed;
}

int main(int argc, char **argv)
{
    unsetenv("HTS_PATH");
    if (!(hts_features() & HTS_FEATURE_PLUGINS)) {
        fprintf(stderr, "hts_plugin_dir: this htslib was built without plugin support\n");
        return 2;
    }
    const char *key = "plugin-path=";
    const char *s = strstr(hts_feature_string(), key);
    if (!s) {
        fprintf(stderr, "hts_plugin_dir: htslib does not report its plugin path\n");
        return 2;
    }
    s += strlen(key);
    size_t n = strcspn(s, " \t\n");
    if (argc < 2)
        return print_dirs(s, n, NULL, 0) > 0 ? 0 : 1;
    return print_dirs(s, n, argv[1], 1) || print_dirs(s, n, argv[1], 0) ? 0 : 1;
}
