/* test_progress.c -- the text of the progress line (src/cli/progress.c):
   counts, units, rate and time left for fixed inputs, so that the values
   are checked here and the terminal test (bats/progress.bats) needs only
   check the line's shape. */
#include <stdio.h>
#include <string.h>

#include "progress.h"
#include "tap.h"

static const char *line(const cli_progress *p, double now, int final)
{
    static char buf[256];
    cli_progress_format(buf, sizeof buf, p, now, final);
    return buf;
}

int main(void)
{
    tap_plan(8);
    cli_progress p = { .cmd = "create", .samples = 1, .n_samples = 4, .bases = 30000000, .fraction = 0.25 };
    /* 30 Mbases in 30 s: 1 Mbase/s; a quarter done in 30 s: 90 s left */
    tap_is_str(line(&p, 30, 0), "ragc create: 1/4 samples, 30.00 Mbases, 1.00 Mbases/s, 0:01:30 left",
               "counts, rate and time left");
    tap_is_str(line(&p, 30, 1), "ragc create: 1/4 samples, 30.00 Mbases, 1.00 Mbases/s, done in 0:00:30",
               "the final line gives the time taken");
    p.fraction = -1;
    tap_is_str(line(&p, 30, 0), "ragc create: 1/4 samples, 30.00 Mbases, 1.00 Mbases/s, -:--:-- left",
               "time left unknown (input sizes unknown)");
    p.fraction = 0;
    tap_is_str(line(&p, 30, 0), "ragc create: 1/4 samples, 30.00 Mbases, 1.00 Mbases/s, -:--:-- left",
               "time left unknown (nothing done yet)");
    cli_progress q = { .cmd = "getcol", .samples = 12, .bases = 812, .fraction = 0.5 };
    tap_is_str(line(&q, 0, 0), "ragc getcol: 12 samples, 812 bases, 0 bases/s, 0:00:00 left",
               "no total samples, bases under 1000, no time elapsed");
    q.bases = 3210987654321ULL;
    q.fraction = 0.9;
    tap_is_str(line(&q, 36000, 0), "ragc getcol: 12 samples, 3.21 Tbases, 89.19 Mbases/s, 1:06:40 left",
               "large counts, hours");
    q.bases = 999999;
    tap_is_str(line(&q, 3, 1), "ragc getcol: 12 samples, 1.00 Mbases, 333.33 kbases/s, done in 0:00:03",
               "999999 bases show as 1.00 Mbases, not 1000.00 kbases");
    cli_progress off;
    cli_progress_init(&off, "create", 0);
    tap_ok(!off.on, "--no-progress turns the line off whatever standard error is");
    return tap_done();
}
