/*  bearer.c: the Authorization header. See bearer.h. */
#include "bearer.h"

#include <stdbool.h>
#include <string.h>

/* The whitespace Python's bytes.split() splits on. */
static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int bearer_token(const char *header, size_t len, const char **token, size_t *token_len)
{
    if (memchr(header, '\0', len))
        return -1;
    const char *parts[2] = { NULL, NULL };
    size_t lens[2] = { 0, 0 };
    size_t count = 0, i = 0;
    while (i < len) {
        while (i < len && is_space(header[i]))
            i++;
        if (i == len)
            break;
        size_t start = i;
        while (i < len && !is_space(header[i]))
            i++;
        if (count == 2)
            return -1;
        parts[count] = header + start;
        lens[count] = i - start;
        count++;
    }
    if (count != 2 || lens[0] != 6 || memcmp(parts[0], "Bearer", 6) != 0)
        return -1;
    *token = parts[1];
    *token_len = lens[1];
    return 0;
}
