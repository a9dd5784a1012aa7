/* test_create_layout.c -- `ragc create` makes agc's archive layout.

   For every case of compat/cases.tsv (the extended data's when present, else
   the core test data's; see tap.h) written by agc 3.2.2 with a
   `create` step and possibly `append` steps (-a, -c and -f included), the same inputs and options go through ragc_create and
   ragc_append; the result must have the fixture's streams with the
   same part counts, and every part must decode to the same bytes
   (collection parts after zstd, group parts after zstd and un-packing).
   With -t 1 ragc stores original forms and MD5s (its default): the archive
   has two more streams, ragc-original (giving every sample one) and
   ragc-md5; with -t 2 it
   stores as agc does (no_original) and has exactly agc's streams.
   zstd's compressed bytes themselves may differ (libzstd 1.5.4 vs agc's
   1.5.5).  file_type_info is agc's but for ragc's own provenance (producer,
   producer_version_*, comment), checked against ragc's values.  The thread count is varied: the layout must not depend on it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ragc.h"
#include "container.h"
#include "io.h"
#include "segment.h"
#include "tap.h"
#include "varint.h"
#include "zstd_util.h"

/* The canonical content of a part: what it holds once decompressed. */
static int canonical(const char *stream, const uint8_t *d, size_t len, uint64_t meta,
                     uint8_t **out, size_t *out_len)
{
    size_t sl = strlen(stream);
    int is_group = stream[0] == 'x' && sl >= 3;
    if (strcmp(stream, "collection-details") == 0) {
        rg_cursor c = { d, d + len };
        uint32_t raw[5], packed[5];
        for (int i = 0; i < 5; i++)
            if (rg_read_cvar(&c, &raw[i]) < 0 || rg_read_cvar(&c, &packed[i]) < 0)
                return -1;
        size_t total = 0;
        for (int i = 0; i < 5; i++)
            total += raw[i] + 8;
        uint8_t *o = malloc(total + 1);
        size_t ol = 0;
        for (int i = 0; i < 5; i++) {
            uint8_t *sub;
            if ((size_t)(c.end - c.p) < packed[i] || rg_zstd_exact(NULL, c.p, packed[i], raw[i], &sub) < 0) {
                free(o);
                return -1;
            }
            memcpy(o + ol, &raw[i], 4);   /* keep the sub-stream boundaries */
            memcpy(o + ol + 4, sub, raw[i]);
            ol += 4 + raw[i];
            free(sub);
            c.p += packed[i];
        }
        *out = o;
        *out_len = ol;
        return 0;
    }
    if (strncmp(stream, "collection-", 11) == 0) {
        *out_len = meta;
        return rg_zstd_exact(NULL, d, len, meta, out) < 0 ? -1 : 0;
    }
    if (is_group && meta != 0) {
        if (len < 1)
            return -1;
        uint8_t marker = d[len - 1];
        size_t got;
        uint8_t *raw;
        if (rg_zstd_bounded(NULL, d, len - 1, meta + 2, &raw, &got) < 0)
            return -1;
        if (stream[sl - 1] == 'r' && marker == 1) {
            uint8_t *codes = malloc(meta + 1);
            if (rg_tuples_unpack(raw, got, codes, meta) < 0) {
                free(raw);
                free(codes);
                return -1;
            }
            free(raw);
            *out = codes;
            *out_len = meta;
            return 0;
        }
        *out = raw;
        *out_len = got;
        return 0;
    }
    *out = malloc(len + 1);
    if (len)
        memcpy(*out, d, len);
    *out_len = len;
    return 0;
}

#define MAX_STEPS 4

/* One case: a create step, then optionally appends (steps joined by " ;; "). */
typedef struct {
    char id[64];
    char *args[16];              /* create's options and values */
    int n_args;
    int n_steps;
    char **inputs[MAX_STEPS];    /* each step's FASTA files */
    size_t n_inputs[MAX_STEPS];
    int concatenated;
    double fallback;
    int adaptive;
} create_case;

/* ragc's extension streams (original forms, contig MD5s): there, and every
   sample of ours (as many as agc's) has an original form. */
static int check_original_stream(const rg_container *a, const char *ours, const char *theirs)
{
    int st, missing = 0;
    ragc_archive *arc = ragc_open(ours, &st), *agc = ragc_open(theirs, &st);
    ragc_decoder *dec = arc ? ragc_decoder_init(arc, 0) : NULL;
    int64_t n = arc ? ragc_n_samples(arc) : -1;
    for (int64_t i = 0; dec && i < n; i++)
        missing += ragc_has_original(dec, i) != 1;
    int bad = rg_container_find(a, "ragc-original") < 0 || rg_container_find(a, "ragc-md5") < 0 || !dec
              || !agc || n != ragc_n_samples(agc) || missing;
    if (bad)
        tap_diag("ragc-original: stream %s, %lld samples, %d without an original form",
                 rg_container_find(a, "ragc-original") < 0 ? "missing" : "present", (long long)n, missing);
    ragc_decoder_destroy(dec);
    ragc_close(arc);
    ragc_close(agc);
    return bad;
}

/* ragc's value of a file_type_info key where it differs from agc's (its
   own provenance), NULL for the keys that must be agc's bytes. */
static const char *ragc_info_value(const char *key)
{
    static char major[16], minor[16], build[16];
    if (!major[0] && sscanf(RAGC_VERSION, "%15[0-9].%15[0-9].%15s", major, minor, build) != 3)
        return "(RAGC_VERSION is not MAJOR.MINOR.PATCH)";
    return strcmp(key, "producer") == 0 ? "ragc"
         : strcmp(key, "producer_version_major") == 0 ? major
         : strcmp(key, "producer_version_minor") == 0 ? minor
         : strcmp(key, "producer_version_build") == 0 ? build
         : strcmp(key, "comment") == 0 ? "ragc " RAGC_VERSION " (AGC archive format 3.0, the layout of agc 3.2.2)"
         : NULL;
}

/* file_type_info (key NUL value NUL ...): the same keys in the same order
   as agc's, agc's values for file_version_* (all agc reads), ragc's own
   for the producer fields and the comment.  Returns 0 when so. */
static int compare_file_type_info(const uint8_t *a, size_t la, const uint8_t *b, size_t lb)
{
    const char *pa = (const char *)a, *ea = pa + la, *pb = (const char *)b, *eb = pb + lb;
    if ((la && a[la - 1]) || (lb && b[lb - 1]))
        return -1;
    while (pa < ea && pb < eb) {
        const char *ka = pa, *kb = pb;
        pa += strlen(pa) + 1;
        pb += strlen(pb) + 1;
        if (pa >= ea || pb >= eb || strcmp(ka, kb) != 0)
            return -1;
        const char *want = ragc_info_value(ka);
        if (strcmp(pa, want ? want : pb) != 0) {
            tap_diag("file_type_info %s: ours \"%s\", expected \"%s\"", ka, pa, want ? want : pb);
            return -1;
        }
        pa += strlen(pa) + 1;
        pb += strlen(pb) + 1;
    }
    return pa == ea && pb == eb ? 0 : -1;
}

/* Compares archive a (ours) with b (agc's); prints differences; returns the
   number of differences.  with_original: ours has ragc's extension stream
   besides agc's streams (the default), else exactly agc's streams. */
static int compare_archives(const char *ours, const char *theirs, int with_original)
{
    rg_io *ia = rg_io_open_file(ours), *ib = rg_io_open_file(theirs);
    rg_container a, b;
    int diffs = 0;
    if (!ia || !ib || rg_container_open(&a, ia) < 0 || rg_container_open(&b, ib) < 0) {
        tap_diag("cannot open %s or %s", ours, theirs);
        return 1;
    }
    if (a.n_streams != b.n_streams + 2 * with_original) {   /* ragc-original, ragc-md5 */
        tap_diag("streams: ours %d, agc %d", a.n_streams, b.n_streams);
        diffs++;
    }
    if (with_original)
        diffs += check_original_stream(&a, ours, theirs);
    for (int s = 0; s < b.n_streams; s++) {
        const rg_stream *sb = &b.streams[s];
        int sa_id = rg_container_find(&a, sb->name);
        if (sa_id < 0) {
            if (diffs++ < 10)
                tap_diag("stream %s missing", sb->name);
            continue;
        }
        const rg_stream *sa = &a.streams[sa_id];
        if (sa->n_parts != sb->n_parts) {
            if (diffs++ < 10)
                tap_diag("stream %s: %llu parts, agc %llu", sb->name, (unsigned long long)sa->n_parts,
                         (unsigned long long)sb->n_parts);
            continue;
        }
        for (uint64_t p = 0; p < sb->n_parts; p++) {
            uint8_t *da, *db, *ca = NULL, *cb = NULL;
            size_t la, lb, cla = 0, clb = 0;
            uint64_t ma, mb;
            rg_container_read_part(&a, sa_id, p, &da, &la, &ma);
            rg_container_read_part(&b, s, p, &db, &lb, &mb);
            int ea = canonical(sb->name, da, la, ma, &ca, &cla);
            int eb = canonical(sb->name, db, lb, mb, &cb, &clb);
            int differ = ea < 0 || eb < 0;
            if (!differ && strcmp(sb->name, "file_type_info") == 0)
                differ = ma != mb || compare_file_type_info(ca, cla, cb, clb) < 0;
            else if (!differ)
                differ = cla != clb || memcmp(ca, cb, cla) != 0;
            if (differ) {
                if (diffs++ < 10)
                    tap_diag("stream %s part %llu differs (ours %zu bytes, agc %zu)", sb->name,
                             (unsigned long long)p, cla, clb);
            }
            free(da);
            free(db);
            free(ca);
            free(cb);
        }
    }
    rg_container_free(&a);
    rg_container_free(&b);
    rg_io_close(ia);
    rg_io_close(ib);
    return diffs;
}

/* Parses one step ("create ..." or "append ... {P} ..."); 0 if it uses an
   option this test leaves out (-a). */
static int parse_step(char *step, create_case *c)
{
    int k = c->n_steps;
    int is_append = strncmp(step, "append ", 7) == 0;
    if (!is_append && (k > 0 || strncmp(step, "create ", 7) != 0))
        return 0;
    char *w, *save = NULL;
    for (w = strtok_r(step + 7, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        if (strcmp(w, "-a") == 0) {
            c->adaptive = 1;
            continue;
        }
        if (strcmp(w, "-f") == 0) {
            char *value = strtok_r(NULL, " ", &save);
            c->fallback = value ? atof(value) : 0;
            continue;
        }
        if (strcmp(w, "-c") == 0) {
            c->concatenated = 1;
        } else if (strcmp(w, "-o") == 0) {
            strtok_r(NULL, " ", &save);   /* {A} */
        } else if (w[0] == '-') {
            char *value = strtok_r(NULL, " ", &save);
            if (!is_append && c->n_args < 14) {
                c->args[c->n_args++] = strdup(w);
                c->args[c->n_args++] = strdup(value ? value : "");
            }
        } else if (strcmp(w, "{P}") != 0 && w[0]) {
            c->inputs[k] = realloc(c->inputs[k], (c->n_inputs[k] + 1) * sizeof(char *));
            c->inputs[k][c->n_inputs[k]++] = strdup(w);
        }
    }
    c->n_steps++;
    return 1;
}

static void free_case(create_case *c)
{
    for (int k = 0; k < c->n_steps; k++) {
        for (size_t j = 0; j < c->n_inputs[k]; j++)
            free(c->inputs[k][j]);
        free(c->inputs[k]);
    }
    for (int a = 0; a < c->n_args; a++)
        free(c->args[a]);
}

static int parse_case(const char *line, create_case *c)
{
    memset(c, 0, sizeof(*c));
    char *dup = strdup(line), *save = NULL;
    char *id = strtok_r(dup, "\t", &save), *producer = strtok_r(NULL, "\t", &save),
         *steps = strtok_r(NULL, "\t", &save);
    int ok = id && producer && steps && strstr(producer, "agc 3.2.2") != NULL;
    if (ok) {
        snprintf(c->id, sizeof(c->id), "%s", id);
        char *step = steps;
        while (ok && step) {
            char *next = strstr(step, " ;; ");
            if (next) {
                *next = 0;
                next += 4;
            }
            ok = c->n_steps < MAX_STEPS && parse_step(step, c);
            step = next;
        }
    }
    if (!ok)
        free_case(c);
    free(dup);
    return ok;
}

/* Runs the steps of a case into `out`; returns 0 or the failing status. */
static int run_case(const create_case *c, const ragc_create_opts *o, const char *tmp,
                    const char *out)
{
    int r = 0;
    char prev[20480] = "";
    for (int k = 0; r == 0 && k < c->n_steps; k++) {
        char **in = calloc(c->n_inputs[k] + 1, sizeof(char *));
        for (size_t j = 0; j < c->n_inputs[k]; j++) {
            in[j] = malloc(4096);
            tap_shared_path(in[j], 4096, c->inputs[k][j]);
        }
        char step_out[20480];
        if (k + 1 == c->n_steps)
            snprintf(step_out, sizeof(step_out), "%s", out);
        else
            snprintf(step_out, sizeof(step_out), "%s/step%d.agc", tmp, k);
        r = k == 0 ? ragc_create(step_out, in, c->n_inputs[k], o)
                   : ragc_append(prev, step_out, in, c->n_inputs[k], o);
        if (k > 0)
            unlink(prev);
        snprintf(prev, sizeof(prev), "%s", step_out);
        for (size_t j = 0; j < c->n_inputs[k]; j++)
            free(in[j]);
        free(in);
    }
    return r;
}

int main(void)
{
    tap_need_shared();
    char path[4096];
    /* the extended set's case list when it is there: it holds every case */
    snprintf(path, sizeof(path), "%s/compat/cases.tsv", tap_extended_root());
    if (!tap_exists(path)) {
        snprintf(path, sizeof(path), "%s/compat/cases.tsv", tap_core_root());
        tap_diag("cases of %s only: the extended set's cases (%s/compat/cases.tsv) were "
                 "not run (set RAGC_SHARED=/path/to/shared)", path, tap_extended_root());
    }
    FILE *fp = fopen(path, "r");
    if (!fp) {
        printf("Bail out! cannot read %s\n", path);
        return 1;
    }
    create_case cases[64];
    int n = 0;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, fp) > 0 && n < 64) {
        line[strcspn(line, "\r\n")] = 0;
        if (parse_case(line, &cases[n]))
            n++;
    }
    free(line);
    fclose(fp);
    tap_plan(2 * n);
    char tmp[] = "/tmp/ragc-layout-XXXXXX";
    if (!mkdtemp(tmp)) {
        printf("Bail out! mkdtemp\n");
        return 1;
    }
    for (int i = 0; i < n; i++) {
        create_case *c = &cases[i];
        ragc_create_opts o;
        ragc_create_opts_init(&o);
        o.concatenated = c->concatenated;
        o.fallback_frac = c->fallback;
        o.adaptive = c->adaptive;
        for (int a = 0; a + 1 < c->n_args; a += 2) {
            uint32_t v = (uint32_t)atol(c->args[a + 1]);
            switch (c->args[a][1]) {
            case 'k': o.kmer_length = v; break;
            case 'l': o.min_match_len = v; break;
            case 's': o.segment_size = v; break;
            case 'b': o.pack_cardinality = v; break;
            default: break;
            }
        }
        size_t olen = strlen(tmp) + strlen(c->id) + 32;
        char rel[256], fixture[4096], *ours = malloc(olen);
        snprintf(rel, sizeof(rel), "compat/archives/%s.agc", c->id);
        tap_shared_path(fixture, sizeof(fixture), rel);
        const char *missing = tap_have_data(rel) ? NULL : rel;
        for (int k = 0; !missing && k < c->n_steps; k++)
            for (size_t j = 0; !missing && j < c->n_inputs[k]; j++)
                if (!tap_have_data(c->inputs[k][j]))
                    missing = c->inputs[k][j];
        int runnable = tap_need_data(2, c->id, missing ? missing : rel, NULL);
        for (int t = 1; runnable && t <= 2; t++) {
            /* -t 1 as ragc stores by default, -t 2 as agc stores (--no-original) */
            o.threads = t;
            o.no_original = t == 2;
            snprintf(ours, olen, "%s/%s.t%d.agc", tmp, c->id, t);
            int r = run_case(c, &o, tmp, ours);
            int d = r < 0 ? -1 : compare_archives(ours, fixture, !o.no_original);
            tap_ok(d == 0, "%s (-t %d%s): same layout as agc (%d differences%s)", c->id, t,
                   o.no_original ? ", no original forms" : "", d, r < 0 ? ", ragc failed" : "");
            unlink(ours);
        }
        free(ours);
        free_case(c);
    }
    rmdir(tmp);
    return tap_done();
}
