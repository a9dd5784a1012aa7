/* same_file.c -- an output must not be one of the inputs; see same_file.h. */
#include "same_file.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* The file out names (or standard output); 0 when there is none yet. */
static int output_stat(const char *out, struct stat *st)
{
    if (!out || strcmp(out, "-") == 0)
        return fstat(STDOUT_FILENO, st) == 0 && S_ISREG(st->st_mode);
    return stat(out, st) == 0;
}

int cli_output_is_input(const char *cmd, const char *out, char *const *inputs, size_t n)
{
    struct stat o, in;
    if (!output_stat(out, &o))
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (!inputs[i] || strcmp(inputs[i], "-") == 0 || stat(inputs[i], &in) != 0)
            continue;
        if (in.st_dev == o.st_dev && in.st_ino == o.st_ino) {
            if (!out || strcmp(out, "-") == 0)
                cli_error(cmd, "standard output is the input %s: refusing to overwrite it", inputs[i]);
            else
                cli_error(cmd, "the output %s is the input %s: refusing to overwrite it", out, inputs[i]);
            return 1;
        }
    }
    return 0;
}
