/*  log.c: leveled one-line logging to stderr. See log.h. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *log_process = "app";     /* name shown on every line */
static log_level_t log_threshold = LOG_LEVEL_INFO; /* lines below this level are dropped */

void log_init(const char *process_name)
{
    log_process = process_name;
    const char *level = getenv("LOG_LEVEL");
    if (!level || !*level)
        return;
    if (strcasecmp(level, "debug") == 0)
        log_threshold = LOG_LEVEL_DEBUG;
    else if (strcasecmp(level, "info") == 0)
        log_threshold = LOG_LEVEL_INFO;
    else if (strcasecmp(level, "warn") == 0 || strcasecmp(level, "warning") == 0)
        log_threshold = LOG_LEVEL_WARN;
    else if (strcasecmp(level, "error") == 0)
        log_threshold = LOG_LEVEL_ERROR;
    else
        log_write(LOG_LEVEL_WARN, "LOG_LEVEL is not one of debug, info, warn, error: using info");
}

void log_write(log_level_t level, const char *fmt, ...)
{
    static const char *names[] = { "DEBUG", "INFO ", "WARN ", "ERROR" };
    if (level < log_threshold)
        return;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct tm tm;
    gmtime_r(&now.tv_sec, &tm);
    char line[1024];
    int n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s %s: ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, now.tv_nsec / 1000000, names[level], log_process);
    va_list args;
    va_start(args, fmt);
    if (n > 0 && (size_t) n < sizeof line)
        vsnprintf(line + n, sizeof line - (size_t) n, fmt, args);
    va_end(args);
    /* One write per line so lines of concurrent threads never interleave. */
    size_t len = strnlen(line, sizeof line - 2);
    for (size_t i = 0; i < len; i++)
        if (line[i] == '\n' || line[i] == '\r')
            line[i] = ' ';
    line[len] = '\n';
    fwrite(line, 1, len + 1, stderr);
}
