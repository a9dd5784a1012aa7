/* common.c -- helpers shared by the ragc commands. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/hts_log.h>

#include "cli.h"
#include "progress.h"

/* Set once standard output turned out to be a pipe nobody reads. */
static int reader_gone;

/* Standard output is a pipe whose reading end is closed (`ragc ... | head`
   after head exited): poll reports an error condition on it. */
static int stdout_reader_gone(void)
{
    struct pollfd p = { .fd = STDOUT_FILENO, .events = 0 };
    return poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
}

int cli_stdout_closed(void)
{
    return reader_gone;
}

void cli_error(const char *cmd, const char *fmt, ...)
{
    /* A reader that stopped reading (head) is no error to report, as with
       samtools: the failed write, and whatever it made fail, stay silent. */
    if (reader_gone || (errno == EPIPE && stdout_reader_gone())) {
        reader_gone = 1;
        return;
    }
    va_list ap;
    fflush(stdout);
    cli_progress_interrupt();   /* the message gets a line of its own */
    fprintf(stderr, "ragc %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_int_option(const char *cmd, char opt, const char *text, int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (end == text || *end || errno == ERANGE) {
        cli_error(cmd, "option -%c needs a whole number, not '%s'", opt, text);
        return -1;
    }
    *out = v < lo ? lo : v > hi ? hi : v;
    return 0;
}

int cli_size_option(const char *cmd, const char *opt, const char *text, uint64_t lo, uint64_t hi, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    int shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    }
    if (end == text || *end || !(*text >= '0' && *text <= '9') || errno == ERANGE || v > (UINT64_MAX >> shift)) {
        cli_error(cmd, "option %s needs a size (bytes, or a number with K, M or G), not '%s'", opt, text);
        return -1;
    }
    v <<= shift;
    *out = v < lo ? lo : v > hi ? hi : v;
    return 0;
}

int cli_check_operands(const char *cmd, const char *usage, const char *no_second, int argc, int optind)
{
    if (optind >= argc) {
        cli_error(cmd, "no archive name; usage: ragc %s %s", cmd, usage);
        return -1;
    }
    if (no_second && optind + 1 >= argc) {
        cli_error(cmd, "%s", no_second);
        return -1;
    }
    return 0;
}

ragc_archive *cli_open_archive(const char *cmd, const char *path)
{
    int status;
    ragc_archive *arc = ragc_open(path, &status);
    if (!arc) {
        if (status == RAGC_ERR_IO)
            cli_error(cmd, "cannot open archive '%s': %s", path, strerror(errno));
        else
            cli_error(cmd, "cannot read archive '%s': %s", path, ragc_errmsg(status));
    }
    return arc;
}

ragc_archive *cli_open_parsed(const char *cmd, int parsed, char **argv, int optind, int *status)
{
    *status = parsed < 0 ? 0 : 1;
    return parsed ? NULL : cli_open_archive(cmd, argv[optind]);
}

int cli_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 2 ? (int)(n / 2) : 1;
}

int cli_usage(const char *cmd, const char *usage, const char *options)
{
    printf("Usage: ragc %s %s\n", cmd, usage);
    if (options && *options)
        printf("Options:\n%s", options);
    return 0;
}

void cli_getopt_restart(void)
{
    optind = 1;
    opterr = 0;
}

int cli_getopt(int argc, char **argv, const char *optstring)
{
    static const struct option help_only[] = { { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
    return getopt_long(argc, argv, optstring, help_only, NULL);
}

void cli_bad_option(const char *cmd, int c, const char *arg)
{
    /* optstrings start with ':', so getopt tells a missing value (':')
       from an option the command does not take ('?') */
    int is_long = arg && arg[0] == '-' && arg[1] == '-';
    int name_len = is_long ? (int)strcspn(arg, "=") : 0;
    if (c == ':' && is_long)
        cli_error(cmd, "option %.*s needs a value", name_len, arg);
    else if (c == ':')
        cli_error(cmd, "option -%c needs a value", optopt);
    else if (is_long || !optopt)
        cli_error(cmd, "unknown option %.*s (see ragc %s -h)", is_long ? name_len : (int)strlen(arg ? arg : ""),
                  arg ? arg : "", cmd);
    else
        cli_error(cmd, "unknown option -%c (see ragc %s -h)", optopt, cmd);
}

void cli_reader_warnings(void)
{
    if (hts_get_log_level() < HTS_LOG_WARNING)
        hts_set_log_level(HTS_LOG_WARNING);
}
