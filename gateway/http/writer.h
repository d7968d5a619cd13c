/*  writer.h: writing a response_t to an HTTP/1.1 connection.
 *
 *  The header block and as much body as fits go out in the first lws_write; the rest
 *  follows in HTTP_WRITE_CHUNK pieces, one per WRITEABLE callback, so a large body
 *  (the ~1 MB ReDoc bundle) never blocks the loop and never sits twice in memory.
 */
#ifndef WRITER_H_INCLUDED
#define WRITER_H_INCLUDED

#include <libwebsockets.h>

#include "response.h"
#include "server.h"

/* Writes the next piece of r. Returns 1 when the whole response is out, 0 when more
 * remains (ask for another WRITEABLE), -1 when the connection must be closed. */
int writer_continue(http_server_t *srv, struct lws *wsi, response_t *r);
/* Writes a small response in one go, outside WRITEABLE (used while lws negotiates an
 * upgrade). Returns 0, or -1 when it does not fit one chunk or the write failed. */
int writer_send_now(http_server_t *srv, struct lws *wsi, response_t *r);

#endif
