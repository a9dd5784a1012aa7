/* refpath.c -- `agc:PATH?md5=HEX`, a contig found by its MD5 and read as a
   REF_PATH file (refpath.h). */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <htslib/hts_log.h>

#include "refpath.h"

#include "archive_pool.h"

#define MD5_QUERY "?md5="

static int hex_digit(int c)
{
    return c >= '0' && c <= '9' ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int refpath_parse(const char *rest, uint8_t md5[16], size_t *path_len)
{
    /* the last "?md5=": an archive path may itself hold one */
    const char *q = NULL;
    for (const char *p = rest; (p = strstr(p, MD5_QUERY)); p++)
        q = p;
    if (!q)
        return 0;
    const char *hex = q + strlen(MD5_QUERY);
    if (strlen(hex) != 32)
        return 0;
    for (int i = 0; i < 16; i++) {
        int h = hex_digit((unsigned char)hex[2 * i]), l = hex_digit((unsigned char)hex[2 * i + 1]);
        if (h < 0 || l < 0)
            return 0;
        md5[i] = (uint8_t)(h * 16 + l);
    }
    *path_len = (size_t)(q - rest);
    return 1;
}

static void hex_string(const uint8_t md5[16], char out[33])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++) {
        out[2 * i] = digits[md5[i] >> 4];
        out[2 * i + 1] = digits[md5[i] & 15];
    }
    out[32] = '\0';
}

int refpath_open(const char *path, const uint8_t md5[16], refpath_contig *rc)
{
    memset(rc, 0, sizeof *rc);
    char hex[33];
    hex_string(md5, hex);
    /* A missing archive is checked first: ragc_open would log an error too. */
    struct stat st;
    int status = RAGC_ERR_IO;
    errno = 0;
    if ((!ragc_is_url(path) && stat(path, &st) != 0) || !(rc->arc = pool_acquire(path, &status))) {
        /* a miss, not an error: htslib goes on to the next REF_PATH element
           (said as a warning: a REF_PATH naming no archive is likely a typo) */
        hts_log_warning("agc: cannot open archive %s for MD5 lookups: %s", path,
                        status == RAGC_ERR_IO && errno ? strerror(errno) : ragc_errmsg(status));
        errno = status == RAGC_ERR_NOMEM ? ENOMEM : ENOENT;
        return -1;
    }
    int err = ENOMEM;
    if (!(rc->dec = ragc_decoder_init(rc->arc, 0)))
        goto fail;
    status = pool_find_md5(rc->arc, md5, &rc->sample, &rc->contig);
    if (status == RAGC_ERR_NO_CONTIG) {
        /* the usual miss when REF_PATH lists several archives */
        hts_log_info("agc: no contig with MD5 %s in %s", hex, path);
        err = ENOENT;
        goto fail;
    }
    int64_t len = status < 0 ? status : ragc_contig_length(rc->arc, rc->dec, rc->sample, rc->contig);
    if (len < 0) {
        hts_log_error("agc: %s: looking up MD5 %s: %s", path, hex, ragc_errmsg((int)len));
        err = len == RAGC_ERR_NOMEM ? ENOMEM : EIO;
        goto fail;
    }
    rc->length = (uint64_t)len;
    hts_log_info("agc: MD5 %s is contig %s of sample %s in %s", hex,
                 ragc_contig_name(rc->arc, rc->sample, rc->contig),
                 ragc_sample_name(rc->arc, rc->sample), path);
    return 0;
fail:
    refpath_close(rc);
    errno = err;
    return -1;
}

/* Copies decoded bases upper-cased (the M5 is of the upper-case sequence;
   ASCII only, as the C locale's toupper that the M5 was computed with). */
typedef struct {
    char *dst;
    size_t room;
} upper_copy;

static int copy_upper(void *ctx, const char *seq, size_t len)
{
    upper_copy *u = ctx;
    if (len > u->room)
        return 1;   /* more bases than asked for: the stored length is wrong */
    for (size_t i = 0; i < len; i++) {
        char c = seq[i];
        *u->dst++ = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
    }
    u->room -= len;
    return 0;
}

int64_t refpath_read(refpath_contig *rc, uint64_t pos, void *buf, size_t n)
{
    if (pos >= rc->length)
        return 0;
    if (n > rc->length - pos)
        n = (size_t)(rc->length - pos);
    if (n > INT64_MAX)
        n = INT64_MAX;
    upper_copy u = { buf, n };
    int r = ragc_contig_stream(rc->dec, rc->sample, rc->contig, (int64_t)pos,
                               (int64_t)(pos + n - 1), copy_upper, &u);
    if (r == RAGC_ERR_CALLBACK || (r == RAGC_OK && u.room)) {
        hts_log_error("agc: contig %s of sample %s: decoded length differs from the stored one",
                      ragc_contig_name(rc->arc, rc->sample, rc->contig),
                      ragc_sample_name(rc->arc, rc->sample));
        return RAGC_ERR_FORMAT;
    }
    return r < 0 ? r : (int64_t)n;
}

void refpath_close(refpath_contig *rc)
{
    ragc_decoder_destroy(rc->dec);
    pool_release(rc->arc);
    rc->dec = NULL;
    rc->arc = NULL;
}
