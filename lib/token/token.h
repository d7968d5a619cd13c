/*  token.h: simplejwt-compatible JSON Web Tokens (RFC 7519), HS256 only.
 *
 *  Claims: token_type ("access" | "refresh"), exp, iat, jti (32 hex digits), user_id.
 *  Verification never trusts the token's header: libjwt 1.10 accepts "alg: none" and
 *  never checks "exp", so token_verify pins HS256, checks the signature with the
 *  configured key, and checks exp, token_type and user_id itself.
 */
#ifndef TOKEN_H_INCLUDED
#define TOKEN_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TOKEN_SECRET_MIN 32
#define TOKEN_JTI_LEN 32

typedef enum { TOKEN_ACCESS, TOKEN_REFRESH } token_type_t;

typedef struct {
    token_type_t type;               /* which kind the token claims to be */
    int64_t user_id;                 /* user_id claim, > 0 */
    int64_t iat;                     /* issued at (seconds since the epoch) */
    int64_t exp;                     /* expires at (seconds since the epoch) */
    char jti[TOKEN_JTI_LEN + 1];     /* unique id, 32 lowercase hex digits */
} token_claims_t;

/*  Issues a token of `type` for user_id valid for lifetime seconds from `now`, with a
 *  fresh random jti. Returns a malloc'ed string (caller frees) and fills *claims when
 *  not NULL; NULL on failure. The secret must be at least TOKEN_SECRET_MIN bytes. */
char *token_issue(const unsigned char *secret, size_t secret_len, token_type_t type,
                  int64_t user_id, int64_t lifetime, time_t now, token_claims_t *claims);

/*  Verifies `token` as a token of `expected` type at time `now`. Returns 0 and fills
 *  *claims, or -1 when it is malformed, not HS256, badly signed, expired, of the other
 *  type or without a valid user_id/jti. */
int token_verify(const unsigned char *secret, size_t secret_len, const char *token,
                 token_type_t expected, time_t now, token_claims_t *claims);

/*  The JWT signing secret, from JWT_SECRET or the file named by JWT_SECRET_FILE
 *  (trailing newlines dropped), in every environment: no secret is built into the
 *  code. A missing secret, both variables at once, one shorter than TOKEN_SECRET_MIN
 *  bytes or one that does not fit bufsize - 1 bytes is refused. Copies it into buf
 *  (NUL-terminated); returns its length, or -1 (logged). */
int token_secret_load(char *buf, size_t bufsize);

#endif
