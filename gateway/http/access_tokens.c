/*  access_tokens.c: access tokens verified once, remembered until exp. See
 *  access_tokens.h. */
#include "access_tokens.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "token.h"

/* Bytes of a token's keyed hash: the set it goes to, then the tag that stands for it. */
#define INDEX_BYTES 8
#define TAG_BYTES 16

/* One remembered token: its tag, its user, its exp (0: the entry is empty). */
typedef struct {
    int64_t exp;
    int64_t user_id;
    unsigned char tag[TAG_BYTES];
} entry_t;

/* The entries a token may sit in, so that tokens that hash alike do not keep evicting
 * each other, and a clock of which answered last. */
typedef struct {
    entry_t way[ACCESS_TOKENS_WAYS];
    uint32_t used[ACCESS_TOKENS_WAYS];            /* when each last answered or came */
} set_t;

#define SETS (ACCESS_TOKENS_ENTRIES / ACCESS_TOKENS_WAYS)

struct access_tokens {
    const unsigned char *secret;
    size_t secret_len;
    unsigned char key[crypto_generichash_KEYBYTES]; /* random per process */
    uint32_t clock;                                 /* counts lookups, for `used` */
    uint64_t verified, remembered;
    set_t sets[SETS];
};

access_tokens_t *access_tokens_new(const unsigned char *secret, size_t secret_len)
{
    if (sodium_init() < 0)
        return NULL;
    access_tokens_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->secret = secret;
    self->secret_len = secret_len;
    crypto_generichash_keygen(self->key);
    return self;
}

void access_tokens_destroy(access_tokens_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    sodium_memzero(*self_p, sizeof **self_p);
    free(*self_p);
    *self_p = NULL;
}

/* Verifies token[0..len) in full (token_verify wants a C string). */
static int verify_in_full(access_tokens_t *self, const char *token, size_t len, time_t now,
                          token_claims_t *claims)
{
    char small[512];
    char *text = len < sizeof small ? small : malloc(len + 1);
    if (!text)
        return -1;
    memcpy(text, token, len);
    text[len] = '\0';
    int rc = token_verify(self->secret, self->secret_len, text, TOKEN_ACCESS, now, claims);
    if (text != small)
        free(text);
    self->verified++;
    return rc;
}

int access_tokens_verify(access_tokens_t *self, const char *token, size_t len, time_t now,
                         int64_t *user_id)
{
    if (len == 0 || memchr(token, '\0', len))
        return -1;
    /* A keyed BLAKE2b of the whole token: the first bytes pick the set, the next 16
     * stand for the token (without the key, no other text can be made to match). */
    unsigned char hash[INDEX_BYTES + TAG_BYTES];
    crypto_generichash(hash, sizeof hash, (const unsigned char *) token, len, self->key,
                       sizeof self->key);
    uint64_t index;
    memcpy(&index, hash, sizeof index);
    const unsigned char *tag = hash + INDEX_BYTES;
    set_t *set = &self->sets[index % SETS];
    uint32_t tick = ++self->clock;
    for (int i = 0; i < ACCESS_TOKENS_WAYS; i++) {
        entry_t *e = &set->way[i];
        /* token_verify refuses exp <= now: the same test here, so a hit expires too. */
        if (e->exp > (int64_t) now && sodium_memcmp(e->tag, tag, TAG_BYTES) == 0) {
            set->used[i] = tick;
            self->remembered++;
            *user_id = e->user_id;
            return 0;
        }
    }
    token_claims_t claims;
    if (verify_in_full(self, token, len, now, &claims) != 0)
        return -1;
    /* It takes an empty or expired entry, else the one that answered longest ago. */
    int victim = 0;
    for (int i = 0; i < ACCESS_TOKENS_WAYS; i++) {
        if (set->way[i].exp <= (int64_t) now) {
            victim = i;
            break;
        }
        if ((uint32_t) (tick - set->used[i]) > (uint32_t) (tick - set->used[victim]))
            victim = i;
    }
    entry_t *e = &set->way[victim];
    memcpy(e->tag, tag, TAG_BYTES);
    e->exp = claims.exp;
    e->user_id = claims.user_id;
    set->used[victim] = tick;
    *user_id = claims.user_id;
    return 0;
}

uint64_t access_tokens_verified(const access_tokens_t *self)
{
    return self->verified;
}

uint64_t access_tokens_remembered(const access_tokens_t *self)
{
    return self->remembered;
}
