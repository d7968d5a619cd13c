/*  head.h: one HTTP/1.1 request head (request line and header block), checked and
 *  parsed.
 *
 *  Pure and fuzzed (test/fuzz/head.c): no socket, no allocation. A head is parsed
 *  only once it has arrived whole (head_length() finds its end), in two passes over
 *  the same bytes:
 *    1. a strict check of our own, because the API's promises are stricter than any
 *       parser's defaults: every header name is a token followed at once by ':'
 *       (whitespace before the colon is a 400, RFC 9112 section 5.1, which is what
 *       stops "Transfer-Encoding : chunked" smuggling), no obs-fold (a line that
 *       starts with SP or HT), no control character but HT in a value, a bare CR
 *       nowhere; a NUL byte anywhere, or "%00" in the target, is HEAD_NUL;
 *    2. libhttp-parser (the parser Node.js used for a decade) for the request line,
 *       the method, the version, Content-Length (digits only, one value) and
 *       Transfer-Encoding, and whether the connection persists.
 *  Every span in head_t points into the bytes given to head_parse().
 */
#ifndef HEAD_H_INCLUDED
#define HEAD_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest request head accepted (request line, headers and the blank line): 431
 * above. Common servers use the same limit. */
#define HEAD_MAX 8192
/* Most header fields kept per request: 431 above. */
#define HEAD_MAX_FIELDS 64

/* One header field as it arrived (name without its colon, value trimmed of
 * surrounding SP and HT). */
typedef struct {
    const char *name;          /* field name (a token) */
    size_t name_len;           /* its length */
    const char *value;         /* field value */
    size_t value_len;          /* its length */
} head_field_t;

/* A parsed request head. */
typedef struct {
    const char *method;        /* method name (a static string of libhttp-parser) */
    const char *target;        /* request target as sent */
    size_t target_len;         /* its length */
    unsigned short major;      /* HTTP version, major */
    unsigned short minor;      /* HTTP version, minor */
    bool has_length;           /* a Content-Length header was given */
    uint64_t length;           /* its value */
    bool chunked;              /* Transfer-Encoding: chunked */
    bool keep_alive;           /* the connection persists after this request */
    head_field_t fields[HEAD_MAX_FIELDS]; /* the header fields in order */
    size_t count;              /* fields used */
} head_t;

/* What head_parse() found. */
typedef enum {
    HEAD_OK = 0,               /* *head is filled in */
    HEAD_BAD,                  /* malformed: 400 */
    HEAD_NUL,                  /* a NUL byte, or "%00" in the target: 400 */
    HEAD_BAD_LENGTH,           /* Content-Length invalid, repeated or with chunked: 400 */
    HEAD_TOO_LARGE,            /* more than HEAD_MAX_FIELDS fields: 431 */
} head_status_t;

/* Number of empty lines' bytes (CR, LF) at the start of buf, which precede a
 * request line and are ignored (RFC 9112 section 2.2). */
size_t head_skip_empty(const char *buf, size_t len);
/* Length of the head at the start of buf up to and including the empty line that
 * ends it (CRLF CRLF, or bare LFs), or 0 when it has not all arrived. buf must not
 * start with an empty line (see head_skip_empty). */
size_t head_length(const char *buf, size_t len);
/* Checks and parses the complete head buf[0..len) (as measured by head_length())
 * into *head. Returns HEAD_OK or why it is refused. */
head_status_t head_parse(const char *buf, size_t len, head_t *head);
/* The value of the last field called name (any case), or NULL; *len gets its
 * length. */
const char *head_field(const head_t *head, const char *name, size_t *len);
/* True when the comma-separated field `name` lists `token` (any case), as
 * "Connection: keep-alive, Upgrade" lists "upgrade". */
bool head_lists(const head_t *head, const char *name, const char *token);

#endif
