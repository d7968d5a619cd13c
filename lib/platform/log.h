/*  log.h: one leveled logger for every process, writing one line per event to stderr:
 *      2026-11-25T11:24:36.123Z INFO  auth: message
 *  LOG_LEVEL (debug|info|warn|error, default info) selects what is written.
 *  Never log passwords, tokens, secrets or request bodies.
 *
 *  Messages may carry text from outside (a peer's service name, a header): every
 *  control character, DEL and invalid UTF-8 byte is written as \xNN, so nothing
 *  reaches a terminal or a log parser raw, and a line is always one line. A warning
 *  or error identical to the one before (same level and text) is not written again:
 *  repeats are counted and written as one "(repeated N more times in Ss)" line at
 *  most every LOG_COALESCE_S seconds, and before the next different message or at
 *  exit. Info and debug lines are always written.
 */
#ifndef LOG_H_INCLUDED
#define LOG_H_INCLUDED

#include <stddef.h>

/* Prefixed: syslog.h (pulled in by czmq) already defines LOG_DEBUG and friends. */
typedef enum { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_WARN, LOG_LEVEL_ERROR } log_level_t;

/* Seconds between two lines about the same repeated message. */
#define LOG_COALESCE_S 5

/* Sets the process name shown on every line, reads LOG_LEVEL, and makes the count of
 * held-back repeats be written at exit. */
void log_init(const char *process_name);
/* Writes one line at `level` (dropped below LOG_LEVEL), escaped and coalesced. */
void log_write(log_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes the count of held-back repeats now, if any, and forgets the last message. */
void log_flush(void);
/*  Copies len bytes of `in` to `out` (cap bytes of room) with every control
 *  character (C0, DEL, C1) and every byte of invalid UTF-8 written as \xNN. Stops
 *  before a character that does not fit. Returns the bytes written. */
size_t log_escape(const char *in, size_t len, char *out, size_t cap);

#define log_debug(...) log_write(LOG_LEVEL_DEBUG, __VA_ARGS__)
#define log_info(...) log_write(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_warn(...) log_write(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_error(...) log_write(LOG_LEVEL_ERROR, __VA_ARGS__)

#endif
