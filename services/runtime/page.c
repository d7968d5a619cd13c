/*  page.c: page-number pagination for list methods. See page.h. */
#include "page.h"

#include <stdio.h>

#include "drf_messages.h"
#include "proto.h"

int page_from_body(const msgpack_object *body, page_t *page)
{
    int64_t number = 1, size = PAGE_SIZE_DEFAULT;
    proto_field_t rc = proto_get_int(body, "page", &number);
    if (rc == PROTO_FIELD_WRONG_TYPE || (rc == PROTO_FIELD_OK && number < 1))
        return -1;
    rc = proto_get_int(body, "page_size", &size);
    if (rc == PROTO_FIELD_WRONG_TYPE || (rc == PROTO_FIELD_OK && (size < 1 || size > PAGE_SIZE_MAX)))
        return -1;
    /* Keep the offset within int64 whatever page number arrives. */
    if (number > INT64_MAX / PAGE_SIZE_MAX)
        return -1;
    page->page = number;
    page->size = size;
    snprintf(page->limit, sizeof page->limit, "%lld", (long long) size);
    snprintf(page->offset, sizeof page->offset, "%lld", (long long) ((number - 1) * size));
    return 0;
}

bool page_exists(const page_t *page, int64_t count)
{
    return page->page == 1 || (page->page - 1) * page->size < count;
}

int page_invalid(msgpack_packer *out)
{
    proto_pack_detail(out, DRF_INVALID_PAGE);
    return PROTO_NOT_FOUND;
}
