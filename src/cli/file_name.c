/* file_name.c -- a sample name as a file name; see file_name.h. */
#include "file_name.h"

#include <stdlib.h>
#include <string.h>

char *cli_sample_file_name(const char *name)
{
    size_t n = strlen(name), escapes = 0;
    for (size_t i = 0; i < n; i++)
        escapes += name[i] == '/' || name[i] == '%';
    char *out = malloc(n + 2 * escapes + 1), *p = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (name[i] == '/' || name[i] == '%') {
            memcpy(p, name[i] == '/' ? "%2F" : "%25", 3);
            p += 3;
        } else {
            *p++ = name[i];
        }
    }
    *p = '\0';
    return out;
}
