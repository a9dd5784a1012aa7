/* file_name.h -- a sample name as a file name (getcol -o DIR).

   Sample names may hold '/' (`Wuhan/Hu-1/2019`, from -c or --pansn
   inputs), which a file name cannot.  The name is written with '/' as
   %2F and '%' as %25, every other byte as it is: the mapping is reversible
   (decode each %XX) and two different names never give the same file
   name, since a '%' in the result always starts an escape. */
#ifndef RAGC_CLI_FILE_NAME_H
#define RAGC_CLI_FILE_NAME_H

/* The malloc'ed file name of sample name (without a suffix); NULL when out
   of memory. */
char *cli_sample_file_name(const char *name);

#endif
