/*  mint_tokens.c: access tokens for benchmark users, signed as the auth service signs
 *  them, without a login each (a thousand Argon2id logins would take minutes).
 *
 *      mint_tokens [LIFETIME_S] < ids.txt > tokens.txt
 *
 *  Reads "id username" lines (what bench/seed -o writes) and prints "id token" lines.
 *  The secret comes from JWT_SECRET or JWT_SECRET_FILE, as for every process.
 *  Exit status: 0, or 1 when the secret is missing or a line is not "id ...".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "token.h"

int main(int argc, char **argv)
{
    long lifetime = argc > 1 ? strtol(argv[1], NULL, 10) : 3600;
    if (lifetime <= 0)
        lifetime = 3600;
    char secret[512];
    int secret_len = token_secret_load(secret, sizeof secret);
    if (secret_len < 0)
        return 1;
    char line[512];
    while (fgets(line, sizeof line, stdin)) {
        char *end = NULL;
        long long id = strtoll(line, &end, 10);
        if (id <= 0 || end == line) {
            fprintf(stderr, "mint_tokens: not an \"id username\" line: %s", line);
            return 1;
        }
        char *token = token_issue((const unsigned char *) secret, (size_t) secret_len,
                                  TOKEN_ACCESS, id, lifetime, time(NULL), NULL);
        if (!token)
            return 1;
        printf("%lld %s\n", id, token);
        free(token);
    }
    return 0;
}
