/*  token.c: simplejwt-compatible JSON Web Tokens on libjwt 1.10. See token.h.
 *
 *  libjwt 1.10.2 is trusted only for the HMAC computation and the JSON parsing:
 *  jwt_decode() with a NULL or empty key accepts "alg: none" and empty-key HS256
 *  tokens, and it never looks at "exp". So token_verify refuses short keys, checks the
 *  token's shape before handing it over, pins HS256 afterwards and checks every claim
 *  it relies on itself.
 */
#include "token.h"

#include <jansson.h>
#include <jwt.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Longest token accepted for verification: ours are about 250 bytes. */
#define TOKEN_MAX_LEN 4096
/* Longest secret accepted (libjwt takes the key length as an int). */
#define TOKEN_SECRET_MAX 4096

/* The claim value for a token type. */
static const char *type_name(token_type_t type)
{
    return type == TOKEN_ACCESS ? "access" : "refresh";
}

/* True when the secret is usable: present, long enough and not absurdly long. */
static bool secret_ok(const unsigned char *secret, size_t secret_len)
{
    return secret && secret_len >= TOKEN_SECRET_MIN && secret_len <= TOKEN_SECRET_MAX;
}

/* Fills jti with TOKEN_JTI_LEN lowercase hex digits of fresh randomness. Returns 0 or -1. */
static int make_jti(char jti[TOKEN_JTI_LEN + 1])
{
    unsigned char raw[TOKEN_JTI_LEN / 2];
    if (sodium_init() < 0)
        return -1;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(jti, TOKEN_JTI_LEN + 1, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    return 0;
}

char *token_issue(const unsigned char *secret, size_t secret_len, token_type_t type,
                  int64_t user_id, int64_t lifetime, time_t now, token_claims_t *claims)
{
    jwt_t *jwt = NULL;
    char *token = NULL;
    token_claims_t made;

    if (!secret_ok(secret, secret_len) || user_id <= 0 || lifetime <= 0
        || (type != TOKEN_ACCESS && type != TOKEN_REFRESH))
        return NULL;
    memset(&made, 0, sizeof made);
    made.type = type;
    made.user_id = user_id;
    made.iat = (int64_t) now;
    if (made.iat <= 0 || made.iat > INT64_MAX - lifetime)
        return NULL;
    made.exp = made.iat + lifetime;
    if (make_jti(made.jti) != 0)
        goto cleanup;

    if (jwt_new(&jwt) != 0)
        goto cleanup;
    if (jwt_add_grant(jwt, "token_type", type_name(type)) != 0
        || jwt_add_grant_int(jwt, "exp", (long) made.exp) != 0
        || jwt_add_grant_int(jwt, "iat", (long) made.iat) != 0
        || jwt_add_grant(jwt, "jti", made.jti) != 0
        || jwt_add_grant_int(jwt, "user_id", (long) made.user_id) != 0)
        goto cleanup;
    if (jwt_set_alg(jwt, JWT_ALG_HS256, secret, (int) secret_len) != 0)
        goto cleanup;
    token = jwt_encode_str(jwt);
    if (token && claims)
        *claims = made;

cleanup:
    jwt_free(jwt);
    return token;
}

/* True for the characters of base64url without padding. */
static bool is_base64url(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
           || c == '-' || c == '_';
}

/*  Checks the compact serialization before libjwt sees it: at most TOKEN_MAX_LEN
 *  bytes, exactly three non-empty base64url segments. Returns true when well-shaped. */
static bool shape_ok(const char *token)
{
    size_t segment = 0, dots = 0, i = 0;
    for (; token[i] && i <= TOKEN_MAX_LEN; i++) {
        if (token[i] == '.') {
            if (segment == 0)
                return false;
            dots++;
            segment = 0;
        } else if (is_base64url(token[i])) {
            segment++;
        } else {
            return false;
        }
    }
    return i <= TOKEN_MAX_LEN && dots == 2 && segment > 0;
}

/* True when s is exactly TOKEN_JTI_LEN lowercase hex digits. */
static bool jti_ok(const char *s)
{
    if (!s || strlen(s) != TOKEN_JTI_LEN)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

/* Reads an integer claim into *value. Returns 0, or -1 when absent or not an integer. */
static int int_claim(const json_t *grants, const char *name, int64_t *value)
{
    const json_t *v = json_object_get(grants, name);
    if (!json_is_integer(v))
        return -1;
    *value = (int64_t) json_integer_value(v);
    return 0;
}

/* The string value of a claim, or NULL when absent or not a string. */
static const char *str_claim(const json_t *grants, const char *name)
{
    const json_t *v = json_object_get(grants, name);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int token_verify(const unsigned char *secret, size_t secret_len, const char *token,
                 token_type_t expected, time_t now, token_claims_t *claims)
{
    jwt_t *jwt = NULL;
    char *grants_text = NULL;
    json_t *grants = NULL;
    int rc = -1;
    token_claims_t got;

    if (!secret_ok(secret, secret_len) || !token || !shape_ok(token)
        || (expected != TOKEN_ACCESS && expected != TOKEN_REFRESH))
        return -1;
    memset(&got, 0, sizeof got);
    /* The key is always passed: with a key, libjwt refuses "alg: none". */
    if (jwt_decode(&jwt, token, secret, (int) secret_len) != 0 || !jwt)
        goto cleanup;
    /* Pin the algorithm: the header chooses nothing. */
    if (jwt_get_alg(jwt) != JWT_ALG_HS256)
        goto cleanup;
    const char *typ = jwt_get_header(jwt, "typ");
    if (typ && strcmp(typ, "JWT") != 0)
        goto cleanup;

    /* Claims are read back as JSON so that every type is checked strictly
     * (a string or fractional user_id is refused, not coerced). */
    grants_text = jwt_get_grants_json(jwt, NULL);
    grants = grants_text ? json_loads(grants_text, 0, NULL) : NULL;
    if (!json_is_object(grants))
        goto cleanup;
    const char *type = str_claim(grants, "token_type");
    if (!type || strcmp(type, type_name(expected)) != 0)
        goto cleanup;
    got.type = expected;
    if (int_claim(grants, "exp", &got.exp) != 0 || got.exp <= (int64_t) now)
        goto cleanup;
    if (int_claim(grants, "iat", &got.iat) != 0)
        goto cleanup;
    if (int_claim(grants, "user_id", &got.user_id) != 0 || got.user_id <= 0)
        goto cleanup;
    const char *jti = str_claim(grants, "jti");
    if (!jti_ok(jti))
        goto cleanup;
    memcpy(got.jti, jti, TOKEN_JTI_LEN + 1);
    if (claims)
        *claims = got;
    rc = 0;

cleanup:
    json_decref(grants);
    free(grants_text);
    jwt_free(jwt);
    return rc;
}
