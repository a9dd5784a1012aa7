/* cli.h -- shared pieces of the ragc command line. */
#ifndef RAGC_CLI_H
#define RAGC_CLI_H

#include <stdint.h>

#include "ragc.h"

/* Prints "ragc CMD: message" to stderr; nothing once a write failed with
   EPIPE because standard output is a pipe whose reader has gone (see
   cli_stdout_closed). */
void cli_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* 1 when a write failed because standard output's reader has gone; main
   then ends the process with SIGPIPE, as samtools is ended (docs/cli.md). */
int cli_stdout_closed(void);

/* Parses an integer option value and clamps it to [lo, hi] as agc does;
   returns -1 (after printing an error) if the text is not a number. */
int cli_int_option(const char *cmd, char opt, const char *text, int64_t lo, int64_t hi, int64_t *out);

/* Parses a size option value: a whole number of bytes with an optional
   suffix K, M or G (powers of 1024, either case), as samtools sort -m;
   clamped to [lo, hi].  Returns -1 (after printing an error) otherwise. */
int cli_size_option(const char *cmd, const char *opt, const char *text, uint64_t lo, uint64_t hi, uint64_t *out);

/* Starts getopt over a command's arguments (from argv[1]), quiet: the
   command reports a bad option itself, with cli_bad_option. */
void cli_getopt_restart(void);

/* getopt_long with --help (as -h) the only long option. */
int cli_getopt(int argc, char **argv, const char *optstring);

/* Reports an option getopt rejected: c is what getopt returned (':' for a
   missing value, as optstrings start with ':'; '?' for an unknown option),
   arg the command-line word it came from (argv[optind - 1]). */
void cli_bad_option(const char *cmd, int c, const char *arg);

/* After the options (getopt's optind): checks that an archive name follows
   and, unless no_second is NULL, one more operand; if not, prints the usage
   or no_second and returns -1. */
int cli_check_operands(const char *cmd, const char *usage, const char *no_second, int argc, int optind);

/* Opens an archive, printing the reason on failure. */
ragc_archive *cli_open_archive(const char *cmd, const char *path);

/* The start of a command on an archive: parsed is what its option parser
   returned (0, 1 after an error, -1 after -h).  When 0, opens the archive
   named by argv[optind]; otherwise, or if that fails, returns NULL with
   *status the command's exit status. */
ragc_archive *cli_open_parsed(const char *cmd, int parsed, char **argv, int optind, int *status);

/* Default number of threads, as agc: half the cores, at least 1. */
int cli_default_threads(void);

/* Commands that print sequence let the library's warnings through (main
   keeps only errors): an original form that cannot be applied is reported
   that way while the sample is printed as agc reads it, and the user must
   know that the case or odd bytes of the input are not in the output. */
void cli_reader_warnings(void);

/* Prints the standard option help lines for -h. */
int cli_usage(const char *cmd, const char *usage, const char *options);

int cmd_create(int argc, char **argv);
int cmd_append(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_listref(int argc, char **argv);
int cmd_listset(int argc, char **argv);
int cmd_listctg(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_getcol(int argc, char **argv);
int cmd_getset(int argc, char **argv);
int cmd_getctg(int argc, char **argv);
int cmd_faidx(int argc, char **argv);
int cmd_dict(int argc, char **argv);

#endif
