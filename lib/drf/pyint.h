/*  pyint.h: Python's int() of a string, which Django and DRF apply to request text
 *  that stands for a number: ?page= and ?page_size= (PageNumberPagination), ?limit=
 *  (LimitOffsetPagination), primary keys given as text in a body
 *  (PrimaryKeyRelatedField). Reading them all with one function keeps their rules the
 *  same as Python's, and the same as each other.
 *
 *  int() takes surrounding whitespace, one optional sign, and decimal digits with
 *  single underscores between them ("1_000", never "_1", "1_" or "1__0"); anything
 *  else raises ValueError, which each caller answers in its own way (a default,
 *  "Invalid page.", a field error). Python's integers have no bounds, so a number
 *  outside int64 is not refused: it is reported as below or above, and each caller
 *  clamps it (a page size of 10**30 is the largest page) or refuses it.
 *
 *  The whitespace is int()'s: space, \t, \n, \v, \f, \r. U+001C..U+001F are not in it,
 *  though str.strip() removes them: int("\x1c5") raises.
 *
 *  Two known differences from Python:
 *  - int() also takes the decimal digits of other scripts and Unicode whitespace
 *    (int("\u0661\u0662") is 12, int("\u00a05") is 5); here any byte outside ASCII is
 *    refused. unicode_tables.h holds str.isdigit(), which is wider than the decimals
 *    int() takes (superscript two is a digit, int() refuses it), so it cannot say.
 *  - Python 3.11 (and 3.10.7) raise on more than 4300 digits, a limit each
 *    installation may change (PYTHONINTMAXSTRDIGITS); here such a number is read as
 *    out of range, as older Pythons do.
 */
#ifndef PYINT_H_INCLUDED
#define PYINT_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

/*  Reads [s, s+len) (no terminating NUL needed; a NUL byte is refused) as int() does.
 *  Returns 0 with *value and, unless range is NULL, *range: 0 when the number fits
 *  int64, -1 when it is below (*value is then INT64_MIN), +1 when it is above
 *  (*value is then INT64_MAX). Returns -1, writing nothing, when int() would raise. */
int pyint_parse(const char *s, size_t len, int64_t *value, int *range);

#endif
