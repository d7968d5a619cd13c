/*  docs.h: the documentation the gateway serves itself.
 *
 *  The OpenAPI document is compiled in (gateway/openapi.json, embedded by CMake).
 *  The ReDoc page is a fixed HTML page that loads the ReDoc bundle from
 *  /api/redoc/redoc.standalone.js and points it at /api/schema/. The bundle is read
 *  once at start from the file named by REDOC_JS and kept in memory; when the file
 *  is missing the bundle route answers 404.
 */
#ifndef DOCS_H_INCLUDED
#define DOCS_H_INCLUDED

#include <stddef.h>

/* Defined by the file CMake generates from gateway/openapi.json (NUL-terminated). */
extern const unsigned char openapi_json[];
extern const size_t openapi_json_len;

#define DOCS_HTML "text/html; charset=utf-8"
#define DOCS_JAVASCRIPT "application/javascript; charset=utf-8"
/* Largest bundle accepted (ReDoc's is about 1 MB). */
#define DOCS_BUNDLE_MAX (16 * 1024 * 1024)

typedef struct docs docs_t;

/* Loads the ReDoc bundle from `bundle_path` (a missing or unreadable file is logged
 * and leaves the bundle absent). Returns NULL only when out of memory. */
docs_t *docs_new(const char *bundle_path);
/* Frees the bundle; sets *self_p to NULL; safe on NULL. */
void docs_destroy(docs_t **self_p);
/* The OpenAPI document. */
const char *docs_schema(size_t *len);
/* The ReDoc HTML page. */
const char *docs_redoc_page(size_t *len);
/* The ReDoc bundle, or NULL when it could not be read at start. */
const char *docs_redoc_bundle(const docs_t *self, size_t *len);

#endif
