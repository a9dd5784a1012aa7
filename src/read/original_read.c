/* original_read.c -- the readers' side of original forms (STUB: being
   implemented; the interface in ragc.h is settled). */
#include "archive.h"

int ragc_has_original(ragc_decoder *dec, int64_t sample)
{
    (void)dec;
    (void)sample;
    return 0;
}

void ragc_decoder_set_canonical(ragc_decoder *dec, int canonical)
{
    (void)dec;
    (void)canonical;
}

int ragc_sample_original(ragc_decoder *dec, int64_t sample, ragc_sink_fn sink, void *ctx)
{
    (void)dec;
    (void)sample;
    (void)sink;
    (void)ctx;
    return RAGC_ERR_NO_ORIGINAL;
}
