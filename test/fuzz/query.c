/*  Fuzz harness: the query string of a request, as the gateway reads and re-encodes
 *  it for pagination links. Every stored name and value must be NUL-free valid UTF-8,
 *  and re-encoding must succeed; violations abort(). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    query_t *query = query_new();
    if (!query)
        return 0;
    if (query_parse(query, (const char *) data, size) == QUERY_OK) {
        for (size_t i = 0; i < query->count; i++) {
            const query_pair_t *pair = &query->pairs[i];
            if (!utf8_valid(pair->name, strlen(pair->name))
                || !utf8_valid(pair->value, strlen(pair->value)))
                abort();
        }
        char *link = query_encode(query, "page", "2");
        if (!link)
            abort();
        free(link);
        link = query_encode(query, "page", NULL);
        free(link);
        if (query->count > 0)
            (void) query_get(query, query->pairs[0].name);
    }
    query_destroy(&query);
    return 0;
}
