/* outfile.h -- a whole output file written by a function of a descriptor,
   all or nothing (ragc_outfile): the writers' entry points to a path. */
#ifndef RAGC_OUTFILE_H
#define RAGC_OUTFILE_H

/* Opens out_path as a ragc_outfile (NULL or "-": standard output), runs
   write(fd, ctx), and on success syncs the temporary file to disk and
   renames it into place; on failure removes it.  Returns write's status,
   or RAGC_ERR_IO (logged) when the file cannot be made, synced or renamed. */
int rg_outfile_write_all(const char *out_path, int (*write)(int fd, void *ctx), void *ctx);

#endif
