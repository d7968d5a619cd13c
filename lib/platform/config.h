/*  config.h: configuration from environment variables, with development defaults.
 *
 *  Environment values come from outside: a value that does not parse or is out of range
 *  is reported and the process refuses to start (config_* return -1), never guessed.
 */
#ifndef CONFIG_H_INCLUDED
#define CONFIG_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Value of `name`, or `fallback` when unset or empty. */
const char *config_str(const char *name, const char *fallback);
/* Integer in [min, max] into *value (fallback when unset). Returns 0, or -1 (logged). */
int config_int(const char *name, long fallback, long min, long max, long *value);
/* True unless APP_ENV is set to something other than "development". */
bool config_is_development(void);

#endif
