/*  password.h: Argon2id password hashes in the format Django's Argon2PasswordHasher
 *  reads and writes: "argon2" followed by the PHC string libsodium makes, e.g.
 *      argon2$argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash>
 *
 *  A hasher also holds a dummy hash made with the same parameters at start, so that a
 *  login for an unknown user costs one verification like any other (no timing oracle).
 */
#ifndef PASSWORD_H_INCLUDED
#define PASSWORD_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

/* Room for a stored hash: "argon2" + crypto_pwhash_STRBYTES (128, NUL included). */
#define PASSWORD_HASH_MAX 160
/* Django's algorithm prefix in front of libsodium's string. */
#define PASSWORD_PREFIX "argon2"

typedef struct password_hasher password_hasher_t;

/*  A hasher with Argon2id opslimit (passes) and memlimit (bytes). Initializes
 *  libsodium and makes the dummy hash. Returns NULL when the parameters are outside
 *  libsodium's limits or memory is short (logged). */
password_hasher_t *password_hasher_new(unsigned long long opslimit, size_t memlimit);
/*  A hasher configured from PASSWORD_HASH_OPSLIMIT (default
 *  crypto_pwhash_OPSLIMIT_INTERACTIVE) and PASSWORD_HASH_MEMLIMIT_KIB (default 65536).
 *  Returns NULL on a bad value (logged). */
password_hasher_t *password_hasher_new_from_env(void);
/* Frees the hasher; sets *self_p to NULL; safe on NULL. */
void password_hasher_destroy(password_hasher_t **self_p);

/*  Hashes password (len bytes, may hold any byte) into out (at least
 *  PASSWORD_HASH_MAX bytes) as "argon2$argon2id$...". Returns 0, or -1 when out of
 *  memory (logged). */
int password_hash(const password_hasher_t *self, const char *password, size_t len,
                  char *out, size_t outsize);

/*  Checks password against a stored hash. A NULL stored hash (unknown user) is
 *  checked against the dummy hash and always fails, in about the same time as a real
 *  check. Anything that is not a well-formed Argon2id hash with sane parameters
 *  (another hasher, an unusable "!..." password, garbage) fails without crashing. */
bool password_verify(const password_hasher_t *self, const char *stored, const char *password,
                     size_t len);

#endif
