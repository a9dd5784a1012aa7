/* hfile_abi.h -- the parts of htslib's hFILE plugin interface a plugin needs.

   htslib declares these in its private hfile_internal.h, which distributions
   (Debian's libhts-dev among them) do not install.  The declarations below
   follow the binary interface of htslib 1.10 to 1.23 (checked against the
   1.16 sources, the version Debian ships): the structs' member order and
   types must stay exactly as they are.  The hFILE struct itself is public
   (htslib/hfile.h); a backend allocates a struct that starts with it.

   The functions are resolved at load time from the program that loads the
   plugin (samtools, bcftools, ...), so the plugin does not link -lhts. */
#ifndef RAGC_HFILE_ABI_H
#define RAGC_HFILE_ABI_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#include <htslib/hfile.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The operations behind an open hFILE.  htslib's front end buffers; these
   see only whole-buffer traffic.  Each returns as its POSIX namesake does:
   a count (or offset, or 0) on success, negative with errno set on error. */
struct hFILE_backend {
    ssize_t (*read)(hFILE *fp, void *buffer, size_t nbytes);
    ssize_t (*write)(hFILE *fp, const void *buffer, size_t nbytes);
    off_t (*seek)(hFILE *fp, off_t offset, int whence);
    int (*flush)(hFILE *fp);
    int (*close)(hFILE *fp);   /* releases the backend's resources, not fp itself */
};

/* One URL scheme's handler, registered with hfile_add_scheme_handler. */
struct hFILE_scheme_handler {
    /* Opens URL in mode; returns an hFILE made by hfile_init with its
       backend set, or NULL with errno set. */
    hFILE *(*open)(const char *url, const char *mode);
    /* Non-zero if the URL is "remote": htslib then never looks for or
       builds index files beside it on the local file system. */
    int (*isremote)(const char *url);
    const char *provider;   /* plugin name shown by htsfile --version etc. */
    /* Highest wins among handlers of one scheme (0-100); a value of 2000 or
       more (modulo 1000 is the priority) says vopen below is present. */
    int priority;
    hFILE *(*vopen)(const char *url, const char *mode, va_list args);
};

/* Passed to a plugin's entry point hfile_plugin_init. */
struct hFILE_plugin {
    int api_version;          /* in: htslib's plugin API version (1) */
    void *obj;                /* in: the dlopen handle */
    const char *name;         /* out: the plugin's name */
    void (*destroy)(void);    /* out: optional, called when htslib unloads it */
};

/* Allocates struct_size bytes (a struct whose first member is hFILE) with
   an I/O buffer of capacity bytes (0: htslib's default) for mode. */
hFILE *hfile_init(size_t struct_size, const char *mode, size_t capacity);
/* Frees what hfile_init made (for open failing after it); keeps errno. */
void hfile_destroy(hFILE *fp);
void hfile_add_scheme_handler(const char *scheme, const struct hFILE_scheme_handler *handler);
int hfile_always_local(const char *url);
int hfile_always_remote(const char *url);

/* The plugin's entry point, looked up by name with dlsym. */
int hfile_plugin_init(struct hFILE_plugin *self);

#ifdef __cplusplus
}
#endif
#endif
