/*  Unit tests for pyvalue.c: Python's repr() of floats and type names of values, as
 *  DRF puts them in text and messages. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "pyvalue.h"

Test(pyvalue, python_float_text)
{
    const struct {
        double value;
        const char *text;
    } cases[] = {
        { 1.5, "1.5" }, { 100.0, "100.0" }, { 1e16, "1e+16" }, { 1e15, "1000000000000000.0" },
        { 0.0001, "0.0001" }, { 0.00001, "1e-05" }, { -0.0, "-0.0" }, { 0.1, "0.1" },
        { 1.0 / 3, "0.3333333333333333" }, { 5e-324, "5e-324" }, { 1e22, "1e+22" },
        { -2.5, "-2.5" }, { 1.7976931348623157e308, "1.7976931348623157e+308" },
    };
    char out[40];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pyvalue_float_repr(cases[i].value, out, sizeof out);
        cr_expect_str_eq(out, cases[i].text);
    }
}

Test(pyvalue, python_float_text_edges)
{
    /* Values of 1e16 and more are always written with an exponent, even when all 17
     * digits are needed; integral values below it keep every digit and ".0". */
    const struct {
        double value;
        const char *text;
    } cases[] = {
        { 12345678901234568.0, "1.2345678901234568e+16" },
        { -12345678901234568.0, "-1.2345678901234568e+16" },
        { 9007199254740992.0, "9007199254740992.0" }, { 5.0, "5.0" }, { 0.0, "0.0" },
        { 123456.789, "123456.789" }, { 1.5e-7, "1.5e-07" }, { 0.00012, "0.00012" },
        { 1e100, "1e+100" }, { -1.2345678901234567e-308, "-1.2345678901234567e-308" },
        { NAN, "nan" }, { INFINITY, "inf" }, { -INFINITY, "-inf" },
    };
    char out[PYVALUE_FLOAT_MAX];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int n = pyvalue_float_repr(cases[i].value, out, sizeof out);
        cr_expect_str_eq(out, cases[i].text);
        cr_expect_eq(n, (int) strlen(cases[i].text));
    }
}

Test(pyvalue, float_text_that_does_not_fit)
{
    char out[4];
    cr_assert_eq(pyvalue_float_repr(1.5, out, sizeof out), 3);
    cr_assert_str_eq(out, "1.5");
    cr_assert_eq(pyvalue_float_repr(100.0, out, sizeof out), -1);
    cr_assert_str_eq(out, "");
    cr_assert_eq(pyvalue_float_repr(1.0, out, 0), -1);
}

Test(pyvalue, type_names)
{
    msgpack_object value;
    memset(&value, 0, sizeof value);
    const struct {
        msgpack_object_type type;
        const char *name;
    } cases[] = {
        { MSGPACK_OBJECT_NIL, "NoneType" }, { MSGPACK_OBJECT_BOOLEAN, "bool" },
        { MSGPACK_OBJECT_POSITIVE_INTEGER, "int" }, { MSGPACK_OBJECT_NEGATIVE_INTEGER, "int" },
        { MSGPACK_OBJECT_FLOAT32, "float" }, { MSGPACK_OBJECT_FLOAT64, "float" },
        { MSGPACK_OBJECT_STR, "str" }, { MSGPACK_OBJECT_ARRAY, "list" },
        { MSGPACK_OBJECT_MAP, "dict" }, { MSGPACK_OBJECT_BIN, "bytes" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        value.type = cases[i].type;
        cr_expect_str_eq(pyvalue_type_name(&value), cases[i].name);
    }
}
