/*  Unit tests for field_errors.c: DRF-style validation errors, collected and packed
 *  as {"field": ["message", ...]} in the order fields were first reported. */
#include <criterion/criterion.h>
#include <string.h>

#include "field_errors.h"
#include "testdata.h"

Test(field_errors, starts_empty)
{
    field_errors_t errors;
    field_errors_init(&errors);
    cr_expect_eq(errors.count, 0);
    cr_expect_not(field_errors_any(&errors));
    cr_expect_not(field_errors_has(&errors, "email"));
    testdata_expect_errors(&errors, "{}", "empty");
}

Test(field_errors, add_formats_and_remembers_fields)
{
    field_errors_t errors;
    field_errors_init(&errors);
    field_errors_add(&errors, "username", "Ensure this field has no more than %d characters.",
                     150);
    cr_expect(field_errors_any(&errors));
    cr_expect(field_errors_has(&errors, "username"));
    cr_expect_not(field_errors_has(&errors, "user"));
    cr_expect_str_eq(errors.items[0].field, "username");
    cr_expect_str_eq(errors.items[0].message,
                     "Ensure this field has no more than 150 characters.");
}

Test(field_errors, messages_grouped_by_field_in_order)
{
    field_errors_t errors;
    field_errors_init(&errors);
    field_errors_add(&errors, "password", "too short");
    field_errors_add(&errors, "email", "invalid");
    field_errors_add(&errors, "password", "numeric");
    testdata_expect_errors(&errors,
                           "{\"password\": [\"too short\", \"numeric\"], \"email\": [\"invalid\"]}",
                           "grouped");
    /* The map's keys come in the order the fields were first reported. */
    msgpack_sbuffer buf;
    msgpack_packer pk;
    msgpack_sbuffer_init(&buf);
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    field_errors_pack(&errors, &pk);
    msgpack_unpacked un;
    msgpack_unpacked_init(&un);
    cr_assert_eq(msgpack_unpack_next(&un, buf.data, buf.size, NULL), MSGPACK_UNPACK_SUCCESS);
    cr_assert_eq(un.data.type, MSGPACK_OBJECT_MAP);
    cr_assert_eq(un.data.via.map.size, 2);
    const msgpack_object_str *first = &un.data.via.map.ptr[0].key.via.str;
    cr_expect(first->size == 8 && memcmp(first->ptr, "password", 8) == 0);
    cr_expect_eq(un.data.via.map.ptr[0].val.via.array.size, 2);
    msgpack_unpacked_destroy(&un);
    msgpack_sbuffer_destroy(&buf);
}

Test(field_errors, at_most_max_entries)
{
    field_errors_t errors;
    field_errors_init(&errors);
    for (int i = 0; i < FIELD_ERRORS_MAX + 5; i++)
        field_errors_add(&errors, "f", "message %d", i);
    cr_expect_eq(errors.count, FIELD_ERRORS_MAX);
    cr_expect_str_eq(errors.items[FIELD_ERRORS_MAX - 1].message, "message 15");
}

Test(field_errors, long_texts_are_cut_to_fit)
{
    field_errors_t errors;
    field_errors_init(&errors);
    char field[100], message[400];
    memset(field, 'f', sizeof field - 1);
    field[sizeof field - 1] = 0;
    memset(message, 'm', sizeof message - 1);
    message[sizeof message - 1] = 0;
    field_errors_add(&errors, field, "%s", message);
    cr_expect_eq(strlen(errors.items[0].field), sizeof errors.items[0].field - 1);
    cr_expect_eq(strlen(errors.items[0].message), sizeof errors.items[0].message - 1);
}

Test(field_errors, init_empties_again)
{
    field_errors_t errors;
    field_errors_init(&errors);
    field_errors_add(&errors, "a", "b");
    field_errors_init(&errors);
    cr_expect_not(field_errors_any(&errors));
}
