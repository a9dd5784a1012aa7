/* original_join.c -- one sample's original form from the forms of its
   parts (docs/lossless.md section 3): `ragc merge --by-contig` joins a
   sample whose contigs came from several archives, as if its input files
   had been one file, concatenated in order.  The blobs are joined without
   decoding the records: their counts add up, the size tables and the
   records follow each other.  Only the first part may have a preamble
   (text before its first record); a later one cannot sit between records. */
#include <string.h>

#include <htslib/hts_log.h>

#include "bytes.h"
#include "original.h"
#include "ragc.h"
#include "varint.h"

typedef struct {
    uint64_t n_records;
    const uint8_t *preamble, *table, *records;
    uint64_t preamble_len, table_len;
    size_t records_len;
} blob_parts;

static int split_blob(const uint8_t *blob, size_t len, blob_parts *p)
{
    rg_cursor c = { blob, blob + len };
    if (len == 0 || blob[0] != 1) {
        hts_log_error("original form of version %u; this ragc joins version 1", len ? blob[0] : 0);
        return RAGC_ERR_VERSION;
    }
    c.p++;
    if (rg_read_uvar(&c, &p->n_records) < 0 || rg_read_uvar(&c, &p->preamble_len) < 0
        || p->preamble_len > (uint64_t)(c.end - c.p))
        return RAGC_ERR_FORMAT;
    p->preamble = c.p;
    c.p += p->preamble_len;
    if (rg_read_uvar(&c, &p->table_len) < 0 || p->table_len > (uint64_t)(c.end - c.p))
        return RAGC_ERR_FORMAT;
    p->table = c.p;
    c.p += p->table_len;
    p->records = c.p;
    p->records_len = (size_t)(c.end - c.p);
    return RAGC_OK;
}

int rg_orig_join(const uint8_t *const *blobs, const size_t *lens, size_t n, rg_bytes *out)
{
    uint64_t records = 0, table = 0;
    blob_parts parts[2];
    int r = RAGC_OK;
    /* pass 1: the totals (each blob split again in pass 2: no array of n) */
    for (size_t i = 0; r == RAGC_OK && i < n; i++) {
        if ((r = split_blob(blobs[i], lens[i], &parts[0])) < 0)
            break;
        if (i > 0 && parts[0].preamble_len) {
            hts_log_error("the original form of a later part has text before its first record, which "
                          "cannot stand between records of the joined sample");
            r = RAGC_ERR_INPUT;
        }
        records += parts[0].n_records;
        table += parts[0].table_len;
    }
    static const uint8_t version = 1;
    if (r == RAGC_OK)
        r = rg_bytes_append(out, &version, 1);
    if (r == RAGC_OK)
        r = rg_bytes_put_uvar(out, records);
    for (size_t i = 0; r == RAGC_OK && i < n; i++) {
        split_blob(blobs[i], lens[i], &parts[1]);
        if (i == 0 && (r = rg_bytes_put_uvar(out, parts[1].preamble_len)) == RAGC_OK)
            r = rg_bytes_append(out, parts[1].preamble, parts[1].preamble_len);
    }
    if (r == RAGC_OK)
        r = rg_bytes_put_uvar(out, table);
    for (size_t i = 0; r == RAGC_OK && i < n; i++) {
        split_blob(blobs[i], lens[i], &parts[1]);
        r = rg_bytes_append(out, parts[1].table, parts[1].table_len);
    }
    for (size_t i = 0; r == RAGC_OK && i < n; i++) {
        split_blob(blobs[i], lens[i], &parts[1]);
        r = rg_bytes_append(out, parts[1].records, parts[1].records_len);
    }
    if (r == RAGC_ERR_FORMAT)
        hts_log_error("corrupt original form");
    return r;
}
