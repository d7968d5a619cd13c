/*  pagination.c: DRF page-number pagination rules. See pagination.h. */
#include "pagination.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textbuf.h"
#include "url.h"

/* The ASCII characters Python's str.strip() removes. */
static bool is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
}

int pagination_parse_int(const char *text, int64_t *value, int *range)
{
    size_t start = 0, end = strlen(text);
    while (start < end && is_space(text[start]))
        start++;
    while (end > start && is_space(text[end - 1]))
        end--;
    bool negative = false;
    if (start < end && (text[start] == '+' || text[start] == '-'))
        negative = text[start++] == '-';
    if (start == end)
        return -1;
    /* Magnitude up to INT64_MAX + 1 (the most negative value); beyond that, saturate. */
    const uint64_t limit = (uint64_t) INT64_MAX + 1;
    uint64_t magnitude = 0;
    bool saturated = false, previous_digit = false;
    for (size_t i = start; i < end; i++) {
        char c = text[i];
        if (c == '_') {
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
    if (negative) {
        *range = saturated ? -1 : 0;
        *value = saturated || magnitude == limit ? INT64_MIN : -(int64_t) magnitude;
    } else {
        *range = saturated || magnitude == limit ? 1 : 0;
        *value = *range ? INT64_MAX : (int64_t) magnitude;
    }
    return 0;
}

int pagination_parse(const query_t *query, page_request_t *request)
{
    int64_t value;
    int range;
    request->size = PAGINATION_DEFAULT_SIZE;
    const char *size = query_get(query, "page_size");
    if (size && pagination_parse_int(size, &value, &range) == 0 && value > 0)
        request->size = range > 0 || value > PAGINATION_MAX_SIZE ? PAGINATION_MAX_SIZE : value;
    request->page = 1;
    /* DRF: `request.query_params.get("page") or 1`, so an empty value is page 1. */
    const char *page = query_get(query, "page");
    if (page && *page) {
        if (pagination_parse_int(page, &value, &range) != 0 || range != 0 || value < 1)
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
