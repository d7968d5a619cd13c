/*  Fuzz harness: the first bytes of a new connection, as the front door judges them
 *  (request line and an encoded NUL in its target). The verdict must not depend on
 *  bytes past the line, and reading must stay within the bytes given. */
#include <stdint.h>
#include <stdlib.h>

#include "frontdoor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *) data;
    size_t skip = 0;
    size_t line = frontdoor_line_length(buf, size, &skip);
    if (line > 0 && skip + line > size)
        abort();
    frontdoor_verdict_t verdict = frontdoor_judge(buf, size, FRONTDOOR_PEEK_MAX);
    if (line > 0 && frontdoor_judge(buf, skip + line, FRONTDOOR_PEEK_MAX) != verdict)
        abort();
    return 0;
}
