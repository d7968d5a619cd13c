/*  Fuzz harness: the request-head reader (head.c), as a connection uses it: skip
 *  empty lines, find the end of the head, check and parse it. Every span it gives
 *  must lie inside the bytes given, the fields it accepts must hold no NUL, CR or
 *  LF, and a name never ends in whitespace. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "head.h"

/* Aborts unless [p, p + n) lies inside [buf, buf + size). */
static void inside(const char *buf, size_t size, const char *p, size_t n)
{
    if (p < buf || p + n > buf + size)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *) data;
    size_t skip = head_skip_empty(buf, size);
    size_t len = head_length(buf + skip, size - skip);
    if (len == 0 || len > HEAD_MAX)
        return 0;
    if (skip + len > size)
        abort();
    head_t head;
    if (head_parse(buf + skip, len, &head) != HEAD_OK)
        return 0;
    inside(buf, size, head.target, head.target_len);
    if (memchr(head.target, '\0', head.target_len))
        abort();
    for (size_t i = 0; i < head.count; i++) {
        const head_field_t *f = &head.fields[i];
        inside(buf, size, f->name, f->name_len);
        inside(buf, size, f->value, f->value_len);
        if (f->name_len == 0 || f->name[f->name_len - 1] == ' '
            || f->name[f->name_len - 1] == '\t')
            abort();
        for (size_t j = 0; j < f->value_len; j++)
            if (f->value[j] == '\0' || f->value[j] == '\r' || f->value[j] == '\n')
                abort();
    }
    return 0;
}
