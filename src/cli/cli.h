/* cli.h -- shared pieces of the ragc command line. */
#ifndef RAGC_CLI_H
#define RAGC_CLI_H

#include <stdint.h>

#include "ragc.h"

/* Prints "ragc CMD: message" to stderr. */
void cli_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Parses an integer option value and clamps it to [lo, hi] as agc does;
   returns -1 (after printing an error) if the text is not a number. */
int cli_int_option(const char *cmd, char opt, const char *text, int64_t lo, int64_t hi, int64_t *out);

/* Reports an option getopt rejected (optopt/argument). */
void cli_bad_option(const char *cmd, const char *arg);

/* Opens an archive, printing the reason on failure. */
ragc_archive *cli_open_archive(const char *cmd, const char *path);

/* Default number of threads, as agc: half the cores, at least 1. */
int cli_default_threads(void);

/* Prints the standard option help lines for -h. */
int cli_usage(const char *cmd, const char *usage, const char *options);

int cmd_create(int argc, char **argv);
int cmd_append(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_listref(int argc, char **argv);
int cmd_listset(int argc, char **argv);
int cmd_listctg(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_getcol(int argc, char **argv);
int cmd_getset(int argc, char **argv);
int cmd_getctg(int argc, char **argv);
int cmd_faidx(int argc, char **argv);

#endif
