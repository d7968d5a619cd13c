/*  log.h: one leveled logger for every process, writing one line per event to stderr:
 *      2026-11-25T11:24:36.123Z INFO  auth: message
 *  LOG_LEVEL (debug|info|warn|error, default info) selects what is written.
 *  Never log passwords, tokens, secrets or request bodies.
 */
#ifndef LOG_H_INCLUDED
#define LOG_H_INCLUDED

/* Prefixed: syslog.h (pulled in by czmq) already defines LOG_DEBUG and friends. */
typedef enum { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_WARN, LOG_LEVEL_ERROR } log_level_t;

/* Sets the process name shown on every line and reads LOG_LEVEL. */
void log_init(const char *process_name);
void log_write(log_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_write(LOG_LEVEL_DEBUG, __VA_ARGS__)
#define log_info(...) log_write(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_warn(...) log_write(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_error(...) log_write(LOG_LEVEL_ERROR, __VA_ARGS__)

#endif
