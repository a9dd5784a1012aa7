/* main.c -- `ragc COMMAND ...`: dispatch, --version, --help. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <htslib/hts.h>
#include <htslib/hts_log.h>

#include "cli.h"
#include "signals.h"

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *what;
} command;

static const command commands[] = {
    { "create", cmd_create, "create an archive from FASTA files" },
    { "append", cmd_append, "add FASTA files to a copy of an archive" },
    { "import", cmd_import, "create an archive, or add FASTA files to it in place" },
    { "merge", cmd_merge, "join archives (a base and its shards, or archives split by contigs)" },
    { "getcol", cmd_getcol, "extract all samples from an archive" },
    { "getset", cmd_getset, "extract samples from an archive" },
    { "getctg", cmd_getctg, "extract contigs or ranges from an archive" },
    { "faidx", cmd_faidx, "regions of a sample, as samtools faidx" },
    { "dict", cmd_dict, "sequence dictionary of samples, as samtools dict" },
    { "listref", cmd_listref, "print the reference sample name" },
    { "listset", cmd_listset, "list sample names" },
    { "listctg", cmd_listctg, "list contig names of samples" },
    { "info", cmd_info, "show archive parameters" },
};

static void usage(FILE *fp)
{
    fprintf(fp, "ragc %s (htslib %s): AGC archives of assembled genomes\n\n", RAGC_VERSION,
            hts_version());
    fprintf(fp, "Usage: ragc <command> [options]\n\nCommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(fp, "   %-8s - %s\n", commands[i].name, commands[i].what);
    fprintf(fp, "\nRun `ragc <command> -h` for the options of a command.\n");
}

/* The command's status, or, when its standard output was closed by the
   reader, death by SIGPIPE: what samtools gets from `samtools ... | head`,
   silent, the shell reporting 141.  The command has cleaned up by now. */
static int exit_status(int status)
{
    if (status != 0 && cli_stdout_closed()) {
        signal(SIGPIPE, SIG_DFL);
        raise(SIGPIPE);
    }
    return status;
}

int main(int argc, char **argv)
{
    /* an interrupted command leaves no temporary output behind (before any
       other thread is started: they inherit the blocked signals) */
    cli_signals_init();
    /* A closed pipe must surface as EPIPE from write(2), not kill us. */
    signal(SIGPIPE, SIG_IGN);
    /* So must a file size limit (ulimit -f): EFBIG, reported, and the
       temporary output removed, not death by SIGXFSZ leaving it behind. */
    signal(SIGXFSZ, SIG_IGN);
    hts_set_log_level(HTS_LOG_ERROR);
    if (argc < 2) {
        usage(stderr);
        return 1;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("ragc %s\nUsing htslib %s\n", RAGC_VERSION, hts_version());
        return 0;
    }
    if (strcmp(argv[1], "help") == 0 && argc > 2) {
        /* `ragc help CMD` is `ragc CMD -h` */
        char *help_argv[] = { argv[2], "-h", NULL };
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
            if (strcmp(argv[2], commands[i].name) == 0)
                return commands[i].run(2, help_argv);
        fprintf(stderr, "ragc: unknown command '%s'\n", argv[2]);
        usage(stderr);
        return 1;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return exit_status(commands[i].run(argc - 1, argv + 1));
    fprintf(stderr, "ragc: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 1;
}
