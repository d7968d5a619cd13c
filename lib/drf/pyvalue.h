/*  pyvalue.h: a request value as Python sees the JSON value it came from.
 *
 *  DRF's messages and CharField's number-to-text conversion are Python's own words:
 *  type(x).__name__ in "Expected a dictionary, but got list.", and repr() / str() of a
 *  float ("1.5", "100.0", "1e+16") when a number is read as text. A msgpack value
 *  carries the same information as the JSON value the gateway decoded, so both can be
 *  reproduced exactly.
 */
#ifndef PYVALUE_H_INCLUDED
#define PYVALUE_H_INCLUDED

#include <msgpack.h>
#include <stddef.h>

/* Room for any pyvalue_float_repr text, NUL included ("-1.2345678901234567e-308"). */
#define PYVALUE_FLOAT_MAX 32

/*  Python's type(x).__name__ for a msgpack value: "str", "int", "float", "bool",
 *  "list", "dict", "NoneType", or "bytes" for anything JSON cannot hold. */
const char *pyvalue_type_name(const msgpack_object *value);

/*  Writes Python's repr() of a double (the same as its str()) into out, NUL-terminated:
 *  the shortest digits that read back as the same double, positional between 1e-4 and
 *  1e16 ("0.0001", "100.0", "1000000000000000.0"), an exponent outside ("1e-05",
 *  "1e+16", "1.2345678901234568e+16"), and "nan", "inf", "-inf". Returns the length,
 *  or -1 (out holding "" when outsize > 0) when out is smaller than the text needs;
 *  PYVALUE_FLOAT_MAX bytes are always enough. */
int pyvalue_float_repr(double value, char *out, size_t outsize);

#endif
