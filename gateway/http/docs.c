/*  docs.c: schema, ReDoc page and bundle. See docs.h. */
#include "docs.h"

#include <stdio.h>
#include <stdlib.h>

#include "log.h"

struct docs {
    char *bundle;            /* the ReDoc bundle, NULL when absent */
    size_t bundle_len;       /* its size */
};

static const char redoc_page[] =
    "<!DOCTYPE html>\n"
    "<html>\n"
    "<head>\n"
    "<title>API documentation</title>\n"
    "<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<style>body { margin: 0; padding: 0; }</style>\n"
    "</head>\n"
    "<body>\n"
    "<redoc spec-url=\"/api/schema/\"></redoc>\n"
    "<script src=\"/api/redoc/redoc.standalone.js\"></script>\n"
    "</body>\n"
    "</html>\n";

/* Reads a whole file of at most DOCS_BUNDLE_MAX bytes. Returns 0 or -1. */
static int read_file(const char *path, char **data, size_t *len)
{
    FILE *file = fopen(path, "rb");
    if (!file)
        return -1;
    char *buf = NULL;
    size_t used = 0, cap = 0;
    int rc = -1;
    for (;;) {
        if (used == cap) {
            if (cap >= DOCS_BUNDLE_MAX)
                goto cleanup;
            cap = cap ? cap * 2 : 256 * 1024;
            char *grown = realloc(buf, cap);
            if (!grown)
                goto cleanup;
            buf = grown;
        }
        size_t n = fread(buf + used, 1, cap - used, file);
        used += n;
        if (n == 0) {
            if (ferror(file))
                goto cleanup;
            break;
        }
    }
    *data = buf;
    *len = used;
    buf = NULL;
    rc = 0;
cleanup:
    free(buf);
    fclose(file);
    return rc;
}

docs_t *docs_new(const char *bundle_path)
{
    docs_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    if (!bundle_path || read_file(bundle_path, &self->bundle, &self->bundle_len) != 0) {
        log_warn("ReDoc bundle not found (REDOC_JS): /api/redoc/ will not render");
        self->bundle = NULL;
        self->bundle_len = 0;
    }
    return self;
}

void docs_destroy(docs_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free((*self_p)->bundle);
    free(*self_p);
    *self_p = NULL;
}

const char *docs_schema(size_t *len)
{
    *len = openapi_json_len;
    return (const char *) openapi_json;
}

const char *docs_redoc_page(size_t *len)
{
    *len = sizeof redoc_page - 1;
    return redoc_page;
}

const char *docs_redoc_bundle(const docs_t *self, size_t *len)
{
    *len = self->bundle_len;
    return self->bundle;
}
