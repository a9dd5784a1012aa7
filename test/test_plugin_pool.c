/* test_plugin_pool.c -- TAP test: the htslib plugin opens each archive once
   per process (plugin/archive_pool.h) and never serves a file that changed.

   The plugin is loaded by htslib from $RAGC_PLUGIN_DIR (make check sets it;
   default: the current directory).  Which archive a handle serves is told by
   its bytes, compared with the library's own rendering of the same sample
   (ragc_vfasta); how often the plugin opened a file, by its debug log. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/hfile.h>
#include <htslib/hts_log.h>
#include <htslib/kstring.h>

#include "ragc.h"
#include "tap.h"

static char tmpdir[256];
static char logpath[300];

/* Every byte of an hFILE, or NULL. */
static char *slurp_url(const char *url, size_t *len)
{
    hFILE *h = hopen(url, "r");
    if (!h)
        return NULL;
    kstring_t s = KS_INITIALIZE;
    char buf[8192];
    ssize_t n;
    while ((n = hread(h, buf, sizeof buf)) > 0)
        kputsn(buf, (size_t)n, &s);
    if (hclose(h) < 0 || n < 0) {
        free(s.s);
        return NULL;
    }
    *len = s.l;
    return s.s ? s.s : strdup("");
}

/* The reference sample of the archive at path as the plugin lays it out. */
static char *rendering(const char *path, size_t *len)
{
    int st;
    ragc_archive *arc = ragc_open(path, &st);
    ragc_vfasta *vf = arc ? ragc_vfasta_open(arc, ragc_sample_index(arc, ragc_reference(arc)),
                                             RAGC_VFASTA_LINE_WIDTH, &st) : NULL;
    char *text = NULL;
    if (vf) {
        *len = (size_t)ragc_vfasta_size(vf);
        text = malloc(*len + 1);
        if (text && ragc_vfasta_read(vf, 0, text, *len) != (int64_t)*len) {
            free(text);
            text = NULL;
        }
    }
    ragc_vfasta_close(vf);
    ragc_close(arc);
    return text;
}

/* 1 when the plugin serves exactly `want` (the rendering of archive want_path) at url. */
static int serves(const char *url, const char *want_path)
{
    size_t a = 0, b = 0;
    char *got = slurp_url(url, &a), *want = rendering(want_path, &b);
    int same = got && want && a == b && memcmp(got, want, a) == 0;
    free(got);
    free(want);
    return same;
}

/* Lines of the captured log holding `what`. */
static int log_count(const char *what)
{
    fflush(stderr);
    FILE *f = fopen(logpath, "r");
    int n = 0;
    char line[4096];
    while (f && fgets(line, sizeof line, f))
        n += strstr(line, what) != NULL;
    if (f)
        fclose(f);
    return n;
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[65536];
    size_t n;
    int r = in && out ? 0 : -1;
    while (r == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            r = -1;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        r = -1;
    return r;
}

int main(void)
{
    tap_need_shared();
    const char *dir = getenv("RAGC_PLUGIN_DIR");
    char so[4096];
    snprintf(so, sizeof so, "%s/hfile_agc.so", dir && *dir ? dir : ".");
    tap_plan(7);
    if (access(so, R_OK) != 0) {
        /* the sanitizer build makes no plugin (it cannot load into htslib) */
        for (int i = 0; i < 7; i++)
            printf("ok %d # skip no plugin at %s (not built in sanitizer builds)\n", i + 1, so);
        return 0;
    }
    setenv("HTS_PATH", dir && *dir ? dir : ".", 1);

    char toy[4096], hsmt[4096], small[4096];
    tap_shared_path(toy, sizeof toy, "compat/archives/toy.agc");
    tap_shared_path(hsmt, sizeof hsmt, "compat/archives/hsmt.agc");
    tap_shared_path(small, sizeof small, "compat/archives/hsmt-small.agc");
    const char *tmp = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/ragc-test-pool-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(tmpdir)) {
        printf("Bail out! cannot create a temporary directory\n");
        return 1;
    }
    char a[512], b[512], c[512], url[600], fai[600];
    snprintf(a, sizeof a, "%s/a.agc", tmpdir);
    snprintf(b, sizeof b, "%s/b.agc", tmpdir);
    snprintf(c, sizeof c, "%s/c.agc", tmpdir);
    snprintf(logpath, sizeof logpath, "%s/log", tmpdir);
    snprintf(url, sizeof url, "agc:%s", a);
    snprintf(fai, sizeof fai, "agc:%s.fai", a);
    copy_file(toy, a);

    /* the plugin's debug log goes to a file */
    fflush(stderr);
    int saved = dup(2);
    FILE *lf = freopen(logpath, "w", stderr);
    hts_set_log_level(HTS_LOG_DEBUG);

    size_t n;
    char *t = slurp_url(fai, &n);
    free(t);
    int ok1 = t && serves(url, a) && serves(url, a);
    int opened = log_count("agc: opened "), shared = log_count(" is open already");

    /* replaced by another file (rename: another inode) while idle */
    copy_file(hsmt, b);
    rename(b, a);
    int ok2 = serves(url, a) && log_count("agc: opened ") == opened + 1;

    /* rewritten in place (same inode, other size) while a handle is open */
    hFILE *held = hopen(url, "r");
    copy_file(small, a);
    int ok3 = held && serves(url, small);
    if (held && hclose(held) < 0)
        ok3 = 0;

    /* more idle archives than kept (2): the least recently used is closed */
    copy_file(toy, b);
    copy_file(hsmt, c);
    char ub[600], uc[600];
    snprintf(ub, sizeof ub, "agc:%s", b);
    snprintf(uc, sizeof uc, "agc:%s", c);
    int before = log_count("agc: opened ");
    int ok4 = serves(url, small) && log_count("agc: opened ") == before;        /* reused */
    int ok5 = serves(ub, b) && serves(url, small) && log_count("agc: opened ") == before + 1;
    int ok6 = serves(uc, c) && serves(ub, b) && log_count("agc: opened ") == before + 3;
    hts_set_log_level(HTS_LOG_WARNING);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    (void)lf;

    tap_ok(ok1, "the .fai and two FASTA handles serve the archive");
    tap_ok(opened == 1 && shared == 2, "one open for three handles (opened %d, shared %d)", opened, shared);
    tap_ok(ok2, "a file replaced by rename is opened afresh");
    tap_ok(ok3, "a file rewritten in place is opened afresh while a handle holds the old one");
    tap_ok(ok4, "an idle archive is reused");
    tap_ok(ok5, "a second archive opens, the first stays open");
    tap_ok(ok6, "a third one closes the least recently used (reopened when asked again)");
    unlink(a);
    unlink(b);
    unlink(c);
    unlink(logpath);
    rmdir(tmpdir);
    return tap_done();
}
