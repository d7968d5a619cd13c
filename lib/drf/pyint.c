/*  pyint.c: Python's int() of a string. See pyint.h. */
#include "pyint.h"

#include <stdbool.h>

/* The ASCII whitespace int() strips (Python's Py_ISSPACE). */
static bool is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

int pyint_parse(const char *s, size_t len, int64_t *value, int *range)
{
    size_t start = 0, end = len;
    while (start < end && is_space(s[start]))
        start++;
    while (end > start && is_space(s[end - 1]))
        end--;
    bool negative = false;
    if (start < end && (s[start] == '+' || s[start] == '-'))
        negative = s[start++] == '-';
    if (start == end)
        return -1;
    /* The magnitude is read up to INT64_MAX + 1, the magnitude of INT64_MIN; past
     * it, only the digits' validity matters: the value is out of range either way. */
    const uint64_t limit = (uint64_t) INT64_MAX + 1;
    uint64_t magnitude = 0;
    bool saturated = false, previous_digit = false;
    for (size_t i = start; i < end; i++) {
        char c = s[i];
        if (c == '_') {
            /* One underscore between two digits: the next character, when it is not
             * a digit, is refused on its own turn. */
            if (!previous_digit || i + 1 == end)
                return -1;
            previous_digit = false;
            continue;
        }
        if (c < '0' || c > '9')
            return -1;
        previous_digit = true;
        unsigned digit = (unsigned) (c - '0');
        if (!saturated && magnitude > (limit - digit) / 10)
            saturated = true;
        if (!saturated)
            magnitude = magnitude * 10 + digit;
    }
    int where;
    if (negative) {
        where = saturated ? -1 : 0;
        *value = saturated || magnitude == limit ? INT64_MIN : -(int64_t) magnitude;
    } else {
        where = saturated || magnitude == limit ? 1 : 0;
        *value = where ? INT64_MAX : (int64_t) magnitude;
    }
    if (range)
        *range = where;
    return 0;
}
