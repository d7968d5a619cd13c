/*  page.c: page-number pagination for list methods. See page.h. */
#include "page.h"

#include <stdio.h>

#include "db_value.h"
#include "drf_messages.h"
#include "service.h"

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

proto_status_t page_invalid(msgpack_packer *out)
{
    proto_pack_detail(out, DRF_INVALID_PAGE);
    return PROTO_NOT_FOUND;
}

proto_status_t page_pack(const PGresult *res, const page_t *page, page_row_fn pack_row,
                         msgpack_packer *out)
{
    long long count = 0;
    if (PQntuples(res) < 1 || db_value_int(res, 0, 0, &count) != 0)
        return PROTO_INTERNAL;
    if (!db_value_true(res, 0, 1))
        return service_user_not_found(out);
    if (!page_exists(page, count))
        return page_invalid(out);
    int rows = PQnfields(res) < 3 || PQgetisnull(res, 0, 2) ? 0 : PQntuples(res);
    msgpack_pack_map(out, 2);
    proto_pack_kv_int(out, "count", count);
    proto_pack_str(out, "results");
    msgpack_pack_array(out, (size_t) rows);
    for (int row = 0; row < rows; row++)
        if (pack_row(out, res, row, 2) != 0)
            return PROTO_INTERNAL;
    return PROTO_OK;
}

proto_status_t page_of_caller(db_t *db, const proto_msg_t *req, const char *statement,
                              page_row_fn pack_row, msgpack_packer *out)
{
    page_t page;
    if (page_from_body(&req->body, &page) != 0)
        return page_invalid(out);
    db_value_id_t caller;
    const char *params[] = { db_value_id(&caller, (int64_t) req->user_id), page.limit,
                             page.offset };
    PGresult *res = NULL;
    db_status_t rc = db_exec(db, statement, 3, params, &res);
    if (rc != DB_OK)
        return db_value_failure(rc);
    proto_status_t status = page_pack(res, &page, pack_row, out);
    PQclear(res);
    return status;
}
