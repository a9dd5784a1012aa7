/* signals.c -- removing the command's temporary files when it is killed;
   see signals.h. */
#include "signals.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/hts.h>

static pthread_mutex_t tmp_lock = PTHREAD_MUTEX_INITIALIZER;
static char **tmp_paths;      /* malloc'ed copies */
static size_t n_tmp, cap_tmp;

int cli_tmp_track_held(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    if (hts_resize(char *, n_tmp + 1, &cap_tmp, &tmp_paths, 0) < 0) {
        free(copy);
        return -1;
    }
    tmp_paths[n_tmp++] = copy;
    return 0;
}

int cli_tmp_track(const char *path)
{
    pthread_mutex_lock(&tmp_lock);
    int r = cli_tmp_track_held(path);
    pthread_mutex_unlock(&tmp_lock);
    return r;
}

void cli_tmp_hold(void)
{
    pthread_mutex_lock(&tmp_lock);
}

void cli_tmp_release(void)
{
    pthread_mutex_unlock(&tmp_lock);
}

void cli_tmp_untrack(const char *path)
{
    pthread_mutex_lock(&tmp_lock);
    for (size_t i = 0; i < n_tmp; i++)
        if (strcmp(tmp_paths[i], path) == 0) {
            free(tmp_paths[i]);
            tmp_paths[i] = tmp_paths[--n_tmp];
            break;
        }
    pthread_mutex_unlock(&tmp_lock);
}

static void cleanup_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
    sigaddset(set, SIGQUIT);
}

/* Waits for a signal, removes the files, then dies of the signal.  The lock
   stays held: no file is registered (or committed through the list) after
   the clean-up has started. */
static void *wait_for_signal(void *arg)
{
    (void)arg;
    sigset_t set;
    cleanup_signals(&set);
    int sig;
    while (sigwait(&set, &sig) != 0)
        ;
    pthread_mutex_lock(&tmp_lock);
    for (size_t i = 0; i < n_tmp; i++)
        unlink(tmp_paths[i]);
    signal(sig, SIG_DFL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    pthread_sigmask(SIG_UNBLOCK, &one, NULL);
    raise(sig);
    _exit(128 + sig);   /* not reached: the default action ends the process */
}

int cli_signals_init(void)
{
    sigset_t set, old;
    cleanup_signals(&set);
    if (pthread_sigmask(SIG_BLOCK, &set, &old) != 0)
        return -1;
    pthread_t t;
    if (pthread_create(&t, NULL, wait_for_signal, NULL) != 0) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return -1;
    }
    pthread_detach(t);
    return 0;
}
