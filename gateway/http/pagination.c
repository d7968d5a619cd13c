/*  pagination.c: DRF page-number pagination rules. See pagination.h. */
#include "pagination.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyint.h"
#include "textbuf.h"
#include "url.h"

int pagination_parse(const query_t *query, page_request_t *request)
{
    int64_t value;
    int range;
    request->size = PAGINATION_DEFAULT_SIZE;
    const char *size = query_get(query, "page_size");
    if (size && pyint_parse(size, strlen(size), &value, &range) == 0 && value > 0)
        request->size = range > 0 || value > PAGINATION_MAX_SIZE ? PAGINATION_MAX_SIZE : value;
    request->page = 1;
    /* DRF: `request.query_params.get("page") or 1`, so an empty value is page 1. */
    const char *page = query_get(query, "page");
    if (page && *page) {
        if (pyint_parse(page, strlen(page), &value, &range) != 0 || range != 0 || value < 1)
            return -1;
        request->page = value;
    }
    return 0;
}

bool pagination_has_next(const page_request_t *request, int64_t count)
{
    /* Django's Paginator: num_pages = ceil(max(1, count) / size). */
    int64_t rows = count < 1 ? 1 : count;
    int64_t pages = rows / request->size + (rows % request->size != 0);
    return request->page < pages;
}

char *pagination_link(const char *host, const char *path, const query_t *query,
                      int64_t number)
{
    char page[24];
    snprintf(page, sizeof page, "%lld", (long long) number);
    char *encoded = query_encode(query, "page", number == 1 ? NULL : page);
    if (!encoded)
        return NULL;
    textbuf_t link;
    textbuf_init(&link);
    textbuf_puts(&link, "http://");
    textbuf_puts(&link, host);
    url_quote_path(&link, path, strlen(path));
    if (*encoded) {
        textbuf_putc(&link, '?');
        textbuf_puts(&link, encoded);
    }
    free(encoded);
    return textbuf_take(&link, NULL);
}
