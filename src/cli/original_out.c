/* original_out.c -- getset/getcol --original; see original_out.h. */
#include "original_out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/kstring.h>

#include "cli.h"
#include "fasta_out.h"
#include "output.h"

/* Text gathered before a write (and, with gzip, the size of a member). */
#define CHUNK_BYTES (1u << 20)

typedef struct {
    const char *cmd;
    ragc_outfile *file;
    int gzip_level;
    cli_fasta gz;       /* its gzip members (gz.out) when gzip_level > 0 */
    kstring_t chunk;    /* text not yet written */
    int members;        /* gzip members in the current output */
    int reported;       /* a write error was printed already */
} writer;

/* Writes the chunk (as one gzip member when gzipping) and empties it. */
static int write_chunk(writer *w)
{
    const char *s = w->chunk.s ? w->chunk.s : "";
    size_t n = w->chunk.l;
    if (w->gzip_level) {
        w->gz.out.l = 0;
        if (cli_fasta_gzip(&w->gz, w->gzip_level, s, n) < 0)
            return RAGC_ERR_NOMEM;
        s = w->gz.out.s;
        n = w->gz.out.l;
        w->members++;
    }
    w->chunk.l = 0;
    if (n > 0 && ragc_outfile_write(w->file, s, n) < 0) {
        cli_error(w->cmd, "write error: %s", strerror(errno));
        w->reported = 1;
        return RAGC_ERR_IO;
    }
    return RAGC_OK;
}

/* The ragc_sink_fn of ragc_sample_original. */
static int take_text(void *ctx, const char *s, size_t n)
{
    writer *w = ctx;
    if (kputsn(s, n, &w->chunk) < 0)
        return 1;
    return w->chunk.l >= CHUNK_BYTES && write_chunk(w) < 0;
}

/* Every sample must have an original form: a request that cannot be met
   in full writes nothing. */
static int check_samples(const char *cmd, ragc_archive *arc, ragc_decoder *dec, const int64_t *samples,
                         size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int r = ragc_has_original(dec, samples[i]);
        const char *name = ragc_sample_name(arc, samples[i]);
        if (r == 0) {
            cli_error(cmd, "sample %s has no original form (written by agc, or with --no-original)", name);
            return -1;
        }
        if (r < 0) {
            cli_error(cmd, "cannot read sample %s: %s", name, ragc_errmsg(r));
            return -1;
        }
    }
    return 0;
}

/* Writes one sample into the open output. */
static int write_sample(writer *w, ragc_archive *arc, ragc_decoder *dec, int64_t sample)
{
    int r = ragc_sample_original(dec, sample, take_text, w);
    if (r < 0 && !w->reported)
        cli_error(w->cmd, "cannot write sample %s in its original form: %s", ragc_sample_name(arc, sample),
                  r == RAGC_ERR_CALLBACK ? "out of memory" : ragc_errmsg(r));
    return r < 0 ? -1 : 0;
}

/* Opens path, writes samples [from, to) into it, adds it to done (renamed
   into place with the others when all are written). */
static int write_output(writer *w, ragc_archive *arc, ragc_decoder *dec, const char *path,
                        const int64_t *samples, size_t from, size_t to, cli_output_set *done)
{
    ragc_outfile file;
    if (cli_output_open(&file, path) < 0) {
        cli_error(w->cmd, "cannot create '%s': %s", path ? path : "standard output", strerror(errno));
        return -1;
    }
    w->file = &file;
    w->members = 0;
    w->chunk.l = 0;
    int r = 0;
    for (size_t i = from; i < to && r == 0; i++)
        r = write_sample(w, arc, dec, samples[i]);
    /* gzip: even an empty output is one (empty) member, a valid gzip file */
    if (r == 0 && (w->chunk.l > 0 || (w->gzip_level && w->members == 0)) && write_chunk(w) < 0) {
        if (!w->reported)
            cli_error(w->cmd, "out of memory");
        r = -1;
    }
    if (r < 0) {
        cli_output_abort(&file);
        return -1;
    }
    if (cli_output_set_add(done, &file) < 0) {
        cli_error(w->cmd, "write error: %s", strerror(errno));
        return -1;
    }
    return 0;
}

int original_run(const char *cmd, ragc_archive *arc, const int64_t *samples, size_t n, char **paths,
                 int per_sample, int gzip_level)
{
    ragc_decoder *dec = ragc_decoder_init(arc, 0);
    writer w = { .cmd = cmd, .gzip_level = gzip_level };
    /* the line length does not matter: only cli_fasta_gzip is used */
    if (!dec || cli_fasta_init(&w.gz, 1, gzip_level) < 0) {
        cli_error(cmd, "out of memory");
        ragc_decoder_destroy(dec);
        return 1;
    }
    cli_output_set done = { 0 };
    int r = check_samples(cmd, arc, dec, samples, n);
    if (r == 0 && per_sample)
        for (size_t i = 0; i < n && r == 0; i++)
            r = write_output(&w, arc, dec, paths[i], samples, i, i + 1, &done);
    else if (r == 0)
        r = write_output(&w, arc, dec, paths[0], samples, 0, n, &done);
    if (r == 0 && cli_output_set_commit(&done) < 0) {
        cli_error(cmd, "cannot rename the output into place: %s", strerror(errno));
        r = -1;
    }
    if (r < 0)
        cli_output_set_abort(&done);
    free(w.chunk.s);
    cli_fasta_free(&w.gz);
    ragc_decoder_destroy(dec);
    return r < 0 ? 1 : 0;
}
