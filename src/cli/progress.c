/* progress.c -- the progress line; see progress.h. */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* The line on the screen, if any (for cli_progress_interrupt). */
static cli_progress *on_screen;

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

void cli_progress_init(cli_progress *p, const char *cmd, int wanted)
{
    *p = (cli_progress){ .cmd = cmd, .on = wanted && isatty(STDERR_FILENO), .fraction = -1 };
    p->start = seconds_now();
}

/* "H:MM:SS" */
static int clock_text(char *buf, size_t size, double seconds)
{
    long s = seconds < 0 ? 0 : seconds > 3.6e8 ? 360000000L : (long)(seconds + 0.5);
    return snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
}

/* "812 bases", "33.15 kbases", "1.20 Gbases" */
static int bases_text(char *buf, size_t size, uint64_t b)
{
    static const char *unit[] = { "k", "M", "G", "T" };
    if (b < 1000)
        return snprintf(buf, size, "%u bases", (unsigned)b);
    double v = (double)b / 1000;
    int u = 0;
    while (v >= 999.995 && u < 3) {   /* what %.2f would show as 1000.00 */
        v /= 1000;
        u++;
    }
    return snprintf(buf, size, "%.2f %sbases", v, unit[u]);
}

int cli_progress_format(char *buf, size_t size, const cli_progress *p, double now, int final)
{
    char total[32] = "", bases[32], rate[32], when[32];
    if (p->n_samples)
        snprintf(total, sizeof total, "/%llu", (unsigned long long)p->n_samples);
    bases_text(bases, sizeof bases, p->bases);
    bases_text(rate, sizeof rate, now > 0 ? (uint64_t)((double)p->bases / now) : 0);
    if (final)
        clock_text(when, sizeof when, now);
    else if (p->fraction > 0)
        clock_text(when, sizeof when, now * (1 - p->fraction) / p->fraction);
    else
        snprintf(when, sizeof when, "-:--:--");   /* nothing done yet, or the size is unknown */
    return snprintf(buf, size, "ragc %s: %llu%s samples, %s, %s/s, %s%s%s", p->cmd,
                    (unsigned long long)p->samples, total, bases, rate, final ? "done in " : "", when,
                    final ? "" : " left");
}

/* '\r' and ESC[K (erase to the end of the line) before the text: the line is
   rewritten whatever was on it, and a shorter text leaves nothing behind.
   A '\r' after it leaves the cursor at the start of the line, so that a
   message the library logs (hts_log, which we cannot intercept) is written
   over the line instead of after its end. */
static void draw(cli_progress *p, double now, int final)
{
    char text[256];
    cli_progress_format(text, sizeof text, p, now - p->start, final);
    fprintf(stderr, "\r\033[K%s%s", text, final ? "\n" : "\r");
    fflush(stderr);
    p->drawn = !final;
    p->last = now;
    on_screen = final ? NULL : p;
}

void cli_progress_update(cli_progress *p, int now)
{
    if (!p->on)
        return;
    double t = seconds_now();
    if (now || !p->drawn || t - p->last >= 1.0)
        draw(p, t, 0);
}

void cli_progress_clear(cli_progress *p)
{
    if (!p->on || !p->drawn)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    p->drawn = 0;
    on_screen = NULL;
}

void cli_progress_interrupt(void)
{
    if (on_screen)
        cli_progress_clear(on_screen);
}

void cli_progress_end(cli_progress *p)
{
    if (p->on)
        draw(p, seconds_now(), 1);
    p->on = 0;
}
