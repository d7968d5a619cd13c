/*  log.c: leveled one-line logging to stderr. See log.h. */
#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "utf8.h"

/* Longest message kept (after escaping); the rest of a longer one is cut. */
#define LOG_MESSAGE_MAX 900

static const char *log_process = "app";     /* name shown on every line */
static log_level_t log_threshold = LOG_LEVEL_INFO; /* lines below this level are dropped */

/* The last message written, to coalesce repeats (one lock: workers log from threads). */
static struct {
    pthread_mutex_t lock;                   /* guards the fields below */
    log_level_t level;                      /* level of the last message */
    char text[LOG_MESSAGE_MAX + 1];         /* the last message, escaped */
    size_t len;                             /* its length */
    unsigned long repeats;                  /* identical messages held back since */
    struct timespec window_start;           /* when the last line about it was written */
} last = { .lock = PTHREAD_MUTEX_INITIALIZER };

void log_init(const char *process_name)
{
    log_process = process_name;
    atexit(log_flush);
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

size_t log_escape(const char *in, size_t len, char *out, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp = 0;
        size_t step = utf8_next(in + i, len - i, &cp);
        /* Printable text (UTF-8 above the C1 controls) is copied; every control
         * character, DEL and each byte of invalid UTF-8 becomes \xNN. */
        bool printable = step > 0 && cp >= 0x20 && cp != 0x7f && (cp < 0x80 || cp > 0x9f);
        if (printable) {
            if (n + step > cap)
                break;
            memcpy(out + n, in + i, step);
            n += step;
            i += step;
            continue;
        }
        size_t bytes = step > 0 ? step : 1;
        if (n + 4 * bytes > cap)
            break;
        for (size_t k = 0; k < bytes; k++) {
            unsigned char c = (unsigned char) in[i + k];
            out[n++] = '\\';
            out[n++] = 'x';
            out[n++] = hex[c >> 4];
            out[n++] = hex[c & 15];
        }
        i += bytes;
    }
    return n;
}

/* Writes one line "<time> <LEVEL> <process>: <text>" with a single write, so lines
 * of concurrent threads never interleave. */
static void emit(const struct timespec *now, log_level_t level, const char *text, size_t len)
{
    static const char *names[] = { "DEBUG", "INFO ", "WARN ", "ERROR" };
    struct tm tm;
    gmtime_r(&now->tv_sec, &tm);
    char line[LOG_MESSAGE_MAX + 128];
    int n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s %s: ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, now->tv_nsec / 1000000, names[level], log_process);
    if (n < 0)
        return;
    size_t head = (size_t) n < sizeof line ? (size_t) n : sizeof line - 1;
    if (len > sizeof line - 1 - head)
        len = sizeof line - 1 - head;
    memcpy(line + head, text, len);
    line[head + len] = '\n';
    fwrite(line, 1, head + len + 1, stderr);
}

/* Writes the count of held-back repeats of the last message, if any (lock held). */
static void flush_repeats(const struct timespec *now)
{
    if (last.repeats == 0)
        return;
    char text[LOG_MESSAGE_MAX + 64];
    int n = snprintf(text, sizeof text, "%.*s (repeated %lu more times in %lds)",
                     (int) last.len, last.text, last.repeats,
                     (long) (now->tv_sec - last.window_start.tv_sec));
    if (n > 0)
        emit(now, last.level, text, (size_t) n < sizeof text ? (size_t) n : sizeof text - 1);
    last.repeats = 0;
}

void log_write(log_level_t level, const char *fmt, ...)
{
    if (level < log_threshold)
        return;
    char raw[LOG_MESSAGE_MAX + 1], text[LOG_MESSAGE_MAX];
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(raw, sizeof raw, fmt, args);
    va_end(args);
    if (n < 0)
        return;
    size_t raw_len = (size_t) n < sizeof raw ? (size_t) n : sizeof raw - 1;
    size_t len = log_escape(raw, raw_len, text, sizeof text);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);

    pthread_mutex_lock(&last.lock);
    /* Only warnings and errors come in floods worth folding (an outage, a peer that
     * keeps sending garbage); every info and debug line is written. */
    bool repeat = level >= LOG_LEVEL_WARN && len == last.len && level == last.level
                  && memcmp(text, last.text, len) == 0;
    if (repeat) {
        /* The same message again: counted, and the count written at most once per
         * LOG_COALESCE_S (or before the next different message). */
        last.repeats++;
        if (now.tv_sec - last.window_start.tv_sec >= LOG_COALESCE_S) {
            flush_repeats(&now);
            last.window_start = now;
        }
    } else {
        flush_repeats(&now);
        emit(&now, level, text, len);
        last.level = level;
        memcpy(last.text, text, len);
        last.len = len;
        last.window_start = now;
    }
    pthread_mutex_unlock(&last.lock);
}

void log_flush(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    pthread_mutex_lock(&last.lock);
    flush_repeats(&now);
    last.len = 0;
    pthread_mutex_unlock(&last.lock);
}
