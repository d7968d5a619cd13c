/*  Unit tests for token.c: simplejwt-compatible HS256 tokens, and every libjwt 1.10
 *  hazard the module guards against (alg none, empty keys, algorithm switching,
 *  unchecked exp, loosely typed claims, oversized input). */
#include <criterion/criterion.h>
#include <jwt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "token.h"

#define SECRET "unit-test-secret-0123456789abcdef-0123456789"
#define OTHER_SECRET "another-secret-0123456789abcdef-0123456789ab"
#define NOW ((time_t) 1800000000)

static const unsigned char *key = (const unsigned char *) SECRET;
static const size_t key_len = sizeof SECRET - 1;

/* base64url without padding of len bytes, appended to out. */
static void append_b64(char *out, size_t outsize, const void *data, size_t len)
{
    char enc[16384];
    sodium_bin2base64(enc, sizeof enc, data, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    strncat(out, enc, outsize - strlen(out) - 1);
}

/*  Builds a compact JWT from header and payload JSON, signed with HMAC over
 *  hmac_key: alg 256 or 512; 0 leaves the signature empty. */
static char *craft(const char *header, const char *payload, const char *hmac_key, int alg)
{
    static char token[16384];
    unsigned char mac[64];
    size_t mac_len = 0;
    token[0] = 0;
    append_b64(token, sizeof token, header, strlen(header));
    strcat(token, ".");
    append_b64(token, sizeof token, payload, strlen(payload));
    if (alg == 256) {
        crypto_auth_hmacsha256_state st;
        crypto_auth_hmacsha256_init(&st, (const unsigned char *) hmac_key, strlen(hmac_key));
        crypto_auth_hmacsha256_update(&st, (const unsigned char *) token, strlen(token));
        crypto_auth_hmacsha256_final(&st, mac);
        mac_len = 32;
    } else if (alg == 512) {
        crypto_auth_hmacsha512_state st;
        crypto_auth_hmacsha512_init(&st, (const unsigned char *) hmac_key, strlen(hmac_key));
        crypto_auth_hmacsha512_update(&st, (const unsigned char *) token, strlen(token));
        crypto_auth_hmacsha512_final(&st, mac);
        mac_len = 64;
    }
    strcat(token, ".");
    if (mac_len)
        append_b64(token, sizeof token, mac, mac_len);
    return token;
}

/* A valid payload for user 42, type refresh or access, with exp after NOW. */
static char *payload(const char *type, const char *user_id)
{
    static char text[512];
    snprintf(text, sizeof text,
             "{\"token_type\":\"%s\",\"exp\":%lld,\"iat\":%lld,"
             "\"jti\":\"0123456789abcdef0123456789abcdef\",\"user_id\":%s}",
             type, (long long) NOW + 300, (long long) NOW, user_id);
    return text;
}

static const char *hs256_header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

/* Verifies as an access token at NOW. */
static int verify_access(const char *token)
{
    token_claims_t claims;
    return token_verify(key, key_len, token, TOKEN_ACCESS, NOW, &claims);
}

Test(token, round_trip_access)
{
    token_claims_t issued, checked;
    char *token = token_issue(key, key_len, TOKEN_ACCESS, 42, 300, NOW, &issued);
    cr_assert_not_null(token);
    cr_assert_eq(issued.user_id, 42);
    cr_assert_eq(issued.iat, (int64_t) NOW);
    cr_assert_eq(issued.exp, (int64_t) NOW + 300);
    cr_assert_eq(strlen(issued.jti), TOKEN_JTI_LEN);
    cr_assert_eq(strspn(issued.jti, "0123456789abcdef"), TOKEN_JTI_LEN);
    cr_assert_eq(token_verify(key, key_len, token, TOKEN_ACCESS, NOW, &checked), 0);
    cr_assert_eq(checked.type, TOKEN_ACCESS);
    cr_assert_eq(checked.user_id, 42);
    cr_assert_eq(checked.exp, issued.exp);
    cr_assert_eq(checked.iat, issued.iat);
    cr_assert_str_eq(checked.jti, issued.jti);
    free(token);
}

Test(token, round_trip_refresh_and_claims_as_simplejwt)
{
    token_claims_t checked;
    char *token = token_issue(key, key_len, TOKEN_REFRESH, 7, 86400, NOW, NULL);
    cr_assert_not_null(token);
    cr_assert_eq(token_verify(key, key_len, token, TOKEN_REFRESH, NOW, &checked), 0);
    cr_assert_eq(checked.type, TOKEN_REFRESH);
    cr_assert_eq(checked.user_id, 7);

    /* The payload carries exactly simplejwt's claims, user_id as an integer. */
    jwt_t *jwt = NULL;
    cr_assert_eq(jwt_decode(&jwt, token, key, (int) key_len), 0);
    cr_assert_str_eq(jwt_get_grant(jwt, "token_type"), "refresh");
    cr_assert_eq(jwt_get_grant_int(jwt, "user_id"), 7);
    cr_assert_eq(jwt_get_grant_int(jwt, "exp"), (long) NOW + 86400);
    cr_assert_eq(jwt_get_grant_int(jwt, "iat"), (long) NOW);
    cr_assert_eq(strlen(jwt_get_grant(jwt, "jti")), 32);
    cr_assert_str_eq(jwt_get_header(jwt, "typ"), "JWT");
    cr_assert_eq(jwt_get_alg(jwt), JWT_ALG_HS256);
    jwt_free(jwt);
    free(token);
}

Test(token, jti_is_fresh_each_time)
{
    token_claims_t a, b;
    char *t1 = token_issue(key, key_len, TOKEN_REFRESH, 1, 60, NOW, &a);
    char *t2 = token_issue(key, key_len, TOKEN_REFRESH, 1, 60, NOW, &b);
    cr_assert_str_neq(a.jti, b.jti);
    cr_assert_str_neq(t1, t2);
    free(t1);
    free(t2);
}

Test(token, expired)
{
    char *token = token_issue(key, key_len, TOKEN_ACCESS, 42, 300, NOW, NULL);
    token_claims_t claims;
    cr_assert_eq(token_verify(key, key_len, token, TOKEN_ACCESS, NOW + 299, &claims), 0);
    cr_assert_eq(token_verify(key, key_len, token, TOKEN_ACCESS, NOW + 300, &claims), -1);
    cr_assert_eq(token_verify(key, key_len, token, TOKEN_ACCESS, NOW + 100000, &claims), -1);
    free(token);
}

Test(token, wrong_type_both_ways)
{
    char *access = token_issue(key, key_len, TOKEN_ACCESS, 42, 300, NOW, NULL);
    char *refresh = token_issue(key, key_len, TOKEN_REFRESH, 42, 300, NOW, NULL);
    token_claims_t claims;
    cr_assert_eq(token_verify(key, key_len, access, TOKEN_REFRESH, NOW, &claims), -1);
    cr_assert_eq(token_verify(key, key_len, refresh, TOKEN_ACCESS, NOW, &claims), -1);
    /* A type that is neither. */
    cr_assert_eq(verify_access(craft(hs256_header, payload("other", "42"), SECRET, 256)), -1);
    free(access);
    free(refresh);
}

Test(token, wrong_key)
{
    char *token = token_issue(key, key_len, TOKEN_ACCESS, 42, 300, NOW, NULL);
    token_claims_t claims;
    cr_assert_eq(token_verify((const unsigned char *) OTHER_SECRET, sizeof OTHER_SECRET - 1,
                              token, TOKEN_ACCESS, NOW, &claims), -1);
    free(token);
    cr_assert_eq(verify_access(craft(hs256_header, payload("access", "42"), OTHER_SECRET, 256)),
                 -1);
}

Test(token, crafted_hs256_with_right_key_is_accepted)
{
    /* The crafting helper itself is right: the same token with our key verifies. */
    cr_assert_eq(verify_access(craft(hs256_header, payload("access", "42"), SECRET, 256)), 0);
    /* "typ" is optional, as in PyJWT. */
    cr_assert_eq(verify_access(craft("{\"alg\":\"HS256\"}", payload("access", "42"), SECRET, 256)),
                 0);
}

Test(token, short_secret_refused)
{
    const unsigned char *short_key = (const unsigned char *) "0123456789abcdef0123456789abcde";
    cr_assert_null(token_issue(short_key, 31, TOKEN_ACCESS, 42, 300, NOW, NULL));
    cr_assert_null(token_issue(NULL, 0, TOKEN_ACCESS, 42, 300, NOW, NULL));
    char *token = token_issue(key, key_len, TOKEN_ACCESS, 42, 300, NOW, NULL);
    token_claims_t claims;
    cr_assert_eq(token_verify(short_key, 31, token, TOKEN_ACCESS, NOW, &claims), -1);
    cr_assert_eq(token_verify(NULL, 0, token, TOKEN_ACCESS, NOW, &claims), -1);
    cr_assert_eq(token_verify((const unsigned char *) "", 0, token, TOKEN_ACCESS, NOW, &claims),
                 -1);
    free(token);
}

Test(token, issue_refuses_bad_arguments)
{
    cr_assert_null(token_issue(key, key_len, TOKEN_ACCESS, 0, 300, NOW, NULL));
    cr_assert_null(token_issue(key, key_len, TOKEN_ACCESS, -5, 300, NOW, NULL));
    cr_assert_null(token_issue(key, key_len, TOKEN_ACCESS, 42, 0, NOW, NULL));
    cr_assert_null(token_issue(key, key_len, TOKEN_ACCESS, 42, INT64_MAX, NOW, NULL));
}

Test(token, alg_none_rejected)
{
    const char *none = "{\"alg\":\"none\",\"typ\":\"JWT\"}";
    /* Empty signature, as RFC 7519 unsecured JWTs are written. */
    cr_assert_eq(verify_access(craft(none, payload("access", "42"), NULL, 0)), -1);
    /* With a signature that is valid for HS256, in case anything fell back to it. */
    cr_assert_eq(verify_access(craft(none, payload("access", "42"), SECRET, 256)), -1);
    cr_assert_eq(verify_access(craft("{\"alg\":\"None\"}", payload("access", "42"), SECRET, 256)),
                 -1);
    /* Two segments only. */
    char two[1024] = "";
    append_b64(two, sizeof two, none, strlen(none));
    strcat(two, ".");
    const char *p = payload("access", "42");
    append_b64(two, sizeof two, p, strlen(p));
    cr_assert_eq(verify_access(two), -1);
}

Test(token, hs256_signed_with_empty_key_rejected)
{
    cr_assert_eq(verify_access(craft(hs256_header, payload("access", "42"), "", 256)), -1);
}

Test(token, other_hmac_algorithms_rejected_even_with_right_key)
{
    /* HS512 crafted by hand with our key. */
    cr_assert_eq(verify_access(craft("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", payload("access", "42"),
                                     SECRET, 512)),
                 -1);
    /* HS384 and HS512 made by libjwt itself with our key. */
    jwt_alg_t algs[] = { JWT_ALG_HS384, JWT_ALG_HS512 };
    for (size_t i = 0; i < 2; i++) {
        jwt_t *jwt = NULL;
        cr_assert_eq(jwt_new(&jwt), 0);
        jwt_add_grant(jwt, "token_type", "access");
        jwt_add_grant_int(jwt, "exp", (long) NOW + 300);
        jwt_add_grant_int(jwt, "iat", (long) NOW);
        jwt_add_grant(jwt, "jti", "0123456789abcdef0123456789abcdef");
        jwt_add_grant_int(jwt, "user_id", 42);
        cr_assert_eq(jwt_set_alg(jwt, algs[i], key, (int) key_len), 0);
        char *token = jwt_encode_str(jwt);
        cr_assert_not_null(token);
        /* libjwt itself accepts it... */
        jwt_t *decoded = NULL;
        cr_assert_eq(jwt_decode(&decoded, token, key, (int) key_len), 0);
        jwt_free(decoded);
        /* ...but only HS256 is ours. */
        cr_assert_eq(verify_access(token), -1);
        free(token);
        jwt_free(jwt);
    }
}

Test(token, header_typ_must_be_jwt)
{
    cr_assert_eq(verify_access(craft("{\"alg\":\"HS256\",\"typ\":\"JWS\"}", payload("access", "42"),
                                     SECRET, 256)),
                 -1);
    cr_assert_eq(verify_access(craft("{\"alg\":\"HS256\",\"typ\":\"jwt\"}", payload("access", "42"),
                                     SECRET, 256)),
                 -1);
}

Test(token, tampered_payload_and_signature)
{
    char *token = token_issue(key, key_len, TOKEN_ACCESS, 42, 300, NOW, NULL);
    char *copy = strdup(token);
    char *first_dot = strchr(copy, '.');
    /* Change one payload character. */
    first_dot[5] = first_dot[5] == 'A' ? 'B' : 'A';
    cr_assert_eq(verify_access(copy), -1);
    /* Change the signature's first character. */
    strcpy(copy, token);
    char *sig = strrchr(copy, '.') + 1;
    sig[0] = sig[0] == 'A' ? 'B' : 'A';
    cr_assert_eq(verify_access(copy), -1);
    /* Drop the signature's last character; append one. */
    strcpy(copy, token);
    copy[strlen(copy) - 1] = 0;
    cr_assert_eq(verify_access(copy), -1);
    char *longer = malloc(strlen(token) + 2);
    sprintf(longer, "%sA", token);
    cr_assert_eq(verify_access(longer), -1);
    /* Another user's payload under our signature. */
    strcpy(copy, token);
    char forged[2048] = "";
    append_b64(forged, sizeof forged, hs256_header, strlen(hs256_header));
    strcat(forged, ".");
    const char *p = payload("access", "1");
    append_b64(forged, sizeof forged, p, strlen(p));
    strcat(forged, strrchr(copy, '.'));
    cr_assert_eq(verify_access(forged), -1);
    free(longer);
    free(copy);
    free(token);
}

Test(token, garbage_inputs)
{
    const char *inputs[] = {
        "", ".", "..", "...", "a.b", "a.b.c", "a..c", ".b.c", "a.b.", "not a token",
        "eyJhbGciOiJIUzI1NiJ9.e30.", "eyJ.eyJ.eyJ", "a.b.c.d", "Bearer x.y.z",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.%%%.abc", "\xff\xfe.\x01.\x02",
        "e30.e30.e30", "bnVsbA.bnVsbA.bnVsbA", "WzFd.WzFd.WzFd",
    };
    token_claims_t claims;
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        cr_assert_eq(token_verify(key, key_len, inputs[i], TOKEN_ACCESS, NOW, &claims), -1,
                     "input %zu accepted", i);
        cr_assert_eq(token_verify(key, key_len, inputs[i], TOKEN_REFRESH, NOW, &claims), -1);
    }
    cr_assert_eq(token_verify(key, key_len, NULL, TOKEN_ACCESS, NOW, &claims), -1);
}

Test(token, huge_inputs)
{
    token_claims_t claims;
    size_t size = 1 << 20;
    char *big = malloc(size + 1);
    memset(big, 'a', size);
    big[size] = 0;
    big[1000] = '.';
    big[2000] = '.';
    cr_assert_eq(token_verify(key, key_len, big, TOKEN_ACCESS, NOW, &claims), -1);
    /* A valid token padded past the limit with a huge claim. */
    char *claim = malloc(5000);
    memset(claim, 'x', 4999);
    claim[4999] = 0;
    char *text = malloc(6000);
    snprintf(text, 6000,
             "{\"token_type\":\"access\",\"exp\":%lld,\"iat\":%lld,"
             "\"jti\":\"0123456789abcdef0123456789abcdef\",\"user_id\":42,\"pad\":\"%s\"}",
             (long long) NOW + 300, (long long) NOW, claim);
    cr_assert_eq(verify_access(craft(hs256_header, text, SECRET, 256)), -1);
    free(text);
    free(claim);
    free(big);
}

Test(token, user_id_must_be_a_positive_integer)
{
    const char *bad[] = { "\"42\"", "-1", "0", "42.0", "4.2e1", "true", "null", "[42]",
                          "{\"id\":42}", "99999999999999999999" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(verify_access(craft(hs256_header, payload("access", bad[i]), SECRET, 256)),
                     -1, "user_id %s accepted", bad[i]);
    cr_assert_eq(verify_access(craft(hs256_header, payload("access", "9007199254740993"), SECRET,
                                     256)),
                 0);
}

Test(token, missing_or_malformed_claims)
{
    char text[512];
    const char *jti_ok = "0123456789abcdef0123456789abcdef";
    long long exp = (long long) NOW + 300, iat = (long long) NOW;
    /* No user_id. */
    snprintf(text, sizeof text,
             "{\"token_type\":\"access\",\"exp\":%lld,\"iat\":%lld,\"jti\":\"%s\"}", exp, iat, jti_ok);
    cr_assert_eq(verify_access(craft(hs256_header, text, SECRET, 256)), -1);
    /* No exp; exp as a string. */
    snprintf(text, sizeof text,
             "{\"token_type\":\"access\",\"iat\":%lld,\"jti\":\"%s\",\"user_id\":42}", iat, jti_ok);
    cr_assert_eq(verify_access(craft(hs256_header, text, SECRET, 256)), -1);
    snprintf(text, sizeof text,
             "{\"token_type\":\"access\",\"exp\":\"%lld\",\"iat\":%lld,\"jti\":\"%s\",\"user_id\":42}",
             exp, iat, jti_ok);
    cr_assert_eq(verify_access(craft(hs256_header, text, SECRET, 256)), -1);
    /* No token_type. */
    snprintf(text, sizeof text, "{\"exp\":%lld,\"iat\":%lld,\"jti\":\"%s\",\"user_id\":42}", exp,
             iat, jti_ok);
    cr_assert_eq(verify_access(craft(hs256_header, text, SECRET, 256)), -1);
    /* Bad jti: missing, upper case, short, not hex, a number. */
    const char *jtis[] = { NULL, "\"0123456789ABCDEF0123456789ABCDEF\"", "\"0123\"",
                           "\"0123456789abcdef0123456789abcdeg\"", "12345" };
    for (size_t i = 0; i < sizeof jtis / sizeof jtis[0]; i++) {
        if (jtis[i])
            snprintf(text, sizeof text,
                     "{\"token_type\":\"access\",\"exp\":%lld,\"iat\":%lld,\"jti\":%s,\"user_id\":42}",
                     exp, iat, jtis[i]);
        else
            snprintf(text, sizeof text,
                     "{\"token_type\":\"access\",\"exp\":%lld,\"iat\":%lld,\"user_id\":42}", exp, iat);
        cr_assert_eq(verify_access(craft(hs256_header, text, SECRET, 256)), -1, "jti %zu", i);
    }
    /* Payload that is not an object. */
    cr_assert_eq(verify_access(craft(hs256_header, "[1,2,3]", SECRET, 256)), -1);
    cr_assert_eq(verify_access(craft(hs256_header, "not json", SECRET, 256)), -1);
    /* Header that is not an object / has no alg. */
    cr_assert_eq(verify_access(craft("[]", payload("access", "42"), SECRET, 256)), -1);
    cr_assert_eq(verify_access(craft("{}", payload("access", "42"), SECRET, 256)), -1);
}
