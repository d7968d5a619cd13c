# Turns a file into a C source defining `const unsigned char SYMBOL[]` and `SYMBOL_len`.
file(READ ${INPUT} content HEX)
string(LENGTH "${content}" hex_len)
math(EXPR byte_len "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE ${OUTPUT} "#include <stddef.h>\nconst unsigned char ${SYMBOL}[] = {${bytes}0x00};\nconst size_t ${SYMBOL}_len = ${byte_len};\n")
