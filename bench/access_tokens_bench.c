/*  access_tokens_bench: the cost of checking an access token at the edge, verified in
 *  full (token_verify: base64, JSON, HMAC-SHA256) and answered from the gateway's
 *  memory of tokens it verified (access_tokens.h), with TOKENS tokens in rotation as
 *  many clients send them. Prints both per check and their ratio, for RUNS runs.
 *  Usage: build/access_tokens_bench [tokens=200] [checks=400000] [runs=3] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "access_tokens.h"
#include "token.h"

static double ns_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double) (now.tv_sec - start->tv_sec) * 1e9 + (double) (now.tv_nsec - start->tv_nsec);
}

int main(int argc, char **argv)
{
    int count = argc > 1 ? atoi(argv[1]) : 200;
    int checks = argc > 2 ? atoi(argv[2]) : 400000;
    int runs = argc > 3 ? atoi(argv[3]) : 3;
    if (count < 1 || checks < 10 || runs < 1) {
        fprintf(stderr, "usage: %s [tokens>=1] [checks>=10] [runs>=1]\n", argv[0]);
        return 2;
    }
    static const unsigned char secret[] = "access-tokens-bench-0123456789abcdef0123456789";
    size_t secret_len = sizeof secret - 1;
    time_t now = time(NULL);
    char **tokens = calloc((size_t) count, sizeof *tokens);
    for (int i = 0; tokens && i < count; i++)
        if (!(tokens[i] = token_issue(secret, secret_len, TOKEN_ACCESS, i + 1, 3600, now, NULL)))
            return 1;
    access_tokens_t *memory = access_tokens_new(secret, secret_len);
    if (!tokens || !memory)
        return 1;
    for (int run = 1; run <= runs; run++) {
        struct timespec start;
        token_claims_t claims;
        int full_checks = checks / 10;
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (int i = 0; i < full_checks; i++)
            if (token_verify(secret, secret_len, tokens[i % count], TOKEN_ACCESS, now, &claims))
                return 1;
        double full = ns_since(&start) / full_checks;
        int64_t uid;
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (int i = 0; i < checks; i++) {
            const char *t = tokens[i % count];
            if (access_tokens_verify(memory, t, strlen(t), now, &uid))
                return 1;
        }
        double remembered = ns_since(&start) / checks;
        printf("run %d: token_verify %.0f ns, access_tokens_verify %.0f ns (%d tokens, "
               "%llu verified in full), ratio %.1f\n", run, full, remembered, count,
               (unsigned long long) access_tokens_verified(memory), full / remembered);
    }
    for (int i = 0; i < count; i++)
        free(tokens[i]);
    free(tokens);
    access_tokens_destroy(&memory);
    return 0;
}
