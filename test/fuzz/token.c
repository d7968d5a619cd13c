/*  Fuzz harness: bearer tokens from anyone. token_verify must refuse every input not
 *  signed with our key (the fuzzer cannot forge HS256) without crashing or leaking;
 *  an accepted token would be a forgery and aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "token.h"

static const unsigned char secret[] = "fuzz-secret-0123456789abcdef0123456789abcdef";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    token_claims_t claims;
    for (int type = TOKEN_ACCESS; type <= TOKEN_REFRESH; type++)
        if (token_verify(secret, sizeof secret - 1, text, (token_type_t) type, time(NULL),
                         &claims) == 0)
            abort();
    free(text);
    return 0;
}
