/* test_signals.c -- the command removes its temporary files when killed
   (src/cli/signals.c).

   A child process registers N files (more than the 64 the old fixed table
   held), forgets one again, and is sent SIGTERM, SIGINT, SIGHUP or SIGQUIT
   from outside, as a user or a job scheduler would.  It must die of that
   signal (not exit), the registered files must be gone, and the forgotten
   one and an unregistered one must still be there. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "signals.h"
#include "tap.h"

#define N_FILES 200

static void path_of(char *buf, size_t n, const char *dir, int i)
{
    snprintf(buf, n, "%s/f%03d.tmp", dir, i);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The child: registers files 0..N_FILES-1 (file N_FILES is never
   registered), forgets file 1, tells the parent through the pipe, then
   waits to be killed. */
static void child(const char *dir, int ready_fd)
{
    if (cli_signals_init() < 0)
        _exit(90);
    char p[512];
    for (int i = 0; i < N_FILES; i++) {
        path_of(p, sizeof p, dir, i);
        if (cli_tmp_track(p) < 0)
            _exit(91);
    }
    path_of(p, sizeof p, dir, 1);
    cli_tmp_untrack(p);
    if (write(ready_fd, "r", 1) != 1)
        _exit(92);
    for (;;)
        pause();
}

static void run_case(int sig, const char *name)
{
    char dir[] = "/tmp/ragc-test-signals.XXXXXX";
    if (!mkdtemp(dir)) {
        for (int i = 0; i < 4; i++)
            tap_ok(0, "%s: cannot make a temp dir", name);
        return;
    }
    char p[512];
    for (int i = 0; i <= N_FILES; i++) {
        path_of(p, sizeof p, dir, i);
        int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd >= 0)
            close(fd);
    }
    int fds[2];
    pid_t pid = pipe(fds) == 0 ? fork() : -1;
    if (pid == 0) {
        close(fds[0]);
        /* no core file from SIGQUIT */
        struct rlimit no_core = { 0, 0 };
        setrlimit(RLIMIT_CORE, &no_core);
        child(dir, fds[1]);
    }
    char c = 0;
    if (pid > 0) {
        close(fds[1]);
        if (read(fds[0], &c, 1) == 1)
            kill(pid, sig);
        close(fds[0]);
    }
    int status = 0;
    int waited = pid > 0 && waitpid(pid, &status, 0) == pid;
    tap_ok(c == 'r', "%s: the child registered %d files", name, N_FILES);
    if (!tap_ok(waited && WIFSIGNALED(status) && WTERMSIG(status) == sig,
                "%s: the child died of the signal", name))
        tap_diag("status %#x", status);
    int left = 0;
    for (int i = 0; i < N_FILES; i++) {
        path_of(p, sizeof p, dir, i);
        left += i != 1 && exists(p);
    }
    tap_ok(left == 0, "%s: all %d registered files removed (%d left)", name, N_FILES - 1, left);
    char p1[512], pn[512];
    path_of(p1, sizeof p1, dir, 1);
    path_of(pn, sizeof pn, dir, N_FILES);
    tap_ok(exists(p1) && exists(pn), "%s: the forgotten and the unregistered file remain", name);
    for (int i = 0; i <= N_FILES; i++) {
        path_of(p, sizeof p, dir, i);
        unlink(p);
    }
    rmdir(dir);
}

int main(void)
{
    tap_plan(16);
    run_case(SIGTERM, "SIGTERM");
    run_case(SIGINT, "SIGINT");
    run_case(SIGHUP, "SIGHUP");
    run_case(SIGQUIT, "SIGQUIT");
    return tap_done();
}
