/* test_fasta_in.c -- FASTA input (fasta_in.h).

   Every file of data/fasta-edge/ in the shared folder, with the outcome
   worked out by reading the file (record names, lengths, first bases, or
   the exact place of the first character we refuse); then hand-written
   cases in temporary files: CRLF, missing final newline, gzip and BGZF
   input, headers with tabs and runs of spaces, lower case, empty records,
   bad characters, non-FASTA input, lines longer than the read buffer.
   Standard input ("-") is not tested here (a unit test cannot easily feed
   its own stdin); it goes through the same bgzf_open path as files.

   Error messages go to stderr through hts_log; the tests capture them by
   pointing file descriptor 2 at a temporary file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <htslib/kstring.h>

#include "fasta_in.h"
#include "lzdiff.h"
#include "ragc.h"
#include "tap.h"

static const char LETTERS[] = "ACGTNRYSWKMBDHVU";
static char tmpdir[] = "/tmp/ragc-test-fasta-XXXXXX";

/* ---- capturing hts_log output -------------------------------------------- */

static int saved_fd = -1;
static char logpath[512];

static void capture_start(void)
{
    fflush(stderr);
    snprintf(logpath, sizeof logpath, "%s/log.txt", tmpdir);
    FILE *f = fopen(logpath, "w");
    if (!f)
        return;
    saved_fd = dup(2);
    dup2(fileno(f), 2);
    fclose(f);
}

/* Returns the captured text (malloc'ed). */
static char *capture_end(void)
{
    fflush(stderr);
    if (saved_fd >= 0) {
        dup2(saved_fd, 2);
        close(saved_fd);
        saved_fd = -1;
    }
    char *s = tap_slurp(logpath, NULL);
    return s ? s : strdup("");
}

/* ---- reading a whole file ------------------------------------------------- */

typedef struct {
    int n;
    char **hdr;
    char **seq;     /* codes as letters */
    size_t *len;
    int status;     /* last return value of rg_fasta_in_next (0 or < 0) */
    int opened;
    char *log;
} result_t;

static void result_free(result_t *r)
{
    for (int i = 0; i < r->n; i++) {
        free(r->hdr[i]);
        free(r->seq[i]);
    }
    free(r->hdr);
    free(r->seq);
    free(r->len);
    free(r->log);
    memset(r, 0, sizeof *r);
}

static void read_all(const char *path, result_t *r)
{
    memset(r, 0, sizeof *r);
    capture_start();
    rg_fasta_in *f = rg_fasta_in_open(path);
    if (f) {
        r->opened = 1;
        kstring_t h = {0, 0, NULL};
        rg_bytes c = {NULL, 0, 0};
        int ret;
        while ((ret = rg_fasta_in_next(f, &h, &c)) > 0) {
            r->hdr = realloc(r->hdr, (size_t)(r->n + 1) * sizeof *r->hdr);
            r->seq = realloc(r->seq, (size_t)(r->n + 1) * sizeof *r->seq);
            r->len = realloc(r->len, (size_t)(r->n + 1) * sizeof *r->len);
            r->hdr[r->n] = malloc(h.l + 1);
            memcpy(r->hdr[r->n], h.s ? h.s : "", h.l);
            r->hdr[r->n][h.l] = '\0';
            char *s = malloc(c.len + 1);
            int bad = 0;
            for (size_t i = 0; i < c.len; i++) {
                if (c.s[i] > 15)
                    bad = 1;
                s[i] = bad ? '?' : LETTERS[c.s[i]];
            }
            s[c.len] = '\0';
            r->seq[r->n] = s;
            r->len[r->n] = c.len;
            r->n++;
        }
        r->status = ret;
        /* errors are sticky, the end stays the end */
        int again = rg_fasta_in_next(f, &h, &c);
        if (again != ret)
            r->status = 1000 + again;
        free(h.s);
        rg_bytes_free(&c);
        rg_fasta_in_close(f);
    }
    r->log = capture_end();
}

/* ---- expectations --------------------------------------------------------- */

typedef struct {
    const char *hdr;     /* NULL: not checked */
    size_t len;
    const char *prefix;  /* first bases (NULL: not checked) */
} rec_t;

typedef struct {
    const char *file;
    int n;               /* records returned before the end or the error */
    rec_t rec[24];
    int status;          /* 0 or RAGC_ERR_FORMAT */
    const char *msg[8];  /* substrings of the log (errors only) */
} case_t;

static void check_result(const char *what, const result_t *r, const case_t *c)
{
    int ok = r->opened && r->n == c->n && r->status == c->status;
    for (int i = 0; ok && i < c->n; i++) {
        const rec_t *e = &c->rec[i];
        if (e->hdr && strcmp(e->hdr, r->hdr[i]) != 0)
            ok = 0;
        if (r->len[i] != e->len)
            ok = 0;
        if (e->prefix && strncmp(r->seq[i], e->prefix, strlen(e->prefix)) != 0)
            ok = 0;
        if (!e->prefix && strchr(r->seq[i], '?'))
            ok = 0;
    }
    for (int m = 0; ok && m < 8 && c->msg[m]; m++)
        if (!strstr(r->log, c->msg[m]))
            ok = 0;
    if (ok && c->status == 0 && r->log[0])
        ok = 0;   /* no message for good input */
    if (!tap_ok(ok, "%s", what)) {
        tap_diag("opened %d, %d records (expected %d), status %d (expected %d)", r->opened, r->n,
                 c->n, r->status, c->status);
        for (int i = 0; i < r->n && i < c->n; i++)
            if ((c->rec[i].hdr && strcmp(c->rec[i].hdr, r->hdr[i])) || r->len[i] != c->rec[i].len ||
                (c->rec[i].prefix &&
                 strncmp(r->seq[i], c->rec[i].prefix, strlen(c->rec[i].prefix))))
                tap_diag("record %d: \"%s\" %zu %.40s", i + 1, r->hdr[i], r->len[i], r->seq[i]);
        tap_diag("log: %s", r->log);
    }
}

#define GENES_HDR1 "gi|563317589|dbj|AB821309.1| Homo sapiens FGFR2-AHCYL1 mRNA for FGFR2-AHCYL1 fusion kinase protein, complete cds"
#define GENES_RECS(h1)                                                                          \
    {{h1, 3510, "ATGGTCAGCTGGGGTCGTTTCATCTG"}, {NULL, 481, NULL}, {NULL, 642, NULL},           \
     {NULL, 4573, NULL}, {NULL, 5317, NULL}, {NULL, 5374, NULL}, {NULL, 4170, NULL},             \
     {NULL, 5466, NULL}, {NULL, 5523, NULL}, {NULL, 3984, NULL}, {NULL, 4113, NULL},             \
     {NULL, 2752, NULL}, {NULL, 3004, NULL}, {NULL, 3109, NULL}, {NULL, 3097, NULL},             \
     {NULL, 2794, NULL}, {NULL, 2848, NULL}, {NULL, 1009, NULL}, {NULL, 4884, NULL},             \
     {NULL, 2819, NULL}}

static const case_t edge_cases[] = {
    {"bcftools.EDUMMY0002.fa", 2,
     {{"1", 1479, "ATGAGCTTACGTGAAAAAACCATCAGCGG"},
      /* then a line of 21 spaces, skipped */
      {"2", 60, "ATGAGCTTACGTGAAAAAACCATGAGCGGCGCGAAGTGGTCGGCTATTGCCACGGTGATC"}},
     0, {NULL}},
    {"bcftools.ENSCAFT00000047742.fa", 1,
     {{"chr9\tchr9:19518647-19527624", 8978, "GCGGGACGGGGCGGTCCCCGCTCGGAGCCCCC"}}, 0, {NULL}},
    /* record 2 ("1") is dots from its first sequence line (line 9) */
    {"bcftools.aa.fa", 1,
     {{"20", 301, "AGGATGGGGCTCATTAATAGAGCTCCACTTGTCTCCAGAATCACTGGTGAGGAAGGGGAGTGTTGCCCCCACATTCGTG"}},
     RAGC_ERR_FORMAT,
     {"bcftools.aa.fa: record 2 (\"1\"), line 9, column 1: character '.' at sequence position 1 "
      "cannot be stored in an AGC archive"}},
    /* no final newline */
    {"bcftools.consensus.beyond.fa", 2, {{"1:1-1", 1, "A"}, {"2:2-2", 1, "G"}}, 0, {NULL}},
    {"bcftools.consensus.overlaps.2.fa", 2, {{"1", 8, "CGGGACAC"}, {"2", 8, "CGGGACAC"}}, 0,
     {NULL}},
    {"bcftools.iupac.fa", 1, {{"11 16038473-16038622", 150, "TATCTATCARYSWKMBDHVTTCAAG"}}, 0,
     {NULL}},
    {"bcftools.norm.breakend.1.fa", 2,
     {{"chrA", 500, "NNNNNNNNNNNNNNNNNNNN"}, {"chrB", 500, "NNNNNNNNNNNNNNNNNNNN"}}, 0, {NULL}},
    /* line 3 is "12345678" */
    {"bcftools.norm.iupac.fa", 0, {{NULL, 0, NULL}}, RAGC_ERR_FORMAT,
     {"bcftools.norm.iupac.fa: record 1 (\"1\\x091:115254041-115254060\"), line 3, column 1: "
      "character '1' at sequence position 21 cannot be stored"}},
    {"htslib.ce.fa", 7,
     {{"CHROMOSOME_I", 1009800, "GCCTAAGCCTAAGCCTAAGCCTAAGCCTAAGCCTAAGCCTAAGCCTAAGCCTAAGCCT"},
      {"CHROMOSOME_II", 5000, "CCTAAGCCTAAGCCTAAGCC"},
      {"CHROMOSOME_III", 5000, NULL},
      {"CHROMOSOME_IV", 5000, NULL},
      {"CHROMOSOME_V", 5000, NULL},
      {"CHROMOSOME_X", 5000, NULL},
      {"CHROMOSOME_MtDNA", 5000, "CAGTAAATAGTTTAATAAAAATATAGC"}},
     0, {NULL}},
    /* the first line is ">" alone */
    {"htslib.faidx.faidx.fa", 0, {{NULL, 0, NULL}}, RAGC_ERR_FORMAT,
     {"htslib.faidx.faidx.fa: record 1 (line 1): empty name"}},
    {"htslib.faidx.fastqs.2.expected.fa", 4,
     {{"FAKE0006_1:4-12 length: 9", 9, "TGCATGCAT"},
      {"FSRRS4401BE7HA_1:81-120 length: 40", 40, "GCCCGTTTGTCGATATTTGTATTTAAAGTAATCCGTCACA"},
      {"FAKE0010_2 length: 30", 30, "GATCRYWSMKHBVDNGATCRYWSMKHBVDN"},
      {"SRR014849.50939_3:71-90 length: 20", 20, NULL}},
     0, {NULL}},
    {"htslib.fastq.minimal.fa", 1, {{"x", 1, "A"}}, 0, {NULL}},
    {"htslib.fastq.multiline.fa", 2,
     {{"seq1", 39, "NAAAAAAAAACCCCCCCCCCGGGGGGGGGGTTTTTTTTN"},
      {"seq2", 39, "RAAAAAAAAACCCCCCCCCCGGGGGGGGGGTTTTTTTTY"}},
     0, {NULL}},
    {"htslib.md.fa", 1, {{"a", 40, "AAAAAAAAAACCCCCCCCYNNRGGGGGGGGTTTTTTTTTT"}}, 0, {NULL}},
    {"htslib.realn03.fa", 1, {{"MX", 11, "CGTCTACTACG"}}, 0, {NULL}},
    {"htslib.xx.fa", 3,
     {{"xx", 20, "AAAAAAAAAATTTTTTTTTT"},
      {"yy", 20, "AAAAAAAAAATTTTTTTTTT"},
      {"zz", 30, "AAAAAAAAAATTTTTTTTTTCCCCCCCCCC"}},
     0, {NULL}},
    {"minimap2.MT-human.fa", 1, {{"MT_human", 16569, "GATCACAGGTCTATCACCCTATTAACCAC"}}, 0, {NULL}},
    {"minimap2.MT-orang.fa", 1, {{"MT_orang co:Z:comment", 16499, "GTTTATGTAGCTTATTCTATCC"}}, 0,
     {NULL}},
    {"pyfaidx.chr17.hg19.part.fa", 1, {{"chr17", 40000, "AAGCTTCTCACCCTGTTCCTGCAT"}}, 0, {NULL}},
    {"pyfaidx.genes.lower.fasta", 20, GENES_RECS(GENES_HDR1), 0, {NULL}},
    {"pyfaidx.issue_141.crlf.fasta", 20, GENES_RECS(GENES_HDR1), 0, {NULL}},
    {"pyfaidx.issue_83.fasta", 2,
     {{"MT", 119, "CTCCGGGCCCATAACACTTGGGGGTAGCTA"},
      {"GL000207.1 dna:supercontig supercontig::GL000207.1:1:4262:1", 60, NULL}},
     0, {NULL}},
    {"samtools.depad.001.fa", 0, {{NULL, 0, NULL}}, RAGC_ERR_FORMAT,
     {"samtools.depad.001.fa: record 1 (\"ref1\"), line 2, column 16: character '*' at sequence "
      "position 16 cannot be stored in an AGC archive"}},
    /* chr9_whitespace: ' ', '\t', '\v', '\f' are skipped, then 0x02 on line 60 */
    {"samtools.dict.fa", 10,
     {{"chr1", 101, "TTCATGCTGAAGCCCTCTTA"},
      {"chr2", 101, NULL},
      {"chr3", 101, NULL},
      {"chr4", 101, NULL},
      {"chr5", 101, "N"},
      {"chr6", 101, "N"},
      {"chr7", 404, NULL},
      {"chr8", 202, "CACATCGTGAATCTTACAATCTGCGG"},
      {"chr8:lower", 202, "CACATCGTGAATCTTACAATCTGCGG"},
      {"chr9", 320, "CCCATAATTTACTAAGTAATAAACTAC"}},
     RAGC_ERR_FORMAT,
     {"samtools.dict.fa: record 11 (\"chr9_whitespace\"), line 60, column 10: character 0x02 at "
      "sequence position 210 cannot be stored in an AGC archive"}},
    {"samtools.stat.test.fa", 1, {{"alpha", 100, "TGGGGTGTCATAGTAATCCGGTTGG"}}, 0, {NULL}},
    {"seqkit.a.fa", 0, {{NULL, 0, NULL}}, RAGC_ERR_FORMAT,
     {"seqkit.a.fa: record 1 (\"A 1\"), line 2, column 2: character '1' at sequence position 2 "
      "cannot be stored"}},
};

#define N_EDGE ((int)(sizeof edge_cases / sizeof edge_cases[0]))

/* ---- hand-written cases -------------------------------------------------- */

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n) {
        printf("Bail out! cannot write %s\n", path);
        exit(1);
    }
    fclose(f);
}

static char *tmp_path(const char *name)
{
    static char buf[8][600];
    static int i;
    char *p = buf[i++ & 7];
    snprintf(p, 600, "%s/%s", tmpdir, name);
    return p;
}

typedef struct {
    const char *name;
    const char *data;
    size_t size;         /* 0: strlen(data) */
    case_t expect;
} text_case_t;

static const text_case_t text_cases[] = {
    {"CRLF line ends", ">r1 desc\r\nACGT\r\nac\r\n\r\n>r2\r\nNN\r\n", 0,
     {"", 2, {{"r1 desc", 6, "ACGTAC"}, {"r2", 2, "NN"}}, 0, {NULL}}},
    {"no final newline", ">a\nAC\nG", 0, {"", 1, {{"a", 3, "ACG"}}, 0, {NULL}}},
    {"header at the end of the file", ">a\nACG\n>b", 0,
     {"", 2, {{"a", 3, "ACG"}, {"b", 0, ""}}, 0, {NULL}}},
    {"tabs and runs of spaces in a header kept", ">x\t y  z \t\nAC\n>  foo\nG\n", 0,
     {"", 2, {{"x\t y  z \t", 2, "AC"}, {"  foo", 1, "G"}}, 0, {NULL}}},
    {"lower case converted", ">l\nacgtnrysw kmbdhvu\nAcGt\n", 0,
     {"", 1, {{"l", 20, "ACGTNRYSWKMBDHVUACGT"}}, 0, {NULL}}},
    {"a record without sequence is kept and reading goes on", ">a\n>b\nAC\n>c\n\n>d\nT\n", 0,
     {"", 4, {{"a", 0, ""}, {"b", 2, "AC"}, {"c", 0, ""}, {"d", 1, "T"}}, 0, {NULL}}},
    {"empty lines before the first record and between lines", "\n\r\n  \n>a\nA\n\nC\n  \n", 0,
     {"", 1, {{"a", 2, "AC"}}, 0, {NULL}}},
    {"empty file", "", 0, {"", 0, {{NULL, 0, NULL}}, 0, {NULL}}},
    {"only empty lines", "\n\n \t\n", 0, {"", 0, {{NULL, 0, NULL}}, 0, {NULL}}},
    {"FASTQ is not FASTA", "@r1\nACGT\n+\nIIII\n", 0,
     {"", 0, {{NULL, 0, NULL}}, RAGC_ERR_FORMAT,
      {"not a FASTA file: found '@' where a '>' header line was expected (line 1); FASTQ"}}},
    {"sequence before any header", "\nACGT\n>a\nAC\n", 0,
     {"", 0, {{NULL, 0, NULL}}, RAGC_ERR_FORMAT, {"not a FASTA file: found 'A'", "(line 2)"}}},
    {"binary data", "\x00\x01\x02\xff>a\n", 7,
     {"", 0, {{NULL, 0, NULL}}, RAGC_ERR_FORMAT, {"not a FASTA file: found 0x00"}}},
    {"'>' not at the start of a line", ">a\nAC>GT\n", 0,
     {"", 0, {{NULL, 0, NULL}}, RAGC_ERR_FORMAT,
      {"record 1 (\"a\"), line 2, column 3: character '>' at sequence position 3"}}},
    {"empty header", ">ok\nA\n>\nACGT\n", 0,
     {"", 1, {{"ok", 1, "A"}}, RAGC_ERR_FORMAT, {"record 2 (line 3): empty name"}}},
    {"blank header", ">  \t\r\nAC\n", 0,
     {"", 0, {{NULL, 0, NULL}}, RAGC_ERR_FORMAT, {"record 1 (line 1): empty name"}}},
    {"CR-only line ends", ">a\rACGT\r>b\rGG\r", 0,
     {"", 0, {{NULL, 0, NULL}}, RAGC_ERR_FORMAT,
      {"record 1 (line 1): carriage return inside the header line"}}},
    {"byte >= 128", ">a\nAC\xc3\xa9\n", 0,
     {"", 0, {{NULL, 0, NULL}}, RAGC_ERR_FORMAT, {"column 3: character 0xC3 at sequence position 3"}}},
    {"'X', '-' and '*' refused", ">a\nACGTX\n", 0,
     {"", 0, {{NULL, 0, NULL}}, RAGC_ERR_FORMAT, {"character 'X' at sequence position 5"}}},
    {"gap '-'", ">a b\nAC\nG-T\n", 0,
     {"", 0, {{NULL, 0, NULL}}, RAGC_ERR_FORMAT,
      {"record 1 (\"a b\"), line 3, column 2: character '-' at sequence position 4"}}},
    {"NUL byte in a sequence", ">a\nAC\0T\n", 8,
     {"", 0, {{NULL, 0, NULL}}, RAGC_ERR_FORMAT, {"character 0x00 at sequence position 3"}}},
};

#define N_TEXT ((int)(sizeof text_cases / sizeof text_cases[0]))

static int run_cmd(const char *cmd)
{
    int r = system(cmd);
    return r == 0;
}

int main(void)
{
    char edge_dir[4096];
    struct stat sb;
    tap_shared_path(edge_dir, sizeof edge_dir, "data/fasta-edge");
    if (stat(edge_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        printf("Bail out! %s missing (run from the repository root)\n", edge_dir);
        return 1;
    }
    if (!mkdtemp(tmpdir)) {
        printf("Bail out! cannot create a temporary directory\n");
        return 1;
    }

    tap_plan(N_EDGE + 2 + N_TEXT + 14);

    /* 1. the shared edge cases */
    for (int i = 0; i < N_EDGE; i++) {
        char path[8192];
        result_t r;
        snprintf(path, sizeof path, "%s/%s", edge_dir, edge_cases[i].file);
        read_all(path, &r);
        check_result(edge_cases[i].file, &r, &edge_cases[i]);
        result_free(&r);
    }
    {
        /* chr8:lower is chr8 in lower case; the CRLF genes file is the lower case one */
        char path[8192];
        result_t r, a, b;
        snprintf(path, sizeof path, "%s/samtools.dict.fa", edge_dir);
        read_all(path, &r);
        tap_ok(r.n >= 9 && strcmp(r.seq[7], r.seq[8]) == 0, "samtools.dict.fa: chr8:lower == chr8");
        result_free(&r);
        snprintf(path, sizeof path, "%s/pyfaidx.genes.lower.fasta", edge_dir);
        read_all(path, &a);
        snprintf(path, sizeof path, "%s/pyfaidx.issue_141.crlf.fasta", edge_dir);
        read_all(path, &b);
        int same = a.n == 20 && b.n == 20;
        for (int i = 0; same && i < 20; i++)
            same = strcmp(a.hdr[i], b.hdr[i]) == 0 && strcmp(a.seq[i], b.seq[i]) == 0;
        tap_ok(same, "pyfaidx: CRLF upper-case file == LF lower-case file");
        result_free(&a);
        result_free(&b);
    }

    /* 2. hand-written texts */
    for (int i = 0; i < N_TEXT; i++) {
        const text_case_t *t = &text_cases[i];
        char *p = tmp_path("t.fa");
        write_file(p, t->data, t->size ? t->size : strlen(t->data));
        result_t r;
        read_all(p, &r);
        check_result(t->name, &r, &t->expect);
        result_free(&r);
    }

    /* 3. compressed input */
    {
        const char *text = ">g1 gz\nACGTN\nacgt\n>g2\r\nRYKM\r\n";
        case_t want = {"", 2, {{"g1 gz", 9, "ACGTNACGT"}, {"g2", 4, "RYKM"}}, 0, {NULL}};
        char cmd[2048];
        write_file(tmp_path("c.fa"), text, strlen(text));
        snprintf(cmd, sizeof cmd, "gzip -c '%s' > '%s'", tmp_path("c.fa"), tmp_path("c.fa.gz"));
        result_t r;
        if (run_cmd(cmd)) {
            read_all(tmp_path("c.fa.gz"), &r);
            check_result("gzip input", &r, &want);
            result_free(&r);
        } else {
            tap_ok(0, "gzip input (gzip failed)");
        }
        snprintf(cmd, sizeof cmd, "bgzip -c '%s' > '%s'", tmp_path("c.fa"), tmp_path("c.bgz"));
        if (run_cmd(cmd)) {
            read_all(tmp_path("c.bgz"), &r);
            check_result("BGZF input (bgzip)", &r, &want);
            result_free(&r);
        } else {
            tap_ok(0, "BGZF input (bgzip failed)");
        }
        /* a gzip file without the .gz name is still decompressed */
        snprintf(cmd, sizeof cmd, "gzip -c '%s' > '%s'", tmp_path("c.fa"), tmp_path("c.txt"));
        if (run_cmd(cmd)) {
            read_all(tmp_path("c.txt"), &r);
            check_result("gzip input named .txt", &r, &want);
            result_free(&r);
        } else {
            tap_ok(0, "gzip input named .txt (gzip failed)");
        }
        /* two gzip members (split inside a record) read as their concatenation;
           a small file is inflated whole (libdeflate), member by member */
        snprintf(cmd, sizeof cmd, "head -c 12 '%s' | gzip -c > '%s' && tail -c +13 '%s' | gzip -c >> '%s'",
                 tmp_path("c.fa"), tmp_path("m.fa.gz"), tmp_path("c.fa"), tmp_path("m.fa.gz"));
        if (run_cmd(cmd)) {
            read_all(tmp_path("m.fa.gz"), &r);
            check_result("gzip input of two members", &r, &want);
            result_free(&r);
        } else {
            tap_ok(0, "gzip input of two members (gzip failed)");
        }
        /* bytes after the last member: not inflated whole, so bgzf's stream
           reports them, as it did before the whole-file path */
        snprintf(cmd, sizeof cmd, "{ gzip -c '%s'; head -c 64 /dev/zero; } > '%s'", tmp_path("c.fa"),
                 tmp_path("z.fa.gz"));
        if (run_cmd(cmd)) {
            read_all(tmp_path("z.fa.gz"), &r);
            if (!tap_ok(r.opened && r.status == RAGC_ERR_IO, "gzip with zero bytes after its member: RAGC_ERR_IO"))
                tap_diag("status %d, log %s", r.status, r.log);
            result_free(&r);
        } else {
            tap_ok(0, "gzip with zero bytes after its member (gzip failed)");
        }
        /* a truncated gzip stream is a read error, after the data that decoded */
        size_t big_n = 400000;
        char *big = malloc(big_n + 16);
        strcpy(big, ">t\n");
        uint32_t x = 12345;
        for (size_t i = 3; i < big_n; i++) {
            x = x * 1103515245u + 12345u;
            big[i] = (i % 61 == 60) ? '\n' : "ACGT"[(x >> 16) & 3];
        }
        write_file(tmp_path("t.fa"), big, big_n);
        snprintf(cmd, sizeof cmd, "gzip -c '%s' | head -c 20000 > '%s'", tmp_path("t.fa"),
                 tmp_path("t.fa.gz"));
        if (run_cmd(cmd)) {
            read_all(tmp_path("t.fa.gz"), &r);
            if (!tap_ok(r.opened && r.status == RAGC_ERR_IO && strstr(r.log, "read error"),
                        "truncated gzip: RAGC_ERR_IO"))
                tap_diag("status %d, log %s", r.status, r.log);
            result_free(&r);
        } else {
            tap_ok(0, "truncated gzip (gzip failed)");
        }
        free(big);
    }

    /* 4. lines and headers longer than the read buffer */
    {
        size_t n = 3u << 20;  /* 3 MiB of sequence on one line */
        size_t hl = 300000;   /* a 300 kB header */
        char *buf = malloc(n + hl + 16), *p = buf;
        *p++ = '>';
        for (size_t i = 0; i < hl; i++)
            *p++ = (char)("hdr \t"[i % 5]);
        *p++ = '\n';
        for (size_t i = 0; i < n; i++)
            *p++ = "acgtACGTN"[i % 9];
        *p++ = '\n';
        write_file(tmp_path("long.fa"), buf, (size_t)(p - buf));
        result_t r;
        read_all(tmp_path("long.fa"), &r);
        int ok = r.n == 1 && r.status == 0 && r.len[0] == n && strlen(r.hdr[0]) == hl;
        for (size_t i = 0; ok && i < hl; i++)
            ok = r.hdr[0][i] == "hdr \t"[i % 5];
        for (size_t i = 0; ok && i < n; i++)
            ok = r.seq[0][i] == "ACGTACGTN"[i % 9];
        tap_ok(ok, "3 MiB sequence line and 300 kB header");
        result_free(&r);
        free(buf);
    }

    /* 5. API details */
    {
        capture_start();
        rg_fasta_in *f = rg_fasta_in_open(tmp_path("does-not-exist.fa"));
        char *log = capture_end();
        tap_ok(f == NULL && strstr(log, "cannot open") && strstr(log, "does-not-exist.fa"),
               "missing file: NULL and a message naming it");
        free(log);
        rg_fasta_in_close(NULL);

        const char *text = ">a x\nACGT\n>b\nGG\n";
        write_file(tmp_path("ap.fa"), text, strlen(text));
        f = rg_fasta_in_open(tmp_path("ap.fa"));
        kstring_t h = {0, 0, NULL};
        rg_bytes c = {NULL, 0, 0};
        int r1 = rg_fasta_in_next_append(f, &h, &c);
        uint64_t l1 = rg_fasta_in_line(f);
        int r2 = rg_fasta_in_next_append(f, &h, &c);
        uint64_t l2 = rg_fasta_in_line(f);
        int r3 = rg_fasta_in_next_append(f, &h, &c);
        tap_ok(r1 == 1 && r2 == 1 && r3 == 0 && c.len == 6 && c.s[4] == 2 && c.s[5] == 2 &&
                   l1 == 1 && l2 == 3,
               "rg_fasta_in_next_append appends codes; rg_fasta_in_line gives header lines");
        rg_fasta_in_close(f);
        /* the lossless reader counts lines too: preamble, blank and CRLF lines */
        const char *lt = "#p\n\n>a\r\nAC\r\n\nGT\n>b\nG";
        write_file(tmp_path("lines.fa"), lt, strlen(lt));
        f = rg_fasta_in_open_mode(tmp_path("lines.fa"), 1);
        c.len = 0;
        r1 = rg_fasta_in_next_append(f, &h, &c);
        l1 = rg_fasta_in_line(f);
        r2 = rg_fasta_in_next_append(f, &h, &c);
        l2 = rg_fasta_in_line(f);
        tap_ok(r1 == 1 && r2 == 1 && l1 == 3 && l2 == 7 && c.len == 5,
               "lossless reader: rg_fasta_in_line gives header lines (%llu, %llu; want 3, 7)",
               (unsigned long long)l1, (unsigned long long)l2);
        rg_fasta_in_close(f);
        f = rg_fasta_in_open(tmp_path("ap.fa"));
        r1 = rg_fasta_in_next(f, &h, &c);
        tap_ok(r1 == 1 && c.len == 4 && h.l == 3 && strcmp(h.s, "a x") == 0,
               "rg_fasta_in_next replaces codes and header");
        rg_fasta_in_close(f);
        free(h.s);
        rg_bytes_free(&c);
        tap_ok(rg_fasta_in_next(NULL, &h, &c) == RAGC_ERR_ARG, "NULL reader: RAGC_ERR_ARG");
        tap_ok(1, "standard input (\"-\") # SKIP not testable from a unit test");
    }

    /* 6. speed (informative: plain input should read at > 300 MB/s) */
    {
        size_t n = 64u << 20;
        char *buf = malloc(n);
        size_t o = 0;
        uint32_t x = 1;
        while (o + 62 < n) {
            if (o % (1u << 22) == 0)
                o += (size_t)sprintf(buf + o, ">c%zu\n", o);
            for (int i = 0; i < 60; i++) {
                x = x * 1103515245u + 12345u;
                buf[o++] = "ACGT"[(x >> 16) & 3];
            }
            buf[o++] = '\n';
        }
        write_file(tmp_path("speed.fa"), buf, o);
        free(buf);
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        rg_fasta_in *f = rg_fasta_in_open(tmp_path("speed.fa"));
        kstring_t h = {0, 0, NULL};
        rg_bytes c = {NULL, 0, 0};
        size_t total = 0;
        int r;
        while ((r = rg_fasta_in_next(f, &h, &c)) > 0)
            total += c.len;
        clock_gettime(CLOCK_MONOTONIC, &b);
        rg_fasta_in_close(f);
        free(h.s);
        rg_bytes_free(&c);
        double t = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) * 1e-9;
        tap_ok(r == 0 && total > 60000000, "64 MB plain FASTA read");
        tap_diag("plain input: %.0f MB/s (%.3f s)", (double)o / 1e6 / t, t);
    }

    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        tap_diag("could not remove %s", tmpdir);
    return tap_done();
}
