/* inputs.c -- the FASTA inputs of create, append and import; see inputs.h. */
#include "inputs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <htslib/hts.h>

#include "cli.h"

int cli_names_push(cli_names *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)   /* agc drops repeated file names */
        if (strcmp(l->v[i], s) == 0)
            return 0;
    if (hts_resize(char *, l->n + 1, &l->cap, &l->v, 0) < 0)
        return -1;
    return (l->v[l->n++] = strdup(s)) ? 0 : (l->n--, -1);
}

void cli_names_free(cli_names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    *l = (cli_names){ 0 };
}

int cli_names_read_list(const char *cmd, const char *path, cli_names *l)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!fp) {
        cli_error(cmd, "cannot open the list %s: %s", path, strerror(errno));
        return -1;
    }
    char word[8192];
    int r = 0;
    while (r == 0 && fscanf(fp, "%8191s", word) == 1)
        r = cli_names_push(l, word);
    if (r < 0)
        cli_error(cmd, "out of memory");
    else if (ferror(fp)) {
        cli_error(cmd, "cannot read the list %s: %s", path, strerror(errno));
        r = -1;
    }
    if (fp != stdin)
        fclose(fp);
    return r;
}

/* htslib opens "scheme://..." (and "scheme:...") through its plugins: only
   plain paths can be checked here. */
static int is_url(const char *s)
{
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
    return n > 1 && s[n] == ':' && s[n + 1] == '/' && s[n + 2] == '/';
}

int cli_inputs_check(const char *cmd, const cli_names *inputs)
{
    for (size_t i = 0; i < inputs->n; i++) {
        const char *p = inputs->v[i];
        struct stat st;
        if (strcmp(p, "-") == 0 || is_url(p))
            continue;
        if (stat(p, &st) < 0) {
            cli_error(cmd, "cannot open %s: %s", p, strerror(errno));
            return -1;
        }
        if (S_ISDIR(st.st_mode)) {
            cli_error(cmd, "cannot open %s: %s", p, strerror(EISDIR));
            return -1;
        }
    }
    return 0;
}

long cli_inputs_named(const char *cmd, const cli_names *inputs)
{
    for (size_t i = 0; i < inputs->n; i++)
        if (strcmp(inputs->v[i], "-") == 0)
            return (long)i;
    if (inputs->n == 1)
        return 0;
    cli_error(cmd, "--sample names the sample of standard input (-) or of a single input; "
                   "here there are %zu inputs and none is -", inputs->n);
    return -1;
}
