/*  writer.h: the bytes of a response_t's status line and header block.
 *
 *  Pure (no socket): the connection (conn.c) sends this block and the body with
 *  one writev-like call, then whatever the socket did not take when it becomes
 *  writable again, so a large body (the ~1 MB ReDoc bundle) never blocks the loop
 *  and is never copied.
 */
#ifndef WRITER_H_INCLUDED
#define WRITER_H_INCLUDED

#include "response.h"

/*  Builds the status line, every header of r and the blank line ending them.
 *  Returns a malloc'ed block and its length in *len, or NULL when out of memory. */
char *writer_head(const response_t *r, size_t *len);
/*  The reason phrase of a status (Python's http.HTTPStatus wording, as Django
 *  sends it). */
const char *writer_reason(int status);

#endif
