/* hfile_agc.c -- htslib plugin: `agc:[SAMPLE@]PATH` reads one sample of an
   AGC archive as an indexed FASTA file.  PATH is a file or a URL
   (agc:SAMPLE@https://host/x.agc, agc:SAMPLE@s3://bucket/x.agc: see
   docs/remote.md).

       agc:PATH               the archive's reference sample
       agc:SAMPLE@PATH        any sample; %XX escapes in SAMPLE are decoded
                              (%40 '@', %23 '#', %3F '?', %25 '%')
       agc:[SAMPLE@]PATH.fai  the .fai of that virtual FASTA
       agc:PATH?md5=HEX       the bare upper-case sequence of the contig whose
                              M5 is HEX, in any sample (for htslib's REF_PATH,
                              refpath.h)

   The virtual file is laid out as `samtools faidx` writes FASTA (60 bases a
   line), see ragc_vfasta in ragc.h.  The scheme says "remote" so that htslib asks us
   for the .fai instead of looking for (or building) one on the local disk.
   Everything is read-only.  See docs/plugin.md. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <htslib/hts_log.h>

#include "archive_pool.h"
#include "hfile_abi.h"
#include "ragc.h"
#include "refpath.h"

typedef struct {
    hFILE base;            /* must come first: htslib sees an hFILE */
    ragc_archive *arc;
    ragc_vfasta *vf;       /* the FASTA, or NULL when serving ref or text below */
    refpath_contig ref;    /* an MD5 URL's contig (when ref.arc is set) */
    char *text;            /* the .fai */
    uint64_t size;
    uint64_t pos;          /* the backend's position */
    int has_read;          /* a read came since the opening */
} agc_hfile;

static ssize_t agc_read(hFILE *fpv, void *buf, size_t n)
{
    agc_hfile *fp = (agc_hfile *)fpv;
    if (fp->pos >= fp->size)
        return 0;
    if (n > fp->size - fp->pos)
        n = (size_t)(fp->size - fp->pos);
    /* htslib peeks at the start of every file it opens (is it
       compressed?), and samtools then seeks to the region it wants: the
       first read of a FASTA handle at offset 0 gets the first header line
       alone, which needs no decoding, instead of a decoded window that the
       seek throws away.  A short read is within hFILE's contract: a reader
       that goes on gets the bases with its next read. */
    if (fp->vf && !fp->has_read && fp->pos == 0) {
        int64_t first_base = ragc_vfasta_contig_offset(fp->vf, 0);
        if (first_base > 0 && n > (uint64_t)first_base)
            n = (size_t)first_base;
    }
    fp->has_read = 1;
    int64_t got;
    if (fp->vf || fp->ref.arc) {
        got = fp->vf ? ragc_vfasta_read(fp->vf, fp->pos, buf, n)
                     : refpath_read(&fp->ref, fp->pos, buf, n);
        if (got < 0) {
            hts_log_error("agc: %s", ragc_errmsg((int)got));
            errno = got == RAGC_ERR_NOMEM ? ENOMEM : EIO;
            return -1;
        }
    } else {
        memcpy(buf, fp->text + fp->pos, n);
        got = (int64_t)n;
    }
    fp->pos += (uint64_t)got;
    return (ssize_t)got;
}

static ssize_t agc_write(hFILE *fpv, const void *buf, size_t n)
{
    (void)fpv, (void)buf, (void)n;
    errno = EROFS;
    return -1;
}

static off_t agc_seek(hFILE *fpv, off_t offset, int whence)
{
    agc_hfile *fp = (agc_hfile *)fpv;
    int64_t from;
    switch (whence) {
    case SEEK_SET: from = 0; break;
    case SEEK_CUR: from = (int64_t)fp->pos; break;
    case SEEK_END: from = (int64_t)fp->size; break;
    default:
        errno = EINVAL;
        return -1;
    }
    if ((offset < 0 && -(int64_t)offset > from) ||
        (offset > 0 && (int64_t)offset > INT64_MAX - from)) {
        errno = offset < 0 ? EINVAL : EOVERFLOW;
        return -1;
    }
    /* like lseek(2), a position past the end is allowed (reads give 0) */
    fp->pos = (uint64_t)(from + (int64_t)offset);
    return (off_t)fp->pos;
}

static int agc_flush(hFILE *fpv)
{
    (void)fpv;
    return 0;
}

static int agc_close(hFILE *fpv)
{
    agc_hfile *fp = (agc_hfile *)fpv;
    ragc_vfasta_close(fp->vf);
    pool_release(fp->arc);
    refpath_close(&fp->ref);
    free(fp->text);
    fp->vf = NULL;
    fp->arc = NULL;
    fp->text = NULL;
    return 0;
}

static const struct hFILE_backend agc_backend = {
    agc_read, agc_write, agc_seek, agc_flush, agc_close
};

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Copy of s[0, len) with %XX escapes decoded (a '%' not followed by two hex
   digits stays as it is); NULL when out of memory. */
static char *unescape(const char *s, size_t len)
{
    char *out = malloc(len + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        int h, l;
        if (s[i] == '%' && i + 2 < len && (h = hexval((unsigned char)s[i + 1])) >= 0 &&
            (l = hexval((unsigned char)s[i + 2])) >= 0) {
            *o++ = (char)(h * 16 + l);
            i += 2;
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}

/* A URL (agc:[SAMPLE@]https://host/x.agc) is taken to exist: asking the
   server would cost a request, and opening it says soon enough. */
static int exists(const char *path)
{
    struct stat st;
    return ragc_is_url(path) || stat(path, &st) == 0;
}

/* path exists, or path is X.fai and X exists */
static int exists_or_index(const char *path)
{
    size_t n = strlen(path);
    if (exists(path))
        return 1;
    if (n <= 4 || strcmp(path + n - 4, ".fai") != 0)
        return 0;
    char *base = strdup(path);
    if (!base)
        return 0;
    base[n - 4] = '\0';
    int r = exists(base);
    free(base);
    return r;
}

/* The archive path p[0, len): taken literally, or %XX-decoded if only the
   decoded form names a file.  NULL when out of memory. */
static char *resolve_path(const char *p, size_t len)
{
    char *path = malloc(len + 1);
    if (!path)
        return NULL;
    memcpy(path, p, len);
    path[len] = '\0';
    if (exists(path))
        return path;
    char *dec = unescape(p, len);
    if (!dec) {
        free(path);
        return NULL;
    }
    if (strcmp(dec, path) != 0 && exists(dec)) {
        free(path);
        return dec;
    }
    free(dec);
    return path;
}

/* Splits the part after "agc:" into a sample name (NULL: the reference) and
   an archive path (see resolve_path).  Returns 0, or -1 with errno set. */
static int parse_url(const char *url, char **sample, char **path)
{
    *sample = *path = NULL;
    const char *rest = strchr(url, ':');
    if (!rest || !rest[1]) {
        hts_log_error("agc: no archive path in '%s' (use agc:[SAMPLE@]PATH)", url);
        errno = EINVAL;
        return -1;
    }
    rest++;
    const char *at = strchr(rest, '@');
    /* a path with '@' in it and no sample: agc:/data/x@y/arc.agc */
    if (at && !exists_or_index(at + 1) && exists_or_index(rest))
        at = NULL;
    const char *p = at ? at + 1 : rest;
    if (at && at > rest && !(*sample = unescape(rest, (size_t)(at - rest))))
        goto nomem;
    if (!(*path = resolve_path(p, strlen(p))))
        goto nomem;
    return 0;
nomem:
    free(*sample);
    free(*path);
    *sample = *path = NULL;
    errno = ENOMEM;
    return -1;
}

/* Opens an archive (the process's shared one, archive_pool.h), with errno
   and a logged reason on failure. */
static ragc_archive *open_archive(const char *path, int quiet)
{
    int status;
    errno = 0;
    ragc_archive *arc = pool_acquire(path, &status);
    if (arc)
        return arc;
    if (status == RAGC_ERR_IO) {
        if (!errno)
            errno = ENOENT;
        if (!quiet && errno != ENOENT)
            hts_log_error("agc: cannot open %s: %s", path, strerror(errno));
    } else {
        if (!quiet)
            hts_log_error("agc: %s: %s", path, ragc_errmsg(status));
        errno = status == RAGC_ERR_NOMEM ? ENOMEM : EINVAL;
    }
    return NULL;
}

/* The hFILE's buffer for an MD5 URL of a long contig: htslib reads the whole
   contig, and each refill decodes every segment it overlaps (those at its
   two ends partly in vain), so refill in large pieces. */
#define REF_BUFFER ((size_t)1 << 20)

/* agc:PATH?md5=HEX (rest is the part after "agc:", PATH its first path_len
   bytes): the contig with that M5, or NULL with errno ENOENT for a miss. */
static hFILE *open_md5(const char *rest, size_t path_len, const uint8_t md5[16], const char *mode)
{
    char *path = resolve_path(rest, path_len);
    if (!path) {
        errno = ENOMEM;
        return NULL;
    }
    refpath_contig ref;
    int r = refpath_open(path, md5, &ref);
    int err = errno;
    free(path);
    if (r < 0) {
        errno = err;
        return NULL;
    }
    size_t cap = ref.length < REF_BUFFER ? 0 : REF_BUFFER;   /* 0: htslib's default */
    agc_hfile *fp = (agc_hfile *)hfile_init(sizeof(agc_hfile), mode, cap);
    if (!fp) {
        err = errno ? errno : ENOMEM;
        refpath_close(&ref);
        errno = err;
        return NULL;
    }
    fp->arc = NULL;
    fp->vf = NULL;
    fp->ref = ref;
    fp->text = NULL;
    fp->size = ref.length;
    fp->pos = 0;
    fp->has_read = 0;
    fp->base.backend = &agc_backend;
    return &fp->base;
}

/* Index files htslib looks for beside a data file (URL.fai, URL.gzi...):
   their absence is normal, and reported only at the info level. */
static int is_index_probe(const char *path)
{
    static const char *const ext[] = { ".fai", ".gzi", ".bai", ".csi", ".tbi", ".crai" };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof(ext) / sizeof(ext[0]); i++)
        if (strcmp(dot, ext[i]) == 0)
            return 1;
    return 0;
}

/* Why the archive of url is not there, through hts_log: htslib itself only
   says "Failed to open the file".  The two usual slips get their own words:
   agc://PATH (a URL habit; agc URLs have no host) and agc:PATH@SAMPLE (the
   order of faidx's "contig@sample" queries reversed). */
static void report_missing(const char *url, const char *sample, const char *path)
{
    const char *rest = strchr(url, ':') + 1;
    if (is_index_probe(path))
        hts_log_info("agc: no such file %s", path);
    else if (rest[0] == '/' && rest[1] == '/' && rest[2] != '/')
        hts_log_error("agc: no archive %s: agc URLs are agc:[SAMPLE@]PATH, without '//' (agc:%s)", path,
                      rest + 2);
    else if (sample && exists(sample))
        hts_log_error("agc: no archive %s: the sample comes first, agc:SAMPLE@PATH (here agc:%s@%s)", path,
                      strchr(rest, '@') + 1, sample);
    else
        hts_log_error("agc: no archive %s (in %s; agc URLs are agc:[SAMPLE@]PATH)", path, url);
}

static hFILE *agc_open(const char *url, const char *mode)
{
    if (strpbrk(mode, "wa+")) {
        errno = EROFS;
        return NULL;
    }
    const char *rest = strchr(url, ':');
    uint8_t md5[16];
    size_t path_len;
    if (rest && refpath_parse(rest + 1, md5, &path_len) && path_len > 0)
        return open_md5(rest + 1, path_len, md5, mode);
    char *sample, *path;
    if (parse_url(url, &sample, &path) < 0)
        return NULL;

    ragc_archive *arc = NULL;
    int fai = 0;
    size_t plen = strlen(path);
    if (plen > 4 && strcmp(path + plen - 4, ".fai") == 0) {
        /* PATH.fai: the index of PATH when that is an archive */
        path[plen - 4] = '\0';
        if (exists(path) && (arc = open_archive(path, 1)))
            fai = 1;
        else
            path[plen - 4] = '.';
    }
    int missing = !arc && !exists(path);
    if (missing) {
        report_missing(url, sample, path);
        errno = ENOENT;
    }
    if (!arc && (missing || !(arc = open_archive(path, 0)))) {
        int e = errno;
        free(sample);
        free(path);
        errno = e;
        return NULL;
    }

    agc_hfile *fp = NULL;
    ragc_vfasta *vf = NULL;
    char *text = NULL;
    size_t text_len = 0;
    int64_t s = sample ? ragc_sample_index(arc, sample) : ragc_sample_index(arc, ragc_reference(arc));
    int status = RAGC_OK, err = EINVAL;
    if (s < 0) {
        hts_log_error("agc: archive %s has no sample '%s'", path, sample ? sample : "(reference)");
        goto fail;
    }
    if (!(vf = ragc_vfasta_open(arc, s, RAGC_VFASTA_LINE_WIDTH, &status))) {
        hts_log_error("agc: %s: sample %s: %s", path, ragc_sample_name(arc, s), ragc_errmsg(status));
        err = status == RAGC_ERR_NOMEM ? ENOMEM : EIO;
        goto fail;
    }
    if (fai) {
        if ((status = ragc_vfasta_fai(vf, &text, &text_len)) < 0) {
            err = ENOMEM;
            goto fail;
        }
        ragc_vfasta_close(vf);
        vf = NULL;
        pool_release(arc);
        arc = NULL;
    }
    if (!(fp = (agc_hfile *)hfile_init(sizeof(agc_hfile), mode, 0))) {
        err = errno ? errno : ENOMEM;
        goto fail;
    }
    fp->arc = arc;
    fp->vf = vf;
    memset(&fp->ref, 0, sizeof fp->ref);
    fp->text = text;
    fp->size = vf ? ragc_vfasta_size(vf) : text_len;
    fp->pos = 0;
    fp->has_read = 0;
    fp->base.backend = &agc_backend;
    free(sample);
    free(path);
    return &fp->base;

fail:
    ragc_vfasta_close(vf);
    pool_release(arc);
    free(text);
    free(sample);
    free(path);
    errno = err;
    return NULL;
}

static int agc_isremote(const char *url)
{
    (void)url;
    return 1;
}

/* The plugin's only exported symbol (it is linked with everything else
   hidden, libragc included). */
RAGC_EXPORT int hfile_plugin_init(struct hFILE_plugin *self)
{
    static const struct hFILE_scheme_handler handler = {
        agc_open, agc_isremote, "agc", 50, NULL
    };
    self->name = "agc";
    self->destroy = pool_shutdown;
    hfile_add_scheme_handler("agc", &handler);
    return 0;
}
