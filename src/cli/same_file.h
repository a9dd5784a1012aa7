/* same_file.h -- an output must not be one of the command's inputs.

   Writing FASTA over the archive being read (`getset -o a.agc a.agc S`)
   would destroy it once the output is renamed into place; so would an
   archive written over its reference.  Files are compared by device and
   inode, so a symbolic or hard link to an input is caught too. */
#ifndef RAGC_CLI_SAME_FILE_H
#define RAGC_CLI_SAME_FILE_H

#include <stddef.h>

/* 1 when out names an existing file that is one of inputs[0..n) (NULL
   entries and inputs that do not exist are skipped); out NULL or "-"
   means standard output, compared when it is a regular file.  Prints
   "ragc CMD: ..." naming both then. */
int cli_output_is_input(const char *cmd, const char *out, char *const *inputs, size_t n);

#endif
