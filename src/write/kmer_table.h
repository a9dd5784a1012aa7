/* kmer_table.h -- a sorted set of 64-bit keys (k-mers) in three quarters
   of a plain array's memory, for adaptive mode's reference k-mers (millions
   for a bacterial reference, billions for a human one, kept for the whole
   run).  The keys are split into 2^16 buckets by their top 16 bits; a
   bucket stores only the 48 bits below, 6 bytes a key instead of 8.
   (agc's k-mers are left-aligned, so their top bits spread them over the
   buckets whatever k.) */
#ifndef RAGC_KMER_TABLE_H
#define RAGC_KMER_TABLE_H

#include <stddef.h>
#include <stdint.h>

#define RG_KMER_TABLE_TOP 16

typedef struct {
    uint64_t *start;   /* bucket b holds entries [start[b], start[b + 1]) */
    uint8_t *low;      /* the entries: the keys' low 48 bits, 6 bytes each (little-endian) */
    size_t n;
} rg_kmer_table;

/* Makes the table of the n distinct keys v, ascending.  Takes v
   (malloc'ed) whatever happens: its memory becomes the entries.  Returns
   0, or -1 when out of memory. */
int rg_kmer_table_make(rg_kmer_table *t, uint64_t *v, size_t n);
/* Whether x is in the table. */
int rg_kmer_table_has(const rg_kmer_table *t, uint64_t x);
void rg_kmer_table_free(rg_kmer_table *t);

#endif
