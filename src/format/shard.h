/* shard.h -- the ragc-shard extension stream (docs/scale-out.md section 3):
   what makes an archive written by `ragc create --like BASE` a shard of
   BASE.  A shard holds its own samples, the packs its segments added to
   BASE's groups (their in-group ids counted from 1 again, as if each group
   had only its reference: BASE's members are not copied), and the groups
   it opened (ids from BASE's group count on).  It cannot be read alone;
   `ragc merge` joins it with BASE.

   The stream has one part, metadata = the payload's version (1):
       u8[16]  base_id         BASE's fingerprint (rg_shard_fingerprint)
       uvar    n_base_groups   groups 0 .. n-1 are BASE's
       uvar    n_base_samples  BASE's sample count (a check, and for messages)
       uvar    flags           bit 0 (RG_SHARD_DRAFT_PACKS): the packs are
                               compressed fast, to be compressed again by the
                               merge, which cuts them anew anyway; other bits 0
   Reading only (the reader links no writer): compress_like.c writes it.
   Pure format-layer code; no state, so thread safe. */
#ifndef RAGC_SHARD_H
#define RAGC_SHARD_H

#include <stdint.h>

#include "container.h"

#define RG_SHARD_STREAM "ragc-shard"
#define RG_SHARD_VERSION 1

#define RG_SHARD_DRAFT_PACKS 1

/* zstd level of a shard's packs (RG_SHARD_DRAFT_PACKS) */
#define RG_SHARD_DRAFT_LEVEL 3

typedef struct {
    uint8_t base_id[16];
    uint64_t n_base_groups;
    uint64_t n_base_samples;
    uint64_t flags;
} rg_shard_info;

/* The fingerprint of an archive: the MD5 of its directory (every stream's
   name, part offsets and sizes, in directory order), which changes with
   any byte of its groups or collection that moves a part, and of its
   params, splitters and segment-splitters payloads, which decide where a
   new segment goes. */
int rg_shard_fingerprint(const rg_container *ctr, uint8_t id[16]);

/* 1 with *info set when the archive is a shard, 0 when it is not,
   RAGC_ERR_FORMAT / RAGC_ERR_VERSION when its shard stream is corrupt or
   newer than this reader. */
int rg_shard_read(const rg_container *ctr, rg_shard_info *info);

#endif
