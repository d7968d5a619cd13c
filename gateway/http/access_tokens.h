/*  access_tokens.h: verifying access tokens at the edge, with the answers remembered.
 *
 *  Every authenticated request and every WebSocket handshake carries an access token;
 *  verifying one (token_verify: base64, JSON, HMAC-SHA256) costs about 8 µs here, and
 *  a client sends the same token for its whole five minutes. So a token that passed is
 *  remembered, with its user and its exp, until exp: the next request with the very
 *  same bytes is one hash and one comparison. Only tokens that passed every check
 *  are remembered, so a forged, expired or refresh token is verified in full every
 *  time and never enters. Expiry is checked on every hit, against the same clock.
 *  Nothing else can end an access token early (simplejwt blacklists refresh tokens
 *  only; a deleted user is the services' 401), so remembering changes no answer.
 *
 *  The memory is bounded: ACCESS_TOKENS_ENTRIES entries of 36 bytes (2.3 MiB), in
 *  sets of ACCESS_TOKENS_WAYS chosen by a keyed BLAKE2b of the token, whose next 16
 *  bytes stand for the token in its entry (the key is random per process: nobody can
 *  aim tokens at one set or make other text match a tag). A newly verified token takes
 *  an expired entry of its set, else the one that answered longest ago. One per
 *  gateway, used from its one loop thread (no locking).
 */
#ifndef ACCESS_TOKENS_H_INCLUDED
#define ACCESS_TOKENS_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Tokens remembered at most (a power of two), and the entries one token may take. */
#define ACCESS_TOKENS_ENTRIES 65536
#define ACCESS_TOKENS_WAYS 4

typedef struct access_tokens access_tokens_t;

/* Verifies with the HS256 key secret[0..secret_len) (kept by pointer). Returns NULL
 * when out of memory. */
access_tokens_t *access_tokens_new(const unsigned char *secret, size_t secret_len);
/* Frees it; sets *self_p to NULL; safe on NULL. */
void access_tokens_destroy(access_tokens_t **self_p);
/*  Checks token[0..len) (no NUL needed; one inside is refused) as an access token at
 *  time `now`. Returns 0 with *user_id, or -1 when it is not a valid access token. */
int access_tokens_verify(access_tokens_t *self, const char *token, size_t len, time_t now,
                         int64_t *user_id);
/* Tokens verified in full, and answered from memory, since the start (tests, logs). */
uint64_t access_tokens_verified(const access_tokens_t *self);
uint64_t access_tokens_remembered(const access_tokens_t *self);

#endif
