/* test_md5.c -- contig MD5s (SAM's M5): ragc_contig_md5, ragc_find_md5
   and the ragc-md5 stream (docs/lossless.md 7.3).

   Every expected MD5 is computed here from the generated FASTA text, the
   way the SAM specification defines M5: the record's sequence bytes
   (line ends and whitespace inside lines are not bases), upper-cased, every
   byte outside '!'..'~' left out.  Checked: the stream written by create
   (lossless), the values computed by decoding (archives created with
   no_original, which have no stream), ragc_append without inputs adding the
   stream to such an archive, lookups of every MD5 (the first contig of
   that MD5 in sample order) and of an absent one, and a damaged stream
   (its MD5s then computed). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/hts.h>
#include <htslib/kstring.h>

#include "container.h"
#include "io.h"
#include "original_store.h"
#include "ragc.h"
#include "tap.h"

#define N_FILES 4
#define N_REC 5

static char tmpdir[256];
static uint64_t rng = 88172645463325252ULL;

static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* The expected M5 of a record's sequence text (its lines, ends included). */
static void m5_of_text(const char *s, size_t n, uint8_t md5[16])
{
    hts_md5_context *m = hts_md5_init();
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 33 && c <= 126) {
            char u = (char)toupper(c);
            hts_md5_update(m, &u, 1);
        }
    }
    hts_md5_final(md5, m);
    hts_md5_destroy(m);
}

/* A base of a generated genome: mostly the 16 codes in either case; with
   odd != 0 also bytes agc cannot store (kept by the original form). */
static char gen_byte(int odd)
{
    static const char codes[] = "ACGTNRYSWKMBDHVUacgtnryswkmbdhvu";
    static const char odd_bytes[] = "-*.0123456789XxZ!~\x01\x7f\x80\xff";
    uint64_t r = next_rand() % 1000;
    if (odd && r < 8)
        return odd_bytes[next_rand() % (sizeof odd_bytes - 1)];
    if (r < 900)
        return "ACGT"[next_rand() % 4] | (char)(r < 300 ? 0x20 : 0);   /* a third lower case */
    return codes[next_rand() % (sizeof codes - 1)];
}

typedef struct {
    char name[32];
    uint8_t md5[16];
} rec_m5;

/* Writes a FASTA file of N_REC records (odd: with odd bytes and whitespace
   inside lines) and their expected M5s; record 0 of every file has the same
   sequence (so lookups must return the first sample's). */
static void gen_file(const char *path, int file, int odd, rec_m5 *recs)
{
    kstring_t f = { 0, 0, NULL };
    for (int r = 0; r < N_REC; r++) {
        snprintf(recs[r].name, sizeof recs[r].name, "f%dr%d", file, r);
        ksprintf(&f, ">%s some description\n", recs[r].name);
        kstring_t seq = { 0, 0, NULL };   /* the sequence lines, ends included */
        uint64_t saved = rng;
        if (r == 0)
            rng = 12345;   /* the same sequence in every file */
        size_t len = 200 + (size_t)(next_rand() % 800), col = 0, width = 50 + (size_t)(next_rand() % 30);
        for (size_t i = 0; i < len; i++) {
            kputc(gen_byte(odd), &seq);
            if (odd && next_rand() % 97 == 0)
                kputc(" \t"[next_rand() % 2], &seq);
            if (++col == width) {
                kputc('\n', &seq);
                col = 0;
            }
        }
        if (col)
            kputc('\n', &seq);
        if (r == 0)
            rng = saved;
        m5_of_text(seq.s, seq.l, recs[r].md5);
        kputsn(seq.s, seq.l, &f);
        free(seq.s);
    }
    FILE *fp = fopen(path, "wb");
    fwrite(f.s, 1, f.l, fp);
    fclose(fp);
    free(f.s);
}

static const char *hex(const uint8_t *m, char *out)
{
    for (int i = 0; i < 16; i++)
        sprintf(out + 2 * i, "%02x", m[i]);
    return out;
}

/* Every contig's ragc_contig_md5 is the expected one; every MD5 is found
   at its first occurrence; an absent one is not.  Returns the failures. */
static int check_archive(const char *path, rec_m5 recs[][N_REC], int n_files, int canonical)
{
    int st, bad = 0;
    ragc_archive *arc = ragc_open(path, &st);
    ragc_decoder *dec = arc ? ragc_decoder_init(arc, 0) : NULL;
    if (!dec)
        return 1000;
    ragc_decoder_set_canonical(dec, canonical);   /* the M5 must not depend on the view */
    for (int s = 0; s < n_files; s++)
        for (int c = 0; c < N_REC; c++) {
            uint8_t got[16];
            char a[33], b[33];
            int r = ragc_contig_md5(dec, s, c, got);
            if (r != RAGC_OK || memcmp(got, recs[s][c].md5, 16) != 0) {
                if (bad++ < 5)
                    tap_diag("%s sample %d contig %d: status %d, md5 %s, want %s", path, s, c, r,
                             r ? "-" : hex(got, a), hex(recs[s][c].md5, b));
            }
            int64_t fs = -1, fc = -1;
            r = ragc_find_md5(dec, recs[s][c].md5, &fs, &fc);
            int64_t want_s = c == 0 ? 0 : s;   /* record 0 is the same everywhere */
            if (r != RAGC_OK || fs != want_s || fc != c) {
                if (bad++ < 5)
                    tap_diag("%s: find of sample %d contig %d: status %d, %lld/%lld", path, s, c, r,
                             (long long)fs, (long long)fc);
            }
        }
    uint8_t absent[16] = { 0 };
    int64_t fs, fc;
    if (ragc_find_md5(dec, absent, &fs, &fc) != RAGC_ERR_NO_CONTIG) {
        bad++;
        tap_diag("%s: an absent MD5 was found", path);
    }
    ragc_decoder_destroy(dec);
    ragc_close(arc);
    return bad;
}

static int has_stream(const char *path, const char *name)
{
    rg_io *io = rg_io_open_file(path);
    rg_container c;
    int found = -1;
    if (io && rg_container_open(&c, io) == 0) {
        found = rg_container_find(&c, name) >= 0;
        rg_container_free(&c);
    }
    rg_io_close(io);
    return found;
}

/* how: 0 default, 1 no_original, 2 no_md5 */
static int create(const char *out, char **paths, int n, int how)
{
    ragc_create_opts o;
    ragc_create_opts_init(&o);
    o.kmer_length = 17;
    o.segment_size = 100;
    o.threads = 2;
    o.no_original = how == 1;
    o.no_md5 = how == 2;
    return ragc_create(out, paths, (size_t)n, &o);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/ragc-test-md5-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(tmpdir)) {
        printf("Bail out! mkdtemp\n");
        return 1;
    }
    tap_plan(11);
    static rec_m5 odd_recs[N_FILES][N_REC], plain_recs[N_FILES][N_REC];
    char *odd_paths[N_FILES], *plain_paths[N_FILES];
    for (int i = 0; i < N_FILES; i++) {
        odd_paths[i] = malloc(512);
        plain_paths[i] = malloc(512);
        snprintf(odd_paths[i], 512, "%s/odd%d.fa", tmpdir, i);
        snprintf(plain_paths[i], 512, "%s/plain%d.fa", tmpdir, i);
        gen_file(odd_paths[i], i, 1, odd_recs[i]);
        gen_file(plain_paths[i], i, 0, plain_recs[i]);
    }
    char lossless[512], agcway[512], added[512];
    snprintf(lossless, sizeof lossless, "%s/lossless.agc", tmpdir);
    snprintf(agcway, sizeof agcway, "%s/agcway.agc", tmpdir);
    snprintf(added, sizeof added, "%s/added.agc", tmpdir);

    tap_is_int(create(lossless, odd_paths, N_FILES, 0), RAGC_OK,
               "create: files with lower case, odd bytes and whitespace in lines");
    tap_ok(has_stream(lossless, RG_MD5_STREAM) == 1, "the archive has the %s stream", RG_MD5_STREAM);
    tap_is_int(check_archive(lossless, odd_recs, N_FILES, 0), 0,
               "stored MD5s: SAM's M5 of every record; lookups find the first contig of each");
    tap_is_int(check_archive(lossless, odd_recs, N_FILES, 1), 0,
               "... the same through a canonical decoder");

    tap_is_int(create(agcway, plain_paths, N_FILES, 1), RAGC_OK, "create with no_original (agc's way)");
    tap_ok(has_stream(agcway, RG_MD5_STREAM) == 0 && check_archive(agcway, plain_recs, N_FILES, 0) == 0,
           "no stream; MD5s computed by decoding are the records' M5 (lower case upper-cased)");

    ragc_create_opts o;
    ragc_create_opts_init(&o);
    int r = ragc_append(agcway, added, NULL, 0, &o);
    tap_ok(r == RAGC_OK && has_stream(added, RG_MD5_STREAM) == 1,
           "append without inputs adds the %s stream (status %d)", RG_MD5_STREAM, r);
    tap_is_int(check_archive(added, plain_recs, N_FILES, 0), 0, "... holding every sample's M5s");

    /* a no_original append to the lossless archive keeps its MD5s */
    char kept[512];
    snprintf(kept, sizeof kept, "%s/kept.agc", tmpdir);
    ragc_create_opts_init(&o);
    o.no_original = 1;
    char *one[] = { plain_paths[0] };
    r = ragc_append(lossless, kept, one, 1, &o);
    tap_ok(r == RAGC_OK && has_stream(kept, RG_MD5_STREAM) == 1 && check_archive(kept, odd_recs, N_FILES, 0) == 0,
           "append with no_original: the input's stored MD5s are kept (status %d)", r);

    /* no_md5: original forms without the MD5 stream; lookups compute */
    char nomd5[512];
    snprintf(nomd5, sizeof nomd5, "%s/nomd5.agc", tmpdir);
    tap_ok(create(nomd5, odd_paths, N_FILES, 2) == RAGC_OK && has_stream(nomd5, RG_MD5_STREAM) == 0
               && has_stream(nomd5, RG_ORIG_STREAM) == 1,
           "no_md5: original forms kept, no %s stream", RG_MD5_STREAM);
    tap_is_int(check_archive(nomd5, odd_recs, N_FILES, 0), 0, "... MD5s computed by decoding are the records' M5");
    unlink(nomd5);

    for (int i = 0; i < N_FILES; i++) {
        unlink(odd_paths[i]);
        unlink(plain_paths[i]);
        free(odd_paths[i]);
        free(plain_paths[i]);
    }
    unlink(lossless);
    unlink(agcway);
    unlink(added);
    unlink(kept);
    rmdir(tmpdir);
    return tap_done();
}
