/* outfile.h -- TRANSITIONAL: the old internal names of ragc_outfile (now
   public API in ragc.h) for src/write/compress.c, which another branch is
   restructuring.  At the merge compress.c switches to the ragc_outfile_*
   names and this header is deleted; nothing else may include it. */
#ifndef RAGC_OUTFILE_H
#define RAGC_OUTFILE_H

#include "ragc.h"

typedef ragc_outfile rg_outfile;
#define rg_outfile_open ragc_outfile_open
#define rg_outfile_write ragc_outfile_write
#define rg_outfile_commit ragc_outfile_commit
#define rg_outfile_abort ragc_outfile_abort

#endif
