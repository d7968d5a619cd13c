/*  password.c: Argon2id hashes in Django's format, on libsodium. See password.h. */
#include "password.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"

/* Upper bounds on cost parameters, for configuration and for stored hashes alike: a
 * stored hash claiming more is refused instead of tying a worker up for hours. */
#define PASSWORD_OPSLIMIT_MAX 32
#define PASSWORD_MEMLIMIT_KIB_MAX (4L * 1024 * 1024)
#define PASSWORD_LANES_MAX 16
/* libsodium's prefix for Argon2id strings. */
#define ARGON2ID_PREFIX "$argon2id$"

struct password_hasher {
    unsigned long long opslimit;        /* Argon2id passes (t) */
    size_t memlimit;                    /* Argon2id memory in bytes (m * 1024) */
    char dummy[PASSWORD_HASH_MAX];      /* hash of a random password, for unknown users */
};

password_hasher_t *password_hasher_new(unsigned long long opslimit, size_t memlimit)
{
    password_hasher_t *self = NULL;
    unsigned char secret[16];

    if (sodium_init() < 0) {
        log_error("libsodium could not be initialized");
        return NULL;
    }
    if (opslimit < crypto_pwhash_OPSLIMIT_MIN || opslimit > PASSWORD_OPSLIMIT_MAX
        || memlimit < crypto_pwhash_MEMLIMIT_MIN
        || memlimit / 1024 > (size_t) PASSWORD_MEMLIMIT_KIB_MAX) {
        log_error("password hash parameters out of range");
        return NULL;
    }
    self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->opslimit = opslimit;
    self->memlimit = memlimit;
    randombytes_buf(secret, sizeof secret);
    if (password_hash(self, (const char *) secret, sizeof secret, self->dummy,
                      sizeof self->dummy) != 0)
        password_hasher_destroy(&self);
    sodium_memzero(secret, sizeof secret);
    return self;
}

password_hasher_t *password_hasher_new_from_env(void)
{
    long opslimit, memlimit_kib;
    if (config_int("PASSWORD_HASH_OPSLIMIT", crypto_pwhash_OPSLIMIT_INTERACTIVE,
                   crypto_pwhash_OPSLIMIT_MIN, PASSWORD_OPSLIMIT_MAX, &opslimit) != 0
        || config_int("PASSWORD_HASH_MEMLIMIT_KIB", 65536, crypto_pwhash_MEMLIMIT_MIN / 1024,
                      PASSWORD_MEMLIMIT_KIB_MAX, &memlimit_kib) != 0)
        return NULL;
    return password_hasher_new((unsigned long long) opslimit, (size_t) memlimit_kib * 1024);
}

void password_hasher_destroy(password_hasher_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free(*self_p);
    *self_p = NULL;
}

int password_hash(const password_hasher_t *self, const char *password, size_t len, char *out,
                  size_t outsize)
{
    char hashed[crypto_pwhash_STRBYTES];
    size_t prefix = strlen(PASSWORD_PREFIX);

    assert(self && password && out);
    if (crypto_pwhash_str_alg(hashed, password, len, self->opslimit, self->memlimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        log_error("password hashing failed (out of memory?)");
        return -1;
    }
    size_t hashed_len = strlen(hashed);
    if (prefix + hashed_len + 1 > outsize)
        return -1;
    memcpy(out, PASSWORD_PREFIX, prefix);
    memcpy(out + prefix, hashed, hashed_len + 1);
    return 0;
}

/* Reads "<key>=<decimal>" at *p, advancing past it. Returns 0, or -1 when absent. */
static int read_param(const char **p, char key, unsigned long *value)
{
    const char *s = *p;
    if (s[0] != key || s[1] != '=' || s[2] < '0' || s[2] > '9')
        return -1;
    s += 2;
    unsigned long v = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (v > 0xffffffffUL)
            return -1;
        v = v * 10 + (unsigned long) (*s - '0');
    }
    *value = v;
    *p = s;
    return 0;
}

/*  Checks a libsodium Argon2id string's version and cost parameters before it is
 *  verified: "$argon2id$v=19$m=M,t=T,p=P$...". Returns true when they are sane. */
static bool argon2id_params_ok(const char *hashed)
{
    unsigned long version, m, t, p;
    const char *s = hashed + strlen(ARGON2ID_PREFIX);
    if (read_param(&s, 'v', &version) != 0 || version != 19 || *s++ != '$')
        return false;
    if (read_param(&s, 'm', &m) != 0 || *s++ != ',' || read_param(&s, 't', &t) != 0
        || *s++ != ',' || read_param(&s, 'p', &p) != 0 || *s != '$')
        return false;
    return m >= 8 && m <= (unsigned long) PASSWORD_MEMLIMIT_KIB_MAX && t >= 1
           && t <= PASSWORD_OPSLIMIT_MAX && p >= 1 && p <= PASSWORD_LANES_MAX;
}

/* True when stored is "argon2" + a libsodium Argon2id string with sane parameters. */
static bool stored_ok(const char *stored)
{
    size_t prefix = strlen(PASSWORD_PREFIX);
    size_t stored_len = strnlen(stored, PASSWORD_HASH_MAX);
    return stored_len < PASSWORD_HASH_MAX
           && stored_len > prefix + strlen(ARGON2ID_PREFIX)
           && strncmp(stored, PASSWORD_PREFIX, prefix) == 0
           && strncmp(stored + prefix, ARGON2ID_PREFIX, strlen(ARGON2ID_PREFIX)) == 0
           && argon2id_params_ok(stored + prefix);
}

bool password_verify(const password_hasher_t *self, const char *stored, const char *password,
                     size_t len)
{
    size_t prefix = strlen(PASSWORD_PREFIX);

    assert(self && password);
    if (!stored || !stored_ok(stored)) {
        /* Unknown user, unusable or foreign hash: the same work as a real check and
         * the same answer as a wrong password. */
        volatile int ignored = crypto_pwhash_str_verify(self->dummy + prefix, password, len);
        (void) ignored;
        return false;
    }
    return crypto_pwhash_str_verify(stored + prefix, password, len) == 0;
}
