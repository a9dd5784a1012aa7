/* inputs.h -- the FASTA inputs of create, append and import: the names in
   agc's order (the reference, the -i list, the other operands; repeated
   names dropped, as agc), each checked to exist before anything is
   written, and the one sample `--sample NAME` names. */
#ifndef RAGC_CLI_INPUTS_H
#define RAGC_CLI_INPUTS_H

#include <stddef.h>

typedef struct {
    char **v;
    size_t n, cap;
} cli_names;

/* Adds a copy of s unless it is there already.  Returns 0, or -1 when out
   of memory. */
int cli_names_push(cli_names *l, const char *s);
void cli_names_free(cli_names *l);

/* -i FILE: the whitespace-separated names it holds, appended to l.
   Prints the reason and returns -1 on failure. */
int cli_names_read_list(const char *cmd, const char *path, cli_names *l);

/* Each input that is a local file (not "-", not a URL) must be there:
   the first that cannot be opened is reported with the system's reason
   ("No such file or directory"); returns -1 then. */
int cli_inputs_check(const char *cmd, const cli_names *inputs);

/* The input `--sample NAME` names: standard input ("-") when it is one of
   the inputs, else the only input.  Prints why and returns -1 when there
   is no such input. */
long cli_inputs_named(const char *cmd, const cli_names *inputs);

#endif
