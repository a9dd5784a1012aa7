/* test_container.c -- the AGC container (container.h, io.h).

   Small containers are built byte by byte following agc-format.md section 3
   and read through rg_io_open_mem; the real toy fixture toy-agc30.agc (the
   toy_ex.agc that ships with agc 3.0) is checked against the directory
   printed in section 3.5, and the other toy fixtures against the stream
   catalogue of section 4. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/hts_log.h>

#include "container.h"
#include "io.h"
#include "ragc.h"
#include "tap.h"
#include "varint.h"

/* ---- a byte builder ------------------------------------------------------ */

typedef struct {
    uint8_t b[4096];
    size_t n;
} buf_t;

static void put(buf_t *b, const void *p, size_t n)
{
    memcpy(b->b + b->n, p, n);
    b->n += n;
}
static void put_byte(buf_t *b, uint8_t x)
{
    b->b[b->n++] = x;
}
static void put_avar(buf_t *b, uint64_t v)
{
    b->n += (size_t)rg_write_avar(b->b + b->n, v);
}
static void put_cstr(buf_t *b, const char *s)
{
    put(b, s, strlen(s) + 1);
}
static void put_u64le(buf_t *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        put_byte(b, (uint8_t)(v >> (8 * i)));
}

/* file = parts || dir || u64le(dir size) (or a forged size) */
static void finish(buf_t *file, const buf_t *dir, int64_t forged_size)
{
    put(file, dir->b, dir->n);
    put_u64le(file, forged_size >= 0 ? (uint64_t)forged_size : dir->n);
}

/* Opens a copy of the file in an exactly sized heap buffer. */
typedef struct {
    uint8_t *mem;
    rg_io *io;
    rg_container c;
    int status;
} opened_t;

static void open_file(opened_t *o, const buf_t *file)
{
    o->mem = malloc(file->n ? file->n : 1);
    memcpy(o->mem, file->b, file->n);
    o->io = rg_io_open_mem(o->mem, file->n);
    o->status = o->io ? rg_container_open(&o->c, o->io) : RAGC_ERR_NOMEM;
}

static void close_file(opened_t *o)
{
    if (o->status == RAGC_OK)
        rg_container_free(&o->c);
    rg_io_close(o->io);
    free(o->mem);
}

/* ---- the good container --------------------------------------------------

   offset 0:  01 05 "hello"              alpha part 0: meta 5, 5 bytes
   offset 7:  00 "xyz"                   beta part 0: meta 0, 3 bytes
   offset 11: FF                         beta part 1: empty (junk metadata)
   offset 12: 05 01 00 00 00 00 "abc"    alpha part 1: meta 2^32, 3 bytes
   offset 21: directory: alpha (0,5) (12,3); beta (7,3) (11,0); empty: no parts */
static void build_good(buf_t *file, buf_t *dir)
{
    memset(file, 0, sizeof *file);
    memset(dir, 0, sizeof *dir);
    put_avar(file, 5);
    put(file, "hello", 5);
    put_avar(file, 0);
    put(file, "xyz", 3);
    put_byte(file, 0xff);
    put_avar(file, 1ULL << 32);
    put(file, "abc", 3);

    put_avar(dir, 3);
    put_cstr(dir, "alpha");
    put_avar(dir, 2);
    put_avar(dir, 0);
    put_avar(dir, 0);
    put_avar(dir, 5);
    put_avar(dir, 12);
    put_avar(dir, 3);
    put_cstr(dir, "beta");
    put_avar(dir, 2);
    put_avar(dir, 0);
    put_avar(dir, 7);
    put_avar(dir, 3);
    put_avar(dir, 11);
    put_avar(dir, 0);
    put_cstr(dir, "empty");
    put_avar(dir, 0);
    put_avar(dir, 0);
}

static int part_is(const rg_container *c, int stream, uint64_t part, const char *data,
                   size_t len, uint64_t meta)
{
    uint8_t *d = (uint8_t *)"junk";
    size_t l = 12345;
    uint64_t m = 12345;
    int r = rg_container_read_part(c, stream, part, &d, &l, &m);
    int good = r == RAGC_OK && l == len && m == meta
               && (len == 0 ? d == NULL : d != NULL && memcmp(d, data, len) == 0);
    if (!good)
        tap_diag("status %d, len %zu, meta %llu", r, l, (unsigned long long)m);
    if (r == RAGC_OK)
        free(d);
    return good;
}

static void test_good(void)
{
    buf_t file, dir;
    build_good(&file, &dir);
    finish(&file, &dir, -1);
    opened_t o;
    open_file(&o, &file);
    if (!tap_ok(o.status == RAGC_OK, "hand-built container opens")) {
        tap_diag("status %d", o.status);
        for (int i = 0; i < 12; i++)
            tap_ok(0, "skipped: container did not open");
        close_file(&o);
        return;
    }
    rg_container *c = &o.c;
    tap_ok(c->n_streams == 3 && c->dir_offset == 21 && strcmp(c->streams[0].name, "alpha") == 0
               && c->streams[0].n_parts == 2 && c->streams[1].n_parts == 2
               && c->streams[2].n_parts == 0 && c->streams[0].parts[1].offset == 12
               && c->streams[0].parts[1].size == 3 && c->streams[1].parts[1].offset == 11
               && c->streams[1].parts[1].size == 0,
           "directory: 3 streams, parts and directory offset 21");
    tap_ok(rg_container_find(c, "alpha") == 0 && rg_container_find(c, "beta") == 1
               && rg_container_find(c, "empty") == 2,
           "streams found by name with their directory ids");
    tap_ok(rg_container_find(c, "gamma") == -1 && rg_container_find(c, "alph") == -1
               && rg_container_find(c, "alphaa") == -1 && rg_container_find(c, "") == -1
               && rg_container_find(c, "Alpha") == -1,
           "unknown names (and prefixes, extensions, case) not found");
    tap_ok(part_is(c, 0, 0, "hello", 5, 5), "alpha part 0: payload \"hello\", metadata 5");
    tap_ok(part_is(c, 0, 1, "abc", 3, 1ULL << 32), "alpha part 1: payload \"abc\", metadata 2^32");
    tap_ok(part_is(c, 1, 0, "xyz", 3, 0), "beta part 0: payload \"xyz\", metadata 0");
    tap_ok(part_is(c, 1, 1, NULL, 0, 0),
           "empty part: data NULL, length 0, metadata 0 (its metadata byte is not read)");
    {
        uint8_t *d;
        size_t l;
        uint64_t m;
        int r1 = rg_container_read_part(c, 0, 2, &d, &l, &m);
        int r2 = rg_container_read_part(c, 2, 0, &d, &l, &m);
        int r3 = rg_container_read_part(c, 3, 0, &d, &l, &m);
        int r4 = rg_container_read_part(c, -1, 0, &d, &l, &m);
        tap_ok(r1 < 0 && r2 < 0 && r3 < 0 && r4 < 0,
               "part index or stream id out of range is an error");
    }
    {
        uint8_t *d = NULL;
        size_t l = 0;
        uint64_t m = 0;
        int r = rg_container_read_named(c, "beta", &d, &l, &m);
        tap_ok(r == RAGC_OK && l == 3 && m == 0 && d && memcmp(d, "xyz", 3) == 0,
               "read_named gives part 0");
        free(d);
        d = NULL;
        int r1 = rg_container_read_named(c, "empty", &d, &l, &m);
        int r2 = rg_container_read_named(c, "nope", &d, &l, &m);
        tap_ok(r1 == RAGC_ERR_FORMAT && r2 == RAGC_ERR_FORMAT,
               "read_named of a stream without parts or a missing stream: RAGC_ERR_FORMAT");
    }
    /* the same bytes through a file */
    {
        char path[] = "/tmp/ragc_test_container_XXXXXX";
        int fd = mkstemp(path);
        FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
        int good = 0, written = 0;
        if (f) {
            written = fwrite(file.b, 1, file.n, f) == file.n;
            written = (fclose(f) == 0) && written;
        }
        if (written) {
            rg_io *io = rg_io_open_file(path);
            rg_container fc;
            if (io && io->size == file.n && rg_container_open(&fc, io) == RAGC_OK) {
                good = fc.n_streams == 3 && part_is(&fc, 0, 1, "abc", 3, 1ULL << 32);
                rg_container_free(&fc);
            }
            rg_io_close(io);
        }
        if (fd >= 0)
            unlink(path);
        tap_ok(good, "the same container read through rg_io_open_file");
    }
    {
        rg_io *io = rg_io_open_file("/nonexistent/ragc/test.agc");
        tap_ok(io == NULL, "rg_io_open_file of a missing file: NULL");
        rg_io_close(io);
    }
    close_file(&o);
}

/* ---- broken containers ---------------------------------------------------- */

static int open_status(const buf_t *file)
{
    opened_t o;
    open_file(&o, file);
    int s = o.status;
    close_file(&o);
    return s;
}

/* A container with one stream "s" whose single part is (off, size). */
static int one_part_status(uint64_t off, uint64_t size, int read_too)
{
    buf_t file = {{0}, 0}, dir = {{0}, 0};
    put_avar(&file, 0);
    put(&file, "0123456789", 10);   /* 11 bytes of parts */
    put_avar(&dir, 1);
    put_cstr(&dir, "s");
    put_avar(&dir, 1);
    put_avar(&dir, 0);
    put_avar(&dir, off);
    put_avar(&dir, size);
    finish(&file, &dir, -1);
    opened_t o;
    open_file(&o, &file);
    int s = o.status;
    if (s == RAGC_OK && read_too) {
        uint8_t *d = NULL;
        size_t l;
        uint64_t m;
        s = rg_container_read_part(&o.c, 0, 0, &d, &l, &m);
        free(d);
    }
    close_file(&o);
    return s;
}

static void test_broken(void)
{
    buf_t file, dir;

    /* files too short for a trailer, or a zero-length directory */
    {
        buf_t f = {{0}, 0};
        put(&f, "\x01\x02\x03", 3);
        int s1 = open_status(&f);
        f.n = 0;
        int s0 = open_status(&f);
        f.n = 0;
        put_u64le(&f, 0);
        int s8 = open_status(&f);
        tap_ok(s0 == RAGC_ERR_FORMAT && s1 == RAGC_ERR_FORMAT && s8 == RAGC_ERR_FORMAT,
               "empty file, 3-byte file, and a bare trailer of 0: RAGC_ERR_FORMAT");
    }
    /* directory size larger than the file */
    build_good(&file, &dir);
    finish(&file, &dir, (int64_t)(21 + dir.n + 1));
    int s_over = open_status(&file);
    build_good(&file, &dir);
    finish(&file, &dir, INT64_MAX);
    int s_huge = open_status(&file);
    tap_ok(s_over == RAGC_ERR_FORMAT && s_huge == RAGC_ERR_FORMAT,
           "directory size past the start of the file: RAGC_ERR_FORMAT");

    /* directory size one byte too large: the directory starts on the payload
       byte 'c' = 0x63, an avar length > 8 */
    build_good(&file, &dir);
    finish(&file, &dir, (int64_t)dir.n + 1);
    int s_big = open_status(&file);
    /* one byte too small: it starts on 03 = a 3-byte n_streams ("alp") */
    build_good(&file, &dir);
    finish(&file, &dir, (int64_t)dir.n - 1);
    int s_small = open_status(&file);
    tap_ok(s_big == RAGC_ERR_FORMAT && s_small == RAGC_ERR_FORMAT,
           "directory size off by one either way: RAGC_ERR_FORMAT");

    /* directory truncated: cut in the middle of each field in turn */
    {
        int bad = 0;
        buf_t good_dir;
        build_good(&file, &good_dir);
        for (size_t cut = 1; cut < good_dir.n; cut++) {
            buf_t f, d;
            build_good(&f, &d);
            d.n = cut;
            finish(&f, &d, -1);
            if (open_status(&f) != RAGC_ERR_FORMAT)
                if (bad++ < 3)
                    tap_diag("directory cut to %zu bytes accepted", cut);
        }
        tap_ok(bad == 0, "every truncation of the directory: RAGC_ERR_FORMAT");
    }
    /* junk after the last stream */
    build_good(&file, &dir);
    put_byte(&dir, 0);
    finish(&file, &dir, -1);
    tap_is_int(open_status(&file), RAGC_ERR_FORMAT, "bytes after the last stream: RAGC_ERR_FORMAT");

    /* n_streams absurd (2^64 - 1), n_parts absurd */
    {
        buf_t f = {{0}, 0}, d = {{0}, 0};
        put_avar(&f, 0);
        put_avar(&d, UINT64_MAX);
        put_cstr(&d, "s");
        put_avar(&d, 0);
        put_avar(&d, 0);
        finish(&f, &d, -1);
        int s1 = open_status(&f);
        buf_t f2 = {{0}, 0}, d2 = {{0}, 0};
        put_avar(&f2, 0);
        put_avar(&d2, 1);
        put_cstr(&d2, "s");
        put_avar(&d2, UINT64_MAX);
        put_avar(&d2, 0);
        put_avar(&d2, 0);
        put_avar(&d2, 0);
        finish(&f2, &d2, -1);
        int s2 = open_status(&f2);
        tap_ok(s1 == RAGC_ERR_FORMAT && s2 == RAGC_ERR_FORMAT,
               "n_streams or n_parts of 2^64-1: RAGC_ERR_FORMAT (no huge allocation)");
    }
    /* an avar with length byte 9 inside the directory */
    {
        buf_t f = {{0}, 0}, d = {{0}, 0};
        put_avar(&f, 0);
        put_avar(&d, 1);
        put_cstr(&d, "s");
        put_byte(&d, 9);
        put(&d, "\0\0\0\0\0\0\0\0\1", 9);
        put_avar(&d, 0);
        finish(&f, &d, -1);
        tap_is_int(open_status(&f), RAGC_ERR_FORMAT, "avar length byte 9 in the directory: RAGC_ERR_FORMAT");
    }

    /* parts: 11 bytes of parts, the directory starts at 11 */
    tap_is_int(one_part_status(0, 10, 1), RAGC_OK, "part (0, 10) filling the data exactly reads");
    tap_ok(one_part_status(11, 1, 0) == RAGC_ERR_FORMAT
               && one_part_status(12, 1, 0) == RAGC_ERR_FORMAT
               && one_part_status(1000, 1, 0) == RAGC_ERR_FORMAT
               && one_part_status(UINT64_MAX, 1, 0) == RAGC_ERR_FORMAT,
           "part offset at or past the directory: RAGC_ERR_FORMAT");
    tap_ok(one_part_status(0, 11, 0) == RAGC_ERR_FORMAT
               && one_part_status(5, 6, 0) == RAGC_ERR_FORMAT
               && one_part_status(0, UINT64_MAX, 0) == RAGC_ERR_FORMAT
               && one_part_status(10, UINT64_MAX - 5, 0) == RAGC_ERR_FORMAT,
           "part size running into the directory: RAGC_ERR_FORMAT");
    /* metadata avar longer than the room left: 02 00 05 then 6 payload bytes
       would end at 9 > 8 = directory offset */
    {
        buf_t f = {{0}, 0}, d = {{0}, 0};
        put(&f, "\x02\x00\x05" "hello", 8);
        put_avar(&d, 1);
        put_cstr(&d, "s");
        put_avar(&d, 1);
        put_avar(&d, 0);
        put_avar(&d, 0);
        put_avar(&d, 6);
        finish(&f, &d, -1);
        opened_t o;
        open_file(&o, &f);
        int s = o.status;
        if (s == RAGC_OK) {
            uint8_t *data = NULL;
            size_t l;
            uint64_t m;
            s = rg_container_read_part(&o.c, 0, 0, &data, &l, &m);
            free(data);
        }
        close_file(&o);
        tap_is_int(s, RAGC_ERR_FORMAT,
                   "metadata + payload running into the directory: RAGC_ERR_FORMAT at open or read");
    }
    /* duplicate stream names */
    {
        buf_t f = {{0}, 0}, d = {{0}, 0};
        put_avar(&f, 0);
        put(&f, "ab", 2);
        put_avar(&d, 3);
        put_cstr(&d, "one");
        put_avar(&d, 0);
        put_avar(&d, 0);
        put_cstr(&d, "two");
        put_avar(&d, 1);
        put_avar(&d, 0);
        put_avar(&d, 0);
        put_avar(&d, 2);
        put_cstr(&d, "one");
        put_avar(&d, 0);
        put_avar(&d, 0);
        finish(&f, &d, -1);
        tap_is_int(open_status(&f), RAGC_ERR_FORMAT, "duplicate stream names: RAGC_ERR_FORMAT");
    }
    /* stream names are byte strings: "x" and "x\x80" and "" are distinct */
    {
        buf_t f = {{0}, 0}, d = {{0}, 0};
        put_avar(&f, 0);
        put_avar(&d, 3);
        put_cstr(&d, "x");
        put_avar(&d, 0);
        put_avar(&d, 0);
        put_cstr(&d, "x\x80");
        put_avar(&d, 0);
        put_avar(&d, 0);
        put_cstr(&d, "");
        put_avar(&d, 0);
        put_avar(&d, 0);
        finish(&f, &d, -1);
        opened_t o;
        open_file(&o, &f);
        int good = o.status == RAGC_OK && rg_container_find(&o.c, "x") == 0
                   && rg_container_find(&o.c, "x\x80") == 1 && rg_container_find(&o.c, "") == 2;
        close_file(&o);
        tap_ok(good, "names \"x\", \"x\\x80\" and \"\" are three streams");
    }
}

/* ---- the toy fixtures ------------------------------------------------------ */

static const char *const toy30_names[23] = {
    "collection-samples", "collection-contigs", "collection-details",
    "x0d", "x1d", "x2d", "x3d", "x4d", "x5d", "x6d", "x7d", "x8d", "x9d", "xAd", "xBd", "xCd",
    "xDd", "xEd", "xFd", "params", "splitters", "segment-splitters", "file_type_info",
};

static void test_toy30(void)
{
    char path[4096];
    size_t flen = 0;
    uint8_t *mem = (uint8_t *)tap_slurp(tap_shared_path(path, sizeof path,
                                                        "compat/archives/toy-agc30.agc"), &flen);
    rg_io *io = mem ? rg_io_open_mem(mem, flen) : NULL;
    rg_container c;
    int s = io ? rg_container_open(&c, io) : RAGC_ERR_IO;
    if (!tap_ok(s == RAGC_OK && flen == 1025, "toy-agc30.agc (1025 bytes) opens")) {
        tap_diag("status %d, size %zu", s, flen);
        for (int i = 0; i < 10; i++)
            tap_ok(0, "skipped: toy-agc30.agc did not open");
        rg_io_close(io);
        free(mem);
        return;
    }
    tap_ok(c.n_streams == 23 && c.dir_offset == 666, "23 streams, directory at 666 (0x29a)");
    int bad = 0;
    for (int i = 0; i < 23 && i < c.n_streams; i++)
        if (strcmp(c.streams[i].name, toy30_names[i]) != 0 || rg_container_find(&c, toy30_names[i]) != i
            || c.streams[i].n_parts != 1) {
            if (bad++ < 3)
                tap_diag("stream %d: \"%s\"", i, c.streams[i].name);
        }
    tap_ok(bad == 0, "stream names in directory order, one part each");

    static const struct {
        const char *name;
        uint64_t off, size;
    } parts[] = {
        {"collection-samples", 644, 20}, {"collection-contigs", 0, 63},
        {"collection-details", 65, 134}, {"x0d", 200, 48}, {"x1d", 249, 42}, {"x2d", 293, 37},
        {"x3d", 332, 25}, {"params", 394, 16}, {"splitters", 411, 0},
        {"segment-splitters", 412, 20}, {"file_type_info", 434, 208},
    };
    bad = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        int id = rg_container_find(&c, parts[i].name);
        if (id < 0 || c.streams[id].n_parts != 1 || c.streams[id].parts[0].offset != parts[i].off
            || c.streams[id].parts[0].size != parts[i].size) {
            bad++;
            tap_diag("%s: expected (%llu, %llu)", parts[i].name, (unsigned long long)parts[i].off,
                     (unsigned long long)parts[i].size);
        }
    }
    tap_ok(bad == 0, "part (offset, size) of the streams listed in section 3.5");
    bad = 0;
    for (int i = 7; i <= 18 && i < c.n_streams; i++)
        if (c.streams[i].parts[0].size != 2)
            bad++;
    tap_ok(bad == 0, "x4d .. xFd each hold a 2-byte part");

    uint8_t *d = NULL;
    size_t l = 0;
    uint64_t m = 0;
    s = rg_container_read_named(&c, "collection-contigs", &d, &l, &m);
    static const uint8_t zstd_head[] = {0x28, 0xb5, 0x2f, 0xfd, 0x20, 0x36};
    tap_ok(s == RAGC_OK && m == 54 && l == 63 && memcmp(d, zstd_head, 6) == 0,
           "collection-contigs part: metadata 54, 63-byte zstd frame 28 b5 2f fd 20 36 ...");
    free(d);
    d = NULL;
    s = rg_container_read_named(&c, "params", &d, &l, &m);
    static const uint8_t params[] = {0x1f, 0, 0, 0, 0x14, 0, 0, 0, 0x32, 0, 0, 0, 0x60, 0xea, 0, 0};
    tap_ok(s == RAGC_OK && m == 0 && l == 16 && memcmp(d, params, 16) == 0,
           "params part: metadata 0, k=31 M=20 P=50 S=60000");
    free(d);
    d = NULL;
    s = rg_container_read_named(&c, "splitters", &d, &l, &m);
    tap_ok(s == RAGC_OK && d == NULL && l == 0 && m == 0, "splitters: empty part, metadata 0");
    free(d);
    d = NULL;
    s = rg_container_read_named(&c, "file_type_info", &d, &l, &m);
    static const char fti[] = "comment\0AGC (Assembled Genomes Compressor) v. 3.0 [build 20221222.1]";
    tap_ok(s == RAGC_OK && m == 7 && l == 208 && memcmp(d, fti, sizeof fti) == 0,
           "file_type_info: metadata 7 (pairs), begins \"comment\\0AGC ... v. 3.0 [build 20221222.1]\\0\"");
    int has_ver = 0;
    if (s == RAGC_OK && l == 208) {
        static const char k1[] = "file_version_major\0" "3", k2[] = "file_version_minor\0" "0";
        for (size_t i = 0; i + sizeof k1 <= l; i++)
            if (memcmp(d + i, k1, sizeof k1) == 0)
                has_ver |= 1;
        for (size_t i = 0; i + sizeof k2 <= l; i++)
            if (memcmp(d + i, k2, sizeof k2) == 0)
                has_ver |= 2;
    }
    tap_ok(has_ver == 3 && d && d[l - 1] == 0, "file_type_info holds file_version 3.0, ends in NUL");
    free(d);
    d = NULL;
    s = rg_container_read_named(&c, "collection-samples", &d, &l, &m);
    tap_ok(s == RAGC_OK && l == 20 && m > 0 && memcmp(d, zstd_head, 4) == 0,
           "collection-samples: the last part in the file, a 20-byte zstd frame");
    free(d);
    rg_container_free(&c);
    rg_io_close(io);
    free(mem);
}

/* Other toys: the catalogue of section 4 by format; every part inside the
   data area; no two parts overlapping. */
static void test_other_toys(void)
{
    static const struct {
        const char *file;
        const char *must[4];
        const char *must_not;
        uint64_t params_len;
    } toys[] = {
        {"toy.agc", {"collection-samples", "collection-contigs", "collection-details", "xFd"},
         "collection-main", 16},
        {"v2.1-toy.agc", {"collection-main", "collection-details", "seg-0-delta", "seg-15-delta"},
         "x0d", 16},
        {"v1.1-toy.agc", {"collection-desc", "seg-0-delta", "seg-15-delta", "file_type_info"},
         "collection-details", 12},
    };
    for (size_t t = 0; t < sizeof toys / sizeof toys[0]; t++) {
        char rel[256], path[4096];
        snprintf(rel, sizeof rel, "compat/archives/%s", toys[t].file);
        rg_io *io = rg_io_open_file(tap_shared_path(path, sizeof path, rel));
        rg_container c;
        int s = io ? rg_container_open(&c, io) : RAGC_ERR_IO;
        int good = s == RAGC_OK;
        if (good) {
            for (int i = 0; i < 4; i++)
                if (rg_container_find(&c, toys[t].must[i]) < 0) {
                    good = 0;
                    tap_diag("no stream %s", toys[t].must[i]);
                }
            if (rg_container_find(&c, toys[t].must_not) >= 0)
                good = 0;
            int p = rg_container_find(&c, "params");
            if (p < 0 || c.streams[p].n_parts != 1 || c.streams[p].parts[0].size != toys[t].params_len) {
                good = 0;
                tap_diag("params stream wrong");
            }
            /* parts are inside [0, dir_offset) and never overlap */
            uint64_t total = 0;
            for (int i = 0; i < c.n_streams; i++)
                for (uint64_t j = 0; j < c.streams[i].n_parts; j++) {
                    const rg_part *pa = &c.streams[i].parts[j];
                    if (pa->offset + pa->size + 1 > c.dir_offset)
                        good = 0;
                    for (int i2 = 0; i2 < c.n_streams; i2++)
                        for (uint64_t j2 = 0; j2 < c.streams[i2].n_parts; j2++) {
                            const rg_part *pb = &c.streams[i2].parts[j2];
                            if ((i2 != i || j2 != j) && pb->offset >= pa->offset
                                && pb->offset < pa->offset + 1 + pa->size)
                                good = 0;
                        }
                    total += pa->size;
                }
            if (total >= c.dir_offset)
                good = 0;
            rg_container_free(&c);
        } else {
            tap_diag("status %d", s);
        }
        rg_io_close(io);
        tap_ok(good, "%s: format's streams present, params %llu bytes, parts in bounds, disjoint",
               toys[t].file, (unsigned long long)toys[t].params_len);
    }
}

int main(void)
{
    hts_set_log_level(HTS_LOG_OFF);
    tap_need_shared();
    tap_plan(13 + 13 + 11 + 3);
    test_good();
    test_broken();
    test_toy30();
    test_other_toys();
    return tap_done();
}
