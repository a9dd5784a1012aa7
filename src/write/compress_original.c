/* compress_original.c -- the samples' original forms in the archive
   (docs/lossless.md section 7): each sample's blob joins the ragc-original
   extension stream (ext_stream.h) as its records end.  Append keeps the
   input's batches (agc's own append would drop the stream). */
#include "compress_internal.h"

int rg_original_store(rg_compressor *c, uint64_t sample, const rg_orig_sample *desc)
{
    rg_bytes blob = { 0 };
    int r = rg_orig_encode(desc, &blob);
    if (r == RAGC_OK)
        r = rg_ext_store(&c->orig, sample, blob.s, blob.len);
    rg_bytes_free(&blob);
    return r;
}
