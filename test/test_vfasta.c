/* test_vfasta.c -- the virtual FASTA of a sample: layout, size, .fai, reads
   at random offsets, across contig boundaries and past the end, compared
   with a rendering built here from the FASTA inputs. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/kstring.h>

#include "ragc.h"
#include "tap.h"

typedef struct {
    size_t n;
    char **name;
    kstring_t *seq;
} fasta;

static void fasta_free(fasta *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->name[i]);
        free(f->seq[i].s);
    }
    free(f->name);
    free(f->seq);
    memset(f, 0, sizeof *f);
}

static int fasta_add(fasta *f, const char *name, size_t len)
{
    char **nn = realloc(f->name, (f->n + 1) * sizeof *nn);
    if (!nn)
        return -1;
    f->name = nn;
    kstring_t *ns = realloc(f->seq, (f->n + 1) * sizeof *ns);
    if (!ns)
        return -1;
    f->seq = ns;
    if (!(f->name[f->n] = malloc(len + 1)))
        return -1;
    memcpy(f->name[f->n], name, len);
    f->name[f->n][len] = '\0';
    f->seq[f->n] = (kstring_t){ 0, 0, NULL };
    kputs("", &f->seq[f->n]);
    f->n++;
    return 0;
}

/* Parses a plain FASTA file (headers and sequence lines). */
static int fasta_read(const char *path, fasta *f)
{
    size_t len;
    char *text = tap_slurp(path, &len);
    if (!text)
        return -1;
    memset(f, 0, sizeof *f);
    char *p = text, *end = text + len;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (l && p[l - 1] == '\r')
            l--;
        if (*p == '>') {
            if (fasta_add(f, p + 1, l - 1) < 0)
                goto fail;
        } else if (f->n && kputsn(p, l, &f->seq[f->n - 1]) < 0) {
            goto fail;
        }
        p = nl ? nl + 1 : end;
    }
    free(text);
    return 0;
fail:
    free(text);
    fasta_free(f);
    return -1;
}

/* The expected virtual file and .fai for a line width. */
static void render(const fasta *f, uint32_t w, kstring_t *text, kstring_t *fai)
{
    text->l = fai->l = 0;
    kputs("", text);
    kputs("", fai);
    for (size_t i = 0; i < f->n; i++) {
        ksprintf(text, ">%s\n", f->name[i]);
        size_t first = strcspn(f->name[i], " \t");
        kputsn(f->name[i], first, fai);
        /* samtools faidx: a one-line contig shorter than w has its own width */
        size_t lw = f->seq[i].l > 0 && f->seq[i].l < w ? f->seq[i].l : w;
        ksprintf(fai, "\t%zu\t%zu\t%zu\t%zu\n", f->seq[i].l, text->l, lw, lw + 1);
        for (size_t j = 0; j < f->seq[i].l; j += w) {
            size_t k = f->seq[i].l - j < w ? f->seq[i].l - j : w;
            kputsn(f->seq[i].s + j, k, text);
            kputc('\n', text);
        }
    }
}

/* The sample's contigs decoded with ragc_contig_fetch (an independent path). */
static int fasta_from_archive(ragc_archive *arc, int64_t s, fasta *f)
{
    memset(f, 0, sizeof *f);
    ragc_decoder *dec = ragc_decoder_init(arc, 0);
    int64_t n = ragc_n_contigs(arc, s);
    if (!dec || n < 0)
        goto fail;
    for (int64_t c = 0; c < n; c++) {
        const char *name = ragc_contig_name(arc, s, c);
        char *seq;
        int64_t len;
        if (fasta_add(f, name, strlen(name)) < 0 ||
            ragc_contig_fetch(dec, s, c, 0, INT64_MAX, &seq, &len) != RAGC_OK)
            goto fail;
        kputsn(seq, (size_t)len, &f->seq[f->n - 1]);
        free(seq);
    }
    ragc_decoder_destroy(dec);
    return 0;
fail:
    ragc_decoder_destroy(dec);
    fasta_free(f);
    return -1;
}

static uint64_t rng_state = 88172645463325252ULL;
static uint64_t rnd(uint64_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return n ? rng_state % n : 0;
}

/* Reads the whole file in chunks of `chunk` bytes. */
static int read_all(ragc_vfasta *vf, size_t chunk, kstring_t *out)
{
    out->l = 0;
    uint64_t size = ragc_vfasta_size(vf);
    if (ks_resize(out, size + 1) < 0)
        return -1;
    uint64_t off = 0;
    for (;;) {
        int64_t r = ragc_vfasta_read(vf, off, out->s + off, chunk);
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        off += (uint64_t)r;
        if (off > size)
            return -1;
    }
    out->l = off;
    out->s[off] = '\0';
    return 0;
}

/* n random reads of up to maxlen bytes; returns the number of mismatches. */
static int random_reads(ragc_vfasta *vf, const kstring_t *want, int n, size_t maxlen)
{
    int bad = 0;
    char *buf = malloc(maxlen + 1);
    if (!buf)
        return n;
    for (int i = 0; i < n; i++) {
        uint64_t off = rnd(want->l + 1);
        size_t len = 1 + rnd(maxlen);
        size_t exp = off + len <= want->l ? len : want->l - off;
        int64_t r = ragc_vfasta_read(vf, off, buf, len);
        if (r != (ssize_t)exp || memcmp(buf, want->s + off, exp) != 0) {
            if (!bad)
                tap_diag("read at %" PRIu64 " of %zu: got %zd bytes, expected %zu", off, len, r, exp);
            bad++;
        }
    }
    free(buf);
    return bad;
}

static void check_sample(ragc_archive *arc, const char *sample, const fasta *f, uint32_t w,
                         int n_random, size_t maxlen)
{
    kstring_t want = { 0, 0, NULL }, fai = { 0, 0, NULL }, got = { 0, 0, NULL }, gfai = { 0, 0, NULL };
    render(f, w, &want, &fai);
    int st = 0;
    ragc_vfasta *vf = ragc_vfasta_open(arc, ragc_sample_index(arc, sample), w, &st);
    if (!tap_ok(vf != NULL, "%s w=%u: open", sample, w)) {
        tap_diag("status %d", st);
        for (int i = 0; i < 4; i++)
            tap_ok(0, "skipped");
        goto out;
    }
    tap_is_int(ragc_vfasta_size(vf), want.l, "%s w=%u: size", sample, w);
    int ok = ragc_vfasta_fai(vf, &gfai.s, &gfai.l) == 0;
    tap_is_str(ok ? gfai.s : NULL, fai.s, "%s w=%u: .fai", sample, w);
    ok = read_all(vf, 65536, &got) == 0 && got.l == want.l && memcmp(got.s, want.s, want.l) == 0;
    tap_ok(ok, "%s w=%u: sequential 64 KiB reads give the whole file", sample, w);
    int bad = random_reads(vf, &want, n_random, maxlen);
    tap_ok(bad == 0, "%s w=%u: %d random reads (%d wrong)", sample, w, n_random, bad);
    ragc_vfasta_close(vf);
out:
    free(want.s);
    free(fai.s);
    free(got.s);
    free(gfai.s);
}

int main(void)
{
    tap_need_shared();
    char path[4096], fa[4096], toy_dir[4096];
    tap_plan(4 * 5 * 3 + 12 + 7 + 5);
    tap_shared_path(path, sizeof path, "compat/archives/toy.agc");
    ragc_archive *arc = ragc_open(path, NULL);
    if (!arc) {
        printf("Bail out! cannot open %s\n", path);
        return 1;
    }
    const char *data = getenv("RAGC_TOY_DATA");
    if (!data || !*data)
        data = tap_shared_path(toy_dir, sizeof toy_dir, "data/toy");
    static const char *samples[] = { "a", "b", "c", "ref" };
    static const uint32_t widths[] = { 60, 1, 5 };
    for (int i = 0; i < 4; i++) {
        fasta f;
        snprintf(fa, sizeof fa, "%s/%s.fa", data, samples[i]);
        if (fasta_read(fa, &f) < 0) {
            printf("Bail out! cannot read %s\n", fa);
            return 1;
        }
        for (int j = 0; j < 3; j++)
            check_sample(arc, samples[i], &f, widths[j], 500, 120);
        fasta_free(&f);
    }

    /* exact bytes around a contig boundary, reads past the end */
    {
        ragc_vfasta *vf = ragc_vfasta_open(arc, ragc_sample_index(arc, "ref"), 5, NULL);
        char buf[64];
        /* ref: chr1 = AGCTAGCTAGCTAGCT (16 bases) then >chr2 */
        int64_t r = ragc_vfasta_read(vf, 0, buf, 40);
        tap_is_int(r, 40, "boundary read length");
        tap_ok(memcmp(buf, ">chr1\nAGCTA\nGCTAG\nCTAGC\nT\n>chr2\nTAAAA\nAA", 40) == 0,
               "boundary read text");
        r = ragc_vfasta_read(vf, 22, buf, 12);
        tap_ok(r == 12 && memcmp(buf, "C\nT\n>chr2\nTA", 12) == 0, "read from inside a line into the next contig");
        uint64_t size = ragc_vfasta_size(vf);
        tap_is_int(ragc_vfasta_read(vf, size, buf, 10), 0, "read at the end gives 0");
        tap_is_int(ragc_vfasta_read(vf, size + 100, buf, 10), 0, "read beyond the end gives 0");
        r = ragc_vfasta_read(vf, size - 3, buf, 10);
        tap_ok(r == 3 && memcmp(buf, "TG\n", 3) == 0, "read over the end is short");
        tap_is_int(ragc_vfasta_read(vf, 7, buf, 0), 0, "empty read");
        tap_is_int(ragc_vfasta_n_contigs(vf), 4, "n_contigs");
        tap_is_int(ragc_vfasta_contig_length(vf, 1), 15, "contig length");
        tap_is_int(ragc_vfasta_contig_offset(vf, 1), 32, "contig offset");
        tap_is_str(ragc_vfasta_contig_name(vf, 3), "seq", "contig name");
        tap_ok(ragc_vfasta_open(arc, 99, 60, NULL) == NULL, "unknown sample index fails");
        ragc_vfasta_close(vf);
    }
    ragc_close(arc);

    /* a real-size sample: sequential and random 1 kb reads (several segments) */
    int have_senterica = tap_need_data(7, "senterica.agc: a real-size sample",
                                       "compat/archives/senterica.agc", NULL);
    tap_shared_path(path, sizeof path, "compat/archives/senterica.agc");
    arc = have_senterica ? ragc_open(path, NULL) : NULL;
    if (arc) {
        fasta f;
        const char *ref = ragc_reference(arc);
        if (fasta_from_archive(arc, ragc_sample_index(arc, ref), &f) == 0) {
            check_sample(arc, ref, &f, 60, 300, 1000);
            /* the same in 64 KiB random reads */
            kstring_t want = { 0, 0, NULL }, fai = { 0, 0, NULL };
            render(&f, 60, &want, &fai);
            ragc_vfasta *vf = ragc_vfasta_open(arc, ragc_sample_index(arc, ref), 60, NULL);
            tap_ok(vf && random_reads(vf, &want, 50, 65536) == 0, "senterica: 50 random reads up to 64 KiB");
            ragc_vfasta_close(vf);
            free(want.s);
            free(fai.s);
            fasta_free(&f);
        } else {
            for (int i = 0; i < 6; i++)
                tap_ok(0, "decode %s", ref);
        }
        /* a second sample through its own handle */
        int64_t s2 = ragc_n_samples(arc) > 1 ? 1 : 0;
        if (fasta_from_archive(arc, s2, &f) == 0) {
            kstring_t want = { 0, 0, NULL }, fai = { 0, 0, NULL };
            render(&f, 60, &want, &fai);
            ragc_vfasta *vf = ragc_vfasta_open(arc, s2, 0, NULL);
            tap_ok(vf && random_reads(vf, &want, 200, 1000) == 0, "senterica sample %" PRId64 ": random reads", s2);
            ragc_vfasta_close(vf);
            free(want.s);
            free(fai.s);
            fasta_free(&f);
        } else {
            tap_ok(0, "decode sample %" PRId64, s2);
        }
        ragc_close(arc);
    } else if (have_senterica) {
        for (int i = 0; i < 7; i++)
            tap_ok(0, "cannot open %s", path);
    }

    /* empty contigs: header only, .fai length 0 */
    {
        char dir[] = "/tmp/ragc_vfasta_XXXXXX";
        int ok = mkdtemp(dir) != NULL;
        char in[4200], out[4200];
        snprintf(in, sizeof in, "%s/emp.fa", dir);
        snprintf(out, sizeof out, "%s/emp.agc", dir);
        FILE *fp = ok ? fopen(in, "w") : NULL;
        if (fp) {
            fputs(">e1 first\n>x\nACGTACGTTT\n>e2\n", fp);
            fclose(fp);
        }
        ragc_create_opts o;
        ragc_create_opts_init(&o);
        char *paths[] = { in };
        ragc_archive *ea = fp && ragc_create(out, paths, 1, &o) == RAGC_OK ? ragc_open(out, NULL) : NULL;
        ragc_vfasta *vf = ea ? ragc_vfasta_open(ea, 0, 4, NULL) : NULL;
        kstring_t got = { 0, 0, NULL }, fai = { 0, 0, NULL };
        const char *want = ">e1 first\n>x\nACGT\nACGT\nTT\n>e2\n";
        if (tap_ok(vf != NULL, "empty contigs: archive and handle")) {
            ok = read_all(vf, 7, &got) == 0;
            tap_is_str(ok ? got.s : NULL, want, "empty contigs: layout");
            ok = ragc_vfasta_fai(vf, &fai.s, &fai.l) == 0;
            tap_is_str(ok ? fai.s : NULL, "e1\t0\t10\t4\t5\nx\t10\t13\t4\t5\ne2\t0\t30\t4\t5\n",
                       "empty contigs: .fai");
            tap_is_int(ragc_vfasta_read(vf, 26, got.s, 100), 4, "empty contigs: read to the end");
        } else {
            for (int i = 0; i < 3; i++)
                tap_ok(0, "skipped");
        }
        ragc_vfasta_close(vf);
        ragc_close(ea);
        free(got.s);
        free(fai.s);
        unlink(in);
        unlink(out);
        rmdir(dir);
        (void)ok;
        tap_ok(1, "empty contigs: cleaned up");
    }
    return tap_done();
}
